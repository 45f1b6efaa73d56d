/*
 * taskwarrior.c: Taskwarrior's JSON in and out, through jansson.
 *
 * In: what `task export` writes, one JSON array or one object a line.
 *  - uuid matches the item (so importing twice adds nothing), description
 *    is the title, entry/start/end the time stamps, due the due date (in
 *    local time, as Taskwarrior shows it).
 *  - status: pending is planned (active when started), waiting paused,
 *    completed done, deleted dropped; recurring templates are planned.
 *  - project "A.B.C" is the breakdown tree, with the task below the
 *    deepest level.  A project cairn knows (the project it exported for
 *    the tasks below an item, or that of an item in the store) is that
 *    item; for any other level a project node is made (a goal at the
 *    top, milestones below, matched by the project path), which the
 *    export writes back only as the project of its tasks (tw-export.c).
 *  - depends are builds-on edges, tags tags, annotations notes (an
 *    annotation that is a URL, optionally followed by a label, is a
 *    link), priority H/M/L a likelihood of 0.9/0.6/0.3.
 *  - cairn's own fields travel as user-defined attributes named cairn*
 *    (Taskwarrior keeps unknown attributes): kind, parent, status, scope,
 *    novelty, p_success, estimate, likelihood, driven, visibility, body,
 *    why.  With them an export survives task import / task export
 *    whole.
 *  - Any other field is kept as a note ("taskwarrior FIELD: VALUE"), never
 *    dropped, and the export writes it back as the field; id, urgency
 *    and modified are Taskwarrior's own bookkeeping.
 *  - Every task is checked before the first write (task_item: the rules
 *    of 'cairn add', cairn_item_check): a bad one refuses the whole
 *    input, naming the task, and the store stays as it was.
 * Out: tw-export.c.
 *
 * Workload: the benchmark imports 100,000 tasks (bench/import.c, 40 MB
 * of JSON).  tw-read.c reads them into plain records (two threads for a
 * big array); this file validates every record with the pure validators
 * (cairn_item_check) before the first write, then sorts them and writes
 * them through the bulk writer's batches (imp_batch_begin) in one
 * thread, as SQLite needs.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cairn/core/order.h"
#include "fmt/tw-int.h"
#include "banned.h"

/* ---- import ---- */

struct twi {
	struct imp *im; /* NULL when only parsing */
	const char *source;
	struct cairn_err *err;
	char now[CAIRN_TS_LEN];
	const size_t *lines;
	int vis, vis_given;
	/* project path -> item id, as resolved so far */
	struct strmap projects;
	/* project path -> index of a task in the input whose cairnparent
	 * has its tasks under that project (what cairn exported) */
	struct strmap exported;
	const struct tw_task *tasks;
	/* project path -> item id for every item of the store (tw_paths),
	 * loaded on first need */
	struct strmap known;
	int known_loaded;
};

/* Where task number i sits in the input, for messages. */
static void
where(struct buf *b, const struct twi *t, const struct tw_task *tk)
{
	if (t->lines)
		buf_addf(b, "'%s' line %zu", t->source, t->lines[tk->i]);
	else
		buf_addf(b, "'%s' task %zu", t->source, tk->i + 1);
}

static int
bad_task(struct twi *t, const struct tw_task *tk, const char *what)
{
	struct buf w = BUF_INIT;
	int rc;

	where(&w, t, tk);
	rc = cairn_err_set(t->err, CAIRN_EINVAL, "%s: %s", w.buf, what);
	buf_release(&w);
	return rc;
}

/* Every item of the store by the project its children carry. */
static int
load_known(struct twi *t)
{
	struct tw_node *v = NULL;
	int64_t *ids = NULL;
	char **path = NULL, *proj = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	t->known_loaded = 1;
	if ((rc = imp_prepare(t->im,
	                      "SELECT id, uuid, title, parent FROM item "
	                      "ORDER BY id",
	                      &s)))
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = xrealloc(v, cap * sizeof(*v));
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n] = sqlite3_column_int64(s, 0);
		v[n].uuid = xstrdup(store_col_text(s, 1));
		v[n].title = xstrdup(store_col_text(s, 2));
		v[n++].parent = sqlite3_column_int64(s, 3); /* an id, for now */
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(t->im->st, t->err, "read the items");
		goto out;
	}
	rc = 0;
	for (size_t i = 0; i < n; i++)
		v[i].parent = v[i].parent ? cairn_id_find(ids, n, sizeof(*ids),
		                                          0, v[i].parent)
		                          : -1;
	path = xcalloc(n + 1, sizeof(*path));
	proj = xcalloc(n + 1, 1);
	tw_paths(v, n, path, proj);
	for (size_t i = 0; i < n; i++)
		if (!proj[i] && !strmap_get(&t->known, path[i]))
			strmap_put(&t->known, path[i], ids[i]);
