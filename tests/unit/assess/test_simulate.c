/*
 * test_simulate.c - the policy simulation's arithmetic and the re-check
 * helpers of `assess --all`, on records given directly (no database).
 */
#include "unit.h"

#include "assess/simulate.h"

#include <stdlib.h>

/* Rural S 700 → 800, financial-asset limit 20000 → 10000 per person. */
static const char base_ini[] =
	"[standards.2025]\n"
	"dibao_urban_month = 800\n"
	"dibao_rural_month = 700\n"
	"disposable_income_urban = 40000\n"
	"disposable_income_rural = 20000\n"
	"fin_assets_limit = 20000\n"
	"vehicle_limit = 0\n"
	"fp_line = 8400\n";
static const char next_ini[] =
	"[standards.2025]\n"
	"dibao_rural_month = 800\n"
	"fin_assets_limit = 10000\n";

typedef struct hcase {
	const char *no, *region;
	dd_fen transfer, fin;     /* fen */
	int adults, ill;          /* healthy adults, adults 患有大病 (no wage recorded) */
} hcase;

static const hcase households[] = {
	/* A 13000 >= 150 % of 8400, < 150 % of 9600: enters BY */
	{ "H1-enter-BY", "230304200203", 1300000, 0, 1, 0 },
	/* A 9000.05 >= 8400, < 9600: BY -> DB; (960000 - 900005) / 12 = 4999.58 -> 4999 fen */
	{ "H2-BY-to-DB", "230304200203", 900005, 0, 1, 0 },
	/* fin 15000: within 20000, exactly 150 % of the new 10000 -> leaves (NONE) */
	{ "H3-leave", "230304200101", 600000, 1500000, 1, 0 },
	/* fin 12000: above the new DB limit, below 150 % of it -> DB to BY */
	{ "H4-DB-to-BY", "230304200101", 600000, 1200000, 1, 0 },
	/* two persons stay DB: (1680000 - 1000000) / 12 -> 56666, then (1920000 - 1000000) / 12 -> 76666 */
	{ "H5-stay-DB", "230304200203", 1000000, 0, 2, 0 },
	/* A 17000: BY with one ill member single-person DB (own gap 700.00), then DB for both:
	 * (1920000 - 1700000) / 12 -> 18333 */
	{ "H6-single-to-DB", "230304201200", 1700000, 0, 1, 1 },
	/* no current member: the engine refuses it */
	{ "H7-empty", "230304201200", 0, 0, 0, 0 },
};
#define NH DD_ARRAY_LEN(households)

typedef struct src {
	dd_registry_rec recs[NH];
	dd_member members[NH][4];
	size_t next;
} src;

static dd_rc next_rec(void *arg, const dd_registry_rec **rec, dd_err *err)
{
	src *s = arg;
	DD_UNUSED(err);
	if (s->next == NH)
		return DD_DONE;
	*rec = &s->recs[s->next++];
	return DD_OK;
}

static void make_id(size_t h, size_t i, dd_id *id)
{
	char t[19];
	snprintf(t, sizeof t, "23030419800101%02zu%zu", h, i);
	t[17] = dd_id_check_digit(t);
	t[18] = '\0';
	assert_int_equal(dd_id_parse(t, 18, id), DD_ID_OK);
}

static void build(src *s)
{
	memset(s, 0, sizeof *s);
	for (size_t h = 0; h < NH; h++) {
		const hcase *c = &households[h];
		dd_registry_rec *r = &s->recs[h];
		r->id = (int64_t)h + 1;
		r->h.household_no = c->no;
		r->h.region_code = c->region;
		r->h.hukou = DD_HUKOU_RURAL;
		r->h.transfer_income = c->transfer;
		r->h.fin_assets = c->fin;
		r->members = s->members[h];
		for (int i = 0; i < c->adults + c->ill; i++) {
			dd_member *m = &s->members[h][r->nmembers++];
			m->household_no = c->no;
			make_id(h, (size_t)i, &m->id);
			m->labor = "普通劳动力";
			m->health = i >= c->adults ? "患有大病" : "健康";
			m->wage_income = -1;
			m->work_months = -1;
		}
	}
}

static void policies(dd_policy *base, dd_policy *next)
{
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(base, &err), DD_OK);
	assert_int_equal(dd_policy_parse(base, base_ini, "base", &err), DD_OK);
	*next = *base;
	assert_int_equal(dd_policy_parse(next, next_ini, "next", &err), DD_OK);
}

static const dd_sim_row *find(const dd_sim_result *r, const char *township, unsigned category)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].township, township) && r->rows[i].category == category)
			return &r->rows[i];
	fail_msg("no row %s %s", township, dd_assess_code(category));
	return NULL;
}

/* Expected counts of one row: [households, persons] pairs, then DB persons and costs in fen. */
typedef struct rcase {
	const char *name, *township;
	unsigned category;
	int64_t before[2], after[2], enter[2], leave[2], change_in[2], change_out[2];
	int64_t dbp_before, dbp_after;
	dd_fen cost_before, cost_after;
} rcase;

