/*
 * md-front.c: Jekyll front matter, read with libyaml into the settings
 * "frontmatter.KEY" (values as JSON) and written back in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "fmt/md-int.h"
#include "research/research-int.h"
#include "banned.h"

#define FM_PREFIX    "frontmatter."
#define FM_NODES_MAX 10000

/* ---- front matter ---- */

static int
plain_resolves(const char *s)
{
	const char *p = s;
	int digits = 0, dot = 0;

	if (!*s || !strcmp(s, "~") || !strcasecmp(s, "null") ||
	    !strcasecmp(s, "true") || !strcasecmp(s, "false"))
		return 1;
	if (*p == '-' || *p == '+')
		p++;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (*p == '.' && !dot)
			dot = 1;
		else if ((*p == 'e' || *p == 'E') && digits)
			return 1; /* close enough: quote it */
		else
			return 0;
	}
	return digits > 0;
}

/* A plain scalar as JSON: null, true, false, a canonical number, text. */
static json_t *
plain_scalar(const char *s)
{
	char tmp[32];
	char *end;

	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL"))
		return json_null();
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_true();
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_false();
	if (plain_resolves(s)) {
		long long i = strtoll(s, &end, 10);

		if (!*end) {
			snprintf(tmp, sizeof(tmp), "%lld", i);
			if (!strcmp(tmp, s))
				return json_integer(i);
		}
		double d = strtod(s, &end);

		if (!*end) {
			fmt_num(tmp, d);
			if (!strcmp(tmp, s))
				return json_real(d);
		}
	}
	return json_string(s);
}

struct yconv {
	yaml_document_t *doc;
	size_t nodes;
};

static json_t *
yaml_to_json(struct yconv *c, yaml_node_t *node, int depth)
{
	json_t *v;

	if (!node || depth > 16 || ++c->nodes > FM_NODES_MAX)
		return NULL;
	switch (node->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)node->data.scalar.value;

		if (strlen(s) != node->data.scalar.length)
			return NULL;
		if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return plain_scalar(s);
		return json_string(s);
	}
	case YAML_SEQUENCE_NODE:
		v = json_array();
		for (yaml_node_item_t *i = node->data.sequence.items.start;
		     i < node->data.sequence.items.top; i++) {
			json_t *e = yaml_to_json(
			        c, yaml_document_get_node(c->doc, *i),
			        depth + 1);

			if (!e) {
				json_decref(v);
				return NULL;
			}
			json_array_append_new(v, e);
		}
		return v;
	case YAML_MAPPING_NODE:
		v = json_object();
		for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
		     p < node->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
			json_t *e;

			if (!k || k->type != YAML_SCALAR_NODE) {
				json_decref(v);
				return NULL;
			}
			e = yaml_to_json(
			        c, yaml_document_get_node(c->doc, p->value),
			        depth + 1);
			if (!e) {
				json_decref(v);
				return NULL;
			}
			json_object_set_new(
			        v, (const char *)k->data.scalar.value, e);
		}
		return v;
	default:
		return NULL;
	}
}

/*
 * Parse the front matter yaml (starting on line 2 of the file) into an
 * ordered JSON object.
 */
static int
parse_front_matter(struct imp *im, const char *yaml, size_t len, json_t **out)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	struct yconv c = {&doc, 0};
	int rc = 0;

	*out = NULL;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = cairn_err_set(im->err, CAIRN_EINVAL,
		                   "malformed front matter in '%s' at line "
		                   "%zu, column %zu: %s",
		                   im->source, parser.problem_mark.line + 2,
		                   parser.problem_mark.column + 1,
		                   parser.problem ? parser.problem : "error");
		yaml_parser_delete(&parser);
		return rc;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		*out = json_object();
	} else if (root->type != YAML_MAPPING_NODE) {
		rc = cairn_err_set(im->err, CAIRN_EINVAL,
		                   "front matter in '%s' at line %zu, column "
		                   "%zu must be a mapping of keys to values",
		                   im->source, root->start_mark.line + 2,
		                   root->start_mark.column + 1);
	} else if (!(*out = yaml_to_json(&c, root, 0))) {
		rc = cairn_err_set(im->err, CAIRN_EINVAL,
		                   "front matter in '%s' is too deep, too "
		                   "large or has keys that are not text "
		                   "(line %zu)",
		                   im->source, root->start_mark.line + 2);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

/*
 * The front matter a store without one exports: a Jekyll post, titled
 * "Research goals", dated by its first goal (so that every export of the
 * same store says the same; today for a store without goals).
 */
static int
default_front_matter(struct cairn_store *st, json_t *fm, struct cairn_err *err)
{
	char date[CAIRN_DATE_LEN];
	sqlite3_stmt *s;
	int rc;

	cairn_date_format(cairn_clock(), date);
	if ((rc = store_prepare(st, &s,
	                        "SELECT substr(min(created), 1, 10) FROM item "
	                        "WHERE kind = 'goal'",
	                        err)))
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		snprintf(date, sizeof(date), "%s", store_col_text(s, 0));
	sqlite3_finalize(s);
	json_object_set_new(fm, "layout", json_string("post"));
	json_object_set_new(fm, "title", json_string("Research goals"));
	json_object_set_new(fm, "date", json_string(date));
	return 0;
}

/* The stored front matter into fm (empty when there is none). */
static int
stored_front_matter(struct cairn_store *st, json_t *fm, struct cairn_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_prepare(st, &s,
	                        "SELECT key, value FROM setting WHERE "
	                        "substr(key, 1, 12) = '" FM_PREFIX
	                        "' ORDER BY id",
	                        err)))
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *v =
		        json_loads(store_col_text(s, 1), JSON_DECODE_ANY, NULL);

		json_object_set_new(fm,
		                    store_col_text(s, 0) + strlen(FM_PREFIX),
		                    v ? v : json_string(store_col_text(s, 1)));
	}
	sqlite3_finalize(s);
	return 0;
}

