/*
 * plan.h: the planning engine.  A goal's remaining work as a DAG, its
 * critical path, a Monte Carlo forecast, and the store loader that builds
 * the DAG from a roadmap (DESIGN.md section 5).
 *
 * The engine (struct cairn_plan, cairn_plan_critical, cairn_forecast_run)
 * knows nothing about the store: tests and benchmarks build plans by hand.
 * The loader (struct cairn_roadmap) reads a snapshot of the store once and
 * builds plans for any goal from it.
 *
 * Units: efforts are working days of effort; forecast results are working
 * days from the start; cairn_workdays_to_date turns them into dates.
 */
#ifndef CAIRN_PLAN_H
#define CAIRN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"
#include "cairn/core/item.h"
#include "cairn/research/paper.h"
#include "cairn/store/store.h"
#include "cairn/research/timelog.h"

/* ------------------------------------------------------------------ */
/* The DAG                                                              */
/* ------------------------------------------------------------------ */

enum cairn_node_flags {
	CAIRN_NODE_DEFAULT_EST = 1 << 0, /* no estimate: the default used */
	CAIRN_NODE_OUTSIDE = 1 << 1,     /* a prerequisite from outside */
	CAIRN_NODE_PAPER = 1 << 2,       /* a required paper, see below */
};

/*
 * A plan: nodes with three-point estimates (working days), a chance of
 * success per attempt, and prerequisites.  Structure of arrays, edges in
 * CSR form.
 *
 * Build it with cairn_plan_add_node and cairn_plan_add_edge, then call
 * cairn_plan_finish, which checks it, renumbers the nodes in topological
 * order (every prerequisite before its dependents; among nodes that are
 * ready together, the one added first comes first) and fills the CSR
 * arrays.  After finish the fields are read-only and:
 *	pre[pre_off[i] .. pre_off[i + 1]) are the prerequisites of node i,
 *	all < i, without duplicates, in increasing order;
 *	suc[suc_off[i] .. suc_off[i + 1]) are its dependents, all > i.
 * mean[i] is the expected effort of one attempt, the PERT mean
 * (o + 4m + p) / 6.
 */
struct cairn_plan {
	size_t n;
	int64_t *id; /* the caller's name for each node */
	double *opt, *likely, *pess;
	double *p_success;
	double *mean;
	unsigned char *flags; /* enum cairn_node_flags */
	uint32_t *pre_off, *pre;
	uint32_t *suc_off, *suc;
	size_t nedges;
	/* building state */
	size_t cap, ecap;
	uint32_t *eu, *ev; /* edge eu[k] builds on ev[k] */
	int finished;
};

#define CAIRN_PLAN_MAX_NODES 10000000u

void cairn_plan_init(struct cairn_plan *g);
/* Free the contents; g is then as after cairn_plan_init. */
void cairn_plan_release(struct cairn_plan *g);

/*
 * Add a node named id with estimate est = {optimistic, likely,
 * pessimistic} working days and chance of success p_success per attempt.
 * Returns the node's index (>= 0) until cairn_plan_finish renumbers, or
 * CAIRN_EINVAL for an estimate that is not 0 <= o <= m <= p <= 1e6, a
 * chance outside 0..1, or too many nodes.
 */
long cairn_plan_add_node(struct cairn_plan *g, int64_t id, const double est[3],
                         double p_success, unsigned flags,
                         struct cairn_err *err);

/*
 * Node u builds on node v (both indices from cairn_plan_add_node).
 * Duplicates are merged at finish.  CAIRN_EINVAL for a bad index or more
 * than 2^32 - 2 edges, CAIRN_ECYCLE when u == v ("cycle: #7 -> #7"),
 * CAIRN_ESTATE after finish.
 */
int cairn_plan_add_edge(struct cairn_plan *g, size_t u, size_t v,
                        struct cairn_err *err);

/*
 * Check and freeze the plan (see above).  CAIRN_ECYCLE when the
 * prerequisites form a cycle; the message names one, in builds-on order:
 * "cycle: #3 -> #5 -> #3" (#3 builds on #5, which builds on #3).
 */
int cairn_plan_finish(struct cairn_plan *g, struct cairn_err *err);

/* Index of the node named id in a finished plan, or -1. */
long cairn_plan_find(const struct cairn_plan *g, int64_t id);