out:
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].uuid);
		free((char *)v[i].title);
		free(path ? path[i] : NULL);
	}
	free(v);
	free(ids);
	free(path);
	free(proj);
	return rc;
}

/*
 * The item a project path stands for, when cairn knows it: resolved
 * before, the parent of the tasks cairn exported under it, or an item of
 * the store whose children carry it.  *id is 0 when none is, and for a
 * project node (project_item goes through imp_item for it).
 */
static int
known_project(struct twi *t, const char *path, int64_t *id)
{
	int64_t *v;
	char u[37];
	int rc;

	*id = 0;
	if ((v = strmap_get(&t->projects, path))) {
		*id = *v;
		return 0;
	}
	if ((v = strmap_get(&t->exported, path)) &&
	    (rc = imp_find(t->im, t->tasks[*v].f[TW_CAIRNPARENT], id)))
		return rc;
	if (!*id) {
		/* A project node: imp_item finds it (and counts it). */
		tw_project_uuid(path, u);
		if ((rc = imp_find(t->im, u, id)) || *id) {
			*id = 0;
			return rc;
		}
	}
	if (!*id && !t->known_loaded && t->im->fresh_from &&
	    (rc = load_known(t)))
		return rc;
	if (!*id && (v = strmap_get(&t->known, path)))
		*id = *v;
	if (*id)
		strmap_put(&t->projects, path, *id);
	return 0;
}

/* A project is one line, its levels are not blank, and it nests at most
 * FMT_DEPTH_MAX deep: each level can be an item's title. */
static int
check_project(struct twi *t, const struct tw_task *tk, const char *project)
{
	int depth = 0;

	if (cairn_line_check("project", project, NULL))
		return bad_task(t, tk,
		                "project must be one line without control "
		                "characters");
	for (const char *p = project; *p;) {
		size_t n = strcspn(p, ".");
		size_t blank = strspn(p, " ");

		if (n && blank >= n)
			return bad_task(t, tk, "project has a blank level");
		if (++depth > FMT_DEPTH_MAX) {
			struct buf m = BUF_INIT;
			int rc;

			buf_addf(&m,
			         "project '%.100s' nests deeper than %d "
			         "levels",
			         project, FMT_DEPTH_MAX);
			rc = bad_task(t, tk, m.buf);
			buf_release(&m);
			return rc;
		}
		p += n;
		if (*p == '.')
			p++;
	}
	return 0;
}

/* The item for a project path, made (with its ancestors) when missing. */
static int
project_item(struct twi *t, const char *project, int64_t *out)
{
	struct buf path = BUF_INIT;
	const char *p = project;
	int64_t parent = 0;
	int rc = 0;

	while (*p && !rc) {
		size_t n = strcspn(p, ".");
		int64_t known = 0;

		if (path.len)
			buf_addch(&path, '.');
		buf_add(&path, p, n);
		if (n && !(rc = known_project(t, path.buf, &known)) && known) {
			parent = known;
		} else if (n && !rc) {
			struct cairn_item it;

			cairn_item_init(&it);
			tw_project_uuid(path.buf, it.uuid);
			it.kind =
			        parent ? CAIRN_KIND_MILESTONE : CAIRN_KIND_GOAL;
			it.title = xmalloc(n + 1);
			memcpy(it.title, p, n);
			it.title[n] = '\0';
			it.parent = parent;
			it.visibility = t->vis;
			rc = imp_item(t->im, &it, IMP_PARENT, NULL);
			parent = it.id;
			cairn_item_release(&it);
			if (!rc)
				strmap_put(&t->projects, path.buf, parent);
		}
		p += n;
		if (*p == '.')
			p++;
	}
	*out = parent;
	buf_release(&path);
	return rc;
}

