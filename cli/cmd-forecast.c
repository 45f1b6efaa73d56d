/*
 * cmd-forecast.c: `cairn forecast GOAL`, the Monte Carlo forecast of a
 * goal's remaining work (model in include/cairn/plan.h): the chance of
 * reaching it, P50/P80/P95 dates given success, a histogram and the
 * milestones most often on the critical path.
 *
 * The output depends only on the store, the options and the seed, never
 * on --threads: the JSON of one seed is byte-identical for any thread
 * count.  Progress goes to stderr, and only when stderr is a terminal and
 * the run has taken more than half a second.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cairn/plan/roadmap.h"
#include "../lib/banned.h"

#define DEFAULT_TRIALS 10000
#define DEFAULT_SEED   1
#define HIST_BINS      16
#define TOP_CRITICAL   5

static const struct option opts[] = {
        {"trials", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'T'},
        {"capacity", required_argument, NULL, 'k'},
        {"max-attempts", required_argument, NULL, 'a'},
        {"days-per-week", required_argument, NULL, 'd'},
        {"start", required_argument, NULL, 'S'},
        {"share", required_argument, NULL, 'f'},
        {"no-history", no_argument, NULL, 'H'},
        {0},
};

struct progress {
	double t0;
	int shown;
	int last;
};

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
show_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	int pct = (int)(100.0 * (double)done / (double)total);

	if (seconds() - p->t0 < 0.5 || pct == p->last)
		return;
	p->last = pct;
	p->shown = 1;
	fprintf(stderr, "\rforecast: %3d%% of %llu trials", pct,
	        (unsigned long long)total);
	fflush(stderr);
}

/* Like cli_json_print, with reals rounded to 10 significant digits. */
static void
print_json(struct cli *c, json_t *v)
{
	json_dumpf(v, c->out,
	           JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                   JSON_REAL_PRECISION(10));
	fputc('\n', c->out);
	json_decref(v);
}

/* The goal's share of working time from the focus setting. */
static int
focus_share(struct cli *c, const struct cairn_roadmap *rm, int64_t goal,
            double *share)
{
	struct cairn_focus f;

	if (cairn_focus_get(c->st, &f, &c->err))
		return cli_fail(c);
	*share = cairn_roadmap_share(rm, &f, goal);
	return 0;
}

struct run {
	struct cli *c;
	const struct cairn_roadmap *rm;
	const struct cairn_plan *g;
	struct cairn_forecast f;
	int64_t goal;
	uint64_t trials, seed;
	int capacity, attempts, dpw;
	double share;
	size_t nhistory;
	int no_history;
	char start[CAIRN_DATE_LEN];
	struct buf label;
};

static const char *
title_of(const struct cairn_roadmap *rm, int64_t id)
{
	long i = cairn_roadmap_find(rm, id);

	return i >= 0 ? rm->items[i].title : "?";
}

/* What node i stands for: a milestone's title, or the paper to read. */
static const char *
label_of(struct run *r, uint32_t i)
{
	return cairn_roadmap_label(r->rm, r->g->id[i], &r->label);
}

static size_t
count_papers(const struct cairn_plan *g)
{
	size_t k = 0;

	for (size_t i = 0; i < g->n; i++)
		k += !!(g->flags[i] & CAIRN_NODE_PAPER);
	return k;
}

static void
date_of(const struct run *r, double days, char out[CAIRN_DATE_LEN])
{
	cairn_forecast_date(r->start, days, r->share, r->dpw, out);
}

/* Nodes by criticality, most critical first, ties by id; returns count. */
static size_t
top_critical(const struct run *r, uint32_t *out, size_t max)
{
	size_t k;

	for (k = 0; k < max; k++) {
		long best = -1;

		for (size_t i = 0; i < r->g->n; i++) {
			size_t j;

			if (!r->f.crit[i])
				continue;
			for (j = 0; j < k && out[j] != i; j++)
				;
			if (j < k)
				continue;
			if (best < 0 || r->f.crit[i] > r->f.crit[best] ||
			    (r->f.crit[i] == r->f.crit[best] &&
			     r->g->id[i] < r->g->id[best]))
				best = (long)i;
		}
		if (best < 0)
			break;
		out[k] = (uint32_t)best;
	}
	return k;
}

