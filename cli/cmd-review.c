/*
 * cmd-review.c: `cairn review [--text T]`, a dated reflection.
 *
 * It first shows what happened since the last review (or over the last
 * week): the look-back of that period, the ideas inbox, overdue
 * predictions, work in progress and the goal-/idea-driven split.  Then,
 * on a terminal, it asks what moved, what got sharper and what to drop;
 * --text records a reflection without asking (for scripts).  The answers
 * are one row of the journalled review table.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"text", required_argument, NULL, 't'},
        {0},
};

static int
count_idea(void *ctx, const struct cairn_item *it)
{
	(void)it;
	(*(int *)ctx)++;
	return 0;
}

static int
count_pred(void *ctx, const struct cairn_prediction *pr)
{
	(void)pr;
	(*(int *)ctx)++;
	return 0;
}

/* Ask one question on the terminal; NULL at end of input. */
static char *
ask(struct cli *c, const char *question)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	fprintf(c->out, "%s ", question);
	fflush(c->out);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static int
cmd_review_exec(struct cli *c)
{
	struct cairn_query q = CAIRN_QUERY_INIT;
	struct cairn_prediction_query pq = CAIRN_PREDICTION_QUERY_INIT;
	struct cairn_lookback lb;
	struct cairn_focus_report fr;
	struct cairn_driven_report dr;
	struct buf out = BUF_INIT;
	char last[CAIRN_TS_LEN], since[CAIRN_TS_LEN], from[64];
	char d0[CAIRN_DATE_LEN], d1[CAIRN_DATE_LEN];
	char *moved = NULL, *sharper = NULL, *drop = NULL;
	const char *text = NULL;
	int64_t id = 0;
	int ch, ideas = 0, overdue = 0, rc = 1, asked = 0, have_last;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 't')
			return 2;
		text = optarg;
	}
	/* Refuse bad text before printing anything. */
	if (text && !*text)
		return cli_usage(c, "an empty review is not recorded");
	/* It may write (--text, or answers on a terminal): a store made
	 * for it is kept only if it does. */
	if (cli_open_write(c))
		return 1;
	have_last = !cairn_review_last(c->st, last, NULL);
	if (have_last) {
		snprintf(since, sizeof(since), "%s", last);
		snprintf(from, sizeof(from), "the last review (%.10s)", last);
	} else {
		cairn_ts_format(cairn_clock() - 7 * 86400, since);
		snprintf(from, sizeof(from), "%.10s", since);
	}
	cairn_last_weeks(have_last ? 52 : 1, d0, d1);
	if (have_last)
		snprintf(d0, sizeof(d0), "%.10s", last);
	q.kind = CAIRN_KIND_IDEA;
	q.status = CAIRN_STATUS_IDEA;
	pq.overdue = 1;
	if (cairn_lookback(c->st, since, NULL, &lb, &c->err))
		return cli_fail(c);
	memset(&fr, 0, sizeof(fr));
	if (cairn_query_run(c->st, &q, count_idea, &ideas, &c->err) ||
	    cairn_prediction_each(c->st, &pq, count_pred, &overdue, &c->err) ||
	    cairn_focus_report(c->st, d0, d1, &fr, &c->err) ||
	    cairn_driven_report(c->st, d0, d1, &dr, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	if (!c->json) {
		cli_lookback_text(c, &lb, from, "now", &out);
		buf_addf(&out,
		         "\nIdeas inbox: %d idea%s waiting (cairn list "
		         "--kind idea)\n",
		         ideas, ideas == 1 ? "" : "s");
		buf_addf(&out,
		         "Overdue predictions: %d (cairn predictions "
		         "--overdue)\n",
		         overdue);
		buf_addf(&out, "Work in progress: %d active, limit %d%s\n",
		         fr.active, fr.focus.wip,
		         fr.active > fr.focus.wip ? " (over the limit)" : "");
		buf_addf(&out,
		         "Goals: %d goal-driven, %d idea-driven, %d "
		         "unstated\n",
		         dr.goals[CAIRN_SPLIT_GOAL], dr.goals[CAIRN_SPLIT_IDEA],
		         dr.goals[CAIRN_SPLIT_UNSET]);
		fputs(out.buf, c->out);
	}
	if (!text && !c->json && c->tty && isatty(STDIN_FILENO)) {
		fputc('\n', c->out);
		asked = 1;
		if ((moved = ask(c, "What moved?")) &&
		    (sharper = ask(c, "What got sharper?")))
			drop = ask(c, "What to drop?");
	}
	if (text || (asked && ((moved && *moved) || (sharper && *sharper) ||
	                       (drop && *drop)))) {
		if (cli_begin(c))
			goto out;
		if (cairn_review_add(c->st, moved, sharper, drop, text, &id,
		                     &c->err)) {
			rc = cli_abort(c);
			goto out;
		}
		if (cli_commit(c))
			goto out;
	}
	if (c->json) {
		json_t *o = json_object();

		json_object_set_new(o, "since", json_string(since));
		json_object_set_new(o, "lookback", cairn_lookback_json(&lb));
		json_object_set_new(o, "ideas", json_integer(ideas));
		json_object_set_new(o, "overdue_predictions",
		                    json_integer(overdue));
		json_object_set_new(o, "active", json_integer(fr.active));
		json_object_set_new(o, "wip", json_integer(fr.focus.wip));
		json_object_set_new(o, "driven", cairn_driven_report_json(&dr));
		json_object_set_new(o, "review",
		                    id ? json_integer(id) : json_null());
		cli_json_print(c, o);
	} else if (id) {
		fprintf(c->out, "\nreview %lld recorded\n", (long long)id);
	} else if (!asked) {
		fputs("\nnothing recorded (give --text to record a "
		      "reflection)\n",
		      c->out);
	}
	rc = 0;
out:
	free(moved);
	free(sharper);
	free(drop);
	buf_release(&out);
	cairn_lookback_release(&lb);
	cairn_focus_report_release(&fr);
	return rc;
}

const struct cmd_entry cmd_review_entry = {
        .name = "review",
        .usage = "review [--text T]",
        .summary = "reflect: what moved, what got sharper, what to drop",
        .help = "Shows what happened since the last review (or the last "
                "week), the ideas inbox and overdue predictions, then asks "
                "three questions on a terminal.  --text records a reflection "
                "without asking.  Reviews are kept in the journal and shown "
                "by lookback.",
        .flags = CMD_WRITES,
        .exec = cmd_review_exec,
};
