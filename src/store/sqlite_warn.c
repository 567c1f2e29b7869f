/*
 * sqlite_warn.c - SQLite backend: comparison runs and warnings (DOMAIN.md §4;
 * docs/internals/compare.md).
 *
 * Every built-in rule is one SQL statement below (rule_sql[]) that writes
 * the rule's candidates - (subject, evidence fingerprint, person, household,
 * evidence text) - into the connection's temp table `cand`.  One merge
 * statement then turns candidates into warnings, leaving out every candidate
 * whose (rule, subject, fingerprint) already has a warning that is open,
 * closed as not valid, or raised by a run of this month or a later one: that
 * is the whole of "no repeat noise".  County rules (a SELECT of the policy
 * file over the read-only v_* views) fill the same table from C.
 *
 * Named parameters the rule statements use are bound by name from
 * dd_compare_month: :month :prev :first :last :year :threshold :born_16
 * :born_60 :born_old :born_minor :stable :other.
 */
#include "../core/dd.h"
#include "../core/date.h"
#include "../core/id.h"
#include "medseg.h"
#include "sqlite_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */

/* A feed kind as a read-only view of its active batches, with the batch month and the ID text. */
#define FEED_VIEW(view, table, cols)                                                     \
	"CREATE VIEW " view " AS SELECT b.month AS month, f.id_key AS id_key,"          \
	" dd_id_text(f.id_key) AS id_number, f.name AS name, " cols                      \
	" FROM " table " f JOIN feed_batches b ON b.id = f.batch_id"                     \
	" WHERE b.replaced_by IS NULL;"

/*
 * The scope region of a warning (store.h "monitoring for the web") from its
 * region_code and id_key: its household's region, else the region of the
 * household the person last belonged to, else the county.  Kept in
 * warnings.scope when the warning is written, so pages filter and count by
 * an index instead of working it out per row.
 */
#define SCOPE_OF(region, id_key)                                                                \
	"COALESCE(" region ", (SELECT h.region_code FROM members m JOIN households h"           \
	" ON h.id = m.household_id WHERE m.id_key = " id_key                                    \
	" ORDER BY m.left_on IS NULL DESC, m.left_on DESC LIMIT 1),"                             \
	" (SELECT value FROM meta WHERE key = 'county_code'), '')"
/* The page order (sq_warnings_page), spelled once: the index warnings_page is on exactly these. */
#define LEVEL_RANK(level) "(CASE " level " WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END)"
#define COUNT_KEY "(scope, month, rule, level, status)"

const sq_migration sq_warn_migrations[] = {
	{ "warn-1-tables",
	  "CREATE TABLE compare_runs ("
	  " id INTEGER PRIMARY KEY,"
	  " month TEXT NOT NULL,"
	  " username TEXT NOT NULL,"
	  " started_at TEXT NOT NULL,"
	  " finished_at TEXT);"
	  "CREATE TABLE compare_run_rules ("
	  " run_id INTEGER NOT NULL REFERENCES compare_runs(id),"
	  " rule TEXT NOT NULL,"
	  " level TEXT NOT NULL,"
	  " found BIGINT NOT NULL,"
	  " added BIGINT NOT NULL,"
	  " open_count BIGINT NOT NULL,"
	  " PRIMARY KEY (run_id, rule));"
	  /* subject: 'P<id_key>@H<household id>' (person), 'P<id_key>' (outside the
	   * registry, W02), 'H<household id>' (household rules W14 W15 W17).
	   * outcome: how a closed warning was closed ('not_valid' = 核实不属实). */
	  "CREATE TABLE warnings ("
	  " id INTEGER PRIMARY KEY,"
	  " rule TEXT NOT NULL,"
	  " level TEXT NOT NULL,"
	  " month TEXT NOT NULL,"
	  " id_key BIGINT,"
	  " id_number TEXT,"
	  " name TEXT,"
	  " household_id INTEGER REFERENCES households(id),"
	  " household_no TEXT,"
	  " region_code TEXT,"
	  " subject TEXT NOT NULL,"
	  " fingerprint TEXT NOT NULL,"
	  " evidence TEXT NOT NULL,"
	  " status TEXT NOT NULL DEFAULT 'new',"
	  " outcome TEXT,"
	  " created_at TEXT NOT NULL,"
	  " run_id INTEGER NOT NULL REFERENCES compare_runs(id));"
	  "CREATE INDEX warnings_key ON warnings(rule, subject, fingerprint);"
	  "CREATE INDEX warnings_month ON warnings(month, rule);"
	  "CREATE INDEX warnings_status ON warnings(rule, status);"
	  "CREATE INDEX warnings_household ON warnings(household_id);"
	  "CREATE TRIGGER warnings_no_delete BEFORE DELETE ON warnings"
	  " BEGIN SELECT RAISE(ABORT, '预警记录不能删除'); END;"
	  "CREATE TRIGGER compare_runs_no_delete BEFORE DELETE ON compare_runs"
	  " BEGIN SELECT RAISE(ABORT, '比对记录不能删除'); END;"
	  /* The read-only views county rules may read (docs/internals/compare.md). */
	  "CREATE VIEW v_persons AS SELECT m.id_key AS id_key, m.id_number AS id_number,"
	  " m.name AS name, m.gender AS gender,"
	  " substr(m.id_number, 7, 4) || '-' || substr(m.id_number, 11, 2) || '-' ||"
	  " substr(m.id_number, 13, 2) AS birth_date,"
	  " m.relation AS relation, m.health AS health, m.labor AS labor,"
	  " m.disability_type AS disability_type, m.disability_grade AS disability_grade,"
	  " m.is_tekun AS is_tekun, m.is_dibao AS is_dibao, m.orphan_guarantee AS orphan_guarantee,"
	  " m.wage_income AS wage_income, m.id_valid AS id_valid,"
	  " h.household_no AS household_no, h.region_code AS region_code,"
	  " h.categories AS categories, h.category_bits AS category_bits,"
	  " h.fp_subtype AS fp_subtype, h.recognized_on AS recognized_on, h.exited_on AS exited_on"
	  " FROM members m JOIN households h ON h.id = m.household_id WHERE m.left_on IS NULL;"
	  "CREATE VIEW v_households AS SELECT h.household_no AS household_no,"
	  " h.region_code AS region_code, h.head_id AS head_id_number, h.hukou_type AS hukou_type,"
	  " h.categories AS categories, h.category_bits AS category_bits, h.fp_subtype AS fp_subtype,"
	  " h.recognized_on AS recognized_on, h.exited_on AS exited_on,"
	  " h.housing_unsafe AS housing_unsafe, h.dropout AS dropout, h.water_unsafe AS water_unsafe,"
	  " h.uninsured AS uninsured, h.fin_assets AS fin_assets, h.vehicle_value AS vehicle_value,"
	  " (SELECT COUNT(*) FROM members x WHERE x.household_id = h.id AND x.left_on IS NULL) AS members"
	  " FROM households h;"
	  FEED_VIEW("v_feed_medical", "feed_medical_year", "f.year AS year,"
		    " f.hosp_self_paid AS hosp_self_paid, f.hosp_visits AS hosp_visits,"
		    " f.outp_self_paid AS outp_self_paid, f.outp_visits AS outp_visits")
	  FEED_VIEW("v_feed_disability", "feed_disability",
		    "f.disability_type AS disability_type, f.disability_grade AS disability_grade")
	  FEED_VIEW("v_feed_death", "feed_death", "f.death_date AS death_date")
	  FEED_VIEW("v_feed_pension", "feed_pension", "f.monthly_amount AS monthly_amount")
	  FEED_VIEW("v_feed_unemployment", "feed_unemployment", "f.reg_date AS reg_date")
	  FEED_VIEW("v_feed_license", "feed_license", "f.license_no AS license_no, f.status AS status")
	  FEED_VIEW("v_feed_orphan", "feed_orphan", "f.kind AS kind")
	  FEED_VIEW("v_feed_subsidy", "feed_subsidy", "f.subsidy AS subsidy, f.amount AS amount")
	  FEED_VIEW("v_feed_incident", "feed_incident", "f.event_date AS event_date, f.kind AS kind,"
		    " f.deaths AS deaths, f.serious_injuries AS serious_injuries, f.loss AS loss")
	  FEED_VIEW("v_feed_disaster", "feed_disaster",
		    "f.event_date AS event_date, f.kind AS kind, f.loss AS loss")
	  FEED_VIEW("v_feed_fp", "feed_fp", "f.fp_subtype AS fp_subtype, f.status AS status")
	  FEED_VIEW("v_feed_kin", "feed_kin", "f.cadre_name AS cadre_name, f.post AS post,"
		    " f.relation AS relation, f.filed AS filed") },
	/*
	 * Warning pages for the web: the scope kept per warning, an index in the
	 * page's order, and counts per (scope, month, rule, level, status) kept
	 * by triggers, so a page and its totals read a few rows, not all.
	 */
	{ "warn-2-scope",
	  "ALTER TABLE warnings ADD COLUMN scope TEXT;"
	  "UPDATE warnings SET scope = " SCOPE_OF("region_code", "warnings.id_key") ";"
	  "CREATE INDEX warnings_page ON warnings(month DESC, " LEVEL_RANK("level") ","
	  " rule, household_no, id_number, id);"
	  "CREATE TABLE warning_counts (scope TEXT NOT NULL, month TEXT NOT NULL, rule TEXT NOT NULL,"
	  " level TEXT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,"
	  " PRIMARY KEY " COUNT_KEY ") WITHOUT ROWID;"
	  "INSERT INTO warning_counts SELECT scope, month, rule, level, status, COUNT(*) FROM warnings"
	  " GROUP BY scope, month, rule, level, status;"
	  /* a writer that gives no scope (tests' raw rows) gets it here; the update below counts it */
	  "CREATE TRIGGER warnings_scope_fill AFTER INSERT ON warnings WHEN NEW.scope IS NULL BEGIN"
	  " UPDATE warnings SET scope = " SCOPE_OF("NEW.region_code", "NEW.id_key") " WHERE id = NEW.id; END;"
	  "CREATE TRIGGER warnings_count_insert AFTER INSERT ON warnings WHEN NEW.scope IS NOT NULL BEGIN"
	  " INSERT INTO warning_counts VALUES (NEW.scope, NEW.month, NEW.rule, NEW.level, NEW.status, 1)"
	  " ON CONFLICT " COUNT_KEY " DO UPDATE SET n = n + 1; END;"
	  "CREATE TRIGGER warnings_count_update AFTER UPDATE OF scope, month, rule, level, status ON warnings"
	  " BEGIN"
	  " UPDATE warning_counts SET n = n - 1 WHERE scope = OLD.scope AND month = OLD.month"
	  " AND rule = OLD.rule AND level = OLD.level AND status = OLD.status;"
	  " INSERT INTO warning_counts SELECT NEW.scope, NEW.month, NEW.rule, NEW.level, NEW.status, 1"
	  " WHERE NEW.scope IS NOT NULL ON CONFLICT " COUNT_KEY " DO UPDATE SET n = n + 1; END;" },
	/* W16's IDs whose check digit fails: a handful of rows, so the index costs an
	 * import next to nothing and saves the rule a scan of every member. */
	{ "warn-3-members-bad-id",
	  "CREATE INDEX IF NOT EXISTS members_bad_id ON members(household_id) WHERE id_valid = 0;" },
	{ NULL, NULL },
};

