/*
 * check.c: the roadmap linter (DESIGN.md section 5, `check`) and the
 * portfolio classification it shares with `portfolio`.
 *
 * Each rule is a function over a roadmap snapshot that reports findings in
 * item order; cairn_check_run calls them in the order of
 * cairn_check_rules, skipping those switched off in the store's settings
 * ("check.RULE" = "off").  Rules only read the snapshot: its items and
 * edges, and the settings and focus setting it carries; never the
 * store.  What they read of a snapshot is what cairn_check_scope loads
 * (roadmap.h's check_only, and the tags of prior work): a rule that
 * reads more needs the scope to load it.
 *
 * Workload: one pass per rule over items and edges; linear.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/buf.h"
#include "cairn/plan/check.h"
#include "plan/roadmap-int.h"
#include "banned.h"

enum cairn_bet
cairn_bet_of(const struct cairn_item *it)
{
	if (it->p_success < 0)
		return CAIRN_BET_UNRATED;
	if (it->p_success < CAIRN_BET_LONG_SHOT_BELOW)
		return CAIRN_BET_LONG_SHOT;
	if (it->p_success >= CAIRN_BET_SAFE_FROM)
		return CAIRN_BET_SAFE;
	return CAIRN_BET_BALANCED;
}

const char *
cairn_bet_name(enum cairn_bet b)
{
	switch (b) {
	case CAIRN_BET_LONG_SHOT:
		return "long-shot";
	case CAIRN_BET_BALANCED:
		return "balanced";
	case CAIRN_BET_SAFE:
		return "safe";
	default:
		return "unrated";
	}
}

const char *const cairn_check_rules[] = {
        "cycle",
        "feeds-no-goal",
        "scope-shrinks",
        "no-prior-work",
        "no-metric",
        "no-estimate",
        "portfolio",
        "idea-driven",
        "wip",
        "stale",
        NULL,
};

struct ctx {
	const struct cairn_roadmap *rm;
	cairn_finding_fn fn;
	void *arg;
	size_t count;
	struct buf msg, hint;
	long stale_days;
	double idea_max;
	struct cairn_err *err;
};

static int
report(struct ctx *x, int64_t item, const char *rule)
{
	struct cairn_finding f = {item, rule, x->msg.buf, x->hint.buf};

	x->count++;
	return x->fn(x->arg, &f);
}

static void say(struct ctx *x, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
say(struct ctx *x, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&x->msg);
	va_start(ap, fmt);
	buf_vaddf(&x->msg, fmt, ap);
	va_end(ap);
}

static void hint(struct ctx *x, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
hint(struct ctx *x, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&x->hint);
	va_start(ap, fmt);
	buf_vaddf(&x->hint, fmt, ap);
	va_end(ap);
}

static int
is_open(const struct cairn_roadmap *rm, size_t i)
{
	return cairn_item_open(&rm->items[i]);
}

/* An open milestone with no open milestone below it: a unit of work.
 * stack: room for rm->n + 1 positions, scratch. */
static int
is_work(const struct cairn_roadmap *rm, size_t i, uint32_t *stack)
{
	size_t n = 0;
	int below = 0;

	if (rm->items[i].kind != CAIRN_KIND_MILESTONE || !is_open(rm, i))
		return 0;
	stack[n++] = (uint32_t)i;
	while (n && !below) {
		uint32_t v = stack[--n];

		for (uint32_t k = rm->kid_off[v]; k < rm->kid_off[v + 1]; k++) {
			uint32_t c = rm->kid[k];

			if (!is_open(rm, c))
				continue;
			if (rm->items[c].kind == CAIRN_KIND_MILESTONE) {
				below = 1;
				break;
			}
			stack[n++] = c;
		}
	}
	return !below;
}

/* ---- rules ---------------------------------------------------------- */

/* Builds-on edges are acyclic in the store, but prerequisites inherited
 * from parents can still close a cycle. */
static int
rule_cycle(struct ctx *x)
{
	struct cairn_plan g;
	struct cairn_err e = CAIRN_ERR_INIT;
	int64_t first = 0;
	int rc;

	/* Plan (to name the cycle) only when one may close. */
	if (roadmap_plan_certain(x->rm))
		return 0;
	rc = cairn_roadmap_plan(x->rm, 0, &g, &e);
	if (rc == 0) {
		cairn_plan_release(&g);
		return 0;
	}
	if (rc != CAIRN_ECYCLE)
		return cairn_err_set(x->err, rc, "%s", e.msg);
	/* "cycle: #3 -> ..." or "cycle: #3 builds on ..." */
	if (strncmp(e.msg, "cycle: #", 8) == 0) {
		first = strtoll(e.msg + 8, NULL, 10);
		say(x, "prerequisites go round: %s", e.msg + 7);
	} else {
		say(x, "%s", e.msg);
	}
	hint(x, "remove one builds-on edge of the cycle (cairn dep rm) or "
	        "move a milestone out from under a parent that depends on it");
	return report(x, first, "cycle");
}

