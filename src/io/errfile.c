/*
 * errfile.c - <input>.errors.csv: row,column,value,reason.
 *
 * UTF-8 without a BOM, LF line ends, RFC 4180 quoting where a field needs
 * it: the file is read back by scripts and tools as often as by people, and
 * a BOM would glue itself to the first column name.  Created at the first
 * error; when a run has none, close removes the file an earlier run left, so
 * a stale list is never mistaken for the current one.
 */
#include "io_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Longest value copied into the file; the operator has the input for the rest. */
#define VALUE_MAX 200

struct dd_errfile {
	char *path;
	FILE *fp;
	dd_rc rc;                 /* first write failure, reported by close */
	size_t errors, rows;
	unsigned char *seen;      /* bit per row number: rows counted once */
	size_t seen_bytes;
};

dd_rc dd_errfile_open(dd_errfile **ef, const char *input_path, dd_err *err)
{
	dd_rc rc = DD_ERR_NOMEM;
	dd_errfile *e = calloc(1, sizeof *e);
	size_t n = strlen(input_path);

	*ef = NULL;
	if (!e || !(e->path = malloc(n + sizeof ".errors.csv"))) {
		free(e);
		dd_err_set(err, rc, "内存不足");
		goto done;
	}
	memcpy(e->path, input_path, n);
	memcpy(e->path + n, ".errors.csv", sizeof ".errors.csv");
	*ef = e;
	rc = DD_OK;
done:
	return rc;
}

/* Writes one field, quoted when it holds a comma, quote, CR, LF or edge spaces. */
static void put_field(FILE *fp, const char *s, size_t len)
{
	bool quote = len && (s[0] == ' ' || s[len - 1] == ' ');

	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		fwrite(s, 1, len, fp);
		return;
	}
	fputc('"', fp);
	for (const char *p = s, *end = s + len; p < end;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
		fwrite(p, 1, n, fp);
		if (q)
			fputc('"', fp);
		p += n;
	}
	fputc('"', fp);
}

/* Marks a row; true when it was not seen before. */
static bool mark_row(dd_errfile *ef, long row)
{
	size_t byte = (size_t)(row < 0 ? 0 : row) / 8;

	if (byte >= ef->seen_bytes) {
		size_t n = DD_MAX(byte + 1, ef->seen_bytes * 2);
		unsigned char *p = realloc(ef->seen, n);
		if (!p)
			return true;   /* counting may repeat a row; the file itself is unaffected */
		memset(p + ef->seen_bytes, 0, n - ef->seen_bytes);
		ef->seen = p;
		ef->seen_bytes = n;
	}
	unsigned char bit = (unsigned char)(1u << (row & 7));
	bool fresh = !(ef->seen[byte] & bit);
	ef->seen[byte] |= bit;
	return fresh;
}

dd_rc dd_errfile_add(dd_errfile *ef, long row, const char *column, const char *value,
		     size_t value_len, const char *reason)
{
	dd_rc rc = DD_OK;

	if (!ef)
		goto done;
	ef->errors++;
	if (mark_row(ef, row))
		ef->rows++;
	if (ef->rc != DD_OK) {
		rc = ef->rc;
		goto done;
	}
	if (!ef->fp) {
		if (!(ef->fp = fopen(ef->path, "w"))) {
			rc = ef->rc = DD_ERR_IO;
			goto done;
		}
		fputs("row,column,value,reason\n", ef->fp);
	}
	if (value_len > VALUE_MAX)
		value_len = io_utf8_cut(value, VALUE_MAX);
	fprintf(ef->fp, "%ld,", row);
	put_field(ef->fp, column, strlen(column));
	fputc(',', ef->fp);
	put_field(ef->fp, value, value_len);
	fputc(',', ef->fp);
	put_field(ef->fp, reason, strlen(reason));
	fputc('\n', ef->fp);
	if (ferror(ef->fp))
		rc = ef->rc = DD_ERR_IO;
done:
	return rc;
}

size_t dd_errfile_rows(const dd_errfile *ef)
{
	return ef ? ef->rows : 0;
}

size_t dd_errfile_errors(const dd_errfile *ef)
{
	return ef ? ef->errors : 0;
}

const char *dd_errfile_path(const dd_errfile *ef)
{
	return ef->path;
}

dd_rc dd_errfile_close(dd_errfile *ef, dd_err *err)
{
	dd_rc rc = DD_OK;

	if (!ef)
		goto done;
	if (ef->fp && fclose(ef->fp) != 0 && ef->rc == DD_OK)
		ef->rc = DD_ERR_IO;
	if (ef->rc != DD_OK)
		rc = dd_err_set(err, ef->rc, "无法写入错误清单 %s：%s", ef->path, strerror(errno));
	else if (!ef->fp && unlink(ef->path) != 0 && errno != ENOENT)
		rc = dd_err_set(err, DD_ERR_IO, "无法删除旧的错误清单 %s：%s", ef->path, strerror(errno));
	free(ef->path);
	free(ef->seen);
	free(ef);
done:
	return rc;
}
