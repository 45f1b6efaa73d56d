/* fuzz-md.c: libFuzzer harness for the importer of Markdown roadmaps (front
 * matter, lists, links). */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(CAIRN_FORMAT_MD, data, size);
	return 0;
}
