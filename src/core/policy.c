/* policy.c - policy.ini: the built-in default text and its parser (libinih). */
#include "dd.h"
#include "policy.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The default policy file.  %s are the county code and name.  Every key of
 * FORMATS.md §4 and every parameter of DOMAIN.md is here with its default,
 * because this text *is* the default: dd_policy_default parses it.
 */
static const char default_fmt[] =
"; doudi 政策参数文件 (policy.ini)\n"
"; 修改后用 `doudi policy load policy.ini` 载入；也可在任何命令后加 --policy 文件 临时使用。\n"
"; 金额单位为元（最多两位小数），百分比为整数。分号后为注释。\n"
"\n"
"[county]\n"
"code = %s\n"
"name = %s\n"
"\n"
"; 各年度标准：按认定/核查日期所在年度取用，该年度没有时取此前最近一年。\n"
"; 新年度标准公布后，复制一节改成 [standards.2026] 并填写新数值即可。\n"
"[standards.2025]\n"
"dibao_urban_month = 760            ; 城市低保标准 S（非农业户口），元/人/月\n"
"dibao_rural_month = 580            ; 农村低保标准 S（农业户口），元/人/月\n"
"disposable_income_urban = 38000    ; 上年度城镇居民人均可支配收入，元/年（刚性支出困难家庭收入线）\n"
"disposable_income_rural = 19000    ; 上年度农村居民人均可支配收入，元/年\n"
"fin_assets_limit = 20000           ; 低保：人均金融资产上限，元\n"
"vehicle_limit = 0                  ; 低保：车辆价值上限，元；0 表示有车即不符合（低保边缘、刚性支出同样）\n"
"fp_line = 6960                     ; 防返贫监测线：家庭年人均纯收入，元（两线合一：12 × 农村低保标准）\n"
"\n"
"[assess]\n"
"edge_percent = 150                 ; 低保边缘：收入和资产低于低保线的百分比\n"
"rigid_percent = 60                 ; 刚性支出困难：近12个月刚性支出超过家庭总收入的百分比（各地60–80）\n"
"employment_cost_month = 300        ; 就业成本扣减：每名有工资收入的非特困成员，元/月\n"
"tk_age = 60                        ; 特困：年满此年龄为老年人\n"
"tk_minor_age = 18                  ; 特困：未满此年龄为未成年人\n"
"tk_income_months = 12              ; 特困：本人年收入低于此月数 × 低保标准\n"
"obligor_line_factor = 2            ; 义务人月收入不低于此倍数 × 低保标准，视为有赡养扶养能力\n"
"gz_valid_months = 12               ; 刚性支出困难家庭认定有效期，月\n"
"\n"
"[procedure]\n"
"notice_days = 7                    ; 公示天数\n"
"dispatch_deadline_days = 15        ; 派单办理时限，天\n"
"payment_due_day = 10               ; 每月资金应在此日前发放\n"
"emergency_small_amount = 1000      ; 急难型临时救助“小金额先行救助”上限，元\n"
"recheck_months_stable = 12         ; 定期核查周期（月）：重点保障人员低保户、特困、低保边缘、刚性支出困难\n"
"recheck_months_other = 6           ; 定期核查周期（月）：其他低保户（有劳动能力或收入不稳定）\n"
"\n"
"; 预警规则：enabled 是否启用，level 预警等级 red/yellow/blue，threshold 金额阈值（元）\n"
"[rule.W01]\n"
"; 在册人员年度住院自付合计超过阈值（因病刚性支出）\n"
"enabled = true\n"
"level = yellow\n"
"threshold = 10000\n"
"\n"
"[rule.W02]\n"
"; 非在册人员年度住院自付合计超过阈值（主动发现）\n"
"enabled = true\n"
"level = red\n"
"threshold = 50000\n"
"\n"
"[rule.W03]\n"
"; 一、二级残疾或三级智力/精神残疾，既非低保也非特困\n"
"enabled = true\n"
"level = red\n"
"\n"
"[rule.W04]\n"
"; 一、二级肢体，一至三级智力/精神，一级视力残疾，非特困（复核是否符合特困）\n"
"enabled = true\n"
"level = red\n"
"\n"
"[rule.W05]\n"
"; 与上月相比新进入或退出残疾人名单\n"
"enabled = true\n"
"level = yellow\n"
"\n"
"[rule.W06]\n"
"; 与上月相比残疾等级变化\n"
"enabled = true\n"
"level = blue\n"
"\n"
"[rule.W07]\n"
"; 交通事故、火灾等突发事件有死亡、重伤或财产损失超过阈值\n"
"enabled = true\n"
"level = yellow\n"
"threshold = 20000\n"
"\n"
"[rule.W08]\n"
"; 低保、特困、低保边缘、刚性支出人员已死亡（死亡日期早于比对月份第一天）\n"
"enabled = true\n"
"level = red\n"
"\n"
"[rule.W09]\n"
"; 特困人员同时享受孤儿或事实无人抚养儿童保障\n"
"enabled = true\n"
"level = red\n"
"\n"
"[rule.W10]\n"
"; 特困人员领取失能补贴或残疾人两项补贴\n"
"enabled = true\n"
"level = red\n"
"\n"
"[rule.W11]\n"
"; 低保、特困人员领取养老金或持有存续营业执照\n"
"enabled = true\n"
"level = yellow\n"
"\n"
"[rule.W12]\n"
"; 非低保特困在册家庭的劳动力成员死亡（收入骤减）\n"
"enabled = true\n"
"level = yellow\n"
"\n"
"[rule.W13]\n"
"; 劳动年龄在册人员新登记失业\n"
"enabled = true\n"
"level = blue\n"
"\n"
"[rule.W14]\n"
"; 在册家庭自然灾害损失合计超过阈值\n"
"enabled = true\n"
"level = yellow\n"
"threshold = 5000\n"
"\n"
"[rule.W15]\n"
"; 三保障和饮水安全问题\n"
"enabled = true\n"
"level = yellow\n"
"\n"
"[rule.W16]\n"
"; 身份证号重复或校验位错误\n"
"enabled = true\n"
"level = red\n"
"\n"
"[rule.W17]\n"
"; 定期核查逾期\n"
"enabled = true\n"
"level = blue\n"
"\n"
"[rule.W18]\n"
"; 村干部和经办人员近亲属享受救助未备案\n"
"enabled = true\n"
"level = yellow\n"
"\n"
"; 县自定义规则（无需重新编译）：[rule.C01] 等，sql 为一条只读 SELECT，返回三列\n"
"; id_number, household_no, evidence；只能查询视图 v_persons、v_households、v_feed_<类型>；\n"
"; :month 为比对月份 YYYY-MM。一行不超过 199 字节，续行以空格缩进。去掉行首分号即可启用。\n"
"; [rule.C01]\n"
"; name = 低保对象新登记失业\n"
"; level = blue\n"
"; sql = SELECT p.id_number, p.household_no, '失业登记日期 ' || u.reg_date\n"
";   FROM v_persons p JOIN v_feed_unemployment u ON u.id_key = p.id_key\n"
";   WHERE u.month = :month AND (p.category_bits & 2) <> 0\n"
"; [rule.C02]\n"
"; name = 在册家庭人数为1且户主年满80岁\n"
"; level = blue\n"
"; sql = SELECT p.id_number, p.household_no, '独居高龄老人 ' || p.birth_date\n"
";   FROM v_persons p JOIN v_households h ON h.household_no = p.household_no\n"
";   WHERE h.members = 1 AND p.birth_date <= date(:month || '-01', '-80 years')\n";

