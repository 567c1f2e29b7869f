/* text.c - UTF-8 validation, GB18030 -> UTF-8 conversion, trimming. */
#include "text.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first byte at or after p that is not ASCII, or end: 8 bytes at a time (feeds are mostly ASCII). */
static const unsigned char *skip_ascii(const unsigned char *p, const unsigned char *end)
{
	const uint64_t high = UINT64_C(0x8080808080808080);
	uint64_t w;

	for (; end - p >= (ptrdiff_t)sizeof w; p += sizeof w) {
		memcpy(&w, p, sizeof w);
		if ((w &= high) != 0) {
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			return p + (__builtin_clzll(w) >> 3);
#else
			return p + (__builtin_ctzll(w) >> 3);
#endif
		}
	}
	while (p < end && *p < 0x80)
		p++;
	return p;
}

/*
 * Well-formed UTF-8 (Unicode Table 3-7): the second byte's range depends on
 * the lead byte, which is what rules out overlongs (C0/C1, E0 80-9F, F0 80-8F),
 * surrogates (ED A0-BF) and code points above U+10FFFF (F4 90-BF, F5-FF).
 */
size_t dd_text_utf8_valid(const char *buf, size_t len, bool *cut)
{
	const unsigned char *start = (const unsigned char *)buf, *p = start, *end = p + len;

	*cut = false;
	while ((p = skip_ascii(p, end)) < end) {
		unsigned char c;
		unsigned char lo = 0x80, hi = 0xBF;
		size_t n;

		/* a run of Chinese text: E1-EC and EE-EF take any two continuation bytes */
		while (end - p >= 3 && (p[0] & 0xF0) == 0xE0 && p[0] != 0xE0 && p[0] != 0xED &&
		       (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
			p += 3;
		if (p == end || (c = *p) < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4;
		else
			break;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		for (size_t i = 1; i < n; i++) {
			if (p + i == end) {
				*cut = true;
				goto done;
			}
			if (p[i] < lo || p[i] > hi)
				goto done;
			lo = 0x80;
			hi = 0xBF;
		}
		p += n;
	}
done:
	return (size_t)(p - start);
}

bool dd_text_is_utf8(const char *buf, size_t len, bool partial_ok)
{
	bool cut;

	return dd_text_utf8_valid(buf, len, &cut) == len || (partial_ok && cut);
}

size_t dd_text_bom_len(const char *buf, size_t len)
{
	return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* A GB18030 character is at most 4 bytes, so at most 3 wait for the next chunk. */
struct dd_text_conv {
	iconv_t cd;
	char pend[4];
	size_t npend;
	unsigned long long offset;   /* input bytes converted so far, over all calls */
};

dd_rc dd_text_conv_open(dd_text_conv **c, dd_err *err)
{
	dd_rc ret = DD_ERR_NOMEM;
	dd_text_conv *nc = calloc(1, sizeof *nc);

	if (!nc) {
		dd_err_set(err, ret, "内存不足");
		goto done;
	}
	nc->cd = iconv_open("UTF-8", "GB18030");
	if (nc->cd == (iconv_t)-1) {
		ret = dd_err_set(err, DD_ERR_INTERNAL, "iconv 不支持 GB18030: %s", strerror(errno));
		free(nc);
		nc = NULL;
		goto done;
	}
	ret = DD_OK;
done:
	*c = nc;
	return ret;
}

/*
 * Converts as much of *in as forms whole characters, appending to out.  An
 * incomplete sequence at the end is left in *in (DD_OK); an invalid one is
 * DD_ERR_INPUT with its offset.
 */
static dd_rc convert(dd_text_conv *c, const char **in, size_t *inleft, dd_buf *out, dd_err *err)
{
	dd_rc ret = DD_OK;
	char tmp[4096];

	while (*inleft > 0) {
		char *o = tmp;
		size_t oleft = sizeof tmp, before = *inleft;
		size_t r = iconv(c->cd, (char **)in, inleft, &o, &oleft);
		int e = errno;

		c->offset += before - *inleft;
		ret = dd_buf_append(out, tmp, (size_t)(o - tmp));
		if (ret != DD_OK) {
			dd_err_set(err, ret, "转换结果过大或内存不足");
			break;
		}
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		if (e != EINVAL)
			ret = dd_err_set(err, DD_ERR_INPUT, "无效的 GB18030 字节序列（字节偏移 %llu）",
					 c->offset);
		break;
	}
	return ret;
}

dd_rc dd_text_conv_feed(dd_text_conv *c, const char *in, size_t len, bool final,
			dd_buf *out, dd_err *err)
{
	dd_rc ret = DD_OK;
	const char *p;
	size_t left;

	/* finish the character cut by the previous chunk, one byte at a time */
	while (c->npend > 0 && len > 0) {
		c->pend[c->npend++] = *in++;
		len--;
		p = c->pend;
		left = c->npend;
		ret = convert(c, &p, &left, out, err);
		if (ret != DD_OK)
			goto done;
		memmove(c->pend, p, left);
		c->npend = left;
		if (c->npend == sizeof c->pend) {
			ret = dd_err_set(err, DD_ERR_INPUT, "无效的 GB18030 字节序列（字节偏移 %llu）",
					 c->offset);
			goto done;
		}
	}
	p = in;
	left = len;
	ret = convert(c, &p, &left, out, err);
	if (ret != DD_OK)
		goto done;
	if (left > 0) {
		/* iconv leaves only an incomplete character, so it fits in pend */
		memcpy(c->pend + c->npend, p, left);
		c->npend += left;
	}
	if (final && c->npend > 0)
		ret = dd_err_set(err, DD_ERR_INPUT, "GB18030 文本在字节偏移 %llu 处截断", c->offset);
done:
	return ret;
}

void dd_text_conv_close(dd_text_conv *c)
{
	if (!c)
		return;
	iconv_close(c->cd);
	free(c);
}

dd_rc dd_text_gb_to_utf8(const char *in, size_t len, char **out, size_t *outlen, dd_err *err)
{
	dd_text_conv *c = NULL;
	dd_buf b;
	dd_rc ret;

	dd_buf_init(&b, 0);
	ret = dd_text_conv_open(&c, err);
	if (ret != DD_OK)
		goto done;
	/* the empty append makes data a "" rather than NULL for empty input */
	ret = dd_buf_append(&b, "", 0);
	if (ret != DD_OK) {
		dd_err_set(err, ret, "内存不足");
		goto done;
	}
	ret = dd_text_conv_feed(c, in, len, true, &b, err);
	if (ret != DD_OK)
		goto done;
	*out = dd_buf_detach(&b, outlen);
done:
	dd_buf_release(&b);
	dd_text_conv_close(c);
	return ret;
}

/* Length of the whitespace at s[0..len) that trim removes, or 0. */
static size_t space_at(const char *s, size_t len)
{
	if (len > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		return 1;
	if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

void dd_text_trim(const char **s, size_t *len)
{
	size_t n;

	/* most cells have nothing to trim: a space starts with one of " \t\r\n" or E3 (U+3000), ends with one of them or 80 */
	if (*len > 0) {
		unsigned char a = (unsigned char)(*s)[0], z = (unsigned char)(*s)[*len - 1];
		if (a > ' ' && a != 0xE3 && z > ' ' && z != 0x80)
			return;
	}

	while ((n = space_at(*s, *len)) > 0) {
		*s += n;
		*len -= n;
	}
	for (;;) {
		const char *e = *s + *len;
		if (*len > 0 && space_at(e - 1, 1))
			*len -= 1;
		else if (*len >= 3 && space_at(e - 3, 3) == 3)
			*len -= 3;
		else
			break;
	}
}

bool dd_text_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

size_t dd_text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;   /* continuation byte */
		/* lead bytes of U+2E80 and above (CJK, full-width forms) are 0xE2 0xBA.. and higher */
		w += (*p >= 0xE3 || (*p == 0xE2 && (p[1] & 0xFF) >= 0xBA)) ? 2 : 1;
	}
	return w;
}
