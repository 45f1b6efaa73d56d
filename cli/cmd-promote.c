/*
 * cmd-promote.c: `cairn promote ID [--to goal|milestone|question]
 * [--under ID]`, turn an idea into planned work, keeping its history.
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"to", required_argument, NULL, 't'},
        {"under", required_argument, NULL, 'u'},
        {0},
};

static int
cmd_promote_exec(struct cli *c)
{
	const char *to = NULL;
	int64_t id, under = 0;
	int ch, rc, kind;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 't')
			to = optarg;
		else if (ch == 'u') {
			if ((rc = cli_id(c, optarg, &under)))
				return rc;
		} else
			return 2;
	}
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	/* Under something it is a milestone, at the top a goal. */
	kind = to      ? cairn_kind_parse(to)
	       : under ? CAIRN_KIND_MILESTONE
	               : CAIRN_KIND_GOAL;
	if (kind < 0 || kind == CAIRN_KIND_IDEA)
		return cli_usage(c,
		                 "cannot promote to '%s' (want goal, "
		                 "milestone or question)",
		                 to);
	if (cli_begin(c))
		return 1;
	if (cairn_item_promote(c->st, id, kind, under, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	fprintf(c->out, "promoted #%lld to %s\n", (long long)id,
	        cairn_kind_name(kind));
	return 0;
}

const struct cmd_entry cmd_promote_entry = {
        .name = "promote",
        .usage = "promote ID [--to goal|milestone|question] [--under ID]",
        .args = "ID",
        .summary = "turn an idea into a goal, milestone or question",
        .flags = CMD_WRITES,
        .exec = cmd_promote_exec,
};
