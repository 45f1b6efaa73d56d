/*
 * route.c: the top of every request (the stylesheet, /api/, the pages),
 * the mapping of library errors to HTTP status codes, and the change
 * bracket every write goes through.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

int
web_status(int code)
{
	switch (code) {
	case 0:
		return 200;
	case CAIRN_EINVAL:
		return 422;
	case CAIRN_ENOTFOUND:
		return 404;
	case CAIRN_ECYCLE:
	case CAIRN_EEXIST:
	case CAIRN_ESTATE:
		return 409;
	case CAIRN_EBUSY:
		return 503;
	case CAIRN_EREADONLY:
		return 403;
	default:
		return 500;
	}
}

int
web_begin(struct web *w, const char *label, struct cairn_err *err)
{
	return cairn_store_begin(w->st, label, err);
}

int
web_end(struct web *w, int rc, struct cairn_err *err)
{
	if (rc) {
		cairn_store_rollback(w->st);
		return rc;
	}
	if ((rc = cairn_store_commit(w->st, err)))
		return rc;
	web_wrote(w);
	return 0;
}

const char *const web_upload_paths[] = {"/import", "/api/import",
                                        "/papers/import", NULL};

void
web_wrote(struct web *w)
{
	__atomic_add_fetch(&w->ws->writes, 1, __ATOMIC_RELAXED);
}

void
web_reply_json(struct http_resp *rs, int status, json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                                JSON_ESCAPE_SLASH |
	                                JSON_REAL_PRECISION(15));

	http_reply(rs, status, "application/json", s ? s : "null");
	buf_addch(&rs->body, '\n');
	free(s);
	json_decref(v);
}

void
web_error(struct web *w, struct http_resp *rs, int api, int status,
          const char *msg)
{
	buf_reset(&rs->body);
	rs->status = status;
	if (api) {
		json_t *o = json_object();

		json_object_set_new(o, "error", json_string(msg));
		web_reply_json(rs, status, o);
		return;
	}
	rs->type = NULL;
	html_begin(w, &rs->body, "Not done");
	html_addf(&rs->body,
	          "<p class=\"error\" role=\"alert\">%s</p>"
	          "<p><a href=\"/roadmap\">Back to the roadmap</a></p>",
	          msg);
	html_end(&rs->body);
}

int64_t
web_id(const char *s, const char **rest)
{
	char seg[32];
	size_t n = strcspn(s, "/");
	int64_t id;

	if (rest)
		*rest = s + n;
	if (n == 0 || n >= sizeof(seg))
		return 0;
	memcpy(seg, s, n);
	seg[n] = '\0';
	if (cairn_id_parse(seg, &id, NULL))
		return 0;
	return id;
}

void
web_server_init(struct web_server *ws, const char *path)
{
	memset(ws, 0, sizeof(*ws));
	ws->path = path;
	pthread_mutex_init(&ws->mu, NULL);
	pthread_mutex_init(&ws->write_mu, NULL);
	ws->cache = web_cache_new(WEB_CACHE_BYTES);
}

void
web_server_release(struct web_server *ws)
{
	for (size_t i = 0; i < ws->nstores; i++)
		cairn_store_free(ws->stores[i]);
	ws->nstores = ws->nfree = 0;
	pthread_mutex_destroy(&ws->mu);
	pthread_mutex_destroy(&ws->write_mu);
	web_cache_free(ws->cache);
	ws->cache = NULL;
}

/*
 * A connection to the store for one request, from those the server has
 * opened and not in use (a new one when none is free): SQLite
 * connections are not used by two threads at once, and with one each
 * the readers run side by side (WAL) while writers take the store's lock
 * in turn, as separate processes would.
 */
static struct cairn_store *
store_take(struct web_server *ws, struct cairn_err *err)
{
	struct cairn_store *st;

	pthread_mutex_lock(&ws->mu);
	if (ws->nfree) {
		st = ws->free[--ws->nfree];
		pthread_mutex_unlock(&ws->mu);
		return st;
	}
	if (ws->nstores == WEB_STORES_MAX) {
		pthread_mutex_unlock(&ws->mu);
		cairn_err_set(err, CAIRN_EBUSY, "too many requests at once");
		return NULL;
	}
	if (cairn_store_open(&st, ws->path, 0, err)) {
		pthread_mutex_unlock(&ws->mu);
		return NULL;
	}
	ws->stores[ws->nstores++] = st;
	pthread_mutex_unlock(&ws->mu);
	return st;
}

static void
store_give(struct web_server *ws, struct cairn_store *st)
{
	pthread_mutex_lock(&ws->mu);
	ws->free[ws->nfree++] = st;
	pthread_mutex_unlock(&ws->mu);
}

/* A request past the static files, with the thread's store. */
static void
render(struct web *w, struct http_req *rq, struct http_resp *rs)
{
	if (!strncmp(rq->path, "/api/", 5))
		api_handle(w, rq, rs);
	else
		pages_handle(w, rq, rs);
}

void
web_handle(void *ctx, struct http_req *rq, struct http_resp *rs)
{
	struct web_server *ws = ctx;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct web one = {ws, NULL, ws->srv}, *w = &one;

	if (!strcmp(rq->path, "/static/style.css")) {
		http_reply(rs, 200, "text/css; charset=utf-8", web_style_css);
		return;
	}
	if (!strcmp(rq->path, "/static/live.js")) {
		http_reply(rs, 200, "text/javascript; charset=utf-8",
		           web_live_js);
		return;
	}
	if (!(one.st = store_take(ws, &err))) {
		http_reply(rs, web_status(err.code),
		           "text/plain; charset=utf-8", err.msg);
		return;
	}
	if (web_cache_serve(w, rq, rs, render)) {
		/* answered */
	} else if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
		/* This server's writers queue here, woken in turn, rather than
		 * poll the store's lock against each other. */
		pthread_mutex_lock(&ws->write_mu);
		render(w, rq, rs);
		pthread_mutex_unlock(&ws->write_mu);
	} else {
		render(w, rq, rs);
	}
	store_give(ws, one.st);
}
