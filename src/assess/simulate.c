/*
 * simulate.c - re-assessing the registry: the re-check helpers of
 * `assess --all` and the policy simulation (simulate.h).
 */
#include "../core/dd.h"
#include "simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows per township: TK DB BY GZ, then NONE (QT is never computed). */
#define NCAT 5

dd_rc dd_reassess_cursor(void *cursor, const dd_registry_rec **rec, dd_err *err)
{
	return dd_store_registry_next(cursor, rec, err);
}

size_t dd_reassess_rank(unsigned category)
{
	size_t i = 0;
	while (i < DD_ARRAY_LEN(dd_categories) && dd_categories[i].bit != category)
		i++;
	return i;
}

unsigned dd_reassess_recorded(unsigned bits)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
		if (bits & dd_categories[i].bit)
			return dd_categories[i].bit;
	return 0;
}

bool dd_reassess_differs(unsigned recorded, unsigned computed)
{
	return recorded != computed && !(recorded == DD_CAT_QT && computed == 0);
}

size_t dd_reassess_decisive(unsigned recorded, unsigned computed)
{
	size_t r = DD_MIN(dd_reassess_rank(recorded), dd_reassess_rank(computed));
	return r < DD_ARRAY_LEN(dd_categories) ? r : DD_ARRAY_LEN(dd_categories) - 1;
}

void dd_sim_allowance(const dd_assessment *a, const dd_member *m, dd_fen *month, int *persons)
{
	*month = 0;
	*persons = 0;
	if (a->nsingle_db > 0) {
		for (size_t i = 0; i < a->nmembers; i++) {
			if (!a->members[i].single_db)
				continue;
			dd_fen gap = 12 * a->f.S - (m[i].wage_income > 0 ? m[i].wage_income : 0);
			*month += gap > 0 ? gap / 12 : 0;
			(*persons)++;
		}
	} else if (a->category == DD_CAT_DB) {
		dd_fen gap = a->f.db_line - a->f.A;   /* > 0: the DB income test passed */
		*month = gap > 0 ? gap / 12 : 0;
		*persons = a->f.n;
	}
}

/* Row index of a computed category within its township's block. */
static size_t slot(unsigned category)
{
	size_t r = dd_reassess_rank(category);
	return r < NCAT - 1 ? r : NCAT - 1;
}

/* The block of NCAT rows of the township of `region` (added when new). */
static dd_sim_row *block(dd_sim_result *r, size_t *cap, const char *region, dd_err *err)
{
	char t[10];
	snprintf(t, sizeof t, "%.9s", region ? region : "");
	for (size_t i = r->nrows; i >= NCAT; i -= NCAT)   /* newest first: households come by village */
		if (!strcmp(r->rows[i - NCAT].township, t))
			return &r->rows[i - NCAT];
	if (r->nrows + NCAT > *cap) {
		size_t ncap = *cap ? *cap * 2 : 16 * NCAT;
		dd_sim_row *p = realloc(r->rows, ncap * sizeof *p);
		if (!p) {
			dd_err_set(err, DD_ERR_NOMEM, "内存不足");
			return NULL;
		}
		r->rows = p;
		*cap = ncap;
	}
	dd_sim_row *b = &r->rows[r->nrows];
	memset(b, 0, NCAT * sizeof *b);
	for (size_t k = 0; k < NCAT; k++) {
		memcpy(b[k].township, t, sizeof t);
		b[k].category = k < NCAT - 1 ? dd_categories[k].bit : 0;
	}
	r->nrows += NCAT;
	return b;
}

static void add2(int64_t v[2], int64_t persons)
{
	v[0]++;
	v[1] += persons;
}

