/* cmd_warnings.c - `doudi warnings [--month M] [--rule R] [--level L] [--status S] [--format table|csv|json]`. */
#include "../core/dd.h"
#include "../core/id.h"
#include "../core/text.h"
#include "../store/store.h"
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* The columns of FORMATS.md "warnings --format csv", in order. */
#define COLS(X) X(rule) X(level) X(month) X(id_number) X(name) X(household_no) \
	X(region_code) X(status) X(evidence)

static const char *const level_zh[][2] = { { "red", "红" }, { "yellow", "黄" }, { "blue", "蓝" } };
static const char *const status_zh[][2] = { { "new", "新预警" }, { "verifying", "核实中" },
					    { "closed", "已关闭" } };

static const char *zh(const char *const (*tab)[2], size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(tab[i][0], code))
			return tab[i][1];
	return code ? code : "";
}

/* RFC 4180: quoted when it holds a comma, quote or line break. */
static void csv_field(const char *s, bool last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static dd_rc put_csv(void *arg, const dd_warning *w, dd_err *err)
{
	(void)arg, (void)err;
#define X(c) csv_field(w->c, !strcmp(#c, "evidence"));
	COLS(X)
#undef X
	return DD_OK;
}

static dd_rc put_json(void *arg, const dd_warning *w, dd_err *err)
{
	json_t *o = json_object();
#define X(c) json_object_set_new(o, #c, json_string(w->c ? w->c : ""));
	COLS(X)
#undef X
	if (!o || json_array_append_new(arg, o))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

/* Pads by display width (Chinese counts 2). */
static void cell(const char *s, size_t width)
{
	size_t w = dd_text_width(s ? s : "");
	printf("%s%*s ", s ? s : "", (int)(w < width ? width - w : 0), "");
}

static dd_rc put_table(void *arg, const dd_warning *w, dd_err *err)
{
	char masked[19];
	(void)err;
	dd_id_mask(w->id_number ? w->id_number : "", masked);
	cell(w->rule, 4);
	cell(zh(level_zh, DD_ARRAY_LEN(level_zh), w->level), 4);
	cell(w->month, 7);
	cell(masked, 18);
	cell(w->name, 8);
	cell(w->household_no, 14);
	cell(w->region_code, 12);
	cell(zh(status_zh, DD_ARRAY_LEN(status_zh), w->status), 6);
	printf("%s\n", w->evidence ? w->evidence : "");
	(*(int64_t *)arg)++;
	return DD_OK;
}

int cmd_warnings(dd_cli *cli)
{
	const char *format = "table";
	dd_warning_filter f = { 0 };
	const dd_opt opts[] = {
		{ "--month", &f.month, NULL }, { "--rule", &f.rule, NULL }, { "--level", &f.level, NULL },
		{ "--status", &f.status, NULL }, { "--format", &format, NULL },
	};
	dd_store *st = NULL;
	dd_err err = { 0 };
	json_t *arr = NULL;
	int64_t n = 0;
	dd_month m;
	dd_rc rc;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--format 应为 table、csv 或 json");
	if (f.month && dd_month_parse(f.month, strlen(f.month), &m) != DD_OK)
		return dd_cli_fail(cli, DD_ERR_USAGE, "--month 应为 YYYY-MM");
	if (f.level && strcmp(f.level, "red") && strcmp(f.level, "yellow") && strcmp(f.level, "blue"))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--level 应为 red、yellow 或 blue");
	if ((ret = dd_cli_open_store(cli, false, &st)) != 0)
		return ret;
	if (!strcmp(format, "csv")) {
		puts("rule,level,month,id_number,name,household_no,region_code,status,evidence");
		rc = dd_store_warnings_list(st, &f, put_csv, NULL, &err);
	} else if (!strcmp(format, "json")) {
		arr = json_array();
		rc = arr ? dd_store_warnings_list(st, &f, put_json, arr, &err)
			 : dd_err_set(&err, DD_ERR_NOMEM, "内存不足");
		if (rc == DD_OK && json_dumpf(arr, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0)
			putchar('\n');
	} else {
		printf("规则 等级 月份    身份证号           姓名     户编号         行政区划     状态   依据\n");
		rc = dd_store_warnings_list(st, &f, put_table, &n, &err);
		if (rc == DD_OK)
			printf("共 %lld 条\n", (long long)n);
	}
	if (rc != DD_OK)
		ret = dd_cli_fail(cli, rc, err.msg);
	json_decref(arr);
	dd_store_close(st);
	return ret;
}
