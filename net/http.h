/*
 * http.h: a local HTTP server over libmicrohttpd with the defences of a
 * local UI (Jupyter's, Syncthing's) built in, for `cairn serve` and the
 * servers that come after it.  A handler sees only requests that passed
 * every check; the refusals are made here, before it runs:
 *
 *  - Host: one of 127.0.0.1:PORT, localhost:PORT, [::1]:PORT (and the
 *    bound address with allow_remote); else 403, even with the token.
 *    This blocks DNS rebinding.
 *  - The token: ?token= once (then an HttpOnly SameSite=Strict cookie),
 *    the cookie, or `Authorization: Bearer TOKEN`; else 401.
 *  - Writes (any method but GET and HEAD): an Origin header, when present,
 *    must be the server's own origin, and the CSRF token (form field
 *    `csrf` or header X-CSRF-Token) must match the session's; else 403.
 *  - The body: at most body_max bytes (upload_max on upload_paths),
 *    else 413.  Connections: at most
 *    conn_limit at once, each closed after timeout_s idle seconds.
 *
 * An API server (opts.api: the hub) drops the first three: its handler
 * authenticates every request itself (a device token in Authorization:
 * Bearer, looked up in its database), sends no cookies and so needs no
 * CSRF defence, and serves clients that are not browsers; the body and
 * connection limits stay, and every refusal is JSON.  Either kind can
 * serve HTTPS (opts.tls_cert and tls_key).
 *
 * Every response carries Content-Security-Policy (default-src 'self',
 * frame-ancestors 'none'), X-Content-Type-Options, Referrer-Policy and
 * Cache-Control (no-store, unless the handler gave the reply an ETag)
 * headers.  Requests are handled by a pool of the server's
 * own threads (opts.threads), or by a thread per connection.
 */
#ifndef CAIRN_NET_HTTP_H
#define CAIRN_NET_HTTP_H

#include <stddef.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"

#define HTTP_TOKEN_HEX  64 /* 32 random bytes, hex */
#define HTTP_FIELDS_MAX 64
#define HTTP_ETAG_LEN   24 /* a quoted validator and its NUL */

struct http_server_opts {
	const char *bind; /* an IP address; NULL: 127.0.0.1 */
	unsigned port;    /* 0: any free port */
	int allow_remote; /* a non-loopback bind is refused without it */
	size_t body_max;  /* bytes */
	unsigned conn_limit;
	unsigned timeout_s;
	const char *token; /* NULL: a fresh random one (tests pass theirs) */
	unsigned threads;  /* pool threads; 0: a thread per connection */
	/* Paths that take uploads (NULL-terminated; NULL: none), whose
	 * bodies may be up to upload_max bytes instead of body_max. */
	const char *const *upload_paths;
	size_t upload_max;
	/* An API server: no session token, Host, Origin or CSRF checks
	 * (the handler authenticates), JSON refusals. */
	int api;
	/* With api: the paths outside /v1/ are pages for browsers whose
	 * handler keeps its own sessions (the hub's lab pages): Host and
	 * Origin are checked there as for a local UI, and forms parsed, but
	 * the session and its CSRF token are the handler's to check
	 * (http_cookie, http_csrf_ok); refusals are text. */
	int pages;
	/* One more Host the server answers to ("lab.example.org" or
	 * "lab.example.org:8443": a name it is reached by); NULL: none. */
	const char *host;
	/* HTTPS: the certificate (chain) and its key, PEM text (not file
	 * names), kept by the caller until http_stop; NULL: plain HTTP. */
	const char *tls_cert;
	const char *tls_key;
};

#define HTTP_SERVER_OPTS_INIT                                                  \
	{                                                                      \
		NULL, 0, 0, 1 << 20, 64, 10, NULL, 4, NULL, 64 << 20, 0, 0,    \
		        NULL, NULL, NULL                                       \
	}

struct http_field {
	char *name;
	char *filename; /* an uploaded file's name, else NULL */
	struct buf value;
};

struct http_req {
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* without the query */
	struct buf body;    /* a raw body (JSON); empty for a form */
	struct http_field fields[HTTP_FIELDS_MAX]; /* a form's fields */
	size_t nfields;
	int is_form;
	void *conn; /* libmicrohttpd's connection */
};

struct http_resp {
	int status;
	const char *type; /* Content-Type; NULL: text/html */
	struct buf body;
	char *location; /* for redirects */
	char *filename; /* a download: Content-Disposition: attachment */
	/* A validator ("..."), or "": sent as ETag, with Cache-Control:
	 * private, no-cache instead of no-store, so the browser may keep
	 * the reply and ask If-None-Match. */
	char etag[HTTP_ETAG_LEN];
	unsigned retry_after; /* seconds, sent as Retry-After; 0: none */
	/* A Set-Cookie value the handler sets (malloc'd; "; Secure" is
	 * added under TLS), or NULL. */
	char *cookie;
	/* A body the handler shares instead of building one in body (a
	 * cached reply): sent as it is, and release(release_ctx) called once
	 * it is sent or dropped.  NULL: body. */
	const char *shared;
	size_t shared_len;
	void (*release)(void *ctx);
	void *release_ctx;
};

struct http_server;
typedef void (*http_handler_fn)(void *ctx, struct http_req *rq,
                                struct http_resp *rs);

/*
 * Start serving on opts' address in a thread of the server's own.
 * CAIRN_EINVAL for a bad address or a non-loopback one without
 * allow_remote, or a TLS key or certificate that does not load;
 * CAIRN_EDB when the socket cannot be bound.
 */
int http_start(struct http_server **out, const struct http_server_opts *opts,
               http_handler_fn fn, void *ctx, struct cairn_err *err);
/* Stop taking connections, let those in flight finish (up to a few
 * seconds), then stop; NULL is fine. */
void http_stop(struct http_server *s);

unsigned http_port(const struct http_server *s);
const char *http_token(const struct http_server *s);
/* The CSRF token pages put in their forms. */
const char *http_csrf(const struct http_server *s);
/* "http://127.0.0.1:PORT" (or the bound address; https with TLS). */
const char *http_origin(const struct http_server *s);
/* 1 when addr is a loopback address (127.0.0.0/8, ::1). */
int http_is_loopback(const char *addr);

/* The client's address as text in out (at least 48 bytes); "" when
 * unknown. */
void http_peer(const struct http_req *rq, char *out, size_t len);

/* The value of a query argument, form field or header; NULL when absent. */
const char *http_query(const struct http_req *rq, const char *name);
const char *http_field(const struct http_req *rq, const char *name);
const char *http_header(const struct http_req *rq, const char *name);
/* Call fn on each query argument in the order sent; stops at the first
 * fn that returns non-zero and returns that. */
int http_query_each(const struct http_req *rq,
                    int (*fn)(void *ctx, const char *name, const char *value),
                    void *ctx);
/* A form field with its length and file name (uploads); NULL: absent. */
const struct http_field *http_field_get(const struct http_req *rq,
                                        const char *name);

/* A cookie the request carries; NULL when absent. */
const char *http_cookie(const struct http_req *rq, const char *name);
/* 1 when path is one of a pages server's pages (opts.pages), not /v1/. */
int http_page_path(const struct http_server *s, const char *path);
/* 1 when a write carries CSRF token want (form field csrf, or header
 * X-CSRF-Token), compared in constant time. */
int http_csrf_ok(const struct http_req *rq, const char *want);

/* Set rs to a body of the given type (NULL: text/html). */
void http_reply(struct http_resp *rs, int status, const char *type,
                const char *body);
/* 303 See Other to location. */
void http_redirect(struct http_resp *rs, const char *location);

#endif