/* Is text a URL, maybe followed by a label?  Splits it when so. */
static int
url_annotation(const char *text, struct buf *url, const char **label)
{
	const char *sp = text;

	while (*sp && !isspace((unsigned char)*sp))
		sp++;
	buf_reset(url);
	buf_add(url, text, (size_t)(sp - text));
	if (!fmt_url_ok(url->buf))
		return 0;
	while (*sp && isspace((unsigned char)*sp))
		sp++;
	*label = *sp ? sp : NULL;
	return 1;
}

static int
number_field(struct twi *t, const struct tw_task *tk, int key, double lo,
             double hi, double *out)
{
	const char *s = tk->f[key];
	double v;

	if (!s)
		return 0;
	if (cairn_number_parse(s, 0, &v) || v < lo || v > hi) {
		struct buf m = BUF_INIT;
		int rc;

		buf_addf(&m, "%s '%s' is out of range", tw_names[key], s);
		rc = bad_task(t, tk, m.buf);
		buf_release(&m);
		return rc;
	}
	*out = v;
	return 1;
}

/*
 * What task tk says, as an item, without the store: every field read and
 * checked (cairn_item_check, the rules of 'cairn add'), and the task's
 * annotation times, depends and cairnparent checked too.  Fills it (the
 * caller releases it), *mask with the fields the task states, and
 * *has_cairn when it carries cairn's own attributes.
 */
