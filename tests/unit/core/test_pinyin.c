/* test_pinyin.c - pinyin initials of names (ICU's readings, built in at make time). */
#include "unit.h"

#include "core/pinyin.h"

static void test_initials(void **state)
{
	static const struct {
		const char *name, *in, *want;
		size_t cap;
	} cases[] = {
		{ "two characters", "张三", "zs", 16 },
		{ "three characters", "李小明", "lxm", 16 },
		{ "first of the block U+4E00 一", "一", "y", 16 },
		{ "last of the block U+9FA5 龥", "龥", "y", 16 },
		{ "polyphonic 重: ICU's first reading", "重阳", "zy", 16 },
		{ "middle dot of minority names skipped", "阿依·买买提", "aymmt", 16 },
		{ "ASCII letters lowered, digits kept", "Wang2小A", "wang2xa", 16 },
		{ "spaces and punctuation skipped", " 王 五，", "ww", 16 },
		{ "outside the block (U+3400 ext. A) skipped", "\xE3\x90\x80王", "w", 16 },
		{ "4-byte character skipped", "\xF0\xA0\x80\x80李", "l", 16 },
		{ "truncated UTF-8 skipped", "王\xE5\xBC", "w", 16 },
		{ "cap 3 keeps two letters", "李小明", "lx", 3 },
		{ "cap 1 keeps nothing", "李小明", "", 1 },
		{ "empty", "", "", 16 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char out[16];
		size_t n = dd_pinyin_initials(cases[i].in, out, cases[i].cap);
		CASE_STR_EQ(out, cases[i].want, cases[i].name);
		CASE_CHECK(n == strlen(cases[i].want), cases[i].name);
	}
}

static void test_is_query(void **state)
{
	static const struct {
		const char *name, *q;
		bool want;
	} cases[] = {
		{ "two letters: the shortest", "zs", true },
		{ "one letter: too short", "z", false },
		{ "16 letters: the longest", "abcdefghijklmnop", true },
		{ "17 letters: too long", "abcdefghijklmnopq", false },
		{ "upper case", "ZS", true },
		{ "a digit is an ID or number search", "zs1", false },
		{ "Chinese text", "张三", false },
		{ "NULL", NULL, false },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_pinyin_is_query(cases[i].q) == cases[i].want, cases[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initials),
		cmocka_unit_test(test_is_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
