/*
 * assess.h - the assessment engine (分类审核认定, DOMAIN.md §2.1–§2.3, §3.4).
 *
 * dd_assess decides, for one household at one date, the category it is
 * recognised in (TK > DB > BY > GZ; QT is a manual designation), which
 * members are TK, which are single-person DB, whether it is an FP candidate,
 * and returns every figure and one trace line per category with the numbers.
 *
 * The engine is pure: no I/O, no allocation; the result is plain data the
 * caller owns (a dd_assessment is large, ~20 KiB: allocate it once).  Money is
 * fen; every comparison is exact integer arithmetic on annual totals.
 */
#ifndef DD_ASSESS_H
#define DD_ASSESS_H

#include "../core/dd.h"
#include "../core/date.h"
#include "../core/money.h"
#include "../core/policy.h"
#include "../core/registry.h"

/* Members one household may have; more is an input error. */
#define DD_ASSESS_MAX_MEMBERS 64
/* Size of one trace text ("why"), UTF-8; a longer text is cut and ends with "…". */
#define DD_ASSESS_WHY 2048

/* The first condition of DOMAIN.md §2.2a a member fails (its number), or TK. */
typedef enum {
	DD_TK_YES = 0,
	DD_TK_FAIL_GROUP = 1,    /* not elderly, minor or severely disabled */
	DD_TK_FAIL_LABOR = 2,    /* has labour capacity and is not a minor */
	DD_TK_FAIL_INCOME = 3,   /* own wage not below tk_income_months × S */
	DD_TK_FAIL_SUPPORT = 4,  /* an obligor or another member can support */
	DD_TK_FAIL_ORPHAN = 5    /* receives the orphan / unsupported-child guarantee */
} dd_tk_result;

typedef struct dd_assess_member {
	int age;                 /* whole years at the assessment date */
	bool elderly, minor, severe;
	dd_tk_result tk;         /* DD_TK_YES: the member is TK */
	bool single_db;          /* recognised DB alone (§2.2) */
} dd_assess_member;

/*
 * Figures (fen unless said otherwise).  Lines defined by a percentage are
 * kept as 100 × the line (`_x100`) so they stay exact: the tests are
 * 100 × A < by_line_x100 and so on.
 */
typedef struct dd_assess_figures {
	int year;                      /* year of the standards used */
	int n, m;                      /* non-TK members, all members */
	dd_fen G, N, E, A, S;
	dd_fen medical, education, rehab;   /* the household's 12-month expenses */
	dd_fen rigid;                  /* medical + education + rehab */
	dd_fen fin_assets, vehicle_value;
	dd_fen db_line;                /* 12 × S × n */
	dd_fen fin_assets_limit;       /* per capita, of the standards */
	dd_fen fin_db_limit;           /* fin_assets_limit × n */
	dd_fen vehicle_limit;          /* vehicle_limit of the standards */
	int64_t by_line_x100;          /* edge_percent × db_line */
	int64_t fin_by_limit_x100;     /* edge_percent × fin_db_limit */
	int64_t vehicle_by_limit_x100; /* edge_percent × vehicle_limit */
	dd_fen disposable_income;      /* per capita, the hukou's figure */
	dd_fen gz_line;                /* disposable_income × n */
	int64_t rigid_line_x100;       /* rigid_percent × G */
	dd_fen fp_line;                /* per capita, of the standards */
	dd_fen fp_total;               /* fp_line × m */
	dd_fen tk_income_line;         /* tk_income_months × S */
	dd_fen obligor_line;           /* obligor_line_factor × S */
	dd_fen employment_cap;         /* 12 × employment_cost_month */
} dd_assess_figures;

/* One line of the trace: a category tried, whether its tests passed, why. */
typedef struct dd_assess_step {
	unsigned category;       /* DD_CAT_TK … DD_CAT_QT */
	bool passed;
	char why[DD_ASSESS_WHY]; /* Chinese, with the numbers in yuan */
} dd_assess_step;

typedef struct dd_assessment {
	unsigned category;       /* one of DD_CAT_TK DB BY GZ, or 0 for NONE */
	size_t nmembers;
	dd_assess_member members[DD_ASSESS_MAX_MEMBERS];   /* in input order */
	size_t ntekun, nsingle_db;
	bool fp_candidate;
	char fp_why[DD_ASSESS_WHY];
	dd_assess_figures f;
	dd_assess_step trace[5]; /* TK DB BY GZ QT, always all five */
} dd_assessment;

/*
 * Assesses household h with its members m[0..nm) and obligors o[0..no) at
 * date `at` under policy p.  The household's recorded categories and the
 * members' is_tekun flags are ignored: the result is computed.  Member wages
 * of -1 count as 0; obligor incomes of -1 as unable to support.
 *
 * DD_ERR_INPUT (out partly filled, err says why, naming the field) when: no
 * standards for the year of `at` or earlier, no hukou type, no member or more
 * than DD_ASSESS_MAX_MEMBERS, a negative or out-of-range amount, a member
 * born after `at`, or a figure beyond int64 (only with absurd policies).
 */
dd_rc dd_assess(const dd_policy *p, const dd_household *h, const dd_member *m, size_t nm,
		const dd_obligor *o, size_t no, dd_date at, dd_assessment *out, dd_err *err);

/*
 * dd_assess with or without the texts.  With trace false everything is
 * computed as by dd_assess (category, members, figures, the trace lines'
 * category and passed) except the texts: every trace[].why and fp_why is
 * "", and only members[0..nm) is cleared (not the whole ~13 KiB).  For bulk
 * re-assessment, where writing the texts was most of the engine's time: run
 * it again with trace true for the few households that are listed.
 */
dd_rc dd_assess_ex(const dd_policy *p, const dd_household *h, const dd_member *m, size_t nm,
		   const dd_obligor *o, size_t no, dd_date at, bool trace, dd_assessment *out,
		   dd_err *err);

/* "TK" "DB" "BY" "GZ" "QT", or "NONE" for 0. */
const char *dd_assess_code(unsigned category);

/* Writes an `_x100` figure as yuan: two decimals, more only when needed
 * ("12600.00", "12600.005"). */
void dd_assess_format_x100(int64_t v, char buf[40]);

/*
 * The decision as one line of JSON (FORMATS.md §5 "assess input and output"),
 * appended to `out` with no newline.  h, m, nm are those given to dd_assess.
 */
dd_rc dd_assess_json(const dd_assessment *a, const dd_household *h, const dd_member *m,
		     size_t nm, dd_date at, dd_buf *out, dd_err *err);

#endif
