/*
 * api_monitor.c - the monitoring routes (docs/internals/api.md): warnings
 * and rules, comparison runs, uploads and imports, background jobs.
 * Roles and scope were decided by the dispatcher (api.c) before these run;
 * the long work runs on the server's job thread (job.c).
 */
#include "../core/dd.h"
#include "../core/json.h"
#include "../core/region.h"
#include "../compare/compare.h"
#include "../ingest/ingest.h"
#include "http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lists of runs and imports show this many, newest first. */
#define LATEST 100

/*
 * The parsed policy, shared read-only by the requests and jobs that hold a
 * reference (http_int.h).  Parsing it (defaults + the stored text, ≈ 150 KB)
 * took most of a warning page's time; now a request reads the stored text
 * (one small query) and parses only when it changed.  On the heap, never on
 * a worker's stack.
 */
typedef struct policy_ref {
	int refs;                      /* under policy_mu */
	char *text;                    /* the stored text it was parsed from; "" for none */
	dd_policy p;
} policy_ref;
static pthread_mutex_t policy_mu = PTHREAD_MUTEX_INITIALIZER;
static policy_ref *policy_cur;     /* the cache's own reference */

/* Drops one reference; called with policy_mu held. */
static void policy_drop(policy_ref *r)
{
	if (r && --r->refs == 0) {
		free(r->text);
		free(r);
	}
}

static policy_ref *policy_of(const dd_policy *p)
{
	return (policy_ref *)(void *)((char *)(uintptr_t)p - offsetof(policy_ref, p));
}

dd_rc http_policy(dd_store *st, const dd_policy **out, dd_err *err)
{
	char *text = NULL;
	policy_ref *r = NULL, *old = NULL;
	dd_rc rc = dd_store_meta_get(st, "policy", &text, err);
	const char *key = text ? text : "";

	if (rc != DD_OK && rc != DD_ERR_NOTFOUND)
		goto done;
	rc = DD_OK;
	pthread_mutex_lock(&policy_mu);
	if (policy_cur && !strcmp(policy_cur->text, key)) {
		r = policy_cur;
		r->refs++;
	}
	pthread_mutex_unlock(&policy_mu);
	if (r)
		goto done;
	if (!(r = calloc(1, sizeof *r)) || !(r->text = strdup(key))) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	} else if ((rc = dd_policy_stored(&r->p, text, err)) == DD_OK) {
		r->refs = 2;   /* the caller's and the cache's */
		pthread_mutex_lock(&policy_mu);
		old = policy_cur;
		policy_cur = r;
		policy_drop(old);
		pthread_mutex_unlock(&policy_mu);
	}
	if (rc != DD_OK) {
		if (r)
			free(r->text);
		free(r);
		r = NULL;
	}
done:
	free(text);
	*out = r ? &r->p : NULL;
	return rc;
}

void http_policy_release(const dd_policy *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&policy_mu);
	policy_drop(policy_of(p));
	pthread_mutex_unlock(&policy_mu);
}

void http_policy_forget(void)
{
	pthread_mutex_lock(&policy_mu);
	policy_drop(policy_cur);
	policy_cur = NULL;
	pthread_mutex_unlock(&policy_mu);
}

/* ---- rules ---- */

/* What each built-in rule looks for (DOMAIN.md §4), for the warning page. */
static const struct {
	const char *id, *description;
} rule_text[] = {
	{ "W01", "在册人员本年度住院自付费用合计超过阈值" },
	{ "W02", "非在册人员本年度住院自付费用合计超过阈值（主动发现）" },
	{ "W03", "在册人员为一、二级残疾或三级智力、精神残疾，但既非低保也非特困" },
	{ "W04", "在册人员为一、二级肢体，一至三级智力、精神或一级视力残疾，但非特困（复核是否符合特困）" },
	{ "W05", "在册人员与上月相比新进入或退出残疾人名单" },
	{ "W06", "在册人员的残疾等级与上月相比发生变化" },
	{ "W07", "在册人员遭遇交通事故、火灾等突发事件，有死亡、重伤或财产损失超过阈值" },
	{ "W08", "低保、特困、低保边缘或刚性支出困难对象在本月之前已死亡" },
	{ "W09", "特困人员同时享受孤儿或事实无人抚养儿童保障" },
	{ "W10", "特困人员同时领取失能补贴或残疾人两项补贴" },
	{ "W11", "低保或特困人员领取养老金或持有存续营业执照" },
	{ "W12", "非低保、特困家庭中有劳动能力的成员死亡" },
	{ "W13", "劳动年龄在册人员新登记失业" },
	{ "W14", "在册家庭自然灾害损失合计超过阈值" },
	{ "W15", "在册家庭存在住房、义务教育、饮水或基本医疗保险问题" },
	{ "W16", "身份证号在多户中重复或校验位错误" },
	{ "W17", "定期复核逾期" },
	{ "W18", "低保、特困、低保边缘或刚性支出困难对象为村干部或经办人员的近亲属且未备案" },
};

