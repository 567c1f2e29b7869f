/*
 * io.h - the table reader every import uses (registry, feeds, payments).
 *
 * Layers, bottom up:
 *   1. dd_src: a row source over CSV (libcsv, streaming, UTF-8 or GB18030
 *      detected) or XLSX (first sheet, streaming through minizip + expat,
 *      shared and inline strings).  Yields raw rows of cells.
 *   2. dd_table: a schema-driven view: maps the header (English key or
 *      Chinese label) onto the schema's columns, refuses unknown and missing
 *      required columns, and parses each cell by its type into a dd_value,
 *      collecting per-cell errors.
 *   3. dd_errfile: writes <input>.errors.csv (row,column,value,reason) only
 *      when there is something to write.
 *
 * Memory: a row and its values live in the table's per-row arena and stay
 * valid until the next dd_table_next or dd_table_close.
 */
#ifndef DD_IO_H
#define DD_IO_H

#include "../core/dd.h"
#include "../core/date.h"
#include "../core/id.h"
#include "../core/money.h"

/* Largest cell accepted; a longer one is a row error, not a crash or a silent cut. */
#define DD_IO_MAX_FIELD (64 * 1024)

/* ---- layer 1: raw rows ---- */

typedef struct dd_cell {
	const char *s;        /* UTF-8, NUL-terminated, not trimmed */
	size_t len;
	bool is_number;       /* XLSX numeric cell (t="n" or absent), text already as Excel shows a general number */
	bool is_date_style;   /* XLSX numeric cell whose style is a date format; s holds the serial */
	bool too_long;        /* cell exceeded DD_IO_MAX_FIELD; s holds a prefix */
} dd_cell;

typedef struct dd_rawrow {
	long line;            /* row number in the file, the header being 1 (CSV: physical line where the record starts) */
	size_t ncells;
	dd_cell *cells;
} dd_rawrow;

typedef struct dd_src dd_src;

/* Opens by extension (.csv, .xlsx; case-insensitive).  *src is owned by the caller: dd_src_close. */
dd_rc dd_src_open(dd_src **src, const char *path, dd_err *err);
/* Next row: DD_OK, DD_DONE at the end, DD_ERR_INPUT on a malformed file (e.g. unterminated quote, bad encoding) with the line in err. */
dd_rc dd_src_next(dd_src *src, dd_rawrow **row, dd_err *err);
/* Encoding that was detected ("UTF-8" or "GB18030"; "XLSX" for workbooks), for messages. */
const char *dd_src_encoding(const dd_src *src);
/* True when an XLSX workbook counts dates from 1904 (date serials of is_date_style cells). */
bool dd_src_date1904(const dd_src *src);
void dd_src_close(dd_src *src);

/* ---- layer 2: typed tables ---- */

typedef enum {
	DD_T_TEXT,     /* free text, trimmed */
	DD_T_ID,       /* resident ID: dd_id; see id_policy */
	DD_T_MONEY,    /* yuan -> fen */
	DD_T_DATE,     /* YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, XLSX date serial */
	DD_T_MONTH,    /* YYYY-MM */
	DD_T_BOOL,     /* 是/否, 1/0, true/false, Y/N (case-insensitive) */
	DD_T_INT,      /* whole number, optional Chinese numerals 一..十 for grades */
	DD_T_LIST,     /* ; ； 、 , separated; stored as text joined with ';' */
	DD_T_ENUM      /* one of `choices` (NULL-terminated list of "code|中文|alias…" entries); value is the code */
} dd_ftype;

typedef struct dd_column {
	const char *key;          /* English key */
	const char *zh;           /* Chinese label; alternatives separated by '|' ("身份证号|证件号码"), the first one is used in messages */
	dd_ftype type;
	bool required;            /* the column must be present and the cell non-empty */
	const char *const *choices;   /* DD_T_ENUM / DD_T_LIST: allowed values (see above); NULL = free */
	long min, max;            /* DD_T_INT bounds (inclusive) when min < max */
} dd_column;

typedef struct dd_schema {
	const char *name;         /* "households", "medical", ... for messages */
	const dd_column *cols;
	size_t ncols;
	bool id_keep_bad_check;   /* registry: an ID failing only its check digit is kept (flagged); feeds: rejected */
} dd_schema;

typedef struct dd_value {
	bool present;             /* column in the file, cell non-empty and valid (false for a cell with an error) */
	const char *text;         /* trimmed UTF-8, never NULL ("" when absent); ENUM: the code; LIST: normalised "a;b";
				     ID: the normalised 18 characters; DATE from an XLSX date cell: YYYY-MM-DD */
	size_t len;
	union {
		dd_fen fen;
		dd_date date;
		dd_month month;
		long i;
		bool b;
	} v;
	dd_id id;                 /* DD_T_ID */
	bool id_bad_check;        /* DD_T_ID: kept despite a wrong check digit */
} dd_value;

typedef struct dd_row {
	long line;
	dd_value *values;         /* schema->ncols entries, in schema order */
	size_t nerrors;           /* errors recorded for this row (already in the error list) */
} dd_row;

typedef struct dd_table dd_table;
typedef struct dd_errfile dd_errfile;

/*
 * Opens `path`, reads the header, maps it.  A missing required column, an
 * unknown column or a duplicate column fails with DD_ERR_INPUT naming them.
 * Errors of cells go to `ef` (may be NULL to ignore them).
 */
dd_rc dd_table_open(dd_table **t, const char *path, const dd_schema *schema,
		    dd_errfile *ef, dd_err *err);
/* DD_OK with *row (check row->nerrors), DD_DONE, or DD_ERR_INPUT for a file-level problem. */
dd_rc dd_table_next(dd_table *t, dd_row **row, dd_err *err);
/* Index of the column in the schema by key, or -1.  Handy for callers' own checks. */
int dd_schema_index(const dd_schema *schema, const char *key);
/* Next '|'-separated alternative of an "a|b|c" list (dd_column.zh, choices); false at the end. */
bool dd_schema_alt_next(const char **list, const char **alt, size_t *len);
/* The code (first alternative) of the choice that `s` names by any alternative, or NULL. */
const char *dd_schema_choice(const char *const *choices, const char *s, size_t len, size_t *codelen);
/* True when the file has this column (header mapped it). */
bool dd_table_has(const dd_table *t, int col);
void dd_table_close(dd_table *t);

/* Records an error found by the caller (cross-field checks); col -1 for the whole row.  Bumps row->nerrors. */
dd_rc dd_table_row_error(dd_table *t, dd_row *row, int col, const char *reason);

/* ---- layer 3: error file ---- */

/* Creates the collector for `input_path`; nothing is written until the first error. Caller frees with dd_errfile_close. */
dd_rc dd_errfile_open(dd_errfile **ef, const char *input_path, dd_err *err);
/* Adds one error line. `column` is the English key (or "" for a whole-row error). */
dd_rc dd_errfile_add(dd_errfile *ef, long row, const char *column, const char *value,
		     size_t value_len, const char *reason);
/* Rows with at least one error (counted once per row number). */
size_t dd_errfile_rows(const dd_errfile *ef);
size_t dd_errfile_errors(const dd_errfile *ef);
const char *dd_errfile_path(const dd_errfile *ef);
/* Flushes and closes; removes a stale <input>.errors.csv when there were no errors. */
dd_rc dd_errfile_close(dd_errfile *ef, dd_err *err);

#endif
