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
 * A second thread parses (and sums) while the calling thread, which owns the
 * store, writes: a streamed kind's rows chunk by chunk, a medical file's sums
 * once the file is read.  With several files the parser goes on to the next
 * file meanwhile, so parsing and writing overlap across files too.
 */
#include "../core/dd.h"
#include "../core/map.h"
#include "ingest.h"
#include "ingest_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	med_sum *e;
	size_t cap, n;        /* cap: a power of two */
} med_map;

/*
 * What the parser hands over to the writer, through a ring of NSLOTS: a
 * chunk of up to PUT_CHUNK rows of a streamed kind (about 6 MB with their
 * text), or a medical file's person-year sums, sorted by key in med.e[0..n).
 * One slot is written while the parser fills the other.  Smaller chunks
 * overlap more of the parse with the writes; larger ones keep the
 * (batch_id, id_key) inserts closer together (16 k, 32 k and 64 k rows
 * measured the same).
 */
enum { PUT_CHUNK = 1 << 15, NSLOTS = 2 };

typedef struct put_ref {
	uint64_t id_key;
	uint32_t i;           /* index into rows: file order */
} put_ref;

typedef struct slot {
	size_t file;          /* index of the file the slot belongs to */
	bool last;            /* the file's last slot: the writer ends its batch */
	dd_arena mem;         /* the rows' text, or the sums' names */
	dd_feed_row *rows;    /* streamed kinds: PUT_CHUNK each, allocated on first use */
	put_ref *ref;
	size_t n;
	med_map med;          /* medical */
} slot;

typedef struct handover {
	pthread_mutex_t mu;
	pthread_cond_t changed;
	size_t head, tail;    /* slots published by the parser, slots used */
	bool done;            /* the parser has published its last slot */
	bool stop;            /* the writer failed: the parser quits */
	bool threaded;        /* false: the parser uses each slot itself */
	dd_rc rc;             /* the parser's result, err its message */
	dd_err err;
} handover;

/* One file of the import. */
typedef struct feed_file {
	const dd_feed_in *in;
	const dd_feed_kind *kind;
	dd_feed_result *res;
	dd_errfile *ef;
	dd_table *t;
	int batch_year;
	bool medical;
	bool begun;           /* writer: its import row and batch exist */
	int64_t import_id;
} feed_file;

