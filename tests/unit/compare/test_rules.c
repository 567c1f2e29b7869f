/*
 * test_rules.c - the comparison rules W01–W18 at their boundaries, no repeat
 * noise, and county SQL rules (DOMAIN.md §4, docs/internals/compare.md).
 *
 * Each case builds a fresh database from SQL (households, members, feed
 * batches and rows written directly, as the feed import would; medical
 * batches, which are stored packed, through the store as the import writes
 * them), runs the comparison of one month and counts that rule's new
 * warnings.  ID numbers are written as their first 17 digits: idn() adds
 * the check digit, idk() gives the packed key.
 */
#include "unit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "compare/compare.h"
#include "core/id.h"
#include "core/policy.h"
#include "store/store.h"

/* ---- fixtures ---- */

#define HH(id, bits) HH_(id, bits)
#define HH_(id, bits) \
	"INSERT INTO households (id, household_no, region_code, category_bits, wage_income," \
	" business_income, property_income, transfer_income, insurance_payout, business_expense," \
	" medical_self_paid, education_expense, rehab_expense, fin_assets, vehicle_value, row_hash," \
	" created_at, updated_at, recognized_on) VALUES (" #id ", 'H" #id "', '230304200203', " #bits \
	", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'x', 'x', '2025-09-10');"
#define MB(hid, id17) \
	"INSERT INTO members (household_id, name, id_number, id_key, id_valid, joined_on, row_hash," \
	" labor, disability_grade) VALUES (" #hid ", '张三', idn('" id17 "')," \
	" idk('" id17 "'), 1, '2020-01-01', 0, '弱劳动力或半劳动力', 0);"
#define BATCH(id, kind, month) \
	"INSERT INTO feed_batches (id, kind, month, created_at) VALUES (" #id ", '" kind "', '" month "', 'x');"
/* seq: the rows written so far, so each row's key is its own (feed-6) */
#define FEED(table, cols, vals) "INSERT INTO " table " (seq, batch_id, id_key, name, " cols ")" \
	" VALUES ((SELECT COUNT(*) FROM " table "), " vals ");"
/* A medical batch and its person-years (name 张三, one hospital visit), noted by the fixture and
 * written by medical_write(): batches in order, so the store gives them these ids. */
#define MBATCH(id, month) "SELECT med_batch(" #id ", '" month "');"
#define MED(b, id17, year, fen) "SELECT med(" #b ", idk('" id17 "'), " #year ", " #fen ");"
#define DIS(b, id17, type, grade) FEED("feed_disability", "disability_type, disability_grade", \
	#b ", idk('" id17 "'), '张三', '" type "', " #grade)
#define DEATH(b, id17, date) FEED("feed_death", "death_date", #b ", idk('" id17 "'), '张三', '" date "'")
#define INCIDENT(b, id17, deaths, inj, loss) FEED("feed_incident", "event_date, kind, deaths," \
	" serious_injuries, loss", #b ", idk('" id17 "'), '张三', '2025-12-03', '火灾', " #deaths ", " #inj ", " #loss)
#define UNEMP(b, id17) FEED("feed_unemployment", "reg_date", #b ", idk('" id17 "'), '张三', '2025-12-02'")
#define SET_M(col, val, id17) "UPDATE members SET " col " = " val " WHERE id_number = idn('" id17 "');"
#define SET_H(col, val, hid) "UPDATE households SET " col " = " val " WHERE id = " #hid ";"

/* Registry people by birth date (IDs of county 230304). */
#define A "23030419800101001"   /* 45 in Dec 2025 */
#define B "23030419800202002"
#define C "23030419450303003"   /* 80 */
#define AGE16 "23030420091201004"   /* 16 on 2025-12-01 exactly */
#define AGE15 "23030420091202005"   /* 16 only on 2025-12-02 */
#define AGE59 "23030419651202006"   /* 60 only on 2025-12-02 */
#define AGE60 "23030419651201007"   /* 60 on 2025-12-01 exactly */
#define OUT "23030419700505008"     /* nobody of the registry */

/* category_bits */
#define TK 1
#define DB 2
#define BY 4
#define GZ 8
#define QT 16

static void fn_idn(sqlite3_context *c, int n, sqlite3_value **v)
{
	char id[19];
	(void)n;
	snprintf(id, sizeof id, "%.17s%c", (const char *)sqlite3_value_text(v[0]),
		 dd_id_check_digit((const char *)sqlite3_value_text(v[0])));
	sqlite3_result_text(c, id, -1, SQLITE_TRANSIENT);
}

static void fn_idk(sqlite3_context *c, int n, sqlite3_value **v)
{
	char id[19];
	(void)n;
	snprintf(id, sizeof id, "%.17s%c", (const char *)sqlite3_value_text(v[0]),
		 dd_id_check_digit((const char *)sqlite3_value_text(v[0])));
	sqlite3_result_int64(c, (sqlite3_int64)dd_id_key(id));
}

/* The medical batches and person-years a fixture noted (MBATCH, MED). */
static struct {
	int64_t id;
	char month[8];
} mbatch[4];
static struct {
	int64_t batch, fen;
	uint64_t key;
	int year;
} med[16];
static size_t nmbatch, nmed;

