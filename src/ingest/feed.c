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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A medical sum's map key: the ID key times 16 plus the year's offset from
 * the batch year.  dd_id_key stays below 1.1e18, so sixteen years fit in 64
 * bits exactly: the batch's year and the fourteen before it, and the year
 * after (a batch of December holding January's first settlements).
 */
#define MED_YEARS 16

typedef struct med_sum {
	uint64_t id_key;
	int year;
	int32_t hosp_visits, outp_visits;
	int64_t hosp_fen, outp_fen;
	const char *name;     /* the first name seen, in the import's arena */
} med_sum;

typedef struct feed_ctx {
	dd_store *st;
	const dd_feed_in *in;
	const dd_feed_kind *kind;
	dd_feed_result *res;
	dd_err *err;
	dd_table *t;
	int batch_year;
	int64_t batch_id;
	/* medical only */
	dd_umap med_index;    /* key (see MED_YEARS) -> index + 1 into med */
	med_sum *med;
	size_t nmed, capmed;
	dd_arena names;
} feed_ctx;

/* A typed cell as the value its table column holds (NULL when empty). */
static void to_val(const dd_column *c, const dd_value *v, dd_feed_val *out, char date[11])
{
	out->type = v->present ? DD_FV_INT : DD_FV_NULL;
	if (!v->present)
		return;
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
		dd_date_format(v->v.date, date);
		out->type = DD_FV_TEXT;
		out->s = date;
		break;
	default:
		out->type = DD_FV_TEXT;
		out->s = v->text;
		break;
	}
}

static dd_rc put_row(feed_ctx *c, const dd_row *row)
{
	const dd_schema *s = c->kind->schema;
	char dates[DD_FEED_MAXV][11];
	dd_feed_row r = {
		.id_key = row->values[FEED_ID].id.key,
		.name = row->values[FEED_NAME].present ? row->values[FEED_NAME].text : NULL,
	};

	for (size_t i = FEED_FIRST_VALUE; i < s->ncols; i++)
		to_val(&s->cols[i], &row->values[i], &r.v[i - FEED_FIRST_VALUE], dates[i - FEED_FIRST_VALUE]);
	c->res->stored++;
	return dd_store_feed_put(c->st, c->kind->name, c->batch_id, &r, 1, c->err);
}

/* Adds one settlement to its person-year sum; a year out of range is a row error (*ok false). */
static dd_rc add_medical(feed_ctx *c, dd_row *row, bool *ok)
{
	const dd_value *v = row->values;
	int y, m, d;

	dd_date_to_ymd(v[MED_SETTLE_DATE].v.date, &y, &m, &d);
	int off = c->batch_year + 1 - y;
	if (off < 0 || off >= MED_YEARS) {
		dd_table_row_error(c->t, row, MED_SETTLE_DATE, "结算日期与批次月份相差超过15年，或晚于批次的下一年");
		*ok = false;
		return DD_OK;
	}
	*ok = true;
	uint64_t *slot = dd_umap_slot(&c->med_index, v[FEED_ID].id.key * MED_YEARS + (uint64_t)off);
	if (!slot)
		return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	if (!*slot) {
		if (c->nmed == c->capmed) {
			size_t cap = c->capmed ? c->capmed * 2 : 4096;
			med_sum *p = realloc(c->med, cap * sizeof *p);
			if (!p)
				return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
			c->med = p;
			c->capmed = cap;
		}
		med_sum *e = &c->med[c->nmed];
		*e = (med_sum){ .id_key = v[FEED_ID].id.key, .year = y };
		if (v[FEED_NAME].present &&
		    !(e->name = dd_arena_strndup(&c->names, v[FEED_NAME].text, v[FEED_NAME].len)))
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
		*slot = ++c->nmed;
	}
	med_sum *e = &c->med[*slot - 1];
	if (!strcmp(v[MED_VISIT_TYPE].text, "住院")) {
		e->hosp_fen += v[MED_SELF_PAID].v.fen;
		e->hosp_visits++;
	} else {
		e->outp_fen += v[MED_SELF_PAID].v.fen;
		e->outp_visits++;
	}
	return DD_OK;
}

