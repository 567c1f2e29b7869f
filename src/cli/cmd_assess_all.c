/*
 * cmd_assess_all.c - `doudi assess --all [--month YYYY-MM] [--format table|csv|json] [--threads N]`:
 * re-assesses every current household of the registry on the first day of
 * the month and lists those whose computed category differs from the
 * recorded one (simulate.h: dd_reassess_*), with the trace line that
 * decides it, then counts per (recorded → computed).  Dispatched from
 * cmd_assess when --all is given.
 *
 * Speed (bench/RESULTS.md, "assess"): the registry is read in N row-id
 * parts (dd_store_registry_open_part), each on its own thread with its own
 * store handle (N = --threads, default the number of cores, at most
 * MAX_THREADS).  Each part assesses without the trace texts (dd_assess_ex)
 * and writes the trace only for the households it lists, into its own
 * output; the parts' outputs are printed in part order, so the listing is
 * in row-id order and the same for any N.
 */
#include "../core/dd.h"
#include "../assess/simulate.h"
#include "../core/policy.h"
#include "cli.h"

#include <csv.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 8

/* The code of a rank (dd_reassess_rank). */
static const char *rank_code(size_t i)
{
	return dd_assess_code(i < DD_ARRAY_LEN(dd_categories) ? dd_categories[i].bit : 0);
}

/* One part of the registry, scanned by one thread; part 0's counts end up summed over all. */
typedef struct run {
	const char *format;
	const dd_policy *policy;
	dd_date at;
	dd_store *st;                  /* this part's own handle */
	int part, nparts;
	int64_t households, skipped, differences;
	int64_t pairs[DD_REASSESS_NRANK][DD_REASSESS_NRANK];   /* [recorded][computed] differences */
	json_t *items;                 /* json: the listed households */
	FILE *out;                     /* table, csv: the listed lines, into text/len */
	char *text;
	size_t len;
	char first_skip[640];          /* the first household the engine refused, and why */
	dd_rc rc;
	dd_err err;
	dd_assessment a;
} run;

/* One difference: a table or csv line into r->out, or a json item. */
static dd_rc emit(run *r, const dd_household *h, unsigned recorded, const dd_assessment *a)
{
	const dd_assess_step *s = &a->trace[dd_reassess_decisive(recorded, a->category)];
	const char *rec = dd_assess_code(recorded), *comp = dd_assess_code(a->category);
	const char *no = h->household_no ? h->household_no : "", *region = h->region_code ? h->region_code : "";
	const char *step = dd_assess_code(s->category);

	if (!strcmp(r->format, "json")) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:b, s:s}}", "household_no", no,
				      "region_code", region, "recorded", rec, "computed", comp, "trace",
				      "category", step, "passed", s->passed, "why", s->why);
		return o && json_array_append_new(r->items, o) == 0 ? DD_OK : DD_ERR_NOMEM;
	}
	if (!strcmp(r->format, "csv")) {
		fprintf(r->out, "%s,%s,%s,%s,%s,%s,", no, region, rec, comp, step, s->passed ? "true" : "false");
		csv_fwrite(r->out, s->why, strlen(s->why));
		fputc('\n', r->out);
	} else {
		fprintf(r->out, "%-16s %-12s %-4s → %-4s  %s%s：%s\n", no, region, rec, comp, step,
			s->passed ? "通过" : "未通过", s->why);
	}
	return ferror(r->out) ? DD_ERR_NOMEM : DD_OK;
}

