/* cmd_compare.c - `doudi compare --month YYYY-MM` (FORMATS.md §5, DOMAIN.md §4). */
#include "../core/dd.h"
#include "../core/policy.h"
#include "../compare/compare.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The progress line on a terminal's stderr: phase, rows found so far, rate. */
typedef struct progress {
	int64_t t0;
	int64_t found;
} progress;

static void show(void *arg, size_t i, size_t n, const char *rule, const dd_compare_result *r)
{
	progress *p = arg;
	int64_t us = dd_clock_us() - p->t0;

	if (r)
		p->found += r->n.found;
	fprintf(stderr, "\r比对 [%zu/%zu] %-4s %s  候选 %lld 条  %.1f 秒  %.0f 条/秒\033[K",
		i + 1, n, rule, r ? "完成" : "进行中", (long long)p->found, (double)us / 1e6,
		us > 0 ? (double)p->found * 1e6 / (double)us : 0.0);
	if (r && i + 1 == n)
		fputc('\n', stderr);
}

int cmd_compare(dd_cli *cli)
{
	const char *month = NULL;
	const dd_opt opts[] = { { "--month", &month, NULL } };
	dd_store *st = NULL;
	dd_policy pol;
	dd_compare_report rep;
	dd_err err = { 0 };
	dd_month m;
	progress pr = { dd_clock_us(), 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (!month || dd_month_parse(month, strlen(month), &m) != DD_OK)
		return dd_cli_fail(cli, DD_ERR_USAGE, "需要 --month YYYY-MM");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	if ((ret = dd_cli_policy(cli, st, &pol)) != 0)
		goto done;
	dd_rc rc = dd_compare_run(st, &pol, cli->user, m, isatty(2) ? show : NULL, &pr, &rep, &err);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	for (size_t i = 0; i < rep.nrules; i++) {
		const dd_compare_result *r = &rep.rules[i];
		printf("%s %s new=%lld open=%lld\n", r->rule, r->level, (long long)r->n.added,
		       (long long)r->n.open);
		if (r->n.skipped)
			fprintf(stderr, "doudi compare: 规则 %s 有 %lld 行无有效身份证号或户编号不存在，已跳过\n",
				r->rule, (long long)r->n.skipped);
	}
	if (isatty(2)) {
		fprintf(stderr, "%-5s %-6s %8s %8s %8s %8s\n", "规则", "等级", "候选", "新增", "未关闭", "毫秒");
		for (size_t i = 0; i < rep.nrules; i++) {
			const dd_compare_result *r = &rep.rules[i];
			fprintf(stderr, "%-5s %-6s %8lld %8lld %8lld %8lld\n", r->rule, r->level,
				(long long)r->n.found, (long long)r->n.added, (long long)r->n.open,
				(long long)(r->us / 1000));
		}
		fprintf(stderr, "比对 %s 完成：%.2f 秒（运行编号 %lld）\n", month, (double)rep.us / 1e6,
			(long long)rep.run_id);
	}
done:
	dd_store_close(st);
	return ret;
}
