/*
 * api_households.c - the registry's routes: household list and page, and
 * the audited reveal of one member's full ID (docs/internals/api.md).
 * Roles and scope were decided by the dispatcher (api.c) before these run.
 */
#include "../core/dd.h"
#include "../core/json.h"
#include "../core/id.h"
#include "../core/region.h"
#include "../core/registry.h"
#include "http_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q_MAX 64

/* ---- households ---- */

bool http_household_query(dd_http_req *req, dd_household_query *f)
{
	const char *c = http_arg(req, "category");

	f->q = http_arg(req, "q");
	if (f->q && strlen(f->q) > Q_MAX) {
		http_fail(req, 400, "BAD_REQUEST", "查询文字过长");
		return false;
	}
	if (f->q && !*f->q)
		f->q = NULL;
	if (!c || !*c)
		return true;
	if (!strcmp(c, "FP") || !strcmp(c, "fp") || !strcmp(c, "防返贫监测对象") || !strcmp(c, "防返贫监测")) {
		f->fp = true;
		return true;
	}
	if (!(f->categories = dd_category_parse(c, strlen(c)))) {
		http_fail(req, 400, "BAD_REQUEST", "category 应为 TK DB BY GZ QT FP 之一");
		return false;
	}
	return true;
}

dd_rc api_households_list(dd_http_req *req)
{
	const char *region = http_arg(req, "region");
	char prefix[13];
	http_page pg;
	dd_household_query f = { 0 };
	dd_household_hit *hits = NULL;
	size_t n = 0;
	int64_t total = 0;
	dd_err err = { 0 };
	dd_rc rc = DD_OK;

	if (!http_page_args(req, &pg) || !http_household_query(req, &f))
		return DD_OK;
	if (region && *region && strspn(region, "0123456789") != strlen(region))
		return http_fail(req, 400, "BAD_REQUEST", "region 应为区划代码");
	f.offset = pg.offset;
	f.limit = pg.size;
	if (dd_http_scope_filter(&req->who, region, prefix)) {
		f.region = prefix;
		rc = dd_store_household_search(req->st, &f, &hits, &n, &total, &req->mem, &err);
	}
	if (rc != DD_OK)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; items && i < n; i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
						       "household_no", hits[i].household_no,
						       "region_code", hits[i].region_code,
						       "head_name", dd_json_text(hits[i].head_name),
						       "head_id", dd_json_id_masked(hits[i].head_id),
						       "categories", dd_json_categories(hits[i].categories),
						       "fp_subtype", dd_json_text(hits[i].fp_subtype),
						       "exited_on", dd_json_date(hits[i].exited_on)));
	return http_reply(req, 200, http_page_json(&pg, total, items));
}

/* locate() of the household routes: params[0] is the household_no. */
dd_rc api_locate_household(dd_http_req *req, const char **region)
{
	int64_t id;
	dd_err err = { 0 };
	dd_rc rc = dd_store_household_id(req->st, req->params[0], &id, &err);

	*region = NULL;
	if (rc == DD_ERR_NOTFOUND)
		return DD_OK;
	if (rc == DD_OK)
		rc = dd_store_registry_open_one(req->st, id, &req->cur, &err);
	if (rc == DD_OK)
		rc = dd_store_registry_next(req->cur, &req->rec, &err);
	if (rc == DD_DONE) {
		req->rec = NULL;
		rc = DD_OK;
	}
	if (rc == DD_OK && req->rec)
		*region = req->rec->h.region_code;
	if (rc != DD_OK)
		dd_log_error("读取户失败：%s", err.msg);
	return rc;
}

static json_t *finances(const dd_household *h)
{
	static const struct {
		const char *key;
		size_t off;
	} f[] = {
#define F(x) { #x, offsetof(dd_household, x) }
		F(wage_income), F(business_income), F(property_income), F(transfer_income),
		F(insurance_payout), F(business_expense), F(medical_self_paid), F(education_expense),
		F(rehab_expense), F(fin_assets), F(vehicle_value),
#undef F
	};
	json_t *o = json_object();
	for (size_t i = 0; o && i < DD_ARRAY_LEN(f); i++)
		json_object_set_new(o, f[i].key, dd_json_yuan(*(const dd_fen *)((const char *)h + f[i].off)));
	return o;
}

