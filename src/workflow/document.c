/*
 * document.c - the documents of an application that need the store
 * (workflow.h dd_flow_decision_pdf): shared by `doudi application decision`
 * and the web's decision.pdf, so both print the same decision.
 */
#include "workflow.h"
#include "../report/report.h"

#include <string.h>

dd_rc dd_flow_decision_pdf(dd_store *st, const dd_policy *p, const dd_application *a,
			   const char *doc_no, dd_buf *pdf, dd_err *err)
{
	dd_flow_household x = { 0 };
	dd_rc rc = DD_OK;

	if (a->assessed_on == DD_DATE_NONE)
		rc = dd_err_set(err, DD_ERR_INPUT, "申请 %s 尚未完成家庭经济状况核对，没有可打印的认定结果", a->app_no);
	/* re-assessed at the economic check's date: the numbers the reviewers read */
	if (rc == DD_OK)
		rc = dd_flow_household_assess(st, p, a->household_id, a->assessed_on, &x, err);
	if (rc == DD_OK) {
		unsigned decided = a->decided_category ? dd_category_parse(a->decided_category, strlen(a->decided_category)) : 0;
		bool override = decided && a->computed_category && strcmp(a->decided_category, a->computed_category);
		bool exit = dd_flow_exit_decided(a);
		dd_report_decision d = {
			.h = &x.rec->h, .m = x.rec->members, .nm = x.rec->nmembers, .a = x.a,
			.decided = decided, .proposed = !a->decided_category, .exit = exit,
			/* exits decided before a reason was required: the application's own words */
			.reason = a->decision_reason || !exit ? a->decision_reason : a->hardship,
			.override_reason = override ? a->decision_reason : NULL,
			.doc_no = doc_no ? doc_no : a->app_no,
			.date = a->decided_on != DD_DATE_NONE ? a->decided_on : a->assessed_on,
		};
		rc = dd_report_decision_pdf(&d, pdf, err);
	}
	dd_flow_household_release(&x);
	return rc;
}
