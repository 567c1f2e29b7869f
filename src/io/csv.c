/*
 * csv.c - streaming CSV reader on libcsv.
 *
 * The file is read in 64 KiB chunks.  A UTF-8 chunk is validated at once and
 * given to libcsv in one call, up to its last whole UTF-8 sequence (one cut
 * by the chunk's end waits for the next chunk); a GB18030 file is converted
 * and fed one physical line at a time.  Feeding line by line cost about a
 * third of the reader's own time, so line numbers come from libcsv's
 * callbacks: with CSV_REPALL_NL every '\n' outside quotes ends a row (an
 * empty one for a blank line), and a '\n' inside a quoted field is counted
 * in the field's text (only once the file has had a '"').  A record's line
 * is where it starts; an error names the line of the offending byte.  As
 * when lines were fed one by one, rows that ended on a failing line are not
 * handed out, those before it are; an encoding error is found for the whole
 * chunk, and the lines before the bad one are still read.  After each feed
 * an over-long field is cut to a prefix inside libcsv's entry buffer (see
 * trim_entry), so memory stays bounded.  Completed rows are queued in an
 * io_rows store and handed out by csv_next.
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
	long line;            /* where the record starts */
	long end_line;        /* where it ends */
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
	size_t feed_end;      /* UTF-8: end of what is fed in one call (whole sequences; or the start of a bad line) */
	bool bad_line;        /* UTF-8: the line at feed_end is not valid UTF-8 */
	dd_text_conv *conv;   /* GB18030 only */
	dd_buf conv_out;
	bool started;         /* the first chunk was read */
	long at_line;         /* physical line the callbacks have reached (rows ended, fields' '\n' counted) */
	long field_nl;        /* '\n' inside the fields of the record being parsed */
	bool quotes;          /* a '"' was fed: fields may hold '\n' */
	long rec_line;        /* line where the record being parsed started */
	io_rows rows;         /* queued rows plus the cells of the record being parsed */
	size_t rec_first;     /* first ref of the record being parsed */
	qrow *q;
	size_t qlen, qcap, qhead;
	bool field_too_long;  /* the field being parsed was cut; its prefix is in `prefix` */
	dd_buf prefix;
	dd_rc cb_rc;          /* failure inside a libcsv callback */
	long cb_line;         /* the line it happened on */
} csv_src;

/*
 * Number of '\n' in p[0..n), 8 bytes at a time: a byte's high bit is set
 * where it was '\n', and the multiply adds the bits up in the top byte.
 */
static long count_nl(const char *p, size_t n)
{
	const uint64_t nl = UINT64_C(0x0A0A0A0A0A0A0A0A), low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
	long count = 0;
	size_t i = 0;

	for (; n - i >= sizeof(uint64_t); i += sizeof(uint64_t)) {
		uint64_t w, x;
		memcpy(&w, p + i, sizeof w);
		x = w ^ nl;
		x = ~(((x & low7) + low7) | x | low7);
		count += (long)((x >> 7) * UINT64_C(0x0101010101010101) >> 56);
	}
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}

/*
 * Physical line of the next byte libcsv will see (between calls): the lines
 * its callbacks saw end, and the '\n' of the record and field in progress.
 */
static long line_now(const csv_src *s)
{
	long n = s->at_line + s->field_nl;

	if (s->quotes && s->p.pstate != PS_ROW_NOT_BEGUN)
		n += count_nl((const char *)s->p.entry_buf, s->p.entry_pos);
	return n;
}

static void cb_fail(csv_src *s, dd_rc rc)
{
	if (s->cb_rc == DD_OK) {
		s->cb_rc = rc;
		s->cb_line = s->at_line + s->field_nl;
	}
}

static void on_field(void *field, size_t len, void *data)
{
	csv_src *s = data;
	const char *f = field;
	size_t col = s->rows.nrefs - s->rec_first;
	unsigned flags = 0;
	dd_rc rc;

	if (s->quotes)
		s->field_nl += count_nl(f, len);
	if (s->field_too_long) {
		f = s->prefix.data;
		len = s->prefix.len;
		flags = IO_TOO_LONG;
		s->field_too_long = false;
	} else if (len > DD_IO_MAX_FIELD) {
		len = io_utf8_cut(f, DD_IO_MAX_FIELD);
		flags = IO_TOO_LONG;
	}
	rc = col < IO_MAX_COLS ? io_rows_add(&s->rows, col, f, len, flags) : DD_ERR_INPUT;
	if (rc != DD_OK)
		cb_fail(s, rc);
}

