/*
 * query.c: filtered item listings and the breakdown-tree walk.
 *
 * cairn_query_run streams rows from one SELECT, so its memory does not grow
 * with the store; filters become WHERE terms with bound parameters and the
 * sort field is looked up in a fixed table, never pasted from input.
 * cairn_tree_walk loads the subtree it draws (one compact node per item,
 * strings in one arena) and walks it depth-first without recursion, so a
 * deep chain cannot overflow the stack.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/order.h"
#include "core/item-int.h"
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
 * Ready, as the planner sees it (cairn_roadmap_plan, `next`): a planned or
 * active milestone
 *	- below open items only (nothing above it done or dropped),
 *	- with no open milestone below it (through open items; an open
 *	  question or idea below it does not hold it back),
 *	- whose own and ancestors' builds-on edges all lead to items that
 *	  are done or dropped or lie below one (settled with it), or that
 *	  are part of the item the edge starts from (the whole waits for
 *	  its part, not the part for itself),
 *	- whose own and ancestors' required papers are all read, replicated
 *	  or tried (see paper.h).
 * The query counts what holds the milestone ?1 back: 0 means ready.  up
 * walks from each prerequisite to the root, to see whether it or
 * something above it is done or dropped, or the item its edge starts
 * from lies above it.  That query is the rule's reference; listings ask
 * ready_set (ready.c), which answers for every item from one read of the
 * tree and the edges, and fall back to the query only for items in a
 * parent cycle.
 */
static const char ready_sql[] =
        "WITH RECURSIVE anc(id) AS (SELECT ?1 UNION "
        "SELECT i.parent FROM item i JOIN anc ON i.id = anc.id "
        "WHERE i.parent IS NOT NULL), "
        "below(id, kind) AS (SELECT id, kind FROM item WHERE parent = ?1 "
        "AND status NOT IN ('done', 'dropped') UNION ALL "
        "SELECT i.id, i.kind FROM item i JOIN below b ON i.parent = b.id "
        "WHERE i.status NOT IN ('done', 'dropped')), "
        "pre(item, prereq) AS (SELECT item, prereq FROM edge "
        "WHERE item IN anc), "
        "up(item, prereq, x) AS (SELECT item, prereq, prereq FROM pre UNION "
        "SELECT u.item, u.prereq, i.parent FROM up u JOIN item i "
        "ON i.id = u.x WHERE i.parent IS NOT NULL) "
        "SELECT (SELECT count(*) FROM item a WHERE a.id IN anc "
        "AND a.status IN ('done', 'dropped')) + "
        "(SELECT EXISTS (SELECT 1 FROM below WHERE kind = 'milestone')) + "
        "(SELECT count(*) FROM pre WHERE NOT EXISTS (SELECT 1 FROM up "
        "JOIN item i ON i.id = up.x WHERE up.item = pre.item "
        "AND up.prereq = pre.prereq AND (up.x = pre.item "
        "OR i.status IN ('done', 'dropped')))) + "
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
	struct ready_set rs = {0};
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
	/* Unary + keeps SQLite off item_kind_status: most milestones are
	 * candidates, and the index's row look-ups and the sort by id
	 * after them cost twice a plain scan. */
	if (q->ready)
		buf_adds(&sql, " AND +kind = 'milestone' AND +status IN "
		               "('planned', 'active')");
	if ((rc = sort_clause(q->sort, &sql, err)))
		goto out;
	if (q->under && (rc = item_exists(st, q->under, err)))
		goto out;
	if ((rc = store_prepare(st, &stmt, sql.buf, err)))
		goto out;
	if (q->ready && ((rc = ready_set_load(st, &rs, err)) ||
	                 (rc = store_prepare(st, &ready, ready_sql, err))))
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
			int64_t id = sqlite3_column_int64(stmt, 0);

			ok = ready_set_has(&rs, id);
			if (ok < 0 && (rc = is_ready(st, ready, id, &ok, err)))
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
	ready_set_release(&rs);
	cairn_item_release(&it);
	buf_release(&sql);
	return rc;
}

