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
 * Parsing (CSV, typing, ID checks) runs on its own thread and hands
 * settlements over in batches through a ring of MED_QUEUE slots; the
 * calling thread adds them up.  The two halves cost about the same, so on
 * two cores the read takes about half the time.
 */
enum { MED_BATCH = 4096, MED_QUEUE = 4 };

typedef struct med_batch {
	med_rec rec[MED_BATCH];
	size_t n;
	dd_buf names;         /* the batch's names, back to back */
} med_batch;

typedef struct med_queue {
	pthread_mutex_t mu;
	pthread_cond_t changed;
	med_batch slot[MED_QUEUE];
	size_t head, tail;    /* batches published by the parser, batches summed */
	bool done;            /* the parser has published its last batch */
	bool stop;            /* the summing side failed: the parser quits */
	bool threaded;        /* false: the parser sums each batch itself */
	dd_rc rc;             /* the parser's result, err its message */
	dd_err err;
} med_queue;

/*
 * Rows of a streamed kind wait in chunks of PUT_CHUNK (about 40 MB with their text), to be
 * written sorted by ID.
 */
enum { PUT_CHUNK = 1 << 18 };

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
	put_chunk chunk;      /* streamed kinds */
	/* medical only */
	med_map med;
	med_queue *q;
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
 * Writes the waiting rows in ID order (file order among equal IDs): the
 * table's (batch_id, id_key) index is then appended to and its (id_key)
 * index filled at neighbouring pages, instead of both at random ones.
 */
