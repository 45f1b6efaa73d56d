/*
 * cmd-forecast.c: `cairn forecast GOAL`, the Monte Carlo forecast of a
 * goal's remaining work (the use case is cairn_goal_forecast in
 * include/cairn/plan/goal-forecast.h, the model forecast.h): the chance of
 * reaching it, P50/P80/P95 dates given success, a histogram and the
 * milestones most often on the critical path.
 *
 * The output depends only on the store, the options and the seed, never
 * on --threads: the JSON of one seed is byte-identical for any thread
 * count.  Progress goes to stderr, and only when stderr is a terminal and
 * the run has taken more than half a second.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cairn/plan/goal-forecast.h"
#include "../lib/banned.h"

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

static void
print_text(struct cli *c, const struct cairn_goal_forecast *fc)
{
	static const char *const names[] = {"P50", "P80", "P95"};
	const double v[] = {fc->f.p50, fc->f.p80, fc->f.p95};
	struct cairn_goal_forecast_row rows[CAIRN_GOAL_FORECAST_BINS];
	struct buf out = BUF_INIT, tmp = BUF_INIT;
	size_t np = fc->papers, nm = fc->remaining - fc->papers, nb;
	char d[CAIRN_DATE_LEN];
	uint64_t most = 0;

	buf_addf(&tmp, "Forecast for #%lld %s", (long long)fc->goal, fc->title);
	cli_styled(c, &out, STYLE_BOLD, tmp.buf);
	buf_addf(&out, "\n  %zu milestone%s", nm, nm == 1 ? "" : "s");
	if (np)
		buf_addf(&out, " and %zu required paper%s", np,
		         np == 1 ? "" : "s");
	buf_addf(&out,
	         " to go, %d work stream%s, up to %d attempt%s "
	         "each\n",
	         fc->capacity, fc->capacity == 1 ? "" : "s", fc->max_attempts,
	         fc->max_attempts == 1 ? "" : "s");
	buf_addf(&out, "  %llu trials, seed %llu; ",
	         (unsigned long long)fc->trials, (unsigned long long)fc->seed);
	if (fc->no_history)
		buf_adds(&out, "history scaling off\n");
	else if (fc->f.history_used)
		buf_addf(&out,
		         "efforts scaled by your history of %zu "
		         "finished milestones\n  (median actual/estimate %.2f; "
		         "time logged counted at %g hours a day)\n",
		         fc->nhistory, fc->history_median, fc->hours_per_day);
	else
		buf_addf(&out,
		         "no history scaling (%zu finished milestone%s "
		         "with estimates, %d needed)\n",
		         fc->nhistory, fc->nhistory == 1 ? "" : "s",
		         CAIRN_HISTORY_MIN);
	buf_addf(&out, "  from %s, %d days a week, %.0f%% of the time\n\n",
	         fc->start, fc->days_per_week, fc->share * 100);
	buf_addf(&out, "Chance of reaching the goal: %.1f%%\n",
	         fc->f.chance * 100);
	if (!fc->f.successes) {
		buf_adds(&out, "No trial reached the goal: no dates to "
		               "give.\n");
		goto out;
	}
	buf_adds(&out, "\nGiven success:\n");
	for (int k = 0; k < 3; k++) {
		/* The date is effort / share working days away. */
		cairn_goal_forecast_date(fc, v[k], d);
		buf_addf(&out,
		         "  %s  %s  (%lld working days; %.0f days of effort at "
		         "%.0f%% focus)\n",
		         names[k], d, cairn_goal_forecast_workdays(fc, v[k]),
		         v[k], fc->share * 100);
	}
	nb = cairn_goal_forecast_rows(fc, CAIRN_GOAL_FORECAST_BINS, rows);
	for (size_t k = 0; k < nb; k++)
		if (rows[k].count > most)
			most = rows[k].count;
	buf_adds(&out, "\nFinish dates of the successful trials:\n");
	for (size_t k = 0; k < nb; k++) {
		size_t bar = most ? (size_t)(40.0 * (double)rows[k].count /
		                                     (double)most +
		                             0.5)
		                  : 0;

		if (strcmp(rows[k].from, rows[k].to))
			buf_addf(&out, "  %s to %s  ", rows[k].from,
			         rows[k].to);
		else
			buf_addf(&out, "  %s%*s  ", rows[k].from, 14, "");
		for (size_t b = 0; b < 40; b++)
			buf_addch(&out, b < bar ? '#' : ' ');
		buf_addf(&out, " %5.1f%%\n",
		         100.0 * (double)rows[k].count /
		                 (double)fc->f.successes);
	}
	if (fc->ncritical)
		buf_adds(&out, "\nMost often on the critical path:\n");
	for (size_t k = 0; k < fc->ncritical; k++) {
		const struct cairn_goal_forecast_step *s = &fc->critical[k];

		if (s->id > 0)
			buf_addf(&out, "  #%-5lld", (long long)s->id);
		else
			buf_adds(&out, "  -     ");
		buf_addf(&out, " %5.1f%%  %s\n", 100.0 * s->index, s->label);
	}
