/*
 * cmd-set.c: `cairn set ID FIELD=VALUE...`, several fields in one change.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

/* Apply argv[from..] (FIELD=VALUE each) to it; 0 or the error code. */
static int
parse_fields(struct cli *c, int from, struct cairn_item *it)
{
	for (int i = from; i < c->argc; i++) {
		char *eq = strchr(c->argv[i], '=');
		struct buf field = BUF_INIT;
		int rc;

		buf_add(&field, c->argv[i], (size_t)(eq - c->argv[i]));
		rc = cairn_item_parse_field(it, field.buf, eq + 1, &c->err);
		buf_release(&field);
		if (rc)
			return rc;
	}
	return 0;
}

static int
cmd_set_exec(struct cli *c)
{
	struct cairn_item it;
	int64_t id;
	int ch, rc;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	for (int i = optind + 1; i < c->argc; i++)
		if (!strchr(c->argv[i], '='))
			return cli_usage(c, "'%s' is not FIELD=VALUE",
			                 c->argv[i]);
	/* Every value is checked on a blank item before the store opens. */
	cairn_item_init(&it);
	rc = parse_fields(c, optind + 1, &it);
	cairn_item_release(&it);
	if (rc)
		return cli_usage_err(c);
	if (cli_open(c))
		return 1;
	if (cairn_item_get(c->st, id, &it, &c->err))
		return cli_fail(c);
	if (parse_fields(c, optind + 1, &it)) {
		cairn_item_release(&it);
		return cli_fail(c);
	}
	if (cli_begin(c)) {
		cairn_item_release(&it);
		return 1;
	}
	if (cairn_item_update(c->st, &it, &c->err)) {
		cairn_item_release(&it);
		return cli_abort(c);
	}
	cairn_item_release(&it);
	if (cli_commit(c))
		return 1;
	if (c->json)
		return cli_print_item(c, id);
	fprintf(c->out, "updated #%lld\n", (long long)id);
	return 0;
}

const struct cmd_entry cmd_set_entry = {
        .name = "set",
        .usage = "set ID FIELD=VALUE...",
        .args = "ID FIELD=VALUE...",
        .summary = "change fields of an item",
        .help = "Fields: title, body, kind, scope, p_success, novelty, "
                "estimate, due, likelihood, driven, visibility, status, rank.  "
                "VALUE 'none' clears an optional field.",
        .flags = CMD_WRITES,
        .exec = cmd_set_exec,
};
