/* test_table.c - header mapping, typed parsing per dd_ftype, and the errors they record. */
#include "unit.h"
#include "io/io.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

static char dir[] = "/tmp/dd_table_XXXXXX";

static const char *const cats[] = { "TK|特困人员|特困", "DB|低保", NULL };
static const char *const relations[] = { "head|户主", "spouse|配偶", NULL };

static const dd_column cols[] = {
	{ .key = "household_no", .zh = "户编号", .type = DD_T_TEXT, .required = true },
	{ .key = "id_number", .zh = "身份证号|证件号码", .type = DD_T_ID, .required = true },
	{ .key = "amount", .zh = "金额", .type = DD_T_MONEY },
	{ .key = "born", .zh = "出生日期", .type = DD_T_DATE },
	{ .key = "month", .zh = "所属月份", .type = DD_T_MONTH },
	{ .key = "flag", .zh = "是否特困", .type = DD_T_BOOL },
	{ .key = "grade", .zh = "残疾等级", .type = DD_T_INT, .min = 1, .max = 4 },
	{ .key = "cats", .zh = "类别", .type = DD_T_LIST, .choices = cats },
	{ .key = "relation", .zh = "与户主关系", .type = DD_T_ENUM, .choices = relations },
	{ .key = "note", .zh = "备注", .type = DD_T_TEXT },
};
static const dd_schema feed = { .name = "feed", .cols = cols, .ncols = DD_ARRAY_LEN(cols) };
static const dd_schema registry = { .name = "registry", .cols = cols, .ncols = DD_ARRAY_LEN(cols),
				    .id_keep_bad_check = true };

#define HEADER "户编号,ID_Number,amount,出生日期,month,是否特困,grade,类别,relation,备注\n"

static void write_file(const char *path, const char *data)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(data, fp);
	fclose(fp);
}

/* The error file's content after the header line, or "-" when there is no file. */
static char *errors_of(const char *input)
{
	char path[300];
	static char buf[4096];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof path, "%s.errors.csv", input);
	if (!(fp = fopen(path, "rb")))
		return strcpy(buf, "-");
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	unlink(path);
	const char *body = strchr(buf, '\n');
	assert_true(strncmp(buf, "row,column,value,reason\n", 24) == 0);
	memmove(buf, body + 1, strlen(body + 1) + 1);
	return buf;
}

/* One value as text: the parsed number for typed columns, the text otherwise. */
static void show(const dd_column *c, const dd_value *v, char *out, size_t n)
{
	char d[11];

	if (!v->present) {
		snprintf(out, n, "absent");
		return;
	}
	switch (c->type) {
	case DD_T_MONEY:
		snprintf(out, n, "%lld", (long long)v->v.fen);
		break;
	case DD_T_DATE:
		dd_date_format(v->v.date, d);
		snprintf(out, n, "%s=%s", d, v->text);
		break;
	case DD_T_MONTH:
		dd_month_format(v->v.month, d);
		snprintf(out, n, "%s=%s", d, v->text);
		break;
	case DD_T_BOOL:
		snprintf(out, n, "%d", v->v.b);
		break;
	case DD_T_INT:
		snprintf(out, n, "%ld", v->v.i);
		break;
	case DD_T_ID:
		snprintf(out, n, "%s%s", v->text, v->id_bad_check ? " bad_check" : "");
		break;
	default:
		snprintf(out, n, "%s", v->text);
	}
}

#define ID_OK "110105198001010016"
#define ROW(hh, id, amount, born, month, flag, grade, cats, rel, note) \
	hh "," id "," amount "," born "," month "," flag "," grade "," cats "," rel "," note "\n"
#define GOOD(...) ROW("H1", ID_OK, "1", "2025-01-31", "2025-01", "是", "1", "TK", "户主", __VA_ARGS__)

