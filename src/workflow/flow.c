/*
 * flow.c - applications through the store (workflow.h): registering one,
 * moving it, and what a decision changes (DOMAIN.md §3.3).
 *
 * Every operation is one store transaction: a refusal or a failure leaves
 * nothing behind.  The rules themselves are in rules.c.
 */
#include "workflow.h"
#include "../assess/input.h"
#include "../core/id.h"
#include "../core/map.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a household of the registry, assessed ---- */

void dd_flow_household_release(dd_flow_household *x)
{
	dd_store_registry_close(x->cur);
	free(x->a);
	memset(x, 0, sizeof *x);
}

dd_rc dd_flow_household_read(dd_store *st, int64_t household_id, dd_flow_household *x, dd_err *err)
{
	dd_rc rc = dd_store_registry_open_one(st, household_id, &x->cur, err);

	if (rc == DD_OK && (rc = dd_store_registry_next(x->cur, &x->rec, err)) == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "户（内部编号 %lld）不存在", (long long)household_id);
	return rc;
}

/* Reads household_id from the registry and assesses it at `on`; json (may be NULL) receives the decision JSON. */
static dd_rc assess_household(dd_store *st, const dd_policy *p, int64_t household_id, dd_date on,
			      dd_flow_household *x, dd_buf *json, dd_err *err)
{
	dd_rc rc = dd_flow_household_read(st, household_id, x, err);

	if (rc == DD_OK && !(x->a = malloc(sizeof *x->a)))
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if (rc == DD_OK)
		rc = dd_assess(p, &x->rec->h, x->rec->members, x->rec->nmembers, x->rec->obligors,
			       x->rec->nobligors, on, x->a, err);
	if (rc == DD_OK && json)
		rc = dd_assess_json(x->a, &x->rec->h, x->rec->members, x->rec->nmembers, on, json, err);
	return rc;
}

dd_rc dd_flow_household_assess(dd_store *st, const dd_policy *p, int64_t household_id, dd_date on,
			       dd_flow_household *x, dd_err *err)
{
	return assess_household(st, p, household_id, on, x, NULL, err);
}

/* ---- registering an application ---- */

static dd_rc bad(dd_err *err, const char *field, const char *why)
{
	return dd_err_set(err, DD_ERR_INPUT, "%s: %s", field, why);
}

/* A required or optional string field of the application JSON (NULL when absent or empty). */
static dd_rc text_field(json_t *root, const char *key, bool required, const char **out, dd_err *err)
{
	json_t *v = json_object_get(root, key);

	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))
		return required ? bad(err, key, "必填项为空") : DD_OK;
	if (!json_is_string(v))
		return bad(err, key, "应为字符串");
	*out = json_string_value(v);
	return DD_OK;
}

/* One of a name table's entries, by code or Chinese name: its code. */
static dd_rc name_field(json_t *root, const char *key, const dd_flow_name *t, size_t n,
			const char *dflt, const char **code, dd_err *err)
{
	const char *s;
	dd_rc rc = text_field(root, key, !dflt, &s, err);
	int i;

	*code = dflt;
	if (rc != DD_OK || !s)
		return rc;
	if ((i = dd_flow_lookup(t, n, s, strlen(s))) < 0) {
		char msg[400];
		size_t off = (size_t)snprintf(msg, sizeof msg, "不是可选的值（可选：");
		for (size_t k = 0; k < n && off < sizeof msg; k++)
			off += (size_t)snprintf(msg + off, sizeof msg - off, "%s%s", k ? "、" : "", t[k].zh);
		if (off < sizeof msg)
			snprintf(msg + off, sizeof msg - off, "）");
		return bad(err, key, msg);
	}
	*code = t[i].code;
	return DD_OK;
}