/* The views a county rule may read: nothing else (rule_authorize). */
static const char *const county_views[] = {
	"v_persons", "v_households", "v_feed_medical", "v_feed_disability", "v_feed_death",
	"v_feed_pension", "v_feed_unemployment", "v_feed_license", "v_feed_orphan",
	"v_feed_subsidy", "v_feed_incident", "v_feed_disaster", "v_feed_fp", "v_feed_kin",
};

/* ---- the built-in rules ---- */

#define CAND_INS "INSERT INTO temp.cand (subject, fingerprint, id_key, id_number, name," \
	" household_id, household_no, region_code, evidence) "
/* One candidate row from C (county rules, rules worked out ahead). */
static const char cand_put[] = CAND_INS "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/* The person m of household h. */
#define PERSON_COLS "m.id_key, m.id_number, m.name, h.id, h.household_no, h.region_code"
#define SEL_PERSON(fp, ev) "SELECT 'P' || m.id_key || '@H' || h.id, " fp ", " PERSON_COLS ", " ev
/* Household rules name the head (m may be NULL when the head is no current member). */
#define SEL_HOUSEHOLD(fp, ev) "SELECT 'H' || h.id, " fp ", " PERSON_COLS ", " ev
#define HEAD_JOIN " LEFT JOIN members m ON m.household_id = h.id AND m.id_number = h.head_id" \
	" AND m.left_on IS NULL"
/* Every current registry member with that ID, once per household holding it. */
#define MEMBER_OF(key) " JOIN members m ON m.id_key = " key " AND m.left_on IS NULL" \
	" JOIN households h ON h.id = m.household_id"
/* The active batch of a kind for a month, as a one-row (or empty) table. */
#define BATCH(name, kind, mon) name " AS (SELECT id FROM feed_batches WHERE kind = '" kind \
	"' AND month = " mon " AND replaced_by IS NULL)"
#define UPTO(kind) " JOIN feed_batches b ON b.id = f.batch_id AND b.kind = '" kind "'" \
	" AND b.replaced_by IS NULL AND b.month <= :month"

/* Categories of the person m in household h (DOMAIN.md §4 "Exact meanings"). */
#define CURRENT "(h.exited_on IS NULL OR h.exited_on >= :first)"
#define IS_DB "(" CURRENT " AND ((h.category_bits & 2) <> 0 OR COALESCE(m.is_dibao, 0) = 1))"
#define IS_TK "(" CURRENT " AND ((h.category_bits & 1) <> 0 OR COALESCE(m.is_tekun, 0) = 1))"
#define ASSISTED "(" CURRENT " AND ((h.category_bits & 15) <> 0 OR COALESCE(m.is_dibao, 0) = 1" \
	" OR COALESCE(m.is_tekun, 0) = 1))"
#define CAT_ZH "(CASE WHEN " IS_TK " THEN '特困' WHEN " IS_DB " THEN '低保'" \
	" WHEN (h.category_bits & 4) <> 0 THEN '低保边缘' ELSE '刚性支出困难' END)"
#define YUAN(x) "printf('%d.%02d', (" x ") / 100, (" x ") % 100)"
#define GRADE_ZH(g) "(CASE " g " WHEN 1 THEN '一级' WHEN 2 THEN '二级' WHEN 3 THEN '三级'" \
	" WHEN 4 THEN '四级' ELSE COALESCE(" g ", '') || '级' END)"
#define SEVERE(t, g) "(" g " IN (1, 2) OR (" g " = 3 AND COALESCE(" t ", '') IN ('智力', '精神')))"
#define BIRTH(x) "substr(" x ".id_number, 7, 8)"
/*
 * Not a key-protection person (W17): neither elderly, nor minor, nor severely
 * disabled nor seriously ill.  Four AND-ed terms rather than NOT (a OR b OR c
 * OR d), the same in SQL's three-valued logic: SQLite tests the two birth
 * terms, which need only the ID in the (household_id, id_number) index,
 * before it reads the member's row - an elderly or minor member costs no row.
 */
#define NOT_KEY_PERSON(x) "NOT (" BIRTH(x) " <= :born_old) AND NOT (" BIRTH(x) " > :born_minor)" \
	" AND NOT " SEVERE(x ".disability_type", x ".disability_grade") \
	" AND NOT (COALESCE(" x ".health, '') = '患有大病')"

/*
 * W01 and W02 read the same per-person hospital sums of the year: the scan
 * of the year's medical rows is most of either rule, so it is done once per
 * run.  The first of them keeps the sums above its threshold in
 * temp.med_sum (and the threshold in temp.med_sum_done); the other reuses
 * them when its threshold is not lower (the default policy), else sums
 * again.
 */
/*
 * The sums are added up in a hash map (medical_fill) rather than by GROUP BY:
 * SQLite would sort the year's rows of all batches in a temp B-tree first,
 * two thirds of the statement's time.  Same result as
 *   SELECT f.id_key, MIN(f.name), SUM(f.hosp_self_paid) ... GROUP BY f.id_key
 *   HAVING SUM(f.hosp_self_paid) > :threshold
 */
static const char med_sum_rows[] =
	"SELECT f.hosp FROM feed_medical_seg f" UPTO("medical")
	" WHERE f.hosp IS NOT NULL ORDER BY f.batch_id, f.seq";
#define MEDICAL_SUM "(SELECT id_key, name, total FROM temp.med_sum WHERE total > :threshold) t"
#define MEDICAL_EV(suffix) ":year || '年住院自付合计 ' || " YUAN("t.total") " || ' 元" suffix "'"

/* Disability grades of M and of the month before, per person (W05, W06). */
#define GRADES "WITH " BATCH("cur", "disability", ":month") ", " BATCH("prv", "disability", ":prev") \
	", g AS (SELECT d.id_key," \
	" SUM(CASE WHEN d.batch_id = cur.id THEN 1 ELSE 0 END) AS now_n," \
	" SUM(CASE WHEN d.batch_id = prv.id THEN 1 ELSE 0 END) AS was_n," \
	" MIN(CASE WHEN d.batch_id = cur.id THEN d.disability_grade END) AS now_g," \
	" MIN(CASE WHEN d.batch_id = prv.id THEN d.disability_grade END) AS was_g," \
	" MIN(CASE WHEN d.batch_id = cur.id THEN d.disability_type END) AS now_t," \
	" MIN(CASE WHEN d.batch_id = prv.id THEN d.disability_type END) AS was_t" \
	" FROM cur CROSS JOIN prv JOIN feed_disability d ON d.batch_id IN (cur.id, prv.id)" \
	" GROUP BY d.id_key) "

/* First recorded death date per person in the batches up to M (W08, W12). */
#define DEATHS "WITH d AS (SELECT f.id_key, MIN(f.death_date) AS died FROM feed_death f" \
	UPTO("death") " WHERE f.death_date IS NOT NULL GROUP BY f.id_key) "

static const char w01[] =
	/* CROSS: the sums drive.  Unforced, SQLite scanned every member and probed
	 * temp.med_sum by rowid for each (it has no statistics for a temp table):
	 * 10 M rows read for a few thousand sums, most of W01's time at 10 M persons. */
	CAND_INS SEL_PERSON(":year || ':' || t.total", MEDICAL_EV(""))
	" FROM " MEDICAL_SUM " CROSS" MEMBER_OF("t.id_key");

static const char w02[] =
	CAND_INS "SELECT 'P' || t.id_key, :year || ':' || t.total, t.id_key, dd_id_text(t.id_key),"
	" t.name, NULL, NULL, NULL, " MEDICAL_EV("（非在册人员）")
	" FROM " MEDICAL_SUM
	" WHERE NOT EXISTS (SELECT 1 FROM members x WHERE x.id_key = t.id_key AND x.left_on IS NULL)";

#define DISABILITY_EV(tail) "'残联：' || COALESCE(d.disability_type, '') || '残疾' || " \
	GRADE_ZH("d.disability_grade") " || '" tail "'"

/*
 * W03 and W04 read the same rows - the disability list of M, severe cases
 * (every W04 case is one), joined to current members and their households -
 * and the join is nearly all of either rule: at 10 M persons a member and a
 * household row fetched at random for each of 215 k cases.
 * The first of them to run keeps those rows with the person's DB/TK flags
 * in temp.dis_rows (disability_fill); both then read only that.
 */
static const char dis_rows[] =
	"WITH " BATCH("cur", "disability", ":month") " "
	"INSERT INTO temp.dis_rows (id_key, id_number, name, household_id, household_no, region_code,"
	" disability_type, disability_grade, is_db, is_tk)"
	" SELECT " PERSON_COLS ", d.disability_type, d.disability_grade, " IS_DB ", " IS_TK
	" FROM cur JOIN feed_disability d ON d.batch_id = cur.id" MEMBER_OF("d.id_key")
	" WHERE " SEVERE("d.disability_type", "d.disability_grade");
