/*
 * cmd_demo.c - `doudi demo [--dir DIR] [--listen ADDR:PORT] [--households N]`
 * (FORMATS.md §5): a demo county of generated people, served.
 *
 * The first run generates the county (the `doudi gen` library), creates the
 * database as `doudi init` does, imports the registry, the medical feed of
 * the whole year and the other feeds of its last two months, runs the
 * comparisons of those two months and creates one login per role with a
 * printed demo password.  A later run finds DIR/doudi.db and serves it at
 * once.  Every person in it is generated: the passwords guard nothing real.
 */
#include "../core/dd.h"
#include "../core/date.h"
#include "../core/policy.h"
#include "../core/region.h"
#include "../compare/compare.h"
#include "../gen/gen.h"
#include "../http/http.h"
#include "../ingest/ingest.h"
#include "../store/store.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEMO_COUNTY "230304"

/* The demo logins: role, region (filled in: 'c' county, 't' a township, 'v' a village), dept. */
static const struct {
	const char *username, *password, *role, *zh;
	char scope;
	const char *dept;
} demo_users[] = {
	{ "admin", "demo-admin-2025", "county_admin", "县级管理员（民政局）", 'c', NULL },
	{ "township", "demo-township-2025", "township", "乡镇（街道）经办", 't', NULL },
	{ "village", "demo-village-2025", "village", "村（社区）协办", 'v', NULL },
	{ "yibao", "demo-dept-2025", "dept", "部门用户（医保）", 0, "医保" },
	{ "charity", "demo-charity-2025", "charity", "慈善组织", 0, NULL },
	{ "auditor", "demo-auditor-2025", "auditor", "审计（只读）", 'c', NULL },
};

typedef struct demo {
	dd_cli *cli;
	const char *dir;
	char db[4096], data[4096];
	char building[4200];           /* the database while it is built, renamed to db when complete */
	char township[13], village[13];
	int64_t households;
} demo;

/* Removes a database file and its -wal and -shm companions. */
static void remove_db(const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };

	for (size_t i = 0; i < DD_ARRAY_LEN(suffix); i++) {
		char p[4300];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
}

/* mkdir -p */
static dd_rc make_dirs(const char *path, dd_err *err)
{
	char p[4096];

	if ((size_t)snprintf(p, sizeof p, "%s", path) >= sizeof p)
		return dd_err_set(err, DD_ERR_USAGE, "目录名过长");
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			return dd_err_set(err, DD_ERR_IO, "无法创建目录 %s：%s", p, strerror(errno));
		if (!(*s = c))
			break;
	}
	return DD_OK;
}

static void step(const char *what)
{
	fprintf(stderr, "[演示] %s\n", what);
}

