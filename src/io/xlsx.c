/*
 * xlsx.c - streaming reader for the first sheet of an XLSX workbook.
 *
 * minizip reads the members, expat parses them in 64 KiB pieces:
 *   xl/workbook.xml (+ xl/_rels/workbook.xml.rels)  which sheet, 1904 dates
 *   xl/sharedStrings.xml                            string pool, kept in memory
 *   xl/styles.xml                                   which cell styles are dates
 *   the sheet                                       parsed row by row: the
 *       parser is suspended (XML_StopParser) at each </row> and resumed by the
 *       next call, so only one row is ever held.
 * Cell text is what Excel shows: shared/inline strings as written, numbers in
 * the General format (15 significant digits, no ".0").
 */
#include "io_int.h"
#include "../core/text.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

/* The whole string pool; a workbook beyond this is refused rather than exhausting memory. */
#define SST_MAX_BYTES ((size_t)1 << 30)

typedef enum { C_NUM, C_SST, C_STR, C_BOOL } cell_type;

typedef struct sst_ent {
	size_t off, len;
	bool too_long;
} sst_ent;

typedef struct xlsx_src {
	dd_src base;
	unzFile zf;
	const char *member;   /* part being parsed, for messages */
	dd_rc cb_rc;          /* failure inside an expat handler */
	dd_err cb_err;
	dd_rc dead;           /* sticky error of the sheet stream */
	dd_err dead_err;

	/* text of the element being captured, cut at DD_IO_MAX_FIELD */
	dd_buf text;
	bool capture, text_too_long;
	int in_rph;           /* inside <rPh> (phonetic hints, not shown) */
	bool in_si;           /* inside <si> or <is> */

	/* workbook and relationships */
	dd_buf rid, target;
	bool sheet_seen;

	/* shared strings */
	dd_buf sst;
	sst_ent *sst_idx;
	size_t nsst, capsst;

	/* styles: numFmtId per cellXfs entry, custom date format ids */
	bool in_cellxfs;
	long *xf_fmt;
	size_t nxf, capxf;
	long *date_fmts;
	size_t ndate, capdate;

	/* sheet */
	XML_Parser xp;        /* the parser running now; the sheet's once the other parts are read */
	bool suspended, final_fed, in_cell;
	io_rows rows;
	long row_num;
	size_t next_col, cell_col;
	cell_type cell_t;
	bool cell_date;
	long ready_line;
} xlsx_src;

static const char *local_name(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *lname)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), lname) == 0)
			return atts[i + 1];
	return NULL;
}

/* Stops the parser with an error that the caller of XML_Parse* reports. */
static void abort_parse(xlsx_src *s, XML_Parser p, dd_rc rc, const char *msg, long line)
{
	if (s->cb_rc == DD_OK) {
		s->cb_rc = rc;
		if (line > 0)
			dd_err_set(&s->cb_err, rc, "第%ld行：%s", line, msg);
		else
			dd_err_set(&s->cb_err, rc, "%s（%s）", msg, s->member);
	}
	XML_StopParser(p, XML_FALSE);
}

static bool grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void **a = arr;
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*a, c * size);
	if (!p)
		return false;
	*a = p;
	*cap = c;
	return true;
}

static void XMLCALL on_text(void *data, const XML_Char *t, int len)
{
	xlsx_src *s = data;
	size_t room = DD_IO_MAX_FIELD - s->text.len;
	size_t n = (size_t)len;

	if (!s->capture || s->in_rph)
		return;
	if (n > room) {
		n = room;
		s->text_too_long = true;
	}
	if (n && dd_buf_append(&s->text, t, n) != DD_OK)
		abort_parse(s, s->xp, DD_ERR_NOMEM, "内存不足", 0);
}

static void start_text(xlsx_src *s)
{
	dd_buf_reset(&s->text);
	s->text_too_long = false;
}

/* A too-long text was cut by bytes: do not leave half a character. */
static size_t text_len(const xlsx_src *s)
{
	return s->text_too_long ? io_utf8_cut(s->text.data, s->text.len) : s->text.len;
}

/* ---- reading a part ---- */

