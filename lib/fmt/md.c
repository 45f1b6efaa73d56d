/*
 * md.c: Markdown roadmaps in and out.  Reading goes through cmark-gfm
 * with its task-list extension and libyaml for Jekyll front matter;
 * writing is plain text laid out so that reading it back gives the same
 * roadmap (cmark-gfm's own CommonMark writer mangles task lists).
 *
 * The mapping, both ways:
 *  - YAML front matter: each key becomes the setting "frontmatter.KEY"
 *    (its value as JSON); Jekyll export writes them back in order.
 *    "published: false" makes the imported items private.
 *  - Each top-level list item (numbered or bulleted, across every
 *    top-level list) is a goal, in order: that order is its rank, and
 *    export writes goals ranked (likelihood, then id) as one numbered
 *    list.  Nested items are milestones, or questions when phrased as
 *    one (ending in '?', or written "Question: ..."); a task box makes a
 *    milestone whose box says done or not done.
 *  - The item's first paragraph is its title: links in it become the
 *    item's links (their text stays in the title and is the label),
 *    emphasis is kept as text, raw HTML such as <br> is dropped.  The
 *    paragraph right after it, when it holds only links, is more links.
 *    Everything else inside the item except nested lists is its body,
 *    taken verbatim from the source (so link definitions and blank lines
 *    survive).  A "Progress: D of T milestones done." paragraph that
 *    matches the item's milestones is recognised as derived.
 *  - Each metric of an item is a paragraph of one line after its body:
 *    "Metric: NAME (UNIT) from BASELINE to TARGET; latest VALUE on DATE
 *    (P% of the way)." (no unit, no latest part when there is none;
 *    parentheses in NAME escaped).  Import takes such paragraphs back,
 *    exactly as metric_line writes them and only where export puts them
 *    (a run that ends the item or comes right before the progress line
 *    or the nested list), as the metric (matched by item and name, as
 *    the store keeps names unique per item; an existing one takes the
 *    file's unit, baseline and target) and its latest observation
 *    (added unless the metric has one with that date and value).  P is
 *    derived: checked, not stored.  Any other line stays body text; one
 *    with the shape but a value cairn refuses does too, with a warning.
 *    Unlike "metric log", a date after today is taken: the file records
 *    an observation already made, and must read the same on any day.
 *  - Blocks between top-level lists are notes of the goal above; blocks
 *    before the first list go to the first goal's body.  Nothing is
 *    dropped: a link whose scheme is not http, https or mailto is
 *    refused as a link (with a warning) and its URL kept in a note.
 *  - Re-import matches by content first, position second, so that
 *    moving goals and milestones around the file moves them in cairn
 *    with their notes, time, metrics and predictions.  Each item an
 *    import makes has a uuid derived from the source name and a key:
 *    the key of its place, "2.3" (its parent's key, a dot and its place
 *    below it: in a file imported once, its place in the file), or, when
 *    an item has that already, a title key "G/N/TITLE/" (a goal) or
 *    "S/N/TITLE/" (below one), N = 1, 2, ... the first free; no title
 *    key is a place key or begins one.  The candidates are the items
 *    this source made: those at the goal places 1 .. (the file's goals
 *    or the store's top-level goals, whichever are more), at the file's
 *    places, at the title keys of its titles, and every item with a
 *    name-based (version 5) uuid below those.  Then:
 *     1. each list item takes an unclaimed candidate with its exact
 *        title (as import writes it) and level (a goal a goal; below
 *        goals, a milestone or question): depth by depth from the top,
 *        first those below its parent's item, then, from the top again,
 *        any other; within each, the nearest place first (a candidate's
 *        is the place its key ends in, the one it was added at; a title
 *        key or a key not known comes last), then first in the file,
 *        then the oldest item.  Every criterion stays put when the same
 *        file comes again, so every list item takes the same item;
 *     2. in file order, each one left takes the item at the key of its
 *        place (when its parent's item's key is known) if that item is
 *        still below its parent's item (a goal: at the top) and no title
 *        claimed it: an item retitled in place keeps its history;
 *     3. any other is new, at the key of its place when no item has it,
 *        else at its first free title key.
 *    A matched item takes the file's title, kind, parent (a moved item
 *    moves), body and box; links, notes and metrics are added as on a
 *    first import; items gone from the file stay as they are.  The same
 *    file again matches every item to itself and changes nothing; into
 *    an empty store every item is new at the key of its place.  Known
 *    limit: cairn ranks goals by likelihood, then id, and stores no
 *    order of its own, so a goal moved in the file keeps its rank in
 *    cairn until its likelihood says otherwise (milestones list oldest
 *    first); warn_rank says so once, naming the goal to raise.
 *
 * Known limit: a list inside an item's body cannot be told from nested
 * items, so export escapes the markers of such lists (the text survives,
 * the list layout does not).
 *
 * Workload: roadmaps of tens to thousands of items; input capped at
 * CAIRN_IMPORT_MAX_MD, nesting at FMT_DEPTH_MAX.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <jansson.h>
#include <yaml.h>

#include "cairn/research/metric.h"
#include "fmt/fmt-int.h"
#include "research/research-int.h"
#include "banned.h"

#define FM_PREFIX    "frontmatter."
#define FM_NODES_MAX 10000

/* ---- shared ---- */