static void fn_med_batch(sqlite3_context *c, int n, sqlite3_value **v)
{
	(void)n;
	assert_true(nmbatch < DD_ARRAY_LEN(mbatch));
	mbatch[nmbatch].id = sqlite3_value_int64(v[0]);
	snprintf(mbatch[nmbatch++].month, sizeof mbatch[0].month, "%s", (const char *)sqlite3_value_text(v[1]));
	sqlite3_result_null(c);
}

static void fn_med(sqlite3_context *c, int n, sqlite3_value **v)
{
	(void)n;
	assert_true(nmed < DD_ARRAY_LEN(med));
	med[nmed].batch = sqlite3_value_int64(v[0]);
	med[nmed].key = (uint64_t)sqlite3_value_int64(v[1]);
	med[nmed].year = sqlite3_value_int(v[2]);
	med[nmed++].fen = sqlite3_value_int64(v[3]);
	sqlite3_result_null(c);
}

static char dir[64], path[96];

/* Runs SQL on the database file through a connection of its own (the store's is left alone). */
static void raw(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_create_function(db, "idn", 1, SQLITE_UTF8, NULL, fn_idn, NULL, NULL);
	sqlite3_create_function(db, "idk", 1, SQLITE_UTF8, NULL, fn_idk, NULL, NULL);
	sqlite3_create_function(db, "med_batch", 2, SQLITE_UTF8, NULL, fn_med_batch, NULL, NULL);
	sqlite3_create_function(db, "med", 4, SQLITE_UTF8, NULL, fn_med, NULL, NULL);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("fixture: %s\n%s", msg, sql);
	sqlite3_close(db);
}

/*
 * Runs the SQL (MBATCH, MED) and writes the batches it notes as the feed
 * import does: one transaction each, rows in (id_key, year) order.
 */
static void medical(dd_store *st, const char *sql)
{
	dd_err err = { 0 };
	nmbatch = nmed = 0;
	raw(sql);
	for (size_t b = 0; b < nmbatch; b++) {
		dd_feed_row rows[DD_ARRAY_LEN(med)];
		size_t n = 0;
		int64_t id;
		for (size_t i = 0; i < nmed; i++) {
			if (med[i].batch != mbatch[b].id)
				continue;
			size_t at = n++;
			/* insertion by (id_key, year) */
			while (at && (rows[at - 1].id_key > med[i].key ||
				      (rows[at - 1].id_key == med[i].key && rows[at - 1].v[0].i > med[i].year))) {
				rows[at] = rows[at - 1];
				at--;
			}
			rows[at] = (dd_feed_row){ med[i].key, "张三", { { DD_FV_INT, med[i].year, NULL },
								      { DD_FV_INT, med[i].fen, NULL },
								      { DD_FV_INT, 1, NULL }, { DD_FV_INT, 0, NULL },
								      { DD_FV_INT, 0, NULL } } };
		}
		if (dd_store_begin(st, &err) != DD_OK ||
		    dd_store_feed_begin(st, 0, "medical", mbatch[b].month, &id, &err) != DD_OK ||
		    dd_store_feed_put(st, "medical", id, rows, n, &err) != DD_OK ||
		    dd_store_feed_end(st, id, (int64_t)n, 0, NULL, &err) != DD_OK || dd_store_commit(st, &err) != DD_OK)
			fail_msg("medical batch %lld: %s", (long long)mbatch[b].id, err.msg);
		assert_int_equal(id, mbatch[b].id);
	}
}

/* A fresh database holding the fixture; heads are each household's first member. */
static dd_store *fresh(const char *fixture)
{
	dd_store *st = NULL;
	dd_err err = { 0 };
	snprintf(path, sizeof path, "%s/t.db", dir);
	unlink(path);
	char wal[128];
	snprintf(wal, sizeof wal, "%s-wal", path);
	unlink(wal);
	if (dd_store_open(&st, path, true, &err) != DD_OK)
		fail_msg("open: %s", err.msg);
	medical(st, fixture);
	raw("UPDATE households SET head_id = (SELECT id_number FROM members m"
	    " WHERE m.household_id = households.id ORDER BY m.id LIMIT 1) WHERE head_id IS NULL");
	return st;
}

static dd_policy policy(const char *extra)
{
	dd_policy p;
	dd_err err = { 0 };
	assert_int_equal(dd_policy_default(&p, &err), DD_OK);
	if (extra && dd_policy_parse(&p, extra, "test", &err) != DD_OK)
		fail_msg("policy: %s", err.msg);
	return p;
}

static dd_month M(const char *s)
{
	dd_month m;
	assert_int_equal(dd_month_parse(s, strlen(s), &m), DD_OK);
	return m;
}

/* Runs month `month`; returns the rule's result. */
static dd_rule_counts run(dd_store *st, const dd_policy *p, const char *month, const char *rule)
{
	static dd_compare_report rep;
	dd_err err = { 0 };
	if (dd_compare_run(st, p, "test", M(month), NULL, NULL, &rep, &err) != DD_OK)
		fail_msg("compare %s: %s", month, err.msg);
	for (size_t i = 0; i < rep.nrules; i++)
		if (!strcmp(rep.rules[i].rule, rule))
			return rep.rules[i].n;
	fail_msg("rule %s did not run", rule);
	return rep.rules[0].n;
}

