/*
 * plan-load.c: a snapshot of the roadmap for planning, and the remaining
 * work of a goal built from it (rules in plan.h, cairn_roadmap_plan).
 *
 * The snapshot reads every item, edge and tag, the papers items require,
 * the time logged and the metrics per item, and each item's last journal
 * time with streaming queries, then indexes them by position (items and
 * papers are in id order, so an id is found by binary search).  Planning
 * reads only the snapshot, so `next` can plan every goal without going
 * back to the store.
 *
 * Invariants: index arrays hold positions into items[]; CSR lists keep
 * the order of their query (children and prerequisites by id).
 *
 * Workload: roadmaps of tens to tens of thousands of items.  Memory and
 * time are linear in items + edges, except that an edge to a milestone
 * broken into k open pieces becomes k edges for each node inheriting it
 * (a container depended on by a container: k * m edges).  A required
 * paper is one node however many milestones wait for it.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/order.h"
#include "core/item-int.h"
#include "cairn/plan/roadmap.h"
#include "banned.h"

int
cairn_item_open(const struct cairn_item *it)
{
	return it->status != CAIRN_STATUS_DONE &&
	       it->status != CAIRN_STATUS_DROPPED;
}

long
cairn_roadmap_find(const struct cairn_roadmap *rm, int64_t id)
{
	return cairn_id_find(rm->items, rm->n, sizeof(*rm->items),
	                     offsetof(struct cairn_item, id), id);
}

static int
setting_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cairn_roadmap_setting *)elem)->key);
}

const char *
cairn_roadmap_setting(const struct cairn_roadmap *rm, const char *key)
{
	const struct cairn_roadmap_setting *s;

	if (!rm->nsettings)
		return NULL;
	s = bsearch(key, rm->settings, rm->nsettings, sizeof(*rm->settings),
	            setting_cmp);
	return s ? s->value : NULL;
}

long
cairn_roadmap_paper_find(const struct cairn_roadmap *rm, int64_t paper_id)
{
	return cairn_id_find(rm->papers, rm->npapers, sizeof(*rm->papers),
	                     offsetof(struct cairn_roadmap_paper, id),
	                     paper_id);
}

int
cairn_paper_effort(enum cairn_paper_status s, double est[3])
{
	static const double effort[][3] = {
	        [CAIRN_PAPER_TO_READ] = {CAIRN_PAPER_READ_OPT,
	                                 CAIRN_PAPER_READ_LIKELY,
	                                 CAIRN_PAPER_READ_PESS},
	        [CAIRN_PAPER_READING] = {CAIRN_PAPER_READING_OPT,
	                                 CAIRN_PAPER_READING_LIKELY,
	                                 CAIRN_PAPER_READING_PESS},
	        [CAIRN_PAPER_REPLICATING] = {CAIRN_PAPER_REPLICATE_OPT,
	                                     CAIRN_PAPER_REPLICATE_LIKELY,
	                                     CAIRN_PAPER_REPLICATE_PESS},
	};

	if (s != CAIRN_PAPER_TO_READ && s != CAIRN_PAPER_READING &&
	    s != CAIRN_PAPER_REPLICATING)
		return 0;
	memcpy(est, effort[s], sizeof(effort[s]));
	return 1;
}

const char *
cairn_roadmap_label(const struct cairn_roadmap *rm, int64_t id, struct buf *out)
{
	long i;

	buf_reset(out);
	if (id > 0 && (i = cairn_roadmap_find(rm, id)) >= 0) {
		buf_adds(out, rm->items[i].title);
	} else if (id < 0 && (i = cairn_roadmap_paper_find(rm, -id)) >= 0) {
		const struct cairn_roadmap_paper *p = &rm->papers[i];

		buf_addf(out, "%s %s: %s",
		         p->status == CAIRN_PAPER_REPLICATING ? "replicate"
		                                              : "read",
		         p->key, p->title);
	} else {
		buf_adds(out, "?");
	}
	return out->buf;
}

long
cairn_roadmap_goal_of(const struct cairn_roadmap *rm, size_t i)
{
	long p = (long)i;
	size_t steps = 0;

	/* The store keeps the tree acyclic; the step bound is a guard. */
	while (p >= 0 && steps++ <= rm->n) {
		if (rm->items[p].kind == CAIRN_KIND_GOAL)
			return p;
		p = rm->parent[p];
	}
	return -1;
}

struct pair {
	uint32_t a, b;
};

/* Append (a, b) to the growing array *v of *n pairs (room for *cap). */
static void
pair_push(struct pair **v, size_t *n, size_t *cap, uint32_t a, uint32_t b)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = (struct pair){a, b};
}

/* CSR from pairs (a, b) over n keys a, keeping the pairs' order. */
static void
csr(size_t n, const struct pair *v, size_t m, uint32_t **off_out,
    uint32_t **val_out)
{
	uint32_t *off = xcalloc(n + 1, sizeof(*off));
	uint32_t *val = xmalloc((m ? m : 1) * sizeof(*val));
	uint32_t *pos = xmalloc((n + 1) * sizeof(*pos));

	for (size_t k = 0; k < m; k++)
		off[v[k].a + 1]++;
	for (size_t k = 0; k < n; k++)
		off[k + 1] += off[k];
	memcpy(pos, off, (n + 1) * sizeof(*pos));
	for (size_t k = 0; k < m; k++)
		val[pos[v[k].a]++] = v[k].b;
	free(pos);
	*off_out = off;
	*val_out = val;
}

