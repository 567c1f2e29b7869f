/*
 * test_pdf.c - the printable documents: each is generated to a temp file and
 * read back with poppler (pdfinfo for the page count, pdftotext for the
 * text), so the Chinese text must be extractable and IDs masked.
 */
#include "unit.h"

#include "assess/assess.h"
#include "core/id.h"
#include "core/policy.h"
#include "report/report.h"

#include <stdlib.h>
#include <unistd.h>

/* The FORMATS.md example county: rural S 700. */
static const char policy_ini[] = "[standards.2025]\ndibao_rural_month = 700\n";

/* A valid ID from 17 digits (the check digit computed). */
static dd_id mkid(const char *first17)
{
	char s[19];
	dd_id id;
	snprintf(s, sizeof s, "%s%c", first17, dd_id_check_digit(first17));
	assert_int_equal(dd_id_parse(s, 18, &id), DD_ID_OK);
	return id;
}

/* Writes the PDF to a temp file; returns its malloc'ed path. */
static char *save(const dd_buf *pdf)
{
	char *path = strdup("/tmp/doudi-test-pdf-XXXXXX");
	int fd = mkstemp(path);
	dd_err err = { 0 };
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(dd_report_save(pdf, path, &err), DD_OK);
	return path;
}

/* Output of a shell command (malloc'ed). */
static char *run(const char *cmd)
{
	dd_buf b;
	char chunk[4096];
	size_t n;
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	dd_buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		assert_int_equal(dd_buf_append(&b, chunk, n), DD_OK);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(dd_buf_putc(&b, '\0'), DD_OK);
	return dd_buf_detach(&b, NULL);
}

static int pages_of(const char *path)
{
	char cmd[256], *out, *p;
	int pages = -1;
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	out = run(cmd);
	if ((p = strstr(out, "Pages:")))
		pages = atoi(p + strlen("Pages:"));
	free(out);
	return pages;
}

/*
 * The text of pages first..last (0, 0: all), ASCII spaces and line breaks removed (a wrapped line must still match): pdftotext
 * keeps or drops a narrow space between CJK glyphs by its own guess, so
 * needles are compared without spaces too (nospace).
 */
static char *text_of(const char *path, int first, int last)
{
	char cmd[256];
	if (first)
		snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d '%s' - | tr -d ' \\n'", first, last, path);
	else
		snprintf(cmd, sizeof cmd, "pdftotext '%s' - | tr -d ' \\n'", path);
	return run(cmd);
}

static const char *nospace(const char *s, char buf[256])
{
	size_t o = 0;
	for (; *s && o + 1 < 256; s++)
		if (*s != ' ')
			buf[o++] = *s;
	buf[o] = '\0';
	return buf;
}

/* Checks a generated PDF: header, page count, wanted and unwanted texts. */
typedef struct expect {
	const char *name;
	int pages;
	const char *has[8];
	const char *hasnt[4];
} expect;

static void check_pdf(const expect *e, const dd_buf *pdf)
{
	char *path = save(pdf), *text;

	CASE_CHECK(pdf->len > 1000 && !memcmp(pdf->data, "%PDF-", 5), e->name);
	CASE_CHECK(pages_of(path) == e->pages, e->name);
	text = text_of(path, 0, 0);
	char ns[256];

	for (size_t i = 0; i < DD_ARRAY_LEN(e->has) && e->has[i]; i++)
		if (!strstr(text, nospace(e->has[i], ns))) {
			print_error("case \"%s\": \"%s\" not in the text\n", e->name, e->has[i]);
			fail();
		}
	for (size_t i = 0; i < DD_ARRAY_LEN(e->hasnt) && e->hasnt[i]; i++)
		if (strstr(text, nospace(e->hasnt[i], ns))) {
			print_error("case \"%s\": \"%s\" is in the text\n", e->name, e->hasnt[i]);
			fail();
		}
	free(text);
	unlink(path);
	free(path);
}

/* A one-person household: the FORMATS.md example (BY at S 700), head 张三. */
typedef struct fixture {
	dd_policy policy;
	dd_household h;
	dd_member m[40];
	dd_obligor o[1];
	dd_assessment a;
	char names[40][16];
} fixture;

