/*
 * md-import.c: applying a Markdown roadmap to the store: goals, their
 * milestones and questions, links, notes and metrics, in file order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cairn/core/order.h"
#include "fmt/md-int.h"
#include "research/research-int.h"
#include "banned.h"

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

/*
 * Last line of the body run that block c of item ends: the line before
 * c, but no further than the item itself when c is a list that came
 * from after it (md_attach_lists): the lines between are not its text.
 */
static int
run_stop(cmark_node *item, cmark_node *c)
{
	int stop = cmark_node_get_start_line(c) - 1;
	int end = cmark_node_get_end_line(item);

	if (cmark_node_get_type(c) == CMARK_NODE_LIST && md_attached(c) &&
	    end < stop)
		stop = end;
	return stop;
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
	int checked = 0, box = md_task_box(m, item, &checked);
	int strip = md_item_indent(m, item);
	int rc = 0, seen_links = 0, run_start = 0, prev_end, after;
	int marker_line = cmark_node_get_start_line(item);
	unsigned mask = IMP_KIND | IMP_TITLE | IMP_PARENT;

	cairn_item_init(&it);
	if (depth >= FMT_DEPTH_MAX)
		return md_too_deep(m, item);
	if (md_item_title(m, item, depth, &title, &links, &nlinks, &split,
	                  &after, &it.kind))
		goto out; /* an empty item: nothing to keep */
	if (first && (cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH ||
	              cmark_node_get_type(first) == CMARK_NODE_HEADING)) {
		for (cmark_node *r = split ? cmark_node_next(split) : NULL; r;
		     r = cmark_node_next(r))
			md_body_links(r, &links, &nlinks);
		if (split)
			md_rest_after(m, split, first, strip, &lead);
		prev_end = md_end_line(&m->lines, first);
		c = cmark_node_next(first);
	} else {
		prev_end = cmark_node_get_start_line(item) - 1;
		c = first;
	}
	md_find_metrics(m, item, c, strip, &mets, &nmets);
	/* The rest: links, body runs, metrics, progress, nested lists. */
	for (; c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);

		if (t == CMARK_NODE_PARAGRAPH && !seen_links && !run_start &&
		    md_links_only(c)) {
			struct buf labels = BUF_INIT;

			md_inline_text(c, &labels, &links, &nlinks);
			buf_release(&labels);
			seen_links = 1;
			prev_end = md_end_line(&m->lines, c);
			continue;
		}
		seen_links = 1;
		if (md_is_mpara(mets, nmets, c) || md_boundary(m, item, c)) {
			if (run_start) {
				if (body.len)
					buf_adds(&body, "\n\n");
				md_slice(&m->lines, run_start,
				         run_stop(item, c), strip, marker_line,
				         &body);
				run_start = 0;
			}
			prev_end = md_end_line(&m->lines, c);
			continue;
		}
		if (!run_start)
			run_start = prev_end + 1;
		/* Links in the body are the item's links too. */
		if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
		    t == CMARK_NODE_BLOCK_QUOTE)
			md_body_links(c, &links, &nlinks);
	}
	if (run_start) {
		if (body.len)
			buf_adds(&body, "\n\n");
		md_slice(&m->lines, run_start, md_end_line(&m->lines, item),
		         strip, marker_line, &body);
	}
	if (lead.len) {
		/* The title's own description opens the body. */
		if (body.len)
			buf_adds(&lead, "\n\n");
		buf_add(&lead, body.buf, body.len);
		buf_reset(&body);
		buf_add(&body, lead.buf, lead.len);
	}

	if (!nmets) {
		struct cairn_metric g;
		struct buf prose = BUF_INIT;

		buf_addf(&prose, "%s\n%s", title.buf, body.buf);
		if (md_guess_metric(prose.buf, &g)) {
			mets = xrealloc(mets, sizeof(*mets));
			mets[0] = (struct mpara){NULL, g, 1};
			nmets = 1;
		}
		buf_release(&prose);
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
		md_key_uuid(m, path, it.uuid);
	if ((rc = imp_item(m->im, &it, mask, NULL)) ||
	    (rc = save_links(m, it.id, links, nlinks)) ||
	    (m->im->st && (rc = md_save_metrics(m, it.id, mets, nmets))))
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
	md_free_links(links, nlinks);
	md_free_mparas(mets, nmets);
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

	md_slice(&m->lines, a, b, strip, 0, &note);
	/*
	 * A top-level block may open with up to three spaces; export writes
	 * it flush left (indented, it would join the goal above), so the
	 * note is kept as it will read back.
	 */
	rc = imp_note(m->im, id, note.buf + strspn(note.buf, " \t"), NULL);
	buf_release(&note);
	return rc;
}

