/*
 * cmd-lookback.c: `cairn lookback [--since DATE] [--until DATE]`, what
 * happened over a period, from the journal alone: the same question about
 * a past period always gets the same answer.
 *
 * A date means a whole day: --since from its start, --until to its end.
 * A full timestamp (2026-03-01T12:00Z) is taken as it is.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {0},
};

/* A bound through the library's rule; a malformed one is a usage error. */
static int
bound(struct cli *c, const char *s, int end, char ts[CAIRN_TS_LEN],
      char show[CAIRN_TS_LEN])
{
	return cairn_bound_parse(s, end, ts, show, &c->err) ? cli_usage_err(c)
	                                                    : 0;
}

static int
cmd_lookback_exec(struct cli *c)
{
	struct cairn_lookback lb;
	struct buf out = BUF_INIT;
	char since[CAIRN_TS_LEN] = "", until[CAIRN_TS_LEN] = "";
	char from[CAIRN_TS_LEN] = "the beginning", to[CAIRN_TS_LEN] = "now";
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 's') {
			if ((rc = bound(c, optarg, 0, since, from)))
				return rc;
		} else if (ch == 'u') {
			if ((rc = bound(c, optarg, 1, until, to)))
				return rc;
		} else {
			return 2;
		}
	}
	if (cli_open(c))
		return 1;
	if (cairn_lookback(c->st, since, until, &lb, &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(c, cairn_lookback_json(&lb));
	} else {
		cli_lookback_text(c, &lb, from, to, &out);
		fputs(out.buf, c->out);
		buf_release(&out);
	}
	cairn_lookback_release(&lb);
	return 0;
}

const struct cmd_entry cmd_lookback_entry = {
        .name = "lookback",
        .usage = "lookback [--since DATE] [--until DATE]",
        .summary = "what was finished, dropped, started and learnt in a period",
        .help = "Derived from the journal only, so asking about a past period "
                "always gives the same answer.  Shows items finished, dropped "
                "(with reasons) and started, statements that changed, metric "
                "movement, predictions resolved with their Brier score, time "
                "by goal, and reviews.  A date covers its whole day; without "
                "--since the look-back starts at the beginning.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_lookback_exec,
};
