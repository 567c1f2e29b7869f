/*
 * sqlite.c - the embedded SQLite backend of store.h.
 *
 * The schema is an array of migrations; the database's PRAGMA user_version
 * is the number of migrations applied.  Every statement is prepared once on
 * first use and kept on the handle (reset and re-bound per row), because a
 * registry import runs the same few statements a million times.
 *
 * The registry tables (households, members, obligors) are written by one
 * table-driven routine, put(): each record type is a list of fields (column,
 * how to read it from the C struct) from which the SQL is generated, the
 * values bound, and the before/after JSON of an update computed.
 *
 * SQL habits kept for the later PostgreSQL twin: TEXT and INTEGER/BIGINT
 * only, dates as 'YYYY-MM-DD' text, money as integer fen, timestamps as UTC
 * ISO 8601 text.  `ON CONFLICT` upserts and `?NNN` parameters stay here.
 */
#include "sqlite_int.h"
#include "../core/map.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- schema ---- */

/* Also rebuilt by a bulk load's commit (see struct sq). */
#define MEMBERS_ID_KEY_INDEX "CREATE INDEX members_id_key ON members(id_key)"

static const char *const migrations[] = {
	/* 1: the registry, imports, feed batches and the audit log. */
	"CREATE TABLE meta ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL);"
	"CREATE TABLE regions ("
	" code TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" level INTEGER NOT NULL,"
	" parent TEXT);"
	/* `user` is reserved in PostgreSQL, hence username. */
	"CREATE TABLE imports ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" file TEXT,"
	" month TEXT,"
	" username TEXT NOT NULL,"
	" started_at TEXT NOT NULL,"
	" finished_at TEXT,"
	" rows BIGINT,"
	" rejected BIGINT);"
	/* A re-import of (kind, month) adds a batch and points the old one at it (sqlite_feed.c). */
	"CREATE TABLE feed_batches ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" month TEXT NOT NULL,"
	" import_id INTEGER REFERENCES imports(id),"
	" rows INTEGER,"
	" rejected INTEGER,"
	" created_at TEXT NOT NULL,"
	" replaced_by INTEGER REFERENCES feed_batches(id));"
	"CREATE UNIQUE INDEX feed_batches_active ON feed_batches(kind, month) WHERE replaced_by IS NULL;"
	/* import_seen: the last import that put the household (registry_finish). */
	"CREATE TABLE households ("
	" id INTEGER PRIMARY KEY,"
	" household_no TEXT NOT NULL UNIQUE,"
	" region_code TEXT NOT NULL,"
	" address TEXT,"
	" head_id TEXT,"
	" hukou_type INTEGER,"
	" phone TEXT,"
	" categories TEXT,"
	" category_bits INTEGER NOT NULL,"
	" fp_subtype TEXT,"
	" is_tuopin INTEGER,"
	" whole_no_labor INTEGER,"
	" risk_types TEXT,"
	" wage_income BIGINT NOT NULL,"
	" business_income BIGINT NOT NULL,"
	" property_income BIGINT NOT NULL,"
	" transfer_income BIGINT NOT NULL,"
	" insurance_payout BIGINT NOT NULL,"
	" business_expense BIGINT NOT NULL,"
	" medical_self_paid BIGINT NOT NULL,"
	" education_expense BIGINT NOT NULL,"
	" rehab_expense BIGINT NOT NULL,"
	" fin_assets BIGINT NOT NULL,"
	" vehicle_value BIGINT NOT NULL,"
	" housing_unsafe INTEGER,"
	" dropout INTEGER,"
	" water_unsafe INTEGER,"
	" uninsured INTEGER,"
	" recognized_on TEXT,"
	" exited_on TEXT,"
	" survey_summary TEXT,"
	" row_hash BIGINT NOT NULL,"
	" import_id INTEGER REFERENCES imports(id),"
	" import_seen INTEGER,"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	/* members and obligors carry no timestamps: import_id says when (imports.started_at),
	 * and the audit log says when a later change was made; a million rows each save 40 bytes */
	"CREATE TABLE members ("
	" id INTEGER PRIMARY KEY,"
	" household_id INTEGER NOT NULL REFERENCES households(id),"
	" name TEXT,"
	" id_number TEXT NOT NULL,"
	" id_key BIGINT NOT NULL,"
	" id_valid INTEGER NOT NULL,"
	" relation TEXT,"
	" gender TEXT,"
	" id_type TEXT,"
	" ethnicity TEXT,"
	" political TEXT,"
	" education TEXT,"
	" student_status TEXT,"
	" health TEXT,"
	" labor TEXT,"
	" wage_income BIGINT,"
	" disability_type TEXT,"
	" disability_grade INTEGER,"
	" ins_resident_medical INTEGER,"
	" ins_employee_medical INTEGER,"
	" ins_critical_illness INTEGER,"
	" ins_resident_pension INTEGER,"
	" ins_employee_pension INTEGER,"
	" is_tekun INTEGER,"
	" is_dibao INTEGER,"
	" orphan_guarantee INTEGER,"
	" work_province TEXT,"
	" work_city TEXT,"
	" work_county TEXT,"
	" work_township TEXT,"
	" work_months INTEGER,"
	" phone TEXT,"
	" joined_on TEXT NOT NULL,"
	" left_on TEXT,"
	" row_hash BIGINT NOT NULL,"
	" import_id INTEGER REFERENCES imports(id),"
	" seen_import INTEGER,"
	" UNIQUE (household_id, id_number));"
	MEMBERS_ID_KEY_INDEX ";"
	/* ob_key: the ID number, or the name when the file gives no ID. */
	"CREATE TABLE obligors ("
	" id INTEGER PRIMARY KEY,"
	" household_id INTEGER NOT NULL REFERENCES households(id),"
	" ob_key TEXT NOT NULL,"
	" name TEXT,"
	" relation TEXT,"
	" marital TEXT,"
	" health TEXT,"
	" occupation TEXT,"
	" monthly_income BIGINT,"
	" id_number TEXT,"
	" phone TEXT,"
	" started_on TEXT NOT NULL,"
	" ended_on TEXT,"
	" row_hash BIGINT NOT NULL,"
	" import_id INTEGER REFERENCES imports(id),"
	" seen_import INTEGER);"
	"CREATE INDEX obligors_key ON obligors(household_id, ob_key);"
	"CREATE TABLE category_history ("
	" id INTEGER PRIMARY KEY,"
	" household_id INTEGER NOT NULL REFERENCES households(id),"
	" categories TEXT,"
	" category_bits INTEGER NOT NULL,"
	" fp_subtype TEXT,"
	" valid_from TEXT NOT NULL,"
	" import_id INTEGER REFERENCES imports(id),"
	" recorded_at TEXT NOT NULL);"
	"CREATE INDEX category_history_household ON category_history(household_id);"
	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" username TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" entity_key TEXT,"
	" before TEXT,"
	" after TEXT);"
	"CREATE INDEX audit_entity ON audit(entity, entity_key);"
	/* Nothing is deleted and the audit log is never edited: enforced here, not only in C. */
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;"
	"CREATE TRIGGER households_no_delete BEFORE DELETE ON households"
	" BEGIN SELECT RAISE(ABORT, '户记录不能删除'); END;"
	"CREATE TRIGGER members_no_delete BEFORE DELETE ON members"
	" BEGIN SELECT RAISE(ABORT, '成员记录不能删除'); END;"
	"CREATE TRIGGER obligors_no_delete BEFORE DELETE ON obligors"
	" BEGIN SELECT RAISE(ABORT, '义务人记录不能删除'); END;"
	"CREATE TRIGGER category_history_no_delete BEFORE DELETE ON category_history"
	" BEGIN SELECT RAISE(ABORT, '类别历史不能删除'); END;"
	"CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports"
	" BEGIN SELECT RAISE(ABORT, '导入记录不能删除'); END;"
	"CREATE TRIGGER feed_batches_no_delete BEFORE DELETE ON feed_batches"
	" BEGIN SELECT RAISE(ABORT, '比对数据批次不能删除'); END;",
	/* 2: the domains' named migrations (sq_migration) are recorded here */
	"CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);",
};

/* ---- record types as field lists ---- */

typedef enum {
	K_TEXT,      /* const char *; NULL and "" are stored as NULL */
	K_INT,       /* int */
	K_INT_OPT,   /* int, negative (-1) = not given = NULL */
	K_FEN,       /* dd_fen */
	K_FEN_OPT,   /* dd_fen, -1 = not given = NULL */
	K_DATE,      /* dd_date as 'YYYY-MM-DD', DD_DATE_NONE = NULL */
	K_HUKOU,     /* dd_hukou, NONE = NULL */
	K_CATS,      /* unsigned category bits as "TK;DB" text */
	K_CATBITS,   /* unsigned category bits as an integer */
	K_IDTEXT,    /* dd_id: its text */
	K_IDKEY,     /* dd_id: its key */
	K_VALID,     /* bool bad-check flag, stored inverted as id_valid */
	K_OBKEY      /* dd_obligor: id_number, or name when no ID */
} field_kind;

enum {
	F_DERIVED = 1,  /* follows from another column: left out of audit JSON */
	F_HISTORY = 2   /* a change appends to category_history */
};

typedef struct field {
	const char *col;
	field_kind kind;
	size_t off;
	unsigned flags;
} field;

#define FLD(type, name, k, fl) { #name, k, offsetof(type, name), fl }
#define H(name, k) FLD(dd_household, name, k, 0)
#define M(name, k) FLD(dd_member, name, k, 0)
#define O(name, k) FLD(dd_obligor, name, k, 0)

static const field household_fields[] = {
	H(household_no, K_TEXT), H(region_code, K_TEXT), H(address, K_TEXT), H(head_id, K_TEXT),
	{ "hukou_type", K_HUKOU, offsetof(dd_household, hukou), 0 },
	H(phone, K_TEXT),
	{ "categories", K_CATS, offsetof(dd_household, categories), F_HISTORY },
	{ "category_bits", K_CATBITS, offsetof(dd_household, categories), F_DERIVED },
	FLD(dd_household, fp_subtype, K_TEXT, F_HISTORY),
	H(is_tuopin, K_INT_OPT), H(whole_no_labor, K_INT_OPT), H(risk_types, K_TEXT),
	H(wage_income, K_FEN), H(business_income, K_FEN), H(property_income, K_FEN),
	H(transfer_income, K_FEN), H(insurance_payout, K_FEN), H(business_expense, K_FEN),
	H(medical_self_paid, K_FEN), H(education_expense, K_FEN), H(rehab_expense, K_FEN),
	H(fin_assets, K_FEN), H(vehicle_value, K_FEN),
	H(housing_unsafe, K_INT_OPT), H(dropout, K_INT_OPT), H(water_unsafe, K_INT_OPT),
	H(uninsured, K_INT_OPT),
	H(recognized_on, K_DATE), H(exited_on, K_DATE), H(survey_summary, K_TEXT),
};