static void
entries_free(struct cairn_roadmap_entry *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(v[k].text);
		free(v[k].label);
	}
	free(v);
}

/*
 * Read the entries of sql (item, id, time, text, label; in item order)
 * into the CSR (*off_out, *v_out) over rm's items.
 */
static int
entries_load(struct cairn_store *st, struct cairn_roadmap *rm, const char *sql,
             const char *what, uint32_t **off_out,
             struct cairn_roadmap_entry **v_out, struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	struct cairn_roadmap_entry *v = NULL;
	uint32_t *off = xcalloc(rm->n + 1, sizeof(*off));
	size_t m = 0, cap = 0;
	int rc;

	*off_out = off;
	*v_out = NULL;
	if ((rc = store_prepare(st, &stmt, sql, err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long a = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 0));
		struct cairn_roadmap_entry *e;

		if (a < 0)
			continue;
		if (m == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		e = &v[m++];
		e->id = sqlite3_column_int64(stmt, 1);
		snprintf(e->time, sizeof(e->time), "%s",
		         store_col_text(stmt, 2));
		e->text = xstrdup(store_col_text(stmt, 3));
		e->label = xstrdup_or_null(
		        (const char *)sqlite3_column_text(stmt, 4));
		off[a + 1]++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		/* Not a CSR yet: the release would not see these. */
		entries_free(v, m);
		memset(off, 0, (rm->n + 1) * sizeof(*off));
		return store_sqlerr(st, err, what);
	}
	for (size_t i = 0; i < rm->n; i++)
		off[i + 1] += off[i];
	*v_out = v;
	return 0;
}

static int
entries_each(const uint32_t *off, const struct cairn_roadmap_entry *v, size_t i,
             cairn_entry_fn fn, void *ctx)
{
	for (uint32_t k = off[i]; k < off[i + 1]; k++) {
		struct cairn_entry e = {v[k].id, v[k].time, v[k].text,
		                        v[k].label};
		int rc = fn(ctx, &e);

		if (rc)
			return rc;
	}
	return 0;
}

int
cairn_roadmap_links(const struct cairn_roadmap *rm, size_t i, cairn_entry_fn fn,
                    void *ctx)
{
	return entries_each(rm->link_off, rm->link, i, fn, ctx);
}

int
cairn_roadmap_notes(const struct cairn_roadmap *rm, size_t i, cairn_entry_fn fn,
                    void *ctx)
{
	return entries_each(rm->note_off, rm->note, i, fn, ctx);
}

/* The entries of the kept rows of (off, v), as csr_keep does. */
static void
entries_keep(size_t n, const uint32_t *off, const struct cairn_roadmap_entry *v,
             const long *map, size_t nn, uint32_t **off_out,
             struct cairn_roadmap_entry **v_out)
{
	uint32_t *o = xcalloc(nn + 1, sizeof(*o));
	struct cairn_roadmap_entry *w =
	        xmalloc((off[n] ? off[n] : 1) * sizeof(*w));
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (map[i] < 0)
			continue;
		for (uint32_t k = off[i]; k < off[i + 1]; k++, m++) {
			w[m] = v[k];
			w[m].text = xstrdup(v[k].text);
			w[m].label = xstrdup_or_null(v[k].label);
		}
		o[map[i] + 1] = (uint32_t)m;
	}
	*off_out = o;
	*v_out = w;
}

void
cairn_roadmap_release(struct cairn_roadmap *rm)
{
	for (size_t i = 0; i < rm->n; i++)
		cairn_item_release(&rm->items[i]);
	if (rm->tag_off)
		for (size_t k = 0; k < rm->tag_off[rm->n]; k++)
			free(rm->tag[k]);
	free(rm->items);
	free(rm->parent);
	free(rm->kid_off);
	free(rm->kid);
	free(rm->pre_off);
	free(rm->pre);
	free(rm->dep_off);
	free(rm->dep);
	free(rm->tag_off);
	free(rm->tag);
	for (size_t k = 0; k < rm->npapers; k++) {
		free(rm->papers[k].key);
		free(rm->papers[k].title);
	}
	free(rm->papers);
	free(rm->req_off);
	free(rm->req);
	free(rm->logged);
	free(rm->metrics);
	free(rm->touched);
	if (rm->link_off)
		entries_free(rm->link, rm->link_off[rm->n]);
	if (rm->note_off)
		entries_free(rm->note, rm->note_off[rm->n]);
	free(rm->link_off);
	free(rm->note_off);
	free(rm->depth);
	free(rm->roots);
	free(rm->goals);
	for (size_t k = 0; k < rm->nsettings; k++) {
		free(rm->settings[k].key);
		free(rm->settings[k].value);
	}
	free(rm->settings);
	memset(rm, 0, sizeof(*rm));
}

/* Whether scope selects anything less than what it is applied to. */
static int
scope_filters(const struct cairn_roadmap_scope *scope)
{
	return scope &&
	       (scope->minvis > CAIRN_VIS_PRIVATE || scope->no_dropped);
}

/*
 * Keep only the items at least minvis visible, ancestors too (and, with
 * no_dropped, not dropped, nor below a dropped one).
 */
static void
keep_visible(struct cairn_roadmap *rm, const struct cairn_roadmap_scope *sc)
{
	signed char *ok = xmalloc(rm->n ? rm->n : 1);
	size_t k = 0;

	item_visible(rm->items, sizeof(*rm->items), rm->n, sc->minvis,
	             sc->no_dropped, ok);
	for (size_t i = 0; i < rm->n; i++) {
		if (ok[i] > 0)
			rm->items[k++] = rm->items[i];
		else
			cairn_item_release(&rm->items[i]);
	}
	rm->n = k;
	free(ok);
}

