/*
 * test_warn_page.c - the web's monitoring pages of the store (store.h
 * "monitoring for the web"): warning pages with their scope region, counts
 * and paging; one warning; comparison runs; imports.
 */
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#include "core/id.h"
#include "store/store.h"

/*
 * The county 230304: household H1 in village 230304200203 with members A
 * and B (B leaves in the second import), H2 in 230304003005 with C.  A
 * comparison run of two county rules: X1 (red) names A@H1, C@H2, B without
 * household and a stranger S outside the registry; X2 (blue) names A@H1.
 */
static char path[64];
static char id_a[19], id_b[19], id_c[19], id_s[19];

static void make_id(const char *seq, char out[19])
{
	snprintf(out, 18, "11010519491231%.3s", seq);
	out[17] = dd_id_check_digit(out);
	out[18] = '\0';
}

static dd_member member(const char *id)
{
	dd_member m = { .name = "张三", .relation = "户主", .wage_income = -1, .work_months = -1,
			.ins_resident_medical = -1, .ins_employee_medical = -1,
			.ins_critical_illness = -1, .ins_resident_pension = -1,
			.ins_employee_pension = -1, .is_tekun = -1, .is_dibao = -1,
			.orphan_guarantee = -1 };
	assert_int_equal(dd_id_parse(id, 18, &m.id), DD_ID_OK);
	return m;
}

static int64_t put(dd_store *st, int64_t imp, const char *no, const char *region, const char *const *ids,
		   size_t n)
{
	dd_household h = { .household_no = no, .region_code = region, .hukou = DD_HUKOU_RURAL,
			   .is_tuopin = -1, .whole_no_labor = -1, .housing_unsafe = -1, .dropout = -1,
			   .water_unsafe = -1, .uninsured = -1,
			   .recognized_on = DD_DATE_NONE, .exited_on = DD_DATE_NONE };
	int64_t id = 0;
	dd_put_result res;
	dd_err err = { 0 };

	assert_int_equal(dd_store_household_put(st, imp, &h, 1, &id, &res, &err), DD_OK);
	for (size_t i = 0; i < n; i++) {
		dd_member m = member(ids[i]);
		assert_int_equal(dd_store_member_put(st, imp, id, &m, 1, &res, &err), DD_OK);
	}
	return id;
}

static int setup(void **state)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	int64_t imp, run, left;
	char sql1[512], sql2[256];
	dd_compare_month m = { .month = "2025-12" };
	dd_rule_counts n;
	DD_UNUSED(state);

	snprintf(path, sizeof path, "/tmp/dd_warn_page_%d.db", (int)getpid());
	make_id("001", id_a);
	make_id("002", id_b);
	make_id("003", id_c);
	make_id("004", id_s);
	if (dd_store_open(&st, path, true, &err) != DD_OK)
		return -1;
	assert_int_equal(dd_store_meta_set(st, "tester", "county_code", "230304", &err), DD_OK);
	assert_int_equal(dd_store_import_begin(st, "tester", "registry", "/x/h.csv", NULL, &imp, &err), DD_OK);
	put(st, imp, "H1", "230304200203", (const char *const[]){ id_a, id_b }, 2);
	put(st, imp, "H2", "230304003005", (const char *const[]){ id_c }, 1);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-01-31"), false, &left, &err), DD_OK);
	assert_int_equal(dd_store_import_end(st, imp, 3, 0, &err), DD_OK);
	/* the second import, left unfinished, lists H1 with A only: B leaves */
	assert_int_equal(dd_store_import_begin(st, "tester", "registry", "/x/h2.csv", NULL, &imp, &err), DD_OK);
	put(st, imp, "H1", "230304200203", (const char *const[]){ id_a }, 1);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-06-30"), false, &left, &err), DD_OK);
	assert_int_equal(left, 1);

	snprintf(sql1, sizeof sql1,
		 "SELECT '%s', 'H1', 'a' UNION ALL SELECT '%s', 'H2', 'c'"
		 " UNION ALL SELECT '%s', NULL, 'b' UNION ALL SELECT '%s', NULL, 's'", id_a, id_c, id_b, id_s);
	snprintf(sql2, sizeof sql2, "SELECT '%s', 'H1', 'a2'", id_a);
	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	assert_int_equal(dd_store_compare_begin(st, "tester", "2025-12", &run, &err), DD_OK);
	assert_int_equal(dd_store_compare_rule(st, run, &m, &(dd_rule_spec){ "X1", "red", -1, sql1 }, &n, &err),
			 DD_OK);
	assert_int_equal(n.added, 4);
	assert_int_equal(dd_store_compare_rule(st, run, &m, &(dd_rule_spec){ "X2", "blue", -1, sql2 }, &n, &err),
			 DD_OK);
	assert_int_equal(dd_store_compare_end(st, run, &err), DD_OK);
	assert_int_equal(dd_store_commit(st, &err), DD_OK);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	dd_store_close(*state);
	unlink(path);
	return 0;
}

