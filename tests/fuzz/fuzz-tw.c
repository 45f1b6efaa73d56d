/* fuzz-tw.c: libFuzzer harness for the importer of Taskwarrior JSON (an array
 * or one task a line). */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one(CAIRN_FORMAT_TASKWARRIOR, data, size);
	return 0;
}
