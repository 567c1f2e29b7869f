/*
 * io_int.h - private to src/io: the row-source interface the CSV and XLSX
 * readers implement, and the row store they share.
 */
#ifndef DD_IO_INT_H
#define DD_IO_INT_H

#include "io.h"

/* Read size for files and zip members; also the largest segment fed to libcsv. */
#define IO_CHUNK (64 * 1024)

/* Most cells in a row (Excel's column limit, XFD); more is a malformed file. */
#define IO_MAX_COLS 16384
#define DD_STR_(x) #x
#define DD_STR(x) DD_STR_(x)

/* Cell flags kept in io_ref.flags. */
enum { IO_NUMBER = 1, IO_DATE = 2, IO_TOO_LONG = 4 };

/* One cell of a row under construction: its text is bytes.data + off, NUL-terminated. */
typedef struct io_ref {
	size_t off;
	size_t len;
	size_t col;
	unsigned flags;
} io_ref;

/*
 * Cells of one or more rows kept without per-cell allocation: texts in one
 * byte buffer, references in one array, materialised into a dd_rawrow on
 * demand.  Owns all its memory: io_rows_release.
 */
typedef struct io_rows {
	dd_buf bytes;
	io_ref *refs;
	size_t nrefs, caprefs;
	dd_cell *cells;
	size_t capcells;
	dd_rawrow row;
} io_rows;

void io_rows_init(io_rows *r);
void io_rows_release(io_rows *r);
/* Appends a cell (copies s). */
dd_rc io_rows_add(io_rows *r, size_t col, const char *s, size_t len, unsigned flags);
/* Drops refs[n..] and their bytes. */
void io_rows_truncate(io_rows *r, size_t n);
/* Moves refs[first..] (and their bytes) to the front, dropping what was before. */
void io_rows_compact(io_rows *r, size_t first);
/* True when every cell in refs[first, first+n) is empty. */
bool io_rows_blank(const io_rows *r, size_t first, size_t n);
/*
 * Builds r->row from refs[first, first+n): cell i is the ref whose col is i
 * (a later ref wins), gaps are empty cells.  *out points to r->row, valid
 * until the next change to r.
 */
dd_rc io_rows_build(io_rows *r, size_t first, size_t n, long line, dd_rawrow **out);

/* Longest prefix of s[0..len) that does not end inside a UTF-8 sequence. */
size_t io_utf8_cut(const char *s, size_t len);

/* A row source: the readers embed dd_src first in their own struct. */
typedef struct io_src_ops {
	dd_rc (*next)(dd_src *src, dd_rawrow **row, dd_err *err);
	void (*close)(dd_src *src);
} io_src_ops;

struct dd_src {
	const io_src_ops *ops;
	const char *encoding;     /* "UTF-8", "GB18030", "XLSX" */
	bool date1904;            /* XLSX workbook uses the 1904 date system */
};

dd_rc io_csv_open(dd_src **src, const char *path, dd_err *err);
dd_rc io_xlsx_open(dd_src **src, const char *path, dd_err *err);

#endif
