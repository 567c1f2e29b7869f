/*
 * sqlite_draft.c - SQLite backend: what the web reads and keeps beside the
 * procedure: a household's timeline across the domains' tables, and each
 * user's unsubmitted form drafts (store.h "a household's timeline and the
 * users' form drafts"; docs/internals/http.md).
 *
 * Drafts are scratch copies of what a user typed, not records: a put
 * replaces one and a delete removes it, unaudited.  What a form becomes
 * (an application) is the record, with its audit rows.
 */
#include "../core/dd.h"
#include "sqlite_int.h"

#include <string.h>

const sq_migration sq_draft_migrations[] = {
	{ "draft_1_drafts",
	  "CREATE TABLE drafts ("
	  " id INTEGER PRIMARY KEY,"
	  " username TEXT NOT NULL REFERENCES users(username),"
	  " key TEXT NOT NULL,"
	  " kind TEXT NOT NULL,"
	  " title TEXT,"
	  " data TEXT NOT NULL,"
	  " saved_at TEXT NOT NULL,"
	  " UNIQUE (username, key));" },
	{ NULL, NULL },
};

static dd_rc nomem(dd_err *err)
{
	return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
}

/* ---- the timeline ---- */

/*
 * One UNION over the tables that say something happened to the household:
 * each branch is a lookup by an indexed household column (imports: the two
 * import_id columns of the household and its members).
 */
static const char events_sql[] =
	"SELECT source, on_date, at, ref, what, state, text, extra, username FROM ("
	" SELECT 'step' AS source, t.on_date AS on_date, t.at AS at, a.app_no AS ref, t.action AS what,"
	"  t.to_state AS state, t.comment AS text, t.investigators AS extra, t.username AS username, t.id AS seq"
	"  FROM application_transitions t JOIN applications a ON a.id = t.application_id"
	"  WHERE a.household_id = ?1"
	" UNION ALL"
	" SELECT 'warning', substr(w.created_at, 1, 10), w.created_at, CAST(w.id AS TEXT), w.rule, w.level,"
	"  w.evidence, w.name, NULL, w.id FROM warnings w WHERE w.household_id = ?1"
	" UNION ALL"
	" SELECT 'followup', COALESCE(f.done_on, f.due_on), f.updated_at, CAST(f.id AS TEXT), f.kind,"
	"  CASE WHEN f.done_on IS NULL THEN 'open' ELSE 'done' END, f.result, CAST(f.amount AS TEXT),"
	"  f.created_by, f.id FROM followups f WHERE f.household_id = ?1"
	" UNION ALL"
	" SELECT 'import', substr(i.started_at, 1, 10), i.started_at, CAST(i.id AS TEXT), i.kind, i.month,"
	"  i.file, NULL, i.username, i.id FROM imports i WHERE i.id IN"
	"  (SELECT import_id FROM households WHERE id = ?1"
	"   UNION SELECT import_id FROM members WHERE household_id = ?1)"
	") ORDER BY on_date DESC, at DESC, seq DESC LIMIT ?2";

dd_rc sq_household_events(dd_store *st, int64_t household_id, int64_t limit,
			  dd_household_event **ev, size_t *n, dd_arena *mem, dd_err *err)
{
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc;

	*n = 0;
	if (limit < 1 || limit > 10000 || !(*ev = dd_arena_calloc(mem, (size_t)limit * sizeof **ev)))
		return nomem(err);
	if ((rc = sq_stmt(s, events_sql, &q, err)) != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, household_id);
	sqlite3_bind_int64(q, 2, limit);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		dd_household_event *e = &(*ev)[(*n)++];
		e->source = sq_col_text(q, 0, mem);
		e->on = sq_col_date(q, 1);
		e->at = sq_col_text(q, 2, mem);
		e->ref = sq_col_text(q, 3, mem);
		e->what = sq_col_text(q, 4, mem);
		e->state = sq_col_text(q, 5, mem);
		e->text = sq_col_text(q, 6, mem);
		e->extra = sq_col_text(q, 7, mem);
		e->user = sq_col_text(q, 8, mem);
		if (!e->source || !e->ref || !e->what) {
			rc = nomem(err);
			break;
		}
	}
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

