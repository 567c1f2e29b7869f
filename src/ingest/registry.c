/*
 * registry.c - `doudi import registry`: households, members, obligors.
 *
 * Three reads, then one write:
 *   1. households.csv and members.csv into memory at once, on two threads,
 *      each row checked on its own (households keyed by household_no);
 *   2. each member tied to its household (in this file or already in the
 *      database);
 *   3. a household whose head is not among its members is rejected with all
 *      its members; obligors.csv is read and checked;
 *   4. if anything is left to write (and --strict found nothing), one
 *      transaction puts every accepted record and marks members who are no
 *      longer listed as having left.
 * A household with a rejected member row loses nobody in this import: the
 * file does not say reliably who is still listed.
 * Holding the accepted rows costs memory (about 400 bytes a member), but it is
 * what lets a household be refused for a reason found in another file without
 * undoing writes.
 */
#include "../core/dd.h"
#include "../core/map.h"
#include "../core/region.h"
#include "../core/text.h"
#include "ingest.h"
#include "ingest_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hh_entry {
	dd_household h;
	uint64_t hash;
	long line;
	int64_t id;           /* row id once written */
	bool rejected;
	bool head_seen;
	bool member_rejected;   /* a member row of it was rejected: nobody leaves it this time */
} hh_entry;

typedef struct mb_entry {
	dd_member m;
	uint64_t hash;
	long line;
	int64_t hh;           /* index into the households array, or -1 */
	int64_t db_hh_id;     /* household already in the database (hh == -1) */
	bool rejected;
} mb_entry;

typedef struct ob_entry {
	dd_obligor o;
	uint64_t hash;
	int64_t hh;
	int64_t db_hh_id;
} ob_entry;

/* A growable array of fixed-size entries. */
typedef struct vec {
	void *items;
	size_t len, cap, size;
} vec;

static void *vec_push(vec *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		void *p = realloc(v->items, cap * v->size);
		if (!p)
			return NULL;
		v->items = p;
		v->cap = cap;
	}
	void *e = (char *)v->items + v->len++ * v->size;
	memset(e, 0, v->size);
	return e;
}

/*
 * What the members thread owns: its table, error file (through the table),
 * arena and results.  Nothing here touches the store or the households, so
 * the two files are parsed at once on two cores; resolve_members joins them.
 */
typedef struct mb_parse {
	dd_table *t;
	dd_arena mem;
	vec mb;
	dd_umap seen;         /* mix(household_no, ID key) -> entry index + 1 */
	vec rejected_no;      /* household_no of rejected rows (const char *) */
	int64_t rejected;
	dd_err err;
	dd_rc rc;
	atomic_bool stop;     /* the households side failed: stop early */
	const dd_registry_files *in;   /* for its progress callback */
} mb_parse;

typedef struct import_ctx {
	dd_store *st;
	const dd_registry_files *in;
	dd_registry_result *res;
	dd_err *err;
	dd_arena mem;         /* strings of accepted rows, for the whole import */
	vec hh, ob;
	mb_parse mp;          /* members: parsed on the second thread, then resolved */
	dd_smap hh_by_no;     /* household_no -> index in hh */
	dd_errfile *ef[3];
} import_ctx;

/* ---- conversions from typed cells ---- */

static const char *str(dd_arena *a, const dd_value *v)
{
	return v->present ? dd_arena_strndup(a, v->text, v->len) : NULL;
}

static dd_fen money0(const dd_value *v)
{
	return v->present ? v->v.fen : 0;
}

static dd_fen money_or_none(const dd_value *v)
{
	return v->present ? v->v.fen : -1;
}

static int tri(const dd_value *v)
{
	return v->present ? (v->v.b ? 1 : 0) : -1;
}

static dd_date date_or_none(const dd_value *v)
{
	return v->present ? v->v.date : DD_DATE_NONE;
}

/*
 * Fingerprint of a row's content: the canonical value of every present cell,
 * so "12.5" and "12.50" or "是" and "1" hash alike and a re-import of the
 * same facts changes nothing.  Mixed in place, no buffer: it runs per row.
 */
