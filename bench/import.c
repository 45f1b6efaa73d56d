/*
 * bench/import.c: how fast `cairn import` reads Taskwarrior tasks.
 *
 *	bench-import [N] [DIR] [rich|plain]
 *
 * Generates N tasks (default 100,000) the way `task export` writes them,
 * in two shapes: "rich" tasks have a project (200 of them, two levels
 * deep), two tags, a due date, a priority, an annotation, and every other
 * one depends on an earlier task (about 5.5 rows and as many journal
 * events per task); "plain" tasks have a project, an entry time and a
 * status (2 rows a task).  Imports each into a fresh store (in DIR, else a
 * temporary folder) through cairn_import, one change, and reports items
 * per second; then imports the same tasks again (every item matched by
 * uuid, nothing added) and reports that too.  Aim: 50,000 items/s.
 * A third argument runs one shape only (DIR "" for a temporary folder),
 * for profiling: `perf record -g bench-import 100000 "" rich`.
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
generate_plain(struct buf *out, long n)
{
	char u[37];

	buf_adds(out, "[\n");
	for (long i = 0; i < n; i++) {
		uuid_of(u, i + 1);
		buf_addf(out,
		         "%s{\"id\":%ld,\"description\":\"Task %ld of the "
		         "benchmark roadmap\",\"entry\":\"20260301T090000Z\","
		         "\"project\":\"Project%ld\",\"status\":\"pending\","
		         "\"uuid\":\"%s\"}",
		         i ? ",\n" : "", i + 1, i + 1, i % 200, u);
	}
	buf_adds(out, "\n]\n");
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

/* Import data twice into a fresh store at path; print the rates. */
static int
run(const char *shape, const char *path, const struct buf *data, long n)
{
	struct cairn_store *st;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_result r;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	double t0, t1;
	size_t items;

	if (cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err)) {
		fprintf(stderr, "bench-import: %s\n", err.msg);
		return 1;
	}
	o.source = "bench.json";
	t0 = now();
	if (cairn_import(st, CAIRN_FORMAT_TASKWARRIOR, data->buf, data->len, &o,
	                 &r, &err)) {
		fprintf(stderr, "bench-import: %s\n", err.msg);
		return 1;
	}
	t1 = now();
	items = r.added + r.updated + r.unchanged;
	printf("%s import: %zu items (%ld tasks, %zu project items), %zu "
	       "rows, %.1f MB of JSON, in %.2f s: %.0f items/s\n",
	       shape, items, n, items - (size_t)n, r.rows,
	       (double)data->len / 1e6, t1 - t0, (double)items / (t1 - t0));
	t0 = now();
	if (cairn_import(st, CAIRN_FORMAT_TASKWARRIOR, data->buf, data->len, &o,
	                 &r, &err)) {
		fprintf(stderr, "bench-import: %s\n", err.msg);
		return 1;
	}
	t1 = now();
	printf("%s again:  %zu added, %zu unchanged in %.2f s: %.0f "
	       "items/s\n",
	       shape, r.added, r.unchanged, t1 - t0,
	       (double)(r.added + r.updated + r.unchanged) / (t1 - t0));
	cairn_store_free(st);
	return 0;
}

static void
remove_store(const char *path)
{
	static const char *const ext[] = {"", "-wal", "-shm", ".lock"};
	struct buf p = BUF_INIT;

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		buf_reset(&p);
		buf_addf(&p, "%s%s", path, ext[i]);
		unlink(p.buf);
	}
	buf_release(&p);
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	char dir[] = "/tmp/cairn-bench.XXXXXX";
	const char *base = argc > 2 && *argv[2] ? argv[2] : NULL;
	const char *only = argc > 3 ? argv[3] : NULL;
	struct buf data = BUF_INIT, path = BUF_INIT;
	int rc = 0;

	if (n <= 0)
		return 2;
	setenv("CAIRN_NOW", "2026-03-01T09:00:00Z", 0);
	if (!base && !(base = mkdtemp(dir))) {
		perror("mkdtemp");
		return 1;
	}
	buf_addf(&path, "%s/bench.db", base);
	for (int shape = 0; shape < 2 && !rc; shape++) {
		if (only && strcmp(only, shape ? "plain" : "rich"))
			continue;
		remove_store(path.buf);
		buf_reset(&data);
		if (shape)
			generate_plain(&data, n);
		else
			generate(&data, n);
		rc = run(shape ? "plain" : "rich ", path.buf, &data, n);
	}
	remove_store(path.buf);
	if (base == dir)
		rmdir(dir);
	buf_release(&data);
	buf_release(&path);
	return rc;
}
