/*
 * sqlite_flow.c - SQLite backend: applications and the recognition procedure
 * (DOMAIN.md §3; store.h "applications").  The procedure's rules live in
 * src/workflow; this file only keeps what it decides, with audit rows.
 */
#include "../core/dd.h"
#include "sqlite_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sq_migration sq_flow_migrations[] = {
	{ "flow_1_applications",
	  "CREATE TABLE applications ("
	  " id INTEGER PRIMARY KEY,"
	  " app_no TEXT NOT NULL UNIQUE,"
	  " kind TEXT NOT NULL,"
	  " household_id INTEGER NOT NULL REFERENCES households(id),"
	  " applicant_name TEXT NOT NULL,"
	  " applicant_id TEXT NOT NULL,"
	  " channel TEXT NOT NULL,"
	  " hardship TEXT,"
	  " needs TEXT,"
	  " emergency INTEGER NOT NULL,"
	  " emergency_amount BIGINT NOT NULL,"
	  " state TEXT NOT NULL,"
	  " submitted_on TEXT NOT NULL,"
	  " assessed_on TEXT,"
	  " computed_category TEXT,"
	  " assessment TEXT,"
	  " comparison TEXT,"
	  " notice_from TEXT,"
	  " notice_until TEXT,"
	  " decided_category TEXT,"
	  " decision_reason TEXT,"
	  " decided_on TEXT,"
	  " created_by TEXT NOT NULL,"
	  " created_at TEXT NOT NULL,"
	  " updated_at TEXT NOT NULL);"
	  "CREATE INDEX applications_household ON applications(household_id);"
	  "CREATE INDEX applications_state ON applications(state);"
	  "CREATE TABLE application_transitions ("
	  " id INTEGER PRIMARY KEY,"
	  " application_id INTEGER NOT NULL REFERENCES applications(id),"
	  " action TEXT NOT NULL,"
	  " from_state TEXT,"
	  " to_state TEXT NOT NULL,"
	  " username TEXT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " on_date TEXT NOT NULL,"
	  " comment TEXT,"
	  " investigators TEXT);"
	  "CREATE INDEX application_transitions_app ON application_transitions(application_id);"
	  "CREATE TABLE followups ("
	  " id INTEGER PRIMARY KEY,"
	  " household_id INTEGER NOT NULL REFERENCES households(id),"
	  " application_id INTEGER REFERENCES applications(id),"
	  " kind TEXT NOT NULL,"
	  " due_on TEXT,"
	  " done_on TEXT,"
	  " amount BIGINT,"
	  " result TEXT,"
	  " created_by TEXT NOT NULL,"
	  " created_at TEXT NOT NULL,"
	  " updated_at TEXT NOT NULL);"
	  "CREATE INDEX followups_household ON followups(household_id, kind);"
	  /* what warning W17 reads: "the last re-check recorded by the procedure" */
	  "CREATE VIEW rechecks AS SELECT id, household_id, application_id, due_on, done_on, result"
	  " FROM followups WHERE kind = 'recheck';"
	  "CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications"
	  " BEGIN SELECT RAISE(ABORT, '申请记录不能删除'); END;"
	  "CREATE TRIGGER application_transitions_no_update BEFORE UPDATE ON application_transitions"
	  " BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能修改'); END;"
	  "CREATE TRIGGER application_transitions_no_delete BEFORE DELETE ON application_transitions"
	  " BEGIN SELECT RAISE(ABORT, '办理记录只能追加，不能删除'); END;"
	  "CREATE TRIGGER followups_no_delete BEFORE DELETE ON followups"
	  " BEGIN SELECT RAISE(ABORT, '后续事项不能删除'); END;" },
	{ NULL, NULL },
};

/* ---- values in and out ---- */

/* Dates bound as text need a buffer that lives until the statement is reset. */
static void bind_date(sqlite3_stmt *st, int i, dd_date d, char buf[11])
{
	if (d == DD_DATE_NONE) {
		sqlite3_bind_null(st, i);
		return;
	}
	dd_date_format(d, buf);
	sqlite3_bind_text(st, i, buf, -1, SQLITE_STATIC);
}

static dd_rc nomem(dd_err *err)
{
	return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
}