static int by_key_year(const void *pa, const void *pb)
{
	const med_sum *a = pa, *b = pb;
	if (a->id_key != b->id_key)
		return a->id_key < b->id_key ? -1 : 1;
	return (a->year > b->year) - (a->year < b->year);
}

/*
 * Writes the person-year sums, a chunk of rows per store call, in ID order:
 * both indexes then grow at neighbouring pages instead of random ones (the
 * write of a monthly batch takes a third less time).  The map's indexes
 * are stale after the sort; nothing reads them any more.
 */
static dd_rc write_medical(feed_ctx *c)
{
	enum { CHUNK = 1024 };
	dd_feed_row *rows = calloc(CHUNK, sizeof *rows);
	dd_rc rc = DD_OK;

	if (!rows)
		return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	qsort(c->med, c->nmed, sizeof *c->med, by_key_year);
	for (size_t i = 0; i < c->nmed && rc == DD_OK; i += CHUNK) {
		size_t n = c->nmed - i < CHUNK ? c->nmed - i : CHUNK;
		for (size_t j = 0; j < n; j++) {
			const med_sum *e = &c->med[i + j];
			dd_feed_row *r = &rows[j];
			r->id_key = e->id_key;
			r->name = e->name;
			r->v[0] = (dd_feed_val){ .type = DD_FV_INT, .i = e->year };
			r->v[1] = (dd_feed_val){ .type = DD_FV_INT, .i = e->hosp_fen };
			r->v[2] = (dd_feed_val){ .type = DD_FV_INT, .i = e->hosp_visits };
			r->v[3] = (dd_feed_val){ .type = DD_FV_INT, .i = e->outp_fen };
			r->v[4] = (dd_feed_val){ .type = DD_FV_INT, .i = e->outp_visits };
		}
		rc = dd_store_feed_put(c->st, c->kind->name, c->batch_id, rows, n, c->err);
	}
	c->res->stored = rc == DD_OK ? (int64_t)c->nmed : 0;
	free(rows);
	return rc;
}

/* Streams the rows into the open batch; after the first reject under --strict, only checks. */
static dd_rc read_rows(feed_ctx *c)
{
	const bool medical = !strcmp(c->kind->name, "medical");
	dd_row *row;
	dd_rc rc;

	while ((rc = dd_table_next(c->t, &row, c->err)) == DD_OK) {
		bool ok = row->nerrors == 0;
		if (ok && medical && (rc = add_medical(c, row, &ok)) != DD_OK)
			return rc;
		if (!ok) {
			c->res->rejected++;
			continue;
		}
		c->res->rows++;
		if (!medical && !(c->in->strict && c->res->rejected) && (rc = put_row(c, row)) != DD_OK)
			return rc;
	}
	return rc == DD_DONE ? DD_OK : rc;
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
		rc = read_rows(c);
	int64_t t1 = dd_clock_us();
	if (rc == DD_OK && c->in->strict && c->res->rejected)
		rc = dd_err_set(c->err, DD_ERR_INPUT, "有 %lld 行数据错误（见错误文件），使用了 --strict，未写入任何数据",
				(long long)c->res->rejected);
	if (rc == DD_OK && c->nmed)
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
	dd_rc rc;

	memset(res, 0, sizeof *res);
	c.kind = dd_feed_kind_find(in->kind);
	if (!c.kind)
		return dd_err_set(err, DD_ERR_USAGE,
				  "未知的比对数据类型：%s（应为 medical disability death pension unemployment "
				  "license orphan subsidy incident disaster fp kin 之一）", in->kind ? in->kind : "");
	if (!in->month || strlen(in->month) != 7 || dd_month_parse(in->month, 7, &month) != DD_OK)
		return dd_err_set(err, DD_ERR_USAGE, "--month 须为 YYYY-MM 格式的月份");
	c.batch_year = dd_month_year(month);
	dd_umap_init(&c.med_index);
	dd_arena_init(&c.names, 1 << 20);

	/* the header is checked before the transaction: a file-level problem writes nothing */
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
	free(c.med);
	dd_umap_release(&c.med_index);
	dd_arena_release(&c.names);
	return rc;
}
