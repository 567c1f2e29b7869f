/* test_stats.c - the web's administration and statistics store calls (sqlite_stats.c). */
#include "unit_store.h"

#include "core/id.h"
#include "core/registry.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>



static int64_t scalar(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v = -1;
	assert_int_equal(sqlite3_open(ut_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* ---- users ---- */

static void test_user_set(void **state)
{
	dd_store *st = ut_store_new();
	dd_arena mem;
	dd_user a = { "alice", "township", "230304200", NULL, "h1" }, b = { "bob", "charity", NULL, NULL, "h2" };
	dd_session s1 = { .token_hash = "t1", .username = "alice", .csrf = "c", .idle_until = 5000 };
	dd_session s2 = { .token_hash = "t2", .username = "alice", .csrf = "c", .idle_until = 5000 }, got;
	dd_user_info *list;
	dd_user u;
	size_t n;
	dd_err err = { 0 };
	(void)state;
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_user_add(st, "admin", &b, &err), DD_OK);
	assert_int_equal(dd_store_user_add(st, "admin", &a, &err), DD_OK);
	assert_int_equal(dd_store_session_put(st, &s1, &err), DD_OK);
	assert_int_equal(dd_store_session_put(st, &s2, &err), DD_OK);

	assert_int_equal(dd_store_user_list(st, &list, &n, &mem, &err), DD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].user.username, "alice");   /* by name */
	assert_string_equal(list[0].user.region, "230304200");
	assert_null(list[0].user.pw_hash);
	assert_false(list[0].disabled);
	assert_null(list[1].user.region);

	/* a new password ends the other sessions, keeps the named one */
	assert_int_equal(dd_store_user_set(st, "alice", "alice", -1, "h3", "t1", &err), DD_OK);
	assert_int_equal(dd_store_session_use(st, "t1", 1000, 100, &got, &mem, &err), DD_OK);
	assert_int_equal(dd_store_session_use(st, "t2", 1000, 100, &got, &mem, &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_user_get(st, "alice", &u, &mem, &err), DD_OK);
	assert_string_equal(u.pw_hash, "h3");
	assert_int_equal(scalar("SELECT count(*) FROM audit WHERE entity = 'user' AND action = 'update'"
				" AND after = '{\"disabled\":false,\"password\":\"changed\"}' AND before = '{\"disabled\":false}'"),
			 1);
	/* disabling ends every session, kept one included when none is named */
	assert_int_equal(dd_store_user_set(st, "admin", "alice", 1, NULL, NULL, &err), DD_OK);
	assert_int_equal(dd_store_session_use(st, "t1", 1000, 100, &got, &mem, &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_user_get(st, "alice", &u, &mem, &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_user_list(st, &list, &n, &mem, &err), DD_OK);
	assert_true(list[0].disabled);
	assert_int_equal(scalar("SELECT count(*) FROM sessions WHERE ended_at IS NULL"), 0);
	/* enabling brings the user back, the password unchanged */
	assert_int_equal(dd_store_user_set(st, "admin", "alice", 0, NULL, NULL, &err), DD_OK);
	assert_int_equal(dd_store_user_get(st, "alice", &u, &mem, &err), DD_OK);
	assert_string_equal(u.pw_hash, "h3");
	/* the cached statement's earlier "disabled" binding must not leak into a password change */
	assert_int_equal(dd_store_user_set(st, "admin", "bob", 1, NULL, NULL, &err), DD_OK);
	assert_int_equal(dd_store_user_set(st, "alice", "alice", -1, "h4", NULL, &err), DD_OK);
	assert_int_equal(dd_store_user_get(st, "alice", &u, &mem, &err), DD_OK);
	assert_string_equal(u.pw_hash, "h4");
	assert_int_equal(dd_store_user_set(st, "admin", "nobody", 1, NULL, NULL, &err), DD_ERR_NOTFOUND);
	assert_int_equal(scalar("SELECT count(*) FROM audit WHERE entity = 'user' AND after LIKE '%h3%'"), 0);
	dd_arena_release(&mem);
	ut_store_remove(st);
}

/* ---- the dashboard ---- */

/* Registry of the test, on "today" 2025-12-15 (the trend: 2025-01 .. 2025-12). */
static const struct {
	const char *no, *region;
	unsigned cats;
	const char *fp, *recognized, *exited;
	int members;
} hh[] = {
	/* township 230304200 */
	{ "H1", "230304200203", DD_CAT_DB, NULL, "2025-03-10", NULL, 2 },
	{ "H2", "230304200205", DD_CAT_TK | DD_CAT_DB, "脱贫不稳定户", "2024-05-01", NULL, 1 },
	/* exited on "today": no longer current; recognised on June's last day */
	{ "H3", "230304200203", DD_CAT_BY, "突发严重困难户", "2025-06-30", "2025-12-15", 1 },
	/* township 230304003: exits tomorrow, so current; never recognised (imported) */
	{ "H4", "230304003005", DD_CAT_QT, NULL, NULL, "2025-12-16", 3 },
	/* FP alone, exited on May's last day: in the register at April's end, not May's */
	{ "H5", "230304003005", 0, "边缘易致贫户", "2025-01-01", "2025-05-31", 1 },
};

static void put_registry(dd_store *st)
{
	dd_err err = { 0 };
	int64_t imp, id, left = 0;
	unsigned seq = 0;
	dd_put_result res;

	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(dd_store_import_begin(st, "t", "registry", "h.csv", NULL, &imp, &err), DD_OK);
		for (size_t i = 0; i < DD_ARRAY_LEN(hh); i++) {
			dd_household h = { .household_no = hh[i].no, .region_code = hh[i].region,
					   .hukou = DD_HUKOU_RURAL, .categories = hh[i].cats, .fp_subtype = hh[i].fp,
					   .is_tuopin = -1, .whole_no_labor = -1, .housing_unsafe = -1, .dropout = -1,
					   .water_unsafe = -1, .uninsured = -1, .recognized_on = DD_DATE_NONE,
					   .exited_on = DD_DATE_NONE };
			if (hh[i].recognized)
				h.recognized_on = D(hh[i].recognized);
			if (hh[i].exited)
				h.exited_on = D(hh[i].exited);
			assert_int_equal(dd_store_household_put(st, imp, &h, i + 1, &id, &res, &err), DD_OK);
			/* the second import leaves H4's last member out: members count current ones only */
			int nm = hh[i].members - (pass == 1 && !strcmp(hh[i].no, "H4"));
			for (int k = 0; k < nm; k++) {
				char id17[19];
				dd_member m = { .name = "张三", .relation = "户主", .wage_income = -1, .work_months = -1,
						.ins_resident_medical = -1, .ins_employee_medical = -1,
						.ins_critical_illness = -1, .ins_resident_pension = -1,
						.ins_employee_pension = -1, .is_tekun = -1, .is_dibao = -1,
						.orphan_guarantee = -1 };
				snprintf(id17, sizeof id17, "11010519491231%03u", (unsigned)(i * 10 + (size_t)k));
				id17[17] = dd_id_check_digit(id17);
				id17[18] = 0;
				assert_int_equal(dd_id_parse(id17, 18, &m.id), DD_ID_OK);
				assert_int_equal(dd_store_member_put(st, imp, id, &m, ++seq, &res, &err), DD_OK);
			}
		}
		assert_int_equal(dd_store_registry_finish(st, imp, D("2025-02-01"), false, &left, &err), DD_OK);
		assert_int_equal(dd_store_import_end(st, imp, 5, 0, &err), DD_OK);
	}
	assert_int_equal(left, 1);
	ut_exec("INSERT INTO compare_runs (id, month, username, started_at) VALUES (1, '2025-12', 't', 'x');"
	    "INSERT INTO warnings (rule, level, month, region_code, subject, fingerprint, evidence, status,"
	    " created_at, run_id) VALUES"
	    " ('W01', 'red', '2025-11', '230304200203', 'a', 'f', 'e', 'new', 'x', 1),"
	    " ('W01', 'red', '2025-11', '230304200203', 'b', 'f', 'e', 'closed', 'x', 1),"
	    /* the policy made W01 blue later: the rule shows its latest level */
	    " ('W01', 'blue', '2025-11', '230304200203', 'g', 'f', 'e', 'closed', 'x', 1),"
	    " ('W05', 'yellow', '2025-12', '230304003005', 'c', 'f', 'e', 'verifying', 'x', 1),"
	    " ('W02', 'blue', '2025-12', NULL, 'd', 'f', 'e', 'new', 'x', 1);"
	    "INSERT INTO applications (app_no, kind, household_id, applicant_name, applicant_id, channel,"
	    " emergency, emergency_amount, state, submitted_on, created_by, created_at, updated_at)"
	    " SELECT 'SQ1', 'entry', id, 'x', 'y', '窗口', 0, 0, 'submitted', '2025-07-02', 't', 'x', 'x'"
	    " FROM households WHERE household_no = 'H4';");
}

/* The dashboard as one line of text, so a table states it exactly. */
static void describe(const dd_dashboard *d, char *out, size_t cap)
{
	size_t o = 0;
#define PUT(...) o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, __VA_ARGS__)
	for (size_t i = 0; i < d->ntownships; i++) {
		const dd_dash_township *t = &d->townships[i];
		PUT("%s:%lld/%lld TK%lld DB%lld BY%lld GZ%lld QT%lld FP%lld; ", t->code, (long long)t->households,
		    (long long)t->members, (long long)t->by_category[0], (long long)t->by_category[1],
		    (long long)t->by_category[2], (long long)t->by_category[3], (long long)t->by_category[4],
		    (long long)t->fp);
	}
	PUT("fp TK%lld DB%lld BY%lld GZ%lld QT%lld only%lld; ", (long long)d->fp_overlap[0],
	    (long long)d->fp_overlap[1], (long long)d->fp_overlap[2], (long long)d->fp_overlap[3],
	    (long long)d->fp_overlap[4], (long long)d->fp_only);
	PUT("open r%lld y%lld b%lld;", (long long)d->open_by_level[0], (long long)d->open_by_level[1],
	    (long long)d->open_by_level[2]);
	for (size_t i = 0; i < d->nrules; i++)
		PUT(" %s %s %lld/%lld", d->rules[i].rule, d->rules[i].level, (long long)d->rules[i].open,
		    (long long)d->rules[i].total);
	PUT(";");
	/* trend: households at month end, then +recognised -exited, warnings w, applications a */
	for (int i = 0; i < DD_DASH_MONTHS; i++) {
		const dd_dash_month *m = &d->trend[i];
		PUT(" %s:%lld", m->month + 5, (long long)m->households);
		if (m->recognized)
			PUT("+%lld", (long long)m->recognized);
		if (m->exited)
			PUT("-%lld", (long long)m->exited);
		if (m->warnings)
			PUT("w%lld", (long long)m->warnings);
		if (m->applications)
			PUT("a%lld", (long long)m->applications);
	}
#undef PUT
}

static void test_dashboard(void **state)
{
	static const struct {
		const char *name, *region, *want;
	} cases[] = {
		{ "the county: exited today is gone, exiting tomorrow stays; W02 without a household counts",
		  NULL,
		  "230304003:1/2 TK0 DB0 BY0 GZ0 QT1 FP0; 230304200:2/3 TK1 DB2 BY0 GZ0 QT0 FP1; "
		  "fp TK1 DB1 BY0 GZ0 QT0 only0; open r1 y1 b1; W01 blue 1/3 W02 blue 1/1 W05 yellow 1/1;"
		  " 01:3+1 02:3 03:4+1 04:4 05:3-1 06:4+1 07:4a1 08:4 09:4 10:4 11:4w3 12:2-2w2" },
		{ "a township: its households, warnings and applications only", "230304200",
		  "230304200:2/3 TK1 DB2 BY0 GZ0 QT0 FP1; fp TK1 DB1 BY0 GZ0 QT0 only0; open r1 y0 b0;"
		  " W01 blue 1/3; 01:1 02:1 03:2+1 04:2 05:2 06:3+1 07:3 08:3 09:3 10:3 11:3w3 12:2-1" },
		{ "a village: a 12-digit prefix", "230304003005",
		  "230304003:1/2 TK0 DB0 BY0 GZ0 QT1 FP0; fp TK0 DB0 BY0 GZ0 QT0 only0; open r0 y1 b0;"
		  " W05 yellow 1/1; 01:2+1 02:2 03:2 04:2 05:1-1 06:1 07:1a1 08:1 09:1 10:1 11:1 12:0-1w1" },
		{ "a region without households: all zero", "230304999",
		  "fp TK0 DB0 BY0 GZ0 QT0 only0; open r0 y0 b0;; 01:0 02:0 03:0 04:0 05:0 06:0 07:0 08:0 09:0"
		  " 10:0 11:0 12:0" },
	};
	dd_store *st = ut_store_new();
	dd_err err = { 0 };
	(void)state;
	put_registry(st);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_arena mem;
		dd_dashboard d;
		char got[1024];
		dd_arena_init(&mem, 0);
		assert_int_equal(dd_store_dashboard(st, D("2025-12-15"), cases[i].region, &d, &mem, &err), DD_OK);
		describe(&d, got, sizeof got);
		CASE_STR_EQ(got, cases[i].want, cases[i].name);
		dd_arena_release(&mem);
	}
	/* the county's figures are doudi stats' figures */
	dd_stats s;
	dd_arena mem;
	dd_dashboard d;
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_stats(st, D("2025-12-15"), &s, &err), DD_OK);
	assert_int_equal(dd_store_dashboard(st, D("2025-12-15"), NULL, &d, &mem, &err), DD_OK);
	assert_int_equal(s.households, d.townships[0].households + d.townships[1].households);
	assert_int_equal(s.members, d.townships[0].members + d.townships[1].members);
	assert_int_equal(s.fp, d.townships[0].fp + d.townships[1].fp);
	dd_arena_release(&mem);
	ut_store_remove(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_set),
		cmocka_unit_test(test_dashboard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
