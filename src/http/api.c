/*
 * api.c - the /api/v1/ route table, the dispatcher every request goes
 * through, and the session routes (FORMATS.md "HTTP API";
 * docs/internals/api.md).  The other handlers live in api_<area>.c.
 *
 * The dispatcher does, in this order: route (404/405), session (401),
 * CSRF (403), role (403), locate + scope (404 as if absent), handler.  A
 * handler never checks roles or regions itself: adding a route is one row.
 * Lists and pages always mask ID and phone numbers; only the reveal call
 * returns a full ID, and it writes an audit row first.
 */
#include "../core/dd.h"
#include "../core/json.h"
#include "../core/id.h"
#include "../core/region.h"
#include "../core/registry.h"
#include "http_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON helpers ---- */


/* ---- sessions ---- */

static dd_rc login(dd_http_req *req)
{
	json_error_t jerr;
	json_t *in = json_loadb(req->body.data ? req->body.data : "", req->body.len, 0, &jerr);
	const char *name = NULL, *pw = NULL;
	dd_http_throttle *thr = http_throttle(req->srv);
	char token[DD_HTTP_TOKEN_HEX + 1], th[DD_HTTP_TOKEN_HEX + 1], csrf[DD_HTTP_TOKEN_HEX + 1];
	dd_user u;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!in || json_unpack(in, "{s:s, s:s}", "username", &name, "password", &pw) != 0 ||
	    !*name || strlen(name) > 64) {
		rc = http_fail(req, 400, "BAD_REQUEST", "请求应为 {\"username\":…,\"password\":…}");
		goto done;
	}
	if (dd_http_throttle_blocked(thr, name, req->client, req->now)) {
		rc = http_fail(req, 429, "TOO_MANY_ATTEMPTS", "登录失败次数过多，请15分钟后再试");
		goto done;
	}
	rc = dd_store_user_get(req->st, name, &u, &req->mem, &err);
	if (rc != DD_OK && rc != DD_ERR_NOTFOUND)
		goto done;
	/* an unknown name costs one verification too, so timing does not tell names apart */
	if (!dd_http_password_ok(rc == DD_OK ? u.pw_hash : http_dummy_hash(req->srv), pw) || rc != DD_OK) {
		dd_http_throttle_fail(thr, name, req->client, req->now);
		rc = http_fail(req, 401, "BAD_CREDENTIALS", "用户名或口令错误");
		goto done;
	}
	dd_http_throttle_clear(thr, name);
	dd_http_token_new(token);
	dd_http_token_hash(token, th);
	dd_http_token_new(csrf);
	dd_session s = { .token_hash = th, .username = u.username, .csrf = csrf, .client = req->client,
			 .idle_until = req->now + HTTP_IDLE_SECONDS, .user = u };
	if ((rc = dd_store_session_put(req->st, &s, &err)) != DD_OK)
		goto done;
	req->set_cookie = dd_arena_printf(&req->mem, "doudi_session=%s; HttpOnly; SameSite=Strict; Path=/",
					  token);
	rc = req->set_cookie ? http_reply(req, 200, api_session_json(req, &s)) : DD_ERR_NOMEM;
done:
	if (rc != DD_OK)
		dd_log_error("登录处理失败：%s", err.msg);
	json_decref(in);
	return rc;
}

static dd_rc whoami(dd_http_req *req)
{
	return http_reply(req, 200, api_session_json(req, &req->session));
}

static dd_rc logout(dd_http_req *req)
{
	dd_err err = { 0 };
	dd_rc rc = dd_store_session_end(req->st, req->session.token_hash, &err);

	if (rc != DD_OK && rc != DD_ERR_NOTFOUND)
		return rc;
	req->set_cookie = "doudi_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
	return http_reply(req, 200, json_pack("{s:b}", "ok", 1));
}

