/*
 * sqlite_stats.c - SQLite backend: what the web's administration and
 * statistics pages read and change (store.h "administration and
 * statistics"; docs/internals/http.md): the user list and user changes, and
 * the dashboard's counts.
 *
 * The dashboard is a few scans grouped in SQL (C only adds up the groups);
 * see docs/internals/http.md for its time on 100 000 households.  The
 * figures follow dd_store_stats (sqlite.c) exactly: a household is current
 * when exited_on is empty or after today, members are current members of
 * current households.
 */
#include "../core/dd.h"
#include "../core/date.h"
#include "../core/registry.h"
#include "sqlite_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dd_rc nomem(dd_err *err)
{
	return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
}

/* ---- users ---- */

dd_rc sq_user_list(dd_store *st, dd_user_info **out, size_t *n, dd_arena *mem, dd_err *err)
{
	static const char count_sql[] = "SELECT count(*) FROM users";
	static const char sql[] =
		"SELECT username, role, region, dept, disabled, created_at FROM users ORDER BY username";
	sq *s = sq_of(st);
	sqlite3_stmt *c, *q;
	size_t cap = 0;
	dd_rc rc;

	*out = NULL;
	*n = 0;
	/* a user added between the two statements is left for the next call */
	if ((rc = sq_stmt(s, count_sql, &c, err)) != DD_OK || (rc = sq_stmt(s, sql, &q, err)) != DD_OK)
		return rc;
	if ((rc = sq_step(s, c, err)) == DD_OK)
		cap = (size_t)sqlite3_column_int64(c, 0);
	sqlite3_reset(c);
	if (rc != DD_OK)
		return rc;
	if (!(*out = dd_arena_calloc(mem, (cap ? cap : 1) * sizeof **out)))
		return nomem(err);
	while (*n < cap && (rc = sq_step(s, q, err)) == DD_OK) {
		dd_user_info *u = &(*out)[(*n)++];
		u->user.username = sq_col_text(q, 0, mem);
		u->user.role = sq_col_text(q, 1, mem);
		u->user.region = sq_col_text(q, 2, mem);
		u->user.dept = sq_col_text(q, 3, mem);
		u->disabled = sqlite3_column_int(q, 4) != 0;
		u->created_at = sq_col_text(q, 5, mem);
		if (!u->user.username || !u->user.role || !u->created_at) {
			rc = nomem(err);
			break;
		}
	}
	sqlite3_reset(q);
	return rc == DD_DONE || rc == DD_OK ? DD_OK : rc;
}

dd_rc sq_user_set(dd_store *st, const char *actor, const char *username, int disabled,
		  const char *pw_hash, const char *keep_token_hash, dd_err *err)
{
	static const char get_sql[] = "SELECT disabled FROM users WHERE username = ?1";
	static const char set_sql[] =
		"UPDATE users SET disabled = COALESCE(?2, disabled), pw_hash = COALESCE(?3, pw_hash)"
		" WHERE username = ?1";
	static const char end_sql[] =
		"UPDATE sessions SET ended_at = ?2 WHERE username = ?1 AND ended_at IS NULL"
		" AND (?3 IS NULL OR token_hash <> ?3)";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	json_t *before = NULL, *after = NULL;
	char *btext = NULL, *atext = NULL;
	bool own = false, was;
	dd_rc rc = sq_atomic_begin(s, &own, err);

	if (rc != DD_OK)
		return rc;
	if ((rc = sq_stmt(s, get_sql, &q, err)) != DD_OK)
		goto done;
	sq_bind_text(q, 1, username);
	rc = sq_step(s, q, err);
	was = rc == DD_OK && sqlite3_column_int(q, 0) != 0;
	sqlite3_reset(q);
	if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "用户 %s 不存在", username);
	if (rc != DD_OK || (rc = sq_stmt(s, set_sql, &q, err)) != DD_OK)
		goto done;
	sq_bind_text(q, 1, username);
	/* a cached statement keeps its last bindings: "unchanged" must be bound as NULL every time */
	if (disabled >= 0)
		sqlite3_bind_int(q, 2, disabled != 0);
	else
		sqlite3_bind_null(q, 2);
	sq_bind_text(q, 3, pw_hash);
	if ((rc = sq_run(s, q, err)) != DD_OK)
		goto done;
	if (disabled == 1 || pw_hash) {
		if ((rc = sq_stmt(s, end_sql, &q, err)) != DD_OK)
			goto done;
		sq_bind_text(q, 1, username);
		sq_bind_text(q, 2, sq_now(s));
		sq_bind_text(q, 3, keep_token_hash);
		if ((rc = sq_run(s, q, err)) != DD_OK)
			goto done;
	}
	/* the audit row says what changed, never the hash itself */
	before = json_pack("{s:b}", "disabled", was);
	after = json_pack("{s:b}", "disabled", disabled >= 0 ? disabled != 0 : was);
	if (after && pw_hash)
		json_object_set_new(after, "password", json_string("changed"));
	btext = before ? json_dumps(before, JSON_COMPACT) : NULL;
	atext = after ? json_dumps(after, JSON_COMPACT) : NULL;
	rc = btext && atext ? sq_audit_row(s, actor, 0, "update", "user", username, btext, atext, err)
			    : nomem(err);
