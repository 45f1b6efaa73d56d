/*
 * cmd-predictions.c: `cairn predictions [--open] [--overdue] [--who NAME]
 * [--tag T]`, predictions with their probability and outcome.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"open", no_argument, NULL, 'o'},
        {"overdue", no_argument, NULL, 'd'},
        {"who", required_argument, NULL, 'w'},
        {"tag", required_argument, NULL, 't'},
        {0},
};

struct show {
	struct cli *c;
	json_t *all;
	char today[CAIRN_DATE_LEN];
};

static int
row(void *ctx, const struct cairn_prediction *pr)
{
	struct show *s = ctx;
	struct cli *c = s->c;
	struct buf b = BUF_INIT, col = BUF_INIT;
	char pct[32];

	if (c->json) {
		json_array_append_new(s->all, cairn_prediction_json(pr));
		return 0;
	}
	buf_addf(&b, "P%-3lld %5s  ", (long long)pr->id,
	         cli_pct(pct, sizeof(pct), pr->p));
	if (pr->outcome >= 0) {
		buf_addf(&col, "%-4s %s", pr->outcome ? "yes" : "no",
		         pr->resolved);
		cli_styled(c, &b, pr->outcome ? STYLE_GREEN : STYLE_RED,
		           col.buf);
	} else if (pr->due[0] && strcmp(pr->due, s->today) < 0) {
		buf_addf(&col, "late %s", pr->due);
		cli_styled(c, &b, STYLE_YELLOW, col.buf);
	} else if (pr->due[0]) {
		buf_addf(&b, "by   %s", pr->due);
	} else {
		buf_adds(&b, "open           ");
	}
	buf_addch(&b, ' ');
	if (pr->who)
		buf_addf(&b, " %s:", pr->who);
	if (pr->item)
		buf_addf(&b, " #%lld", (long long)pr->item);
	buf_addf(&b, " %s\n", pr->statement);
	if (pr->why && pr->outcome >= 0 && cairn_prediction_mentor(pr))
		buf_addf(&b, "      why (%s's answer): %s\n", pr->who + 1,
		         pr->why);
	else if (pr->why)
		buf_addf(&b, "      why: %s\n", pr->why);
	fputs(b.buf, c->out);
	buf_release(&b);
	buf_release(&col);
	return 0;
}

static int
cmd_predictions_exec(struct cli *c)
{
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct show s = {c, NULL, ""};
	int ch;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case 'o':
			q.open = 1;
			break;
		case 'd':
			q.overdue = 1;
			break;
		case 'w':
			q.who = optarg;
			break;
		case 't':
			q.tag = optarg;
			break;
		default:
			return 2;
		}
	}
	if (cli_open(c))
		return 1;
	cairn_date_format(cairn_clock(), s.today);
	if (c->json)
		s.all = json_array();
	if (cairn_prediction_each(c->st, &q, row, &s, &c->err)) {
		json_decref(s.all);
		return cli_fail(c);
	}
	if (c->json)
		cli_json_print(c, s.all);
	return 0;
}

const struct cmd_entry cmd_predictions_entry = {
        .name = "predictions",
        .usage = "predictions [--open] [--overdue] [--who NAME] [--tag T]",
        .summary = "list predictions (open, overdue, or about someone)",
        .help = "--overdue keeps open predictions past their resolve-by "
                "date; --tag keeps those whose item carries the tag.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_predictions_exec,
};