/* The session of the request's cookie; false when there is none, it ended or it expired. */
static bool session(dd_http_req *req, dd_rc *rc)
{
	const char *cookie = http_header(req, "Cookie");
	char token[DD_HTTP_TOKEN_HEX + 1], th[DD_HTTP_TOKEN_HEX + 1];
	dd_err err = { 0 };

	*rc = DD_OK;
	if (!dd_http_cookie_token(cookie, token))
		return false;
	dd_http_token_hash(token, th);
	*rc = dd_store_session_use(req->st, th, req->now, HTTP_IDLE_SECONDS, &req->session, &req->mem, &err);
	if (*rc != DD_OK && *rc != DD_ERR_NOTFOUND && req->reading) {
		/* the idle-time touch cannot wait for another writer inside a GET's read transaction */
		dd_store_read_end(req->st);
		req->reading = false;
		*rc = dd_store_session_use(req->st, th, req->now, HTTP_IDLE_SECONDS, &req->session, &req->mem,
					   &err);
	}
	if (*rc == DD_ERR_NOTFOUND)
		*rc = DD_OK;
	else if (*rc != DD_OK)
		dd_log_error("会话查询失败：%s", err.msg);
	if (!req->session.username)
		return false;
	req->who.role = dd_role_parse(req->session.user.role);
	req->who.region = req->session.user.region;
	return req->who.role != DD_ROLE_NONE;
}

/* ---- the route table and the dispatcher ---- */

#define ALL_ROLES (DD_ROLE_BIT(DD_ROLE_COUNTY_ADMIN) | DD_ROLE_BIT(DD_ROLE_TOWNSHIP) |            \
		   DD_ROLE_BIT(DD_ROLE_VILLAGE) | DD_ROLE_BIT(DD_ROLE_DEPT) |                     \
		   DD_ROLE_BIT(DD_ROLE_CHARITY) | DD_ROLE_BIT(DD_ROLE_AUDITOR))
/* Who reads the registry, and may reveal a full ID within their scope (FORMATS.md). */
#define REGISTRY_ROLES (DD_ROLE_BIT(DD_ROLE_COUNTY_ADMIN) | DD_ROLE_BIT(DD_ROLE_TOWNSHIP) |       \
			DD_ROLE_BIT(DD_ROLE_VILLAGE) | DD_ROLE_BIT(DD_ROLE_AUDITOR))

/* Warnings and rules: the county, townships (their own, by scope) and auditors. */
#define MONITOR_ROLES (DD_ROLE_BIT(DD_ROLE_COUNTY_ADMIN) | DD_ROLE_BIT(DD_ROLE_TOWNSHIP) |          \
		       DD_ROLE_BIT(DD_ROLE_AUDITOR))
#define ADMIN DD_ROLE_BIT(DD_ROLE_COUNTY_ADMIN)
#define ADMIN_AUDITOR (DD_ROLE_BIT(DD_ROLE_COUNTY_ADMIN) | DD_ROLE_BIT(DD_ROLE_AUDITOR))
/* Who registers applications and moves them (which steps: api_apps.c), and keeps form drafts. */
#define CLERKS (DD_ROLE_BIT(DD_ROLE_COUNTY_ADMIN) | DD_ROLE_BIT(DD_ROLE_TOWNSHIP) | DD_ROLE_BIT(DD_ROLE_VILLAGE))

