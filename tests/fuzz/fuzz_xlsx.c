/* fuzz_xlsx.c - arbitrary bytes as a .xlsx file through dd_table: no crash, no leak, bounded memory. */
#include "fuzz_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_table(data, size, "xlsx");
}
