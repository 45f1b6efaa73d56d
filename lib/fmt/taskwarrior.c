/*
 * taskwarrior.c: Taskwarrior's JSON in and out, through jansson.
 *
 * In: what `task export` writes, one JSON array or one object a line.
 *  - uuid matches the item (so importing twice adds nothing), description
 *    is the title, entry/start/end the time stamps, due the due date (in
 *    local time, as Taskwarrior shows it).
 *  - status: pending is planned (active when started), waiting paused,
 *    completed done, deleted dropped; recurring templates are planned.
 *  - project "A.B.C" is the breakdown tree: one item per project level
 *    (a goal at the top, milestones below, matched by the project path)
 *    with the task below the deepest.
 *  - depends are builds-on edges, tags tags, annotations notes (an
 *    annotation that is a URL, optionally followed by a label, is a
 *    link), priority H/M/L a likelihood of 0.9/0.6/0.3.
 *  - cairn's own fields travel as user-defined attributes named cairn*
 *    (Taskwarrior keeps unknown attributes): kind, parent, status, scope,
 *    novelty, p_success, estimate, likelihood, driven, visibility, body,
 *    why.  With them an export survives task import / task export
 *    whole.
 *  - Any other field is kept as a note ("taskwarrior FIELD: VALUE"), never
 *    dropped; id, urgency and modified are Taskwarrior's own bookkeeping.
 * Out: a JSON array `task import` reads, one task a line, items in id
 * order, annotation times made unique per task (Taskwarrior keys
 * annotations by time).
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

#include "fmt/tw-int.h"
#include "banned.h"

/* ---- import ---- */

struct twi {
	struct imp *im;
	struct strmap projects; /* project path -> item id */
	int vis;
};

/* Where task number i sits in the input, for messages. */
static void
where(struct buf *b, const struct twi *t, size_t i, const size_t *lines)
{
	if (lines)
		buf_addf(b, "'%s' line %zu", t->im->source, lines[i]);
	else
		buf_addf(b, "'%s' task %zu", t->im->source, i + 1);
}

static int
bad_task(struct twi *t, size_t i, const size_t *lines, const char *what)
{
	struct buf w = BUF_INIT;
	int rc;

	where(&w, t, i, lines);
	rc = cairn_err_set(t->im->err, CAIRN_EINVAL, "%s: %s", w.buf, what);
	buf_release(&w);
	return rc;
}

