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
#include "../core/policy.h"
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
/*
 * The county's policy: the built-in defaults, then the policy text kept in
 * meta "policy" (by `policy load`) over them.  *p is the caller's (it is
 * about 150 KB: keep it off small thread stacks).
 */
dd_rc dd_store_policy(dd_store *st, dd_policy *p, dd_err *err);

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


/*
 * ---- department feeds (FORMATS.md §3; tables: docs/internals/feeds.md) ----
 *
 * One import of (kind, month) is one batch: dd_store_feed_begin, any number
 * of dd_store_feed_put, dd_store_feed_end, all inside dd_store_begin ..
 * commit.  The batch becomes the active one of (kind, month) at
 * dd_store_feed_end; the one it replaces is kept, marked replaced.
 * `kind` is one of the twelve FORMATS.md §3 names (else DD_ERR_USAGE).
 *
 * Medical rows are person-year sums stored packed (docs/internals/feeds.md
 * "Medical segments"): a batch's rows must come in strictly increasing
 * (id_key, year) order, over all its puts (else DD_ERR_INPUT), with integer
 * year, amounts and visits, none negative.  The handle holds them and writes
 * a segment per 8192 (medseg.h), the last one at dd_store_feed_end.  A put
 * for another batch writes the held rows first; a batch that already has
 * segments takes no more (DD_ERR_USAGE); dd_store_rollback and the next
 * dd_store_feed_begin drop rows not yet written.
 */
#define DD_FEED_MAXV 5

/* One value of a feed row; NULL type for an empty optional cell.  `s` is borrowed for the call. */
typedef struct dd_feed_val {
	enum { DD_FV_NULL, DD_FV_INT, DD_FV_TEXT } type;
	int64_t i;
	const char *s;
} dd_feed_val;

/* A row of a feed table: v[] holds the kind's columns after batch_id, id_key, name, in table order. */
typedef struct dd_feed_row {
	uint64_t id_key;             /* dd_id_key of a valid ID */
	const char *name;            /* may be NULL */
	dd_feed_val v[DD_FEED_MAXV];
} dd_feed_row;

/* Opens a new (not yet active) batch for `import_id`; *batch_id receives its id. */
dd_rc dd_store_feed_begin(dd_store *st, int64_t import_id, const char *kind, const char *month,
			  int64_t *batch_id, dd_err *err);
/* Appends n rows of `kind` to the batch. */
dd_rc dd_store_feed_put(dd_store *st, const char *kind, int64_t batch_id, const dd_feed_row *rows,
			size_t n, dd_err *err);
/* Records the counts and makes the batch active; *replaced gets the previous active batch's id or 0 (may be NULL). */
dd_rc dd_store_feed_end(dd_store *st, int64_t batch_id, int64_t rows, int64_t rejected,
			int64_t *replaced, dd_err *err);
/* The active batch of (kind, month): DD_ERR_NOTFOUND when none was imported. */
dd_rc dd_store_feed_batch(dd_store *st, const char *kind, const char *month, int64_t *batch_id,
			  dd_err *err);

/*
 * ---- applications and the recognition procedure (DOMAIN.md §3; src/workflow) ----
 *
 * The store keeps what src/workflow decides; it checks no procedure rule
 * itself (the workflow library refuses out-of-order transitions before it
 * calls here).  Every write appends audit rows in the same transaction.
 * Records handed out live in the caller's arena `mem` (text and arrays);
 * nothing to free one by one.  Tables: docs/internals/workflow.md.
 */

