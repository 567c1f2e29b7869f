/*
 * sqlite_user.c - SQLite backend: web users, login sessions and the paged
 * household search the web lists use (store.h "users, sessions…";
 * docs/internals/http.md).
 *
 * Users are never deleted (a trigger refuses it); sessions are ended, not
 * deleted, so the table says who was logged in when.  Neither table holds a
 * secret in the clear: the password is an Argon2id string and a session is
 * keyed by the hash of its cookie token (both computed in src/http).
 */
#include "../core/dd.h"
#include "../core/pinyin.h"
#include "sqlite_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const sq_migration sq_user_migrations[] = {
	{ "user_1_users_sessions",
	  "CREATE TABLE users ("
	  " id INTEGER PRIMARY KEY,"
	  " username TEXT NOT NULL UNIQUE,"
	  " role TEXT NOT NULL,"
	  " region TEXT,"
	  " dept TEXT,"
	  " pw_hash TEXT NOT NULL,"
	  " disabled INTEGER NOT NULL DEFAULT 0,"
	  " created_by TEXT NOT NULL,"
	  " created_at TEXT NOT NULL);"
	  "CREATE TRIGGER users_no_delete BEFORE DELETE ON users"
	  " BEGIN SELECT RAISE(ABORT, '用户记录不能删除'); END;"
	  "CREATE TABLE sessions ("
	  " id INTEGER PRIMARY KEY,"
	  " token_hash TEXT NOT NULL UNIQUE,"
	  " username TEXT NOT NULL REFERENCES users(username),"
	  " csrf TEXT NOT NULL,"
	  " client TEXT,"
	  " created_at TEXT NOT NULL,"
	  " idle_until BIGINT NOT NULL,"
	  " ended_at TEXT);" },
	{ NULL, NULL },
};

static dd_rc nomem(dd_err *err)
{
	return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
}

dd_rc sq_user_add(dd_store *st, const char *actor, const dd_user *u, dd_err *err)
{
	static const char exists_sql[] = "SELECT 1 FROM users WHERE username = ?1";
	static const char ins_sql[] =
		"INSERT INTO users (username, role, region, dept, pw_hash, created_by, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	json_t *after = NULL;
	char *after_text = NULL;
	bool own = false;
	dd_rc rc = sq_atomic_begin(s, &own, err);

	if (rc != DD_OK)
		return rc;
	if ((rc = sq_stmt(s, exists_sql, &q, err)) != DD_OK)
		goto done;
	sq_bind_text(q, 1, u->username);
	rc = sq_step(s, q, err);
	sqlite3_reset(q);
	if (rc == DD_OK) {
		rc = dd_err_set(err, DD_ERR_INPUT, "用户 %s 已存在", u->username);
		goto done;
	}
	if (rc != DD_DONE || (rc = sq_stmt(s, ins_sql, &q, err)) != DD_OK)
		goto done;
	sq_bind_text(q, 1, u->username);
	sq_bind_text(q, 2, u->role);
	sq_bind_text(q, 3, u->region);
	sq_bind_text(q, 4, u->dept);
	sq_bind_text(q, 5, u->pw_hash);
	sq_bind_text(q, 6, actor);
	sq_bind_text(q, 7, sq_now(s));
	if ((rc = sq_run(s, q, err)) != DD_OK)
		goto done;
	/* the audit row says what the user may see, never the password hash */
	after = json_pack("{s:s, s:s?, s:s?}", "role", u->role, "region", u->region, "dept", u->dept);
	after_text = after ? json_dumps(after, JSON_COMPACT) : NULL;
	if (!after_text) {
		rc = nomem(err);
		goto done;
	}
	rc = sq_audit_row(s, actor, 0, "create", "user", u->username, NULL, after_text, err);
done:
	json_decref(after);
	free(after_text);
	return sq_atomic_end(s, own, rc, err);
}

dd_rc sq_user_get(dd_store *st, const char *username, dd_user *u, dd_arena *mem, dd_err *err)
{
	static const char sql[] =
		"SELECT username, role, region, dept, pw_hash FROM users WHERE username = ?1 AND disabled = 0";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	memset(u, 0, sizeof *u);
	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, username);
	rc = sq_step(s, q, err);
	if (rc == DD_OK) {
		u->username = sq_col_text(q, 0, mem);
		u->role = sq_col_text(q, 1, mem);
		u->region = sq_col_text(q, 2, mem);
		u->dept = sq_col_text(q, 3, mem);
		u->pw_hash = sq_col_text(q, 4, mem);
		if (!u->username || !u->role || !u->pw_hash)
			rc = nomem(err);
	} else if (rc == DD_DONE) {
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "用户不存在");
	}
	sqlite3_reset(q);
	return rc;
}

