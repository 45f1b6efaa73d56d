/*
 * fuzz-md-parse.c: libFuzzer harness for the reading half of the
 * Markdown importer: front matter, lists, titles, bodies, links and
 * metric lines, every item, note and link checked with the validators
 * of the commands (fmt_md_parse), with no store, so it runs thousands of
 * inputs a second.  fuzz-md keeps the store-writing path.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fmt/fmt-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	/* What cairn_import checks before any importer sees the input. */
	if (fmt_check_text((const char *)data, size, CAIRN_IMPORT_MAX_MD, "md",
	                   "fuzz", &err))
		return 0;
	fmt_md_parse((const char *)data, size, "fuzz", &err);
	return 0;
}