/* Goal order of root positions (glibc's qsort_r passes the items). */
static int
goal_pos_cmp(const void *a, const void *b, void *items)
{
	const struct cairn_item *v = items;
	struct cairn_goal_key x = cairn_goal_key_of(&v[*(const uint32_t *)a]);
	struct cairn_goal_key y = cairn_goal_key_of(&v[*(const uint32_t *)b]);

	return cairn_goal_cmp(&x, &y);
}

/* depth[], roots[] and goals[] from parent[]. */
static void
tree_index(struct cairn_roadmap *rm)
{
	size_t alloc = rm->n ? rm->n : 1;
	uint32_t *up = xmalloc(alloc * sizeof(*up));

	rm->depth = xmalloc(alloc * sizeof(*rm->depth));
	rm->roots = xmalloc(alloc * sizeof(*rm->roots));
	rm->goals = xmalloc(alloc * sizeof(*rm->goals));
	for (size_t i = 0; i < rm->n; i++)
		rm->depth[i] = -1;
	for (size_t i = 0; i < rm->n; i++) {
		size_t k = 0;
		long p = (long)i;
		int d;

		/* Up to the first known depth (the store keeps the tree
		 * acyclic; the bound is a guard), then down again. */
		while (p >= 0 && rm->depth[p] < 0 && k < rm->n) {
			up[k++] = (uint32_t)p;
			p = rm->parent[p];
		}
		d = p >= 0 && rm->depth[p] >= 0 ? rm->depth[p] + 1 : 0;
		while (k--)
			rm->depth[up[k]] = d++;
		if (rm->parent[i] >= 0)
			continue;
		rm->roots[rm->nroots++] = (uint32_t)i;
		if (rm->items[i].kind == CAIRN_KIND_GOAL)
			rm->goals[rm->ngoals++] = (uint32_t)i;
	}
	if (rm->ngoals)
		qsort_r(rm->goals, rm->ngoals, sizeof(*rm->goals), goal_pos_cmp,
		        rm->items);
	free(up);
}

/*
 * CSR over the kept rows of (off, val): row i becomes row map[i] (rows
 * keep their order), a value v becomes vmap[v], and a value whose vmap
 * is -1 is left out.
 */
static void
csr_keep(size_t n, const uint32_t *off, const uint32_t *val, const long *map,
         size_t nn, const long *vmap, uint32_t **off_out, uint32_t **val_out)
{
	uint32_t *o = xcalloc(nn + 1, sizeof(*o));
	uint32_t *v = xmalloc((off[n] ? off[n] : 1) * sizeof(*v));
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (map[i] < 0)
			continue;
		for (uint32_t k = off[i]; k < off[i + 1]; k++)
			if (vmap[val[k]] >= 0)
				v[m++] = (uint32_t)vmap[val[k]];
		o[map[i] + 1] = (uint32_t)m;
	}
	*off_out = o;
	*val_out = v;
}

/*
 * The items of src with keep[i] set, as their own snapshot in dst: what
 * a load would give from a store holding only them (and, of the papers,
 * only those they require).
 */
static void
subset(const struct cairn_roadmap *src, const unsigned char *keep,
       struct cairn_roadmap *dst)
{
	size_t alloc = src->n ? src->n : 1;
	long *map = xmalloc(alloc * sizeof(*map));
	long *pmap = xmalloc((src->npapers ? src->npapers : 1) * sizeof(*pmap));
	size_t n = 0, t = 0;

	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		map[i] = keep[i] ? (long)n++ : -1;
	for (size_t q = 0; q < src->npapers; q++)
		pmap[q] = -1;
	for (size_t i = 0; i < src->n; i++)
		for (uint32_t k = src->req_off[i];
		     map[i] >= 0 && k < src->req_off[i + 1]; k++)
			pmap[src->req[k]] = 0;
	for (size_t q = 0; q < src->npapers; q++) {
		struct cairn_roadmap_paper *p;

		if (pmap[q] < 0)
			continue;
		pmap[q] = (long)dst->npapers;
		dst->papers = xrealloc(
		        dst->papers, (dst->npapers + 1) * sizeof(*dst->papers));
		p = &dst->papers[dst->npapers++];
		*p = src->papers[q];
		p->key = xstrdup(src->papers[q].key);
		p->title = xstrdup(src->papers[q].title);
	}

