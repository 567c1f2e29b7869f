/* test_assess.c - the assessment engine: every category, every boundary of DOMAIN.md §2.1–§2.3. */
#include "unit.h"

#include "assess/assess.h"
#include "core/text.h"

#include <stdlib.h>

/*
 * The test county: rural S 700 (so the FORMATS.md example reads as written),
 * urban S 800, disposable income 20000 / 40000, financial assets 20000 per
 * person, no vehicle allowed, FP line 8400.  [assess] keeps its defaults:
 * edge 150 %, rigid 60 %, employment cost 300/month, TK ages 60 and 18,
 * 12 months of S, obligor factor 2.
 */
static const char base_policy[] =
	"[standards.2025]\n"
	"dibao_urban_month = 800\n"
	"dibao_rural_month = 700\n"
	"disposable_income_urban = 40000\n"
	"disposable_income_rural = 20000\n"
	"fin_assets_limit = 20000\n"
	"vehicle_limit = 0\n"
	"fp_line = 8400\n";

static const char standards_2023[] =
	"[standards.2023]\n"
	"dibao_urban_month = 600\n"
	"dibao_rural_month = 500\n"
	"disposable_income_urban = 30000\n"
	"disposable_income_rural = 15000\n"
	"fin_assets_limit = 10000\n"
	"vehicle_limit = 0\n"
	"fp_line = 6000\n";

typedef struct mspec {
	const char *birth;        /* YYYYMMDD; NULL ends the list */
	const char *labor, *health, *dis_type;
	int grade;
	const char *wage;         /* yuan; NULL = not recorded */
	int orphan;               /* 1 = receives the orphan guarantee */
	const char *name;
} mspec;

#define ADULT { "19800101", "普通劳动力", NULL, NULL, 0, NULL, -1, NULL }
#define SKILLED { "19800101", "技能劳动力", NULL, NULL, 0, NULL, -1, NULL }
#define WEAK { "19800101", "弱劳动力或半劳动力", NULL, NULL, 0, NULL, -1, NULL }
#define OLD { "19500101", "丧失劳动力", NULL, NULL, 0, NULL, -1, NULL }
#define ILL { "19800101", "普通劳动力", "患有大病", NULL, 0, NULL, -1, NULL }
#define ILL_WEAK { "19800101", "弱劳动力或半劳动力", "患有大病", NULL, 0, NULL, -1, NULL }
#define SEVERE_WEAK { "19800101", "弱劳动力或半劳动力", "残疾", "肢体", 1, NULL, -1, NULL }
#define DISABLED(type, grade) { "19800101", "丧失劳动力", "残疾", type, grade, NULL, -1, NULL }
#define AGED(birth, labor) { birth, labor, NULL, NULL, 0, NULL, -1, NULL }
#define EARNER(labor, wage) { "19800101", labor, NULL, NULL, 0, wage, -1, NULL }
#define OLD_EARNING(wage) { "19500101", "丧失劳动力", NULL, NULL, 0, wage, -1, NULL }
#define CHILD(orphan) { "20150101", NULL, NULL, NULL, 0, NULL, orphan, NULL }

typedef struct hspec {
	const char *wage, *business, *property, *transfer, *insurance;
	const char *bexp, *medical, *education, *rehab, *fin, *vehicle;
	const char *risk;
} hspec;

typedef struct acase {
	const char *name;
	const char *policy;       /* INI over base_policy, or NULL */
	const char *date;         /* NULL: 2025-06-01 */
	dd_hukou hukou;
	hspec h;
	mspec m[4];
	int nobligors;
	const char *obligor[2];   /* monthly income; NULL = not given */
	/* expected: cat "TK" … "NONE", or "ERR" for DD_ERR_INPUT */
	const char *cat;
	int n;
	const char *S, *G, *N, *E, *A;
	const char *tk;           /* per member: the dd_tk_result digit */
	const char *single;       /* per member: 1 = single-person DB */
	int fp;
} acase;

#define R DD_HUKOU_RURAL
#define U DD_HUKOU_URBAN

