/* test_feed.c - department feed imports (FORMATS.md §3) into a store in a temporary directory. */
#include "unit.h"

#include <ftw.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/id.h"
#include "ingest/ingest.h"
#include "store/store.h"

static char dir[64];
static char dbfile[128];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	DD_UNUSED(sb);
	DD_UNUSED(flag);
	DD_UNUSED(ftw);
	return remove(path);
}

/* Each test gets a fresh directory and database. */
static int setup(void **state)
{
	DD_UNUSED(state);
	snprintf(dir, sizeof dir, "/tmp/dd_feed_XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dbfile, sizeof dbfile, "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	DD_UNUSED(state);
	return nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* A valid ID: region 230304, the birth date given, sequence `seq`. */
static const char *vid(const char *yyyymmdd, int seq)
{
	static char bufs[8][19];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, 19, "230304%s%03d", yyyymmdd, seq);
	b[17] = dd_id_check_digit(b);
	b[18] = '\0';
	return b;
}

/* The same ID with its check digit changed. */
static const char *bad_check(const char *id)
{
	static char b[19];
	memcpy(b, id, 19);
	b[17] = b[17] == '0' ? '1' : '0';
	return b;
}

static const char *write_file(const char *name, const char *text)
{
	static char paths[4][160];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static dd_store *open_store(void)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	if (dd_store_open(&st, dbfile, true, &err) != DD_OK)
		fail_msg("open: %s", err.msg);
	return st;
}

static dd_rc import(dd_store *st, const char *kind, const char *month, const char *file, bool strict,
		    dd_feed_result *res, dd_err *err)
{
	dd_feed_in in = { .kind = kind, .month = month, .file = file, .strict = strict, .user = "test" };
	return dd_ingest_feed(st, &in, res, err);
}

/* The rows of an SQL query as "a|b;c|d" (NULL as "-"), read on a second connection. */
static char *query(const char *sql)
{
	static char out[4096];
	sqlite3 *db;
	sqlite3_stmt *q;
	size_t n = 0;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(dbfile, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(q) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(q); i++) {
			const char *t = (const char *)sqlite3_column_text(q, i);
			n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : (n ? ";" : ""),
					      t ? t : "-");
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

/* ---- every kind: header (keys or Chinese labels), one row, what the table holds ---- */

static void test_kind_schemas(void **state)
{
	DD_UNUSED(state);
	char a[19];
	memcpy(a, vid("19800101", 1), 19);
	static const struct {
		const char *name, *kind, *header, *cells, *sql, *want;
	} cases[] = {
		{ "medical by Chinese labels, money in fen", "medical",
		  "身份证号,姓名,结算日期,就诊类型,总费用,个人自付", "张三,2025/03/02,住院,100.00,12.34",
		  "SELECT name, year, hosp_self_paid, hosp_visits, outp_self_paid, outp_visits FROM feed_medical_year",
		  "张三|2025|1234|1|0|0" },
		{ "disability type normalised, grade 二级 -> 2", "disability",
		  "id_number,name,disability_type,disability_grade", "李四,肢体残疾,二级",
		  "SELECT name, disability_type, disability_grade FROM feed_disability", "李四|肢体|2" },
		{ "death date YYYYMMDD -> YYYY-MM-DD", "death", "id_number,name,death_date", "王五,20250305",
		  "SELECT death_date FROM feed_death", "2025-03-05" },
		{ "pension monthly amount in fen", "pension", "身份证号,姓名,月领取金额", "赵六,2247.2",
		  "SELECT monthly_amount FROM feed_pension", "224720" },
		{ "unemployment reg_date optional and empty -> NULL", "unemployment", "id_number,name,reg_date",
		  "钱七,", "SELECT name, reg_date FROM feed_unemployment", "钱七|-" },
		{ "license: 经营者身份证号 names the ID column", "license",
		  "经营者身份证号,姓名,统一社会信用代码,登记状态", "孙八,92230304MA1234567X,存续",
		  "SELECT license_no, status FROM feed_license", "92230304MA1234567X|存续" },
		{ "orphan kind", "orphan", "id_number,name,kind", "周九,事实无人抚养儿童",
		  "SELECT kind FROM feed_orphan", "事实无人抚养儿童" },
		{ "subsidy item and amount", "subsidy", "身份证号,姓名,补贴项目,金额", "吴十,重度残疾人护理补贴,100",
		  "SELECT subsidy, amount FROM feed_subsidy", "重度残疾人护理补贴|10000" },
		{ "incident: counts and loss", "incident",
		  "id_number,name,event_date,kind,deaths,serious_injuries,loss", "郑一,2025-03-04,火灾,1,2,20000.01",
		  "SELECT event_date, kind, deaths, serious_injuries, loss FROM feed_incident",
		  "2025-03-04|火灾|1|2|2000001" },
		{ "disaster: free kind, loss", "disaster", "身份证号,姓名,发生日期,灾害类型,损失金额",
		  "冯二,2025-03-09,雪灾,5000.00", "SELECT event_date, kind, loss FROM feed_disaster",
		  "2025-03-09|雪灾|500000" },
		{ "fp subtype and status", "fp", "id_number,name,fp_subtype,status", "陈三,边缘易致贫户,风险消除",
		  "SELECT fp_subtype, status FROM feed_fp", "边缘易致贫户|风险消除" },
		{ "kin: 亲属身份证号 names the ID column, filed 否 -> 0", "kin",
		  "亲属身份证号,姓名,干部姓名,干部身份证号,职务,关系,是否已备案",
		  "褚四,卫五,230304198001010011,村委会主任,配偶,否",
		  "SELECT cadre_name, cadre_id, post, relation, filed FROM feed_kin",
		  "卫五|230304198001010011|村委会主任|配偶|0" },
	};
	assert_int_equal(DD_ARRAY_LEN(cases), dd_feed_nkinds);
	dd_store *st = open_store();
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char text[512];
		dd_feed_result res;
		dd_err err = { 0 };
		snprintf(text, sizeof text, "%s\n%s,%s\n", cases[i].header, a, cases[i].cells);
		dd_rc rc = import(st, cases[i].kind, "2025-03", write_file("f.csv", text), false, &res, &err);
		if (rc != DD_OK)
			print_error("case \"%s\": %s\n", cases[i].name, err.msg);
		CASE_CHECK(rc == DD_OK, cases[i].name);
		CASE_CHECK(res.rows == 1 && res.rejected == 0 && res.stored == 1, cases[i].name);
		CASE_STR_EQ(query(cases[i].sql), cases[i].want, cases[i].name);
		char key[64];
		snprintf(key, sizeof key, "%llu", (unsigned long long)dd_id_key(a));
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT id_key FROM feed_%s%s", cases[i].kind,
			 strcmp(cases[i].kind, "medical") ? "" : "_year");
		CASE_STR_EQ(query(sql), key, cases[i].name);
	}
	CASE_STR_EQ(query("SELECT COUNT(*), COUNT(DISTINCT kind) FROM feed_batches WHERE replaced_by IS NULL"),
		    "12|12", "one active batch per kind");
	dd_store_close(st);
}

