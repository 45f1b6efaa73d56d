/*
 * md-match.c: matching the list items of a re-imported file to the items
 * its source made, before anything is written (the rule: md-int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fmt/md-int.h"
#include "research/research-int.h"
#include "banned.h"

/*
 * ---- matching on re-import (the rule: see md-int.h) ----
 *
 * Before anything is written, a first pass over the lists takes each
 * list item's title as import_item will write it (item_title serves
 * both); the candidates are looked up, matched and every list item given
 * the uuid it writes; import_item then takes the list items in the same
 * order.  Lookups go by uuid and by parent, both indexed: the work grows
 * with the file, this source's items and the store's top-level goals
 * (one lookup each), not with the rest of the store.
 */

void
md_match_release(struct match *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].title);
		free(x->v[i].path);
		free(x->v[i].key);
	}
	for (size_t i = 0; i < x->nc; i++) {
		free(x->c[i].key);
		free(x->c[i].title);
	}
	free(x->v);
	free(x->c);
	strmap_release(&x->byuuid);
	strmap_release(&x->taken);
}

/* The uuid of this source's item at key. */
void
md_key_uuid(const struct mdi *m, const char *key, char out[37])
{
	struct buf k = BUF_INIT;

	buf_addf(&k, "md:%s#%s", m->im->source, key);
	fmt_uuid_for(k.buf, out);
	buf_release(&k);
}

/* The key of place pos below the item with key parent ("": a goal). */
static void
place_key(struct buf *out, const char *parent, size_t pos)
{
	buf_reset(out);
	if (*parent)
		buf_addf(out, "%s.%zu", parent, pos);
	else
		buf_addf(out, "%zu", pos);
}

/* Title key number k of a title at level (0 goals, 1 below them). */
static void
title_key(struct buf *out, int level, size_t k, const char *title)
{
	buf_reset(out);
	buf_addf(out, "%c/%zu/%s/", level ? 'S' : 'G', k, title);
}

/* Add the item in row s (id, any, kind, title) as a candidate. */
static size_t
cand_push(struct match *x, sqlite3_stmt *s, int64_t parent, const char *uuid,
          const char *key)
{
	const char *kind = store_col_text(s, 2);
	size_t len = strlen(uuid);
	struct mcand *c;

	if (x->nc == x->ccap) {
		x->ccap = x->ccap ? 2 * x->ccap : 64;
		x->c = xrealloc(x->c, x->ccap * sizeof(*x->c));
	}
	c = &x->c[x->nc];
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->parent = parent;
	memcpy(c->uuid, uuid, len < 36 ? len : 36);
	c->key = key ? xstrdup(key) : NULL;
	c->title = xstrdup(store_col_text(s, 3));
	c->level = -1;
	if (!strcmp(kind, "goal"))
		c->level = 0;
	else if (!strcmp(kind, "milestone") || !strcmp(kind, "question"))
		c->level = 1;
	strmap_put(&x->byuuid, c->uuid, (int64_t)x->nc);
	return x->nc++;
}

/*
 * *out: the candidate whose uuid is uuid, known already or read from the
 * store, or NONE when there is no such item.  key (may be NULL) is its
 * key.
 */
static int
cand_find(struct mdi *m, const char *uuid, const char *key, size_t *out)
{
	struct match *x = m->match;
	int64_t *known = strmap_get(&x->byuuid, uuid);
	sqlite3_stmt *s;
	int rc;

	*out = NONE;
	if (known) {
		*out = (size_t)*known;
		if (key && !x->c[*out].key)
			x->c[*out].key = xstrdup(key);
		return 0;
	}
	if ((rc = imp_prepare(m->im,
	                      "SELECT id, parent, kind, title FROM item "
	                      "WHERE uuid = ?",
	                      &s)))
		return rc;
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = cand_push(x, s, sqlite3_column_int64(s, 1), uuid, key);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(m->im->st, m->im->err, "find an item");
	return 0;
}

