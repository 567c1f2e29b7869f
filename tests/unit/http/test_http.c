/* test_http.c - the route/scope table, cookies, CSRF, throttling and user regions (src/http). */
#include "unit.h"

#include "http/http.h"

#include <stdlib.h>

/* ---- every route × every role × record position → the decision ---- */

/*
 * Principals: the county, township 230304200 and its village 230304200201.
 * Records: A in that village, B elsewhere in the township, C in another
 * township, and an absent record.  expect[role] lists the codes for A B C absent.
 */
static const char *const region_of[DD_ROLE_N] = {
	[DD_ROLE_COUNTY_ADMIN] = "230304", [DD_ROLE_TOWNSHIP] = "230304200",
	[DD_ROLE_VILLAGE] = "230304200201", [DD_ROLE_AUDITOR] = "230304",
};
static const char *const records[4] = { "230304200201", "230304200205", "230304003005", NULL };

#define OPEN "200 200 200 200"
#define DENY "403 403 403 403"
#define COUNTY "200 200 200 404"
#define TOWN "200 200 404 404"
#define VILLAGE "200 404 404 404"

static const struct {
	const char *method, *pattern;
	const char *expect[DD_ROLE_N];   /* NONE county_admin township village dept charity auditor */
} decisions[] = {
	{ "POST", "/api/v1/session", { OPEN, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN } },
	{ "GET", "/api/v1/session", { DENY, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN } },
	{ "DELETE", "/api/v1/session", { DENY, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN } },
	/* the list filters by scope instead of refusing; dept and charity see no registry */
	{ "GET", "/api/v1/households", { DENY, OPEN, OPEN, OPEN, DENY, DENY, OPEN } },
	{ "GET", "/api/v1/households/{}", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, COUNTY } },
	{ "POST", "/api/v1/persons/{}/{}/reveal", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, COUNTY } },
	/* api_apps.c: reading follows the registry; writing is for county, township and village only */
	{ "GET", "/api/v1/households/{}/assessment", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, COUNTY } },
	{ "GET", "/api/v1/households/{}/history", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, COUNTY } },
	{ "POST", "/api/v1/assess", { DENY, OPEN, OPEN, OPEN, DENY, DENY, DENY } },
	{ "GET", "/api/v1/applications", { DENY, OPEN, OPEN, OPEN, DENY, DENY, OPEN } },
	/* the new application's household decides: a village applies for its own village only */
	{ "POST", "/api/v1/applications", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, DENY } },
	{ "GET", "/api/v1/applications/{}", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, COUNTY } },
	{ "POST", "/api/v1/applications/{}/advance", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, DENY } },
	{ "POST", "/api/v1/applications/{}/objection", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, DENY } },
	{ "GET", "/api/v1/applications/{}/decision.pdf", { DENY, COUNTY, TOWN, VILLAGE, DENY, DENY, COUNTY } },
	/* drafts are the caller's own: no record region */
	{ "GET", "/api/v1/drafts", { DENY, OPEN, OPEN, OPEN, DENY, DENY, DENY } },
	{ "PUT", "/api/v1/drafts/{}", { DENY, OPEN, OPEN, OPEN, DENY, DENY, DENY } },
	{ "DELETE", "/api/v1/drafts/{}", { DENY, OPEN, OPEN, OPEN, DENY, DENY, DENY } },
	/* api_admin.c, api_stats.c: users and writing the policy are the county admin's alone; the
	 * dashboard and the cascader narrow to the caller's scope; exports are for A T U */
	{ "PUT", "/api/v1/session/password", { DENY, OPEN, OPEN, OPEN, OPEN, OPEN, OPEN } },
	{ "GET", "/api/v1/regions", { DENY, OPEN, OPEN, OPEN, DENY, DENY, OPEN } },
	{ "GET", "/api/v1/users", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "POST", "/api/v1/users", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "PUT", "/api/v1/users/{}", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "GET", "/api/v1/policy", { DENY, OPEN, DENY, DENY, DENY, DENY, OPEN } },
	{ "PUT", "/api/v1/policy", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "GET", "/api/v1/stats/dashboard", { DENY, OPEN, OPEN, OPEN, DENY, DENY, OPEN } },
	{ "GET", "/api/v1/stats/export", { DENY, OPEN, OPEN, DENY, DENY, DENY, OPEN } },
	/* api_monitor.c: warnings for A T U (a township its own, by the warning's scope region);
	 * runs and imports read by A U; starting jobs, uploads and jobs are the county admin's */
	{ "GET", "/api/v1/warnings", { DENY, OPEN, OPEN, DENY, DENY, DENY, OPEN } },
	{ "GET", "/api/v1/warnings/{}", { DENY, COUNTY, TOWN, DENY, DENY, DENY, COUNTY } },
	{ "GET", "/api/v1/rules", { DENY, OPEN, OPEN, DENY, DENY, DENY, OPEN } },
	{ "GET", "/api/v1/compare/runs", { DENY, OPEN, DENY, DENY, DENY, DENY, OPEN } },
	{ "POST", "/api/v1/compare/runs", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "POST", "/api/v1/imports", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "POST", "/api/v1/imports/run", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "GET", "/api/v1/imports", { DENY, OPEN, DENY, DENY, DENY, DENY, OPEN } },
	{ "GET", "/api/v1/jobs", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "GET", "/api/v1/jobs/{}", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
	{ "GET", "/api/v1/jobs/{}/errors.csv", { DENY, OPEN, DENY, DENY, DENY, DENY, DENY } },
};

