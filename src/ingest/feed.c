/*
 * feed.c - `doudi feed import`: department feed batches (FORMATS.md §3), one
 * file or several in one transaction.
 *
 * Unlike the registry, a feed row stands alone: nothing found later in the
 * file can refuse an earlier row.  So rows stream from the table reader
 * straight into the store inside the import's one transaction, and memory
 * stays flat however long the file is; --strict (or a malformed file
 * midway) rolls the transaction back.  Medical settlements are the
 * exception: the rules read only yearly sums, so they are added up per
 * (person, calendar year of settle_date) in a hash map while the file
 * streams, and only the sums are written (docs/internals/feeds.md).
 *
 * Parser threads (two when there are several files and cores) read the
 * files, each taking the next unread file, while the calling thread, which
 * owns the store, writes what they hand over in file order: a streamed
 * kind's rows chunk by chunk, a medical file's sums once the file is read.
 * So files are parsed two at a time and parsing overlaps writing.
 */
#include "../core/dd.h"
#include "../core/map.h"
#include "ingest.h"
#include "ingest_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A medical sum's key: the ID key times 16 plus the settlement year's place
 * in the batch's window (settle year - batch year + 14).  dd_id_key stays
 * below 1.1e18, so sixteen years fit in 64 bits exactly: the fourteen years
 * before the batch's, its own, and the year after (a batch of December
 * holding January's first settlements).  Keys sort as (person, year), the
 * table's order.  A valid ID's key is never 0, so 0 marks an empty slot.
 */
#define MED_YEARS 16

/*
 * One person-year, key and sums side by side: an update touches one cache
 * line instead of a map's key array, value array and a separate entry.
 */
typedef struct med_sum {
	uint64_t key;         /* 0: empty slot */
	int64_t hosp_fen, outp_fen;
	int32_t hosp_visits, outp_visits;
	const char *name;     /* the first name seen, in the slot's arena */
} med_sum;

/* Open addressing, linear probing, at most three quarters full. */
typedef struct med_map {
	med_sum *e;           /* map_alloc'd */
	size_t cap, n;        /* cap: a power of two */
} med_map;

/*
 * The settlement row a parser has read but not yet added to its sum: each
 * row's map entry is prefetched while the next row is parsed, so the cache
 * miss of a random probe (one a row: at 10 M persons the map is ≈ 320 MB)
 * is waited for once per row at most, not parsed and waited for in turn.
 */
typedef struct med_pend {
	uint64_t key;         /* 0: none */
	int64_t fen;
	bool hosp;
	bool named;
	uint32_t name_len;
	const char *long_name;  /* a name too long for `name`, already in the slot's arena */
	char name[64];
} med_pend;

/*
 * What a parser hands over to the writer, through its ring of NSLOTS: a
 * chunk of up to PUT_CHUNK rows of a streamed kind (about 6 MB with their
 * text), or a medical file's person-year sums (the writer sorts them).  One
 * slot is written while the parser fills the other.  Smaller chunks overlap
 * more of the parse with the writes; larger ones keep the (batch_id, id_key)
 * inserts closer together (16 k, 32 k and 64 k rows measured the same).
 */
enum { PUT_CHUNK = 1 << 15, NSLOTS = 2 };

/*
 * Parser threads at most.  Each holds NSLOTS slots: at 10 M persons a
 * month's sums are ≈ 320 MB a slot, so more parsers would cost memory (the
 * goal is < 4 GB) for a writer that is then the slower side anyway.
 */
enum { MAX_PARSERS = 2 };

typedef struct put_ref {
	uint64_t key;         /* the row's id_key */
	uint32_t i;           /* index into rows: file order */
} put_ref;

typedef struct slot {
	size_t file;          /* index of the file the slot belongs to */
	bool last;            /* the file's last slot: the writer ends its batch */
	dd_arena mem;         /* the rows' text, or the sums' names */
	dd_feed_row *rows;    /* streamed kinds: PUT_CHUNK each, allocated on first use */
	put_ref *ref, *ref_tmp;   /* ref_tmp: the radix sort's second buffer */
	size_t n;
	med_map med;          /* medical */
} slot;

struct feed_ctx;

/*
 * One parser thread and its ring.  head/tail/done/rc are under the
 * context's mutex; the rest is the parser's own until it is done.
 */
