/*
 * api_stats.c - statistics routes (docs/internals/api.md): the dashboard
 * and the list exports (XLSX or CSV files).  The dispatcher decided the role;
 * both narrow to the caller's scope exactly as the lists do
 * (dd_http_scope_filter), and exports mask ID numbers like the lists.
 *
 * Exports read through the same store calls as the lists (the household
 * search, the warning and application pages, page by page), so a file holds
 * exactly the rows its list counts.  An XLSX file is written by libxlsxwriter to a
 * temporary file (this version cannot write to memory) and read back.
 */
#include "../core/dd.h"
#include "../core/date.h"
#include "../core/id.h"
#include "../core/json.h"
#include "../core/money.h"
#include "../core/region.h"
#include "../core/registry.h"
#include "../compare/compare.h"
#include "../workflow/workflow.h"
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ---- scope ---- */

/*
 * The region prefix the caller may see for ?region=; false after answering
 * (an empty scope gives empty figures, not an error: *prefix NULL and *none).
 * The whole county is NULL, so records without a household (W02) count too.
 */
static bool scope_of(dd_http_req *req, char buf[13], const char **prefix, bool *none)
{
	const char *asked = http_arg(req, "region");

	*prefix = NULL;
	*none = false;
	if (asked && *asked && strspn(asked, "0123456789") != strlen(asked)) {
		http_fail(req, 400, "BAD_REQUEST", "region 应为区划代码");
		return false;
	}
	if (!dd_http_scope_filter(&req->who, asked, buf))
		*none = true;
	else if (strlen(buf) > 6)
		*prefix = buf;
	return true;
}

/* ---- the dashboard ---- */

static json_t *region_name_json(const char *code)
{
	dd_region r;

	if (dd_region_lookup(code, strlen(code), &r) != DD_OK)
		return json_null();
	return json_stringn(r.name, r.name_len);
}

/* Built-in rules are named by their type and reason (DOMAIN.md §4); a county rule by its id. */
static json_t *rule_name_json(const char *id)
{
	const dd_compare_rule *r = dd_compare_rule_find(id);

	return r ? json_sprintf("%s·%s", r->type, r->reason) : json_string(id);
}

static json_t *dashboard_json(const dd_dashboard *d)
{
	json_t *towns = json_array(), *overlap = json_object(), *rules = json_array(), *trend = json_array();

	for (size_t i = 0; towns && i < d->ntownships; i++) {
		const dd_dash_township *t = &d->townships[i];
		json_t *o = json_pack("{s:s, s:o, s:I, s:I, s:I}", "code", t->code, "name",
				      region_name_json(t->code), "FP", (json_int_t)t->fp, "households",
				      (json_int_t)t->households, "members", (json_int_t)t->members);
		for (size_t c = 0; o && c < DD_ARRAY_LEN(dd_categories); c++)
			json_object_set_new(o, dd_categories[c].code, json_integer(t->by_category[c]));
		json_array_append_new(towns, o);
	}
	for (size_t c = 0; overlap && c < DD_ARRAY_LEN(dd_categories); c++)
		json_object_set_new(overlap, dd_categories[c].code, json_integer(d->fp_overlap[c]));
	json_object_set_new(overlap, "only", json_integer(d->fp_only));
	for (size_t i = 0; rules && i < d->nrules; i++) {
		const dd_dash_rule *r = &d->rules[i];
		json_array_append_new(rules, json_pack("{s:s, s:o, s:s, s:I, s:I}", "rule", r->rule, "name",
						       rule_name_json(r->rule), "level", r->level, "open",
						       (json_int_t)r->open, "total", (json_int_t)r->total));
	}
	for (size_t i = 0; trend && i < DD_DASH_MONTHS; i++) {
		const dd_dash_month *m = &d->trend[i];
		json_array_append_new(trend, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "month", m->month,
						       "households", (json_int_t)m->households, "recognized",
						       (json_int_t)m->recognized, "exited", (json_int_t)m->exited,
						       "warnings", (json_int_t)m->warnings, "applications",
						       (json_int_t)m->applications));
	}
	return json_pack("{s:o, s:o, s:{s:{s:I, s:I, s:I}, s:o}, s:o}", "by_township", towns, "fp_overlap",
			 overlap, "warnings", "by_level", "red", (json_int_t)d->open_by_level[0], "yellow",
			 (json_int_t)d->open_by_level[1], "blue", (json_int_t)d->open_by_level[2], "by_rule",
			 rules, "trend", trend);
}

