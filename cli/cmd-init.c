/*
 * cmd-init.c: `cairn init`, create the store (or check an existing one).
 */
#include "cmd.h"
#include "../lib/banned.h"

static int
cmd_init_exec(struct cli *c)
{
	int ch;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if (cli_open_write(c))
		return 1;
	if (cairn_store_readonly(c->st))
		return cli_error(c, "store '%s' is read-only",
		                 cairn_store_filename(c->st));
	/* Creating the store is what init is for: keep it. */
	c->saved = 1;
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "store",
		                    json_string(cairn_store_filename(c->st)));
		json_object_set_new(o, "created", json_boolean(c->created));
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out, "store ready at %s\n", cairn_store_filename(c->st));
	return 0;
}

const struct cmd_entry cmd_init_entry = {
        .name = "init",
        .usage = "init",
        .summary = "create the store (at --db, $CAIRN_DB or the XDG data "
                   "folder)",
        .flags = CMD_WRITES,
        .exec = cmd_init_exec,
};