/* The item for a project path, made (with its ancestors) when missing. */
static int
project_item(struct twi *t, const char *project, int64_t *out)
{
	struct buf path = BUF_INIT, key = BUF_INIT;
	const char *p = project;
	int64_t parent = 0;
	int rc = 0, depth = 0;

	while (*p && !rc) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		int64_t *known;

		if (path.len)
			buf_addch(&path, '.');
		buf_add(&path, p, n);
		if (++depth > FMT_DEPTH_MAX)
			rc = cairn_err_set(t->im->err, CAIRN_EINVAL,
			                   "project '%.100s' in '%s' nests "
			                   "deeper than %d levels",
			                   project, t->im->source,
			                   FMT_DEPTH_MAX);
		else if ((known = strmap_get(&t->projects, path.buf))) {
			parent = *known;
		} else if (n) {
			struct cairn_item it;

			cairn_item_init(&it);
			buf_reset(&key);
			buf_addf(&key, "tw-project:%s", path.buf);
			fmt_uuid_for(key.buf, it.uuid);
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
	buf_release(&key);
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
             double hi, double *out, const size_t *lines)
{
	const char *s = tk->f[key];
	double v;

	if (!s)
		return 0;
	if (cairn_number_parse(s, 0, &v) || v < lo || v > hi) {
		struct buf m = BUF_INIT;
		int rc;

		buf_addf(&m, "%s '%s' is out of range", tw_names[key], s);
		rc = bad_task(t, tk->i, lines, m.buf);
		buf_release(&m);
		return rc;
	}
	*out = v;
	return 1;
}

/* Pass 1 for one task: the item, tags, annotations and stray fields. */
static int
import_task(struct twi *t, const struct tw_task *tk, const size_t *lines,
            int64_t *id)
{
	struct cairn_item it;
	struct buf text = BUF_INIT;
	const char *s, *status;
	char ts[CAIRN_TS_LEN];
	unsigned mask = IMP_TITLE | IMP_STATUS | IMP_CREATED;
	int rc = 0, has_cairn = 0, r;
	size_t i = tk->i;
	double d;

	cairn_item_init(&it);
	if (!tk->object)
		return bad_task(t, i, lines, "a task must be a JSON object");
	s = tk->f[TW_DESCRIPTION];
	if (!s || !*s)
		return bad_task(t, i, lines, "task has no description");
	it.title = xstrdup(s);
	if (tk->f[TW_UUID]) {
		if (!tk->uuid_ok) {
			rc = bad_task(t, i, lines, "malformed uuid");
			goto out;
		}
		memcpy(it.uuid, tk->uuid, sizeof(it.uuid));
	} else {
		buf_addf(&text, "tw:%s#%zu", t->im->source, i);
		fmt_uuid_for(text.buf, it.uuid);
		buf_reset(&text);
	}
	/* Kind. */
	it.kind = CAIRN_KIND_MILESTONE;
	if ((s = tk->f[TW_CAIRNKIND])) {
		if ((r = cairn_kind_parse(s)) < 0) {
			rc = bad_task(t, i, lines, "unknown cairnkind");
			goto out;
		}
		it.kind = r;
		mask |= IMP_KIND;
		has_cairn = 1;
	}
	/* Status. */
	status = tk->f[TW_STATUS] ? tk->f[TW_STATUS] : "pending";
	s = tk->f[TW_CAIRNSTATUS];
	r = s ? cairn_status_parse(s) : -1;
	if (!strcmp(status, "completed")) {
		it.status = CAIRN_STATUS_DONE;
	} else if (!strcmp(status, "deleted")) {
		it.status = CAIRN_STATUS_DROPPED;
		s = tk->f[TW_CAIRNWHY];
		it.why = xstrdup(s && *s ? s : "deleted in Taskwarrior");
	} else if (!strcmp(status, "waiting")) {
		it.status = CAIRN_STATUS_PAUSED;
	} else {
		char wait[CAIRN_TS_LEN];

		it.status = tk->present & 1u << TW_START ? CAIRN_STATUS_ACTIVE
		                                         : CAIRN_STATUS_PLANNED;
		/* Taskwarrior 2.6 keeps a waiting task pending, with a wait
		 * date in the future. */
		s = tk->f[TW_WAIT];
		if (s && !tw_to_ts(s, wait) && strcmp(wait, t->im->now) > 0)
			it.status = CAIRN_STATUS_PAUSED;
		if (r == CAIRN_STATUS_PLANNED || r == CAIRN_STATUS_ACTIVE ||
		    r == CAIRN_STATUS_PAUSED || r == CAIRN_STATUS_IDEA)
			it.status = r;
	}
	/* Times: there and not a time is an error. */
	if (tk->present & 1u << TW_ENTRY &&
	    tw_to_ts(tk->f[TW_ENTRY], it.created)) {
		rc = bad_task(t, i, lines, "malformed entry time");
		goto out;
	}
	if (tk->present & 1u << TW_START &&
	    tw_to_ts(tk->f[TW_START], it.started)) {
		rc = bad_task(t, i, lines, "malformed start time");
		goto out;
	}
	if (tk->present & 1u << TW_END &&
	    tw_to_ts(tk->f[TW_END], it.finished)) {
		rc = bad_task(t, i, lines, "malformed end time");
		goto out;
	}
	if (tk->present & 1u << TW_DUE) {
		if (!tk->due_ok) {
			rc = bad_task(t, i, lines, "malformed due time");
			goto out;
		}
		memcpy(it.due, tk->due, sizeof(it.due));
		mask |= IMP_DUE;
	}
	/* Likelihood: priority, refined by cairn's exact value when the
	 * two agree. */
	s = tk->f[TW_PRIORITY];
	if (s && *s) {
		it.likelihood = !strcmp(s, "H")   ? 0.9
		                : !strcmp(s, "M") ? 0.6
		                : !strcmp(s, "L") ? 0.3
		                                  : -1;
		if (it.likelihood < 0) {
			rc = bad_task(t, i, lines,
			              "priority must be H, M or L");
			goto out;
		}
		mask |= IMP_LIKELIHOOD;
	}
	if ((r = number_field(t, tk, TW_CAIRNLIKELIHOOD, 0, 1, &d, lines)) <
	    0) {
		rc = r;
		goto out;
	}
	if (r) {
		const char *pr = d >= 0.7 ? "H" : d >= 0.4 ? "M" : "L";

		if (!s || !strcmp(s, pr))
			it.likelihood = d;
		mask |= IMP_LIKELIHOOD;
	}
	/* cairn's numbers. */
	{
		static const int keys[] = {TW_CAIRNSCOPE, TW_CAIRNNOVELTY,
		                           TW_CAIRNPSUCCESS};

		for (int n = 0; n < 3; n++) {
			r = number_field(t, tk, keys[n], n < 2 ? 1 : 0,
			                 n < 2 ? 5 : 1, &d, lines);
			if (r < 0) {
				rc = r;
				goto out;
			}
			if (!r)
				continue;
			mask |= IMP_NUMBERS;
			has_cairn = 1;
			if (n == 0)
				it.scope = (int)d;
			else if (n == 1)
				it.novelty = (int)d;
			else
				it.p_success = d;
		}
		if ((s = tk->f[TW_CAIRNESTIMATE])) {
			if (cairn_estimate_parse(s, it.est, NULL)) {
				rc = bad_task(t, i, lines,
				              "malformed cairnestimate");
				goto out;
			}
			mask |= IMP_NUMBERS;
		}
	}
	if ((s = tk->f[TW_CAIRNDRIVEN])) {
		if ((r = cairn_driven_parse(s)) < 0) {
			rc = bad_task(t, i, lines, "unknown cairndriven");
			goto out;
		}
		it.driven = r;
		mask |= IMP_DRIVEN;
	}
	it.visibility = t->vis;
	if ((s = tk->f[TW_CAIRNVISIBILITY]) && t->im->opts->visibility < 0) {
		if ((r = cairn_visibility_parse(s)) < 0) {
			rc = bad_task(t, i, lines, "unknown cairnvisibility");
			goto out;
		}
		it.visibility = r;
		mask |= IMP_VISIBILITY;
	}
	if ((s = tk->f[TW_CAIRNBODY])) {
		it.body = xstrdup(s);
		mask |= IMP_BODY;
	}
	/* Parent: cairn's own when known already, else the project. */
	if ((s = tk->f[TW_CAIRNPARENT])) {
		int64_t p = 0;

		if (!fmt_uuid_ok(s)) {
			rc = bad_task(t, i, lines, "malformed cairnparent");
			goto out;
		}
		if ((rc = imp_find(t->im, s, &p)))
			goto out;
		it.parent = p;
		if (p)
			mask |= IMP_PARENT;
	} else if ((s = tk->f[TW_PROJECT]) && !has_cairn) {
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

		if (!*name || strlen(name) > 100 || strpbrk(name, " \t\n\r,")) {
			buf_reset(&text);
			buf_addf(&text, "taskwarrior tag: %s", name);
			rc = imp_note(t->im, it.id, text.buf, NULL);
		} else {
			rc = imp_tag(t->im, it.id, name);
		}
		if (rc)
			goto out;
	}
	/* Annotations: notes, or links. */
	if (tk->nann) {
		struct buf url = BUF_INIT;

		for (size_t n = 0; n < tk->nann && !rc; n++) {
			const char *desc = tk->ann[2 * n];
			const char *when = tk->ann[2 * n + 1];
			const char *label;

			ts[0] = '\0';
			if (when && tw_to_ts(when, ts)) {
				rc = bad_task(t, i, lines,
				              "malformed annotation time");
				break;
			}
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
		if (!s || !fmt_uuid_ok(s)) {
			rc = cairn_err_set(t->im->err, CAIRN_EINVAL,
			                   "'%s': malformed uuid in depends of "
			                   "#%lld",
			                   t->im->source, (long long)id);
			break;
		}
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

int
fmt_tw_import(struct imp *im, const char *data, size_t len)
{
	struct twi t;
	struct tw_reader r;
	size_t *lines = NULL, i, ntasks;
	int64_t *ids = NULL;
	struct ordered *order = NULL;
	int rc;

	memset(&t, 0, sizeof(t));
	t.im = im;
	t.vis = im->opts->visibility >= 0 ? im->opts->visibility
	                                  : CAIRN_VIS_PRIVATE;
	if ((rc = tw_tasks_read(data, len, im->source, &r, &lines, im->err)) ||
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
		rc = import_task(&t, order[i].task, lines, &ids[i]);
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
	strmap_release(&t.projects);
	return rc;
}

/* ---- export ---- */

struct ann {
	char created[CAIRN_TS_LEN];
	int link;
	int64_t id;
	char *text;
};

struct anns {
	struct ann *v;
	size_t n;
};

static int
collect_note(void *ctx, const struct cairn_entry *e)
{
	struct anns *a = ctx;

	a->v = xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
	snprintf(a->v[a->n].created, CAIRN_TS_LEN, "%s", e->time);
	a->v[a->n].link = 0;
	a->v[a->n].id = e->id;
	a->v[a->n++].text = xstrdup(e->text);
	return 0;
}

static int
collect_link(void *ctx, const struct cairn_entry *e)
{
	struct anns *a = ctx;
	struct buf t = BUF_INIT;

	buf_adds(&t, e->text);
	if (e->label)
		buf_addf(&t, " %s", e->label);
	a->v = xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
	snprintf(a->v[a->n].created, CAIRN_TS_LEN, "%s", e->time);
	a->v[a->n].link = 1;
	a->v[a->n].id = e->id;
	a->v[a->n++].text = buf_detach(&t, NULL);
	return 0;
}

static int
ann_cmp(const void *x, const void *y)
{
	const struct ann *a = x, *b = y;
	int c = strcmp(a->created, b->created);

	if (c)
		return c;
	if (a->link != b->link)
		return a->link - b->link;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int
collect_tag(void *ctx, const struct cairn_entry *e)
{
	json_array_append_new(ctx, json_string(e->text));
	return 0;
}

struct prereqs {
	const struct rm *rm;
	char (*uuid)[37];
	size_t n;
};

/* Prerequisites that are exported too. */
static int
collect_prereq(void *ctx, const struct cairn_item *it)
{
	struct prereqs *p = ctx;

	if (rm_find(p->rm, it->id) < 0)
		return 0;
	p->uuid = xrealloc(p->uuid, (p->n + 1) * sizeof(*p->uuid));
	memcpy(p->uuid[p->n++], it->uuid, 37);
	return 0;
}

static int
uuid_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A project name from a title: words joined by '-', no dots. */
static void
slug(struct buf *out, const char *title)
{
	size_t start = out->len;
	int dash = 0;

	for (const char *p = title; *p && out->len - start < 40; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) || c >= 0x80) {
			if (dash && out->len > start)
				buf_addch(out, '-');
			dash = 0;
			buf_addch(out, (char)(c < 0x80 ? tolower(c) : c));
		} else {
			dash = 1;
		}
	}
	if (out->len == start)
		buf_adds(out, "item");
}

static void
set_num(json_t *o, const char *key, double v)
{
	char tmp[32];

	fmt_num(tmp, v);
	json_object_set_new(o, key, json_string(tmp));
}

static int
export_item(struct cairn_store *st, const struct rm *rm, size_t idx, json_t *o,
            struct cairn_err *err)
{
	const struct rm_node *nd = &rm->v[idx];
	const struct cairn_item *it = &nd->it;
	json_t *tags = json_array();
	struct prereqs pre = {rm, NULL, 0};
	struct anns a = {NULL, 0};
	char tw[17], prev[CAIRN_TS_LEN] = "";
	int rc;

	json_object_set_new(o, "uuid", json_string(it->uuid));
	json_object_set_new(o, "description", json_string(it->title));
	json_object_set_new(
	        o, "status",
	        json_string(it->status == CAIRN_STATUS_DONE      ? "completed"
	                    : it->status == CAIRN_STATUS_DROPPED ? "deleted"
	                                                         : "pending"));
	ts_to_tw(it->created, tw);
	json_object_set_new(o, "entry", json_string(tw));
	if (it->started[0]) {
		ts_to_tw(it->started, tw);
		json_object_set_new(o, "start", json_string(tw));
	}
	if (it->finished[0]) {
		ts_to_tw(it->finished, tw);
		json_object_set_new(o, "end", json_string(tw));
	}
	if (it->due[0]) {
		date_to_tw(it->due, tw);
		json_object_set_new(o, "due", json_string(tw));
	}
	if (nd->parent >= 0) {
		struct buf proj = BUF_INIT;
		long chain[FMT_DEPTH_MAX + 1];
		int n = 0;

		for (long p = nd->parent; p >= 0 && n <= FMT_DEPTH_MAX;
		     p = rm->v[p].parent)
			chain[n++] = p;
		while (n--) {
			if (proj.len)
				buf_addch(&proj, '.');
			slug(&proj, rm->v[chain[n]].it.title);
		}
		json_object_set_new(o, "project", json_string(proj.buf));
		buf_release(&proj);
	}
	if (it->likelihood >= 0)
		json_object_set_new(o, "priority",
		                    json_string(it->likelihood >= 0.7   ? "H"
		                                : it->likelihood >= 0.4 ? "M"
		                                                        : "L"));
	if ((rc = cairn_item_tags(st, it->id, collect_tag, tags, err)))
		goto out;
	if (json_array_size(tags))
		json_object_set(o, "tags", tags);
	if ((rc = cairn_item_prereqs(st, it->id, collect_prereq, &pre, err)))
		goto out;
	if (pre.n) {
		json_t *deps = json_array();

		qsort(pre.uuid, pre.n, sizeof(*pre.uuid), uuid_cmp);
		for (size_t k = 0; k < pre.n; k++)
			json_array_append_new(deps, json_string(pre.uuid[k]));
		json_object_set_new(o, "depends", deps);
	}
	if ((rc = cairn_item_notes(st, it->id, collect_note, &a, err)) ||
	    (rc = cairn_item_links(st, it->id, collect_link, &a, err)))
		goto out;
	if (a.n) {
		json_t *arr = json_array();

		qsort(a.v, a.n, sizeof(*a.v), ann_cmp);
		for (size_t k = 0; k < a.n; k++) {
			char when[CAIRN_TS_LEN];
			time_t t;

			snprintf(when, sizeof(when), "%s", a.v[k].created);
			/* Taskwarrior keys annotations by second. */
			if (prev[0] && strcmp(when, prev) <= 0) {
				t = cairn_ts_to_time(prev) + 1;
				cairn_ts_format(t, when);
			}
			memcpy(prev, when, sizeof(prev));
			ts_to_tw(when, tw);
			json_array_append_new(
			        arr, json_pack("{s:s, s:s}", "entry", tw,
			                       "description", a.v[k].text));
		}
		json_object_set_new(o, "annotations", arr);
	}
	json_object_set_new(o, "cairnkind",
	                    json_string(cairn_kind_name(it->kind)));
	json_object_set_new(o, "cairnstatus",
	                    json_string(cairn_status_name(it->status)));
	if (nd->parent >= 0)
		json_object_set_new(o, "cairnparent",
		                    json_string(rm->v[nd->parent].it.uuid));
	if (it->scope)
		set_num(o, "cairnscope", it->scope);
	if (it->novelty)
		set_num(o, "cairnnovelty", it->novelty);
	if (it->p_success >= 0)
		set_num(o, "cairnpsuccess", it->p_success);
	if (it->est[0] >= 0) {
		char e0[32], e1[32], e2[32];
		struct buf e = BUF_INIT;

		fmt_num(e0, it->est[0]);
		fmt_num(e1, it->est[1]);
		fmt_num(e2, it->est[2]);
		buf_addf(&e, "%s/%s/%s", e0, e1, e2);
		json_object_set_new(o, "cairnestimate", json_string(e.buf));
		buf_release(&e);
	}
	if (it->likelihood >= 0)
		set_num(o, "cairnlikelihood", it->likelihood);
	if (cairn_driven_name(it->driven))
		json_object_set_new(o, "cairndriven",
		                    json_string(cairn_driven_name(it->driven)));
	json_object_set_new(o, "cairnvisibility",
	                    json_string(cairn_visibility_name(it->visibility)));
	if (it->body && *it->body)
		json_object_set_new(o, "cairnbody", json_string(it->body));
	if (it->status == CAIRN_STATUS_DROPPED && it->why)
		json_object_set_new(o, "cairnwhy", json_string(it->why));
out:
	for (size_t k = 0; k < a.n; k++)
		free(a.v[k].text);
	free(a.v);
	json_decref(tags);
	free(pre.uuid);
	return rc;
}

/* Export order: by creation, then uuid, the order import restores. */
static int
node_cmp(const void *a, const void *b, void *nodes)
{
	const struct rm_node *v = nodes;
	const struct cairn_item *x = &v[*(const size_t *)a].it;
	const struct cairn_item *y = &v[*(const size_t *)b].it;
	int c = strcmp(x->created, y->created);

	return c ? c : strcmp(x->uuid, y->uuid);
}

int
fmt_tw_export(struct cairn_store *st, int minvis, struct buf *out,
              struct cairn_err *err)
{
	struct rm rm;
	int rc;

	size_t *order;

	if ((rc = rm_load(st, minvis, 0, &rm, err)))
		return rc;
	order = xmalloc((rm.n + 1) * sizeof(*order));
	for (size_t i = 0; i < rm.n; i++)
		order[i] = i;
	qsort_r(order, rm.n, sizeof(*order), node_cmp, rm.v);
	buf_adds(out, "[");
	for (size_t i = 0; i < rm.n && !rc; i++) {
		json_t *o = json_object();
		char *s;

		if (!(rc = export_item(st, &rm, order[i], o, err))) {
			s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			buf_adds(out, i ? ",\n" : "\n");
			buf_adds(out, s ? s : "{}");
			free(s);
		}
		json_decref(o);
	}
	buf_adds(out, rm.n ? "\n]\n" : "]\n");
	free(order);
	rm_release(&rm);
	return rc;
}
