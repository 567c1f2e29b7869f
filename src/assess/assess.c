/*
 * assess.c - the assessment engine (DOMAIN.md §2.1–§2.3): TK per member, then
 * DB, BY, GZ on the household, single-person DB, the FP candidate test.
 *
 * Every product is taken in 128 bits and every figure kept must fit int64, so
 * no input the validators let through can overflow.  The second half writes
 * the trace texts (dd_assess_ex without trace skips them); trace.c renders
 * the result as JSON.
 */
#include "../core/dd.h"
#include "assess.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 wide;

/* The outcome of every single test, for the category and for the trace. */
typedef struct tests {
	bool db_income, db_fin, db_vehicle, db;
	bool by_income, edge_fin, edge_vehicle, by;
	bool gz_income, gz_rigid, gz;
	bool all_single;
	bool fp_rural, fp_income, fp_risk;
} tests;

static bool is(const char *s, const char *lit)
{
	return s && !strcmp(s, lit);
}

/* Grade 1–2 of any type, or grade 3 of 智力 or 精神 (grade 3 多重 is not). */
static bool severe(const dd_member *m)
{
	if (m->disability_grade == 1 || m->disability_grade == 2)
		return true;
	return m->disability_grade == 3 && (is(m->disability_type, "智力") || is(m->disability_type, "精神"));
}

static bool labourer(const dd_member *m)
{
	return is(m->labor, "普通劳动力") || is(m->labor, "技能劳动力");
}

static dd_fen wage_of(const dd_member *m)
{
	return m->wage_income > 0 ? m->wage_income : 0;
}

/* Narrows a 128-bit figure to int64, recording overflow instead of wrapping. */
static int64_t fit(wide v, bool *overflow)
{
	if (v > INT64_MAX || v < -INT64_MAX) {
		*overflow = true;
		return 0;
	}
	return (int64_t)v;
}

static dd_rc check_amount(dd_fen v, bool unknown_ok, const char *where, size_t i, const char *field,
			  dd_err *err)
{
	if ((unknown_ok && v == -1) || (v >= 0 && v <= DD_MONEY_MAX))
		return DD_OK;
	if (where)
		return dd_err_set(err, DD_ERR_INPUT, "%s[%zu].%s: 金额应为不超过 10^15 元的非负数", where, i,
				  field);
	return dd_err_set(err, DD_ERR_INPUT, "%s: 金额应为不超过 10^15 元的非负数", field);
}

static dd_rc check_amounts(const dd_household *h, const dd_member *m, size_t nm, const dd_obligor *o,
			   size_t no, dd_err *err)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
#define HF(k) { #k, offsetof(dd_household, k) }
		HF(wage_income), HF(business_income), HF(property_income), HF(transfer_income),
		HF(insurance_payout), HF(business_expense), HF(medical_self_paid),
		HF(education_expense), HF(rehab_expense), HF(fin_assets), HF(vehicle_value),
#undef HF
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(fields) && rc == DD_OK; i++)
		rc = check_amount(*(const dd_fen *)((const char *)h + fields[i].off), false, NULL, 0,
				  fields[i].name, err);
	for (size_t i = 0; i < nm && rc == DD_OK; i++)
		rc = check_amount(m[i].wage_income, true, "members", i, "wage_income", err);
	for (size_t i = 0; i < no && rc == DD_OK; i++)
		rc = check_amount(o[i].monthly_income, true, "obligors", i, "monthly_income", err);
	return rc;
}

/* The household figures of §2.1 that do not depend on who is TK. */
static void base_figures(const dd_policy *p, const dd_standards *st, const dd_household *h, size_t nm,
			 dd_assess_figures *f, bool *ovf)
{
	bool rural = h->hukou == DD_HUKOU_RURAL;

	f->year = st->year;
	f->m = (int)nm;
	f->S = rural ? st->dibao_rural_month : st->dibao_urban_month;
	f->disposable_income = rural ? st->disposable_income_rural : st->disposable_income_urban;
	f->G = fit((wide)h->wage_income + h->business_income + h->property_income +
			   h->transfer_income + h->insurance_payout, ovf);
	f->N = fit((wide)f->G - h->business_expense - h->medical_self_paid, ovf);
	f->medical = h->medical_self_paid;
	f->education = h->education_expense;
	f->rehab = h->rehab_expense;
	f->rigid = fit((wide)f->medical + f->education + f->rehab, ovf);
	f->fin_assets = h->fin_assets;
	f->vehicle_value = h->vehicle_value;
	f->vehicle_limit = st->vehicle_limit;
	f->vehicle_by_limit_x100 = fit((wide)p->edge_percent * st->vehicle_limit, ovf);
	f->rigid_line_x100 = fit((wide)p->rigid_percent * f->G, ovf);
	f->fin_assets_limit = st->fin_assets_limit;
	f->fp_line = st->fp_line;
	f->fp_total = fit((wide)st->fp_line * (wide)nm, ovf);
	f->tk_income_line = fit((wide)p->tk_income_months * f->S, ovf);
	f->obligor_line = fit((wide)p->obligor_line_factor * f->S, ovf);
	f->employment_cap = fit((wide)12 * p->employment_cost_month, ovf);
}