/*
 * The critical path by expected effort (mean[]), as in the critical path
 * method with unlimited parallel streams: es/ef are each node's earliest
 * start and finish, slack how much it can slip without delaying the end
 * (0 on the critical path), path the chain of node indices, first to last,
 * whose efforts add up to length.  Among equally long chains the one
 * through lower indices wins.  The arrays are owned by the struct.
 */
struct cairn_cpm {
	double length;
	double *es, *ef, *slack;
	uint32_t *path;
	size_t npath;
};

/* Fill out for a finished plan (which may be empty: length 0). */
void cairn_plan_critical(const struct cairn_plan *g, struct cairn_cpm *out);
void cairn_cpm_release(struct cairn_cpm *c);

/* ------------------------------------------------------------------ */
/* The Monte Carlo forecast                                            */
/* ------------------------------------------------------------------ */

/*
 * The model, per trial:
 *
 * - Effort of an attempt: PERT-beta on [o, p] with mode m, that is
 *   o + (p - o) X with X ~ Beta(1 + 4 (m - o) / (p - o),
 *   1 + 4 (p - m) / (p - o)); mean (o + 4m + p) / 6.  When o == p the
 *   effort is o.  Sampling is by inverse transform from precomputed
 *   tables, an approximation documented in forecast.c: the mode's
 *   relative position is rounded to the nearest 1/128 (so at most
 *   (p - o) / 256 days off), each effort is one of 2048 equally likely
 *   quantiles, and p_success is resolved to 2^-21.
 * - With history (at least CAIRN_HISTORY_MIN ratios), each sampled effort
 *   is multiplied by a ratio drawn uniformly from the history array
 *   (evidence-based scheduling).
 * - An attempt succeeds with p_success; a failed attempt is followed by
 *   another with a fresh effort, up to max_attempts; when all fail, the
 *   goal is not reached in this trial.  A node's duration is the sum of
 *   its attempts' efforts.
 * - capacity parallel work streams run the nodes by list scheduling:
 *   whenever a stream is free it takes the ready node (all
 *   prerequisites finished) with the longest expected remaining chain
 *   (its own mean plus its longest chain of dependents), ties to the
 *   lower index.  One stream never idles, so with capacity 1 the
 *   completion time is the sum of all durations.
 * - The trial's critical path is the longest prerequisite chain under
 *   the sampled durations (ignoring the stream limit, which with one
 *   stream would put every node on it): from the last node without
 *   dependents (in node order) among those finishing last, back through
 *   the first prerequisite that finished last.  A node's criticality
 *   index is the share of successful trials whose critical path contains
 *   it.
 *
 * Determinism: trials are split into blocks of CAIRN_FORECAST_BLOCK, and
 * block b draws from its own xoshiro256** stream seeded by splitmix64
 * from (seed, b).  Every result is an integer count summed over blocks, so
 * the same seed gives the same result for any number of threads.
 *
 * Memory: per thread, a few arrays of n and a histogram of fixed size;
 * nothing grows with the number of trials.
 */

#define CAIRN_FORECAST_BLOCK       1024
#define CAIRN_FORECAST_MAX_TRIALS  10000000ull
#define CAIRN_HISTORY_MIN          5
#define CAIRN_FORECAST_MAX_THREADS 256

