/*
 * sqlite_int.h - what the SQLite backend's sibling files share.  Private to
 * src/store.
 *
 * sqlite.c owns the handle (struct sq) and the core schema.  Each domain
 * (feeds, warnings, applications…) lives in its own sqlite_<domain>.c: it
 * brings its tables as named migrations and its functions as entries of
 * dd_store_ops, and reaches the handle only through these helpers.  SQL text
 * stays inside the sqlite*.c files.
 */
#ifndef DD_SQLITE_INT_H
#define DD_SQLITE_INT_H

#include <sqlite3.h>

#include "store_int.h"
#include "../core/date.h"

typedef struct sq sq;

sq *sq_of(dd_store *st);
sqlite3 *sq_db(sq *s);

/*
 * The prepared statement for `sql`, cached on the handle by the address of
 * the text: pass a static string (a literal or a static const array), never
 * a buffer.  Owned by the handle; the caller resets it after use.
 */
dd_rc sq_stmt(sq *s, const char *sql, sqlite3_stmt **out, dd_err *err);
/* Steps: DD_OK with a row, DD_DONE without, DD_ERR_STORE with the message. */
dd_rc sq_step(sq *s, sqlite3_stmt *st, dd_err *err);
/* Runs a statement that returns no row, then resets it. */
dd_rc sq_run(sq *s, sqlite3_stmt *st, dd_err *err);
/* One-off SQL (DDL, pragmas), not cached. */
dd_rc sq_exec(sq *s, const char *sql, dd_err *err);
/* The pragma that reads the database through memory-mapped pages (sqlite.c): for passes over the registry. */
extern const char sq_mmap_all[];
/* DD_ERR_STORE with "数据库错误：<sqlite message>". */
dd_rc sq_fail(sq *s, dd_err *err);
/* Binds text, NULL for NULL or "" (SQLITE_STATIC: keep the text alive until reset). */
void sq_bind_text(sqlite3_stmt *st, int i, const char *t);

/* Column i as text copied into mem (NULL for SQL NULL or no memory). */
const char *sq_col_text(sqlite3_stmt *st, int i, dd_arena *mem);
/* Column i as a 'YYYY-MM-DD' date; DD_DATE_NONE for NULL or anything else. */
dd_date sq_col_date(sqlite3_stmt *st, int i);

/*
 * One multi-statement operation: inside the caller's transaction it is
 * covered by that; outside it gets its own.  sq_atomic_end commits or rolls
 * back that own transaction according to rc and returns rc.
 */
dd_rc sq_atomic_begin(sq *s, bool *own, dd_err *err);
dd_rc sq_atomic_end(sq *s, bool own, dd_rc rc, dd_err *err);

/* Appends an audit row (import_id 0 = none). */
dd_rc sq_audit_row(sq *s, const char *user, int64_t import_id, const char *action,
		   const char *entity, const char *key, const char *before, const char *after,
		   dd_err *err);

/* UTC timestamp "2025-01-02T03:04:05Z" and local date "2025-01-02", refreshed each second. */
const char *sq_now(sq *s);
const char *sq_today(sq *s);

/*
 * A domain's schema changes, applied once each, in order, by name (kept in
 * the table schema_migrations) after the core schema.  Arrays end with
 * { NULL, NULL }.  Never edit a migration that has shipped: add another.
 */
typedef struct sq_migration {
	const char *name;
	const char *sql;
} sq_migration;

extern const sq_migration sq_feed_migrations[];     /* sqlite_feed.c */
extern const sq_migration sq_warn_migrations[];     /* sqlite_warn.c */
extern const sq_migration sq_flow_migrations[];     /* sqlite_flow.c */
extern const sq_migration sq_user_migrations[];     /* sqlite_user.c */
extern const sq_migration sq_draft_migrations[];    /* sqlite_draft.c */

/* sqlite_feed.c: the feed entries of dd_store_ops (store.h "department feeds"). */
dd_rc sq_feed_begin(dd_store *st, int64_t import_id, const char *kind, const char *month,
		    int64_t *batch_id, dd_err *err);
dd_rc sq_feed_put(dd_store *st, const char *kind, int64_t batch_id, const dd_feed_row *rows,
		  size_t n, dd_err *err);
dd_rc sq_feed_end(dd_store *st, int64_t batch_id, int64_t rows, int64_t rejected,
		  int64_t *replaced, dd_err *err);
dd_rc sq_feed_batch(dd_store *st, const char *kind, const char *month, int64_t *batch_id,
		    dd_err *err);

/*
 * sqlite_medseg.c: a medical batch as packed segments (medseg.h).  A
 * connection's writer (on the handle: sq_medw_of, NULL until the first
 * medical put) holds the batch's entries until a segment is full or
 * sq_med_flush; a rollback drops them (sq_feed_reset), the close frees it
 * (sq_feed_close).  sq_feed_sql registers the virtual table
 * feed_medical_year and the function dd_med_pack on a connection: sqlite.c
 * makes it an auto-extension, so every connection of the process has them,
 * before its migrations.
 */
typedef struct sq_medw sq_medw;
sq_medw **sq_medw_of(sq *s);
dd_rc sq_med_put(sq *s, int64_t batch_id, const dd_feed_row *rows, size_t n, dd_err *err);
dd_rc sq_med_flush(sq *s, dd_err *err);
void sq_feed_reset(sq *s);
void sq_feed_close(sq *s);
int sq_feed_sql(sqlite3 *db, char **msg, const sqlite3_api_routines *api);
/*
 * sqlite_warn.c: the SQL functions the rules and the documented views use
 * (dd_id_text, dd_add_months), an auto-extension like sq_feed_sql: every
 * connection of the process has them, so the views read anywhere in doudi.
 */
