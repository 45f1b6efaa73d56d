/*
 * roadmap-load.c: the loader that fills a roadmap snapshot from the
 * store (cairn_roadmap_load_scope).  The one place the planners' and the
 * exporters' data leaves SQL: everything downstream reads the snapshot
 * (roadmap.c), so another loader (from the hub's PostgreSQL, say) can
 * fill the same struct and finish it with roadmap_index_tree.
 *
 * It reads the items of the scope, then their edges and tags, the papers
 * they require, the time logged and the metrics per item, links and
 * notes, each item's last journal time and the settings with streaming
 * queries, then indexes them by position.
 *
 * Invariants: CSR lists keep the order of their query (children and
 * prerequisites by id, tags by name, links by id, notes by time); a
 * visibility scope drops items before anything else is read, so what
 * hangs off a dropped item is never loaded.  A goal's subgraph is found
 * a level at a time by subgraph_load, three prepared statements run once
 * per level (the closure goal_subgraph in roadmap.c takes in memory: keep
 * the two in step); it reads each item's row once, and the edges with
 * it.  Every later query reads only the rows of the items found, through
 * the item index of its table.  (A recursive CTE did the same closure in
 * one query at about three times the CPU: SQLite's recursive step and
 * UNION queue, and every item's row read twice, for its parent and for
 * its columns.)
 *
 * Workload: one query per table (a subgraph: three per level of its
 * depth); memory linear in what is loaded; for a goal, time linear in its
 * subgraph (indexed lookups), not the store.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/item-int.h"
#include "plan/roadmap-int.h"
#include "banned.h"

struct pair {
	uint32_t a, b;
};

/* What the loader builds on its way to the snapshot. */
struct load {
	struct cairn_store *st;
	struct cairn_roadmap *rm;
	struct pair *pairs; /* (position, value) for the CSR being read */
	size_t m, pcap;
	char **tags; /* tag names, in query order, until sorted into rm */
	size_t ntags, tcap;
	struct cairn_roadmap_entry *ent; /* links or notes, in query order */
	size_t nent, ecap;
	size_t cap;      /* room in rm->items, rm->papers or rm->settings */
	int64_t goal;    /* the goal whose subgraph is read, or 0 */
	int sub;         /* reading a goal's subgraph (or the scope's
	                    goals'): subgraph_load */
	const char *ids; /* :ids, a JSON array of the ids of the items read
	                    (then @IN keeps their rows), or NULL (all rows) */
	char *names;     /* :names, a JSON array of the tag names read */
	struct buf sql;  /* the query with @IN expanded */
};

/* What "@IN" in a query stands for: the rows of the items read. */
#define IN_ITEMS "item IN (SELECT value FROM json_each(:ids))"

/*
 * A goal's subgraph (struct cairn_roadmap_scope): below marks an item
 * whose children come in too (0 for an item in only as an ancestor);
 * ancestors and prerequisites of everything in come in, the latter with
 * what is below them.  subgraph_load reads it a level at a time, with
 * these three statements (each item's row once, which names its parent),
 * each a join from the list of ids: "x IN (SELECT value FROM json_each)"
 * would first build an index of the list, a third of the statement.
 */
#define SUB_ROWS                                                               \
	"SELECT " ITEM_COLS " FROM (SELECT item.* FROM json_each(?1) AS j "    \
	"CROSS JOIN item ON item.id = j.value)"
#define SUB_KIDS                                                               \
	"SELECT item.id FROM json_each(?1) AS j "                              \
	"CROSS JOIN item ON item.parent = j.value"
#define SUB_PRE                                                                \
	"SELECT e.item, e.prereq FROM json_each(?1) AS j "                     \
	"CROSS JOIN edge AS e ON e.item = j.value"

/* Open items; keep_open then drops those below a closed one. */
#define OPEN_ITEMS                                                             \
	"SELECT " ITEM_COLS " FROM item "                                      \
	"WHERE status <> 'done' AND status <> 'dropped' ORDER BY id"

/* Append (a, b) to L's pairs. */
static void
pair_push(struct load *L, uint32_t a, uint32_t b)
{
	if (L->m == L->pcap) {
		L->pcap = L->pcap ? 2 * L->pcap : 256;
		L->pairs = xrealloc(L->pairs, L->pcap * sizeof(*L->pairs));
	}
	L->pairs[L->m++] = (struct pair){a, b};
}

