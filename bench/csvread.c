/*
 * csvread.c - the table reader alone (src/io: dd_table_open + dd_table_next),
 * on feed files with their kinds' schemas, no error file.
 *
 *   make build/csvread
 *   build/csvread [-r RUNS] KIND:FILE...     e.g. medical:g/feeds/medical/2025-01.csv
 *
 * Prints the rows, the best of RUNS (default 3) over all files, rows/s, MB/s,
 * ns a row, and a digest of every typed value (line, errors, text, numbers,
 * ID keys): two builds that read the same files the same way print the same
 * digest.
 */
#include "core/dd.h"
#include "ingest/ingest.h"
#include "io/io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* FNV-1a over everything a row hands out. */
static void mix(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * UINT64_C(1099511628211);
}

static void mix_row(uint64_t *h, const dd_schema *sc, const dd_row *row)
{
	mix(h, &row->line, sizeof row->line);
	mix(h, &row->nerrors, sizeof row->nerrors);
	for (size_t c = 0; c < sc->ncols; c++) {
		const dd_value *v = &row->values[c];
		mix(h, &v->present, sizeof v->present);
		mix(h, v->text, v->len + 1);
		switch (sc->cols[c].type) {
		case DD_T_ID:
			mix(h, &v->id_bad_check, sizeof v->id_bad_check);
			if (v->present) {
				mix(h, &v->id.key, sizeof v->id.key);
				mix(h, &v->id.birth, sizeof v->id.birth);
			}
			break;
		case DD_T_MONEY:
			mix(h, &v->v.fen, sizeof v->v.fen);
			break;
		case DD_T_DATE:
			mix(h, &v->v.date, sizeof v->v.date);
			break;
		case DD_T_MONTH:
			mix(h, &v->v.month, sizeof v->v.month);
			break;
		case DD_T_INT:
			mix(h, &v->v.i, sizeof v->v.i);
			break;
		case DD_T_BOOL:
			mix(h, &v->v.b, sizeof v->v.b);
			break;
		default:
			break;
		}
	}
}

int main(int argc, char **argv)
{
	int runs = 3, a = 1;
	int64_t best = -1;
	long rows = 0;
	uint64_t digest = 0;
	double bytes = 0;

	if (a + 1 < argc && strcmp(argv[a], "-r") == 0) {
		runs = atoi(argv[a + 1]);
		a += 2;
	}
	if (a >= argc || runs < 1) {
		fprintf(stderr, "usage: csvread [-r RUNS] KIND:FILE...\n");
		return 2;
	}
	for (int r = 0; r < runs; r++) {
		int64_t t0 = dd_clock_us();
		uint64_t h = UINT64_C(14695981039346656037);
		rows = 0;
		for (int i = a; i < argc; i++) {
			const char *colon = strchr(argv[i], ':');
			char kind[32];
			const dd_feed_kind *k;
			dd_table *t;
			dd_row *row;
			dd_err err = { 0 };
			dd_rc rc;

			snprintf(kind, sizeof kind, "%.*s", colon ? (int)(colon - argv[i]) : 0, argv[i]);
			if (!colon || !(k = dd_feed_kind_find(kind))) {
				fprintf(stderr, "csvread: %s: expected KIND:FILE with a feed kind\n", argv[i]);
				return 2;
			}
			if (dd_table_open(&t, colon + 1, k->schema, NULL, &err) != DD_OK) {
				fprintf(stderr, "csvread: %s: %s\n", colon + 1, err.msg);
				return 1;
			}
			while ((rc = dd_table_next(t, &row, &err)) == DD_OK) {
				rows++;
				mix_row(&h, k->schema, row);
			}
			dd_table_close(t);
			if (rc != DD_DONE) {
				fprintf(stderr, "csvread: %s: %s\n", colon + 1, err.msg);
				return 1;
			}
			if (r == 0) {
				struct stat st;
				bytes += stat(colon + 1, &st) == 0 ? (double)st.st_size : 0;
			}
		}
		int64_t us = dd_clock_us() - t0;
		if (best < 0 || us < best)
			best = us;
		digest = h;
	}
	printf("rows %ld  best of %d %.3f s  %.2f M rows/s  %.1f MB/s  %.1f ns/row  digest %016llx\n", rows,
	       runs, (double)best / 1e6, (double)rows / (double)best, bytes / (double)best,
	       rows ? (double)best * 1000.0 / (double)rows : 0.0, (unsigned long long)digest);
	return 0;
}
