/* cmd_feed.c - `doudi feed import KIND --month YYYY-MM FILE [--strict]` (FORMATS.md §3). */
#include "../core/dd.h"
#include "../ingest/ingest.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>

int cmd_feed_import(dd_cli *cli)
{
	dd_feed_in in = { 0 };
	dd_feed_result res;
	const char *pos[2];
	size_t npos = 0;
	const dd_opt opts[] = {
		{ "--month", &in.month, NULL },
		{ "--strict", NULL, &in.strict },
	};
	dd_store *st = NULL;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 2, &npos) != DD_OK)
		return 1;
	if (npos != 2 || !in.month)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法：doudi feed import KIND --month YYYY-MM FILE [--strict]");
	in.kind = pos[0];
	in.file = pos[1];
	in.user = cli->user;
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_rc rc = dd_ingest_feed(st, &in, &res, &err);
	if (res.errfile[0])
		fprintf(stderr, "错误明细已写入 %s\n", res.errfile);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
	} else {
		printf("%s %s: rows %lld, rejected %lld\n", in.kind, in.month, (long long)res.rows,
		       (long long)res.rejected);
		if (res.replaced)
			fprintf(stderr, "已替换同类型同月份的上一批次（批次 %lld，保留为已替换）\n",
				(long long)res.replaced);
	}
	dd_store_close(st);
	return ret;
}
