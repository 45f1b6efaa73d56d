/*
 * fmt-int.h: what the format modules of lib/fmt/ share: small helpers
 * (fmt.c) and each format's entry points.  Exporters walk the roadmap
 * snapshot (cairn/plan/roadmap.h); importers write through the bulk
 * writer (core/bulk.h), which this includes.
 * Not installed.
 */
#ifndef CAIRN_FMT_INT_H
#define CAIRN_FMT_INT_H

#include <stdint.h>

#include "cairn/fmt/fmt.h"
#include "cairn/core/item.h"
#include "cairn/plan/roadmap.h"
#include "core/item-int.h"
#include "core/bulk.h"

/* ---- helpers (fmt.c) ---- */

/* Longest text any importer puts in one field (as item.c allows). */
#define FMT_TEXT_MAX CAIRN_TEXT_MAX
/* Deepest nesting of lists or of the breakdown tree an importer takes. */
#define FMT_DEPTH_MAX 64

/*
 * The shortest decimal text that reads back as exactly v ("0.9", "5"),
 * into out.
 */
void fmt_num(char out[32], double v);

/* Whether url may become a link (cairn_url_ok, core/item-check.c). */
static inline int
fmt_url_ok(const char *url)
{
	return cairn_url_ok(url);
}

/*
 * Fill out with the name-based (version 5) uuid of key in cairn's own
 * namespace: the same key always gives the same uuid.
 */
void fmt_uuid_for(const char *key, char out[37]);

/* Whether s is a well-formed uuid (cairn_uuid_ok). */
static inline int
fmt_uuid_ok(const char *s)
{
	return cairn_uuid_ok(s);
}

/*
 * Check that data is valid UTF-8 without NUL bytes and at most max bytes
 * long; the message names source and the byte offset.
 */
int fmt_check_text(const char *data, size_t len, size_t max, const char *what,
                   const char *source, struct cairn_err *err);

/* imp_one_line (core/bulk.c), by the name the formats know it by. */
static inline void
fmt_one_line(char *s)
{
	imp_one_line(s);
}

/* cairn_ts_check (core/time.c), by the name the formats know it by. */
static inline int
fmt_ts_check(const char *s, int date_only)
{
	return cairn_ts_check(s, date_only);
}

/* Line and column (1-based) of byte offset off in data. */
void fmt_line_col(const char *data, size_t len, size_t off, int *line,
                  int *col);

/*
 * Where a streaming exporter writes (fmt.c): with write NULL, straight
 * into out; else into buf, handed to write whenever it holds
 * FMT_SINK_CHUNK bytes or more (fmt_sink_flush) and at the end (force).
 * Its memory is one chunk and the longest thing appended between two
 * flushes.
 */
#define FMT_SINK_CHUNK (64 * 1024)

struct fmt_sink {
	struct buf *out;
	cairn_export_write_fn write;
	void *ctx;
	struct buf buf;
};

/* The buffer to append to. */
static inline struct buf *
fmt_sink_buf(struct fmt_sink *s)
{
	return s->write ? &s->buf : s->out;
}

/* Hand what is buffered to write: when force, or a chunk is full. */
int fmt_sink_flush(struct fmt_sink *s, int force, struct cairn_err *err);

/* ---- formats ---- */

/* The dump, written to sink as it is read (flushed at the end). */
int fmt_json_dump(struct cairn_store *st, struct fmt_sink *sink,
                  struct cairn_err *err);
int fmt_json_load(struct imp *im, const char *data, size_t len);
/*
 * Parse and check a dump as fmt_json_load does before its first write,
 * with no store (header, tables, every item row through
 * cairn_item_check): 0, or an error naming source.  For the parse-only
 * fuzzer.
 */
int fmt_json_parse(const char *data, size_t len, const char *source,
                   struct cairn_err *err);

int fmt_md_import(struct imp *im, const char *data, size_t len);
/*
 * Read and check a Markdown roadmap as fmt_md_import does, with no store
 * (the same reading, every item, note and link through the validators
 * of the commands, nothing written): 0, or the error the import would
 * give.  For the parse-only fuzzer.
 */
int fmt_md_parse(const char *data, size_t len, const char *source,
                 struct cairn_err *err);
int fmt_md_export(struct cairn_store *st, int jekyll, int minvis,
                  struct buf *out, struct cairn_err *err);

int fmt_tw_import(struct imp *im, const char *data, size_t len);
/*
 * Read and check Taskwarrior JSON as fmt_tw_import does before its first
 * write, with no store: 0 with *ntasks (may be NULL) the number of tasks,
 * or CAIRN_EINVAL naming source and the first bad task.  For the
 * parse-only fuzzer.
 */
int fmt_tw_parse(const char *data, size_t len, const char *source,
                 size_t *ntasks, struct cairn_err *err);
int fmt_tw_export(struct cairn_store *st, int minvis, struct buf *out,
                  struct cairn_err *err);

/* The snapshot exporters: they read rm and nothing else. */
int fmt_ical_export(const struct cairn_roadmap *rm, struct buf *out,
                    struct cairn_err *err);

/*
 * The roadmap graph.  svg: lay it out in-process and render SVG, else
 * write DOT.  public_names: name nodes by uuid and leave ids out of
 * labels (for the public site); href_fmt, when not NULL, links each goal
 * node to a page named with href_fmt and the goal's uuid prefix; mark,
 * when not NULL, has a byte per item of rm, and the marked items and the
 * edges between them are drawn bold (a critical path).
 */
int fmt_dot_render(const struct cairn_roadmap *rm, int svg, int public_names,
                   const char *href_fmt, const unsigned char *mark,
                   struct buf *out, struct cairn_err *err);

/*
 * The site's "Looking back" page, from <header> to </main>: the content
 * of cairn_lookback_post for look-back lb (public items only, by the same
 * rules) with an inline SVG chart per goal (statements over the period,
 * public metrics' observations in it).  lookback-page.c.
 */
struct cairn_lookback;
int fmt_lookback_page(struct cairn_store *st, const struct cairn_lookback *lb,
                      struct buf *out, struct cairn_err *err);

int fmt_csv_export(const struct cairn_roadmap *rm, struct buf *out,
                   struct cairn_err *err);

#endif