#define SEL_DISABLED(tail) "SELECT 'P' || d.id_key || '@H' || d.household_id," \
	" COALESCE(d.disability_type, '') || d.disability_grade, d.id_key, d.id_number, d.name," \
	" d.household_id, d.household_no, d.region_code, " DISABILITY_EV(tail) " FROM temp.dis_rows d"

static const char w03[] =
	CAND_INS SEL_DISABLED("，既非低保也非特困") " WHERE NOT d.is_db AND NOT d.is_tk";

static const char w04[] =
	CAND_INS SEL_DISABLED("，非特困（复核是否符合特困）")
	" WHERE ((d.disability_type = '肢体' AND d.disability_grade IN (1, 2))"
	" OR (d.disability_type IN ('智力', '精神') AND d.disability_grade IN (1, 2, 3))"
	" OR (d.disability_type = '视力' AND d.disability_grade = 1))"
	" AND NOT d.is_tk";

static const char w05[] =
	GRADES CAND_INS
	SEL_PERSON("CASE WHEN g.was_n = 0 THEN 'in:' ELSE 'out:' END || :month",
		   "CASE WHEN g.was_n = 0 THEN :month || ' 新进入残疾人名单（' || COALESCE(g.now_t, '')"
		   " || '残疾' || " GRADE_ZH("g.now_g") " || '）'"
		   " ELSE :month || ' 退出残疾人名单（上月为' || COALESCE(g.was_t, '') || '残疾' || "
		   GRADE_ZH("g.was_g") " || '）' END")
	" FROM g" MEMBER_OF("g.id_key") " WHERE g.now_n = 0 OR g.was_n = 0";

static const char w06[] =
	GRADES CAND_INS
	SEL_PERSON(":month || ':' || g.was_g || '>' || g.now_g",
		   "'残疾等级由' || " GRADE_ZH("g.was_g") " || '变为' || " GRADE_ZH("g.now_g")
		   " || '（' || COALESCE(g.now_t, '') || '残疾）'")
	" FROM g" MEMBER_OF("g.id_key")
	" WHERE g.now_n > 0 AND g.was_n > 0 AND g.now_g <> g.was_g";

static const char w07[] =
	"WITH " BATCH("cur", "incident", ":month") " "
	CAND_INS SEL_PERSON("COALESCE(i.event_date, '') || '|' || COALESCE(i.kind, '') || '|' ||"
			    " COALESCE(i.deaths, 0) || '|' || COALESCE(i.serious_injuries, 0) || '|' ||"
			    " COALESCE(i.loss, 0)",
			    "COALESCE(i.event_date || ' ', '') || COALESCE(i.kind, '突发事件') ||"
			    " '：死亡 ' || COALESCE(i.deaths, 0) || ' 人，重伤 ' ||"
			    " COALESCE(i.serious_injuries, 0) || ' 人，财产损失 ' || "
			    YUAN("COALESCE(i.loss, 0)") " || ' 元'")
	" FROM cur JOIN feed_incident i ON i.batch_id = cur.id" MEMBER_OF("i.id_key")
	" WHERE COALESCE(i.deaths, 0) >= 1 OR COALESCE(i.serious_injuries, 0) >= 1"
	" OR COALESCE(i.loss, 0) > :threshold";

static const char w08[] =
	DEATHS CAND_INS SEL_PERSON("d.died", "'死亡日期 ' || d.died || '，仍为' || " CAT_ZH " || '对象'")
	" FROM d" MEMBER_OF("d.id_key") " WHERE d.died < :first AND " ASSISTED;

static const char w09[] =
	"WITH " BATCH("cur", "orphan", ":month") " "
	CAND_INS SEL_PERSON("COALESCE(o.kind, '')",
			    "'儿童福利：' || COALESCE(o.kind, '孤儿或事实无人抚养儿童') || '，同时为特困人员'")
	" FROM cur JOIN feed_orphan o ON o.batch_id = cur.id" MEMBER_OF("o.id_key")
	" WHERE " IS_TK;

static const char w10[] =
	"WITH " BATCH("cur", "subsidy", ":month") " "
	CAND_INS SEL_PERSON("s.subsidy", ":month || ' 领取' || s.subsidy || ' ' || "
			    YUAN("COALESCE(s.amount, 0)") " || ' 元，同时为特困人员'")
	" FROM cur JOIN feed_subsidy s ON s.batch_id = cur.id" MEMBER_OF("s.id_key")
	" WHERE s.subsidy IN ('失能补贴', '困难残疾人生活补贴', '重度残疾人护理补贴') AND " IS_TK;

static const char w11[] =
	"WITH " BATCH("pen", "pension", ":month") ", " BATCH("lic", "license", ":month") " "
	CAND_INS SEL_PERSON("'pension'", "'领取养老金 每月 ' || " YUAN("COALESCE(p.monthly_amount, 0)")
			    " || ' 元（' || " CAT_ZH " || '）'")
	" FROM pen JOIN feed_pension p ON p.batch_id = pen.id" MEMBER_OF("p.id_key")
	" WHERE " IS_DB " OR " IS_TK
	" UNION ALL "
	SEL_PERSON("'license:' || COALESCE(l.license_no, '')",
		   "'持有存续营业执照 ' || COALESCE(l.license_no, '') || '（' || " CAT_ZH " || '）'")
	" FROM lic JOIN feed_license l ON l.batch_id = lic.id" MEMBER_OF("l.id_key")
	" WHERE l.status = '存续' AND (" IS_DB " OR " IS_TK ")";

static const char w12[] =
	DEATHS CAND_INS SEL_PERSON("d.died", "'有劳动能力的成员（' || m.labor || '）死亡，死亡日期 ' || d.died")
	" FROM d" MEMBER_OF("d.id_key")
	" WHERE d.died <= :last AND m.labor IN ('普通劳动力', '技能劳动力', '弱劳动力或半劳动力')"
	" AND NOT (" CURRENT " AND ((h.category_bits & 3) <> 0 OR EXISTS (SELECT 1 FROM members x"
	" WHERE x.household_id = h.id AND x.left_on IS NULL"
	" AND (COALESCE(x.is_dibao, 0) = 1 OR COALESCE(x.is_tekun, 0) = 1))))";

static const char w13[] =
	"WITH " BATCH("cur", "unemployment", ":month") ", " BATCH("prv", "unemployment", ":prev") " "
	CAND_INS SEL_PERSON("COALESCE(u.reg_date, :month)",
			    "'新登记失业' || COALESCE('，登记日期 ' || u.reg_date, '')")
	" FROM cur CROSS JOIN prv JOIN feed_unemployment u ON u.batch_id = cur.id" MEMBER_OF("u.id_key")
	" WHERE " BIRTH("m") " <= :born_16 AND " BIRTH("m") " > :born_60"
	" AND NOT EXISTS (SELECT 1 FROM feed_unemployment q WHERE q.batch_id = prv.id"
	" AND q.id_key = u.id_key)";

static const char w14[] =
	"WITH " BATCH("cur", "disaster", ":month") ", t AS (SELECT x.household_id AS hid,"
	" SUM(COALESCE(f.loss, 0)) AS total FROM cur JOIN feed_disaster f ON f.batch_id = cur.id"
	" JOIN members x ON x.id_key = f.id_key AND x.left_on IS NULL GROUP BY x.household_id"
	" HAVING SUM(COALESCE(f.loss, 0)) > :threshold) "
	CAND_INS SEL_HOUSEHOLD(":month || ':' || t.total",
			       ":month || ' 家庭自然灾害损失合计 ' || " YUAN("t.total") " || ' 元'")
	" FROM t JOIN households h ON h.id = t.hid" HEAD_JOIN;

static const char w15[] =
	CAND_INS SEL_HOUSEHOLD("COALESCE(h.housing_unsafe, 0) || COALESCE(h.dropout, 0) ||"
			       " COALESCE(h.water_unsafe, 0) || COALESCE(h.uninsured, 0)",
			       "substr(CASE WHEN h.housing_unsafe = 1 THEN '、住房安全问题' ELSE '' END ||"
			       " CASE WHEN h.dropout = 1 THEN '、义务教育阶段失学辍学' ELSE '' END ||"
			       " CASE WHEN h.water_unsafe = 1 THEN '、饮水安全问题' ELSE '' END ||"
			       " CASE WHEN h.uninsured = 1 THEN '、有成员未参加基本医疗保险' ELSE '' END, 2)")
	" FROM households h" HEAD_JOIN
	" WHERE h.housing_unsafe = 1 OR h.dropout = 1 OR h.water_unsafe = 1 OR h.uninsured = 1";

static const char w16[] =
	/*
	 * An ID held by two current members is an ID with two rows in members:
	 * k walks the (id_key) index in key order - narrow, covering, no sort -
	 * and only its few keys are looked at row by row.  (Grouping the table
	 * by id_key sorted all of it: 28-40 s of the 10 M-person run.)  The
	 * check-digit part reads the partial index members_bad_id (warn-3).
	 */
	"WITH k AS (SELECT id_key FROM members GROUP BY id_key HAVING COUNT(*) > 1),"
	" dup AS (SELECT k.id_key, COUNT(DISTINCT x.household_id) AS n FROM k CROSS JOIN members x"
	" ON x.id_key = k.id_key AND x.left_on IS NULL GROUP BY k.id_key HAVING n > 1) "
	CAND_INS SEL_PERSON("'dup'", "'同一身份证号登记在 ' || dup.n || ' 户'")
	" FROM dup CROSS" MEMBER_OF("dup.id_key")
	" UNION ALL "
	SEL_PERSON("'check'", "'身份证号校验位错误'")
	" FROM members m JOIN households h ON h.id = m.household_id"
	" WHERE m.id_valid = 0 AND m.left_on IS NULL";

