/*
 * roadmap.c: the roadmap in memory for exporters: every item that is
 * visible enough, with its children, and the root goals ranked the way
 * every ranked view shows them (likelihood, highest first; unset last;
 * then id).
 *
 * Invariants: an item is loaded only when it and all its ancestors pass
 * the visibility (and, when asked, the not-dropped) filter, so a private
 * item cannot leak through a public child; rm.v is in id order and
 * every kids array too.
 *
 * Workload: one pass over the item table per export; memory is one
 * struct cairn_item per item.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/order.h"
#include "fmt/fmt-int.h"
#include "banned.h"

/* Ranking of root goals (glibc's qsort_r passes the nodes). */
static int
goal_cmp(const void *a, const void *b, void *nodes)
{
	const struct rm_node *v = nodes;
	struct cairn_goal_key x = cairn_goal_key_of(&v[*(const size_t *)a].it);
	struct cairn_goal_key y = cairn_goal_key_of(&v[*(const size_t *)b].it);

	return cairn_goal_cmp(&x, &y);
}

static long
find(const struct rm_node *v, size_t n, int64_t id)
{
	return cairn_id_find(v, n, sizeof(*v),
	                     offsetof(struct rm_node, it) +
	                             offsetof(struct cairn_item, id),
	                     id);
}

long
rm_find(const struct rm *rm, int64_t id)
{
	return find(rm->v, rm->n, id);
}

static void
push(size_t **arr, size_t *n, size_t *cap, size_t v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		*arr = xrealloc(*arr, *cap * sizeof(**arr));
	}
	(*arr)[(*n)++] = v;
}

int
rm_load(struct cairn_store *st, int minvis, int skip_dropped, struct rm *rm,
        struct cairn_err *err)
{
	sqlite3_stmt *s;
	struct rm_node *all = NULL;
	size_t n = 0, cap = 0;
	signed char *ok = NULL; /* 1 keep, -1 leave out, 0 not known yet */
	long *newidx = NULL;
	int rc;

	memset(rm, 0, sizeof(*rm));
	if ((rc = store_prepare(st, &s,
	                        "SELECT " ITEM_COLS " FROM item ORDER BY id",
	                        err)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			all = xrealloc(all, cap * sizeof(*all));
		}
		memset(&all[n], 0, sizeof(all[n]));
		cairn_item_init(&all[n].it);
		item_from_row(s, &all[n].it);
		n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < n; i++)
			cairn_item_release(&all[i].it);
		free(all);
		return store_sqlerr(st, err, "read the items");
	}
	ok = xmalloc(n ? n : 1);
	if (n)
		item_visible(&all[0].it, sizeof(*all), n, minvis, skip_dropped,
		             ok);
	/* Keep the visible ones, in id order. */
	newidx = xmalloc((n ? n : 1) * sizeof(*newidx));
	rm->v = xcalloc(n ? n : 1, sizeof(*rm->v));
	for (size_t i = 0; i < n; i++) {
		if (ok[i] > 0) {
			newidx[i] = (long)rm->n;
			rm->v[rm->n++] = all[i];
		} else {
			newidx[i] = -1;
			cairn_item_release(&all[i].it);
		}
	}
	{
		size_t kc = 0, rc2 = 0;

		for (size_t i = 0; i < rm->n; i++) {
			struct rm_node *nd = &rm->v[i];
			long p = nd->it.parent
			                 ? find(rm->v, rm->n, nd->it.parent)
			                 : -1;

			/* kids start empty (zeroed when loaded): a parent
			 * may come after its child in id order. */
			nd->parent = p;
			if (p >= 0)
				push(&rm->v[p].kids, &rm->v[p].nkids,
				     &rm->v[p].kcap, i);
			else
				push(&rm->roots, &rm->nroots, &rc2, i);
			if (p < 0 && nd->it.kind == CAIRN_KIND_GOAL)
				push(&rm->goals, &rm->ngoals, &kc, i);
		}
	}
	/* Depths, top-down (parents may have larger ids than children). */
	for (size_t i = 0; i < rm->n; i++) {
		int d = 0;

		for (long p = rm->v[i].parent; p >= 0 && d <= (int)rm->n;
		     p = rm->v[p].parent)
			d++;
		rm->v[i].depth = d;
	}
	if (rm->ngoals)
		qsort_r(rm->goals, rm->ngoals, sizeof(*rm->goals), goal_cmp,
		        rm->v);
	free(all);
	free(ok);
	free(newidx);
	return 0;
}

void
rm_release(struct rm *rm)
{
	for (size_t i = 0; i < rm->n; i++) {
		cairn_item_release(&rm->v[i].it);
		free(rm->v[i].kids);
	}
	free(rm->v);
	free(rm->goals);
	free(rm->roots);
	memset(rm, 0, sizeof(*rm));
}

void
rm_progress(const struct rm *rm, size_t i, size_t *done, size_t *total)
{
	size_t *stack = xmalloc((rm->n ? rm->n : 1) * sizeof(*stack));
	size_t depth = 0;

	*done = *total = 0;
	stack[depth++] = i;
	while (depth) {
		const struct rm_node *nd = &rm->v[stack[--depth]];

		for (size_t k = 0; k < nd->nkids; k++) {
			const struct cairn_item *c = &rm->v[nd->kids[k]].it;

			if (c->kind == CAIRN_KIND_MILESTONE &&
			    c->status != CAIRN_STATUS_DROPPED) {
				(*total)++;
				if (c->status == CAIRN_STATUS_DONE)
					(*done)++;
			}
			if (depth < rm->n)
				stack[depth++] = nd->kids[k];
		}
	}
	free(stack);
}

void
rm_subtree(const struct rm *src, size_t root, struct rm *dst)
{
	long *map = xmalloc((src->n ? src->n : 1) * sizeof(*map));
	size_t *stack = xmalloc((src->n ? src->n : 1) * sizeof(*stack));
	size_t depth = 0, n = 0, gc = 0, rc = 0;

	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++)
		map[i] = -1;
	stack[depth++] = root;
	while (depth) {
		size_t i = stack[--depth];

		map[i] = 0;
		for (size_t k = 0; k < src->v[i].nkids; k++)
			stack[depth++] = src->v[i].kids[k];
	}
	/* Number the subtree in id order, as src is. */
	for (size_t i = 0; i < src->n; i++)
		if (map[i] >= 0)
			map[i] = (long)n++;
	dst->v = xcalloc(n ? n : 1, sizeof(*dst->v));
	dst->n = n;
	for (size_t i = 0; i < src->n; i++) {
		struct rm_node *d;
		const struct rm_node *s = &src->v[i];

		if (map[i] < 0)
			continue;
		d = &dst->v[map[i]];
		d->it = s->it;
		d->it.title = xstrdup_or_null(s->it.title);
		d->it.body = xstrdup_or_null(s->it.body);
		d->it.why = xstrdup_or_null(s->it.why);
		d->parent = i == root ? -1 : map[s->parent];
		d->depth = s->depth - src->v[root].depth;
		d->nkids = d->kcap = s->nkids;
		d->kids = xmalloc((s->nkids ? s->nkids : 1) * sizeof(*d->kids));
		for (size_t k = 0; k < s->nkids; k++)
			d->kids[k] = (size_t)map[s->kids[k]];
	}
	push(&dst->roots, &dst->nroots, &rc, (size_t)map[root]);
	if (src->v[root].it.kind == CAIRN_KIND_GOAL)
		push(&dst->goals, &dst->ngoals, &gc, (size_t)map[root]);
	free(map);
	free(stack);
}
