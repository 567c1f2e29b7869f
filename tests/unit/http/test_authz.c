/*
 * test_authz.c - every route of dd_http_routes() as every role, through the
 * server's own answer path (src/http/testing.c) on a small generated county:
 *   - no session (or an unknown one): 401 UNAUTHENTICATED;
 *   - a write without X-CSRF-Token, or with another session's: 403 CSRF_TOKEN_INVALID;
 *   - a role the route does not allow: 403 FORBIDDEN, one fixed body whatever the record;
 *   - a record outside the caller's region: 404 with exactly the body of an absent one;
 *   - a record inside it: answered (not 401/403/5xx, not the absent answer);
 *   - no answer holds a full ID number (but the reveal's) nor a phone number, and none
 *     given to a township or village user names a household outside its region.
 * A route without a row in `samples` fails: a new route must say how to call it.
 */
#include "unit.h"

#include "http/http.h"
#include "http/http_test.h"
#include "store/store.h"
#include "workflow/workflow.h"

#include <jansson.h>
#include <regex.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * The records asked for: one in the village user's village (inside every
 * scope), one elsewhere in its township, one in another township, and
 * absent ones.
 */
enum { REC_OWN, REC_TOWN, REC_FAR, REC_ABSENT, REC_N };
static const char *const rec_name[REC_N] = { "own village", "same township, other village",
					     "other township", "absent" };

typedef struct rec {
	char hh[32], app[24], warn[24], region[13], id[19];
} rec;

static const char *const user_of[DD_ROLE_N] = { NULL, "admin", "twn", "vil", "dep", "cha", "aud" };

static struct {
	char dir[64], db[128];
	dd_store *st;
	dd_http_test *t;
	rec r[REC_N];
	char region[DD_ROLE_N][13];
	char cookie[DD_ROLE_N][96], csrf[DD_ROLE_N][65];
	regex_t full_id, phone;
} F;

/*
 * How to call each route: the path (with its query) and body, where {HH}
 * {APP} {WARN} {ID} {REGION} are the record's household number, application
 * number, warning id, an ID number of the household and its village.
 * Writes carry bodies that are valid where cheap and harmless otherwise
 * (a wrong old password, a malformed month, a policy that does not parse).
 */
