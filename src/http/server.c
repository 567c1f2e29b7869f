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
#include "../core/text.h"
#include "http_int.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <errno.h>
#include <microhttpd.h>
#include <sodium.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POOL_MAX 4
/* Request arenas kept for the next requests, and the most a kept one may have used. */
#define SPARE_MAX 8
#define SPARE_USED_MAX (64 * 1024)

struct http_server {
	const dd_http_options *o;
	dd_http_throttle *thr;
	char dummy_hash[DD_HTTP_PWHASH_MAX];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	dd_store *pool[POOL_MAX];
	bool busy[POOL_MAX];
	int npool;
	/*
	 * Arenas of finished requests (reset, first block kept), under mu: a
	 * request's first 8 KiB block was a malloc and a free, and the malloc
	 * consolidated the heap's small free chunks each time.
	 */
	dd_arena spare[SPARE_MAX];
	int nspare;
	bool borrowed;                 /* pool[0] is the caller's (testing.c): not closed here */
	http_jobs *jobs;               /* the background worker (dd_http_serve only) */
	char *uploads;                 /* <db>.uploads: uploaded files, mode 0700 */
	uint64_t upload_max;           /* DOUDI_UPLOAD_MAX, default HTTP_UPLOAD_MAX */
};

http_jobs *http_server_jobs(http_server *s)
{
	return s->jobs;
}

const char *http_uploads_dir(http_server *s)
{
	return s->uploads;
}

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

/* A request made without a connection (testing.c) carries its own arguments and headers. */
static const char *kv_lookup(const dd_http_req *req, http_kv_kind kind, const char *name)
{
	for (size_t i = 0; i < req->nkv; i++)
		if (req->kv[i].kind == kind &&
		    (kind == HTTP_KV_HEADER ? !strcasecmp(req->kv[i].name, name) : !strcmp(req->kv[i].name, name)))
			return req->kv[i].value;
	return NULL;
}

const char *http_arg(dd_http_req *req, const char *name)
{
	return req->conn ? MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name)
			 : kv_lookup(req, HTTP_KV_ARG, name);
}

const char *http_header(dd_http_req *req, const char *name)
{
	return req->conn ? MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name)
			 : kv_lookup(req, HTTP_KV_HEADER, name);
}

bool http_page_args(dd_http_req *req, http_page *pg)
{
	const char *p = http_arg(req, "page"), *z = http_arg(req, "page_size");
	char *end = NULL;
	long page = 1, size = 20;

	if (p && ((page = strtol(p, &end, 10)), *end || page < 1 || page > 100000)) {
		http_fail(req, 400, "BAD_REQUEST", "page 应为 1 到 100000 的整数");
		return false;
	}
	if (z && ((size = strtol(z, &end, 10)), *end || (size != 20 && size != 50 && size != 100))) {
		http_fail(req, 400, "BAD_REQUEST", "page_size 应为 20、50 或 100");
		return false;
	}
	pg->page = (int)page;
	pg->size = (int)size;
	pg->offset = (int64_t)(page - 1) * size;
	return true;
}

json_t *http_page_json(const http_page *pg, int64_t total, json_t *items)
{
	return json_pack("{s:I, s:i, s:i, s:o}", "total", (json_int_t)total, "page", pg->page, "page_size",
			 pg->size, "items", items);
}

json_t *http_body_object(dd_http_req *req, const char *shape)
{
	json_t *in = json_loadb(req->body.data ? req->body.data : "", req->body.len, 0, NULL);

	if (!json_is_object(in)) {
		json_decref(in);
		http_fail(req, 400, "BAD_REQUEST", shape ? shape : "请求内容应为 JSON 对象");
		return NULL;
	}
	return in;
}

dd_rc http_reply(dd_http_req *req, int status, json_t *body)
{
	json_decref(req->json);
	req->json = body;
	req->status = body ? status : 500;
	req->raw_type = NULL;   /* an error after a file was prepared answers the error */
	return body ? DD_OK : DD_ERR_NOMEM;
}