/* The figures that depend on n, and E (over the non-TK members). */
static void household_figures(const dd_policy *p, const dd_member *m, size_t nm, dd_assessment *a,
			      bool *ovf)
{
	dd_assess_figures *f = &a->f;
	wide e = 0;

	f->n = 0;
	for (size_t i = 0; i < nm; i++) {
		if (a->members[i].tk == DD_TK_YES)
			continue;
		f->n++;
		e += DD_MIN(wage_of(&m[i]), f->employment_cap);
	}
	f->E = fit(e, ovf);
	f->A = f->N > f->E ? f->N - f->E : 0;
	f->db_line = fit((wide)12 * f->S * f->n, ovf);
	f->fin_db_limit = fit((wide)f->fin_assets_limit * f->n, ovf);
	f->by_line_x100 = fit((wide)p->edge_percent * f->db_line, ovf);
	f->fin_by_limit_x100 = fit((wide)p->edge_percent * f->fin_db_limit, ovf);
	f->gz_line = fit((wide)f->disposable_income * f->n, ovf);
}

/*
 * §2.2a for member i.  *support_obligor / *support_member say who can support
 * when rule 4 fails (-1 otherwise), for the trace.
 */
static dd_tk_result tk_test(const dd_member *m, size_t nm, size_t i, const dd_assess_member *am,
			    const dd_assess_figures *f, int able_obligor, int *support_member)
{
	*support_member = -1;
	if (!am->elderly && !am->minor && !am->severe)
		return DD_TK_FAIL_GROUP;
	if (!am->minor && !is(m[i].labor, "丧失劳动力") && !is(m[i].labor, "无劳动力"))
		return DD_TK_FAIL_LABOR;
	if (wage_of(&m[i]) >= f->tk_income_line)
		return DD_TK_FAIL_INCOME;
	for (size_t j = 0; j < nm && *support_member < 0; j++)
		if (j != i && labourer(&m[j]))
			*support_member = (int)j;
	if (able_obligor >= 0 || *support_member >= 0)
		return DD_TK_FAIL_SUPPORT;
	if (m[i].orphan_guarantee == 1)
		return DD_TK_FAIL_ORPHAN;
	return DD_TK_YES;
}

/* First obligor able to support (monthly income >= factor × S), or -1. */
static int able_obligor(const dd_obligor *o, size_t no, const dd_assess_figures *f)
{
	for (size_t k = 0; k < no; k++)
		if (o[k].monthly_income >= 0 && o[k].monthly_income >= f->obligor_line)
			return (int)k;
	return -1;
}