typedef struct seen {
	int n;
	char evidence[256];
	char household_no[32];
	char id_number[20];
} seen;

static dd_rc collect(void *arg, const dd_warning *w, dd_err *err)
{
	seen *s = arg;
	(void)err;
	if (s->n++ == 0) {
		snprintf(s->evidence, sizeof s->evidence, "%s", w->evidence ? w->evidence : "");
		snprintf(s->household_no, sizeof s->household_no, "%s", w->household_no ? w->household_no : "");
		snprintf(s->id_number, sizeof s->id_number, "%s", w->id_number ? w->id_number : "");
	}
	return DD_OK;
}

static seen listed(dd_store *st, const char *month, const char *rule)
{
	seen s = { 0 };
	dd_err err = { 0 };
	dd_warning_filter f = { month, rule, NULL, NULL };
	assert_int_equal(dd_store_warnings_list(st, &f, collect, &s, &err), DD_OK);
	return s;
}

/* ---- one rule at a boundary ---- */

typedef struct rcase {
	const char *name;
	const char *rule;
	const char *fixture;
	int want;                /* new warnings of the rule in 2025-12 */
	const char *evidence;    /* substring of the first one's evidence, or NULL */
	const char *household;   /* its household_no ("" = none), or NULL */
} rcase;

#define ONE(bits, id) HH(1, bits) MB(1, id)