/* v (elements of size bytes, room for *cap) with room for n + 1. */
static void *
grow(void *v, size_t size, size_t n, size_t *cap)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 64;
	return xrealloc(v, *cap * size);
}

/*
 * CSR from L's pairs (a, b) over rm's items, keeping the pairs' order;
 * the pairs are then used up.
 */
static void
csr(struct load *L, uint32_t **off_out, uint32_t **val_out)
{
	size_t n = L->rm->n, m = L->m;
	uint32_t *off = xcalloc(n + 1, sizeof(*off));
	uint32_t *val = xmalloc((m ? m : 1) * sizeof(*val));
	uint32_t *pos = xmalloc((n + 1) * sizeof(*pos));

	for (size_t k = 0; k < m; k++)
		off[L->pairs[k].a + 1]++;
	for (size_t k = 0; k < n; k++)
		off[k + 1] += off[k];
	memcpy(pos, off, (n + 1) * sizeof(*pos));
	for (size_t k = 0; k < m; k++)
		val[pos[L->pairs[k].a]++] = L->pairs[k].b;
	free(pos);
	*off_out = off;
	*val_out = val;
}

/* Position of the item whose id is in column col, or -1. */
static long
item_at(struct load *L, sqlite3_stmt *s, int col)
{
	return cairn_roadmap_find(L->rm, sqlite3_column_int64(s, col));
}

/*
 * sql with each "@IN" made IN_ITEMS (L->ids) or true, and each
 * "@OF(table)" the table's rows of the items read (a join from L->ids,
 * through the table's index on item: no index of the list is built, as
 * for IN) or the table, into L->sql.  @OF is only for a table whose
 * columns the query names are none of json_each's (id, key, value...).
 */
static const char *
expand(struct load *L, const char *sql)
{
	const char *at;

	buf_reset(&L->sql);
	while ((at = strchr(sql, '@'))) {
		buf_add(&L->sql, sql, (size_t)(at - sql));
		if (!strncmp(at, "@IN", 3)) {
			buf_adds(&L->sql, L->ids ? IN_ITEMS : "1");
			sql = at + 3;
		} else {
			const char *name = at + 4, *end = strchr(name, ')');
			int len = (int)(end - name);

			if (L->ids)
				buf_addf(&L->sql,
				         "json_each(:ids) AS j CROSS JOIN %.*s "
				         "ON %.*s.item = j.value",
				         len, name, len, name);
			else
				buf_add(&L->sql, name, (size_t)len);
			sql = end + 1;
		}
	}
	buf_adds(&L->sql, sql);
	return L->sql.buf;
}

/*
 * Run sql (@IN expanded, :ids bound), calling fn with each
 * row; what names the read for the error message.  CAIRN_EDB.
 */
