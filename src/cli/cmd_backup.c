/* cmd_backup.c - `doudi backup FILE`: a consistent copy while others keep working. */
#include "../core/dd.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>

int cmd_backup(dd_cli *cli)
{
	const char *pos[1];
	size_t npos = 0;
	dd_store *st = NULL;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, NULL, 0, pos, 1, &npos) != DD_OK || npos != 1)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi backup 备份文件路径");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_rc rc = dd_store_backup(st, pos[0], &err);
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
	else
		printf("%s\n", pos[0]);
	dd_store_close(st);
	return ret;
}