static const char w17[] =
	/*
	 * b: households of a category with a base date; s: the period, for those
	 * that can be overdue at all - dd_add_months grows with n, so a household
	 * not overdue after the shorter period is not overdue after either, and
	 * the per-member EXISTS (a DB household's period) is asked only for the
	 * few left (at 10 M persons 1 M of 3.2 M households).  s is MATERIALIZED:
	 * flattened, SQLite copied the period's EXISTS into every place `period`
	 * is used, up to four times per household.
	 */
	"WITH b AS (SELECT h.id AS hid, h.category_bits AS bits,"
	" CASE WHEN h.recognized_on IS NULL OR r.last > h.recognized_on"
	" THEN r.last ELSE h.recognized_on END AS base"
	" FROM households h LEFT JOIN (SELECT household_id, MAX(done_on) AS last FROM rechecks"
	" WHERE done_on IS NOT NULL GROUP BY household_id) r ON r.household_id = h.id"
	" WHERE (h.category_bits & 15) <> 0 AND (h.recognized_on IS NOT NULL OR r.last IS NOT NULL)"
	" AND " CURRENT "),"
	" s AS MATERIALIZED (SELECT hid, base, CASE WHEN (bits & 2) <> 0 AND EXISTS (SELECT 1"
	" FROM members x WHERE x.household_id = b.hid AND " NOT_KEY_PERSON("x") " AND x.left_on IS NULL)"
	" THEN :other ELSE :stable END AS period FROM b"
	" WHERE dd_add_months(base, MIN(:other, :stable)) < :first),"
	" t AS (SELECT hid, base, period, dd_add_months(base, period) AS due FROM s) "
	CAND_INS SEL_HOUSEHOLD("t.due", "'应于 ' || t.due || ' 前复核（每 ' || t.period ||"
			       " ' 个月一次，自 ' || t.base || ' 起算）'")
	" FROM t JOIN households h ON h.id = t.hid" HEAD_JOIN " WHERE t.due < :first";

static const char w18[] =
	"WITH " BATCH("cur", "kin", ":month") " "
	CAND_INS SEL_PERSON("COALESCE(k.cadre_name, '') || '|' || COALESCE(k.post, '') || '|' ||"
			    " COALESCE(k.relation, '')",
			    "'系' || COALESCE(k.post, '干部') || ' ' || COALESCE(k.cadre_name, '') || ' 的' ||"
			    " COALESCE(k.relation, '近亲属') || '，享受' || " CAT_ZH " || '，未备案'")
	" FROM cur JOIN feed_kin k ON k.batch_id = cur.id" MEMBER_OF("k.id_key")
	" WHERE k.filed = 0 AND " ASSISTED;

/* What a rule's statement reads that the run prepares once for two rules. */
typedef enum { PREP_NONE, PREP_MED_SUM, PREP_DISABILITY } rule_prep;

static const struct {
	const char *rule;
	const char *sql;
	rule_prep prep;       /* temp.med_sum, temp.dis_rows */
} rule_sql[] = {
	{ "W01", w01, PREP_MED_SUM }, { "W02", w02, PREP_MED_SUM }, { "W03", w03, PREP_DISABILITY },
	{ "W04", w04, PREP_DISABILITY }, { "W05", w05, PREP_NONE }, { "W06", w06, PREP_NONE },
	{ "W07", w07, PREP_NONE }, { "W08", w08, PREP_NONE }, { "W09", w09, PREP_NONE },
	{ "W10", w10, PREP_NONE }, { "W11", w11, PREP_NONE }, { "W12", w12, PREP_NONE },
	{ "W13", w13, PREP_NONE }, { "W14", w14, PREP_NONE }, { "W15", w15, PREP_NONE },
	{ "W16", w16, PREP_NONE }, { "W17", w17, PREP_NONE }, { "W18", w18, PREP_NONE },
};

/* ---- SQL functions the rules and views use ---- */

/* dd_id_text(id_key): the 18-character ID of a packed key. */
static void fn_id_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char id[19];

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
		sqlite3_result_null(ctx);
		return;
	}
	dd_id_unkey((uint64_t)sqlite3_value_int64(argv[0]), id);
	sqlite3_result_text(ctx, id, -1, SQLITE_TRANSIENT);
}

/* dd_add_months('YYYY-MM-DD', n): same day n months later, or that month's last day. */
static void fn_add_months(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	dd_date d;
	char out[11];

	(void)argc;
	if (!t || sqlite3_value_type(argv[1]) != SQLITE_INTEGER ||
	    dd_date_parse(t, strlen(t), &d) != DD_OK) {
		sqlite3_result_null(ctx);
		return;
	}
	dd_date_format(dd_date_add_months(d, sqlite3_value_int(argv[1])), out);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int sq_warn_sql(sqlite3 *db, char **msg, const sqlite3_api_routines *api)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int rc = sqlite3_create_function(db, "dd_id_text", 1, flags, NULL, fn_id_text, NULL, NULL);

	(void)msg, (void)api;
	return rc ? rc : sqlite3_create_function(db, "dd_add_months", 2, flags, NULL, fn_add_months,
						 NULL, NULL);
}

/* ---- a run ---- */

dd_rc sq_compare_begin(dd_store *st, const char *user, const char *month, int64_t *run_id,
		       dd_err *err)
{
	static const char ins[] =
		"INSERT INTO compare_runs (month, username, started_at) VALUES (?1, ?2, ?3)";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc;

	*run_id = 0;
	/* Temp: private to this connection, and rolled back with the run. */
	rc = sq_exec(s, "CREATE TEMP TABLE IF NOT EXISTS cand (subject TEXT NOT NULL,"
			     " fingerprint TEXT NOT NULL, id_key BIGINT, id_number TEXT, name TEXT,"
			     " household_id INTEGER, household_no TEXT, region_code TEXT,"
			     " evidence TEXT NOT NULL);"
			     "CREATE TEMP TABLE IF NOT EXISTS med_sum (id_key INTEGER PRIMARY KEY, name TEXT,"
			     " total INTEGER NOT NULL);"
			     "CREATE TEMP TABLE IF NOT EXISTS med_sum_done (threshold INTEGER NOT NULL);"
			     "CREATE TEMP TABLE IF NOT EXISTS dis_rows (id_key BIGINT, id_number TEXT, name TEXT,"
			     " household_id INTEGER, household_no TEXT, region_code TEXT, disability_type TEXT,"
			     " disability_grade INTEGER, is_db INTEGER NOT NULL, is_tk INTEGER NOT NULL);"
			     "CREATE TEMP TABLE IF NOT EXISTS dis_done (done INTEGER);"
			     "DELETE FROM temp.med_sum; DELETE FROM temp.med_sum_done;"
			     "DELETE FROM temp.dis_rows; DELETE FROM temp.dis_done", err);
	/* The rules look up members and households at random: mapped pages save a
	 * pread copy of each (W10 at 10 M persons 3.5 -> 2.7 s). */
	if (rc == DD_OK)
		rc = sq_exec(s, sq_mmap_all, err);
	if (rc == DD_OK)
		rc = sq_stmt(s, ins, &q, err);
	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, month);
	sq_bind_text(q, 2, user);
	sq_bind_text(q, 3, sq_now(s));
	rc = sq_run(s, q, err);
	if (rc == DD_OK)
		*run_id = sqlite3_last_insert_rowid(sq_db(s));
	return rc;
}

dd_rc sq_compare_end(dd_store *st, int64_t run_id, dd_err *err)
{
	static const char upd[] = "UPDATE compare_runs SET finished_at = ?1 WHERE id = ?2";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc;

	sq_compare_stop(s);
	if ((rc = sq_stmt(s, upd, &q, err)) != DD_OK)
		return rc;
	sq_bind_text(q, 1, sq_now(s));
	sqlite3_bind_int64(q, 2, run_id);
	return sq_run(s, q, err);
}

/* Binds every named parameter the statement has from the run month and the rule. */
static void bind_named(sqlite3_stmt *q, const dd_compare_month *m, dd_fen threshold)
{
	const struct {
		const char *name;
		const char *text;
		int64_t num;
	} p[] = {
		{ ":month", m->month, 0 }, { ":prev", m->prev, 0 }, { ":first", m->first, 0 },
		{ ":last", m->last, 0 }, { ":year", NULL, m->year }, { ":threshold", NULL, threshold },
		{ ":born_16", m->born_16, 0 }, { ":born_60", m->born_60, 0 },
		{ ":born_old", m->born_old, 0 }, { ":born_minor", m->born_minor, 0 },
		{ ":stable", NULL, m->recheck_stable }, { ":other", NULL, m->recheck_other },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(p); i++) {
		int ix = sqlite3_bind_parameter_index(q, p[i].name);
		if (!ix)
			continue;
		if (p[i].text)
			sqlite3_bind_text(q, ix, p[i].text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(q, ix, p[i].num);
	}
}

/*
 * What a county rule may read: the documented views, and under them only the
 * (table, column) pairs the views themselves read - collected by preparing
 * each view under record_reads.  So a CTE that borrows a view's name to read
 * a registry table directly still gets no column a view does not expose.
 */
typedef struct reads {
	char v[256][64];                /* "table.column" */
	size_t n;
	bool full;
} reads;

static bool reads_has(const reads *r, const char *table, const char *col)
{
	char k[64];
	snprintf(k, sizeof k, "%s.%s", table, col);
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i], k))
			return true;
	return false;
}

/* (table, col) is allowed; an empty col: some column of the table is. */
static bool reads_table(const reads *r, const char *table, const char *col)
{
	size_t n = strlen(table);
	if (*col)
		return reads_has(r, table, col);
	for (size_t i = 0; i < r->n; i++)
		if (!strncmp(r->v[i], table, n) && r->v[i][n] == '.')
			return true;
	return false;
}

static int record_reads(void *arg, int action, const char *a, const char *b, const char *db,
			const char *via)
{
	reads *r = arg;
	(void)db, (void)via;
	if (action == SQLITE_READ && a && b && !reads_has(r, a, b)) {
		if (r->n == DD_ARRAY_LEN(r->v))
			r->full = true;
		else
			snprintf(r->v[r->n++], sizeof r->v[0], "%s.%s", a, b);
	}
	return SQLITE_OK;
}

