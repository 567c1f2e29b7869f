/*
 * feed.c - `doudi feed import KIND --month YYYY-MM FILE`: one department
 * feed batch (FORMATS.md §3).
 *
 * Unlike the registry, a feed row stands alone: nothing found later in the
 * file can refuse an earlier row.  So rows stream from the table reader
 * straight into the store inside the import's one transaction, and memory
 * stays flat however long the file is; --strict (or a malformed file
 * midway) rolls the transaction back.  Medical settlements are the
 * exception: the rules read only yearly sums, so they are added up per
 * (person, calendar year of settle_date) in a hash map while the file
 * streams, and only the sums are written (docs/internals/feeds.md).
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
	const char *name;     /* the first name seen, in the import's arena */
} med_sum;

/* Open addressing, linear probing, at most three quarters full. */
typedef struct med_map {
	med_sum *e;
	size_t cap, n;        /* cap: a power of two */
} med_map;

/* One checked settlement, as the parsing thread hands it over. */
typedef struct med_rec {
	uint64_t key;
	int64_t fen;
	uint32_t name_off, name_len;   /* into the batch's names; name_len 0: no name */
	bool hosp;
} med_rec;

/*
 * Parsing (CSV, typing, ID checks) runs on its own thread and hands its
 * work over in slots of a ring; the calling thread, which owns the store,
 * uses them: medical settlements in batches of MED_BATCH through MED_QUEUE
 * slots, to be summed; a streamed kind's rows in chunks of PUT_CHUNK through
 * PUT_QUEUE, to be written while the next chunk is parsed.
 */
enum { MED_BATCH = 4096, MED_QUEUE = 4 };

typedef struct med_batch {
	med_rec rec[MED_BATCH];
	size_t n;
	dd_buf names;         /* the batch's names, back to back */
} med_batch;

typedef struct handover {
	pthread_mutex_t mu;
	pthread_cond_t changed;
	size_t nslots;
	size_t head, tail;    /* slots published by the parser, slots used */
	bool done;            /* the parser has published its last slot */
	bool stop;            /* the using side failed: the parser quits */
	bool threaded;        /* false: the parser uses each slot itself */
	dd_rc rc;             /* the parser's result, err its message */
	dd_err err;
} handover;

/*
 * Rows of a streamed kind wait in chunks of PUT_CHUNK (about 6 MB with their
 * text), to be written sorted by ID; two chunks, so that one is parsed while
 * the other is written.  Smaller chunks overlap more of the parse with the
 * writes; larger ones keep the (batch_id, id_key) inserts closer together.
 */
enum { PUT_CHUNK = 1 << 15, PUT_QUEUE = 2 };

typedef struct put_ref {
	uint64_t id_key;
	uint32_t i;           /* index into rows: file order */
} put_ref;

typedef struct put_chunk {
	dd_feed_row *rows;    /* PUT_CHUNK each */
	put_ref *ref;
	size_t n;
	dd_arena mem;         /* the waiting rows' text */
} put_chunk;

