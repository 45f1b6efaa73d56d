/*
 * bench/import.c: how fast `cairn import` reads Taskwarrior tasks.
 *
 *	bench-import [N] [DIR]
 *
 * Generates N tasks (default 100,000) the way `task export` writes them:
 * 200 projects two levels deep, tags, a due date, a priority, an
 * annotation each, and every other task depending on the one before it in
 * its project.  Imports them into a fresh store (in DIR, else a temporary
 * folder) through cairn_import, one change, and reports items per second;
 * then imports the same tasks again (every item matched by uuid, nothing
 * added) and reports that too.  Aim: at least 50,000 items/s.
 *
 * Reports numbers only: it is not a timed test (STYLE.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cairn/cairn.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
uuid_of(char out[37], long i)
{
	unsigned long a = (unsigned long)i & 0xffffffffu;
	unsigned long b = ((unsigned long)i * 2654435761u) & 0xffffffffffffu;

	snprintf(out, 37, "%08lx-0000-4000-8000-%012lx", a, b);
}

static void
generate(struct buf *out, long n)
{
	char u[37], prev[37];

	buf_adds(out, "[\n");
	for (long i = 0; i < n; i++) {
		long project = i % 200;

		uuid_of(u, i + 1);
		buf_addf(out,
		         "%s{\"id\":%ld,\"description\":\"Task %ld of the "
		         "benchmark roadmap\",\"entry\":\"2026%02ld%02ldT0900"
		         "00Z\",\"modified\":\"20260301T090000Z\","
		         "\"project\":\"Area%ld.Project%ld\",\"status\":\"%s\","
		         "\"uuid\":\"%s\",\"priority\":\"%c\",\"due\":\"2027"
		         "%02ld%02ldT000000Z\",\"tags\":[\"bench\",\"t%ld\"],"
		         "\"annotations\":[{\"entry\":\"20260301T090000Z\","
		         "\"description\":\"note on task %ld\"}]",
		         i ? ",\n" : "", i + 1, i + 1, i % 12 + 1, i % 28 + 1,
		         project / 20, project,
		         i % 10 == 0 ? "completed" : "pending", u, "HML"[i % 3],
		         i % 12 + 1, i % 28 + 1, i % 50, i);
		if (i % 10 == 0)
			buf_adds(out, ",\"end\":\"20260301T100000Z\"");
		if (i % 2 && i >= 200) {
			uuid_of(prev, i + 1 - 200);
			buf_addf(out, ",\"depends\":[\"%s\"]", prev);
		}
		buf_addf(out, ",\"urgency\":%.4f}",
		         1.0 + (double)(i % 97) / 10);
	}
	buf_adds(out, "\n]\n");
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	char dir[] = "/tmp/cairn-bench.XXXXXX";
	const char *base = argc > 2 ? argv[2] : NULL;
	struct buf data = BUF_INIT, path = BUF_INIT;
	struct cairn_store *st;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_result r;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	double t0, t1;
	size_t items;

	if (n <= 0)
		return 2;
	setenv("CAIRN_NOW", "2026-03-01T09:00:00Z", 0);
	if (!base && !(base = mkdtemp(dir))) {
		perror("mkdtemp");
		return 1;
	}
	buf_addf(&path, "%s/bench.db", base);
	unlink(path.buf);
	t0 = now();
	generate(&data, n);
	printf("generated %ld tasks (%.1f MB of JSON) in %.2f s\n", n,
	       (double)data.len / 1e6, now() - t0);
	if (cairn_store_open(&st, path.buf, CAIRN_OPEN_CREATE, &err)) {
		fprintf(stderr, "bench-import: %s\n", err.msg);
		return 1;
	}
	o.source = "bench.json";
	t0 = now();
	if (cairn_import(st, CAIRN_FORMAT_TASKWARRIOR, data.buf, data.len, &o,
	                 &r, &err)) {
		fprintf(stderr, "bench-import: %s\n", err.msg);
		return 1;
	}
	t1 = now();
	items = r.added + r.updated + r.unchanged;
	printf("import: %zu items (%ld tasks and %zu project items), %zu rows "
	       "in %.2f s: %.0f items/s\n",
	       items, n, items - (size_t)n, r.rows, t1 - t0,
	       (double)items / (t1 - t0));
	t0 = now();
	if (cairn_import(st, CAIRN_FORMAT_TASKWARRIOR, data.buf, data.len, &o,
	                 &r, &err)) {
		fprintf(stderr, "bench-import: %s\n", err.msg);
		return 1;
	}
	t1 = now();
	printf("again:  %zu added, %zu unchanged in %.2f s: %.0f items/s\n",
	       r.added, r.unchanged, t1 - t0,
	       (double)(r.added + r.updated + r.unchanged) / (t1 - t0));
	cairn_store_free(st);
	if (base == dir) {
		struct buf rm = BUF_INIT;

		buf_addf(&rm, "%s/bench.db.lock", dir);
		unlink(rm.buf);
		buf_reset(&rm);
		buf_addf(&rm, "%s/bench.db-wal", dir);
		unlink(rm.buf);
		buf_reset(&rm);
		buf_addf(&rm, "%s/bench.db-shm", dir);
		unlink(rm.buf);
		unlink(path.buf);
		rmdir(dir);
		buf_release(&rm);
	}
	buf_release(&data);
	buf_release(&path);
	return 0;
}
