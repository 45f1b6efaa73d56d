/*
 * cmd-dep.c: `cairn dep add ID PREREQ` (ID builds on PREREQ) and `cairn
 * dep rm ID PREREQ`.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static int
cmd_dep_exec(struct cli *c)
{
	int64_t id, pre;
	int ch, add, rc;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	add = !strcmp(c->argv[optind], "add");
	if (!add && strcmp(c->argv[optind], "rm"))
		return cli_usage(c, "unknown subcommand '%s'", c->argv[optind]);
	if ((rc = cli_id(c, c->argv[optind + 1], &id)) ||
	    (rc = cli_id(c, c->argv[optind + 2], &pre)))
		return rc;
	if (cli_begin(c))
		return 1;
	rc = add ? cairn_edge_add(c->st, id, pre, &c->err)
	         : cairn_edge_remove(c->st, id, pre, &c->err);
	if (rc)
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "item", json_integer(id));
		json_object_set_new(o, "builds_on", json_integer(pre));
		json_object_set_new(o, "added", json_boolean(add));
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out,
	        add ? "#%lld now builds on #%lld\n"
	            : "#%lld no longer builds on #%lld\n",
	        (long long)id, (long long)pre);
	return 0;
}

const struct cmd_entry cmd_dep_entry = {
        .name = "dep",
        .usage = "dep add|rm ID PREREQ",
        .args = "add|rm ID PREREQ",
        .summary = "say that ID builds on PREREQ (or no longer does)",
        .flags = CMD_WRITES,
        .exec = cmd_dep_exec,
};
