/*
 * sqlite_medseg.c - SQLite backend: a medical batch stored as packed
 * segments (medseg.h; docs/internals/feeds.md "Medical segments").
 *
 * Three parts, all on the one table feed_medical_seg:
 *   - the writer: dd_store_feed_put("medical") appends to an encoder held by
 *     the connection (sq_medw) and writes a segment row each DD_MEDSEG_ROWS
 *     entries; dd_store_feed_end writes the last, partial one;
 *   - the read-only eponymous virtual table feed_medical_year, which shows
 *     the segments' entries as the rows the table of that name used to
 *     hold, for the views, county rules and W01/W02's SQL;
 *   - dd_med_pack(...), an aggregate packing rows into one segment, with
 *     which migration feed-5-medical-segments converts the old table.
 * The table and the function are registered on every connection of the
 * process (an SQLite auto-extension, sq_feed_sql), before any migration.
 */
#include "../core/dd.h"
#include "medseg.h"
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- the writer ---- */

/*
 * A segment row holds the batch's entries twice over: all of them (data),
 * and those with hospital self-paid amounts, without their outpatient sums
 * (hosp).  W01/W02 read only hosp: ≈ 1 entry in 6 (15 % of settlements are
 * 住院), so at 10 M persons the compare decodes ≈ 7 M entries instead of 45 M
 * for ≈ 15 % more bytes written.
 */
struct sq_medw {
	dd_medseg_enc enc;
	dd_medseg_enc hosp;        /* enc's entries with hosp_fen > 0, outpatient sums left out */
	int64_t batch_id;          /* whose entries enc holds and who was written last; 0: none */
	int64_t seq;               /* the next segment's seq in that batch */
	uint64_t last_key;         /* the last entry written to a segment of the batch (seq > 0) */
	int32_t last_year;
};

void sq_feed_reset(sq *s)
{
	sq_medw *w = *sq_medw_of(s);

	if (!w)
		return;
	dd_medseg_enc_reset(&w->enc);
	dd_medseg_enc_reset(&w->hosp);
	w->batch_id = w->seq = 0;
}

void sq_feed_close(sq *s)
{
	sq_medw **w = sq_medw_of(s);

	if (!*w)
		return;
	dd_medseg_enc_free(&(*w)->enc);
	dd_medseg_enc_free(&(*w)->hosp);
	free(*w);
	*w = NULL;
}

/* Writes the entries held as the batch's next segment (none held: nothing). */
dd_rc sq_med_flush(sq *s, dd_err *err)
{
	static const char sql[] = "INSERT INTO feed_medical_seg (batch_id, seq, rows, first_key, last_key, hosp, data)"
				  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sq_medw *w = *sq_medw_of(s);
	sqlite3_stmt *q;
	dd_rc rc;

	if (!w || !w->enc.n)
		return DD_OK;
	if ((rc = sq_stmt(s, sql, &q, err)) != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, w->batch_id);
	sqlite3_bind_int64(q, 2, w->seq);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)w->enc.n);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)w->enc.first_key);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)w->enc.last_key);
	if (w->hosp.n)
		sqlite3_bind_blob64(q, 6, w->hosp.out.data, w->hosp.out.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 6);
	sqlite3_bind_blob64(q, 7, w->enc.out.data, w->enc.out.len, SQLITE_STATIC);
	rc = sq_run(s, q, err);
	sqlite3_clear_bindings(q);
	if (rc != DD_OK)
		return rc;
	w->seq++;
	w->last_key = w->enc.last_key;
	w->last_year = w->enc.last_year;
	dd_medseg_enc_reset(&w->enc);
	dd_medseg_enc_reset(&w->hosp);
	return DD_OK;
}

/*
 * Makes the writer hold batch_id: the entries of another batch are written
 * first; a batch that already has segments is refused (its rows would not
 * be one ordered run).
 */
