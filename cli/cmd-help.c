/*
 * cmd-help.c: `cairn help [COMMAND]`; `cairn help --commands` lists the
 * command names one a line (for shell completion and the man-page test),
 * and `cairn help --formats [import|export]` the formats from lib/fmt's
 * table, one a line: all of them with their directions, or the names that
 * import reads or export writes.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"commands", no_argument, NULL, 'c'},
        {"formats", no_argument, NULL, 'f'},
        {0},
};

static int
list_formats(struct cli *c)
{
	const char *which = optind < c->argc ? c->argv[optind] : NULL;
	const struct cairn_format_info *f;
	unsigned dir = 0;
	size_t n;

	if (which && !strcmp(which, "import"))
		dir = CAIRN_FORMAT_IN;
	else if (which && !strcmp(which, "export"))
		dir = CAIRN_FORMAT_OUT;
	else if (which)
		return cli_usage(c,
		                 "--formats takes 'import' or 'export', not "
		                 "'%s'",
		                 which);
	f = cairn_formats(&n);
	for (size_t i = 0; i < n; i++) {
		if (dir && !(f[i].dir & dir))
			continue;
		if (dir) {
			fprintf(c->out, "%s\n", f[i].name);
			continue;
		}
		fprintf(c->out, "%-12s %-14s %s\n", f[i].name,
		        f[i].dir == (CAIRN_FORMAT_IN | CAIRN_FORMAT_OUT)
		                ? "import export"
		        : f[i].dir & CAIRN_FORMAT_OUT ? "export"
		        : f[i].dir & CAIRN_FORMAT_IN  ? "import"
		                                      : "paper import",
		        f[i].summary);
	}
	return 0;
}

static int
cmd_help_exec(struct cli *c)
{
	const struct cmd_entry *const *e, *one;
	int ch, names = 0, formats = 0, ambiguous, width = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 'c')
			names = 1;
		else if (ch == 'f')
			formats = 1;
		else
			return 2;
	}
	if (names) {
		if (optind < c->argc)
			return cli_usage(c, "unexpected argument '%s'",
			                 c->argv[optind]);
		for (e = cmd_table; *e; e++)
			fprintf(c->out, "%s\n", (*e)->name);
		return 0;
	}
	if (formats)
		return list_formats(c);
	if (optind < c->argc) {
		one = cmd_find(c->argv[optind], &ambiguous);
		if (!one && ambiguous) {
			struct buf cands = BUF_INIT;

			cmd_candidates(c->argv[optind], &cands);
			cli_usage(c, "ambiguous command '%s' (could be: %s)",
			          c->argv[optind], cands.buf);
			buf_release(&cands);
			return 2;
		}
		if (!one)
			return cli_usage(c, "unknown command '%s'",
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
        .usage = "help [COMMAND] [--commands] [--formats [import|export]]",
        .args = "[COMMAND]",
        .summary = "show help for cairn or a command",
        .exec = cmd_help_exec,
};