static bool is_county_view(const char *name)
{
	for (size_t i = 0; name && i < DD_ARRAY_LEN(county_views); i++)
		if (!strcmp(name, county_views[i]))
			return true;
	return false;
}

/* Selecting, calling functions and reading what `reads` allows is all a county rule may do. */
static int rule_authorize(void *arg, int action, const char *a, const char *b, const char *db,
			  const char *via)
{
	(void)db;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_READ:
		/* An empty column: the table is joined but none of its values is read
		 * (SQLite reports that without the view's name); a row count at most. */
		if (is_county_view(a) || (a && b && (via || !*b) && reads_table(arg, a, b)))
			return SQLITE_OK;
		return SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

/* Fills r with the columns the documented views read. */
static dd_rc view_reads(sq *s, reads *r, dd_err *err)
{
	sqlite3 *db = sq_db(s);
	dd_rc rc = DD_OK;

	r->n = 0;
	r->full = false;
	sqlite3_set_authorizer(db, record_reads, r);
	for (size_t i = 0; i < DD_ARRAY_LEN(county_views) && rc == DD_OK; i++) {
		char sql[64];
		sqlite3_stmt *q = NULL;
		snprintf(sql, sizeof sql, "SELECT * FROM %s", county_views[i]);
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
			rc = sq_fail(s, err);
		sqlite3_finalize(q);
	}
	sqlite3_set_authorizer(db, NULL, NULL);
	if (rc == DD_OK && r->full)
		rc = dd_err_set(err, DD_ERR_INTERNAL, "视图读取的列太多");
	return rc;
}

/* Prepares a county rule's SQL under rule_authorize.  The caller finalizes *q. */
static dd_rc rule_prepare(sq *s, const char *sql, sqlite3_stmt **q, dd_err *err)
{
	sqlite3 *db = sq_db(s);
	const char *tail = NULL;
	reads *allowed = malloc(sizeof *allowed);
	dd_rc rc = allowed ? view_reads(s, allowed, err) : dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	int r = SQLITE_OK;

	*q = NULL;
	if (rc != DD_OK)
		goto done;
	sqlite3_set_authorizer(db, rule_authorize, allowed);
	r = sqlite3_prepare_v2(db, sql, -1, q, &tail);
	sqlite3_set_authorizer(db, NULL, NULL);
	if (r != SQLITE_OK) {
		rc = dd_err_set(err, DD_ERR_INPUT, "规则 SQL 无效或访问了未公开的表（只能查询 v_persons、"
				"v_households 和 v_feed_* 视图）：%s", sqlite3_errmsg(db));
	} else if (!*q) {
		rc = dd_err_set(err, DD_ERR_INPUT, "规则 SQL 为空");
	} else if (tail && tail[strspn(tail, " \t\r\n")]) {
		rc = dd_err_set(err, DD_ERR_INPUT, "规则 SQL 只能是一条 SELECT 语句");
	} else if (!sqlite3_stmt_readonly(*q) || sqlite3_column_count(*q) != 3) {
		rc = dd_err_set(err, DD_ERR_INPUT, "规则 SQL 必须是只读的 SELECT，且恰好返回三列："
				"id_number, household_no, evidence");
	}
done:
	if (rc != DD_OK) {
		sqlite3_finalize(*q);
		*q = NULL;
	}
	free(allowed);
	return rc;
}

dd_rc sq_rule_check(dd_store *st, const char *sql, dd_err *err)
{
	sq *s = sq_of(st);
	sqlite3_stmt *q = NULL;
	dd_rc rc = rule_prepare(s, sql, &q, err);

	sqlite3_finalize(q);
	return rc;
}

/* Text of column i, NULL for NULL or empty. */
static const char *col_text(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	return t && *t ? t : NULL;
}

/*
 * Runs a county rule into temp.cand: each row (id_number, household_no,
 * evidence) names a person by a valid ID; with a household_no, that
 * household (which must exist), without one a person outside any household.
 * Rows naming no valid ID or an unknown household are skipped and counted
 * in *skipped.  The evidence is the fingerprint.
 */
static dd_rc county_rule(sq *s, const char *sql, const dd_compare_month *m, int64_t *skipped,
			 dd_err *err)
{
	static const char find[] =
		"SELECT h.id, h.region_code, x.name FROM households h LEFT JOIN members x"
		" ON x.household_id = h.id AND x.id_key = ?2 AND x.left_on IS NULL"
		" WHERE h.household_no = ?1";
	sqlite3_stmt *q = NULL, *f, *c;
	dd_rc rc = rule_prepare(s, sql, &q, err);

	*skipped = 0;
	if (rc == DD_OK)
		rc = sq_stmt(s, find, &f, err);
	if (rc == DD_OK)
		rc = sq_stmt(s, cand_put, &c, err);
	if (rc != DD_OK)
		goto done;
	bind_named(q, m, -1);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		const char *idt = col_text(q, 0), *no = col_text(q, 1), *ev = col_text(q, 2);
		char subject[64];
		dd_id id;

		if (!idt || !ev || dd_id_parse(idt, strlen(idt), &id) != DD_ID_OK) {
			(*skipped)++;
			continue;
		}
		snprintf(subject, sizeof subject, "P%lld", (long long)id.key);
		sqlite3_bind_int64(c, 3, (sqlite3_int64)id.key);
		sqlite3_bind_text(c, 4, id.text, -1, SQLITE_STATIC);
		if (no) {
			sq_bind_text(f, 1, no);
			sqlite3_bind_int64(f, 2, (sqlite3_int64)id.key);
			rc = sq_step(s, f, err);
			if (rc == DD_DONE) {
				sqlite3_reset(f);
				(*skipped)++;
				continue;
			}
			if (rc != DD_OK)
				break;
			size_t n = strlen(subject);
			snprintf(subject + n, sizeof subject - n, "@H%lld",
				 (long long)sqlite3_column_int64(f, 0));
			sqlite3_bind_value(c, 5, sqlite3_column_value(f, 2));
			sqlite3_bind_int64(c, 6, sqlite3_column_int64(f, 0));
			sqlite3_bind_value(c, 8, sqlite3_column_value(f, 1));
		} else {
			sqlite3_bind_null(c, 5);
			sqlite3_bind_null(c, 6);
			sqlite3_bind_null(c, 8);
		}
		sqlite3_bind_text(c, 1, subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 2, ev, -1, SQLITE_STATIC);
		sq_bind_text(c, 7, no);
		sqlite3_bind_text(c, 9, ev, -1, SQLITE_STATIC);
		rc = sq_run(s, c, err);
		sqlite3_reset(f);
		if (rc != DD_OK)
			break;
	}
	if (rc == DD_DONE)
		rc = DD_OK;
done:
	sqlite3_finalize(q);
	return rc;
}

static const char *builtin_sql(const char *rule, rule_prep *prep)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(rule_sql); i++)
		if (!strcmp(rule_sql[i].rule, rule)) {
			*prep = rule_sql[i].prep;
			return rule_sql[i].sql;
		}
	return NULL;
}

/* Runs one statement with the named parameters bound, and resets it. */
static dd_rc run_named(sq *s, const char *sql, const dd_compare_month *m, dd_fen threshold,
		       dd_err *err)
{
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	bind_named(q, m, threshold);
	rc = sq_run(s, q, err);
	sqlite3_clear_bindings(q);
	return rc;
}

/* One row of med_sum_rows, then one person's running total; name in the arena. */
typedef struct med_row {
	int64_t id_key, total;
	const char *name;
} med_row;

/* Rows [at, end) of medical_fill's array, in increasing id_key (a batch's, as its index gives them). */
typedef struct med_run {
	size_t at, end;
} med_run;

/* p (elements of `size` bytes, *cap of them) with room for one more than n: p, grown, or NULL (p kept). */
static void *room(void *p, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? 2 * *cap : 4096;
	if (n < *cap)
		return p;
	if ((p = realloc(p, c * size)))
		*cap = c;
	return p;
}

/* Sifts run i of the min-heap h[0..n) down, by the id_key each run is at. */
static void heap_down(med_run *h, size_t n, size_t i, const med_row *rows)
{
	for (;;) {
		size_t l = 2 * i + 1, min = i;
		if (l < n && rows[h[l].at].id_key < rows[h[min].at].id_key)
			min = l;
		if (l + 1 < n && rows[h[l + 1].at].id_key < rows[h[min].at].id_key)
			min = l + 1;
		if (min == i)
			return;
		med_run t = h[i];
		h[i] = h[min];
		h[min] = t;
		i = min;
	}
}

/* Inserts one person's total into temp.med_sum when it is above `threshold`. */
static dd_rc med_put(sq *s, sqlite3_stmt *q, const med_row *p, dd_fen threshold, dd_err *err)
{
	if (p->total <= threshold)
		return DD_OK;
	sqlite3_bind_int64(q, 1, p->id_key);
	sq_bind_text(q, 2, p->name);
	sqlite3_bind_int64(q, 3, p->total);
	return sq_run(s, q, err);
}

/*
 * Reads the year's hospital sums from the segments' hosp column (decoded
 * here: a virtual table row costs more than decoding the entry) and inserts
 * each person's total above `threshold` into temp.med_sum.  The rows come
 * as one run sorted by id_key per batch, so
 * they are kept as read and the runs merged (a heap of runs): each person's
 * rows arrive together, summed in order.  A hash map from id_key to a running
 * total cost three cache misses a row: a third of W01 at 10 M persons.
 * Rows in any other order only make more, shorter runs (still correct).
 */
