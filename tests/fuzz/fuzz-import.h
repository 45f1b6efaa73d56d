/*
 * fuzz-import.h: what the importer harnesses share.  One store, made once
 * in a temporary folder; every input is imported inside a change that is
 * rolled back, so each starts from the same (empty) store and the JSON
 * loader takes its restore path as well as the merge path (on a second
 * import of the same input).  After a successful import the exporters
 * run over what it wrote, so they see odd data too.
 *
 * Any crash, sanitizer report or leak is a finding; errors returned by
 * the library are the expected outcome for most inputs.
 */
#ifndef CAIRN_FUZZ_IMPORT_H
#define CAIRN_FUZZ_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cairn/cairn.h"

/*
 * Graphviz 2.43's dot layout leaks the edges it makes for clusters (see
 * tests/lsan-graphviz.supp); LeakSanitizer reads this when it is linked.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libgvplugin_dot_layout.so\nleak:libgvc.so\n"
	       "leak:libcgraph.so\n";
}

static struct cairn_store *fuzz_st;

static int
fuzz_write(void *ctx, const char *path, const char *data, size_t len,
           struct cairn_err *err)
{
	(void)ctx;
	(void)path;
	(void)data;
	(void)len;
	(void)err;
	return 0;
}

static void
fuzz_open(void)
{
	char dir[] = "/tmp/cairn-fuzz.XXXXXX";
	char path[64];
	struct cairn_err err = CAIRN_ERR_INIT;

	if (fuzz_st)
		return;
	setenv("CAIRN_NOW", "2026-03-01T09:00:00Z", 1);
	setenv("TZ", "UTC", 1);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/fuzz.db", dir);
	if (cairn_store_open(&fuzz_st, path, CAIRN_OPEN_CREATE, &err)) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		abort();
	}
}

/* Import data as format f (twice), export it every way, roll back. */
static void
fuzz_one(enum cairn_format f, const uint8_t *data, size_t size)
{
	static const enum cairn_format out[] = {
	        CAIRN_FORMAT_JSON,        CAIRN_FORMAT_MD,  CAIRN_FORMAT_JEKYLL,
	        CAIRN_FORMAT_TASKWARRIOR, CAIRN_FORMAT_ICS, CAIRN_FORMAT_DOT,
	        CAIRN_FORMAT_CSV,
	};
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct buf b = BUF_INIT;
	int rc;

	fuzz_open();
	o.source = "fuzz";
	if (cairn_store_begin(fuzz_st, "fuzz", &err))
		abort();
	rc = cairn_import(fuzz_st, f, (const char *)data, size, &o, NULL, &err);
	if (!rc)
		rc = cairn_import(fuzz_st, f, (const char *)data, size, &o,
		                  NULL, &err);
	if (!rc) {
		for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
			cairn_export(fuzz_st, out[i], NULL, &b, &err);
			buf_reset(&b);
		}
		cairn_publish(fuzz_st, fuzz_write, NULL, &err);
	}
	buf_release(&b);
	cairn_store_rollback(fuzz_st);
}

#endif