static cmark_node *
md_parse(const char *text, size_t len, int tasklist)
{
	cmark_parser *p;
	cmark_node *doc;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(CMARK_OPT_SOURCEPOS);
	if (tasklist)
		cmark_parser_attach_syntax_extension(
		        p, cmark_find_syntax_extension("tasklist"));
	cmark_parser_feed(p, text, len);
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

/*
 * The lines of text as cmark-gfm counts them: a line ends at "\n", "\r\n"
 * or a lone "\r".  start[i] and end[i] (the end without the line ending)
 * bound line i + 1.
 */
struct lines {
	const char *text;
	size_t len;
	size_t *start, *end;
	size_t n;
};

static void
lines_init(struct lines *l, const char *text, size_t len)
{
	size_t cap = 64, i = 0;

	l->text = text;
	l->len = len;
	l->n = 0;
	l->start = xmalloc(cap * sizeof(*l->start));
	l->end = xmalloc(cap * sizeof(*l->end));
	l->start[0] = 0;
	for (;;) {
		size_t e = i;

		while (e < len && text[e] != '\n' && text[e] != '\r')
			e++;
		l->end[l->n++] = e;
		if (e == len)
			break;
		i = e + (text[e] == '\r' && e + 1 < len && text[e + 1] == '\n'
		                 ? 2
		                 : 1);
		if (l->n == cap) {
			cap *= 2;
			l->start = xrealloc(l->start, cap * sizeof(*l->start));
			l->end = xrealloc(l->end, cap * sizeof(*l->end));
		}
		l->start[l->n] = i;
	}
}

static void
lines_release(struct lines *l)
{
	free(l->start);
	free(l->end);
}

/* Line number (1-based) and its text, without the line ending. */
static const char *
line_at(const struct lines *l, int line, size_t *len)
{
	if (line < 1 || (size_t)line > l->n) {
		*len = 0;
		return "";
	}
	*len = l->end[line - 1] - l->start[line - 1];
	return l->text + l->start[line - 1];
}

static int
blank_line(const struct lines *l, int line)
{
	size_t n;
	const char *s = line_at(l, line, &n);

	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/*
 * Append lines a..b of l to out, each without up to strip columns of
 * leading white space (on line marker, the list marker's line, the first
 * strip bytes whatever they are), joined by '\n', blank lines at both
 * ends left out.
 */
static void
slice(const struct lines *l, int a, int b, int strip, int marker,
      struct buf *out)
{
	int first = 1;

	while (a <= b && blank_line(l, a))
		a++;
	while (b >= a && blank_line(l, b))
		b--;
	for (int line = a; line <= b; line++) {
		size_t n, i = 0;
		const char *s = line_at(l, line, &n);
		int col = 0;

		while (i < n && col < strip &&
		       (s[i] == ' ' || s[i] == '\t' || line == marker)) {
			col = s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
			i++;
		}
		if (!first)
			buf_addch(out, '\n');
		first = 0;
		/* A tab that reached past strip leaves its remainder. */
		while (col-- > strip)
			buf_addch(out, ' ');
		buf_add(out, s + i, n - i);
	}
}

/*
 * Last line a node covers.  cmark-gfm 0.29's positions need help: an end
 * column of 0 means the line before; a block that runs to the end of the
 * text can end before it starts ("5:1-4:0"): then it ends with the text;
 * and a setext heading followed by a paragraph claims the paragraph's
 * lines too ("1:1-4:23"): no block ends after its next sibling starts.
 */
static int
end_line(const struct lines *lines, cmark_node *n)
{
	int l = cmark_node_get_end_line(n);
	cmark_node *next = cmark_node_next(n);

	if (cmark_node_get_end_column(n) == 0 && l > 1)
		l--;
	if (l < cmark_node_get_start_line(n))
		l = (int)lines->n;
	if (next && cmark_node_get_start_line(next) > 0 &&
	    l >= cmark_node_get_start_line(next))
		l = cmark_node_get_start_line(next) - 1;
	return l;
}

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

/* Store the front matter as settings, replacing the previous ones. */
static int
save_front_matter(struct imp *im, json_t *fm)
{
	sqlite3_stmt *s;
	struct buf key = BUF_INIT;
	const char *k;
	json_t *v;
	char **stale = NULL;
	size_t nstale = 0;
	int rc;

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

/* ---- import ---- */

struct pending_link {
	char *url;
	char *label;
	int in_body; /* its Markdown is kept in the item's body */
};

struct mdi {
	struct imp *im;
	struct lines lines;
	int line0; /* lines before the Markdown text (front matter) */
	int vis;
	struct buf intro;
	struct pending_link *intro_links; /* links in the intro */
	size_t nintro_links;
	int64_t last_goal;
	size_t ngoals;
	int64_t *goal_ids; /* the goals, in the file's order */
	int have_intro;
	struct match *match; /* the plan of a re-import; NULL: none */
};

static int
line_no(const struct mdi *m, int line)
{
	return line + m->line0;
}

/* Content column of a list item: past its marker and the spaces after. */
static int
item_indent(const struct mdi *m, cmark_node *item)
{
	size_t n, i;
	int line = cmark_node_get_start_line(item);
	int col = cmark_node_get_start_column(item);
	const char *s = line_at(&m->lines, line, &n);
	size_t mark, sp = 0;

	i = col > 0 ? (size_t)col - 1 : 0;
	if (i >= n)
		return (int)i + 2;
	mark = i;
	if (strchr("-+*", s[i])) {
		i++;
	} else {
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i < n && (s[i] == '.' || s[i] == ')'))
			i++;
	}
	while (i + sp < n && s[i + sp] == ' ')
		sp++;
	if (i + sp == n || sp == 0 || sp >= 5)
		sp = 1;
	return (int)(mark + (i - mark) + sp);
}

/*
 * Does the item open with a task box, "[ ]" or "[x]"?  Asked of the
 * source as well as of the task-list extension, which in cmark-gfm
 * 0.29 also takes a box at the start of a later paragraph of the item
 * for the item's own.  *checked (may be NULL) says whether it is ticked.
 */
static int
task_box(const struct mdi *m, cmark_node *item, int *checked)
{
	const char *t = cmark_node_get_type_string(item);
	size_t n, ci = (size_t)item_indent(m, item);
	const char *s = line_at(&m->lines, cmark_node_get_start_line(item), &n);

	if (!t || strcmp(t, "tasklist"))
		return 0;
	/* The box may sit up to three spaces into the content. */
	for (int k = 0; k < 4 && ci < n && s[ci] == ' '; k++)
		ci++;
	if (ci + 2 >= n || s[ci] != '[' || !strchr(" xX", s[ci + 1]) ||
	    s[ci + 2] != ']')
		return 0;
	if (checked)
		*checked = s[ci + 1] != ' ';
	return 1;
}

/* Is raw inline HTML a line break (<br>, <br/>, </br>)? */
static int
html_is_break(const char *h)
{
	if (!h || *h++ != '<')
		return 0;
	if (*h == '/')
		h++;
	return (h[0] == 'b' || h[0] == 'B') && (h[1] == 'r' || h[1] == 'R') &&
	       !isalnum((unsigned char)h[2]);
}

static void inline_until(cmark_node *block, cmark_node *stop, struct buf *out,
                         struct pending_link **links, size_t *nlinks);

/*
 * The plain text of a paragraph or heading: text and code as written,
 * breaks and <br> as one space, other markup dropped; links collected
 * with their text as label.
 */
static void
inline_until(cmark_node *block, cmark_node *stop, struct buf *out,
             struct pending_link **links, size_t *nlinks)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	size_t starts[64];
	int depth = 0, space = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit;

		if (n == stop)
			break;

		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			if (!lit || !*lit)
				break;
			if (space && out->len &&
			    !isspace((unsigned char)out->buf[out->len - 1]) &&
			    !isspace((unsigned char)*lit))
				buf_addch(out, ' ');
			space = 0;
			buf_adds(out, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			space = 1;
			break;
		case CMARK_NODE_HTML_INLINE:
			if (html_is_break(cmark_node_get_literal(n)))
				space = 1;
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (ev == CMARK_EVENT_ENTER) {
				if (depth < 64)
					starts[depth] = out->len;
				depth++;
			} else if (depth-- <= 64 && links) {
				const char *url = cmark_node_get_url(n);
				size_t a = starts[depth];

				*links = xrealloc(*links,
				                  (*nlinks + 1) *
				                          sizeof(**links));
				(*links)[*nlinks].in_body = 0;
				(*links)[*nlinks].url = xstrdup(url ? url : "");
				(*links)[*nlinks].label =
				        xmalloc(out->len - a + 1);
				memcpy((*links)[*nlinks].label, out->buf + a,
				       out->len - a);
				(*links)[*nlinks].label[out->len - a] = '\0';
				(*nlinks)++;
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static void
inline_text(cmark_node *block, struct buf *out, struct pending_link **links,
            size_t *nlinks)
{
	inline_until(block, NULL, out, links, nlinks);
}

static void
trim(struct buf *b)
{
	size_t a = 0;

	while (a < b->len && isspace((unsigned char)b->buf[a]))
		a++;
	while (b->len > a && isspace((unsigned char)b->buf[b->len - 1]))
		b->len--;
	memmove(b->buf, b->buf + a, b->len - a);
	b->len -= a;
	b->buf[b->len] = '\0';
}

static void
free_links(struct pending_link *links, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(links[i].url);
		free(links[i].label);
	}
	free(links);
}

/* A paragraph of allowed links only (with separators between them)? */
static int
links_only(cmark_node *para)
{
	int nlinks = 0;

	for (cmark_node *c = cmark_node_first_child(para); c;
	     c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);

		if (t == CMARK_NODE_LINK) {
			/* cairn never writes a link it would refuse here:
			 * such a paragraph is the body's own text. */
			if (!fmt_url_ok(cmark_node_get_url(c)))
				return 0;
			nlinks++;
		} else if (t == CMARK_NODE_TEXT) {
			for (const char *p = cmark_node_get_literal(c); *p; p++)
				if (!strchr(" \t,;|", *p))
					return 0;
		} else if (t != CMARK_NODE_SOFTBREAK &&
		           t != CMARK_NODE_LINEBREAK) {
			return 0;
		}
	}
	return nlinks > 0;
}

/* "Progress: D of T milestones done." -> D and T. */
static int
progress_line(cmark_node *para, size_t *d, size_t *t)
{
	struct buf text = BUF_INIT;
	char tail[32];
	unsigned long a = 0, b = 0;
	int n = 0, ok;

	inline_text(para, &text, NULL, NULL);
	ok = sscanf(text.buf, "Progress: %lu of %lu %31s done.%n", &a, &b, tail,
	            &n) == 3 &&
	     (size_t)n == text.len &&
	     (!strcmp(tail, "milestones") || !strcmp(tail, "milestone"));
	buf_release(&text);
	*d = a;
	*t = b;
	return ok;
}

/* Phrased as a question: ends in '?' before closing marks. */
static int
is_question(const char *s)
{
	size_t n = strlen(s);

	while (n && (isspace((unsigned char)s[n - 1]) ||
	             strchr(")]\"'*_", s[n - 1])))
		n--;
	/* ’ and ” */
	while (n >= 3 && (unsigned char)s[n - 3] == 0xe2 &&
	       (unsigned char)s[n - 2] == 0x80 &&
	       ((unsigned char)s[n - 1] == 0x99 ||
	        (unsigned char)s[n - 1] == 0x9d))
		n -= 3;
	return n && s[n - 1] == '?';
}

static int
has_question_prefix(const char *s)
{
	return !strncasecmp(s, "question:", 9);
}

static int add_note_block(struct mdi *m, int64_t id, int a, int b, int strip);

/* Collect the links of node n, marked as kept in the body's text. */
static void
body_links(cmark_node *n, struct pending_link **links, size_t *nlinks)
{
	struct buf scratch = BUF_INIT;
	size_t from = *nlinks;

	inline_text(n, &scratch, links, nlinks);
	for (size_t i = from; i < *nlinks; i++)
		(*links)[i].in_body = 1;
	buf_release(&scratch);
}

static int
blank_after(cmark_node *n)
{
	struct buf t = BUF_INIT;
	int blank = 1;

	for (cmark_node *c = cmark_node_next(n); c && blank;
	     c = cmark_node_next(c)) {
		buf_reset(&t);
		inline_text(c, &t, NULL, NULL);
		trim(&t);
		if (t.len || cmark_node_get_type(c) == CMARK_NODE_LINK)
			blank = 0;
	}
	buf_release(&t);
	return blank;
}

/*
 * Where a title paragraph splits into title and description: after a
 * leading bold part ("**Title.** More words"), or at the first hard line
 * break or <br> ("Title<br>More words").  NULL when it does not.
 */
static cmark_node *
title_split(cmark_node *para, int *after)
{
	cmark_node *c = cmark_node_first_child(para);

	*after = 0;
	if (c && cmark_node_get_type(c) == CMARK_NODE_STRONG &&
	    !blank_after(c)) {
		*after = 1;
		return c;
	}
	for (; c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);

		if ((t == CMARK_NODE_LINEBREAK ||
		     (t == CMARK_NODE_HTML_INLINE &&
		      html_is_break(cmark_node_get_literal(c)))) &&
		    !blank_after(c))
			return c;
	}
	return NULL;
}

/*
 * The source of a paragraph after inline node n, to the paragraph's end,
 * without leading separators (":", "-", dashes) or white space.
 */
static void
rest_after(const struct mdi *m, cmark_node *n, cmark_node *para, int strip,
           struct buf *out)
{
	int line = cmark_node_get_end_line(n),
	    col = cmark_node_get_end_column(n);
	int last = end_line(&m->lines, para);
	size_t len, a = 0;
	const char *s = line_at(&m->lines, line, &len);
	struct buf t = BUF_INIT;

	if (line <= 0 || col <= 0)
		return;
	if ((size_t)col < len)
		buf_add(&t, s + col, len - (size_t)col);
	if (line < last) {
		buf_addch(&t, '\n');
		slice(&m->lines, line + 1, last, strip, 0, &t);
	}
	while (a < t.len &&
	       (isspace((unsigned char)t.buf[a]) || strchr(":-", t.buf[a])))
		a++;
	/* en and em dashes */
	while (a + 2 < t.len && (unsigned char)t.buf[a] == 0xe2 &&
	       (unsigned char)t.buf[a + 1] == 0x80 &&
	       ((unsigned char)t.buf[a + 2] == 0x93 ||
	        (unsigned char)t.buf[a + 2] == 0x94)) {
		a += 3;
		while (a < t.len && isspace((unsigned char)t.buf[a]))
			a++;
	}
	buf_add(out, t.buf + a, t.len - a);
	buf_release(&t);
}

/* Record links on item id; refused ones are warned about and kept. */
static int
save_links(struct mdi *m, int64_t id, struct pending_link *links, size_t n)
{
	struct buf note = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		const char *label = links[i].label;

		if (!strcmp(label, links[i].url) ||
		    (!strncmp(links[i].url, "mailto:", 7) &&
		     !strcmp(label, links[i].url + 7)))
			label = NULL;
		if (!fmt_url_ok(links[i].url) && links[i].in_body) {
			imp_warn(m->im,
			         "%s: link '%.200s' not imported: only http, "
			         "https and mailto links are allowed (its text "
			         "stays in the body)",
			         m->im->source, links[i].url);
			continue;
		}
		if (!fmt_url_ok(links[i].url)) {
			imp_warn(m->im,
			         "%s: link '%.200s' not imported: only http, "
			         "https and mailto links are allowed (kept "
			         "in a note)",
			         m->im->source, links[i].url);
			buf_reset(&note);
			buf_addf(&note,
			         "Link not imported (scheme not "
			         "allowed): %s",
			         links[i].url);
			if (label)
				buf_addf(&note, " (%s)", label);
			rc = imp_note(m->im, id, note.buf, NULL);
			continue;
		}
		rc = imp_link(m->im, id, links[i].url, label, NULL);
	}
	buf_release(&note);
	return rc;
}

/* Count milestones below an item as written in this file. */
struct counts {
	size_t done, total;
};

/*
 * The milestones (done, all) that the lists nested in item hold, told
 * apart from questions as import_item does, without importing anything.
 */
static void
ast_counts(const struct mdi *m, cmark_node *item, struct counts *n, int depth)
{
	if (depth > FMT_DEPTH_MAX)
		return;
	for (cmark_node *l = cmark_node_first_child(item); l;
	     l = cmark_node_next(l)) {
		if (cmark_node_get_type(l) != CMARK_NODE_LIST)
			continue;
		for (cmark_node *i = cmark_node_first_child(l); i;
		     i = cmark_node_next(i)) {
			cmark_node *first = cmark_node_first_child(i);
			struct buf title = BUF_INIT;
			int after = 0, checked = 0;

			if (!first)
				continue; /* an empty item is not imported */
			if (task_box(m, i, &checked)) {
				n->total++;
				if (checked)
					n->done++;
			} else {
				if (cmark_node_get_type(first) ==
				            CMARK_NODE_PARAGRAPH ||
				    cmark_node_get_type(first) ==
				            CMARK_NODE_HEADING) {
					cmark_node *split =
					        cmark_node_get_type(first) ==
					                        CMARK_NODE_PARAGRAPH
					                ? title_split(first,
					                              &after)
					                : NULL;

					if (split && after)
						inline_text(split, &title, NULL,
						            NULL);
					else
						inline_until(first, split,
						             &title, NULL,
						             NULL);
					trim(&title);
				}
				if (!has_question_prefix(title.buf) &&
				    !is_question(title.buf))
					n->total++;
			}
			buf_release(&title);
			ast_counts(m, i, n, depth + 1);
		}
	}
}

/*
 * Is paragraph p of item the "Progress: D of T milestones done." line
 * export writes?  Only right before the nested list, with counts that
 * match what the list holds: otherwise it is the item's own words.
 */
static int
derived_progress(const struct mdi *m, cmark_node *item, cmark_node *p,
                 size_t done, size_t total)
{
	struct counts n = {0, 0};
	cmark_node *next = cmark_node_next(p);

	if (!next || cmark_node_get_type(next) != CMARK_NODE_LIST || !total)
		return 0;
	ast_counts(m, item, &n, 0);
	return n.done == done && n.total == total;
}

/* ---- metric lines ---- */

