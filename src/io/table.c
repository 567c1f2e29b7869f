/*
 * table.c - schema-driven rows: header mapping and typed parsing.
 *
 * Each cell is parsed by one small function per dd_ftype (the `parsers`
 * table).  A parser returns NULL or the reason, in Chinese, that goes to the
 * error file; everything it allocates comes from the per-row arena.
 */
#include "io_int.h"
#include "../core/text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Largest XLSX date serial: 9999-12-31. */
#define SERIAL_MAX 2958465L

/*
 * A choice column's alternatives, prepared at open so that a cell costs
 * length compares rather than scanning "a|b|c" strings: in schema order,
 * each with its choice's code as a string of its own.
 */
typedef struct choice_alt {
	const char *s;
	size_t len;
	bool letters;         /* has ASCII letters: compared ignoring case (else bytes are enough) */
	const char *code;
	size_t codelen;
} choice_alt;

typedef struct choice_plan {
	choice_alt *alts;     /* NULL: the column has no choices (free values) */
	size_t n;
} choice_plan;

struct dd_table {
	dd_src *src;
	const dd_schema *schema;
	dd_errfile *ef;
	int *map;             /* per header cell: schema column, or -1 (no name) */
	size_t nmap;
	size_t *unnamed;      /* the header cells without a column, in order: a value there is a row error */
	size_t nunnamed;
	int *colpos;          /* per schema column: its header cell, or -1 (absent) */
	dd_arena arena;       /* per row */
	dd_arena keep;        /* the table's life: choice plans */
	choice_plan *plans;   /* per schema column */
	dd_row row;
	dd_value *values;     /* row.values, reused for every row */
	dd_value *blank;      /* what each row's values start as */
	dd_buf scratch;       /* lists and messages */
};

static const char *const reason_too_long = "字段超过65536字节";
static const char *const reason_empty = "必填项为空";
static const char *const reason_id_number =
	"身份证号以数字格式保存，Excel只保留15位有效数字，无法信任";

/* ---- names ---- */

bool dd_schema_alt_next(const char **list, const char **alt, size_t *len)
{
	const char *p = *list, *bar;

	if (!p || !*p)
		return false;
	bar = strchr(p, '|');
	*alt = p;
	*len = bar ? (size_t)(bar - p) : strlen(p);
	*list = bar ? bar + 1 : p + *len;
	return true;
}

/* ASCII case-insensitive, bytes otherwise (Chinese has no case). */
static bool same_name(const char *s, size_t len, const char *name, size_t nlen)
{
	return len == nlen && strncasecmp(s, name, len) == 0;
}

static bool column_named(const dd_column *c, const char *s, size_t len)
{
	const char *list = c->zh, *alt;
	size_t alen;

	if (same_name(s, len, c->key, strlen(c->key)))
		return true;
	while (dd_schema_alt_next(&list, &alt, &alen))
		if (same_name(s, len, alt, alen))
			return true;
	return false;
}

/* "户编号(household_no)" for messages. */
static dd_rc put_label(dd_buf *b, const dd_column *c)
{
	const char *list = c->zh, *alt;
	size_t alen;

	if (dd_schema_alt_next(&list, &alt, &alen))
		return dd_buf_printf(b, "%.*s(%s)", (int)alen, alt, c->key);
	return dd_buf_puts(b, c->key);
}

int dd_schema_index(const dd_schema *schema, const char *key)
{
	for (size_t i = 0; i < schema->ncols; i++)
		if (strcmp(schema->cols[i].key, key) == 0)
			return (int)i;
	return -1;
}

bool dd_table_has(const dd_table *t, int col)
{
	return col >= 0 && (size_t)col < t->schema->ncols && t->colpos[col] >= 0;
}

/* ---- header ---- */

/* Appends one item to a "title：a、b" list held in `b`. */
static dd_rc list_add(dd_buf *b, const char *title)
{
	return dd_buf_puts(b, b->len ? "、" : title);
}

