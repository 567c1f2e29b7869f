/*
 * cmd_application.c - `doudi application show|advance|list|object|recheck|decision`:
 * the recognition procedure (DOMAIN.md §3.2) on the command line.  The
 * rules are src/workflow's; this file parses options and prints.
 *
 * Full ID numbers are never printed here: the applicant and the IDs in the
 * assessment (tekun, single_person_db) are masked.
 */
#include "../core/dd.h"
#include "../core/id.h"
#include "../core/money.h"
#include "../core/policy.h"
#include "../core/text.h"
#include "../report/report.h"
#include "../store/store.h"
#include "../workflow/workflow.h"
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void date_text(dd_date d, char buf[11])
{
	if (d == DD_DATE_NONE)
		snprintf(buf, 11, "-");
	else
		dd_date_format(d, buf);
}

/* The Chinese names of a ';'-joined code list, joined with 、. */
static void needs_text(const char *codes, char *out, size_t cap)
{
	size_t off = 0;

	out[0] = 0;
	for (const char *p = codes; p && *p && off < cap;) {
		size_t len = strcspn(p, ";");
		int i = dd_flow_lookup(dd_flow_needs, DD_FLOW_NNEEDS, p, len);
		off += (size_t)snprintf(out + off, cap - off, "%s%s", off ? "、" : "",
					i >= 0 ? dd_flow_needs[i].zh : "?");
		p += len + (p[len] == ';');
	}
}

static const char *name_zh(const dd_flow_name *t, size_t n, const char *code)
{
	int i = code ? dd_flow_lookup(t, n, code, strlen(code)) : -1;
	return i < 0 ? (code ? code : "") : t[i].zh;
}

/* The stored assessment with its ID lists masked (NULL when there is none). */
static json_t *masked_assessment(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	static const char *const lists[] = { "tekun", "single_person_db" };

	for (size_t k = 0; j && k < DD_ARRAY_LEN(lists); k++) {
		json_t *arr = json_object_get(j, lists[k]), *v;
		size_t i;
		json_array_foreach(arr, i, v) {
			char m[19];
			dd_id_mask(json_string_value(v), m);
			json_array_set_new(arr, i, json_string(m));
		}
	}
	return j;
}

/* ---- show ---- */

typedef struct loaded {
	dd_application a;
	dd_app_step *steps;
	size_t nsteps;
	dd_followup *fs;
	size_t nfs;
} loaded;

static dd_rc load(dd_store *st, const char *key, loaded *l, dd_arena *mem, dd_err *err)
{
	dd_rc rc = dd_store_app_get(st, key, &l->a, mem, err);

	if (rc == DD_OK)
		rc = dd_store_app_steps(st, l->a.id, &l->steps, &l->nsteps, mem, err);
	if (rc == DD_OK)
		rc = dd_store_followups(st, 0, l->a.id, &l->fs, &l->nfs, mem, err);
	return rc;
}

