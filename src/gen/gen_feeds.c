/*
 * gen_feeds.c - the county population and a year of department feeds and
 * payments.
 *
 * The population is only an array of packed ID keys.  Everything else about
 * a person (name, whether they are in a snapshot and from when, their
 * death) is a hash of the key, so it is the same in every month and every
 * file without being stored.  Rows are streamed through 1 MiB buffers.
 */
#include "../core/dd.h"
#include "gen_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_name[K_COUNT] = { "medical", "disability", "death", "pension", "unemployment",
						"license", "orphan", "subsidy", "incident", "disaster", "fp", "kin" };
static const char *const kind_header[K_COUNT] = {
	"id_number,name,settle_date,visit_type,total_cost,self_paid",
	"id_number,name,disability_type,disability_grade",
	"id_number,name,death_date",
	"id_number,name,monthly_amount",
	"id_number,name,reg_date",
	"id_number,name,license_no,status",
	"id_number,name,kind",
	"id_number,name,subsidy,amount",
	"id_number,name,event_date,kind,deaths,serious_injuries,loss",
	"id_number,name,event_date,kind,loss",
	"id_number,name,fp_subtype,status",
	"id_number,name,cadre_name,cadre_id,post,relation,filed",
};

/* Snapshot shares of the population, per 65536 of the eligible. */
#define RATE(pct_x100) ((uint64_t)(pct_x100) * 65536 / 10000)

/* ---- the population ---- */

dd_rc gen_population(gen *g)
{
	/* Five-year age bands of an ageing north-eastern county (weights per mille). */
	static const unsigned band[] = { 30, 40, 45, 45, 45, 50, 60, 65, 70, 80, 90, 90, 80, 70, 50, 35, 25, 15, 5 };
	dd_rc rc = DD_OK;
	dd_gen_rng r;
	dd_gen_rng_seed(&r, g->o.seed ^ 0x706f70756c6174ULL);
	g->npop = g->o.population;
	g->pop = malloc((g->npop ? g->npop : 1) * sizeof *g->pop);
	if (!g->pop) {
		rc = dd_err_set(g->err, DD_ERR_NOMEM, "out of memory for a population of %llu",
				(unsigned long long)g->npop);
		goto done;
	}
	for (uint64_t i = 0; i < g->npop; i++) {
		int age = (int)gen_pick(&r, band, DD_ARRAY_LEN(band)) * 5 + (int)dd_gen_rng_below(&r, 5);
		char sex = dd_gen_rng_next(&r) & 1 ? 'M' : 'F';
		g->pop[i] = gen_alloc_id(g, gen_birth_for_age(g, &r, age), sex);
	}
done:
	return rc;
}

static uint64_t person_hash(const gen *g, uint64_t key)
{
	return dd_gen_mix(key ^ dd_gen_mix(g->o.seed));
}

static unsigned key_ymd(uint64_t key)
{
	return (unsigned)(key / 11 / 1000 % 100000000);
}

/* Whole years at the first day of month m of the year (birthday trick on YYYYMMDD integers). */
static int age_at(const gen *g, unsigned ymd, int m)
{
	return (int)((unsigned)(g->o.year * 10000 + m * 100 + 1) - ymd) / 10000;
}

static int month_of_date(dd_date d)
{
	return dd_month_num(dd_month_of(d));
}

/* Death in the year, from the top 16 bits of h2; DD_DATE_NONE when alive. */
static dd_date pop_death(const gen *g, uint64_t key, uint64_t h2)
{
	unsigned x = (unsigned)(h2 >> 48);
	if (x >= RATE(600))
		return DD_DATE_NONE;
	int age = age_at(g, key_ymd(key), 1);
	uint64_t rate = age >= 80 ? RATE(600) : age >= 65 ? RATE(200) : RATE(20);
	if (x >= rate)
		return DD_DATE_NONE;
	return g->year_first + (dd_date)(dd_gen_mix(h2) % (uint64_t)(g->year_last - g->year_first + 1));
}

static void prefix(gw *w, uint64_t key, uint64_t h)
{
	char name[16];
	gw_row(w);
	gw_id(w, key);
	gw_c(w, ',');
	gw_mem(w, name, dd_gen_name(h, gen_key_sex(key), NULL, name));
	gw_c(w, ',');
}

