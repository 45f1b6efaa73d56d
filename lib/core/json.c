/*
 * json.c: JSON shapes of entities (through jansson).  Field names are the
 * ones DESIGN.md section 2 uses and are part of the stable interface.
 */
#include <string.h>

#include "cairn/core/json.h"
#include "banned.h"

static json_t *
opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *
opt_real(double v)
{
	return v >= 0 ? json_real(v) : json_null();
}

static json_t *
opt_int(long long v)
{
	return v > 0 ? json_integer(v) : json_null();
}

json_t *
cairn_item_json(const struct cairn_item *it)
{
	json_t *o = json_object();
	json_t *est = json_null();

	if (it->est[0] >= 0)
		est = json_pack("{s:f,s:f,s:f}", "optimistic", it->est[0],
		                "likely", it->est[1], "pessimistic",
		                it->est[2]);
	json_object_set_new(o, "id", json_integer(it->id));
	json_object_set_new(o, "uuid", json_string(it->uuid));
	json_object_set_new(o, "kind", json_string(cairn_kind_name(it->kind)));
	json_object_set_new(o, "title", json_string(it->title));
	json_object_set_new(o, "body", json_string(it->body ? it->body : ""));
	json_object_set_new(o, "parent", opt_int(it->parent));
	json_object_set_new(o, "status",
	                    json_string(cairn_status_name(it->status)));
	json_object_set_new(o, "why", opt_str(it->why));
	json_object_set_new(o, "scope", opt_int(it->scope));
	json_object_set_new(o, "p_success", opt_real(it->p_success));
	json_object_set_new(o, "novelty", opt_int(it->novelty));
	json_object_set_new(o, "estimate", est);
	json_object_set_new(o, "due", opt_str(it->due));
	json_object_set_new(o, "likelihood", opt_real(it->likelihood));
	json_object_set_new(o, "rank", opt_int(it->rank));
	json_object_set_new(o, "driven",
	                    opt_str(cairn_driven_name(it->driven)));
	json_object_set_new(o, "visibility",
	                    json_string(cairn_visibility_name(it->visibility)));
	json_object_set_new(o, "created", opt_str(it->created));
	json_object_set_new(o, "started", opt_str(it->started));
	json_object_set_new(o, "finished", opt_str(it->finished));
	return o;
}

json_t *
cairn_json_parse(const char *text)
{
	if (!text)
		return NULL;
	return json_loads(text, JSON_DECODE_ANY, NULL);
}
