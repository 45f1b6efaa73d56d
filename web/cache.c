/*
 * cache.c: the rendered replies of the read-only pages and API GETs,
 * kept while the store stays as it was, so that the readers between two
 * writes share one render.
 *
 * A reply is keyed by everything it is made of besides the store: the
 * session's CSRF token (the pages' forms carry it, so no session is ever
 * handed a page rendered for another), today's date (the dashboard's
 * week, the forecast's start), the path and the query (without ?token=).
 * It is good for the store's version (cairn_store_version, which any
 * process's commit moves) and this server's count of its own writes,
 * both read before the render: a reply is served only to a request that
 * saw no newer pair, so a write is never followed by an older page.
 * While one thread renders a key, the others that want it at the same or
 * an older pair wait for that render instead of repeating it.  The
 * entries are bounded by bytes, the least recently used going first.
 *
 * Each reply also has an ETag, a hash of its body: a GET whose
 * If-None-Match names it gets 304 and no body.  A reply served from the
 * cache is sent from the entry's body itself, not a copy: the body is
 * counted, and freed when neither the cache nor a connection holds it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

#define CACHE_BUCKETS 1024

struct stamp {
	long long version; /* cairn_store_version */
	unsigned long writes;
};

/* A reply's body, shared by its entry and the replies being sent. */
struct body {
	unsigned refs; /* atomic */
	size_t len;
	char data[];
};

struct entry {
	char *key;
	uint64_t hash;
	struct stamp at;
	int status;
	const char *type; /* a string literal, as every handler's */
	struct body *body;
	size_t len;
	char etag[HTTP_ETAG_LEN];
	struct entry *chain;         /* in the bucket */
	struct entry *newer, *older; /* in the use order */
};

/* A render under way. */
struct flight {
	const char *key;
	uint64_t hash;
	struct stamp at;
	struct flight *next;
};

struct web_cache {
	pthread_mutex_t mu;
	pthread_cond_t done;
	struct entry *bucket[CACHE_BUCKETS];
	struct entry *newest, *oldest;
	struct flight *flights;
	size_t bytes, cap;
	unsigned long hits, misses;
};

static uint64_t
fnv(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

struct web_cache *
web_cache_new(size_t cap)
{
	struct web_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->done, NULL);
	c->cap = cap;
	return c;
}

static void
body_release(void *ctx)
{
	struct body *b = ctx;

	if (!__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL))
		free(b);
}

static void
entry_free(struct entry *e)
{
	free(e->key);
	body_release(e->body);
	free(e);
}

