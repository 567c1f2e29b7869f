/* test_rules.c - the procedure's rules (src/workflow/rules.c): state machine, dates, re-check periods. */
#include "unit.h"

#include <stdlib.h>

#include "report/report.h"
#include "workflow/workflow.h"

static dd_policy policy(void)
{
	dd_policy p;
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(&p, &err), DD_OK);
	return p;
}

/* An application in `state`, computed DB, notice from 2025-06-03 (7 days: until 06-09). */
static dd_application app(int state, const char *kind)
{
	dd_application a = { 0 };
	snprintf(a.app_no, sizeof a.app_no, "SQ2025000001");
	a.kind = kind;
	a.state = dd_flow_states[state].code;
	a.computed_category = "DB";
	a.notice_from = state >= DD_FLOW_PUBLIC_NOTICE ? D("2025-06-03") : DD_DATE_NONE;
	a.notice_until = a.notice_from == DD_DATE_NONE ? DD_DATE_NONE : D("2025-06-09");
	a.assessed_on = a.decided_on = a.submitted_on = DD_DATE_NONE;
	return a;
}

/* The request that satisfies every rule of the step into `to`. */
static dd_flow_request good(int to)
{
	dd_flow_request r = { .to = (dd_flow_state)to, .user = "审核员", .on = D("2025-06-10") };
	if (to == DD_FLOW_HOME_VISIT)
		r.investigators = "甲,乙";
	if (to == DD_FLOW_REJECTED)
		r.reason = "不符合条件";
	return r;
}

static void every_allowed_transition(void **state)
{
	dd_policy p = policy();
	dd_err err = { 0 };
	DD_UNUSED(state);
	for (int s = DD_FLOW_SUBMITTED; s < DD_FLOW_PUBLISHED; s++) {
		dd_application a = app(s, "entry");
		dd_flow_request r = good(s + 1);
		char name[64];
		snprintf(name, sizeof name, "%s -> %s", dd_flow_states[s].code, dd_flow_states[s + 1].code);
		CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == DD_OK, name);
	}
	/* rejection: allowed from village_review through public_notice */
	for (int s = DD_FLOW_VILLAGE_REVIEW; s <= DD_FLOW_PUBLIC_NOTICE; s++) {
		dd_application a = app(s, "entry");
		dd_flow_request r = good(DD_FLOW_REJECTED);
		CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == DD_OK, dd_flow_states[s].code);
	}
}

static void every_other_transition_refused(void **state)
{
	dd_policy p = policy();
	DD_UNUSED(state);
	for (int s = 0; s < DD_FLOW_NSTATES; s++) {
		for (int t = 0; t < DD_FLOW_REJECTED; t++) {
			if (t == s + 1 && s < DD_FLOW_PUBLISHED)
				continue;
			dd_application a = app(s, "entry");
			dd_flow_request r = good(t);
			dd_err err = { 0 };
			char name[64];
			snprintf(name, sizeof name, "%s -> %s", dd_flow_states[s].code, dd_flow_states[t].code);
			CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == DD_ERR_INPUT, name);
			if (s == DD_FLOW_PUBLISHED || s == DD_FLOW_REJECTED)
				CASE_CHECK(strstr(err.msg, "办理已结束") != NULL, name);
			else
				CASE_CHECK(strstr(err.msg, "程序不可跳过或倒退") != NULL, name);
		}
	}
}

static void skipped_state_message(void **state)
{
	dd_policy p = policy();
	dd_application a = app(DD_FLOW_SUBMITTED, "entry");
	dd_flow_request r = good(DD_FLOW_HOME_VISIT);
	dd_err err = { 0 };
	DD_UNUSED(state);
	assert_int_equal(dd_flow_check(&p, &a, &r, &err), DD_ERR_INPUT);
	assert_string_equal(err.msg, "不能从「申请」流转到「入户调查」：程序不可跳过或倒退，下一步只能是「村社评议」");
}

