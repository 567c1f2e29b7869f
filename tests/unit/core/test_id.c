/* test_id.c - GB 11643 ID numbers, keys and masking.  Today is fixed at
 * 2025-06-15 through $DOUDI_TODAY, so the "future birth date" rule is exact. */
#include "unit.h"

#include <stdlib.h>

#include "core/id.h"

#define TODAY "2025-06-15"

/* Every valid ID below was built by computing its check digit; the first is
 * the example of the standard itself. */
static void test_parse(void **state)
{
	static const struct {
		const char *name, *in;
		dd_id_status st;
		const char *text;    /* normalised text on OK and BAD_CHECK */
		char sex;
		const char *birth;
	} cases[] = {
		{ "GB 11643 example, check digit X", "11010519491231002X", DD_ID_OK,
		  "11010519491231002X", 'F', "1949-12-31" },
		{ "lower-case x is normalised", "11010519491231002x", DD_ID_OK,
		  "11010519491231002X", 'F', "1949-12-31" },
		{ "surrounding spaces are trimmed", "  11010519491231002X ", DD_ID_OK,
		  "11010519491231002X", 'F', "1949-12-31" },
		{ "odd 17th digit is male", "110105194912310011", DD_ID_OK, "110105194912310011",
		  'M', "1949-12-31" },
		{ "check digit 0", "110105198001180170", DD_ID_OK, "110105198001180170", 'M',
		  "1980-01-18" },
		{ "15 digits become 18 with 19 and a check digit", "110105491231002", DD_ID_OK,
		  "11010519491231002X", 'F', "1949-12-31" },
		{ "15 digits: male from the 15th digit", "110105491231001", DD_ID_OK,
		  "110105194912310011", 'M', "1949-12-31" },
		{ "birth date 29 Feb 2000", "150102200002291233", DD_ID_OK, "150102200002291233",
		  'M', "2000-02-29" },
		{ "birth date 1900-01-01: the earliest", "210102190001010014", DD_ID_OK,
		  "210102190001010014", 'M', "1900-01-01" },
		{ "born today", "11010520250615003X", DD_ID_OK, "11010520250615003X", 'M',
		  "2025-06-15" },
		{ "region 71 (Taiwan)", "710000202506150018", DD_ID_OK, "710000202506150018", 'M',
		  "2025-06-15" },
		{ "region 81 (Hong Kong)", "810000199912310047", DD_ID_OK, "810000199912310047", 'F',
		  "1999-12-31" },
		{ "region 11: first of 11-15", "110102199001120771", DD_ID_OK, "110102199001120771", 'M',
		  "1990-01-12" },
		{ "region 15: last of 11-15", "150102199001161052", DD_ID_OK, "150102199001161052", 'M',
		  "1990-01-16" },
		{ "region 21: first of 21-23", "21010219900122147X", DD_ID_OK, "21010219900122147X", 'M',
		  "1990-01-22" },
		{ "region 23: last of 21-23", "230102199001241618", DD_ID_OK, "230102199001241618", 'M',
		  "1990-01-24" },
		{ "region 31: first of 31-37", "310102199001042176", DD_ID_OK, "310102199001042176", 'M',
		  "1990-01-04" },
		{ "region 37: last of 31-37", "370102199001102598", DD_ID_OK, "370102199001102598", 'M',
		  "1990-01-10" },
		{ "region 41: first of 41-46", "410102199001142875", DD_ID_OK, "410102199001142875", 'M',
		  "1990-01-14" },
		{ "region 46: last of 41-46", "460102199001193225", DD_ID_OK, "460102199001193225", 'F',
		  "1990-01-19" },
		{ "region 50: first of 50-54", "500102199001233509", DD_ID_OK, "500102199001233509", 'F',
		  "1990-01-23" },
		{ "region 54: last of 50-54", "540102199001273786", DD_ID_OK, "540102199001273786", 'F',
		  "1990-01-27" },
		{ "region 61: first of 61-65", "61010219900106427X", DD_ID_OK, "61010219900106427X", 'M',
		  "1990-01-06" },
		{ "region 82: last of 81-82", "820102199001275746", DD_ID_OK, "820102199001275746", 'F',
		  "1990-01-27" },
		{ "region 65: last of the 61-65 range", "650102198001015550", DD_ID_OK,
		  "650102198001015550", 'M', "1980-01-01" },
		{ "bad check digit is kept", "110105194912310021", DD_ID_BAD_CHECK,
		  "110105194912310021", 'F', "1949-12-31" },
		{ "bad check: X where 1 is due", "11010519491231001X", DD_ID_BAD_CHECK,
		  "11010519491231001X", 'M', "1949-12-31" },
		{ "bad check: lower-case x kept as X", "11010519491231001x", DD_ID_BAD_CHECK,
		  "11010519491231001X", 'M', "1949-12-31" },
		{ "17 characters", "11010519491231002", DD_ID_BAD_LENGTH, NULL, 0, NULL },
		{ "19 characters", "11010519491231002X1", DD_ID_BAD_LENGTH, NULL, 0, NULL },
		{ "16 characters", "1101051949123100", DD_ID_BAD_LENGTH, NULL, 0, NULL },
		{ "14 characters", "11010549123100", DD_ID_BAD_LENGTH, NULL, 0, NULL },
		{ "empty", "", DD_ID_BAD_LENGTH, NULL, 0, NULL },
		{ "only spaces", "   ", DD_ID_BAD_LENGTH, NULL, 0, NULL },
		{ "space inside", "110105 9491231002X", DD_ID_BAD_CHARS, NULL, 0, NULL },
		{ "Y as check digit", "11010519491231002Y", DD_ID_BAD_CHARS, NULL, 0, NULL },
		{ "X not in last place", "1101051949123100X2", DD_ID_BAD_CHARS, NULL, 0, NULL },
		{ "15 digits cannot end in X", "11010549123100X", DD_ID_BAD_CHARS, NULL, 0, NULL },
		{ "region 10", "100105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 16: after 11-15", "160105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 24: after 21-23", "240105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 38: after 31-37", "380105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 47: after 41-46", "470105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 55: after 50-54", "550105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 66: after 61-65", "660105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 72: after 71", "720105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 83: after 81-82", "830105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 00", "000105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region 91", "910105194912310025", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "region of a 15-digit ID", "990105491231002", DD_ID_BAD_REGION, NULL, 0, NULL },
		{ "born 1880: before 1900", "440524188001010014", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born 1899-12-31", "110105189912310025", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born 29 Feb 1900: no such day", "110105190002290025", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born 29 Feb 2025: no such day", "110105202502290025", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born month 13", "110105194913310025", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born day 00", "110105194912000025", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born tomorrow", "820000202506160019", DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "born 2199: accepted as a date, but in the future", "110105219912310025",
		  DD_ID_BAD_DATE, NULL, 0, NULL },
		{ "15 digits: impossible date", "110105490229002", DD_ID_BAD_DATE, NULL, 0, NULL },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_id id;
		dd_id_status st = dd_id_parse(cases[i].in, strlen(cases[i].in), &id);
		CASE_CHECK(st == cases[i].st, cases[i].name);
		if (st != DD_ID_OK && st != DD_ID_BAD_CHECK)
			continue;
		CASE_STR_EQ(id.text, cases[i].text, cases[i].name);
		CASE_CHECK(id.key == dd_id_key(cases[i].text), cases[i].name);
		CASE_CHECK(id.sex == cases[i].sex, cases[i].name);
		CASE_CHECK(id.birth == D(cases[i].birth), cases[i].name);
	}
}