static const field member_fields[] = {
	M(name, K_TEXT),
	{ "id_number", K_IDTEXT, offsetof(dd_member, id), 0 },
	{ "id_key", K_IDKEY, offsetof(dd_member, id), F_DERIVED },
	{ "id_valid", K_VALID, offsetof(dd_member, id_bad_check), 0 },
	M(relation, K_TEXT), M(gender, K_TEXT), M(id_type, K_TEXT), M(ethnicity, K_TEXT),
	M(political, K_TEXT), M(education, K_TEXT), M(student_status, K_TEXT), M(health, K_TEXT),
	M(labor, K_TEXT), M(wage_income, K_FEN_OPT), M(disability_type, K_TEXT),
	M(disability_grade, K_INT),
	M(ins_resident_medical, K_INT_OPT), M(ins_employee_medical, K_INT_OPT),
	M(ins_critical_illness, K_INT_OPT), M(ins_resident_pension, K_INT_OPT),
	M(ins_employee_pension, K_INT_OPT),
	M(is_tekun, K_INT_OPT), M(is_dibao, K_INT_OPT), M(orphan_guarantee, K_INT_OPT),
	M(work_province, K_TEXT), M(work_city, K_TEXT), M(work_county, K_TEXT),
	M(work_township, K_TEXT), M(work_months, K_INT_OPT), M(phone, K_TEXT),
};

static const field obligor_fields[] = {
	{ "ob_key", K_OBKEY, 0, F_DERIVED },
	O(name, K_TEXT), O(relation, K_TEXT), O(marital, K_TEXT), O(health, K_TEXT),
	O(occupation, K_TEXT), O(monthly_income, K_FEN_OPT), O(id_number, K_TEXT), O(phone, K_TEXT),
};

#define MAX_FIELDS 40
_Static_assert(DD_ARRAY_LEN(household_fields) <= MAX_FIELDS, "raise MAX_FIELDS");
_Static_assert(DD_ARRAY_LEN(member_fields) <= MAX_FIELDS, "raise MAX_FIELDS");
_Static_assert(DD_ARRAY_LEN(obligor_fields) <= MAX_FIELDS, "raise MAX_FIELDS");

/*
 * Fixed parameter numbers for the values that are not record fields (the
 * fields take ?1..?n).  A statement binds those of them it has.
 */
enum { P_HASH = 101, P_IMPORT, P_NOW, P_HOUSEHOLD, P_TODAY, P_ROW };

/* Statements of a put.  In templates %C = column list, %P = ?1..?n, %S = col = ?i, %K = key's ?i. */
enum { OP_FIND, OP_INSERT, OP_OLD, OP_UPDATE, OP_SEEN, OP_N };

typedef struct sq sq;
typedef struct put_args {
	int64_t import_id;
	int64_t household_id;
	int64_t row;          /* out: the record's row id */
	uint64_t hash;
} put_args;

typedef struct rectype {
	int index;                    /* into sq.est */
	const char *name;             /* audit entity */
	const field *fields;
	size_t nfields;
	size_t key;                   /* field that finds the row (with the household) */
	bool audit_by_key;            /* entity_key = key field's text, else the row id */
	const char *ended_col;        /* left_on / ended_on, cleared when the record reappears */
	const char *sql[OP_N];
	/* Called after an insert, or an update that changed an F_HISTORY field. */
	dd_rc (*history)(sq *s, const void *rec, const put_args *a, bool inserted, dd_err *err);
} rectype;

static dd_rc household_history(sq *s, const void *rec, const put_args *a, bool inserted,
			       dd_err *err);

static const rectype E_HOUSEHOLD = {
	0, "household", household_fields, DD_ARRAY_LEN(household_fields), 0, true, NULL,
	{
		[OP_FIND] = "SELECT id, row_hash, NULL FROM households WHERE household_no = %K",
		[OP_INSERT] = "INSERT INTO households (%C, row_hash, import_id, import_seen,"
			      " created_at, updated_at) VALUES (%P, ?101, ?102, ?102, ?103, ?103)",
		[OP_OLD] = "SELECT %C, NULL FROM households WHERE id = ?106",
		[OP_UPDATE] = "UPDATE households SET %S, row_hash = ?101, import_id = ?102,"
			      " import_seen = ?102, updated_at = ?103 WHERE id = ?106",
		[OP_SEEN] = "UPDATE households SET import_seen = ?102 WHERE id = ?106",
	},
	household_history,
};

static const rectype E_MEMBER = {
	1, "member", member_fields, DD_ARRAY_LEN(member_fields), 1, false, "left_on",
	{
		[OP_FIND] = "SELECT id, row_hash, left_on FROM members"
			    " WHERE household_id = ?104 AND id_number = %K",
		[OP_INSERT] = "INSERT INTO members (%C, household_id, joined_on, row_hash, import_id,"
			      " seen_import) VALUES (%P, ?104, ?105, ?101, ?102, ?102)",
		[OP_OLD] = "SELECT %C, left_on FROM members WHERE id = ?106",
		[OP_UPDATE] = "UPDATE members SET %S, left_on = NULL, row_hash = ?101, import_id = ?102,"
			      " seen_import = ?102 WHERE id = ?106",
		[OP_SEEN] = "UPDATE members SET seen_import = ?102 WHERE id = ?106",
	},
	NULL,
};

static const rectype E_OBLIGOR = {
	2, "obligor", obligor_fields, DD_ARRAY_LEN(obligor_fields), 0, false, "ended_on",
	{
		[OP_FIND] = "SELECT id, row_hash, ended_on FROM obligors"
			    " WHERE household_id = ?104 AND ob_key = %K",
		[OP_INSERT] = "INSERT INTO obligors (%C, household_id, started_on, row_hash, import_id,"
			      " seen_import) VALUES (%P, ?104, ?105, ?101, ?102, ?102)",
		[OP_OLD] = "SELECT %C, ended_on FROM obligors WHERE id = ?106",
		[OP_UPDATE] = "UPDATE obligors SET %S, ended_on = NULL, row_hash = ?101, import_id = ?102,"
			      " seen_import = ?102 WHERE id = ?106",
		[OP_SEEN] = "UPDATE obligors SET seen_import = ?102 WHERE id = ?106",
	},
	NULL,
};

#define N_ENTITIES 3

/* ---- the other statements ---- */

enum {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_USER_VERSION, Q_CACHE_BIG, Q_CACHE_DEFAULT,
	Q_META_GET, Q_META_SET, Q_AUDIT, Q_AUDIT_COUNT, Q_REGION_PUT,
	Q_IMPORT_BEGIN, Q_IMPORT_END, Q_HOUSEHOLD_ID, Q_HAS_MEMBER, Q_HOLD, Q_HISTORY,
	Q_LEAVE_AUDIT, Q_LEAVE, Q_END_AUDIT, Q_END, Q_STATS_HOUSEHOLDS, Q_STATS_MEMBERS,
	Q_N
};

/*
 * A member (obligor) left when its household was put by import ?2 but the
 * member was not: one audit row each, then the rows themselves.  ?4 bounds
 * the households to those that existed before the transaction: a household
 * it inserted has only members it put (a first import scans nothing).
 */
#define GONE(table, col) \
	" FROM " table " x WHERE x." col " IS NULL" \
	" AND (x.seen_import IS NULL OR x.seen_import <> ?2)" \
	" AND x.household_id IN (SELECT id FROM households WHERE import_seen = ?2 AND id < ?4)"
#define GONE_AUDIT(table, col, action, entity) \
	"INSERT INTO audit (at, username, action, entity, entity_key, before, after)" \
	" SELECT ?1, (SELECT username FROM imports WHERE id = ?2), '" action "', '" entity "'," \
	" CAST(x.id AS TEXT), '{\"" col "\":null}', '{\"" col "\":\"' || ?3 || '\"}'" \
	GONE(table, col)
#define GONE_SET(table, col) \
	"UPDATE " table " SET " col " = ?3, import_id = ?2 WHERE id IN" \
	" (SELECT x.id" GONE(table, col) ")"

#define CURRENT_HOUSEHOLD "(h.exited_on IS NULL OR h.exited_on > ?1)"
#define HAS_BIT(n) "COALESCE(SUM(CASE WHEN (h.category_bits & ?" #n ") <> 0 THEN 1 ELSE 0 END), 0)"

static const char *const q_sql[Q_N] = {
	/* IMMEDIATE: take the write lock at once, so two writers queue on busy_timeout
	 * instead of one failing when it upgrades its read lock. */
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_USER_VERSION] = "PRAGMA user_version",
	/* 256 MiB of page cache while a batch writes: the indexes of a 1M-row import stay in memory. */
	[Q_CACHE_BIG] = "PRAGMA cache_size = -524288",
	[Q_CACHE_DEFAULT] = "PRAGMA cache_size = -2000",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[Q_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
		       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	[Q_AUDIT] = "INSERT INTO audit (at, username, action, entity, entity_key, before, after)"
		    " VALUES (?1, COALESCE(?2, (SELECT username FROM imports WHERE id = ?8)),"
		    " ?3, ?4, ?5, ?6, ?7)",
	[Q_AUDIT_COUNT] = "SELECT COUNT(*) FROM audit",
	[Q_REGION_PUT] = "INSERT INTO regions (code, name, level, parent) VALUES (?1, ?2, ?3, ?4)"
			 " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
			 " level = excluded.level, parent = excluded.parent",
	[Q_IMPORT_BEGIN] = "INSERT INTO imports (kind, file, month, username, started_at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_IMPORT_END] = "UPDATE imports SET finished_at = ?1, rows = ?2, rejected = ?3 WHERE id = ?4",
	[Q_HOUSEHOLD_ID] = "SELECT id FROM households WHERE household_no = ?1",
	[Q_HOLD] = "UPDATE households SET import_seen = NULL WHERE id = ?1",
	[Q_HAS_MEMBER] = "SELECT 1 FROM members"
			 " WHERE household_id = ?1 AND id_number = ?2 AND left_on IS NULL",
	[Q_HISTORY] = "INSERT INTO category_history (household_id, categories, category_bits,"
		      " fp_subtype, valid_from, import_id, recorded_at)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_LEAVE_AUDIT] = GONE_AUDIT("members", "left_on", "leave", "member"),
	[Q_LEAVE] = GONE_SET("members", "left_on"),
	[Q_END_AUDIT] = GONE_AUDIT("obligors", "ended_on", "end", "obligor"),
	[Q_END] = GONE_SET("obligors", "ended_on"),
	[Q_STATS_HOUSEHOLDS] = "SELECT COUNT(*), " HAS_BIT(2) ", " HAS_BIT(3) ", " HAS_BIT(4) ", "
			       HAS_BIT(5) ", " HAS_BIT(6) ","
			       " COALESCE(SUM(CASE WHEN h.fp_subtype IS NOT NULL THEN 1 ELSE 0 END), 0)"
			       " FROM households h WHERE " CURRENT_HOUSEHOLD,
	[Q_STATS_MEMBERS] = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.id_valid = 0 THEN 1 ELSE 0 END), 0)"
			    " FROM members m JOIN households h ON h.id = m.household_id"
			    " WHERE m.left_on IS NULL AND " CURRENT_HOUSEHOLD,
};

