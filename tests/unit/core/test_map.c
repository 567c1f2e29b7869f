/* test_map.c - hash maps: insert, replace, grow, the zero key. */
#include "unit.h"
#include "core/map.h"

#include <stdio.h>

static void smap_put_get_grow(void **state)
{
	(void)state;
	dd_smap m;
	char keys[5000][16];
	bool existed;
	dd_smap_init(&m);
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "H%05d", i);
		assert_int_equal(dd_smap_put(&m, keys[i], strlen(keys[i]), i * 3, &existed), DD_OK);
		assert_false(existed);
	}
	assert_int_equal(m.len, 5000);
	for (int i = 0; i < 5000; i++) {
		int64_t v = -1;
		assert_true(dd_smap_get(&m, keys[i], strlen(keys[i]), &v));
		assert_int_equal(v, i * 3);
	}
	int64_t v;
	assert_false(dd_smap_get(&m, "H5000", 5, &v));
	/* a prefix of a key is another key */
	assert_false(dd_smap_get(&m, "H0000", 4, &v));
	assert_int_equal(dd_smap_put(&m, keys[7], strlen(keys[7]), -1, &existed), DD_OK);
	assert_true(existed);
	assert_true(dd_smap_get(&m, "H00007", 6, &v));
	assert_int_equal(v, -1);
	assert_int_equal(m.len, 5000);
	dd_smap_release(&m);
}

static void umap_put_get_zero_key(void **state)
{
	(void)state;
	dd_umap m;
	uint64_t v;
	dd_umap_init(&m);
	assert_false(dd_umap_get(&m, 0, &v));
	assert_int_equal(dd_umap_put(&m, 0, 42), DD_OK);
	assert_true(dd_umap_get(&m, 0, &v));
	assert_int_equal(v, 42);
	for (uint64_t k = 1; k <= 100000; k++)
		assert_int_equal(dd_umap_put(&m, k * 1000003ULL, k), DD_OK);
	assert_int_equal(m.len, 100001);
	for (uint64_t k = 1; k <= 100000; k++) {
		assert_true(dd_umap_get(&m, k * 1000003ULL, &v));
		assert_int_equal(v, k);
	}
	assert_false(dd_umap_get(&m, 7, &v));
	uint64_t *slot = dd_umap_slot(&m, 5);
	assert_non_null(slot);
	assert_int_equal(*slot, 0);
	(*slot)++;
	assert_true(dd_umap_get(&m, 5, &v));
	assert_int_equal(v, 1);
	dd_umap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(smap_put_get_grow),
		cmocka_unit_test(umap_put_get_zero_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