done:
	json_decref(before);
	json_decref(after);
	free(btext);
	free(atext);
	return sq_atomic_end(s, own, rc, err);
}

/* ---- the dashboard ---- */

/*
 * Parameters common to the dashboard's household queries: ?1 today,
 * ?2 the region prefix (NULL: all), ?3..?7 the category bits in
 * dd_categories order, ?8 their union.
 */
#define DASH_CURRENT                                                                           \
	" (h.exited_on IS NULL OR h.exited_on > ?1)"                                            \
	" AND (?2 IS NULL OR substr(h.region_code, 1, length(?2)) = ?2)"
#define DASH_BIT(n) "COALESCE(SUM((h.category_bits & ?" #n ") <> 0), 0)"
#define DASH_BITS DASH_BIT(3) ", " DASH_BIT(4) ", " DASH_BIT(5) ", " DASH_BIT(6) ", " DASH_BIT(7)

static void bind_common(sqlite3_stmt *q, const char *day, const char *region)
{
	unsigned all = 0;

	sq_bind_text(q, 1, day);
	sq_bind_text(q, 2, region);
	for (int i = 0; i < 5; i++) {
		if (sqlite3_bind_parameter_count(q) >= i + 3)
			sqlite3_bind_int(q, i + 3, (int)dd_categories[i].bit);
		all |= dd_categories[i].bit;
	}
	if (sqlite3_bind_parameter_count(q) >= 8)
		sqlite3_bind_int(q, 8, (int)all);
}

/* Townships: households by category, then members, merged by code (both ordered by code). */
static dd_rc dash_townships(sq *s, const char *day, const char *region, dd_dashboard *d,
			    dd_arena *mem, dd_err *err)
{
	static const char hh_sql[] =
		"SELECT substr(h.region_code, 1, 9) AS t, COUNT(*), " DASH_BITS ","
		" COALESCE(SUM(h.fp_subtype IS NOT NULL), 0)"
		" FROM households h WHERE" DASH_CURRENT " GROUP BY t ORDER BY t";
	static const char mm_sql[] =
		"SELECT substr(h.region_code, 1, 9) AS t, COUNT(*)"
		" FROM members m JOIN households h ON h.id = m.household_id"
		" WHERE m.left_on IS NULL AND" DASH_CURRENT " GROUP BY t ORDER BY t";
	sqlite3_stmt *q;
	size_t cap = 16, k = 0;
	dd_rc rc;

	if (!(d->townships = dd_arena_calloc(mem, cap * sizeof *d->townships)))
		return nomem(err);
	if ((rc = sq_stmt(s, hh_sql, &q, err)) != DD_OK)
		return rc;
	bind_common(q, day, region);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		if (d->ntownships == cap) {
			dd_dash_township *more = dd_arena_calloc(mem, 2 * cap * sizeof *more);
			if (!more) {
				rc = nomem(err);
				break;
			}
			memcpy(more, d->townships, cap * sizeof *more);
			d->townships = more;
			cap *= 2;
		}
		dd_dash_township *t = &d->townships[d->ntownships++];
		snprintf(t->code, sizeof t->code, "%s", (const char *)sqlite3_column_text(q, 0));
		t->households = sqlite3_column_int64(q, 1);
		for (int i = 0; i < 5; i++)
			t->by_category[i] = sqlite3_column_int64(q, 2 + i);
		t->fp = sqlite3_column_int64(q, 7);
	}
	sqlite3_reset(q);
	if (rc != DD_DONE || (rc = sq_stmt(s, mm_sql, &q, err)) != DD_OK)
		return rc;
	bind_common(q, day, region);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		while (k < d->ntownships && strcmp(d->townships[k].code, code) < 0)
			k++;
		if (k < d->ntownships && !strcmp(d->townships[k].code, code))
			d->townships[k].members = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

