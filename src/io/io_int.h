/*
 * io_int.h - private to src/io: the row-source interface the CSV and XLSX
 * readers implement, and the row store they share.
 */
#ifndef DD_IO_INT_H
#define DD_IO_INT_H

#include "io.h"

#include <string.h>

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
/* io_rows_add when the refs or the bytes must grow. */
dd_rc io_rows_add_grow(io_rows *r, size_t col, const char *s, size_t len, unsigned flags);

/*
 * Copies n bytes: a cell is mostly a few bytes, which two overlapping word
 * moves copy faster than a call to memcpy.
 */
static inline void io_copy_short(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n >= 8 && n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n > 16) {
		memcpy(d, s, n);
	} else {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/*
 * Appends a cell (copies s).  Inline: it runs for every cell.  The NUL after
 * each text is kept as part of the bytes, so each text stays terminated.
 */
static inline dd_rc io_rows_add(io_rows *r, size_t col, const char *s, size_t len, unsigned flags)
{
	size_t off = r->bytes.len;

	if (r->nrefs == r->caprefs || r->bytes.cap - off <= len)
		return io_rows_add_grow(r, col, s, len, flags);
	io_copy_short(r->bytes.data + off, s, len);
	r->bytes.data[off + len] = '\0';
	r->bytes.len += len + 1;
	r->refs[r->nrefs++] = (io_ref){ .off = off, .len = len, .col = col, .flags = flags };
	return DD_OK;
}
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
