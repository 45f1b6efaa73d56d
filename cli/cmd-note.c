/*
 * cmd-note.c: `cairn note ID TEXT` and `cairn refine ID STATEMENT`: dated
 * text on an item.
 */
#include "cmd.h"
#include "../lib/banned.h"

static int
text_command(struct cli *c, int refine)
{
	struct buf text = BUF_INIT;
	int64_t id;
	int ch, rc;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	cli_join(c, optind + 1, &text);
	if (cli_begin(c)) {
		buf_release(&text);
		return 1;
	}
	rc = refine ? cairn_item_refine(c->st, id, text.buf, &c->err)
	            : cairn_item_note(c->st, id, text.buf, &c->err);
	buf_release(&text);
	if (rc)
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	fprintf(c->out, "%s #%lld\n", refine ? "refined" : "noted",
	        (long long)id);
	return 0;
}

static int
cmd_note_exec(struct cli *c)
{
	return text_command(c, 0);
}

static int
cmd_refine_exec(struct cli *c)
{
	return text_command(c, 1);
}

const struct cmd_entry cmd_note_entry = {
        .name = "note",
        .usage = "note ID TEXT",
        .args = "ID TEXT...",
        .summary = "add a timestamped note",
        .flags = CMD_WRITES,
        .exec = cmd_note_exec,
};

const struct cmd_entry cmd_refine_entry = {
        .name = "refine",
        .usage = "refine ID STATEMENT",
        .args = "ID STATEMENT...",
        .summary = "record a sharper statement (all versions are kept)",
        .flags = CMD_WRITES,
        .exec = cmd_refine_exec,
};
