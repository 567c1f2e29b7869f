/*
 * http.h - the HTTP API server (FORMATS.md "HTTP API"; docs/internals/http.md).
 *
 * Logins, sessions, roles and scope.  Every /api/v1/ request goes through
 * one dispatcher and one route table: a route names its method, path
 * pattern, the roles allowed and whether a record's region decides; the
 * pure functions below decide 403 (role) and 404 (outside the caller's
 * region, exactly as if absent).  They are public so the unit tests can
 * walk every route with every role.
 *
 * Ownership: everything returned here is static or written into the
 * caller's buffers, except dd_http_throttle_new (free with
 * dd_http_throttle_free) and dd_http_password_hash's caller-provided buffer.
 */
#ifndef DD_HTTP_H
#define DD_HTTP_H

#include "../core/dd.h"

/* The roles of DOMAIN.md §1. */
typedef enum {
	DD_ROLE_NONE = 0,
	DD_ROLE_COUNTY_ADMIN,
	DD_ROLE_TOWNSHIP,
	DD_ROLE_VILLAGE,
	DD_ROLE_DEPT,
	DD_ROLE_CHARITY,
	DD_ROLE_AUDITOR,
	DD_ROLE_N
} dd_role;
#define DD_ROLE_BIT(r) (1u << (r))

/* "county_admin" → DD_ROLE_COUNTY_ADMIN; DD_ROLE_NONE when unknown or NULL. */
dd_role dd_role_parse(const char *code);
/* The code of a role ("township"); "" for DD_ROLE_NONE. */
const char *dd_role_code(dd_role r);

/*
 * Checks a user's role against its region (DOMAIN.md §1): county_admin and
 * auditor get the county itself (region must be NULL or the county); a
 * township needs a 9-digit code, a village a 12-digit one, both inside
 * `county` and known to the region table; dept needs `dept`; dept and
 * charity take no region.  Writes the region to store into out ("" for
 * none).  DD_ERR_USAGE with the reason.
 */
dd_rc dd_http_user_region(dd_role role, const char *region, const char *dept, const char *county,
			  char out[13], dd_err *err);

/* Who is asking: the role and its region (county, township or village code; NULL for dept/charity). */
typedef struct dd_http_principal {
	dd_role role;
	const char *region;
} dd_http_principal;

/*
 * True when a record of `region_code` is inside the principal's scope:
 * county_admin and auditor the whole county, township its 9-digit prefix,
 * village its 12-digit code, dept and charity nothing of the registry.
 */
bool dd_http_in_scope(const dd_http_principal *p, const char *region_code);
/*
 * The region prefix a list may show when the caller asks for `asked` (NULL:
 * everything it may see): the narrower of the two when one contains the
 * other.  False when nothing is visible (the list is then empty).
 */
bool dd_http_scope_filter(const dd_http_principal *p, const char *asked, char out[13]);

typedef struct dd_http_req dd_http_req;   /* one request (server.c) */

/* One row of the route table. */
typedef struct dd_http_route {
	const char *method;          /* "GET", "POST", "DELETE" */
	const char *pattern;         /* "/api/v1/households/{}": {} matches one path segment */
	unsigned roles;              /* DD_ROLE_BIT mask; 0: public, no session needed */
	bool scoped;                 /* the record's region decides: locate() runs first */
	/* Finds the record; *region its region code, NULL when absent.  May keep the record on req. */
	dd_rc (*locate)(dd_http_req *req, const char **region);
	dd_rc (*handle)(dd_http_req *req);
} dd_http_route;

/* The table, for the tests: *n rows. */
const dd_http_route *dd_http_routes(size_t *n);

#define DD_HTTP_MAX_PARAMS 3
/*
 * The route of (method, path): params receive the {} segments (pointing into
 * bufs, each segment at most 63 bytes).  NULL when no pattern matches the
 * path (404) or, with *path_known set, when the path matches but not the
 * method (405).
 */
