/*
 * cmd-help.c: `cairn help [COMMAND]`; `cairn help --commands` lists the
 * command names one a line (for shell completion and the man-page test).
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"commands", no_argument, NULL, 'c'},
        {0},
};

static int
cmd_help_exec(struct cli *c)
{
	const struct cmd_entry *const *e, *one;
	int ch, names = 0, ambiguous, width = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'c')
			return 2;
		names = 1;
	}
	if (names) {
		for (e = cmd_table; *e; e++)
			fprintf(c->out, "%s\n", (*e)->name);
		return 0;
	}
	if (optind + 1 < c->argc)
		return cli_usage(c, "too many arguments");
	if (optind < c->argc) {
		one = cmd_find(c->argv[optind], &ambiguous);
		if (!one)
			return cli_usage(c, "%s command '%s'",
			                 ambiguous ? "ambiguous" : "unknown",
			                 c->argv[optind]);
		fprintf(c->out, "usage: cairn %s\n\n%s\n", one->usage,
		        one->summary);
		if (one->help)
			fprintf(c->out, "\n%s\n", one->help);
		if (one->alias)
			fprintf(c->out, "\nalias: %s\n", one->alias);
		return 0;
	}
	fputs("usage: cairn [--db PATH] [--json] [--no-color] COMMAND "
	      "[ARGS]\n\n",
	      c->out);
	/* Summaries line up after the longest name. */
	for (e = cmd_table; *e; e++)
		if ((int)strlen((*e)->name) > width)
			width = (int)strlen((*e)->name);
	for (e = cmd_table; *e; e++)
		fprintf(c->out, "  %-*s  %s\n", width, (*e)->name,
		        (*e)->summary);
	fputs("\nItems are named by id (12 or #12).  The store is --db, "
	      "$CAIRN_DB, or\n$XDG_DATA_HOME/cairn/cairn.db.  'cairn help "
	      "COMMAND' shows a command's usage.\n",
	      c->out);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
        .name = "help",
        .usage = "help [COMMAND] [--commands]",
        .summary = "show help for cairn or a command",
        .exec = cmd_help_exec,
};
