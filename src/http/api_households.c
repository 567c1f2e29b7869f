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
#include "../core/text.h"
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

static void finances(jw *w, const dd_household *h)
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
	jw_lit(w, "{");
	for (size_t i = 0; i < DD_ARRAY_LEN(f); i++) {
		jw_key(w, f[i].key);
		jw_yuan(w, *(const dd_fen *)((const char *)h + f[i].off), false);
	}
	jw_put_close(w, '}');
}

static void member(jw *w, const dd_member *m, size_t index)
{
	jw_lit(w, "{");
	jw_key(w, "index");
	jw_integer(w, (long long)index);
	jw_key(w, "name");
	jw_text(w, m->name);
	jw_key(w, "relation");
	jw_text(w, m->relation);
	jw_key(w, "gender");
	jw_text(w, m->gender);
	jw_key(w, "id_number");
	jw_id_masked(w, m->id.text);
	jw_key(w, "id_valid");
	jw_lit(w, m->id_bad_check ? "false" : "true");
	jw_key(w, "phone");
	jw_phone_masked(w, m->phone);
	jw_key(w, "health");
	jw_text(w, m->health);
	jw_key(w, "labor");
	jw_text(w, m->labor);
	jw_key(w, "disability_type");
	jw_text(w, m->disability_type);
	jw_key(w, "disability_grade");
	jw_integer(w, m->disability_grade);
	jw_key(w, "wage_income");
	jw_yuan(w, m->wage_income, true);
	jw_put_close(w, '}');
}

static void obligor(jw *w, const dd_obligor *o)
{
	jw_lit(w, "{");
	jw_key(w, "name");
	jw_text(w, o->name);
	jw_key(w, "relation");
	jw_text(w, o->relation);
	jw_key(w, "id_number");
	jw_id_masked(w, o->id_number);
	jw_key(w, "phone");
	jw_phone_masked(w, o->phone);
	jw_key(w, "monthly_income");
	jw_yuan(w, o->monthly_income, true);
	jw_put_close(w, '}');
}

dd_rc api_household_get(dd_http_req *req)
{
	const dd_registry_rec *r = req->rec;
	const dd_household *h = &r->h;
	char name[256];
	jw w;

	jw_init(&w, 4096);   /* a page is 1–3 KiB: one allocation, not a doubling from 64 bytes */
	dd_region_fullname(h->region_code, strlen(h->region_code), name, sizeof name);
	jw_lit(&w, "{");
	jw_key(&w, "household_no");
	jw_str(&w, h->household_no);
	jw_key(&w, "region_code");
	jw_str(&w, h->region_code);
	jw_key(&w, "region_name");
	jw_str(&w, name);
	jw_key(&w, "address");
	jw_text(&w, h->address);
	jw_key(&w, "hukou_type");
	jw_text(&w, h->hukou == DD_HUKOU_RURAL ? "农业" : h->hukou == DD_HUKOU_URBAN ? "非农业" : NULL);
	jw_key(&w, "head_id");
	jw_id_masked(&w, h->head_id);
	jw_key(&w, "phone");
	jw_phone_masked(&w, h->phone);
	jw_key(&w, "categories");
	jw_categories(&w, h->categories);
	jw_key(&w, "fp_subtype");
	jw_text(&w, h->fp_subtype);
	jw_key(&w, "is_tuopin");
	jw_lit(&w, h->is_tuopin < 0 ? "null" : h->is_tuopin ? "true" : "false");
	jw_key(&w, "risk_types");
	jw_text(&w, h->risk_types);
	jw_key(&w, "recognized_on");
	jw_date(&w, h->recognized_on);
	jw_key(&w, "exited_on");
	jw_date(&w, h->exited_on);
	jw_key(&w, "survey_summary");
	jw_text(&w, h->survey_summary);
	jw_key(&w, "finances");
	finances(&w, h);
	jw_key(&w, "members");
	jw_lit(&w, "[");
	for (size_t i = 0; i < r->nmembers; i++)
		member(&w, &r->members[i], i);
	jw_put_close(&w, ']');
	jw_key(&w, "obligors");
	jw_lit(&w, "[");
	for (size_t i = 0; i < r->nobligors; i++)
		obligor(&w, &r->obligors[i]);
	jw_put_close(&w, ']');
	/* the assistance chain (DOMAIN.md §5) comes with warning handling */
	jw_key(&w, "chain");
	jw_lit(&w, "[]");
	jw_put_close(&w, '}');
	return jw_reply(&w, req);
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