static void metric_line(struct buf *line, const struct cairn_metric *m);

/*
 * Does block c of item end a run of body blocks: a nested list, or the
 * progress line export writes (derived from that list)?
 */
static int
boundary(const struct mdi *m, cmark_node *item, cmark_node *c)
{
	size_t d, tot;

	return cmark_node_get_type(c) == CMARK_NODE_LIST ||
	       (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH &&
	        progress_line(c, &d, &tot) &&
	        derived_progress(m, item, c, d, tot));
}

/* The last occurrence of pat in the n bytes at s, or NULL. */
static const char *
last_of(const char *s, size_t n, const char *pat)
{
	size_t k = strlen(pat);

	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (!memcmp(s + i, pat, k))
			return s + i;
	return NULL;
}

/* The first occurrence of pat in the n bytes at s, or NULL. */
static const char *
first_of(const char *s, size_t n, const char *pat)
{
	size_t k = strlen(pat);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(s + i, pat, k))
			return s + i;
	return NULL;
}

/* The n bytes at s with backslash escapes undone, as a new string. */
static char *
unescape(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (unsigned char)s[i + 1] < 0x80 &&
		    ispunct((unsigned char)s[i + 1]))
			i++;
		buf_addch(&b, s[i]);
	}
	return buf_detach(&b, NULL);
}

/* A number as fmt_num writes it (n bytes at s), and nothing else. */
static int
number_at(const char *s, size_t n, double *v)
{
	char tmp[32], canon[32], *end;

	if (!n || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	if (*end || !isfinite(*v))
		return 0;
	fmt_num(canon, *v);
	return !strcmp(canon, tmp);
}

enum { ML_NONE, ML_OK, ML_BAD };

/*
 * Is the n bytes at t (one line, without its indentation) a metric line
 * as metric_line writes it?  The line is split from the right (numbers
 * and dates hold no spaces; the name's parentheses are escaped), the
 * parts are read back, and the line metric_line makes of them must be
 * t, byte for byte: so "(P% of the way)" is checked, not stored, and any
 * other spelling is the item's own text.  ML_OK: *ml is filled (the
 * caller releases it); ML_BAD: the line has the shape but a value cairn
 * refuses, which *why names; ML_NONE: not a metric line.
 */
static int
metric_parse(const char *t, size_t n, struct cairn_metric *ml, struct buf *why)
{
	static const char pre[] = "Metric: ", way[] = "% of the way)";
	struct buf canon = BUF_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *s, *e, *p, *q, *v;
	size_t i;
	int rc = ML_NONE;

	cairn_metric_init(ml);
	if (n < strlen(pre) + 1 || memcmp(t, pre, strlen(pre)) ||
	    t[n - 1] != '.')
		return ML_NONE;
	s = t + strlen(pre);
	e = t + n - 1;
	/* "; latest VALUE on DATE (P% of the way)" */
	if ((size_t)(e - s) > strlen(way) &&
	    !memcmp(e - strlen(way), way, strlen(way))) {
		if (!(p = last_of(s, (size_t)(e - s), "; latest ")))
			return ML_NONE;
		v = p + strlen("; latest ");
		if (!(q = first_of(v, (size_t)(e - v), " on ")) ||
		    !number_at(v, (size_t)(q - v), &ml->latest) ||
		    (size_t)(e - q) < 4 + 10)
			return ML_NONE;
		memcpy(ml->latest_date, q + 4, 10);
		ml->latest_date[10] = '\0';
		ml->has_latest = 1;
		e = p;
	}
	/* " from BASELINE to TARGET" */
	if (!(p = last_of(s, (size_t)(e - s), " from ")) ||
	    !(q = first_of(p + 6, (size_t)(e - p - 6), " to ")) ||
	    !number_at(p + 6, (size_t)(q - p - 6), &ml->baseline) ||
	    !number_at(q + 4, (size_t)(e - q - 4), &ml->target))
		return ML_NONE;
	/* "NAME" or "NAME (UNIT)": the first unescaped " (" opens UNIT */
	for (i = 0; s + i < p; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == ' ' && s + i + 1 < p && s[i + 1] == '(')
			break;
	}
	if (s + i < p && p[-1] == ')') {
		ml->name = unescape(s, i);
		ml->unit = unescape(s + i + 2, (size_t)(p - 1 - (s + i + 2)));
	} else {
		ml->name = unescape(s, (size_t)(p - s));
		ml->unit = xstrdup("");
	}
	metric_line(&canon, ml);
	if (canon.len != n || memcmp(canon.buf, t, n))
		goto out;
	rc = ML_BAD;
	if (rs_check_text("metric name", ml->name, 1, RS_NAME_MAX, 0, &err) ||
	    rs_check_text("unit", ml->unit, 0, RS_NAME_MAX, 0, &err))
		buf_adds(why, err.msg);
	else if (ml->baseline == ml->target)
		buf_addf(why, "the target equals the baseline");
	else if (ml->has_latest && fmt_ts_check(ml->latest_date, 1))
		buf_addf(why, "'%s' is not a date", ml->latest_date);
	else
		rc = ML_OK;
	ml->lower_better = ml->target < ml->baseline;
out:
	buf_release(&canon);
	if (rc != ML_OK)
		cairn_metric_release(ml);
	return rc;
}

/* A paragraph of an item taken as a metric. */
struct mpara {
	cmark_node *node;
	struct cairn_metric m;
};

static void
free_mparas(struct mpara *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cairn_metric_release(&v[i].m);
	free(v);
}

static int
is_mpara(const struct mpara *v, size_t n, cmark_node *c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].node == c)
			return 1;
	return 0;
}

/*
 * The metric lines among the blocks of item from "from" on.  Export
 * writes them after the body, right before the progress line and the
 * nested list: so only a run of them that ends the item, or comes right
 * before a nested list or the derived progress line, is taken.  Walking
 * back from there, the run stops at the first paragraph that is not a
 * metric line, or names a metric that a later line names (the last
 * wins): that one and everything before it stay body text, in place.
 * *v gets the metrics in file order.
 */
static void
find_metrics(struct mdi *m, cmark_node *item, cmark_node *from, int strip,
             struct mpara **v, size_t *n)
{
	struct buf text = BUF_INIT, why = BUF_INIT;
	cmark_node *stop = from ? cmark_node_previous(from) : NULL;
	int in_run = 1;

	*v = NULL;
	*n = 0;
	for (cmark_node *c = from ? cmark_node_last_child(item) : NULL;
	     c && c != stop; c = cmark_node_previous(c)) {
		struct cairn_metric ml;
		int line = cmark_node_get_start_line(c), r, dup = 0;

		if (boundary(m, item, c)) {
			in_run = 1;
			continue;
		}
		if (!in_run)
			continue;
		in_run = 0;
		if (cmark_node_get_type(c) != CMARK_NODE_PARAGRAPH ||
		    end_line(&m->lines, c) != line)
			continue;
		buf_reset(&text);
		buf_reset(&why);
		slice(&m->lines, line, line, strip, 0, &text);
		r = metric_parse(text.buf, text.len, &ml, &why);
		for (size_t i = 0; r == ML_OK && i < *n; i++)
			dup |= !strcmp((*v)[i].m.name, ml.name);
		if (dup) {
			buf_addf(&why, "a later line names metric '%.200s' too",
			         ml.name);
			r = ML_BAD;
		}
		if (r == ML_BAD)
			imp_warn(m->im,
			         "%s, line %d: metric line not imported (%s); "
			         "it stays in the body",
			         m->im->source, line_no(m, line), why.buf);
		if (r != ML_OK) {
			cairn_metric_release(&ml);
			continue;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].node = c;
		(*v)[(*n)++].m = ml;
		in_run = 1;
	}
	/* Found last first: into file order. */
	for (size_t i = 0; i < *n / 2; i++) {
		struct mpara tmp = (*v)[i];

		(*v)[i] = (*v)[*n - 1 - i];
		(*v)[*n - 1 - i] = tmp;
	}
	buf_release(&text);
	buf_release(&why);
}

/*
 * Record the metrics on item id: a metric is matched by item and name
 * (unique together), an existing one takes the file's unit, baseline and
 * target; the latest observation is added unless the metric has one
 * with the same date and value.
 */
static int
save_metrics(struct mdi *m, int64_t id, const struct mpara *v, size_t n)
{
	struct imp *im = m->im;
	sqlite3_stmt *s;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		const struct cairn_metric *ml = &v[i].m;
		int64_t mid = 0;
		int same = 0;

		if ((rc = imp_prepare(im,
		                      "SELECT id, unit = ?3 AND baseline = ?4 "
		                      "AND target = ?5 FROM metric WHERE item "
		                      "= ?1 AND name = ?2",
		                      &s)))
			break;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, ml->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ml->unit, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 4, ml->baseline);
		sqlite3_bind_double(s, 5, ml->target);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			mid = sqlite3_column_int64(s, 0);
			same = sqlite3_column_int(s, 1);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = store_sqlerr(im->st, im->err, "read the metrics");
			break;
		}
		rc = 0;
		if (!mid) {
			if ((rc = imp_prepare(im,
			                      "INSERT INTO metric(item, name, "
			                      "unit, baseline, target, "
			                      "lower_better, created) "
			                      "VALUES(?, ?, ?, ?, ?, ?, ?)",
			                      &s)))
				break;
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_text(s, 2, ml->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 3, ml->unit, -1, SQLITE_STATIC);
			sqlite3_bind_double(s, 4, ml->baseline);
			sqlite3_bind_double(s, 5, ml->target);
			sqlite3_bind_int(s, 6, ml->lower_better);
			sqlite3_bind_text(s, 7, im->now, -1, SQLITE_STATIC);
		} else if (!same) {
			if ((rc = imp_prepare(im,
			                      "UPDATE metric SET unit = ?, "
			                      "baseline = ?, target = ?, "
			                      "lower_better = ? WHERE id = ?",
			                      &s)))
				break;
			sqlite3_bind_text(s, 1, ml->unit, -1, SQLITE_STATIC);
			sqlite3_bind_double(s, 2, ml->baseline);
			sqlite3_bind_double(s, 3, ml->target);
			sqlite3_bind_int(s, 4, ml->lower_better);
			sqlite3_bind_int64(s, 5, mid);
		}
		if (!mid || !same) {
			rc = sqlite3_step(s);
			sqlite3_reset(s);
			if (rc != SQLITE_DONE) {
				rc = store_sqlerr(im->st, im->err,
				                  "write a metric");
				break;
			}
			rc = 0;
			if (!mid)
				mid = sqlite3_last_insert_rowid(im->st->db);
			im->stats->rows++;
		}
		if (!ml->has_latest)
			continue;
		if ((rc = imp_prepare(im,
		                      "INSERT INTO observation(metric, item, "
		                      "date, value, created) SELECT ?1, ?2, "
		                      "?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 "
		                      "FROM observation WHERE metric = ?1 AND "
		                      "date = ?3 AND value = ?4)",
		                      &s)))
			break;
		sqlite3_bind_int64(s, 1, mid);
		sqlite3_bind_int64(s, 2, id);
		sqlite3_bind_text(s, 3, ml->latest_date, -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 4, ml->latest);
		sqlite3_bind_text(s, 5, im->now, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			rc = store_sqlerr(im->st, im->err,
			                  "write an observation");
			break;
		}
		rc = 0;
		im->stats->rows += (size_t)sqlite3_changes(im->st->db);
	}
	return rc;
}

static int
too_deep(const struct mdi *m, cmark_node *item)
{
	return cairn_err_set(m->im->err, CAIRN_EINVAL,
	                     "lists in '%s' nest deeper than %d levels "
	                     "(line %d)",
	                     m->im->source, FMT_DEPTH_MAX,
	                     line_no(m, cmark_node_get_start_line(item)));
}

