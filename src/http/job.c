/*
 * job.c - the server's background jobs (docs/internals/http.md "Jobs"):
 * imports of uploaded files and comparison runs, too long for a request.
 *
 * One worker thread, owned by the server (dd_http_serve starts and stops
 * it), runs one job at a time with a store handle of its own; the others
 * wait in order.  Progress lives in memory under one mutex; the outcome is
 * also in the database (imports, compare_runs), written by the ingest and
 * compare modules exactly as the CLI writes it.  A job is all or nothing:
 * those modules commit once at the end, so a server killed mid-job leaves
 * the database as before the job.
 */
#include "../core/dd.h"
#include "../compare/compare.h"
#include "../ingest/ingest.h"
#include "http_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Jobs remembered; when full, the oldest finished one is forgotten. */
#define JOBS_KEEP 64

typedef enum { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED } job_state;
static const char *const state_code[] = { "queued", "running", "done", "failed" };

typedef struct job {
	int64_t id;                    /* 0: free slot */
	http_job_kind kind;
	char user[65], month[8], feed_kind[24];
	char *files[3];                /* malloc'ed; see http_job_spec */
	job_state state;
	char phase[64];
	int64_t rows[3];               /* rows read per file (imports) */
	int64_t done, total;           /* total 0: unknown */
	int64_t found;                 /* compare: candidates so far */
	int64_t created, t0_us, t1_us; /* Unix seconds; clock of start and end */
	char message[512];
	char *result;                  /* JSON text, malloc'ed; NULL until done */
	char errfile[1024];
} job;

struct http_jobs {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool started, stop;
	dd_store *st;                  /* the worker's own handle */
	int64_t next_id;
	job jobs[JOBS_KEEP];
};

static const char *const kind_code[] = { "compare", "import-feed", "import-registry" };

static void job_clear(job *j)
{
	for (int i = 0; i < 3; i++)
		free(j->files[i]);
	free(j->result);
	memset(j, 0, sizeof *j);
}

/* ---- progress (called on the worker or an ingest reading thread) ---- */

/* What a progress callback is given. */
typedef struct ctx {
	http_jobs *J;
	job *j;
} ctx;

static void import_progress(void *arg, int file, int64_t rows)
{
	job *j = ((ctx *)arg)->j;
	http_jobs *J = ((ctx *)arg)->J;

	pthread_mutex_lock(&J->mu);
	if (file >= 0 && file < 3)
		j->rows[file] = rows;
	j->done = j->rows[0] + j->rows[1] + j->rows[2];
	snprintf(j->message, sizeof j->message, "已读取 %lld 行", (long long)j->done);
	pthread_mutex_unlock(&J->mu);
}

static void compare_progress(void *arg, size_t i, size_t n, const char *rule, const dd_compare_result *r)
{
	job *j = ((ctx *)arg)->j;
	http_jobs *J = ((ctx *)arg)->J;

	pthread_mutex_lock(&J->mu);
	snprintf(j->phase, sizeof j->phase, "规则 %s", rule);
	j->done = (int64_t)i + (r ? 1 : 0);
	j->total = (int64_t)n;
	if (r)
		j->found += r->n.found;
	snprintf(j->message, sizeof j->message, "正在比对第 %zu/%zu 条规则 %s，已发现候选 %lld 条", i + 1, n,
		 rule, (long long)j->found);
	pthread_mutex_unlock(&J->mu);
}

static void set_phase(http_jobs *J, job *j, const char *phase, const char *message)
{
	pthread_mutex_lock(&J->mu);
	snprintf(j->phase, sizeof j->phase, "%s", phase);
	snprintf(j->message, sizeof j->message, "%s", message);
	pthread_mutex_unlock(&J->mu);
}

static void set_errfile(http_jobs *J, job *j, const char *path)
{
	pthread_mutex_lock(&J->mu);
	snprintf(j->errfile, sizeof j->errfile, "%s", path);
	pthread_mutex_unlock(&J->mu);
}

/* Data rows of a CSV file (lines after the header), for the progress total; 0 for XLSX or unreadable. */
static int64_t csv_rows(const char *path)
{
	size_t len = path ? strlen(path) : 0;
	char buf[1 << 16];
	int64_t lines = 0;
	ssize_t n;
	char last = '\n';
	int fd;

	if (len < 4 || strcmp(path + len - 4, ".csv") || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
			lines++;
		last = buf[n - 1];
	}
	close(fd);
	lines += last != '\n';
	return lines > 0 ? lines - 1 : 0;
}

