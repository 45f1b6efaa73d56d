/*
 * order.h: the one order of goals and the one lookup by id.  Every view
 * that ranks goals (the tree, the exports, the site, the attention
 * report) sorts with cairn_goal_cmp; every array kept in id order is
 * searched with cairn_id_find.
 */
#ifndef CAIRN_ORDER_H
#define CAIRN_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "cairn/core/item.h"

/*
 * What goal order reads of a goal.  A new key of goal order is a field
 * here, filled by cairn_goal_key_of and compared by cairn_goal_cmp:
 * nowhere else.
 */
struct cairn_goal_key {
	int rank;          /* 0: not ranked */
	double likelihood; /* < 0: not stated */
	int64_t id;
};

/* The key of it. */
struct cairn_goal_key cairn_goal_key_of(const struct cairn_item *it);

/*
 * Goal order: ranked goals first, by rank; then stated likelihood,
 * highest first, unstated last; then id.  Returns <0, 0 or >0 as qsort
 * wants.
 */
int cairn_goal_cmp(const struct cairn_goal_key *a,
                   const struct cairn_goal_key *b);

/*
 * Position of the element whose id is id in v[0..n), elements size bytes
 * apart, each with its int64_t id at byte offset off and in increasing id
 * order; -1 when there is none.  Binary search.
 */
long cairn_id_find(const void *v, size_t n, size_t size, size_t off,
                   int64_t id);

#endif
