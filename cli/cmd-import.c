/*
 * cmd-import.c: `cairn import FILE [--format F] [--visibility V]
 * [--as-of DATE|post]`: a
 * Markdown roadmap, a cairn JSON dump or Taskwarrior tasks, in one
 * change.  The format is detected from the content unless given; a file
 * that fails changes nothing; importing the same file twice adds nothing.
 * Large files show progress on stderr when it is a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

/* Largest file read at all; each format has its own (smaller) cap. */
#define READ_MAX ((size_t)CAIRN_IMPORT_MAX_JSON + 1)
/* Show progress for files at least this big. */
#define PROGRESS_MIN (1u << 20)

enum { OPT_FORMAT = 256, OPT_VIS, OPT_AS_OF };

static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"visibility", required_argument, NULL, OPT_VIS},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {0},
};

/* Read all of path ("-": stdin) into out, at most max + 1 bytes. */
static int
read_input(struct cli *c, const char *path, struct buf *out, size_t max)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;

	if (!f)
		return cli_error(c, "cannot open '%s': %s", path,
		                 strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(out, chunk, n);
		if (out->len > max)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		if (f != stdin)
			fclose(f);
		return cli_error(c, "cannot read '%s': %s", path, strerror(e));
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

/*
 * Progress on a terminal: one line, redrawn in place ("\r"), ended with a
 * newline at 100% or before anything else is written (a warning, the
 * error of a failed import, the summary), so that nothing is appended to
 * it.
 */
struct progress {
	char *name;      /* the file's name, control characters as '?' */
	int open;        /* a progress line is on the screen, not ended yet */
	struct buf made; /* what the import created, a line each */
};

static void
progress_end(struct progress *p)
{
	if (!p->open)
		return;
	fputc('\n', stderr);
	fflush(stderr);
	p->open = 0;
}

static void
progress(void *ctx, size_t done, size_t total)
{
	struct progress *p = ctx;

	fprintf(stderr, "\rimporting %s: %3zu%%", p->name,
	        done < total ? done * 100 / total : (size_t)100);
	p->open = 1;
	if (done >= total)
		progress_end(p);
	fflush(stderr);
}

static void
warn(void *ctx, const char *msg)
{
	progress_end(ctx);
	fprintf(stderr, "cairn: warning: %s\n", msg);
}

/* Kept for the summary, which names each metric the import made. */
static void
created(void *ctx, const char *what)
{
	struct progress *p = ctx;

	buf_addf(&p->made, "%s\n", what);
}

static int
cmd_import_exec(struct cli *c)
{
	struct cairn_import_opts io = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_import_result stats;
	struct buf data = BUF_INIT;
	struct progress prog = {NULL, 0, BUF_INIT};
	const char *path, *base, *as_of = NULL;
	char as_of_ts[CAIRN_TS_LEN], show[CAIRN_TS_LEN];
	int ch, f = CAIRN_FORMAT_NONE, rc = 1;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if ((rc = cli_format(c, optarg, CAIRN_FORMAT_IN, &f)))
				return rc;
			break;
		case OPT_VIS:
			if (cli_visibility(c, optarg, &io.visibility))
				return 2;
			break;
		case OPT_AS_OF:
			/* "post": the front matter's date, read below. */
			as_of = optarg;
			if (strcmp(as_of, "post") &&
			    cairn_bound_parse(as_of, 0, as_of_ts, show,
			                      &c->err))
				return cli_usage_err(c);
			break;
		default:
			return 2;
		}
	}
	rc = 1;
	path = c->argv[optind];
	if (read_input(c, path, &data, READ_MAX))
		goto out;
	base = strrchr(path, '/');
	base = !strcmp(path, "-") ? "stdin" : base ? base + 1 : path;
	io.source = base;
	if (as_of && !strcmp(as_of, "post") &&
	    cairn_post_date(data.buf, data.len, base, as_of_ts, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	if (as_of)
		io.as_of = as_of_ts;
	io.warn = warn;
	io.created = created;
	io.ctx = &prog;
	if (isatty(STDERR_FILENO) && data.len >= PROGRESS_MIN) {
		prog.name = xstrdup(base);
		for (char *p = prog.name; *p; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				*p = '?';
		io.progress = progress;
	}
	if (f == CAIRN_FORMAT_NONE)
		f = cairn_format_detect(data.buf, data.len);
	/* The import opens its own change, named like every command's
	 * (it is much faster that way: see cairn_import_opts.label). */
	io.label = c->label;
	if (cli_open_write(c))
		goto out;
	/* On failure nothing was saved: the import is one change. */
	if (cairn_import(c->st, f, data.buf, data.len, &io, &stats, &c->err)) {
		progress_end(&prog);
		rc = cli_fail(c);
		goto out;
	}
	progress_end(&prog);
	/* cairn_import committed its own change. */
	c->saved = 1;
	if (c->json) {
		json_t *o = json_pack(
		        "{s:s, s:s, s:I, s:I, s:I, s:I, s:b}", "file", path,
		        "format", cairn_format_name(f), "added",
		        (json_int_t)stats.added, "updated",
		        (json_int_t)stats.updated, "unchanged",
		        (json_int_t)stats.unchanged, "rows",
		        (json_int_t)stats.rows, "restored", stats.restored);

		json_t *made = json_array();

		for (char *l = prog.made.buf, *e; (e = strchr(l, '\n'));
		     l = e + 1)
			json_array_append_new(made,
			                      json_stringn(l, (size_t)(e - l)));
		json_object_set_new(o, "created", made);
		cli_json_print(c, o);
	} else if (stats.restored) {
		fprintf(c->out, "restored %s: %zu item%s\n", path, stats.added,
		        stats.added == 1 ? "" : "s");
	} else {
		fprintf(c->out,
		        "imported %s (%s): %zu added, %zu updated, %zu "
		        "unchanged\n",
		        path, cairn_format_name(f), stats.added, stats.updated,
		        stats.unchanged);
		for (char *l = prog.made.buf, *e; (e = strchr(l, '\n'));
		     l = e + 1)
			fprintf(c->out, "  new %.*s\n", (int)(e - l), l);
	}
	rc = 0;
out:
	buf_release(&data);
	free(prog.name);
	buf_release(&prog.made);
	return rc;
}

const struct cmd_entry cmd_import_entry = {
        .name = "import",
        .usage = "import FILE [--format F] [--visibility private|lab|public] "
                 "[--as-of DATE|post]",
        .args = "FILE",
        .summary = "import a Markdown roadmap, a JSON dump or Taskwarrior "
                   "tasks",
        .help = "The format is detected from the content unless --format "
                "says.  FILE may be - for standard input.  The import is one "
                "change: a file that fails changes nothing, and 'cairn undo' "
                "takes a whole import back.  Importing the same file twice "
                "adds nothing (items are matched by uuid, Markdown items by "
                "title, then by their place in the list, so goals and "
                "milestones moved in the file keep their history).  A JSON "
                "dump loaded into an empty "
                "store restores it exactly (the backup format).  New items "
                "from Markdown are public (a Markdown roadmap is the "
                "published form; front matter 'published: false' keeps them "
                "private), from Taskwarrior private; --visibility overrides.  "
                "--as-of DATE records a Markdown roadmap or post as it stood "
                "on DATE ('post': the date in its front matter), so that "
                "'cairn lookback --since' a later day sees its goals as "
                "they were: the change and everything it stamps are dated "
                "DATE, and its journal label says so.  Only when every "
                "item of the file is new: back-dating a change to an item "
                "already in the store would rewrite its history.  "
                "'cairn help --formats import' lists the formats.",
        .flags = CMD_WRITES,
        .exec = cmd_import_exec,
};
