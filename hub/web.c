/*
 * web.c: the top of the lab's pages on the hub: the login, the session,
 * the CSRF token of every write, and the frame every page shares.
 *
 * net/http.c has already refused a foreign Host, a cross-origin write
 * and an oversized body (as for the local UI).  Here:
 *
 *  - Passwords: crypto_pwhash_str's Argon2id strings (`cairn hub user
 *    passwd`).  A login that names no user, or a user without a
 *    password, is checked against a dummy string all the same, so the
 *    time taken does not tell which.  At most HUB_LOGINS_MAX checks run
 *    at once (each takes 64 MiB); more wait their turn with a 503.
 *  - Failed logins are logged in hub.refusals (kind "login", with the
 *    address and the name tried); LOGIN_TRIES of them within 10 minutes
 *    for a name, or LOGIN_TRIES_ADDR from an address, make every login
 *    for it (from it) 429 until the window has passed, the right
 *    password included.
 *  - The login form carries a token of its own, also set as a cookie
 *    (double submit), so that no other site can log a browser in.
 *  - A session: 32 random bytes in an HttpOnly, SameSite=Strict cookie
 *    (Secure under TLS), of which the hub keeps the hash; a fresh one at
 *    every login (any session the browser had is ended), valid
 *    SESSION_HOURS.  It ends at logout, at `hub user rm` and at a new
 *    password.  Each request looks it up, so an ended session stops at
 *    once; what a user may see in a lab is asked of hub/lab.c on every
 *    page, so a member taken out of a lab loses its pages at once.
 *  - A cookie naming no live session is logged (kind "session");
 *    SESSION_GUESSES of them within 10 minutes from an address make its
 *    requests 429.
 *  - Every write carries the session's CSRF token (form field csrf),
 *    checked in constant time.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub-int.h"
#include "web/web.h"
#include "../lib/banned.h"

#define SESSION_COOKIE   "cairn_hub"
#define LOGIN_COOKIE     "cairn_hub_login"
#define SESSION_HOURS    "12"
#define SESSION_MAX_AGE  "43200"
#define LOGIN_TRIES      "5"  /* failed logins for a name */
#define LOGIN_TRIES_ADDR "20" /* failed logins from an address */
#define SESSION_GUESSES  "20"
#define REFUSAL_WINDOW   "10 minutes"

void
hub_page_begin(struct buf *out, const struct hub_session *me, const char *title)
{
	html_addf(out,
	          "<!doctype html>\n<html lang=\"en\"><head>"
	          "<meta charset=\"utf-8\">"
	          "<meta name=\"viewport\" content=\"width=device-width, "
	          "initial-scale=1\">"
	          "<title>%s · cairn lab</title>"
	          "<link rel=\"icon\" href=\"data:,\">"
	          "<link rel=\"stylesheet\" href=\"/static/style.css\">"
	          "</head><body><header><nav aria-label=\"main\">",
	          title);
	if (me) {
		html_addf(out, "<a href=\"/\">My labs</a>"
		               "<a href=\"/queue\">My queue</a>"
		               "<form class=\"inline\" method=\"post\" "
		               "action=\"/logout\">");
		hub_page_csrf(out, me);
		html_addf(out,
		          "<button class=\"small\" type=\"submit\">Log out "
		          "%s</button></form>",
		          me->name);
	}
	html_addf(out, "</nav></header><main>\n<h1>%s</h1>\n", title);
}

void
hub_page_end(struct buf *out)
{
	buf_adds(out, "</main></body></html>\n");
}

void
hub_page_csrf(struct buf *out, const struct hub_session *me)
{
	html_addf(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
	          me->csrf);
}

int
hub_page_refuse(struct hub_call *x, const struct hub_session *me, int status,
                const char *msg)
{
	struct http_resp *rs = x->rs;

	buf_reset(&rs->body);
	rs->status = status;
	rs->type = NULL;
	hub_page_begin(&rs->body, me, "Not done");
	html_addf(&rs->body,
	          "<p class=\"error\" role=\"alert\">%s</p>"
	          "<p><a href=\"/\">Back to my labs</a></p>",
	          msg);
	hub_page_end(&rs->body);
	return status;
}