/* ---- medical: sums per person and calendar year of settle_date ---- */

static void test_medical_aggregation(void **state)
{
	DD_UNUSED(state);
	char a[19], b[19], text[2048];
	memcpy(a, vid("19700101", 11), 19);
	memcpy(b, vid("19900202", 22), 19);
	snprintf(text, sizeof text,
		 "id_number,name,settle_date,visit_type,total_cost,self_paid\n"
		 "%s,甲,2025-01-05,住院,500,100.10\n"
		 "%s,甲二,2025-01-20,住院,1,0.05\n"       /* name: the first one seen stays */
		 "%s,甲,2025-01-21,门诊,9,3.00\n"
		 "%s,甲,2024-12-31,住院,9,7.77\n"          /* a 2024 settlement in a 2025 batch counts for 2024 */
		 "%s,乙,2026-01-01,门诊,9,1.01\n"          /* the year after the batch: accepted */
		 "%s,乙,2011-06-30,住院,9,2.00\n"          /* 14 years before: accepted */
		 "%s,乙,2010-12-31,住院,9,2.00\n"          /* 15 years before: rejected */
		 "%s,乙,2027-01-01,住院,9,2.00\n"          /* two years after: rejected */
		 "%s,乙,2025-01-02,住院,9,99999999.99\n",
		 a, a, a, a, b, b, b, b, b);
	dd_store *st = open_store();
	dd_feed_result res;
	dd_err err = { 0 };
	assert_int_equal(import(st, "medical", "2025-01", write_file("m.csv", text), false, &res, &err), DD_OK);
	assert_int_equal(res.rows, 7);
	assert_int_equal(res.rejected, 2);
	assert_int_equal(res.stored, 5);
	char want[512];
	snprintf(want, sizeof want,
		 "%llu|甲|2024|777|1|0|0;%llu|甲|2025|10015|2|300|1;"
		 "%llu|乙|2011|200|1|0|0;%llu|乙|2025|9999999999|1|0|0;%llu|乙|2026|0|0|101|1",
		 (unsigned long long)dd_id_key(a), (unsigned long long)dd_id_key(a),
		 (unsigned long long)dd_id_key(b), (unsigned long long)dd_id_key(b),
		 (unsigned long long)dd_id_key(b));
	assert_string_equal(query("SELECT id_key, name, year, hosp_self_paid, hosp_visits, outp_self_paid,"
				  " outp_visits FROM feed_medical_year ORDER BY id_key, year"), want);
	assert_string_equal(query("SELECT rows, rejected FROM feed_batches"), "7|2");
	dd_store_close(st);
}