static dd_rc xml_error(xlsx_src *s, XML_Parser p, dd_err *err)
{
	if (s->cb_rc != DD_OK)
		return dd_err_set(err, s->cb_rc, "%s", s->cb_err.msg);
	return dd_err_set(err, DD_ERR_INPUT, "XLSX文件损坏：%s（%s第%lu行）",
			  XML_ErrorString(XML_GetErrorCode(p)), s->member,
			  (unsigned long)XML_GetCurrentLineNumber(p));
}

/* Entity declarations never occur in a workbook; refusing them rules out entity bombs. */
static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	xlsx_src *s = data;
	DD_UNUSED(name);
	DD_UNUSED(sysid);
	DD_UNUSED(pubid);
	DD_UNUSED(has_internal);
	abort_parse(s, s->xp, DD_ERR_INPUT, "XLSX文件损坏：不应有DOCTYPE", 0);
}

static XML_Parser new_parser(xlsx_src *s, XML_StartElementHandler start, XML_EndElementHandler end)
{
	XML_Parser p = XML_ParserCreate(NULL);
	if (p) {
		XML_SetUserData(p, s);
		XML_SetElementHandler(p, start, end);
		XML_SetCharacterDataHandler(p, on_text);
		XML_SetStartDoctypeDeclHandler(p, on_doctype);
	}
	return p;
}

/* Positions on a member and opens it.  DD_DONE when the member does not exist. */
static dd_rc open_member(xlsx_src *s, const char *name, dd_err *err)
{
	s->member = name;
	if (unzLocateFile(s->zf, name, 2) != UNZ_OK)
		return DD_DONE;
	if (unzOpenCurrentFile(s->zf) != UNZ_OK)
		return dd_err_set(err, DD_ERR_INPUT, "XLSX文件损坏：无法解压%s", name);
	return DD_OK;
}

/* Reads the next piece of the open member into the parser.  *final after the last. */
static dd_rc feed_member(xlsx_src *s, XML_Parser p, bool *final, enum XML_Status *st, dd_err *err)
{
	void *buf = XML_GetBuffer(p, IO_CHUNK);
	int n;

	*final = false;   /* callers read it even on failure */
	if (!buf)
		return dd_err_set(err, DD_ERR_NOMEM, "内存不足");
	n = unzReadCurrentFile(s->zf, buf, IO_CHUNK);
	if (n < 0)
		return dd_err_set(err, DD_ERR_INPUT, "XLSX文件损坏：解压%s失败（%d）", s->member, n);
	*final = n == 0;
	*st = XML_ParseBuffer(p, n, *final);
	if (*st == XML_STATUS_ERROR)
		return xml_error(s, p, err);
	if (*final && unzCloseCurrentFile(s->zf) != UNZ_OK)
		return dd_err_set(err, DD_ERR_INPUT, "XLSX文件损坏：%s校验失败", s->member);
	return DD_OK;
}

/* Parses a whole member with the given handlers.  DD_DONE when it does not exist. */
static dd_rc parse_member(xlsx_src *s, const char *name, XML_StartElementHandler start,
			  XML_EndElementHandler end, dd_err *err)
{
	dd_rc rc;
	XML_Parser p = NULL;
	bool final = false;
	enum XML_Status st;

	if ((rc = open_member(s, name, err)) != DD_OK)
		goto done;
	if (!(p = new_parser(s, start, end))) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
		goto done;
	}
	s->xp = p;
	while (!final && (rc = feed_member(s, p, &final, &st, err)) == DD_OK)
		;
done:
	if (p)
		XML_ParserFree(p);
	s->xp = NULL;
	return rc;
}

/* ---- workbook.xml and its relationships ---- */

static void XMLCALL wb_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx_src *s = data;
	const char *ln = local_name(name), *v;

	if (strcmp(ln, "workbookPr") == 0 && (v = attr(atts, "date1904")))
		s->base.date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
	else if (strcmp(ln, "sheet") == 0 && !s->sheet_seen) {
		s->sheet_seen = true;
		/* r:id; the unprefixed sheetId has another local name */
		if ((v = attr(atts, "id")) && dd_buf_puts(&s->rid, v) != DD_OK)
			abort_parse(s, s->xp, DD_ERR_NOMEM, "内存不足", 0);
	}
}

static void XMLCALL rels_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx_src *s = data;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");

	if (strcmp(local_name(name), "Relationship") != 0 || !id || !target || s->target.len ||
	    strcmp(id, s->rid.data) != 0)
		return;
	/* targets are relative to xl/ unless absolute within the package */
	if ((target[0] == '/' ? dd_buf_puts(&s->target, target + 1)
			      : dd_buf_printf(&s->target, "xl/%s", target)) != DD_OK)
		abort_parse(s, s->xp, DD_ERR_NOMEM, "内存不足", 0);
}

