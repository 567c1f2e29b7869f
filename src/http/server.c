/*
 * server.c - the libmicrohttpd side of http.h: the daemon, request bodies,
 * responses, the pool of store handles and the static files.
 *
 * Threads: libmicrohttpd's internal thread pool (2–4 workers) calls
 * on_request.  SQLite handles are never shared between threads, so each
 * request borrows a handle from a pool of as many handles as workers for
 * the time of its dispatch, and gives it back before its response is sent.
 */
#include "../core/dd.h"
#include "http_int.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POOL_MAX 4

struct http_server {
	const dd_http_options *o;
	dd_http_throttle *thr;
	char dummy_hash[DD_HTTP_PWHASH_MAX];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	dd_store *pool[POOL_MAX];
	bool busy[POOL_MAX];
	int npool;
};

const char *http_dummy_hash(http_server *s)
{
	return s->dummy_hash;
}

dd_http_throttle *http_throttle(http_server *s)
{
	return s->thr;
}

static dd_store *pool_take(http_server *s, int *slot)
{
	pthread_mutex_lock(&s->mu);
	for (;;) {
		for (int i = 0; i < s->npool; i++) {
			if (!s->busy[i]) {
				s->busy[i] = true;
				*slot = i;
				pthread_mutex_unlock(&s->mu);
				return s->pool[i];
			}
		}
		pthread_cond_wait(&s->cv, &s->mu);
	}
}

