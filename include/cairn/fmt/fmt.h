/*
 * fmt.h: interchange.  Imports from Markdown (and Jekyll posts), cairn's
 * own lossless JSON dump and Taskwarrior; exports to those and to
 * iCalendar, Graphviz (DOT and SVG) and CSV; a static public site.  Each
 * format lives in one file of lib/fmt/ and goes through the library made
 * for it (cmark-gfm, jansson, libyaml, libical, libgvc).
 *
 * Imports are one change: a failing input leaves the store as it was.
 * Importing the same input twice adds nothing: items are matched by uuid
 * (the JSON dump and Taskwarrior carry one; Markdown items get a uuid
 * derived from the source name and their position in the list), and
 * attachments by content.
 *
 * Exports never print: they append to a buffer, and the site publisher
 * hands each file to a callback.  Nothing private leaves through an
 * export unless the caller asks for it (see cairn_export_opts).
 */
#ifndef CAIRN_FMT_H
#define CAIRN_FMT_H

#include <stddef.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"
#include "cairn/core/time.h"
#include "cairn/store/store.h"

enum cairn_format {
	CAIRN_FORMAT_NONE,
	CAIRN_FORMAT_JSON,        /* cairn's lossless dump */
	CAIRN_FORMAT_MD,          /* Markdown roadmap */
	CAIRN_FORMAT_JEKYLL,      /* Markdown with Jekyll front matter */
	CAIRN_FORMAT_TASKWARRIOR, /* `task export` / `task import` JSON */
	CAIRN_FORMAT_ICS,         /* iCalendar */
	CAIRN_FORMAT_DOT,         /* Graphviz source */
	CAIRN_FORMAT_SVG,         /* Graphviz layout, as SVG */
	CAIRN_FORMAT_CSV,         /* one row per item, RFC 4180 */
	CAIRN_FORMAT_BIBTEX,      /* papers (imported by `paper import`) */
	CAIRN_FORMAT_COUNT
};

/* What a format is for: read by cairn_import, written by cairn_export. */
enum cairn_format_dir {
	CAIRN_FORMAT_IN = 1 << 0,
	CAIRN_FORMAT_OUT = 1 << 1,
};

/*
 * The one table of formats, in the order help and messages list them:
 * its name, its direction (bibtex has none: `paper import` reads it), and
 * a line for help.  cairn_formats returns it and sets *n.
 */
struct cairn_format_info {
	enum cairn_format format;
	const char *name;
	unsigned dir;
	const char *summary;
};
const struct cairn_format_info *cairn_formats(size_t *n);

/* The format's name ("md", "taskwarrior", ...). */
const char *cairn_format_name(enum cairn_format f);

/*
 * Parse a format name or alias (markdown, tw, task, ical, graphviz, bib);
 * -1 when unknown.
 */
int cairn_format_parse(const char *s);

/* The format's direction (CAIRN_FORMAT_IN, _OUT, both or neither). */
unsigned cairn_format_dir(enum cairn_format f);

/* Whether cairn_import / cairn_export handle the format. */
int cairn_format_can_import(enum cairn_format f);
int cairn_format_can_export(enum cairn_format f);

/* Append the names of the formats having every bit of dir (0: all), in
 * table order, separated by sep ("md, jekyll, json"). */
void cairn_format_names(unsigned dir, const char *sep, struct buf *out);

/*
 * Guess the format of data from its content: a cairn dump (a JSON object
 * with "format": "cairn-dump"), Taskwarrior (a JSON array, or one JSON
 * object a line), iCalendar, BibTeX, else Markdown.  Never fails.
 */
enum cairn_format cairn_format_detect(const char *data, size_t len);

/* Largest input each importer accepts, in bytes. */
#define CAIRN_IMPORT_MAX_MD          (4u << 20)
#define CAIRN_IMPORT_MAX_JSON        (512u << 20)
#define CAIRN_IMPORT_MAX_TASKWARRIOR (512u << 20)

struct cairn_import_opts {
	/* Name of the input in messages, and the key that Markdown item
	 * uuids derive from (use the file's base name); NULL: "input". */
	const char *source;
	/*
	 * Visibility of new items, an enum cairn_visibility, or -1 for the
	 * format's default: public for Markdown (a Markdown roadmap is the
	 * published form; front matter "published: false" makes it
	 * private), private for Taskwarrior.  The JSON dump carries its own.
	 */
	int visibility;
	/* Called now and then with work done out of total (both in the
	 * format's own unit); may be NULL. */
	void (*progress)(void *ctx, size_t done, size_t total);
	/* Called for each thing imported differently than written (a link
	 * refused for its scheme, say); may be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
	/*
	 * What the change is called in the journal; NULL: "import SOURCE
	 * (FORMAT)".  An import that opens its own change (the caller has
	 * none open) runs much faster: SQLite keeps its statement journals in
	 * memory only when told before the change begins.
	 */
	const char *label;
	/*
	 * Called for each metric the import creates, with a phrase naming it
	 * ("cost (USD) on #3 from 7000 to 100, lower is better"), so that
	 * the summary can say what was made of the input's text; may be NULL.
	 */
	void (*created)(void *ctx, const char *what);
	/*
	 * Record the input as it stood at this moment (a timestamp as
	 * cairn_ts_parse writes it, not after now; NULL: now): the change's
	 * time and every stamp the import makes (created, statements,
	 * notes, links, metrics) are this one, and the change's label says
	 * "(as of DATE, imported DATE)".  Only for Markdown, in an import
	 * that opens its own change, and only when every item of the input
	 * is new: back-dating a change to an item already in the store
	 * would rewrite its history (CAIRN_EINVAL, nothing saved).
	 */
	const char *as_of;
};

