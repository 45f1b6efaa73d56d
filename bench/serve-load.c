/*
 * bench/serve-load.c: a bounded load test of `cairn serve`.
 *
 *	bench-serve-load BUILD_DIR
 *
 * Builds a 1,000-item roadmap (bench-gen) in a temporary folder, starts
 * `cairn serve` on loopback, and for DURATION seconds (default 20) runs
 * READERS clients (default 50) that each loop over the dashboard, a
 * goal's page, a milestone's page and GET /api/items, plus WRITERS
 * clients (default 5) that each add milestones under that goal through
 * POST /api/items.  Each client is a thread with one libcurl easy handle,
 * so its connection is kept alive from request to request, closed loop
 * with no think time.  It prints, per kind of request, the count, errors
 * and p50/p99 latency in milliseconds, then checks that every write the
 * server acknowledged is in the store (no lost writes).  Exit 1 on an
 * error or a lost write.  Reports numbers only; it is not a timed test.
 * Target: p99 at most 25 ms for page renders.
 *
 * Environment: DURATION, READERS, WRITERS, BENCH_ITEMS (default 1000).
 */
#include <curl/curl.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "abababababababababababababababababababababababababababababababab"

enum kind { DASHBOARD, GOAL, MILESTONE, API_ITEMS, POST_ITEMS, KINDS };

static const char *const kind_name[KINDS] = {"dashboard", "goal page",
                                             "milestone page", "GET /api/items",
                                             "POST /api/items"};

struct samples {
	double *v;
	size_t n, cap;
	unsigned long errors;
};

struct client {
	pthread_t th;
	int writer; /* its number among the writers, or -1 */
	struct samples s[KINDS];
	unsigned char *ok; /* per write number: acknowledged */
	size_t nwrites, okcap;
};

static char base[128]; /* http://127.0.0.1:PORT */
static char csrf[128]; /* the session's CSRF token */
static long long goal, milestone;
static double stop_at;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *
env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

static void
add_sample(struct samples *s, double ms, int ok)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = ms;
	if (!ok)
		s->errors++;
}

/* The body is read and thrown away (its size is all a client needs). */
static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

struct text {
	char buf[4096];
	size_t len;
};

static size_t
keep(char *p, size_t size, size_t n, void *ctx)
{
	struct text *t = ctx;
	size_t k = size * n;

	if (t->len + k < sizeof(t->buf)) {
		memcpy(t->buf + t->len, p, k);
		t->len += k;
		t->buf[t->len] = '\0';
	}
	return k;
}

static CURL *
handle(struct curl_slist *hdr)
{
	CURL *c = curl_easy_init();

	if (!c)
		abort();
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	return c;
}

/* One request; its latency in ms into *ms, and whether the status was
 * want. */
static int
perform(CURL *c, const char *path, long want, double *ms)
{
	char url[512];
	long code = 0;
	double t;
	int ok;

	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	t = now();
	ok = curl_easy_perform(c) == CURLE_OK &&
	     curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
	     code == want;
	*ms = (now() - t) * 1000;
	return ok;
}

