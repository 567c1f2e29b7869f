/* cmd_policy.c - `doudi policy load FILE` and `doudi policy show`. */
#include "../core/dd.h"
#include "../core/policy.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_policy_load(dd_cli *cli)
{
	const char *pos[1];
	size_t npos = 0;
	dd_store *st = NULL;
	dd_policy pol;
	dd_err err = { 0 };
	dd_buf b;
	int ret;

	dd_buf_init(&b, 1 << 20);
	if (dd_cli_parse(cli, NULL, 0, pos, 1, &npos) != DD_OK || npos != 1)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi policy load FILE");
	/* validate first: a bad file must not replace a good policy */
	cli->policy = pos[0];
	if ((ret = dd_cli_policy(cli, NULL, &pol)) != 0)
		return ret;
	if (dd_file_read(pos[0], 1 << 20, &b, &err) != DD_OK) {
		ret = dd_cli_fail(cli, DD_ERR_INPUT, err.msg);
		goto done;
	}
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		goto done;
	dd_rc rc = dd_store_meta_set(st, cli->user, "policy", b.data, &err);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	printf("政策参数已载入：%zu 个年度标准，%zu 条预警规则\n", pol.nstandards, pol.nrules);
done:
	dd_store_close(st);
	dd_buf_release(&b);
	return ret;
}

int cmd_policy_show(dd_cli *cli)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	char *text = NULL;
	int ret;

	if (dd_cli_parse(cli, NULL, 0, NULL, 0, NULL) != DD_OK)
		return 1;
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_rc rc = dd_store_meta_get(st, "policy", &text, &err);
	if (rc == DD_OK)
		fputs(text, stdout);
	else
		ret = dd_cli_fail(cli, rc, err.msg);
	free(text);
	dd_store_close(st);
	return ret;
}
