/*
 * cmd-status.c: `start`, `pause`, `done` (one or more ids) and `drop ID
 * --why TEXT`: status changes, each command one change.
 */
#include "cmd.h"
#include "../lib/banned.h"

/*
 * --json: the items of argv[from..] as they are now, one detail object
 * for one id (as every command that changes an item prints), an array of
 * them in argument order for several.
 */
static int
print_items(struct cli *c, int from)
{
	json_t *all, *o;
	int64_t id;

	if (from + 1 == c->argc) {
		cairn_id_parse(c->argv[from], &id, NULL);
		return cli_print_item(c, id);
	}
	all = json_array();
	for (int i = from; i < c->argc; i++) {
		cairn_id_parse(c->argv[i], &id, NULL);
		if (cairn_item_detail(c->st, id, &o, &c->err)) {
			json_decref(all);
			return cli_fail(c);
		}
		json_array_append_new(all, o);
	}
	cli_json_print(c, all);
	return 0;
}

static int
set_status(struct cli *c, const char *name)
{
	const struct cairn_status_verb *v = cairn_status_verb_find(name);
	int64_t id;
	int ch, rc;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	for (int i = optind; i < c->argc; i++)
		if ((rc = cli_id(c, c->argv[i], &id)))
			return rc;
	if (cli_begin(c))
		return 1;
	for (int i = optind; i < c->argc; i++) {
		cairn_id_parse(c->argv[i], &id, NULL);
		if (cairn_item_set_status(c->st, id, v->status, NULL, &c->err))
			return cli_abort(c);
	}
	if (cli_commit(c))
		return 1;
	if (c->json)
		return print_items(c, optind);
	for (int i = optind; i < c->argc; i++) {
		cairn_id_parse(c->argv[i], &id, NULL);
		fprintf(c->out, "%s #%lld\n", v->past, (long long)id);
	}
	return 0;
}

static int
cmd_start_exec(struct cli *c)
{
	return set_status(c, "start");
}

static int
cmd_pause_exec(struct cli *c)
{
	return set_status(c, "pause");
}

static int
cmd_done_exec(struct cli *c)
{
	return set_status(c, "done");
}

static const struct option drop_opts[] = {
        {"why", required_argument, NULL, 'w'},
        {0},
};

static int
cmd_drop_exec(struct cli *c)
{
	const struct cairn_status_verb *drop = cairn_status_verb_find("drop");
	const char *why = NULL;
	int64_t id;
	int ch, rc;

	while ((ch = cli_getopt(c, "", drop_opts)) != -1) {
		if (ch != 'w')
			return 2;
		why = optarg;
	}
	if (!why || !*why)
		return cli_usage(c, "dropping needs a reason: --why TEXT");
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	if (cairn_item_set_status(c->st, id, drop->status, why, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	fprintf(c->out, "%s #%lld\n", drop->past, (long long)id);
	return 0;
}

const struct cmd_entry cmd_start_entry = {
        .name = "start",
        .usage = "start ID...",
        .args = "ID...",
        .summary = "mark items active",
        .flags = CMD_WRITES,
        .exec = cmd_start_exec,
};

const struct cmd_entry cmd_pause_entry = {
        .name = "pause",
        .usage = "pause ID...",
        .args = "ID...",
        .summary = "mark items paused",
        .flags = CMD_WRITES,
        .exec = cmd_pause_exec,
};

const struct cmd_entry cmd_done_entry = {
        .name = "done",
        .usage = "done ID...",
        .args = "ID...",
        .summary = "mark items done",
        .flags = CMD_WRITES,
        .exec = cmd_done_exec,
};

const struct cmd_entry cmd_drop_entry = {
        .name = "drop",
        .usage = "drop ID --why TEXT",
        .args = "ID",
        .summary = "drop an item, saying why",
        .flags = CMD_WRITES,
        .exec = cmd_drop_exec,
};