static int
rule_feeds_no_goal(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	unsigned char *feeds = xcalloc(rm->n ? rm->n : 1, 1);
	uint32_t *queue = xmalloc((rm->n ? rm->n : 1) * sizeof(*queue));
	size_t head = 0, tail = 0;
	int rc = 0;

	/* Everything in a goal's subtree feeds it; so does whatever a
	 * feeding item builds on, and everything below that. */
	for (size_t i = 0; i < rm->n; i++)
		if (cairn_roadmap_goal_of(rm, i) >= 0) {
			feeds[i] = 1;
			queue[tail++] = (uint32_t)i;
		}
	while (head < tail) {
		uint32_t v = queue[head++];

		for (uint32_t k = rm->pre_off[v]; k < rm->pre_off[v + 1]; k++)
			if (!feeds[rm->pre[k]]) {
				feeds[rm->pre[k]] = 1;
				queue[tail++] = rm->pre[k];
			}
		for (uint32_t k = rm->kid_off[v]; k < rm->kid_off[v + 1]; k++)
			if (!feeds[rm->kid[k]]) {
				feeds[rm->kid[k]] = 1;
				queue[tail++] = rm->kid[k];
			}
	}
	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (feeds[i] || it->kind != CAIRN_KIND_MILESTONE ||
		    !is_open(rm, i))
			continue;
		say(x, "milestone feeds no long-term goal (a side project?)");
		hint(x,
		     "put it under a goal (cairn mv %lld --under GOAL) or "
		     "let a goal's milestone build on it (cairn dep add ID "
		     "%lld)",
		     (long long)it->id, (long long)it->id);
		rc = report(x, it->id, "feeds-no-goal");
	}
	free(feeds);
	free(queue);
	return rc;
}

static int
rule_scope_shrinks(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	int rc = 0;

	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (!it->scope || !is_open(rm, i))
			continue;
		for (uint32_t k = rm->pre_off[i]; k < rm->pre_off[i + 1] && !rc;
		     k++) {
			const struct cairn_item *p = &rm->items[rm->pre[k]];

			if (!p->scope || p->scope <= it->scope)
				continue;
			say(x,
			    "scope %d is smaller than the %d of #%lld, which "
			    "it builds on",
			    it->scope, p->scope, (long long)p->id);
			hint(x,
			     "widen it (cairn set %lld scope=%d) or check "
			     "that it really builds on #%lld",
			     (long long)it->id, p->scope, (long long)p->id);
			rc = report(x, it->id, "scope-shrinks");
		}
	}
	return rc;
}

/* Words that mark reading or replicating prior work. */
static int
prior_work_title(const char *title)
{
	static const char *const words[] = {
	        "read",        "reading",    "replicate",   "replicating",
	        "replication", "reproduce",  "reproducing", "reproduction",
	        "survey",      "literature", "prior-work",  "related-work",
	        NULL,
	};
	char w[32], prev[32] = "";
	const char *s = title;

	while (*s) {
		size_t n = 0;

		while (*s && !isalnum((unsigned char)*s))
			s++;
		while (*s && (isalnum((unsigned char)*s) || *s == '-')) {
			if (n + 1 < sizeof(w))
				w[n++] = (char)tolower((unsigned char)*s);
			s++;
		}
		w[n] = '\0';
		if (!n)
			break;
		for (int k = 0; words[k]; k++)
			if (!strcmp(w, words[k]))
				return 1;
		if (!strcmp(w, "work") &&
		    (!strcmp(prev, "prior") || !strcmp(prev, "related")))
			return 1;
		snprintf(prev, sizeof(prev), "%s", w);
	}
	return 0;
}

/* Tags that mark prior work: the only tags a rule reads. */
static const char *const prior_work_tags[] = {
        "prior-work", "reading", "replication", "literature", "survey", NULL,
};

