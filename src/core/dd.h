/*
 * dd.h - included first by every doudi source file.
 *
 * One status code for everything that can fail (dd_rc), an error context that
 * carries the human-readable text, an arena for per-request / per-batch memory,
 * a growable byte buffer, and logging.  Nothing here allocates behind the
 * caller's back except where a comment says so.
 */
#ifndef DD_H
#define DD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Status codes.  The first five double as process exit codes (FORMATS.md §1). */
typedef enum {
	DD_OK = 0,
	DD_ERR_USAGE = 1,     /* bad command line or API use */
	DD_ERR_INPUT = 2,     /* bad file, bad row, bad value */
	DD_ERR_STORE = 3,     /* database failure */
	DD_ERR_NOTFOUND = 4,  /* no such record */
	DD_ERR_NOMEM = 5,     /* allocation failed */
	DD_ERR_IO = 6,        /* OS-level read/write failure */
	DD_ERR_INTERNAL = 7,  /* a bug: an invariant did not hold */
	DD_DONE = 8           /* not an error: an iterator is exhausted */
} dd_rc;

/* Exit code of the process for a status (IO on input files counts as input). */
int dd_rc_exit(dd_rc rc);
const char *dd_rc_name(dd_rc rc);

/*
 * Error context.  Functions that fail write one line of text here (Chinese or
 * English, never a full ID number or phone) and return the code.  The struct
 * is plain data: no init or free needed; {0} is an empty context.
 */
typedef struct dd_err {
	dd_rc rc;
	char msg[512];
} dd_err;

/* Sets err (if non-NULL) and returns rc, so callers write `return dd_err_set(...)`. */
dd_rc dd_err_set(dd_err *err, dd_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dd_err_clear(dd_err *err);

#define DD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DD_UNUSED(x) ((void)(x))
#define DD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define DD_MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * Arena: bump allocator in chained blocks.  Everything allocated from it is
 * freed together by dd_arena_reset (keeps the first block) or
 * dd_arena_release (frees all).  Allocation failure returns NULL.
 */
typedef struct dd_arena_block dd_arena_block;
typedef struct dd_arena {
	dd_arena_block *head;
	size_t block_size;   /* default size of new blocks; 0 means 64 KiB */
	size_t used_total;   /* bytes handed out since the last reset */
} dd_arena;

void dd_arena_init(dd_arena *a, size_t block_size);
void *dd_arena_alloc(dd_arena *a, size_t n);        /* 16-byte aligned */
void *dd_arena_calloc(dd_arena *a, size_t n);
char *dd_arena_strndup(dd_arena *a, const char *s, size_t n);
char *dd_arena_strdup(dd_arena *a, const char *s);
char *dd_arena_printf(dd_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dd_arena_reset(dd_arena *a);
void dd_arena_release(dd_arena *a);

/*
 * Growable byte buffer, always NUL-terminated when len > 0 or after any
 * append.  The buffer owns `data`; dd_buf_release frees it.  `cap_limit`
 * (0 = none) caps the size: an append beyond it fails with DD_ERR_INPUT and
 * leaves the buffer as it was.
 */
typedef struct dd_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t cap_limit;
} dd_buf;

void dd_buf_init(dd_buf *b, size_t cap_limit);
dd_rc dd_buf_append(dd_buf *b, const void *p, size_t n);
dd_rc dd_buf_puts(dd_buf *b, const char *s);
dd_rc dd_buf_putc(dd_buf *b, char c);
dd_rc dd_buf_printf(dd_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
dd_rc dd_buf_vprintf(dd_buf *b, const char *fmt, va_list ap);
void dd_buf_reset(dd_buf *b);                /* len = 0, keeps memory */
void dd_buf_release(dd_buf *b);              /* frees, back to empty */
/* Hands the data to the caller (free() it); the buffer becomes empty. */
char *dd_buf_detach(dd_buf *b, size_t *len);

/*
 * Reads a whole file into b (appending).  DD_ERR_INPUT when it cannot be read
 * or is larger than cap_limit bytes (0 = no limit).
 */
dd_rc dd_file_read(const char *path, size_t cap_limit, dd_buf *b, dd_err *err);

/* Monotonic clock in microseconds, for timing phases. */
int64_t dd_clock_us(void);

/* Logging to stderr.  Level from $DOUDI_LOG (error, warn, info, debug); default warn. */
typedef enum { DD_LOG_ERROR, DD_LOG_WARN, DD_LOG_INFO, DD_LOG_DEBUG } dd_log_level;
void dd_log(dd_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define dd_log_error(...) dd_log(DD_LOG_ERROR, __VA_ARGS__)
#define dd_log_warn(...) dd_log(DD_LOG_WARN, __VA_ARGS__)
#define dd_log_info(...) dd_log(DD_LOG_INFO, __VA_ARGS__)
#define dd_log_debug(...) dd_log(DD_LOG_DEBUG, __VA_ARGS__)

/* xmalloc-style helpers are deliberately absent: callers handle NULL. */

#endif
