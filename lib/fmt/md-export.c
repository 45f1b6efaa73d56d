/*
 * md-export.c: writing the roadmap as Markdown or a Jekyll post, laid
 * out so that reading it back gives the same roadmap.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "fmt/md-int.h"
#include "research/research-int.h"
#include "banned.h"

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
void
md_esc_inline(struct buf *out, const char *s, size_t n, int line_start)
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
	md_esc_inline(out, label, strlen(label), 0);
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
		md_esc_inline(out, title + pos, (size_t)(best_at - title) - pos,
		              out->len == 0);
		put_link(out, links->v[best].label, links->v[best].url);
		pos = (size_t)(best_at - title) + best_len;
		links->v[best].placed = 1;
	}
	md_esc_inline(out, title + pos, n - pos, out->len == 0);
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

		md_lines_init(&l, cur.buf, cur.len);
		for (cmark_node *c = cmark_node_first_child(doc); c;
		     c = cmark_node_next(c)) {
			cmark_node *item;
			size_t n;
			const char *s;
			size_t i;

			if (cmark_node_get_type(c) != CMARK_NODE_LIST)
				continue;
			item = cmark_node_first_child(c);
			s = md_line_at(&l, cmark_node_get_start_line(item), &n);
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
		md_lines_release(&l);
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

		md_lines_init(&l, clean.buf, clean.len);
		for (cmark_node *c = cmark_node_first_child(doc); c;
		     c = cmark_node_next(c)) {
			struct buf block = BUF_INIT;
			int flen, foff;
			char fch;

			md_slice(&l, cmark_node_get_start_line(c),
			         md_end_line(&l, c), 0, 0, &block);
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
		md_lines_release(&l);
		cmark_node_free(doc);
	}
	buf_release(&clean);
	free(t);
	return 0;
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

	md_metric_line(&line, m);
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
	      md_links_only(first);
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
		else if (!md_is_question(it->title) ||
		         md_has_question_prefix(it->title))
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

/*
 * The post's introduction or closing (setting key), as one block.  With
 * mark (after the last goal), MD_CLOSING_MARK comes first when the text
 * would read back as the last goal's: the goal had notes, or the closing
 * opens indented, as far as the goal's own text.
 */
static int
put_post_text(struct cairn_store *st, const char *key, int mark,
              struct buf *out, struct cairn_err *err)
{
	struct buf t = BUF_INIT;
	int rc = cairn_setting_get(st, key, &t, err);

	if (rc == CAIRN_ENOTFOUND) {
		cairn_err_clear(err);
		rc = 0;
	}
	if (!rc && (mark > 1 ||
	            (mark && t.len && (t.buf[0] == ' ' || t.buf[0] == '\t')))) {
		sep(out);
		buf_adds(out, MD_CLOSING_MARK "\n");
	}
	if (!rc && t.len) {
		sep(out);
		buf_add(out, t.buf, t.len);
		buf_addch(out, '\n');
	}
	buf_release(&t);
	return rc;
}

int
fmt_md_export(struct cairn_store *st, int jekyll, int minvis, struct buf *out,
              struct cairn_err *err)
{
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope scope = {.minvis = minvis, .no_dropped = 1};
	struct buf body = BUF_INIT, marker = BUF_INIT;
	struct mdo o;
	size_t len;
	int rc, notes = 0;

	if ((rc = cairn_roadmap_load_scope(st, &scope, &rm, err)))
		return rc;
	o = (struct mdo){st, &rm, &body, err};
	if ((rc = put_post_text(st, MD_KEY_INTRO, 0, &body, err)))
		goto out;
	for (size_t g = 0; g < rm.ngoals && !rc; g++) {
		buf_reset(&marker);
		buf_addf(&marker, "%zu. ", g + 1);
		sep(&body);
		rc = write_item(&o, rm.goals[g], 0, marker.buf);
		len = body.len;
		if (!rc)
			rc = cairn_item_notes(st, rm.items[rm.goals[g]].id,
			                      collect_note, &body, err);
		notes = body.len > len;
	}
	/* Notes of the last goal would read back as the closing. */
	if (!rc)
		rc = put_post_text(st, MD_KEY_CLOSING, 1 + notes, &body, err);
	/* One newline at the end. */
	while (body.len >= 2 && body.buf[body.len - 1] == '\n' &&
	       body.buf[body.len - 2] == '\n')
		body.buf[--body.len] = '\0';
	if (!rc && jekyll) {
		int liquid = strstr(body.buf, "{{") || strstr(body.buf, "{%");

		if ((rc = md_put_front_matter(st, out, err)))
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
