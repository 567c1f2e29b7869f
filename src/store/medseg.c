/*
 * medseg.c - the medical segment codec (medseg.h; byte layout in
 * docs/internals/feeds.md).
 *
 * A varint is unsigned LEB128: 7 bits a byte, low groups first, the high
 * bit set on every byte but the last; at most 10 bytes for 64 bits.  The
 * decoder reads ≈ 45 M entries for a compare at 10 M persons, so its varint
 * read is inline with a one-byte fast path (most deltas, flags, years and
 * visit counts fit one byte), and it checks every byte against `end`.
 */
#include "../core/dd.h"
#include "medseg.h"

#include <string.h>

enum { F_HOSP = 1, F_OUTP = 2, F_NAME = 4, F_ALL = 7 };
/* The first entry's year is stored relative to this one. */
enum { YEAR0 = 2000 };
/* One entry without its name: key 10, flags 1, year 10, two sums 2 × 15, name length 5. */
enum { ENTRY_MAX = 56 };

static uint8_t *put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t u)
{
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

void dd_medseg_enc_init(dd_medseg_enc *e)
{
	memset(e, 0, sizeof *e);
	dd_buf_init(&e->out, 0);
}

void dd_medseg_enc_reset(dd_medseg_enc *e)
{
	dd_buf_reset(&e->out);
	e->n = 0;
	e->first_key = e->last_key = 0;
	e->last_year = 0;
}

void dd_medseg_enc_free(dd_medseg_enc *e)
{
	dd_buf_release(&e->out);
	dd_medseg_enc_reset(e);
}

dd_rc dd_medseg_enc_put(dd_medseg_enc *e, const dd_medrow *r, dd_err *err)
{
	uint8_t entry[ENTRY_MAX], *p = entry;
	uint8_t flags = (uint8_t)((r->hosp_fen || r->hosp_visits ? F_HOSP : 0) |
				  (r->outp_fen || r->outp_visits ? F_OUTP : 0) | (r->name ? F_NAME : 0));
	dd_rc rc;

	if (e->n && (r->id_key < e->last_key || (r->id_key == e->last_key && r->year <= e->last_year)))
		return dd_err_set(err, DD_ERR_INPUT, "医疗数据必须按（身份证、年度）严格递增的顺序写入");
	if (r->hosp_fen < 0 || r->outp_fen < 0 || r->hosp_visits < 0 || r->outp_visits < 0)
		return dd_err_set(err, DD_ERR_INPUT, "医疗数据的金额和次数不能为负数");
	p = put_varint(p, e->n ? r->id_key - e->last_key : r->id_key);
	*p++ = flags;
	p = put_varint(p, zigzag((int64_t)r->year - (e->n ? e->last_year : YEAR0)));
	if (flags & F_HOSP) {
		p = put_varint(p, (uint64_t)r->hosp_fen);
		p = put_varint(p, (uint64_t)r->hosp_visits);
	}
	if (flags & F_OUTP) {
		p = put_varint(p, (uint64_t)r->outp_fen);
		p = put_varint(p, (uint64_t)r->outp_visits);
	}
	if (flags & F_NAME)
		p = put_varint(p, r->name_len);
	size_t was = e->out.len;
	if ((rc = dd_buf_append(&e->out, entry, (size_t)(p - entry))) == DD_OK && r->name_len && r->name)
		rc = dd_buf_append(&e->out, r->name, r->name_len);
	if (rc != DD_OK) {
		/* the segment stays as it was: no half-written entry */
		if (e->out.data)
			e->out.data[e->out.len = was] = '\0';
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	}
	if (!e->n++)
		e->first_key = r->id_key;
	e->last_key = r->id_key;
	e->last_year = r->year;
	return DD_OK;
}

void dd_medseg_dec_init(dd_medseg_dec *d, const void *data, size_t len)
{
	d->p = data;
	d->end = data ? d->p + len : d->p;
	d->key = 0;
	d->year = YEAR0;
	d->n = 0;
}

/* Reads a varint at *pp, never at or past end: false when truncated or longer than 64 bits. */
static inline bool get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t x = 0;

	if (p < end && *p < 0x80) {
		*v = *p;
		*pp = p + 1;
		return true;
	}
	for (unsigned shift = 0; p < end; shift += 7) {
		uint8_t b = *p++;
		if (shift == 63 && b > 1)
			return false;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			*pp = p;
			return true;
		}
	}
	return false;
}

/* A pair of sums: an amount (≤ INT64_MAX) and a visit count (≤ INT32_MAX). */
static inline bool get_sums(const uint8_t **pp, const uint8_t *end, int64_t *fen, int32_t *visits)
{
	uint64_t a, v;

	if (!get_varint(pp, end, &a) || !get_varint(pp, end, &v) || a > INT64_MAX || v > INT32_MAX)
		return false;
	*fen = (int64_t)a;
	*visits = (int32_t)v;
	return true;
}

dd_rc dd_medseg_dec_next(dd_medseg_dec *d, dd_medrow *r)
{
	const uint8_t *p = d->p;
	uint64_t delta, year, len;
	uint8_t flags;

	if (p == d->end)
		return DD_DONE;
	/* a year delta beyond ±2^33 leaves int32 anyway (and would overflow the sum below) */
	if (!get_varint(&p, d->end, &delta) || p == d->end || ((flags = *p++) & ~F_ALL) ||
	    !get_varint(&p, d->end, &year) || year >> 34)
		return DD_ERR_INPUT;
	int64_t y = (int64_t)d->year + unzigzag(year);
	/* keys and years only go up: a zero key delta needs a later year */
	if (y < INT32_MIN || y > INT32_MAX || (d->n && (delta > UINT64_MAX - d->key || (!delta && y <= d->year))))
		return DD_ERR_INPUT;
	r->id_key = d->key + delta;
	r->year = (int32_t)y;
	r->hosp_fen = r->outp_fen = 0;
	r->hosp_visits = r->outp_visits = 0;
	r->name = NULL;
	r->name_len = 0;
	if ((flags & F_HOSP) && !get_sums(&p, d->end, &r->hosp_fen, &r->hosp_visits))
		return DD_ERR_INPUT;
	if ((flags & F_OUTP) && !get_sums(&p, d->end, &r->outp_fen, &r->outp_visits))
		return DD_ERR_INPUT;
	if (flags & F_NAME) {
		if (!get_varint(&p, d->end, &len) || len > (uint64_t)(d->end - p))
			return DD_ERR_INPUT;
		r->name = (const char *)p;
		r->name_len = (uint32_t)len;
		p += len;
	}
	d->p = p;
	d->key = r->id_key;
	d->year = r->year;
	d->n++;
	return DD_OK;
}