static const rcase cases[] = {
	{ "W01 10000.01 yuan in the year fires", "W01",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, A, 2025, 1000001), 1,
	  "2025年住院自付合计 10000.01 元", "H1" },
	{ "W01 exactly 10000.00 does not", "W01",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, A, 2025, 1000000), 0, NULL, NULL },
	{ "W01 sums the batches up to M by settle year: 6000 + 4000.01", "W01",
	  ONE(DB, A) MBATCH(1, "2025-06") MED(1, A, 2025, 600000)
	  MBATCH(2, "2025-12") MED(2, A, 2025, 400001), 1, "10000.01", NULL },
	{ "W01 three batches, two persons in each: A 3000 + 3000 + 4000.01 fires, B 9000 does not", "W01",
	  ONE(DB, A) MB(1, B) MBATCH(1, "2025-01") MED(1, B, 2025, 300000) MED(1, A, 2025, 300000)
	  MBATCH(2, "2025-06") MED(2, A, 2025, 300000) MED(2, B, 2025, 300000)
	  MBATCH(3, "2025-12") MED(3, B, 2025, 300000) MED(3, A, 2025, 400001),
	  1, "10000.01", "H1" },
	{ "W01 leaves out a batch after M and a 2024 settlement", "W01",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, A, 2025, 900000) MED(1, A, 2024, 900000)
	  MBATCH(2, "2026-01") MED(2, A, 2025, 900000), 0, NULL, NULL },
	{ "W01 leaves out a replaced batch", "W01",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, A, 2025, 2000000) MBATCH(2, "2025-12") MED(2, A, 2025, 100),
	  0, NULL, NULL },
	{ "W02 outsider at 50000.01 fires without a household", "W02",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, OUT, 2025, 5000001), 1, "50000.01", "" },
	{ "W02 outsider at exactly 50000.00 does not", "W02",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, OUT, 2025, 5000000), 0, NULL, NULL },
	{ "W02 registry person at 60000 is W01's, not W02's", "W02",
	  ONE(DB, A) MBATCH(1, "2025-12") MED(1, A, 2025, 6000000), 0, NULL, NULL },
	{ "W03 grade 3 intellectual, not assisted, fires", "W03",
	  ONE(QT, A) BATCH(1, "disability", "2025-12") DIS(1, A, "智力", 3), 1, "智力残疾三级", NULL },
	{ "W03 grade 3 physical does not", "W03",
	  ONE(QT, A) BATCH(1, "disability", "2025-12") DIS(1, A, "肢体", 3), 0, NULL, NULL },
	{ "W03 grade 2 hearing in a DB household does not", "W03",
	  ONE(DB, A) BATCH(1, "disability", "2025-12") DIS(1, A, "听力", 2), 0, NULL, NULL },
	{ "W03 DB household exited 2025-11-15 counts as none: fires", "W03",
	  ONE(DB, A) SET_H("exited_on", "'2025-11-15'", 1) BATCH(1, "disability", "2025-12")
	  DIS(1, A, "听力", 2), 1, NULL, NULL },
	{ "W03 DB household exiting 2025-12-01 is still DB in December", "W03",
	  ONE(DB, A) SET_H("exited_on", "'2025-12-01'", 1) BATCH(1, "disability", "2025-12")
	  DIS(1, A, "听力", 2), 0, NULL, NULL },
	{ "W03 own is_dibao counts as DB", "W03",
	  ONE(QT, A) SET_M("is_dibao", "1", A) BATCH(1, "disability", "2025-12") DIS(1, A, "精神", 1),
	  0, NULL, NULL },
	{ "W04 grade 3 intellectual DB person (not TK) fires", "W04",
	  ONE(DB, A) BATCH(1, "disability", "2025-12") DIS(1, A, "智力", 3), 1, "复核", NULL },
	{ "W04 grade 2 visual does not", "W04",
	  ONE(DB, A) BATCH(1, "disability", "2025-12") DIS(1, A, "视力", 2), 0, NULL, NULL },
	{ "W04 grade 1 visual TK person (own flag) does not", "W04",
	  ONE(DB, A) SET_M("is_tekun", "1", A) BATCH(1, "disability", "2025-12") DIS(1, A, "视力", 1),
	  0, NULL, NULL },
	{ "W05 appears in December", "W05",
	  ONE(DB, A) BATCH(1, "disability", "2025-11") BATCH(2, "disability", "2025-12")
	  DIS(2, A, "肢体", 4), 1, "新进入", NULL },
	{ "W05 disappears in December", "W05",
	  ONE(DB, A) BATCH(1, "disability", "2025-11") BATCH(2, "disability", "2025-12")
	  DIS(1, A, "肢体", 4), 1, "退出", NULL },
	{ "W05 no November snapshot: nothing", "W05",
	  ONE(DB, A) BATCH(2, "disability", "2025-12") DIS(2, A, "肢体", 4), 0, NULL, NULL },
	{ "W05 unchanged: nothing", "W05",
	  ONE(DB, A) BATCH(1, "disability", "2025-11") BATCH(2, "disability", "2025-12")
	  DIS(1, A, "肢体", 4) DIS(2, A, "肢体", 4), 0, NULL, NULL },
	{ "W06 grade 4 -> 3 fires", "W06",
	  ONE(BY, A) BATCH(1, "disability", "2025-11") BATCH(2, "disability", "2025-12")
	  DIS(1, A, "肢体", 4) DIS(2, A, "肢体", 3), 1, "残疾等级由四级变为三级", NULL },
	{ "W06 type change at the same grade does not", "W06",
	  ONE(BY, A) BATCH(1, "disability", "2025-11") BATCH(2, "disability", "2025-12")
	  DIS(1, A, "听力", 2) DIS(2, A, "肢体", 2), 0, NULL, NULL },
	{ "W07 loss 20000.01 fires", "W07",
	  ONE(DB, A) BATCH(1, "incident", "2025-12") INCIDENT(1, A, 0, 0, 2000001), 1, "20000.01", NULL },
	{ "W07 loss exactly 20000.00 does not", "W07",
	  ONE(DB, A) BATCH(1, "incident", "2025-12") INCIDENT(1, A, 0, 0, 2000000), 0, NULL, NULL },
	{ "W07 one serious injury fires", "W07",
	  ONE(DB, A) BATCH(1, "incident", "2025-12") INCIDENT(1, A, 0, 1, 0), 1, "重伤 1 人", NULL },
	{ "W07 accident in the November batch does not fire in December", "W07",
	  ONE(DB, A) BATCH(1, "incident", "2025-11") INCIDENT(1, A, 1, 0, 0), 0, NULL, NULL },
	{ "W08 DB person died 2025-11-30 (last day of the month before) fires", "W08",
	  ONE(DB, A) BATCH(1, "death", "2025-12") DEATH(1, A, "2025-11-30"), 1, "死亡日期 2025-11-30", NULL },
	{ "W08 died 2025-12-01 (first day of M) does not", "W08",
	  ONE(DB, A) BATCH(1, "death", "2025-12") DEATH(1, A, "2025-12-01"), 0, NULL, NULL },
	{ "W08 unassisted person does not", "W08",
	  ONE(0, A) BATCH(1, "death", "2025-12") DEATH(1, A, "2025-10-01"), 0, NULL, NULL },
	{ "W08 death reported in a batch after M does not", "W08",
	  ONE(GZ, A) BATCH(1, "death", "2026-01") DEATH(1, A, "2025-10-01"), 0, NULL, NULL },
	{ "W09 TK child in the orphan snapshot fires", "W09",
	  ONE(TK, AGE15) BATCH(1, "orphan", "2025-12")
	  FEED("feed_orphan", "kind", "1, idk('" AGE15 "'), '张三', '孤儿'"), 1, "孤儿", NULL },
	{ "W09 DB child in it does not", "W09",
	  ONE(DB, AGE15) BATCH(1, "orphan", "2025-12")
	  FEED("feed_orphan", "kind", "1, idk('" AGE15 "'), '张三', '孤儿'"), 0, NULL, NULL },
	{ "W10 TK person with 失能补贴 fires", "W10",
	  ONE(TK, C) BATCH(1, "subsidy", "2025-12")
	  FEED("feed_subsidy", "subsidy, amount", "1, idk('" C "'), '张三', '失能补贴', 10000"), 1,
	  "失能补贴 100.00 元", NULL },
	{ "W10 subsidy in the November batch does not", "W10",
	  ONE(TK, C) BATCH(1, "subsidy", "2025-11")
	  FEED("feed_subsidy", "subsidy, amount", "1, idk('" C "'), '张三', '失能补贴', 10000"), 0, NULL, NULL },
	{ "W10 one subsidy twice (90.00 and 100.00) is one warning, the least evidence text", "W10",
	  ONE(TK, C) BATCH(1, "subsidy", "2025-12")
	  FEED("feed_subsidy", "subsidy, amount", "1, idk('" C "'), '张三', '失能补贴', 9000")
	  FEED("feed_subsidy", "subsidy, amount", "1, idk('" C "'), '张三', '失能补贴', 10000"), 1,
	  "失能补贴 100.00 元", NULL },
	{ "W11 DB pension fires", "W11",
	  ONE(DB, C) BATCH(1, "pension", "2025-12")
	  FEED("feed_pension", "monthly_amount", "1, idk('" C "'), '张三', 210000"), 1, "2100.00", NULL },
	{ "W11 BY pension does not", "W11",
	  ONE(BY, C) BATCH(1, "pension", "2025-12")
	  FEED("feed_pension", "monthly_amount", "1, idk('" C "'), '张三', 210000"), 0, NULL, NULL },
	{ "W11 cancelled (注销) licence does not", "W11",
	  ONE(DB, A) BATCH(1, "license", "2025-12")
	  FEED("feed_license", "license_no, status", "1, idk('" A "'), '张三', '91230304MA1X', '注销'"),
	  0, NULL, NULL },
	{ "W11 active (存续) licence fires", "W11",
	  ONE(DB, A) BATCH(1, "license", "2025-12")
	  FEED("feed_license", "license_no, status", "1, idk('" A "'), '张三', '91230304MA1X', '存续'"),
	  1, "91230304MA1X", NULL },
	{ "W12 monitored member with labour died 2025-12-31 fires", "W12",
	  HH(1, 0) MB(1, B) MB(1, A) SET_M("labor", "'普通劳动力'", A) BATCH(1, "death", "2025-12")
	  DEATH(1, A, "2025-12-31"), 1, NULL, NULL },
	{ "W12 member without labour (丧失劳动力) does not", "W12",
	  HH(1, BY) MB(1, A) SET_M("labor", "'丧失劳动力'", A) BATCH(1, "death", "2025-12")
	  DEATH(1, A, "2025-12-20"), 0, NULL, NULL },
	{ "W12 household with a DB member (own flag) does not", "W12",
	  HH(1, 0) MB(1, B) MB(1, A) SET_M("is_dibao", "1", B) BATCH(1, "death", "2025-12")
	  DEATH(1, A, "2025-12-20"), 0, NULL, NULL },
	{ "W13 newly unemployed at 16 exactly fires", "W13",
	  ONE(DB, AGE16) BATCH(1, "unemployment", "2025-11") BATCH(2, "unemployment", "2025-12")
	  UNEMP(2, AGE16), 1, "新登记失业", NULL },
	{ "W13 at 15 does not", "W13",
	  ONE(DB, AGE15) BATCH(1, "unemployment", "2025-11") BATCH(2, "unemployment", "2025-12")
	  UNEMP(2, AGE15), 0, NULL, NULL },
	{ "W13 at 59 fires", "W13",
	  ONE(DB, AGE59) BATCH(1, "unemployment", "2025-11") BATCH(2, "unemployment", "2025-12")
	  UNEMP(2, AGE59), 1, NULL, NULL },
	{ "W13 at 60 exactly does not", "W13",
	  ONE(DB, AGE60) BATCH(1, "unemployment", "2025-11") BATCH(2, "unemployment", "2025-12")
	  UNEMP(2, AGE60), 0, NULL, NULL },
	{ "W13 registered since November does not", "W13",
	  ONE(DB, A) BATCH(1, "unemployment", "2025-11") BATCH(2, "unemployment", "2025-12")
	  UNEMP(1, A) UNEMP(2, A), 0, NULL, NULL },
	{ "W14 household sum 5000.01 (spouse's loss) fires at the head", "W14",
	  HH(1, DB) MB(1, A) MB(1, B) BATCH(1, "disaster", "2025-12")
	  FEED("feed_disaster", "event_date, kind, loss", "1, idk('" A "'), '张三', '2025-12-02', '洪涝', 250000")
	  FEED("feed_disaster", "event_date, kind, loss", "1, idk('" B "'), '李四', '2025-12-02', '洪涝', 250001"),
	  1, "5000.01", "H1" },
	{ "W14 household sum exactly 5000.00 does not", "W14",
	  HH(1, DB) MB(1, A) MB(1, B) BATCH(1, "disaster", "2025-12")
	  FEED("feed_disaster", "event_date, kind, loss", "1, idk('" A "'), '张三', '2025-12-02', '洪涝', 250000")
	  FEED("feed_disaster", "event_date, kind, loss", "1, idk('" B "'), '李四', '2025-12-02', '洪涝', 250000"),
	  0, NULL, NULL },
	{ "W15 unsafe water names the head", "W15",
	  HH(1, DB) MB(1, A) MB(1, B) SET_H("water_unsafe", "1", 1), 1, "饮水安全问题", "H1" },
	{ "W16 one ID in two households: one warning each", "W16",
	  HH(1, DB) MB(1, A) HH(2, 0) MB(2, A), 2, "2 户", NULL },
	{ "W16 one ID in two households, one of them left: no warning", "W16",
	  HH(1, DB) MB(1, A) HH(2, 0) MB(2, A) "UPDATE members SET left_on = '2025-06-30' WHERE household_id = 2;",
	  0, NULL, NULL },
	{ "W16 one ID in three households, one left: a warning in each of the two", "W16",
	  HH(1, DB) MB(1, A) HH(2, 0) MB(2, A) HH(3, 0) MB(3, A)
	  "UPDATE members SET left_on = '2025-06-30' WHERE household_id = 3;", 2, "2 户", NULL },
	{ "W16 bad check digit", "W16", ONE(DB, A) SET_M("id_valid", "0", A), 1, "校验位", NULL },
	{ "W16 bad check digit of a member who left: none", "W16",
	  ONE(DB, A) SET_M("id_valid", "0", A) SET_M("left_on", "'2025-06-30'", A), 0, NULL, NULL },
	{ "W17 DB 6-monthly, recognised 2025-05-31: due 2025-11-30 (month end), overdue", "W17",
	  ONE(DB, A) SET_M("labor", "'普通劳动力'", A) SET_H("recognized_on", "'2025-05-31'", 1), 1,
	  "应于 2025-11-30 前复核", "H1" },
	{ "W17 DB 6-monthly, recognised 2025-06-01: due 2025-12-01, not overdue", "W17",
	  ONE(DB, A) SET_H("recognized_on", "'2025-06-01'", 1), 0, NULL, NULL },
	{ "W17 DB of an 80-year-old is yearly: recognised 2024-11-30 is overdue", "W17",
	  ONE(DB, C) SET_H("recognized_on", "'2024-11-30'", 1), 1, "每 12 个月", NULL },
	{ "W17 DB of an 80-year-old recognised 2025-05-31 is not (yearly)", "W17",
	  ONE(DB, C) SET_H("recognized_on", "'2025-05-31'", 1), 0, NULL, NULL },
	{ "W17 BY yearly, recognised 2024-12-01: due 2025-12-01, not overdue", "W17",
	  ONE(BY, A) SET_H("recognized_on", "'2024-12-01'", 1), 0, NULL, NULL },
	{ "W17 QT has no schedule", "W17", ONE(QT, A) SET_H("recognized_on", "'2020-01-01'", 1), 0, NULL, NULL },
	{ "W17 no recognized_on: no schedule", "W17", ONE(DB, A) SET_H("recognized_on", "NULL", 1), 0, NULL, NULL },
	{ "W18 DB person in kin, not filed, fires", "W18",
	  ONE(DB, A) BATCH(1, "kin", "2025-12")
	  FEED("feed_kin", "cadre_name, cadre_id, post, relation, filed",
	       "1, idk('" A "'), '张三', '王五', NULL, '村主任', '配偶', 0"), 1, "村主任 王五 的配偶", NULL },
	{ "W18 filed does not", "W18",
	  ONE(DB, A) BATCH(1, "kin", "2025-12")
	  FEED("feed_kin", "cadre_name, cadre_id, post, relation, filed",
	       "1, idk('" A "'), '张三', '王五', NULL, '村主任', '配偶', 1"), 0, NULL, NULL },
};

