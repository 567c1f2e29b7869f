/* cmd_gen.c - `doudi gen`: a synthetic county (FORMATS.md §5). */
#include "../core/dd.h"
#include "cli.h"
#include "../gen/gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_file(const char *path, uint64_t rows, void *arg)
{
	DD_UNUSED(arg);
	printf("%s\t%llu\n", path, (unsigned long long)rows);
}

/* A whole decimal number within [lo, hi]; false otherwise. */
static bool parse_num(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int cmd_gen(dd_cli *cli)
{
	const char *households = NULL, *out = NULL, *seed = "1", *county = "230304", *year = "2025";
	const char *medical = NULL, *population = NULL;
	bool no_feeds = false;
	const dd_opt opts[] = {
		{ "--households", &households, NULL }, { "--out", &out, NULL },
		{ "--seed", &seed, NULL },             { "--county", &county, NULL },
		{ "--year", &year, NULL },             { "--medical-rows", &medical, NULL },
		{ "--population", &population, NULL }, { "--no-feeds", NULL, &no_feeds },
	};
	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return dd_rc_exit(DD_ERR_USAGE);
	dd_gen_opts o = { .out_dir = out, .medical_rows = -1, .no_feeds = no_feeds };
	uint64_t v;
	if (!households || !out)
		return dd_cli_fail(cli, DD_ERR_USAGE, "用法: doudi gen --households N --out DIR [--seed S] [--county CODE] "
						      "[--year YYYY] [--population N] [--medical-rows N] [--no-feeds]");
	if (!parse_num(households, DD_GEN_MIN_HOUSEHOLDS, 50000000, &o.households))
		return dd_cli_failf(cli, DD_ERR_USAGE, "--households 须为 %d 到 50000000 的整数", DD_GEN_MIN_HOUSEHOLDS);
	if (!parse_num(seed, 0, UINT64_MAX, &o.seed))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--seed 须为非负整数");
	if (strlen(county) != 6 || strspn(county, "0123456789") != 6)
		return dd_cli_fail(cli, DD_ERR_USAGE, "--county 须为6位县级区划代码");
	memcpy(o.county, county, 7);
	if (!parse_num(year, 2021, 2100, &v))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--year 须为 2021 到 2100 的年份");
	o.year = (int)v;
	if (population && !parse_num(population, 1, 2000000000, &o.population))
		return dd_cli_fail(cli, DD_ERR_USAGE, "--population 须为正整数");
	if (medical) {
		if (!parse_num(medical, 0, 100000000000ULL, &v))
			return dd_cli_fail(cli, DD_ERR_USAGE, "--medical-rows 须为非负整数");
		o.medical_rows = (int64_t)v;
	}
	dd_err err = { 0 };
	dd_rc rc = dd_gen_run(&o, print_file, NULL, &err);
	if (rc != DD_OK)
		return dd_cli_fail(cli, rc, err.msg);
	return 0;
}
