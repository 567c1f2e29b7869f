/*
 * layout.c - the page layout layer on pango/cairo: A4 pages, paragraphs that
 * break across pages, bordered tables with wrapped text and a header row
 * repeated after each page break, key-value grids, and the page footer
 * "第 N 页 共 M 页" (two passes, see report_int.h).
 */
#include "../core/dd.h"
#include "report_int.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>

/* A4 in points (1/72 inch), the unit of cairo's PDF surface. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 56.7            /* 20 mm */
#define TOP 56.7
#define BOTTOM (PAGE_H - 62.0)   /* the footer lives below */
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define PAD 3.5                  /* cell padding */
#define LINE 0.6                 /* border width */

#ifdef DD_TESTING
/*
 * LeakSanitizer calls this hook of the program (the ASan test build): the
 * font caches fontconfig keeps for the process are reported as leaks, since
 * they are reached through offsets LSan cannot follow.  Only fontconfig is
 * silenced; our own memory is still checked.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

static void fail(doc *d, dd_rc rc, const char *msg)
{
	if (d->rc == DD_OK)
		d->rc = dd_err_set(d->err, rc, "%s", msg);
}

/*
 * Puts s into the shared layout with the given style and width (points);
 * returns the height in points.  Invalid UTF-8 (a damaged record) is
 * repaired rather than refused: a printout should still come out.
 */
