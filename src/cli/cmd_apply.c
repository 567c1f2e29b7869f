/*
 * cmd_apply.c - `doudi apply FILE.json`: registers an application (附件2) and
 * prints its number.  The JSON is described in docs/internals/workflow.md;
 * src/workflow checks it and names the field of any error.
 */
#include "../core/dd.h"
#include "../core/policy.h"
#include "../store/store.h"
#include "../workflow/workflow.h"
#include "cli.h"

#include <stdio.h>

/* One application is a few KiB. */
#define APPLY_MAX (4u << 20)

int cmd_apply(dd_cli *cli)
{
	const char *pos[1] = { NULL };
	size_t npos = 0;
	dd_store *st = NULL;
	dd_policy policy;
	dd_buf raw;
	dd_err err = { 0 };
	char app_no[24];
	dd_rc rc;
	int ret;

	dd_buf_init(&raw, 0);
	if (dd_cli_parse(cli, NULL, 0, pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi apply FILE.json");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0 || (ret = dd_cli_policy(cli, st, &policy)) != 0)
		goto done;
	rc = dd_file_read(pos[0], APPLY_MAX, &raw, &err);
	if (rc == DD_OK)
		rc = dd_flow_apply(st, &policy, cli->user, raw.data, raw.len, pos[0], dd_date_today(), app_no,
				   &err);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	puts(app_no);
done:
	dd_buf_release(&raw);
	dd_store_close(st);
	return ret;
}
