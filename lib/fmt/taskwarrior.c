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
 * of JSON).  A big array is parsed one task at a time by two threads,
 * each task taken out of its JSON into a compact record (struct tw_task)
 * and its JSON freed at once: memory is the input plus the records.  The
 * records are then sorted and written through the bulk writer's batches
 * (imp_batch_begin) in one thread, as SQLite needs.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fmt/fmt-int.h"
#include "banned.h"

/* ---- dates ---- */

/* "20260301T090000Z" (or cairn's own form) -> "2026-03-01T09:00:00Z". */
static int
tw_to_ts(const char *s, char out[CAIRN_TS_LEN])
{
	size_t n = s ? strlen(s) : 0;

	if (n == 16 && s[8] == 'T' && s[15] == 'Z') {
		/* YYYYMMDDTHHMMSSZ */
		memcpy(out, s, 4);
		out[4] = '-';
		memcpy(out + 5, s + 4, 2);
		out[7] = '-';
		memcpy(out + 8, s + 6, 2);
		out[10] = 'T';
		memcpy(out + 11, s + 9, 2);
		out[13] = ':';
		memcpy(out + 14, s + 11, 2);
		out[16] = ':';
		memcpy(out + 17, s + 13, 2);
		out[19] = 'Z';
		out[20] = '\0';
	} else if (n == CAIRN_TS_LEN - 1) {
		memcpy(out, s, CAIRN_TS_LEN);
	} else {
		return -1;
	}
	return fmt_ts_check(out, 0);
}

static void
ts_to_tw(const char *ts, char out[17])
{
	snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5, ts + 8,
	         ts + 11, ts + 14, ts + 17);
}

/* A due time to the local calendar date Taskwarrior shows. */
static int
tw_to_date(const char *s, char out[CAIRN_DATE_LEN])
{
	char ts[CAIRN_TS_LEN];
	time_t t;
	struct tm tm;

	if (tw_to_ts(s, ts))
		return -1;
	t = cairn_ts_to_time(ts);
	if (!localtime_r(&t, &tm))
		return -1;
	{
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday);
		if (strlen(tmp) != CAIRN_DATE_LEN - 1)
			return -1;
		memcpy(out, tmp, CAIRN_DATE_LEN);
	}
	return 0;
}

/* Local midnight of a date, as a Taskwarrior UTC time. */
static void
date_to_tw(const char *date, char out[17])
{
	struct tm tm;
	time_t t;
	char ts[CAIRN_TS_LEN];

	memset(&tm, 0, sizeof(tm));
	sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	cairn_ts_format(t, ts);
	ts_to_tw(ts, out);
}

/* ---- import ---- */

/*
 * The keys of a task the importer reads.  Up to TW_NFIELDS, fields read
 * as text; from TW_CAIRNKIND on, cairn's own attributes, read as text
 * whether Taskwarrior kept a string or a number.
 */
enum tw_key {
	TW_DESCRIPTION,
	TW_UUID,
	TW_STATUS,
	TW_ENTRY,
	TW_START,
	TW_END,
	TW_DUE,
	TW_WAIT,
	TW_PROJECT,
	TW_PRIORITY,
	TW_CAIRNKIND,
	TW_CAIRNPARENT,
	TW_CAIRNSTATUS,
	TW_CAIRNSCOPE,
	TW_CAIRNNOVELTY,
	TW_CAIRNPSUCCESS,
	TW_CAIRNESTIMATE,
	TW_CAIRNLIKELIHOOD,
	TW_CAIRNDRIVEN,
	TW_CAIRNVISIBILITY,
	TW_CAIRNBODY,
	TW_CAIRNWHY,
	TW_NFIELDS,
	TW_TAGS = TW_NFIELDS,
	TW_DEPENDS,
	TW_ANNOTATIONS,
	TW_BOOKKEEPING,
	TW_NKEYS
};