static dd_rc dash_fp(sq *s, const char *day, const char *region, dd_dashboard *d, dd_err *err)
{
	static const char sql[] =
		"SELECT " DASH_BITS ", COALESCE(SUM((h.category_bits & ?8) = 0), 0)"
		" FROM households h WHERE h.fp_subtype IS NOT NULL AND" DASH_CURRENT;
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	bind_common(q, day, region);
	if ((rc = sq_step(s, q, err)) == DD_OK) {
		for (int i = 0; i < 5; i++)
			d->fp_overlap[i] = sqlite3_column_int64(q, i);
		d->fp_only = sqlite3_column_int64(q, 5);
	}
	sqlite3_reset(q);
	return rc;
}

/* A warning's scope (store.h "monitoring for the web") within the prefix `param` (NULL: all). */
#define IN_SCOPE(param) " AND (" param " IS NULL OR (scope >= " param " AND scope < " param " || ':'))"

static dd_rc dash_warnings(sq *s, const char *region, dd_dashboard *d, dd_arena *mem, dd_err *err)
{
	/* from the counts the warnings' triggers keep (sqlite_warn.c), by the same scope as the list */
	static const char count_sql[] =
		"SELECT COUNT(DISTINCT rule) FROM warning_counts WHERE n > 0" IN_SCOPE("?1");
	static const char sql[] =
		"SELECT rule, level, SUM(CASE WHEN status <> 'closed' THEN n ELSE 0 END), SUM(n),"
		" SUM(CASE WHEN status <> 'closed' AND level = 'red' THEN n ELSE 0 END),"
		" SUM(CASE WHEN status <> 'closed' AND level = 'yellow' THEN n ELSE 0 END),"
		" SUM(CASE WHEN status <> 'closed' AND level = 'blue' THEN n ELSE 0 END), MAX(month)"
		" FROM warning_counts WHERE n > 0" IN_SCOPE("?1") " GROUP BY rule ORDER BY rule";
	sqlite3_stmt *c, *q;
	size_t cap = 0;
	dd_rc rc;

	if ((rc = sq_stmt(s, count_sql, &c, err)) != DD_OK || (rc = sq_stmt(s, sql, &q, err)) != DD_OK)
		return rc;
	sq_bind_text(c, 1, region);
	if ((rc = sq_step(s, c, err)) == DD_OK)
		cap = (size_t)sqlite3_column_int64(c, 0);
	sqlite3_reset(c);
	if (rc != DD_OK)
		return rc;
	if (!(d->rules = dd_arena_calloc(mem, (cap ? cap : 1) * sizeof *d->rules)))
		return nomem(err);
	sq_bind_text(q, 1, region);
	while (d->nrules < cap && (rc = sq_step(s, q, err)) == DD_OK) {
		dd_dash_rule *r = &d->rules[d->nrules++];
		/* a rule's level can change with the policy: `level` is that of its latest month (SQLite
		 * takes a bare column from the MAX(month) row); the level counts use each warning's own */
		snprintf(r->rule, sizeof r->rule, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(r->level, sizeof r->level, "%s", (const char *)sqlite3_column_text(q, 1));
		r->open = sqlite3_column_int64(q, 2);
		r->total = sqlite3_column_int64(q, 3);
		for (int i = 0; i < 3; i++)
			d->open_by_level[i] += sqlite3_column_int64(q, 4 + i);
	}
	sqlite3_reset(q);
	return rc == DD_DONE || rc == DD_OK ? DD_OK : rc;
}

/* Counts per month: ?1 the first month 'YYYY-MM', ?2 the region prefix or NULL. */
#define IN_REGION(col) " AND (?2 IS NULL OR substr(" col ", 1, length(?2)) = ?2)"

/*
 * The register's months: households grouped by (month recognised, month
 * exited), a few hundred groups, from which C derives the households at
 * each month's end (recognised by then, not exited by then), and those
 * recognised and exited within it.  One scan instead of one per figure.
 */
static dd_rc trend_register(sq *s, const char *region, dd_dashboard *d, dd_err *err)
{
	static const char sql[] =
		"SELECT substr(h.recognized_on, 1, 7) AS rm, substr(h.exited_on, 1, 7) AS em, COUNT(*)"
		" FROM households h WHERE 1 = 1" IN_REGION("h.region_code") " GROUP BY rm, em";
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 2, region);
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		const char *rm = (const char *)sqlite3_column_text(q, 0);
		const char *em = (const char *)sqlite3_column_text(q, 1);
		int64_t n = sqlite3_column_int64(q, 2);
		for (int i = 0; i < DD_DASH_MONTHS; i++) {
			dd_dash_month *m = &d->trend[i];
			/* month text compares as the dates do: rm <= m is recognised by the month's end */
			if ((!rm || strcmp(rm, m->month) <= 0) && (!em || strcmp(em, m->month) > 0))
				m->households += n;
			if (rm && !strcmp(rm, m->month))
				m->recognized += n;
			if (em && !strcmp(em, m->month))
				m->exited += n;
		}
	}
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

