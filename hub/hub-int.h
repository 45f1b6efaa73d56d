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
/* A fresh one-time code (HUB_CODE_HEX random hex digits) and its hash:
 * enrolment and invite codes. */
int hub_code_new(char code[HUB_CODE_HEX + 1], char hash[HUB_HASH_PARAM],
                 struct cairn_err *err);
/* The hash of a code a client sent; -1 when it is not HUB_CODE_HEX hex
 * digits. */
int hub_code_hash(const char *code, char hash[HUB_HASH_PARAM]);

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
		unsigned count, prev; /* this minute's, the one before's */
	} slot[HUB_RATE_SLOTS];
};

/* The hub's copies of users' roadmaps (copy.c): store files in dir. */
struct hub_copies {
	pthread_mutex_t mu; /* held while a copy is made */
	char *dir;
};

#define HUB_LOGINS_MAX 4 /* password checks at once (64 MiB each) */

struct hub {
	struct http_server *srv;
	struct hub_pool pool;
	struct hub_rate rate;
	struct hub_copies copies;
	pthread_mutex_t login_mu;
	int logins;               /* password checks running */
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

/*
 * Count a request of kind (a device, an address) against key's minute
 * (the rate of `hub serve --rate`): 0 when within it, else the seconds
 * until the next minute.
 */
unsigned hub_rate_take(struct hub *h, const char *kind, const char *key);

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
/* A query argument of digits only, at most max (def when absent): 0, or
 * the status of the 400 replied. */
int hub_arg_number(struct hub_call *x, const char *name, long long def,
                   long long max, long long *out);

/* ---- the lab (lab.c: rules and administration; lab-api.c: routes) ---- */

extern const char *const hub_roles[]; /* lead mentor member viewer NULL */

/* What one lab user may read of another's items (lab.c's table). */
enum hub_see {
	HUB_SEE_NONE,  /* nothing: the route answers 404 */
	HUB_SEE_GOALS, /* the lab goals (the lead's shared goals) */
	HUB_SEE_LAB,   /* every lab and public item */
	HUB_SEE_OWN,   /* one's own: the same, by right */
};

/* The rule itself: my role in the lab, whether it is me, their role,
 * whether I mentor them there. */
enum hub_see hub_lab_sees(const char *my_role, int self, const char *their_role,
                          int i_mentor_them);

/*
 * The items of one user the lab may read, folded from their plain
 * operations by the hub itself: a WITH clause for a statement whose $1
 * is the owner's id, defining it(u, fields): per item (its uuid u) and
 * field the value of the operation with the latest clock, an item whose
 * latest delete is newer than its latest put left out, and only items
 * whose visibility (so folded) is lab or public.  Private operations are
 * sealed: the hub cannot read them and never folds them.  The one fold:
 * the items route (lab-api.c) and hub_comment_add use it.
 */
#define HUB_ITEMS_WITH                                                         \
	"WITH o AS (SELECT body, clock FROM hub.ops "                          \
	" WHERE user_id = $1::bigint AND body IS NOT NULL "                    \
	" AND body->>'entity' = 'item'), "                                     \
	"f AS (SELECT o.body->>'uuid' AS u, kv.key AS k, kv.value AS v, "      \
	"  o.clock AS c FROM o, jsonb_each(o.body->'value') kv "               \
	"  WHERE o.body->>'action' = 'put' "                                   \
	" UNION ALL SELECT body->>'uuid', body->>'field', body->'value', "     \
	"  clock FROM o WHERE body->>'action' = 'set' "                        \
	"  AND jsonb_typeof(body->'field') = 'string'), "                      \
	"latest AS (SELECT DISTINCT ON (u, k) u, k, v FROM f "                 \
	" ORDER BY u, k, c DESC), "                                            \
	"life AS (SELECT body->>'uuid' AS u, "                                 \
	" max(clock) FILTER (WHERE body->>'action' = 'del') AS d, "            \
	" max(clock) FILTER (WHERE body->>'action' = 'put') AS p "             \
	" FROM o GROUP BY 1), "                                                \
	"folded AS (SELECT l.u, jsonb_object_agg(l.k, l.v) AS fields "         \
	" FROM latest l JOIN life ON life.u = l.u "                            \
	" WHERE life.d IS NULL OR life.d < coalesce(life.p, '') "              \
	" GROUP BY l.u), "                                                     \
	"it AS (SELECT u, fields FROM folded "                                 \
	" WHERE fields->>'visibility' IN ('lab', 'public')) "

/* A lab as a user belongs to it. */
struct hub_lab_ref {
	char lab_id[24];
	char role[8];
};

/* 1 and *out filled when user_id belongs to the lab named lab, 0 when
 * not (or there is no such lab: the same to the caller), or err's code. */
int hub_lab_role(PGconn *db, const char *user_id, const char *lab,
                 struct hub_lab_ref *out, struct cairn_err *err);
/* 1 when user_id may read some of whom's items in lab: *me, whom_id and
 * *see set; 0 when not (the caller answers 404 whatever the reason), or
 * err's code. */
int hub_lab_access(PGconn *db, const char *user_id, const char *lab,
                   const char *whom, struct hub_lab_ref *me, char whom_id[24],
                   enum hub_see *see, struct cairn_err *err);
/*
 * The mentor loop's rules.  ask: user_id (a member of a lab) puts the
 * statement of its prediction pred (about item, or NULL) to `to`, who
 * leads that lab or mentors user_id there; asked again, the same
 * question (its id).  1 with to_id and id set, 0 when `to` is no such
 * user, or err's code.  answer: user_id answers question qid, once, if it
 * was put to them.
 */
/*
 * The rule itself, as SQL over two user ids: whether asker may put a
 * question to `to` (to leads a lab asker is a member of, or mentors
 * asker there).  Checked when it is put, when it is answered and when it
 * is listed, so a question whose mentorship has ended is answered by no
 * one.  HUB_OPEN_TO_ME: the questions q open to user $1.
 */
#define HUB_MAY_ASK(asker, to)                                                 \
	"EXISTS (SELECT 1 FROM hub.memberships a JOIN hub.memberships b "      \
	"ON b.lab_id = a.lab_id AND b.user_id = " to                           \
	" WHERE a.user_id = " asker                                            \
	" AND a.role = 'member' AND (b.role = 'lead' OR EXISTS "               \
	"(SELECT 1 FROM hub.mentorships s WHERE s.lab_id = a.lab_id AND "      \
	"s.mentor_id = " to " AND s.member_id = " asker ")))"
#define HUB_OPEN_TO_ME                                                         \
	"q.addressee_id = $1::bigint AND q.answered IS NULL AND " HUB_MAY_ASK( \
	        "q.asker_id", "q.addressee_id")
int hub_question_ask(PGconn *db, const char *user_id, const char *pred,
                     const char *to, const char *statement, const char *item,
                     char to_id[24], char id[24], struct cairn_err *err);
enum {
	HUB_ANSWER_FAILED = -1, /* err set */
	HUB_ANSWER_OK,
	HUB_ANSWER_NONE,  /* no such question put to user_id */
	HUB_ANSWER_AGAIN, /* answered already */
};
int hub_question_answer(PGconn *db, const char *user_id, const char *qid,
                        int outcome, const char *why, struct cairn_err *err);
/*
 * A comment of author_id on item_uuid, one of whom's items in lab,
 * which reaches whom's store as a note marked with its author (GET
 * /v1/comments).  Allowed when author_id leads the lab or mentors whom
 * there (hub.mentorships), whom is not author_id, the item is one of
 * whom's that the lab may read (HUB_ITEMS_WITH: lab or public, not
 * deleted), and text is a note (cairn_note_check) of at most
 * HUB_TEXT_MAX bytes.  1 with id set when added; 0 when not allowed,
 * for whatever reason (the caller answers 404, so nothing tells a
 * refusal from "no such item"); -1 with err set when the database
 * failed.  In one transaction: a refusal changes nothing.
 */
#define HUB_TEXT_MAX 4000 /* bytes of a statement, a reason or a comment */
int hub_comment_add(PGconn *db, const char *author_id, const char *lab,
                    const char *whom, const char *item_uuid, const char *text,
                    char id[24], struct cairn_err *err);
/* Note a refusal worth an eye in hub.refusals (kind "join", "lab",
 * "answer", "question", "comment"), outside any transaction (one open is rolled
 * back first). */
void hub_log_refusal(struct hub_call *x, const char *kind, const char *detail);

/* A statement, a reason or a comment: 1 to HUB_TEXT_MAX bytes. */
int hub_text_ok(const char *s);

/* The lab's routes (lab-api.c); x is authenticated; each returns the
 * status.  parts are the path's segments after /v1/. */
int hub_lab_route(struct hub_call *x, char **parts, int nparts);

/* ---- the lab's pages (copy.c, web.c, pages.c) ---- */

struct cairn_store;

int hub_copies_init(struct hub_copies *cp, struct cairn_err *err);
void hub_copies_release(struct hub_copies *cp);
/*
 * A store holding what user_id's plain operations give (copy.c): the
 * hub's copy of their lab and public roadmap, read with the library's
 * functions.  Read it only (several requests share the file); free it
 * with cairn_store_free.  CAIRN_EDB and the store's errors.
 */
int hub_copy_open(struct hub_call *x, const char *user_id,
                  struct cairn_store **out, struct cairn_err *err);

/* Who a page request comes from: a user logged in (web.c). */
struct hub_session {
	char user_id[24];
	char name[HUB_NAME_MAX + 1];
	char csrf[HTTP_TOKEN_HEX + 1];
};

/* A request for one of the lab's pages (any path outside /v1/): the
 * login, the session, its CSRF token on a write, then the page. */
int hub_page(struct hub_call *x);

/* The frame of every page (web.c), escaped; csrf is the form field. */
void hub_page_begin(struct buf *out, const struct hub_session *me,
                    const char *title);
void hub_page_end(struct buf *out);
void hub_page_csrf(struct buf *out, const struct hub_session *me);
/* Reply with an HTML page saying msg (escaped); returns status. */
int hub_page_refuse(struct hub_call *x, const struct hub_session *me,
                    int status, const char *msg);

/* The pages themselves (pages.c): a status. */
int hub_pages_route(struct hub_call *x, const struct hub_session *me);

#endif