static int
rows(struct load *L, const char *sql, const char *what,
     void (*fn)(struct load *L, sqlite3_stmt *s), struct cairn_err *err)
{
	sqlite3_stmt *s;
	int rc, k;

	if ((rc = store_prepare(L->st, &s, expand(L, sql), err)))
		return rc;
	if ((k = sqlite3_bind_parameter_index(s, ":ids")))
		sqlite3_bind_text(s, k, L->ids, -1, SQLITE_STATIC);
	if ((k = sqlite3_bind_parameter_index(s, ":names")))
		sqlite3_bind_text(s, k, L->names, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(L, s);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(L->st, err, what);
	sqlite3_finalize(s);
	return rc;
}

static void
item_row(struct load *L, sqlite3_stmt *s)
{
	struct cairn_roadmap *rm = L->rm;

	rm->items = grow(rm->items, sizeof(*rm->items), rm->n, &L->cap);
	cairn_item_init(&rm->items[rm->n]);
	item_from_row(s, &rm->items[rm->n++]);
}

/* An item of a check_only scope (ITEM_LINT_COLS). */
static void
lint_row(struct load *L, sqlite3_stmt *s)
{
	struct cairn_roadmap *rm = L->rm;

	rm->items = grow(rm->items, sizeof(*rm->items), rm->n, &L->cap);
	item_from_lint_row(s, &rm->items[rm->n++]);
}

/* (item, other item): builds-on edges. */
static void
edge_row(struct load *L, sqlite3_stmt *s)
{
	long a = item_at(L, s, 0), b = item_at(L, s, 1);

	if (a >= 0 && b >= 0)
		pair_push(L, (uint32_t)a, (uint32_t)b);
}

static void
tag_row(struct load *L, sqlite3_stmt *s)
{
	long a = item_at(L, s, 0);

	if (a < 0)
		return;
	L->tags = grow(L->tags, sizeof(*L->tags), L->ntags, &L->tcap);
	L->tags[L->ntags] = xstrdup(store_col_text(s, 1));
	pair_push(L, (uint32_t)a, (uint32_t)L->ntags++);
}

static void
paper_row(struct load *L, sqlite3_stmt *s)
{
	struct cairn_roadmap *rm = L->rm;
	struct cairn_roadmap_paper *p;
	int st;

	rm->papers =
	        grow(rm->papers, sizeof(*rm->papers), rm->npapers, &L->cap);
	p = &rm->papers[rm->npapers++];
	p->id = sqlite3_column_int64(s, 0);
	p->key = xstrdup(store_col_text(s, 1));
	p->title = xstrdup(store_col_text(s, 2));
	st = cairn_paper_status_parse(store_col_text(s, 3));
	p->status = st < 0 ? CAIRN_PAPER_TO_READ : (enum cairn_paper_status)st;
}

static void
required_row(struct load *L, sqlite3_stmt *s)
{
	long a = item_at(L, s, 0);
	long b = cairn_roadmap_paper_find(L->rm, sqlite3_column_int64(s, 1));

	if (a >= 0 && b >= 0)
		pair_push(L, (uint32_t)a, (uint32_t)b);
}

/* (item, minutes logged, metrics). */
static void
count_row(struct load *L, sqlite3_stmt *s)
{
	long a = item_at(L, s, 0);

	if (a < 0)
		return;
	L->rm->logged[a] += (long)sqlite3_column_int64(s, 1);
	L->rm->metrics[a] += (uint32_t)sqlite3_column_int64(s, 2);
}

static void
touched_row(struct load *L, sqlite3_stmt *s)
{
	long a = item_at(L, s, 0);

	if (a >= 0)
		snprintf(L->rm->touched[a], CAIRN_TS_LEN, "%s",
		         store_col_text(s, 1));
}

/* (item, id, time, text, label): a link or a note. */
static void
entry_row(struct load *L, sqlite3_stmt *s)
{
	long a = item_at(L, s, 0);
	struct cairn_roadmap_entry *e;

	if (a < 0)
		return;
	L->ent = grow(L->ent, sizeof(*L->ent), L->nent, &L->ecap);
	e = &L->ent[L->nent];
	e->id = sqlite3_column_int64(s, 1);
	snprintf(e->time, sizeof(e->time), "%s", store_col_text(s, 2));
	e->text = xstrdup(store_col_text(s, 3));
	e->label = xstrdup_or_null((const char *)sqlite3_column_text(s, 4));
	pair_push(L, (uint32_t)a, (uint32_t)L->nent++);
}

static void
setting_row(struct load *L, sqlite3_stmt *s)
{
	struct cairn_roadmap *rm = L->rm;

	rm->settings = grow(rm->settings, sizeof(*rm->settings), rm->nsettings,
	                    &L->cap);
	rm->settings[rm->nsettings].key = xstrdup(store_col_text(s, 0));
	rm->settings[rm->nsettings++].value = xstrdup(store_col_text(s, 1));
}

/*
 * Read the entries of sql (see entry_row; in item order) into the CSR
 * (*off_out, *v_out) over rm's items.
 */
static int
entries_load(struct load *L, const char *sql, const char *what,
             uint32_t **off_out, struct cairn_roadmap_entry **v_out,
             struct cairn_err *err)
{
	uint32_t *order;
	int rc;

	L->nent = L->ecap = 0;
	if ((rc = rows(L, sql, what, entry_row, err))) {
		roadmap_entries_free(L->ent, L->nent);
		L->ent = NULL;
		return rc;
	}
	/* Rows come in item order, so the CSR keeps them as they came. */
	csr(L, off_out, &order);
	free(order);
	L->m = 0;
	*v_out = L->ent;
	L->ent = NULL;
	return 0;
}

/* Keep the items i of rm with ok[i] > 0; ok is freed. */
static void
keep(struct cairn_roadmap *rm, signed char *ok)
{
	size_t k = 0;

	for (size_t i = 0; i < rm->n; i++) {
		if (ok[i] > 0)
			rm->items[k++] = rm->items[i];
		else
			cairn_item_release(&rm->items[i]);
	}
	rm->n = k;
	free(ok);
	roadmap_index_ids(rm);
}

/*
 * Keep only the items at least minvis visible, ancestors too (and, with
 * no_dropped, not dropped, nor below a dropped one; with open_only,
 * neither done nor dropped, nor below one).
 */
static void
keep_visible(struct cairn_roadmap *rm, const struct cairn_roadmap_scope *sc)
{
	signed char *ok = xmalloc(rm->n ? rm->n : 1);

	item_visible(rm->items, sizeof(*rm->items), rm->n, sc->minvis,
	             roadmap_scope_skip(sc), ok);
	keep(rm, ok);
}

/*
 * OPEN_ITEMS read the open items only: one whose parent was not read
 * lies below a done or dropped item, and goes, with what is below it.
 * ok[i]: 1 rooted in open items, -1 not; an ancestor chain longer than
 * the items (a parent cycle, which the store refuses) counts as not.
 */
static void
keep_open(struct cairn_roadmap *rm)
{
	size_t alloc = rm->n ? rm->n : 1;
	signed char *ok = xcalloc(alloc, 1);
	size_t *chain = xmalloc(alloc * sizeof(*chain));

	for (size_t i = 0; i < rm->n; i++) {
		size_t len = 0;
		long cur = (long)i;
		signed char v = -1;

		while (cur >= 0 && !ok[cur] && len < rm->n) {
			chain[len++] = (size_t)cur;
			if (!rm->items[cur].parent) {
				v = 1;
				cur = -1;
				break;
			}
			cur = cairn_roadmap_find(rm, rm->items[cur].parent);
		}
		if (cur >= 0 && ok[cur])
			v = ok[cur];
		while (len)
			ok[chain[--len]] = v;
	}
	free(chain);
	keep(rm, ok);
}

/*
 * Keep only the papers L's pairs (item, paper position) say the items
 * read require: those only items left out require go (a scope that
 * filters items reads every required paper first).
 */
static void
keep_required(struct load *L)
{
	struct cairn_roadmap *rm = L->rm;
	long *map = xmalloc((rm->npapers ? rm->npapers : 1) * sizeof(*map));
	size_t n = 0;

	for (size_t q = 0; q < rm->npapers; q++)
		map[q] = -1;
	for (size_t k = 0; k < L->m; k++)
		map[L->pairs[k].b] = 0;
	for (size_t q = 0; q < rm->npapers; q++) {
		if (map[q] < 0) {
			free(rm->papers[q].key);
			free(rm->papers[q].title);
			continue;
		}
		map[q] = (long)n;
		rm->papers[n++] = rm->papers[q];
	}
	rm->npapers = n;
	for (size_t k = 0; k < L->m; k++)
		L->pairs[k].b = (uint32_t)map[L->pairs[k].b];
	free(map);
}

/* "[id,id,...]": the ids of rm's items, for :ids. */
static void
ids_json(const struct cairn_roadmap *rm, struct buf *out)
{
	buf_addch(out, '[');
	for (size_t i = 0; i < rm->n; i++) {
		if (i)
			buf_addch(out, ',');
		buf_add_int(out, rm->items[i].id);
	}
	buf_addch(out, ']');
}

/* ---- a goal's subgraph, a level at a time ------------------------- */

enum { MET = 1, KIDS = 2 }; /* row asked for; children asked for */

/* The ids met, by open addressing (ids are > 0: 0 is a free slot). */
struct idset {
	int64_t *id;
	unsigned char *fl;
	size_t n, cap; /* cap a power of 2 */
};

/* The ids of one level's query, as a JSON array for json_each. */
struct idlist {
	int64_t *v;
	size_t n, cap;
};

static size_t
idset_slot(const struct idset *h, int64_t id)
{
	size_t i = (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ull) >> 32) &
	           (h->cap - 1);

	while (h->id[i] && h->id[i] != id)
		i = (i + 1) & (h->cap - 1);
	return i;
}