/* ---- the handle ---- */

/* A value ready to bind: SQLITE_NULL, SQLITE_INTEGER (i) or SQLITE_TEXT (s, borrowed). */
typedef struct colval {
	int type;
	sqlite3_int64 i;
	const char *s;
} colval;

struct sq {
	dd_store base;                 /* first: the handle store.c sees */
	sqlite3 *db;
	sqlite3_stmt *q[Q_N];
	sqlite3_stmt *est[N_ENTITIES][OP_N];
	/* The record being put, converted once and bound from here (SQLITE_STATIC). */
	colval vals[MAX_FIELDS];
	char scratch[MAX_FIELDS][16];
	/* Clock, refreshed at most once a second. */
	time_t clock;
	char now[24];                  /* UTC, 2025-01-02T03:04:05Z */
	char today[11];                /* local date (dd_date_today) */
	/*
	 * Row id of the first household inserted by the open transaction, 0 if
	 * none.  Rows are never deleted, so every household id at or above it
	 * is new in this transaction and cannot have members yet: their puts skip
	 * the lookup (half the work of a first import).
	 */
	int64_t txn_first_household;
	bool explicit_txn;             /* inside dd_store_begin .. commit/rollback */
	/*
	 * Bulk load: the first member put of a transaction that finds the members
	 * table empty drops the ID-key index, and the commit builds it again in
	 * one sorted pass (3 s less per million members than inserting into it
	 * row by row).  DDL is transactional, so a rollback or a kill restores it.
	 */
	enum { BULK_NO, BULK_UNCHECKED, BULK_INDEX_DROPPED } bulk;   /* BULK_UNCHECKED only in dd_store_begin's transactions */
	dd_umap stmts;                 /* sq_stmt: address of the SQL text -> statement */
	/* A closed one-household cursor, kept prepared for the next (a web page each). */
	struct sq_cursor *one;
	sq_ahead *ahead;               /* a compare's rules worked out ahead (sqlite_warn.c) */
	sq_medw *medw;                 /* the medical batch being written (sqlite_medseg.c) */
};

static sq *SQ(dd_store *st)
{
	return (sq *)st;
}

static dd_rc fail(sq *s, dd_err *err)
{
	return dd_err_set(err, DD_ERR_STORE, "数据库错误：%s", sqlite3_errmsg(s->db));
}

static void clock_tick(sq *s)
{
	time_t t = time(NULL);
	struct tm tm;

	if (t == s->clock)
		return;
	s->clock = t;
	gmtime_r(&t, &tm);
	strftime(s->now, sizeof s->now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	dd_date_format(dd_date_today(), s->today);
}

static dd_rc prepare(sq *s, const char *sql, sqlite3_stmt **out, dd_err *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK)
		return fail(s, err);
	return DD_OK;
}

/* The cached statement `id`, prepared on first use.  Owned by the handle. */
static dd_rc cached(sq *s, int id, sqlite3_stmt **out, dd_err *err)
{
	dd_rc rc = DD_OK;

	if (!s->q[id])
		rc = prepare(s, q_sql[id], &s->q[id], err);
	*out = s->q[id];
	return rc;
}

/* Expands an entity's SQL template (see OP_*). */
static dd_rc expand(const rectype *e, const char *tpl, dd_buf *b)
{
	dd_rc rc = DD_OK;

	for (const char *p = tpl; *p && rc == DD_OK; p++) {
		if (*p != '%') {
			rc = dd_buf_putc(b, *p);
			continue;
		}
		p++;
		if (*p == 'K') {
			rc = dd_buf_printf(b, "?%zu", e->key + 1);
			continue;
		}
		for (size_t i = 0; i < e->nfields && rc == DD_OK; i++) {
			const char *sep = i ? ", " : "";
			if (*p == 'C')
				rc = dd_buf_printf(b, "%s%s", sep, e->fields[i].col);
			else if (*p == 'P')
				rc = dd_buf_printf(b, "%s?%zu", sep, i + 1);
			else
				rc = dd_buf_printf(b, "%s%s = ?%zu", sep, e->fields[i].col, i + 1);
		}
	}
	return rc;
}

/* The cached statement `op` of entity e, generated and prepared on first use. */
static dd_rc eq(sq *s, const rectype *e, int op, sqlite3_stmt **out, dd_err *err)
{
	sqlite3_stmt **slot = &s->est[e->index][op];
	dd_buf b;
	dd_rc rc = DD_OK;

	dd_buf_init(&b, 0);
	if (!*slot) {
		rc = expand(e, e->sql[op], &b);
		if (rc != DD_OK)
			rc = dd_err_set(err, rc, "内存不足");
		else
			rc = prepare(s, b.data, slot, err);
	}
	*out = *slot;
	dd_buf_release(&b);
	return rc;
}

/* Steps a statement: DD_OK with a row, DD_DONE without; the caller resets. */
static dd_rc step(sq *s, sqlite3_stmt *st, dd_err *err)
{
	int r = sqlite3_step(st);

	if (r == SQLITE_ROW)
		return DD_OK;
	if (r == SQLITE_DONE)
		return DD_DONE;
	return fail(s, err);
}

/* Runs a statement that returns no row, and resets it. */
static dd_rc run(sq *s, sqlite3_stmt *st, dd_err *err)
{
	dd_rc rc = step(s, st, err);

	sqlite3_reset(st);
	if (rc == DD_DONE)
		return DD_OK;
	return rc == DD_OK ? dd_err_set(err, DD_ERR_INTERNAL, "语句意外返回了行") : rc;
}

static dd_rc run_q(sq *s, int id, dd_err *err)
{
	sqlite3_stmt *st;
	dd_rc rc = cached(s, id, &st, err);

	return rc == DD_OK ? run(s, st, err) : rc;
}

