/*
 * csv.c - streaming CSV reader on libcsv.
 *
 * libcsv is push-based and knows nothing of lines or encodings, so the file
 * is read in 64 KiB chunks and fed to it one physical line (segment ending
 * at '\n') at a time.  That gives:
 *   - line numbers: a record starts on the line being fed when the parser was
 *     between records before that line;
 *   - encoding errors name their line: each chunk is validated once, and
 *     only a chunk that fails is checked again line by line to find it;
 *   - bounded memory: after each segment an over-long field is cut to a
 *     prefix inside libcsv's entry buffer (see trim_entry).
 * Completed rows are queued in an io_rows store and handed out by csv_next.
 */
#include "io_int.h"
#include "../core/text.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcsv's parser states (csv_parser.pstate; libcsv.c does not export them). */
enum { PS_ROW_NOT_BEGUN = 0, PS_FIELD_BEGUN = 2, PS_FIELD_MIGHT_HAVE_ENDED = 3 };

typedef struct qrow {
	long line;
	size_t first, n;
} qrow;

typedef struct csv_src {
	dd_src base;
	FILE *fp;
	struct csv_parser p;
	bool utf8;
	bool eof;             /* the file is read to its end */
	bool finished;        /* csv_fini done: nothing more will come */
	dd_rc dead;           /* sticky error: the reader is unusable after it */
	dd_err dead_err;
	char *chunk;          /* IO_CHUNK + 3 carried bytes of a cut UTF-8 sequence */
	size_t pos, end;      /* unfed bytes of the chunk */
	size_t valid_end;     /* UTF-8: end of the part not ending inside a sequence */
	size_t checked_end;   /* UTF-8: [pos, checked_end) is known to be valid */
	dd_text_conv *conv;   /* GB18030 only */
	dd_buf conv_out;
	long line;            /* physical line of the next byte fed */
	long rec_line;        /* line where the record being parsed started */
	io_rows rows;         /* queued rows plus the cells of the record being parsed */
	size_t rec_first;     /* first ref of the record being parsed */
	qrow *q;
	size_t qlen, qcap, qhead;
	bool field_too_long;  /* the field being parsed was cut; its prefix is in `prefix` */
	dd_buf prefix;
	dd_rc cb_rc;          /* failure inside a libcsv callback */
} csv_src;

static void add_cell(csv_src *s, const char *f, size_t len, unsigned flags)
{
	size_t col = s->rows.nrefs - s->rec_first;
	dd_rc rc = col < IO_MAX_COLS ? io_rows_add(&s->rows, col, f, len, flags) : DD_ERR_INPUT;

	if (rc != DD_OK && s->cb_rc == DD_OK)
		s->cb_rc = rc;
}

static void on_field(void *field, size_t len, void *data)
{
	csv_src *s = data;

	if (s->field_too_long) {
		add_cell(s, s->prefix.data, s->prefix.len, IO_TOO_LONG);
		s->field_too_long = false;
	} else if (len > DD_IO_MAX_FIELD) {
		add_cell(s, field, io_utf8_cut(field, DD_IO_MAX_FIELD), IO_TOO_LONG);
	} else {
		add_cell(s, field, len, 0);
	}
}

static void on_row(int c, void *data)
{
	csv_src *s = data;
	size_t n = s->rows.nrefs - s->rec_first;

	DD_UNUSED(c);
	if (s->cb_rc != DD_OK)
		return;
	if (io_rows_blank(&s->rows, s->rec_first, n)) {
		io_rows_truncate(&s->rows, s->rec_first);
		return;
	}
	if (s->qlen == s->qcap) {
		size_t cap = s->qcap ? s->qcap * 2 : 16;
		qrow *q = realloc(s->q, cap * sizeof *q);
		if (!q) {
			s->cb_rc = DD_ERR_NOMEM;
			return;
		}
		s->q = q;
		s->qcap = cap;
	}
	s->q[s->qlen++] = (qrow){ .line = s->rec_line, .first = s->rec_first, .n = n };
	s->rec_first = s->rows.nrefs;
}

/*
 * Keeps libcsv's entry buffer bounded: once the field being parsed exceeds
 * DD_IO_MAX_FIELD, its prefix is saved and the buffer emptied; on_field then
 * reports the saved prefix.  The state's invariants are kept: in
 * FIELD_MIGHT_HAVE_ENDED libcsv later drops `spaces + 1` bytes (the closing
 * quote and blanks after it), so that many must remain.
 */