static int
prior_work_item(const struct cairn_roadmap *rm, size_t i)
{
	const char *const *tags = prior_work_tags;

	if (rm->items[i].kind != CAIRN_KIND_MILESTONE ||
	    rm->items[i].status == CAIRN_STATUS_DROPPED)
		return 0;
	for (uint32_t k = rm->tag_off[i]; k < rm->tag_off[i + 1]; k++)
		for (int t = 0; tags[t]; t++)
			if (!strcmp(rm->tag[k], tags[t]))
				return 1;
	return prior_work_title(rm->items[i].title);
}

/* Does item i, not dropped, require a paper (read or not)? */
static int
requires_paper(const struct cairn_roadmap *rm, size_t i)
{
	return rm->items[i].status != CAIRN_STATUS_DROPPED &&
	       rm->req_off[i + 1] > rm->req_off[i];
}

/* Does anything below item i pass pred?  stack has room for rm->n. */
static int
any_below(const struct cairn_roadmap *rm, size_t i, uint32_t *stack,
          int (*pred)(const struct cairn_roadmap *rm, size_t j))
{
	size_t n = 0;

	stack[n++] = (uint32_t)i;
	while (n) {
		uint32_t v = stack[--n];

		for (uint32_t k = rm->kid_off[v]; k < rm->kid_off[v + 1]; k++) {
			if (pred(rm, rm->kid[k]))
				return 1;
			stack[n++] = rm->kid[k];
		}
	}
	return 0;
}

static int
prior_work_or_paper(const struct cairn_roadmap *rm, size_t j)
{
	return prior_work_item(rm, j) || requires_paper(rm, j);
}

/* A goal below, not dropped, with a metric. */
static int
measured_goal(const struct cairn_roadmap *rm, size_t j)
{
	return rm->items[j].kind == CAIRN_KIND_GOAL &&
	       rm->items[j].status != CAIRN_STATUS_DROPPED && rm->metrics[j];
}

static int
rule_no_prior_work(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	uint32_t *stack = xmalloc((rm->n + 1) * sizeof(*stack));
	int rc = 0;

	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (it->kind != CAIRN_KIND_GOAL || !is_open(rm, i))
			continue;
		/* Done prior work counts: it is behind the goal.  So does a
		 * paper the goal or anything below it requires. */
		if (requires_paper(rm, i) ||
		    any_below(rm, i, stack, prior_work_or_paper))
			continue;
		say(x, "goal has no prior-work milestone or required paper "
		       "(reading, or replicating a paper on the way to the "
		       "state of the art)");
		hint(x,
		     "add one first: cairn add milestone 'Replicate ...' "
		     "--under %lld --tag prior-work, or cairn paper link KEY "
		     "%lld",
		     (long long)it->id, (long long)it->id);
		rc = report(x, it->id, "no-prior-work");
	}
	free(stack);
	return rc;
}

/*
 * An open goal is measured when it, or a goal below it, has a metric: a
 * goal broken into sub-goals is measured through them.
 */
static int
rule_no_metric(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	uint32_t *stack = xmalloc((rm->n + 1) * sizeof(*stack));
	int rc = 0;

	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (it->kind != CAIRN_KIND_GOAL || !is_open(rm, i))
			continue;
		if (rm->metrics[i] > 0 ||
		    any_below(rm, i, stack, measured_goal))
			continue;
		say(x, "goal has no metric (a key result that shows how far "
		       "it has come)");
		hint(x,
		     "cairn metric add %lld NAME --unit U --baseline B "
		     "--target T",
		     (long long)it->id);
		rc = report(x, it->id, "no-metric");
	}
	free(stack);
	return rc;
}

static int
rule_no_estimate(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	uint32_t *stack = xmalloc((rm->n + 1) * sizeof(*stack));
	int rc = 0;

	/* The same words for every one: formatted once, and the hint
	 * without a format (there can be one for every milestone). */
	say(x,
	    "milestone has no estimate (forecasts assume %g/%g/%g "
	    "days)",
	    CAIRN_DEFAULT_OPT, CAIRN_DEFAULT_LIKELY, CAIRN_DEFAULT_PESS);
	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (it->est[0] >= 0 || !is_work(rm, i, stack))
			continue;
		buf_reset(&x->hint);
		buf_adds(&x->hint, "cairn set ");
		buf_add_int(&x->hint, it->id);
		buf_adds(&x->hint, " estimate=O/M/P (working days)");
		rc = report(x, it->id, "no-estimate");
	}
	free(stack);
	return rc;
}