/*
 * Store the front matter as settings, replacing the previous ones.  A
 * store without front matter that reads back the one its export made up
 * (default_front_matter) keeps none: an export read back changes nothing.
 */
int
md_save_front_matter(struct imp *im, json_t *fm)
{
	sqlite3_stmt *s;
	struct buf key = BUF_INIT;
	const char *k;
	json_t *v, *have = json_object();
	char **stale = NULL;
	size_t nstale = 0;
	int rc, same = 0;

	if (!(rc = stored_front_matter(im->st, have, im->err)) &&
	    !json_object_size(have) &&
	    !(rc = default_front_matter(im->st, have, im->err)))
		same = json_equal(have, fm);
	json_decref(have);
	if (rc || same)
		return rc;
	if ((rc = store_prepare(im->st, &s,
	                        "SELECT key FROM setting WHERE substr(key, 1, "
	                        "12) = '" FM_PREFIX "' ORDER BY id",
	                        im->err)))
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = store_col_text(s, 0) + strlen(FM_PREFIX);

		if (json_object_get(fm, name))
			continue;
		stale = xrealloc(stale, (nstale + 1) * sizeof(*stale));
		stale[nstale++] = xstrdup(store_col_text(s, 0));
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < nstale; i++) {
		if (!rc)
			rc = cairn_setting_set(im->st, stale[i], NULL, im->err);
		free(stale[i]);
	}
	free(stale);
	json_object_foreach(fm, k, v)
	{
		char *text;

		if (rc)
			break;
		if (strlen(k) > 200) {
			rc = cairn_err_set(im->err, CAIRN_EINVAL,
			                   "front matter key '%.40s...' in "
			                   "'%s' is too long",
			                   k, im->source);
			break;
		}
		text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
		                             JSON_PRESERVE_ORDER);
		buf_reset(&key);
		buf_addf(&key, FM_PREFIX "%s", k);
		rc = cairn_setting_set(im->st, key.buf, text ? text : "null",
		                       im->err);
		free(text);
		im->stats->rows++;
	}
	buf_release(&key);
	return rc;
}

int
md_front_matter(struct imp *im, const char *data, size_t len, json_t **fm,
                size_t *off, int *line0)
{
	size_t i, ystart, yend = 0, after = 0;
	int line = 1, closed = 0;

	*fm = NULL;
	*off = 0;
	*line0 = 0;
	i = len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3) ? 3 : 0;
	if (len - i < 4 || memcmp(data + i, "---", 3) ||
	    (data[i + 3] != '\n' &&
	     !(data[i + 3] == '\r' && i + 4 < len && data[i + 4] == '\n')))
		return 0;
	ystart = i + (data[i + 3] == '\r' ? 5 : 4);
	for (i = ystart; i < len; line++) {
		size_t e = i, t;

		while (e < len && data[e] != '\n')
			e++;
		t = e;
		while (t > i && (data[t - 1] == ' ' || data[t - 1] == '\t' ||
		                 data[t - 1] == '\r'))
			t--;
		if (t - i == 3 && (!memcmp(data + i, "---", 3) ||
		                   !memcmp(data + i, "...", 3))) {
			yend = i;
			after = e < len ? e + 1 : e;
			closed = 1;
			line++;
			break;
		}
		i = e < len ? e + 1 : e;
	}
	if (!closed)
		return cairn_err_set(im->err, CAIRN_EINVAL,
		                     "front matter in '%s' opened at line 1 "
		                     "is never closed (want a line '---')",
		                     im->source);
	*off = after;
	*line0 = line;
	return parse_front_matter(im, data + ystart, yend - ystart, fm);
}