int sq_warn_sql(sqlite3 *db, char **msg, const sqlite3_api_routines *api);

/* sqlite_flow.c: the application entries of dd_store_ops (store.h "applications"). */
dd_rc sq_app_put(dd_store *st, dd_application *a, const dd_app_step *step, dd_err *err);
dd_rc sq_app_get(dd_store *st, const char *key, dd_application *a, dd_arena *mem, dd_err *err);
dd_rc sq_app_steps(dd_store *st, int64_t app_id, dd_app_step **steps, size_t *n, dd_arena *mem,
		   dd_err *err);
dd_rc sq_app_list(dd_store *st, const char *state, dd_application **apps, size_t *n, dd_arena *mem,
		  dd_err *err);
dd_rc sq_household_recognize(dd_store *st, const char *user, int64_t household_id,
			     const dd_recognition *r, dd_err *err);
dd_rc sq_followup_put(dd_store *st, const char *user, dd_followup *f, dd_err *err);
dd_rc sq_followups(dd_store *st, int64_t household_id, int64_t app_id, dd_followup **out,
		   size_t *n, dd_arena *mem, dd_err *err);
dd_rc sq_app_page(dd_store *st, const dd_app_filter *f, int64_t offset, int64_t limit,
		  dd_application **apps, size_t *n, int64_t *total, dd_arena *mem, dd_err *err);

/* sqlite_warn.c: the comparison entries of dd_store_ops (store.h "comparison runs and warnings"). */
dd_rc sq_compare_begin(dd_store *st, const char *user, const char *month, int64_t *run_id,
		       dd_err *err);
dd_rc sq_compare_rule(dd_store *st, int64_t run_id, const dd_compare_month *m,
		      const dd_rule_spec *r, dd_rule_counts *out, dd_err *err);
dd_rc sq_compare_ahead(dd_store *st, const dd_compare_month *m, const dd_rule_spec *rules,
		       size_t n, dd_err *err);
dd_rc sq_compare_end(dd_store *st, int64_t run_id, dd_err *err);
/*
 * The rules a run works out ahead on a second connection and thread (on the
 * handle: sq_ahead_of, NULL when none); sq_compare_stop ends that work and
 * frees it: at the run's end, a rollback and the close.
 */
typedef struct sq_ahead sq_ahead;
sq_ahead **sq_ahead_of(sq *s);
void sq_compare_stop(sq *s);
dd_rc sq_rule_check(dd_store *st, const char *sql, dd_err *err);
dd_rc sq_warnings_list(dd_store *st, const dd_warning_filter *f, dd_warning_fn fn, void *arg,
		       dd_err *err);
dd_rc sq_warnings_page(dd_store *st, const dd_warning_query *q, dd_warning_rec **items, size_t *n,
		       int64_t *total, int64_t by_level[3], dd_arena *mem, dd_err *err);
dd_rc sq_warning_get(dd_store *st, int64_t id, dd_warning_rec *out, dd_arena *mem, dd_err *err);
dd_rc sq_compare_runs(dd_store *st, int64_t limit, dd_compare_run_rec **items, size_t *n,
		      dd_arena *mem, dd_err *err);
dd_rc sq_imports_list(dd_store *st, int64_t limit, dd_import_rec **items, size_t *n,
		      dd_arena *mem, dd_err *err);

/* sqlite_user.c: users, sessions and the household search (store.h "users, sessions…"). */
dd_rc sq_user_add(dd_store *st, const char *actor, const dd_user *u, dd_err *err);
dd_rc sq_user_get(dd_store *st, const char *username, dd_user *u, dd_arena *mem, dd_err *err);
dd_rc sq_session_put(dd_store *st, const dd_session *s, dd_err *err);
dd_rc sq_session_use(dd_store *st, const char *token_hash, int64_t now, int64_t idle,
		     dd_session *out, dd_arena *mem, dd_err *err);
dd_rc sq_session_end(dd_store *st, const char *token_hash, dd_err *err);
dd_rc sq_household_search(dd_store *st, const dd_household_query *f, dd_household_hit **items,
			  size_t *n, int64_t *total, dd_arena *mem, dd_err *err);
/* Registers the search's SQL functions (dd_initials) on a new handle. */
dd_rc sq_search_functions(sq *s, dd_err *err);

/* sqlite_draft.c: a household's timeline and form drafts (store.h "a household's timeline…"). */
dd_rc sq_household_events(dd_store *st, int64_t household_id, int64_t limit,
			  dd_household_event **ev, size_t *n, dd_arena *mem, dd_err *err);
dd_rc sq_drafts(dd_store *st, const char *username, dd_draft **out, size_t *n, dd_arena *mem,
		dd_err *err);
dd_rc sq_draft_put(dd_store *st, const char *username, const dd_draft *d, int max, dd_err *err);
dd_rc sq_draft_delete(dd_store *st, const char *username, const char *key, dd_err *err);

/* sqlite_stats.c: administration and statistics (store.h "administration and statistics"). */
dd_rc sq_user_list(dd_store *st, dd_user_info **out, size_t *n, dd_arena *mem, dd_err *err);
dd_rc sq_user_set(dd_store *st, const char *actor, const char *username, int disabled,
		  const char *pw_hash, const char *keep_token_hash, dd_err *err);
dd_rc sq_dashboard(dd_store *st, dd_date today, const char *region, dd_dashboard *out,
		   dd_arena *mem, dd_err *err);

#endif
