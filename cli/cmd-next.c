/*
 * cmd-next.c: `cairn next`, what to work on now.  Ready milestones
 * (planned or active, nothing open below them, every prerequisite of
 * their own and of their parents done) ranked by
 *
 *	score = likelihood of the goal * share of the goal's remaining
 *		expected critical path that runs through the milestone
 *
 * where the share is (length - slack) / length: 1 on the critical path,
 * less the more slack a milestone has.  A goal without a likelihood counts
 * 0.5.  A milestone that several goals need takes its best score; one no
 * goal needs scores 0.  Ties go to the larger expected effort, then the
 * lower id.
 *
 * A required paper not yet read is a step of its own in the plan (see
 * plan.h) and always ready: it is listed with the milestones, scored the
 * same way, so that reading it shows up as the next thing to do.  Picks
 * are indexed by roadmap position, papers after the items.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cairn/plan/roadmap.h"
#include "../lib/banned.h"

#define UNSTATED_LIKELIHOOD 0.5

static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'},
        {"goal", required_argument, NULL, 'g'},
        {0},
};

struct pick {
	long pos;  /* in the roadmap; rm->n + q for papers[q] */
	long goal; /* roadmap position of the goal, -1 for none */
	double score, carry, expected, slack, likelihood;
};

static int
by_score(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->expected != y->expected)
		return x->expected > y->expected ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The pick index of plan node id. */
static long
pick_of(const struct cairn_roadmap *rm, int64_t id)
{
	if (id > 0)
		return cairn_roadmap_find(rm, id);
	return (long)rm->n + cairn_roadmap_paper_find(rm, -id);
}

/* Score the ready nodes of goal gpos's plan into picks (indexed by
 * roadmap position, -1 score for not seen yet). */
static int
score_goal(struct cli *c, const struct cairn_roadmap *rm, long gpos,
           struct pick *picks)
{
	const struct cairn_item *goal = &rm->items[gpos];
	struct cairn_plan g;
	struct cairn_cpm cp;
	double lik =
	        goal->likelihood >= 0 ? goal->likelihood : UNSTATED_LIKELIHOOD;

	if (cairn_roadmap_plan(rm, goal->id, &g, &c->err))
		return -1;
	cairn_plan_critical(&g, &cp);
	for (size_t i = 0; i < g.n; i++) {
		long pos;
		double carry, score;
		struct pick *p;

		if (g.pre_off[i + 1] != g.pre_off[i])
			continue;
		pos = pick_of(rm, g.id[i]);
		p = &picks[pos];
		carry = cp.length > 0 ? (cp.length - cp.slack[i]) / cp.length
		                      : 1;
		score = lik * carry;
		if (p->goal >= 0 && score <= p->score)
			continue;
		p->goal = gpos;
		p->score = score;
		p->carry = carry;
		p->expected = g.mean[i];
		p->slack = cp.slack[i];
		p->likelihood = goal->likelihood;
	}
	cairn_cpm_release(&cp);
	cairn_plan_release(&g);
	return 0;
}