static double set_text(doc *d, const char *s, double size, bool bold, double width, PangoAlignment al)
{
	PangoRectangle logical;
	gchar *fixed = NULL;

	if (!s)
		s = "";
	if (!g_utf8_validate(s, -1, NULL))
		s = fixed = g_utf8_make_valid(s, -1);
	pango_font_description_set_absolute_size(d->fd, size * PANGO_SCALE);
	pango_font_description_set_weight(d->fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(d->lay, d->fd);
	pango_layout_set_width(d->lay, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(d->lay, al);
	pango_layout_set_text(d->lay, s, -1);
	g_free(fixed);
	pango_layout_get_extents(d->lay, NULL, &logical);
	return (double)logical.height / PANGO_SCALE;
}

static void footer(doc *d)
{
	char buf[96];

	if (d->pages > 0)
		snprintf(buf, sizeof buf, "第 %d 页 共 %d 页", d->page, d->pages);
	else
		snprintf(buf, sizeof buf, "第 %d 页 共 %d 页", d->page, d->page);
	cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
	set_text(d, buf, RP_SMALL, false, TEXT_W, PANGO_ALIGN_RIGHT);
	cairo_move_to(d->cr, MARGIN_X, BOTTOM + 24.0);
	pango_cairo_show_layout(d->cr, d->lay);
	if (d->running) {
		set_text(d, d->running, RP_SMALL, false, TEXT_W, PANGO_ALIGN_LEFT);
		cairo_move_to(d->cr, MARGIN_X, BOTTOM + 24.0);
		pango_cairo_show_layout(d->cr, d->lay);
	}
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static void table_header(doc *d);

void rp_new_page(doc *d)
{
	footer(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = TOP;
}

void rp_need(doc *d, double pt)
{
	if (d->y + pt > BOTTOM && d->y > TOP)
		rp_new_page(d);
}

void rp_space(doc *d, double pt)
{
	d->y += pt;
	if (d->y > BOTTOM)
		rp_new_page(d);
}

void rp_text(doc *d, const char *s, double size, bool bold, PangoAlignment al)
{
	PangoLayoutIter *it;

	set_text(d, s, size, bold, TEXT_W, al);
	it = pango_layout_get_iter(d->lay);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double top = (double)r.y / PANGO_SCALE, h = (double)r.height / PANGO_SCALE;
		double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		rp_need(d, h);
		cairo_move_to(d->cr, MARGIN_X + (double)r.x / PANGO_SCALE, d->y + base - top);
		pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
		d->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

void rp_title(doc *d, const char *s)
{
	rp_text(d, s, RP_TITLE, true, PANGO_ALIGN_CENTER);
	d->y += 10.0;
}

void rp_heading(doc *d, const char *s)
{
	/* keep a heading with at least two lines of what follows */
	rp_need(d, 14.0 + 3 * RP_HEAD * 1.4);
	if (d->y > TOP)
		d->y += 10.0;
	rp_text(d, s, RP_HEAD, true, PANGO_ALIGN_LEFT);
	d->y += 4.0;
}

/* Width of cell i with the NULL cells after it merged in; *next is the next real cell. */
static double cell_width(const rp_table *t, const char *const *cells, size_t i, size_t *next)
{
	double w = t->cols[i].w;
	size_t j = i + 1;
	while (cells && j < t->ncols && !cells[j])
		w += t->cols[j++].w;
	*next = j;
	return w * TEXT_W;
}

/* Draws one row at d->y (already known to fit); header rows are bold and shaded. */
static void draw_row(doc *d, const char *const *cells, bool header, double h)
{
	double x = MARGIN_X;
	size_t next;

	cairo_save(d->cr);
	cairo_rectangle(d->cr, 0, 0, PAGE_W, BOTTOM);
	cairo_clip(d->cr);   /* only a row taller than a page reaches below */
	for (size_t i = 0; i < d->table->ncols; i = next) {
		const rp_col *c = &d->table->cols[i];
		double w = cell_width(d->table, cells, i, &next);
		const char *s = header ? c->head : cells[i];
		double th;

		if (header || c->key) {
			cairo_set_source_rgb(d->cr, header ? 0.88 : 0.94, header ? 0.88 : 0.94,
					     header ? 0.88 : 0.94);
			cairo_rectangle(d->cr, x, d->y, w, h);
			cairo_fill(d->cr);
			cairo_set_source_rgb(d->cr, 0, 0, 0);
		}
		cairo_rectangle(d->cr, x, d->y, w, h);
		cairo_set_line_width(d->cr, LINE);
		cairo_stroke(d->cr);
		th = set_text(d, s, d->table->size, header, w - 2 * PAD, header ? PANGO_ALIGN_CENTER : c->al);
		cairo_move_to(d->cr, x + PAD, d->y + (h - th) / 2);
		pango_cairo_show_layout(d->cr, d->lay);
		x += w;
	}
	cairo_restore(d->cr);
	d->y += h;
}

/* Height of a row: its tallest cell plus padding. */
static double row_height(doc *d, const char *const *cells, bool header)
{
	double h = 0;
	size_t next;

	for (size_t i = 0; i < d->table->ncols; i = next) {
		const rp_col *c = &d->table->cols[i];
		double w = cell_width(d->table, cells, i, &next);
		h = DD_MAX(h, set_text(d, header ? c->head : cells[i], d->table->size, header, w - 2 * PAD,
				       c->al));
	}
	return h + 2 * PAD;
}

static void table_header(doc *d)
{
	if (d->table && d->table->head)
		draw_row(d, NULL, true, row_height(d, NULL, true));
}

void rp_table_begin(doc *d, const rp_table *t)
{
	d->table = t;
	/* a header alone at the foot of a page helps nobody: keep one row with it */
	if (t->head)
		rp_need(d, row_height(d, NULL, true) + 2 * (t->size * 1.4 + 2 * PAD));
	table_header(d);
}

void rp_table_row(doc *d, const char *const *cells)
{
	double h;

	if (!d->table || !cells[0]) {
		fail(d, DD_ERR_INTERNAL, "表格行无效");
		return;
	}
	h = row_height(d, cells, false);
	if (d->y + h > BOTTOM && d->y > TOP) {
		rp_new_page(d);
		table_header(d);
	}
	draw_row(d, cells, false, h);
}

void rp_table_end(doc *d)
{
	d->table = NULL;
	d->y += 6.0;
}

void rp_kv(doc *d, const char *const *kv, size_t npairs, size_t per_row)
{
	/* key columns narrower than values; shares sum to 1 for 1, 2 or 3 pairs a row */
	static const rp_col cols[3][6] = {
		{ { "", 0.18, PANGO_ALIGN_CENTER, true }, { "", 0.82, PANGO_ALIGN_LEFT, false } },
		{ { "", 0.18, PANGO_ALIGN_CENTER, true }, { "", 0.32, PANGO_ALIGN_LEFT, false },
		  { "", 0.18, PANGO_ALIGN_CENTER, true }, { "", 0.32, PANGO_ALIGN_LEFT, false } },
		{ { "", 0.12, PANGO_ALIGN_CENTER, true }, { "", 0.213, PANGO_ALIGN_LEFT, false },
		  { "", 0.12, PANGO_ALIGN_CENTER, true }, { "", 0.213, PANGO_ALIGN_LEFT, false },
		  { "", 0.12, PANGO_ALIGN_CENTER, true }, { "", 0.214, PANGO_ALIGN_LEFT, false } },
	};
	const char *row[6];
	rp_table t;

	if (per_row < 1 || per_row > 3) {
		fail(d, DD_ERR_INTERNAL, "键值表列数无效");
		return;
	}
	t = (rp_table){ cols[per_row - 1], 2 * per_row, false, RP_BODY };
	rp_table_begin(d, &t);
	for (size_t i = 0; i < npairs; i += per_row) {
		for (size_t j = 0; j < 2 * per_row; j++) {
			size_t k = 2 * i + j;
			/* past the last pair: merge into the last value */
			row[j] = k < 2 * npairs ? rp_s(kv[k]) : NULL;
		}
		rp_table_row(d, row);
	}
	rp_table_end(d);
}

const char *rp_printf(doc *d, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = dd_arena_alloc(&d->mem, (size_t)n + 1))) {
		fail(d, DD_ERR_NOMEM, "内存不足");
		return "";
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* cairo's PDF stream goes into the caller's buffer (or nowhere, when counting). */
static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	dd_buf *b = closure;
	if (!b)
		return CAIRO_STATUS_SUCCESS;
	return dd_buf_append(b, data, len) == DD_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* One pass: a fresh PDF surface, the builder, the last footer. */
static dd_rc pass(doc *d, rp_builder build, const void *input, const char *title, dd_date date,
		  dd_buf *out)
{
	cairo_font_options_t *fo;
	dd_rc rc;

	d->surf = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	d->cr = cairo_create(d->surf);
	d->lay = pango_cairo_create_layout(d->cr);
	d->fd = pango_font_description_from_string(RP_FONT);
	/* unhinted metrics: the layout must not depend on the output device */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(d->lay), fo);
	pango_layout_context_changed(d->lay);
	cairo_font_options_destroy(fo);
	pango_layout_set_wrap(d->lay, PANGO_WRAP_WORD_CHAR);
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATOR, "doudi");
	if (date != DD_DATE_NONE) {
		char ymd[11], iso[32];
		dd_date_format(date, ymd);
		snprintf(iso, sizeof iso, "%sT00:00:00", ymd);
		cairo_pdf_surface_set_metadata(d->surf, CAIRO_PDF_METADATA_CREATE_DATE, iso);
	}
	d->page = 1;
	d->y = TOP;
	d->table = NULL;
	d->rc = DD_OK;
	rc = build(d, input);
	if (rc == DD_OK)
		rc = d->rc;
	if (rc == DD_OK) {
		footer(d);
		cairo_show_page(d->cr);
	}
	pango_font_description_free(d->fd);
	g_object_unref(d->lay);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surf);
	if (rc == DD_OK && cairo_surface_status(d->surf) != CAIRO_STATUS_SUCCESS)
		rc = dd_err_set(d->err, DD_ERR_IO, "生成 PDF 失败：%s",
				cairo_status_to_string(cairo_surface_status(d->surf)));
	cairo_surface_destroy(d->surf);
	dd_arena_reset(&d->mem);
	return rc;
}

dd_rc rp_run(rp_builder build, const void *input, const char *title, dd_date date, dd_buf *out,
	     dd_err *err)
{
	doc d = { .err = err };
	size_t len0 = out->len;
	dd_rc rc;

	dd_arena_init(&d.mem, 0);
	rc = pass(&d, build, input, title, date, NULL);
	if (rc == DD_OK) {
		d.pages = d.page;
		rc = pass(&d, build, input, title, date, out);
	}
	if (rc == DD_OK && d.page != d.pages)
		rc = dd_err_set(err, DD_ERR_INTERNAL, "PDF 两遍排版页数不同（%d/%d）", d.page, d.pages);
	if (rc != DD_OK && out->data) {
		out->len = len0;   /* no half document in the caller's buffer */
		out->data[len0] = '\0';
	}
	dd_arena_release(&d.mem);
	return rc;
}
