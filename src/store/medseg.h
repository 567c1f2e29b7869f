/*
 * medseg.h - the stored form of a medical batch: its person-year sums packed
 * into segments.
 *
 * A medical batch is millions of person-years (10 M persons: ≈ 3.8 M a
 * month) that are written once, never updated, and read whole (W01/W02 sum a
 * year's batches) or by person.  One SQLite row per person-year cost ≈ 1.2 µs
 * to write, most of a 10 M-person import; so a batch is stored as rows of
 * feed_medical_seg, each one BLOB of up to DD_MEDSEG_ROWS person-years in
 * (id_key, year) order, varint-packed (docs/internals/feeds.md has the byte
 * layout).  The virtual table feed_medical_year shows them as the rows they
 * were, for the views and for county rules.
 *
 * Encoding: an entry is
 *   varint  id_key - previous entry's id_key (the first entry: id_key itself)
 *   byte    flags: 1 hospital sums follow, 2 outpatient sums follow, 4 a name follows
 *   varint  zigzag(year - previous entry's year) (the first entry: zigzag(year - 2000))
 *   [varint hosp_fen, varint hosp_visits]       if flags & 1
 *   [varint outp_fen, varint outp_visits]       if flags & 2
 *   [varint name length, the name's bytes]      if flags & 4
 * Amounts and visits are ≥ 0 (a flag is clear when both its values are 0).
 */
#ifndef DD_MEDSEG_H
#define DD_MEDSEG_H

#include "../core/dd.h"

#include <stdint.h>

/* Person-years per segment: a segment is ≈ 100-150 KB, read in one go. */
enum { DD_MEDSEG_ROWS = 8192 };

/* One person-year of a medical batch. */
typedef struct dd_medrow {
	uint64_t id_key;
	int32_t year;
	int32_t hosp_visits, outp_visits;
	int64_t hosp_fen, outp_fen;
	const char *name;      /* NULL: none.  Decoded: points into the segment, NOT NUL-terminated */
	uint32_t name_len;
} dd_medrow;

/*
 * Encoder: one segment being built.  Rows must come in strictly increasing
 * (id_key, year) order; put refuses anything else (DD_ERR_INPUT), and
 * negative amounts or visits.  The encoder owns `out`.
 */
typedef struct dd_medseg_enc {
	dd_buf out;            /* the segment's bytes so far */
	size_t n;              /* entries in it */
	uint64_t first_key, last_key;
	int32_t last_year;
} dd_medseg_enc;

void dd_medseg_enc_init(dd_medseg_enc *e);
/* Empties the segment (keeps the memory) for the next one. */
void dd_medseg_enc_reset(dd_medseg_enc *e);
dd_rc dd_medseg_enc_put(dd_medseg_enc *e, const dd_medrow *r, dd_err *err);
void dd_medseg_enc_free(dd_medseg_enc *e);

/* Decoder over one segment's bytes (borrowed: they must outlive the decoder's rows). */
typedef struct dd_medseg_dec {
	const uint8_t *p, *end;
	uint64_t key;
	int32_t year;
	size_t n;              /* entries decoded so far */
} dd_medseg_dec;

void dd_medseg_dec_init(dd_medseg_dec *d, const void *data, size_t len);
/* DD_OK: the next entry in *r; DD_DONE: no more; DD_ERR_INPUT: the bytes are not a segment. */
dd_rc dd_medseg_dec_next(dd_medseg_dec *d, dd_medrow *r);

#endif
