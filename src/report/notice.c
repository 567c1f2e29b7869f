/*
 * notice.c - 公示名单 (DOMAIN.md §3.2 公示): per village, the households
 * to be recognised, with names and IDs masked for a public notice board.
 */
#include "../core/dd.h"
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

/* Village part of a region code: 12 digits. */
#define VILLAGE 12

typedef struct notice_run {
	const dd_report_notice *n;
	size_t *order;           /* row indices grouped by village (stable) */
} notice_run;

/* qsort_r order of row indices: village, then given order (so the sort is stable). */
static int by_village(const void *pa, const void *pb, void *arg)
{
	const dd_report_notice_row *rows = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strncmp(rp_s(rows[a].region_code), rp_s(rows[b].region_code), VILLAGE);
	return c ? c : (a > b) - (a < b);
}

static bool same_village(const dd_report_notice_row *a, const dd_report_notice_row *b)
{
	return !strncmp(rp_s(a->region_code), rp_s(b->region_code), VILLAGE);
}

static const char *ymd_zh(doc *d, dd_date v)
{
	int y, m, day;
	dd_date_to_ymd(v, &y, &m, &day);
	return rp_printf(d, "%d年%d月%d日", y, m, day);
}

/* Title, notice text, and the table header of one village's list. */
static void village_head(doc *d, const dd_report_notice *n, const char *code)
{
	const char *town = rp_region_name(d, code, 9), *village = rp_region_name(d, code, VILLAGE);
	const char *body = n->body ? n->body : rp_default_body(d, code);

	d->running = rp_printf(d, "公示名单 %s%s", town, village);
	rp_title(d, "低收入人口审核确认公示名单");
	rp_text(d, rp_printf(d, "%s %s", town, *village ? village : rp_s(code)), RP_HEAD, false,
		PANGO_ALIGN_CENTER);
	d->y += 8.0;
	rp_text(d, rp_printf(d, "经本人申请、家庭经济状况核对和入户调查，下列家庭拟认定为低收入人口，现予公示。"
				"公示期为 %s至%s。如有异议，请在公示期内向%s或村（居）民委员会实名反映。",
			     ymd_zh(d, n->from), ymd_zh(d, n->to), *body ? body : "乡镇人民政府（街道办事处）"),
		RP_BODY, false, PANGO_ALIGN_LEFT);
	d->y += 6.0;
}

static void village_foot(doc *d, const dd_report_notice *n, const char *code)
{
	const char *body = n->body ? n->body : rp_default_body(d, code);

	rp_need(d, 60.0);
	d->y += 16.0;
	rp_text(d, *body ? body : "", RP_BODY, false, PANGO_ALIGN_RIGHT);
	rp_text(d, ymd_zh(d, n->date == DD_DATE_NONE ? n->from : n->date), RP_BODY, false, PANGO_ALIGN_RIGHT);
}

static dd_rc build(doc *d, const void *input)
{
	static const rp_col cols[] = {
		{ "序号", 0.08, PANGO_ALIGN_CENTER, false }, { "户主姓名", 0.16, PANGO_ALIGN_CENTER, false },
		{ "身份证号码", 0.30, PANGO_ALIGN_CENTER, false }, { "认定类别", 0.30, PANGO_ALIGN_CENTER, false },
		{ "家庭人口", 0.16, PANGO_ALIGN_CENTER, false },
	};
	static const rp_table t = { cols, DD_ARRAY_LEN(cols), true, RP_BODY };
	const notice_run *run = input;
	const dd_report_notice *n = run->n;
	size_t k = 0;

	if (!n->nrows) {
		village_head(d, n, rp_s(n->region_code));
		rp_text(d, "本期无公示对象。", RP_BODY, false, PANGO_ALIGN_CENTER);
		village_foot(d, n, rp_s(n->region_code));
		return DD_OK;
	}
	for (size_t i = 0; i < n->nrows; i++) {
		const dd_report_notice_row *r = &n->rows[run->order[i]];
		char name[64];

		if (i == 0 || !same_village(r, &n->rows[run->order[i - 1]])) {
			if (i > 0) {
				rp_table_end(d);
				village_foot(d, n, rp_s(n->rows[run->order[i - 1]].region_code));
				rp_new_page(d);
			}
			village_head(d, n, rp_s(r->region_code));
			rp_table_begin(d, &t);
			k = 0;
		}
		dd_report_name_mask(r->name, name, sizeof name);
		const char *row[] = {
			rp_printf(d, "%zu", ++k), rp_printf(d, "%s", name), rp_id(d, r->id_number),
			dd_report_category_zh(r->category),
			r->household_size > 0 ? rp_printf(d, "%d", r->household_size) : "",
		};
		rp_table_row(d, row);
	}
	rp_table_end(d);
	village_foot(d, n, rp_s(n->rows[run->order[n->nrows - 1]].region_code));
	return DD_OK;
}

dd_rc dd_report_notice_pdf(const dd_report_notice *n, dd_buf *out, dd_err *err)
{
	notice_run run = { n, NULL };
	dd_rc rc;

	if (n->from == DD_DATE_NONE || n->to == DD_DATE_NONE || n->to < n->from)
		return dd_err_set(err, DD_ERR_INPUT, "公示期无效：须有起止日期，且止日不早于起日");
	if (n->nrows && !n->rows)
		return dd_err_set(err, DD_ERR_USAGE, "公示名单缺少行");
	if (!(run.order = malloc((n->nrows + 1) * sizeof *run.order)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	for (size_t i = 0; i < n->nrows; i++)
		run.order[i] = i;
	qsort_r(run.order, n->nrows, sizeof *run.order, by_village, (void *)n->rows);
	rc = rp_run(build, &run, "低收入人口审核确认公示名单", n->date == DD_DATE_NONE ? n->from : n->date, out,
		    err);
	free(run.order);
	return rc;
}