/* c is the byte that ended the row (-1 at the end of the file). */
static void on_row(int c, void *data)
{
	csv_src *s = data;
	size_t n = s->rows.nrefs - s->rec_first;

	/* lines are counted on after a failure too: a later parse error must know its line */
	s->at_line += s->field_nl;
	s->field_nl = 0;
	if (s->cb_rc != DD_OK) {
		s->at_line += c == '\n';
		return;
	}
	if (io_rows_blank(&s->rows, s->rec_first, n)) {
		io_rows_truncate(&s->rows, s->rec_first);
	} else {
		if (s->qlen == s->qcap) {
			size_t cap = s->qcap ? s->qcap * 2 : 1024;
			qrow *q = realloc(s->q, cap * sizeof *q);
			if (!q) {
				cb_fail(s, DD_ERR_NOMEM);
				s->at_line += c == '\n';
				return;
			}
			s->q = q;
			s->qcap = cap;
		}
		s->q[s->qlen++] = (qrow){ .line = s->rec_line, .end_line = s->at_line, .first = s->rec_first, .n = n };
		s->rec_first = s->rows.nrefs;
	}
	if (c == '\n')
		s->rec_line = ++s->at_line;
}

/*
 * Keeps libcsv's entry buffer bounded: once the field being parsed exceeds
 * DD_IO_MAX_FIELD, its prefix is saved and the buffer emptied; on_field then
 * reports the saved prefix.  The state's invariants are kept: in
 * FIELD_MIGHT_HAVE_ENDED libcsv later drops `spaces + 1` bytes (the closing
 * quote and blanks after it), so that many must remain; they stand for the
 * quote, and the '\n' of what is dropped are counted now.
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
	if (s->quotes)
		s->field_nl += count_nl((const char *)p->entry_buf, p->entry_pos);
	keep = p->pstate == PS_FIELD_MIGHT_HAVE_ENDED ? (p->spaces ? 2 : 1) : 0;
	memset(p->entry_buf, '"', keep);
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

/* A failure on `line`: the rows that ended on it are dropped with it, as line-by-line reading lost them. */
static void drop_line(csv_src *s, long line)
{
	while (s->qlen > s->qhead && s->q[s->qlen - 1].end_line == line)
		s->qlen--;
}

static dd_rc cb_failed(csv_src *s, dd_err *err)
{
	drop_line(s, s->cb_line);
	if (s->cb_rc == DD_ERR_INPUT)
		return fail(s, DD_ERR_INPUT, err, "第%ld行：列数超过" DD_STR(IO_MAX_COLS), s->rec_line);
	return fail(s, DD_ERR_NOMEM, err, "第%ld行：内存不足", s->cb_line);
}

/* Gives seg (UTF-8, ending at a sequence boundary) to libcsv. */
static dd_rc feed(csv_src *s, const char *seg, size_t len, dd_err *err)
{
	dd_rc rc = DD_OK;
	size_t done;

	if (s->p.pstate == PS_ROW_NOT_BEGUN)
		s->rec_line = s->at_line;
	s->quotes = s->quotes || memchr(seg, '"', len) != NULL;
	done = csv_parse(&s->p, seg, len, on_field, on_row, s);
	/* a callback's failure on an earlier line came first (line by line, it was seen at that line's end) */
	if (s->cb_rc != DD_OK && (done == len || s->cb_line < line_now(s))) {
		rc = cb_failed(s, err);
		goto done;
	}
	if (done != len) {
		long at = line_now(s);
		drop_line(s, at);
		if (csv_error(&s->p) == CSV_EPARSE)
			rc = fail(s, DD_ERR_INPUT, err,
				  "第%ld行：引号使用不当（含逗号、引号或换行的字段须整体用双引号括起，其中的引号写成两个）",
				  at);
		else
			rc = fail(s, DD_ERR_NOMEM, err, "第%ld行：内存不足", at);
		goto done;
	}
	if (trim_entry(s) != DD_OK) {
		/* the line of the last byte fed (inside the field, as trim_entry only cuts a field in progress) */
		s->cb_rc = DD_ERR_NOMEM;
		s->cb_line = line_now(s) - (seg[len - 1] == '\n');
		rc = cb_failed(s, err);
		goto done;
	}
done:
	return rc;
}

