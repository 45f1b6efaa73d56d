/*
 * cmd-tag.c: `cairn tag ID +T -T ...`; a bare T adds.
 */
#include "cmd.h"
#include "../lib/banned.h"

static int
cmd_tag_exec(struct cli *c)
{
	int64_t id;
	int i, rc;

	/* No getopt: "-T" is a tag to remove, not an option. */
	if ((rc = cli_args(c, 1)) || (rc = cli_id(c, c->argv[1], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	for (i = 2; i < c->argc; i++) {
		const char *t = c->argv[i];
		int add = *t != '-';

		if (*t == '+' || *t == '-')
			t++;
		if (cairn_item_tag(c->st, id, t, add, &c->err))
			return cli_abort(c);
	}
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	fprintf(c->out, "tagged #%lld\n", (long long)id);
	return 0;
}

const struct cmd_entry cmd_tag_entry = {
        .name = "tag",
        .usage = "tag ID +TAG|-TAG...",
        .args = "ID +TAG|-TAG...",
        .summary = "add (+T) or remove (-T) tags",
        .flags = CMD_WRITES,
        .exec = cmd_tag_exec,
};