static void *
reader(void *arg)
{
	struct client *cl = arg;
	struct curl_slist *hdr =
	        curl_slist_append(NULL, "Authorization: Bearer " TOKEN);
	CURL *c = handle(hdr);
	char paths[KINDS][128];
	unsigned long i = 0;

	snprintf(paths[DASHBOARD], sizeof(paths[0]), "/");
	snprintf(paths[GOAL], sizeof(paths[0]), "/items/%lld?trials=1000",
	         goal);
	snprintf(paths[MILESTONE], sizeof(paths[0]), "/items/%lld", milestone);
	snprintf(paths[API_ITEMS], sizeof(paths[0]), "/api/items?kind=goal");
	while (now() < stop_at) {
		enum kind k = (enum kind)(i++ % 4);
		double ms;
		int ok = perform(c, paths[k], 200, &ms);

		add_sample(&cl->s[k], ms, ok);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	return NULL;
}

static void *
writer(void *arg)
{
	struct client *cl = arg;
	struct curl_slist *hdr;
	char line[256], body[256];
	CURL *c;

	hdr = curl_slist_append(NULL, "Authorization: Bearer " TOKEN);
	snprintf(line, sizeof(line), "X-CSRF-Token: %s", csrf);
	hdr = curl_slist_append(hdr, line);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	c = handle(hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	while (now() < stop_at) {
		double ms;
		int ok;

		snprintf(
		        body, sizeof(body),
		        "{\"kind\": \"milestone\", \"title\": \"load %d.%zu\", "
		        "\"parent\": %lld}",
		        cl->writer, cl->nwrites, goal);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		ok = perform(c, "/api/items", 201, &ms);
		if (cl->nwrites == cl->okcap) {
			cl->okcap = cl->okcap ? 2 * cl->okcap : 256;
			cl->ok = realloc(cl->ok, cl->okcap);
			if (!cl->ok)
				abort();
		}
		cl->ok[cl->nwrites++] = (unsigned char)ok;
		add_sample(&cl->s[POST_ITEMS], ms, ok);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	return NULL;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The sample at fraction p of the sorted samples, as the Python one took
 * it: index min(n - 1, floor(p * n)). */
static double
percentile(const struct samples *s, double p)
{
	size_t i;

	if (!s->n)
		return NAN;
	i = (size_t)(p * (double)s->n);
	return s->v[i < s->n ? i : s->n - 1];
}

static int
run(const char *cmd[], int out_fd, int err_fd, pid_t *pid)
{
	if ((*pid = fork()) < 0)
		return -1;
	if (*pid == 0) {
		if (out_fd >= 0)
			dup2(out_fd, 1);
		if (err_fd >= 0)
			dup2(err_fd, 2);
		execv(cmd[0], (char *const *)cmd);
		_exit(127);
	}
	return 0;
}

static long long
one_id(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The last line of file path (what the server said on stop). */
static void
last_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	*out = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(out, n, "%s", line);
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

int
main(int argc, char **argv)
{
	const char *build = argc > 1 ? argv[1] : "build";
	double duration = atof(env_or("DURATION", "20"));
	int readers = atoi(env_or("READERS", "50"));
	int writers = atoi(env_or("WRITERS", "5"));
	const char *items = env_or("BENCH_ITEMS", "1000");
	char tmp[] = "/tmp/cairn-serve-load.XXXXXX", dbpath[256], errpath[256];
	char gen[512], cairn[512], said[1024], line[512];
	long long before, after, lost = 0;
	unsigned long total_errors = 0, acked = 0;
	int pipefd[2], status, errfd, nclients = readers + writers;
	struct client *cl;
	sqlite3 *db;
	pid_t pid;
	FILE *out;

	if (argc > 2 || readers < 0 || writers < 0 || duration <= 0) {
		fprintf(stderr, "usage: bench-serve-load [BUILD_DIR]\n");
		return 2;
	}
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/bench.db", tmp);
	snprintf(errpath, sizeof(errpath), "%s/serve.err", tmp);
	snprintf(gen, sizeof(gen), "%s/bench/bench-gen", build);
	snprintf(cairn, sizeof(cairn), "%s/cairn", build);
	{
		const char *cmd[] = {gen, dbpath, items, NULL};
		int devnull = open("/dev/null", O_WRONLY);

		if (run(cmd, -1, devnull, &pid) ||
		    waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "bench-serve-load: %s failed\n", gen);
			return 1;
		}
		close(devnull);
	}
	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		return 1;
	goal = one_id(db, "SELECT id FROM item WHERE kind = 'goal' "
	                  "ORDER BY id LIMIT 1");
	milestone = one_id(db, "SELECT id FROM item WHERE kind = 'milestone' "
	                       "ORDER BY id LIMIT 1");
	before = one_id(db, "SELECT count(*) FROM item");
	sqlite3_close(db);

	setenv("CAIRN_DB", dbpath, 1);
	setenv("CAIRN_SERVE_TOKEN", TOKEN, 1);
	if (pipe(pipefd) ||
	    (errfd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return 1;
	{
		const char *cmd[] = {cairn, "serve", "--port", "0", NULL};

		if (run(cmd, pipefd[1], errfd, &pid))
			return 1;
	}
	close(pipefd[1]);
	close(errfd);
	out = fdopen(pipefd[0], "r");
	if (!out || !fgets(line, sizeof(line), out) ||
	    strncmp(line, "http://", 7)) {
		fprintf(stderr,
		        "bench-serve-load: cairn serve did not start\n");
		return 1;
	}
	/* http://HOST:PORT/?token=... -> http://HOST:PORT */
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(line + 7, "/") + 7,
	         line);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	{
		struct curl_slist *hdr =
		        curl_slist_append(NULL, "Authorization: Bearer " TOKEN);
		CURL *c = handle(hdr);
		struct text t = {"", 0};
		double ms;
		const char *p;

		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
		if (!perform(c, "/api/session", 200, &ms) ||
		    !(p = strstr(t.buf, "\"csrf\": \""))) {
			fprintf(stderr, "bench-serve-load: no CSRF token\n");
			kill(pid, SIGTERM);
			return 1;
		}
		p += 9;
		snprintf(csrf, sizeof(csrf), "%.*s", (int)strcspn(p, "\""), p);
		curl_easy_cleanup(c);
		curl_slist_free_all(hdr);
	}

	cl = calloc((size_t)nclients, sizeof(*cl));
	stop_at = now() + duration;
	for (int i = 0; i < nclients; i++) {
		cl[i].writer = i < readers ? -1 : i - readers;
		pthread_create(&cl[i].th, NULL, i < readers ? reader : writer,
		               &cl[i]);
	}
	for (int i = 0; i < nclients; i++)
		pthread_join(cl[i].th, NULL);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	last_line(errpath, said, sizeof(said));

	printf("cairn serve, %s items, %d readers + %d writers for %.0f s "
	       "(server exit %d)\n",
	       items, readers, writers, duration,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	if (*said)
		printf("%s\n", said);
	printf("%-18s %8s %7s %8s %8s\n", "request", "count", "errors",
	       "p50 ms", "p99 ms");
	/* In name order, as the Python one printed them. */
	{
		static const enum kind order[KINDS] = {
		        API_ITEMS, POST_ITEMS, DASHBOARD, GOAL, MILESTONE};

		for (int j = 0; j < KINDS; j++) {
			enum kind k = order[j];
			struct samples all = {NULL, 0, 0, 0};

			for (int i = 0; i < nclients; i++)
				for (size_t x = 0; x < cl[i].s[k].n; x++)
					add_sample(&all, cl[i].s[k].v[x], 1);
			for (int i = 0; i < nclients; i++)
				all.errors += cl[i].s[k].errors;
			if (!all.n)
				continue;
			qsort(all.v, all.n, sizeof(*all.v), cmp_double);
			printf("%-18s %8zu %7lu %8.2f %8.2f\n", kind_name[k],
			       all.n, all.errors, percentile(&all, 0.5),
			       percentile(&all, 0.99));
			total_errors += all.errors;
			free(all.v);
		}
	}

	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		return 1;
	after = one_id(db, "SELECT count(*) FROM item");
	{
		sqlite3_stmt *s;

		sqlite3_prepare_v2(db, "SELECT 1 FROM item WHERE title = ?", -1,
		                   &s, NULL);
		for (int i = readers; i < nclients; i++)
			for (size_t x = 0; x < cl[i].nwrites; x++) {
				char title[64];

				if (!cl[i].ok[x])
					continue;
				acked++;
				snprintf(title, sizeof(title), "load %d.%zu",
				         cl[i].writer, x);
				sqlite3_bind_text(s, 1, title, -1,
				                  SQLITE_TRANSIENT);
				if (sqlite3_step(s) != SQLITE_ROW)
					lost++;
				sqlite3_reset(s);
			}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	printf("writes acknowledged %lu, in the store %lld, lost %lld\n", acked,
	       after - before, lost);
	for (int i = 0; i < nclients; i++) {
		for (int k = 0; k < KINDS; k++)
			free(cl[i].s[k].v);
		free(cl[i].ok);
	}
	free(cl);
	curl_global_cleanup();
	unlink(dbpath);
	{
		char p[300];

		snprintf(p, sizeof(p), "%s-wal", dbpath);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", dbpath);
		unlink(p);
	}
	unlink(errpath);
	rmdir(tmp);
	return lost || total_errors ? 1 : 0;
}