/*
 * The title of list item `item` at depth as import writes it, into
 * title: the text of its first paragraph or heading up to a split (see
 * title_split), "(untitled)" when there is none, without a "Question:"
 * prefix, on one line.  Its links go to *links when links is not NULL;
 * *split and *after are title_split's, *kind the item's kind.  Returns
 * -1 for an empty item (nothing to import), else 0.
 */
static int
item_title(const struct mdi *m, cmark_node *item, int depth, struct buf *title,
           struct pending_link **links, size_t *nlinks, cmark_node **split,
           int *after, enum cairn_kind *kind)
{
	cmark_node *first = cmark_node_first_child(item);
	cmark_node_type t =
	        first ? cmark_node_get_type(first) : CMARK_NODE_NONE;
	int box = task_box(m, item, NULL);

	*split = NULL;
	*after = 0;
	if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
		if (t == CMARK_NODE_PARAGRAPH)
			*split = title_split(first, after);
		/* Up to a split; the links after it are in the body's text. */
		if (*split && *after)
			inline_text(*split, title, links, nlinks);
		else
			inline_until(first, *split, title, links, nlinks);
		trim(title);
	}
	if (!title->len) {
		if (!first)
			return -1;
		buf_adds(title, "(untitled)");
	}
	*kind = depth ? CAIRN_KIND_MILESTONE : CAIRN_KIND_GOAL;
	if (depth && !box && has_question_prefix(title->buf)) {
		size_t skip = 9;

		while (title->buf[skip] == ' ')
			skip++;
		memmove(title->buf, title->buf + skip, title->len - skip + 1);
		title->len -= skip;
		*kind = CAIRN_KIND_QUESTION;
		if (!title->len)
			buf_adds(title, "(untitled)");
	} else if (depth && !box && is_question(title->buf)) {
		*kind = CAIRN_KIND_QUESTION;
	}
	fmt_one_line(title->buf);
	return 0;
}

/*
 * ---- matching on re-import (the rule: see the top of this file) ----
 *
 * Before anything is written, a first pass over the lists takes each
 * list item's title as import_item will write it (item_title serves
 * both); the candidates are looked up, matched and every list item given
 * the uuid it writes; import_item then takes the list items in the same
 * order.  Lookups go by uuid and by parent, both indexed: the work grows
 * with the file, this source's items and the store's top-level goals
 * (one lookup each), not with the rest of the store.
 */

/* No list item, no candidate. */
#define NONE ((size_t)-1)

/* One list item of the file, planned before anything is written. */
struct mnode {
	char *title;   /* as import writes it; NULL: an empty item */
	char *path;    /* its place in the file, "2.3" */
	char *key;     /* its item's key; NULL: not known */
	size_t parent; /* the list item it is below; NONE: a goal */
	size_t pos;    /* 1-based place among its siblings */
	int depth;
	size_t cand; /* the candidate it updates, or NONE */
	char uuid[37];
};

/* An item this source made: one a list item may update. */
struct mcand {
	int64_t id, parent;
	char uuid[37];
	char *key; /* NULL: not known */
	char *title;
	int level;    /* 0 goal, 1 milestone or question, -1 anything else */
	size_t place; /* the place its key ends in; SIZE_MAX: none */
	int claimed;
};

struct match {
	struct mnode *v; /* in file order */
	size_t n, cap;
	struct mcand *c;
	size_t nc, ccap;
	struct strmap byuuid; /* uuid -> index into c */
	struct strmap taken;  /* keys new items take in this import */
	size_t ngoals;        /* top-level places in the file */
	size_t next;          /* the list item import_item is at */
};

static void
match_release(struct match *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].title);
		free(x->v[i].path);
		free(x->v[i].key);
	}
	for (size_t i = 0; i < x->nc; i++) {
		free(x->c[i].key);
		free(x->c[i].title);
	}
	free(x->v);
	free(x->c);
	strmap_release(&x->byuuid);
	strmap_release(&x->taken);
}

/* The uuid of this source's item at key. */
static void
key_uuid(const struct mdi *m, const char *key, char out[37])
{
	struct buf k = BUF_INIT;

	buf_addf(&k, "md:%s#%s", m->im->source, key);
	fmt_uuid_for(k.buf, out);
	buf_release(&k);
}

/* The key of place pos below the item with key parent ("": a goal). */
static void
place_key(struct buf *out, const char *parent, size_t pos)
{
	buf_reset(out);
	if (*parent)
		buf_addf(out, "%s.%zu", parent, pos);
	else
		buf_addf(out, "%zu", pos);
}

/* Title key number k of a title at level (0 goals, 1 below them). */
static void
title_key(struct buf *out, int level, size_t k, const char *title)
{
	buf_reset(out);
	buf_addf(out, "%c/%zu/%s/", level ? 'S' : 'G', k, title);
}

/* Add the item in row s (id, any, kind, title) as a candidate. */
static size_t
cand_push(struct match *x, sqlite3_stmt *s, int64_t parent, const char *uuid,
          const char *key)
{
	const char *kind = store_col_text(s, 2);
	size_t len = strlen(uuid);
	struct mcand *c;

	if (x->nc == x->ccap) {
		x->ccap = x->ccap ? 2 * x->ccap : 64;
		x->c = xrealloc(x->c, x->ccap * sizeof(*x->c));
	}
	c = &x->c[x->nc];
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->parent = parent;
	memcpy(c->uuid, uuid, len < 36 ? len : 36);
	c->key = key ? xstrdup(key) : NULL;
	c->title = xstrdup(store_col_text(s, 3));
	c->level = -1;
	if (!strcmp(kind, "goal"))
		c->level = 0;
	else if (!strcmp(kind, "milestone") || !strcmp(kind, "question"))
		c->level = 1;
	strmap_put(&x->byuuid, c->uuid, (int64_t)x->nc);
	return x->nc++;
}

/*
 * *out: the candidate whose uuid is uuid, known already or read from the
 * store, or NONE when there is no such item.  key (may be NULL) is its
 * key.
 */
static int
cand_find(struct mdi *m, const char *uuid, const char *key, size_t *out)
{
	struct match *x = m->match;
	int64_t *known = strmap_get(&x->byuuid, uuid);
	sqlite3_stmt *s;
	int rc;

	*out = NONE;
	if (known) {
		*out = (size_t)*known;
		if (key && !x->c[*out].key)
			x->c[*out].key = xstrdup(key);
		return 0;
	}
	if ((rc = imp_prepare(m->im,
	                      "SELECT id, parent, kind, title FROM item "
	                      "WHERE uuid = ?",
	                      &s)))
		return rc;
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = cand_push(x, s, sqlite3_column_int64(s, 1), uuid, key);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(m->im->st, m->im->err, "find an item");
	return 0;
}

static int
probe(struct mdi *m, const char *key, size_t *out)
{
	char uuid[37];

	key_uuid(m, key, uuid);
	return cand_find(m, uuid, key, out);
}