/* An application (附件2 救助帮扶申请登记表). */
typedef struct dd_application {
	int64_t id;                    /* row id; 0 for a new one */
	char app_no[24];               /* "SQ2025000001", assigned by the store on insert */
	const char *kind;              /* "entry" or "exit" */
	int64_t household_id;
	const char *household_no;      /* filled by get/list */
	const char *region_code;       /* the household's region: filled by get/list/page */
	const char *applicant_name;
	const char *applicant_id;      /* normalised 18 characters */
	const char *channel;           /* 窗口 村代办 网上 主动发现 */
	const char *hardship;
	const char *needs;             /* need codes joined with ';' */
	bool emergency;
	dd_fen emergency_amount;       /* small amount paid first (急难型), 0 when none */
	const char *state;             /* state code (src/workflow) */
	dd_date submitted_on;
	dd_date assessed_on;           /* economic check; DD_DATE_NONE before it */
	const char *computed_category; /* "DB", "NONE"…; NULL before the economic check */
	const char *assessment;        /* the full assessment JSON of the economic check */
	const char *comparison;        /* data-comparison results (JSON), attached later; NULL */
	dd_date notice_from, notice_until;
	const char *decided_category;  /* NULL until decided; "NONE" when rejected or exited */
	const char *decision_reason;   /* override or rejection reason */
	dd_date decided_on;
	const char *created_by;
} dd_application;

/* One step of an application's history. */
typedef struct dd_app_step {
	const char *action;            /* "submit" "advance" "reject" "objection" */
	const char *from_state;        /* NULL for "submit" */
	const char *to_state;
	const char *user;
	char at[24];                   /* UTC timestamp, set by the store */
	dd_date on;                    /* the business date of the step */
	const char *comment;
	const char *investigators;     /* home visit: names joined with ',' */
} dd_app_step;

/*
 * Writes application `a` and appends `step` to its history, atomically.
 * a->id == 0 inserts (a->id and a->app_no are set); else every mutable
 * column is written from `a`.  Audited: entity "application", key app_no,
 * action = step->action, before/after {"state":…} plus the step's fields.
 */
dd_rc dd_store_app_put(dd_store *st, dd_application *a, const dd_app_step *step, dd_err *err);
/* By app_no or by row id given as text.  DD_ERR_NOTFOUND when absent. */
dd_rc dd_store_app_get(dd_store *st, const char *key, dd_application *a, dd_arena *mem,
		       dd_err *err);
/* The history of an application, oldest first: *steps in mem. */
dd_rc dd_store_app_steps(dd_store *st, int64_t app_id, dd_app_step **steps, size_t *n,
			 dd_arena *mem, dd_err *err);
/* Applications in `state` (NULL: all), by row id: *apps in mem. */
dd_rc dd_store_app_list(dd_store *st, const char *state, dd_application **apps, size_t *n,
			dd_arena *mem, dd_err *err);
/* What dd_store_app_page selects; NULL or 0 fields select everything. */
typedef struct dd_app_filter {
	const char *state;             /* state code */
	const char *kind;              /* "entry" or "exit" */
	const char *region;            /* prefix of the household's region_code */
	int64_t household_id;
} dd_app_filter;
/*
 * One page of the applications matching f, newest first (row id
 * descending): at most `limit` from `offset` in *apps (in mem); *total
 * counts every match.  The web's list (src/http).
 */
dd_rc dd_store_app_page(dd_store *st, const dd_app_filter *f, int64_t offset, int64_t limit,
			dd_application **apps, size_t *n, int64_t *total, dd_arena *mem, dd_err *err);

/*
 * What a decision changes in the registry: with set_categories, the
 * household's category bits (TK DB BY GZ QT; fp_subtype kept) and
 * recognized_on; with exited_on a date, the exit.  Audited (entity
 * "household", key household_no, action "recognize" or "exit", before and
 * after of the changed columns; `app_no` in after) and a category_history
 * row on a category change.
 */
typedef struct dd_recognition {
	const char *app_no;
	bool set_categories;
	unsigned categories;
	dd_date recognized_on;
	dd_date exited_on;             /* DD_DATE_NONE: no exit */
} dd_recognition;
dd_rc dd_store_household_recognize(dd_store *st, const char *user, int64_t household_id,
				   const dd_recognition *r, dd_err *err);