/* Adds key: text (or null) to a JSON object; false when out of memory. */
static bool put_text(json_t *o, const char *key, const char *v)
{
	return json_object_set_new(o, key, v ? json_string(v) : json_null()) == 0;
}

static bool put_date(json_t *o, const char *key, dd_date d)
{
	char buf[11];

	if (d == DD_DATE_NONE)
		return put_text(o, key, NULL);
	dd_date_format(d, buf);
	return put_text(o, key, buf);
}

/* Audit row with before/after JSON objects (consumed). */
static dd_rc audit_json(sq *s, const char *user, const char *action, const char *entity,
			const char *key, json_t *before, json_t *after, bool ok, dd_err *err)
{
	char *bj = ok && before ? json_dumps(before, JSON_COMPACT) : NULL;
	char *aj = ok && after ? json_dumps(after, JSON_COMPACT) : NULL;
	dd_rc rc = DD_OK;

	if (!ok || (before && !bj) || (after && !aj))
		rc = nomem(err);
	else
		rc = sq_audit_row(s, user, 0, action, entity, key, bj, aj, err);
	free(bj);
	free(aj);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- applications ---- */

#define APP_COLS \
	"kind, household_id, applicant_name, applicant_id, channel, hardship, needs, emergency," \
	" emergency_amount, state, submitted_on, assessed_on, computed_category, assessment," \
	" comparison, notice_from, notice_until, decided_category, decision_reason, decided_on," \
	" created_by"
enum { APP_NCOLS = 21, P_NOW = 22, P_ID = 23, P_APPNO = 24 };

static const char app_insert_sql[] =
	"INSERT INTO applications (" APP_COLS ", created_at, updated_at, id, app_no) VALUES"
	" (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
	" ?20, ?21, ?22, ?22, ?23, ?24)";
static const char app_update_sql[] =
	"UPDATE applications SET kind = ?1, household_id = ?2, applicant_name = ?3,"
	" applicant_id = ?4, channel = ?5, hardship = ?6, needs = ?7, emergency = ?8,"
	" emergency_amount = ?9, state = ?10, submitted_on = ?11, assessed_on = ?12,"
	" computed_category = ?13, assessment = ?14, comparison = ?15, notice_from = ?16,"
	" notice_until = ?17, decided_category = ?18, decision_reason = ?19, decided_on = ?20,"
	" created_by = ?21, updated_at = ?22 WHERE id = ?23";
static const char app_next_sql[] = "SELECT COALESCE(MAX(id), 0) + 1 FROM applications";
static const char app_state_sql[] = "SELECT state FROM applications WHERE id = ?1";
static const char step_insert_sql[] =
	"INSERT INTO application_transitions (application_id, action, from_state, to_state,"
	" username, at, on_date, comment, investigators) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/* The audit's view of a step: the state before, and after it the step's fields. */
static dd_rc audit_step(sq *s, const dd_application *a, const dd_app_step *step, dd_err *err)
{
	json_t *before = step->from_state ? json_object() : NULL, *after = json_object();
	bool ok = after && (!step->from_state || before);

	ok = ok && (!before || put_text(before, "state", step->from_state));
	ok = ok && put_text(after, "state", a->state) && put_date(after, "on", step->on);
	if (ok && step->comment)
		ok = put_text(after, "comment", step->comment);
	if (ok && step->investigators)
		ok = put_text(after, "investigators", step->investigators);
	if (ok && a->decided_category && !strcmp(step->to_state, a->state) && a->decided_on == step->on)
		ok = put_text(after, "decided_category", a->decided_category) &&
		     put_text(after, "computed_category", a->computed_category) &&
		     put_text(after, "reason", a->decision_reason);
	return audit_json(s, step->user, step->action, "application", a->app_no, before, after, ok, err);
}

static dd_rc app_write(sq *s, dd_application *a, const dd_app_step *step, dd_err *err)
{
	sqlite3_stmt *st;
	char dates[6][11];
	dd_rc rc;

	if (!a->id) {
		rc = sq_stmt(s, app_next_sql, &st, err);
		if (rc == DD_OK && (rc = sq_step(s, st, err)) == DD_OK) {
			int y = 0, m, d;
			a->id = sqlite3_column_int64(st, 0);
			dd_date_to_ymd(a->submitted_on, &y, &m, &d);
			snprintf(a->app_no, sizeof a->app_no, "SQ%04d%06lld", y, (long long)a->id);
		}
		if (st)
			sqlite3_reset(st);
		if (rc != DD_OK)
			return rc == DD_DONE ? dd_err_set(err, DD_ERR_INTERNAL, "无法分配申请编号") : rc;
		rc = sq_stmt(s, app_insert_sql, &st, err);
	} else {
		rc = sq_stmt(s, app_update_sql, &st, err);
	}
	if (rc != DD_OK)
		return rc;
	sqlite3_bind_text(st, 1, a->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a->household_id);
	sq_bind_text(st, 3, a->applicant_name);
	sq_bind_text(st, 4, a->applicant_id);
	sq_bind_text(st, 5, a->channel);
	sq_bind_text(st, 6, a->hardship);
	sq_bind_text(st, 7, a->needs);
	sqlite3_bind_int(st, 8, a->emergency);
	sqlite3_bind_int64(st, 9, a->emergency_amount);
	sq_bind_text(st, 10, a->state);
	bind_date(st, 11, a->submitted_on, dates[0]);
	bind_date(st, 12, a->assessed_on, dates[1]);
	sq_bind_text(st, 13, a->computed_category);
	sq_bind_text(st, 14, a->assessment);
	sq_bind_text(st, 15, a->comparison);
	bind_date(st, 16, a->notice_from, dates[2]);
	bind_date(st, 17, a->notice_until, dates[3]);
	sq_bind_text(st, 18, a->decided_category);
	sq_bind_text(st, 19, a->decision_reason);
	bind_date(st, 20, a->decided_on, dates[4]);
	sq_bind_text(st, 21, a->created_by);
	sqlite3_bind_text(st, P_NOW, sq_now(s), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, P_ID, a->id);
	if (sqlite3_bind_parameter_count(st) >= P_APPNO)
		sqlite3_bind_text(st, P_APPNO, a->app_no, -1, SQLITE_STATIC);
	rc = sq_run(s, st, err);
	if (rc != DD_OK)
		return rc;
	if (!sqlite3_changes(sq_db(s)))
		return dd_err_set(err, DD_ERR_NOTFOUND, "申请 %s 不存在", a->app_no);
	rc = sq_stmt(s, step_insert_sql, &st, err);
	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_text(st, 2, step->action, -1, SQLITE_STATIC);
	sq_bind_text(st, 3, step->from_state);
	sqlite3_bind_text(st, 4, step->to_state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, step->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sq_now(s), -1, SQLITE_STATIC);
	bind_date(st, 7, step->on, dates[5]);
	sq_bind_text(st, 8, step->comment);
	sq_bind_text(st, 9, step->investigators);
	rc = sq_run(s, st, err);
	return rc == DD_OK ? audit_step(s, a, step, err) : rc;
}

/* Guards against a lost update: the state read by the caller must still be the stored one. */
static dd_rc state_unchanged(sq *s, const dd_application *a, const dd_app_step *step, dd_err *err)
{
	sqlite3_stmt *st;
	dd_rc rc = sq_stmt(s, app_state_sql, &st, err);
	const char *cur;

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(st, 1, a->id);
	rc = sq_step(s, st, err);
	cur = rc == DD_OK ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "申请 %s 不存在", a->app_no);
	else if (rc == DD_OK && (!cur || !step->from_state || strcmp(cur, step->from_state)))
		rc = dd_err_set(err, DD_ERR_INPUT, "申请 %s 已被他人办理（当前状态 %s），请重新查看后再办理",
				a->app_no, cur ? cur : "");
	sqlite3_reset(st);
	return rc;
}

