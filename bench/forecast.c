/*
 * bench/forecast.c: how fast the Monte Carlo forecast runs on generated
 * roadmaps, and that its memory does not grow with the number of trials.
 *
 *	bench-forecast [--threads T] [--capacity K]... [--nodes N] [--quick]
 *
 * For 500 and 10,000 milestones (or N only), each at 10,000 and 100,000 trials,
 *and for each --capacity given (default 1; several compare work streams), a
 * child process builds the roadmap and runs the forecast; the parent
 * prints the forecast's wall time, its ratio to the first capacity's for
 * the same roadmap and trials, node-samples (effort draws) per second,
 * the child's CPU time (user + system, all threads) and its peak resident
 * set from wait4().  The chance and the mean and P50 in days identify
 * the results: a faster scheduler must print the same ones.  wall_s and
 *samples/s time the forecast alone; cpu_s covers the whole child, roadmap
 *generation included.  The roadmap generator is deterministic: milestones with
 *integer three-point estimates (1..10 / +0..15 / +0..30 days), nine in ten
 *certain and the rest with a p_success from 0.90 to 0.99, each building on up
 *to three earlier ones, mostly recent (a roadmap, not a random graph).
 *
 * Not a timed test: it reports numbers (STYLE.md, Tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cairn/core/buf.h"
#include "cairn/plan/forecast.h"

static uint64_t gen_state;

static uint32_t
gen(uint32_t n)
{
	gen_state = gen_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((gen_state >> 33) % n);
}

static void
roadmap(struct cairn_plan *g, size_t n)
{
	struct cairn_err err = CAIRN_ERR_INIT;

	gen_state = 0x9e3779b97f4a7c15ull ^ n;
	cairn_plan_init(g);
	for (size_t i = 0; i < n; i++) {
		double o = 1 + gen(10), m = o + gen(16), p = m + gen(31);
		double est[3] = {o, m, p};
		double ps = gen(10) ? 1 : 0.90 + gen(10) / 100.0;

		if (cairn_plan_add_node(g, (int64_t)i + 1, est, ps, 0, &err) <
		    0) {
			fprintf(stderr, "bench: %s\n", err.msg);
			exit(1);
		}
		for (int k = (int)gen(4); k > 0 && i > 0; k--) {
			/* Mostly one of the last 20, now and then anything. */
			size_t back =
			        gen(8) ? 1 + gen(i < 20 ? (uint32_t)i : 20)
			               : 1 + gen((uint32_t)i);

			cairn_plan_add_edge(g, i, i - back, &err);
		}
	}
	if (cairn_plan_finish(g, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		exit(1);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct result {
	double build, wall, chance, p50, mean;
	uint64_t samples;
	size_t edges;
};

static void
child(int fd, size_t n, uint64_t trials, int threads, int capacity)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_forecast f;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_plan g;
	struct result r;
	double t0;

	memset(&r, 0, sizeof(r));
	t0 = now();
	roadmap(&g, n);
	r.build = now() - t0;
	r.edges = g.nedges;
	o.trials = trials;
	o.seed = 1;
	o.threads = threads;
	o.capacity = capacity;
	t0 = now();
	if (cairn_forecast_run(&g, &o, &f, &err)) {
		fprintf(stderr, "bench: %s\n", err.msg);
		_exit(1);
	}
	r.wall = now() - t0;
	r.samples = f.samples;
	r.chance = f.chance;
	r.p50 = f.p50;
	r.mean = f.mean;
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	cairn_forecast_release(&f);
	cairn_plan_release(&g);
	_exit(0);
}

/* One run; returns its wall time, or -1.  base: the first capacity's. */
static double
measure(size_t n, uint64_t trials, int threads, int capacity, double base)
{
	struct result r;
	struct rusage ru;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(fds[0]);
		child(fds[1], n, trials, threads, capacity);
	}
	close(fds[1]);
	if (read(fds[0], &r, sizeof(r)) != (ssize_t)sizeof(r)) {
		close(fds[0]);
		waitpid(pid, &status, 0);
		fprintf(stderr, "bench: the child failed\n");
		return -1;
	}
	close(fds[0]);
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	printf("%6zu %6zu %8llu %7d %3d %7.3f %7.3f %6.2f %7.3f %10.3g %8ld "
	       "%7.4f %9.1f %12.6f\n",
	       n, r.edges, (unsigned long long)trials, threads, capacity,
	       r.build, r.wall, base > 0 ? r.wall / base : 1,
	       (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
	               (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6,
	       (double)r.samples / r.wall, ru.ru_maxrss, r.chance, r.p50,
	       r.mean);
	return r.wall;
}

int
main(int argc, char **argv)
{
	size_t sizes[] = {500, 10000}, nsizes = 2;
	static const uint64_t trials[] = {10000, 100000};
	int threads = 0, caps[8], ncaps = 0, quick = 0, rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--capacity") && i + 1 < argc &&
		         ncaps < 8 && atoi(argv[i + 1]) > 0)
			caps[ncaps++] = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--nodes") && i + 1 < argc &&
		         atoi(argv[i + 1]) > 0) {
			sizes[0] = (size_t)atoi(argv[++i]);
			nsizes = 1;
		} else if (!strcmp(argv[i], "--quick"))
			quick = 1;
		else {
			fprintf(stderr, "usage: bench-forecast [--threads T] "
			                "[--capacity K]... [--nodes N] "
			                "[--quick]\n");
			return 2;
		}
	}
	if (!threads)
		threads = cairn_cpu_count();
	if (!ncaps)
		caps[ncaps++] = 1;
	printf("forecast benchmark: %d thread(s), seed 1\n", threads);
	/* Other work on the machine skews wall times: say how much. */
	{
		FILE *f = fopen("/proc/loadavg", "r");
		double l1;

		if (f && fscanf(f, "%lf", &l1) == 1)
			printf("load average before the runs: %.2f on %d "
			       "CPUs\n",
			       l1, cairn_cpu_count());
		if (f)
			fclose(f);
	}
	printf("%6s %6s %8s %7s %3s %7s %7s %6s %7s %10s %8s %7s %9s %12s\n",
	       "nodes", "edges", "trials", "threads", "cap", "build_s",
	       "wall_s", "ratio", "cpu_s", "samples/s", "rss_kib", "chance",
	       "p50_days", "mean_days");
	for (size_t s = 0; s < nsizes; s++)
		for (size_t t = quick ? 1 : 0; t < 2; t++) {
			double base = 0;

			for (int c = 0; c < ncaps; c++) {
				double w = measure(sizes[s], trials[t], threads,
				                   caps[c], base);

				if (w < 0)
					rc = 1;
				if (!c)
					base = w;
			}
		}
	return rc;
}
