/*
 * item-detail.c: one item with everything attached to it, as `show
 * --json`, the writes' --json replies and the web API's /api/items/ID
 * give it: the item's fields, then tags, links, notes, statements,
 * builds_on, needed_by, children, metrics, papers and lessons.
 */
#include "cairn/plan/item-detail.h"
#include "cairn/core/json.h"
#include "cairn/research/lesson.h"
#include "cairn/research/metric.h"
#include "cairn/research/paper.h"
#include "../banned.h"

static int
add_entry(void *ctx, const struct cairn_entry *e)
{
	json_t *arr = ctx;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "time", json_string(e->time));
	json_object_set_new(o, "text", json_string(e->text));
	/* A note's author (a mentor's comment), only when it has one. */
	if (e->label)
		json_object_set_new(o, "author", json_string(e->label));
	json_array_append_new(arr, o);
	return 0;
}

static int
add_link(void *ctx, const struct cairn_entry *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "url", json_string(e->text));
	json_object_set_new(o, "label",
	                    e->label ? json_string(e->label) : json_null());
	json_object_set_new(o, "created", json_string(e->time));
	json_array_append_new(ctx, o);
	return 0;
}

static int
add_tag(void *ctx, const struct cairn_entry *e)
{
	json_array_append_new(ctx, json_string(e->text));
	return 0;
}

static int
add_metric(void *ctx, const struct cairn_metric *m)
{
	json_array_append_new(ctx, cairn_metric_json(m));
	return 0;
}

static int
add_paper(void *ctx, const struct cairn_paper *p)
{
	json_array_append_new(ctx, cairn_paper_json(p));
	return 0;
}

static int
add_lesson(void *ctx, const struct cairn_lesson *l)
{
	json_array_append_new(ctx, cairn_lesson_json(l));
	return 0;
}

static int
add_id(void *ctx, const struct cairn_item *it)
{
	json_array_append_new(ctx, json_integer(it->id));
	return 0;
}

json_t *
cairn_item_detail_json(struct cairn_store *st, const struct cairn_item *it)
{
	json_t *o = cairn_item_json(it);
	json_t *tags = json_array(), *links = json_array();
	json_t *notes = json_array(), *stmts = json_array();
	json_t *pre = json_array(), *dep = json_array(), *kids = json_array();

	cairn_item_tags(st, it->id, add_tag, tags, NULL);
	cairn_item_links(st, it->id, add_link, links, NULL);
	cairn_item_notes(st, it->id, add_entry, notes, NULL);
	cairn_item_statements(st, it->id, add_entry, stmts, NULL);
	cairn_item_prereqs(st, it->id, add_id, pre, NULL);
	cairn_item_dependents(st, it->id, add_id, dep, NULL);
	cairn_item_children(st, it->id, add_id, kids, NULL);
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "links", links);
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "statements", stmts);
	json_object_set_new(o, "builds_on", pre);
	json_object_set_new(o, "needed_by", dep);
	json_object_set_new(o, "children", kids);
	{
		struct cairn_paper_query q = CAIRN_PAPER_QUERY_INIT;
		json_t *metrics = json_array(), *papers = json_array();
		json_t *lessons = json_array();

		q.item = it->id;
		cairn_metric_each(st, it->id, NULL, add_metric, metrics, NULL);
		cairn_paper_each(st, &q, add_paper, papers, NULL);
		cairn_lesson_each(st, it->id, NULL, add_lesson, lessons, NULL);
		json_object_set_new(o, "metrics", metrics);
		json_object_set_new(o, "papers", papers);
		json_object_set_new(o, "lessons", lessons);
	}
	return o;
}

int
cairn_item_detail(struct cairn_store *st, int64_t id, json_t **out,
                  struct cairn_err *err)
{
	struct cairn_item it;
	int rc;

	*out = NULL;
	if ((rc = cairn_item_get(st, id, &it, err)))
		return rc;
	*out = cairn_item_detail_json(st, &it);
	cairn_item_release(&it);
	return 0;
}