static void reg_prefix(gw *w, const gperson *p)
{
	gw_row(w);
	gw_s(w, p->id);
	gw_c(w, ',');
	gw_s(w, p->name);
	gw_c(w, ',');
}

/* Present in a snapshot in month m: joined at `from`, left before `to` (13: stays). */
static bool in_window(uint64_t attr, int m)
{
	int from = (attr & 15) == 0 ? 2 + (int)(attr >> 4) % 11 : 1;
	int to = ((attr >> 8) & 31) == 0 ? from + 1 + (int)(attr >> 13) % 12 : 13;
	return m >= from && m < to;
}

static void dis_of(uint64_t attr, uint8_t *type, uint8_t *grade)
{
	static const uint8_t types[16] = { DIS_PHYSICAL, DIS_PHYSICAL, DIS_PHYSICAL, DIS_PHYSICAL, DIS_PHYSICAL,
					   DIS_PHYSICAL, DIS_PHYSICAL, DIS_HEARING, DIS_HEARING, DIS_VISUAL,
					   DIS_VISUAL, DIS_INTELLECT, DIS_MENTAL, DIS_MENTAL, DIS_SPEECH, DIS_MULTI };
	static const uint8_t grades[10] = { 1, 2, 2, 3, 3, 3, 4, 4, 4, 4 };
	*type = types[(attr >> 20) & 15];
	*grade = grades[(attr >> 24) % 10];
}

