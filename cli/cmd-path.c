/*
 * cmd-path.c: `cairn path GOAL`, the critical path of a goal's remaining
 * work by expected effort (the PERT mean of each milestone's estimate),
 * each step with its expected effort, its place in time and its slack,
 * then the milestones off the path with the slack they have.  The use
 * case is cairn_goal_path (include/cairn/plan/goal-path.h).
 */
#include "cmd.h"
#include "cairn/plan/goal-path.h"
#include "../lib/banned.h"

static void
step_line(struct buf *out, const struct cairn_path_step *s, int idw)
{
	char n1[32], n2[32], n3[32], n4[32];

	/* A paper has no item id: a dash in the id column. */
	if (s->id > 0)
		buf_addf(out, "  #%-*lld", idw, (long long)s->id);
	else
		buf_addf(out, "  %-*s", idw + 1, "-");
	buf_addf(out, " %7s %7s %7s %7s  ", cli_num(n1, sizeof(n1), s->start),
	         cli_num(n2, sizeof(n2), s->finish),
	         cli_num(n3, sizeof(n3), s->expected),
	         cli_num(n4, sizeof(n4), s->slack));
	buf_adds(out, s->label);
	if (!s->estimated)
		buf_adds(out, " (no estimate)");
	if (s->outside)
		buf_adds(out, " (outside the goal)");
	buf_addch(out, '\n');
}

/* Width of the widest id among steps. */
static int
id_width(const struct cairn_path_step *v, size_t n, int w)
{
	for (size_t i = 0; i < n; i++)
		for (int64_t m = v[i].id, k = 1; m >= 10; m /= 10)
			if (++k > w)
				w = (int)k;
	return w;
}

static int
cmd_path_exec(struct cli *c)
{
	struct cairn_roadmap_scope sc = {.plan_only = 1};
	struct cairn_roadmap rm;
	struct cairn_goal_path p;
	struct buf out = BUF_INIT, tmp = BUF_INIT;
	char num[32];
	int64_t goal;
	int ch, rc, idw;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if ((rc = cli_id(c, c->argv[optind], &goal)))
		return rc;
	if (cli_open(c))
		return 1;
	/* The goal's subgraph plans as the whole store does. */
	sc.goal = goal;
	if (cairn_roadmap_load_scope(c->st, &sc, &rm, &c->err))
		return cli_fail(c);
	rc = cairn_goal_path(&rm, goal, &p, &c->err);
	cairn_roadmap_release(&rm);
	if (rc) {
		cairn_goal_path_release(&p);
		return cli_fail(c);
	}
	if (c->json) {
		cli_json_print(c, cairn_goal_path_json(&p));
		goto out;
	}
	if (!p.remaining) {
		fprintf(c->out, "#%lld %s has no remaining work\n",
		        (long long)goal, p.title);
		goto out;
	}
	idw = id_width(p.path, p.npath, id_width(p.others, p.nothers, 1));
	buf_addf(&tmp, "Critical path of #%lld %s", (long long)goal, p.title);
	cli_styled(c, &out, STYLE_BOLD, tmp.buf);
	buf_addf(&out,
	         "\n  %s working days expected; %zu of %zu remaining %s "
	         "on the path\n\n",
	         cli_num(num, sizeof(num), p.length), p.npath, p.remaining,
	         p.papers           ? "milestones and required papers"
	         : p.remaining == 1 ? "milestone"
	                            : "milestones");
	buf_reset(&tmp);
	buf_addf(&tmp, "  %-*s %7s %7s %7s %7s  %s\n", idw + 1, "id", "start",
	         "finish", "effort", "slack", "milestone");
	cli_styled(c, &out, STYLE_DIM, tmp.buf);
	for (size_t k = 0; k < p.npath; k++)
		step_line(&out, &p.path[k], idw);
	if (p.nothers) {
		buf_adds(&out, "\nOff the path:\n");
		for (size_t k = 0; k < p.nothers; k++)
			step_line(&out, &p.others[k], idw);
	}
	fputs(out.buf, c->out);
out:
	buf_release(&out);
	buf_release(&tmp);
	cairn_goal_path_release(&p);
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
