/*
 * http.c: the local HTTP server of http.h over libmicrohttpd, with the
 * token, Host, Origin and CSRF checks and the size and connection limits
 * applied before any handler runs (for an API server, only the limits).
 * Tokens come from libsodium's randombytes and are compared in constant
 * time.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "net/http.h"
#include "../lib/banned.h"

#define HOSTS_MAX 4

struct http_server {
	struct MHD_Daemon *d;
	http_handler_fn fn;
	void *ctx;
	size_t body_max;
	size_t upload_max;
	const char *const *upload_paths;
	int api;
	int pages; /* an API server with pages outside /v1/ (opts.pages) */
	int tls;
	unsigned port;
	char token[HTTP_TOKEN_HEX + 1];
	char csrf[HTTP_TOKEN_HEX + 1];
	char cookie[32]; /* the cookie's name: cairn_token_PORT */
	char hosts[HOSTS_MAX + 1][80];
	int nhosts;
	char origin[104];
};

/* One request's state across libmicrohttpd's calls. */
struct conn {
	struct http_req rq;
	struct MHD_PostProcessor *pp;
	int too_large;
	int bad_form;
	size_t seen;
	int set_cookie; /* authenticated by ?token=: hand out the cookie */
	size_t limit;   /* the body's cap on this path */
};

static size_t
body_limit(const struct http_server *s, const char *path)
{
	for (const char *const *p = s->upload_paths; p && *p; p++)
		if (!strcmp(path, *p))
			return s->upload_max;
	return s->body_max;
}

static const char *const security_headers[][2] = {
        {"Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
         "form-action 'self'; base-uri 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
};

int
http_is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

static int
token_ok(const struct http_server *s, const char *t)
{
	return t && strlen(t) == HTTP_TOKEN_HEX &&
	       sodium_memcmp(t, s->token, HTTP_TOKEN_HEX) == 0;
}

static const char *
conn_value(const struct http_req *rq, enum MHD_ValueKind kind, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, kind, name);
}

const char *
http_query(const struct http_req *rq, const char *name)
{
	return conn_value(rq, MHD_GET_ARGUMENT_KIND, name);
}

struct each_arg {
	int (*fn)(void *ctx, const char *name, const char *value);
	void *ctx;
	int rc;
};

static enum MHD_Result
each_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct each_arg *a = cls;

	(void)kind;
	a->rc = a->fn(a->ctx, key, value);
	return a->rc ? MHD_NO : MHD_YES;
}

int
http_query_each(const struct http_req *rq,
                int (*fn)(void *ctx, const char *name, const char *value),
                void *ctx)
{
	struct each_arg a = {fn, ctx, 0};

	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, each_arg,
	                          &a);
	return a.rc;
}

const struct http_field *
http_field_get(const struct http_req *rq, const char *name)
{
	for (size_t i = 0; i < rq->nfields; i++)
		if (!strcmp(rq->fields[i].name, name))
			return &rq->fields[i];
	return NULL;
}

void
http_peer(const struct http_req *rq, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	        rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	*out = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		          out, (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		          &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
		          (socklen_t)len);
}

const char *
http_header(const struct http_req *rq, const char *name)
{
	return conn_value(rq, MHD_HEADER_KIND, name);
}

const char *
http_field(const struct http_req *rq, const char *name)
{
	for (size_t i = 0; i < rq->nfields; i++)
		if (!strcmp(rq->fields[i].name, name))
			return rq->fields[i].value.buf ? rq->fields[i].value.buf
			                               : "";
	return NULL;
}

const char *
http_cookie(const struct http_req *rq, const char *name)
{
	return conn_value(rq, MHD_COOKIE_KIND, name);
}

int
http_page_path(const struct http_server *s, const char *path)
{
	return s->pages && strncmp(path, "/v1/", 4) && strcmp(path, "/v1");
}

int
http_csrf_ok(const struct http_req *rq, const char *want)
{
	const char *got = rq->is_form ? http_field(rq, "csrf")
	                              : http_header(rq, "X-CSRF-Token");

	return got && want && strlen(got) == HTTP_TOKEN_HEX &&
	       strlen(want) == HTTP_TOKEN_HEX &&
	       sodium_memcmp(got, want, HTTP_TOKEN_HEX) == 0;
}

