/*
 * fuzz-md-reimport.c: libFuzzer harness for Markdown re-import (matching
 * by title, then place; lib/fmt/md-match.c).  The input is two Markdown files
 * split at the first "\n%%\n" (without one, the same file twice).
 * Import A, then B under the same source name, then B again: the last
 * must add nothing and update nothing.
 */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_import_result r1, r2, r3;
	const char *d = (const char *)data, *sep = NULL;
	size_t alen = size;
	const char *b = d;
	size_t blen = size;

	for (size_t i = 0; i + 4 <= size; i++)
		if (!memcmp(d + i, "\n%%\n", 4)) {
			sep = d + i;
			break;
		}
	if (sep) {
		alen = (size_t)(sep - d) + 1;
		b = sep + 4;
		blen = size - (size_t)(b - d);
	}
	fuzz_open();
	o.source = "fuzz";
	o.visibility = CAIRN_VIS_PRIVATE;
	if (cairn_store_begin(fuzz_st, "fuzz", &err))
		abort();
	if (!cairn_import(fuzz_st, CAIRN_FORMAT_MD, d, alen, &o, &r1, &err) &&
	    !cairn_import(fuzz_st, CAIRN_FORMAT_MD, b, blen, &o, &r2, &err)) {
		if (cairn_import(fuzz_st, CAIRN_FORMAT_MD, b, blen, &o, &r3,
		                 &err)) {
			fprintf(stderr, "third import failed: %s\n", err.msg);
			abort();
		}
		if (r3.added || r3.updated) {
			fprintf(stderr,
			        "not idempotent: %zu added, %zu updated\n",
			        r3.added, r3.updated);
			abort();
		}
	}
	cairn_store_rollback(fuzz_st);
	return 0;
}