dd_rc sq_app_put(dd_store *st, dd_application *a, const dd_app_step *step, dd_err *err)
{
	sq *s = sq_of(st);
	bool own = false;
	dd_rc rc;

	if (!step || !step->user || !*step->user || !step->action || !step->to_state || !a->kind ||
	    !a->state)
		return dd_err_set(err, DD_ERR_USAGE, "申请记录缺少办理人、动作或状态");
	rc = sq_atomic_begin(s, &own, err);
	if (rc == DD_OK && a->id)
		rc = state_unchanged(s, a, step, err);
	if (rc == DD_OK)
		rc = app_write(s, a, step, err);
	return sq_atomic_end(s, own, rc, err);
}

#define APP_SELECT \
	"SELECT a.id, a.app_no, h.household_no, " APP_COLS ", h.region_code" \
	" FROM applications a JOIN households h ON h.id = a.household_id"

static void read_app(sqlite3_stmt *st, dd_application *a, dd_arena *mem)
{
	const char *no = (const char *)sqlite3_column_text(st, 1);

	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	snprintf(a->app_no, sizeof a->app_no, "%s", no ? no : "");
	a->household_no = sq_col_text(st, 2, mem);
	a->kind = sq_col_text(st, 3, mem);
	a->household_id = sqlite3_column_int64(st, 4);
	a->applicant_name = sq_col_text(st, 5, mem);
	a->applicant_id = sq_col_text(st, 6, mem);
	a->channel = sq_col_text(st, 7, mem);
	a->hardship = sq_col_text(st, 8, mem);
	a->needs = sq_col_text(st, 9, mem);
	a->emergency = sqlite3_column_int(st, 10);
	a->emergency_amount = sqlite3_column_int64(st, 11);
	a->state = sq_col_text(st, 12, mem);
	a->submitted_on = sq_col_date(st, 13);
	a->assessed_on = sq_col_date(st, 14);
	a->computed_category = sq_col_text(st, 15, mem);
	a->assessment = sq_col_text(st, 16, mem);
	a->comparison = sq_col_text(st, 17, mem);
	a->notice_from = sq_col_date(st, 18);
	a->notice_until = sq_col_date(st, 19);
	a->decided_category = sq_col_text(st, 20, mem);
	a->decision_reason = sq_col_text(st, 21, mem);
	a->decided_on = sq_col_date(st, 22);
	a->created_by = sq_col_text(st, 23, mem);
	a->region_code = sq_col_text(st, 24, mem);
}

