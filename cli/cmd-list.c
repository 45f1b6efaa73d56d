/*
 * cmd-list.c: `cairn list`, a filtered, sorted table of items.  Rows are
 * streamed from the store straight to the output, so memory does not grow
 * with the store; the title is the last column, cut to the terminal width
 * by display width.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"status", required_argument, NULL, 's'},
        {"tag", required_argument, NULL, 't'},
        {"under", required_argument, NULL, 'u'},
        {"sort", required_argument, NULL, 'S'},
        {"all", no_argument, NULL, 'a'},
        {"ready", no_argument, NULL, 'r'},
        {0},
};

struct list {
	struct cli *c;
	struct buf line;
	int idw;
	int n;
};

static int
print_row(void *ctx, const struct cairn_item *it)
{
	struct list *l = ctx;
	struct cli *c = l->c;
	struct buf *b = &l->line;
	char num[32], col[32];
	const char *p, *due;
	size_t used;

	/* Few formatting calls per row: list prints every open item. */
	buf_reset(b);
	buf_addf(b, "#%-*lld %-9s ", l->idw, (long long)it->id,
	         cairn_kind_name(it->kind));
	snprintf(col, sizeof(col), "%-7s", cairn_status_name(it->status));
	cli_styled(c, b, cli_status_style(it->status), col);
	p = cli_num(num, sizeof(num), it->p_success);
	due = it->due[0] ? it->due : "-";
	if (it->scope)
		buf_addf(b, " %d %-4s %-10s ", it->scope, p, due);
	else
		buf_addf(b, " - %-4s %-10s ", p, due);
	used = (size_t)l->idw + 1 + 1 + 10 + 8 + 2 + 5 + 12;
	if (c->width && (size_t)c->width > used + 8)
		cairn_width_fit(b, it->title, (size_t)c->width - used - 1, 0);
	else
		buf_adds(b, it->title);
	buf_addch(b, '\n');
	fputs(b->buf, c->out);
	l->n++;
	return 0;
}

static int
print_json_row(void *ctx, const struct cairn_item *it)
{
	struct list *l = ctx;
	json_t *o = cairn_item_json(it);

	fputs(l->n++ ? ",\n  " : "\n  ", l->c->out);
	json_dumpf(o, l->c->out,
	           JSON_COMPACT | JSON_PRESERVE_ORDER |
	                   JSON_REAL_PRECISION(15));
	json_decref(o);
	return 0;
}

static int
cmd_list_exec(struct cli *c)
{
	struct cairn_query q = CAIRN_QUERY_INIT;
	struct list l = {c, BUF_INIT, 1, 0};
	int64_t max = 0;
	int ch, all = 0, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case 'k':
			if ((rc = cli_enum(c, "kind", optarg, cairn_kind_parse,
			                   "goal, milestone, question or idea",
			                   &q.kind)))
				return rc;
			break;
		case 's':
			if ((rc = cli_enum(
			             c, "status", optarg, cairn_status_parse,
			             "idea, planned, active, paused, done "
			             "or dropped",
			             &q.status)))
				return rc;
			break;
		case 't':
			q.tag = optarg;
			break;
		case 'u':
			if ((rc = cli_id(c, optarg, &q.under)))
				return rc;
			break;
		case 'S':
			q.sort = optarg;
			break;
		case 'a':
			all = 1;
			break;
		case 'r':
			q.ready = 1;
			break;
		default:
			return 2;
		}
	}
	if (cli_open(c))
		return 1;
	/* Done and dropped items are history: shown on request. */
	q.open_only = !all && q.status < 0;
	if (c->json) {
		fputs("[", c->out);
		rc = cairn_query_run(c->st, &q, print_json_row, &l, &c->err);
		fputs(l.n ? "\n]\n" : "]\n", c->out);
		return rc ? cli_fail(c) : 0;
	}
	if (cairn_item_max_id(c->st, &max, &c->err))
		return cli_fail(c);
	for (int64_t m = max; m >= 10; m /= 10)
		l.idw++;
	rc = cairn_query_run(c->st, &q, print_row, &l, &c->err);
	buf_release(&l.line);
	return rc ? cli_fail(c) : 0;
}

const struct cmd_entry cmd_list_entry = {
        .name = "list",
        .alias = "ls",
        .usage = "list [--kind K] [--status S] [--tag T] [--under ID] "
                 "[--sort [-]FIELD] [--all] [--ready]",
        .summary = "list items (done and dropped only with --all or --status)",
        .help = "Columns: id, kind, status, scope, p_success, due, title.  "
                "Sort by id, title, kind, status, due, created, started, "
                "finished, scope, p_success, novelty, likelihood or parent; a "
                "leading '-' reverses.  "
                "--ready keeps the milestones `next` counts as ready: "
                "nothing open below but questions and ideas, and every "
                "prerequisite of their own and of the items above them "
                "done or dropped, required papers read.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_list_exec,
};
