/*
 * md-int.h: what the Markdown reader and writer (lib/fmt/md-*.c) share.
 *
 * Markdown roadmaps in and out.  Reading goes through cmark-gfm
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
 *    export writes goals in goal order (rank, then likelihood, then id)
 *    as one numbered list.  Nested items are milestones, or questions
 *    when phrased as one (ending in '?', or written "Question: ..."); a
 *    task box makes a milestone whose box says done or not done.
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
 *  - A bulleted list right after a numbered one (nothing between but
 *    blank lines and <br> spacers) holds the sub-points of the last
 *    numbered item, as if indented below it (md_attach_lists): posts
 *    rarely indent them.  A block of <br> lines only is a spacer and
 *    dropped.
 *  - Blocks before the first list are the post's introduction, blocks
 *    after the last its closing: kept as the settings MD_KEY_INTRO and
 *    MD_KEY_CLOSING (set by an import that has them) and written back in
 *    place.  When the last goal has notes, export writes MD_CLOSING_MARK
 *    after them, and import reads the blocks before the mark as those
 *    notes.  Blocks between top-level lists are notes of the goal above.
 *  - A numeric target in an item's prose with its current value ("for
 *    less than $100 of compute (currently $7,000)", md_guess_metric)
 *    makes a metric "cost" when the item has no metric lines and no
 *    metric of that name yet; one number alone guesses nothing.  The
 *    import names every metric it creates (imp_created).  Nothing is
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
 *    places and at the title keys of its titles; then every top-level
 *    goal of the store, whatever made it (so that an export read back,
 *    a copy under another name or stdin matches by content, with no
 *    key); and every item below those.  Then:
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
 *    A matched item takes what the file changed since its last import
 *    (a three-way merge, lib/core/bulk-base.c) of its title, kind,
 *    parent (a moved item moves), body and box; links, notes and metrics
 *    are added as on a first import; items gone from the file stay as
 *    they are.  The goals' order is merged for the post as a whole
 *    (merge_order in md-import.c): a file that moved a goal ranks its
 *    goals 1, 2, ... as it lists them.  Milestones list oldest first.
 *    The same file again matches every item to itself and changes
 *    nothing; into an empty store every item is new at the key of its
 *    place.
 *
 * Known limit: a list inside an item's body cannot be told from nested
 * items, so export escapes the markers of such lists (the text survives,
 * the list layout does not).
 *
 * The files: md-parse.c reads the cmark-gfm tree (no store), md-front.c
 * the Jekyll front matter, md-metric.c the metric lines, md-match.c
 * matches list items to stored items on re-import, md-import.c applies
 * a file to the store and md-export.c writes md and jekyll.
 *
 * Workload: roadmaps of tens to thousands of items; input capped at
 * CAIRN_IMPORT_MAX_MD, nesting at FMT_DEPTH_MAX.
 */
#ifndef CAIRN_FMT_MD_INT_H
#define CAIRN_FMT_MD_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cmark-gfm.h>
#include <jansson.h>

#include "cairn/research/metric.h"
#include "fmt/fmt-int.h"

/* Where the post's introduction and closing are kept (settings). */
#define MD_KEY_INTRO   "post.intro"
#define MD_KEY_CLOSING "post.closing"
/*
 * What export writes after the last goal's notes, when it has any, so that
 * import tells them from the closing that follows.
 */
#define MD_CLOSING_MARK "<!-- closing -->"

/* No list item, no candidate. */
#define NONE ((size_t)-1)

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

struct pending_link {
	char *url;
	char *label;
	int in_body; /* its Markdown is kept in the item's body */
};

/* Count milestones below an item as written in this file. */
struct counts {
	size_t done, total;
};

struct mdi {
	struct imp *im;
	struct lines lines;
	int line0; /* lines before the Markdown text (front matter) */
	int vis;
	struct buf intro;   /* blocks before the first list */
	struct buf closing; /* blocks after the last one */
	int64_t last_goal;
	size_t ngoals;
	int64_t *goal_ids;   /* the goals, in the file's order */
	struct match *match; /* the plan of a re-import; NULL: none */
};

