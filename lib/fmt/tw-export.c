/*
 * tw-export.c: cairn's items out as the JSON array `task import` reads,
 * one task a line, in creation order (the order the importer restores),
 * with annotation times made unique per task (Taskwarrior keys
 * annotations by time) and cairn's own fields as cairn* attributes.
 *
 * A Taskwarrior project "A.B.C" is the breakdown tree.  Importing a task
 * whose project cairn does not know makes a project node for each level
 * (a goal at the top, milestones below), with the name-based uuid of
 * "tw-project:" and the path so far.  Such a node was never a task: the
 * export writes it back only as the project of its tasks.  The project
 * string the children of an item carry is its path: for a project node
 * the path it was made from, for any other item its parent's path and
 * its title as a slug.  The same rule (tw_paths) names projects in the
 * export and finds the item a known project stands for on import.
 *
 * Workload: one pass over the roadmap snapshot plus a few indexed
 * queries per item (tags, prerequisites, notes, links).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "fmt/tw-int.h"
#include "banned.h"

/* ---- project paths, both ways ---- */

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

/* The uuid of the project node for path. */
void
tw_project_uuid(const char *path, char out[37])
{
	struct buf key = BUF_INIT;

	buf_addf(&key, "tw-project:%s", path);
	fmt_uuid_for(key.buf, out);
	buf_release(&key);
}

static void
node_path(const struct tw_node *v, size_t i, char **path, char *proj, int depth)
{
	struct buf b = BUF_INIT;
	long p = v[i].parent;
	char u[37];

	if (path[i])
		return;
	if (p >= 0 && depth < FMT_DEPTH_MAX) {
		node_path(v, (size_t)p, path, proj, depth + 1);
		buf_adds(&b, path[p]);
		buf_addch(&b, '.');
	}
	/* Project nodes have name-based (version 5) uuids. */
	if (v[i].uuid[14] == '5' && !strchr(v[i].title, '.')) {
		size_t len = b.len;

		buf_adds(&b, v[i].title);
		tw_project_uuid(b.buf, u);
		if (!strcmp(u, v[i].uuid)) {
			proj[i] = 1;
			path[i] = buf_detach(&b, NULL);
			return;
		}
		b.len = len;
		b.buf[len] = '\0';
	}
	slug(&b, v[i].title);
	path[i] = buf_detach(&b, NULL);
}

/*
 * For n items, path[i] (malloc'd, the caller frees each) is the project
 * of node i's children and proj[i] whether node i is a project node.
 */
void
tw_paths(const struct tw_node *v, size_t n, char **path, char *proj)
{
	memset(path, 0, n * sizeof(*path));
	memset(proj, 0, n);
	for (size_t i = 0; i < n; i++)
		node_path(v, i, path, proj, 0);
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
	const struct cairn_roadmap *rm;
	const char *proj;
	char (*uuid)[37];
	size_t n;
};