static const struct sample {
	const char *method, *pattern, *path, *body;
} samples[] = {
	{ "POST", "/api/v1/session", "/api/v1/session", "{\"username\":\"nobody\",\"password\":\"x\"}" },
	{ "GET", "/api/v1/session", "/api/v1/session", NULL },
	{ "DELETE", "/api/v1/session", "/api/v1/session", NULL },
	{ "PUT", "/api/v1/session/password", "/api/v1/session/password",
	  "{\"old\":\"wrong-old-password\",\"new\":\"new-password-1\"}" },
	{ "GET", "/api/v1/regions", "/api/v1/regions", NULL },
	{ "GET", "/api/v1/households", "/api/v1/households?q={HH}", NULL },
	{ "GET", "/api/v1/households/{}", "/api/v1/households/{HH}", NULL },
	{ "GET", "/api/v1/households/{}/assessment", "/api/v1/households/{HH}/assessment", NULL },
	{ "GET", "/api/v1/households/{}/history", "/api/v1/households/{HH}/history", NULL },
	{ "POST", "/api/v1/persons/{}/{}/reveal", "/api/v1/persons/{HH}/0/reveal", NULL },
	{ "POST", "/api/v1/assess", "/api/v1/assess", "{}" },
	{ "GET", "/api/v1/applications", "/api/v1/applications", NULL },
	{ "POST", "/api/v1/applications", "/api/v1/applications",
	  "{\"household_no\":\"{HH}\",\"applicant_name\":\"测试\",\"applicant_id\":\"{ID}\","
	  "\"channel\":\"窗口\",\"hardship\":\"权限测试\",\"needs\":[\"最低生活保障\"]}" },
	{ "GET", "/api/v1/applications/{}", "/api/v1/applications/{APP}", NULL },
	{ "POST", "/api/v1/applications/{}/advance", "/api/v1/applications/{APP}/advance",
	  "{\"to\":\"village_review\",\"comment\":\"权限测试\"}" },
	{ "POST", "/api/v1/applications/{}/objection", "/api/v1/applications/{APP}/objection",
	  "{\"text\":\"权限测试\"}" },
	{ "GET", "/api/v1/applications/{}/decision.pdf", "/api/v1/applications/{APP}/decision.pdf", NULL },
	{ "GET", "/api/v1/drafts", "/api/v1/drafts", NULL },
	{ "PUT", "/api/v1/drafts/{}", "/api/v1/drafts/authz-1",
	  "{\"kind\":\"form1\",\"title\":\"权限测试\",\"data\":{\"a\":1}}" },
	{ "DELETE", "/api/v1/drafts/{}", "/api/v1/drafts/authz-1", NULL },
	{ "GET", "/api/v1/warnings", "/api/v1/warnings?month=" DD_HTTP_TEST_MONTH, NULL },
	{ "GET", "/api/v1/warnings/{}", "/api/v1/warnings/{WARN}", NULL },
	{ "GET", "/api/v1/rules", "/api/v1/rules", NULL },
	{ "GET", "/api/v1/compare/runs", "/api/v1/compare/runs", NULL },
	{ "POST", "/api/v1/compare/runs", "/api/v1/compare/runs", "{\"month\":\"no-month\"}" },
	{ "POST", "/api/v1/imports", "/api/v1/imports?type=feed&kind=medical&month=" DD_HTTP_TEST_MONTH,
	  "id_number,name\n" },
	{ "POST", "/api/v1/imports/run", "/api/v1/imports/run", "{}" },
	{ "GET", "/api/v1/imports", "/api/v1/imports", NULL },
	{ "GET", "/api/v1/jobs", "/api/v1/jobs", NULL },
	{ "GET", "/api/v1/jobs/{}", "/api/v1/jobs/1", NULL },
	{ "GET", "/api/v1/jobs/{}/errors.csv", "/api/v1/jobs/1/errors.csv", NULL },
	{ "GET", "/api/v1/stats/dashboard", "/api/v1/stats/dashboard", NULL },
	{ "GET", "/api/v1/stats/export", "/api/v1/stats/export?what=households&format=csv", NULL },
	{ "GET", "/api/v1/users", "/api/v1/users", NULL },
	{ "POST", "/api/v1/users", "/api/v1/users",
	  "{\"username\":\"authz-new\",\"password\":\"authz-password-1\",\"role\":\"village\","
	  "\"region\":\"{REGION}\"}" },
	{ "PUT", "/api/v1/users/{}", "/api/v1/users/victim", "{\"disabled\":false}" },
	{ "GET", "/api/v1/policy", "/api/v1/policy", NULL },
	{ "PUT", "/api/v1/policy", "/api/v1/policy", "{\"text\":\"[no-such-section\"}" },
};

/* ---- the county ---- */

typedef struct pick {
	int64_t id[REC_N];             /* warning ids; 0 while none is picked */
	char *keep[REC_N][3];          /* household_no, region_code, id_number */
} pick;

/* Picks warnings with a household: the first, one of another village of its township, one of another township. */
static dd_rc pick_warning(void *arg, const dd_warning *w, dd_err *err)
{
	pick *p = arg;
	int k = -1;

	(void)err;
	if (!w->household_no || !w->region_code || strlen(w->region_code) != 12 || !w->id_number)
		return DD_OK;
	if (!p->id[REC_OWN])
		k = REC_OWN;
	else if (!p->id[REC_TOWN] && !strncmp(w->region_code, p->keep[REC_OWN][1], 9) &&
		 strcmp(w->region_code, p->keep[REC_OWN][1]))
		k = REC_TOWN;
	else if (!p->id[REC_FAR] && strncmp(w->region_code, p->keep[REC_OWN][1], 9))
		k = REC_FAR;
	if (k >= 0) {
		p->id[k] = w->id;
		p->keep[k][0] = strdup(w->household_no);
		p->keep[k][1] = strdup(w->region_code);
		p->keep[k][2] = strdup(w->id_number);
	}
	return DD_OK;
}

