/* gen.c - dd_gen_run: the order of the generation steps and the output directories. */
#include "../core/dd.h"
#include "gen_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static dd_rc make_dir(const char *path, dd_err *err)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return DD_OK;
	return dd_err_set(err, DD_ERR_IO, "cannot create %s: %s", path, strerror(errno));
}

/* out_dir (with its parents), out_dir/feeds/<kind> and out_dir/payments. */
static dd_rc make_dirs(const char *out, bool feeds, dd_err *err)
{
	static const char *const sub[] = { "payments", "feeds", "feeds/medical", "feeds/disability", "feeds/death",
					   "feeds/pension", "feeds/unemployment", "feeds/license", "feeds/orphan",
					   "feeds/subsidy", "feeds/incident", "feeds/disaster", "feeds/fp", "feeds/kin" };
	dd_rc rc = DD_OK;
	char path[512];
	snprintf(path, sizeof path, "%s", out);
	for (char *p = path + 1; *p && rc == DD_OK; p++)
		if (*p == '/') {
			*p = '\0';
			rc = make_dir(path, err);
			*p = '/';
		}
	if (rc == DD_OK)
		rc = make_dir(out, err);
	for (size_t i = 0; rc == DD_OK && i < (feeds ? DD_ARRAY_LEN(sub) : 1); i++) {
		snprintf(path, sizeof path, "%s/%s", out, sub[i]);
		rc = make_dir(path, err);
	}
	return rc;
}

static dd_rc setup(gen *g, const dd_gen_opts *o, dd_err *err)
{
	dd_rc rc = DD_OK;
	const dd_standards *st;
	g->o = *o;
	g->err = err;
	if (!g->o.population)
		g->o.population = g->o.households * 30;
	if (o->households < DD_GEN_MIN_HOUSEHOLDS || o->households > 50000000) {
		rc = dd_err_set(err, DD_ERR_USAGE, "--households 须在 %d 到 50000000 之间", DD_GEN_MIN_HOUSEHOLDS);
		goto done;
	}
	if (o->year < DD_DATE_MIN_YEAR + 121 || o->year > DD_DATE_MAX_YEAR - 1) {
		rc = dd_err_set(err, DD_ERR_USAGE, "--year %d 超出范围", o->year);
		goto done;
	}
	if ((rc = dd_policy_default(&g->pol, err)) != DD_OK)
		goto done;
	if (!(st = dd_policy_standards(&g->pol, o->year))) {
		rc = dd_err_set(err, DD_ERR_USAGE, "政策参数中没有 %d 年或更早年份的标准", o->year);
		goto done;
	}
	g->s_urban = st->dibao_urban_month;
	g->s_rural = st->dibao_rural_month;
	g->disp_urban = st->disposable_income_urban;
	g->disp_rural = st->disposable_income_rural;
	g->fin_limit = st->fin_assets_limit;
	g->emp_cost = g->pol.employment_cost_month;
	g->tk_age = g->pol.tk_age;
	g->tk_minor_age = g->pol.tk_minor_age;
	g->recheck_stable = g->pol.recheck_months_stable;
	g->recheck_other = g->pol.recheck_months_other;
	g->edge = g->pol.edge_percent;
	g->rigid = g->pol.rigid_percent;
	g->ref = dd_date_from_ymd(o->year, 12, 1);
	g->year_first = dd_date_from_ymd(o->year, 1, 1);
	g->year_last = dd_date_from_ymd(o->year, 12, 31);
	/* Birth days from 120 years back to the end of the year. */
	g->seq_base = dd_date_from_ymd(o->year - 120, 1, 1);
	g->seq_days = (size_t)(g->year_last - g->seq_base + 1);
	g->seq = calloc(g->seq_days * 2, sizeof *g->seq);
	g->number = malloc(o->households * sizeof *g->number);
	g->order = malloc(o->households * sizeof *g->order);
	if (!g->seq || !g->number || !g->order) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "out of memory");
		goto done;
	}
	dd_gen_rng_seed(&g->rng, o->seed);
	/* Household numbers are shuffled so that planted households hide among the others. */
	for (uint64_t i = 0; i < o->households; i++)
		g->number[i] = (uint32_t)(i + 1);
	for (uint64_t i = o->households - 1; i > 0; i--) {
		uint64_t j = dd_gen_rng_below(&g->rng, i + 1);
		uint32_t t = g->number[i];
		g->number[i] = g->number[j];
		g->number[j] = t;
	}
	for (uint64_t i = 0; i < o->households; i++)
		g->order[g->number[i] - 1] = (uint32_t)i;
done:
	return rc;
}

static void gen_free(gen *g)
{
	free(g->villages.v);
	free(g->hh.v);
	free(g->members.v);
	free(g->persons.v);
	free(g->obligors.v);
	free(g->prows.v);
	free(g->cases.v);
	free(g->funds.v);
	free(g->plant_pop.v);
	free(g->number);
	free(g->order);
	free(g->pop);
	free(g->seq);
}

dd_rc dd_gen_run(const dd_gen_opts *opts, dd_gen_report_fn report, void *arg, dd_err *err)
{
	dd_rc rc;
	gen g;
	memset(&g, 0, sizeof g);
	if ((rc = setup(&g, opts, err)) != DD_OK)
		goto done;
	if ((rc = gen_regions(&g)) != DD_OK)
		goto done;
	/* Plants first: their exact birth dates must find free sequence numbers. */
	if ((rc = gen_plants(&g)) != DD_OK || (rc = gen_registry(&g)) != DD_OK)
		goto done;
	if ((rc = make_dirs(opts->out_dir, !opts->no_feeds, err)) != DD_OK)
		goto done;
	if ((rc = gen_write_registry(&g, report, arg)) != DD_OK)
		goto done;
	if (!opts->no_feeds) {
		if ((rc = gen_population(&g)) != DD_OK || (rc = gen_write_feeds(&g, report, arg)) != DD_OK)
			goto done;
	}
	if ((rc = gen_write_payments(&g, report, arg)) != DD_OK)
		goto done;
	rc = gen_write_plants(&g, report, arg);
done:
	gen_free(&g);
	return rc;
}
