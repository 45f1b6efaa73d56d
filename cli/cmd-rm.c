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
add_removed(void *ctx, const struct cairn_item *it, int depth,
            const unsigned char *last)
{
	(void)depth;
	(void)last;
	json_array_append_new(ctx, json_integer(it->id));
	return 0;
}

static int
cmd_rm_exec(struct cli *c)
{
	json_t *removed = NULL;
	int64_t id;
	int ch, rc, force = 0;

	while ((ch = cli_getopt(c, "f", opts)) != -1) {
		if (ch != 'f')
			return 2;
		force = 1;
	}
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	/* --json names what goes: the subtree, read in the same change. */
	if (c->json) {
		removed = json_array();
		if (cairn_tree_walk(c->st, id,
		                    CAIRN_TREE_ALL | CAIRN_TREE_BRIEF,
		                    add_removed, removed, &c->err))
			goto fail;
	}
	if (cairn_item_remove(c->st, id, force, &c->err))
		goto fail;
	if (cli_commit(c)) {
		json_decref(removed);
		return 1;
	}
	if (removed) {
		json_t *o = json_object();

		json_object_set_new(o, "removed", removed);
		cli_json_print(c, o);
		return 0;
	}
	fprintf(c->out, "removed #%lld\n", (long long)id);
	return 0;
fail:
	json_decref(removed);
	return cli_abort(c);
}

const struct cmd_entry cmd_rm_entry = {
        .name = "rm",
        .usage = "rm ID [--force]",
        .args = "ID",
        .summary = "remove an item (--force: with everything below it)",
        .flags = CMD_WRITES,
        .exec = cmd_rm_exec,
};
