/*
 * cmd-undo.c: `cairn undo [N] [--mine]`, take back the last N changes
 * (default 1), and the steps it shares with `cairn redo` (cmd-redo.c).
 * Each change is named (id, time, actor, command) before it is taken
 * back, so that under concurrent writers the user sees whose change it
 * was.
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

struct announce {
	struct cli *c;
	const char *verb;
};

static int
announce(void *ctx, const struct cairn_change *ch)
{
	struct announce *a = ctx;

	if (!a->c->json)
		fprintf(a->c->out, "%s change %lld (%s, %s): %s\n", a->verb,
		        (long long)ch->id, ch->time, ch->actor, ch->label);
	return 0;
}

int
cli_take_back(struct cli *c, int redo)
{
	static const struct option longopts[] = {
	        {"mine", no_argument, NULL, 'm'},
	        {0},
	};
	struct made m = {0, 0, 0, NULL, NULL};
	struct announce a = {c, redo ? "redoing" : "undoing"};
	struct cairn_undo_opts o = {.n = 1, .fn = announce, .ctx = &a};
	char since[CAIRN_TS_LEN];
	int ch, rc, done = 0;

	while ((ch = cli_getopt(c, "", longopts)) != -1) {
		if (ch != 'm')
			return 2;
		o.mine = 1;
	}
	if (optind < c->argc &&
	    (rc = cli_int(c, redo ? "redo count" : "undo count",
	                  c->argv[optind], 1, 100000, &o.n)))
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
	if ((redo ? cairn_journal_redo : cairn_journal_undo)(c->st, &o, &done,
	                                                     &c->err))
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
		json_t *j = json_object();

		json_object_set_new(j, redo ? "redone" : "undone",
		                    json_integer(done));
		json_object_set_new(j, "changes", m.changes);
		cli_json_print(c, j);
		return 0;
	}
	fprintf(c->out, "%s %d change%s\n", redo ? "redid" : "undid", done,
	        done == 1 ? "" : "s");
	return 0;
}

static int
cmd_undo_exec(struct cli *c)
{
	return cli_take_back(c, 0);
}

const struct cmd_entry cmd_undo_entry = {
        .name = "undo",
        .usage = "undo [N] [--mine]",
        .args = "[N]",
        .summary = "undo the last N changes (default 1)",
        .help = "Each change is named (id, time, actor, command) before it "
                "is undone.  --mine undoes only changes made by this actor "
                "($CAIRN_ACTOR, else $USER), not another process's.",
        .flags = CMD_WRITES,
        .exec = cmd_undo_exec,
};