static const char *const tw_names[TW_NKEYS] = {
        [TW_DESCRIPTION] = "description",
        [TW_UUID] = "uuid",
        [TW_STATUS] = "status",
        [TW_ENTRY] = "entry",
        [TW_START] = "start",
        [TW_END] = "end",
        [TW_DUE] = "due",
        [TW_WAIT] = "wait",
        [TW_PROJECT] = "project",
        [TW_PRIORITY] = "priority",
        [TW_CAIRNKIND] = "cairnkind",
        [TW_CAIRNPARENT] = "cairnparent",
        [TW_CAIRNSTATUS] = "cairnstatus",
        [TW_CAIRNSCOPE] = "cairnscope",
        [TW_CAIRNNOVELTY] = "cairnnovelty",
        [TW_CAIRNPSUCCESS] = "cairnpsuccess",
        [TW_CAIRNESTIMATE] = "cairnestimate",
        [TW_CAIRNLIKELIHOOD] = "cairnlikelihood",
        [TW_CAIRNDRIVEN] = "cairndriven",
        [TW_CAIRNVISIBILITY] = "cairnvisibility",
        [TW_CAIRNBODY] = "cairnbody",
        [TW_CAIRNWHY] = "cairnwhy",
        [TW_TAGS] = "tags",
        [TW_DEPENDS] = "depends",
        [TW_ANNOTATIONS] = "annotations",
};

/* Taskwarrior's bookkeeping, recomputed by it: never kept. */
static const char *const tw_bookkeeping[] = {"id", "urgency", "modified"};

/* k's enum tw_key, or -1 for a key the importer does not know. */
static int
tw_key(const char *k)
{
	for (int i = 0; i < TW_BOOKKEEPING; i++)
		if (tw_names[i][0] == k[0] && !strcmp(tw_names[i], k))
			return i;
	for (size_t i = 0; i < sizeof(tw_bookkeeping) / sizeof(*tw_bookkeeping);
	     i++)
		if (!strcmp(tw_bookkeeping[i], k))
			return TW_BOOKKEEPING;
	return -1;
}

/*
 * A task as the importer reads it, taken out of its JSON by the thread
 * that parsed it, so that the JSON (several times bigger) is freed at
 * once.  Its texts live in the arena of the task list.
 */
struct tw_task {
	size_t i;   /* index in the input */
	int object; /* the task is a JSON object: else nothing below is set */
	/* each field's text: a string, or for cairn's attributes a number
	 * formatted; NULL when absent or anything else */
	const char *f[TW_NFIELDS];
	unsigned present;  /* 1 << field: the key is there, whatever value */
	const char **tags; /* the string elements of an array "tags" */
	size_t ntags;
	const char **ann; /* annotations with a string description: pairs
	                   * of description and entry (NULL: none) */
	size_t nann;
	const char **notes; /* "taskwarrior KEY: VALUE" for the other keys */
	size_t nnotes;
	const char **deps; /* depends: the pieces of a string, or the
	                    * elements of an array (NULL: not a string) */
	size_t ndeps;
	/* worked out beside the parse: entry as a time stamp ("" if none),
	 * the uuid in lower case (when f[TW_UUID] is one), the due date
	 * (when due is a time) */
	char entry[CAIRN_TS_LEN];
	char uuid[37];
	char due[CAIRN_DATE_LEN];
	int uuid_ok, due_ok;
};