/* One population person's rows in the snapshot feeds and the monthly subsidies of month m. */
static void pop_person(gen *g, gw *w, uint64_t key, int m)
{
	uint64_t h = person_hash(g, key), h2 = dd_gen_mix(h);
	dd_date death = pop_death(g, key, h2);
	if (death != DD_DATE_NONE && month_of_date(death) <= m)
		return;
	unsigned ymd = key_ymd(key);
	int age = -1;
#define AGE() (age < 0 ? (age = age_at(g, ymd, m)) : age)
	bool disabled = false;
	uint8_t dtype = 0, dgrade = 0;
	if ((h & 0xffff) < RATE(600)) {
		uint64_t a = dd_gen_mix(h ^ 1);
		if (in_window(a, m)) {
			disabled = true;
			dis_of(a, &dtype, &dgrade);
			gw *o = &w[K_DISABILITY];
			prefix(o, key, h);
			gw_s(o, gen_dis_zh[dtype]);
			gw_c(o, ',');
			gw_c(o, (char)('0' + dgrade));
			gw_end(o);
		}
	}
	if (((h >> 16) & 0xffff) < RATE(5500) && AGE() >= 60) {
		gw *o = &w[K_PENSION];
		prefix(o, key, h);
		gw_money(o, 150000 + (dd_fen)(dd_gen_mix(h ^ 2) % 370000));
		gw_end(o);
	}
	if (((h >> 32) & 0xffff) < RATE(250) && AGE() >= 16 && age < 60) {
		uint64_t a = dd_gen_mix(h ^ 3);
		if (in_window(a, m)) {
			gw *o = &w[K_UNEMPLOYMENT];
			prefix(o, key, h);
			int from = (a & 15) == 0 ? 2 + (int)(a >> 4) % 11 : 1;
			dd_date reg = from > 1 ? dd_date_from_ymd(g->o.year, from, 1 + (int)(a >> 40) % 28)
					       : g->year_first - 1 - (dd_date)((a >> 40) % 700);
			gw_date(o, reg);
			gw_end(o);
		}
	}
	if ((h >> 48) < RATE(400) && AGE() >= 18 && age <= 75) {
		uint64_t a = dd_gen_mix(h ^ 4);
		static const char *const status[] = { "存续", "注销", "吊销" };
		unsigned st = a % 100 < 85 ? 0 : a % 100 < 95 ? 1 : 2;
		/* Some licences are cancelled during the year. */
		if (st == 0 && (a >> 8) % 20 == 0 && m >= 1 + (int)((a >> 16) % 12))
			st = 1;
		char uscc[19];
		gen_uscc(g->o.county, a >> 20, uscc);
		gw *o = &w[K_LICENSE];
		prefix(o, key, h);
		gw_mem(o, uscc, 18);
		gw_c(o, ',');
		gw_s(o, status[st]);
		gw_end(o);
	}
	if ((h2 & 0xffff) < RATE(20) && AGE() < 18) {
		gw *o = &w[K_ORPHAN];
		prefix(o, key, h);
		gw_s(o, (h2 >> 20) % 3 ? "事实无人抚养儿童" : "孤儿");
		gw_end(o);
	}
	if (((h2 >> 16) & 0xffff) < RATE(120)) {
		uint64_t a = dd_gen_mix(h ^ 5);
		if (in_window(a, m)) {
			gw *o = &w[K_FP];
			prefix(o, key, h);
			gw_s(o, gen_fp_zh[1 + (a >> 30) % 3]);
			gw_s(o, (a >> 34) % 10 == 0 && m >= 7 ? ",风险消除" : ",监测中");
			gw_end(o);
		}
	}
	if (((h2 >> 32) & 0xffff) < RATE(30) && AGE() >= 18) {
		static const char *const post[] = { "村党支部书记", "村委会主任", "村会计", "乡镇民政助理员", "低保经办人员" };
		static const char *const rel[] = { "配偶", "父母", "子女", "兄弟姐妹", "岳父母", "公婆" };
		uint64_t a = dd_gen_mix(h ^ 6);
		uint64_t j = a % g->npop;
		uint64_t ck = g->pop[j];
		if (ck == key)
			ck = g->pop[(j + 1) % g->npop];
		char cname[16];
		gw *o = &w[K_KIN];
		prefix(o, key, h);
		gw_mem(o, cname, dd_gen_name(person_hash(g, ck), gen_key_sex(ck), NULL, cname));
		gw_c(o, ',');
		gw_id(o, ck);
		gw_c(o, ',');
		gw_s(o, post[(a >> 20) % 5]);
		gw_c(o, ',');
		gw_s(o, rel[(a >> 24) % 6]);
		gw_s(o, (a >> 28) % 10 < 7 ? ",是" : ",否");
		gw_end(o);
	}
	/* Monthly subsidies: care for the severely disabled, living aid for some others, and the disabled old. */
	if (disabled && (dgrade <= 2 || (h2 >> 4) % 5 == 0)) {
		gw *o = &w[K_SUBSIDY];
		prefix(o, key, h);
		gw_s(o, dgrade <= 2 ? "重度残疾人护理补贴,100.00" : "困难残疾人生活补贴,80.00");
		gw_end(o);
	}
	if ((h2 >> 8) % 10 == 0 && AGE() >= 80) {
		gw *o = &w[K_SUBSIDY];
		prefix(o, key, h);
		gw_s(o, "失能补贴,200.00");
		gw_end(o);
	}
#undef AGE
}

/* ---- registry persons in the feeds (background only) ---- */

static bool alive_in(const gperson *p, int m)
{
	return p->death == DD_DATE_NONE || month_of_date(p->death) > m;
}