static dd_rc med_switch(sq *s, sq_medw *w, int64_t batch_id, dd_err *err)
{
	static const char sql[] = "SELECT 1 FROM feed_medical_seg WHERE batch_id = ?1 LIMIT 1";
	sqlite3_stmt *q;
	dd_rc rc = sq_med_flush(s, err);

	if (rc == DD_OK)
		rc = sq_stmt(s, sql, &q, err);
	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, batch_id);
	rc = sq_step(s, q, err);
	sqlite3_reset(q);
	if (rc == DD_OK)
		return dd_err_set(err, DD_ERR_USAGE, "医疗数据批次 %lld 已写完，不能再追加", (long long)batch_id);
	if (rc != DD_DONE)
		return rc;
	dd_medseg_enc_reset(&w->enc);
	dd_medseg_enc_reset(&w->hosp);
	w->batch_id = batch_id;
	w->seq = 0;
	return DD_OK;
}

/* A feed row's value i as an integer in [lo, hi]. */
static bool int_in(const dd_feed_row *r, int i, int64_t lo, int64_t hi, int64_t *out)
{
	*out = r->v[i].i;
	return r->v[i].type == DD_FV_INT && *out >= lo && *out <= hi;
}

dd_rc sq_med_put(sq *s, int64_t batch_id, const dd_feed_row *rows, size_t n, dd_err *err)
{
	sq_medw **slot = sq_medw_of(s), *w = *slot;
	dd_rc rc = DD_OK;

	if (!w) {
		if (!(w = calloc(1, sizeof *w)))
			return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		dd_medseg_enc_init(&w->enc);
		dd_medseg_enc_init(&w->hosp);
		*slot = w;
	}
	if (w->batch_id != batch_id && (rc = med_switch(s, w, batch_id, err)) != DD_OK)
		return rc;
	for (size_t i = 0; i < n && rc == DD_OK; i++) {
		const dd_feed_row *r = &rows[i];
		int64_t year, hv, ov;
		dd_medrow m = { .id_key = r->id_key };
		if (!int_in(r, 0, INT32_MIN, INT32_MAX, &year) || !int_in(r, 1, INT64_MIN, INT64_MAX, &m.hosp_fen) ||
		    !int_in(r, 2, INT32_MIN, INT32_MAX, &hv) || !int_in(r, 3, INT64_MIN, INT64_MAX, &m.outp_fen) ||
		    !int_in(r, 4, INT32_MIN, INT32_MAX, &ov))
			return dd_err_set(err, DD_ERR_INPUT, "医疗数据的年度、金额和次数必须是整数");
		m.year = (int32_t)year;
		m.hosp_visits = (int32_t)hv;
		m.outp_visits = (int32_t)ov;
		/* no name and an empty one are both NULL, as the other feed tables store them */
		if (r->name && *r->name) {
			m.name = r->name;
			m.name_len = (uint32_t)strlen(r->name);
		}
		/* the order also holds across the batch's segments */
		if (!w->enc.n && w->seq && (m.id_key < w->last_key || (m.id_key == w->last_key && m.year <= w->last_year)))
			return dd_err_set(err, DD_ERR_INPUT, "医疗数据必须按（身份证、年度）严格递增的顺序写入");
		rc = dd_medseg_enc_put(&w->enc, &m, err);
		if (rc == DD_OK && m.hosp_fen > 0)
			rc = dd_medseg_enc_put(&w->hosp, &(dd_medrow){ .id_key = m.id_key, .year = m.year,
					       .hosp_fen = m.hosp_fen, .hosp_visits = m.hosp_visits,
					       .name = m.name, .name_len = m.name_len }, err);
		if (rc == DD_OK && w->enc.n == DD_MEDSEG_ROWS)
			rc = sq_med_flush(s, err);
	}
	return rc;
}

/* ---- the virtual table feed_medical_year ---- */

enum { C_BATCH, C_KEY, C_NAME, C_YEAR, C_HOSP, C_HV, C_OUTP, C_OV };

/* The segments a scan reads, by the equalities it was given (bit 1 batch_id, bit 2 id_key). */
static const char *const seg_sql[4] = {
	"SELECT batch_id, data FROM feed_medical_seg ORDER BY batch_id, seq",
	"SELECT batch_id, data FROM feed_medical_seg WHERE batch_id = ?1 ORDER BY seq",
	"SELECT batch_id, data FROM feed_medical_seg WHERE first_key <= ?2 AND last_key >= ?2"
	" ORDER BY batch_id, seq",
	"SELECT batch_id, data FROM feed_medical_seg WHERE batch_id = ?1 AND last_key >= ?2"
	" AND first_key <= ?2 ORDER BY seq",
};

