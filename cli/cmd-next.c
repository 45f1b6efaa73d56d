/*
 * cmd-next.c: `cairn next`, what to work on now: the ready milestones and
 * required papers, the most useful first.  The use case, with the rule
 * that ranks them, is cairn_next (include/cairn/plan/next.h).
 */
#include "cmd.h"
#include "cairn/plan/next.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"goal", required_argument, NULL, 'g'},
        {0},
};

static void
print_text(struct cli *c, const struct cairn_next *nx)
{
	struct buf out = BUF_INIT;
	int idw = 1;

	if (!nx->n) {
		fputs("nothing is ready: every open milestone waits for "
		      "something\n",
		      c->out);
		return;
	}
	for (size_t k = 0; k < nx->n; k++)
		for (int64_t m = nx->picks[k].id, w = 1; m >= 10; m /= 10)
			if (++w > idw)
				idw = (int)w;
	for (size_t k = 0; k < nx->n; k++) {
		const struct cairn_next_pick *p = &nx->picks[k];
		char num[32], sc[16];

		buf_reset(&out);
		/* A paper has no item id: a dash in the id column. */
		if (p->id > 0)
			buf_addf(&out, "#%-*lld ", idw, (long long)p->id);
		else
			buf_addf(&out, "%-*s ", idw + 1, "-");
		snprintf(sc, sizeof(sc), "%.2f", p->score);
		cli_styled(c, &out, STYLE_BOLD, sc);
		buf_addf(&out, " %5s d  ",
		         cli_num(num, sizeof(num), p->expected));
		buf_adds(&out, p->title);
		if (p->goal) {
			buf_addf(&out, "  (goal #%lld", (long long)p->goal);
			if (p->slack == 0)
				buf_adds(&out, ", critical path");
			else
				buf_addf(&out, ", slack %s d",
				         cli_num(num, sizeof(num), p->slack));
			buf_addch(&out, ')');
		} else {
			buf_adds(&out, "  (no goal)");
		}
		buf_addch(&out, '\n');
		fputs(out.buf, c->out);
	}
	buf_release(&out);
}

static int
cmd_next_exec(struct cli *c)
{
	struct cairn_roadmap_scope sc = {.plan_only = 1};
	struct cairn_roadmap rm;
	struct cairn_next nx;
	uint64_t limit = 10;
	int64_t only = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case 'n':
			if ((rc = cli_uint(c, "--limit", optarg, 1, UINT64_MAX,
			                   &limit)))
				return rc;
			break;
		case 'g':
			if ((rc = cli_id(c, optarg, &only)))
				return rc;
			break;
		default:
			return 2;
		}
	}
	if (cli_open(c))
		return 1;
	/* All open work: from the summary the store keeps.  One goal's:
	 * planned from its subgraph (a done goal is still found there). */
	if (!only) {
		rc = cairn_next_store(
		        c->st, limit > SIZE_MAX ? SIZE_MAX : (size_t)limit, &nx,
		        &c->err);
	} else {
		sc.goal = only;
		if (cairn_roadmap_load_scope(c->st, &sc, &rm, &c->err))
			return cli_fail(c);
		rc = cairn_next(&rm, only,
		                limit > SIZE_MAX ? SIZE_MAX : (size_t)limit,
		                &nx, &c->err);
		cairn_roadmap_release(&rm);
	}
	if (rc) {
		cairn_next_release(&nx);
		return cli_fail(c);
	}
	if (c->json)
		cli_json_print(c, cairn_next_json(&nx));
	else
		print_text(c, &nx);
	cairn_next_release(&nx);
	return 0;
}

const struct cmd_entry cmd_next_entry = {
        .name = "next",
        .usage = "next [--limit N] [--goal ID]",
        .summary = "ready milestones, the most useful first",
        .help = "Ready: planned or active, nothing open below, and every "
                "prerequisite of the milestone and of its parents done, "
                "required papers included.  A required paper not yet read "
                "is listed too (id -), as the step to take first.  "
                "Ranked by score = the goal's likelihood (0.5 when unset) "
                "times the share of the goal's remaining critical path that "
                "runs through the milestone (1 on the path, less with "
                "slack).  Columns: id, score, expected days, title.  "
                "--limit (10), --goal keeps one goal's work.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_next_exec,
};
