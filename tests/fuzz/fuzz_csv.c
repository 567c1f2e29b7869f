/* fuzz_csv.c - arbitrary bytes as a .csv file through dd_table: no crash, no leak, bounded memory. */
#include "fuzz_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_table(data, size, "csv");
}