/*
 * The walk keeps each loaded item as a compact node: what ordering and
 * drawing read, inline, with the strings in one arena.  A struct
 * cairn_item (some 240 bytes) with three allocations a row cost more than
 * the SELECT itself on a large store, most of it in malloc and in page
 * faults for the memory.  Children hang off their parent as lists in id
 * order, built in one pass over the rows (which come in id order), so
 * only the top level is sorted.
 */
#define NONE      UINT32_MAX /* no node */
#define NO_STRING SIZE_MAX   /* a NULL string, as against "" */

struct tree_node {
	int64_t id;
	int64_t parent; /* 0: a root */
	double likelihood;
	double p_success;
	size_t title; /* offsets into the arena; 0 is "" */
	size_t due;
	uint32_t kid;  /* first child, NONE for none */
	uint32_t next; /* next sibling, NONE after the last; see tree_link */
	int scope;
	int rank;
	signed char kind; /* -1 when unknown, as cairn_kind_parse says */
	signed char status;
};

/*
 * Without CAIRN_TREE_BRIEF every field is kept: the item itself, its
 * strings NULL until loading ends and the arena stops moving.
 */
struct tree_full {
	struct cairn_item it;
	size_t body;
	size_t why; /* NO_STRING for NULL */
};

/* The brief columns, in the order node_from_row reads them. */
#define TREE_COLS                                                              \
	"id, parent, kind, status, title, due, scope, p_success, likelihood, " \
	"rank"

static size_t
arena_add(struct buf *arena, const char *s, size_t len)
{
	size_t off = arena->len;

	if (!len)
		return 0;
	buf_add(arena, s, len);
	buf_addch(arena, '\0');
	return off;
}

static double
opt_double(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
	               ? -1
	               : sqlite3_column_double(s, i);
}

/* The brief form: the same values item_from_row would give. */
static void
node_from_row(sqlite3_stmt *s, struct tree_node *v, struct buf *arena)
{
	const char *t;
	size_t len;

	v->id = sqlite3_column_int64(s, 0);
	v->parent = sqlite3_column_int64(s, 1);
	v->kind = (signed char)cairn_kind_parse(store_col_text(s, 2));
	v->status = (signed char)cairn_status_parse(store_col_text(s, 3));
	t = store_col_text(s, 4);
	v->title = arena_add(arena, t, (size_t)sqlite3_column_bytes(s, 4));
	/* Cut as copy_col cuts into the fixed field. */
	t = store_col_text(s, 5);
	len = (size_t)sqlite3_column_bytes(s, 5);
	v->due = arena_add(arena, t,
	                   len < CAIRN_DATE_LEN ? len : CAIRN_DATE_LEN - 1);
	v->scope = sqlite3_column_int(s, 6);
	v->p_success = opt_double(s, 7);
	v->likelihood = opt_double(s, 8);
	v->rank = sqlite3_column_int(s, 9);
}

/* The full form, through item_from_row so that the two cannot differ. */
static void
full_from_row(sqlite3_stmt *s, struct cairn_item *scratch, struct tree_node *v,
              struct tree_full *f, struct buf *arena)
{
	item_from_row(s, scratch);
	v->id = scratch->id;
	v->parent = scratch->parent;
	v->likelihood = scratch->likelihood;
	v->rank = scratch->rank;
	v->p_success = scratch->p_success;
	v->title = arena_add(arena, scratch->title, strlen(scratch->title));
	v->due = 0;
	v->scope = scratch->scope;
	v->kind = (signed char)scratch->kind;
	v->status = (signed char)scratch->status;
	f->it = *scratch;
	f->it.title = f->it.body = f->it.why = NULL;
	f->body = arena_add(arena, scratch->body, strlen(scratch->body));
	f->why = scratch->why
	                 ? arena_add(arena, scratch->why, strlen(scratch->why))
	                 : NO_STRING;
}

/*
 * Top-level order: goals first, then questions and milestones without a
 * parent, then the ideas inbox; within each, most likely first, then by
 * id.
 */
