/*
 * form1.c - 附件1 低收入人口信息采集表, filled from a registry household
 * (DOMAIN.md §3.1), in the sections the caseworkers know from the web form
 * (UI.md): 基础信息, 家庭成员, 赡养义务人, 收支情况, 三保障和饮水,
 * 类别与风险, 调查综述.
 */
#include "../core/dd.h"
#include "report_int.h"

#include <string.h>

/* "因病;因残" as people write it: "因病、因残". */
static const char *list_zh(doc *d, const char *s)
{
	const char *out = "";
	size_t n;

	for (s = rp_s(s); *s; s += n + (s[n] == ';')) {
		n = strcspn(s, ";");
		if (n)
			out = rp_printf(d, "%s%s%.*s", out, *out ? "、" : "", (int)n, s);
	}
	return out;
}

/* Every category of bits in Chinese, "、"-joined. */
static const char *categories_zh(doc *d, unsigned bits)
{
	const char *out = "";
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
		if (bits & dd_categories[i].bit)
			out = rp_printf(d, "%s%s%s", out, *out ? "、" : "", dd_categories[i].zh);
	return out;
}

static const char *date_or_empty(doc *d, dd_date v)
{
	char b[11];
	if (v == DD_DATE_NONE)
		return "";
	dd_date_format(v, b);
	return rp_printf(d, "%s", b);
}

static const char *head_name(const dd_report_form1 *f)
{
	for (size_t i = 0; i < f->nm; i++)
		if (f->h->head_id && !strcmp(f->m[i].id.text, f->h->head_id))
			return f->m[i].name;
	return "";
}

static void basics(doc *d, const dd_report_form1 *f)
{
	const dd_household *h = f->h;
	const char *kv[] = {
		"户编号", rp_s(h->household_no), "户主姓名", rp_s(head_name(f)),
		"户主身份证号", rp_id(d, h->head_id), "户籍类型", rp_hukou(h->hukou),
		"家庭人口", rp_printf(d, "%zu 人", f->nm), "联系电话", rp_phone(d, h->phone),
		"区县", rp_region_name(d, h->region_code, 6), "乡镇（街道）", rp_region_name(d, h->region_code, 9),
		"村（社区）", rp_region_name(d, h->region_code, 12), "区划代码", rp_s(h->region_code),
		"家庭住址", rp_s(h->address),
	};
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
}

static const char *disability(doc *d, const dd_member *m)
{
	if (m->disability_grade <= 0)
		return rp_s(m->disability_type);
	return rp_printf(d, "%s%d级", rp_s(m->disability_type), m->disability_grade);
}

static const char *work_place(doc *d, const dd_member *m)
{
	return rp_printf(d, "%s%s%s%s", rp_s(m->work_province), rp_s(m->work_city), rp_s(m->work_county),
			 rp_s(m->work_township));
}

