/*
 * compare.h - the monthly comparison (比对, DOMAIN.md §4): every enabled rule
 * of the policy - the built-in W01–W18 and the county's own SQL rules - run
 * for one month M against the registry and the department feeds, in one
 * transaction, raising warnings without repeat noise.
 *
 * The rule table (dd_compare_rules) has one row per built-in rule; each
 * rule's query is one statement of the store backend (sqlite_warn.c).  See
 * docs/internals/compare.md.
 *
 * Ownership: plain data in and out; nothing to free.
 */
#ifndef DD_COMPARE_H
#define DD_COMPARE_H

#include "../core/dd.h"
#include "../core/date.h"
#include "../core/policy.h"
#include "../store/store.h"

/* A built-in rule (DOMAIN.md §4 table). */
typedef struct dd_compare_rule {
	const char *id;              /* "W01" */
	const char *type;            /* 刚性支出 (漏保) … */
	const char *reason;          /* 因病 … */
	bool needs_threshold;        /* the policy must give [rule.Wnn] threshold */
} dd_compare_rule;

extern const dd_compare_rule dd_compare_rules[];
extern const size_t dd_compare_nrules;
/* The built-in rule `id`, or NULL (a county rule). */
const dd_compare_rule *dd_compare_rule_find(const char *id);

/* The parameters of run month m under policy p (ages at the first day of m). */
void dd_compare_month_fill(const dd_policy *p, dd_month m, dd_compare_month *out);

/*
 * Checks the policy's rules before a run: a built-in rule carries no sql
 * and has its threshold where it needs one; any other rule has sql that
 * passes dd_store_rule_check.  Disabled rules are not checked.
 * DD_ERR_INPUT with the rule named.
 */
dd_rc dd_compare_check(dd_store *st, const dd_policy *p, dd_err *err);

/* One rule's outcome in a run. */
typedef struct dd_compare_result {
	char rule[16];
	char level[8];
	dd_rule_counts n;
	int64_t us;                  /* time the rule took */
} dd_compare_result;

typedef struct dd_compare_report {
	int64_t run_id;
	dd_compare_result rules[DD_POLICY_MAX_RULES];   /* enabled rules, in policy order */
	size_t nrules;
	int64_t us;                  /* whole run */
} dd_compare_report;

/*
 * Progress: called when rule i of n starts (r NULL) and when it ends (r set).
 * For a display only; it cannot stop the run.
 */
typedef void (*dd_compare_progress_fn)(void *arg, size_t i, size_t n, const char *rule,
				       const dd_compare_result *r);

/*
 * Runs every enabled rule of p for month m as `user`, in one transaction of
 * its own (nothing is written when it fails or the process dies).  Calls
 * dd_compare_check first.  progress may be NULL.
 */
dd_rc dd_compare_run(dd_store *st, const dd_policy *p, const char *user, dd_month m,
		     dd_compare_progress_fn progress, void *arg, dd_compare_report *rep,
		     dd_err *err);

#endif