dd_rc sq_app_get(dd_store *st, const char *key, dd_application *a, dd_arena *mem, dd_err *err)
{
	static const char sql[] = APP_SELECT " WHERE a.app_no = ?1 OR CAST(a.id AS TEXT) = ?1";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sq_step(s, q, err);
	if (rc == DD_OK)
		read_app(q, a, mem);
	else if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "申请 %s 不存在", key);
	sqlite3_reset(q);
	return rc;
}

/*
 * Rows of q into a growing array in mem (records are small and few: an
 * arena copy on growth is fine).
 */
typedef void (*row_reader)(sqlite3_stmt *st, void *rec, dd_arena *mem);

static dd_rc collect_rows(sq *s, sqlite3_stmt *q, size_t size, row_reader read, void **out,
			  size_t *n, dd_arena *mem, dd_err *err)
{
	size_t cap = 0;
	dd_rc rc;

	*out = NULL;
	*n = 0;
	while ((rc = sq_step(s, q, err)) == DD_OK) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *p = dd_arena_alloc(mem, ncap * size);
			if (!p) {
				rc = nomem(err);
				break;
			}
			if (*n)
				memcpy(p, *out, *n * size);
			*out = p;
			cap = ncap;
		}
		read(q, (char *)*out + *n * size, mem);
		(*n)++;
	}
	sqlite3_reset(q);
	return rc == DD_DONE ? DD_OK : rc;
}

static void read_app_row(sqlite3_stmt *st, void *rec, dd_arena *mem)
{
	read_app(st, rec, mem);
}

dd_rc sq_app_list(dd_store *st, const char *state, dd_application **apps, size_t *n, dd_arena *mem,
		  dd_err *err)
{
	static const char sql[] = APP_SELECT " WHERE ?1 IS NULL OR a.state = ?1 ORDER BY a.id";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sq_bind_text(q, 1, state);
	return collect_rows(s, q, sizeof **apps, read_app_row, (void **)apps, n, mem, err);
}

/* The page's filter: ?1 state, ?2 kind, ?3 region prefix (digits only: no LIKE wildcard), ?4 household. */
#define PAGE_WHERE                                                                              \
	" WHERE (?1 IS NULL OR a.state = ?1) AND (?2 IS NULL OR a.kind = ?2)"                   \
	" AND (?3 IS NULL OR h.region_code LIKE ?3 || '%') AND (?4 = 0 OR a.household_id = ?4)"

