/*
 * edge.h: builds-on edges between items (lib/core/edge.c).  The walks
 * over an item's prerequisites and dependents are in item.h
 * (cairn_item_prereqs, cairn_item_dependents).
 */
#ifndef CAIRN_EDGE_H
#define CAIRN_EDGE_H

#include <stdint.h>

#include "cairn/core/err.h"

struct cairn_store;

/*
 * id builds on prereq, in a change of its own.  CAIRN_ENOTFOUND when
 * either item is missing; CAIRN_ECYCLE (with the cycle named, "#1 -> #2
 * -> #1") when prereq already depends on id, or when prereq is id or one
 * of its ancestors; CAIRN_EEXIST when the edge is there already.
 */
int cairn_edge_add(struct cairn_store *st, int64_t id, int64_t prereq,
                   struct cairn_err *err);

/* Remove the edge; CAIRN_ENOTFOUND when an item or the edge is missing. */
int cairn_edge_remove(struct cairn_store *st, int64_t id, int64_t prereq,
                      struct cairn_err *err);

#endif
