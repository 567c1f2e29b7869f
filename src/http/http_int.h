/*
 * http_int.h - what server.c (the libmicrohttpd side) and api.c (the route
 * table and handlers) share.  Private to src/http.
 */
#ifndef DD_HTTP_INT_H
#define DD_HTTP_INT_H

#include <jansson.h>

#include "../core/policy.h"
#include "../store/store.h"
#include "http.h"

/* Session lifetime: ended after this long without a request. */
#define HTTP_IDLE_SECONDS (8 * 3600)
/* libmicrohttpd's memory per connection: a request head (line and headers) a little smaller is read, a larger one answered 431. */
#define HTTP_HEAD_MAX (16 * 1024)
/* Largest request body read; a larger one is answered 413. */
#define HTTP_BODY_MAX (1024 * 1024)
/* Largest upload (POST /imports); DOUDI_UPLOAD_MAX overrides it. */
#define HTTP_UPLOAD_MAX (2ULL << 30)
/* Login throttling: failures per username / per client address in the window. */
#define HTTP_FAIL_USER 5
#define HTTP_FAIL_ADDR 20
#define HTTP_FAIL_WINDOW (15 * 60)

typedef struct http_server http_server;

/* A query argument or header of a request made without libmicrohttpd (testing.c). */
typedef enum { HTTP_KV_ARG, HTTP_KV_HEADER } http_kv_kind;
typedef struct http_kv {
	http_kv_kind kind;
	const char *name, *value;      /* value NULL: given without a value (?flag) */
} http_kv;

/* One request, from its first byte to its completion.  Everything hangs off `mem`. */
struct dd_http_req {
	http_server *srv;
	const char *method;            /* borrowed from libmicrohttpd, valid for the request */
	const char *path;
	void *conn;                    /* struct MHD_Connection; NULL for testing.c */
	const http_kv *kv;             /* without conn: the arguments and headers (borrowed) */
	size_t nkv;
	char client[48];               /* client address text */
	dd_buf body;                   /* capped at HTTP_BODY_MAX */
	bool too_large;
	dd_arena mem;
	dd_store *st;                  /* a pool handle while the request is dispatched */
	bool reading;                  /* st is in the GET's read transaction (server.c http_answer) */
	int64_t now;                   /* Unix seconds at dispatch */
	char params[DD_HTTP_MAX_PARAMS][64];
	dd_session session;            /* valid when `who.role` is set */
	dd_http_principal who;
	/* what locate() found, for the handler; closed at the end of the request */
	dd_registry_cursor *cur;
	const dd_registry_rec *rec;
	/* the response */
	int status;
	json_t *json;                  /* owned */
	char *set_cookie;              /* in mem; NULL for none */
	/* a non-JSON answer (files): sent instead of `json` when raw_type is set */
	dd_buf raw;                    /* owned by the request */
	const char *raw_type;          /* Content-Type; static or in mem */
	const char *disposition;       /* Content-Disposition or NULL; static or in mem */
	const char *raw_file;          /* with raw_type: send this file (in mem) instead of `raw` */
	/* an upload route's body (server.c): admitted before its first byte, streamed to a file */
	const dd_http_route *route;    /* set once admitted: the handler runs when the body is in */
	bool uploading;                /* upload_fd is open */
	int upload_fd;
	const char *upload_path;       /* in mem; removed with the request unless the handler keeps it */
	int64_t upload_bytes;
	unsigned char upload_head[4];  /* the first bytes: "PK\3\4" is an XLSX (zip) */
	bool upload_keep;              /* the handler took the file */
};

/*
 * The server without its daemon (server.c), for dd_http_serve and testing.c:
 * the store pool (handles opened from o->db, or `st` borrowed as the only
 * one), the login throttle and the dummy hash.  Free with http_server_free.
 */
dd_rc http_server_new(http_server **s, const dd_http_options *o, dd_store *st, dd_err *err);
void http_server_free(http_server *s);
/* A request of s (conn NULL: arguments and headers from kv); NULL when out of memory. */
dd_http_req *http_req_new(http_server *s, void *conn, const char *method, const char *url);
void http_req_free(dd_http_req *req);
/*
 * The request cycle, for on_request and testing.c: http_begin once the
 * headers are in (the declared length; an upload's checks and file) —
 * false when it answered already; http_body per chunk of the body;
 * http_answer at its end: 413, or a pool handle, http_dispatch, cleanup.
 */
bool http_begin(dd_http_req *req);
void http_body(dd_http_req *req, const char *data, size_t n);
void http_answer(dd_http_req *req);