/* 32 random bytes as hex into out, and their hash as a bytea parameter
 * into hash (when not NULL). */
static void
secret_new(char out[HTTP_TOKEN_HEX + 1], char hash[HUB_HASH_PARAM])
{
	unsigned char raw[HTTP_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, HTTP_TOKEN_HEX + 1, raw, sizeof(raw));
	if (hash)
		hub_hash_hex(hash, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

/* The hash of a session token a cookie carries; -1 when it is not one. */
static int
token_hash(const char *t, char hash[HUB_HASH_PARAM])
{
	unsigned char raw[HTTP_TOKEN_HEX / 2];
	size_t len;

	if (!t || strlen(t) != HTTP_TOKEN_HEX ||
	    sodium_hex2bin(raw, sizeof(raw), t, HTTP_TOKEN_HEX, NULL, &len,
	                   NULL) ||
	    len != sizeof(raw))
		return -1;
	hub_hash_hex(hash, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

static void
set_cookie(struct hub_call *x, const char *fmt, const char *a, const char *b)
{
	struct buf c = BUF_INIT;

	buf_addf(&c, fmt, a, b);
	free(x->rs->cookie);
	x->rs->cookie = buf_detach(&c, NULL);
}

/* Refusals of kind in the window from this address (detail NULL), or
 * naming detail; -1 when the count cannot be read. */
static long
refusals(struct hub_call *x, const char *kind, const char *detail)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char peer[64];
	const char *p[] = {kind, detail ? NULL : peer, detail};
	PGresult *r;
	long n;

	http_peer(x->rq, peer, sizeof(peer));
	r = hub_exec(x->db,
	             "SELECT count(*) FROM hub.refusals WHERE kind = $1 "
	             "AND at > now() - interval '" REFUSAL_WINDOW "' "
	             "AND (addr = $2 OR detail = $3)",
	             3, p, &err);
	if (!r)
		return -1;
	n = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n;
}

static int
too_many(struct hub_call *x, const char *what)
{
	x->rs->retry_after = 600;
	return hub_page_refuse(x, NULL, 429, what);
}

static void
login_form(struct hub_call *x, int status, const char *msg)
{
	struct http_resp *rs = x->rs;
	char token[HTTP_TOKEN_HEX + 1];

	secret_new(token, NULL);
	set_cookie(x,
	           LOGIN_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/login; "
	                        "Max-Age=600%s",
	           token, "");
	buf_reset(&rs->body);
	rs->status = status;
	rs->type = NULL;
	hub_page_begin(&rs->body, NULL, "Log in to the lab");
	if (msg)
		html_addf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>",
		          msg);
	html_addf(&rs->body,
	          "<form method=\"post\" action=\"/login\" class=\"stack\">"
	          "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	          "<label for=\"user\">User name</label>"
	          "<input id=\"user\" name=\"user\" autocomplete=\"username\" "
	          "required maxlength=\"64\">"
	          "<label for=\"password\">Password</label>"
	          "<input id=\"password\" name=\"password\" type=\"password\" "
	          "autocomplete=\"current-password\" required>"
	          "<button type=\"submit\">Log in</button></form>",
	          token);
	hub_page_end(&rs->body);
	sodium_memzero(token, sizeof(token));
}

/* crypto_pwhash_str_verify, at most HUB_LOGINS_MAX at once: 1 when the
 * password matches, 0 when not, -1 when too many run. */
static int
password_ok(struct hub *h, const char *stored, const char *pw)
{
	/* A hash of no password anyone has, checked when there is no
	 * user or no password, so that the time taken is the same. */
	static char dummy[crypto_pwhash_STRBYTES];
	int ok;

	pthread_mutex_lock(&h->login_mu);
	if (h->logins >= HUB_LOGINS_MAX) {
		pthread_mutex_unlock(&h->login_mu);
		return -1;
	}
	h->logins++;
	pthread_mutex_unlock(&h->login_mu);
	if (!stored) {
		char check[crypto_pwhash_STRBYTES] = "";

		pthread_mutex_lock(&h->login_mu);
		memcpy(check, dummy, sizeof(check));
		pthread_mutex_unlock(&h->login_mu);
		if (!check[0]) {
			char pick[HTTP_TOKEN_HEX + 1];

			secret_new(pick, NULL);
			if (!crypto_pwhash_str(
			            check, pick, strlen(pick),
			            crypto_pwhash_OPSLIMIT_INTERACTIVE,
			            crypto_pwhash_MEMLIMIT_INTERACTIVE)) {
				pthread_mutex_lock(&h->login_mu);
				memcpy(dummy, check, sizeof(dummy));
				pthread_mutex_unlock(&h->login_mu);
			}
		}
		if (check[0] &&
		    crypto_pwhash_str_verify(check, pw, strlen(pw)) == 0)
			abort(); /* no one knows the dummy's password */
		ok = 0;
	} else {
		ok = crypto_pwhash_str_verify(stored, pw, strlen(pw)) == 0;
	}
	pthread_mutex_lock(&h->login_mu);
	h->logins--;
	pthread_mutex_unlock(&h->login_mu);
	return ok;
}

static int
login(struct hub_call *x)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *user = http_field(x->rq, "user");
	const char *pw = http_field(x->rq, "password");
	const char *want = http_cookie(x->rq, LOGIN_COOKIE);
	char token[HTTP_TOKEN_HEX + 1], hash[HUB_HASH_PARAM], csrf[65];
	char old[HUB_HASH_PARAM], peer[64];
	PGresult *r;
	long n, m;
	int ok;

	if (!strcmp(x->rq->method, "GET")) {
		login_form(x, 200, NULL);
		return 200;
	}
	if (!want || !http_csrf_ok(x->rq, want))
		return hub_page_refuse(x, NULL, 403,
		                       "forbidden: the login form has expired; "
		                       "open it again");
	if (!user || !pw || !hub_name_ok(user) ||
	    strlen(pw) > HUB_PASSWORD_MAX) {
		login_form(x, 400, "Give a user name and a password.");
		return 400;
	}
	if ((n = refusals(x, "login", user)) < 0 ||
	    (m = refusals(x, "login", NULL)) < 0)
		return hub_page_refuse(x, NULL, 503,
		                       "the database is unreachable");
	if (n >= atol(LOGIN_TRIES) || m >= atol(LOGIN_TRIES_ADDR)) {
		hub_log_refusal(x, "login-limited", user);
		return too_many(x, "too many failed logins; try again in "
		                   "10 minutes");
	}
	{
		const char *p[] = {user};

		r = hub_exec(
		        x->db,
		        "SELECT id, password FROM hub.users WHERE name = $1", 1,
		        p, &err);
	}
	if (!r)
		return hub_page_refuse(x, NULL, 503,
		                       "the database is unreachable");
	ok = password_ok(x->hub,
	                 PQntuples(r) && !PQgetisnull(r, 0, 1)
	                         ? PQgetvalue(r, 0, 1)
	                         : NULL,
	                 pw);
	if (ok < 0) {
		PQclear(r);
		x->rs->retry_after = 1;
		return hub_page_refuse(x, NULL, 503,
		                       "too many logins at once; try again");
	}
	if (!ok) {
		PQclear(r);
		hub_log_refusal(x, "login", user);
		login_form(x, 401, "Wrong user name or password.");
		return 401;
	}
	snprintf(x->user_id, sizeof(x->user_id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	/* A fresh session at every login; the one the browser had ends. */
	secret_new(token, hash);
	secret_new(csrf, NULL);
	http_peer(x->rq, peer, sizeof(peer));
	if (token_hash(http_cookie(x->rq, SESSION_COOKIE), old))
		snprintf(old, sizeof(old), "\\x00");
	{
		const char *p[] = {x->user_id, hash, csrf, peer, old};

		if (hub_run(x->db,
		            "WITH e AS (UPDATE hub.sessions SET ended = now() "
		            " WHERE token_hash = $5::bytea AND ended IS NULL) "
		            "INSERT INTO hub.sessions(user_id, token_hash, "
		            "csrf, addr, expires) VALUES ($1::bigint, "
		            "$2::bytea, $3, $4, now() + interval "
		            "'" SESSION_HOURS " hours')",
		            5, p, &err)) {
			sodium_memzero(token, sizeof(token));
			return hub_page_refuse(x, NULL, 503,
			                       "the database is unreachable");
		}
	}
	set_cookie(x,
	           SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; "
	                          "Max-Age=" SESSION_MAX_AGE "%s",
	           token, "");
	sodium_memzero(token, sizeof(token));
	http_redirect(x->rs, "/");
	return 303;
}

/* The session the request's cookie names: 1 and *me filled, 0 when
 * there is none (no cookie, or one naming no live session), -1 when the
 * database cannot say. */
static int
session(struct hub_call *x, struct hub_session *me, int *guessed)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *cookie = http_cookie(x->rq, SESSION_COOKIE);
	char hash[HUB_HASH_PARAM];
	const char *p[] = {hash};
	PGresult *r;

	*guessed = 0;
	if (!cookie)
		return 0;
	if (token_hash(cookie, hash)) {
		*guessed = 1;
		return 0;
	}
	r = hub_exec(x->db,
	             "SELECT s.user_id, u.name, s.csrf FROM hub.sessions s "
	             "JOIN hub.users u ON u.id = s.user_id "
	             "WHERE s.token_hash = $1::bytea AND s.ended IS NULL "
	             "AND s.expires > now()",
	             1, p, &err);
	if (!r)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		*guessed = 1;
		return 0;
	}
	snprintf(me->user_id, sizeof(me->user_id), "%s", PQgetvalue(r, 0, 0));
	snprintf(me->name, sizeof(me->name), "%s", PQgetvalue(r, 0, 1));
	snprintf(me->csrf, sizeof(me->csrf), "%s", PQgetvalue(r, 0, 2));
	PQclear(r);
	return 1;
}

static int
logout(struct hub_call *x)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	char hash[HUB_HASH_PARAM];
	const char *p[] = {hash};

	if (!token_hash(http_cookie(x->rq, SESSION_COOKIE), hash) &&
	    hub_run(x->db,
	            "UPDATE hub.sessions SET ended = now() "
	            "WHERE token_hash = $1::bytea AND ended IS NULL",
	            1, p, &err))
		return hub_page_refuse(x, NULL, 503,
		                       "the database is unreachable");
	set_cookie(x,
	           SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; "
	                          "Max-Age=0%s",
	           "", "");
	http_redirect(x->rs, "/login");
	return 303;
}

