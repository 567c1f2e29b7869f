/*
 * cmd_feed.c - `doudi feed import KIND --month YYYY-MM FILE [--strict]`
 * (FORMATS.md §3), and its several-batch form
 * `doudi feed import KIND --month M FILE [[KIND] --month M FILE]... [--strict]`:
 * all batches in one process and one transaction (docs/internals/feeds.md).
 */
#include "../core/dd.h"
#include "../ingest/ingest.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"用法：doudi feed import KIND --month YYYY-MM FILE [[KIND] --month YYYY-MM FILE]... [--strict]";

/* The value of a --month argument at argv[*i] ("--month M" or "--month=M"), or NULL when it is not one. */
static const char *month_arg(dd_cli *cli, int *i, bool *missing)
{
	const char *a = cli->argv[*i];

	*missing = false;
	if (strncmp(a, "--month", 7) || (a[7] && a[7] != '='))
		return NULL;
	if (a[7] == '=')
		return a + 8;
	if (*i + 1 < cli->argc)
		return cli->argv[++*i];
	*missing = true;
	return NULL;
}

/*
 * The batches named by the arguments into in[0..*n) (in has room for argc
 * entries).  One --month: the original form, options anywhere.  Several:
 * groups `[KIND] --month M FILE` in order, a group without KIND taking the
 * previous one's.
 */
static dd_rc parse_batches(dd_cli *cli, dd_feed_in *in, size_t *n, bool *strict)
{
	const char *kind = NULL, *month = NULL;
	bool group_kind = false, missing;
	int months = 0;

	*n = 0;
	for (int i = 0; i < cli->argc; i++)
		months += month_arg(cli, &i, &missing) != NULL;
	if (months < 2) {
		const char *pos[2];
		size_t npos = 0;
		const dd_opt opts[] = {
			{ "--month", &month, NULL },
			{ "--strict", NULL, strict },
		};
		if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 2, &npos) != DD_OK)
			return DD_ERR_USAGE;
		if (npos != 2 || !month) {
			dd_cli_fail(cli, DD_ERR_USAGE, usage);
			return DD_ERR_USAGE;
		}
		in[(*n)++] = (dd_feed_in){ .kind = pos[0], .month = month, .file = pos[1] };
		return DD_OK;
	}
	for (int i = 0; i < cli->argc; i++) {
		const char *a = cli->argv[i], *m = month_arg(cli, &i, &missing);
		if (!strcmp(a, "--strict")) {
			*strict = true;
		} else if (m || missing) {
			if (month || !kind || missing)
				break;
			month = m;
		} else if (a[0] == '-' && a[1] == '-') {
			dd_cli_failf(cli, DD_ERR_USAGE, "未知选项 '%s'", a);
			return DD_ERR_USAGE;
		} else if (!month) {
			if (group_kind)
				break;
			kind = a;
			group_kind = true;
		} else {
			in[(*n)++] = (dd_feed_in){ .kind = kind, .month = month, .file = a };
			month = NULL;
			group_kind = false;
		}
	}
	if (month || group_kind || *n < (size_t)months) {
		dd_cli_fail(cli, DD_ERR_USAGE, usage);
		return DD_ERR_USAGE;
	}
	return DD_OK;
}

int cmd_feed_import(dd_cli *cli)
{
	dd_feed_in *in = calloc((size_t)cli->argc + 1, sizeof *in);
	dd_feed_result *res = calloc((size_t)cli->argc + 1, sizeof *res);
	size_t n = 0;
	bool strict = false;
	dd_store *st = NULL;
	dd_err err = { 0 };
	int ret = 1;

	if (!in || !res) {
		ret = dd_cli_fail(cli, DD_ERR_NOMEM, "内存不足");
		goto done;
	}
	if (parse_batches(cli, in, &n, &strict) != DD_OK)
		goto done;
	for (size_t i = 0; i < n; i++) {
		in[i].strict = strict;
		in[i].user = cli->user;
	}
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		goto done;
	dd_rc rc = dd_ingest_feeds(st, in, n, res, &err);
	for (size_t i = 0; i < n; i++)
		if (res[i].errfile[0])
			fprintf(stderr, "错误明细已写入 %s\n", res[i].errfile);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		printf("%s %s: rows %lld, rejected %lld\n", in[i].kind, in[i].month, (long long)res[i].rows,
		       (long long)res[i].rejected);
		if (res[i].replaced)
			fprintf(stderr, "%s %s：已替换同类型同月份的上一批次（批次 %lld，保留为已替换）\n",
				in[i].kind, in[i].month, (long long)res[i].replaced);
	}
done:
	dd_store_close(st);
	free(in);
	free(res);
	return ret;
}