static const char *builtin_description(const char *id)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(rule_text); i++)
		if (!strcmp(rule_text[i].id, id))
			return rule_text[i].description;
	return NULL;
}

/* The Chinese name of a rule into buf: "类型·原因" for a built-in one, the policy's name for a county rule. */
static const char *rule_name_text(const char *id, const dd_policy *p, char buf[160])
{
	const dd_compare_rule *b = id ? dd_compare_rule_find(id) : NULL;
	const dd_rule_cfg *c = p && id ? dd_policy_rule(p, id) : NULL;

	if (b) {
		snprintf(buf, 160, "%s·%s", b->type, b->reason);
		return buf;
	}
	return c && c->name[0] ? c->name : id ? id : "";
}

static json_t *rule_name(const char *id, const dd_policy *p)
{
	char buf[160];
	return json_string(rule_name_text(id, p, buf));
}

dd_rc api_rules(dd_http_req *req)
{
	const dd_policy *p = NULL;
	dd_err err = { 0 };
	dd_rc rc = http_policy(req->st, &p, &err);
	json_t *a = json_array();

	if (rc != DD_OK) {
		json_decref(a);
		dd_log_error("读取政策参数失败：%s", err.msg);
		return rc;
	}
	/* the built-in rules in their order, then the county's own in policy order */
	for (size_t i = 0; a && i < dd_compare_nrules + p->nrules; i++) {
		const char *id = i < dd_compare_nrules ? dd_compare_rules[i].id : p->rules[i - dd_compare_nrules].id;
		const dd_rule_cfg *c = dd_policy_rule(p, id);
		bool county = !dd_compare_rule_find(id);
		if (i >= dd_compare_nrules && !county)
			continue;
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:b, s:o, s:b, s:o}", "id", id,
						   "name", rule_name(id, p),
						   "level", dd_json_text(c ? c->level : NULL),
						   "enabled", c && c->enabled,
						   "threshold", c ? dd_json_yuan_opt(c->threshold) : json_null(),
						   "county", county,
						   "description", dd_json_text(county ? (c ? c->description : NULL)
											: builtin_description(id))));
	}
	http_policy_release(p);
	return http_reply(req, 200, a);
}

/* ---- warnings ---- */


/* warning_json as text, key for key. */
static void warning_text(jw *w, const dd_warning_rec *r, const dd_policy *p)
{
	const dd_warning *x = &r->w;
	char name[160];

	jw_lit(w, "{");
	jw_key(w, "id");
	jw_integer(w, (long long)x->id);
	jw_key(w, "rule");
	jw_str(w, x->rule ? x->rule : "");
	jw_key(w, "rule_name");
	jw_str(w, rule_name_text(x->rule, p, name));
	jw_key(w, "level");
	jw_text(w, x->level);
	jw_key(w, "month");
	jw_text(w, x->month);
	jw_key(w, "household_no");
	jw_text(w, x->household_no);
	jw_key(w, "region_code");
	jw_text(w, x->region_code);
	jw_key(w, "scope_region");
	jw_text(w, r->scope);
	jw_key(w, "name");
	jw_text(w, x->name);
	jw_key(w, "id_number");
	jw_id_masked(w, x->id_number);
	jw_key(w, "status");
	jw_text(w, x->status);
	jw_key(w, "evidence");
	jw_text(w, x->evidence);
	jw_key(w, "created_at");
	jw_text(w, x->created_at);
	jw_put_close(w, '}');
}

/* A list item as a tree, for the detail, which adds its own keys to it (read back from warning_text). */
static json_t *warning_json(const dd_warning_rec *r, const dd_policy *p)
{
	jw w;
	json_t *o = NULL;

	if (jw_init(&w, 4096)) {
		warning_text(&w, r, p);
		if (w.ok)
			o = json_loadb(w.b.data, w.b.len, 0, NULL);
	}
	dd_buf_release(&w.b);
	return o;
}