/*
 * Follow-ups after recognition (§3.3): re-checks ("recheck"), GZ renewals
 * ("gz_renewal"), the one-month temporary assistance ("temp_assistance"),
 * the emergency small payment ("emergency_payment") and the FP mark
 * ("fp_risk_cleared").  The view `rechecks` lists the re-checks (household_id,
 * due_on, done_on, result) for warning W17.
 */
typedef struct dd_followup {
	int64_t id;                    /* 0 for a new one */
	int64_t household_id;
	int64_t application_id;        /* 0 when none */
	const char *kind;
	dd_date due_on;                /* DD_DATE_NONE when not scheduled */
	dd_date done_on;               /* DD_DATE_NONE while open */
	dd_fen amount;                 /* -1 when none */
	const char *result;
} dd_followup;
/* Inserts (f->id == 0; sets it) or records done_on and result of f->id.  Audited (entity "followup"). */
dd_rc dd_store_followup_put(dd_store *st, const char *user, dd_followup *f, dd_err *err);
/* Follow-ups of a household (household_id > 0) or of an application (app_id > 0), by row id: *out in mem. */
dd_rc dd_store_followups(dd_store *st, int64_t household_id, int64_t app_id, dd_followup **out,
			 size_t *n, dd_arena *mem, dd_err *err);

/* A registry cursor (see dd_store_registry_open) over the one household `household_id`, exited or not. */
dd_rc dd_store_registry_open_one(dd_store *st, int64_t household_id, dd_registry_cursor **cur,
				 dd_err *err);
/*
 * A registry cursor (see dd_store_registry_open) over part `part` of
 * `nparts` (0 <= part < nparts) of the households: the row ids split into
 * nparts equal ranges, in order.  Parts 0, 1, … read one after another yield
 * exactly what dd_store_registry_open does, so each can be read on its own
 * thread with its own handle (`assess --all`, docs/internals/simulate.md).
 * With DD_REGISTRY_ASSESS only the fields the assessment engine and the
 * re-assessment listings read are filled (household_no, region_code,
 * categories, hukou, the amounts, risk_types; members' name, id, health,
 * labor, disability, wage_income, orphan_guarantee; obligors' name,
 * monthly_income); every other field is NULL or 0.
 */
typedef enum { DD_REGISTRY_ALL, DD_REGISTRY_ASSESS } dd_registry_fields;
dd_rc dd_store_registry_open_part(dd_store *st, dd_date today, bool include_exited, int part,
				  int nparts, dd_registry_fields which, dd_registry_cursor **cur,
				  dd_err *err);

/*
 * ---- comparison runs and warnings (DOMAIN.md §4; sqlite_warn.c; docs/internals/compare.md) ----
 *
 * A run is dd_store_compare_begin, dd_store_compare_rule once per enabled
 * rule, dd_store_compare_end, all inside dd_store_begin .. commit, so an
 * interrupted run leaves nothing.  A rule writes only warnings whose
 * (rule, subject, evidence fingerprint) has no warning yet that is open,
 * closed as not valid (outcome 'not_valid'), or raised by a run of this
 * month or a later one ("no repeat noise").
 */

/* The run month M as the rule queries need it (src/compare fills it). */
typedef struct dd_compare_month {
	char month[8];               /* 'YYYY-MM' */
	char prev[8];                /* the month before M */
	char first[11];              /* first day of M, 'YYYY-MM-DD' */
	char last[11];               /* last day of M */
	int year;                    /* calendar year of M */
	/* 'YYYYMMDD' birth-date bounds, ages at `first`: born on or before = at least that age */
	char born_16[9];             /* working age from 16 (W13) */
	char born_60[9];             /* working age up to 59 (W13) */
	char born_old[9];            /* tk_age: elderly (W17 key-protection persons) */
	char born_minor[9];          /* tk_minor_age: born later = minor */
	int recheck_stable;          /* W17 periods, months */
	int recheck_other;
} dd_compare_month;

