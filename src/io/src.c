/* src.c - opening a row source by extension, and the row store the readers share. */
#include "io_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- dispatch ---- */

static const struct {
	const char *ext;
	dd_rc (*open)(dd_src **src, const char *path, dd_err *err);
} readers[] = {
	{ ".csv", io_csv_open },
	{ ".xlsx", io_xlsx_open },
};

dd_rc dd_src_open(dd_src **src, const char *path, dd_err *err)
{
	size_t plen = strlen(path);

	*src = NULL;
	for (size_t i = 0; i < DD_ARRAY_LEN(readers); i++) {
		size_t elen = strlen(readers[i].ext);
		if (plen > elen && strcasecmp(path + plen - elen, readers[i].ext) == 0)
			return readers[i].open(src, path, err);
	}
	return dd_err_set(err, DD_ERR_INPUT, "不支持的文件类型：%s（应为.csv或.xlsx；.xls请在Excel中另存为.xlsx）",
			  path);
}

dd_rc dd_src_next(dd_src *src, dd_rawrow **row, dd_err *err)
{
	return src->ops->next(src, row, err);
}

const char *dd_src_encoding(const dd_src *src)
{
	return src->encoding;
}

bool dd_src_date1904(const dd_src *src)
{
	return src->date1904;
}

void dd_src_close(dd_src *src)
{
	if (src)
		src->ops->close(src);
}

/* ---- row store ---- */

size_t io_utf8_cut(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	/* look back at most 3 bytes for the lead byte of the last sequence */
	for (size_t back = 1; back <= 4 && back <= len; back++) {
		unsigned char c = p[len - back];
		size_t need;
		if (c < 0x80)
			return len;
		if ((c & 0xC0) == 0x80)
			continue;
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > back ? len - back : len;
	}
	return len;
}

void io_rows_init(io_rows *r)
{
	memset(r, 0, sizeof *r);
	dd_buf_init(&r->bytes, 0);
}

void io_rows_release(io_rows *r)
{
	dd_buf_release(&r->bytes);
	free(r->refs);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

dd_rc io_rows_add_grow(io_rows *r, size_t col, const char *s, size_t len, unsigned flags)
{
	dd_rc rc = DD_ERR_NOMEM;
	size_t off = r->bytes.len;

	if (r->nrefs == r->caprefs) {
		size_t cap = r->caprefs ? r->caprefs * 2 : 64;
		io_ref *p = realloc(r->refs, cap * sizeof *p);
		if (!p)
			goto done;
		r->refs = p;
		r->caprefs = cap;
	}
	if ((rc = dd_buf_append(&r->bytes, s, len)) != DD_OK)
		goto done;
	r->bytes.len++;
	r->refs[r->nrefs++] = (io_ref){ .off = off, .len = len, .col = col, .flags = flags };
done:
	return rc;
}

void io_rows_truncate(io_rows *r, size_t n)
{
	if (n >= r->nrefs)
		return;
	r->bytes.len = r->refs[n].off;
	r->nrefs = n;
}

void io_rows_compact(io_rows *r, size_t first)
{
	size_t shift = first < r->nrefs ? r->refs[first].off : r->bytes.len;
	size_t keep = r->nrefs - DD_MIN(first, r->nrefs);

	if (shift)
		memmove(r->bytes.data, r->bytes.data + shift, r->bytes.len - shift);
	r->bytes.len -= shift;
	for (size_t i = 0; i < keep; i++) {
		r->refs[i] = r->refs[first + i];
		r->refs[i].off -= shift;
	}
	r->nrefs = keep;
}

bool io_rows_blank(const io_rows *r, size_t first, size_t n)
{
	for (size_t i = first; i < first + n; i++)
		if (r->refs[i].len)
			return false;
	return true;
}

/* Makes room for n cells. */
static dd_rc reserve_cells(io_rows *r, size_t n)
{
	dd_cell *p;
	size_t cap;

	if (n <= r->capcells)
		return DD_OK;
	cap = DD_MAX(n, r->capcells * 2);
	if (!(p = realloc(r->cells, cap * sizeof *p)))
		return DD_ERR_NOMEM;
	r->cells = p;
	r->capcells = cap;
	return DD_OK;
}

static dd_cell cell_of(const io_rows *r, const io_ref *f)
{
	return (dd_cell){
		.s = r->bytes.data + f->off,
		.len = f->len,
		.is_number = (f->flags & IO_NUMBER) != 0,
		.is_date_style = (f->flags & IO_DATE) != 0,
		.too_long = (f->flags & IO_TOO_LONG) != 0,
	};
}

dd_rc io_rows_build(io_rows *r, size_t first, size_t n, long line, dd_rawrow **out)
{
	dd_rc rc = DD_ERR_NOMEM;
	size_t ncells = 0, i;

	/* ref i is usually cell i (always so for CSV): one pass, no gaps to fill */
	if (reserve_cells(r, n) != DD_OK)
		goto done;
	for (i = 0; i < n && r->refs[first + i].col == i; i++)
		r->cells[i] = cell_of(r, &r->refs[first + i]);
	ncells = n;
	if (i < n) {
		ncells = 0;
		for (i = first; i < first + n; i++)
			ncells = DD_MAX(ncells, r->refs[i].col + 1);
		if (reserve_cells(r, ncells) != DD_OK)
			goto done;
		for (i = 0; i < ncells; i++)
			r->cells[i] = (dd_cell){ .s = "" };
		for (i = first; i < first + n; i++)
			r->cells[r->refs[i].col] = cell_of(r, &r->refs[i]);
	}
	r->row = (dd_rawrow){ .line = line, .ncells = ncells, .cells = r->cells };
	*out = &r->row;
	rc = DD_OK;
done:
	return rc;
}
