/*
 * test_medseg.c - the medical segment codec (src/store/medseg.h): round
 * trips at the value and order boundaries, the documented byte layout,
 * refusals, and a decoder that never reads past its bytes (every
 * truncation, corrupt fields, random bytes; each decoded from an
 * allocation of exactly its length, so ASan sees any overread).
 */
#include "unit.h"

#include <stdlib.h>

#include "store/medseg.h"

#define NAME(s) .name = s, .name_len = sizeof(s) - 1
#define MAXROWS 8

typedef struct codec_case {
	const char *name;
	dd_medrow rows[MAXROWS];
	size_t n;
} codec_case;

static const codec_case cases[] = {
	{ "one person, two years, both sums, Chinese name",
	  { { .id_key = 230304198001010011u, .year = 2024, .hosp_fen = 123456, .hosp_visits = 2,
	      .outp_fen = 789, .outp_visits = 3, NAME("张三") },
	    { .id_key = 230304198001010011u, .year = 2025, .hosp_fen = 1, .hosp_visits = 1, NAME("张三") } },
	  2 },
	{ "key deltas 1 and huge; first key 0",
	  { { .id_key = 0, .year = 2025, .outp_fen = 5, .outp_visits = 1 },
	    { .id_key = 1, .year = 2025, .hosp_fen = 5, .hosp_visits = 1 },
	    { .id_key = UINT64_MAX, .year = 2025, .hosp_fen = 7 } },
	  3 },
	{ "no hospital sums, no outpatient sums, neither",
	  { { .id_key = 10, .year = 2025, .outp_fen = 100, .outp_visits = 1 },
	    { .id_key = 11, .year = 2025, .hosp_fen = 100, .hosp_visits = 1 },
	    { .id_key = 12, .year = 2025 },
	    { .id_key = 13, .year = 2025, .hosp_visits = 1 },
	    { .id_key = 14, .year = 2025, .outp_fen = 1 } },
	  5 },
	{ "names absent, empty, ASCII, four-byte UTF-8",
	  { { .id_key = 20, .year = 2025, .hosp_fen = 1 },
	    { .id_key = 21, .year = 2025, .hosp_fen = 1, NAME("") },
	    { .id_key = 22, .year = 2025, .hosp_fen = 1, NAME("Li Si") },
	    { .id_key = 23, .year = 2025, .hosp_fen = 1, NAME("𠀀王") } },
	  4 },
	{ "maximum amounts and visits, years at the int32 limits (one key, year deltas 2^32)",
	  { { .id_key = UINT64_MAX - 1, .year = INT32_MIN, .hosp_fen = INT64_MAX, .hosp_visits = INT32_MAX,
	      .outp_fen = INT64_MAX, .outp_visits = INT32_MAX },
	    { .id_key = UINT64_MAX - 1, .year = INT32_MAX, .hosp_fen = INT64_MAX, .hosp_visits = INT32_MAX },
	    { .id_key = UINT64_MAX, .year = INT32_MIN, .outp_fen = INT64_MAX, .outp_visits = INT32_MAX } },
	  3 },
	{ "years before and after 2000, the first entry's base",
	  { { .id_key = 5, .year = 1999, .hosp_fen = 1 }, { .id_key = 5, .year = 2000, .hosp_fen = 2 },
	    { .id_key = 6, .year = 0, .hosp_fen = 3 }, { .id_key = 7, .year = -5, .hosp_fen = 4 } },
	  4 },
	{ "one entry", { { .id_key = 42, .year = 2025, .hosp_fen = 99, .hosp_visits = 1, NAME("赵") } }, 1 },
};

/* A copy of b in an allocation of exactly len bytes (ASan: one byte past it is an error). */
static uint8_t *exact(const void *b, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	assert_non_null(p);
	if (len)
		memcpy(p, b, len);
	return p;
}

static bool same_row(const dd_medrow *a, const dd_medrow *b)
{
	return a->id_key == b->id_key && a->year == b->year && a->hosp_fen == b->hosp_fen &&
	       a->hosp_visits == b->hosp_visits && a->outp_fen == b->outp_fen &&
	       a->outp_visits == b->outp_visits && !a->name == !b->name && a->name_len == b->name_len &&
	       (!a->name || !memcmp(a->name, b->name, a->name_len));
}

static void encode(dd_medseg_enc *e, const dd_medrow *rows, size_t n)
{
	dd_err err = { 0 };
	for (size_t i = 0; i < n; i++)
		if (dd_medseg_enc_put(e, &rows[i], &err) != DD_OK)
			fail_msg("put %zu: %s", i, err.msg);
}

/* Decodes len bytes: how many entries match rows[] in order before the decoder's last code, in *last. */
static size_t decode(const void *data, size_t len, const dd_medrow *rows, size_t n, dd_rc *last)
{
	uint8_t *p = exact(data, len);
	dd_medseg_dec d;
	dd_medrow r;
	size_t k = 0;

	dd_medseg_dec_init(&d, p, len);
	while ((*last = dd_medseg_dec_next(&d, &r)) == DD_OK) {
		assert_true(k < n);
		if (!same_row(&r, &rows[k]))
			fail_msg("entry %zu differs", k);
		k++;
		assert_int_equal(d.n, k);
	}
	free(p);
	return k;
}

