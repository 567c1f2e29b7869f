/* fuzz_money.c - dd_money_parse on arbitrary bytes: what it accepts must
 * format and parse back to the same amount, grouped or not. */
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

#define ASSERT(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dd_fen v, again;
	char plain[32], grouped[40];
	dd_money_status st = dd_money_parse((const char *)data, size, &v);

	ASSERT(dd_money_status_text(st) != NULL);
	if (st != DD_MONEY_OK)
		return 0;
	ASSERT(v >= -DD_MONEY_MAX && v <= DD_MONEY_MAX);
	dd_money_format(v, plain);
	ASSERT(dd_money_parse(plain, strlen(plain), &again) == DD_MONEY_OK && again == v);
	dd_money_format_grouped(v, grouped);
	ASSERT(dd_money_parse(grouped, strlen(grouped), &again) == DD_MONEY_OK && again == v);
	return 0;
}