/*
 * 20 003 settlements of three persons add up in one map.  Row i belongs to
 * person i % 3, hospital when i is even; one row in the middle has a bad
 * date and is rejected.
 */
static void test_medical_many_batches(void **state)
{
	DD_UNUSED(state);
	enum { N = 20003, BAD = 10000 };
	char id[3][19];
	dd_buf text;
	long long hosp[3] = { 0 }, outp[3] = { 0 }, hv[3] = { 0 }, ov[3] = { 0 };

	for (int p = 0; p < 3; p++)
		memcpy(id[p], vid("19800101", 100 + p), 19);
	dd_buf_init(&text, 0);
	dd_buf_puts(&text, "id_number,name,settle_date,visit_type,total_cost,self_paid\n");
	for (int i = 0; i < N; i++) {
		int p = i % 3;
		if (i == BAD) {
			dd_buf_printf(&text, "%s,人%d,2025-02-30,住院,1,1.00\n", id[p], p);
			continue;
		}
		dd_buf_printf(&text, "%s,人%d,2025-03-01,%s,1,%d.%02d\n", id[p], p, i % 2 ? "门诊" : "住院",
			      i % 50, i % 100);
		long long fen = (i % 50) * 100 + i % 100;
		if (i % 2) {
			outp[p] += fen;
			ov[p]++;
		} else {
			hosp[p] += fen;
			hv[p]++;
		}
	}
	dd_store *st = open_store();
	dd_feed_result res;
	dd_err err = { 0 };
	assert_int_equal(import(st, "medical", "2025-03", write_file("many.csv", text.data), false, &res, &err),
			 DD_OK);
	dd_buf_release(&text);
	assert_int_equal(res.rows, N - 1);
	assert_int_equal(res.rejected, 1);
	assert_int_equal(res.stored, 3);
	char want[512] = "", *w = want;
	uint64_t key[3];
	int order[3] = { 0, 1, 2 };
	for (int p = 0; p < 3; p++)
		key[p] = dd_id_key(id[p]);
	for (int i = 0; i < 3; i++)   /* rows come back in ID key order */
		for (int j = i + 1; j < 3; j++)
			if (key[order[j]] < key[order[i]]) {
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
	for (int i = 0; i < 3; i++) {
		int p = order[i];
		w += sprintf(w, "%s人%d|%lld|%lld|%lld|%lld", i ? ";" : "", p, hosp[p], hv[p], outp[p], ov[p]);
	}
	assert_string_equal(query("SELECT name, hosp_self_paid, hosp_visits, outp_self_paid, outp_visits"
				  " FROM feed_medical_year ORDER BY id_key"), want);
	dd_store_close(st);
}

/* ---- re-import replaces the batch and keeps the old one ---- */

static void test_replace_keeps_old_batch(void **state)
{
	DD_UNUSED(state);
	char text[512];
	const char *id = vid("19600101", 5);
	dd_store *st = open_store();
	dd_feed_result res;
	dd_err err = { 0 };
	int64_t active = 0;

	assert_int_equal(dd_store_feed_batch(st, "death", "2025-03", &active, &err), DD_ERR_NOTFOUND);
	snprintf(text, sizeof text, "id_number,name,death_date\n%s,甲,2025-03-01\n", id);
	assert_int_equal(import(st, "death", "2025-03", write_file("d1.csv", text), false, &res, &err), DD_OK);
	assert_int_equal(res.replaced, 0);
	int64_t first = res.batch_id;
	snprintf(text, sizeof text, "id_number,name,death_date\n%s,甲,2025-03-02\n%s,乙,2025-03-03\n", id,
		 vid("19600101", 6));
	assert_int_equal(import(st, "death", "2025-03", write_file("d2.csv", text), false, &res, &err), DD_OK);
	assert_int_equal(res.replaced, first);
	assert_int_equal(res.rows, 2);
	assert_int_equal(dd_store_feed_batch(st, "death", "2025-03", &active, &err), DD_OK);
	assert_int_equal(active, res.batch_id);
	/* another month of the same kind is a batch of its own, not a replacement */
	assert_int_equal(import(st, "death", "2025-04", write_file("d3.csv", text), false, &res, &err), DD_OK);
	assert_int_equal(res.replaced, 0);
	assert_string_equal(query("SELECT id, month, rows, COALESCE(replaced_by, 0) FROM feed_batches ORDER BY id"),
			    "1|2025-03|1|2;2|2025-03|2|0;3|2025-04|2|0");
	assert_string_equal(query("SELECT batch_id, COUNT(*) FROM feed_death GROUP BY batch_id"), "1|1;2|2;3|2");
	dd_store_close(st);

	/* nothing is ever deleted: the database refuses */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(dbfile, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM feed_death", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM feed_batches WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM feed_death WHERE batch_id = 3", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* ---- invalid IDs are rejected (feeds keep no bad check digit); --strict writes nothing ---- */

static void test_invalid_ids_and_strict(void **state)
{
	DD_UNUSED(state);
	char text[1024], good[19];
	memcpy(good, vid("19750505", 7), 19);
	snprintf(text, sizeof text,
		 "id_number,name,monthly_amount\n"
		 "%s,好,100\n"
		 "%s,校验位错,100\n"
		 "23030419750505,短,100\n"
		 ",空,100\n"
		 "230304750505071,十五位,100\n"     /* a valid 15-digit ID becomes 18 digits */
		 "%s,金额错,1.001\n",
		 good, bad_check(good), good);
	const char *f = write_file("p.csv", text);
	dd_store *st = open_store();
	dd_feed_result res;
	dd_err err = { 0 };

	assert_int_equal(import(st, "pension", "2025-03", f, true, &res, &err), DD_ERR_INPUT);
	assert_string_equal(query("SELECT COUNT(*) FROM feed_batches"), "0");
	assert_string_equal(query("SELECT COUNT(*) FROM feed_pension"), "0");
	assert_string_equal(query("SELECT COUNT(*) FROM imports"), "0");
	assert_true(res.errfile[0] != '\0');

	assert_int_equal(import(st, "pension", "2025-03", f, false, &res, &err), DD_OK);
	assert_int_equal(res.rows, 2);
	assert_int_equal(res.rejected, 4);
	assert_string_equal(query("SELECT name, monthly_amount FROM feed_pension ORDER BY name"), "十五位|10000;好|10000");

	dd_buf b = { 0 };
	char path[200];
	snprintf(path, sizeof path, "%s.errors.csv", f);
	assert_int_equal(dd_file_read(path, 1 << 20, &b, NULL), DD_OK);
	assert_int_equal(dd_buf_putc(&b, '\0'), DD_OK);
	const char *errs = b.data;
	assert_non_null(strstr(errs, "\n3,id_number,"));
	assert_non_null(strstr(errs, "校验"));
	assert_non_null(strstr(errs, "\n4,id_number,"));
	assert_non_null(strstr(errs, "\n5,id_number,"));
	assert_non_null(strstr(errs, "\n7,monthly_amount,"));
	dd_buf_release(&b);

	/* --strict with a clean file imports */
	snprintf(text, sizeof text, "id_number,name,monthly_amount\n%s,好,100\n", good);
	assert_int_equal(import(st, "pension", "2025-04", write_file("p2.csv", text), true, &res, &err), DD_OK);
	assert_int_equal(res.rows, 1);
	dd_store_close(st);
}

/*
 * Migrations feed-3-no-id-index and feed-5-medical-segments: each feed table
 * keeps only its (batch_id, id_key) B-tree, medical segments theirs by
 * (batch_id, last_key); a scan of the year's hospital sums in SQL (W01/W02's
 * shape) reaches the virtual table feed_medical_year through each active
 * batch (idxNum 1: batch_id =), the year and hospital conditions applied
 * while decoding (idxStr "3=", "4>").
 */
static void test_feed_indexes(void **state)
{
	DD_UNUSED(state);
	const char *plan;
	dd_store_close(open_store());
	/* the streamed kinds are clustered by their key (feed-6): no index of their own */
	assert_string_equal(query("SELECT COUNT(*), SUM(name = 'feed_medical_seg_key')"
				  " FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'feed\\_%' ESCAPE '\\'"
				  " AND tbl_name <> 'feed_batches' AND sql IS NOT NULL"),
			    "1|1");
	assert_string_equal(query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
				  " AND name LIKE 'feed\\_%' ESCAPE '\\' AND name NOT IN ('feed_batches', 'feed_medical_seg')"
				  " AND sql LIKE '%PRIMARY KEY (batch_id, id_key, seq)) WITHOUT ROWID'"),
			    "11");
	plan = query("EXPLAIN QUERY PLAN SELECT f.id_key, f.monthly_amount FROM feed_pension f"
		     " WHERE f.batch_id = 3 ORDER BY f.id_key");
	assert_non_null(strstr(plan, "SEARCH f USING PRIMARY KEY (batch_id=?)"));
	assert_null(strstr(plan, "TEMP B-TREE"));   /* key order: no sort */
	plan = query("EXPLAIN QUERY PLAN SELECT f.id_key, f.name, f.hosp_self_paid"
				 " FROM feed_medical_year f JOIN feed_batches b ON b.id = f.batch_id"
				 " AND b.kind = 'medical' AND b.replaced_by IS NULL AND b.month <= '2025-12'"
				 " WHERE f.year = 2025 AND f.hosp_self_paid > 0");
	assert_non_null(strstr(plan, "SEARCH b USING INDEX feed_batches_active (kind=? AND month<?);"));
	assert_non_null(strstr(plan, "SCAN f VIRTUAL TABLE INDEX 1:"));
	assert_non_null(strstr(plan, "3="));
	assert_non_null(strstr(plan, "4>"));
}

/*
 * ---- a streamed kind longer than the hand-over chunks (32 768 rows): every row
 * arrives once, one ID's rows in file order; --strict with a bad row past the
 * first chunk writes nothing ----
 */

static void test_streamed_many_chunks(void **state)
{
	DD_UNUSED(state);
	enum { N = 100003, BAD = 40000 };
	char birth[16];
	long long sum = 0;
	dd_buf text;
	dd_store *st = open_store();
	dd_feed_result res;
	dd_err err = { 0 };

	for (int strict = 1; strict >= 0; strict--) {
		dd_buf_init(&text, 0);
		dd_buf_puts(&text, "id_number,name,monthly_amount\n");
		sum = 0;
		for (int i = 0; i < N; i++) {
			snprintf(birth, sizeof birth, "%04d0101", 1900 + i / 1000);
			if (strict && i == BAD) {
				dd_buf_printf(&text, "%s,错,1.001\n", vid(birth, i % 1000));
				continue;
			}
			dd_buf_printf(&text, "%s,人,%d\n", vid(birth, i % 1000), i % 1000);
			sum += i % 1000 * 100;
		}
		/* the first ID again, last in the file */
		dd_buf_printf(&text, "%s,人,777\n", vid("19000101", 0));
		sum += 77700;
		dd_rc rc = import(st, "pension", "2025-03", write_file("big.csv", text.data), strict, &res, &err);
		dd_buf_release(&text);
		if (strict) {
			assert_int_equal(rc, DD_ERR_INPUT);
			assert_int_equal(res.rejected, 1);
			assert_string_equal(query("SELECT COUNT(*) FROM feed_pension"), "0");
			assert_string_equal(query("SELECT COUNT(*) FROM feed_batches"), "0");
			continue;
		}
		assert_int_equal(rc, DD_OK);
		assert_int_equal(res.rows, N + 1);
		assert_int_equal(res.stored, N + 1);
	}
	char want[64];
	snprintf(want, sizeof want, "%d|%lld", N + 1, sum);
	assert_string_equal(query("SELECT COUNT(*), SUM(monthly_amount) FROM feed_pension"), want);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT monthly_amount FROM feed_pension WHERE id_key = %llu ORDER BY seq",
		 (unsigned long long)dd_id_key(vid("19000101", 0)));
	assert_string_equal(query(sql), "0;77700");
	dd_store_close(st);
}

/* ---- file-level problems fail with nothing written ---- */

static void test_file_level_errors(void **state)
{
	DD_UNUSED(state);
	static const struct {
		const char *name, *kind, *month, *text;
		dd_rc want;
	} cases[] = {
		{ "unknown column", "death", "2025-03", "id_number,name,death_date,color\n", DD_ERR_INPUT },
		{ "missing required column", "death", "2025-03", "id_number,name\n", DD_ERR_INPUT },
		{ "missing ID column", "disability", "2025-03", "name,disability_type,disability_grade\n",
		  DD_ERR_INPUT },
		{ "unknown kind", "weather", "2025-03", "id_number\n", DD_ERR_USAGE },
		{ "month 2025-13", "death", "2025-13", "id_number,death_date\n", DD_ERR_USAGE },
		{ "month 2025-3", "death", "2025-3", "id_number,death_date\n", DD_ERR_USAGE },
	};
	dd_store *st = open_store();
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_feed_result res;
		dd_err err = { 0 };
		dd_rc rc = import(st, cases[i].kind, cases[i].month, write_file("x.csv", cases[i].text), false,
				  &res, &err);
		CASE_CHECK(rc == cases[i].want, cases[i].name);
		CASE_STR_EQ(query("SELECT COUNT(*) FROM feed_batches"), "0", cases[i].name);
	}
	dd_store_close(st);
}

