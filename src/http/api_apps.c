/*
 * api_apps.c - the routes of assessment, applications and the recognition
 * procedure, and form drafts (docs/internals/api.md): a household's
 * assessment and timeline, the preview assessment of a form, applications
 * with their steps, advancing them, objections, the decision PDF, and each
 * user's unsubmitted forms.
 *
 * Roles and scope were decided by the dispatcher (api.c) before these run;
 * the one rule of its own here is which procedure states a role may ask for
 * (`may_ask`), used both for refusing an advance and for the `allowed` list.
 * The rules of the procedure itself are src/workflow's: a refusal there is
 * 422 INVALID_INPUT with its Chinese message.
 *
 * ID numbers in answers are masked, the assessment's ID lists included.
 * The business date is today (dd_date_today, local time as the CLI;
 * $DOUDI_TODAY for tests).  Only the preview assessment takes another (`on`):
 * an advance never does, since a chosen date could cut the public notice short.
 */
#include "../core/dd.h"
#include "../core/date.h"
#include "../core/id.h"
#include "../core/json.h"
#include "../core/money.h"
#include "../core/policy.h"
#include "../core/registry.h"
#include "../assess/assess.h"
#include "../assess/input.h"
#include "../workflow/workflow.h"
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Events of one household's timeline shown at most. */
#define HISTORY_MAX 500
/* A draft's data, as compact JSON. */
#define DRAFT_DATA_MAX (256 * 1024)
/* Drafts one user may keep. */
#define DRAFTS_PER_USER 50

/* ---- the role rule of the procedure ---- */

#define STATE_BIT(s) (1u << (s))
/* Every state (asking for one out of order is the procedure's refusal, 422, not the role's). */
#define EVERY_STATE (STATE_BIT(DD_FLOW_NSTATES) - 1)

/* The states a role may ask an application to move to (api.md "Procedure roles"). */
static const unsigned may_ask[DD_ROLE_N] = {
	[DD_ROLE_COUNTY_ADMIN] = EVERY_STATE,
	[DD_ROLE_TOWNSHIP] = EVERY_STATE,
	/* the village does the two steps that happen in the village */
	[DD_ROLE_VILLAGE] = STATE_BIT(DD_FLOW_VILLAGE_REVIEW) | STATE_BIT(DD_FLOW_HOME_VISIT),
};

static bool role_may_ask(dd_role role, int state)
{
	return role > DD_ROLE_NONE && role < DD_ROLE_N && state >= 0 && state < DD_FLOW_NSTATES &&
	       (may_ask[role] & STATE_BIT(state));
}

/* ---- request helpers ---- */

/* http_policy for a handler: a failure is logged (and answered 500 by the dispatcher). */
static dd_rc load_policy(dd_http_req *req, const dd_policy **p)
{
	dd_err err = { 0 };
	dd_rc rc = http_policy(req->st, p, &err);

	if (rc != DD_OK)
		dd_log_error("读取政策参数失败：%s", err.msg);
	return rc;
}

/*
 * The field a domain message names ("members[0].id_number: 身份证号校验位错误"
 * names members[0].id_number), or NULL when it names none.
 */
static const char *message_field(const char *msg, char *buf, size_t cap)
{
	size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]");

	if (!n || n >= cap || strncmp(msg + n, ": ", 2))
		return NULL;
	memcpy(buf, msg, n);
	buf[n] = 0;
	return buf;
}

/*
 * Answers a refusal of the domain: DD_ERR_INPUT is 422 INVALID_INPUT with
 * its message (and `field` when the message names one), DD_ERR_NOTFOUND
 * 404; anything else stays a failure of the server (returned).
 */
static dd_rc refused(dd_http_req *req, dd_rc rc, const dd_err *err)
{
	char field[64];
	const char *f;

	if (rc == DD_ERR_NOTFOUND)
		return http_fail(req, 404, "NOT_FOUND", err->msg);
	if (rc != DD_ERR_INPUT) {
		dd_log_error("%s", err->msg);
		return rc;
	}
	f = message_field(err->msg, field, sizeof field);
	return http_reply(req, 422, json_pack("{s:{s:s, s:s, s:s*}}", "error", "code", "INVALID_INPUT",
					      "message", err->msg, "field", f));
}