/* ---- drafts ---- */

dd_rc sq_drafts(dd_store *st, const char *username, dd_draft **out, size_t *n, dd_arena *mem,
		dd_err *err)
{
	static const char count_sql[] = "SELECT count(*) FROM drafts WHERE username = ?1";
	static const char list_sql[] =
		"SELECT key, kind, title, data, saved_at FROM drafts WHERE username = ?1"
		" ORDER BY saved_at DESC, id DESC";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	size_t cap = 0;
	dd_rc rc = sq_stmt(s, count_sql, &q, err);

	*out = NULL;
	*n = 0;
	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, username);
	if ((rc = sq_step(s, q, err)) == DD_OK)
		cap = (size_t)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != DD_OK)
		return rc;
	if (!(*out = dd_arena_calloc(mem, (cap ? cap : 1) * sizeof **out)))
		return nomem(err);
	if ((rc = sq_stmt(s, list_sql, &q, err)) != DD_OK)
		return rc;
	sq_bind_text(q, 1, username);
	/* a draft saved between the count and this read waits for the next list */
	while (*n < cap && (rc = sq_step(s, q, err)) == DD_OK) {
		dd_draft *d = &(*out)[(*n)++];
		d->key = sq_col_text(q, 0, mem);
		d->kind = sq_col_text(q, 1, mem);
		d->title = sq_col_text(q, 2, mem);
		d->data = sq_col_text(q, 3, mem);
		d->saved_at = sq_col_text(q, 4, mem);
		if (!d->key || !d->kind || !d->data || !d->saved_at) {
			rc = nomem(err);
			break;
		}
	}
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

dd_rc sq_draft_put(dd_store *st, const char *username, const dd_draft *d, int max, dd_err *err)
{
	static const char room_sql[] =
		"SELECT count(*), coalesce(sum(key = ?2), 0) FROM drafts WHERE username = ?1";
	static const char put_sql[] =
		/* a new row id on every save: the list's order within one second of saved_at */
		"INSERT OR REPLACE INTO drafts (username, key, kind, title, data, saved_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	bool own = false;
	dd_rc rc = sq_atomic_begin(s, &own, err);

	if (rc != DD_OK)
		return rc;
	if ((rc = sq_stmt(s, room_sql, &q, err)) != DD_OK)
		goto done;
	sq_bind_text(q, 1, username);
	sq_bind_text(q, 2, d->key);
	if ((rc = sq_step(s, q, err)) == DD_OK && sqlite3_column_int64(q, 1) == 0 &&
	    sqlite3_column_int64(q, 0) >= max)
		rc = dd_err_set(err, DD_ERR_INPUT, "草稿已有 %d 份，请先删除不再需要的草稿", max);
	sqlite3_reset(q);
	if (rc != DD_OK || (rc = sq_stmt(s, put_sql, &q, err)) != DD_OK)
		goto done;
	sq_bind_text(q, 1, username);
	sq_bind_text(q, 2, d->key);
	sq_bind_text(q, 3, d->kind);
	sq_bind_text(q, 4, d->title);
	sq_bind_text(q, 5, d->data);
	sq_bind_text(q, 6, sq_now(s));
	rc = sq_run(s, q, err);
done:
	return sq_atomic_end(s, own, rc, err);
}

dd_rc sq_draft_delete(dd_store *st, const char *username, const char *key, dd_err *err)
{
	static const char sql[] = "DELETE FROM drafts WHERE username = ?1 AND key = ?2";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, username);
	sq_bind_text(q, 2, key);
	rc = sq_run(s, q, err);
	if (rc == DD_OK && sqlite3_changes(sq_db(s)) == 0)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "草稿不存在");
	return rc;
}
