/* test_csv.c - the CSV row source: quoting, lines, encodings, limits. */
#include "unit.h"
#include "io/io.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/dd_csv_XXXXXX";

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

/*
 * Reads every row of `path` into "line:cell|cell\n" lines (newlines in cells
 * shown as \n, CR as \r, a too-long cell as "!<length>"), then "ERR" and the
 * message if the reader failed.
 */
static dd_rc render(const char *path, dd_buf *out, dd_err *err)
{
	dd_src *src;
	dd_rawrow *row;
	dd_rc rc = dd_src_open(&src, path, err);

	if (rc != DD_OK)
		return rc;
	while ((rc = dd_src_next(src, &row, err)) == DD_OK) {
		dd_buf_printf(out, "%ld:", row->line);
		for (size_t i = 0; i < row->ncells; i++) {
			const dd_cell *c = &row->cells[i];
			if (i)
				dd_buf_putc(out, '|');
			if (c->too_long) {
				dd_buf_printf(out, "!%zu", c->len);
				continue;
			}
			for (size_t k = 0; k < c->len; k++)
				dd_buf_puts(out, c->s[k] == '\n' ? "\\n" : c->s[k] == '\r' ? "\\r"
							 : (char[]){ c->s[k], 0 });
		}
		dd_buf_putc(out, '\n');
	}
	dd_src_close(src);
	return rc;
}

#define IN(s) s, sizeof(s) - 1

static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *want;      /* rows as rendered */
	const char *want_err;  /* NULL, or a piece of the DD_ERR_INPUT message */
	const char *enc;
} cases[] = {
	{ "lf_lines", IN("a,b\n1,2\n"), "1:a|b\n2:1|2\n", NULL, "UTF-8" },
	{ "crlf_lines_same_as_lf", IN("a,b\r\n1,2\r\n"), "1:a|b\n2:1|2\n", NULL, "UTF-8" },
	{ "no_final_newline", IN("a,b\n1,2"), "1:a|b\n2:1|2\n", NULL, "UTF-8" },
	{ "utf8_bom_skipped", IN("\xEF\xBB\xBF" "户编号,b\n1,2\n"), "1:户编号|b\n2:1|2\n", NULL, "UTF-8" },
	{ "quoted_comma_and_doubled_quote", IN("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n"),
	  "1:a|b\n2:x,y|say \"hi\"\n", NULL, "UTF-8" },
	{ "embedded_newline_advances_line", IN("h\n\"l1\nl2\"\nnext\n"),
	  "1:h\n2:l1\\nl2\n4:next\n", NULL, "UTF-8" },
	{ "embedded_crlf_kept_in_field", IN("h,i\r\n\"l1\r\nl2\",x\r\nnext,y\r\n"),
	  "1:h|i\n2:l1\\r\\nl2|x\n4:next|y\n", NULL, "UTF-8" },
	{ "blank_lines_skipped_numbers_kept", IN("a\n\n\r\n\nb\n"), "1:a\n5:b\n", NULL, "UTF-8" },
	{ "all_empty_cells_row_skipped", IN("a,b\n,\n\"\",\n1,2\n"), "1:a|b\n4:1|2\n", NULL, "UTF-8" },
	{ "short_and_long_rows_kept_as_is", IN("a,b\n1\n1,2,3\n"), "1:a|b\n2:1\n3:1|2|3\n", NULL, "UTF-8" },
	{ "empty_file_has_no_rows", IN(""), "", NULL, "UTF-8" },
	{ "unterminated_quote_names_record_line", IN("a\nx\n\"abc\ndef\n"), "1:a\n2:x\n",
	  "第3行：引号未闭合", "UTF-8" },
	{ "stray_quote_in_unquoted_field", IN("a\nab\"c\n"), "1:a\n", "第2行：引号使用不当", "UTF-8" },
	{ "text_after_closing_quote", IN("a\nb\n\"ab\"c,d\n"), "1:a\n2:b\n", "第3行：引号使用不当", "UTF-8" },
	/* lines are counted from libcsv's callbacks: rows ended by a lone CR, quoted newlines */
	{ "lone_cr_rows_keep_the_line", IN("a\rb\nc\n"), "1:a\n1:b\n2:c\n", NULL, "UTF-8" },
	{ "row_after_quoted_newline_and_cr", IN("\"x\ny\",1\r2,3\n4\n"), "1:x\\ny|1\n1:2|3\n3:4\n", NULL,
	  "UTF-8" },
	{ "error_line_after_quoted_newlines", IN("h\n\"a\nb\",1\nx\"y\n"), "1:h\n2:a\\nb|1\n",
	  "第4行：引号使用不当", "UTF-8" },
	{ "row_ended_by_cr_on_the_failing_line_dropped", IN("a\nb,c\rd\"e\nf\n"), "1:a\n",
	  "第2行：引号使用不当", "UTF-8" },
	{ "bad_utf8_line_after_quoted_newlines", IN("\xEF\xBB\xBFh\n\"a\nb\"\n\xFF\n"), "1:h\n2:a\\nb\n",
	  "第4行：不是有效的UTF-8", "UTF-8" },
	{ "gbk_decoded", IN("\xD0\xD5\xC3\xFB,\xBB\xA7\xB1\xE0\xBA\xC5\r\n\"\xD5\xC5\xC8\xFD,\xC0\xEE\",H1\r\n"),
	  "1:姓名|户编号\n2:张三,李|H1\n", NULL, "GB18030" },
	{ "invalid_gb18030_refused_with_line", IN("a\nb\n\x81\x20x\n"), "1:a\n2:b\n",
	  "第3行：既不是有效的UTF-8也不是有效的GB18030", "GB18030" },
};