static void decide(const dd_household *h, const dd_member *m, size_t nm, dd_assessment *a,
		   tests *t)
{
	const dd_assess_figures *f = &a->f;
	wide A100 = (wide)100 * f->A;

	t->db_income = f->A < f->db_line;
	t->db_fin = f->fin_assets <= f->fin_db_limit;
	t->db_vehicle = f->vehicle_value <= f->vehicle_limit;
	t->by_income = A100 < f->by_line_x100;
	t->edge_fin = (wide)100 * f->fin_assets < f->fin_by_limit_x100;
	t->edge_vehicle = f->vehicle_value == 0 || (wide)100 * f->vehicle_value < f->vehicle_by_limit_x100;
	t->gz_income = f->A < f->gz_line;
	t->gz_rigid = (wide)100 * f->rigid > f->rigid_line_x100;
	t->db = f->n > 0 && t->db_income && t->db_fin && t->db_vehicle;
	t->by = f->n > 0 && t->by_income && t->edge_fin && t->edge_vehicle;
	t->gz = f->n > 0 && t->gz_income && t->gz_rigid && t->edge_fin && t->edge_vehicle;

	if (!t->db && t->by)
		for (size_t i = 0; i < nm; i++)
			if (a->members[i].tk != DD_TK_YES &&
			    (a->members[i].severe || is(m[i].health, "患有大病"))) {
				a->members[i].single_db = true;
				a->nsingle_db++;
			}
	t->all_single = t->by && !t->db && a->nsingle_db == (size_t)f->n;

	if (f->n == 0)
		a->category = DD_CAT_TK;
	else if (t->db || t->all_single)
		a->category = DD_CAT_DB;
	else if (t->by)
		a->category = DD_CAT_BY;
	else if (t->gz)
		a->category = DD_CAT_GZ;
	else
		a->category = 0;

	t->fp_rural = h->hukou == DD_HUKOU_RURAL;
	t->fp_income = f->N < f->fp_total;
	t->fp_risk = h->risk_types && *h->risk_types;
	a->fp_candidate = t->fp_rural && t->fp_income && t->fp_risk;
}

/* ---- the trace texts (DOMAIN.md §3.4) ---- */

/* A fixed text buffer; text that does not fit is cut at a character and ends with "…". */
typedef struct why_buf {
	char *p;
	size_t cap, len;
	bool cut;
} why_buf;