static json_t *
result_json(struct run *r)
{
	json_t *o = json_object(), *hist = json_array(), *crit = json_array();
	json_t *unest = json_array(), *h = json_object();
	char d[CAIRN_DATE_LEN];
	uint64_t counts[HIST_BINS];
	uint32_t top[TOP_CRITICAL];
	double lo, w;
	size_t nb, nt;

	json_object_set_new(o, "goal", json_integer(r->goal));
	json_object_set_new(o, "title", json_string(title_of(r->rm, r->goal)));
	json_object_set_new(o, "remaining", json_integer((json_int_t)r->g->n));
	json_object_set_new(o, "papers",
	                    json_integer((json_int_t)count_papers(r->g)));
	json_object_set_new(o, "trials", json_integer((json_int_t)r->trials));
	json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(o, "capacity", json_integer(r->capacity));
	json_object_set_new(o, "max_attempts", json_integer(r->attempts));
	json_object_set_new(o, "days_per_week", json_integer(r->dpw));
	json_object_set_new(o, "share", json_real(r->share));
	json_object_set_new(o, "start", json_string(r->start));
	json_object_set_new(h, "used", json_boolean(r->f.history_used));
	json_object_set_new(h, "count", json_integer((json_int_t)r->nhistory));
	json_object_set_new(o, "history", h);
	json_object_set_new(o, "chance", json_real(r->f.chance));
	json_object_set_new(o, "successes",
	                    json_integer((json_int_t)r->f.successes));
	{
		static const char *const names[] = {"p50", "p80", "p95"};
		double v[] = {r->f.p50, r->f.p80, r->f.p95};

		for (int k = 0; k < 3; k++) {
			date_of(r, v[k], d);
			json_object_set_new(o, names[k],
			                    v[k] < 0 ? json_null()
			                             : json_string(d));
		}
		for (int k = 0; k < 3; k++) {
			char key[16];

			snprintf(key, sizeof(key), "%s_days", names[k]);
			json_object_set_new(o, key,
			                    v[k] < 0 ? json_null()
			                             : json_real(v[k]));
		}
	}
	json_object_set_new(o, "mean_days",
	                    r->f.mean < 0 ? json_null() : json_real(r->f.mean));
	nb = cairn_forecast_bins(&r->f, HIST_BINS, &lo, &w, counts);
	for (size_t k = 0; k < nb; k++) {
		json_t *b = json_object();

		json_object_set_new(b, "from_days", json_real(lo + k * w));
		json_object_set_new(b, "to_days", json_real(lo + (k + 1) * w));
		date_of(r, lo + k * w, d);
		json_object_set_new(b, "from", json_string(d));
		date_of(r, lo + (k + 1) * w, d);
		json_object_set_new(b, "to", json_string(d));
		json_object_set_new(b, "count",
		                    json_integer((json_int_t)counts[k]));
		json_array_append_new(hist, b);
	}
	json_object_set_new(o, "histogram", hist);
	nt = top_critical(r, top, TOP_CRITICAL);
	for (size_t k = 0; k < nt; k++) {
		json_t *e = json_object();
		uint32_t i = top[k];

		if (r->g->flags[i] & CAIRN_NODE_PAPER) {
			long q = cairn_roadmap_paper_find(r->rm, -r->g->id[i]);

			json_object_set_new(e, "id", json_null());
			json_object_set_new(e, "paper",
			                    json_string(r->rm->papers[q].key));
		} else {
			json_object_set_new(e, "id", json_integer(r->g->id[i]));
		}
		json_object_set_new(e, "title", json_string(label_of(r, i)));
		json_object_set_new(e, "index",
		                    json_real((double)r->f.crit[i] /
		                              (double)r->f.successes));
		json_array_append_new(crit, e);
	}
	json_object_set_new(o, "critical", crit);
	for (size_t i = 0; i < r->g->n; i++)
		if (r->g->flags[i] & CAIRN_NODE_DEFAULT_EST)
			json_array_append_new(unest, json_integer(r->g->id[i]));
	json_object_set_new(o, "unestimated", unest);
	return o;
}