/* Binds text, NULL for NULL or "".  The text must live until the statement is reset. */
static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
	if (t && *t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Atomicity of one multi-statement operation: inside the caller's
 * transaction it is covered by that; outside, it gets its own.
 */
static dd_rc atomic_begin(sq *s, bool *own, dd_err *err)
{
	*own = sqlite3_get_autocommit(s->db);
	return *own ? run_q(s, Q_BEGIN, err) : DD_OK;
}

static dd_rc atomic_end(sq *s, bool own, dd_rc rc, dd_err *err)
{
	if (!own)
		return rc;
	if (rc == DD_OK)
		rc = run_q(s, Q_COMMIT, err);
	if (rc != DD_OK && !sqlite3_get_autocommit(s->db))
		run_q(s, Q_ROLLBACK, NULL);
	return rc;
}

/* ---- open, migrate, close ---- */

static int user_version(sq *s, dd_err *err)
{
	sqlite3_stmt *st;
	int v = -1;

	if (cached(s, Q_USER_VERSION, &st, err) == DD_OK && step(s, st, err) == DD_OK)
		v = sqlite3_column_int(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

static dd_rc exec(sq *s, const char *sql, dd_err *err)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? DD_OK : fail(s, err);
}

static const sq_migration *const domain_migrations[] = {
	sq_feed_migrations,
	sq_warn_migrations,
	sq_flow_migrations,
	sq_user_migrations,
	sq_draft_migrations,
};

/* Counts (or, with apply, applies) the domain migrations not yet recorded. */
static dd_rc domains_pending(sq *s, bool apply, int *pending, dd_err *err)
{
	static const char seen_sql[] = "SELECT 1 FROM schema_migrations WHERE name = ?1";
	static const char mark_sql[] = "INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)";
	sqlite3_stmt *seen, *mark;
	dd_rc rc = sq_stmt(s, seen_sql, &seen, err);

	*pending = 0;
	if (rc == DD_OK)
		rc = sq_stmt(s, mark_sql, &mark, err);
	for (size_t d = 0; rc == DD_OK && d < DD_ARRAY_LEN(domain_migrations); d++) {
		for (const sq_migration *m = domain_migrations[d]; rc == DD_OK && m->name; m++) {
			sqlite3_bind_text(seen, 1, m->name, -1, SQLITE_STATIC);
			rc = step(s, seen, err);
			sqlite3_reset(seen);
			if (rc != DD_DONE)
				continue;   /* applied (DD_OK), or an error */
			rc = DD_OK;
			(*pending)++;
			if (!apply)
				continue;
			clock_tick(s);
			rc = exec(s, m->sql, err);
			sqlite3_bind_text(mark, 1, m->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(mark, 2, s->now, -1, SQLITE_STATIC);
			if (rc == DD_OK)
				rc = run(s, mark, err);
		}
	}
	return rc;
}

/* Applies the pending migrations in one transaction, re-reading the version under the write lock. */
static dd_rc migrate(sq *s, dd_err *err)
{
	const int latest = (int)DD_ARRAY_LEN(migrations);
	char set[64];
	int v = user_version(s, err);
	dd_rc rc = DD_OK;

	if (v < 0)
		return DD_ERR_STORE;
	if (v > latest)
		return dd_err_set(err, DD_ERR_STORE, "数据库结构版本 %d 比本程序支持的 %d 新，请升级 doudi",
				  v, latest);
	int pending = 0;
	if (v == latest && ((rc = domains_pending(s, false, &pending, err)) != DD_OK || !pending))
		return rc;
	rc = run_q(s, Q_BEGIN, err);
	if (rc != DD_OK)
		return rc;
	v = user_version(s, err);
	if (v < 0)
		rc = DD_ERR_STORE;
	for (; rc == DD_OK && v < latest; v++)
		rc = exec(s, migrations[v], err);
	if (rc == DD_OK)
		rc = domains_pending(s, true, &pending, err);
	snprintf(set, sizeof set, "PRAGMA user_version = %d", latest);
	if (rc == DD_OK)
		rc = exec(s, set, err);
	if (rc == DD_OK)
		rc = run_q(s, Q_COMMIT, err);
	if (rc != DD_OK)
		run_q(s, Q_ROLLBACK, NULL);
	return rc;
}

static void cursor_free(struct sq_cursor *c);

static void sq_close(dd_store *st)
{
	sq *s = SQ(st);

	if (s->one)
		cursor_free(s->one);
	sq_compare_stop(s);
	sq_feed_close(s);
	for (size_t i = 0; i < Q_N; i++)
		sqlite3_finalize(s->q[i]);
	for (size_t e = 0; e < N_ENTITIES; e++)
		for (size_t op = 0; op < OP_N; op++)
			sqlite3_finalize(s->est[e][op]);
	for (size_t i = 0; i < s->stmts.cap; i++)
		if (s->stmts.keys[i])
			sqlite3_finalize((sqlite3_stmt *)(uintptr_t)s->stmts.vals[i]);
	dd_umap_release(&s->stmts);
	/* An open transaction is rolled back by the close. */
	sqlite3_close(s->db);
	free(s);
}

static int sq_schema_version(dd_store *st)
{
	return user_version(SQ(st), NULL);
}

/* ---- transactions ---- */

static dd_rc sq_begin(dd_store *st, dd_err *err)
{
	dd_rc rc = run_q(SQ(st), Q_BEGIN, err);

	SQ(st)->txn_first_household = 0;
	SQ(st)->explicit_txn = rc == DD_OK;
	SQ(st)->bulk = BULK_UNCHECKED;
	return rc == DD_OK ? run_q(SQ(st), Q_CACHE_BIG, err) : rc;
}

/* Foreign keys checked again after a transaction in which a feed import turned them off (sq_feed_begin). */
static void fkeys_on(sq *s)
{
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, (int *)NULL);
}

static dd_rc sq_commit(dd_store *st, dd_err *err)
{
	dd_rc rc = SQ(st)->bulk == BULK_INDEX_DROPPED ? exec(SQ(st), MEMBERS_ID_KEY_INDEX, err) : DD_OK;

	if (rc == DD_OK)
		rc = run_q(SQ(st), Q_COMMIT, err);
	if (rc != DD_OK)
		return rc;   /* still in the transaction: the caller rolls back */
	SQ(st)->txn_first_household = 0;
	SQ(st)->explicit_txn = false;
	SQ(st)->bulk = BULK_NO;
	fkeys_on(SQ(st));
	if (rc == DD_OK)
		rc = run_q(SQ(st), Q_CACHE_DEFAULT, err);
	return rc;
}

/* A read transaction (store.h): deferred, so it locks nothing before its first read. */
static dd_rc sq_read_begin(dd_store *st, dd_err *err)
{
	static const char sql[] = "BEGIN DEFERRED";
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = sqlite3_get_autocommit(s->db) ? sq_stmt(s, sql, &q, err) : DD_DONE;

	return rc == DD_OK ? sq_run(s, q, err) : rc;
}

static void sq_read_end(dd_store *st)
{
	static const char sql[] = "COMMIT";
	sq *s = SQ(st);
	sqlite3_stmt *q;

	if (sqlite3_get_autocommit(s->db))
		return;
	if (sq_stmt(s, sql, &q, NULL) != DD_OK || sq_run(s, q, NULL) != DD_OK)
		run_q(s, Q_ROLLBACK, NULL);   /* never left open across requests */
}

static dd_rc sq_rollback(dd_store *st, dd_err *err)
{
	dd_rc rc = DD_OK;

	SQ(st)->txn_first_household = 0;
	SQ(st)->explicit_txn = false;
	sq_compare_stop(SQ(st));
	SQ(st)->bulk = BULK_NO;
	fkeys_on(SQ(st));
	sq_feed_reset(SQ(st));
	if (!sqlite3_get_autocommit(SQ(st)->db))
		rc = run_q(SQ(st), Q_ROLLBACK, err);
	if (rc == DD_OK)
		rc = run_q(SQ(st), Q_CACHE_DEFAULT, err);
	return rc;
}

/* ---- meta, audit, regions, imports ---- */

static dd_rc audit_row(sq *s, const char *user, int64_t import_id, const char *action,
		       const char *entity, const char *key, const char *before, const char *after,
		       dd_err *err)
{
	sqlite3_stmt *st;
	dd_rc rc = cached(s, Q_AUDIT, &st, err);

	if (rc != DD_OK)
		return rc;
	clock_tick(s);
	sqlite3_bind_text(st, 1, s->now, -1, SQLITE_STATIC);
	bind_text(st, 2, user);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, entity, -1, SQLITE_STATIC);
	bind_text(st, 5, key);
	bind_text(st, 6, before);
	bind_text(st, 7, after);
	sqlite3_bind_int64(st, 8, import_id);
	return run(s, st, err);
}

static dd_rc sq_audit(dd_store *st, const char *user, const char *action, const char *entity,
		      const char *entity_key, const char *before, const char *after, dd_err *err)
{
	if (!user || !*user)
		return dd_err_set(err, DD_ERR_USAGE, "审计记录缺少操作人");
	return audit_row(SQ(st), user, 0, action, entity, entity_key, before, after, err);
}

static dd_rc sq_audit_count(dd_store *st, int64_t *n, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_AUDIT_COUNT, &q, err);

	if (rc == DD_OK)
		rc = step(s, q, err);
	if (rc == DD_OK)
		*n = sqlite3_column_int64(q, 0);
	if (q)
		sqlite3_reset(q);
	return rc == DD_DONE ? dd_err_set(err, DD_ERR_INTERNAL, "COUNT 没有返回行") : rc;
}

/* Reads meta `key` into a malloc'ed *val. */
static dd_rc meta_read(sq *s, const char *key, char **val, dd_err *err)
{
	sqlite3_stmt *st;
	dd_rc rc = cached(s, Q_META_GET, &st, err);

	*val = NULL;
	if (rc != DD_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = step(s, st, err);
	if (rc == DD_OK) {
		*val = strdup((const char *)sqlite3_column_text(st, 0));
		if (!*val)
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	} else if (rc == DD_DONE) {
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "设置项 %s 不存在", key);
	}
	sqlite3_reset(st);
	return rc;
}

static dd_rc sq_meta_get(dd_store *st, const char *key, char **val, dd_err *err)
{
	return meta_read(SQ(st), key, val, err);
}

/* A JSON string literal of `s` (or NULL for NULL), malloc'ed. */
static dd_rc json_text(const char *s, char **out, dd_err *err)
{
	json_t *j;

	*out = NULL;
	if (!s)
		return DD_OK;
	j = json_string_nocheck(s);
	*out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	return *out ? DD_OK : dd_err_set(err, DD_ERR_NOMEM, "内存不足");
}

static dd_rc sq_meta_set(dd_store *st, const char *user, const char *key, const char *val,
			 dd_err *err)
{
	sq *s = SQ(st);
	char *old = NULL, *before = NULL, *after = NULL;
	sqlite3_stmt *set;
	bool own = false;
	dd_rc rc = atomic_begin(s, &own, err);

	if (rc != DD_OK)
		return rc;
	if (!user || !*user) {
		rc = dd_err_set(err, DD_ERR_USAGE, "修改设置缺少操作人");
		goto done;
	}
	rc = meta_read(s, key, &old, err);
	if (rc == DD_ERR_NOTFOUND)
		rc = DD_OK;
	if (rc == DD_OK)
		rc = json_text(old, &before, err);
	if (rc == DD_OK)
		rc = json_text(val, &after, err);
	if (rc == DD_OK)
		rc = cached(s, Q_META_SET, &set, err);
	if (rc != DD_OK)
		goto done;
	sqlite3_bind_text(set, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(set, 2, val, -1, SQLITE_STATIC);
	rc = run(s, set, err);
	if (rc == DD_OK)
		rc = audit_row(s, user, 0, "set", "meta", key, before, after, err);
done:
	free(old);
	free(before);
	free(after);
	return atomic_end(s, own, rc, err);
}

static dd_rc sq_region_put(dd_store *st, const char *code, const char *name, int level,
			   const char *parent, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_REGION_PUT, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, level);
	bind_text(q, 4, parent);
	return run(s, q, err);
}

static dd_rc sq_import_begin(dd_store *st, const char *user, const char *kind, const char *file,
			     const char *month, int64_t *import_id, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_IMPORT_BEGIN, &q, err);

	if (rc != DD_OK)
		return rc;
	clock_tick(s);
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	bind_text(q, 2, file);
	bind_text(q, 3, month);
	bind_text(q, 4, user);
	sqlite3_bind_text(q, 5, s->now, -1, SQLITE_STATIC);
	rc = run(s, q, err);
	if (rc == DD_OK)
		*import_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static dd_rc sq_import_end(dd_store *st, int64_t import_id, int64_t rows, int64_t rejected,
			   dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_IMPORT_END, &q, err);

	if (rc != DD_OK)
		return rc;
	clock_tick(s);
	sqlite3_bind_text(q, 1, s->now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, rows);
	sqlite3_bind_int64(q, 3, rejected);
	sqlite3_bind_int64(q, 4, import_id);
	rc = run(s, q, err);
	if (rc == DD_OK && sqlite3_changes(s->db) == 0)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "导入批次 %lld 不存在", (long long)import_id);
	return rc;
}

/* ---- put ---- */

static void set_text(colval *v, const char *t)
{
	v->type = t && *t ? SQLITE_TEXT : SQLITE_NULL;
	v->s = t;
}