static uint64_t fingerprint(const dd_schema *s, const dd_row *row)
{
	uint64_t h = 0;
	for (size_t i = 0; i < s->ncols; i++) {
		const dd_value *v = &row->values[i];
		uint64_t x;
		if (!v->present)
			continue;
		switch (s->cols[i].type) {
		case DD_T_MONEY:
			x = (uint64_t)v->v.fen;
			break;
		case DD_T_DATE:
			x = (uint64_t)(uint32_t)v->v.date;
			break;
		case DD_T_BOOL:
			x = v->v.b;
			break;
		case DD_T_INT:
			x = (uint64_t)v->v.i;
			break;
		case DD_T_ID:
			x = dd_hash_bytes(v->id.text, 18);
			break;
		default:
			x = dd_hash_bytes(v->text, v->len);
			break;
		}
		h = dd_hash_u64(h ^ dd_hash_u64(x + i));
	}
	return h;
}

/* ---- pass 1: households ---- */

static bool check_region(import_ctx *c, dd_table *t, dd_row *row, const dd_value *v)
{
	dd_region r;
	if ((v->len != 9 && v->len != 12) || dd_region_lookup(v->text, v->len, &r) != DD_OK) {
		dd_table_row_error(t, row, HH_REGION_CODE, "行政区划代码无效（应为9位乡镇或12位村居代码）");
		return false;
	}
	if (c->in->county_code && strncmp(v->text, c->in->county_code, 6)) {
		dd_table_row_error(t, row, HH_REGION_CODE, "行政区划不在本县（区）范围内");
		return false;
	}
	return true;
}