char *dd_policy_default_text(const char *county_code, const char *county_name)
{
	int n = snprintf(NULL, 0, default_fmt, county_code, county_name);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (s)
		snprintf(s, (size_t)n + 1, default_fmt, county_code, county_name);
	return s;
}

/* ---- parsing ---- */

typedef struct parse_ctx {
	dd_policy *p;
	dd_err *err;
	const char *origin;
	const char *section;   /* where the entry being parsed stands, for messages */
	bool failed;
	char last[128];        /* section and key of the previous entry: a repeat is a continuation line */
} parse_ctx;

/* Debian's inih passes no line numbers, so messages name the section instead. */
static int fail(parse_ctx *c, const char *fmt, const char *a, const char *b)
{
	if (!c->failed) {
		char what[256];
		snprintf(what, sizeof what, fmt, a, b);
		dd_err_set(c->err, DD_ERR_INPUT, "%s [%s]：%s", c->origin, c->section, what);
		c->failed = true;
	}
	return 0;
}

static bool parse_int(const char *v, long lo, long hi, long *out)
{
	char *end;
	long x = strtol(v, &end, 10);
	if (end == v || *end || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *yes[] = { "true", "yes", "1", "是", "on" };
	static const char *no[] = { "false", "no", "0", "否", "off" };
	for (size_t i = 0; i < DD_ARRAY_LEN(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static dd_standards *standards_for(dd_policy *p, int year)
{
	size_t i;
	for (i = 0; i < p->nstandards; i++)
		if (p->standards[i].year == year)
			return &p->standards[i];
	if (p->nstandards == DD_POLICY_MAX_YEARS)
		return NULL;
	/* keep sorted by year; a new year starts from the latest earlier one's figures */
	for (i = p->nstandards; i > 0 && p->standards[i - 1].year > year; i--)
		p->standards[i] = p->standards[i - 1];
	dd_standards fresh = { 0 };
	if (i > 0)
		fresh = p->standards[i - 1];
	fresh.year = year;
	p->standards[i] = fresh;
	p->nstandards++;
	return &p->standards[i];
}

static dd_rule_cfg *rule_for(dd_policy *p, const char *id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].id, id))
			return &p->rules[i];
	if (p->nrules == DD_POLICY_MAX_RULES || strlen(id) >= sizeof p->rules[0].id)
		return NULL;
	dd_rule_cfg *r = &p->rules[p->nrules++];
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", id);
	r->enabled = true;
	snprintf(r->level, sizeof r->level, "yellow");
	r->threshold = -1;
	return r;
}

/* Table of the plain integer and money keys: one row per key. */
typedef struct key_def {
	const char *section;
	const char *key;
	bool money;
	long lo, hi;
	size_t off;   /* offset in dd_policy (int) or dd_standards (dd_fen) */
} key_def;

#define PI(sec, k, lo, hi) { sec, #k, false, lo, hi, offsetof(dd_policy, k) }
#define PM(sec, k) { sec, #k, true, 0, 0, offsetof(dd_policy, k) }
static const key_def policy_keys[] = {
	PI("assess", edge_percent, 100, 1000),
	PI("assess", rigid_percent, 1, 100),
	PM("assess", employment_cost_month),
	PI("assess", tk_age, 1, 150),
	PI("assess", tk_minor_age, 1, 30),
	PI("assess", tk_income_months, 1, 120),
	PI("assess", obligor_line_factor, 1, 100),
	PI("assess", gz_valid_months, 1, 120),
	PI("procedure", notice_days, 1, 365),
	PI("procedure", dispatch_deadline_days, 1, 365),
	PI("procedure", payment_due_day, 1, 31),
	PM("procedure", emergency_small_amount),
	PI("procedure", recheck_months_stable, 1, 120),
	PI("procedure", recheck_months_other, 1, 120),
};
#define SM(k) { "standards", #k, true, 0, 0, offsetof(dd_standards, k) }
static const key_def standards_keys[] = {
	SM(dibao_urban_month), SM(dibao_rural_month), SM(disposable_income_urban),
	SM(disposable_income_rural), SM(fin_assets_limit), SM(vehicle_limit), SM(fp_line),
};

static int set_key(parse_ctx *c, const key_def *defs, size_t n, const char *sec, void *base,
		   const char *name, const char *value)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(defs[i].section, sec) || strcmp(defs[i].key, name))
			continue;
		if (defs[i].money) {
			dd_fen fen;
			dd_money_status st = dd_money_parse(value, strlen(value), &fen);
			if (st != DD_MONEY_OK || fen < 0)
				return fail(c, "%s 的金额无效：%s", name, value);
			*(dd_fen *)((char *)base + defs[i].off) = fen;
		} else {
			long x;
			if (!parse_int(value, defs[i].lo, defs[i].hi, &x))
				return fail(c, "%s 应为整数（取值范围见注释）：%s", name, value);
			*(int *)((char *)base + defs[i].off) = (int)x;
		}
		return 1;
	}
	return fail(c, "未知的参数 %s = %s", name, value);
}