static dd_rc medical_fill(sq *s, const dd_compare_month *m, dd_fen threshold, dd_err *err)
{
	static const char put[] = "INSERT INTO temp.med_sum (id_key, name, total) VALUES (?1, ?2, ?3)";
	dd_arena names;
	med_row *rows = NULL, cur = { 0 };
	med_run *runs = NULL;
	size_t n = 0, cap = 0, nruns = 0, rcap = 0;
	bool have = false;
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, med_sum_rows, &q, err);

	dd_arena_init(&names, 1 << 20);
	if (rc != DD_OK)
		goto done;
	bind_named(q, m, threshold);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		dd_medseg_dec d;
		dd_medrow r;
		dd_medseg_dec_init(&d, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
		while ((rc = dd_medseg_dec_next(&d, &r)) == DD_OK) {
			if (r.year != m->year || r.hosp_fen <= 0)
				continue;
			bool run = !n || (int64_t)r.id_key <= rows[n - 1].id_key;
			med_row *g = room(rows, &cap, n, sizeof *rows);
			med_run *h = g && run ? room(runs, &rcap, nruns, sizeof *runs) : runs;
			rows = g ? g : rows;
			runs = h ? h : runs;
			if (!g || !h)
				break;
			if (run)
				runs[nruns++] = (med_run){ n, n };
			rows[n] = (med_row){ (int64_t)r.id_key, r.hosp_fen, NULL };
			if (r.name && !(rows[n].name = dd_arena_strndup(&names, r.name, r.name_len)))
				break;
			runs[nruns - 1].end = ++n;
		}
		if (rc == DD_OK)
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		else if (rc != DD_DONE)
			rc = dd_err_set(err, DD_ERR_STORE, "医保数据段已损坏，无法读取");
		if (rc != DD_DONE)
			break;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == DD_DONE)
		rc = sq_stmt(s, put, &q, err);
	for (size_t i = nruns / 2; rc == DD_OK && i-- > 0;)
		heap_down(runs, nruns, i, rows);
	while (rc == DD_OK && nruns) {
		const med_row *r = &rows[runs[0].at];
		if (have && r->id_key != cur.id_key) {
			rc = med_put(s, q, &cur, threshold, err);
			have = false;
		}
		if (rc != DD_OK)
			break;
		if (!have) {
			cur = *r;
			have = true;
		} else if (__builtin_add_overflow(cur.total, r->total, &cur.total)) {
			rc = dd_err_set(err, DD_ERR_STORE, "住院自付合计溢出");
			break;
		} else if (r->name && (!cur.name || strcmp(r->name, cur.name) < 0)) {
			/* MIN(name): the smallest non-NULL name in byte order, as SQLite's BINARY collation */
			cur.name = r->name;
		}
		if (++runs[0].at == runs[0].end)
			runs[0] = runs[--nruns];
		heap_down(runs, nruns, 0, rows);
	}
	if (rc == DD_OK && have)
		rc = med_put(s, q, &cur, threshold, err);
done:
	free(rows);
	free(runs);
	dd_arena_release(&names);
	return rc;
}

/* Makes temp.med_sum hold (at least) the run's sums above `threshold` (see med_sum_rows). */
static dd_rc medical_sums(sq *s, const dd_compare_month *m, dd_fen threshold, dd_err *err)
{
	static const char done[] = "SELECT threshold FROM temp.med_sum_done";
	static const char mark[] = "INSERT INTO temp.med_sum_done (threshold) VALUES (:threshold)";
	sqlite3_stmt *q = NULL;
	dd_rc rc = sq_stmt(s, done, &q, err);

	if (rc == DD_OK && (rc = sq_step(s, q, err)) == DD_OK && sqlite3_column_int64(q, 0) > threshold)
		rc = DD_DONE;
	if (q)
		sqlite3_reset(q);
	if (rc == DD_DONE)
		rc = sq_exec(s, "DELETE FROM temp.med_sum; DELETE FROM temp.med_sum_done", err);
	else
		return rc;
	if (rc == DD_OK)
		rc = medical_fill(s, m, threshold, err);
	return rc == DD_OK ? run_named(s, mark, m, threshold, err) : rc;
}

/* Makes temp.dis_rows hold the run's severe disability cases (see dis_rows), once per run. */
static dd_rc disability_fill(sq *s, const dd_compare_month *m, dd_err *err)
{
	static const char done[] = "SELECT 1 FROM temp.dis_done";
	static const char mark[] = "INSERT INTO temp.dis_done (done) VALUES (1)";
	sqlite3_stmt *q = NULL;
	dd_rc rc = sq_stmt(s, done, &q, err);

	if (rc == DD_OK)
		rc = sq_step(s, q, err);
	if (q)
		sqlite3_reset(q);
	if (rc != DD_DONE)
		return rc;      /* filled already (DD_OK), or an error */
	rc = run_named(s, dis_rows, m, -1, err);
	return rc == DD_OK ? run_named(s, mark, m, -1, err) : rc;
}

/* ---- candidates worked out ahead, on a second connection (dd_store_compare_ahead) ---- */

/*
 * A rule that reads only the registry and the feeds - a built-in rule with no
 * table of the run (temp.med_sum, temp.dis_rows) - can run on a second,
 * read-only connection and thread while the main connection runs the other
 * rules and the merges.  The worker steps each such rule's SELECT (its
 * statement without CAND_INS) and keeps the rows, encoded, until
 * sq_compare_rule of that rule copies them into temp.cand and merges them
 * as always, in the caller's order.  The main connection holds the write
 * lock from the run's BEGIN IMMEDIATE on, so nothing can commit in between:
 * both connections read the same registry and feeds.
 */
typedef struct ahead_rule {
	char id[8];               /* a built-in rule's */
	dd_fen threshold;
	char *sql;                /* the rule's SELECT */
	dd_buf rows;              /* the rows, CAND_COLS values each (put_value) */
	size_t n;
	int64_t us;               /* the worker's time for it */
	dd_rc rc;
	dd_err err;
	bool done;                /* under mu: rows, n, us, rc and err are final */
	bool taken;               /* by sq_compare_rule: a second call runs the rule itself */
} ahead_rule;

struct sq_ahead {
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t done;
	atomic_bool stop;         /* read by the worker's progress handler */
	dd_compare_month m;
	ahead_rule *r;
	size_t n;
};

#define CAND_COLS 9           /* the columns of CAND_INS */
enum { V_NULL, V_INT, V_REAL, V_TEXT };

/* Appends column i of q: a type byte, then 8 bytes of number or a 4-byte length and the text. */
static dd_rc put_value(dd_buf *b, sqlite3_stmt *q, int i)
{
	unsigned char t = V_TEXT;
	int64_t v = 0;
	double d = 0;
	const unsigned char *p = NULL;
	uint32_t len = 0;
	dd_rc rc;

	switch (sqlite3_column_type(q, i)) {
	case SQLITE_NULL:
		t = V_NULL;
		break;
	case SQLITE_INTEGER:
		t = V_INT;
		v = sqlite3_column_int64(q, i);
		break;
	case SQLITE_FLOAT:
		t = V_REAL;
		d = sqlite3_column_double(q, i);
		break;
	default:
		p = sqlite3_column_text(q, i);
		len = (uint32_t)sqlite3_column_bytes(q, i);
	}
	rc = dd_buf_append(b, &t, 1);
	if (rc == DD_OK && t == V_INT)
		rc = dd_buf_append(b, &v, sizeof v);
	else if (rc == DD_OK && t == V_REAL)
		rc = dd_buf_append(b, &d, sizeof d);
	else if (rc == DD_OK && t == V_TEXT && (rc = dd_buf_append(b, &len, sizeof len)) == DD_OK && len)
		rc = dd_buf_append(b, p, len);
	return rc;
}

/* Binds the value at *p (put_value) as parameter i of q and moves *p past it; text stays in place. */
static void bind_value(sqlite3_stmt *q, int i, const char **p)
{
	unsigned char t = (unsigned char)*(*p)++;
	int64_t v;
	double d;
	uint32_t len;

	switch (t) {
	case V_NULL:
		sqlite3_bind_null(q, i);
		break;
	case V_INT:
		memcpy(&v, *p, sizeof v);
		*p += sizeof v;
		sqlite3_bind_int64(q, i, v);
		break;
	case V_REAL:
		memcpy(&d, *p, sizeof d);
		*p += sizeof d;
		sqlite3_bind_double(q, i, d);
		break;
	default:
		memcpy(&len, *p, sizeof len);
		*p += sizeof len;
		sqlite3_bind_text(q, i, *p, (int)len, SQLITE_STATIC);
		*p += len;
	}
}

/* The worker's statement: the rule's rows into r->rows. */
static dd_rc ahead_rows(sq_ahead *a, ahead_rule *r)
{
	sqlite3_stmt *q = NULL;
	int x = sqlite3_prepare_v2(a->db, r->sql, -1, &q, NULL);
	dd_rc rc = DD_OK;

	if (x == SQLITE_OK) {
		bind_named(q, &a->m, r->threshold);
		while (rc == DD_OK && (x = sqlite3_step(q)) == SQLITE_ROW) {
			for (int i = 0; i < CAND_COLS && rc == DD_OK; i++)
				rc = put_value(&r->rows, q, i);
			r->n++;
		}
	}
	if (rc != DD_OK)
		rc = dd_err_set(&r->err, DD_ERR_NOMEM, "内存不足");
	else if (x != SQLITE_DONE && x != SQLITE_OK)
		rc = dd_err_set(&r->err, DD_ERR_STORE, "数据库错误：%s", sqlite3_errmsg(a->db));
	sqlite3_finalize(q);
	return rc;
}

static void *ahead_main(void *arg)
{
	sq_ahead *a = arg;

	for (size_t i = 0; i < a->n && !atomic_load(&a->stop); i++) {
		ahead_rule *r = &a->r[i];
		int64_t t0 = dd_clock_us();
		dd_rc rc = ahead_rows(a, r);
		pthread_mutex_lock(&a->mu);
		r->rc = rc;
		r->us = dd_clock_us() - t0;
		r->done = true;
		pthread_cond_broadcast(&a->done);
		pthread_mutex_unlock(&a->mu);
	}
	return NULL;
}

/* Stops the worker at its next progress check (sq_compare_stop). */
static int ahead_stopped(void *arg)
{
	return atomic_load(&((sq_ahead *)arg)->stop);
}