	dst->n = n;
	alloc = n ? n : 1;
	dst->items = xmalloc(alloc * sizeof(*dst->items));
	dst->parent = xmalloc(alloc * sizeof(*dst->parent));
	dst->logged = xmalloc(alloc * sizeof(*dst->logged));
	dst->metrics = xmalloc(alloc * sizeof(*dst->metrics));
	dst->touched = xmalloc(alloc * sizeof(*dst->touched));
	dst->tag_off = xcalloc(n + 1, sizeof(*dst->tag_off));
	dst->tag = xmalloc((src->tag_off[src->n] ? src->tag_off[src->n] : 1) *
	                   sizeof(*dst->tag));
	for (size_t i = 0; i < src->n; i++) {
		const struct cairn_item *from = &src->items[i];
		struct cairn_item *to;
		long j = map[i];

		if (j < 0)
			continue;
		to = &dst->items[j];
		*to = *from;
		to->title = xstrdup_or_null(from->title);
		to->body = xstrdup_or_null(from->body);
		to->why = xstrdup_or_null(from->why);
		dst->parent[j] = src->parent[i] >= 0 ? map[src->parent[i]] : -1;
		dst->logged[j] = src->logged[i];
		dst->metrics[j] = src->metrics[i];
		memcpy(dst->touched[j], src->touched[i], CAIRN_TS_LEN);
		for (uint32_t k = src->tag_off[i]; k < src->tag_off[i + 1]; k++)
			dst->tag[t++] = xstrdup(src->tag[k]);
		dst->tag_off[j + 1] = (uint32_t)t;
	}
	csr_keep(src->n, src->kid_off, src->kid, map, n, map, &dst->kid_off,
	         &dst->kid);
	csr_keep(src->n, src->pre_off, src->pre, map, n, map, &dst->pre_off,
	         &dst->pre);
	csr_keep(src->n, src->dep_off, src->dep, map, n, map, &dst->dep_off,
	         &dst->dep);
	csr_keep(src->n, src->req_off, src->req, map, n, pmap, &dst->req_off,
	         &dst->req);
	entries_keep(src->n, src->link_off, src->link, map, n, &dst->link_off,
	             &dst->link);
	entries_keep(src->n, src->note_off, src->note, map, n, &dst->note_off,
	             &dst->note);
	tree_index(dst);
	dst->settings = xmalloc((src->nsettings ? src->nsettings : 1) *
	                        sizeof(*dst->settings));
	for (size_t k = 0; k < src->nsettings; k++) {
		dst->settings[k].key = xstrdup(src->settings[k].key);
		dst->settings[k].value = xstrdup(src->settings[k].value);
	}
	dst->nsettings = src->nsettings;
	dst->focus = src->focus;
	free(map);
	free(pmap);
}

/*
 * Mark position i and everything below it 2 in in[] (1: in as an
 * ancestor only), putting what was not in at all on the queue.
 */
static void
mark_below(const struct cairn_roadmap *rm, uint32_t i, unsigned char *in,
           uint32_t *stack, uint32_t *queue, size_t *qtail)
{
	size_t depth = 0;

	if (in[i] == 2)
		return;
	if (!in[i])
		queue[(*qtail)++] = i;
	in[i] = 2;
	stack[depth++] = i;
	while (depth) {
		uint32_t x = stack[--depth];

		for (uint32_t k = rm->kid_off[x]; k < rm->kid_off[x + 1]; k++) {
			uint32_t c = rm->kid[k];

			if (in[c] == 2)
				continue;
			if (!in[c])
				queue[(*qtail)++] = c;
			in[c] = 2;
			stack[depth++] = c;
		}
	}
}

/* The subgraph of position g (see struct cairn_roadmap_scope) into in[]. */
static void
goal_subgraph(const struct cairn_roadmap *rm, uint32_t g, unsigned char *in)
{
	size_t alloc = rm->n ? rm->n : 1, qhead = 0, qtail = 0;
	uint32_t *stack = xmalloc(alloc * sizeof(*stack));
	uint32_t *queue = xmalloc(alloc * sizeof(*queue));

	mark_below(rm, g, in, stack, queue, &qtail);
	while (qhead < qtail) {
		uint32_t x = queue[qhead++];

		for (long p = rm->parent[x]; p >= 0 && !in[p];
		     p = rm->parent[p]) {
			in[p] = 1;
			queue[qtail++] = (uint32_t)p;
		}
		for (uint32_t k = rm->pre_off[x]; k < rm->pre_off[x + 1]; k++)
			mark_below(rm, rm->pre[k], in, stack, queue, &qtail);
	}
	free(stack);
	free(queue);
}

int
cairn_roadmap_select(const struct cairn_roadmap *src,
                     const struct cairn_roadmap_scope *scope,
                     struct cairn_roadmap *dst, struct cairn_err *err)
{
	struct cairn_roadmap vis;
	const struct cairn_roadmap *from = src;
	unsigned char *keep;
	long g = -1;

	memset(dst, 0, sizeof(*dst));
	memset(&vis, 0, sizeof(vis));
	if (scope_filters(scope)) {
		signed char *ok = xmalloc(src->n ? src->n : 1);

		keep = xmalloc(src->n ? src->n : 1);
		item_visible(src->items, sizeof(*src->items), src->n,
		             scope->minvis, scope->no_dropped, ok);
		for (size_t i = 0; i < src->n; i++)
			keep[i] = ok[i] > 0;
		subset(src, keep, &vis);
		free(keep);
		free(ok);
		from = &vis;
	}
	if (scope && scope->goal &&
	    (g = cairn_roadmap_find(from, scope->goal)) < 0) {
		cairn_roadmap_release(&vis);
		return cairn_err_set(err, CAIRN_ENOTFOUND, "no item #%lld",
		                     (long long)scope->goal);
	}
	if (g < 0 && from == &vis) {
		*dst = vis;
		return 0;
	}
	keep = xcalloc(from->n ? from->n : 1, 1);
	if (g >= 0)
		goal_subgraph(from, (uint32_t)g, keep);
	else
		memset(keep, 1, from->n);
	subset(from, keep, dst);
	free(keep);
	cairn_roadmap_release(&vis);
	return 0;
}

void
cairn_roadmap_subtree(const struct cairn_roadmap *src, size_t i,
                      struct cairn_roadmap *dst)
{
	size_t alloc = src->n ? src->n : 1, qtail = 0;
	unsigned char *in = xcalloc(alloc, 1);
	uint32_t *stack = xmalloc(alloc * sizeof(*stack));
	uint32_t *queue = xmalloc(alloc * sizeof(*queue));