typedef struct feed_ctx {
	dd_store *st;
	const dd_feed_in *in;
	const dd_feed_kind *kind;
	dd_feed_result *res;
	dd_err *err;
	dd_table *t;
	int batch_year;
	int64_t batch_id;
	bool medical;
	handover q;
	put_chunk chunk[PUT_QUEUE];   /* streamed kinds */
	/* medical only */
	med_batch *mslot;             /* MED_QUEUE */
	med_map med;
	dd_arena names;
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
 * Writes a chunk's rows in ID order (file order among equal IDs): its
 * (batch_id, id_key) index entries then land at neighbouring pages instead
 * of random ones.
 */
static dd_rc flush_rows(feed_ctx *c, put_chunk *k)
{
	enum { OUT = 1024 };
	dd_feed_row out[OUT];
	dd_rc rc = DD_OK;

	qsort(k->ref, k->n, sizeof *k->ref, by_id_then_line);
	for (size_t i = 0; i < k->n && rc == DD_OK; i += OUT) {
		size_t n = k->n - i < OUT ? k->n - i : OUT;
		for (size_t j = 0; j < n; j++)
			out[j] = k->rows[k->ref[i + j].i];
		rc = dd_store_feed_put(c->st, c->kind->name, c->batch_id, out, n, c->err);
	}
	c->res->stored += rc == DD_OK ? (int64_t)k->n : 0;
	k->n = 0;
	dd_arena_reset(&k->mem);
	return rc;
}

/* The slot the parser fills now. */
static size_t slot_now(const handover *q)
{
	return q->threaded ? q->head % q->nslots : 0;
}

/* The using side's work on a slot: sums a medical batch or writes a chunk. */
static dd_rc med_add(feed_ctx *c, const med_batch *b);

static dd_rc use_slot(feed_ctx *c, size_t i)
{
	if (c->medical) {
		med_batch *b = &c->mslot[i];
		dd_rc rc = med_add(c, b);
		b->n = 0;
		dd_buf_reset(&b->names);
		return rc;
	}
	return flush_rows(c, &c->chunk[i]);
}

/*
 * Parser side: hands the filled slot over and waits for a free one.  Without
 * a second thread it uses the slot itself.  False when the using side
 * failed (the parser then stops).
 */
static bool publish(feed_ctx *c)
{
	handover *q = &c->q;
	bool go;

	if (!q->threaded)
		return use_slot(c, 0) == DD_OK;
	pthread_mutex_lock(&q->mu);
	q->head++;
	pthread_cond_broadcast(&q->changed);
	while (q->head - q->tail == q->nslots && !q->stop)
		pthread_cond_wait(&q->changed, &q->mu);
	go = !q->stop;
	pthread_mutex_unlock(&q->mu);
	return go;
}

/* Queues an accepted row of a streamed kind; a full chunk is handed over. */
static dd_rc put_row(feed_ctx *c, const dd_row *row, dd_err *err)
{
	const dd_schema *s = c->kind->schema;
	put_chunk *k = &c->chunk[slot_now(&c->q)];
	dd_feed_row *r = &k->rows[k->n];
	const dd_value *name = &row->values[FEED_NAME];
	bool ok = true;

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

/* Adds a batch of settlements to their person-year sums. */
static dd_rc med_add(feed_ctx *c, const med_batch *b)
{
	med_map *m = &c->med;

	for (size_t i = 0; i < b->n; i++) {
		const med_rec *r = &b->rec[i];
		if (4 * (m->n + 1) > 3 * m->cap && !med_grow(m))
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
		med_sum *e = med_find(m, r->key);
		if (!e->key) {
			e->key = r->key;
			m->n++;
			if (r->name_len &&
			    !(e->name = dd_arena_strndup(&c->names, b->names.data + r->name_off, r->name_len)))
				return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
		}
		if (r->hosp) {
			e->hosp_fen += r->fen;
			e->hosp_visits++;
		} else {
			e->outp_fen += r->fen;
			e->outp_visits++;
		}
	}
	return DD_OK;
}

/*
 * Checks one typed settlement row into the parser's batch, handing a full
 * batch over; a settlement year outside the batch's window is a row error
 * (*ok false).  Fails only for lack of memory, on either side.
 */
static dd_rc med_check(feed_ctx *c, dd_row *row, bool *ok, dd_err *err)
{
	const dd_value *v = row->values;
	med_batch *b = &c->mslot[slot_now(&c->q)];
	int y, m, d;

	dd_date_to_ymd(v[MED_SETTLE_DATE].v.date, &y, &m, &d);
	int off = y - c->batch_year + MED_YEARS - 2;
	*ok = off >= 0 && off < MED_YEARS;
	if (!*ok)
		return dd_table_row_error(c->t, row, MED_SETTLE_DATE,
					  "结算日期与批次月份相差超过15年，或晚于批次的下一年");
	med_rec *r = &b->rec[b->n++];
	*r = (med_rec){
		.key = v[FEED_ID].id.key * MED_YEARS + (uint64_t)off,
		.fen = v[MED_SELF_PAID].v.fen,
		.name_off = (uint32_t)b->names.len,
		.name_len = v[FEED_NAME].present ? (uint32_t)v[FEED_NAME].len : 0,
		.hosp = !strcmp(v[MED_VISIT_TYPE].text, "住院"),
	};
	if ((r->name_len && dd_buf_append(&b->names, v[FEED_NAME].text, r->name_len) != DD_OK) ||
	    (b->n == MED_BATCH && !publish(c)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

/* Using side: uses published slots until the parser is done (or failed). */
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
		rc = use_slot(c, q->tail % q->nslots);
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

/* ID order, then year: the primary key's order. */
static int by_key(const void *pa, const void *pb)
{
	const med_sum *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

/*
 * Writes the person-year sums, a chunk of rows per store call, in primary
 * key order, so the table's B-tree is appended to.  The map is unusable
 * after the sort (its entries are moved to the front); nothing reads it any
 * more.
 */
static dd_rc write_medical(feed_ctx *c)
{
	enum { CHUNK = 1024 };
	dd_feed_row *rows = calloc(CHUNK, sizeof *rows);
	med_sum *e = c->med.e;
	size_t n = 0;
	dd_rc rc = DD_OK;

	if (!rows)
		return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	for (size_t i = 0; i < c->med.cap; i++)
		if (e[i].key)
			e[n++] = e[i];
	qsort(e, n, sizeof *e, by_key);
	for (size_t i = 0; i < n && rc == DD_OK; i += CHUNK) {
		size_t k = n - i < CHUNK ? n - i : CHUNK;
		for (size_t j = 0; j < k; j++) {
			const med_sum *m = &e[i + j];
			dd_feed_row *r = &rows[j];
			r->id_key = m->key / MED_YEARS;
			r->name = m->name;
			r->v[0] = (dd_feed_val){ .type = DD_FV_INT,
						 .i = c->batch_year - (MED_YEARS - 2) + (int)(m->key % MED_YEARS) };
			r->v[1] = (dd_feed_val){ .type = DD_FV_INT, .i = m->hosp_fen };
			r->v[2] = (dd_feed_val){ .type = DD_FV_INT, .i = m->hosp_visits };
			r->v[3] = (dd_feed_val){ .type = DD_FV_INT, .i = m->outp_fen };
			r->v[4] = (dd_feed_val){ .type = DD_FV_INT, .i = m->outp_visits };
		}
		rc = dd_store_feed_put(c->st, c->kind->name, c->batch_id, rows, k, c->err);
	}
	c->res->stored = rc == DD_OK ? (int64_t)n : 0;
	free(rows);
	return rc;
}

/*
 * Reads every row: a streamed kind's rows to the writing side (after the
 * first reject under --strict, rows are only checked), medical settlements
 * to the summing side.
 */
static dd_rc read_rows(feed_ctx *c, dd_err *err)
{
	dd_row *row;
	dd_rc rc;

	while ((rc = dd_table_next(c->t, &row, err)) == DD_OK) {
		bool ok = row->nerrors == 0;
		if (ok && c->medical && (rc = med_check(c, row, &ok, err)) != DD_OK)
			return rc;
		if (!ok) {
			c->res->rejected++;
			continue;
		}
		c->res->rows++;
		if (!c->medical && !(c->in->strict && c->res->rejected) && (rc = put_row(c, row, err)) != DD_OK)
			return rc;
	}
	return rc == DD_DONE ? DD_OK : rc;
}

/* The last, partial slot is worth handing over (none is after a --strict reject). */
static bool last_slot_used(const feed_ctx *c, size_t i)
{
	if (c->medical)
		return c->mslot[i].n > 0;
	return c->chunk[i].n > 0 && !(c->in->strict && c->res->rejected);
}

/* The parser: reads the file, then hands over its last, partial slot. */
static void *parse(void *arg)
{
	feed_ctx *c = arg;
	handover *q = &c->q;
	dd_rc rc = read_rows(c, &q->err);

	if (!q->threaded) {
		if (rc == DD_OK && last_slot_used(c, 0) && (rc = use_slot(c, 0)) != DD_OK)
			dd_err_set(&q->err, rc, "%s", c->err->msg);
		q->rc = rc;
		return NULL;
	}
	pthread_mutex_lock(&q->mu);
	q->rc = rc;
	if (rc == DD_OK && last_slot_used(c, q->head % q->nslots))
		q->head++;
	q->done = true;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/*
 * Parses on a second thread (when one can be had) while this one sums or
 * writes what the parser hands over.
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
	}
	if (rc == DD_OK && q->rc != DD_OK)
		rc = dd_err_set(c->err, q->rc, "%s", q->err.msg);
	return rc;
}

static dd_rc import(feed_ctx *c)
{
	int64_t import_id;
	dd_rc rc = dd_store_begin(c->st, c->err);

	if (rc != DD_OK)
		return rc;
	rc = dd_store_import_begin(c->st, c->in->user, "feed", c->in->file, c->in->month, &import_id,
				   c->err);
	if (rc == DD_OK)
		rc = dd_store_feed_begin(c->st, import_id, c->kind->name, c->in->month, &c->batch_id, c->err);
	int64_t t0 = dd_clock_us();
	if (rc == DD_OK)
		rc = read_all(c);
	int64_t t1 = dd_clock_us();
	if (rc == DD_OK && c->in->strict && c->res->rejected)
		rc = dd_err_set(c->err, DD_ERR_INPUT, "有 %lld 行数据错误（见错误文件），使用了 --strict，未写入任何数据",
				(long long)c->res->rejected);
	if (rc == DD_OK && c->med.n)
		rc = write_medical(c);
	if (rc == DD_OK)
		rc = dd_store_feed_end(c->st, c->batch_id, c->res->rows, c->res->rejected, &c->res->replaced,
				       c->err);
	if (rc == DD_OK)
		rc = dd_store_import_end(c->st, import_id, c->res->rows, c->res->rejected, c->err);
	if (rc == DD_OK)
		rc = dd_store_commit(c->st, c->err);
	dd_log_info("feed import %s %s: read %lld ms, write and commit %lld ms", c->kind->name,
		    c->in->month, (long long)(t1 - t0) / 1000, (long long)(dd_clock_us() - t1) / 1000);
	if (rc != DD_OK)
		dd_store_rollback(c->st);
	return rc;
}

dd_rc dd_ingest_feed(dd_store *st, const dd_feed_in *in, dd_feed_result *res, dd_err *err)
{
	feed_ctx c = { .st = st, .in = in, .res = res, .err = err };
	dd_errfile *ef = NULL;
	dd_month month;
	dd_rc rc = DD_OK;

	memset(res, 0, sizeof *res);
	c.kind = dd_feed_kind_find(in->kind);
	if (!c.kind)
		return dd_err_set(err, DD_ERR_USAGE,
				  "未知的比对数据类型：%s（应为 medical disability death pension unemployment "
				  "license orphan subsidy incident disaster fp kin 之一）", in->kind ? in->kind : "");
	if (!in->month || strlen(in->month) != 7 || dd_month_parse(in->month, 7, &month) != DD_OK)
		return dd_err_set(err, DD_ERR_USAGE, "--month 须为 YYYY-MM 格式的月份");
	c.batch_year = dd_month_year(month);
	dd_arena_init(&c.names, 1 << 20);
	c.medical = !strcmp(c.kind->name, "medical");
	c.q.nslots = c.medical ? MED_QUEUE : PUT_QUEUE;
	pthread_mutex_init(&c.q.mu, NULL);
	pthread_cond_init(&c.q.changed, NULL);
	for (int i = 0; i < PUT_QUEUE; i++)
		dd_arena_init(&c.chunk[i].mem, 1 << 20);
	if (!c.medical) {
		for (int i = 0; i < PUT_QUEUE && rc == DD_OK; i++) {
			c.chunk[i].rows = malloc(PUT_CHUNK * sizeof *c.chunk[i].rows);
			c.chunk[i].ref = malloc(PUT_CHUNK * sizeof *c.chunk[i].ref);
			if (!c.chunk[i].rows || !c.chunk[i].ref)
				rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		}
	} else if (!(c.mslot = calloc(MED_QUEUE, sizeof *c.mslot))) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	} else {
		for (int i = 0; i < MED_QUEUE; i++)
			dd_buf_init(&c.mslot[i].names, 0);
	}

	/* the header is checked before the transaction: a file-level problem writes nothing */
	if (rc == DD_OK)
		rc = dd_errfile_open(&ef, in->file, err);
	if (rc == DD_OK)
		rc = dd_table_open(&c.t, in->file, c.kind->schema, ef, err);
	if (rc == DD_OK)
		rc = import(&c);
	if (rc == DD_OK)
		res->batch_id = c.batch_id;

	dd_table_close(c.t);
	if (ef) {
		if (dd_errfile_errors(ef))
			snprintf(res->errfile, sizeof res->errfile, "%s", dd_errfile_path(ef));
		dd_err e2 = { 0 };
		if (dd_errfile_close(ef, &e2) != DD_OK && rc == DD_OK)
			rc = dd_err_set(err, e2.rc, "%s", e2.msg);
	}
	if (c.mslot)
		for (int i = 0; i < MED_QUEUE; i++)
			dd_buf_release(&c.mslot[i].names);
	free(c.mslot);
	pthread_mutex_destroy(&c.q.mu);
	pthread_cond_destroy(&c.q.changed);
	free(c.med.e);
	for (int i = 0; i < PUT_QUEUE; i++) {
		free(c.chunk[i].rows);
		free(c.chunk[i].ref);
		dd_arena_release(&c.chunk[i].mem);
	}
	dd_arena_release(&c.names);
	return rc;
}
