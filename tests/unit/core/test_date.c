/* test_date.c - calendar arithmetic, parsing and the month helpers. */
#include "unit.h"

#include <stdlib.h>
#include <time.h>

#include "core/date.h"

static void test_parse(void **state)
{
	static const struct {
		const char *name, *in;
		const char *want;   /* formatted result, NULL = DD_ERR_INPUT */
	} cases[] = {
		{ "dash form", "2025-06-15", "2025-06-15" },
		{ "slash form", "2025/06/15", "2025-06-15" },
		{ "compact form", "20250615", "2025-06-15" },
		{ "29 Feb in a leap year", "2024-02-29", "2024-02-29" },
		{ "29 Feb in a common year", "2025-02-29", NULL },
		{ "30 Feb in a leap year", "2024-02-30", NULL },
		{ "29 Feb 1900: century not leap", "1900-02-29", NULL },
		{ "29 Feb 2000: 400-year leap", "20000229", "2000-02-29" },
		{ "31 April", "2025-04-31", NULL },
		{ "32 January", "2025-01-32", NULL },
		{ "31 December", "2025/12/31", "2025-12-31" },
		{ "month 13", "2025-13-01", NULL },
		{ "month 00", "2025-00-10", NULL },
		{ "day 00", "2025-01-00", NULL },
		{ "one-digit month and day", "2025-2-3", NULL },
		{ "one-digit day", "2025-02-3", NULL },
		{ "mixed separators", "2025-06/15", NULL },
		{ "dot separator", "2025.06.15", NULL },
		{ "letter in compact form", "2025O615", NULL },
		{ "sign in compact form", "+2025061", NULL },
		{ "leading space is the caller's business", " 2025-06-15", NULL },
		{ "empty", "", NULL },
		{ "time suffix", "2025-06-15 00:00", NULL },
		{ "year 1899: below the minimum", "1899-12-31", NULL },
		{ "year 1900: the minimum", "1900-01-01", "1900-01-01" },
		{ "year 2199: the maximum", "2199-12-31", "2199-12-31" },
		{ "year 2200: above the maximum", "22000101", NULL },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_date d = 12345;
		char buf[11];
		dd_rc rc = dd_date_parse(cases[i].in, strlen(cases[i].in), &d);
		if (!cases[i].want) {
			CASE_CHECK(rc == DD_ERR_INPUT, cases[i].name);
			CASE_CHECK(d == 12345, cases[i].name);
			continue;
		}
		CASE_CHECK(rc == DD_OK, cases[i].name);
		dd_date_format(d, buf);
		CASE_STR_EQ(buf, cases[i].want, cases[i].name);
	}
}

