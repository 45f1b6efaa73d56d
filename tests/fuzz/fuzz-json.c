/* fuzz-json.c: libFuzzer harness for the importer of cairn's JSON dump (restore
 * and merge). */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(CAIRN_FORMAT_JSON, data, size);
	return 0;
}