static const struct {
	const char *name;
	const dd_schema *schema;
	const char *row;      /* line 2 of the file */
	const char *key;      /* column to look at */
	const char *want;     /* its value as shown */
	const char *errors;   /* error file lines, "-" for no file */
} typed[] = {
	{ "money_two_decimals_to_fen", &feed, ROW("H1", ID_OK, "12.5", "", "", "", "", "", "", ""), "amount", "1250", "-" },
	{ "money_third_decimal_rejected", &feed, ROW("H1", ID_OK, "12.345", "", "", "", "", "", "", ""), "amount",
	  "absent", "2,amount,12.345,金额最多两位小数\n" },
	{ "date_dashes", &feed, ROW("H1", ID_OK, "", "2025-01-31", "", "", "", "", "", ""), "born", "2025-01-31=2025-01-31", "-" },
	{ "date_slashes", &feed, ROW("H1", ID_OK, "", "2025/01/31", "", "", "", "", "", ""), "born", "2025-01-31=2025/01/31", "-" },
	{ "date_compact", &feed, ROW("H1", ID_OK, "", "20250131", "", "", "", "", "", ""), "born", "2025-01-31=20250131", "-" },
	{ "date_feb_30_rejected", &feed, ROW("H1", ID_OK, "", "2025-02-30", "", "", "", "", "", ""), "born", "absent",
	  "2,born,2025-02-30,日期无效（应为存在的日期，格式YYYY-MM-DD）\n" },
	{ "month_ok", &feed, ROW("H1", ID_OK, "", "", "2025-12", "", "", "", "", ""), "month", "2025-12=2025-12", "-" },
	{ "month_13_rejected", &feed, ROW("H1", ID_OK, "", "", "2025-13", "", "", "", "", ""), "month", "absent",
	  "2,month,2025-13,月份无效（应为YYYY-MM）\n" },
	{ "bool_shi", &feed, ROW("H1", ID_OK, "", "", "", "是", "", "", "", ""), "flag", "1", "-" },
	{ "bool_fou", &feed, ROW("H1", ID_OK, "", "", "", "否", "", "", "", ""), "flag", "0", "-" },
	{ "bool_upper_Y", &feed, ROW("H1", ID_OK, "", "", "", "Y", "", "", "", ""), "flag", "1", "-" },
	{ "bool_False_any_case", &feed, ROW("H1", ID_OK, "", "", "", "False", "", "", "", ""), "flag", "0", "-" },
	{ "bool_zero", &feed, ROW("H1", ID_OK, "", "", "", "0", "", "", "", ""), "flag", "0", "-" },
	{ "bool_other_rejected", &feed, ROW("H1", ID_OK, "", "", "", "maybe", "", "", "", ""), "flag", "absent",
	  "2,flag,maybe,应为是或否\n" },
	{ "int_digits", &feed, ROW("H1", ID_OK, "", "", "", "", "3", "", "", ""), "grade", "3", "-" },
	{ "int_chinese_grade", &feed, ROW("H1", ID_OK, "", "", "", "", "二级", "", "", ""), "grade", "2", "-" },
	{ "int_chinese_numeral", &feed, ROW("H1", ID_OK, "", "", "", "", "四", "", "", ""), "grade", "4", "-" },
	{ "int_digit_grade", &feed, ROW("H1", ID_OK, "", "", "", "", "1级", "", "", ""), "grade", "1", "-" },
	{ "int_above_max_rejected", &feed, ROW("H1", ID_OK, "", "", "", "", "5", "", "", ""), "grade", "absent",
	  "2,grade,5,超出范围（1～4）\n" },
	{ "int_below_min_rejected", &feed, ROW("H1", ID_OK, "", "", "", "", "0", "", "", ""), "grade", "absent",
	  "2,grade,0,超出范围（1～4）\n" },
	{ "int_not_a_number", &feed, ROW("H1", ID_OK, "", "", "", "", "2.5", "", "", ""), "grade", "absent",
	  "2,grade,2.5,应为整数\n" },
	{ "list_separators_and_names_normalised", &feed, ROW("H1", ID_OK, "", "", "", "", "", "\"特困、DB；tk, 低保\"", "", ""),
	  "cats", "TK;DB;TK;DB", "-" },
	{ "list_empty_items_dropped", &feed, ROW("H1", ID_OK, "", "", "", "", "", ";DB;;", "", ""), "cats", "DB", "-" },
	{ "list_unknown_item_rejected", &feed, ROW("H1", ID_OK, "", "", "", "", "", "TK;XX", "", ""), "cats", "absent",
	  "2,cats,TK;XX,不是可选的值（可选：特困人员、低保）\n" },
	{ "enum_chinese_to_code", &feed, ROW("H1", ID_OK, "", "", "", "", "", "", "配偶", ""), "relation", "spouse", "-" },
	{ "enum_code_any_case", &feed, ROW("H1", ID_OK, "", "", "", "", "", "", "HEAD", ""), "relation", "head", "-" },
	{ "enum_unknown_rejected_value_quoted", &feed, ROW("H1", ID_OK, "", "", "", "", "", "", "\"父,母\"", ""), "relation",
	  "absent", "2,relation,\"父,母\",不是可选的值（可选：户主、配偶）\n" },
	{ "text_trimmed_incl_ideographic_space", &feed, ROW("H1", ID_OK, "", "", "", "", "", "", "", "\" x \t\xE3\x80\x80\""),
	  "note", "x", "-" },
	{ "id_valid", &feed, ROW("H1", ID_OK, "", "", "", "", "", "", "", ""), "id_number", ID_OK, "-" },
	{ "id_lower_x_normalised", &feed, ROW("H1", "11010519491231002x", "", "", "", "", "", "", "", ""), "id_number",
	  "11010519491231002X", "-" },
	{ "id_bad_check_rejected_in_feed", &feed, ROW("H1", "110105198001010017", "", "", "", "", "", "", "", ""),
	  "id_number", "absent", "2,id_number,110105198001010017,身份证号校验位错误\n" },
	{ "id_bad_check_kept_in_registry", &registry, ROW("H1", "110105198001010017", "", "", "", "", "", "", "", ""),
	  "id_number", "110105198001010017 bad_check", "-" },
	{ "id_bad_length_rejected_in_registry", &registry, ROW("H1", "11010519800101001", "", "", "", "", "", "", "", ""),
	  "id_number", "absent", "2,id_number,11010519800101001,身份证号长度应为18位\n" },
	{ "required_empty", &feed, ROW("  ", ID_OK, "", "", "", "", "", "", "", ""), "household_no", "absent",
	  "2,household_no,,必填项为空\n" },
	{ "required_cell_missing_in_short_row", &feed, "H1\n", "id_number", "absent", "2,id_number,,必填项为空\n" },
	{ "optional_empty_is_absent", &feed, GOOD(""), "note", "absent", "-" },
	{ "extra_nonempty_cell_is_row_error", &feed, "H1," ID_OK ",,,,,,,,,surplus\n", "household_no", "H1",
	  "2,,,该行的单元格比表头多（有值的单元格没有列名）\n" },
	{ "extra_empty_cells_ignored", &feed, "H1," ID_OK ",,,,,,,,,,\n", "household_no", "H1", "-" },
	{ "several_errors_one_row", &feed, ROW("", "123", "x", "", "", "", "", "", "", ""), "amount", "absent",
	  "2,household_no,,必填项为空\n2,id_number,123,身份证号长度应为18位\n2,amount,x,金额格式错误\n" },
};