/* An optional argument: at most `max` bytes of `allowed` characters (NULL: any), else 400. */
static bool arg_ok(dd_http_req *req, const char *name, const char *allowed, size_t max, const char **out)
{
	const char *v = http_arg(req, name);

	*out = v && *v ? v : NULL;
	if (*out && (strlen(*out) > max || (allowed && strspn(*out, allowed) != strlen(*out)))) {
		char *msg = dd_arena_printf(&req->mem, "参数 %s 无效", name);
		http_fail(req, 400, "BAD_REQUEST", msg ? msg : "参数无效");
		return false;
	}
	return true;
}

#define DIGITS "0123456789"
#define WORD "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

dd_rc api_warnings_list(dd_http_req *req)
{
	dd_warning_query q = { 0 };
	const char *region;
	char prefix[13];
	http_page pg;
	dd_warning_rec *items = NULL;
	size_t n = 0;
	int64_t total = 0, by[3] = { 0, 0, 0 };
	dd_month m;
	const dd_policy *p = NULL;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!http_page_args(req, &pg) || !arg_ok(req, "month", DIGITS "-", 7, &q.f.month) ||
	    !arg_ok(req, "rule", WORD, 15, &q.f.rule) || !arg_ok(req, "level", WORD, 8, &q.f.level) ||
	    !arg_ok(req, "status", WORD, 16, &q.f.status) || !arg_ok(req, "region", DIGITS, 12, &region))
		return DD_OK;
	if (q.f.month && dd_month_parse(q.f.month, strlen(q.f.month), &m) != DD_OK)
		return http_fail(req, 400, "BAD_REQUEST", "month 应为 YYYY-MM");
	if (q.f.level && strcmp(q.f.level, "red") && strcmp(q.f.level, "yellow") && strcmp(q.f.level, "blue"))
		return http_fail(req, 400, "BAD_REQUEST", "level 应为 red、yellow 或 blue");
	q.offset = pg.offset;
	q.limit = pg.size;
	q.region = prefix;
	/* narrowed to the caller's scope; outside it nothing is visible */
	if (dd_http_scope_filter(&req->who, region, prefix))
		rc = dd_store_warnings_page(req->st, &q, &items, &n, &total, by, &req->mem, &err);
	if (rc == DD_OK)
		rc = http_policy(req->st, &p, &err);
	if (rc != DD_OK) {
		dd_log_error("读取预警失败：%s", err.msg);
		return rc;
	}
	/* written as text (jw.c): the same bytes as warning_json's tree, at a fraction of the cost */
	jw w;
	jw_init(&w, 16384);
	jw_lit(&w, "{");
	jw_key(&w, "total");
	jw_integer(&w, (long long)total);
	jw_key(&w, "page");
	jw_integer(&w, pg.page);
	jw_key(&w, "page_size");
	jw_integer(&w, pg.size);
	jw_key(&w, "items");
	jw_lit(&w, "[");
	for (size_t i = 0; i < n; i++)
		warning_text(&w, &items[i], p);
	jw_put_close(&w, ']');
	jw_key(&w, "counts");
	jw_lit(&w, "{");
	static const char *const levels[] = { "red", "yellow", "blue" };
	for (int l = 0; l < 3; l++) {
		jw_key(&w, levels[l]);
		jw_integer(&w, (long long)by[l]);
	}
	jw_put_close(&w, '}');
	jw_put_close(&w, '}');
	http_policy_release(p);
	return jw_reply(&w, req);
}

/* params[0] as a warning id; 0 when it is not a positive number. */
static int64_t param_id(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	return *s >= '1' && *s <= '9' && !*end && v > 0 ? v : 0;
}

/* locate() of /warnings/{id}: the warning's scope region (its household's, see store.h). */
dd_rc api_locate_warning(dd_http_req *req, const char **region)
{
	dd_warning_rec r;
	int64_t id = param_id(req->params[0]);
	dd_err err = { 0 };
	dd_rc rc = id ? dd_store_warning_get(req->st, id, &r, &req->mem, &err) : DD_ERR_NOTFOUND;

	*region = rc == DD_OK ? r.scope : NULL;
	if (rc == DD_ERR_NOTFOUND)
		rc = DD_OK;
	else if (rc != DD_OK)
		dd_log_error("读取预警失败：%s", err.msg);
	return rc;
}

