/*
 * store.c - picks the backend for a URL and forwards every call through its
 * ops table, keeping the last error text on the handle.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef dd_rc (*open_fn)(dd_store **st, const char *url, bool create, dd_err *err);

/* URL schemes with their backend; NULL = known scheme whose backend is not built yet. */
static const struct {
	const char *prefix;
	open_fn open;
} schemes[] = {
	{ "postgres://", NULL },
	{ "postgresql://", NULL },
};

dd_rc dd_store_open(dd_store **st, const char *url, bool create, dd_err *err)
{
	open_fn open = dd_store_sqlite_open;
	*st = NULL;
	if (!url || !*url)
		return dd_err_set(err, DD_ERR_USAGE, "未指定数据库");
	for (size_t i = 0; i < DD_ARRAY_LEN(schemes); i++) {
		if (strncasecmp(url, schemes[i].prefix, strlen(schemes[i].prefix)) == 0) {
			if (!schemes[i].open)
				return dd_err_set(err, DD_ERR_USAGE, "PostgreSQL 后端尚未实现");
			open = schemes[i].open;
			break;
		}
	}
	return open(st, url, create, err);
}

void dd_store_close(dd_store *st)
{
	if (st)
		st->ops->close(st);
}

const char *dd_store_errmsg(const dd_store *st)
{
	return st->errmsg;
}

int dd_store_schema_version(dd_store *st)
{
	return st->ops->schema_version(st);
}

/* Copies a failure's text onto the handle and into the caller's err. */
static dd_rc keep(dd_store *st, dd_rc rc, const dd_err *e, dd_err *err)
{
	if (rc != DD_OK) {
		snprintf(st->errmsg, sizeof st->errmsg, "%s", e->msg);
		if (err)
			*err = *e;
	}
	return rc;
}

dd_rc dd_store_begin(dd_store *st, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->begin(st, &e), &e, err);
}

dd_rc dd_store_commit(dd_store *st, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->commit(st, &e), &e, err);
}

dd_rc dd_store_rollback(dd_store *st)
{
	dd_err e = { 0 };
	return keep(st, st->ops->rollback(st, &e), &e, NULL);
}

dd_rc dd_store_meta_get(dd_store *st, const char *key, char **val, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->meta_get(st, key, val, &e), &e, err);
}

dd_rc dd_store_policy(dd_store *st, dd_policy *p, dd_err *err)
{
	char *text = NULL;
	dd_rc rc = dd_store_meta_get(st, "policy", &text, err);

	if (rc == DD_OK || rc == DD_ERR_NOTFOUND)
		rc = dd_policy_stored(p, text, err);
	free(text);
	return rc;
}

dd_rc dd_store_meta_set(dd_store *st, const char *user, const char *key, const char *val,
			dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->meta_set(st, user, key, val, &e), &e, err);
}

dd_rc dd_store_audit(dd_store *st, const char *user, const char *action, const char *entity,
		     const char *entity_key, const char *before, const char *after, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->audit(st, user, action, entity, entity_key, before, after, &e),
		    &e, err);
}

dd_rc dd_store_audit_count(dd_store *st, int64_t *n, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->audit_count(st, n, &e), &e, err);
}

dd_rc dd_store_region_put(dd_store *st, const char *code, const char *name, int level,
			  const char *parent, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->region_put(st, code, name, level, parent, &e), &e, err);
}

dd_rc dd_store_import_begin(dd_store *st, const char *user, const char *kind, const char *file,
			    const char *month, int64_t *import_id, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->import_begin(st, user, kind, file, month, import_id, &e), &e,
		    err);
}

dd_rc dd_store_import_end(dd_store *st, int64_t import_id, int64_t rows, int64_t rejected,
			  dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->import_end(st, import_id, rows, rejected, &e), &e, err);
}

dd_rc dd_store_household_put(dd_store *st, int64_t import_id, const dd_household *h,
			     uint64_t hash, int64_t *id, dd_put_result *res, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_put(st, import_id, h, hash, id, res, &e), &e, err);
}

dd_rc dd_store_household_id(dd_store *st, const char *household_no, int64_t *id, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_id(st, household_no, id, &e), &e, err);
}

dd_rc dd_store_household_hold(dd_store *st, int64_t household_id, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_hold(st, household_id, &e), &e, err);
}

dd_rc dd_store_household_has_member(dd_store *st, int64_t household_id, const char *id18,
				    bool *yes, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_has_member(st, household_id, id18, yes, &e), &e, err);
}

dd_rc dd_store_member_put(dd_store *st, int64_t import_id, int64_t household_id,
			  const dd_member *m, uint64_t hash, dd_put_result *res, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->member_put(st, import_id, household_id, m, hash, res, &e), &e,
		    err);
}

