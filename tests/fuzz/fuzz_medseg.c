/* fuzz_medseg.c - the medical segment decoder on arbitrary bytes: it stops
 * within them (ASan), returns entries in (id_key, year) order, and what it
 * returns encodes and decodes back to the same entries. */
#include <stdlib.h>
#include <string.h>

#include "store/medseg.h"

#define ASSERT(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const dd_medrow *a, const dd_medrow *b)
{
	return a->id_key == b->id_key && a->year == b->year && a->hosp_fen == b->hosp_fen &&
	       a->hosp_visits == b->hosp_visits && a->outp_fen == b->outp_fen &&
	       a->outp_visits == b->outp_visits && !a->name == !b->name && a->name_len == b->name_len &&
	       (!a->name || !memcmp(a->name, b->name, a->name_len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dd_medseg_dec d, again;
	dd_medseg_enc e;
	dd_medrow r, back;
	dd_err err = { 0 };
	dd_rc rc;

	dd_medseg_enc_init(&e);
	dd_medseg_dec_init(&d, data, size);
	while ((rc = dd_medseg_dec_next(&d, &r)) == DD_OK) {
		ASSERT(d.p <= d.end);
		ASSERT(dd_medseg_enc_put(&e, &r, &err) == DD_OK);
	}
	ASSERT(rc == DD_DONE || rc == DD_ERR_INPUT);
	dd_medseg_dec_init(&d, data, size);
	dd_medseg_dec_init(&again, e.out.data, e.out.len);
	for (size_t i = 0; i < e.n; i++) {
		ASSERT(dd_medseg_dec_next(&d, &r) == DD_OK);
		ASSERT(dd_medseg_dec_next(&again, &back) == DD_OK && same(&r, &back));
	}
	ASSERT(dd_medseg_dec_next(&again, &back) == DD_DONE);
	dd_medseg_enc_free(&e);
	return 0;
}