static void
print_text(struct run *r)
{
	struct cli *c = r->c;
	struct buf out = BUF_INIT, tmp = BUF_INIT;
	char d[CAIRN_DATE_LEN], d2[CAIRN_DATE_LEN];
	uint64_t counts[HIST_BINS], most = 0;
	uint32_t top[TOP_CRITICAL];
	double lo, w;
	size_t nb, nt;

	buf_addf(&tmp, "Forecast for #%lld %s", (long long)r->goal,
	         title_of(r->rm, r->goal));
	cli_styled(c, &out, STYLE_BOLD, tmp.buf);
	{
		size_t np = count_papers(r->g), nm = r->g->n - np;

		buf_addf(&out, "\n  %zu milestone%s", nm, nm == 1 ? "" : "s");
		if (np)
			buf_addf(&out, " and %zu required paper%s", np,
			         np == 1 ? "" : "s");
		buf_addf(&out,
		         " to go, %d work stream%s, up to %d attempt%s "
		         "each\n",
		         r->capacity, r->capacity == 1 ? "" : "s", r->attempts,
		         r->attempts == 1 ? "" : "s");
	}
	buf_addf(&out, "  %llu trials, seed %llu; ",
	         (unsigned long long)r->trials, (unsigned long long)r->seed);
	if (r->no_history)
		buf_adds(&out, "history scaling off\n");
	else if (r->f.history_used)
		buf_addf(&out,
		         "efforts scaled by your history of %zu "
		         "finished milestones\n",
		         r->nhistory);
	else
		buf_addf(&out,
		         "no history scaling (%zu finished milestone%s "
		         "with estimates, %d needed)\n",
		         r->nhistory, r->nhistory == 1 ? "" : "s",
		         CAIRN_HISTORY_MIN);
	buf_addf(&out, "  from %s, %d days a week, %.0f%% of the time\n\n",
	         r->start, r->dpw, r->share * 100);
	buf_addf(&out, "Chance of reaching the goal: %.1f%%\n",
	         r->f.chance * 100);
	if (!r->f.successes) {
		buf_adds(&out, "No trial reached the goal: no dates to "
		               "give.\n");
		goto out;
	}
	buf_adds(&out, "\nGiven success:\n");
	{
		static const char *const names[] = {"P50", "P80", "P95"};
		double v[] = {r->f.p50, r->f.p80, r->f.p95};

		for (int k = 0; k < 3; k++) {
			date_of(r, v[k], d);
			buf_addf(&out, "  %s  %s  (%.0f working days)\n",
			         names[k], d, v[k]);
		}
	}
	nb = cairn_forecast_bins(&r->f, HIST_BINS, &lo, &w, counts);
	for (size_t k = 0; k < nb; k++)
		if (counts[k] > most)
			most = counts[k];
	buf_adds(&out, "\nFinish dates of the successful trials:\n");
	for (size_t k = 0; k < nb; k++) {
		size_t bar = most ? (size_t)(40.0 * (double)counts[k] /
		                                     (double)most +
		                             0.5)
		                  : 0;

		date_of(r, lo + k * w, d);
		date_of(r, lo + (k + 1) * w, d2);
		buf_addf(&out, "  %s  ", d);
		for (size_t b = 0; b < 40; b++)
			buf_addch(&out, b < bar ? '#' : ' ');
		buf_addf(&out, " %5.1f%%\n",
		         100.0 * (double)counts[k] / (double)r->f.successes);
	}
	nt = top_critical(r, top, TOP_CRITICAL);
	if (nt)
		buf_adds(&out, "\nMost often on the critical path:\n");
	for (size_t k = 0; k < nt; k++) {
		uint32_t i = top[k];

		if (r->g->id[i] > 0)
			buf_addf(&out, "  #%-5lld", (long long)r->g->id[i]);
		else
			buf_adds(&out, "  -     ");
		buf_addf(&out, " %5.1f%%  %s\n",
		         100.0 * (double)r->f.crit[i] / (double)r->f.successes,
		         label_of(r, i));
	}
out:
	fputs(out.buf, c->out);
	buf_release(&out);
	buf_release(&tmp);
}

