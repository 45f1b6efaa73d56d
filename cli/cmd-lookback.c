/*
 * cmd-lookback.c: `cairn lookback [--since DATE] [--until DATE]`, what
 * happened over a period, from the journal alone: the same question about
 * a past period always gets the same answer.
 *
 * A date means a whole day: --since from its start, --until to its end.
 * A full timestamp (2026-03-01T12:00Z) is taken as it is.
 *
 * --post writes the look-back as a Jekyll post of the public goals then
 * and now (cairn_lookback_post, lib/fmt/lookback-post.c), to standard
 * output or --out FILE.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"post", no_argument, NULL, 'p'},
        {"out", required_argument, NULL, 'o'},
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
	const char *path = NULL;
	int ch, rc, post = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 's') {
			if ((rc = bound(c, optarg, 0, since, from)))
				return rc;
		} else if (ch == 'u') {
			if ((rc = bound(c, optarg, 1, until, to)))
				return rc;
		} else if (ch == 'p') {
			post = 1;
		} else if (ch == 'o') {
			path = optarg;
		} else {
			return 2;
		}
	}
	if (path && !post)
		return cli_usage(c, "--out goes with --post");
	if (post && !since[0])
		return cli_usage(c, "--post needs --since: the day to look "
		                    "back to");
	if (post && c->json)
		return cli_usage(c, "--post writes Markdown, not JSON");
	if (cli_open(c))
		return 1;
	if (cairn_lookback(c->st, since, until, &lb, &c->err))
		return cli_fail(c);
	if (post) {
		rc = cairn_lookback_post(&lb, &out, &c->err) ? cli_fail(c)
		     : path && strcmp(path, "-")
		             ? cli_write_file(c, path, out.buf, out.len)
		             : (fputs(out.buf, c->out), 0);
		buf_release(&out);
		cairn_lookback_release(&lb);
		return rc;
	} else if (c->json) {
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
        .usage = "lookback [--since DATE] [--until DATE] [--post [--out "
                 "FILE]]",
        .summary = "what was finished, dropped, started and learnt in a period",
        .help = "Derived from the journal only, so asking about a past period "
                "always gives the same answer.  Shows items finished, dropped "
                "(with reasons) and started, statements that changed, metric "
                "movement, predictions resolved with their Brier score, time "
                "by goal, and reviews.  A date covers its whole day; without "
                "--since the look-back starts at the beginning.  --post "
                "writes a Jekyll post, 'Research goals: then and now', of "
                "the public goals as they stood at --since and at the end "
                "(refinements, rank, status, metrics, milestones finished, "
                "lessons, goals added and gone, the goal- and idea-driven "
                "split, calibration), to be edited before publishing; "
                "nothing of a private or lab item appears in it.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_lookback_exec,
};
