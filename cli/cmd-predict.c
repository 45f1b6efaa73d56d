/*
 * cmd-predict.c: `cairn predict [--item ID] [--who NAME] [--by DATE]
 * --p P STATEMENT`, a dated prediction (usually of a mentor's reaction)
 * to score later with `resolve` and `calibration`.
 */
#include <stdlib.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"item", required_argument, NULL, 'i'},
        {"who", required_argument, NULL, 'w'},
        {"by", required_argument, NULL, 'b'},
        {"p", required_argument, NULL, 'p'},
        {0},
};

static int
cmd_predict_exec(struct cli *c)
{
	struct cairn_prediction pr;
	struct buf text = BUF_INIT;
	const char *p = NULL;
	char pct[32];
	int ch, rc = 1;

	cairn_prediction_init(&pr);
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case 'i':
			if ((rc = cli_id(c, optarg, &pr.item)))
				goto out;
			break;
		case 'w':
			free(pr.who);
			pr.who = xstrdup(optarg);
			break;
		case 'b':
			if ((rc = cli_date(c, optarg, pr.due)))
				goto out;
			break;
		case 'p':
			p = optarg;
			break;
		default:
			rc = 2;
			goto out;
		}
	}
	if (!p) {
		rc = cli_usage(c, "missing --p P (the probability, 0-1 or "
		                  "a percentage)");
		goto out;
	}
	if (cairn_probability_parse(p, &pr.p, &c->err)) {
		rc = cli_usage_err(c);
		goto out;
	}
	rc = 1;
	cli_join(c, optind, &text);
	pr.statement = buf_detach(&text, NULL);
	if (cli_begin(c))
		goto out;
	if (cairn_prediction_add(c->st, &pr, &c->err)) {
		rc = cli_abort(c);
		goto out;
	}
	if (cli_commit(c))
		goto out;
	if (c->json) {
		cli_json_print(c, cairn_prediction_json(&pr));
	} else {
		fprintf(c->out, "prediction P%lld: %s that %s",
		        (long long)pr.id, cli_pct(pct, sizeof(pct), pr.p),
		        pr.statement);
		if (pr.due[0])
			fprintf(c->out, " (resolve by %s)", pr.due);
		fputc('\n', c->out);
	}
	rc = 0;
out:
	cairn_prediction_release(&pr);
	return rc;
}

const struct cmd_entry cmd_predict_entry = {
        .name = "predict",
        .args = "STATEMENT...",
        .usage = "predict [--item ID] [--who NAME] [--by DATE] --p P "
                 "STATEMENT",
        .summary = "predict something (a mentor's reaction) with a probability",
        .help = "P is 0-1 or a percentage (0.7, 70%).  --by is the date by "
                "which it should be known; --who names the person it is "
                "about.  Score predictions with resolve and calibration.",
        .flags = CMD_WRITES,
        .exec = cmd_predict_exec,
};
