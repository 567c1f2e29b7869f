/* test_store.c - the SQLite backend of store.h, on databases in a temporary directory. */
#include "unit.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	DD_UNUSED(sb);
	DD_UNUSED(flag);
	DD_UNUSED(ftw);
	return remove(path);
}

static int make_dir(void **state)
{
	DD_UNUSED(state);
	snprintf(dir, sizeof dir, "/tmp/dd_store_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	DD_UNUSED(state);
	return nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Path of a database file in the test directory (static buffer, one per slot). */
static const char *db_path(const char *name)
{
	static char paths[4][128];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	return p;
}

static dd_store *open_new(const char *name)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	if (dd_store_open(&st, db_path(name), true, &err) != DD_OK)
		fail_msg("open %s: %s", name, err.msg);
	return st;
}

/* A household with every optional field empty. */
static dd_household household(const char *no)
{
	dd_household h = {
		.household_no = no, .region_code = "230304200203", .hukou = DD_HUKOU_RURAL,
		.is_tuopin = -1, .whole_no_labor = -1, .housing_unsafe = -1, .dropout = -1,
		.water_unsafe = -1, .uninsured = -1,
		.recognized_on = DD_DATE_NONE, .exited_on = DD_DATE_NONE,
	};
	return h;
}

/* A member with the valid ID 11010519491231002 + check digit, its 15th..17th digits replaced by `seq`. */
static dd_member member(const char *seq, bool bad_check)
{
	char id[19];
	dd_member m = { .name = "张三", .relation = "户主", .wage_income = -1, .work_months = -1,
			.ins_resident_medical = -1, .ins_employee_medical = -1,
			.ins_critical_illness = -1, .ins_resident_pension = -1,
			.ins_employee_pension = -1, .is_tekun = -1, .is_dibao = -1,
			.orphan_guarantee = -1 };
	snprintf(id, sizeof id, "11010519491231%.3s", seq);
	id[17] = dd_id_check_digit(id);
	id[18] = '\0';
	if (bad_check)
		id[17] = id[17] == '0' ? '1' : '0';
	assert_int_equal(dd_id_parse(id, 18, &m.id), bad_check ? DD_ID_BAD_CHECK : DD_ID_OK);
	m.id_bad_check = bad_check;
	return m;
}

static int64_t audit_count(dd_store *st)
{
	int64_t n = -1;
	dd_err err = { 0 };
	assert_int_equal(dd_store_audit_count(st, &n, &err), DD_OK);
	return n;
}

/* One integer from a query on a separate raw connection (what the database really holds). */
static int64_t scalar(const char *name, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(db_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* One text from such a query, into buf ("(null)" for NULL). */
static const char *text(const char *name, const char *sql, char *buf, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(db_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	snprintf(buf, n, "%s", sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "(null)");
	sqlite3_finalize(q);
	sqlite3_close(db);
	return buf;
}

static int64_t import(dd_store *st)
{
	int64_t id = 0;
	dd_err err = { 0 };
	assert_int_equal(dd_store_import_begin(st, "tester", "registry", "h.csv", NULL, &id, &err), DD_OK);
	return id;
}

static int64_t put_household(dd_store *st, int64_t imp, const dd_household *h, uint64_t hash,
			     dd_put_result want)
{
	int64_t id = 0;
	dd_put_result res = DD_PUT_UNCHANGED;
	dd_err err = { 0 };
	if (dd_store_household_put(st, imp, h, hash, &id, &res, &err) != DD_OK)
		fail_msg("household_put %s: %s", h->household_no, err.msg);
	assert_int_equal(res, want);
	return id;
}

static void put_member(dd_store *st, int64_t imp, int64_t hh, const dd_member *m, uint64_t hash,
		       dd_put_result want)
{
	dd_put_result res = DD_PUT_UNCHANGED;
	dd_err err = { 0 };
	if (dd_store_member_put(st, imp, hh, m, hash, &res, &err) != DD_OK)
		fail_msg("member_put: %s", err.msg);
	assert_int_equal(res, want);
}

static void test_open(void **state)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	char *v = NULL;
	DD_UNUSED(state);

	/* create: the schema is migrated to the latest version (2) */
	st = open_new("open.db");
	assert_int_equal(dd_store_schema_version(st), 2);
	assert_int_equal(dd_store_meta_set(st, "tester", "county", "230304", &err), DD_OK);
	dd_store_close(st);

	/* reopen without create: same version, data still there, migration not rerun */
	assert_int_equal(dd_store_open(&st, db_path("open.db"), false, &err), DD_OK);
	assert_int_equal(dd_store_schema_version(st), 2);
	assert_int_equal(dd_store_meta_get(st, "county", &v, &err), DD_OK);
	assert_string_equal(v, "230304");
	free(v);
	dd_store_close(st);

	/* missing file without create: not found, nothing created */
	st = (dd_store *)&err;
	assert_int_equal(dd_store_open(&st, db_path("missing.db"), false, &err), DD_ERR_NOTFOUND);
	assert_null(st);
	assert_string_equal(err.msg, "数据库不存在，请先运行 doudi init");
	assert_int_not_equal(access(db_path("missing.db"), F_OK), 0);

	/* PostgreSQL URLs are recognised but not built yet */
	assert_int_equal(dd_store_open(&st, "postgresql://localhost/doudi", true, &err), DD_ERR_USAGE);
	assert_int_equal(dd_store_open(&st, "postgres://localhost/doudi", true, &err), DD_ERR_USAGE);
	assert_string_equal(err.msg, "PostgreSQL 后端尚未实现");
}

static void test_wal_and_foreign_keys(void **state)
{
	dd_store *st = open_new("pragmas.db");
	dd_member m = member("001", false);
	dd_put_result res;
	dd_err err = { 0 };
	char buf[64];
	int64_t imp = import(st);
	DD_UNUSED(state);

	assert_string_equal(text("pragmas.db", "PRAGMA journal_mode", buf, sizeof buf), "wal");
	/* a member of a household that does not exist: the foreign key refuses it */
	assert_int_equal(dd_store_member_put(st, imp, 999, &m, 1, &res, &err), DD_ERR_STORE);
	assert_true(strncmp(err.msg, "数据库错误：", strlen("数据库错误：")) == 0);
	assert_string_equal(dd_store_errmsg(st), err.msg);
	dd_store_close(st);
}

static void test_household_put(void **state)
{
	static const struct {
		const char *name;
		const char *address;
		unsigned categories;
		const char *fp;
		uint64_t hash;
		dd_put_result want;
		int audit_delta, history_delta;
		const char *before, *after;   /* JSON of the audit row written, when one is */
	} cases[] = {
		{ "new household: inserted, audited by its import row, history for its category",
		  "一组", DD_CAT_DB, NULL, 1, DD_PUT_INSERTED, 0, 1, NULL, NULL },
		{ "same hash: unchanged, no audit, no history",
		  "一组", DD_CAT_DB, NULL, 1, DD_PUT_UNCHANGED, 0, 0, NULL, NULL },
		{ "changed address: updated, exactly one audit row with only that field",
		  "二组", DD_CAT_DB, NULL, 2, DD_PUT_UPDATED, 1, 0,
		  "{\"address\":\"一组\"}", "{\"address\":\"二组\"}" },
		{ "changed categories: audited and appended to the history",
		  "二组", DD_CAT_DB | DD_CAT_TK, NULL, 3, DD_PUT_UPDATED, 1, 1,
		  "{\"categories\":\"DB\"}", "{\"categories\":\"TK;DB\"}" },
		{ "new hash over the same fields: unchanged, nothing audited",
		  "二组", DD_CAT_DB | DD_CAT_TK, NULL, 4, DD_PUT_UNCHANGED, 0, 0, NULL, NULL },
		{ "fp_subtype set: audited and appended to the history",
		  "二组", DD_CAT_DB | DD_CAT_TK, "边缘易致贫户", 5, DD_PUT_UPDATED, 1, 1,
		  "{\"fp_subtype\":null}", "{\"fp_subtype\":\"边缘易致贫户\"}" },
		{ "address cleared: null after",
		  "", DD_CAT_DB | DD_CAT_TK, "边缘易致贫户", 6, DD_PUT_UPDATED, 1, 0,
		  "{\"address\":\"二组\"}", "{\"address\":null}" },
	};
	dd_store *st = open_new("put.db");
	int64_t imp = import(st), id0 = 0;
	char buf[256];
	DD_UNUSED(state);

	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_household h = household("H001");
		int64_t a0 = audit_count(st);
		int64_t c0 = scalar("put.db", "SELECT COUNT(*) FROM category_history"), id;
		h.address = cases[i].address;
		h.categories = cases[i].categories;
		h.fp_subtype = cases[i].fp;
		id = put_household(st, imp, &h, cases[i].hash, cases[i].want);
		if (i == 0)
			id0 = id;
		CASE_CHECK(id == id0, cases[i].name);
		CASE_CHECK(audit_count(st) - a0 == cases[i].audit_delta, cases[i].name);
		CASE_CHECK(scalar("put.db", "SELECT COUNT(*) FROM category_history") - c0 ==
			   cases[i].history_delta, cases[i].name);
		if (!cases[i].before)
			continue;
		CASE_STR_EQ(text("put.db", "SELECT before FROM audit ORDER BY id DESC LIMIT 1", buf,
				 sizeof buf), cases[i].before, cases[i].name);
		CASE_STR_EQ(text("put.db", "SELECT after FROM audit ORDER BY id DESC LIMIT 1", buf,
				 sizeof buf), cases[i].after, cases[i].name);
		/* the import's user is who changed it */
		CASE_STR_EQ(text("put.db", "SELECT username || '/' || action || '/' || entity || '/' ||"
				 " entity_key FROM audit ORDER BY id DESC LIMIT 1", buf, sizeof buf),
			    "tester/update/household/H001", cases[i].name);
		/* the history row holds the new state */
		if (cases[i].history_delta)
			CASE_CHECK(scalar("put.db", "SELECT category_bits FROM category_history"
					  " ORDER BY id DESC LIMIT 1") == cases[i].categories, cases[i].name);
	}
	dd_store_close(st);
}

/* A household with one member and one obligor, each put once, in its own import. */
static void populate(dd_store *st, const char *no, const char *seq)
{
	dd_household h = household(no);
	dd_member m = member(seq, false);
	dd_obligor o = { .household_no = no, .name = "李四", .monthly_income = -1 };
	dd_put_result res;
	dd_err err = { 0 };
	int64_t imp = import(st), hh, left = -1;

	h.categories = DD_CAT_DB;
	hh = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
	put_member(st, imp, hh, &m, 1, DD_PUT_INSERTED);
	assert_int_equal(dd_store_obligor_put(st, imp, hh, &o, 1, &res, &err), DD_OK);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-01-01"), true, &left, &err), DD_OK);
	assert_int_equal(left, 0);
	assert_int_equal(dd_store_import_end(st, imp, 1, 0, &err), DD_OK);
}

static void test_append_only(void **state)
{
	static const struct {
		const char *name, *sql, *count;
	} cases[] = {
		{ "audit rows cannot be edited", "UPDATE audit SET username = 'x'", NULL },
		{ "audit rows cannot be deleted", "DELETE FROM audit", "SELECT COUNT(*) FROM audit" },
		{ "households cannot be deleted", "DELETE FROM households",
		  "SELECT COUNT(*) FROM households" },
		{ "members cannot be deleted", "DELETE FROM members", "SELECT COUNT(*) FROM members" },
		{ "obligors cannot be deleted", "DELETE FROM obligors", "SELECT COUNT(*) FROM obligors" },
		{ "category history cannot be deleted", "DELETE FROM category_history",
		  "SELECT COUNT(*) FROM category_history" },
		{ "imports cannot be deleted", "DELETE FROM imports", "SELECT COUNT(*) FROM imports" },
	};
	dd_store *st = open_new("append.db");
	dd_err err = { 0 };
	sqlite3 *db;
	DD_UNUSED(state);

	populate(st, "H001", "001");
	assert_int_equal(dd_store_audit(st, "tester", "view", "member", "1", NULL, NULL, &err), DD_OK);
	dd_store_close(st);
	assert_int_equal(sqlite3_open(db_path("append.db"), &db), SQLITE_OK);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		int64_t before = cases[i].count ? scalar("append.db", cases[i].count) : 0;
		CASE_CHECK(before != 0 || !cases[i].count, cases[i].name);
		CASE_CHECK(sqlite3_exec(db, cases[i].sql, NULL, NULL, NULL) == SQLITE_CONSTRAINT,
			   cases[i].name);
		if (cases[i].count)
			CASE_CHECK(scalar("append.db", cases[i].count) == before, cases[i].name);
	}
	assert_int_equal(scalar("append.db", "SELECT COUNT(*) FROM audit WHERE username = 'x'"), 0);
	sqlite3_close(db);
}

static void test_members_leave_and_rejoin(void **state)
{
	dd_store *st = open_new("leave.db");
	dd_household h1 = household("H001"), h2 = household("H002");
	dd_member a = member("001", false), b = member("002", false), c = member("003", false);
	dd_err err = { 0 };
	char buf[128];
	int64_t imp, id1, id2, left = -1, a0;
	bool yes = true;
	dd_stats s;
	DD_UNUSED(state);

	/* import 1: H001 with a and b, H002 with c */
	imp = import(st);
	id1 = put_household(st, imp, &h1, 1, DD_PUT_INSERTED);
	id2 = put_household(st, imp, &h2, 1, DD_PUT_INSERTED);
	put_member(st, imp, id1, &a, 1, DD_PUT_INSERTED);
	put_member(st, imp, id1, &b, 1, DD_PUT_INSERTED);
	put_member(st, imp, id2, &c, 1, DD_PUT_INSERTED);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-01-31"), false, &left, &err), DD_OK);
	assert_int_equal(left, 0);

	/* import 2 puts only H001, with a alone: b leaves, c (household not in the file) stays */
	imp = import(st);
	a0 = audit_count(st);
	put_household(st, imp, &h1, 1, DD_PUT_UNCHANGED);
	put_member(st, imp, id1, &a, 1, DD_PUT_UNCHANGED);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-02-28"), false, &left, &err), DD_OK);
	assert_int_equal(left, 1);
	assert_int_equal(audit_count(st) - a0, 1);
	assert_string_equal(text("leave.db", "SELECT action || ' ' || before || ' ' || after FROM audit"
				 " ORDER BY id DESC LIMIT 1", buf, sizeof buf),
			    "leave {\"left_on\":null} {\"left_on\":\"2025-02-28\"}");
	assert_int_equal(scalar("leave.db", "SELECT COUNT(*) FROM members WHERE left_on = '2025-02-28'"), 1);
	assert_int_equal(dd_store_household_has_member(st, id1, b.id.text, &yes, &err), DD_OK);
	assert_false(yes);
	assert_int_equal(dd_store_household_has_member(st, id1, a.id.text, &yes, &err), DD_OK);
	assert_true(yes);
	assert_int_equal(dd_store_stats(st, D("2025-03-01"), &s, &err), DD_OK);
	assert_int_equal(s.members, 2);

	/* finishing the same import again finds nobody new to mark */
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-02-28"), false, &left, &err), DD_OK);
	assert_int_equal(left, 0);

	/* import 3: b is back, with the same content: rejoins, audited, left_on cleared */
	imp = import(st);
	a0 = audit_count(st);
	put_household(st, imp, &h1, 1, DD_PUT_UNCHANGED);
	put_member(st, imp, id1, &a, 1, DD_PUT_UNCHANGED);
	put_member(st, imp, id1, &b, 1, DD_PUT_UPDATED);
	assert_int_equal(audit_count(st) - a0, 1);
	assert_string_equal(text("leave.db", "SELECT before || ' ' || after FROM audit"
				 " ORDER BY id DESC LIMIT 1", buf, sizeof buf),
			    "{\"left_on\":\"2025-02-28\"} {\"left_on\":null}");
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-03-31"), false, &left, &err), DD_OK);
	assert_int_equal(left, 0);
	assert_int_equal(scalar("leave.db", "SELECT COUNT(*) FROM members WHERE left_on IS NULL"), 3);
	assert_int_equal(scalar("leave.db", "SELECT COUNT(*) FROM members"), 3);
	dd_store_close(st);
}

static void test_obligors_end(void **state)
{
	static const struct {
		const char *name;
		bool given;
		int64_t ended;
	} cases[] = {
		{ "obligors file given: an obligor missing from it has ended", true, 1 },
		{ "no obligors file: obligors are left as they are", false, 0 },
	};
	DD_UNUSED(state);

	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char name[32];
		dd_store *st;
		dd_household h = household("H001");
		dd_obligor named = { .name = "李四", .monthly_income = -1 };
		dd_obligor with_id = { .name = "王五", .id_number = "110105194912310021",
				       .monthly_income = 300000 };
		dd_put_result res;
		dd_err err = { 0 };
		int64_t imp, hh, left;
		snprintf(name, sizeof name, "obligors%zu.db", i);
		st = open_new(name);
		imp = import(st);
		hh = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
		assert_int_equal(dd_store_obligor_put(st, imp, hh, &named, 1, &res, &err), DD_OK);
		assert_int_equal(dd_store_obligor_put(st, imp, hh, &with_id, 1, &res, &err), DD_OK);
		imp = import(st);
		put_household(st, imp, &h, 1, DD_PUT_UNCHANGED);
		/* keyed by ID: a new name is an update of the same obligor */
		with_id.name = "王五五";
		assert_int_equal(dd_store_obligor_put(st, imp, hh, &with_id, 2, &res, &err), DD_OK);
		CASE_CHECK(res == DD_PUT_UPDATED, cases[i].name);
		assert_int_equal(dd_store_registry_finish(st, imp, D("2025-02-01"), cases[i].given, &left,
							  &err), DD_OK);
		CASE_CHECK(scalar(name, "SELECT COUNT(*) FROM obligors WHERE ended_on = '2025-02-01'") ==
			   cases[i].ended, cases[i].name);
		CASE_CHECK(scalar(name, "SELECT COUNT(*) FROM obligors") == 2, cases[i].name);
		CASE_CHECK(scalar(name, "SELECT COUNT(*) FROM audit WHERE action = 'end'") ==
			   cases[i].ended, cases[i].name);
		dd_store_close(st);
	}
}

