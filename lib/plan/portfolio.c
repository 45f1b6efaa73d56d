/*
 * portfolio.c: the bets of the roadmap (see portfolio.h).
 *
 * Workload: one pass over the snapshot.
 */
#include <stdlib.h>
#include <string.h>

#include "cairn/plan/portfolio.h"
#include "banned.h"

/* Is i below (or at) root? */
static int
within(const struct cairn_roadmap *rm, long i, long root)
{
	for (long p = i; p >= 0; p = rm->parent[p])
		if (p == root)
			return 1;
	return 0;
}

int
cairn_portfolio(const struct cairn_roadmap *rm, int64_t goal,
                struct cairn_portfolio *out, struct cairn_err *err)
{
	long root = -1;

	memset(out, 0, sizeof(*out));
	out->goal = goal;
	if (goal && (root = cairn_roadmap_find(rm, goal)) < 0)
		return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                     (long long)goal);
	out->items = xcalloc(rm->n ? rm->n : 1, sizeof(*out->items));
	for (size_t i = 0; i < rm->n; i++) {
		const struct cairn_item *it = &rm->items[i];
		struct cairn_portfolio_item *o;
		enum cairn_bet b;

		if (it->kind != CAIRN_KIND_MILESTONE ||
		    (it->status != CAIRN_STATUS_PLANNED &&
		     it->status != CAIRN_STATUS_ACTIVE) ||
		    (root >= 0 && !within(rm, (long)i, root)))
			continue;
		b = cairn_bet_of(it);
		out->count[b]++;
		if (b != CAIRN_BET_UNRATED) {
			/* 0.3 * 10 is 2.9999...: nudge before flooring. */
			int col = (int)(it->p_success * 10 + 1e-9);

			out->grid[it->novelty][col > 9 ? 9 : col]++;
		}
		o = &out->items[out->n++];
		o->id = it->id;
		o->title = xstrdup(it->title);
		o->status = it->status;
		o->p_success = it->p_success;
		o->novelty = it->novelty;
		o->bet = b;
	}
	out->rated = out->n - out->count[CAIRN_BET_UNRATED];
	if (out->rated >= 2) {
		if (out->count[CAIRN_BET_SAFE] == out->rated)
			out->warning = "every rated milestone is a safe bet: "
			               "add a bolder one";
		else if (out->count[CAIRN_BET_LONG_SHOT] == out->rated)
			out->warning = "every rated milestone is a long shot: "
			               "add a safe one that secures a result";
		else if (out->count[CAIRN_BET_BALANCED] == out->rated)
			out->warning = "every rated milestone is a middling "
			               "bet: mix in a safe bet and a long shot";
	}
	return 0;
}

void
cairn_portfolio_release(struct cairn_portfolio *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->n; k++)
		free(p->items[k].title);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

json_t *
cairn_portfolio_json(const struct cairn_portfolio *p)
{
	static const enum cairn_bet kinds[] = {
	        CAIRN_BET_LONG_SHOT, CAIRN_BET_BALANCED, CAIRN_BET_SAFE};
	static const char *const keys[] = {"long_shot", "balanced", "safe"};
	json_t *o = json_object(), *items = json_array(), *n = json_object(),
	       *s = json_object();

	for (size_t k = 0; k < p->n; k++) {
		const struct cairn_portfolio_item *it = &p->items[k];
		json_t *e = json_object();

		json_object_set_new(e, "id", json_integer(it->id));
		json_object_set_new(e, "title", json_string(it->title));
		json_object_set_new(e, "status",
		                    json_string(cairn_status_name(it->status)));
		json_object_set_new(e, "p_success",
		                    it->p_success >= 0
		                            ? json_real(it->p_success)
		                            : json_null());
		json_object_set_new(e, "novelty",
		                    it->novelty ? json_integer(it->novelty)
		                                : json_null());
		json_object_set_new(e, "bet",
		                    json_string(cairn_bet_name(it->bet)));
		json_array_append_new(items, e);
	}
	json_object_set_new(o, "goal",
	                    p->goal ? json_integer(p->goal) : json_null());
	json_object_set_new(o, "milestones", items);
	for (int k = 0; k < 3; k++) {
		json_object_set_new(
		        n, keys[k],
		        json_integer((json_int_t)p->count[kinds[k]]));
		json_object_set_new(
		        s, keys[k],
		        p->rated ? json_real((double)p->count[kinds[k]] /
		                             (double)p->rated)
		                 : json_null());
	}
	json_object_set_new(
	        n, "unrated",
	        json_integer((json_int_t)p->count[CAIRN_BET_UNRATED]));
	json_object_set_new(o, "counts", n);
	json_object_set_new(o, "shares", s);
	json_object_set_new(o, "warning",
	                    p->warning ? json_string(p->warning) : json_null());
	return o;
}
