/* schemas.c - the registry files' columns (FORMATS.md §2), one row per column. */
#include "../core/dd.h"
#include "ingest.h"
#include "ingest_int.h"

static const char *const hukou_choices[] = {
	"农业|rural|农村|农业户口|农业家庭户口", "非农业|urban|城镇|城市|非农业户口|非农业家庭户口", NULL
};
static const char *const fp_choices[] = { "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", NULL };
static const char *const risk_choices[] = {
	"因病", "因学", "因安全住房", "因安全饮水", "因残", "因自然灾害", "因意外事故",
	"因产业项目失败", "因务工就业不稳", "缺劳动力", "其他", NULL
};
static const char *const gender_choices[] = { "男|M|male|1", "女|F|female|2", NULL };
static const char *const health_choices[] = { "健康", "长期慢性病|慢性病", "患有大病|大病", "残疾", NULL };
static const char *const labor_choices[] = {
	"普通劳动力", "技能劳动力", "弱劳动力或半劳动力|弱劳动力|半劳动力", "丧失劳动力", "无劳动力", NULL
};
/* Also the feed disability schema's (feed_schemas.c). */
const char *const dd_ingest_disability_choices[] = {
	"视力|视力残疾", "听力|听力残疾", "言语|言语残疾", "肢体|肢体残疾", "智力|智力残疾",
	"精神|精神残疾", "多重|多重残疾", NULL
};

#define T(k, zh) { k, zh, DD_T_TEXT, false, NULL, 0, 0 }
#define REQ(k, zh) { k, zh, DD_T_TEXT, true, NULL, 0, 0 }
#define M(k, zh) { k, zh, DD_T_MONEY, false, NULL, 0, 0 }
#define B(k, zh) { k, zh, DD_T_BOOL, false, NULL, 0, 0 }
#define D(k, zh) { k, zh, DD_T_DATE, false, NULL, 0, 0 }
#define E(k, zh, ch) { k, zh, DD_T_ENUM, false, ch, 0, 0 }

/* Order is the HH_* order in ingest_int.h. */
static const dd_column household_cols[] = {
	REQ("household_no", "户编号"),
	REQ("region_code", "行政区划代码"),
	T("address", "家庭住址"),
	{ "head_id", "户主身份证号", DD_T_ID, true, NULL, 0, 0 },
	{ "hukou_type", "户籍类型", DD_T_ENUM, true, hukou_choices, 0, 0 },
	T("phone", "联系电话"),
	{ "categories", "低收入人口类别", DD_T_LIST, false, NULL, 0, 0 },
	E("fp_subtype", "防止返贫监测对象类型", fp_choices),
	B("is_tuopin", "是否脱贫户"),
	B("whole_no_labor", "是否整户无劳动能力"),
	{ "risk_types", "风险类型", DD_T_LIST, false, risk_choices, 0, 0 },
	M("wage_income", "工资性收入"),
	M("business_income", "生产经营性收入"),
	M("property_income", "财产性收入"),
	M("transfer_income", "转移性收入"),
	M("insurance_payout", "理赔收入"),
	M("business_expense", "生产经营性支出"),
	M("medical_self_paid", "合规自付支出"),
	M("education_expense", "教育支出"),
	M("rehab_expense", "康复支出"),
	M("fin_assets", "金融资产"),
	M("vehicle_value", "车辆价值"),
	B("housing_unsafe", "住房安全问题"),
	B("dropout", "义务教育阶段失学辍学"),
	B("water_unsafe", "饮水安全问题"),
	B("uninsured", "有成员未参加基本医疗保险"),
	D("recognized_on", "认定日期"),
	D("exited_on", "退出日期"),
	T("survey_summary", "家庭综合情况"),
};

static const dd_column member_cols[] = {
	REQ("household_no", "户编号"),
	REQ("name", "姓名"),
	{ "id_number", "证件号码", DD_T_ID, true, NULL, 0, 0 },
	REQ("relation", "与户主关系"),
	E("gender", "性别", gender_choices),
	T("id_type", "证件类型"),
	T("ethnicity", "民族"),
	T("political", "政治面貌"),
	T("education", "文化程度"),
	T("student_status", "在校生状况"),
	E("health", "健康状况", health_choices),
	E("labor", "劳动技能", labor_choices),
	M("wage_income", "个人工资性收入"),
	E("disability_type", "残疾类别", dd_ingest_disability_choices),
	{ "disability_grade", "残疾等级", DD_T_INT, false, NULL, 1, 4 },
	B("ins_resident_medical", "是否参加城乡居民基本医疗保险"),
	B("ins_employee_medical", "是否参加城镇职工基本医疗保险"),
	B("ins_critical_illness", "是否参加大病保险"),
	B("ins_resident_pension", "是否参加城乡居民基本养老保险"),
	B("ins_employee_pension", "是否参加城镇职工基本养老保险"),
	B("is_tekun", "是否特困人员"),
	B("is_dibao", "是否享受低保"),
	B("orphan_guarantee", "是否享受孤儿或事实无人抚养儿童保障"),
	T("work_province", "务工所在省"),
	T("work_city", "务工所在市"),
	T("work_county", "务工所在县"),
	T("work_township", "务工所在乡"),
	{ "work_months", "前12个月务工时间", DD_T_INT, false, NULL, 0, 12 },
	T("phone", "联系电话"),
};

static const dd_column obligor_cols[] = {
	REQ("household_no", "户编号"),
	REQ("name", "姓名"),
	T("relation", "与申请人关系"),
	T("marital", "婚姻状况"),
	T("health", "健康状况"),
	T("occupation", "职业"),
	M("monthly_income", "月收入"),
	{ "id_number", "身份证号", DD_T_ID, false, NULL, 0, 0 },
	T("phone", "联系电话"),
};

const dd_schema dd_schema_households = { "households", household_cols, DD_ARRAY_LEN(household_cols), true };
const dd_schema dd_schema_members = { "members", member_cols, DD_ARRAY_LEN(member_cols), true };
const dd_schema dd_schema_obligors = { "obligors", obligor_cols, DD_ARRAY_LEN(obligor_cols), true };

/* The C indices must match the tables above; checked once at startup of an import. */
_Static_assert(DD_ARRAY_LEN(household_cols) == HH_NCOLS, "household columns");
_Static_assert(DD_ARRAY_LEN(member_cols) == MB_NCOLS, "member columns");
_Static_assert(DD_ARRAY_LEN(obligor_cols) == OB_NCOLS, "obligor columns");
