/*
 * cmd_serve.c - `doudi serve [--listen ADDR:PORT] [--threads N] [--web DIR]`
 * (FORMATS.md §5): the HTTP API (src/http) until SIGINT or SIGTERM.
 * Prints the URL once listening; port 0 picks a free port.
 */
#include "../core/dd.h"
#include "../http/http.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

static void ready(const char *url, void *arg)
{
	DD_UNUSED(arg);
	printf("%s\n", url);
	fflush(stdout);
}

int cmd_serve(dd_cli *cli)
{
	const char *listen = "127.0.0.1:8080", *threads = "4", *web = "web/dist";
	const dd_opt opts[] = { { "--listen", &listen, NULL }, { "--threads", &threads, NULL },
				{ "--web", &web, NULL } };
	dd_err err = { 0 };
	char *end;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	long n = strtol(threads, &end, 10);
	if (*end || n < 2 || n > 4)
		return dd_cli_fail(cli, DD_ERR_USAGE, "--threads 应为 2 到 4");
	dd_http_options o = { .db = cli->db, .listen = listen, .web_dir = web, .threads = (int)n };
	dd_rc rc = dd_http_serve(&o, ready, NULL, &err);
	if (rc == DD_ERR_NOTFOUND)
		return dd_cli_failf(cli, rc, "数据库 %s 不存在，请先运行 doudi init --county 代码", cli->db);
	return rc == DD_OK ? 0 : dd_cli_fail(cli, rc, err.msg);
}
