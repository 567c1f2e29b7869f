/*
 * jw.c - pages written straight as JSON text (http_int.h "jw").
 *
 * Building and freeing a jansson tree of a page's values (a malloc and a
 * free each) was a third of the household page's time and most of a warning
 * page's (bench/RESULTS.md "http").  The text is exactly what
 * json_dumps(…, JSON_COMPACT) gives for the tree the dd_json_* helpers
 * (core/json.h) would build; fuzz_http checks every answer for that.
 */
#include "../core/dd.h"
#include "../core/date.h"
#include "../core/id.h"
#include "../core/json.h"
#include "../core/money.h"
#include "../core/registry.h"
#include "../core/text.h"
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool jw_init(jw *w, size_t size)
{
	dd_buf_init(&w->b, 0);
	w->ok = (w->b.data = malloc(size)) != NULL;
	w->b.cap = w->ok ? size : 0;
	if (w->ok)
		w->b.data[0] = '\0';
	return w->ok;
}

dd_rc jw_reply(jw *w, dd_http_req *req)
{
	dd_rc rc = w->ok ? http_reply_text(req, 200, &w->b) : DD_ERR_NOMEM;
	dd_buf_release(&w->b);
	return rc;
}


/* Appends n bytes: a copy while the buffer has room (it is sized for a page once), else dd_buf. */
void jw_put(jw *w, const char *s, size_t n)
{
	if (w->ok && w->b.len + n < w->b.cap) {
		memcpy(w->b.data + w->b.len, s, n);
		w->b.len += n;
		w->b.data[w->b.len] = '\0';
	} else {
		w->ok = w->ok && dd_buf_append(&w->b, s, n) == DD_OK;
	}
}

/* The comma before a value or key, unless it opens its object or array or follows its key. */
void jw_sep(jw *w)
{
	char last = w->b.len ? w->b.data[w->b.len - 1] : '{';
	if (last != '{' && last != '[' && last != ':')
		jw_put(w, ",", 1);
}

/* A literal: null, true, false, a number, or `{` `[` opening a value. */
void jw_lit(jw *w, const char *t)
{
	jw_sep(w);
	jw_put(w, t, strlen(t));
}

void jw_put_close(jw *w, char c)
{
	jw_put(w, &c, 1);
}

/* A string; text that is not UTF-8 fails the page, as json_string would (500). */
void jw_str(jw *w, const char *s)
{
	size_t n = strlen(s), i = 0;

	w->ok = w->ok && dd_text_is_utf8(s, n, false);
	jw_sep(w);
	while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	if (i < n) {   /* something to escape */
		w->ok = w->ok && http_json_string(&w->b, s, n);
		return;
	}
	jw_put(w, "\"", 1);
	jw_put(w, s, n);
	jw_put(w, "\"", 1);
}

/* "name": (the page's own ASCII names, nothing to escape) */
void jw_key(jw *w, const char *name)
{
	jw_sep(w);
	jw_put(w, "\"", 1);
	jw_put(w, name, strlen(name));
	jw_put(w, "\":", 2);
}

/* The dd_json_* values of core/json.h, as text. */
void jw_text(jw *w, const char *s)
{
	if (s && *s)
		jw_str(w, s);
	else
		jw_lit(w, "null");
}

void jw_yuan(jw *w, dd_fen v, bool opt)
{
	char b[32];
	if (opt && v < 0) {
		jw_lit(w, "null");
		return;
	}
	dd_money_format(v, b);
	jw_str(w, b);
}

void jw_date(jw *w, dd_date d)
{
	char b[11];
	if (d == DD_DATE_NONE) {
		jw_lit(w, "null");
		return;
	}
	dd_date_format(d, b);
	jw_str(w, b);
}

void jw_id_masked(jw *w, const char *id)
{
	char m[19];
	if (!id || !*id) {
		jw_lit(w, "null");
		return;
	}
	dd_id_mask(id, m);
	jw_str(w, m);
}

void jw_phone_masked(jw *w, const char *p)
{
	char m[64];
	if (!p || !*p) {
		jw_lit(w, "null");
		return;
	}
	if (strlen(p) >= sizeof m) {
		jw_str(w, "****");
		return;
	}
	dd_phone_mask(p, m);
	jw_str(w, m);
}

void jw_integer(jw *w, long long v)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", v);
	jw_lit(w, b);
}

void jw_categories(jw *w, unsigned bits)
{
	jw_lit(w, "[");
	for (size_t i = 0; i < DD_ARRAY_LEN(dd_categories); i++)
		if (bits & dd_categories[i].bit)
			jw_str(w, dd_categories[i].code);
	jw_put_close(w, ']');
}