static void test_decisions(void **state)
{
	size_t n;
	const dd_http_route *r = dd_http_routes(&n);

	(void)state;
	/* a new route without a row here fails: its decisions must be written down */
	assert_int_equal(n, DD_ARRAY_LEN(decisions));
	for (size_t i = 0; i < n; i++) {
		size_t k;
		for (k = 0; k < DD_ARRAY_LEN(decisions); k++)
			if (!strcmp(decisions[k].method, r[i].method) && !strcmp(decisions[k].pattern, r[i].pattern))
				break;
		CASE_CHECK(k < DD_ARRAY_LEN(decisions), r[i].pattern);
		for (int role = 0; role < DD_ROLE_N; role++) {
			dd_http_principal p = { (dd_role)role, region_of[role] };
			char got[32], name[128];
			snprintf(got, sizeof got, "%d %d %d %d", dd_http_decide(&r[i], &p, records[0]),
				 dd_http_decide(&r[i], &p, records[1]), dd_http_decide(&r[i], &p, records[2]),
				 dd_http_decide(&r[i], &p, records[3]));
			snprintf(name, sizeof name, "%s %s as %s", r[i].method, r[i].pattern,
				 role ? dd_role_code((dd_role)role) : "(no session)");
			CASE_STR_EQ(got, decisions[k].expect[role], name);
		}
	}
}

/* ---- route matching ---- */

static const struct {
	const char *name, *method, *path;
	const char *pattern;     /* NULL: no route */
	bool known;              /* the path exists (405 rather than 404) */
	const char *p0, *p1;
} matches[] = {
	{ "login", "POST", "/api/v1/session", "/api/v1/session", true, NULL, NULL },
	{ "household list", "GET", "/api/v1/households", "/api/v1/households", true, NULL, NULL },
	{ "household by number", "GET", "/api/v1/households/H1", "/api/v1/households/{}", true, "H1", NULL },
	{ "reveal takes two segments", "POST", "/api/v1/persons/H9/3/reveal", "/api/v1/persons/{}/{}/reveal",
	  true, "H9", "3" },
	{ "a job's error file", "GET", "/api/v1/jobs/7/errors.csv", "/api/v1/jobs/{}/errors.csv", true, "7", NULL },
	{ "imports/run is its own route, not an upload", "POST", "/api/v1/imports/run", "/api/v1/imports/run", true,
	  NULL, NULL },
	{ "DELETE of an upload: 405", "DELETE", "/api/v1/imports", NULL, true, NULL, NULL },
	{ "trailing slash is another path", "GET", "/api/v1/households/", NULL, false, NULL, NULL },
	{ "a segment cannot hold a slash", "GET", "/api/v1/households/H1/x", NULL, false, NULL, NULL },
	{ "PUT on the session path: 405", "PUT", "/api/v1/session", NULL, true, NULL, NULL },
	{ "unknown path: 404", "GET", "/api/v1/nothing", NULL, false, NULL, NULL },
	{ "prefix of a route is no match", "GET", "/api/v1/household", NULL, false, NULL, NULL },
	{ "segment of 63 bytes matches", "GET",
	  "/api/v1/households/123456789012345678901234567890123456789012345678901234567890123",
	  "/api/v1/households/{}", true, "123456789012345678901234567890123456789012345678901234567890123", NULL },
	{ "segment of 64 bytes is refused", "GET",
	  "/api/v1/households/1234567890123456789012345678901234567890123456789012345678901234",
	  NULL, false, NULL, NULL },
};

