/*
 * md-parse.c: reading the cmark-gfm tree of a Markdown roadmap: parsing,
 * source lines, titles, links, task boxes, questions and progress lines.
 * Nothing here touches the store.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "fmt/md-int.h"
#include "research/research-int.h"
#include "banned.h"

/* ---- shared ---- */

cmark_node *
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

void
md_lines_init(struct lines *l, const char *text, size_t len)
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

void
md_lines_release(struct lines *l)
{
	free(l->start);
	free(l->end);
}

/* Line number (1-based) and its text, without the line ending. */
const char *
md_line_at(const struct lines *l, int line, size_t *len)
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
	const char *s = md_line_at(l, line, &n);

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
static int
blank_rest(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	return !n;
}

void
md_slice(const struct lines *l, int a, int b, int strip, int marker,
         struct buf *out)
{
	int first = 1;

	while (a <= b && blank_line(l, a))
		a++;
	while (b >= a && blank_line(l, b))
		b--;
	for (int line = a; line <= b; line++) {
		size_t n, i = 0;
		const char *s = md_line_at(l, line, &n);
		int col = 0;

		while (i < n && col < strip &&
		       (s[i] == ' ' || s[i] == '\t' || line == marker)) {
			col = s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
			i++;
		}
		/* A marker line with nothing after the marker opens nothing. */
		if (first && (line == marker || blank_line(l, line)) &&
		    blank_rest(s + i, n - i))
			continue;
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
int
md_end_line(const struct lines *lines, cmark_node *n)
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

/* ---- import ---- */

int
md_line_no(const struct mdi *m, int line)
{
	return line + m->line0;
}

/* Content column of a list item: past its marker and the spaces after. */
int
md_item_indent(const struct mdi *m, cmark_node *item)
{
	size_t n, i;
	int line = cmark_node_get_start_line(item);
	int col = cmark_node_get_start_column(item);
	const char *s = md_line_at(&m->lines, line, &n);
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
int
md_task_box(const struct mdi *m, cmark_node *item, int *checked)
{
	const char *t = cmark_node_get_type_string(item);
	size_t n, ci = (size_t)md_item_indent(m, item);
	const char *s =
	        md_line_at(&m->lines, cmark_node_get_start_line(item), &n);

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

void
md_inline_text(cmark_node *block, struct buf *out, struct pending_link **links,
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

void
md_free_links(struct pending_link *links, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(links[i].url);
		free(links[i].label);
	}
	free(links);
}

/* A paragraph of allowed links only (with separators between them)? */
int
md_links_only(cmark_node *para)
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
int
md_progress_line(cmark_node *para, size_t *d, size_t *t)
{
	struct buf text = BUF_INIT;
	char tail[32];
	unsigned long a = 0, b = 0;
	int n = 0, ok;

	md_inline_text(para, &text, NULL, NULL);
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
int
md_is_question(const char *s)
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

int
md_has_question_prefix(const char *s)
{
	return !strncasecmp(s, "question:", 9);
}

/* Collect the links of node n, marked as kept in the body's text. */
void
md_body_links(cmark_node *n, struct pending_link **links, size_t *nlinks)
{
	struct buf scratch = BUF_INIT;
	size_t from = *nlinks;

	md_inline_text(n, &scratch, links, nlinks);
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
		md_inline_text(c, &t, NULL, NULL);
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
void
md_rest_after(const struct mdi *m, cmark_node *n, cmark_node *para, int strip,
              struct buf *out)
{
	int line = cmark_node_get_end_line(n),
	    col = cmark_node_get_end_column(n);
	int last = md_end_line(&m->lines, para);
	size_t len, a = 0;
	const char *s = md_line_at(&m->lines, line, &len);
	struct buf t = BUF_INIT;

	if (line <= 0 || col <= 0)
		return;
	if ((size_t)col < len)
		buf_add(&t, s + col, len - (size_t)col);
	if (line < last) {
		buf_addch(&t, '\n');
		md_slice(&m->lines, line + 1, last, strip, 0, &t);
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
			if (md_task_box(m, i, &checked)) {
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
						md_inline_text(split, &title,
						               NULL, NULL);
					else
						inline_until(first, split,
						             &title, NULL,
						             NULL);
					trim(&title);
				}
				if (!md_has_question_prefix(title.buf) &&
				    !md_is_question(title.buf))
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
int
md_derived_progress(const struct mdi *m, cmark_node *item, cmark_node *p,
                    size_t done, size_t total)
{
	struct counts n = {0, 0};
	cmark_node *next = cmark_node_next(p);

	if (!next || cmark_node_get_type(next) != CMARK_NODE_LIST || !total)
		return 0;
	ast_counts(m, item, &n, 0);
	return n.done == done && n.total == total;
}

int
md_too_deep(const struct mdi *m, cmark_node *item)
{
	return cairn_err_set(m->im->err, CAIRN_EINVAL,
	                     "lists in '%s' nest deeper than %d levels "
	                     "(line %d)",
	                     m->im->source, FMT_DEPTH_MAX,
	                     md_line_no(m, cmark_node_get_start_line(item)));
}

/*
 * The title of list item `item` at depth as import writes it, into
 * title: the text of its first paragraph or heading up to a split (see
 * title_split), "(untitled)" when there is none, without a "Question:"
 * prefix, on one line.  Its links go to *links when links is not NULL;
 * *split and *after are title_split's, *kind the item's kind.  Returns
 * -1 for an empty item (nothing to import), else 0.
 */
int
md_item_title(const struct mdi *m, cmark_node *item, int depth,
              struct buf *title, struct pending_link **links, size_t *nlinks,
              cmark_node **split, int *after, enum cairn_kind *kind)
{
	cmark_node *first = cmark_node_first_child(item);
	cmark_node_type t =
	        first ? cmark_node_get_type(first) : CMARK_NODE_NONE;
	int box = md_task_box(m, item, NULL);

	*split = NULL;
	*after = 0;
	if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
		if (t == CMARK_NODE_PARAGRAPH)
			*split = title_split(first, after);
		/* Up to a split; the links after it are in the body's text. */
		if (*split && *after)
			md_inline_text(*split, title, links, nlinks);
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
	if (depth && !box && md_has_question_prefix(title->buf)) {
		size_t skip = 9;

		while (title->buf[skip] == ' ')
			skip++;
		memmove(title->buf, title->buf + skip, title->len - skip + 1);
		title->len -= skip;
		*kind = CAIRN_KIND_QUESTION;
		if (!title->len)
			buf_adds(title, "(untitled)");
	} else if (depth && !box && md_is_question(title->buf)) {
		*kind = CAIRN_KIND_QUESTION;
	}
	fmt_one_line(title->buf);
	return 0;
}

/* A paragraph that is only "{% raw %}" or "{% endraw %}" (Jekyll). */
int
md_liquid_raw(cmark_node *n)
{
	struct buf t = BUF_INIT;
	int yes;

	if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
		return 0;
	md_inline_text(n, &t, NULL, NULL);
	trim(&t);
	yes = !strcmp(t.buf, "{% raw %}") || !strcmp(t.buf, "{% endraw %}");
	buf_release(&t);
	return yes;
}

/* Split off front matter; *md / *mdlen / *line0 say where Markdown is. */

/* An HTML block of <br> lines only: a spacer, no content of its own. */
static int
html_spacer(cmark_node *n)
{
	const char *s;
	int any = 0;

	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return 0;
	s = cmark_node_get_literal(n);
	while (s && *s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		while (len && isspace((unsigned char)*s))
			s++, len--;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (len) {
			size_t i;

			if (!html_is_break(s) || s[len - 1] != '>')
				return 0;
			/* "<br", "</br", then only spaces and '/' */
			i = s[1] == '/' ? 4 : 3;
			for (; i < len - 1; i++)
				if (s[i] != ' ' && s[i] != '/')
					return 0;
			any = 1;
		}
		s = e ? e + 1 : NULL;
	}
	return any;
}

/* What marks a list md_attach_lists moved into an item. */
static char attached_mark;

void
md_attach_lists(cmark_node *doc)
{
	cmark_node *owner = NULL, *next;

	for (cmark_node *c = cmark_node_first_child(doc); c; c = next) {
		next = cmark_node_next(c);
		if (html_spacer(c)) {
			cmark_node_free(c);
			continue;
		}
		if (cmark_node_get_type(c) != CMARK_NODE_LIST) {
			owner = NULL;
			continue;
		}
		if (cmark_node_get_list_type(c) == CMARK_ORDERED_LIST) {
			owner = cmark_node_last_child(c);
			continue;
		}
		if (!owner)
			continue;
		cmark_node_set_user_data(c, &attached_mark);
		cmark_node_append_child(owner, c);
	}
}

int
md_attached(cmark_node *list)
{
	return cmark_node_get_user_data(list) == &attached_mark;
}
