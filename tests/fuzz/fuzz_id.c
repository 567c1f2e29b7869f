/* fuzz_id.c - dd_id_parse on arbitrary bytes, checking what an accepted ID promises. */
#include <stdlib.h>
#include <string.h>

#include "core/id.h"

#define ASSERT(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dd_id id;
	char back[19], masked[19];
	dd_id_status st = dd_id_parse((const char *)data, size, &id);

	ASSERT(dd_id_status_text(st) != NULL);
	if (st != DD_ID_OK && st != DD_ID_BAD_CHECK)
		return 0;
	ASSERT(strlen(id.text) == 18);
	ASSERT((dd_id_check_digit(id.text) == id.text[17]) == (st == DD_ID_OK));
	ASSERT(id.key == dd_id_key(id.text));
	dd_id_unkey(id.key, back);
	ASSERT(strcmp(back, id.text) == 0);
	ASSERT(id.sex == ((id.text[16] - '0') % 2 ? 'M' : 'F'));
	ASSERT(id.birth <= dd_date_today());
	/* the mask never shows the birth date */
	dd_id_mask(id.text, masked);
	ASSERT(strlen(masked) == 18 && strspn(masked + 6, "*") == 8);
	/* an accepted ID is a fixed point: its normalised text parses to itself */
	{
		dd_id again;
		ASSERT(dd_id_parse(id.text, 18, &again) == st);
		ASSERT(again.key == id.key && again.birth == id.birth);
	}
	return 0;
}
