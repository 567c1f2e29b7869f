/* map.c - open-addressing hash maps with linear probing. */
#include "dd.h"
#include "map.h"

#include <stdlib.h>
#include <string.h>

uint64_t dd_hash_u64(uint64_t x)
{
	/* splitmix64 finaliser: full avalanche, so linear probing stays short */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

uint64_t dd_hash_bytes(const void *p, size_t n)
{
	/* eight bytes a step, each word mixed in fully: fast on long rows */
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ dd_hash_u64(w)) * 0x9e3779b97f4a7c15ULL;
	}
	w = 0;
	memcpy(&w, s, n);
	return dd_hash_u64(h ^ w);
}

struct dd_smap_slot {
	const char *key;     /* NULL = empty */
	size_t klen;
	uint64_t hash;
	int64_t val;
};

void dd_smap_init(dd_smap *m)
{
	m->slots = NULL;
	m->cap = m->len = 0;
}

void dd_smap_release(dd_smap *m)
{
	free(m->slots);
	dd_smap_init(m);
}

static struct dd_smap_slot *smap_find(const dd_smap *m, const char *key, size_t klen, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct dd_smap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->klen == klen && !memcmp(s->key, key, klen)))
			return s;
	}
}

static dd_rc smap_grow(dd_smap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct dd_smap_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->slots = calloc(cap, sizeof *m->slots);
	if (!m->slots) {
		m->slots = old;
		return DD_ERR_NOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*smap_find(m, old[i].key, old[i].klen, old[i].hash) = old[i];
	free(old);
	return DD_OK;
}

dd_rc dd_smap_put(dd_smap *m, const char *key, size_t klen, int64_t val, bool *existed)
{
	if ((m->len + 1) * 4 > m->cap * 3 && smap_grow(m) != DD_OK)
		return DD_ERR_NOMEM;
	uint64_t h = dd_hash_bytes(key, klen);
	struct dd_smap_slot *s = smap_find(m, key, klen, h);
	if (existed)
		*existed = s->key != NULL;
	if (!s->key) {
		s->key = key;
		s->klen = klen;
		s->hash = h;
		m->len++;
	}
	s->val = val;
	return DD_OK;
}

bool dd_smap_get(const dd_smap *m, const char *key, size_t klen, int64_t *val)
{
	if (!m->cap)
		return false;
	struct dd_smap_slot *s = smap_find(m, key, klen, dd_hash_bytes(key, klen));
	if (!s->key)
		return false;
	*val = s->val;
	return true;
}

void dd_umap_init(dd_umap *m)
{
	memset(m, 0, sizeof *m);
}

void dd_umap_release(dd_umap *m)
{
	free(m->keys);
	free(m->vals);
	dd_umap_init(m);
}

static size_t umap_index(const dd_umap *m, uint64_t key)
{
	size_t mask = m->cap - 1;
	size_t i = dd_hash_u64(key) & mask;
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static dd_rc umap_grow(dd_umap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	dd_umap n = *m;
	n.keys = calloc(cap, sizeof *n.keys);
	n.vals = malloc(cap * sizeof *n.vals);
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return DD_ERR_NOMEM;
	}
	n.cap = cap;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = umap_index(&n, m->keys[i]);
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
		}
	}
	free(m->keys);
	free(m->vals);
	*m = n;
	return DD_OK;
}

uint64_t *dd_umap_slot(dd_umap *m, uint64_t key)
{
	if (!key) {
		if (!m->has_zero) {
			m->has_zero = true;
			m->zero_val = 0;
			m->len++;
		}
		return &m->zero_val;
	}
	if ((m->len + 1) * 4 > m->cap * 3 && umap_grow(m) != DD_OK)
		return NULL;
	size_t i = umap_index(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->vals[i] = 0;
		m->len++;
	}
	return &m->vals[i];
}

dd_rc dd_umap_put(dd_umap *m, uint64_t key, uint64_t val)
{
	uint64_t *slot = dd_umap_slot(m, key);
	if (!slot)
		return DD_ERR_NOMEM;
	*slot = val;
	return DD_OK;
}

bool dd_umap_get(const dd_umap *m, uint64_t key, uint64_t *val)
{
	if (!key) {
		if (m->has_zero)
			*val = m->zero_val;
		return m->has_zero;
	}
	if (!m->cap)
		return false;
	size_t i = umap_index(m, key);
	if (!m->keys[i])
		return false;
	*val = m->vals[i];
	return true;
}