/* ---- several files in one call: one transaction, parsing and writing overlapped ---- */

/* "id_number,name,monthly_amount" with n rows of distinct IDs (amount 1 yuan each), bad: row i is "1.001". */
static const char *pension_file(const char *name, int n, int bad)
{
	dd_buf text;
	char birth[16];
	static char path[160];

	dd_buf_init(&text, 0);
	dd_buf_puts(&text, "id_number,name,monthly_amount\n");
	for (int i = 0; i < n; i++) {
		snprintf(birth, sizeof birth, "%04d0101", 1900 + i / 1000);
		dd_buf_printf(&text, "%s,人,%s\n", vid(birth, i % 1000), i == bad ? "1.001" : "1");
	}
	strcpy(path, write_file(name, text.data));
	dd_buf_release(&text);
	return path;
}

static void test_several_files(void **state)
{
	DD_UNUSED(state);
	enum { NP = 40000 };   /* more than one chunk of rows: the ring of two wraps across files */
	char med[3][160], a[19], text[512], pen[160], pen_bad[160];
	dd_store *st = open_store();
	dd_feed_result res[4];
	dd_err err = { 0 };

	memcpy(a, vid("19700101", 11), 19);
	for (int m = 0; m < 3; m++) {
		snprintf(text, sizeof text,
			 "id_number,name,settle_date,visit_type,total_cost,self_paid\n"
			 "%s,甲,2025-0%d-05,住院,1,%d.00\n%s,甲,2025-0%d-06,门诊,1,0.50\n", a, m + 1, m + 1, a, m + 1);
		char name[24];
		snprintf(name, sizeof name, "m%d.csv", m);
		snprintf(med[m], sizeof med[m], "%s", write_file(name, text));
	}
	strcpy(pen, pension_file("p.csv", NP, -1));
	strcpy(pen_bad, pension_file("pbad.csv", 10, 7));

	/* two medical months and a pension snapshot: three batches, each with its own result */
	dd_feed_in in[4] = {
		{ .kind = "medical", .month = "2025-01", .file = med[0], .user = "test" },
		{ .kind = "medical", .month = "2025-02", .file = med[1], .user = "test" },
		{ .kind = "pension", .month = "2025-02", .file = pen, .user = "test" },
	};
	assert_int_equal(dd_ingest_feeds(st, in, 3, res, &err), DD_OK);
	assert_int_equal(res[0].rows, 2);
	assert_int_equal(res[0].stored, 1);
	assert_int_equal(res[1].rows, 2);
	assert_int_equal(res[2].rows, NP);
	assert_int_equal(res[2].stored, NP);
	assert_true(res[0].batch_id > 0 && res[1].batch_id > res[0].batch_id && res[2].batch_id > res[1].batch_id);
	assert_string_equal(query("SELECT b.kind, b.month, b.rows, COUNT(*), SUM(f.hosp_self_paid),"
				  " SUM(f.outp_visits) FROM feed_batches b JOIN feed_medical_year f ON f.batch_id = b.id"
				  " WHERE b.replaced_by IS NULL GROUP BY b.id ORDER BY b.id"),
			    "medical|2025-01|2|1|100|1;medical|2025-02|2|1|200|1");
	char want[64];
	snprintf(want, sizeof want, "%d|%d", NP, NP * 100);
	assert_string_equal(query("SELECT COUNT(*), SUM(monthly_amount) FROM feed_pension"), want);
	assert_string_equal(query("SELECT COUNT(*) FROM imports"), "3");

	/* the same kind and month twice: the second batch replaces the first, in the same call */
	in[0] = (dd_feed_in){ .kind = "medical", .month = "2025-03", .file = med[2], .user = "test" };
	in[1] = (dd_feed_in){ .kind = "medical", .month = "2025-03", .file = med[0], .user = "test" };
	assert_int_equal(dd_ingest_feeds(st, in, 2, res, &err), DD_OK);
	assert_int_equal(res[0].replaced, 0);
	assert_int_equal(res[1].replaced, res[0].batch_id);
	assert_string_equal(query("SELECT SUM(f.hosp_self_paid) FROM feed_batches b JOIN feed_medical_year f"
				  " ON f.batch_id = b.id WHERE b.month = '2025-03' AND b.replaced_by IS NULL"),
			    "100");

	/* a later file's problem writes nothing of the earlier ones */
	static const struct {
		const char *name;
		bool strict;
		bool header_bad;
		dd_rc want;
	} fails[] = {
		{ "a file-level error in the last file", false, true, DD_ERR_INPUT },
		{ "--strict and a bad row in the last file", true, false, DD_ERR_INPUT },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(fails); i++) {
		in[0] = (dd_feed_in){ .kind = "pension", .month = "2025-04", .file = pen, .user = "test",
				      .strict = fails[i].strict };
		in[1] = (dd_feed_in){ .kind = "medical", .month = "2025-04", .file = med[0], .user = "test",
				      .strict = fails[i].strict };
		in[2] = (dd_feed_in){ .kind = fails[i].header_bad ? "death" : "pension", .month = "2025-05",
				      .file = pen_bad, .user = "test", .strict = fails[i].strict };
		CASE_CHECK(dd_ingest_feeds(st, in, 3, res, &err) == fails[i].want, fails[i].name);
		CASE_STR_EQ(query("SELECT COUNT(*) FROM feed_batches"), "5", fails[i].name);
		CASE_STR_EQ(query("SELECT COUNT(*) FROM imports"), "5", fails[i].name);
		CASE_CHECK(res[0].batch_id == 0 && res[2].batch_id == 0, fails[i].name);
	}
	assert_true(res[2].errfile[0] != '\0');
	assert_int_equal(res[2].rejected, 1);

	/*
	 * A file malformed midway, read by the second parser while the first
	 * parser's files are written: nothing is written, and the message names
	 * the file (with several files, which one matters).
	 */
	snprintf(text, sizeof text, "id_number,name,settle_date,visit_type,total_cost,self_paid\n"
		 "%s,甲,2025-06-05,住院,1,1.00\n\"%s,甲,2025-06-06,门诊,1,0.50\n", a, a);
	const char *broken = write_file("broken.csv", text);
	in[0] = (dd_feed_in){ .kind = "pension", .month = "2025-06", .file = pen, .user = "test" };
	in[1] = (dd_feed_in){ .kind = "medical", .month = "2025-06", .file = broken, .user = "test" };
	in[2] = (dd_feed_in){ .kind = "medical", .month = "2025-07", .file = med[0], .user = "test" };
	assert_int_equal(dd_ingest_feeds(st, in, 3, res, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "broken.csv："));
	assert_string_equal(query("SELECT COUNT(*) FROM feed_batches"), "5");
	assert_true(res[0].batch_id == 0 && res[1].batch_id == 0 && res[2].batch_id == 0);
	dd_store_close(st);
}

