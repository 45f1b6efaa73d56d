/*
 * step.c: a plan node's name for people (see step.h).
 */
#include "plan/step.h"
#include "banned.h"

void
plan_paper_label(struct buf *out, enum cairn_paper_status status,
                 const char *key, const char *title)
{
	buf_addf(out, "%s %s: %s",
	         status == CAIRN_PAPER_REPLICATING ? "replicate" : "read", key,
	         title);
}

void
plan_step_name(const struct cairn_roadmap *rm, int64_t node_id, int64_t *id,
               char **paper, char **label, struct buf *tmp)
{
	*id = 0;
	*paper = NULL;
	if (node_id > 0) {
		*id = node_id;
	} else {
		long q = cairn_roadmap_paper_find(rm, -node_id);

		*paper = xstrdup(q >= 0 ? rm->papers[q].key : "?");
	}
	*label = xstrdup(cairn_roadmap_label(rm, node_id, tmp));
}

void
plan_step_json(json_t *o, int64_t id, const char *paper, const char *title)
{
	if (paper) {
		json_object_set_new(o, "id", json_null());
		json_object_set_new(o, "paper", json_string(paper));
	} else {
		json_object_set_new(o, "id", json_integer(id));
	}
	json_object_set_new(o, "title", json_string(title));
}
