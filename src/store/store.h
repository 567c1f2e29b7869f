/*
 * store.h - the one storage interface.  Backends are sibling files:
 * sqlite.c (embedded default) and, later, pg.c (PostgreSQL).  No SQL of any
 * dialect appears outside the backend files.
 *
 * Rules every backend keeps:
 *   - nothing is ever deleted: leaving, exiting and corrections are new
 *     records or new columns set, and the audit log is append-only (enforced
 *     in the database, not only in C);
 *   - every write that changes registry data writes an audit row (who, when,
 *     what, before/after as JSON) in the same transaction.  The one exception
 *     is a record an import inserts: it carries its import_id, and the
 *     imports row says who, when and from which file (an audit row per
 *     inserted row would double the cost of a 1M-row import and say nothing
 *     more).  Updates, leavings and rejoinings are audited per row;
 *   - one transaction per import: dd_store_begin .. dd_store_commit, and a
 *     crash or kill at any point leaves the database as before begin.
 *     A write called outside begin/commit runs in a transaction of its own.
 *     After a failed write inside begin/commit, roll back: the transaction
 *     may hold part of that write.
 *
 * Errors: a database failure is DD_ERR_STORE with "数据库错误：" and the
 * database's own message.
 *
 * Ownership: dd_store_open returns a handle the caller frees with
 * dd_store_close.  Strings passed in are borrowed for the call only.
 * Strings handed out are malloc'ed unless a comment says otherwise.
 */
#ifndef DD_STORE_H
#define DD_STORE_H

#include "../core/dd.h"
#include "../core/registry.h"

typedef struct dd_store dd_store;

/*
 * Opens `url`: a file path (SQLite) or postgres://, postgresql:// (PostgreSQL).
 * With `create`, a missing SQLite file is created; without it, a missing file
 * is DD_ERR_NOTFOUND ("数据库不存在，请先运行 doudi init").  Runs pending schema
 * migrations (schema version in the database) in both cases.
 */
dd_rc dd_store_open(dd_store **st, const char *url, bool create, dd_err *err);
void dd_store_close(dd_store *st);
/* Error text of the last failure on this handle (also copied into err by every call); owned by the handle. */
const char *dd_store_errmsg(const dd_store *st);
/* Number of schema migrations applied (1 today); -1 when it cannot be read. */
int dd_store_schema_version(dd_store *st);

dd_rc dd_store_begin(dd_store *st, dd_err *err);
dd_rc dd_store_commit(dd_store *st, dd_err *err);
dd_rc dd_store_rollback(dd_store *st);

/*
 * Key/value settings (county code, county name, policy text).  *val malloc'ed,
 * NULL when absent (DD_ERR_NOTFOUND).  meta_set is audited (entity "meta",
 * before/after as JSON strings) under `user`.
 */
dd_rc dd_store_meta_get(dd_store *st, const char *key, char **val, dd_err *err);
dd_rc dd_store_meta_set(dd_store *st, const char *user, const char *key, const char *val, dd_err *err);

/* Appends to the audit log.  before/after are JSON text or NULL; `user` is required (DD_ERR_USAGE). */
dd_rc dd_store_audit(dd_store *st, const char *user, const char *action, const char *entity,
		     const char *entity_key, const char *before, const char *after, dd_err *err);
/* Number of audit rows (tests, stats). */
dd_rc dd_store_audit_count(dd_store *st, int64_t *n, dd_err *err);

/* Regions of the county, copied in at init from the built-in table.  A second put of a code replaces it (not audited: reference data). */
dd_rc dd_store_region_put(dd_store *st, const char *code, const char *name, int level,
			  const char *parent, dd_err *err);

/* One import run (registry, feed batch, payments).  `month` may be NULL. */
dd_rc dd_store_import_begin(dd_store *st, const char *user, const char *kind, const char *file,
			    const char *month, int64_t *import_id, dd_err *err);
dd_rc dd_store_import_end(dd_store *st, int64_t import_id, int64_t rows, int64_t rejected,
			  dd_err *err);

/* What a put did. */
typedef enum { DD_PUT_INSERTED, DD_PUT_UPDATED, DD_PUT_UNCHANGED } dd_put_result;

/*
 * Inserts or updates the household with this household_no.  `hash` is a
 * fingerprint of the record's content (the caller computes it over the
 * normalised fields): an existing row with the same hash is left alone, a
 * different one is updated with an audit row holding before and after.  A
 * change of categories or fp_subtype also appends to the category history.
 * *id receives the household's row id.
 *
 * The audit row of an update is user = the import's user, action "update",
 * entity "household", entity_key = household_no, before/after = JSON objects
 * of the changed columns only (money as integer fen, dates as text, unknown
 * as null).  A new hash over fields that are all equal only refreshes the
 * stored hash and reports DD_PUT_UNCHANGED, with no audit row.  A new
 * household with categories or an fp_subtype gets its first history row.
 * Every put (also UNCHANGED) marks the household as put by this import,
 * for dd_store_registry_finish.
 */