static void test_rules(void **state)
{
	(void)state;
	dd_policy p = policy(NULL);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const rcase *c = &cases[i];
		dd_store *st = fresh(c->fixture);
		dd_rule_counts n = run(st, &p, "2025-12", c->rule);
		if (n.added != c->want)
			print_error("case \"%s\": %lld new, want %d\n", c->name, (long long)n.added, c->want);
		CASE_CHECK(n.added == c->want, c->name);
		seen s = listed(st, "2025-12", c->rule);
		CASE_CHECK(s.n == c->want, c->name);
		if (c->evidence && !strstr(s.evidence, c->evidence))
			print_error("case \"%s\": evidence \"%s\"\n", c->name, s.evidence);
		CASE_CHECK(!c->evidence || strstr(s.evidence, c->evidence), c->name);
		if (c->household)
			CASE_STR_EQ(s.household_no, c->household, c->name);
		dd_store_close(st);
	}
}

/* ---- no repeat noise ---- */

static void test_no_repeat_noise(void **state)
{
	(void)state;
	dd_policy p = policy(NULL);
	dd_store *st = fresh(ONE(DB, A) SET_H("housing_unsafe", "1", 1)
			     MBATCH(1, "2025-11") MED(1, A, 2025, 1000001)
			     MBATCH(2, "2025-12") MED(2, A, 2025, 0));

	assert_int_equal(run(st, &p, "2025-11", "W15").added, 1);
	/* re-running a month adds nothing */
	assert_int_equal(run(st, &p, "2025-11", "W15").added, 0);
	assert_int_equal(run(st, &p, "2025-11", "W01").added, 0);
	/* next month, the same facts: nothing new, still open */
	dd_rule_counts w15 = run(st, &p, "2025-12", "W15");
	assert_int_equal(w15.added, 0);
	assert_int_equal(w15.open, 1);
	assert_int_equal(run(st, &p, "2025-12", "W01").added, 0);
	dd_store_close(st);

	/* changed evidence: December, imported again, raises the year's sum */
	dd_store *st2 = NULL;
	dd_err err = { 0 };
	assert_int_equal(dd_store_open(&st2, path, false, &err), DD_OK);
	medical(st2, MBATCH(3, "2025-12") MED(3, A, 2025, 1));
	dd_rule_counts w01 = run(st2, &p, "2025-12", "W01");
	assert_int_equal(w01.added, 1);
	assert_int_equal(w01.open, 2);
	assert_string_equal(listed(st2, "2025-12", "W01").evidence, "2025年住院自付合计 10000.02 元");
	assert_string_equal(listed(st2, "2025-11", "W01").evidence, "2025年住院自付合计 10000.01 元");
	dd_store_close(st2);

	/* closed as not valid stays closed; closed otherwise (fixed) is raised again while the fact holds */
	raw("UPDATE warnings SET status = 'closed', outcome = 'not_valid' WHERE rule = 'W15'");
	assert_int_equal(dd_store_open(&st2, path, false, &err), DD_OK);
	w15 = run(st2, &p, "2026-01", "W15");
	assert_int_equal(w15.added, 0);
	assert_int_equal(w15.open, 0);
	dd_store_close(st2);
	raw("UPDATE warnings SET outcome = 'fixed' WHERE rule = 'W15'");
	assert_int_equal(dd_store_open(&st2, path, false, &err), DD_OK);
	assert_int_equal(run(st2, &p, "2026-02", "W15").added, 1);
	/* and an old month re-run after later ones still adds nothing */
	assert_int_equal(run(st2, &p, "2025-11", "W15").added, 0);
	dd_store_close(st2);
}

