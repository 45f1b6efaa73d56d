/*
 * edge.c: builds-on edges between items, a DAG.
 *
 * An edge "id builds on prereq" is refused when it would close a cycle
 * (the cycle is named, "#1 -> #2 -> #1") or when prereq is an ancestor of
 * id in the breakdown tree (an item is done only when what is below it is
 * done, so it could never start).  Every write runs in its own change, so
 * the journal records it and undo takes it back.  The bulk writer
 * (core/bulk.c) adds edges of an import in batches and checks the whole
 * graph once at the end instead (imp_check_graph, below: the breakdown
 * tree and the builds-on edges, each loaded as a compact graph and
 * searched depth first).
 *
 * Workload: one edge per command; the cycle check is a breadth-first
 * search over the edges reachable from prereq.  After an import, one
 * pass over every item and edge.
 */
#include <stdlib.h>
#include <string.h>

#include "core/bulk.h"
#include "cairn/core/order.h"
#include "banned.h"

/*
 * Breadth-first search from `from` along builds-on edges; when `to` is
 * reachable, write the path "#from -> ... -> #to" into path (when not
 * NULL) and its items into *nodes (when not NULL; the caller frees it)
 * and return 1.
 */
int
edge_find_path(struct cairn_store *st, int64_t from, int64_t to,
               struct buf *path, int64_t **nodes, size_t *nnodes,
               struct cairn_err *err)
{
	sqlite3_stmt *stmt;
	int64_t *queue = NULL, *prev = NULL;
	size_t head = 0, len = 0, cap = 0;
	int found = 0, rc;

	if ((rc = store_prepare(st, &stmt,
	                        "SELECT prereq FROM edge WHERE item = ?", err)))
		return rc;
	cap = 64;
	queue = xmalloc(cap * sizeof(*queue));
	prev = xmalloc(cap * sizeof(*prev));
	queue[len] = from;
	prev[len++] = -1;
	while (head < len && !found) {
		size_t cur = head++;

		sqlite3_bind_int64(stmt, 1, queue[cur]);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			int64_t next = sqlite3_column_int64(stmt, 0);
			size_t i;

			for (i = 0; i < len && queue[i] != next; i++)
				;
			if (i < len)
				continue;
			if (len == cap) {
				cap *= 2;
				queue = xrealloc(queue, cap * sizeof(*queue));
				prev = xrealloc(prev, cap * sizeof(*prev));
			}
			queue[len] = next;
			prev[len++] = (int64_t)cur;
			if (next == to) {
				found = 1;
				break;
			}
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = store_sqlerr(st, err, "read the edges");
			goto out;
		}
	}
	rc = 0;
	if (found) {
		/* Walk back from the last entry, then print forwards. */
		size_t n = 0, i = len - 1;
		int64_t *seq = xmalloc(len * sizeof(*seq));

		for (;;) {
			seq[n++] = queue[i];
			if (prev[i] < 0)
				break;
			i = (size_t)prev[i];
		}
		if (nodes) {
			*nodes = xmalloc(n * sizeof(**nodes));
			*nnodes = n;
			for (size_t k = 0; k < n; k++)
				(*nodes)[k] = seq[n - 1 - k];
		}
		while (path && n--)
			buf_addf(path, "#%lld%s", (long long)seq[n],
			         n ? " -> " : "");
		free(seq);
		rc = 1;
	}
out:
	sqlite3_finalize(stmt);
	free(queue);
	free(prev);
	return rc;
}

int
cairn_edge_add(struct cairn_store *st, int64_t id, int64_t prereq,
               struct cairn_err *err)
{
	struct buf path = BUF_INIT;
	sqlite3_stmt *stmt = NULL;
	char now[CAIRN_TS_LEN];
	int rc;

