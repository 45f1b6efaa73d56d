/*
 * cmd-calibration.c: `cairn calibration [--who NAME] [--tag T]`, how well
 * stated probabilities matched what happened, over resolved predictions:
 * count, Brier score, log score, and stated against observed by bin.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"who", required_argument, NULL, 'w'},
        {"tag", required_argument, NULL, 't'},
        {0},
};

/* The mentors predictions were put to (who "@NAME"), resolved. */
static int
add_mentor(void *ctx, const struct cairn_prediction *pr)
{
	struct buf *names = ctx;
	struct buf one = BUF_INIT;

	buf_addf(&one, "\n%s\n", pr->who);
	if (!names->len || !strstr(names->buf, one.buf))
		buf_addf(names, "%s%s\n", names->len ? "" : "\n", pr->who);
	buf_release(&one);
	return 0;
}

static void
score_line(struct cli *c, const char *what, const struct cairn_calibration *cal)
{
	fprintf(c->out, "%-22s %5d  Brier %.3f  log %.3f\n", what, cal->count,
	        cal->brier, cal->log_score);
}

/* One row of the split: printed, or added to json. */
static void
resolver_row(struct cli *c, json_t *json, const char *by, const char *label,
             const struct cairn_calibration *cal)
{
	json_t *o;

	if (!json) {
		score_line(c, label, cal);
		return;
	}
	o = cairn_calibration_json(cal);
	json_object_set_new(o, "by", json_string(by));
	json_array_append_new(json, o);
}

/* Resolved by oneself, and by each mentor's answer, apart: the honest
 * score is the mentors'.  Printed, or (json not NULL) one object each in
 * json, with "by": "yourself" or "@NAME". */
static int
by_resolver(struct cli *c, const struct cairn_prediction_query *base,
            json_t *json)
{
	struct cairn_prediction_query q = *base;
	struct cairn_calibration cal;
	struct buf names = BUF_INIT, what = BUF_INIT;
	int rc = 0;

	q.resolved = 1;
	q.resolver = 2;
	if (cairn_prediction_each(c->st, &q, add_mentor, &names, &c->err))
		return cli_fail(c);
	if (!names.len)
		return 0;
	if (!json)
		fputs("\nresolved by             count\n", c->out);
	q.resolver = 1;
	if (cairn_calibration_compute(c->st, &q, &cal, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	resolver_row(c, json, "yourself", "yourself", &cal);
	q.resolver = 2;
	for (char *n = names.buf + 1, *nl; *n; n = nl + 1) {
		nl = strchr(n, '\n');
		*nl = '\0';
		q.who = n;
		if (cairn_calibration_compute(c->st, &q, &cal, &c->err)) {
			rc = cli_fail(c);
			goto out;
		}
		buf_reset(&what);
		buf_addf(&what, "%s (mentor)", n);
		resolver_row(c, json, n, what.buf, &cal);
	}
out:
	buf_release(&names);
	buf_release(&what);
	return rc;
}

static int
cmd_calibration_exec(struct cli *c)
{
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct cairn_calibration cal;
	struct buf b = BUF_INIT;
	char p1[32], p2[32];
	int ch;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 'w')
			q.who = optarg;
		else if (ch == 't')
			q.tag = optarg;
		else
			return 2;
	}
	if (cli_open(c))
		return 1;
	if (cairn_calibration_compute(c->st, &q, &cal, &c->err))
		return cli_fail(c);
	if (c->json) {
		json_t *o = cairn_calibration_json(&cal), *by = json_array();

		if (!q.who && by_resolver(c, &q, by)) {
			json_decref(by);
			json_decref(o);
			return 1;
		}
		/* Only when some prediction was put to a mentor, as in the
		 * text. */
		if (json_array_size(by))
			json_object_set_new(o, "resolved_by", by);
		else
			json_decref(by);
		cli_json_print(c, o);
		return 0;
	}
	if (!cal.count) {
		if (q.who)
			fprintf(c->out,
			        "no resolved predictions about %s yet\n",
			        q.who);
		else
			fputs("no resolved predictions yet\n", c->out);
		return 0;
	}
	buf_addf(&b, "%d resolved prediction%s, %d came true", cal.count,
	         cal.count == 1 ? "" : "s", cal.yes);
	if (cal.early)
		buf_addf(&b, "; %d resolved before the resolve-by date",
		         cal.early);
	buf_addf(&b,
	         "\nBrier score  %.3f  (0 is perfect; always saying "
	         "50%% scores 0.250)\n",
	         cal.brier);
	buf_addf(&b,
	         "log score   %.3f  (0 is perfect; always saying 50%% "
	         "scores -0.693)\n\n",
	         cal.log_score);
	buf_adds(&b, "stated      count  said  came true\n");
	for (int i = 0; i < CAIRN_CALIBRATION_BINS; i++) {
		const struct cairn_calibration_bin *bin = &cal.bins[i];
		char range[32];

		if (!bin->count)
			continue;
		snprintf(range, sizeof(range), "%.0f-%.0f%%", bin->lo * 100,
		         bin->hi * 100);
		buf_addf(
		        &b, "%-10s %6d  %4s  %9s\n", range, bin->count,
		        cli_pct(p1, sizeof(p1), bin->sum_p / bin->count),
		        cli_pct(p2, sizeof(p2), (double)bin->yes / bin->count));
	}
	fputs(b.buf, c->out);
	buf_release(&b);
	return q.who ? 0 : by_resolver(c, &q, NULL);
}

const struct cmd_entry cmd_calibration_entry = {
        .name = "calibration",
        .usage = "calibration [--who NAME] [--tag T]",
        .summary = "score resolved predictions (Brier, log score, by bin)",
        .help = "The Brier score is the mean squared gap between the stated "
                "probability and the outcome; the log score the mean natural "
                "log of the probability given to what happened (at least "
                "0.001).  Bins are tenths of stated probability.  When some "
                "predictions were resolved by a mentor's answer (predict --who "
                "@NAME), the scores follow apart: those resolved by "
                "yourself, and those each mentor resolved.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_calibration_exec,
};
