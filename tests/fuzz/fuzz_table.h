/* fuzz_table.h - shared body of the table-reader fuzz targets (fuzz_csv, fuzz_xlsx). */
#ifndef FUZZ_TABLE_H
#define FUZZ_TABLE_H

#include "io/io.h"

#include <stdio.h>
#include <unistd.h>

static const char *const kinds[] = { "A|甲", "B|乙", NULL };
static const dd_column cols[] = {
	{ .key = "id_number", .zh = "身份证号", .type = DD_T_ID, .required = true },
	{ .key = "name", .zh = "姓名", .type = DD_T_TEXT },
	{ .key = "amount", .zh = "金额", .type = DD_T_MONEY },
	{ .key = "day", .zh = "日期", .type = DD_T_DATE },
	{ .key = "month", .zh = "月份", .type = DD_T_MONTH },
	{ .key = "flag", .zh = "是否", .type = DD_T_BOOL },
	{ .key = "grade", .zh = "等级", .type = DD_T_INT, .min = 1, .max = 4 },
	{ .key = "kinds", .zh = "类别", .type = DD_T_LIST, .choices = kinds },
	{ .key = "kind", .zh = "类型", .type = DD_T_ENUM, .choices = kinds },
};
static const dd_schema schema = { .name = "fuzz", .cols = cols, .ncols = DD_ARRAY_LEN(cols),
				  .id_keep_bad_check = true };

/* Writes the bytes to a temporary file with extension `ext` and reads it through dd_table. */
static int fuzz_table(const uint8_t *data, size_t size, const char *ext)
{
	char path[64];
	FILE *fp;
	dd_table *t;
	dd_row *row;
	dd_err err = { 0 };

	/* the readers work on files (minizip, streaming reads), so the input becomes one */
	snprintf(path, sizeof path, "/tmp/fuzz_table-%d.%s", (int)getpid(), ext);
	if (!(fp = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	if (dd_table_open(&t, path, &schema, NULL, &err) == DD_OK) {
		while (dd_table_next(t, &row, &err) == DD_OK)
			;
		dd_table_close(t);
	}
	unlink(path);
	return 0;
}

#endif
