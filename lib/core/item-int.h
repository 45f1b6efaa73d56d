/*
 * item-int.h: what item.c shares with the other modules of lib/.
 */
#ifndef CAIRN_ITEM_INT_H
#define CAIRN_ITEM_INT_H

#include "cairn/core/item.h"
#include "store/store-int.h"

/* The item columns, in the order item_from_row reads them. */
#define ITEM_COLS                                                              \
	"id, uuid, kind, title, body, parent, status, why, scope, "            \
	"p_success, novelty, optimistic, likely, pessimistic, due, "           \
	"likelihood, driven, visibility, created, started, finished, rank"

/* Fill it (released first) from a row whose first columns are ITEM_COLS. */
void item_from_row(sqlite3_stmt *s, struct cairn_item *it);

/*
 * The columns the linter and the planner read (a check_only snapshot,
 * roadmap.h), in the order item_from_lint_row reads them: a whole-store
 * scan costs about what its columns do.
 */
#define ITEM_LINT_COLS                                                         \
	"id, kind, title, parent, status, scope, p_success, optimistic, "      \
	"likely, pessimistic, driven, started"

/* Fill it, which holds nothing to free (it is overwritten), from a row
 * whose first columns are ITEM_LINT_COLS; the other fields are
 * cairn_item_init's (body NULL). */
void item_from_lint_row(sqlite3_stmt *s, struct cairn_item *it);

/* *out = whether maybe_desc is id itself or below it in the breakdown
 * tree. */
int item_in_subtree(struct cairn_store *st, int64_t id, int64_t maybe_desc,
                    int *out, struct cairn_err *err);

/*
 * 1 when `to` is reachable from `from` along builds-on edges (from
 * builds on ... on to), with the path "#from -> ... -> #to" appended to
 * path and its items, from first, in *nodes (each optional; the caller
 * frees *nodes); 0 when not; negative on failure (edge.c).
 */
int edge_find_path(struct cairn_store *st, int64_t from, int64_t to,
                   struct buf *path, int64_t **nodes, size_t *nnodes,
                   struct cairn_err *err);

/* Call fn for each item that sql (one parameter: id) selects, with the
 * ITEM_COLS first; CAIRN_ENOTFOUND unless item id exists. */
int item_each_related(struct cairn_store *st, int64_t id, const char *sql,
                      cairn_item_fn fn, void *ctx, struct cairn_err *err);

/* A new item's status when left at CAIRN_STATUS_COUNT: idea for an
 * idea, planned otherwise (item-check.c, pure). */
void item_default_status(struct cairn_item *it);
/* A new item's start and finish times, when its status implies them and
 * they are not set: its creation time (item-check.c, pure). */
void item_stamp_new(struct cairn_item *it);

/* CAIRN_ENOTFOUND unless item id exists. */
int item_exists(struct cairn_store *st, int64_t id, struct cairn_err *err);

/*
 * Which of n items (id order, the k-th at (char *)first + k * stride) are
 * shown to a reader: ok[k] = 1 when the item and every ancestor are at
 * least minvis visible (and, with skip 1, not dropped; with skip 2,
 * neither done nor dropped), else -1.
 * An item in a parent cycle is never shown.
 */
void item_visible(const struct cairn_item *first, size_t stride, size_t n,
                  int minvis, int skip, signed char *ok);

/*
 * The ready milestones of the whole store, read in one pass (ready.c):
 * the rule of `list --ready` and `next`, stated in query.c.  id is sorted;
 * the other arrays are by index into it.
 */
struct ready_set {
	int64_t *id;
	int64_t *parent; /* index of the parent, -1 for none */
	unsigned char *flags;
	uint32_t *pre, *post; /* preorder numbering of the tree */
	size_t *slot;         /* id - id[0] to index, when ids are dense */
	size_t n;
};

/* Fill rs (all fields, owned by it) from the store. */
int ready_set_load(struct cairn_store *st, struct ready_set *rs,
                   struct cairn_err *err);
/* 1 if item id is a ready milestone, 0 if not (or no such item), -1 if
 * it lies in a parent cycle and the per-item query must say. */
int ready_set_has(const struct ready_set *rs, int64_t id);
void ready_set_release(struct ready_set *rs);

#endif