static void members(doc *d, const dd_report_form1 *f)
{
	static const rp_col who[] = {
		{ "序号", 0.04, PANGO_ALIGN_CENTER, false }, { "姓名", 0.08, PANGO_ALIGN_CENTER, false },
		{ "性别", 0.04, PANGO_ALIGN_CENTER, false }, { "与户主关系", 0.07, PANGO_ALIGN_CENTER, false },
		{ "身份证号码", 0.19, PANGO_ALIGN_CENTER, false }, { "民族", 0.05, PANGO_ALIGN_CENTER, false },
		{ "政治面貌", 0.07, PANGO_ALIGN_CENTER, false }, { "文化程度", 0.07, PANGO_ALIGN_CENTER, false },
		{ "在校情况", 0.07, PANGO_ALIGN_CENTER, false }, { "健康状况", 0.08, PANGO_ALIGN_CENTER, false },
		{ "劳动能力", 0.12, PANGO_ALIGN_CENTER, false }, { "残疾类别等级", 0.12, PANGO_ALIGN_CENTER, false },
	};
	static const rp_col cover[] = {
		{ "序号", 0.05, PANGO_ALIGN_CENTER, false }, { "姓名", 0.09, PANGO_ALIGN_CENTER, false },
		{ "居民医保", 0.06, PANGO_ALIGN_CENTER, false }, { "职工医保", 0.06, PANGO_ALIGN_CENTER, false },
		{ "大病保险", 0.06, PANGO_ALIGN_CENTER, false }, { "居民养老", 0.06, PANGO_ALIGN_CENTER, false },
		{ "职工养老", 0.06, PANGO_ALIGN_CENTER, false }, { "特困人员", 0.06, PANGO_ALIGN_CENTER, false },
		{ "享受低保", 0.06, PANGO_ALIGN_CENTER, false }, { "孤儿保障", 0.06, PANGO_ALIGN_CENTER, false },
		{ "个人工资收入", 0.10, PANGO_ALIGN_RIGHT, false }, { "务工地点", 0.12, PANGO_ALIGN_CENTER, false },
		{ "务工月数", 0.06, PANGO_ALIGN_CENTER, false }, { "联系电话", 0.10, PANGO_ALIGN_CENTER, false },
	};
	static const rp_table t1 = { who, DD_ARRAY_LEN(who), true, 8.0 };
	static const rp_table t2 = { cover, DD_ARRAY_LEN(cover), true, 8.0 };

	rp_table_begin(d, &t1);
	for (size_t i = 0; i < f->nm; i++) {
		const dd_member *m = &f->m[i];
		const char *row[] = {
			rp_printf(d, "%zu", i + 1), rp_s(m->name), rp_s(m->gender), rp_s(m->relation),
			rp_id(d, m->id.text), rp_s(m->ethnicity), rp_s(m->political), rp_s(m->education),
			rp_s(m->student_status), rp_s(m->health), rp_s(m->labor), disability(d, m),
		};
		rp_table_row(d, row);
	}
	rp_table_end(d);
	rp_table_begin(d, &t2);
	for (size_t i = 0; i < f->nm; i++) {
		const dd_member *m = &f->m[i];
		const char *row[] = {
			rp_printf(d, "%zu", i + 1), rp_s(m->name), rp_yesno(m->ins_resident_medical),
			rp_yesno(m->ins_employee_medical), rp_yesno(m->ins_critical_illness),
			rp_yesno(m->ins_resident_pension), rp_yesno(m->ins_employee_pension),
			rp_yesno(m->is_tekun), rp_yesno(m->is_dibao), rp_yesno(m->orphan_guarantee),
			rp_money(d, m->wage_income), work_place(d, m),
			m->work_months >= 0 ? rp_printf(d, "%d", m->work_months) : "", rp_phone(d, m->phone),
		};
		rp_table_row(d, row);
	}
	rp_table_end(d);
}

