/*
 * sqlite_feed.c - SQLite backend: department feeds (FORMATS.md §3).
 *
 * One table per kind (docs/internals/feeds.md has the contract the rules
 * read), all of the same shape: batch_id, id_key, name, then the kind's
 * columns.  The shape is written once, as macros, so the twelve tables,
 * their indexes, their no-delete triggers and their inserts cannot drift.
 *
 * A batch is inserted "replaced by itself" (not active) at begin, so the
 * partial unique index on the active (kind, month) holds while the rows
 * arrive; feed_end then points the previous active batch at the new one and
 * clears the new one's replaced_by, inside the import's transaction.
 */
#include "../core/dd.h"
#include "sqlite_int.h"

#include <stdatomic.h>
#include <string.h>

#define FEED_COLS(t, cols)                                                               \
	"CREATE TABLE " t " ("                                                           \
	" batch_id INTEGER NOT NULL REFERENCES feed_batches(id),"                        \
	" id_key BIGINT NOT NULL,"                                                       \
	" name TEXT," cols
#define FEED_REST(t)                                                                     \
	"CREATE INDEX " t "_id ON " t "(id_key);"                                        \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t                             \
	" BEGIN SELECT RAISE(ABORT, '比对数据不能删除'); END;"
#define FEED_TABLE(t, cols)                                                              \
	FEED_COLS(t, cols) ");"                                                          \
	"CREATE INDEX " t "_batch ON " t "(batch_id, id_key);" FEED_REST(t)

/*
 * The streamed kinds: kind, table, column definitions, column names, one "?"
 * per column, number of columns (dd_feed_row.v).  Since feed-6 each table is
 * clustered by its key, (batch_id, id_key, seq).
 */
#define STREAMED(X)                                                                                   \
	X("disability", "feed_disability", " disability_type TEXT, disability_grade INTEGER",          \
	  "disability_type, disability_grade", "?,?", 2)                                              \
	X("death", "feed_death", " death_date TEXT", "death_date", "?", 1)                             \
	X("pension", "feed_pension", " monthly_amount BIGINT", "monthly_amount", "?", 1)               \
	X("unemployment", "feed_unemployment", " reg_date TEXT", "reg_date", "?", 1)                   \
	X("license", "feed_license", " license_no TEXT, status TEXT", "license_no, status", "?,?", 2)  \
	X("orphan", "feed_orphan", " kind TEXT", "kind", "?", 1)                                       \
	X("subsidy", "feed_subsidy", " subsidy TEXT, amount BIGINT", "subsidy, amount", "?,?", 2)      \
	X("incident", "feed_incident", " event_date TEXT, kind TEXT, deaths INTEGER,"                  \
	  " serious_injuries INTEGER, loss BIGINT", "event_date, kind, deaths, serious_injuries, loss", \
	  "?,?,?,?,?", 5)                                                                              \
	X("disaster", "feed_disaster", " event_date TEXT, kind TEXT, loss BIGINT",                     \
	  "event_date, kind, loss", "?,?,?", 3)                                                        \
	X("fp", "feed_fp", " fp_subtype TEXT, status TEXT", "fp_subtype, status", "?,?", 2)            \
	X("kin", "feed_kin", " cadre_name TEXT, cadre_id TEXT, post TEXT, relation TEXT, filed INTEGER", \
	  "cadre_name, cadre_id, post, relation, filed", "?,?,?,?,?", 5)

/*
 * A streamed kind's table rebuilt clustered by (batch_id, id_key, seq): one
 * B-tree written a row instead of the table and its (batch_id, id_key) index
 * (pension alone: the import's writer −12 %, its commit −40 %), and a rule's
 * scan of a batch reads its rows in key order with no lookup by rowid.  seq
 * keeps rows of one person in one batch apart, in the order written (the old
 * rowid for the rows converted).  With legacy_alter_table the rename leaves
 * the views alone: they name the table, which then is the new one.
 */
