/*
 * gen_plants.c - planted warning cases for December of the year.
 *
 * Each planted person lives in a household of its own, built clean
 * (recognised on 10 September, no three-guarantee flag, unique valid IDs),
 * and appears only in the feed rows planted here, so it raises exactly the
 * rule it was planted for in December and nothing else.  Where a fact can
 * be made to appear first in December it does, so a comparison run month
 * by month raises it as new in December too.  Boundary cases that must NOT
 * fire go to planted_negative.csv.  See docs/internals/gen.md.
 */
#include "../core/dd.h"
#include "gen_int.h"

#include <stdarg.h>
#include <string.h>

#define DEC 12

static dd_date day(const gen *g, int m, int d)
{
	return dd_date_from_ymd(g->o.year, m, d);
}

static gperson *member(gen *g, const ghh *h, uint32_t i)
{
	return &g->persons.v[g->members.v[h->first + i].person];
}

/* A clean planted household of `n` members; NULL on allocation failure. */
static ghh *household(gen *g, unsigned cats, const gmspec *ms, int n)
{
	ghh *h = gen_hh_begin(g, cats, -1);
	if (!h)
		return NULL;
	for (int i = 0; i < n; i++)
		if (!gen_hh_add(g, h, &ms[i]))
			return NULL;
	gen_hh_finish(g, h);
	h->planted = true;
	h->recognized_on = cats ? day(g, 9, 10) : DD_DATE_NONE;
	h->exited_on = DD_DATE_NONE;
	h->fp = FP_NONE;
	h->tuopin = false;
	for (uint32_t i = 0; i < h->n; i++)
		member(g, h, i)->planted = true;
	return h;
}

/* Single-person households of the kinds the plants need. */
enum { ONE_DB, ONE_DB_OLD, ONE_BY, ONE_GZ, ONE_TK, ONE_NONE };

static ghh *single(gen *g, int kind, uint8_t dis_type, uint8_t dis_grade)
{
	static const struct {
		unsigned cats;
		int age;
		uint8_t labor, health;
		bool tk;
	} k[] = {
		[ONE_DB] = { DD_CAT_DB, 45, LAB_WEAK, HEALTH_CHRONIC, false },
		[ONE_DB_OLD] = { DD_CAT_DB, 70, LAB_WEAK, HEALTH_CHRONIC, false },
		[ONE_BY] = { DD_CAT_BY, 40, LAB_NORMAL, HEALTH_OK, false },
		[ONE_GZ] = { DD_CAT_GZ, 45, LAB_NORMAL, HEALTH_CHRONIC, false },
		[ONE_TK] = { DD_CAT_TK, 78, LAB_NONE, HEALTH_CHRONIC, true },
		[ONE_NONE] = { 0, 38, LAB_NORMAL, HEALTH_OK, false },
	};
	gmspec m = { .age = k[kind].age, .rel = REL_HEAD, .labor = k[kind].labor, .health = k[kind].health,
		     .tk = k[kind].tk, .dis_type = dis_type, .dis_grade = dis_grade };
	if (dis_grade) {
		m.health = HEALTH_DISABLED;
		/* A BY/GZ/unassisted earner with a disability still works; DB/TK ones never could. */
		if (m.labor <= LAB_SKILLED && dis_grade <= 2)
			m.labor = LAB_WEAK;
	}
	return household(g, k[kind].cats, &m, 1);
}

static dd_rc row(gen *g, int kind, int month, const char *id, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static dd_rc row(gen *g, int kind, int month, const char *id, const char *name, const char *fmt, ...)
{
	gplantrow *r = GEN_PUSH(g->prows);
	if (!r)
		return DD_ERR_NOMEM;
	r->kind = (uint8_t)kind;
	r->month = (uint8_t)month;
	snprintf(r->id, sizeof r->id, "%s", id);
	snprintf(r->name, sizeof r->name, "%s", name);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->rest, sizeof r->rest, fmt, ap);
	va_end(ap);
	return DD_OK;
}

static dd_rc add_case(gen *g, const char *rule, bool neg, const char *id, const char *hh, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static dd_rc add_case(gen *g, const char *rule, bool neg, const char *id, const char *hh, const char *fmt, ...)
{
	gcase *c = GEN_PUSH(g->cases);
	if (!c)
		return DD_ERR_NOMEM;
	snprintf(c->rule, sizeof c->rule, "%s", rule);
	c->negative = neg;
	snprintf(c->id, sizeof c->id, "%s", id);
	snprintf(c->hh, sizeof c->hh, "%s", hh);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof c->detail, fmt, ap);
	va_end(ap);
	return DD_OK;
}