/*
 * Migration feed-6-streamed-clustered on a database of the tables as shipped
 * (rowid tables with a (batch_id, id_key) index): every row kept with its
 * values, one person's rows of a batch still in the order written, the views
 * reading the rebuilt tables, the no-delete trigger back.
 */
static void test_clustered_migration(void **state)
{
	DD_UNUSED(state);
	/* the eleven streamed tables as feed-1 created them */
	static const struct {
		const char *t, *defs;
	} old[] = {
		{ "feed_disability", "disability_type TEXT, disability_grade INTEGER" },
		{ "feed_death", "death_date TEXT" }, { "feed_pension", "monthly_amount BIGINT" },
		{ "feed_unemployment", "reg_date TEXT" }, { "feed_license", "license_no TEXT, status TEXT" },
		{ "feed_orphan", "kind TEXT" }, { "feed_subsidy", "subsidy TEXT, amount BIGINT" },
		{ "feed_incident", "event_date TEXT, kind TEXT, deaths INTEGER, serious_injuries INTEGER, loss BIGINT" },
		{ "feed_disaster", "event_date TEXT, kind TEXT, loss BIGINT" },
		{ "feed_fp", "fp_subtype TEXT, status TEXT" },
		{ "feed_kin", "cadre_name TEXT, cadre_id TEXT, post TEXT, relation TEXT, filed INTEGER" },
	};
	char sql[4096];
	size_t n = 0;
	sqlite3 *db;
	char *msg = NULL;

	dd_store_close(open_store());
	n += (size_t)snprintf(sql + n, sizeof sql - n, "PRAGMA foreign_keys = OFF; BEGIN;"
			      " DELETE FROM schema_migrations WHERE name = 'feed-6-streamed-clustered';");
	for (size_t i = 0; i < DD_ARRAY_LEN(old); i++)
		n += (size_t)snprintf(sql + n, sizeof sql - n,
				      "DROP TABLE %s; CREATE TABLE %s (batch_id INTEGER NOT NULL REFERENCES"
				      " feed_batches(id), id_key BIGINT NOT NULL, name TEXT, %s);"
				      " CREATE INDEX %s_batch ON %s(batch_id, id_key);",
				      old[i].t, old[i].t, old[i].defs, old[i].t, old[i].t);
	/* person 7 twice in batch 1, written 300 then 100: that order must survive */
	snprintf(sql + n, sizeof sql - n,
		 "INSERT INTO feed_batches (id, kind, month, rows, rejected, created_at) VALUES"
		 " (1, 'pension', '2025-11', 3, 0, 'x'), (2, 'pension', '2025-12', 1, 0, 'x'),"
		 " (3, 'kin', '2025-12', 1, 0, 'x');"
		 "INSERT INTO feed_pension (batch_id, id_key, name, monthly_amount) VALUES"
		 " (1, 9, '乙', 50), (1, 7, '甲', 300), (2, 7, '甲', 200), (1, 7, '甲', 100);"
		 "INSERT INTO feed_kin (batch_id, id_key, name, cadre_name, cadre_id, post, relation, filed)"
		 " VALUES (3, 5, '丙', '丁', NULL, '村主任', '配偶', 0);"
		 "COMMIT;");
	assert_int_equal(sqlite3_open(dbfile, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(db);

	dd_store_close(open_store());   /* runs the migration */
	assert_string_equal(query("SELECT batch_id, id_key, name, monthly_amount FROM feed_pension"
				  " ORDER BY batch_id, id_key, seq"),
			    "1|7|甲|300;1|7|甲|100;1|9|乙|50;2|7|甲|200");
	assert_string_equal(query("SELECT cadre_name, cadre_id, post, relation, filed FROM feed_kin"),
			    "丁|-|村主任|配偶|0");
	assert_string_equal(query("SELECT month, name, monthly_amount FROM v_feed_pension ORDER BY month, id_key"),
			    "2025-11|甲|300;2025-11|甲|100;2025-11|乙|50;2025-12|甲|200");
	assert_string_equal(query("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'feed\\_%\\_c' ESCAPE '\\'"
				  " OR (type = 'index' AND name LIKE 'feed\\_%\\_batch' ESCAPE '\\')"), "0");
	assert_string_equal(query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
				  " AND name LIKE 'feed\\_%\\_no\\_delete' ESCAPE '\\'"), "13");
	assert_int_equal(sqlite3_open(dbfile, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM feed_pension", NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "比对数据不能删除"));
	sqlite3_free(msg);
	sqlite3_close(db);
}

/*
 * Five medical months of the same 300 persons in one call: the ring of two
 * slots reuses each sums map (months 1, 3, 5 and 2, 4), so every month's sums
 * must start from zero: each person-year holds exactly that month's 1.00.
 */
static void test_several_medical_months(void **state)
{
	DD_UNUSED(state);
	enum { NM = 5, NPERS = 300 };
	char path[NM][160], name[24], birth[16];
	dd_feed_in in[NM];
	dd_feed_result res[NM];
	dd_err err = { 0 };
	dd_buf text;

	for (int m = 0; m < NM; m++) {
		dd_buf_init(&text, 0);
		dd_buf_puts(&text, "id_number,name,settle_date,visit_type,total_cost,self_paid\n");
		for (int p = 0; p < NPERS; p++) {
			snprintf(birth, sizeof birth, "%04d0101", 1930 + p / 100);
			dd_buf_printf(&text, "%s,人,2025-0%d-10,%s,1,1.00\n", vid(birth, p % 100), m + 1,
				      p % 2 ? "门诊" : "住院");
		}
		snprintf(name, sizeof name, "med%d.csv", m);
		strcpy(path[m], write_file(name, text.data));
		dd_buf_release(&text);
		snprintf(name, sizeof name, "2025-0%d", m + 1);
		in[m] = (dd_feed_in){ .kind = "medical", .month = strdup(name), .file = path[m], .user = "test" };
	}
	dd_store *st = open_store();
	assert_int_equal(dd_ingest_feeds(st, in, NM, res, &err), DD_OK);
	for (int m = 0; m < NM; m++) {
		CASE_CHECK(res[m].rows == NPERS && res[m].stored == NPERS, in[m].month);
		free((char *)in[m].month);
	}
	assert_string_equal(query("SELECT COUNT(*), SUM(hosp_self_paid), SUM(hosp_visits), SUM(outp_self_paid),"
				  " SUM(outp_visits), COUNT(DISTINCT batch_id) FROM feed_medical_year"),
			    "1500|75000|750|75000|750|5");
	assert_string_equal(query("SELECT COUNT(*) FROM feed_medical_year"
				  " WHERE hosp_self_paid + outp_self_paid <> 100 OR hosp_visits + outp_visits <> 1"),
			    "0");
	dd_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kind_schemas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_medical_aggregation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_medical_many_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_keeps_old_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_ids_and_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_streamed_many_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_level_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_several_medical_months, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clustered_migration, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
