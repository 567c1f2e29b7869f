/*
 * test_http_read.c - a GET's read transaction (server.c http_answer,
 * store.h "read transactions") and the household page written as text
 * (api_households.c): the session's idle-time touch inside the transaction
 * is committed, waits for another writer outside it, and no transaction is
 * left on the handle; the page is exactly jansson's compact text of itself.
 */
#include "unit.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "http/http_test.h"
#include "store/store.h"

static struct {
	char dir[64], db[128];
	dd_store *st;
	dd_http_test *t;
	char hh[32];
} F;

static int setup(void **state)
{
	dd_err err = { 0 };
	dd_household_query q = { .limit = 1 };
	dd_household_hit *hits = NULL;
	size_t n = 0;
	int64_t total = 0;
	dd_arena mem;
	char cookie[96], csrf[65];

	(void)state;
	snprintf(F.dir, sizeof F.dir, "/tmp/dd_read_XXXXXX");
	assert_non_null(mkdtemp(F.dir));
	snprintf(F.db, sizeof F.db, "%s/doudi.db", F.dir);
	if (dd_http_test_county(F.dir, &F.st, &err) != DD_OK)
		fail_msg("fixture: %s", err.msg);
	dd_arena_init(&mem, 4096);
	assert_int_equal(dd_store_household_search(F.st, &q, &hits, &n, &total, &mem, &err), DD_OK);
	assert_true(n == 1);
	snprintf(F.hh, sizeof F.hh, "%s", hits[0].household_no);
	dd_arena_release(&mem);
	/* the user the stale sessions below belong to */
	assert_int_equal(dd_http_test_session(F.st, "reader", "county_admin", DD_HTTP_TEST_COUNTY, NULL, NULL,
					      cookie, csrf, &err),
			 DD_OK);
	assert_int_equal(dd_http_test_new(&F.t, F.st, F.db, &err), DD_OK);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	dd_http_test_free(F.t);
	dd_store_close(F.st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", F.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The session's idle_until as stored, read with a connection of its own. */
static int64_t stored_idle_until(const char *token_hash)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(F.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT idle_until FROM sessions WHERE token_hash = ?1", -1, &q, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(q, 1, token_hash, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* Another writer: holds the write lock it took until hold_ms have passed, then commits. */
typedef struct holder {
	dd_store *st;
	int hold_ms;
} holder;

static void *release_later(void *arg)
{
	holder *h = arg;
	struct timespec ts = { h->hold_ms / 1000, (long)(h->hold_ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	dd_store_commit(h->st, NULL);
	return NULL;
}

static void test_get_read_transaction(void **state)
{
	static const struct {
		const char *name;
		int hold_ms;               /* 0: no other writer */
	} cases[] = {
		{ "no other writer: the touch inside the GET's read transaction is committed", 0 },
		{ "another writer holds the lock 300 ms: the touch waits for it outside the read transaction", 300 },
	};
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const char *name = cases[i].name;
		char token[DD_HTTP_TOKEN_HEX + 1], th[DD_HTTP_TOKEN_HEX + 1], csrf[DD_HTTP_TOKEN_HEX + 1];
		char cookie[128], target[96];
		int64_t now = (int64_t)time(NULL), idle = 8 * 3600;
		dd_err err = { 0 };
		dd_http_test_reply r = { 0 };
		holder h = { NULL, cases[i].hold_ms };
		pthread_t tid;

		dd_http_token_new(token);
		dd_http_token_hash(token, th);
		dd_http_token_new(csrf);
		/* last used two minutes ago: this request pushes idle_until forward (a write) */
		dd_session s = { .token_hash = th, .username = "reader", .csrf = csrf, .client = "192.0.2.1",
				 .idle_until = now + idle - 120 };
		CASE_CHECK(dd_store_session_put(F.st, &s, &err) == DD_OK, name);
		if (h.hold_ms) {
			CASE_CHECK(dd_store_open(&h.st, F.db, false, &err) == DD_OK, name);
			CASE_CHECK(dd_store_begin(h.st, &err) == DD_OK, name);
			CASE_CHECK(pthread_create(&tid, NULL, release_later, &h) == 0, name);
		}
		snprintf(cookie, sizeof cookie, "Cookie: doudi_session=%s", token);
		snprintf(target, sizeof target, "/api/v1/households/%s", F.hh);
		const char *hdrs[] = { cookie, NULL };
		CASE_CHECK(dd_http_test_call(F.t, "GET", target, hdrs, "", 0, NULL, &r, &err) == DD_OK, name);
		if (h.hold_ms) {
			pthread_join(tid, NULL);
			dd_store_close(h.st);
		}
		CASE_CHECK(r.status == 200, name);
		int64_t until = stored_idle_until(th);
		CASE_CHECK(until >= now + idle && until <= (int64_t)time(NULL) + idle, name);
		/* the page is jansson's compact text of itself, byte for byte */
		json_t *j = json_loadb(r.body, r.len, 0, NULL);
		char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
		CASE_CHECK(text && strlen(text) == r.len && !memcmp(text, r.body, r.len), name);
		CASE_CHECK(!strcmp(json_string_value(json_object_get(j, "household_no")), F.hh), name);
		CASE_CHECK(json_array_size(json_object_get(j, "members")) >= 1, name);
		free(text);
		json_decref(j);
		dd_http_test_reply_free(&r);
		/* nothing is left open on the lent handle: a write transaction can start on it */
		CASE_CHECK(dd_store_begin(F.st, &err) == DD_OK, name);
		dd_store_rollback(F.st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_read_transaction),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