/* The flags of id, added as 0 when new. */
static unsigned char *
idset_at(struct idset *h, int64_t id)
{
	size_t i;

	if (2 * (h->n + 1) > h->cap) {
		struct idset old = *h;

		h->cap = old.cap ? 2 * old.cap : 1024;
		h->id = xcalloc(h->cap, sizeof(*h->id));
		h->fl = xcalloc(h->cap, 1);
		for (size_t k = 0; k < old.cap; k++)
			if (old.id[k]) {
				i = idset_slot(h, old.id[k]);
				h->id[i] = old.id[k];
				h->fl[i] = old.fl[k];
			}
		free(old.id);
		free(old.fl);
	}
	i = idset_slot(h, id);
	if (!h->id[i]) {
		h->id[i] = id;
		h->fl[i] = 0;
		h->n++;
	}
	return &h->fl[i];
}

static void
idlist_push(struct idlist *l, int64_t id)
{
	l->v = grow(l->v, sizeof(*l->v), l->n, &l->cap);
	l->v[l->n++] = id;
}

/* The pair (id, below) of the subgraph: what is new about it goes on
 * rows (its row, parent and prerequisites) and kids (its children). */
static void
meet(struct idset *h, int64_t id, int below, struct idlist *rows_next,
     struct idlist *kids_next)
{
	unsigned char *fl;