static void fmt_date(dd_date d, char buf[11])
{
	dd_date_format(d, buf);
}

static void fmt_money(dd_fen v, char buf[32])
{
	dd_money_format(v, buf);
}

#define TRY(x)                           \
	do {                             \
		if ((rc = (x)) != DD_OK) \
			goto done;       \
	} while (0)
#define NEED(p)                          \
	do {                             \
		if (!(p)) {              \
			rc = DD_ERR_NOMEM; \
			goto done;       \
		}                        \
	} while (0)

/* Hospital settlements: (month, day, self-paid fen) triples; total cost is 3 × self-paid. */
static dd_rc medical(gen *g, const char *id, const char *name, int year, int month, int d, const char *visit, dd_fen self)
{
	char date[11], total[32], paid[32];
	fmt_date(dd_date_from_ymd(year, month, d), date);
	fmt_money(self * 3, total);
	fmt_money(self, paid);
	/* A 2024 settlement may come in the January batch of 2025. */
	int batch = year < g->o.year ? 1 : month;
	return row(g, K_MEDICAL, batch, id, name, "%s,%s,%s,%s", date, visit, total, paid);
}

static dd_rc disability(gen *g, const gperson *p, int from, int to, uint8_t type, uint8_t grade)
{
	dd_rc rc = DD_OK;
	for (int m = from; m <= to && rc == DD_OK; m++)
		rc = row(g, K_DISABILITY, m, p->id, p->name, "%s,%u", gen_dis_zh[type], grade);
	return rc;
}