static void test_check_digit(void **state)
{
	static const struct {
		const char *name, *first17;
		char check;
	} cases[] = {
		{ "remainder 1 gives 0", "11010519800118017", '0' },
		{ "remainder 0 gives 1", "11010519800102001", '1' },
		{ "remainder 10 gives 2", "11010519800105004", '2' },
		{ "remainder 9 gives 3", "11010519800108007", '3' },
		{ "remainder 8 gives 4", "11010519800119018", '4' },
		{ "remainder 7 gives 5", "11010519800103002", '5' },
		{ "remainder 6 gives 6", "11010519800106005", '6' },
		{ "remainder 5 gives 7", "11010519800109008", '7' },
		{ "remainder 4 gives 8", "11010519800101000", '8' },
		{ "remainder 3 gives 9", "11010519800104003", '9' },
		{ "remainder 2 gives X", "11010519800107006", 'X' },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_id_check_digit(cases[i].first17) == cases[i].check, cases[i].name);
}

static void test_key_edges(void **state)
{
	static const struct {
		const char *name, *id;
		uint64_t key;
	} cases[] = {
		{ "all zeros is key 0", "000000000000000000", 0 },
		{ "check X is 10", "00000000000000000X", 10 },
		{ "last digit 1 is 11", "000000000000000010", 11 },
		{ "largest: 17 nines and X", "99999999999999999X", 99999999999999999ULL * 11 + 10 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char back[19];
		CASE_CHECK(dd_id_key(cases[i].id) == cases[i].key, cases[i].name);
		dd_id_unkey(cases[i].key, back);
		CASE_STR_EQ(back, cases[i].id, cases[i].name);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Injective: many IDs (each with every possible last character) give distinct
 * keys, and each key gives its ID back. */
static void test_key_round_trip(void **state)
{
	enum { N = 2000, CHECKS = 11 };
	static uint64_t keys[N * CHECKS];
	uint64_t seed = 88172645463325252ULL;
	size_t k = 0;
	DD_UNUSED(state);

	for (int i = 0; i < N; i++) {
		char id[19], back[19];
		for (int j = 0; j < 17; j++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			id[j] = (char)('0' + seed % 10);
		}
		id[18] = '\0';
		for (int c = 0; c < CHECKS; c++) {
			id[17] = "0123456789X"[c];
			keys[k] = dd_id_key(id);
			dd_id_unkey(keys[k++], back);
			assert_string_equal(back, id);
		}
	}
	qsort(keys, k, sizeof keys[0], cmp_u64);
	for (size_t i = 1; i < k; i++)
		assert_true(keys[i] != keys[i - 1]);
}

static void test_mask(void **state)
{
	static const struct {
		const char *name, *in, *out;
		bool phone;
	} cases[] = {
		{ "ID: first 6 and last 4", "11010519491231002X", "110105********002X", false },
		{ "ID of 15 digits", "110105491231002", "110105*****1002", false },
		{ "ID of 11: one character hidden", "11010549123", "110105*9123", false },
		{ "ID of 10: would show all, so all hidden", "1101054912", "**********", false },
		{ "ID of 3", "110", "***", false },
		{ "ID empty", "", "", false },
		{ "ID longer than 18 is cut to 18", "1101051949123100201234", "110105********1234",
		  false },
		{ "mobile phone", "13812345678", "138****5678", true },
		{ "phone of 8: one hidden", "12345678", "123*5678", true },
		{ "phone of 7: would show all, so all hidden", "1234567", "*******", true },
		{ "landline with area code", "010-12345678", "010*****5678", true },
		{ "phone empty", "", "", true },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char out[64];
		memset(out, '#', sizeof out);
		if (cases[i].phone)
			dd_phone_mask(cases[i].in, out);
		else
			dd_id_mask(cases[i].in, out);
		CASE_STR_EQ(out, cases[i].out, cases[i].name);
	}
}

static void test_status_text(void **state)
{
	static const struct {
		const char *name;
		dd_id_status st;
		const char *text;
	} cases[] = {
		{ "check", DD_ID_BAD_CHECK, "身份证号校验位错误" },
		{ "length", DD_ID_BAD_LENGTH, "身份证号长度应为18位" },
		{ "chars", DD_ID_BAD_CHARS, "身份证号含有非法字符" },
		{ "date", DD_ID_BAD_DATE, "身份证号中的出生日期无效" },
		{ "region", DD_ID_BAD_REGION, "身份证号前两位不是有效的省级行政区划代码" },
		{ "unknown", (dd_id_status)42, "身份证号状态未知" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_STR_EQ(dd_id_status_text(cases[i].st), cases[i].text, cases[i].name);
}

static void test_age(void **state)
{
	static const struct {
		const char *name, *at;
		int age;
	} cases[] = {
		{ "day before the 75th birthday", "2024-12-30", 74 },
		{ "75th birthday", "2024-12-31", 75 },
		{ "new year after", "2025-01-01", 75 },
	};
	dd_id id;
	DD_UNUSED(state);
	assert_int_equal(dd_id_parse("11010519491231002X", 18, &id), DD_ID_OK);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_id_age(&id, D(cases[i].at)) == cases[i].age, cases[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_check_digit),
		cmocka_unit_test(test_key_edges),
		cmocka_unit_test(test_key_round_trip),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_age),
	};
	setenv("DOUDI_TODAY", TODAY, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