static dd_rc trim_entry(csv_src *s)
{
	struct csv_parser *p = &s->p;
	dd_rc rc = DD_OK;
	size_t keep;

	if (p->entry_pos <= DD_IO_MAX_FIELD ||
	    (p->pstate != PS_FIELD_BEGUN && p->pstate != PS_FIELD_MIGHT_HAVE_ENDED))
		goto done;
	if (!s->field_too_long) {
		dd_buf_reset(&s->prefix);
		rc = dd_buf_append(&s->prefix, p->entry_buf,
				   io_utf8_cut((const char *)p->entry_buf, DD_IO_MAX_FIELD));
		if (rc != DD_OK)
			goto done;
		s->field_too_long = true;
	}
	keep = p->pstate == PS_FIELD_MIGHT_HAVE_ENDED ? (p->spaces ? 2 : 1) : 0;
	p->spaces = keep ? keep - 1 : 0;
	p->entry_pos = keep;
done:
	return rc;
}

static dd_rc fail(csv_src *s, dd_rc rc, dd_err *err, const char *fmt, long line)
{
	s->dead = dd_err_set(&s->dead_err, rc, fmt, line);
	return dd_err_set(err, rc, "%s", s->dead_err.msg);
}

static dd_rc cb_failed(csv_src *s, dd_err *err)
{
	if (s->cb_rc == DD_ERR_INPUT)
		return fail(s, DD_ERR_INPUT, err, "第%ld行：列数超过" DD_STR(IO_MAX_COLS), s->rec_line);
	return fail(s, DD_ERR_NOMEM, err, "第%ld行：内存不足", s->line);
}

/*
 * Feeds one physical line (or the part of it in this chunk) to libcsv.
 * `checked`: the segment lies in the part of the chunk already validated.
 */
static dd_rc feed_segment(csv_src *s, const char *seg, size_t len, bool checked, dd_err *err)
{
	dd_rc rc = DD_OK;
	bool nl = len && seg[len - 1] == '\n';

	if (s->utf8) {
		if (!checked && !dd_text_is_utf8(seg, len, false)) {
			rc = fail(s, DD_ERR_INPUT, err,
				  "第%ld行：不是有效的UTF-8文本（文件开头是UTF-8，请整个文件使用同一种编码保存）",
				  s->line);
			goto done;
		}
	} else {
		dd_err cerr = { 0 };
		dd_buf_reset(&s->conv_out);
		if (dd_text_conv_feed(s->conv, seg, len, false, &s->conv_out, &cerr) != DD_OK) {
			rc = fail(s, DD_ERR_INPUT, err,
				  "第%ld行：既不是有效的UTF-8也不是有效的GB18030/GBK文本", s->line);
			goto done;
		}
		seg = s->conv_out.data;
		len = s->conv_out.len;
	}
	if (s->p.pstate == PS_ROW_NOT_BEGUN)
		s->rec_line = s->line;
	if (len && csv_parse(&s->p, seg, len, on_field, on_row, s) != len) {
		if (csv_error(&s->p) == CSV_EPARSE)
			rc = fail(s, DD_ERR_INPUT, err,
				  "第%ld行：引号使用不当（含逗号、引号或换行的字段须整体用双引号括起，其中的引号写成两个）",
				  s->line);
		else
			rc = fail(s, DD_ERR_NOMEM, err, "第%ld行：内存不足", s->line);
		goto done;
	}
	if (s->cb_rc != DD_OK || trim_entry(s) != DD_OK) {
		rc = cb_failed(s, err);
		goto done;
	}
	if (nl)
		s->line++;
done:
	return rc;
}

/* Reads the next chunk; the first one decides the encoding. */
static dd_rc read_chunk(csv_src *s, dd_err *err)
{
	dd_rc rc = DD_OK;
	size_t carry = s->end - s->pos;   /* at most 3 bytes of a cut sequence */
	bool first = s->line == 0;
	size_t n;

	memmove(s->chunk, s->chunk + s->pos, carry);
	n = fread(s->chunk + carry, 1, IO_CHUNK, s->fp);
	if (n < IO_CHUNK) {
		if (ferror(s->fp)) {
			rc = dd_err_set(err, DD_ERR_IO, "读取文件失败：%s", strerror(errno));
			s->dead = dd_err_set(&s->dead_err, rc, "%s", err->msg);
			goto done;
		}
		s->eof = true;
	}
	s->pos = 0;
	s->end = carry + n;
	if (first) {
		s->line = 1;
		s->pos = dd_text_bom_len(s->chunk, s->end);
		s->utf8 = s->pos > 0 ||
			  dd_text_is_utf8(s->chunk, s->end, !s->eof);
		s->base.encoding = s->utf8 ? "UTF-8" : "GB18030";
		if (!s->utf8 && (rc = dd_text_conv_open(&s->conv, err)) != DD_OK)
			goto done;
	}
	/* a UTF-8 sequence cut by the chunk end waits for the next chunk */
	s->valid_end = s->utf8 && !s->eof ? s->pos + io_utf8_cut(s->chunk + s->pos, s->end - s->pos)
					  : s->end;
	/*
	 * Segments end at '\n' or valid_end, never inside a sequence, so the
	 * whole part is valid exactly when every segment is; on failure
	 * feed_segment validates line by line to name the line.
	 */
	s->checked_end = s->utf8 && dd_text_is_utf8(s->chunk + s->pos, s->valid_end - s->pos, false)
				 ? s->valid_end : s->pos;
done:
	return rc;
}