static void XMLCALL no_end(void *data, const XML_Char *name)
{
	DD_UNUSED(data);
	DD_UNUSED(name);
}

/* ---- sharedStrings.xml ---- */

/* <t> inside <si> (shared) or <is> (inline): rich runs are concatenated, <rPh> skipped. */
static void string_start(xlsx_src *s, const char *ln)
{
	if (strcmp(ln, "rPh") == 0)
		s->in_rph++;
	else if (strcmp(ln, "t") == 0 && s->in_si)
		s->capture = true;
}

static void string_end(xlsx_src *s, const char *ln)
{
	if (strcmp(ln, "rPh") == 0)
		s->in_rph--;
	else if (strcmp(ln, "t") == 0)
		s->capture = false;
}

static void XMLCALL sst_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx_src *s = data;
	const char *ln = local_name(name);

	DD_UNUSED(atts);
	if (strcmp(ln, "si") == 0) {
		s->in_si = true;
		start_text(s);
	} else {
		string_start(s, ln);
	}
}

static void XMLCALL sst_end(void *data, const XML_Char *name)
{
	xlsx_src *s = data;
	const char *ln = local_name(name);
	size_t off = s->sst.len, len = text_len(s);

	if (strcmp(ln, "si") != 0) {
		string_end(s, ln);
		return;
	}
	s->in_si = false;
	if (!grow(&s->sst_idx, &s->capsst, s->nsst, sizeof *s->sst_idx) ||
	    dd_buf_append(&s->sst, s->text.data ? s->text.data : "", len) != DD_OK ||
	    dd_buf_append(&s->sst, "", 1) != DD_OK) {
		abort_parse(s, s->xp, DD_ERR_INPUT, "共享字符串过多，无法读取", 0);
		return;
	}
	s->sst_idx[s->nsst++] = (sst_ent){ .off = off, .len = len, .too_long = s->text_too_long };
}

/* ---- styles.xml ---- */

/* Excel's built-in date and time formats. */
static bool builtin_date(long id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

/* A custom format is a date when it has y/m/d/h outside quotes, brackets and escapes. */
static bool code_is_date(const char *code)
{
	for (const char *c = code; *c; c++) {
		switch (*c) {
		case '"':
			c = strchr(c + 1, '"');
			if (!c)
				return false;
			break;
		case '[':
			c = strchr(c + 1, ']');
			if (!c)
				return false;
			break;
		case '\\': case '_': case '*':
			if (!*++c)
				return false;
			break;
		case 'y': case 'Y': case 'm': case 'M': case 'd': case 'D': case 'h': case 'H':
			return true;
		default:
			break;
		}
	}
	return false;
}

static void XMLCALL styles_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx_src *s = data;
	const char *ln = local_name(name), *id = attr(atts, "numFmtId"), *code;
	bool ok = true;

	if (strcmp(ln, "cellXfs") == 0)
		s->in_cellxfs = true;
	else if (strcmp(ln, "numFmt") == 0 && id && (code = attr(atts, "formatCode")) &&
		 code_is_date(code)) {
		ok = grow(&s->date_fmts, &s->capdate, s->ndate, sizeof *s->date_fmts);
		if (ok)
			s->date_fmts[s->ndate++] = strtol(id, NULL, 10);
	} else if (strcmp(ln, "xf") == 0 && s->in_cellxfs) {
		ok = grow(&s->xf_fmt, &s->capxf, s->nxf, sizeof *s->xf_fmt);
		if (ok)
			s->xf_fmt[s->nxf++] = id ? strtol(id, NULL, 10) : 0;
	}
	if (!ok)
		abort_parse(s, s->xp, DD_ERR_NOMEM, "内存不足", 0);
}

static void XMLCALL styles_end(void *data, const XML_Char *name)
{
	xlsx_src *s = data;
	if (strcmp(local_name(name), "cellXfs") == 0)
		s->in_cellxfs = false;
}

static bool style_is_date(const xlsx_src *s, long xf)
{
	if (xf < 0 || (size_t)xf >= s->nxf)
		return false;
	long fmt = s->xf_fmt[xf];
	if (builtin_date(fmt))
		return true;
	for (size_t i = 0; i < s->ndate; i++)
		if (s->date_fmts[i] == fmt)
			return true;
	return false;
}

