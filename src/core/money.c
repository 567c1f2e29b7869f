/* money.c - yuan text <-> integer fen, without floating point. */
#include "money.h"

#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Integer part: digits, or 1-3 digits followed by groups of ",ddd".  Stops at
 * the first character that cannot continue it; returns the position or NULL
 * when a separator is misplaced.  *yuan saturates above DD_MONEY_MAX so long
 * digit strings cannot overflow.
 */
static const char *scan_yuan(const char *p, const char *end, int64_t *yuan)
{
	const char *ret = NULL;
	size_t group = 0;      /* digits since the start or the last ',' */
	bool grouped = false;

	*yuan = 0;
	for (; p < end && (is_digit(*p) || *p == ','); p++) {
		if (*p == ',') {
			/* first group 1-3 digits, every later one exactly 3 */
			if (group == 0 || group > 3 || (grouped && group != 3))
				goto done;
			grouped = true;
			group = 0;
			continue;
		}
		group++;
		if (*yuan <= DD_MONEY_MAX)
			*yuan = *yuan * 10 + (*p - '0');
	}
	if (grouped && group != 3)
		goto done;
	ret = p;
done:
	return ret;
}

/*
 * The usual shape, up to 15 digits and up to two decimals: read without the
 * separators' bookkeeping.  False for anything else (scan_yuan's business);
 * within this shape both give the same value, and it cannot exceed DD_MONEY_MAX.
 */
static bool plain_amount(const char *p, const char *end, int64_t *fen)
{
	const char *q = p;
	int64_t yuan = 0;

	for (; q < end && q - p < 15 && is_digit(*q); q++)
		yuan = yuan * 10 + (*q - '0');
	if (q == p)
		return false;
	if (q == end) {
		*fen = yuan * 100;
		return true;
	}
	if (*q != '.' || end - q < 2 || end - q > 3 || !is_digit(q[1]) || (end - q == 3 && !is_digit(q[2])))
		return false;
	*fen = yuan * 100 + (q[1] - '0') * 10 + (end - q == 3 ? q[2] - '0' : 0);
	return true;
}

dd_money_status dd_money_parse(const char *s, size_t len, dd_fen *out)
{
	dd_money_status ret = DD_MONEY_BAD;
	const char *p = s, *end = s + len, *frac;
	bool neg = false;
	int64_t yuan, fen = 0;
	size_t nfrac;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end) {
		ret = DD_MONEY_EMPTY;
		goto done;
	}
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (plain_amount(p, end, &fen)) {
		*out = neg ? -fen : fen;
		ret = DD_MONEY_OK;
		goto done;
	}
	frac = scan_yuan(p, end, &yuan);
	if (!frac)
		goto done;
	if (frac == end) {
		if (frac == p)       /* a lone '-' */
			goto done;
		nfrac = 0;
	} else {
		if (*frac != '.')
			goto done;
		for (nfrac = 0; frac + 1 + nfrac < end; nfrac++)
			if (!is_digit(frac[1 + nfrac]))
				goto done;
		if (nfrac == 0)      /* "12." and "." */
			goto done;
		if (nfrac > 2) {
			ret = DD_MONEY_DECIMALS;
			goto done;
		}
		fen = (frac[1] - '0') * 10 + (nfrac == 2 ? frac[2] - '0' : 0);
	}
	if (yuan > DD_MONEY_MAX / 100 || yuan * 100 + fen > DD_MONEY_MAX) {
		ret = DD_MONEY_RANGE;
		goto done;
	}
	*out = neg ? -(yuan * 100 + fen) : yuan * 100 + fen;
	ret = DD_MONEY_OK;
done:
	return ret;
}

const char *dd_money_status_text(dd_money_status st)
{
	static const char *texts[] = {
		[DD_MONEY_OK] = "金额正确",
		[DD_MONEY_EMPTY] = "金额为空",
		[DD_MONEY_BAD] = "金额格式错误",
		[DD_MONEY_DECIMALS] = "金额最多两位小数",
		[DD_MONEY_RANGE] = "金额超出范围",
	};
	return (unsigned)st < DD_ARRAY_LEN(texts) ? texts[st] : "金额状态未知";
}

/*
 * Writes backwards from the end of a scratch area, so digits need no reversal.
 * The magnitude is taken as unsigned: -INT64_MIN does not fit in int64.
 */
static void format(dd_fen v, char *buf, bool grouped)
{
	char tmp[48];
	char *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	uint64_t yuan = u / 100;
	int ndigits = 0;

	*--p = '\0';
	*--p = (char)('0' + u % 10);
	*--p = (char)('0' + u / 10 % 10);
	*--p = '.';
	do {
		if (grouped && ndigits > 0 && ndigits % 3 == 0)
			*--p = ',';
		*--p = (char)('0' + yuan % 10);
		yuan /= 10;
		ndigits++;
	} while (yuan);
	if (v < 0)
		*--p = '-';
	/* at most 27 bytes with separators: both callers' buffers hold it */
	memcpy(buf, p, (size_t)(tmp + sizeof tmp - p));
}

void dd_money_format(dd_fen v, char buf[32])
{
	format(v, buf, false);
}

void dd_money_format_grouped(dd_fen v, char buf[40])
{
	format(v, buf, true);
}

bool dd_money_add(dd_fen a, dd_fen b, dd_fen *out)
{
	dd_fen r;
	if (__builtin_add_overflow(a, b, &r))
		return false;
	*out = r;
	return true;
}

bool dd_money_mul(dd_fen a, int64_t k, dd_fen *out)
{
	dd_fen r;
	if (__builtin_mul_overflow(a, k, &r))
		return false;
	*out = r;
	return true;
}