static const acase cases[] = {
	/* ---- DB / BY income boundaries ---- */
	{ "FORMATS.md example: A 9000 is not below 12x700 but below 150 % -> BY", NULL, NULL, R,
	  { .wage = "12000", .medical = "3000" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "12000.00", "9000.00", "0.00", "9000.00", "1", "0", 0 },
	{ "DB income exactly at 12xSxn is not DB", NULL, NULL, R, { .transfer = "8400" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "8400.00", "8400.00", "0.00", "8400.00", "1", "0", 0 },
	{ "DB income one fen below 12xSxn is DB", NULL, NULL, R, { .transfer = "8399.99" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "8399.99", "8399.99", "0.00", "8399.99", "1", "0", 0 },
	{ "DB line scales with n: 16799.99 for two is DB", NULL, NULL, R, { .transfer = "16799.99" },
	  { ADULT, ADULT }, 0, { 0 },
	  "DB", 2, "700.00", "16799.99", "16799.99", "0.00", "16799.99", "11", "00", 0 },
	{ "DB line for two: exactly 16800 is BY", NULL, NULL, R, { .transfer = "16800" }, { ADULT, ADULT }, 0, { 0 },
	  "BY", 2, "700.00", "16800.00", "16800.00", "0.00", "16800.00", "11", "00", 0 },
	{ "BY income exactly at 150 % of 12xSxn is not BY", NULL, NULL, R, { .transfer = "12600" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "12600.00", "12600.00", "0.00", "12600.00", "1", "0", 0 },
	{ "BY income one fen below 150 % is BY", NULL, NULL, R, { .transfer = "12599.99" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "12599.99", "12599.99", "0.00", "12599.99", "1", "0", 0 },
	/* ---- GZ ---- */
	{ "GZ rigid share exactly 60 % of G is not GZ", NULL, NULL, R, { .transfer = "40000", .education = "24000" },
	  { ADULT, ADULT, ADULT }, 0, { 0 },
	  "NONE", 3, "700.00", "40000.00", "40000.00", "0.00", "40000.00", "111", "000", 0 },
	{ "GZ rigid share 60 % + 1 fen is GZ", NULL, NULL, R, { .transfer = "40000", .education = "24000.01" },
	  { ADULT, ADULT, ADULT }, 0, { 0 },
	  "GZ", 3, "700.00", "40000.00", "40000.00", "0.00", "40000.00", "111", "000", 0 },
	{ "GZ income exactly at disposable income x n is not GZ", NULL, NULL, R,
	  { .transfer = "20000", .education = "20000" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "20000.00", "20000.00", "0.00", "20000.00", "1", "0", 0 },
	{ "GZ income one fen below disposable income is GZ", NULL, NULL, R,
	  { .transfer = "19999.99", .education = "19999.99" }, { ADULT }, 0, { 0 },
	  "GZ", 1, "700.00", "19999.99", "19999.99", "0.00", "19999.99", "1", "0", 0 },
	{ "GZ rigid spending counts medical, education and rehabilitation", NULL, NULL, R,
	  { .transfer = "50000", .medical = "8000", .education = "8000", .rehab = "14000.01" },
	  { ADULT, ADULT, ADULT }, 0, { 0 },
	  "GZ", 3, "700.00", "50000.00", "42000.00", "0.00", "42000.00", "111", "000", 0 },
	/* ---- urban vs rural ---- */
	{ "urban household uses dibao_urban_month: 9599.99 is DB", NULL, NULL, U, { .transfer = "9599.99" },
	  { ADULT }, 0, { 0 },
	  "DB", 1, "800.00", "9599.99", "9599.99", "0.00", "9599.99", "1", "0", 0 },
	{ "urban income exactly 12x800 is BY", NULL, NULL, U, { .transfer = "9600" }, { ADULT }, 0, { 0 },
	  "BY", 1, "800.00", "9600.00", "9600.00", "0.00", "9600.00", "1", "0", 0 },
	{ "rural household uses dibao_rural_month: 9599.99 is BY", NULL, NULL, R, { .transfer = "9599.99" },
	  { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "9599.99", "9599.99", "0.00", "9599.99", "1", "0", 0 },
	{ "urban GZ uses disposable_income_urban: 30000 is GZ", NULL, NULL, U,
	  { .transfer = "30000", .education = "30000" }, { ADULT }, 0, { 0 },
	  "GZ", 1, "800.00", "30000.00", "30000.00", "0.00", "30000.00", "1", "0", 0 },
	{ "rural GZ uses disposable_income_rural: 30000 is NONE", NULL, NULL, R,
	  { .transfer = "30000", .education = "30000" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "30000.00", "30000.00", "0.00", "30000.00", "1", "0", 0 },
	/* ---- financial assets ---- */
	{ "DB fin assets exactly at the limit pass (<=)", NULL, NULL, R, { .fin = "20000" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "DB fin assets one fen over the limit fail -> BY", NULL, NULL, R, { .fin = "20000.01" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "BY fin assets exactly at 150 % fail (strict <)", NULL, NULL, R, { .fin = "30000" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "BY fin assets one fen below 150 % pass", NULL, NULL, R, { .fin = "29999.99" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "DB fin asset limit scales with n: 40000 for two pass", NULL, NULL, R, { .fin = "40000" },
	  { ADULT, ADULT }, 0, { 0 },
	  "DB", 2, "700.00", "0.00", "0.00", "0.00", "0.00", "11", "00", 0 },
	{ "GZ uses the BY asset limit: 30000 fails GZ", NULL, NULL, R,
	  { .transfer = "15000", .education = "15000", .fin = "30000" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "15000.00", "15000.00", "0.00", "15000.00", "1", "0", 0 },
	/* ---- vehicles ---- */
	{ "vehicle_limit 0: any vehicle fails DB, BY and GZ", NULL, NULL, R,
	  { .vehicle = "0.01", .education = "100" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "vehicle_limit 0: a vehicle value of 0 is no vehicle", NULL, NULL, R,
	  { .vehicle = "0", .education = "100" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "vehicle exactly at the DB limit passes DB", "[standards.2025]\nvehicle_limit = 10000\n", NULL, R,
	  { .vehicle = "10000" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "vehicle one fen over the DB limit is BY", "[standards.2025]\nvehicle_limit = 10000\n", NULL, R,
	  { .vehicle = "10000.01" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "vehicle exactly at 150 % of the limit fails BY", "[standards.2025]\nvehicle_limit = 10000\n", NULL, R,
	  { .vehicle = "15000" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "vehicle one fen below 150 % passes BY", "[standards.2025]\nvehicle_limit = 10000\n", NULL, R,
	  { .vehicle = "14999.99" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "vehicle exactly at 150 % fails GZ", "[standards.2025]\nvehicle_limit = 10000\n", NULL, R,
	  { .transfer = "15000", .education = "15000", .vehicle = "15000" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "15000.00", "15000.00", "0.00", "15000.00", "1", "0", 0 },
	{ "vehicle one fen below 150 % passes GZ", "[standards.2025]\nvehicle_limit = 10000\n", NULL, R,
	  { .transfer = "15000", .education = "15000", .vehicle = "14999.99" }, { ADULT }, 0, { 0 },
	  "GZ", 1, "700.00", "15000.00", "15000.00", "0.00", "15000.00", "1", "0", 0 },
	/* ---- income figures and the employment-cost deduction ---- */
	{ "E: a wage below the cap is deducted whole", NULL, NULL, R, { .wage = "2000" },
	  { EARNER("普通劳动力", "2000"), ADULT }, 0, { 0 },
	  "DB", 2, "700.00", "2000.00", "2000.00", "2000.00", "0.00", "11", "00", 0 },
	{ "E: a wage above 12x300 is capped at 3600", NULL, NULL, R, { .wage = "6000" },
	  { EARNER("普通劳动力", "5000"), EARNER("普通劳动力", "1000") }, 0, { 0 },
	  "DB", 2, "700.00", "6000.00", "6000.00", "4600.00", "1400.00", "11", "00", 0 },
	{ "E: three wage earners, each capped on their own", NULL, NULL, R, { .wage = "20000" },
	  { EARNER("普通劳动力", "4000"), EARNER("技能劳动力", "3600"), EARNER("普通劳动力", "3599.99") }, 0, { 0 },
	  "DB", 3, "700.00", "20000.00", "20000.00", "10799.99", "9200.01", "111", "000", 0 },
	{ "E: unknown and zero member wages deduct nothing", NULL, NULL, R, { .wage = "10000" },
	  { ADULT, EARNER("普通劳动力", "0") }, 0, { 0 },
	  "DB", 2, "700.00", "10000.00", "10000.00", "0.00", "10000.00", "11", "00", 0 },
	{ "E: employment_cost_month is a parameter (500 -> cap 6000)", "[assess]\nemployment_cost_month = 500\n",
	  NULL, R, { .wage = "8000" }, { EARNER("普通劳动力", "8000") }, 0, { 0 },
	  "DB", 1, "700.00", "8000.00", "8000.00", "6000.00", "2000.00", "1", "0", 0 },
	{ "E: a TK member's wage is not deducted", NULL, NULL, R, { .wage = "3000" },
	  { OLD_EARNING("1000"), EARNER("弱劳动力或半劳动力", "2000") }, 0, { 0 },
	  "DB", 1, "700.00", "3000.00", "3000.00", "2000.00", "1000.00", "01", "00", 0 },
	{ "A is 0 when E exceeds N", NULL, NULL, R, { .wage = "3000", .medical = "1000" },
	  { EARNER("普通劳动力", "3000") }, 0, { 0 },
	  "DB", 1, "700.00", "3000.00", "2000.00", "3000.00", "0.00", "1", "0", 0 },
	{ "G sums five incomes; N takes business expense and compliant medical off", NULL, NULL, R,
	  { .business = "10000", .bexp = "4000", .medical = "500", .property = "100", .insurance = "50",
	    .transfer = "200" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "10350.00", "5850.00", "0.00", "5850.00", "1", "0", 0 },
	/* ---- TK rule 1: who ---- */
	{ "TK: exactly 60 at the date is elderly", NULL, NULL, R, { 0 }, { AGED("19650601", "丧失劳动力") }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK: 60 tomorrow is not elderly", NULL, NULL, R, { 0 }, { AGED("19650602", "丧失劳动力") }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "TK: 17 years 364 days is a minor", NULL, NULL, R, { 0 }, { AGED("20070602", NULL) }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK: exactly 18 is not a minor", NULL, NULL, R, { 0 }, { AGED("20070601", NULL) }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "TK: tk_age is a parameter (65): 63 is not elderly", "[assess]\ntk_age = 65\n", NULL, R, { 0 },
	  { AGED("19620101", "丧失劳动力") }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "TK: grade 1 of any type is severe", NULL, NULL, R, { 0 }, { DISABLED("肢体", 1) }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK: grade 2 视力 is severe", NULL, NULL, R, { 0 }, { DISABLED("视力", 2) }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK: grade 3 智力 is severe", NULL, NULL, R, { 0 }, { DISABLED("智力", 3) }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK: grade 3 精神 is severe", NULL, NULL, R, { 0 }, { DISABLED("精神", 3) }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK: grade 3 多重 is not severe", NULL, NULL, R, { 0 }, { DISABLED("多重", 3) }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "TK: grade 3 肢体 is not severe", NULL, NULL, R, { 0 }, { DISABLED("肢体", 3) }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "TK: grade 4 is not severe", NULL, NULL, R, { 0 }, { DISABLED("智力", 4) }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	/* ---- TK rule 2: labour ---- */
	{ "TK rule 2: elderly with 弱劳动力 has labour", NULL, NULL, R, { 0 },
	  { AGED("19500101", "弱劳动力或半劳动力") }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "2", "0", 0 },
	{ "TK rule 2: 无劳动力 counts as no labour", NULL, NULL, R, { 0 }, { AGED("19500101", "无劳动力") }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK rule 2: elderly without a labour record fails", NULL, NULL, R, { 0 }, { AGED("19500101", NULL) }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "2", "0", 0 },
	{ "TK rule 2: a minor with 普通劳动力 still passes (minors need no labour test)", NULL, NULL, R, { 0 },
	  { AGED("20100101", "普通劳动力") }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	/* ---- TK rule 3: own income ---- */
	{ "TK rule 3: own wage exactly 12xS fails", NULL, NULL, R, { .wage = "8400" }, { OLD_EARNING("8400") }, 0, { 0 },
	  "DB", 1, "700.00", "8400.00", "8400.00", "3600.00", "4800.00", "3", "0", 0 },
	{ "TK rule 3: own wage one fen below 12xS passes", NULL, NULL, R, { .wage = "8399.99" },
	  { OLD_EARNING("8399.99") }, 0, { 0 },
	  "TK", 0, "700.00", "8399.99", "8399.99", "0.00", "8399.99", "0", "0", 0 },
	/* ---- TK rule 4: nobody can support ---- */
	{ "TK rule 4: obligor income exactly 2xS can support", NULL, NULL, R, { 0 }, { OLD }, 1, { "1400" },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "4", "0", 0 },
	{ "TK rule 4: obligor one fen below 2xS cannot support", NULL, NULL, R, { 0 }, { OLD }, 1, { "1399.99" },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK rule 4: obligor without a recorded income cannot support", NULL, NULL, R, { 0 }, { OLD }, 1, { NULL },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK rule 4: any one of several obligors able is enough", NULL, NULL, R, { 0 }, { OLD }, 2, { "100", "5000" },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "4", "0", 0 },
	{ "TK rule 4: urban obligor line is 2x800: 1500 cannot support", NULL, NULL, U, { 0 }, { OLD }, 1, { "1500" },
	  "TK", 0, "800.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "TK rule 4: another member with 普通劳动力 supports", NULL, NULL, R, { 0 }, { OLD, ADULT }, 0, { 0 },
	  "DB", 2, "700.00", "0.00", "0.00", "0.00", "0.00", "41", "00", 0 },
	{ "TK rule 4: another member with 技能劳动力 supports", NULL, NULL, R, { 0 }, { OLD, SKILLED }, 0, { 0 },
	  "DB", 2, "700.00", "0.00", "0.00", "0.00", "0.00", "41", "00", 0 },
	{ "TK rule 4: a 弱劳动力 member does not support", NULL, NULL, R, { 0 }, { OLD, WEAK }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "01", "00", 0 },
	/* ---- TK rule 5: orphan guarantee ---- */
	{ "TK rule 5: the orphan guarantee excludes", NULL, NULL, R, { 0 }, { CHILD(1) }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "5", "0", 0 },
	{ "TK rule 5: orphan guarantee 否 does not exclude", NULL, NULL, R, { 0 }, { CHILD(0) }, 0, { 0 },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	/* ---- TK members and n ---- */
	{ "all-TK household of two is TK", NULL, NULL, R, { .transfer = "50000" }, { OLD, OLD }, 0, { 0 },
	  "TK", 0, "700.00", "50000.00", "50000.00", "0.00", "50000.00", "00", "00", 0 },
	{ "n leaves TK members out: 16799.99 for two non-TK is DB", NULL, NULL, R, { .transfer = "16799.99" },
	  { OLD, WEAK, WEAK }, 0, { 0 },
	  "DB", 2, "700.00", "16799.99", "16799.99", "0.00", "16799.99", "011", "000", 0 },
	{ "n leaves TK members out: 16800 for two non-TK is BY", NULL, NULL, R, { .transfer = "16800" },
	  { OLD, WEAK, WEAK }, 0, { 0 },
	  "BY", 2, "700.00", "16800.00", "16800.00", "0.00", "16800.00", "011", "000", 0 },
	/* ---- single-person DB ---- */
	{ "single DB: a severely disabled member of a BY household", NULL, NULL, R, { .transfer = "20000" },
	  { SEVERE_WEAK, ADULT }, 0, { 0 },
	  "BY", 2, "700.00", "20000.00", "20000.00", "0.00", "20000.00", "21", "10", 0 },
	{ "single DB: a seriously ill (患有大病) member of a BY household", NULL, NULL, R, { .transfer = "20000" },
	  { ILL, ADULT }, 0, { 0 },
	  "BY", 2, "700.00", "20000.00", "20000.00", "0.00", "20000.00", "11", "10", 0 },
	{ "single DB: every non-TK member qualifies -> DB", NULL, NULL, R, { .transfer = "20000" },
	  { SEVERE_WEAK, ILL }, 0, { 0 },
	  "DB", 2, "700.00", "20000.00", "20000.00", "0.00", "20000.00", "21", "11", 0 },
	{ "single DB: not when the household fails BY", NULL, NULL, R, { .transfer = "25200" },
	  { SEVERE_WEAK, ADULT }, 0, { 0 },
	  "NONE", 2, "700.00", "25200.00", "25200.00", "0.00", "25200.00", "21", "00", 0 },
	{ "single DB: not when the household passes DB", NULL, NULL, R, { .transfer = "0" },
	  { SEVERE_WEAK, ILL }, 0, { 0 },
	  "DB", 2, "700.00", "0.00", "0.00", "0.00", "0.00", "21", "00", 0 },
	{ "single DB: the only non-TK member beside a TK member qualifies -> DB", NULL, NULL, R,
	  { .transfer = "9000" }, { OLD, ILL_WEAK }, 0, { 0 },
	  "DB", 1, "700.00", "9000.00", "9000.00", "0.00", "9000.00", "01", "01", 0 },
	/* ---- FP candidates ---- */
	{ "FP: rural, N below fp_line x m, with a risk type", NULL, NULL, R, { .transfer = "8399.99", .risk = "因病" },
	  { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "8399.99", "8399.99", "0.00", "8399.99", "1", "0", 1 },
	{ "FP: N exactly at fp_line x m is no candidate", NULL, NULL, R, { .transfer = "8400", .risk = "因病" },
	  { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "8400.00", "8400.00", "0.00", "8400.00", "1", "0", 0 },
	{ "FP: an urban household is never a candidate", NULL, NULL, U, { .transfer = "0", .risk = "因病" },
	  { ADULT }, 0, { 0 },
	  "DB", 1, "800.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "FP: no risk type, no candidate", NULL, NULL, R, { .transfer = "0" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "0.00", "0.00", "0.00", "0.00", "1", "0", 0 },
	{ "FP: the line counts every member (m), TK ones too", NULL, NULL, R,
	  { .transfer = "16799.99", .risk = "因残" }, { OLD, WEAK }, 0, { 0 },
	  "NONE", 1, "700.00", "16799.99", "16799.99", "0.00", "16799.99", "01", "00", 1 },
	{ "FP: the test is on N, before the employment-cost deduction", NULL, NULL, R,
	  { .wage = "9000", .risk = "因病" }, { EARNER("普通劳动力", "9000") }, 0, { 0 },
	  "DB", 1, "700.00", "9000.00", "9000.00", "3600.00", "5400.00", "1", "0", 0 },
	/* ---- standards year ---- */
	{ "standards: a year without a section uses the latest earlier (2024 -> 2023)", standards_2023, "2024-06-01",
	  R, { .transfer = "6000" }, { ADULT }, 0, { 0 },
	  "BY", 1, "500.00", "6000.00", "6000.00", "0.00", "6000.00", "1", "0", 0 },
	{ "standards: a year with its own section uses it (2025)", standards_2023, "2025-06-01",
	  R, { .transfer = "6000" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "6000.00", "6000.00", "0.00", "6000.00", "1", "0", 0 },
	{ "standards: a year after the last uses the last (2030 -> 2025)", NULL, "2030-01-01",
	  R, { .transfer = "6000" }, { ADULT }, 0, { 0 },
	  "DB", 1, "700.00", "6000.00", "6000.00", "0.00", "6000.00", "1", "0", 0 },
	{ "standards: a date before every standards year is an input error", NULL, "2020-06-01",
	  R, { .transfer = "6000" }, { ADULT }, 0, { 0 },
	  "ERR", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	/* ---- other parameters ---- */
	{ "edge_percent is a parameter (200): 16799.99 is BY", "[assess]\nedge_percent = 200\n", NULL, R,
	  { .transfer = "16799.99" }, { ADULT }, 0, { 0 },
	  "BY", 1, "700.00", "16799.99", "16799.99", "0.00", "16799.99", "1", "0", 0 },
	{ "edge_percent 200: exactly 200 % is not BY", "[assess]\nedge_percent = 200\n", NULL, R,
	  { .transfer = "16800" }, { ADULT }, 0, { 0 },
	  "NONE", 1, "700.00", "16800.00", "16800.00", "0.00", "16800.00", "1", "0", 0 },
	{ "rigid_percent is a parameter (80): exactly 80 % is not GZ", "[assess]\nrigid_percent = 80\n", NULL, R,
	  { .transfer = "40000", .education = "32000" }, { ADULT, ADULT, ADULT }, 0, { 0 },
	  "NONE", 3, "700.00", "40000.00", "40000.00", "0.00", "40000.00", "111", "000", 0 },
	{ "rigid_percent 80: 80 % + 1 fen is GZ", "[assess]\nrigid_percent = 80\n", NULL, R,
	  { .transfer = "40000", .education = "32000.01" }, { ADULT, ADULT, ADULT }, 0, { 0 },
	  "GZ", 3, "700.00", "40000.00", "40000.00", "0.00", "40000.00", "111", "000", 0 },
	{ "obligor_line_factor is a parameter (3): 2000 < 3x700 cannot support", "[assess]\nobligor_line_factor = 3\n",
	  NULL, R, { 0 }, { OLD }, 1, { "2000" },
	  "TK", 0, "700.00", "0.00", "0.00", "0.00", "0.00", "0", "0", 0 },
	{ "tk_income_months is a parameter (6): own wage 4200 fails", "[assess]\ntk_income_months = 6\n",
	  NULL, R, { .wage = "4200" }, { OLD_EARNING("4200") }, 0, { 0 },
	  "DB", 1, "700.00", "4200.00", "4200.00", "3600.00", "600.00", "3", "0", 0 },
	/* ---- input errors ---- */
	{ "error: no hukou type", NULL, NULL, DD_HUKOU_NONE, { 0 }, { ADULT }, 0, { 0 },
	  "ERR", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "error: no member", NULL, NULL, R, { 0 }, { { 0 } }, 0, { 0 },
	  "ERR", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "error: a member born after the assessment date", "[standards.2000]\ndibao_rural_month = 100\n",
	  "2005-01-01", R, { 0 }, { AGED("20100101", NULL) }, 0, { 0 },
	  "ERR", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
	{ "error: a negative amount", NULL, NULL, R, { .transfer = "-0.01" }, { ADULT }, 0, { 0 },
	  "ERR", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

#define EXAMPLE "FORMATS.md example: A 9000 is not below 12x700 but below 150 % -> BY"
#define ALL_TK "all-TK household of two is TK"

static const acase *find_case(const char *name)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	fail_msg("no case \"%s\"", name);
	return NULL;
}

/* Everything one case needs, built from its spec; strings point into the spec or `ids`. */
typedef struct built {
	dd_policy p;
	dd_household h;
	dd_member m[4];
	size_t nm;
	dd_obligor o[2];
	dd_date at;
} built;

static dd_fen yuan(const char *s, dd_fen absent)
{
	dd_fen v = absent;
	if (s)
		assert_int_equal(dd_money_parse(s, strlen(s), &v), DD_MONEY_OK);
	return v;
}

/* A valid ID for a birth date: county 230304, sequence i + 1, check digit computed. */
static void make_id(const char *birth, size_t i, dd_id *id)
{
	char t[19];
	snprintf(t, sizeof t, "230304%s%03zu", birth, i + 1);
	t[17] = dd_id_check_digit(t);
	t[18] = '\0';
	assert_int_equal(dd_id_parse(t, 18, id), DD_ID_OK);
}

static void build(const acase *c, built *b)
{
	dd_err err = { 0 };
	const hspec *hs = &c->h;

	memset(b, 0, sizeof *b);
	assert_int_equal(dd_policy_default(&b->p, &err), DD_OK);
	assert_int_equal(dd_policy_parse(&b->p, base_policy, "base", &err), DD_OK);
	if (c->policy)
		assert_int_equal(dd_policy_parse(&b->p, c->policy, c->name, &err), DD_OK);
	const char *date = c->date ? c->date : "2025-06-01";
	assert_int_equal(dd_date_parse(date, strlen(date), &b->at), DD_OK);

	b->h.household_no = "H1";
	b->h.hukou = c->hukou;
	b->h.wage_income = yuan(hs->wage, 0);
	b->h.business_income = yuan(hs->business, 0);
	b->h.property_income = yuan(hs->property, 0);
	b->h.transfer_income = yuan(hs->transfer, 0);
	b->h.insurance_payout = yuan(hs->insurance, 0);
	b->h.business_expense = yuan(hs->bexp, 0);
	b->h.medical_self_paid = yuan(hs->medical, 0);
	b->h.education_expense = yuan(hs->education, 0);
	b->h.rehab_expense = yuan(hs->rehab, 0);
	b->h.fin_assets = yuan(hs->fin, 0);
	b->h.vehicle_value = yuan(hs->vehicle, 0);
	b->h.risk_types = hs->risk;
	b->h.is_tuopin = b->h.whole_no_labor = -1;
	for (b->nm = 0; b->nm < DD_ARRAY_LEN(c->m) && c->m[b->nm].birth; b->nm++) {
		const mspec *ms = &c->m[b->nm];
		dd_member *m = &b->m[b->nm];
		make_id(ms->birth, b->nm, &m->id);
		m->name = ms->name;
		m->labor = ms->labor;
		m->health = ms->health;
		m->disability_type = ms->dis_type;
		m->disability_grade = ms->grade;
		m->wage_income = yuan(ms->wage, -1);
		m->orphan_guarantee = ms->orphan;
		m->is_tekun = -1;
		m->work_months = -1;
	}
	for (int i = 0; i < c->nobligors; i++)
		b->o[i].monthly_income = yuan(c->obligor[i], -1);
}

static void check_money(dd_fen got, const char *want, const char *name)
{
	char buf[32];
	if (!want)
		return;
	dd_money_format(got, buf);
	CASE_STR_EQ(buf, want, name);
}

static void categories_and_figures(void **state)
{
	static built b;
	static dd_assessment a;

	DD_UNUSED(state);
	for (size_t k = 0; k < DD_ARRAY_LEN(cases); k++) {
		const acase *c = &cases[k];
		dd_err err = { 0 };
		build(c, &b);
		dd_rc rc = dd_assess(&b.p, &b.h, b.m, b.nm, b.o, (size_t)c->nobligors, b.at, &a, &err);
		if (!strcmp(c->cat, "ERR")) {
			CASE_CHECK(rc == DD_ERR_INPUT, c->name);
			CASE_CHECK(err.msg[0] != '\0', c->name);
			continue;
		}
		if (rc != DD_OK)
			print_error("case \"%s\": %s\n", c->name, err.msg);
		CASE_CHECK(rc == DD_OK, c->name);
		CASE_STR_EQ(dd_assess_code(a.category), c->cat, c->name);
		CASE_CHECK(a.f.n == c->n, c->name);
		CASE_CHECK(a.f.m == (int)b.nm, c->name);
		check_money(a.f.S, c->S, c->name);
		check_money(a.f.G, c->G, c->name);
		check_money(a.f.N, c->N, c->name);
		check_money(a.f.E, c->E, c->name);
		check_money(a.f.A, c->A, c->name);
		CASE_CHECK(a.fp_candidate == (c->fp == 1), c->name);
		char tk[8] = "", single[8] = "";
		for (size_t i = 0; i < b.nm; i++) {
			tk[i] = (char)('0' + a.members[i].tk);
			single[i] = a.members[i].single_db ? '1' : '0';
		}
		CASE_STR_EQ(tk, c->tk, c->name);
		CASE_STR_EQ(single, c->single, c->name);
		/* the trace always has the five categories, in priority order */
		for (size_t i = 0; i < 5; i++) {
			CASE_CHECK(a.trace[i].category == dd_categories[i].bit, c->name);
			CASE_CHECK(a.trace[i].why[0] != '\0', c->name);
		}
		/* the recognised category's trace line passed; every higher one failed */
		for (size_t i = 0; i < 4 && a.category && dd_categories[i].bit != a.category; i++)
			CASE_CHECK(!a.trace[i].passed, c->name);
	}
}

/*
 * dd_assess_ex without the trace (the bulk path of assess --all and
 * simulate) decides exactly as the full path, for every case of the table:
 * same result code, category, members, flags, figures and passed lines, and
 * no text.  The fast result is first filled with garbage, so a field the
 * fast path forgets to set shows.
 */
static void fast_path_matches(void **state)
{
	static built b;
	static dd_assessment full, fast;

	DD_UNUSED(state);
	for (size_t k = 0; k < DD_ARRAY_LEN(cases); k++) {
		const acase *c = &cases[k];
		dd_err e1 = { 0 }, e2 = { 0 };
		build(c, &b);
		memset(&fast, 0xA5, sizeof fast);
		dd_rc r1 = dd_assess(&b.p, &b.h, b.m, b.nm, b.o, (size_t)c->nobligors, b.at, &full, &e1);
		dd_rc r2 = dd_assess_ex(&b.p, &b.h, b.m, b.nm, b.o, (size_t)c->nobligors, b.at, false, &fast,
					&e2);
		CASE_CHECK(r1 == r2, c->name);
		CASE_STR_EQ(e2.msg, e1.msg, c->name);
		if (r1 != DD_OK)
			continue;
		CASE_CHECK(fast.category == full.category, c->name);
		CASE_CHECK(fast.nmembers == full.nmembers, c->name);
		CASE_CHECK(!memcmp(fast.members, full.members, full.nmembers * sizeof *full.members), c->name);
		CASE_CHECK(fast.ntekun == full.ntekun, c->name);
		CASE_CHECK(fast.nsingle_db == full.nsingle_db, c->name);
		CASE_CHECK(fast.fp_candidate == full.fp_candidate, c->name);
		/* both zero the figures first, padding included, so the bytes compare */
		CASE_CHECK(!memcmp(&fast.f, &full.f, sizeof full.f), c->name);
		for (size_t i = 0; i < DD_ARRAY_LEN(full.trace); i++) {
			CASE_CHECK(fast.trace[i].category == full.trace[i].category, c->name);
			CASE_CHECK(fast.trace[i].passed == full.trace[i].passed, c->name);
			CASE_STR_EQ(fast.trace[i].why, "", c->name);
			CASE_CHECK(full.trace[i].why[0] != '\0', c->name);
		}
		CASE_STR_EQ(fast.fp_why, "", c->name);
	}
}

/* The trace texts carry the numbers (DOMAIN.md §3.4). */
static void trace_texts(void **state)
{
	static const struct {
		const char *name;
		const char *acase;  /* name of a case of cases[] */
		size_t step;        /* 0..4 = TK DB BY GZ QT, 5 = the FP text */
		bool passed;
		const char *contains;
	} want[] = {
		{ "example: DB fails with the numbers", EXAMPLE, 1, false,
		  "年评估收入 9000.00 元，不低于低保线 12×700.00×1 = 8400.00 元" },
		{ "example: BY passes with the numbers", EXAMPLE, 2, true,
		  "年评估收入 9000.00 元，低于低保边缘线 150%×8400.00 = 12600.00 元" },
		{ "example: TK fails rule 1 with the age", EXAMPLE, 0, false, "45岁，不是老年人（年满60岁）" },
		{ "example: GZ names the rigid share", EXAMPLE, 3, false,
		  "近12个月刚性支出 3000.00 元（合规自付 3000.00 + 教育 0.00 + 康复 0.00），未超过家庭总收入 12000.00 元的 60% = 7200.00 元" },
		{ "QT is manual", EXAMPLE, 4, false, "人工认定" },
		{ "FP text for a rural household without risk", EXAMPLE, 5, false, "无风险类型，不是防止返贫监测对象候选" },
		{ "DB asset limit inclusive", "DB fin assets exactly at the limit pass (<=)", 1, true, "金融资产 20000.00 元，不超过人均上限 20000.00×1 = 20000.00 元" },
		{ "obligor able at exactly 2xS", "TK rule 4: obligor income exactly 2xS can support", 0, false, "月收入 1400.00 元，不低于 2×700.00 = 1400.00 元" },
		{ "all-TK household", ALL_TK, 0, true, "全部2名成员均符合特困条件" },
		{ "all-TK: no family test", ALL_TK, 1, false, "全部成员均为特困人员" },
		{ "single DB names the member", "single DB: a severely disabled member of a BY household", 1, false, "成员1（重度残疾）按单人户纳入低保" },
		{ "single DB for all: DB passes", "single DB: every non-TK member qualifies -> DB", 1, true, "全户按低保认定" },
		{ "vehicle limit 0 explained", "vehicle_limit 0: any vehicle fails DB, BY and GZ", 2, false, "车辆上限为0，有车即不符合" },
		{ "FP candidate text", "FP: rural, N below fp_line x m, with a risk type", 5, true, "是防止返贫监测对象候选" },
	};
	static built b;
	static dd_assessment a;

	DD_UNUSED(state);
	for (size_t k = 0; k < DD_ARRAY_LEN(want); k++) {
		const acase *c = find_case(want[k].acase);
		dd_err err = { 0 };
		build(c, &b);
		assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, (size_t)c->nobligors, b.at, &a, &err), DD_OK);
		const char *why = want[k].step < 5 ? a.trace[want[k].step].why : a.fp_why;
		bool passed = want[k].step < 5 ? a.trace[want[k].step].passed : a.fp_candidate;
		if (!strstr(why, want[k].contains))
			print_error("case \"%s\" (%s): \"%s\" not in \"%s\"\n", want[k].name, c->name,
				    want[k].contains, why);
		CASE_CHECK(strstr(why, want[k].contains) != NULL, want[k].name);
		CASE_CHECK(passed == want[k].passed, want[k].name);
	}
}

static void format_x100(void **state)
{
	static const struct {
		const char *name;
		int64_t v;
		const char *want;
	} want[] = {
		{ "zero", 0, "0.00" },
		{ "whole yuan", 126000000, "12600.00" },
		{ "one fen", 100, "0.01" },
		{ "half a fen shows three decimals", 126000050, "12600.005" },
		{ "a hundredth of a fen shows four", 126000051, "12600.0051" },
		{ "negative", -150, "-0.015" },
		{ "INT64_MIN does not overflow", INT64_MIN, "-922337203685477.5808" },
	};
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(want); i++) {
		char buf[40];
		dd_assess_format_x100(want[i].v, buf);
		CASE_STR_EQ(buf, want[i].want, want[i].name);
	}
}

/* A fractional percentage line is compared exactly, never rounded. */
static void fractional_lines_are_exact(void **state)
{
	static const struct {
		const char *name, *transfer, *cat, *by_line;
	} want[] = {
		/* 155 % of 12 × 700.01 = 13020.186 yuan */
		{ "below the fractional BY line", "13020.18", "BY", "13020.186" },
		{ "above the fractional BY line", "13020.19", "NONE", "13020.186" },
	};
	static built b;
	static dd_assessment a;
	DD_UNUSED(state);
	for (size_t i = 0; i < DD_ARRAY_LEN(want); i++) {
		acase c = *find_case(EXAMPLE);
		c.h.wage = c.h.medical = NULL;
		dd_err err = { 0 };
		char buf[40];
		c.policy = "[standards.2025]\ndibao_rural_month = 700.01\n[assess]\nedge_percent = 155\n";
		c.h.transfer = want[i].transfer;
		build(&c, &b);
		assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_OK);
		CASE_STR_EQ(dd_assess_code(a.category), want[i].cat, want[i].name);
		dd_assess_format_x100(a.f.by_line_x100, buf);
		CASE_STR_EQ(buf, want[i].by_line, want[i].name);
	}
}

/* Huge amounts and parameters never overflow: an exact result or a clean error. */
static void no_overflow(void **state)
{
	static built b;
	static dd_assessment a;
	const dd_fen big = DD_MONEY_MAX / 100;   /* 10^13 yuan */
	dd_err err = { 0 };
	DD_UNUSED(state);

	build(find_case(EXAMPLE), &b);
	b.h.wage_income = b.h.business_income = b.h.property_income = big;
	b.h.transfer_income = b.h.insurance_payout = b.h.fin_assets = big;
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_OK);
	assert_int_equal(a.f.G, 5 * big);
	assert_int_equal(a.f.rigid_line_x100, 60 * 5 * big);
	assert_string_equal(dd_assess_code(a.category), "NONE");
	/* at DD_MONEY_MAX each, 60 % x G no longer fits int64: refused, not wrapped */
	b.h.wage_income = b.h.business_income = b.h.property_income = DD_MONEY_MAX;
	b.h.transfer_income = b.h.insurance_payout = DD_MONEY_MAX;
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "超出可计算范围"));
	/* beyond DD_MONEY_MAX is refused naming the field */
	build(find_case(EXAMPLE), &b);
	b.h.fin_assets = DD_MONEY_MAX + 1;
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "fin_assets"));
	build(find_case(EXAMPLE), &b);
	b.m[0].wage_income = -2;
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "members[0].wage_income"));
	/* S of 10^15 yuan: 12 x S x 150 does not fit either */
	build(find_case(EXAMPLE), &b);
	assert_int_equal(dd_policy_parse(&b.p, "[standards.2025]\ndibao_rural_month = 1000000000000000\n", "t",
					 &err), DD_OK);
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_ERR_INPUT);
	assert_non_null(strstr(err.msg, "超出可计算范围"));
}

/* A trace too long for its buffer is cut at a character, stays UTF-8 and ends with "…". */
static void long_trace_is_cut_cleanly(void **state)
{
	static built b;
	static dd_assessment a;
	static dd_member many[DD_ASSESS_MAX_MEMBERS];
	static const char name[] = "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜娜";
	dd_err err = { 0 };
	DD_UNUSED(state);

	build(find_case(EXAMPLE), &b);
	for (size_t i = 0; i < DD_ARRAY_LEN(many); i++) {
		many[i] = b.m[0];
		make_id("19800101", i, &many[i].id);
		many[i].name = name;
	}
	assert_int_equal(dd_assess(&b.p, &b.h, many, DD_ARRAY_LEN(many), b.o, 0, b.at, &a, &err), DD_OK);
	size_t len = strlen(a.trace[0].why);
	assert_true(len < DD_ASSESS_WHY);
	assert_true(dd_text_is_utf8(a.trace[0].why, len, false));
	assert_string_equal(a.trace[0].why + len - strlen("…"), "…");
	/* one member more than the limit is refused */
	assert_int_equal(dd_assess(&b.p, &b.h, many, DD_ASSESS_MAX_MEMBERS + 1, b.o, 0, b.at, &a, &err),
			 DD_ERR_INPUT);
}

/* The JSON of FORMATS.md §5, byte for byte at its start. */
static void json_output(void **state)
{
	static built b;
	static dd_assessment a;
	dd_err err = { 0 };
	dd_buf out;
	DD_UNUSED(state);

	build(find_case(EXAMPLE), &b);
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_OK);
	dd_buf_init(&out, 0);
	assert_int_equal(dd_assess_json(&a, &b.h, b.m, b.nm, b.at, &out, &err), DD_OK);
	const char *head = "{\"household_no\":\"H1\",\"category\":\"BY\",\"tekun\":[],\"single_person_db\":[],"
			   "\"fp_candidate\":false,\"figures\":{\"G\":\"12000.00\",\"N\":\"9000.00\",\"E\":\"0.00\","
			   "\"A\":\"9000.00\",\"n\":1,\"S\":\"700.00\",";
	assert_memory_equal(out.data, head, strlen(head));
	assert_non_null(strstr(out.data, "\"trace\":[{\"category\":\"TK\",\"passed\":false,\"why\":\""));
	assert_non_null(strstr(out.data, "{\"category\":\"BY\",\"passed\":true,"));
	assert_null(strchr(out.data, '\n'));
	dd_buf_release(&out);

	/* an all-TK household lists the members' IDs under tekun */
	build(find_case(ALL_TK), &b);
	assert_int_equal(dd_assess(&b.p, &b.h, b.m, b.nm, b.o, 0, b.at, &a, &err), DD_OK);
	dd_buf_init(&out, 0);
	assert_int_equal(dd_assess_json(&a, &b.h, b.m, b.nm, b.at, &out, &err), DD_OK);
	char tk[96];
	snprintf(tk, sizeof tk, "\"category\":\"TK\",\"tekun\":[\"%s\",\"%s\"]", b.m[0].id.text, b.m[1].id.text);
	assert_non_null(strstr(out.data, tk));
	dd_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(categories_and_figures),
		cmocka_unit_test(fast_path_matches),
		cmocka_unit_test(trace_texts),
		cmocka_unit_test(format_x100),
		cmocka_unit_test(fractional_lines_are_exact),
		cmocka_unit_test(no_overflow),
		cmocka_unit_test(long_trace_is_cut_cleanly),
		cmocka_unit_test(json_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
