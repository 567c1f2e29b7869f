/* main.c - command dispatch and global options. */
#include "../core/dd.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Commands are matched on their words; the longest match wins. */
static const struct {
	const char *words;
	dd_cmd_fn fn;
	const char *help;
} commands[] = {
	{ "init", cmd_init, "init --county CODE [--name NAME]   创建数据库并写入默认政策参数" },
	{ "import registry", cmd_import_registry,
	  "import registry --households F --members F [--obligors F] [--strict]   导入/更新低收入人口数据库" },
	{ "feed import", cmd_feed_import,
	  "feed import KIND --month YYYY-MM FILE [[KIND] --month YYYY-MM FILE]... [--strict]   导入部门比对数据，多个批次在一个事务中（KIND: medical disability death pension unemployment license orphan subsidy incident disaster fp kin）" },
	{ "compare", cmd_compare, "compare --month YYYY-MM   按启用的预警规则进行当月比对" },
	{ "warnings", cmd_warnings,
	  "warnings [--month M] [--rule Wnn] [--level L] [--status S] [--format table|csv|json]   预警列表" },
	{ "stats", cmd_stats, "stats [--format table|json]   数据库统计" },
	{ "assess", cmd_assess,
	  "assess FILE.json [--policy F] [--date YYYY-MM-DD]   对一户进行分类审核认定评估（无需数据库）\n"
	  "  doudi assess --all [--month YYYY-MM] [--format table|csv|json]   按月初日期复核全库，列出类别不一致的户" },
	{ "simulate", cmd_simulate,
	  "simulate --policy NEW.ini [--month YYYY-MM] [--format table|csv|json]   政策调整模拟：按乡镇、类别统计进出与低保金变化" },
	{ "gen", cmd_gen, "gen --households N --out DIR [--seed S] [--county CODE]   生成模拟县数据" },
	{ "backup", cmd_backup, "backup FILE   在线备份数据库" },
	{ "policy load", cmd_policy_load, "policy load FILE   载入政策参数文件" },
	{ "policy show", cmd_policy_show, "policy show   显示当前政策参数" },
	{ "apply", cmd_apply, "apply FILE.json   登记救助帮扶申请（附件2），打印申请编号" },
	{ "application show", cmd_application_show,
	  "application show ID [--format table|json]   查看申请：状态、办理记录、需求、核对结果" },
	{ "application advance", cmd_application_advance,
	  "application advance ID --to STATE --by USER [--comment T] [--investigators A,B]"
	  " [--category CODE --reason T] [--reject --reason T] [--fp-risk-cleared]   按程序办理下一步" },
	{ "application list", cmd_application_list, "application list [--state S] [--format table|json]   申请列表" },
	{ "application object", cmd_application_object,
	  "application object ID --comment TEXT [--by USER]   记录公示期异议" },
	{ "application recheck", cmd_application_recheck,
	  "application recheck HOUSEHOLD_NO --result TEXT [--by USER]   记录定期核查并排定下一次" },
	{ "application decision", cmd_application_decision,
	  "application decision ID --pdf FILE [--doc-no 文号]   打印审核确认决定书（PDF）" },
	{ "application form", cmd_application_form,
	  "application form ID --pdf FILE   打印附件2 救助帮扶申请登记表（PDF）" },
	{ "print form1", cmd_print_form1,
	  "print form1 --household 户编号 --out F.pdf [--date D]   打印附件1 低收入人口信息采集表（PDF）" },
	{ "print assessment", cmd_print_assessment,
	  "print assessment FILE.json --out F.pdf [--date D]   打印拟认定决定书（PDF）" },
	{ "print notice", cmd_print_notice,
	  "print notice --region CODE --out F.pdf [--from D]   打印公示名单（PDF）" },
	{ "user add", cmd_user_add,
	  "user add NAME --role ROLE [--region CODE] [--dept DEPT]   创建登录用户，口令从标准输入第一行读取"
	  "（ROLE: county_admin township village dept charity auditor）" },
	{ "serve", cmd_serve, "serve [--listen ADDR:PORT] [--threads 2-4] [--web DIR]   启动 HTTP 接口服务（默认 127.0.0.1:8080）" },
	{ "demo", cmd_demo, "demo [--dir DIR] [--listen ADDR:PORT] [--households N]   生成演示县（模拟数据）并启动服务，打印地址和演示账号" },
};

static void usage(FILE *f)
{
	fprintf(f, "doudi — 低收入人口动态监测和常态化救助帮扶平台\n\n用法: doudi <命令> [选项]\n\n");
	for (size_t i = 0; i < DD_ARRAY_LEN(commands); i++)
		fprintf(f, "  doudi %s\n", commands[i].help);
	fprintf(f, "\n通用选项: --db PATH (默认 ./doudi.db 或 $DOUDI_DB)  --policy FILE  --user NAME\n");
}

/* Number of argv words (from argv[1]) that spell `words`, or 0. */
static int match_words(const char *words, int argc, char **argv)
{
	int n = 0;
	const char *p = words;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (1 + n >= argc || strlen(argv[1 + n]) != len || strncmp(argv[1 + n], p, len))
			return 0;
		n++;
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* Removes --db/--policy/--user (either form) from args, filling cli. */
static int take_globals(dd_cli *cli, int argc, char **argv)
{
	int out = 0;
	for (int i = 0; i < argc; i++) {
		static const char *names[] = { "--db", "--policy", "--user" };
		const char **dest[] = { &cli->db, &cli->policy, &cli->user };
		bool taken = false;
		for (size_t k = 0; k < DD_ARRAY_LEN(names); k++) {
			size_t nl = strlen(names[k]);
			if (!strcmp(argv[i], names[k])) {
				if (i + 1 >= argc) {
					fprintf(stderr, "doudi: %s 需要一个值\n", names[k]);
					return -1;
				}
				*dest[k] = argv[++i];
				taken = true;
			} else if (!strncmp(argv[i], names[k], nl) && argv[i][nl] == '=') {
				*dest[k] = argv[i] + nl + 1;
				taken = true;
			}
			if (taken)
				break;
		}
		if (!taken)
			argv[out++] = argv[i];
	}
	return out;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	int best = -1, best_n = 0;
	for (size_t i = 0; i < DD_ARRAY_LEN(commands); i++) {
		int n = match_words(commands[i].words, argc, argv);
		if (n > best_n) {
			best = (int)i;
			best_n = n;
		}
	}
	if (best < 0) {
		fprintf(stderr, "doudi: 未知命令 '%s'\n\n", argv[1]);
		usage(stderr);
		return 1;
	}
	dd_cli cli = { 0 };
	cli.cmdname = commands[best].words;
	cli.db = getenv("DOUDI_DB");
	if (!cli.db || !*cli.db)
		cli.db = "doudi.db";
	cli.user = getenv("DOUDI_USER");
	if (!cli.user || !*cli.user)
		cli.user = getenv("USER");
	if (!cli.user || !*cli.user)
		cli.user = "cli";
	int n = take_globals(&cli, argc - 1 - best_n, argv + 1 + best_n);
	if (n < 0)
		return 1;
	cli.argc = n;
	cli.argv = argv + 1 + best_n;
	return commands[best].fn(&cli);
}
