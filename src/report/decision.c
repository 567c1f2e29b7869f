/*
 * decision.c - 审核确认决定书: the result, the members, and the
 * "一次申请、分类审核认定" trace of every category in priority order
 * (DOMAIN.md §2, §3.2, §3.4).
 */
#include "../core/dd.h"
#include "report_int.h"

#include <string.h>

/* The head: the member holding head_id, else relation 户主, else the first. */
static const dd_member *head_of(const dd_household *h, const dd_member *m, size_t nm)
{
	for (size_t i = 0; i < nm; i++)
		if (h->head_id && !strcmp(m[i].id.text, h->head_id))
			return &m[i];
	for (size_t i = 0; i < nm; i++)
		if (m[i].relation && !strcmp(m[i].relation, "户主"))
			return &m[i];
	return nm ? &m[0] : NULL;
}

/* "张三（230304********1234）、李四（…）" of the members TK (single = false) or single-person DB. */
static const char *member_list(doc *d, const dd_report_decision *in, bool single)
{
	const char *s = "";
	for (size_t i = 0; i < in->nm; i++) {
		const dd_assess_member *am = &in->a->members[i];
		if (single ? !am->single_db : am->tk != DD_TK_YES)
			continue;
		s = rp_printf(d, "%s%s%s（%s）", s, *s ? "、" : "", rp_s(in->m[i].name),
			      rp_id(d, in->m[i].id.text));
	}
	return s;
}

static void household_grid(doc *d, const dd_report_decision *in)
{
	const dd_household *h = in->h;
	const dd_member *head = head_of(h, in->m, in->nm);
	const char *kv[] = {
		"区县", rp_region_name(d, h->region_code, 6),
		"乡镇（街道）", rp_region_name(d, h->region_code, 9),
		"村（社区）", rp_region_name(d, h->region_code, 12),
		"户编号", rp_s(h->household_no),
		"户主", head ? rp_s(head->name) : "",
		"户籍类型", rp_hukou(h->hukou),
		"家庭人口", rp_printf(d, "%zu 人", in->nm),
		"保障人口", rp_printf(d, "%d 人（不含特困人员）", in->a->f.n),
		"家庭住址", rp_s(h->address),
	};
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
}

static void result(doc *d, const dd_report_decision *in, unsigned cat)
{
	const char *tk = member_list(d, in, false), *single = member_list(d, in, true);

	if (in->proposed && cat)
		rp_text(d, rp_printf(d, "经按现行政策核算，该户拟认定为：%s。本文书为拟认定结果，须经村（社区）"
					"评议、入户调查、公示并由审核确认机关决定后生效。",
				     dd_report_category_zh(cat)), RP_BODY, false, PANGO_ALIGN_LEFT);
	else if (in->proposed)
		rp_text(d, "经按现行政策核算，该户不符合特困人员、最低生活保障对象、最低生活保障边缘家庭和"
			   "刚性支出困难家庭的认定条件，拟不予认定。本文书为拟认定结果，须由审核确认机关决定后生效。",
			RP_BODY, false, PANGO_ALIGN_LEFT);
	else if (in->exit)
		rp_text(d, rp_printf(d, "经申请、家庭经济状况核对、入户调查和公示，本机关决定：该户退出%s，终止救助。退出理由：%s",
				     *dd_report_category_zh(in->h->categories) ? dd_report_category_zh(in->h->categories)
									       : "低收入人口",
				     rp_s(in->reason)), RP_BODY, false, PANGO_ALIGN_LEFT);
	else if (cat)
		rp_text(d, rp_printf(d, "经申请、家庭经济状况核对、入户调查和公示，本机关决定：认定该户为%s。",
				     dd_report_category_zh(cat)), RP_BODY, false, PANGO_ALIGN_LEFT);
	else
		rp_text(d, rp_printf(d, "经申请、家庭经济状况核对、入户调查和公示，本机关决定：不予认定。理由：%s",
				     rp_s(in->reason)), RP_BODY, false, PANGO_ALIGN_LEFT);
	if (*tk)
		rp_text(d, rp_printf(d, "其中特困人员：%s。", tk), RP_BODY, false, PANGO_ALIGN_LEFT);
	if (*single)
		rp_text(d, rp_printf(d, "参照单人户纳入最低生活保障：%s。", single), RP_BODY, false,
			PANGO_ALIGN_LEFT);
	if (in->a->fp_candidate)
		rp_text(d, rp_printf(d, "防止返贫监测：%s（由农业农村部门认定）。", in->a->fp_why), RP_BODY, false,
			PANGO_ALIGN_LEFT);
}

static void members(doc *d, const dd_report_decision *in)
{
	static const rp_col cols[] = {
		{ "序号", 0.07, PANGO_ALIGN_CENTER, false }, { "姓名", 0.12, PANGO_ALIGN_CENTER, false },
		{ "与户主关系", 0.12, PANGO_ALIGN_CENTER, false }, { "身份证号码", 0.24, PANGO_ALIGN_CENTER, false },
		{ "年龄", 0.07, PANGO_ALIGN_CENTER, false }, { "健康状况", 0.12, PANGO_ALIGN_CENTER, false },
		{ "劳动能力", 0.12, PANGO_ALIGN_CENTER, false }, { "认定情况", 0.14, PANGO_ALIGN_CENTER, false },
	};
	static const rp_table t = { cols, DD_ARRAY_LEN(cols), true, RP_SMALL };

	rp_table_begin(d, &t);
	for (size_t i = 0; i < in->nm; i++) {
		const dd_member *m = &in->m[i];
		const dd_assess_member *am = &in->a->members[i];
		const char *row[] = {
			rp_printf(d, "%zu", i + 1), rp_s(m->name), rp_s(m->relation), rp_id(d, m->id.text),
			rp_printf(d, "%d", am->age), rp_s(m->health), rp_s(m->labor),
			am->tk == DD_TK_YES ? "特困人员" : am->single_db ? "参照单人户低保" : "—",
		};
		rp_table_row(d, row);
	}
	rp_table_end(d);
}