/* "no estimate for #4, #7 (assumed 5/10/20 working days)" on stderr. */
static void
warn_unestimated(const struct cairn_plan *g)
{
	struct buf w = BUF_INIT;
	size_t k = 0;

	for (size_t i = 0; i < g->n; i++)
		if (g->flags[i] & CAIRN_NODE_DEFAULT_EST) {
			if (k++ < 20)
				buf_addf(&w, "%s#%lld", k > 1 ? ", " : "",
				         (long long)g->id[i]);
		}
	if (k > 20)
		buf_addf(&w, " and %zu more", k - 20);
	if (k)
		fprintf(stderr,
		        "cairn: warning: no estimate for %s (assumed "
		        "%g/%g/%g working days)\n",
		        w.buf, CAIRN_DEFAULT_OPT, CAIRN_DEFAULT_LIKELY,
		        CAIRN_DEFAULT_PESS);
	buf_release(&w);
}

static int
cmd_forecast_exec(struct cli *c)
{
	struct cairn_forecast_opts o = CAIRN_FORECAST_OPTS_INIT;
	struct cairn_roadmap rm;
	struct cairn_plan g;
	struct progress prog = {0, 0, -1};
	struct run r;
	double *hist = NULL;
	uint64_t t;
	int ch, rc = 1, have_share = 0;
	const char *start = NULL;

	memset(&r, 0, sizeof(r));
	r.label = (struct buf)BUF_INIT;
	r.c = c;
	r.trials = DEFAULT_TRIALS;
	r.seed = DEFAULT_SEED;
	r.capacity = 1;
	r.attempts = 3;
	r.dpw = 5;
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case 'n':
			if ((rc = cli_uint(c, "--trials", optarg, 1, UINT64_MAX,
			                   &t)))
				return rc;
			if (t > CAIRN_FORECAST_MAX_TRIALS) {
				fprintf(stderr,
				        "cairn: warning: trials capped at %llu "
				        "(asked for %s)\n",
				        CAIRN_FORECAST_MAX_TRIALS, optarg);
				t = CAIRN_FORECAST_MAX_TRIALS;
			}
			r.trials = t;
			break;
		case 's':
			if ((rc = cli_uint(c, "--seed", optarg, 0, UINT64_MAX,
			                   &t)))
				return rc;
			r.seed = t;
			break;
		case 'T':
			if ((rc = cli_int(c, "--threads", optarg, 1,
			                  CAIRN_FORECAST_MAX_THREADS,
			                  &o.threads)))
				return rc;
			break;
		case 'k':
			if ((rc = cli_int(c, "--capacity", optarg, 1, 1000,
			                  &r.capacity)))
				return rc;
			break;
		case 'a':
			if ((rc = cli_int(c, "--max-attempts", optarg, 1, 100,
			                  &r.attempts)))
				return rc;
			break;
		case 'd':
			if ((rc = cli_int(c, "--days-per-week", optarg, 1, 7,
			                  &r.dpw)))
				return rc;
			break;
		case 'S':
			if ((rc = cli_date(c, optarg, r.start)))
				return rc;
			start = optarg;
			break;
		case 'f':
			/* Above 0: a share of 0 never finishes. */
			if ((rc = cli_real(c, "--share", optarg, 0, 1, 0,
			                   &r.share)))
				return rc;
			if (r.share <= 0)
				return cli_usage(c,
				                 "--share must be above 0, not "
				                 "'%s'",
				                 optarg);
			have_share = 1;
			break;
		case 'H':
			r.no_history = 1;
			break;
		default:
			return 2;
		}
	}
	if ((rc = cli_id(c, c->argv[optind], &r.goal)))
		return rc;
	rc = 1;
	if (!start)
		cairn_date_format(cairn_clock(), r.start);
	if (cli_open(c))
		return 1;

	if (cairn_roadmap_load(c->st, &rm, &c->err))
		return cli_fail(c);
	r.rm = &rm;
	if (cairn_roadmap_plan(&rm, r.goal, &g, &c->err)) {
		cairn_roadmap_release(&rm);
		return cli_fail(c);
	}
	r.g = &g;
	if (!g.n) {
		if (c->json) {
			json_t *j = json_object();

			json_object_set_new(j, "goal", json_integer(r.goal));
			json_object_set_new(j, "title",
			                    json_string(title_of(&rm, r.goal)));
			json_object_set_new(j, "remaining", json_integer(0));
			print_json(c, j);
		} else {
			fprintf(c->out,
			        "#%lld %s has no remaining work: nothing to "
			        "forecast\n",
			        (long long)r.goal, title_of(&rm, r.goal));
		}
		rc = 0;
		goto out;
	}
	warn_unestimated(&g);
	if (!have_share && (rc = focus_share(c, &rm, r.goal, &r.share)))
		goto out;
	cairn_roadmap_history(&rm, r.dpw, &hist, &r.nhistory);

	o.trials = r.trials;
	o.seed = r.seed;
	o.capacity = r.capacity;
	o.max_attempts = r.attempts;
	if (!r.no_history) {
		o.history = hist;
		o.nhistory = r.nhistory;
	}
	if (isatty(STDERR_FILENO)) {
		prog.t0 = seconds();
		o.progress = show_progress;
		o.progress_ctx = &prog;
	}
	rc = cairn_forecast_run(&g, &o, &r.f, &c->err);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	if (rc) {
		rc = cli_fail(c);
		goto out;
	}
	if (c->json)
		print_json(c, result_json(&r));
	else
		print_text(&r);
	cairn_forecast_release(&r.f);
	rc = 0;