/* needs: an array of names/codes, or one string with separators; out: codes joined with ';'. */
static dd_rc needs_field(json_t *root, dd_buf *out, dd_err *err)
{
	json_t *v = json_object_get(root, "needs");
	bool seen[DD_FLOW_NNEEDS] = { false };
	dd_rc rc = DD_OK;

	if (!v || json_is_null(v))
		return bad(err, "needs", "至少选择一项救助需求");
	for (size_t k = 0; rc == DD_OK && k < (json_is_array(v) ? json_array_size(v) : 1); k++) {
		json_t *it = json_is_array(v) ? json_array_get(v, k) : v;
		if (!json_is_string(it))
			return bad(err, "needs", "应为字符串或字符串数组");
		const char *s = json_string_value(it), *end = s + json_string_length(it), *item = s;
		for (const char *q = s; q <= end; q++) {
			size_t sep = q == end ? 1 : dd_flow_separator(q);
			if (!sep)
				continue;
			size_t len = (size_t)(q - item);
			int i = len ? dd_flow_lookup(dd_flow_needs, DD_FLOW_NNEEDS, item, len) : -2;
			if (i == -1) {
				char msg[160];
				snprintf(msg, sizeof msg, "未知的救助需求「%.*s」", (int)DD_MIN(len, 90), item);
				return bad(err, "needs", msg);
			}
			if (i >= 0)
				seen[i] = true;
			q += sep - 1;
			item = q + 1;
		}
	}
	for (size_t i = 0; rc == DD_OK && i < DD_FLOW_NNEEDS; i++)
		if (seen[i] && ((out->len && dd_buf_putc(out, ';') != DD_OK) ||
				dd_buf_puts(out, dd_flow_needs[i].code) != DD_OK))
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if (rc == DD_OK && !out->len)
		rc = bad(err, "needs", "至少选择一项救助需求");
	return rc;
}

/* A new household given as `doudi assess` input: into the registry, under an import of kind "application". */
static dd_rc new_household(dd_store *st, const char *user, json_t *obj, const char *origin,
			   int64_t *household_id, dd_err *err)
{
	dd_assess_input in = { 0 };
	int64_t import_id = 0, id;
	dd_put_result res;
	char *text = NULL;
	dd_rc rc;

	if (!json_is_object(obj))
		return bad(err, "household", "应为 JSON 对象（与 doudi assess 的输入相同）");
	rc = dd_assess_input_from_json(&in, obj, NULL, err);
	if (rc == DD_OK && (!in.h.household_no || !in.h.region_code))
		rc = bad(err, in.h.household_no ? "household.region_code" : "household.household_no", "必填项为空");
	if (rc == DD_OK && !in.nmembers)
		rc = bad(err, "household.members", "至少需要一名成员");
	if (rc == DD_OK && !in.h.head_id)
		in.h.head_id = in.members[0].id.text;
	if (rc == DD_OK && dd_store_household_id(st, in.h.household_no, &id, NULL) == DD_OK)
		rc = bad(err, "household.household_no", "户编号已在数据库中，请改用 household_no 引用该户");
	if (rc == DD_OK && !(text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS)))
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if (rc == DD_OK)
		rc = dd_store_import_begin(st, user, "application", origin, NULL, &import_id, err);
	/* the fingerprint of a registry row: here the household's JSON (a later file import differs and updates it) */
	if (rc == DD_OK)
		rc = dd_store_household_put(st, import_id, &in.h, dd_hash_bytes(text, strlen(text)),
					    household_id, &res, err);
	for (size_t i = 0; rc == DD_OK && i < in.nmembers; i++)
		rc = dd_store_member_put(st, import_id, *household_id, &in.members[i],
					 dd_hash_bytes(&in.members[i].id.key, sizeof in.members[i].id.key) ^
						 dd_hash_u64(i),
					 &res, err);
	for (size_t i = 0; rc == DD_OK && i < in.nobligors; i++)
		rc = dd_store_obligor_put(st, import_id, *household_id, &in.obligors[i], dd_hash_u64(i + 1),
					  &res, err);
	if (rc == DD_OK)
		rc = dd_store_import_end(st, import_id, 1, 0, err);
	free(text);
	dd_assess_input_release(&in);
	return rc;
}

/* The applicant's ID, normalised; refused unless valid. */
static dd_rc applicant_id(const char *s, dd_id *id, dd_err *err)
{
	dd_id_status is = dd_id_parse(s, strlen(s), id);
	return is == DD_ID_OK ? DD_OK : bad(err, "applicant_id", dd_id_status_text(is));
}

