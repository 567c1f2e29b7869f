/*
 * policy.h - the county's policy parameters (FORMATS.md §4, DOMAIN.md).
 *
 * One source of truth: the built-in defaults are the text that `doudi init`
 * writes (dd_policy_default_text), parsed like any policy file, so the
 * defaults in code and in the file cannot drift apart.  A dd_policy is plain
 * data (fixed arrays, no pointers into other memory): copy it freely, nothing
 * to free.  Amounts are fen, percentages whole numbers.
 */
#ifndef DD_POLICY_H
#define DD_POLICY_H

#include "dd.h"
#include "money.h"

#define DD_POLICY_MAX_YEARS 64
#define DD_POLICY_MAX_RULES 64
#define DD_POLICY_SQL_MAX 2048

/* [standards.YYYY]: figures in force in that calendar year. */
typedef struct dd_standards {
	int year;
	dd_fen dibao_urban_month;        /* DB standard S, non-agricultural hukou, per person per month */
	dd_fen dibao_rural_month;        /* DB standard S, agricultural hukou */
	dd_fen disposable_income_urban;  /* last year's per-capita disposable income, per year */
	dd_fen disposable_income_rural;
	dd_fen fin_assets_limit;         /* DB limit on per-capita financial assets */
	dd_fen vehicle_limit;            /* DB: a vehicle above this value fails */
	dd_fen fp_line;                  /* FP monitoring line, annual per-capita net income */
} dd_standards;

/* [rule.Wnn] or a county rule. */
typedef struct dd_rule_cfg {
	char id[16];                     /* "W01" */
	bool enabled;
	char level[8];                   /* red / yellow / blue */
	dd_fen threshold;                /* yuan in the file; fen here; -1 when the rule has none */
	/* County rules (docs/internals/compare.md): a SELECT over the read-only v_* views,
	 * checked at parse time to be one SELECT with no writing keyword; "" for built-ins. */
	char name[96];
	char description[256];
	char sql[DD_POLICY_SQL_MAX];
} dd_rule_cfg;

typedef struct dd_policy {
	char county_code[16];
	char county_name[96];
	dd_standards standards[DD_POLICY_MAX_YEARS];   /* sorted by year */
	size_t nstandards;
	/* [assess] */
	int edge_percent;
	int rigid_percent;
	dd_fen employment_cost_month;
	int tk_age;
	int tk_minor_age;
	int tk_income_months;
	int obligor_line_factor;
	int gz_valid_months;
	/* [procedure] */
	int notice_days;
	int dispatch_deadline_days;
	int payment_due_day;
	dd_fen emergency_small_amount;
	int recheck_months_stable;       /* DB households of key-protection persons, TK, BY, GZ */
	int recheck_months_other;        /* other DB households */
	dd_rule_cfg rules[DD_POLICY_MAX_RULES];
	size_t nrules;
} dd_policy;

/* The commented default policy.ini for a county (malloc'ed; caller frees). */
char *dd_policy_default_text(const char *county_code, const char *county_name);
/* Fills p with the built-in defaults (county 230304 滴道区). Cannot fail except on a bug. */
dd_rc dd_policy_default(dd_policy *p, dd_err *err);
/*
 * Parses INI text over the defaults: keys present override, absent keys keep
 * their default.  An unknown section or key, a malformed number or money
 * value, or a bad level is DD_ERR_INPUT naming `origin` and the line.
 */
dd_rc dd_policy_parse(dd_policy *p, const char *text, const char *origin, dd_err *err);
dd_rc dd_policy_load_file(dd_policy *p, const char *path, dd_err *err);
/* The defaults, then `text` (the policy kept in the database; NULL: none) over them. */
dd_rc dd_policy_stored(dd_policy *p, const char *text, dd_err *err);
/* The standards of `year`, or of the latest earlier year present; NULL when none. */
const dd_standards *dd_policy_standards(const dd_policy *p, int year);
/* The rule's settings, or NULL. */
const dd_rule_cfg *dd_policy_rule(const dd_policy *p, const char *id);

#endif