#define CLUSTER(kind, t, defs, names, q, nv)                                                      \
	"CREATE TABLE " t "_c (batch_id INTEGER NOT NULL REFERENCES feed_batches(id),"            \
	" id_key BIGINT NOT NULL, seq INTEGER NOT NULL, name TEXT," defs ","                       \
	" PRIMARY KEY (batch_id, id_key, seq)) WITHOUT ROWID;"                                     \
	"INSERT INTO " t "_c (batch_id, id_key, seq, name, " names ")"                             \
	" SELECT batch_id, id_key, rowid, name, " names " FROM " t ";"                             \
	"DROP TABLE " t ";"                                                                        \
	"ALTER TABLE " t "_c RENAME TO " t ";"                                                     \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t                                       \
	" BEGIN SELECT RAISE(ABORT, '比对数据不能删除'); END;"

const sq_migration sq_feed_migrations[] = {
	{ "feed-1-tables",
	  /* one row per (batch, person, year): the key is the table, one B-tree less to write */
	  FEED_COLS("feed_medical_year", " year INTEGER NOT NULL, hosp_self_paid BIGINT NOT NULL,"
		    " hosp_visits INTEGER NOT NULL, outp_self_paid BIGINT NOT NULL,"
		    " outp_visits INTEGER NOT NULL, PRIMARY KEY (batch_id, id_key, year)) WITHOUT ROWID;")
	  FEED_REST("feed_medical_year")
	  FEED_TABLE("feed_disability", " disability_type TEXT, disability_grade INTEGER")
	  FEED_TABLE("feed_death", " death_date TEXT")
	  FEED_TABLE("feed_pension", " monthly_amount BIGINT")
	  FEED_TABLE("feed_unemployment", " reg_date TEXT")
	  FEED_TABLE("feed_license", " license_no TEXT, status TEXT")
	  FEED_TABLE("feed_orphan", " kind TEXT")
	  FEED_TABLE("feed_subsidy", " subsidy TEXT, amount BIGINT")
	  FEED_TABLE("feed_incident", " event_date TEXT, kind TEXT, deaths INTEGER,"
		     " serious_injuries INTEGER, loss BIGINT")
	  FEED_TABLE("feed_disaster", " event_date TEXT, kind TEXT, loss BIGINT")
	  FEED_TABLE("feed_fp", " fp_subtype TEXT, status TEXT")
	  FEED_TABLE("feed_kin", " cadre_name TEXT, cadre_id TEXT, post TEXT, relation TEXT,"
		     " filed INTEGER") },
	/*
	 * No rule reads medical sums by person across batches (W01/W02 scan the
	 * batches' primary keys), and this index was two thirds of a monthly
	 * import's write: every batch touched nearly all of its pages.
	 */
	{ "feed-2-medical-no-id-index", "DROP INDEX IF EXISTS feed_medical_year_id;" },
	/*
	 * Every rule reads a feed table through its batch ((batch_id, id_key),
	 * EXPLAIN QUERY PLAN in docs/internals/feeds.md), none by person across
	 * batches: the (id_key) index was a third B-tree written per row for no
	 * reader.
	 */
	{ "feed-3-no-id-index",
	  "DROP INDEX IF EXISTS feed_disability_id; DROP INDEX IF EXISTS feed_death_id;"
	  " DROP INDEX IF EXISTS feed_pension_id; DROP INDEX IF EXISTS feed_unemployment_id;"
	  " DROP INDEX IF EXISTS feed_license_id; DROP INDEX IF EXISTS feed_orphan_id;"
	  " DROP INDEX IF EXISTS feed_subsidy_id; DROP INDEX IF EXISTS feed_incident_id;"
	  " DROP INDEX IF EXISTS feed_disaster_id; DROP INDEX IF EXISTS feed_fp_id;"
	  " DROP INDEX IF EXISTS feed_kin_id;" },
	/*
	 * W01/W02 sum the year's hospital self-paid amounts of every active
	 * medical batch (sqlite_warn.c, med_sum_rows: WHERE year = ? AND
	 * hosp_self_paid > 0).  Only ≈ 1 person-year in 6 has any: this
	 * covering partial index lets the scan read those instead of the whole
	 * batch (10 M persons: W01 26 s on the table).
	 */
	{ "feed-4-medical-hosp-index",
	  "CREATE INDEX IF NOT EXISTS feed_medical_year_hosp ON feed_medical_year"
	  " (batch_id, year, id_key, name, hosp_self_paid) WHERE hosp_self_paid > 0;" },
	/*
	 * A medical batch as packed segments (medseg.h, sqlite_medseg.c): one
	 * B-tree row per person-year was most of a 10 M-person import.  The
	 * rows there are converted (one segment per batch, dd_med_pack sorts
	 * them) and the table goes, with its index and trigger; the virtual
	 * table feed_medical_year shows the segments under its name.  Rowid
	 * table: a segment is a ≈ 100 KB blob, in overflow pages either way,
	 * and the key lookups read the small index, not the blobs.
	 */
	{ "feed-5-medical-segments",
	  "CREATE TABLE feed_medical_seg ("
	  " batch_id INTEGER NOT NULL REFERENCES feed_batches(id),"
	  " seq INTEGER NOT NULL,"
	  " rows INTEGER NOT NULL,"
	  " first_key BIGINT NOT NULL,"
	  " last_key BIGINT NOT NULL,"
	  /* before data: reading it does not walk data's overflow pages */
	  " hosp BLOB,"
	  " data BLOB NOT NULL,"
	  " PRIMARY KEY (batch_id, seq));"
	  /* the segment that can hold an id_key: the first with last_key >= it */
	  "CREATE INDEX feed_medical_seg_key ON feed_medical_seg(batch_id, last_key);"
	  "CREATE TRIGGER feed_medical_seg_no_delete BEFORE DELETE ON feed_medical_seg"
	  " BEGIN SELECT RAISE(ABORT, '比对数据不能删除'); END;"
	  "INSERT INTO feed_medical_seg (batch_id, seq, rows, first_key, last_key, hosp, data)"
	  " SELECT batch_id, 0, COUNT(*), MIN(id_key), MAX(id_key), dd_med_pack(id_key, year,"
	  " hosp_self_paid, hosp_visits, outp_self_paid, outp_visits, name, 1), dd_med_pack(id_key, year,"
	  " hosp_self_paid, hosp_visits, outp_self_paid, outp_visits, name, 0)"
	  " FROM feed_medical_year GROUP BY batch_id;"
	  "DROP TABLE feed_medical_year;" },
	{ "feed-6-streamed-clustered",
	  "PRAGMA legacy_alter_table = ON;" STREAMED(CLUSTER) "PRAGMA legacy_alter_table = OFF;" },
	{ NULL, NULL },
};