static const rcase rows[] = {
	{ "township 230304200 DB: H2 enters from BY, H3 leaves, H4 goes to BY, H5 stays", "230304200",
	  DD_CAT_DB, { 3, 4 }, { 2, 3 }, { 0, 0 }, { 1, 1 }, { 1, 1 }, { 1, 1 }, 4, 3,
	  20000 + 20000 + 56666, 4999 + 76666 },
	{ "township 230304200 BY: H1 enters from NONE, H4 comes from DB, H2 goes to DB", "230304200",
	  DD_CAT_BY, { 1, 1 }, { 2, 2 }, { 1, 1 }, { 0, 0 }, { 1, 1 }, { 1, 1 }, 0, 0, 0, 0 },
	{ "township 230304200 NONE: H1 before, H3 after", "230304200", 0, { 1, 1 }, { 1, 1 }, { 0, 0 },
	  { 0, 0 }, { 0, 0 }, { 0, 0 }, 0, 0, 0, 0 },
	{ "township 230304201 BY: single-person DB member with her own gap 700.00", "230304201", DD_CAT_BY,
	  { 1, 2 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 0 }, { 1, 2 }, 1, 0, 70000, 0 },
	{ "township 230304201 DB: the whole household after the rise, floor of 18333.33", "230304201",
	  DD_CAT_DB, { 0, 0 }, { 1, 2 }, { 0, 0 }, { 0, 0 }, { 1, 2 }, { 0, 0 }, 0, 2, 0, 18333 },
	{ "county total", "", 0, { 6, 8 }, { 6, 8 }, { 1, 1 }, { 1, 1 }, { 3, 4 }, { 3, 4 }, 5, 5,
	  166666, 99998 },
};

static void check_row(const dd_sim_row *g, const rcase *c)
{
	for (int k = 0; k < 2; k++) {
		CASE_CHECK(g->before[k] == c->before[k], c->name);
		CASE_CHECK(g->after[k] == c->after[k], c->name);
		CASE_CHECK(g->enter[k] == c->enter[k], c->name);
		CASE_CHECK(g->leave[k] == c->leave[k], c->name);
		CASE_CHECK(g->change_in[k] == c->change_in[k], c->name);
		CASE_CHECK(g->change_out[k] == c->change_out[k], c->name);
	}
	CASE_CHECK(g->db_persons_before == c->dbp_before, c->name);
	CASE_CHECK(g->db_persons_after == c->dbp_after, c->name);
	CASE_CHECK(g->cost_before == c->cost_before, c->name);
	CASE_CHECK(g->cost_after == c->cost_after, c->name);
}

/* The fixture registry simulated under the base and the raised policy on `at`. */
static dd_rc simulate_at(dd_date at, dd_sim_result *r, dd_err *err)
{
	static src s;
	static dd_policy base, next;

	build(&s);
	policies(&base, &next);
	return dd_simulate(&base, &next, at, next_rec, &s, r, err);
}

static void simulation_counts_and_costs(void **state)
{
	dd_sim_result r;
	dd_err err = { 0 };

	DD_UNUSED(state);
	assert_int_equal(simulate_at(dd_date_from_ymd(2025, 12, 1), &r, &err), DD_OK);
	assert_int_equal(r.households, 7);
	assert_int_equal(r.skipped, 1);
	assert_non_null(strstr(r.first_skip, "H7-empty"));
	/* two townships of five rows each, sorted */
	assert_int_equal(r.nrows, 10);
	assert_string_equal(r.rows[0].township, "230304200");
	assert_int_equal(r.rows[0].category, DD_CAT_TK);
	assert_int_equal(r.rows[4].category, 0);
	assert_string_equal(r.rows[5].township, "230304201");
	for (size_t i = 0; i < DD_ARRAY_LEN(rows); i++)
		check_row(*rows[i].township ? find(&r, rows[i].township, rows[i].category) : &r.total, &rows[i]);
	dd_sim_result_release(&r);
}

static void simulation_needs_standards(void **state)
{
	dd_sim_result r;
	dd_err err = { 0 };

	DD_UNUSED(state);
	assert_int_equal(simulate_at(dd_date_from_ymd(2019, 12, 1), &r, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "2019"));
	dd_sim_result_release(&r);
}

typedef struct dcase {
	const char *name;
	unsigned bits, computed;
	unsigned recorded;
	bool differs;
	size_t decisive;          /* trace index: 0 TK … 4 QT */
} dcase;

static const dcase diffs[] = {
	{ "DB recorded, computed DB: no difference", DD_CAT_DB, DD_CAT_DB, DD_CAT_DB, false, 1 },
	{ "DB and QT recorded: DB ranks first", DD_CAT_DB | DD_CAT_QT, DD_CAT_DB, DD_CAT_DB, false, 1 },
	{ "DB recorded, computed BY: the DB line says why it fails", DD_CAT_DB, DD_CAT_BY, DD_CAT_DB, true, 1 },
	{ "BY recorded, computed DB: the DB line says why it passes", DD_CAT_BY, DD_CAT_DB, DD_CAT_BY, true, 1 },
	{ "GZ recorded, computed NONE: the GZ line", DD_CAT_GZ, 0, DD_CAT_GZ, true, 3 },
	{ "nothing recorded, computed TK: the TK line", 0, DD_CAT_TK, 0, true, 0 },
	{ "QT recorded, computed NONE: QT is manual, no difference", DD_CAT_QT, 0, DD_CAT_QT, false, 4 },
	{ "QT recorded, computed BY: a difference, the BY line", DD_CAT_QT, DD_CAT_BY, DD_CAT_QT, true, 2 },
	{ "TK and DB recorded (bits): TK ranks first", DD_CAT_TK | DD_CAT_DB, DD_CAT_DB, DD_CAT_TK, true, 0 },
};

static void recheck_helpers(void **state)
{
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(diffs); i++) {
		const dcase *c = &diffs[i];
		unsigned rec = dd_reassess_recorded(c->bits);
		CASE_CHECK(rec == c->recorded, c->name);
		CASE_CHECK(dd_reassess_differs(rec, c->computed) == c->differs, c->name);
		CASE_CHECK(dd_reassess_decisive(rec, c->computed) == c->decisive, c->name);
	}
	assert_int_equal(dd_reassess_rank(0), 5);
	assert_int_equal(dd_reassess_rank(DD_CAT_QT), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(simulation_counts_and_costs),
		cmocka_unit_test(simulation_needs_standards),
		cmocka_unit_test(recheck_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