/* A constraint the scan applies itself (SQLite checks it again: omit stays 0). */
typedef struct prune {
	int col;
	char op;                   /* one of ops[]'s names */
	int64_t v;
} prune;

/* The comparisons applied while decoding, named by a character in idxStr (EXPLAIN shows it). */
static const struct {
	unsigned char op;
	char name;
} ops[] = {
	{ SQLITE_INDEX_CONSTRAINT_EQ, '=' }, { SQLITE_INDEX_CONSTRAINT_GT, '>' },
	{ SQLITE_INDEX_CONSTRAINT_GE, 'G' }, { SQLITE_INDEX_CONSTRAINT_LT, '<' },
	{ SQLITE_INDEX_CONSTRAINT_LE, 'L' },
};

enum { MAX_PRUNE = 8 };

typedef struct med_vtab {
	sqlite3_vtab base;
	sqlite3 *db;
} med_vtab;

typedef struct med_cursor {
	sqlite3_vtab_cursor base;
	sqlite3_stmt *q[4];        /* seg_sql, prepared at first use, kept for the next filter */
	sqlite3_stmt *cur;         /* the one being stepped; NULL: at the end */
	int64_t batch_id, rowid;
	dd_medseg_dec dec;
	dd_medrow row;
	prune p[MAX_PRUNE];
	int np;
	bool key_eq;               /* one id_key: a segment is left once past it */
	uint64_t key;
} med_cursor;

static int med_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
		       char **msg)
{
	(void)aux, (void)argc, (void)argv, (void)msg;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(batch_id INTEGER, id_key BIGINT, name TEXT,"
				      " year INTEGER, hosp_self_paid BIGINT, hosp_visits INTEGER,"
				      " outp_self_paid BIGINT, outp_visits INTEGER)");
	if (rc != SQLITE_OK)
		return rc;
	/* reads only its own table: usable from the views and the triggers of the schema */
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
	med_vtab *v = sqlite3_malloc(sizeof *v);
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	v->db = db;
	*out = &v->base;
	return SQLITE_OK;
}

static int med_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* The name of a comparison the scan applies to column col (not the rowid, not name), or 0. */
static char op_name(int col, unsigned char op)
{
	if (col < C_BATCH || col > C_OV || col == C_NAME || (col == C_BATCH && op != SQLITE_INDEX_CONSTRAINT_EQ))
		return 0;
	for (size_t i = 0; i < DD_ARRAY_LEN(ops); i++)
		if (ops[i].op == op)
			return ops[i].name;
	return 0;
}

/*
 * The plan: equalities on batch_id and id_key choose the segments; those
 * and comparisons of the other integer columns with integers are applied
 * while decoding (idxStr lists them as column, operator pairs in argv
 * order).  The rows come in (batch_id, id_key, year) order.
 */