/*
 * Sets a rule's sql, name or description.  inih hands over an indented
 * continuation line as another entry of the same key, so an entry repeating
 * the previous one's section and key is appended (on a new line).
 */
static bool rule_text(parse_ctx *c, dd_rule_cfg *r, const char *name, const char *value)
{
	char *dst = !strcmp(name, "sql") ? r->sql : !strcmp(name, "name") ? r->name : r->description;
	size_t cap = !strcmp(name, "sql") ? sizeof r->sql : !strcmp(name, "name") ? sizeof r->name
										 : sizeof r->description;
	char here[sizeof c->last];
	snprintf(here, sizeof here, "%s\x1f%s", c->section, name);
	bool more = !strcmp(here, c->last);
	size_t len = more ? strlen(dst) : 0;
	int n = snprintf(dst + len, cap - len, "%s%s", more ? "\n" : "", value);
	return n >= 0 && (size_t)n < cap - len;
}

/* Words a county rule's SQL may not contain outside strings (it reads; nothing else). */
static const char *const sql_forbidden[] = {
	"PRAGMA", "ATTACH", "DETACH", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER",
	"REPLACE", "VACUUM", "REINDEX", "ANALYZE", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
	"RELEASE", "UPSERT", "TRIGGER",
};

/*
 * The load-time check of a county rule's SQL: one SELECT (or WITH … SELECT),
 * no semicolon outside strings except at the end, none of sql_forbidden.
 * Returns NULL when fine, else the reason.  What the SQL may read is checked
 * by the store when the rule runs (dd_store_rule_check).
 */
