/*
 * cmd_assess.c - `doudi assess FILE.json [--policy F] [--date YYYY-MM-DD]`:
 * assesses one household given as JSON (FORMATS.md §5), no database needed.
 * The JSON is read by src/assess/input.c, which names the field of any error.
 */
#include "../core/dd.h"
#include "../assess/assess.h"
#include "../core/policy.h"
#include "../assess/input.h"
#include "../store/store.h"
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --policy if given, else the database's policy when there is a database, else the defaults. */
int dd_cli_policy_nodb(dd_cli *cli, dd_policy *p)
{
	bool have_db = !strncmp(cli->db, "postgres://", 11) || !strncmp(cli->db, "postgresql://", 13) ||
		       access(cli->db, F_OK) == 0;
	dd_store *st = NULL;
	int ret = 0;

	if (!cli->policy && have_db)
		ret = dd_cli_open_store(cli, false, &st);
	if (ret == 0)
		ret = dd_cli_policy(cli, st, p);
	dd_store_close(st);
	return ret;
}

int cmd_assess(dd_cli *cli)
{
	const char *date_arg = NULL, *pos[1] = { NULL };
	const dd_opt opts[] = { { "--date", &date_arg, NULL } };
	size_t npos = 0;
	dd_date at = dd_date_today();
	dd_policy policy;
	dd_assess_input in = { 0 };
	dd_assessment *a = NULL;
	dd_buf out;
	dd_err err = { 0 };
	dd_rc rc;
	int ret;

	for (int i = 0; i < cli->argc; i++)
		if (!strcmp(cli->argv[i], "--all"))
			return cmd_assess_all(cli);
	dd_buf_init(&out, 0);
	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK) {
		ret = 1;
		goto done;
	}
	if (npos != 1) {
		ret = dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi assess FILE.json [--policy F] [--date YYYY-MM-DD]");
		goto done;
	}
	if (date_arg && dd_date_parse(date_arg, strlen(date_arg), &at) != DD_OK) {
		ret = dd_cli_failf(cli, DD_ERR_USAGE, "--date 应为存在的日期，格式 YYYY-MM-DD：%s", date_arg);
		goto done;
	}
	if ((ret = dd_cli_policy_nodb(cli, &policy)) != 0)
		goto done;
	if ((rc = dd_assess_input_read(pos[0], &in, &err)) != DD_OK)
		goto fail;
	if (!(a = malloc(sizeof *a))) {
		rc = dd_err_set(&err, DD_ERR_NOMEM, "内存不足");
		goto fail;
	}
	if ((rc = dd_assess(&policy, &in.h, in.members, in.nmembers, in.obligors, in.nobligors, at, a,
			    &err)) != DD_OK ||
	    (rc = dd_assess_json(a, &in.h, in.members, in.nmembers, at, &out, &err)) != DD_OK)
		goto fail;
	puts(out.data);
	ret = 0;
	goto done;
fail:
	ret = dd_cli_fail(cli, rc, err.msg);
done:
	free(a);
	dd_assess_input_release(&in);
	dd_buf_release(&out);
	return ret;
}
