/* cmd_stats.c - `doudi stats [--format table|json]`. */
#include "../core/dd.h"
#include "../core/registry.h"
#include "../core/text.h"
#include "../store/store.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* One aligned line of the table: labels are Chinese, so pad by display width. */
static void row(const char *label, int64_t n)
{
	size_t w = dd_text_width(label);
	printf("%s%*s%10lld\n", label, (int)(w < 28 ? 28 - w : 1), "", (long long)n);
}

int cmd_stats(dd_cli *cli)
{
	const char *format = "json";
	const dd_opt opts[] = { { "--format", &format, NULL } };
	dd_store *st = NULL;
	dd_stats s;
	dd_err err = { 0 };
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (strcmp(format, "json") && strcmp(format, "table"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table 或 json");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	dd_rc rc = dd_store_stats(st, dd_date_today(), &s, &err);
	if (rc != DD_OK) {
		ret = dd_cli_fail(cli, rc, err.msg);
		goto done;
	}
	if (!strcmp(format, "json")) {
		printf("{\"households\":%lld,\"members\":%lld,\"by_category\":{", (long long)s.households,
		       (long long)s.members);
		for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
			printf("\"%s\":%lld,", dd_categories[i].code, (long long)s.by_category[i]);
		printf("\"FP\":%lld}}\n", (long long)s.fp);
	} else {
		row("在册家庭（户）", s.households);
		row("在册人员（人）", s.members);
		for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
			row(dd_categories[i].zh, s.by_category[i]);
		row("防止返贫监测对象（户）", s.fp);
		row("身份证号校验位错误（人）", s.invalid_ids);
	}
done:
	dd_store_close(st);
	return ret;
}