	mark_below(src, (uint32_t)i, in, stack, queue, &qtail);
	subset(src, in, dst);
	free(in);
	free(stack);
	free(queue);
}

void
cairn_roadmap_progress(const struct cairn_roadmap *rm, size_t i, size_t *done,
                       size_t *total)
{
	uint32_t *stack = xmalloc((rm->n ? rm->n : 1) * sizeof(*stack));
	size_t depth = 0;

	*done = *total = 0;
	stack[depth++] = (uint32_t)i;
	while (depth) {
		uint32_t x = stack[--depth];

		for (uint32_t k = rm->kid_off[x]; k < rm->kid_off[x + 1]; k++) {
			const struct cairn_item *c = &rm->items[rm->kid[k]];

			if (c->kind == CAIRN_KIND_MILESTONE &&
			    c->status != CAIRN_STATUS_DROPPED) {
				(*total)++;
				if (c->status == CAIRN_STATUS_DONE)
					(*done)++;
			}
			if (depth < rm->n)
				stack[depth++] = rm->kid[k];
		}
	}
	free(stack);
}

int
cairn_roadmap_load(struct cairn_store *st, struct cairn_roadmap *rm,
                   struct cairn_err *err)
{
	return cairn_roadmap_load_scope(st, NULL, rm, err);
}

int
cairn_roadmap_load_scope(struct cairn_store *st,
                         const struct cairn_roadmap_scope *scope,
                         struct cairn_roadmap *rm, struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	struct pair *pairs = NULL;
	char **tags = NULL;
	size_t cap = 0, m = 0, pcap = 0, tcap = 0;
	int rc;

	memset(rm, 0, sizeof(*rm));
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT " ITEM_COLS " FROM item ORDER BY id",
	                        err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (rm->n == cap) {
			cap = cap ? 2 * cap : 256;
			rm->items =
			        xrealloc(rm->items, cap * sizeof(*rm->items));
		}
		cairn_item_init(&rm->items[rm->n]);
		item_from_row(stmt, &rm->items[rm->n++]);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the items");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	/* Everything below reads only what it finds among these items. */
	if (scope_filters(scope))
		keep_visible(rm, scope);

	/* Parents and children. */
	rm->parent = xmalloc((rm->n ? rm->n : 1) * sizeof(long));
	pairs = xmalloc((rm->n ? rm->n : 1) * sizeof(*pairs));
	for (size_t i = 0; i < rm->n; i++) {
		long p = rm->items[i].parent
		                 ? cairn_roadmap_find(rm, rm->items[i].parent)
		                 : -1;

		rm->parent[i] = p;
		if (p >= 0)
			pairs[m++] = (struct pair){(uint32_t)p, (uint32_t)i};
	}
	csr(rm->n, pairs, m, &rm->kid_off, &rm->kid);

	/* Builds-on edges, both ways. */
	m = 0;
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT item, prereq FROM edge "
	                        "ORDER BY item, prereq",
	                        err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long a = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 0));
		long b = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 1));

		if (a >= 0 && b >= 0)
			pair_push(&pairs, &m, &pcap, (uint32_t)a, (uint32_t)b);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the edges");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	csr(rm->n, pairs, m, &rm->pre_off, &rm->pre);
	for (size_t k = 0; k < m; k++)
		pairs[k] = (struct pair){pairs[k].b, pairs[k].a};
	csr(rm->n, pairs, m, &rm->dep_off, &rm->dep);

	/* Tags, in (item, name) order, so CSR keeps names sorted. */
	m = 0;
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT item, name FROM tag ORDER BY item, "
	                        "name",
	                        err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long a = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 0));

		if (a < 0)
			continue;
		if (m == tcap) {
			tcap = tcap ? 2 * tcap : 256;
			tags = xrealloc(tags, tcap * sizeof(*tags));
		}
		tags[m] = xstrdup(store_col_text(stmt, 1));
		pair_push(&pairs, &m, &pcap, (uint32_t)a, (uint32_t)m);
	}
	if (rc != SQLITE_DONE) {
		for (size_t k = 0; k < m; k++)
			free(tags[k]);
		rc = store_sqlerr(st, err, "read the tags");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	{
		uint32_t *order;

		csr(rm->n, pairs, m, &rm->tag_off, &order);
		rm->tag = xmalloc((m ? m : 1) * sizeof(char *));
		for (size_t k = 0; k < m; k++)
			rm->tag[k] = tags[order[k]];
		free(order);
	}

	/* Required papers, then who requires them, both in id order. */
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT id, key, title, status FROM paper "
	                        "WHERE id IN (SELECT paper FROM item_paper) "
	                        "ORDER BY id",
	                        err)))
		goto out;
	cap = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cairn_roadmap_paper *p;
		int s;

		if (rm->npapers == cap) {
			cap = cap ? 2 * cap : 64;
			rm->papers =
			        xrealloc(rm->papers, cap * sizeof(*rm->papers));
		}
		p = &rm->papers[rm->npapers++];
		p->id = sqlite3_column_int64(stmt, 0);
		p->key = xstrdup(store_col_text(stmt, 1));
		p->title = xstrdup(store_col_text(stmt, 2));
		s = cairn_paper_status_parse(store_col_text(stmt, 3));
		p->status = s < 0 ? CAIRN_PAPER_TO_READ
		                  : (enum cairn_paper_status)s;
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the papers");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	m = 0;
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT item, paper FROM item_paper "
	                        "ORDER BY item, paper",
	                        err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long a = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 0));
		long b = cairn_roadmap_paper_find(
		        rm, sqlite3_column_int64(stmt, 1));

		if (a >= 0 && b >= 0)
			pair_push(&pairs, &m, &pcap, (uint32_t)a, (uint32_t)b);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the required papers");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	csr(rm->n, pairs, m, &rm->req_off, &rm->req);

	/* Time logged and metrics, per item. */
	rm->logged = xcalloc(rm->n ? rm->n : 1, sizeof(*rm->logged));
	rm->metrics = xcalloc(rm->n ? rm->n : 1, sizeof(*rm->metrics));
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT item, sum(minutes), 0 FROM time_entry "
	                        "GROUP BY item UNION ALL "
	                        "SELECT item, 0, count(*) FROM metric "
	                        "GROUP BY item",
	                        err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long a = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 0));

		if (a < 0)
			continue;
		rm->logged[a] += (long)sqlite3_column_int64(stmt, 1);
		rm->metrics[a] += (uint32_t)sqlite3_column_int64(stmt, 2);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the time log and metrics");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;

	/* Last change of each item, from the journal. */
	rm->touched = xcalloc(rm->n ? rm->n : 1, sizeof(*rm->touched));
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT e.item, max(c.time) FROM event e "
	                        "JOIN change c ON c.id = e.change "
	                        "WHERE e.item IS NOT NULL GROUP BY e.item",
	                        err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long a = cairn_roadmap_find(rm, sqlite3_column_int64(stmt, 0));

		if (a >= 0)
			snprintf(rm->touched[a], CAIRN_TS_LEN, "%s",
			         store_col_text(stmt, 1));
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the journal");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;

	/* Links and notes. */
	if ((rc = entries_load(st, rm,
	                       "SELECT item, id, created, url, label FROM link "
	                       "ORDER BY item, id",
	                       "read the links", &rm->link_off, &rm->link,
	                       err)) ||
	    (rc = entries_load(st, rm,
	                       "SELECT item, id, created, text, NULL FROM note "
	                       "ORDER BY item, created, id",
	                       "read the notes", &rm->note_off, &rm->note,
	                       err)))
		goto out;

	/* Settings, in key order, and the focus setting read from them. */
	if ((rc = store_prepare(st, &stmt,
	                        "SELECT key, value FROM setting ORDER BY key",
	                        err)))
		goto out;
	cap = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (rm->nsettings == cap) {
			cap = cap ? 2 * cap : 16;
			rm->settings = xrealloc(rm->settings,
			                        cap * sizeof(*rm->settings));
		}
		rm->settings[rm->nsettings].key =
		        xstrdup(store_col_text(stmt, 0));
		rm->settings[rm->nsettings++].value =
		        xstrdup(store_col_text(stmt, 1));
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the settings");
		goto out;
	}
	if ((rc = cairn_focus_get(st, &rm->focus, err)))
		goto out;
	tree_index(rm);
	if (scope && scope->goal) {
		struct cairn_roadmap all = *rm;
		struct cairn_roadmap_scope goal = {.goal = scope->goal};

		rc = cairn_roadmap_select(&all, &goal, rm, err);
		cairn_roadmap_release(&all);
	}