#define INS(t, cols, q) "INSERT INTO " t " (batch_id, id_key, seq, name, " cols ") VALUES (?,?,?,?," q ")"
/*
 * The same insert for MULTI rows at once: one statement execution (cursor
 * open, seek, close) per MULTI rows instead of per row.  Its parameters are
 * numbered in order, row by row.
 */
enum { MULTI = 64 };
#define R4(x) x "," x "," x "," x
#define R64(x) R4(R4(R4(x)))
#define INSM(t, cols, q) "INSERT INTO " t " (batch_id, id_key, seq, name, " cols ") VALUES " R64("(?,?,?,?," q ")")

/*
 * Kind name -> its inserts and number of columns after name (dd_feed_row.v).
 * Medical has none: its rows go to sqlite_medseg.c's segments.
 */
static const struct {
	const char *kind;
	const char *insert;
	const char *insert_multi;
	int nv;
} kinds[] = {
#define KIND(kind, t, defs, names, q, nv) { kind, INS(t, names, q), INSM(t, names, q), nv },
	{ "medical", NULL, NULL, 5 },
	STREAMED(KIND)
#undef KIND
};

static int kind_index(const char *kind)
{
	for (size_t i = 0; kind && i < DD_ARRAY_LEN(kinds); i++)
		if (!strcmp(kinds[i].kind, kind))
			return (int)i;
	return -1;
}