static int
probe(struct mdi *m, const char *key, size_t *out)
{
	char uuid[37];

	md_key_uuid(m, key, uuid);
	return cand_find(m, uuid, key, out);
}

/* Add the items right below candidate ci, whoever made them. */
static int
cand_below(struct mdi *m, size_t ci)
{
	struct match *x = m->match;
	int64_t id = x->c[ci].id;
	sqlite3_stmt *s;
	int rc;

	if ((rc = imp_prepare(m->im,
	                      "SELECT id, uuid, kind, title FROM item "
	                      "WHERE parent = ? ORDER BY id",
	                      &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *u = store_col_text(s, 1);

		if (!strmap_get(&x->byuuid, u))
			cand_push(x, s, id, u, NULL);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(m->im->st, m->im->err, "read the items");
	return 0;
}

static int plan_item(struct mdi *m, cmark_node *item, int depth, size_t parent,
                     size_t pos);

static int
plan_list(struct mdi *m, cmark_node *list, int depth, size_t parent,
          size_t *pos)
{
	int rc = 0;

	for (cmark_node *c = cmark_node_first_child(list); c && !rc;
	     c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_ITEM)
			rc = plan_item(m, c, depth, parent, ++*pos);
	return rc;
}

/* The first pass: list item `item` and those below it, in file order. */
static int
plan_item(struct mdi *m, cmark_node *item, int depth, size_t parent, size_t pos)
{
	struct match *x = m->match;
	struct buf b = BUF_INIT;
	struct mnode *n;
	cmark_node *split;
	enum cairn_kind kind;
	size_t me = x->n, kids = 0;
	int after, rc = 0;

	if (depth >= FMT_DEPTH_MAX)
		return md_too_deep(m, item);
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->v = xrealloc(x->v, x->cap * sizeof(*x->v));
	}
	n = &x->v[x->n++];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->pos = pos;
	n->depth = depth;
	n->cand = NONE;
	place_key(&b, parent == NONE ? "" : x->v[parent].path, pos);
	n->path = buf_detach(&b, NULL);
	if (md_item_title(m, item, depth, &b, NULL, NULL, &split, &after,
	                  &kind)) {
		buf_release(&b);
		return 0;
	}
	n->title = buf_detach(&b, NULL);
	for (cmark_node *c = cmark_node_first_child(item); c && !rc;
	     c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			rc = plan_list(m, c, depth + 1, me, &kids);
	return rc;
}

/* Find the candidates: the items this source made. */
static int
discover(struct mdi *m)
{
	struct match *x = m->match;
	struct strmap seen = {0};
	struct buf key = BUF_INIT;
	sqlite3_stmt *s;
	size_t at, goals = x->ngoals;
	int rc;

	if ((rc = imp_prepare(m->im,
	                      "SELECT count(*) FROM item WHERE parent IS "
	                      "NULL AND kind = 'goal'",
	                      &s)))
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    (size_t)sqlite3_column_int64(s, 0) > goals)
		goals = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_sqlerr(m->im->st, m->im->err, "count the goals");
	rc = 0;
	for (size_t i = 1; i <= goals && !rc; i++) {
		place_key(&key, "", i);
		rc = probe(m, key.buf, &at);
	}
	for (size_t i = 0; i < x->n && !rc; i++) {
		const struct mnode *n = &x->v[i];

		if (!n->title)
			continue;
		if (n->depth && (rc = probe(m, n->path, &at)))
			break;
		/* The title keys of each level and title, once. */
		title_key(&key, n->depth > 0, 1, n->title);
		if (strmap_get(&seen, key.buf))
			continue;
		strmap_put(&seen, key.buf, 1);
		for (size_t k = 2; !(rc = probe(m, key.buf, &at)) && at != NONE;
		     k++)
			title_key(&key, n->depth > 0, k, n->title);
	}
	/*
	 * Every top-level goal, whichever file or command made it: a file
	 * matches by content whatever it is called (an export read back, a
	 * copy, stdin).  Its items have no key here: this source's come
	 * first where both fit.
	 */
	if (!rc && !(rc = imp_prepare(m->im,
	                              "SELECT id, uuid, kind, title FROM item "
	                              "WHERE parent IS NULL AND kind = 'goal' "
	                              "ORDER BY id",
	                              &s))) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			if (!strmap_get(&x->byuuid, store_col_text(s, 1)))
				cand_push(x, s, 0, store_col_text(s, 1), NULL);
		sqlite3_reset(s);
		rc = rc == SQLITE_DONE ? 0
		                       : store_sqlerr(m->im->st, m->im->err,
		                                      "read the goals");
	}
	/* x->nc grows as it goes: the whole tree below. */
	for (size_t i = 0; i < x->nc && !rc; i++)
		rc = cand_below(m, i);
	strmap_release(&seen);
	buf_release(&key);
	return rc;
}

/* The place a key ends in ("2.3": 3); 0 for a title key or none. */
static size_t
key_place(const char *key)
{
	const char *p;
	size_t n = 0;

	if (!key || !*key || key[strlen(key) - 1] == '/')
		return 0;
	p = strrchr(key, '.');
	for (p = p ? p + 1 : key; isdigit((unsigned char)*p) && n < 1000000000;
	     p++)
		n = n * 10 + (size_t)(*p - '0');
	return *p ? 0 : n;
}

/* Candidates (by level) or list items (by depth), then title, then age. */
struct tord {
	int level;
	const char *title;
	int64_t age; /* candidate id or list item index */
	size_t i;
};

static int
tord_cmp(const void *a, const void *b)
{
	const struct tord *x = a, *y = b;
	int c;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if ((c = strcmp(x->title, y->title)))
		return c;
	return x->age < y->age ? -1 : x->age > y->age;
}

/* The item list item n goes below: 0 for a goal, -1 when not known. */
static int64_t
parent_item(const struct match *x, const struct mnode *n)
{
	if (n->parent == NONE)
		return 0;
	return x->v[n->parent].cand != NONE ? x->c[x->v[n->parent].cand].id
	                                    : -1;
}

static void
claim(struct match *x, size_t node, size_t cand)
{
	x->v[node].cand = cand;
	x->c[cand].claimed = 1;
}

/*
 * Nearest first.  A round pairs some list items with some candidates
 * the way sorting every pair by (distance between their places, list
 * item, candidate id) and taking each pair whose two sides are both
 * still free would, without making the pairs: each list item's best
 * pair waits in a heap, and one found taken is worked out again.
 * Candidates sit by place; each place hands out its candidates oldest
 * first, and places with none left are skipped (union-find).
 */

/* The distance from place a to place b (SIZE_MAX: none, furthest). */
static size_t
place_dist(size_t a, size_t b)
{
	if (b == SIZE_MAX)
		return SIZE_MAX;
	return a > b ? a - b : b - a;
}

struct rslot {
	size_t place;
	int64_t id;
	size_t cand;
};

static int
rslot_cmp(const void *a, const void *b)
{
	const struct rslot *x = a, *y = b;

	if (x->place != y->place)
		return x->place < y->place ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The slots [cur, end) of one place still to hand out. */
struct rplace {
	size_t place, cur, end;
	size_t left, right; /* where to look next when none is left */
};

/* A list item's best pair: the slot at place at. */
struct rent {
	size_t dist, node, at, slot;
	int64_t id;
};

struct round {
	struct match *x;
	struct rslot *s;
	struct rplace *p;
	size_t np;
	struct rent *heap;
	size_t nheap;
};

/* The first place from g rightwards with a slot left; np: none. */
static size_t
place_right(struct round *r, size_t g)
{
	size_t at = g;

	while (at < r->np && r->p[at].cur == r->p[at].end)
		at = r->p[at].right;
	while (g < r->np && g != at) {
		size_t next = r->p[g].right;

		r->p[g].right = at;
		g = next;
	}
	return at;
}

/* The first place from g leftwards with a slot left; NONE: none. */
static size_t
place_left(struct round *r, size_t g)
{
	size_t at = g;

	while (at != NONE && r->p[at].cur == r->p[at].end)
		at = r->p[at].left;
	while (g != NONE && g != at) {
		size_t next = r->p[g].left;

		r->p[g].left = at;
		g = next;
	}
	return at;
}

/* List item node's best pair into *e; 0 when no slot is left. */
static int
round_best(struct round *r, size_t node, struct rent *e)
{
	size_t pos = r->x->v[node].pos, lo = 0, hi = r->np, a, b, da, db;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->p[mid].place < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	b = place_right(r, lo);
	a = lo ? place_left(r, lo - 1) : NONE;
	if (a == NONE && b == r->np)
		return 0;
	da = a == NONE ? SIZE_MAX : place_dist(pos, r->p[a].place);
	db = b == r->np ? SIZE_MAX : place_dist(pos, r->p[b].place);
	if (b == r->np ||
	    (a != NONE &&
	     (da < db ||
	      (da == db && r->s[r->p[a].cur].id < r->s[r->p[b].cur].id))))
		b = a;
	e->dist = b == a ? da : db;
	e->node = node;
	e->at = b;
	e->slot = r->p[b].cur;
	e->id = r->s[e->slot].id;
	return 1;
}

static int
rent_less(const struct rent *x, const struct rent *y)
{
	if (x->dist != y->dist)
		return x->dist < y->dist;
	if (x->node != y->node)
		return x->node < y->node;
	return x->id < y->id;
}

static void
heap_push(struct round *r, const struct rent *e)
{
	size_t i = r->nheap++;

	while (i && rent_less(e, &r->heap[(i - 1) / 2])) {
		r->heap[i] = r->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	r->heap[i] = *e;
}

static struct rent
heap_pop(struct round *r)
{
	struct rent top = r->heap[0], last = r->heap[--r->nheap];
	size_t i = 0;

	for (;;) {
		size_t k = 2 * i + 1;

		if (k >= r->nheap)
			break;
		if (k + 1 < r->nheap && rent_less(&r->heap[k + 1], &r->heap[k]))
			k++;
		if (!rent_less(&r->heap[k], &last))
			break;
		r->heap[i] = r->heap[k];
		i = k;
	}
	if (r->nheap)
		r->heap[i] = last;
	return top;
}

/* Pair list items nodes[0..nn) with the free ones of cands[0..nc). */
static void
round_run(struct match *x, const size_t *nodes, size_t nn, const size_t *cands,
          size_t nc)
{
	struct round r = {x, NULL, NULL, 0, NULL, 0};
	size_t ns = 0;
	struct rent e;

	r.s = xmalloc((nc ? nc : 1) * sizeof(*r.s));
	r.p = xmalloc((nc ? nc : 1) * sizeof(*r.p));
	r.heap = xmalloc((nn ? nn : 1) * sizeof(*r.heap));
	for (size_t j = 0; j < nc; j++)
		if (!x->c[cands[j]].claimed)
			r.s[ns++] = (struct rslot){x->c[cands[j]].place,
			                           x->c[cands[j]].id, cands[j]};
	qsort(r.s, ns, sizeof(*r.s), rslot_cmp);
	for (size_t j = 0; j < ns; j++) {
		if (j && r.s[j].place == r.s[j - 1].place) {
			r.p[r.np - 1].end++;
			continue;
		}
		r.p[r.np] = (struct rplace){r.s[j].place, j, j + 1, r.np - 1,
		                            r.np + 1};
		r.np++;
	}
	for (size_t i = 0; i < nn; i++)
		if (x->v[nodes[i]].cand == NONE && round_best(&r, nodes[i], &e))
			heap_push(&r, &e);
	while (r.nheap) {
		e = heap_pop(&r);
		if (r.p[e.at].cur != e.slot) {
			if (round_best(&r, e.node, &e))
				heap_push(&r, &e);
			continue;
		}
		claim(x, e.node, r.s[e.slot].cand);
		r.p[e.at].cur++;
	}
	free(r.s);
	free(r.p);
	free(r.heap);
}

/* List items or candidates by the item they are (to go) below. */
struct rkey {
	int64_t parent;
	size_t i;
};

static int
rkey_cmp(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Pair list items nodes[0..nn) (one depth and title) with candidates
 * cands[0..nc) (their level and title) below the same parent; with any,
 * then with any candidate left.
 */
static void
pair_up(struct match *x, size_t *nodes, size_t nn, size_t *cands, size_t nc,
        int any)
{
	struct rkey *kn = xmalloc(nn * sizeof(*kn)),
	            *kc = xmalloc(nc * sizeof(*kc));
	size_t *a = xmalloc(nn * sizeof(*a)), *b = xmalloc(nc * sizeof(*b));
	size_t i = 0, j = 0, n, m;

	for (size_t k = 0; k < nn; k++)
		kn[k] = (struct rkey){parent_item(x, &x->v[nodes[k]]),
		                      nodes[k]};
	for (size_t k = 0; k < nc; k++)
		kc[k] = (struct rkey){x->c[cands[k]].parent, cands[k]};
	qsort(kn, nn, sizeof(*kn), rkey_cmp);
	qsort(kc, nc, sizeof(*kc), rkey_cmp);
	while (i < nn && j < nc) {
		if (kn[i].parent != kc[j].parent) {
			if (kn[i].parent < kc[j].parent)
				i++;
			else
				j++;
			continue;
		}
		for (n = 0; i < nn && kn[i].parent == kc[j].parent; i++)
			a[n++] = kn[i].i;
		for (m = 0; j < nc && kc[j].parent == kn[i - 1].parent; j++)
			b[m++] = kc[j].i;
		round_run(x, a, n, b, m);
	}
	if (any)
		round_run(x, nodes, nn, cands, nc);
	free(kn);
	free(kc);
	free(a);
	free(b);
}

/* List items v[a..b) and the candidates c[lo..end) of their title. */
struct mrun {
	size_t a, b, lo, end;
};

/*
 * Match list items to candidates by title: depth by depth from the top,
 * those below the same parent's item; then again, the others.
 */
static void
match_titles(struct match *x)
{
	struct tord *c = xmalloc((x->nc ? x->nc : 1) * sizeof(*c));
	struct tord *v = xmalloc((x->n ? x->n : 1) * sizeof(*v));
	size_t *ci = xmalloc((x->nc ? x->nc : 1) * sizeof(*ci));
	size_t *vi = xmalloc((x->n ? x->n : 1) * sizeof(*vi));
	struct mrun *run = xmalloc((x->n ? x->n : 1) * sizeof(*run));
	size_t nc = 0, nv = 0, nrun = 0;

	for (size_t i = 0; i < x->nc; i++) {
		size_t at = key_place(x->c[i].key);

		x->c[i].place = at ? at : SIZE_MAX;
		if (x->c[i].level >= 0)
			c[nc++] = (struct tord){x->c[i].level, x->c[i].title,
			                        x->c[i].id, i};
	}
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].title)
			v[nv++] = (struct tord){x->v[i].depth, x->v[i].title,
			                        (int64_t)i, i};
	qsort(c, nc, sizeof(*c), tord_cmp);
	qsort(v, nv, sizeof(*v), tord_cmp);
	for (size_t a = 0, b; a < nv; a = b) {
		struct tord want = {v[a].level > 0, v[a].title, INT64_MIN, 0};
		size_t lo = 0, hi = nc, end;

		for (b = a + 1; b < nv && v[b].level == v[a].level &&
		                !strcmp(v[b].title, v[a].title);
		     b++)
			;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (tord_cmp(&c[mid], &want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (end = lo; end < nc && c[end].level == want.level &&
		               !strcmp(c[end].title, want.title);
		     end++)
			;
		if (end > lo)
			run[nrun++] = (struct mrun){a, b, lo, end};
	}
	for (int any = 0; any < 2; any++) {
		for (size_t r = 0; r < nrun; r++) {
			const struct mrun *u = &run[r];

			for (size_t k = u->a; k < u->b; k++)
				vi[k - u->a] = v[k].i;
			for (size_t k = u->lo; k < u->end; k++)
				ci[k - u->lo] = c[k].i;
			pair_up(x, vi, u->b - u->a, ci, u->end - u->lo, any);
		}
	}
	free(c);
	free(v);
	free(ci);
	free(vi);
	free(run);
}

/* Give every list item the uuid it writes, and its key where known. */
static int
assign(struct mdi *m)
{
	struct match *x = m->match;
	struct buf key = BUF_INIT;
	size_t at;
	int rc = 0;

	for (size_t i = 0; i < x->n && !rc; i++) {
		struct mnode *n = &x->v[i];
		const char *pk = n->parent == NONE ? "" : x->v[n->parent].key;

		if (!n->title)
			continue;
		if (n->cand != NONE) {
			memcpy(n->uuid, x->c[n->cand].uuid, sizeof(n->uuid));
			n->key = xstrdup_or_null(x->c[n->cand].key);
			continue;
		}
		if (pk) {
			int vacant, in_place;

			place_key(&key, pk, n->pos);
			md_key_uuid(m, key.buf, n->uuid);
			if ((rc = cand_find(m, n->uuid, key.buf, &at)))
				break;
			vacant = at == NONE && !strmap_get(&x->taken, key.buf);
			/* An item retitled in place. */
			in_place = at != NONE && !x->c[at].claimed &&
			           x->c[at].parent == parent_item(x, n);
			if (vacant || in_place) {
				if (in_place)
					claim(x, i, at);
				strmap_put(&x->taken, key.buf, 1);
				n->key = buf_detach(&key, NULL);
				continue;
			}
		}
		for (size_t k = 1;; k++) {
			title_key(&key, n->depth > 0, k, n->title);
			md_key_uuid(m, key.buf, n->uuid);
			if ((rc = cand_find(m, n->uuid, key.buf, &at)) ||
			    (at == NONE && !strmap_get(&x->taken, key.buf)))
				break;
		}
		strmap_put(&x->taken, key.buf, 1);
		n->key = buf_detach(&key, NULL);
	}
	buf_release(&key);
	return rc;
}

/*
 * The matching looks at where items are now (below the same parent
 * first), and the import moves them: so that the same file again finds
 * each item where this import leaves it, match again as if the moves
 * were made, until nothing changes (a few rounds at most).
 */
static void
settle(struct match *x)
{
	size_t *was = xmalloc((x->n ? x->n : 1) * sizeof(*was));

	for (int round = 0; round < 4; round++) {
		int moved = 0, same = 1;

		for (size_t i = 0; i < x->n; i++) {
			size_t c = x->v[i].cand;
			int64_t p = parent_item(x, &x->v[i]);

			was[i] = c;
			if (c != NONE && x->c[c].parent != p) {
				x->c[c].parent = p;
				moved = 1;
			}
		}
		if (!moved)
			break;
		for (size_t i = 0; i < x->n; i++)
			x->v[i].cand = NONE;
		for (size_t k = 0; k < x->nc; k++)
			x->c[k].claimed = 0;
		match_titles(x);
		for (size_t i = 0; i < x->n && same; i++)
			same = x->v[i].cand == was[i];
		if (same)
			break;
	}
	free(was);
}

/*
 * Plan a re-import of doc: match its list items to the items this source
 * made and give each its uuid; import_item then takes them in order.
 */
int
md_match_plan(struct mdi *m, cmark_node *doc)
{
	int rc = 0;

	for (cmark_node *c = cmark_node_first_child(doc); c && !rc;
	     c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			rc = plan_list(m, c, 0, NONE, &m->match->ngoals);
	if (!rc)
		rc = discover(m);
	if (rc)
		return rc;
	match_titles(m->match);
	settle(m->match);
	return assign(m);
}