static int
rule_portfolio(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	uint32_t *stack = xmalloc((rm->n + 1) * sizeof(*stack));
	int rc = 0;

	for (size_t i = 0; i < rm->n && !rc; i++) {
		size_t n = 0, count[4] = {0}, rated;

		if (rm->items[i].kind != CAIRN_KIND_GOAL || !is_open(rm, i))
			continue;
		stack[n++] = (uint32_t)i;
		while (n) {
			uint32_t v = stack[--n];

			for (uint32_t k = rm->kid_off[v];
			     k < rm->kid_off[v + 1]; k++) {
				const struct cairn_item *c =
				        &rm->items[rm->kid[k]];

				if (!is_open(rm, rm->kid[k]))
					continue;
				stack[n++] = rm->kid[k];
				if (c->kind == CAIRN_KIND_MILESTONE &&
				    (c->status == CAIRN_STATUS_PLANNED ||
				     c->status == CAIRN_STATUS_ACTIVE))
					count[cairn_bet_of(c)]++;
			}
		}
		rated = count[CAIRN_BET_SAFE] + count[CAIRN_BET_BALANCED] +
		        count[CAIRN_BET_LONG_SHOT];
		if (rated < 3)
			continue;
		if (count[CAIRN_BET_SAFE] == rated) {
			say(x,
			    "all %zu rated milestones are safe bets "
			    "(p_success >= %g): nothing novel at stake",
			    rated, CAIRN_BET_SAFE_FROM);
			hint(x,
			     "add a bolder milestone, or check the chances "
			     "(cairn portfolio --goal %lld)",
			     (long long)rm->items[i].id);
		} else if (count[CAIRN_BET_LONG_SHOT] == rated) {
			say(x,
			    "all %zu rated milestones are long shots "
			    "(p_success < %g): likely to end with nothing",
			    rated, CAIRN_BET_LONG_SHOT_BELOW);
			hint(x,
			     "add a safe milestone that secures a result on "
			     "the way (cairn portfolio --goal %lld)",
			     (long long)rm->items[i].id);
		} else {
			continue;
		}
		rc = report(x, rm->items[i].id, "portfolio");
	}
	free(stack);
	return rc;
}

static int
rule_idea_driven(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	size_t ideas = 0, stated = 0;

	for (size_t i = 0; i < rm->n; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (it->kind != CAIRN_KIND_GOAL || !is_open(rm, i) ||
		    it->driven == CAIRN_DRIVEN_NONE)
			continue;
		stated++;
		ideas += it->driven == CAIRN_DRIVEN_IDEA;
	}
	if (stated < 2 || (double)ideas / (double)stated <= x->idea_max)
		return 0;
	say(x,
	    "%zu of %zu open goals are idea-driven (%.0f%%, more than "
	    "%.0f%%)",
	    ideas, stated, 100.0 * (double)ideas / (double)stated,
	    100 * x->idea_max);
	hint(x, "tie some ideas to a long-term goal they serve, or set "
	        "check.idea-driven.max higher");
	return report(x, 0, "idea-driven");
}

/*
 * Active items, counted as the focus report counts them (status active,
 * ideas aside), against the focus setting's WIP limit.
 */
static int
rule_wip(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	const struct cairn_focus f = rm->focus;
	struct buf ids = BUF_INIT;
	size_t active = 0;

	for (size_t i = 0; i < rm->n; i++) {
		const struct cairn_item *it = &rm->items[i];

		if (it->status != CAIRN_STATUS_ACTIVE ||
		    it->kind == CAIRN_KIND_IDEA)
			continue;
		if (++active <= 10)
			buf_addf(&ids, "%s#%lld", active > 1 ? ", " : "",
			         (long long)it->id);
	}
	if (active <= (size_t)f.wip) {
		buf_release(&ids);
		return 0;
	}
	if (active > 10)
		buf_addf(&ids, " and %zu more", active - 10);
	say(x, "%zu items are active (%s), more than the WIP limit of %d",
	    active, ids.buf, f.wip);
	if (f.main)
		hint(x,
		     "finish or pause some (cairn pause ID), or raise the "
		     "limit (cairn focus set %lld --wip %zu)",
		     (long long)f.main, active);
	else
		hint(x, "finish or pause some (cairn pause ID), or raise the "
		        "limit (cairn focus set MAIN_ID --wip N)");
	buf_release(&ids);
	return report(x, 0, "wip");
}

