/*
 * cmd-portfolio.c: `cairn portfolio [--goal ID]`, the bets of the
 * roadmap.  Active and planned milestones (below the goal, or all) placed
 * by p_success (columns, tenths) and novelty (rows, 5 at the top; "?"
 * when unset) in a text scatter, with the shares of long shots
 * (p_success < 0.4), the balanced middle and safe bets (>= 0.75), and a
 * warning when every rated milestone is the same kind.  --json gives the
 * table instead of the picture.
 */
#include <string.h>

#include "cmd.h"
#include "cairn/plan/check.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"goal", required_argument, NULL, 'g'},
        {0},
};

/* Is i below (or at) root? */
static int
within(const struct cairn_roadmap *rm, long i, long root)
{
	for (long p = i; p >= 0; p = rm->parent[p])
		if (p == root)
			return 1;
	return 0;
}

static int
cmd_portfolio_exec(struct cli *c)
{
	struct cairn_roadmap rm;
	struct buf out = BUF_INIT;
	size_t grid[6][10], count[4] = {0}, total = 0, rated;
	const char *warning = NULL;
	json_t *items = NULL;
	int64_t goal = 0;
	long root = -1;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'g')
			return 2;
		if ((rc = cli_id(c, optarg, &goal)))
			return rc;
	}
	if (cli_open(c))
		return 1;
	if (cairn_roadmap_load(c->st, &rm, &c->err))
		return cli_fail(c);
	if (goal && (root = cairn_roadmap_find(&rm, goal)) < 0) {
		cairn_roadmap_release(&rm);
		return cli_error(c, "no item #%lld", (long long)goal);
	}
	memset(grid, 0, sizeof(grid));
	if (c->json)
		items = json_array();
	for (size_t i = 0; i < rm.n; i++) {
		const struct cairn_item *it = &rm.items[i];
		enum cairn_bet b;

		if (it->kind != CAIRN_KIND_MILESTONE ||
		    (it->status != CAIRN_STATUS_PLANNED &&
		     it->status != CAIRN_STATUS_ACTIVE) ||
		    (root >= 0 && !within(&rm, (long)i, root)))
			continue;
		b = cairn_bet_of(it);
		count[b]++;
		total++;
		if (b != CAIRN_BET_UNRATED) {
			/* 0.3 * 10 is 2.9999...: nudge before flooring. */
			int col = (int)(it->p_success * 10 + 1e-9);

			grid[it->novelty][col > 9 ? 9 : col]++;
		}
		if (items) {
			json_t *o = json_object();

			json_object_set_new(o, "id", json_integer(it->id));
			json_object_set_new(o, "title", json_string(it->title));
			json_object_set_new(
			        o, "status",
			        json_string(cairn_status_name(it->status)));
			json_object_set_new(o, "p_success",
			                    it->p_success >= 0
			                            ? json_real(it->p_success)
			                            : json_null());
			json_object_set_new(o, "novelty",
			                    it->novelty
			                            ? json_integer(it->novelty)
			                            : json_null());
			json_object_set_new(o, "bet",
			                    json_string(cairn_bet_name(b)));
			json_array_append_new(items, o);
		}
	}
	rated = total - count[CAIRN_BET_UNRATED];
	if (rated >= 2) {
		if (count[CAIRN_BET_SAFE] == rated)
			warning = "every rated milestone is a safe bet: add a "
			          "bolder one";
		else if (count[CAIRN_BET_LONG_SHOT] == rated)
			warning = "every rated milestone is a long shot: add a "
			          "safe one that secures a result";
		else if (count[CAIRN_BET_BALANCED] == rated)
			warning = "every rated milestone is a middling bet: "
			          "mix in a safe bet and a long shot";
	}
	if (c->json) {
		json_t *o = json_object(), *n = json_object(),
		       *s = json_object();
		static const enum cairn_bet kinds[] = {CAIRN_BET_LONG_SHOT,
		                                       CAIRN_BET_BALANCED,
		                                       CAIRN_BET_SAFE};
		static const char *const keys[] = {"long_shot", "balanced",
		                                   "safe"};

		json_object_set_new(o, "goal",
		                    goal ? json_integer(goal) : json_null());
		json_object_set_new(o, "milestones", items);
		for (int k = 0; k < 3; k++) {
			json_object_set_new(
			        n, keys[k],
			        json_integer((json_int_t)count[kinds[k]]));
			json_object_set_new(
			        s, keys[k],
			        rated ? json_real((double)count[kinds[k]] /
			                          (double)rated)
			              : json_null());
		}
		json_object_set_new(
		        n, "unrated",
		        json_integer((json_int_t)count[CAIRN_BET_UNRATED]));
		json_object_set_new(o, "counts", n);
		json_object_set_new(o, "shares", s);
		json_object_set_new(o, "warning",
		                    warning ? json_string(warning)
		                            : json_null());
		cli_json_print(c, o);
		cairn_roadmap_release(&rm);
		return 0;
	}
	if (!total) {
		fputs("no planned or active milestones to place\n", c->out);
		cairn_roadmap_release(&rm);
		return 0;
	}
	buf_addf(&out, "novelty\n");
	for (int row = 5; row >= 0; row--) {
		size_t any = 0;

		for (int col = 0; col < 10; col++)
			any += grid[row][col];
		if (row == 0 && !any)
			continue;
		if (row)
			buf_addf(&out, "  %d |", row);
		else
			buf_adds(&out, "  ? |");
		for (int col = 0; col < 10; col++) {
			if (grid[row][col])
				buf_addf(&out, "%4zu", grid[row][col]);
			else
				buf_adds(&out, "   .");
		}
		buf_addch(&out, '\n');
	}
	buf_adds(&out, "    +----------------------------------------\n");
	buf_adds(&out, "        0  .1  .2  .3  .4  .5  .6  .7  .8  .9  "
	               "p_success\n\n");
	if (rated)
		buf_addf(&out,
		         "long shots %zu (%.0f%%), balanced %zu (%.0f%%), safe "
		         "bets %zu (%.0f%%)",
		         count[CAIRN_BET_LONG_SHOT],
		         100.0 * (double)count[CAIRN_BET_LONG_SHOT] /
		                 (double)rated,
		         count[CAIRN_BET_BALANCED],
		         100.0 * (double)count[CAIRN_BET_BALANCED] /
		                 (double)rated,
		         count[CAIRN_BET_SAFE],
		         100.0 * (double)count[CAIRN_BET_SAFE] / (double)rated);
	else
		buf_adds(&out, "no milestone has a p_success yet");
	if (count[CAIRN_BET_UNRATED])
		buf_addf(&out, "; %zu without p_success",
		         count[CAIRN_BET_UNRATED]);
	buf_addch(&out, '\n');
	fputs(out.buf, c->out);
	if (warning)
		fprintf(c->out, "warning: %s\n", warning);
	buf_release(&out);
	cairn_roadmap_release(&rm);
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
