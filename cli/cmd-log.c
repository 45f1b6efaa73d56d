/*
 * cmd-log.c: `cairn log ID DURATION [--date D] [--note T]`, time spent on
 * an item (90m, 1.5h, 2h30m).
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},
        {"note", required_argument, NULL, 'n'},
        {0},
};

static int
cmd_log_exec(struct cli *c)
{
	const char *note = NULL, *date = NULL;
	char day[CAIRN_DATE_LEN], dur[32];
	int64_t id;
	int ch, minutes;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 'd')
			date = optarg;
		else if (ch == 'n')
			note = optarg;
		else
			return 2;
	}
	if (optind + 2 > c->argc)
		return cli_usage(c, optind == c->argc ? "missing ID"
		                                      : "missing DURATION");
	if (optind + 2 < c->argc)
		return cli_usage(c, "too many arguments");
	if (cli_id(c, c->argv[optind], &id))
		return 1;
	if (cairn_duration_parse(c->argv[optind + 1], &minutes, &c->err))
		return cli_fail(c);
	if (date && cli_date(c, date, day))
		return 1;
	if (!date)
		cairn_date_format(cairn_clock(), day);
	if (cli_begin(c))
		return 1;
	if (cairn_time_log(c->st, id, day, minutes, note, NULL, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	cairn_duration_format(minutes, dur);
	fprintf(c->out, "logged %s on #%lld (%s)\n", dur, (long long)id, day);
	return 0;
}

const struct cmd_entry cmd_log_entry = {
        .name = "log",
        .usage = "log ID DURATION [--date D] [--note T]",
        .summary = "log time spent on an item (90m, 1.5h, 2h30m)",
        .help = "One entry is at most 24 hours; --date defaults to today and "
                "cannot be in the future.",
        .flags = CMD_WRITES,
        .exec = cmd_log_exec,
};