static void ahead_free(sq_ahead *a)
{
	sqlite3_close(a->db);
	for (size_t i = 0; i < a->n; i++) {
		free(a->r[i].sql);
		dd_buf_release(&a->r[i].rows);
	}
	free(a->r);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->done);
	free(a);
}

void sq_compare_stop(sq *s)
{
	sq_ahead *a = *sq_ahead_of(s);

	if (!a)
		return;
	*sq_ahead_of(s) = NULL;
	atomic_store(&a->stop, true);
	pthread_join(a->thread, NULL);
	ahead_free(a);
}

/*
 * The second connection: read-only, with the rules' functions, reading
 * through mapped pages - its rules are the ones that look members and
 * households up at random and scan them.  The main connection stops mapping
 * (it keeps its page cache): a second mapping of the file would count again
 * in the process's resident memory (4.8 GB at 10 M persons).
 */
static dd_rc ahead_open(sq *s, sq_ahead *a, dd_err *err)
{
	const char *path = sqlite3_db_filename(sq_db(s), "main");
	dd_rc rc = sq_exec(s, "PRAGMA mmap_size = 0", err);

	if (rc != DD_OK)
		return rc;
	if (sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(a->db, sq_mmap_all, NULL, NULL, NULL) != SQLITE_OK)
		return dd_err_set(err, DD_ERR_STORE, "数据库错误：%s",
				  a->db ? sqlite3_errmsg(a->db) : "out of memory");
	sqlite3_busy_timeout(a->db, 10000);
	sqlite3_progress_handler(a->db, 10000, ahead_stopped, a);
	return DD_OK;
}

dd_rc sq_compare_ahead(dd_store *st, const dd_compare_month *m, const dd_rule_spec *rules, size_t n,
		       dd_err *err)
{
	sq *s = sq_of(st);
	const char *path = sqlite3_db_filename(sq_db(s), "main");
	sq_ahead *a;
	dd_rc rc = DD_OK;

	sq_compare_stop(s);
	if (!path || !*path)
		return DD_OK;   /* an in-memory database has no second connection */
	if (!(a = calloc(1, sizeof *a)) || !(a->r = calloc(n ? n : 1, sizeof *a->r))) {
		free(a);
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	}
	a->m = *m;
	atomic_init(&a->stop, false);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->done, NULL);
	for (size_t i = 0; i < n && rc == DD_OK; i++) {
		rule_prep prep = PREP_NONE;
		const char *sql = rules[i].sql ? NULL : builtin_sql(rules[i].id, &prep);
		const char *ins = sql ? strstr(sql, CAND_INS) : NULL;
		ahead_rule *r = &a->r[a->n];
		if (!ins || prep != PREP_NONE)
			continue;
		if (!(r->sql = malloc(strlen(sql) - strlen(CAND_INS) + 1))) {
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
			break;
		}
		memcpy(r->sql, sql, (size_t)(ins - sql));
		strcpy(r->sql + (ins - sql), ins + strlen(CAND_INS));
		snprintf(r->id, sizeof r->id, "%s", rules[i].id);
		r->threshold = rules[i].threshold;
		dd_buf_init(&r->rows, 0);
		a->n++;
	}
	if (rc == DD_OK && a->n)
		rc = ahead_open(s, a, err);
	if (rc == DD_OK && a->n && pthread_create(&a->thread, NULL, ahead_main, a) != 0)
		rc = dd_err_set(err, DD_ERR_INTERNAL, "无法启动比对线程");
	if (rc != DD_OK || !a->n) {
		ahead_free(a);
		return rc;
	}
	*sq_ahead_of(s) = a;
	return DD_OK;
}

/*
 * Fills temp.cand with the rows the worker found for the rule, waiting for
 * them if need be (*us: the worker's time); *taken is false, and nothing
 * done, when the rule was not handed to it.
 */
static dd_rc ahead_take(sq *s, const dd_rule_spec *spec, bool *taken, int64_t *us, dd_err *err)
{
	sq_ahead *a = *sq_ahead_of(s);
	ahead_rule *r = NULL;
	sqlite3_stmt *q;
	dd_rc rc;

	*taken = false;
	for (size_t i = 0; a && !spec->sql && i < a->n && !r; i++)
		if (!a->r[i].taken && !strcmp(a->r[i].id, spec->id) && a->r[i].threshold == spec->threshold)
			r = &a->r[i];
	if (!r)
		return DD_OK;
	*taken = r->taken = true;
	pthread_mutex_lock(&a->mu);
	while (!r->done)
		pthread_cond_wait(&a->done, &a->mu);
	pthread_mutex_unlock(&a->mu);
	*us = r->us;
	if (r->rc != DD_OK) {
		*err = r->err;
		return r->rc;
	}
	if ((rc = sq_stmt(s, cand_put, &q, err)) == DD_OK) {
		const char *p = r->rows.data;
		for (size_t i = 0; rc == DD_OK && i < r->n; i++) {
			for (int c = 0; c < CAND_COLS; c++)
				bind_value(q, c + 1, &p);
			rc = sq_run(s, q, err);
		}
		sqlite3_clear_bindings(q);   /* the text was the buffer's */
	}
	dd_buf_release(&r->rows);
	return rc;
}

/*
 * The merge: candidates c whose (rule, subject, fingerprint) has no warning
 * that still counts become new warnings, written in the list's order.
 */
#define MERGE(from)                                                                              \
	"INSERT INTO warnings (rule, level, month, id_key, id_number, name, household_id,"       \
	" household_no, region_code, subject, fingerprint, evidence, status, created_at, run_id,"\
	" scope)"                                                                                \
	" SELECT ?1, ?2, ?3, c.id_key, c.id_number, c.name, c.household_id, c.household_no,"     \
	" c.region_code, c.subject, c.fingerprint, c.evidence, 'new', ?4, ?5, "                  \
	SCOPE_OF("c.region_code", "c.id_key")                                                   \
	" FROM " from " c"                                                                       \
	" WHERE NOT EXISTS (SELECT 1 FROM warnings w WHERE w.rule = ?1 AND w.subject = c.subject"\
	" AND w.fingerprint = c.fingerprint"                                                     \
	" AND (w.status <> 'closed' OR w.outcome = 'not_valid' OR w.month >= ?3))"               \
	" ORDER BY c.household_no, c.id_number, c.subject, c.fingerprint"

/*
 * Same (subject, fingerprint) twice in one run (identical feed rows) is one
 * warning, each column the least of its rows.  Such twins are rare, and that
 * GROUP BY with its nine MIN()s was 57 ms of W17's 193 ms merge at 1 M
 * persons (has_twins: 15 ms): it runs only when a twin is there.
 */
static const char merge_plain[] = MERGE("temp.cand");
static const char merge_twins[] = MERGE(
	"(SELECT subject, fingerprint, MIN(id_key) AS id_key, MIN(id_number) AS id_number,"
	" MIN(name) AS name, MIN(household_id) AS household_id, MIN(household_no) AS household_no,"
	" MIN(region_code) AS region_code, MIN(evidence) AS evidence FROM temp.cand"
	" GROUP BY subject, fingerprint)");
static const char has_twins[] =
	"SELECT EXISTS (SELECT 1 FROM temp.cand GROUP BY subject, fingerprint HAVING COUNT(*) > 1)";

dd_rc sq_compare_rule(dd_store *st, int64_t run_id, const dd_compare_month *m,
		      const dd_rule_spec *r, dd_rule_counts *out, dd_err *err)
{
	static const char count_open[] =
		"SELECT COUNT(*) FROM warnings WHERE rule = ?1 AND status <> 'closed'";
	static const char counts[] =
		"INSERT INTO compare_run_rules (run_id, rule, level, found, added, open_count)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sq *s = sq_of(st);
	sqlite3 *db = sq_db(s);
	rule_prep prep = PREP_NONE;
	const char *sql = r->sql ? NULL : builtin_sql(r->id, &prep);
	sqlite3_stmt *q;
	int64_t skipped = 0, ahead_us = 0;
	bool twins = false, ahead = false;
	dd_rc rc;

	int64_t t0 = dd_clock_us(), t1;

	memset(out, 0, sizeof *out);
	if (!r->sql && !sql)
		return dd_err_set(err, DD_ERR_USAGE, "规则 %s 不是内置规则，也没有 sql", r->id);
	rc = sq_exec(s, "DELETE FROM temp.cand", err);
	if (rc == DD_OK)
		rc = ahead_take(s, r, &ahead, &ahead_us, err);
	if (rc == DD_OK && !ahead && prep == PREP_MED_SUM)
		rc = medical_sums(s, m, r->threshold, err);
	else if (rc == DD_OK && !ahead && prep == PREP_DISABILITY)
		rc = disability_fill(s, m, err);
	if (rc == DD_OK && !ahead)
		rc = r->sql ? county_rule(s, r->sql, m, &skipped, err) : run_named(s, sql, m, r->threshold, err);
	if (rc == DD_OK) {
		sqlite3_stmt *n;
		rc = sq_stmt(s, "SELECT COUNT(*) FROM temp.cand", &n, err);
		if (rc == DD_OK && (rc = sq_step(s, n, err)) == DD_OK)
			out->found = sqlite3_column_int64(n, 0);
		if (n)
			sqlite3_reset(n);
	}
	t1 = dd_clock_us();
	if (rc == DD_OK && (rc = sq_stmt(s, has_twins, &q, err)) == DD_OK) {
		if ((rc = sq_step(s, q, err)) == DD_OK)
			twins = sqlite3_column_int(q, 0);
		sqlite3_reset(q);
	}
	if (rc == DD_OK && (rc = sq_stmt(s, twins ? merge_twins : merge_plain, &q, err)) == DD_OK) {
		sq_bind_text(q, 1, r->id);
		sq_bind_text(q, 2, r->level);
		sq_bind_text(q, 3, m->month);
		sq_bind_text(q, 4, sq_now(s));
		sqlite3_bind_int64(q, 5, run_id);
		rc = sq_run(s, q, err);
		out->added = sqlite3_changes(db);
	}
	if (rc == DD_OK && (rc = sq_stmt(s, count_open, &q, err)) == DD_OK) {
		sq_bind_text(q, 1, r->id);
		if ((rc = sq_step(s, q, err)) == DD_OK)
			out->open = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
	}
	if (rc == DD_OK && (rc = sq_stmt(s, counts, &q, err)) == DD_OK) {
		sqlite3_bind_int64(q, 1, run_id);
		sq_bind_text(q, 2, r->id);
		sq_bind_text(q, 3, r->level);
		sqlite3_bind_int64(q, 4, out->found);
		sqlite3_bind_int64(q, 5, out->added);
		sqlite3_bind_int64(q, 6, out->open);
		rc = sq_run(s, q, err);
	}
	out->skipped = skipped;
	/* a rule worked out ahead: its candidates here are the wait and the copy into temp.cand */
	char how[64] = "";
	if (ahead)
		snprintf(how, sizeof how, "; worked out ahead in %lld ms", (long long)ahead_us / 1000);
	dd_log_debug("compare %s: %lld ms (candidates %lld ms, merge %lld ms%s)", r->id,
		     (long long)(dd_clock_us() - t0) / 1000, (long long)(t1 - t0) / 1000,
		     (long long)(dd_clock_us() - t1) / 1000, how);
	return rc;
}

