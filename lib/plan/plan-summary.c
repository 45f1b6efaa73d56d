/*
 * plan-summary.c: the planning summary the store keeps for `next`
 * (tables plan_unit, plan_node and plan_dirty, made by migrate.c), and
 * `next` read from it (cairn_next_store).  The plan layer's SQL for
 * those tables; the roadmap itself still comes from roadmap-load.c.
 *
 * A planning unit is an open goal or a root that is not a goal
 * (next-int.h); its rows are what next_unit computes for it.  Writes
 * never plan: the store's triggers name, in the writing transaction,
 * the items whose change can reach some unit's plan (plan_dirty).  The
 * first read after them plans again, in one upkeep transaction
 * (store_upkeep_begin: no change row, nothing journalled), only the
 * units that can reach those items, and every read looks at plan_dirty
 * in the snapshot it reads rows from, so none returns a stale summary.
 * When the upkeep cannot be written (a read-only store, or another
 * process holding the writer lock) `next` plans afresh, as it did before
 * the summary.
 *
 * Which units can reach an item.  Planning unit c reads its subgraph
 * (roadmap-load.c, subgraph_load): c, what is below an item in (below =
 * 1), the parent of anything in (below = 0), what anything in builds on
 * (below = 1).  STALE_UNITS walks those rules backwards from each item
 * named, in both states: a unit reached with below = 1 reads the item.
 * An edge or parent taken away is named at both ends, so a unit that
 * reached an item only through it is still found from the end nearer
 * to it.
 *
 * Workload: a read with nothing stale reads at most limit rows per goal
 * that needs a step, through the index plan_node_next, and the picks'
 * titles.  Planning again costs the stale units' subgraphs; more than
 * REBUILD_AT named items (an import), or id 0 (a migrated store), plan
 * everything from one snapshot of the open items.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/item.h"
#include "cairn/plan/next.h"
#include "cairn/research/paper.h"
#include "plan/next-int.h"
#include "plan/step.h"
#include "store/store-int.h"
#include "banned.h"

#define REBUILD_AT 4096
/* pref of a unit that is not a goal: after every goal's rows. */
#define NO_GOAL_PREF INT64_MAX
/* ord of a paper: after every item (next lists papers after items). */
#define PAPER_ORD ((int64_t)1 << 62)

#define STALE_UNITS                                                            \
	"WITH RECURSIVE r(id, below) AS ("                                     \
	"  SELECT id, 0 FROM plan_dirty UNION SELECT id, 1 FROM plan_dirty"    \
	"  UNION SELECT i.parent, 1 FROM r JOIN item i ON i.id = r.id"         \
	"    WHERE r.below AND i.parent IS NOT NULL"                           \
	"  UNION SELECT i.id, 0 FROM r JOIN item i ON i.parent = r.id"         \
	"    WHERE NOT r.below"                                                \
	"  UNION SELECT i.id, 1 FROM r JOIN item i ON i.parent = r.id"         \
	"    WHERE NOT r.below"                                                \
	"  UNION SELECT e.item, 0 FROM r JOIN edge e ON e.prereq = r.id"       \
	"    WHERE r.below"                                                    \
	"  UNION SELECT e.item, 1 FROM r JOIN edge e ON e.prereq = r.id"       \
	"    WHERE r.below) "                                                  \
	"SELECT r.id FROM r JOIN item i ON i.id = r.id WHERE r.below AND "     \
	"  (i.kind = 'goal' OR i.parent IS NULL) "                             \
	"UNION SELECT id FROM plan_dirty WHERE id > 0 ORDER BY 1"

struct writer {
	struct cairn_store *st;
	sqlite3_stmt *node, *unit;
	int64_t unit_id;
	int goal;
	double likelihood;
	int rc;
	struct cairn_err *err;
};

static void
put_node(void *ctx, const struct next_node *nd)
{
	struct writer *w = ctx;
	sqlite3_stmt *s = w->node;

	if (w->rc)
		return;
	sqlite3_bind_int64(s, 1, w->unit_id);
	sqlite3_bind_int64(s, 2, nd->node);
	if (w->goal)
		sqlite3_bind_int64(s, 3, w->unit_id);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_int64(s, 4, w->goal ? w->unit_id : NO_GOAL_PREF);
	sqlite3_bind_int64(s, 5,
	                   nd->node > 0 ? nd->node : PAPER_ORD - nd->node);
	sqlite3_bind_int(s, 6, nd->listed);
	sqlite3_bind_double(s, 7, nd->score);
	sqlite3_bind_double(s, 8, nd->carry);
	sqlite3_bind_double(s, 9, nd->expected);
	sqlite3_bind_double(s, 10, nd->slack);
	store_bind_opt_double(s, 11, w->goal ? w->likelihood : -1);
	w->rc = store_step(w->st, s, "save the planning summary", w->err);
}