out:
	sqlite3_finalize(stmt);
	free(pairs);
	free(tags);
	if (rc)
		cairn_roadmap_release(rm);
	return rc;
}

/* ---- building a plan ------------------------------------------------ */

struct loader {
	const struct cairn_roadmap *rm;
	struct cairn_plan *g;
	long *node;            /* position -> plan node, -1 */
	long *pnode;           /* paper position -> plan node, -1 */
	unsigned char *inside; /* position is below root (or root) */
	unsigned char *open;   /* see open_at */
	uint32_t *up;          /* open_at's scratch */
	/* work(P) per position, computed once: work[wk_off..+wk_len) */
	long *wk_off;
	uint32_t *wk_len;
	uint32_t *work;
	size_t nwork, work_cap;
	uint32_t *queue;
	size_t qhead, qtail;
	/* scratch for the subtree walk */
	uint32_t *stack, *next;
	unsigned char *found;
};

/*
 * Open, for planning: the item and everything above it neither done nor
 * dropped.  Work left below a finished or abandoned item is settled with
 * it.  L->open caches the answer per position (0 unknown, 1 open, 2 not).
 */
static int
open_at(struct loader *L, uint32_t i)
{
	const struct cairn_roadmap *rm = L->rm;
	size_t depth = 0;
	long p = (long)i;
	unsigned char v;

	if (L->open[i])
		return L->open[i] == 1;
	/* Up to the first known ancestor (the store keeps the tree
	 * acyclic; the depth bound is a guard), then down again. */
	while (p >= 0 && !L->open[p] && depth <= rm->n) {
		L->up[depth++] = (uint32_t)p;
		p = rm->parent[p];
	}
	v = p >= 0 && L->open[p] ? L->open[p] : 1;
	while (depth--) {
		uint32_t x = L->up[depth];

		if (v == 1 && !cairn_item_open(&rm->items[x]))
			v = 2;
		L->open[x] = v;
	}
	return L->open[i] == 1;
}

/*
 * The open milestones below x (through open items only) with no open
 * milestone below them, appended to L->work; x itself when it is a
 * milestone with none below.  Iterative post-order walk.  Returns how
 * many were appended.
 */