/* ---- listing ---- */

dd_rc sq_warnings_list(dd_store *st, const dd_warning_filter *f, dd_warning_fn fn, void *arg,
		       dd_err *err)
{
	static const char sql[] =
		"SELECT id, rule, level, month, id_number, name, household_no, region_code, status,"
		" evidence, created_at FROM warnings"
		" WHERE (?1 IS NULL OR month = ?1) AND (?2 IS NULL OR rule = ?2)"
		" AND (?3 IS NULL OR level = ?3) AND (?4 IS NULL OR status = ?4)"
		" ORDER BY month, rule, household_no, id_number, id";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, f->month);
	sq_bind_text(q, 2, f->rule);
	sq_bind_text(q, 3, f->level);
	sq_bind_text(q, 4, f->status);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		dd_warning w = {
			.id = sqlite3_column_int64(q, 0),
			.rule = col_text(q, 1), .level = col_text(q, 2), .month = col_text(q, 3),
			.id_number = col_text(q, 4), .name = col_text(q, 5),
			.household_no = col_text(q, 6), .region_code = col_text(q, 7),
			.status = col_text(q, 8), .evidence = col_text(q, 9),
			.created_at = col_text(q, 10),
		};
		if ((rc = fn(arg, &w, err)) != DD_OK)
			break;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == DD_DONE ? DD_OK : rc;
}

/* ---- pages for the web (store.h "monitoring for the web") ---- */

#define WARN_COLS "w.id, w.rule, w.level, w.month, w.id_number, w.name, w.household_no," \
	" w.region_code, w.status, w.evidence, w.created_at, w.scope"
/* The query's filters over a table with month, rule, level, status and scope columns. */
#define WARN_FILTER(t)                                                                          \
	" (?1 IS NULL OR " t "month = ?1) AND (?2 IS NULL OR " t "rule = ?2)"                   \
	" AND (?3 IS NULL OR " t "level = ?3) AND (?4 IS NULL OR " t "status = ?4)"             \
	" AND (?5 IS NULL OR (" t "scope >= ?5 AND " t "scope < ?5 || ':'))"   /* codes are digits */

static void warning_row(sqlite3_stmt *q, dd_warning_rec *r, dd_arena *mem)
{
	*r = (dd_warning_rec){
		.w = {
			.id = sqlite3_column_int64(q, 0),
			.rule = sq_col_text(q, 1, mem), .level = sq_col_text(q, 2, mem),
			.month = sq_col_text(q, 3, mem), .id_number = sq_col_text(q, 4, mem),
			.name = sq_col_text(q, 5, mem), .household_no = sq_col_text(q, 6, mem),
			.region_code = sq_col_text(q, 7, mem), .status = sq_col_text(q, 8, mem),
			.evidence = sq_col_text(q, 9, mem), .created_at = sq_col_text(q, 10, mem),
		},
		.scope = sq_col_text(q, 11, mem),
	};
}

static void bind_query(sqlite3_stmt *q, const dd_warning_query *w)
{
	sq_bind_text(q, 1, w->f.month);
	sq_bind_text(q, 2, w->f.rule);
	sq_bind_text(q, 3, w->f.level);
	sq_bind_text(q, 4, w->f.status);
	sq_bind_text(q, 5, w->region);
}

dd_rc sq_warnings_page(dd_store *st, const dd_warning_query *wq, dd_warning_rec **items, size_t *n,
		       int64_t *total, int64_t by_level[3], dd_arena *mem, dd_err *err)
{
	static const char count_sql[] =
		"SELECT COALESCE(SUM(n), 0), COALESCE(SUM(CASE level WHEN 'red' THEN n END), 0),"
		" COALESCE(SUM(CASE level WHEN 'yellow' THEN n END), 0),"
		" COALESCE(SUM(CASE level WHEN 'blue' THEN n END), 0)"
		" FROM warning_counts WHERE" WARN_FILTER("");
	/* walked in the index's order until the page is full: no sort of every match */
	static const char page_sql[] =
		"SELECT " WARN_COLS " FROM warnings w INDEXED BY warnings_page WHERE" WARN_FILTER("w.")
		" ORDER BY w.month DESC, " LEVEL_RANK("w.level") ", w.rule, w.household_no, w.id_number, w.id"
		" LIMIT ?6 OFFSET ?7";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, count_sql, &q, err);

	if (rc != DD_OK)
		return rc;
	bind_query(q, wq);
	if ((rc = sq_step(s, q, err)) == DD_OK) {
		*total = sqlite3_column_int64(q, 0);
		for (int i = 0; i < 3; i++)
			by_level[i] = sqlite3_column_int64(q, i + 1);
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != DD_OK)
		return rc;
	if (*total <= wq->offset || wq->limit <= 0)
		return DD_OK;
	int64_t want = DD_MIN(wq->limit, *total - wq->offset);
	if (!(*items = dd_arena_alloc(mem, (size_t)want * sizeof **items)))
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if ((rc = sq_stmt(s, page_sql, &q, err)) != DD_OK)
		return rc;
	bind_query(q, wq);
	sqlite3_bind_int64(q, 6, wq->limit);
	sqlite3_bind_int64(q, 7, wq->offset);
	while (*n < (size_t)want && (rc = sq_step(s, q, err)) == DD_OK)
		warning_row(q, &(*items)[(*n)++], mem);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == DD_DONE ? DD_OK : rc;
}
dd_rc sq_warning_get(dd_store *st, int64_t id, dd_warning_rec *out, dd_arena *mem, dd_err *err)
{
	static const char get[] = "SELECT " WARN_COLS " FROM warnings w WHERE w.id = ?1";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, get, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = sq_step(s, q, err)) == DD_OK)
		warning_row(q, out, mem);
	else if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "预警 %lld 不存在", (long long)id);
	sqlite3_reset(q);
	return rc;
}

/* Runs `sql` (?1 the limit) and hands each row to `row`, into an array of `size`-byte records in mem. */
static dd_rc latest(sq *s, const char *sql, int64_t limit, size_t size,
		    void (*row)(sqlite3_stmt *q, void *rec, dd_arena *mem), void **items, size_t *n,
		    dd_arena *mem, dd_err *err)
{
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	if (limit <= 0 || !(*items = dd_arena_alloc(mem, (size_t)limit * size)))
		return limit <= 0 ? DD_OK : dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	sqlite3_bind_int64(q, 1, limit);
	while (*n < (size_t)limit && (rc = sq_step(s, q, err)) == DD_OK)
		row(q, (char *)*items + (*n)++ * size, mem);
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

static void run_row(sqlite3_stmt *q, void *rec, dd_arena *mem)
{
	*(dd_compare_run_rec *)rec = (dd_compare_run_rec){
		.id = sqlite3_column_int64(q, 0), .month = sq_col_text(q, 1, mem),
		.username = sq_col_text(q, 2, mem), .started_at = sq_col_text(q, 3, mem),
		.finished_at = sq_col_text(q, 4, mem), .found = sqlite3_column_int64(q, 5),
		.added = sqlite3_column_int64(q, 6),
	};
}

dd_rc sq_compare_runs(dd_store *st, int64_t limit, dd_compare_run_rec **items, size_t *n,
		      dd_arena *mem, dd_err *err)
{
	static const char sql[] =
		"SELECT r.id, r.month, r.username, r.started_at, r.finished_at,"
		" COALESCE(SUM(x.found), 0), COALESCE(SUM(x.added), 0) FROM compare_runs r"
		" LEFT JOIN compare_run_rules x ON x.run_id = r.id GROUP BY r.id ORDER BY r.id DESC LIMIT ?1";
	void *got = NULL;
	dd_rc rc = latest(sq_of(st), sql, limit, sizeof **items, run_row, &got, n, mem, err);

	*items = got;
	return rc;
}

static void import_row(sqlite3_stmt *q, void *rec, dd_arena *mem)
{
	*(dd_import_rec *)rec = (dd_import_rec){
		.id = sqlite3_column_int64(q, 0), .kind = sq_col_text(q, 1, mem),
		.file = sq_col_text(q, 2, mem), .month = sq_col_text(q, 3, mem),
		.username = sq_col_text(q, 4, mem), .started_at = sq_col_text(q, 5, mem),
		.finished_at = sq_col_text(q, 6, mem),
		.rows = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 7),
		.rejected = sqlite3_column_type(q, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 8),
	};
}

dd_rc sq_imports_list(dd_store *st, int64_t limit, dd_import_rec **items, size_t *n, dd_arena *mem,
		      dd_err *err)
{
	static const char sql[] =
		"SELECT id, kind, file, month, username, started_at, finished_at, rows, rejected"
		" FROM imports ORDER BY id DESC LIMIT ?1";
	void *got = NULL;
	dd_rc rc = latest(sq_of(st), sql, limit, sizeof **items, import_row, &got, n, mem, err);

	*items = got;
	return rc;
}