	if (!id)
		return; /* no item has it (and 0 marks a free slot) */
	fl = idset_at(h, id);
	if (!(*fl & MET)) {
		*fl |= MET;
		idlist_push(rows_next, id);
	}
	if (below && !(*fl & KIDS)) {
		*fl |= KIDS;
		idlist_push(kids_next, id);
	}
}

/* Bind l, as "[id,...]", to s's ?1 (json keeps the text until reset). */
static void
bind_ids(sqlite3_stmt *s, const struct idlist *l, struct buf *json)
{
	buf_reset(json);
	buf_addch(json, '[');
	for (size_t k = 0; k < l->n; k++) {
		if (k)
			buf_addch(json, ',');
		buf_add_int(json, l->v[k]);
	}
	buf_addch(json, ']');
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, json->buf, -1, SQLITE_STATIC);
}

static int
by_item_id(const void *a, const void *b)
{
	const struct cairn_item *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
by_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return x->b < y->b ? -1 : x->b > y->b;
}

/*
 * Read the subgraph of sc's goal (or goals) into rm's items (in id order)
 * and its builds-on edges into *edges (positions, by item then prereq):
 * each level asks for the rows of the items met first in it, their
 * prerequisites and the children of those met with below; the closure is
 * goal_subgraph's (roadmap.c).  Every prerequisite of an item read is
 * read too, so the edges are all those of the items.  CAIRN_EDB.
 */
static int
subgraph_load(struct load *L, const struct cairn_roadmap_scope *sc,
              struct pair **edges, size_t *nedges, struct cairn_err *err)
{
	struct cairn_roadmap *rm = L->rm;
	sqlite3_stmt *q[3] = {NULL, NULL, NULL};
	static const char *const sql[3] = {SUB_ROWS, SUB_PRE, SUB_KIDS};
	struct idset met = {0};
	struct idlist rws = {0}, kids = {0}, rn = {0}, kn = {0}, ep = {0};
	struct buf json = BUF_INIT;
	int rc = 0;

