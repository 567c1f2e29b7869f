/*
 * application.c - 附件2 救助帮扶申请登记表 (DOMAIN.md §3.1): one
 * application, any of the 19 needs ticked (☑) or not (☐).
 */
#include "../core/dd.h"
#include "report_int.h"

/* Needs a row of the checklist. */
#define NEEDS_PER_ROW 3

static void needs(doc *d, const dd_report_application *ap)
{
	static const rp_col cols[NEEDS_PER_ROW] = {
		{ "", 1.0 / 3, PANGO_ALIGN_LEFT, false },
		{ "", 1.0 / 3, PANGO_ALIGN_LEFT, false },
		{ "", 1.0 / 3, PANGO_ALIGN_LEFT, false },
	};
	static const rp_table t = { cols, NEEDS_PER_ROW, false, RP_BODY };
	const char *row[NEEDS_PER_ROW];

	rp_table_begin(d, &t);
	for (size_t i = 0; i < DD_REPORT_NNEEDS; i += NEEDS_PER_ROW) {
		for (size_t j = 0; j < NEEDS_PER_ROW; j++) {
			size_t k = i + j;
			bool on = k < DD_REPORT_NNEEDS && (ap->needs & (1u << k));
			bool other = k == DD_REPORT_NNEEDS - 1;
			if (k >= DD_REPORT_NNEEDS)
				row[j] = "";
			else if (other)
				row[j] = rp_printf(d, "%s %s：%s", on ? "☑" : "☐", dd_report_needs[k],
						   on ? rp_s(ap->other_need) : "");
			else
				row[j] = rp_printf(d, "%s %s", on ? "☑" : "☐", dd_report_needs[k]);
		}
		rp_table_row(d, row);
	}
	rp_table_end(d);
}

/* A bordered box of the full width holding text. */
static void box(doc *d, const char *text)
{
	static const rp_col col[] = { { "", 1.0, PANGO_ALIGN_LEFT, false } };
	static const rp_table t = { col, 1, false, RP_BODY };
	const char *row[] = { text };

	rp_table_begin(d, &t);
	rp_table_row(d, row);
	rp_table_end(d);
}

static dd_rc build(doc *d, const void *input)
{
	const dd_report_application *ap = input;
	const char *kv[] = {
		"申请编号", rp_s(ap->app_no), "申请日期", rp_date_zh(d, ap->date),
		"申请人", rp_s(ap->applicant_name), "身份证号码", rp_id(d, ap->applicant_id),
		"家庭人口", ap->household_size > 0 ? rp_printf(d, "%d 人", ap->household_size) : "",
		"户籍类型", rp_hukou(ap->hukou),
		"联系电话", rp_phone(d, ap->phone), "申请渠道", rp_s(ap->channel),
		"乡镇（街道）", rp_region_name(d, ap->region_code, 9),
		"村（社区）", rp_region_name(d, ap->region_code, 12),
	};
	const char *addr[] = { "户籍地址", rp_s(ap->hukou_address), "居住地址", rp_s(ap->address) };
	int k = 0;

	d->running = "附件2 救助帮扶申请登记表";
	rp_text(d, "附件2", RP_BODY, true, PANGO_ALIGN_LEFT);
	rp_title(d, "救助帮扶申请登记表");
	rp_section(d, &k, "申请人基本情况");
	rp_kv(d, kv, DD_ARRAY_LEN(kv) / 2, 2);
	d->y -= 6.0;   /* the address rows continue the grid above */
	rp_kv(d, addr, DD_ARRAY_LEN(addr) / 2, 1);
	rp_section(d, &k, "家庭困难情况");
	/* room below the text for the caseworker's notes */
	box(d, rp_printf(d, "%s\n\n\n", ap->hardship && *ap->hardship ? ap->hardship : "（未填写）"));
	rp_section(d, &k, "申请救助帮扶事项（可多选）");
	needs(d, ap);
	rp_section(d, &k, "申请人承诺");
	box(d, "本人承诺以上所填信息真实、完整，同意并授权有关部门依法查询、核对本人及家庭成员的"
	       "收入、财产等经济状况。如有虚报、隐瞒，愿意承担相应法律责任。");
	rp_need(d, 80.0);
	d->y += 18.0;
	rp_text(d, rp_printf(d, "申请人（签字）：____________    %s", rp_date_zh(d, ap->date)), RP_BODY, false,
		PANGO_ALIGN_RIGHT);
	rp_section(d, &k, "受理情况");
	box(d, "受理意见：\n\n\n\n受理人：____________            受理日期：______年____月____日");
	return DD_OK;
}

dd_rc dd_report_application_pdf(const dd_report_application *ap, dd_buf *out, dd_err *err)
{
	if (ap->needs >> DD_REPORT_NNEEDS)
		return dd_err_set(err, DD_ERR_USAGE, "救助需求编号超出范围");
	return rp_run(build, ap, "救助帮扶申请登记表", ap->date, out, err);
}
