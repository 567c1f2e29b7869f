/* cmd_import.c - `doudi import registry --households F --members F [--obligors F] [--strict]`. */
#include "../core/dd.h"
#include "../ingest/ingest.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_import_registry(dd_cli *cli)
{
	dd_registry_files in = { 0 };
	dd_registry_result res;
	bool strict = false;
	const dd_opt opts[] = {
		{ "--households", &in.households, NULL },
		{ "--members", &in.members, NULL },
		{ "--obligors", &in.obligors, NULL },
		{ "--strict", NULL, &strict },
	};
	dd_store *st = NULL;
	dd_err err = { 0 };
	char *county = NULL;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (!in.households || !in.members)
		return dd_cli_fail(cli, DD_ERR_USAGE, "需要 --households 户信息文件 和 --members 成员信息文件");
	in.strict = strict;
	in.user = cli->user;
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_rc rc = dd_store_meta_get(st, "county_code", &county, &err);
	if (rc == DD_OK || rc == DD_ERR_NOTFOUND) {
		in.county_code = county;
		rc = dd_ingest_registry(st, &in, &res, &err);
	}
	for (int i = 0; i < 3; i++)
		if (res.errfiles[i][0])
			fprintf(stderr, "错误明细已写入 %s\n", res.errfiles[i]);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	printf("households: %lld, members: %lld, rejected: %lld\n", (long long)res.households,
	       (long long)res.members, (long long)res.rejected);
	fprintf(stderr,
		"户：新增 %lld，更新 %lld，未变 %lld；成员：新增 %lld，更新 %lld，未变 %lld，离户 %lld；"
		"义务人 %lld；校验位错误的身份证号 %lld（已保存，将产生 W16 预警）\n",
		(long long)res.hh_inserted, (long long)res.hh_updated, (long long)res.hh_unchanged,
		(long long)res.mb_inserted, (long long)res.mb_updated, (long long)res.mb_unchanged,
		(long long)res.members_left, (long long)res.obligors, (long long)res.bad_check_ids);
done:
	free(county);
	dd_store_close(st);
	return ret;
}