static void test_epoch_values(void **state)
{
	static const struct {
		const char *name;
		int y, m, d;
		dd_date days;
	} cases[] = {
		{ "epoch is day 0", 1970, 1, 1, 0 },
		{ "day before the epoch is -1", 1969, 12, 31, -1 },
		{ "1900-01-01: earliest accepted", 1900, 1, 1, -25567 },
		{ "2000-03-01: after a 400-year leap day", 2000, 3, 1, 11017 },
		{ "2024-02-29", 2024, 2, 29, 19782 },
		{ "2199-12-31: latest accepted", 2199, 12, 31, 84005 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		int y, m, d;
		CASE_CHECK(dd_date_from_ymd(cases[i].y, cases[i].m, cases[i].d) == cases[i].days,
			   cases[i].name);
		dd_date_to_ymd(cases[i].days, &y, &m, &d);
		CASE_CHECK(y == cases[i].y && m == cases[i].m && d == cases[i].d, cases[i].name);
	}
}

/* Every day of the accepted range: consecutive numbers, exact inverse. */
static void test_round_trip_whole_range(void **state)
{
	dd_date first = dd_date_from_ymd(DD_DATE_MIN_YEAR, 1, 1);
	dd_date last = dd_date_from_ymd(DD_DATE_MAX_YEAR, 12, 31);
	int py = DD_DATE_MIN_YEAR - 1, pm = 12, pd = 31;
	DD_UNUSED(state);
	for (dd_date d = first; d <= last; d++) {
		int y, m, day;
		dd_date_to_ymd(d, &y, &m, &day);
		assert_true(dd_date_valid_ymd(y, m, day));
		assert_int_equal(dd_date_from_ymd(y, m, day), d);
		/* the day after (py, pm, pd) */
		if (day == 1)
			assert_true(pd == dd_date_days_in_month(py, pm) &&
				    (m == 1 ? y == py + 1 && pm == 12 : y == py && m == pm + 1));
		else
			assert_true(y == py && m == pm && day == pd + 1);
		py = y;
		pm = m;
		pd = day;
	}
}

static void test_days_in_month(void **state)
{
	static const struct {
		const char *name;
		int y, m, days;
	} cases[] = {
		{ "February of a leap year", 2024, 2, 29 },
		{ "February of a common year", 2025, 2, 28 },
		{ "February 1900: century", 1900, 2, 28 },
		{ "February 2000: 400 years", 2000, 2, 29 },
		{ "April has 30", 2025, 4, 30 },
		{ "December has 31", 2025, 12, 31 },
		{ "month 0 has none", 2025, 0, 0 },
		{ "month 13 has none", 2025, 13, 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_date_days_in_month(cases[i].y, cases[i].m) == cases[i].days,
			   cases[i].name);
}

static void test_add_months(void **state)
{
	static const struct {
		const char *name, *from;
		int n;
		const char *want;
	} cases[] = {
		{ "31 Jan + 1 clamps to 28 Feb", "2025-01-31", 1, "2025-02-28" },
		{ "31 Jan + 1 clamps to 29 Feb in a leap year", "2024-01-31", 1, "2024-02-29" },
		{ "31 Mar - 1 clamps to 28 Feb", "2025-03-31", -1, "2025-02-28" },
		{ "31 May + 1 clamps to 30 Jun", "2025-05-31", 1, "2025-06-30" },
		{ "29 Feb + 12 clamps to 28 Feb", "2024-02-29", 12, "2025-02-28" },
		{ "29 Feb + 48 keeps 29 Feb", "2024-02-29", 48, "2028-02-29" },
		{ "December + 1 rolls the year", "2025-12-15", 1, "2026-01-15" },
		{ "January - 1 rolls the year back", "2025-01-15", -1, "2024-12-15" },
		{ "+ 0 is the same day", "2025-06-15", 0, "2025-06-15" },
		{ "- 25 crosses two years", "2025-06-15", -25, "2023-05-15" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char buf[11];
		dd_date_format(dd_date_add_months(D(cases[i].from), cases[i].n), buf);
		CASE_STR_EQ(buf, cases[i].want, cases[i].name);
	}
}

static void test_age(void **state)
{
	static const struct {
		const char *name, *birth, *at;
		int age;
	} cases[] = {
		{ "day before the birthday", "2000-06-15", "2025-06-14", 24 },
		{ "on the birthday the year counts", "2000-06-15", "2025-06-15", 25 },
		{ "day after the birthday", "2000-06-15", "2025-06-16", 25 },
		{ "born 29 Feb: 28 Feb of a common year is not yet", "2000-02-29", "2025-02-28", 24 },
		{ "born 29 Feb: 1 March of a common year is", "2000-02-29", "2025-03-01", 25 },
		{ "born 29 Feb: 29 Feb of a leap year is", "2000-02-29", "2024-02-29", 24 },
		{ "born 29 Feb: 28 Feb of a leap year is not yet", "2000-02-29", "2024-02-28", 23 },
		{ "day of birth is 0", "2025-06-15", "2025-06-15", 0 },
		{ "day before birth is negative", "2025-06-15", "2025-06-14", -1 },
		{ "31 Dec birth, 1 Jan", "1949-12-31", "2025-01-01", 75 },
		{ "later month, earlier day", "1960-01-31", "2020-02-01", 60 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_date_age(D(cases[i].birth), D(cases[i].at)) == cases[i].age,
			   cases[i].name);
}

static void test_month_parse(void **state)
{
	static const struct {
		const char *name, *in;
		bool ok;
		int y, m;
	} cases[] = {
		{ "YYYY-MM", "2025-06", true, 2025, 6 },
		{ "January", "2025-01", true, 2025, 1 },
		{ "December", "2025-12", true, 2025, 12 },
		{ "month 13", "2025-13", false, 0, 0 },
		{ "month 00", "2025-00", false, 0, 0 },
		{ "one-digit month", "2025-6", false, 0, 0 },
		{ "slash is no month separator", "2025/06", false, 0, 0 },
		{ "compact YYYYMM", "202506", false, 0, 0 },
		{ "a full date is no month", "2025-06-01", false, 0, 0 },
		{ "year 1899", "1899-12", false, 0, 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_month m = -1;
		dd_rc rc = dd_month_parse(cases[i].in, strlen(cases[i].in), &m);
		char buf[8];
		CASE_CHECK(rc == (cases[i].ok ? DD_OK : DD_ERR_INPUT), cases[i].name);
		if (!cases[i].ok)
			continue;
		CASE_CHECK(dd_month_year(m) == cases[i].y && dd_month_num(m) == cases[i].m,
			   cases[i].name);
		dd_month_format(m, buf);
		CASE_STR_EQ(buf, cases[i].in, cases[i].name);
	}
}

static void test_month_bounds(void **state)
{
	static const struct {
		const char *name;
		int y, m;
		const char *first, *last;
	} cases[] = {
		{ "February of a leap year", 2024, 2, "2024-02-01", "2024-02-29" },
		{ "February of a common year", 2025, 2, "2025-02-01", "2025-02-28" },
		{ "April", 2025, 4, "2025-04-01", "2025-04-30" },
		{ "December", 2025, 12, "2025-12-01", "2025-12-31" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_month m = dd_month_from_ym(cases[i].y, cases[i].m);
		CASE_CHECK(dd_month_first(m) == D(cases[i].first), cases[i].name);
		CASE_CHECK(dd_month_last(m) == D(cases[i].last), cases[i].name);
		CASE_CHECK(dd_month_of(D(cases[i].first)) == m, cases[i].name);
		CASE_CHECK(dd_month_of(D(cases[i].last)) == m, cases[i].name);
		CASE_CHECK(dd_month_of(D(cases[i].last) + 1) == m + 1, cases[i].name);
	}
}

static void test_today(void **state)
{
	time_t now;
	struct tm tm;
	dd_date clock;
	DD_UNUSED(state);

	setenv("DOUDI_TODAY", "2025-06-15", 1);
	assert_int_equal(dd_date_today(), D("2025-06-15"));

	/* a malformed override is ignored: the clock's date (unless midnight passes) */
	setenv("DOUDI_TODAY", "2025-02-29", 1);
	now = time(NULL);
	localtime_r(&now, &tm);
	clock = dd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	assert_in_range(dd_date_today(), clock, clock + 1);
	unsetenv("DOUDI_TODAY");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_epoch_values),
		cmocka_unit_test(test_round_trip_whole_range),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_month_parse),
		cmocka_unit_test(test_month_bounds),
		cmocka_unit_test(test_today),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