out:
	free(hist);
	buf_release(&r.label);
	cairn_plan_release(&g);
	cairn_roadmap_release(&rm);
	return rc;
}

const struct cmd_entry cmd_forecast_entry = {
        .name = "forecast",
        .args = "GOAL",
        .usage = "forecast GOAL [--trials N] [--seed S] [--threads T] "
                 "[--capacity K] [--max-attempts A] [--days-per-week D] "
                 "[--start DATE] [--share S] [--no-history]",
        .summary = "Monte Carlo forecast: the chance of reaching a goal, "
                   "and when",
        .help = "Each trial draws every remaining milestone's effort from "
                "its three-point estimate (PERT-beta); an attempt succeeds "
                "with the milestone's p_success and a failed one is retried "
                "with a fresh effort, up to --max-attempts (3), after which "
                "the goal is not reached in that trial.  --capacity parallel "
                "work streams (1).  Required papers not yet read are steps "
                "of their own (1/2/5 days to read, 0.5/1/3 to finish "
                "reading, 5/10/20 to finish replicating).  Efforts are "
                "scaled by your own actual/estimated history once 5 "
                "finished milestones have both; the actual is the time "
                "logged on the milestone (8 hours a day) or else started to "
                "finished (--no-history turns it off).  Dates count --days-per-"
                "week (5) working days from --start (today) at the goal's "
                "share of your time (from the focus setting, or --share).  "
                "--trials (10000, at most 10000000), --seed (1): the same "
                "seed gives the same output for any --threads (default: one "
                "per CPU).  Milestones without an estimate count as 5/10/20 "
                "days, with a warning; without p_success as certain.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_forecast_exec,
};