/* ---- the sheet ---- */

/* "C5" -> 2.  -1 when malformed or beyond Excel's last column. */
static long cell_col(const char *ref)
{
	long col = 0;
	const char *c = ref;

	for (; *c >= 'A' && *c <= 'Z'; c++) {
		col = col * 26 + (*c - 'A' + 1);
		if (col > IO_MAX_COLS)
			return -1;
	}
	return c == ref ? -1 : col - 1;
}

/*
 * Excel's General format: 15 significant digits, no exponent for moderate
 * magnitudes, no trailing zeros.  Plain decimals of at most 15 digits (the
 * common case) are copied digit by digit; only other forms go through a
 * double, which is what Excel stored anyway.
 */
static size_t general_number(const char *v, size_t len, char out[48])
{
	const char *p = v, *end = v + len, *ip, *ie, *fp = NULL, *fe = NULL;
	bool neg = p < end && *p == '-';
	size_t n = 0, sig;

	p += neg;
	for (ip = p; p < end && *p >= '0' && *p <= '9'; p++)
		;
	ie = p;
	if (p < end && *p == '.') {
		for (fp = ++p; p < end && *p >= '0' && *p <= '9'; p++)
			;
		fe = p;
	}
	if (p == end && ie > ip && (!fp || fe > fp)) {
		while (ip < ie - 1 && *ip == '0')
			ip++;
		while (fp && fe > fp && fe[-1] == '0')
			fe--;
		sig = (size_t)(ie - ip) + (fp ? (size_t)(fe - fp) : 0);
		if (*ip == '0') {
			const char *z = fp;
			sig--;
			while (z && z < fe && *z == '0')
				z++, sig--;
		}
		if (sig <= 15) {
			bool zero = *ip == '0' && ie - ip == 1 && (!fp || fe == fp);
			if (neg && !zero)
				out[n++] = '-';
			memcpy(out + n, ip, (size_t)(ie - ip));
			n += (size_t)(ie - ip);
			if (fp && fe > fp) {
				out[n++] = '.';
				memcpy(out + n, fp, (size_t)(fe - fp));
				n += (size_t)(fe - fp);
			}
			out[n] = '\0';
			return n;
		}
	}

	char *stop;
	double d = strtod(v, &stop);
	if (stop != end || !isfinite(d) || len == 0) {
		/* not a number after all: show it as written */
		n = io_utf8_cut(v, DD_MIN(len, (size_t)47));
		memcpy(out, v, n);
		out[n] = '\0';
		return n;
	}
	if (d == 0) {
		memcpy(out, "0", 2);
		return 1;
	}
	char m[40], dig[16];
	snprintf(m, sizeof m, "%.14e", d);          /* [-]D.DDDDDDDDDDDDDDe±XX */
	const char *mp = m + (m[0] == '-');
	int exp = atoi(strchr(mp, 'e') + 1), nd = 15;
	dig[0] = mp[0];
	memcpy(dig + 1, mp + 2, 14);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (d < 0)
		out[n++] = '-';
	if (exp >= 15 || exp < -9) {
		out[n++] = dig[0];
		if (nd > 1) {
			out[n++] = '.';
			memcpy(out + n, dig + 1, (size_t)nd - 1);
			n += (size_t)nd - 1;
		}
		n += (size_t)snprintf(out + n, 48 - n, "E%c%02d", exp < 0 ? '-' : '+', abs(exp));
	} else if (exp >= 0) {
		for (int i = 0; i <= exp; i++)
			out[n++] = i < nd ? dig[i] : '0';
		if (nd > exp + 1) {
			out[n++] = '.';
			memcpy(out + n, dig + exp + 1, (size_t)(nd - exp - 1));
			n += (size_t)(nd - exp - 1);
		}
	} else {
		out[n++] = '0';
		out[n++] = '.';
		for (int i = 0; i < -exp - 1; i++)
			out[n++] = '0';
		memcpy(out + n, dig, (size_t)nd);
		n += (size_t)nd;
	}
	out[n] = '\0';
	return n;
}