/* ---- W01 and W02 share one sum of the year (sqlite_warn.c medical_sums) ---- */

typedef struct share_case {
	const char *name;
	const char *policy;
	int w01, w02;
} share_case;

static const share_case share_cases[] = {
	{ "default thresholds: W02 (50000) reuses W01's sums above 10000", NULL, 1, 1 },
	{ "W02 threshold 5000 below W01's 10000: W02 sums again and finds the 6000.00 outsider",
	  "[rule.W02]\nthreshold = 5000\n", 1, 2 },
	{ "W01 threshold 70000: nobody, W02 (50000) sums again", "[rule.W01]\nthreshold = 70000\n", 0, 1 },
};

static void test_medical_sums_shared(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(share_cases); i++) {
		const share_case *c = &share_cases[i];
		dd_policy p = policy(c->policy);
		/* A: registry 10000.01; OUT: outsider 60000.00; B: outsider 6000.00 */
		dd_store *st = fresh(ONE(DB, A) MBATCH(1, "2025-12") MED(1, A, 2025, 1000001)
				     MED(1, OUT, 2025, 6000000) MED(1, B, 2025, 600000));
		dd_rule_counts w01 = run(st, &p, "2025-12", "W01");
		CASE_CHECK(w01.added == c->w01, c->name);
		CASE_CHECK(listed(st, "2025-12", "W02").n == c->w02, c->name);
		dd_store_close(st);
	}
}