/* Assesses one household: counted, and listed (with its trace) when it differs. */
static dd_rc check(run *r, const dd_registry_rec *rec)
{
	const dd_household *h = &rec->h;
	dd_err why = { 0 };

	r->households++;
	if (dd_assess_ex(r->policy, h, rec->members, rec->nmembers, rec->obligors, rec->nobligors, r->at,
			 false, &r->a, &why) != DD_OK) {
		if (!r->skipped++)
			snprintf(r->first_skip, sizeof r->first_skip, "户 %.100s 无法评估：%s",
				 h->household_no ? h->household_no : "", why.msg);
		return DD_OK;
	}
	unsigned recorded = dd_reassess_recorded(h->categories);
	if (!dd_reassess_differs(recorded, r->a.category))
		return DD_OK;
	r->differences++;
	r->pairs[dd_reassess_rank(recorded)][dd_reassess_rank(r->a.category)]++;
	/* the same input passed the fast path, so the full one cannot refuse it */
	dd_rc rc = dd_assess(r->policy, h, rec->members, rec->nmembers, rec->obligors, rec->nobligors, r->at,
			     &r->a, &r->err);
	if (rc == DD_OK && (rc = emit(r, h, recorded, &r->a)) != DD_OK)
		dd_err_set(&r->err, rc, "内存不足");
	return rc;
}

/* A thread: scans part r->part of the registry into r; r->rc says how it ended. */
static void *scan(void *arg)
{
	run *r = arg;
	dd_registry_cursor *cur = NULL;
	const dd_registry_rec *rec;
	dd_rc rc = dd_store_registry_open_part(r->st, r->at, false, r->part, r->nparts,
						DD_REGISTRY_ASSESS, &cur, &r->err);

	while (rc == DD_OK && (rc = dd_store_registry_next(cur, &rec, &r->err)) == DD_OK)
		rc = check(r, rec);
	dd_store_registry_close(cur);
	r->rc = rc == DD_DONE ? DD_OK : rc;
	return NULL;
}

/* Adds part p's counts and output to r (part 0); p's output is printed here for table and csv. */
static dd_rc merge(run *r, run *p)
{
	if (p != r) {
		r->households += p->households;
		r->differences += p->differences;
		if (!r->skipped && p->skipped)
			memcpy(r->first_skip, p->first_skip, sizeof r->first_skip);
		r->skipped += p->skipped;
		for (size_t i = 0; i < DD_REASSESS_NRANK; i++)
			for (size_t j = 0; j < DD_REASSESS_NRANK; j++)
				r->pairs[i][j] += p->pairs[i][j];
		if (json_array_extend(r->items, p->items) != 0)
			return DD_ERR_NOMEM;
	}
	if (fflush(p->out) != 0)
		return DD_ERR_NOMEM;
	fwrite(p->text, 1, p->len, stdout);
	return DD_OK;
}

static void summary(run *r, dd_month month)
{
	char m[8];
	dd_month_format(month, m);
	if (!strcmp(r->format, "json")) {
		json_t *pairs = json_array();
		for (size_t i = 0; i < DD_REASSESS_NRANK; i++)
			for (size_t j = 0; j < DD_REASSESS_NRANK; j++)
				if (r->pairs[i][j])
					json_array_append_new(pairs, json_pack("{s:s, s:s, s:I}", "recorded",
						rank_code(i), "computed",
						rank_code(j), "households",
						(json_int_t)r->pairs[i][j]));
		json_t *root = json_pack("{s:s, s:I, s:I, s:I, s:o, s:o}", "month", m, "households",
					 (json_int_t)r->households, "skipped", (json_int_t)r->skipped,
					 "differences", (json_int_t)r->differences, "summary", pairs, "items",
					 json_incref(r->items));
		char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
		if (text)
			puts(text);
		free(text);
		json_decref(root);
		return;
	}
	if (!strcmp(r->format, "csv"))
		return;
	printf("\n%s 复核：户数 %lld，类别不一致 %lld，无法评估 %lld\n", m, (long long)r->households,
	       (long long)r->differences, (long long)r->skipped);
	for (size_t i = 0; i < DD_REASSESS_NRANK; i++)
		for (size_t j = 0; j < DD_REASSESS_NRANK; j++)
			if (r->pairs[i][j])
				printf("  %-4s → %-4s  %lld\n", rank_code(i),
				       rank_code(j), (long long)r->pairs[i][j]);
}