static int
task_item(struct twi *t, const struct tw_task *tk, struct cairn_item *it,
          unsigned *mask, int *has_cairn)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	struct buf text = BUF_INIT;
	const char *s, *status;
	char ts[CAIRN_TS_LEN];
	int rc = 0, r;
	double d;

	cairn_item_init(it);
	*mask = IMP_TITLE | IMP_STATUS | IMP_CREATED;
	*has_cairn = 0;
	if (!tk->object)
		return bad_task(t, tk, "a task must be a JSON object");
	s = tk->f[TW_DESCRIPTION];
	if (!s || !*s)
		return bad_task(t, tk, "task has no description");
	it->title = xstrdup(s);
	if (tk->f[TW_UUID]) {
		if (!tk->uuid_ok) {
			rc = bad_task(t, tk, "malformed uuid");
			goto out;
		}
		memcpy(it->uuid, tk->uuid, sizeof(it->uuid));
	} else {
		buf_addf(&text, "tw:%s#%zu", t->source, tk->i);
		fmt_uuid_for(text.buf, it->uuid);
		buf_reset(&text);
	}
	/* Kind. */
	it->kind = CAIRN_KIND_MILESTONE;
	if ((s = tk->f[TW_CAIRNKIND])) {
		if ((r = cairn_kind_parse(s)) < 0) {
			rc = bad_task(t, tk, "unknown cairnkind");
			goto out;
		}
		it->kind = r;
		*mask |= IMP_KIND;
		*has_cairn = 1;
	}
	/* Status. */
	status = tk->f[TW_STATUS] ? tk->f[TW_STATUS] : "pending";
	s = tk->f[TW_CAIRNSTATUS];
	r = s ? cairn_status_parse(s) : -1;
	if (!strcmp(status, "completed")) {
		it->status = CAIRN_STATUS_DONE;
	} else if (!strcmp(status, "deleted")) {
		it->status = CAIRN_STATUS_DROPPED;
		s = tk->f[TW_CAIRNWHY];
		it->why = xstrdup(s && *s ? s : "deleted in Taskwarrior");
	} else if (!strcmp(status, "waiting")) {
		it->status = CAIRN_STATUS_PAUSED;
	} else {
		char wait[CAIRN_TS_LEN];

		it->status = tk->present & 1u << TW_START
		                     ? CAIRN_STATUS_ACTIVE
		                     : CAIRN_STATUS_PLANNED;
		/* Taskwarrior 2.6 keeps a waiting task pending, with a wait
		 * date in the future. */
		s = tk->f[TW_WAIT];
		if (s && !tw_to_ts(s, wait) && strcmp(wait, t->now) > 0)
			it->status = CAIRN_STATUS_PAUSED;
		if (r == CAIRN_STATUS_PLANNED || r == CAIRN_STATUS_ACTIVE ||
		    r == CAIRN_STATUS_PAUSED || r == CAIRN_STATUS_IDEA)
			it->status = r;
	}
	/* Times: there and not a time is an error. */
	if (tk->present & 1u << TW_ENTRY &&
	    tw_to_ts(tk->f[TW_ENTRY], it->created)) {
		rc = bad_task(t, tk, "malformed entry time");
		goto out;
	}
	if (tk->present & 1u << TW_START &&
	    tw_to_ts(tk->f[TW_START], it->started)) {
		rc = bad_task(t, tk, "malformed start time");
		goto out;
	}
	if (tk->present & 1u << TW_END &&
	    tw_to_ts(tk->f[TW_END], it->finished)) {
		rc = bad_task(t, tk, "malformed end time");
		goto out;
	}
	if (tk->present & 1u << TW_DUE) {
		if (!tk->due_ok) {
			rc = bad_task(t, tk, "malformed due time");
			goto out;
		}
		memcpy(it->due, tk->due, sizeof(it->due));
		*mask |= IMP_DUE;
	}
	/* Likelihood: priority, refined by cairn's exact value when the
	 * two agree. */
	s = tk->f[TW_PRIORITY];
	if (s && *s) {
		it->likelihood = !strcmp(s, "H")   ? 0.9
		                 : !strcmp(s, "M") ? 0.6
		                 : !strcmp(s, "L") ? 0.3
		                                   : -1;
		if (it->likelihood < 0) {
			rc = bad_task(t, tk, "priority must be H, M or L");
			goto out;
		}
		*mask |= IMP_LIKELIHOOD;
	}
	if ((r = number_field(t, tk, TW_CAIRNLIKELIHOOD, 0, 1, &d)) < 0) {
		rc = r;
		goto out;
	}
	if (r) {
		const char *pr = d >= 0.7 ? "H" : d >= 0.4 ? "M" : "L";

		if (!s || !strcmp(s, pr))
			it->likelihood = d;
		*mask |= IMP_LIKELIHOOD;
	}
	/* cairn's numbers. */
	{
		static const int keys[] = {TW_CAIRNSCOPE, TW_CAIRNNOVELTY,
		                           TW_CAIRNPSUCCESS};

		for (int n = 0; n < 3; n++) {
			r = number_field(t, tk, keys[n], n < 2 ? 1 : 0,
			                 n < 2 ? 5 : 1, &d);
			if (r < 0) {
				rc = r;
				goto out;
			}
			if (!r)
				continue;
			*mask |= IMP_NUMBERS;
			*has_cairn = 1;
			if (n == 0)
				it->scope = (int)d;
			else if (n == 1)
				it->novelty = (int)d;
			else
				it->p_success = d;
		}
		if ((s = tk->f[TW_CAIRNESTIMATE])) {
			if (cairn_estimate_parse(s, it->est, NULL)) {
				rc = bad_task(t, tk, "malformed cairnestimate");
				goto out;
			}
			*mask |= IMP_NUMBERS;
		}
	}
	if ((s = tk->f[TW_CAIRNDRIVEN])) {
		if ((r = cairn_driven_parse(s)) < 0) {
			rc = bad_task(t, tk, "unknown cairndriven");
			goto out;
		}
		it->driven = r;
		*mask |= IMP_DRIVEN;
	}
	it->visibility = t->vis;
	if ((s = tk->f[TW_CAIRNVISIBILITY]) && !t->vis_given) {
		if ((r = cairn_visibility_parse(s)) < 0) {
			rc = bad_task(t, tk, "unknown cairnvisibility");
			goto out;
		}
		it->visibility = r;
		*mask |= IMP_VISIBILITY;
	}
	if ((s = tk->f[TW_CAIRNBODY])) {
		it->body = xstrdup(s);
		*mask |= IMP_BODY;
	}
	if ((s = tk->f[TW_CAIRNPARENT]) && !fmt_uuid_ok(s)) {
		rc = bad_task(t, tk, "malformed cairnparent");
		goto out;
	}
	if ((s = tk->f[TW_PROJECT]) && (rc = check_project(t, tk, s)))
		goto out;
	/* Titles and reasons are one line: breaks become spaces. */
	fmt_one_line(it->title);
	fmt_one_line(it->why);
	if (cairn_item_check(it, &e)) {
		rc = bad_task(t, tk, e.msg);
		goto out;
	}
	for (size_t n = 0; n < tk->nann; n++) {
		const char *when = tk->ann[2 * n + 1];

		if (when && tw_to_ts(when, ts)) {
			rc = bad_task(t, tk, "malformed annotation time");
			goto out;
		}
	}
	for (size_t n = 0; n < tk->ndeps; n++) {
		if (!tk->deps[n] || !fmt_uuid_ok(tk->deps[n])) {
			rc = bad_task(t, tk, "malformed uuid in depends");
			goto out;
		}
	}