static void test_round_trips(void **state)
{
	(void)state;
	dd_medseg_enc e;
	dd_medseg_enc_init(&e);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const codec_case *c = &cases[i];
		dd_rc last;
		dd_medseg_enc_reset(&e);
		encode(&e, c->rows, c->n);
		CASE_CHECK(e.n == c->n, c->name);
		CASE_CHECK(e.first_key == c->rows[0].id_key, c->name);
		CASE_CHECK(e.last_key == c->rows[c->n - 1].id_key, c->name);
		CASE_CHECK(e.last_year == c->rows[c->n - 1].year, c->name);
		CASE_CHECK(decode(e.out.data, e.out.len, c->rows, c->n, &last) == c->n, c->name);
		CASE_CHECK(last == DD_DONE, c->name);
	}
	dd_medseg_enc_free(&e);
}

/* The layout of docs/internals/feeds.md, byte for byte. */
static void test_layout(void **state)
{
	(void)state;
	static const dd_medrow rows[] = {
		{ .id_key = 300, .year = 2025, .hosp_fen = 1234, .hosp_visits = 1, NAME("张") },
		{ .id_key = 301, .year = 2024, .outp_fen = 5, .outp_visits = 2 },
	};
	static const uint8_t want[] = {
		0xac, 0x02, 0x05, 0x32, 0xd2, 0x09, 0x01, 0x03, 0xe5, 0xbc, 0xa0, /* 300, hosp|name, +25 */
		0x01, 0x02, 0x01, 0x05, 0x02,                                     /* +1, outp, -1 */
	};
	dd_medseg_enc e;
	dd_medseg_enc_init(&e);
	encode(&e, rows, 2);
	assert_int_equal(e.out.len, sizeof want);
	assert_memory_equal(e.out.data, want, sizeof want);
	/* reset: the next segment starts from key 0 and year 2000 again */
	dd_medseg_enc_reset(&e);
	encode(&e, &rows[1], 1);
	static const uint8_t again[] = { 0xad, 0x02, 0x02, 0x30, 0x05, 0x02 };
	assert_int_equal(e.out.len, sizeof again);
	assert_memory_equal(e.out.data, again, sizeof again);
	dd_medseg_enc_free(&e);
}

static void test_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		dd_medrow r;
	} bad[] = {
		{ "a smaller key", { .id_key = 99, .year = 2026 } },
		{ "the same key and year (duplicate)", { .id_key = 100, .year = 2025 } },
		{ "the same key, an earlier year", { .id_key = 100, .year = 2024 } },
		{ "negative hospital amount", { .id_key = 101, .year = 2025, .hosp_fen = -1 } },
		{ "negative hospital visits", { .id_key = 101, .year = 2025, .hosp_visits = -1 } },
		{ "negative outpatient amount", { .id_key = 101, .year = 2025, .outp_fen = -1 } },
		{ "negative outpatient visits", { .id_key = 101, .year = 2025, .outp_visits = -1 } },
	};
	const dd_medrow first = { .id_key = 100, .year = 2025, .hosp_fen = 5, NAME("张三") };
	const dd_medrow next = { .id_key = 100, .year = 2026, .outp_fen = 1 };
	dd_medseg_enc e;
	dd_medseg_enc_init(&e);
	encode(&e, &first, 1);
	size_t len = e.out.len;
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		dd_err err = { 0 };
		CASE_CHECK(dd_medseg_enc_put(&e, &bad[i].r, &err) == DD_ERR_INPUT, bad[i].name);
		CASE_CHECK(err.msg[0] != '\0', bad[i].name);
		CASE_CHECK(e.n == 1 && e.out.len == len && e.last_key == 100 && e.last_year == 2025, bad[i].name);
	}
	/* the segment is still whole: a good entry goes on after the refusals */
	encode(&e, &next, 1);
	dd_medrow both[] = { first, next };
	dd_rc last;
	assert_int_equal(decode(e.out.data, e.out.len, both, 2, &last), 2);
	assert_int_equal(last, DD_DONE);
	/* the first entry of a segment may be negative in nothing either */
	dd_medseg_enc_reset(&e);
	dd_err err = { 0 };
	assert_int_equal(dd_medseg_enc_put(&e, &bad[3].r, &err), DD_ERR_INPUT);
	assert_int_equal(e.n, 0);
	dd_medseg_enc_free(&e);
}

