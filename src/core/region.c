/*
 * region.c - reads the division table linked in by region_blob.S, in place.
 *
 * Format (docs/internals/regions.md): a 48-byte header, then `count` 64-bit
 * keys (level << 40 | code padded to 12 digits) sorted ascending, then
 * `count` 32-bit name words (pool offset << 3 | suffix slot), then the pool
 * of length-prefixed UTF-8 strings.  Sorting by level first makes the
 * children of any region one contiguous key range.  Nothing here allocates;
 * fields are read with memcpy since the blob is a byte array.
 */
#include "dd.h"
#include "region.h"

#include <string.h>

extern const unsigned char dd_region_blob[], dd_region_blob_end[];

#define MAGIC 0x47524444u      /* "DDRG" little-endian: also checks byte order */
#define VERSION 1u
#define HEADER_SIZE 48u
#define SUFFIX_SLOTS 8u
#define LEVEL_SHIFT 40

/* Code length of each level, index = dd_region_level - 1. */
static const size_t level_len[] = { 2, 4, 6, 9, 12 };

static const uint64_t pow10_tab[] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull,
};

/*
 * City-level rows that are groupings, not places: 北京市/市辖区/东城区 is
 * written 北京市东城区.
 */
static const struct {
	const char *text;
	bool suffix;           /* match the end of the name, not all of it */
} city_placeholders[] = {
	{ "市辖区", false },
	{ "县", false },
	{ "直辖县级行政区划", true },   /* 省…, 自治区… */
};

typedef struct table {
	const unsigned char *keys, *names, *pool;
	uint32_t count, pool_size;
	uint32_t suffix[SUFFIX_SLOTS];
} table;

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Validates the header each call: a few compares, and no init to forget. */
static dd_rc open_table(table *t)
{
	size_t size = (size_t)((uintptr_t)dd_region_blob_end - (uintptr_t)dd_region_blob);
	dd_rc rc = DD_ERR_INTERNAL;

	if (size < HEADER_SIZE || rd32(dd_region_blob) != MAGIC ||
	    rd32(dd_region_blob + 4) != VERSION)
		goto done;
	t->count = rd32(dd_region_blob + 8);
	t->pool_size = rd32(dd_region_blob + 12);
	if (HEADER_SIZE + (size_t)t->count * 12 + t->pool_size != size)
		goto done;
	for (unsigned i = 0; i < SUFFIX_SLOTS; i++)
		t->suffix[i] = rd32(dd_region_blob + 16 + 4 * i);
	t->keys = dd_region_blob + HEADER_SIZE;
	t->names = t->keys + (size_t)t->count * 8;
	t->pool = t->names + (size_t)t->count * 4;
	rc = DD_OK;
done:
	return rc;
}

/* Level and 12-digit value of a code; DD_ERR_INPUT unless 2/4/6/9/12 digits. */
static dd_rc parse_code(const char *code, size_t len, unsigned *level, uint64_t *padded)
{
	uint64_t v = 0;
	dd_rc rc = DD_ERR_INPUT;

	*level = 0;
	for (unsigned i = 0; i < DD_ARRAY_LEN(level_len); i++)
		if (level_len[i] == len)
			*level = i + 1;
	if (!code || *level == 0)
		goto done;
	for (size_t i = 0; i < len; i++) {
		if (code[i] < '0' || code[i] > '9')
			goto done;
		v = v * 10 + (uint64_t)(code[i] - '0');
	}
	*padded = v * pow10_tab[12 - len];
	rc = DD_OK;
done:
	return rc;
}

static uint64_t make_key(unsigned level, uint64_t padded)
{
	return (uint64_t)level << LEVEL_SHIFT | padded;
}