static int
cmd_next_exec(struct cli *c)
{
	struct cairn_roadmap rm;
	struct cairn_plan all;
	struct pick *picks = NULL, *list = NULL;
	struct buf out = BUF_INIT, label = BUF_INIT;
	uint64_t limit = 10;
	int64_t only = 0;
	size_t n = 0;
	int ch, rc, idw = 1;

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
	rc = 1;
	if (cli_open(c))
		return 1;
	if (cairn_roadmap_load(c->st, &rm, &c->err))
		return cli_fail(c);
	if (only && cairn_roadmap_find(&rm, only) < 0) {
		cairn_err_set(&c->err, CAIRN_ENOTFOUND, "no item #%lld",
		              (long long)only);
		goto fail;
	}
	/* Readiness from the plan of everything open (or of the goal). */
	if (cairn_roadmap_plan(&rm, only, &all, &c->err))
		goto fail;
	picks = xcalloc(rm.n + rm.npapers + 1, sizeof(*picks));
	for (size_t i = 0; i < rm.n + rm.npapers; i++) {
		picks[i].pos = (long)i;
		picks[i].goal = -1;
		picks[i].likelihood = -1;
	}
	if (only) {
		if (score_goal(c, &rm, cairn_roadmap_find(&rm, only), picks))
			goto fail_plan;
	} else {
		for (size_t i = 0; i < rm.n; i++)
			if (rm.items[i].kind == CAIRN_KIND_GOAL &&
			    cairn_item_open(&rm.items[i]) &&
			    score_goal(c, &rm, (long)i, picks))
				goto fail_plan;
	}
	list = xmalloc((all.n ? all.n : 1) * sizeof(*list));
	for (size_t i = 0; i < all.n; i++) {
		long pos = pick_of(&rm, all.id[i]);

		if (all.pre_off[i + 1] != all.pre_off[i])
			continue;
		if (!(all.flags[i] & CAIRN_NODE_PAPER)) {
			const struct cairn_item *it = &rm.items[pos];

			if (it->kind != CAIRN_KIND_MILESTONE ||
			    (it->status != CAIRN_STATUS_PLANNED &&
			     it->status != CAIRN_STATUS_ACTIVE))
				continue;
		}
		list[n] = picks[pos];
		if (list[n].goal < 0) {
			list[n].score = 0;
			list[n].expected = all.mean[i];
		}
		n++;
	}
	qsort(list, n, sizeof(*list), by_score);
	if (n > limit)
		n = (size_t)limit;

	if (c->json) {
		json_t *arr = json_array();

		for (size_t k = 0; k < n; k++) {
			const struct pick *p = &list[k];
			json_t *o = json_object();

			if (p->pos < (long)rm.n) {
				const struct cairn_item *it = &rm.items[p->pos];

				json_object_set_new(o, "id",
				                    json_integer(it->id));
				json_object_set_new(o, "title",
				                    json_string(it->title));
				json_object_set_new(
				        o, "status",
				        json_string(
				                cairn_status_name(it->status)));
			} else {
				const struct cairn_roadmap_paper *pp =
				        &rm.papers[p->pos - (long)rm.n];

				json_object_set_new(o, "id", json_null());
				json_object_set_new(o, "paper",
				                    json_string(pp->key));
				json_object_set_new(
				        o, "title",
				        json_string(cairn_roadmap_label(
				                &rm, CAIRN_PAPER_NODE(pp->id),
				                &label)));
				json_object_set_new(
				        o, "status",
				        json_string(cairn_paper_status_name(
				                pp->status)));
			}
			json_object_set_new(
			        o, "goal",
			        p->goal >= 0
			                ? json_integer(rm.items[p->goal].id)
			                : json_null());
			json_object_set_new(
			        o, "goal_title",
			        p->goal >= 0
			                ? json_string(rm.items[p->goal].title)
			                : json_null());
			json_object_set_new(o, "likelihood",
			                    p->likelihood >= 0
			                            ? json_real(p->likelihood)
			                            : json_null());
			json_object_set_new(o, "carry",
			                    p->goal >= 0 ? json_real(p->carry)
			                                 : json_null());
			json_object_set_new(o, "score", json_real(p->score));
			json_object_set_new(o, "expected",
			                    json_real(p->expected));
			json_array_append_new(arr, o);
		}
		cli_json_print(c, arr);
		rc = 0;
		goto out;
	}
	if (!n) {
		fputs("nothing is ready: every open milestone waits for "
		      "something\n",
		      c->out);
		rc = 0;
		goto out;
	}
	for (size_t k = 0; k < n; k++)
		for (int64_t m = list[k].pos < (long)rm.n
		                         ? rm.items[list[k].pos].id
		                         : 0,
		             w = 1;
		     m >= 10; m /= 10)
			if (++w > idw)
				idw = (int)w;
	for (size_t k = 0; k < n; k++) {
		const struct pick *p = &list[k];
		char num[32], sc[16];
		int64_t id;

		if (p->pos < (long)rm.n)
			id = rm.items[p->pos].id;
		else
			id = CAIRN_PAPER_NODE(
			        rm.papers[p->pos - (long)rm.n].id);
		cairn_roadmap_label(&rm, id, &label);
		buf_reset(&out);
		/* A paper has no item id: a dash in the id column. */
		if (id > 0)
			buf_addf(&out, "#%-*lld ", idw, (long long)id);
		else
			buf_addf(&out, "%-*s ", idw + 1, "-");
		snprintf(sc, sizeof(sc), "%.2f", p->score);
		cli_styled(c, &out, STYLE_BOLD, sc);
		buf_addf(&out, " %5s d  ",
		         cli_num(num, sizeof(num), p->expected));
		buf_adds(&out, label.buf);
		if (p->goal >= 0) {
			buf_addf(&out, "  (goal #%lld",
			         (long long)rm.items[p->goal].id);
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
	rc = 0;
	goto out;
fail_plan:
	cairn_plan_release(&all);
fail:
	free(picks);
	free(list);
	cairn_roadmap_release(&rm);
	return cli_fail(c);
out:
	buf_release(&out);
	buf_release(&label);
	free(picks);
	free(list);
	cairn_plan_release(&all);
	cairn_roadmap_release(&rm);
	return rc;
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
