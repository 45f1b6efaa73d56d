/*
 * fmt.c: the front door of interchange: format names, detection from
 * content, the checks every importer shares (size cap, UTF-8, NUL
 * bytes), and the dispatch of cairn_import and cairn_export to the one
 * file of lib/fmt/ that handles each format.
 *
 * Invariants: an import runs inside one change and either commits all it
 * wrote or rolls everything back; nothing reaches a format's parser
 * before the shared checks pass.
 *
 * Workload: one call per command; detection looks at the first line only.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

#include <jansson.h>

#include "cairn/core/width.h"
#include "fmt/fmt-int.h"
#include "banned.h"

/* The one list of formats: commands, help and completion read it. */
static const struct cairn_format_info formats[] = {
        {CAIRN_FORMAT_MD, "md", CAIRN_FORMAT_IN | CAIRN_FORMAT_OUT,
         "Markdown roadmap"},
        {CAIRN_FORMAT_JEKYLL, "jekyll", CAIRN_FORMAT_IN | CAIRN_FORMAT_OUT,
         "Markdown with Jekyll front matter"},
        {CAIRN_FORMAT_JSON, "json", CAIRN_FORMAT_IN | CAIRN_FORMAT_OUT,
         "cairn's lossless dump (the backup format)"},
        {CAIRN_FORMAT_TASKWARRIOR, "taskwarrior",
         CAIRN_FORMAT_IN | CAIRN_FORMAT_OUT, "task export / task import"},
        {CAIRN_FORMAT_ICS, "ics", CAIRN_FORMAT_OUT, "iCalendar"},
        {CAIRN_FORMAT_DOT, "dot", CAIRN_FORMAT_OUT, "Graphviz source"},
        {CAIRN_FORMAT_SVG, "svg", CAIRN_FORMAT_OUT, "Graphviz layout"},
        {CAIRN_FORMAT_CSV, "csv", CAIRN_FORMAT_OUT, "one row per item"},
        {CAIRN_FORMAT_BIBTEX, "bibtex", 0, "papers, read by paper import"},
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static const struct {
	const char *alias;
	enum cairn_format f;
} aliases[] = {
        {"markdown", CAIRN_FORMAT_MD},      {"tw", CAIRN_FORMAT_TASKWARRIOR},
        {"task", CAIRN_FORMAT_TASKWARRIOR}, {"ical", CAIRN_FORMAT_ICS},
        {"icalendar", CAIRN_FORMAT_ICS},    {"graphviz", CAIRN_FORMAT_DOT},
        {"bib", CAIRN_FORMAT_BIBTEX},       {"gv", CAIRN_FORMAT_DOT},
};

static const struct cairn_format_info *
format_info(enum cairn_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].format == f)
			return &formats[i];
	return NULL;
}

const struct cairn_format_info *
cairn_formats(size_t *n)
{
	*n = NFORMATS;
	return formats;
}

const char *
cairn_format_name(enum cairn_format f)
{
	const struct cairn_format_info *fi = format_info(f);

	return fi ? fi->name : f == CAIRN_FORMAT_NONE ? "none" : "?";
}

int
cairn_format_parse(const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < NFORMATS; i++)
		if (!strcasecmp(s, formats[i].name))
			return (int)formats[i].format;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(s, aliases[i].alias))
			return aliases[i].f;
	return -1;
}

unsigned
cairn_format_dir(enum cairn_format f)
{
	const struct cairn_format_info *fi = format_info(f);

	return fi ? fi->dir : 0;
}

int
cairn_format_can_import(enum cairn_format f)
{
	return !!(cairn_format_dir(f) & CAIRN_FORMAT_IN);
}

int
cairn_format_can_export(enum cairn_format f)
{
	return !!(cairn_format_dir(f) & CAIRN_FORMAT_OUT);
}

void
cairn_format_names(unsigned dir, const char *sep, struct buf *out)
{
	const char *s = "";

	for (size_t i = 0; i < NFORMATS; i++) {
		if ((formats[i].dir & dir) != dir)
			continue;
		buf_addf(out, "%s%s", s, formats[i].name);
		s = sep;
	}
}

