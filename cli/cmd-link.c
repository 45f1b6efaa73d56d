/*
 * cmd-link.c: `cairn link ID URL [--label L]`.
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"label", required_argument, NULL, 'l'},
        {0},
};

static int
cmd_link_exec(struct cli *c)
{
	const char *label = NULL;
	int64_t id;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'l')
			return 2;
		label = optarg;
	}
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	if (cairn_item_link(c->st, id, c->argv[optind + 1], label, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	fprintf(c->out, "linked #%lld to %s\n", (long long)id,
	        c->argv[optind + 1]);
	return 0;
}

const struct cmd_entry cmd_link_entry = {
        .name = "link",
        .usage = "link ID URL [--label L]",
        .args = "ID URL",
        .summary = "attach a link (http, https or mailto)",
        .flags = CMD_WRITES,
        .exec = cmd_link_exec,
};
