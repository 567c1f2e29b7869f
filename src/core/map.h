/*
 * map.h - open-addressing hash maps for the hot paths of imports and joins.
 *
 * dd_smap maps borrowed strings to int64 (the caller keeps the key memory
 * alive, usually in an arena); dd_umap maps uint64 keys (packed ID numbers)
 * to uint64.  Both grow by doubling; dd_*map_release frees the table.
 */
#ifndef DD_MAP_H
#define DD_MAP_H

#include "dd.h"

typedef struct dd_smap {
	struct dd_smap_slot *slots;
	size_t cap;          /* power of two, or 0 */
	size_t len;
} dd_smap;

void dd_smap_init(dd_smap *m);
void dd_smap_release(dd_smap *m);
/* Inserts key -> val.  *existed tells whether the key was there (its value is then replaced). */
dd_rc dd_smap_put(dd_smap *m, const char *key, size_t klen, int64_t val, bool *existed);
/* true and *val when found. */
bool dd_smap_get(const dd_smap *m, const char *key, size_t klen, int64_t *val);

typedef struct dd_umap {
	uint64_t *keys;      /* 0 marks an empty slot, so key 0 is stored separately */
	uint64_t *vals;
	size_t cap;
	size_t len;
	bool has_zero;
	uint64_t zero_val;
} dd_umap;

void dd_umap_init(dd_umap *m);
void dd_umap_release(dd_umap *m);
dd_rc dd_umap_put(dd_umap *m, uint64_t key, uint64_t val);
bool dd_umap_get(const dd_umap *m, uint64_t key, uint64_t *val);
/* Pointer to the value slot (inserting 0 when absent), for in-place updates; NULL on no memory. */
uint64_t *dd_umap_slot(dd_umap *m, uint64_t key);

/* 64-bit hash of bytes (FNV-1a folded through a mixer): fast, not for untrusted keys under attack. */
uint64_t dd_hash_bytes(const void *p, size_t n);
uint64_t dd_hash_u64(uint64_t x);

#endif