typedef struct parser {
	struct feed_ctx *c;
	pthread_t thread;
	slot slot[NSLOTS];
	size_t head, tail;    /* slots published, slots written */
	bool done;            /* it has published its last slot, or failed */
	dd_rc rc;             /* its result; err its message */
	dd_err err;
	size_t failed;        /* the file it failed on (rc != DD_OK) */
	size_t cur;           /* the file being read */
	med_pend pend;        /* medical: the row read last, not yet summed */
	med_map sort_tmp;     /* the radix sort's second buffer, kept for the next file */
	int64_t parse_us, wait_us, sort_us;   /* all its time; waiting for a free slot; sorting */
} parser;

/* One file of the import. */
typedef struct feed_file {
	const dd_feed_in *in;
	const dd_feed_kind *kind;
	dd_feed_result *res;
	dd_errfile *ef;
	dd_table *t;
	int batch_year;
	bool medical;
	size_t est_rows;      /* from the file's size: the medical map is sized for it at once */
	bool begun;           /* writer: its import row and batch exist */
	int64_t import_id;
	parser *by;           /* the parser reading it; NULL until taken (under the mutex) */
} feed_file;

typedef struct feed_ctx {
	dd_store *st;
	feed_file *f;
	size_t nf;
	dd_err *err;          /* the writer's */
	pthread_mutex_t mu;
	pthread_cond_t changed;
	size_t next;          /* the next file a parser takes (under mu) */
	size_t running;       /* parser threads not done (under mu) */
	bool stop;            /* the writer failed or quit: parsers stop (under mu) */
	bool threaded;        /* false: one parser, run by the writer, uses each slot itself */
	atomic_bool discard;  /* a --strict file had a bad row: from then on rows are only checked */
	parser p[MAX_PARSERS];
	size_t np;            /* parsers in use */
	/* where the time goes (µs, logged) */
	int64_t write_us;     /* writer: using slots */
} feed_ctx;

/*
 * A typed cell as the value its table column holds (NULL when empty); text
 * is copied into `mem`, where it waits with its row to be written.
 */
static dd_rc to_val(const dd_column *c, const dd_value *v, dd_feed_val *out, dd_arena *mem)
{
	char *date;

	out->type = v->present ? DD_FV_INT : DD_FV_NULL;
	if (!v->present)
		return DD_OK;
	switch (c->type) {
	case DD_T_MONEY:
		out->i = v->v.fen;
		break;
	case DD_T_INT:
		out->i = v->v.i;
		break;
	case DD_T_BOOL:
		out->i = v->v.b;
		break;
	case DD_T_DATE:
		if (!(date = dd_arena_alloc(mem, 11)))
			return DD_ERR_NOMEM;
		dd_date_format(v->v.date, date);
		out->type = DD_FV_TEXT;
		out->s = date;
		break;
	default:
		out->type = DD_FV_TEXT;
		if (!(out->s = dd_arena_strndup(mem, v->text, v->len)))
			return DD_ERR_NOMEM;
		break;
	}
	return DD_OK;
}

