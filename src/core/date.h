/*
 * date.h - calendar dates and months.
 *
 * A dd_date is the number of days since 1970-01-01 (proleptic Gregorian), so
 * date arithmetic is integer arithmetic.  A dd_month is year * 12 + (month - 1).
 * Plain values: nothing to free.
 */
#ifndef DD_DATE_H
#define DD_DATE_H

#include "dd.h"

typedef int32_t dd_date;
typedef int32_t dd_month;

#define DD_DATE_NONE INT32_MIN   /* "no date" (empty field) */

/* Years a date may have in any input: older or later ones are typing errors. */
#define DD_DATE_MIN_YEAR 1900
#define DD_DATE_MAX_YEAR 2199

/* A real calendar day with DD_DATE_MIN_YEAR <= y <= DD_DATE_MAX_YEAR. */
bool dd_date_valid_ymd(int y, int m, int d);
/* 28..31; 0 for a month outside 1..12. */
int dd_date_days_in_month(int y, int m);
/* y/m/d must be valid (dd_date_valid_ymd). */
dd_date dd_date_from_ymd(int y, int m, int d);
void dd_date_to_ymd(dd_date d, int *y, int *m, int *day);
/*
 * Parses YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (exactly; surrounding spaces are
 * the caller's business).  DD_ERR_INPUT for bad form or an impossible date
 * such as 2025-02-29.
 */
dd_rc dd_date_parse(const char *s, size_t len, dd_date *out);
/* Writes YYYY-MM-DD and a NUL into buf (11 bytes); d must lie in years 0..9999. */
void dd_date_format(dd_date d, char buf[11]);
/* Local time; $DOUDI_TODAY (YYYY-MM-DD) overrides, for tests (a malformed value is
 * logged and ignored). */
dd_date dd_date_today(void);
/*
 * Adds n months keeping the day of the month, or the month's last day when
 * that day does not exist (2025-01-31 + 1 month = 2025-02-28).
 */
dd_date dd_date_add_months(dd_date d, int n);
/* Whole years from birth to at (age on a birthday counts the new year; born on
 * 29 Feb, a year older on 1 March in a common year).  Negative when at < birth. */
int dd_date_age(dd_date birth, dd_date at);

dd_month dd_month_of(dd_date d);
dd_month dd_month_from_ym(int y, int m);
int dd_month_year(dd_month m);
int dd_month_num(dd_month m);       /* 1..12 */
dd_date dd_month_first(dd_month m);
dd_date dd_month_last(dd_month m);
/* Parses YYYY-MM exactly (years as dd_date_valid_ymd); DD_ERR_INPUT otherwise. */
dd_rc dd_month_parse(const char *s, size_t len, dd_month *out);
/* Writes YYYY-MM and a NUL (8 bytes). */
void dd_month_format(dd_month m, char buf[8]);

#endif
