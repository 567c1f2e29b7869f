/*
 * ingest.h - imports of files into the store: the registry now, department
 * feeds and payments later, all on the io table reader.
 *
 * An import reads and validates everything first, then writes in one
 * transaction, so a file-level error, --strict with a bad row, a crash or a
 * kill leaves the database exactly as before.
 */
#ifndef DD_INGEST_H
#define DD_INGEST_H

#include "../core/dd.h"
#include "../io/io.h"
#include "../store/store.h"

/* The registry files' schemas (FORMATS.md §2), for the importer and for upload checks. */
extern const dd_schema dd_schema_households;
extern const dd_schema dd_schema_members;
extern const dd_schema dd_schema_obligors;

/*
 * Progress of an import, for a display: `rows` rows of file `file` (0 the
 * households or feed file, 1 members, 2 obligors) read so far, every
 * DD_INGEST_PROGRESS_EVERY rows, possibly from a reading thread.
 */
typedef void (*dd_ingest_progress_fn)(void *arg, int file, int64_t rows);
#define DD_INGEST_PROGRESS_EVERY 65536

typedef struct dd_registry_files {
	const char *households;   /* required */
	const char *members;      /* required */
	const char *obligors;     /* optional, NULL */
	bool strict;              /* any bad row: write nothing, DD_ERR_INPUT */
	const char *user;         /* for the audit log */
	const char *county_code;  /* region codes must lie in this county (NULL: not checked) */
	dd_ingest_progress_fn progress;   /* may be NULL */
	void *progress_arg;
} dd_registry_files;

typedef struct dd_registry_result {
	int64_t households;       /* rows accepted from the households file */
	int64_t members;
	int64_t obligors;
	int64_t rejected;         /* rejected rows, all files together */
	int64_t hh_inserted, hh_updated, hh_unchanged;
	int64_t mb_inserted, mb_updated, mb_unchanged;
	int64_t members_left;
	int64_t bad_check_ids;    /* kept with a failing check digit (warning W16 later) */
	char errfiles[3][1024];   /* error files written ("" when none) */
} dd_registry_result;

/*
 * Imports the registry.  On DD_OK the result is filled; rejected rows are in
 * the error files.  DD_ERR_INPUT for file-level problems or strict rejects
 * (nothing written), DD_ERR_STORE for database failures (rolled back).
 */
dd_rc dd_ingest_registry(dd_store *st, const dd_registry_files *in, dd_registry_result *res,
			 dd_err *err);


/*
 * Department feeds (FORMATS.md §3).  Each kind's schema lists id_number and
 * name first, then the columns of its table in table order
 * (docs/internals/feeds.md) — except medical, whose settlements are summed
 * per person and year before they are stored.
 */
typedef struct dd_feed_kind {
	const char *name;         /* "medical", ... */
	const dd_schema *schema;
	bool snapshot;            /* full list each month (else: the month's events) */
} dd_feed_kind;

extern const dd_feed_kind dd_feed_kinds[];
extern const size_t dd_feed_nkinds;
/* The kind by name, or NULL. */
const dd_feed_kind *dd_feed_kind_find(const char *name);

typedef struct dd_feed_in {
	const char *kind;         /* one of dd_feed_kinds */
	const char *month;        /* YYYY-MM */
	const char *file;
	bool strict;
	const char *user;         /* for the imports row */
	dd_ingest_progress_fn progress;   /* may be NULL */
	void *progress_arg;
} dd_feed_in;

typedef struct dd_feed_result {
	int64_t rows;             /* accepted file rows */
	int64_t rejected;         /* rejected file rows (in the error file) */
	int64_t stored;           /* table rows written (medical: person-year sums) */
	int64_t batch_id;
	int64_t replaced;         /* batch this import replaced, 0 if none */
	char errfile[1024];       /* error file written ("" when none) */
} dd_feed_result;

/*
 * Imports one feed batch in one transaction.  DD_ERR_USAGE for an unknown
 * kind or a bad month; DD_ERR_INPUT for file-level problems or strict
 * rejects (nothing written); DD_ERR_STORE for database failures (rolled back).
 */
dd_rc dd_ingest_feed(dd_store *st, const dd_feed_in *in, dd_feed_result *res, dd_err *err);

/*
 * Imports n feed batches, in order, in one transaction (one commit, one
 * checkpoint): any failure or --strict reject in any file writes nothing.
 * res[i] is file i's result; a progress call's `file` is the index i.
 */
dd_rc dd_ingest_feeds(dd_store *st, const dd_feed_in *in, size_t n, dd_feed_result *res,
		      dd_err *err);

#endif
