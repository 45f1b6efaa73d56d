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

/* --json: find the new entry among the item's of that day. */
static int
find_entry(void *ctx, const struct cairn_time_entry *e)
{
	struct cli_found *f = ctx;
	json_t *o;

	if (e->id != f->id)
		return 0;
	o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "item", json_integer(e->item));
	json_object_set_new(o, "date", json_string(e->date));
	json_object_set_new(o, "minutes", json_integer(e->minutes));
	json_object_set_new(o, "note",
	                    e->note ? json_string(e->note) : json_null());
	f->json = o;
	return 1;
}

static int
cmd_log_exec(struct cli *c)
{
	const char *note = NULL, *date = NULL;
	char day[CAIRN_DATE_LEN], dur[32];
	int64_t id, entry = 0;
	int ch, rc, minutes;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 'd')
			date = optarg;
		else if (ch == 'n')
			note = optarg;
		else
			return 2;
	}
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cairn_duration_parse(c->argv[optind + 1], &minutes, &c->err))
		return cli_usage_err(c);
	if (date && (rc = cli_date(c, date, day)))
		return rc;
	if (!date)
		cairn_date_format(cairn_clock(), day);
	if (cli_begin(c))
		return 1;
	if (cairn_time_log(c->st, id, day, minutes, note, &entry, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		struct cli_found f = {entry, NULL};
		rc = cairn_time_each(c->st, id, day, day, find_entry, &f,
		                     &c->err);

		return cli_print_found(c, rc, &f, "time entry");
	}
	cairn_duration_format(minutes, dur);
	fprintf(c->out, "logged %s on #%lld (%s)\n", dur, (long long)id, day);
	return 0;
}

const struct cmd_entry cmd_log_entry = {
        .name = "log",
        .usage = "log ID DURATION [--date D] [--note T]",
        .args = "ID DURATION",
        .summary = "log time spent on an item (90m, 1.5h, 2h30m)",
        .help = "One entry is at most 24 hours; --date defaults to today and "
                "cannot be in the future.",
        .flags = CMD_WRITES,
        .exec = cmd_log_exec,
};
