/*
 * unit_store.h - a fresh SQLite store in a temporary directory, for the unit
 * tests of the store's domains.  One at a time per test binary: the path is
 * kept in `ut_path` so a test can read the file with its own connection.
 */
#ifndef DD_UNIT_STORE_H
#define DD_UNIT_STORE_H

#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

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

#endif