/* Converts one field of `rec` to its column value; scratch holds formatted text. */
static void field_val(const field *f, const void *rec, char scratch[16], colval *v)
{
	const char *p = (const char *)rec + f->off;

	v->type = SQLITE_INTEGER;
	switch (f->kind) {
	case K_TEXT:
		set_text(v, *(const char *const *)p);
		break;
	case K_INT:
		v->i = *(const int *)p;
		break;
	case K_INT_OPT:
		v->i = *(const int *)p;
		v->type = v->i < 0 ? SQLITE_NULL : SQLITE_INTEGER;
		break;
	case K_FEN:
		v->i = *(const dd_fen *)p;
		break;
	case K_FEN_OPT:
		v->i = *(const dd_fen *)p;
		v->type = v->i == -1 ? SQLITE_NULL : SQLITE_INTEGER;
		break;
	case K_DATE:
		if (*(const dd_date *)p == DD_DATE_NONE) {
			v->type = SQLITE_NULL;
		} else {
			dd_date_format(*(const dd_date *)p, scratch);
			set_text(v, scratch);
		}
		break;
	case K_HUKOU:
		v->i = *(const dd_hukou *)p;
		v->type = v->i == DD_HUKOU_NONE ? SQLITE_NULL : SQLITE_INTEGER;
		break;
	case K_CATS:
		dd_category_format(*(const unsigned *)p, scratch);
		set_text(v, scratch);
		break;
	case K_CATBITS:
		v->i = *(const unsigned *)p;
		break;
	case K_IDTEXT:
		set_text(v, ((const dd_id *)p)->text);
		break;
	case K_IDKEY:
		/* dd_id_parse fills the key for bad-check IDs too, from their text. */
		v->i = (sqlite3_int64)((const dd_id *)p)->key;
		break;
	case K_VALID:
		v->i = !*(const bool *)p;
		break;
	case K_OBKEY: {
		const dd_obligor *o = rec;
		set_text(v, o->id_number && *o->id_number ? o->id_number : o->name);
		break;
	}
	}
}

static void bind_val(sqlite3_stmt *st, int i, const colval *v)
{
	if (v->type == SQLITE_INTEGER)
		sqlite3_bind_int64(st, i, v->i);
	else if (v->type == SQLITE_TEXT)
		sqlite3_bind_text(st, i, v->s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Binds the record's fields as ?1..?n and those P_* the statement has.
 * Binding cannot fail here: indexes are in range and SQLITE_STATIC copies nothing.
 */
static void bind_put(sq *s, sqlite3_stmt *st, const rectype *e, const put_args *a, bool fields)
{
	int n = sqlite3_bind_parameter_count(st);

	for (size_t i = 0; fields && i < e->nfields; i++)
		bind_val(st, (int)i + 1, &s->vals[i]);
	if (n >= P_HASH)
		sqlite3_bind_int64(st, P_HASH, (sqlite3_int64)a->hash);
	if (n >= P_IMPORT)
		sqlite3_bind_int64(st, P_IMPORT, a->import_id);
	if (n >= P_NOW)
		sqlite3_bind_text(st, P_NOW, s->now, -1, SQLITE_STATIC);
	if (n >= P_HOUSEHOLD)
		sqlite3_bind_int64(st, P_HOUSEHOLD, a->household_id);
	if (n >= P_TODAY)
		sqlite3_bind_text(st, P_TODAY, s->today, -1, SQLITE_STATIC);
	if (n >= P_ROW)
		sqlite3_bind_int64(st, P_ROW, a->row);
}

static bool same(sqlite3_stmt *old, int i, const colval *v)
{
	int t = sqlite3_column_type(old, i);

	if (t != v->type)
		return false;
	if (t == SQLITE_INTEGER)
		return sqlite3_column_int64(old, i) == v->i;
	return t == SQLITE_NULL || strcmp((const char *)sqlite3_column_text(old, i), v->s) == 0;
}

static json_t *col_json(sqlite3_stmt *old, int i)
{
	switch (sqlite3_column_type(old, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		return json_integer(sqlite3_column_int64(old, i));
	default:
		return json_string_nocheck((const char *)sqlite3_column_text(old, i));
	}
}

static json_t *val_json(const colval *v)
{
	if (v->type == SQLITE_NULL)
		return json_null();
	return v->type == SQLITE_INTEGER ? json_integer(v->i) : json_string_nocheck(v->s);
}

/*
 * Compares the stored row a->row with s->vals: the changed fields (and a
 * cleared left_on/ended_on) go into before/after.  *history is set when an
 * F_HISTORY field changed.
 */
static dd_rc diff(sq *s, const rectype *e, const put_args *a, json_t *before, json_t *after,
		  bool *history, dd_err *err)
{
	sqlite3_stmt *old;
	int fails = 0;
	dd_rc rc = eq(s, e, OP_OLD, &old, err);

	if (rc != DD_OK)
		return rc;
	bind_put(s, old, e, a, false);
	rc = step(s, old, err);
	if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_INTERNAL, "%s 行 %lld 消失了", e->name, (long long)a->row);
	for (size_t i = 0; rc == DD_OK && i < e->nfields; i++) {
		const field *f = &e->fields[i];
		if ((f->flags & F_DERIVED) || same(old, (int)i, &s->vals[i]))
			continue;
		fails |= json_object_set_new(before, f->col, col_json(old, (int)i));
		fails |= json_object_set_new(after, f->col, val_json(&s->vals[i]));
		*history = *history || (f->flags & F_HISTORY);
	}
	if (rc == DD_OK && e->ended_col && sqlite3_column_type(old, (int)e->nfields) != SQLITE_NULL) {
		fails |= json_object_set_new(before, e->ended_col, col_json(old, (int)e->nfields));
		fails |= json_object_set_new(after, e->ended_col, json_null());
	}
	sqlite3_reset(old);
	if (rc == DD_OK && fails)
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	return rc;
}

/* Updates an existing row, auditing what changed. */
static dd_rc update_row(sq *s, const rectype *e, const void *rec, put_args *a, dd_put_result *res,
			dd_err *err)
{
	json_t *before = json_object(), *after = json_object();
	char *bj = NULL, *aj = NULL, rowkey[24];
	const char *key = rowkey;
	sqlite3_stmt *up;
	bool history = false;
	dd_rc rc = DD_ERR_NOMEM;

	if (!before || !after) {
		dd_err_set(err, rc, "内存不足");
		goto done;
	}
	rc = diff(s, e, a, before, after, &history, err);
	if (rc == DD_OK)
		rc = eq(s, e, OP_UPDATE, &up, err);
	if (rc != DD_OK)
		goto done;
	bind_put(s, up, e, a, true);
	rc = run(s, up, err);
	/* A new hash over unchanged fields only refreshes row_hash: nothing to audit. */
	*res = json_object_size(before) ? DD_PUT_UPDATED : DD_PUT_UNCHANGED;
	if (rc != DD_OK || *res == DD_PUT_UNCHANGED)
		goto done;
	bj = json_dumps(before, JSON_COMPACT);
	aj = json_dumps(after, JSON_COMPACT);
	if (!bj || !aj) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		goto done;
	}
	if (e->audit_by_key)
		key = s->vals[e->key].s;
	else
		snprintf(rowkey, sizeof rowkey, "%lld", (long long)a->row);
	rc = audit_row(s, NULL, a->import_id, "update", e->name, key, bj, aj, err);
	if (rc == DD_OK && history && e->history)
		rc = e->history(s, rec, a, false, err);
done:
	free(bj);
	free(aj);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* Finds the row by key, then inserts, leaves alone (marking it seen) or updates. */
static dd_rc bulk_check(sq *s, dd_err *err)
{
	sqlite3_stmt *q;
	bool empty;
	dd_rc rc;

	s->bulk = BULK_NO;
	if (sqlite3_prepare_v2(s->db, "SELECT NOT EXISTS (SELECT 1 FROM members)", -1, &q, NULL) != SQLITE_OK)
		return fail(s, err);
	rc = step(s, q, err);
	empty = rc == DD_OK && sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (rc != DD_OK)
		return rc;
	if (empty && (rc = exec(s, "DROP INDEX members_id_key", err)) == DD_OK)
		s->bulk = BULK_INDEX_DROPPED;
	return rc;
}

static dd_rc insert_row(sq *s, const rectype *e, const void *rec, put_args *a, dd_err *err)
{
	sqlite3_stmt *st;
	dd_rc rc = eq(s, e, OP_INSERT, &st, err);

	if (rc == DD_OK) {
		bind_put(s, st, e, a, true);
		rc = run(s, st, err);
	}
	if (rc != DD_OK)
		return rc;
	a->row = sqlite3_last_insert_rowid(s->db);
	if (e == &E_HOUSEHOLD && !s->txn_first_household && s->explicit_txn)
		s->txn_first_household = a->row;
	return e->history ? e->history(s, rec, a, true, err) : DD_OK;
}

static dd_rc put_row(sq *s, const rectype *e, const void *rec, put_args *a, dd_put_result *res,
		     dd_err *err)
{
	sqlite3_stmt *find, *st;
	sqlite3_int64 old_hash = 0;
	bool ended = false;
	dd_rc rc;

	clock_tick(s);
	for (size_t i = 0; i < e->nfields; i++)
		field_val(&e->fields[i], rec, s->scratch[i], &s->vals[i]);
	if (e == &E_MEMBER && s->bulk == BULK_UNCHECKED && (rc = bulk_check(s, err)) != DD_OK)
		return rc;
	/* a member of a household new in this transaction is new too, unless put twice */
	if (s->txn_first_household && a->household_id >= s->txn_first_household) {
		*res = DD_PUT_INSERTED;
		rc = insert_row(s, e, rec, a, err);
		if (rc == DD_OK || sqlite3_extended_errcode(s->db) != SQLITE_CONSTRAINT_UNIQUE)
			return rc;
		dd_err_clear(err);
	}
	rc = eq(s, e, OP_FIND, &find, err);
	if (rc != DD_OK)
		return rc;
	bind_val(find, (int)e->key + 1, &s->vals[e->key]);
	bind_put(s, find, e, a, false);
	rc = step(s, find, err);
	if (rc == DD_OK) {
		a->row = sqlite3_column_int64(find, 0);
		old_hash = sqlite3_column_int64(find, 1);
		ended = sqlite3_column_type(find, 2) != SQLITE_NULL;
	}
	sqlite3_reset(find);
	if (rc == DD_DONE) {
		*res = DD_PUT_INSERTED;
		rc = insert_row(s, e, rec, a, err);
	} else if (rc == DD_OK && old_hash == (sqlite3_int64)a->hash && !ended) {
		*res = DD_PUT_UNCHANGED;
		rc = eq(s, e, OP_SEEN, &st, err);
		if (rc == DD_OK) {
			bind_put(s, st, e, a, false);
			rc = run(s, st, err);
		}
	} else if (rc == DD_OK) {
		rc = update_row(s, e, rec, a, res, err);
	}
	return rc;
}

static dd_rc put(sq *s, const rectype *e, const void *rec, put_args *a, dd_put_result *res,
		 dd_err *err)
{
	bool own = false;
	dd_rc rc = atomic_begin(s, &own, err);

	if (rc == DD_OK)
		rc = put_row(s, e, rec, a, res, err);
	return atomic_end(s, own, rc, err);
}

/* A category_history row for a new household with a category, or a changed one. */
static dd_rc household_history(sq *s, const void *rec, const put_args *a, bool inserted,
			       dd_err *err)
{
	const dd_household *h = rec;
	sqlite3_stmt *st;
	char cats[16], from[11];
	dd_rc rc;

	if (inserted && !h->categories && !(h->fp_subtype && *h->fp_subtype))
		return DD_OK;
	rc = cached(s, Q_HISTORY, &st, err);
	if (rc != DD_OK)
		return rc;
	dd_category_format(h->categories, cats);
	/* The category holds from its recognition date when known, else from today. */
	if (h->recognized_on != DD_DATE_NONE)
		dd_date_format(h->recognized_on, from);
	else
		memcpy(from, s->today, sizeof from);
	sqlite3_bind_int64(st, 1, a->row);
	bind_text(st, 2, cats);
	sqlite3_bind_int64(st, 3, h->categories);
	bind_text(st, 4, h->fp_subtype);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, a->import_id);
	sqlite3_bind_text(st, 7, s->now, -1, SQLITE_STATIC);
	return run(s, st, err);
}

static dd_rc sq_household_put(dd_store *st, int64_t import_id, const dd_household *h,
			      uint64_t hash, int64_t *id, dd_put_result *res, dd_err *err)
{
	put_args a = { .import_id = import_id, .hash = hash };
	dd_rc rc;

	if (!h->household_no || !*h->household_no)
		return dd_err_set(err, DD_ERR_USAGE, "户编号为空");
	rc = put(SQ(st), &E_HOUSEHOLD, h, &a, res, err);
	if (rc == DD_OK)
		*id = a.row;
	return rc;
}

static dd_rc sq_member_put(dd_store *st, int64_t import_id, int64_t household_id,
			   const dd_member *m, uint64_t hash, dd_put_result *res, dd_err *err)
{
	put_args a = { .import_id = import_id, .household_id = household_id, .hash = hash };

	if (!m->id.text[0])
		return dd_err_set(err, DD_ERR_USAGE, "成员证件号码为空");
	return put(SQ(st), &E_MEMBER, m, &a, res, err);
}

static dd_rc sq_obligor_put(dd_store *st, int64_t import_id, int64_t household_id,
			    const dd_obligor *o, uint64_t hash, dd_put_result *res, dd_err *err)
{
	put_args a = { .import_id = import_id, .household_id = household_id, .hash = hash };

	if (!(o->id_number && *o->id_number) && !(o->name && *o->name))
		return dd_err_set(err, DD_ERR_USAGE, "义务人既无身份证号也无姓名");
	return put(SQ(st), &E_OBLIGOR, o, &a, res, err);
}

/* ---- lookups ---- */

static dd_rc sq_household_id(dd_store *st, const char *household_no, int64_t *id, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_HOUSEHOLD_ID, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_text(q, 1, household_no, -1, SQLITE_STATIC);
	rc = step(s, q, err);
	if (rc == DD_OK)
		*id = sqlite3_column_int64(q, 0);
	else if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "户编号 %s 不存在", household_no);
	sqlite3_reset(q);
	return rc;
}