/* Prerequisites that are exported too (project nodes are not). */
static int
collect_prereq(void *ctx, const struct cairn_item *it)
{
	struct prereqs *p = ctx;
	long k = cairn_roadmap_find(p->rm, it->id);

	if (k < 0 || p->proj[k])
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

static void
set_num(json_t *o, const char *key, double v)
{
	char tmp[32];

	fmt_num(tmp, v);
	json_object_set_new(o, key, json_string(tmp));
}

/*
 * A note the importer made of a field it does not map ("taskwarrior KEY:
 * VALUE", or "taskwarrior tag: NAME" for a tag cairn cannot store) goes
 * back as that field, so Taskwarrior gets its task back as it was: VALUE
 * as the JSON it was when it is any (a number, a list), else as text.
 * 1 when text was such a note and is now in o (or tags).
 */
static int
restore_field(json_t *o, json_t *tags, const char *text)
{
	const char *k = text + 12, *colon;
	char key[64];
	size_t n;
	json_t *v;

	if (strncmp(text, "taskwarrior ", 12) || !(colon = strstr(k, ": ")))
		return 0;
	n = (size_t)(colon - k);
	if (!n || n >= sizeof(key) ||
	    strspn(k, "abcdefghijklmnopqrstuvwxyz"
	              "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	              "0123456789_") < n)
		return 0;
	memcpy(key, k, n);
	key[n] = '\0';
	if (!strcmp(key, "tag")) {
		json_array_append_new(tags, json_string(colon + 2));
		return 1;
	}
	/* Only what the importer keeps as a note, and only once. */
	if ((tw_key(key) >= 0 && tw_key(key) != TW_WAIT) ||
	    json_object_get(o, key))
		return 0;
	v = json_loads(colon + 2, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	               NULL);
	if (!v || json_is_string(v)) {
		json_decref(v);
		v = json_string(colon + 2);
	}
	if (!v)
		return 0;
	json_object_set_new(o, key, v);
	return 1;
}

/* What export_item needs besides the item: the roadmap, each node's
 * children's project and whether it is a project node (tw_paths). */
struct twx {
	struct cairn_store *st;
	const struct cairn_roadmap *rm;
	char **path;
	char *proj;
};

static int
export_item(const struct twx *x, size_t idx, json_t *o, struct cairn_err *err)
{
	struct cairn_store *st = x->st;
	const struct cairn_roadmap *rm = x->rm;
	const struct cairn_item *it = &rm->items[idx];
	long parent = rm->parent[idx];
	json_t *tags = json_array();
	struct prereqs pre = {rm, x->proj, NULL, 0};
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
	if (parent >= 0)
		json_object_set_new(o, "project", json_string(x->path[parent]));
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

			if (!a.v[k].link && restore_field(o, tags, a.v[k].text))
				continue;

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
		if (json_array_size(arr))
			json_object_set_new(o, "annotations", arr);
		else
			json_decref(arr);
		if (json_array_size(tags) && !json_object_get(o, "tags"))
			json_object_set(o, "tags", tags);
	}
	json_object_set_new(o, "cairnkind",
	                    json_string(cairn_kind_name(it->kind)));
	json_object_set_new(o, "cairnstatus",
	                    json_string(cairn_status_name(it->status)));
	/* Below a project node, the project says it all. */
	if (parent >= 0 && !x->proj[parent])
		json_object_set_new(o, "cairnparent",
		                    json_string(rm->items[parent].uuid));
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
	const struct cairn_item *v = nodes;
	const struct cairn_item *x = &v[*(const size_t *)a];
	const struct cairn_item *y = &v[*(const size_t *)b];
	int c = strcmp(x->created, y->created);

	return c ? c : strcmp(x->uuid, y->uuid);
}

int
fmt_tw_export(struct cairn_store *st, int minvis, struct buf *out,
              struct cairn_err *err)
{
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope scope = {.minvis = minvis};
	struct twx x;
	struct tw_node *nodes;
	size_t *order, k = 0;
	int rc;

	if ((rc = cairn_roadmap_load_scope(st, &scope, &rm, err)))
		return rc;
	order = xmalloc((rm.n + 1) * sizeof(*order));
	nodes = xmalloc((rm.n + 1) * sizeof(*nodes));
	x.st = st;
	x.rm = &rm;
	x.path = xcalloc(rm.n + 1, sizeof(*x.path));
	x.proj = xcalloc(rm.n + 1, 1);
	for (size_t i = 0; i < rm.n; i++) {
		nodes[i].uuid = rm.items[i].uuid;
		nodes[i].title = rm.items[i].title;
		nodes[i].parent = rm.parent[i];
	}
	tw_paths(nodes, rm.n, x.path, x.proj);
	/* Project nodes were never tasks: only their tasks' project. */
	for (size_t i = 0; i < rm.n; i++)
		if (!x.proj[i])
			order[k++] = i;
	qsort_r(order, k, sizeof(*order), node_cmp, rm.items);
	buf_adds(out, "[");
	for (size_t i = 0; i < k && !rc; i++) {
		json_t *o = json_object();
		char *s;

		if (!(rc = export_item(&x, order[i], o, err))) {
			s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
			buf_adds(out, i ? ",\n" : "\n");
			buf_adds(out, s ? s : "{}");
			free(s);
		}
		json_decref(o);
	}
	buf_adds(out, k ? "\n]\n" : "]\n");
	for (size_t i = 0; i < rm.n; i++)
		free(x.path[i]);
	free(x.path);
	free(x.proj);
	free(nodes);
	free(order);
	cairn_roadmap_release(&rm);
	return rc;
}