static dd_rc map_header(dd_table *t, const dd_rawrow *hdr, dd_err *err)
{
	const dd_schema *sc = t->schema;
	dd_buf unknown, dup, missing;
	dd_rc rc = DD_ERR_NOMEM;

	dd_buf_init(&unknown, 0);
	dd_buf_init(&dup, 0);
	dd_buf_init(&missing, 0);
	t->nmap = hdr->ncells;
	if (!(t->map = calloc(DD_MAX(hdr->ncells, 1), sizeof *t->map)) ||
	    !(t->unnamed = malloc(DD_MAX(hdr->ncells, 1) * sizeof *t->unnamed)))
		goto fail;
	for (size_t j = 0; j < hdr->ncells; j++) {
		const char *s = hdr->cells[j].s;
		size_t len = hdr->cells[j].len, bom = dd_text_bom_len(s, len);
		int col = -1;

		s += bom;
		len -= bom;
		dd_text_trim(&s, &len);
		t->map[j] = -1;
		if (len == 0)
			continue;
		for (size_t i = 0; i < sc->ncols && col < 0; i++)
			if (column_named(&sc->cols[i], s, len))
				col = (int)i;
		if (col < 0) {
			if (list_add(&unknown, "未知的列：") != DD_OK ||
			    dd_buf_printf(&unknown, "%.*s", (int)DD_MIN(len, 64), s) != DD_OK)
				goto fail;
		} else if (t->colpos[col] >= 0) {
			if (list_add(&dup, "重复的列：") != DD_OK || put_label(&dup, &sc->cols[col]) != DD_OK)
				goto fail;
		} else {
			t->colpos[col] = (int)j;
			t->map[j] = col;
		}
	}
	for (size_t j = 0; j < hdr->ncells; j++)
		if (t->map[j] < 0)
			t->unnamed[t->nunnamed++] = j;
	for (size_t i = 0; i < sc->ncols; i++)
		if (sc->cols[i].required && t->colpos[i] < 0 &&
		    (list_add(&missing, "缺少必填列：") != DD_OK || put_label(&missing, &sc->cols[i]) != DD_OK))
			goto fail;
	rc = DD_OK;
	if (unknown.len || dup.len || missing.len)
		rc = dd_err_set(err, DD_ERR_INPUT, "%s%s%s%s%s", unknown.len ? unknown.data : "",
				unknown.len && (dup.len || missing.len) ? "；" : "",
				dup.len ? dup.data : "", dup.len && missing.len ? "；" : "",
				missing.len ? missing.data : "");
	goto done;
fail:
	dd_err_set(err, rc, "内存不足");
done:
	dd_buf_release(&unknown);
	dd_buf_release(&dup);
	dd_buf_release(&missing);
	return rc;
}

/* Fills t->plans[col] from the column's choices; false without memory. */
static bool plan_choices(dd_table *t, size_t col)
{
	const char *const *choices = t->schema->cols[col].choices;
	choice_plan *pl = &t->plans[col];
	size_t n = 0, k = 0;

	for (const char *const *ch = choices; *ch; ch++) {
		const char *list = *ch, *alt;
		size_t alen;
		while (dd_schema_alt_next(&list, &alt, &alen))
			n++;
	}
	if (!(pl->alts = dd_arena_alloc(&t->keep, DD_MAX(n, 1) * sizeof *pl->alts)))
		return false;
	for (const char *const *ch = choices; *ch; ch++) {
		const char *list = *ch, *alt, *code = NULL;
		size_t alen, codelen = 0;
		while (dd_schema_alt_next(&list, &alt, &alen)) {
			choice_alt *a = &pl->alts[k++];
			if (!code) {
				codelen = alen;
				if (!(code = dd_arena_strndup(&t->keep, alt, alen)))
					return false;
			}
			*a = (choice_alt){ .s = alt, .len = alen, .code = code, .codelen = codelen };
			for (size_t i = 0; i < alen && !a->letters; i++)
				a->letters = (alt[i] | 0x20) >= 'a' && (alt[i] | 0x20) <= 'z';
		}
	}
	pl->n = n;
	return true;
}