/* The emergency small payment (急难型临时救助, paid first): ≤ emergency_small_amount, emergency flag required. */
static dd_rc emergency_field(json_t *root, const dd_policy *p, bool emergency, dd_fen *amount,
			     dd_err *err)
{
	const char *s;
	dd_money_status ms;
	dd_rc rc = text_field(root, "emergency_payment", false, &s, err);

	*amount = 0;
	if (rc != DD_OK || !s)
		return rc;
	if ((ms = dd_money_parse(s, strlen(s), amount)) != DD_MONEY_OK)
		return bad(err, "emergency_payment", dd_money_status_text(ms));
	if (*amount <= 0)
		return bad(err, "emergency_payment", "金额应大于 0");
	if (!emergency)
		return bad(err, "emergency_payment", "只有急难型申请（emergency 为是）才能先行救助");
	if (*amount > p->emergency_small_amount) {
		char lim[32], msg[128];
		dd_money_format(p->emergency_small_amount, lim);
		snprintf(msg, sizeof msg, "超过小金额先行救助上限 %s 元", lim);
		return bad(err, "emergency_payment", msg);
	}
	return DD_OK;
}

static dd_rc apply_in_txn(dd_store *st, const dd_policy *p, const char *user, json_t *root,
			  const char *origin, dd_date on, dd_application *a, dd_err *err)
{
	const char *hno = NULL, *idtext = NULL;
	json_t *hh = json_object_get(root, "household"), *em = json_object_get(root, "emergency");
	dd_buf needs;
	dd_id id;
	dd_rc rc;

	dd_buf_init(&needs, 0);
	if (!json_is_object(root)) {
		rc = bad(err, origin, "应为 JSON 对象");
		goto done;
	}
	if ((rc = text_field(root, "applicant_name", true, &a->applicant_name, err)) != DD_OK ||
	    (rc = text_field(root, "applicant_id", true, &idtext, err)) != DD_OK ||
	    (rc = applicant_id(idtext, &id, err)) != DD_OK ||
	    (rc = name_field(root, "kind", dd_flow_kinds, 2, "entry", &a->kind, err)) != DD_OK ||
	    (rc = name_field(root, "channel", dd_flow_channels, DD_FLOW_NCHANNELS, NULL, &a->channel,
			     err)) != DD_OK ||
	    (rc = text_field(root, "hardship", false, &a->hardship, err)) != DD_OK ||
	    (rc = needs_field(root, &needs, err)) != DD_OK ||
	    (rc = text_field(root, "household_no", false, &hno, err)) != DD_OK)
		goto done;
	if (em && !json_is_null(em)) {
		/* JSON numbers arrive as text (dd_assess_json_load), so "1", 1, true and 是 all work */
		const char *t = json_is_string(em) ? json_string_value(em) : NULL;
		if (json_is_boolean(em))
			a->emergency = json_is_true(em);
		else if (t && (!strcmp(t, "是") || !strcmp(t, "1") || !strcmp(t, "true")))
			a->emergency = true;
		else if (!t || (strcmp(t, "否") && strcmp(t, "0") && strcmp(t, "false") && *t)) {
			rc = bad(err, "emergency", "应为是或否");
			goto done;
		}
	}
	if ((rc = emergency_field(root, p, a->emergency, &a->emergency_amount, err)) != DD_OK)
		goto done;
	if (!hno == !(hh && !json_is_null(hh))) {
		rc = bad(err, "household_no", "须给出 household_no（已在库的户）或 household（新户），二者选一");
		goto done;
	}
	if (hno && (rc = dd_store_household_id(st, hno, &a->household_id, err)) != DD_OK) {
		if (rc == DD_ERR_NOTFOUND)
			dd_err_set(err, rc, "household_no: 户编号 %s 不在数据库中", hno);
		goto done;
	}
	if (!hno && (rc = new_household(st, user, hh, origin, &a->household_id, err)) != DD_OK)
		goto done;
	a->applicant_id = id.text;
	a->needs = needs.data;
	a->state = dd_flow_states[DD_FLOW_SUBMITTED].code;
	a->submitted_on = on;
	a->assessed_on = a->notice_from = a->notice_until = a->decided_on = DD_DATE_NONE;
	a->created_by = user;
	dd_app_step step = { .action = "submit", .to_state = a->state, .user = user, .on = on };
	rc = dd_store_app_put(st, a, &step, err);
	if (rc == DD_OK && a->emergency_amount > 0) {
		/* paid first, documented afterwards; an emergency calls for an immediate re-check */
		dd_followup pay = { .household_id = a->household_id, .application_id = a->id,
				    .kind = "emergency_payment", .due_on = on, .done_on = on,
				    .amount = a->emergency_amount, .result = "小金额先行救助" };
		dd_followup re = { .household_id = a->household_id, .application_id = a->id,
				   .kind = "recheck", .due_on = on, .done_on = DD_DATE_NONE, .amount = -1 };
		rc = dd_store_followup_put(st, user, &pay, err);
		if (rc == DD_OK)
			rc = dd_store_followup_put(st, user, &re, err);
	}
done:
	dd_buf_release(&needs);
	return rc;
}

