/* test_store_user.c - the store side of the web: users, sessions, household search (sqlite_user.c). */
#include "unit_store.h"

#include "core/id.h"
#include "core/registry.h"
#include "store/store.h"

#include <stdlib.h>
#include <unistd.h>


static void test_users(void **state)
{
	dd_store *st = ut_store_new();
	dd_arena mem;
	dd_user u = { "twn", "township", "230304200", NULL, "$argon2id$fake" }, got;
	dd_err err = { 0 };
	int64_t before = 0, after = 0;
	(void)state;
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_audit_count(st, &before, &err), DD_OK);
	assert_int_equal(dd_store_user_add(st, "admin", &u, &err), DD_OK);
	assert_int_equal(dd_store_audit_count(st, &after, &err), DD_OK);
	assert_int_equal(after, before + 1);          /* the creation is audited */
	assert_int_equal(dd_store_user_add(st, "admin", &u, &err), DD_ERR_INPUT);   /* same name */
	assert_int_equal(dd_store_user_get(st, "twn", &got, &mem, &err), DD_OK);
	assert_string_equal(got.role, "township");
	assert_string_equal(got.region, "230304200");
	assert_null(got.dept);
	assert_string_equal(got.pw_hash, "$argon2id$fake");
	assert_int_equal(dd_store_user_get(st, "nobody", &got, &mem, &err), DD_ERR_NOTFOUND);
	dd_arena_release(&mem);
	ut_store_remove(st);
}

static void test_sessions(void **state)
{
	dd_store *st = ut_store_new();
	dd_arena mem;
	dd_user u = { "vil", "village", "230304200203", NULL, "h" };
	dd_session s = { .token_hash = "aa", .username = "vil", .csrf = "cc", .client = "127.0.0.1",
			 .idle_until = 1050 }, got;
	dd_err err = { 0 };
	(void)state;
	dd_arena_init(&mem, 0);
	assert_int_equal(dd_store_user_add(st, "admin", &u, &err), DD_OK);
	assert_int_equal(dd_store_session_put(st, &s, &err), DD_OK);
	/* used at 1000 with 100 s idle: 1100 would move it by 50 s, under a minute: not written */
	assert_int_equal(dd_store_session_use(st, "aa", 1000, 100, &got, &mem, &err), DD_OK);
	assert_string_equal(got.user.role, "village");
	assert_string_equal(got.user.region, "230304200203");
	assert_string_equal(got.csrf, "cc");
	assert_int_equal(got.idle_until, 1050);
	/* at 1020: 1120 moves it by 70 s: written */
	assert_int_equal(dd_store_session_use(st, "aa", 1020, 100, &got, &mem, &err), DD_OK);
	assert_int_equal(got.idle_until, 1120);
	assert_int_equal(dd_store_session_use(st, "aa", 1119, 100, &got, &mem, &err), DD_OK);  /* last second */
	assert_int_equal(dd_store_session_use(st, "aa", 1219, 100, &got, &mem, &err), DD_ERR_NOTFOUND);  /* idle_until == now */
	assert_int_equal(dd_store_session_use(st, "bb", 1000, 100, &got, &mem, &err), DD_ERR_NOTFOUND);
	s.token_hash = "dd";
	s.idle_until = 5000;
	assert_int_equal(dd_store_session_put(st, &s, &err), DD_OK);
	assert_int_equal(dd_store_session_end(st, "dd", &err), DD_OK);
	assert_int_equal(dd_store_session_use(st, "dd", 1000, 100, &got, &mem, &err), DD_ERR_NOTFOUND);
	assert_int_equal(dd_store_session_end(st, "dd", &err), DD_ERR_NOTFOUND);   /* ended once */
	dd_arena_release(&mem);
	ut_store_remove(st);
}

static void test_search(void **state)
{
	static const struct {
		const char *name, *q, *region;
		unsigned categories;
		bool fp;
		int64_t offset, limit;
		int64_t total;
		const char *first;   /* household_no of the first item, NULL when none */
	} cases[] = {
		{ "everything, by number", NULL, NULL, 0, false, 0, 20, 3, "H1" },
		{ "page 2 of size 2", NULL, NULL, 0, false, 2, 2, 3, "H3" },
		{ "township prefix", NULL, "230304200", 0, false, 0, 20, 2, "H1" },
		{ "village code", NULL, "230304200205", 0, false, 0, 20, 1, "H2" },
		{ "another county", NULL, "230302", 0, false, 0, 20, 0, NULL },
		{ "household number prefix", "H2", NULL, 0, false, 0, 20, 1, "H2" },
		{ "name substring", "小", NULL, 0, false, 0, 20, 1, "H3" },
		{ "partial ID", "19491230002", NULL, 0, false, 0, 20, 1, "H2" },
		{ "'%' is a character, not a wildcard", "%", NULL, 0, false, 0, 20, 0, NULL },
		{ "'_' is a character, not a wildcard", "_", NULL, 0, false, 0, 20, 0, NULL },
		{ "text and region together", "张", "230304003", 0, false, 0, 20, 0, NULL },
		{ "pinyin initials zs: 张三 and 张四", "zs", NULL, 0, false, 0, 20, 2, "H1" },
		{ "pinyin initials in capitals", "ZS", NULL, 0, false, 0, 20, 2, "H1" },
		{ "pinyin initials wxw: 王小五", "wxw", NULL, 0, false, 0, 20, 1, "H3" },
		{ "initials are a prefix: xw is not 王小五's start", "xw", NULL, 0, false, 0, 20, 0, NULL },
		{ "one letter is not an initials search", "z", NULL, 0, false, 0, 20, 0, NULL },
		{ "category DB", NULL, NULL, DD_CAT_DB, false, 0, 20, 3, "H1" },
		{ "category TK: none", NULL, NULL, DD_CAT_TK, false, 0, 20, 0, NULL },
		{ "FP tag: none", NULL, NULL, 0, true, 0, 20, 0, NULL },
	};
	dd_store *st = ut_store_new();
	dd_err err = { 0 };
	int64_t imp;
	(void)state;
	assert_int_equal(dd_store_import_begin(st, "t", "registry", "h.csv", NULL, &imp, &err), DD_OK);
	ut_household_put(st, imp, "H1", "230304200203", "张三", DD_CAT_DB, "0001");
	ut_household_put(st, imp, "H2", "230304200205", "张四", DD_CAT_DB, "0002");
	ut_household_put(st, imp, "H3", "230304003005", "王小五", DD_CAT_DB, "0003");
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		dd_arena mem;
		dd_household_hit *hits;
		size_t n;
		int64_t total;
		dd_arena_init(&mem, 0);
		dd_household_query f = { .q = cases[i].q, .region = cases[i].region,
					  .categories = cases[i].categories, .fp = cases[i].fp,
					  .offset = cases[i].offset, .limit = cases[i].limit };
		CASE_CHECK(dd_store_household_search(st, &f, &hits, &n, &total, &mem, &err) == DD_OK,
			   cases[i].name);
		CASE_CHECK(total == cases[i].total, cases[i].name);
		CASE_CHECK((n > 0) == (cases[i].first != NULL), cases[i].name);
		if (n) {
			CASE_STR_EQ(hits[0].household_no, cases[i].first, cases[i].name);
			CASE_CHECK(hits[0].head_name && hits[0].head_id && hits[0].categories == DD_CAT_DB,
				   cases[i].name);
		}
		dd_arena_release(&mem);
	}
	ut_store_remove(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
