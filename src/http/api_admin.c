/*
 * api_admin.c - administration routes (docs/internals/api.md): the session
 * JSON, the caller's own password, the region cascader, users and the
 * policy.  Roles were decided by the dispatcher (api.c) before these run;
 * user roles and regions are checked by dd_http_user_region exactly as
 * `doudi user add` does, and the policy exactly as `doudi policy load` does
 * (plus the county rules' SQL, as a comparison run would check it).
 */
#include "../core/dd.h"
#include "../core/json.h"
#include "../core/policy.h"
#include "../core/region.h"
#include "../compare/compare.h"
#include "http_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest password, in characters (UTF-8 code points). */
#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024

/* ---- helpers ---- */

/* 422 INVALID_INPUT naming the field at fault. */
static dd_rc invalid(dd_http_req *req, const char *field, const char *msg)
{
	dd_rc rc = http_fail(req, 422, "INVALID_INPUT", msg);
	json_t *e = json_object_get(req->json, "error");

	if (e && field)
		json_object_set_new(e, "field", json_string(field));
	return rc;
}

/* The region's own name ("滴道河乡"), or null for no region or an unknown code. */
static json_t *region_name(const char *code)
{
	dd_region r;

	if (!code || dd_region_lookup(code, strlen(code), &r) != DD_OK)
		return json_null();
	return json_stringn(r.name, r.name_len);
}

/* A new password's rule; NULL when it passes, else the message. */
static const char *password_problem(const char *pw)
{
	size_t chars = 0, len = strlen(pw);

	for (const char *p = pw; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (chars < PASSWORD_MIN)
		return "口令至少 8 个字符";
	if (len > PASSWORD_MAX)
		return "口令过长";
	return NULL;
}

/* ---- the session ---- */

json_t *api_session_json(dd_http_req *req, const dd_session *s)
{
	char *county = NULL;
	dd_err err = { 0 };
	json_t *j;

	/* no county stored (a database of an older init) is no failure: null */
	if (dd_store_meta_get(req->st, "county_code", &county, &err) != DD_OK)
		county = NULL;
	j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o}", "username", s->user.username,
		      "role", s->user.role, "region", dd_json_text(s->user.region),
		      "region_name", region_name(s->user.region), "dept", dd_json_text(s->user.dept),
		      "csrf_token", s->csrf, "county", dd_json_text(county), "county_name",
		      region_name(county));
	free(county);
	return j;
}

dd_rc api_password_change(dd_http_req *req)
{
	json_t *in = http_body_object(req, "请求应为 {\"old\":…,\"new\":…}");
	const char *old = NULL, *new = NULL, *problem;
	dd_http_throttle *thr = http_throttle(req->srv);
	char hash[DD_HTTP_PWHASH_MAX];
	dd_user u;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!in)
		return DD_OK;
	if (json_unpack(in, "{s:s, s:s}", "old", &old, "new", &new) != 0) {
		rc = http_fail(req, 400, "BAD_REQUEST", "请求应为 {\"old\":…,\"new\":…}");
		goto done;
	}
	/* the old password is a login secret: guessing it is throttled like logins */
	if (dd_http_throttle_blocked(thr, req->session.username, req->client, req->now)) {
		rc = http_fail(req, 429, "TOO_MANY_ATTEMPTS", "失败次数过多，请15分钟后再试");
		goto done;
	}
	if ((rc = dd_store_user_get(req->st, req->session.username, &u, &req->mem, &err)) != DD_OK)
		goto done;
	if (!dd_http_password_ok(u.pw_hash, old)) {
		dd_http_throttle_fail(thr, req->session.username, req->client, req->now);
		rc = invalid(req, "old", "原口令不正确");
		goto done;
	}
	if ((problem = password_problem(new))) {
		rc = invalid(req, "new", problem);
		goto done;
	}
	if ((rc = dd_http_password_hash(new, hash, &err)) == DD_OK)
		rc = dd_store_user_set(req->st, req->session.username, req->session.username, -1, hash,
				       req->session.token_hash, &err);
	if (rc == DD_OK)
		rc = http_reply(req, 200, json_pack("{s:b}", "ok", 1));
