/*
 * query.c: filtered item listings and the breakdown-tree walk.
 *
 * cairn_query_run streams rows from one SELECT, so its memory does not grow
 * with the store; filters become WHERE terms with bound parameters and the
 * sort field is looked up in a fixed table, never pasted from input.
 * cairn_tree_walk loads the subtree it draws (one row per item) and walks
 * it depth-first without recursion, so a deep chain cannot overflow the
 * stack.
 */
#include <stdlib.h>
#include <string.h>

#include "item-int.h"
#include "banned.h"

static const struct {
	const char *name;
	const char *expr;
} sorts[] = {
	{"id", "id"},
	{"title", "title COLLATE NOCASE"},
	{"kind", "CASE kind WHEN 'goal' THEN 0 WHEN 'milestone' THEN 1 "
		 "WHEN 'question' THEN 2 ELSE 3 END"},
	{"status", "CASE status WHEN 'active' THEN 0 WHEN 'planned' THEN 1 "
		   "WHEN 'paused' THEN 2 WHEN 'idea' THEN 3 WHEN 'done' THEN 4 "
		   "ELSE 5 END"},
	{"due", "due"},
	{"created", "created"},
	{"started", "started"},
	{"finished", "finished"},
	{"scope", "scope"},
	{"p_success", "p_success"},
	{"novelty", "novelty"},
	{"likelihood", "likelihood"},
	{"parent", "parent"},
};

static int
sort_clause(const char *sort, struct buf *sql, struct cairn_err *err)
{
	int desc = 0;

	if (!sort || !*sort) {
		buf_adds(sql, " ORDER BY id");
		return 0;
	}
	if (*sort == '-') {
		desc = 1;
		sort++;
	}
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		const char *n = sorts[i].name;

		if (strcmp(sort, n) &&
		    !(!strcmp(n, "p_success") && !strcmp(sort, "p-success")))
			continue;
		/* Unset values sort last either way. */
		buf_addf(sql, " ORDER BY %s IS NULL, %s%s, id", sorts[i].expr,
			 sorts[i].expr, desc ? " DESC" : "");
		return 0;
	}
	return cairn_err_set(err, CAIRN_EINVAL,
			     "cannot sort by '%s' (try id, title, kind, "
			     "status, due, created, started, finished, scope, "
			     "p_success, novelty, likelihood or parent)",
			     sort);
}

/*
 * Ready: an open milestone (planned or active) with no open children and
 * every prerequisite of itself and of its ancestors done, required papers
 * included (see paper.h).
 */
static const char ready_sql[] =
	"WITH RECURSIVE anc(id) AS (SELECT ?1 UNION "
	"SELECT i.parent FROM item i JOIN anc ON i.id = anc.id "
	"WHERE i.parent IS NOT NULL) "
	"SELECT (SELECT count(*) FROM edge e JOIN item p ON p.id = e.prereq "
	"WHERE e.item IN anc AND p.status <> 'done') + "
	"(SELECT count(*) FROM item c WHERE c.parent = ?1 "
	"AND c.status NOT IN ('done', 'dropped')) + "
	/* Required papers not yet read (or replicated, or tried). */
	"(SELECT count(*) FROM item_paper ip JOIN paper pp "
	"ON pp.id = ip.paper WHERE ip.item IN anc AND pp.status NOT IN "
	"('read', 'replicated', 'replication-failed'))";

static int
is_ready(struct cairn_store *st, sqlite3_stmt *stmt, int64_t id, int *ready,
	 struct cairn_err *err)
{
	int rc;

	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*ready = sqlite3_column_int(stmt, 0) == 0;
		rc = 0;
	} else {
		rc = store_sqlerr(st, err, "read the edges");
	}
	sqlite3_reset(stmt);
	return rc;
}

int
cairn_query_run(struct cairn_store *st, const struct cairn_query *q,
		cairn_item_fn fn, void *ctx, struct cairn_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *stmt = NULL, *ready = NULL;
	struct cairn_item it;
	int rc, ok = 0;

	cairn_item_init(&it);
	buf_adds(&sql, "SELECT " ITEM_COLS " FROM item WHERE 1");
	if (q->kind >= 0)
		buf_adds(&sql, " AND kind = ?1");
	if (q->status >= 0)
		buf_adds(&sql, " AND status = ?2");
	if (q->open_only)
		buf_adds(&sql, " AND status NOT IN ('done', 'dropped')");
	if (q->tag)
		buf_adds(&sql, " AND id IN (SELECT item FROM tag "
			       "WHERE name = ?3)");
	if (q->under)
		buf_adds(&sql, " AND id IN (WITH RECURSIVE sub(id) AS ("
			       "SELECT id FROM item WHERE parent = ?4 "
			       "UNION ALL SELECT i.id FROM item i JOIN sub "
			       "ON i.parent = sub.id) SELECT id FROM sub)");
	if (q->ready)
		buf_adds(&sql, " AND kind = 'milestone' AND status IN "
			       "('planned', 'active')");
	if ((rc = sort_clause(q->sort, &sql, err)))
		goto out;
	if (q->under && (rc = item_exists(st, q->under, err)))
		goto out;
	if ((rc = store_prepare(st, &stmt, sql.buf, err)))
		goto out;
	if (q->ready && (rc = store_prepare(st, &ready, ready_sql, err)))
		goto out;
	if (q->kind >= 0)
		sqlite3_bind_text(stmt, 1, cairn_kind_name(q->kind), -1,
				  SQLITE_STATIC);
	if (q->status >= 0)
		sqlite3_bind_text(stmt, 2, cairn_status_name(q->status), -1,
				  SQLITE_STATIC);
	if (q->tag)
		sqlite3_bind_text(stmt, 3, q->tag, -1, SQLITE_TRANSIENT);
	if (q->under)
		sqlite3_bind_int64(stmt, 4, q->under);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (ready) {
			if ((rc = is_ready(st, ready,
					   sqlite3_column_int64(stmt, 0), &ok,
					   err)))
				goto out;
			if (!ok)
				continue;
		}
		item_from_row(stmt, &it);
		if ((rc = fn(ctx, &it)))
			goto out;
	}
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the items");
out:
	sqlite3_finalize(stmt);
	sqlite3_finalize(ready);
	cairn_item_release(&it);
	buf_release(&sql);
	return rc;
}

