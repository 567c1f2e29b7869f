/*
 * test_medical_seg.c - a medical batch stored as segments (sqlite_medseg.c):
 * dd_store_feed_put("medical") across segment boundaries, its order and
 * batch rules, rollback, the virtual table feed_medical_year (rows, lookups
 * by batch and id_key, order, plans, read-only), and migration
 * feed-5-medical-segments converting a database of the old table.
 */
#include "unit_store.h"
#include "store/medseg.h"

#include <sqlite3.h>

/* The rows of an SQL query as "a|b;c|d" (NULL as "-"), on a connection of its own. */
static const char *query(const char *sql)
{
	static char out[1 << 16];
	sqlite3 *db;
	sqlite3_stmt *q;
	size_t n = 0;
	int rc;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(ut_path, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
		snprintf(out, sizeof out, "error: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return out;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(q); i++) {
			const char *t = (const char *)sqlite3_column_text(q, i);
			n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : (n ? ";" : ""), t ? t : "-");
		}
	}
	if (rc != SQLITE_DONE)
		snprintf(out, sizeof out, "error: %s", sqlite3_errmsg(db));
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

static dd_feed_row mrow(uint64_t key, const char *name, int64_t year, int64_t hosp, int64_t hv, int64_t outp,
			int64_t ov)
{
	return (dd_feed_row){ key, name, { { DD_FV_INT, year, NULL }, { DD_FV_INT, hosp, NULL },
					   { DD_FV_INT, hv, NULL }, { DD_FV_INT, outp, NULL },
					   { DD_FV_INT, ov, NULL } } };
}

static int64_t batch_begin(dd_store *st, const char *month)
{
	dd_err err = { 0 };
	int64_t id;
	assert_int_equal(dd_store_begin(st, &err), DD_OK);
	if (dd_store_feed_begin(st, 0, "medical", month, &id, &err) != DD_OK)
		fail_msg("feed_begin: %s", err.msg);
	return id;
}

static void batch_end(dd_store *st, int64_t id, int64_t rows)
{
	dd_err err = { 0 };
	if (dd_store_feed_end(st, id, rows, 0, NULL, &err) != DD_OK || dd_store_commit(st, &err) != DD_OK)
		fail_msg("feed_end: %s", err.msg);
}

/*
 * Person i (key base + 7i) has years 2024 and 2025 when i % 3 == 0, else
 * 2025; N rows make three segments, and the person at entry 8191 (the last
 * of segment 0) has two years, the second the first entry of segment 1.
 */
enum { N = 2 * 8192 + 100 };

static size_t person_rows(dd_feed_row *rows, size_t n, uint64_t base)
{
	size_t k = 0;
	for (uint64_t i = 0; k < n; i++) {
		if (k == 8191 || (i % 3 == 0 && k != 8190))
			rows[k++] = mrow(base + i * 7, i % 2 ? "张三" : NULL, 2024, (int64_t)i, 1, 0, 0);
		if (k < n)
			rows[k++] = mrow(base + i * 7, i % 2 ? "张三" : NULL, 2025, 0, 0, (int64_t)i * 100, 2);
	}
	return k;
}

/*
 * The hosp columns of every segment, decoded, as "batch:key/year/fen/visits/name;..."
 * (outpatient sums must be absent from them: "!" marks any), or with
 * `summary` as "entries|sum of fen|sum of visits".
 */