/* One rule of a run.  Strings are borrowed for the call. */
typedef struct dd_rule_spec {
	const char *id;              /* "W01".."W18", or a county rule's id */
	const char *level;           /* red / yellow / blue */
	dd_fen threshold;            /* fen; -1 when the rule has none */
	const char *sql;             /* a county rule's SELECT (id_number, household_no, evidence); NULL = built-in */
} dd_rule_spec;

typedef struct dd_rule_counts {
	int64_t found;               /* candidates the rule produced */
	int64_t added;               /* new warnings this run */
	int64_t open;                /* warnings of the rule not closed, after the run */
	int64_t skipped;             /* county rule rows without a valid ID or with an unknown household */
} dd_rule_counts;

/* Records the start of a run of `month` by `user`; *run_id receives its id. */
dd_rc dd_store_compare_begin(dd_store *st, const char *user, const char *month, int64_t *run_id,
			     dd_err *err);
/* Runs one rule for run_id (an unknown built-in id without sql is DD_ERR_USAGE). */
dd_rc dd_store_compare_rule(dd_store *st, int64_t run_id, const dd_compare_month *m,
			    const dd_rule_spec *r, dd_rule_counts *out, dd_err *err);
/*
 * Optional, right after dd_store_compare_begin: all the run's rules, so the
 * store may work out the candidates of some of them ahead - on a second
 * connection and thread - while dd_store_compare_rule runs the others.  Each
 * rule is still merged by its own dd_store_compare_rule call, in the caller's
 * order, with the same result.  dd_store_compare_end, dd_store_rollback and
 * dd_store_close end that work.
 */
dd_rc dd_store_compare_ahead(dd_store *st, const dd_compare_month *m, const dd_rule_spec *rules,
			     size_t n, dd_err *err);
/* Records the end of the run (the caller then commits). */
dd_rc dd_store_compare_end(dd_store *st, int64_t run_id, dd_err *err);
/*
 * Checks a county rule's SQL: one read-only SELECT of three columns that reads
 * only the documented views (v_persons, v_households, v_feed_<kind>).
 * DD_ERR_INPUT with the reason in Chinese.
 */
dd_rc dd_store_rule_check(dd_store *st, const char *sql, dd_err *err);

/* A warning as listed; the strings live until the callback returns (NULL when empty). */
typedef struct dd_warning {
	int64_t id;
	const char *rule, *level, *month, *id_number, *name, *household_no, *region_code;
	const char *status, *evidence, *created_at;
} dd_warning;
/* NULL fields select everything. */
typedef struct dd_warning_filter {
	const char *month, *rule, *level, *status;
} dd_warning_filter;
typedef dd_rc (*dd_warning_fn)(void *arg, const dd_warning *w, dd_err *err);
/* Calls fn for each matching warning, by month, rule, household_no, id_number; fn's error stops the walk. */
dd_rc dd_store_warnings_list(dd_store *st, const dd_warning_filter *f, dd_warning_fn fn, void *arg,
			     dd_err *err);

/*
 * ---- users, sessions and household lookup for the web (src/http; sqlite_user.c;
 * docs/internals/http.md) ----
 *
 * Users are never deleted (a later change disables them).  The password is
 * kept only as its Argon2id string (src/http hashes and verifies); a session
 * only as the hash of its token.  Records handed out live in `mem`.
 */
typedef struct dd_user {
	const char *username;
	const char *role;              /* DOMAIN.md §1 code: county_admin township village dept charity auditor */
	const char *region;            /* county 6, township 9 or village 12 digits; NULL for dept/charity */
	const char *dept;              /* department or organisation; NULL when none */
	const char *pw_hash;           /* crypto_pwhash_str output */
} dd_user;
/* Inserts a user, audited (entity "user", key username; after without pw_hash).  Existing name: DD_ERR_INPUT. */
dd_rc dd_store_user_add(dd_store *st, const char *actor, const dd_user *u, dd_err *err);
/* A user that is not disabled, by name: DD_ERR_NOTFOUND when absent. */
dd_rc dd_store_user_get(dd_store *st, const char *username, dd_user *u, dd_arena *mem, dd_err *err);