/* Generates the county and loads it into a new database (the first run). */
static int build(demo *d, uint64_t households, int year)
{
	dd_gen_opts g = { .out_dir = d->data, .households = households, .population = households * 10,
			  .medical_rows = (int64_t)households * 50, .seed = 1, .county = DEMO_COUNTY,
			  .year = year };
	char *init_argv[] = { "--county", DEMO_COUNTY };
	dd_cli init = *d->cli;
	dd_store *st = NULL;
	dd_policy pol;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;
	char f[3][4200], month[8], file[4400];
	int ret;

	step("生成模拟县数据（doudi gen）……");
	if ((rc = dd_gen_run(&g, NULL, NULL, &err)) != DD_OK)
		return dd_cli_fail(d->cli, rc, err.msg);
	step("创建数据库（doudi init）……");
	init.argc = 2;
	init.argv = init_argv;
	init.cmdname = "demo";
	if ((ret = cmd_init(&init)) != 0)
		return ret;
	if ((ret = dd_cli_open_store(d->cli, false, &st)) != 0)
		return ret;
	step("导入户籍（低收入人口）信息……");
	snprintf(f[0], sizeof f[0], "%s/households.csv", d->data);
	snprintf(f[1], sizeof f[1], "%s/members.csv", d->data);
	snprintf(f[2], sizeof f[2], "%s/obligors.csv", d->data);
	dd_registry_files reg = { .households = f[0], .members = f[1], .obligors = f[2],
				  .user = d->cli->user, .county_code = DEMO_COUNTY };
	dd_registry_result rres;
	rc = dd_ingest_registry(st, &reg, &rres, &err);
	/* medical for the whole year (W01 sums a year), the other kinds for the two compared months */
	step("导入部门比对数据……");
	for (size_t k = 0; rc == DD_OK && k < dd_feed_nkinds; k++) {
		bool medical = !strcmp(dd_feed_kinds[k].name, "medical");
		for (int m = medical ? 1 : 11; rc == DD_OK && m <= 12; m++) {
			dd_feed_result fres;
			dd_month_format(dd_month_from_ym(year, m), month);
			snprintf(file, sizeof file, "%s/feeds/%s/%s.csv", d->data, dd_feed_kinds[k].name, month);
			if (access(file, R_OK) != 0)
				continue;   /* a kind the generator does not write */
			dd_feed_in in = { .kind = dd_feed_kinds[k].name, .month = month, .file = file,
					  .user = d->cli->user };
			rc = dd_ingest_feed(st, &in, &fres, &err);
		}
	}
	if (rc == DD_OK && (ret = dd_cli_policy(d->cli, st, &pol)) != 0)
		goto done;
	for (int m = 11; rc == DD_OK && m <= 12; m++) {
		dd_compare_report rep;
		dd_month_format(dd_month_from_ym(year, m), month);
		fprintf(stderr, "[演示] 比对 %s……\n", month);
		rc = dd_compare_run(st, &pol, d->cli->user, dd_month_from_ym(year, m), NULL, NULL, &rep, &err);
	}
	ret = rc == DD_OK ? 0 : dd_cli_fail(d->cli, rc, err.msg);
done:
	dd_store_close(st);
	return ret;
}

/* The logins, each once: a second run finds them there. */
static int add_users(demo *d, dd_store *st)
{
	dd_household_query q = { .limit = 1 };
	dd_household_hit *hit;
	size_t n;
	int64_t total;
	dd_arena mem;
	dd_err err = { 0 };
	dd_rc rc;

	/* the township and village of the first household, so their users see people */
	dd_arena_init(&mem, 4096);
	rc = dd_store_household_search(st, &q, &hit, &n, &total, &mem, &err);
	if (rc == DD_OK && n == 1) {
		snprintf(d->village, sizeof d->village, "%s", hit->region_code);
		snprintf(d->township, sizeof d->township, "%.9s", hit->region_code);
	} else if (rc == DD_OK) {
		rc = dd_err_set(&err, DD_ERR_INPUT, "演示数据库中没有户");
	}
	d->households = total;
	dd_arena_release(&mem);
	for (size_t i = 0; rc == DD_OK && i < DD_ARRAY_LEN(demo_users); i++) {
		const char *region = demo_users[i].scope == 'c'   ? DEMO_COUNTY
				     : demo_users[i].scope == 't' ? d->township
				     : demo_users[i].scope == 'v' ? d->village
								  : NULL;
		char scope[13], hash[DD_HTTP_PWHASH_MAX];
		dd_role role = dd_role_parse(demo_users[i].role);
		rc = dd_http_user_region(role, region, demo_users[i].dept, DEMO_COUNTY, scope, &err);
		if (rc == DD_OK)
			rc = dd_http_password_hash(demo_users[i].password, hash, &err);
		if (rc == DD_OK) {
			dd_user u = { .username = demo_users[i].username, .role = demo_users[i].role,
				      .region = scope[0] ? scope : NULL, .dept = demo_users[i].dept, .pw_hash = hash };
			rc = dd_store_user_add(st, d->cli->user, &u, &err);
			if (rc == DD_ERR_INPUT)
				rc = DD_OK;   /* there from an earlier run */
		}
	}
	return rc == DD_OK ? 0 : dd_cli_fail(d->cli, rc, err.msg);
}

