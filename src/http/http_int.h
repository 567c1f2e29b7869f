/*
 * http_int.h - what server.c (the libmicrohttpd side) and api.c (the route
 * table and handlers) share.  Private to src/http.
 */
#ifndef DD_HTTP_INT_H
#define DD_HTTP_INT_H

#include <jansson.h>

#include "../store/store.h"
#include "http.h"

/* Session lifetime: ended after this long without a request. */
#define HTTP_IDLE_SECONDS (8 * 3600)
/* Largest request body read; a larger one is answered 413. */
#define HTTP_BODY_MAX (1024 * 1024)
/* Login throttling: failures per username / per client address in the window. */
#define HTTP_FAIL_USER 5
#define HTTP_FAIL_ADDR 20
#define HTTP_FAIL_WINDOW (15 * 60)

typedef struct http_server http_server;

/* One request, from its first byte to its completion.  Everything hangs off `mem`. */
struct dd_http_req {
	http_server *srv;
	const char *method;            /* borrowed from libmicrohttpd, valid for the request */
	const char *path;
	void *conn;                    /* struct MHD_Connection */
	char client[48];               /* client address text */
	dd_buf body;                   /* capped at HTTP_BODY_MAX */
	bool too_large;
	dd_arena mem;
	dd_store *st;                  /* a pool handle while the request is dispatched */
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
};

/* The password hash of no user, verified when the name is unknown so both cases take as long. */
const char *http_dummy_hash(http_server *s);
dd_http_throttle *http_throttle(http_server *s);

/* The query argument `name` of the request, NULL when absent. */
const char *http_arg(dd_http_req *req, const char *name);
/* A request header, NULL when absent. */
const char *http_header(dd_http_req *req, const char *name);

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
 * Handlers and locators of the route table (api.c), one file per area
 * (api_<area>.c).  A locator sets *region to the record's region code, NULL
 * when absent; a handler leaves its response on req.
 */
/* api_households.c */
dd_rc api_households_list(dd_http_req *req);
dd_rc api_locate_household(dd_http_req *req, const char **region);
dd_rc api_household_get(dd_http_req *req);
dd_rc api_reveal(dd_http_req *req);

#endif
