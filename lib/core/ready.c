/*
 * ready.c: which milestones are ready, for the whole store in one pass.
 *
 * The rule (stated in full in query.c, beside the per-item SQL that is
 * its reference) needs, for each milestone, its ancestors, the open
 * items below it, and the ancestors of each prerequisite of it or of an
 * ancestor.  Asked item by item, that is a recursive query per row and
 * `list --ready` grew with the square of the store.  Here the item tree
 * (id, parent, kind, status), the edges and the unread required papers
 * are read once each, and every question becomes an array look-up:
 *	- a preorder walk numbers the tree (pre, post), so "A is P or above
 *	  it" is an interval test, and carries "self or an ancestor is done
 *	  or dropped" and "self or an ancestor holds its milestones back"
 *	  down from parent to child;
 *	- each open milestone marks the items it holds back by walking up
 *	  through open items, stopping at the first one already marked, so
 *	  every item is marked at most once.
 * Time O(items + edges) (ids map to indexes directly when they are dense,
 * by binary search when not), memory a few dozen bytes an item.  Items
 * the walk from the roots cannot reach (a parent cycle) are left to the
 * per-item query: ready_set_has reports them as unknown.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/item-int.h"
#include "banned.h"

enum {
	R_CLOSED = 1 << 0,    /* done or dropped */
	R_CANDIDATE = 1 << 1, /* a planned or active milestone */
	R_OPEN_MS = 1 << 2,   /* an open milestone */
	R_BAD = 1 << 3,       /* an unsettled edge or unread paper of its own */
	R_HELD = 1 << 4,    /* an open milestone below it through open items */
	R_SEEN = 1 << 5,    /* reached from a root */
	R_BLOCKED = 1 << 6, /* closed or bad, itself or an ancestor */
};