/* A login session.  Times are Unix seconds. */
typedef struct dd_session {
	const char *token_hash;        /* hex of the hash of the cookie token */
	const char *username;
	const char *csrf;              /* hex, sent back in X-CSRF-Token */
	const char *client;            /* client address, for the record */
	int64_t idle_until;            /* expires unless used before */
	dd_user user;                  /* filled by dd_store_session_use (pw_hash NULL) */
} dd_session;
dd_rc dd_store_session_put(dd_store *st, const dd_session *s, dd_err *err);
/*
 * The live session with this token hash at `now` (not ended, idle_until >
 * now, user not disabled), its user filled in; idle_until is pushed to
 * now + idle when it would otherwise move by more than a minute (so not
 * every request writes).  DD_ERR_NOTFOUND when none.
 */
dd_rc dd_store_session_use(dd_store *st, const char *token_hash, int64_t now, int64_t idle,
			   dd_session *out, dd_arena *mem, dd_err *err);
/* Ends the session (kept, marked ended); no live session: DD_ERR_NOTFOUND. */
dd_rc dd_store_session_end(dd_store *st, const char *token_hash, dd_err *err);

/* A household as listed (one search hit).  head_id is the full text: the caller masks it. */
typedef struct dd_household_hit {
	const char *household_no, *region_code, *head_name, *head_id;
	unsigned categories;
	const char *fp_subtype;
	dd_date exited_on;
} dd_household_hit;
/* What a household list asks for (dd_store_household_search). */
typedef struct dd_household_query {
	const char *q;                 /* text; NULL: any */
	const char *region;            /* region_code prefix; NULL: all */
	unsigned categories;           /* DD_CAT_* bits, any of them; 0: any */
	bool fp;                       /* only households tagged FP (fp_subtype set) */
	int64_t offset, limit;         /* limit 0..1000 */
	/* keyset paging for walks over every match (exports): only household_no > after; no *total */
	const char *after;
} dd_household_query;
/*
 * One page of households (exited ones included) matching f: with a text q,
 * whose household_no starts with q, or one of whose current members has q
 * inside their name or ID number, or (q being 2..16 ASCII letters) whose
 * name's pinyin initials start with q (dd_pinyin_initials: "zs" finds 张三);
 * ordered by household_no.  *total counts every match (-1 with `after`);
 * *items (at most `limit`, from `offset`) in mem.
 */
dd_rc dd_store_household_search(dd_store *st, const dd_household_query *f, dd_household_hit **items,
				size_t *n, int64_t *total, dd_arena *mem, dd_err *err);

/*
 * ---- a household's timeline and the users' form drafts, for the web (src/http;
 * sqlite_draft.c; docs/internals/http.md) ----
 *
 * Records handed out live in `mem`; text fields are NULL when empty.
 */

/* One event of a household's history. */
typedef struct dd_household_event {
	const char *source;            /* "step" (of an application), "warning", "followup", "import" */
	dd_date on;                    /* step: its business date; warning: created; follow-up: done_on,
					  else due_on; import: started (DD_DATE_NONE when unknown) */
	const char *at;                /* when it was recorded (UTC): orders the events of one day */
	const char *ref;               /* app_no, warning id, follow-up id, import id */
	const char *what;              /* step: action; warning: rule; follow-up: kind; import: kind (never NULL) */
	const char *state;             /* step: to_state; warning: level; follow-up: "done"/"open"; import: month */
	const char *text;              /* step: comment; warning: evidence; follow-up: result; import: file */
	const char *extra;             /* step: investigators; warning: the person's name; follow-up: amount (fen) */
	const char *user;              /* who (NULL for warnings) */
} dd_household_event;
/*
 * The household's events, newest first (date, then recording time), at most
 * `limit`: the steps of its applications, the warnings on it or its members,
 * its follow-ups, and the imports that wrote it or one of its members last.
 */
