/*
 * cmd_print.c - printable documents as PDF (src/report):
 *
 *   doudi print form1 --household NO --out F.pdf [--date D]
 *       附件1 信息采集表 of a registry household
 *   doudi print assessment FILE.json --out F.pdf [--date D]
 *       the decision document of the computed result, marked 拟认定
 *   doudi print notice --region CODE --out F.pdf [--from D]
 *       公示名单 of the current registry households of a township or village
 *   doudi application decision ID --pdf F.pdf [--doc-no 文号]
 *       审核确认决定书 of an application (拟认定 before the decision; 退出 for an exit)
 *   doudi application form ID --pdf F.pdf
 *       附件2 救助帮扶申请登记表 of a recorded application
 *
 * Each prints the path of the PDF written.  --date (default today) is the
 * date printed on the document and, for an assessment, the assessment date.
 * An application's documents carry its own dates (submission, decision).
 */
#include "../core/dd.h"
#include "../assess/assess.h"
#include "../assess/input.h"
#include "../core/policy.h"
#include "../core/region.h"
#include "../report/report.h"
#include "../store/store.h"
#include "../workflow/workflow.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses an optional date option into *d (kept when absent); the exit code. */
static int date_opt(dd_cli *cli, const char *name, const char *arg, dd_date *d)
{
	if (arg && dd_date_parse(arg, strlen(arg), d) != DD_OK)
		return dd_cli_failf(cli, DD_ERR_USAGE, "%s 应为存在的日期，格式 YYYY-MM-DD：%s", name, arg);
	return 0;
}

/* Saves the PDF and prints its path; the exit code. */
static int finish(dd_cli *cli, dd_rc rc, const dd_buf *pdf, const char *path, dd_err *err)
{
	if (rc == DD_OK)
		rc = dd_report_save(pdf, path, err);
	if (rc != DD_OK)
		return dd_cli_fail(cli, rc, err->msg);
	puts(path);
	return 0;
}

int cmd_print_form1(dd_cli *cli)
{
	const char *no = NULL, *out = NULL, *date_arg = NULL;
	const dd_opt opts[] = { { "--household", &no, NULL }, { "--out", &out, NULL }, { "--date", &date_arg, NULL } };
	size_t npos = 0;
	dd_date date = dd_date_today();
	dd_store *st = NULL;
	dd_registry_cursor *cur = NULL;
	const dd_registry_rec *rec = NULL;
	dd_buf pdf;
	dd_err err = { 0 };
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, &npos) != DD_OK)
		return 1;
	if (!no || !out)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi print form1 --household 户编号 --out F.pdf [--date YYYY-MM-DD]");
	if ((ret = date_opt(cli, "--date", date_arg, &date)) != 0 || (ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_buf_init(&pdf, 0);
	/* a scan is fine at county scale (10^4–10^5 households); exited ones print too */
	rc = dd_store_registry_open(st, date, true, &cur, &err);
	while (rc == DD_OK && (rc = dd_store_registry_next(cur, &rec, &err)) == DD_OK)
		if (rec->h.household_no && !strcmp(rec->h.household_no, no))
			break;
	if (rc == DD_DONE)
		rc = dd_err_set(&err, DD_ERR_NOTFOUND, "户编号不存在：%s", no);
	if (rc == DD_OK) {
		dd_report_form1 f = { &rec->h, rec->members, rec->nmembers, rec->obligors, rec->nobligors, NULL, date };
		rc = dd_report_form1_pdf(&f, &pdf, &err);
	}
	dd_store_registry_close(cur);
	ret = finish(cli, rc, &pdf, out, &err);
	dd_buf_release(&pdf);
	dd_store_close(st);
	return ret;
}

int cmd_print_assessment(dd_cli *cli)
{
	const char *out = NULL, *date_arg = NULL, *pos[1] = { NULL };
	const dd_opt opts[] = { { "--out", &out, NULL }, { "--date", &date_arg, NULL } };
	size_t npos = 0;
	dd_date at = dd_date_today();
	dd_policy policy;
	dd_assess_input in = { 0 };
	dd_assessment *a = NULL;
	dd_buf pdf;
	dd_err err = { 0 };
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || !out)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi print assessment FILE.json --out F.pdf [--date YYYY-MM-DD]");
	if ((ret = date_opt(cli, "--date", date_arg, &at)) != 0 || (ret = dd_cli_policy_nodb(cli, &policy)) != 0)
		return ret;
	dd_buf_init(&pdf, 0);
	if ((rc = dd_assess_input_read(pos[0], &in, &err)) == DD_OK && !(a = malloc(sizeof *a)))
		rc = dd_err_set(&err, DD_ERR_NOMEM, "内存不足");
	if (rc == DD_OK)
		rc = dd_assess(&policy, &in.h, in.members, in.nmembers, in.obligors, in.nobligors, at, a, &err);
	if (rc == DD_OK) {
		dd_report_decision d = { .h = &in.h, .m = in.members, .nm = in.nmembers, .a = a,
					 .proposed = true, .date = at };
		rc = dd_report_decision_pdf(&d, &pdf, &err);
	}
	ret = finish(cli, rc, &pdf, out, &err);
	free(a);
	dd_assess_input_release(&in);
	dd_buf_release(&pdf);
	return ret;
}

