/*
 * json-check.c: a cairn dump parsed and checked without the store, the
 * first half of the JSON loader (json.c) and all of the parse-only
 * fuzzer: the header (format, version, schema), the tables (known ones,
 * arrays of objects with integer ids), every item row by the rules of
 * 'cairn add' (cairn_item_check) and every tag (cairn_tag_check).  The
 * columns of the other rows are checked by the loader against the
 * store's schema, and SQLite's CHECK constraints stay the second line.
 *
 * Workload: one pass over the parsed document, a few string checks per
 * item.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fmt/json-int.h"
#include "banned.h"

/* Text column col of row into dst (size n), cut to fit; "" when null. */
static int
row_fixed(json_t *row, const char *col, char *dst, size_t n)
{
	json_t *v = json_object_get(row, col);

	dst[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= n)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* Text column col into *dst (NULL when null or absent). */
static int
row_text(json_t *row, const char *col, char **dst)
{
	json_t *v = json_object_get(row, col);

	*dst = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*dst = xstrdup(json_string_value(v));
	return 0;
}

/* Number column col into *dst (unset, the given value, when null). */
static int
row_num(json_t *row, const char *col, double *dst)
{
	json_t *v = json_object_get(row, col);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return -1;
	*dst = json_number_value(v);
	return 0;
}

/* A name column col through parse (kind, status...): -1 when unknown. */
static int
row_enum(json_t *row, const char *col, int (*parse)(const char *), int unset,
         int *dst)
{
	json_t *v = json_object_get(row, col);

	*dst = unset;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || (*dst = parse(json_string_value(v))) < 0)
		return -1;
	return 0;
}

/*
 * An item row of a dump holds an item cairn can store: the rules of
 * 'cairn add' (cairn_item_check), checked before the first write.
 */
static int
item_row_check(json_t *row, size_t r, const char *source, struct cairn_err *err)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	struct cairn_item it;
	double scope = 0, novelty = 0, rank = 0;
	const char *bad = NULL;
	int k, st, vis, dr, rc = 0;

	cairn_item_init(&it);
	if (row_fixed(row, "uuid", it.uuid, sizeof(it.uuid)))
		bad = "uuid";
	else if (row_enum(row, "kind", cairn_kind_parse, CAIRN_KIND_MILESTONE,
	                  &k))
		bad = "kind";
	else if (row_text(row, "title", &it.title) ||
	         !json_is_string(json_object_get(row, "title")))
		bad = "title";
	else if (row_text(row, "body", &it.body))
		bad = "body";
	else if (row_enum(row, "status", cairn_status_parse, CAIRN_STATUS_COUNT,
	                  &st))
		bad = "status";
	else if (row_text(row, "why", &it.why))
		bad = "why";
	else if (row_num(row, "scope", &scope) || scope != (int)scope)
		bad = "scope";
	else if (row_num(row, "novelty", &novelty) || novelty != (int)novelty)
		bad = "novelty";
	else if (row_num(row, "p_success", &it.p_success))
		bad = "p_success";
	else if (row_num(row, "optimistic", &it.est[0]) ||
	         row_num(row, "likely", &it.est[1]) ||
	         row_num(row, "pessimistic", &it.est[2]))
		bad = "estimate";
	else if (row_fixed(row, "due", it.due, sizeof(it.due)))
		bad = "due";
	else if (row_num(row, "likelihood", &it.likelihood))
		bad = "likelihood";
	else if (row_num(row, "rank", &rank) || rank != floor(rank) ||
	         rank < 0 || rank > CAIRN_RANK_MAX)
		bad = "rank";
	else if (row_enum(row, "driven", cairn_driven_parse, CAIRN_DRIVEN_NONE,
	                  &dr))
		bad = "driven";
	else if (row_enum(row, "visibility", cairn_visibility_parse,
	                  CAIRN_VIS_PRIVATE, &vis))
		bad = "visibility";
	else if (row_fixed(row, "created", it.created, sizeof(it.created)) ||
	         row_fixed(row, "started", it.started, sizeof(it.started)) ||
	         row_fixed(row, "finished", it.finished, sizeof(it.finished)))
		bad = "time stamp";
	if (bad) {
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "'%s': item row %zu: malformed %s", source,
		                   r + 1, bad);
		goto out;
	}
	it.kind = k;
	it.status = st;
	it.driven = dr;
	it.visibility = vis;
	it.scope = (int)scope;
	it.novelty = (int)novelty;
	it.rank = (int)rank;
	if ((rc = cairn_item_check(&it, &e)))
		rc = cairn_err_set(err, rc, "'%s': item row %zu: %s", source,
		                   r + 1, e.msg);