static void rejection_rules(void **state)
{
	static const struct {
		const char *name;
		int from;
		const char *reason;
		dd_rc want;
		const char *msg;
	} cases[] = {
		{ "reject at village review with a reason", DD_FLOW_VILLAGE_REVIEW, "撤回", DD_OK, NULL },
		{ "reject without a reason", DD_FLOW_FIRST_REVIEW, NULL, DD_ERR_INPUT, "不予认定必须写明理由" },
		{ "reject with an empty reason", DD_FLOW_FIRST_REVIEW, "", DD_ERR_INPUT, "不予认定必须写明理由" },
		{ "reject straight from submitted", DD_FLOW_SUBMITTED, "撤回", DD_ERR_INPUT, "不能不予认定" },
		{ "reject after the decision", DD_FLOW_DECISION, "撤回", DD_ERR_INPUT, "不能不予认定" },
	};
	dd_policy p = policy();
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_application a = app(cases[i].from, "entry");
		dd_flow_request r = good(DD_FLOW_REJECTED);
		dd_err err = { 0 };
		r.reason = cases[i].reason;
		CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == cases[i].want, cases[i].name);
		if (cases[i].msg)
			CASE_CHECK(strstr(err.msg, cases[i].msg) != NULL, cases[i].name);
	}
}

static void home_visit_investigators(void **state)
{
	static const struct {
		const char *name;
		const char *list;
		dd_rc want;
	} cases[] = {
		{ "none recorded", NULL, DD_ERR_INPUT },
		{ "one investigator", "甲", DD_ERR_INPUT },
		{ "the same name twice is one", "甲,甲", DD_ERR_INPUT },
		{ "empty items do not count", "甲,,  ,", DD_ERR_INPUT },
		{ "two, ASCII comma", "甲,乙", DD_OK },
		{ "two, 顿号", "甲、乙", DD_OK },
		{ "three, full-width comma and semicolon", "甲，乙；丙", DD_OK },
	};
	dd_policy p = policy();
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_application a = app(DD_FLOW_ECONOMIC_CHECK, "entry");
		dd_flow_request r = good(DD_FLOW_HOME_VISIT);
		dd_err err = { 0 };
		r.investigators = cases[i].list;
		CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == cases[i].want, cases[i].name);
		if (cases[i].want != DD_OK)
			CASE_CHECK(strstr(err.msg, "至少 2 名调查人员") != NULL, cases[i].name);
	}
	assert_int_equal(dd_flow_count_names("甲，乙；丙"), 3);
}

static void notice_period(void **state)
{
	static const struct {
		const char *name;
		const char *on;
		dd_rc want;
	} cases[] = {
		{ "the notice's first day", "2025-06-03", DD_ERR_INPUT },
		{ "the notice's last day (7th)", "2025-06-09", DD_ERR_INPUT },
		{ "the day after the notice ends", "2025-06-10", DD_OK },
	};
	dd_policy p = policy();
	DD_UNUSED(state);
	assert_int_equal(p.notice_days, 7);
	assert_int_equal(dd_flow_notice_until(&p, D("2025-06-03")), D("2025-06-09"));
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_application a = app(DD_FLOW_PUBLIC_NOTICE, "entry");
		dd_flow_request r = good(DD_FLOW_DECISION);
		dd_err err = { 0 };
		r.on = D(cases[i].on);
		CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == cases[i].want, cases[i].name);
		if (cases[i].want != DD_OK)
			CASE_CHECK(strstr(err.msg, "公示期未满：自 2025-06-03 起公示 7 天至 2025-06-09") != NULL,
				   cases[i].name);
	}
}

static void decision_rules(void **state)
{
	static const struct {
		const char *name;
		const char *kind, *computed, *category, *reason;
		bool fp;
		dd_rc want;
		const char *msg;
	} cases[] = {
		{ "the computed category", "entry", "DB", NULL, NULL, false, DD_OK, NULL },
		{ "the computed category named again, no reason needed", "entry", "DB", "低保", NULL, false, DD_OK, NULL },
		{ "override without a reason", "entry", "DB", "BY", NULL, false, DD_ERR_INPUT,
		  "人工认定的类别 BY 与核对结果 DB 不同，必须写明理由" },
		{ "override with a reason", "entry", "DB", "BY", "家中有未申报收入", false, DD_OK, NULL },
		{ "QT needs a reason too", "entry", "NONE", "QT", NULL, false, DD_ERR_INPUT, "必须写明理由" },
		{ "nothing computed and no category", "entry", "NONE", NULL, NULL, false, DD_ERR_INPUT,
		  "核对结果不符合任何类别" },
		{ "an unknown category", "entry", "DB", "XX", "r", false, DD_ERR_INPUT, "未知的认定类别" },
		{ "an exit takes no category", "exit", "NONE", "DB", "r", false, DD_ERR_INPUT, "退出申请" },
		{ "an exit without a reason", "exit", "NONE", NULL, NULL, false, DD_ERR_INPUT, "必须写明退出理由" },
		{ "an exit with the FP mark", "exit", "NONE", NULL, "收入稳定超过低保标准", true, DD_OK, NULL },
		{ "the FP mark on an entry", "entry", "DB", NULL, NULL, true, DD_ERR_INPUT, "风险消除" },
	};
	dd_policy p = policy();
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_application a = app(DD_FLOW_PUBLIC_NOTICE, cases[i].kind);
		dd_flow_request r = good(DD_FLOW_DECISION);
		dd_err err = { 0 };
		a.computed_category = cases[i].computed;
		r.category = cases[i].category;
		r.reason = cases[i].reason;
		r.fp_risk_cleared = cases[i].fp;
		CASE_CHECK(dd_flow_check(&p, &a, &r, &err) == cases[i].want, cases[i].name);
		if (cases[i].msg)
			CASE_CHECK(strstr(err.msg, cases[i].msg) != NULL, cases[i].name);
	}
}