/* A paragraph of an item taken as a metric. */
struct mpara {
	cmark_node *node; /* NULL: read from the item's prose */
	struct cairn_metric m;
	int guessed; /* from prose: made if missing, never updated */
};

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

/* md-parse.c */
cmark_node *md_parse(const char *text, size_t len, int tasklist);
void md_lines_init(struct lines *l, const char *text, size_t len);
void md_lines_release(struct lines *l);
const char *md_line_at(const struct lines *l, int line, size_t *len);
void md_slice(const struct lines *l, int a, int b, int strip, int marker,
              struct buf *out);
int md_end_line(const struct lines *lines, cmark_node *n);
int md_line_no(const struct mdi *m, int line);
int md_item_indent(const struct mdi *m, cmark_node *item);
int md_task_box(const struct mdi *m, cmark_node *item, int *checked);
void md_inline_text(cmark_node *block, struct buf *out,
                    struct pending_link **links, size_t *nlinks);
void md_free_links(struct pending_link *links, size_t n);
int md_links_only(cmark_node *para);
int md_progress_line(cmark_node *para, size_t *d, size_t *t);
int md_is_question(const char *s);
int md_has_question_prefix(const char *s);
void md_body_links(cmark_node *n, struct pending_link **links, size_t *nlinks);
void md_rest_after(const struct mdi *m, cmark_node *n, cmark_node *para,
                   int strip, struct buf *out);
int md_derived_progress(const struct mdi *m, cmark_node *item, cmark_node *p,
                        size_t done, size_t total);
int md_too_deep(const struct mdi *m, cmark_node *item);
int md_item_title(const struct mdi *m, cmark_node *item, int depth,
                  struct buf *title, struct pending_link **links,
                  size_t *nlinks, cmark_node **split, int *after,
                  enum cairn_kind *kind);
int md_liquid_raw(cmark_node *n);
/*
 * Goals posts as people write them: a bullet list right after a numbered
 * list (nothing between but blank lines and <br> spacers) is not a list
 * of goals but the sub-points of the last numbered item, so it moves into
 * that item as its last child (md_attached says so); every top-level
 * block of <br> lines only is freed.  Call on a fresh document, before
 * anything reads its lists.
 */
void md_attach_lists(cmark_node *doc);
int md_attached(cmark_node *list);

/* md-front.c */
int md_save_front_matter(struct imp *im, json_t *fm);
int md_front_matter(struct imp *im, const char *data, size_t len, json_t **fm,
                    size_t *off, int *line0);
int md_put_front_matter(struct cairn_store *st, struct buf *out,
                        struct cairn_err *err);
/* fm (an object, keys in order) as YAML front matter between "---" lines,
 * appended to out. */
int md_write_front_matter(json_t *fm, struct buf *out, struct cairn_err *err);

/* md-metric.c */
int md_boundary(const struct mdi *m, cmark_node *item, cmark_node *c);
void md_free_mparas(struct mpara *v, size_t n);
int md_is_mpara(const struct mpara *v, size_t n, cmark_node *c);
void md_find_metrics(struct mdi *m, cmark_node *item, cmark_node *from,
                     int strip, struct mpara **v, size_t *n);
int md_save_metrics(struct mdi *m, int64_t id, const struct mpara *v, size_t n);
void md_metric_line(struct buf *line, const struct cairn_metric *m);
/*
 * A numeric target in prose, "for less than $100 of compute (currently
 * $7,000)": a comparison ("less than", "under", "at least", ...) before
 * an amount, the target, and "currently", "today" or "now" before
 * another in the same currency, the baseline.  1 with *out filled
 * (cairn_metric_release it) when text has both and the target lies
 * beyond the baseline in the comparison's direction; else 0: one number
 * alone guesses nothing.
 */
int md_guess_metric(const char *text, struct cairn_metric *out);

/* md-match.c */
void md_match_release(struct match *x);
void md_key_uuid(const struct mdi *m, const char *key, char out[37]);
int md_match_plan(struct mdi *m, cmark_node *doc);

/* md-import.c */

/* md-export.c */
void md_esc_inline(struct buf *out, const char *s, size_t n, int line_start);

#endif
