/*
 * fuzz_http.c - arbitrary requests through the API's dispatcher and handlers
 * (src/http/testing.c: the server's own answer path, without sockets) on a
 * small generated county (dd_http_test_county), set up once per process.
 *
 * Input: a request line, header lines, an empty line, the body:
 *
 *   GET /api/v1/households?q=$HH        a method and a target, or
 *   @<byte> seg1 seg2 ?query            route number <byte> % n of dd_http_routes() with
 *                                       its {} segments filled in order (so every
 *                                       route is reached, new ones too)
 *   Cookie: $A                          headers; $A $T $V stand for the cookies of a live
 *   X-CSRF-Token: $CA                   county_admin, township and village session, $CA
 *                                       $CT $CV for their CSRF tokens
 *
 *   {"to":"village_review"}             the body
 *
 * Everywhere, $HH $APP $WARN are a household, an application and a warning
 * of the township user's village.  Checked on every answer: a status other
 * than 500, a body that is JSON unless the handler made a file (and that
 * server.c's JSON writer prints as jansson does), no full ID number of the
 * registry except from the reveal, no phone number of it (numbers the
 * request brought itself, or that a request put in the database, are no leak).  A session a request ended (logout,
 * a user disabled) is replaced before the next input.
 */
#include "core/dd.h"
#include "core/map.h"
#include "http/http.h"
#include "http/http_int.h"
#include "http/http_test.h"
#include "store/store.h"
#include "workflow/workflow.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ASSERT(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *user, *role, *cookie_var, *csrf_var;
} who[] = {
	{ "admin", "county_admin", "$A", "$CA" },
	{ "twn", "township", "$T", "$CT" },
	{ "vil", "village", "$V", "$CV" },
};
#define NWHO DD_ARRAY_LEN(who)

static struct {
	char dir[64], db[128];
	dd_store *st;
	dd_http_test *t;
	char region[NWHO][13];
	char user[NWHO][32];           /* replaced by a new name when a request disabled it */
	char cookie[NWHO][96], csrf[NWHO][65];
	char hh[32], app[24], warn[24];
	regex_t full_id, phone;
	dd_smap registry;              /* the registry's ID and phone numbers (keys in `keys`) */
	dd_arena keys;
	int renamed;
} F;

static void die(const char *what, const dd_err *err)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, err ? err->msg : "");
	abort();
}

/* The session of who[i], made anew when a request ended it or disabled its user. */
static void ensure_session(size_t i)
{
	dd_session s;
	dd_arena mem;
	dd_err err = { 0 };
	char th[DD_HTTP_TOKEN_HEX + 1], token[DD_HTTP_TOKEN_HEX + 1];
	dd_rc rc = DD_ERR_NOTFOUND;

	dd_arena_init(&mem, 0);
	if (F.cookie[i][0] && dd_http_cookie_token(F.cookie[i], token)) {
		dd_http_token_hash(token, th);
		rc = dd_store_session_use(F.st, th, (int64_t)time(NULL), 8 * 3600, &s, &mem, &err);
	}
	dd_arena_release(&mem);
	if (rc == DD_OK)
		return;
	for (int tries = 0; tries < 2; tries++) {
		rc = dd_http_test_session(F.st, F.user[i], who[i].role, F.region[i], NULL,
					  i == 0 ? "fuzz-admin-pw" : NULL, F.cookie[i], F.csrf[i], &err);
		if (rc != DD_ERR_INPUT)
			break;
		/* the user was disabled by a request: a new one of the same role */
		snprintf(F.user[i], sizeof F.user[i], "%s-%d", who[i].user, ++F.renamed);
	}
	if (rc != DD_OK)
		die("session", &err);
}

/* The first warning with a household of a village: its id, household, person and village. */
typedef struct first_warning {
	int64_t id;
	char id_number[19];
} first_warning;

