/*
 * gen_int.h - internals of the generator shared by its .c files.
 *
 * One `gen` holds the whole state of a run: the registry (households,
 * memberships, persons, obligors) in growable arrays it owns, the
 * population as packed ID keys, and the planted rows.  gen_free releases it.
 */
#ifndef DD_GEN_INT_H
#define DD_GEN_INT_H

#include "gen.h"
#include "../core/money.h"
#include "../core/policy.h"
#include "../core/registry.h"

#include <stdio.h>

/* ---- buffered CSV writer: one large buffer, hand-written formatting ---- */
#define GW_CAP (1u << 20)
#define GW_ROW_MAX 4096   /* no row we write is longer */

typedef struct gw {
	FILE *f;
	char *buf;
	size_t len;
	uint64_t rows;
	bool failed;
	char path[512];
} gw;

dd_rc gw_open(gw *w, const char *path, const char *header, dd_err *err);
/* Flushes and closes; reports the first write error.  Safe on a never-opened gw. */
dd_rc gw_close(gw *w, dd_err *err);
void gw_flush(gw *w);
static inline void gw_row(gw *w)
{
	if (w->len > GW_CAP - GW_ROW_MAX)
		gw_flush(w);
}
static inline void gw_mem(gw *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w->buf[w->len + i] = s[i];
	w->len += n;
}
static inline void gw_c(gw *w, char c)
{
	w->buf[w->len++] = c;
}
void gw_s(gw *w, const char *s);            /* raw text, no quoting */
void gw_field(gw *w, const char *s);        /* RFC 4180: quoted when needed */
void gw_u64(gw *w, uint64_t v);
void gw_money(gw *w, dd_fen v);
void gw_date(gw *w, dd_date d);             /* nothing for DD_DATE_NONE */
void gw_month(gw *w, dd_month m);
void gw_id(gw *w, uint64_t key);            /* the 18-char ID of a packed key */
static inline void gw_end(gw *w)
{
	gw_c(w, '\n');
	w->rows++;
}

/* ---- vocabularies ---- */
enum { REL_HEAD, REL_SPOUSE, REL_CHILD, REL_PARENT, REL_GRANDCHILD, REL_SIBLING, REL_OTHER };
enum { HEALTH_OK, HEALTH_CHRONIC, HEALTH_SERIOUS, HEALTH_DISABLED };
enum { LAB_NORMAL, LAB_SKILLED, LAB_WEAK, LAB_LOST, LAB_NONE };
enum { DIS_NONE, DIS_VISUAL, DIS_HEARING, DIS_SPEECH, DIS_PHYSICAL, DIS_INTELLECT, DIS_MENTAL, DIS_MULTI };
enum { FP_NONE, FP_UNSTABLE, FP_EDGE, FP_SUDDEN };

extern const char *const gen_rel_zh[];
extern const char *const gen_health_zh[];
extern const char *const gen_labor_zh[];
extern const char *const gen_dis_zh[];
extern const char *const gen_fp_zh[];

/* Funds-check plants on a person's December payment. */
enum { PAY_NORMAL, PAY_TWICE, PAY_OVER, PAY_EXACT_S, PAY_LATE, PAY_DAY10, PAY_AFTER_EXIT, PAY_AFTER_DEATH };

/* ---- the registry ---- */
typedef struct gperson {
	uint64_t key;           /* dd_id_key of id (of the valid ID for a bad-check one) */
	char id[19];
	char name[16];
	char phone[12];
	dd_date birth;
	dd_date death;          /* DD_DATE_NONE: alive through the year */
	char sex;               /* 'M' / 'F' */
	uint8_t health, labor, dis_type, dis_grade, edu;
	uint8_t pay;            /* PAY_* */
	bool tk, dibao, planted, bad_check, uninsured, student_dropout;
	uint8_t work_months;    /* > 0: migrant worker */
	dd_fen wage;            /* own annual wage, fen; 0 = none recorded */
} gperson;

typedef struct gmember {
	uint32_t person;
	uint8_t rel;
} gmember;

typedef struct ghh {
	char no[24];
	uint32_t village;       /* index into gen.villages */
	bool urban;
	unsigned cats;          /* DD_CAT_* */
	uint8_t fp;
	bool tuopin, whole_no_labor, planted;
	bool housing_unsafe, dropout, water_unsafe, uninsured;
	uint16_t risks;         /* bit i: gen_risk_zh[i] */
	uint16_t house;         /* house number in the address */
	uint8_t summary;
	dd_fen wage, business, property, transfer, insurance;
	dd_fen bexp, med, edu, rehab, fin, vehicle;
	dd_fen assessed;        /* A, kept for the payments */
	dd_date recognized_on, exited_on;
	uint32_t first, n;      /* into gen.members */
	uint8_t pay_day;
} ghh;

typedef struct gobligor {
	uint32_t hh;
	uint64_t key;
	char name[16];
	char phone[12];
	uint8_t rel;            /* index into gen_obligor_rel */
	dd_fen monthly;
	uint8_t occupation;
} gobligor;

typedef struct gvillage {
	char code[13];
	char name[256];
	bool urban;             /* under a 街道 */
} gvillage;