void
http_reply(struct http_resp *rs, int status, const char *type, const char *body)
{
	rs->status = status;
	rs->type = type;
	buf_reset(&rs->body);
	buf_adds(&rs->body, body);
}

void
http_redirect(struct http_resp *rs, const char *location)
{
	rs->status = 303;
	free(rs->location);
	rs->location = xstrdup(location);
	buf_reset(&rs->body);
}

static enum MHD_Result
respond(struct MHD_Connection *mc, const struct http_server *s, int status,
        const char *type, const char *body, size_t len, const char *location,
        const char *filename, const char *etag, int set_cookie,
        const char *cookie, unsigned retry_after, void (*release)(void *),
        void *release_ctx)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	/* A shared body is sent from where it is, and let go of once MHD is
	 * done with it; any other is copied. */
	if (release)
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		        len, (void *)body, release, release_ctx);
	else
		r = MHD_create_response_from_buffer(len, (void *)body,
		                                    MHD_RESPMEM_MUST_COPY);
	if (!r) {
		if (release)
			release(release_ctx);
		return MHD_NO;
	}
	for (size_t i = 0;
	     i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(r, security_headers[i][0],
		                        security_headers[i][1]);
	if (etag && *etag) {
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Cache-Control",
		                        "private, no-cache");
	} else {
		MHD_add_response_header(r, "Cache-Control", "no-store");
	}
	MHD_add_response_header(r, "Content-Type",
	                        type ? type : "text/html; charset=utf-8");
	if (location)
		MHD_add_response_header(r, "Location", location);
	if (retry_after) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%u", retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (filename) {
		char d[160];

		/* The handler names downloads itself ("cairn.json"). */
		snprintf(d, sizeof(d), "attachment; filename=\"%s\"", filename);
		MHD_add_response_header(r, "Content-Disposition", d);
	}
	if (set_cookie) {
		char c[160];

		snprintf(c, sizeof(c),
		         "%s=%s; HttpOnly; SameSite=Strict; Path=/", s->cookie,
		         s->token);
		MHD_add_response_header(r, "Set-Cookie", c);
	}
	if (cookie) {
		char c[320];

		/* A handler's session cookie: Secure whenever served over
		 * TLS (the browser then never sends it in the clear). */
		snprintf(c, sizeof(c), "%s%s", cookie,
		         s->tls ? "; Secure" : "");
		MHD_add_response_header(r, "Set-Cookie", c);
	}
	ret = MHD_queue_response(mc, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A refusal: JSON under /api/ and from an API server, a line of text
 * elsewhere. */
static enum MHD_Result
refuse(struct MHD_Connection *mc, const struct http_server *s, const char *path,
       int status, const char *msg)
{
	struct buf b = BUF_INIT;
	enum MHD_Result ret;

	if ((s->api && !http_page_path(s, path)) ||
	    !strncmp(path, "/api/", 5)) {
		/* msg is a fixed ASCII sentence without quotes. */
		buf_addf(&b, "{\"error\": \"%s\"}\n", msg);
		ret = respond(mc, s, status, "application/json", b.buf, b.len,
		              NULL, NULL, NULL, 0, NULL, 0, NULL, NULL);
	} else {
		buf_addf(&b, "%s\n", msg);
		ret = respond(mc, s, status, "text/plain; charset=utf-8", b.buf,
		              b.len, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL);
	}
	buf_release(&b);
	return ret;
}

static int
host_ok(const struct http_server *s, const char *host)
{
	if (!host)
		return 0;
	for (int i = 0; i < s->nhosts; i++)
		if (!strcasecmp(host, s->hosts[i]))
			return 1;
	return 0;
}

static int
is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static enum MHD_Result
post_field(void *cls, enum MHD_ValueKind kind, const char *key,
           const char *filename, const char *content_type,
           const char *transfer_encoding, const char *data, uint64_t off,
           size_t size)
{
	struct conn *cn = cls;
	struct http_req *rq = &cn->rq;
	struct http_field *f;

	(void)kind, (void)content_type, (void)transfer_encoding;
	/* A value comes in pieces (off > 0 for the rest): append. */
	if (off > 0 && rq->nfields &&
	    !strcmp(rq->fields[rq->nfields - 1].name, key)) {
		f = &rq->fields[rq->nfields - 1];
	} else {
		if (rq->nfields == HTTP_FIELDS_MAX) {
			cn->bad_form = 1;
			return MHD_NO;
		}
		f = &rq->fields[rq->nfields++];
		f->name = xstrdup(key);
		f->filename = filename ? xstrdup(filename) : NULL;
		buf_init(&f->value, 0);
	}
	buf_add(&f->value, data, size);
	return MHD_YES;
}

static void
conn_free(struct conn *cn)
{
	if (!cn)
		return;
	if (cn->pp)
		MHD_destroy_post_processor(cn->pp);
	for (size_t i = 0; i < cn->rq.nfields; i++) {
		free(cn->rq.fields[i].name);
		free(cn->rq.fields[i].filename);
		buf_release(&cn->rq.fields[i].value);
	}
	buf_release(&cn->rq.body);
	free(cn);
}

static void
completed(void *cls, struct MHD_Connection *mc, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)mc, (void)toe;
	conn_free(*con_cls);
	*con_cls = NULL;
}