/* The password hash of no user, verified when the name is unknown so both cases take as long. */
const char *http_dummy_hash(http_server *s);
dd_http_throttle *http_throttle(http_server *s);

/* The query argument `name` of the request, NULL when absent. */
const char *http_arg(dd_http_req *req, const char *name);
/* A request header, NULL when absent. */
const char *http_header(dd_http_req *req, const char *name);

/* A list's page: ?page=N (1..100000, default 1) and ?page_size= 20, 50 or 100 (default 20). */
typedef struct http_page {
	int page, size;
	int64_t offset;
} http_page;
/* Reads the paging arguments; false after answering 400 when they are malformed. */
bool http_page_args(dd_http_req *req, http_page *pg);
/* {"total","page","page_size","items"} of a list (steals items). */
json_t *http_page_json(const http_page *pg, int64_t total, json_t *items);

/*
 * The text json_dumps(j, JSON_COMPACT) gives, written faster (jansson's
 * dump was a fifth of a household page's time); *len its length.
 * malloc'ed; NULL when out of memory.
 */
char *http_json_text(const json_t *j, size_t *len);
/* Appends s[0..n) as a JSON string, escaped as json_dumps does; false when out of memory. */
bool http_json_string(dd_buf *b, const char *s, size_t n);
/*
 * Sets a JSON answer written as text (a hot page written without a jansson
 * tree, api_households.c): takes text's memory, leaving it empty.  The text
 * must be what json_dumps(…, JSON_COMPACT) would give; fuzz_http checks it.
 */
dd_rc http_reply_text(dd_http_req *req, int status, dd_buf *text);

/*
 * The request body as a JSON object (the caller decrefs); NULL after
 * answering 400 with `shape` (what the body should be; NULL: a generic text).
 */
json_t *http_body_object(dd_http_req *req, const char *shape);

/* Sets a JSON response (steals `body`; NULL → 500). */
dd_rc http_reply(dd_http_req *req, int status, json_t *body);
/* Sets {"error":{"code":code,"message":msg}}. */
dd_rc http_fail(dd_http_req *req, int status, const char *code, const char *msg);

/*
 * Answers an /api/ request (api.c): route, session, CSRF, role and scope,
 * then the handler.  Always leaves a response on req.
 */
void http_dispatch(dd_http_req *req);
/*
 * The dispatcher's checks without the handler: route, session, CSRF, role,
 * scope.  The route when all passed; else NULL with the answer set.  Upload
 * routes run it when the headers are in, before any of the body is read.
 */
const dd_http_route *http_admit(dd_http_req *req);

/*
 * Handlers and locators of the route table (api.c), one file per area
 * (api_<area>.c).  A locator sets *region to the record's region code, NULL
 * when absent; a handler leaves its response on req.
 */
/*
 * jw.c: a page written straight as JSON text, byte for byte what jansson's
 * compact dump of the same dd_json_* values would be.  Commas are placed
 * from the last byte written; a failed append or text that is not UTF-8
 * sets ok false (the page then answers 500, as a jansson string would).
 */
typedef struct jw {
	dd_buf b;
	bool ok;
} jw;
/* Starts a page with room for `size` bytes (one allocation for the usual page). */
bool jw_init(jw *w, size_t size);
/* Answers the page (200) and releases the buffer; DD_ERR_NOMEM after a failure. */
dd_rc jw_reply(jw *w, dd_http_req *req);
void jw_put(jw *w, const char *s, size_t n);
void jw_sep(jw *w);
void jw_lit(jw *w, const char *t);        /* null true false a number, or { [ opening a value */
void jw_put_close(jw *w, char c);         /* } or ] */
void jw_str(jw *w, const char *s);
void jw_key(jw *w, const char *name);     /* "name": (ASCII names, nothing to escape) */
void jw_text(jw *w, const char *s);       /* dd_json_text: NULL or "" → null */
void jw_yuan(jw *w, dd_fen v, bool opt);  /* dd_json_yuan(_opt) */
void jw_date(jw *w, dd_date d);
void jw_id_masked(jw *w, const char *id);
void jw_phone_masked(jw *w, const char *p);
void jw_integer(jw *w, long long v);
void jw_categories(jw *w, unsigned bits);

/* api_households.c */
/* ?q= and ?category= of a household list or export into f; false after answering 400. */
bool http_household_query(dd_http_req *req, dd_household_query *f);
dd_rc api_households_list(dd_http_req *req);
dd_rc api_locate_household(dd_http_req *req, const char **region);
dd_rc api_household_get(dd_http_req *req);
dd_rc api_reveal(dd_http_req *req);