static void test_cases(void **state)
{
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char path[256];
		dd_buf out;
		dd_err err = { 0 };
		dd_src *src;

		snprintf(path, sizeof path, "%s/%zu.csv", dir, i);
		write_file(path, cases[i].in, cases[i].len);
		dd_buf_init(&out, 0);
		dd_rc rc = render(path, &out, &err);
		CASE_STR_EQ(out.data ? out.data : "", cases[i].want, cases[i].name);
		if (cases[i].want_err) {
			CASE_CHECK(rc == DD_ERR_INPUT, cases[i].name);
			CASE_CHECK(strstr(err.msg, cases[i].want_err) != NULL, cases[i].name);
		} else {
			CASE_CHECK(rc == DD_DONE, cases[i].name);
		}
		dd_buf_release(&out);
		assert_int_equal(dd_src_open(&src, path, &err), DD_OK);
		dd_rawrow *row;
		dd_src_next(src, &row, &err);
		CASE_STR_EQ(dd_src_encoding(src), cases[i].enc, cases[i].name);
		dd_src_close(src);
		unlink(path);
	}
}

/* Builds "h\n" + rows of 99 ASCII bytes up to `fill` bytes, then `tail`. */
static char *big_input(size_t fill, const char *tail, size_t *len)
{
	size_t tl = strlen(tail);
	char *p = malloc(fill + tl + 200);
	size_t n = 0;

	assert_non_null(p);
	memcpy(p, "h\n", 2);
	n = 2;
	while (n < fill) {
		memset(p + n, 'x', 98);
		p[n + 98] = '\n';
		n += 99;
	}
	memcpy(p + n, tail, tl);
	*len = n + tl;
	return p;
}

/*
 * The first 64 KiB decide UTF-8; a bad byte after them is an error naming
 * its line, after every row before that line was handed out.
 */
static void test_late_invalid_utf8(void **state)
{
	static const struct {
		const char *name, *tail;
		long ok_rows;    /* good rows in the tail before the bad line */
	} tails[] = {
		{ "bad_byte_mid_line", "ok 张三\nbad \xC3\x28 here\n", 1 },
		{ "bad_byte_first_on_line", "ok 张三\nok2\n\xFF\n", 2 },
		{ "file_ends_inside_a_character", "ok\nend \xE4\xB8", 1 },
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(tails); i++) {
		char path[256];
		size_t len;
		char *in = big_input(70000, tails[i].tail, &len);
		/* the tail starts on the line after the header and the fill rows */
		long want_line = 2 + (long)((len - strlen(tails[i].tail) - 2) / 99) + tails[i].ok_rows;
		dd_src *src;
		dd_rawrow *row;
		dd_err err = { 0 };
		dd_rc rc;
		long last = 0;
		char want[64];

		snprintf(path, sizeof path, "%s/late%zu.csv", dir, i);
		write_file(path, in, len);
		assert_int_equal(dd_src_open(&src, path, &err), DD_OK);
		while ((rc = dd_src_next(src, &row, &err)) == DD_OK)
			last = row->line;
		CASE_CHECK(rc == DD_ERR_INPUT, tails[i].name);
		CASE_STR_EQ(dd_src_encoding(src), "UTF-8", tails[i].name);
		CASE_CHECK(last == want_line - 1, tails[i].name);
		snprintf(want, sizeof want, "第%ld行：不是有效的UTF-8", want_line);
		CASE_CHECK(strstr(err.msg, want) != NULL, tails[i].name);
		/* the error sticks */
		CASE_CHECK(dd_src_next(src, &row, &err) == DD_ERR_INPUT, tails[i].name);
		dd_src_close(src);
		unlink(path);
		free(in);
	}
}

/* A UTF-8 character cut by the 64 KiB chunk boundary is carried over, not refused. */
static void test_utf8_across_chunks(void **state)
{
	char path[256];
	size_t n = 0, len;
	char *in = malloc(200000);
	dd_src *src;
	dd_rawrow *row;
	dd_err err = { 0 };
	size_t rows = 0;

	DD_UNUSED(state);
	assert_non_null(in);
	memcpy(in, "h\n", 2);
	n = 2;
	while (n < 190000) {          /* 7-byte rows: boundaries fall inside characters */
		memcpy(in + n, "张三\n", 7);
		n += 7;
	}
	len = n;
	snprintf(path, sizeof path, "%s/chunks.csv", dir);
	write_file(path, in, len);
	assert_int_equal(dd_src_open(&src, path, &err), DD_OK);
	while (dd_src_next(src, &row, &err) == DD_OK) {
		if (rows++ > 0) {
			assert_int_equal(row->ncells, 1);
			assert_string_equal(row->cells[0].s, "张三");
		}
	}
	assert_int_equal(err.rc, DD_OK);
	assert_int_equal(rows, 1 + (len - 2) / 7);
	dd_src_close(src);
	unlink(path);
	free(in);
}

