/*
 * cmd-demo.c: `cairn demo [DIR]`, build a fresh example store from the
 * roadmap script in examples/roadmap.cairn (compiled into the binary), then
 * show its tree and the milestones ready to start.  It never touches the
 * user's store: the demo store lives in DIR, or a new folder under $TMPDIR.
 *
 * The script is one cairn command a line, split like a shell would (by
 * wordexp, with command substitution refused); "NAME = add ..." remembers
 * the new item's id and "@NAME" in a later line stands for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wordexp.h>

#include "cmd.h"
#include "../lib/banned.h"

extern const char cairn_example_roadmap[];

#define MAX_NAMES 512

struct names {
	char *name[MAX_NAMES];
	int64_t id[MAX_NAMES];
	int n;
};

static int64_t
lookup(const struct names *nm, const char *name)
{
	for (int i = 0; i < nm->n; i++)
		if (!strcmp(nm->name[i], name))
			return nm->id[i];
	return 0;
}

/* Run one script line; 0 or the command's exit status. */
static int
run_line(struct cli *c, FILE *devnull, struct names *nm, char *line, int lineno)
{
	struct cli sub;
	wordexp_t we;
	char *name = NULL, *eq, *p;
	char **argv;
	char ids[64][24];
	int ambiguous, rc, nids = 0;

	/* "NAME = command ..." */
	eq = strstr(line, " = ");
	if (eq && strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_-") ==
	                  (size_t)(eq - line)) {
		*eq = '\0';
		name = line;
		line = eq + 3;
	}
	if (wordexp(line, &we, WRDE_NOCMD | WRDE_UNDEF)) {
		fprintf(stderr,
		        "cairn: demo script line %d: cannot split "
		        "'%s'\n",
		        lineno, line);
		return 1;
	}
	argv = xcalloc(we.we_wordc + 1, sizeof(*argv));
	for (size_t i = 0; i < we.we_wordc; i++) {
		p = we.we_wordv[i];
		argv[i] = p;
		if (*p == '@' && nids < 64) {
			int64_t id = lookup(nm, p + 1);

			if (!id) {
				fprintf(stderr,
				        "cairn: demo script line %d: unknown "
				        "name '%s'\n",
				        lineno, p);
				rc = 1;
				goto out;
			}
			snprintf(ids[nids], sizeof(ids[nids]), "%lld",
			         (long long)id);
			argv[i] = ids[nids++];
		}
	}
	memset(&sub, 0, sizeof(sub));
	sub.entry = we.we_wordc ? cmd_find(argv[0], &ambiguous) : NULL;
	if (!sub.entry) {
		fprintf(stderr, "cairn: demo script line %d: unknown command\n",
		        lineno);
		rc = 1;
		goto out;
	}
	sub.argc = (int)we.we_wordc;
	sub.argv = argv;
	sub.st = c->st;
	sub.db_path = c->db_path;
	sub.out = devnull;
	rc = cmd_run(&sub);
	if (rc)
		fprintf(stderr, "cairn: demo script line %d failed\n", lineno);
	else if (name && nm->n < MAX_NAMES) {
		nm->name[nm->n] = xstrdup(name);
		nm->id[nm->n++] = sub.last_id;
	}
out:
	free(argv);
	wordfree(&we);
	return rc;
}

static int
build(struct cli *c)
{
	struct names nm = {{0}, {0}, 0};
	char *script = xstrdup(cairn_example_roadmap), *line, *next;
	FILE *devnull = fopen("/dev/null", "w");
	int lineno = 0, rc = 0;

	if (!devnull) {
		free(script);
		return cli_error(c, "cannot open /dev/null");
	}
	for (line = script; line && !rc; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line += strspn(line, " \t");
		if (!*line || *line == '#')
			continue;
		rc = run_line(c, devnull, &nm, line, lineno);
	}
	fclose(devnull);
	for (int i = 0; i < nm.n; i++)
		free(nm.name[i]);
	free(script);
	return rc;
}

static int
run_view(struct cli *c, const struct cmd_entry *e, char **argv, int argc)
{
	struct cli sub = *c;

	sub.entry = e;
	sub.argv = argv;
	sub.argc = argc;
	return cmd_run(&sub);
}