out:
	fputs(out.buf, c->out);
	buf_release(&out);
	buf_release(&tmp);
}

/* "no estimate for #4, #7 (assumed 5/10/20 working days)" on stderr. */
static void
warn_unestimated(const struct cairn_goal_forecast *fc)
{
	struct buf w = BUF_INIT;
	size_t k = fc->nunestimated;

	for (size_t i = 0; i < k && i < 20; i++)
		buf_addf(&w, "%s#%lld", i ? ", " : "",
		         (long long)fc->unestimated[i]);
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
	struct cairn_goal_forecast_opts o = CAIRN_GOAL_FORECAST_OPTS_INIT;
	struct cairn_goal_forecast fc;
	struct progress prog = {0, 0, -1};
	char start[CAIRN_DATE_LEN];
	uint64_t t;
	int64_t goal;
	int ch, rc;

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
			o.run.trials = t;
			break;
		case 's':
			if ((rc = cli_uint(c, "--seed", optarg, 0,
			                   CLI_UINT_EXACT, &t)))
				return rc;
			o.run.seed = t;
			break;
		case 'T':
			if ((rc = cli_int(c, "--threads", optarg, 1,
			                  CAIRN_FORECAST_MAX_THREADS,
			                  &o.run.threads)))
				return rc;
			break;
		case 'k':
			if ((rc = cli_int(c, "--capacity", optarg, 1,
			                  CAIRN_FORECAST_MAX_CAPACITY,
			                  &o.run.capacity)))
				return rc;
			break;
		case 'a':
			if ((rc = cli_int(c, "--max-attempts", optarg, 1, 100,
			                  &o.run.max_attempts)))
				return rc;
			break;
		case 'd':
			if ((rc = cli_int(c, "--days-per-week", optarg, 1, 7,
			                  &o.days_per_week)))
				return rc;
			break;
		case 'S':
			if ((rc = cli_date(c, optarg, start)))
				return rc;
			o.start = start;
			break;
		case 'f':
			/* Above 0: a share of 0 never finishes. */
			if ((rc = cli_real(c, "--share", optarg, 0, 1, 0,
			                   &o.share)))
				return rc;
			if (o.share <= 0)
				return cli_usage(c,
				                 "--share must be above 0, not "
				                 "'%s'",
				                 optarg);
			break;
		case 'H':
			o.no_history = 1;
			break;
		default:
			return 2;
		}
	}
	if ((rc = cli_id(c, c->argv[optind], &goal)))
		return rc;
	if (cli_open(c))
		return 1;
	if (isatty(STDERR_FILENO)) {
		prog.t0 = seconds();
		o.run.progress = show_progress;
		o.run.progress_ctx = &prog;
	}
	rc = cairn_goal_forecast(c->st, goal, &o, &fc, &c->err);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	if (rc) {
		cairn_goal_forecast_release(&fc);
		return cli_fail(c);
	}
	warn_unestimated(&fc);
	if (c->json)
		print_json(c, cairn_goal_forecast_json(&fc));
	else if (!fc.remaining)
		fprintf(c->out,
		        "#%lld %s has no remaining work: nothing to "
		        "forecast\n",
		        (long long)fc.goal, fc.title);
	else
		print_text(c, &fc);
	cairn_goal_forecast_release(&fc);
	return 0;
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
                "logged on the milestone (at focus set --hours-per-day, 8) or "
                "else its weekdays from start to finish (--no-history turns "
                "it off).  Dates count --days-per-"
                "week (5) working days from --start (today) at the goal's "
                "share of your time (from the focus setting, or --share).  "
                "--trials (10000, at most 10000000), --seed (1): the same "
                "seed gives the same output for any --threads (default: one "
                "per CPU).  Milestones without an estimate count as 5/10/20 "
                "days, with a warning; without p_success as certain.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_forecast_exec,
};