static fixture *fixture_new(size_t nm)
{
	fixture *fx = calloc(1, sizeof *fx);
	dd_err err = { 0 };

	assert_non_null(fx);
	assert_int_equal(dd_policy_default(&fx->policy, &err), DD_OK);
	assert_int_equal(dd_policy_parse(&fx->policy, policy_ini, "test", &err), DD_OK);
	for (size_t i = 0; i < nm; i++) {
		char d17[18];
		snprintf(d17, sizeof d17, "23030419800101%03zu", 100 + i);
		snprintf(fx->names[i], sizeof fx->names[i], i ? "李小%zu" : "张三", i);
		fx->m[i] = (dd_member){ .household_no = "H1", .name = fx->names[i], .id = mkid(d17),
					.relation = i ? "子女" : "户主", .labor = "普通劳动力", .health = "健康",
					.wage_income = -1, .work_months = -1 };
	}
	fx->h = (dd_household){ .household_no = "H1", .region_code = "230304200203", .hukou = DD_HUKOU_RURAL,
				.head_id = fx->m[0].id.text, .address = "滴道河乡某村 1 组 8 号",
				.phone = "13812345678", .wage_income = 1200000, .medical_self_paid = 300000,
.categories = DD_CAT_BY, .risk_types = "因病;因残",
				.is_tuopin = -1, .whole_no_labor = 0, .housing_unsafe = 1, .dropout = 0,
				.water_unsafe = 0, .uninsured = 0, .recognized_on = DD_DATE_NONE,
				.exited_on = DD_DATE_NONE, .survey_summary = "户主长期患病，家中无其他收入来源。" };
	fx->o[0] = (dd_obligor){ .household_no = "H1", .name = "王五", .relation = "子女",
				 .monthly_income = 250000, .id_number = fx->m[0].id.text, .phone = "13900001111" };
	return fx;
}

static void assess_fx(fixture *fx, size_t nm)
{
	dd_err err = { 0 };
	assert_int_equal(dd_assess(&fx->policy, &fx->h, fx->m, nm, NULL, 0, D("2025-06-01"), &fx->a, &err),
			 DD_OK);
}

static void test_decision(void **state)
{
	fixture *fx = fixture_new(1);
	dd_buf pdf;
	dd_err err = { 0 };
	char masked[19];
	DD_UNUSED(state);

	assess_fx(fx, 1);
	assert_int_equal(fx->a.category, DD_CAT_BY);
	dd_id_mask(fx->m[0].id.text, masked);
	dd_buf_init(&pdf, 0);

	/* the computed result, as `doudi print assessment` prints it */
	dd_report_decision prop = { &fx->h, fx->m, 1, &fx->a, 0, true, false, NULL, NULL, NULL, NULL, D("2025-06-01") };
	assert_int_equal(dd_report_decision_pdf(&prop, &pdf, &err), DD_OK);
	expect e1 = { "proposed BY: category, trace with numbers, masked ID, page 1 of 1", 1,
		      { "拟认定为：最低生活保障边缘家庭", "一次申请、分类审核认定", "8400.00", masked,
			"第 1 页 共 1 页", "2025年6月1日", "滴道河乡人民政府" },
		      { fx->m[0].id.text, "不服" } };
	check_pdf(&e1, &pdf);

	/* a manual override: decided DB against the computed BY */
	dd_buf_reset(&pdf);
	dd_report_decision over = { &fx->h, fx->m, 1, &fx->a, DD_CAT_DB, false, false, NULL, "户主新近确诊重病",
				    "滴道河乡人民政府", "滴民救〔2025〕7号", D("2025-07-01") };
	assert_int_equal(dd_report_decision_pdf(&over, &pdf, &err), DD_OK);
	expect e2 = { "override DB over computed BY: both categories and the reason, 2 pages", 2,
		      { "认定该户为最低生活保障对象", "人工认定说明", "系统核算结果：最低生活保障边缘家庭",
			"户主新近确诊重病", "滴民救〔2025〕7号", "审核确认机关：滴道河乡人民政府" },
		      { fx->m[0].id.text, "拟认定" } };
	check_pdf(&e2, &pdf);

	/* refusals: an override without reason, a rejection without reason */
	dd_buf_reset(&pdf);
	over.override_reason = NULL;
	assert_int_equal(dd_report_decision_pdf(&over, &pdf, &err), DD_ERR_INPUT);
	assert_int_equal(pdf.len, 0);
	dd_report_decision rej = { &fx->h, fx->m, 1, &fx->a, 0, false, false, NULL, NULL, NULL, NULL, D("2025-07-01") };
	assert_int_equal(dd_report_decision_pdf(&rej, &pdf, &err), DD_ERR_INPUT);
	rej.reason = "家庭金融资产超过认定标准";
	assert_int_equal(dd_report_decision_pdf(&rej, &pdf, &err), DD_OK);
	expect e3 = { "rejection with reason (the reason also explains the override), 2 pages", 2,
		      { "不予认定。理由：家庭金融资产超过认定标准", "人工认定说明" },
		      { fx->m[0].id.text } };
	check_pdf(&e3, &pdf);

	/* an exit: the recorded category ends, with the reason; neither a rejection nor an override */
	dd_buf_reset(&pdf);
	fx->h.categories = DD_CAT_DB;
	dd_report_decision ex = { .h = &fx->h, .m = fx->m, .nm = 1, .a = &fx->a, .exit = true,
				  .date = D("2025-08-01") };
	assert_int_equal(dd_report_decision_pdf(&ex, &pdf, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "退出须写明理由"));
	ex.proposed = true;
	ex.reason = "家庭收入已稳定超过低保标准";
	assert_int_equal(dd_report_decision_pdf(&ex, &pdf, &err), DD_ERR_USAGE);
	ex.proposed = false;
	assert_int_equal(pdf.len, 0);
	assert_int_equal(dd_report_decision_pdf(&ex, &pdf, &err), DD_OK);
	expect e4 = { "exit from DB: 退出, 终止救助, the reason; no rejection, no override", 1,
		      { "该户退出最低生活保障对象，终止救助。退出理由：家庭收入已稳定超过低保标准",
			"低收入人口审核确认决定书（退出）", "一次申请、分类审核认定", "不服" },
		      { fx->m[0].id.text, "不予认定", "人工认定说明", "拟认定" } };
	check_pdf(&e4, &pdf);
	dd_buf_release(&pdf);
	free(fx);
}