/*
 * The walk sorts and searches compact keys, not the items: an item is some
 * 240 bytes with its strings elsewhere, and chasing those on every
 * comparison and binary-search probe dominated `tree` on a large store.
 */
struct tree_key {
	int64_t parent;
	int64_t id;
	double likelihood;
	int rank;
	unsigned idx; /* into the loaded items */
};

/*
 * Siblings in id order, except at the top: goals first, ranked by
 * likelihood (most likely first), then questions and milestones without a
 * parent, then the ideas inbox.
 */
static int
by_parent_id(const void *a, const void *b)
{
	const struct tree_key *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->parent == 0) {
		if (x->rank != y->rank)
			return x->rank < y->rank ? -1 : 1;
		if (x->likelihood != y->likelihood)
			return x->likelihood > y->likelihood ? -1 : 1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
tree_key_init(struct tree_key *k, const struct cairn_item *it, size_t idx)
{
	static const int rank[] = {0, 1, 1, 2};

	k->parent = it->parent;
	k->id = it->id;
	k->likelihood = it->likelihood;
	k->rank = (unsigned)it->kind < 4 ? rank[it->kind] : 3;
	k->idx = (unsigned)idx;
}

/* Index of the first key whose parent is p, or n when none. */
static size_t
first_child(const struct tree_key *v, size_t n, int64_t p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].parent < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct frame {
	size_t next; /* index of the next child to visit */
	int64_t parent;
};

int
cairn_tree_walk(struct cairn_store *st, int64_t root, unsigned all,
		cairn_tree_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_item *v = NULL, top;
	struct tree_key *keys = NULL;
	size_t *kids = NULL;
	struct frame *stack = NULL;
	unsigned char *last = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t n = 0, cap = 0, depth;
	int rc;

	cairn_item_init(&top);
	if (root && (rc = cairn_item_get(st, root, &top, err)))
		return rc;
	{
		/* Brief: the text a drawing needs, not bodies and reasons. */
		static const char *const sql[2][2] = {
			{"SELECT " ITEM_COLS " FROM item WHERE status NOT IN "
			 "('done', 'dropped') ORDER BY id",
			 "SELECT " ITEM_COLS " FROM item ORDER BY id"},
			{"SELECT " ITEM_COLS_BRIEF " FROM item WHERE status "
			 "NOT IN ('done', 'dropped') ORDER BY id",
			 "SELECT " ITEM_COLS_BRIEF " FROM item ORDER BY id"},
		};

		if ((rc = store_prepare(st, &stmt,
					sql[!!(all & CAIRN_TREE_BRIEF)]
					   [!!(all & CAIRN_TREE_ALL)],
					err)))
			goto out;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = xrealloc(v, cap * sizeof(*v));
		}
		cairn_item_init(&v[n]);
		item_from_row(stmt, &v[n++]);
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the items");
		goto out;
	}
	rc = 0;
	keys = xmalloc((n + 1) * sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		tree_key_init(&keys[i], &v[i], i);
	if (n) /* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(keys, n, sizeof(*keys), by_parent_id);
	/*
	 * kids[i]: where the children of v[i] start among the keys, n for
	 * none.  One merge, as the keys are grouped by parent in ascending
	 * order and v is in id order.
	 */
	kids = xmalloc((n + 1) * sizeof(*kids));
	for (size_t i = 0; i < n; i++)
		kids[i] = n;
	for (size_t i = 0, j = 0; i < n;) {
		int64_t p = keys[i].parent;

		while (j < n && v[j].id < p)
			j++;
		if (j < n && v[j].id == p)
			kids[j] = i;
		while (i < n && keys[i].parent == p)
			i++;
	}

	stack = xmalloc((n + 2) * sizeof(*stack));
	last = xmalloc(n + 2);
	depth = 0;
	stack[0].parent = 0;
	if (root) {
		last[0] = 1;
		if ((rc = fn(ctx, &top, 0, last)))
			goto out;
		depth = 1;
		stack[1].parent = root;
	}
	stack[depth].next = first_child(keys, n, stack[depth].parent);
	for (;;) {
		struct frame *f = &stack[depth];
		size_t i = f->next;

		if (i >= n || keys[i].parent != f->parent) {
			if (depth == (root ? 1u : 0u))
				break;
			depth--;
			continue;
		}
		f->next++;
		last[depth] = f->next >= n || keys[f->next].parent != f->parent;
		if ((rc = fn(ctx, &v[keys[i].idx], (int)depth, last)))
			goto out;
		depth++;
		stack[depth].parent = keys[i].id;
		stack[depth].next = kids[keys[i].idx];
	}
out:
	sqlite3_finalize(stmt);
	for (size_t i = 0; i < n; i++)
		cairn_item_release(&v[i]);
	cairn_item_release(&top);
	free(v);
	free(keys);
	free(kids);
	free(stack);
	free(last);
	return rc;
}
