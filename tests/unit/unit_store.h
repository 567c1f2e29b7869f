/*
 * unit_store.h - a fresh SQLite store in a temporary directory, for the unit
 * tests of the store's domains.  One at a time per test binary: the path is
 * kept in `ut_path` so a test can read the file with its own connection.
 */
#ifndef DD_UNIT_STORE_H
#define DD_UNIT_STORE_H

#include "unit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/id.h"
#include "core/registry.h"
#include "store/store.h"

static char ut_dir[64], ut_path[128];

/* Creates and opens the store; the test fails when it cannot. */
static inline dd_store *ut_store_new(void)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	snprintf(ut_dir, sizeof ut_dir, "/tmp/dd_unit_XXXXXX");
	assert_non_null(mkdtemp(ut_dir));
	snprintf(ut_path, sizeof ut_path, "%s/t.db", ut_dir);
	assert_int_equal(dd_store_open(&st, ut_path, true, &err), DD_OK);
	return st;
}

/* Closes the store and removes its files and directory. */
/*
 * SQL on a connection of its own, on ut_path: rows the store has no writer
 * for (warnings, applications), an old schema.  An error fails the test.
 */
static inline void ut_exec(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(ut_path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s\n%s", msg, sql);
	sqlite3_close(db);
}

static inline void ut_store_remove(dd_store *st)
{
	char p[160];
	dd_store_close(st);
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", ut_path, (const char *[]){ "", "-wal", "-shm" }[i]);
		unlink(p);
	}
	rmdir(ut_dir);
}

/*
 * Puts household `no` in `region` (rural, `categories`) with one member, its
 * head, of `name` and the ID 1101051949123<seq> + check digit; its row id.
 */
static inline int64_t ut_household_put(dd_store *st, int64_t imp, const char *no, const char *region,
				       const char *name, unsigned categories, const char *seq)
{
	char id[19];
	dd_household h = { .household_no = no, .region_code = region, .hukou = DD_HUKOU_RURAL, .is_tuopin = -1,
			   .whole_no_labor = -1, .housing_unsafe = -1, .dropout = -1, .water_unsafe = -1,
			   .uninsured = -1, .recognized_on = DD_DATE_NONE, .exited_on = DD_DATE_NONE,
			   .categories = categories };
	dd_member m = { .name = name, .relation = "户主", .wage_income = -1, .work_months = -1,
			.ins_resident_medical = -1, .ins_employee_medical = -1, .ins_critical_illness = -1,
			.ins_resident_pension = -1, .ins_employee_pension = -1, .is_tekun = -1,
			.is_dibao = -1, .orphan_guarantee = -1 };
	int64_t hid;
	dd_put_result res;
	dd_err err = { 0 };
	snprintf(id, sizeof id, "1101051949123%.4s", seq);
	id[17] = dd_id_check_digit(id);
	id[18] = 0;
	assert_int_equal(dd_id_parse(id, 18, &m.id), DD_ID_OK);
	h.head_id = m.id.text;
	assert_int_equal(dd_store_household_put(st, imp, &h, 1, &hid, &res, &err), DD_OK);
	assert_int_equal(dd_store_member_put(st, imp, hid, &m, 1, &res, &err), DD_OK);
	return hid;
}

#endif