static void reg_rows(gen *g, gw *w, int m)
{
	for (size_t i = 0; i < g->hh.n; i++) {
		const ghh *h = &g->hh.v[i];
		if (h->planted)
			continue;
		for (uint32_t k = 0; k < h->n; k++) {
			const gperson *p = &g->persons.v[g->members.v[h->first + k].person];
			int age = gen_age(g, p->birth);
			if (p->death != DD_DATE_NONE && month_of_date(p->death) == m) {
				reg_prefix(&w[K_DEATH], p);
				gw_date(&w[K_DEATH], p->death);
				gw_end(&w[K_DEATH]);
			}
			if (!alive_in(p, m))
				continue;
			if (p->dis_grade) {
				reg_prefix(&w[K_DISABILITY], p);
				gw_s(&w[K_DISABILITY], gen_dis_zh[p->dis_type]);
				gw_c(&w[K_DISABILITY], ',');
				gw_c(&w[K_DISABILITY], (char)('0' + p->dis_grade));
				gw_end(&w[K_DISABILITY]);
				if (p->dibao) {
					reg_prefix(&w[K_SUBSIDY], p);
					gw_s(&w[K_SUBSIDY], p->dis_grade <= 2 ? "重度残疾人护理补贴,100.00"
									      : "困难残疾人生活补贴,80.00");
					gw_end(&w[K_SUBSIDY]);
				}
			}
			if (!h->cats && age >= 60 && p->key % 2) {
				reg_prefix(&w[K_PENSION], p);
				gw_money(&w[K_PENSION], 160000 + (dd_fen)(p->key % 200000));
				gw_end(&w[K_PENSION]);
			}
			int from = 1 + (int)(p->key / 25 % 12);
			if (!(h->cats & (DD_CAT_DB | DD_CAT_TK)) && p->labor <= LAB_SKILLED && age >= 20 && age <= 55 &&
			    p->key % 25 == 0 && m >= from) {
				reg_prefix(&w[K_UNEMPLOYMENT], p);
				gw_date(&w[K_UNEMPLOYMENT], from > 1 ? dd_date_from_ymd(g->o.year, from, 6) : g->year_first - 90);
				gw_end(&w[K_UNEMPLOYMENT]);
			}
			if (h->fp) {
				reg_prefix(&w[K_FP], p);
				gw_s(&w[K_FP], gen_fp_zh[h->fp]);
				gw_s(&w[K_FP], ",监测中");
				gw_end(&w[K_FP]);
			}
		}
		/* The July flood reaches some rural households. */
		const gperson *head = &g->persons.v[g->members.v[h->first].person];
		if (m == 7 && !h->urban && dd_gen_mix(head->key ^ 7) % 100 < 3 && alive_in(head, m)) {
			reg_prefix(&w[K_DISASTER], head);
			gw_date(&w[K_DISASTER], dd_date_from_ymd(g->o.year, 7, 18));
			gw_s(&w[K_DISASTER], ",洪涝,");
			gw_money(&w[K_DISASTER], 100000 + (dd_fen)(dd_gen_mix(head->key) % 1400000));
			gw_end(&w[K_DISASTER]);
		}
	}
}

/* ---- event feeds ---- */

typedef struct regpick {
	uint32_t *v;
	size_t n;
	unsigned permille;     /* share of medical rows that go to registry persons */
} regpick;

static void medical_row(gw *o, dd_gen_rng *r, dd_date date)
{
	bool inpatient = dd_gen_rng_below(r, 100) < 15;
	dd_fen total, self;
	if (inpatient) {
		/* Mostly short stays; one in 200 a major illness.  With 25 settlements a person a
		 * year the yearly thresholds (W01 10000, W02 50000) are crossed by a few only. */
		total = dd_gen_rng_below(r, 200) == 0 ? 3000000 + (dd_fen)dd_gen_rng_below(r, 17000000)
						      : 300000 + (dd_fen)dd_gen_rng_below(r, 600000);
		self = total * (10 + (dd_fen)dd_gen_rng_below(r, 16)) / 100;
	} else {
		total = 2000 + (dd_fen)dd_gen_rng_below(r, 78000);
		self = total * (20 + (dd_fen)dd_gen_rng_below(r, 41)) / 100;
	}
	gw_date(o, date);
	gw_s(o, inpatient ? ",住院," : ",门诊,");
	gw_money(o, total);
	gw_c(o, ',');
	gw_money(o, self);
	gw_end(o);
}