/* Counts one household, assessed a0 under the base and a1 under the new policy, into rows b[]. */
static void count(dd_sim_row *b, const dd_registry_rec *rec, const dd_assessment *a0,
		  const dd_assessment *a1)
{
	dd_sim_row *r0 = &b[slot(a0->category)], *r1 = &b[slot(a1->category)];
	int64_t persons = (int64_t)rec->nmembers;
	dd_fen m0, m1;
	int p0, p1;

	add2(r0->before, persons);
	add2(r1->after, persons);
	if (a0->category != a1->category) {
		if (!a0->category)
			add2(r1->enter, persons);
		else if (!a1->category)
			add2(r0->leave, persons);
		else {
			add2(r0->change_out, persons);
			add2(r1->change_in, persons);
		}
	}
	dd_sim_allowance(a0, rec->members, &m0, &p0);
	dd_sim_allowance(a1, rec->members, &m1, &p1);
	r0->db_persons_before += p0;
	r0->cost_before += m0;
	r1->db_persons_after += p1;
	r1->cost_after += m1;
}

static void sum_into(dd_sim_row *to, const dd_sim_row *from)
{
	for (int k = 0; k < 2; k++) {
		to->before[k] += from->before[k];
		to->after[k] += from->after[k];
		to->enter[k] += from->enter[k];
		to->leave[k] += from->leave[k];
		to->change_in[k] += from->change_in[k];
		to->change_out[k] += from->change_out[k];
	}
	to->db_persons_before += from->db_persons_before;
	to->db_persons_after += from->db_persons_after;
	to->cost_before += from->cost_before;
	to->cost_after += from->cost_after;
}

static int by_township(const void *x, const void *y)
{
	const dd_sim_row *a = x, *b = y;
	int c = strcmp(a->township, b->township);
	return c ? c : (int)slot(a->category) - (int)slot(b->category);
}

static dd_rc check_year(const dd_policy *p, const char *which, dd_date at, dd_err *err)
{
	int y, m, d;
	dd_date_to_ymd(at, &y, &m, &d);
	if (dd_policy_standards(p, y))
		return DD_OK;
	return dd_err_set(err, DD_ERR_INPUT, "%s中没有 %d 年或更早年度的标准（[standards.%d]）", which, y, y);
}

dd_rc dd_simulate(const dd_policy *base, const dd_policy *next, dd_date at, dd_rec_source src,
		  void *arg, dd_sim_result *out, dd_err *err)
{
	dd_assessment *a0 = malloc(sizeof *a0), *a1 = malloc(sizeof *a1);
	const dd_registry_rec *rec;
	size_t cap = 0;
	dd_err why = { 0 };
	dd_rc rc = DD_ERR_NOMEM;

	memset(out, 0, sizeof *out);
	if (!a0 || !a1) {
		dd_err_set(err, rc, "内存不足");
		goto done;
	}
	if ((rc = check_year(base, "现行政策参数", at, err)) != DD_OK ||
	    (rc = check_year(next, "新政策参数", at, err)) != DD_OK)
		goto done;
	while ((rc = src(arg, &rec, err)) == DD_OK) {
		const dd_household *h = &rec->h;
		out->households++;
		/* counts and sums only: no trace texts */
		if (dd_assess_ex(base, h, rec->members, rec->nmembers, rec->obligors, rec->nobligors, at,
				 false, a0, &why) != DD_OK ||
		    dd_assess_ex(next, h, rec->members, rec->nmembers, rec->obligors, rec->nobligors, at,
				 false, a1, &why) != DD_OK) {
			if (!out->skipped++)
				snprintf(out->first_skip, sizeof out->first_skip, "%.100s：%s",
					 h->household_no ? h->household_no : "", why.msg);
			continue;
		}
		dd_sim_row *b = block(out, &cap, h->region_code, err);
		if (!b) {
			rc = DD_ERR_NOMEM;
			goto done;
		}
		count(b, rec, a0, a1);
	}
	if (rc != DD_DONE)
		goto done;
	qsort(out->rows, out->nrows, sizeof *out->rows, by_township);
	for (size_t i = 0; i < out->nrows; i++)
		sum_into(&out->total, &out->rows[i]);
	rc = DD_OK;
done:
	free(a0);
	free(a1);
	return rc;
}

void dd_sim_result_release(dd_sim_result *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = 0;
}