/* The head's name: the member holding head_id, else the first member's. */
static const char *head_name(const dd_registry_rec *r)
{
	for (size_t i = 0; i < r->nmembers; i++)
		if (r->h.head_id && !strcmp(r->members[i].id.text, r->h.head_id))
			return r->members[i].name;
	return r->nmembers ? r->members[0].name : "";
}

/* Appends the rows of the current households of `region` with a category; strings copied to mem. */
static dd_rc notice_rows(dd_store *st, const char *region, dd_date today, dd_arena *mem, dd_buf *rows,
			 dd_err *err)
{
	dd_registry_cursor *cur = NULL;
	const dd_registry_rec *r;
	dd_rc rc = dd_store_registry_open(st, today, false, &cur, err);

	while (rc == DD_OK && (rc = dd_store_registry_next(cur, &r, err)) == DD_OK) {
		if (!r->h.categories || !r->h.region_code || !dd_region_within(r->h.region_code, region))
			continue;
		dd_report_notice_row row = {
			dd_arena_strdup(mem, r->h.region_code), dd_arena_strdup(mem, r->h.household_no),
			dd_arena_strdup(mem, head_name(r)), dd_arena_strdup(mem, r->h.head_id ? r->h.head_id : ""),
			r->h.categories, (int)r->nmembers,
		};
		if (!row.region_code || !row.household_no || !row.name || !row.id_number ||
		    dd_buf_append(rows, &row, sizeof row) != DD_OK)
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	}
	dd_store_registry_close(cur);
	return rc == DD_DONE ? DD_OK : rc;
}

int cmd_print_notice(dd_cli *cli)
{
	const char *region = NULL, *out = NULL, *from_arg = NULL;
	const dd_opt opts[] = { { "--region", &region, NULL }, { "--out", &out, NULL }, { "--from", &from_arg, NULL } };
	size_t npos = 0;
	dd_date from = dd_date_today();
	dd_store *st = NULL;
	dd_policy policy;
	dd_region reg;
	dd_arena mem;
	dd_buf rows, pdf;       /* rows: an array of dd_report_notice_row */
	dd_err err = { 0 };
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, &npos) != DD_OK)
		return 1;
	if (!region || !out)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi print notice --region 乡镇或村代码 --out F.pdf [--from YYYY-MM-DD]");
	if ((ret = date_opt(cli, "--from", from_arg, &from)) != 0)
		return ret;
	if (dd_region_lookup(region, strlen(region), &reg) != DD_OK || reg.level < DD_REGION_TOWNSHIP)
		return dd_cli_failf(cli, DD_ERR_USAGE, "--region 应为存在的乡镇（9位）或村（12位）代码：%s", region);
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_arena_init(&mem, 0);
	dd_buf_init(&rows, 0);
	dd_buf_init(&pdf, 0);
	if ((ret = dd_cli_policy(cli, st, &policy)) != 0)
		goto done;
	rc = notice_rows(st, region, from, &mem, &rows, &err);
	if (rc == DD_OK) {
		/* the notice runs notice_days days, the first one included */
		dd_report_notice n = { region, (const dd_report_notice_row *)rows.data,
				       rows.len / sizeof(dd_report_notice_row), from,
				       from + DD_MAX(policy.notice_days, 1) - 1, NULL, from };
		rc = dd_report_notice_pdf(&n, &pdf, &err);
	}
	ret = finish(cli, rc, &pdf, out, &err);