dd_rc dd_store_obligor_put(dd_store *st, int64_t import_id, int64_t household_id,
			   const dd_obligor *o, uint64_t hash, dd_put_result *res, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->obligor_put(st, import_id, household_id, o, hash, res, &e), &e,
		    err);
}

dd_rc dd_store_registry_finish(dd_store *st, int64_t import_id, dd_date on, bool obligors_given,
			       int64_t *members_left, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->registry_finish(st, import_id, on, obligors_given, members_left, &e),
		    &e, err);
}

dd_rc dd_store_stats(dd_store *st, dd_date today, dd_stats *out, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->stats(st, today, out, &e), &e, err);
}

dd_rc dd_store_backup(dd_store *st, const char *dest, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->backup(st, dest, &e), &e, err);
}

dd_rc dd_store_registry_open(dd_store *st, dd_date today, bool include_exited,
			     dd_registry_cursor **cur, dd_err *err)
{
	dd_err e = { 0 };
	*cur = NULL;
	return keep(st, st->ops->registry_open(st, today, include_exited, cur, &e), &e, err);
}

dd_rc dd_store_registry_next(dd_registry_cursor *cur, const dd_registry_rec **rec, dd_err *err)
{
	dd_err e = { 0 };
	dd_rc rc = cur->st->ops->registry_next(cur, rec, &e);
	return rc == DD_DONE ? rc : keep(cur->st, rc, &e, err);
}

void dd_store_registry_close(dd_registry_cursor *cur)
{
	if (cur)
		cur->st->ops->registry_close(cur);
}

dd_rc dd_store_feed_begin(dd_store *st, int64_t import_id, const char *kind, const char *month,
			  int64_t *batch_id, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->feed_begin(st, import_id, kind, month, batch_id, &e), &e, err);
}

dd_rc dd_store_feed_put(dd_store *st, const char *kind, int64_t batch_id, const dd_feed_row *rows,
			size_t n, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->feed_put(st, kind, batch_id, rows, n, &e), &e, err);
}

dd_rc dd_store_feed_end(dd_store *st, int64_t batch_id, int64_t rows, int64_t rejected,
			int64_t *replaced, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->feed_end(st, batch_id, rows, rejected, replaced, &e), &e, err);
}

dd_rc dd_store_feed_batch(dd_store *st, const char *kind, const char *month, int64_t *batch_id,
			  dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->feed_batch(st, kind, month, batch_id, &e), &e, err);
}

/* ---- applications (sqlite_flow.c) ---- */

dd_rc dd_store_app_put(dd_store *st, dd_application *a, const dd_app_step *step, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->app_put(st, a, step, &e), &e, err);
}

dd_rc dd_store_app_get(dd_store *st, const char *key, dd_application *a, dd_arena *mem,
		       dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->app_get(st, key, a, mem, &e), &e, err);
}

dd_rc dd_store_app_steps(dd_store *st, int64_t app_id, dd_app_step **steps, size_t *n,
			 dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->app_steps(st, app_id, steps, n, mem, &e), &e, err);
}

dd_rc dd_store_app_list(dd_store *st, const char *state, dd_application **apps, size_t *n,
			dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->app_list(st, state, apps, n, mem, &e), &e, err);
}

dd_rc dd_store_household_recognize(dd_store *st, const char *user, int64_t household_id,
				   const dd_recognition *r, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_recognize(st, user, household_id, r, &e), &e, err);
}

dd_rc dd_store_followup_put(dd_store *st, const char *user, dd_followup *f, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->followup_put(st, user, f, &e), &e, err);
}

dd_rc dd_store_followups(dd_store *st, int64_t household_id, int64_t app_id, dd_followup **out,
			 size_t *n, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->followups(st, household_id, app_id, out, n, mem, &e), &e, err);
}

dd_rc dd_store_registry_open_one(dd_store *st, int64_t household_id, dd_registry_cursor **cur,
				 dd_err *err)
{
	dd_err e = { 0 };
	*cur = NULL;
	return keep(st, st->ops->registry_open_one(st, household_id, cur, &e), &e, err);
}

dd_rc dd_store_compare_begin(dd_store *st, const char *user, const char *month, int64_t *run_id,
			     dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->compare_begin(st, user, month, run_id, &e), &e, err);
}

dd_rc dd_store_compare_rule(dd_store *st, int64_t run_id, const dd_compare_month *m,
			    const dd_rule_spec *r, dd_rule_counts *out, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->compare_rule(st, run_id, m, r, out, &e), &e, err);
}

dd_rc dd_store_compare_ahead(dd_store *st, const dd_compare_month *m, const dd_rule_spec *rules,
			     size_t n, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->compare_ahead(st, m, rules, n, &e), &e, err);
}

dd_rc dd_store_compare_end(dd_store *st, int64_t run_id, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->compare_end(st, run_id, &e), &e, err);
}

