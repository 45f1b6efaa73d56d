/*
 * cmd-publish.c: `cairn publish DIR`: the static site of the public items
 * (the pages come from cairn_publish in lib/fmt/site.c; this file only
 * writes them).
 *
 * DIR is created when missing.  A folder cairn published before holds a
 * manifest (.cairn-site) of the files it wrote; files of the old site that
 * the new one does not write (the page of a goal made private since, say)
 * are removed, so nothing private lingers.  A non-empty folder without a
 * manifest is refused rather than mixed with other files.  --since DATE
 * starts the "Looking back" page there (cairn_bound_parse's rule, as
 * `cairn lookback --since`).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

#define MANIFEST ".cairn-site"

struct site {
	struct cli *c;
	const char *dir;
	struct buf manifest; /* names written, one a line */
	int count;
};

static int
mkdir_p(const char *dir)
{
	char *d = xstrdup(dir);
	int rc = 0;

	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0755) && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (mkdir(d, 0755) && errno != EEXIST)
		rc = -1;
	free(d);
	return rc;
}

static int
put_file(const char *dir, const char *name, const char *data, size_t len)
{
	struct buf path = BUF_INIT, tmp = BUF_INIT;
	FILE *f;
	int rc = -1;

	buf_addf(&path, "%s/%s", dir, name);
	buf_addf(&tmp, "%s/.%s.tmp", dir, name);
	f = fopen(tmp.buf, "wb");
	if (f) {
		if (fwrite(data, 1, len, f) == len && !fflush(f) &&
		    !fclose(f) && !rename(tmp.buf, path.buf))
			rc = 0;
		else
			unlink(tmp.buf);
	}
	buf_release(&path);
	buf_release(&tmp);
	return rc;
}

static int
write_page(void *ctx, const char *name, const char *data, size_t len,
           struct cairn_err *err)
{
	struct site *s = ctx;

	/* Names come from the library; still, never leave DIR. */
	if (!*name || strchr(name, '/') || name[0] == '.')
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "refusing to write page '%s'", name);
	if (put_file(s->dir, name, data, len))
		return cairn_err_set(err, CAIRN_EREADONLY,
		                     "cannot write '%s/%s': %s", s->dir, name,
		                     strerror(errno));
	buf_addf(&s->manifest, "%s\n", name);
	s->count++;
	return 0;
}

/* Whether DIR is empty (no entries but . and ..). */
static int
dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* Remove the files the old manifest lists that the new site lacks. */
static void
remove_stale(struct site *s, const char *old)
{
	const char *p = old;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct buf name = BUF_INIT, line = BUF_INIT;

		buf_add(&name, p, n);
		buf_addf(&line, "\n%s\n", name.buf);
		if (n && !strchr(name.buf, '/') && name.buf[0] != '.') {
			struct buf all = BUF_INIT;

			buf_addf(&all, "\n%s", s->manifest.buf);
			if (!strstr(all.buf, line.buf)) {
				struct buf path = BUF_INIT;

				buf_addf(&path, "%s/%s", s->dir, name.buf);
				unlink(path.buf);
				buf_release(&path);
			}
			buf_release(&all);
		}
		buf_release(&name);
		buf_release(&line);
		if (!e)
			break;
		p = e + 1;
	}
}

static int
cmd_publish_exec(struct cli *c)
{
	struct site s = {c, NULL, BUF_INIT, 0};
	struct buf mpath = BUF_INIT, old = BUF_INIT;
	struct stat sb;
	FILE *f;
	char since[CAIRN_TS_LEN] = "", show[CAIRN_TS_LEN];
	int ch, rc = 1;

	while ((ch = cli_getopt(c, "",
	                        (const struct option[]){
	                                {"since", required_argument, NULL, 's'},
	                                {0}})) != -1) {
		if (ch != 's')
			return 2;
		if (cairn_bound_parse(optarg, 0, since, show, &c->err))
			return cli_usage_err(c);
	}
	s.dir = c->argv[optind];
	if (stat(s.dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return cli_error(c, "'%s' is not a folder", s.dir);
	/* Before the folder is made: no store, no folder. */
	if (cli_open(c))
		return 1;
	if (mkdir_p(s.dir))
		return cli_error(c, "cannot create folder '%s': %s", s.dir,
		                 strerror(errno));
	buf_addf(&mpath, "%s/" MANIFEST, s.dir);
	f = fopen(mpath.buf, "r");
	if (f) {
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&old, chunk, n);
		fclose(f);
	} else if (!dir_empty(s.dir)) {
		rc = cli_error(c,
		               "'%s' is not empty and was not made by 'cairn "
		               "publish': use a new folder",
		               s.dir);
		goto out;
	}
	if (cairn_publish_since(c->st, since, write_page, &s, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	remove_stale(&s, old.buf);
	if (put_file(s.dir, MANIFEST, s.manifest.buf, s.manifest.len)) {
		rc = cli_error(c, "cannot write '%s': %s", mpath.buf,
		               strerror(errno));
		goto out;
	}
	if (c->json)
		cli_json_print(c, json_pack("{s:s, s:i}", "dir", s.dir, "files",
		                            s.count));
	else
		fprintf(c->out, "published %d files to %s\n", s.count, s.dir);
	rc = 0;
out:
	buf_release(&s.manifest);
	buf_release(&mpath);
	buf_release(&old);
	return rc;
}

const struct cmd_entry cmd_publish_entry = {
        .name = "publish",
        .usage = "publish [--since DATE] DIR",
        .args = "DIR",
        .summary = "write a static site of the public items",
        .help = "Only items that are public, and whose ancestors are all "
                "public, appear: private and lab items are not in any page, "
                "link, id, count or graph.  The site is plain HTML and CSS "
                "with SVG charts (the roadmap graph, metric trajectories, "
                "each goal's forecast and the calibration of predictions) "
                "and makes no requests outside DIR.  Forecasts plan over "
                "public milestones only, and calibration counts only "
                "predictions about public items.  Publishing again into "
                "the same folder replaces the site and removes pages that are "
                "no longer public.  The page lookback.html, linked from the "
                "index, looks back as 'cairn lookback --post' does (the "
                "same public goals, with a chart each of its statements "
                "and metrics): from --since DATE, else from when the "
                "earliest public goal was created, to now.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_publish_exec,
};
