/*
 * fuzz-tw-parse.c: libFuzzer harness for the parse half of the
 * Taskwarrior importer: the input read into plain records and every task
 * checked with the pure validators (fmt_tw_parse), with no store, so it
 * runs thousands of inputs a second.  fuzz-tw keeps the store-writing
 * path (import, then every exporter over what it wrote).
 */
#include <stdint.h>
#include <stdlib.h>

#include "fmt/fmt-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	size_t n = 0;

	/* What cairn_import checks before any importer sees the input. */
	if (fmt_check_text((const char *)data, size, CAIRN_IMPORT_MAX_JSON,
	                   "taskwarrior", "fuzz", &err))
		return 0;
	if (!fmt_tw_parse((const char *)data, size, "fuzz", &n, &err) && !n &&
	    size > 2 && data[0] == '{')
		abort(); /* a task parsed into nothing */
	return 0;
}