/* The household of a warning, briefly: NULL when it has none or it is gone. */
static dd_rc household_summary(dd_http_req *req, const char *no, json_t **out, dd_err *err)
{
	int64_t id;
	dd_rc rc = no ? dd_store_household_id(req->st, no, &id, err) : DD_ERR_NOTFOUND;

	*out = NULL;
	if (rc == DD_OK)
		rc = dd_store_registry_open_one(req->st, id, &req->cur, err);
	if (rc == DD_OK)
		rc = dd_store_registry_next(req->cur, &req->rec, err);
	if (rc == DD_ERR_NOTFOUND || rc == DD_DONE)
		return DD_OK;
	if (rc != DD_OK)
		return rc;
	const dd_household *h = &req->rec->h;
	const char *head = NULL;
	char name[256];
	for (size_t i = 0; i < req->rec->nmembers; i++)
		if (h->head_id && !strcmp(req->rec->members[i].id.text, h->head_id))
			head = req->rec->members[i].name;
	dd_region_fullname(h->region_code, strlen(h->region_code), name, sizeof name);
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:o, s:o}", "household_no", h->household_no,
			 "region_code", h->region_code, "region_name", name, "head_name", dd_json_text(head),
			 "head_id", dd_json_id_masked(h->head_id), "categories", dd_json_categories(h->categories),
			 "members", (json_int_t)req->rec->nmembers, "address", dd_json_text(h->address),
			 "exited_on", dd_json_date(h->exited_on));
	return *out ? DD_OK : dd_err_set(err, DD_ERR_NOMEM, "内存不足");
}

dd_rc api_warning_get(dd_http_req *req)
{
	dd_warning_rec r;
	const dd_policy *p = NULL;
	json_t *o = NULL, *hh = NULL;
	dd_err err = { 0 };
	dd_rc rc = dd_store_warning_get(req->st, param_id(req->params[0]), &r, &req->mem, &err);

	if (rc == DD_OK)
		rc = http_policy(req->st, &p, &err);
	if (rc == DD_OK)
		rc = household_summary(req, r.w.household_no, &hh, &err);
	if (rc == DD_OK && (o = warning_json(&r, p))) {
		const dd_rule_cfg *c = dd_policy_rule(p, r.w.rule);
		const dd_compare_rule *b = dd_compare_rule_find(r.w.rule);
		json_object_set_new(o, "rule_description",
				    dd_json_text(b ? builtin_description(r.w.rule) : c ? c->description : NULL));
		json_object_set_new(o, "rule_type", dd_json_text(b ? b->type : NULL));
		json_object_set_new(o, "rule_reason", dd_json_text(b ? b->reason : NULL));
		json_object_set_new(o, "household", hh ? hh : json_null());
		hh = NULL;
	}
	json_decref(hh);
	http_policy_release(p);
	if (rc != DD_OK) {
		dd_log_error("读取预警失败：%s", err.msg);
		return rc;
	}
	return http_reply(req, 200, o);
}

/* ---- comparison runs ---- */

dd_rc api_compare_runs(dd_http_req *req)
{
	dd_compare_run_rec *runs;
	size_t n = 0;
	dd_err err = { 0 };
	dd_rc rc = dd_store_compare_runs(req->st, LATEST, &runs, &n, &req->mem, &err);
	json_t *a = json_array();

	if (rc != DD_OK) {
		json_decref(a);
		dd_log_error("读取比对记录失败：%s", err.msg);
		return rc;
	}
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:I}", "id", (json_int_t)runs[i].id,
						   "month", dd_json_text(runs[i].month),
						   "user", dd_json_text(runs[i].username),
						   "started_at", dd_json_text(runs[i].started_at),
						   "finished_at", dd_json_text(runs[i].finished_at),
						   "added", (json_int_t)runs[i].added, "found", (json_int_t)runs[i].found));
	return http_reply(req, 200, a);
}

/* Queues a job and answers 202 {"job"}. */
static dd_rc submit(dd_http_req *req, const http_job_spec *spec)
{
	http_jobs *jobs = http_server_jobs(req->srv);
	int64_t id;
	dd_err err = { 0 };
	dd_rc rc;

	if (!jobs)
		return http_fail(req, 503, "UNAVAILABLE", "后台任务未启动");
	if ((rc = http_job_submit(jobs, spec, &id, &err)) == DD_ERR_INPUT)
		return http_fail(req, 409, "CONFLICT", err.msg);
	if (rc != DD_OK)
		return rc;
	return http_reply(req, 202, json_pack("{s:I}", "job", (json_int_t)id));
}