static dd_rc flush_rows(feed_ctx *c)
{
	enum { OUT = 1024 };
	dd_feed_row out[OUT];
	put_chunk *k = &c->chunk;
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

/* Queues an accepted row of a streamed kind; a full chunk is written. */
static dd_rc put_row(feed_ctx *c, const dd_row *row)
{
	const dd_schema *s = c->kind->schema;
	put_chunk *k = &c->chunk;
	dd_feed_row *r = &k->rows[k->n];
	const dd_value *name = &row->values[FEED_NAME];
	bool ok = true;

	*r = (dd_feed_row){ .id_key = row->values[FEED_ID].id.key };
	if (name->present)
		ok = (r->name = dd_arena_strndup(&k->mem, name->text, name->len)) != NULL;
	for (size_t i = FEED_FIRST_VALUE; ok && i < s->ncols; i++)
		ok = to_val(&s->cols[i], &row->values[i], &r->v[i - FEED_FIRST_VALUE], &k->mem) == DD_OK;
	if (!ok)
		return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	k->ref[k->n] = (put_ref){ r->id_key, (uint32_t)k->n };
	return ++k->n == PUT_CHUNK ? flush_rows(c) : DD_OK;
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
 * Parser side: hands the filled slot over and waits for a free one.  Without
 * a second thread it sums the batch itself.  False when the summing side
 * failed (the parser then stops).
 */
static bool med_publish(feed_ctx *c)
{
	med_queue *q = c->q;
	bool go;

	if (!q->threaded) {
		med_batch *b = &q->slot[0];
		go = med_add(c, b) == DD_OK;
		b->n = 0;
		dd_buf_reset(&b->names);
		return go;
	}
	pthread_mutex_lock(&q->mu);
	q->head++;
	pthread_cond_broadcast(&q->changed);
	while (q->head - q->tail == MED_QUEUE && !q->stop)
		pthread_cond_wait(&q->changed, &q->mu);
	go = !q->stop;
	pthread_mutex_unlock(&q->mu);
	med_batch *b = &q->slot[q->head % MED_QUEUE];
	b->n = 0;
	dd_buf_reset(&b->names);
	return go;
}

/*
 * Checks one typed settlement row into the parser's batch, handing a full
 * batch over; a settlement year outside the batch's window is a row error
 * (*ok false).  Fails only for lack of memory, on either side.
 */
static dd_rc med_check(feed_ctx *c, dd_row *row, bool *ok, dd_err *err)
{
	const dd_value *v = row->values;
	med_batch *b = &c->q->slot[c->q->threaded ? c->q->head % MED_QUEUE : 0];
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
	    (b->n == MED_BATCH && !med_publish(c)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

/* Summing side: sums published batches until the parser is done (or failed). */
static dd_rc med_consume(feed_ctx *c)
{
	med_queue *q = c->q;
	dd_rc rc = DD_OK;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->tail == q->head && !q->done)
			pthread_cond_wait(&q->changed, &q->mu);
		bool more = q->tail != q->head;
		pthread_mutex_unlock(&q->mu);
		if (!more)
			break;
		rc = med_add(c, &q->slot[q->tail % MED_QUEUE]);
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
 * Reads every row: a streamed kind's rows go to the store (after the first
 * reject under --strict, rows are only checked), medical settlements to the
 * summing side.
 */
static dd_rc read_rows(feed_ctx *c, dd_err *err)
{
	dd_row *row;
	dd_rc rc;

	while ((rc = dd_table_next(c->t, &row, err)) == DD_OK) {
		bool ok = row->nerrors == 0;
		if (ok && c->q && (rc = med_check(c, row, &ok, err)) != DD_OK)
			return rc;
		if (!ok) {
			c->res->rejected++;
			continue;
		}
		c->res->rows++;
		if (!c->q && !(c->in->strict && c->res->rejected) && (rc = put_row(c, row)) != DD_OK)
			return rc;
	}
	if (rc == DD_DONE && !c->q && !(c->in->strict && c->res->rejected))
		rc = flush_rows(c);
	return rc == DD_DONE ? DD_OK : rc;
}

/* The parser: reads the file, then hands over its last, partial batch. */
static void *med_parse(void *arg)
{
	feed_ctx *c = arg;
	med_queue *q = c->q;
	dd_rc rc = read_rows(c, &q->err);

	if (!q->threaded) {
		if (rc == DD_OK && q->slot[0].n && !med_publish(c))
			rc = dd_err_set(&q->err, DD_ERR_NOMEM, "内存不足");
		q->rc = rc;
		return NULL;
	}
	pthread_mutex_lock(&q->mu);
	q->rc = rc;
	if (rc == DD_OK && q->slot[q->head % MED_QUEUE].n)
		q->head++;
	q->done = true;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Medical: parses on a second thread (when one can be had) while this one sums. */
static dd_rc read_medical(feed_ctx *c)
{
	med_queue *q = c->q;
	pthread_t parser;
	dd_rc rc = DD_OK;

	q->threaded = pthread_create(&parser, NULL, med_parse, c) == 0;
	if (q->threaded) {
		rc = med_consume(c);
		pthread_join(parser, NULL);
	} else {
		med_parse(c);
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
		rc = c->q ? read_medical(c) : read_rows(c, c->err);
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
	dd_arena_init(&c.chunk.mem, 1 << 20);
	if (strcmp(c.kind->name, "medical")) {
		c.chunk.rows = malloc(PUT_CHUNK * sizeof *c.chunk.rows);
		c.chunk.ref = malloc(PUT_CHUNK * sizeof *c.chunk.ref);
		if (!c.chunk.rows || !c.chunk.ref)
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	} else if (!(c.q = calloc(1, sizeof *c.q))) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	} else {
		pthread_mutex_init(&c.q->mu, NULL);
		pthread_cond_init(&c.q->changed, NULL);
		for (int i = 0; i < MED_QUEUE; i++)
			dd_buf_init(&c.q->slot[i].names, 0);
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
	if (c.q) {
		for (int i = 0; i < MED_QUEUE; i++)
			dd_buf_release(&c.q->slot[i].names);
		pthread_mutex_destroy(&c.q->mu);
		pthread_cond_destroy(&c.q->changed);
		free(c.q);
	}
	free(c.med.e);
	free(c.chunk.rows);
	free(c.chunk.ref);
	dd_arena_release(&c.chunk.mem);
	dd_arena_release(&c.names);
	return rc;
}