/* Emit one JSON value as YAML through libyaml's emitter. */
static int
emit_yaml(yaml_emitter_t *e, json_t *v)
{
	yaml_event_t ev;
	char tmp[32];
	const char *text = tmp;
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;

		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
		                                    YAML_BLOCK_MAPPING_STYLE);
		if (!yaml_emitter_emit(e, &ev))
			return -1;
		json_object_foreach(v, k, x)
		{
			json_t *key = json_string(k);
			int bad = emit_yaml(e, key) || emit_yaml(e, x);

			json_decref(key);
			if (bad)
				return -1;
		}
		yaml_mapping_end_event_initialize(&ev);
		return yaml_emitter_emit(e, &ev) ? 0 : -1;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *x;
		int flat = 1;

		json_array_foreach(v, i, x) if (json_is_object(x) ||
		                                json_is_array(x)) flat = 0;
		yaml_sequence_start_event_initialize(
		        &ev, NULL, NULL, 1,
		        flat ? YAML_FLOW_SEQUENCE_STYLE
		             : YAML_BLOCK_SEQUENCE_STYLE);
		if (!yaml_emitter_emit(e, &ev))
			return -1;
		json_array_foreach(v, i, x) if (emit_yaml(e, x)) return -1;
		yaml_sequence_end_event_initialize(&ev);
		return yaml_emitter_emit(e, &ev) ? 0 : -1;
	}
	case JSON_STRING:
		text = json_string_value(v);
		style = plain_resolves(text) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
		                             : YAML_ANY_SCALAR_STYLE;
		break;
	case JSON_INTEGER:
		snprintf(tmp, sizeof(tmp), "%lld",
		         (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		fmt_num(tmp, json_real_value(v));
		break;
	case JSON_TRUE:
		text = "true";
		break;
	case JSON_FALSE:
		text = "false";
		break;
	default:
		text = "null";
		break;
	}
	yaml_scalar_event_initialize(&ev, NULL, NULL,
	                             (yaml_char_t *)(uintptr_t)text,
	                             (int)strlen(text), 1, 1, style);
	return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int
yaml_out(void *ctx, unsigned char *buffer, size_t size)
{
	buf_add(ctx, buffer, size);
	return 1;
}

/* The front matter: stored settings, or a default for a fresh store. */
int
md_put_front_matter(struct cairn_store *st, struct buf *out,
                    struct cairn_err *err)
{
	json_t *fm = json_object();
	int rc;

	if (!(rc = stored_front_matter(st, fm, err)) &&
	    !(!json_object_size(fm) &&
	      (rc = default_front_matter(st, fm, err))))
		rc = md_write_front_matter(fm, out, err);
	json_decref(fm);
	return rc;
}

int
md_write_front_matter(json_t *fm, struct buf *out, struct cairn_err *err)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	int ok;

	buf_adds(out, "---\n");
	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, yaml_out, out);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	ok = yaml_emitter_emit(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	ok = ok && yaml_emitter_emit(&e, &ev);
	ok = ok && !emit_yaml(&e, fm);
	yaml_document_end_event_initialize(&ev, 1);
	ok = ok && yaml_emitter_emit(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	ok = ok && yaml_emitter_emit(&e, &ev);
	ok = ok && yaml_emitter_flush(&e);
	yaml_emitter_delete(&e);
	if (!ok)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot write the front matter as YAML");
	if (out->len >= 4 && !strcmp(out->buf + out->len - 4, "...\n"))
		out->len -= 4, out->buf[out->len] = '\0';
	buf_adds(out, "---\n");
	return 0;
}

int
cairn_post_date(const char *data, size_t len, const char *source,
                char out[CAIRN_TS_LEN], struct cairn_err *err)
{
	struct imp im;
	json_t *fm = NULL;
	const char *date;
	size_t off;
	int line0, rc;

	/* The front matter reader names its input through the importer. */
	memset(&im, 0, sizeof(im));
	im.err = err;
	im.source = source ? source : "input";
	if ((rc = md_front_matter(&im, data, len, &fm, &off, &line0)))
		return rc;
	date = json_string_value(json_object_get(fm, "date"));
	if (!fm || !json_object_get(fm, "date"))
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "'%s' has no date in its front matter",
		                   im.source);
	else if (!date || strlen(date) < 10 ||
	         (date[10] && date[10] != ' ' && date[10] != 'T') ||
	         snprintf(out, CAIRN_TS_LEN, "%.10sT00:00:00Z", date) < 0 ||
	         cairn_ts_check(out, 0))
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "malformed date '%.40s' in the front matter "
		                   "of '%s' (want YYYY-MM-DD)",
		                   date ? date : "", im.source);
	json_decref(fm);
	return rc;
}
