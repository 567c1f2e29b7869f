/*
 * cmd_application.c - `doudi application show|advance|list|object|recheck`:
 * the recognition procedure (DOMAIN.md §3.2) on the command line.  The
 * rules are src/workflow's; this file parses options and prints.  The
 * documents of an application (`application decision|form`) are printed by
 * cmd_print.c with the other PDFs.
 *
 * Full ID numbers are never printed here: the applicant and the IDs in the
 * assessment (tekun, single_person_db) are masked.
 */
#include "../core/dd.h"
#include "../core/json.h"
#include "../core/id.h"
#include "../core/money.h"
#include "../core/policy.h"
#include "../core/text.h"
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
	uint32_t mask = dd_flow_needs_mask(codes);
	size_t off = 0;

	out[0] = 0;
	for (size_t i = 0; i < DD_FLOW_NNEEDS && off < cap; i++)
		if (mask & (1u << i))
			off += (size_t)snprintf(out + off, cap - off, "%s%s", off ? "、" : "", dd_flow_needs[i].zh);
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

/* After the usage check `ok`: opens the store, and reads the policy when one is asked for; the exit code. */
static int open_checked(dd_cli *cli, bool ok, const char *usage, dd_store **st, dd_policy *policy)
{
	int ret;

	if (!ok)
		return dd_cli_fail(cli, DD_ERR_USAGE, usage);
	if ((ret = dd_cli_open_store(cli, false, st)) == 0 && policy)
		ret = dd_cli_policy(cli, *st, policy);
	return ret;
}

/* The exit code of an operation: 0, or its error reported. */
static int outcome(dd_cli *cli, dd_rc rc, const dd_err *err)
{
	return rc == DD_OK ? 0 : dd_cli_fail(cli, rc, err->msg);
}

static bool format_ok(const char *format)
{
	return !strcmp(format, "json") || !strcmp(format, "table");
}

/* Prints j on one line and frees it; the exit code (5 when it could not be built). */
static int put_json(json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	int ret = text ? 0 : 5;

	if (text)
		puts(text);
	free(text);
	json_decref(j);
	return ret;
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

static int show_json(const loaded *l)
{
	const dd_application *a = &l->a;
	json_t *needs = json_array(), *hist = json_array(), *fu = json_array();
	uint32_t mask = dd_flow_needs_mask(a->needs);
	char mid[19];

	dd_id_mask(a->applicant_id, mid);
	for (size_t i = 0; i < DD_FLOW_NNEEDS; i++)
		if (mask & (1u << i))
			json_array_append_new(needs, json_pack("{s:s, s:s}", "code", dd_flow_needs[i].code, "name",
							       dd_flow_needs[i].zh));
	for (size_t i = 0; i < l->nsteps; i++) {
		const dd_app_step *s = &l->steps[i];
		json_array_append_new(hist, json_pack("{s:s, s:s?, s:s, s:s, s:s, s:o, s:s?, s:s?}", "action", s->action,
						      "from", s->from_state, "to", s->to_state, "by", s->user, "at",
						      s->at, "on", dd_json_date(s->on), "comment", s->comment, "investigators",
						      s->investigators));
	}
	for (size_t i = 0; i < l->nfs; i++) {
		const dd_followup *f = &l->fs[i];
		json_array_append_new(fu, json_pack("{s:s, s:o, s:o, s:o, s:s?}", "kind", f->kind, "due_on",
						    dd_json_date(f->due_on), "done_on", dd_json_date(f->done_on), "amount",
						    dd_json_yuan_opt(f->amount), "result", f->result));
	}
	return put_json(json_pack(
		"{s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:b, s:o, s:s?, s:s, s:o, s:o, s:s?, s:s?, s:s?, s:o,"
		" s:o, s:o, s:o, s:o, s:o, s:o?}",
		"app_no", a->app_no, "kind", a->kind, "household_no", a->household_no, "applicant_name",
		a->applicant_name, "applicant_id", mid, "channel", a->channel, "hardship", a->hardship, "emergency",
		(int)a->emergency, "emergency_payment", dd_json_yuan_opt(a->emergency_amount), "state", a->state, "state_zh",
		dd_flow_state_zh(a->state), "submitted_on", dd_json_date(a->submitted_on), "assessed_on",
		dd_json_date(a->assessed_on), "computed_category", a->computed_category, "decided_category",
		a->decided_category, "decision_reason", a->decision_reason, "decided_on", dd_json_date(a->decided_on),
		"notice_from", dd_json_date(a->notice_from), "notice_until", dd_json_date(a->notice_until), "needs", needs,
		"history", hist, "followups", fu, "assessment", masked_assessment(a->assessment)));
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
	snprintf(buf, sizeof buf, "%s（%s）%s%s", dd_flow_exit_decided(a) ? "退出" : a->decided_category ? a->decided_category : "-", d1,
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
	if (!format_ok(format))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table 或 json");
	dd_arena_init(&mem, 0);
	if ((ret = open_checked(cli, npos == 1, "用法: doudi application show ID [--format table|json]", &st,
				NULL)) == 0 &&
	    (ret = outcome(cli, load(st, pos[0], &l, &mem, &err), &err)) == 0)
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
	if ((ret = open_checked(cli, true, NULL, &st, &policy)) == 0 &&
	    (ret = outcome(cli, dd_flow_advance(st, &policy, pos[0], &r, &err), &err)) == 0)
		printf("%s %s\n", pos[0], dd_flow_states[r.to].code);
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
	if ((ret = open_checked(cli, npos == 1 && comment,
				"用法: doudi application object ID --comment TEXT [--by USER]", &st, NULL)) == 0)
		ret = outcome(cli, dd_flow_object(st, pos[0], by ? by : cli->user, dd_date_today(), comment, &err),
			      &err);
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
	if ((ret = open_checked(cli, npos == 1 && result,
				"用法: doudi application recheck HOUSEHOLD_NO --result TEXT [--by USER]", &st,
				&policy)) == 0)
		ret = outcome(cli, dd_flow_recheck_done(st, &policy, by ? by : cli->user, pos[0], dd_date_today(),
							 result, &err),
			      &err);
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
	dd_arena_init(&mem, 0);
	if ((ret = open_checked(cli, format_ok(format), "--format 应为 table 或 json", &st, NULL)) != 0 ||
	    (ret = outcome(cli, dd_store_app_list(st, s < 0 ? NULL : dd_flow_states[s].code, &apps, &n, &mem, &err),
			   &err)) != 0)
		goto done;
	json_t *arr = !strcmp(format, "json") ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const dd_application *a = &apps[i];
		char d[11];
		date_text(a->submitted_on, d);
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:o}", "app_no", a->app_no,
							     "kind", a->kind, "household_no", a->household_no,
							     "applicant_name", a->applicant_name, "state", a->state,
							     "submitted_on", dd_json_date(a->submitted_on)));
		else
			printf("%s  %-5s %-12s %-8s %s  %s\n", a->app_no, a->kind, a->household_no,
			       a->applicant_name, dd_flow_state_zh(a->state), d);
	}
	if (arr)
		ret = put_json(arr);
done:
	dd_arena_release(&mem);
	dd_store_close(st);
	return ret;
}