static json_t *jdate(dd_date d)
{
	char b[11];
	if (d == DD_DATE_NONE)
		return json_null();
	dd_date_format(d, b);
	return json_string(b);
}

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int show_json(const loaded *l)
{
	const dd_application *a = &l->a;
	json_t *o = json_object(), *needs = json_array(), *hist = json_array(), *fu = json_array();
	char mid[19], money[32];
	int ret = 0;

	dd_id_mask(a->applicant_id, mid);
	dd_money_format(a->emergency_amount, money);
	json_object_set_new(o, "app_no", json_string(a->app_no));
	json_object_set_new(o, "kind", jtext(a->kind));
	json_object_set_new(o, "household_no", jtext(a->household_no));
	json_object_set_new(o, "applicant_name", jtext(a->applicant_name));
	json_object_set_new(o, "applicant_id", json_string(mid));
	json_object_set_new(o, "channel", jtext(a->channel));
	json_object_set_new(o, "hardship", jtext(a->hardship));
	json_object_set_new(o, "emergency", json_boolean(a->emergency));
	json_object_set_new(o, "emergency_payment", json_string(money));
	json_object_set_new(o, "state", jtext(a->state));
	json_object_set_new(o, "state_zh", json_string(dd_flow_state_zh(a->state)));
	json_object_set_new(o, "submitted_on", jdate(a->submitted_on));
	json_object_set_new(o, "assessed_on", jdate(a->assessed_on));
	json_object_set_new(o, "computed_category", jtext(a->computed_category));
	json_object_set_new(o, "decided_category", jtext(a->decided_category));
	json_object_set_new(o, "decision_reason", jtext(a->decision_reason));
	json_object_set_new(o, "decided_on", jdate(a->decided_on));
	json_object_set_new(o, "notice_from", jdate(a->notice_from));
	json_object_set_new(o, "notice_until", jdate(a->notice_until));
	for (const char *p = a->needs; p && *p;) {
		size_t len = strcspn(p, ";");
		int i = dd_flow_lookup(dd_flow_needs, DD_FLOW_NNEEDS, p, len);
		if (i >= 0) {
			json_t *n = json_object();
			json_object_set_new(n, "code", json_string(dd_flow_needs[i].code));
			json_object_set_new(n, "name", json_string(dd_flow_needs[i].zh));
			json_array_append_new(needs, n);
		}
		p += len + (p[len] == ';');
	}
	json_object_set_new(o, "needs", needs);
	for (size_t i = 0; i < l->nsteps; i++) {
		const dd_app_step *s = &l->steps[i];
		json_t *h = json_object();
		json_object_set_new(h, "action", json_string(s->action));
		json_object_set_new(h, "from", jtext(s->from_state));
		json_object_set_new(h, "to", json_string(s->to_state));
		json_object_set_new(h, "by", json_string(s->user));
		json_object_set_new(h, "at", json_string(s->at));
		json_object_set_new(h, "on", jdate(s->on));
		json_object_set_new(h, "comment", jtext(s->comment));
		json_object_set_new(h, "investigators", jtext(s->investigators));
		json_array_append_new(hist, h);
	}
	json_object_set_new(o, "history", hist);
	for (size_t i = 0; i < l->nfs; i++) {
		const dd_followup *f = &l->fs[i];
		json_t *h = json_object();
		json_object_set_new(h, "kind", json_string(f->kind));
		json_object_set_new(h, "due_on", jdate(f->due_on));
		json_object_set_new(h, "done_on", jdate(f->done_on));
		if (f->amount >= 0) {
			dd_money_format(f->amount, money);
			json_object_set_new(h, "amount", json_string(money));
		} else {
			json_object_set_new(h, "amount", json_null());
		}
		json_object_set_new(h, "result", jtext(f->result));
		json_array_append_new(fu, h);
	}
	json_object_set_new(o, "followups", fu);
	json_t *as = masked_assessment(a->assessment);
	json_object_set_new(o, "assessment", as ? as : json_null());
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (text)
		puts(text);
	else
		ret = 5;
	free(text);
	json_decref(o);
	return ret;
}

/* A label padded to a display width of 10, then the value. */
static void field(const char *label, const char *value)
{
	size_t w = dd_text_width(label);
	printf("%s%*s%s\n", label, (int)(w < 10 ? 10 - w : 1), "", value ? value : "");
}

static int show_table(const loaded *l)
{
	const dd_application *a = &l->a;
	char mid[19], buf[1024], d1[11], d2[11];

	dd_id_mask(a->applicant_id, mid);
	field("申请编号", a->app_no);
	field("类型", name_zh(dd_flow_kinds, 2, a->kind));
	field("户编号", a->household_no);
	snprintf(buf, sizeof buf, "%s %s", a->applicant_name, mid);
	field("申请人", buf);
	field("申请渠道", name_zh(dd_flow_channels, DD_FLOW_NCHANNELS, a->channel));
	snprintf(buf, sizeof buf, "%s（%s）", dd_flow_state_zh(a->state), a->state);
	field("当前状态", buf);
	needs_text(a->needs, buf, sizeof buf);
	field("救助需求", buf);
	field("困难情况", a->hardship);
	if (a->emergency) {
		char m[32];
		dd_money_format(a->emergency_amount, m);
		snprintf(buf, sizeof buf, "是（先行救助 %s 元）", m);
	}
	field("急难型", a->emergency ? buf : "否");
	date_text(a->assessed_on, d1);
	snprintf(buf, sizeof buf, "%s（核对日期 %s）", a->computed_category ? a->computed_category : "-", d1);
	field("核算类别", buf);
	date_text(a->notice_from, d1);
	date_text(a->notice_until, d2);
	snprintf(buf, sizeof buf, "%s 至 %s", d1, d2);
	field("公示期", buf);
	date_text(a->decided_on, d1);
	snprintf(buf, sizeof buf, "%s（%s）%s%s", a->decided_category ? a->decided_category : "-", d1,
		 a->decision_reason ? " 理由：" : "", a->decision_reason ? a->decision_reason : "");
	field("认定结果", buf);
	printf("\n办理记录：\n");
	for (size_t i = 0; i < l->nsteps; i++) {
		const dd_app_step *s = &l->steps[i];
		date_text(s->on, d1);
		printf("  %s  %-10s %s → %s  办理人 %s%s%s%s%s\n", d1, s->action,
		       s->from_state ? dd_flow_state_zh(s->from_state) : "-", dd_flow_state_zh(s->to_state),
		       s->user, s->investigators ? "  调查人员 " : "", s->investigators ? s->investigators : "",
		       s->comment ? "  " : "", s->comment ? s->comment : "");
	}
	if (l->nfs)
		printf("\n后续事项：\n");
	for (size_t i = 0; i < l->nfs; i++) {
		const dd_followup *f = &l->fs[i];
		char m[32] = "";
		date_text(f->due_on, d1);
		date_text(f->done_on, d2);
		if (f->amount >= 0)
			dd_money_format(f->amount, m);
		printf("  %-18s 应办 %s  已办 %s%s%s%s\n", f->kind, d1, d2, *m ? "  金额 " : "", m,
		       f->result ? f->result : "");
	}
	json_t *as = masked_assessment(a->assessment), *step;
	size_t i;
	if (as)
		printf("\n家庭经济状况核对（评估过程）：\n");
	json_array_foreach(json_object_get(as, "trace"), i, step)
		printf("  %s %s  %s\n", json_string_value(json_object_get(step, "category")),
		       json_is_true(json_object_get(step, "passed")) ? "符合" : "不符合",
		       json_string_value(json_object_get(step, "why")));
	json_decref(as);
	return 0;
}