static dd_rc bad_kind(const char *kind, dd_err *err)
{
	return dd_err_set(err, DD_ERR_USAGE, "未知的比对数据类型：%s", kind ? kind : "(空)");
}

dd_rc sq_feed_begin(dd_store *st, int64_t import_id, const char *kind, const char *month,
		    int64_t *batch_id, dd_err *err)
{
	/* the next id, inserted as replaced by itself: present but not active until feed_end */
	static const char sql[] =
		"INSERT INTO feed_batches (id, kind, month, import_id, rows, rejected, created_at, replaced_by)"
		" SELECT n, ?1, ?2, ?3, 0, 0, ?4, n FROM (SELECT COALESCE(MAX(id), 0) + 1 AS n FROM feed_batches)";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc;

	*batch_id = 0;
	if (kind_index(kind) < 0)
		return bad_kind(kind, err);
	/* medical entries of a batch never ended are dropped: a batch is begin, puts, end */
	sq_feed_reset(s);
	if ((rc = sq_stmt(s, sql, &q, err)) != DD_OK)
		return rc;
	sq_bind_text(q, 1, kind);
	sq_bind_text(q, 2, month);
	if (import_id > 0)
		sqlite3_bind_int64(q, 3, import_id);
	else
		sqlite3_bind_null(q, 3);
	sq_bind_text(q, 4, sq_now(s));
	rc = sq_run(s, q, err);
	if (rc == DD_OK)
		*batch_id = sqlite3_last_insert_rowid(sq_db(s));
	/*
	 * The rows that follow all name this batch, just inserted: checking
	 * their batch_id against feed_batches row by row is ≈ 9 % of the
	 * import's CPU.  Off for the rest of the transaction; sqlite.c's
	 * commit and rollback turn it on again.  (PRAGMA foreign_keys is a
	 * no-op inside a transaction; this switch is not.)  Only inside the
	 * caller's transaction, which is what brings the commit or rollback.
	 */
	if (rc == DD_OK && !sqlite3_get_autocommit(sq_db(s)))
		sqlite3_db_config(sq_db(s), SQLITE_DBCONFIG_ENABLE_FKEY, 0, (int *)NULL);
	return rc;
}

static void bind_val(sqlite3_stmt *q, int i, const dd_feed_val *v)
{
	if (v->type == DD_FV_INT)
		sqlite3_bind_int64(q, i, v->i);
	else if (v->type == DD_FV_TEXT)
		sq_bind_text(q, i, v->s);
	else
		sqlite3_bind_null(q, i);
}

/*
 * A row's seq: unique within its batch and increasing in the order rows are
 * written, which is all the key needs.  One counter for the process: a
 * batch is written by one connection in one transaction, and any two of a
 * batch's rows get different numbers however connections interleave.
 */
static atomic_llong next_seq;

/* Binds row r's values as parameters first+1 .. first+4+nv. */
static void bind_row(sqlite3_stmt *q, int first, int64_t batch_id, const dd_feed_row *r, int nv)
{
	sqlite3_bind_int64(q, first + 1, batch_id);
	sqlite3_bind_int64(q, first + 2, (sqlite3_int64)r->id_key);
	sqlite3_bind_int64(q, first + 3, atomic_fetch_add(&next_seq, 1));
	sq_bind_text(q, first + 4, r->name);
	for (int i = 0; i < nv; i++)
		bind_val(q, first + 5 + i, &r->v[i]);
}