static int setup(void **state)
{
	dd_err err = { 0 };
	pick p = { 0 };
	dd_policy pol;
	char *text = NULL;

	(void)state;
	snprintf(F.dir, sizeof F.dir, "/tmp/dd_authz_XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	snprintf(F.db, sizeof F.db, "%s/doudi.db", F.dir);
	if (dd_http_test_county(F.dir, &F.st, &err) != DD_OK)
		fail_msg("fixture: %s", err.msg);
	assert_int_equal(dd_store_warnings_list(F.st, &(dd_warning_filter){ 0 }, pick_warning, &p, &err), DD_OK);
	assert_int_equal(dd_store_meta_get(F.st, "policy", &text, &err), DD_OK);
	assert_int_equal(dd_policy_default(&pol, &err), DD_OK);
	assert_int_equal(dd_policy_parse(&pol, text, "policy", &err), DD_OK);
	free(text);
	for (int k = 0; k < REC_ABSENT; k++) {
		rec *r = &F.r[k];
		if (!p.id[k])
			fail_msg("the fixture has no warning for the record \"%s\"", rec_name[k]);
		snprintf(r->hh, sizeof r->hh, "%s", p.keep[k][0]);
		snprintf(r->region, sizeof r->region, "%s", p.keep[k][1]);
		snprintf(r->id, sizeof r->id, "%s", p.keep[k][2]);
		snprintf(r->warn, sizeof r->warn, "%lld", (long long)p.id[k]);
		char json[512];
		snprintf(json, sizeof json,
			 "{\"household_no\":\"%s\",\"applicant_name\":\"测试\",\"applicant_id\":\"%s\","
			 "\"channel\":\"窗口\",\"hardship\":\"权限测试\",\"needs\":[\"最低生活保障\"]}", r->hh, r->id);
		if (dd_flow_apply(F.st, &pol, "fixture", json, strlen(json), "authz", dd_date_today(), r->app, &err) != DD_OK)
			fail_msg("apply %s: %s", r->hh, err.msg);
		for (int i = 0; i < 3; i++)
			free(p.keep[k][i]);
	}
	F.r[REC_ABSENT] = (rec){ "H2303049999999", "SQ99999999", "999999999", "230304200299", "230304198001010019" };
	/* the principals: the county, the own record's township and village */
	snprintf(F.region[DD_ROLE_COUNTY_ADMIN], 13, "%s", DD_HTTP_TEST_COUNTY);
	snprintf(F.region[DD_ROLE_AUDITOR], 13, "%s", DD_HTTP_TEST_COUNTY);
	snprintf(F.region[DD_ROLE_TOWNSHIP], 13, "%.9s", F.r[REC_OWN].region);
	snprintf(F.region[DD_ROLE_VILLAGE], 13, "%s", F.r[REC_OWN].region);
	for (int role = 1; role < DD_ROLE_N; role++)
		assert_int_equal(dd_http_test_session(F.st, user_of[role], dd_role_code((dd_role)role),
						      F.region[role][0] ? F.region[role] : NULL,
						      role == DD_ROLE_DEPT ? "医保局" : NULL, NULL, F.cookie[role],
						      F.csrf[role], &err),
				 DD_OK);
	char c[96], x[65];
	assert_int_equal(dd_http_test_session(F.st, "victim", "village", F.r[REC_OWN].region, NULL, NULL, c, x, &err),
			 DD_OK);
	assert_int_equal(dd_http_test_new(&F.t, F.st, F.db, &err), DD_OK);
	/* not inside a run of hex (tokens, upload names): random hex holds digit runs now and then */
	assert_int_equal(regcomp(&F.full_id, "(^|[^0-9A-Fa-f])[0-9]{17}[0-9Xx]([^0-9A-Fa-f]|$)", REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&F.phone, "(^|[^0-9A-Fa-f])1[3-9][0-9]{9}([^0-9A-Fa-f]|$)", REG_EXTENDED | REG_NOSUB), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	dd_http_test_free(F.t);
	dd_store_close(F.st);
	regfree(&F.full_id);
	regfree(&F.phone);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", F.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- calling ---- */

/* tmpl with the record's values in place of {HH} {APP} {WARN} {ID} {REGION}. */
static void expand(const char *tmpl, const rec *r, char *out, size_t size)
{
	static const char *const keys[] = { "{HH}", "{APP}", "{WARN}", "{ID}", "{REGION}" };
	const char *vals[] = { r->hh, r->app, r->warn, r->id, r->region };
	size_t n = 0;

	for (const char *s = tmpl; *s && n + 1 < size;) {
		size_t k;
		for (k = 0; k < DD_ARRAY_LEN(keys); k++)
			if (!strncmp(s, keys[k], strlen(keys[k])))
				break;
		if (k < DD_ARRAY_LEN(keys)) {
			n += (size_t)snprintf(out + n, size - n, "%s", vals[k]);
			s += strlen(keys[k]);
		} else {
			out[n++] = *s++;
		}
	}
	out[DD_MIN(n, size - 1)] = '\0';
}

enum { CSRF_OWN, CSRF_NONE, CSRF_OTHER };

/* One call as `role` on the sample with record k; role 0 sends F.cookie[0] ("" for none). */
static void call(const struct sample *s, int role, int k, int csrf, dd_http_test_reply *out)
{
	char path[512], body[1024], ck[128], tok[96];
	const char *h[4] = { "Content-Type: application/json" };
	size_t nh = 1;
	dd_err err = { 0 };

	expand(s->path, &F.r[k], path, sizeof path);
	expand(s->body ? s->body : "", &F.r[k], body, sizeof body);
	if (F.cookie[role][0]) {
		snprintf(ck, sizeof ck, "Cookie: theme=dark; %s", F.cookie[role]);
		h[nh++] = ck;
	}
	if (csrf != CSRF_NONE && strcmp(s->method, "GET")) {
		/* "another session's" token: the next role's */
		snprintf(tok, sizeof tok, "X-CSRF-Token: %s",
			 F.csrf[csrf == CSRF_OWN ? (role ? role : 1) : role % (DD_ROLE_N - 1) + 1]);
		h[nh++] = tok;
	}
	h[nh] = NULL;
	if (dd_http_test_call(F.t, s->method, path, h, body, strlen(body), NULL, out, &err) != DD_OK)
		fail_msg("%s %s: %s", s->method, path, err.msg);
}

/* The error code of an answer ("" when it is not an error body). */
static const char *code_of(const dd_http_test_reply *r, char *buf, size_t size)
{
	json_t *j = json_loads(r->body, 0, NULL);
	const char *c = NULL;
	json_unpack(j, "{s:{s:s}}", "error", "code", &c);
	snprintf(buf, size, "%s", c ? c : "");
	json_decref(j);
	return buf;
}

/* What no answer may hold: a full ID (except the reveal's), a phone, a household outside a T/V caller's region. */
static void check_leaks(const char *what, const dd_http_test_reply *r, int role, bool reveal)
{
	if (!reveal && regexec(&F.full_id, r->body, 0, NULL, 0) == 0)
		fail_msg("%s: a full ID number in the answer: %.300s", what, r->body);
	if (regexec(&F.phone, r->body, 0, NULL, 0) == 0)
		fail_msg("%s: a phone number in the answer: %.300s", what, r->body);
	for (int k = REC_TOWN; k <= REC_FAR; k++) {
		dd_http_principal p = { (dd_role)role, F.region[role] };
		if ((role == DD_ROLE_TOWNSHIP || role == DD_ROLE_VILLAGE) && !dd_http_in_scope(&p, F.r[k].region) &&
		    strstr(r->body, F.r[k].hh))
			fail_msg("%s: household %s (%s) outside the caller's region in the answer: %.300s", what,
				 F.r[k].hh, rec_name[k], r->body);
	}
}

static const struct sample *sample_of(const dd_http_route *rt)
{
	for (size_t k = 0; k < DD_ARRAY_LEN(samples); k++)
		if (!strcmp(samples[k].method, rt->method) && !strcmp(samples[k].pattern, rt->pattern))
			return &samples[k];
	return NULL;
}

static bool has_record(const struct sample *s)
{
	return strchr(s->path, '{') || (s->body && strstr(s->body, "{HH}"));
}

/* ---- the tests ---- */

static void test_every_route_has_a_sample(void **state)
{
	size_t n;
	const dd_http_route *rt = dd_http_routes(&n);
	int missing = 0;

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (!sample_of(&rt[i])) {
			print_error("route %s %s has no row in test_authz.c's samples\n", rt[i].method, rt[i].pattern);
			missing++;
		}
	assert_int_equal(missing, 0);
}

static void test_no_session(void **state)
{
	size_t n;
	const dd_http_route *rt = dd_http_routes(&n);
	char code[64], what[256];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct sample *s = sample_of(&rt[i]);
		if (!s || !rt[i].roles)
			continue;
		for (int bogus = 0; bogus < 2; bogus++) {
			dd_http_test_reply r;
			/* an unknown token looks like a real one: 64 hex characters */
			snprintf(F.cookie[0], sizeof F.cookie[0], "%s%.*s", bogus ? "doudi_session=" : "", bogus ? 64 : 0,
				 "0000000000000000000000000000000000000000000000000000000000000000");
			call(s, 0, REC_OWN, CSRF_NONE, &r);
			snprintf(what, sizeof what, "%s %s %s", s->method, s->path, bogus ? "unknown session" : "no cookie");
			CASE_CHECK(r.status == 401, what);
			CASE_STR_EQ(code_of(&r, code, sizeof code), "UNAUTHENTICATED", what);
			dd_http_test_reply_free(&r);
		}
	}
}

static void test_csrf(void **state)
{
	size_t n;
	const dd_http_route *rt = dd_http_routes(&n);
	char code[64], what[256];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct sample *s = sample_of(&rt[i]);
		if (!s || !rt[i].roles || !strcmp(s->method, "GET"))
			continue;
		for (int role = 1; role < DD_ROLE_N; role++)
			for (int c = CSRF_NONE; c <= CSRF_OTHER; c++) {
				dd_http_test_reply r;
				call(s, role, REC_OWN, c, &r);
				snprintf(what, sizeof what, "%s %s as %s, %s X-CSRF-Token", s->method, s->path,
					 dd_role_code((dd_role)role), c == CSRF_NONE ? "no" : "another session's");
				CASE_CHECK(r.status == 403, what);
				CASE_STR_EQ(code_of(&r, code, sizeof code), "CSRF_TOKEN_INVALID", what);
				dd_http_test_reply_free(&r);
			}
	}
}

static void test_roles_and_scope(void **state)
{
	size_t n;
	const dd_http_route *rt = dd_http_routes(&n);
	char code[64], what[320], *forbidden = NULL;
	dd_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct sample *s = sample_of(&rt[i]);
		if (!s || !rt[i].roles)
			continue;
		for (int role = 1; role < DD_ROLE_N; role++) {
			dd_http_principal p = { (dd_role)role, F.region[role][0] ? F.region[role] : NULL };
			bool allowed = dd_http_role_allowed(&rt[i], (dd_role)role);
			char *absent = NULL;
			/* the absent record first: the out-of-scope answers must equal it */
			for (int k = REC_ABSENT; k >= 0; k--) {
				dd_http_test_reply r;
				if (k != REC_OWN && !has_record(s))
					continue;
				call(s, role, k, CSRF_OWN, &r);
				snprintf(what, sizeof what, "%s %s as %s, %s record -> %d", s->method, s->path,
					 dd_role_code((dd_role)role), rec_name[k], r.status);
				check_leaks(what, &r, role, allowed && !strcmp(rt[i].pattern, "/api/v1/persons/{}/{}/reveal"));
				if (!allowed) {
					CASE_CHECK(r.status == 403, what);
					CASE_STR_EQ(code_of(&r, code, sizeof code), "FORBIDDEN", what);
					/* one body for every refusal: nothing of the record in it */
					if (!forbidden)
						forbidden = strdup(r.body);
					CASE_STR_EQ(r.body, forbidden, what);
				} else if (rt[i].scoped && k == REC_ABSENT) {
					CASE_CHECK(r.status == 404, what);
					absent = strdup(r.body);
				} else if (rt[i].scoped && !dd_http_in_scope(&p, F.r[k].region)) {
					CASE_CHECK(r.status == 404, what);
					CASE_STR_EQ(r.body, absent, what);
				} else if (k != REC_ABSENT) {
					CASE_CHECK(r.status != 401 && r.status != 403 && r.status < 500, what);
					CASE_CHECK(!rt[i].scoped || strcmp(r.body, absent), what);
				}
				/* a logout ends the caller's session: the next call needs a new one */
				if (r.status == 200 && !strcmp(s->method, "DELETE") && !strcmp(s->pattern, "/api/v1/session"))
					assert_int_equal(dd_http_test_session(F.st, user_of[role], NULL, NULL, NULL, NULL,
									      F.cookie[role], F.csrf[role], &err), DD_OK);
				dd_http_test_reply_free(&r);
			}
			free(absent);
		}
	}
	free(forbidden);
}