dd_rc http_fail(dd_http_req *req, int status, const char *code, const char *msg)
{
	/*
	 * A message may quote the request's bytes (a JSON parser's "near '…'"),
	 * invalid UTF-8 that JSON cannot carry: only its valid start goes out.
	 */
	size_t n = strlen(msg);
	while (n && !dd_text_is_utf8(msg, n, false))
		n--;
	http_reply(req, status, json_pack("{s:{s:s, s:s%}}", "error", "code", code, "message", msg, n));
	return DD_OK;
}

/* ---- responses ---- */

static void common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

/* A string in JSON: runs of plain bytes copied at once, the rest escaped as json_dumps does. */
bool http_json_string(dd_buf *b, const char *s, size_t n)
{
	bool ok = dd_buf_putc(b, '"') == DD_OK;
	size_t run = 0;

	for (size_t i = 0; ok && i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : 0;
		if (i < n && c >= 0x20 && c != '"' && c != '\\')
			continue;
		ok = dd_buf_append(b, s + run, i - run) == DD_OK;
		run = i + 1;
		if (i == n || !ok)
			break;
		char esc[8];
		const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
			      : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
		if (!e) {
			snprintf(esc, sizeof esc, "\\u%04X", c);
			e = esc;
		}
		ok = dd_buf_puts(b, e) == DD_OK;
	}
	return ok && dd_buf_putc(b, '"') == DD_OK;
}

static bool put_json(dd_buf *b, const json_t *j)
{
	const char *key;
	json_t *v;
	size_t i, klen;
	char num[32];
	bool ok = true, first = true;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		ok = dd_buf_putc(b, '{') == DD_OK;
		json_object_keylen_foreach((json_t *)j, key, klen, v) {
			if (!first)
				ok = ok && dd_buf_putc(b, ',') == DD_OK;
			first = false;
			ok = ok && http_json_string(b, key, klen) && dd_buf_putc(b, ':') == DD_OK && put_json(b, v);
		}
		return ok && dd_buf_putc(b, '}') == DD_OK;
	case JSON_ARRAY:
		ok = dd_buf_putc(b, '[') == DD_OK;
		json_array_foreach((json_t *)j, i, v)
			ok = ok && (!i || dd_buf_putc(b, ',') == DD_OK) && put_json(b, v);
		return ok && dd_buf_putc(b, ']') == DD_OK;
	case JSON_STRING:
		return http_json_string(b, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		return dd_buf_puts(b, num) == DD_OK;
	case JSON_TRUE:
		return dd_buf_puts(b, "true") == DD_OK;
	case JSON_FALSE:
		return dd_buf_puts(b, "false") == DD_OK;
	case JSON_NULL:
		return dd_buf_puts(b, "null") == DD_OK;
	default: {
		/* a real: jansson's own formatting */
		char *t = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		ok = t && dd_buf_puts(b, t) == DD_OK;
		free(t);
		return ok;
	}
	}
}

char *http_json_text(const json_t *j, size_t *len)
{
	dd_buf b;
	char *text;

	dd_buf_init(&b, 0);
	if (!put_json(&b, j) || dd_buf_putc(&b, '\0') != DD_OK) {
		dd_buf_release(&b);
		return NULL;
	}
	text = dd_buf_detach(&b, len);
	*len -= 1;
	return text;
}

dd_rc http_reply_text(dd_http_req *req, int status, dd_buf *text)
{
	json_decref(req->json);
	req->json = NULL;
	dd_buf_release(&req->raw);
	req->raw = *text;
	dd_buf_init(text, 0);
	req->status = status;
	req->raw_type = "application/json; charset=utf-8";
	req->raw_file = NULL;
	req->disposition = NULL;
	return DD_OK;
}