static bool parse_categories(dd_table *t, dd_row *row, const dd_value *v, unsigned *bits)
{
	*bits = 0;
	if (!v->present)
		return true;
	const char *p = v->text, *end = v->text + v->len;
	while (p < end) {
		const char *q = memchr(p, ';', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		unsigned bit = dd_category_parse(p, n);
		if (!bit) {
			dd_table_row_error(t, row, HH_CATEGORIES, "未知的低收入人口类别（应为 TK DB BY GZ QT 或其中文名称）");
			return false;
		}
		*bits |= bit;
		p += n + 1;
	}
	return true;
}

static dd_rc read_households(import_ctx *c, dd_table *t)
{
	dd_rc rc;
	dd_row *row;
	int64_t n = 0;

	while ((rc = dd_table_next(t, &row, c->err)) == DD_OK) {
		const dd_value *v = row->values;
		unsigned cats = 0;
		if (++n % DD_INGEST_PROGRESS_EVERY == 0 && c->in->progress)
			c->in->progress(c->in->progress_arg, 0, n);
		bool ok = row->nerrors == 0;
		if (ok)
			ok = check_region(c, t, row, &v[HH_REGION_CODE]) &&
			     parse_categories(t, row, &v[HH_CATEGORIES], &cats);
		int64_t prev;
		if (ok && dd_smap_get(&c->hh_by_no, v[HH_HOUSEHOLD_NO].text, v[HH_HOUSEHOLD_NO].len, &prev)) {
			char why[96];
			snprintf(why, sizeof why, "户编号与第%ld行重复", ((hh_entry *)c->hh.items)[prev].line);
			dd_table_row_error(t, row, HH_HOUSEHOLD_NO, why);
			ok = false;
		}
		if (!ok) {
			c->res->rejected++;
			continue;
		}
		hh_entry *e = vec_push(&c->hh);
		if (!e)
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
		dd_household *h = &e->h;
		e->line = row->line;
		e->hash = fingerprint(&dd_schema_households, row);
		h->household_no = str(&c->mem, &v[HH_HOUSEHOLD_NO]);
		h->region_code = str(&c->mem, &v[HH_REGION_CODE]);
		h->address = str(&c->mem, &v[HH_ADDRESS]);
		h->head_id = dd_arena_strdup(&c->mem, v[HH_HEAD_ID].id.text);
		h->hukou = !strcmp(v[HH_HUKOU].text, "农业") ? DD_HUKOU_RURAL : DD_HUKOU_URBAN;
		h->phone = str(&c->mem, &v[HH_PHONE]);
		h->categories = cats;
		h->fp_subtype = str(&c->mem, &v[HH_FP_SUBTYPE]);
		h->is_tuopin = tri(&v[HH_IS_TUOPIN]);
		h->whole_no_labor = tri(&v[HH_WHOLE_NO_LABOR]);
		h->risk_types = str(&c->mem, &v[HH_RISK_TYPES]);
		h->wage_income = money0(&v[HH_WAGE]);
		h->business_income = money0(&v[HH_BUSINESS]);
		h->property_income = money0(&v[HH_PROPERTY]);
		h->transfer_income = money0(&v[HH_TRANSFER]);
		h->insurance_payout = money0(&v[HH_INSURANCE]);
		h->business_expense = money0(&v[HH_BUSINESS_EXPENSE]);
		h->medical_self_paid = money0(&v[HH_MEDICAL]);
		h->education_expense = money0(&v[HH_EDUCATION]);
		h->rehab_expense = money0(&v[HH_REHAB]);
		h->fin_assets = money0(&v[HH_FIN_ASSETS]);
		h->vehicle_value = money0(&v[HH_VEHICLE]);
		h->housing_unsafe = tri(&v[HH_HOUSING_UNSAFE]);
		h->dropout = tri(&v[HH_DROPOUT]);
		h->water_unsafe = tri(&v[HH_WATER_UNSAFE]);
		h->uninsured = tri(&v[HH_UNINSURED]);
		h->recognized_on = date_or_none(&v[HH_RECOGNIZED_ON]);
		h->exited_on = date_or_none(&v[HH_EXITED_ON]);
		h->survey_summary = str(&c->mem, &v[HH_SURVEY]);
		if (!h->household_no || !h->region_code || !h->head_id)
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
		if (dd_smap_put(&c->hh_by_no, h->household_no, strlen(h->household_no),
				(int64_t)(c->hh.len - 1), NULL) != DD_OK)
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	}
	return rc == DD_DONE ? DD_OK : rc;
}

/*
 * Finds the household of a member or obligor row: in this import (index
 * into hh; a rejected one refuses the row), else in the database.
 * Returns false (row error recorded) when it is neither.
 */
static dd_rc find_household(import_ctx *c, dd_table *t, dd_row *row, int col,
			    int64_t *hh, int64_t *db_id, bool *ok)
{
	const dd_value *no = &row->values[col];
	*hh = -1;
	*db_id = 0;
	*ok = false;
	if (dd_smap_get(&c->hh_by_no, no->text, no->len, hh)) {
		*ok = true;
		return DD_OK;
	}
	char *key = dd_arena_strndup(&c->mem, no->text, no->len);
	if (!key)
		return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	dd_rc rc = dd_store_household_id(c->st, key, db_id, c->err);
	if (rc == DD_OK) {
		*ok = true;
	} else if (rc == DD_ERR_NOTFOUND) {
		dd_table_row_error(t, row, col, "户编号不存在（不在本次户信息文件中，也不在数据库中），或该户已被拒绝");
		rc = DD_OK;
	}
	return rc;
}

/* ---- pass 2: members, parsed on a second thread while households are read ---- */

/*
 * The same person twice in one household of this file.  Keyed by a 64-bit
 * mix of household number and ID; a hit is confirmed against the stored
 * member, and a true collision of two different pairs (odds about n²/2⁶⁴)
 * only skips the check for the second of them.
 */
static dd_rc check_duplicate(mb_parse *p, dd_row *row, bool *ok)
{
	const dd_value *no = &row->values[MB_HOUSEHOLD_NO];
	const dd_id *id = &row->values[MB_ID].id;
	uint64_t key = dd_hash_u64(id->key) ^ dd_hash_bytes(no->text, no->len);
	uint64_t *slot = dd_umap_slot(&p->seen, key);
	if (!slot)
		return dd_err_set(&p->err, DD_ERR_NOMEM, "内存不足");
	if (*slot) {
		const mb_entry *prev = &((mb_entry *)p->mb.items)[*slot - 1];
		if (!strcmp(prev->m.id.text, id->text) && strlen(prev->m.household_no) == no->len &&
		    !memcmp(prev->m.household_no, no->text, no->len)) {
			char why[96];
			snprintf(why, sizeof why, "同一户中证件号码与第%ld行重复", prev->line);
			dd_table_row_error(p->t, row, MB_ID, why);
			*ok = false;
		}
		return DD_OK;
	}
	*slot = p->mb.len + 1;   /* the index this row gets if accepted */
	return DD_OK;
}

static dd_rc parse_member_row(mb_parse *p, dd_row *row)
{
	const dd_value *v = row->values;
	dd_arena *a = &p->mem;
	bool ok = row->nerrors == 0;
	dd_rc rc;

	if (ok && (rc = check_duplicate(p, row, &ok)) != DD_OK)
		return rc;
	if (!ok) {
		const char **no = vec_push(&p->rejected_no);
		if (!no || !(*no = dd_arena_strndup(a, v[MB_HOUSEHOLD_NO].text, v[MB_HOUSEHOLD_NO].len)))
			return dd_err_set(&p->err, DD_ERR_NOMEM, "内存不足");
		p->rejected++;
		return DD_OK;
	}
	mb_entry *e = vec_push(&p->mb);
	if (!e)
		return dd_err_set(&p->err, DD_ERR_NOMEM, "内存不足");
	dd_member *m = &e->m;
	e->line = row->line;
	e->hh = -1;
	e->hash = fingerprint(&dd_schema_members, row);
	m->household_no = str(a, &v[MB_HOUSEHOLD_NO]);
	m->name = str(a, &v[MB_NAME]);
	m->id = v[MB_ID].id;
	m->id_bad_check = v[MB_ID].id_bad_check;
	m->relation = str(a, &v[MB_RELATION]);
	m->gender = v[MB_GENDER].present ? str(a, &v[MB_GENDER]) : (m->id.sex == 'M' ? "男" : "女");
	m->id_type = v[MB_ID_TYPE].present ? str(a, &v[MB_ID_TYPE]) : "居民身份证";
	m->ethnicity = str(a, &v[MB_ETHNICITY]);
	m->political = str(a, &v[MB_POLITICAL]);
	m->education = str(a, &v[MB_EDUCATION]);
	m->student_status = str(a, &v[MB_STUDENT]);
	m->health = str(a, &v[MB_HEALTH]);
	m->labor = str(a, &v[MB_LABOR]);
	m->wage_income = money_or_none(&v[MB_WAGE]);
	m->disability_type = str(a, &v[MB_DIS_TYPE]);
	m->disability_grade = v[MB_DIS_GRADE].present ? (int)v[MB_DIS_GRADE].v.i : 0;
	m->ins_resident_medical = tri(&v[MB_INS_RES_MED]);
	m->ins_employee_medical = tri(&v[MB_INS_EMP_MED]);
	m->ins_critical_illness = tri(&v[MB_INS_CRIT]);
	m->ins_resident_pension = tri(&v[MB_INS_RES_PEN]);
	m->ins_employee_pension = tri(&v[MB_INS_EMP_PEN]);
	m->is_tekun = tri(&v[MB_IS_TEKUN]);
	m->is_dibao = tri(&v[MB_IS_DIBAO]);
	m->orphan_guarantee = tri(&v[MB_ORPHAN]);
	m->work_province = str(a, &v[MB_WORK_PROVINCE]);
	m->work_city = str(a, &v[MB_WORK_CITY]);
	m->work_county = str(a, &v[MB_WORK_COUNTY]);
	m->work_township = str(a, &v[MB_WORK_TOWNSHIP]);
	m->work_months = v[MB_WORK_MONTHS].present ? (int)v[MB_WORK_MONTHS].v.i : -1;
	m->phone = str(a, &v[MB_PHONE]);
	if (!m->household_no || !m->name || !m->relation)
		return dd_err_set(&p->err, DD_ERR_NOMEM, "内存不足");
	return DD_OK;
}

static void *parse_members(void *arg)
{
	mb_parse *p = arg;
	dd_row *row;
	int64_t n = 0;
	dd_rc rc = DD_OK;

	while (!atomic_load(&p->stop) && (rc = dd_table_next(p->t, &row, &p->err)) == DD_OK) {
		if (++n % DD_INGEST_PROGRESS_EVERY == 0 && p->in->progress)
			p->in->progress(p->in->progress_arg, 1, n);
		if ((rc = parse_member_row(p, row)) != DD_OK)
			break;
	}
	p->rc = rc == DD_DONE ? DD_OK : rc;
	return NULL;
}

/*
 * Ties each parsed member to its household (in this import, else in the
 * database) and notes the heads seen; a member of neither is rejected.
 */
static dd_rc resolve_members(import_ctx *c, mb_parse *p)
{
	hh_entry *hh = c->hh.items;
	mb_entry *mb = p->mb.items;
	const char **rej = p->rejected_no.items;
	int64_t idx;
	dd_rc rc = DD_OK;

	c->res->rejected += p->rejected;
	for (size_t i = 0; i < p->rejected_no.len; i++)
		if (dd_smap_get(&c->hh_by_no, rej[i], strlen(rej[i]), &idx))
			hh[idx].member_rejected = true;
	for (size_t i = 0; i < p->mb.len && rc == DD_OK; i++) {
		mb_entry *e = &mb[i];
		if (dd_smap_get(&c->hh_by_no, e->m.household_no, strlen(e->m.household_no), &e->hh)) {
			if (!strcmp(hh[e->hh].h.head_id, e->m.id.text))
				hh[e->hh].head_seen = true;
			continue;
		}
		e->hh = -1;
		rc = dd_store_household_id(c->st, e->m.household_no, &e->db_hh_id, c->err);
		if (rc != DD_ERR_NOTFOUND)
			continue;
		e->rejected = true;
		c->res->rejected++;
		rc = dd_errfile_add(c->ef[1], e->line, "household_no", e->m.household_no,
				    strlen(e->m.household_no),
				    "户编号不存在（不在本次户信息文件中，也不在数据库中），或该户已被拒绝");
		if (rc != DD_OK)
			rc = dd_err_set(c->err, DD_ERR_IO, "无法写入错误文件");
	}
	return rc;
}

/* ---- pass 3: every household's head must be one of its members ---- */

static dd_rc check_heads(import_ctx *c)
{
	hh_entry *hh = c->hh.items;
	mb_entry *mb = c->mp.mb.items;
	dd_rc rc = DD_OK;

	for (size_t i = 0; i < c->hh.len; i++) {
		if (hh[i].head_seen)
			continue;
		/* the head may be a member already stored for this household */
		int64_t id;
		bool yes = false;
		rc = dd_store_household_id(c->st, hh[i].h.household_no, &id, c->err);
		if (rc == DD_OK)
			rc = dd_store_household_has_member(c->st, id, hh[i].h.head_id, &yes, c->err);
		if (rc != DD_OK && rc != DD_ERR_NOTFOUND)
			return rc;
		rc = DD_OK;
		if (yes)
			continue;
		hh[i].rejected = true;
		c->res->rejected++;
		if (dd_errfile_add(c->ef[0], hh[i].line, "head_id", hh[i].h.head_id, strlen(hh[i].h.head_id),
				   "户主身份证号不是本户成员（成员文件中没有此人）") != DD_OK)
			return dd_err_set(c->err, DD_ERR_IO, "无法写入错误文件");
	}
	for (size_t i = 0; i < c->mp.mb.len; i++) {
		if (mb[i].rejected || mb[i].hh < 0 || !hh[mb[i].hh].rejected)
			continue;
		mb[i].rejected = true;
		c->res->rejected++;
		if (dd_errfile_add(c->ef[1], mb[i].line, "household_no", mb[i].m.household_no,
				   strlen(mb[i].m.household_no), "所属家庭的户信息被拒绝，成员一并拒绝") != DD_OK)
			return dd_err_set(c->err, DD_ERR_IO, "无法写入错误文件");
	}
	return rc;
}

static dd_rc read_obligors(import_ctx *c, dd_table *t)
{
	dd_rc rc;
	dd_row *row;
	hh_entry *hh;
	int64_t n = 0;

	while ((rc = dd_table_next(t, &row, c->err)) == DD_OK) {
		const dd_value *v = row->values;
		int64_t idx = -1, db_id = 0;
		bool ok = row->nerrors == 0;
		if (++n % DD_INGEST_PROGRESS_EVERY == 0 && c->in->progress)
			c->in->progress(c->in->progress_arg, 2, n);
		if (ok && (rc = find_household(c, t, row, OB_HOUSEHOLD_NO, &idx, &db_id, &ok)) != DD_OK)
			return rc;
		hh = c->hh.items;
		if (ok && idx >= 0 && hh[idx].rejected) {
			dd_table_row_error(t, row, OB_HOUSEHOLD_NO, "所属家庭的户信息被拒绝");
			ok = false;
		}
		if (!ok) {
			c->res->rejected++;
			continue;
		}
		ob_entry *e = vec_push(&c->ob);
		if (!e)
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
		e->hh = idx;
		e->db_hh_id = db_id;
		e->hash = fingerprint(&dd_schema_obligors, row);
		e->o.household_no = str(&c->mem, &v[OB_HOUSEHOLD_NO]);
		e->o.name = str(&c->mem, &v[OB_NAME]);
		e->o.relation = str(&c->mem, &v[OB_RELATION]);
		e->o.marital = str(&c->mem, &v[OB_MARITAL]);
		e->o.health = str(&c->mem, &v[OB_HEALTH]);
		e->o.occupation = str(&c->mem, &v[OB_OCCUPATION]);
		e->o.monthly_income = money_or_none(&v[OB_MONTHLY_INCOME]);
		e->o.id_number = v[OB_ID].present ? dd_arena_strdup(&c->mem, v[OB_ID].id.text) : NULL;
		e->o.phone = str(&c->mem, &v[OB_PHONE]);
		if (!e->o.household_no || !e->o.name)
			return dd_err_set(c->err, DD_ERR_NOMEM, "内存不足");
	}
	return rc == DD_DONE ? DD_OK : rc;
}

/* ---- the write ---- */

static dd_rc write_all(import_ctx *c)
{
	dd_registry_result *r = c->res;
	hh_entry *hh = c->hh.items;
	mb_entry *mb = c->mp.mb.items;
	ob_entry *ob = c->ob.items;
	int64_t import_id;
	dd_put_result put;
	dd_rc rc = dd_store_begin(c->st, c->err);
	if (rc != DD_OK)
		return rc;
	rc = dd_store_import_begin(c->st, c->in->user, "registry", c->in->households, NULL, &import_id, c->err);
	for (size_t i = 0; rc == DD_OK && i < c->hh.len; i++) {
		if (hh[i].rejected)
			continue;
		rc = dd_store_household_put(c->st, import_id, &hh[i].h, hh[i].hash, &hh[i].id, &put, c->err);
		if (rc == DD_OK && hh[i].member_rejected)
			rc = dd_store_household_hold(c->st, hh[i].id, c->err);
		r->households++;
		r->hh_inserted += put == DD_PUT_INSERTED;
		r->hh_updated += put == DD_PUT_UPDATED;
		r->hh_unchanged += put == DD_PUT_UNCHANGED;
	}
	for (size_t i = 0; rc == DD_OK && i < c->mp.mb.len; i++) {
		if (mb[i].rejected)
			continue;
		int64_t hid = mb[i].hh >= 0 ? hh[mb[i].hh].id : mb[i].db_hh_id;
		rc = dd_store_member_put(c->st, import_id, hid, &mb[i].m, mb[i].hash, &put, c->err);
		r->members++;
		r->bad_check_ids += mb[i].m.id_bad_check;
		r->mb_inserted += put == DD_PUT_INSERTED;
		r->mb_updated += put == DD_PUT_UPDATED;
		r->mb_unchanged += put == DD_PUT_UNCHANGED;
	}
	for (size_t i = 0; rc == DD_OK && i < c->ob.len; i++) {
		int64_t hid = ob[i].hh >= 0 ? hh[ob[i].hh].id : ob[i].db_hh_id;
		rc = dd_store_obligor_put(c->st, import_id, hid, &ob[i].o, ob[i].hash, &put, c->err);
		r->obligors++;
	}
	if (rc == DD_OK)
		rc = dd_store_registry_finish(c->st, import_id, dd_date_today(), c->in->obligors != NULL,
					      &r->members_left, c->err);
	if (rc == DD_OK)
		rc = dd_store_import_end(c->st, import_id, r->households + r->members + r->obligors,
					 r->rejected, c->err);
	int64_t t0 = dd_clock_us();
	if (rc == DD_OK)
		rc = dd_store_commit(c->st, c->err);
	dd_log_info("import registry: commit %lld ms", (long long)(dd_clock_us() - t0) / 1000);
	if (rc != DD_OK)
		dd_store_rollback(c->st);
	return rc;
}

dd_rc dd_ingest_registry(dd_store *st, const dd_registry_files *in, dd_registry_result *res,
			 dd_err *err)
{
	import_ctx c = { .st = st, .in = in, .res = res, .err = err };
	const char *paths[3] = { in->households, in->members, in->obligors };
	const dd_schema *schemas[3] = { &dd_schema_households, &dd_schema_members, &dd_schema_obligors };
	dd_table *t[3] = { NULL, NULL, NULL };
	dd_rc rc = DD_OK;

	memset(res, 0, sizeof *res);
	dd_arena_init(&c.mem, 1 << 20);
	dd_smap_init(&c.hh_by_no);
	dd_arena_init(&c.mp.mem, 1 << 20);
	dd_umap_init(&c.mp.seen);
	atomic_init(&c.mp.stop, false);
	c.mp.in = in;
	c.hh.size = sizeof(hh_entry);
	c.mp.mb.size = sizeof(mb_entry);
	c.mp.rejected_no.size = sizeof(const char *);
	c.ob.size = sizeof(ob_entry);

	/* open every file first: a file-level problem anywhere writes nothing */
	for (int i = 0; i < 3 && rc == DD_OK; i++) {
		if (!paths[i])
			continue;
		rc = dd_errfile_open(&c.ef[i], paths[i], err);
		if (rc == DD_OK)
			rc = dd_table_open(&t[i], paths[i], schemas[i], c.ef[i], err);
	}
	int64_t t0 = dd_clock_us(), t1, t2;
	pthread_t members_thread;
	bool threaded = false;
	if (rc == DD_OK) {
		c.mp.t = t[1];
		threaded = pthread_create(&members_thread, NULL, parse_members, &c.mp) == 0;
		if (!threaded)
			parse_members(&c.mp);
		rc = read_households(&c, t[0]);
		atomic_store(&c.mp.stop, rc != DD_OK);
		if (threaded)
			pthread_join(members_thread, NULL);
		if (rc == DD_OK && c.mp.rc != DD_OK)
			rc = dd_err_set(err, c.mp.rc, "%s", c.mp.err.msg);
	}
	if (rc == DD_OK)
		rc = resolve_members(&c, &c.mp);
	if (rc == DD_OK)
		rc = check_heads(&c);
	if (rc == DD_OK && t[2])
		rc = read_obligors(&c, t[2]);
	t1 = dd_clock_us();
	if (rc == DD_OK && in->strict && res->rejected)
		rc = dd_err_set(err, DD_ERR_INPUT, "有 %lld 行数据错误（见错误文件），使用了 --strict，未写入任何数据",
				(long long)res->rejected);
	if (rc == DD_OK)
		rc = write_all(&c);
	t2 = dd_clock_us();
	dd_log_info("import registry: read and check %lld ms, write %lld ms",
		    (long long)(t1 - t0) / 1000, (long long)(t2 - t1) / 1000);

	for (int i = 0; i < 3; i++) {
		dd_table_close(t[i]);
		if (!c.ef[i])
			continue;
		if (dd_errfile_errors(c.ef[i]))
			snprintf(res->errfiles[i], sizeof res->errfiles[i], "%s", dd_errfile_path(c.ef[i]));
		dd_err e2 = { 0 };
		if (dd_errfile_close(c.ef[i], &e2) != DD_OK && rc == DD_OK)
			rc = dd_err_set(err, e2.rc, "%s", e2.msg);
	}
	free(c.hh.items);
	free(c.mp.mb.items);
	free(c.mp.rejected_no.items);
	free(c.ob.items);
	dd_smap_release(&c.hh_by_no);
	dd_umap_release(&c.mp.seen);
	dd_arena_release(&c.mp.mem);
	dd_arena_release(&c.mem);
	return rc;
}