static void medical(gen *g, gw *o, dd_gen_rng *r, const regpick *rp, int m, uint64_t total)
{
	uint64_t days = (uint64_t)(g->year_last - g->year_first + 1);
	dd_date first = dd_month_first(dd_month_from_ym(g->o.year, m));
	dd_date last = dd_month_last(dd_month_from_ym(g->o.year, m));
	uint64_t done_before = total * (uint64_t)(first - g->year_first) / days;
	for (dd_date d = first; d <= last; d++) {
		uint64_t upto = total * (uint64_t)(d + 1 - g->year_first) / days;
		for (uint64_t k = done_before; k < upto; k++) {
			if (rp->n && dd_gen_rng_below(r, 1000) < rp->permille) {
				const gperson *p = &g->persons.v[rp->v[dd_gen_rng_below(r, rp->n)]];
				if (p->death != DD_DATE_NONE && p->death < d)
					continue;
				reg_prefix(o, p);
			} else if (g->npop) {
				uint64_t key = g->pop[dd_gen_rng_below(r, g->npop)];
				uint64_t h = person_hash(g, key);
				/* The dead are not treated: draw someone else. */
				for (int tries = 0; tries < 4; tries++) {
					dd_date death = pop_death(g, key, dd_gen_mix(h));
					if (death == DD_DATE_NONE || death >= d)
						break;
					key = g->pop[dd_gen_rng_below(r, g->npop)];
					h = person_hash(g, key);
				}
				prefix(o, key, h);
			} else {
				continue;
			}
			medical_row(o, r, d);
		}
		done_before = upto;
	}
}

typedef struct death_ev {
	dd_date date;
	uint64_t key;
} death_ev;

