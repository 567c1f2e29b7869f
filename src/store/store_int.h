/*
 * store_int.h - what a storage backend implements.  Private to src/store.
 *
 * A backend (sqlite.c, later pg.c) allocates its own handle struct whose
 * first member is `struct dd_store`, fills in `ops`, and implements every
 * entry of dd_store_ops with the meaning given in store.h.  store.c does the
 * dispatch: it picks the backend by URL, and keeps the last error text on
 * the handle, so a backend always gets a non-NULL err and never touches
 * `errmsg` itself.
 */
#ifndef DD_STORE_INT_H
#define DD_STORE_INT_H

#include "store.h"

typedef struct dd_store_ops {
	void (*close)(dd_store *st);
	int (*schema_version)(dd_store *st);
	dd_rc (*begin)(dd_store *st, dd_err *err);
	dd_rc (*commit)(dd_store *st, dd_err *err);
	dd_rc (*rollback)(dd_store *st, dd_err *err);
	dd_rc (*meta_get)(dd_store *st, const char *key, char **val, dd_err *err);
	dd_rc (*meta_set)(dd_store *st, const char *user, const char *key, const char *val,
			  dd_err *err);
	dd_rc (*audit)(dd_store *st, const char *user, const char *action, const char *entity,
		       const char *entity_key, const char *before, const char *after, dd_err *err);
	dd_rc (*audit_count)(dd_store *st, int64_t *n, dd_err *err);
	dd_rc (*region_put)(dd_store *st, const char *code, const char *name, int level,
			    const char *parent, dd_err *err);
	dd_rc (*import_begin)(dd_store *st, const char *user, const char *kind, const char *file,
			      const char *month, int64_t *import_id, dd_err *err);
	dd_rc (*import_end)(dd_store *st, int64_t import_id, int64_t rows, int64_t rejected,
			    dd_err *err);
	dd_rc (*household_put)(dd_store *st, int64_t import_id, const dd_household *h,
			       uint64_t hash, int64_t *id, dd_put_result *res, dd_err *err);
	dd_rc (*household_id)(dd_store *st, const char *household_no, int64_t *id, dd_err *err);
	dd_rc (*household_hold)(dd_store *st, int64_t household_id, dd_err *err);
	dd_rc (*household_has_member)(dd_store *st, int64_t household_id, const char *id18,
				      bool *yes, dd_err *err);
	dd_rc (*member_put)(dd_store *st, int64_t import_id, int64_t household_id,
			    const dd_member *m, uint64_t hash, dd_put_result *res, dd_err *err);
	dd_rc (*obligor_put)(dd_store *st, int64_t import_id, int64_t household_id,
			     const dd_obligor *o, uint64_t hash, dd_put_result *res, dd_err *err);
	dd_rc (*registry_finish)(dd_store *st, int64_t import_id, dd_date on, bool obligors_given,
				 int64_t *members_left, dd_err *err);
	dd_rc (*registry_open)(dd_store *st, dd_date today, bool include_exited,
			       dd_registry_cursor **cur, dd_err *err);
	dd_rc (*registry_next)(dd_registry_cursor *cur, const dd_registry_rec **rec, dd_err *err);
	void (*registry_close)(dd_registry_cursor *cur);
	dd_rc (*stats)(dd_store *st, dd_date today, dd_stats *out, dd_err *err);
	dd_rc (*backup)(dd_store *st, const char *dest, dd_err *err);
	dd_rc (*feed_begin)(dd_store *st, int64_t import_id, const char *kind, const char *month,
			    int64_t *batch_id, dd_err *err);
	dd_rc (*feed_put)(dd_store *st, const char *kind, int64_t batch_id, const dd_feed_row *rows,
			  size_t n, dd_err *err);
	dd_rc (*feed_end)(dd_store *st, int64_t batch_id, int64_t rows, int64_t rejected,
			  int64_t *replaced, dd_err *err);
	dd_rc (*feed_batch)(dd_store *st, const char *kind, const char *month, int64_t *batch_id,
			    dd_err *err);
	dd_rc (*app_put)(dd_store *st, dd_application *a, const dd_app_step *step, dd_err *err);
	dd_rc (*app_get)(dd_store *st, const char *key, dd_application *a, dd_arena *mem, dd_err *err);
	dd_rc (*app_steps)(dd_store *st, int64_t app_id, dd_app_step **steps, size_t *n,
			   dd_arena *mem, dd_err *err);
	dd_rc (*app_list)(dd_store *st, const char *state, dd_application **apps, size_t *n,
			  dd_arena *mem, dd_err *err);
	dd_rc (*household_recognize)(dd_store *st, const char *user, int64_t household_id,
				     const dd_recognition *r, dd_err *err);
	dd_rc (*followup_put)(dd_store *st, const char *user, dd_followup *f, dd_err *err);
	dd_rc (*followups)(dd_store *st, int64_t household_id, int64_t app_id, dd_followup **out,
			   size_t *n, dd_arena *mem, dd_err *err);
	dd_rc (*registry_open_one)(dd_store *st, int64_t household_id, dd_registry_cursor **cur,
				   dd_err *err);
	dd_rc (*compare_begin)(dd_store *st, const char *user, const char *month, int64_t *run_id,
			       dd_err *err);
	dd_rc (*compare_rule)(dd_store *st, int64_t run_id, const dd_compare_month *m,
			      const dd_rule_spec *r, dd_rule_counts *out, dd_err *err);
	dd_rc (*compare_ahead)(dd_store *st, const dd_compare_month *m, const dd_rule_spec *rules,
			       size_t n, dd_err *err);
	dd_rc (*compare_end)(dd_store *st, int64_t run_id, dd_err *err);
	dd_rc (*rule_check)(dd_store *st, const char *sql, dd_err *err);
	dd_rc (*warnings_list)(dd_store *st, const dd_warning_filter *f, dd_warning_fn fn, void *arg,
			       dd_err *err);
	dd_rc (*registry_open_part)(dd_store *st, dd_date today, bool include_exited, int part,
				    int nparts, dd_registry_fields which, dd_registry_cursor **cur,
				    dd_err *err);
	dd_rc (*user_add)(dd_store *st, const char *actor, const dd_user *u, dd_err *err);
	dd_rc (*user_get)(dd_store *st, const char *username, dd_user *u, dd_arena *mem, dd_err *err);
	dd_rc (*session_put)(dd_store *st, const dd_session *s, dd_err *err);
	dd_rc (*session_use)(dd_store *st, const char *token_hash, int64_t now, int64_t idle,
			     dd_session *out, dd_arena *mem, dd_err *err);
	dd_rc (*session_end)(dd_store *st, const char *token_hash, dd_err *err);
	dd_rc (*household_search)(dd_store *st, const dd_household_query *f, dd_household_hit **items,
				  size_t *n, int64_t *total, dd_arena *mem, dd_err *err);
	dd_rc (*app_page)(dd_store *st, const dd_app_filter *f, int64_t offset, int64_t limit,
			  dd_application **apps, size_t *n, int64_t *total, dd_arena *mem, dd_err *err);
	dd_rc (*household_events)(dd_store *st, int64_t household_id, int64_t limit,
				  dd_household_event **ev, size_t *n, dd_arena *mem, dd_err *err);
	dd_rc (*drafts)(dd_store *st, const char *username, dd_draft **out, size_t *n, dd_arena *mem,
			dd_err *err);
	dd_rc (*draft_put)(dd_store *st, const char *username, const dd_draft *d, int max, dd_err *err);
	dd_rc (*draft_delete)(dd_store *st, const char *username, const char *key, dd_err *err);
	dd_rc (*warnings_page)(dd_store *st, const dd_warning_query *q, dd_warning_rec **items,
			       size_t *n, int64_t *total, int64_t by_level[3], dd_arena *mem, dd_err *err);
	dd_rc (*warning_get)(dd_store *st, int64_t id, dd_warning_rec *out, dd_arena *mem, dd_err *err);
	dd_rc (*compare_runs)(dd_store *st, int64_t limit, dd_compare_run_rec **items, size_t *n,
			      dd_arena *mem, dd_err *err);
	dd_rc (*imports_list)(dd_store *st, int64_t limit, dd_import_rec **items, size_t *n,
			      dd_arena *mem, dd_err *err);
	/* sqlite_stats.c: administration and statistics */
	dd_rc (*user_list)(dd_store *st, dd_user_info **out, size_t *n, dd_arena *mem, dd_err *err);
	dd_rc (*user_set)(dd_store *st, const char *actor, const char *username, int disabled,
			  const char *pw_hash, const char *keep_token_hash, dd_err *err);
	dd_rc (*dashboard)(dd_store *st, dd_date today, const char *region, dd_dashboard *out,
			   dd_arena *mem, dd_err *err);
	/* sqlite.c: read transactions */
	dd_rc (*read_begin)(dd_store *st, dd_err *err);
	void (*read_end)(dd_store *st);
} dd_store_ops;

/* Every backend's cursor starts with this, so store.c can dispatch on it. */
struct dd_registry_cursor {
	dd_store *st;
};

struct dd_store {
	const dd_store_ops *ops;
	char errmsg[sizeof(((dd_err *)0)->msg)];   /* kept by store.c */
};

/*
 * Backend constructors, one per sibling file.  `url` is what the caller gave
 * dd_store_open.  On success *st is a handle freed by its ops->close.
 */
dd_rc dd_store_sqlite_open(dd_store **st, const char *url, bool create, dd_err *err);

#endif
