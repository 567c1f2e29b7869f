/* test_policy_cache.c - the server's shared policy (http_policy): parsed once per stored text. */
#include "unit_store.h"

#include "http/http_int.h"

static void test_cache(void **state)
{
	static const struct {
		const char *name;
		const char *text;        /* stored before the call; NULL: leave as it is */
		int notice_days;         /* what the policy must say */
		bool same;               /* the same parsed policy as the call before */
	} cases[] = {
		{ "nothing stored: the defaults", NULL, 7, false },
		{ "nothing changed: the cached one", NULL, 7, true },
		{ "a new text is parsed", "[procedure]\nnotice_days = 9\n", 9, false },
		{ "the same text again: cached", NULL, 9, true },
		{ "another text", "[procedure]\nnotice_days = 5\n", 5, false },
	};
	dd_store *st = ut_store_new();
	const dd_policy *prev = NULL;
	dd_err err = { 0 };
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(cases); i++) {
		const dd_policy *p = NULL;
		if (cases[i].text)
			CASE_CHECK(dd_store_meta_set(st, "t", "policy", cases[i].text, &err) == DD_OK, cases[i].name);
		CASE_CHECK(http_policy(st, &p, &err) == DD_OK && p, cases[i].name);
		CASE_CHECK(p->notice_days == cases[i].notice_days, cases[i].name);
		CASE_CHECK((p == prev) == cases[i].same, cases[i].name);
		/* a reference outlives the cache's moving on: prev is released only now */
		http_policy_release(prev);
		prev = p;
	}
	http_policy_release(prev);
	http_policy_forget();   /* nothing left: ASan's leak check has the last word */
	ut_store_remove(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