static const char *hosp_column(bool summary)
{
	static char out[1 << 12];
	sqlite3 *db;
	sqlite3_stmt *q;
	size_t n = 0;
	long long entries = 0, fen = 0, visits = 0;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(ut_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT batch_id, hosp FROM feed_medical_seg"
					     " WHERE hosp IS NOT NULL ORDER BY batch_id, seq", -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		dd_medseg_dec d;
		dd_medrow r;
		dd_medseg_dec_init(&d, sqlite3_column_blob(q, 1), (size_t)sqlite3_column_bytes(q, 1));
		while (dd_medseg_dec_next(&d, &r) == DD_OK) {
			if (summary)
				entries++, fen += r.hosp_fen, visits += r.hosp_visits;
			else
				n += (size_t)snprintf(out + n, sizeof out - n, "%s%lld:%llu/%d/%lld/%d/%.*s%s",
						      n ? ";" : "", sqlite3_column_int64(q, 0),
						      (unsigned long long)r.id_key, r.year, (long long)r.hosp_fen,
						      r.hosp_visits, (int)r.name_len, r.name ? r.name : "",
						      r.outp_fen || r.outp_visits ? "!" : "");
		}
		assert_int_equal(d.p == d.end, 1);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (summary)
		snprintf(out, sizeof out, "%lld|%lld|%lld", entries, fen, visits);
	return out;
}

static void test_segments(void **state)
{
	(void)state;
	dd_store *st = ut_store_new();
	dd_err err = { 0 };
	dd_feed_row *rows = calloc(N, sizeof *rows);
	assert_non_null(rows);
	size_t n = person_rows(rows, N, 1000);
	int64_t id = batch_begin(st, "2025-12");
	/* in uneven pieces, as the import's chunks */
	for (size_t at = 0; at < n; at += 1000)
		assert_int_equal(dd_store_feed_put(st, "medical", id, rows + at, DD_MIN(1000, n - at), &err), DD_OK);
	batch_end(st, id, (int64_t)n);
	char want[256];
	snprintf(want, sizeof want, "0|8192|1000|%llu;1|8192|%llu|%llu;2|100|%llu|%llu",
		 (unsigned long long)rows[8191].id_key, (unsigned long long)rows[8192].id_key,
		 (unsigned long long)rows[16383].id_key, (unsigned long long)rows[16384].id_key,
		 (unsigned long long)rows[n - 1].id_key);
	assert_string_equal(query("SELECT seq, rows, first_key, last_key FROM feed_medical_seg ORDER BY seq"), want);
	/* the hosp columns: exactly the rows with hospital amounts, their hospital sums */
	long long hn = 0, hf = 0, hv = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].v[1].i > 0)
			hn++, hf += rows[i].v[1].i, hv += rows[i].v[2].i;
	snprintf(want, sizeof want, "%lld|%lld|%lld", hn, hf, hv);
	assert_true(hn > 0 && hn < (long long)n);
	assert_string_equal(hosp_column(true), want);
	/* the person whose years straddle the first boundary */
	assert_int_equal(rows[8191].id_key, rows[8192].id_key);
	assert_int_equal(rows[8191].v[0].i, 2024);
	/* every row, once, in order; sums exact */
	long long hosp = 0, outp = 0;
	for (size_t i = 0; i < n; i++)
		hosp += rows[i].v[1].i, outp += rows[i].v[3].i;
	char sql[512];
	snprintf(want, sizeof want, "%zu|%lld|%lld", n, hosp, outp);
	assert_string_equal(query("SELECT COUNT(*), SUM(hosp_self_paid), SUM(outp_self_paid) FROM feed_medical_year"),
			    want);
	assert_string_equal(query("SELECT COUNT(*) FROM (SELECT id_key, year, LAG(id_key) OVER () AS pk,"
				  " LAG(year) OVER () AS py FROM feed_medical_year)"
				  " WHERE pk > id_key OR (pk = id_key AND py >= year)"),
			    "0");
	/* by person: the straddling one, the first, the last, one that is not there */
	snprintf(sql, sizeof sql, "SELECT year, hosp_self_paid, hosp_visits, outp_self_paid, outp_visits, name"
		 " FROM feed_medical_year WHERE batch_id = %lld AND id_key = %llu",
		 (long long)id, (unsigned long long)rows[8191].id_key);
	const char *nm = rows[8191].name ? rows[8191].name : "-";
	snprintf(want, sizeof want, "2024|%lld|1|0|0|%s;2025|0|0|%lld|2|%s", (long long)rows[8191].v[1].i, nm,
		 (long long)rows[8192].v[3].i, nm);
	assert_string_equal(query(sql), want);
	snprintf(sql, sizeof sql, "SELECT year, name FROM feed_medical_year WHERE id_key = %llu",
		 (unsigned long long)rows[n - 1].id_key);
	snprintf(want, sizeof want, "2025|%s", rows[n - 1].name ? rows[n - 1].name : "-");
	assert_string_equal(query(sql), want);
	assert_string_equal(query("SELECT year, outp_visits FROM feed_medical_year WHERE id_key = 1000"),
			    "2024|0;2025|2");
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year WHERE id_key = 1001"), "0");
	/* an equality with text is left to SQLite: still right */
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year WHERE id_key = '1000'"
				  " AND batch_id = '1'"), "2");
	/* NULL compares to nothing; a real is compared by SQLite alone */
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year WHERE batch_id = NULL"), "0");
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year WHERE id_key > NULL"), "0");
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year WHERE year = 2024 AND hosp_self_paid > 8190.5"
				  " AND hosp_self_paid <= 8199"),
			    "3");
	/* comparisons applied while decoding, and checked again by SQLite */
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year WHERE year = 2024 AND hosp_self_paid > 8190"
				  " AND hosp_self_paid <= 8199 AND hosp_visits >= 1 AND outp_self_paid < 1"),
			    "3");
	free(rows);
	ut_store_remove(st);
}