static int
rule_stale(struct ctx *x)
{
	const struct cairn_roadmap *rm = x->rm;
	time_t now = cairn_clock();
	int rc = 0;

	for (size_t i = 0; i < rm->n && !rc; i++) {
		const struct cairn_item *it = &rm->items[i];
		const char *last =
		        rm->touched[i][0] ? rm->touched[i] : it->started;
		time_t t;
		long days;

		if (it->status != CAIRN_STATUS_ACTIVE || !last[0])
			continue;
		t = cairn_ts_to_time(last);
		if (t == (time_t)-1 || now <= t)
			continue;
		days = (long)((now - t) / 86400);
		if (days < x->stale_days)
			continue;
		say(x, "active but unchanged for %ld days (since %.10s)", days,
		    last);
		hint(x,
		     "note where it stands (cairn note %lld ...) or pause "
		     "it (cairn pause %lld)",
		     (long long)it->id, (long long)it->id);
		rc = report(x, it->id, "stale");
	}
	return rc;
}

static int (*const rule_fns[])(struct ctx *) = {
        rule_cycle,         rule_feeds_no_goal, rule_scope_shrinks,
        rule_no_prior_work, rule_no_metric,     rule_no_estimate,
        rule_portfolio,     rule_idea_driven,   rule_wip,
        rule_stale,
};

_Static_assert(sizeof(rule_fns) / sizeof(rule_fns[0]) + 1 ==
                       sizeof(cairn_check_rules) / sizeof(cairn_check_rules[0]),
               "a function for every rule");

/* A setting's value into out ("" when unset). */
static void
setting(const struct cairn_roadmap *rm, const char *key, struct buf *out)
{
	const char *v = cairn_roadmap_setting(rm, key);

	buf_reset(out);
	if (v)
		buf_adds(out, v);
}

/* The settings of rule (read only when it runs). */
static int
rule_settings(struct ctx *x, const char *rule, struct buf *v)
{
	struct cairn_err *err = x->err;

	if (!strcmp(rule, "stale")) {
		setting(x->rm, "check.stale.days", v);
		if (v->len) {
			char *end;
			long d = strtol(v->buf, &end, 10);

			if (*end || d < 1 || d > 36500)
				return cairn_err_set(
				        err, CAIRN_EINVAL,
				        "setting check.stale.days must be a "
				        "number of days, not '%s'",
				        v->buf);
			x->stale_days = d;
		}
	}
	if (!strcmp(rule, "idea-driven")) {
		setting(x->rm, "check.idea-driven.max", v);
		if (v->len) {
			char *end;
			double d = strtod(v->buf, &end);

			if (*end || !(d >= 0 && d <= 1))
				return cairn_err_set(
				        err, CAIRN_EINVAL,
				        "setting check.idea-driven.max must "
				        "be a share from 0 to 1, not '%s'",
				        v->buf);
			x->idea_max = d;
		}
	}
	return 0;
}

void
cairn_check_scope(struct cairn_roadmap_scope *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->check_only = 1;
	sc->tags = prior_work_tags;
}

int
cairn_check_run(const struct cairn_roadmap *rm, cairn_finding_fn fn, void *arg,
                size_t *count, struct cairn_err *err)
{
	struct ctx x;
	struct buf v = BUF_INIT, key = BUF_INIT;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.rm = rm;
	x.fn = fn;
	x.arg = arg;
	x.err = err;
	x.stale_days = 30;
	x.idea_max = 0.5;
	buf_init(&x.msg, 128);
	buf_init(&x.hint, 128);
	for (int r = 0; cairn_check_rules[r]; r++) {
		buf_reset(&key);
		buf_addf(&key, "check.%s", cairn_check_rules[r]);
		setting(rm, key.buf, &v);
		if (!strcmp(v.buf, "off"))
			continue;
		if ((rc = rule_settings(&x, cairn_check_rules[r], &v)) ||
		    (rc = rule_fns[r](&x)))
			goto out;
	}
out:
	if (count)
		*count = x.count;
	buf_release(&x.msg);
	buf_release(&x.hint);
	buf_release(&v);
	buf_release(&key);
	return rc;
}

json_t *
cairn_finding_json(const struct cairn_finding *f)
{
	json_t *j = json_object();

	json_object_set_new(j, "id",
	                    f->item ? json_integer(f->item) : json_null());
	json_object_set_new(j, "rule", json_string(f->rule));
	json_object_set_new(j, "message", json_string(f->message));
	json_object_set_new(j, "hint", json_string(f->hint));
	return j;
}