void
web_cache_free(struct web_cache *c)
{
	struct entry *e, *next;

	if (!c)
		return;
	for (e = c->newest; e; e = next) {
		next = e->older;
		entry_free(e);
	}
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static size_t
entry_bytes(const struct entry *e)
{
	return sizeof(*e) + strlen(e->key) + e->len;
}

static void
unlink_use(struct web_cache *c, struct entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void
push_newest(struct web_cache *c, struct entry *e)
{
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest)
		c->newest->newer = e;
	c->newest = e;
	if (!c->oldest)
		c->oldest = e;
}

static struct entry **
find(struct web_cache *c, const char *key, uint64_t hash)
{
	struct entry **p = &c->bucket[hash % CACHE_BUCKETS];

	while (*p && ((*p)->hash != hash || strcmp((*p)->key, key)))
		p = &(*p)->chain;
	return p;
}

static void
drop(struct web_cache *c, struct entry *e)
{
	struct entry **p = find(c, e->key, e->hash);

	*p = e->chain;
	unlink_use(c, e);
	c->bytes -= entry_bytes(e);
	entry_free(e);
}

/* a is at least as new as b in both counts. */
static int
covers(const struct stamp *a, const struct stamp *b)
{
	return a->version >= b->version && a->writes >= b->writes;
}

/* Whether path's GET reply is made of the store, the date, the query and
 * the session only (not the clock's time, a file, or a download). */
static int
cacheable(const char *path)
{
	static const char *const exact[] = {"/",
	                                    "/roadmap",
	                                    "/predictions",
	                                    "/check",
	                                    "/papers",
	                                    "/api/items",
	                                    "/api/next",
	                                    "/api/check",
	                                    "/api/focus",
	                                    "/api/calibration",
	                                    "/api/papers",
	                                    "/api/predictions",
	                                    NULL};

	for (const char *const *p = exact; *p; p++)
		if (!strcmp(path, *p))
			return 1;
	return !strncmp(path, "/items/", 7) ||
	       !strncmp(path, "/api/items/", 11) ||
	       !strncmp(path, "/api/goals/", 11);
}

static void
set_etag(char etag[HTTP_ETAG_LEN], const char *body, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = fnv(body, len);

	etag[0] = '"';
	for (int i = 0; i < 16; i++)
		etag[1 + i] = hex[(h >> (60 - 4 * i)) & 15];
	etag[17] = '"';
	etag[18] = '\0';
}

/* If-None-Match names etag (or is "*"). */
static int
etag_matches(const char *inm, const char *etag)
{
	size_t n = strlen(etag);

	if (!inm)
		return 0;
	if (!strcmp(inm, "*"))
		return 1;
	for (const char *p = inm; (p = strstr(p, etag)); p += n)
		return 1;
	return 0;
}

static void
not_modified(struct http_req *rq, struct http_resp *rs)
{
	if (rs->status == 200 &&
	    etag_matches(http_header(rq, "If-None-Match"), rs->etag)) {
		rs->status = 304;
		buf_reset(&rs->body);
		if (rs->release)
			rs->release(rs->release_ctx);
		rs->shared = NULL;
		rs->shared_len = 0;
		rs->release = NULL;
		rs->release_ctx = NULL;
	}
}

static void
store(struct web_cache *c, const char *key, uint64_t hash,
      const struct stamp *at, const struct http_resp *rs)
{
	struct entry **p = find(c, key, hash), *e;

	if (*p && !covers(at, &(*p)->at))
		return; /* a newer render got there first */
	if (*p)
		drop(c, *p);
	e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->hash = hash;
	e->at = *at;
	e->status = rs->status;
	e->type = rs->type;
	e->len = rs->body.len;
	e->body = xmalloc(sizeof(*e->body) + e->len + 1);
	e->body->refs = 1;
	e->body->len = e->len;
	memcpy(e->body->data, rs->body.buf, e->len);
	e->body->data[e->len] = '\0';
	memcpy(e->etag, rs->etag, sizeof(e->etag));
	if (entry_bytes(e) > c->cap / 8) {
		entry_free(e);
		return;
	}
	p = find(c, key, hash);
	e->chain = *p;
	*p = e;
	push_newest(c, e);
	c->bytes += entry_bytes(e);
	while (c->bytes > c->cap && c->oldest)
		drop(c, c->oldest);
}

static int
add_arg(void *ctx, const char *name, const char *value)
{
	struct buf *key = ctx;

	if (strcmp(name, "token"))
		buf_addf(key, "%s=%s&", name, value ? value : "");
	return 0;
}

int
web_cache_serve(struct web *w, struct http_req *rq, struct http_resp *rs,
                void (*render)(struct web *, struct http_req *,
                               struct http_resp *))
{
	struct web_cache *c = w->ws->cache;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf key = BUF_INIT;
	char today[CAIRN_DATE_LEN];
	struct stamp at;
	struct flight me, **fp;
	struct entry **p;
	uint64_t hash;

	if (!c || (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) ||
	    !cacheable(rq->path))
		return 0;
	/* The count first: a write counted is committed, so the version
	 * read after it is at least that write's. */
	at.writes = __atomic_load_n(&w->ws->writes, __ATOMIC_ACQUIRE);
	if (cairn_store_version(w->st, &at.version, &err))
		return 0;
	cairn_date_format(cairn_clock(), today);
	buf_addf(&key, "%s %s %s?", http_csrf(w->srv), today, rq->path);
	http_query_each(rq, add_arg, &key);
	hash = fnv(key.buf, key.len);

	pthread_mutex_lock(&c->mu);
	for (;;) {
		struct flight *f;

		p = find(c, key.buf, hash);
		if (*p && covers(&(*p)->at, &at)) {
			struct entry *e = *p;

			unlink_use(c, e);
			push_newest(c, e);
			c->hits++;
			rs->status = e->status;
			rs->type = e->type;
			buf_reset(&rs->body);
			__atomic_add_fetch(&e->body->refs, 1, __ATOMIC_RELAXED);
			rs->shared = e->body->data;
			rs->shared_len = e->len;
			rs->release = body_release;
			rs->release_ctx = e->body;
			memcpy(rs->etag, e->etag, sizeof(rs->etag));
			pthread_mutex_unlock(&c->mu);
			buf_release(&key);
			not_modified(rq, rs);
			return 1;
		}
		for (f = c->flights; f; f = f->next)
			if (f->hash == hash && covers(&f->at, &at) &&
			    !strcmp(f->key, key.buf))
				break;
		if (!f)
			break;
		pthread_cond_wait(&c->done, &c->mu);
	}
	c->misses++;
	me.key = key.buf;
	me.hash = hash;
	me.at = at;
	me.next = c->flights;
	c->flights = &me;
	pthread_mutex_unlock(&c->mu);

	render(w, rq, rs);
	if (rs->status == 200 && !rs->location && !rs->filename)
		set_etag(rs->etag, rs->body.buf, rs->body.len);

	pthread_mutex_lock(&c->mu);
	if (*rs->etag)
		store(c, key.buf, hash, &at, rs);
	for (fp = &c->flights; *fp != &me; fp = &(*fp)->next)
		;
	*fp = me.next;
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->mu);
	buf_release(&key);
	not_modified(rq, rs);
	return 1;
}

void
web_cache_stats(struct web_cache *c, unsigned long *hits, unsigned long *misses,
                size_t *bytes)
{
	pthread_mutex_lock(&c->mu);
	*hits = c->hits;
	*misses = c->misses;
	*bytes = c->bytes;
	pthread_mutex_unlock(&c->mu);
}
