/*
 * workflow.h - applications and the recognition procedure (申请 → 认定,
 * DOMAIN.md §3.1–§3.3).
 *
 * One procedure for every category and for exits ("怎么进怎么出"):
 *
 *   submitted 申请 → village_review 村社评议 → economic_check 家庭经济状况核对
 *   → home_visit 入户调查 → first_review 初审 → public_notice 公示
 *   → decision 审核确认 → published 公开;  village_review … public_notice → rejected 不予认定
 *
 * The rules are pure functions (dd_flow_check, the date helpers), so they are
 * tested without a database; dd_flow_apply / dd_flow_advance load the
 * application, check the request with dd_flow_check and write the result
 * through the store in one transaction.  Whatever a caller sends, a
 * transition out of order is refused here, before anything is written.
 *
 * Ownership: everything is borrowed for the call; the functions keep nothing.
 */
#ifndef DD_WORKFLOW_H
#define DD_WORKFLOW_H

#include "../core/dd.h"
#include "../core/date.h"
#include "../core/policy.h"
#include "../core/registry.h"
#include "../assess/assess.h"
#include "../store/store.h"

typedef enum {
	DD_FLOW_SUBMITTED,
	DD_FLOW_VILLAGE_REVIEW,
	DD_FLOW_ECONOMIC_CHECK,
	DD_FLOW_HOME_VISIT,
	DD_FLOW_FIRST_REVIEW,
	DD_FLOW_PUBLIC_NOTICE,
	DD_FLOW_DECISION,
	DD_FLOW_PUBLISHED,
	DD_FLOW_REJECTED,
	DD_FLOW_NSTATES
} dd_flow_state;

/* Code (stored, used on the command line) and Chinese name, indexed by dd_flow_state. */
typedef struct dd_flow_name {
	const char *code;
	const char *zh;
} dd_flow_name;
extern const dd_flow_name dd_flow_states[DD_FLOW_NSTATES];
/*
 * The 19 needs of DOMAIN.md §3.1 (附件2), in the form's order: need i is
 * need i of dd_report_needs, so a mask of one is a mask of the other.
 */
#define DD_FLOW_NNEEDS 19
extern const dd_flow_name dd_flow_needs[DD_FLOW_NNEEDS];
/* Channels: window 窗口, village 村代办, online 网上, discovered 主动发现. */
#define DD_FLOW_NCHANNELS 4
extern const dd_flow_name dd_flow_channels[DD_FLOW_NCHANNELS];
/* Kinds: entry 申请认定, exit 退出. */
extern const dd_flow_name dd_flow_kinds[2];

/* The entry of `table` named by code or Chinese name (len bytes), or -1. */
int dd_flow_lookup(const dd_flow_name *table, size_t n, const char *s, size_t len);
/* Bit i set for every need code dd_flow_needs[i] in `codes` (joined with ';'); unknown codes are skipped. */
uint32_t dd_flow_needs_mask(const char *codes);
/* The state's index by code or Chinese name, or -1. */
int dd_flow_state_parse(const char *s);
/* The Chinese name of a state code ("?" when unknown). */
const char *dd_flow_state_zh(const char *code);

/*
 * True when a is an exit (kind "exit") that was decided (审核确认, then 公开):
 * the household's assistance ended.  Its stored decided_category is "NONE"
 * as for a rejection, so documents and listings ask this instead.
 */
bool dd_flow_exit_decided(const dd_application *a);

/* What a caller asks of an application (dd_flow_advance). */
typedef struct dd_flow_request {
	dd_flow_state to;              /* DD_FLOW_REJECTED for a rejection */
	const char *user;              /* required */
	dd_date on;                    /* the business date (today) */
	const char *comment;           /* may be NULL */
	const char *investigators;     /* home visit: names separated by , ， 、 or ; */
	const char *category;          /* decision: a manual category (TK DB BY GZ QT or Chinese) */
	const char *reason;            /* override or rejection reason */
	bool fp_risk_cleared;          /* decision of an exit: mark an FP household 风险消除 */
} dd_flow_request;

/*
 * Checks request r against application a (its state, kind, notice period and
 * computed category) under policy p.  DD_OK, or DD_ERR_INPUT with a Chinese
 * message saying what is wrong and what would be allowed.
 */
dd_rc dd_flow_check(const dd_policy *p, const dd_application *a, const dd_flow_request *r,
		    dd_err *err);