static void obligors(doc *d, const dd_report_form1 *f)
{
	static const rp_col cols[] = {
		{ "序号", 0.05, PANGO_ALIGN_CENTER, false }, { "姓名", 0.10, PANGO_ALIGN_CENTER, false },
		{ "与申请人关系", 0.10, PANGO_ALIGN_CENTER, false }, { "婚姻状况", 0.08, PANGO_ALIGN_CENTER, false },
		{ "健康状况", 0.09, PANGO_ALIGN_CENTER, false }, { "职业", 0.10, PANGO_ALIGN_CENTER, false },
		{ "月收入", 0.12, PANGO_ALIGN_RIGHT, false }, { "身份证号码", 0.22, PANGO_ALIGN_CENTER, false },
		{ "联系电话", 0.14, PANGO_ALIGN_CENTER, false },
	};
	static const rp_table t = { cols, DD_ARRAY_LEN(cols), true, 8.0 };

	rp_table_begin(d, &t);
	for (size_t i = 0; i < f->no; i++) {
		const dd_obligor *o = &f->o[i];
		const char *row[] = {
			rp_printf(d, "%zu", i + 1), rp_s(o->name), rp_s(o->relation), rp_s(o->marital),
			rp_s(o->health), rp_s(o->occupation), rp_money(d, o->monthly_income),
			rp_id(d, o->id_number), rp_phone(d, o->phone),
		};
		rp_table_row(d, row);
	}
	if (!f->no) {
		const char *row[] = { "无", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
		rp_table_row(d, row);
	}
	rp_table_end(d);
}

static void money(doc *d, const dd_report_form1 *f)
{
	const dd_household *h = f->h;
	const char *kv[] = {
		"工资性收入", rp_money(d, h->wage_income), "生产经营性收入", rp_money(d, h->business_income),
		"财产性收入", rp_money(d, h->property_income), "转移性收入", rp_money(d, h->transfer_income),
		"理赔收入", rp_money(d, h->insurance_payout), "生产经营性支出", rp_money(d, h->business_expense),
		"合规自付医疗支出", rp_money(d, h->medical_self_paid), "教育支出", rp_money(d, h->education_expense),
		"康复支出", rp_money(d, h->rehab_expense), "金融资产", rp_money(d, h->fin_assets),
		"车辆价值", rp_money(d, h->vehicle_value),
	};
	rp_text(d, "收入为近 12 个月合计，支出为近 12 个月家庭实际负担部分。", RP_SMALL, false, PANGO_ALIGN_LEFT);
	d->y += 3.0;
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
}

static void guarantees(doc *d, const dd_report_form1 *f)
{
	const dd_household *h = f->h;
	const char *kv[] = {
		"住房安全问题", rp_yesno(h->housing_unsafe), "义务教育阶段失学辍学", rp_yesno(h->dropout),
		"饮水安全问题", rp_yesno(h->water_unsafe), "有成员未参加基本医疗保险", rp_yesno(h->uninsured),
	};
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
}

static void categories(doc *d, const dd_report_form1 *f)
{
	const dd_household *h = f->h;
	const char *kv[] = {
		"低收入人口类别", categories_zh(d, h->categories), "认定日期", date_or_empty(d, h->recognized_on),
		"防止返贫监测对象", rp_s(h->fp_subtype), "是否脱贫户", rp_yesno(h->is_tuopin),
		"整户无劳动能力", rp_yesno(h->whole_no_labor), "退出日期", date_or_empty(d, h->exited_on),
		"风险类型", list_zh(d, h->risk_types),
	};
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
}

static void summary(doc *d, const dd_report_form1 *f)
{
	rp_text(d, f->h->survey_summary && *f->h->survey_summary ? f->h->survey_summary : "（无）", RP_BODY,
		false, PANGO_ALIGN_LEFT);
}

static dd_rc build(doc *d, const void *input)
{
	static const struct {
		const char *title;
		void (*fill)(doc *d, const dd_report_form1 *f);
	} sections[] = {
		{ "基础信息", basics }, { "家庭成员", members }, { "赡养（抚养、扶养）义务人", obligors },
		{ "收支情况", money }, { "三保障和饮水", guarantees }, { "类别与风险", categories },
		{ "调查综述", summary },
	};
	const dd_report_form1 *f = input;
	int k = 0;

	d->running = "附件1 低收入人口信息采集表";
	rp_text(d, "附件1", RP_BODY, true, PANGO_ALIGN_LEFT);
	rp_title(d, "低收入人口信息采集表");
	for (size_t i = 0; i < DD_ARRAY_LEN(sections); i++) {
		rp_section(d, &k, sections[i].title);
		sections[i].fill(d, f);
	}
	rp_need(d, 70.0);
	d->y += 24.0;
	rp_text(d, rp_printf(d, "采集人：%s    被采集人（签字）：____________    采集日期：%s",
			     f->collector && *f->collector ? f->collector : "____________", rp_date_zh(d, f->date)),
		RP_BODY, false, PANGO_ALIGN_RIGHT);
	return DD_OK;
}

dd_rc dd_report_form1_pdf(const dd_report_form1 *f, dd_buf *out, dd_err *err)
{
	if (!f->h || (f->nm && !f->m) || (f->no && !f->o))
		return dd_err_set(err, DD_ERR_USAGE, "信息采集表缺少户或成员");
	return rp_run(build, f, "低收入人口信息采集表", f->date, out, err);
}
