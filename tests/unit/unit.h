/*
 * unit.h - included by every cmocka unit test.
 *
 * Table-driven tests: a static array of cases, each with a `name` that says
 * which rule or boundary it covers, and one test function that walks it and
 * reports the failing case by name.
 */
#ifndef DD_UNIT_H
#define DD_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/dd.h"
#include "core/date.h"

/* A date written as text in a test table; a typo must fail loudly. */
static inline dd_date D(const char *s)
{
	dd_date d = 0;
	assert_int_equal(dd_date_parse(s, strlen(s), &d), DD_OK);
	return d;
}

/* Fails the test naming the table case; use inside a loop over cases. */
#define CASE_CHECK(cond, casename)                                          \
	do {                                                                \
		if (!(cond)) {                                              \
			print_error("case \"%s\": %s\n", (casename), #cond); \
			fail();                                             \
		}                                                           \
	} while (0)

#define CASE_STR_EQ(a, b, casename)                                         \
	do {                                                                \
		const char *a_ = (a), *b_ = (b);                            \
		if (strcmp(a_, b_) != 0) {                                  \
			print_error("case \"%s\": \"%s\" != \"%s\"\n",       \
				    (casename), a_, b_);                    \
			fail();                                             \
		}                                                           \
	} while (0)

#endif
