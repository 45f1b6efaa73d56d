/*
 * hub-int.h: what the hub's files share: PostgreSQL connections and
 * their pool (pg.c), the rate limiter (api.c), and the endpoints of
 * operations (ops.c).  Every statement goes through hub_exec, with its
 * values as parameters: none is ever pasted into SQL.
 */
#ifndef CAIRN_HUB_INT_H
#define CAIRN_HUB_INT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>

#include "cairn/core/buf.h"
#include "hub/hub.h"
#include "net/http.h"

#define HUB_POOL_MAX     8          /* connections a hub process keeps */
#define HUB_BODY_MAX     (8u << 20) /* bytes of a request (the protocol's) */
#define HUB_BATCH_MAX    1000       /* operations in a push */
#define HUB_PULL_DEFAULT 500
#define HUB_PULL_MAX     1000
#define HUB_RATE_SLOTS   4096

/* Connect to pg (with a connect timeout unless it names one); NULL and
 * err filled when it fails. */
PGconn *hub_connect(const char *pg, struct cairn_err *err);

/*
 * Run sql with n text parameters on c.  The result (PQclear it) when its
 * status is PGRES_COMMAND_OK or PGRES_TUPLES_OK; else NULL with err
 * filled with the server's message: CAIRN_EINVAL for data it refused
 * (SQLSTATE class 22), else CAIRN_EDB.
 */
PGresult *hub_exec(PGconn *c, const char *sql, int n, const char *const *params,
                   struct cairn_err *err);
/* hub_exec for a statement without rows: 0 or err's code. */
int hub_run(PGconn *c, const char *sql, int n, const char *const *params,
            struct cairn_err *err);

/* The hub's tables on c are at HUB_SCHEMA_VERSION (*version): 0, or
 * CAIRN_EVERSION (older or newer) or CAIRN_EDB with err filled. */
int hub_schema_check(PGconn *c, int *version, struct cairn_err *err);

/* A bytea parameter ("\x" and 64 hex digits) holding the hash of a
 * secret (a token, a code): crypto_generichash, 32 bytes. */
#define HUB_HASH_PARAM 67
void hub_hash_hex(char out[HUB_HASH_PARAM], const unsigned char *secret,
                  size_t n);

/* The connections of one hub process. */
struct hub_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *pg;
	PGconn *idle[HUB_POOL_MAX];
	int nidle;
	int total; /* idle and in use */
};

void hub_pool_init(struct hub_pool *p, const char *pg);
void hub_pool_release(struct hub_pool *p);
/* A connection, idle or new (waiting while HUB_POOL_MAX are in use);
 * *reused is 1 for one that was idle (it may have lost its server).
 * NULL when a new one cannot be made. */
PGconn *hub_pool_take(struct hub_pool *p, int *reused, struct cairn_err *err);
/* Give c back; one whose server is gone is closed instead. */
void hub_pool_give(struct hub_pool *p, PGconn *c);

/* Requests in a minute, per key (a device, or a client's address). */
struct hub_rate {
	pthread_mutex_t mu;
	unsigned per_min;
	struct hub_rate_slot {
		uint64_t key;
		int64_t minute;
		unsigned count;
	} slot[HUB_RATE_SLOTS];
};

struct hub {
	struct http_server *srv;
	struct hub_pool pool;
	struct hub_rate rate;
	char *tls_cert, *tls_key; /* PEM, kept while serving */
};

/* What one request carries to its endpoint. */
struct hub_call {
	struct hub *hub;
	PGconn *db;
	struct http_req *rq;
	struct http_resp *rs;
	char user_id[24]; /* the device's user and the device, as text */
	char device_id[24];
};

/* Reply with status and {"error": msg}; returns status. */
int hub_refuse(struct http_resp *rs, int status, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* The status for a statement that failed on db: 503 when the server is
 * gone, 400 for data it refused (an invalid value), else 500; the
 * reply is set. */
int hub_db_fail(struct hub_call *x, const struct cairn_err *err);

/* POST /v1/ops and GET /v1/ops (ops.c); each returns the status. */
int hub_push(struct hub_call *x);
int hub_pull(struct hub_call *x);

#endif
