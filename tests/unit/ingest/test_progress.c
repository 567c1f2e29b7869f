/* test_progress.c - the import progress callback (ingest.h dd_ingest_progress_fn), for the web's jobs. */
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

#include "core/id.h"
#include "ingest/ingest.h"
#include "store/store.h"

typedef struct calls {
	int n;
	int file[4];
	int64_t rows[4];
} calls;

static void note(void *arg, int file, int64_t rows)
{
	calls *c = arg;
	if (c->n < 4) {
		c->file[c->n] = file;
		c->rows[c->n] = rows;
	}
	c->n++;
}

/* A death feed of `rows` rows with distinct valid IDs. */
static void write_feed(const char *path, int rows)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("id_number,name,death_date\n", f);
	for (int i = 0; i < rows; i++) {
		char id[24];
		snprintf(id, sizeof id, "2303041950%02d%02d%03d", 1 + (i / 28000) % 12, 1 + (i / 1000) % 28, i % 1000);
		id[17] = dd_id_check_digit(id);
		id[18] = '\0';
		fprintf(f, "%s,张三,2025-01-15\n", id);
	}
	fclose(f);
}

static void test_feed_progress(void **state)
{
	static const struct {
		const char *name;
		int rows;
		int ncalls;
		int64_t at[2];
	} cases[] = {
		{ "one row short of the step: no call", DD_INGEST_PROGRESS_EVERY - 1, 0, { 0, 0 } },
		{ "exactly the step: one call", DD_INGEST_PROGRESS_EVERY, 1, { DD_INGEST_PROGRESS_EVERY, 0 } },
		{ "two steps and one: two calls", 2 * DD_INGEST_PROGRESS_EVERY + 1, 2,
		  { DD_INGEST_PROGRESS_EVERY, 2 * DD_INGEST_PROGRESS_EVERY } },
	};
	char db[64], file[64];
	DD_UNUSED(state);

	snprintf(db, sizeof db, "/tmp/dd_progress_%d.db", (int)getpid());
	snprintf(file, sizeof file, "/tmp/dd_progress_%d.csv", (int)getpid());
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_store *st = NULL;
		dd_err err = { 0 };
		calls c = { 0 };
		dd_feed_in in = { .kind = "death", .month = "2025-01", .file = file, .user = "test",
				  .progress = note, .progress_arg = &c };
		dd_feed_result res;

		write_feed(file, cases[i].rows);
		CASE_CHECK(dd_store_open(&st, db, true, &err) == DD_OK, cases[i].name);
		CASE_CHECK(dd_ingest_feed(st, &in, &res, &err) == DD_OK, cases[i].name);
		CASE_CHECK(res.rows == cases[i].rows, cases[i].name);
		CASE_CHECK(c.n == cases[i].ncalls, cases[i].name);
		for (int k = 0; k < c.n && k < 2; k++) {
			CASE_CHECK(c.file[k] == 0, cases[i].name);
			CASE_CHECK(c.rows[k] == cases[i].at[k], cases[i].name);
		}
		dd_store_close(st);
		unlink(db);
		unlink(file);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