static void test_pages(void **state)
{
	static const struct {
		const char *name;
		const char *region, *level, *rule;
		int64_t offset, limit;
		int64_t total, red, blue;
		const char *evidence;    /* the page's evidences, in order */
	} cases[] = {
		{ "the county: all five, red before blue, no household first", "230304", NULL, NULL, 0, 20, 5, 4, 1,
		  "b s a c a2" },
		{ "township 230304200: H1's and B's, who left H1", "230304200", NULL, NULL, 0, 20, 3, 2, 1, "b a a2" },
		{ "township 230304003: C only", "230304003", NULL, NULL, 0, 20, 1, 1, 0, "c" },
		{ "the village of H1", "230304200203", NULL, NULL, 0, 20, 3, 2, 1, "b a a2" },
		{ "another county: nothing", "230302", NULL, NULL, 0, 20, 0, 0, 0, "" },
		{ "no prefix: everything", NULL, NULL, NULL, 0, 20, 5, 4, 1, "b s a c a2" },
		{ "level blue", "230304", "blue", NULL, 0, 20, 1, 0, 1, "a2" },
		{ "rule X1, second page of two", "230304", NULL, "X1", 2, 2, 4, 4, 0, "a c" },
		{ "offset at the end: counts, no items", "230304", NULL, NULL, 5, 20, 5, 4, 1, "" },
		{ "limit 1", "230304", NULL, NULL, 1, 1, 5, 4, 1, "s" },
	};
	dd_store *st = *state;

	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_warning_query q = { .f = { .level = cases[i].level, .rule = cases[i].rule },
				       .region = cases[i].region, .offset = cases[i].offset,
				       .limit = cases[i].limit };
		dd_warning_rec *items;
		size_t n;
		int64_t total, by[3];
		dd_arena mem;
		dd_err err = { 0 };
		char got[128] = "";

		dd_arena_init(&mem, 4096);
		CASE_CHECK(dd_store_warnings_page(st, &q, &items, &n, &total, by, &mem, &err) == DD_OK, cases[i].name);
		for (size_t k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "", items[k].w.evidence);
		CASE_STR_EQ(got, cases[i].evidence, cases[i].name);
		CASE_CHECK(total == cases[i].total, cases[i].name);
		CASE_CHECK(by[0] == cases[i].red && by[1] == 0 && by[2] == cases[i].blue, cases[i].name);
		dd_arena_release(&mem);
	}
}

static void test_get(void **state)
{
	static const struct {
		const char *name, *evidence, *scope;
		bool household;
	} cases[] = {
		{ "in a household: its region", "c", "230304003005", true },
		{ "no household, a former member: the household left", "b", "230304200203", false },
		{ "no household, never in the registry: the county", "s", "230304", false },
	};
	dd_store *st = *state;
	dd_arena mem;
	dd_warning_rec r;
	dd_err err = { 0 };
	size_t seen = 0;

	dd_arena_init(&mem, 4096);
	for (int64_t id = 1; id <= 5; id++) {
		assert_int_equal(dd_store_warning_get(st, id, &r, &mem, &err), DD_OK);
		assert_int_equal(r.w.id, id);
		for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
			if (strcmp(r.w.evidence, cases[i].evidence))
				continue;
			CASE_STR_EQ(r.scope, cases[i].scope, cases[i].name);
			CASE_CHECK(!r.w.household_no == !cases[i].household, cases[i].name);
			seen++;
		}
	}
	assert_int_equal(seen, DD_ARRAY_LEN(cases));
	assert_int_equal(dd_store_warning_get(st, 6, &r, &mem, &err), DD_ERR_NOTFOUND);
	dd_arena_release(&mem);
}

static void test_runs_and_imports(void **state)
{
	dd_store *st = *state;
	dd_compare_run_rec *runs;
	dd_import_rec *im;
	size_t n;
	dd_arena mem;
	dd_err err = { 0 };

	dd_arena_init(&mem, 4096);
	assert_int_equal(dd_store_compare_runs(st, 10, &runs, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].month, "2025-12");
	assert_string_equal(runs[0].username, "tester");
	assert_non_null(runs[0].finished_at);
	assert_int_equal(runs[0].found, 5);
	assert_int_equal(runs[0].added, 5);
	assert_int_equal(dd_store_imports_list(st, 10, &im, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 2);
	/* newest first; the unfinished one has no counts */
	assert_string_equal(im[0].file, "/x/h2.csv");
	assert_int_equal(im[0].rows, -1);
	assert_null(im[0].finished_at);
	assert_string_equal(im[1].file, "/x/h.csv");
	assert_int_equal(im[1].rows, 3);
	assert_int_equal(im[1].rejected, 0);
	/* the limit holds */
	assert_int_equal(dd_store_imports_list(st, 1, &im, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 1);
	dd_arena_release(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_runs_and_imports),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