/* ---- county rules ---- */

#define C01 "[rule.C01]\nname = 低保对象新登记失业\nlevel = blue\n" \
	"sql = SELECT p.id_number, p.household_no, '失业登记 ' || u.reg_date\n" \
	"  FROM v_persons p JOIN v_feed_unemployment u ON u.id_key = p.id_key\n" \
	"  WHERE u.month = :month AND (p.category_bits & 2) <> 0\n"

static void test_county_rule(void **state)
{
	(void)state;
	dd_policy p = policy(C01);
	const dd_rule_cfg *r = dd_policy_rule(&p, "C01");
	assert_non_null(r);
	assert_string_equal(r->name, "低保对象新登记失业");
	assert_non_null(strstr(r->sql, "\nWHERE u.month = :month"));
	dd_store *st = fresh(ONE(DB, A) HH(2, BY) MB(2, B) BATCH(1, "unemployment", "2025-12")
			     UNEMP(1, A) UNEMP(1, B));
	dd_rule_counts n = run(st, &p, "2025-12", "C01");
	assert_int_equal(n.added, 1);
	seen s = listed(st, "2025-12", "C01");
	assert_string_equal(s.evidence, "失业登记 2025-12-02");
	assert_string_equal(s.household_no, "H1");
	assert_int_equal(run(st, &p, "2025-12", "C01").added, 0);
	dd_store_close(st);
}

/* A county rule over v_feed_medical: the virtual table under the view, joined by id_key. */
#define C02 "[rule.C02]\nname = 住院自付\nlevel = blue\n" \
	"sql = SELECT p.id_number, p.household_no, '住院 ' || SUM(m.hosp_self_paid) || ' 分 ' || COUNT(*) || ' 行'\n" \
	"  FROM v_persons p JOIN v_feed_medical m ON m.id_key = p.id_key\n" \
	"  WHERE m.year = 2025 AND m.month <= :month GROUP BY p.id_number, p.household_no\n"

static void test_county_rule_medical(void **state)
{
	(void)state;
	dd_policy p = policy(C02);
	/* A: 6000.00 in June, 4000.02 in the December batch that replaced 4000.01; a 2024 row; B: 0.07 */
	dd_store *st = fresh(ONE(DB, A) MB(1, B) MBATCH(1, "2025-06") MED(1, A, 2025, 600000)
			     MED(1, A, 2024, 5) MED(1, B, 2025, 7) MBATCH(2, "2025-12") MED(2, A, 2025, 400001)
			     MBATCH(3, "2025-12") MED(3, A, 2025, 400002));
	assert_int_equal(run(st, &p, "2025-12", "C02").added, 2);
	seen s = listed(st, "2025-12", "C02");
	assert_string_equal(s.evidence, "住院 1000002 分 2 行");
	assert_string_equal(s.household_no, "H1");
	dd_store_close(st);
}