static int med_best_index(sqlite3_vtab *vt, sqlite3_index_info *ix)
{
	char plan[2 * MAX_PRUNE + 3];
	int n = 0, fixed = 0, segs = 0;
	double rows = 1e7;

	(void)vt;
	for (int i = 0; i < ix->nConstraint && n < MAX_PRUNE; i++) {
		const struct sqlite3_index_constraint *c = &ix->aConstraint[i];
		bool eq = c->op == SQLITE_INDEX_CONSTRAINT_EQ;
		char op = op_name(c->iColumn, c->op);
		if (!c->usable || !op)
			continue;
		ix->aConstraintUsage[i].argvIndex = ++n;
		plan[2 * n - 2] = (char)('0' + c->iColumn);
		plan[2 * n - 1] = op;
		if (eq) {
			fixed |= 1 << c->iColumn;
			segs |= c->iColumn == C_BATCH ? 1 : c->iColumn == C_KEY ? 2 : 0;
		}
		rows /= eq && c->iColumn == C_YEAR ? 4 : eq ? 1 : 2;
	}
	plan[2 * n] = '\0';
	/* a batch is ≈ 10^5 entries, one id_key in it a few; reading every batch costs most */
	static const double cost[4] = { 1e8, 1e5, 1e3, 10 };
	static const double found[4] = { 1e7, 1e5, 20, 2 };
	ix->estimatedCost = cost[segs];
	ix->estimatedRows = (sqlite3_int64)(rows / 1e7 * found[segs]) + 1;
	ix->idxNum = segs;
	if (!(ix->idxStr = sqlite3_mprintf("%s", plan)))
		return SQLITE_NOMEM;
	ix->needToFreeIdxStr = 1;
	/* ORDER BY batch_id, id_key, year ascending, less the columns fixed by an equality */
	static const int order[] = { C_BATCH, C_KEY, C_YEAR };
	size_t at = 0;
	bool ordered = true;
	for (int i = 0; i < ix->nOrderBy && ordered; i++) {
		int col = ix->aOrderBy[i].iColumn;
		if (ix->aOrderBy[i].desc || col < 0) {
			ordered = false;
			continue;
		}
		if (fixed & (1 << col))
			continue;
		while (at < DD_ARRAY_LEN(order) && (fixed & (1 << order[at])))
			at++;
		ordered = at < DD_ARRAY_LEN(order) && order[at++] == col;
	}
	ix->orderByConsumed = ordered;
	return SQLITE_OK;
}

static int med_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	med_cursor *c = sqlite3_malloc(sizeof *c);

	(void)vt;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*out = &c->base;
	return SQLITE_OK;
}

static int med_close(sqlite3_vtab_cursor *cur)
{
	med_cursor *c = (med_cursor *)cur;

	for (size_t i = 0; i < DD_ARRAY_LEN(c->q); i++)
		sqlite3_finalize(c->q[i]);
	sqlite3_free(c);
	return SQLITE_OK;
}

static bool passes(const med_cursor *c, const dd_medrow *r)
{
	for (int i = 0; i < c->np; i++) {
		int64_t x;
		switch (c->p[i].col) {
		case C_KEY: x = (int64_t)r->id_key; break;
		case C_YEAR: x = r->year; break;
		case C_HOSP: x = r->hosp_fen; break;
		case C_HV: x = r->hosp_visits; break;
		case C_OUTP: x = r->outp_fen; break;
		default: x = r->outp_visits; break;
		}
		int64_t v = c->p[i].v;
		switch (c->p[i].op) {
		case '=': if (x != v) return false; break;
		case '>': if (x <= v) return false; break;
		case 'G': if (x < v) return false; break;
		case '<': if (x >= v) return false; break;
		default: if (x > v) return false; break;
		}
	}
	return true;
}

/* The next entry that passes the prunes, moving on through the segments; c->cur NULL at the end. */
static int med_next(sqlite3_vtab_cursor *cur)
{
	med_cursor *c = (med_cursor *)cur;

	while (c->cur) {
		dd_rc rc = dd_medseg_dec_next(&c->dec, &c->row);
		if (rc == DD_OK) {
			if (passes(c, &c->row)) {
				c->rowid++;
				return SQLITE_OK;
			}
			if (c->key_eq && c->row.id_key > c->key)
				c->dec.p = c->dec.end;   /* sorted: nothing further in this segment */
			continue;
		}
		if (rc == DD_ERR_INPUT) {
			sqlite3_free(cur->pVtab->zErrMsg);
			cur->pVtab->zErrMsg = sqlite3_mprintf("医疗数据段损坏：批次 %lld", (long long)c->batch_id);
			return SQLITE_CORRUPT_VTAB;
		}
		int r = sqlite3_step(c->cur);
		if (r == SQLITE_ROW) {
			c->batch_id = sqlite3_column_int64(c->cur, 0);
			const void *data = sqlite3_column_blob(c->cur, 1);
			dd_medseg_dec_init(&c->dec, data, (size_t)sqlite3_column_bytes(c->cur, 1));
			continue;
		}
		sqlite3_reset(c->cur);
		c->cur = NULL;
		if (r != SQLITE_DONE) {
			sqlite3_free(cur->pVtab->zErrMsg);
			cur->pVtab->zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(((med_vtab *)cur->pVtab)->db));
			return r;
		}
	}
	return SQLITE_OK;
}

