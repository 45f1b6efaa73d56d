/*
 * cmd-undo.c: `cairn undo [N]`, undo the last N changes (default 1).
 */
#include <stdlib.h>

#include "cmd.h"
#include "../lib/banned.h"

static int
cmd_undo_exec(struct cli *c)
{
	int ch, n = 1, undone = 0;
	char *end;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if (optind + 1 < c->argc)
		return cli_usage(c, "too many arguments");
	if (optind < c->argc) {
		long v = strtol(c->argv[optind], &end, 10);

		if (*end || end == c->argv[optind] || v < 1 || v > 100000)
			return cli_error(c,
			                 "undo count must be a number from 1 "
			                 "to 100000, not '%s'",
			                 c->argv[optind]);
		n = (int)v;
	}
	if (cli_begin(c))
		return 1;
	if (cairn_undo(c->st, n, &undone, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	fprintf(c->out, "undid %d change%s\n", undone, undone == 1 ? "" : "s");
	return 0;
}

const struct cmd_entry cmd_undo_entry = {
        .name = "undo",
        .usage = "undo [N]",
        .summary = "undo the last N changes (default 1)",
        .flags = CMD_WRITES,
        .exec = cmd_undo_exec,
};