static void test_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(matches); i++) {
		char params[DD_HTTP_MAX_PARAMS][64];
		bool known;
		const dd_http_route *r = dd_http_route_match(matches[i].method, matches[i].path, params, &known);
		CASE_CHECK(known == matches[i].known, matches[i].name);
		CASE_CHECK(!r == !matches[i].pattern, matches[i].name);
		if (!r)
			continue;
		CASE_STR_EQ(r->pattern, matches[i].pattern, matches[i].name);
		if (matches[i].p0)
			CASE_STR_EQ(params[0], matches[i].p0, matches[i].name);
		if (matches[i].p1)
			CASE_STR_EQ(params[1], matches[i].p1, matches[i].name);
	}
}

/* ---- scope of a list ---- */

static void test_scope_filter(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		dd_role role;
		const char *region, *asked;
		bool visible;
		const char *prefix;
	} cases[] = {
		{ "county, nothing asked: the county", DD_ROLE_COUNTY_ADMIN, "230304", NULL, true, "230304" },
		{ "county asks a township", DD_ROLE_COUNTY_ADMIN, "230304", "230304200", true, "230304200" },
		{ "township asks the county: its own township", DD_ROLE_TOWNSHIP, "230304200", "230304", true,
		  "230304200" },
		{ "township asks its village", DD_ROLE_TOWNSHIP, "230304200", "230304200201", true, "230304200201" },
		{ "township asks another township: nothing", DD_ROLE_TOWNSHIP, "230304200", "230304003", false, "" },
		{ "village asks its township: its village", DD_ROLE_VILLAGE, "230304200201", "230304200", true,
		  "230304200201" },
		{ "village asks a sibling village: nothing", DD_ROLE_VILLAGE, "230304200201", "230304200205", false,
		  "" },
		{ "dept sees no registry", DD_ROLE_DEPT, NULL, NULL, false, "" },
		{ "charity sees no registry", DD_ROLE_CHARITY, NULL, "230304", false, "" },
		{ "auditor, the whole county", DD_ROLE_AUDITOR, "230304", "", true, "230304" },
		{ "its city asked: the county", DD_ROLE_COUNTY_ADMIN, "230304", "2303", true, "230304" },
		{ "malformed region asked: nothing", DD_ROLE_COUNTY_ADMIN, "230304", "23030", false, "" },
		{ "another county asked: nothing", DD_ROLE_COUNTY_ADMIN, "230304", "230302", false, "" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_http_principal p = { cases[i].role, cases[i].region };
		char out[13];
		CASE_CHECK(dd_http_scope_filter(&p, cases[i].asked, out) == cases[i].visible, cases[i].name);
		CASE_STR_EQ(out, cases[i].prefix, cases[i].name);
	}
}

/* ---- cookies, tokens, CSRF ---- */

#define TOK "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_cookie(void **state)
{
	static const struct {
		const char *name, *header;
		bool ok;
	} cases[] = {
		{ "only cookie", "doudi_session=" TOK, true },
		{ "among others", "a=1; doudi_session=" TOK "; b=2", true },
		{ "trailing space", "doudi_session=" TOK " ", true },
		{ "no header", NULL, false },
		{ "absent", "a=1; b=2", false },
		{ "empty value", "doudi_session=", false },
		{ "63 characters", "doudi_session=" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false },
		{ "65 characters", "doudi_session=" TOK "0", false },
		{ "upper-case hex refused", "doudi_session=" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false },
		{ "other name with our suffix", "xdoudi_session=" TOK, false },
		{ "first one decides", "doudi_session=bad; doudi_session=" TOK, false },
	};
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char out[DD_HTTP_TOKEN_HEX + 1];
		CASE_CHECK(dd_http_cookie_token(cases[i].header, out) == cases[i].ok, cases[i].name);
		if (cases[i].ok)
			CASE_STR_EQ(out, TOK, cases[i].name);
	}
}

static void test_tokens(void **state)
{
	char a[DD_HTTP_TOKEN_HEX + 1], b[DD_HTTP_TOKEN_HEX + 1], h1[DD_HTTP_TOKEN_HEX + 1],
		h2[DD_HTTP_TOKEN_HEX + 1], cookie[128];
	(void)state;
	dd_http_token_new(a);
	dd_http_token_new(b);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	snprintf(cookie, sizeof cookie, "doudi_session=%s", a);
	assert_true(dd_http_cookie_token(cookie, h1));   /* a new token passes the cookie parser */
	dd_http_token_hash(a, h1);
	dd_http_token_hash(a, h2);
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), 64);
	assert_string_not_equal(h1, a);
}