static dd_rc finish(csv_src *s, dd_err *err)
{
	dd_rc rc = DD_OK;

	s->finished = true;
	if (s->conv) {
		dd_err cerr = { 0 };
		dd_buf_reset(&s->conv_out);
		if (dd_text_conv_feed(s->conv, NULL, 0, true, &s->conv_out, &cerr) != DD_OK) {
			rc = fail(s, DD_ERR_INPUT, err,
				  "第%ld行：不是有效的GB18030/GBK文本（文件在字符中间结束）", s->line);
			goto done;
		}
	}
	if (csv_fini(&s->p, on_field, on_row, s) != 0) {
		rc = fail(s, DD_ERR_INPUT, err, "第%ld行：引号未闭合（字段以双引号开始，但到文件末尾也没有结束的双引号）",
			  s->rec_line);
		goto done;
	}
	if (s->cb_rc != DD_OK)
		rc = cb_failed(s, err);
done:
	return rc;
}

/* Feeds segments until a row is queued or the input ends. */
static dd_rc fill(csv_src *s, dd_err *err)
{
	dd_rc rc = DD_OK;

	while (s->qlen == 0 && !s->finished) {
		if (s->pos < s->valid_end) {
			const char *seg = s->chunk + s->pos;
			const char *nl = memchr(seg, '\n', s->valid_end - s->pos);
			size_t len = nl ? (size_t)(nl - seg) + 1 : s->valid_end - s->pos;
			s->pos += len;
			rc = feed_segment(s, seg, len, s->pos <= s->checked_end, err);
		} else if (!s->eof) {
			rc = read_chunk(s, err);
		} else {
			rc = finish(s, err);
		}
		if (rc != DD_OK)
			break;
	}
	return rc;
}

static dd_rc csv_next(dd_src *src, dd_rawrow **row, dd_err *err)
{
	csv_src *s = (csv_src *)src;
	dd_rc rc;

	if (s->dead != DD_OK) {
		rc = dd_err_set(err, s->dead, "%s", s->dead_err.msg);
		goto done;
	}
	if (s->qhead == s->qlen) {
		/* every queued row was handed out: keep only the record in progress */
		io_rows_compact(&s->rows, s->rec_first);
		s->rec_first = 0;
		s->qhead = s->qlen = 0;
		if ((rc = fill(s, err)) != DD_OK)
			goto done;
		if (s->qlen == 0) {
			rc = DD_DONE;
			goto done;
		}
	}
	const qrow *q = &s->q[s->qhead++];
	rc = io_rows_build(&s->rows, q->first, q->n, q->line, row);
	if (rc != DD_OK)
		dd_err_set(err, rc, "内存不足");
done:
	return rc;
}

static void csv_close(dd_src *src)
{
	csv_src *s = (csv_src *)src;

	if (s->fp)
		fclose(s->fp);
	csv_free(&s->p);
	free(s->chunk);
	dd_text_conv_close(s->conv);
	dd_buf_release(&s->conv_out);
	dd_buf_release(&s->prefix);
	io_rows_release(&s->rows);
	free(s->q);
	free(s);
}

static const io_src_ops csv_ops = { csv_next, csv_close };

dd_rc io_csv_open(dd_src **src, const char *path, dd_err *err)
{
	dd_rc rc = DD_ERR_NOMEM;
	csv_src *s = calloc(1, sizeof *s);

	if (!s) {
		dd_err_set(err, rc, "内存不足");
		goto done;
	}
	s->base.ops = &csv_ops;
	s->base.encoding = "UTF-8";
	dd_buf_init(&s->conv_out, 0);
	dd_buf_init(&s->prefix, 0);
	io_rows_init(&s->rows);
	/* STRICT: a stray quote is an error; STRICT_FINI: so is a quote left open at EOF */
	if (csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI) != 0 ||
	    !(s->chunk = malloc(IO_CHUNK + 4))) {
		dd_err_set(err, rc, "内存不足");
		csv_close(&s->base);
		goto done;
	}
	/* libcsv grows its field buffer by blk_size steps; the default 128 is slow for long fields */
	csv_set_blk_size(&s->p, 16 * 1024);
	if (!(s->fp = fopen(path, "rb"))) {
		rc = dd_err_set(err, DD_ERR_IO, "无法打开文件 %s：%s", path, strerror(errno));
		csv_close(&s->base);
		goto done;
	}
	*src = &s->base;
	rc = DD_OK;
done:
	return rc;
}