/* The order of a scan is the table's: ORDER BY batch_id, id_key, year needs no sorting. */
static void test_plans(void **state)
{
	(void)state;
	static const struct {
		const char *name, *sql;
		bool sorted;   /* a temp B-tree for the ORDER BY */
	} cases[] = {
		{ "the table's order", "SELECT * FROM feed_medical_year ORDER BY batch_id, id_key, year", false },
		{ "one batch by person", "SELECT * FROM feed_medical_year WHERE batch_id = 1 ORDER BY id_key, year", false },
		{ "one person's years", "SELECT * FROM feed_medical_year WHERE batch_id = 1 AND id_key = 5 ORDER BY year", false },
		{ "by person across batches", "SELECT * FROM feed_medical_year ORDER BY id_key", true },
		{ "descending", "SELECT * FROM feed_medical_year ORDER BY batch_id DESC", true },
		{ "by name", "SELECT * FROM feed_medical_year WHERE batch_id = 1 ORDER BY name", true },
	};
	dd_store *st = ut_store_new();
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", cases[i].sql);
		const char *plan = query(sql);
		CASE_CHECK(strstr(plan, "VIRTUAL TABLE INDEX") != NULL, cases[i].name);
		CASE_CHECK((strstr(plan, "TEMP B-TREE") != NULL) == cases[i].sorted, cases[i].name);
	}
	/* one batch's segments by id_key (idxNum 3) */
	assert_non_null(strstr(query("EXPLAIN QUERY PLAN SELECT * FROM feed_medical_year WHERE batch_id = 1"
				     " AND id_key = 5"), "VIRTUAL TABLE INDEX 3:"));
	/* a person in the active batches (the view's join): by id_key, with or without the batch */
	const char *plan = query("EXPLAIN QUERY PLAN SELECT * FROM feed_batches b JOIN feed_medical_year f"
				 " ON f.batch_id = b.id WHERE b.kind = 'medical' AND b.replaced_by IS NULL AND f.id_key = 5");
	assert_true(strstr(plan, "SCAN f VIRTUAL TABLE INDEX 3:") || strstr(plan, "SCAN f VIRTUAL TABLE INDEX 2:"));
	assert_non_null(strstr(plan, "1="));
	ut_store_remove(st);
}

