/*
 * feed_schemas.c - the twelve department feeds' columns (FORMATS.md §3).
 *
 * After id_number and name, a schema lists its table's columns in table
 * order (docs/internals/feeds.md): feed.c stores cell i as value i - 2.
 * Required are only the cells a rule cannot do without.
 */
#include "../core/dd.h"
#include "ingest.h"
#include "ingest_int.h"

#include <string.h>

static const char *const visit_choices[] = { "住院", "门诊", NULL };
static const char *const license_choices[] = { "存续", "注销", "吊销", NULL };
static const char *const orphan_choices[] = { "孤儿", "事实无人抚养儿童", NULL };
static const char *const subsidy_choices[] = {
	"失能补贴", "困难残疾人生活补贴", "重度残疾人护理补贴", NULL
};
static const char *const incident_choices[] = { "交通事故", "火灾", "其他", NULL };
static const char *const fp_status_choices[] = { "监测中", "风险消除", NULL };

#define COL(k, zh, type, req, ch) { k, zh, type, req, ch, 0, 0 }
#define ID(zh) COL("id_number", zh, DD_T_ID, true, NULL)
#define NAME COL("name", "姓名", DD_T_TEXT, false, NULL)
#define SCHEMA(var, kind, cols) \
	static const dd_schema var = { kind, cols, DD_ARRAY_LEN(cols), false }

/* Order: MED_* in ingest_int.h. */
static const dd_column medical_cols[] = {
	ID("身份证号"), NAME,
	COL("settle_date", "结算日期", DD_T_DATE, true, NULL),
	COL("visit_type", "就诊类型", DD_T_ENUM, true, visit_choices),
	COL("total_cost", "总费用", DD_T_MONEY, false, NULL),
	COL("self_paid", "个人自付", DD_T_MONEY, true, NULL),
};
_Static_assert(DD_ARRAY_LEN(medical_cols) == MED_NCOLS, "MED_* must follow medical_cols");
static const dd_column disability_cols[] = {
	ID("身份证号"), NAME,
	COL("disability_type", "残疾类别", DD_T_ENUM, true, dd_ingest_disability_choices),
	{ "disability_grade", "残疾等级", DD_T_INT, true, NULL, 1, 4 },
};
static const dd_column death_cols[] = {
	ID("身份证号"), NAME,
	COL("death_date", "死亡日期", DD_T_DATE, true, NULL),
};
static const dd_column pension_cols[] = {
	ID("身份证号"), NAME,
	COL("monthly_amount", "月领取金额", DD_T_MONEY, false, NULL),
};
static const dd_column unemployment_cols[] = {
	ID("身份证号"), NAME,
	COL("reg_date", "登记日期", DD_T_DATE, false, NULL),
};
static const dd_column license_cols[] = {
	ID("经营者身份证号|身份证号"), NAME,
	COL("license_no", "统一社会信用代码", DD_T_TEXT, false, NULL),
	COL("status", "登记状态", DD_T_ENUM, true, license_choices),
};
static const dd_column orphan_cols[] = {
	ID("身份证号"), NAME,
	COL("kind", "类别", DD_T_ENUM, true, orphan_choices),
};
static const dd_column subsidy_cols[] = {
	ID("身份证号"), NAME,
	COL("subsidy", "补贴项目", DD_T_ENUM, true, subsidy_choices),
	COL("amount", "金额", DD_T_MONEY, false, NULL),
};
static const dd_column incident_cols[] = {
	ID("身份证号"), NAME,
	COL("event_date", "发生日期", DD_T_DATE, false, NULL),
	COL("kind", "事件类型", DD_T_ENUM, true, incident_choices),
	{ "deaths", "死亡人数", DD_T_INT, false, NULL, 0, 1000000 },
	{ "serious_injuries", "重伤人数", DD_T_INT, false, NULL, 0, 1000000 },
	COL("loss", "财产损失", DD_T_MONEY, false, NULL),
};
static const dd_column disaster_cols[] = {
	ID("身份证号"), NAME,
	COL("event_date", "发生日期", DD_T_DATE, false, NULL),
	COL("kind", "灾害类型", DD_T_TEXT, false, NULL),
	COL("loss", "损失金额", DD_T_MONEY, true, NULL),
};
static const dd_column fp_cols[] = {
	ID("身份证号"), NAME,
	COL("fp_subtype", "监测对象类型", DD_T_TEXT, false, NULL),
	COL("status", "状态", DD_T_ENUM, true, fp_status_choices),
};
static const dd_column kin_cols[] = {
	ID("身份证号|亲属身份证号"), NAME,
	COL("cadre_name", "干部姓名", DD_T_TEXT, false, NULL),
	COL("cadre_id", "干部身份证号", DD_T_TEXT, false, NULL),
	COL("post", "职务", DD_T_TEXT, false, NULL),
	COL("relation", "关系", DD_T_TEXT, false, NULL),
	COL("filed", "是否已备案", DD_T_BOOL, false, NULL),
};

SCHEMA(medical, "medical", medical_cols);
SCHEMA(disability, "disability", disability_cols);
SCHEMA(death, "death", death_cols);
SCHEMA(pension, "pension", pension_cols);
SCHEMA(unemployment, "unemployment", unemployment_cols);
SCHEMA(license, "license", license_cols);
SCHEMA(orphan, "orphan", orphan_cols);
SCHEMA(subsidy, "subsidy", subsidy_cols);
SCHEMA(incident, "incident", incident_cols);
SCHEMA(disaster, "disaster", disaster_cols);
SCHEMA(fp, "fp", fp_cols);
SCHEMA(kin, "kin", kin_cols);

const dd_feed_kind dd_feed_kinds[] = {
	{ "medical", &medical, false },
	{ "disability", &disability, true },
	{ "death", &death, false },
	{ "pension", &pension, true },
	{ "unemployment", &unemployment, true },
	{ "license", &license, true },
	{ "orphan", &orphan, true },
	{ "subsidy", &subsidy, false },
	{ "incident", &incident, false },
	{ "disaster", &disaster, false },
	{ "fp", &fp, true },
	{ "kin", &kin, true },
};
const size_t dd_feed_nkinds = DD_ARRAY_LEN(dd_feed_kinds);

const dd_feed_kind *dd_feed_kind_find(const char *name)
{
	for (size_t i = 0; name && i < dd_feed_nkinds; i++)
		if (!strcmp(dd_feed_kinds[i].name, name))
			return &dd_feed_kinds[i];
	return NULL;
}