/* A planted feed row: id and name, then the rest of the columns, pre-formatted. */
typedef struct gplantrow {
	uint8_t kind;
	uint8_t month;          /* 1..12 */
	char id[19];
	char name[16];
	char rest[112];
} gplantrow;

typedef struct gcase {
	char rule[4];
	bool negative;
	char id[19];
	char hh[24];
	char detail[160];
} gcase;

/* Funds findings planted in December (planted_funds.csv). */
typedef struct gfund {
	char check[16];
	uint32_t person, hh;
	const char *item;
	dd_fen amount;
	char detail[96];
} gfund;

/* Feed kinds, in FORMATS.md §3 order. */
enum { K_MEDICAL, K_DISABILITY, K_DEATH, K_PENSION, K_UNEMPLOYMENT, K_LICENSE, K_ORPHAN,
       K_SUBSIDY, K_INCIDENT, K_DISASTER, K_FP, K_KIN, K_COUNT };

#define GEN_VEC(T) struct { T *v; size_t n, cap; }

typedef struct gen {
	dd_gen_opts o;
	dd_policy pol;
	dd_fen s_urban, s_rural, disp_urban, disp_rural, fin_limit, emp_cost;
	int tk_age, tk_minor_age, recheck_stable, recheck_other, edge, rigid;
	dd_date ref;            /* first day of December: ages are taken here */
	dd_date year_first, year_last;
	dd_gen_rng rng;         /* registry stream */
	GEN_VEC(gvillage) villages;
	GEN_VEC(ghh) hh;
	GEN_VEC(gmember) members;
	GEN_VEC(gperson) persons;
	GEN_VEC(gobligor) obligors;
	GEN_VEC(gplantrow) prows;
	GEN_VEC(gcase) cases;
	GEN_VEC(gfund) funds;
	GEN_VEC(uint64_t) plant_pop;   /* W02 persons: outside registry and population */
	uint32_t *number;       /* household number of the i-th household created (a shuffle of 1..N) */
	uint32_t *order;        /* household indices in household-number order */
	uint64_t *pop;          /* population ID keys */
	uint64_t npop;
	uint16_t *seq;          /* next sequence number per (birth day, sex) */
	dd_date seq_base;
	size_t seq_days;
	dd_err *err;
} gen;

/* Appends one zeroed element to a GEN_VEC; NULL on allocation failure. */
void *gen_vec_push(void *vec, size_t elem);
#define GEN_PUSH(vec) ((__typeof__((vec).v))gen_vec_push(&(vec), sizeof(*(vec).v)))

/* A fresh unique ID for someone born on `birth` (moves to a later day when full). */
uint64_t gen_alloc_id(gen *g, dd_date birth, char sex);
/* ID text of a packed key. */
void gen_key_text(uint64_t key, char out[19]);
dd_date gen_key_birth(uint64_t key);
char gen_key_sex(uint64_t key);
/* A birth date giving `age` whole years at g->ref. */
dd_date gen_birth_for_age(gen *g, dd_gen_rng *r, int age);
int gen_age(const gen *g, dd_date birth);
void gen_phone(dd_gen_rng *r, char out[12]);
/* 统一社会信用代码 (GB 32100) of an individual business in the county. */
void gen_uscc(const char *county, uint64_t h, char out[19]);
/* Weighted choice: index i with probability w[i] / sum(w). */
unsigned gen_pick(dd_gen_rng *r, const unsigned *w, unsigned n);

/* Opens out_dir/relpath with its header line; gen_close reports it with its row count. */
dd_rc gen_open(gen *g, gw *w, const char *relpath, const char *header);
dd_rc gen_close(gen *g, gw *w, dd_gen_report_fn report, void *arg);

dd_rc gen_regions(gen *g);
dd_rc gen_registry(gen *g);          /* background households */
dd_rc gen_plants(gen *g);            /* planted households, rows and cases */
dd_rc gen_write_registry(gen *g, dd_gen_report_fn report, void *arg);
dd_rc gen_write_plants(gen *g, dd_gen_report_fn report, void *arg);
dd_rc gen_population(gen *g);
dd_rc gen_write_feeds(gen *g, dd_gen_report_fn report, void *arg);
dd_rc gen_write_payments(gen *g, dd_gen_report_fn report, void *arg);

/*
 * Household building, shared by background and planted households.
 * gen_hh_begin starts a household, gen_hh_add adds a member of the given
 * age (at g->ref), gen_hh_finish draws its money so the assessment rules
 * give back `cats`.
 */
typedef struct gmspec {
	int age;
	char sex;               /* 0: random */
	uint8_t rel, labor, health, dis_type, dis_grade;
	bool tk;
	bool exact;             /* use `birth` instead of drawing one for `age` */
	dd_date birth;
} gmspec;
ghh *gen_hh_begin(gen *g, unsigned cats, int urban /* -1 random by village */);
gperson *gen_hh_add(gen *g, ghh *h, const gmspec *m);
void gen_hh_finish(gen *g, ghh *h);
dd_fen gen_standard(const gen *g, const ghh *h);
const char *gen_surname_of(const char *name, char out[8]);

#endif