static int med_filter(sqlite3_vtab_cursor *cur, int segs, const char *plan, int argc, sqlite3_value **argv)
{
	med_cursor *c = (med_cursor *)cur;
	sqlite3 *db = ((med_vtab *)cur->pVtab)->db;
	int64_t batch = 0;

	c->np = 0;
	c->key_eq = false;
	c->rowid = 0;
	c->cur = NULL;
	/*
	 * A comparison with NULL is never true: no rows.  One with text or a
	 * real is left to SQLite: no pruning, every segment.
	 */
	for (int i = 0; i < argc && plan[2 * i]; i++) {
		int col = plan[2 * i] - '0';
		char op = plan[2 * i + 1];
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			return SQLITE_OK;
		if (sqlite3_value_type(argv[i]) != SQLITE_INTEGER) {
			segs &= col == C_BATCH ? ~1 : ~0;
			continue;
		}
		int64_t v = sqlite3_value_int64(argv[i]);
		if (col == C_BATCH) {
			batch = v;
			continue;
		}
		if (col == C_KEY && op == '=') {
			c->key_eq = true;
			c->key = (uint64_t)v;
		}
		c->p[c->np++] = (prune){ col, op, v };
	}
	if (!c->key_eq)
		segs &= ~2;
	if (!c->q[segs] && sqlite3_prepare_v2(db, seg_sql[segs], -1, &c->q[segs], NULL) != SQLITE_OK) {
		sqlite3_free(cur->pVtab->zErrMsg);
		cur->pVtab->zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(db));
		return SQLITE_ERROR;
	}
	c->cur = c->q[segs];
	sqlite3_reset(c->cur);
	if (segs & 1)
		sqlite3_bind_int64(c->cur, 1, batch);
	if (segs & 2)
		sqlite3_bind_int64(c->cur, 2, (sqlite3_int64)c->key);
	dd_medseg_dec_init(&c->dec, NULL, 0);
	return med_next(cur);
}

static int med_eof(sqlite3_vtab_cursor *cur)
{
	return ((med_cursor *)cur)->cur == NULL;
}

static int med_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const med_cursor *c = (const med_cursor *)cur;
	const dd_medrow *r = &c->row;

	switch (col) {
	case C_BATCH: sqlite3_result_int64(ctx, c->batch_id); break;
	case C_KEY: sqlite3_result_int64(ctx, (sqlite3_int64)r->id_key); break;
	case C_NAME:
		if (r->name)
			sqlite3_result_text(ctx, r->name, (int)r->name_len, SQLITE_TRANSIENT);
		else
			sqlite3_result_null(ctx);
		break;
	case C_YEAR: sqlite3_result_int(ctx, r->year); break;
	case C_HOSP: sqlite3_result_int64(ctx, r->hosp_fen); break;
	case C_HV: sqlite3_result_int(ctx, r->hosp_visits); break;
	case C_OUTP: sqlite3_result_int64(ctx, r->outp_fen); break;
	default: sqlite3_result_int(ctx, r->outp_visits); break;
	}
	return SQLITE_OK;
}

/* The entry's number in this scan: rows have no lasting identity (the table is read-only). */
static int med_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = ((med_cursor *)cur)->rowid;
	return SQLITE_OK;
}

/* Eponymous only (no xCreate) and read-only (no xUpdate): INSERT into it fails. */
static const sqlite3_module med_module = {
	.iVersion = 0,
	.xConnect = med_connect,
	.xBestIndex = med_best_index,
	.xDisconnect = med_disconnect,
	.xOpen = med_open,
	.xClose = med_close,
	.xFilter = med_filter,
	.xNext = med_next,
	.xEof = med_eof,
	.xColumn = med_column,
	.xRowid = med_rowid,
};