/* The line export writes between the last goal's notes and the closing. */
static int
closing_mark(cmark_node *c)
{
	const char *s;
	size_t n;

	if (cmark_node_get_type(c) != CMARK_NODE_HTML_BLOCK)
		return 0;
	s = cmark_node_get_literal(c);
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	return n == strlen(MD_CLOSING_MARK) && !memcmp(s, MD_CLOSING_MARK, n);
}

/* Add top-level block c to the post's text t (not {% raw %} lines). */
static void
add_block(struct mdi *m, cmark_node *c, struct buf *t)
{
	if (md_liquid_raw(c))
		return;
	if (t->len)
		buf_adds(t, "\n\n");
	md_slice(&m->lines, cmark_node_get_start_line(c),
	         md_end_line(&m->lines, c), 0, 0, t);
}

/* Keep the post's introduction or closing t as setting key. */
static int
save_post_text(struct mdi *m, const char *key, const struct buf *t)
{
	struct buf old = BUF_INIT;
	int rc = cairn_setting_get(m->im->st, key, &old, m->im->err);

	if (rc && rc != CAIRN_ENOTFOUND) {
		buf_release(&old);
		return rc;
	}
	if (rc || strcmp(old.buf, t->buf)) {
		rc = cairn_setting_set(m->im->st, key, t->buf, m->im->err);
		m->im->stats->rows++;
	} else {
		rc = 0;
	}
	buf_release(&old);
	return rc;
}

/* Goal i of the file in the store, and its place in the file's base. */
struct placed {
	struct cairn_goal_key key;
	int base;
};

static int
by_key(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	return cairn_goal_cmp(&x->key, &y->key);
}

static int
by_base(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	return x->base != y->base
	               ? (x->base < y->base ? -1 : 1)
	               : (x->key.id > y->key.id) - (x->key.id < y->key.id);
}

/* The ids of v[0..n) sorted by cmp, into ids. */
static void
order_of(struct placed *v, size_t n, int (*cmp)(const void *, const void *),
         int64_t *ids)
{
	qsort(v, n, sizeof(*v), cmp);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].key.id;
}

/*
 * The post's order of goals is a change the file can make, merged for
 * the post as a whole.  When the file lists its goals in the order cairn
 * shows them, no rank is written.  Otherwise, when the file's order is
 * new (a goal has no base, or the bases are out of the file's order) and
 * the store's order of those goals is still the base's, the goals are
 * ranked 1, 2, ... as the file lists them; when both changed it, the
 * store's order is kept and one line says how to take the file's.
 */
