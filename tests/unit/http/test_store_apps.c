/* test_store_apps.c - the store side of the applications API: the paged list, a household's timeline, drafts. */
#include "unit_store.h"

#include "core/id.h"
#include "core/registry.h"
#include "store/store.h"

#include <stdlib.h>
#include <unistd.h>


/* Registers an application of `kind` for household hid on day `on`, moved on to `state`. */
static void apply(dd_store *st, int64_t hid, const char *kind, const char *state, dd_date on)
{
	dd_application a = { .kind = kind, .household_id = hid, .applicant_name = "张三",
			     .applicant_id = "110105194912310010", .channel = "窗口", .state = "submitted",
			     .submitted_on = on, .assessed_on = DD_DATE_NONE, .notice_from = DD_DATE_NONE,
			     .notice_until = DD_DATE_NONE, .decided_on = DD_DATE_NONE, .created_by = "t" };
	dd_app_step s = { .action = "submit", .to_state = "submitted", .user = "t", .on = on };
	dd_err err = { 0 };
	assert_int_equal(dd_store_app_put(st, &a, &s, &err), DD_OK);
	if (strcmp(state, "submitted")) {
		dd_app_step s2 = { .action = "advance", .from_state = "submitted", .to_state = state, .user = "v",
				   .on = on + 1, .comment = "评议通过" };
		a.state = state;
		assert_int_equal(dd_store_app_put(st, &a, &s2, &err), DD_OK);
	}
}

static void test_app_page(void **state)
{
	static const struct {
		const char *name, *state, *kind, *region;
		int household;        /* 1: H1 only */
		int64_t offset, limit;
		int64_t total;
		const char *nos;      /* the page's app_no, newest first */
	} cases[] = {
		{ "everything, newest first", NULL, NULL, NULL, 0, 0, 20, 4, "SQ2025000004 SQ2025000003 SQ2025000002 SQ2025000001" },
		{ "page 2 of size 3: the oldest", NULL, NULL, NULL, 0, 3, 3, 4, "SQ2025000001" },
		{ "state village_review", "village_review", NULL, NULL, 0, 0, 20, 2, "SQ2025000003 SQ2025000001" },
		{ "kind exit", NULL, "exit", NULL, 0, 0, 20, 1, "SQ2025000004" },
		{ "township prefix", NULL, NULL, "230304200", 0, 0, 20, 3, "SQ2025000004 SQ2025000002 SQ2025000001" },
		{ "village code", NULL, NULL, "230304200205", 0, 0, 20, 1, "SQ2025000002" },
		{ "another township's village", NULL, NULL, "230304003005", 0, 0, 20, 1, "SQ2025000003" },
		{ "state and region together", "village_review", NULL, "230304200", 0, 0, 20, 1, "SQ2025000001" },
		{ "one household", NULL, NULL, NULL, 1, 0, 20, 2, "SQ2025000004 SQ2025000001" },
		{ "another county: nothing", NULL, NULL, "230302", 0, 0, 20, 0, "" },
		{ "a state nobody is in", "decision", NULL, NULL, 0, 0, 20, 0, "" },
	};
	dd_store *st = ut_store_new();
	dd_date d0 = dd_date_from_ymd(2025, 6, 2);
	dd_err err = { 0 };
	int64_t imp, h1, h2, h3;
	(void)state;
	assert_int_equal(dd_store_import_begin(st, "t", "registry", "h.csv", NULL, &imp, &err), DD_OK);
	h1 = ut_household_put(st, imp, "H1", "230304200201", "张三", 0, "0001");
	h2 = ut_household_put(st, imp, "H2", "230304200205", "张三", 0, "0002");
	h3 = ut_household_put(st, imp, "H3", "230304003005", "张三", 0, "0003");
	apply(st, h1, "entry", "village_review", d0);
	apply(st, h2, "entry", "submitted", d0);
	apply(st, h3, "entry", "village_review", d0);
	apply(st, h1, "exit", "submitted", d0);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_app_filter f = { cases[i].state, cases[i].kind, cases[i].region, cases[i].household ? h1 : 0 };
		dd_application *apps;
		size_t n;
		int64_t total;
		char nos[256] = "";
		dd_arena mem;
		dd_arena_init(&mem, 0);
		CASE_CHECK(dd_store_app_page(st, &f, cases[i].offset, cases[i].limit, &apps, &n, &total, &mem, &err) ==
				   DD_OK, cases[i].name);
		CASE_CHECK(total == cases[i].total, cases[i].name);
		for (size_t k = 0; k < n; k++)
			snprintf(nos + strlen(nos), sizeof nos - strlen(nos), "%s%s", k ? " " : "", apps[k].app_no);
		CASE_STR_EQ(nos, cases[i].nos, cases[i].name);
		/* the household's number and region come with each application */
		for (size_t k = 0; k < n; k++)
			CASE_CHECK(apps[k].region_code && apps[k].household_no &&
					   !strncmp(apps[k].region_code, "230304", 6),
				   cases[i].name);
		dd_arena_release(&mem);
	}
	dd_application a;
	dd_arena mem;
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_app_get(st, "SQ2025000002", &a, &mem, &err), DD_OK);
	assert_string_equal(a.region_code, "230304200205");
	dd_app_filter bad = { .region = "2303%" };
	dd_application *apps;
	size_t n;
	int64_t total;
	assert_int_equal(dd_store_app_page(st, &bad, 0, 20, &apps, &n, &total, &mem, &err), DD_ERR_USAGE);
	dd_arena_release(&mem);
	ut_store_remove(st);
}