/* Plan the unit at position i of rm (when it is one) into the tables. */
static int
unit_write(struct writer *w, const struct cairn_roadmap *rm,
           struct roadmap_planner *pl, size_t i)
{
	struct cairn_err why = CAIRN_ERR_INIT;
	int kind = next_unit_kind(rm, i), rc;
	double length = 0;

	if (!kind)
		return 0;
	w->unit_id = rm->items[i].id;
	w->goal = kind == 2;
	w->likelihood = rm->items[i].likelihood;
	w->rc = 0;
	rc = next_unit(rm, pl, (long)i, w->goal, &length, put_node, w, &why);
	if (w->rc)
		return w->rc;
	if (rc && rc != CAIRN_ECYCLE)
		return cairn_err_set(w->err, rc, "%s", why.msg);
	/* A cycle is kept, so that next reports it as a fresh plan does. */
	sqlite3_bind_int64(w->unit, 1, w->unit_id);
	sqlite3_bind_double(w->unit, 2, length);
	store_bind_text_or_null(w->unit, 3, rc ? why.msg : NULL);
	return store_step(w->st, w->unit, "save the planning summary", w->err);
}

/* Plan every unit of rm (all of them, or those ids[0..n) names). */
static int
units_write(struct cairn_store *st, const struct cairn_roadmap *rm,
            const int64_t *ids, size_t n, struct cairn_err *err)
{
	struct writer w = {.st = st, .err = err};
	struct roadmap_planner *pl = roadmap_planner_new(rm);
	int rc;

	if ((rc = store_prepare(st, &w.node,
	                        "INSERT INTO plan_node(unit, node, goal, "
	                        "pref, ord, ready, score, carry, expected, "
	                        "slack, likelihood) VALUES(?, ?, ?, ?, ?, ?, "
	                        "?, ?, ?, ?, ?)",
	                        err)) ||
	    (rc = store_prepare(st, &w.unit,
	                        "INSERT INTO plan_unit(id, length, error) "
	                        "VALUES(?, ?, ?)",
	                        err)))
		goto out;
	if (!ids) {
		for (size_t i = 0; i < rm->n && !rc; i++)
			rc = unit_write(&w, rm, pl, i);
	} else {
		for (size_t k = 0; k < n && !rc; k++) {
			long i = cairn_roadmap_find(rm, ids[k]);

			if (i >= 0)
				rc = unit_write(&w, rm, pl, (size_t)i);
		}
	}
out:
	sqlite3_finalize(w.node);
	sqlite3_finalize(w.unit);
	roadmap_planner_free(pl);
	return rc;
}

/* Everything again, from one snapshot of the open items. */
static int
rebuild_all(struct cairn_store *st, struct cairn_err *err)
{
	struct cairn_roadmap_scope sc = {.open_only = 1, .plan_only = 1};
	struct cairn_roadmap rm;
	int rc;

	if ((rc = store_exec(st,
	                     "DELETE FROM plan_node; DELETE FROM plan_unit;",
	                     err)) ||
	    (rc = cairn_roadmap_load_scope(st, &sc, &rm, err)))
		return rc;
	rc = units_write(st, &rm, NULL, 0, err);
	cairn_roadmap_release(&rm);
	return rc;
}