/*
 * A chunk is given to libcsv at once: of two problems in it, the one on the
 * earlier line is reported (too many cells on line 3, a stray quote on line
 * 4), and on the same line the quote (as when lines were fed one by one).
 */
static void test_first_problem_reported(void **state)
{
	static const struct {
		const char *name;
		const char *before, *after;   /* around 16390 commas */
		const char *want;
	} probs[] = {
		{ "columns_then_quote", "h\nok\n", "\nx\"y\n", "第3行：列数超过16384" },
		{ "quote_on_the_same_line", "h\nok\na", "x\"y\n", "第3行：引号使用不当" },
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(probs); i++) {
		char path[256];
		dd_buf in, out;
		dd_err err = { 0 };

		dd_buf_init(&in, 0);
		dd_buf_init(&out, 0);
		dd_buf_puts(&in, probs[i].before);
		for (int k = 0; k < 16390; k++)
			dd_buf_putc(&in, ',');
		dd_buf_puts(&in, probs[i].after);
		snprintf(path, sizeof path, "%s/first%zu.csv", dir, i);
		write_file(path, in.data, in.len);
		CASE_CHECK(render(path, &out, &err) == DD_ERR_INPUT, probs[i].name);
		CASE_STR_EQ(out.data, "1:h\n2:ok\n", probs[i].name);
		CASE_CHECK(strstr(err.msg, probs[i].want) != NULL, probs[i].name);
		dd_buf_release(&in);
		dd_buf_release(&out);
		unlink(path);
	}
}

/* Fields at and beyond DD_IO_MAX_FIELD, including a 10 MB quoted one with newlines. */
static void test_long_fields(void **state)
{
	static const struct {
		const char *name;
		size_t size;
		bool quoted;
		bool too_long;
	} lens[] = {
		{ "exactly_max_is_kept", DD_IO_MAX_FIELD, false, false },
		{ "max_plus_one_is_too_long", DD_IO_MAX_FIELD + 1, false, true },
		{ "ten_mb_unquoted", 10u << 20, false, true },
		{ "ten_mb_quoted_with_newlines", 10u << 20, true, true },
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(lens); i++) {
		char path[256];
		size_t size = lens[i].size, n = 0;
		char *in = malloc(size + 64);
		dd_src *src;
		dd_rawrow *row;
		dd_err err = { 0 };

		assert_non_null(in);
		n += (size_t)sprintf(in, "a,b\n1,");
		if (lens[i].quoted)
			in[n++] = '"';
		for (size_t k = 0; k < size; k++)
			in[n++] = lens[i].quoted && k % 1000 == 999 ? '\n' : 'y';
		if (lens[i].quoted)
			in[n++] = '"';
		n += (size_t)sprintf(in + n, ",z\nnext,row\n");
		snprintf(path, sizeof path, "%s/long%zu.csv", dir, i);
		write_file(path, in, n);
		assert_int_equal(dd_src_open(&src, path, &err), DD_OK);
		CASE_CHECK(dd_src_next(src, &row, &err) == DD_OK, lens[i].name);
		CASE_CHECK(dd_src_next(src, &row, &err) == DD_OK, lens[i].name);
		CASE_CHECK(row->line == 2 && row->ncells == 3, lens[i].name);
		CASE_CHECK(row->cells[1].too_long == lens[i].too_long, lens[i].name);
		CASE_CHECK(row->cells[1].len == DD_MIN(size, (size_t)DD_IO_MAX_FIELD), lens[i].name);
		CASE_CHECK(row->cells[1].s[0] == 'y', lens[i].name);
		CASE_STR_EQ(row->cells[2].s, "z", lens[i].name);
		CASE_CHECK(dd_src_next(src, &row, &err) == DD_OK, lens[i].name);
		CASE_STR_EQ(row->cells[0].s, "next", lens[i].name);
		CASE_CHECK(row->line == (lens[i].quoted ? 3 + (long)(size / 1000) : 3), lens[i].name);
		CASE_CHECK(dd_src_next(src, &row, &err) == DD_DONE, lens[i].name);
		dd_src_close(src);
		unlink(path);
		free(in);
	}
}

static void test_open_errors(void **state)
{
	dd_src *src;
	dd_err err = { 0 };

	DD_UNUSED(state);
	assert_int_equal(dd_src_open(&src, "/nonexistent/x.csv", &err), DD_ERR_IO);
	assert_int_equal(dd_src_open(&src, "/tmp/x.xls", &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "不支持的文件类型"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_late_invalid_utf8),
		cmocka_unit_test(test_utf8_across_chunks),
		cmocka_unit_test(test_first_problem_reported),
		cmocka_unit_test(test_long_fields),
		cmocka_unit_test(test_open_errors),
	};
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