out:
	buf_release(&text);
	return rc;
}

/* Pass 1 for one task: the item, tags, annotations and stray fields. */
static int
import_task(struct twi *t, const struct tw_task *tk, int64_t *id)
{
	struct cairn_item it;
	struct buf text = BUF_INIT;
	const char *s;
	char ts[CAIRN_TS_LEN];
	unsigned mask;
	int rc, has_cairn;

	if ((rc = task_item(t, tk, &it, &mask, &has_cairn)))
		goto out;
	/* Parent: cairn's own when known already, else the project. */
	if ((s = tk->f[TW_CAIRNPARENT])) {
		int64_t p = 0;

		if ((rc = imp_find(t->im, s, &p)))
			goto out;
		it.parent = p;
		if (p)
			mask |= IMP_PARENT;
	} else if ((s = tk->f[TW_PROJECT]) && *s) {
		if ((rc = project_item(t, s, &it.parent)))
			goto out;
		mask |= IMP_PARENT;
	} else if (has_cairn) {
		mask |= IMP_PARENT; /* a root in cairn's own export */
	}
	if ((rc = imp_item(t->im, &it, mask, NULL)))
		goto out;
	*id = it.id;
	/* Tags. */
	for (size_t n = 0; n < tk->ntags; n++) {
		const char *name = tk->tags[n];

		if (cairn_tag_check(name, NULL)) {
			buf_reset(&text);
			buf_addf(&text, "taskwarrior tag: %s", name);
			rc = imp_note(t->im, it.id, text.buf, NULL);
		} else {
			rc = imp_tag(t->im, it.id, name);
		}
		if (rc)
			goto out;
	}
	/* Annotations: notes, or links (times checked by task_item). */
	if (tk->nann) {
		struct buf url = BUF_INIT;

		for (size_t n = 0; n < tk->nann && !rc; n++) {
			const char *desc = tk->ann[2 * n];
			const char *when = tk->ann[2 * n + 1];
			const char *label;

			ts[0] = '\0';
			if (when)
				tw_to_ts(when, ts);
			if (url_annotation(desc, &url, &label))
				rc = imp_link(t->im, it.id, url.buf, label, ts);
			else
				rc = imp_note(t->im, it.id, desc, ts);
		}
		buf_release(&url);
		if (rc)
			goto out;
	}
	/* Everything else is kept as a note. */
	for (size_t n = 0; n < tk->nnotes && !rc; n++)
		rc = imp_note(t->im, it.id, tk->notes[n], NULL);
out:
	buf_release(&text);
	cairn_item_release(&it);
	return rc;
}

/* Pass 2: parents named by uuid and depends, now every task is in. */
static int
link_task(struct twi *t, const struct tw_task *tk, int64_t id)
{
	struct buf note = BUF_INIT;
	const char *s;
	int rc = 0;

	if ((s = tk->f[TW_CAIRNPARENT])) {
		int64_t p;

		if ((rc = imp_find(t->im, s, &p)))
			goto out;
		if (p)
			rc = imp_set_parent(t->im, id, p);
		else {
			buf_addf(&note,
			         "taskwarrior cairnparent: %s (not "
			         "found)",
			         s);
			rc = imp_note(t->im, id, note.buf, NULL);
		}
		if (rc)
			goto out;
	}
	for (size_t n = 0; n < tk->ndeps && !rc; n++) {
		int64_t pre = 0;

		s = tk->deps[n];
		if ((rc = imp_find(t->im, s, &pre)))
			break;
		if (pre) {
			rc = imp_edge(t->im, id, pre);
		} else {
			buf_reset(&note);
			buf_addf(&note,
			         "taskwarrior depends: %s (not imported)", s);
			rc = imp_note(t->im, id, note.buf, NULL);
		}
	}
out:
	buf_release(&note);
	return rc;
}

