/*
 * bench/gen.c: build a large store shaped like a real roadmap, for the
 * benchmark (bench/run.sh).
 *
 *	bench-gen PATH [N] [--seed S]
 *
 * Creates a fresh store at PATH (it must not exist) holding N items
 * (default 100,000), all through the library API inside one change, so the
 * rows, journal and statements are exactly what cairn itself writes.  The
 * shape: about 1% goals at the top; milestones and questions nested one to
 * four levels under them, mostly under recent items (work is planned in
 * bursts); ideas, half of them free-floating; varied statuses, about a third
 * of the work done; tags on about 40% of items; builds-on edges on about 5%,
 * always from a later item to an earlier one so no cycle can form; scope,
 * estimates, p_success, due dates and likelihoods where a researcher would
 * set them; a few notes and links.
 *
 * Deterministic for a given N and seed (xorshift64*, not rand()).  Prints
 * the elapsed time and a summary on stderr; nothing on stdout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cairn/cairn.h"

#define MAX_DEPTH 5 /* goals at 0, work down to 4 */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A uniform integer in [0, n). */
static size_t
rng_below(size_t n)
{
	return n ? (size_t)(rng_next() % n) : 0;
}

/* True with probability pct percent. */
static int
chance(unsigned pct)
{
	return rng_below(100) < pct;
}

static const char *const verbs[] = {
        "Evaluate",  "Replicate", "Draft",   "Measure",   "Prove",
        "Survey",    "Implement", "Ablate",  "Benchmark", "Write up",
        "Collect",   "Analyse",   "Submit",  "Review",    "Prototype",
        "Formalise", "Scale",     "Compare",
};
static const char *const objects[] = {
        "tokenizer ablations", "the scaling-law fit",
        "related work",        "the lower bound",
        "annotator agreement", "the training pipeline",
        "baseline results",    "the grant narrative",
        "error analysis",      "the distillation recipe",
        "the rebuttal",        "evaluation harness",
        "dataset licences",    "the convergence proof",
        "teaching notes",      "the camera-ready",
        "retrieval latency",   "calibration curves",
};
static const char *const contexts[] = {
        "on low-resource corpora",     "for the workshop paper",
        "under a $100 compute budget", "with the lab's cluster",
        "before the summer school",    "for the thesis chapter",
        "in the journal version",      "against last year's numbers",
        "with two collaborators",      "for the reading group",
        "on the held-out split",       "for the funding report",
};
static const char *const goal_titles[] = {
        "Train a BERT-quality model for under $100",
        "Become the go-to person for evaluation methodology",
        "Land a faculty position",
        "Finish the thesis",
        "Build a reproducible NLP benchmark suite",
        "Publish in a top venue every year",
        "Understand why scaling laws bend",
        "Run a successful lab",
};
static const char *const tag_names[] = {
        "nlp",      "ml",        "theory",   "writing", "grant",    "teaching",
        "compute",  "data",      "eval",     "collab",  "reading",  "infra",
        "thesis",   "review",    "talk",     "hiring",  "budget",   "ethics",
        "urgent",   "someday",   "paper",    "code",    "stats",    "math",
        "outreach", "mentoring", "workshop", "journal", "rebuttal", "survey",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Item ids by depth, to pick parents from. */
struct level {
	int64_t *ids;
	size_t n, cap;
};

static void
level_push(struct level *l, int64_t id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->ids = xrealloc(l->ids, l->cap * sizeof(*l->ids));
	}
	l->ids[l->n++] = id;
}

/* Mostly a recent item of the level (bursts of planning), else any. */
static int64_t
level_pick(const struct level *l)
{
	size_t window = l->n < 64 ? l->n : 64;

	if (!l->n)
		return 0;
	if (chance(80))
		return l->ids[l->n - 1 - rng_below(window)];
	return l->ids[rng_below(l->n)];
}

static void
make_title(struct buf *b, size_t i)
{
	buf_reset(b);
	buf_addf(b, "%s %s %s (%zu)", verbs[rng_below(NELEM(verbs))],
	         objects[rng_below(NELEM(objects))],
	         contexts[rng_below(NELEM(contexts))], i);
}

static enum cairn_status
work_status(void)
{
	size_t r = rng_below(100);

	if (r < 33)
		return CAIRN_STATUS_DONE;
	if (r < 43)
		return CAIRN_STATUS_ACTIVE;
	if (r < 48)
		return CAIRN_STATUS_PAUSED;
	if (r < 51)
		return CAIRN_STATUS_DROPPED;
	return CAIRN_STATUS_PLANNED;
}

/* Fill it as the i-th generated item; returns its depth. */
static int
shape_item(struct cairn_item *it, size_t i, size_t ngoals, struct level *levels,
           struct buf *title)
{
	int depth;
	size_t r;

