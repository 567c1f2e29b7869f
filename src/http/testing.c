/*
 * testing.c - http_test.h: API requests without libmicrohttpd, for the unit
 * tests and the fuzz target.  Compiled into the library like the rest, so
 * what is tested is the server's own answer path (server.c http_answer).
 */
#include "../core/dd.h"
#include "../core/policy.h"
#include "../core/region.h"
#include "../compare/compare.h"
#include "../gen/gen.h"
#include "../ingest/ingest.h"
#include "http_int.h"
#include "http_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct dd_http_test {
	dd_http_options o;             /* the server keeps a pointer to it */
	http_server *srv;
};

dd_rc dd_http_test_new(dd_http_test **out, dd_store *st, const char *db, dd_err *err)
{
	dd_http_test *t = calloc(1, sizeof *t);
	dd_rc rc;

	*out = NULL;
	if (!t)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	t->o.threads = 1;
	t->o.db = db;
	if ((rc = http_server_new(&t->srv, &t->o, st, err)) != DD_OK) {
		free(t);
		return rc;
	}
	*out = t;
	return DD_OK;
}

void dd_http_test_free(dd_http_test *t)
{
	if (!t)
		return;
	http_server_free(t->srv);
	free(t);
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %XX in place, as libmicrohttpd does (a malformed % stays); '+' is a space in a query. */
static char *unescape(char *s, bool plus)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '%' && hex(r[1]) >= 0 && hex(r[2]) >= 0) {
			*w++ = (char)(hex(r[1]) * 16 + hex(r[2]));
			r += 2;
		} else {
			*w++ = plus && *r == '+' ? ' ' : *r;
		}
	}
	*w = '\0';
	return s;
}