static void why_init(why_buf *w, char *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->cut = false;
	p[0] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void why_add(why_buf *w, const char *fmt, ...)
{
	static const char ellipsis[] = "…";
	size_t room = w->cap - sizeof ellipsis;   /* the ellipsis always fits after the text */
	va_list ap;
	int n;

	if (w->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->p + w->len, room - w->len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room - w->len) {
		w->len += (size_t)n;
		return;
	}
	/* drop a last character vsnprintf cut in the middle */
	size_t end = room - 1, k = end;
	while (k > w->len && ((unsigned char)w->p[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > w->len) {
		unsigned char lead = (unsigned char)w->p[k - 1];
		size_t clen = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (k - 1 + clen > end)
			end = k - 1;
	}
	memcpy(w->p + end, ellipsis, sizeof ellipsis);
	w->cut = true;
}

/* Amounts as yuan text, usable as printf arguments (C11 temporaries live to the end of the call). */
typedef struct yuan {
	char s[40];
} yuan;

static yuan Y(dd_fen v)
{
	yuan t;
	dd_money_format(v, t.s);
	return t;
}

static yuan Y100(int64_t v)
{
	yuan t;
	dd_assess_format_x100(v, t.s);
	return t;
}

typedef struct label {
	char s[160];
} label;

/* A member or obligor by name (never by ID number), or by position when unnamed. */
static label who(const char *name, const char *kind, size_t i)
{
	label l;
	if (name && *name)
		snprintf(l.s, sizeof l.s, "%s", name);
	else
		snprintf(l.s, sizeof l.s, "%s%zu", kind, i + 1);
	return l;
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "未登记";
}

static void tk_member_text(why_buf *w, const dd_policy *p, const dd_member *m, size_t i,
			   const dd_assess_member *am, const dd_assess_figures *f, const dd_obligor *o,
			   int obligor, int support)
{
	why_add(w, "%s%s：", i ? "；" : "", who(m[i].name, "成员", i).s);
	switch (am->tk) {
	case DD_TK_FAIL_GROUP:
		why_add(w, "%d岁，不是老年人（年满%d岁）、未成年人（未满%d岁）或重度残疾人，不符合特困条件1",
			am->age, p->tk_age, p->tk_minor_age);
		break;
	case DD_TK_FAIL_LABOR:
		why_add(w, "%d岁，不是未成年人，劳动能力为%s（应为丧失劳动力或无劳动力），不符合特困条件2",
			am->age, or_unknown(m[i].labor));
		break;
	case DD_TK_FAIL_INCOME:
		why_add(w, "本人年工资 %s 元，不低于 %d×%s = %s 元，不符合特困条件3", Y(wage_of(&m[i])).s,
			p->tk_income_months, Y(f->S).s, Y(f->tk_income_line).s);
		break;
	case DD_TK_FAIL_SUPPORT:
		if (obligor >= 0)
			why_add(w, "义务人%s月收入 %s 元，不低于 %d×%s = %s 元，有赡养扶养能力，不符合特困条件4",
				who(o[obligor].name, "义务人", (size_t)obligor).s, Y(o[obligor].monthly_income).s,
				p->obligor_line_factor, Y(f->S).s, Y(f->obligor_line).s);
		else
			why_add(w, "其他成员%s为%s，有赡养扶养能力，不符合特困条件4",
				who(m[support].name, "成员", (size_t)support).s, m[support].labor);
		break;
	case DD_TK_FAIL_ORPHAN:
		why_add(w, "享受孤儿或事实无人抚养儿童保障，不符合特困条件5");
		break;
	case DD_TK_YES:
		if (am->elderly)
			why_add(w, "%d岁老年人，", am->age);
		else if (am->minor)
			why_add(w, "%d岁未成年人，", am->age);
		if (am->severe)
			why_add(w, "重度残疾（%s%d级），", or_unknown(m[i].disability_type), m[i].disability_grade);
		if (!am->minor)
			why_add(w, "%s，", m[i].labor);
		why_add(w, "本人年工资 %s 元低于 %d×%s = %s 元，无有赡养扶养能力的义务人或成员，符合特困条件",
			Y(wage_of(&m[i])).s, p->tk_income_months, Y(f->S).s, Y(f->tk_income_line).s);
		break;
	}
}

static void tk_text(why_buf *w, const dd_policy *p, const dd_member *m, const dd_obligor *o, int obligor,
		    const int *support, const dd_assessment *a)
{
	if (a->ntekun == 0)
		why_add(w, "无成员符合特困条件。");
	else if (a->f.n == 0)
		why_add(w, "全部%d名成员均符合特困条件，全户按特困人员认定。", a->f.m);
	else
		why_add(w, "%zu名成员符合特困条件，其余%d名成员按家庭评估。", a->ntekun, a->f.n);
	for (size_t i = 0; i < a->nmembers; i++)
		tk_member_text(w, p, m, i, &a->members[i], &a->f, o, obligor, support[i]);
}

static void db_text(why_buf *w, const dd_member *m, const tests *t, const dd_assessment *a)
{
	const dd_assess_figures *f = &a->f;
	const char *sep = "";

	why_add(w, "年评估收入 %s 元，%s低保线 12×%s×%d = %s 元；", Y(f->A).s,
		t->db_income ? "低于" : "不低于", Y(f->S).s, f->n, Y(f->db_line).s);
	why_add(w, "金融资产 %s 元，%s人均上限 %s×%d = %s 元；", Y(f->fin_assets).s,
		t->db_fin ? "不超过" : "超过", Y(f->fin_assets_limit).s, f->n, Y(f->fin_db_limit).s);
	if (f->vehicle_value == 0)
		why_add(w, "无车辆");
	else
		why_add(w, "车辆价值 %s 元，%s上限 %s 元", Y(f->vehicle_value).s,
			t->db_vehicle ? "不超过" : "超过", Y(f->vehicle_limit).s);
	why_add(w, "（年评估收入 = 家庭纯收入 %s − 就业成本扣减 %s%s）", Y(f->N).s, Y(f->E).s,
		f->N < f->E ? "，不足零按零计" : "");
	if (!a->nsingle_db)
		return;
	why_add(w, "；家庭不符合低保条件但符合低保边缘条件，");
	for (size_t i = 0; i < a->nmembers; i++) {
		if (!a->members[i].single_db)
			continue;
		why_add(w, "%s%s（%s）", sep, who(m[i].name, "成员", i).s,
			a->members[i].severe ? "重度残疾" : "患有大病");
		sep = "、";
	}
	why_add(w, "按单人户纳入低保%s", t->all_single ? "；全部非特困成员均单人纳入低保，全户按低保认定" : "");
}

/* The BY/GZ asset tests: financial assets and vehicle below edge_percent of the DB limits. */
static void edge_assets_text(why_buf *w, const dd_policy *p, const tests *t, const dd_assess_figures *f)
{
	why_add(w, "金融资产 %s 元，%s %d%%×%s = %s 元；", Y(f->fin_assets).s, t->edge_fin ? "低于" : "不低于",
		p->edge_percent, Y(f->fin_db_limit).s, Y100(f->fin_by_limit_x100).s);
	if (f->vehicle_value == 0)
		why_add(w, "无车辆");
	else
		why_add(w, "车辆价值 %s 元，%s %d%%×%s = %s 元%s", Y(f->vehicle_value).s,
			t->edge_vehicle ? "低于" : "不低于", p->edge_percent, Y(f->vehicle_limit).s,
			Y100(f->vehicle_by_limit_x100).s, f->vehicle_limit == 0 ? "（车辆上限为0，有车即不符合）" : "");
}

static void by_text(why_buf *w, const dd_policy *p, const tests *t, const dd_assess_figures *f)
{
	why_add(w, "年评估收入 %s 元，%s低保边缘线 %d%%×%s = %s 元；", Y(f->A).s,
		t->by_income ? "低于" : "不低于", p->edge_percent, Y(f->db_line).s, Y100(f->by_line_x100).s);
	edge_assets_text(w, p, t, f);
}

static void gz_text(why_buf *w, const dd_policy *p, const tests *t, const dd_assess_figures *f)
{
	why_add(w, "年评估收入 %s 元，%s上年人均可支配收入线 %s×%d = %s 元；", Y(f->A).s,
		t->gz_income ? "低于" : "不低于", Y(f->disposable_income).s, f->n, Y(f->gz_line).s);
	why_add(w, "近12个月刚性支出 %s 元（合规自付 %s + 教育 %s + 康复 %s），%s家庭总收入 %s 元的 %d%% = %s 元；",
		Y(f->rigid).s, Y(f->medical).s, Y(f->education).s, Y(f->rehab).s,
		t->gz_rigid ? "超过" : "未超过", Y(f->G).s, p->rigid_percent, Y100(f->rigid_line_x100).s);
	edge_assets_text(w, p, t, f);
}

static void fp_text(why_buf *w, const dd_household *h, const tests *t, const dd_assessment *a)
{
	const dd_assess_figures *f = &a->f;

	if (!t->fp_rural) {
		why_add(w, "非农业户口，不属于防止返贫监测范围");
		return;
	}
	why_add(w, "农业户口；家庭纯收入 %s 元，%s监测线 %s×%d = %s 元；", Y(f->N).s,
		t->fp_income ? "低于" : "不低于", Y(f->fp_line).s, f->m, Y(f->fp_total).s);
	if (t->fp_risk)
		why_add(w, "风险类型：%s", h->risk_types);
	else
		why_add(w, "无风险类型");
	why_add(w, a->fp_candidate ? "，是防止返贫监测对象候选（推送农业农村部门认定）"
				   : "，不是防止返贫监测对象候选");
}

/* Whether trace line i (TK DB BY GZ QT) passed; QT is never computed. */
static bool step_passed(const tests *t, const dd_assessment *a, size_t i)
{
	const bool passed[5] = { a->f.n == 0, t->db || t->all_single, t->by, t->gz, false };
	return passed[i];
}

static void explain(const dd_policy *p, const dd_household *h, const dd_member *m, const dd_obligor *o,
		    int obligor, const int *support, const tests *t, dd_assessment *a)
{
	static const char all_tk[] = "全部成员均为特困人员，不再按家庭评估";
	why_buf w[5];

	for (size_t i = 0; i < 5; i++) {
		a->trace[i].category = dd_categories[i].bit;
		a->trace[i].passed = step_passed(t, a, i);
		why_init(&w[i], a->trace[i].why, sizeof a->trace[i].why);
	}
	tk_text(&w[0], p, m, o, obligor, support, a);
	if (a->f.n == 0) {
		for (size_t i = 1; i < 4; i++)
			why_add(&w[i], "%s", all_tk);
	} else {
		db_text(&w[1], m, t, a);
		by_text(&w[2], p, t, &a->f);
		gz_text(&w[3], p, t, &a->f);
	}
	why_add(&w[4], "其他低收入人口由县级民政部门按本地规定人工认定（须写明理由），不作计算");
	why_buf fw;
	why_init(&fw, a->fp_why, sizeof a->fp_why);
	fp_text(&fw, h, t, a);
}

void dd_assess_format_x100(int64_t v, char buf[40])
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t frac = u % 10000;   /* 1/10000 yuan */
	const char *sign = v < 0 ? "-" : "";

	if (frac % 100 == 0)
		snprintf(buf, 40, "%s%llu.%02llu", sign, (unsigned long long)(u / 10000),
			 (unsigned long long)(frac / 100));
	else if (frac % 10 == 0)
		snprintf(buf, 40, "%s%llu.%03llu", sign, (unsigned long long)(u / 10000),
			 (unsigned long long)(frac / 10));
	else
		snprintf(buf, 40, "%s%llu.%04llu", sign, (unsigned long long)(u / 10000),
			 (unsigned long long)frac);
}

/* The fast path's reset: what the engine fills, without the texts and unused members. */
static void clear(dd_assessment *a, size_t nm)
{
	a->category = 0;
	a->nmembers = 0;
	memset(a->members, 0, DD_MIN(nm, (size_t)DD_ASSESS_MAX_MEMBERS) * sizeof *a->members);
	a->ntekun = a->nsingle_db = 0;
	a->fp_candidate = false;
	a->fp_why[0] = '\0';
	memset(&a->f, 0, sizeof a->f);
	for (size_t i = 0; i < DD_ARRAY_LEN(a->trace); i++) {
		a->trace[i].category = dd_categories[i].bit;
		a->trace[i].passed = false;
		a->trace[i].why[0] = '\0';
	}
}

dd_rc dd_assess(const dd_policy *p, const dd_household *h, const dd_member *m, size_t nm,
		const dd_obligor *o, size_t no, dd_date at, dd_assessment *out, dd_err *err)
{
	return dd_assess_ex(p, h, m, nm, o, no, at, true, out, err);
}

dd_rc dd_assess_ex(const dd_policy *p, const dd_household *h, const dd_member *m, size_t nm,
		   const dd_obligor *o, size_t no, dd_date at, bool trace, dd_assessment *out,
		   dd_err *err)
{
	dd_rc rc = DD_ERR_INPUT;
	bool ovf = false;
	int y, mo, d;
	const dd_standards *st;
	tests t = { 0 };
	int support[DD_ASSESS_MAX_MEMBERS];

	if (trace)
		memset(out, 0, sizeof *out);
	else
		clear(out, nm);
	dd_date_to_ymd(at, &y, &mo, &d);
	if (!(st = dd_policy_standards(p, y))) {
		dd_err_set(err, rc, "政策参数中没有 %d 年或更早年度的标准（[standards.%d]）", y, y);
		goto done;
	}
	if (h->hukou != DD_HUKOU_RURAL && h->hukou != DD_HUKOU_URBAN) {
		dd_err_set(err, rc, "hukou_type: 户籍类型必填（农业或非农业）");
		goto done;
	}
	if (nm == 0 || nm > DD_ASSESS_MAX_MEMBERS) {
		dd_err_set(err, rc, "members: 成员应为 1 至 %d 人", DD_ASSESS_MAX_MEMBERS);
		goto done;
	}
	if ((rc = check_amounts(h, m, nm, o, no, err)) != DD_OK)
		goto done;
	rc = DD_ERR_INPUT;
	out->nmembers = nm;
	base_figures(p, st, h, nm, &out->f, &ovf);
	int obligor = able_obligor(o, no, &out->f);
	for (size_t i = 0; i < nm; i++) {
		dd_assess_member *am = &out->members[i];
		am->age = dd_id_age(&m[i].id, at);
		if (am->age < 0) {
			dd_err_set(err, rc, "members[%zu].id_number: 出生日期晚于评估日期", i);
			goto done;
		}
		am->elderly = am->age >= p->tk_age;
		am->minor = am->age < p->tk_minor_age;
		am->severe = severe(&m[i]);
		am->tk = tk_test(m, nm, i, am, &out->f, obligor, &support[i]);
		out->ntekun += am->tk == DD_TK_YES;
	}
	household_figures(p, m, nm, out, &ovf);
	if (ovf) {
		dd_err_set(err, rc, "数额超出可计算范围，请检查政策参数和金额");
		goto done;
	}
	decide(h, m, nm, out, &t);
	if (trace)
		explain(p, h, m, o, obligor, support, &t, out);
	else
		for (size_t i = 0; i < 5; i++)
			out->trace[i].passed = step_passed(&t, out, i);
	rc = DD_OK;
done:
	return rc;
}

const char *dd_assess_code(unsigned category)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
		if (dd_categories[i].bit == category)
			return dd_categories[i].code;
	return "NONE";
}
