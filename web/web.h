/*
 * web.h: the pages and the JSON API of `cairn serve`, a front end beside
 * the CLI.  Like cli/, it never sees SQLite: it calls include/cairn/, and
 * every write is one change through cairn_store_begin/commit, with the
 * same checks and the same one-line errors as the CLI's.
 *
 *   route.c   the routing table and the error-to-status mapping
 *   html.c    escaping and the page frame
 *   api.c     /api/: JSON with the shapes of --json
 *   pages.c   the HTML pages and their form posts
 *   transfer.c  import by upload, export by download, publish preview
 *   views.c   look back, predictions and calibration
 *   papers.c  the reading list and BibTeX upload
 *   cache.c   rendered replies kept while the store stays as it was
 */
#ifndef CAIRN_WEB_H
#define CAIRN_WEB_H

#include <jansson.h>
#include <pthread.h>

#include "cairn/cairn.h"
#include "net/http.h"

/*
 * What the server's threads share: the store's path, the connections to
 * it (opened when a request finds none free, closed by
 * web_server_release), and the count of changes made.  A request takes
 * one connection and gives it back when done.
 */
#define WEB_STORES_MAX 64
/* The bytes of rendered replies the server keeps. */
#define WEB_CACHE_BYTES ((size_t)32 << 20)

struct web_cache;

struct web_server {
	const char *path;
	struct http_server *srv;
	pthread_mutex_t mu;       /* the connections */
	pthread_mutex_t write_mu; /* held by a request that writes */
	struct cairn_store *stores[WEB_STORES_MAX];
	struct cairn_store *free[WEB_STORES_MAX];
	size_t nstores, nfree;
	unsigned long writes; /* changes committed (atomic) */
	struct web_cache *cache;
};

/* One request's view: its store connection and the server. */
struct web {
	struct web_server *ws;
	struct cairn_store *st;
	struct http_server *srv;
};

void web_server_init(struct web_server *ws, const char *path);
/* Close every connection to the store (after http_stop). */
void web_server_release(struct web_server *ws);

/* The request handler http_start runs (ctx is a struct web_server). */
void web_handle(void *ctx, struct http_req *rq, struct http_resp *rs);

/* cache.c */
struct web_cache *web_cache_new(size_t cap);
void web_cache_free(struct web_cache *c);
/*
 * Answer a GET of a cacheable path (the pages and API reads made of the
 * store, the date, the query and the session) from the cache, or by
 * render, keeping the reply; either way with an ETag, and 304 for a
 * matching If-None-Match.  0, leaving rs alone, for any other request.
 */
int web_cache_serve(struct web *w, struct http_req *rq, struct http_resp *rs,
                    void (*render)(struct web *, struct http_req *,
                                   struct http_resp *));
void web_cache_stats(struct web_cache *c, unsigned long *hits,
                     unsigned long *misses, size_t *bytes);

/* route.c */
/* The HTTP status for a library error code. */
int web_status(int code);
/* Begin a change labelled label; 0, or the error in err. */
int web_begin(struct web *w, const char *label, struct cairn_err *err);
/* Commit, or roll back when rc is not 0; returns rc or the commit's error. */
int web_end(struct web *w, int rc, struct cairn_err *err);
/* Count a change committed by a library call that commits by itself. */
void web_wrote(struct web *w);
/* Reply with v as JSON (steals it), as every API answer is written. */
void web_reply_json(struct http_resp *rs, int status, json_t *v);
/* An error: {"error": msg} under the API (api), else the error page. */
void web_error(struct web *w, struct http_resp *rs, int api, int status,
               const char *msg);
/* An item id from a path segment ("12"); 0 when it is not one. */
int64_t web_id(const char *s, const char **rest);

/* html.c */
/* printf-style, with every %s argument escaped (no other conversions
 * but %lld, %d, %zu and %%). */