/* Skip a UTF-8 byte order mark and white space. */
static size_t
skip_space(const char *data, size_t len, size_t i)
{
	if (i == 0 && len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	return i;
}

enum cairn_format
cairn_format_detect(const char *data, size_t len)
{
	size_t i = skip_space(data, len, 0), eol;
	enum cairn_format f = CAIRN_FORMAT_MD;
	json_t *first;

	if (i == len)
		return CAIRN_FORMAT_MD;
	if (data[i] == '[')
		return CAIRN_FORMAT_TASKWARRIOR;
	if (len - i >= 15 && !strncasecmp(data + i, "BEGIN:VCALENDAR", 15))
		return CAIRN_FORMAT_ICS;
	if (data[i] == '@' || data[i] == '%') {
		/* BibTeX: an entry, maybe after % comment lines. */
		while (i < len && data[i] == '%') {
			while (i < len && data[i] != '\n')
				i++;
			i = skip_space(data, len, i);
		}
		if (i < len && data[i] == '@')
			return CAIRN_FORMAT_BIBTEX;
		return CAIRN_FORMAT_MD;
	}
	if (data[i] != '{')
		return CAIRN_FORMAT_MD;
	/* One task a line, or a cairn dump (whose first line is "{"). */
	for (eol = i; eol < len && data[eol] != '\n'; eol++)
		;
	first = json_loadb(data + i, eol - i, 0, NULL);
	f = CAIRN_FORMAT_JSON;
	if (json_is_object(first) && json_object_get(first, "description") &&
	    !json_object_get(first, "format"))
		f = CAIRN_FORMAT_TASKWARRIOR;
	json_decref(first);
	return f;
}

void
fmt_num(char out[32], double v)
{
	if (!isfinite(v)) {
		snprintf(out, 32, "0");
		return;
	}
	for (int p = 1; p <= 17; p++) {
		snprintf(out, 32, "%.*g", p, v);
		/* 10, not 1e+01: exponents only for the very large or small */
		if (strchr(out, 'e') && fabs(v) < 1e15 && fabs(v) >= 1e-4)
			continue;
		if (strtod(out, NULL) == v)
			return;
	}
}

void
fmt_uuid_for(const char *key, char out[37])
{
	/* cairn's own namespace, fixed forever: changing it would make
	 * re-imported Markdown items duplicates. */
	static const uuid_t ns = {0x5b, 0x0c, 0x6d, 0x4e, 0x2a, 0x51,
	                          0x5f, 0x3b, 0x9a, 0x77, 0x3e, 0x4c,
	                          0x1d, 0x2f, 0x60, 0x81};
	uuid_t u;

	uuid_generate_sha1(u, ns, key, strlen(key));
	uuid_unparse_lower(u, out);
}

void
fmt_line_col(const char *data, size_t len, size_t off, int *line, int *col)
{
	int l = 1, c = 1;

	for (size_t i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)data[i] & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

int
fmt_check_text(const char *data, size_t len, size_t max, const char *what,
               const char *source, struct cairn_err *err)
{
	const char *nul;
	size_t bad;
	int line, col;

	if (len > max)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "'%s' is %zu bytes, over the %zu-byte "
		                     "limit for %s imports",
		                     source, len, max, what);
	/* ASCII needs no decoding: check from the first byte that is not. */
	for (bad = 0; bad < len && !((unsigned char)data[bad] & 0x80); bad++)
		;
	if (bad < len) {
		size_t rest = cairn_utf8_check(data + bad, len - bad);

		bad = rest ? bad + rest : 0;
	} else {
		bad = 0;
	}
	if (bad) {
		fmt_line_col(data, len, bad - 1, &line, &col);
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "invalid UTF-8 in '%s' at byte offset %zu "
		                     "(line %d, column %d)",
		                     source, bad - 1, line, col);
	}
	nul = memchr(data, '\0', len);
	if (nul) {
		fmt_line_col(data, len, (size_t)(nul - data), &line, &col);
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "NUL byte in '%s' at byte offset %zu "
		                     "(line %d, column %d)",
		                     source, (size_t)(nul - data), line, col);
	}
	return 0;
}

static size_t
import_cap(enum cairn_format f)
{
	switch (f) {
	case CAIRN_FORMAT_JSON:
		return CAIRN_IMPORT_MAX_JSON;
	case CAIRN_FORMAT_TASKWARRIOR:
		return CAIRN_IMPORT_MAX_TASKWARRIOR;
	default:
		return CAIRN_IMPORT_MAX_MD;
	}
}

/*
 * An import as of opts->as_of: Markdown only (a post is what people
 * publish and look back at; a dump or Taskwarrior carries its own
 * stamps), in its own change (the whole change is back-dated), and not
 * after now.  show gets the moment for messages and the change's label
 * ("2020-06-01", or "2020-06-01 12:00" past midnight).
 */
static int
as_of_check(struct cairn_store *st, enum cairn_format f,
            const struct cairn_import_opts *opts, char show[CAIRN_TS_LEN],
            struct cairn_err *err)
{
	const char *src = opts->source ? opts->source : "input";
	char now[CAIRN_TS_LEN];

