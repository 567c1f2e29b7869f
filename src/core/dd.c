/* dd.c - status codes, error context, arena, buffer and logging. */
#include "dd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int dd_rc_exit(dd_rc rc)
{
	switch (rc) {
	case DD_OK:
	case DD_DONE:
		return 0;
	case DD_ERR_USAGE:
		return 1;
	case DD_ERR_INPUT:
	case DD_ERR_IO:
		return 2;
	case DD_ERR_NOTFOUND:
		return 4;
	default:
		return 3;
	}
}

const char *dd_rc_name(dd_rc rc)
{
	static const char *names[] = {
		"ok", "usage", "input", "store", "not found",
		"out of memory", "io", "internal", "done",
	};
	return (unsigned)rc < DD_ARRAY_LEN(names) ? names[rc] : "unknown";
}

dd_rc dd_err_set(dd_err *err, dd_rc rc, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->rc = rc;
	}
	return rc;
}

void dd_err_clear(dd_err *err)
{
	err->rc = DD_OK;
	err->msg[0] = '\0';
}

/* ---- arena ---- */

struct dd_arena_block {
	dd_arena_block *next;
	size_t size;
	size_t used;
	/* max_align_t keeps the payload 16-byte aligned on x86-64 */
	_Alignas(16) unsigned char data[];
};

#define ARENA_ALIGN 16
#define ARENA_DEFAULT (64 * 1024)

void dd_arena_init(dd_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : ARENA_DEFAULT;
	a->used_total = 0;
}

/*
 * Strings need no alignment: packing them saves a third of an import's memory.
 * align is a power of two (1 or ARENA_ALIGN): the padding is a mask, not two
 * divisions (a feed import allocates a string per row).
 */
static void *arena_alloc(dd_arena *a, size_t n, size_t align)
{
	dd_arena_block *b = a->head;
	size_t pad = b ? (0 - b->used) & (align - 1) : 0;

	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	if (!b || b->size - b->used < n + pad) {
		size_t size = n > a->block_size ? n : a->block_size;
		if (!a->block_size)
			a->block_size = ARENA_DEFAULT;
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		pad = 0;
	}
	void *p = b->data + b->used + pad;
	b->used += n + pad;
	a->used_total += n + pad;
	return p;
}

void *dd_arena_alloc(dd_arena *a, size_t n)
{
	return arena_alloc(a, n, ARENA_ALIGN);
}

void *dd_arena_calloc(dd_arena *a, size_t n)
{
	void *p = dd_arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *dd_arena_strndup(dd_arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1, 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *dd_arena_strdup(dd_arena *a, const char *s)
{
	return dd_arena_strndup(a, s, strlen(s));
}

char *dd_arena_printf(dd_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1, 1);
	if (p) {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

static void free_blocks(dd_arena_block *b)
{
	while (b) {
		dd_arena_block *next = b->next;
		free(b);
		b = next;
	}
}

void dd_arena_reset(dd_arena *a)
{
	dd_arena_block *b = a->head;
	if (!b)
		return;
	/* keep the most recent (usually largest) block, free the rest */
	free_blocks(b->next);
	b->next = NULL;
	b->used = 0;
	a->used_total = 0;
}

void dd_arena_release(dd_arena *a)
{
	free_blocks(a->head);
	a->head = NULL;
	a->used_total = 0;
}

/* ---- buffer ---- */

void dd_buf_init(dd_buf *b, size_t cap_limit)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->cap_limit = cap_limit;
}

static dd_rc buf_grow(dd_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need < b->len)
		return DD_ERR_NOMEM;
	if (b->cap_limit && need > b->cap_limit + 1)
		return DD_ERR_INPUT;
	if (need <= b->cap)
		return DD_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return DD_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return DD_OK;
}

dd_rc dd_buf_append(dd_buf *b, const void *p, size_t n)
{
	dd_rc rc = buf_grow(b, n);
	if (rc != DD_OK)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return DD_OK;
}

dd_rc dd_buf_puts(dd_buf *b, const char *s)
{
	return dd_buf_append(b, s, strlen(s));
}

dd_rc dd_buf_putc(dd_buf *b, char c)
{
	return dd_buf_append(b, &c, 1);
}

dd_rc dd_buf_vprintf(dd_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return DD_ERR_INTERNAL;
	dd_rc rc = buf_grow(b, (size_t)n);
	if (rc != DD_OK)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return DD_OK;
}

dd_rc dd_buf_printf(dd_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dd_rc rc = dd_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void dd_buf_reset(dd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void dd_buf_release(dd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *dd_buf_detach(dd_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

dd_rc dd_file_read(const char *path, size_t cap_limit, dd_buf *b, dd_err *err)
{
	dd_rc rc = DD_OK;
	size_t old_limit = b->cap_limit;
	char chunk[16384];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return dd_err_set(err, DD_ERR_INPUT, "无法读取文件 %s", path);
	b->cap_limit = cap_limit;
	while (rc == DD_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (dd_buf_append(b, chunk, n) != DD_OK)
			rc = dd_err_set(err, DD_ERR_INPUT, "文件 %s 过大", path);
	if (rc == DD_OK && ferror(f))
		rc = dd_err_set(err, DD_ERR_INPUT, "读取文件 %s 失败", path);
	if (rc == DD_OK && !b->data)
		rc = dd_buf_append(b, "", 0);
	b->cap_limit = old_limit;
	fclose(f);
	return rc;
}

int64_t dd_clock_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- logging ---- */

static int log_threshold(void)
{
	static int level = -1;
	if (level < 0) {
		const char *s = getenv("DOUDI_LOG");
		level = DD_LOG_WARN;
		if (s) {
			static const char *names[] = { "error", "warn", "info", "debug" };
			for (size_t i = 0; i < DD_ARRAY_LEN(names); i++)
				if (!strcasecmp(s, names[i]))
					level = (int)i;
		}
	}
	return level;
}

void dd_log(dd_log_level lvl, const char *fmt, ...)
{
	static const char *tags[] = { "error", "warn", "info", "debug" };
	if ((int)lvl > log_threshold())
		return;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s doudi %s: ", stamp, tags[lvl]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