/* Add the items with a name-based uuid right below candidate ci. */
static int
cand_below(struct mdi *m, size_t ci)
{
	struct match *x = m->match;
	int64_t id = x->c[ci].id;
	sqlite3_stmt *s;
	int rc;

	if ((rc = imp_prepare(m->im,
	                      "SELECT id, uuid, kind, title FROM item "
	                      "WHERE parent = ? ORDER BY id",
	                      &s)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *u = store_col_text(s, 1);

		if (strlen(u) == 36 && u[14] == '5' &&
		    !strmap_get(&x->byuuid, u))
			cand_push(x, s, id, u, NULL);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(m->im->st, m->im->err, "read the items");
	return 0;
}

static int plan_item(struct mdi *m, cmark_node *item, int depth, size_t parent,
                     size_t pos);

static int
plan_list(struct mdi *m, cmark_node *list, int depth, size_t parent,
          size_t *pos)
{
	int rc = 0;

	for (cmark_node *c = cmark_node_first_child(list); c && !rc;
	     c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_ITEM)
			rc = plan_item(m, c, depth, parent, ++*pos);
	return rc;
}

/* The first pass: list item `item` and those below it, in file order. */
static int
plan_item(struct mdi *m, cmark_node *item, int depth, size_t parent, size_t pos)
{
	struct match *x = m->match;
	struct buf b = BUF_INIT;
	struct mnode *n;
	cmark_node *split;
	enum cairn_kind kind;
	size_t me = x->n, kids = 0;
	int after, rc = 0;

	if (depth >= FMT_DEPTH_MAX)
		return too_deep(m, item);
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->v = xrealloc(x->v, x->cap * sizeof(*x->v));
	}
	n = &x->v[x->n++];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->pos = pos;
	n->depth = depth;
	n->cand = NONE;
	place_key(&b, parent == NONE ? "" : x->v[parent].path, pos);
	n->path = buf_detach(&b, NULL);
	if (item_title(m, item, depth, &b, NULL, NULL, &split, &after, &kind)) {
		buf_release(&b);
		return 0;
	}
	n->title = buf_detach(&b, NULL);
	for (cmark_node *c = cmark_node_first_child(item); c && !rc;
	     c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			rc = plan_list(m, c, depth + 1, me, &kids);
	return rc;
}

/* Find the candidates: the items this source made. */
static int
discover(struct mdi *m)
{
	struct match *x = m->match;
	struct strmap seen = {0};
	struct buf key = BUF_INIT;
	sqlite3_stmt *s;
	size_t at, goals = x->ngoals;
	int rc;

	if ((rc = imp_prepare(m->im,
	                      "SELECT count(*) FROM item WHERE parent IS "
	                      "NULL AND kind = 'goal'",
	                      &s)))
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    (size_t)sqlite3_column_int64(s, 0) > goals)
		goals = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_sqlerr(m->im->st, m->im->err, "count the goals");
	rc = 0;
	for (size_t i = 1; i <= goals && !rc; i++) {
		place_key(&key, "", i);
		rc = probe(m, key.buf, &at);
	}
	for (size_t i = 0; i < x->n && !rc; i++) {
		const struct mnode *n = &x->v[i];

		if (!n->title)
			continue;
		if (n->depth && (rc = probe(m, n->path, &at)))
			break;
		/* The title keys of each level and title, once. */
		title_key(&key, n->depth > 0, 1, n->title);
		if (strmap_get(&seen, key.buf))
			continue;
		strmap_put(&seen, key.buf, 1);
		for (size_t k = 2; !(rc = probe(m, key.buf, &at)) && at != NONE;
		     k++)
			title_key(&key, n->depth > 0, k, n->title);
	}
	/* x->nc grows as it goes: the whole tree below. */
	for (size_t i = 0; i < x->nc && !rc; i++)
		rc = cand_below(m, i);
	strmap_release(&seen);
	buf_release(&key);
	return rc;
}

/* The place a key ends in ("2.3": 3); 0 for a title key or none. */
static size_t
key_place(const char *key)
{
	const char *p;
	size_t n = 0;

	if (!key || !*key || key[strlen(key) - 1] == '/')
		return 0;
	p = strrchr(key, '.');
	for (p = p ? p + 1 : key; isdigit((unsigned char)*p) && n < 1000000000;
	     p++)
		n = n * 10 + (size_t)(*p - '0');
	return *p ? 0 : n;
}

/* Candidates (by level) or list items (by depth), then title, then age. */
struct tord {
	int level;
	const char *title;
	int64_t age; /* candidate id or list item index */
	size_t i;
};

static int
tord_cmp(const void *a, const void *b)
{
	const struct tord *x = a, *y = b;
	int c;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if ((c = strcmp(x->title, y->title)))
		return c;
	return x->age < y->age ? -1 : x->age > y->age;
}

/* The item list item n goes below: 0 for a goal, -1 when not known. */
static int64_t
parent_item(const struct match *x, const struct mnode *n)
{
	if (n->parent == NONE)
		return 0;
	return x->v[n->parent].cand != NONE ? x->c[x->v[n->parent].cand].id
	                                    : -1;
}

static void
claim(struct match *x, size_t node, size_t cand)
{
	x->v[node].cand = cand;
	x->c[cand].claimed = 1;
}

/*
 * Nearest first.  A round pairs some list items with some candidates
 * the way sorting every pair by (distance between their places, list
 * item, candidate id) and taking each pair whose two sides are both
 * still free would, without making the pairs: each list item's best
 * pair waits in a heap, and one found taken is worked out again.
 * Candidates sit by place; each place hands out its candidates oldest
 * first, and places with none left are skipped (union-find).
 */

/* The distance from place a to place b (SIZE_MAX: none, furthest). */
static size_t
place_dist(size_t a, size_t b)
{
	if (b == SIZE_MAX)
		return SIZE_MAX;
	return a > b ? a - b : b - a;
}

struct rslot {
	size_t place;
	int64_t id;
	size_t cand;
};

static int
rslot_cmp(const void *a, const void *b)
{
	const struct rslot *x = a, *y = b;

	if (x->place != y->place)
		return x->place < y->place ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The slots [cur, end) of one place still to hand out. */
struct rplace {
	size_t place, cur, end;
	size_t left, right; /* where to look next when none is left */
};

/* A list item's best pair: the slot at place at. */
struct rent {
	size_t dist, node, at, slot;
	int64_t id;
};

struct round {
	struct match *x;
	struct rslot *s;
	struct rplace *p;
	size_t np;
	struct rent *heap;
	size_t nheap;
};

/* The first place from g rightwards with a slot left; np: none. */
static size_t
place_right(struct round *r, size_t g)
{
	size_t at = g;

	while (at < r->np && r->p[at].cur == r->p[at].end)
		at = r->p[at].right;
	while (g < r->np && g != at) {
		size_t next = r->p[g].right;

		r->p[g].right = at;
		g = next;
	}
	return at;
}

/* The first place from g leftwards with a slot left; NONE: none. */
static size_t
place_left(struct round *r, size_t g)
{
	size_t at = g;

	while (at != NONE && r->p[at].cur == r->p[at].end)
		at = r->p[at].left;
	while (g != NONE && g != at) {
		size_t next = r->p[g].left;

		r->p[g].left = at;
		g = next;
	}
	return at;
}

/* List item node's best pair into *e; 0 when no slot is left. */
static int
round_best(struct round *r, size_t node, struct rent *e)
{
	size_t pos = r->x->v[node].pos, lo = 0, hi = r->np, a, b, da, db;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->p[mid].place < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	b = place_right(r, lo);
	a = lo ? place_left(r, lo - 1) : NONE;
	if (a == NONE && b == r->np)
		return 0;
	da = a == NONE ? SIZE_MAX : place_dist(pos, r->p[a].place);
	db = b == r->np ? SIZE_MAX : place_dist(pos, r->p[b].place);
	if (b == r->np ||
	    (a != NONE &&
	     (da < db ||
	      (da == db && r->s[r->p[a].cur].id < r->s[r->p[b].cur].id))))
		b = a;
	e->dist = b == a ? da : db;
	e->node = node;
	e->at = b;
	e->slot = r->p[b].cur;
	e->id = r->s[e->slot].id;
	return 1;
}

static int
rent_less(const struct rent *x, const struct rent *y)
{
	if (x->dist != y->dist)
		return x->dist < y->dist;
	if (x->node != y->node)
		return x->node < y->node;
	return x->id < y->id;
}

static void
heap_push(struct round *r, const struct rent *e)
{
	size_t i = r->nheap++;

	while (i && rent_less(e, &r->heap[(i - 1) / 2])) {
		r->heap[i] = r->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	r->heap[i] = *e;
}

static struct rent
heap_pop(struct round *r)
{
	struct rent top = r->heap[0], last = r->heap[--r->nheap];
	size_t i = 0;

	for (;;) {
		size_t k = 2 * i + 1;

		if (k >= r->nheap)
			break;
		if (k + 1 < r->nheap && rent_less(&r->heap[k + 1], &r->heap[k]))
			k++;
		if (!rent_less(&r->heap[k], &last))
			break;
		r->heap[i] = r->heap[k];
		i = k;
	}
	if (r->nheap)
		r->heap[i] = last;
	return top;
}

/* Pair list items nodes[0..nn) with the free ones of cands[0..nc). */
static void
round_run(struct match *x, const size_t *nodes, size_t nn, const size_t *cands,
          size_t nc)
{
	struct round r = {x, NULL, NULL, 0, NULL, 0};
	size_t ns = 0;
	struct rent e;

	r.s = xmalloc((nc ? nc : 1) * sizeof(*r.s));
	r.p = xmalloc((nc ? nc : 1) * sizeof(*r.p));
	r.heap = xmalloc((nn ? nn : 1) * sizeof(*r.heap));
	for (size_t j = 0; j < nc; j++)
		if (!x->c[cands[j]].claimed)
			r.s[ns++] = (struct rslot){x->c[cands[j]].place,
			                           x->c[cands[j]].id, cands[j]};
	qsort(r.s, ns, sizeof(*r.s), rslot_cmp);
	for (size_t j = 0; j < ns; j++) {
		if (j && r.s[j].place == r.s[j - 1].place) {
			r.p[r.np - 1].end++;
			continue;
		}
		r.p[r.np] = (struct rplace){r.s[j].place, j, j + 1, r.np - 1,
		                            r.np + 1};
		r.np++;
	}
	for (size_t i = 0; i < nn; i++)
		if (x->v[nodes[i]].cand == NONE && round_best(&r, nodes[i], &e))
			heap_push(&r, &e);
	while (r.nheap) {
		e = heap_pop(&r);
		if (r.p[e.at].cur != e.slot) {
			if (round_best(&r, e.node, &e))
				heap_push(&r, &e);
			continue;
		}
		claim(x, e.node, r.s[e.slot].cand);
		r.p[e.at].cur++;
	}
	free(r.s);
	free(r.p);
	free(r.heap);
}

/* List items or candidates by the item they are (to go) below. */
struct rkey {
	int64_t parent;
	size_t i;
};

static int
rkey_cmp(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Pair list items nodes[0..nn) (one depth and title) with candidates
 * cands[0..nc) (their level and title) below the same parent; with any,
 * then with any candidate left.
 */
static void
pair_up(struct match *x, size_t *nodes, size_t nn, size_t *cands, size_t nc,
        int any)
{
	struct rkey *kn = xmalloc(nn * sizeof(*kn)),
	            *kc = xmalloc(nc * sizeof(*kc));
	size_t *a = xmalloc(nn * sizeof(*a)), *b = xmalloc(nc * sizeof(*b));
	size_t i = 0, j = 0, n, m;

	for (size_t k = 0; k < nn; k++)
		kn[k] = (struct rkey){parent_item(x, &x->v[nodes[k]]),
		                      nodes[k]};
	for (size_t k = 0; k < nc; k++)
		kc[k] = (struct rkey){x->c[cands[k]].parent, cands[k]};
	qsort(kn, nn, sizeof(*kn), rkey_cmp);
	qsort(kc, nc, sizeof(*kc), rkey_cmp);
	while (i < nn && j < nc) {
		if (kn[i].parent != kc[j].parent) {
			if (kn[i].parent < kc[j].parent)
				i++;
			else
				j++;
			continue;
		}
		for (n = 0; i < nn && kn[i].parent == kc[j].parent; i++)
			a[n++] = kn[i].i;
		for (m = 0; j < nc && kc[j].parent == kn[i - 1].parent; j++)
			b[m++] = kc[j].i;
		round_run(x, a, n, b, m);
	}
	if (any)
		round_run(x, nodes, nn, cands, nc);
	free(kn);
	free(kc);
	free(a);
	free(b);
}

/* List items v[a..b) and the candidates c[lo..end) of their title. */
struct mrun {
	size_t a, b, lo, end;
};

/*
 * Match list items to candidates by title: depth by depth from the top,
 * those below the same parent's item; then again, the others.
 */
static void
match_titles(struct match *x)
{
	struct tord *c = xmalloc((x->nc ? x->nc : 1) * sizeof(*c));
	struct tord *v = xmalloc((x->n ? x->n : 1) * sizeof(*v));
	size_t *ci = xmalloc((x->nc ? x->nc : 1) * sizeof(*ci));
	size_t *vi = xmalloc((x->n ? x->n : 1) * sizeof(*vi));
	struct mrun *run = xmalloc((x->n ? x->n : 1) * sizeof(*run));
	size_t nc = 0, nv = 0, nrun = 0;

	for (size_t i = 0; i < x->nc; i++) {
		size_t at = key_place(x->c[i].key);

		x->c[i].place = at ? at : SIZE_MAX;
		if (x->c[i].level >= 0)
			c[nc++] = (struct tord){x->c[i].level, x->c[i].title,
			                        x->c[i].id, i};
	}
	for (size_t i = 0; i < x->n; i++)
		if (x->v[i].title)
			v[nv++] = (struct tord){x->v[i].depth, x->v[i].title,
			                        (int64_t)i, i};
	qsort(c, nc, sizeof(*c), tord_cmp);
	qsort(v, nv, sizeof(*v), tord_cmp);
	for (size_t a = 0, b; a < nv; a = b) {
		struct tord want = {v[a].level > 0, v[a].title, INT64_MIN, 0};
		size_t lo = 0, hi = nc, end;

		for (b = a + 1; b < nv && v[b].level == v[a].level &&
		                !strcmp(v[b].title, v[a].title);
		     b++)
			;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (tord_cmp(&c[mid], &want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (end = lo; end < nc && c[end].level == want.level &&
		               !strcmp(c[end].title, want.title);
		     end++)
			;
		if (end > lo)
			run[nrun++] = (struct mrun){a, b, lo, end};
	}
	for (int any = 0; any < 2; any++) {
		for (size_t r = 0; r < nrun; r++) {
			const struct mrun *u = &run[r];

			for (size_t k = u->a; k < u->b; k++)
				vi[k - u->a] = v[k].i;
			for (size_t k = u->lo; k < u->end; k++)
				ci[k - u->lo] = c[k].i;
			pair_up(x, vi, u->b - u->a, ci, u->end - u->lo, any);
		}
	}
	free(c);
	free(v);
	free(ci);
	free(vi);
	free(run);
}

/* Give every list item the uuid it writes, and its key where known. */
static int
assign(struct mdi *m)
{
	struct match *x = m->match;
	struct buf key = BUF_INIT;
	size_t at;
	int rc = 0;

	for (size_t i = 0; i < x->n && !rc; i++) {
		struct mnode *n = &x->v[i];
		const char *pk = n->parent == NONE ? "" : x->v[n->parent].key;

		if (!n->title)
			continue;
		if (n->cand != NONE) {
			memcpy(n->uuid, x->c[n->cand].uuid, sizeof(n->uuid));
			n->key = xstrdup_or_null(x->c[n->cand].key);
			continue;
		}
		if (pk) {
			int vacant, in_place;

			place_key(&key, pk, n->pos);
			key_uuid(m, key.buf, n->uuid);
			if ((rc = cand_find(m, n->uuid, key.buf, &at)))
				break;
			vacant = at == NONE && !strmap_get(&x->taken, key.buf);
			/* An item retitled in place. */
			in_place = at != NONE && !x->c[at].claimed &&
			           x->c[at].parent == parent_item(x, n);
			if (vacant || in_place) {
				if (in_place)
					claim(x, i, at);
				strmap_put(&x->taken, key.buf, 1);
				n->key = buf_detach(&key, NULL);
				continue;
			}
		}
		for (size_t k = 1;; k++) {
			title_key(&key, n->depth > 0, k, n->title);
			key_uuid(m, key.buf, n->uuid);
			if ((rc = cand_find(m, n->uuid, key.buf, &at)) ||
			    (at == NONE && !strmap_get(&x->taken, key.buf)))
				break;
		}
		strmap_put(&x->taken, key.buf, 1);
		n->key = buf_detach(&key, NULL);
	}
	buf_release(&key);
	return rc;
}

/*
 * The matching looks at where items are now (below the same parent
 * first), and the import moves them: so that the same file again finds
 * each item where this import leaves it, match again as if the moves
 * were made, until nothing changes (a few rounds at most).
 */
static void
settle(struct match *x)
{
	size_t *was = xmalloc((x->n ? x->n : 1) * sizeof(*was));

	for (int round = 0; round < 4; round++) {
		int moved = 0, same = 1;

		for (size_t i = 0; i < x->n; i++) {
			size_t c = x->v[i].cand;
			int64_t p = parent_item(x, &x->v[i]);

			was[i] = c;
			if (c != NONE && x->c[c].parent != p) {
				x->c[c].parent = p;
				moved = 1;
			}
		}
		if (!moved)
			break;
		for (size_t i = 0; i < x->n; i++)
			x->v[i].cand = NONE;
		for (size_t k = 0; k < x->nc; k++)
			x->c[k].claimed = 0;
		match_titles(x);
		for (size_t i = 0; i < x->n && same; i++)
			same = x->v[i].cand == was[i];
		if (same)
			break;
	}
	free(was);
}

/*
 * Plan a re-import of doc: match its list items to the items this source
 * made and give each its uuid; import_item then takes them in order.
 */
static int
match_plan(struct mdi *m, cmark_node *doc)
{
	int rc = 0;

	for (cmark_node *c = cmark_node_first_child(doc); c && !rc;
	     c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			rc = plan_list(m, c, 0, NONE, &m->match->ngoals);
	if (!rc)
		rc = discover(m);
	if (rc)
		return rc;
	match_titles(m->match);
	settle(m->match);
	return assign(m);
}

static int import_item(struct mdi *m, cmark_node *item, int depth,
                       const char *path, int64_t parent, struct counts *up);

static int
import_list(struct mdi *m, cmark_node *list, int depth, const char *path,
            int64_t parent, size_t *pos, struct counts *up)
{
	struct buf sub = BUF_INIT;
	int rc = 0;

	for (cmark_node *c = cmark_node_first_child(list); c && !rc;
	     c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) != CMARK_NODE_ITEM)
			continue;
		buf_reset(&sub);
		if (path)
			buf_addf(&sub, "%s.%zu", path, ++*pos);
		else
			buf_addf(&sub, "%zu", ++*pos);
		rc = import_item(m, c, depth, sub.buf, parent, up);
	}
	buf_release(&sub);
	return rc;
}

static int
import_item(struct mdi *m, cmark_node *item, int depth, const char *path,
            int64_t parent, struct counts *up)
{
	struct cairn_item it;
	struct buf title = BUF_INIT, body = BUF_INIT;
	struct buf lead = BUF_INIT;
	struct pending_link *links = NULL;
	struct mpara *mets = NULL;
	size_t nlinks = 0, kids = 0, nmets = 0;
	size_t me = m->match ? m->match->next++ : NONE;
	struct counts mine = {0, 0};
	cmark_node *c, *split, *first = cmark_node_first_child(item);
	int checked = 0, box = task_box(m, item, &checked);
	int strip = item_indent(m, item);
	int rc = 0, seen_links = 0, run_start = 0, prev_end, after;
	int marker_line = cmark_node_get_start_line(item);
	unsigned mask = IMP_KIND | IMP_TITLE | IMP_PARENT;

	cairn_item_init(&it);
	if (depth >= FMT_DEPTH_MAX)
		return too_deep(m, item);
	if (item_title(m, item, depth, &title, &links, &nlinks, &split, &after,
	               &it.kind))
		goto out; /* an empty item: nothing to keep */
	if (first && (cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH ||
	              cmark_node_get_type(first) == CMARK_NODE_HEADING)) {
		for (cmark_node *r = split ? cmark_node_next(split) : NULL; r;
		     r = cmark_node_next(r))
			body_links(r, &links, &nlinks);
		if (split)
			rest_after(m, split, first, strip, &lead);
		prev_end = end_line(&m->lines, first);
		c = cmark_node_next(first);
	} else {
		prev_end = cmark_node_get_start_line(item) - 1;
		c = first;
	}
	find_metrics(m, item, c, strip, &mets, &nmets);
	/* The rest: links, body runs, metrics, progress, nested lists. */
	for (; c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);

		if (t == CMARK_NODE_PARAGRAPH && !seen_links && !run_start &&
		    links_only(c)) {
			struct buf labels = BUF_INIT;

			inline_text(c, &labels, &links, &nlinks);
			buf_release(&labels);
			seen_links = 1;
			prev_end = end_line(&m->lines, c);
			continue;
		}
		seen_links = 1;
		if (is_mpara(mets, nmets, c) || boundary(m, item, c)) {
			if (run_start) {
				if (body.len)
					buf_adds(&body, "\n\n");
				slice(&m->lines, run_start,
				      cmark_node_get_start_line(c) - 1, strip,
				      marker_line, &body);
				run_start = 0;
			}
			prev_end = end_line(&m->lines, c);
			continue;
		}
		if (!run_start)
			run_start = prev_end + 1;
		/* Links in the body are the item's links too. */
		if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_BLOCK_QUOTE)
			body_links(c, &links, &nlinks);
	}
	if (run_start) {
		if (body.len)
			buf_adds(&body, "\n\n");
		slice(&m->lines, run_start, end_line(&m->lines, item), strip,
		      marker_line, &body);
	}
	if (lead.len) {
		/* The title's own description opens the body. */
		if (body.len)
			buf_adds(&lead, "\n\n");
		buf_add(&lead, body.buf, body.len);
		buf_reset(&body);
		buf_add(&body, lead.buf, lead.len);
	}
	if (depth == 0 && !m->ngoals && m->have_intro) {
		/* Blocks before the first list open the first goal's body. */
		if (body.len)
			buf_adds(&m->intro, "\n\n");
		buf_add(&m->intro, body.buf, body.len);
		buf_reset(&body);
		buf_add(&body, m->intro.buf, m->intro.len);
	}

	it.title = buf_detach(&title, NULL);
	it.body = buf_detach(&body, NULL);
	if (*it.body)
		mask |= IMP_BODY;
	it.parent = parent;
	it.visibility = m->vis;
	if (box) {
		it.status = checked ? CAIRN_STATUS_DONE : CAIRN_STATUS_PLANNED;
		mask |= IMP_DONE;
	}
	if (m->match)
		memcpy(it.uuid, m->match->v[me].uuid, sizeof(it.uuid));
	else
		key_uuid(m, path, it.uuid);
	if (depth == 0 && !m->ngoals && m->nintro_links) {
		/* The intro's links are the first goal's, as its text is. */
		links = xrealloc(links,
		                 (nlinks + m->nintro_links) * sizeof(*links));
		memcpy(links + nlinks, m->intro_links,
		       m->nintro_links * sizeof(*links));
		nlinks += m->nintro_links;
		free(m->intro_links);
		m->intro_links = NULL;
		m->nintro_links = 0;
	}
	if ((rc = imp_item(m->im, &it, mask, NULL)) ||
	    (rc = save_links(m, it.id, links, nlinks)) ||
	    (rc = save_metrics(m, it.id, mets, nmets)))
		goto out;
	if (depth == 0) {
		m->last_goal = it.id;
		m->goal_ids = xrealloc(m->goal_ids,
		                       (m->ngoals + 1) * sizeof(*m->goal_ids));
		m->goal_ids[m->ngoals++] = it.id;
	}
	if (up && it.kind == CAIRN_KIND_MILESTONE) {
		up->total++;
		if (it.status == CAIRN_STATUS_DONE)
			up->done++;
	}
	for (c = cmark_node_first_child(item); c && !rc; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			rc = import_list(m, c, depth + 1, path, it.id, &kids,
			                 &mine);
	if (rc)
		goto out;
	if (up) {
		up->done += mine.done;
		up->total += mine.total;
	}
out:
	free_links(links, nlinks);
	free_mparas(mets, nmets);
	buf_release(&title);
	buf_release(&lead);
	buf_release(&body);
	cairn_item_release(&it);
	return rc;
}

static int
add_note_block(struct mdi *m, int64_t id, int a, int b, int strip)
{
	struct buf note = BUF_INIT;
	int rc;

	slice(&m->lines, a, b, strip, 0, &note);
	rc = imp_note(m->im, id, note.buf, NULL);
	buf_release(&note);
	return rc;
}

/* A paragraph that is only "{% raw %}" or "{% endraw %}" (Jekyll). */
static int
liquid_raw(cmark_node *n)
{
	struct buf t = BUF_INIT;
	int yes;

	if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
		return 0;
	inline_text(n, &t, NULL, NULL);
	trim(&t);
	yes = !strcmp(t.buf, "{% raw %}") || !strcmp(t.buf, "{% endraw %}");
	buf_release(&t);
	return yes;
}

/* Split off front matter; *md / *mdlen / *line0 say where Markdown is. */
static int
front_matter(struct imp *im, const char *data, size_t len, json_t **fm,
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

/*
 * cairn ranks goals by likelihood (unset last), then by id; a list's
 * order is its rank only as far as that agrees.  When a re-imported file
 * puts a goal above one cairn ranks higher (the goal was moved up), say
 * so once rather than let the export quietly put it back.
 */
static int
warn_rank(struct mdi *m)
{
	sqlite3_stmt *s;
	double prev = 0, cur;
	int rc = 0;

	if (m->ngoals < 2 ||
	    (rc = imp_prepare(m->im,
	                      "SELECT coalesce(likelihood, -1) FROM item "
	                      "WHERE id = ?",
	                      &s)))
		return rc;
	for (size_t i = 0; i < m->ngoals; i++) {
		sqlite3_bind_int64(s, 1, m->goal_ids[i]);
		cur = sqlite3_step(s) == SQLITE_ROW
		              ? sqlite3_column_double(s, 0)
		              : -1;
		sqlite3_reset(s);
		if (i &&
		    (cur > prev ||
		     (cur == prev && m->goal_ids[i] < m->goal_ids[i - 1]))) {
			imp_warn(m->im,
			         "'%s' lists goal #%lld below #%lld, but cairn "
			         "ranks goals by likelihood, then age, and "
			         "keeps "
			         "#%lld first; to move #%lld up, give it a "
			         "higher "
			         "likelihood (cairn set %lld likelihood=P)",
			         m->im->source, (long long)m->goal_ids[i],
			         (long long)m->goal_ids[i - 1],
			         (long long)m->goal_ids[i],
			         (long long)m->goal_ids[i - 1],
			         (long long)m->goal_ids[i - 1]);
			break;
		}
		prev = cur;
	}
	return 0;
}

int
fmt_md_import(struct imp *im, const char *data, size_t len)
{
	struct mdi m;
	struct match plan;
	json_t *fm = NULL, *pub;
	cmark_node *doc = NULL;
	size_t off, pos = 0, total = 0;
	int rc;

	memset(&m, 0, sizeof(m));
	memset(&plan, 0, sizeof(plan));
	m.im = im;
	if ((rc = front_matter(im, data, len, &fm, &off, &m.line0)))
		return rc;
	m.vis = CAIRN_VIS_PUBLIC;
	pub = fm ? json_object_get(fm, "published") : NULL;
	if (json_is_false(pub) ||
	    (json_is_string(pub) && !strcmp(json_string_value(pub), "false")))
		m.vis = CAIRN_VIS_PRIVATE;
	if (im->opts->visibility >= 0)
		m.vis = im->opts->visibility;
	if (fm && (rc = save_front_matter(im, fm)))
		goto out;
	lines_init(&m.lines, data + off, len - off);
	doc = md_parse(data + off, len - off, 1);
	/* Items in the store: this may be a re-import (see above). */
	if (im->fresh_from) {
		m.match = &plan;
		if ((rc = match_plan(&m, doc)))
			goto out;
	}
	for (cmark_node *c = cmark_node_first_child(doc); c;
	     c = cmark_node_next(c))
		total++;
	/* Blocks before the first list: the first goal's body. */
	for (cmark_node *c = cmark_node_first_child(doc); c;
	     c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			break;
		if (liquid_raw(c))
			continue;
		if (m.intro.len)
			buf_adds(&m.intro, "\n\n");
		slice(&m.lines, cmark_node_get_start_line(c),
		      end_line(&m.lines, c), 0, 0, &m.intro);
		m.have_intro = 1;
		body_links(c, &m.intro_links, &m.nintro_links);
	}
	{
		size_t done = 0;

		for (cmark_node *c = cmark_node_first_child(doc); c && !rc;
		     c = cmark_node_next(c)) {
			imp_progress(im, ++done, total);
			if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
				rc = import_list(&m, c, 0, NULL, 0, &pos, NULL);
				continue;
			}
			if (!m.ngoals || liquid_raw(c))
				continue; /* intro, already taken */
			rc = add_note_block(&m, m.last_goal,
			                    cmark_node_get_start_line(c),
			                    end_line(&m.lines, c), 0);
		}
	}
	if (!rc && !m.ngoals && m.intro.len)
		rc = cairn_err_set(im->err, CAIRN_EINVAL,
		                   "no list in '%s': a Markdown roadmap is a "
		                   "numbered or bulleted list of goals",
		                   im->source);
	if (!rc && m.match)
		rc = warn_rank(&m);
out:
	free(m.goal_ids);
	cmark_node_free(doc);
	json_decref(fm);
	lines_release(&m.lines);
	match_release(&plan);
	buf_release(&m.intro);
	free_links(m.intro_links, m.nintro_links);
	return rc;
}

/* ---- export ---- */

struct mdo {
	struct cairn_store *st;
	const struct cairn_roadmap *rm;
	struct buf *out;
	struct cairn_err *err;
};

/* Does s start with an entity reference ("&amp;", "&#38;")? */
static int
entity_at(const char *s, size_t n)
{
	size_t j = 1;

	while (j < n && j < 34 && (isalnum((unsigned char)s[j]) || s[j] == '#'))
		j++;
	return j > 1 && j < n && s[j] == ';';
}

/* Backslash-escape what would be read as Markdown inline syntax. */
static void
esc_inline(struct buf *out, const char *s, size_t n, int line_start)
{
	size_t i = 0;

	if (line_start && n) {
		size_t d = 0;

		while (d < n && d < 9 && isdigit((unsigned char)s[d]))
			d++;
		if (strchr("#+-=|>", s[0])) {
			buf_addch(out, '\\');
		} else if (d && d < n && (s[d] == '.' || s[d] == ')')) {
			buf_add(out, s, d);
			buf_addch(out, '\\');
			i = d;
		}
	}
	for (; i < n; i++) {
		char c = s[i];

		if (c == '\n' || c == '\r') {
			buf_addch(out, ' ');
			continue;
		}
		if (strchr("\\`*_[]~", c) ||
		    (c == '<' && i + 1 < n &&
		     (isalpha((unsigned char)s[i + 1]) ||
		      strchr("/!?", s[i + 1]))) ||
		    (c == '&' && entity_at(s + i, n - i)))
			buf_addch(out, '\\');
		buf_addch(out, c);
	}
}

static void
esc_url(struct buf *out, const char *url)
{
	for (const char *p = url; *p; p++) {
		if (strchr("\\()<>&", *p))
			buf_addch(out, '\\');
		buf_addch(out, *p);
	}
}

struct elink {
	char *url;
	char *label;
	int placed;
};

struct elist {
	struct elink *v;
	size_t n;
};

static int
collect_link(void *ctx, const struct cairn_entry *e)
{
	struct elist *l = ctx;

	if (!fmt_url_ok(e->text))
		return 0; /* never render a link we would refuse */
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].url = xstrdup(e->text);
	l->v[l->n].label = xstrdup_or_null(e->label);
	l->v[l->n++].placed = 0;
	return 0;
}

static void
elist_release(struct elist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].url);
		free(l->v[i].label);
	}
	free(l->v);
}