static dd_rc sq_household_has_member(dd_store *st, int64_t household_id, const char *id18,
				     bool *yes, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_HAS_MEMBER, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, household_id);
	sqlite3_bind_text(q, 2, id18, -1, SQLITE_STATIC);
	rc = step(s, q, err);
	*yes = rc == DD_OK;
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

static dd_rc sq_household_hold(dd_store *st, int64_t household_id, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc = cached(s, Q_HOLD, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, household_id);
	return run(s, q, err);
}

/* ---- end of a registry import ---- */

/* Audits then marks the unseen rows of one table (the Q_*_AUDIT / Q_* pair). */
static dd_rc mark_gone(sq *s, int audit_q, int set_q, int64_t import_id, const char *on,
		       int64_t *n, dd_err *err)
{
	const int ids[2] = { audit_q, set_q };
	dd_rc rc = DD_OK;

	for (size_t i = 0; i < 2 && rc == DD_OK; i++) {
		sqlite3_stmt *st;
		rc = cached(s, ids[i], &st, err);
		if (rc != DD_OK)
			break;
		sqlite3_bind_text(st, 1, s->now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, import_id);
		sqlite3_bind_text(st, 3, on, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, s->txn_first_household ? s->txn_first_household : INT64_MAX);
		rc = run(s, st, err);
	}
	if (rc == DD_OK && n)
		*n = sqlite3_changes64(s->db);
	return rc;
}

static dd_rc sq_registry_finish(dd_store *st, int64_t import_id, dd_date on, bool obligors_given,
				int64_t *members_left, dd_err *err)
{
	sq *s = SQ(st);
	char day[11];
	bool own = false;
	dd_rc rc;

	if (on == DD_DATE_NONE)
		return dd_err_set(err, DD_ERR_USAGE, "未给出离开日期");
	rc = atomic_begin(s, &own, err);
	if (rc != DD_OK)
		return rc;
	clock_tick(s);
	dd_date_format(on, day);
	rc = mark_gone(s, Q_LEAVE_AUDIT, Q_LEAVE, import_id, day, members_left, err);
	if (rc == DD_OK && obligors_given)
		rc = mark_gone(s, Q_END_AUDIT, Q_END, import_id, day, NULL, err);
	return atomic_end(s, own, rc, err);
}

/* ---- stats ---- */

static dd_rc sq_stats(dd_store *st, dd_date today, dd_stats *out, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *hh = NULL, *mm = NULL;
	char day[11];
	dd_rc rc;

	memset(out, 0, sizeof *out);
	dd_date_format(today, day);
	rc = cached(s, Q_STATS_HOUSEHOLDS, &hh, err);
	if (rc == DD_OK)
		rc = cached(s, Q_STATS_MEMBERS, &mm, err);
	if (rc != DD_OK)
		return rc;
	sqlite3_bind_text(hh, 1, day, -1, SQLITE_STATIC);
	for (int i = 0; i < 5; i++)
		sqlite3_bind_int(hh, i + 2, (int)dd_categories[i].bit);
	sqlite3_bind_text(mm, 1, day, -1, SQLITE_STATIC);
	rc = step(s, hh, err);
	if (rc == DD_OK) {
		out->households = sqlite3_column_int64(hh, 0);
		for (int i = 0; i < 5; i++)
			out->by_category[i] = sqlite3_column_int64(hh, i + 1);
		out->fp = sqlite3_column_int64(hh, 6);
		rc = step(s, mm, err);
	}
	if (rc == DD_OK) {
		out->members = sqlite3_column_int64(mm, 0);
		out->invalid_ids = sqlite3_column_int64(mm, 1);
	}
	sqlite3_reset(hh);
	sqlite3_reset(mm);
	return rc == DD_DONE ? dd_err_set(err, DD_ERR_INTERNAL, "统计没有返回行") : rc;
}

/* ---- backup ---- */

/* Runs PRAGMA integrity_check on db: DD_OK when it says "ok". */
static dd_rc integrity_ok(sqlite3 *db, dd_err *err)
{
	sqlite3_stmt *st = NULL;
	dd_rc rc = DD_ERR_STORE;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		dd_err_set(err, rc, "数据库错误：%s", sqlite3_errmsg(db));
	else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		dd_err_set(err, rc, "备份校验失败：%s", (const char *)sqlite3_column_text(st, 0));
	else
		rc = DD_OK;
	sqlite3_finalize(st);
	return rc;
}

static dd_rc sq_backup(dd_store *st, const char *dest, dd_err *err)
{
	sq *s = SQ(st);
	sqlite3 *d = NULL;
	sqlite3_backup *b;
	bool made = false;
	int fd, r;
	dd_rc rc = DD_ERR_STORE;

	if (!sqlite3_get_autocommit(s->db)) {
		rc = dd_err_set(err, DD_ERR_USAGE, "事务进行中，不能备份");
		goto done;
	}
	/* O_EXCL: never overwrite, even if dest appears between a check and the open. */
	fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = dd_err_set(err, errno == EEXIST ? DD_ERR_USAGE : DD_ERR_IO,
				"无法创建备份文件 %s：%s", dest,
				errno == EEXIST ? "文件已存在" : strerror(errno));
		goto done;
	}
	close(fd);
	made = true;
	if (sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		dd_err_set(err, rc, "数据库错误：%s", sqlite3_errmsg(d));
		goto done;
	}
	b = sqlite3_backup_init(d, "main", s->db, "main");
	if (!b) {
		dd_err_set(err, rc, "数据库错误：%s", sqlite3_errmsg(d));
		goto done;
	}
	/*
	 * All pages in one step: in WAL mode this read transaction blocks no
	 * writer, and a single step is one consistent snapshot, whereas a
	 * chunked copy restarts whenever another connection commits.
	 */
	r = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		dd_err_set(err, rc, "数据库错误：%s", sqlite3_errstr(r));
		goto done;
	}
	rc = integrity_ok(d, err);
done:
	sqlite3_close(d);
	if (rc != DD_OK && made)
		unlink(dest);
	return rc;
}


/* ---- reading the registry back ---- */

typedef struct sq_cursor {
	dd_registry_cursor base;       /* first: what store.c dispatches on */
	sq *s;
	sqlite3_stmt *hh, *mb, *ob;
	bool mb_more, ob_more;         /* a fetched member/obligor row waits in mb/ob */
	bool reuse;                    /* an open_one cursor: closing keeps it as the handle's `one` */
	dd_arena mem;                  /* the current record's text, reset per household */
	field hf[MAX_FIELDS], mf[MAX_FIELDS], of[MAX_FIELDS];   /* the columns read, after the keys */
	size_t nhf, nmf, nof;
	dd_registry_rec rec;
	size_t mcap, ocap;
	int64_t *rows;                 /* row ids of the records collect() is gathering */
	size_t rcap;
} sq_cursor;

/* "SELECT <lead>, c1, c2… FROM <rest>" from a field list. */
static dd_rc cursor_prepare(sq *s, const field *f, size_t n, const char *lead, const char *rest,
			    sqlite3_stmt **out, dd_err *err)
{
	dd_buf b;
	dd_rc rc = DD_OK;

	dd_buf_init(&b, 0);
	dd_buf_printf(&b, "SELECT %s", lead);
	for (size_t i = 0; i < n; i++)
		dd_buf_printf(&b, ", %s", f[i].col);
	if (dd_buf_printf(&b, " FROM %s", rest) != DD_OK)
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if (rc == DD_OK && sqlite3_prepare_v2(s->db, b.data, -1, out, NULL) != SQLITE_OK)
		rc = fail(s, err);
	dd_buf_release(&b);
	return rc;
}