static void test_csrf(void **state)
{
	static const struct {
		const char *name, *method;
		bool login;
		const char *header, *expected;
		bool ok;
	} cases[] = {
		{ "GET needs no token", "GET", false, NULL, TOK, true },
		{ "HEAD needs no token", "HEAD", false, NULL, TOK, true },
		{ "the login itself needs none", "POST", true, NULL, NULL, true },
		{ "POST without the header", "POST", false, NULL, TOK, false },
		{ "DELETE without the header", "DELETE", false, NULL, TOK, false },
		{ "PUT with the right token", "PUT", false, TOK, TOK, true },
		{ "PATCH with a wrong last character", "PATCH", false,
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdee", TOK, false },
		{ "POST with a prefix of the token", "POST", false, "0123456789abcdef", TOK, false },
		{ "POST with an empty header", "POST", false, "", TOK, false },
		{ "no session token: refused", "POST", false, "", "", false },
	};
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_http_csrf_ok(cases[i].method, cases[i].login, cases[i].header, cases[i].expected) ==
				   cases[i].ok, cases[i].name);
}

static void test_password(void **state)
{
	char h[DD_HTTP_PWHASH_MAX];
	dd_err err = { 0 };
	(void)state;
	assert_int_equal(dd_http_password_hash("口令 secret", h, &err), DD_OK);
	assert_true(!strncmp(h, "$argon2id$", 10));
	assert_true(dd_http_password_ok(h, "口令 secret"));
	assert_false(dd_http_password_ok(h, "口令 secreT"));
	assert_false(dd_http_password_ok(h, ""));
	assert_false(dd_http_password_ok(NULL, "x"));
}

/* ---- throttling: 5 per user, 20 per address, 900 s ---- */

static void test_throttle(void **state)
{
	dd_http_throttle *t;
	dd_err err = { 0 };
	char name[16];
	(void)state;
	assert_int_equal(dd_http_throttle_new(&t, 5, 20, 900, &err), DD_OK);
	for (int i = 0; i < 4; i++)
		dd_http_throttle_fail(t, "u", "10.0.0.1", i);
	assert_false(dd_http_throttle_blocked(t, "u", "10.0.0.1", 4));       /* 4 failures: still open */
	dd_http_throttle_fail(t, "u", "10.0.0.1", 4);
	assert_true(dd_http_throttle_blocked(t, "u", "10.0.0.1", 4));        /* the 5th closes */
	assert_true(dd_http_throttle_blocked(t, "u", "10.0.0.2", 899));      /* by name, from anywhere */
	assert_false(dd_http_throttle_blocked(t, "v", "10.0.0.1", 5));       /* another name is open */
	assert_false(dd_http_throttle_blocked(t, "u", "10.0.0.2", 900));     /* the failure at 0 left at 900 */
	dd_http_throttle_fail(t, "u", "10.0.0.1", 901);
	assert_false(dd_http_throttle_blocked(t, "u", "10.0.0.1", 901));     /* 2, 3, 4, 901: four in the window */
	dd_http_throttle_fail(t, "u", "10.0.0.1", 901);
	assert_true(dd_http_throttle_blocked(t, "u", "10.0.0.1", 901));      /* 2, 3, 4, 901, 901 */
	dd_http_throttle_clear(t, "u");
	assert_false(dd_http_throttle_blocked(t, "u", "10.0.0.2", 901));     /* a good login forgets the name */
	/* the address has two failures left in the window (at 901); 17 more under other names make 19 */
	for (int i = 0; i < 17; i++) {
		snprintf(name, sizeof name, "n%d", i);
		dd_http_throttle_fail(t, name, "10.0.0.1", 1000);
	}
	assert_false(dd_http_throttle_blocked(t, "fresh", "10.0.0.1", 1000)); /* 19 in the window */
	dd_http_throttle_fail(t, "n99", "10.0.0.1", 1000);
	assert_true(dd_http_throttle_blocked(t, "fresh", "10.0.0.1", 1000));  /* the 20th closes the address */
	assert_false(dd_http_throttle_blocked(t, "fresh", "10.0.0.9", 1000));
	dd_http_throttle_free(t);
	assert_int_equal(dd_http_throttle_new(&t, 0, 20, 900, &err), DD_ERR_USAGE);
	assert_int_equal(dd_http_throttle_new(&t, 5, 33, 900, &err), DD_ERR_USAGE);
}

/* ---- who may be given which region ---- */