done:
	if (rc != DD_OK)
		dd_log_error("修改口令失败：%s", err.msg);
	json_decref(in);
	return rc;
}

/* ---- regions (the cascader) ---- */

typedef struct region_walk {
	const dd_http_principal *who;
	json_t *out;
} region_walk;

static int add_child(const dd_region *r, void *arg)
{
	region_walk *w = arg;

	/* inside the scope, or on the way down to it (a township user under its county) */
	if (dd_http_in_scope(w->who, r->code) || dd_region_within(w->who->region, r->code))
		json_array_append_new(w->out, json_pack("{s:s, s:s%, s:i}", "code", r->code, "name", r->name,
							r->name_len, "level", (int)r->level));
	return 0;
}

dd_rc api_regions(dd_http_req *req)
{
	const char *parent = http_arg(req, "parent");
	region_walk w = { &req->who, json_array() };
	dd_region r;

	if (!w.out)
		return DD_ERR_NOMEM;
	if (!parent || !*parent)
		parent = req->who.region;
	/* the county and below only; outside the scope and not above it: as if absent */
	if (!parent || dd_region_lookup(parent, strlen(parent), &r) != DD_OK || r.level < DD_REGION_COUNTY ||
	    !(dd_http_in_scope(&req->who, parent) || dd_region_within(req->who.region, parent))) {
		json_decref(w.out);
		return http_fail(req, 404, "NOT_FOUND", "区划不存在");
	}
	if (dd_region_children(parent, strlen(parent), add_child, &w) != DD_OK) {
		json_decref(w.out);
		return DD_ERR_INTERNAL;
	}
	return http_reply(req, 200, w.out);
}

/* ---- users ---- */

static json_t *user_json(const dd_user_info *u)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:b, s:s}", "username", u->user.username, "role",
			 u->user.role, "region", dd_json_text(u->user.region), "region_name",
			 region_name(u->user.region), "dept", dd_json_text(u->user.dept), "disabled",
			 u->disabled, "created_at", u->created_at);
}

/* Answers `status` with the user `name` as the list shows it (404 when absent). */
static dd_rc reply_user(dd_http_req *req, int status, const char *name)
{
	dd_user_info *users;
	size_t n;
	dd_err err = { 0 };
	dd_rc rc = dd_store_user_list(req->st, &users, &n, &req->mem, &err);

	for (size_t i = 0; rc == DD_OK && i < n; i++)
		if (!strcmp(users[i].user.username, name))
			return http_reply(req, status, user_json(&users[i]));
	if (rc != DD_OK)
		dd_log_error("用户列表读取失败：%s", err.msg);
	return rc == DD_OK ? http_fail(req, 404, "NOT_FOUND", "用户不存在") : rc;
}

dd_rc api_users_list(dd_http_req *req)
{
	dd_user_info *users;
	size_t n;
	dd_err err = { 0 };
	dd_rc rc = dd_store_user_list(req->st, &users, &n, &req->mem, &err);
	json_t *out = rc == DD_OK ? json_array() : NULL;

	if (rc != DD_OK) {
		dd_log_error("用户列表读取失败：%s", err.msg);
		return rc;
	}
	for (size_t i = 0; out && i < n; i++)
		json_array_append_new(out, user_json(&users[i]));
	return http_reply(req, 200, out);
}