int
hub_page(struct hub_call *x)
{
	struct http_req *rq = x->rq;
	struct hub_session me;
	char peer[64];
	unsigned wait;
	int rc, guessed, write = strcmp(rq->method, "GET") != 0;
	long n;

	if (!strcmp(rq->path, "/static/style.css")) {
		http_reply(x->rs, 200, "text/css; charset=utf-8",
		           web_style_css);
		return 200;
	}
	http_peer(rq, peer, sizeof(peer));
	if ((wait = hub_rate_take(x->hub, "addr", peer))) {
		x->rs->retry_after = wait;
		return hub_page_refuse(x, NULL, 429,
		                       "too many requests; try again soon");
	}
	if (!strcmp(rq->path, "/login"))
		return login(x);
	memset(&me, 0, sizeof(me));
	if ((rc = session(x, &me, &guessed)) < 0)
		return hub_page_refuse(x, NULL, 503,
		                       "the database is unreachable");
	if (!rc && guessed) {
		if ((n = refusals(x, "session", NULL)) >= atol(SESSION_GUESSES))
			return too_many(x, "too many requests with a wrong "
			                   "session; try again in 10 minutes");
		hub_log_refusal(x, "session", rq->path);
	}
	if (!rc) {
		if (write)
			return hub_page_refuse(x, NULL, 403,
			                       "forbidden: log in first");
		http_redirect(x->rs, "/login");
		return 303;
	}
	snprintf(x->user_id, sizeof(x->user_id), "%s", me.user_id);
	if (write && !http_csrf_ok(rq, me.csrf))
		return hub_page_refuse(x, &me, 403,
		                       "forbidden: missing or wrong CSRF "
		                       "token");
	if (!strcmp(rq->path, "/logout"))
		return write ? logout(x)
		             : hub_page_refuse(x, &me, 405,
		                               "log out with the button");
	return hub_pages_route(x, &me);
}