/* Memory for the tasks' texts and lists, freed all at once. */
struct arena {
	struct arena *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_BLOCK (1u << 20)

/* n bytes aligned for a pointer (lists), or not at all (texts). */
static void *
arena_alloc(struct arena **a, size_t n, int aligned)
{
	void *p;

	if (*a && aligned)
		(*a)->used = ((*a)->used + sizeof(void *) - 1) &
		             ~(sizeof(void *) - 1);
	if (!*a || (*a)->used > (*a)->cap || (*a)->cap - (*a)->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		struct arena *b = xmalloc(sizeof(*b) + cap);

		b->next = *a;
		b->used = 0;
		b->cap = cap;
		*a = b;
	}
	p = (char *)(*a)->data + (*a)->used;
	(*a)->used += n;
	return p;
}

static const char *
arena_str(struct arena **a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1, 0);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
arena_free(struct arena *a)
{
	while (a) {
		struct arena *next = a->next;

		free(a);
		a = next;
	}
}

/* A list being gathered for one task, kept for the next. */
struct strs {
	const char **v;
	size_t n, cap;
};

static void
strs_push(struct strs *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = s;
}

/* Copy list l into the arena as *out, *n; empty l for the next task. */
static void
strs_keep(struct strs *l, struct arena **a, const char ***out, size_t *n)
{
	*n = l->n;
	*out = NULL;
	if (l->n) {
		*out = arena_alloc(a, l->n * sizeof(**out), 1);
		memcpy(*out, l->v, l->n * sizeof(**out));
	}
	l->n = 0;
}

/* What one thread reads tasks into. */
struct tw_reader {
	struct tw_task *v;
	size_t n, cap;
	struct arena *arena;
	struct strs tags, ann, notes, deps; /* scratch */
};

static void
reader_release(struct tw_reader *r)
{
	free(r->v);
	arena_free(r->arena);
	free(r->tags.v);
	free(r->ann.v);
	free(r->notes.v);
	free(r->deps.v);
	memset(r, 0, sizeof(*r));
}

static const char *
json_text(struct arena **a, json_t *v)
{
	return arena_str(a, json_string_value(v), json_string_length(v));
}

/* Take what the importer reads out of task, which stays the caller's. */
static void
tw_read(struct tw_reader *r, json_t *task)
{
	struct tw_task *tk;
	const char *k;
	json_t *v;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	tk = &r->v[r->n];
	memset(tk, 0, sizeof(*tk));
	tk->i = r->n++;
	if (!json_is_object(task))
		return;
	tk->object = 1;
	json_object_foreach(task, k, v)
	{
		int key = tw_key(k);

		if (key >= 0 && key < TW_NFIELDS) {
			tk->present |= 1u << key;
			if (json_is_string(v)) {
				tk->f[key] = json_text(&r->arena, v);
			} else if (key >= TW_CAIRNKIND && json_is_number(v)) {
				char tmp[32];

				fmt_num(tmp, json_number_value(v));
				tk->f[key] =
				        arena_str(&r->arena, tmp, strlen(tmp));
			}
		} else if (key == TW_TAGS && json_is_array(v)) {
			size_t n;
			json_t *tag;

			json_array_foreach(v, n, tag)
			{
				if (json_is_string(tag))
					strs_push(&r->tags,
					          json_text(&r->arena, tag));
			}
		} else if (key == TW_ANNOTATIONS && json_is_array(v)) {
			size_t n;
			json_t *a, *desc, *when;

			json_array_foreach(v, n, a)
			{
				desc = json_object_get(a, "description");
				when = json_object_get(a, "entry");
				if (!json_is_string(desc))
					continue;
				strs_push(&r->ann, json_text(&r->arena, desc));
				strs_push(&r->ann,
				          json_is_string(when)
				                  ? json_text(&r->arena, when)
				                  : NULL);
			}
		} else if (key == TW_DEPENDS && json_is_string(v)) {
			/* Taskwarrior 2.5 and older: "uuid,uuid". */
			const char *p = json_string_value(v);

			while (*p) {
				const char *c = strchr(p, ',');
				size_t n = c ? (size_t)(c - p) : strlen(p);

				strs_push(&r->deps, arena_str(&r->arena, p, n));
				p += n + (c ? 1 : 0);
			}
		} else if (key == TW_DEPENDS && json_is_array(v)) {
			size_t n;
			json_t *u;

			json_array_foreach(v, n, u)
			{
				strs_push(&r->deps,
				          json_is_string(u)
				                  ? json_text(&r->arena, u)
				                  : NULL);
			}
		}
		/* Everything else is kept as a note. */
		if (key < 0 || key == TW_WAIT) {
			char *val =
			        json_is_string(v)
			                ? NULL
			                : json_dumps(v,
			                             JSON_COMPACT |
			                                     JSON_ENCODE_ANY);
			const char *s = json_is_string(v) ? json_string_value(v)
			                : val             ? val
			                                  : "";
			size_t kn = strlen(k), sn = strlen(s);
			char *note = arena_alloc(&r->arena, kn + sn + 15, 0);

			memcpy(note, "taskwarrior ", 12);
			memcpy(note + 12, k, kn);
			memcpy(note + 12 + kn, ": ", 2);
			memcpy(note + 14 + kn, s, sn + 1);
			strs_push(&r->notes, note);
			free(val);
		}
	}
	strs_keep(&r->tags, &r->arena, &tk->tags, &tk->ntags);
	strs_keep(&r->ann, &r->arena, &tk->ann, &tk->nann);
	tk->nann /= 2;
	strs_keep(&r->notes, &r->arena, &tk->notes, &tk->nnotes);
	strs_keep(&r->deps, &r->arena, &tk->deps, &tk->ndeps);
	if (!tk->f[TW_ENTRY] || tw_to_ts(tk->f[TW_ENTRY], tk->entry))
		tk->entry[0] = '\0';
	if (tk->f[TW_UUID] && fmt_uuid_ok(tk->f[TW_UUID])) {
		tk->uuid_ok = 1;
		for (int i = 0; i < 37; i++)
			tk->uuid[i] =
			        (char)tolower((unsigned char)tk->f[TW_UUID][i]);
	}
	tk->due_ok = tk->f[TW_DUE] && !tw_to_date(tk->f[TW_DUE], tk->due);
}

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

/* ---- reading the input ---- */

/* JSON's own white space (isspace() takes \v and \f too). */
static size_t
skip_ws(const char *data, size_t len, size_t i)
{
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	                   data[i] == '\n' || data[i] == '\r'))
		i++;
	return i;
}