dd_rc dd_store_household_events(dd_store *st, int64_t household_id, int64_t limit,
				dd_household_event **ev, size_t *n, dd_arena *mem, dd_err *err);

/*
 * A form the user has not submitted yet (附件1 / the application), kept per
 * user under a key the UI chooses.  Scratch, not a record: a put replaces
 * it and a delete removes it, unaudited (the submitted application is the record).
 */
typedef struct dd_draft {
	const char *key;               /* the UI's name for it */
	const char *kind;              /* "form1" or "apply" */
	const char *title;             /* may be NULL */
	const char *data;              /* JSON text */
	const char *saved_at;          /* UTC, set by the store */
} dd_draft;
/* The user's drafts, most recently saved first: *out in mem. */
dd_rc dd_store_drafts(dd_store *st, const char *username, dd_draft **out, size_t *n, dd_arena *mem,
		      dd_err *err);
/* Saves the user's draft d->key, replacing one of that key; a new key when `max` are kept: DD_ERR_INPUT. */
dd_rc dd_store_draft_put(dd_store *st, const char *username, const dd_draft *d, int max, dd_err *err);
/* Removes the user's draft `key`: DD_ERR_NOTFOUND when there is none. */
dd_rc dd_store_draft_delete(dd_store *st, const char *username, const char *key, dd_err *err);

/*
 * ---- monitoring for the web: warning pages, one warning, comparison runs,
 * imports (src/http api_monitor.c; sqlite_warn.c; docs/internals/http.md) ----
 *
 * A warning's scope region decides who sees it: its household's region;
 * for a warning without a household (W02: a person outside the registry,
 * or a county rule's row without household_no) the region of the
 * household the person last belonged to, else the county (meta
 * county_code), so only county-wide roles see it.  Records live in `mem`.
 */
typedef struct dd_warning_query {
	dd_warning_filter f;
	const char *region;            /* scope prefix: the scope region must start with it; NULL: all */
	int64_t offset, limit;
} dd_warning_query;
/* A warning as the web shows it. */
typedef struct dd_warning_rec {
	dd_warning w;
	const char *scope;             /* the scope region (above) */
} dd_warning_rec;
/*
 * One page of the query's warnings, newest month first, then red, yellow,
 * blue, rule, household_no, id_number.  *total counts every match and
 * by_level its red, yellow and blue ones.
 */
dd_rc dd_store_warnings_page(dd_store *st, const dd_warning_query *q, dd_warning_rec **items,
			     size_t *n, int64_t *total, int64_t by_level[3], dd_arena *mem, dd_err *err);
/* One warning by id: DD_ERR_NOTFOUND when there is none. */
dd_rc dd_store_warning_get(dd_store *st, int64_t id, dd_warning_rec *out, dd_arena *mem, dd_err *err);

typedef struct dd_compare_run_rec {
	int64_t id;
	const char *month, *username, *started_at, *finished_at;   /* finished_at NULL while running */
	int64_t found, added;          /* summed over the run's rules */
} dd_compare_run_rec;
/* The latest `limit` comparison runs, newest first. */
dd_rc dd_store_compare_runs(dd_store *st, int64_t limit, dd_compare_run_rec **items, size_t *n,
			    dd_arena *mem, dd_err *err);

typedef struct dd_import_rec {
	int64_t id;
	const char *kind, *file, *month, *username, *started_at, *finished_at;
	int64_t rows, rejected;        /* -1 when the import did not finish */
} dd_import_rec;
/* The latest `limit` imports, newest first. */
dd_rc dd_store_imports_list(dd_store *st, int64_t limit, dd_import_rec **items, size_t *n,
			    dd_arena *mem, dd_err *err);

