/*
 * cmd-portfolio.c: `cairn portfolio [--goal ID]`, the bets of the
 * roadmap.  Active and planned milestones (below the goal, or all) placed
 * by p_success (columns, tenths) and novelty (rows, 5 at the top; "?"
 * when unset) in a text scatter, with the shares of long shots
 * (p_success < 0.4), the balanced middle and safe bets (>= 0.75), and a
 * warning when every rated milestone is the same kind.  --json gives the
 * table instead of the picture.  The use case is cairn_portfolio
 * (include/cairn/plan/portfolio.h).
 */
#include "cmd.h"
#include "cairn/plan/portfolio.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"goal", required_argument, NULL, 'g'},
        {0},
};

static int
cmd_portfolio_exec(struct cli *c)
{
	struct cairn_roadmap_scope sc = {.plan_only = 1};
	struct cairn_roadmap rm;
	struct cairn_portfolio p;
	struct buf out = BUF_INIT;
	int64_t goal = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'g')
			return 2;
		if ((rc = cli_id(c, optarg, &goal)))
			return rc;
	}
	if (cli_open(c))
		return 1;
	/* One goal's milestones are all in its subgraph. */
	sc.goal = goal;
	if (cairn_roadmap_load_scope(c->st, &sc, &rm, &c->err))
		return cli_fail(c);
	rc = cairn_portfolio(&rm, goal, &p, &c->err);
	cairn_roadmap_release(&rm);
	if (rc) {
		cairn_portfolio_release(&p);
		return cli_fail(c);
	}
	if (c->json) {
		cli_json_print(c, cairn_portfolio_json(&p));
		goto out;
	}
	if (!p.n) {
		fputs("no planned or active milestones to place\n", c->out);
		goto out;
	}
	buf_addf(&out, "novelty\n");
	for (int row = 5; row >= 0; row--) {
		size_t any = 0;

		for (int col = 0; col < 10; col++)
			any += p.grid[row][col];
		if (row == 0 && !any)
			continue;
		if (row)
			buf_addf(&out, "  %d |", row);
		else
			buf_adds(&out, "  ? |");
		for (int col = 0; col < 10; col++) {
			if (p.grid[row][col])
				buf_addf(&out, "%4zu", p.grid[row][col]);
			else
				buf_adds(&out, "   .");
		}
		buf_addch(&out, '\n');
	}
	buf_adds(&out, "    +----------------------------------------\n");
	buf_adds(&out, "        0  .1  .2  .3  .4  .5  .6  .7  .8  .9  "
	               "p_success\n\n");
	if (p.rated)
		buf_addf(&out,
		         "long shots %zu (%.0f%%), balanced %zu (%.0f%%), safe "
		         "bets %zu (%.0f%%)",
		         p.count[CAIRN_BET_LONG_SHOT],
		         100.0 * (double)p.count[CAIRN_BET_LONG_SHOT] /
		                 (double)p.rated,
		         p.count[CAIRN_BET_BALANCED],
		         100.0 * (double)p.count[CAIRN_BET_BALANCED] /
		                 (double)p.rated,
		         p.count[CAIRN_BET_SAFE],
		         100.0 * (double)p.count[CAIRN_BET_SAFE] /
		                 (double)p.rated);
	else
		buf_adds(&out, "no milestone has a p_success yet");
	if (p.count[CAIRN_BET_UNRATED])
		buf_addf(&out, "; %zu without p_success",
		         p.count[CAIRN_BET_UNRATED]);
	buf_addch(&out, '\n');
	fputs(out.buf, c->out);
	if (p.warning)
		fprintf(c->out, "warning: %s\n", p.warning);
out:
	buf_release(&out);
	cairn_portfolio_release(&p);
	return 0;
}

const struct cmd_entry cmd_portfolio_entry = {
        .name = "portfolio",
        .usage = "portfolio [--goal ID]",
        .summary = "the mix of safe bets and long shots",
        .help = "Planned and active milestones by p_success (across) and "
                "novelty (up; ? when unset).  Long shots have p_success "
                "below 0.4, safe bets 0.75 or more, the rest are balanced; "
                "a warning comes when every rated milestone is of one "
                "kind.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_portfolio_exec,
};
