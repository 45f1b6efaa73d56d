/*
 * cmd-mv.c: `cairn mv ID --under ID | --root`, move in the breakdown tree.
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"under", required_argument, NULL, 'u'},
        {"root", no_argument, NULL, 'r'},
        {0},
};

static int
cmd_mv_exec(struct cli *c)
{
	int64_t id, under = 0;
	int ch, rc, root = 0, have_under = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 'u') {
			if ((rc = cli_id(c, optarg, &under)))
				return rc;
			have_under = 1;
		} else if (ch == 'r') {
			root = 1;
		} else {
			return 2;
		}
	}
	if (root == have_under)
		return cli_usage(c,
		                 "give exactly one of --under ID and --root");
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	if (cairn_item_move(c->st, id, under, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	if (root)
		fprintf(c->out, "moved #%lld to the top\n", (long long)id);
	else
		fprintf(c->out, "moved #%lld under #%lld\n", (long long)id,
		        (long long)under);
	return 0;
}

const struct cmd_entry cmd_mv_entry = {
        .name = "mv",
        .usage = "mv ID --under ID | --root",
        .args = "ID",
        .summary = "move an item in the breakdown tree",
        .flags = CMD_WRITES,
        .exec = cmd_mv_exec,
};
