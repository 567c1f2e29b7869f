/*
 * http_test.h - requests without a network, for the unit tests and the fuzz
 * target (tests/unit/http/test_authz.c, tests/fuzz/fuzz_http.c).  Not used
 * by the server itself.
 *
 * A dd_http_test is the server of dd_http_serve minus libmicrohttpd: the
 * same store pool (here the one handle the caller lends), login throttle
 * and dummy hash, and the same answer path (http_answer: 413, dispatch,
 * cleanup).  A call builds the request a connection would have delivered:
 * the path percent-decoded, the query split into arguments ('+' is a space),
 * the headers as given, the body capped as the server caps it.
 *
 * Ownership: the caller keeps `st` open (and `db` alive) until dd_http_test_free; a reply's
 * strings are freed by dd_http_test_reply_free.
 */
#ifndef DD_HTTP_TEST_H
#define DD_HTTP_TEST_H

#include "../store/store.h"

typedef struct dd_http_test dd_http_test;

/*
 * Sets up the server around `st`, opened on the database `db` (the server
 * keeps uploads beside it; NULL when none are made).  ≈ 70 ms: the dummy
 * Argon2id hash.
 */
dd_rc dd_http_test_new(dd_http_test **t, dd_store *st, const char *db, dd_err *err);
void dd_http_test_free(dd_http_test *t);

typedef struct dd_http_test_reply {
	int status;
	char *body;                  /* NUL-terminated (JSON text, or the file a handler made) */
	size_t len;
	char *type;                  /* Content-Type */
	char *set_cookie;            /* NULL when none */
} dd_http_test_reply;

/*
 * One request: `target` is "/path?query", `headers` "Name: value" strings
 * (NULL-terminated list, may be NULL), `client` the client address (NULL:
 * "192.0.2.1").  DD_ERR_NOMEM only; everything else is in the reply.
 */
dd_rc dd_http_test_call(dd_http_test *t, const char *method, const char *target,
			const char *const *headers, const char *body, size_t len, const char *client,
			dd_http_test_reply *out, dd_err *err);
void dd_http_test_reply_free(dd_http_test_reply *r);

/* ---- a small county to ask (the tests' fixture) ---- */

/* The fixture's county and compared month. */
#define DD_HTTP_TEST_COUNTY "230304"
#define DD_HTTP_TEST_MONTH "2025-12"
/*
 * Builds the small county in `dir` (an existing, empty directory): doudi gen
 * of 200 households (fixed seed) with its feeds into dir/g, the database
 * dir/doudi.db as `doudi init` makes it (county, policy; the regions table
 * is not copied: the API reads the built-in one), the registry import, every
 * feed of DD_HTTP_TEST_MONTH and its comparison (≈ 60 warnings).  *st is
 * left open on it.  About 0.3 s (1 s under ASan).
 */
dd_rc dd_http_test_county(const char *dir, dd_store **st, dd_err *err);
/*
 * A user (added unless present; `password` NULL: none can log in with a
 * password) and a new live session of it.  Writes the Cookie header value
 * ("doudi_session=<token>") and the session's CSRF token.
 */
dd_rc dd_http_test_session(dd_store *st, const char *username, const char *role, const char *region,
			   const char *dept, const char *password, char cookie[96], char csrf[65],
			   dd_err *err);

#endif
