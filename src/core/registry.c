/* registry.c - the low-income categories: codes, Chinese names, bit sets. */
#include "registry.h"

#include <string.h>
#include <strings.h>

#include "text.h"

const dd_category_info dd_categories[5] = {
	{ DD_CAT_TK, "TK", "特困人员" },
	{ DD_CAT_DB, "DB", "最低生活保障对象" },
	{ DD_CAT_BY, "BY", "最低生活保障边缘家庭" },
	{ DD_CAT_GZ, "GZ", "刚性支出困难家庭" },
	{ DD_CAT_QT, "QT", "其他低收入人口" },
};

/* The short names people write in spreadsheets beside the official ones. */
static const struct {
	const char *zh;
	unsigned bit;
} short_names[] = {
	{ "特困", DD_CAT_TK },
	{ "低保", DD_CAT_DB },
	{ "低保边缘", DD_CAT_BY },
	{ "刚性支出困难", DD_CAT_GZ },
	{ "其他", DD_CAT_QT },
};

unsigned dd_category_parse(const char *s, size_t len)
{
	unsigned ret = 0;

	dd_text_trim(&s, &len);
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories) && !ret; i++) {
		const dd_category_info *c = &dd_categories[i];
		if ((len == 2 && strncasecmp(s, c->code, 2) == 0) || dd_text_eq(s, len, c->zh))
			ret = c->bit;
	}
	for (size_t i = 0; i < DD_ARRAY_LEN(short_names) && !ret; i++)
		if (dd_text_eq(s, len, short_names[i].zh))
			ret = short_names[i].bit;
	return ret;
}

void dd_category_format(unsigned bits, char buf[16])
{
	char *p = buf;

	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++) {
		if (!(bits & dd_categories[i].bit))
			continue;
		if (p != buf)
			*p++ = ';';
		memcpy(p, dd_categories[i].code, 2);
		p += 2;
	}
	*p = '\0';
}