struct top_key {
	int group;
	struct cairn_goal_key key;
	uint32_t idx;
};

static int
by_group(const void *a, const void *b)
{
	const struct top_key *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return cairn_goal_cmp(&x->key, &y->key);
}

/* The node of item id (v is in id order), or NONE when not loaded. */
static uint32_t
node_find(const struct tree_node *v, size_t n, int64_t id)
{
	long k = cairn_id_find(v, n, sizeof(*v), offsetof(struct tree_node, id),
	                       id);

	return k < 0 ? NONE : (uint32_t)k;
}

/*
 * Hang every node under its parent and return the first node of the top
 * level: root's children, or the roots when root is 0.  A node's next
 * holds its parent's index when loading found it already.  Nodes whose
 * parent was not loaded (it is done or dropped) hang nowhere.
 */
static uint32_t
tree_link(struct tree_node *v, size_t n, int64_t root)
{
	static const int group[] = {0, 1, 1, 2};
	struct top_key *tops = NULL;
	size_t ntops = 0;
	uint32_t head = NONE;

	if (!root)
		tops = xmalloc((n + 1) * sizeof(*tops));
	/* Backwards, so that pushing onto the front leaves id order. */
	for (size_t i = n; i-- > 0;) {
		struct tree_node *x = &v[i];
		uint32_t p = x->next;

		x->next = NONE;
		if (x->parent == root && root) {
			x->next = head;
			head = (uint32_t)i;
		} else if (x->parent == root) {
			tops[ntops].key = (struct cairn_goal_key){
			        .rank = x->rank,
			        .likelihood = x->likelihood,
			        .id = x->id};
			tops[ntops].group =
			        (unsigned)x->kind < 4 ? group[x->kind] : 3;
			tops[ntops++].idx = (uint32_t)i;
		} else if (p != NONE ||
		           (p = node_find(v, n, x->parent)) != NONE) {
			x->next = v[p].kid;
			v[p].kid = (uint32_t)i;
		}
	}
	if (ntops) { /* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(tops, ntops, sizeof(*tops), by_group);
		head = tops[0].idx;
		for (size_t k = 0; k + 1 < ntops; k++)
			v[tops[k].idx].next = tops[k + 1].idx;
	}
	free(tops);
	return head;
}

/*
 * The rows to load.  Below a root, only its subtree, found through the
 * parent index: a small subtree of a large store then costs what it
 * holds.  The recursion never enters root again, so even a cycle through
 * it (which cairn_item_move refuses to make) ends.
 */
static void
tree_sql(struct buf *sql, int64_t root, unsigned flags)
{
	int open = !(flags & CAIRN_TREE_ALL);

	buf_adds(sql, flags & CAIRN_TREE_BRIEF ? "SELECT " TREE_COLS
	                                       : "SELECT " ITEM_COLS);
	buf_adds(sql, " FROM item");
	if (root)
		buf_addf(sql,
		         " WHERE id IN (WITH RECURSIVE sub(id) AS ("
		         "SELECT id FROM item WHERE parent = ?1%s UNION ALL "
		         "SELECT i.id FROM item i JOIN sub ON i.parent = "
		         "sub.id WHERE i.id <> ?1%s) SELECT id FROM sub)",
		         open ? " AND status NOT IN ('done', 'dropped')" : "",
		         open ? " AND i.status NOT IN ('done', 'dropped')"
		              : "");
	else if (open)
		buf_adds(sql, " WHERE status NOT IN ('done', 'dropped')");
	buf_adds(sql, " ORDER BY id");
}

/* Point it at node x's brief fields; the rest stays as initialised. */
static void
brief_item(struct cairn_item *it, const struct tree_node *x, const char *arena)
{
	const char *due = arena + x->due;

	it->id = x->id;
	it->parent = x->parent;
	it->kind = (enum cairn_kind)x->kind;
	it->status = (enum cairn_status)x->status;
	it->title = (char *)(arena + x->title);
	it->scope = x->scope;
	it->p_success = x->p_success;
	it->likelihood = x->likelihood;
	it->rank = x->rank;
	memcpy(it->due, due, strlen(due) + 1); /* cut to fit when loaded */
}

int
cairn_tree_walk(struct cairn_store *st, int64_t root, unsigned flags,
                cairn_tree_fn fn, void *ctx, struct cairn_err *err)
{
	struct cairn_item top, scratch, brief;
	struct tree_node *v = NULL;
	struct tree_full *full = NULL;
	struct buf arena = BUF_INIT, sql = BUF_INIT;
	uint32_t *stack = NULL, cur;
	unsigned char *last = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t n = 0, cap = 0, depth, base = 0;
	int is_brief = !!(flags & CAIRN_TREE_BRIEF), rc;

	cairn_item_init(&top);
	cairn_item_init(&scratch);
	cairn_item_init(&brief);
	if (root && (rc = cairn_item_get(st, root, &top, err)))
		return rc;
	tree_sql(&sql, root, flags);
	if ((rc = store_prepare(st, &stmt, sql.buf, err)))
		goto out;
	if (root)
		sqlite3_bind_int64(stmt, 1, root);
	buf_addch(&arena, '\0'); /* offset 0: every empty string */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(stmt, 0);
		/* parent is column 1 of TREE_COLS, 5 of ITEM_COLS. */
		int64_t parent = sqlite3_column_int64(stmt, is_brief ? 1 : 5);
		uint32_t up = NONE;

		/*
		 * Rows come in id order, so a parent with a smaller id is
		 * loaded by now or never: when it is hidden, so is this row,
		 * and it costs nothing more.  A parent with a larger id (an
		 * item moved under a later one) waits for tree_link.
		 */
		if (parent != root && parent < id &&
		    (up = node_find(v, n, parent)) == NONE)
			continue;
		if (n == cap) {
			/* Indices are 32-bit: half the size of pointers. */
			if (cap >= NONE / 2) {
				rc = cairn_err_set(err, CAIRN_EINVAL,
				                   "too many items to walk");
				goto out;
			}
			cap = cap ? 2 * cap : 256;
			v = xrealloc(v, cap * sizeof(*v));
			if (!is_brief)
				full = xrealloc(full, cap * sizeof(*full));
		}
		if (is_brief)
			node_from_row(stmt, &v[n], &arena);
		else
			full_from_row(stmt, &scratch, &v[n], &full[n], &arena);
		v[n].kid = NONE;
		v[n].next = up; /* for tree_link */
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(st, err, "read the items");
		goto out;
	}
	rc = 0;
	/* The arena has stopped moving: point the full items into it. */
	for (size_t i = 0; !is_brief && i < n; i++) {
		full[i].it.title = arena.buf + v[i].title;
		full[i].it.body = arena.buf + full[i].body;
		full[i].it.why = full[i].why == NO_STRING
		                         ? NULL
		                         : arena.buf + full[i].why;
	}
	brief.body = arena.buf; /* "", as the struct has it when unset */

	cur = tree_link(v, n, root);
	/* At most one level per node, below root's own. */
	stack = xmalloc((n + 2) * sizeof(*stack));
	last = xmalloc(n + 2);
	if (root) {
		last[0] = 1;
		if ((rc = fn(ctx, &top, 0, last)))
			goto out;
		base = 1;
	}
	depth = base;
	for (;;) {
		const struct cairn_item *it;

		if (cur == NONE) {
			if (depth == base)
				break;
			depth--;
			cur = v[stack[depth]].next;
			continue;
		}
		last[depth] = v[cur].next == NONE;
		if (!is_brief) {
			it = &full[cur].it;
		} else {
			brief_item(&brief, &v[cur], arena.buf);
			it = &brief;
		}
		if ((rc = fn(ctx, it, (int)depth, last)))
			goto out;
		stack[depth++] = cur;
		cur = v[cur].kid;
	}
out:
	sqlite3_finalize(stmt);
	cairn_item_release(&top);
	cairn_item_release(&scratch);
	buf_release(&arena);
	buf_release(&sql);
	free(v);
	free(full);
	free(stack);
	free(last);
	return rc;
}