static void category_outside_decision(void **state)
{
	dd_policy p = policy();
	dd_application a = app(DD_FLOW_HOME_VISIT, "entry");
	dd_flow_request r = good(DD_FLOW_FIRST_REVIEW);
	dd_err err = { 0 };
	DD_UNUSED(state);
	r.category = "DB";
	r.reason = "x";
	assert_int_equal(dd_flow_check(&p, &a, &r, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "只能在「审核确认」时填写"));
	r = good(DD_FLOW_FIRST_REVIEW);
	r.user = "";
	assert_int_equal(dd_flow_check(&p, &a, &r, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "办理人"));
}

static void working_days(void **state)
{
	static const struct {
		const char *name, *from;
		int n;
		const char *want;
	} cases[] = {
		{ "Friday + 3 working days = Wednesday", "2025-06-13", 3, "2025-06-18" },
		{ "Monday + 3 = Thursday", "2025-06-16", 3, "2025-06-19" },
		{ "Wednesday + 3 = next Monday", "2025-06-18", 3, "2025-06-23" },
		{ "Saturday + 3 = Wednesday", "2025-06-14", 3, "2025-06-18" },
		{ "Sunday + 1 = Monday", "2025-06-15", 1, "2025-06-16" },
		{ "0 days is the same day", "2025-06-14", 0, "2025-06-14" },
		{ "across a month and year end", "2025-12-31", 3, "2026-01-05" },
		{ "before 1970 (negative day numbers)", "1969-12-26", 1, "1969-12-29" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_flow_add_working_days(D(cases[i].from), cases[i].n) == D(cases[i].want),
			   cases[i].name);
}

static void recheck_periods(void **state)
{
	static const struct {
		const char *name;
		unsigned cat;
		bool all_key;
		const char *from, *want;
	} cases[] = {
		{ "DB, all key-protection persons: yearly", DD_CAT_DB, true, "2025-06-13", "2026-06-13" },
		{ "DB with labour capacity: six months", DD_CAT_DB, false, "2025-06-13", "2025-12-13" },
		{ "DB six months from 31 August clamps to 28 February", DD_CAT_DB, false, "2025-08-31", "2026-02-28" },
		{ "DB six months from 31 August into a leap year: 29 February", DD_CAT_DB, false, "2023-08-31", "2024-02-29" },
		{ "TK yearly from 29 February clamps to 28 February", DD_CAT_TK, false, "2024-02-29", "2025-02-28" },
		{ "BY yearly", DD_CAT_BY, false, "2025-01-31", "2026-01-31" },
		{ "GZ yearly", DD_CAT_GZ, false, "2025-03-31", "2026-03-31" },
	};
	dd_policy p = policy();
	DD_UNUSED(state);
	assert_int_equal(dd_flow_recheck_months(&p, DD_CAT_QT, true), 0);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		int months = dd_flow_recheck_months(&p, cases[i].cat, cases[i].all_key);
		CASE_CHECK(dd_flow_due_after_months(D(cases[i].from), months) == D(cases[i].want), cases[i].name);
	}
}

static void key_person(void **state)
{
	static const struct {
		const char *name;
		bool elderly, minor, severe;
		const char *health;
		bool want;
	} cases[] = {
		{ "elderly", true, false, false, NULL, true },
		{ "minor", false, true, false, "健康", true },
		{ "severely disabled", false, false, true, NULL, true },
		{ "seriously ill (患有大病)", false, false, false, "患有大病", true },
		{ "chronic illness is not enough", false, false, false, "长期慢性病", false },
		{ "a healthy adult", false, false, false, "健康", false },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_assess_member am = { .elderly = cases[i].elderly, .minor = cases[i].minor, .severe = cases[i].severe };
		dd_member m = { .health = cases[i].health };
		CASE_CHECK(dd_flow_key_person(&am, &m) == cases[i].want, cases[i].name);
	}
}