/* The ID lists of an assessment (tekun, single_person_db) masked, in place. */
static json_t *mask_assessment(json_t *j)
{
	static const char *const lists[] = { "tekun", "single_person_db" };

	for (size_t k = 0; j && k < DD_ARRAY_LEN(lists); k++) {
		json_t *arr = json_object_get(j, lists[k]), *v;
		size_t i;
		json_array_foreach(arr, i, v)
			json_array_set_new(arr, i, dd_json_id_masked(json_string_value(v)));
	}
	return j;
}

/* Assesses one household at `at` and answers its JSON as `doudi assess` prints it (IDs masked). */
static dd_rc assess_reply(dd_http_req *req, const dd_household *h, const dd_member *m, size_t nm,
			  const dd_obligor *o, size_t no, dd_date at)
{
	const dd_policy *p = NULL;
	dd_assessment *a = malloc(sizeof *a);
	dd_buf out;
	dd_err err = { 0 };
	dd_rc rc = a ? load_policy(req, &p) : DD_ERR_NOMEM;

	dd_buf_init(&out, 0);
	if (rc == DD_OK && (rc = dd_assess(p, h, m, nm, o, no, at, a, &err)) == DD_OK)
		rc = dd_assess_json(a, h, m, nm, at, &out, &err);
	if (rc == DD_OK)
		rc = http_reply(req, 200, mask_assessment(json_loadb(out.data, out.len, 0, NULL)));
	else if (p)
		rc = refused(req, rc, &err);
	dd_buf_release(&out);
	free(a);
	http_policy_release(p);
	return rc;
}

/* ---- a household's assessment and timeline ---- */

dd_rc api_household_assessment(dd_http_req *req)
{
	const char *d = http_arg(req, "date");
	const dd_registry_rec *r = req->rec;
	dd_date at = dd_date_today();

	if (d && dd_date_parse(d, strlen(d), &at) != DD_OK)
		return http_fail(req, 400, "BAD_REQUEST", "date 应为存在的日期，格式 YYYY-MM-DD");
	return assess_reply(req, &r->h, r->members, r->nmembers, r->obligors, r->nobligors, at);
}

typedef struct code_name {
	const char *code, *zh;
} code_name;

static const code_name followup_names[] = {
	{ "recheck", "定期复核" },
	{ "gz_renewal", "刚性支出困难认定到期复核" },
	{ "temp_assistance", "一个月临时救助" },
	{ "emergency_payment", "小金额先行救助" },
	{ "fp_risk_cleared", "防返贫监测风险消除" },
}, level_names[] = {
	{ "red", "红色" }, { "yellow", "黄色" }, { "blue", "蓝色" },
};

static const char *name_of(const char *code, size_t n, const code_name *t)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(t[i].code, code))
			return t[i].zh;
	return code ? code : "";
}

/* One timeline item {date, kind, title, detail, ref} of a stored event. */
static json_t *history_item(const dd_household_event *e, dd_arena *mem)
{
	const char *kind = e->source, *title = "", *detail = e->text;

	if (!strcmp(e->source, "step")) {
		int to = dd_flow_state_parse(e->state ? e->state : "");
		bool objection = !strcmp(e->what, "objection");
		kind = !strcmp(e->what, "submit") ? "application"
		       : !objection && (to == DD_FLOW_DECISION || to == DD_FLOW_REJECTED) ? "decision"
											   : "step";
		title = !strcmp(kind, "application") ? "提交申请" : objection ? "公示异议"
								       : dd_flow_state_zh(e->state);
		if (e->extra)
			detail = dd_arena_printf(mem, "%s%s调查人员：%s", e->text ? e->text : "", e->text ? "；" : "",
						 e->extra);
	} else if (!strcmp(e->source, "warning")) {
		title = dd_arena_printf(mem, "预警 %s（%s）", e->what, name_of(e->state, DD_ARRAY_LEN(level_names),
									level_names));
		detail = dd_arena_printf(mem, "%s%s%s", e->extra ? e->extra : "", e->extra ? "：" : "",
					 e->text ? e->text : "");
	} else if (!strcmp(e->source, "followup")) {
		bool done = e->state && !strcmp(e->state, "done");
		kind = !strcmp(e->what, "recheck") ? "recheck" : "followup";
		title = dd_arena_printf(mem, "%s（%s）",
					name_of(e->what, DD_ARRAY_LEN(followup_names), followup_names),
					done ? "已办" : "待办");
		if (e->extra) {
			char yuan[32];
			dd_money_format(strtoll(e->extra, NULL, 10), yuan);
			detail = dd_arena_printf(mem, "%s%s金额 %s 元", e->text ? e->text : "", e->text ? "；" : "", yuan);
		}
	} else {
		/* the file's name only: the server's paths are nobody's business */
		const char *slash = e->text ? strrchr(e->text, '/') : NULL;
		title = dd_arena_printf(mem, "数据导入（%s）", !strcmp(e->what, "application") ? "申请登记新户" : e->what);
		detail = slash ? slash + 1 : e->text;
	}
	return json_pack("{s:o, s:s, s:s, s:o, s:s}", "date", dd_json_date(e->on), "kind", kind, "title",
			 title ? title : "", "detail", dd_json_text(detail), "ref", e->ref);
}