/* api_admin.c */
/* The session's JSON (login, GET /session): the user, region and county names, the CSRF token. */
json_t *api_session_json(dd_http_req *req, const dd_session *s);
dd_rc api_password_change(dd_http_req *req);
dd_rc api_regions(dd_http_req *req);
dd_rc api_users_list(dd_http_req *req);
dd_rc api_user_add(dd_http_req *req);
dd_rc api_user_update(dd_http_req *req);
dd_rc api_policy_get(dd_http_req *req);
dd_rc api_policy_put(dd_http_req *req);
/* api_stats.c */
dd_rc api_dashboard(dd_http_req *req);
dd_rc api_export(dd_http_req *req);
/* api_monitor.c: warnings, rules, comparison runs, uploads, imports, jobs */
dd_rc api_warnings_list(dd_http_req *req);
dd_rc api_locate_warning(dd_http_req *req, const char **region);
dd_rc api_warning_get(dd_http_req *req);
dd_rc api_rules(dd_http_req *req);
dd_rc api_compare_runs(dd_http_req *req);
dd_rc api_compare_start(dd_http_req *req);
dd_rc api_import_upload(dd_http_req *req);
dd_rc api_import_run(dd_http_req *req);
dd_rc api_imports_list(dd_http_req *req);
dd_rc api_jobs_list(dd_http_req *req);
dd_rc api_job_get(dd_http_req *req);
dd_rc api_job_errors(dd_http_req *req);
/*
 * True for a route whose body is a file (POST /imports): streamed to disk by
 * server.c up to DOUDI_UPLOAD_MAX bytes, never held in memory, after the
 * dispatcher's checks have passed on the headers alone.
 */
bool http_route_is_upload(const dd_http_route *r);
/*
 * The county's policy: the database's policy text over the defaults, parsed
 * once per text and shared read-only.  Thread-safe.  Give *p back with
 * http_policy_release; http_policy_forget drops the cache (server's end).
 */
dd_rc http_policy(dd_store *st, const dd_policy **p, dd_err *err);
void http_policy_release(const dd_policy *p);
void http_policy_forget(void);
/* api_apps.c: assessment, applications and the procedure, drafts */
dd_rc api_household_assessment(dd_http_req *req);
dd_rc api_household_history(dd_http_req *req);
dd_rc api_assess(dd_http_req *req);
dd_rc api_apps_list(dd_http_req *req);
dd_rc api_locate_apply(dd_http_req *req, const char **region);
dd_rc api_apps_create(dd_http_req *req);
dd_rc api_locate_app(dd_http_req *req, const char **region);
dd_rc api_app_get(dd_http_req *req);
dd_rc api_app_advance(dd_http_req *req);
dd_rc api_app_objection(dd_http_req *req);
dd_rc api_app_decision_pdf(dd_http_req *req);
dd_rc api_drafts_list(dd_http_req *req);
dd_rc api_draft_put(dd_http_req *req);
dd_rc api_draft_delete(dd_http_req *req);

/*
 * job.c: the server's background jobs, one at a time on one worker thread
 * with its own store handle (docs/internals/http.md "Jobs").  Thread-safe.
 */
typedef struct http_jobs http_jobs;
typedef enum { HTTP_JOB_COMPARE, HTTP_JOB_FEED, HTTP_JOB_REGISTRY } http_job_kind;
typedef struct http_job_spec {
	http_job_kind kind;
	const char *user;
	const char *month;             /* compare, feed: YYYY-MM */
	const char *feed_kind;         /* feed */
	const char *files[3];          /* feed: [0]; registry: households, members, obligors (or NULL) */
} http_job_spec;
/* Opens the worker's store handle on `db` and starts the worker. */
dd_rc http_jobs_start(http_jobs **j, const char *db, dd_err *err);
/* Waits for the running job, drops the queued ones, frees everything.  NULL is fine. */
void http_jobs_stop(http_jobs *j);
/* Queues a job (strings copied); *id its number.  DD_ERR_INPUT when too many are waiting. */
dd_rc http_job_submit(http_jobs *j, const http_job_spec *spec, int64_t *id, dd_err *err);
/* GET /jobs/{id}'s JSON (new reference), NULL when unknown; all remembered jobs, newest first. */
json_t *http_job_json(http_jobs *j, int64_t id);
json_t *http_jobs_json(http_jobs *j);
/* The job's error file into path; false when it has none or is unknown. */
bool http_job_errfile(http_jobs *j, int64_t id, char *path, size_t size);
/* The server's jobs (NULL without a worker, e.g. testing.c) and uploads directory (<db>.uploads). */
http_jobs *http_server_jobs(http_server *s);
const char *http_uploads_dir(http_server *s);

#endif
