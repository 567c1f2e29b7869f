/*
 * money.h - money as integer fen (分).  No floating point anywhere.
 */
#ifndef DD_MONEY_H
#define DD_MONEY_H

#include "dd.h"

typedef int64_t dd_fen;

/* Largest amount accepted from text: 10^15 yuan, far beyond any real figure. */
#define DD_MONEY_MAX ((dd_fen)100000000000000000LL)

typedef enum {
	DD_MONEY_OK = 0,
	DD_MONEY_EMPTY,       /* empty text */
	DD_MONEY_BAD,         /* not a number */
	DD_MONEY_DECIMALS,    /* more than two decimals */
	DD_MONEY_RANGE        /* beyond DD_MONEY_MAX */
} dd_money_status;

/*
 * Parses a yuan amount: optional leading '-', digits, optional '.' followed
 * by at most two digits ("12", "12.5", "12.50", "-3.01", ".5" = 50 fen).
 * Thousands separators ',' between digit groups are accepted ("12,345.67")
 * because Excel writes them, but only in true groups of three ("1,23" is BAD).
 * Leading/trailing ASCII spaces are ignored.  Refused as DD_MONEY_BAD: '+',
 * "12." (a point with no digits), exponents, full-width digits.  Three or more
 * decimals are DD_MONEY_DECIMALS even when they are zeros ("1.230"): the
 * format says a third decimal is an error.  *out is set only on DD_MONEY_OK.
 */
dd_money_status dd_money_parse(const char *s, size_t len, dd_fen *out);
const char *dd_money_status_text(dd_money_status st);   /* Chinese reason */

/* Writes "-12345.67" (no separators, always two decimals) and a NUL; any int64,
 * INT64_MIN included.  dd_money_parse reads the text back for |v| <= DD_MONEY_MAX. */
void dd_money_format(dd_fen v, char buf[32]);
/* Writes "12,345.67" with separators, for people. */
void dd_money_format_grouped(dd_fen v, char buf[40]);

/* Checked arithmetic: false on overflow, *out untouched. */
bool dd_money_add(dd_fen a, dd_fen b, dd_fen *out);
bool dd_money_mul(dd_fen a, int64_t k, dd_fen *out);

#endif
