/*
 * api.c: the hub's HTTP side: routing, authentication, rate limits,
 * enrolment and health, and starting and stopping the server.
 *
 * Over net/http.c in its API mode (no session token, Host, Origin or
 * CSRF check there; its body and connection limits and TLS) for /v1/,
 * with the lab's pages for browsers everywhere else (web.c: Host and
 * Origin checked by net/http.c, the session and CSRF by web.c).  Each
 * request: the route (404, 405), then the device token for every
 * endpoint but health and enrolment (401), then the rate limit of the
 * device, or of the client's address for a request without a valid
 * token (429 with Retry-After), then the endpoint, with a database
 * connection from the pool.  A connection taken idle from the pool
 * may have lost its server (PostgreSQL restarted): then the request is
 * run once more on a fresh one, which is safe because every endpoint
 * either changes nothing or is idempotent (a push), and a failed one
 * rolled back.  When the database cannot be reached: 503.
 *
 * Tokens: 32 random bytes, hex; the hub keeps crypto_generichash of
 * them and looks the hash up (an index search on a hash tells nothing of
 * the token, so there is no comparison to make constant-time).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hub/hub-int.h"
#include "../lib/banned.h"

#define RATE_DEFAULT 600

int
hub_refuse(struct http_resp *rs, int status, const char *fmt, ...)
{
	char msg[512];
	json_t *j;
	char *text;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j = json_pack("{s:s}", "error", msg);
	/* A message quoting invalid UTF-8 is not a JSON string. */
	if (!j)
		j = json_pack("{s:s}", "error", "malformed request");
	text = json_dumps(j, JSON_COMPACT);
	http_reply(rs, status, "application/json", text);
	free(text);
	json_decref(j);
	return status;
}

int
hub_db_fail(struct hub_call *x, const struct cairn_err *err)
{
	if (PQstatus(x->db) != CONNECTION_OK)
		return hub_refuse(x->rs, 503, "the database is unreachable");
	if (PQtransactionStatus(x->db) != PQTRANS_IDLE)
		PQclear(PQexec(x->db, "ROLLBACK"));
	/* Data PostgreSQL would not take (SQLSTATE class 22: a value out
	 * of range, an escape jsonb does not allow) is the client's. */
	if (err->code == CAIRN_EINVAL)
		return hub_refuse(x->rs, 400,
		                  "a value the database refuses: %s", err->msg);
	return hub_refuse(x->rs, 500, "the database failed: %s", err->msg);
}