static size_t
collect(struct loader *L, uint32_t x)
{
	const struct cairn_roadmap *rm = L->rm;
	size_t depth = 0, before = L->nwork;
	uint32_t *next = L->next;

	/* stack[d] is the item, its next child's place in next[d]. */
	L->stack[0] = x;
	next[0] = rm->kid_off[x];
	L->found[0] = 0;
	for (;;) {
		uint32_t v = L->stack[depth];

		if (next[depth] < rm->kid_off[v + 1]) {
			uint32_t c = rm->kid[next[depth]++];

			if (!open_at(L, c))
				continue;
			depth++;
			L->stack[depth] = c;
			next[depth] = rm->kid_off[c];
			L->found[depth] = 0;
			continue;
		}
		/* v is finished. */
		if (!L->found[depth] &&
		    rm->items[v].kind == CAIRN_KIND_MILESTONE) {
			if (L->nwork == L->work_cap) {
				L->work_cap =
				        L->work_cap ? 2 * L->work_cap : 256;
				L->work = xrealloc(L->work,
				                   L->work_cap *
				                           sizeof(*L->work));
			}
			L->work[L->nwork++] = v;
			L->found[depth] = 1;
		}
		if (!depth)
			break;
		if (L->found[depth])
			L->found[depth - 1] = 1;
		depth--;
	}
	return L->nwork - before;
}

/* work(P) for an open P: its pieces, or P itself when it has none. */
static void
work_of(struct loader *L, uint32_t p, const uint32_t **out, uint32_t *len)
{
	if (L->wk_off[p] < 0) {
		size_t start = L->nwork, k = collect(L, p);

		if (!k) {
			if (L->nwork == L->work_cap) {
				L->work_cap =
				        L->work_cap ? 2 * L->work_cap : 256;
				L->work = xrealloc(L->work,
				                   L->work_cap *
				                           sizeof(*L->work));
			}
			L->work[L->nwork++] = p;
			k = 1;
		}
		L->wk_off[p] = (long)start;
		L->wk_len[p] = (uint32_t)k;
	}
	*out = L->work + L->wk_off[p];
	*len = L->wk_len[p];
}

/* Is w the item a or below it? */
static int
within(const struct cairn_roadmap *rm, uint32_t w, uint32_t a)
{
	long p = (long)w;
	size_t steps = 0;

	while (p >= 0 && steps++ <= rm->n) {
		if ((uint32_t)p == a)
			return 1;
		p = rm->parent[p];
	}
	return 0;
}

static long
node_for(struct loader *L, uint32_t i, struct cairn_err *err)
{
	const struct cairn_item *it = &L->rm->items[i];
	double def[3] = {CAIRN_DEFAULT_OPT, CAIRN_DEFAULT_LIKELY,
	                 CAIRN_DEFAULT_PESS};
	unsigned flags = 0;
	long k;

	if (L->node[i] >= 0)
		return L->node[i];
	if (it->est[0] < 0)
		flags |= CAIRN_NODE_DEFAULT_EST;
	if (!L->inside[i])
		flags |= CAIRN_NODE_OUTSIDE;
	k = cairn_plan_add_node(L->g, it->id, it->est[0] < 0 ? def : it->est,
	                        it->p_success < 0 ? 1 : it->p_success, flags,
	                        err);
	if (k < 0)
		return k;
	L->node[i] = k;
	L->queue[L->qtail++] = i;
	return k;
}

/* The node of the paper at position q, made on first use. */
static long
paper_node_for(struct loader *L, uint32_t q, const double est[3],
               struct cairn_err *err)
{
	long k;

	if (L->pnode[q] >= 0)
		return L->pnode[q];
	k = cairn_plan_add_node(L->g, CAIRN_PAPER_NODE(L->rm->papers[q].id),
	                        est, 1, CAIRN_NODE_PAPER, err);
	if (k >= 0)
		L->pnode[q] = k;
	return k;
}

/* Node v waits for the papers item a requires that are still pending. */
static int
add_papers(struct loader *L, uint32_t v, uint32_t a, struct cairn_err *err)
{
	const struct cairn_roadmap *rm = L->rm;

	for (uint32_t k = rm->req_off[a]; k < rm->req_off[a + 1]; k++) {
		uint32_t q = rm->req[k];
		double est[3];
		long u;

		if (!cairn_paper_effort(rm->papers[q].status, est))
			continue;
		if ((u = paper_node_for(L, q, est, err)) < 0)
			return (int)u;
		if ((u = cairn_plan_add_edge(L->g, (size_t)L->node[v],
		                             (size_t)u, err)))
			return (int)u;
	}
	return 0;
}

int
cairn_roadmap_plan(const struct cairn_roadmap *rm, int64_t root,
                   struct cairn_plan *g, struct cairn_err *err)
{
	struct loader L;
	size_t n = rm->n, alloc = n ? n : 1;
	long r = -1;
	int rc = 0;

	cairn_plan_init(g);
	if (root) {
		r = cairn_roadmap_find(rm, root);
		if (r < 0)
			return cairn_err_set(err, CAIRN_ENOTFOUND,
			                     "no item #%lld", (long long)root);
	}
	memset(&L, 0, sizeof(L));
	L.rm = rm;
	L.g = g;
	L.node = xmalloc(alloc * sizeof(long));
	L.pnode = xmalloc((rm->npapers ? rm->npapers : 1) * sizeof(long));
	for (size_t q = 0; q < rm->npapers; q++)
		L.pnode[q] = -1;
	L.inside = xcalloc(alloc, 1);
	L.open = xcalloc(alloc, 1);
	L.up = xmalloc((alloc + 1) * sizeof(uint32_t));
	L.wk_off = xmalloc(alloc * sizeof(long));
	L.wk_len = xcalloc(alloc, sizeof(uint32_t));
	L.queue = xmalloc(alloc * sizeof(uint32_t));
	L.stack = xmalloc((alloc + 1) * sizeof(uint32_t));
	L.next = xmalloc((alloc + 1) * sizeof(uint32_t));
	L.found = xmalloc(alloc + 1);
	for (size_t i = 0; i < n; i++) {
		L.node[i] = -1;
		L.wk_off[i] = -1;
	}