static void bind_filter(sqlite3_stmt *q, const dd_app_filter *f)
{
	sq_bind_text(q, 1, f->state);
	sq_bind_text(q, 2, f->kind);
	sq_bind_text(q, 3, f->region);
	sqlite3_bind_int64(q, 4, f->household_id);
}

dd_rc sq_app_page(dd_store *st, const dd_app_filter *f, int64_t offset, int64_t limit,
		  dd_application **apps, size_t *n, int64_t *total, dd_arena *mem, dd_err *err)
{
	static const char count_sql[] =
		"SELECT count(*) FROM applications a JOIN households h ON h.id = a.household_id" PAGE_WHERE;
	static const char page_sql[] = APP_SELECT PAGE_WHERE " ORDER BY a.id DESC LIMIT ?5 OFFSET ?6";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc;

	*apps = NULL;
	*n = 0;
	*total = 0;
	if (f->region && strspn(f->region, "0123456789") != strlen(f->region))
		return dd_err_set(err, DD_ERR_USAGE, "区划代码只能是数字");
	if ((rc = sq_stmt(s, count_sql, &q, err)) != DD_OK)
		return rc;
	bind_filter(q, f);
	if ((rc = sq_step(s, q, err)) == DD_OK)
		*total = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != DD_OK || (rc = sq_stmt(s, page_sql, &q, err)) != DD_OK)
		return rc;
	bind_filter(q, f);
	sqlite3_bind_int64(q, 5, limit);
	sqlite3_bind_int64(q, 6, offset < 0 ? 0 : offset);
	return collect_rows(s, q, sizeof **apps, read_app_row, (void **)apps, n, mem, err);
}

static void read_step(sqlite3_stmt *st, void *rec, dd_arena *mem)
{
	dd_app_step *p = rec;
	const char *at = (const char *)sqlite3_column_text(st, 4);

	memset(p, 0, sizeof *p);
	p->action = sq_col_text(st, 0, mem);
	p->from_state = sq_col_text(st, 1, mem);
	p->to_state = sq_col_text(st, 2, mem);
	p->user = sq_col_text(st, 3, mem);
	snprintf(p->at, sizeof p->at, "%s", at ? at : "");
	p->on = sq_col_date(st, 5);
	p->comment = sq_col_text(st, 6, mem);
	p->investigators = sq_col_text(st, 7, mem);
}

dd_rc sq_app_steps(dd_store *st, int64_t app_id, dd_app_step **steps, size_t *n, dd_arena *mem,
		   dd_err *err)
{
	static const char sql[] =
		"SELECT action, from_state, to_state, username, at, on_date, comment, investigators"
		" FROM application_transitions WHERE application_id = ?1 ORDER BY id";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, app_id);
	return collect_rows(s, q, sizeof **steps, read_step, (void **)steps, n, mem, err);
}

/* ---- the registry side of a decision ---- */