dd_rc api_user_add(dd_http_req *req)
{
	static const char shape[] =
		"请求应为 {\"username\":…,\"password\":…,\"role\":…,\"region\":…,\"dept\":…}";
	json_t *in = http_body_object(req, shape);
	const char *name = NULL, *pw = NULL, *role_s = NULL, *region = NULL, *dept = NULL, *problem;
	char hash[DD_HTTP_PWHASH_MAX], scope[13], *county = NULL;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;
	dd_role role;

	if (!in)
		return DD_OK;
	if (json_unpack(in, "{s:s, s:s, s:s, s?s, s?s}", "username", &name, "password", &pw, "role",
			&role_s, "region", &region, "dept", &dept) != 0) {
		rc = http_fail(req, 400, "BAD_REQUEST", shape);
		goto done;
	}
	if (!*name || strlen(name) > 64) {
		rc = invalid(req, "username", "用户名应为 1 到 64 个字节");
		goto done;
	}
	if ((role = dd_role_parse(role_s)) == DD_ROLE_NONE) {
		rc = invalid(req, "role", "角色应为 county_admin、township、village、dept、charity 或 auditor");
		goto done;
	}
	if ((problem = password_problem(pw))) {
		rc = invalid(req, "password", problem);
		goto done;
	}
	rc = dd_store_meta_get(req->st, "county_code", &county, &err);
	if (rc == DD_OK || rc == DD_ERR_NOTFOUND)
		rc = dd_http_user_region(role, region && *region ? region : NULL, dept, county, scope, &err);
	if (rc == DD_ERR_USAGE) {
		rc = invalid(req, strstr(err.msg, "部门") ? "dept" : "region", err.msg);
		goto done;
	}
	if (rc == DD_OK)
		rc = dd_http_password_hash(pw, hash, &err);
	if (rc == DD_OK) {
		dd_user u = { .username = name, .role = dd_role_code(role), .region = scope[0] ? scope : NULL,
			      .dept = dept && *dept ? dept : NULL, .pw_hash = hash };
		rc = dd_store_user_add(req->st, req->session.username, &u, &err);
	}
	sodium_memzero(hash, sizeof hash);
	if (rc == DD_ERR_INPUT) {
		rc = http_fail(req, 409, "CONFLICT", err.msg);
		goto done;
	}
	if (rc == DD_OK)
		rc = reply_user(req, 201, name);
done:
	if (rc != DD_OK)
		dd_log_error("新建用户失败：%s", err.msg);
	free(county);
	json_decref(in);
	return rc;
}

dd_rc api_user_update(dd_http_req *req)
{
	static const char shape[] = "请求应为 {\"disabled\":true|false,\"password\":…}（至少一项）";
	json_t *in = http_body_object(req, shape), *dis;
	const char *name = req->params[0], *pw = NULL, *problem;
	char hash[DD_HTTP_PWHASH_MAX];
	bool self = !strcmp(name, req->session.username);
	int disabled = -1;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!in)
		return DD_OK;
	dis = json_object_get(in, "disabled");
	if ((dis && !json_is_boolean(dis)) || json_unpack(in, "{s?s}", "password", &pw) != 0 || (!dis && !pw)) {
		rc = http_fail(req, 400, "BAD_REQUEST", shape);
		goto done;
	}
	if (dis)
		disabled = json_is_true(dis);
	/* the last way in must not lock itself out */
	if (self && disabled == 1) {
		rc = invalid(req, "disabled", "不能停用当前登录的账号");
		goto done;
	}
	if (pw && (problem = password_problem(pw))) {
		rc = invalid(req, "password", problem);
		goto done;
	}
	if (pw && (rc = dd_http_password_hash(pw, hash, &err)) != DD_OK)
		goto done;
	rc = dd_store_user_set(req->st, req->session.username, name, disabled, pw ? hash : NULL,
			       self ? req->session.token_hash : NULL, &err);
	if (rc == DD_ERR_NOTFOUND) {
		rc = http_fail(req, 404, "NOT_FOUND", "用户不存在");
		goto done;
	}
	if (rc == DD_OK)
		rc = reply_user(req, 200, name);
done:
	if (rc != DD_OK)
		dd_log_error("修改用户失败：%s", err.msg);
	json_decref(in);
	return rc;
}

/* ---- the policy ---- */

