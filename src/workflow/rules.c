/*
 * rules.c - the procedure's rules as pure functions (workflow.h): names,
 * the state machine, the notice period, working days and re-check periods.
 */
#include "workflow.h"
#include "../core/text.h"

#include <string.h>

const dd_flow_name dd_flow_states[DD_FLOW_NSTATES] = {
	[DD_FLOW_SUBMITTED] = { "submitted", "申请" },
	[DD_FLOW_VILLAGE_REVIEW] = { "village_review", "村社评议" },
	[DD_FLOW_ECONOMIC_CHECK] = { "economic_check", "家庭经济状况核对" },
	[DD_FLOW_HOME_VISIT] = { "home_visit", "入户调查" },
	[DD_FLOW_FIRST_REVIEW] = { "first_review", "初审" },
	[DD_FLOW_PUBLIC_NOTICE] = { "public_notice", "公示" },
	[DD_FLOW_DECISION] = { "decision", "审核确认" },
	[DD_FLOW_PUBLISHED] = { "published", "公开" },
	[DD_FLOW_REJECTED] = { "rejected", "不予认定" },
};

const dd_flow_name dd_flow_needs[DD_FLOW_NNEEDS] = {
	{ "dibao", "最低生活保障" },
	{ "tekun", "特困供养" },
	{ "temporary", "临时救助" },
	{ "elderly_allowance", "高龄津贴" },
	{ "care_subsidy", "失能补贴" },
	{ "funeral", "殡葬救助" },
	{ "heating", "取暖救助" },
	{ "disability_subsidy", "残疾补贴" },
	{ "orphan", "孤儿救助" },
	{ "medical", "医疗救助" },
	{ "disaster", "受灾人员救助" },
	{ "employment", "就业救助" },
	{ "education", "教育救助" },
	{ "housing", "住房救助" },
	{ "charity", "慈善资金救助" },
	{ "legal_aid", "法律援助和司法救助" },
	{ "traffic_fund", "道路交通事故社会救助基金一次性困难救助" },
	{ "social_service", "社会服务类救助（访视照料、心理疏导、社会融入）" },
	{ "other", "其他" },
};

const dd_flow_name dd_flow_channels[DD_FLOW_NCHANNELS] = {
	{ "window", "窗口" },
	{ "village", "村代办" },
	{ "online", "网上" },
	{ "discovered", "主动发现" },
};

const dd_flow_name dd_flow_kinds[2] = {
	{ "entry", "申请认定" },
	{ "exit", "退出" },
};

int dd_flow_lookup(const dd_flow_name *table, size_t n, const char *s, size_t len)
{
	dd_text_trim(&s, &len);
	for (size_t i = 0; i < n; i++)
		if (dd_text_eq(s, len, table[i].code) || dd_text_eq(s, len, table[i].zh))
			return (int)i;
	return -1;
}

int dd_flow_state_parse(const char *s)
{
	return s ? dd_flow_lookup(dd_flow_states, DD_FLOW_NSTATES, s, strlen(s)) : -1;
}

uint32_t dd_flow_needs_mask(const char *codes)
{
	uint32_t mask = 0;

	for (const char *p = codes; p && *p;) {
		size_t len = strcspn(p, ";");
		int i = dd_flow_lookup(dd_flow_needs, DD_FLOW_NNEEDS, p, len);
		if (i >= 0)
			mask |= 1u << i;
		p += len + (p[len] == ';');
	}
	return mask;
}

const char *dd_flow_state_zh(const char *code)
{
	int i = dd_flow_state_parse(code);
	return i < 0 ? "?" : dd_flow_states[i].zh;
}

bool dd_flow_exit_decided(const dd_application *a)
{
	return a->kind && !strcmp(a->kind, "exit") && a->decided_category && a->state &&
	       strcmp(a->state, dd_flow_states[DD_FLOW_REJECTED].code);
}

size_t dd_flow_separator(const char *s)
{
	static const char *const seps[] = { ",", ";", "，", "、", "；" };
	for (size_t i = 0; i < DD_ARRAY_LEN(seps); i++)
		if (!strncmp(s, seps[i], strlen(seps[i])))
			return strlen(seps[i]);
	return 0;
}

int dd_flow_count_names(const char *list)
{
	const char *names[16];
	size_t lens[16];
	int n = 0;

	for (const char *p = list, *item = list; p && n < 16; ) {
		size_t sep = *p ? dd_flow_separator(p) : 1;
		if (!sep) {
			p++;
			continue;
		}
		const char *s = item;
		size_t len = (size_t)(p - item);
		dd_text_trim(&s, &len);
		bool dup = false;
		for (int i = 0; i < n && !dup; i++)
			dup = lens[i] == len && !memcmp(names[i], s, len);
		if (len && !dup) {
			names[n] = s;
			lens[n++] = len;
		}
		if (!*p)
			break;
		p += sep;
		item = p;
	}
	return n;
}

dd_date dd_flow_add_working_days(dd_date d, int n)
{
	while (n > 0) {
		d++;
		/* 1970-01-01 (day 0) was a Thursday: day % 7 == 2 is Saturday, 3 Sunday */
		int wd = (int)(((d % 7) + 7) % 7);
		if (wd != 2 && wd != 3)
			n--;
	}
	return d;
}

dd_date dd_flow_notice_until(const dd_policy *p, dd_date from)
{
	return from + p->notice_days - 1;
}

bool dd_flow_key_person(const dd_assess_member *am, const dd_member *m)
{
	return am->elderly || am->minor || am->severe || (m->health && !strcmp(m->health, "患有大病"));
}

