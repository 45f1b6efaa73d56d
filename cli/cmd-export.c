/*
 * cmd-export.c: `cairn export --format F [--out FILE] [--visibility V]`:
 * the roadmap as Markdown, a Jekyll post, the lossless JSON dump,
 * Taskwarrior tasks, iCalendar, Graphviz DOT or SVG, or CSV.  With --out
 * the file is written beside its final name and renamed into place, so a
 * failed export never leaves half a file.
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

/* Write data to path through a temporary file and a rename. */
static int
write_file(struct cli *c, const char *path, const struct buf *data)
{
	struct buf tmp = BUF_INIT;
	FILE *f;
	int rc = 1;

	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp.buf, "wb");
	if (!f) {
		rc = cli_error(c, "cannot write '%s': %s", path,
		               strerror(errno));
		goto out;
	}
	if (fwrite(data->buf, 1, data->len, f) != data->len || fflush(f) ||
	    fsync(fileno(f))) {
		int e = errno;

		fclose(f);
		unlink(tmp.buf);
		rc = cli_error(c, "cannot write '%s': %s", path, strerror(e));
		goto out;
	}
	if (fclose(f) || rename(tmp.buf, path)) {
		int e = errno;

		unlink(tmp.buf);
		rc = cli_error(c, "cannot write '%s': %s", path, strerror(e));
		goto out;
	}
	rc = 0;
out:
	buf_release(&tmp);
	return rc;
}

static int
cmd_export_exec(struct cli *c)
{
	struct cairn_export_opts eo = CAIRN_EXPORT_OPTS_INIT;
	struct buf out = BUF_INIT;
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
	rc = 1;
	if (cairn_export(c->st, f, &eo, &out, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	if (path && strcmp(path, "-")) {
		if (write_file(c, path, &out))
			goto out;
	} else {
		fwrite(out.buf, 1, out.len, c->out);
	}
	rc = 0;
out:
	buf_release(&out);
	return rc;
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
