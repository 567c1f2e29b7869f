/* test_json.c - JSON values of doudi's types: null for "not given", masking, money text. */
#include "unit.h"
#include "core/json.h"
#include "core/registry.h"

#include <stdlib.h>

/* The compact JSON text of a value, which the test then frees. */
static void expect(json_t *v, const char *want, const char *name)
{
	CASE_CHECK(v != NULL, name);
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	CASE_STR_EQ(s, want, name);
	free(s);
	json_decref(v);
}

static void values(void **state)
{
	(void)state;
	expect(dd_json_text("张三"), "\"张三\"", "text");
	expect(dd_json_text(""), "null", "empty text is null");
	expect(dd_json_text(NULL), "null", "NULL text is null");
	expect(dd_json_date(D("2025-02-28")), "\"2025-02-28\"", "date");
	expect(dd_json_date(DD_DATE_NONE), "null", "no date is null");
	expect(dd_json_yuan(116000), "\"1160.00\"", "yuan");
	expect(dd_json_yuan(-1), "\"-0.01\"", "negative yuan is still money");
	expect(dd_json_yuan_opt(-1), "null", "optional amount not given");
	expect(dd_json_yuan_opt(0), "\"0.00\"", "optional amount zero");
	expect(dd_json_tri(-1), "null", "tri-state unknown");
	expect(dd_json_tri(0), "false", "tri-state no");
	expect(dd_json_tri(1), "true", "tri-state yes");
	expect(dd_json_id_masked("11010519491231002X"), "\"110105********002X\"", "ID masked");
	expect(dd_json_id_masked(""), "null", "no ID");
	expect(dd_json_phone_masked("13812345678"), "\"138****5678\"", "phone masked");
	expect(dd_json_phone_masked(NULL), "null", "no phone");
	expect(dd_json_categories(DD_CAT_DB | DD_CAT_TK), "[\"TK\",\"DB\"]", "categories in priority order");
	expect(dd_json_categories(0), "[]", "no category");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