dd_rc dd_table_open(dd_table **tp, const char *path, const dd_schema *schema,
		    dd_errfile *ef, dd_err *err)
{
	dd_rc rc = DD_ERR_NOMEM;
	dd_table *t = calloc(1, sizeof *t);
	dd_rawrow *hdr;

	*tp = NULL;
	if (!t || !(t->colpos = malloc(DD_MAX(schema->ncols, 1) * sizeof *t->colpos)) ||
	    !(t->values = calloc(DD_MAX(schema->ncols, 1), sizeof *t->values)) ||
	    !(t->blank = calloc(DD_MAX(schema->ncols, 1), sizeof *t->blank)) ||
	    !(t->plans = calloc(DD_MAX(schema->ncols, 1), sizeof *t->plans))) {
		if (t) {
			free(t->colpos);
			free(t->values);
			free(t->blank);
		}
		free(t);
		dd_err_set(err, rc, "内存不足");
		goto done;
	}
	for (size_t i = 0; i < schema->ncols; i++) {
		t->colpos[i] = -1;
		t->blank[i].text = "";
		if (schema->cols[i].type == DD_T_DATE)
			t->blank[i].v.date = DD_DATE_NONE;
	}
	t->schema = schema;
	t->ef = ef;
	dd_arena_init(&t->arena, 0);
	dd_arena_init(&t->keep, 0);
	dd_buf_init(&t->scratch, 0);
	for (size_t i = 0; i < schema->ncols; i++) {
		const dd_column *c = &schema->cols[i];
		if ((c->type == DD_T_ENUM || c->type == DD_T_LIST) && c->choices && !plan_choices(t, i)) {
			rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
			goto fail;
		}
	}
	if ((rc = dd_src_open(&t->src, path, err)) != DD_OK)
		goto fail;
	rc = dd_src_next(t->src, &hdr, err);
	if (rc == DD_DONE)
		rc = dd_err_set(err, DD_ERR_INPUT, "文件为空：没有表头行（%s）", path);
	if (rc != DD_OK || (rc = map_header(t, hdr, err)) != DD_OK)
		goto fail;
	*tp = t;
	goto done;
fail:
	dd_table_close(t);
done:
	return rc;
}

void dd_table_close(dd_table *t)
{
	if (!t)
		return;
	dd_src_close(t->src);
	dd_arena_release(&t->arena);
	dd_arena_release(&t->keep);
	dd_buf_release(&t->scratch);
	free(t->map);
	free(t->unnamed);
	free(t->colpos);
	free(t->values);
	free(t->blank);
	free(t->plans);
	free(t);
}

/* ---- typed parsing ---- */

typedef const char *(*parse_fn)(dd_table *t, const dd_column *c, const dd_cell *cell,
				const char *s, size_t len, dd_value *v);