dd_rc api_household_history(dd_http_req *req)
{
	dd_household_event *ev = NULL;
	size_t n = 0;
	dd_err err = { 0 };
	dd_rc rc = dd_store_household_events(req->st, req->rec->id, HISTORY_MAX, &ev, &n, &req->mem, &err);
	json_t *items = rc == DD_OK ? json_array() : NULL;

	if (rc != DD_OK) {
		dd_log_error("读取户的办理记录失败：%s", err.msg);
		return rc;
	}
	for (size_t i = 0; items && i < n; i++)
		json_array_append_new(items, history_item(&ev[i], &req->mem));
	return http_reply(req, 200, items);
}

/* ---- the preview assessment ---- */

/* POST /api/v1/assess: one household as `doudi assess` input (plus `on`), nothing written. */
dd_rc api_assess(dd_http_req *req)
{
	static const char *const skip[] = { "on", NULL };
	json_t *root = NULL, *on;
	dd_assess_input in = { 0 };
	dd_date at = dd_date_today();
	dd_err err = { 0 };
	dd_rc rc = dd_assess_json_load(req->body.data ? req->body.data : "", req->body.len, "请求内容",
				       &root, &err);

	if (rc != DD_OK || !json_is_object(root)) {
		json_decref(root);
		return rc == DD_OK || rc == DD_ERR_INPUT
			       ? http_fail(req, 400, "BAD_REQUEST", rc == DD_OK ? "请求内容应为 JSON 对象" : err.msg)
			       : rc;
	}
	on = json_object_get(root, "on");
	if (on && !json_is_null(on) &&
	    (!json_is_string(on) || dd_date_parse(json_string_value(on), json_string_length(on), &at) != DD_OK))
		rc = http_fail(req, 400, "BAD_REQUEST", "on 应为存在的日期，格式 YYYY-MM-DD");
	else if ((rc = dd_assess_input_from_json(&in, root, skip, &err)) != DD_OK)
		rc = refused(req, rc, &err);
	else
		rc = assess_reply(req, &in.h, in.members, in.nmembers, in.obligors, in.nobligors, at);
	dd_assess_input_release(&in);
	json_decref(root);
	return rc;
}

/* ---- applications ---- */

static json_t *list_item(const dd_application *a)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o, s:s?, s:s?, s:b}", "app_no", a->app_no,
			 "kind", a->kind, "state", a->state, "state_name", dd_flow_state_zh(a->state),
			 "household_no", a->household_no, "region_code", a->region_code, "applicant_name",
			 a->applicant_name, "applicant_id", dd_json_id_masked(a->applicant_id), "submitted_on",
			 dd_json_date(a->submitted_on), "computed_category", a->computed_category,
			 "decided_category", a->decided_category, "emergency", (int)a->emergency);
}