/* Index of the first key >= key. */
static size_t lower_bound(const table *t, uint64_t key)
{
	size_t lo = 0, hi = t->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rd64(t->keys + mid * 8) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Appends the pool string at off to out->name; false if it is out of bounds. */
static bool append_pool(const table *t, uint32_t off, dd_region *out)
{
	size_t n;
	if (off >= t->pool_size)
		return false;
	n = t->pool[off];
	if (n > t->pool_size - off - 1 || out->name_len + n >= sizeof(out->name))
		return false;
	memcpy(out->name + out->name_len, t->pool + off + 1, n);
	out->name_len += n;
	out->name[out->name_len] = '\0';
	return true;
}

/* Decodes entry i into out (code text, level, stem + suffix). */
static dd_rc fill(const table *t, size_t i, dd_region *out)
{
	uint64_t key = rd64(t->keys + i * 8);
	uint64_t v = key & ((1ull << LEVEL_SHIFT) - 1);
	unsigned level = (unsigned)(key >> LEVEL_SHIFT);
	uint32_t word = rd32(t->names + i * 4);
	dd_rc rc = DD_ERR_INTERNAL;

	if (level < 1 || level > DD_ARRAY_LEN(level_len))
		goto done;
	for (size_t k = 12; k-- > 0; v /= 10)
		out->code[k] = (char)('0' + v % 10);
	out->code[level_len[level - 1]] = '\0';
	out->level = (dd_region_level)level;
	out->name_len = 0;
	out->name[0] = '\0';
	if (!append_pool(t, word >> 3, out) || !append_pool(t, t->suffix[word & 7], out))
		goto done;
	rc = DD_OK;
done:
	return rc;
}

/* Finds a well-formed code; on success *index is its entry. */
static dd_rc find(const table *t, unsigned level, uint64_t padded, size_t *index)
{
	uint64_t key = make_key(level, padded);
	size_t i = lower_bound(t, key);
	dd_rc rc = DD_ERR_NOTFOUND;

	if (i < t->count && rd64(t->keys + i * 8) == key) {
		*index = i;
		rc = DD_OK;
	}
	return rc;
}

size_t dd_region_count(void)
{
	table t;
	return open_table(&t) == DD_OK ? t.count : 0;
}

dd_rc dd_region_lookup(const char *code, size_t len, dd_region *out)
{
	table t;
	unsigned level;
	uint64_t padded;
	size_t i;
	dd_rc rc;

	if ((rc = parse_code(code, len, &level, &padded)) != DD_OK ||
	    (rc = open_table(&t)) != DD_OK ||
	    (rc = find(&t, level, padded, &i)) != DD_OK)
		goto done;
	rc = fill(&t, i, out);
done:
	return rc;
}

dd_rc dd_region_children(const char *parent, size_t len,
			 int (*fn)(const dd_region *r, void *arg), void *arg)
{
	table t;
	dd_region r;
	unsigned level;
	uint64_t padded;
	size_t i, end;
	dd_rc rc;

	if ((rc = parse_code(parent, len, &level, &padded)) != DD_OK ||
	    (rc = open_table(&t)) != DD_OK ||
	    (rc = find(&t, level, padded, &i)) != DD_OK ||
	    level == DD_REGION_VILLAGE)
		goto done;
	/* Level-major order: the children are the next level's keys in [P, P + span). */
	i = lower_bound(&t, make_key(level + 1, padded));
	end = lower_bound(&t, make_key(level + 1, padded + pow10_tab[12 - len]));
	for (; i < end; i++) {
		if ((rc = fill(&t, i, &r)) != DD_OK || fn(&r, arg) != 0)
			goto done;
	}
done:
	return rc;
}

static bool is_city_placeholder(const dd_region *r)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(city_placeholders); i++) {
		size_t n = strlen(city_placeholders[i].text);
		if (r->name_len < n || (!city_placeholders[i].suffix && r->name_len != n))
			continue;
		if (memcmp(r->name + r->name_len - n, city_placeholders[i].text, n) == 0)
			return true;
	}
	return false;
}

size_t dd_region_fullname(const char *code, size_t len, char *buf, size_t cap)
{
	table t;
	dd_region r;
	unsigned level;
	uint64_t padded;
	size_t used = 0;
	bool room = true;

	if (cap == 0)
		goto done;
	if (parse_code(code, len, &level, &padded) != DD_OK || open_table(&t) != DD_OK)
		goto done;
	/* Every ancestor must resolve, so an unknown code yields "" not a stub. */
	for (unsigned l = 1; l <= level; l++) {
		uint64_t span = pow10_tab[12 - level_len[l - 1]];
		size_t i;
		if (find(&t, l, padded - padded % span, &i) != DD_OK || fill(&t, i, &r) != DD_OK) {
			used = 0;
			goto done;
		}
		if ((l == DD_REGION_CITY && is_city_placeholder(&r)) || !room)
			continue;
		if (used + r.name_len >= cap) {
			room = false;
			continue;
		}
		memcpy(buf + used, r.name, r.name_len);
		used += r.name_len;
	}
done:
	if (cap > 0)
		buf[used] = '\0';
	return used;
}

bool dd_region_within(const char *code, const char *ancestor)
{
	unsigned lc, la;
	uint64_t pc, pa;

	if (!code || !ancestor)
		return false;
	if (parse_code(code, strlen(code), &lc, &pc) != DD_OK ||
	    parse_code(ancestor, strlen(ancestor), &la, &pa) != DD_OK)
		return false;
	return la <= lc && memcmp(code, ancestor, level_len[la - 1]) == 0;
}