static void test_typed_cases(void **state)
{
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(typed); i++) {
		char path[256], got[128], data[1024];
		dd_table *t;
		dd_errfile *ef;
		dd_row *row;
		dd_err err = { 0 };
		int col = dd_schema_index(typed[i].schema, typed[i].key);

		snprintf(path, sizeof path, "%s/t%zu.csv", dir, i);
		snprintf(data, sizeof data, HEADER "%s", typed[i].row);
		write_file(path, data);
		assert_int_equal(dd_errfile_open(&ef, path, &err), DD_OK);
		CASE_CHECK(dd_table_open(&t, path, typed[i].schema, ef, &err) == DD_OK, typed[i].name);
		CASE_CHECK(dd_table_next(t, &row, &err) == DD_OK, typed[i].name);
		CASE_CHECK(row->line == 2, typed[i].name);
		CASE_CHECK(col >= 0, typed[i].name);
		show(&cols[col], &row->values[col], got, sizeof got);
		CASE_STR_EQ(got, typed[i].want, typed[i].name);
		CASE_CHECK((row->nerrors == 0) == (strcmp(typed[i].errors, "-") == 0), typed[i].name);
		CASE_CHECK(dd_table_next(t, &row, &err) == DD_DONE, typed[i].name);
		dd_table_close(t);
		CASE_CHECK(dd_errfile_close(ef, &err) == DD_OK, typed[i].name);
		CASE_STR_EQ(errors_of(path), typed[i].errors, typed[i].name);
		unlink(path);
	}
}