typedef struct bad_sql {
	const char *name;
	const char *sql;
	bool at_load;            /* refused by the policy parser; else by dd_compare_check */
	const char *why;         /* substring of the message */
} bad_sql;

static const bad_sql bad[] = {
	{ "two statements", "SELECT 1, 2, 3; SELECT 1, 2, 3", true, "分号" },
	{ "a write", "DELETE FROM households", true, "SELECT" },
	{ "a write inside a WITH", "WITH x AS (SELECT 1) INSERT INTO meta SELECT 1, 2", true, "INSERT" },
	{ "pragma", "PRAGMA user_version", true, "SELECT" },
	{ "a semicolon inside a string is fine, the table is not",
	  "SELECT id_number, household_no, 'a;b' FROM members", false, "未公开" },
	{ "registry table behind a CTE named like a view", "WITH v_persons AS (SELECT phone FROM households)"
	  " SELECT phone, phone, phone FROM v_persons", false, "未公开" },
	{ "column no view exposes, read through a CTE", "WITH v_households AS (SELECT * FROM households)"
	  " SELECT household_no, address, phone FROM v_households", false, "未公开" },
	{ "wrong number of columns", "SELECT id_number FROM v_persons", false, "三列" },
	{ "the medical table itself, not its view", "SELECT id_key, name, year FROM feed_medical_year", false,
	  "未公开" },
	{ "the medical segments", "SELECT batch_id, seq, data FROM feed_medical_seg", false, "未公开" },
};

static void test_county_rule_refused(void **state)
{
	(void)state;
	dd_store *st = fresh(ONE(DB, A));
	for (size_t i = 0; i < DD_ARRAY_LEN(bad); i++) {
		char text[512];
		dd_policy p;
		dd_err err = { 0 };
		snprintf(text, sizeof text, "[rule.C09]\nlevel = red\nsql = %s\n", bad[i].sql);
		assert_int_equal(dd_policy_default(&p, &err), DD_OK);
		dd_rc rc = dd_policy_parse(&p, text, "test", &err);
		CASE_CHECK((rc != DD_OK) == bad[i].at_load, bad[i].name);
		if (rc == DD_OK)
			rc = dd_compare_check(st, &p, &err);
		CASE_CHECK(rc == DD_ERR_INPUT, bad[i].name);
		if (!strstr(err.msg, bad[i].why))
			print_error("case \"%s\": %s\n", bad[i].name, err.msg);
		CASE_CHECK(strstr(err.msg, bad[i].why) != NULL, bad[i].name);
	}
	dd_store_close(st);
}

static void test_builtin_rules_checked(void **state)
{
	(void)state;
	dd_store *st = fresh(ONE(DB, A));
	dd_policy p = policy("[rule.W99]\nlevel = red\n");
	dd_err err = { 0 };
	assert_int_equal(dd_compare_check(st, &p, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "W99"));
	p = policy("[rule.W99]\nenabled = false\n[rule.W05]\nenabled = false\n");
	assert_int_equal(dd_compare_check(st, &p, &err), DD_OK);
	dd_compare_report rep;
	assert_int_equal(dd_compare_run(st, &p, "test", M("2025-12"), NULL, NULL, &rep, &err), DD_OK);
	assert_int_equal(rep.nrules, 17);   /* W05 and W99 disabled */
	dd_store_close(st);
}

/* ---- rules worked out ahead on a second connection (sqlite_warn.c sq_compare_ahead) ---- */

/* A rule failing there fails the run, which leaves nothing; the same run works once it can. */
static void test_ahead_failure(void **state)
{
	(void)state;
	dd_policy p = policy(NULL);
	dd_compare_report rep;
	dd_err err = { 0 };
	dd_store *st = fresh(ONE(DB, A) SET_H("water_unsafe", "1", 1));

	raw("ALTER TABLE feed_kin RENAME TO feed_kin_gone");   /* W18, the last rule, cannot run */
	assert_int_equal(dd_compare_run(st, &p, "test", M("2025-12"), NULL, NULL, &rep, &err), DD_ERR_STORE);
	assert_non_null(strstr(err.msg, "feed_kin"));
	assert_int_equal(listed(st, NULL, "W15").n, 0);
	dd_store_close(st);

	raw("ALTER TABLE feed_kin_gone RENAME TO feed_kin");
	assert_int_equal(dd_store_open(&st, path, false, &err), DD_OK);
	assert_int_equal(run(st, &p, "2025-12", "W15").added, 1);
	assert_int_equal(listed(st, NULL, "W15").n, 1);
	dd_store_close(st);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/dd_compare_XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_no_repeat_noise),
		cmocka_unit_test(test_medical_sums_shared),
		cmocka_unit_test(test_county_rule),
		cmocka_unit_test(test_county_rule_medical),
		cmocka_unit_test(test_county_rule_refused),
		cmocka_unit_test(test_builtin_rules_checked),
		cmocka_unit_test(test_ahead_failure),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
