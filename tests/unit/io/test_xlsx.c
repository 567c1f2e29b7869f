/* test_xlsx.c - the XLSX row source: strings, numbers as Excel shows them, dates, gaps. */
#include "unit.h"
#include "io/io.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

static char dir[] = "/tmp/dd_xlsx_XXXXXX";

/* Rows as "line:cell|cell\n"; a number cell is suffixed '#', a date-styled one (a number too) '#@'. */
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
			dd_buf_printf(out, "%s%s%s%s", i ? "|" : "", c->s,
				      c->is_number ? "#" : "", c->is_date_style ? "@" : "");
		}
		dd_buf_putc(out, '\n');
	}
	dd_src_close(src);
	return rc;
}

static void check_render(const char *path, const char *want, const char *name)
{
	dd_buf out;
	dd_err err = { 0 };

	dd_buf_init(&out, 0);
	dd_rc rc = render(path, &out, &err);
	if (rc != DD_DONE)
		print_error("%s: %s\n", name, err.msg);
	CASE_CHECK(rc == DD_DONE, name);
	CASE_STR_EQ(out.data ? out.data : "", want, name);
	dd_buf_release(&out);
}

/* What libxlsxwriter writes, with shared strings (default) or inline strings (constant memory). */
static void test_xlsxwriter_workbook(void **state)
{
	static const struct {
		const char *name;
		bool constant_memory;
	} modes[] = {
		{ "shared_strings", false },
		{ "inline_strings", true },
	};
	static const char want[] =
		"1:姓名|数字|日期|身份证号\n"
		"2:张三|12#|45658#@|1.10105199001011E+17#\n"
		"3:a||c\n"
		"5:1234.5#|0.3#|TRUE|110105900101123#\n"
		"6:||-0.05#|1E-12#\n"
		"7:\"q\" <&>|100000000000000#|2025-01-01|1#@\n";

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(modes); i++) {
		char path[256];
		lxw_workbook_options opt = { .constant_memory = modes[i].constant_memory };
		snprintf(path, sizeof path, "%s/w%zu.xlsx", dir, i);
		lxw_workbook *wb = workbook_new_opt(path, &opt);
		lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
		lxw_format *date = workbook_add_format(wb);
		lxw_format *builtin = workbook_add_format(wb);
		lxw_datetime d = { 2025, 1, 1, 0, 0, 0 };

		format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
		format_set_num_format_index(builtin, 14);
		worksheet_write_string(ws, 0, 0, "姓名", NULL);
		worksheet_write_string(ws, 0, 1, "数字", NULL);
		worksheet_write_string(ws, 0, 2, "日期", NULL);
		worksheet_write_string(ws, 0, 3, "身份证号", NULL);
		worksheet_write_string(ws, 1, 0, "张三", NULL);
		worksheet_write_number(ws, 1, 1, 12, NULL);
		worksheet_write_datetime(ws, 1, 2, &d, date);
		worksheet_write_number(ws, 1, 3, 110105199001011234.0, NULL);
		worksheet_write_string(ws, 2, 0, "a", NULL);
		worksheet_write_string(ws, 2, 2, "c", NULL);
		/* row 4 (index 3) left empty */
		worksheet_write_number(ws, 4, 0, 1234.5, NULL);
		worksheet_write_number(ws, 4, 1, 0.1 + 0.2, NULL);
		worksheet_write_boolean(ws, 4, 2, 1, NULL);
		worksheet_write_number(ws, 4, 3, 110105900101123.0, NULL);
		worksheet_write_number(ws, 5, 2, -0.05, NULL);
		worksheet_write_number(ws, 5, 3, 1e-12, NULL);
		worksheet_write_string(ws, 6, 0, "\"q\" <&>", NULL);
		worksheet_write_number(ws, 6, 1, 1e14, NULL);
		worksheet_write_string(ws, 6, 2, "2025-01-01", NULL);
		worksheet_write_number(ws, 6, 3, 1, builtin);
		assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
		check_render(path, want, modes[i].name);
		unlink(path);
	}
}

typedef struct part {
	const char *name;
	const char *xml;
} part;

static void write_zip(const char *path, const part *parts, size_t n)
{
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
	assert_non_null(zf);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(zipOpenNewFileInZip(zf, parts[i].name, NULL, NULL, 0, NULL, 0, NULL,
						     Z_DEFLATED, Z_DEFAULT_COMPRESSION), ZIP_OK);
		assert_int_equal(zipWriteInFileInZip(zf, parts[i].xml, (unsigned)strlen(parts[i].xml)), ZIP_OK);
		assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
	}
	assert_int_equal(zipClose(zf, NULL), ZIP_OK);
}

#define WB(pr) \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" pr \
	"<sheets><sheet name=\"数据\" sheetId=\"7\" r:id=\"rId3\"/><sheet name=\"x\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS                                                                                             \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"           \
	"<Relationship Id=\"rId1\" Type=\"ws\" Target=\"worksheets/sheet1.xml\"/>"                        \
	"<Relationship Id=\"rId3\" Type=\"ws\" Target=\"/xl/worksheets/data.xml\"/></Relationships>"