dd_rc dd_flow_apply(dd_store *st, const dd_policy *p, const char *user, const char *json,
		    size_t len, const char *origin, dd_date on, char app_no[24], dd_err *err)
{
	dd_application a = { 0 };
	json_t *root = NULL;
	dd_rc rc = dd_assess_json_load(json, len, origin, &root, err);

	if (rc == DD_OK)
		rc = dd_store_begin(st, err);
	if (rc != DD_OK) {
		json_decref(root);
		return rc;
	}
	rc = apply_in_txn(st, p, user, root, origin, on, &a, err);
	if (rc == DD_OK)
		rc = dd_store_commit(st, err);
	else
		dd_store_rollback(st);
	if (rc == DD_OK)
		memcpy(app_no, a.app_no, sizeof a.app_no);
	json_decref(root);
	return rc;
}

/* ---- a decision's effects (§3.3) ---- */

static dd_rc schedule(dd_store *st, const char *user, const dd_application *a, const char *kind,
		      dd_date due, dd_fen amount, dd_err *err)
{
	dd_followup f = { .household_id = a->household_id, .application_id = a->id, .kind = kind,
			  .due_on = due, .done_on = DD_DATE_NONE, .amount = amount };
	return dd_store_followup_put(st, user, &f, err);
}

/* Re-check months for the household as assessed at the decision. */
static int recheck_months(const dd_policy *p, unsigned cat, const dd_flow_household *x)
{
	bool all_key = true;
	for (size_t i = 0; i < x->rec->nmembers; i++)
		all_key = all_key && dd_flow_key_person(&x->a->members[i], &x->rec->members[i]);
	return dd_flow_recheck_months(p, cat, all_key);
}

static dd_rc decide_entry(dd_store *st, const dd_policy *p, const dd_flow_request *r,
			  const dd_application *a, unsigned cat, dd_err *err)
{
	const unsigned ranks = DD_CAT_TK | DD_CAT_DB | DD_CAT_BY | DD_CAT_GZ | DD_CAT_QT;
	dd_flow_household x = { 0 };
	dd_rc rc = assess_household(st, p, a->household_id, r->on, &x, NULL, err);
	int months;

	if (rc != DD_OK)
		goto done;
	dd_recognition rec = { .app_no = a->app_no, .set_categories = true,
			       .categories = (x.rec->h.categories & ~ranks) | cat,
			       .recognized_on = r->on, .exited_on = DD_DATE_NONE };
	bool new_db_tk = (cat == DD_CAT_DB || cat == DD_CAT_TK) && !(x.rec->h.categories & cat);
	rc = dd_store_household_recognize(st, r->user, a->household_id, &rec, err);
	/* one month at the DB standard for every member, within 3 working days */
	if (rc == DD_OK && new_db_tk)
		rc = schedule(st, r->user, a, "temp_assistance", dd_flow_add_working_days(r->on, 3),
			      x.a->f.S * (dd_fen)x.rec->nmembers, err);
	months = recheck_months(p, cat, &x);
	if (rc == DD_OK && months > 0)
		rc = schedule(st, r->user, a, "recheck", dd_flow_due_after_months(r->on, months), -1, err);
	if (rc == DD_OK && cat == DD_CAT_GZ)
		rc = schedule(st, r->user, a, "gz_renewal",
			      dd_flow_due_after_months(r->on, p->gz_valid_months), -1, err);
done:
	dd_flow_household_release(&x);
	return rc;
}