dd_rc sq_feed_put(dd_store *st, const char *kind, int64_t batch_id, const dd_feed_row *rows,
		  size_t n, dd_err *err)
{
	sq *s = sq_of(st);
	int k = kind_index(kind);
	sqlite3_stmt *q;
	size_t r = 0;
	dd_rc rc = DD_OK;

	if (k < 0)
		return bad_kind(kind, err);
	if (!kinds[k].insert)
		return sq_med_put(s, batch_id, rows, n, err);
	int ncol = 4 + kinds[k].nv;
	if (n >= MULTI)
		rc = sq_stmt(s, kinds[k].insert_multi, &q, err);
	for (; r + MULTI <= n && rc == DD_OK; r += MULTI) {
		for (int j = 0; j < MULTI; j++)
			bind_row(q, j * ncol, batch_id, &rows[r + (size_t)j], kinds[k].nv);
		rc = sq_run(s, q, err);
	}
	if (r < n && rc == DD_OK)
		rc = sq_stmt(s, kinds[k].insert, &q, err);
	for (; r < n && rc == DD_OK; r++) {
		bind_row(q, 0, batch_id, &rows[r], kinds[k].nv);
		rc = sq_run(s, q, err);
	}
	return rc;
}

dd_rc sq_feed_end(dd_store *st, int64_t batch_id, int64_t rows, int64_t rejected,
		  int64_t *replaced, dd_err *err)
{
	static const char find_sql[] =
		"SELECT o.id FROM feed_batches n JOIN feed_batches o"
		" ON o.kind = n.kind AND o.month = n.month AND o.replaced_by IS NULL WHERE n.id = ?1";
	static const char replace_sql[] = "UPDATE feed_batches SET replaced_by = ?1 WHERE id = ?2";
	static const char activate_sql[] =
		"UPDATE feed_batches SET replaced_by = NULL, rows = ?2, rejected = ?3 WHERE id = ?1";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	int64_t old = 0;
	bool own;
	dd_rc rc = sq_atomic_begin(s, &own, err);

	/* the medical batch's last, partial segment */
	if (rc == DD_OK)
		rc = sq_med_flush(s, err);
	if (rc == DD_OK && (rc = sq_stmt(s, find_sql, &q, err)) == DD_OK) {
		sqlite3_bind_int64(q, 1, batch_id);
		rc = sq_step(s, q, err);
		if (rc == DD_OK)
			old = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		if (rc == DD_DONE)
			rc = DD_OK;
	}
	if (rc == DD_OK && old && (rc = sq_stmt(s, replace_sql, &q, err)) == DD_OK) {
		sqlite3_bind_int64(q, 1, batch_id);
		sqlite3_bind_int64(q, 2, old);
		rc = sq_run(s, q, err);
	}
	if (rc == DD_OK && (rc = sq_stmt(s, activate_sql, &q, err)) == DD_OK) {
		sqlite3_bind_int64(q, 1, batch_id);
		sqlite3_bind_int64(q, 2, rows);
		sqlite3_bind_int64(q, 3, rejected);
		rc = sq_run(s, q, err);
		if (rc == DD_OK && sqlite3_changes(sq_db(s)) != 1)
			rc = dd_err_set(err, DD_ERR_NOTFOUND, "比对数据批次 %lld 不存在", (long long)batch_id);
	}
	if (replaced)
		*replaced = rc == DD_OK ? old : 0;
	return sq_atomic_end(s, own, rc, err);
}

dd_rc sq_feed_batch(dd_store *st, const char *kind, const char *month, int64_t *batch_id,
		    dd_err *err)
{
	static const char sql[] =
		"SELECT id FROM feed_batches WHERE kind = ?1 AND month = ?2 AND replaced_by IS NULL";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	*batch_id = 0;
	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, kind);
	sq_bind_text(q, 2, month);
	rc = sq_step(s, q, err);
	if (rc == DD_OK)
		*batch_id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "没有 %s %s 的比对数据批次", kind, month);
	return rc;
}