static void test_user_region(void **state)
{
	static const struct {
		const char *name;
		dd_role role;
		const char *region, *dept;
		dd_rc rc;
		const char *out;
	} cases[] = {
		{ "county_admin gets the county", DD_ROLE_COUNTY_ADMIN, NULL, NULL, DD_OK, "230304" },
		{ "county_admin may name the county", DD_ROLE_COUNTY_ADMIN, "230304", NULL, DD_OK, "230304" },
		{ "county_admin cannot be narrowed", DD_ROLE_COUNTY_ADMIN, "230304200", NULL, DD_ERR_USAGE, "" },
		{ "auditor gets the county", DD_ROLE_AUDITOR, NULL, NULL, DD_OK, "230304" },
		{ "township: 9 digits inside", DD_ROLE_TOWNSHIP, "230304200", NULL, DD_OK, "230304200" },
		{ "township: 12 digits refused", DD_ROLE_TOWNSHIP, "230304200201", NULL, DD_ERR_USAGE, "" },
		{ "township: missing region", DD_ROLE_TOWNSHIP, NULL, NULL, DD_ERR_USAGE, "" },
		{ "township of another county", DD_ROLE_TOWNSHIP, "230302001", NULL, DD_ERR_USAGE, "" },
		{ "township code unknown to the table", DD_ROLE_TOWNSHIP, "230304999", NULL, DD_ERR_USAGE, "" },
		{ "village: 12 digits inside", DD_ROLE_VILLAGE, "230304200201", NULL, DD_OK, "230304200201" },
		{ "village: 9 digits refused", DD_ROLE_VILLAGE, "230304200", NULL, DD_ERR_USAGE, "" },
		{ "dept needs --dept", DD_ROLE_DEPT, NULL, NULL, DD_ERR_USAGE, "" },
		{ "dept with its department", DD_ROLE_DEPT, NULL, "医保", DD_OK, "" },
		{ "dept takes no region", DD_ROLE_DEPT, "230304", "医保", DD_ERR_USAGE, "" },
		{ "charity without anything", DD_ROLE_CHARITY, NULL, NULL, DD_OK, "" },
		{ "no role", DD_ROLE_NONE, NULL, NULL, DD_ERR_USAGE, "" },
	};
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char out[13];
		dd_err err = { 0 };
		dd_rc rc = dd_http_user_region(cases[i].role, cases[i].region, cases[i].dept, "230304", out, &err);
		CASE_CHECK(rc == cases[i].rc, cases[i].name);
		if (rc == DD_OK)
			CASE_STR_EQ(out, cases[i].out, cases[i].name);
	}
	for (int r = 1; r < DD_ROLE_N; r++)
		assert_int_equal(dd_role_parse(dd_role_code((dd_role)r)), r);
	assert_int_equal(dd_role_parse("admin"), DD_ROLE_NONE);
	assert_int_equal(dd_role_parse(NULL), DD_ROLE_NONE);
}

static void test_listen(void **state)
{
	static const struct {
		const char *name, *text;
		dd_rc rc;
		const char *addr;
		unsigned port;
	} cases[] = {
		{ "default", "127.0.0.1:8080", DD_OK, "127.0.0.1", 8080 },
		{ "port 0 picks one", "127.0.0.1:0", DD_OK, "127.0.0.1", 0 },
		{ "port 65535", "0.0.0.0:65535", DD_OK, "0.0.0.0", 65535 },
		{ "port 65536", "127.0.0.1:65536", DD_ERR_USAGE, "", 0 },
		{ "no port", "127.0.0.1", DD_ERR_USAGE, "", 0 },
		{ "empty port", "127.0.0.1:", DD_ERR_USAGE, "", 0 },
		{ "signed port", "127.0.0.1:-1", DD_ERR_USAGE, "", 0 },
		{ "octet 256", "127.0.0.256:80", DD_ERR_USAGE, "", 0 },
		{ "host name", "localhost:80", DD_ERR_USAGE, "", 0 },
		{ "no address", ":80", DD_ERR_USAGE, "", 0 },
	};
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char addr[16];
		unsigned port;
		dd_err err = { 0 };
		dd_rc rc = dd_http_parse_listen(cases[i].text, addr, &port, &err);
		CASE_CHECK(rc == cases[i].rc, cases[i].name);
		if (rc == DD_OK) {
			CASE_STR_EQ(addr, cases[i].addr, cases[i].name);
			CASE_CHECK(port == cases[i].port, cases[i].name);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decisions),  cmocka_unit_test(test_match),
		cmocka_unit_test(test_scope_filter), cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_tokens),     cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_password),   cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_user_region), cmocka_unit_test(test_listen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
