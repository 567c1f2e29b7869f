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

/*
 * The household page is written straight as JSON text: building and freeing
 * a jansson tree of its ≈ 150 values (a malloc and a free each) was a third
 * of the page's time (bench/RESULTS.md "http").  The text is exactly what
 * json_dumps(…, JSON_COMPACT) gives for the tree the dd_json_* helpers
 * (core/json.h) would build; fuzz_http checks every answer for that.
 */
typedef struct jw {
	dd_buf b;
	bool ok;                       /* false after a failed append or text that is not UTF-8 */
} jw;

/* Appends n bytes: a copy while the buffer has room (it is sized for a page once), else dd_buf. */
static void put(jw *w, const char *s, size_t n)
{
	if (w->ok && w->b.len + n < w->b.cap) {
		memcpy(w->b.data + w->b.len, s, n);
		w->b.len += n;
		w->b.data[w->b.len] = '\0';
	} else {
		w->ok = w->ok && dd_buf_append(&w->b, s, n) == DD_OK;
	}
}

/* The comma before a value or key, unless it opens its object or array or follows its key. */
static void sep(jw *w)
{
	char last = w->b.len ? w->b.data[w->b.len - 1] : '{';
	if (last != '{' && last != '[' && last != ':')
		put(w, ",", 1);
}

/* A literal: null, true, false, a number, or `{` `[` opening a value. */
static void lit(jw *w, const char *t)
{
	sep(w);
	put(w, t, strlen(t));
}

static void put_close(jw *w, char c)
{
	put(w, &c, 1);
}

/* A string; text that is not UTF-8 fails the page, as json_string would (500). */
static void str(jw *w, const char *s)
{
	size_t n = strlen(s), i = 0;

	w->ok = w->ok && dd_text_is_utf8(s, n, false);
	sep(w);
	while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	if (i < n) {   /* something to escape */
		w->ok = w->ok && http_json_string(&w->b, s, n);
		return;
	}
	put(w, "\"", 1);
	put(w, s, n);
	put(w, "\"", 1);
}

/* "name": (the page's own ASCII names, nothing to escape) */
static void key(jw *w, const char *name)
{
	sep(w);
	put(w, "\"", 1);
	put(w, name, strlen(name));
	put(w, "\":", 2);
}

/* The dd_json_* values of core/json.h, as text. */
static void text(jw *w, const char *s)
{
	if (s && *s)
		str(w, s);
	else
		lit(w, "null");
}

static void yuan(jw *w, dd_fen v, bool opt)
{
	char b[32];
	if (opt && v < 0) {
		lit(w, "null");
		return;
	}
	dd_money_format(v, b);
	str(w, b);
}

static void date(jw *w, dd_date d)
{
	char b[11];
	if (d == DD_DATE_NONE) {
		lit(w, "null");
		return;
	}
	dd_date_format(d, b);
	str(w, b);
}

static void id_masked(jw *w, const char *id)
{
	char m[19];
	if (!id || !*id) {
		lit(w, "null");
		return;
	}
	dd_id_mask(id, m);
	str(w, m);
}

static void phone_masked(jw *w, const char *p)
{
	char m[64];
	if (!p || !*p) {
		lit(w, "null");
		return;
	}
	if (strlen(p) >= sizeof m) {
		str(w, "****");
		return;
	}
	dd_phone_mask(p, m);
	str(w, m);
}

static void integer(jw *w, long long v)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", v);
	lit(w, b);
}

static void categories(jw *w, unsigned bits)
{
	lit(w, "[");
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
		if (bits & dd_categories[i].bit)
			str(w, dd_categories[i].code);
	put_close(w, ']');
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
	lit(w, "{");
	for (size_t i = 0; i < DD_ARRAY_LEN(f); i++) {
		key(w, f[i].key);
		yuan(w, *(const dd_fen *)((const char *)h + f[i].off), false);
	}
	put_close(w, '}');
}

static void member(jw *w, const dd_member *m, size_t index)
{
	lit(w, "{");
	key(w, "index");
	integer(w, (long long)index);
	key(w, "name");
	text(w, m->name);
	key(w, "relation");
	text(w, m->relation);
	key(w, "gender");
	text(w, m->gender);
	key(w, "id_number");
	id_masked(w, m->id.text);
	key(w, "id_valid");
	lit(w, m->id_bad_check ? "false" : "true");
	key(w, "phone");
	phone_masked(w, m->phone);
	key(w, "health");
	text(w, m->health);
	key(w, "labor");
	text(w, m->labor);
	key(w, "disability_type");
	text(w, m->disability_type);
	key(w, "disability_grade");
	integer(w, m->disability_grade);
	key(w, "wage_income");
	yuan(w, m->wage_income, true);
	put_close(w, '}');
}

static void obligor(jw *w, const dd_obligor *o)
{
	lit(w, "{");
	key(w, "name");
	text(w, o->name);
	key(w, "relation");
	text(w, o->relation);
	key(w, "id_number");
	id_masked(w, o->id_number);
	key(w, "phone");
	phone_masked(w, o->phone);
	key(w, "monthly_income");
	yuan(w, o->monthly_income, true);
	put_close(w, '}');
}

dd_rc api_household_get(dd_http_req *req)
{
	const dd_registry_rec *r = req->rec;
	const dd_household *h = &r->h;
	char name[256];
	jw w = { .ok = true };

	dd_buf_init(&w.b, 0);
	/* a page is 1–3 KiB: one allocation, not a doubling from 64 bytes */
	if ((w.b.data = malloc(4096)))
		w.b.cap = 4096;
	dd_region_fullname(h->region_code, strlen(h->region_code), name, sizeof name);
	lit(&w, "{");
	key(&w, "household_no");
	str(&w, h->household_no);
	key(&w, "region_code");
	str(&w, h->region_code);
	key(&w, "region_name");
	str(&w, name);
	key(&w, "address");
	text(&w, h->address);
	key(&w, "hukou_type");
	text(&w, h->hukou == DD_HUKOU_RURAL ? "农业" : h->hukou == DD_HUKOU_URBAN ? "非农业" : NULL);
	key(&w, "head_id");
	id_masked(&w, h->head_id);
	key(&w, "phone");
	phone_masked(&w, h->phone);
	key(&w, "categories");
	categories(&w, h->categories);
	key(&w, "fp_subtype");
	text(&w, h->fp_subtype);
	key(&w, "is_tuopin");
	lit(&w, h->is_tuopin < 0 ? "null" : h->is_tuopin ? "true" : "false");
	key(&w, "risk_types");
	text(&w, h->risk_types);
	key(&w, "recognized_on");
	date(&w, h->recognized_on);
	key(&w, "exited_on");
	date(&w, h->exited_on);
	key(&w, "survey_summary");
	text(&w, h->survey_summary);
	key(&w, "finances");
	finances(&w, h);
	key(&w, "members");
	lit(&w, "[");
	for (size_t i = 0; i < r->nmembers; i++)
		member(&w, &r->members[i], i);
	put_close(&w, ']');
	key(&w, "obligors");
	lit(&w, "[");
	for (size_t i = 0; i < r->nobligors; i++)
		obligor(&w, &r->obligors[i]);
	put_close(&w, ']');
	/* the assistance chain (DOMAIN.md §5) comes with warning handling */
	key(&w, "chain");
	lit(&w, "[]");
	put_close(&w, '}');
	dd_rc rc = w.ok ? http_reply_text(req, 200, &w.b) : DD_ERR_NOMEM;
	dd_buf_release(&w.b);
	return rc;
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