static void test_header(void **state)
{
	static const struct {
		const char *name;
		const char *file;
		const char *want_err;   /* NULL: opens */
	} cases[] = {
		{ "english_keys_any_case_and_spaces", " HOUSEHOLD_NO ,Id_Number\n", NULL },
		{ "chinese_labels_and_alternative", "证件号码,户编号,备注\n", NULL },
		{ "bom_before_header", "\xEF\xBB\xBF户编号,身份证号\n", NULL },
		{ "empty_header_cells_allowed", "户编号,,身份证号,\n", NULL },
		{ "unknown_columns_all_named", "户编号,foo,身份证号,名 字\n", "未知的列：foo、名 字" },
		{ "missing_required_named", "身份证号,备注\n", "缺少必填列：户编号(household_no)" },
		{ "missing_two_required", "备注\n", "缺少必填列：户编号(household_no)、身份证号(id_number)" },
		{ "duplicate_by_key_and_label", "户编号,household_no,身份证号\n", "重复的列：户编号(household_no)" },
		{ "problems_reported_together", "foo,户编号,户编号\n",
		  "未知的列：foo；重复的列：户编号(household_no)；缺少必填列：身份证号(id_number)" },
		{ "empty_file", "", "文件为空" },
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char path[256];
		dd_table *t = NULL;
		dd_err err = { 0 };

		snprintf(path, sizeof path, "%s/h%zu.csv", dir, i);
		write_file(path, cases[i].file);
		dd_rc rc = dd_table_open(&t, path, &feed, NULL, &err);
		if (cases[i].want_err) {
			CASE_CHECK(rc == DD_ERR_INPUT && t == NULL, cases[i].name);
			if (strcmp(cases[i].name, "empty_file") == 0)
				CASE_CHECK(strstr(err.msg, cases[i].want_err) != NULL, cases[i].name);
			else
				CASE_STR_EQ(err.msg, cases[i].want_err, cases[i].name);
		} else {
			CASE_CHECK(rc == DD_OK, cases[i].name);
			CASE_CHECK(dd_table_has(t, 0) && dd_table_has(t, 1), cases[i].name);
			CASE_CHECK(!dd_table_has(t, 2), cases[i].name);
			dd_table_close(t);
		}
		unlink(path);
	}
}

/* A value under an empty header cell or beyond the header is a row error; blanks there are not. */
static void test_unnamed_cells(void **state)
{
	char path[256];
	dd_table *t;
	dd_errfile *ef;
	dd_row *row;
	dd_err err = { 0 };
	size_t rows = 0;

	DD_UNUSED(state);
	snprintf(path, sizeof path, "%s/unnamed.csv", dir);
	write_file(path, "户编号,,身份证号,\nH1,x," ID_OK ",\nH2,," ID_OK ",  \nH3, ," ID_OK ",,y\nH4,," ID_OK "\n");
	assert_int_equal(dd_errfile_open(&ef, path, &err), DD_OK);
	assert_int_equal(dd_table_open(&t, path, &feed, ef, &err), DD_OK);
	while (dd_table_next(t, &row, &err) == DD_OK)
		rows++;
	dd_table_close(t);
	assert_int_equal(rows, 4);
	assert_int_equal(dd_errfile_close(ef, &err), DD_OK);
	assert_string_equal(errors_of(path), "2,,,该行的单元格比表头多（有值的单元格没有列名）\n"
					     "4,,,该行的单元格比表头多（有值的单元格没有列名）\n");
	unlink(path);
}

