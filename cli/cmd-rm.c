/*
 * cmd-rm.c: `cairn rm ID [--force]`, delete an item (and with --force its
 * subtree).  Undo brings it back.
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"force", no_argument, NULL, 'f'},
        {0},
};

static int
cmd_rm_exec(struct cli *c)
{
	int64_t id;
	int ch, force = 0;

	while ((ch = cli_getopt(c, "f", opts)) != -1) {
		if (ch != 'f')
			return 2;
		force = 1;
	}
	if (optind + 1 != c->argc)
		return cli_usage(c, optind == c->argc ? "missing ID"
		                                      : "too many arguments");
	if (cli_id(c, c->argv[optind], &id))
		return 1;
	if (cli_begin(c))
		return 1;
	if (cairn_item_remove(c->st, id, force, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	fprintf(c->out, "removed #%lld\n", (long long)id);
	return 0;
}

const struct cmd_entry cmd_rm_entry = {
        .name = "rm",
        .usage = "rm ID [--force]",
        .summary = "remove an item (--force: with everything below it)",
        .flags = CMD_WRITES,
        .exec = cmd_rm_exec,
};