static dd_rc w01(gen *g)
{
	static const struct {
		bool neg;
		int m1;
		dd_fen first;      /* earlier settlement (0: none); m1 = 0 means December of last year */
		const char *visit;
		dd_fen dec;
		int pay;
		const char *why;
	} c[] = {
		{ false, 3, 600000, "住院", 400001, PAY_TWICE, "住院自付合计 10000.01 元 > 10000" },
		{ false, 7, 300000, "住院", 900000, PAY_OVER, "住院自付合计 12000.00 元" },
		{ false, 0, 0, "住院", 1500000, PAY_EXACT_S, "12月住院自付 15000.00 元" },
		{ true, 6, 600000, "住院", 400000, PAY_NORMAL, "住院自付合计恰为 10000.00 元，不大于阈值" },
		{ true, -1, 800000, "住院", 500000, PAY_NORMAL, "上年12月28日结算的 8000.00 元计入上年，本年仅 5000.00 元" },
		{ true, 0, 0, "门诊", 1200000, PAY_NORMAL, "门诊自付 12000.00 元不计住院" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		ghh *h;
		NEED(h = single(g, ONE_DB, 0, 0));
		gperson *p = member(g, h, 0);
		p->health = HEALTH_SERIOUS;
		p->pay = (uint8_t)c[i].pay;
		if (c[i].m1 > 0)
			TRY(medical(g, p->id, p->name, g->o.year, c[i].m1, 14, "住院", c[i].first));
		else if (c[i].m1 < 0)
			TRY(medical(g, p->id, p->name, g->o.year - 1, 12, 28, "住院", c[i].first));
		TRY(medical(g, p->id, p->name, g->o.year, DEC, 5, c[i].visit, c[i].dec));
		TRY(add_case(g, "W01", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w02(gen *g)
{
	static const struct {
		bool neg;
		int m1;
		dd_fen first, dec;
		const char *why;
	} c[] = {
		{ false, 4, 3000000, 2000001, "非在册人员住院自付合计 50000.01 元" },
		{ false, 0, 0, 6200000, "非在册人员住院自付合计 62000.00 元" },
		{ false, 8, 4500000, 1000000, "非在册人员住院自付合计 55000.00 元" },
		{ true, 2, 2500000, 2500000, "住院自付合计恰为 50000.00 元，不大于阈值" },
	};
	dd_rc rc = DD_OK;
	dd_gen_rng *r = &g->rng;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		char sex = i % 2 ? 'F' : 'M', id[19], name[16];
		uint64_t key = gen_alloc_id(g, gen_birth_for_age(g, r, 50 + (int)i * 5), sex);
		uint64_t *slot = GEN_PUSH(g->plant_pop);
		NEED(slot);
		*slot = key;
		gen_key_text(key, id);
		dd_gen_name(dd_gen_rng_next(r), sex, NULL, name);
		if (c[i].m1)
			TRY(medical(g, id, name, g->o.year, c[i].m1, 9, "住院", c[i].first));
		TRY(medical(g, id, name, g->o.year, DEC, 8, "住院", c[i].dec));
		TRY(add_case(g, "W02", c[i].neg, id, "", "%s", c[i].why));
	}
done:
	return rc;
}

/* Disability snapshots: months [from..11] with (t1,g1), then December with (t2,g2); g2 = 0: absent. */
typedef struct dis_case {
	bool neg;
	int kind;               /* ONE_* */
	int from;               /* first month present (12: December only) */
	uint8_t t1, g1, t2, g2;
	int pay;
	const char *why;
} dis_case;

static dd_rc dis_cases(gen *g, const char *rule, const dis_case *c, size_t n)
{
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < n; i++) {
		uint8_t t = c[i].g2 ? c[i].t2 : c[i].t1, gr = c[i].g2 ? c[i].g2 : c[i].g1;
		ghh *h;
		NEED(h = single(g, c[i].kind, t, gr));
		gperson *p = member(g, h, 0);
		p->pay = (uint8_t)c[i].pay;
		if (c[i].from < DEC)
			TRY(disability(g, p, c[i].from, DEC - 1, c[i].t1, c[i].g1));
		if (c[i].g2)
			TRY(disability(g, p, DEC, DEC, c[i].t2, c[i].g2));
		TRY(add_case(g, rule, c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

/* W03 in December only: the DB household exited on 15 November, so the person is DB until then. */
static dd_rc w03(gen *g)
{
	static const dis_case c[] = {
		{ false, ONE_DB, 1, DIS_HEARING, 2, DIS_HEARING, 2, PAY_AFTER_EXIT, "听力二级，家庭11月退出低保" },
		{ false, ONE_DB, 1, DIS_SPEECH, 1, DIS_SPEECH, 1, PAY_NORMAL, "言语一级，家庭11月退出低保" },
		{ false, ONE_DB, 1, DIS_MULTI, 2, DIS_MULTI, 2, PAY_NORMAL, "多重二级，家庭11月退出低保" },
		{ true, ONE_BY, 1, DIS_PHYSICAL, 3, DIS_PHYSICAL, 3, PAY_NORMAL, "肢体三级不属重度残疾" },
		{ true, ONE_BY, 1, DIS_MULTI, 3, DIS_MULTI, 3, PAY_NORMAL, "多重三级不属重度残疾" },
	};
	size_t before = g->hh.n;
	dd_rc rc = dis_cases(g, "W03", c, DD_ARRAY_LEN(c));
	for (size_t i = before; rc == DD_OK && i < g->hh.n; i++)
		if (g->hh.v[i].cats & DD_CAT_DB) {
			g->hh.v[i].recognized_on = day(g, 2, 10);
			g->hh.v[i].exited_on = day(g, 11, 15);
		}
	return rc;
}

/* W04 new in December: the type changes into a W04 type at the same grade (no W06, no W05). */
static dd_rc w04(gen *g)
{
	static const dis_case c[] = {
		{ false, ONE_DB, 1, DIS_HEARING, 2, DIS_PHYSICAL, 2, PAY_LATE, "肢体二级，非特困" },
		{ false, ONE_DB, 1, DIS_SPEECH, 3, DIS_INTELLECT, 3, PAY_DAY10, "智力三级，非特困" },
		{ false, ONE_DB, 1, DIS_HEARING, 1, DIS_VISUAL, 1, PAY_NORMAL, "视力一级，非特困" },
		{ true, ONE_DB, 1, DIS_VISUAL, 2, DIS_VISUAL, 2, PAY_NORMAL, "视力二级不在W04范围" },
		{ true, ONE_DB, 1, DIS_MULTI, 3, DIS_MULTI, 3, PAY_NORMAL, "多重三级不在W04范围" },
	};
	return dis_cases(g, "W04", c, DD_ARRAY_LEN(c));
}

static dd_rc w05(gen *g)
{
	static const dis_case c[] = {
		{ false, ONE_BY, DEC, 0, 0, DIS_HEARING, 4, PAY_NORMAL, "12月新进入残疾人名单（听力四级）" },
		{ false, ONE_DB, 1, DIS_PHYSICAL, 4, 0, 0, PAY_NORMAL, "12月退出残疾人名单" },
		{ false, ONE_TK, DEC, 0, 0, DIS_VISUAL, 3, PAY_NORMAL, "12月新进入残疾人名单（视力三级）" },
		{ true, ONE_BY, 11, DIS_SPEECH, 4, DIS_SPEECH, 4, PAY_NORMAL, "11月已进入名单，12月无变化" },
	};
	return dis_cases(g, "W05", c, DD_ARRAY_LEN(c));
}

static dd_rc w06(gen *g)
{
	static const dis_case c[] = {
		{ false, ONE_BY, 1, DIS_PHYSICAL, 4, DIS_PHYSICAL, 3, PAY_NORMAL, "肢体四级变为三级" },
		{ false, ONE_DB, 1, DIS_HEARING, 3, DIS_HEARING, 2, PAY_NORMAL, "听力三级变为二级" },
		{ false, ONE_TK, 1, DIS_PHYSICAL, 2, DIS_PHYSICAL, 1, PAY_NORMAL, "肢体二级变为一级" },
		{ true, ONE_BY, 1, DIS_HEARING, 4, DIS_SPEECH, 4, PAY_NORMAL, "仅残疾类别变化，等级未变" },
	};
	return dis_cases(g, "W06", c, DD_ARRAY_LEN(c));
}

static dd_rc w07(gen *g)
{
	static const struct {
		bool neg;
		int kind, month;
		const char *what;
		int deaths, injuries;
		dd_fen loss;
		const char *why;
	} c[] = {
		{ false, ONE_DB, DEC, "交通事故", 1, 0, 0, "交通事故死亡1人" },
		{ false, ONE_BY, DEC, "火灾", 0, 0, 2000001, "火灾财产损失 20000.01 元" },
		{ false, ONE_DB, DEC, "其他", 0, 1, 80000, "意外事件重伤1人" },
		{ true, ONE_BY, DEC, "火灾", 0, 0, 2000000, "财产损失恰为 20000.00 元" },
		{ true, ONE_BY, 11, "交通事故", 1, 0, 0, "事故在11月批次" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		ghh *h;
		NEED(h = single(g, c[i].kind, 0, 0));
		gperson *p = member(g, h, 0);
		char date[11], loss[32];
		fmt_date(day(g, c[i].month, 20), date);
		fmt_money(c[i].loss, loss);
		TRY(row(g, K_INCIDENT, c[i].month, p->id, p->name, "%s,%s,%d,%d,%s", date, c[i].what, c[i].deaths,
			c[i].injuries, loss));
		TRY(add_case(g, "W07", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

/* Deaths, reported in the December batch: W08 (before 1 December) and W12 (up to 31 December). */
typedef struct death_case {
	const char *rule;
	bool neg;
	unsigned cats;
	gmspec dead;            /* the person who dies */
	bool with_worker;       /* a working head lives on beside */
	int month, d;
	int pay;
	const char *why;
} death_case;

static dd_rc death_cases(gen *g, const death_case *c, size_t n)
{
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < n; i++) {
		gmspec ms[2] = { { .age = 46, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL }, c[i].dead };
		ghh *h;
		if (c[i].with_worker)
			NEED(h = household(g, c[i].cats, ms, 2));
		else
			NEED(h = household(g, c[i].cats, ms + 1, 1));
		gperson *p = member(g, h, h->n - 1);
		p->death = day(g, c[i].month, c[i].d);
		p->pay = (uint8_t)c[i].pay;
		char date[11];
		fmt_date(p->death, date);
		TRY(row(g, K_DEATH, DEC, p->id, p->name, "%s", date));
		TRY(add_case(g, c[i].rule, c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w08(gen *g)
{
	const death_case c[] = {
		{ "W08", false, DD_CAT_DB, { .age = 45, .rel = REL_HEAD, .labor = LAB_WEAK, .health = HEALTH_SERIOUS },
		  false, 11, 30, PAY_AFTER_DEATH, "低保对象11月30日死亡（12月批次报送）" },
		{ "W08", false, DD_CAT_TK, { .age = 81, .rel = REL_HEAD, .labor = LAB_NONE, .health = HEALTH_CHRONIC, .tk = true },
		  false, 11, 30, PAY_AFTER_DEATH, "特困人员11月30日死亡" },
		{ "W08", false, DD_CAT_GZ, { .age = 74, .rel = REL_PARENT, .labor = LAB_NONE, .health = HEALTH_CHRONIC },
		  true, 11, 18, PAY_NORMAL, "刚性支出困难家庭成员11月18日死亡（无劳动能力）" },
		{ "W08", true, DD_CAT_DB, { .age = 45, .rel = REL_HEAD, .labor = LAB_WEAK, .health = HEALTH_SERIOUS },
		  false, DEC, 1, PAY_NORMAL, "死亡日期为12月1日，不早于比对月首日" },
		{ "W08", true, 0, { .age = 80, .rel = REL_PARENT, .labor = LAB_NONE, .health = HEALTH_CHRONIC },
		  true, 11, 20, PAY_NORMAL, "非低保特困边缘刚性支出人员死亡，且无劳动能力" },
	};
	return death_cases(g, c, DD_ARRAY_LEN(c));
}

static dd_rc w12(gen *g)
{
	const death_case c[] = {
		{ "W12", false, DD_CAT_BY, { .age = 44, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_NORMAL },
		  true, DEC, 10, PAY_NORMAL, "低保边缘家庭劳动力12月10日死亡" },
		{ "W12", false, DD_CAT_GZ, { .age = 40, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_SKILLED },
		  true, DEC, 3, PAY_NORMAL, "刚性支出困难家庭劳动力12月3日死亡" },
		{ "W12", false, 0, { .age = 50, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_WEAK },
		  true, DEC, 22, PAY_NORMAL, "监测家庭半劳动力12月22日死亡" },
		{ "W12", true, DD_CAT_BY, { .age = 52, .rel = REL_SIBLING, .labor = LAB_LOST, .health = HEALTH_CHRONIC },
		  true, DEC, 10, PAY_NORMAL, "死者已丧失劳动力" },
		{ "W12", true, DD_CAT_DB, { .age = 44, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_NORMAL },
		  true, DEC, 10, PAY_NORMAL, "低保家庭不属W12" },
	};
	return death_cases(g, c, DD_ARRAY_LEN(c));
}

/* A TK orphan with a TK grandparent. */
static dd_rc w09(gen *g)
{
	static const struct {
		bool neg;
		const char *kind;
		const char *why;
	} c[] = {
		{ false, "孤儿", "特困人员同时在孤儿名单" },
		{ false, "事实无人抚养儿童", "特困人员同时在事实无人抚养儿童名单" },
		{ false, "孤儿", "特困人员同时在孤儿名单" },
		{ true, "事实无人抚养儿童", "低保儿童（非特困）在名单中" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		bool tk = !c[i].neg;
		gmspec ms[2] = {
			{ .age = tk ? 76 : 42, .rel = REL_HEAD, .labor = tk ? LAB_NONE : LAB_NORMAL, .tk = tk },
			{ .age = 8 + (int)i * 2, .rel = tk ? REL_GRANDCHILD : REL_CHILD, .labor = LAB_NONE, .tk = tk },
		};
		ghh *h;
		NEED(h = household(g, tk ? DD_CAT_TK : DD_CAT_DB, ms, 2));
		gperson *p = member(g, h, 1);
		TRY(row(g, K_ORPHAN, DEC, p->id, p->name, "%s", c[i].kind));
		TRY(add_case(g, "W09", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w10(gen *g)
{
	static const struct {
		bool neg;
		int kind, month;
		const char *what;
		dd_fen amount;
		const char *why;
	} c[] = {
		{ false, ONE_TK, DEC, "失能补贴", 20000, "特困人员领取失能补贴" },
		{ false, ONE_TK, DEC, "困难残疾人生活补贴", 8000, "特困人员领取困难残疾人生活补贴" },
		{ false, ONE_TK, DEC, "重度残疾人护理补贴", 10000, "特困人员领取重度残疾人护理补贴" },
		{ true, ONE_TK, 11, "失能补贴", 20000, "补贴在11月批次" },
		{ true, ONE_DB_OLD, DEC, "困难残疾人生活补贴", 8000, "低保对象（非特困）领取" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		ghh *h;
		NEED(h = single(g, c[i].kind, 0, 0));
		gperson *p = member(g, h, 0);
		char amount[32];
		fmt_money(c[i].amount, amount);
		TRY(row(g, K_SUBSIDY, c[i].month, p->id, p->name, "%s,%s", c[i].what, amount));
		TRY(add_case(g, "W10", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w11(gen *g)
{
	static const struct {
		bool neg;
		int kind;
		bool pension;
		const char *status;
		const char *why;
	} c[] = {
		{ false, ONE_DB_OLD, true, NULL, "低保对象领取养老金" },
		{ false, ONE_DB, false, "存续", "低保对象持有存续营业执照" },
		{ false, ONE_TK, true, NULL, "特困人员领取养老金" },
		{ true, ONE_DB, false, "注销", "执照已注销" },
		{ true, ONE_BY, true, NULL, "低保边缘人员领取养老金" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		ghh *h;
		NEED(h = single(g, c[i].kind, 0, 0));
		gperson *p = member(g, h, 0);
		if (c[i].pension) {
			TRY(row(g, K_PENSION, DEC, p->id, p->name, "%s", i % 2 ? "1850.00" : "2150.00"));
		} else {
			char uscc[19];
			gen_uscc(g->o.county, p->key, uscc);
			TRY(row(g, K_LICENSE, DEC, p->id, p->name, "%s,%s", uscc, c[i].status));
		}
		TRY(add_case(g, "W11", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w13(gen *g)
{
	int y = g->o.year;
	static const struct {
		bool neg;
		int by, bm, bd;         /* birth: year offset from the run year, month, day */
		bool since_nov;
		const char *why;
	} c[] = {
		{ false, -16, 12, 1, false, "12月1日恰满16周岁，新登记失业" },
		{ false, -60, 12, 2, false, "12月1日为59周岁，新登记失业" },
		{ false, -35, 6, 15, false, "35周岁，新登记失业" },
		{ true, -60, 12, 1, false, "12月1日恰满60周岁，不属劳动年龄" },
		{ true, -16, 12, 2, false, "12月1日为15周岁" },
		{ true, -40, 3, 3, true, "11月已登记，非新登记" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		dd_date birth = dd_date_from_ymd(y + c[i].by, c[i].bm, c[i].bd);
		int age = dd_date_age(birth, g->ref);
		gmspec ms[2] = { { .age = 45, .rel = REL_HEAD, .labor = LAB_NORMAL },
				 { .exact = true, .birth = birth, .rel = REL_CHILD, .labor = LAB_NORMAL } };
		ghh *h;
		/* Under 18: with a working parent, so no member of the household is TK. */
		if (age < 18)
			NEED(h = household(g, DD_CAT_BY, ms, 2));
		else {
			ms[1].rel = REL_HEAD;
			NEED(h = household(g, DD_CAT_BY, ms + 1, 1));
		}
		gperson *p = member(g, h, h->n - 1);
		char reg[11];
		fmt_date(c[i].since_nov ? day(g, 11, 3) : day(g, DEC, 5), reg);
		if (c[i].since_nov)
			TRY(row(g, K_UNEMPLOYMENT, 11, p->id, p->name, "%s", reg));
		TRY(row(g, K_UNEMPLOYMENT, DEC, p->id, p->name, "%s", reg));
		TRY(add_case(g, "W13", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w14(gen *g)
{
	static const struct {
		bool neg;
		dd_fen head, spouse;
		const char *why;
	} c[] = {
		{ false, 260000, 260001, "户内合计损失 5200.01 元" },
		{ false, 500001, 0, "户主损失 5000.01 元" },
		{ false, 0, 600000, "配偶损失 6000.00 元，按户计" },
		{ true, 250000, 250000, "户内合计恰为 5000.00 元" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		gmspec ms[2] = { { .age = 50, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL },
				 { .age = 48, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_NORMAL } };
		ghh *h;
		NEED(h = household(g, DD_CAT_BY, ms, 2));
		const dd_fen loss[2] = { c[i].head, c[i].spouse };
		for (uint32_t k = 0; k < 2; k++) {
			if (!loss[k])
				continue;
			gperson *p = member(g, h, k);
			char date[11], amount[32];
			fmt_date(day(g, DEC, 3), date);
			fmt_money(loss[k], amount);
			TRY(row(g, K_DISASTER, DEC, p->id, p->name, "%s,雪灾,%s", date, amount));
		}
		TRY(add_case(g, "W14", c[i].neg, member(g, h, 0)->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

static dd_rc w15(gen *g)
{
	dd_rc rc = DD_OK;
	for (int i = 0; i < 4; i++) {
		gmspec ms[2] = { { .age = 41, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL },
				 { .age = 14, .rel = REL_CHILD, .labor = LAB_NONE } };
		ghh *h;
		NEED(h = household(g, DD_CAT_DB, ms, 2));
		static const char *const why[] = { "住房安全问题", "饮水安全问题", "义务教育阶段辍学", "有成员未参加基本医疗保险" };
		h->housing_unsafe = i == 0;
		h->water_unsafe = i == 1;
		h->dropout = i == 2;
		h->uninsured = i == 3;
		member(g, h, 1)->student_dropout = i == 2;
		member(g, h, 1)->uninsured = i == 3;
		h->risks |= i == 0 ? 1u << 2 : i == 1 ? 1u << 3 : i == 2 ? 1u << 1 : 0;
		TRY(add_case(g, "W15", false, member(g, h, 0)->id, h->no, "%s", why[i]));
	}
done:
	return rc;
}

static dd_rc w16(gen *g)
{
	dd_rc rc = DD_OK;
	for (int i = 0; i < 3; i++) {
		gmspec ms[2] = { { .age = 40, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL },
				 { .age = 38, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_WEAK } };
		ghh *h;
		NEED(h = household(g, DD_CAT_DB, ms, 2));
		gperson *p = member(g, h, 1);
		/* Any other check character: a typing error in the last digit. */
		static const char digits[] = "0123456789X";
		const char *at = strchr(digits, p->id[17]);
		p->id[17] = digits[(at - digits + 1 + i) % 11];
		p->bad_check = true;
		TRY(add_case(g, "W16", false, p->id, h->no, "身份证号校验位错误"));
	}
	/* One person in two households: head of their own, and a child in the parents' one. */
	ghh *a;
	gmspec self = { .age = 30, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL };
	NEED(a = household(g, 0, &self, 1));
	uint32_t x = g->members.v[a->first].person;
	char ano[24];
	snprintf(ano, sizeof ano, "%s", a->no);
	gmspec parents[2] = { { .age = 57, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL },
			      { .age = 55, .sex = 'F', .rel = REL_SPOUSE, .labor = LAB_NORMAL } };
	ghh *b;
	NEED(b = household(g, DD_CAT_BY, parents, 2));
	gmember *m;
	NEED(m = GEN_PUSH(g->members));
	m->person = x;
	m->rel = REL_CHILD;
	b->n++;
	const char *id = g->persons.v[x].id;
	TRY(add_case(g, "W16", false, id, ano, "同一身份证号在两户中"));
	TRY(add_case(g, "W16", false, id, b->no, "同一身份证号在两户中"));
done:
	return rc;
}

/* Re-check due dates around 1 December: last day of month M-1-period fires, first day of M-period does not. */
static dd_rc w17(gen *g)
{
	dd_month dec = dd_month_from_ym(g->o.year, DEC);
	int yearly = g->recheck_stable, half = g->recheck_other;
	const struct {
		bool neg;
		unsigned cats;
		gmspec ms[2];
		int n;
		dd_date rec;
		const char *why;
	} c[] = {
		{ false, DD_CAT_DB, { { .age = 40, .rel = REL_HEAD, .labor = LAB_WEAK, .health = HEALTH_CHRONIC } }, 1,
		  dd_month_last(dec - 1 - half), "一般低保户半年复核逾期（月末日顺延）" },
		{ false, DD_CAT_DB, { { .age = 40, .sex = 'M', .rel = REL_HEAD, .labor = LAB_NORMAL },
				      { .age = 72, .rel = REL_PARENT, .labor = LAB_WEAK } }, 2,
		  dd_month_last(dec - 1 - half), "含非重点保障人员的低保户半年复核逾期" },
		{ false, DD_CAT_DB, { { .age = 70, .rel = REL_HEAD, .labor = LAB_WEAK } }, 1,
		  dd_month_last(dec - 1 - yearly), "重点保障低保户年度复核逾期" },
		{ false, DD_CAT_TK, { { .age = 80, .rel = REL_HEAD, .labor = LAB_NONE, .tk = true } }, 1,
		  dd_month_first(dec - 1 - yearly) + 14, "特困年度复核逾期" },
		{ false, DD_CAT_BY, { { .age = 40, .rel = REL_HEAD, .labor = LAB_NORMAL } }, 1,
		  dd_month_first(dec - 1 - yearly) + 19, "低保边缘年度复核逾期" },
		{ false, DD_CAT_GZ, { { .age = 45, .rel = REL_HEAD, .labor = LAB_NORMAL, .health = HEALTH_CHRONIC } }, 1,
		  dd_month_first(dec - 1 - yearly), "刚性支出困难年度复核逾期（11月1日到期）" },
		{ true, DD_CAT_DB, { { .age = 40, .rel = REL_HEAD, .labor = LAB_WEAK, .health = HEALTH_CHRONIC } }, 1,
		  dd_month_first(dec - half), "半年复核恰于12月1日到期，未逾期" },
		{ true, DD_CAT_DB, { { .age = 70, .rel = REL_HEAD, .labor = LAB_WEAK } }, 1,
		  dd_month_first(dec - yearly), "年度复核恰于12月1日到期，未逾期" },
		{ true, DD_CAT_QT, { { .age = 40, .rel = REL_HEAD, .labor = LAB_NORMAL } }, 1,
		  dd_month_first(dec - 24), "其他低收入人口无复核周期" },
	};
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		ghh *h;
		NEED(h = household(g, c[i].cats, c[i].ms, c[i].n));
		h->recognized_on = c[i].rec;
		char rec[11];
		fmt_date(c[i].rec, rec);
		TRY(add_case(g, "W17", c[i].neg, member(g, h, 0)->id, h->no, "认定日期 %s，%s", rec, c[i].why));
	}
done:
	return rc;
}

static dd_rc w18(gen *g)
{
	static const struct {
		bool neg;
		int kind;
		bool filed;
		const char *post, *rel, *why;
	} c[] = {
		{ false, ONE_DB, false, "村党支部书记", "兄弟姐妹", "低保对象为村干部近亲属，未备案" },
		{ false, ONE_TK, false, "乡镇民政助理员", "父母", "特困人员为经办人员近亲属，未备案" },
		{ false, ONE_BY, false, "村委会主任", "配偶", "低保边缘人员为村干部近亲属，未备案" },
		{ false, ONE_GZ, false, "村会计", "子女", "刚性支出困难人员为村干部近亲属，未备案" },
		{ true, ONE_DB, true, "村党支部书记", "兄弟姐妹", "已备案" },
		{ true, ONE_NONE, false, "村委会主任", "兄弟姐妹", "非低保特困边缘刚性支出人员" },
	};
	dd_rc rc = DD_OK;
	dd_gen_rng *r = &g->rng;
	for (size_t i = 0; i < DD_ARRAY_LEN(c); i++) {
		ghh *h;
		NEED(h = single(g, c[i].kind, 0, 0));
		gperson *p = member(g, h, 0);
		char cadre_id[19], cadre[16];
		gen_key_text(gen_alloc_id(g, gen_birth_for_age(g, r, 48), 'M'), cadre_id);
		dd_gen_name(dd_gen_rng_next(r), 'M', NULL, cadre);
		TRY(row(g, K_KIN, DEC, p->id, p->name, "%s,%s,%s,%s,%s", cadre, cadre_id, c[i].post, c[i].rel,
			c[i].filed ? "是" : "否"));
		TRY(add_case(g, "W18", c[i].neg, p->id, h->no, "%s", c[i].why));
	}
done:
	return rc;
}

/* One function per rule, in rule order. */
static dd_rc (*const planters[])(gen *g) = { w01, w02, w03, w04, w05, w06, w07, w08, w09,
					       w10, w11, w12, w13, w14, w15, w16, w17, w18 };

dd_rc gen_plants(gen *g)
{
	dd_rc rc = DD_OK;
	for (size_t i = 0; i < DD_ARRAY_LEN(planters) && rc == DD_OK; i++)
		rc = planters[i](g);
	if (rc != DD_OK)
		dd_err_set(g->err, rc, "out of memory planting cases");
	return rc;
}

static dd_rc write_cases(gen *g, bool negative, const char *file, dd_gen_report_fn report, void *arg)
{
	gw w = { 0 };
	dd_rc rc = gen_open(g, &w, file, "rule,month,id_number,household_no,detail");
	for (size_t i = 0; rc == DD_OK && i < g->cases.n; i++) {
		const gcase *c = &g->cases.v[i];
		if (c->negative != negative)
			continue;
		gw_row(&w);
		gw_s(&w, c->rule);
		gw_c(&w, ',');
		gw_month(&w, dd_month_from_ym(g->o.year, DEC));
		gw_c(&w, ',');
		gw_s(&w, c->id);
		gw_c(&w, ',');
		gw_s(&w, c->hh);
		gw_c(&w, ',');
		gw_field(&w, c->detail);
		gw_end(&w);
	}
	if (rc == DD_OK)
		rc = gen_close(g, &w, report, arg);
	gw_close(&w, NULL);
	return rc;
}

dd_rc gen_write_plants(gen *g, dd_gen_report_fn report, void *arg)
{
	dd_rc rc = write_cases(g, false, "planted.csv", report, arg);
	if (rc == DD_OK)
		rc = write_cases(g, true, "planted_negative.csv", report, arg);
	gw w = { 0 };
	if (rc == DD_OK)
		rc = gen_open(g, &w, "planted_funds.csv", "check,household_no,id_number,month,item,amount,detail");
	for (size_t i = 0; rc == DD_OK && i < g->funds.n; i++) {
		const gfund *f = &g->funds.v[i];
		gw_row(&w);
		gw_s(&w, f->check);
		gw_c(&w, ',');
		gw_s(&w, g->hh.v[f->hh].no);
		gw_c(&w, ',');
		gw_s(&w, g->persons.v[f->person].id);
		gw_c(&w, ',');
		gw_month(&w, dd_month_from_ym(g->o.year, DEC));
		gw_c(&w, ',');
		gw_s(&w, f->item);
		gw_c(&w, ',');
		gw_money(&w, f->amount);
		gw_c(&w, ',');
		gw_field(&w, f->detail);
		gw_end(&w);
	}
	if (rc == DD_OK)
		rc = gen_close(g, &w, report, arg);
	gw_close(&w, NULL);
	return rc;
}
