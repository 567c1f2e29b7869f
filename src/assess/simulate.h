/*
 * simulate.h - re-assessing the whole registry with the engine (assess.h):
 * the re-check list of `doudi assess --all` and the policy simulation of
 * `doudi simulate` (docs/internals/simulate.md).
 *
 * Both read households from a source callback (the store's registry cursor
 * in the commands, plain arrays in the tests), assess each with dd_assess
 * (no second implementation of any rule) and keep only counts and sums.
 *
 * Ownership: a dd_sim_result owns its rows (dd_sim_result_release frees
 * them); everything else is plain data.  Money is fen.
 */
#ifndef DD_SIMULATE_H
#define DD_SIMULATE_H

#include "../core/dd.h"
#include "../core/policy.h"
#include "../store/store.h"
#include "assess.h"

/*
 * A source of households: DD_OK with *rec (valid until the next call),
 * DD_DONE at the end, or an error.  dd_reassess_cursor adapts a store cursor.
 */
typedef dd_rc (*dd_rec_source)(void *arg, const dd_registry_rec **rec, dd_err *err);
dd_rc dd_reassess_cursor(void *cursor, const dd_registry_rec **rec, dd_err *err);

/* Priority rank of a category: 0 TK, 1 DB, 2 BY, 3 GZ, 4 QT, 5 NONE (0 or anything else). */
#define DD_REASSESS_NRANK 6
size_t dd_reassess_rank(unsigned category);

/*
 * The category a household is recorded in, for comparison with the
 * engine: the highest of TK DB BY GZ QT in its bits, 0 (NONE) for none.
 */
unsigned dd_reassess_recorded(unsigned bits);
/*
 * Whether the computed category differs from the recorded one.  QT is a
 * manual designation the engine never computes: a QT household computed
 * NONE is no difference; computed TK DB BY or GZ it is.
 */
bool dd_reassess_differs(unsigned recorded, unsigned computed);
/*
 * The trace line that decides a difference: that of the higher-ranked of
 * the two categories (TK > DB > BY > GZ > QT > NONE), which says why the
 * household now passes it or no longer does.  An index into a->trace.
 */
size_t dd_reassess_decisive(unsigned recorded, unsigned computed);

/*
 * DB allowance of one assessed household, per month, in fen, and how many
 * persons receive it:
 *   - category DB by the household test (no single-person DB members):
 *     the n non-TK members, max(0, (12 × S × n − A) / 12), the division
 *     rounding down (floor) in fen;
 *   - single-person DB members (§2.2, also when all of them make the
 *     household DB): each is one person with their own gap
 *     max(0, (12 × S − own annual wage) / 12), rounded down, a wage not
 *     given counting 0;
 *   - otherwise 0 and 0.  TK support is not a DB allowance.
 */
void dd_sim_allowance(const dd_assessment *a, const dd_member *m, dd_fen *month, int *persons);

/* Counts of one township and category.  Index [0] households, [1] persons (current members). */
typedef struct dd_sim_row {
	char township[10];       /* the 9-digit prefix of region_code */
	unsigned category;       /* DD_CAT_TK … GZ, or 0 for NONE (there only for completeness: no cost) */
	int64_t before[2], after[2];     /* in the category under the base / the new policy */
	int64_t enter[2];        /* NONE under the base, this category under the new policy */
	int64_t leave[2];        /* this category under the base, NONE under the new */
	int64_t change_in[2];    /* another category under the base, this one under the new */
	int64_t change_out[2];   /* this category under the base, another one under the new */
	int64_t db_persons_before, db_persons_after;   /* DB allowance receivers (dd_sim_allowance) */
	dd_fen cost_before, cost_after;                /* monthly DB allowances, fen */
} dd_sim_row;

typedef struct dd_sim_result {
	dd_sim_row *rows;        /* by township, then category in priority order, NONE last */
	size_t nrows;
	dd_sim_row total;        /* the county, all categories summed (township "", category 0) */
	int64_t households;      /* households read */
	int64_t skipped;         /* households the engine refused (no current member…) */
	char first_skip[640];    /* the first refusal: household_no and reason */
} dd_sim_result;

/*
 * Assesses every household of `src` at `at` under `base` and `next` and
 * fills *out (zeroed first; release it even on failure).  A household the
 * engine refuses (DD_ERR_INPUT) is counted in `skipped`, not an error.
 * DD_ERR_INPUT when either policy has no standards for the year of `at`.
 */
dd_rc dd_simulate(const dd_policy *base, const dd_policy *next, dd_date at, dd_rec_source src,
		  void *arg, dd_sim_result *out, dd_err *err);
void dd_sim_result_release(dd_sim_result *r);

#endif
