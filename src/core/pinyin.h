/*
 * pinyin.h - pinyin initials of Chinese names, for search ("zs" finds 张三).
 *
 * The table of initials is made from ICU's Han-Latin transliteration at
 * build time (tools/mkpinyin.c) and linked in; lookups are pure and
 * thread-safe.  Polyphonic characters get ICU's first reading (重 → z).
 */
#ifndef DD_PINYIN_H
#define DD_PINYIN_H

#include "dd.h"

/*
 * Writes the initials of UTF-8 text `s` into out (NUL-terminated, at most
 * cap - 1 letters): a CJK ideograph gives the first letter of its reading,
 * an ASCII letter itself in lower case, an ASCII digit itself; everything
 * else (spaces, ·, punctuation, invalid bytes) is skipped.  Returns the
 * number of letters written.
 */
size_t dd_pinyin_initials(const char *s, char *out, size_t cap);

/* True when q (2..16 ASCII letters) can be a search by initials. */
bool dd_pinyin_is_query(const char *q);

#endif