/* The inverse of field_val: column i of st into the record. */
static void read_field(const field *f, sqlite3_stmt *st, int i, void *rec, dd_arena *a)
{
	char *p = (char *)rec + f->off;
	/*
	 * Each column is read in its stored type only: asking for the text of an
	 * integer column (or the reverse) converts it, and that was a fifth of the
	 * time of reading the whole registry (bench/RESULTS.md, "assess").
	 */
	bool text = f->kind == K_TEXT || f->kind == K_DATE || f->kind == K_IDTEXT;
	bool derived = f->kind == K_CATS || f->kind == K_IDKEY || f->kind == K_OBKEY;
	bool null = !derived && sqlite3_column_type(st, i) == SQLITE_NULL;
	const char *t = text && !null ? (const char *)sqlite3_column_text(st, i) : NULL;
	size_t tn = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	sqlite3_int64 v = text || derived || null ? 0 : sqlite3_column_int64(st, i);

	switch (f->kind) {
	case K_TEXT:
		*(const char **)p = t ? dd_arena_strndup(a, t, tn) : NULL;
		break;
	case K_INT:
		*(int *)p = (int)v;
		break;
	case K_INT_OPT:
		*(int *)p = null ? -1 : (int)v;
		break;
	case K_FEN:
		*(dd_fen *)p = v;
		break;
	case K_FEN_OPT:
		*(dd_fen *)p = null ? -1 : v;
		break;
	case K_DATE:
		*(dd_date *)p = DD_DATE_NONE;
		if (t)
			dd_date_parse(t, tn, (dd_date *)p);
		break;
	case K_HUKOU:
		*(dd_hukou *)p = null ? DD_HUKOU_NONE : (dd_hukou)v;
		break;
	case K_CATBITS:
		*(unsigned *)p = (unsigned)v;
		break;
	case K_IDTEXT:
		/* stored IDs passed dd_id_parse at import (a bad check digit included) */
		memset(p, 0, sizeof(dd_id));
		if (t && dd_id_parse(t, tn, (dd_id *)p) > DD_ID_BAD_CHECK)
			snprintf(((dd_id *)p)->text, sizeof ((dd_id *)p)->text, "%s", t);
		break;
	case K_VALID:
		*(bool *)p = !v;
		break;
	case K_CATS:
	case K_IDKEY:
	case K_OBKEY:
		break;   /* derived from other columns */
	}
}

/* The fields are columns first, first + 1…: the cursors' statements lead with their keys. */
static void read_fields(const field *f, size_t n, sqlite3_stmt *st, int first, void *rec, dd_arena *a)
{
	for (size_t i = 0; i < n; i++)
		read_field(&f[i], st, (int)i + first, rec, a);
}

static void cursor_free(sq_cursor *c)
{
	sqlite3_finalize(c->hh);
	sqlite3_finalize(c->mb);
	sqlite3_finalize(c->ob);
	dd_arena_release(&c->mem);
	free(c->rec.members);
	free(c->rec.obligors);
	free(c->rows);
	free(c);
}

static void sq_registry_close(dd_registry_cursor *base)
{
	sq_cursor *c = (sq_cursor *)base;

	if (!c->reuse || c->s->one) {
		cursor_free(c);
		return;
	}
	/* preparing its three statements was 40 % of a household page's time */
	sqlite3_reset(c->hh);
	sqlite3_reset(c->mb);
	sqlite3_reset(c->ob);
	dd_arena_reset(&c->mem);
	c->s->one = c;
}

/*
 * The columns dd_assess and the re-assessment listings read (assess.h,
 * simulate.h), of all three tables: a DD_REGISTRY_ASSESS cursor reads only
 * these, 27 of the 73 columns (bench/RESULTS.md, "assess").  A field the engine
 * starts to read must be added here.
 */
static const char *const assess_cols[] = {
	"household_no", "region_code", "hukou_type", "category_bits", "risk_types", "wage_income",
	"business_income", "property_income", "transfer_income", "insurance_payout", "business_expense",
	"medical_self_paid", "education_expense", "rehab_expense", "fin_assets", "vehicle_value",
	"name", "id_number", "health", "labor", "disability_type", "disability_grade", "orphan_guarantee",
	"monthly_income",
};

/* The fields f[0..n) a cursor reads into out (all, or those of assess_cols); returns how many. */
static size_t pick(const field *f, size_t n, dd_registry_fields which, field *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool want = which == DD_REGISTRY_ALL;
		for (size_t j = 0; !want && j < DD_ARRAY_LEN(assess_cols); j++)
			want = !strcmp(f[i].col, assess_cols[j]);
		if (want)
			out[k++] = f[i];
	}
	return k;
}

/*
 * The whole registry is read through memory-mapped pages instead of a pread
 * copy of each (≈ 10 % of reading it, and of a web page of one household);
 * SQLite caps the size at its compile-time limit and reads the rest of a
 * larger file as before.
 */
const char sq_mmap_all[] = "PRAGMA mmap_size = 1099511627776";

/* A cursor whose three statements select FROM hh, mb, ob; the caller binds them, then cursor_start. */
static dd_rc cursor_new(dd_store *st, dd_registry_fields which, const char *hh, const char *mb,
			const char *ob, sq_cursor **out, dd_err *err)
{
	sq *s = SQ(st);
	sq_cursor *c = calloc(1, sizeof *c);
	dd_rc rc;

	*out = NULL;
	if (!c)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	c->base.st = st;
	c->s = s;
	dd_arena_init(&c->mem, 64 * 1024);
	c->nhf = pick(household_fields, DD_ARRAY_LEN(household_fields), which, c->hf);
	c->nmf = pick(member_fields, DD_ARRAY_LEN(member_fields), which, c->mf);
	c->nof = pick(obligor_fields, DD_ARRAY_LEN(obligor_fields), which, c->of);
	rc = cursor_prepare(s, c->hf, c->nhf, "id", hh, &c->hh, err);
	if (rc == DD_OK)
		rc = cursor_prepare(s, c->mf, c->nmf, "household_id, id", mb, &c->mb, err);
	if (rc == DD_OK)
		rc = cursor_prepare(s, c->of, c->nof, "household_id, id", ob, &c->ob, err);
	if (rc != DD_OK)
		cursor_free(c);
	else
		*out = c;
	return rc;
}

/* Fetches the first member and obligor rows; closes the cursor on failure. */
static dd_rc cursor_start(sq_cursor *c, dd_registry_cursor **out, dd_err *err)
{
	dd_rc rc = step(c->s, c->mb, err);

	c->mb_more = rc == DD_OK;
	if (rc == DD_OK || rc == DD_DONE) {
		rc = step(c->s, c->ob, err);
		c->ob_more = rc == DD_OK;
	}
	if (rc == DD_DONE)
		rc = DD_OK;
	if (rc != DD_OK) {
		sq_registry_close(&c->base);
		return rc;
	}
	*out = &c->base;
	return DD_OK;
}