static med_sum *med_find(med_map *m, uint64_t key)
{
	size_t i = dd_hash_u64(key) & (m->cap - 1);

	while (m->e[i].key && m->e[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->e[i];
}

/*
 * Zeroed memory for cap entries: mapped, 2 MB aligned and on transparent
 * huge pages where the kernel allows (THP "madvise" is the Debian default):
 * random probes into hundreds of MB on 4 KB pages miss the TLB on nearly
 * every row.
 */
static med_sum *map_alloc(size_t cap)
{
	const size_t huge = 2u << 20;
	size_t bytes = cap * sizeof(med_sum), span = bytes + huge;
	char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	char *a = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (p + span > a + bytes)
		munmap(a + bytes, (size_t)(p + span - (a + bytes)));
#ifdef MADV_HUGEPAGE
	madvise(a, bytes, MADV_HUGEPAGE);
#endif
	return (med_sum *)a;
}

static void map_free(med_map *m)
{
	if (m->e)
		munmap(m->e, m->cap * sizeof *m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

/* Makes the table (at least) `cap` entries (a power of two), rehashing what it holds; false on no memory. */
static bool med_resize(med_map *m, size_t cap)
{
	med_map g = { .cap = cap, .n = m->n };

	if (!(g.e = map_alloc(g.cap)))
		return false;
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key)
			*med_find(&g, m->e[i].key) = m->e[i];
	map_free(m);
	*m = g;
	return true;
}

/* Doubles the table (or makes the first one); false on no memory. */
static bool med_grow(med_map *m)
{
	return med_resize(m, m->cap ? m->cap * 2 : 1 << 16);
}

/*
 * Sizes an empty table for a file of about `rows` settlements (every row a
 * new person-year at worst), so it is not rehashed four or five times as it
 * fills; capped at 16 M entries (640 MB), beyond which it grows as needed.
 */
static bool med_presize(med_map *m, size_t rows)
{
	size_t cap = 1 << 16, want = rows / 3 * 4 + 1;

	while (cap < want && cap < (size_t)1 << 24)
		cap *= 2;
	return cap <= m->cap || med_resize(m, cap);
}

/* ID order, then year: the primary key's order. */
static int by_key(const void *pa, const void *pb)
{
	const med_sum *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

/*
 * Sorts e[0..n) by its field `key`, stably: LSD radix sort, 11 bits a pass
 * over only the bits where keys differ (a county's IDs share their leading digits: ≈ 44 bits,
 * four passes), using tmp (room for n) as the other buffer.  2 048 buckets
 * keep the scatter's write streams in cache; 16-bit digits (65 536 streams)
 * made each pass a cache and TLB miss a row.  A month of a 10 M-person
 * county is ≈ 3.8 M sums; qsort took ≈ 3 s a file.  Also a streamed kind's
 * chunk of rows by ID: stable, so file order among equal IDs stays (qsort of
 * (ID, line) was 4 % of the county import's CPU).
 */
#define RADIX_SORT(name, type)                                                 \
static void name(type *e, size_t n, type *tmp)                                 \
{                                                                              \
	enum { BITS = 11, B = 1 << BITS, MAXP = (64 + BITS - 1) / BITS };      \
	_Static_assert(MAXP * BITS >= 64, "digits cover the key");             \
	size_t count[MAXP][B];                                                 \
	uint64_t diff = 0;                                                     \
	type *src = e, *dst = tmp;                                             \
                                                                               \
	for (size_t i = 1; i < n; i++)                                         \
		diff |= e[i].key ^ e[0].key;                                   \
	int passes = 0;                                                        \
	while (passes < MAXP && diff >> (passes * BITS))                       \
		passes++;                                                      \
	memset(count, 0, sizeof count);                                        \
	for (size_t i = 0; i < n; i++)                                         \
		for (int d = 0; d < passes; d++)                               \
			count[d][e[i].key >> (d * BITS) & (B - 1)]++;          \
	for (int d = 0; d < passes; d++) {                                     \
		size_t *c = count[d], sum = 0;                                 \
		for (size_t b = 0; b < B; b++) {                               \
			size_t k = c[b];                                       \
			c[b] = sum;                                            \
			sum += k;                                              \
		}                                                              \
		for (size_t i = 0; i < n; i++)                                 \
			dst[c[src[i].key >> (d * BITS) & (B - 1)]++] = src[i]; \
		type *t = src;                                                 \
		src = dst;                                                     \
		dst = t;                                                       \
	}                                                                      \
	if (src != e)                                                          \
		memcpy(e, src, n * sizeof *e);                                 \
}

RADIX_SORT(sort_sums, med_sum)
RADIX_SORT(sort_refs, put_ref)

/*
 * Moves the sums to the front of the map, sorted by key (tmp: the sort's
 * second buffer, kept for the next file): the map is then a list for the writer, and cheap to empty (med_clear) for the next file.
 */
static void med_sort(med_map *m, med_map *tmp)
{
	size_t n = 0;

	/* a vacated entry is zeroed whole: the next file's sums start from it */
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		if (i != n) {
			m->e[n] = m->e[i];
			m->e[i] = (med_sum){ 0 };
		}
		n++;
	}
	if (n > tmp->cap) {
		map_free(tmp);
		if ((tmp->e = map_alloc(m->cap)))
			tmp->cap = m->cap;
	}
	if (n > tmp->cap)   /* no memory for the second buffer */
		qsort(m->e, n, sizeof *m->e, by_key);
	else if (n)
		sort_sums(m->e, n, tmp->e);
}

/* Empties a map that med_sort has made a list (the parser does it: the writer is the busier side). */
static void med_clear(med_map *m)
{
	if (m->n)
		memset(m->e, 0, m->n * sizeof *m->e);
	m->n = 0;
}

/*
 * Writes a chunk's rows in ID order (file order among equal IDs; publish
 * sorted them): its (batch_id, id_key) index entries then land at
 * neighbouring pages instead of random ones.
 */
static dd_rc write_rows(feed_ctx *c, feed_file *f, slot *k)
{
	enum { OUT = 1024 };
	dd_feed_row out[OUT];
	dd_rc rc = DD_OK;

	for (size_t i = 0; i < k->n && rc == DD_OK; i += OUT) {
		size_t n = k->n - i < OUT ? k->n - i : OUT;
		for (size_t j = 0; j < n; j++)
			out[j] = k->rows[k->ref[i + j].i];
		rc = dd_store_feed_put(c->st, f->kind->name, f->res->batch_id, out, n, c->err);
	}
	f->res->stored += rc == DD_OK ? (int64_t)k->n : 0;
	return rc;
}

/*
 * Writes a medical file's person-year sums, which the parser sorted into the
 * store's (id_key, year) order, a chunk of rows per store call; then empties
 * the map for the parser's next file.
 */
static dd_rc write_medical(feed_ctx *c, feed_file *f, med_map *m)
{
	enum { CHUNK = 1024 };
	dd_feed_row rows[CHUNK];
	dd_rc rc = DD_OK;

	memset(rows, 0, sizeof rows);
	for (size_t i = 0; i < m->n && rc == DD_OK; i += CHUNK) {
		size_t k = m->n - i < CHUNK ? m->n - i : CHUNK;
		for (size_t j = 0; j < k; j++) {
			const med_sum *e = &m->e[i + j];
			dd_feed_row *r = &rows[j];
			/* names lie in the arena in arrival order, not key order: a miss each, overlapped */
			if (i + j + 16 < m->n && m->e[i + j + 16].name)
				__builtin_prefetch(m->e[i + j + 16].name);
			r->id_key = e->key / MED_YEARS;
			r->name = e->name;
			r->v[0] = (dd_feed_val){ .type = DD_FV_INT,
						 .i = f->batch_year - (MED_YEARS - 2) + (int)(e->key % MED_YEARS) };
			r->v[1] = (dd_feed_val){ .type = DD_FV_INT, .i = e->hosp_fen };
			r->v[2] = (dd_feed_val){ .type = DD_FV_INT, .i = e->hosp_visits };
			r->v[3] = (dd_feed_val){ .type = DD_FV_INT, .i = e->outp_fen };
			r->v[4] = (dd_feed_val){ .type = DD_FV_INT, .i = e->outp_visits };
		}
		rc = dd_store_feed_put(c->st, f->kind->name, f->res->batch_id, rows, k, c->err);
	}
	f->res->stored = rc == DD_OK ? (int64_t)m->n : 0;
	med_clear(m);
	return rc;
}

/* Writer: the file's import row and batch (a batch is not active until its end). */
static dd_rc batch_begin(feed_ctx *c, feed_file *f)
{
	dd_rc rc = dd_store_import_begin(c->st, f->in->user, "feed", f->in->file, f->in->month,
					 &f->import_id, c->err);

	if (rc == DD_OK)
		rc = dd_store_feed_begin(c->st, f->import_id, f->kind->name, f->in->month,
					 &f->res->batch_id, c->err);
	f->begun = rc == DD_OK;
	return rc;
}

/* Writer: activates the batch (replacing the month's previous one) and closes its import row. */
static dd_rc batch_end(feed_ctx *c, feed_file *f)
{
	dd_rc rc = dd_store_feed_end(c->st, f->res->batch_id, f->res->rows, f->res->rejected,
				     &f->res->replaced, c->err);

	if (rc == DD_OK)
		rc = dd_store_import_end(c->st, f->import_id, f->res->rows, f->res->rejected, c->err);
	return rc;
}

/*
 * The writer's work on a slot: begins its file's batch on the file's first
 * slot, writes the rows or sums, ends the batch on the file's last slot.
 * The slot is then empty again; *last tells whether it ended its file.
 */
static dd_rc use_slot(feed_ctx *c, slot *k, bool *last)
{
	feed_file *f = &c->f[k->file];
	int64_t t0 = dd_clock_us();
	dd_rc rc = f->begun ? DD_OK : batch_begin(c, f);

	if (rc == DD_OK)
		rc = f->medical ? write_medical(c, f, &k->med) : write_rows(c, f, k);
	if (rc == DD_OK && k->last)
		rc = batch_end(c, f);
	*last = k->last;
	k->n = 0;
	k->last = false;
	dd_arena_reset(&k->mem);
	c->write_us += dd_clock_us() - t0;
	return rc;
}

/* The slot the parser fills now. */
static slot *slot_now(parser *p)
{
	return &p->slot[p->c->threaded ? p->head % NSLOTS : 0];
}

/*
 * Parser side: sorts a chunk's rows for the writer (the busier side), hands
 * the filled slot over and waits for a free one.  Without threads it uses
 * the slot itself.  False when the writer failed or quit (the parser then
 * stops).
 */
static bool publish(parser *p)
{
	feed_ctx *c = p->c;
	slot *k = slot_now(p);
	bool go = true, last;

	if (k->n)
		sort_refs(k->ref, k->n, k->ref_tmp);
	if (!c->threaded) {
		c->stop = use_slot(c, k, &last) != DD_OK;
		go = !c->stop;
	} else {
		int64_t t0 = dd_clock_us();
		pthread_mutex_lock(&c->mu);
		p->head++;
		pthread_cond_broadcast(&c->changed);
		while (p->head - p->tail == NSLOTS && !c->stop)
			pthread_cond_wait(&c->changed, &c->mu);
		go = !c->stop;
		pthread_mutex_unlock(&c->mu);
		p->wait_us += dd_clock_us() - t0;
	}
	slot_now(p)->file = p->cur;
	return go;
}

/* Queues an accepted row of a streamed kind; a full chunk is handed over. */
static dd_rc put_row(parser *p, const feed_file *f, const dd_row *row, dd_err *err)
{
	const dd_schema *s = f->kind->schema;
	slot *k = slot_now(p);
	dd_feed_row *r;
	const dd_value *name = &row->values[FEED_NAME];
	bool ok = true;

	if (!k->rows && (!(k->rows = malloc(PUT_CHUNK * sizeof *k->rows)) ||
			 !(k->ref = malloc(PUT_CHUNK * sizeof *k->ref)) ||
			 !(k->ref_tmp = malloc(PUT_CHUNK * sizeof *k->ref_tmp))))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	r = &k->rows[k->n];
	*r = (dd_feed_row){ .id_key = row->values[FEED_ID].id.key };
	if (name->present)
		ok = (r->name = dd_arena_strndup(&k->mem, name->text, name->len)) != NULL;
	for (size_t i = FEED_FIRST_VALUE; ok && i < s->ncols; i++)
		ok = to_val(&s->cols[i], &row->values[i], &r->v[i - FEED_FIRST_VALUE], &k->mem) == DD_OK;
	if (!ok)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	k->ref[k->n] = (put_ref){ r->id_key, (uint32_t)k->n };
	if (++k->n == PUT_CHUNK && !publish(p))
		return dd_err_set(err, DD_ERR_IO, "写入中止");
	return DD_OK;
}

/* Adds the parser's pending settlement to its person-year sum.  Fails only for lack of memory. */
static dd_rc med_apply(parser *p, dd_err *err)
{
	med_pend *q = &p->pend;
	slot *k = slot_now(p);
	med_map *m = &k->med;

	if (!q->key)
		return DD_OK;
	if (4 * (m->n + 1) > 3 * m->cap && !med_grow(m))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	med_sum *e = med_find(m, q->key);
	if (!e->key) {
		e->key = q->key;
		m->n++;
		if (q->named && !(e->name = q->long_name ? q->long_name
					    : dd_arena_strndup(&k->mem, q->name, q->name_len)))
			return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	}
	if (q->hosp) {
		e->hosp_fen += q->fen;
		e->hosp_visits++;
	} else {
		e->outp_fen += q->fen;
		e->outp_visits++;
	}
	q->key = 0;
	return DD_OK;
}

/*
 * Checks one typed settlement row; a settlement year outside the batch's
 * window is a row error (*ok false).  A good row becomes the pending one
 * (its map entry prefetched), after the previous pending row is summed.
 * Fails only for lack of memory.
 */
static dd_rc med_check(parser *p, const feed_file *f, dd_row *row, bool *ok, dd_err *err)
{
	const dd_value *v = row->values;
	med_map *m = &slot_now(p)->med;
	med_pend *q = &p->pend;
	int y, mo, d;
	dd_rc rc;

	dd_date_to_ymd(v[MED_SETTLE_DATE].v.date, &y, &mo, &d);
	int off = y - f->batch_year + MED_YEARS - 2;
	*ok = off >= 0 && off < MED_YEARS;
	if (!*ok)
		return dd_table_row_error(f->t, row, MED_SETTLE_DATE,
					  "结算日期与批次月份相差超过15年，或晚于批次的下一年");
	uint64_t key = v[FEED_ID].id.key * MED_YEARS + (uint64_t)off;
	if (m->cap)
		__builtin_prefetch(&m->e[dd_hash_u64(key) & (m->cap - 1)], 1);
	if ((rc = med_apply(p, err)) != DD_OK)
		return rc;
	/* field by field: the name buffer is not cleared a row */
	q->key = key;
	q->fen = v[MED_SELF_PAID].v.fen;
	q->hosp = !strcmp(v[MED_VISIT_TYPE].text, "住院");
	q->named = v[FEED_NAME].present;
	q->long_name = NULL;
	if (!q->named)
		return DD_OK;
	q->name_len = (uint32_t)v[FEED_NAME].len;
	if (v[FEED_NAME].len <= sizeof q->name)
		memcpy(q->name, v[FEED_NAME].text, v[FEED_NAME].len);
	else if (!(q->long_name = dd_arena_strndup(&slot_now(p)->mem, v[FEED_NAME].text, v[FEED_NAME].len)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

/* Progress of file i, from any parser: the callback is not expected to be thread-safe. */
static void progress(feed_ctx *c, const feed_file *f, size_t i, int64_t n)
{
	if (c->threaded)
		pthread_mutex_lock(&c->mu);
	f->in->progress(f->in->progress_arg, (int)i, n);
	if (c->threaded)
		pthread_mutex_unlock(&c->mu);
}

/*
 * Parser: reads every row of a file, queuing a streamed kind's rows (after
 * the first reject under --strict, rows are only checked) or adding up
 * medical settlements, then hands over the file's last slot.
 */
static dd_rc read_file(parser *p, feed_file *f, dd_err *err)
{
	feed_ctx *c = p->c;
	dd_row *row;
	int64_t n = 0;
	dd_rc rc;

	if (f->medical && !med_presize(&slot_now(p)->med, f->est_rows))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	while ((rc = dd_table_next(f->t, &row, err)) == DD_OK) {
		bool ok = row->nerrors == 0;
		if (++n % DD_INGEST_PROGRESS_EVERY == 0 && f->in->progress)
			progress(c, f, p->cur, n);
		if (ok && f->medical && (rc = med_check(p, f, row, &ok, err)) != DD_OK)
			return rc;
		if (!ok) {
			f->res->rejected++;
			if (f->in->strict)
				atomic_store(&c->discard, true);
			continue;
		}
		f->res->rows++;
		if (!f->medical && !atomic_load(&c->discard) && (rc = put_row(p, f, row, err)) != DD_OK)
			return rc;
	}
	if (rc != DD_DONE || (f->medical && (rc = med_apply(p, err)) != DD_OK))
		return rc;
	/*
	 * The parser sorts the sums: the writer is the side the parsers wait for
	 * (county and 10 M persons alike; sorting on the writer when it looked
	 * idle made it the bottleneck at 10 M: 4.5 s of its 20.5).
	 */
	if (f->medical) {
		int64_t t0 = dd_clock_us();
		med_sort(&slot_now(p)->med, &p->sort_tmp);
		p->sort_us += dd_clock_us() - t0;
	}
	slot_now(p)->last = true;
	return publish(p) ? DD_OK : dd_err_set(err, DD_ERR_IO, "写入中止");
}

/*
 * A parser: takes the next unread file until none is left (or the writer
 * stopped), so files are read in order by each parser and two at a time.
 */
static void *parse(void *arg)
{
	parser *p = arg;
	feed_ctx *c = p->c;
	int64_t t0 = dd_clock_us();
	dd_rc rc = DD_OK;

	for (;;) {
		size_t i;
		if (c->threaded)
			pthread_mutex_lock(&c->mu);
		bool more = !c->stop && c->next < c->nf;
		if (more) {
			i = c->next++;
			c->f[i].by = p;
			if (c->threaded)
				pthread_cond_broadcast(&c->changed);
		}
		if (c->threaded)
			pthread_mutex_unlock(&c->mu);
		if (!more)
			break;
		p->cur = i;
		slot_now(p)->file = i;
		if ((rc = read_file(p, &c->f[i], &p->err)) != DD_OK) {
			p->failed = i;
			break;
		}
	}
	p->parse_us = dd_clock_us() - t0;
	if (c->threaded)
		pthread_mutex_lock(&c->mu);
	p->rc = rc;
	p->done = true;
	c->running--;
	if (c->threaded) {
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->mu);
	}
	return NULL;
}

/*
 * Writer: writes the files in order, each from the ring of the parser that
 * reads it.  That parser's ring holds its earlier files' slots first, so the
 * file being written is never behind a full ring.  Stops at the first
 * failure of either side.
 */
static dd_rc consume(feed_ctx *c)
{
	dd_rc rc = DD_OK;
	bool ok = true;

	for (size_t i = 0; i < c->nf && ok; i++) {
		bool last = false;
		pthread_mutex_lock(&c->mu);
		while (!c->f[i].by && c->running)
			pthread_cond_wait(&c->changed, &c->mu);
		parser *p = c->f[i].by;
		pthread_mutex_unlock(&c->mu);
		while (p && !last && ok) {
			pthread_mutex_lock(&c->mu);
			while (p->tail == p->head && !p->done)
				pthread_cond_wait(&c->changed, &c->mu);
			ok = p->tail != p->head;
			pthread_mutex_unlock(&c->mu);
			if (!ok)
				break;   /* the parser failed before finishing file i */
			rc = use_slot(c, &p->slot[p->tail % NSLOTS], &last);
			ok = rc == DD_OK;
			pthread_mutex_lock(&c->mu);
			p->tail++;
			pthread_cond_broadcast(&c->changed);
			pthread_mutex_unlock(&c->mu);
		}
		ok &= p != NULL;
	}
	/*
	 * After a failure, wakes a parser waiting for a slot and stops it.  Not
	 * after success: a parser may still be returning from handing over its
	 * last slot, and would take the stop for a failure.
	 */
	if (!ok) {
		pthread_mutex_lock(&c->mu);
		c->stop = true;
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->mu);
	}
	return rc;
}

/* Parser threads, one per file up to MAX_PARSERS and the cores. */
static size_t parsers_wanted(size_t nf)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cores > 1 ? (size_t)cores : 1;

	n = n < MAX_PARSERS ? n : MAX_PARSERS;
	return nf < n ? (nf ? nf : 1) : n;
}

/*
 * Parses on parser threads (when they can be had) while this one writes
 * what they hand over; without any thread, parses and writes here.  The
 * error reported is the writer's, else that of the first file a parser
 * failed on.
 */
static dd_rc read_all(feed_ctx *c)
{
	size_t want = parsers_wanted(c->nf);
	dd_rc rc = DD_OK;
	parser *bad = NULL;

	/* set before any parser starts: they read it from their first row */
	c->threaded = true;
	c->running = want;
	for (c->np = 0; c->np < want; c->np++)
		if (pthread_create(&c->p[c->np].thread, NULL, parse, &c->p[c->np]) != 0)
			break;
	if (c->np) {
		pthread_mutex_lock(&c->mu);
		c->running -= want - c->np;   /* the ones that did not start */
		pthread_mutex_unlock(&c->mu);
		rc = consume(c);
		for (size_t i = 0; i < c->np; i++)
			pthread_join(c->p[i].thread, NULL);
	} else {
		c->threaded = false;
		c->np = 1;
		c->running = 1;
		parse(&c->p[0]);
		if (c->stop)   /* the writer's own error is in c->err */
			rc = c->err->rc;
	}
	for (size_t i = 0; i < c->np; i++)
		if (c->p[i].rc != DD_OK && (!bad || c->p[i].failed < bad->failed))
			bad = &c->p[i];
	/* with several files, say which one */
	if (rc == DD_OK && bad && c->nf > 1)
		rc = dd_err_set(c->err, bad->rc, "%s：%s", c->f[bad->failed].in->file, bad->err.msg);
	else if (rc == DD_OK && bad)
		rc = dd_err_set(c->err, bad->rc, "%s", bad->err.msg);
	return rc;
}

static dd_rc import(feed_ctx *c)
{
	int64_t rejected = 0, parse_us = 0, wait_us = 0, psort_us = 0;
	dd_rc rc = dd_store_begin(c->st, c->err);

	if (rc != DD_OK)
		return rc;
	int64_t t0 = dd_clock_us();
	rc = read_all(c);
	int64_t t1 = dd_clock_us();
	for (size_t i = 0; i < c->nf; i++)
		rejected += c->f[i].res->rejected;
	if (rc == DD_OK && atomic_load(&c->discard))
		rc = dd_err_set(c->err, DD_ERR_INPUT, "有 %lld 行数据错误（见错误文件），使用了 --strict，未写入任何数据",
				(long long)rejected);
	if (rc == DD_OK)
		rc = dd_store_commit(c->st, c->err);
	for (size_t i = 0; i < c->np; i++) {
		parse_us += c->p[i].parse_us;
		wait_us += c->p[i].wait_us;
		psort_us += c->p[i].sort_us;
	}
	/* parse includes hashing the medical sums; without threads, it includes the writes too */
	dd_log_info("feed import of %zu file(s): read and write %lld ms (%zu parser(s): parse %lld,"
		    " of which sorting sums %lld, waiting for the writer %lld; writer: write %lld),"
		    " commit %lld ms", c->nf, (long long)(t1 - t0) / 1000, c->np,
		    (long long)(parse_us - wait_us) / 1000, (long long)psort_us / 1000,
		    (long long)wait_us / 1000, (long long)c->write_us / 1000,
		    (long long)(dd_clock_us() - t1) / 1000);
	if (rc != DD_OK)
		dd_store_rollback(c->st);
	return rc;
}

/* Checks a file's kind and month and opens it (its header is checked here). */
static dd_rc open_file(feed_file *f, dd_err *err)
{
	const dd_feed_in *in = f->in;
	dd_month month;
	dd_rc rc;

	f->kind = dd_feed_kind_find(in->kind);
	if (!f->kind)
		return dd_err_set(err, DD_ERR_USAGE,
				  "未知的比对数据类型：%s（应为 medical disability death pension unemployment "
				  "license orphan subsidy incident disaster fp kin 之一）", in->kind ? in->kind : "");
	if (!in->month || strlen(in->month) != 7 || dd_month_parse(in->month, 7, &month) != DD_OK)
		return dd_err_set(err, DD_ERR_USAGE, "--month 须为 YYYY-MM 格式的月份");
	f->batch_year = dd_month_year(month);
	f->medical = !strcmp(f->kind->name, "medical");
	/* a medical CSV row is ≈ 75 bytes; a smaller guess only over-sizes the map a little */
	struct stat sb;
	if (f->medical && stat(in->file, &sb) == 0)
		f->est_rows = (size_t)sb.st_size / 64;
	rc = dd_errfile_open(&f->ef, in->file, err);
	if (rc == DD_OK)
		rc = dd_table_open(&f->t, in->file, f->kind->schema, f->ef, err);
	return rc;
}

/* Closes a file's table and error file, noting the error file's path; the first failure wins. */
static dd_rc close_file(feed_file *f, dd_rc rc, dd_err *err)
{
	dd_table_close(f->t);
	if (f->ef) {
		if (dd_errfile_errors(f->ef))
			snprintf(f->res->errfile, sizeof f->res->errfile, "%s", dd_errfile_path(f->ef));
		dd_err e2 = { 0 };
		if (dd_errfile_close(f->ef, &e2) != DD_OK && rc == DD_OK)
			rc = dd_err_set(err, e2.rc, "%s", e2.msg);
	}
	return rc;
}

dd_rc dd_ingest_feeds(dd_store *st, const dd_feed_in *in, size_t n, dd_feed_result *res, dd_err *err)
{
	feed_ctx c = { .st = st, .nf = n, .err = err };
	dd_rc rc = DD_OK;

	memset(res, 0, n * sizeof *res);
	if (!(c.f = calloc(n ? n : 1, sizeof *c.f)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.changed, NULL);
	atomic_init(&c.discard, false);
	for (size_t i = 0; i < MAX_PARSERS; i++) {
		c.p[i].c = &c;
		for (int j = 0; j < NSLOTS; j++)
			dd_arena_init(&c.p[i].slot[j].mem, 1 << 20);
	}

	/* every header is checked before the transaction: a file-level problem writes nothing */
	for (size_t i = 0; i < n && rc == DD_OK; i++) {
		c.f[i] = (feed_file){ .in = &in[i], .res = &res[i] };
		rc = open_file(&c.f[i], err);
	}
	if (rc == DD_OK)
		rc = import(&c);
	for (size_t i = 0; i < n; i++) {
		rc = close_file(&c.f[i], rc, err);
		if (rc != DD_OK)
			res[i].batch_id = 0;
	}

	pthread_mutex_destroy(&c.mu);
	pthread_cond_destroy(&c.changed);
	for (size_t i = 0; i < MAX_PARSERS; i++) {
		map_free(&c.p[i].sort_tmp);
		for (int j = 0; j < NSLOTS; j++) {
			slot *k = &c.p[i].slot[j];
			free(k->rows);
			free(k->ref);
			free(k->ref_tmp);
			map_free(&k->med);
			dd_arena_release(&k->mem);
		}
	}
	free(c.f);
	return rc;
}

dd_rc dd_ingest_feed(dd_store *st, const dd_feed_in *in, dd_feed_result *res, dd_err *err)
{
	return dd_ingest_feeds(st, in, 1, res, err);
}
