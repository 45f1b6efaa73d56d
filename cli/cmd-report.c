/*
 * cmd-report.c: `cairn report driven [--weeks N]`, the split between
 * goal-driven and idea-driven work: goals, active items and logged time
 * (last N weeks, default 4), each by the `driven` of the item or its
 * nearest ancestor that states one.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"weeks", required_argument, NULL, 'w'},
        {0},
};

static void
share(struct buf *b, long part, long total)
{
	char p[32];

	buf_addf(b, " %6s",
	         total ? cli_pct(p, sizeof(p), (double)part / total) : "-");
}

static int
cmd_report_exec(struct cli *c)
{
	static const char *const names[] = {"goal-driven", "idea-driven",
	                                    "unstated"};
	struct cairn_driven_report r;
	struct buf b = BUF_INIT;
	char since[CAIRN_DATE_LEN], until[CAIRN_DATE_LEN], dur[32];
	long goals = 0, active = 0, minutes = 0;
	int ch, rc, weeks = 4;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'w')
			return 2;
		if ((rc = cli_weeks(c, optarg, &weeks)))
			return rc;
	}
	if (strcmp(c->argv[optind], "driven"))
		return cli_usage(c, "unknown report '%s' (want driven)",
		                 c->argv[optind]);
	if (cli_open(c))
		return 1;
	cairn_last_weeks(weeks, since, until);
	if (cairn_driven_report(c->st, since, until, &r, &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(c, cairn_driven_report_json(&r));
		return 0;
	}
	for (int i = 0; i < CAIRN_SPLITS; i++) {
		goals += r.goals[i];
		active += r.active[i];
		minutes += r.minutes[i];
	}
	buf_addf(&b, "Goal-driven against idea-driven (time from %s to %s)\n\n",
	         since, until);
	buf_addf(&b, "%-11s %12s  %12s  %14s\n", "", "goals", "active", "time");
	for (int i = 0; i < CAIRN_SPLITS; i++) {
		buf_addf(&b, "%-11s %5d", names[i], r.goals[i]);
		share(&b, r.goals[i], goals);
		buf_addf(&b, "  %5d", r.active[i]);
		share(&b, r.active[i], active);
		cairn_duration_format(r.minutes[i], dur);
		buf_addf(&b, "  %7s", dur);
		share(&b, r.minutes[i], minutes);
		buf_addch(&b, '\n');
	}
	fputs(b.buf, c->out);
	buf_release(&b);
	return 0;
}

const struct cmd_entry cmd_report_entry = {
        .name = "report",
        .usage = "report driven [--weeks N]",
        .args = "driven",
        .summary = "goal-driven against idea-driven: goals, active work, time",
        .flags = CMD_OPENS_DB,
        .exec = cmd_report_exec,
};