/* The households with row ids lo..hi (inclusive). */
static dd_rc registry_range(dd_store *st, dd_date today, bool include_exited, int64_t lo, int64_t hi,
			    dd_registry_fields which, dd_registry_cursor **out, dd_err *err)
{
	sq_cursor *c;
	char day[11];
	/*
	 * Members and obligors come in index order (household_id, then the
	 * index's key); "ORDER BY household_id, id" made SQLite sort every
	 * household's rows, 2 s of 9 for a million households.  collect() puts
	 * them back in row order.
	 */
	dd_rc rc = cursor_new(st, which,
			      "households WHERE (?1 OR exited_on IS NULL OR exited_on > ?2)"
			      " AND id BETWEEN ?3 AND ?4 ORDER BY id",
			      "members WHERE left_on IS NULL AND household_id BETWEEN ?1 AND ?2"
			      " ORDER BY household_id",
			      "obligors WHERE ended_on IS NULL AND household_id BETWEEN ?1 AND ?2"
			      " ORDER BY household_id", &c, err);

	if (rc == DD_OK && (rc = exec(SQ(st), sq_mmap_all, err)) != DD_OK)
		sq_registry_close(&c->base);
	if (rc != DD_OK)
		return rc;
	dd_date_format(today, day);
	sqlite3_bind_int(c->hh, 1, include_exited);
	sqlite3_bind_text(c->hh, 2, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(c->hh, 3, lo);
	sqlite3_bind_int64(c->hh, 4, hi);
	sqlite3_bind_int64(c->mb, 1, lo);
	sqlite3_bind_int64(c->mb, 2, hi);
	sqlite3_bind_int64(c->ob, 1, lo);
	sqlite3_bind_int64(c->ob, 2, hi);
	return cursor_start(c, out, err);
}

static dd_rc sq_registry_open(dd_store *st, dd_date today, bool include_exited,
			      dd_registry_cursor **out, dd_err *err)
{
	return registry_range(st, today, include_exited, INT64_MIN, INT64_MAX, DD_REGISTRY_ALL, out, err);
}

/* Part k of n: the row ids min..max split into n ranges of equal width, the last one open-ended. */
static dd_rc sq_registry_open_part(dd_store *st, dd_date today, bool include_exited, int part,
				   int nparts, dd_registry_fields which, dd_registry_cursor **out,
				   dd_err *err)
{
	sq *s = SQ(st);
	sqlite3_stmt *q;
	dd_rc rc;

	if (nparts < 1 || part < 0 || part >= nparts)
		return dd_err_set(err, DD_ERR_USAGE, "登记库分段无效：第 %d 段，共 %d 段", part, nparts);
	if ((rc = prepare(s, "SELECT min(id), max(id) FROM households", &q, err)) != DD_OK)
		return rc;
	if ((rc = step(s, q, err)) == DD_OK) {
		__extension__ typedef __int128 wide;   /* max - min + 1 may not fit int64 */
		int64_t min = sqlite3_column_int64(q, 0), max = sqlite3_column_int64(q, 1);
		wide span = (wide)max - min + 1;
		int64_t lo = part ? (int64_t)(min + span * part / nparts) : INT64_MIN;
		int64_t hi = part + 1 < nparts ? (int64_t)(min + span * (part + 1) / nparts) - 1 : INT64_MAX;
		rc = registry_range(st, today, include_exited, lo, hi, which, out, err);
	}
	sqlite3_finalize(q);
	return rc;
}

/* The workflow reads one household at a time (an application's economic check). */
static dd_rc sq_registry_open_one(dd_store *st, int64_t household_id, dd_registry_cursor **out,
				  dd_err *err)
{
	sq *s = SQ(st);
	sq_cursor *c = s->one;
	dd_rc rc = DD_OK;

	/* no ORDER BY (a sort per page): collect() puts the rows in row order */
	if (c)
		s->one = NULL;
	else if ((rc = cursor_new(st, DD_REGISTRY_ALL, "households WHERE id = ?1",
				  "members WHERE household_id = ?1 AND left_on IS NULL",
				  "obligors WHERE household_id = ?1 AND ended_on IS NULL", &c, err)) != DD_OK)
		return rc;
	else if ((rc = exec(s, sq_mmap_all, err)) != DD_OK) {
		cursor_free(c);
		return rc;
	}
	c->reuse = true;
	sqlite3_bind_int64(c->hh, 1, household_id);
	sqlite3_bind_int64(c->mb, 1, household_id);
	sqlite3_bind_int64(c->ob, 1, household_id);
	return cursor_start(c, out, err);
}

/*
 * Collects the rows of `st` (a member or obligor cursor, ordered by
 * household) that belong to household `id`, skipping those of households
 * the main cursor passed over (exited ones).
 */
static dd_rc collect(sq_cursor *c, sqlite3_stmt *st, bool *more, int64_t id, const field *f,
		     size_t nf, size_t size, void **arr, size_t *n, size_t *cap, dd_err *err)
{
	dd_rc rc = DD_OK;

	*n = 0;
	while (*more && sqlite3_column_int64(st, 0) <= id) {
		if (sqlite3_column_int64(st, 0) == id) {
			if (*n == *cap) {
				size_t ncap = *cap ? *cap * 2 : 8;
				void *p = realloc(*arr, ncap * size);
				if (!p)
					return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
				*arr = p;
				*cap = ncap;
			}
			if (*n == c->rcap) {
				size_t ncap = c->rcap ? c->rcap * 2 : 8;
				int64_t *p = realloc(c->rows, ncap * sizeof *p);
				if (!p)
					return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
				c->rows = p;
				c->rcap = ncap;
			}
			/* insertion by row id (column 1): the records stay in row order */
			int64_t row = sqlite3_column_int64(st, 1);
			size_t at = *n;
			while (at > 0 && c->rows[at - 1] > row)
				at--;
			char *rec = (char *)*arr + at * size;
			memmove(rec + size, rec, (*n - at) * size);
			memmove(&c->rows[at + 1], &c->rows[at], (*n - at) * sizeof *c->rows);
			c->rows[at] = row;
			memset(rec, 0, size);
			read_fields(f, nf, st, 2, rec, &c->mem);
			(*n)++;
		}
		rc = step(c->s, st, err);
		*more = rc == DD_OK;
		if (rc == DD_DONE)
			rc = DD_OK;
		if (rc != DD_OK)
			break;
	}
	return rc;
}

static dd_rc sq_registry_next(dd_registry_cursor *base, const dd_registry_rec **out, dd_err *err)
{
	sq_cursor *c = (sq_cursor *)base;
	dd_registry_rec *r = &c->rec;
	dd_rc rc = step(c->s, c->hh, err);

	if (rc != DD_OK)
		return rc;
	dd_arena_reset(&c->mem);
	r->id = sqlite3_column_int64(c->hh, 0);
	memset(&r->h, 0, sizeof r->h);
	read_fields(c->hf, c->nhf, c->hh, 1, &r->h, &c->mem);
	rc = collect(c, c->mb, &c->mb_more, r->id, c->mf, c->nmf, sizeof(dd_member), (void **)&r->members,
		     &r->nmembers, &c->mcap, err);
	if (rc == DD_OK)
		rc = collect(c, c->ob, &c->ob_more, r->id, c->of, c->nof, sizeof(dd_obligor),
			     (void **)&r->obligors, &r->nobligors, &c->ocap, err);
	for (size_t i = 0; rc == DD_OK && i < r->nmembers; i++)
		r->members[i].household_no = r->h.household_no;
	for (size_t i = 0; rc == DD_OK && i < r->nobligors; i++)
		r->obligors[i].household_no = r->h.household_no;
	if (rc == DD_OK)
		*out = r;
	return rc;
}

/* ---- open ---- */

static const dd_store_ops sqlite_ops = {
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.meta_get = sq_meta_get,
	.meta_set = sq_meta_set,
	.audit = sq_audit,
	.audit_count = sq_audit_count,
	.region_put = sq_region_put,
	.import_begin = sq_import_begin,
	.import_end = sq_import_end,
	.household_put = sq_household_put,
	.household_id = sq_household_id,
	.household_hold = sq_household_hold,
	.household_has_member = sq_household_has_member,
	.member_put = sq_member_put,
	.obligor_put = sq_obligor_put,
	.registry_finish = sq_registry_finish,
	.registry_open = sq_registry_open,
	.registry_next = sq_registry_next,
	.registry_close = sq_registry_close,
	.stats = sq_stats,
	.backup = sq_backup,
	.feed_begin = sq_feed_begin,
	.feed_put = sq_feed_put,
	.feed_end = sq_feed_end,
	.feed_batch = sq_feed_batch,
	.app_put = sq_app_put,
	.app_get = sq_app_get,
	.app_steps = sq_app_steps,
	.app_list = sq_app_list,
	.household_recognize = sq_household_recognize,
	.followup_put = sq_followup_put,
	.followups = sq_followups,
	.registry_open_one = sq_registry_open_one,
	.compare_begin = sq_compare_begin,
	.compare_rule = sq_compare_rule,
	.compare_ahead = sq_compare_ahead,
	.compare_end = sq_compare_end,
	.rule_check = sq_rule_check,
	.warnings_list = sq_warnings_list,
	.registry_open_part = sq_registry_open_part,
	.user_add = sq_user_add,
	.user_get = sq_user_get,
	.session_put = sq_session_put,
	.session_use = sq_session_use,
	.session_end = sq_session_end,
	.household_search = sq_household_search,
	.warnings_page = sq_warnings_page,
	.warning_get = sq_warning_get,
	.compare_runs = sq_compare_runs,
	.imports_list = sq_imports_list,
	.app_page = sq_app_page,
	.household_events = sq_household_events,
	.drafts = sq_drafts,
	.draft_put = sq_draft_put,
	.draft_delete = sq_draft_delete,
	.user_list = sq_user_list,
	.user_set = sq_user_set,
	.dashboard = sq_dashboard,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
};

/*
 * WAL with synchronous=NORMAL: a commit is durable once it is in the WAL,
 * which survives the process being killed (only an OS crash or power loss can
 * lose the last commits, never corrupt the file).  That is the guarantee an
 * import needs, at a fraction of FULL's fsyncs.
 */
static const char open_pragmas[] =
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = NORMAL;"
	"PRAGMA foreign_keys = ON;";

/*
 * SQLite counts its memory under one process-wide mutex per allocation; the
 * HTTP server's workers queued on it (futex sleeps in a household page).
 * doudi never reads the counts.  Settable only before SQLite's first use.
 * The feed SQL (the feed_medical_year table, dd_med_pack) and the rules' and
 * views' functions are auto-extensions: on every connection, before the
 * migrations that use them.
 */
static void process_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_auto_extension((void (*)(void))sq_feed_sql);
	sqlite3_auto_extension((void (*)(void))sq_warn_sql);
}

dd_rc dd_store_sqlite_open(dd_store **out, const char *path, bool create, dd_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	/* one handle is used by one thread at a time: no per-call mutexes */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	sq *s = NULL;
	dd_rc rc = DD_ERR_STORE;

	*out = NULL;
	pthread_once(&once, process_init);
	if (!create && access(path, F_OK) != 0)
		return dd_err_set(err, DD_ERR_NOTFOUND, "数据库不存在，请先运行 doudi init");
	s = calloc(1, sizeof *s);
	if (!s)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		rc = s->db ? fail(s, err) : dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		goto done;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);   /* a writer waits for another import's commit */
	rc = exec(s, open_pragmas, err);
	if (rc == DD_OK)
		rc = migrate(s, err);
	if (rc == DD_OK)
		rc = sq_search_functions(s, err);
done:
	if (rc == DD_OK)
		*out = &s->base;
	else
		sq_close(&s->base);
	return rc;
}

/* ---- what the sibling files use (sqlite_int.h) ---- */

sq *sq_of(dd_store *st)
{
	return SQ(st);
}

sqlite3 *sq_db(sq *s)
{
	return s->db;
}

sq_medw **sq_medw_of(sq *s)
{
	return &s->medw;
}

sq_ahead **sq_ahead_of(sq *s)
{
	return &s->ahead;
}

dd_rc sq_stmt(sq *s, const char *sql, sqlite3_stmt **out, dd_err *err)
{
	uint64_t *slot = dd_umap_slot(&s->stmts, (uint64_t)(uintptr_t)sql);
	dd_rc rc = DD_OK;

	*out = NULL;
	if (!slot)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	if (!*slot) {
		sqlite3_stmt *st;
		rc = prepare(s, sql, &st, err);
		if (rc == DD_OK)
			*slot = (uint64_t)(uintptr_t)st;
	}
	*out = (sqlite3_stmt *)(uintptr_t)*slot;
	return rc;
}

dd_rc sq_step(sq *s, sqlite3_stmt *st, dd_err *err)
{
	return step(s, st, err);
}

dd_rc sq_run(sq *s, sqlite3_stmt *st, dd_err *err)
{
	return run(s, st, err);
}

dd_rc sq_exec(sq *s, const char *sql, dd_err *err)
{
	return exec(s, sql, err);
}

dd_rc sq_fail(sq *s, dd_err *err)
{
	return fail(s, err);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *t)
{
	bind_text(st, i, t);
}

const char *sq_col_text(sqlite3_stmt *st, int i, dd_arena *mem)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? dd_arena_strndup(mem, t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

dd_date sq_col_date(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	dd_date d = DD_DATE_NONE;

	if (t && dd_date_parse(t, (size_t)sqlite3_column_bytes(st, i), &d) != DD_OK)
		d = DD_DATE_NONE;
	return d;
}

dd_rc sq_atomic_begin(sq *s, bool *own, dd_err *err)
{
	return atomic_begin(s, own, err);
}

dd_rc sq_atomic_end(sq *s, bool own, dd_rc rc, dd_err *err)
{
	return atomic_end(s, own, rc, err);
}

dd_rc sq_audit_row(sq *s, const char *user, int64_t import_id, const char *action,
		   const char *entity, const char *key, const char *before, const char *after,
		   dd_err *err)
{
	return audit_row(s, user, import_id, action, entity, key, before, after, err);
}

const char *sq_now(sq *s)
{
	clock_tick(s);
	return s->now;
}

const char *sq_today(sq *s)
{
	clock_tick(s);
	return s->today;
}
