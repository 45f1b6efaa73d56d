/*
 * cmd-focus.c: `cairn focus [--weeks N]` and `cairn focus set [MAIN_ID]
 * [--explore PCT] [--wip N] [--hours-per-day H]`.
 *
 * The report: time on the main project's subtree, on exploration and on
 * the rest over the last N weeks (default 4) against the target shares;
 * a warning when more items are active than the WIP limit; and the
 * attention forecast, each goal's stated likelihood beside its share of
 * the time logged on goals, with how well the ranking predicted it.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

enum { OPT_WEEKS = 256, OPT_EXPLORE, OPT_WIP, OPT_HOURS };

static const struct option opts[] = {
        {"weeks", required_argument, NULL, OPT_WEEKS},
        {"explore", required_argument, NULL, OPT_EXPLORE},
        {"wip", required_argument, NULL, OPT_WIP},
        {"hours-per-day", required_argument, NULL, OPT_HOURS},
        {0},
};

static int
focus_set(struct cli *c, int argi, const char *explore, const char *wip,
          const char *hours)
{
	double share = -1, hpd = 0;
	int64_t id = 0;
	int limit = 0, rc;

	/* With --hours-per-day alone, MAIN_ID may be left out. */
	if ((rc = cli_subargs(c, argi, hours ? "[MAIN_ID]" : "MAIN_ID")))
		return rc;
	if (argi == c->argc && (explore || wip))
		return cli_usage(c, "--explore and --wip go with MAIN_ID");
	if (argi < c->argc && (rc = cli_id(c, c->argv[argi], &id)))
		return rc;
	if (hours) {
		if ((rc = cli_real(c, "--hours-per-day", hours, 0, 24, 0,
		                   &hpd)))
			return rc;
		if (hpd <= 0)
			return cli_usage(c,
			                 "--hours-per-day must be above 0, not "
			                 "'%s'",
			                 hours);
	}
	if (explore) {
		if ((rc = cli_real(c, "--explore", explore, 0, 100, 1, &share)))
			return rc;
		share /= 100;
	}
	if (wip && (rc = cli_int(c, "--wip", wip, 1, 100, &limit)))
		return rc;
	if (cli_begin(c))
		return 1;
	if ((id && cairn_focus_set(c->st, id, share, limit, &c->err)) ||
	    (hours && cairn_focus_set_hours(c->st, hpd, &c->err)))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		/* The setting as it is now, named as the report names it. */
		struct cairn_focus f;
		json_t *o;

		if (cairn_focus_get(c->st, &f, &c->err))
			return cli_fail(c);
		o = json_object();
		json_object_set_new(o, "main", json_integer(f.main));
		json_object_set_new(o, "explore_target", json_real(f.explore));
		json_object_set_new(o, "main_target", json_real(1 - f.explore));
		json_object_set_new(o, "wip", json_integer(f.wip));
		json_object_set_new(o, "hours_per_day",
		                    json_real(f.hours_per_day));
		cli_json_print(c, o);
		return 0;
	}
	if (id)
		fprintf(c->out, "focus on #%lld\n", (long long)id);
	if (hours)
		fprintf(c->out, "a working day is %g logged hours\n", hpd);
	return 0;
}

static void
share_line(struct cli *c, struct buf *b, const char *what, long minutes,
           long total, double target)
{
	char dur[32], p1[32], p2[32];

	cairn_duration_format(minutes, dur);
	buf_addf(b, "  %-14s %8s  %5s  (target %s)\n", what, dur,
	         total ? cli_pct(p1, sizeof(p1), (double)minutes / total) : "-",
	         cli_pct(p2, sizeof(p2), target));
	(void)c;
}

static const char *
verdict(double rho)
{
	return rho >= 0.7   ? "your ranking predicted your attention well"
	       : rho >= 0.3 ? "your ranking predicted your attention in part"
	                    : "your ranking did not predict your attention";
}