dd_rc api_dashboard(dd_http_req *req)
{
	char buf[13];
	const char *prefix;
	bool none;
	dd_dashboard d = { 0 };
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!scope_of(req, buf, &prefix, &none))
		return DD_OK;
	/* nothing visible: the empty dashboard, from a region no household has */
	rc = dd_store_dashboard(req->st, dd_date_today(), none ? "-" : prefix, &d, &req->mem, &err);
	if (rc != DD_OK) {
		dd_log_error("统计读取失败：%s", err.msg);
		return rc;
	}
	return http_reply(req, 200, dashboard_json(&d));
}

/* ---- exports: one sheet, written as CSV or XLSX ---- */

typedef enum { COL_TEXT, COL_INT, COL_MONEY } col_kind;

typedef struct col {
	const char *zh;
	col_kind kind;
	double width;                  /* XLSX column width, characters */
} col;

/* One cell: text (NULL: empty) or an integer (fen for money). */
typedef struct cell {
	const char *s;
	int64_t v;
} cell;

typedef struct sheet {
	const col *cols;
	size_t ncols;
	dd_buf *csv;                   /* CSV: the response body; NULL for XLSX */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *money;
	char path[64];                 /* the XLSX temporary file */
	lxw_row_t row;
	dd_rc rc;                      /* the first failure */
} sheet;

/*
 * A CSV field, quoted when it must be.  A text starting with = + - @ is
 * defused with a ' so a spreadsheet shows it instead of running a formula.
 */
static void csv_field(dd_buf *b, const char *s, bool text)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		dd_buf_putc(b, '"');
	if (text && s[0] && strchr("=+-@", s[0]))
		dd_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			dd_buf_putc(b, '"');
		dd_buf_putc(b, *s);
	}
	if (quote)
		dd_buf_putc(b, '"');
}