static void XMLCALL sheet_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	xlsx_src *s = data;
	const char *ln = local_name(name), *v;

	if (strcmp(ln, "row") == 0) {
		long r = (v = attr(atts, "r")) ? strtol(v, NULL, 10) : s->row_num + 1;
		if (r <= s->row_num || r > 10 * 1000 * 1000) {
			abort_parse(s, s->xp, DD_ERR_INPUT, "XLSX文件损坏：行号无效", s->row_num + 1);
			return;
		}
		s->row_num = r;
		s->next_col = 0;
		io_rows_truncate(&s->rows, 0);
	} else if (strcmp(ln, "c") == 0) {
		long col = (v = attr(atts, "r")) ? cell_col(v) : (long)s->next_col;
		if (col < 0 || col >= IO_MAX_COLS || s->rows.nrefs >= IO_MAX_COLS) {
			abort_parse(s, s->xp, DD_ERR_INPUT, "XLSX文件损坏：单元格位置无效", s->row_num);
			return;
		}
		s->cell_col = (size_t)col;
		v = attr(atts, "t");
		s->cell_t = !v || strcmp(v, "n") == 0 ? C_NUM
			    : strcmp(v, "s") == 0   ? C_SST
			    : strcmp(v, "b") == 0   ? C_BOOL
						    : C_STR;
		s->cell_date = s->cell_t == C_NUM && (v = attr(atts, "s")) &&
			       style_is_date(s, strtol(v, NULL, 10));
		s->in_cell = true;
		start_text(s);
	} else if (strcmp(ln, "v") == 0) {
		s->capture = s->in_cell;
	} else if (strcmp(ln, "is") == 0) {
		s->in_si = s->in_cell;
	} else {
		string_start(s, ln);
	}
}

static dd_rc add_cell(xlsx_src *s)
{
	const char *t = s->text.data ? s->text.data : "";
	size_t len = text_len(s);
	unsigned flags = s->text_too_long ? IO_TOO_LONG : 0;
	char num[48];

	switch (s->cell_t) {
	case C_SST: {
		char *end;
		unsigned long i = strtoul(t, &end, 10);
		if (end == t || *end || i >= s->nsst) {
			abort_parse(s, s->xp, DD_ERR_INPUT, "XLSX文件损坏：共享字符串编号无效", s->row_num);
			return DD_ERR_INPUT;
		}
		t = s->sst.data + s->sst_idx[i].off;
		len = s->sst_idx[i].len;
		flags = s->sst_idx[i].too_long ? IO_TOO_LONG : 0;
		break;
	}
	case C_BOOL:
		if (dd_text_eq(t, len, "1") || dd_text_eq(t, len, "0")) {
			t = t[0] == '1' ? "TRUE" : "FALSE";
			len = strlen(t);
		}
		break;
	case C_NUM:
		if (len == 0 || s->text_too_long)
			break;
		flags = IO_NUMBER | (s->cell_date ? IO_DATE : 0);
		if (!s->cell_date) {
			len = general_number(t, len, num);
			t = num;
		}
		break;
	case C_STR:
		break;
	}
	dd_rc rc = io_rows_add(&s->rows, s->cell_col, t, len, flags);
	if (rc != DD_OK)
		abort_parse(s, s->xp, rc, "内存不足", s->row_num);
	return rc;
}

static void XMLCALL sheet_end(void *data, const XML_Char *name)
{
	xlsx_src *s = data;
	const char *ln = local_name(name);

	if (strcmp(ln, "v") == 0) {
		s->capture = false;
	} else if (strcmp(ln, "is") == 0) {
		s->in_si = false;
	} else if (strcmp(ln, "c") == 0 && s->in_cell) {
		s->in_cell = false;
		s->capture = false;
		if (add_cell(s) == DD_OK)
			s->next_col = s->cell_col + 1;
	} else if (strcmp(ln, "row") == 0) {
		if (!io_rows_blank(&s->rows, 0, s->rows.nrefs)) {
			s->ready_line = s->row_num;
			XML_StopParser(s->xp, XML_TRUE);
		}
	} else {
		string_end(s, ln);
	}
}

