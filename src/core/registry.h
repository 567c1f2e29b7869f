/*
 * registry.h - the records of the low-income registry (FORMATS.md §2), as
 * plain typed structs shared by import, store, assess and compare.
 *
 * Strings are borrowed: a record does not own its text; whoever fills it
 * (the importer's arena, the store's row cursor) keeps the memory alive for
 * as long as the record is used.  Money is fen; dates are dd_date with
 * DD_DATE_NONE for empty; tri-state flags use -1 for "not given".
 */
#ifndef DD_REGISTRY_H
#define DD_REGISTRY_H

#include "dd.h"
#include "date.h"
#include "id.h"
#include "money.h"

/* Category bits; the FP tag is carried by fp_subtype, not by a bit. */
enum {
	DD_CAT_TK = 1 << 0,
	DD_CAT_DB = 1 << 1,
	DD_CAT_BY = 1 << 2,
	DD_CAT_GZ = 1 << 3,
	DD_CAT_QT = 1 << 4
};

/* Code and Chinese name of each category, in priority order TK DB BY GZ QT. */
typedef struct dd_category_info {
	unsigned bit;
	const char *code;
	const char *zh;
} dd_category_info;
extern const dd_category_info dd_categories[5];

/* Parses one category given as code (any case: "DB", "db"), full Chinese name
 * ("最低生活保障对象") or short name (特困 低保 低保边缘 刚性支出困难 其他);
 * surrounding spaces (ASCII and U+3000) are ignored.  0 when unknown. */
unsigned dd_category_parse(const char *s, size_t len);
/* Writes the codes of `bits` joined with ';' in priority order ("TK;DB"); "" for 0;
 * bits that are no category are ignored.  buf >= 16. */
void dd_category_format(unsigned bits, char buf[16]);

typedef enum { DD_HUKOU_NONE = 0, DD_HUKOU_RURAL = 1, DD_HUKOU_URBAN = 2 } dd_hukou;

typedef struct dd_household {
	const char *household_no;
	const char *region_code;
	const char *address;
	const char *head_id;          /* normalised 18-char text */
	dd_hukou hukou;
	const char *phone;
	unsigned categories;          /* DD_CAT_* bits */
	const char *fp_subtype;       /* NULL/"" = no FP tag */
	int is_tuopin;                /* -1 unknown, 0, 1 */
	int whole_no_labor;
	const char *risk_types;       /* normalised "因病;因残" */
	dd_fen wage_income, business_income, property_income, transfer_income, insurance_payout;
	dd_fen business_expense, medical_self_paid, education_expense, rehab_expense;
	dd_fen fin_assets, vehicle_value;
	int housing_unsafe, dropout, water_unsafe, uninsured;
	dd_date recognized_on;
	dd_date exited_on;
	const char *survey_summary;
} dd_household;

typedef struct dd_member {
	const char *household_no;
	const char *name;
	dd_id id;                     /* id.text normalised; id_bad_check set when the check digit fails */
	bool id_bad_check;
	const char *relation;
	const char *gender;           /* 男/女 (derived from the ID when empty) */
	const char *id_type;
	const char *ethnicity, *political, *education, *student_status;
	const char *health;           /* 健康 / 长期慢性病 / 患有大病 / 残疾 */
	const char *labor;            /* 普通劳动力 / 技能劳动力 / 弱劳动力或半劳动力 / 丧失劳动力 / 无劳动力 */
	dd_fen wage_income;           /* -1 when not given */
	const char *disability_type;  /* 视力 听力 言语 肢体 智力 精神 多重 */
	int disability_grade;         /* 0 none, 1..4 */
	int ins_resident_medical, ins_employee_medical, ins_critical_illness;
	int ins_resident_pension, ins_employee_pension;
	int is_tekun, is_dibao, orphan_guarantee;
	const char *work_province, *work_city, *work_county, *work_township;
	int work_months;              /* -1 when not given */
	const char *phone;
} dd_member;

typedef struct dd_obligor {
	const char *household_no;
	const char *name;
	const char *relation;
	const char *marital;
	const char *health;
	const char *occupation;
	dd_fen monthly_income;        /* -1 when not given */
	const char *id_number;        /* normalised when valid, else as given */
	const char *phone;
} dd_obligor;

#endif