/* Whether v nests at least need values deep (a scalar is one). */
static int
nests(json_t *v, int need)
{
	size_t i;
	const char *k;
	json_t *e;

	if (need <= 1)
		return 1;
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
		{
			if (nests(e, need - 1))
				return 1;
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, e)
		{
			if (nests(e, need - 1))
				return 1;
		}
	}
	return 0;
}

/*
 * A task array is parsed one task at a time, with jansson itself:
 * JSON_DISABLE_EOF_CHECK stops after each object and says how far it
 * read.  Each task is read (tw_read) and its JSON freed at once.  That
 * lets two threads share a big array: the caller parses from the first
 * task, a helper from a task boundary guessed half way (a '{' after a
 * ',', which may as well be inside a string).  The guess was right when
 * the caller's parse lands on it exactly: from a true boundary the
 * helper read what the caller would have.  Else the caller parses on
 * alone and the helper's tasks are dropped.
 *
 * Only arrays of objects take this road.  Anything else (an element that
 * is not an object, a syntax error, anything after the ']') is parsed
 * whole, as before, which gives jansson's own message, line and column.
 */
enum { PARSE_FAIL, PARSE_END, PARSE_STOP };

struct span {
	const char *data;
	size_t len;
	size_t pos;  /* where the next task starts, or parsing stopped */
	size_t stop; /* stop on reaching a task that starts here */
	struct tw_reader r;
	int status;
};

/* Tasks at least this long (bytes) get their depth checked: a value
 * nested JSON_PARSER_MAX_DEPTH deep takes twice that many brackets. */
#define DEPTH_CHECK_MIN (2 * JSON_PARSER_MAX_DEPTH - 2)

static void *
parse_span(void *arg)
{
	struct span *sp = arg;
	const char *d = sp->data;
	size_t i = sp->pos, len = sp->len;

	sp->status = PARSE_FAIL;
	for (;;) {
		json_error_t jerr;
		json_t *task;
		int deep;

		if (i == sp->stop) {
			sp->status = PARSE_STOP;
			break;
		}
		if (i >= len || d[i] != '{')
			break;
		task = json_loadb(
		        d + i, len - i,
		        JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &jerr);
		if (!task)
			break;
		/*
		 * The whole array nests one deeper than its tasks: a task
		 * at jansson's limit parses alone but not in the array.
		 */
		deep = (size_t)jerr.position >= DEPTH_CHECK_MIN &&
		       nests(task, JSON_PARSER_MAX_DEPTH);
		if (!deep)
			tw_read(&sp->r, task);
		json_decref(task);
		if (deep || jerr.position <= 0)
			break;
		i = skip_ws(d, len, i + (size_t)jerr.position);
		if (i < len && d[i] == ',') {
			i = skip_ws(d, len, i + 1);
			continue;
		}
		if (i < len && d[i] == ']' && skip_ws(d, len, i + 1) == len)
			sp->status = PARSE_END;
		break;
	}
	sp->pos = i;
	return NULL;
}

/* Below this size, one thread parses. */
#define PARSE_SPLIT_MIN (1u << 20)

/*
 * Read the array of tasks data[0..len) into r by tasks, in two threads
 * when it is big.  0 on success; -1 when it must be parsed whole (r is
 * empty then).
 */
