/*
 * cmd-path.c: `cairn path GOAL`, the critical path of a goal's remaining
 * work by expected effort (the PERT mean of each milestone's estimate),
 * each step with its expected effort, its place in time and its slack,
 * then the milestones off the path with the slack they have.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cairn/plan/roadmap.h"
#include "../lib/banned.h"

static const char *
title_of(const struct cairn_roadmap *rm, int64_t id)
{
	long i = cairn_roadmap_find(rm, id);

	return i >= 0 ? rm->items[i].title : "?";
}

static json_t *
step_json(const struct cairn_roadmap *rm, const struct cairn_plan *g,
          const struct cairn_cpm *cp, uint32_t i)
{
	json_t *o = json_object();
	struct buf label = BUF_INIT;

	if (g->flags[i] & CAIRN_NODE_PAPER) {
		long q = cairn_roadmap_paper_find(rm, -g->id[i]);

		json_object_set_new(o, "id", json_null());
		json_object_set_new(o, "paper", json_string(rm->papers[q].key));
	} else {
		json_object_set_new(o, "id", json_integer(g->id[i]));
	}
	json_object_set_new(
	        o, "title",
	        json_string(cairn_roadmap_label(rm, g->id[i], &label)));
	buf_release(&label);
	json_object_set_new(o, "expected", json_real(g->mean[i]));
	json_object_set_new(o, "start", json_real(cp->es[i]));
	json_object_set_new(o, "finish", json_real(cp->ef[i]));
	json_object_set_new(o, "slack", json_real(cp->slack[i]));
	json_object_set_new(
	        o, "estimated",
	        json_boolean(!(g->flags[i] & CAIRN_NODE_DEFAULT_EST)));
	json_object_set_new(o, "outside",
	                    json_boolean(g->flags[i] & CAIRN_NODE_OUTSIDE));
	return o;
}

static void
step_line(struct cli *c, struct buf *out, const struct cairn_roadmap *rm,
          const struct cairn_plan *g, const struct cairn_cpm *cp, uint32_t i,
          int idw)
{
	char n1[32], n2[32], n3[32], n4[32];
	struct buf label = BUF_INIT;

	/* A paper has no item id: a dash in the id column. */
	if (g->id[i] > 0)
		buf_addf(out, "  #%-*lld", idw, (long long)g->id[i]);
	else
		buf_addf(out, "  %-*s", idw + 1, "-");
	buf_addf(out, " %7s %7s %7s %7s  ", cli_num(n1, sizeof(n1), cp->es[i]),
	         cli_num(n2, sizeof(n2), cp->ef[i]),
	         cli_num(n3, sizeof(n3), g->mean[i]),
	         cli_num(n4, sizeof(n4), cp->slack[i]));
	buf_adds(out, cairn_roadmap_label(rm, g->id[i], &label));
	buf_release(&label);
	if (g->flags[i] & CAIRN_NODE_DEFAULT_EST)
		buf_adds(out, " (no estimate)");
	if (g->flags[i] & CAIRN_NODE_OUTSIDE)
		buf_adds(out, " (outside the goal)");
	buf_addch(out, '\n');
}

/* Off-path nodes, least slack first, then by position. */
struct off {
	double slack;
	uint32_t node;
};