/* Every prefix of every case's segment: the entries before the cut, then DD_DONE exactly at an entry's end. */
static void test_truncations(void **state)
{
	(void)state;
	dd_medseg_enc e;
	dd_medseg_enc_init(&e);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const codec_case *c = &cases[i];
		size_t ends[MAXROWS + 1], nends = 0;
		dd_medseg_enc_reset(&e);
		ends[nends++] = 0;
		for (size_t k = 0; k < c->n; k++) {
			encode(&e, &c->rows[k], 1);
			ends[nends++] = e.out.len;
		}
		for (size_t len = 0; len < e.out.len; len++) {
			dd_rc last;
			size_t whole = 0;   /* entries wholly inside the prefix */
			while (whole + 1 < nends && ends[whole + 1] <= len)
				whole++;
			size_t k = decode(e.out.data, len, c->rows, c->n, &last);
			CASE_CHECK(k == whole, c->name);
			CASE_CHECK(last == (len == ends[whole] ? DD_DONE : DD_ERR_INPUT), c->name);
		}
	}
	dd_medseg_enc_free(&e);
}

/* Hand-made bad bytes, each refused. */
static void test_corrupt(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint8_t b[24];
		size_t len;
		size_t ok;   /* entries decoded before the refusal */
	} bad[] = {
		{ "unknown flag bit 8", { 1, 0x08, 0 }, 3, 0 },
		{ "key varint of 11 bytes", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0 }, 13, 0 },
		{ "key varint past 64 bits (10th byte 2)", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0, 0 }, 12, 0 },
		{ "name longer than the segment", { 1, 0x04, 0, 5, 'a', 'b' }, 6, 0 },
		{ "name length of 64 bits", { 1, 0x04, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 'a' }, 14, 0 },
		{ "the same key and year twice", { 1, 0, 0, 0, 0, 0 }, 6, 1 },
		{ "the same key, an earlier year", { 1, 0, 2, 0, 0, 1 }, 6, 1 },
		{ "key delta past 2^64", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 2, 0, 0 }, 15, 1 },
		{ "year past int32", { 1, 0, 0xfe, 0xff, 0xff, 0xff, 0x1f }, 7, 0 },
		{ "year delta past int64 (fuzz)", { 1, 0, 0x8a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 12, 0 },
		{ "hospital amount past int64", { 1, 0x01, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0 }, 14, 0 },
		{ "visits past int32", { 1, 0x02, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x08 }, 9, 0 },
		{ "flags missing", { 1 }, 1, 0 },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		uint8_t *p = exact(bad[i].b, bad[i].len);
		dd_medseg_dec d;
		dd_medrow r;
		dd_rc rc;
		size_t k = 0;
		dd_medseg_dec_init(&d, p, bad[i].len);
		while ((rc = dd_medseg_dec_next(&d, &r)) == DD_OK)
			k++;
		CASE_CHECK(rc == DD_ERR_INPUT, bad[i].name);
		CASE_CHECK(k == bad[i].ok, bad[i].name);
		free(p);
	}
	/* nothing at all is an empty segment */
	dd_medseg_dec d;
	dd_medrow r;
	dd_medseg_dec_init(&d, NULL, 0);
	assert_int_equal(dd_medseg_dec_next(&d, &r), DD_DONE);
}

/*
 * Random bytes (fixed seed): the decoder ends on DD_DONE or DD_ERR_INPUT
 * within the bytes, each entry it returns is in order, and an encoder
 * given those entries decodes back to them.
 */
static void test_random_bytes(void **state)
{
	(void)state;
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t done = 0, refused = 0;
	dd_medseg_enc e;
	dd_medseg_enc_init(&e);
	for (int it = 0; it < 20000; it++) {
		uint8_t buf[96];
		size_t len = (size_t)(it % 97);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* small bytes more often: they make valid flags and short varints */
			buf[i] = (uint8_t)(x & 1 ? (x >> 8) & 7 : x >> 8);
		}
		uint8_t *p = exact(buf, len);
		dd_medseg_dec d;
		dd_medrow r, rows[96];
		size_t k = 0;
		dd_rc rc;
		dd_medseg_dec_init(&d, p, len);
		while ((rc = dd_medseg_dec_next(&d, &r)) == DD_OK) {
			assert_true(k < len);
			assert_true(d.p <= d.end);
			if (k)
				assert_true(r.id_key > rows[k - 1].id_key ||
					    (r.id_key == rows[k - 1].id_key && r.year > rows[k - 1].year));
			rows[k++] = r;
		}
		assert_true(rc == DD_DONE || rc == DD_ERR_INPUT);
		done += rc == DD_DONE;
		refused += rc == DD_ERR_INPUT;
		dd_medseg_enc_reset(&e);
		encode(&e, rows, k);
		dd_rc last;
		assert_int_equal(decode(e.out.data, e.out.len, rows, k, &last), k);
		assert_int_equal(last, DD_DONE);
		free(p);
	}
	/* the generator reaches both ends */
	assert_true(done > 100 && refused > 100);
	dd_medseg_enc_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),    cmocka_unit_test(test_layout),
		cmocka_unit_test(test_refusals),       cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_corrupt),        cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
