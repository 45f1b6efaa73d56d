/*
 * cmd-undo.c: `cairn undo [N]`, undo the last N changes (default 1).
 */
#include <stdlib.h>

#include "cmd.h"
#include "../lib/banned.h"

/* --json: the changes this undo wrote, ids first..last, with events. */
struct made {
	int64_t first, last, change;
	json_t *changes, *events;
};

static int
collect(void *ctx, const struct cairn_event *ev)
{
	struct made *m = ctx;

	if (ev->change < m->first || ev->change > m->last)
		return 0;
	if (ev->change != m->change) {
		json_t *ch = cli_change_json(ev);

		m->events = json_array();
		json_object_set_new(ch, "events", m->events);
		json_array_append_new(m->changes, ch);
		m->change = ev->change;
	}
	json_array_append_new(m->events, cli_event_json(ev));
	return 0;
}

static int
cmd_undo_exec(struct cli *c)
{
	struct made m = {0, 0, 0, NULL, NULL};
	char since[CAIRN_TS_LEN];
	int ch, rc, n = 1, undone = 0;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if (optind < c->argc &&
	    (rc = cli_int(c, "undo count", c->argv[optind], 1, 100000, &n)))
		return rc;
	/*
	 * Every change the undo writes carries the time its first gets at
	 * begin, so --json reads the journal from a minute before now (a
	 * margin for a clock that steps back): the older changes stay in
	 * SQLite instead of coming to the callback one by one.
	 */
	cairn_ts_format(cairn_clock() - 60, since);
	if (cli_begin(c))
		return 1;
	m.first = cairn_store_change(c->st);
	if (cairn_undo(c->st, n, &undone, &c->err))
		return cli_abort(c);
	/* Read them back before the commit, while no one else writes. */
	if (c->json) {
		m.last = cairn_store_change(c->st);
		m.changes = json_array();
		if (cairn_journal_each(c->st, 0, since, NULL, collect, &m,
		                       &c->err)) {
			json_decref(m.changes);
			return cli_abort(c);
		}
	}
	if (cli_commit(c)) {
		json_decref(m.changes);
		return 1;
	}
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "undone", json_integer(undone));
		json_object_set_new(o, "changes", m.changes);
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out, "undid %d change%s\n", undone, undone == 1 ? "" : "s");
	return 0;
}

const struct cmd_entry cmd_undo_entry = {
        .name = "undo",
        .usage = "undo [N]",
        .args = "[N]",
        .summary = "undo the last N changes (default 1)",
        .flags = CMD_WRITES,
        .exec = cmd_undo_exec,
};