dd_rc api_apps_list(dd_http_req *req)
{
	const char *state = http_arg(req, "state"), *kind = http_arg(req, "kind"), *region = http_arg(req, "region");
	char prefix[13];
	http_page pg;
	int s = -1, k = -1;
	dd_app_filter f = { 0 };
	dd_application *apps = NULL;
	size_t n = 0;
	int64_t total = 0;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!http_page_args(req, &pg))
		return DD_OK;
	if (state && *state && (s = dd_flow_state_parse(state)) < 0)
		return http_fail(req, 400, "BAD_REQUEST", "state 应为办理状态（如 village_review 或 村社评议）");
	if (kind && *kind && (k = dd_flow_lookup(dd_flow_kinds, 2, kind, strlen(kind))) < 0)
		return http_fail(req, 400, "BAD_REQUEST", "kind 应为 entry 或 exit");
	if (region && *region && strspn(region, "0123456789") != strlen(region))
		return http_fail(req, 400, "BAD_REQUEST", "region 应为区划代码");
	f.state = s < 0 ? NULL : dd_flow_states[s].code;
	f.kind = k < 0 ? NULL : dd_flow_kinds[k].code;
	f.region = prefix;
	if (dd_http_scope_filter(&req->who, region, prefix) &&
	    (rc = dd_store_app_page(req->st, &f, pg.offset, pg.size, &apps, &n, &total, &req->mem, &err)) != DD_OK) {
		dd_log_error("读取申请列表失败：%s", err.msg);
		return rc;
	}
	json_t *items = json_array();
	for (size_t i = 0; items && i < n; i++)
		json_array_append_new(items, list_item(&apps[i]));
	return http_reply(req, 200, http_page_json(&pg, total, items));
}

/* The application of params[0], for locate and the handlers; DD_ERR_NOTFOUND when absent. */
static dd_rc app_load(dd_http_req *req, dd_application *a)
{
	dd_err err = { 0 };
	dd_rc rc = dd_store_app_get(req->st, req->params[0], a, &req->mem, &err);

	if (rc != DD_OK && rc != DD_ERR_NOTFOUND)
		dd_log_error("读取申请失败：%s", err.msg);
	return rc;
}

/* locate() of the application routes: params[0] is the app_no; its household's region decides. */
dd_rc api_locate_app(dd_http_req *req, const char **region)
{
	dd_application a;
	dd_rc rc = app_load(req, &a);

	*region = rc == DD_OK ? a.region_code : NULL;
	return rc == DD_ERR_NOTFOUND ? DD_OK : rc;
}

/*
 * locate() of POST /applications: the region the new application belongs
 * to, read the way dd_flow_apply reads it: a registry household's region
 * (household_no), or the new household's region_code parsed by the same
 * assess-input code.  A body naming no household or no region is refused
 * by dd_flow_apply whoever sends it, so the caller's own region lets it
 * through to that refusal (422 with the field).
 */
dd_rc api_locate_apply(dd_http_req *req, const char **region)
{
	json_t *root = NULL, *hh, *hno = NULL;
	const char *found = NULL;
	dd_assess_input in = { 0 };
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	*region = req->who.region;
	if (dd_assess_json_load(req->body.data ? req->body.data : "", req->body.len, "请求内容", &root, &err) != DD_OK ||
	    !json_is_object(root))
		goto done;
	hno = json_object_get(root, "household_no");
	hh = json_object_get(root, "household");
	if (json_is_string(hno) && json_string_length(hno)) {
		if (json_string_length(hno) >= sizeof req->params[0]) {
			*region = NULL;
			goto done;
		}
		/* the household's own locate; its cursor is closed below, as dd_flow_apply writes */
		snprintf(req->params[0], sizeof req->params[0], "%s", json_string_value(hno));
		rc = api_locate_household(req, &found);
	} else if (json_is_object(hh) && dd_assess_input_from_json(&in, hh, NULL, &err) == DD_OK &&
		   in.h.region_code && *in.h.region_code) {
		found = in.h.region_code;
	}
	if (found)
		rc = (*region = dd_arena_strdup(&req->mem, found)) ? rc : DD_ERR_NOMEM;
	else if (json_is_string(hno) && json_string_length(hno))
		*region = NULL;   /* no such household */
	dd_store_registry_close(req->cur);
	req->cur = NULL;
	req->rec = NULL;
done:
	dd_assess_input_release(&in);
	json_decref(root);
	return rc;
}