#define CAIRN_IMPORT_OPTS_INIT                                                 \
	{                                                                      \
		NULL, -1, NULL, NULL, NULL, NULL, NULL, NULL                   \
	}

struct cairn_import_result {
	size_t added;     /* new items */
	size_t updated;   /* existing items that changed */
	size_t unchanged; /* existing items already as the input says */
	size_t rows;      /* rows written in all (items, notes, edges...) */
	int restored;     /* a JSON dump was loaded into an empty store */
};

/*
 * Import data (len bytes, need not be NUL-terminated) in format f
 * (CAIRN_FORMAT_NONE: detect) into st, in one change.  Joins the caller's
 * change when one is open.  Errors: CAIRN_EINVAL for malformed input
 * (message with line and column, or the byte offset of invalid UTF-8),
 * input past the size cap, a link with a scheme other than http, https
 * or mailto in a dump, or a format that cannot be imported; CAIRN_ECYCLE
 * when the input closes a cycle; store errors.  stats may be NULL.
 */
int cairn_import(struct cairn_store *st, enum cairn_format f, const char *data,
                 size_t len, const struct cairn_import_opts *opts,
                 struct cairn_import_result *stats, struct cairn_err *err);

/*
 * The date of a Jekyll post: its front matter's date (YYYY-MM-DD, any time
 * of day after it ignored) as the start of that day, into out.  source
 * names the input in messages.  CAIRN_EINVAL when data has no front
 * matter, or none with a date, or the date is malformed.
 */
int cairn_post_date(const char *data, size_t len, const char *source,
                    char out[CAIRN_TS_LEN], struct cairn_err *err);

struct cairn_lookback;

/*
 * "Research goals: then and now": a Jekyll post (front matter, headings,
 * short sentences, bullet lists) made from look-back lb, which must have a
 * start (since), appended to out.  Public items only: each goal public at
 * both ends as it stood then and now (refinements with their dates, rank
 * then and now, status, metrics observed in the period, milestones
 * finished, lessons), goals added since and no longer on the list, the
 * goal-driven and idea-driven split at each end, and the calibration of
 * the predictions about public items resolved in the period.  A goal
 * public then and not now is left out, and the post says how many were;
 * nothing else of any item that is not public appears.  CAIRN_EINVAL for
 * a look-back from the beginning.  lib/fmt/lookback-post.c.
 */
int cairn_lookback_post(const struct cairn_lookback *lb, struct buf *out,
                        struct cairn_err *err);

struct cairn_export_opts {
	/*
	 * The least visible items to include, an enum cairn_visibility, or
	 * -1 for the format's default: public for md and jekyll, every item
	 * for the others.  The JSON dump always holds everything.  An item
	 * is included only when it and all its ancestors are visible
	 * enough.
	 */
	int visibility;
};

#define CAIRN_EXPORT_OPTS_INIT                                                 \
	{                                                                      \
		-1                                                             \
	}

/*
 * Append the store, in format f, to out.  CAIRN_EINVAL for a format that
 * cannot be exported; store errors.
 */
int cairn_export(struct cairn_store *st, enum cairn_format f,
                 const struct cairn_export_opts *opts, struct buf *out,
                 struct cairn_err *err);

/*
 * Where cairn_export_stream writes: called with the output's pieces in
 * order; returns 0 or a CAIRN_E* code (with err filled), which stops the
 * export.
 */
typedef int (*cairn_export_write_fn)(void *ctx, const char *data, size_t len,
                                     struct cairn_err *err);

/*
 * cairn_export, written through write as it is made: the same bytes.
 * The JSON dump streams (it writes as it reads, in pieces of about 64
 * KiB, from one read transaction, so its memory does not grow with the
 * store); the other formats are made whole, then written in one piece.
 * A failure part way (text that is not UTF-8, a write that fails) can
 * come after some pieces were written: a caller that must not leave
 * half a file writes beside it and renames.
 */
int cairn_export_stream(struct cairn_store *st, enum cairn_format f,
                        const struct cairn_export_opts *opts,
                        cairn_export_write_fn write, void *ctx,
                        struct cairn_err *err);

/*
 * Goal's breakdown and builds-on graph as SVG (Graphviz), its critical
 * path drawn bold in red (class "critical"): what the web UI shows on a
 * goal's page.  CAIRN_ENOTFOUND, CAIRN_ECYCLE, store errors.
 */
int cairn_goal_graph_svg(struct cairn_store *st, int64_t goal, struct buf *out,
                         struct cairn_err *err);

/*
 * Publishing: a static site of the public items only (an item is public
 * when it and all its ancestors are).  Private and lab items appear
 * nowhere: not as pages, links, ids, counts or graph nodes.
 *
 * write is called once per file with a relative path ("index.html",
 * "goal-3.html", "roadmap.svg", "style.css") and its content; it returns
 * 0 or a CAIRN_E* code (with err filled), which stops publishing.
 */
typedef int (*cairn_site_write_fn)(void *ctx, const char *path,
                                   const char *data, size_t len,
                                   struct cairn_err *err);

int cairn_publish(struct cairn_store *st, cairn_site_write_fn write, void *ctx,
                  struct cairn_err *err);

/*
 * cairn_publish, with the "Looking back" page (lookback.html, linked from
 * the index) looking back from since (a timestamp as cairn_bound_parse
 * writes it) to now; since NULL or "": from the first published snapshot,
 * which is, as nothing records publishing, the moment the earliest public
 * goal was created (no page without a public goal).  The page holds what
 * cairn_lookback_post would write, by the same rules.
 */
int cairn_publish_since(struct cairn_store *st, const char *since,
                        cairn_site_write_fn write, void *ctx,
                        struct cairn_err *err);

#endif
