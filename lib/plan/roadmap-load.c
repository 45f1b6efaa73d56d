/*
 * roadmap-load.c: the loader that fills a roadmap snapshot from the
 * store (cairn_roadmap_load_scope).  The one place the planners' and the
 * exporters' data leaves SQL: everything downstream reads the snapshot
 * (roadmap.c), so another loader (from the hub's PostgreSQL, say) can
 * fill the same struct and finish it with roadmap_index_tree.
 *
 * It reads every item, edge and tag, the papers items require, the time
 * logged and the metrics per item, links and notes, each item's last
 * journal time and the settings with streaming queries, then indexes
 * them by position.
 *
 * Invariants: CSR lists keep the order of their query (children and
 * prerequisites by id, tags by name, links by id, notes by time); a
 * visibility scope drops items before anything else is read, so what
 * hangs off a dropped item is never loaded.
 *
 * Workload: one query per table; memory linear in what is loaded.
 */
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
	size_t cap; /* room in rm->items, rm->papers or rm->settings */
};

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
 * Run sql, calling fn with each row; what names the read for the error
 * message.  CAIRN_EDB.
 */
static int
rows(struct load *L, const char *sql, const char *what,
     void (*fn)(struct load *L, sqlite3_stmt *s), struct cairn_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prepare(L->st, &s, sql, err)))
		return rc;
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
	size_t alloc;
	int rc;

	memset(rm, 0, sizeof(*rm));
	if ((rc = rows(&L, "SELECT " ITEM_COLS " FROM item ORDER BY id",
	               "read the items", item_row, err)))
		goto out;
	/* Everything below reads only what it finds among these items. */
	if (roadmap_scope_filters(scope))
		keep_visible(rm, scope);
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

	/* Builds-on edges, both ways. */
	L.m = 0;
	if ((rc = rows(&L,
	               "SELECT item, prereq FROM edge ORDER BY item, prereq",
	               "read the edges", edge_row, err)))
		goto out;
	csr(&L, &rm->pre_off, &rm->pre);
	for (size_t k = 0; k < L.m; k++)
		L.pairs[k] = (struct pair){L.pairs[k].b, L.pairs[k].a};
	csr(&L, &rm->dep_off, &rm->dep);
	L.m = 0;

	/* Tags, in (item, name) order, so CSR keeps names sorted. */
	if ((rc = rows(&L, "SELECT item, name FROM tag ORDER BY item, name",
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
	               "WHERE id IN (SELECT paper FROM item_paper) "
	               "ORDER BY id",
	               "read the papers", paper_row, err)) ||
	    (rc = rows(&L,
	               "SELECT item, paper FROM item_paper "
	               "ORDER BY item, paper",
	               "read the required papers", required_row, err)))
		goto out;
	csr(&L, &rm->req_off, &rm->req);
	L.m = 0;

	/* Time logged and metrics, per item; last change, from the
	 * journal. */
	rm->logged = xcalloc(alloc, sizeof(*rm->logged));
	rm->metrics = xcalloc(alloc, sizeof(*rm->metrics));
	rm->touched = xcalloc(alloc, sizeof(*rm->touched));
	if ((rc = rows(&L,
	               "SELECT item, sum(minutes), 0 FROM time_entry "
	               "GROUP BY item UNION ALL "
	               "SELECT item, 0, count(*) FROM metric GROUP BY item",
	               "read the time log and metrics", count_row, err)) ||
	    (rc = rows(&L,
	               "SELECT e.item, max(c.time) FROM event e "
	               "JOIN change c ON c.id = e.change "
	               "WHERE e.item IS NOT NULL GROUP BY e.item",
	               "read the journal", touched_row, err)))
		goto out;

	/* Links and notes. */
	if ((rc = entries_load(&L,
	                       "SELECT item, id, created, url, label FROM link "
	                       "ORDER BY item, id",
	                       "read the links", &rm->link_off, &rm->link,
	                       err)) ||
	    (rc = entries_load(&L,
	                       "SELECT item, id, created, text, NULL FROM note "
	                       "ORDER BY item, created, id",
	                       "read the notes", &rm->note_off, &rm->note,
	                       err)))
		goto out;

	/* Settings, in key order, and the focus setting read from them. */
	L.cap = 0;
	if ((rc = rows(&L, "SELECT key, value FROM setting ORDER BY key",
	               "read the settings", setting_row, err)) ||
	    (rc = cairn_focus_get(st, &rm->focus, err)))
		goto out;
	roadmap_index_tree(rm);
	if (scope && scope->goal) {
		struct cairn_roadmap all = *rm;
		struct cairn_roadmap_scope goal = {.goal = scope->goal};

		rc = cairn_roadmap_select(&all, &goal, rm, err);
		cairn_roadmap_release(&all);
	}
out:
	free(L.pairs);
	for (size_t k = 0; k < L.ntags; k++)
		free(L.tags[k]);
	free(L.tags);
	if (rc)
		cairn_roadmap_release(rm);
	return rc;
}