	if (id == prereq)
		return cairn_err_set(err, CAIRN_ECYCLE,
		                     "#%lld cannot build on itself",
		                     (long long)id);
	if ((rc = cairn_store_begin(st, "add edge", err)))
		return rc;
	if ((rc = item_exists(st, id, err)) ||
	    (rc = item_exists(st, prereq, err)))
		goto out;
	rc = edge_find_path(st, prereq, id, &path, NULL, NULL, err);
	if (rc < 0)
		goto out;
	if (rc == 1) {
		rc = cairn_err_set(err, CAIRN_ECYCLE,
		                   "#%lld building on #%lld would close a "
		                   "cycle: #%lld -> %s",
		                   (long long)id, (long long)prereq,
		                   (long long)id, path.buf);
		goto out;
	}
	/*
	 * An item is done only when what is below it is done, so building
	 * on one of its own ancestors could never start.
	 */
	{
		int below = 0;

		if ((rc = item_in_subtree(st, prereq, id, &below, err)))
			goto out;
		if (below) {
			rc = cairn_err_set(err, CAIRN_ECYCLE,
			                   "#%lld cannot build on #%lld: it "
			                   "is part of #%lld",
			                   (long long)id, (long long)prereq,
			                   (long long)prereq);
			goto out;
		}
	}
	cairn_now(now);
	if ((rc = store_prepare(st, &stmt,
	                        "INSERT INTO edge(item, prereq, created) "
	                        "VALUES(?, ?, ?) ON CONFLICT DO NOTHING",
	                        err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, prereq);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	if ((rc = store_step(st, stmt, "add the edge", err)))
		goto out;
	if (sqlite3_changes(st->db) == 0)
		rc = cairn_err_set(err, CAIRN_EEXIST,
		                   "#%lld already builds on #%lld",
		                   (long long)id, (long long)prereq);
out:
	sqlite3_finalize(stmt);
	buf_release(&path);
	return store_finish(st, rc, err);
}

int
cairn_edge_remove(struct cairn_store *st, int64_t id, int64_t prereq,
                  struct cairn_err *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if ((rc = cairn_store_begin(st, "remove edge", err)))
		return rc;
	if ((rc = item_exists(st, id, err)) ||
	    (rc = item_exists(st, prereq, err)))
		goto out;
	if ((rc = store_prepare(
	             st, &stmt,
	             "DELETE FROM edge WHERE item = ? AND prereq = ?", err)))
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, prereq);
	if ((rc = store_step(st, stmt, "remove the edge", err)))
		goto out;
	if (sqlite3_changes(st->db) == 0)
		rc = cairn_err_set(err, CAIRN_ENOTFOUND,
		                   "#%lld does not build on #%lld",
		                   (long long)id, (long long)prereq);
out:
	sqlite3_finalize(stmt);
	return store_finish(st, rc, err);
}

int
cairn_item_prereqs(struct cairn_store *st, int64_t id, cairn_item_fn fn,
                   void *ctx, struct cairn_err *err)
{
	return item_each_related(st, id,
	                         "SELECT " ITEM_COLS " FROM item WHERE id IN "
	                         "(SELECT prereq FROM edge WHERE item = ?) "
	                         "ORDER BY id",
	                         fn, ctx, err);
}

int
cairn_item_dependents(struct cairn_store *st, int64_t id, cairn_item_fn fn,
                      void *ctx, struct cairn_err *err)
{
	return item_each_related(st, id,
	                         "SELECT " ITEM_COLS " FROM item WHERE id IN "
	                         "(SELECT item FROM edge WHERE prereq = ?) "
	                         "ORDER BY id",
	                         fn, ctx, err);
}

/* ---- the whole graph at once, after a bulk import ---- */

struct graph {
	int64_t *ids; /* sorted */
	size_t n;
	size_t *start; /* CSR: out-edges of node i are to[start[i]..start[i+1])
	                */
	size_t *to;
};

/*
 * Load the graph: nodes are items; out-edges are the parent (parents
 * set) or the prerequisites (edges set).
 */
static int
graph_load(struct imp *im, int parents, struct graph *g)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 1024, ne = 0, ecap = 1024;
	int64_t(*pairs)[2] = xmalloc(ecap * sizeof(*pairs));
	int rc;

