/*
 * report_int.h - the layout layer shared by the documents (private to src/report).
 *
 * A document is a builder function that calls the rp_* primitives from the
 * top of page 1 down; the primitives break pages themselves.  rp_run calls
 * the builder twice: once into a discarded PDF to count the pages, then for
 * real, so every footer can say "第 N 页 共 M 页".  The builder must
 * therefore be deterministic (same input, same calls).
 *
 * Primitives never fail visibly: the first error (cairo, memory) is kept in
 * the doc and returned by rp_run, so builders stay straight-line.
 */
#ifndef DD_REPORT_INT_H
#define DD_REPORT_INT_H

#include "../core/dd.h"
#include "report.h"

#include <pango/pangocairo.h>

#define RP_FONT "WenQuanYi Micro Hei"
/* Font sizes in points. */
#define RP_TITLE 18.0
#define RP_HEAD 12.5
#define RP_BODY 10.5
#define RP_SMALL 9.0

typedef struct rp_col {
	const char *head;        /* header text (tables with a header) */
	double w;                /* share of the text width; a table's shares sum to 1 */
	PangoAlignment al;
	bool key;                /* shaded key cell (key-value grids) */
} rp_col;

typedef struct rp_table {
	const rp_col *cols;
	size_t ncols;
	bool head;               /* draw the header row, again after each page break */
	double size;             /* font size of the cells */
} rp_table;

typedef struct doc {
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *fd;
	double y;                /* top of the free space on the page, points */
	int page;                /* current page, from 1 */
	int pages;               /* total pages (0 in the counting pass) */
	const rp_table *table;   /* the open table, whose header repeats */
	const char *running;     /* short title printed in every footer, may be NULL */
	dd_arena mem;            /* strings of one pass (rp_printf) */
	dd_rc rc;
	dd_err *err;
} doc;

typedef dd_rc (*rp_builder)(doc *d, const void *input);

/*
 * Lays the document out with `build(d, input)` and appends the PDF to out.
 * `title` goes into the PDF metadata; `date` (not NONE) is its creation date.
 */
dd_rc rp_run(rp_builder build, const void *input, const char *title, dd_date date, dd_buf *out,
	     dd_err *err);

/* A string from the pass's arena ("" and the doc's error set on NOMEM). */
const char *rp_printf(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void rp_title(doc *d, const char *s);
void rp_heading(doc *d, const char *s);
/* The heading "一、title", "二、title"… numbered by *k (from 0, up to 9), which it advances. */
void rp_section(doc *d, int *k, const char *title);
/* A paragraph of the whole text width; long ones continue on the next page. */
void rp_text(doc *d, const char *s, double size, bool bold, PangoAlignment al);
void rp_space(doc *d, double pt);
void rp_new_page(doc *d);
/* Starts a new page unless `pt` points are still free. */
void rp_need(doc *d, double pt);

void rp_table_begin(doc *d, const rp_table *t);
/*
 * One row: cells[0..t->ncols).  A NULL cell merges into the cell on its left
 * (that cell spans it).  A row that does not fit goes to the next page,
 * below the repeated header.
 */
void rp_table_row(doc *d, const char *const *cells);
void rp_table_end(doc *d);

/*
 * Key-value grid: kv holds npairs (key, value) pairs, per_row pairs a row,
 * keys shaded; an incomplete last row's value spans the rest.  per_row <= 3.
 */
void rp_kv(doc *d, const char *const *kv, size_t npairs, size_t per_row);

/* Helpers shared by the documents (pdf.c). */

/* Region name of the first `digits` digits of code ("" when unknown). */
const char *rp_region_name(doc *d, const char *code, size_t digits);
/* "<township>人民政府" / "<街道>办事处" for code's township, or "" */
const char *rp_default_body(doc *d, const char *code);
/* "2025年3月1日" (the chosen date, or today for DD_DATE_NONE). */
const char *rp_date_zh(doc *d, dd_date date);
/* "12,345.67 元"; "" for a negative amount (= not given). */
const char *rp_money(doc *d, dd_fen v);
/* Masked ID (dd_id_mask); "" for NULL or empty. */
const char *rp_id(doc *d, const char *id);
/* Masked phone (dd_phone_mask); "" for NULL or empty. */
const char *rp_phone(doc *d, const char *phone);
/* 农业 / 非农业 / "" for an unknown hukou type. */
const char *rp_hukou(dd_hukou k);
/* 是 / 否 / "" for a tri-state flag. */
const char *rp_yesno(int flag);
/* s, or "" for NULL. */
const char *rp_s(const char *s);

#endif