/* ---- running one job ---- */

static dd_rc run_compare(http_jobs *J, job *j, json_t **result, dd_err *err)
{
	ctx arg = { J, j };
	const dd_policy *p = NULL;
	dd_compare_report *rep = malloc(sizeof *rep);
	dd_month m;
	dd_rc rc = rep ? http_policy(J->st, &p, err) : dd_err_set(err, DD_ERR_NOMEM, "内存不足");

	if (rc == DD_OK && dd_month_parse(j->month, strlen(j->month), &m) != DD_OK)
		rc = dd_err_set(err, DD_ERR_USAGE, "月份 %s 无效", j->month);
	if (rc == DD_OK)
		rc = dd_compare_run(J->st, p, j->user, m, compare_progress, &arg, rep, err);
	if (rc == DD_OK) {
		json_t *rules = json_array();
		for (size_t i = 0; rules && i < rep->nrules; i++) {
			const dd_compare_result *r = &rep->rules[i];
			json_array_append_new(rules, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "rule", r->rule,
							       "level", r->level, "found", (json_int_t)r->n.found,
							       "added", (json_int_t)r->n.added, "open",
							       (json_int_t)r->n.open, "skipped",
							       (json_int_t)r->n.skipped));
		}
		*result = json_pack("{s:I, s:s, s:o, s:I}", "run_id", (json_int_t)rep->run_id, "month", j->month,
				    "rules", rules, "ms", (json_int_t)(rep->us / 1000));
	}
	http_policy_release(p);
	free(rep);
	return rc;
}

static dd_rc run_feed(http_jobs *J, job *j, json_t **result, dd_err *err)
{
	ctx arg = { J, j };
	dd_feed_in in = { .kind = j->feed_kind, .month = j->month, .file = j->files[0], .user = j->user,
			  .progress = import_progress, .progress_arg = &arg };
	dd_feed_result res = { 0 };
	dd_rc rc = dd_ingest_feed(J->st, &in, &res, err);

	set_errfile(J, j, res.errfile);
	import_progress(&arg, 0, res.rows + res.rejected);   /* the exact count at the end */
	if (rc == DD_OK)
		*result = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "kind", j->feed_kind, "month", j->month,
				    "rows", (json_int_t)res.rows, "rejected", (json_int_t)res.rejected,
				    "stored", (json_int_t)res.stored, "batch_id", (json_int_t)res.batch_id,
				    "replaced", (json_int_t)res.replaced);
	return rc;
}

static dd_rc run_registry(http_jobs *J, job *j, json_t **result, dd_err *err)
{
	ctx arg = { J, j };
	dd_registry_files in = { .households = j->files[0], .members = j->files[1], .obligors = j->files[2],
				 .user = j->user, .progress = import_progress, .progress_arg = &arg };
	dd_registry_result res = { 0 };
	char *county = NULL;
	dd_rc rc = dd_store_meta_get(J->st, "county_code", &county, err);

	if (rc == DD_OK || rc == DD_ERR_NOTFOUND) {
		in.county_code = county;
		rc = dd_ingest_registry(J->st, &in, &res, err);
	}
	import_progress(&arg, 0, res.households);   /* the exact counts at the end */
	import_progress(&arg, 1, res.members);
	import_progress(&arg, 2, res.obligors + res.rejected);
	/* the first error file is the job's (households, then members, then obligors) */
	for (int i = 0; i < 3 && !j->errfile[0]; i++)
		if (res.errfiles[i][0])
			set_errfile(J, j, res.errfiles[i]);
	if (rc == DD_OK)
		*result = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
				    "households", (json_int_t)res.households, "members", (json_int_t)res.members,
				    "obligors", (json_int_t)res.obligors, "rejected", (json_int_t)res.rejected,
				    "hh_inserted", (json_int_t)res.hh_inserted, "hh_updated",
				    (json_int_t)res.hh_updated, "mb_inserted", (json_int_t)res.mb_inserted,
				    "mb_updated", (json_int_t)res.mb_updated, "members_left",
				    (json_int_t)res.members_left, "bad_check_ids", (json_int_t)res.bad_check_ids,
				    "files_with_errors",
				    (json_int_t)(!!res.errfiles[0][0] + !!res.errfiles[1][0] + !!res.errfiles[2][0]));
	free(county);
	return rc;
}