int cmd_application_show(dd_cli *cli)
{
	const char *format = "table", *pos[1] = { NULL };
	const dd_opt opts[] = { { "--format", &format, NULL } };
	size_t npos = 0;
	dd_store *st = NULL;
	dd_arena mem;
	loaded l = { 0 };
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi application show ID [--format table|json]");
	if (strcmp(format, "json") && strcmp(format, "table"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table 或 json");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_arena_init(&mem, 0);
	dd_rc rc = load(st, pos[0], &l, &mem, &err);
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
	else
		ret = !strcmp(format, "json") ? show_json(&l) : show_table(&l);
	dd_arena_release(&mem);
	dd_store_close(st);
	return ret;
}

/* ---- advance, object, recheck ---- */

int cmd_application_advance(dd_cli *cli)
{
	const char *to = NULL, *by = NULL, *pos[1] = { NULL };
	bool reject = false;
	dd_flow_request r = { .on = dd_date_today() };
	const dd_opt opts[] = {
		{ "--to", &to, NULL }, { "--by", &by, NULL }, { "--comment", &r.comment, NULL },
		{ "--investigators", &r.investigators, NULL }, { "--category", &r.category, NULL },
		{ "--reason", &r.reason, NULL }, { "--reject", NULL, &reject },
		{ "--fp-risk-cleared", NULL, &r.fp_risk_cleared },
	};
	size_t npos = 0;
	dd_store *st = NULL;
	dd_policy policy;
	dd_err err = { 0 };
	int ret, target;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || (!to && !reject))
		return dd_cli_fail(cli, DD_ERR_USAGE,
				   "用法: doudi application advance ID --to STATE --by USER [--comment T]"
				   " [--investigators A,B] [--category CODE --reason T] [--reject --reason T]");
	target = reject ? DD_FLOW_REJECTED : dd_flow_state_parse(to);
	if (reject && to && dd_flow_state_parse(to) != DD_FLOW_REJECTED && dd_flow_state_parse(to) != DD_FLOW_DECISION)
		return dd_cli_failf(cli, DD_ERR_USAGE, "--reject 不能与 --to %s 同用", to);
	if (target < 0)
		return dd_cli_failf(cli, DD_ERR_USAGE, "未知的状态「%s」（可用英文代码或中文名称，如 village_review / 村社评议）", to);
	r.to = (dd_flow_state)target;
	r.user = by ? by : cli->user;
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0 || (ret = dd_cli_policy(cli, st, &policy)) != 0)
		goto done;
	dd_rc rc = dd_flow_advance(st, &policy, pos[0], &r, &err);
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
	else
		printf("%s %s\n", pos[0], dd_flow_states[r.to].code);
done:
	dd_store_close(st);
	return ret;
}

int cmd_application_object(dd_cli *cli)
{
	const char *by = NULL, *comment = NULL, *pos[1] = { NULL };
	const dd_opt opts[] = { { "--by", &by, NULL }, { "--comment", &comment, NULL } };
	size_t npos = 0;
	dd_store *st = NULL;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || !comment)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi application object ID --comment TEXT [--by USER]");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_rc rc = dd_flow_object(st, pos[0], by ? by : cli->user, dd_date_today(), comment, &err);
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
	dd_store_close(st);
	return ret;
}