typedef struct feed_ctx {
	dd_store *st;
	feed_file *f;
	size_t nf;
	dd_err *err;          /* the writer's */
	handover q;
	slot slot[NSLOTS];
	size_t cur;           /* parser: the file being read */
	bool discard;         /* parser: a --strict file had a bad row; from then on rows are only checked */
	/* where the time goes (µs, logged): each side's own */
	int64_t parse_us, sort_us, parse_wait_us;   /* parser: all, sorting sums, waiting for a slot */
	int64_t write_us;                           /* writer: using slots */
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

static int by_id_then_line(const void *pa, const void *pb)
{
	const put_ref *a = pa, *b = pb;

	if (a->id_key != b->id_key)
		return a->id_key < b->id_key ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
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
 * Writes a medical file's person-year sums, a chunk of rows per store call,
 * in primary key order, so the table's B-tree is appended to.
 */
static dd_rc write_medical(feed_ctx *c, feed_file *f, const med_map *m)
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
 * The slot is then empty again.
 */
static dd_rc use_slot(feed_ctx *c, size_t i)
{
	slot *k = &c->slot[i];
	feed_file *f = &c->f[k->file];
	int64_t t0 = dd_clock_us();
	dd_rc rc = f->begun ? DD_OK : batch_begin(c, f);

	if (rc == DD_OK)
		rc = f->medical ? write_medical(c, f, &k->med) : write_rows(c, f, k);
	if (rc == DD_OK && k->last)
		rc = batch_end(c, f);
	k->n = 0;
	k->last = false;
	dd_arena_reset(&k->mem);
	c->write_us += dd_clock_us() - t0;
	return rc;
}

/* The slot the parser fills now. */
static slot *slot_now(feed_ctx *c)
{
	return &c->slot[c->q.threaded ? c->q.head % NSLOTS : 0];
}

/*
 * Parser side: sorts a chunk's rows for the writer (the busier side), hands
 * the filled slot over and waits for a free one.  Without a second thread
 * it uses the slot itself.  False when the writer failed (the parser then
 * stops).
 */
static bool publish(feed_ctx *c)
{
	handover *q = &c->q;
	slot *k = slot_now(c);
	bool go = true;

	if (k->n)
		qsort(k->ref, k->n, sizeof *k->ref, by_id_then_line);
	if (!q->threaded) {
		q->stop = use_slot(c, 0) != DD_OK;
		go = !q->stop;
	} else {
		int64_t t0 = dd_clock_us();
		pthread_mutex_lock(&q->mu);
		q->head++;
		pthread_cond_broadcast(&q->changed);
		while (q->head - q->tail == NSLOTS && !q->stop)
			pthread_cond_wait(&q->changed, &q->mu);
		go = !q->stop;
		pthread_mutex_unlock(&q->mu);
		c->parse_wait_us += dd_clock_us() - t0;
	}
	slot_now(c)->file = c->cur;
	return go;
}

/* Queues an accepted row of a streamed kind; a full chunk is handed over. */
static dd_rc put_row(feed_ctx *c, const feed_file *f, const dd_row *row, dd_err *err)
{
	const dd_schema *s = f->kind->schema;
	slot *k = slot_now(c);
	dd_feed_row *r;
	const dd_value *name = &row->values[FEED_NAME];
	bool ok = true;

	if (!k->rows && (!(k->rows = malloc(PUT_CHUNK * sizeof *k->rows)) ||
			 !(k->ref = malloc(PUT_CHUNK * sizeof *k->ref))))
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
	if (++k->n == PUT_CHUNK && !publish(c))
		return dd_err_set(err, DD_ERR_IO, "写入中止");
	return DD_OK;
}

static med_sum *med_find(med_map *m, uint64_t key)
{
	size_t i = dd_hash_u64(key) & (m->cap - 1);

	while (m->e[i].key && m->e[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return &m->e[i];
}

/* Doubles the table (or makes the first one); false on no memory. */
static bool med_grow(med_map *m)
{
	med_map g = { .cap = m->cap ? m->cap * 2 : 1 << 16, .n = m->n };

	if (!(g.e = calloc(g.cap, sizeof *g.e)))
		return false;
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key)
			*med_find(&g, m->e[i].key) = m->e[i];
	free(m->e);
	*m = g;
	return true;
}

/*
 * Checks one typed settlement row and adds it to its person-year sum; a
 * settlement year outside the batch's window is a row error (*ok false).
 * Fails only for lack of memory.
 */
static dd_rc med_check(feed_ctx *c, const feed_file *f, dd_row *row, bool *ok, dd_err *err)
{
	const dd_value *v = row->values;
	slot *k = slot_now(c);
	med_map *m = &k->med;
	int y, mo, d;

	dd_date_to_ymd(v[MED_SETTLE_DATE].v.date, &y, &mo, &d);
	int off = y - f->batch_year + MED_YEARS - 2;
	*ok = off >= 0 && off < MED_YEARS;
	if (!*ok)
		return dd_table_row_error(f->t, row, MED_SETTLE_DATE,
					  "结算日期与批次月份相差超过15年，或晚于批次的下一年");
	if (4 * (m->n + 1) > 3 * m->cap && !med_grow(m))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	uint64_t key = v[FEED_ID].id.key * MED_YEARS + (uint64_t)off;
	med_sum *e = med_find(m, key);
	if (!e->key) {
		e->key = key;
		m->n++;
		if (v[FEED_NAME].present &&
		    !(e->name = dd_arena_strndup(&k->mem, v[FEED_NAME].text, v[FEED_NAME].len)))
			return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	}
	if (!strcmp(v[MED_VISIT_TYPE].text, "住院")) {
		e->hosp_fen += v[MED_SELF_PAID].v.fen;
		e->hosp_visits++;
	} else {
		e->outp_fen += v[MED_SELF_PAID].v.fen;
		e->outp_visits++;
	}
	return DD_OK;
}

/* ID order, then year: the primary key's order. */
static int by_key(const void *pa, const void *pb)
{
	const med_sum *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

/*
 * Sorts e[0..n) by key: LSD radix sort, 16 bits a pass, a pass skipped when
 * every key has the same digit there.  A month of a 10 M-person county is
 * ≈ 3.5 M sums: qsort took ≈ 3 s a file, a third of the parser's time.
 * Falls back to qsort without memory for the copy.
 */
static void sort_sums(med_sum *e, size_t n)
{
	enum { BITS = 16, B = 1 << BITS, PASSES = 64 / BITS };
	size_t *count = calloc((size_t)PASSES * B, sizeof *count);
	med_sum *tmp = malloc(n * sizeof *tmp), *src = e, *dst = tmp;

	if (!count || !tmp) {
		qsort(e, n, sizeof *e, by_key);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < PASSES; d++)
			count[(size_t)d * B + (e[i].key >> (d * BITS) & (B - 1))]++;
	for (int d = 0; d < PASSES; d++) {
		size_t *c = count + (size_t)d * B, sum = 0;
		if (c[e[0].key >> (d * BITS) & (B - 1)] == n)
			continue;
		for (size_t b = 0; b < B; b++) {
			size_t k = c[b];
			c[b] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			dst[c[src[i].key >> (d * BITS) & (B - 1)]++] = src[i];
		med_sum *t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, n * sizeof *e);
done:
	free(count);
	free(tmp);
}

/*
 * Moves the sums to the front of the map, sorted by key: the map is then a
 * list for the writer, and cheap to empty (med_clear) for the next file.
 */
static void med_sort(med_map *m)
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
	if (n)
		sort_sums(m->e, n);
}

/* Empties a map that med_sort has made a list (the parser does it: the writer is the busier side). */
static void med_clear(med_map *m)
{
	if (m->n)
		memset(m->e, 0, m->n * sizeof *m->e);
	m->n = 0;
}

/*
 * Parser: reads every row of a file, queuing a streamed kind's rows (after
 * the first reject under --strict, rows are only checked) or adding up
 * medical settlements, then hands over the file's last slot.
 */
static dd_rc read_file(feed_ctx *c, feed_file *f, dd_err *err)
{
	dd_row *row;
	int64_t n = 0;
	dd_rc rc;

	if (f->medical)
		med_clear(&slot_now(c)->med);
	while ((rc = dd_table_next(f->t, &row, err)) == DD_OK) {
		bool ok = row->nerrors == 0;
		if (++n % DD_INGEST_PROGRESS_EVERY == 0 && f->in->progress)
			f->in->progress(f->in->progress_arg, (int)c->cur, n);
		if (ok && f->medical && (rc = med_check(c, f, row, &ok, err)) != DD_OK)
			return rc;
		if (!ok) {
			f->res->rejected++;
			c->discard |= f->in->strict;
			continue;
		}
		f->res->rows++;
		if (!f->medical && !c->discard && (rc = put_row(c, f, row, err)) != DD_OK)
			return rc;
	}
	if (rc != DD_DONE)
		return rc;
	if (f->medical) {
		int64_t t0 = dd_clock_us();
		med_sort(&slot_now(c)->med);
		c->sort_us += dd_clock_us() - t0;
	}
	slot_now(c)->last = true;
	c->cur++;
	return publish(c) ? DD_OK : dd_err_set(err, DD_ERR_IO, "写入中止");
}

/* The parser thread: reads the files in order. */
static void *parse(void *arg)
{
	feed_ctx *c = arg;
	handover *q = &c->q;
	int64_t t0 = dd_clock_us();
	dd_rc rc = DD_OK;

	for (size_t i = 0; i < c->nf && rc == DD_OK; i++)
		rc = read_file(c, &c->f[i], &q->err);
	c->parse_us = dd_clock_us() - t0;
	if (!q->threaded) {
		q->rc = rc;
		return NULL;
	}
	pthread_mutex_lock(&q->mu);
	q->rc = rc;
	q->done = true;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Writer: uses published slots until the parser is done (or failed). */
static dd_rc consume(feed_ctx *c)
{
	handover *q = &c->q;
	dd_rc rc = DD_OK;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->tail == q->head && !q->done)
			pthread_cond_wait(&q->changed, &q->mu);
		bool more = q->tail != q->head;
		pthread_mutex_unlock(&q->mu);
		if (!more)
			break;
		rc = use_slot(c, q->tail % NSLOTS);
		pthread_mutex_lock(&q->mu);
		q->tail++;
		q->stop = rc != DD_OK;
		pthread_cond_broadcast(&q->changed);
		pthread_mutex_unlock(&q->mu);
		if (rc != DD_OK)
			break;
	}
	return rc;
}

/*
 * Parses on a second thread (when one can be had) while this one writes
 * what the parser hands over.
 */
static dd_rc read_all(feed_ctx *c)
{
	handover *q = &c->q;
	pthread_t parser;
	dd_rc rc = DD_OK;

	/* set before the parser starts: it reads it from its first row */
	q->threaded = true;
	if (pthread_create(&parser, NULL, parse, c) == 0) {
		rc = consume(c);
		pthread_join(parser, NULL);
	} else {
		q->threaded = false;
		parse(c);
		if (q->stop)   /* the writer's own error is in c->err */
			rc = c->err->rc;
	}
	if (rc == DD_OK && q->rc != DD_OK)
		rc = dd_err_set(c->err, q->rc, "%s", q->err.msg);
	return rc;
}

static dd_rc import(feed_ctx *c)
{
	int64_t rejected = 0;
	dd_rc rc = dd_store_begin(c->st, c->err);

	if (rc != DD_OK)
		return rc;
	int64_t t0 = dd_clock_us();
	rc = read_all(c);
	int64_t t1 = dd_clock_us();
	for (size_t i = 0; i < c->nf; i++)
		rejected += c->f[i].res->rejected;
	if (rc == DD_OK && c->discard)
		rc = dd_err_set(c->err, DD_ERR_INPUT, "有 %lld 行数据错误（见错误文件），使用了 --strict，未写入任何数据",
				(long long)rejected);
	if (rc == DD_OK)
		rc = dd_store_commit(c->st, c->err);
	/* parse includes hashing the medical sums; with one thread, it includes the writes too */
	dd_log_info("feed import of %zu file(s): read and write %lld ms (parser: parse %lld, sort %lld,"
		    " waiting for the writer %lld; writer: write %lld), commit %lld ms", c->nf,
		    (long long)(t1 - t0) / 1000,
		    (long long)(c->parse_us - c->sort_us - c->parse_wait_us) / 1000,
		    (long long)c->sort_us / 1000, (long long)c->parse_wait_us / 1000,
		    (long long)c->write_us / 1000, (long long)(dd_clock_us() - t1) / 1000);
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
	pthread_mutex_init(&c.q.mu, NULL);
	pthread_cond_init(&c.q.changed, NULL);
	for (int i = 0; i < NSLOTS; i++)
		dd_arena_init(&c.slot[i].mem, 1 << 20);

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

	pthread_mutex_destroy(&c.q.mu);
	pthread_cond_destroy(&c.q.changed);
	for (int i = 0; i < NSLOTS; i++) {
		free(c.slot[i].rows);
		free(c.slot[i].ref);
		free(c.slot[i].med.e);
		dd_arena_release(&c.slot[i].mem);
	}
	free(c.f);
	return rc;
}

dd_rc dd_ingest_feed(dd_store *st, const dd_feed_in *in, dd_feed_result *res, dd_err *err)
{
	return dd_ingest_feeds(st, in, 1, res, err);
}
