/* cmd_init.c - `doudi init --county CODE [--name NAME]`: a new, empty database. */
#include "../core/dd.h"
#include "../core/policy.h"
#include "../core/region.h"
#include "../store/store.h"
#include "cli.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Copies the county, its townships and their villages into the regions table. */
typedef struct region_copy {
	dd_store *st;
	dd_err *err;
	dd_rc rc;
	const char *parent;
} region_copy;

static int copy_region(const dd_region *r, void *arg)
{
	region_copy *c = arg;
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)r->name_len, r->name);
	c->rc = dd_store_region_put(c->st, r->code, name, (int)r->level, c->parent, c->err);
	if (c->rc == DD_OK && r->level == DD_REGION_TOWNSHIP) {
		region_copy child = { c->st, c->err, DD_OK, r->code };
		c->rc = dd_region_children(r->code, strlen(r->code), copy_region, &child);
		if (c->rc == DD_OK)
			c->rc = child.rc;
	}
	return c->rc != DD_OK;
}

/* Writes policy.ini beside the database unless one is there already. */
static void write_policy_file(const char *db, const char *text)
{
	char *dir = strdup(db), path[4096];
	if (!dir)
		return;
	snprintf(path, sizeof path, "%s/policy.ini", dirname(dir));
	free(dir);
	FILE *f = fopen(path, "wx");
	if (!f) {
		if (errno != EEXIST)
			fprintf(stderr, "doudi init: 无法写入 %s\n", path);
		return;
	}
	fputs(text, f);
	if (fclose(f) == 0)
		fprintf(stderr, "doudi init: 默认政策参数已写入 %s（修改后用 doudi policy load 载入）\n", path);
}

int cmd_init(dd_cli *cli)
{
	const char *county = NULL, *name = NULL;
	const dd_opt opts[] = { { "--county", &county, NULL }, { "--name", &name, NULL } };
	dd_store *st = NULL;
	dd_policy pol;
	dd_err err = { 0 };
	dd_region r;
	char *text = NULL, namebuf[128];
	int ret = 1;
	struct stat sb;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (!county)
		return dd_cli_fail(cli, DD_ERR_USAGE, "需要 --county 县级行政区划代码（6位），例如 --county 230304");
	if (strlen(county) != 6 || dd_region_lookup(county, 6, &r) != DD_OK || r.level != DD_REGION_COUNTY)
		return dd_cli_failf(cli, DD_ERR_USAGE, "'%s' 不是有效的县级行政区划代码", county);
	if (!name) {
		snprintf(namebuf, sizeof namebuf, "%.*s", (int)r.name_len, r.name);
		name = namebuf;
	}
	if (stat(cli->db, &sb) == 0 && sb.st_size > 0)
		return dd_cli_failf(cli, DD_ERR_USAGE, "数据库 %s 已存在；如需重建请先备份并移走它", cli->db);

	/* a county's own policy file, if given, must be valid before anything is created */
	if (cli->policy) {
		dd_buf b;
		dd_buf_init(&b, 0);
		if ((ret = dd_cli_policy(cli, NULL, &pol)) != 0)
			return ret;
		if (dd_file_read(cli->policy, 1 << 20, &b, &err) != DD_OK)
			return dd_cli_fail(cli, DD_ERR_INPUT, err.msg);
		text = dd_buf_detach(&b, NULL);
		ret = 1;
	} else {
		text = dd_policy_default_text(county, name);
	}
	if (!text) {
		ret = dd_cli_fail(cli, DD_ERR_NOMEM, "内存不足");
		goto done;
	}
	if ((ret = dd_cli_open_store(cli, true, &st)) != 0)
		goto done;
	dd_rc rc = dd_store_begin(st, &err);
	if (rc == DD_OK)
		rc = dd_store_meta_set(st, cli->user, "county_code", county, &err);
	if (rc == DD_OK)
		rc = dd_store_meta_set(st, cli->user, "county_name", name, &err);
	if (rc == DD_OK)
		rc = dd_store_meta_set(st, cli->user, "policy", text, &err);
	if (rc == DD_OK) {
		region_copy c = { st, &err, DD_OK, NULL };
		char parent[8];
		snprintf(parent, sizeof parent, "%.4s", county);
		c.parent = parent;
		copy_region(&r, &c);
		rc = c.rc;
	}
	if (rc == DD_OK)
		rc = dd_store_commit(st, &err);
	if (rc != DD_OK) {
		dd_store_rollback(st);
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	if (!cli->policy)
		write_policy_file(cli->db, text);
	printf("%s\n", cli->db);
	ret = 0;
done:
	dd_store_close(st);
	free(text);
	return ret;
}