static int
parse_tasks(const char *data, size_t len, struct tw_reader *r)
{
	/* What the caller parses, and the helper thread. */
	struct span front = {data, len, 0, SIZE_MAX, {0}, 0};
	struct span back = {data, len, 0, SIZE_MAX, {0}, 0};
	pthread_t tid;
	int threaded = 0;
	size_t i = skip_ws(data, len, 0);

	memset(r, 0, sizeof(*r));
	if (i >= len || data[i] != '[')
		return -1;
	i = skip_ws(data, len, i + 1);
	if (i < len && data[i] == ']')
		return skip_ws(data, len, i + 1) == len ? 0 : -1;
	front.pos = i;
	if (len - i >= PARSE_SPLIT_MIN) {
		/* A '{' after a ',' from half way on. */
		for (size_t j = i + (len - i) / 2; j < len; j++) {
			if (data[j] != ',')
				continue;
			j = skip_ws(data, len, j + 1);
			if (j < len && data[j] == '{') {
				back.pos = front.stop = j;
				break;
			}
		}
		threaded = front.stop != SIZE_MAX &&
		           !pthread_create(&tid, NULL, parse_span, &back);
		if (!threaded)
			front.stop = SIZE_MAX;
	}
	parse_span(&front);
	if (threaded)
		pthread_join(tid, NULL);
	if (front.status == PARSE_STOP && back.status == PARSE_END) {
		/* The helper's tasks follow, with their texts. */
		struct tw_reader *m = &front.r, *h = &back.r;
		struct arena **tail = &m->arena;

		if (m->cap < m->n + h->n) {
			m->cap = m->n + h->n;
			m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
		}
		for (size_t k = 0; k < h->n; k++) {
			m->v[m->n] = h->v[k];
			m->v[m->n].i = m->n;
			m->n++;
		}
		while (*tail)
			tail = &(*tail)->next;
		*tail = h->arena;
		h->arena = NULL;
		front.status = PARSE_END;
	} else if (front.status == PARSE_STOP) {
		/* The helper stumbled: on from the boundary alone. */
		front.stop = SIZE_MAX;
		parse_span(&front);
	}
	reader_release(&back.r);
	if (front.status != PARSE_END) {
		reader_release(&front.r);
		return -1;
	}
	*r = front.r;
	return 0;
}

/*
 * Read the input into r: a JSON array of tasks, or one task a line (then
 * *lines gets each task's line number).
 */
static int
read_tasks(struct imp *im, const char *data, size_t len, struct tw_reader *r,
           size_t **lines)
{
	json_error_t jerr;
	json_t *all, *task;
	size_t i = 0, n = 0, line = 1, cap = 0;

	memset(r, 0, sizeof(*r));
	*lines = NULL;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i < len && data[i] == '[') {
		if (!parse_tasks(data, len, r))
			return 0;
		all = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
		if (!all)
			return cairn_err_set(im->err, CAIRN_EINVAL,
			                     "malformed JSON in '%s' at line "
			                     "%d, column %d: %s",
			                     im->source, jerr.line, jerr.column,
			                     jerr.text);
	} else {
		all = json_array();
		for (i = 0; i < len; line++) {
			size_t e = i;

			while (e < len && data[e] != '\n')
				e++;
			for (size_t j = i; j < e; j++) {
				if (isspace((unsigned char)data[j]))
					continue;
				task = json_loadb(data + i, e - i,
				                  JSON_REJECT_DUPLICATES,
				                  &jerr);
				if (!task) {
					json_decref(all);
					free(*lines);
					*lines = NULL;
					return cairn_err_set(
					        im->err, CAIRN_EINVAL,
					        "malformed JSON in '%s' at "
					        "line %zu, column %d: %s",
					        im->source, line, jerr.column,
					        jerr.text);
				}
				if (n == cap) {
					cap = cap ? cap * 2 : 256;
					*lines = xrealloc(
					        *lines, cap * sizeof(**lines));
				}
				(*lines)[n++] = line;
				json_array_append_new(all, task);
				break;
			}
			i = e + 1;
		}
	}
	if (!json_is_array(all)) {
		json_decref(all);
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "'%s' is not Taskwarrior JSON (want an "
		                     "array of tasks, or one task a line)",
		                     im->source);
	}
	json_array_foreach(all, i, task)
	{
		tw_read(r, task);
	}
	json_decref(all);
	return 0;
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
	if ((rc = read_tasks(im, data, len, &r, &lines)) ||
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
	reader_release(&r);
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
