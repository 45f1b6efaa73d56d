/*
 * strmap.c: a string -> int64 hash map (open addressing, FNV-1a), for
 * importers mapping uuids and project paths to item ids.  Keys are
 * copied; the map grows at 70% load.
 */
#include <stdlib.h>
#include <string.h>

#include "core/bulk.h"
#include "banned.h"

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int64_t *
strmap_get(struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = hash(key) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key))
			return &m->vals[i];
	return NULL;
}

void
strmap_put(struct strmap *m, const char *key, int64_t val)
{
	int64_t *v = strmap_get(m, key);
	size_t i;

	if (v) {
		*v = val;
		return;
	}
	if ((m->n + 1) * 10 >= m->cap * 7) {
		struct strmap big = {0};

		big.cap = m->cap ? m->cap * 2 : 64;
		big.keys = xcalloc(big.cap, sizeof(*big.keys));
		big.vals = xcalloc(big.cap, sizeof(*big.vals));
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->keys[j])
				continue;
			for (i = hash(m->keys[j]) & (big.cap - 1); big.keys[i];
			     i = (i + 1) & (big.cap - 1))
				;
			big.keys[i] = m->keys[j];
			big.vals[i] = m->vals[j];
		}
		big.n = m->n;
		free(m->keys);
		free(m->vals);
		*m = big;
	}
	for (i = hash(key) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
}

void
strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