/* A month string of a JSON body: "YYYY-MM" that parses, else NULL. */
static const char *month_of(json_t *in, const char *key)
{
	const char *m = json_string_value(json_object_get(in, key));
	dd_month v;
	return m && strlen(m) == 7 && dd_month_parse(m, 7, &v) == DD_OK ? m : NULL;
}

dd_rc api_compare_start(dd_http_req *req)
{
	json_t *in = http_body_object(req, NULL);
	const char *month = in ? month_of(in, "month") : NULL;
	dd_rc rc = DD_OK;

	if (in && !month)
		rc = http_fail(req, 400, "BAD_REQUEST", "需要 month（YYYY-MM）");
	else if (in)
		rc = submit(req, &(http_job_spec){ .kind = HTTP_JOB_COMPARE, .user = req->session.username,
						   .month = month });
	json_decref(in);
	return rc;
}

/* ---- uploads and imports ---- */

static const char *const upload_types[] = {
	"registry-households", "registry-members", "registry-obligors", "feed",
};

bool http_route_is_upload(const dd_http_route *r)
{
	return r && r->handle == api_import_upload;
}

/* The body arrived in req->upload_path (server.c): keep it as <id>.csv or <id>.xlsx. */
dd_rc api_import_upload(dd_http_req *req)
{
	const char *type = http_arg(req, "type"), *kind = http_arg(req, "kind");
	unsigned char rnd[16];
	char id[33], *path;
	bool known = false, xlsx = req->upload_bytes >= 4 && !memcmp(req->upload_head, "PK\3\4", 4);

	for (size_t i = 0; type && i < DD_ARRAY_LEN(upload_types); i++)
		known |= !strcmp(type, upload_types[i]);
	if (!known)
		return http_fail(req, 400, "BAD_REQUEST",
				 "type 应为 registry-households、registry-members、registry-obligors 或 feed");
	if (!strcmp(type, "feed") && kind && !dd_feed_kind_find(kind))
		return http_fail(req, 400, "BAD_REQUEST", "kind 不是已知的部门数据类型");
	if (req->upload_bytes == 0)
		return http_fail(req, 400, "BAD_REQUEST", "上传的文件为空");
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	path = dd_arena_printf(&req->mem, "%s/%s.%s", http_uploads_dir(req->srv), id, xlsx ? "xlsx" : "csv");
	if (!path)
		return DD_ERR_NOMEM;
	if (rename(req->upload_path, path) != 0) {
		dd_log_error("保存上传文件失败：%s", strerror(errno));
		return DD_ERR_IO;
	}
	req->upload_keep = true;
	int64_t rows = xlsx ? -1 : 0;
	if (!xlsx) {
		/* a guess for the UI: the lines after the header */
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		char buf[1 << 16];
		ssize_t got;
		while (fd >= 0 && (got = read(fd, buf, sizeof buf)) > 0)
			for (const char *q = buf; (q = memchr(q, '\n', (size_t)(buf + got - q))); q++)
				rows++;
		if (fd >= 0)
			close(fd);
		rows = rows > 0 ? rows - 1 : 0;
	}
	return http_reply(req, 201, json_pack("{s:s, s:s, s:I, s:o}", "upload", id, "name", strrchr(path, '/') + 1,
					      "bytes", (json_int_t)req->upload_bytes,
					      "rows_guess", rows >= 0 ? json_integer(rows) : json_null()));
}

/* The file of upload `id` (32 hex characters) in mem, NULL when there is none. */
static const char *upload_file(dd_http_req *req, const char *id)
{
	static const char *const ext[] = { "csv", "xlsx" };

	if (!id || strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32)
		return NULL;
	for (size_t i = 0; i < DD_ARRAY_LEN(ext); i++) {
		char *path = dd_arena_printf(&req->mem, "%s/%s.%s", http_uploads_dir(req->srv), id, ext[i]);
		if (path && access(path, R_OK) == 0)
			return path;
	}
	return NULL;
}