static int cmp_death(const void *a, const void *b)
{
	const death_ev *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void incidents(gen *g, gw *w, dd_gen_rng *r, int m)
{
	if (!g->npop)
		return;
	static const char *const what[] = { "交通事故", "交通事故", "交通事故", "火灾", "其他" };
	static const char *const hazard[12] = { "雪灾", "雪灾", "低温冷冻", "干旱", "风雹", "风雹",
						"洪涝", "洪涝", "风雹", "低温冷冻", "雪灾", "雪灾" };
	int days = dd_date_days_in_month(g->o.year, m);
	uint64_t n_inc = g->npop / 5000 + 1, n_dis = g->npop / (m == 7 || m == 8 ? 300 : 10000) + 1;
	for (uint64_t i = 0; i < n_inc; i++) {
		uint64_t key = g->pop[dd_gen_rng_below(r, g->npop)];
		gw *o = &w[K_INCIDENT];
		prefix(o, key, person_hash(g, key));
		gw_date(o, dd_date_from_ymd(g->o.year, m, 1 + (int)dd_gen_rng_below(r, (uint64_t)days)));
		gw_c(o, ',');
		gw_s(o, what[dd_gen_rng_below(r, 5)]);
		gw_c(o, ',');
		gw_u64(o, dd_gen_rng_below(r, 20) == 0);
		gw_c(o, ',');
		gw_u64(o, dd_gen_rng_below(r, 10) == 0 ? 1 + dd_gen_rng_below(r, 2) : 0);
		gw_c(o, ',');
		gw_money(o, (dd_fen)dd_gen_rng_below(r, 5000000));
		gw_end(o);
	}
	for (uint64_t i = 0; i < n_dis; i++) {
		uint64_t key = g->pop[dd_gen_rng_below(r, g->npop)];
		gw *o = &w[K_DISASTER];
		prefix(o, key, person_hash(g, key));
		gw_date(o, dd_date_from_ymd(g->o.year, m, 1 + (int)dd_gen_rng_below(r, (uint64_t)days)));
		gw_c(o, ',');
		gw_s(o, hazard[m - 1]);
		gw_c(o, ',');
		gw_money(o, 50000 + (dd_fen)dd_gen_rng_below(r, 3000000));
		gw_end(o);
	}
}

static dd_rc collect(gen *g, regpick *rp, death_ev **deaths, size_t *ndeaths)
{
	dd_rc rc = DD_OK;
	size_t cap = 1024;
	rp->v = malloc((g->persons.n ? g->persons.n : 1) * sizeof *rp->v);
	*deaths = malloc(cap * sizeof **deaths);
	*ndeaths = 0;
	if (!rp->v || !*deaths) {
		rc = DD_ERR_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < g->hh.n; i++) {
		const ghh *h = &g->hh.v[i];
		for (uint32_t k = 0; !h->planted && k < h->n; k++)
			rp->v[rp->n++] = g->members.v[h->first + k].person;
	}
	/* Registry persons are sicker than average: a bit more than their share of the settlements. */
	rp->permille = g->npop + rp->n ? (unsigned)DD_MIN(500, 1200 * rp->n / (g->npop + rp->n)) : 0;
	for (uint64_t i = 0; i < g->npop; i++) {
		uint64_t h = person_hash(g, g->pop[i]);
		dd_date d = pop_death(g, g->pop[i], dd_gen_mix(h));
		if (d == DD_DATE_NONE)
			continue;
		if (*ndeaths == cap) {
			death_ev *nv = realloc(*deaths, 2 * cap * sizeof *nv);
			if (!nv) {
				rc = DD_ERR_NOMEM;
				goto done;
			}
			*deaths = nv;
			cap *= 2;
		}
		(*deaths)[(*ndeaths)++] = (death_ev){ d, g->pop[i] };
	}
	qsort(*deaths, *ndeaths, sizeof **deaths, cmp_death);
done:
	if (rc != DD_OK)
		dd_err_set(g->err, rc, "out of memory preparing the feeds");
	return rc;
}

dd_rc gen_write_feeds(gen *g, dd_gen_report_fn report, void *arg)
{
	dd_rc rc;
	gw w[K_COUNT];
	memset(w, 0, sizeof w);
	regpick rp = { 0 };
	death_ev *deaths = NULL;
	size_t ndeaths = 0, di = 0;
	uint64_t med_total = g->o.medical_rows >= 0 ? (uint64_t)g->o.medical_rows : 25 * g->npop;
	if ((rc = collect(g, &rp, &deaths, &ndeaths)) != DD_OK)
		goto done;
	for (int m = 1; m <= 12; m++) {
		dd_month mon = dd_month_from_ym(g->o.year, m);
		char ym[8], rel[64];
		dd_month_format(mon, ym);
		for (int k = 0; k < K_COUNT; k++) {
			snprintf(rel, sizeof rel, "feeds/%s/%s.csv", kind_name[k], ym);
			if ((rc = gen_open(g, &w[k], rel, kind_header[k])) != DD_OK)
				goto done;
		}
		dd_gen_rng r;
		dd_gen_rng_seed(&r, dd_gen_mix(g->o.seed) ^ (uint64_t)m * 0x51ed27);
		medical(g, &w[K_MEDICAL], &r, &rp, m, med_total);
		for (uint64_t i = 0; i < g->npop; i++)
			pop_person(g, w, g->pop[i], m);
		reg_rows(g, w, m);
		for (; di < ndeaths && month_of_date(deaths[di].date) == m; di++) {
			prefix(&w[K_DEATH], deaths[di].key, person_hash(g, deaths[di].key));
			gw_date(&w[K_DEATH], deaths[di].date);
			gw_end(&w[K_DEATH]);
		}
		incidents(g, w, &r, m);
		for (size_t i = 0; i < g->prows.n; i++) {
			const gplantrow *p = &g->prows.v[i];
			if (p->month != m)
				continue;
			gw *o = &w[p->kind];
			gw_row(o);
			gw_s(o, p->id);
			gw_c(o, ',');
			gw_s(o, p->name);
			gw_c(o, ',');
			gw_s(o, p->rest);
			gw_end(o);
		}
		for (int k = 0; k < K_COUNT; k++)
			if ((rc = gen_close(g, &w[k], report, arg)) != DD_OK)
				goto done;
	}
done:
	for (int k = 0; k < K_COUNT; k++)
		gw_close(&w[k], NULL);
	free(rp.v);
	free(deaths);
	return rc;
}

/* ---- payments ---- */

static dd_rc fund(gen *g, const char *check, uint32_t person, size_t hh, const char *item, dd_fen amount,
		  const char *detail)
{
	gfund *f = GEN_PUSH(g->funds);
	if (!f)
		return dd_err_set(g->err, DD_ERR_NOMEM, "out of memory");
	snprintf(f->check, sizeof f->check, "%s", check);
	f->person = person;
	f->hh = (uint32_t)hh;
	f->item = item;
	f->amount = amount;
	snprintf(f->detail, sizeof f->detail, "%s", detail);
	return DD_OK;
}

static void pay_row(gw *o, const ghh *h, const gperson *p, const char *item, dd_month mon, dd_fen amount, dd_date paid)
{
	gw_row(o);
	gw_s(o, h->no);
	gw_c(o, ',');
	gw_s(o, p->id);
	gw_c(o, ',');
	gw_s(o, p->name);
	gw_c(o, ',');
	gw_s(o, item);
	gw_c(o, ',');
	gw_month(o, mon);
	gw_c(o, ',');
	gw_money(o, amount);
	gw_c(o, ',');
	gw_date(o, paid);
	gw_end(o);
}

/*
 * One household's payments of month m; the funds-check plants act in
 * December.  recognized_on is the latest recognition, usually a renewal,
 * so households are paid from January, up to their exit or death month.
 */
static dd_rc pay_household(gen *g, gw *o, size_t hi, int m)
{
	dd_rc rc = DD_OK;
	const ghh *h = &g->hh.v[hi];
	dd_month mon = dd_month_from_ym(g->o.year, m);
	if (!(h->cats & (DD_CAT_DB | DD_CAT_TK)))
		return DD_OK;
	bool after_exit = h->exited_on != DD_DATE_NONE && dd_month_of(h->exited_on) < mon;
	dd_fen S = gen_standard(g, h);
	int64_t n = 0;
	for (uint32_t k = 0; k < h->n; k++)
		n += !g->persons.v[g->members.v[h->first + k].person].tk;
	dd_fen per = n ? (12 * S * n - h->assessed) / (12 * n) : 0;
	per = DD_MAX(per, S / 10);
	for (uint32_t k = 0; k < h->n && rc == DD_OK; k++) {
		uint32_t pi = g->members.v[h->first + k].person;
		const gperson *p = &g->persons.v[pi];
		bool dec = m == 12;
		bool dead = p->death != DD_DATE_NONE && dd_month_of(p->death) < mon;
		if (p->bad_check || (!p->tk && !p->dibao))
			continue;
		if ((dead && !(dec && p->pay == PAY_AFTER_DEATH)) || (after_exit && !(dec && p->pay == PAY_AFTER_EXIT)))
			continue;
		const char *item = p->tk ? "特困供养金" : "低保金";
		dd_fen amount = p->tk ? S * 13 / 10 : per;
		dd_date paid = dd_date_from_ymd(g->o.year, m, h->pay_day);
		if (dec) {
			switch (p->pay) {
			case PAY_OVER:
				amount = S + 1;
				rc = fund(g, "over_standard", pi, hi, item, amount, "低保金高于当年标准 0.01 元");
				break;
			case PAY_EXACT_S:
				amount = S;
				break;
			case PAY_LATE:
				paid = dd_date_from_ymd(g->o.year, m, 11);
				rc = fund(g, "late", pi, hi, item, amount, "12月11日发放，晚于每月10日");
				break;
			case PAY_DAY10:
				paid = dd_date_from_ymd(g->o.year, m, 10);
				break;
			case PAY_AFTER_EXIT:
				rc = fund(g, "exited", pi, hi, item, amount, "家庭11月退出后仍发放12月");
				break;
			case PAY_AFTER_DEATH:
				rc = fund(g, "deceased", pi, hi, item, amount, "11月死亡后仍发放12月");
				break;
			case PAY_TWICE:
				pay_row(o, h, p, item, mon, amount, paid);
				rc = fund(g, "duplicate", pi, hi, item, amount, "同人同月同项目重复发放");
				break;
			default:
				break;
			}
		}
		pay_row(o, h, p, item, mon, amount, paid);
	}
	return rc;
}

dd_rc gen_write_payments(gen *g, dd_gen_report_fn report, void *arg)
{
	dd_rc rc = DD_OK;
	gw w = { 0 };
	for (int m = 1; m <= 12 && rc == DD_OK; m++) {
		char ym[8], rel[64];
		dd_month_format(dd_month_from_ym(g->o.year, m), ym);
		snprintf(rel, sizeof rel, "payments/%s.csv", ym);
		rc = gen_open(g, &w, rel, "household_no,id_number,name,item,month,amount,paid_date");
		for (size_t i = 0; rc == DD_OK && i < g->hh.n; i++)
			rc = pay_household(g, &w, g->order[i], m);
		if (rc == DD_OK)
			rc = gen_close(g, &w, report, arg);
	}
	gw_close(&w, NULL);
	return rc;
}