static void test_stats(void **state)
{
	/* exited_on <= today means exited: the exit day itself no longer counts. */
	static const struct {
		const char *name, *no, *exited_on;
		unsigned categories;
		const char *fp;
		bool bad_id;
	} cases[] = {
		{ "no exit date: current", "H1", NULL, DD_CAT_TK | DD_CAT_DB, "脱贫不稳定户", true },
		{ "exited yesterday: not current", "H2", "2025-06-14", DD_CAT_DB, NULL, true },
		{ "exited today: not current (boundary)", "H3", "2025-06-15", DD_CAT_BY, NULL, false },
		{ "exits tomorrow: still current", "H4", "2025-06-16", DD_CAT_QT, NULL, false },
		{ "no category (monitored only): current", "H5", NULL, 0, "边缘易致贫户", false },
	};
	static const dd_stats want = {
		.households = 3, .members = 3 * 2,
		.by_category = { 1, 1, 0, 0, 1 }, .fp = 2, .invalid_ids = 1,
	};
	dd_store *st = open_new("stats.db");
	dd_err err = { 0 };
	int64_t imp = import(st);
	dd_stats got;
	DD_UNUSED(state);

	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_household h = household(cases[i].no);
		dd_member m;
		int64_t hh;
		h.categories = cases[i].categories;
		h.fp_subtype = cases[i].fp;
		if (cases[i].exited_on)
			h.exited_on = D(cases[i].exited_on);
		hh = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
		for (int k = 0; k < 2; k++) {
			const char seq[4] = { (char)('0' + i), (char)('0' + k), '1', '\0' };
			m = member(seq, cases[i].bad_id && k == 0);
			put_member(st, imp, hh, &m, 1, DD_PUT_INSERTED);
		}
	}
	/* a third member of H1 who left (by the next import) is not counted */
	{
		dd_household h1 = household("H1");
		dd_member gone = member("991", true), m0 = member("001", true), m1 = member("011", false);
		int64_t hh = 0, left = 0;
		h1.categories = cases[0].categories;
		h1.fp_subtype = cases[0].fp;
		assert_int_equal(dd_store_household_id(st, "H1", &hh, &err), DD_OK);
		put_member(st, imp, hh, &gone, 1, DD_PUT_INSERTED);
		imp = import(st);
		put_household(st, imp, &h1, 1, DD_PUT_UNCHANGED);
		put_member(st, imp, hh, &m0, 1, DD_PUT_UNCHANGED);
		put_member(st, imp, hh, &m1, 1, DD_PUT_UNCHANGED);
		assert_int_equal(dd_store_registry_finish(st, imp, D("2025-06-01"), false, &left, &err),
				 DD_OK);
		assert_int_equal(left, 1);
	}
	assert_int_equal(dd_store_stats(st, D("2025-06-15"), &got, &err), DD_OK);
	assert_int_equal(got.households, want.households);
	assert_int_equal(got.members, want.members);
	for (int i = 0; i < 5; i++)
		assert_int_equal(got.by_category[i], want.by_category[i]);
	assert_int_equal(got.fp, want.fp);
	assert_int_equal(got.invalid_ids, want.invalid_ids);
	dd_store_close(st);
}

