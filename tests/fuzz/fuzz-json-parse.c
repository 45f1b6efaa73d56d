/*
 * fuzz-json-parse.c: libFuzzer harness for the parse half of the JSON
 * dump loader: the document parsed and checked (header, tables, every
 * item row through cairn_item_check) by fmt_json_parse, with no store, so
 * it runs thousands of inputs a second.  fuzz-json keeps the
 * store-writing path (restore and merge).
 */
#include <stdint.h>

#include "fmt/fmt-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	if (fmt_check_text((const char *)data, size, CAIRN_IMPORT_MAX_JSON,
	                   "json", "fuzz", &err))
		return 0;
	fmt_json_parse((const char *)data, size, "fuzz", &err);
	return 0;
}