/* Too long cells, caller errors, errors counted per row. */
static void test_row_errors(void **state)
{
	char path[256];
	size_t big = DD_IO_MAX_FIELD + 10;
	char *data = malloc(big + 200);
	dd_table *t;
	dd_errfile *ef;
	dd_row *row;
	dd_err err = { 0 };
	size_t n;

	DD_UNUSED(state);
	assert_non_null(data);
	n = (size_t)sprintf(data, "户编号,身份证号,备注\nH1," ID_OK ",");
	memset(data + n, 'z', big);
	n += big;
	n += (size_t)sprintf(data + n, "\nH2," ID_OK ",ok\n");
	data[n] = '\0';
	snprintf(path, sizeof path, "%s/rows.csv", dir);
	write_file(path, data);
	assert_int_equal(dd_errfile_open(&ef, path, &err), DD_OK);
	assert_int_equal(dd_table_open(&t, path, &feed, ef, &err), DD_OK);
	assert_int_equal(dd_table_next(t, &row, &err), DD_OK);
	assert_int_equal(row->nerrors, 1);
	assert_false(row->values[9].present);
	assert_int_equal(dd_table_next(t, &row, &err), DD_OK);
	assert_int_equal(row->nerrors, 0);
	assert_int_equal(dd_table_row_error(t, row, 0, "户编号重复"), DD_OK);
	assert_int_equal(dd_table_row_error(t, row, -1, "整行有误"), DD_OK);
	assert_int_equal(row->nerrors, 2);
	assert_int_equal(dd_table_next(t, &row, &err), DD_DONE);
	dd_table_close(t);
	assert_int_equal(dd_errfile_rows(ef), 2);
	assert_int_equal(dd_errfile_errors(ef), 3);
	assert_int_equal(dd_errfile_close(ef, &err), DD_OK);
	/* the too-long value is cut to 200 bytes in the file */
	char want[600];
	snprintf(want, sizeof want, "2,note,%.*s,字段超过65536字节\n3,household_no,H2,户编号重复\n3,,,整行有误\n",
		 200, data + strlen("户编号,身份证号,备注\nH1," ID_OK ","));
	assert_string_equal(errors_of(path), want);
	unlink(path);
	free(data);
}

static void write_zip(const char *path, const char *name, const char *xml)
{
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(zf);
	assert_int_equal(zipOpenNewFileInZip(zf, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6), ZIP_OK);
	assert_int_equal(zipWriteInFileInZip(zf, xml, (unsigned)strlen(xml)), ZIP_OK);
	assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
	if (strcmp(name, "xl/worksheets/sheet1.xml") != 0) {
		static const char wb[] = "<workbook><workbookPr date1904=\"true\"/><sheets><sheet r:id=\"r1\"/></sheets></workbook>";
		static const char rels[] = "<Relationships><Relationship Id=\"r1\" Target=\"worksheets/s.xml\"/></Relationships>";
		static const char st[] = "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
		const char *parts[][2] = { { "xl/workbook.xml", wb }, { "xl/_rels/workbook.xml.rels", rels },
					   { "xl/styles.xml", st } };
		for (size_t i = 0; i < DD_ARRAY_LEN(parts); i++) {
			assert_int_equal(zipOpenNewFileInZip(zf, parts[i][0], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6), ZIP_OK);
			assert_int_equal(zipWriteInFileInZip(zf, parts[i][1], (unsigned)strlen(parts[i][1])), ZIP_OK);
			assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
		}
	}
	assert_int_equal(zipClose(zf, NULL), ZIP_OK);
}