static void
put_link(struct buf *out, const char *label, const char *url)
{
	buf_addch(out, '[');
	esc_inline(out, label, strlen(label), 0);
	buf_adds(out, "](");
	esc_url(out, url);
	buf_addch(out, ')');
}

/* The title with each link whose label it contains linked in place. */
static void
put_title(struct buf *out, const char *title, struct elist *links)
{
	size_t pos = 0, n = strlen(title);

	while (n && isspace((unsigned char)title[n - 1]))
		n--;
	while (pos < n && isspace((unsigned char)title[pos]))
		pos++;
	/*
	 * Leftmost label first (then the longer, then by URL), so that the
	 * result does not depend on the order the links were stored in.
	 */
	for (;;) {
		const char *best_at = NULL;
		size_t best = 0, best_len = 0;

		for (size_t i = 0; i < links->n; i++) {
			const char *lab = links->v[i].label, *at;
			size_t ln;

			if (links->v[i].placed || !lab || !*lab)
				continue;
			ln = strlen(lab);
			at = strstr(title + pos, lab);
			if (!at || (size_t)(at - title) + ln > n)
				continue;
			if (best_at && (at > best_at ||
			                (at == best_at &&
			                 (ln < best_len ||
			                  (ln == best_len &&
			                   strcmp(links->v[i].url,
			                          links->v[best].url) >= 0)))))
				continue;
			best_at = at;
			best = i;
			best_len = ln;
		}
		if (!best_at)
			break;
		esc_inline(out, title + pos, (size_t)(best_at - title) - pos,
		           out->len == 0);
		put_link(out, links->v[best].label, links->v[best].url);
		pos = (size_t)(best_at - title) + best_len;
		links->v[best].placed = 1;
	}
	esc_inline(out, title + pos, n - pos, out->len == 0);
}