static int
focus_report(struct cli *c, int weeks)
{
	struct cairn_focus_report r;
	struct buf b = BUF_INIT, tmp = BUF_INIT;
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN], dur[32];
	char p1[32], p2[32];

	cairn_last_weeks(weeks, since, until);
	if (cairn_focus_report(c->st, since, until, &r, &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(c, cairn_focus_report_json(&r));
		cairn_focus_report_release(&r);
		return 0;
	}
	cairn_duration_format(r.total_minutes, dur);
	buf_addf(&b, "Focus from %s to %s (%d week%s): %s logged\n", since,
	         until, weeks, weeks == 1 ? "" : "s", dur);
	if (r.focus.main)
		buf_addf(&b, "Main project: #%lld %s\n",
		         (long long)r.focus.main, r.main_title);
	else
		buf_adds(&b, "No main project set (cairn focus set ID).\n");
	buf_addch(&b, '\n');
	share_line(c, &b, "main project", r.main_minutes, r.total_minutes,
	           r.focus.main ? 1 - r.focus.explore : 0);
	share_line(c, &b, "exploration", r.explore_minutes, r.total_minutes,
	           r.focus.explore);
	share_line(c, &b, "the rest", r.rest_minutes, r.total_minutes,
	           r.focus.main ? 0 : 1 - r.focus.explore);
	buf_addf(&b, "\n%d active item%s, WIP limit %d\n", r.active,
	         r.active == 1 ? "" : "s", r.focus.wip);
	if (r.active > r.focus.wip) {
		buf_reset(&tmp);
		buf_addf(&tmp,
		         "warning: %d items are active, more than the WIP "
		         "limit of %d: finish or pause some",
		         r.active, r.focus.wip);
		cli_styled(c, &b, STYLE_YELLOW, tmp.buf);
		buf_addch(&b, '\n');
	}
	if (r.ngoals) {
		buf_adds(&b, "\nAttention forecast: stated likelihood against "
		             "share of time on goals\n");
		buf_adds(&b,
		         "  likelihood  expected  actual      time  goal\n");
		for (int i = 0; i < r.ngoals; i++) {
			const struct cairn_attention *a = &r.goals[i];
			char l[32];

			cairn_duration_format(a->minutes, dur);
			buf_addf(&b, "  %10s  %8s  %6s  %8s  #%lld ",
			         a->likelihood >= 0 ? cli_value(l, sizeof(l),
			                                        a->likelihood)
			                            : "-",
			         a->likelihood >= 0
			                 ? cli_pct(p1, sizeof(p1), a->expected)
			                 : "-",
			         r.goal_minutes
			                 ? cli_pct(p2, sizeof(p2), a->share)
			                 : "-",
			         dur, (long long)a->id);
			cairn_width_fit(&b, a->title, 50, 0);
			buf_addch(&b, '\n');
		}
		if (r.other_minutes) {
			cairn_duration_format(r.other_minutes, dur);
			buf_addf(&b, "  (%s on items under no goal)\n", dur);
		}
		if (r.has_rho)
			buf_addf(&b,
			         "Ranking against time (Spearman): %.2f, "
			         "%s\n",
			         r.rho, verdict(r.rho));
		else if (!r.goal_minutes)
			buf_adds(&b, "No time logged on goals in this "
			             "period.\n");
	}
	fputs(b.buf, c->out);
	buf_release(&b);
	buf_release(&tmp);
	cairn_focus_report_release(&r);
	return 0;
}

static int
cmd_focus_exec(struct cli *c)
{
	const char *explore = NULL, *wip = NULL, *weeks = NULL, *hours = NULL;
	int ch, rc, n = CAIRN_FOCUS_WEEKS;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == OPT_WEEKS)
			weeks = optarg;
		else if (ch == OPT_EXPLORE)
			explore = optarg;
		else if (ch == OPT_WIP)
			wip = optarg;
		else if (ch == OPT_HOURS)
			hours = optarg;
		else
			return 2;
	}
	if (optind < c->argc && !strcmp(c->argv[optind], "set")) {
		if (weeks)
			return cli_usage(c, "'focus set' takes no --weeks");
		return focus_set(c, optind + 1, explore, wip, hours);
	}
	if (optind < c->argc)
		return cli_usage(c, "unknown subcommand '%s'", c->argv[optind]);
	if (explore || wip || hours)
		return cli_usage(c, "--explore, --wip and --hours-per-day go "
		                    "with 'focus set'");
	if (weeks && (rc = cli_weeks(c, weeks, &n)))
		return rc;
	if (cli_open(c))
		return 1;
	return focus_report(c, n);
}

const struct cmd_entry cmd_focus_entry = {
        .name = "focus",
        .usage = "focus [--weeks N] | set [MAIN_ID] [--explore PCT] [--wip N] "
                 "[--hours-per-day H]",
        .args = "[set] [MAIN_ID]",
        .summary = "time on the main project vs exploration; WIP; attention",
        .help = "Time counts for the main project when logged on MAIN_ID or "
                "below it; for exploration when on an idea or question or "
                "below one, or on an item tagged 'explore'; else for the "
                "rest.  The defaults are 20% exploration and a WIP limit of "
                "3 active items.  The attention forecast compares each "
                "goal's likelihood with its share of the time logged on "
                "goals over the last N weeks (default 4).  --hours-per-day "
                "(8) says how many logged hours make a working day, which "
                "is how a forecast counts time logged on finished "
                "milestones: someone who logs only focused hours sets it "
                "to those.",
        .flags = CMD_WRITES,
        .exec = cmd_focus_exec,
};