/* XLSX cells through the typed layer: date serials (1900 quirks, 1904), IDs stored as numbers. */
static void test_xlsx_typed(void **state)
{
	static const struct {
		const char *name;
		double serial;     /* written with a date format into born (and note: shown as a date) */
		const char *born;
	} dates[] = {
		{ "serial_1_is_1900_01_01", 1, "1900-01-01=1900-01-01" },
		{ "serial_59_is_1900_02_28", 59, "1900-02-28=1900-02-28" },
		{ "serial_60_phantom_feb_29_rejected", 60, "absent" },
		{ "serial_61_is_1900_03_01", 61, "1900-03-01=1900-03-01" },
		{ "serial_45658_is_2025_01_01", 45658, "2025-01-01=2025-01-01" },
		{ "serial_time_of_day_dropped", 45658.75, "2025-01-01=2025-01-01" },
	};
	char path[256];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *df;
	dd_table *t;
	dd_errfile *ef;
	dd_row *row;
	dd_err err = { 0 };
	char got[128];

	DD_UNUSED(state);
	snprintf(path, sizeof path, "%s/typed.xlsx", dir);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, NULL);
	df = workbook_add_format(wb);
	format_set_num_format(df, "yyyy-mm-dd");
	worksheet_write_string(ws, 0, 0, "户编号", NULL);
	worksheet_write_string(ws, 0, 1, "身份证号", NULL);
	worksheet_write_string(ws, 0, 2, "出生日期", NULL);
	worksheet_write_string(ws, 0, 3, "备注", NULL);
	worksheet_write_string(ws, 0, 4, "所属月份", NULL);
	worksheet_write_string(ws, 0, 5, "金额", NULL);
	for (size_t i = 0; i < DD_ARRAY_LEN(dates); i++) {
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 0, (double)i + 1, NULL);
		worksheet_write_string(ws, (lxw_row_t)(i + 1), 1, ID_OK, NULL);
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 2, dates[i].serial, df);
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 3, dates[i].serial, df);
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 4, dates[i].serial, df);
		worksheet_write_number(ws, (lxw_row_t)(i + 1), 5, 1234.5, NULL);
	}
	/* IDs stored as numbers: 18 digits cannot be trusted, 15 digits can */
	worksheet_write_number(ws, 20, 0, 20, NULL);
	worksheet_write_number(ws, 20, 1, 110105198001010016.0, NULL);
	worksheet_write_number(ws, 21, 0, 21, NULL);
	worksheet_write_number(ws, 21, 1, 110105800101001.0, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	assert_int_equal(dd_errfile_open(&ef, path, &err), DD_OK);
	assert_int_equal(dd_table_open(&t, path, &feed, ef, &err), DD_OK);
	for (size_t i = 0; i < DD_ARRAY_LEN(dates); i++) {
		CASE_CHECK(dd_table_next(t, &row, &err) == DD_OK, dates[i].name);
		CASE_CHECK(row->line == (long)i + 2, dates[i].name);
		show(&cols[3], &row->values[3], got, sizeof got);
		CASE_STR_EQ(got, dates[i].born, dates[i].name);
		CASE_CHECK(row->values[0].text[0] == (char)('1' + i), dates[i].name);
		if (row->values[3].present) {
			/* a date cell in a text column reads as Excel shows it; a month column takes its month */
			CASE_CHECK(strncmp(row->values[9].text, dates[i].born, 10) == 0, dates[i].name);
			CASE_CHECK(strncmp(row->values[4].text, dates[i].born, 7) == 0, dates[i].name);
		}
		CASE_CHECK(row->values[2].v.fen == 123450, dates[i].name);
	}
	assert_int_equal(dd_table_next(t, &row, &err), DD_OK);
	assert_int_equal(row->line, 21);
	assert_false(row->values[1].present);
	assert_int_equal(dd_table_next(t, &row, &err), DD_OK);
	assert_int_equal(row->line, 22);
	assert_string_equal(row->values[1].text, "110105198001010016");
	assert_int_equal(dd_table_next(t, &row, &err), DD_DONE);
	dd_table_close(t);
	assert_int_equal(dd_errfile_close(ef, &err), DD_OK);
	assert_string_equal(errors_of(path),
			    "4,born,60,Excel日期无效\n4,month,60,Excel日期无效\n4,note,60,Excel日期无效\n"
			    "21,id_number,1.1010519800101E+17,身份证号以数字格式保存，Excel只保留15位有效数字，无法信任\n");
	unlink(path);

	/* the 1904 system counts from 1904-01-01 */
	snprintf(path, sizeof path, "%s/d1904.xlsx", dir);
	write_zip(path, "xl/worksheets/s.xml",
		  "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>户编号</t></is></c>"
		  "<c t=\"inlineStr\"><is><t>身份证号</t></is></c><c t=\"inlineStr\"><is><t>born</t></is></c></row>"
		  "<row r=\"2\"><c><v>1</v></c><c t=\"inlineStr\"><is><t>" ID_OK "</t></is></c><c s=\"1\"><v>44196</v></c></row>"
		  "</sheetData></worksheet>");
	assert_int_equal(dd_table_open(&t, path, &feed, NULL, &err), DD_OK);
	assert_int_equal(dd_table_next(t, &row, &err), DD_OK);
	show(&cols[3], &row->values[3], got, sizeof got);
	assert_string_equal(got, "2025-01-01=2025-01-01");
	dd_table_close(t);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typed_cases),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_unnamed_cells),
		cmocka_unit_test(test_row_errors),
		cmocka_unit_test(test_xlsx_typed),
	};
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
