/*
 * gen.h - a synthetic but realistic county (`doudi gen`, FORMATS.md §5).
 *
 * Writes the registry CSVs (FORMATS.md §2), a year of department feeds
 * (§3), monthly payments (§3.1) and the lists of planted warning cases
 * (planted.csv, planted_negative.csv, planted_funds.csv).  Everything is a
 * pure function of the options: the same seed gives byte-identical files.
 * See docs/internals/gen.md.
 */
#ifndef DD_GEN_H
#define DD_GEN_H

#include "../core/dd.h"
#include "../core/date.h"

/* xoshiro256**: small, fast, good enough for test data.  Plain value, nothing to free. */
typedef struct dd_gen_rng {
	uint64_t s[4];
} dd_gen_rng;

/* Seeds all four words from `seed` through splitmix64 (any seed is fine, 0 too). */
void dd_gen_rng_seed(dd_gen_rng *r, uint64_t seed);
uint64_t dd_gen_rng_next(dd_gen_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t dd_gen_rng_below(dd_gen_rng *r, uint64_t n);
/* splitmix64 finaliser: a stateless 64-bit hash, for per-person decisions. */
uint64_t dd_gen_mix(uint64_t x);

/*
 * Writes an 18-character ID (GB 11643) and a NUL: `county` (6 digits),
 * the birth date, the sequence `seq` (0..499) spread over the three-digit
 * order code (a per-day permutation, so distinct seq give distinct IDs)
 * with its last digit odd for 'M' and even for 'F', and the check digit.
 */
void dd_gen_id_format(const char *county, dd_date birth, unsigned seq, char sex, char out[19]);

/*
 * A Chinese name (surname by frequency, one or two given characters by sex)
 * chosen by the bits of `h`; `surname` (NULL = from h) fixes the surname.
 * Writes UTF-8 and a NUL into out (at most 16 bytes); returns its length.
 */
size_t dd_gen_name(uint64_t h, char sex, const char *surname, char out[16]);

typedef struct dd_gen_opts {
	const char *out_dir;       /* created if missing */
	uint64_t households;       /* registry households, planted ones included */
	uint64_t population;       /* county population in the feeds; 0 = households × 30 */
	int64_t medical_rows;      /* medical rows over the year; -1 = 25 × population */
	uint64_t seed;
	char county[7];            /* 6-digit county code present in the region table */
	int year;                  /* the feeds cover January..December of this year */
	bool no_feeds;             /* registry, payments and planted lists only */
} dd_gen_opts;

/* Called once per file written, with its path and number of data rows. */
typedef void (*dd_gen_report_fn)(const char *path, uint64_t rows, void *arg);

/* Smallest --households that leaves room for the planted cases. */
#define DD_GEN_MIN_HOUSEHOLDS 200

/*
 * Generates the county into opts->out_dir.  DD_ERR_USAGE for options out
 * of range (unknown county, too few households), DD_ERR_IO when a file
 * cannot be written, DD_ERR_NOMEM.  Holds the registry in memory and the
 * population as 8 bytes per person.
 */
dd_rc dd_gen_run(const dd_gen_opts *opts, dd_gen_report_fn report, void *arg, dd_err *err);

#endif