dd_rc api_apps_create(dd_http_req *req)
{
	json_t *body = http_body_object(req, NULL);   /* not JSON at all: 400, not a refusal of the domain */
	const dd_policy *p = NULL;
	char app_no[24];
	dd_err err = { 0 };
	dd_rc rc = body ? load_policy(req, &p) : DD_OK;

	if (p && (rc = dd_flow_apply(req->st, p, req->session.username, req->body.data, req->body.len,
				     "请求内容", dd_date_today(), app_no, &err)) == DD_OK)
		rc = http_reply(req, 201, json_pack("{s:s}", "app_no", app_no));
	else if (p)
		rc = refused(req, rc, &err);
	http_policy_release(p);
	json_decref(body);
	return rc;
}

/* The application as GET answers it: the record, its steps, follow-ups, assessment and `allowed`. */
static dd_rc app_reply(dd_http_req *req)
{
	dd_application a;
	dd_app_step *steps = NULL;
	dd_followup *fs = NULL;
	size_t nsteps = 0, nfs = 0;
	uint32_t mask;
	int cur;
	dd_err err = { 0 };
	dd_rc rc = app_load(req, &a);

	if (rc == DD_OK)
		rc = dd_store_app_steps(req->st, a.id, &steps, &nsteps, &req->mem, &err);
	if (rc == DD_OK)
		rc = dd_store_followups(req->st, 0, a.id, &fs, &nfs, &req->mem, &err);
	if (rc != DD_OK) {
		dd_log_error("读取申请失败：%s", err.msg);
		return rc;
	}
	json_t *needs = json_array(), *hist = json_array(), *fu = json_array(), *allowed = json_array();
	mask = dd_flow_needs_mask(a.needs);
	for (size_t i = 0; i < DD_FLOW_NNEEDS; i++)
		if (mask & (1u << i))
			json_array_append_new(needs, json_pack("{s:s, s:s}", "code", dd_flow_needs[i].code, "name",
							       dd_flow_needs[i].zh));
	for (size_t i = 0; i < nsteps; i++) {
		const dd_app_step *s = &steps[i];
		json_array_append_new(hist, json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s, s:o, s:s?, s:s?}", "action",
						      s->action, "from", s->from_state, "to", s->to_state, "to_name",
						      dd_flow_state_zh(s->to_state), "by", s->user, "at", s->at, "on",
						      dd_json_date(s->on), "comment", s->comment, "investigators",
						      s->investigators));
	}
	for (size_t i = 0; i < nfs; i++)
		json_array_append_new(fu, json_pack("{s:s, s:o, s:o, s:o, s:s?}", "kind", fs[i].kind, "due_on",
						    dd_json_date(fs[i].due_on), "done_on", dd_json_date(fs[i].done_on),
						    "amount", dd_json_yuan_opt(fs[i].amount), "result", fs[i].result));
	/* the procedure's next step, and a rejection from 村社评议 to 公示; the rest (notice, fields) is the advance's */
	cur = dd_flow_state_parse(a.state);
	for (int to = DD_FLOW_VILLAGE_REVIEW; to < DD_FLOW_NSTATES; to++) {
		bool next = to == DD_FLOW_REJECTED ? cur >= DD_FLOW_VILLAGE_REVIEW && cur <= DD_FLOW_PUBLIC_NOTICE
						   : cur >= 0 && cur < DD_FLOW_PUBLISHED && to == cur + 1;
		if (next && role_may_ask(req->who.role, to))
			json_array_append_new(allowed, json_pack("{s:s, s:s}", "to", dd_flow_states[to].code, "name",
								 dd_flow_states[to].zh));
	}
	return http_reply(req, 200, json_pack(
		"{s:s, s:s, s:s?, s:s?, s:s?, s:o, s:s?, s:s?, s:b, s:o, s:s, s:s, s:o, s:o, s:s?, s:s?, s:s?,"
		" s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}",
		"app_no", a.app_no, "kind", a.kind, "household_no", a.household_no, "region_code", a.region_code,
		"applicant_name", a.applicant_name, "applicant_id",
		dd_json_id_masked(a.applicant_id), "channel", a.channel, "hardship", a.hardship, "emergency",
		(int)a.emergency, "emergency_payment", dd_json_yuan_opt(a.emergency ? a.emergency_amount : -1),
		"state", a.state, "state_name", dd_flow_state_zh(a.state), "submitted_on",
		dd_json_date(a.submitted_on), "assessed_on", dd_json_date(a.assessed_on), "computed_category",
		a.computed_category, "decided_category", a.decided_category, "decision_reason", a.decision_reason,
		"decided_on", dd_json_date(a.decided_on), "notice_from", dd_json_date(a.notice_from),
		"notice_until", dd_json_date(a.notice_until), "exit_decided", (int)dd_flow_exit_decided(&a),
		"needs", needs, "steps", hist, "followups", fu, "allowed", allowed, "assessment",
		a.assessment ? mask_assessment(json_loads(a.assessment, 0, NULL)) : json_null()));
}