static void test_form1(void **state)
{
	fixture *fx = fixture_new(40);
	dd_buf pdf;
	dd_err err = { 0 };
	char masked[19], *path, *page2;
	DD_UNUSED(state);

	dd_id_mask(fx->m[39].id.text, masked);
	fx->h.business_income = 1234567;
	dd_buf_init(&pdf, 0);
	dd_report_form1 f = { &fx->h, fx->m, 40, fx->o, 1, "赵六", D("2025-06-01") };
	assert_int_equal(dd_report_form1_pdf(&f, &pdf, &err), DD_OK);
	expect e = { "40 members: every section, grouped money, masked IDs and phones, 4 pages", 4,
		     { "基础信息", "赡养（抚养、扶养）义务人", "12,345.67 元", "138****5678", masked,
		       "三保障和饮水", "因病、因残", "第 4 页 共 4 页" },
		     { fx->m[39].id.text, "13812345678", "13900001111" } };
	check_pdf(&e, &pdf);

	/* the members table continues on page 2 under its repeated header */
	path = save(&pdf);
	page2 = text_of(path, 2, 2);
	CASE_CHECK(strstr(page2, "身份证号码") && strstr(page2, "劳动能力"), "header repeated on page 2");
	free(page2);
	unlink(path);
	free(path);
	dd_buf_release(&pdf);
	free(fx);
}

static void test_application(void **state)
{
	dd_buf pdf;
	dd_err err = { 0 };
	uint32_t needs = 0;
	dd_id id = mkid("23030419800101123");
	char masked[19];
	DD_UNUSED(state);

	dd_id_mask(id.text, masked);
	assert_int_equal(dd_report_needs_parse("医疗救助；临时救助, 社会服务类救助\n其他", &needs, &err), DD_OK);
	assert_int_equal(needs, (1u << 9) | (1u << 2) | (1u << 17) | (1u << 18));
	assert_int_equal(dd_report_needs_parse("医疗救助;发钱", &needs, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "发钱"));
	assert_int_equal(dd_report_needs_parse("医疗救助;临时救助;其他", &needs, &err), DD_OK);

	dd_buf_init(&pdf, 0);
	dd_report_application ap = { "A2025-001", "230304200203", "张三", id.text, 3, DD_HUKOU_RURAL,
				     "滴道河乡某村", "滴道河乡某村 1 组", "13812345678", "窗口",
				     "户主患病住院，家庭收入骤减。", needs, "代缴取暖费", D("2025-06-01") };
	assert_int_equal(dd_report_application_pdf(&ap, &pdf, &err), DD_OK);
	expect e = { "application: chosen needs ticked, others open, ID and phone masked", 1,
		     { "☑ 医疗救助", "☑ 临时救助", "☐ 最低生活保障", "☑ 其他：代缴取暖费", masked, "138****5678",
		       "户主患病住院" },
		     { id.text, "13812345678" } };
	check_pdf(&e, &pdf);
	ap.needs = 1u << DD_REPORT_NNEEDS;
	assert_int_equal(dd_report_application_pdf(&ap, &pdf, &err), DD_ERR_USAGE);
	dd_buf_release(&pdf);
}