	memset(g, 0, sizeof(*g));
	g->ids = xmalloc(cap * sizeof(*g->ids));
	if ((rc = store_prepare(im->st, &s, "SELECT id FROM item ORDER BY id",
	                        im->err)))
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (g->n == cap) {
			cap *= 2;
			g->ids = xrealloc(g->ids, cap * sizeof(*g->ids));
		}
		g->ids[g->n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(im->st, im->err, "read the items");
		goto out;
	}
	if ((rc = store_prepare(im->st, &s,
	                        parents ? "SELECT id, parent FROM item WHERE "
	                                  "parent IS NOT NULL ORDER BY id"
	                                : "SELECT item, prereq FROM edge "
	                                  "ORDER BY item, prereq",
	                        im->err)))
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (ne == ecap) {
			ecap *= 2;
			pairs = xrealloc(pairs, ecap * sizeof(*pairs));
		}
		pairs[ne][0] = sqlite3_column_int64(s, 0);
		pairs[ne++][1] = sqlite3_column_int64(s, 1);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(im->st, im->err, "read the graph");
		goto out;
	}
	rc = 0;
	g->start = xcalloc(g->n + 1, sizeof(*g->start));
	g->to = xmalloc((ne ? ne : 1) * sizeof(*g->to));
	for (size_t e = 0, k = 0; e < ne; e++) {
		long a = cairn_id_find(g->ids, g->n, sizeof(*g->ids), 0,
		                       pairs[e][0]);
		long b = cairn_id_find(g->ids, g->n, sizeof(*g->ids), 0,
		                       pairs[e][1]);

		if (a < 0 || b < 0)
			continue; /* foreign keys keep this from happening */
		g->to[k++] = (size_t)b;
		g->start[a + 1]++;
	}
	for (size_t i = 0; i < g->n; i++)
		g->start[i + 1] += g->start[i];
out:
	sqlite3_finalize(s);
	free(pairs);
	return rc;
}

static void
graph_release(struct graph *g)
{
	free(g->ids);
	free(g->start);
	free(g->to);
}

/*
 * Depth-first search without recursion; on a back edge, name the cycle
 * ("#1 -> #2 -> #1") in path and return 1.
 */
static int
find_cycle(const struct graph *g, struct buf *path)
{
	unsigned char *color = xcalloc(g->n ? g->n : 1, 1);
	size_t *stack = xmalloc((g->n ? g->n : 1) * sizeof(*stack));
	size_t *next = xmalloc((g->n ? g->n : 1) * sizeof(*next));
	int found = 0;

	for (size_t root = 0; root < g->n && !found; root++) {
		size_t depth = 0;

		if (color[root])
			continue;
		stack[depth] = root;
		next[depth++] = g->start[root];
		color[root] = 1;
		while (depth && !found) {
			size_t v = stack[depth - 1];

			if (next[depth - 1] == g->start[v + 1]) {
				color[v] = 2;
				depth--;
				continue;
			}
			size_t w = g->to[next[depth - 1]++];

			if (color[w] == 1) {
				size_t k = depth;

				while (k && stack[k - 1] != w)
					k--;
				for (size_t j = k - 1; j < depth; j++)
					buf_addf(path, "#%lld -> ",
					         (long long)g->ids[stack[j]]);
				buf_addf(path, "#%lld", (long long)g->ids[w]);
				found = 1;
			} else if (!color[w]) {
				color[w] = 1;
				stack[depth] = w;
				next[depth++] = g->start[w];
			}
		}
	}
	free(color);
	free(stack);
	free(next);
	return found;
}

int
imp_check_graph(struct imp *im)
{
	struct graph g;
	struct buf path = BUF_INIT;
	int rc;

	if ((rc = imp_flush(im)))
		return rc;
	for (int parents = 1; parents >= 0 && !rc; parents--) {
		if ((rc = graph_load(im, parents, &g))) {
			graph_release(&g);
			break;
		}
		if (find_cycle(&g, &path))
			rc = cairn_err_set(
			        im->err, CAIRN_ECYCLE,
			        parents ? "'%s' would put an item below "
			                  "itself: %s"
			                : "'%s' would close a cycle of "
			                  "builds-on edges: %s",
			        im->source, path.buf);
		graph_release(&g);
	}
	buf_release(&path);
	return rc;
}