static int
is_form_type(const char *type)
{
	return type &&
	       (!strncasecmp(type, MHD_HTTP_POST_ENCODING_FORM_URLENCODED,
	                     strlen(MHD_HTTP_POST_ENCODING_FORM_URLENCODED)) ||
	        !strncasecmp(
	                type, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA,
	                strlen(MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA)));
}

/*
 * Whether a write comes from the server's own pages (or from a client
 * that is no browser).  A browser names the page's origin in Origin, or,
 * under Referrer-Policy: no-referrer, sends "Origin: null" and says
 * where the request comes from in Sec-Fetch-Site.  So: a Sec-Fetch-Site
 * other than same-origin or none (typed by the user) is refused; an
 * Origin must be the server's own, and "null" counts only with
 * Sec-Fetch-Site: same-origin.  Without either header the client is not
 * a browser, and the CSRF token still has to match.
 */
static int
same_origin(const struct http_server *s, const char *host, const char *origin,
            const char *fetch_site)
{
	char want[96];

	if (fetch_site && strcmp(fetch_site, "same-origin") &&
	    strcmp(fetch_site, "none"))
		return 0;
	if (!origin)
		return 1;
	if (!strcmp(origin, "null"))
		return fetch_site && !strcmp(fetch_site, "same-origin");
	snprintf(want, sizeof(want), "%s://%s", s->tls ? "https" : "http",
	         host);
	return !strcasecmp(origin, want);
}

/*
 * The checks that need only the request line and headers: Host, token,
 * Origin, the declared length.  0 when they pass, else the response has
 * been queued.
 */