/* The units STALE_UNITS finds (and the items named), planned again. */
static int
rebuild_stale(struct cairn_store *st, struct cairn_err *err)
{
	struct cairn_roadmap_scope sc = {.plan_only = 1};
	struct cairn_roadmap rm;
	sqlite3_stmt *s, *d1 = NULL, *d2 = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if ((rc = store_prepare(st, &s, STALE_UNITS, err)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	rc = rc == SQLITE_DONE ? 0
	                       : store_sqlerr(st, err, "find the stale plans");
	sqlite3_finalize(s);
	if (rc || !n)
		goto out;
	if ((rc = store_prepare(st, &d1, "DELETE FROM plan_node WHERE unit = ?",
	                        err)) ||
	    (rc = store_prepare(st, &d2, "DELETE FROM plan_unit WHERE id = ?",
	                        err)))
		goto out;
	for (size_t k = 0; k < n && !rc; k++) {
		sqlite3_bind_int64(d1, 1, ids[k]);
		sqlite3_bind_int64(d2, 1, ids[k]);
		if (!(rc = store_step(st, d1, "update the planning summary",
		                      err)))
			rc = store_step(st, d2, "update the planning summary",
			                err);
	}
	if (rc)
		goto out;
	sc.goals = ids;
	sc.ngoals = n;
	if ((rc = cairn_roadmap_load_scope(st, &sc, &rm, err)))
		goto out;
	rc = units_write(st, &rm, ids, n, err);
	cairn_roadmap_release(&rm);
out:
	sqlite3_finalize(d1);
	sqlite3_finalize(d2);
	free(ids);
	return rc;
}

/*
 * How many items plan_dirty names, into *out: REBUILD_AT for id 0
 * (everything); with quick, only whether there are any (0 or 1).
 */
static int
stale_count(struct cairn_store *st, int quick, int *out, struct cairn_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*out = 0;
	if ((rc = store_prepare(st, &s,
	                        quick ? "SELECT EXISTS (SELECT 1 FROM "
	                                "plan_dirty)"
	                              : "SELECT CASE WHEN EXISTS (SELECT 1 "
	                                "FROM plan_dirty WHERE id = 0) THEN ? "
	                                "ELSE (SELECT count(*) FROM "
	                                "plan_dirty) END",
	                        err)))
		return rc;
	sqlite3_bind_int(s, 1, REBUILD_AT);
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	else
		rc = store_sqlerr(st, err, "read the planning summary");
	sqlite3_finalize(s);
	return rc;
}

int
cairn_plan_summary_refresh(struct cairn_store *st, int all,
                           struct cairn_err *err)
{
	struct cairn_err ignored = CAIRN_ERR_INIT;
	int n = 0, rc, end;

	if ((rc = store_upkeep_begin(st, err)))
		return rc;
	if (all)
		rc = store_exec(
		        st, "INSERT OR IGNORE INTO plan_dirty(id) VALUES(0)",
		        err);
	if (!rc)
		rc = stale_count(st, 0, &n, err);
	if (!rc && n)
		rc = n >= REBUILD_AT ? rebuild_all(st, err)
		                     : rebuild_stale(st, err);
	if (!rc && n)
		rc = store_exec(st, "DELETE FROM plan_dirty", err);
	end = store_upkeep_end(st, !rc, rc ? &ignored : err);
	return rc ? rc : end;
}

/* ---- next from the summary ---- */

/* Node ids already picked: an open-addressed set. */
struct seen {
	int64_t *v;
	size_t cap, n;
};

/* Add id; 0 if it was there. */
static int
seen_add(struct seen *s, int64_t id)
{
	size_t h;

	if (2 * (s->n + 1) > s->cap) {
		struct seen t = {.cap = s->cap ? 2 * s->cap : 64};

		t.v = xcalloc(t.cap, sizeof(*t.v));
		for (size_t k = 0; k < s->cap; k++)
			if (s->v[k])
				seen_add(&t, s->v[k]);
		free(s->v);
		*s = t;
	}
	h = ((uint64_t)id * 0x9e3779b97f4a7c15ull) >> 7;
	for (h %= s->cap; s->v[h]; h = (h + 1) % s->cap)
		if (s->v[h] == id)
			return 0;
	s->v[h] = id;
	s->n++;
	return 1;
}

/* Title and status of item id (goal: title only, into *title). */
static int
item_name(struct cairn_store *st, sqlite3_stmt *s, int64_t id, char **title,
          const char **status, struct cairn_err *err)
{
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int v = cairn_status_parse(store_col_text(s, 1));

		*title = xstrdup(store_col_text(s, 0));
		if (status)
			*status =
			        cairn_status_name(v < 0 ? CAIRN_STATUS_PLANNED
			                                : (enum cairn_status)v);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the items");
	}
	sqlite3_reset(s);
	return rc;
}

/* The paper's key, its label as a step and its status. */
static int
paper_name(struct cairn_store *st, sqlite3_stmt *s, int64_t id,
           struct cairn_next_pick *o, struct buf *tmp, struct cairn_err *err)
{
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int v = cairn_paper_status_parse(store_col_text(s, 2));
		enum cairn_paper_status ps = v < 0 ? CAIRN_PAPER_TO_READ
		                                   : (enum cairn_paper_status)v;

		o->paper = xstrdup(store_col_text(s, 0));
		buf_reset(tmp);
		plan_paper_label(tmp, ps, o->paper, store_col_text(s, 1));
		o->title = xstrdup(tmp->buf);
		o->status = cairn_paper_status_name(ps);
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the papers");
	}
	sqlite3_reset(s);
	return rc;
}

/*
 * The picks from the summary, in a snapshot where nothing is stale;
 * *stale when something is (nothing read), *cycle when a unit's plan
 * has one.
 */