dd_rc api_import_run(dd_http_req *req)
{
	json_t *in = http_body_object(req, NULL);
	const char *type = in ? json_string_value(json_object_get(in, "type")) : NULL;
	http_job_spec spec = { .user = req->session.username };
	dd_rc rc = DD_OK;

	if (!in)
		return DD_OK;
	if (type && !strcmp(type, "feed")) {
		spec.kind = HTTP_JOB_FEED;
		spec.feed_kind = json_string_value(json_object_get(in, "kind"));
		spec.month = month_of(in, "month");
		spec.files[0] = upload_file(req, json_string_value(json_object_get(in, "upload")));
		if (!spec.feed_kind || !dd_feed_kind_find(spec.feed_kind))
			rc = http_fail(req, 400, "BAD_REQUEST", "kind 不是已知的部门数据类型");
		else if (!spec.month)
			rc = http_fail(req, 400, "BAD_REQUEST", "需要 month（YYYY-MM）");
		else if (!spec.files[0])
			rc = http_fail(req, 404, "NOT_FOUND", "没有这个上传文件");
		else
			rc = submit(req, &spec);
	} else if (type && !strcmp(type, "registry")) {
		static const char *const keys[] = { "households", "members", "obligors" };
		spec.kind = HTTP_JOB_REGISTRY;
		for (int i = 0; i < 3; i++)
			spec.files[i] = upload_file(req, json_string_value(json_object_get(in, keys[i])));
		if (!spec.files[0] || !spec.files[1] ||
		    (json_object_get(in, "obligors") && !json_is_null(json_object_get(in, "obligors")) && !spec.files[2]))
			rc = http_fail(req, 404, "NOT_FOUND", "没有这个上传文件（需要 households 和 members，obligors 可选）");
		else
			rc = submit(req, &spec);
	} else {
		rc = http_fail(req, 400, "BAD_REQUEST", "type 应为 feed 或 registry");
	}
	json_decref(in);
	return rc;
}

dd_rc api_imports_list(dd_http_req *req)
{
	dd_import_rec *im;
	size_t n = 0;
	dd_err err = { 0 };
	dd_rc rc = dd_store_imports_list(req->st, LATEST, &im, &n, &req->mem, &err);
	json_t *a = json_array();

	if (rc != DD_OK) {
		json_decref(a);
		dd_log_error("读取导入记录失败：%s", err.msg);
		return rc;
	}
	for (size_t i = 0; a && i < n; i++) {
		/* the server's paths are not shown: the file's name, and its error file's (io.h) */
		const char *slash = im[i].file ? strrchr(im[i].file, '/') : NULL;
		const char *file = slash ? slash + 1 : im[i].file;
		char *errfile = file && im[i].rejected > 0 ? dd_arena_printf(&req->mem, "%s.errors.csv", file) : NULL;
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
						   "id", (json_int_t)im[i].id, "kind", dd_json_text(im[i].kind),
						   "file", dd_json_text(file), "month", dd_json_text(im[i].month),
						   "user", dd_json_text(im[i].username),
						   "started_at", dd_json_text(im[i].started_at),
						   "finished_at", dd_json_text(im[i].finished_at),
						   "rows", im[i].rows >= 0 ? json_integer(im[i].rows) : json_null(),
						   "rejected", im[i].rejected >= 0 ? json_integer(im[i].rejected) : json_null(),
						   "errfile", dd_json_text(errfile)));
	}
	return http_reply(req, 200, a);
}

/* ---- jobs ---- */

dd_rc api_jobs_list(dd_http_req *req)
{
	http_jobs *jobs = http_server_jobs(req->srv);
	return http_reply(req, 200, jobs ? http_jobs_json(jobs) : json_array());
}

dd_rc api_job_get(dd_http_req *req)
{
	http_jobs *jobs = http_server_jobs(req->srv);
	json_t *o = jobs ? http_job_json(jobs, param_id(req->params[0])) : NULL;

	return o ? http_reply(req, 200, o) : http_fail(req, 404, "NOT_FOUND", "没有这个任务");
}

dd_rc api_job_errors(dd_http_req *req)
{
	http_jobs *jobs = http_server_jobs(req->srv);
	char path[1024];

	if (!jobs || !http_job_errfile(jobs, param_id(req->params[0]), path, sizeof path) ||
	    access(path, R_OK) != 0)
		return http_fail(req, 404, "NOT_FOUND", "该任务没有错误明细");
	if (!(req->raw_file = dd_arena_strdup(&req->mem, path)))
		return DD_ERR_NOMEM;
	req->status = 200;
	req->raw_type = "text/csv; charset=utf-8";
	req->disposition = dd_arena_printf(&req->mem, "attachment; filename=\"job-%s-errors.csv\"", req->params[0]);
	return DD_OK;
}
