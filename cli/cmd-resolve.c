/*
 * cmd-resolve.c: `cairn resolve PID yes|no [--why TEXT] [--date D]`,
 * record how a prediction turned out.  A prediction is resolved once.
 */
#include <string.h>

#include <stdint.h>

#include "cmd.h"
#include "../net/sync-client.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"why", required_argument, NULL, 'w'},
        {"date", required_argument, NULL, 'd'},
        {0},
};

/* resolve QID: a question put to this user on the hub (the mentor
 * loop), answered there, once. */
static int
resolve_question(struct cli *c, const char *q, int outcome, const char *why,
                 const char *date)
{
	uint64_t qid;
	int rc;

	if ((rc = cli_uint(c, "the question", q + 1, 1, INT64_MAX, &qid)))
		return rc;
	if (date)
		return cli_usage(c,
		                 "an answer to %s is dated by the hub: no "
		                 "--date",
		                 q);
	if (!why || !*why)
		return cli_usage(c,
		                 "an answer to %s needs --why TEXT: the "
		                 "reasoning is the point",
		                 q);
	if ((rc = cli_open(c)))
		return rc;
	if (sync_answer(c->st, (int64_t)qid, outcome, why, &c->err))
		return cli_fail(c);
	fprintf(c->out, "answered Q%llu: %s\n", (unsigned long long)qid,
	        outcome ? "yes" : "no");
	return 0;
}

static int
cmd_resolve_exec(struct cli *c)
{
	struct cairn_prediction pr;
	const char *why = NULL, *date = NULL, *o;
	char day[CAIRN_DATE_LEN], pct[32];
	int64_t id;
	int ch, rc, outcome;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 'w')
			why = optarg;
		else if (ch == 'd')
			date = optarg;
		else
			return 2;
	}
	o = c->argv[optind + 1];
	if (!strcmp(o, "yes") || !strcmp(o, "y") || !strcmp(o, "true"))
		outcome = 1;
	else if (!strcmp(o, "no") || !strcmp(o, "n") || !strcmp(o, "false"))
		outcome = 0;
	else
		return cli_usage(c, "outcome '%s' must be yes or no", o);
	if ((c->argv[optind][0] == 'Q' || c->argv[optind][0] == 'q') &&
	    c->argv[optind][1])
		return resolve_question(c, c->argv[optind], outcome, why, date);
	if (cairn_prediction_id_parse(c->argv[optind], &id, &c->err))
		return cli_usage_err(c);
	if (date && (rc = cli_date(c, date, day)))
		return rc;
	if (cli_begin(c))
		return 1;
	if (cairn_prediction_resolve(c->st, id, outcome, date ? day : NULL, why,
	                             &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (cairn_prediction_get(c->st, id, &pr, &c->err))
		return cli_fail(c);
	if (c->json)
		cli_json_print(c, cairn_prediction_json(&pr));
	else
		fprintf(c->out, "resolved P%lld: %s (you said %s)\n",
		        (long long)id, outcome ? "yes" : "no",
		        cli_pct(pct, sizeof(pct), pr.p));
	cairn_prediction_release(&pr);
	return 0;
}

const struct cmd_entry cmd_resolve_entry = {
        .name = "resolve",
        .usage = "resolve PID yes|no [--why TEXT] [--date D] | resolve QID "
                 "yes|no --why TEXT",
        .args = "PID yes|no",
        .summary = "record how a prediction turned out (once)",
        .help = "PID is the prediction's number (3 or P3).  --why keeps the "
                "reasoning heard; --date is when it was settled (today by "
                "default).  A prediction made with --who @NAME is resolved "
                "only by NAME's answer (cairn sync).  QID (Q7) is a question "
                "put to you on the hub (cairn sync questions): resolve "
                "answers it there, once, with --why, and the asker's next "
                "sync resolves their prediction with your reasoning.",
        .flags = CMD_WRITES,
        .exec = cmd_resolve_exec,
};