static json_t *member(const dd_member *m, size_t index)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:i, s:o}",
			 "index", (json_int_t)index, "name", dd_json_text(m->name), "relation", dd_json_text(m->relation),
			 "gender", dd_json_text(m->gender), "id_number", dd_json_id_masked(m->id.text),
			 "id_valid", !m->id_bad_check, "phone", dd_json_phone_masked(m->phone),
			 "health", dd_json_text(m->health), "labor", dd_json_text(m->labor),
			 "disability_type", dd_json_text(m->disability_type), "disability_grade", m->disability_grade,
			 "wage_income", dd_json_yuan_opt(m->wage_income));
}

static json_t *obligor(const dd_obligor *o)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "name", dd_json_text(o->name), "relation", dd_json_text(o->relation),
			 "id_number", dd_json_id_masked(o->id_number), "phone", dd_json_phone_masked(o->phone),
			 "monthly_income", dd_json_yuan_opt(o->monthly_income));
}

dd_rc api_household_get(dd_http_req *req)
{
	const dd_registry_rec *r = req->rec;
	const dd_household *h = &r->h;
	char name[256];
	json_t *members = json_array(), *obligors = json_array();

	dd_region_fullname(h->region_code, strlen(h->region_code), name, sizeof name);
	for (size_t i = 0; members && i < r->nmembers; i++)
		json_array_append_new(members, member(&r->members[i], i));
	for (size_t i = 0; obligors && i < r->nobligors; i++)
		json_array_append_new(obligors, obligor(&r->obligors[i]));
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
			      " s:o, s:o, s:o, s:o}",
			      "household_no", h->household_no, "region_code", h->region_code,
			      "region_name", name, "address", dd_json_text(h->address),
			      "hukou_type", h->hukou == DD_HUKOU_RURAL ? json_string("农业")
					    : h->hukou == DD_HUKOU_URBAN ? json_string("非农业") : json_null(),
			      "head_id", dd_json_id_masked(h->head_id), "phone", dd_json_phone_masked(h->phone),
			      "categories", dd_json_categories(h->categories), "fp_subtype", dd_json_text(h->fp_subtype),
			      "is_tuopin", dd_json_tri(h->is_tuopin), "risk_types", dd_json_text(h->risk_types),
			      "recognized_on", dd_json_date(h->recognized_on), "exited_on", dd_json_date(h->exited_on),
			      "survey_summary", dd_json_text(h->survey_summary), "finances", finances(h),
			      "members", members, "obligors", obligors,
			      /* the assistance chain (DOMAIN.md §5) comes with warning handling */
			      "chain", json_array());
	return http_reply(req, 200, o);
}

/* POST /api/v1/persons/{household_no}/{index}/reveal: one member's full ID, audited first. */
dd_rc api_reveal(dd_http_req *req)
{
	const dd_registry_rec *r = req->rec;
	char *end, key[96];
	unsigned long i = strtoul(req->params[1], &end, 10);
	dd_err err = { 0 };

	if (*end || req->params[1][0] < '0' || req->params[1][0] > '9' || i >= r->nmembers)
		return http_fail(req, 404, "NOT_FOUND", "没有这个成员");
	snprintf(key, sizeof key, "%s/%lu", r->h.household_no, i);
	char *after = dd_arena_printf(&req->mem, "{\"field\":\"id_number\",\"role\":\"%s\",\"client\":\"%s\"}",
				      dd_role_code(req->who.role), req->client);
	dd_rc rc = after ? dd_store_audit(req->st, req->session.username, "reveal", "member", key, NULL,
					  after, &err)
			 : DD_ERR_NOMEM;
	if (rc != DD_OK) {
		dd_log_error("查看身份证号的审计记录写入失败：%s", err.msg);
		return rc;
	}
	return http_reply(req, 200, json_pack("{s:s, s:I, s:o, s:s}", "household_no", r->h.household_no,
					      "index", (json_int_t)i, "name", dd_json_text(r->members[i].name),
					      "id_number", r->members[i].id.text));
}

