/*
 * fuzz-md-roundtrip.c: libFuzzer harness for the Markdown round trip.
 * Whatever Markdown the input is, once cairn has imported it, exporting,
 * importing that into an empty store and exporting again must give the
 * same text.  A difference aborts (a finding), showing both texts.
 */
#include "fuzz-import.h"

static struct cairn_store *fuzz_st2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_export_opts eo = {CAIRN_VIS_PRIVATE};
	struct buf a = BUF_INIT, b = BUF_INIT;

	fuzz_open();
	if (!fuzz_st2) {
		char dir[] = "/tmp/cairn-fuzz2.XXXXXX";
		char path[64];

		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/two.db", dir);
		if (cairn_store_open(&fuzz_st2, path, CAIRN_OPEN_CREATE, &err))
			abort();
	}
	o.source = "fuzz";
	o.visibility = CAIRN_VIS_PRIVATE;
	if (cairn_store_begin(fuzz_st, "fuzz", &err) ||
	    cairn_store_begin(fuzz_st2, "fuzz", &err))
		abort();
	if (!cairn_import(fuzz_st, CAIRN_FORMAT_MD, (const char *)data, size,
	                  &o, NULL, &err) &&
	    !cairn_export(fuzz_st, CAIRN_FORMAT_MD, &eo, &a, &err) &&
	    !cairn_import(fuzz_st2, CAIRN_FORMAT_MD, a.buf, a.len, &o, NULL,
	                  &err)) {
		if (cairn_export(fuzz_st2, CAIRN_FORMAT_MD, &eo, &b, &err))
			abort();
		if (strcmp(a.buf, b.buf)) {
			fprintf(stderr,
			        "round trip differs\n--- first export\n%s"
			        "--- second export\n%s---\n",
			        a.buf, b.buf);
			abort();
		}
	}
	cairn_store_rollback(fuzz_st);
	cairn_store_rollback(fuzz_st2);
	buf_release(&a);
	buf_release(&b);
	return 0;
}
