/* test_money.c - yuan text <-> fen, formatting and checked arithmetic. */
#include "unit.h"

#include "core/money.h"

static void test_parse(void **state)
{
	static const struct {
		const char *name, *in;
		dd_money_status st;
		dd_fen fen;   /* when DD_MONEY_OK */
	} cases[] = {
		{ "whole yuan", "12", DD_MONEY_OK, 1200 },
		{ "one decimal is jiao", "12.5", DD_MONEY_OK, 1250 },
		{ "two decimals", "12.50", DD_MONEY_OK, 1250 },
		{ "one fen", "0.01", DD_MONEY_OK, 1 },
		{ "negative", "-3.01", DD_MONEY_OK, -301 },
		{ "no integer digits: .5 is 50 fen", ".5", DD_MONEY_OK, 50 },
		{ "negative without integer digits", "-.05", DD_MONEY_OK, -5 },
		{ "zero", "0", DD_MONEY_OK, 0 },
		{ "negative zero is zero", "-0.00", DD_MONEY_OK, 0 },
		{ "leading zeros", "007.10", DD_MONEY_OK, 710 },
		{ "spaces around are ignored", "  12.34 ", DD_MONEY_OK, 1234 },
		{ "thousands groups", "12,345.67", DD_MONEY_OK, 1234567 },
		{ "two thousands groups", "-1,234,567", DD_MONEY_OK, -123456700 },
		{ "three-digit first group", "123,456", DD_MONEY_OK, 12345600 },
		{ "largest amount: DD_MONEY_MAX", "1000000000000000", DD_MONEY_OK, DD_MONEY_MAX },
		{ "smallest amount: -DD_MONEY_MAX", "-1,000,000,000,000,000.00", DD_MONEY_OK,
		  -DD_MONEY_MAX },
		{ "one fen above DD_MONEY_MAX", "1000000000000000.01", DD_MONEY_RANGE, 0 },
		{ "one fen below -DD_MONEY_MAX", "-1000000000000000.01", DD_MONEY_RANGE, 0 },
		{ "INT64_MAX fen as yuan", "92233720368547758.07", DD_MONEY_RANGE, 0 },
		{ "40 digits cannot overflow", "9999999999999999999999999999999999999999",
		  DD_MONEY_RANGE, 0 },
		{ "many leading zeros are still small", "000000000000000000000000001", DD_MONEY_OK,
		  100 },
		/* the plain shape (up to 15 digits, up to 2 decimals) has its own fast path: its edges */
		{ "15 digits and 2 decimals: the fast path's largest", "999999999999999.99", DD_MONEY_OK,
		  DD_MONEY_MAX - 1 },
		{ "16 digits leave the fast path", "1000000000000000.00", DD_MONEY_OK, DD_MONEY_MAX },
		{ "one decimal", "7.5", DD_MONEY_OK, 750 },
		{ "a letter after the digits", "12a", DD_MONEY_BAD, 0 },
		{ "a letter after the point", "12.a", DD_MONEY_BAD, 0 },
		{ "a letter as the second decimal", "12.5a", DD_MONEY_BAD, 0 },
		{ "three decimals", "1.234", DD_MONEY_DECIMALS, 0 },
		{ "a third decimal is an error even when 0", "1.230", DD_MONEY_DECIMALS, 0 },
		{ "decimals are judged before range", "99999999999999999.999", DD_MONEY_DECIMALS, 0 },
		{ "empty", "", DD_MONEY_EMPTY, 0 },
		{ "only spaces", "   ", DD_MONEY_EMPTY, 0 },
		{ "a lone minus", "-", DD_MONEY_BAD, 0 },
		{ "a lone point", ".", DD_MONEY_BAD, 0 },
		{ "point without decimals", "12.", DD_MONEY_BAD, 0 },
		{ "plus sign is refused", "+5", DD_MONEY_BAD, 0 },
		{ "double minus", "--5", DD_MONEY_BAD, 0 },
		{ "exponent", "1e5", DD_MONEY_BAD, 0 },
		{ "two points", "1.2.3", DD_MONEY_BAD, 0 },
		{ "letter in decimals", "1.2a", DD_MONEY_BAD, 0 },
		{ "letter in three decimals is BAD, not DECIMALS", "1.23x", DD_MONEY_BAD, 0 },
		{ "comma in decimals", "1.2,3", DD_MONEY_BAD, 0 },
		{ "space inside", "1 234", DD_MONEY_BAD, 0 },
		{ "group of two", "1,23", DD_MONEY_BAD, 0 },
		{ "group of four", "1,2345", DD_MONEY_BAD, 0 },
		{ "first group of four", "1234,567", DD_MONEY_BAD, 0 },
		{ "middle group of two", "1,23,456", DD_MONEY_BAD, 0 },
		{ "leading comma", ",123", DD_MONEY_BAD, 0 },
		{ "trailing comma", "1,234,", DD_MONEY_BAD, 0 },
		{ "double comma", "1,,234", DD_MONEY_BAD, 0 },
		{ "full-width digits", "\xEF\xBC\x91\xEF\xBC\x92", DD_MONEY_BAD, 0 },
		{ "yuan sign", "\xC2\xA5" "12", DD_MONEY_BAD, 0 },
		{ "tab is no space", "\t12", DD_MONEY_BAD, 0 },
		{ "trailing minus", "12-", DD_MONEY_BAD, 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_fen v = 777;
		dd_money_status st = dd_money_parse(cases[i].in, strlen(cases[i].in), &v);
		CASE_CHECK(st == cases[i].st, cases[i].name);
		CASE_CHECK(v == (st == DD_MONEY_OK ? cases[i].fen : 777), cases[i].name);
	}
}

/* The length bounds the parse: bytes after len are not read. */
static void test_parse_honours_len(void **state)
{
	dd_fen v = 0;
	DD_UNUSED(state);
	assert_int_equal(dd_money_parse("12.345", 5, &v), DD_MONEY_OK);
	assert_int_equal(v, 1234);
	assert_int_equal(dd_money_parse("12", 0, &v), DD_MONEY_EMPTY);
}

static void test_status_text(void **state)
{
	static const struct {
		const char *name;
		dd_money_status st;
		const char *text;
	} cases[] = {
		{ "decimals reason", DD_MONEY_DECIMALS, "金额最多两位小数" },
		{ "empty reason", DD_MONEY_EMPTY, "金额为空" },
		{ "bad reason", DD_MONEY_BAD, "金额格式错误" },
		{ "range reason", DD_MONEY_RANGE, "金额超出范围" },
		{ "unknown status", (dd_money_status)99, "金额状态未知" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_STR_EQ(dd_money_status_text(cases[i].st), cases[i].text, cases[i].name);
}

static void test_format(void **state)
{
	static const struct {
		const char *name;
		dd_fen v;
		const char *plain, *grouped;
	} cases[] = {
		{ "zero", 0, "0.00", "0.00" },
		{ "one fen", 1, "0.01", "0.01" },
		{ "minus one fen", -1, "-0.01", "-0.01" },
		{ "ten fen", 10, "0.10", "0.10" },
		{ "999 yuan: no separator yet", 99900, "999.00", "999.00" },
		{ "1000 yuan: first separator", 100000, "1000.00", "1,000.00" },
		{ "negative grouped", -1234567, "-12345.67", "-12,345.67" },
		{ "a million", 100000000, "1000000.00", "1,000,000.00" },
		{ "DD_MONEY_MAX", DD_MONEY_MAX, "1000000000000000.00",
		  "1,000,000,000,000,000.00" },
		{ "INT64_MAX", INT64_MAX, "92233720368547758.07", "92,233,720,368,547,758.07" },
		{ "INT64_MIN: magnitude beyond INT64_MAX", INT64_MIN, "-92233720368547758.08",
		  "-92,233,720,368,547,758.08" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char plain[32], grouped[40];
		dd_money_format(cases[i].v, plain);
		dd_money_format_grouped(cases[i].v, grouped);
		CASE_STR_EQ(plain, cases[i].plain, cases[i].name);
		CASE_STR_EQ(grouped, cases[i].grouped, cases[i].name);
	}
}

/* What is formatted reads back to the same value, with and without separators. */
static void test_format_parse_round_trip(void **state)
{
	static const dd_fen values[] = {
		0, 1, -1, 99, 100, -100, 123456789, -DD_MONEY_MAX, DD_MONEY_MAX, 99999999999,
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(values); i++) {
		char plain[32], grouped[40];
		dd_fen a = 0, b = 0;
		dd_money_format(values[i], plain);
		dd_money_format_grouped(values[i], grouped);
		assert_int_equal(dd_money_parse(plain, strlen(plain), &a), DD_MONEY_OK);
		assert_int_equal(dd_money_parse(grouped, strlen(grouped), &b), DD_MONEY_OK);
		assert_int_equal(a, values[i]);
		assert_int_equal(b, values[i]);
	}
}

static void test_arithmetic(void **state)
{
	static const struct {
		const char *name;
		bool mul;
		dd_fen a;
		int64_t b;
		bool ok;
		dd_fen want;
	} cases[] = {
		{ "add", false, 150, -50, true, 100 },
		{ "add reaching INT64_MAX", false, INT64_MAX - 1, 1, true, INT64_MAX },
		{ "add past INT64_MAX", false, INT64_MAX, 1, false, 0 },
		{ "add past INT64_MIN", false, INT64_MIN, -1, false, 0 },
		{ "mul by 12 months", true, 30000, 12, true, 360000 },
		{ "mul by a negative", true, 30000, -2, true, -60000 },
		{ "mul past INT64_MAX", true, INT64_MAX / 2 + 1, 2, false, 0 },
		{ "mul INT64_MIN by -1", true, INT64_MIN, -1, false, 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_fen out = 42;
		bool ok = cases[i].mul ? dd_money_mul(cases[i].a, cases[i].b, &out)
				       : dd_money_add(cases[i].a, cases[i].b, &out);
		CASE_CHECK(ok == cases[i].ok, cases[i].name);
		CASE_CHECK(out == (ok ? cases[i].want : 42), cases[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_honours_len),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_parse_round_trip),
		cmocka_unit_test(test_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