static void run(http_jobs *J, job *j)
{
	json_t *result = NULL;
	dd_err err = { 0 };
	dd_rc rc;

	if (j->kind == HTTP_JOB_COMPARE) {
		set_phase(J, j, "比对", "正在比对");
		rc = run_compare(J, j, &result, &err);
	} else {
		set_phase(J, j, "统计行数", "正在统计文件行数");
		int64_t total = csv_rows(j->files[0]) + csv_rows(j->files[1]) + csv_rows(j->files[2]);
		pthread_mutex_lock(&J->mu);
		j->total = total;
		pthread_mutex_unlock(&J->mu);
		set_phase(J, j, "导入", "正在读取、校验并写入数据库");
		rc = j->kind == HTTP_JOB_FEED ? run_feed(J, j, &result, &err) : run_registry(J, j, &result, &err);
	}
	if (rc == DD_OK && !result)
		rc = dd_err_set(&err, DD_ERR_NOMEM, "内存不足");
	char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
	json_decref(result);
	if (rc != DD_OK)
		dd_log_error("后台任务 %lld 失败：%s", (long long)j->id, err.msg);
	pthread_mutex_lock(&J->mu);
	j->t1_us = dd_clock_us();
	j->state = rc == DD_OK ? JOB_DONE : JOB_FAILED;
	j->result = text;
	snprintf(j->phase, sizeof j->phase, "%s", rc == DD_OK ? "完成" : "失败");
	snprintf(j->message, sizeof j->message, "%s", rc == DD_OK ? "已完成" : err.msg);
	if (j->kind != HTTP_JOB_COMPARE && rc == DD_OK)
		j->total = j->done;
	pthread_mutex_unlock(&J->mu);
}

/* The oldest queued job, or NULL.  Under the mutex. */
static job *next_queued(http_jobs *J)
{
	job *best = NULL;
	for (int i = 0; i < JOBS_KEEP; i++)
		if (J->jobs[i].id && J->jobs[i].state == JOB_QUEUED && (!best || J->jobs[i].id < best->id))
			best = &J->jobs[i];
	return best;
}

static void *worker(void *arg)
{
	http_jobs *J = arg;
	job *j;

	pthread_mutex_lock(&J->mu);
	for (;;) {
		while (!J->stop && !(j = next_queued(J)))
			pthread_cond_wait(&J->cv, &J->mu);
		if (J->stop)
			break;
		j->state = JOB_RUNNING;
		j->t0_us = dd_clock_us();
		/* a running job's slot is never reused, so it is safe to use unlocked */
		pthread_mutex_unlock(&J->mu);
		run(J, j);
		pthread_mutex_lock(&J->mu);
	}
	pthread_mutex_unlock(&J->mu);
	return NULL;
}

/* ---- the interface (http_int.h) ---- */

dd_rc http_jobs_start(http_jobs **out, const char *db, dd_err *err)
{
	http_jobs *J = calloc(1, sizeof *J);
	dd_rc rc;

	*out = NULL;
	if (!J)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	pthread_mutex_init(&J->mu, NULL);
	pthread_cond_init(&J->cv, NULL);
	J->next_id = 1;
	if ((rc = dd_store_open(&J->st, db, false, err)) == DD_OK) {
		if (pthread_create(&J->thread, NULL, worker, J) == 0)
			J->started = true;
		else
			rc = dd_err_set(err, DD_ERR_IO, "无法启动后台任务线程");
	}
	if (rc != DD_OK)
		http_jobs_stop(J);
	else
		*out = J;
	return rc;
}

void http_jobs_stop(http_jobs *J)
{
	if (!J)
		return;
	pthread_mutex_lock(&J->mu);
	J->stop = true;
	pthread_cond_broadcast(&J->cv);
	pthread_mutex_unlock(&J->mu);
	/* a running job finishes first (its commit is all or nothing); queued ones are dropped */
	if (J->started)
		pthread_join(J->thread, NULL);
	for (int i = 0; i < JOBS_KEEP; i++)
		job_clear(&J->jobs[i]);
	dd_store_close(J->st);
	pthread_mutex_destroy(&J->mu);
	pthread_cond_destroy(&J->cv);
	free(J);
}