	if (cairn_ts_check(opts->as_of, 0))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "malformed import time '%s' (want "
		                     "YYYY-MM-DDTHH:MM:SSZ)",
		                     opts->as_of);
	if (strcmp(opts->as_of + 10, "T00:00:00Z"))
		snprintf(show, CAIRN_TS_LEN, "%.10s %.5s", opts->as_of,
		         opts->as_of + 11);
	else
		snprintf(show, CAIRN_TS_LEN, "%.10s", opts->as_of);
	if (f != CAIRN_FORMAT_MD && f != CAIRN_FORMAT_JEKYLL)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot import '%s' as of %s: only a "
		                     "Markdown roadmap or post can be "
		                     "back-dated, not %s",
		                     src, show, cairn_format_name(f));
	cairn_now(now);
	if (strcmp(opts->as_of, now) > 0)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot import '%s' as of %s: that is "
		                     "after now (%.10s)",
		                     src, show, now);
	if (cairn_store_change(st))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot import '%s' as of %s inside "
		                     "another change",
		                     src, show);
	return 0;
}

int
cairn_import(struct cairn_store *st, enum cairn_format f, const char *data,
             size_t len, const struct cairn_import_opts *opts,
             struct cairn_import_result *stats, struct cairn_err *err)
{
	struct cairn_import_opts defaults = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_import_result local;
	struct buf label = BUF_INIT;
	struct imp im;
	char as_of[CAIRN_TS_LEN] = "";
	int rc, outer;

	if (!opts)
		opts = &defaults;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (f == CAIRN_FORMAT_NONE)
		f = cairn_format_detect(data, len);
	if (!cairn_format_can_import(f))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "cannot import %s: '%s' looks like %s, "
		                     "which cairn only exports%s",
		                     opts->source ? opts->source : "input",
		                     opts->source ? opts->source : "input",
		                     cairn_format_name(f),
		                     f == CAIRN_FORMAT_BIBTEX
		                             ? " (use 'cairn paper import' for "
		                               "BibTeX)"
		                             : "");
	if (opts->visibility > CAIRN_VIS_PUBLIC)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown visibility");
	if ((rc = fmt_check_text(data, len, import_cap(f), cairn_format_name(f),
	                         opts->source ? opts->source : "input", err)))
		return rc;
	if (opts->as_of && (rc = as_of_check(st, f, opts, as_of, err)))
		return rc;
	/*
	 * Every row an import writes fires a journal trigger, so SQLite keeps
	 * a statement journal for each statement: in memory, not in a
	 * temporary file (which costs a dozen writes a row).  SQLite decides
	 * where when the transaction begins, so this only works when the
	 * import opens the change itself (opts->label).  A big import also
	 * touches index pages all over: a bigger page cache for it, 32 MiB
	 * (256 MiB held the whole of a 100,000-task store, 265 MB peak,
	 * for about 5% of the import's time; 32 MiB: 168 MB; 16 MiB: 139
	 * MB and 7-10% slower).
	 */
	outer = cairn_store_change(st) != 0;
	if (!outer)
		store_exec(st,
		           "PRAGMA temp_store = MEMORY; "
		           "PRAGMA cache_size = -32768",
		           NULL);
	if (opts->label)
		buf_adds(&label, opts->label);
	else
		buf_addf(&label, "import %s (%s)",
		         opts->source ? opts->source : "input",
		         cairn_format_name(f));
	if (opts->as_of) {
		char now[CAIRN_TS_LEN];

		cairn_now(now);
		buf_addf(&label, " (as of %s, imported %.10s)", as_of, now);
	}
	rc = cairn_store_begin(st, label.buf, err);
	buf_release(&label);
	if (rc)
		goto out;
	store_exec(st, "PRAGMA defer_foreign_keys = ON", NULL);
	imp_init(&im, st, opts, stats, err);
	if (opts->as_of)
		snprintf(im.now, sizeof(im.now), "%s", opts->as_of);
	if ((rc = imp_journal_begin(&im)))
		goto done;
	switch (f) {
	case CAIRN_FORMAT_JSON:
		rc = fmt_json_load(&im, data, len);
		break;
	case CAIRN_FORMAT_TASKWARRIOR:
		rc = fmt_tw_import(&im, data, len);
		break;
	default:
		rc = fmt_md_import(&im, data, len);
		break;
	}
	/* Rows still waiting to be written go out now. */
	if (!rc)
		rc = imp_flush(&im);
	if (!rc && opts->as_of && (stats->updated || stats->unchanged))
		rc = cairn_err_set(
		        err, CAIRN_EINVAL,
		        "cannot import '%s' as of %s: %zu of its "
		        "items %s already in the store, and "
		        "back-dating would rewrite their history "
		        "(import it without --as-of)",
		        im.source, as_of, stats->updated + stats->unchanged,
		        stats->updated + stats->unchanged == 1 ? "is" : "are");
	if (!rc && opts->as_of)
		rc = store_change_backdate(st, opts->as_of, err);
	if (!rc && im.graph_changed)
		rc = imp_check_graph(&im);
	/* A restored dump brings its own journal. */
	if (!rc)
		rc = imp_journal_end(&im, !stats->restored);
