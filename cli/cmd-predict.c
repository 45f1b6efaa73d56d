/*
 * cmd-predict.c: `cairn predict [--item ID] [--who NAME] [--by DATE]
 * --p P STATEMENT`, a dated prediction (usually of a mentor's reaction)
 * to score later with `resolve` and `calibration`; and `cairn predict set
 * PID FIELD=VALUE...`, which changes one while it is open.  A new
 * prediction always has --p, so without it "set" names the subcommand,
 * and with it "set" is the first word of a statement.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../hub/hub.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"item", required_argument, NULL, 'i'},
        {"who", required_argument, NULL, 'w'},
        {"by", required_argument, NULL, 'b'},
        {"p", required_argument, NULL, 'p'},
        {0},
};

/* Apply argv[from..] (FIELD=VALUE each) to pr; 0 or the error code. */
static int
predict_fields(struct cli *c, int from, struct cairn_prediction *pr)
{
	for (int i = from; i < c->argc; i++) {
		struct buf field = BUF_INIT;
		const char *v = cli_field_split(c->argv[i], &field);
		int rc =
		        cairn_prediction_parse_field(pr, field.buf, v, &c->err);

		buf_release(&field);
		if (rc)
			return rc;
	}
	return 0;
}

/* predict set PID FIELD=VALUE...: every field, then one checked write. */
static int
predict_set(struct cli *c, int argi)
{
	struct cairn_prediction pr;
	char pct[32];
	int64_t id;
	int rc;

	if ((rc = cli_subargs(c, argi, "PID FIELD=VALUE...")) ||
	    (rc = cli_fields_check(c, argi + 1)))
		return rc;
	if (cairn_prediction_id_parse(c->argv[argi], &id, &c->err))
		return cli_usage_err(c);
	/* Every value is checked on a blank prediction before the store
	 * opens. */
	cairn_prediction_init(&pr);
	rc = predict_fields(c, argi + 1, &pr);
	cairn_prediction_release(&pr);
	if (rc)
		return cli_usage_err(c);
	if (cli_begin(c))
		return 1;
	if (cairn_prediction_get(c->st, id, &pr, &c->err))
		return cli_abort(c);
	if (predict_fields(c, argi + 1, &pr))
		goto fail;
	if (cairn_prediction_update(c->st, &pr, &c->err))
		goto fail;
	cairn_prediction_release(&pr);
	if (cli_commit(c))
		return 1;
	/* Read back, as predictions --json lists it. */
	if (cairn_prediction_get(c->st, id, &pr, &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(c, cairn_prediction_json(&pr));
	} else {
		fprintf(c->out, "updated P%lld: %s that %s", (long long)id,
		        cli_pct(pct, sizeof(pct), pr.p), pr.statement);
		if (pr.due[0])
			fprintf(c->out, " (resolve by %s)", pr.due);
		fputc('\n', c->out);
	}
	cairn_prediction_release(&pr);
	return 0;
fail:
	cairn_prediction_release(&pr);
	return cli_abort(c);
}

static int
cmd_predict_exec(struct cli *c)
{
	struct cairn_prediction pr;
	struct buf text = BUF_INIT;
	const char *p = NULL;
	char pct[32];
	int ch, rc = 1, any = 0;

	cairn_prediction_init(&pr);
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		any = 1;
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
	if (!p && optind < c->argc && !strcmp(c->argv[optind], "set")) {
		rc = any ? cli_usage(c, "'predict set' takes FIELD=VALUE, not "
		                        "options")
		         : predict_set(c, optind + 1);
		goto out;
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
	if (pr.who && pr.who[0] == '@' && !hub_name_ok(pr.who + 1)) {
		rc = cli_usage(
		        c,
		        "'%s' does not name a hub user (@ and 1 to %d of "
		        "letters, digits, '.', '_' and '-')",
		        pr.who, HUB_NAME_MAX);
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
                 "STATEMENT | set PID FIELD=VALUE...",
        .summary = "predict something (a mentor's reaction) with a "
                   "probability, or change an open prediction",
        .help = "P is 0-1 or a percentage (0.7, 70%).  --by is the date by "
                "which it should be known; --who names the person it is "
                "about.  Score predictions with resolve and calibration.  set "
                "changes an open prediction's p, due (its resolve-by date; "
                "none clears it), who or statement; once resolved, a "
                "prediction stays as it was said.",
        .flags = CMD_WRITES,
        .exec = cmd_predict_exec,
};