static dd_rc decide_exit(dd_store *st, const dd_flow_request *r, const dd_application *a,
			 dd_err *err)
{
	dd_recognition rec = { .app_no = a->app_no, .exited_on = r->on };
	dd_rc rc = dd_store_household_recognize(st, r->user, a->household_id, &rec, err);

	if (rc == DD_OK && r->fp_risk_cleared) {
		dd_followup f = { .household_id = a->household_id, .application_id = a->id,
				  .kind = "fp_risk_cleared", .due_on = DD_DATE_NONE, .done_on = r->on,
				  .amount = -1, .result = "风险消除" };
		rc = dd_store_followup_put(st, r->user, &f, err);
	}
	return rc;
}

/* ---- moving an application ---- */

static dd_rc advance_in_txn(dd_store *st, const dd_policy *p, const char *key,
			    const dd_flow_request *r, dd_arena *mem, dd_err *err)
{
	dd_application a;
	dd_buf json;
	dd_flow_household x = { 0 };
	unsigned cat = 0;
	dd_rc rc = dd_store_app_get(st, key, &a, mem, err);

	dd_buf_init(&json, 0);
	if (rc != DD_OK || (rc = dd_flow_check(p, &a, r, err)) != DD_OK)
		goto done;
	dd_app_step step = { .action = r->to == DD_FLOW_REJECTED ? "reject" : "advance",
			     .from_state = a.state, .to_state = dd_flow_states[r->to].code, .user = r->user,
			     .on = r->on, .comment = r->comment };
	a.state = step.to_state;
	switch (r->to) {
	case DD_FLOW_ECONOMIC_CHECK:
		/* the assessment of every member, at this date, kept with the application */
		rc = assess_household(st, p, a.household_id, r->on, &x, &json, err);
		a.assessed_on = r->on;
		a.computed_category = x.a ? dd_assess_code(x.a->category) : NULL;
		a.assessment = json.data;
		break;
	case DD_FLOW_HOME_VISIT:
		step.investigators = r->investigators;
		break;
	case DD_FLOW_PUBLIC_NOTICE:
		a.notice_from = r->on;
		a.notice_until = dd_flow_notice_until(p, r->on);
		break;
	case DD_FLOW_DECISION:
		a.decided_on = r->on;
		a.decision_reason = r->reason;
		if (!strcmp(a.kind, "exit")) {
			a.decided_category = "NONE";
			break;
		}
		cat = r->category ? dd_category_parse(r->category, strlen(r->category))
				  : dd_category_parse(a.computed_category, strlen(a.computed_category));
		a.decided_category = dd_assess_code(cat);
		break;
	case DD_FLOW_REJECTED:
		a.decided_on = r->on;
		a.decided_category = "NONE";
		a.decision_reason = r->reason;
		break;
	default:
		break;
	}
	if (rc == DD_OK)
		rc = dd_store_app_put(st, &a, &step, err);
	if (rc == DD_OK && r->to == DD_FLOW_DECISION)
		rc = strcmp(a.kind, "exit") ? decide_entry(st, p, r, &a, cat, err) : decide_exit(st, r, &a, err);
done:
	dd_flow_household_release(&x);
	dd_buf_release(&json);
	return rc;
}

/* Runs fn in one store transaction with a scratch arena. */
static dd_rc in_txn(dd_store *st, dd_err *err,
		    dd_rc (*fn)(dd_store *, const void *, dd_arena *, dd_err *), const void *arg)
{
	dd_arena mem;
	dd_rc rc = dd_store_begin(st, err);

	if (rc != DD_OK)
		return rc;
	dd_arena_init(&mem, 0);
	rc = fn(st, arg, &mem, err);
	if (rc == DD_OK)
		rc = dd_store_commit(st, err);
	else
		dd_store_rollback(st);
	dd_arena_release(&mem);
	return rc;
}

typedef struct advance_args {
	const dd_policy *p;
	const char *key;
	const dd_flow_request *r;
} advance_args;

static dd_rc advance_fn(dd_store *st, const void *arg, dd_arena *mem, dd_err *err)
{
	const advance_args *x = arg;
	return advance_in_txn(st, x->p, x->key, x->r, mem, err);
}

dd_rc dd_flow_advance(dd_store *st, const dd_policy *p, const char *key, const dd_flow_request *r,
		      dd_err *err)
{
	advance_args x = { p, key, r };
	return in_txn(st, err, advance_fn, &x);
}