static dd_rc pick(void *arg, const dd_warning *w, dd_err *err)
{
	first_warning *fw = arg;

	(void)err;
	if (fw->id || !w->household_no || !w->region_code || strlen(w->region_code) != 12 || !w->id_number)
		return DD_OK;
	fw->id = w->id;
	snprintf(fw->id_number, sizeof fw->id_number, "%s", w->id_number);
	snprintf(F.hh, sizeof F.hh, "%s", w->household_no);
	snprintf(F.region[2], sizeof F.region[2], "%s", w->region_code);
	return DD_OK;
}

static void rm_rf(const char *dir)
{
	char cmd[320];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_http: could not remove %s\n", dir);
}

/* The county's directory goes when the fuzzer ends through exit(). */
static void remove_dir(void)
{
	rm_rf(F.dir);
}

/* Directories of earlier runs that ended otherwise (a crash, a single input run) whose process is gone. */
static void remove_stale(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[300];
		int pid;
		if (sscanf(e->d_name, "fuzz_http-%d-", &pid) != 1 || pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof path, "/tmp/%s", e->d_name);
		rm_rf(path);
	}
	if (d)
		closedir(d);
}

static void collect_registry(void);

static void setup(void)
{
	dd_err err = { 0 };
	dd_policy pol;
	char *text = NULL, json[512];
	first_warning fw = { 0 };

	remove_stale();
	snprintf(F.dir, sizeof F.dir, "/tmp/fuzz_http-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(F.dir))
		die("mkdtemp", NULL);
	atexit(remove_dir);
	snprintf(F.db, sizeof F.db, "%s/doudi.db", F.dir);
	if (dd_http_test_county(F.dir, &F.st, &err) != DD_OK)
		die("county", &err);
	if (dd_store_warnings_list(F.st, &(dd_warning_filter){ 0 }, pick, &fw, &err) != DD_OK || !fw.id)
		die("no warning with a household in the fixture", &err);
	snprintf(F.warn, sizeof F.warn, "%lld", (long long)fw.id);
	snprintf(F.region[0], 13, "%s", DD_HTTP_TEST_COUNTY);
	snprintf(F.region[1], 13, "%.9s", F.region[2]);
	if (dd_store_meta_get(F.st, "policy", &text, &err) != DD_OK || dd_policy_default(&pol, &err) != DD_OK ||
	    dd_policy_parse(&pol, text, "policy", &err) != DD_OK)
		die("policy", &err);
	free(text);
	snprintf(json, sizeof json,
		 "{\"household_no\":\"%s\",\"applicant_name\":\"测试\",\"applicant_id\":\"%s\",\"channel\":\"窗口\","
		 "\"hardship\":\"模糊测试\",\"needs\":[\"最低生活保障\"]}", F.hh, fw.id_number);
	if (dd_flow_apply(F.st, &pol, "fixture", json, strlen(json), "fuzz", dd_date_today(), F.app, &err) != DD_OK)
		die("apply", &err);
	for (size_t i = 0; i < NWHO; i++) {
		snprintf(F.user[i], sizeof F.user[i], "%s", who[i].user);
		ensure_session(i);
	}
	if (dd_http_test_new(&F.t, F.st, F.db, &err) != DD_OK)
		die("harness", &err);
	/* not inside a run of hex (tokens, upload names): random hex holds digit runs now and then */
	if (regcomp(&F.full_id, "(^|[^0-9A-Fa-f])[0-9]{17}[0-9Xx]([^0-9A-Fa-f]|$)", REG_EXTENDED) ||
	    regcomp(&F.phone, "(^|[^0-9A-Fa-f])1[3-9][0-9]{9}([^0-9A-Fa-f]|$)", REG_EXTENDED))
		die("regcomp", NULL);
	collect_registry();
}

/*
 * The next match of re in text from *p: its digits in *d (without the
 * delimiters matched around them) and their length, 0 when there is none.
 * *p moves to the end of the digits.
 */
static size_t next_match(const regex_t *re, const char *text, const char **p, const char **d)
{
	regmatch_t m;
	const char *s;
	size_t l;

	if (!**p || regexec(re, *p, 1, &m, *p == text ? 0 : REG_NOTBOL) != 0)
		return 0;
	s = *p + m.rm_so;
	l = (size_t)(m.rm_eo - m.rm_so);
	while (l && (*s < '0' || *s > '9')) {
		s++;
		l--;
	}
	while (l && (s[l - 1] < '0' || s[l - 1] > '9') && s[l - 1] != 'X' && s[l - 1] != 'x')
		l--;
	*d = s;
	*p = s + l;
	return l;
}

/* Every ID and phone number in the county's registry files: what a leak would show. */
static void collect_registry(void)
{
	static const char *const files[] = { "households.csv", "members.csv", "obligors.csv" };
	const regex_t *res[] = { &F.full_id, &F.phone };

	dd_smap_init(&F.registry);
	dd_arena_init(&F.keys, 0);
	for (size_t i = 0; i < DD_ARRAY_LEN(files); i++) {
		char path[256];
		dd_buf b;
		dd_err err = { 0 };
		dd_buf_init(&b, 0);
		snprintf(path, sizeof path, "%s/g/%s", F.dir, files[i]);
		if (dd_file_read(path, 64 << 20, &b, &err) != DD_OK || dd_buf_putc(&b, '\0') != DD_OK)
			die(path, &err);
		for (size_t k = 0; k < DD_ARRAY_LEN(res); k++) {
			const char *p = b.data, *d;
			size_t l;
			bool existed;
			while ((l = next_match(res[k], b.data, &p, &d)))
				if (dd_smap_put(&F.registry, dd_arena_strndup(&F.keys, d, l), l, 1, &existed) != DD_OK)
					die("registry set", NULL);
		}
		dd_buf_release(&b);
	}
	/* 200 households: several hundred ID numbers and phones, or the scan is broken */
	if (F.registry.len < 400)
		die("too few ID and phone numbers in the registry files", NULL);
}

/*
 * False when the text holds an ID or phone number of the registry (a match
 * of re) that the request did not bring itself (hay[0..n): an error message
 * may quote the input).
 */
static bool no_leak(const regex_t *re, const char *text, const dd_buf *hay, size_t n)
{
	const char *p = text, *d;
	size_t l;
	int64_t v;

	while ((l = next_match(re, text, &p, &d))) {
		bool brought = !dd_smap_get(&F.registry, d, l, &v);
		for (size_t i = 0; i < n && !brought; i++)
			brought = hay[i].data && memmem(hay[i].data, hay[i].len, d, l);
		if (!brought)
			return false;
	}
	return true;
}

/* Appends s to b with the $ variables replaced (longest names first: $CA before $A). */
static void put_vars(dd_buf *b, const char *s, size_t n)
{
	const char *names[] = { "$CA", "$CT", "$CV", "$A", "$T", "$V", "$HH", "$APP", "$WARN" };
	const char *vals[] = { F.csrf[0], F.csrf[1], F.csrf[2], F.cookie[0], F.cookie[1], F.cookie[2],
			       F.hh, F.app, F.warn };

	for (size_t i = 0; i < n;) {
		size_t k;
		for (k = 0; k < DD_ARRAY_LEN(names); k++)
			if (n - i >= strlen(names[k]) && !memcmp(s + i, names[k], strlen(names[k])))
				break;
		if (k < DD_ARRAY_LEN(names)) {
			dd_buf_puts(b, vals[k]);
			i += strlen(names[k]);
		} else {
			dd_buf_putc(b, s[i++]);
		}
	}
}

/* "@<byte> seg1 seg2 ?query": route byte % n, its {} filled with the segments in order. */
static bool route_line(const char *line, const char **method, dd_buf *target)
{
	size_t n;
	const dd_http_route *rt = dd_http_routes(&n);
	const dd_http_route *r;
	char *segs = NULL, *save = NULL, *tok, *query = NULL;

	if (line[0] != '@' || !line[1] || !n)
		return false;
	r = &rt[(unsigned char)line[1] % n];
	*method = r->method;
	if (!(segs = strdup(line + 2)))
		return false;
	if ((query = strchr(segs, '?')))
		*query++ = '\0';
	tok = strtok_r(segs, " ", &save);
	for (const char *p = r->pattern; *p; p++) {
		if (p[0] == '{' && p[1] == '}') {
			dd_buf_puts(target, tok ? tok : "x");
			tok = tok ? strtok_r(NULL, " ", &save) : NULL;
			p++;
		} else {
			dd_buf_putc(target, *p);
		}
	}
	if (query) {
		dd_buf_putc(target, '?');
		dd_buf_puts(target, query);
	}
	free(segs);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	dd_buf in, first, target, hdrs;
	const char *method = NULL, *body, *end;
	const char *h[33];
	size_t nh = 0;
	dd_http_test_reply r;
	dd_err err = { 0 };

	if (!ready) {
		setup();
		ready = true;
	}
	for (size_t i = 0; i < NWHO; i++)
		ensure_session(i);
	dd_buf_init(&in, 0);
	dd_buf_init(&first, 0);
	dd_buf_init(&target, 0);
	dd_buf_init(&hdrs, 0);
	/* the request line */
	dd_buf_append(&in, data, size);
	dd_buf_putc(&in, '\0');
	const char *s = in.data, *nl = memchr(s, '\n', size);
	size_t ll = nl ? (size_t)(nl - s) : size;
	put_vars(&first, s, strnlen(s, ll));
	dd_buf_putc(&first, '\0');
	if (!route_line(first.data, &method, &target)) {
		char *sp = strchr(first.data, ' ');
		if (!sp)
			goto done;
		*sp = '\0';
		method = first.data;
		dd_buf_puts(&target, sp + 1);
	}
	dd_buf_putc(&target, '\0');
	if (target.data[0] != '/')
		goto done;
	/* headers up to an empty line, each a NUL-terminated string in hdrs */
	size_t offs[32];
	body = nl ? nl + 1 : s + size;
	end = s + size;
	while (body < end && *body != '\n' && nh < 32) {
		const char *e = memchr(body, '\n', (size_t)(end - body));
		size_t l = e ? (size_t)(e - body) : (size_t)(end - body);
		offs[nh++] = hdrs.len;
		put_vars(&hdrs, body, strnlen(body, l));
		dd_buf_putc(&hdrs, '\0');
		body = e ? e + 1 : end;
	}
	if (body < end && *body == '\n')
		body++;
	for (size_t i = 0; i < nh; i++)
		h[i] = hdrs.data + offs[i];
	h[nh] = NULL;
	dd_buf body_buf;
	dd_buf_init(&body_buf, 0);
	put_vars(&body_buf, body, (size_t)(end - body));
	if (dd_http_test_call(F.t, method, target.data, h, body_buf.data ? body_buf.data : "", body_buf.len, NULL,
			      &r, &err) == DD_OK) {
		ASSERT(r.status >= 200 && r.status < 600);
		ASSERT(r.status != 500);
		if (!strncmp(r.type, "application/json", 16)) {
			/*
			 * valid JSON (UTF-8 too), server.c's writer agrees with jansson's, and
			 * the answer is that text byte for byte (pages written without a tree too)
			 */
			json_t *j = json_loadb(r.body, r.len, 0, NULL);
			size_t len;
			char *ours = j ? http_json_text(j, &len) : NULL, *theirs = j ? json_dumps(j, JSON_COMPACT) : NULL;
			ASSERT(j && ours && theirs && !strcmp(ours, theirs) && len == strlen(theirs));
			ASSERT(r.len == len && !memcmp(r.body, theirs, len));
			free(ours);
			free(theirs);
			json_decref(j);
		}
		const dd_buf sent[] = { target, hdrs, body_buf };
		if (!strstr(target.data, "/reveal"))
			ASSERT(no_leak(&F.full_id, r.body, sent, 3));
		ASSERT(no_leak(&F.phone, r.body, sent, 3));
		dd_http_test_reply_free(&r);
	}
	dd_buf_release(&body_buf);
done:
	dd_buf_release(&in);
	dd_buf_release(&first);
	dd_buf_release(&target);
	dd_buf_release(&hdrs);
	return 0;
}