static void test_notice(void **state)
{
	static dd_report_notice_row rows[70];
	static char ids[70][19];
	dd_buf pdf;
	dd_err err = { 0 };
	char masked[19], *path, *page2;
	DD_UNUSED(state);

	/* 69 rows of village ...203 and, given in between, one of village ...201 */
	for (size_t i = 0; i < 70; i++) {
		char d17[18];
		snprintf(d17, sizeof d17, "23030419700101%03zu", i);
		snprintf(ids[i], sizeof ids[i], "%s", mkid(d17).text);
		rows[i] = (dd_report_notice_row){ i == 5 ? "230304200201" : "230304200203", "H", "张小三", ids[i],
						  i % 2 ? DD_CAT_DB : DD_CAT_TK | DD_CAT_DB, 3 };
	}
	rows[5].name = "欧阳小明";
	dd_id_mask(ids[5], masked);
	dd_buf_init(&pdf, 0);
	dd_report_notice n = { "230304200", rows, 70, D("2025-06-01"), D("2025-06-07"), NULL, DD_DATE_NONE };
	assert_int_equal(dd_report_notice_pdf(&n, &pdf, &err), DD_OK);
	expect e = { "two villages, the second of 69 rows over three pages: masked names and IDs", 4,
		     { "张**", "欧***", masked, "特困人员", "最低生活保障对象", "2025年6月1日至2025年6月7日",
		       "第 4 页 共 4 页" },
		     { "张小三", "欧阳小明", ids[5], "特困人员、" } };
	check_pdf(&e, &pdf);

	/* village ...201 (code order) is page 1; ...203 starts on page 2 */
	path = save(&pdf);
	page2 = text_of(path, 1, 1);
	CASE_CHECK(strstr(page2, "欧***") && !strstr(page2, "张**"), "first village alone on page 1");
	free(page2);
	page2 = text_of(path, 4, 4);
	CASE_CHECK(strstr(page2, "户主姓名") && strstr(page2, "张**") && strstr(page2, "69"),
		   "table header repeated on page 4 above the last row");
	free(page2);
	unlink(path);
	free(path);

	n.to = D("2025-05-31");
	assert_int_equal(dd_report_notice_pdf(&n, &pdf, &err), DD_ERR_INPUT);
	dd_buf_release(&pdf);
}

static void test_name_mask(void **state)
{
	static const struct {
		const char *name, *in;
		size_t cap;
		const char *want;
	} cases[] = {
		{ "two characters keep the surname", "张三", 32, "张*" },
		{ "three characters", "张小三", 32, "张**" },
		{ "compound surname shows one character", "欧阳小明", 32, "欧***" },
		{ "one character is kept", "李", 32, "李" },
		{ "empty", "", 32, "" },
		{ "NULL prints empty", NULL, 32, "" },
		{ "ASCII name", "Li Lei", 32, "L*****" },
		{ "cap 4 holds the surname only", "张三", 4, "张" },
		{ "cap 3 cannot hold the surname: empty", "张三", 3, "" },
		{ "cap 5 holds one star", "张小三", 5, "张*" },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		char out[32];
		dd_report_name_mask(cases[i].in, out, cases[i].cap);
		CASE_STR_EQ(out, cases[i].want, cases[i].name);
	}
	DD_UNUSED(state);
}

static void test_category_zh(void **state)
{
	DD_UNUSED(state);
	assert_string_equal(dd_report_category_zh(DD_CAT_TK | DD_CAT_DB), "特困人员");
	assert_string_equal(dd_report_category_zh(DD_CAT_GZ), "刚性支出困难家庭");
	assert_string_equal(dd_report_category_zh(0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decision),    cmocka_unit_test(test_form1),
		cmocka_unit_test(test_application), cmocka_unit_test(test_notice),
		cmocka_unit_test(test_name_mask),   cmocka_unit_test(test_category_zh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