static void trace(doc *d, const dd_report_decision *in)
{
	static const rp_col cols[] = {
		{ "顺序", 0.07, PANGO_ALIGN_CENTER, false }, { "类别", 0.17, PANGO_ALIGN_CENTER, false },
		{ "结果", 0.09, PANGO_ALIGN_CENTER, false }, { "审核情况（核算依据）", 0.67, PANGO_ALIGN_LEFT, false },
	};
	static const rp_table t = { cols, DD_ARRAY_LEN(cols), true, RP_SMALL };
	const dd_assess_figures *f = &in->a->f;
	const char *kv[] = {
		"家庭总收入 G", rp_money(d, f->G), "家庭纯收入 N", rp_money(d, f->N),
		"就业成本扣减 E", rp_money(d, f->E), "核算收入 A", rp_money(d, f->A),
		"保障人口 n", rp_printf(d, "%d 人", f->n), "低保标准 S", rp_printf(d, "%s/月", rp_money(d, f->S)),
		"家庭人口 m", rp_printf(d, "%d 人", f->m), "标准年度", rp_printf(d, "%d 年", f->year),
	};

	rp_text(d, "按照“一次申请、分类审核认定”，依特困人员、最低生活保障对象、最低生活保障边缘家庭、"
		   "刚性支出困难家庭、其他低收入人口的顺序逐类审核，每一类的审核情况如下（金额为年度合计）：",
		RP_BODY, false, PANGO_ALIGN_LEFT);
	d->y += 4.0;
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
	rp_table_begin(d, &t);
	for (size_t i = 0; i < DD_ARRAY_LEN(in->a->trace); i++) {
		const dd_assess_step *s = &in->a->trace[i];
		const char *row[] = { rp_printf(d, "%zu", i + 1), dd_report_category_zh(s->category),
				      s->passed ? "符合" : "不符合", s->why };
		rp_table_row(d, row);
	}
	rp_table_end(d);
}

static dd_rc build(doc *d, const void *input)
{
	const dd_report_decision *in = input;
	unsigned cat = in->proposed ? in->a->category : in->decided;
	bool override = !in->proposed && !in->exit && in->decided != in->a->category;
	const char *body = in->body ? in->body : rp_default_body(d, in->h->region_code);
	int k = 0;

	d->running = in->proposed ? "低收入人口审核确认决定书（拟认定）"
		     : in->exit   ? "低收入人口审核确认决定书（退出）"
				  : "低收入人口审核确认决定书";
	rp_title(d, d->running);
	if (in->doc_no && *in->doc_no)
		rp_text(d, in->doc_no, RP_BODY, false, PANGO_ALIGN_CENTER);
	d->y += 6.0;
	household_grid(d, in);
	rp_section(d, &k, "认定结果");
	result(d, in, cat);
	if (override) {
		rp_section(d, &k, "人工认定说明");
		rp_text(d, rp_printf(d, "系统核算结果：%s；审核确认机关认定：%s。理由：%s",
				     in->a->category ? dd_report_category_zh(in->a->category) : "不符合认定条件",
				     cat ? dd_report_category_zh(cat) : "不予认定",
				     rp_s(in->override_reason ? in->override_reason : in->reason)),
			RP_BODY, false, PANGO_ALIGN_LEFT);
	}
	rp_section(d, &k, "家庭成员");
	members(d, in);
	rp_section(d, &k, "一次申请、分类审核认定");
	trace(d, in);
	/* the appeal notice stays with the signature, never a signature alone on a page */
	rp_need(d, 110.0);
	if (!in->proposed)
		rp_text(d, "如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
			   "或者六个月内依法提起行政诉讼。", RP_BODY, false, PANGO_ALIGN_LEFT);
	d->y += 24.0;
	rp_text(d, in->proposed ? rp_printf(d, "核算单位：%s", body) : rp_printf(d, "审核确认机关：%s（盖章）", body),
		RP_BODY, false, PANGO_ALIGN_RIGHT);
	rp_text(d, rp_date_zh(d, in->date), RP_BODY, false, PANGO_ALIGN_RIGHT);
	return DD_OK;
}

dd_rc dd_report_decision_pdf(const dd_report_decision *d, dd_buf *out, dd_err *err)
{
	unsigned dec = d->decided;
	const char *over;

	if (!d->h || !d->a || (d->nm && !d->m) || d->nm != d->a->nmembers)
		return dd_err_set(err, DD_ERR_USAGE, "决定书缺少户、成员或核算结果");
	if (d->exit && d->proposed)
		return dd_err_set(err, DD_ERR_USAGE, "退出的决定书不能是拟认定");
	if (d->exit && (!d->reason || !*d->reason))
		return dd_err_set(err, DD_ERR_INPUT, "退出须写明理由");
	if (!d->proposed && !d->exit) {
		if (dec & (dec - 1))
			return dd_err_set(err, DD_ERR_USAGE, "决定书只能认定一个类别");
		if (!dec && (!d->reason || !*d->reason))
			return dd_err_set(err, DD_ERR_INPUT, "不予认定须写明理由");
		/* a rejection's reason also explains why a computed category was not granted */
		over = d->override_reason ? d->override_reason : dec ? NULL : d->reason;
		if (dec != d->a->category && (!over || !*over))
			return dd_err_set(err, DD_ERR_INPUT, "人工认定与系统核算结果不同，须写明理由");
	}
	return rp_run(build, d, "低收入人口审核确认决定书", d->date, out, err);
}