	for (int k = 0; k < 3 && !rc; k++)
		rc = store_prepare(L->st, &q[k], sql[k], err);
	if (sc->goal)
		meet(&met, sc->goal, 1, &rws, &kids);
	for (size_t k = 0; !sc->goal && k < sc->ngoals; k++)
		meet(&met, sc->goals[k], 1, &rws, &kids);
	while (!rc && (rws.n || kids.n)) {
		int step;

		rn.n = kn.n = 0;
		if (rws.n) {
			bind_ids(q[0], &rws, &json);
			while ((step = sqlite3_step(q[0])) == SQLITE_ROW) {
				item_row(L, q[0]);
				if (rm->items[rm->n - 1].parent)
					meet(&met, rm->items[rm->n - 1].parent,
					     0, &rn, &kn);
			}
			if (step != SQLITE_DONE) {
				rc = store_sqlerr(L->st, err, "read the items");
				break;
			}
			bind_ids(q[1], &rws, &json);
			while ((step = sqlite3_step(q[1])) == SQLITE_ROW) {
				idlist_push(&ep, sqlite3_column_int64(q[1], 0));
				idlist_push(&ep, sqlite3_column_int64(q[1], 1));
				meet(&met, sqlite3_column_int64(q[1], 1), 1,
				     &rn, &kn);
			}
			if (step != SQLITE_DONE) {
				rc = store_sqlerr(L->st, err, "read the edges");
				break;
			}
		}
		if (kids.n) {
			bind_ids(q[2], &kids, &json);
			while ((step = sqlite3_step(q[2])) == SQLITE_ROW)
				meet(&met, sqlite3_column_int64(q[2], 0), 1,
				     &rn, &kn);
			if (step != SQLITE_DONE) {
				rc = store_sqlerr(L->st, err, "read the items");
				break;
			}
		}
		{
			struct idlist t = rws;

			rws = rn;
			rn = t;
			t = kids;
			kids = kn;
			kn = t;
		}
	}
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(q[k]);
	if (!rc) {
		size_t m = 0;

		if (rm->n) /* qsort of no items may get a NULL array */
			qsort(rm->items, rm->n, sizeof(*rm->items), by_item_id);
		roadmap_index_ids(rm);
		*edges = xmalloc((ep.n / 2 ? ep.n / 2 : 1) * sizeof(**edges));
		for (size_t k = 0; k + 1 < ep.n; k += 2) {
			long a = cairn_roadmap_find(rm, ep.v[k]);
			long b = cairn_roadmap_find(rm, ep.v[k + 1]);

			if (a >= 0 && b >= 0)
				(*edges)[m++] =
				        (struct pair){(uint32_t)a, (uint32_t)b};
		}
		qsort(*edges, m, sizeof(**edges), by_pair);
		*nedges = m;
	}
	free(met.id);
	free(met.fl);
	free(rws.v);
	free(kids.v);
	free(rn.v);
	free(kn.v);
	free(ep.v);
	buf_release(&json);
	return rc;
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
	struct load L = {.st = st, .rm = rm};
	struct buf ids = BUF_INIT;
	struct pair *edges = NULL; /* a subgraph's, read with its items */
	size_t nedges = 0;
	int lean = scope && scope->plan_only;
	int lint = scope && scope->check_only;
	int lint_items = lint; /* reading ITEM_LINT_COLS */
	const char *items = "SELECT " ITEM_COLS " FROM item ORDER BY id";
	size_t alloc;
	int rc;

	memset(rm, 0, sizeof(*rm));
	if (scope && (scope->goal || scope->ngoals)) {
		L.goal = scope->goal;
		L.sub = 1;
	} else if (scope && scope->open_only) {
		items = OPEN_ITEMS;
	}
	if (lint && !L.sub && !scope->open_only &&
	    scope->minvis <= CAIRN_VIS_PRIVATE)
		items = "SELECT " ITEM_LINT_COLS " FROM item ORDER BY id";
	else
		lint_items = 0;
	if (L.sub) {
		if ((rc = subgraph_load(&L, scope, &edges, &nedges, err)))
			goto out;
	} else {
		if ((rc = rows(&L, items, "read the items",
		               lint_items ? lint_row : item_row, err)))
			goto out;
		roadmap_index_ids(rm);
	}
	/* Everything below reads only what it finds among these items (a
	 * goal's subgraph: only their rows). */
	if (L.sub) {
		if (L.goal && !rm->n) {
			rc = cairn_err_set(err, CAIRN_ENOTFOUND,
			                   "no item #%lld", (long long)L.goal);
			goto out;
		}
		ids_json(rm, &ids);
		L.ids = ids.buf;
	} else {
		/* keep_open leaves only open items: what else filters is
		 * visibility. */
		if (scope && scope->open_only)
			keep_open(rm);
		if (scope &&
		    (scope->minvis > CAIRN_VIS_PRIVATE || scope->no_dropped))
			keep_visible(rm, scope);
	}
	alloc = rm->n ? rm->n : 1;

