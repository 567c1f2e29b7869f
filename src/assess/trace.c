/* trace.c - an assessment as the decision JSON of FORMATS.md §5 ("assess input and output"). */
#include "../core/dd.h"
#include "assess.h"

#include <jansson.h>
#include <stdlib.h>

/* Adds v under key k; jansson takes v even on failure, so nothing leaks. */
static bool put(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v) == 0;
}

static json_t *money(dd_fen v)
{
	char b[32];
	dd_money_format(v, b);
	return json_string(b);
}

static json_t *money_x100(int64_t v)
{
	char b[40];
	dd_assess_format_x100(v, b);
	return json_string(b);
}

static bool figures(json_t *o, const dd_assess_figures *f)
{
	const struct {
		const char *key;
		json_t *v;
	} rows[] = {
		/* FORMATS.md's six first, in its order */
		{ "G", money(f->G) }, { "N", money(f->N) }, { "E", money(f->E) }, { "A", money(f->A) },
		{ "n", json_integer(f->n) }, { "S", money(f->S) },
		{ "m", json_integer(f->m) },
		{ "standards_year", json_integer(f->year) },
		{ "db_line", money(f->db_line) },
		{ "by_line", money_x100(f->by_line_x100) },
		{ "disposable_income", money(f->disposable_income) },
		{ "gz_line", money(f->gz_line) },
		{ "rigid", money(f->rigid) },
		{ "rigid_line", money_x100(f->rigid_line_x100) },
		{ "fin_assets", money(f->fin_assets) },
		{ "fin_assets_limit", money(f->fin_assets_limit) },
		{ "fin_assets_db_limit", money(f->fin_db_limit) },
		{ "fin_assets_by_limit", money_x100(f->fin_by_limit_x100) },
		{ "vehicle_value", money(f->vehicle_value) },
		{ "vehicle_limit", money(f->vehicle_limit) },
		{ "vehicle_by_limit", money_x100(f->vehicle_by_limit_x100) },
		{ "employment_cap", money(f->employment_cap) },
		{ "tk_income_line", money(f->tk_income_line) },
		{ "obligor_line", money(f->obligor_line) },
		{ "fp_line", money(f->fp_line) },
		{ "fp_total", money(f->fp_total) },
	};
	bool ok = true;
	/* every row is put (or freed) even after a failure */
	for (size_t i = 0; i < DD_ARRAY_LEN(rows); i++)
		ok = put(o, rows[i].key, rows[i].v) && ok;
	return ok;
}

/* The ID numbers of the single-person DB members (single) or of the TK members. */
static bool ids(json_t *arr, const dd_assessment *a, const dd_member *m, size_t nm, bool single)
{
	bool ok = true;
	for (size_t i = 0; i < nm && i < a->nmembers && ok; i++)
		if (single ? a->members[i].single_db : a->members[i].tk == DD_TK_YES)
			ok = json_array_append_new(arr, json_string(m[i].id.text)) == 0;
	return ok;
}

dd_rc dd_assess_json(const dd_assessment *a, const dd_household *h, const dd_member *m, size_t nm,
		     dd_date at, dd_buf *out, dd_err *err)
{
	dd_rc rc = DD_ERR_NOMEM;
	json_t *root = json_object(), *tk = json_array(), *single = json_array(), *fig = json_object();
	json_t *trace = json_array();
	char date[11], *text = NULL;
	bool ok;

	dd_date_format(at, date);
	/* the containers are handed to root first, so root frees them whatever happens */
	ok = root && put(root, "household_no", h->household_no ? json_string(h->household_no) : json_null());
	ok = ok && put(root, "category", json_string(dd_assess_code(a->category)));
	ok = ok && put(root, "tekun", json_incref(tk)) && ids(tk, a, m, nm, false);
	ok = ok && put(root, "single_person_db", json_incref(single)) && ids(single, a, m, nm, true);
	ok = ok && put(root, "fp_candidate", json_boolean(a->fp_candidate));
	ok = ok && put(root, "figures", json_incref(fig)) && figures(fig, &a->f);
	ok = ok && put(root, "trace", json_incref(trace));
	for (size_t i = 0; ok && i < DD_ARRAY_LEN(a->trace); i++) {
		json_t *step = json_object();
		ok = json_array_append_new(trace, step) == 0 &&
		     put(step, "category", json_string(dd_assess_code(a->trace[i].category))) &&
		     put(step, "passed", json_boolean(a->trace[i].passed)) &&
		     put(step, "why", json_string(a->trace[i].why));
	}
	ok = ok && put(root, "fp_why", json_string(a->fp_why));
	ok = ok && put(root, "date", json_string(date));
	if (ok && (text = json_dumps(root, JSON_COMPACT)) != NULL)
		rc = dd_buf_puts(out, text);
	if (rc != DD_OK)
		dd_err_set(err, rc, "内存不足");
	free(text);
	json_decref(tk);
	json_decref(single);
	json_decref(fig);
	json_decref(trace);
	json_decref(root);
	return rc;
}
