/*
 * cmd_assess_all.c - `doudi assess --all [--month YYYY-MM] [--format table|csv|json]`:
 * re-assesses every current household of the registry on the first day of
 * the month and lists those whose computed category differs from the
 * recorded one (simulate.h: dd_reassess_*), with the trace line that
 * decides it, then counts per (recorded → computed).  Dispatched from
 * cmd_assess when --all is given.
 */
#include "../core/dd.h"
#include "../assess/simulate.h"
#include "../core/policy.h"
#include "cli.h"

#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The code of a rank (dd_reassess_rank). */
static const char *rank_code(size_t i)
{
	return dd_assess_code(i < DD_ARRAY_LEN(dd_categories) ? dd_categories[i].bit : 0);
}

typedef struct run {
	const char *format;
	int64_t households, skipped, differences;
	int64_t pairs[DD_REASSESS_NRANK][DD_REASSESS_NRANK];   /* [recorded][computed] differences */
	json_t *items;                 /* json only */
} run;

/* One difference: printed at once (table, csv) or kept (json). */
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
		printf("%s,%s,%s,%s,%s,%s,", no, region, rec, comp, step, s->passed ? "true" : "false");
		csv_fwrite(stdout, s->why, strlen(s->why));
		putchar('\n');
		return DD_OK;
	}
	printf("%-16s %-12s %-4s → %-4s  %s%s：%s\n", no, region, rec, comp, step, s->passed ? "通过" : "未通过",
	       s->why);
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

int cmd_assess_all(dd_cli *cli)
{
	const char *month_arg = NULL, *format = "table";
	bool all = false;
	const dd_opt opts[] = { { "--all", NULL, &all }, { "--month", &month_arg, NULL },
				{ "--format", &format, NULL } };
	dd_month month = dd_month_of(dd_date_today());
	dd_store *st = NULL;
	dd_registry_cursor *cur = NULL;
	const dd_registry_rec *rec;
	dd_assessment *a = NULL;
	dd_policy policy;
	run r = { 0 };
	dd_err err = { 0 }, why = { 0 };
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (month_arg && dd_month_parse(month_arg, strlen(month_arg), &month) != DD_OK)
		return dd_cli_failf(cli, DD_ERR_USAGE, "--month 应为 YYYY-MM：%s", month_arg);
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table、csv 或 json");
	r.format = format;
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0 || (ret = dd_cli_policy(cli, st, &policy)) != 0)
		goto done;
	dd_date at = dd_month_first(month);
	int y = dd_month_year(month);
	if (!dd_policy_standards(&policy, y)) {
		ret = dd_cli_failf(cli, DD_ERR_INPUT, "政策参数中没有 %d 年或更早年度的标准（[standards.%d]）", y, y);
		goto done;
	}
	if (!(a = malloc(sizeof *a)) || !(r.items = json_array())) {
		ret = dd_cli_fail(cli, DD_ERR_NOMEM, "内存不足");
		goto done;
	}
	if ((rc = dd_store_registry_open(st, at, false, &cur, &err)) != DD_OK)
		goto fail;
	if (!strcmp(format, "csv"))
		puts("household_no,region_code,recorded,computed,trace_category,trace_passed,trace_why");
	while ((rc = dd_store_registry_next(cur, &rec, &err)) == DD_OK) {
		r.households++;
		if (dd_assess(&policy, &rec->h, rec->members, rec->nmembers, rec->obligors, rec->nobligors, at,
			      a, &why) != DD_OK) {
			if (!r.skipped++)
				fprintf(stderr, "doudi assess: 户 %s 无法评估：%s\n",
					rec->h.household_no ? rec->h.household_no : "", why.msg);
			continue;
		}
		unsigned recorded = dd_reassess_recorded(rec->h.categories);
		if (!dd_reassess_differs(recorded, a->category))
			continue;
		r.differences++;
		r.pairs[dd_reassess_rank(recorded)][dd_reassess_rank(a->category)]++;
		if (emit(&r, &rec->h, recorded, a) != DD_OK) {
			rc = dd_err_set(&err, DD_ERR_NOMEM, "内存不足");
			goto fail;
		}
	}
	if (rc != DD_DONE)
		goto fail;
	summary(&r, month);
	ret = 0;
	goto done;
fail:
	ret = dd_cli_fail(cli, rc, err.msg);
done:
	dd_store_registry_close(cur);
	dd_store_close(st);
	json_decref(r.items);
	free(a);
	return ret;
}