static const char *parse_text(dd_table *t, const dd_column *c, const dd_cell *cell,
			      const char *s, size_t len, dd_value *v)
{
	DD_UNUSED(t);
	DD_UNUSED(c);
	DD_UNUSED(cell);
	DD_UNUSED(s);
	DD_UNUSED(len);
	DD_UNUSED(v);
	return NULL;
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static const char *parse_id(dd_table *t, const dd_column *c, const dd_cell *cell,
			    const char *s, size_t len, dd_value *v)
{
	dd_id_status st;

	DD_UNUSED(c);
	/* a 15-digit old ID survives as a number; an 18-digit one has lost its last digits */
	if (cell->is_number && !(len == 15 && all_digits(s, len)))
		return reason_id_number;
	st = dd_id_parse(s, len, &v->id);
	if (st == DD_ID_BAD_CHECK && t->schema->id_keep_bad_check)
		v->id_bad_check = true;
	else if (st != DD_ID_OK)
		return dd_id_status_text(st);
	v->text = v->id.text;
	v->len = sizeof v->id.text - 1;
	return NULL;
}

static const char *parse_money(dd_table *t, const dd_column *c, const dd_cell *cell,
			       const char *s, size_t len, dd_value *v)
{
	dd_money_status st = dd_money_parse(s, len, &v->v.fen);

	DD_UNUSED(t);
	DD_UNUSED(c);
	DD_UNUSED(cell);
	return st == DD_MONEY_OK ? NULL : dd_money_status_text(st);
}

static const char *parse_date(dd_table *t, const dd_column *c, const dd_cell *cell,
			      const char *s, size_t len, dd_value *v)
{
	DD_UNUSED(t);
	DD_UNUSED(c);
	DD_UNUSED(cell);
	return dd_date_parse(s, len, &v->v.date) == DD_OK ? NULL : "日期无效（应为存在的日期，格式YYYY-MM-DD）";
}

static const char *parse_month(dd_table *t, const dd_column *c, const dd_cell *cell,
			       const char *s, size_t len, dd_value *v)
{
	DD_UNUSED(t);
	DD_UNUSED(c);
	DD_UNUSED(cell);
	return dd_month_parse(s, len, &v->v.month) == DD_OK ? NULL : "月份无效（应为YYYY-MM）";
}

static const char *parse_bool(dd_table *t, const dd_column *c, const dd_cell *cell,
			      const char *s, size_t len, dd_value *v)
{
	static const struct {
		const char *text;
		bool b;
	} words[] = {
		{ "是", true }, { "否", false }, { "1", true }, { "0", false },
		{ "true", true }, { "false", false }, { "y", true }, { "n", false },
		{ "yes", true }, { "no", false },
	};

	DD_UNUSED(t);
	DD_UNUSED(c);
	DD_UNUSED(cell);
	for (size_t i = 0; i < DD_ARRAY_LEN(words); i++)
		if (same_name(s, len, words[i].text, strlen(words[i].text))) {
			v->v.b = words[i].b;
			return NULL;
		}
	return "应为是或否";
}

/* "3", "-2", "三", "三级", "3级": grades are written all these ways. */
static const char *parse_int(dd_table *t, const dd_column *c, const dd_cell *cell,
			     const char *s, size_t len, dd_value *v)
{
	static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };
	static const char grade[] = "级";
	long x = 0;
	bool ok = false, neg = len && s[0] == '-';

	DD_UNUSED(cell);
	if (len > sizeof grade - 1 && memcmp(s + len - (sizeof grade - 1), grade, sizeof grade - 1) == 0)
		len -= sizeof grade - 1;
	for (size_t i = 0; i < DD_ARRAY_LEN(numerals) && !ok; i++)
		if (same_name(s, len, numerals[i], strlen(numerals[i]))) {
			x = (long)i + 1;
			ok = true;
		}
	if (!ok && len > (size_t)neg && len - neg <= 18 && all_digits(s + neg, len - neg)) {
		for (size_t i = neg; i < len; i++)
			x = x * 10 + (s[i] - '0');
		x = neg ? -x : x;
		ok = true;
	}
	if (!ok)
		return "应为整数";
	if (c->min < c->max && (x < c->min || x > c->max))
		return dd_arena_printf(&t->arena, "超出范围（%ld～%ld）", c->min, c->max);
	v->v.i = x;
	return NULL;
}

const char *dd_schema_choice(const char *const *choices, const char *s, size_t len, size_t *codelen)
{
	for (; choices && *choices; choices++) {
		const char *list = *choices, *alt, *code = NULL;
		size_t alen;
		while (dd_schema_alt_next(&list, &alt, &alen)) {
			if (!code) {
				code = alt;
				*codelen = alen;
			}
			if (same_name(s, len, alt, alen))
				return code;
		}
	}
	return NULL;
}

/* "不是可选的值（可选：特困人员、低保…）" naming each choice by its Chinese name. */
static const char *choice_reason(dd_table *t, const char *const *choices)
{
	dd_buf *b = &t->scratch;

	dd_buf_reset(b);
	dd_buf_puts(b, "不是可选的值（可选：");
	for (const char *const *ch = choices; *ch; ch++) {
		const char *list = *ch, *alt;
		size_t alen;
		dd_schema_alt_next(&list, &alt, &alen);
		dd_schema_alt_next(&list, &alt, &alen);   /* the Chinese name when there is one */
		dd_buf_printf(b, "%s%.*s", ch == choices ? "" : "、", (int)alen, alt);
	}
	dd_buf_puts(b, "）");
	return b->data ? dd_arena_strndup(&t->arena, b->data, b->len) : "不是可选的值";
}

