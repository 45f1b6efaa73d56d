/*
 * bench/measure.c: run a command several times and report its median wall
 * time and peak memory, for bench/run.sh.
 *
 *	bench-measure [-n RUNS] [-w WARMUP] [-v V1,V2,...] [-x STATUS] CMD
 *	              [ARG]...
 *
 * Runs CMD WARMUP times untimed (default 1), then RUNS times (default 11),
 * each a fresh process with stdout on /dev/null and stderr kept.  In the
 * arguments, "{}" becomes the k-th value of -v (k counting every run,
 * warm-ups included), or k itself without -v: so `done {}` can close a
 * different item each run and `add x{}` gives each run its own title.
 *
 * Prints one line: median, minimum and maximum wall milliseconds, the
 * largest peak resident set of the timed runs in KiB (ru_maxrss from
 * wait4, so no GNU time is needed), and the median CPU milliseconds (user
 * plus system; steadier than wall time on a busy machine).  Exits 1 if any
 * run fails: exits non-zero, other than with -x's STATUS (`check` exits 1
 * when it finds something).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cairn/core/buf.h"

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Split a comma-separated list in place. */
static char **
split(char *s, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	for (char *p = s; p;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return v;
}

/* argv with "{}" replaced by value; the strings are leaked per run. */
static char **
expand(char **args, int nargs, const char *value)
{
	char **out = xcalloc((size_t)nargs + 1, sizeof(*out));

	for (int i = 0; i < nargs; i++) {
		const char *hole = strstr(args[i], "{}");
		struct buf b = BUF_INIT;

		if (!hole) {
			out[i] = args[i];
			continue;
		}
		buf_add(&b, args[i], (size_t)(hole - args[i]));
		buf_adds(&b, value);
		buf_adds(&b, hole + 2);
		out[i] = buf_detach(&b, NULL);
	}
	return out;
}

/* One run: wall milliseconds, peak RSS in KiB, CPU ms; -1 on failure. */
static int ok_status; /* -x: an exit status that also counts as success */

static double
run_once(char **argv, long *rss, double *cpu)
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int status, fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*rss = ru.ru_maxrss;
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	if (!WIFEXITED(status) ||
	    (WEXITSTATUS(status) && WEXITSTATUS(status) != ok_status)) {
		fprintf(stderr, "bench-measure: %s failed (status %d)\n",
		        argv[0], status);
		return -1;
	}
	return (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

int
main(int argc, char **argv)
{
	int runs = 11, warm = 1, ch;
	char **values = NULL;
	size_t nvalues = 0;
	double *ms, *cpu, c;
	long rss, maxrss = 0;

	while ((ch = getopt(argc, argv, "+n:w:v:x:")) != -1) {
		switch (ch) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'w':
			warm = atoi(optarg);
			break;
		case 'v':
			values = split(optarg, &nvalues);
			break;
		case 'x':
			ok_status = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind == argc || runs < 1 || warm < 0)
		goto usage;
	ms = xcalloc((size_t)runs, sizeof(*ms));
	cpu = xcalloc((size_t)runs, sizeof(*cpu));
	for (int k = 0; k < warm + runs; k++) {
		char num[32], **args;
		double t;

		snprintf(num, sizeof(num), "%d", k);
		if (values && (size_t)k >= nvalues) {
			fputs("bench-measure: too few values for -v\n", stderr);
			return 1;
		}
		args = expand(argv + optind, argc - optind,
		              values ? values[k] : num);
		t = run_once(args, &rss, &c);
		free(args);
		if (t < 0)
			return 1;
		if (k < warm)
			continue;
		ms[k - warm] = t;
		cpu[k - warm] = c;
		if (rss > maxrss)
			maxrss = rss;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), by_value);
	qsort(cpu, (size_t)runs, sizeof(*cpu), by_value);
	printf("%.2f %.2f %.2f %ld %.2f\n", ms[runs / 2], ms[0], ms[runs - 1],
	       maxrss, cpu[runs / 2]);
	free(ms);
	free(cpu);
	free(values);
	return 0;
usage:
	fputs("usage: bench-measure [-n RUNS] [-w WARMUP] [-v V1,V2,...] "
	      "CMD [ARG]...\n",
	      stderr);
	return 2;
}