static const dd_http_route routes[] = {
	{ "POST", "/api/v1/session", 0, false, NULL, login },
	{ "GET", "/api/v1/session", ALL_ROLES, false, NULL, whoami },
	{ "DELETE", "/api/v1/session", ALL_ROLES, false, NULL, logout },
	{ "GET", "/api/v1/households", REGISTRY_ROLES, false, NULL, api_households_list },
	{ "GET", "/api/v1/households/{}", REGISTRY_ROLES, true, api_locate_household, api_household_get },
	{ "POST", "/api/v1/persons/{}/{}/reveal", REGISTRY_ROLES, true, api_locate_household, api_reveal },
	/* api_admin.c, api_stats.c */
	{ "PUT", "/api/v1/session/password", ALL_ROLES, false, NULL, api_password_change },
	{ "GET", "/api/v1/regions", REGISTRY_ROLES, false, NULL, api_regions },
	{ "GET", "/api/v1/users", ADMIN, false, NULL, api_users_list },
	{ "POST", "/api/v1/users", ADMIN, false, NULL, api_user_add },
	{ "PUT", "/api/v1/users/{}", ADMIN, false, NULL, api_user_update },
	{ "GET", "/api/v1/policy", ADMIN_AUDITOR, false, NULL, api_policy_get },
	{ "PUT", "/api/v1/policy", ADMIN, false, NULL, api_policy_put },
	{ "GET", "/api/v1/stats/dashboard", REGISTRY_ROLES, false, NULL, api_dashboard },
	{ "GET", "/api/v1/stats/export", MONITOR_ROLES, false, NULL, api_export },
	/* api_monitor.c */
	{ "GET", "/api/v1/warnings", MONITOR_ROLES, false, NULL, api_warnings_list },
	{ "GET", "/api/v1/warnings/{}", MONITOR_ROLES, true, api_locate_warning, api_warning_get },
	{ "GET", "/api/v1/rules", MONITOR_ROLES, false, NULL, api_rules },
	{ "GET", "/api/v1/compare/runs", ADMIN_AUDITOR, false, NULL, api_compare_runs },
	{ "POST", "/api/v1/compare/runs", ADMIN, false, NULL, api_compare_start },
	{ "POST", "/api/v1/imports", ADMIN, false, NULL, api_import_upload },
	{ "POST", "/api/v1/imports/run", ADMIN, false, NULL, api_import_run },
	{ "GET", "/api/v1/imports", ADMIN_AUDITOR, false, NULL, api_imports_list },
	{ "GET", "/api/v1/jobs", ADMIN, false, NULL, api_jobs_list },
	{ "GET", "/api/v1/jobs/{}", ADMIN, false, NULL, api_job_get },
	{ "GET", "/api/v1/jobs/{}/errors.csv", ADMIN, false, NULL, api_job_errors },
	/* api_apps.c */
	{ "GET", "/api/v1/households/{}/assessment", REGISTRY_ROLES, true, api_locate_household,
	  api_household_assessment },
	{ "GET", "/api/v1/households/{}/history", REGISTRY_ROLES, true, api_locate_household, api_household_history },
	{ "POST", "/api/v1/assess", CLERKS, false, NULL, api_assess },
	{ "GET", "/api/v1/applications", REGISTRY_ROLES, false, NULL, api_apps_list },
	{ "POST", "/api/v1/applications", CLERKS, true, api_locate_apply, api_apps_create },
	{ "GET", "/api/v1/applications/{}", REGISTRY_ROLES, true, api_locate_app, api_app_get },
	{ "POST", "/api/v1/applications/{}/advance", CLERKS, true, api_locate_app, api_app_advance },
	{ "POST", "/api/v1/applications/{}/objection", CLERKS, true, api_locate_app, api_app_objection },
	{ "GET", "/api/v1/applications/{}/decision.pdf", REGISTRY_ROLES, true, api_locate_app, api_app_decision_pdf },
	{ "GET", "/api/v1/drafts", CLERKS, false, NULL, api_drafts_list },
	{ "PUT", "/api/v1/drafts/{}", CLERKS, false, NULL, api_draft_put },
	{ "DELETE", "/api/v1/drafts/{}", CLERKS, false, NULL, api_draft_delete },
};

const dd_http_route *dd_http_routes(size_t *n)
{
	*n = DD_ARRAY_LEN(routes);
	return routes;
}

const dd_http_route *http_admit(dd_http_req *req)
{
	bool known;
	const dd_http_route *r = dd_http_route_match(req->method, req->path, req->params, &known);
	const char *region = NULL;
	dd_rc rc = DD_OK;

	if (!r) {
		if (known)
			http_fail(req, 405, "METHOD_NOT_ALLOWED", "不支持该请求方法");
		else
			http_fail(req, 404, "NOT_FOUND", "没有这个接口");
		return NULL;
	}
	if (r->roles && !session(req, &rc)) {
		if (rc == DD_OK)
			http_fail(req, 401, "UNAUTHENTICATED", "请先登录");
		else
			http_fail(req, 500, "INTERNAL", "服务器内部错误");
		return NULL;
	}
	if (!dd_http_csrf_ok(req->method, !r->roles, http_header(req, "X-CSRF-Token"), req->session.csrf)) {
		http_fail(req, 403, "CSRF_TOKEN_INVALID", "缺少或错误的 X-CSRF-Token");
		return NULL;
	}
	if (!dd_http_role_allowed(r, req->who.role)) {
		http_fail(req, 403, "FORBIDDEN", "当前角色无权进行此操作");
		return NULL;
	}
	/* the role passed: the decision left is the record's scope (404 exactly as if absent) */
	if (r->locate && (rc = r->locate(req, &region)) == DD_OK &&
	    dd_http_decide(r, &req->who, region) != 200) {
		http_fail(req, 404, "NOT_FOUND", "记录不存在");
		return NULL;
	}
	if (rc != DD_OK) {
		http_fail(req, 500, "INTERNAL", "服务器内部错误");
		return NULL;
	}
	return r;
}

void http_dispatch(dd_http_req *req)
{
	/* an upload was admitted before its body was read */
	const dd_http_route *r = req->route ? req->route : http_admit(req);

	if (r && r->handle(req) != DD_OK)
		http_fail(req, 500, "INTERNAL", "服务器内部错误");
}