dd_rc api_app_get(dd_http_req *req)
{
	return app_reply(req);
}

/* A text field of the body: NULL when absent or null; false (400 answered) when not a string. */
static bool text_of(dd_http_req *req, json_t *body, const char *key, const char **out)
{
	json_t *v = json_object_get(body, key);

	*out = json_is_string(v) ? json_string_value(v) : NULL;
	if (!v || json_is_null(v) || json_is_string(v))
		return true;
	http_reply(req, 400, json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "BAD_REQUEST", "message",
				       "应为字符串", "field", key));
	return false;
}

/* investigators: a string ("甲,乙") or an array of names, joined with ','. */
static bool investigators_of(dd_http_req *req, json_t *body, const char **out)
{
	json_t *v = json_object_get(body, "investigators"), *x;
	size_t i;
	dd_buf b;

	if (!json_is_array(v))
		return text_of(req, body, "investigators", out);
	dd_buf_init(&b, 0);
	json_array_foreach(v, i, x) {
		if (!json_is_string(x) || (i && dd_buf_putc(&b, ',') != DD_OK) ||
		    dd_buf_puts(&b, json_string_value(x)) != DD_OK)
			break;
	}
	*out = i == json_array_size(v) ? dd_arena_strdup(&req->mem, b.data ? b.data : "") : NULL;
	dd_buf_release(&b);
	if (!*out)
		http_fail(req, 400, "BAD_REQUEST", "investigators 应为姓名列表");
	return *out != NULL;
}

/* POST .../advance {"to","comment","investigators","category","reason","fp_risk_cleared"}. */
dd_rc api_app_advance(dd_http_req *req)
{
	json_t *body = http_body_object(req, NULL), *fp;
	const char *to = NULL;
	dd_flow_request r = { .user = req->session.username, .on = dd_date_today() };
	const dd_policy *p = NULL;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;
	int target;

	if (!body)
		return DD_OK;
	fp = json_object_get(body, "fp_risk_cleared");
	if (!text_of(req, body, "to", &to) || !text_of(req, body, "comment", &r.comment) ||
	    !investigators_of(req, body, &r.investigators) || !text_of(req, body, "category", &r.category) ||
	    !text_of(req, body, "reason", &r.reason))
		goto done;
	if (fp && !json_is_boolean(fp) && !json_is_null(fp)) {
		http_fail(req, 400, "BAD_REQUEST", "fp_risk_cleared 应为 true 或 false");
		goto done;
	}
	r.fp_risk_cleared = json_is_true(fp);
	if (!to || (target = dd_flow_state_parse(to)) < 0) {
		http_fail(req, 400, "BAD_REQUEST", "to 应为办理状态（如 village_review 或 村社评议）");
		goto done;
	}
	if (!role_may_ask(req->who.role, target)) {
		http_fail(req, 403, "FORBIDDEN", "当前角色不能办理这一步（村级只能办理村社评议和入户调查）");
		goto done;
	}
	r.to = (dd_flow_state)target;
	if ((rc = load_policy(req, &p)) != DD_OK)
		goto done;
	rc = dd_flow_advance(req->st, p, req->params[0], &r, &err);
	rc = rc == DD_OK ? app_reply(req) : refused(req, rc, &err);
done:
	http_policy_release(p);
	json_decref(body);
	return rc;
}

