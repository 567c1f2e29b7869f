/* test_registry.c - category codes and names. */
#include "unit.h"

#include "core/registry.h"

static void test_table(void **state)
{
	static const struct {
		unsigned bit;
		const char *code, *zh;
	} want[] = {
		{ DD_CAT_TK, "TK", "特困人员" },
		{ DD_CAT_DB, "DB", "最低生活保障对象" },
		{ DD_CAT_BY, "BY", "最低生活保障边缘家庭" },
		{ DD_CAT_GZ, "GZ", "刚性支出困难家庭" },
		{ DD_CAT_QT, "QT", "其他低收入人口" },
	};
	DD_UNUSED(state);
	/* the order is the priority order TK DB BY GZ QT */
	for (size_t i = 0; i < DD_ARRAY_LEN(want); i++) {
		CASE_CHECK(dd_categories[i].bit == want[i].bit, want[i].code);
		CASE_STR_EQ(dd_categories[i].code, want[i].code, want[i].code);
		CASE_STR_EQ(dd_categories[i].zh, want[i].zh, want[i].code);
	}
}

static void test_parse(void **state)
{
	static const struct {
		const char *name, *in;
		unsigned bit;
	} cases[] = {
		{ "code TK", "TK", DD_CAT_TK },
		{ "code DB", "DB", DD_CAT_DB },
		{ "code BY", "BY", DD_CAT_BY },
		{ "code GZ", "GZ", DD_CAT_GZ },
		{ "code QT", "QT", DD_CAT_QT },
		{ "lower-case code", "db", DD_CAT_DB },
		{ "mixed-case code", "gZ", DD_CAT_GZ },
		{ "full name 特困人员", "特困人员", DD_CAT_TK },
		{ "full name 最低生活保障对象", "最低生活保障对象", DD_CAT_DB },
		{ "full name 最低生活保障边缘家庭", "最低生活保障边缘家庭", DD_CAT_BY },
		{ "full name 刚性支出困难家庭", "刚性支出困难家庭", DD_CAT_GZ },
		{ "full name 其他低收入人口", "其他低收入人口", DD_CAT_QT },
		{ "short 特困", "特困", DD_CAT_TK },
		{ "short 低保", "低保", DD_CAT_DB },
		{ "short 低保边缘 is BY, not DB", "低保边缘", DD_CAT_BY },
		{ "short 刚性支出困难", "刚性支出困难", DD_CAT_GZ },
		{ "short 其他", "其他", DD_CAT_QT },
		{ "spaces around a code", " DB ", DD_CAT_DB },
		{ "U+3000 around a name", "\xE3\x80\x80低保\xE3\x80\x80", DD_CAT_DB },
		{ "FP is a tag, not a category", "FP", 0 },
		{ "unknown code", "XX", 0 },
		{ "code with a suffix", "DBX", 0 },
		{ "one letter", "D", 0 },
		{ "prefix of a name", "最低生活", 0 },
		{ "name with a suffix", "低保户", 0 },
		{ "two codes are not one", "TK;DB", 0 },
		{ "empty", "", 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_category_parse(cases[i].in, strlen(cases[i].in)) == cases[i].bit,
			   cases[i].name);
}

static void test_format(void **state)
{
	static const struct {
		const char *name;
		unsigned bits;
		const char *want;
	} cases[] = {
		{ "none is empty", 0, "" },
		{ "one code", DD_CAT_GZ, "GZ" },
		{ "priority order: TK before DB", DD_CAT_DB | DD_CAT_TK, "TK;DB" },
		{ "all five: the longest text", DD_CAT_TK | DD_CAT_DB | DD_CAT_BY | DD_CAT_GZ | DD_CAT_QT,
		  "TK;DB;BY;GZ;QT" },
		{ "bits beyond the categories are ignored", DD_CAT_QT | 1u << 7, "QT" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char buf[16];
		dd_category_format(cases[i].bits, buf);
		CASE_STR_EQ(buf, cases[i].want, cases[i].name);
	}
}

/* Every set of categories survives format and parse of each code. */
static void test_format_parse_round_trip(void **state)
{
	DD_UNUSED(state);
	for (unsigned bits = 0; bits < 32; bits++) {
		char buf[16];
		unsigned back = 0;
		dd_category_format(bits, buf);
		for (char *p = buf; *p; p += p[2] ? 3 : 2)
			back |= dd_category_parse(p, 2);
		assert_int_equal(back, bits);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