/* FNV-1a, for the rate table's slots. */
static uint64_t
key_hash(const char *kind, const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = kind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (const char *p = s; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

/*
 * Count a request against key's last minute; 0 when it is within the
 * rate, else the seconds to wait.  A sliding window: the minute before
 * counts for the part of it still within 60 s, so a burst across a minute
 * boundary is held to the rate as one inside a minute is.  A slot holds
 * one key: a key that collides with another takes its slot over (a fresh
 * count), so the limit is approximate when more than HUB_RATE_SLOTS keys
 * are active.
 */
unsigned
hub_rate_take(struct hub *h, const char *kind, const char *s)
{
	struct hub_rate *rt = &h->rate;
	uint64_t key = key_hash(kind, s);
	struct hub_rate_slot *sl = &rt->slot[key % HUB_RATE_SLOTS];
	time_t now = time(NULL);
	int64_t minute = (int64_t)now / 60, left = 60 - (int64_t)now % 60;
	int64_t limit = rt->per_min;
	unsigned wait = 0;

	pthread_mutex_lock(&rt->mu);
	if (sl->key != key) {
		sl->key = key;
		sl->count = sl->prev = 0;
	} else if (sl->minute != minute) {
		sl->prev = sl->minute + 1 == minute ? sl->count : 0;
		sl->count = 0;
	}
	sl->minute = minute;
	/* In sixtieths of a request: the part of the minute before that is
	 * still within the window, and this minute's. */
	if (sl->prev * left + sl->count * 60 >= limit * 60) {
		int64_t t;

		if (sl->count >= limit) /* into the next minute, where this
		                         * one's count has fallen enough */
			t = left + 60 - limit * 60 / sl->count + 1;
		else
			t = left - (limit - sl->count) * 60 / sl->prev + 1;
		wait = (unsigned)(t < 1 ? 1 : t > 60 ? 60 : t);
	} else {
		sl->count++;
	}
	pthread_mutex_unlock(&rt->mu);
	return wait;
}

static int
rate_refuse(struct hub_call *x, unsigned wait)
{
	x->rs->retry_after = wait;
	return hub_refuse(x->rs, 429, "too many requests; retry in %u s", wait);
}

/* The device whose token the request carries: 0 and x's ids set, or the
 * status of the refusal (401, 503). */
static int
authenticate(struct hub_call *x)
{
	const char *auth = http_header(x->rq, "Authorization");
	unsigned char raw[32];
	char hash[HUB_HASH_PARAM];
	const char *p[] = {hash};
	struct cairn_err err = CAIRN_ERR_INIT;
	size_t len;
	PGresult *r;
	int status = 0;

	if (!auth || strncasecmp(auth, "Bearer ", 7))
		return hub_refuse(x->rs, 401,
		                  "no device token (Authorization: Bearer)");
	auth += 7;
	if (strlen(auth) != 64 ||
	    sodium_hex2bin(raw, sizeof(raw), auth, 64, NULL, &len, NULL) ||
	    len != sizeof(raw))
		return hub_refuse(x->rs, 401, "unknown device token");
	hub_hash_hex(hash, raw, sizeof(raw));
	r = hub_exec(x->db,
	             "SELECT d.id, d.user_id, d.revoked IS NOT NULL "
	             "FROM hub.devices d WHERE d.token_hash = $1::bytea",
	             1, p, &err);
	if (!r)
		return hub_db_fail(x, &err);
	if (PQntuples(r) != 1)
		status = hub_refuse(x->rs, 401, "unknown device token");
	else if (!strcmp(PQgetvalue(r, 0, 2), "t"))
		status = hub_refuse(x->rs, 401, "this device was revoked");
	else {
		snprintf(x->device_id, sizeof(x->device_id), "%s",
		         PQgetvalue(r, 0, 0));
		snprintf(x->user_id, sizeof(x->user_id), "%s",
		         PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return status;
}

static int
health(struct hub_call *x)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char body[64];
	int version;

	if (hub_schema_check(x->db, &version, &err))
		return PQstatus(x->db) != CONNECTION_OK
		               ? hub_db_fail(x, &err)
		               : hub_refuse(x->rs, 500, "%s", err.msg);
	snprintf(body, sizeof(body), "{\"ok\":true,\"schema\":%d}", version);
	http_reply(x->rs, 200, "application/json", body);
	return 200;
}

static int
enrol(struct hub_call *x)
{
	struct http_req *rq = x->rq;
	struct cairn_err err = CAIRN_ERR_INIT;
	json_error_t jerr;
	json_t *doc, *reply = NULL;
	const char *user, *code, *device;
	unsigned char tok[32];
	char code_hash[HUB_HASH_PARAM], tok_hash[HUB_HASH_PARAM];
	char token[65];
	const char *p[4];
	PGresult *r;
	char *text;
	int status;

	doc = json_loadb(rq->body.buf ? rq->body.buf : "", rq->body.len,
	                 JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return hub_refuse(x->rs, 400, "malformed JSON at line %d: %s",
		                  jerr.line, jerr.text);
	user = json_string_value(json_object_get(doc, "user"));
	code = json_string_value(json_object_get(doc, "code"));
	device = json_string_value(json_object_get(doc, "device"));
	if (!user || !code || !device) {
		status = hub_refuse(x->rs, 400,
		                    "an enrolment needs 'user', 'code' and "
		                    "'device' strings");
		goto out;
	}
	if (!*device || strlen(device) > 200) {
		status = hub_refuse(x->rs, 400,
		                    "'device' must be 1 to 200 bytes");
		goto out;
	}
	if (!hub_name_ok(user) || hub_code_hash(code, code_hash)) {
		status = hub_refuse(x->rs, 401,
		                    "unknown, used or expired enrolment code");
		goto out;
	}
	randombytes_buf(tok, sizeof(tok));
	sodium_bin2hex(token, sizeof(token), tok, sizeof(tok));
	hub_hash_hex(tok_hash, tok, sizeof(tok));
	p[0] = code_hash;
	p[1] = user;
	p[2] = device;
	p[3] = tok_hash;
	/* One statement: the code is spent and the device made together,
	 * and a code can be spent once only (the UPDATE's row lock). */
	r = hub_exec(
	        x->db,
	        "WITH c AS (UPDATE hub.codes SET used = now() "
	        " WHERE code_hash = $1::bytea AND used IS NULL "
	        " AND expires > now() AND user_id = "
	        " (SELECT id FROM hub.users WHERE name = $2) "
	        " RETURNING id, user_id), "
	        "d AS (INSERT INTO hub.devices(user_id, label, token_hash) "
	        " SELECT user_id, $3, $4::bytea FROM c "
	        " RETURNING id, user_id), "
	        "u AS (UPDATE hub.codes SET device_id = d.id FROM d, c "
	        " WHERE hub.codes.id = c.id) "
	        "SELECT encode(salt, 'hex') FROM hub.users "
	        "WHERE id = (SELECT user_id FROM d)",
	        4, p, &err);
	if (!r) {
		status = hub_db_fail(x, &err);
		goto out;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		status = hub_refuse(x->rs, 401,
		                    "unknown, used or expired enrolment code");
		goto out;
	}
	reply = json_pack("{s:s,s:s,s:s}", "token", token, "user", user, "salt",
	                  PQgetvalue(r, 0, 0));
	PQclear(r);
	text = json_dumps(reply, JSON_COMPACT);
	http_reply(x->rs, 200, "application/json", text);
	free(text);
	status = 200;
out:
	sodium_memzero(token, sizeof(token));
	json_decref(reply);
	json_decref(doc);
	return status;
}

enum route { R_NONE, R_HEALTH, R_ENROL, R_OPS, R_LAB };

#define PATH_PARTS 7 /* labs/LAB/members/USER/items/UUID/comments */

/* The route of path; for the lab's, its segments after "/v1/" in
 * parts (pointing into copy), none of them empty. */
static enum route
route(const char *path, char *copy, size_t cap, char **parts, int *n)
{
	char *p, *save = NULL;

	*n = 0;
	if (!strcmp(path, "/v1/health"))
		return R_HEALTH;
	if (!strcmp(path, "/v1/enrol"))
		return R_ENROL;
	if (!strcmp(path, "/v1/ops"))
		return R_OPS;
	if (strncmp(path, "/v1/", 4) || strlen(path) >= cap ||
	    strstr(path, "//") || path[strlen(path) - 1] == '/')
		return R_NONE;
	snprintf(copy, cap, "%s", path + 4);
	for (p = strtok_r(copy, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		if (*n == PATH_PARTS)
			return R_NONE;
		parts[(*n)++] = p;
	}
	if (!*n ||
	    (strcmp(parts[0], "labs") && strcmp(parts[0], "questions") &&
	     strcmp(parts[0], "answers") && strcmp(parts[0], "comments")))
		return R_NONE;
	return R_LAB;
}

/* The request on x->db: a status. */
static int
serve_one(struct hub_call *x, enum route rt, char **parts, int nparts)
{
	const char *m = x->rq->method;
	char peer[64];
	unsigned wait;
	int status;

	if (rt == R_OPS || rt == R_LAB) {
		if ((status = authenticate(x))) {
			if (status != 401)
				return status;
			http_peer(x->rq, peer, sizeof(peer));
			if ((wait = hub_rate_take(x->hub, "addr", peer)))
				return rate_refuse(x, wait);
			return status;
		}
		if ((wait = hub_rate_take(x->hub, "device", x->device_id)))
			return rate_refuse(x, wait);
		if (rt == R_LAB)
			return hub_lab_route(x, parts, nparts);
		return strcmp(m, "GET") ? hub_push(x) : hub_pull(x);
	}
	http_peer(x->rq, peer, sizeof(peer));
	if ((wait = hub_rate_take(x->hub, "addr", peer)))
		return rate_refuse(x, wait);
	return rt == R_HEALTH ? health(x) : enrol(x);
}

static void
handle(void *ctx, struct http_req *rq, struct http_resp *rs)
{
	struct hub *h = ctx;
	struct hub_call x = {h, NULL, rq, rs, "", ""};
	struct cairn_err err = CAIRN_ERR_INIT;
	char copy[512], *parts[PATH_PARTS];
	int nparts, reused, status;
	enum route rt = route(rq->path, copy, sizeof(copy), parts, &nparts);
	const char *m = rq->method;
	int page = http_page_path(h->srv, rq->path);

	if (page) {
		/* the lab's pages: their own routes and refusals */
	} else if (rt == R_NONE) {
		hub_refuse(rs, 404, "no such endpoint '%.100s'", rq->path);
		return;
	}
	if ((rt == R_HEALTH && strcmp(m, "GET")) ||
	    (rt == R_ENROL && strcmp(m, "POST")) ||
	    (strcmp(m, "GET") && strcmp(m, "POST") &&
	     (page || (rt != R_ENROL && rt != R_HEALTH)))) {
		hub_refuse(rs, 405, "%s is not allowed on %s", m, rq->path);
		return;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!(x.db = hub_pool_take(&h->pool, &reused, &err))) {
			hub_refuse(rs, 503, "the database is unreachable");
			return;
		}
		status = page ? hub_page(&x) : serve_one(&x, rt, parts, nparts);
		hub_pool_give(&h->pool, x.db);
		if (status != 503 || !reused)
			return;
		/* An idle connection whose server went away: once more on a
		 * fresh one. */
		rs->retry_after = 0;
	}
}

static int
read_pem(const char *path, char **out, struct cairn_err *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		return cairn_err_set(err, CAIRN_EINVAL, "cannot read '%s'",
		                     path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 1 << 20)
		buf_add(&b, chunk, n);
	fclose(f);
	if (!b.len || !strstr(b.buf, "-----BEGIN ")) {
		buf_release(&b);
		return cairn_err_set(err, CAIRN_EINVAL, "'%s' is not PEM",
		                     path);
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

int
hub_start(struct hub **out, const struct hub_opts *o, struct cairn_err *err)
{
	struct http_server_opts ho = HTTP_SERVER_OPTS_INIT;
	struct hub *h;
	PGconn *c;
	int rc, version;

	*out = NULL;
	ho.bind = o->bind;
	ho.port = o->port;
	if (o->bind && !http_is_loopback(o->bind) && !o->tls_cert_file &&
	    !o->insecure)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not a loopback address: serve it "
		                     "with --tls-cert and --tls-key, or add "
		                     "--insecure for plain HTTP",
		                     o->bind);
	if (!o->tls_cert_file != !o->tls_key_file)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "--tls-cert and --tls-key go together");
	if (!(c = hub_connect(o->pg, err)))
		return CAIRN_EDB;
	rc = hub_schema_check(c, &version, err);
	PQfinish(c);
	if (rc)
		return rc;
	h = xcalloc(1, sizeof(*h));
	if (o->tls_cert_file &&
	    ((rc = read_pem(o->tls_cert_file, &h->tls_cert, err)) ||
	     (rc = read_pem(o->tls_key_file, &h->tls_key, err)))) {
		free(h->tls_cert);
		free(h);
		return rc;
	}
	if ((rc = hub_copies_init(&h->copies, err))) {
		free(h->tls_cert);
		free(h->tls_key);
		free(h);
		return rc;
	}
	hub_pool_init(&h->pool, o->pg);
	pthread_mutex_init(&h->rate.mu, NULL);
	pthread_mutex_init(&h->login_mu, NULL);
	h->rate.per_min = o->rate ? o->rate : RATE_DEFAULT;
	ho.allow_remote = 1; /* checked above, with TLS in mind */
	ho.api = 1;
	ho.pages = 1;
	ho.host = o->host;
	ho.body_max = HUB_BODY_MAX;
	ho.conn_limit = 256;
	ho.timeout_s = 30;
	/* A thread per connection: a request waiting on PostgreSQL holds
	 * up only its own client. */
	ho.threads = 0;
	ho.tls_cert = h->tls_cert;
	ho.tls_key = h->tls_key;
	if ((rc = http_start(&h->srv, &ho, handle, h, err))) {
		hub_stop(h);
		return rc;
	}
	*out = h;
	return 0;
}

const char *
hub_url(const struct hub *h)
{
	return http_origin(h->srv);
}

void
hub_stop(struct hub *h)
{
	if (!h)
		return;
	http_stop(h->srv);
	hub_pool_release(&h->pool);
	hub_copies_release(&h->copies);
	pthread_mutex_destroy(&h->rate.mu);
	pthread_mutex_destroy(&h->login_mu);
	if (h->tls_key)
		sodium_memzero(h->tls_key, strlen(h->tls_key));
	free(h->tls_cert);
	free(h->tls_key);
	free(h);
}