static int
cmd_demo_exec(struct cli *c)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, site = BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	char *tree_argv[] = {(char *)"tree", NULL};
	char *list_argv[] = {(char *)"list", (char *)"--ready", NULL};
	char *metric_argv[] = {(char *)"metric", (char *)"show", NULL};
	char *papers_argv[] = {(char *)"papers", NULL};
	char *calib_argv[] = {(char *)"calibration", NULL};
	char *focus_argv[] = {(char *)"focus", NULL};
	char *next_argv[] = {(char *)"next", (char *)"--limit", (char *)"5",
	                     NULL};
	char *forecast_argv[] = {(char *)"forecast", (char *)"1", NULL};
	char *publish_argv[] = {(char *)"publish", NULL, NULL};
	int ch, rc = 1;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if (optind < c->argc) {
		buf_adds(&dir, c->argv[optind]);
		if (mkdir(dir.buf, 0755) && errno != EEXIST) {
			rc = cli_error(c, "cannot create folder '%s': %s",
			               dir.buf, strerror(errno));
			goto out;
		}
	} else {
		buf_addf(&dir, "%s/cairn-demo-XXXXXX",
		         tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir.buf)) {
			rc = cli_error(c, "cannot create a folder in '%s': %s",
			               tmp && *tmp ? tmp : "/tmp",
			               strerror(errno));
			goto out;
		}
	}
	buf_addf(&path, "%s/demo.db", dir.buf);
	if (!access(path.buf, F_OK)) {
		rc = cli_error(c, "'%s' already exists: give an empty folder",
		               path.buf);
		goto out;
	}
	if (cairn_store_open(&c->st, path.buf, CAIRN_OPEN_CREATE, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	c->db_path = path.buf;
	if ((rc = build(c)))
		goto out;
	if (c->json) {
		rc = run_view(c, &cmd_tree_entry, tree_argv, 1);
		goto out;
	}
	fputs("A researcher's roadmap (cairn tree):\n\n", c->out);
	if ((rc = run_view(c, &cmd_tree_entry, tree_argv, 1)))
		goto out;
	fputs("\nReady to start (cairn list --ready):\n\n", c->out);
	if ((rc = run_view(c, &cmd_list_entry, list_argv, 2)))
		goto out;
	/* Research practice: results, literature, predictions,
	 * time. */
	fputs("\nKey results (cairn metric show):\n\n", c->out);
	if ((rc = run_view(c, &cmd_metric_entry, metric_argv, 2)))
		goto out;
	fputs("\nReading list (cairn papers):\n\n", c->out);
	if ((rc = run_view(c, &cmd_papers_entry, papers_argv, 1)))
		goto out;
	fputs("\nMentor predictions (cairn calibration):\n\n", c->out);
	if ((rc = run_view(c, &cmd_calibration_entry, calib_argv, 1)))
		goto out;
	fputs("\nWhere the time went (cairn focus):\n\n", c->out);
	if ((rc = run_view(c, &cmd_focus_entry, focus_argv, 1)))
		goto out;
	/* Planning: what to do next, and when the main goal may
	 * be reached. */
	fputs("\nWhat to work on next (cairn next --limit 5):\n\n", c->out);
	if ((rc = run_view(c, &cmd_next_entry, next_argv, 3)))
		goto out;
	fputs("\nWhen the main goal may be reached (cairn forecast 1):\n\n",
	      c->out);
	if ((rc = run_view(c, &cmd_forecast_entry, forecast_argv, 2)))
		goto out;
	/* Publishing: the public goals as a static site. */
	buf_addf(&site, "%s/site", dir.buf);
	publish_argv[1] = site.buf;
	fprintf(c->out,
	        "\nThe public goals as a website (cairn publish %s):"
	        "\n\n",
	        site.buf);
	if ((rc = run_view(c, &cmd_publish_entry, publish_argv, 2)))
		goto out;
	fprintf(c->out,
	        "\nThe demo store is %s; explore it with\n"
	        "  cairn --db %s show 1\n"
	        "and open %s/index.html in a browser.\n",
	        path.buf, path.buf, site.buf);
out:
	cairn_store_free(c->st);
	c->st = NULL;
	buf_release(&dir);
	buf_release(&path);
	buf_release(&site);
	return rc;
}

const struct cmd_entry cmd_demo_entry = {
        .name = "demo",
        .usage = "demo [DIR]",
        .args = "[DIR]",
        .summary = "build an example roadmap in a fresh store and show it",
        .help = "The store goes in DIR (which must not hold a demo.db "
                "already) or a new folder under $TMPDIR; your own store is "
                "never touched.  The demo shows the tree, what is ready, "
                "metrics, papers, calibration, focus, what to do next and "
                "the main goal's forecast, and publishes the public goals "
                "to DIR/site.",
        .exec = cmd_demo_exec,
};