struct cairn_forecast_opts {
	uint64_t trials; /* 1 .. CAIRN_FORECAST_MAX_TRIALS */
	uint64_t seed;
	int threads;           /* 0: online CPUs */
	int capacity;          /* parallel work streams, >= 1 */
	int max_attempts;      /* >= 1 */
	const double *history; /* actual / estimated ratios, > 0 */
	size_t nhistory;       /* used only when >= CAIRN_HISTORY_MIN */
	/*
	 * Called now and then from the calling thread with the number of
	 * trials finished so far; may be NULL.
	 */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

/* 10,000 trials, seed 1, a thread per CPU, one stream, three attempts. */
/* clang-format off */
#define CAIRN_FORECAST_OPTS_INIT {10000, 1, 0, 1, 3, NULL, 0, NULL, NULL}
/* clang-format on */

/*
 * Completion times are kept in a histogram of ticks (1/64 working day):
 * exact below 2048 ticks (32 days), then with 1024 buckets per doubling
 * (0.1 % relative precision).
 */
#define CAIRN_TICKS_PER_DAY 64

struct cairn_forecast {
	size_t n; /* nodes of the plan */
	uint64_t trials;
	uint64_t successes;
	uint64_t samples; /* efforts drawn (attempts) over all trials */
	int history_used; /* history scaling was applied */
	double chance;    /* successes / trials */
	/* Working days given success; -1 when no trial succeeded. */
	double p50, p80, p95, mean, min, max;
	uint64_t *crit; /* n: successful trials with node i critical */
	uint64_t *hist; /* nbuckets, see cairn_forecast_quantile */
	size_t nbuckets;
};

/*
 * Run the forecast on a finished plan.  out is filled (release it with
 * cairn_forecast_release).  CAIRN_EINVAL for options out of range, or an
 * empty plan.  Threads that cannot be created are made up for by the
 * calling thread; results do not change.
 */
int cairn_forecast_run(const struct cairn_plan *g,
                       const struct cairn_forecast_opts *o,
                       struct cairn_forecast *out, struct cairn_err *err);
void cairn_forecast_release(struct cairn_forecast *f);

/* The completion time (working days) at quantile q in (0, 1] over the
 * successful trials; -1 when none succeeded. */
double cairn_forecast_quantile(const struct cairn_forecast *f, double q);

/*
 * Regroup the successful trials' completion times into at most nbins
 * bins of a whole number of days each, from *lo (whole days) in steps of
 * *width days; counts[nbins] is filled.  Returns the number of bins used
 * (0 when nothing succeeded).
 */
size_t cairn_forecast_bins(const struct cairn_forecast *f, size_t nbins,
                           double *lo, double *width, uint64_t *counts);

/* The online CPUs, at least 1: the default thread count. */
int cairn_cpu_count(void);

/*
 * Turn working days of effort into a date.  share (0, 1] is the part of
 * working time the goal gets; days_per_week (1..7) how many days of each
 * week, from Monday, are working days.  The work takes ceil(days / share)
 * working days (less a hair, so 20.0 stays 20); the first is start when
 * start is a working day, else the next one; the result is the date of
 * the last (start itself for no work).  start is "YYYY-MM-DD".
 * CAIRN_EINVAL for a bad date, share or days_per_week.
 */
int cairn_workdays_to_date(const char *start, double days, double share,
                           int days_per_week, char out[CAIRN_DATE_LEN],
                           struct cairn_err *err);

/* The same for showing a forecast: "-" when there is no date (days < 0,
 * as for a forecast no trial of which succeeded, or out of range). */
void cairn_forecast_date(const char *start, double days, double share,
                         int days_per_week, char out[CAIRN_DATE_LEN]);

/* ------------------------------------------------------------------ */
/* The loader: a snapshot of the roadmap                                */
/* ------------------------------------------------------------------ */

/*
 * Items without an estimate get CAIRN_DEFAULT_OPT/LIKELY/PESS (5/10/20
 * working days: two weeks likely, one to four), and their plan nodes
 * carry CAIRN_NODE_DEFAULT_EST so front ends can warn.  An unset p_success
 * counts as 1: the forecast adds no risk the researcher did not state.
 */
#define CAIRN_DEFAULT_OPT    5.0
#define CAIRN_DEFAULT_LIKELY 10.0
#define CAIRN_DEFAULT_PESS   20.0

/*
 * Required papers (paper.h, `paper link`).  Reading or replicating a paper
 * an item requires is a prerequisite of the item and of everything below
 * it until the paper is read, replicated or its replication has failed.
 * The planner makes each such paper one node, shared by every milestone
 * that waits for it, named CAIRN_PAPER_NODE(paper id) (negative, so it
 * never collides with an item id) and flagged CAIRN_NODE_PAPER.  It has
 * no prerequisites, p_success 1 (the attempt is the prerequisite, not its
 * outcome) and an effort in working days by where the paper stands:
 *	to-read      1/2/5: a careful read of a research paper, with its
 *	             appendix and a key reference or two;
 *	reading      0.5/1/3: the rest of a read under way;
 *	replicating  5/10/20: the rest of a replication, counted like a
 *	             milestone without an estimate.
 * The researcher cannot estimate these, so they are not flagged
 * CAIRN_NODE_DEFAULT_EST; cairn_paper_effort gives the figures.
 */
#define CAIRN_PAPER_NODE(paper_id) (-(int64_t)(paper_id))

#define CAIRN_PAPER_READ_OPT         1.0
#define CAIRN_PAPER_READ_LIKELY      2.0
#define CAIRN_PAPER_READ_PESS        5.0
#define CAIRN_PAPER_READING_OPT      0.5
#define CAIRN_PAPER_READING_LIKELY   1.0
#define CAIRN_PAPER_READING_PESS     3.0
#define CAIRN_PAPER_REPLICATE_OPT    5.0
#define CAIRN_PAPER_REPLICATE_LIKELY 10.0
#define CAIRN_PAPER_REPLICATE_PESS   20.0

/*
 * The remaining effort of a paper with status s into est: 1 when the
 * paper still holds its items back (to-read, reading, replicating), 0
 * when it no longer does (est untouched).
 */
int cairn_paper_effort(enum cairn_paper_status s, double est[3]);

/* A paper some item requires, as the snapshot holds it. */
struct cairn_roadmap_paper {
	int64_t id;
	char *key;
	char *title;
	enum cairn_paper_status status;
};

/*
 * Every item with its edges, tags and last change, the papers items
 * require, time logged and metrics, read in one go, with indexes for the
 * planner and the linter.  Items are in id order; the index arrays refer
 * to positions in items[]:
 *	parent[i]: the parent's position, or -1 for a root;
 *	kid[kid_off[i] .. kid_off[i + 1]): children, in id order;
 *	pre[pre_off[i] .. pre_off[i + 1]): items i builds on;
 *	dep[dep_off[i] .. dep_off[i + 1]): items building on i;
 *	tag[tag_off[i] .. tag_off[i + 1]): tag names;
 *	req[req_off[i] .. req_off[i + 1]): papers i itself requires, as
 *	positions in papers[] (which holds only required papers, in id
 *	order), in paper id order;
 *	logged[i]: minutes of time logged on the item itself;
 *	metrics[i]: how many metrics the item has;
 *	touched[i]: time of the item's last journal event ("" if none).
 */
struct cairn_roadmap {
	size_t n;
	struct cairn_item *items;
	long *parent;
	uint32_t *kid_off, *kid;
	uint32_t *pre_off, *pre;
	uint32_t *dep_off, *dep;
	uint32_t *tag_off;
	char **tag;
	size_t npapers;
	struct cairn_roadmap_paper *papers;
	uint32_t *req_off, *req;
	long *logged;
	uint32_t *metrics;
	char (*touched)[CAIRN_TS_LEN];
};

/* Read the snapshot (released with cairn_roadmap_release).  CAIRN_EDB. */
int cairn_roadmap_load(struct cairn_store *st, struct cairn_roadmap *rm,
                       struct cairn_err *err);
void cairn_roadmap_release(struct cairn_roadmap *rm);

/*
 * The snapshot of only the items at least minvis visible (enum
 * cairn_visibility) whose ancestors all are too, as if the rest did not
 * exist: their edges, tags, required papers, time and metrics are left
 * out with them.  A forecast from it uses only what a reader of that
 * visibility may see (the public site's).
 */
int cairn_roadmap_load_visible(struct cairn_store *st, int minvis,
                               struct cairn_roadmap *rm, struct cairn_err *err);

/* Position of item id, or -1. */
long cairn_roadmap_find(const struct cairn_roadmap *rm, int64_t id);

/* Position in papers[] of the paper with id paper_id, or -1. */
long cairn_roadmap_paper_find(const struct cairn_roadmap *rm, int64_t paper_id);

/*
 * What a plan node built from rm stands for, for people, into out
 * (reset first): an item's title, or for a paper node "read KEY: TITLE"
 * ("replicate KEY: TITLE" while replicating); "?" for an unknown id.
 * Returns out->buf.
 */
const char *cairn_roadmap_label(const struct cairn_roadmap *rm, int64_t id,
                                struct buf *out);

/* Position of the nearest goal among i's ancestors (i itself included),
 * or -1. */
long cairn_roadmap_goal_of(const struct cairn_roadmap *rm, size_t i);

/* Not done and not dropped. */
int cairn_item_open(const struct cairn_item *it);

/*
 * Build the remaining work below root (0: all open work in the store)
 * into g (initialised here) and finish it.  Node ids are item ids, and
 * CAIRN_PAPER_NODE(paper id) for papers.  Open here means neither done
 * nor dropped, nor below anything done or dropped.
 *
 * - Work nodes are the open milestones below root (through open items
 *   only) that have no open milestone below them: a milestone broken
 *   into open smaller ones is done when they are, and its own estimate
 *   is then not counted.  root itself is the one node when it is an
 *   open milestone with nothing open below.
 * - A work node's prerequisites are the builds-on edges of the node and
 *   of every ancestor of it (a milestone starts when its own and its
 *   ancestors' prerequisites are done).
 * - Required papers not yet read, replicated or tried (see above) of the
 *   node and of every ancestor of it are prerequisites too, as paper
 *   nodes.  Papers come in only as prerequisites of remaining work: a
 *   goal with nothing open to do has no remaining work, whatever it
 *   requires.
 * - An edge to a done or dropped item, or to anything below one (work
 *   left under a finished or abandoned item is settled with it), is
 *   satisfied and drops out.  An edge to an open item stands for that
 *   item's work nodes, found as above, or for the item itself when it
 *   has none (an open goal, question or idea with nothing planned
 *   below); such prerequisites from outside root are nodes too
 *   (CAIRN_NODE_OUTSIDE), with their own prerequisites, and so on.
 *
 * - An edge from an item to something below it (a part of it) is not
 *   inherited by that part: the part comes first, the rest of the item
 *   waits for it.
 *
 * Errors: CAIRN_ENOTFOUND for an unknown root, CAIRN_ECYCLE when
 * inherited prerequisites close a cycle (named as in cairn_plan_finish)
 * or an item builds on something it is part of ("cycle: #7 builds on
 * #4, which it is part of").
 * An empty plan is not an error: root has no remaining work.
 */
int cairn_roadmap_plan(const struct cairn_roadmap *rm, int64_t root,
                       struct cairn_plan *g, struct cairn_err *err);

/*
 * The researcher's own history for evidence-based scheduling: for every
 * done milestone with a likely estimate > 0, its actual working days
 * divided by the likely estimate, clamped to [0.1, 10].  The actual is
 * the time logged on the milestone itself when there is any, counted as
 * CAIRN_LOGGED_DAY minutes (8 hours) to the working day, since that is
 * what the milestone took; otherwise, when it has started and finished
 * times apart, the calendar days between them times days_per_week / 7
 * (which also counts days spent on other work).  A milestone with
 * neither (say, marked done without being started) gives no ratio.
 * *out (freed by the caller) gets *n ratios in item order.
 */
#define CAIRN_LOGGED_DAY (8 * 60)

void cairn_roadmap_history(const struct cairn_roadmap *rm, int days_per_week,
                           double **out, size_t *n);

/*
 * The share of working time, (0, 1], that the focus setting f (see
 * cairn_focus_get) gives goal: the main item and whatever lies above or
 * below it get 1 - f->explore, every other goal f->explore.  1 when no
 * main item is set or it is not in rm, and 1 where the setting would give
 * the goal no time at all (an exploration share of 0 or 1): dates that
 * never come say nothing useful.
 */
double cairn_roadmap_share(const struct cairn_roadmap *rm,
                           const struct cairn_focus *f, int64_t goal);

/* ------------------------------------------------------------------ */
/* Portfolio and the roadmap linter                                     */
/* ------------------------------------------------------------------ */

enum cairn_bet {
	CAIRN_BET_UNRATED,   /* no p_success */
	CAIRN_BET_LONG_SHOT, /* p_success < 0.4 */
	CAIRN_BET_BALANCED,
	CAIRN_BET_SAFE, /* p_success >= 0.75 */
};

#define CAIRN_BET_LONG_SHOT_BELOW 0.4
#define CAIRN_BET_SAFE_FROM       0.75

enum cairn_bet cairn_bet_of(const struct cairn_item *it);
const char *cairn_bet_name(enum cairn_bet b);

/* One finding of the linter; item 0 for findings about the whole store. */
struct cairn_finding {
	int64_t item;
	const char *rule;
	const char *message; /* what is wrong */
	const char *hint;    /* how to fix it */
};

typedef int (*cairn_finding_fn)(void *ctx, const struct cairn_finding *f);

/* The rules, NULL-terminated, in the order findings are reported. */
extern const char *const cairn_check_rules[];

/*
 * Run the linter over a snapshot, calling fn for each finding in rule
 * order, then item order.  A rule whose store setting "check.RULE" is
 * "off" is skipped; "check.stale.days" (default 30) sets how long an
 * active item may go without a change, and "check.idea-driven.max"
 * (default 0.5) the largest share of idea-driven goals; "wip" compares
 * the active items (ideas aside) with the focus setting's WIP limit
 * (cairn_focus_get, default 3).  *count gets the number of findings.  A
 * callback returning non-zero stops the run and that value is returned.
 * CAIRN_EDB, CAIRN_EINVAL for a bad setting.
 */
int cairn_check_run(struct cairn_store *st, const struct cairn_roadmap *rm,
                    cairn_finding_fn fn, void *ctx, size_t *count,
                    struct cairn_err *err);

#endif