/* GB18030: converts and feeds one physical line (or the part of it in this chunk). */
static dd_rc feed_gb(csv_src *s, const char *seg, size_t len, dd_err *err)
{
	dd_err cerr = { 0 };

	dd_buf_reset(&s->conv_out);
	if (dd_text_conv_feed(s->conv, seg, len, false, &s->conv_out, &cerr) != DD_OK)
		return fail(s, DD_ERR_INPUT, err, "第%ld行：既不是有效的UTF-8也不是有效的GB18030/GBK文本",
			    line_now(s));
	return s->conv_out.len ? feed(s, s->conv_out.data, s->conv_out.len, err) : DD_OK;
}

/* Reads the next chunk; the first one decides the encoding. */
static dd_rc read_chunk(csv_src *s, dd_err *err)
{
	dd_rc rc = DD_OK;
	size_t carry = s->end - s->pos;   /* at most 3 bytes of a cut sequence */
	bool first = !s->started, cut;
	size_t n, valid;

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
		s->started = true;
		s->pos = dd_text_bom_len(s->chunk, s->end);
		s->utf8 = s->pos > 0 ||
			  dd_text_is_utf8(s->chunk, s->end, !s->eof);
		s->base.encoding = s->utf8 ? "UTF-8" : "GB18030";
		if (!s->utf8 && (rc = dd_text_conv_open(&s->conv, err)) != DD_OK)
			goto done;
	}
	if (!s->utf8)
		goto done;
	/* a UTF-8 sequence cut by the chunk end waits for the next chunk */
	s->feed_end = s->eof ? s->end : s->pos + io_utf8_cut(s->chunk + s->pos, s->end - s->pos);
	valid = dd_text_utf8_valid(s->chunk + s->pos, s->feed_end - s->pos, &cut);
	if (s->pos + valid < s->feed_end) {
		/* the lines before the bad one are read first */
		const char *nl = memrchr(s->chunk + s->pos, '\n', valid);
		s->feed_end = nl ? (size_t)(nl - s->chunk) + 1 : s->pos;
		s->bad_line = true;
	}
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
			rc = fail(s, DD_ERR_INPUT, err, "第%ld行：不是有效的GB18030/GBK文本（文件在字符中间结束）",
				  line_now(s));
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

/* Feeds the input until a row is queued or the input ends. */
static dd_rc fill(csv_src *s, dd_err *err)
{
	dd_rc rc = DD_OK;

	while (s->qlen == 0 && !s->finished) {
		if (s->utf8 && s->pos < s->feed_end) {
			size_t len = s->feed_end - s->pos;
			rc = feed(s, s->chunk + s->pos, len, err);
			s->pos += len;
		} else if (s->bad_line) {
			rc = fail(s, DD_ERR_INPUT, err,
				  "第%ld行：不是有效的UTF-8文本（文件开头是UTF-8，请整个文件使用同一种编码保存）",
				  line_now(s));
		} else if (!s->utf8 && s->pos < s->end) {
			const char *seg = s->chunk + s->pos;
			const char *nl = memchr(seg, '\n', s->end - s->pos);
			size_t len = nl ? (size_t)(nl - seg) + 1 : s->end - s->pos;
			s->pos += len;
			rc = feed_gb(s, seg, len, err);
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

	if (s->qhead == s->qlen) {
		if (s->dead != DD_OK) {
			rc = dd_err_set(err, s->dead, "%s", s->dead_err.msg);
			goto done;
		}
		/* every queued row was handed out: keep only the record in progress */
		io_rows_compact(&s->rows, s->rec_first);
		s->rec_first = 0;
		s->qhead = s->qlen = 0;
		rc = fill(s, err);
		/* rows queued before a failure come first; the error (kept in s->dead) after them */
		if (s->qlen == 0) {
			rc = rc != DD_OK ? rc : DD_DONE;
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
	s->at_line = 1;
	/*
	 * STRICT: a stray quote is an error; STRICT_FINI: so is a quote left open
	 * at EOF; REPALL_NL: every line break outside quotes reaches on_row, which
	 * counts the lines
	 */
	if (csv_init(&s->p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0 ||
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