/*
 * ---- administration and statistics for the web (sqlite_stats.c;
 * docs/internals/http.md "Administration and statistics") ----
 *
 * Records handed out live in `mem`.
 */
/* A user as the administration lists it (user.pw_hash NULL). */
typedef struct dd_user_info {
	dd_user user;
	bool disabled;
	const char *created_at;        /* UTC timestamp */
} dd_user_info;
/* Every user, disabled ones included, by username: *out in mem. */
dd_rc dd_store_user_list(dd_store *st, dd_user_info **out, size_t *n, dd_arena *mem, dd_err *err);
/*
 * Changes a user: `disabled` 1 disables, 0 enables, -1 keeps; `pw_hash`
 * NULL keeps the password.  Audited (entity "user", key username, action
 * "update", before/after {"disabled"} and "password":"changed", never the
 * hash).  Disabling or a new password ends every live session of the user
 * except the one whose token hash is `keep_token_hash` (NULL: all).
 * DD_ERR_NOTFOUND when there is no such user.
 */
dd_rc dd_store_user_set(dd_store *st, const char *actor, const char *username, int disabled,
			const char *pw_hash, const char *keep_token_hash, dd_err *err);

/* One township's row of the dashboard: current households and their current members. */
typedef struct dd_dash_township {
	char code[13];                 /* 9 digits */
	int64_t by_category[5];        /* TK DB BY GZ QT, in dd_categories order */
	int64_t fp, households, members;
} dd_dash_township;
typedef struct dd_dash_rule {
	char rule[16];
	char level[8];
	int64_t open, total;           /* open: status not 'closed' */
} dd_dash_rule;
typedef struct dd_dash_month {
	char month[8];                 /* 'YYYY-MM' */
	int64_t households;            /* in the register at the month's end (not exited by then) */
	int64_t recognized, exited;    /* recognized_on / exited_on within the month */
	int64_t warnings;              /* warnings of that month's comparison */
	int64_t applications;          /* submitted within the month */
} dd_dash_month;
#define DD_DASH_MONTHS 12
typedef struct dd_dashboard {
	dd_dash_township *townships;   /* in mem, by code */
	size_t ntownships;
	int64_t fp_overlap[5];         /* current FP households that are also TK DB BY GZ QT */
	int64_t fp_only;               /* current FP households of no other category */
	int64_t open_by_level[3];      /* open warnings: red, yellow, blue */
	dd_dash_rule *rules;           /* in mem, by rule id */
	size_t nrules;
	dd_dash_month trend[DD_DASH_MONTHS];   /* oldest first, the last one today's month */
} dd_dashboard;
/*
 * The dashboard on `today` for households (and warnings, applications) whose
 * region_code starts with `region`; NULL: everything, warnings without a
 * household (W02) included.  Counts follow dd_store_stats exactly.
 */
dd_rc dd_store_dashboard(dd_store *st, dd_date today, const char *region, dd_dashboard *out,
			 dd_arena *mem, dd_err *err);

/* ---- read transactions (the HTTP server wraps each GET in one) ---- */

/*
 * The reads between read_begin and read_end see one snapshot and start and
 * end the database's read lock once, instead of once per statement.  It takes
 * no lock before its first read, and none for writing: a write inside it
 * (the session's idle-time touch) cannot wait for another writer and fails
 * with DD_ERR_STORE instead; end it and write again.  read_begin answers
 * DD_DONE, starting nothing, inside a transaction already: call read_end only
 * after DD_OK.  read_end commits what was written (a failed commit rolls back)
 * and ends the transaction.
 */
dd_rc dd_store_read_begin(dd_store *st, dd_err *err);
void dd_store_read_end(dd_store *st);

#endif