static dd_rc dash_trend(sq *s, dd_date today, const char *region, dd_dashboard *d, dd_err *err)
{
	/* each query: month, count, for months from ?1 on */
	static const char warnings_sql[] =
		"SELECT month, SUM(n) FROM warning_counts WHERE month >= ?1" IN_SCOPE("?2") " GROUP BY month";
	static const char apps_sql[] =
		"SELECT substr(a.submitted_on, 1, 7) AS m, COUNT(*) FROM applications a"
		" JOIN households h ON h.id = a.household_id"
		" WHERE a.submitted_on >= ?1" IN_REGION("h.region_code") " GROUP BY m";
	static const char *const per_month[] = { warnings_sql, apps_sql };
	dd_month last = dd_month_of(today), first = last - (DD_DASH_MONTHS - 1);
	sqlite3_stmt *q;
	dd_rc rc;

	for (int i = 0; i < DD_DASH_MONTHS; i++)
		dd_month_format(first + i, d->trend[i].month);
	rc = trend_register(s, region, d, err);
	for (size_t k = 0; rc == DD_OK && k < DD_ARRAY_LEN(per_month); k++) {
		if ((rc = sq_stmt(s, per_month[k], &q, err)) != DD_OK)
			break;
		sq_bind_text(q, 1, d->trend[0].month);
		sq_bind_text(q, 2, region);
		while ((rc = sq_step(s, q, err)) == DD_OK) {
			const char *m = (const char *)sqlite3_column_text(q, 0);
			dd_month mm;
			if (!m || dd_month_parse(m, strlen(m), &mm) != DD_OK || mm < first || mm > last)
				continue;   /* a later month (a future date) is not part of the trend */
			int64_t v = sqlite3_column_int64(q, 1);
			if (k == 0)
				d->trend[mm - first].warnings = v;
			else
				d->trend[mm - first].applications = v;
		}
		sqlite3_reset(q);
		rc = rc == DD_DONE ? DD_OK : rc;
	}
	return rc;
}

dd_rc sq_dashboard(dd_store *st, dd_date today, const char *region, dd_dashboard *out,
		   dd_arena *mem, dd_err *err)
{
	sq *s = sq_of(st);
	char day[11];
	/* one deferred (read) transaction: every figure from the same snapshot, no write lock taken */
	bool own = sqlite3_get_autocommit(sq_db(s));
	dd_rc rc = own ? sq_exec(s, "BEGIN", err) : DD_OK;

	memset(out, 0, sizeof *out);
	dd_date_format(today, day);
	if (region && !*region)
		region = NULL;
	if (rc == DD_OK)
		rc = dash_townships(s, day, region, out, mem, err);
	if (rc == DD_OK)
		rc = dash_fp(s, day, region, out, err);
	if (rc == DD_OK)
		rc = dash_warnings(s, region, out, mem, err);
	if (rc == DD_OK)
		rc = dash_trend(s, today, region, out, err);
	if (own && !sqlite3_get_autocommit(sq_db(s)))
		sq_exec(s, "COMMIT", NULL);   /* nothing was written: ending the read cannot lose anything */
	return rc;
}
