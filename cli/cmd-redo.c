/*
 * cmd-redo.c: `cairn redo [N] [--mine]`, re-apply the last N changes
 * that undo took back (default 1), until the next other change ends the
 * redo history.  The steps are undo's (cli_take_back in cmd-undo.c).
 */
#include "cmd.h"
#include "../lib/banned.h"

static int
cmd_redo_exec(struct cli *c)
{
	return cli_take_back(c, 1);
}

const struct cmd_entry cmd_redo_entry = {
        .name = "redo",
        .usage = "redo [N] [--mine]",
        .args = "[N]",
        .summary = "redo the last N undone changes (default 1)",
        .help = "Redo re-applies what undo took back, newest undo first, "
                "as many steps as were undone; any other change ends the "
                "redo history.  --mine redoes only this actor's undos.",
        .flags = CMD_WRITES,
        .exec = cmd_redo_exec,
};