static int
by_slack(const void *a, const void *b)
{
	const struct off *x = a, *y = b;

	if (x->slack != y->slack)
		return x->slack < y->slack ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

static int
cmd_path_exec(struct cli *c)
{
	struct cairn_roadmap rm;
	struct cairn_plan g;
	struct cairn_cpm cp;
	struct buf out = BUF_INIT, tmp = BUF_INIT;
	unsigned char *on;
	struct off *others;
	size_t nothers = 0, npapers = 0;
	char num[32];
	int64_t goal;
	int ch, rc, idw = 1;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if ((rc = cli_id(c, c->argv[optind], &goal)))
		return rc;
	if (cli_open(c))
		return 1;
	if (cairn_roadmap_load(c->st, &rm, &c->err))
		return cli_fail(c);
	if (cairn_roadmap_plan(&rm, goal, &g, &c->err)) {
		cairn_roadmap_release(&rm);
		return cli_fail(c);
	}
	if (!g.n) {
		if (c->json) {
			json_t *j = json_object();

			json_object_set_new(j, "goal", json_integer(goal));
			json_object_set_new(j, "title",
			                    json_string(title_of(&rm, goal)));
			json_object_set_new(j, "remaining", json_integer(0));
			json_object_set_new(j, "length", json_real(0));
			json_object_set_new(j, "path", json_array());
			json_object_set_new(j, "others", json_array());
			cli_json_print(c, j);
		} else {
			fprintf(c->out, "#%lld %s has no remaining work\n",
			        (long long)goal, title_of(&rm, goal));
		}
		cairn_plan_release(&g);
		cairn_roadmap_release(&rm);
		return 0;
	}
	cairn_plan_critical(&g, &cp);
	on = xcalloc(g.n, 1);
	others = xmalloc(g.n * sizeof(*others));
	for (size_t k = 0; k < cp.npath; k++)
		on[cp.path[k]] = 1;
	for (size_t i = 0; i < g.n; i++)
		npapers += !!(g.flags[i] & CAIRN_NODE_PAPER);
	for (size_t i = 0; i < g.n; i++)
		if (!on[i])
			others[nothers++] =
			        (struct off){cp.slack[i], (uint32_t)i};
	qsort(others, nothers, sizeof(*others), by_slack);

	if (c->json) {
		json_t *j = json_object(), *p = json_array(), *x = json_array();

		json_object_set_new(j, "goal", json_integer(goal));
		json_object_set_new(j, "title",
		                    json_string(title_of(&rm, goal)));
		json_object_set_new(j, "remaining",
		                    json_integer((json_int_t)g.n));
		json_object_set_new(j, "papers",
		                    json_integer((json_int_t)npapers));
		json_object_set_new(j, "length", json_real(cp.length));
		for (size_t k = 0; k < cp.npath; k++)
			json_array_append_new(
			        p, step_json(&rm, &g, &cp, cp.path[k]));
		for (size_t k = 0; k < nothers; k++)
			json_array_append_new(
			        x, step_json(&rm, &g, &cp, others[k].node));
		json_object_set_new(j, "path", p);
		json_object_set_new(j, "others", x);
		cli_json_print(c, j);
		goto out;
	}
	for (size_t i = 0; i < g.n; i++)
		for (int64_t m = g.id[i] > 0 ? g.id[i] : 0, w = 1; m >= 10;
		     m /= 10)
			if (++w > idw)
				idw = (int)w;
	buf_addf(&tmp, "Critical path of #%lld %s", (long long)goal,
	         title_of(&rm, goal));
	cli_styled(c, &out, STYLE_BOLD, tmp.buf);
	buf_addf(&out,
	         "\n  %s working days expected; %zu of %zu remaining %s "
	         "on the path\n\n",
	         cli_num(num, sizeof(num), cp.length), cp.npath, g.n,
	         npapers    ? "milestones and required papers"
	         : g.n == 1 ? "milestone"
	                    : "milestones");
	buf_reset(&tmp);
	buf_addf(&tmp, "  %-*s %7s %7s %7s %7s  %s\n", idw + 1, "id", "start",
	         "finish", "effort", "slack", "milestone");
	cli_styled(c, &out, STYLE_DIM, tmp.buf);
	for (size_t k = 0; k < cp.npath; k++)
		step_line(c, &out, &rm, &g, &cp, cp.path[k], idw);
	if (nothers) {
		buf_adds(&out, "\nOff the path:\n");
		for (size_t k = 0; k < nothers; k++)
			step_line(c, &out, &rm, &g, &cp, others[k].node, idw);
	}
	fputs(out.buf, c->out);
out:
	free(on);
	free(others);
	buf_release(&out);
	buf_release(&tmp);
	cairn_cpm_release(&cp);
	cairn_plan_release(&g);
	cairn_roadmap_release(&rm);
	return 0;
}

const struct cmd_entry cmd_path_entry = {
        .name = "path",
        .usage = "path GOAL",
        .args = "GOAL",
        .summary = "the critical path of a goal's remaining work",
        .help = "Expected effort is the PERT mean (O + 4M + P) / 6 of each "
                "milestone's estimate (5/10/20 days without one); start and "
                "finish are working days from now with unlimited parallel "
                "work, slack how far a milestone can slip without moving "
                "the end.  A milestone waits for its own prerequisites and "
                "its parents', required papers included: a paper not yet "
                "read is a step of its own (1/2/5 days to read, 0.5/1/3 to "
                "finish reading, 5/10/20 to finish replicating).",
        .flags = CMD_OPENS_DB,
        .exec = cmd_path_exec,
};