int cmd_application_recheck(dd_cli *cli)
{
	const char *by = NULL, *result = NULL, *pos[1] = { NULL };
	const dd_opt opts[] = { { "--by", &by, NULL }, { "--result", &result, NULL } };
	size_t npos = 0;
	dd_store *st = NULL;
	dd_policy policy;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || !result)
		return dd_cli_fail(cli, DD_ERR_USAGE,
				   "用法: doudi application recheck HOUSEHOLD_NO --result TEXT [--by USER]");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0 || (ret = dd_cli_policy(cli, st, &policy)) != 0)
		goto done;
	dd_rc rc = dd_flow_recheck_done(st, &policy, by ? by : cli->user, pos[0], dd_date_today(), result,
					&err);
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
done:
	dd_store_close(st);
	return ret;
}

/* ---- list ---- */

int cmd_application_list(dd_cli *cli)
{
	const char *state = NULL, *format = "table";
	const dd_opt opts[] = { { "--state", &state, NULL }, { "--format", &format, NULL } };
	dd_store *st = NULL;
	dd_application *apps = NULL;
	size_t n = 0;
	dd_arena mem;
	dd_err err = { 0 };
	int ret, s = -1;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (state && (s = dd_flow_state_parse(state)) < 0)
		return dd_cli_failf(cli, DD_ERR_USAGE, "未知的状态「%s」", state);
	if (strcmp(format, "json") && strcmp(format, "table"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table 或 json");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_arena_init(&mem, 0);
	dd_rc rc = dd_store_app_list(st, s < 0 ? NULL : dd_flow_states[s].code, &apps, &n, &mem, &err);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	json_t *arr = !strcmp(format, "json") ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const dd_application *a = &apps[i];
		char d[11];
		date_text(a->submitted_on, d);
		if (!arr) {
			printf("%s  %-5s %-12s %-8s %s  %s\n", a->app_no, a->kind, a->household_no,
			       a->applicant_name, dd_flow_state_zh(a->state), d);
			continue;
		}
		json_t *o = json_object();
		json_object_set_new(o, "app_no", json_string(a->app_no));
		json_object_set_new(o, "kind", json_string(a->kind));
		json_object_set_new(o, "household_no", jtext(a->household_no));
		json_object_set_new(o, "applicant_name", jtext(a->applicant_name));
		json_object_set_new(o, "state", json_string(a->state));
		json_object_set_new(o, "submitted_on", jdate(a->submitted_on));
		json_array_append_new(arr, o);
	}
	if (arr) {
		char *text = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(text ? text : "[]");
		free(text);
		json_decref(arr);
	}
done:
	dd_arena_release(&mem);
	dd_store_close(st);
	return ret;
}

/* ---- decision document ---- */

int cmd_application_decision(dd_cli *cli)
{
	const char *pdf = NULL, *doc_no = NULL, *pos[1] = { NULL };
	const dd_opt opts[] = { { "--pdf", &pdf, NULL }, { "--doc-no", &doc_no, NULL } };
	size_t npos = 0;
	dd_store *st = NULL;
	dd_policy policy;
	dd_application a;
	dd_flow_household x = { 0 };
	dd_arena mem;
	dd_buf out;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || !pdf)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi application decision ID --pdf FILE [--doc-no 文号]");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_arena_init(&mem, 0);
	dd_buf_init(&out, 0);
	if ((ret = dd_cli_policy(cli, st, &policy)) != 0)
		goto done;
	dd_rc rc = dd_store_app_get(st, pos[0], &a, &mem, &err);
	if (rc == DD_OK && a.assessed_on == DD_DATE_NONE)
		rc = dd_err_set(&err, DD_ERR_INPUT, "申请 %s 尚未完成家庭经济状况核对，没有可打印的认定结果", a.app_no);
	/* re-assessed at the economic check's date: the numbers the reviewers read */
	if (rc == DD_OK)
		rc = dd_flow_household_assess(st, &policy, a.household_id, a.assessed_on, &x, &err);
	if (rc == DD_OK) {
		unsigned decided = a.decided_category ? dd_category_parse(a.decided_category, strlen(a.decided_category)) : 0;
		bool override = decided && a.computed_category && strcmp(a.decided_category, a.computed_category);
		dd_report_decision d = {
			.h = &x.rec->h, .m = x.rec->members, .nm = x.rec->nmembers, .a = x.a,
			.decided = decided, .proposed = !a.decided_category,
			.reason = a.decision_reason, .override_reason = override ? a.decision_reason : NULL,
			.doc_no = doc_no ? doc_no : a.app_no,
			.date = a.decided_on != DD_DATE_NONE ? a.decided_on : a.assessed_on,
		};
		rc = dd_report_decision_pdf(&d, &out, &err);
	}
	if (rc == DD_OK)
		rc = dd_report_save(&out, pdf, &err);
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
	else
		puts(pdf);
done:
	dd_flow_household_release(&x);
	dd_buf_release(&out);
	dd_arena_release(&mem);
	dd_store_close(st);
	return ret;
}
