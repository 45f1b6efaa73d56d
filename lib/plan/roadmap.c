/*
 * roadmap.c: the roadmap snapshot in memory (roadmap.h): lookups by id
 * and key, the tree view the exporters walk (depth, roots, ranked goals,
 * progress, subtrees), links and notes, and scopes taken in memory
 * (cairn_roadmap_select): what the store's loader (roadmap-load.c), and
 * any other loader, finish a snapshot with.  Nothing here reads the
 * store.
 *
 * Invariants: items and papers are in id order, so an id is found by
 * binary search (cairn_id_find); index arrays hold positions into
 * items[]; a subset keeps the order of every list it copies.
 *
 * Workload: roadmaps of tens to tens of thousands of items.  Every
 * function here is linear in items + edges (goal ranking: n log n).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/order.h"
#include "core/item-int.h"
#include "plan/roadmap-int.h"
#include "plan/step.h"
#include "banned.h"

long
cairn_roadmap_find(const struct cairn_roadmap *rm, int64_t id)
{
	if (rm->at)
		return id >= rm->at_lo && (uint64_t)(id - rm->at_lo) < rm->at_n
		               ? rm->at[id - rm->at_lo]
		               : -1;
	return cairn_id_find(rm->items, rm->n, sizeof(*rm->items),
	                     offsetof(struct cairn_item, id), id);
}

void
roadmap_index_ids(struct cairn_roadmap *rm)
{
	int64_t lo, span;

	free(rm->at);
	rm->at = NULL;
	if (!rm->n)
		return;
	lo = rm->items[0].id;
	span = rm->items[rm->n - 1].id - lo + 1;
	/* Ids are mostly dense; a sparse few keep the binary search. */
	if (span > 4 * (int64_t)rm->n + 1024)
		return;
	rm->at = xmalloc((size_t)span * sizeof(*rm->at));
	for (int64_t k = 0; k < span; k++)
		rm->at[k] = -1;
	for (size_t i = 0; i < rm->n; i++)
		rm->at[rm->items[i].id - lo] = (long)i;
	rm->at_lo = lo;
	rm->at_n = (size_t)span;
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

const char *
cairn_roadmap_label(const struct cairn_roadmap *rm, int64_t id, struct buf *out)
{
	long i;

	buf_reset(out);
	if (id > 0 && (i = cairn_roadmap_find(rm, id)) >= 0) {
		buf_adds(out, rm->items[i].title);
	} else if (id < 0 && (i = cairn_roadmap_paper_find(rm, -id)) >= 0) {
		const struct cairn_roadmap_paper *p = &rm->papers[i];

		plan_paper_label(out, p->status, p->key, p->title);
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

void
roadmap_entries_free(struct cairn_roadmap_entry *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		free(v[k].text);
		free(v[k].label);
	}
	free(v);
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
		roadmap_entries_free(rm->link, rm->link_off[rm->n]);
	if (rm->note_off)
		roadmap_entries_free(rm->note, rm->note_off[rm->n]);
	free(rm->link_off);
	free(rm->note_off);
	free(rm->depth);
	free(rm->roots);
	free(rm->goals);
	free(rm->at);
	for (size_t k = 0; k < rm->nsettings; k++) {
		free(rm->settings[k].key);
		free(rm->settings[k].value);
	}
	free(rm->settings);
	memset(rm, 0, sizeof(*rm));
}

/* Whether scope selects anything less than what it is applied to. */
int
roadmap_scope_filters(const struct cairn_roadmap_scope *scope)
{
	return scope && (scope->minvis > CAIRN_VIS_PRIVATE ||
	                 scope->no_dropped || scope->open_only);
}

int
roadmap_scope_skip(const struct cairn_roadmap_scope *scope)
{
	return !scope ? 0 : scope->open_only ? 2 : !!scope->no_dropped;
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
void
roadmap_index_tree(struct cairn_roadmap *rm)
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
	for (size_t i = 0; i < src->n; i++)
		if (map[i] >= 0)
			dst->items[map[i]].id = src->items[i].id;
	roadmap_index_ids(dst);
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
	roadmap_index_tree(dst);
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

/*
 * The subgraph of position g (see struct cairn_roadmap_scope) into in[]:
 * the closure subgraph_load (roadmap-load.c) reads from the store; keep
 * the two in step.
 */
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
	if (roadmap_scope_filters(scope)) {
		signed char *ok = xmalloc(src->n ? src->n : 1);

		keep = xmalloc(src->n ? src->n : 1);
		item_visible(src->items, sizeof(*src->items), src->n,
		             scope->minvis, roadmap_scope_skip(scope), ok);
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