/*
 * ---- dd_med_pack(id_key, year, hosp_self_paid, hosp_visits, outp_self_paid, outp_visits, name, hosp) ----
 * hosp 0: every row (a segment's data); 1: the rows with hospital amounts,
 * without their outpatient sums (its hosp column); NULL when there are none.
 */

/* The rows of one group, kept until xFinal sorts and packs them. */
typedef struct pack {
	dd_medrow *rows;
	size_t n, cap;
	dd_arena names;
	bool failed;
	bool hosp;                 /* the hosp column's rows only */
} pack;

static void pack_fail(sqlite3_context *ctx, pack *p, const char *msg)
{
	p->failed = true;
	sqlite3_result_error(ctx, msg, -1);
}

static void pack_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	pack *p = sqlite3_aggregate_context(ctx, sizeof *p);

	(void)argc;
	if (!p) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (p->failed)
		return;
	p->hosp = sqlite3_value_int(argv[7]) != 0;
	if (p->hosp && sqlite3_value_int64(argv[2]) <= 0)
		return;
	if (!p->cap)
		dd_arena_init(&p->names, 1 << 16);
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1024;
		dd_medrow *r = realloc(p->rows, cap * sizeof *r);
		if (!r) {
			pack_fail(ctx, p, "内存不足");
			return;
		}
		p->rows = r;
		p->cap = cap;
	}
	dd_medrow *r = &p->rows[p->n];
	int64_t year = sqlite3_value_int64(argv[1]), hv = sqlite3_value_int64(argv[3]),
		ov = sqlite3_value_int64(argv[5]);
	if (year < INT32_MIN || year > INT32_MAX || hv < 0 || hv > INT32_MAX || ov < 0 || ov > INT32_MAX) {
		pack_fail(ctx, p, "医疗数据的年度或次数超出范围");
		return;
	}
	*r = (dd_medrow){ .id_key = (uint64_t)sqlite3_value_int64(argv[0]), .year = (int32_t)year,
			  .hosp_fen = sqlite3_value_int64(argv[2]), .hosp_visits = (int32_t)hv,
			  .outp_fen = p->hosp ? 0 : sqlite3_value_int64(argv[4]), .outp_visits = p->hosp ? 0 : (int32_t)ov };
	const char *name = (const char *)sqlite3_value_text(argv[6]);
	if (name) {
		r->name_len = (uint32_t)sqlite3_value_bytes(argv[6]);
		if (!(r->name = dd_arena_strndup(&p->names, name, r->name_len))) {
			pack_fail(ctx, p, "内存不足");
			return;
		}
	}
	p->n++;
}

static int by_key_year(const void *pa, const void *pb)
{
	const dd_medrow *a = pa, *b = pb;

	if (a->id_key != b->id_key)
		return a->id_key < b->id_key ? -1 : 1;
	return (a->year > b->year) - (a->year < b->year);
}

static void pack_final(sqlite3_context *ctx)
{
	pack *p = sqlite3_aggregate_context(ctx, 0);
	dd_medseg_enc e;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!p || !p->n) {
		if (p)
			free(p->rows);
		return;   /* no row: NULL */
	}
	if (!p->failed) {
		qsort(p->rows, p->n, sizeof *p->rows, by_key_year);
		dd_medseg_enc_init(&e);
		for (size_t i = 0; i < p->n && rc == DD_OK; i++)
			rc = dd_medseg_enc_put(&e, &p->rows[i], &err);
		size_t len;
		void *blob = rc == DD_OK ? dd_buf_detach(&e.out, &len) : NULL;
		if (blob)
			sqlite3_result_blob64(ctx, blob, len, free);
		else
			sqlite3_result_error(ctx, err.msg, -1);
		dd_medseg_enc_free(&e);
	}
	free(p->rows);
	if (p->cap)
		dd_arena_release(&p->names);
}

int sq_feed_sql(sqlite3 *db, char **msg, const sqlite3_api_routines *api)
{
	(void)msg, (void)api;
	int rc = sqlite3_create_module_v2(db, "feed_medical_year", &med_module, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "dd_med_pack", 8, SQLITE_UTF8, NULL, NULL, pack_step, pack_final);
	return rc;
}