static int
read_picks(struct cairn_store *st, size_t limit, struct cairn_next *out,
           int *stale, int *cycle, struct cairn_err *err)
{
	sqlite3_stmt *s = NULL, *it = NULL, *pa = NULL;
	struct buf tmp = BUF_INIT;
	struct seen seen = {0};
	size_t cap = 0;
	int n, rc;

	if ((rc = stale_count(st, 1, &n, err)))
		return rc;
	if ((*stale = n > 0))
		return 0;
	if ((rc = store_pragma_int(st,
	                           "SELECT EXISTS (SELECT 1 FROM plan_unit "
	                           "WHERE error IS NOT NULL)",
	                           cycle, err)) ||
	    *cycle)
		return rc;
	if ((rc = store_prepare(st, &s,
	                        "SELECT node, goal, score, carry, expected, "
	                        "slack, likelihood FROM plan_node WHERE ready "
	                        "ORDER BY score DESC, expected DESC, ord, pref",
	                        err)) ||
	    (rc = store_prepare(st, &it,
	                        "SELECT title, status FROM item WHERE id = ?",
	                        err)) ||
	    (rc = store_prepare(st, &pa,
	                        "SELECT key, title, status FROM paper "
	                        "WHERE id = ?",
	                        err)))
		goto out;
	while (out->n < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t node = sqlite3_column_int64(s, 0);
		struct cairn_next_pick *o;

		if (!seen_add(&seen, node))
			continue;
		if (out->n == cap) {
			cap = cap ? 2 * cap : 16;
			out->picks = xrealloc(out->picks, cap * sizeof(*o));
		}
		o = &out->picks[out->n++];
		memset(o, 0, sizeof(*o));
		o->goal = sqlite3_column_int64(s, 1);
		o->score = sqlite3_column_double(s, 2);
		o->expected = sqlite3_column_double(s, 4);
		o->likelihood = -1;
		if (o->goal) {
			o->carry = sqlite3_column_double(s, 3);
			o->slack = sqlite3_column_double(s, 5);
			if (sqlite3_column_type(s, 6) != SQLITE_NULL)
				o->likelihood = sqlite3_column_double(s, 6);
			if ((rc = item_name(st, it, o->goal, &o->goal_title,
			                    NULL, err)))
				goto out;
		}
		if (node > 0) {
			o->id = node;
			rc = item_name(st, it, node, &o->title, &o->status,
			               err);
		} else {
			rc = paper_name(st, pa, -node, o, &tmp, err);
		}
		if (rc)
			goto out;
	}
	rc = rc == SQLITE_DONE || rc == SQLITE_ROW || !rc
	             ? 0
	             : store_sqlerr(st, err, "read the planning summary");
out:
	sqlite3_finalize(s);
	sqlite3_finalize(it);
	sqlite3_finalize(pa);
	free(seen.v);
	buf_release(&tmp);
	return rc;
}

/* next planned afresh from a snapshot of the open items. */
static int
next_fresh(struct cairn_store *st, size_t limit, struct cairn_next *out,
           struct cairn_err *err)
{
	struct cairn_roadmap_scope sc = {.open_only = 1, .plan_only = 1};
	struct cairn_roadmap rm;
	int rc;

	if ((rc = cairn_roadmap_load_scope(st, &sc, &rm, err)))
		return rc;
	rc = cairn_next(&rm, 0, limit, out, err);
	cairn_roadmap_release(&rm);
	return rc;
}

int
cairn_next_store(struct cairn_store *st, size_t limit, struct cairn_next *out,
                 struct cairn_err *err)
{
	int own = !st->depth && !st->upkeep, stale = 0, cycle = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	/* A writer may make it stale again between the upkeep and the
	 * read: a few rounds, then plan afresh. */
	for (int round = 0; round < 3; round++) {
		if (stale && (rc = cairn_plan_summary_refresh(st, 0, err))) {
			/* Cannot write it now: plan afresh, as before. */
			if (rc != CAIRN_EREADONLY && rc != CAIRN_EBUSY)
				return rc;
			cairn_err_clear(err);
			break;
		}
		if (own && (rc = store_exec(st, "BEGIN", err)))
			return rc;
		rc = read_picks(st, limit, out, &stale, &cycle, err);
		if (own)
			sqlite3_exec(st->db, rc ? "ROLLBACK" : "COMMIT", NULL,
			             NULL, NULL);
		if (rc || (!stale && !cycle))
			return rc;
		cairn_next_release(out);
		if (cycle)
			break;
	}
	return next_fresh(st, limit, out, err);
}
