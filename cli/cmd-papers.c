/*
 * cmd-papers.c: `cairn papers [--status S] [--for ID]`, the reading list:
 * key, status, year, title and authors, by key.  --for keeps the papers
 * that ID or anything below it requires.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"status", required_argument, NULL, 's'},
        {"for", required_argument, NULL, 'f'},
        {0},
};

struct list {
	struct cli *c;
	json_t *all;
	size_t keyw;
	int n;
};

static int
add_item(void *ctx, int64_t item)
{
	json_array_append_new(ctx, json_integer(item));
	return 0;
}

static int
width(void *ctx, const struct cairn_paper *p)
{
	struct list *l = ctx;
	size_t w = cairn_width(p->key);

	if (w > l->keyw)
		l->keyw = w;
	return 0;
}

static int
row(void *ctx, const struct cairn_paper *p)
{
	struct list *l = ctx;
	struct cli *c = l->c;
	struct buf b = BUF_INIT;
	char st[32];

	l->n++;
	if (c->json) {
		json_t *o = cairn_paper_json(p), *items = json_array();
		int rc = cairn_paper_items(c->st, p->id, add_item, items,
		                           &c->err);

		json_object_set_new(o, "items", items);
		json_array_append_new(l->all, o);
		return rc;
	}
	cairn_width_fit(&b, p->key, l->keyw, l->keyw);
	snprintf(st, sizeof(st), "  %-18s", cairn_paper_status_name(p->status));
	cli_styled(c, &b,
	           p->status >= CAIRN_PAPER_READ ? STYLE_DIM : STYLE_NONE, st);
	if (p->year)
		buf_addf(&b, " %d  ", p->year);
	else
		buf_adds(&b, " ----  ");
	buf_adds(&b, p->title);
	if (p->authors && *p->authors) {
		buf_adds(&b, " — ");
		buf_adds(&b, p->authors);
	}
	buf_addch(&b, '\n');
	fputs(b.buf, c->out);
	buf_release(&b);
	return 0;
}

static int
cmd_papers_exec(struct cli *c)
{
	struct cairn_paper_query q = CAIRN_PAPER_QUERY_INIT;
	struct list l = {c, NULL, 3, 0};
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 's') {
			if ((rc = cli_enum(
			             c, "paper status", optarg,
			             cairn_paper_status_parse,
			             "to-read, reading, read, replicating, "
			             "replicated or replication-failed",
			             &q.status)))
				return rc;
		} else if (ch == 'f') {
			if ((rc = cli_id(c, optarg, &q.item)))
				return rc;
		} else {
			return 2;
		}
	}
	if (cli_open(c))
		return 1;
	if (c->json) {
		l.all = json_array();
		if (cairn_paper_each(c->st, &q, row, &l, &c->err)) {
			json_decref(l.all);
			return cli_fail(c);
		}
		cli_json_print(c, l.all);
		return 0;
	}
	if (cairn_paper_each(c->st, &q, width, &l, &c->err))
		return cli_fail(c);
	rc = cairn_paper_each(c->st, &q, row, &l, &c->err);
	if (rc)
		return cli_fail(c);
	return 0;
}

const struct cmd_entry cmd_papers_entry = {
        .name = "papers",
        .usage = "papers [--status S] [--for ID]",
        .summary = "list papers (of one status, or required by ID's subtree)",
        .flags = CMD_OPENS_DB,
        .exec = cmd_papers_exec,
};
