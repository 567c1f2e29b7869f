/*
 * cmd_simulate.c - `doudi simulate --policy NEW.ini [--month YYYY-MM]
 * [--format table|csv|json]`: re-assesses the registry under the policy
 * stored in the database and under NEW.ini (dd_simulate, simulate.h) and
 * prints, per township and category, who would enter, leave or change
 * category and the monthly DB allowance before and after.
 */
#include "../core/dd.h"
#include "../assess/simulate.h"
#include "../core/policy.h"
#include "../core/region.h"
#include "cli.h"

#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {
	"township", "township_name", "category", "households_before", "households_after",
	"persons_before", "persons_after", "enter_households", "enter_persons", "leave_households",
	"leave_persons", "change_in_households", "change_in_persons", "change_out_households",
	"change_out_persons", "db_persons_before", "db_persons_after", "cost_before", "cost_after",
	"cost_diff",
};
#define NNUM 14   /* the counts after the first three columns */
#define NCOST 3

static void numbers(const dd_sim_row *r, int64_t v[NNUM])
{
	const int64_t n[NNUM] = {
		r->before[0], r->after[0], r->before[1], r->after[1], r->enter[0], r->enter[1],
		r->leave[0], r->leave[1], r->change_in[0], r->change_in[1], r->change_out[0],
		r->change_out[1], r->db_persons_before, r->db_persons_after,
	};
	memcpy(v, n, sizeof n);
}

static bool empty(const dd_sim_row *r)
{
	int64_t v[NNUM];
	numbers(r, v);
	for (size_t i = 0; i < NNUM; i++)
		if (v[i])
			return false;
	return !r->cost_before && !r->cost_after;
}

static void township_name(const char *code, char name[DD_REGION_NAME_MAX])
{
	dd_region reg;
	name[0] = '\0';
	if (*code && dd_region_lookup(code, strlen(code), &reg) == DD_OK)
		snprintf(name, DD_REGION_NAME_MAX, "%s", reg.name);
}

/* One row: table, csv, or appended to `items` as JSON. */
static void row(const char *format, const dd_sim_row *r, const char *category, json_t *items)
{
	char name[DD_REGION_NAME_MAX], cost[NCOST][32];
	int64_t v[NNUM];
	const char *township = *r->township ? r->township : "ALL";

	numbers(r, v);
	township_name(r->township, name);
	dd_money_format(r->cost_before, cost[0]);
	dd_money_format(r->cost_after, cost[1]);
	dd_money_format(r->cost_after - r->cost_before, cost[2]);
	if (!strcmp(format, "json")) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "township", township, "township_name", name,
				      "category", category);
		for (size_t i = 0; o && i < NNUM; i++)
			json_object_set_new(o, columns[3 + i], json_integer(v[i]));
		for (size_t i = 0; o && i < NCOST; i++)
			json_object_set_new(o, columns[3 + NNUM + i], json_string(cost[i]));
		json_array_append_new(items, o);
		return;
	}
	if (!strcmp(format, "csv")) {
		printf("%s,", township);
		csv_fwrite(stdout, name, strlen(name));
		printf(",%s", category);
	} else {
		printf("%-9s %-4s", township, category);
	}
	for (size_t i = 0; i < NNUM; i++)
		printf(!strcmp(format, "csv") ? ",%lld" : " %9lld", (long long)v[i]);
	for (size_t i = 0; i < NCOST; i++)
		printf(!strcmp(format, "csv") ? ",%s" : " %14s", cost[i]);
	if (strcmp(format, "csv"))
		printf("  %s", name);
	putchar('\n');
}

static void print(const char *format, const dd_sim_result *res, dd_month month)
{
	json_t *items = json_array();
	char m[8];

	dd_month_format(month, m);
	if (!strcmp(format, "csv")) {
		for (size_t i = 0; i < DD_ARRAY_LEN(columns); i++)
			printf("%s%s", i ? "," : "", columns[i]);
		putchar('\n');
	} else if (!strcmp(format, "table")) {
		printf("%s 政策模拟（现行政策 → 新政策），户/人，低保金为月额（元）\n%-9s %-4s", m, columns[0],
		       "类别");
		for (size_t i = 3; i < DD_ARRAY_LEN(columns); i++)
			printf(i < 3 + NNUM ? " %9.9s" : " %14s", columns[i]);
		printf("  %s\n", columns[1]);
	}
	for (size_t i = 0; i < res->nrows; i++)
		if (!empty(&res->rows[i]))
			row(format, &res->rows[i], dd_assess_code(res->rows[i].category), items);
	row(format, &res->total, "ALL", items);
	if (!strcmp(format, "json")) {
		json_t *root = json_pack("{s:s, s:I, s:I, s:o}", "month", m, "households",
					 (json_int_t)res->households, "skipped", (json_int_t)res->skipped,
					 "rows", json_incref(items));
		char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
		if (text)
			puts(text);
		free(text);
		json_decref(root);
	} else if (!strcmp(format, "table")) {
		printf("户数 %lld，无法评估 %lld\n", (long long)res->households, (long long)res->skipped);
	}
	json_decref(items);
}

int cmd_simulate(dd_cli *cli)
{
	const char *month_arg = NULL, *format = "table", *next_file = cli->policy;
	const dd_opt opts[] = { { "--month", &month_arg, NULL }, { "--format", &format, NULL } };
	dd_month month = dd_month_of(dd_date_today());
	dd_store *st = NULL;
	dd_registry_cursor *cur = NULL;
	dd_policy base, next;
	dd_sim_result res = { 0 };
	dd_err err = { 0 };
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (!next_file)
		return dd_cli_fail(cli, DD_ERR_USAGE,
				   "用法: doudi simulate --policy NEW.ini [--month YYYY-MM] [--format table|csv|json]");
	if (month_arg && dd_month_parse(month_arg, strlen(month_arg), &month) != DD_OK)
		return dd_cli_failf(cli, DD_ERR_USAGE, "--month 应为 YYYY-MM：%s", month_arg);
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table、csv 或 json");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		goto done;
	/* The base is the stored policy: dd_cli_policy reads it when no --policy is set. */
	cli->policy = NULL;
	ret = dd_cli_policy(cli, st, &base);
	cli->policy = next_file;
	if (ret != 0 || (ret = dd_cli_policy(cli, st, &next)) != 0)
		goto done;
	dd_date at = dd_month_first(month);
	/* the whole registry as one part, with only the fields the engine reads */
	if ((rc = dd_store_registry_open_part(st, at, false, 0, 1, DD_REGISTRY_ASSESS, &cur, &err)) !=
		    DD_OK ||
	    (rc = dd_simulate(&base, &next, at, dd_reassess_cursor, cur, &res, &err)) != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	if (res.skipped)
		fprintf(stderr, "doudi simulate: %lld 户无法评估，第一户 %s\n", (long long)res.skipped,
			res.first_skip);
	print(format, &res, month);
	ret = 0;
done:
	dd_sim_result_release(&res);
	dd_store_registry_close(cur);
	dd_store_close(st);
	return ret;
}