static dd_rc xlsx_next(dd_src *src, dd_rawrow **row, dd_err *err)
{
	xlsx_src *s = (xlsx_src *)src;
	dd_rc rc = DD_OK;
	enum XML_Status st = XML_STATUS_OK;
	bool final;

	if (s->dead != DD_OK) {
		rc = dd_err_set(err, s->dead, "%s", s->dead_err.msg);
		goto done;
	}
	for (;;) {
		if (s->suspended) {
			s->suspended = false;
			st = XML_ResumeParser(s->xp);
			if (st == XML_STATUS_ERROR) {
				rc = xml_error(s, s->xp, err);
				break;
			}
		} else if (s->final_fed) {
			rc = DD_DONE;
			goto done;
		} else {
			rc = feed_member(s, s->xp, &final, &st, err);
			s->final_fed = final;
			if (rc != DD_OK)
				break;
		}
		if (st == XML_STATUS_SUSPENDED) {
			s->suspended = true;
			rc = io_rows_build(&s->rows, 0, s->rows.nrefs, s->ready_line, row);
			if (rc != DD_OK)
				dd_err_set(err, rc, "内存不足");
			break;
		}
	}
	if (rc != DD_OK)
		s->dead = dd_err_set(&s->dead_err, rc, "%s", err->msg);
done:
	return rc;
}

static void xlsx_close(dd_src *src)
{
	xlsx_src *s = (xlsx_src *)src;

	if (s->xp)
		XML_ParserFree(s->xp);
	if (s->zf)
		unzClose(s->zf);
	dd_buf_release(&s->text);
	dd_buf_release(&s->rid);
	dd_buf_release(&s->target);
	dd_buf_release(&s->sst);
	free(s->sst_idx);
	free(s->xf_fmt);
	free(s->date_fmts);
	io_rows_release(&s->rows);
	free(s);
}

static const io_src_ops xlsx_ops = { xlsx_next, xlsx_close };

/* Reads everything before the sheet's rows: workbook, strings, styles; opens the sheet. */
static dd_rc load(xlsx_src *s, dd_err *err)
{
	dd_rc rc;
	const char *sheet = "xl/worksheets/sheet1.xml";

	rc = parse_member(s, "xl/workbook.xml", wb_start, no_end, err);
	if (rc == DD_OK && s->rid.len)
		rc = parse_member(s, "xl/_rels/workbook.xml.rels", rels_start, no_end, err);
	if (rc != DD_OK && rc != DD_DONE)
		goto done;
	if (s->target.len)
		sheet = s->target.data;
	rc = parse_member(s, "xl/sharedStrings.xml", sst_start, sst_end, err);
	if (rc == DD_OK || rc == DD_DONE)
		rc = parse_member(s, "xl/styles.xml", styles_start, styles_end, err);
	if (rc != DD_OK && rc != DD_DONE)
		goto done;
	s->capture = false;
	s->in_si = false;
	s->in_rph = 0;
	if ((rc = open_member(s, sheet, err)) == DD_DONE) {
		rc = dd_err_set(err, DD_ERR_INPUT, "不是有效的XLSX文件：找不到第一个工作表（%s）", sheet);
		goto done;
	}
	if (rc != DD_OK)
		goto done;
	if (!(s->xp = new_parser(s, sheet_start, sheet_end)))
		rc = dd_err_set(err, DD_ERR_NOMEM, "内存不足");
done:
	return rc;
}

dd_rc io_xlsx_open(dd_src **src, const char *path, dd_err *err)
{
	dd_rc rc = DD_ERR_NOMEM;
	xlsx_src *s = calloc(1, sizeof *s);
	FILE *fp;

	if (!s) {
		dd_err_set(err, rc, "内存不足");
		goto done;
	}
	s->base.ops = &xlsx_ops;
	s->base.encoding = "XLSX";
	dd_buf_init(&s->text, 0);
	dd_buf_init(&s->rid, 0);
	dd_buf_init(&s->target, 0);
	dd_buf_init(&s->sst, SST_MAX_BYTES);
	io_rows_init(&s->rows);
	if (!(s->zf = unzOpen64(path))) {
		/* tell an unreadable file from one that is not a zip */
		if (!(fp = fopen(path, "rb")))
			rc = dd_err_set(err, DD_ERR_IO, "无法打开文件 %s：%s", path, strerror(errno));
		else
			rc = dd_err_set(err, DD_ERR_INPUT, "不是有效的XLSX文件：%s", path);
		if (fp)
			fclose(fp);
		goto fail;
	}
	if ((rc = load(s, err)) != DD_OK)
		goto fail;
	*src = &s->base;
	goto done;
fail:
	xlsx_close(&s->base);
done:
	return rc;
}
