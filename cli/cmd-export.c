/*
 * cmd-export.c: `cairn export --format F [--out FILE] [--visibility V]`:
 * the roadmap as Markdown, a Jekyll post, the lossless JSON dump,
 * Taskwarrior tasks, iCalendar, Graphviz DOT or SVG, or CSV, written as
 * it is made (cairn_export_stream: the JSON dump streams).  With --out
 * the file is written beside its final name and renamed into place, so a
 * failed export never leaves half a file; on standard output, a failure
 * part way leaves what came before it (and exits 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

enum { OPT_FORMAT = 256, OPT_OUT, OPT_VIS };

static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"out", required_argument, NULL, OPT_OUT},
        {"visibility", required_argument, NULL, OPT_VIS},
        {0},
};

/* Where the export is written as it is made. */
struct out_file {
	FILE *f;
	const char *name; /* for messages */
};

static int
write_piece(void *ctx, const char *data, size_t len, struct cairn_err *err)
{
	struct out_file *o = ctx;

	if (fwrite(data, 1, len, o->f) == len)
		return 0;
	return cairn_err_set(err, errno == ENOSPC ? CAIRN_EFULL : CAIRN_EINVAL,
	                     "cannot write %s: %s", o->name, strerror(errno));
}

/* Export into path through a temporary file and a rename. */
static int
export_file(struct cli *c, int f, const struct cairn_export_opts *eo,
            const char *path)
{
	struct buf tmp = BUF_INIT, name = BUF_INIT;
	struct out_file o;
	int rc = 1;

	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	buf_addf(&name, "'%s'", path);
	o.name = name.buf;
	o.f = fopen(tmp.buf, "wb");
	if (!o.f) {
		rc = cli_error(c, "cannot write '%s': %s", path,
		               strerror(errno));
		goto out;
	}
	if (cairn_export_stream(c->st, f, eo, write_piece, &o, &c->err)) {
		fclose(o.f);
		unlink(tmp.buf);
		rc = cli_fail(c);
		goto out;
	}
	if (fflush(o.f) || fsync(fileno(o.f))) {
		int e = errno;

		fclose(o.f);
		unlink(tmp.buf);
		rc = cli_error(c, "cannot write '%s': %s", path, strerror(e));
		goto out;
	}
	if (fclose(o.f) || rename(tmp.buf, path)) {
		int e = errno;

		unlink(tmp.buf);
		rc = cli_error(c, "cannot write '%s': %s", path, strerror(e));
		goto out;
	}
	rc = 0;
out:
	buf_release(&tmp);
	buf_release(&name);
	return rc;
}

static int
cmd_export_exec(struct cli *c)
{
	struct cairn_export_opts eo = CAIRN_EXPORT_OPTS_INIT;
	struct out_file o = {c->out, "the output"};
	const char *path = NULL;
	int ch, f = -1, rc = 1;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if ((rc = cli_format(c, optarg, CAIRN_FORMAT_OUT, &f)))
				return rc;
			break;
		case OPT_OUT:
			path = optarg;
			break;
		case OPT_VIS:
			if (cli_visibility(c, optarg, &eo.visibility))
				return 2;
			break;
		default:
			return 2;
		}
	}
	if (f < 0)
		return cli_usage(c, "missing --format");
	if (cli_open(c))
		return 1;
	if (path && strcmp(path, "-"))
		return export_file(c, f, &eo, path);
	if (cairn_export_stream(c->st, f, &eo, write_piece, &o, &c->err))
		return cli_fail(c);
	return 0;
}

const struct cmd_entry cmd_export_entry = {
        .name = "export",
        .usage = "export --format F [--out FILE] "
                 "[--visibility private|lab|public]",
        .summary = "write the roadmap in another format",
        .help = "md and jekyll write the public items as a ranked list of "
                "goals with their milestones, links and progress (jekyll adds "
                "front matter); json is the lossless dump (every entity, the "
                "journal and the settings: the backup format, read back by "
                "'cairn import'); taskwarrior is what 'task import' reads; "
                "ics has milestones with due dates as to-dos and goals' "
                "target dates as events; dot and svg draw the builds-on graph "
                "clustered by goal; csv has one row per item.  --visibility "
                "sets the least visible items to include (md and jekyll: "
                "public; the others: every item; json always has everything).  "
                "'cairn help --formats export' lists the formats.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_export_exec,
};