static void test_refusals(void **state)
{
	(void)state;
	dd_store *st = ut_store_new();
	dd_err err = { 0 };
	int64_t id = batch_begin(st, "2025-11");
	dd_feed_row two[] = { mrow(10, "甲", 2025, 1, 1, 0, 0), mrow(9, "乙", 2025, 1, 1, 0, 0) };
	assert_int_equal(dd_store_feed_put(st, "medical", id, two, 2, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "递增"));
	assert_int_equal(dd_store_rollback(st), DD_OK);

#define V(x) { DD_FV_INT, x, NULL }
	static const struct {
		const char *name;
		dd_feed_row r;
	} bad[] = {
		{ "a smaller key than the last put", { 9, NULL, { V(2026), V(0), V(0), V(0), V(0) } } },
		{ "the same key and year again", { 10, NULL, { V(2025), V(0), V(0), V(0), V(0) } } },
		{ "negative amount", { 11, NULL, { V(2025), V(-1), V(1), V(0), V(0) } } },
		{ "year past int32", { 11, NULL, { V(1ll << 31), V(0), V(0), V(0), V(0) } } },
		{ "visits past int32", { 11, NULL, { V(2025), V(0), V(1ll << 31), V(0), V(0) } } },
		{ "an empty year", { 11, NULL, { { DD_FV_NULL, 0, NULL }, V(0), V(0), V(0), V(0) } } },
		{ "a text amount", { 11, NULL, { V(2025), { DD_FV_TEXT, 0, "1" }, V(0), V(0), V(0) } } },
	};
#undef V
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		id = batch_begin(st, "2025-12");
		assert_int_equal(dd_store_feed_put(st, "medical", id, &two[0], 1, &err), DD_OK);
		CASE_CHECK(dd_store_feed_put(st, "medical", id, &bad[i].r, 1, &err) == DD_ERR_INPUT, bad[i].name);
		assert_int_equal(dd_store_rollback(st), DD_OK);
	}
	/* across a segment boundary too: the first entry of segment 1 must follow the last of segment 0 */
	dd_feed_row *rows = calloc(8193, sizeof *rows);
	assert_non_null(rows);
	for (size_t i = 0; i < 8192; i++)
		rows[i] = mrow(100 + i, NULL, 2025, 1, 1, 0, 0);
	rows[8192] = mrow(100 + 8191, NULL, 2025, 1, 1, 0, 0);
	id = batch_begin(st, "2025-12");
	assert_int_equal(dd_store_feed_put(st, "medical", id, rows, 8192, &err), DD_OK);
	assert_int_equal(dd_store_feed_put(st, "medical", id, rows + 8192, 1, &err), DD_ERR_INPUT);
	assert_int_equal(dd_store_rollback(st), DD_OK);
	free(rows);

	/* a put for another batch writes the pending one; going back to it is refused */
	int64_t a = batch_begin(st, "2025-10");
	assert_int_equal(dd_store_feed_put(st, "medical", a, &two[0], 1, &err), DD_OK);
	int64_t b;
	assert_int_equal(dd_store_feed_begin(st, 0, "medical", "2025-09", &b, &err), DD_OK);
	assert_int_equal(dd_store_feed_put(st, "medical", b, &two[1], 1, &err), DD_OK);
	/* feed_begin dropped batch a's pending entry (a batch is begin, puts, end) */
	assert_int_equal(dd_store_feed_put(st, "medical", a, &two[0], 1, &err), DD_OK);
	assert_int_equal(dd_store_feed_put(st, "medical", b, &two[0], 1, &err), DD_ERR_USAGE);
	assert_non_null(strstr(err.msg, "已写完"));
	assert_int_equal(dd_store_feed_end(st, a, 1, 0, NULL, &err), DD_OK);
	assert_int_equal(dd_store_feed_end(st, b, 1, 0, NULL, &err), DD_OK);
	assert_int_equal(dd_store_commit(st, &err), DD_OK);
	char want[64];
	snprintf(want, sizeof want, "%lld|9;%lld|10", (long long)b, (long long)a);
	assert_string_equal(query("SELECT batch_id, id_key FROM feed_medical_year ORDER BY id_key"), want);

	/* a rollback drops the pending entries: the next batch starts clean */
	id = batch_begin(st, "2025-08");
	assert_int_equal(dd_store_feed_put(st, "medical", id, &two[0], 1, &err), DD_OK);
	assert_int_equal(dd_store_rollback(st), DD_OK);
	id = batch_begin(st, "2025-08");
	assert_int_equal(dd_store_feed_put(st, "medical", id, &two[1], 1, &err), DD_OK);
	batch_end(st, id, 1);
	snprintf(want, sizeof want, "%lld|9", (long long)id);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT batch_id, id_key FROM feed_medical_year WHERE batch_id = %lld", (long long)id);
	assert_string_equal(query(sql), want);

	/* the table is read-only, the segments are never deleted */
	assert_non_null(strstr(query("INSERT INTO feed_medical_year (batch_id, id_key, year) VALUES (1, 1, 2025)"),
			       "may not be modified"));
	assert_non_null(strstr(query("DELETE FROM feed_medical_seg"), "比对数据不能删除"));
	ut_store_remove(st);
}

/* The schema of feed_medical_year before feed-5 (feed-1 and feed-4), for an old database. */
#define OLD_MEDICAL                                                                                 \
	"CREATE TABLE feed_medical_year ( batch_id INTEGER NOT NULL REFERENCES feed_batches(id),"   \
	" id_key BIGINT NOT NULL, name TEXT, year INTEGER NOT NULL, hosp_self_paid BIGINT NOT NULL,"  \
	" hosp_visits INTEGER NOT NULL, outp_self_paid BIGINT NOT NULL, outp_visits INTEGER NOT NULL," \
	" PRIMARY KEY (batch_id, id_key, year)) WITHOUT ROWID;"                                      \
	"CREATE TRIGGER feed_medical_year_no_delete BEFORE DELETE ON feed_medical_year"             \
	" BEGIN SELECT RAISE(ABORT, '比对数据不能删除'); END;"                                       \
	"CREATE INDEX feed_medical_year_hosp ON feed_medical_year"                                   \
	" (batch_id, year, id_key, name, hosp_self_paid) WHERE hosp_self_paid > 0;"