typedef struct object_args {
	const char *key, *user, *text;
	dd_date on;
} object_args;

static dd_rc object_fn(dd_store *st, const void *arg, dd_arena *mem, dd_err *err)
{
	const object_args *x = arg;
	dd_application a;
	dd_rc rc = dd_store_app_get(st, x->key, &a, mem, err);

	if (rc != DD_OK)
		return rc;
	if (!x->user || !*x->user)
		return dd_err_set(err, DD_ERR_INPUT, "必须注明办理人（--by）");
	if (!x->text || !*x->text)
		return dd_err_set(err, DD_ERR_INPUT, "异议内容不能为空（--comment）");
	if (strcmp(a.state, dd_flow_states[DD_FLOW_PUBLIC_NOTICE].code))
		return dd_err_set(err, DD_ERR_INPUT, "只能在「公示」期间记录异议，申请 %s 当前为「%s」", a.app_no,
				  dd_flow_state_zh(a.state));
	dd_app_step step = { .action = "objection", .from_state = a.state, .to_state = a.state,
			     .user = x->user, .on = x->on, .comment = x->text };
	return dd_store_app_put(st, &a, &step, err);
}

dd_rc dd_flow_object(dd_store *st, const char *key, const char *user, dd_date on,
		     const char *text, dd_err *err)
{
	object_args x = { key, user, text, on };
	return in_txn(st, err, object_fn, &x);
}

/* ---- re-checks ---- */

typedef struct recheck_args {
	const dd_policy *p;
	const char *user, *household_no, *result;
	dd_date on;
} recheck_args;

static dd_rc recheck_fn(dd_store *st, const void *arg, dd_arena *mem, dd_err *err)
{
	const recheck_args *x = arg;
	dd_followup *fs = NULL, done = { .kind = "recheck", .due_on = DD_DATE_NONE, .amount = -1 };
	dd_flow_household h = { 0 };
	size_t n = 0;
	int64_t hid;
	unsigned top = 0;
	dd_rc rc = dd_store_household_id(st, x->household_no, &hid, err);

	if (rc == DD_ERR_NOTFOUND)
		return dd_err_set(err, rc, "户编号 %s 不在数据库中", x->household_no);
	if (rc == DD_OK && (!x->user || !*x->user))
		rc = dd_err_set(err, DD_ERR_INPUT, "必须注明办理人（--by）");
	if (rc == DD_OK)
		rc = dd_store_followups(st, hid, 0, &fs, &n, mem, err);
	for (size_t i = 0; rc == DD_OK && i < n && !done.id; i++)
		if (!strcmp(fs[i].kind, "recheck") && fs[i].done_on == DD_DATE_NONE)
			done = fs[i];
	done.household_id = hid;
	done.done_on = x->on;
	done.result = x->result;
	if (rc == DD_OK)
		rc = dd_store_followup_put(st, x->user, &done, err);
	if (rc == DD_OK)
		rc = assess_household(st, x->p, hid, x->on, &h, NULL, err);
	/* the next one, by the household's recorded (highest) category */
	for (size_t i = 0; rc == DD_OK && i < 5 && !top; i++)
		if (h.rec->h.categories & dd_categories[i].bit)
			top = dd_categories[i].bit;
	int months = rc == DD_OK ? recheck_months(x->p, top, &h) : 0;
	bool exited = rc == DD_OK && h.rec->h.exited_on != DD_DATE_NONE && h.rec->h.exited_on <= x->on;
	if (rc == DD_OK && months > 0 && !exited) {
		dd_followup next = { .household_id = hid, .kind = "recheck",
				     .due_on = dd_flow_due_after_months(x->on, months),
				     .done_on = DD_DATE_NONE, .amount = -1 };
		rc = dd_store_followup_put(st, x->user, &next, err);
	}
	dd_flow_household_release(&h);
	return rc;
}

dd_rc dd_flow_recheck_done(dd_store *st, const dd_policy *p, const char *user,
			   const char *household_no, dd_date on, const char *result, dd_err *err)
{
	recheck_args x = { p, user, household_no, result, on };
	return in_txn(st, err, recheck_fn, &x);
}