/* Indent every non-empty line of text by ind spaces. */
static void
put_block(struct buf *out, const char *text, int ind)
{
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n)
			buf_addf(out, "%*s", ind, "");
		buf_add(out, p, n);
		buf_addch(out, '\n');
		if (!e)
			break;
		p = e + 1;
	}
}

/*
 * Line breaks as "\n" only: Markdown also ends lines at "\r", which the
 * exporters, indenting line by line, would otherwise miss.
 */
static void
lf_only(struct buf *b)
{
	size_t w = 0;

	for (size_t r = 0; r < b->len; r++) {
		if (b->buf[r] == '\r') {
			b->buf[w++] = '\n';
			if (r + 1 < b->len && b->buf[r + 1] == '\n')
				r++;
		} else {
			b->buf[w++] = b->buf[r];
		}
	}
	b->len = w;
	b->buf[w] = '\0';
}

/*
 * Escape the markers of lists that text would start at the top level,
 * so that a body or note never turns into items.
 */
static char *
neutralize_lists(const char *text)
{
	struct buf cur = BUF_INIT;

	buf_adds(&cur, text);
	lf_only(&cur);
	for (int round = 0; round < 1000; round++) {
		cmark_node *doc = md_parse(cur.buf, cur.len, 0);
		struct lines l;
		size_t at = (size_t)-1;

		lines_init(&l, cur.buf, cur.len);
		for (cmark_node *c = cmark_node_first_child(doc); c;
		     c = cmark_node_next(c)) {
			cmark_node *item;
			size_t n;
			const char *s;
			size_t i;

			if (cmark_node_get_type(c) != CMARK_NODE_LIST)
				continue;
			item = cmark_node_first_child(c);
			s = line_at(&l, cmark_node_get_start_line(item), &n);
			i = cmark_node_get_start_column(item) > 0
			            ? (size_t)cmark_node_get_start_column(
			                      item) -
			                      1
			            : 0;
			/* The marker: the first non-blank of the line if
			 * the column does not point at one. */
			if (i >= n || isspace((unsigned char)s[i]))
				for (i = 0;
				     i < n && isspace((unsigned char)s[i]); i++)
					;
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
			if (i < n)
				at = (size_t)(s - cur.buf) + i;
			break;
		}
		lines_release(&l);
		cmark_node_free(doc);
		if (at == (size_t)-1)
			break;
		{
			struct buf next = BUF_INIT;

			buf_add(&next, cur.buf, at);
			buf_addch(&next, '\\');
			buf_add(&next, cur.buf + at, cur.len - at);
			buf_release(&cur);
			cur = next;
		}
	}
	return buf_detach(&cur, NULL);
}

/* Escape line starts that would swallow what follows a note. */
/*
 * The fence opened at q (a run of ` or ~), whose line ends at eol (NULL:
 * the text's end): where the line that closes it ends (its '\n' or the
 * final NUL), or NULL when nothing closes it.
 */
static const char *
fence_end(const char *q, const char *eol)
{
	char ch = *q;
	size_t open = strspn(q, ch == '`' ? "`" : "~");
	const char *p = eol;

	while (p && *p) {
		const char *line = p + 1, *e = strchr(line, '\n'), *r = line;
		int sp = 0;

		while (sp < 3 && *r == ' ') {
			r++;
			sp++;
		}
		if (*r == ch && strspn(r, ch == '`' ? "`" : "~") >= open) {
			r += strspn(r, ch == '`' ? "`" : "~");
			while (*r == ' ' || *r == '\t')
				r++;
			if (*r == '\n' || !*r)
				return r;
		}
		p = e;
	}
	return NULL;
}

static char *
neutralize_note(const char *text)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	const char *t, *p;
	char *done;

	buf_adds(&in, text);
	lf_only(&in);
	t = p = in.buf;

	while (*p) {
		const char *e = strchr(p, '\n'), *q = p, *close;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int sp = 0;

		while (sp < 3 && *q == ' ') {
			q++;
			sp++;
		}
		buf_add(&out, p, (size_t)(q - p));
		if ((!strncmp(q, "```", 3) || !strncmp(q, "~~~", 3)) &&
		    (close = fence_end(q, e))) {
			/* A closed fence: the code goes as it is. */
			size_t len = close ? (size_t)(close - q) : strlen(q);

			buf_add(&out, q, len);
			if (!*close)
				break;
			buf_addch(&out, '\n');
			p = close + 1;
			continue;
		}
		if (!strncmp(q, "```", 3) || !strncmp(q, "~~~", 3) ||
		    (*q == '[' && strstr(q, "]:") &&
		     (size_t)(strstr(q, "]:") - p) < n) ||
		    !strncmp(q, "{% raw %}", 9) ||
		    !strncmp(q, "{% endraw %}", 12))
			buf_addch(&out, '\\');
		/* No raw HTML from a note reaches a published page. */
		for (const char *c = q; c < p + n; c++) {
			if (*c == '<' && c + 1 < p + n &&
			    (isalpha((unsigned char)c[1]) ||
			     strchr("/!?", c[1]))) {
				int bs = 0;

				for (const char *b = c; b > t && b[-1] == '\\';
				     b--)
					bs++;
				if (bs % 2 == 0)
					buf_addch(&out, '\\');
			}
			buf_addch(&out, *c);
		}
		if (!e)
			break;
		buf_addch(&out, '\n');
		p = e + 1;
	}
	/* Lists last: escaping a fence above can turn lines into a list. */
	done = neutralize_lists(out.buf);
	buf_release(&out);
	buf_release(&in);
	return done;
}

/* End the output with one blank line (none at the very start). */
static void
sep(struct buf *out)
{
	if (!out->len || (out->len >= 2 && out->buf[out->len - 1] == '\n' &&
	                  out->buf[out->len - 2] == '\n'))
		return;
	if (out->buf[out->len - 1] != '\n')
		buf_addch(out, '\n');
	buf_addch(out, '\n');
}