/* Length of the list separator at s (, ; ， 、 ；), or 0: lists of names and of needs. */
size_t dd_flow_separator(const char *s);
/* Number of distinct non-empty names in a list separated by , ， 、 or ;. */
int dd_flow_count_names(const char *list);

/*
 * The date n working days after d, counting Monday to Friday only (public
 * holidays are out of scope: a county's holiday calendar is not in the
 * policy).  A decision on Friday with n = 3 is due on Wednesday.
 */
dd_date dd_flow_add_working_days(dd_date d, int n);

/* The last day of the public notice begun on `from` (notice_days days, `from` included). */
dd_date dd_flow_notice_until(const dd_policy *p, dd_date from);

/*
 * Key-protection person (重点保障人员, W17): age >= tk_age or < tk_minor_age
 * (as the assessment computed), severely disabled, or 患有大病.
 */
bool dd_flow_key_person(const dd_assess_member *am, const dd_member *m);

/*
 * Months between re-checks of a household recognised in `category` (one
 * DD_CAT_* bit): DB households whose members are all key-protection persons,
 * and TK, BY, GZ households: recheck_months_stable; other DB households:
 * recheck_months_other; 0 (no schedule) otherwise.
 */
int dd_flow_recheck_months(const dd_policy *p, unsigned category, bool all_key_persons);
/* `from` plus `months`, the same day of the month or the month's last day. */
dd_date dd_flow_due_after_months(dd_date from, int months);

/*
 * A registry household read back (dd_flow_household_read, exited or not)
 * and assessed (dd_flow_household_assess; for documents and the decision).
 * rec and a stay valid until dd_flow_household_release, which also frees a
 * zeroed struct.  DD_ERR_NOTFOUND when the household is not in the registry.
 */
typedef struct dd_flow_household {
	dd_registry_cursor *cur;
	const dd_registry_rec *rec;
	dd_assessment *a;              /* malloc'ed; NULL after dd_flow_household_read */
} dd_flow_household;
dd_rc dd_flow_household_read(dd_store *st, int64_t household_id, dd_flow_household *x, dd_err *err);
dd_rc dd_flow_household_assess(dd_store *st, const dd_policy *p, int64_t household_id, dd_date on,
			       dd_flow_household *x, dd_err *err);
void dd_flow_household_release(dd_flow_household *x);

/*
 * Registers an application given as JSON (docs/internals/workflow.md):
 * applicant_name, applicant_id, kind (entry/exit, default entry), channel,
 * hardship, needs, emergency, emergency_payment, and either household_no (a
 * registry household) or household (a new one, as `doudi assess` input; it
 * is added to the registry under an import of kind "application").
 * Writes app_no.  DD_ERR_INPUT naming the field; DD_ERR_NOTFOUND for an
 * unknown household_no.  `origin` names the input in messages.
 */
dd_rc dd_flow_apply(dd_store *st, const dd_policy *p, const char *user, const char *json,
		    size_t len, const char *origin, dd_date on, char app_no[24], dd_err *err);

/*
 * Moves application `key` (app_no or row id) as r asks, after dd_flow_check,
 * in one transaction with its effects: the assessment of the economic check,
 * the notice dates, and at the decision the registry update and the
 * follow-ups of §3.3 (see workflow.md).
 */
dd_rc dd_flow_advance(dd_store *st, const dd_policy *p, const char *key, const dd_flow_request *r,
		      dd_err *err);

/*
 * The 审核确认决定书 of application a as PDF, appended to pdf: the household
 * re-assessed at the economic check's date (the numbers the reviewers read),
 * marked 拟认定 before the decision, else the decided category (with the
 * override when it differs from the computed one), 不予认定 with the reason,
 * or 退出 for an exit.  doc_no NULL: the application number.  DD_ERR_INPUT
 * before the economic check.
 */
dd_rc dd_flow_decision_pdf(dd_store *st, const dd_policy *p, const dd_application *a,
			   const char *doc_no, dd_buf *pdf, dd_err *err);

/* Records an objection (异议) during the public notice; refused in any other state. */
dd_rc dd_flow_object(dd_store *st, const char *key, const char *user, dd_date on,
		     const char *text, dd_err *err);

/*
 * Records the re-check of a household as done on `on` with `result`: the
 * earliest open re-check is closed (one is created when none was scheduled)
 * and the next one is scheduled from `on` by the household's current category.
 */
dd_rc dd_flow_recheck_done(dd_store *st, const dd_policy *p, const char *user,
			   const char *household_no, dd_date on, const char *result, dd_err *err);

#endif