/* The request's arguments (from the query, in mem) and headers, in req->kv. */
static bool fill_kv(dd_http_req *req, char *query, const char *const *headers)
{
	size_t n = 0, cap = 1;
	http_kv *kv;

	for (const char *q = query; q && *q; q++)
		cap += *q == '&';
	for (size_t i = 0; headers && headers[i]; i++)
		cap++;
	if (!(kv = dd_arena_alloc(&req->mem, cap * sizeof *kv)))
		return false;
	for (char *part = query, *next; part; part = next) {
		char *eq;
		if ((next = strchr(part, '&')))
			*next++ = '\0';
		if (!*part)
			continue;
		if ((eq = strchr(part, '=')))
			*eq++ = '\0';
		kv[n++] = (http_kv){ HTTP_KV_ARG, unescape(part, true), eq ? unescape(eq, true) : NULL };
	}
	for (size_t i = 0; headers && headers[i]; i++) {
		const char *colon = strchr(headers[i], ':'), *v;
		size_t vl;
		if (!colon)
			continue;
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (vl = strlen(v); vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'); vl--)
			;
		const char *name = dd_arena_strndup(&req->mem, headers[i], (size_t)(colon - headers[i]));
		const char *value = dd_arena_strndup(&req->mem, v, vl);
		if (!name || !value)
			return false;
		kv[n++] = (http_kv){ HTTP_KV_HEADER, name, value };
	}
	req->kv = kv;
	req->nkv = n;
	return true;
}

void dd_http_test_reply_free(dd_http_test_reply *r)
{
	free(r->body);
	free(r->type);
	free(r->set_cookie);
	memset(r, 0, sizeof *r);
}

dd_rc dd_http_test_call(dd_http_test *t, const char *method, const char *target,
			const char *const *headers, const char *body, size_t len, const char *client,
			dd_http_test_reply *out, dd_err *err)
{
	dd_http_req *req = NULL;
	char *path = NULL, *query;
	dd_rc rc = DD_ERR_NOMEM;

	memset(out, 0, sizeof *out);
	if (!(path = strdup(target)) || !(req = http_req_new(t->srv, NULL, method, path)))
		goto done;
	if ((query = strchr(path, '?')))
		*query++ = '\0';
	unescape(path, false);
	if (!fill_kv(req, query, headers))
		goto done;
	snprintf(req->client, sizeof req->client, "%s", client ? client : "192.0.2.1");
	/* on_request's steps: the headers in, the body in one chunk, its end */
	if (http_begin(req)) {
		if (len)
			http_body(req, body, len);
		http_answer(req);
	}
	/* what send_json / send_raw / send_file (server.c) would put on the wire */
	if (req->raw_type && req->raw_file) {
		dd_buf f;
		dd_buf_init(&f, 0);
		if (dd_file_read(req->raw_file, 64 << 20, &f, NULL) == DD_OK) {
			out->status = 200;
			out->body = dd_buf_detach(&f, &out->len);
			out->type = strdup(req->raw_type);
		} else {
			http_fail(req, 404, "NOT_FOUND", "文件不存在");
		}
		dd_buf_release(&f);
	} else if (req->raw_type) {
		out->status = 200;
		out->body = dd_buf_detach(&req->raw, &out->len);
		out->type = strdup(req->raw_type);
	}
	if (!out->status) {
		out->status = req->json ? req->status : 500;
		out->body = req->json ? http_json_text(req->json, &out->len) : strdup("");
		out->type = strdup("application/json; charset=utf-8");
	}
	if (!out->body)
		out->body = calloc(1, 1);
	out->set_cookie = req->set_cookie ? strdup(req->set_cookie) : NULL;
	if (out->body && out->type && (!req->set_cookie || out->set_cookie))
		rc = DD_OK;
	else
		dd_http_test_reply_free(out);
done:
	http_req_free(req);
	free(path);
	return rc == DD_OK ? rc : dd_err_set(err, rc, "内存不足");
}

/* ---- the fixture ---- */

dd_rc dd_http_test_county(const char *dir, dd_store **st, dd_err *err)
{
	char g[1024], db[1024], hh[1100], mb[1100], ob[1100], feed[1200], name[128];
	dd_gen_opts go = { .out_dir = g, .households = 200, .population = 2000, .medical_rows = 2000,
			   .seed = 3, .county = DD_HTTP_TEST_COUNTY, .year = 2025 };
	dd_registry_files rf = { .households = hh, .members = mb, .obligors = ob, .user = "fixture",
				 .county_code = DD_HTTP_TEST_COUNTY };
	dd_registry_result rr;
	dd_region r;
	dd_policy pol;
	dd_month m;
	dd_compare_report rep;
	char *policy = NULL;
	dd_rc rc;

	*st = NULL;
	snprintf(g, sizeof g, "%s/g", dir);
	snprintf(db, sizeof db, "%s/doudi.db", dir);
	snprintf(hh, sizeof hh, "%s/households.csv", g);
	snprintf(mb, sizeof mb, "%s/members.csv", g);
	snprintf(ob, sizeof ob, "%s/obligors.csv", g);
	if ((rc = dd_region_lookup(DD_HTTP_TEST_COUNTY, 6, &r)) != DD_OK)
		return dd_err_set(err, rc, "区划表中没有县 %s", DD_HTTP_TEST_COUNTY);
	snprintf(name, sizeof name, "%.*s", (int)r.name_len, r.name);
	if (!(policy = dd_policy_default_text(DD_HTTP_TEST_COUNTY, name)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if ((rc = dd_gen_run(&go, NULL, NULL, err)) != DD_OK || (rc = dd_store_open(st, db, true, err)) != DD_OK ||
	    (rc = dd_store_begin(*st, err)) != DD_OK)
		goto done;
	if ((rc = dd_store_meta_set(*st, "fixture", "county_code", DD_HTTP_TEST_COUNTY, err)) != DD_OK ||
	    (rc = dd_store_meta_set(*st, "fixture", "county_name", name, err)) != DD_OK ||
	    (rc = dd_store_meta_set(*st, "fixture", "policy", policy, err)) != DD_OK ||
	    (rc = dd_store_commit(*st, err)) != DD_OK) {
		dd_store_rollback(*st);
		goto done;
	}
	if ((rc = dd_ingest_registry(*st, &rf, &rr, err)) != DD_OK)
		goto done;
	for (size_t i = 0; rc == DD_OK && i < dd_feed_nkinds; i++) {
		dd_feed_in in = { .kind = dd_feed_kinds[i].name, .month = DD_HTTP_TEST_MONTH, .file = feed,
				  .user = "fixture" };
		dd_feed_result fr;
		snprintf(feed, sizeof feed, "%s/feeds/%s/%s.csv", g, in.kind, DD_HTTP_TEST_MONTH);
		rc = dd_ingest_feed(*st, &in, &fr, err);
	}
	if (rc == DD_OK && (rc = dd_policy_default(&pol, err)) == DD_OK &&
	    (rc = dd_policy_parse(&pol, policy, "policy", err)) == DD_OK &&
	    (rc = dd_month_parse(DD_HTTP_TEST_MONTH, 7, &m)) == DD_OK)
		rc = dd_compare_run(*st, &pol, "fixture", m, NULL, NULL, &rep, err);
done:
	free(policy);
	if (rc != DD_OK) {
		dd_store_close(*st);
		*st = NULL;
	}
	return rc;
}

dd_rc dd_http_test_session(dd_store *st, const char *username, const char *role, const char *region,
			   const char *dept, const char *password, char cookie[96], char csrf[65],
			   dd_err *err)
{
	char hash[DD_HTTP_PWHASH_MAX] = "!", token[DD_HTTP_TOKEN_HEX + 1], th[DD_HTTP_TOKEN_HEX + 1];
	dd_user u = { username, role, region, dept, hash };
	dd_arena mem;
	dd_rc rc;

	dd_arena_init(&mem, 0);
	rc = dd_store_user_get(st, username, &u, &mem, err);
	if (rc == DD_ERR_NOTFOUND) {
		u = (dd_user){ username, role, region, dept, hash };
		if (!password || (rc = dd_http_password_hash(password, hash, err)) == DD_OK)
			rc = dd_store_user_add(st, "fixture", &u, err);
	}
	dd_arena_release(&mem);
	if (rc != DD_OK)
		return rc;
	dd_http_token_new(token);
	dd_http_token_hash(token, th);
	dd_http_token_new(csrf);
	dd_session s = { .token_hash = th, .username = username, .csrf = csrf, .client = "192.0.2.1",
			 .idle_until = (int64_t)time(NULL) + HTTP_IDLE_SECONDS };
	snprintf(cookie, 96, "doudi_session=%s", token);
	return dd_store_session_put(st, &s, err);
}