static size_t
find(const struct ready_set *rs, int64_t id)
{
	size_t lo = 0, hi = rs->n;

	if (rs->slot) {
		if (id < rs->id[0] || id > rs->id[rs->n - 1])
			return SIZE_MAX;
		return rs->slot[id - rs->id[0]];
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rs->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rs->n && rs->id[lo] == id ? lo : SIZE_MAX;
}

struct raw {
	int64_t id;
	unsigned char flags;
};

static int
cmp_raw(const void *a, const void *b)
{
	int64_t x = ((const struct raw *)a)->id,
	        y = ((const struct raw *)b)->id;

	return (x > y) - (x < y);
}

/*
 * Read the items in two narrow passes, each over a covering index rather
 * than the wide item rows: kind and status (item_kind_status), then the
 * parents (item_parent).  The rows come in index order; dense ids are put
 * in id order by counting, sparse ones sorted.
 */
static int
read_items(struct cairn_store *st, struct ready_set *rs, struct cairn_err *err)
{
	static const char kinds_sql[] =
	        "SELECT id, kind = 'milestone', status IN ('done', 'dropped'), "
	        "status IN ('planned', 'active') FROM item";
	static const char parents_sql[] =
	        "SELECT id, parent FROM item WHERE parent IS NOT NULL";
	sqlite3_stmt *stmt = NULL;
	struct raw *raw = NULL;
	size_t n = 0, cap = 0;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	int rc;

	if ((rc = store_prepare(st, &stmt, kinds_sql, err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int ms = sqlite3_column_int(stmt, 1);
		int closed = sqlite3_column_int(stmt, 2);

		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			raw = xrealloc(raw, cap * sizeof(*raw));
		}
		raw[n].id = sqlite3_column_int64(stmt, 0);
		raw[n].flags =
		        (unsigned char)((closed ? R_CLOSED : 0) |
		                        (ms && !closed ? R_OPEN_MS : 0) |
		                        (ms && sqlite3_column_int(stmt, 3)
		                                 ? R_CANDIDATE
		                                 : 0));
		lo = raw[n].id < lo ? raw[n].id : lo;
		hi = raw[n].id > hi ? raw[n].id : hi;
		n++;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the items");
	sqlite3_finalize(stmt);
	if (rc || !n)
		goto out;
	rs->n = n;
	rs->id = xmalloc(n * sizeof(*rs->id));
	rs->parent = xmalloc(n * sizeof(*rs->parent));
	rs->flags = xmalloc(n);
	if ((uint64_t)(hi - lo) < 4 * (uint64_t)n) {
		/* Dense: a direct map from id to index, by counting. */
		size_t span = (size_t)(hi - lo) + 1, k = 0;

		rs->slot = xmalloc(span * sizeof(*rs->slot));
		for (size_t i = 0; i < span; i++)
			rs->slot[i] = SIZE_MAX;
		for (size_t i = 0; i < n; i++)
			rs->slot[raw[i].id - lo] = 0;
		for (size_t i = 0; i < span; i++)
			if (rs->slot[i] != SIZE_MAX)
				rs->slot[i] = k++;
		for (size_t i = 0; i < n; i++) {
			size_t at = rs->slot[raw[i].id - lo];

			rs->id[at] = raw[i].id;
			rs->flags[at] = raw[i].flags;
		}
	} else {
		qsort(raw, n, sizeof(*raw), cmp_raw);
		for (size_t i = 0; i < n; i++) {
			rs->id[i] = raw[i].id;
			rs->flags[i] = raw[i].flags;
		}
	}
	for (size_t i = 0; i < n; i++)
		rs->parent[i] = -1;
	if ((rc = store_prepare(st, &stmt, parents_sql, err)))
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		size_t k = find(rs, sqlite3_column_int64(stmt, 0));
		size_t p = find(rs, sqlite3_column_int64(stmt, 1));

		/* A parent that is not there makes a root, as before. */
		if (k != SIZE_MAX)
			rs->parent[k] = p == SIZE_MAX ? -1 : (int64_t)p;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the items");
	sqlite3_finalize(stmt);
out:
	free(raw);
	return rc;
}

/* Number the tree in preorder from its roots; flags carry down. */
static void
walk(struct ready_set *rs)
{
	size_t n = rs->n, *start = xcalloc(n + 1, sizeof(size_t));
	size_t *child = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t *stack = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t *next = xmalloc((n ? n : 1) * sizeof(size_t));
	size_t sp = 0;
	uint32_t clock = 0;

	rs->pre = xmalloc((n ? n : 1) * sizeof(*rs->pre));
	rs->post = xmalloc((n ? n : 1) * sizeof(*rs->post));
	for (size_t k = 0; k < n; k++)
		if (rs->parent[k] >= 0)
			start[rs->parent[k] + 1]++;
	for (size_t k = 0; k < n; k++)
		start[k + 1] += start[k];
	memcpy(next, start, n * sizeof(size_t));
	for (size_t k = 0; k < n; k++)
		if (rs->parent[k] >= 0)
			child[next[rs->parent[k]]++] = k;
	for (size_t root = 0; root < n; root++) {
		if (rs->parent[root] >= 0)
			continue;
		stack[sp++] = root;
		next[root] = start[root];
		rs->pre[root] = clock++;
		rs->flags[root] |= R_SEEN;
		if (rs->flags[root] & (R_CLOSED | R_BAD))
			rs->flags[root] |= R_BLOCKED;
		while (sp) {
			size_t top = stack[sp - 1];

			if (next[top] == start[top + 1]) {
				rs->post[top] = clock++;
				sp--;
				continue;
			}
			size_t c = child[next[top]++];

			rs->pre[c] = clock++;
			rs->flags[c] |= R_SEEN;
			if (rs->flags[c] & (R_CLOSED | R_BAD) ||
			    rs->flags[top] & R_BLOCKED)
				rs->flags[c] |= R_BLOCKED;
			next[c] = start[c];
			stack[sp++] = c;
		}
	}
	free(start);
	free(child);
	free(stack);
	free(next);
}

/* Whether item a is item p or above it (both reached from a root). */
static int
at_or_above(const struct ready_set *rs, size_t a, size_t p)
{
	return rs->pre[a] <= rs->pre[p] && rs->post[p] <= rs->post[a];
}

/* Whether p or an ancestor of it is done or dropped (at most n steps up,
 * as a parent cycle has no top). */
static int
settled(const struct ready_set *rs, size_t p)
{
	size_t steps = 0;

	for (int64_t x = (int64_t)p; x >= 0 && steps <= rs->n;
	     x = rs->parent[x], steps++)
		if (rs->flags[x] & R_CLOSED)
			return 1;
	return 0;
}

/*
 * Mark R_BAD on each item with a builds-on edge that holds it back or a
 * required paper not yet read.  The edge test needs the numbering of a
 * first walk(); a second one carries R_BAD down as R_BLOCKED.
 */
static int
read_edges(struct cairn_store *st, struct ready_set *rs, struct cairn_err *err)
{
	static const char edges_sql[] = "SELECT item, prereq FROM edge";
	static const char papers_sql[] =
	        "SELECT DISTINCT ip.item FROM item_paper ip JOIN paper pp "
	        "ON pp.id = ip.paper WHERE pp.status NOT IN "
	        "('read', 'replicated', 'replication-failed')";
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = store_prepare(st, &stmt, edges_sql, err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		size_t a = find(rs, sqlite3_column_int64(stmt, 0));
		size_t p = find(rs, sqlite3_column_int64(stmt, 1));

		if (a == SIZE_MAX || !(rs->flags[a] & R_SEEN))
			continue; /* left to the per-item query */
		if (p == SIZE_MAX)
			rs->flags[a] |= R_BAD; /* as the query has it */
		else if (!settled(rs, p) &&
		         (!(rs->flags[p] & R_SEEN) || !at_or_above(rs, a, p)))
			rs->flags[a] |= R_BAD;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the edges");
	sqlite3_finalize(stmt);
	if (rc || (rc = store_prepare(st, &stmt, papers_sql, err)))
		return rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		size_t a = find(rs, sqlite3_column_int64(stmt, 0));

		if (a != SIZE_MAX)
			rs->flags[a] |= R_BAD;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the papers");
	sqlite3_finalize(stmt);
	return rc;
}

/* R_HELD on every item an open milestone lies below, through open items. */
static void
mark_held(struct ready_set *rs)
{
	for (size_t k = 0; k < rs->n; k++) {
		if (!(rs->flags[k] & R_OPEN_MS))
			continue;
		for (int64_t p = rs->parent[k]; p >= 0; p = rs->parent[p]) {
			if (rs->flags[p] & R_HELD)
				break;
			rs->flags[p] |= R_HELD;
			if (rs->flags[p] & R_CLOSED)
				break;
		}
	}
}

int
ready_set_load(struct cairn_store *st, struct ready_set *rs,
               struct cairn_err *err)
{
	int rc;

	memset(rs, 0, sizeof(*rs));
	if ((rc = read_items(st, rs, err)))
		return rc;
	walk(rs);
	if ((rc = read_edges(st, rs, err)))
		return rc;
	/* Again, now that R_BAD is known, to carry it down as R_BLOCKED. */
	for (size_t k = 0; k < rs->n; k++)
		rs->flags[k] &= (unsigned char)~(R_SEEN | R_BLOCKED);
	free(rs->pre);
	free(rs->post);
	walk(rs);
	mark_held(rs);
	return 0;
}

int
ready_set_has(const struct ready_set *rs, int64_t id)
{
	size_t k = find(rs, id);
	unsigned char f;

	if (k == SIZE_MAX)
		return 0;
	f = rs->flags[k];
	if (!(f & R_SEEN))
		return -1;
	return (f & R_CANDIDATE) && !(f & (R_BLOCKED | R_HELD));
}

void
ready_set_release(struct ready_set *rs)
{
	free(rs->id);
	free(rs->parent);
	free(rs->flags);
	free(rs->pre);
	free(rs->post);
	free(rs->slot);
	memset(rs, 0, sizeof(*rs));
}