/* The reveal is the one answer with a full ID: the harness sees it, so the scans above can fail. */
static void test_reveal_shows_the_id(void **state)
{
	dd_http_test_reply r;
	char what[128];

	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(samples); i++) {
		if (strcmp(samples[i].pattern, "/api/v1/persons/{}/{}/reveal"))
			continue;
		call(&samples[i], DD_ROLE_VILLAGE, REC_OWN, CSRF_OWN, &r);
		snprintf(what, sizeof what, "reveal of %s/0 as village", F.r[REC_OWN].hh);
		CASE_CHECK(r.status == 200, what);
		CASE_CHECK(regexec(&F.full_id, r.body, 0, NULL, 0) == 0, what);
		dd_http_test_reply_free(&r);
	}
}

/*
 * The harness itself delivers what libmicrohttpd would: a percent-encoded
 * query decoded, header names in any case.  Each case's answer
 * must equal the plain request's.
 */
static void test_harness_decodes_like_the_server(void **state)
{
	char plain[128], enc[160], ck[128], lower[128];
	const char *h[] = { ck, NULL }, *hl[] = { lower, NULL };
	dd_http_test_reply a, b;
	dd_err err = { 0 };

	(void)state;
	snprintf(plain, sizeof plain, "/api/v1/households?q=%s&page=1", F.r[REC_OWN].hh);
	snprintf(enc, sizeof enc, "/api/v1/households?q=%%%02X%.30s&pa%%67e=1&", F.r[REC_OWN].hh[0], F.r[REC_OWN].hh + 1);
	snprintf(ck, sizeof ck, "Cookie: %s", F.cookie[DD_ROLE_TOWNSHIP]);
	snprintf(lower, sizeof lower, "cOOKIE:  %s  ", F.cookie[DD_ROLE_TOWNSHIP]);
	assert_int_equal(dd_http_test_call(F.t, "GET", plain, h, NULL, 0, NULL, &a, &err), DD_OK);
	CASE_CHECK(a.status == 200 && strstr(a.body, "\"total\":1,"), "the plain search finds its household");
	assert_int_equal(dd_http_test_call(F.t, "GET", enc, h, NULL, 0, NULL, &b, &err), DD_OK);
	CASE_STR_EQ(b.body, a.body, "percent-encoded query (%48 for H, pa%67e for page, a trailing &)");
	dd_http_test_reply_free(&b);
	assert_int_equal(dd_http_test_call(F.t, "GET", plain, hl, NULL, 0, NULL, &b, &err), DD_OK);
	CASE_STR_EQ(b.body, a.body, "header name in another case, value padded with spaces");
	dd_http_test_reply_free(&b);
	dd_http_test_reply_free(&a);
}