/* Byte equality, inline: choices are a few bytes, shorter than a call to memcmp. */
static bool same_bytes(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The alternative that s names (same_name, first in schema order), or NULL. */
static const choice_alt *plan_match(const choice_plan *pl, const char *s, size_t len)
{
	for (size_t i = 0; i < pl->n; i++) {
		const choice_alt *a = &pl->alts[i];
		if (a->len == len && (a->letters ? strncasecmp(s, a->s, len) == 0 : same_bytes(s, a->s, len)))
			return a;
	}
	return NULL;
}

static const char *parse_enum(dd_table *t, const dd_column *c, const dd_cell *cell,
			      const char *s, size_t len, dd_value *v)
{
	const choice_alt *a;

	DD_UNUSED(cell);
	if (!c->choices)
		return NULL;
	if (!(a = plan_match(&t->plans[c - t->schema->cols], s, len)))
		return choice_reason(t, c->choices);
	v->text = a->code;
	v->len = a->codelen;
	return NULL;
}

/* Length of the list separator at s (; ； 、 , ，), or 0. */
static size_t separator(const char *s, size_t left)
{
	static const char *const seps[] = { ";", ",", "；", "、", "，" };
	for (size_t i = 0; i < DD_ARRAY_LEN(seps); i++) {
		size_t n = strlen(seps[i]);
		if (n <= left && memcmp(s, seps[i], n) == 0)
			return n;
	}
	return 0;
}

static const char *parse_list(dd_table *t, const dd_column *c, const dd_cell *cell,
			      const char *s, size_t len, dd_value *v)
{
	dd_buf *b = &t->scratch;
	const char *end = s + len, *item = s;

	DD_UNUSED(cell);
	dd_buf_reset(b);
	for (const char *p = s; p <= end;) {
		size_t sep = p < end ? separator(p, (size_t)(end - p)) : 1;
		if (!sep) {
			p++;
			continue;
		}
		const char *it = item;
		const choice_alt *a;
		size_t ilen = (size_t)(p - item);
		dd_text_trim(&it, &ilen);
		if (ilen && c->choices) {
			if (!(a = plan_match(&t->plans[c - t->schema->cols], it, ilen)))
				return choice_reason(t, c->choices);
			it = a->code;
			ilen = a->codelen;
		}
		if (ilen && ((b->len && dd_buf_putc(b, ';') != DD_OK) || dd_buf_append(b, it, ilen) != DD_OK))
			return "内存不足";
		p += sep;
		item = p;
	}
	v->len = b->len;
	v->text = b->len ? dd_arena_strndup(&t->arena, b->data, b->len) : "";
	return v->text ? NULL : "内存不足";
}

static const parse_fn parsers[] = {
	[DD_T_TEXT] = parse_text,
	[DD_T_ID] = parse_id,
	[DD_T_MONEY] = parse_money,
	[DD_T_DATE] = parse_date,
	[DD_T_MONTH] = parse_month,
	[DD_T_BOOL] = parse_bool,
	[DD_T_INT] = parse_int,
	[DD_T_LIST] = parse_list,
	[DD_T_ENUM] = parse_enum,
};

/*
 * An XLSX date serial: days since 1899-12-31 in the 1900 system, where
 * Excel keeps Lotus's phantom 1900-02-29 as serial 60 (so from 61 on the
 * base moves back a day); days since 1904-01-01 in the 1904 system.  The
 * fraction is the time of day and is dropped.
 */
static bool serial_date(const char *s, size_t len, bool date1904, dd_date *out)
{
	long n = 0;
	size_t i = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9' && n <= SERIAL_MAX; i++)
		n = n * 10 + (s[i] - '0');
	if (i == 0 || n > SERIAL_MAX || (i < len && (s[i] != '.' || !all_digits(s + i + 1, len - i - 1))))
		return false;
	if (date1904)
		*out = dd_date_from_ymd(1904, 1, 1) + (dd_date)n;
	else if (n == 0 || n == 60)
		return false;
	else
		*out = dd_date_from_ymd(1899, 12, n < 60 ? 31 : 30) + (dd_date)n;
	return true;
}

static void record(dd_table *t, dd_row *row, int col, const char *value, size_t len,
		   const char *reason)
{
	dd_errfile_add(t->ef, row->line, col >= 0 ? t->schema->cols[col].key : "", value, len,
		       reason);
	row->nerrors++;
}

/*
 * A date-styled XLSX cell: a date column takes the date itself, a month
 * column its month; any other column sees the text Excel shows (YYYY-MM-DD).
 * Returns the reason on failure.
 */
static const char *date_cell(dd_table *t, const dd_column *c, const char **s, size_t *len, dd_value *v)
{
	dd_date d;
	char *buf;

	if (!serial_date(*s, *len, dd_src_date1904(t->src), &d))
		return "Excel日期无效";
	if (!(buf = dd_arena_alloc(&t->arena, 11)))
		return "内存不足";
	if (c->type == DD_T_MONTH) {
		v->v.month = dd_month_of(d);
		dd_month_format(v->v.month, buf);
	} else {
		v->v.date = d;
		dd_date_format(d, buf);
	}
	*s = buf;
	*len = strlen(buf);
	return NULL;
}

static void parse_cell(dd_table *t, dd_row *row, int col, const dd_cell *cell)
{
	const dd_column *c = &t->schema->cols[col];
	dd_value *v = &row->values[col];
	const char *s = cell->s, *reason = NULL;
	size_t len = cell->len;

	if (cell->too_long) {
		record(t, row, col, s, len, reason_too_long);
		return;
	}
	dd_text_trim(&s, &len);
	if (len == 0) {
		if (c->required)
			record(t, row, col, "", 0, reason_empty);
		return;
	}
	if (cell->is_date_style && (reason = date_cell(t, c, &s, &len, v)))
		goto done;
	/* the trimmed text becomes the value; copy only when trimming cut its end */
	v->text = s[len] == '\0' ? s : dd_arena_strndup(&t->arena, s, len);
	v->len = len;
	if (!v->text) {
		v->text = "";
		reason = "内存不足";
		goto done;
	}
	if (!(cell->is_date_style && (c->type == DD_T_DATE || c->type == DD_T_MONTH)))
		reason = parsers[c->type](t, c, cell, v->text, len, v);
done:
	if (reason)
		record(t, row, col, s, len, reason);
	else
		v->present = true;
}

static bool blank(const dd_cell *cell)
{
	const char *s = cell->s;
	size_t len = cell->len;

	dd_text_trim(&s, &len);
	return len == 0;
}

dd_rc dd_table_next(dd_table *t, dd_row **rowp, dd_err *err)
{
	const dd_schema *sc = t->schema;
	static const dd_cell empty = { .s = "" };
	dd_rawrow *raw;
	dd_rc rc;
	bool stray = false;

	dd_arena_reset(&t->arena);
	if ((rc = dd_src_next(t->src, &raw, err)) != DD_OK)
		goto done;
	/* one copy of the prepared blank values instead of an allocation and per-column setup */
	memcpy(t->values, t->blank, sc->ncols * sizeof *t->values);
	t->row = (dd_row){ .line = raw->line, .values = t->values };
	for (size_t i = 0; i < sc->ncols; i++) {
		int j = t->colpos[i];
		if (j >= 0)
			parse_cell(t, &t->row, (int)i, (size_t)j < raw->ncells ? &raw->cells[j] : &empty);
	}
	/* a value under no column name would be lost silently: refuse the row */
	for (size_t k = 0; k < t->nunnamed && !stray && t->unnamed[k] < raw->ncells; k++)
		stray = !blank(&raw->cells[t->unnamed[k]]);
	for (size_t j = t->nmap; j < raw->ncells && !stray; j++)
		stray = !blank(&raw->cells[j]);
	if (stray)
		record(t, &t->row, -1, "", 0, "该行的单元格比表头多（有值的单元格没有列名）");
	*rowp = &t->row;
done:
	return rc;
}

dd_rc dd_table_row_error(dd_table *t, dd_row *row, int col, const char *reason)
{
	const dd_value *v = col >= 0 ? &row->values[col] : NULL;

	row->nerrors++;
	return dd_errfile_add(t->ef, row->line, v ? t->schema->cols[col].key : "", v ? v->text : "",
			      v ? v->len : 0, reason);
}