dd_rc sq_session_put(dd_store *st, const dd_session *se, dd_err *err)
{
	static const char sql[] =
		"INSERT INTO sessions (token_hash, username, csrf, client, created_at, idle_until)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, se->token_hash);
	sq_bind_text(q, 2, se->username);
	sq_bind_text(q, 3, se->csrf);
	sq_bind_text(q, 4, se->client);
	sq_bind_text(q, 5, sq_now(s));
	sqlite3_bind_int64(q, 6, se->idle_until);
	return sq_run(s, q, err);
}

dd_rc sq_session_use(dd_store *st, const char *token_hash, int64_t now, int64_t idle,
		     dd_session *out, dd_arena *mem, dd_err *err)
{
	static const char get_sql[] =
		"SELECT s.username, s.csrf, s.client, s.idle_until, u.role, u.region, u.dept"
		" FROM sessions s JOIN users u ON u.username = s.username"
		" WHERE s.token_hash = ?1 AND s.ended_at IS NULL AND s.idle_until > ?2 AND u.disabled = 0";
	static const char touch_sql[] = "UPDATE sessions SET idle_until = ?2 WHERE token_hash = ?1";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, get_sql, &q, err);

	memset(out, 0, sizeof *out);
	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, token_hash);
	sqlite3_bind_int64(q, 2, now);
	rc = sq_step(s, q, err);
	if (rc == DD_OK) {
		out->token_hash = dd_arena_strdup(mem, token_hash);
		out->username = out->user.username = sq_col_text(q, 0, mem);
		out->csrf = sq_col_text(q, 1, mem);
		out->client = sq_col_text(q, 2, mem);
		out->idle_until = sqlite3_column_int64(q, 3);
		out->user.role = sq_col_text(q, 4, mem);
		out->user.region = sq_col_text(q, 5, mem);
		out->user.dept = sq_col_text(q, 6, mem);
		if (!out->token_hash || !out->username || !out->csrf || !out->user.role)
			rc = nomem(err);
	} else if (rc == DD_DONE) {
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "会话不存在或已过期");
	}
	sqlite3_reset(q);
	/* a write per request would serialise every reader on the write lock */
	if (rc == DD_OK && now + idle - out->idle_until > 60) {
		out->idle_until = now + idle;
		if ((rc = sq_stmt(s, touch_sql, &q, err)) == DD_OK) {
			sq_bind_text(q, 1, token_hash);
			sqlite3_bind_int64(q, 2, out->idle_until);
			rc = sq_run(s, q, err);
		}
	}
	return rc;
}

dd_rc sq_session_end(dd_store *st, const char *token_hash, dd_err *err)
{
	static const char sql[] =
		"UPDATE sessions SET ended_at = ?2 WHERE token_hash = ?1 AND ended_at IS NULL";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, token_hash);
	sq_bind_text(q, 2, sq_now(s));
	rc = sq_run(s, q, err);
	if (rc == DD_OK && sqlite3_changes(sq_db(s)) == 0)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "会话不存在或已结束");
	return rc;
}

/* The household search's filter: ?1 region prefix, ?2 the text, both LIKE-escaped with '\'. */
#define SEARCH_WHERE                                                                           \
	" FROM households h WHERE (?1 IS NULL OR h.region_code LIKE ?1 || '%' ESCAPE '\\')"     \
	" AND (?5 = 0 OR h.category_bits & ?5) AND (?6 = 0 OR h.fp_subtype IS NOT NULL)"          \
	" AND (?8 IS NULL OR h.household_no > ?8)"                                                 \
	" AND (?2 IS NULL OR h.household_no LIKE ?2 || '%' ESCAPE '\\' OR EXISTS (SELECT 1"      \
	" FROM members m WHERE m.household_id = h.id AND m.left_on IS NULL"                      \
	" AND (m.name LIKE '%' || ?2 || '%' ESCAPE '\\' OR m.id_number LIKE '%' || ?2 || '%' ESCAPE '\\'"\
	" OR (?7 IS NOT NULL AND dd_initials(m.name) LIKE ?7 || '%'))))"