static int
precheck(struct http_server *s, struct MHD_Connection *mc, struct conn *cn,
         const char *url, const char *method, enum MHD_Result *ret)
{
	struct http_req *rq = &cn->rq;
	const char *host = http_header(rq, "Host");
	const char *auth = http_header(rq, "Authorization");
	const char *origin = http_header(rq, "Origin");
	const char *fetch_site = http_header(rq, "Sec-Fetch-Site");
	const char *len = http_header(rq, "Content-Length");
	int authed = 0;

	if (s->api && !http_page_path(s, url))
		goto length;
	if (!host_ok(s, host)) {
		*ret = refuse(mc, s, url, 403, "forbidden: unknown Host");
		return -1;
	}
	if (s->api) /* a page: its handler checks the session */
		goto origin;
	if (auth && !strncasecmp(auth, "Bearer ", 7))
		authed = token_ok(s, auth + 7);
	if (!authed)
		authed =
		        token_ok(s, conn_value(rq, MHD_COOKIE_KIND, s->cookie));
	if (!authed && token_ok(s, http_query(rq, "token")))
		authed = cn->set_cookie = 1;
	if (!authed) {
		*ret = refuse(mc, s, url, 401,
		              "unauthorized: open the URL cairn serve printed");
		return -1;
	}
origin:
	if (is_write(method) && !same_origin(s, host, origin, fetch_site)) {
		*ret = refuse(mc, s, url, 403,
		              "forbidden: cross-origin request");
		return -1;
	}
length:
	cn->limit = body_limit(s, url);
	if (len && strtoull(len, NULL, 10) > cn->limit) {
		*ret = refuse(mc, s, url, 413, "request body too large");
		return -1;
	}
	return 0;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *mc, const char *url,
       const char *method, const char *version, const char *upload,
       size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn *cn = *con_cls;
	struct http_resp rs = {.status = 200, .body = BUF_INIT};
	enum MHD_Result ret;

	(void)version;
	if (!cn) {
		cn = xcalloc(1, sizeof(*cn));
		cn->rq.conn = mc;
		cn->rq.method = method;
		cn->rq.path = url;
		buf_init(&cn->rq.body, 0);
		*con_cls = cn;
		if (precheck(s, mc, cn, url, method, &ret))
			return ret;
		if ((!s->api || http_page_path(s, url)) && is_write(method) &&
		    is_form_type(http_header(&cn->rq, "Content-Type"))) {
			cn->rq.is_form = 1;
			cn->pp = MHD_create_post_processor(mc, 16384,
			                                   post_field, cn);
			if (!cn->pp)
				return refuse(mc, s, url, 400,
				              "malformed form encoding");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		cn->seen += *upload_size;
		if (cn->seen > cn->limit)
			cn->too_large = 1;
		else if (cn->pp && !cn->bad_form)
			cn->bad_form =
			        MHD_post_process(cn->pp, upload,
			                         *upload_size) != MHD_YES;
		else if (!cn->pp)
			buf_add(&cn->rq.body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (cn->too_large)
		return refuse(mc, s, url, 413, "request body too large");
	if (cn->bad_form)
		return refuse(mc, s, url, 400, "malformed form");
	if (!s->api && is_write(method)) {
		if (!http_csrf_ok(&cn->rq, s->csrf))
			return refuse(mc, s, url, 403,
			              "forbidden: missing or wrong CSRF token");
	}
	buf_init(&rs.body, 0);
	s->fn(s->ctx, &cn->rq, &rs);
	if (rs.shared)
		ret = respond(mc, s, rs.status, rs.type, rs.shared,
		              rs.shared_len, rs.location, rs.filename, rs.etag,
		              cn->set_cookie, rs.cookie, rs.retry_after,
		              rs.release, rs.release_ctx);
	else
		ret = respond(mc, s, rs.status, rs.type,
		              rs.body.buf ? rs.body.buf : "", rs.body.len,
		              rs.location, rs.filename, rs.etag, cn->set_cookie,
		              rs.cookie, rs.retry_after, NULL, NULL);
	buf_release(&rs.body);
	free(rs.location);
	free(rs.cookie);
	free(rs.filename);
	return ret;
}

static int
parse_addr(const char *bind, unsigned port, struct sockaddr_storage *ss,
           int *v6)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, bind, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, bind, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return 0;
	}
	return -1;
}

int
http_start(struct http_server **out, const struct http_server_opts *o,
           http_handler_fn fn, void *ctx, struct cairn_err *err)
{
	const char *bind = o->bind ? o->bind : "127.0.0.1";
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct http_server *s;
	unsigned char raw[32];
	struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL},
	                                {MHD_OPTION_END, 0, NULL},
	                                {MHD_OPTION_END, 0, NULL}};
	int v6;

	*out = NULL;
	if (o->port > 65535)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "port %u is out of range (0 to 65535)",
		                     o->port);
	if (parse_addr(bind, o->port, &ss, &v6))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not an IP address", bind);
	if (!http_is_loopback(bind) && !o->allow_remote)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not a loopback address; "
		                     "--allow-remote lets others on the "
		                     "network reach the store",
		                     bind);
	if (sodium_init() < 0)
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot initialise libsodium");
	if (o->token &&
	    (strlen(o->token) != HTTP_TOKEN_HEX ||
	     strspn(o->token, "0123456789abcdef") != HTTP_TOKEN_HEX))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "the token must be %d hex digits",
		                     HTTP_TOKEN_HEX);
	if (!o->tls_cert != !o->tls_key)
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "TLS needs both a certificate and its key");
	if (o->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "this libmicrohttpd has no TLS");
		tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0,
		                                 (void *)o->tls_key};
		tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0,
		                                 (void *)o->tls_cert};
	}
	s = xcalloc(1, sizeof(*s));
	s->api = o->api;
	s->pages = o->api && o->pages;
	s->tls = o->tls_cert != NULL;
	s->fn = fn;
	s->ctx = ctx;
	s->body_max = o->body_max;
	s->upload_max = o->upload_max;
	s->upload_paths = o->upload_paths;
	if (o->token) {
		memcpy(s->token, o->token, HTTP_TOKEN_HEX + 1);
		sodium_hex2bin(raw, sizeof(raw), s->token, HTTP_TOKEN_HEX, NULL,
		               NULL, NULL);
	} else {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(s->token, sizeof(s->token), raw, sizeof(raw));
	}
	/* The CSRF token is bound to the session's: a keyed hash of it. */
	{
		unsigned char mac[32];

		crypto_generichash(mac, sizeof(mac),
		                   (const unsigned char *)"cairn csrf", 10, raw,
		                   sizeof(raw));
		sodium_bin2hex(s->csrf, sizeof(s->csrf), mac, sizeof(mac));
	}
	/* A thread per connection (threads 0), or a pool of threads each
	 * polling its share of the connections. */
	s->d = MHD_start_daemon(
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
	                (o->threads ? 0 : MHD_USE_THREAD_PER_CONNECTION) |
	                (v6 ? MHD_USE_IPv6 : 0) |
	                (o->tls_cert ? MHD_USE_TLS : 0),
	        (uint16_t)o->port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR,
	        (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
	        o->conn_limit, MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
	        MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 1,
	        MHD_OPTION_NOTIFY_COMPLETED, completed, (void *)s,
	        MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
	if (!s->d) {
		free(s);
		if (o->tls_cert)
			return cairn_err_set(
			        err, CAIRN_EINVAL,
			        "cannot serve HTTPS on %s port %u "
			        "(a bad certificate or key, or the "
			        "port in use)",
			        bind, o->port);
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot listen on %s port %u (in use?)",
		                     bind, o->port);
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : o->port;
	snprintf(s->cookie, sizeof(s->cookie), "cairn_token_%u", s->port);
	snprintf(s->hosts[s->nhosts++], sizeof(s->hosts[0]), "127.0.0.1:%u",
	         s->port);
	snprintf(s->hosts[s->nhosts++], sizeof(s->hosts[0]), "localhost:%u",
	         s->port);
	snprintf(s->hosts[s->nhosts++], sizeof(s->hosts[0]), "[::1]:%u",
	         s->port);
	if (!http_is_loopback(bind))
		snprintf(s->hosts[s->nhosts++], sizeof(s->hosts[0]),
		         v6 ? "[%s]:%u" : "%s:%u", bind, s->port);
	if (o->host && *o->host)
		snprintf(s->hosts[s->nhosts++], sizeof(s->hosts[0]), "%s",
		         o->host);
	snprintf(s->origin, sizeof(s->origin),
	         v6 ? "%s://[%s]:%u" : "%s://%s:%u",
	         o->tls_cert ? "https" : "http", bind, s->port);
	*out = s;
	return 0;
}

void
http_stop(struct http_server *s)
{
	struct timespec nap = {0, 20 * 1000 * 1000};
	MHD_socket listen_fd;

	if (!s)
		return;
	/* No new connections; the listening socket is now ours to close. */
	listen_fd = MHD_quiesce_daemon(s->d);
	for (int i = 0; i < 250; i++) {
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(
		        s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

		if (!info || !info->num_connections)
			break;
		nanosleep(&nap, NULL);
	}
	MHD_stop_daemon(s->d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	sodium_memzero(s->token, sizeof(s->token));
	free(s);
}

unsigned
http_port(const struct http_server *s)
{
	return s->port;
}

const char *
http_token(const struct http_server *s)
{
	return s->token;
}

const char *
http_csrf(const struct http_server *s)
{
	return s->csrf;
}

const char *
http_origin(const struct http_server *s)
{
	return s->origin;
}