static json_t *policy_json(const char *text, const dd_policy *p)
{
	json_t *std = json_array(), *rules = json_array();

	for (size_t i = 0; std && i < p->nstandards; i++) {
		const dd_standards *s = &p->standards[i];
		json_array_append_new(std, json_pack("{s:i, s:o, s:o, s:o}", "year", s->year,
						     "dibao_urban_month", dd_json_yuan(s->dibao_urban_month),
						     "dibao_rural_month", dd_json_yuan(s->dibao_rural_month),
						     "fp_line", dd_json_yuan(s->fp_line)));
	}
	for (size_t i = 0; rules && i < p->nrules; i++) {
		const dd_rule_cfg *r = &p->rules[i];
		json_array_append_new(rules, json_pack("{s:s, s:b, s:s, s:o}", "id", r->id, "enabled", r->enabled,
						       "level", r->level, "threshold",
						       dd_json_yuan_opt(r->threshold)));
	}
	return json_pack("{s:s, s:{s:s, s:s, s:o, s:o}}", "text", text, "parsed", "county_code",
			 p->county_code, "county_name", p->county_name, "standards", std, "rules", rules);
}

/*
 * Parses `text` as `doudi policy load` would (over the defaults) and checks
 * its county rules as a comparison run would.  DD_ERR_INPUT with the line.
 */
static dd_rc policy_check(dd_store *st, const char *text, dd_policy *p, dd_err *err)
{
	dd_rc rc = dd_policy_default(p, err);

	if (rc == DD_OK)
		rc = dd_policy_parse(p, text, "政策参数", err);
	if (rc == DD_OK)
		rc = dd_compare_check(st, p, err);
	return rc;
}

dd_rc api_policy_get(dd_http_req *req)
{
	char *text = NULL, *code = NULL;
	dd_policy *p = malloc(sizeof *p);   /* too large for a worker thread's stack */
	dd_err err = { 0 };
	dd_rc rc = p ? dd_store_meta_get(req->st, "policy", &text, &err) : DD_ERR_NOMEM;

	if (rc == DD_ERR_NOTFOUND) {
		/* none stored: the defaults `doudi init` would have written for this county */
		dd_region r;
		rc = dd_store_meta_get(req->st, "county_code", &code, &err);
		if (rc == DD_OK && dd_region_lookup(code, strlen(code), &r) == DD_OK) {
			char name[DD_REGION_NAME_MAX];
			snprintf(name, sizeof name, "%.*s", (int)r.name_len, r.name);
			text = dd_policy_default_text(code, name);
		} else if (rc == DD_ERR_NOTFOUND || rc == DD_OK) {
			text = dd_policy_default_text("230304", "滴道区");
		}
		rc = rc == DD_OK || rc == DD_ERR_NOTFOUND ? (text ? DD_OK : DD_ERR_NOMEM) : rc;
	}
	if (rc == DD_OK)
		rc = dd_policy_default(p, &err);
	if (rc == DD_OK)
		rc = dd_policy_parse(p, text, "数据库中的政策参数", &err);
	if (rc == DD_OK)
		rc = http_reply(req, 200, policy_json(text, p));
	if (rc != DD_OK)
		dd_log_error("政策参数读取失败：%s", err.msg);
	free(p);
	free(text);
	free(code);
	return rc;
}

dd_rc api_policy_put(dd_http_req *req)
{
	json_t *in = http_body_object(req, "请求应为 {\"text\":政策参数文本}");
	const char *text = NULL;
	dd_policy *p = malloc(sizeof *p);
	dd_err err = { 0 };
	dd_rc rc = p ? DD_OK : DD_ERR_NOMEM;

	if (!in)
		goto done;
	if (rc == DD_OK && json_unpack(in, "{s:s}", "text", &text) != 0) {
		rc = http_fail(req, 400, "BAD_REQUEST", "请求应为 {\"text\":政策参数文本}");
		goto done;
	}
	/* validate first: a bad text must not replace a good policy */
	if (rc == DD_OK && (rc = policy_check(req->st, text, p, &err)) == DD_ERR_INPUT) {
		rc = invalid(req, "text", err.msg);
		goto done;
	}
	if (rc == DD_OK)
		rc = dd_store_meta_set(req->st, req->session.username, "policy", text, &err);
	if (rc == DD_OK)
		rc = http_reply(req, 200, policy_json(text, p));
	if (rc != DD_OK)
		dd_log_error("政策参数保存失败：%s", err.msg);
done:
	free(p);
	json_decref(in);
	return rc;
}
