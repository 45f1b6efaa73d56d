/*
 * route.c: the top of every request (the stylesheet, /api/, the pages),
 * the mapping of library errors to HTTP status codes, and the change
 * bracket every write goes through.
 */
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
	w->writes++;
	return 0;
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
web_handle(void *ctx, struct http_req *rq, struct http_resp *rs)
{
	struct web *w = ctx;

	if (!strcmp(rq->path, "/static/style.css")) {
		http_reply(rs, 200, "text/css; charset=utf-8", web_style_css);
		return;
	}
	if (!strcmp(rq->path, "/static/live.js")) {
		http_reply(rs, 200, "text/javascript; charset=utf-8",
		           web_live_js);
		return;
	}
	if (!strncmp(rq->path, "/api/", 5)) {
		api_handle(w, rq, rs);
		return;
	}
	pages_handle(w, rq, rs);
}
