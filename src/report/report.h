/*
 * report.h - printable documents as PDF (DOMAIN.md §8 "printable 附件1/附件2
 * forms and decision documents", §3.2 公示).
 *
 * Four documents, each from a plain input struct the caller fills:
 *   dd_report_decision_pdf      审核确认决定书 (or 拟认定 when only computed)
 *   dd_report_form1_pdf         附件1 低收入人口信息采集表
 *   dd_report_application_pdf   附件2 救助帮扶申请登记表
 *   dd_report_notice_pdf        公示名单, one section per village
 *
 * Ownership: every input struct BORROWS everything it points to (strings,
 * records, the assessment); nothing is copied or freed by the report module,
 * and nothing needs to outlive the call.  The PDF is appended to a dd_buf the
 * caller owns (dd_buf_release frees it); dd_report_save writes such a buffer
 * to a file.  NULL strings print as empty.
 *
 * Privacy (DOMAIN.md §9): ID numbers and phones given in full are always
 * printed masked (dd_id_mask, dd_phone_mask); the public-notice list also
 * masks names (dd_report_name_mask).  No document prints a full ID.
 *
 * Determinism: no clock is read when a date is given; the PDF's creation
 * date metadata is the document's date, so equal inputs give equal text.
 *
 * Pages are A4, the font "WenQuanYi Micro Hei" (fonts-wqy-microhei) embedded
 * by cairo, so the Chinese text can be copied and extracted (pdftotext).
 * Depends on core and assess only.
 */
#ifndef DD_REPORT_H
#define DD_REPORT_H

#include "../core/dd.h"
#include "../core/date.h"
#include "../core/registry.h"
#include "../assess/assess.h"

/*
 * 审核确认决定书.  `a` is the assessment of h with members m[0..nm) (the same
 * arrays given to dd_assess, so a->members[i] describes m[i]).
 *
 *   decided     the category decided: one DD_CAT_* bit, or 0 = rejected
 *               (不予认定).  Ignored when `proposed`.
 *   proposed    true: print the computed result (a->category) marked
 *               拟认定, as a draft no body has decided yet.
 *   exit        true: the decision of an exit (退出, 终止救助) from the
 *               household's recorded categories (h->categories); `decided`
 *               and `override_reason` are ignored and `reason` (the exit
 *               reason) is required.  Not with `proposed`.
 *   reason      rejection reason (decided == 0) or exit reason - required
 *               then, else DD_ERR_INPUT; ignored otherwise.
 *   override_reason  when decided differs from a->category (人工认定): the
 *               written reason, required then (DD_ERR_INPUT without it);
 *               the document prints computed and decided category and it.
 *               For a rejection, NULL means `reason` serves as both.
 *   body        deciding body; NULL = "<township name>人民政府" (街道:
 *               "<name>办事处") from h->region_code.
 *   doc_no      document number (文号), may be NULL.
 *   date        date of the decision (DD_DATE_NONE = today).
 * The head's name is the member whose id equals h->head_id, else the member
 * with relation 户主, else the first member.
 */
typedef struct dd_report_decision {
	const dd_household *h;
	const dd_member *m;
	size_t nm;
	const dd_assessment *a;
	unsigned decided;
	bool proposed;
	bool exit;
	const char *reason;
	const char *override_reason;
	const char *body;
	const char *doc_no;
	dd_date date;
} dd_report_decision;

dd_rc dd_report_decision_pdf(const dd_report_decision *d, dd_buf *out, dd_err *err);

/*
 * 附件1 低收入人口信息采集表, filled from a registry household with its
 * members and obligors.  `date` is the date printed as 采集日期
 * (DD_DATE_NONE = today); `collector` (采集人) may be NULL.
 */
typedef struct dd_report_form1 {
	const dd_household *h;
	const dd_member *m;
	size_t nm;
	const dd_obligor *o;
	size_t no;
	const char *collector;
	dd_date date;
} dd_report_form1;

dd_rc dd_report_form1_pdf(const dd_report_form1 *f, dd_buf *out, dd_err *err);

/*
 * The 19 needs of DOMAIN.md §3.1, in the form's order (the checklist of
 * 附件2).  dd_report_needs[i] is the full name; bit i of a needs mask means
 * that need was chosen.
 */
#define DD_REPORT_NNEEDS 19
extern const char *const dd_report_needs[DD_REPORT_NNEEDS];
/*
 * Parses a list of need names separated by ';' '；' ',' '，' or newlines into a
 * mask.  A name matches the full name or the full name without its
 * parenthesis ("社会服务类救助").  Unknown name: DD_ERR_INPUT naming it.
 */
dd_rc dd_report_needs_parse(const char *list, uint32_t *mask, dd_err *err);

/*
 * 附件2 救助帮扶申请登记表.  applicant_id and phone are given in full and
 * printed masked.  needs: a mask of dd_report_needs; other_need: the text
 * after 其他 when that need is chosen (may be NULL).
 */
typedef struct dd_report_application {
	const char *app_no;          /* application number, may be NULL */
	const char *region_code;     /* the applicant's village (or township) */
	const char *applicant_name;
	const char *applicant_id;
	int household_size;
	dd_hukou hukou;
	const char *hukou_address;   /* 户籍地址 */
	const char *address;         /* 居住地址 */
	const char *phone;
	const char *channel;         /* 申请渠道 (窗口/代办/网上/主动发现), may be NULL */
	const char *hardship;        /* 家庭困难情况 */
	uint32_t needs;
	const char *other_need;
	dd_date date;                /* 申请日期 (DD_DATE_NONE = today) */
} dd_report_application;

dd_rc dd_report_application_pdf(const dd_report_application *ap, dd_buf *out, dd_err *err);

/*
 * 公示名单.  Rows are grouped by the village of their region_code (the first
 * 12 digits), villages in code order, each village on its own page(s) with
 * its own title; within a village the given order is kept.  name and
 * id_number are given in full and printed masked.  category: DD_CAT_* bits,
 * the highest printed in Chinese.
 */
typedef struct dd_report_notice_row {
	const char *region_code;     /* the household's village */
	const char *household_no;
	const char *name;            /* the head's name */
	const char *id_number;
	unsigned category;
	int household_size;
} dd_report_notice_row;

typedef struct dd_report_notice {
	const char *region_code;     /* the township or village the list is for */
	const dd_report_notice_row *rows;
	size_t nrows;
	dd_date from, to;            /* notice period, both required */
	const char *body;            /* publishing body; NULL as for the decision */
	dd_date date;                /* date printed under the list (DD_DATE_NONE = from) */
} dd_report_notice;

dd_rc dd_report_notice_pdf(const dd_report_notice *n, dd_buf *out, dd_err *err);

/*
 * Name masking for public lists: the first character (the surname) is kept
 * and every other character becomes '*': 张三 → 张*, 张小三 → 张**,
 * 欧阳小明 → 欧***.  (A compound surname is not told from a given name, so
 * only one character is ever shown.)  A one-character name is kept.  Writes a
 * NUL-terminated string into out (cap bytes; cut at a character boundary).
 */
void dd_report_name_mask(const char *name, char *out, size_t cap);

/* Chinese name of the highest category in bits (特困人员 …), "" for 0. */
const char *dd_report_category_zh(unsigned bits);

/* Writes the buffer to path (through a temporary file and rename). */
dd_rc dd_report_save(const dd_buf *pdf, const char *path, dd_err *err);

#endif