#define STYLES                                                                                 \
	"<styleSheet><numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"&quot;day&quot;0\"/>" \
	"<numFmt numFmtId=\"165\" formatCode=\"[$-804]yyyy/m/d;@\"/></numFmts>"                   \
	"<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"                                       \
	"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>"
#define SHEET                                                                                          \
	"<worksheet><sheetData>"                                                                       \
	"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c>"                             \
	"<c r=\"B1\" t=\"inlineStr\"><is><r><t>富</t></r><r><rPr/><t xml:space=\"preserve\">文本 </t></r>" \
	"<rPh><t>フ</t></rPh></is></c></row>"                                                        \
	"<row><c t=\"str\"><f>A1</f><v>公式</v></c><c t=\"e\"><v>#N/A</v></c><c s=\"1\"><v>7</v></c></row>" \
	"<row r=\"9\"><c r=\"C9\" s=\"2\"><v>45658.75</v></c><c r=\"A9\" s=\"3\"><v>0</v></c></row>"    \
	"<row r=\"10\"><c r=\"B10\" t=\"inlineStr\"><is><t></t></is></c></row>"                       \
	"</sheetData></worksheet>"

/* Hand-written parts: inline strings, rich runs, phonetic runs, formulas, rels to a named sheet. */
static void test_handmade(void **state)
{
	static const struct {
		const char *name;
		part parts[4];
		size_t nparts;
		const char *want;
		bool date1904;
	} cases[] = {
		{ "rels_pick_first_sheet_inline_and_rich_text",
		  { { "xl/workbook.xml", WB("") }, { "xl/_rels/workbook.xml.rels", RELS },
		    { "xl/styles.xml", STYLES }, { "xl/worksheets/data.xml", SHEET } }, 4,
		  "1:名称|富文本 \n2:公式|#N/A|7#\n9:0#@||45658.75#@\n", false },
		{ "date1904_flag_read",
		  { { "xl/workbook.xml", WB("<workbookPr date1904=\"1\"/>") }, { "xl/_rels/workbook.xml.rels", RELS },
		    { "xl/worksheets/data.xml", "<worksheet><sheetData><row r=\"2\"><c><v>1</v></c></row></sheetData></worksheet>" } },
		  3, "2:1#\n", true },
		{ "no_workbook_falls_back_to_sheet1",
		  { { "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c r=\"B1\"><v>3.50</v></c></row></sheetData></worksheet>" } },
		  1, "1:|3.5#\n", false },
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char path[256];
		dd_src *src;
		dd_err err = { 0 };

		snprintf(path, sizeof path, "%s/h%zu.xlsx", dir, i);
		write_zip(path, cases[i].parts, cases[i].nparts);
		check_render(path, cases[i].want, cases[i].name);
		assert_int_equal(dd_src_open(&src, path, &err), DD_OK);
		CASE_CHECK(dd_src_date1904(src) == cases[i].date1904, cases[i].name);
		dd_src_close(src);
		unlink(path);
	}
}

/* Malformed workbooks are input errors with a message, never crashes. */
static void test_bad_files(void **state)
{
	static const struct {
		const char *name;
		part parts[2];
		size_t nparts;
		const char *want_err;
	} cases[] = {
		{ "no_sheet", { { "xl/other.xml", "<a/>" } }, 1, "找不到第一个工作表" },
		{ "bad_shared_string_index",
		  { { "xl/worksheets/sheet1.xml",
		      "<worksheet><sheetData><row r=\"4\"><c t=\"s\"><v>5</v></c></row></sheetData></worksheet>" } },
		  1, "第4行：XLSX文件损坏：共享字符串编号无效" },
		{ "broken_xml", { { "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>" } }, 1, "XLSX文件损坏" },
		{ "column_beyond_xfd",
		  { { "xl/worksheets/sheet1.xml",
		      "<worksheet><sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>" } },
		  1, "单元格位置无效" },
		{ "doctype_refused",
		  { { "xl/worksheets/sheet1.xml",
		      "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData/></worksheet>" } },
		  1, "DOCTYPE" },
	};

	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char path[256];
		dd_buf out;
		dd_err err = { 0 };

		snprintf(path, sizeof path, "%s/b%zu.xlsx", dir, i);
		write_zip(path, cases[i].parts, cases[i].nparts);
		dd_buf_init(&out, 0);
		CASE_CHECK(render(path, &out, &err) == DD_ERR_INPUT, cases[i].name);
		CASE_CHECK(strstr(err.msg, cases[i].want_err) != NULL, cases[i].name);
		dd_buf_release(&out);
		unlink(path);
	}
}

static void test_not_a_zip(void **state)
{
	char path[256];
	dd_src *src;
	dd_err err = { 0 };
	FILE *fp;

	DD_UNUSED(state);
	snprintf(path, sizeof path, "%s/plain.XLSX", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("a,b\n", fp);
	fclose(fp);
	assert_int_equal(dd_src_open(&src, path, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "不是有效的XLSX文件"));
	unlink(path);
	assert_int_equal(dd_src_open(&src, path, &err), DD_ERR_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlsxwriter_workbook),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_not_a_zip),
	};
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