	/* The work below root. */
	{
		size_t start = L.nwork;

		if (r >= 0) {
			if (open_at(&L, (uint32_t)r))
				collect(&L, (uint32_t)r);
		} else {
			for (size_t i = 0; i < n; i++)
				if (rm->parent[i] < 0 &&
				    open_at(&L, (uint32_t)i))
					collect(&L, (uint32_t)i);
		}
		for (size_t k = start; k < L.nwork; k++)
			L.inside[L.work[k]] = 1;
		for (size_t k = start, end = L.nwork; k < end; k++) {
			long u = node_for(&L, L.work[k], err);

			if (u < 0) {
				rc = (int)u;
				goto fail;
			}
		}
	}

	/* Prerequisites, own and inherited, breadth first. */
	while (L.qhead < L.qtail) {
		uint32_t v = L.queue[L.qhead++];
		long a = (long)v;
		size_t steps = 0;

		while (a >= 0 && steps++ <= n) {
			if ((rc = add_papers(&L, v, (uint32_t)a, err)))
				goto fail;
			for (uint32_t k = rm->pre_off[a];
			     k < rm->pre_off[a + 1]; k++) {
				uint32_t p = rm->pre[k], len;
				const uint32_t *w;

				if (!open_at(&L, p))
					continue; /* done or dropped */
				/* Building on what one is part of: the whole
				 * waits for the part, the part for the whole.
				 */
				if (within(rm, (uint32_t)a, p)) {
					rc = cairn_err_set(
					        err, CAIRN_ECYCLE,
					        "cycle: #%lld builds on #%lld, "
					        "which it is part of",
					        (long long)rm->items[a].id,
					        (long long)rm->items[p].id);
					goto fail;
				}
				work_of(&L, p, &w, &len);
				for (uint32_t j = 0; j < len; j++) {
					uint32_t x = w[j];
					long u;

					/* An edge into the ancestor's own
					 * subtree is implied by the
					 * breakdown, not inherited. */
					if (within(rm, x, (uint32_t)a))
						continue;
					if ((u = node_for(&L, x, err)) < 0) {
						rc = (int)u;
						goto fail;
					}
					if ((rc = cairn_plan_add_edge(
					             g, (size_t)L.node[v],
					             (size_t)u, err)))
						goto fail;
				}
			}
			a = rm->parent[a];
		}
	}
	if (!(rc = cairn_plan_finish(g, err)))
		goto out;
	/* Builds-on edges alone never go round (the store refuses that):
	 * inherited prerequisites closed this cycle. */
	if (rc == CAIRN_ECYCLE && err) {
		char m[CAIRN_ERR_MAX];

		snprintf(m, sizeof(m), "%s", err->msg);
		cairn_err_set(err, rc,
		              "%s (counting what their parents build on)", m);
	}
fail:
	cairn_plan_release(g);
out:
	free(L.node);
	free(L.pnode);
	free(L.inside);
	free(L.open);
	free(L.up);
	free(L.wk_off);
	free(L.wk_len);
	free(L.work);
	free(L.queue);
	free(L.stack);
	free(L.next);
	free(L.found);
	return rc;
}

void
cairn_roadmap_history(const struct cairn_roadmap *rm, int days_per_week,
                      double **out, size_t *n)
{
	double *v = NULL;
	size_t k = 0;

	for (size_t i = 0; i < rm->n; i++) {
		const struct cairn_item *it = &rm->items[i];
		double actual, ratio;

		if (it->kind != CAIRN_KIND_MILESTONE ||
		    it->status != CAIRN_STATUS_DONE || !(it->est[1] > 0))
			continue;
		if (rm->logged && rm->logged[i] > 0) {
			actual = (double)rm->logged[i] / CAIRN_LOGGED_DAY;
		} else {
			time_t t0, t1;

			if (!it->started[0] || !it->finished[0])
				continue;
			t0 = cairn_ts_to_time(it->started);
			t1 = cairn_ts_to_time(it->finished);
			/* Marked done without ever being started (the
			 * store then sets both at once): no actual. */
			if (t0 == (time_t)-1 || t1 == (time_t)-1 || t1 <= t0)
				continue;
			actual = (double)(t1 - t0) / 86400 * days_per_week / 7;
		}
		ratio = actual / it->est[1];
		if (ratio < 0.1)
			ratio = 0.1;
		if (ratio > 10)
			ratio = 10;
		if (!v)
			v = xmalloc(rm->n * sizeof(*v));
		v[k++] = ratio;
	}
	*out = v;
	*n = k;
}

double
cairn_roadmap_share(const struct cairn_roadmap *rm, const struct cairn_focus *f,
                    int64_t goal)
{
	long g = cairn_roadmap_find(rm, goal);
	long m = f->main ? cairn_roadmap_find(rm, f->main) : -1;
	double share;

	if (m < 0 || g < 0)
		return 1;
	share = within(rm, (uint32_t)m, (uint32_t)g) ||
	                        within(rm, (uint32_t)g, (uint32_t)m)
	                ? 1 - f->explore
	                : f->explore;
	return share > 0 && share <= 1 ? share : 1;
}