static enum MHD_Result send_json(struct MHD_Connection *c, dd_http_req *req)
{
	size_t len = 0;
	char *text = req->json ? http_json_text(req->json, &len) : NULL;
	static const char oom[] = "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"内存不足\"}}";
	struct MHD_Response *r = text
		? MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE)
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

/* A file a handler prepared (req->raw, raw_type, disposition). */
static enum MHD_Result send_raw(struct MHD_Connection *c, dd_http_req *req)
{
	size_t len = 0;
	char *data = dd_buf_detach(&req->raw, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data ? data : (void *)"",
								 data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ok;

	if (!r) {
		free(data);
		return MHD_NO;
	}
	common_headers(r);
	MHD_add_response_header(r, "Content-Type", req->raw_type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (req->disposition)
		MHD_add_response_header(r, "Content-Disposition", req->disposition);
	ok = MHD_queue_response(c, (unsigned)(req->status ? req->status : 200), r);
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

/* A file a handler named (req->raw_file), streamed from disk; 404 when it cannot be opened. */
static enum MHD_Result send_file(struct MHD_Connection *c, dd_http_req *req)
{
	struct stat sb;
	struct MHD_Response *r = NULL;
	int fd = open(req->raw_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	enum MHD_Result ok;

	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd)))
		fd = -1;
	if (fd >= 0)
		close(fd);
	if (!r) {
		http_fail(req, 404, "NOT_FOUND", "文件不存在");
		return send_json(c, req);
	}
	common_headers(r);
	MHD_add_response_header(r, "Content-Type", req->raw_type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (req->disposition)
		MHD_add_response_header(r, "Content-Disposition", req->disposition);
	ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- uploads: a body streamed to a file, never held in memory ---- */

/* Closes and removes an upload's partial file. */
static void upload_drop(dd_http_req *req)
{
	if (req->uploading)
		close(req->upload_fd);
	req->uploading = false;
	if (req->upload_path && !req->upload_keep)
		unlink(req->upload_path);
	req->upload_path = NULL;
}

/*
 * An upload route: the dispatcher's checks (session, CSRF, role) run now,
 * when only the headers are in, so nothing of a refused body is written.
 * Then the file is created.  False when the request is answered already.
 */
static bool upload_open(http_server *s, dd_http_req *req)
{
	unsigned char rnd[16];
	char hex[33];
	int slot;

	req->now = (int64_t)time(NULL);
	req->st = pool_take(s, &slot);
	req->route = http_admit(req);
	req->st = NULL;
	pool_give(s, slot);
	if (!req->route)
		return false;
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	if (!s->uploads || (mkdir(s->uploads, 0700) != 0 && errno != EEXIST) ||
	    !(req->upload_path = dd_arena_printf(&req->mem, "%s/%s.part", s->uploads, hex)) ||
	    (req->upload_fd = open(req->upload_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		dd_log_error("无法创建上传文件：%s", strerror(errno));
		req->upload_path = NULL;
		http_fail(req, 500, "INTERNAL", "服务器内部错误");
		return false;
	}
	req->uploading = true;
	return true;
}

/* Appends a chunk; past the cap the file is removed and the rest drained (413), on a write error too (500). */
static void upload_write(http_server *s, dd_http_req *req, const char *data, size_t n)
{
	if (!req->uploading)
		return;
	if ((uint64_t)req->upload_bytes + n > s->upload_max) {
		req->too_large = true;
		upload_drop(req);
		return;
	}
	for (size_t i = 0; req->upload_bytes + (int64_t)i < 4 && i < n; i++)
		req->upload_head[req->upload_bytes + (int64_t)i] = (unsigned char)data[i];
	for (size_t off = 0; off < n;) {
		ssize_t w = write(req->upload_fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			dd_log_error("写入上传文件失败：%s", strerror(errno));
			upload_drop(req);
			return;
		}
		off += (size_t)w;
	}
	req->upload_bytes += (int64_t)n;
}

/* ---- the request cycle ---- */

dd_http_req *http_req_new(http_server *s, void *conn, const char *method, const char *url)
{
	struct MHD_Connection *c = conn;
	dd_http_req *req = calloc(1, sizeof *req);
	const union MHD_ConnectionInfo *ci;

	if (!req)
		return NULL;
	req->srv = s;
	req->conn = c;
	req->method = method;
	req->path = url;
	dd_buf_init(&req->body, HTTP_BODY_MAX);
	dd_buf_init(&req->raw, 0);
	pthread_mutex_lock(&s->mu);
	if (s->nspare)
		req->mem = s->spare[--s->nspare];
	else
		dd_arena_init(&req->mem, 8 * 1024);
	pthread_mutex_unlock(&s->mu);
	ci = c ? MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, req->client,
			  sizeof req->client);
	return req;
}

void http_req_free(dd_http_req *req)
{
	http_server *s;

	if (!req)
		return;
	s = req->srv;
	upload_drop(req);   /* an upload the handler did not take (refused, aborted) is removed */
	dd_buf_release(&req->body);
	dd_buf_release(&req->raw);
	/* kept for the next request unless it grew large (its last block is what a reset keeps) */
	bool keep = req->mem.used_total <= SPARE_USED_MAX;
	dd_arena_reset(&req->mem);
	pthread_mutex_lock(&s->mu);
	if (keep && s->nspare < SPARE_MAX)
		s->spare[s->nspare++] = req->mem;
	else
		dd_arena_release(&req->mem);
	pthread_mutex_unlock(&s->mu);
	json_decref(req->json);
	free(req);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	DD_UNUSED(cls);
	DD_UNUSED(c);
	DD_UNUSED(toe);
	http_req_free(*con_cls);
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

	DD_UNUSED(version);
	if (!req) {
		if (!(req = *con_cls = http_req_new(s, c, method, url)))
			return MHD_NO;
		return http_begin(req) ? MHD_YES : send_json(c, req);
	}
	if (*upload_size) {
		http_body(req, upload, *upload_size);
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
	http_answer(req);
	return !req->raw_type ? send_json(c, req) : req->raw_file ? send_file(c, req) : send_raw(c, req);
}

bool http_begin(dd_http_req *req)
{
	http_server *s = req->srv;
	bool known;
	const dd_http_route *r = is_api(req->path) ? dd_http_route_match(req->method, req->path, req->params, &known)
						   : NULL;
	bool up = http_route_is_upload(r);
	/* a declared length over the cap is refused before a byte of it is read */
	const char *cl = http_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (cl && strtoull(cl, NULL, 10) > (up ? s->upload_max : HTTP_BODY_MAX)) {
		http_fail(req, 413, "PAYLOAD_TOO_LARGE", up ? "上传的文件超过大小上限" : "请求内容超过 1 MiB");
		return false;
	}
	return !up || upload_open(s, req);
}

void http_body(dd_http_req *req, const char *data, size_t n)
{
	/* read incrementally; past the cap the rest is drained and the answer is 413 */
	if (http_route_is_upload(req->route))
		upload_write(req->srv, req, data, n);
	else if (!req->too_large && dd_buf_append(&req->body, data, n) != DD_OK)
		req->too_large = true;
}

void http_answer(dd_http_req *req)
{
	http_server *s = req->srv;
	int slot;

	bool up = http_route_is_upload(req->route);

	if (req->too_large) {
		http_fail(req, 413, "PAYLOAD_TOO_LARGE", up ? "上传的文件超过大小上限" : "请求内容超过 1 MiB");
		return;
	}
	if (up && (!req->uploading || close(req->upload_fd) != 0)) {
		req->uploading = false;
		http_fail(req, 500, "INTERNAL", "服务器内部错误：上传文件写入失败");
		return;
	}
	req->uploading = false;
	req->now = (int64_t)time(NULL);
	req->st = pool_take(s, &slot);
	/*
	 * A GET reads in one transaction: one snapshot, and the read lock taken
	 * and released once rather than per statement (with its fcntl calls and
	 * a mutex the workers contend for).  GET handlers do not write; the
	 * session's touch steps out of it (api.c).  Ended before the handle goes
	 * back: never held across requests.
	 */
	req->reading = (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) &&
		       dd_store_read_begin(req->st, NULL) == DD_OK;   /* else the statements start their own */
	http_dispatch(req);
	if (req->cur)
		dd_store_registry_close(req->cur);
	if (req->reading)
		dd_store_read_end(req->st);
	req->reading = false;
	req->cur = NULL;
	req->rec = NULL;
	req->st = NULL;
	pool_give(s, slot);
}

void http_server_free(http_server *s)
{
	if (!s)
		return;
	http_jobs_stop(s->jobs);
	free(s->uploads);
	for (int i = 0; !s->borrowed && i < s->npool; i++)
		dd_store_close(s->pool[i]);
	for (int i = 0; i < s->nspare; i++)
		dd_arena_release(&s->spare[i]);
	dd_http_throttle_free(s->thr);
	http_policy_forget();
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}

dd_rc http_server_new(http_server **out, const dd_http_options *o, dd_store *st, dd_err *err)
{
	http_server *s = calloc(1, sizeof *s);
	dd_rc rc = DD_OK;

	*out = NULL;
	if (!s)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	s->o = o;
	const char *max = getenv("DOUDI_UPLOAD_MAX");   /* bytes; lowered by the tests */
	s->upload_max = max && *max ? strtoull(max, NULL, 10) : HTTP_UPLOAD_MAX;
	if (o && o->db && (s->uploads = malloc(strlen(o->db) + sizeof ".uploads")))
		sprintf(s->uploads, "%s.uploads", o->db);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (st) {
		s->pool[0] = st;
		s->npool = 1;
		s->borrowed = true;
	} else {
		s->npool = DD_MAX(2, DD_MIN(POOL_MAX, o->threads));
		for (int i = 0; rc == DD_OK && i < s->npool; i++)
			if ((rc = dd_store_open(&s->pool[i], o->db, false, err)) != DD_OK)
				s->npool = i;
	}
	if (rc == DD_OK &&
	    (rc = dd_http_throttle_new(&s->thr, HTTP_FAIL_USER, HTTP_FAIL_ADDR, HTTP_FAIL_WINDOW, err)) == DD_OK)
		rc = dd_http_password_hash("doudi-no-such-user", s->dummy_hash, err);
	if (rc != DD_OK)
		http_server_free(s);
	else
		*out = s;
	return rc;
}

dd_rc dd_http_serve(const dd_http_options *o, void (*ready)(const char *url, void *arg), void *arg,
		    dd_err *err)
{
	http_server *s = NULL;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct MHD_Daemon *d = NULL;
	char addr[16], url[64];
	unsigned port;
	sigset_t stop, old;
	int sig;
	dd_rc rc;

	if ((rc = dd_http_parse_listen(o->listen, addr, &port, err)) != DD_OK ||
	    (rc = http_server_new(&s, o, NULL, err)) != DD_OK ||
	    (rc = http_jobs_start(&s->jobs, o->db, err)) != DD_OK)
		goto done;
	inet_pton(AF_INET, addr, &sin.sin_addr);
	sin.sin_port = htons((uint16_t)port);
	/* the workers inherit this mask, so only sigwait below sees SIGINT/SIGTERM */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, s,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->npool,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     /*
			      * a connection's pool holds the request head; libmicrohttpd
			      * zeroes all of it for every request on a kept-alive
			      * connection, so it is no larger than a head needs (431 beyond)
			      */
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_HEAD_MAX,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
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
	http_server_free(s);
	return rc;
}
