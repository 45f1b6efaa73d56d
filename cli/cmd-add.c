/*
 * cmd-add.c: `cairn add KIND TITLE [options]`, one item with its tags and
 * links in one change.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

enum {
	OPT_UNDER = 256,
	OPT_SCOPE,
	OPT_P,
	OPT_NOVELTY,
	OPT_ESTIMATE,
	OPT_DUE,
	OPT_LIKELIHOOD,
	OPT_DRIVEN,
	OPT_TAG,
	OPT_LINK,
	OPT_BODY,
	OPT_VIS,
	OPT_STATUS,
};

static const struct option opts[] = {
        {"under", required_argument, NULL, OPT_UNDER},
        {"scope", required_argument, NULL, OPT_SCOPE},
        {"p-success", required_argument, NULL, OPT_P},
        {"novelty", required_argument, NULL, OPT_NOVELTY},
        {"estimate", required_argument, NULL, OPT_ESTIMATE},
        {"due", required_argument, NULL, OPT_DUE},
        {"likelihood", required_argument, NULL, OPT_LIKELIHOOD},
        {"driven", required_argument, NULL, OPT_DRIVEN},
        {"tag", required_argument, NULL, OPT_TAG},
        {"link", required_argument, NULL, OPT_LINK},
        {"body", required_argument, NULL, OPT_BODY},
        {"visibility", required_argument, NULL, OPT_VIS},
        {"status", required_argument, NULL, OPT_STATUS},
        {0},
};

/* Field settings given as options, applied after the insert. */
struct pending {
	const char *field;
	const char *value;
};

static int
cmd_add_exec(struct cli *c)
{
	struct pending set[16];
	const char *tags[64], *links[64];
	int nset = 0, ntags = 0, nlinks = 0, ch, kind, rc = 1;
	struct cairn_item it;
	struct buf title = BUF_INIT;
	int64_t under = 0;

	cairn_item_init(&it);
	/* Unless --visibility says otherwise, the parent's. */
	it.visibility = CAIRN_VIS_INHERIT;
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case OPT_UNDER:
			if ((rc = cli_id(c, optarg, &under)))
				return rc;
			break;
		case OPT_TAG:
			if (ntags == 64)
				return cli_usage(c, "at most 64 --tag");
			tags[ntags++] = optarg;
			break;
		case OPT_LINK:
			if (nlinks == 64)
				return cli_usage(c, "at most 64 --link");
			links[nlinks++] = optarg;
			break;
		case OPT_SCOPE:
		case OPT_P:
		case OPT_NOVELTY:
		case OPT_ESTIMATE:
		case OPT_DUE:
		case OPT_LIKELIHOOD:
		case OPT_DRIVEN:
		case OPT_BODY:
		case OPT_VIS:
		case OPT_STATUS:
			if (nset == 16)
				return cli_usage(c, "too many options");
			set[nset].field = opts[ch - OPT_UNDER].name;
			set[nset++].value = optarg;
			break;
		default:
			return 2;
		}
	}
	if ((rc = cli_enum(c, "kind", c->argv[optind], cairn_kind_parse,
	                   "goal, milestone, question or idea", &kind)))
		return rc;
	rc = 1;
	cli_join(c, optind + 1, &title);
	it.kind = kind;
	it.title = buf_detach(&title, NULL);
	it.parent = under;

	for (int i = 0; i < nset; i++)
		if (cairn_item_parse_field(&it, set[i].field, set[i].value,
		                           &c->err)) {
			rc = cli_usage_err(c);
			goto out;
		}
	if (cli_begin(c))
		goto out;
	if (cairn_item_add(c->st, &it, &c->err))
		goto fail;
	for (int i = 0; i < ntags; i++)
		if (cairn_item_tag(c->st, it.id, tags[i], 1, &c->err))
			goto fail;
	for (int i = 0; i < nlinks; i++)
		if (cairn_item_link(c->st, it.id, links[i], NULL, &c->err))
			goto fail;
	if (cli_commit(c))
		goto out;
	c->last_id = it.id;
	if (c->json) {
		rc = cli_print_item(c, it.id);
		goto out;
	}
	fprintf(c->out, "added %s #%lld: %s\n", cairn_kind_name(it.kind),
	        (long long)it.id, it.title);
	rc = 0;
	goto out;
fail:
	rc = cli_abort(c);
out:
	cairn_item_release(&it);
	return rc;
}

const struct cmd_entry cmd_add_entry = {
        .name = "add",
        .args = "KIND TITLE...",
        .usage = "add KIND TITLE [--under ID] [--scope N] [--p-success P] "
                 "[--novelty N] [--estimate O/M/P] [--due DATE] "
                 "[--likelihood P] [--driven goal|idea] [--tag T]... "
                 "[--link URL]... [--body TEXT] [--visibility V] "
                 "[--status S]",
        .summary = "add a goal, milestone, question or idea",
        .help = "KIND is goal, milestone, question or idea.  Scope and novelty "
                "are 1-5, p-success and likelihood 0-1 (or a percentage), the "
                "estimate is optimistic/likely/pessimistic working days.  "
                "DATE is YYYY-MM-DD, today, tomorrow, yesterday, or +N/-N "
                "with d, w, m or y (+2w).",
        .flags = CMD_WRITES,
        .exec = cmd_add_exec,
};
