/* compare.c - the rule table and the run of a month (compare.h). */
#include "../core/dd.h"
#include "compare.h"

#include <stdio.h>
#include <string.h>

/* One row per built-in rule; its query is the rule's statement in the store backend. */
const dd_compare_rule dd_compare_rules[] = {
	{ "W01", "刚性支出（漏保）", "因病", true },
	{ "W02", "刚性支出（漏保）", "因病（主动发现）", true },
	{ "W03", "刚性支出（漏保）", "因残", false },
	{ "W04", "刚性支出（漏保）", "因残（复核特困）", false },
	{ "W05", "刚性支出（漏保）", "因残（名单变化）", false },
	{ "W06", "刚性支出（漏保）", "因残（等级变化）", false },
	{ "W07", "刚性支出（漏保）", "因突发事件", true },
	{ "W08", "在保预警（错保）", "因死亡", false },
	{ "W09", "在保预警（错保）", "因重保（孤儿）", false },
	{ "W10", "在保预警（错保）", "因重保（补贴）", false },
	{ "W11", "在保预警（错保）", "因财产", false },
	{ "W12", "收入骤减", "劳动力死亡", false },
	{ "W13", "收入不稳", "失业", false },
	{ "W14", "财产损失", "自然灾害", true },
	{ "W15", "三保障", "住房/教育/医疗/饮水", false },
	{ "W16", "数据质量", "重复或校验位错误", false },
	{ "W17", "动态管理", "复核逾期", false },
	{ "W18", "数字监督", "近亲属备案", false },
};
const size_t dd_compare_nrules = DD_ARRAY_LEN(dd_compare_rules);

const dd_compare_rule *dd_compare_rule_find(const char *id)
{
	for (size_t i = 0; i < dd_compare_nrules; i++)
		if (!strcmp(dd_compare_rules[i].id, id))
			return &dd_compare_rules[i];
	return NULL;
}

/* 'YYYYMMDD' of the first day of m, `years` earlier: born on or before it = that age on the first day. */
static void born_by(dd_date first, int years, char out[9])
{
	char d[11];
	dd_date_format(dd_date_add_months(first, -12 * years), d);
	snprintf(out, 9, "%.4s%.2s%.2s", d, d + 5, d + 8);
}

void dd_compare_month_fill(const dd_policy *p, dd_month m, dd_compare_month *out)
{
	dd_date first = dd_month_first(m);

	memset(out, 0, sizeof *out);
	dd_month_format(m, out->month);
	dd_month_format(m - 1, out->prev);
	dd_date_format(first, out->first);
	dd_date_format(dd_month_last(m), out->last);
	out->year = dd_month_year(m);
	born_by(first, 16, out->born_16);
	born_by(first, 60, out->born_60);
	born_by(first, p->tk_age, out->born_old);
	born_by(first, p->tk_minor_age, out->born_minor);
	out->recheck_stable = p->recheck_months_stable;
	out->recheck_other = p->recheck_months_other;
}

dd_rc dd_compare_check(dd_store *st, const dd_policy *p, dd_err *err)
{
	dd_rc rc = DD_OK;

	for (size_t i = 0; i < p->nrules && rc == DD_OK; i++) {
		const dd_rule_cfg *r = &p->rules[i];
		const dd_compare_rule *b = dd_compare_rule_find(r->id);
		if (!r->enabled)
			continue;
		if (b && r->sql[0])
			rc = dd_err_set(err, DD_ERR_INPUT, "规则 %s 是内置规则，不能设置 sql", r->id);
		else if (b && b->needs_threshold && r->threshold < 0)
			rc = dd_err_set(err, DD_ERR_INPUT, "规则 %s 需要金额阈值 threshold", r->id);
		else if (!b && !r->sql[0])
			rc = dd_err_set(err, DD_ERR_INPUT, "规则 %s 不是内置规则（W01–W18），须用 sql 定义", r->id);
		else if (!b && (rc = dd_store_rule_check(st, r->sql, err)) != DD_OK) {
			char why[sizeof err->msg];
			snprintf(why, sizeof why, "%s", err->msg);
			rc = dd_err_set(err, rc, "规则 %s：%s", r->id, why);
		}
	}
	return rc;
}

/* The enabled rules of the run, into rep (in policy order). */
static void plan(const dd_policy *p, dd_compare_report *rep)
{
	memset(rep, 0, sizeof *rep);
	for (size_t i = 0; i < p->nrules; i++) {
		if (!p->rules[i].enabled)
			continue;
		dd_compare_result *r = &rep->rules[rep->nrules++];
		snprintf(r->rule, sizeof r->rule, "%s", p->rules[i].id);
		snprintf(r->level, sizeof r->level, "%s", p->rules[i].level);
	}
}

/* The store's spec of an enabled rule of the policy. */
static dd_rule_spec spec_of(const dd_policy *p, const char *rule)
{
	const dd_rule_cfg *cfg = dd_policy_rule(p, rule);
	return (dd_rule_spec){ cfg->id, cfg->level, cfg->threshold, cfg->sql[0] ? cfg->sql : NULL };
}

/* Hands the store all the run's rules: it may work some of them out ahead (store.h). */
static dd_rc ahead(dd_store *st, const dd_policy *p, const dd_compare_month *cm,
		   const dd_compare_report *rep, dd_err *err)
{
	dd_rule_spec specs[DD_POLICY_MAX_RULES];

	for (size_t i = 0; i < rep->nrules; i++)
		specs[i] = spec_of(p, rep->rules[i].rule);
	return dd_store_compare_ahead(st, cm, specs, rep->nrules, err);
}

dd_rc dd_compare_run(dd_store *st, const dd_policy *p, const char *user, dd_month m,
		     dd_compare_progress_fn progress, void *arg, dd_compare_report *rep,
		     dd_err *err)
{
	int64_t t0 = dd_clock_us();
	dd_compare_month cm;
	dd_rc rc;

	plan(p, rep);
	dd_compare_month_fill(p, m, &cm);
	if ((rc = dd_compare_check(st, p, err)) != DD_OK)
		return rc;
	if ((rc = dd_store_begin(st, err)) != DD_OK)
		return rc;
	rc = dd_store_compare_begin(st, user, cm.month, &rep->run_id, err);
	if (rc == DD_OK)
		rc = ahead(st, p, &cm, rep, err);
	for (size_t i = 0; rc == DD_OK && i < rep->nrules; i++) {
		dd_compare_result *r = &rep->rules[i];
		const dd_rule_spec spec = spec_of(p, r->rule);
		int64_t t = dd_clock_us();
		if (progress)
			progress(arg, i, rep->nrules, r->rule, NULL);
		rc = dd_store_compare_rule(st, rep->run_id, &cm, &spec, &r->n, err);
		r->us = dd_clock_us() - t;
		if (rc == DD_OK && progress)
			progress(arg, i, rep->nrules, r->rule, r);
	}
	if (rc == DD_OK)
		rc = dd_store_compare_end(st, rep->run_id, err);
	if (rc == DD_OK)
		rc = dd_store_commit(st, err);
	if (rc != DD_OK)
		dd_store_rollback(st);
	rep->us = dd_clock_us() - t0;
	return rc;
}