int dd_flow_recheck_months(const dd_policy *p, unsigned category, bool all_key_persons)
{
	if (category == DD_CAT_DB)
		return all_key_persons ? p->recheck_months_stable : p->recheck_months_other;
	if (category == DD_CAT_TK || category == DD_CAT_BY || category == DD_CAT_GZ)
		return p->recheck_months_stable;
	return 0;
}

dd_date dd_flow_due_after_months(dd_date from, int months)
{
	return dd_date_add_months(from, months);
}

/* ---- the state machine ---- */

static const char *zh(int state)
{
	return dd_flow_states[state].zh;
}

static dd_rc refuse_reject(const dd_flow_request *r, int cur, dd_err *err)
{
	if (cur < DD_FLOW_VILLAGE_REVIEW || cur > DD_FLOW_PUBLIC_NOTICE)
		return dd_err_set(err, DD_ERR_INPUT,
				  "当前状态为「%s」，不能不予认定：只能在「村社评议」至「公示」期间（审核确认前）作出",
				  zh(cur));
	if (!r->reason || !*r->reason)
		return dd_err_set(err, DD_ERR_INPUT, "不予认定必须写明理由（--reason）");
	return DD_OK;
}

/* The decision of an entry: the computed category, or a manual one with a reason. */
static dd_rc check_decision(const dd_application *a, const dd_flow_request *r, dd_err *err)
{
	const char *computed = a->computed_category ? a->computed_category : "NONE";
	unsigned want;

	if (!strcmp(a->kind, "exit")) {
		if (r->category)
			return dd_err_set(err, DD_ERR_INPUT, "退出申请的审核确认不认定类别（不能用 --category）");
		/* the decision document states why assistance ends */
		if (!r->reason || !*r->reason)
			return dd_err_set(err, DD_ERR_INPUT, "退出的审核确认必须写明退出理由（--reason）");
		return DD_OK;
	}
	if (r->fp_risk_cleared)
		return dd_err_set(err, DD_ERR_INPUT, "“风险消除”标注只能在退出申请的审核确认时作出");
	if (!r->category) {
		if (!strcmp(computed, "NONE"))
			return dd_err_set(err, DD_ERR_INPUT,
					  "核对结果不符合任何类别：请不予认定（--reject --reason），或人工认定类别并写明理由（--category --reason）");
		return DD_OK;
	}
	want = dd_category_parse(r->category, strlen(r->category));
	if (!want)
		return dd_err_set(err, DD_ERR_INPUT, "未知的认定类别「%s」（应为 TK DB BY GZ QT 或其中文名称）",
				  r->category);
	if (strcmp(dd_assess_code(want), computed) && (!r->reason || !*r->reason))
		return dd_err_set(err, DD_ERR_INPUT,
				  "人工认定的类别 %s 与核对结果 %s 不同，必须写明理由（--reason）",
				  dd_assess_code(want), computed);
	return DD_OK;
}

dd_rc dd_flow_check(const dd_policy *p, const dd_application *a, const dd_flow_request *r,
		    dd_err *err)
{
	int cur = dd_flow_state_parse(a->state);
	int to = (int)r->to;

	if (cur < 0)
		return dd_err_set(err, DD_ERR_INTERNAL, "申请 %s 的状态「%s」无效", a->app_no, a->state);
	if (!r->user || !*r->user)
		return dd_err_set(err, DD_ERR_INPUT, "必须注明办理人（--by）");
	if (cur == DD_FLOW_PUBLISHED || cur == DD_FLOW_REJECTED)
		return dd_err_set(err, DD_ERR_INPUT, "申请 %s 已「%s」，办理已结束，不能再流转", a->app_no, zh(cur));
	if (to == DD_FLOW_REJECTED)
		return refuse_reject(r, cur, err);
	if (to < 0 || to >= DD_FLOW_NSTATES)
		return dd_err_set(err, DD_ERR_INPUT, "目标状态无效");
	if (to != cur + 1)
		return dd_err_set(err, DD_ERR_INPUT,
				  "不能从「%s」流转到「%s」：程序不可跳过或倒退，下一步只能是「%s」",
				  zh(cur), zh(to), zh(cur + 1));
	if ((r->category || r->reason) && to != DD_FLOW_DECISION)
		return dd_err_set(err, DD_ERR_INPUT, "认定类别和理由只能在「审核确认」时填写");
	if (r->fp_risk_cleared && to != DD_FLOW_DECISION)
		return dd_err_set(err, DD_ERR_INPUT, "“风险消除”标注只能在「审核确认」时作出");
	if (to == DD_FLOW_HOME_VISIT) {
		int n = dd_flow_count_names(r->investigators);
		if (n < 2)
			return dd_err_set(err, DD_ERR_INPUT,
					  "入户调查必须记录至少 2 名调查人员（--investigators 甲,乙），现为 %d 名", n);
	}
	if (to == DD_FLOW_DECISION) {
		if (a->notice_from == DD_DATE_NONE)
			return dd_err_set(err, DD_ERR_INTERNAL, "申请 %s 缺少公示日期", a->app_no);
		dd_date until = dd_flow_notice_until(p, a->notice_from);
		if (r->on <= until) {
			char f[11], u[11];
			dd_date_format(a->notice_from, f);
			dd_date_format(until, u);
			return dd_err_set(err, DD_ERR_INPUT,
					  "公示期未满：自 %s 起公示 %d 天至 %s，%s 之后方可审核确认",
					  f, p->notice_days, u, u);
		}
		return check_decision(a, r, err);
	}
	return DD_OK;
}
