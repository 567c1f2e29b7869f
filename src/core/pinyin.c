/*
 * pinyin.c - initials from the table of pinyin_blob.S (pinyin.h).
 */
#include "pinyin.h"

#include <stdint.h>
#include <string.h>

#define FIRST 0x4E00
#define LAST 0x9FA5

extern const unsigned char dd_pinyin_blob[], dd_pinyin_blob_end[];

/* The initial of code point c, 0 when it has none. */
static char initial(uint32_t c)
{
	size_t n = (size_t)((uintptr_t)dd_pinyin_blob_end - (uintptr_t)dd_pinyin_blob);

	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return (char)c;
	if (c >= FIRST && c <= LAST && c - FIRST < n)
		return (char)dd_pinyin_blob[c - FIRST];
	return 0;
}

size_t dd_pinyin_initials(const char *s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (!cap)
		return 0;
	while (p && *p && n + 1 < cap) {
		uint32_t c = *p;
		size_t len = 1;
		/* only the 3-byte form matters here (U+0800..U+FFFF); longer or broken sequences are skipped */
		if (c >= 0xE0 && c < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			c = ((c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			len = 3;
		} else if (c >= 0x80) {
			c = 0;
		}
		char i = initial(c);
		if (i)
			out[n++] = i;
		p += len;
	}
	out[n] = 0;
	return n;
}

bool dd_pinyin_is_query(const char *q)
{
	size_t n = q ? strlen(q) : 0;

	if (n < 2 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((q[i] >= 'a' && q[i] <= 'z') || (q[i] >= 'A' && q[i] <= 'Z')))
			return false;
	return true;
}