struct ordered {
	const struct tw_task *task;
	const char *uuid;
};

/* By entry time (both forms sort as time), then uuid, then input order. */
static int
task_cmp(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	int c;

	if ((c = strcmp(x->task->entry, y->task->entry)))
		return c;
	if ((c = strcmp(x->uuid, y->uuid)))
		return c;
	return x->task->i < y->task->i ? -1 : x->task->i > y->task->i;
}

static void
twi_init(struct twi *t, const char *source, int visibility,
         struct cairn_err *err)
{
	memset(t, 0, sizeof(*t));
	t->source = source;
	t->err = err;
	t->vis_given = visibility >= 0;
	t->vis = visibility >= 0 ? visibility : CAIRN_VIS_PRIVATE;
	cairn_now(t->now);
}

static void
twi_release(struct twi *t)
{
	strmap_release(&t->projects);
	strmap_release(&t->exported);
	strmap_release(&t->known);
}

/*
 * Read and check every task before the first write: the input is
 * refused whole, naming its first bad task, or every task is one cairn
 * can store.
 */
static int
read_and_check(struct twi *t, const char *data, size_t len, struct tw_reader *r,
               size_t **lines)
{
	struct cairn_item it;
	unsigned mask;
	int rc, has_cairn;

	if ((rc = tw_tasks_read(data, len, t->source, r, lines, t->err)))
		return rc;
	t->lines = *lines;
	t->tasks = r->v;
	for (size_t i = 0; i < r->n && !rc; i++) {
		const struct tw_task *tk = &r->v[i];

		rc = task_item(t, tk, &it, &mask, &has_cairn);
		cairn_item_release(&it);
		/* The project cairn exported for the tasks below an item. */
		if (!rc && tk->f[TW_CAIRNPARENT] && tk->f[TW_PROJECT] &&
		    !strmap_get(&t->exported, tk->f[TW_PROJECT]))
			strmap_put(&t->exported, tk->f[TW_PROJECT], (int64_t)i);
	}
	return rc;
}

int
fmt_tw_parse(const char *data, size_t len, const char *source, size_t *ntasks,
             struct cairn_err *err)
{
	struct twi t;
	struct tw_reader r;
	size_t *lines = NULL;
	int rc;

	twi_init(&t, source, -1, err);
	rc = read_and_check(&t, data, len, &r, &lines);
	if (ntasks)
		*ntasks = rc ? 0 : r.n;
	tw_reader_release(&r);
	free(lines);
	twi_release(&t);
	return rc;
}

int
fmt_tw_import(struct imp *im, const char *data, size_t len)
{
	struct twi t;
	struct tw_reader r;
	size_t *lines = NULL, i, ntasks;
	int64_t *ids = NULL;
	struct ordered *order = NULL;
	int rc;

	twi_init(&t, im->source, im->opts->visibility, im->err);
	t.im = im;
	memcpy(t.now, im->now, sizeof(t.now));
	if ((rc = read_and_check(&t, data, len, &r, &lines)) ||
	    (rc = imp_batch_begin(im)))
		goto out;
	ntasks = r.n;
	ids = xcalloc(ntasks + 1, sizeof(*ids));
	order = xmalloc((ntasks + 1) * sizeof(*order));
	for (i = 0; i < ntasks; i++) {
		order[i].task = &r.v[i];
		order[i].uuid = r.v[i].f[TW_UUID] ? r.v[i].f[TW_UUID] : "";
	}
	/* Oldest first, so ids follow creation as in cairn's own export. */
	qsort(order, ntasks, sizeof(*order), task_cmp);
	for (i = 0; i < ntasks && !rc; i++) {
		rc = import_task(&t, order[i].task, &ids[i]);
		imp_progress(im, i + 1, 2 * ntasks);
	}
	/* Journal the new rows before pass 2 updates any of them. */
	if (!rc)
		rc = imp_journal_flush(im);
	for (i = 0; i < ntasks && !rc; i++) {
		rc = link_task(&t, order[i].task, ids[i]);
		imp_progress(im, ntasks + i + 1, 2 * ntasks);
	}
out:
	tw_reader_release(&r);
	free(lines);
	free(ids);
	free(order);
	twi_release(&t);
	return rc;
}
