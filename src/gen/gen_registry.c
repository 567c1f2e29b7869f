/*
 * gen_registry.c - households, members and obligors of the registry, drawn
 * so that the assessment rules of DOMAIN.md §2.1 give back the recorded
 * category, and their CSV files.
 */
#include "../core/dd.h"
#include "gen_int.h"
#include "../core/region.h"

#include <stdlib.h>
#include <string.h>

const char *const gen_rel_zh[] = { "户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他" };
const char *const gen_health_zh[] = { "健康", "长期慢性病", "患有大病", "残疾" };
const char *const gen_labor_zh[] = { "普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力" };
const char *const gen_dis_zh[] = { "", "视力", "听力", "言语", "肢体", "智力", "精神", "多重" };
const char *const gen_fp_zh[] = { "", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户" };
static const char *const risk_zh[] = { "因病", "因学", "因安全住房", "因安全饮水", "因残", "因自然灾害",
				       "因意外事故", "因产业项目失败", "因务工就业不稳", "缺劳动力", "其他" };
enum { RISK_ILL = 0, RISK_EDU = 1, RISK_DIS = 4, RISK_NOLABOR = 9 };
static const char *const edu_zh[] = { "学龄前", "小学", "初中", "高中", "中专", "大专", "本科及以上", "文盲或半文盲" };
static const char *const obligor_rel_zh[] = { "儿子", "女儿", "兄弟姐妹" };
static const char *const occupation_zh[] = { "务农", "外出务工", "个体经营", "企业职工", "灵活就业" };
/* Survey texts; some carry an ASCII comma or quote so the files exercise RFC 4180 quoting. */
static const char *const summary_zh[] = {
	"家庭成员长期患病，主要靠低保金和亲属接济生活。",
	"户主务农,收入不稳定,子女在校就读。",
	"老人独居，生活基本能自理，村里定期走访。",
	"因病支出较大,享受\"一站式\"医疗救助结算。",
	"家庭收入主要来自务工，住房安全有保障。",
	"残疾人家庭，已办理残疾证，申请护理补贴。",
	"",
};

/* ---- regions ---- */

typedef struct walk {
	gen *g;
	bool urban;
	char township[96];
	dd_rc rc;
} walk;

static int add_village(const dd_region *r, void *arg)
{
	walk *w = arg;
	gvillage *v = GEN_PUSH(w->g->villages);
	if (!v) {
		w->rc = DD_ERR_NOMEM;
		return 1;
	}
	snprintf(v->code, sizeof v->code, "%s", r->code);
	snprintf(v->name, sizeof v->name, "%s%.*s", w->township, (int)r->name_len, r->name);
	v->urban = w->urban;
	return 0;
}

static int add_township(const dd_region *r, void *arg)
{
	walk *w = arg;
	size_t before = w->g->villages.n;
	w->urban = r->name_len >= 6 && !memcmp(r->name + r->name_len - 6, "街道", 6);
	snprintf(w->township, sizeof w->township, "%.*s", (int)r->name_len, r->name);
	dd_rc rc = dd_region_children(r->code, strlen(r->code), add_village, w);
	if (rc == DD_OK && w->rc == DD_OK && w->g->villages.n == before) {
		/* A township without villages in the table: households sit at township level. */
		walk self = *w;
		self.township[0] = '\0';
		add_village(r, &self);
		w->rc = self.rc;
	}
	if (rc != DD_OK && w->rc == DD_OK)
		w->rc = rc;
	return w->rc != DD_OK;
}

dd_rc gen_regions(gen *g)
{
	dd_rc rc;
	dd_region county;
	walk w = { .g = g, .rc = DD_OK };
	rc = dd_region_lookup(g->o.county, strlen(g->o.county), &county);
	if (rc != DD_OK || county.level != DD_REGION_COUNTY) {
		rc = dd_err_set(g->err, DD_ERR_USAGE, "县级区划代码 %s 不在区划表中", g->o.county);
		goto done;
	}
	rc = dd_region_children(county.code, strlen(county.code), add_township, &w);
	if (rc == DD_OK)
		rc = w.rc;
	if (rc != DD_OK) {
		rc = dd_err_set(g->err, rc, "cannot list the townships of %s", g->o.county);
		goto done;
	}
	if (!g->villages.n)
		rc = dd_err_set(g->err, DD_ERR_USAGE, "区划 %s 下没有乡镇", g->o.county);
done:
	return rc;
}

/* ---- building households ---- */

dd_fen gen_standard(const gen *g, const ghh *h)
{
	return h->urban ? g->s_urban : g->s_rural;
}

ghh *gen_hh_begin(gen *g, unsigned cats, int urban)
{
	ghh *h = GEN_PUSH(g->hh);
	if (!h)
		return NULL;
	dd_gen_rng *r = &g->rng;
	snprintf(h->no, sizeof h->no, "H%s%07u", g->o.county, (unsigned)g->number[g->hh.n - 1]);
	h->village = (uint32_t)dd_gen_rng_below(r, g->villages.n);
	bool vurban = g->villages.v[h->village].urban;
	h->urban = urban >= 0 ? urban : (int)dd_gen_rng_below(r, 100) < (vurban ? 85 : 10);
	h->cats = cats;
	h->house = (uint16_t)(1 + dd_gen_rng_below(r, 300));
	h->summary = (uint8_t)dd_gen_rng_below(r, DD_ARRAY_LEN(summary_zh));
	h->pay_day = (uint8_t)(1 + dd_gen_rng_below(r, 10));
	h->first = (uint32_t)g->members.n;
	h->recognized_on = DD_DATE_NONE;
	h->exited_on = DD_DATE_NONE;
	return h;
}

static uint8_t education_for(dd_gen_rng *r, int age)
{
	static const unsigned adult[] = { 0, 25, 40, 18, 6, 7, 4, 0 };
	static const unsigned old[] = { 0, 45, 25, 8, 2, 1, 0, 19 };
	if (age < 6)
		return 0;
	if (age < 12)
		return 1;
	if (age < 15)
		return 2;
	if (age < 18)
		return 3;
	return (uint8_t)gen_pick(r, age >= 60 ? old : adult, DD_ARRAY_LEN(adult));
}

gperson *gen_hh_add(gen *g, ghh *h, const gmspec *m)
{
	dd_gen_rng *r = &g->rng;
	gmember *mem = GEN_PUSH(g->members);
	gperson *p = mem ? GEN_PUSH(g->persons) : NULL;
	if (!p)
		return NULL;
	mem->person = (uint32_t)(g->persons.n - 1);
	mem->rel = m->rel;
	h->n++;
	p->sex = m->sex ? m->sex : (dd_gen_rng_below(r, 2) ? 'M' : 'F');
	p->birth = m->exact ? m->birth : gen_birth_for_age(g, r, m->age);
	p->key = gen_alloc_id(g, p->birth, p->sex);
	gen_key_text(p->key, p->id);
	p->death = DD_DATE_NONE;
	const char *surname = NULL;
	char sur[8];
	if (h->n > 1 && m->rel != REL_SPOUSE && (m->rel != REL_PARENT || p->sex == 'M'))
		surname = gen_surname_of(g->persons.v[g->members.v[h->first].person].name, sur);
	dd_gen_name(dd_gen_rng_next(r), p->sex, surname, p->name);
	p->health = m->health;
	p->labor = m->labor;
	p->dis_type = m->dis_type;
	p->dis_grade = m->dis_grade;
	p->tk = m->tk;
	int age = gen_age(g, p->birth);
	p->edu = education_for(r, age);
	if (age >= 18 && age <= 75 && dd_gen_rng_below(r, 10) < 8)
		gen_phone(r, p->phone);
	if (!h->urban && age >= 20 && age < 55 && m->labor <= LAB_SKILLED && dd_gen_rng_below(r, 10) < 3)
		p->work_months = (uint8_t)(3 + dd_gen_rng_below(r, 8));
	return p;
}

static bool severe(const gperson *p)
{
	return p->dis_grade && (p->dis_grade <= 2 ||
				(p->dis_grade == 3 && (p->dis_type == DIS_INTELLECT || p->dis_type == DIS_MENTAL)));
}

/* DB households of key-protection persons only are re-checked yearly (DOMAIN.md §4, W17). */
static bool all_key_protection(const gen *g, const ghh *h)
{
	for (uint32_t i = 0; i < h->n; i++) {
		const gperson *p = &g->persons.v[g->members.v[h->first + i].person];
		int age = gen_age(g, p->birth);
		if (!(age >= g->tk_age || age < g->tk_minor_age || severe(p) || p->health == HEALTH_SERIOUS))
			return false;
	}
	return true;
}

/* Scales `v` by pct / 100 in integers. */
static dd_fen pct(dd_fen v, int64_t p)
{
	return v * p / 100;
}

static dd_fen between(dd_gen_rng *r, dd_fen lo, dd_fen hi)
{
	return hi > lo ? lo + (dd_fen)dd_gen_rng_below(r, (uint64_t)(hi - lo)) : lo;
}

/*
 * Money of a household: the target assessed income A is drawn inside the
 * band of the category, then wages, expenses and the other incomes are
 * built around it so that A = G - business expense - medical - E exactly.
 */
static void draw_money(gen *g, ghh *h)
{
	dd_gen_rng *r = &g->rng;
	dd_fen S = gen_standard(g, h), line = 12 * S;
	dd_fen disp = h->urban ? g->disp_urban : g->disp_rural;
	int64_t n = 0, workers = 0;
	for (uint32_t i = 0; i < h->n; i++) {
		gperson *p = &g->persons.v[g->members.v[h->first + i].person];
		int age = gen_age(g, p->birth);
		n += !p->tk;
		workers += !p->tk && p->labor <= LAB_SKILLED && age >= 18;
	}
	dd_fen A;
	if (n == 0)
		A = between(r, 0, pct(line, 40));
	else if (h->cats & DD_CAT_DB)
		A = between(r, pct(line * n, 25), pct(line * n, 92));
	else if (h->cats & DD_CAT_BY)
		A = between(r, pct(line * n, 102), pct(line * n, g->edge - 4));
	else if (h->cats & (DD_CAT_GZ | DD_CAT_QT))
		A = between(r, pct(line * n, g->edge + 5), DD_MAX(pct(line * n, g->edge + 6), pct(disp * n, 90)));
	else
		A = between(r, pct(line * n, g->edge + 10), pct(line * n, g->edge * 3));
	A -= A % 100;
	/* Wages: a recorded wage below the deduction cap, plus an excess paid out of A. */
	dd_fen cap = 12 * g->emp_cost, E = 0, excess_total = workers ? pct(A, 20 + (int64_t)dd_gen_rng_below(r, 40)) : 0;
	h->wage = 0;
	for (uint32_t i = 0; i < h->n; i++) {
		gperson *p = &g->persons.v[g->members.v[h->first + i].person];
		p->wage = 0;
		if (p->tk || p->labor > LAB_SKILLED || gen_age(g, p->birth) < 18)
			continue;
		dd_fen base = between(r, pct(cap, 50), cap);
		base -= base % 100;
		dd_fen extra = excess_total / workers;
		extra -= extra % 100;
		p->wage = base + extra;
		E += DD_MIN(p->wage, cap);
		h->wage += p->wage;
	}
	h->business = h->bexp = 0;
	if (!h->urban && workers && dd_gen_rng_below(r, 4) == 0) {
		h->business = pct(A, 20);
		h->bexp = pct(h->business, 30);
	}
	h->edu = h->rehab = 0;
	h->med = pct(A, (int64_t)dd_gen_rng_below(r, 10));
	h->med -= h->med % 100;
	if ((h->cats & DD_CAT_GZ) && g->rigid < 100) {
		/* Rigid spending above rigid_percent of G, with G = A + E + bexp + med. */
		h->edu = 100 * (dd_fen)dd_gen_rng_below(r, 3000);
		h->med = 0;
		while (100 * (h->med + h->edu + h->rehab) <= g->rigid * (A + E + h->bexp + h->med))
			h->med += pct(A + E + h->bexp, 50) + 100000;
	}
	dd_fen G = A + E + h->bexp + h->med;
	dd_fen rest = G - h->wage - h->business;
	h->property = pct(rest, 10);
	h->insurance = dd_gen_rng_below(r, 10) == 0 ? pct(rest, 5) : 0;
	h->transfer = rest - h->property - h->insurance;
	h->assessed = A;
	dd_fen fin_cap = (h->cats & DD_CAT_DB) || n == 0 ? g->fin_limit * DD_MAX(n, 1)
			 : (h->cats & (DD_CAT_BY | DD_CAT_GZ)) ? pct(g->fin_limit * n, g->edge - 10)
			 : pct(g->fin_limit * n, 400);
	h->fin = between(r, 0, pct(fin_cap, 80));
	h->vehicle = h->cats ? 0 : (dd_gen_rng_below(r, 10) < 3 ? 100 * between(r, 20000, 120000) : 0);
}

/* Background recognition date: mostly within the current re-check period, some overdue. */
static void draw_dates(gen *g, ghh *h)
{
	dd_gen_rng *r = &g->rng;
	if (!h->cats)
		return;
	int period = (h->cats & DD_CAT_DB) && !all_key_protection(g, h) ? g->recheck_other : g->recheck_stable;
	dd_date lo = dd_date_add_months(g->ref, -period);
	if (dd_gen_rng_below(r, 100) < 8)
		h->recognized_on = g->ref - 365 - (dd_date)dd_gen_rng_below(r, 4 * 365);
	else
		h->recognized_on = lo + (dd_date)dd_gen_rng_below(r, (uint64_t)(g->ref - lo));
	if (dd_gen_rng_below(r, 100) < 2) {
		h->exited_on = g->year_first - 200 + (dd_date)dd_gen_rng_below(r, 480);
		h->recognized_on = h->exited_on - 30 - (dd_date)dd_gen_rng_below(r, 700);
	}
}

void gen_hh_finish(gen *g, ghh *h)
{
	bool any_labor = false, any_ill = false, any_dis = false, any_student = false;
	for (uint32_t i = 0; i < h->n; i++) {
		gperson *p = &g->persons.v[g->members.v[h->first + i].person];
		p->dibao = (h->cats & DD_CAT_DB) && !p->tk;
		any_labor |= p->labor <= LAB_WEAK;
		any_ill |= p->health == HEALTH_CHRONIC || p->health == HEALTH_SERIOUS;
		any_dis |= p->dis_grade > 0;
		int age = gen_age(g, p->birth);
		any_student |= age >= 6 && age < 22;
	}
	h->whole_no_labor = !any_labor;
	if (h->cats || h->fp) {
		h->risks |= any_ill ? 1u << RISK_ILL : 0;
		h->risks |= any_dis ? 1u << RISK_DIS : 0;
		h->risks |= !any_labor ? 1u << RISK_NOLABOR : 0;
		h->risks |= any_student && (h->cats & DD_CAT_GZ) ? 1u << RISK_EDU : 0;
	}
	draw_money(g, h);
	draw_dates(g, h);
}

/* ---- background households ---- */

enum { ST_ELDER, ST_ELDER_COUPLE, ST_ADULT, ST_COUPLE, ST_COUPLE_KIDS, ST_SINGLE_PARENT, ST_THREE_GEN,
       ST_GRAND_KIDS, ST_DISABLED, ST_COUNT };

static int rnd_age(dd_gen_rng *r, int lo, int hi)
{
	return lo + (int)dd_gen_rng_below(r, (uint64_t)(hi - lo + 1));
}

/* A member with a mild or (in DB households) any disability, now and then. */
static void maybe_disabled(dd_gen_rng *r, gmspec *m, bool db, bool has_worker)
{
	static const unsigned types[] = { 0, 12, 16, 2, 50, 8, 8, 4 };
	if (dd_gen_rng_below(r, 100) >= (db ? 10u : 3u))
		return;
	m->dis_type = (uint8_t)gen_pick(r, types, DD_ARRAY_LEN(types));
	m->dis_grade = (uint8_t)(db ? 1 + dd_gen_rng_below(r, 4) : 4);
	m->health = HEALTH_DISABLED;
	if (m->dis_grade <= 3 && m->labor <= LAB_SKILLED)
		m->labor = has_worker ? LAB_LOST : LAB_WEAK;
	if (m->dis_grade <= 2 && !has_worker)
		m->labor = LAB_WEAK;
}

static dd_rc bg_household(gen *g)
{
	static const unsigned cat_w[] = { 60, 8, 10, 6, 2, 14 };
	static const unsigned cat_bits[] = { DD_CAT_DB, DD_CAT_TK, DD_CAT_BY, DD_CAT_GZ, DD_CAT_QT, 0 };
	static const unsigned db_st[ST_COUNT] = { 20, 10, 15, 0, 25, 10, 15, 5, 0 };
	static const unsigned other_st[ST_COUNT] = { 0, 0, 20, 20, 40, 0, 20, 0, 0 };
	static const unsigned tk_st[ST_COUNT] = { 70, 10, 0, 0, 0, 0, 0, 0, 20 };
	dd_gen_rng *r = &g->rng;
	unsigned cats = cat_bits[gen_pick(r, cat_w, DD_ARRAY_LEN(cat_w))];
	bool db = cats & DD_CAT_DB, tk = cats & DD_CAT_TK;
	const unsigned *stw = tk ? tk_st : db ? db_st : other_st;
	unsigned st = gen_pick(r, stw, ST_COUNT);
	ghh *h = gen_hh_begin(g, cats, -1);
	if (!h)
		return DD_ERR_NOMEM;
	gmspec m[6];
	int nm = 0;
	/* Who works: DB singles and elderly couples are weak labour so that no member is TK. */
	uint8_t weak_or_none = tk ? (dd_gen_rng_below(r, 2) ? LAB_NONE : LAB_LOST) : LAB_WEAK;
	uint8_t worker = dd_gen_rng_below(r, 100) < 15 ? LAB_SKILLED : LAB_NORMAL;
	uint8_t health = tk || (db && dd_gen_rng_below(r, 2)) ? HEALTH_CHRONIC : HEALTH_OK;
	switch (st) {
	case ST_ELDER:
	case ST_ELDER_COUPLE:
		m[nm++] = (gmspec){ .age = rnd_age(r, 62, 92), .rel = REL_HEAD, .labor = weak_or_none, .health = health, .tk = tk };
		if (st == ST_ELDER_COUPLE)
			m[nm++] = (gmspec){ .age = rnd_age(r, 62, 85), .rel = REL_SPOUSE, .labor = weak_or_none, .health = health, .tk = tk };
		break;
	case ST_DISABLED: {
		static const unsigned types[] = { 0, 10, 10, 5, 40, 20, 15, 0 };
		uint8_t t = (uint8_t)gen_pick(r, types, DD_ARRAY_LEN(types));
		m[nm++] = (gmspec){ .age = rnd_age(r, 25, 59), .rel = REL_HEAD, .labor = LAB_LOST, .health = HEALTH_DISABLED,
				    .dis_type = t, .dis_grade = (uint8_t)(1 + dd_gen_rng_below(r, 2)), .tk = true };
		break;
	}
	case ST_ADULT:
		m[nm++] = (gmspec){ .age = rnd_age(r, 25, 59), .rel = REL_HEAD, .labor = db ? LAB_WEAK : worker,
				    .health = db ? (dd_gen_rng_below(r, 3) ? HEALTH_CHRONIC : HEALTH_SERIOUS) : HEALTH_OK };
		break;
	case ST_COUPLE:
	case ST_COUPLE_KIDS:
	case ST_SINGLE_PARENT:
	case ST_THREE_GEN: {
		int a = rnd_age(r, 28, 52);
		m[nm++] = (gmspec){ .age = a, .sex = 'M', .rel = REL_HEAD, .labor = worker, .health = HEALTH_OK };
		if (st == ST_SINGLE_PARENT)
			m[0].sex = dd_gen_rng_below(r, 2) ? 'M' : 'F';
		else
			m[nm++] = (gmspec){ .age = a - 3 + rnd_age(r, 0, 6), .sex = 'F', .rel = REL_SPOUSE,
					    .labor = db ? LAB_WEAK : worker, .health = health };
		if (st != ST_COUPLE) {
			int kids = 1 + (int)dd_gen_rng_below(r, db ? 3 : 2);
			for (int k = 0; k < kids; k++)
				m[nm++] = (gmspec){ .age = rnd_age(r, 0, DD_MIN(a - 22, 20)), .rel = REL_CHILD,
						    .labor = LAB_NONE, .health = HEALTH_OK };
		}
		if (st == ST_THREE_GEN)
			m[nm++] = (gmspec){ .age = DD_MIN(a + rnd_age(r, 24, 32), 90), .rel = REL_PARENT, .labor = LAB_WEAK,
					    .health = HEALTH_CHRONIC };
		break;
	}
	case ST_GRAND_KIDS:
	default:
		m[nm++] = (gmspec){ .age = rnd_age(r, 52, 62), .rel = REL_HEAD, .labor = LAB_NORMAL, .health = HEALTH_CHRONIC };
		m[nm++] = (gmspec){ .age = rnd_age(r, 3, 15), .rel = REL_GRANDCHILD, .labor = LAB_NONE, .health = HEALTH_OK };
		break;
	}
	bool has_worker = m[0].labor <= LAB_SKILLED;
	for (int i = 0; i < nm; i++) {
		/* Children of 16 and 17 do not work; the labour of adults comes from the structure. */
		if (m[i].rel == REL_CHILD && m[i].age >= 18)
			m[i].labor = worker;
		/* Never the only worker: a household with a disabled earner could make its children TK. */
		if (!tk && m[i].age >= 16 && (i > 0 || m[0].labor == LAB_WEAK))
			maybe_disabled(r, &m[i], db, has_worker);
		if (!gen_hh_add(g, h, &m[i]))
			return DD_ERR_NOMEM;
	}
	if (!h->urban && (db || !cats) && dd_gen_rng_below(r, 100) < (db ? 7u : 22u)) {
		h->fp = (uint8_t)(1 + dd_gen_rng_below(r, 3));
		h->tuopin = h->fp == FP_UNSTABLE;
		h->risks |= 1u << (5 + dd_gen_rng_below(r, 4));
	}
	gen_hh_finish(g, h);
	/* Background deaths over the year, more among the old. */
	for (uint32_t i = 0; i < h->n; i++) {
		gperson *p = &g->persons.v[g->members.v[h->first + i].person];
		if (dd_gen_rng_below(r, 1000) < (gen_age(g, p->birth) >= 75 ? 40u : 2u))
			p->death = g->year_first + (dd_date)dd_gen_rng_below(r, (uint64_t)(g->year_last - g->year_first + 1));
	}
	/* Children living elsewhere, for the elderly: what TK criterion 4 looks at. */
	if (st == ST_ELDER || st == ST_ELDER_COUPLE) {
		int k = (int)dd_gen_rng_below(r, 3);
		dd_fen two_s = 2 * gen_standard(g, h);
		for (int i = 0; i < k; i++) {
			gobligor *o = GEN_PUSH(g->obligors);
			if (!o)
				return DD_ERR_NOMEM;
			o->hh = (uint32_t)(g->hh.n - 1);
			o->rel = (uint8_t)dd_gen_rng_below(r, 2);
			char sex = o->rel == 0 ? 'M' : 'F';
			o->key = gen_alloc_id(g, gen_birth_for_age(g, r, rnd_age(r, 30, 55)), sex);
			const char *sur = NULL;
			char sb[8];
			if (sex == 'M')
				sur = gen_surname_of(g->persons.v[g->members.v[g->hh.v[o->hh].first].person].name, sb);
			dd_gen_name(dd_gen_rng_next(r), sex, sur, o->name);
			o->monthly = tk ? between(r, pct(two_s, 40), pct(two_s, 95)) : 100 * between(r, 800, 6000);
			o->monthly -= o->monthly % 100;
			o->occupation = (uint8_t)dd_gen_rng_below(r, DD_ARRAY_LEN(occupation_zh));
			gen_phone(r, o->phone);
		}
	}
	return DD_OK;
}

dd_rc gen_registry(gen *g)
{
	dd_rc rc = DD_OK;
	while (g->hh.n < g->o.households && rc == DD_OK)
		rc = bg_household(g);
	if (rc != DD_OK)
		dd_err_set(g->err, rc, "out of memory building the registry");
	return rc;
}

/* ---- writing ---- */

static void yesno(gw *w, bool v)
{
	gw_s(w, v ? "是" : "否");
}

static void write_household(gen *g, gw *w, const ghh *h)
{
	const gvillage *v = &g->villages.v[h->village];
	const gperson *head = &g->persons.v[g->members.v[h->first].person];
	gw_row(w);
	gw_s(w, h->no);
	gw_c(w, ',');
	gw_s(w, v->code);
	gw_c(w, ',');
	gw_s(w, v->name);
	gw_u64(w, h->house);
	gw_s(w, "号,");
	gw_s(w, head->id);
	gw_c(w, ',');
	gw_s(w, h->urban ? "非农业," : "农业,");
	gw_s(w, head->phone);
	gw_c(w, ',');
	char cat[16];
	dd_category_format(h->cats, cat);
	gw_s(w, cat);
	gw_c(w, ',');
	gw_s(w, gen_fp_zh[h->fp]);
	gw_c(w, ',');
	yesno(w, h->tuopin);
	gw_c(w, ',');
	yesno(w, h->whole_no_labor);
	gw_c(w, ',');
	bool first = true;
	for (unsigned i = 0; i < DD_ARRAY_LEN(risk_zh); i++)
		if (h->risks & (1u << i)) {
			if (!first)
				gw_c(w, ';');
			gw_s(w, risk_zh[i]);
			first = false;
		}
	const dd_fen money[] = { h->wage, h->business, h->property, h->transfer, h->insurance,
				 h->bexp, h->med, h->edu, h->rehab, h->fin };
	for (size_t i = 0; i < DD_ARRAY_LEN(money); i++) {
		gw_c(w, ',');
		gw_money(w, money[i]);
	}
	gw_c(w, ',');
	if (h->vehicle)
		gw_money(w, h->vehicle);
	const bool flags[] = { h->housing_unsafe, h->dropout, h->water_unsafe, h->uninsured };
	for (size_t i = 0; i < DD_ARRAY_LEN(flags); i++) {
		gw_c(w, ',');
		yesno(w, flags[i]);
	}
	gw_c(w, ',');
	gw_date(w, h->recognized_on);
	gw_c(w, ',');
	gw_date(w, h->exited_on);
	gw_c(w, ',');
	gw_field(w, summary_zh[h->summary]);
	gw_end(w);
}

static void write_member(gen *g, gw *w, const ghh *h, const gmember *m)
{
	const gperson *p = &g->persons.v[m->person];
	int age = gen_age(g, p->birth);
	bool employee = h->urban && p->labor <= LAB_SKILLED && age >= 18 && age < 60 && p->key % 3 == 0;
	bool insured = !p->uninsured;
	gw_row(w);
	gw_s(w, h->no);
	gw_c(w, ',');
	gw_s(w, p->name);
	gw_c(w, ',');
	gw_s(w, p->id);
	gw_c(w, ',');
	gw_s(w, gen_rel_zh[m->rel]);
	gw_s(w, p->sex == 'M' ? ",男,居民身份证," : ",女,居民身份证,");
	static const char *const eth[] = { "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族",
					   "汉族", "汉族", "汉族", "满族", "朝鲜族", "蒙古族", "回族", "汉族" };
	gw_s(w, eth[p->key / 7 % 16]);
	gw_c(w, ',');
	gw_s(w, age >= 18 && p->key / 5 % 16 == 0 ? "中共党员" : age >= 14 && age < 28 ? "共青团员" : "群众");
	gw_c(w, ',');
	gw_s(w, edu_zh[p->edu]);
	gw_c(w, ',');
	gw_s(w, p->student_dropout ? "辍学" : age < 6 ? "学龄前儿童" : age < 18 ? "在校生" : "非在校生");
	gw_c(w, ',');
	gw_s(w, gen_health_zh[p->health]);
	gw_c(w, ',');
	gw_s(w, gen_labor_zh[p->labor]);
	gw_c(w, ',');
	if (p->wage)
		gw_money(w, p->wage);
	gw_c(w, ',');
	gw_s(w, gen_dis_zh[p->dis_type]);
	gw_c(w, ',');
	if (p->dis_grade)
		gw_u64(w, p->dis_grade);
	const bool ins[] = { insured && !employee, insured && employee, insured, age >= 16 && !employee, employee };
	for (size_t i = 0; i < DD_ARRAY_LEN(ins); i++) {
		gw_c(w, ',');
		yesno(w, ins[i]);
	}
	gw_c(w, ',');
	yesno(w, p->tk);
	gw_c(w, ',');
	yesno(w, p->dibao);
	gw_s(w, ",否,");
	if (p->work_months)
		gw_s(w, p->key % 2 ? "辽宁省,大连市,甘井子区,革镇堡街道," : "黑龙江省,哈尔滨市,道里区,新农镇,");
	else
		gw_s(w, ",,,,");
	if (p->work_months)
		gw_u64(w, p->work_months);
	gw_c(w, ',');
	gw_s(w, p->phone);
	gw_end(w);
}

dd_rc gen_write_registry(gen *g, dd_gen_report_fn report, void *arg)
{
	dd_rc rc;
	gw w = { 0 };
	rc = gen_open(g, &w, "households.csv",
		      "household_no,region_code,address,head_id,hukou_type,phone,categories,fp_subtype,is_tuopin,"
		      "whole_no_labor,risk_types,wage_income,business_income,property_income,transfer_income,"
		      "insurance_payout,business_expense,medical_self_paid,education_expense,rehab_expense,"
		      "fin_assets,vehicle_value,housing_unsafe,dropout,water_unsafe,uninsured,recognized_on,"
		      "exited_on,survey_summary");
	if (rc != DD_OK)
		goto done;
	for (size_t i = 0; i < g->hh.n; i++)
		write_household(g, &w, &g->hh.v[g->order[i]]);
	if ((rc = gen_close(g, &w, report, arg)) != DD_OK)
		goto done;
	rc = gen_open(g, &w, "members.csv",
		      "household_no,name,id_number,relation,gender,id_type,ethnicity,political,education,"
		      "student_status,health,labor,wage_income,disability_type,disability_grade,"
		      "ins_resident_medical,ins_employee_medical,ins_critical_illness,ins_resident_pension,"
		      "ins_employee_pension,is_tekun,is_dibao,orphan_guarantee,work_province,work_city,"
		      "work_county,work_township,work_months,phone");
	if (rc != DD_OK)
		goto done;
	for (size_t i = 0; i < g->hh.n; i++) {
		const ghh *h = &g->hh.v[g->order[i]];
		for (uint32_t k = 0; k < h->n; k++)
			write_member(g, &w, h, &g->members.v[h->first + k]);
	}
	if ((rc = gen_close(g, &w, report, arg)) != DD_OK)
		goto done;
	rc = gen_open(g, &w, "obligors.csv",
		      "household_no,name,relation,marital,health,occupation,monthly_income,id_number,phone");
	if (rc != DD_OK)
		goto done;
	for (size_t i = 0; i < g->obligors.n; i++) {
		const gobligor *o = &g->obligors.v[i];
		gw_row(&w);
		gw_s(&w, g->hh.v[o->hh].no);
		gw_c(&w, ',');
		gw_s(&w, o->name);
		gw_c(&w, ',');
		gw_s(&w, obligor_rel_zh[o->rel]);
		gw_s(&w, ",已婚,健康,");
		gw_s(&w, occupation_zh[o->occupation]);
		gw_c(&w, ',');
		gw_money(&w, o->monthly);
		gw_c(&w, ',');
		gw_id(&w, o->key);
		gw_c(&w, ',');
		gw_s(&w, o->phone);
		gw_end(&w);
	}
	rc = gen_close(g, &w, report, arg);
done:
	gw_close(&w, NULL);
	return rc;
}