static void names(void **state)
{
	DD_UNUSED(state);
	assert_int_equal(dd_flow_state_parse("village_review"), DD_FLOW_VILLAGE_REVIEW);
	assert_int_equal(dd_flow_state_parse("家庭经济状况核对"), DD_FLOW_ECONOMIC_CHECK);
	assert_int_equal(dd_flow_state_parse(" 公开 "), DD_FLOW_PUBLISHED);
	assert_int_equal(dd_flow_state_parse("approved"), -1);
	assert_int_equal(DD_ARRAY_LEN(dd_flow_needs), 19);
	assert_int_equal(dd_flow_lookup(dd_flow_needs, DD_FLOW_NNEEDS, "殡葬救助", strlen("殡葬救助")), 5);
	assert_int_equal(dd_flow_lookup(dd_flow_channels, DD_FLOW_NCHANNELS, "村代办", strlen("村代办")), 1);
	assert_string_equal(dd_flow_state_zh("decision"), "审核确认");
}

static void separators(void **state)
{
	static const struct {
		const char *name, *s;
		size_t want;
	} cases[] = {
		{ "ASCII comma", ",x", 1 }, { "ASCII semicolon", ";x", 1 }, { "full-width comma", "，x", 3 },
		{ "enumeration comma", "、x", 3 }, { "full-width semicolon", "；x", 3 },
		{ "a letter", "x,", 0 }, { "a CJK character", "临时", 0 }, { "the end", "", 0 },
		{ "a newline is not a separator here", "\nx", 0 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_flow_separator(cases[i].s) == cases[i].want, cases[i].name);
}

static void exit_decided(void **state)
{
	static const struct {
		const char *name, *kind;
		int state;
		const char *decided;
		bool want;
	} cases[] = {
		{ "an exit at 审核确认", "exit", DD_FLOW_DECISION, "NONE", true },
		{ "an exit published", "exit", DD_FLOW_PUBLISHED, "NONE", true },
		{ "an exit before the decision", "exit", DD_FLOW_PUBLIC_NOTICE, NULL, false },
		{ "an exit refused (不予认定)", "exit", DD_FLOW_REJECTED, "NONE", false },
		{ "an entry decided", "entry", DD_FLOW_DECISION, "DB", false },
		{ "an entry rejected", "entry", DD_FLOW_REJECTED, "NONE", false },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_application a = app(cases[i].state, cases[i].kind);
		a.decided_category = cases[i].decided;
		CASE_CHECK(dd_flow_exit_decided(&a) == cases[i].want, cases[i].name);
	}
}

/* A needs mask is shared with the 附件2 printout: the two tables must name need i alike. */
static void needs_mask(void **state)
{
	static const struct {
		const char *name, *codes;
		uint32_t want;
	} cases[] = {
		{ "no codes", NULL, 0 },
		{ "the empty list", "", 0 },
		{ "the first need (dibao, bit 0)", "dibao", 1u << 0 },
		{ "the last need (other, bit 18)", "other", 1u << 18 },
		{ "three codes as the store joins them", "dibao;temporary;medical", (1u << 0) | (1u << 2) | (1u << 9) },
		{ "an unknown code is skipped", "dibao;money;funeral", (1u << 0) | (1u << 5) },
		{ "a trailing separator", "heating;", 1u << 6 },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_FLOW_NNEEDS; i++)
		CASE_CHECK(!strcmp(dd_flow_needs[i].zh, dd_report_needs[i]), dd_flow_needs[i].code);
	assert_int_equal(DD_FLOW_NNEEDS, DD_REPORT_NNEEDS);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		CASE_CHECK(dd_flow_needs_mask(cases[i].codes) == cases[i].want, cases[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_allowed_transition),
		cmocka_unit_test(every_other_transition_refused),
		cmocka_unit_test(skipped_state_message),
		cmocka_unit_test(rejection_rules),
		cmocka_unit_test(home_visit_investigators),
		cmocka_unit_test(notice_period),
		cmocka_unit_test(decision_rules),
		cmocka_unit_test(category_outside_decision),
		cmocka_unit_test(working_days),
		cmocka_unit_test(recheck_periods),
		cmocka_unit_test(key_person),
		cmocka_unit_test(needs_mask),
		cmocka_unit_test(exit_decided),
		cmocka_unit_test(separators),
		cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