static void test_events(void **state)
{
	dd_store *st = ut_store_new();
	dd_date d0 = dd_date_from_ymd(2025, 6, 2);
	dd_err err = { 0 };
	int64_t imp, h1, h2;
	dd_household_event *ev;
	size_t n;
	dd_arena mem;
	char got[512] = "";
	(void)state;
	assert_int_equal(dd_store_import_begin(st, "t", "registry", "/srv/in/h.csv", "2025-05", &imp, &err), DD_OK);
	h1 = ut_household_put(st, imp, "H1", "230304200201", "张三", 0, "0001");
	h2 = ut_household_put(st, imp, "H2", "230304200205", "张三", 0, "0002");
	apply(st, h1, "entry", "village_review", d0);
	apply(st, h2, "entry", "submitted", d0);
	dd_followup f = { .household_id = h1, .kind = "recheck", .due_on = d0 + 180, .done_on = DD_DATE_NONE,
			  .amount = -1 };
	dd_followup pay = { .household_id = h1, .kind = "temp_assistance", .due_on = d0 + 3, .done_on = d0 + 3,
			    .amount = 116000, .result = "已发放" };
	assert_int_equal(dd_store_followup_put(st, "t", &f, &err), DD_OK);
	assert_int_equal(dd_store_followup_put(st, "t", &pay, &err), DD_OK);
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_household_events(st, h1, 100, &ev, &n, &mem, &err), DD_OK);
	for (size_t i = 1; i < n; i++) {
		char d[11] = "-";
		if (ev[i].on != DD_DATE_NONE)
			dd_date_format(ev[i].on, d);
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s %s %s %s", i > 1 ? "|" : "", d, ev[i].source,
			 ev[i].what, ev[i].state ? ev[i].state : "-");
	}
	/* newest first; H2's application is not H1's; the import is dated by the clock (UTC), after them all */
	assert_int_equal(n, 5);
	assert_string_equal(ev[0].source, "import");
	assert_true(ev[0].on != DD_DATE_NONE && ev[0].on > d0 + 180);
	assert_string_equal(ev[0].text, "/srv/in/h.csv");
	assert_string_equal(ev[0].state, "2025-05");
	assert_string_equal(got, "2025-11-29 followup recheck open|2025-06-05 followup temp_assistance done|"
				 "2025-06-03 step advance village_review|2025-06-02 step submit submitted");
	assert_string_equal(ev[2].extra, "116000");
	assert_string_equal(ev[3].text, "评议通过");
	assert_string_equal(ev[3].ref, "SQ2025000001");
	/* the limit keeps the newest */
	assert_int_equal(dd_store_household_events(st, h1, 2, &ev, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ev[1].what, "recheck");
	dd_arena_release(&mem);
	ut_store_remove(st);
}

static void test_drafts(void **state)
{
	dd_store *st = ut_store_new();
	dd_user a = { "vil", "village", "230304200201", NULL, "$argon2id$fake" };
	dd_user b = { "twn", "township", "230304200", NULL, "$argon2id$fake" };
	dd_draft d1 = { .key = "k1", .kind = "form1", .title = "张三家", .data = "{\"a\":1}" };
	dd_draft d2 = { .key = "k2", .kind = "apply", .data = "[1,2]" };
	dd_draft d3 = { .key = "k3", .kind = "apply", .data = "null" };
	dd_draft d1b = { .key = "k1", .kind = "form1", .title = "改名", .data = "{\"a\":2}" };
	dd_draft *out;
	size_t n;
	dd_arena mem;
	dd_err err = { 0 };
	(void)state;
	assert_int_equal(dd_store_user_add(st, "admin", &a, &err), DD_OK);
	assert_int_equal(dd_store_user_add(st, "admin", &b, &err), DD_OK);
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_drafts(st, "vil", &out, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(dd_store_draft_put(st, "vil", &d1, 2, &err), DD_OK);
	assert_int_equal(dd_store_draft_put(st, "vil", &d2, 2, &err), DD_OK);
	/* max 2: a third key is refused, a second save of a kept key is not */
	assert_int_equal(dd_store_draft_put(st, "vil", &d3, 2, &err), DD_ERR_INPUT);
	assert_int_equal(dd_store_draft_put(st, "vil", &d1b, 2, &err), DD_OK);
	/* another user's drafts are counted apart */
	assert_int_equal(dd_store_draft_put(st, "twn", &d3, 2, &err), DD_OK);
	assert_int_equal(dd_store_drafts(st, "vil", &out, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 2);
	/* the replaced one was saved last: listed first (same second: the later row id) */
	assert_string_equal(out[0].key, "k1");
	assert_string_equal(out[0].title, "改名");
	assert_string_equal(out[0].data, "{\"a\":2}");
	assert_null(out[1].title);
	assert_string_equal(out[1].data, "[1,2]");
	assert_int_equal(dd_store_draft_delete(st, "twn", "k1", &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_draft_delete(st, "vil", "k1", &err), DD_OK);
	assert_int_equal(dd_store_draft_delete(st, "vil", "k1", &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_drafts(st, "vil", &out, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].key, "k2");
	assert_int_equal(dd_store_drafts(st, "twn", &out, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].key, "k3");
	dd_arena_release(&mem);
	ut_store_remove(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_page),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_drafts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
