/*
 * cmd_user.c - `doudi user add NAME --role ROLE [--region CODE] [--dept DEPT]`
 * (FORMATS.md §5): creates a web login.  The password is the first line of
 * standard input, so it never appears in the process list or shell history.
 */
#include "../core/dd.h"
#include "../http/http.h"
#include "../store/store.h"
#include "cli.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of stdin without its line end, into pw (cap bytes); false when there is none. */
static bool read_password(char *pw, size_t cap)
{
	if (!fgets(pw, (int)cap, stdin))
		return false;
	pw[strcspn(pw, "\r\n")] = 0;
	return pw[0] != 0;
}

int cmd_user_add(dd_cli *cli)
{
	const char *role_s = NULL, *region = NULL, *dept = NULL, *pos[1];
	const dd_opt opts[] = { { "--role", &role_s, NULL }, { "--region", &region, NULL },
				{ "--dept", &dept, NULL } };
	char pw[1024], hash[DD_HTTP_PWHASH_MAX], scope[13];
	size_t npos = 0;
	dd_store *st = NULL;
	char *county = NULL;
	dd_err err = { 0 };
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), pos, 1, &npos) != DD_OK)
		return 1;
	if (npos != 1 || !*pos[0] || strlen(pos[0]) > 64)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi user add 用户名 --role 角色 [--region 区划代码] [--dept 部门]");
	dd_role role = dd_role_parse(role_s);
	if (role == DD_ROLE_NONE)
		return dd_cli_fail(cli, DD_ERR_USAGE,
				   "--role 应为 county_admin、township、village、dept、charity 或 auditor");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	rc = dd_store_meta_get(st, "county_code", &county, &err);
	if (rc == DD_OK || rc == DD_ERR_NOTFOUND)
		rc = dd_http_user_region(role, region, dept, county, scope, &err);
	if (rc == DD_OK && !read_password(pw, sizeof pw))
		rc = dd_err_set(&err, DD_ERR_USAGE, "口令应为标准输入的第一行，且不能为空");
	if (rc == DD_OK)
		rc = dd_http_password_hash(pw, hash, &err);
	sodium_memzero(pw, sizeof pw);
	if (rc == DD_OK) {
		dd_user u = { .username = pos[0], .role = dd_role_code(role), .region = scope[0] ? scope : NULL,
			      .dept = dept && *dept ? dept : NULL, .pw_hash = hash };
		rc = dd_store_user_add(st, cli->user, &u, &err);
	}
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	printf("user: %s, role: %s", pos[0], dd_role_code(role));
	if (scope[0])
		printf(", region: %s", scope);
	if (dept && *dept)
		printf(", dept: %s", dept);
	printf("\n");
done:
	free(county);
	dd_store_close(st);
	return ret;
}