done:
	dd_buf_release(&pdf);
	dd_buf_release(&rows);
	dd_arena_release(&mem);
	dd_store_close(st);
	return ret;
}

/* ---- the documents of an application ---- */

/* Fills `pdf` with a document of application a. */
typedef dd_rc (*app_doc_fn)(dd_store *st, const dd_policy *p, const dd_application *a, const char *doc_no,
			    dd_buf *pdf, dd_err *err);

/* `application <doc> ID --pdf FILE [--doc-no 文号]`: loads the application and prints fn's document. */
static int print_application(dd_cli *cli, bool with_doc_no, const char *usage, app_doc_fn fn)
{
	const char *out = NULL, *doc_no = NULL, *pos[1] = { NULL };
	const dd_opt opts[] = { { "--pdf", &out, NULL }, { "--doc-no", &doc_no, NULL } };
	size_t npos = 0;
	dd_store *st = NULL;
	dd_policy policy;
	dd_application a;
	dd_arena mem;
	dd_buf pdf;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, with_doc_no ? 2 : 1, pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || !out)
		return dd_cli_fail(cli, DD_ERR_USAGE, usage);
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_arena_init(&mem, 0);
	dd_buf_init(&pdf, 0);
	if ((ret = dd_cli_policy(cli, st, &policy)) == 0) {
		dd_rc rc = dd_store_app_get(st, pos[0], &a, &mem, &err);
		if (rc == DD_OK)
			rc = fn(st, &policy, &a, doc_no, &pdf, &err);
		ret = finish(cli, rc, &pdf, out, &err);
	}
	dd_buf_release(&pdf);
	dd_arena_release(&mem);
	dd_store_close(st);
	return ret;
}

int cmd_application_decision(dd_cli *cli)
{
	return print_application(cli, true, "用法: doudi application decision ID --pdf FILE [--doc-no 文号]",
				 dd_flow_decision_pdf);
}

/* The applicant's phone: their own as a member of the household, else the household's. */
static const char *applicant_phone(const dd_registry_rec *r, const char *applicant_id)
{
	for (size_t i = 0; i < r->nmembers; i++)
		if (!strcmp(r->members[i].id.text, applicant_id) && r->members[i].phone && *r->members[i].phone)
			return r->members[i].phone;
	return r->h.phone;
}

static dd_rc form_doc(dd_store *st, const dd_policy *p, const dd_application *a, const char *doc_no,
		      dd_buf *pdf, dd_err *err)
{
	dd_flow_household x = { 0 };
	dd_rc rc = dd_flow_household_read(st, a->household_id, &x, err);

	DD_UNUSED(p);
	DD_UNUSED(doc_no);
	if (rc == DD_OK) {
		int ch = a->channel ? dd_flow_lookup(dd_flow_channels, DD_FLOW_NCHANNELS, a->channel, strlen(a->channel)) : -1;
		/* the registry keeps one address (家庭住址): 户籍地址 is left for the applicant to write */
		dd_report_application f = {
			.app_no = a->app_no, .region_code = x.rec->h.region_code,
			.applicant_name = a->applicant_name, .applicant_id = a->applicant_id,
			.household_size = (int)x.rec->nmembers, .hukou = x.rec->h.hukou,
			.address = x.rec->h.address, .phone = applicant_phone(x.rec, a->applicant_id),
			.channel = ch < 0 ? a->channel : dd_flow_channels[ch].zh, .hardship = a->hardship,
			.needs = dd_flow_needs_mask(a->needs), .date = a->submitted_on,
		};
		rc = dd_report_application_pdf(&f, pdf, err);
	}
	dd_flow_household_release(&x);
	return rc;
}

int cmd_application_form(dd_cli *cli)
{
	return print_application(cli, false, "用法: doudi application form ID --pdf FILE", form_doc);
}