/*
 * An indented code block as a fenced one: indented, a note's code would
 * join the goal above it.  The fence is longer than any run of backticks
 * in the code.
 */
static void
put_fenced(struct buf *out, const char *code)
{
	size_t run = 0, longest = 2;
	const char *p = code;

	for (const char *c = code; *c; c++) {
		run = *c == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		buf_addch(out, '`');
	buf_addch(out, '\n');
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p), i = 0;
		int col = 0;

		while (i < n && col < 4 && (p[i] == ' ' || p[i] == '\t')) {
			col = p[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
			i++;
		}
		buf_add(out, p + i, n - i);
		buf_addch(out, '\n');
		if (!e)
			break;
		p = e + 1;
	}
	for (size_t i = 0; i <= longest; i++)
		buf_addch(out, '`');
}

static int
collect_note(void *ctx, const struct cairn_entry *e)
{
	struct buf *notes = ctx, clean = BUF_INIT;
	char *t = neutralize_note(e->text);
	const char *p = t;
	int blank = 1; /* the previous line was blank (or none yet) */

	/*
	 * A note reads back as one note per block, written one blank line
	 * apart: so lines of only white space are blank, and a run of blank
	 * lines is one.
	 */
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t k = 0;

		while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
			k++;
		if (k == n) {
			if (!blank)
				buf_addch(&clean, '\n');
			blank = 1;
		} else {
			buf_add(&clean, p, n);
			buf_addch(&clean, '\n');
			blank = 0;
		}
		if (!end)
			break;
		p = end + 1;
	}
	while (clean.len && clean.buf[clean.len - 1] == '\n')
		clean.buf[--clean.len] = '\0';
	/* One block after another, as import will see them. */
	{
		cmark_node *doc = md_parse(clean.buf, clean.len, 1);
		struct lines l;

		lines_init(&l, clean.buf, clean.len);
		for (cmark_node *c = cmark_node_first_child(doc); c;
		     c = cmark_node_next(c)) {
			struct buf block = BUF_INIT;
			int flen, foff;
			char fch;

			slice(&l, cmark_node_get_start_line(c), end_line(&l, c),
			      0, 0, &block);
			sep(notes);
			if (cmark_node_get_type(c) == CMARK_NODE_CODE_BLOCK &&
			    !cmark_node_get_fenced(c, &flen, &foff, &fch))
				put_fenced(notes, block.buf);
			else
				/* Indented, it would join the goal above. */
				buf_adds(notes,
				         block.buf + strspn(block.buf, " \t"));
			buf_addch(notes, '\n');
			buf_release(&block);
		}
		lines_release(&l);
		cmark_node_free(doc);
	}
	buf_release(&clean);
	free(t);
	return 0;
}

/*
 * A metric as one line, its numeric target and where it stands:
 * "Metric: NAME (UNIT) from BASELINE to TARGET; latest VALUE on DATE
 * (P% of the way)." without the unit when it has none and without the
 * latest part when it has no observation.  Parentheses in the name are
 * escaped, so that the first unescaped " (" starts the unit: import
 * reads the line back (metric_parse) by comparing it with this one.
 */
static void
metric_line(struct buf *line, const struct cairn_metric *m)
{
	const char *name = m->name;
	char a[32], b[32], c[32];

	fmt_num(a, m->baseline);
	fmt_num(b, m->target);
	buf_adds(line, "Metric: ");
	for (;;) {
		size_t n = strcspn(name, "()");

		esc_inline(line, name, n, 0);
		if (!name[n])
			break;
		buf_addch(line, '\\');
		buf_addch(line, name[n]);
		name += n + 1;
	}
	if (m->unit && *m->unit) {
		buf_adds(line, " (");
		esc_inline(line, m->unit, strlen(m->unit), 0);
		buf_addch(line, ')');
	}
	buf_addf(line, " from %s to %s", a, b);
	if (m->has_latest) {
		fmt_num(c, m->latest);
		buf_addf(line, "; latest %s on %s (%.1f%% of the way)", c,
		         m->latest_date,
		         cairn_metric_progress(m->baseline, m->target,
		                               m->latest));
	}
	buf_addch(line, '.');
}

struct mput {
	struct buf *out;
	int ci;
	int n;
};

static int
put_metric(void *ctx, const struct cairn_metric *m)
{
	struct mput *p = ctx;
	struct buf line = BUF_INIT;

	metric_line(&line, m);
	sep(p->out);
	buf_addf(p->out, "%*s%s\n", p->ci, "", line.buf);
	p->n++;
	buf_release(&line);
	return 0;
}

/* Does body's first block hold nothing but links? */
static int
body_opens_with_links(const char *body)
{
	cmark_node *doc, *first;
	int yes;

	if (!body || !*body)
		return 0;
	doc = md_parse(body, strlen(body), 0);
	first = cmark_node_first_child(doc);
	yes = first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH &&
	      links_only(first);
	cmark_node_free(doc);
	return yes;
}

static int
write_item(struct mdo *o, size_t idx, int indent, const char *marker)
{
	const struct cairn_roadmap *rm = o->rm;
	const struct cairn_item *it = &rm->items[idx];
	struct elist links = {NULL, 0};
	struct buf line = BUF_INIT;
	int ci = indent + (int)strlen(marker), rc, extra = 0, lead_links;

	if ((rc = cairn_item_links(o->st, it->id, collect_link, &links,
	                           o->err)))
		goto out;
	buf_addf(o->out, "%*s%s", indent, "", marker);
	if (rm->depth[idx] > 0) {
		if (it->kind != CAIRN_KIND_QUESTION ||
		    it->status == CAIRN_STATUS_DONE)
			buf_adds(o->out, it->status == CAIRN_STATUS_DONE
			                         ? "[x] "
			                         : "[ ] ");
		else if (!is_question(it->title) ||
		         has_question_prefix(it->title))
			buf_adds(o->out, "Question: ");
	} else if (it->status == CAIRN_STATUS_DONE) {
		buf_adds(o->out, "[x] ");
	}
	put_title(&line, it->title, &links);
	if (!line.len)
		buf_adds(&line, "\\(untitled)");
	buf_add(o->out, line.buf, line.len);
	buf_addch(o->out, '\n');
	/*
	 * Links whose label is not in the title, unless the body shows them
	 * already.  When the body opens with a paragraph of links only,
	 * import would take that paragraph for this one: then this one is
	 * written whole, so that it is there to be taken.
	 */
	buf_reset(&line);
	lead_links = body_opens_with_links(it->body);
	for (size_t i = 0; i < links.n; i++) {
		if (links.v[i].placed || (!lead_links && it->body &&
		                          strstr(it->body, links.v[i].url)))
			continue;
		if (line.len)
			buf_adds(&line, ", ");
		put_link(&line,
		         links.v[i].label ? links.v[i].label : links.v[i].url,
		         links.v[i].url);
	}
	if (line.len) {
		sep(o->out);
		buf_addf(o->out, "%*s%s\n", ci, "", line.buf);
		extra = 1;
	}
	if (it->body && *it->body) {
		char *body = neutralize_lists(it->body);
		size_t n = strlen(body), from = 0;

		while (n && (body[n - 1] == '\n' || body[n - 1] == ' ' ||
		             body[n - 1] == '\t'))
			body[--n] = '\0';
		/* Blank lines at the start read back as nothing. */
		for (size_t k = 0; k < n; k++) {
			if (body[k] == '\n')
				from = k + 1;
			else if (body[k] != ' ' && body[k] != '\t')
				break;
		}
		if (from < n) {
			sep(o->out);
			put_block(o->out, body + from, ci);
			extra = 1;
		}
		free(body);
	}
	{
		struct mput mp = {o->out, ci, 0};

		if ((rc = cairn_metric_each(o->st, it->id, NULL, put_metric,
		                            &mp, o->err)))
			goto out;
		if (mp.n)
			extra = 1;
	}
	if (!rm->depth[idx]) {
		size_t done, total;

		cairn_roadmap_progress(rm, idx, &done, &total);
		if (total) {
			sep(o->out);
			buf_addf(o->out,
			         "%*sProgress: %zu of %zu milestone%s done.\n",
			         ci, "", done, total, total == 1 ? "" : "s");
			extra = 1;
		}
	}
	if (rm->kid_off[idx] < rm->kid_off[idx + 1]) {
		if (extra || !rm->depth[idx])
			sep(o->out);
		for (uint32_t k = rm->kid_off[idx];
		     k < rm->kid_off[idx + 1] && !rc; k++)
			rc = write_item(o, rm->kid[k], ci, "- ");
	}
	/* Whatever the item held ends before its next sibling starts. */
	if (extra)
		sep(o->out);
out:
	elist_release(&links);
	buf_release(&line);
	return rc;
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
static int
put_front_matter(struct cairn_store *st, struct buf *out, struct cairn_err *err)
{
	sqlite3_stmt *s;
	json_t *fm = json_object();
	yaml_emitter_t e;
	yaml_event_t ev;
	int rc, ok;

	if ((rc = store_prepare(st, &s,
	                        "SELECT key, value FROM setting WHERE "
	                        "substr(key, 1, 12) = '" FM_PREFIX
	                        "' ORDER BY id",
	                        err))) {
		json_decref(fm);
		return rc;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *v =
		        json_loads(store_col_text(s, 1), JSON_DECODE_ANY, NULL);

		json_object_set_new(fm,
		                    store_col_text(s, 0) + strlen(FM_PREFIX),
		                    v ? v : json_string(store_col_text(s, 1)));
	}
	sqlite3_finalize(s);
	if (!json_object_size(fm)) {
		char today[CAIRN_DATE_LEN];

		cairn_date_format(cairn_clock(), today);
		json_object_set_new(fm, "layout", json_string("post"));
		json_object_set_new(fm, "title", json_string("Research goals"));
		json_object_set_new(fm, "date", json_string(today));
	}
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
	json_decref(fm);
	if (!ok)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot write the front matter as YAML");
	if (out->len >= 4 && !strcmp(out->buf + out->len - 4, "...\n"))
		out->len -= 4, out->buf[out->len] = '\0';
	buf_adds(out, "---\n");
	return 0;
}

int
fmt_md_export(struct cairn_store *st, int jekyll, int minvis, struct buf *out,
              struct cairn_err *err)
{
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope scope = {.minvis = minvis, .no_dropped = 1};
	struct buf body = BUF_INIT, marker = BUF_INIT;
	struct mdo o;
	int rc;

	if ((rc = cairn_roadmap_load_scope(st, &scope, &rm, err)))
		return rc;
	o = (struct mdo){st, &rm, &body, err};
	for (size_t g = 0; g < rm.ngoals && !rc; g++) {
		buf_reset(&marker);
		buf_addf(&marker, "%zu. ", g + 1);
		sep(&body);
		rc = write_item(&o, rm.goals[g], 0, marker.buf);
		if (!rc)
			rc = cairn_item_notes(st, rm.items[rm.goals[g]].id,
			                      collect_note, &body, err);
	}
	/* One newline at the end. */
	while (body.len >= 2 && body.buf[body.len - 1] == '\n' &&
	       body.buf[body.len - 2] == '\n')
		body.buf[--body.len] = '\0';
	if (!rc && jekyll) {
		int liquid = strstr(body.buf, "{{") || strstr(body.buf, "{%");

		if ((rc = put_front_matter(st, out, err)))
			goto out;
		if (body.len)
			buf_addch(out, '\n');
		if (liquid)
			buf_adds(out, "{% raw %}\n\n");
		buf_add(out, body.buf, body.len);
		if (liquid)
			buf_adds(out, "\n{% endraw %}\n");
	} else if (!rc) {
		buf_add(out, body.buf, body.len);
	}
out:
	buf_release(&body);
	buf_release(&marker);
	cairn_roadmap_release(&rm);
	return rc;
}
