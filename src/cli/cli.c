/* cli.c - option parsing and error reporting shared by the commands. */
#include "../core/dd.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/policy.h"
#include "../store/store.h"

dd_rc dd_cli_parse(dd_cli *cli, const dd_opt *opts, size_t nopts, const char **pos,
		   size_t maxpos, size_t *npos)
{
	size_t np = 0;
	for (int i = 0; i < cli->argc; i++) {
		const char *a = cli->argv[i];
		if (a[0] != '-' || a[1] != '-' || !a[2]) {
			if (np >= maxpos) {
				dd_cli_failf(cli, DD_ERR_USAGE, "多余的参数 '%s'", a);
				return DD_ERR_USAGE;
			}
			pos[np++] = a;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		size_t k;
		for (k = 0; k < nopts; k++)
			if (strlen(opts[k].name) == nl && !strncmp(opts[k].name, a, nl))
				break;
		if (k == nopts) {
			dd_cli_failf(cli, DD_ERR_USAGE, "未知选项 '%.*s'", (int)nl, a);
			return DD_ERR_USAGE;
		}
		if (!opts[k].arg) {
			if (eq) {
				dd_cli_failf(cli, DD_ERR_USAGE, "选项 %s 不带值", opts[k].name);
				return DD_ERR_USAGE;
			}
			*opts[k].flag = true;
		} else if (eq) {
			*opts[k].arg = eq + 1;
		} else if (i + 1 < cli->argc) {
			*opts[k].arg = cli->argv[++i];
		} else {
			dd_cli_failf(cli, DD_ERR_USAGE, "选项 %s 需要一个值", opts[k].name);
			return DD_ERR_USAGE;
		}
	}
	if (npos)
		*npos = np;
	return DD_OK;
}

int dd_cli_fail(const dd_cli *cli, dd_rc rc, const char *msg)
{
	fprintf(stderr, "doudi %s: %s\n", cli->cmdname, msg);
	return dd_rc_exit(rc);
}

int dd_cli_failf(const dd_cli *cli, dd_rc rc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dd_cli_fail(cli, rc, msg);
}

int dd_cli_open_store(dd_cli *cli, bool create, dd_store **st)
{
	dd_err err = { 0 };
	dd_rc rc = dd_store_open(st, cli->db, create, &err);
	if (rc == DD_ERR_NOTFOUND)
		return dd_cli_failf(cli, rc, "数据库 %s 不存在，请先运行 doudi init --county 代码", cli->db);
	if (rc != DD_OK)
		return dd_cli_fail(cli, rc, err.msg);
	return 0;
}

int dd_cli_policy(dd_cli *cli, dd_store *st, dd_policy *p)
{
	dd_err err = { 0 };
	dd_rc rc;

	if (cli->policy)
		rc = dd_policy_load_file(p, cli->policy, &err);
	else if (st)
		rc = dd_store_policy(st, p, &err);
	else
		rc = dd_policy_default(p, &err);
	return rc == DD_OK ? 0 : dd_cli_fail(cli, rc, err.msg);
}