dd_rc dd_store_rule_check(dd_store *st, const char *sql, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->rule_check(st, sql, &e), &e, err);
}

dd_rc dd_store_warnings_list(dd_store *st, const dd_warning_filter *f, dd_warning_fn fn, void *arg,
			     dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->warnings_list(st, f, fn, arg, &e), &e, err);
}

dd_rc dd_store_registry_open_part(dd_store *st, dd_date today, bool include_exited, int part,
				  int nparts, dd_registry_fields which, dd_registry_cursor **cur,
				  dd_err *err)
{
	dd_err e = { 0 };
	*cur = NULL;
	return keep(st, st->ops->registry_open_part(st, today, include_exited, part, nparts, which, cur,
						    &e), &e, err);
}

dd_rc dd_store_user_add(dd_store *st, const char *actor, const dd_user *u, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->user_add(st, actor, u, &e), &e, err);
}

dd_rc dd_store_user_get(dd_store *st, const char *username, dd_user *u, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->user_get(st, username, u, mem, &e), &e, err);
}

dd_rc dd_store_session_put(dd_store *st, const dd_session *s, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->session_put(st, s, &e), &e, err);
}

dd_rc dd_store_session_use(dd_store *st, const char *token_hash, int64_t now, int64_t idle,
			   dd_session *out, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->session_use(st, token_hash, now, idle, out, mem, &e), &e, err);
}

dd_rc dd_store_session_end(dd_store *st, const char *token_hash, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->session_end(st, token_hash, &e), &e, err);
}

dd_rc dd_store_household_search(dd_store *st, const dd_household_query *f, dd_household_hit **items,
				size_t *n, int64_t *total, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_search(st, f, items, n, total, mem, &e), &e, err);
}

dd_rc dd_store_app_page(dd_store *st, const dd_app_filter *f, int64_t offset, int64_t limit,
			dd_application **apps, size_t *n, int64_t *total, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->app_page(st, f, offset, limit, apps, n, total, mem, &e), &e, err);
}

dd_rc dd_store_household_events(dd_store *st, int64_t household_id, int64_t limit,
				dd_household_event **ev, size_t *n, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->household_events(st, household_id, limit, ev, n, mem, &e), &e, err);
}

dd_rc dd_store_drafts(dd_store *st, const char *username, dd_draft **out, size_t *n, dd_arena *mem,
		      dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->drafts(st, username, out, n, mem, &e), &e, err);
}

dd_rc dd_store_draft_put(dd_store *st, const char *username, const dd_draft *d, int max, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->draft_put(st, username, d, max, &e), &e, err);
}

dd_rc dd_store_draft_delete(dd_store *st, const char *username, const char *key, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->draft_delete(st, username, key, &e), &e, err);
}

dd_rc dd_store_warnings_page(dd_store *st, const dd_warning_query *q, dd_warning_rec **items,
			     size_t *n, int64_t *total, int64_t by_level[3], dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	*items = NULL;
	*n = 0;
	*total = 0;
	by_level[0] = by_level[1] = by_level[2] = 0;
	return keep(st, st->ops->warnings_page(st, q, items, n, total, by_level, mem, &e), &e, err);
}

dd_rc dd_store_warning_get(dd_store *st, int64_t id, dd_warning_rec *out, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->warning_get(st, id, out, mem, &e), &e, err);
}

dd_rc dd_store_compare_runs(dd_store *st, int64_t limit, dd_compare_run_rec **items, size_t *n,
			    dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	*items = NULL;
	*n = 0;
	return keep(st, st->ops->compare_runs(st, limit, items, n, mem, &e), &e, err);
}

dd_rc dd_store_imports_list(dd_store *st, int64_t limit, dd_import_rec **items, size_t *n,
			    dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	*items = NULL;
	*n = 0;
	return keep(st, st->ops->imports_list(st, limit, items, n, mem, &e), &e, err);
}

dd_rc dd_store_user_list(dd_store *st, dd_user_info **out, size_t *n, dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->user_list(st, out, n, mem, &e), &e, err);
}

dd_rc dd_store_user_set(dd_store *st, const char *actor, const char *username, int disabled,
			const char *pw_hash, const char *keep_token_hash, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->user_set(st, actor, username, disabled, pw_hash, keep_token_hash, &e),
		    &e, err);
}

dd_rc dd_store_dashboard(dd_store *st, dd_date today, const char *region, dd_dashboard *out,
			 dd_arena *mem, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->dashboard(st, today, region, out, mem, &e), &e, err);
}

dd_rc dd_store_read_begin(dd_store *st, dd_err *err)
{
	dd_err e = { 0 };
	return keep(st, st->ops->read_begin(st, &e), &e, err);
}

void dd_store_read_end(dd_store *st)
{
	st->ops->read_end(st);
}
