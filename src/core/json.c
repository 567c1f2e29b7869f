/* json.c - jansson values for doudi's types (json.h). */
#include "dd.h"
#include "json.h"
#include "id.h"
#include "registry.h"

#include <string.h>

json_t *dd_json_text(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *dd_json_date(dd_date d)
{
	char b[11];
	if (d == DD_DATE_NONE)
		return json_null();
	dd_date_format(d, b);
	return json_string(b);
}

json_t *dd_json_yuan(dd_fen v)
{
	char b[32];
	dd_money_format(v, b);
	return json_string(b);
}

json_t *dd_json_yuan_opt(dd_fen v)
{
	return v < 0 ? json_null() : dd_json_yuan(v);
}

json_t *dd_json_tri(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

json_t *dd_json_id_masked(const char *id)
{
	char m[19];
	if (!id || !*id)
		return json_null();
	dd_id_mask(id, m);
	return json_string(m);
}

json_t *dd_json_phone_masked(const char *phone)
{
	char m[64];
	if (!phone || !*phone)
		return json_null();
	if (strlen(phone) >= sizeof m)
		return json_string("****");
	dd_phone_mask(phone, m);
	return json_string(m);
}

json_t *dd_json_categories(unsigned bits)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < DD_ARRAY_LEN(dd_categories); i++)
		if (bits & dd_categories[i].bit)
			json_array_append_new(a, json_string(dd_categories[i].code));
	return a;
}