static void test_migration(void **state)
{
	(void)state;
	dd_store *st = ut_store_new();
	dd_store_close(st);
	/* back to the schema before feed-5, with rows in the old table (not in key order) */
	ut_exec("PRAGMA foreign_keys = OFF; BEGIN; DROP TABLE feed_medical_seg;"
	     " DELETE FROM schema_migrations WHERE name = 'feed-5-medical-segments';" OLD_MEDICAL
	     "INSERT INTO feed_batches (id, kind, month, rows, rejected, created_at) VALUES"
	     " (1, 'medical', '2025-01', 4, 0, 'x'), (2, 'medical', '2025-02', 1, 0, 'x'),"
	     " (3, 'medical', '2025-03', 0, 0, 'x'), (4, 'pension', '2025-03', 0, 0, 'x');"
	     "INSERT INTO feed_medical_year VALUES"
	     " (1, 230304198001010011, '张三', 2025, 123456, 2, 789, 3),"
	     " (1, 17, NULL, 2025, 0, 0, 5, 1),"
	     " (1, 230304198001010011, '张三', 2024, 1, 1, 0, 0),"
	     " (1, 1099999999999999999, '', 2025, 9223372036854775807, 2147483647, 0, 0),"
	     " (2, 17, '李四', 2025, 100, 1, 0, 0);"
	     "COMMIT;");
	const char *sel = "SELECT batch_id, id_key, name, year, hosp_self_paid, hosp_visits, outp_self_paid,"
			  " outp_visits FROM feed_medical_year ORDER BY batch_id, id_key, year";
	char before[1024];
	snprintf(before, sizeof before, "%s", query(sel));
	assert_string_equal(before, "1|17|-|2025|0|0|5|1;1|230304198001010011|张三|2024|1|1|0|0;"
				    "1|230304198001010011|张三|2025|123456|2|789|3;"
				    "1|1099999999999999999||2025|9223372036854775807|2147483647|0|0;2|17|李四|2025|100|1|0|0");
	dd_err err = { 0 };
	if (dd_store_open(&st, ut_path, false, &err) != DD_OK)
		fail_msg("open: %s", err.msg);
	/* the same rows through the virtual table; one segment per batch; the old table gone */
	assert_string_equal(query(sel), before);
	assert_string_equal(query("SELECT batch_id, seq, rows, first_key, last_key FROM feed_medical_seg"
				  " ORDER BY batch_id"),
			    "1|0|4|17|1099999999999999999;2|0|1|17|17");
	/* the hosp columns: the rows with hospital amounts, outpatient sums left out; none in batch 3 */
	assert_string_equal(hosp_column(false), "1:230304198001010011/2024/1/1/张三;"
				"1:230304198001010011/2025/123456/2/张三;"
				"1:1099999999999999999/2025/9223372036854775807/2147483647/;2:17/2025/100/1/李四");
	assert_string_equal(query("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'feed_medical_year%'"), "0");
	assert_string_equal(query("SELECT COUNT(*) FROM schema_migrations WHERE name = 'feed-5-medical-segments'"),
			    "1");
	/* a person's rows in the converted (single) segments, through their batches */
	assert_string_equal(query("SELECT b.month, f.year, f.hosp_self_paid FROM feed_batches b"
				  " JOIN feed_medical_year f ON f.batch_id = b.id WHERE f.id_key = 17 ORDER BY b.month"),
			    "2025-01|2025|0;2025-02|2025|100");
	/* a new batch goes on after the converted ones */
	int64_t id = batch_begin(st, "2025-04");
	dd_feed_row r = mrow(17, "王五", 2025, 3, 1, 0, 0);
	assert_int_equal(dd_store_feed_put(st, "medical", id, &r, 1, &err), DD_OK);
	batch_end(st, id, 1);
	assert_string_equal(query("SELECT batch_id, name FROM feed_medical_year WHERE id_key = 17"),
			    "1|-;2|李四;5|王五");
	ut_store_remove(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_plans),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_migration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