	/* Parents and children. */
	rm->parent = xmalloc(alloc * sizeof(*rm->parent));
	for (size_t i = 0; i < rm->n; i++) {
		long p = rm->items[i].parent
		                 ? cairn_roadmap_find(rm, rm->items[i].parent)
		                 : -1;

		rm->parent[i] = p;
		if (p >= 0)
			pair_push(&L, (uint32_t)p, (uint32_t)i);
	}
	csr(&L, &rm->kid_off, &rm->kid);

	/* Builds-on edges, both ways (a subgraph's came with its items). */
	L.m = 0;
	for (size_t k = 0; k < nedges; k++)
		pair_push(&L, edges[k].a, edges[k].b);
	if (!L.sub && (rc = rows(&L,
	                         "SELECT item, prereq FROM edge WHERE @IN "
	                         "ORDER BY item, prereq",
	                         "read the edges", edge_row, err)))
		goto out;
	csr(&L, &rm->pre_off, &rm->pre);
	for (size_t k = 0; k < L.m; k++)
		L.pairs[k] = (struct pair){L.pairs[k].b, L.pairs[k].a};
	csr(&L, &rm->dep_off, &rm->dep);
	L.m = 0;

	/* Tags, in (item, name) order, so CSR keeps names sorted; only
	 * those of the scope's names, through the index on name. */
	if (!lean && scope && scope->tags) {
		json_t *a = json_array();

		for (size_t k = 0; scope->tags[k]; k++)
			json_array_append_new(a, json_string(scope->tags[k]));
		L.names = json_dumps(a, JSON_COMPACT);
		json_decref(a);
	}
	if (!lean && (rc = rows(&L,
	                        L.names ? "SELECT item, name FROM @OF(tag) "
	                                  "WHERE name IN (SELECT value FROM "
	                                  "json_each(:names)) "
	                                  "ORDER BY item, name"
	                                : "SELECT item, name FROM @OF(tag) "
	                                  "ORDER BY item, name",
	                        "read the tags", tag_row, err)))
		goto out;
	{
		uint32_t *order;

		csr(&L, &rm->tag_off, &order);
		rm->tag = xmalloc((L.ntags ? L.ntags : 1) * sizeof(char *));
		for (size_t k = 0; k < L.ntags; k++)
			rm->tag[k] = L.tags[order[k]];
		free(order);
		L.m = L.ntags = 0;
	}

	/* Required papers, then who requires them, both in id order. */
	L.cap = 0;
	if ((rc = rows(&L,
	               "SELECT id, key, title, status FROM paper "
	               "WHERE id IN (SELECT paper FROM @OF(item_paper)) "
	               "ORDER BY id",
	               "read the papers", paper_row, err)) ||
	    (rc = rows(&L,
	               "SELECT item, paper FROM @OF(item_paper) "
	               "ORDER BY item, paper",
	               "read the required papers", required_row, err)))
		goto out;
	keep_required(&L);
	csr(&L, &rm->req_off, &rm->req);
	L.m = 0;

	/* Time logged and metrics, per item; last change, from the
	 * journal, of the active items only (what check's stale rule
	 * reads): the journal is the biggest table by far. */
	rm->logged = xcalloc(alloc, sizeof(*rm->logged));
	rm->metrics = xcalloc(alloc, sizeof(*rm->metrics));
	rm->touched = xcalloc(alloc, sizeof(*rm->touched));
	if ((rc = rows(&L,
	               lean   ? "SELECT item, sum(minutes), 0 FROM "
	                        "@OF(time_entry) GROUP BY item"
	               : lint ? "SELECT item, 0, count(*) FROM metric "
	                        "WHERE @IN GROUP BY item"
	                      : "SELECT item, sum(minutes), 0 FROM "
	                        "@OF(time_entry) GROUP BY item UNION ALL "
	                        "SELECT item, 0, count(*) FROM metric "
	                        "WHERE @IN GROUP BY item",
	               "read the time log and metrics", count_row, err)) ||
	    (!lean && (rc = rows(&L,
	                         "SELECT e.item, max(c.time) FROM event e "
	                         "JOIN change c ON c.id = e.change "
	                         "WHERE e.item IN (SELECT id FROM item "
	                         "WHERE status = 'active') AND @IN "
	                         "GROUP BY e.item",
	                         "read the journal", touched_row, err))))
		goto out;