static dd_rc recognize(sq *s, const char *user, int64_t household_id, const dd_recognition *r,
		       dd_err *err)
{
	static const char old_sql[] =
		"SELECT household_no, categories, category_bits, recognized_on, exited_on, fp_subtype"
		" FROM households WHERE id = ?1";
	static const char set_sql[] =
		"UPDATE households SET categories = CASE WHEN ?2 THEN ?3 ELSE categories END,"
		" category_bits = CASE WHEN ?2 THEN ?4 ELSE category_bits END,"
		" recognized_on = CASE WHEN ?2 THEN ?5 ELSE recognized_on END,"
		" exited_on = COALESCE(?6, exited_on), updated_at = ?7 WHERE id = ?1";
	static const char history_sql[] =
		"INSERT INTO category_history (household_id, categories, category_bits, fp_subtype,"
		" valid_from, import_id, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)";
	sqlite3_stmt *old, *set, *hist;
	json_t *before = json_object(), *after = json_object();
	char cats[16], d1[11], d2[11], no[64] = "", fp[128];
	const char *old_cats;
	bool ok = before && after, changed_cats;
	dd_rc rc = sq_stmt(s, old_sql, &old, err);

	if (rc == DD_OK) {
		sqlite3_bind_int64(old, 1, household_id);
		rc = sq_step(s, old, err);
	}
	if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "户（内部编号 %lld）不存在", (long long)household_id);
	if (rc != DD_OK) {
		if (old)
			sqlite3_reset(old);
		json_decref(before);
		json_decref(after);
		return rc;
	}
	snprintf(no, sizeof no, "%s", (const char *)sqlite3_column_text(old, 0));
	dd_category_format(r->categories, cats);
	old_cats = (const char *)sqlite3_column_text(old, 1);
	changed_cats = r->set_categories && (unsigned)sqlite3_column_int64(old, 2) != r->categories;
	if (r->set_categories) {
		ok = ok && put_text(before, "categories", old_cats) &&
		     put_text(before, "recognized_on", (const char *)sqlite3_column_text(old, 3)) &&
		     put_text(after, "categories", cats) && put_date(after, "recognized_on", r->recognized_on);
	}
	if (r->exited_on != DD_DATE_NONE)
		ok = ok && put_text(before, "exited_on", (const char *)sqlite3_column_text(old, 4)) &&
		     put_date(after, "exited_on", r->exited_on);
	ok = ok && put_text(after, "application", r->app_no);
	snprintf(fp, sizeof fp, "%s", sqlite3_column_type(old, 5) == SQLITE_NULL ? "" :
				       (const char *)sqlite3_column_text(old, 5));
	sqlite3_reset(old);
	rc = sq_stmt(s, set_sql, &set, err);
	if (rc == DD_OK) {
		sqlite3_bind_int64(set, 1, household_id);
		sqlite3_bind_int(set, 2, r->set_categories);
		sq_bind_text(set, 3, cats);
		sqlite3_bind_int64(set, 4, r->categories);
		bind_date(set, 5, r->recognized_on, d1);
		bind_date(set, 6, r->exited_on, d2);
		sqlite3_bind_text(set, 7, sq_now(s), -1, SQLITE_STATIC);
		rc = sq_run(s, set, err);
	}
	if (rc == DD_OK && changed_cats && (rc = sq_stmt(s, history_sql, &hist, err)) == DD_OK) {
		sqlite3_bind_int64(hist, 1, household_id);
		sq_bind_text(hist, 2, cats);
		sqlite3_bind_int64(hist, 3, r->categories);
		sq_bind_text(hist, 4, fp);
		bind_date(hist, 5, r->recognized_on, d1);
		sqlite3_bind_text(hist, 6, sq_now(s), -1, SQLITE_STATIC);
		rc = sq_run(s, hist, err);
	}
	if (rc != DD_OK) {
		json_decref(before);
		json_decref(after);
		return rc;
	}
	return audit_json(s, user, r->exited_on != DD_DATE_NONE ? "exit" : "recognize", "household", no,
			  before, after, ok, err);
}

dd_rc sq_household_recognize(dd_store *st, const char *user, int64_t household_id,
			     const dd_recognition *r, dd_err *err)
{
	sq *s = sq_of(st);
	bool own = false;
	dd_rc rc;

	if (!user || !*user)
		return dd_err_set(err, DD_ERR_USAGE, "缺少办理人");
	rc = sq_atomic_begin(s, &own, err);
	if (rc == DD_OK)
		rc = recognize(s, user, household_id, r, err);
	return sq_atomic_end(s, own, rc, err);
}

/* ---- follow-ups ---- */

