/*
 * cli.h - the command-line front end: one file per command (cmd_<name>.c),
 * one row per command in main.c's table.
 *
 * Global options, valid anywhere after the command words (FORMATS.md §5):
 *   --db PATH        database (default ./doudi.db, or $DOUDI_DB)
 *   --policy FILE    policy file overriding the stored one
 *   --user NAME      who is acting, for the audit log (default $DOUDI_USER, else $USER, else "cli")
 * main() strips them before the command sees its arguments.
 */
#ifndef DD_CLI_H
#define DD_CLI_H

#include "../core/dd.h"

typedef struct dd_cli {
	const char *db;          /* never NULL */
	const char *policy;      /* NULL when not given */
	const char *user;        /* never NULL */
	int argc;                /* arguments after the command words, global options removed */
	char **argv;
	const char *cmdname;     /* "import registry", for messages */
} dd_cli;

/* A command: returns the process exit code (dd_rc_exit of its status). */
typedef int (*dd_cmd_fn)(dd_cli *cli);

/* Option table for dd_cli_parse.  `arg` NULL marks a flag (sets *flag). */
typedef struct dd_opt {
	const char *name;        /* "--households" */
	const char **arg;        /* receives the value */
	bool *flag;              /* for flags */
} dd_opt;

/*
 * Parses cli->argv against opts ("--name VALUE", "--name=VALUE", flags).
 * Arguments that are not options are collected in pos[0..*npos) up to
 * maxpos.  Prints the error and returns DD_ERR_USAGE on an unknown option,
 * a missing value or too many positional arguments.
 */
dd_rc dd_cli_parse(dd_cli *cli, const dd_opt *opts, size_t nopts, const char **pos,
		   size_t maxpos, size_t *npos);
/* Prints "doudi <cmd>: <msg>" to stderr and returns the exit code for rc. */
int dd_cli_fail(const dd_cli *cli, dd_rc rc, const char *msg);
/* Same, formatted. */
int dd_cli_failf(const dd_cli *cli, dd_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct dd_store;
struct dd_policy;
/*
 * Opens the database named by --db.  Without `create` a missing database is
 * an error telling the user to run `doudi init`.  Prints the error itself;
 * returns the exit code (0 on success).  The caller closes *st.
 */
int dd_cli_open_store(dd_cli *cli, bool create, struct dd_store **st);
/*
 * The policy in force: --policy FILE if given, else the one stored in the
 * database (st may be NULL: then the built-in defaults).  Prints errors;
 * returns the exit code.
 */
int dd_cli_policy(dd_cli *cli, struct dd_store *st, struct dd_policy *p);
/*
 * The policy of a command that needs no database (assess, print assessment):
 * --policy FILE, else the database's when there is one, else the defaults.
 * Prints errors; returns the exit code.  (Defined in cmd_assess.c.)
 */
int dd_cli_policy_nodb(dd_cli *cli, struct dd_policy *p);

/* The commands (one file each). */
int cmd_init(dd_cli *cli);
int cmd_import_registry(dd_cli *cli);
int cmd_stats(dd_cli *cli);
int cmd_gen(dd_cli *cli);
int cmd_backup(dd_cli *cli);
int cmd_policy_load(dd_cli *cli);
int cmd_policy_show(dd_cli *cli);
int cmd_assess(dd_cli *cli);
int cmd_assess_all(dd_cli *cli);      /* cmd_assess with --all */
int cmd_simulate(dd_cli *cli);
int cmd_apply(dd_cli *cli);
int cmd_application_show(dd_cli *cli);
int cmd_application_advance(dd_cli *cli);
int cmd_application_list(dd_cli *cli);
int cmd_application_object(dd_cli *cli);
int cmd_application_recheck(dd_cli *cli);
int cmd_application_decision(dd_cli *cli);
int cmd_application_form(dd_cli *cli);
int cmd_feed_import(dd_cli *cli);
int cmd_compare(dd_cli *cli);
int cmd_warnings(dd_cli *cli);
int cmd_print_form1(dd_cli *cli);
int cmd_print_assessment(dd_cli *cli);
int cmd_print_notice(dd_cli *cli);
int cmd_user_add(dd_cli *cli);
int cmd_serve(dd_cli *cli);
int cmd_demo(dd_cli *cli);

#endif