	if (i < ngoals) {
		it->kind = CAIRN_KIND_GOAL;
		buf_reset(title);
		buf_addf(title, "%s (%zu)", goal_titles[i % NELEM(goal_titles)],
		         i);
		it->likelihood = (double)(1 + rng_below(99)) / 100;
		it->driven = chance(70) ? CAIRN_DRIVEN_GOAL : CAIRN_DRIVEN_IDEA;
		it->status =
		        chance(20) ? CAIRN_STATUS_ACTIVE : CAIRN_STATUS_PLANNED;
		it->scope = 4 + (int)rng_below(2);
		return 0;
	}
	r = rng_below(100);
	if (r < 10) {
		/* An idea: half free-floating, half under a goal. */
		it->kind = CAIRN_KIND_IDEA;
		it->novelty = 1 + (int)rng_below(5);
		if (chance(50)) {
			it->parent = level_pick(&levels[0]);
			depth = 1;
		} else {
			depth = 0;
		}
		make_title(title, i);
		return depth;
	}
	it->kind = r < 24 ? CAIRN_KIND_QUESTION : CAIRN_KIND_MILESTONE;
	/* Depth 1 to 4, shallow more often. */
	r = rng_below(100);
	depth = r < 30 ? 1 : r < 65 ? 2 : r < 90 ? 3 : 4;
	if (it->kind == CAIRN_KIND_QUESTION && depth > 2)
		depth = 2;
	while (depth > 1 && !levels[depth - 1].n)
		depth--;
	it->parent = level_pick(&levels[depth - 1]);
	it->status = work_status();
	if (it->status == CAIRN_STATUS_DROPPED)
		it->why = xstrdup("superseded by a better plan");
	it->scope = chance(70) ? 1 + (int)rng_below(5) : 0;
	if (chance(70)) {
		it->est[0] = (double)(1 + rng_below(10));
		it->est[1] = it->est[0] + (double)rng_below(15);
		it->est[2] = it->est[1] + (double)rng_below(30);
	}
	if (chance(60))
		it->p_success = (double)(30 + rng_below(71)) / 100;
	if (it->kind == CAIRN_KIND_QUESTION)
		it->novelty = 1 + (int)rng_below(5);
	if (chance(15))
		snprintf(it->due, sizeof(it->due), "2026-%02zu-%02zu",
		         1 + rng_below(12), 1 + rng_below(28));
	if (chance(5))
		it->body = xstrdup("Context: what we tried last time, what "
		                   "the reviewers said, and which numbers "
		                   "we need before this can be called done.");
	make_title(title, i);
	return depth;
}

static int
usage(void)
{
	fputs("usage: bench-gen PATH [N] [--seed S]\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st = NULL;
	struct level levels[MAX_DEPTH] = {{0}};
	struct buf title = BUF_INIT;
	struct cairn_item it;
	struct timespec t0, t1;
	struct stat sb;
	const char *path = NULL;
	size_t n = 100000, ngoals, ntags = 0, nedges = 0, ndone = 0;
	unsigned long long seed = 1;
	int64_t *ids;
	int depth, rc = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!path)
			path = argv[i];
		else if ((n = strtoul(argv[i], NULL, 10)) == 0)
			return usage();
	}
	if (!path)
		return usage();
	if (stat(path, &sb) == 0) {
		fprintf(stderr, "bench-gen: '%s' exists; give a new path\n",
		        path);
		return 1;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	ngoals = n / 100 ? n / 100 : 1;
	ids = xcalloc(n, sizeof(*ids));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cairn_store_open(&st, path, CAIRN_OPEN_CREATE, &err) ||
	    cairn_store_begin(st, "bench: generate a roadmap", &err))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		cairn_item_init(&it);
		depth = shape_item(&it, i, ngoals, levels, &title);
		it.title = buf_detach(&title, NULL);
		if (cairn_item_add(st, &it, &err))
			goto fail_item;
		ids[i] = it.id;
		if (it.status == CAIRN_STATUS_DONE)
			ndone++;
		/* Ideas and deep milestones do not get children. */
		if (it.kind != CAIRN_KIND_IDEA && depth < MAX_DEPTH - 1)
			level_push(&levels[depth], it.id);
		if (chance(40)) {
			size_t k = 1 + rng_below(2);

			for (size_t t = 0; t < k; t++, ntags++)
				if (cairn_item_tag(st, it.id,
				                   tag_names[rng_below(
				                           NELEM(tag_names))],
				                   1, &err))
					goto fail_item;
		}
		/* Builds on a recent earlier item: later -> earlier only. */
		if (i > ngoals && chance(5)) {
			size_t back = 1 + rng_below(i < 50 ? i : 50);

			if (cairn_edge_add(st, it.id, ids[i - back], &err) &&
			    err.code != CAIRN_EEXIST)
				goto fail_item;
			nedges++;
		}
		if (chance(2) &&
		    cairn_item_note(st, it.id,
		                    "Talked it through at group meeting; "
		                    "next step agreed.",
		                    &err))
			goto fail_item;
		if (chance(1) &&
		    cairn_item_link(st, it.id,
		                    "https://arxiv.org/abs/1810.04805", "BERT",
		                    &err))
			goto fail_item;
		cairn_item_release(&it);
	}
	if (cairn_store_commit(st, &err))
		goto fail;
	cairn_store_free(st);
	st = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr,
	        "bench-gen: %zu items (%zu goals, %zu done), %zu tags, "
	        "%zu edges in %.1f s\n",
	        n, ngoals, ndone, ntags, nedges,
	        (double)(t1.tv_sec - t0.tv_sec) +
	                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
	goto out;
fail_item:
	cairn_item_release(&it);
fail:
	fprintf(stderr, "bench-gen: %s\n", err.msg);
	if (st)
		cairn_store_rollback(st);
out:
	cairn_store_free(st);
	for (int d = 0; d < MAX_DEPTH; d++)
		free(levels[d].ids);
	buf_release(&title);
	free(ids);
	return rc;
}
