/*
 * sync-client.c: the client of doc/sync-protocol.md over libcurl, with
 * private operations sealed by libsodium (crypto_secretbox, a key from
 * the passphrase by Argon2id).  See sync-client.h.
 */
#include <curl/curl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sync-client.h"
#include "cairn/core/buf.h"
#include "cairn/core/time.h"
#include "cairn/research/predict.h"
#include "cairn/store/store.h"
#include "cairn/store/sync.h"
#include "../lib/banned.h"

#define BATCH     500 /* operations per push and per pull */
#define KEY_BYTES crypto_secretbox_KEYBYTES
#define RETRIES   6
/* Comments in a full reply of GET /v1/comments (the hub's cap). */
#define SYNC_COMMENTS_PAGE 500

struct conn {
	CURL *h;
	char *hub, *token, *cacert;
	unsigned char key[KEY_BYTES];
	int has_key;
	sync_note_fn note;
	void *ctx;
};

struct reply {
	long status;
	struct buf body;
	long retry_after;
};

static size_t
on_data(char *p, size_t size, size_t n, void *ud)
{
	buf_add(ud, p, size * n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;

	if (size * n > 12 && !strncasecmp(p, "Retry-After:", 12))
		r->retry_after = strtol(p + 12, NULL, 10);
	return size * n;
}

static void note(struct conn *cn, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
note(struct conn *cn, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!cn->note)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	cn->note(cn->ctx, line);
}

static int
retries(void)
{
	const char *e = getenv("CAIRN_SYNC_RETRIES");

	return e && *e ? atoi(e) : RETRIES;
}

/* The hub's one-line error from a refusal's body, or the status. */
static void
hub_error(const struct reply *r, struct buf *out)
{
	json_t *j = json_loads(r->body.buf ? r->body.buf : "", 0, NULL);
	json_t *e = json_object_get(j, "error");

	if (json_is_string(e))
		buf_addf(out, "%s", json_string_value(e));
	else
		buf_addf(out, "HTTP %ld", r->status);
	json_decref(j);
}

/*
 * method path with body (NULL: none); a reply of any status is 0.  The
 * hub unreachable, a 503 or a 429 is tried again after a growing wait
 * (or the hub's Retry-After), up to RETRIES times.
 */
static int
request(struct conn *cn, const char *method, const char *path, const char *body,
        struct reply *r, struct cairn_err *err)
{
	struct curl_slist *hdr = NULL;
	struct buf url = BUF_INIT, auth = BUF_INIT;
	double wait = 0.25;
	CURLcode cc = CURLE_OK;
	int n = retries();

	buf_addf(&url, "%s%s", cn->hub, path);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (cn->token) {
		buf_addf(&auth, "Authorization: Bearer %s", cn->token);
		hdr = curl_slist_append(hdr, auth.buf);
	}
	for (int attempt = 0;; attempt++) {
		curl_easy_reset(cn->h);
		buf_reset(&r->body);
		r->status = 0;
		r->retry_after = -1;
		curl_easy_setopt(cn->h, CURLOPT_URL, url.buf);
		curl_easy_setopt(cn->h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(cn->h, CURLOPT_CUSTOMREQUEST, method);
		if (body)
			curl_easy_setopt(cn->h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(cn->h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(cn->h, CURLOPT_WRITEDATA, &r->body);
		curl_easy_setopt(cn->h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(cn->h, CURLOPT_HEADERDATA, r);
		curl_easy_setopt(cn->h, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(cn->h, CURLOPT_TIMEOUT, 120L);
		curl_easy_setopt(cn->h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(cn->h, CURLOPT_PROTOCOLS_STR, "http,https");
		if (cn->cacert)
			curl_easy_setopt(cn->h, CURLOPT_CAINFO, cn->cacert);
		cc = curl_easy_perform(cn->h);
		if (cc == CURLE_OK)
			curl_easy_getinfo(cn->h, CURLINFO_RESPONSE_CODE,
			                  &r->status);
		if (cc == CURLE_OK && r->status != 503 && r->status != 429)
			break;
		if (attempt >= n)
			break;
		if (r->retry_after >= 0)
			wait = r->retry_after > 10 ? 10
			                           : (double)r->retry_after;
		note(cn, "hub %s: %s; trying again in %.2g s", cn->hub,
		     cc != CURLE_OK     ? curl_easy_strerror(cc)
		     : r->status == 429 ? "too many requests"
		                        : "unavailable",
		     wait);
		usleep((useconds_t)(wait * 1e6));
		wait = wait * 2 > 8 ? 8 : wait * 2;
	}
	curl_slist_free_all(hdr);
	buf_release(&auth);
	buf_release(&url);
	if (cc != CURLE_OK)
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot reach the hub %s: %s", cn->hub,
		                     curl_easy_strerror(cc));
	if (r->status == 503 || r->status == 429)
		return cairn_err_set(err, CAIRN_EDB,
		                     "the hub %s stayed unavailable (HTTP %ld)",
		                     cn->hub, r->status);
	return 0;
}

static int
url_ok(const char *url)
{
	return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
}

/* ---- the credentials ---- */

static char *
state(struct cairn_store *st, const char *key)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	struct buf v = BUF_INIT;

	if (cairn_sync_state_get(st, key, &v, &e)) {
		buf_release(&v);
		return NULL;
	}
	return buf_detach(&v, NULL);
}

static void
conn_release(struct conn *cn)
{
	if (cn->h)
		curl_easy_cleanup(cn->h);
	free(cn->hub);
	free(cn->token);
	free(cn->cacert);
	sodium_memzero(cn->key, sizeof(cn->key));
}

static int
conn_init(struct conn *cn, struct cairn_err *err)
{
	if (sodium_init() < 0)
		return cairn_err_set(err, CAIRN_EDB, "libsodium cannot start");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!(cn->h = curl_easy_init()))
		return cairn_err_set(err, CAIRN_EDB, "libcurl cannot start");
	return 0;
}

int
sync_login(struct cairn_store *st, const char *path,
           const struct sync_login_opts *o, struct cairn_err *err)
{
	struct conn cn = {0};
	struct reply r = {0};
	struct buf sfx = BUF_INIT;
	char host[256] = "device", keyhex[KEY_BYTES * 2 + 1];
	unsigned char salt[crypto_pwhash_SALTBYTES];
	json_t *req = NULL, *rep = NULL;
	const char *token, *salthex;
	char *body = NULL;
	int rc;

	if (!url_ok(o->url))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "malformed hub URL '%s' (want "
		                     "http://HOST:PORT or https://...)",
		                     o->url);
	if ((rc = conn_init(&cn, err)))
		goto out;
	cn.hub = xstrdup(o->url);
	while (strlen(cn.hub) > 8 && cn.hub[strlen(cn.hub) - 1] == '/')
		cn.hub[strlen(cn.hub) - 1] = '\0';
	cn.cacert = xstrdup_or_null(o->cacert);
	gethostname(host, sizeof(host) - 1);
	req = json_pack("{s:s, s:s, s:s}", "user", o->user, "code", o->code,
	                "device", o->device ? o->device : host);
	body = json_dumps(req, JSON_COMPACT);
	if ((rc = request(&cn, "POST", "/v1/enrol", body, &r, err)))
		goto out;
	if (r.status != 200) {
		struct buf e = BUF_INIT;

		hub_error(&r, &e);
		rc = cairn_err_set(
		        err, CAIRN_ESTATE,
		        "the hub %s refused the enrolment of '%s': %s", cn.hub,
		        o->user, e.buf);
		buf_release(&e);
		goto out;
	}
	rep = json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
	token = json_string_value(json_object_get(rep, "token"));
	salthex = json_string_value(json_object_get(rep, "salt"));
	if (!token || !salthex ||
	    sodium_hex2bin(salt, sizeof(salt), salthex, strlen(salthex), NULL,
	                   NULL, NULL) ||
	    strlen(salthex) != 2 * sizeof(salt)) {
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "the hub %s answered the enrolment with no "
		                   "token or salt",
		                   cn.hub);
		goto out;
	}
	if (crypto_pwhash(cn.key, sizeof(cn.key), o->passphrase,
	                  strlen(o->passphrase), salt,
	                  crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                  crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                  crypto_pwhash_ALG_ARGON2ID13)) {
		rc = cairn_err_set(err, CAIRN_EDB,
		                   "not enough memory to derive the sync key");
		goto out;
	}
	sodium_bin2hex(keyhex, sizeof(keyhex), cn.key, sizeof(cn.key));
	{
		const char *kv[] = {"hub",    cn.hub,    "user", o->user,
		                    "token",  token,     "key",  keyhex,
		                    "cacert", o->cacert, NULL,   NULL};

		if (!o->cacert)
			kv[8] = NULL;
		rc = cairn_sync_state_put(st, kv, err);
	}
	sodium_memzero(keyhex, sizeof(keyhex));
	/* The token and the key are in the store: its owner's only. */
	for (const char *const *s =
	             (const char *const[]){"", "-wal", "-shm", NULL};
	     !rc && *s; s++) {
		buf_reset(&sfx);
		buf_addf(&sfx, "%s%s", path, *s);
		chmod(sfx.buf, 0600);
	}
out:
	buf_release(&sfx);
	buf_release(&r.body);
	json_decref(req);
	json_decref(rep);
	free(body);
	conn_release(&cn);
	return rc;
}

/* ---- sealing ---- */

static json_t *
seal(struct conn *cn, json_t *op)
{
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	char *plain = json_dumps(op, JSON_COMPACT);
	size_t n = strlen(plain),
	       blen = sizeof(nonce) + n + crypto_secretbox_MACBYTES;
	unsigned char *box = xmalloc(blen);
	size_t b64len =
	        sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(b64len);
	json_t *out;

	randombytes_buf(nonce, sizeof(nonce));
	memcpy(box, nonce, sizeof(nonce));
	crypto_secretbox_easy(box + sizeof(nonce), (unsigned char *)plain, n,
	                      nonce, cn->key);
	sodium_bin2base64(b64, b64len, box, blen,
	                  sodium_base64_VARIANT_ORIGINAL);
	out = json_pack(
	        "{s:O, s:O, s:O, s:s, s:s}", "id", json_object_get(op, "id"),
	        "replica", json_object_get(op, "replica"), "clock",
	        json_object_get(op, "clock"), "vis", "private", "sealed", b64);
	sodium_memzero(plain, n);
	free(plain);
	free(box);
	free(b64);
	return out;
}

/* The plain operation inside a sealed one; NULL when it does not open. */
static json_t *
unseal(struct conn *cn, const char *b64)
{
	size_t cap = strlen(b64), len = 0;
	unsigned char *box = xmalloc(cap + 1), *plain;
	json_t *op = NULL;

	if (sodium_base642bin(box, cap, b64, strlen(b64), NULL, &len, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) ||
	    len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		free(box);
		return NULL;
	}
	plain = xmalloc(len + 1);
	if (!crypto_secretbox_open_easy(
	            plain, box + crypto_secretbox_NONCEBYTES,
	            len - crypto_secretbox_NONCEBYTES, box, cn->key)) {
		size_t n = len - crypto_secretbox_NONCEBYTES -
		           crypto_secretbox_MACBYTES;

		op = json_loadb((char *)plain, n, 0, NULL);
		sodium_memzero(plain, n);
	}
	free(plain);
	free(box);
	return op;
}

/* ---- push and pull ---- */

static int
refused(struct conn *cn, const struct reply *r, const char *what,
        struct cairn_err *err)
{
	struct buf e = BUF_INIT;
	int rc;

	hub_error(r, &e);
	rc = cairn_err_set(err,
	                   r->status == 401 || r->status == 403 ? CAIRN_ESTATE
	                                                        : CAIRN_EINVAL,
	                   "the hub %s refused %s: %s%s", cn->hub, what, e.buf,
	                   r->status == 401 ? " (was this device revoked? "
	                                      "log in again with a new code)"
	                                    : "");
	buf_release(&e);
	return rc;
}

static int
push(struct conn *cn, struct cairn_store *st, struct sync_report *rep,
     struct cairn_err *err)
{
	struct reply r = {0};
	int rc = 0;

	for (;;) {
		json_t *ops = NULL, *send, *op, *j;
		int64_t last = 0;
		char *body;
		size_t i;

		if ((rc = cairn_sync_outbox(st, BATCH, &ops, err)))
			break;
		if (!json_array_size(ops)) {
			json_decref(ops);
			break;
		}
		send = json_array();
		json_array_foreach(ops, i, op)
		{
			const char *vis =
			        json_string_value(json_object_get(op, "vis"));

			last = json_integer_value(json_object_get(op, "seq"));
			json_object_del(op, "seq");
			if (vis && !strcmp(vis, "private"))
				json_array_append_new(send, seal(cn, op));
			else
				json_array_append(send, op);
		}
		json_decref(ops);
		j = json_pack("{s:o}", "ops", send);
		body = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		rc = request(cn, "POST", "/v1/ops", body, &r, err);
		free(body);
		if (rc)
			break;
		if (r.status != 200) {
			rc = refused(cn, &r, "the operations", err);
			break;
		}
		j = json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
		rep->pushed += (size_t)json_integer_value(
		        json_object_get(j, "stored"));
		rep->duplicates += (size_t)json_integer_value(
		        json_object_get(j, "duplicates"));
		json_decref(j);
		if ((rc = cairn_sync_sent(st, last, err)))
			break;
		if (rep->pushed + rep->duplicates >= 2 * BATCH)
			note(cn, "sent %zu operations",
			     rep->pushed + rep->duplicates);
	}
	buf_release(&r.body);
	return rc;
}

static int
pull(struct conn *cn, struct cairn_store *st, struct sync_report *rep,
     struct cairn_err *err)
{
	struct reply r = {0};
	char *cursor = state(st, "cursor");
	long long after = cursor ? strtoll(cursor, NULL, 10) : 0;
	int rc = 0, more = 1;

	free(cursor);
	while (more && !rc) {
		struct cairn_sync_result res;
		json_t *j, *ops, *op, *batch;
		char path[64], num[24];
		size_t i;

		snprintf(path, sizeof(path), "/v1/ops?after=%lld&limit=%d",
		         after, BATCH);
		if ((rc = request(cn, "GET", path, NULL, &r, err)))
			break;
		if (r.status != 200) {
			rc = refused(cn, &r, "the pull", err);
			break;
		}
		j = json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
		ops = json_object_get(j, "ops");
		if (!json_is_array(ops)) {
			json_decref(j);
			rc = cairn_err_set(err, CAIRN_EINVAL,
			                   "the hub %s sent no operations list",
			                   cn->hub);
			break;
		}
		batch = json_array();
		json_array_foreach(ops, i, op)
		{
			json_t *s = json_object_get(op, "sealed");

			json_object_del(op, "seq");
			if (json_is_string(s)) {
				json_t *plain =
				        cn->has_key
				                ? unseal(cn,
				                         json_string_value(s))
				                : NULL;

				if (!plain) {
					rc = cairn_err_set(
					        err, CAIRN_ESTATE,
					        "a private operation from the "
					        "hub does not open with this "
					        "device's key (another sync "
					        "passphrase?)");
					break;
				}
				json_array_append_new(batch, plain);
			} else {
				json_array_append(batch, op);
			}
		}
		after = json_integer_value(json_object_get(j, "next"));
		more = json_is_true(json_object_get(j, "more"));
		json_decref(j);
		if (!rc)
			rc = cairn_sync_apply(st, batch, &res, err);
		json_decref(batch);
		if (rc)
			break;
		rep->pulled += res.applied + res.ignored;
		rep->applied += res.applied;
		rep->conflicts += res.conflicts;
		snprintf(num, sizeof(num), "%lld", after);
		{
			const char *kv[] = {"cursor", num, NULL, NULL};

			rc = cairn_sync_state_put(st, kv, err);
		}
		if (more && rep->pulled >= 2 * BATCH)
			note(cn, "received %zu operations", rep->pulled);
	}
	buf_release(&r.body);
	return rc;
}

/* ---- the mentor loop ---- */

/* Put every open prediction about "@NAME" that sync has sent (it has a
 * uuid) and that is not yet asked to NAME on the hub.  A refusal (no
 * such mentor) is noted, not fatal: the prediction stays open here. */
struct asking {
	struct conn *cn;
	struct cairn_store *st;
	struct sync_report *rep;
	struct cairn_err *err;
	int rc;
};

static int
ask_one(void *ctx, const struct cairn_prediction *pr)
{
	struct asking *a = ctx;
	struct reply r = {0};
	struct buf key = BUF_INIT, e = BUF_INIT;
	char uuid[37], item[37] = "";
	json_t *j;
	char *body, *asked;

	if (!cairn_prediction_mentor(pr))
		return 0;
	if ((a->rc = cairn_sync_row_uuid(a->st, "prediction", pr->id, uuid,
	                                 a->err)) ||
	    !uuid[0])
		return a->rc;
	buf_addf(&key, "asked:%s", uuid);
	if ((asked = state(a->st, key.buf))) {
		free(asked);
		buf_release(&key);
		return 0;
	}
	if (pr->item && (a->rc = cairn_sync_row_uuid(a->st, "item", pr->item,
	                                             item, a->err)))
		goto out;
	j = json_pack("{s:s,s:s,s:s,s:o}", "prediction", uuid, "to",
	              pr->who + 1, "statement", pr->statement, "item",
	              item[0] ? json_string(item) : json_null());
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	a->rc = request(a->cn, "POST", "/v1/questions", body, &r, a->err);
	free(body);
	if (a->rc)
		goto out;
	if (r.status == 200) {
		const char *kv[] = {key.buf, "1", NULL, NULL};

		a->rep->asked++;
		a->rc = cairn_sync_state_put(a->st, kv, a->err);
	} else if (r.status == 401) {
		a->rc = refused(a->cn, &r, "the question", a->err);
	} else {
		hub_error(&r, &e);
		note(a->cn, "P%lld is not put to %s: %s", (long long)pr->id,
		     pr->who, e.buf);
	}
out:
	buf_release(&e);
	buf_release(&r.body);
	buf_release(&key);
	return a->rc;
}

/* Resolve the open predictions the hub has answers for. */
static int
take_answers(struct conn *cn, struct cairn_store *st, struct sync_report *rep,
             struct cairn_err *err)
{
	struct reply r = {0};
	json_t *j, *ans;
	size_t i;
	int rc;

	if ((rc = request(cn, "GET", "/v1/answers", NULL, &r, err)))
		goto out;
	if (r.status != 200) {
		rc = refused(cn, &r, "the answers", err);
		goto out;
	}
	j = json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
	json_array_foreach(json_object_get(j, "answers"), i, ans)
	{
		const char *uuid =
		        json_string_value(json_object_get(ans, "prediction"));
		struct cairn_prediction pr;
		int64_t local = 0;

		if (!uuid || (rc = cairn_sync_row_local(st, "prediction", uuid,
		                                        &local, err)))
			break;
		if (!local || cairn_prediction_get(st, local, &pr, err))
			continue;
		if (pr.outcome < 0 && cairn_prediction_mentor(&pr)) {
			rc = cairn_prediction_answer(
			        st, local,
			        json_is_true(json_object_get(ans, "outcome")),
			        json_string_value(json_object_get(ans, "why")),
			        err);
			if (!rc)
				rep->resolved++;
		}
		cairn_prediction_release(&pr);
		if (rc)
			break;
	}
	json_decref(j);
out:
	buf_release(&r.body);
	return rc;
}

/*
 * The sync uuid of the note a comment becomes: the first 16 bytes of
 * crypto_generichash("cairn comment LAB ID"), as an RFC 9562 version 8
 * uuid.  Every replica of the owner's store derives the same one, so the
 * note one made and pushed and the comment another takes are one note.
 */
static void
comment_uuid(const char *lab, long long id, char out[37])
{
	unsigned char h[16];
	char name[128];
	int n = snprintf(name, sizeof(name), "cairn comment %s %lld", lab, id);

	crypto_generichash(h, sizeof(h), (const unsigned char *)name,
	                   (unsigned long long)n, NULL, 0);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	         "%02x%02x%02x%02x%02x%02x",
	         h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
	         h[10], h[11], h[12], h[13], h[14], h[15]);
}

/*
 * Comments on this user's items since the cursor "comments", each a
 * note on the item with that uuid here, marked with its author; the
 * cursor moves in the note's own transaction.  A comment on an item this
 * store does not have, or whose note is here already (made by another
 * replica and pulled), moves the cursor and nothing else; one that is
 * not a note (cairn_note_check) is noted and passed over.
 */
static int
take_comments(struct conn *cn, struct cairn_store *st, struct sync_report *rep,
              struct cairn_err *err)
{
	struct reply r = {0};
	char *cursor = state(st, "comments");
	long long after = cursor ? strtoll(cursor, NULL, 10) : 0;
	size_t got = 0;
	int rc = 0;

	free(cursor);
	do {
		json_t *j, *list, *c;
		char path[64];
		size_t i;

		snprintf(path, sizeof(path), "/v1/comments?after=%lld", after);
		if ((rc = request(cn, "GET", path, NULL, &r, err)))
			break;
		if (r.status != 200) {
			rc = refused(cn, &r, "the comments", err);
			break;
		}
		j = json_loads(r.body.buf ? r.body.buf : "", 0, NULL);
		list = json_object_get(j, "comments");
		got = json_array_size(list);
		json_array_foreach(list, i, c)
		{
			struct cairn_sync_note n = {0};
			struct cairn_err bad = CAIRN_ERR_INIT;
			long long id =
			        json_integer_value(json_object_get(c, "id"));
			const char *lab =
			        json_string_value(json_object_get(c, "lab"));
			char uuid[37], num[24], at[CAIRN_TS_LEN];
			const char *kv[] = {"comments", num, NULL, NULL};
			const char *ats;
			int added = 0;

			n.item = json_string_value(json_object_get(c, "item"));
			n.author = json_string_value(json_object_get(c, "by"));
			n.text = json_string_value(json_object_get(c, "text"));
			if (id <= after || !lab || !n.item || !n.author ||
			    !n.text) {
				rc = cairn_err_set(
				        err, CAIRN_EINVAL,
				        "the hub %s sent a malformed "
				        "comment",
				        cn->hub);
				break;
			}
			ats = json_string_value(json_object_get(c, "at"));
			n.time = ats && !cairn_ts_parse(ats, at, &bad) ? at
			                                               : NULL;
			comment_uuid(lab, id, uuid);
			n.note_uuid = uuid;
			snprintf(num, sizeof(num), "%lld", id);
			rc = cairn_sync_note_add(st, &n, kv, &added, &bad);
			if (rc == CAIRN_EINVAL) {
				note(cn, "the comment of %s is passed over: %s",
				     n.author, bad.msg);
				rc = cairn_sync_state_put(st, kv, err);
			} else if (rc) {
				cairn_err_set(err, rc, "%s", bad.msg);
			}
			if (rc)
				break;
			rep->comments += (size_t)added;
			after = id;
		}
		json_decref(j);
	} while (!rc && got >= SYNC_COMMENTS_PAGE);
	buf_release(&r.body);
	return rc;
}

static int
mentor_loop(struct conn *cn, struct cairn_store *st, struct sync_report *rep,
            struct cairn_err *err)
{
	struct cairn_prediction_query q = CAIRN_PREDICTION_QUERY_INIT;
	struct asking a = {cn, st, rep, err, 0};
	int rc;

	q.open = 1;
	q.resolver = 2;
	if ((rc = cairn_prediction_each(st, &q, ask_one, &a, err)))
		return a.rc ? a.rc : rc;
	if ((rc = take_answers(cn, st, rep, err)))
		return rc;
	return take_comments(cn, st, rep, err);
}

/* The connection of a logged-in store. */
static int
conn_open(struct conn *cn, struct cairn_store *st, struct cairn_err *err)
{
	char *key;
	int rc;

	if ((rc = conn_init(cn, err)))
		return rc;
	cn->hub = state(st, "hub");
	cn->token = state(st, "token");
	cn->cacert = state(st, "cacert");
	if (!cn->hub || !cn->token)
		return cairn_err_set(
		        err, CAIRN_ESTATE,
		        "this store has no hub yet (cairn sync login "
		        "URL --user NAME)");
	key = state(st, "key");
	cn->has_key = key && !sodium_hex2bin(cn->key, sizeof(cn->key), key,
	                                     strlen(key), NULL, NULL, NULL);
	if (key) {
		sodium_memzero(key, strlen(key));
		free(key);
	}
	return 0;
}

/* One request of a logged-in store; the reply's JSON when 200. */
static int
call(struct cairn_store *st, const char *method, const char *path, json_t *body,
     const char *what, json_t **out, struct cairn_err *err)
{
	struct conn cn = {0};
	struct reply r = {0};
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int rc;

	*out = NULL;
	if (!(rc = conn_open(&cn, st, err)) &&
	    !(rc = request(&cn, method, path, text, &r, err))) {
		if (r.status != 200)
			rc = refused(&cn, &r, what, err);
		else if (!(*out = json_loads(r.body.buf ? r.body.buf : "", 0,
		                             NULL)))
			rc = cairn_err_set(
			        err, CAIRN_EINVAL,
			        "the hub %s answered %s with no JSON", cn.hub,
			        what);
	}
	free(text);
	buf_release(&r.body);
	conn_release(&cn);
	return rc;
}

int
sync_join(struct cairn_store *st, const char *code, json_t **out,
          struct cairn_err *err)
{
	json_t *b = json_pack("{s:s}", "code", code);
	int rc = call(st, "POST", "/v1/labs/join", b, "the invite code", out,
	              err);

	json_decref(b);
	return rc;
}

int
sync_questions(struct cairn_store *st, json_t **out, struct cairn_err *err)
{
	return call(st, "GET", "/v1/questions", NULL, "the questions", out,
	            err);
}

int
sync_answer(struct cairn_store *st, int64_t qid, int outcome, const char *why,
            struct cairn_err *err)
{
	json_t *b = json_pack("{s:b,s:s}", "outcome", outcome, "why", why);
	json_t *reply = NULL;
	char path[64];
	int rc;

	snprintf(path, sizeof(path), "/v1/questions/%lld/answer",
	         (long long)qid);
	rc = call(st, "POST", path, b, "the answer", &reply, err);
	json_decref(b);
	json_decref(reply);
	return rc;
}

int
sync_items(struct cairn_store *st, const char *lab, const char *user,
           json_t **out, struct cairn_err *err)
{
	struct buf path = BUF_INIT;
	int rc;

	buf_addf(&path, "/v1/labs/%s/members/%s/items", lab, user);
	rc = call(st, "GET", path.buf, NULL, "the items", out, err);
	buf_release(&path);
	return rc;
}

int
sync_comment(struct cairn_store *st, const char *lab, const char *user,
             const char *item, const char *text, int64_t *id,
             struct cairn_err *err)
{
	json_t *b = json_pack("{s:s}", "text", text);
	json_t *reply = NULL;
	struct buf path = BUF_INIT;
	int rc;

	buf_addf(&path, "/v1/labs/%s/members/%s/items/%s/comments", lab, user,
	         item);
	rc = call(st, "POST", path.buf, b, "the comment", &reply, err);
	*id = rc ? 0 : json_integer_value(json_object_get(reply, "id"));
	json_decref(b);
	json_decref(reply);
	buf_release(&path);
	return rc;
}

int
sync_run(struct cairn_store *st, struct sync_report *rep, sync_note_fn fn,
         void *ctx, struct cairn_err *err)
{
	struct conn cn = {.note = fn, .ctx = ctx};
	char *key = NULL, now[CAIRN_TS_LEN];
	int rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = conn_open(&cn, st, err)))
		goto out;
	if (!(rc = push(&cn, st, rep, err)) &&
	    !(rc = pull(&cn, st, rep, err)) &&
	    !(rc = mentor_loop(&cn, st, rep, err))) {
		const char *kv[] = {"last", now, NULL, NULL};

		cairn_now(now);
		rc = cairn_sync_state_put(st, kv, err);
	}
out:
	if (key) {
		sodium_memzero(key, strlen(key));
		free(key);
	}
	conn_release(&cn);
	return rc;
}