done:
	imp_release(&im);
	if (rc) {
		cairn_store_rollback(st);
		memset(stats, 0, sizeof(*stats));
	} else {
		rc = cairn_store_commit(st, err);
	}
out:
	if (!outer)
		store_exec(st,
		           "PRAGMA temp_store = DEFAULT; "
		           "PRAGMA cache_size = -2000",
		           NULL);
	return rc;
}

/*
 * The exporters that read only the snapshot: they get the items at
 * visibility vis, loaded once here.
 */
static int
snapshot_export(struct cairn_store *st, enum cairn_format f, int vis,
                struct buf *out, struct cairn_err *err)
{
	struct cairn_roadmap rm;
	struct cairn_roadmap_scope scope = {.minvis = vis};
	int rc;

	if ((rc = cairn_roadmap_load_scope(st, &scope, &rm, err)))
		return rc;
	if (f == CAIRN_FORMAT_ICS)
		rc = fmt_ical_export(&rm, out, err);
	else if (f == CAIRN_FORMAT_CSV)
		rc = fmt_csv_export(&rm, out, err);
	else
		rc = fmt_dot_render(&rm, f == CAIRN_FORMAT_SVG, 0, NULL, NULL,
		                    out, err);
	cairn_roadmap_release(&rm);
	return rc;
}

int
fmt_sink_flush(struct fmt_sink *s, int force, struct cairn_err *err)
{
	int rc;

	if (!s->write || !s->buf.len || (!force && s->buf.len < FMT_SINK_CHUNK))
		return 0;
	rc = s->write(s->ctx, s->buf.buf, s->buf.len, err);
	buf_reset(&s->buf);
	return rc;
}

static int
export_sink(struct cairn_store *st, enum cairn_format f,
            const struct cairn_export_opts *opts, struct fmt_sink *sink,
            struct cairn_err *err)
{
	struct buf *out = fmt_sink_buf(sink);
	int vis = opts ? opts->visibility : -1, rc;

	if (vis > CAIRN_VIS_PUBLIC)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown visibility");
	if (vis < 0)
		vis = f == CAIRN_FORMAT_MD || f == CAIRN_FORMAT_JEKYLL
		              ? CAIRN_VIS_PUBLIC
		              : CAIRN_VIS_PRIVATE;
	switch (f) {
	case CAIRN_FORMAT_JSON:
		return fmt_json_dump(st, sink, err);
	case CAIRN_FORMAT_MD:
	case CAIRN_FORMAT_JEKYLL:
		rc = fmt_md_export(st, f == CAIRN_FORMAT_JEKYLL, vis, out, err);
		break;
	case CAIRN_FORMAT_TASKWARRIOR:
		rc = fmt_tw_export(st, vis, out, err);
		break;
	case CAIRN_FORMAT_ICS:
	case CAIRN_FORMAT_DOT:
	case CAIRN_FORMAT_SVG:
	case CAIRN_FORMAT_CSV:
		rc = snapshot_export(st, f, vis, out, err);
		break;
	default: {
		struct buf names = BUF_INIT;

		cairn_format_names(CAIRN_FORMAT_OUT, ", ", &names);
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "cannot export %s (export formats: %s)",
		                   cairn_format_name(f), names.buf);
		buf_release(&names);
		return rc;
	}
	}
	return rc ? rc : fmt_sink_flush(sink, 1, err);
}

int
cairn_export(struct cairn_store *st, enum cairn_format f,
             const struct cairn_export_opts *opts, struct buf *out,
             struct cairn_err *err)
{
	struct fmt_sink sink = {.out = out, .buf = BUF_INIT};

	return export_sink(st, f, opts, &sink, err);
}

int
cairn_export_stream(struct cairn_store *st, enum cairn_format f,
                    const struct cairn_export_opts *opts,
                    cairn_export_write_fn write, void *ctx,
                    struct cairn_err *err)
{
	struct fmt_sink sink = {.write = write, .ctx = ctx, .buf = BUF_INIT};
	int rc = export_sink(st, f, opts, &sink, err);

	buf_release(&sink.buf);
	return rc;
}
