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
		roadmap_entries_free(v, m);
		memset(off, 0, (rm->n + 1) * sizeof(*off));
		return store_sqlerr(st, err, what);
	}
	for (size_t i = 0; i < rm->n; i++)
		off[i + 1] += off[i];
	*v_out = v;
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
	if (roadmap_scope_filters(scope))
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
	roadmap_index_tree(rm);
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