static const char *sql_check(const char *sql, char *word, size_t wcap)
{
	bool first = true;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {               /* string or quoted identifier */
			char q = *p++;
			while (*p && !(*p == q && p[1] != q))
				p += *p == q ? 2 : 1;
			if (!*p)
				return "引号不成对";
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return "注释未结束";
			p = e + 2;
		} else if (*p == ';') {
			if (p[1 + strspn(p + 1, " \t\r\n")])
				return "只能有一条语句（字符串之外不能有分号）";
			p++;
		} else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_') {
			size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");
			snprintf(word, wcap, "%.*s", (int)n, p);
			if (first && strcasecmp(word, "SELECT") && strcasecmp(word, "WITH"))
				return "必须以 SELECT 或 WITH 开头，而不是";
			first = false;
			for (size_t i = 0; i < DD_ARRAY_LEN(sql_forbidden); i++)
				if (!strcasecmp(word, sql_forbidden[i]))
					return "只能查询，不能含有";
			*word = '\0';   /* named in the message only when it is the reason */
			p += n;
		} else {
			p++;
		}
	}
	return first ? "为空" : NULL;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	parse_ctx *c = user;
	dd_policy *p = c->p;

	if (c->failed)
		return 0;
	c->section = section;
	if (!strcmp(section, "county")) {
		if (!strcmp(name, "code")) {
			if (strlen(value) != 6 || strspn(value, "0123456789") != 6)
				return fail(c, "县级行政区划代码应为6位数字：%s%s", value, "");
			snprintf(p->county_code, sizeof p->county_code, "%s", value);
		} else if (!strcmp(name, "name")) {
			snprintf(p->county_name, sizeof p->county_name, "%s", value);
		} else {
			return fail(c, "未知的参数 %s = %s", name, value);
		}
		return 1;
	}
	if (!strncmp(section, "standards.", 10)) {
		long year;
		if (!parse_int(section + 10, 1990, 2199, &year))
			return fail(c, "年度无效：[%s]%s", section, "");
		dd_standards *s = standards_for(p, (int)year);
		if (!s)
			return fail(c, "年度太多：[%s]%s", section, "");
		return set_key(c, standards_keys, DD_ARRAY_LEN(standards_keys), "standards", s,
			       name, value);
	}
	if (!strncmp(section, "rule.", 5)) {
		dd_rule_cfg *r = rule_for(p, section + 5);
		if (!r)
			return fail(c, "规则太多或名称过长：[%s]%s", section, "");
		if (!strcmp(name, "enabled")) {
			if (!parse_bool(value, &r->enabled))
				return fail(c, "enabled 应为 true 或 false：%s%s", value, "");
		} else if (!strcmp(name, "level")) {
			if (strcmp(value, "red") && strcmp(value, "yellow") && strcmp(value, "blue"))
				return fail(c, "level 应为 red、yellow 或 blue：%s%s", value, "");
			snprintf(r->level, sizeof r->level, "%s", value);
		} else if (!strcmp(name, "sql") || !strcmp(name, "name") || !strcmp(name, "description")) {
			if (!rule_text(c, r, name, value))
				return fail(c, "%s 过长：%s", name, section);
		} else if (!strcmp(name, "threshold")) {
			dd_money_status st = dd_money_parse(value, strlen(value), &r->threshold);
			if (st != DD_MONEY_OK || r->threshold < 0)
				return fail(c, "threshold 金额无效：%s%s", value, "");
		} else {
			return fail(c, "未知的参数 %s = %s", name, value);
		}
		return 1;
	}
	if (!strcmp(section, "assess") || !strcmp(section, "procedure"))
		return set_key(c, policy_keys, DD_ARRAY_LEN(policy_keys), section, p, name, value);
	return fail(c, "未知的段 [%s]%s", section, "");
}