/* --threads, or the number of cores; 1..MAX_THREADS, 0 when the text is not such a number. */
static int thread_count(const char *arg)
{
	long n = arg ? 0 : sysconf(_SC_NPROCESSORS_ONLN);
	if (arg) {
		char *end;
		n = strtol(arg, &end, 10);
		if (*end || end == arg || n < 1 || n > MAX_THREADS)
			return 0;
	}
	return (int)DD_MAX(1, DD_MIN(n, MAX_THREADS));
}

int cmd_assess_all(dd_cli *cli)
{
	const char *month_arg = NULL, *format = "table", *threads_arg = NULL;
	bool all = false;
	const dd_opt opts[] = { { "--all", NULL, &all }, { "--month", &month_arg, NULL },
				{ "--format", &format, NULL }, { "--threads", &threads_arg, NULL } };
	dd_month month = dd_month_of(dd_date_today());
	dd_policy policy;
	run *runs = NULL;
	pthread_t tid[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	int n, k, ret;
	dd_rc rc = DD_OK;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (month_arg && dd_month_parse(month_arg, strlen(month_arg), &month) != DD_OK)
		return dd_cli_failf(cli, DD_ERR_USAGE, "--month 应为 YYYY-MM：%s", month_arg);
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table、csv 或 json");
	if (!(n = thread_count(threads_arg)))
		return dd_cli_failf(cli, DD_ERR_USAGE, "--threads 应为 1 至 %d 的整数", MAX_THREADS);
	if (!(runs = calloc((size_t)n, sizeof *runs)))
		return dd_cli_fail(cli, DD_ERR_NOMEM, "内存不足");
	for (k = 0; k < n; k++) {
		runs[k] = (run){ .format = format, .policy = &policy, .part = k, .nparts = n };
		runs[k].items = json_array();
		runs[k].out = open_memstream(&runs[k].text, &runs[k].len);
		if (!runs[k].items || !runs[k].out) {
			ret = dd_cli_fail(cli, DD_ERR_NOMEM, "内存不足");
			goto done;
		}
		if ((ret = dd_cli_open_store(cli, false, &runs[k].st)) != 0)
			goto done;
	}
	if ((ret = dd_cli_policy(cli, runs[0].st, &policy)) != 0)
		goto done;
	int y = dd_month_year(month);
	if (!dd_policy_standards(&policy, y)) {
		ret = dd_cli_failf(cli, DD_ERR_INPUT, "政策参数中没有 %d 年或更早年度的标准（[standards.%d]）", y, y);
		goto done;
	}
	for (k = 0; k < n; k++)
		runs[k].at = dd_month_first(month);
	/* part 0 on this thread; a part whose thread cannot start runs here too */
	for (k = 1; k < n; k++)
		started[k] = pthread_create(&tid[k], NULL, scan, &runs[k]) == 0;
	scan(&runs[0]);
	for (k = 1; k < n; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		else
			scan(&runs[k]);
	}
	for (k = 0; k < n; k++)
		if (runs[k].rc != DD_OK) {
			ret = dd_cli_fail(cli, runs[k].rc, runs[k].err.msg);
			goto done;
		}
	if (!strcmp(format, "csv"))
		puts("household_no,region_code,recorded,computed,trace_category,trace_passed,trace_why");
	for (k = 0; k < n && rc == DD_OK; k++)
		rc = merge(&runs[0], &runs[k]);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, "内存不足");
		goto done;
	}
	if (runs[0].skipped)
		fprintf(stderr, "doudi assess: %s\n", runs[0].first_skip);
	summary(&runs[0], month);
	ret = 0;
done:
	for (k = 0; k < n; k++) {
		dd_store_close(runs[k].st);
		json_decref(runs[k].items);
		if (runs[k].out)
			fclose(runs[k].out);
		free(runs[k].text);
	}
	free(runs);
	return ret;
}
