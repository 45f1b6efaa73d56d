/*
 * fuzz-md-reimport2.c: libFuzzer harness for Markdown re-import across
 * file names (lib/fmt/md-match.c matches by content whatever the file is
 * called).  The input is one Markdown file A, or C and A split at the
 * first "\n%%\n" (C, imported first as "other.md", puts items of another
 * source in the store).  Import A as "a.md" and export it as B; import B
 * as "b.md", then A as "a.md" again: neither may add or update anything,
 * and the store must export B again.
 */
#include "fuzz-import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
import_or_abort(const char *what, const char *source, const char *d, size_t n)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_import_result r;

	o.source = source;
	o.visibility = CAIRN_VIS_PRIVATE;
	if (cairn_import(fuzz_st, CAIRN_FORMAT_MD, d, n, &o, &r, &err)) {
		fprintf(stderr, "%s failed: %s\n", what, err.msg);
		abort();
	}
	if (r.added || r.updated) {
		fprintf(stderr,
		        "%s changed the store: %zu added, %zu updated\n", what,
		        r.added, r.updated);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_export_opts eo = {CAIRN_VIS_PRIVATE};
	struct buf b = BUF_INIT, again = BUF_INIT;
	const char *d = (const char *)data, *a = d, *sep = NULL;
	size_t alen = size;

	for (size_t i = 0; i + 4 <= size; i++)
		if (!memcmp(d + i, "\n%%\n", 4)) {
			sep = d + i;
			break;
		}
	if (sep) {
		a = sep + 4;
		alen = size - (size_t)(a - d);
	}
	fuzz_open();
	o.visibility = CAIRN_VIS_PRIVATE;
	if (cairn_store_begin(fuzz_st, "fuzz", &err))
		abort();
	o.source = "other.md";
	if (sep && cairn_import(fuzz_st, CAIRN_FORMAT_MD, d,
	                        (size_t)(sep - d) + 1, &o, NULL, &err))
		goto out; /* C is not a roadmap: nothing to test */
	o.source = "a.md";
	if (cairn_import(fuzz_st, CAIRN_FORMAT_MD, a, alen, &o, NULL, &err) ||
	    cairn_export(fuzz_st, CAIRN_FORMAT_MD, &eo, &b, &err))
		goto out;
	import_or_abort("importing the export as b.md", "b.md", b.buf, b.len);
	import_or_abort("importing a.md again", "a.md", a, alen);
	if (cairn_export(fuzz_st, CAIRN_FORMAT_MD, &eo, &again, &err))
		abort();
	if (strcmp(b.buf, again.buf)) {
		fprintf(stderr,
		        "export changed\n--- before\n%s--- after\n%s---\n",
		        b.buf, again.buf);
		abort();
	}
out:
	cairn_store_rollback(fuzz_st);
	buf_release(&b);
	buf_release(&again);
	return 0;
}