/* Every entry; remembers its section and key for rule_text's continuation lines. */
static int on_any_entry(void *user, const char *section, const char *name, const char *value)
{
	parse_ctx *c = user;
	int r = on_entry(user, section, name, value);
	snprintf(c->last, sizeof c->last, "%s\x1f%s", section, name);
	return r;
}

dd_rc dd_policy_parse(dd_policy *p, const char *text, const char *origin, dd_err *err)
{
	parse_ctx c = { p, err, origin, "", false, "" };
	int r = ini_parse_string(text, on_any_entry, &c);
	if (c.failed)
		return DD_ERR_INPUT;
	if (r != 0)
		return dd_err_set(err, DD_ERR_INPUT, "%s 第%d行：格式错误（应为 [段] 或 键 = 值；"
				  "一行不超过 199 字节，长的 sql 换行并以空格缩进续行）", origin, r);
	for (size_t i = 0; i < p->nrules; i++) {
		char word[64] = "";
		const char *why = p->rules[i].sql[0] ? sql_check(p->rules[i].sql, word, sizeof word) : NULL;
		if (why)
			return dd_err_set(err, DD_ERR_INPUT, "%s [rule.%s]：sql 只能是一条只读的 SELECT 查询：%s %s",
					  origin, p->rules[i].id, why, word);
	}
	return DD_OK;
}

dd_rc dd_policy_default(dd_policy *p, dd_err *err)
{
	dd_rc rc = DD_ERR_NOMEM;
	char *text = dd_policy_default_text("230304", "滴道区");
	memset(p, 0, sizeof *p);
	if (!text)
		return dd_err_set(err, rc, "内存不足");
	rc = dd_policy_parse(p, text, "内置默认政策", err);
	free(text);
	return rc;
}

dd_rc dd_policy_stored(dd_policy *p, const char *text, dd_err *err)
{
	dd_rc rc = dd_policy_default(p, err);

	return rc == DD_OK && text ? dd_policy_parse(p, text, "数据库中的政策参数", err) : rc;
}

dd_rc dd_policy_load_file(dd_policy *p, const char *path, dd_err *err)
{
	dd_buf b;
	dd_buf_init(&b, 0);
	dd_rc rc = dd_file_read(path, 1 << 20, &b, err);
	/* a UTF-8 BOM from Notepad is harmless */
	const char *text = b.data && !strncmp(b.data, "\xEF\xBB\xBF", 3) ? b.data + 3 : b.data;
	if (rc == DD_OK)
		rc = dd_policy_default(p, err);
	if (rc == DD_OK)
		rc = dd_policy_parse(p, text, path, err);
	dd_buf_release(&b);
	return rc;
}

const dd_standards *dd_policy_standards(const dd_policy *p, int year)
{
	const dd_standards *best = NULL;
	for (size_t i = 0; i < p->nstandards; i++)
		if (p->standards[i].year <= year)
			best = &p->standards[i];
	return best;
}

const dd_rule_cfg *dd_policy_rule(const dd_policy *p, const char *id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].id, id))
			return &p->rules[i];
	return NULL;
}
