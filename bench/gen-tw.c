/*
 * bench/gen-tw.c: a Taskwarrior export of a real-shaped roadmap, for
 * bench/tw.sh.
 *
 *	bench-gen-tw [N] [SEED] > tasks.json
 *
 * Writes N tasks (default 100,000) the way `task export` does, spread
 * over N/100 dotted projects named goalK.msJ (ten milestones a goal), so
 * `cairn import` turns them into goals, milestones and tasks.  Each task
 * depends on 0 to 3 earlier tasks of its own project; 40% are completed
 * (with an end time), the rest pending; each has one to three tags and a
 * priority, 30% have a due date and 10% an annotation.  Entry and
 * modification times spread over 2025, so the journal and the dates have
 * a past to look back on.  The same N and SEED (default 1) give the same
 * bytes: the generator is a splitmix64 stream, not rand().
 *
 * Output is the JSON array only; it reports nothing.  Not a timed test.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static long
rng_below(long n)
{
	return (long)(rng_next() % (uint64_t)n);
}

static void
uuid_of(char out[37], long i)
{
	unsigned long a = (unsigned long)i & 0xffffffffu;
	unsigned long b = ((unsigned long)i * 2654435761u) & 0xffffffffffffu;

	snprintf(out, 37, "%08lx-0000-4000-8000-%012lx", a, b);
}

/* A Taskwarrior timestamp for day (0 = 2025-01-01) and second of day. */
static void
stamp(char out[48], long day, long sec)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	long year = 2025;
	int month = 0;

	for (;;) {
		int leap = year % 4 == 0 && (year % 100 || year % 400 == 0);
		long len = 365 + leap;

		if (day < len)
			break;
		day -= len;
		year++;
	}
	for (;;) {
		int leap = year % 4 == 0 && (year % 100 || year % 400 == 0);
		long len = mdays[month] + (month == 1 && leap);

		if (day < len)
			break;
		day -= len;
		month++;
	}
	snprintf(out, 48, "%04ld%02d%02ldT%02ld%02ld%02ldZ", year, month + 1,
	         day + 1, sec / 3600, sec / 60 % 60, sec % 60);
}

static const char *const tag_names[] = {"writing", "code",  "reading", "data",
                                        "review",  "admin", "talk",    "math",
                                        "lab",     "grant"};

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	long projects, per;
	char u[37], d[37], entry[48], mod[48], other[48];

	if (n <= 0) {
		fprintf(stderr, "bench-gen-tw: N must be positive\n");
		return 2;
	}
	rng_state = seed;
	projects = n / 100 ? n / 100 : 1;
	per = (n + projects - 1) / projects;
	fputs("[\n", stdout);
	for (long i = 0; i < n; i++) {
		long project = i / per, pos = i % per;
		long day = rng_below(330), ntags = 1 + rng_below(3);
		int done = rng_below(10) < 4;

		uuid_of(u, i + 1);
		stamp(entry, day, 9 * 3600 + rng_below(8 * 3600));
		stamp(mod, day + rng_below(30), 9 * 3600 + rng_below(8 * 3600));
		printf("%s{\"id\":%ld,\"description\":\"Task %ld of goal %ld\","
		       "\"entry\":\"%s\",\"modified\":\"%s\","
		       "\"project\":\"goal%ld.ms%ld\",\"status\":\"%s\","
		       "\"uuid\":\"%s\",\"priority\":\"%c\",\"tags\":[",
		       i ? ",\n" : "", done ? 0 : i + 1, i + 1, project / 10,
		       entry, mod, project / 10, project % 10,
		       done ? "completed" : "pending", u, "HML"[rng_below(3)]);
		for (long t = 0; t < ntags; t++)
			printf("%s\"%s\"", t ? "," : "",
			       tag_names[(i + t * 3) % 10]);
		putchar(']');
		if (done)
			printf(",\"end\":\"%s\"", mod);
		if (rng_below(10) < 3) {
			stamp(other, day + 30 + rng_below(300), 0);
			printf(",\"due\":\"%s\"", other);
		}
		if (rng_below(10) < 1)
			printf(",\"annotations\":[{\"entry\":\"%s\","
			       "\"description\":\"note on task %ld\"}]",
			       mod, i + 1);
		if (pos > 0) {
			long k = rng_below(4);

			if (k > pos)
				k = pos;
			if (k) {
				fputs(",\"depends\":[", stdout);
				for (long j = 0; j < k; j++) {
					/* Distinct earlier tasks of the
					 * project: the j-th of k slices of [0,
					 * pos). */
					long lo = pos * j / k,
					     hi = pos * (j + 1) / k;
					long dep = lo + rng_below(hi - lo);

					uuid_of(d, project * per + dep + 1);
					printf("%s\"%s\"", j ? "," : "", d);
				}
				putchar(']');
			}
		}
		printf(",\"urgency\":%.4f}", 1.0 + (double)rng_below(97) / 10);
	}
	fputs("\n]\n", stdout);
	return fflush(stdout) ? 1 : 0;
}
