/*
 * pdf.c - what the documents share: names of regions, categories and needs,
 * masking for print, money and dates in Chinese, and saving a PDF.
 */
#include "../core/dd.h"
#include "../core/id.h"
#include "../core/money.h"
#include "../core/region.h"
#include "report_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *const dd_report_needs[DD_REPORT_NNEEDS] = {
	"最低生活保障", "特困供养", "临时救助", "高龄津贴", "失能补贴", "殡葬救助", "取暖救助",
	"残疾补贴", "孤儿救助", "医疗救助", "受灾人员救助", "就业救助", "教育救助", "住房救助",
	"慈善资金救助", "法律援助和司法救助", "道路交通事故社会救助基金一次性困难救助",
	"社会服务类救助（访视照料、心理疏导、社会融入）", "其他",
};

/* Length of the list separator at s, or 0. */
static size_t need_sep(const char *s)
{
	static const char *const seps[] = { ";", ",", "\n", "；", "，" };
	for (size_t i = 0; i < DD_ARRAY_LEN(seps); i++)
		if (!strncmp(s, seps[i], strlen(seps[i])))
			return strlen(seps[i]);
	return 0;
}

/* Index of the need named s[0..len), or -1: the full name, or the name before its "（". */
static int need_index(const char *s, size_t len)
{
	for (int i = 0; i < DD_REPORT_NNEEDS; i++) {
		const char *n = dd_report_needs[i], *paren = strstr(n, "（");
		size_t short_len = paren ? (size_t)(paren - n) : strlen(n);
		if ((len == strlen(n) || len == short_len) && !strncmp(s, n, len))
			return i;
	}
	return -1;
}

dd_rc dd_report_needs_parse(const char *list, uint32_t *mask, dd_err *err)
{
	const char *p = list ? list : "";

	*mask = 0;
	while (*p) {
		size_t len = 0, sep;
		while (p[len] && !need_sep(p + len))
			len++;
		const char *item = p;
		size_t ilen = len;
		while (ilen && (*item == ' ' || *item == '\t')) {
			item++;
			ilen--;
		}
		while (ilen && (item[ilen - 1] == ' ' || item[ilen - 1] == '\t' || item[ilen - 1] == '\r'))
			ilen--;
		if (ilen) {
			int i = need_index(item, ilen);
			if (i < 0)
				return dd_err_set(err, DD_ERR_INPUT, "未知的救助需求：%.*s", (int)DD_MIN(ilen, 120),
						  item);
			*mask |= 1u << i;
		}
		p += len;
		if ((sep = need_sep(p)))
			p += sep;
	}
	return DD_OK;
}

/* Bytes of the UTF-8 character starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

void dd_report_name_mask(const char *name, char *out, size_t cap)
{
	const char *p = name ? name : "";
	size_t o, n;

	if (cap == 0)
		return;
	n = strnlen(p, utf8_len((unsigned char)*p));
	if (n >= cap) {
		out[0] = '\0';
		return;
	}
	memcpy(out, p, n);
	o = n;
	for (p += n; *p && o + 1 < cap; p += n) {
		n = strnlen(p, utf8_len((unsigned char)*p));
		out[o++] = '*';
	}
	out[o] = '\0';
}

const char *dd_report_category_zh(unsigned bits)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
		if (bits & dd_categories[i].bit)
			return dd_categories[i].zh;
	return "";
}

dd_rc dd_report_save(const dd_buf *pdf, const char *path, dd_err *err)
{
	char tmp[4096];
	FILE *f;
	bool ok;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
		return dd_err_set(err, DD_ERR_USAGE, "输出路径过长");
	if (!(f = fopen(tmp, "wb")))
		return dd_err_set(err, DD_ERR_IO, "无法写入 %s：%s", tmp, strerror(errno));
	ok = fwrite(pdf->data ? pdf->data : "", 1, pdf->len, f) == pdf->len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		remove(tmp);
		return dd_err_set(err, DD_ERR_IO, "无法写入 %s：%s", path, strerror(e));
	}
	return DD_OK;
}

void rp_section(doc *d, int *k, const char *title)
{
	static const char *const numerals[] = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };

	rp_heading(d, rp_printf(d, "%s、%s", numerals[*k % 10], title));
	(*k)++;
}

const char *rp_hukou(dd_hukou k)
{
	return k == DD_HUKOU_RURAL ? "农业" : k == DD_HUKOU_URBAN ? "非农业" : "";
}

const char *rp_s(const char *s)
{
	return s ? s : "";
}

const char *rp_yesno(int flag)
{
	return flag > 0 ? "是" : flag == 0 ? "否" : "";
}

const char *rp_region_name(doc *d, const char *code, size_t digits)
{
	dd_region r;

	if (!code || strnlen(code, digits) < digits || dd_region_lookup(code, digits, &r) != DD_OK)
		return "";
	return rp_printf(d, "%s", r.name);
}

const char *rp_default_body(doc *d, const char *code)
{
	const char *town = rp_region_name(d, code, 9);
	size_t n = strlen(town);

	if (!n)
		return "";
	/* a 街道 is run by its 办事处, a 乡/镇 by its 人民政府 */
	if (n >= strlen("街道") && !strcmp(town + n - strlen("街道"), "街道"))
		return rp_printf(d, "%s办事处", town);
	return rp_printf(d, "%s人民政府", town);
}

const char *rp_date_zh(doc *d, dd_date date)
{
	int y, m, day;

	dd_date_to_ymd(date == DD_DATE_NONE ? dd_date_today() : date, &y, &m, &day);
	return rp_printf(d, "%d年%d月%d日", y, m, day);
}

const char *rp_money(doc *d, dd_fen v)
{
	char b[40];

	if (v < 0)
		return "";
	dd_money_format_grouped(v, b);
	return rp_printf(d, "%s 元", b);
}

const char *rp_id(doc *d, const char *id)
{
	char b[19];

	if (!id || !*id)
		return "";
	dd_id_mask(id, b);
	return rp_printf(d, "%s", b);
}

const char *rp_phone(doc *d, const char *phone)
{
	char *b;

	if (!phone || !*phone)
		return "";
	if (!(b = dd_arena_alloc(&d->mem, strlen(phone) + 1)))
		return rp_printf(d, "%s", "");
	dd_phone_mask(phone, b);
	return b;
}
