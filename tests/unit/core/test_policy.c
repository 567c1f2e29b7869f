/* test_policy.c - the policy file: defaults, overrides, year selection, errors. */
#include "unit.h"
#include "core/policy.h"

#include <stdlib.h>

static void defaults_match_formats_md(void **state)
{
	(void)state;
	dd_policy p;
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(&p, &err), DD_OK);
	assert_string_equal(p.county_code, "230304");
	assert_string_equal(p.county_name, "滴道区");
	assert_int_equal(p.nstandards, 1);
	const dd_standards *s = dd_policy_standards(&p, 2025);
	assert_non_null(s);
	assert_int_equal(s->dibao_urban_month, 76000);
	assert_int_equal(s->dibao_rural_month, 58000);
	assert_int_equal(s->disposable_income_urban, 3800000);
	assert_int_equal(s->disposable_income_rural, 1900000);
	assert_int_equal(s->fin_assets_limit, 2000000);
	assert_int_equal(s->vehicle_limit, 0);
	assert_int_equal(s->fp_line, 696000);
	assert_int_equal(p.edge_percent, 150);
	assert_int_equal(p.rigid_percent, 60);
	assert_int_equal(p.employment_cost_month, 30000);
	assert_int_equal(p.tk_age, 60);
	assert_int_equal(p.tk_minor_age, 18);
	assert_int_equal(p.tk_income_months, 12);
	assert_int_equal(p.obligor_line_factor, 2);
	assert_int_equal(p.gz_valid_months, 12);
	assert_int_equal(p.notice_days, 7);
	assert_int_equal(p.dispatch_deadline_days, 15);
	assert_int_equal(p.payment_due_day, 10);
	assert_int_equal(p.nrules, 18);
	const dd_rule_cfg *w01 = dd_policy_rule(&p, "W01");
	assert_non_null(w01);
	assert_true(w01->enabled);
	assert_string_equal(w01->level, "yellow");
	assert_int_equal(w01->threshold, 1000000);
	assert_int_equal(dd_policy_rule(&p, "W02")->threshold, 5000000);
	assert_int_equal(dd_policy_rule(&p, "W07")->threshold, 2000000);
	assert_int_equal(dd_policy_rule(&p, "W14")->threshold, 500000);
	assert_int_equal(dd_policy_rule(&p, "W03")->threshold, -1);
	assert_string_equal(dd_policy_rule(&p, "W16")->level, "red");
	assert_null(dd_policy_rule(&p, "W99"));
}

/* Standards are those of the year, or of the latest earlier year; none before the first. */
static void standards_by_year(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int year;
		dd_fen urban;   /* -1: no standards */
	} cases[] = {
		{ "year before the first: none", 2023, -1 },
		{ "exact first year", 2024, 70000 },
		{ "gap year takes the latest earlier (2024)", 2025, 70000 },
		{ "exact later year", 2026, 80000 },
		{ "after the last: the last", 2030, 80000 },
	};
	dd_policy p;
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(&p, &err), DD_OK);
	p.nstandards = 0;
	assert_int_equal(dd_policy_parse(&p,
		"[standards.2026]\ndibao_urban_month = 800\n"
		"[standards.2024]\ndibao_urban_month = 700\ndibao_rural_month = 500.50\n", "t", &err), DD_OK);
	assert_int_equal(p.nstandards, 2);
	assert_int_equal(p.standards[0].year, 2024);
	assert_int_equal(p.standards[0].dibao_rural_month, 50050);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const dd_standards *s = dd_policy_standards(&p, cases[i].year);
		if (cases[i].urban < 0) {
			CASE_CHECK(s == NULL, cases[i].name);
		} else {
			CASE_CHECK(s != NULL, cases[i].name);
			CASE_CHECK(s->dibao_urban_month == cases[i].urban, cases[i].name);
		}
	}
}

static void overrides_keep_other_defaults(void **state)
{
	(void)state;
	dd_policy p;
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(&p, &err), DD_OK);
	assert_int_equal(dd_policy_parse(&p,
		"[assess]\nrigid_percent = 70 ; a county using 70 %\n"
		"[rule.W01]\nthreshold = 12000.50\nlevel = red\nenabled = false\n", "t", &err), DD_OK);
	assert_int_equal(p.rigid_percent, 70);
	assert_int_equal(p.edge_percent, 150);
	const dd_rule_cfg *r = dd_policy_rule(&p, "W01");
	assert_int_equal(r->threshold, 1200050);
	assert_string_equal(r->level, "red");
	assert_false(r->enabled);
	assert_true(dd_policy_rule(&p, "W02")->enabled);
}

static void bad_files_name_the_problem(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *text;
		const char *needle;
	} cases[] = {
		{ "unknown key", "[assess]\nedge_pct = 150\n", "edge_pct" },
		{ "unknown section", "[nonsense]\na = 1\n", "nonsense" },
		{ "percent not a number", "[assess]\nrigid_percent = sixty\n", "rigid_percent" },
		{ "percent out of range", "[assess]\nrigid_percent = 101\n", "rigid_percent" },
		{ "money with 3 decimals", "[standards.2025]\ndibao_rural_month = 580.123\n", "dibao_rural_month" },
		{ "negative money", "[standards.2025]\nfp_line = -1\n", "fp_line" },
		{ "bad level", "[rule.W01]\nlevel = orange\n", "level" },
		{ "bad enabled", "[rule.W01]\nenabled = maybe\n", "enabled" },
		{ "bad year", "[standards.20x5]\nfp_line = 1\n", "standards.20x5" },
		{ "bad county code", "[county]\ncode = 2303\n", "2303" },
		{ "no equals sign", "[assess]\nrigid_percent\n", "格式错误" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_policy p;
		dd_err err = { 0 };
		assert_int_equal(dd_policy_default(&p, &err), DD_OK);
		dd_rc rc = dd_policy_parse(&p, cases[i].text, "policy.ini", &err);
		CASE_CHECK(rc == DD_ERR_INPUT, cases[i].name);
		CASE_CHECK(strstr(err.msg, cases[i].needle) != NULL, cases[i].name);
		CASE_CHECK(strstr(err.msg, "policy.ini") != NULL, cases[i].name);
	}
}

static void default_text_names_the_county(void **state)
{
	(void)state;
	char *t = dd_policy_default_text("110105", "朝阳区");
	assert_non_null(t);
	assert_non_null(strstr(t, "code = 110105\n"));
	assert_non_null(strstr(t, "name = 朝阳区\n"));
	dd_policy p;
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(&p, &err), DD_OK);
	assert_int_equal(dd_policy_parse(&p, t, "t", &err), DD_OK);
	assert_string_equal(p.county_code, "110105");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_match_formats_md),
		cmocka_unit_test(standards_by_year),
		cmocka_unit_test(overrides_keep_other_defaults),
		cmocka_unit_test(bad_files_name_the_problem),
		cmocka_unit_test(default_text_names_the_county),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