const dd_http_route *dd_http_route_match(const char *method, const char *path,
					 char params[DD_HTTP_MAX_PARAMS][64], bool *path_known);

/* 403 when the role may not use the route at all. */
bool dd_http_role_allowed(const dd_http_route *r, dd_role role);
/*
 * The one decision every route goes through: 403 when the role is not
 * allowed; for a scoped route 404 when the record is absent (region NULL)
 * or outside the caller's scope; else 200.
 */
int dd_http_decide(const dd_http_route *r, const dd_http_principal *p, const char *region);

/* ---- credentials ---- */

/* Bytes of a password hash string (crypto_pwhash_STRBYTES). */
#define DD_HTTP_PWHASH_MAX 128
/* Argon2id, interactive limits.  DD_ERR_NOMEM when the memory is not there. */
dd_rc dd_http_password_hash(const char *password, char out[DD_HTTP_PWHASH_MAX], dd_err *err);
bool dd_http_password_ok(const char *hash, const char *password);

/* A new random token: 32 bytes as 64 lower-case hex characters. */
#define DD_HTTP_TOKEN_HEX 64
void dd_http_token_new(char out[DD_HTTP_TOKEN_HEX + 1]);
/* The stored form of a session token: its BLAKE2b hash (crypto_generichash), hex. */
void dd_http_token_hash(const char *token, char out[DD_HTTP_TOKEN_HEX + 1]);
/*
 * The session token in a Cookie header ("a=1; doudi_session=<64 hex>"):
 * the first doudi_session cookie, only if its value is exactly 64
 * lower-case hex characters.  False otherwise.
 */
bool dd_http_cookie_token(const char *cookie_header, char out[DD_HTTP_TOKEN_HEX + 1]);
/*
 * CSRF: a GET or HEAD and the login itself need nothing; any other method
 * needs `header` (X-CSRF-Token) equal to the session's token, compared in
 * constant time.
 */
bool dd_http_csrf_ok(const char *method, bool is_login, const char *header, const char *expected);

/*
 * Login throttling: a username with `per_user` failures, or a client
 * address with `per_addr` failures, within `window` seconds is refused
 * (429) until the oldest of them leaves the window.  Thread-safe.  Keys
 * are hashed with a random key, so chosen usernames cannot force collisions.
 */
typedef struct dd_http_throttle dd_http_throttle;
dd_rc dd_http_throttle_new(dd_http_throttle **t, int per_user, int per_addr, int64_t window,
			   dd_err *err);
void dd_http_throttle_free(dd_http_throttle *t);
bool dd_http_throttle_blocked(dd_http_throttle *t, const char *user, const char *addr, int64_t now);
void dd_http_throttle_fail(dd_http_throttle *t, const char *user, const char *addr, int64_t now);
/* After a good login: the username's failures are forgotten (the address's are not). */
void dd_http_throttle_clear(dd_http_throttle *t, const char *user);

/* ---- the server ---- */

/* "127.0.0.1:8080" → IPv4 address text and port (0 = any free port).  DD_ERR_USAGE. */
dd_rc dd_http_parse_listen(const char *listen, char addr[16], unsigned *port, dd_err *err);

typedef struct dd_http_options {
	const char *db;              /* database URL, opened once per worker thread */
	const char *listen;          /* "ADDR:PORT" */
	const char *web_dir;         /* static files (web/dist); may not exist */
	int threads;                 /* worker threads, 2..4 */
} dd_http_options;
/*
 * Serves until SIGINT or SIGTERM.  Calls ready(url, arg) once listening
 * (the URL with the real port).  DD_ERR_IO when the address cannot be
 * bound, DD_ERR_STORE/NOTFOUND when the database cannot be opened.
 */
dd_rc dd_http_serve(const dd_http_options *o, void (*ready)(const char *url, void *arg), void *arg,
		    dd_err *err);

#endif