	/* Links and notes. */
	if (lean || lint) {
		rm->link_off = xcalloc(rm->n + 1, sizeof(*rm->link_off));
		rm->note_off = xcalloc(rm->n + 1, sizeof(*rm->note_off));
	} else if ((rc = entries_load(&L,
	                              "SELECT item, id, created, url, label "
	                              "FROM link WHERE @IN ORDER BY item, id",
	                              "read the links", &rm->link_off,
	                              &rm->link, err)) ||
	           (rc = entries_load(&L,
	                              "SELECT item, id, created, text, NULL "
	                              "FROM note WHERE @IN "
	                              "ORDER BY item, created, id",
	                              "read the notes", &rm->note_off,
	                              &rm->note, err))) {
		goto out;
	}

	/* Settings, in key order, and the focus setting read from them. */
	L.cap = 0;
	if ((rc = rows(&L, "SELECT key, value FROM setting ORDER BY key",
	               "read the settings", setting_row, err)) ||
	    (rc = cairn_focus_get(st, &rm->focus, err)))
		goto out;
	roadmap_index_tree(rm);
	/* The subgraph holds every ancestor of what it holds, so what the
	 * filters leave of it is what they leave of the store, and the
	 * goal's subgraph in that is the one in theirs. */
	if (L.sub && roadmap_scope_filters(scope)) {
		struct cairn_roadmap all = *rm;

		rc = cairn_roadmap_select(&all, scope, rm, err);
		cairn_roadmap_release(&all);
	}
out:
	free(edges);
	free(L.pairs);
	for (size_t k = 0; k < L.ntags; k++)
		free(L.tags[k]);
	free(L.tags);
	buf_release(&L.sql);
	buf_release(&ids);
	free(L.names);
	if (rc)
		cairn_roadmap_release(rm);
	return rc;
}

/* History: the done milestones with a likely estimate, with the minutes
 * logged on each (roadmap_history_ratio keeps those it counts). */
struct history {
	double hours_per_day;
	double *v;
	size_t n, cap;
};

static int
history_rows(struct cairn_store *st, struct history *h, struct cairn_err *err)
{
	sqlite3_stmt *s;
	struct cairn_item it;
	double ratio;
	int rc, logged;

	if ((rc = store_prepare(st, &s,
	                        "SELECT " ITEM_COLS ", (SELECT sum(minutes) "
	                        "FROM time_entry t WHERE t.item = item.id) "
	                        "FROM item WHERE kind = 'milestone' AND "
	                        "status = 'done' AND likely > 0 ORDER BY id",
	                        err)))
		return rc;
	cairn_item_init(&it);
	/* The minutes logged come last, after ITEM_COLS. */
	logged = sqlite3_column_count(s) - 1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		item_from_row(s, &it);
		if (!roadmap_history_ratio(
		            &it, (long)sqlite3_column_int64(s, logged),
		            h->hours_per_day, &ratio))
			continue;
		h->v = grow(h->v, sizeof(*h->v), h->n, &h->cap);
		h->v[h->n++] = ratio;
	}
	cairn_item_release(&it);
	rc = rc == SQLITE_DONE ? 0 : store_sqlerr(st, err, "read the history");
	sqlite3_finalize(s);
	return rc;
}

int
roadmap_load_history(struct cairn_store *st, double hours_per_day, double **out,
                     size_t *n, struct cairn_err *err)
{
	struct history h = {.hours_per_day = hours_per_day};
	int rc = history_rows(st, &h, err);

	if (rc) {
		free(h.v);
		h.v = NULL;
		h.n = 0;
	}
	*out = h.v;
	*n = h.n;
	return rc;
}