static void ready(const char *url, void *arg)
{
	const demo *d = arg;
	char tn[256], vn[256];

	dd_region_fullname(d->township, strlen(d->township), tn, sizeof tn);
	dd_region_fullname(d->village, strlen(d->village), vn, sizeof vn);
	printf("\n低收入人口动态监测和常态化救助帮扶平台 · 演示县（全部为模拟生成的人员，非真实数据）\n");
	printf("数据库：%s（在册 %lld 户）\n", d->db, (long long)d->households);
	printf("访问地址：%s\n", url);
	printf("演示账号（口令仅供演示）：\n");
	for (size_t i = 0; i < DD_ARRAY_LEN(demo_users); i++)
		printf("  %-9s %-20s %s%s%s\n", demo_users[i].username, demo_users[i].password, demo_users[i].zh,
		       demo_users[i].scope == 't' ? "：" : demo_users[i].scope == 'v' ? "：" : "",
		       demo_users[i].scope == 't' ? tn : demo_users[i].scope == 'v' ? vn : "");
	printf("按 Ctrl+C 停止服务；再次运行 doudi demo 将直接使用已生成的数据库。\n");
	fflush(stdout);
}

int cmd_demo(dd_cli *cli)
{
	const char *dir = "build/demo-county", *listen = "127.0.0.1:8080", *hh = "20000";
	const dd_opt opts[] = { { "--dir", &dir, NULL }, { "--listen", &listen, NULL },
				{ "--households", &hh, NULL } };
	/* the demo's own copy: its db names a buffer of this function */
	dd_cli own = *cli;
	demo d = { .cli = &own };
	dd_store *st = NULL;
	dd_err err = { 0 };
	char *end;
	int ret;

	if (dd_cli_parse(cli, opts, DD_ARRAY_LEN(opts), NULL, 0, NULL) != DD_OK)
		return 1;
	errno = 0;
	unsigned long long households = strtoull(hh, &end, 10);
	if (*end || errno || households < DD_GEN_MIN_HOUSEHOLDS || households > 1000000)
		return dd_cli_failf(cli, DD_ERR_USAGE, "--households 须为 %d 到 1000000 的整数", DD_GEN_MIN_HOUSEHOLDS);
	d.dir = dir;
	snprintf(d.db, sizeof d.db, "%s/doudi.db", dir);
	snprintf(d.data, sizeof d.data, "%s/data", dir);
	own.db = d.db;
	dd_rc rc = make_dirs(dir, &err);
	if (rc != DD_OK)
		return dd_cli_fail(cli, rc, err.msg);
	if (access(d.db, F_OK) != 0) {
		/* a complete year before today's, so the comparison months lie in the past */
		int year = dd_month_year(dd_month_of(dd_date_today())) - 1;
		/* built under another name: a run killed half-way leaves no database that looks complete */
		snprintf(d.building, sizeof d.building, "%s.new", d.db);
		remove_db(d.building);
		own.db = d.building;
		ret = build(&d, households, year);
		own.db = d.db;
		if (ret == 0 && rename(d.building, d.db) != 0)
			ret = dd_cli_failf(cli, DD_ERR_IO, "无法将 %s 改名为 %s", d.building, d.db);
		if (ret != 0) {
			remove_db(d.building);
			return ret;
		}
	} else {
		step("使用已有的演示数据库");
	}
	if ((ret = dd_cli_open_store(&own, false, &st)) != 0)
		return ret;
	ret = add_users(&d, st);
	dd_store_close(st);
	if (ret != 0)
		return ret;
	dd_http_options o = { .db = d.db, .listen = listen, .web_dir = "web/dist", .threads = 4 };
	rc = dd_http_serve(&o, ready, &d, &err);
	return rc == DD_OK ? 0 : dd_cli_fail(cli, rc, err.msg);
}