/* POST .../objection {"text"}: an objection during the public notice. */
dd_rc api_app_objection(dd_http_req *req)
{
	json_t *body = http_body_object(req, NULL);
	const char *text = NULL;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (body && text_of(req, body, "text", &text)) {
		rc = dd_flow_object(req->st, req->params[0], req->session.username, dd_date_today(), text, &err);
		rc = rc == DD_OK ? app_reply(req) : refused(req, rc, &err);
	}
	json_decref(body);
	return rc;
}

/* GET .../decision.pdf: the 审核确认决定书 (拟认定 before the decision), as `application decision` prints it. */
dd_rc api_app_decision_pdf(dd_http_req *req)
{
	dd_application a;
	const dd_policy *p = NULL;
	dd_err err = { 0 };
	dd_rc rc = app_load(req, &a);

	if (rc == DD_OK && (rc = load_policy(req, &p)) == DD_OK &&
	    (rc = dd_flow_decision_pdf(req->st, p, &a, NULL, &req->raw, &err)) == DD_OK) {
		req->status = 200;
		req->raw_type = "application/pdf";
		req->disposition = dd_arena_printf(&req->mem, "inline; filename=\"%s.pdf\"", a.app_no);
		rc = req->disposition ? DD_OK : DD_ERR_NOMEM;
	} else if (p) {
		dd_buf_reset(&req->raw);
		rc = refused(req, rc, &err);
	}
	http_policy_release(p);
	return rc;
}

/* ---- drafts ---- */

dd_rc api_drafts_list(dd_http_req *req)
{
	dd_draft *d = NULL;
	size_t n = 0;
	dd_err err = { 0 };
	dd_rc rc = dd_store_drafts(req->st, req->session.username, &d, &n, &req->mem, &err);
	json_t *items = rc == DD_OK ? json_array() : NULL;

	if (rc != DD_OK) {
		dd_log_error("读取草稿失败：%s", err.msg);
		return rc;
	}
	for (size_t i = 0; items && i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:o, s:s}", "key", d[i].key, "kind", d[i].kind,
						       "title", d[i].title, "data",
						       json_loads(d[i].data, JSON_DECODE_ANY, NULL), "saved_at",
						       d[i].saved_at));
	return http_reply(req, 200, items);
}

/* A draft's key: 1–63 letters, digits, '-', '_' or '.' (the route caps the segment at 63 bytes). */
static bool draft_key_ok(const char *k)
{
	return *k && strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen(k);
}

/* PUT /drafts/{key} {"kind":"form1"|"apply","title","data"}. */
dd_rc api_draft_put(dd_http_req *req)
{
	dd_draft d = { .key = req->params[0] };
	char *text = NULL;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!draft_key_ok(d.key))
		return http_fail(req, 400, "BAD_REQUEST", "草稿名只能由字母、数字和 - _ . 组成");
	json_t *body = http_body_object(req, NULL), *data;
	if (!body || !text_of(req, body, "kind", &d.kind) || !text_of(req, body, "title", &d.title))
		goto done;
	data = json_object_get(body, "data");
	if (!d.kind || (strcmp(d.kind, "form1") && strcmp(d.kind, "apply"))) {
		http_fail(req, 400, "BAD_REQUEST", "kind 应为 form1 或 apply");
	} else if (!data) {
		http_fail(req, 400, "BAD_REQUEST", "缺少 data");
	} else if (!(text = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY))) {
		rc = DD_ERR_NOMEM;
	} else if (strlen(text) > DRAFT_DATA_MAX) {
		http_fail(req, 413, "PAYLOAD_TOO_LARGE", "草稿内容超过 256 KiB");
	} else {
		d.data = text;
		rc = dd_store_draft_put(req->st, req->session.username, &d, DRAFTS_PER_USER, &err);
		rc = rc == DD_OK ? http_reply(req, 200, json_pack("{s:b, s:s}", "ok", 1, "key", d.key))
				 : refused(req, rc, &err);
	}
done:
	free(text);
	json_decref(body);
	return rc;
}

dd_rc api_draft_delete(dd_http_req *req)
{
	dd_err err = { 0 };
	dd_rc rc = dd_store_draft_delete(req->st, req->session.username, req->params[0], &err);

	return rc == DD_OK ? http_reply(req, 200, json_pack("{s:b}", "ok", 1)) : refused(req, rc, &err);
}
