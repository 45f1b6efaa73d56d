/*
 * order.c: goal order and the lookup by id (order.h).  Both are shared
 * by every layer above the store, so that a ranked view or a search of
 * an id-ordered array cannot drift from another.
 */
#include <string.h>

#include "cairn/core/order.h"
#include "banned.h"

struct cairn_goal_key
cairn_goal_key_of(const struct cairn_item *it)
{
	return (struct cairn_goal_key){it->rank, it->likelihood, it->id};
}

int
cairn_goal_cmp(const struct cairn_goal_key *a, const struct cairn_goal_key *b)
{
	if ((a->rank > 0) != (b->rank > 0))
		return a->rank > 0 ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((a->likelihood < 0) != (b->likelihood < 0))
		return a->likelihood < 0 ? 1 : -1;
	if (a->likelihood != b->likelihood)
		return a->likelihood > b->likelihood ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int64_t
id_at(const void *v, size_t size, size_t off, size_t k)
{
	int64_t id;

	memcpy(&id, (const char *)v + k * size + off, sizeof(id));
	return id;
}

long
cairn_id_find(const void *v, size_t n, size_t size, size_t off, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (id_at(v, size, off, mid) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && id_at(v, size, off, lo) == id ? (long)lo : -1;
}