/* `t` with LIKE's wildcards and the escape character escaped, in mem; NULL stays NULL. */
static const char *like_escape(const char *t, dd_arena *mem)
{
	if (!t)
		return NULL;
	char *out = dd_arena_alloc(mem, 2 * strlen(t) + 1), *o = out;
	for (; out && *t; t++) {
		if (*t == '%' || *t == '_' || *t == '\\')
			*o++ = '\\';
		*o++ = *t;
	}
	if (out)
		*o = 0;
	return out;
}

/* dd_initials(name): the pinyin initials of a name (dd_pinyin_initials), for the search. */
static void fn_initials(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	char out[64];

	(void)argc;
	if (!t) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, (int)dd_pinyin_initials(t, out, sizeof out), SQLITE_TRANSIENT);
}

dd_rc sq_search_functions(sq *s, dd_err *err)
{
	if (sqlite3_create_function(sq_db(s), "dd_initials", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    fn_initials, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, err);
	return DD_OK;
}

/* Binds the query's parameters ?1 ?2 ?5 ?6 ?7 ?8, shared by the count and the page. */
static void bind_query(sqlite3_stmt *st, const dd_household_query *f, const char *eq, const char *er,
		       const char *initials)
{
	sq_bind_text(st, 1, er);
	sq_bind_text(st, 2, eq);
	sqlite3_bind_int64(st, 5, f->categories);
	sqlite3_bind_int(st, 6, f->fp);
	sq_bind_text(st, 7, initials);
	sq_bind_text(st, 8, f->after);
}

dd_rc sq_household_search(dd_store *st, const dd_household_query *f, dd_household_hit **items,
			  size_t *n, int64_t *total, dd_arena *mem, dd_err *err)
{
	static const char count_sql[] = "SELECT count(*)" SEARCH_WHERE;
	static const char page_sql[] =
		"SELECT h.household_no, h.region_code, (SELECT m.name FROM members m WHERE"
		" m.household_id = h.id AND m.id_number = h.head_id), h.head_id, h.category_bits,"
		" h.fp_subtype, h.exited_on" SEARCH_WHERE " ORDER BY h.household_no LIMIT ?3 OFFSET ?4";
	sq *s = sq_of(st);
	sqlite3_stmt *c = NULL, *p = NULL;
	const char *eq = like_escape(f->q, mem), *er = like_escape(f->region, mem);
	char *initials = NULL;
	dd_rc rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	if (f->limit < 0 || f->limit > 1000)
		return dd_err_set(err, DD_ERR_USAGE, "每页条数应在 0 到 1000 之间");
	if (dd_pinyin_is_query(f->q) && (initials = dd_arena_strdup(mem, f->q)))
		for (char *c2 = initials; *c2; c2++)
			*c2 = (char)(*c2 | 0x20);   /* ASCII letters only: lower case */
	if ((f->q && !eq) || (f->region && !er) || (dd_pinyin_is_query(f->q) && !initials) ||
	    !(*items = dd_arena_calloc(mem, (size_t)(f->limit ? f->limit : 1) * sizeof **items)))
		return nomem(err);
	if ((rc = sq_stmt(s, count_sql, &c, err)) != DD_OK || (rc = sq_stmt(s, page_sql, &p, err)) != DD_OK)
		return rc;
	*total = -1;
	if (!f->after) {
		bind_query(c, f, eq, er, initials);
		if ((rc = sq_step(s, c, err)) == DD_OK)
			*total = sqlite3_column_int64(c, 0);
		sqlite3_reset(c);
		if (rc != DD_OK)
			return rc;
	}
	bind_query(p, f, eq, er, initials);
	sqlite3_bind_int64(p, 3, f->limit);
	sqlite3_bind_int64(p, 4, f->offset < 0 ? 0 : f->offset);
	while ((rc = sq_step(s, p, err)) == DD_OK) {
		dd_household_hit *h = &(*items)[(*n)++];
		const char *ex = (const char *)sqlite3_column_text(p, 6);
		h->household_no = sq_col_text(p, 0, mem);
		h->region_code = sq_col_text(p, 1, mem);
		h->head_name = sq_col_text(p, 2, mem);
		h->head_id = sq_col_text(p, 3, mem);
		h->categories = (unsigned)sqlite3_column_int64(p, 4);
		h->fp_subtype = sq_col_text(p, 5, mem);
		h->exited_on = DD_DATE_NONE;
		if (ex)
			dd_date_parse(ex, strlen(ex), &h->exited_on);
		if (!h->household_no || !h->region_code) {
			rc = nomem(err);
			break;
		}
	}
	sqlite3_reset(p);
	return rc == DD_DONE ? DD_OK : rc;
}