dd_rc http_job_submit(http_jobs *J, const http_job_spec *spec, int64_t *id, dd_err *err)
{
	job *slot = NULL;
	dd_rc rc = DD_OK;

	pthread_mutex_lock(&J->mu);
	for (int i = 0; i < JOBS_KEEP && (!slot || slot->id); i++) {
		job *j = &J->jobs[i];
		bool finished = j->state == JOB_DONE || j->state == JOB_FAILED;
		if (!j->id || (finished && (!slot || j->id < slot->id)))
			slot = j;
	}
	if (!slot) {
		rc = dd_err_set(err, DD_ERR_INPUT, "排队的后台任务过多，请稍后再试");
		goto done;
	}
	job_clear(slot);
	for (int i = 0; i < 3; i++)
		if (spec->files[i] && !(slot->files[i] = strdup(spec->files[i])))
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if (rc != DD_OK) {
		job_clear(slot);
		goto done;
	}
	slot->kind = spec->kind;
	snprintf(slot->user, sizeof slot->user, "%s", spec->user);
	snprintf(slot->month, sizeof slot->month, "%s", spec->month ? spec->month : "");
	snprintf(slot->feed_kind, sizeof slot->feed_kind, "%s", spec->feed_kind ? spec->feed_kind : "");
	snprintf(slot->phase, sizeof slot->phase, "排队");
	snprintf(slot->message, sizeof slot->message, "等待前面的任务完成");
	slot->created = (int64_t)time(NULL);
	slot->state = JOB_QUEUED;
	*id = slot->id = J->next_id++;
	pthread_cond_broadcast(&J->cv);
done:
	pthread_mutex_unlock(&J->mu);
	return rc;
}

/* The JSON of job j (api.md GET /jobs/{id}).  Under the mutex. */
static json_t *job_json(const job *j)
{
	int64_t end = j->t1_us ? j->t1_us : dd_clock_us(), us = j->t0_us ? end - j->t0_us : 0;
	json_t *result = j->result ? json_loads(j->result, 0, NULL) : NULL;
	char url[64], created[32];
	struct tm tm;
	time_t t = (time_t)j->created;

	snprintf(url, sizeof url, "/api/v1/jobs/%lld/errors.csv", (long long)j->id);
	gmtime_r(&t, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:I, s:I, s:s, s:o, s:o, s:s}",
			 "id", (json_int_t)j->id, "kind", kind_code[j->kind], "user", j->user,
			 "state", state_code[j->state], "phase", j->phase, "done", (json_int_t)j->done,
			 "total", j->total > 0 ? json_integer(j->total) : json_null(),
			 /* per second, whole units of `done` */
			 "rate", (json_int_t)(us > 0 ? j->done * 1000000 / us : 0), "elapsed_ms", (json_int_t)(us / 1000),
			 "message", j->message, "result", result ? result : json_null(),
			 "errfile_url", j->errfile[0] ? json_string(url) : json_null(), "created_at", created);
}

json_t *http_job_json(http_jobs *J, int64_t id)
{
	json_t *o = NULL;

	pthread_mutex_lock(&J->mu);
	for (int i = 0; i < JOBS_KEEP && !o; i++)
		if (id > 0 && J->jobs[i].id == id)
			o = job_json(&J->jobs[i]);
	pthread_mutex_unlock(&J->mu);
	return o;
}

json_t *http_jobs_json(http_jobs *J)
{
	json_t *a = json_array();
	int64_t below = INT64_MAX;

	pthread_mutex_lock(&J->mu);
	/* newest first: repeatedly the largest id below the last one */
	for (int k = 0; a && k < JOBS_KEEP; k++) {
		const job *best = NULL;
		for (int i = 0; i < JOBS_KEEP; i++)
			if (J->jobs[i].id && J->jobs[i].id < below && (!best || J->jobs[i].id > best->id))
				best = &J->jobs[i];
		if (!best)
			break;
		json_array_append_new(a, job_json(best));
		below = best->id;
	}
	pthread_mutex_unlock(&J->mu);
	return a;
}

bool http_job_errfile(http_jobs *J, int64_t id, char *path, size_t size)
{
	bool found = false;

	pthread_mutex_lock(&J->mu);
	for (int i = 0; i < JOBS_KEEP && !found; i++)
		if (id > 0 && J->jobs[i].id == id && J->jobs[i].errfile[0])
			found = (size_t)snprintf(path, size, "%s", J->jobs[i].errfile) < size;
	pthread_mutex_unlock(&J->mu);
	return found;
}