static dd_rc followup_insert(sq *s, const char *user, dd_followup *f, dd_err *err)
{
	static const char sql[] =
		"INSERT INTO followups (household_id, application_id, kind, due_on, done_on, amount,"
		" result, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
	sqlite3_stmt *st;
	char d1[11], d2[11];
	dd_rc rc = sq_stmt(s, sql, &st, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(st, 1, f->household_id);
	if (f->application_id)
		sqlite3_bind_int64(st, 2, f->application_id);
	else
		sqlite3_bind_null(st, 2);
	sq_bind_text(st, 3, f->kind);
	bind_date(st, 4, f->due_on, d1);
	bind_date(st, 5, f->done_on, d2);
	if (f->amount >= 0)
		sqlite3_bind_int64(st, 6, f->amount);
	else
		sqlite3_bind_null(st, 6);
	sq_bind_text(st, 7, f->result);
	sqlite3_bind_text(st, 8, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, sq_now(s), -1, SQLITE_STATIC);
	rc = sq_run(s, st, err);
	if (rc == DD_OK)
		f->id = sqlite3_last_insert_rowid(sq_db(s));
	return rc;
}

static dd_rc followup_done(sq *s, const dd_followup *f, dd_err *err)
{
	static const char sql[] = "UPDATE followups SET done_on = ?1, result = ?2, updated_at = ?3 WHERE id = ?4";
	sqlite3_stmt *st;
	char d[11];
	dd_rc rc = sq_stmt(s, sql, &st, err);

	if (rc != DD_OK)
		return rc;
	bind_date(st, 1, f->done_on, d);
	sq_bind_text(st, 2, f->result);
	sqlite3_bind_text(st, 3, sq_now(s), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, f->id);
	rc = sq_run(s, st, err);
	if (rc == DD_OK && !sqlite3_changes(sq_db(s)))
		rc = dd_err_set(err, DD_ERR_NOTFOUND, "后续事项 %lld 不存在", (long long)f->id);
	return rc;
}

static dd_rc followup_write(sq *s, const char *user, dd_followup *f, dd_err *err)
{
	const bool is_new = !f->id;
	json_t *after = json_object();
	char key[24];
	bool ok;
	dd_rc rc = is_new ? followup_insert(s, user, f, err) : followup_done(s, f, err);

	if (rc != DD_OK) {
		json_decref(after);
		return rc;
	}
	snprintf(key, sizeof key, "%lld", (long long)f->id);
	ok = after && put_text(after, "kind", f->kind) && put_date(after, "due_on", f->due_on) &&
	     put_date(after, "done_on", f->done_on) && put_text(after, "result", f->result) &&
	     json_object_set_new(after, "household_id", json_integer(f->household_id)) == 0 &&
	     json_object_set_new(after, "amount", f->amount >= 0 ? json_integer(f->amount) : json_null()) == 0;
	return audit_json(s, user, is_new ? "schedule" : "done", "followup", key, NULL, after, ok, err);
}

dd_rc sq_followup_put(dd_store *st, const char *user, dd_followup *f, dd_err *err)
{
	sq *s = sq_of(st);
	bool own = false;
	dd_rc rc;

	if (!user || !*user || !f->kind || !f->household_id)
		return dd_err_set(err, DD_ERR_USAGE, "后续事项缺少办理人、种类或户");
	rc = sq_atomic_begin(s, &own, err);
	if (rc == DD_OK)
		rc = followup_write(s, user, f, err);
	return sq_atomic_end(s, own, rc, err);
}

static void read_followup(sqlite3_stmt *st, void *rec, dd_arena *mem)
{
	dd_followup *f = rec;

	f->id = sqlite3_column_int64(st, 0);
	f->household_id = sqlite3_column_int64(st, 1);
	f->application_id = sqlite3_column_int64(st, 2);
	f->kind = sq_col_text(st, 3, mem);
	f->due_on = sq_col_date(st, 4);
	f->done_on = sq_col_date(st, 5);
	f->amount = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 6);
	f->result = sq_col_text(st, 7, mem);
}

dd_rc sq_followups(dd_store *st, int64_t household_id, int64_t app_id, dd_followup **out,
		   size_t *n, dd_arena *mem, dd_err *err)
{
	static const char sql[] =
		"SELECT id, household_id, COALESCE(application_id, 0), kind, due_on, done_on, amount, result"
		" FROM followups WHERE (?1 > 0 AND household_id = ?1) OR (?2 > 0 AND application_id = ?2)"
		" ORDER BY id";
	sq *s = sq_of(st);
	sqlite3_stmt *q;
	dd_rc rc = sq_stmt(s, sql, &q, err);

	if (rc != DD_OK)
		return rc;
	sqlite3_bind_int64(q, 1, household_id);
	sqlite3_bind_int64(q, 2, app_id);
	return collect_rows(s, q, sizeof **out, read_followup, (void **)out, n, mem, err);
}
