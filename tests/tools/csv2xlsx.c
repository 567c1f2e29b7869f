/*
 * csv2xlsx - test helper: converts a UTF-8 CSV into an XLSX the way a
 * caseworker's Excel would hold it: numeric-looking cells as numbers, except
 * columns named in -t (kept as text, like an ID column formatted as text).
 * Usage: csv2xlsx IN.csv OUT.xlsx [-t col1,col2]
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct state {
	lxw_worksheet *ws;
	lxw_row_t row;
	lxw_col_t col;
	const char *textcols;
	char *header[256];
};

static int is_number(const char *s)
{
	char *end;
	if (!*s || strlen(s) > 20)
		return 0;
	strtod(s, &end);
	return *end == '\0' && s[0] != '0' ? 1 : (!strcmp(s, "0"));
}

static int text_col(struct state *st)
{
	if (st->col >= 256 || !st->header[st->col] || !st->textcols)
		return 0;
	char pat[300];
	snprintf(pat, sizeof pat, ",%s,", st->header[st->col]);
	char list[1024];
	snprintf(list, sizeof list, ",%s,", st->textcols);
	return strstr(list, pat) != NULL;
}

static void on_field(void *s, size_t len, void *data)
{
	struct state *st = data;
	char *v = strndup(s ? s : "", len);
	if (st->row == 0 && st->col < 256)
		st->header[st->col] = strdup(v);
	if (st->row > 0 && is_number(v) && !text_col(st))
		worksheet_write_number(st->ws, st->row, st->col, strtod(v, NULL), NULL);
	else if (*v)
		worksheet_write_string(st->ws, st->row, st->col, v, NULL);
	free(v);
	st->col++;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct state *st = data;
	st->row++;
	st->col = 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: csv2xlsx IN.csv OUT.xlsx [-t cols]\n");
		return 1;
	}
	struct state st = { 0 };
	if (argc == 5 && !strcmp(argv[3], "-t"))
		st.textcols = argv[4];
	lxw_workbook *wb = workbook_new(argv[2]);
	st.ws = workbook_add_worksheet(wb, NULL);
	struct csv_parser p;
	csv_init(&p, CSV_APPEND_NULL);
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	char buf[65536];
	size_t n;
	int first = 1;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		char *b = buf;
		if (first && n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3)) {
			b += 3;
			n -= 3;
		}
		first = 0;
		csv_parse(&p, b, n, on_field, on_row, &st);
	}
	csv_fini(&p, on_field, on_row, &st);
	csv_free(&p);
	fclose(f);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