/* A parser's message quoting the body's bytes (here a cut UTF-8 sequence) still answers 400 in valid JSON (fuzz_http found a 500). */
static void test_error_quoting_invalid_utf8(void **state)
{
	/* a backslash before the 2-byte character U+060F: jansson's message quotes its first byte alone */
	static const char body[] = "{\"household_no\\\xd8\x8f\":1}";
	char ck[128], tok[96], code[64];
	const char *h[] = { ck, tok, NULL };
	dd_http_test_reply r;
	dd_err err = { 0 };

	(void)state;
	snprintf(ck, sizeof ck, "Cookie: %s", F.cookie[DD_ROLE_TOWNSHIP]);
	snprintf(tok, sizeof tok, "X-CSRF-Token: %s", F.csrf[DD_ROLE_TOWNSHIP]);
	assert_int_equal(dd_http_test_call(F.t, "POST", "/api/v1/assess", h, body, sizeof body - 1, NULL, &r, &err),
			 DD_OK);
	assert_int_equal(r.status, 400);
	assert_string_equal(code_of(&r, code, sizeof code), "BAD_REQUEST");
	dd_http_test_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_has_a_sample),
		cmocka_unit_test(test_no_session),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_roles_and_scope),
		cmocka_unit_test(test_reveal_shows_the_id),
		cmocka_unit_test(test_harness_decodes_like_the_server),
		cmocka_unit_test(test_error_quoting_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
