/*
 * pg.c: the hub's PostgreSQL connections: connecting with a timeout,
 * running a parameterised statement, and a small pool per process.
 *
 * Every statement is PQexecParams with its values as text parameters;
 * no value is ever part of the SQL text.  The pool holds at most
 * HUB_POOL_MAX connections; a request takes one for its duration.  A
 * connection whose server went away is closed when given back, so the
 * next request connects afresh: the pool is the hub's only state besides
 * the rate counters, and losing it loses nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/hub-int.h"
#include "../lib/banned.h"

PGconn *
hub_connect(const char *pg, struct cairn_err *err)
{
	/* Later keywords win: the connection string's own settings
	 * override these defaults. */
	const char *const keys[] = {"connect_timeout", "application_name",
	                            "dbname", NULL};
	const char *const vals[] = {"5", "cairn-hub", pg, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	const char *msg;
	size_t n;

	if (c && PQstatus(c) == CONNECTION_OK)
		return c;
	msg = c ? PQerrorMessage(c) : "out of memory";
	n = strcspn(msg, "\n");
	cairn_err_set(err, CAIRN_EDB, "cannot connect to PostgreSQL: %.*s",
	              (int)n, msg);
	PQfinish(c);
	return NULL;
}

PGresult *
hub_exec(PGconn *c, const char *sql, int n, const char *const *params,
         struct cairn_err *err)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	const char *msg, *state;
	size_t len;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (!msg)
		msg = PQerrorMessage(c);
	len = strcspn(msg, "\n");
	cairn_err_set(err,
	              state && !strncmp(state, "22", 2) ? CAIRN_EINVAL
	                                                : CAIRN_EDB,
	              "PostgreSQL: %.*s", (int)len, msg);
	PQclear(r);
	return NULL;
}

int
hub_run(PGconn *c, const char *sql, int n, const char *const *params,
        struct cairn_err *err)
{
	PGresult *r = hub_exec(c, sql, n, params, err);

	if (!r)
		return err ? err->code : CAIRN_EDB;
	PQclear(r);
	return 0;
}

void
hub_pool_init(struct hub_pool *p, const char *pg)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->pg = xstrdup(pg);
}

void
hub_pool_release(struct hub_pool *p)
{
	for (int i = 0; i < p->nidle; i++)
		PQfinish(p->idle[i]);
	p->nidle = p->total = 0;
	free(p->pg);
	p->pg = NULL;
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
}

PGconn *
hub_pool_take(struct hub_pool *p, int *reused, struct cairn_err *err)
{
	struct timespec until;
	PGconn *c = NULL;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&p->mu);
	while (!p->nidle && p->total >= HUB_POOL_MAX)
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until)) {
			pthread_mutex_unlock(&p->mu);
			cairn_err_set(err, CAIRN_EBUSY,
			              "every database connection is busy");
			return NULL;
		}
	if (p->nidle) {
		c = p->idle[--p->nidle];
		pthread_mutex_unlock(&p->mu);
		*reused = 1;
		return c;
	}
	p->total++;
	pthread_mutex_unlock(&p->mu);
	*reused = 0;
	if (!(c = hub_connect(p->pg, err))) {
		pthread_mutex_lock(&p->mu);
		p->total--;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return c;
}

void
hub_pool_give(struct hub_pool *p, PGconn *c)
{
	int bad;

	if (!c)
		return;
	/* A connection left inside a transaction (a request that failed
	 * half-way) is no better than a lost one. */
	bad = PQstatus(c) != CONNECTION_OK ||
	      PQtransactionStatus(c) != PQTRANS_IDLE;
	pthread_mutex_lock(&p->mu);
	if (bad) {
		p->total--;
	} else {
		p->idle[p->nidle++] = c;
		c = NULL;
	}
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	PQfinish(c);
}