static int
merge_order(struct mdi *m)
{
	size_t n = m->ngoals, sz = (n ? n : 1);
	struct placed *v = xcalloc(sz, sizeof(*v));
	int64_t *store = xcalloc(sz, sizeof(*store));
	int64_t *base = xcalloc(sz, sizeof(*base));
	int file_new = 0, has_base = 1, rc = 0;
	sqlite3_stmt *s;

	if ((rc = imp_prepare(m->im,
	                      "SELECT coalesce(rank, 0), coalesce(likelihood, "
	                      "-1) FROM item WHERE id = ?",
	                      &s)))
		goto out;
	for (size_t i = 0; i < n && !rc; i++) {
		v[i].key.id = m->goal_ids[i];
		v[i].key.likelihood = -1;
		sqlite3_bind_int64(s, 1, m->goal_ids[i]);
		if (sqlite3_step(s) == SQLITE_ROW) {
			v[i].key.rank = sqlite3_column_int(s, 0);
			v[i].key.likelihood = sqlite3_column_double(s, 1);
		}
		sqlite3_reset(s);
		rc = imp_base_rank(m->im, m->goal_ids[i], &v[i].base);
		if (!v[i].base)
			has_base = 0;
		else if (i && v[i].base <= v[i - 1].base)
			file_new = 1;
	}
	if (rc)
		goto out;
	order_of(v, n, by_base, base);
	order_of(v, n, by_key, store);
	if (!memcmp(store, m->goal_ids, n * sizeof(*store)))
		goto save; /* the file shows cairn's order */
	if (has_base && !file_new)
		goto save; /* only the store changed the order: it stays */
	if (has_base && memcmp(store, base, n * sizeof(*store))) {
		struct buf cmd = BUF_INIT;

		for (size_t i = 0; i < n; i++)
			buf_addf(&cmd, "%scairn set %lld rank=%zu",
			         i ? " && " : "", (long long)m->goal_ids[i],
			         i + 1);
		imp_warn(m->im,
		         "'%s' and the store both changed the order of the "
		         "goals: the store's is kept; to take the file's: %s",
		         m->im->source, cmd.buf);
		buf_release(&cmd);
		goto save;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = imp_rank_set(m->im, m->goal_ids[i], (int)i + 1);
save:
	for (size_t i = 0; i < n && !rc; i++)
		rc = imp_base_rank_save(m->im, m->goal_ids[i], (int)i + 1);
out:
	free(v);
	free(store);
	free(base);
	return rc;
}

int
fmt_md_import(struct imp *im, const char *data, size_t len)
{
	struct mdi m;
	struct match plan;
	json_t *fm = NULL, *pub;
	cmark_node *doc = NULL;
	cmark_node *last = NULL, *mark = NULL;
	size_t off, pos = 0, total = 0;
	int rc;

	memset(&m, 0, sizeof(m));
	memset(&plan, 0, sizeof(plan));
	m.im = im;
	/* A post is edited by hand: its re-import is a merge. */
	im->three_way = 1;
	if ((rc = md_front_matter(im, data, len, &fm, &off, &m.line0)))
		return rc;
	m.vis = CAIRN_VIS_PUBLIC;
	pub = fm ? json_object_get(fm, "published") : NULL;
	if (json_is_false(pub) ||
	    (json_is_string(pub) && !strcmp(json_string_value(pub), "false")))
		m.vis = CAIRN_VIS_PRIVATE;
	if (im->opts->visibility >= 0)
		m.vis = im->opts->visibility;
	if (fm && im->st && (rc = md_save_front_matter(im, fm)))
		goto out;
	md_lines_init(&m.lines, data + off, len - off);
	doc = md_parse(data + off, len - off, 1);
	md_attach_lists(doc);
	/* Items in the store: this may be a re-import (see above). */
	if (im->fresh_from) {
		m.match = &plan;
		if ((rc = md_match_plan(&m, doc)))
			goto out;
	}
	for (cmark_node *c = cmark_node_first_child(doc); c;
	     c = cmark_node_next(c)) {
		total++;
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			last = c;
	}
	/*
	 * Blocks before the first list are the post's introduction, those
	 * after the last its closing: the post's, not an item's.  Export
	 * writes the last goal's notes before CLOSING_MARK when it has any.
	 */
	for (cmark_node *c = cmark_node_first_child(doc); c;
	     c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			break;
		add_block(&m, c, &m.intro);
	}
	for (cmark_node *c = last ? cmark_node_next(last) : NULL; c;
	     c = cmark_node_next(c))
		if (closing_mark(c))
			mark = c;
	for (cmark_node *c = mark   ? cmark_node_next(mark)
	                     : last ? cmark_node_next(last)
	                            : NULL;
	     c; c = cmark_node_next(c))
		add_block(&m, c, &m.closing);
	{
		size_t done = 0;
		cmark_node *stop = mark   ? mark
		                   : last ? cmark_node_next(last)
		                          : NULL;

		for (cmark_node *c = cmark_node_first_child(doc);
		     c && c != stop && !rc; c = cmark_node_next(c)) {
			imp_progress(im, ++done, total);
			if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
				rc = import_list(&m, c, 0, NULL, 0, &pos, NULL);
				continue;
			}
			if (!m.ngoals || md_liquid_raw(c))
				continue; /* intro, already taken */
			rc = add_note_block(&m, m.last_goal,
			                    cmark_node_get_start_line(c),
			                    md_end_line(&m.lines, c), 0);
		}
		imp_progress(im, total, total);
	}
	if (!rc && im->st && m.ngoals && m.intro.len)
		rc = save_post_text(&m, MD_KEY_INTRO, &m.intro);
	if (!rc && im->st && m.ngoals && m.closing.len)
		rc = save_post_text(&m, MD_KEY_CLOSING, &m.closing);
	if (!rc && !m.ngoals && m.intro.len)
		rc = cairn_err_set(im->err, CAIRN_EINVAL,
		                   "no list in '%s': a Markdown roadmap is a "
		                   "numbered or bulleted list of goals",
		                   im->source);
	if (!rc && im->st && m.ngoals)
		rc = merge_order(&m);
out:
	free(m.goal_ids);
	cmark_node_free(doc);
	json_decref(fm);
	md_lines_release(&m.lines);
	md_match_release(&plan);
	buf_release(&m.intro);
	buf_release(&m.closing);
	return rc;
}

int
fmt_md_parse(const char *data, size_t len, const char *source,
             struct cairn_err *err)
{
	struct cairn_import_opts opts = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_import_result stats;
	struct imp im;
	int rc;

	memset(&stats, 0, sizeof(stats));
	opts.source = source;
	imp_init(&im, NULL, &opts, &stats, err);
	rc = fmt_md_import(&im, data, len);
	imp_release(&im);
	return rc;
}
