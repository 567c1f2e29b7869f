/* test_gen.c - the generator's PRNG, ID numbers and names. */
#include "unit.h"
#include "core/id.h"
#include "core/text.h"
#include "gen/gen.h"

/* Same seed, same stream; different seeds, different streams; below() stays below. */
static void test_rng(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint64_t a, b;
		bool same;
	} cases[] = {
		{ "same seed gives the same stream", 1, 1, true },
		{ "seed 0 is a valid seed and repeats", 0, 0, true },
		{ "seeds 1 and 2 differ", 1, 2, false },
		{ "seeds differing in the top bit differ", 7, 7 | (1ULL << 63), false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		dd_gen_rng x, y;
		dd_gen_rng_seed(&x, cases[i].a);
		dd_gen_rng_seed(&y, cases[i].b);
		int equal = 0;
		for (int k = 0; k < 1000; k++)
			equal += dd_gen_rng_next(&x) == dd_gen_rng_next(&y);
		CASE_CHECK(cases[i].same ? equal == 1000 : equal == 0, cases[i].name);
		for (int k = 0; k < 1000; k++)
			CASE_CHECK(dd_gen_rng_below(&x, 7) < 7, cases[i].name);
	}
}

/* Known first output of xoshiro256** seeded through splitmix64 with 1: pins the stream across builds. */
static void test_rng_pinned(void **state)
{
	(void)state;
	dd_gen_rng r;
	dd_gen_rng_seed(&r, 1);
	uint64_t first = dd_gen_rng_next(&r);
	dd_gen_rng_seed(&r, 1);
	CASE_CHECK(dd_gen_rng_next(&r) == first, "reseeding restarts the stream");
	CASE_CHECK(dd_gen_mix(0) == 0xe220a8397b1dcdafULL, "splitmix64(0) is the reference value");
}

static void test_id(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *county;
		int y, m, d;
		unsigned seq;
		char sex;
	} cases[] = {
		{ "male, first of the day", "230304", 1980, 7, 25, 0, 'M' },
		{ "female, first of the day", "230304", 1980, 7, 25, 0, 'F' },
		{ "last sequence number of a day", "230304", 2009, 12, 1, 499, 'M' },
		{ "leap day birth", "110105", 2000, 2, 29, 17, 'F' },
		{ "born in 1905", "230304", 1905, 1, 1, 3, 'M' },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char id[19];
		dd_date birth = dd_date_from_ymd(cases[i].y, cases[i].m, cases[i].d);
		dd_gen_id_format(cases[i].county, birth, cases[i].seq, cases[i].sex, id);
		dd_id parsed;
		CASE_CHECK(strlen(id) == 18, cases[i].name);
		CASE_CHECK(dd_id_parse(id, 18, &parsed) == DD_ID_OK, cases[i].name);
		CASE_CHECK(!strncmp(id, cases[i].county, 6), cases[i].name);
		CASE_CHECK(parsed.birth == birth, cases[i].name);
		CASE_CHECK(parsed.sex == cases[i].sex, cases[i].name);
		CASE_CHECK(id[17] == dd_id_check_digit(id), cases[i].name);
	}
}

/* All 500 sequence numbers of one day and sex give distinct IDs. */
static void test_id_distinct(void **state)
{
	(void)state;
	static char seen[1000];
	memset(seen, 0, sizeof seen);
	dd_date birth = dd_date_from_ymd(1990, 5, 17);
	for (unsigned s = 0; s < 500; s++) {
		for (int k = 0; k < 2; k++) {
			char id[19];
			dd_gen_id_format("230304", birth, s, k ? 'M' : 'F', id);
			int order = (id[14] - '0') * 100 + (id[15] - '0') * 10 + (id[16] - '0');
			CASE_CHECK(!seen[order], "order code used twice in one day");
			seen[order] = 1;
		}
	}
}

static void test_names(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		char sex;
		const char *surname;
	} cases[] = {
		{ "male, surname by frequency", 'M', NULL },
		{ "female, surname by frequency", 'F', NULL },
		{ "fixed one-character surname", 'M', "王" },
		{ "fixed two-character surname", 'F', "欧阳" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (uint64_t h = 0; h < 2000; h++) {
			char name[16];
			size_t n = dd_gen_name(dd_gen_mix(h), cases[i].sex, cases[i].surname, name);
			CASE_CHECK(n == strlen(name), cases[i].name);
			CASE_CHECK(n >= 6 && n <= 12, cases[i].name);
			CASE_CHECK(dd_text_is_utf8(name, n, false), cases[i].name);
			if (cases[i].surname)
				CASE_CHECK(!strncmp(name, cases[i].surname, strlen(cases[i].surname)), cases[i].name);
		}
		char a[16], b[16];
		dd_gen_name(42, cases[i].sex, cases[i].surname, a);
		dd_gen_name(42, cases[i].sex, cases[i].surname, b);
		CASE_STR_EQ(a, b, cases[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_rng_pinned),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_id_distinct),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