out:
	cairn_item_release(&it);
	return rc;
}

/* A tag row names a tag 'cairn tag' takes (cairn_tag_check). */
static int
tag_row_check(json_t *row, size_t r, const char *source, struct cairn_err *err)
{
	struct cairn_err e = CAIRN_ERR_INIT;
	json_t *v = json_object_get(row, "name");
	int rc;

	if (!json_is_string(v))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s': tag row %zu: malformed name",
		                     source, r + 1);
	if ((rc = cairn_tag_check(json_string_value(v), &e)))
		return cairn_err_set(err, rc, "'%s': tag row %zu: %s", source,
		                     r + 1, e.msg);
	return 0;
}

/*
 * Check a parsed dump without the store: its header, its tables (known,
 * arrays of objects with integer ids), every item row and every tag.  Fills
 * *tables and *seq (NULL when absent), borrowed from doc.
 */
int
json_doc_check(json_t *doc, const char *source, json_t **tables, json_t **seq,
               struct cairn_err *err)
{
	const char *key;
	json_t *v;

	v = json_object_get(doc, "format");
	if (!json_is_object(doc) || !json_is_string(v) ||
	    strcmp(json_string_value(v), DUMP_FORMAT))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is JSON but not a cairn dump (no "
		                     "\"format\": \"%s\"); for Taskwarrior "
		                     "use --format taskwarrior",
		                     source, DUMP_FORMAT);
	v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s': missing or malformed dump version",
		                     source);
	if (json_integer_value(v) > DUMP_VERSION)
		return cairn_err_set(err, CAIRN_EVERSION,
		                     "'%s' is a version %lld dump, newer than "
		                     "this cairn reads (%d): upgrade cairn",
		                     source, (long long)json_integer_value(v),
		                     DUMP_VERSION);
	v = json_object_get(doc, "schema");
	if (json_is_integer(v) && json_integer_value(v) > CAIRN_SCHEMA_VERSION)
		return cairn_err_set(
		        err, CAIRN_EVERSION,
		        "'%s' comes from a store of schema %lld, "
		        "newer than this cairn (%d): upgrade cairn",
		        source, (long long)json_integer_value(v),
		        CAIRN_SCHEMA_VERSION);
	*tables = json_object_get(doc, "tables");
	if (!json_is_object(*tables))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s': the dump has no \"tables\" object",
		                     source);
	json_object_foreach(*tables, key, v)
	{
		json_t *row;
		size_t r;
		int rc;

		if (!json_known_table(key))
			return cairn_err_set(
			        err, CAIRN_EINVAL,
			        "'%s': unknown table '%s' (made by "
			        "a newer cairn?)",
			        source, key);
		if (!json_is_array(v))
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "'%s': table '%s' is not an array",
			                     source, key);
		json_array_foreach(v, r, row)
		{
			if (!json_is_object(row))
				return cairn_err_set(
				        err, CAIRN_EINVAL,
				        "'%s': %s row %zu is not an "
				        "object",
				        source, key, r + 1);
			if (!json_is_integer(json_object_get(row, "id")))
				return cairn_err_set(err, CAIRN_EINVAL,
				                     "'%s': %s row %zu has no "
				                     "integer id",
				                     source, key, r + 1);
			if (!strcmp(key, "item") &&
			    (rc = item_row_check(row, r, source, err)))
				return rc;
			if (!strcmp(key, "tag") &&
			    (rc = tag_row_check(row, r, source, err)))
				return rc;
		}
	}
	*seq = json_object_get(doc, "sequence");
	if (*seq && !json_is_object(*seq))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s': \"sequence\" is not an object",
		                     source);
	return 0;
}

json_t *
json_doc_load(const char *data, size_t len, const char *source,
              struct cairn_err *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);

	if (!doc)
		cairn_err_set(
		        err, CAIRN_EINVAL,
		        "malformed JSON in '%s' at line %d, column %d: %s",
		        source, jerr.line, jerr.column, jerr.text);
	return doc;
}

int
fmt_json_parse(const char *data, size_t len, const char *source,
               struct cairn_err *err)
{
	json_t *doc = json_doc_load(data, len, source, err), *tables, *seq;
	int rc;

	if (!doc)
		return CAIRN_EINVAL;
	rc = json_doc_check(doc, source, &tables, &seq, err);
	json_decref(doc);
	return rc;
}
