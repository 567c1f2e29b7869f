/* date.c - days since 1970-01-01, months, parsing and formatting. */
#include "date.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

bool dd_date_valid_ymd(int y, int m, int d)
{
	return y >= DD_DATE_MIN_YEAR && y <= DD_DATE_MAX_YEAR && m >= 1 && m <= 12 &&
	       d >= 1 && d <= dd_date_days_in_month(y, m);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int dd_date_days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* days_from_civil (H. Hinnant): March-based years put the leap day last. */
dd_date dd_date_from_ymd(int y, int m, int d)
{
	int yy = m <= 2 ? y - 1 : y;
	int era = (yy >= 0 ? yy : yy - 399) / 400;
	int yoe = yy - era * 400;
	int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* civil_from_days (H. Hinnant), the inverse of dd_date_from_ymd. */
void dd_date_to_ymd(dd_date d, int *y, int *m, int *day)
{
	int z = d + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int mm = mp < 10 ? mp + 3 : mp - 9;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*m = mm;
	*y = yoe + era * 400 + (mm <= 2);
}

/* Reads n ASCII digits; -1 when any is not a digit. */
static int read_digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Writes v as exactly n digits (v >= 0 and small enough). */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

dd_rc dd_date_parse(const char *s, size_t len, dd_date *out)
{
	dd_rc ret = DD_ERR_INPUT;
	int y, m, d;

	if (len == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
		y = read_digits(s, 4);
		m = read_digits(s + 5, 2);
		d = read_digits(s + 8, 2);
	} else if (len == 8) {
		y = read_digits(s, 4);
		m = read_digits(s + 4, 2);
		d = read_digits(s + 6, 2);
	} else {
		goto done;
	}
	/* read_digits' -1 is caught here too: no month or day is negative */
	if (!dd_date_valid_ymd(y, m, d))
		goto done;
	*out = dd_date_from_ymd(y, m, d);
	ret = DD_OK;
done:
	return ret;
}

void dd_date_format(dd_date d, char buf[11])
{
	int y, m, day;
	dd_date_to_ymd(d, &y, &m, &day);
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, day, 2);
	buf[10] = '\0';
}

dd_date dd_date_today(void)
{
	const char *env = getenv("DOUDI_TODAY");
	dd_date d;
	time_t now;
	struct tm tm;

	if (env && *env) {
		if (dd_date_parse(env, strlen(env), &d) == DD_OK)
			goto done;
		dd_log_warn("DOUDI_TODAY=%s is no YYYY-MM-DD date; using the clock", env);
	}
	/*
	 * Every ID parsed checks its birth date against today, a million times
	 * per import: convert the clock (timezone work) once per second only.
	 */
	static _Thread_local time_t cached_at = -1;
	static _Thread_local dd_date cached;
	now = time(NULL);
	if (now != cached_at) {
		localtime_r(&now, &tm);
		cached = dd_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		cached_at = now;
	}
	d = cached;
done:
	return d;
}

dd_date dd_date_add_months(dd_date d, int n)
{
	int y, m, day;
	dd_month target;

	dd_date_to_ymd(d, &y, &m, &day);
	target = dd_month_from_ym(y, m) + n;
	y = dd_month_year(target);
	m = dd_month_num(target);
	return dd_date_from_ymd(y, m, DD_MIN(day, dd_date_days_in_month(y, m)));
}

/*
 * Comparing (month, day) pairs makes a 29 Feb birthday fall on 1 March in a
 * common year: 02-28 is still before 02-29, 03-01 is not.
 */
int dd_date_age(dd_date birth, dd_date at)
{
	int by, bm, bd, ay, am, ad;
	int age;

	dd_date_to_ymd(birth, &by, &bm, &bd);
	dd_date_to_ymd(at, &ay, &am, &ad);
	age = ay - by;
	if (am < bm || (am == bm && ad < bd))
		age--;
	return age;
}

dd_month dd_month_of(dd_date d)
{
	int y, m, day;
	dd_date_to_ymd(d, &y, &m, &day);
	return dd_month_from_ym(y, m);
}

dd_month dd_month_from_ym(int y, int m)
{
	return y * 12 + (m - 1);
}

int dd_month_year(dd_month m)
{
	return m / 12;
}

int dd_month_num(dd_month m)
{
	return m % 12 + 1;
}

dd_date dd_month_first(dd_month m)
{
	return dd_date_from_ymd(dd_month_year(m), dd_month_num(m), 1);
}

dd_date dd_month_last(dd_month m)
{
	int y = dd_month_year(m), mm = dd_month_num(m);
	return dd_date_from_ymd(y, mm, dd_date_days_in_month(y, mm));
}

dd_rc dd_month_parse(const char *s, size_t len, dd_month *out)
{
	dd_rc ret = DD_ERR_INPUT;
	int y, m;

	if (len != 7 || s[4] != '-')
		goto done;
	y = read_digits(s, 4);
	m = read_digits(s + 5, 2);
	if (!dd_date_valid_ymd(y, m, 1))
		goto done;
	*out = dd_month_from_ym(y, m);
	ret = DD_OK;
done:
	return ret;
}

void dd_month_format(dd_month m, char buf[8])
{
	put_digits(buf, dd_month_year(m), 4);
	buf[4] = '-';
	put_digits(buf + 5, dd_month_num(m), 2);
	buf[7] = '\0';
}