dd_rc dd_store_household_put(dd_store *st, int64_t import_id, const dd_household *h,
			     uint64_t hash, int64_t *id, dd_put_result *res, dd_err *err);
/* Row id of a household by number: DD_ERR_NOTFOUND when absent. */
dd_rc dd_store_household_id(dd_store *st, const char *household_no, int64_t *id, dd_err *err);
/*
 * Leaves this household out of dd_store_registry_finish's leaving pass for
 * the current import: some of its member rows were rejected, so the file does
 * not say reliably who is no longer listed.
 */
dd_rc dd_store_household_hold(dd_store *st, int64_t household_id, dd_err *err);
/* True (in *yes) when the household currently has a member with this ID. */
dd_rc dd_store_household_has_member(dd_store *st, int64_t household_id, const char *id18,
				    bool *yes, dd_err *err);

/*
 * Inserts or updates the member (household_id, id text).  A member that had
 * left and appears again rejoins (left_on cleared, audited; DD_PUT_UPDATED).
 * The store remembers which members this import saw, for
 * dd_store_registry_finish.  Audit rows of members and obligors use the row
 * id (members.id, obligors.id) as entity_key, never the ID number.
 */
dd_rc dd_store_member_put(dd_store *st, int64_t import_id, int64_t household_id,
			  const dd_member *m, uint64_t hash, dd_put_result *res, dd_err *err);
/*
 * Obligors are keyed by (household, id_number), or the name when the file
 * gives no ID.  Rows missing from the file are marked ended by
 * dd_store_registry_finish (with obligors_given), not deleted; one that
 * reappears is current again (ended_on cleared, audited).
 */
dd_rc dd_store_obligor_put(dd_store *st, int64_t import_id, int64_t household_id,
			   const dd_obligor *o, uint64_t hash, dd_put_result *res, dd_err *err);

/*
 * Ends a registry import: every current member (and obligor, when
 * `obligors_given`) of a household that this import put, but that this
 * import did not see, is marked as having left on `on` (audited: one row per
 * member, action "leave"; obligors "end").  Households this import did not
 * put keep their members.  Reports how many members left (members_left may
 * be NULL).  `on` must be a date.
 */
dd_rc dd_store_registry_finish(dd_store *st, int64_t import_id, dd_date on, bool obligors_given,
			       int64_t *members_left, dd_err *err);

/*
 * Reading the registry back, household by household (assessment of the
 * whole registry, the comparison, exports).  A record and everything it
 * points to live in the cursor and stay valid until the next
 * dd_store_registry_next or dd_store_registry_close.
 */
typedef struct dd_registry_rec {
	int64_t id;                  /* the household's row id */
	dd_household h;
	dd_member *members;          /* current members (left_on empty), in row order */
	size_t nmembers;
	dd_obligor *obligors;        /* current obligors */
	size_t nobligors;
} dd_registry_rec;

typedef struct dd_registry_cursor dd_registry_cursor;

/*
 * Opens a cursor over the households in row-id order: those current on
 * `today` (exited_on empty or after it), or all with include_exited.  The
 * caller closes it.  The store must not be written while a cursor is open.
 */
dd_rc dd_store_registry_open(dd_store *st, dd_date today, bool include_exited,
			     dd_registry_cursor **cur, dd_err *err);
/* DD_OK with *rec, DD_DONE at the end. */
dd_rc dd_store_registry_next(dd_registry_cursor *cur, const dd_registry_rec **rec, dd_err *err);
void dd_store_registry_close(dd_registry_cursor *cur);

/*
 * Counts for `doudi stats` (FORMATS.md §5) on `today`.  A household is current
 * when exited_on is empty or after today (exited_on <= today: exited, so the
 * exit day itself no longer counts); members are the current members
 * (left_on empty) of current households, and invalid_ids counts among them.
 */
typedef struct dd_stats {
	int64_t households;
	int64_t members;
	int64_t by_category[5];      /* TK DB BY GZ QT, in dd_categories order */
	int64_t fp;
	int64_t invalid_ids;         /* members whose ID fails its check digit */
} dd_stats;
dd_rc dd_store_stats(dd_store *st, dd_date today, dd_stats *out, dd_err *err);

/*
 * Consistent online copy of the committed database into `dest`, checked with
 * an integrity check.  Other connections may write meanwhile.  An existing
 * `dest` is never touched (DD_ERR_USAGE); a `dest` that cannot be created is
 * DD_ERR_IO; called inside this handle's own transaction: DD_ERR_USAGE.  On
 * failure the partial copy is removed.
 */
dd_rc dd_store_backup(dd_store *st, const char *dest, dd_err *err);

#endif
