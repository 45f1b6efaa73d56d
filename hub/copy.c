/*
 * copy.c: the hub's copy of a user's roadmap, for the lab's pages.
 *
 * The hub holds each user's plain operations (their lab and public
 * items, and what hangs on them).  A page about a user's roadmap needs
 * what the user's own store would show of those items: a goal's plan and
 * forecast, `next`, the focus report, calibration.  So the pages do not
 * fold operations themselves: they apply the user's plain operations, in
 * the order the hub took them, to a store of their own with
 * cairn_sync_apply (the merge every replica runs), and call the same
 * library functions the CLI does on that store.  An item whose
 * visibility is private in the result (it became private after it was
 * shared: that change is sent in plain) is removed from the copy with
 * everything below it, so no page shows it.
 *
 * A copy is a store file in the hub's own folder (made at start, removed
 * at stop), named by the user and the last operation it holds, and made
 * again only when the user has pushed since.  Copies are made one at a
 * time (the mutex); once made, a file is never written again, so any
 * number of requests read it at once.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cairn/cairn.h"
#include "cairn/store/sync.h"
#include "hub/hub-int.h"
#include "../lib/banned.h"

#define COPY_BATCH "500" /* operations applied in one change */

int
hub_copies_init(struct hub_copies *cp, struct cairn_err *err)
{
	const char *tmp = getenv("TMPDIR");
	struct buf b = BUF_INIT;

	pthread_mutex_init(&cp->mu, NULL);
	buf_addf(&b, "%s/cairn-hub-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(b.buf)) {
		buf_release(&b);
		pthread_mutex_destroy(&cp->mu);
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot make a folder for the lab's "
		                     "pages in %s",
		                     tmp && *tmp ? tmp : "/tmp");
	}
	cp->dir = buf_detach(&b, NULL);
	return 0;
}

/* Remove the files of dir whose names start with prefix (all: ""). */
static void
remove_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct buf path = BUF_INIT;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && strncmp(e->d_name, ".u", 2))
			continue;
		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, e->d_name);
		unlink(path.buf);
	}
	if (d)
		closedir(d);
	buf_release(&path);
}

void
hub_copies_release(struct hub_copies *cp)
{
	if (!cp->dir)
		return;
	remove_files(cp->dir, "");
	rmdir(cp->dir);
	free(cp->dir);
	cp->dir = NULL;
	pthread_mutex_destroy(&cp->mu);
}

/* Apply user_id's plain operations to st, a batch at a time. */
static int
apply_all(PGconn *db, const char *user_id, struct cairn_store *st,
          struct cairn_err *err)
{
	char after[24] = "0";
	const char *p[2] = {user_id, after};

	for (;;) {
		PGresult *r = hub_exec(
		        db,
		        "SELECT seq, body::text FROM hub.ops "
		        "WHERE user_id = $1::bigint AND body IS NOT NULL "
		        "AND seq > $2::bigint ORDER BY seq LIMIT " COPY_BATCH,
		        2, p, err);
		json_t *ops;
		struct cairn_sync_result res;
		int n, rc = 0;

		if (!r)
			return CAIRN_EDB;
		n = PQntuples(r);
		if (!n) {
			PQclear(r);
			return 0;
		}
		ops = json_array();
		for (int i = 0; i < n; i++) {
			json_t *op = json_loads(PQgetvalue(r, i, 1), 0, NULL);

			if (op)
				json_array_append_new(ops, op);
		}
		snprintf(after, sizeof(after), "%s", PQgetvalue(r, n - 1, 0));
		PQclear(r);
		rc = cairn_sync_apply(st, ops, &res, err);
		json_decref(ops);
		if (rc)
			return rc;
	}
}

/* Remove from st every item that is not lab or public (it, or an
 * ancestor, became private), with what is below it. */
static int
drop_private(struct cairn_store *st, struct cairn_err *err)
{
	struct cairn_roadmap rm;
	int rc;

	if ((rc = cairn_roadmap_load(st, &rm, err)))
		return rc;
	for (size_t i = 0; i < rm.n && !rc; i++)
		if (rm.items[i].visibility == CAIRN_VIS_PRIVATE &&
		    (rm.parent[i] < 0 ||
		     rm.items[rm.parent[i]].visibility != CAIRN_VIS_PRIVATE))
			rc = cairn_item_remove(st, rm.items[i].id, 1, err);
	cairn_roadmap_release(&rm);
	return rc;
}

int
hub_copy_open(struct hub_call *x, const char *user_id, struct cairn_store **out,
              struct cairn_err *err)
{
	struct hub_copies *cp = &x->hub->copies;
	const char *p[] = {user_id};
	struct buf path = BUF_INIT, tmp = BUF_INIT, prefix = BUF_INIT;
	struct cairn_store *st = NULL;
	PGresult *r;
	int rc;

	*out = NULL;
	r = hub_exec(x->db,
	             "SELECT coalesce(max(seq), 0) FROM hub.ops "
	             "WHERE user_id = $1::bigint",
	             1, p, err);
	if (!r)
		return CAIRN_EDB;
	buf_addf(&prefix, "u%s-", user_id);
	buf_addf(&path, "%s/%s%s.db", cp->dir, prefix.buf, PQgetvalue(r, 0, 0));
	PQclear(r);
	pthread_mutex_lock(&cp->mu);
	if (access(path.buf, F_OK) == 0) {
		pthread_mutex_unlock(&cp->mu);
		rc = cairn_store_open(out, path.buf, 0, err);
		goto done;
	}
	/* Made aside, then renamed: a reader finds a whole copy or none. */
	buf_addf(&tmp, "%s/.%s.tmp", cp->dir, prefix.buf);
	unlink(tmp.buf);
	if (!(rc = cairn_store_open(&st, tmp.buf, CAIRN_OPEN_CREATE, err)) &&
	    !(rc = apply_all(x->db, user_id, st, err)))
		rc = drop_private(st, err);
	cairn_store_free(st);
	if (!rc) {
		remove_files(cp->dir, prefix.buf);
		if (rename(tmp.buf, path.buf))
			rc = cairn_err_set(err, CAIRN_EDB,
			                   "cannot keep the copy of a roadmap");
	}
	if (rc)
		unlink(tmp.buf);
	pthread_mutex_unlock(&cp->mu);
	if (!rc)
		rc = cairn_store_open(out, path.buf, 0, err);
done:
	buf_release(&path);
	buf_release(&tmp);
	buf_release(&prefix);
	return rc;
}