void html_addf(struct buf *out, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Pieces of pages the hub's lab pages show too (pages.c): a goal's
 * forecast (chance, P50/P80/P95, the histogram of finish dates), and
 * a week's time against the focus targets with the WIP limit. */
void html_forecast(struct buf *out, const struct cairn_goal_forecast *fc);
void html_focus_section(struct buf *out, const struct cairn_focus_report *r);
void html_begin(struct web *w, struct buf *out, const char *title);
void html_end(struct buf *out);
/* The hidden CSRF field every form carries. */
void html_csrf(struct web *w, struct buf *out);
/* The yes and no buttons that resolve prediction pid; back (NULL: the
 * dashboard) is the page to return to. */
void html_resolve_buttons(struct web *w, struct buf *out, int64_t pid,
                          const char *back);

/* api.c: the writes, one change each, shared by the API and the pages */
int web_item_add(struct web *w, const char *kind, const char *title,
                 int64_t parent, const char *const *fields,
                 const char *const *values, size_t nfields,
                 const char *const *tags, size_t ntags, int64_t *id,
                 struct cairn_err *err);
/* Set field to value (its text form, as `cairn set`); "parent" moves the
 * item (an id, or "" / "none" for the top).  Inside an open change. */
int web_item_set(struct web *w, int64_t id, const char *field,
                 const char *value, struct cairn_err *err);
/* The status a verb (start, pause, done, drop) sets; -1 for another. */
int web_verb_status(const char *verb);
int web_set_status(struct web *w, int64_t id, const char *verb, const char *why,
                   struct cairn_err *err);
int web_edge(struct web *w, int64_t id, int64_t prereq, int add,
             struct cairn_err *err);
int web_note(struct web *w, int64_t id, const char *text,
             struct cairn_err *err);
int web_undo(struct web *w, int redo, struct cairn_err *err);
/* Log duration ("90m", "1h30m") on item id at date (NULL or "": today). */
int web_log_time(struct web *w, int64_t id, const char *duration,
                 const char *date, const char *note, struct cairn_err *err);
/* Log value (text, as the CLI takes it) on item id's metric name. */
int web_metric_log(struct web *w, int64_t id, const char *name,
                   const char *value, const char *date, struct cairn_err *err);
/* Add a prediction from its text fields (p as the CLI takes it: 0.7 or
 * 70%; by, item and who may be NULL or ""). */
int web_prediction_add(struct web *w, const char *statement, const char *p,
                       const char *by, const char *item, const char *who,
                       int64_t *id, struct cairn_err *err);
/* Resolve prediction pid with outcome "yes" or "no". */
int web_resolve(struct web *w, int64_t pid, const char *outcome,
                const char *why, struct cairn_err *err);
/* Query argument name as a whole number in [min, max] into *out (left
 * alone when absent); CAIRN_EINVAL naming it otherwise. */
int web_query_uint(const struct http_req *rq, const char *name, uint64_t min,
                   uint64_t max, uint64_t *out, struct cairn_err *err);
/* A web forecast is smaller than the CLI's largest: it holds the server. */
#define WEB_MAX_TRIALS 1000000
/* Forecast goal with the request's trials, seed and capacity; release fc
 * also after an error. */
int web_forecast(struct web *w, const struct http_req *rq, int64_t goal,
                 struct cairn_goal_forecast *fc, struct cairn_err *err);
void api_handle(struct web *w, struct http_req *rq, struct http_resp *rs);
/* transfer.c */
void transfer_export(struct web *w, struct http_req *rq, struct http_resp *rs,
                     int api);
void transfer_import(struct web *w, struct http_req *rq, struct http_resp *rs,
                     int api);
void transfer_page(struct web *w, struct http_resp *rs);
void transfer_publish(struct web *w, const char *path, struct http_resp *rs);
/* The paths that take uploads, for http_server_opts. */
extern const char *const web_upload_paths[];

/* views.c */
void views_lookback(struct web *w, struct http_req *rq, struct http_resp *rs);
void views_predictions(struct web *w, struct http_resp *rs);

/* papers.c */
void papers_page(struct web *w, struct http_resp *rs);
int papers_set_status(struct web *w, const char *key, const char *status,
                      struct cairn_err *err);
int papers_import(struct web *w, const struct http_field *file,
                  struct cairn_import_stats *stats, struct cairn_err *err);

/* pages.c */
void pages_handle(struct web *w, struct http_req *rq, struct http_resp *rs);

extern const char web_style_css[];
extern const char web_live_js[];

#endif