static void assert_stats_equal(const dd_stats *a, const dd_stats *b)
{
	assert_memory_equal(a, b, sizeof *a);
}

static void test_backup(void **state)
{
	dd_store *st = open_new("live.db"), *other = NULL, *copy = NULL;
	dd_household h3 = household("H003");
	dd_stats live, got;
	dd_err err = { 0 };
	FILE *f;
	char buf[8] = "";
	DD_UNUSED(state);

	populate(st, "H001", "001");
	populate(st, "H002", "002");
	assert_int_equal(dd_store_stats(st, D("2025-06-15"), &live, &err), DD_OK);
	assert_int_equal(live.households, 2);

	/* another connection holds an open write transaction: the copy is taken anyway, without it */
	assert_int_equal(dd_store_open(&other, db_path("live.db"), false, &err), DD_OK);
	assert_int_equal(dd_store_begin(other, &err), DD_OK);
	put_household(other, import(other), &h3, 1, DD_PUT_INSERTED);
	if (dd_store_backup(st, db_path("copy.db"), &err) != DD_OK)
		fail_msg("backup: %s", err.msg);
	assert_int_equal(dd_store_commit(other, &err), DD_OK);
	dd_store_close(other);

	assert_int_equal(dd_store_open(&copy, db_path("copy.db"), false, &err), DD_OK);
	assert_int_equal(dd_store_schema_version(copy), 2);
	assert_int_equal(dd_store_stats(copy, D("2025-06-15"), &got, &err), DD_OK);
	assert_stats_equal(&got, &live);
	assert_int_equal(audit_count(copy), audit_count(st));
	dd_store_close(copy);

	/* an existing destination is never overwritten: a database or any other file */
	assert_int_equal(dd_store_backup(st, db_path("copy.db"), &err), DD_ERR_USAGE);
	f = fopen(db_path("exists.txt"), "w");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
	assert_int_equal(dd_store_backup(st, db_path("exists.txt"), &err), DD_ERR_USAGE);
	f = fopen(db_path("exists.txt"), "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "x");

	/* a directory that does not exist: an I/O error */
	assert_int_equal(dd_store_backup(st, db_path("no/such/dir.db"), &err), DD_ERR_IO);
	/* inside this handle's own transaction: refused, as the copy would not be what is committed */
	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	assert_int_equal(dd_store_backup(st, db_path("mid.db"), &err), DD_ERR_USAGE);
	assert_int_equal(access(db_path("mid.db"), F_OK), -1);
	assert_int_equal(dd_store_rollback(st), DD_OK);
	dd_store_close(st);
}

/*
 * Bulk path of an explicit transaction: members of a household new in it
 * skip the lookup, yet the same member put twice is still found; the ID-key
 * index dropped for a first load is back after commit and after rollback.
 */
static void test_bulk_transaction(void **state)
{
	dd_store *st = open_new("bulk.db");
	dd_household h = household("H001"), h2 = household("H002");
	dd_member m = member("001", false), m2 = member("002", false);
	dd_err err = { 0 };
	int64_t imp, hh, hh2;
	DD_UNUSED(state);

	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	imp = import(st);
	hh = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
	put_member(st, imp, hh, &m, 1, DD_PUT_INSERTED);
	put_member(st, imp, hh, &m, 1, DD_PUT_UNCHANGED);
	m.name = "改名";
	put_member(st, imp, hh, &m, 2, DD_PUT_UPDATED);
	assert_int_equal(dd_store_rollback(st), DD_OK);
	assert_int_equal(scalar("bulk.db", "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'members_id_key'"), 1);

	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	imp = import(st);
	hh = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
	put_member(st, imp, hh, &m, 1, DD_PUT_INSERTED);
	assert_int_equal(dd_store_commit(st, &err), DD_OK);
	assert_int_equal(scalar("bulk.db", "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'members_id_key'"), 1);
	assert_int_equal(scalar("bulk.db", "SELECT COUNT(*) FROM members"), 1);

	/* a second transaction: the old household's member is found, the new one's inserted */
	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	imp = import(st);
	assert_int_equal(put_household(st, imp, &h, 1, DD_PUT_UNCHANGED), hh);
	hh2 = put_household(st, imp, &h2, 1, DD_PUT_INSERTED);
	put_member(st, imp, hh, &m, 1, DD_PUT_UNCHANGED);
	put_member(st, imp, hh2, &m2, 1, DD_PUT_INSERTED);
	assert_int_equal(dd_store_commit(st, &err), DD_OK);
	assert_int_equal(scalar("bulk.db", "SELECT COUNT(*) FROM members"), 2);
	dd_store_close(st);
}

/* The cursor gives back what was put: current households, current members, typed fields. */
static void test_registry_cursor(void **state)
{
	dd_store *st = open_new("cursor.db");
	dd_household h1 = household("H001"), h2 = household("H002"), h3 = household("H003");
	dd_member a = member("001", false), b = member("002", true), c = member("003", false);
	dd_obligor o = { .name = "李四", .monthly_income = 250000, .id_number = NULL };
	dd_registry_cursor *cur = NULL;
	const dd_registry_rec *r;
	dd_put_result res;
	dd_err err = { 0 };
	int64_t imp, id1, id2, id3, left;
	DD_UNUSED(state);

	h1.categories = DD_CAT_DB | DD_CAT_TK;
	h1.medical_self_paid = 123456;
	h1.recognized_on = D("2024-03-01");
	h2.exited_on = D("2025-01-31");          /* exited before the cursor's date */
	h3.hukou = DD_HUKOU_URBAN;
	a.wage_income = 1200000;
	a.disability_grade = 2;
	a.is_tekun = 1;
	imp = import(st);
	id1 = put_household(st, imp, &h1, 1, DD_PUT_INSERTED);
	id2 = put_household(st, imp, &h2, 1, DD_PUT_INSERTED);
	id3 = put_household(st, imp, &h3, 1, DD_PUT_INSERTED);
	put_member(st, imp, id1, &a, 1, DD_PUT_INSERTED);
	put_member(st, imp, id1, &b, 1, DD_PUT_INSERTED);
	put_member(st, imp, id2, &c, 1, DD_PUT_INSERTED);
	assert_int_equal(dd_store_obligor_put(st, imp, id1, &o, 1, &res, &err), DD_OK);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-01-31"), true, &left, &err), DD_OK);
	/* a later import without b: b leaves H001 */
	imp = import(st);
	put_household(st, imp, &h1, 1, DD_PUT_UNCHANGED);
	put_member(st, imp, id1, &a, 1, DD_PUT_UNCHANGED);
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-02-28"), false, &left, &err), DD_OK);
	assert_int_equal(left, 1);

	assert_int_equal(dd_store_registry_open(st, D("2025-06-15"), false, &cur, &err), DD_OK);
	assert_int_equal(dd_store_registry_next(cur, &r, &err), DD_OK);
	assert_int_equal(r->id, id1);
	assert_string_equal(r->h.household_no, "H001");
	assert_int_equal(r->h.categories, DD_CAT_DB | DD_CAT_TK);
	assert_int_equal(r->h.medical_self_paid, 123456);
	assert_int_equal(r->h.recognized_on, D("2024-03-01"));
	assert_int_equal(r->h.exited_on, DD_DATE_NONE);
	assert_int_equal(r->h.hukou, DD_HUKOU_RURAL);
	assert_int_equal(r->h.is_tuopin, -1);
	assert_int_equal(r->nmembers, 1);
	assert_string_equal(r->members[0].id.text, a.id.text);
	assert_int_equal(r->members[0].id.key, a.id.key);
	assert_int_equal(r->members[0].id.birth, a.id.birth);
	assert_int_equal(r->members[0].wage_income, 1200000);
	assert_int_equal(r->members[0].disability_grade, 2);
	assert_int_equal(r->members[0].is_tekun, 1);
	assert_int_equal(r->members[0].is_dibao, -1);
	assert_string_equal(r->members[0].household_no, "H001");
	assert_int_equal(r->nobligors, 1);
	assert_string_equal(r->obligors[0].name, "李四");
	assert_int_equal(r->obligors[0].monthly_income, 250000);
	/* H002 exited before 2025-06-15: skipped, and its member with it */
	assert_int_equal(dd_store_registry_next(cur, &r, &err), DD_OK);
	assert_int_equal(r->id, id3);
	assert_int_equal(r->h.hukou, DD_HUKOU_URBAN);
	assert_int_equal(r->nmembers, 0);
	assert_int_equal(r->nobligors, 0);
	assert_int_equal(dd_store_registry_next(cur, &r, &err), DD_DONE);
	dd_store_registry_close(cur);

	/* with exited households, and on a date before H002's exit */
	assert_int_equal(dd_store_registry_open(st, D("2025-01-30"), false, &cur, &err), DD_OK);
	assert_int_equal(dd_store_registry_next(cur, &r, &err), DD_OK);
	assert_int_equal(dd_store_registry_next(cur, &r, &err), DD_OK);
	assert_int_equal(r->id, id2);
	assert_int_equal(r->nmembers, 1);
	assert_int_equal(r->members[0].id_bad_check, false);
	dd_store_registry_close(cur);
	assert_int_equal(dd_store_registry_open(st, D("2025-06-15"), true, &cur, &err), DD_OK);
	int n = 0;
	while (dd_store_registry_next(cur, &r, &err) == DD_OK)
		n++;
	assert_int_equal(n, 3);
	dd_store_registry_close(cur);
	dd_store_close(st);
}

/*
 * Registry parts: for every number of parts (one to more parts than
 * households), parts 0, 1, … read in turn give exactly the households and
 * members of the whole cursor, in the same order; DD_REGISTRY_ASSESS fills
 * the engine's fields and leaves the others empty.
 */
static void test_registry_parts(void **state)
{
	static const char *const nos[] = { "H001", "H002", "H003", "H004", "H005", "H006", "H007" };
	dd_store *st = open_new("parts.db");
	dd_registry_cursor *cur = NULL;
	const dd_registry_rec *r;
	dd_err err = { 0 };
	int64_t imp, left, whole[8], got[8];
	size_t nwhole = 0, nmwhole[8];
	DD_UNUSED(state);

	imp = import(st);
	for (size_t i = 0; i < DD_ARRAY_LEN(nos); i++) {
		dd_household h = household(nos[i]);
		h.address = "某街1号";
		h.wage_income = 100 * (dd_fen)i;
		h.exited_on = i == 3 ? D("2025-01-31") : DD_DATE_NONE;   /* H004 is not current */
		int64_t id = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
		char seq[4];
		for (size_t k = 0; k < i % 3; k++) {   /* 0, 1 or 2 members */
			snprintf(seq, sizeof seq, "%zu%zu0", i, k);
			dd_member m = member(seq, false);
			m.wage_income = 1000 + (dd_fen)k;
			put_member(st, imp, id, &m, 1, DD_PUT_INSERTED);
		}
	}
	assert_int_equal(dd_store_registry_finish(st, imp, D("2025-01-31"), true, &left, &err), DD_OK);

	assert_int_equal(dd_store_registry_open(st, D("2025-06-15"), false, &cur, &err), DD_OK);
	while (dd_store_registry_next(cur, &r, &err) == DD_OK) {
		nmwhole[nwhole] = r->nmembers;
		whole[nwhole++] = r->id;
	}
	dd_store_registry_close(cur);
	assert_int_equal(nwhole, 6);

	for (int nparts = 1; nparts <= 9; nparts++) {
		size_t n = 0;
		for (int part = 0; part < nparts; part++) {
			assert_int_equal(dd_store_registry_open_part(st, D("2025-06-15"), false, part, nparts,
								     DD_REGISTRY_ASSESS, &cur, &err), DD_OK);
			while (dd_store_registry_next(cur, &r, &err) == DD_OK) {
				assert_true(n < nwhole);
				assert_int_equal(r->nmembers, nmwhole[n]);
				got[n++] = r->id;
				/* the engine's fields, and not the others */
				assert_non_null(r->h.household_no);
				assert_string_equal(r->h.region_code, "230304200203");
				assert_int_equal(r->h.hukou, DD_HUKOU_RURAL);
				assert_null(r->h.address);
				for (size_t k = 0; k < r->nmembers; k++) {
					assert_int_equal(r->members[k].wage_income, 1000 + (dd_fen)k);
					assert_string_equal(r->members[k].name, "张三");
					assert_int_equal(r->members[k].id.birth, D("1949-12-31"));
					assert_null(r->members[k].relation);
				}
			}
			dd_store_registry_close(cur);
		}
		assert_int_equal(n, nwhole);
		assert_memory_equal(got, whole, nwhole * sizeof *whole);
	}
	assert_int_equal(dd_store_registry_open_part(st, D("2025-06-15"), false, 2, 2, DD_REGISTRY_ALL, &cur,
						     &err), DD_ERR_USAGE);
	assert_null(cur);
	dd_store_close(st);
}

static void test_rollback_leaves_nothing(void **state)
{
	dd_store *st = open_new("rollback.db");
	dd_household h = household("H001");
	dd_member m = member("001", false);
	dd_err err = { 0 };
	dd_stats s;
	int64_t imp, hh, a0;
	char *v = NULL;
	DD_UNUSED(state);

	a0 = audit_count(st);
	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	imp = import(st);
	h.categories = DD_CAT_DB;
	hh = put_household(st, imp, &h, 1, DD_PUT_INSERTED);
	put_member(st, imp, hh, &m, 1, DD_PUT_INSERTED);
	h.address = "改了";
	put_household(st, imp, &h, 2, DD_PUT_UPDATED);
	assert_int_equal(dd_store_meta_set(st, "tester", "county", "230304", &err), DD_OK);
	assert_int_equal(dd_store_rollback(st), DD_OK);

	assert_int_equal(dd_store_household_id(st, "H001", &hh, &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_meta_get(st, "county", &v, &err), DD_ERR_NOTFOUND);
	assert_null(v);
	assert_int_equal(audit_count(st), a0);
	assert_int_equal(scalar("rollback.db", "SELECT (SELECT COUNT(*) FROM imports) +"
				" (SELECT COUNT(*) FROM members) + (SELECT COUNT(*) FROM category_history)"), 0);
	assert_int_equal(dd_store_stats(st, D("2025-06-15"), &s, &err), DD_OK);
	assert_int_equal(s.households + s.members, 0);

	/* and the handle works on: the same import again commits */
	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	imp = import(st);
	put_household(st, imp, &h, 1, DD_PUT_INSERTED);
	assert_int_equal(dd_store_commit(st, &err), DD_OK);
	assert_int_equal(dd_store_household_id(st, "H001", &hh, &err), DD_OK);
	dd_store_close(st);
}

static void test_meta_and_regions(void **state)
{
	static const struct {
		const char *name, *val, *before, *after;
	} cases[] = {
		{ "first set: audited with no before", "230304", "(null)", "\"230304\"" },
		{ "second set: audited with before and after", "230305", "\"230304\"", "\"230305\"" },
	};
	dd_store *st = open_new("meta.db");
	dd_err err = { 0 };
	char *v = (char *)"x", buf[64];
	DD_UNUSED(state);

	assert_int_equal(dd_store_meta_get(st, "county", &v, &err), DD_ERR_NOTFOUND);
	assert_null(v);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		int64_t a0 = audit_count(st);
		CASE_CHECK(dd_store_meta_set(st, "admin", "county", cases[i].val, &err) == DD_OK,
			   cases[i].name);
		CASE_CHECK(audit_count(st) - a0 == 1, cases[i].name);
		CASE_STR_EQ(text("meta.db", "SELECT before FROM audit ORDER BY id DESC LIMIT 1", buf,
				 sizeof buf), cases[i].before, cases[i].name);
		CASE_STR_EQ(text("meta.db", "SELECT after FROM audit ORDER BY id DESC LIMIT 1", buf,
				 sizeof buf), cases[i].after, cases[i].name);
		CASE_CHECK(dd_store_meta_get(st, "county", &v, &err) == DD_OK, cases[i].name);
		CASE_STR_EQ(v, cases[i].val, cases[i].name);
		free(v);
	}
	/* regions: a second put of the same code replaces it */
	assert_int_equal(dd_store_region_put(st, "230304", "旧名", 3, "230300", &err), DD_OK);
	assert_int_equal(dd_store_region_put(st, "230304", "滴道区", 3, "230300", &err), DD_OK);
	assert_string_equal(text("meta.db", "SELECT group_concat(name) FROM regions", buf, sizeof buf),
			    "滴道区");
	dd_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_wal_and_foreign_keys),
		cmocka_unit_test(test_household_put),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_members_leave_and_rejoin),
		cmocka_unit_test(test_obligors_end),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_bulk_transaction),
		cmocka_unit_test(test_registry_cursor),
		cmocka_unit_test(test_registry_parts),
		cmocka_unit_test(test_rollback_leaves_nothing),
		cmocka_unit_test(test_meta_and_regions),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