static void pool_give(http_server *s, int slot)
{
	pthread_mutex_lock(&s->mu);
	s->busy[slot] = false;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* ---- request helpers (http_int.h) ---- */

const char *http_arg(dd_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(dd_http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

dd_rc http_reply(dd_http_req *req, int status, json_t *body)
{
	json_decref(req->json);
	req->json = body;
	req->status = body ? status : 500;
	return body ? DD_OK : DD_ERR_NOMEM;
}

dd_rc http_fail(dd_http_req *req, int status, const char *code, const char *msg)
{
	http_reply(req, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
	return DD_OK;
}

/* ---- responses ---- */

static void common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_json(struct MHD_Connection *c, dd_http_req *req)
{
	char *text = req->json ? json_dumps(req->json, JSON_COMPACT) : NULL;
	static const char oom[] = "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"内存不足\"}}";
	struct MHD_Response *r = text
		? MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE)
		: MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ok;

	if (!r) {
		free(text);
		return MHD_NO;
	}
	common_headers(r);
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (req->set_cookie)
		MHD_add_response_header(r, "Set-Cookie", req->set_cookie);
	if (req->status == 429)
		MHD_add_response_header(r, "Retry-After", "900");
	ok = MHD_queue_response(c, text ? (unsigned)req->status : 500, r);
	MHD_destroy_response(r);
	return ok;
}

static const char placeholder[] =
	"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	"<title>兜底 · 低收入人口动态监测</title></head><body>"
	"<h1>低收入人口动态监测和常态化救助帮扶平台</h1>"
	"<p>服务已启动。网页界面将随“网页平台”功能一并提供；目前可通过 <code>/api/v1/</code> 接口访问。</p>"
	"</body></html>\n";

static const struct {
	const char *ext, *type;
} mime[] = {
	{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },   { ".json", "application/json" },
	{ ".svg", "image/svg+xml" },             { ".png", "image/png" },
	{ ".ico", "image/x-icon" },              { ".woff2", "font/woff2" },
};

/* A file path under the web directory: letters, digits, '-', '_', '.', '/', no dot-segments. */
static bool safe_path(const char *p)
{
	if (strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") != strlen(p))
		return false;
	return !strstr(p, "/.") && !strstr(p, "//");
}

/* GET of a non-API path: a file of web_dir, "/" its index.html or the placeholder page. */
static enum MHD_Result send_static(struct MHD_Connection *c, const dd_http_options *o, const char *path)
{
	char file[1024];
	const char *type = NULL;
	struct stat sb;
	struct MHD_Response *r = NULL;
	int fd = -1, status = 200;
	enum MHD_Result ok;

	if (!strcmp(path, "/"))
		path = "/index.html";
	if (o->web_dir && safe_path(path) &&
	    (size_t)snprintf(file, sizeof file, "%s%s", o->web_dir, path) < sizeof file &&
	    (fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0 && fstat(fd, &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		for (size_t i = 0; i < DD_ARRAY_LEN(mime); i++) {
			size_t el = strlen(mime[i].ext), pl = strlen(path);
			if (pl > el && !strcmp(path + pl - el, mime[i].ext))
				type = mime[i].type;
		}
		r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		fd = r ? -1 : fd;
	}
	if (fd >= 0)
		close(fd);
	if (!r && !strcmp(path, "/index.html")) {
		r = MHD_create_response_from_buffer(sizeof placeholder - 1, (void *)placeholder,
						    MHD_RESPMEM_PERSISTENT);
		type = "text/html; charset=utf-8";
	} else if (!r) {
		static const char nf[] = "<!DOCTYPE html><meta charset=\"utf-8\"><p>页面不存在</p>\n";
		r = MHD_create_response_from_buffer(sizeof nf - 1, (void *)nf, MHD_RESPMEM_PERSISTENT);
		type = "text/html; charset=utf-8";
		status = 404;
	}
	if (!r)
		return MHD_NO;
	common_headers(r);
	MHD_add_response_header(r, "Content-Type", type ? type : "application/octet-stream");
	MHD_add_response_header(r, "Content-Security-Policy", "default-src 'self'");
	ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- the request cycle ---- */

static dd_http_req *req_new(http_server *s, struct MHD_Connection *c, const char *method,
			    const char *url)
{
	dd_http_req *req = calloc(1, sizeof *req);
	const union MHD_ConnectionInfo *ci;

	if (!req)
		return NULL;
	req->srv = s;
	req->conn = c;
	req->method = method;
	req->path = url;
	dd_buf_init(&req->body, HTTP_BODY_MAX);
	dd_arena_init(&req->mem, 8 * 1024);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, req->client,
			  sizeof req->client);
	return req;
}

static void req_free(dd_http_req *req)
{
	if (!req)
		return;
	dd_buf_release(&req->body);
	dd_arena_release(&req->mem);
	json_decref(req->json);
	free(req);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	DD_UNUSED(cls);
	DD_UNUSED(c);
	DD_UNUSED(toe);
	req_free(*con_cls);
	*con_cls = NULL;
}

static bool is_api(const char *url)
{
	return !strncmp(url, "/api/", 5) || !strcmp(url, "/api");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	http_server *s = cls;
	dd_http_req *req = *con_cls;
	int slot;

	DD_UNUSED(version);
	if (!req) {
		if (!(req = *con_cls = req_new(s, c, method, url)))
			return MHD_NO;
		/* a declared length over the cap is refused before a byte of it is read */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > HTTP_BODY_MAX) {
			http_fail(req, 413, "PAYLOAD_TOO_LARGE", "请求内容超过 1 MiB");
			return send_json(c, req);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		/* read incrementally; past the cap the rest is drained and the answer is 413 */
		if (!req->too_large && dd_buf_append(&req->body, upload, *upload_size) != DD_OK)
			req->too_large = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (req->status)
		return MHD_YES;   /* answered already (413 on the declared length) */
	if (!is_api(url)) {
		if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
			http_fail(req, 405, "METHOD_NOT_ALLOWED", "不支持该请求方法");
			return send_json(c, req);
		}
		return send_static(c, s->o, url);
	}
	if (req->too_large) {
		http_fail(req, 413, "PAYLOAD_TOO_LARGE", "请求内容超过 1 MiB");
		return send_json(c, req);
	}
	req->now = (int64_t)time(NULL);
	req->st = pool_take(s, &slot);
	http_dispatch(req);
	if (req->cur)
		dd_store_registry_close(req->cur);
	req->cur = NULL;
	req->rec = NULL;
	req->st = NULL;
	pool_give(s, slot);
	return send_json(c, req);
}

static void server_release(http_server *s)
{
	for (int i = 0; i < s->npool; i++)
		dd_store_close(s->pool[i]);
	dd_http_throttle_free(s->thr);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}

dd_rc dd_http_serve(const dd_http_options *o, void (*ready)(const char *url, void *arg), void *arg,
		    dd_err *err)
{
	http_server s = { .o = o };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct MHD_Daemon *d = NULL;
	char addr[16], url[64];
	unsigned port;
	sigset_t stop, old;
	int sig;
	dd_rc rc;

	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	if ((rc = dd_http_parse_listen(o->listen, addr, &port, err)) != DD_OK)
		goto done;
	inet_pton(AF_INET, addr, &sin.sin_addr);
	sin.sin_port = htons((uint16_t)port);
	s.npool = DD_MAX(2, DD_MIN(POOL_MAX, o->threads));
	for (int i = 0; rc == DD_OK && i < s.npool; i++)
		if ((rc = dd_store_open(&s.pool[i], o->db, false, err)) != DD_OK)
			s.npool = i;
	if (rc != DD_OK ||
	    (rc = dd_http_throttle_new(&s.thr, HTTP_FAIL_USER, HTTP_FAIL_ADDR, HTTP_FAIL_WINDOW, err)) != DD_OK ||
	    (rc = dd_http_password_hash("doudi-no-such-user", s.dummy_hash, err)) != DD_OK)
		goto done;
	/* the workers inherit this mask, so only sigwait below sees SIGINT/SIGTERM */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, &s,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s.npool,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
			     MHD_OPTION_END);
	if (!d) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		rc = dd_err_set(err, DD_ERR_IO, "无法在 %s 上监听（端口被占用或地址不可用）", o->listen);
		goto done;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(url, sizeof url, "http://%s:%u/", addr, di ? (unsigned)di->port : port);
	if (ready)
		ready(url, arg);
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
done:
	server_release(&s);
	return rc;
}
