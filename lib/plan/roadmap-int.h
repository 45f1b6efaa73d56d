/*
 * roadmap-int.h: what the roadmap snapshot's loaders share with its
 * in-memory side (roadmap.c).  Not installed.
 */
#ifndef CAIRN_ROADMAP_INT_H
#define CAIRN_ROADMAP_INT_H

#include "cairn/plan/roadmap.h"

/*
 * Fill rm's tree view (depth, roots, goals in goal order) from its
 * parent[]: the last step of every loader.
 */
void roadmap_index_tree(struct cairn_roadmap *rm);

/* Whether scope leaves out any item by visibility or dropped status. */
int roadmap_scope_filters(const struct cairn_roadmap_scope *scope);

/* Free n entries of v and v itself. */
void roadmap_entries_free(struct cairn_roadmap_entry *v, size_t n);

#endif