static dd_rc sheet_open(sheet *sh, bool xlsx, const col *cols, size_t ncols, dd_buf *out, dd_err *err)
{
	memset(sh, 0, sizeof *sh);
	sh->cols = cols;
	sh->ncols = ncols;
	if (!xlsx) {
		sh->csv = out;
		dd_buf_append(out, "\xEF\xBB\xBF", 3);   /* the BOM tells Excel the file is UTF-8 */
		for (size_t i = 0; i < ncols; i++) {
			if (i)
				dd_buf_putc(out, ',');
			csv_field(out, cols[i].zh, true);
		}
		return dd_buf_puts(out, "\r\n");
	}
	snprintf(sh->path, sizeof sh->path, "/tmp/doudi-export-XXXXXX");
	int fd = mkstemp(sh->path);
	if (fd < 0)
		return dd_err_set(err, DD_ERR_IO, "无法创建临时文件");
	close(fd);
	/* constant memory: rows go straight to the file, so 100 000 rows need no more than a few */
	lxw_workbook_options o = { .constant_memory = LXW_TRUE };
	if (!(sh->wb = workbook_new_opt(sh->path, &o)) || !(sh->ws = workbook_add_worksheet(sh->wb, NULL)) ||
	    !(sh->bold = workbook_add_format(sh->wb)) || !(sh->money = workbook_add_format(sh->wb)))
		return dd_err_set(err, DD_ERR_NOMEM, "无法创建表格");
	format_set_bold(sh->bold);
	format_set_num_format(sh->money, "0.00");
	for (size_t i = 0; i < ncols; i++) {
		worksheet_set_column(sh->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
		worksheet_write_string(sh->ws, 0, (lxw_col_t)i, cols[i].zh, sh->bold);
	}
	sh->row = 1;
	return DD_OK;
}

static void sheet_row(sheet *sh, const cell *c)
{
	char num[32];

	for (size_t i = 0; i < sh->ncols; i++) {
		const col *k = &sh->cols[i];
		if (k->kind == COL_MONEY)
			dd_money_format(c[i].v, num);
		else if (k->kind == COL_INT)
			snprintf(num, sizeof num, "%lld", (long long)c[i].v);
		if (sh->csv) {
			if (i)
				dd_buf_putc(sh->csv, ',');
			csv_field(sh->csv, k->kind == COL_TEXT ? (c[i].s ? c[i].s : "") : num, k->kind == COL_TEXT);
		} else if (k->kind == COL_TEXT) {
			/* strings always: an ID or household number must never become a number */
			if (c[i].s && *c[i].s)
				worksheet_write_string(sh->ws, sh->row, (lxw_col_t)i, c[i].s, NULL);
		} else {
			/* a spreadsheet number is a double: money crosses to it only here, for display */
			worksheet_write_number(sh->ws, sh->row, (lxw_col_t)i,
					       k->kind == COL_MONEY ? (double)c[i].v / 100.0 : (double)c[i].v,
					       k->kind == COL_MONEY ? sh->money : NULL);
		}
	}
	if (sh->csv && dd_buf_puts(sh->csv, "\r\n") != DD_OK)
		sh->rc = DD_ERR_NOMEM;
	sh->row++;
}

/* Finishes the sheet into out (XLSX: the file's bytes); removes the temporary file. */
static dd_rc sheet_close(sheet *sh, dd_buf *out, dd_rc rc, dd_err *err)
{
	if (sh->wb) {
		lxw_error e = workbook_close(sh->wb);
		if (rc == DD_OK && e != LXW_NO_ERROR)
			rc = dd_err_set(err, DD_ERR_IO, "表格写入失败：%s", lxw_strerror(e));
		if (rc == DD_OK)
			rc = dd_file_read(sh->path, 0, out, err);
	}
	if (sh->path[0])
		unlink(sh->path);
	return rc == DD_OK ? sh->rc : rc;
}

/* ---- what each export lists ---- */

typedef struct export {
	dd_http_req *req;
	sheet sh;
	const char *prefix;            /* scope; NULL: the county */
	dd_household_query hq;         /* the households list's q and category */
} export;

static const col household_cols[] = {
	{ "户编号", COL_TEXT, 16 },   { "区划代码", COL_TEXT, 14 }, { "所在村（社区）", COL_TEXT, 24 },
	{ "户主姓名", COL_TEXT, 10 }, { "户主身份证号", COL_TEXT, 20 }, { "救助类别", COL_TEXT, 28 },
	{ "防止返贫监测类型", COL_TEXT, 16 }, { "退出日期", COL_TEXT, 12 },
};

static dd_rc export_households(export *x, dd_err *err)
{
	enum { PAGE = 1000 };
	dd_household_query f = x->hq;
	dd_household_hit *hits;
	size_t n = PAGE;
	int64_t total;
	char *after = NULL;            /* the last household_no written (any length) */
	dd_arena page;
	dd_rc rc = DD_OK;

	f.limit = PAGE;
	f.region = x->prefix ? x->prefix : x->req->who.region;
	dd_arena_init(&page, 64 * 1024);
	/* the list's own search, walked by household_no, so the file has exactly the list's rows */
	for (bool first = true; rc == DD_OK && n == PAGE; first = false) {
		f.after = first ? NULL : after;
		dd_arena_reset(&page);
		rc = dd_store_household_search(x->req->st, &f, &hits, &n, &total, &page, err);
		if (rc == DD_OK && n) {
			free(after);
			if (!(after = strdup(hits[n - 1].household_no)))
				rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		}
		for (size_t i = 0; rc == DD_OK && i < n; i++) {
			const dd_household_hit *h = &hits[i];
			char id[19] = "", cats[160] = "", exited[11] = "";
			dd_region r;
			if (h->head_id)
				dd_id_mask(h->head_id, id);
			for (size_t c = 0; c < DD_ARRAY_LEN(dd_categories); c++)
				if (h->categories & dd_categories[c].bit)
					snprintf(cats + strlen(cats), sizeof cats - strlen(cats), "%s%s",
						 cats[0] ? "、" : "", dd_categories[c].zh);
			if (h->exited_on != DD_DATE_NONE)
				dd_date_format(h->exited_on, exited);
			bool named = dd_region_lookup(h->region_code, strlen(h->region_code), &r) == DD_OK;
			cell row[] = { { h->household_no, 0 }, { h->region_code, 0 }, { named ? r.name : NULL, 0 },
				       { h->head_name, 0 },    { id, 0 },             { cats, 0 },
				       { h->fp_subtype, 0 },   { exited, 0 } };
			sheet_row(&x->sh, row);
		}
	}
	free(after);
	dd_arena_release(&page);
	return rc;
}

static const col warning_cols[] = {
	{ "预警编号", COL_INT, 10 }, { "规则", COL_TEXT, 8 },      { "等级", COL_TEXT, 8 },
	{ "比对月份", COL_TEXT, 10 }, { "户编号", COL_TEXT, 16 },   { "区划代码", COL_TEXT, 14 },
	{ "姓名", COL_TEXT, 10 },     { "身份证号", COL_TEXT, 20 }, { "状态", COL_TEXT, 10 },
	{ "依据", COL_TEXT, 48 },     { "生成时间", COL_TEXT, 20 },
};

static const char *level_zh(const char *level)
{
	return !strcmp(level, "red") ? "红色" : !strcmp(level, "yellow") ? "黄色" : !strcmp(level, "blue") ? "蓝色" : level;
}

static dd_rc export_warnings(export *x, dd_err *err)
{
	enum { PAGE = 1000 };
	dd_warning_query q = { .f = { http_arg(x->req, "month"), http_arg(x->req, "rule"),
				      http_arg(x->req, "level"), http_arg(x->req, "status") },
			       .region = x->prefix ? x->prefix : x->req->who.region, .limit = PAGE };
	dd_warning_rec *items;
	size_t n;
	int64_t total = 0, by[3];
	dd_arena page;
	dd_rc rc = DD_OK;

	/* the list's own query and scope (a warning's household, else the person's, else the county) */
	dd_arena_init(&page, 64 * 1024);
	for (; rc == DD_OK && (q.offset == 0 || q.offset < total); q.offset += PAGE) {
		dd_arena_reset(&page);
		rc = dd_store_warnings_page(x->req->st, &q, &items, &n, &total, by, &page, err);
		for (size_t i = 0; rc == DD_OK && i < n; i++) {
			const dd_warning *w = &items[i].w;
			char id[19] = "";
			if (w->id_number)
				dd_id_mask(w->id_number, id);
			cell row[] = { { NULL, w->id },    { w->rule, 0 },         { level_zh(w->level), 0 },
				       { w->month, 0 },    { w->household_no, 0 }, { w->region_code, 0 },
				       { w->name, 0 },     { id, 0 },              { w->status, 0 },
				       { w->evidence, 0 }, { w->created_at, 0 } };
			sheet_row(&x->sh, row);
		}
		if (n < PAGE)
			break;
	}
	dd_arena_release(&page);
	return rc;
}

static const col application_cols[] = {
	{ "申请编号", COL_TEXT, 14 },   { "类型", COL_TEXT, 10 },       { "状态", COL_TEXT, 12 },
	{ "户编号", COL_TEXT, 16 },     { "区划代码", COL_TEXT, 14 },   { "申请人", COL_TEXT, 10 },
	{ "申请人身份证号", COL_TEXT, 20 }, { "提交日期", COL_TEXT, 12 }, { "测算类别", COL_TEXT, 10 },
	{ "认定类别", COL_TEXT, 10 },   { "急难型", COL_TEXT, 8 },      { "先行救助金额（元）", COL_MONEY, 16 },
};

static dd_rc export_applications(export *x, dd_err *err)
{
	enum { PAGE = 500 };
	dd_app_filter f = { .state = http_arg(x->req, "state"), .kind = http_arg(x->req, "kind"),
			    .region = x->prefix };
	dd_application *apps;
	size_t n;
	int64_t total = 0;
	dd_arena page;
	dd_rc rc = DD_OK;

	dd_arena_init(&page, 64 * 1024);
	for (int64_t off = 0; rc == DD_OK && (off == 0 || off < total); off += PAGE) {
		dd_arena_reset(&page);
		rc = dd_store_app_page(x->req->st, &f, off, PAGE, &apps, &n, &total, &page, err);
		for (size_t i = 0; rc == DD_OK && i < n; i++) {
			const dd_application *a = &apps[i];
			char id[19] = "", on[11] = "";
			int k = dd_flow_lookup(dd_flow_kinds, 2, a->kind, strlen(a->kind));
			dd_id_mask(a->applicant_id, id);
			dd_date_format(a->submitted_on, on);
			cell row[] = { { a->app_no, 0 },
				       { k >= 0 ? dd_flow_kinds[k].zh : a->kind, 0 },
				       { dd_flow_state_zh(a->state), 0 },
				       { a->household_no, 0 },
				       { a->region_code, 0 },
				       { a->applicant_name, 0 },
				       { id, 0 },
				       { on, 0 },
				       { a->computed_category, 0 },
				       { a->decided_category, 0 },
				       { a->emergency ? "是" : "否", 0 },
				       { NULL, a->emergency_amount } };
			sheet_row(&x->sh, row);
		}
		if (n < PAGE)
			break;
	}
	dd_arena_release(&page);
	return rc;
}

static const struct {
	const char *what;
	const col *cols;
	size_t ncols;
	dd_rc (*fill)(export *x, dd_err *err);
} exports[] = {
	{ "households", household_cols, DD_ARRAY_LEN(household_cols), export_households },
	{ "warnings", warning_cols, DD_ARRAY_LEN(warning_cols), export_warnings },
	{ "applications", application_cols, DD_ARRAY_LEN(application_cols), export_applications },
};

dd_rc api_export(dd_http_req *req)
{
	const char *what = http_arg(req, "what"), *format = http_arg(req, "format");
	char buf[13], day[11];
	bool none, xlsx;
	size_t e;
	export x = { .req = req };
	dd_err err = { 0 };
	dd_rc rc;

	for (e = 0; what && e < DD_ARRAY_LEN(exports); e++)
		if (!strcmp(what, exports[e].what))
			break;
	if (!what || e == DD_ARRAY_LEN(exports))
		return http_fail(req, 400, "BAD_REQUEST", "what 应为 households、warnings 或 applications");
	if (!format || (strcmp(format, "xlsx") && strcmp(format, "csv")))
		return http_fail(req, 400, "BAD_REQUEST", "format 应为 xlsx 或 csv");
	xlsx = !strcmp(format, "xlsx");
	if (!scope_of(req, buf, &x.prefix, &none) ||
	    (exports[e].fill == export_households && !http_household_query(req, &x.hq)))
		return DD_OK;
	rc = sheet_open(&x.sh, xlsx, exports[e].cols, exports[e].ncols, &req->raw, &err);
	/* an empty scope exports the header alone */
	if (rc == DD_OK && !none)
		rc = exports[e].fill(&x, &err);
	rc = sheet_close(&x.sh, &req->raw, rc, &err);
	if (rc != DD_OK) {
		dd_log_error("导出失败：%s", err.msg);
		dd_buf_release(&req->raw);
		return rc;
	}
	dd_date_format(dd_date_today(), day);
	req->status = 200;
	req->raw_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			     : "text/csv; charset=utf-8";
	req->disposition = dd_arena_printf(&req->mem, "attachment; filename=\"%s-%s.%s\"", what, day, format);
	return req->disposition ? DD_OK : DD_ERR_NOMEM;
}
