/* test_errfile.c - <input>.errors.csv: lazy creation, quoting, truncation, stale files, counts. */
#include "unit.h"
#include "io/io.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/dd_errfile_XXXXXX";

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

typedef struct add {
	long row;
	const char *column, *value, *reason;
} add;

static const struct {
	const char *name;
	add adds[3];
	size_t nadds;
	const char *want;      /* whole file, NULL: no file */
	size_t rows;
} cases[] = {
	{ "no_errors_no_file", { { 0 } }, 0, NULL, 0 },
	{ "plain_fields_unquoted", { { 2, "amount", "12.345", "金额最多两位小数" } }, 1,
	  "row,column,value,reason\n2,amount,12.345,金额最多两位小数\n", 1 },
	{ "comma_quote_newline_quoted_rfc4180", { { 3, "note", "a,\"b\"\nc", "原因" } }, 1,
	  "row,column,value,reason\n3,note,\"a,\"\"b\"\"\nc\",原因\n", 1 },
	{ "edge_spaces_quoted", { { 4, "note", " x ", "r" } }, 1, "row,column,value,reason\n4,note,\" x \",r\n", 1 },
	{ "whole_row_error_empty_column", { { 5, "", "", "整行有误" } }, 1, "row,column,value,reason\n5,,,整行有误\n", 1 },
	{ "rows_counted_once_in_any_order", { { 7, "a", "1", "r" }, { 2, "b", "2", "r" }, { 7, "c", "3", "r" } }, 3,
	  "row,column,value,reason\n7,a,1,r\n2,b,2,r\n7,c,3,r\n", 2 },
};

static void test_cases(void **state)
{
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char input[256], path[300];
		dd_errfile *ef;
		dd_err err = { 0 };
		FILE *fp;

		snprintf(input, sizeof input, "%s/in%zu.csv", dir, i);
		snprintf(path, sizeof path, "%s.errors.csv", input);
		/* a list left by an earlier run must not survive this one */
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs("stale\n", fp);
		fclose(fp);
		assert_int_equal(dd_errfile_open(&ef, input, &err), DD_OK);
		CASE_STR_EQ(dd_errfile_path(ef), path, cases[i].name);
		for (size_t k = 0; k < cases[i].nadds; k++) {
			const add *a = &cases[i].adds[k];
			CASE_CHECK(dd_errfile_add(ef, a->row, a->column, a->value, strlen(a->value), a->reason) == DD_OK,
				   cases[i].name);
		}
		CASE_CHECK(dd_errfile_rows(ef) == cases[i].rows, cases[i].name);
		CASE_CHECK(dd_errfile_errors(ef) == cases[i].nadds, cases[i].name);
		CASE_CHECK(dd_errfile_close(ef, &err) == DD_OK, cases[i].name);
		const char *got = slurp(path);
		if (cases[i].want) {
			CASE_CHECK(got != NULL, cases[i].name);
			CASE_STR_EQ(got, cases[i].want, cases[i].name);
		} else {
			CASE_CHECK(got == NULL, cases[i].name);
		}
		unlink(path);
	}
}

/* Values are cut to 200 bytes, never inside a UTF-8 character. */
static void test_value_truncated(void **state)
{
	static const struct {
		const char *name;
		const char *unit;
		size_t count;
		size_t want_len;
	} cases_t[] = {
		{ "ascii_cut_at_200", "a", 300, 200 },
		{ "ascii_200_kept", "a", 200, 200 },
		{ "chinese_cut_at_198", "张", 100, 198 },   /* 3-byte characters: 66 fit */
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases_t); i++) {
		char input[256], path[300], value[1024] = "", want[1400];
		dd_errfile *ef;
		dd_err err = { 0 };

		for (size_t k = 0; k < cases_t[i].count; k++)
			strcat(value, cases_t[i].unit);
		snprintf(input, sizeof input, "%s/v%zu.csv", dir, i);
		snprintf(path, sizeof path, "%s.errors.csv", input);
		assert_int_equal(dd_errfile_open(&ef, input, &err), DD_OK);
		assert_int_equal(dd_errfile_add(ef, 9, "note", value, strlen(value), "太长"), DD_OK);
		assert_int_equal(dd_errfile_close(ef, &err), DD_OK);
		snprintf(want, sizeof want, "row,column,value,reason\n9,note,%.*s,太长\n", (int)cases_t[i].want_len, value);
		CASE_STR_EQ(slurp(path), want, cases_t[i].name);
		unlink(path);
	}
}

static void test_unwritable(void **state)
{
	dd_errfile *ef;
	dd_err err = { 0 };

	DD_UNUSED(state);
	assert_int_equal(dd_errfile_open(&ef, "/nonexistent/dir/in.csv", &err), DD_OK);
	assert_int_equal(dd_errfile_add(ef, 2, "a", "b", 1, "r"), DD_ERR_IO);
	assert_int_equal(dd_errfile_close(ef, &err), DD_ERR_IO);
	assert_non_null(strstr(err.msg, "无法写入错误清单"));
	/* NULL collector: errors are dropped */
	assert_int_equal(dd_errfile_add(NULL, 2, "a", "b", 1, "r"), DD_OK);
	assert_int_equal(dd_errfile_close(NULL, &err), DD_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_value_truncated),
		cmocka_unit_test(test_unwritable),
	};
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
