/*
 * tw-read.c: Taskwarrior's JSON read into plain records (struct tw_task),
 * with no store: the parse half of the importer, which the parse-only
 * fuzzer drives alone.
 *
 * Each task is taken out of its JSON into a compact record by the thread
 * that parsed it, its texts and lists kept in an arena, and its JSON
 * freed at once: memory is the input plus the records.  A big array is
 * parsed by two threads (parse_tasks below); anything that is not a plain
 * array of objects is parsed whole, for jansson's own message.
 *
 * Workload: 100,000 tasks (40 MB of JSON) in about a second.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fmt/tw-int.h"
#include "banned.h"

/* ---- dates ---- */

/* "20260301T090000Z" (or cairn's own form) -> "2026-03-01T09:00:00Z". */
int
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

void
ts_to_tw(const char *ts, char out[17])
{
	snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", ts, ts + 5, ts + 8,
	         ts + 11, ts + 14, ts + 17);
}

/* A due time to the local calendar date Taskwarrior shows. */
int
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
void
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
/* ---- keys ---- */

const char *const tw_names[TW_NKEYS] = {
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
int
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

void
tw_reader_release(struct tw_reader *r)
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
	tw_reader_release(&back.r);
	if (front.status != PARSE_END) {
		tw_reader_release(&front.r);
		return -1;
	}
	*r = front.r;
	return 0;
}

int
tw_tasks_read(const char *data, size_t len, const char *source,
              struct tw_reader *r, size_t **lines, struct cairn_err *err)
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
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "malformed JSON in '%s' at line "
			                     "%d, column %d: %s",
			                     source, jerr.line, jerr.column,
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
					        err, CAIRN_EINVAL,
					        "malformed JSON in '%s' at "
					        "line %zu, column %d: %s",
					        source, line, jerr.column,
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
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is not Taskwarrior JSON (want an "
		                     "array of tasks, or one task a line)",
		                     source);
	}
	json_array_foreach(all, i, task)
	{
		tw_read(r, task);
	}
	json_decref(all);
	return 0;
}
