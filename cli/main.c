/*
 * main.c: global options, then the dispatcher.
 *
 *	cairn [--db PATH] [--json] [--no-color] COMMAND [ARGS]
 *
 * --json and --no-color are also accepted after the command.  The exit
 * status is the command's (0, 1 error, 2 usage); a failure to write the
 * output is an error too (git's run_builtin).  Arguments that are not
 * UTF-8 are a usage error before anything else runs.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("cairn: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see 'cairn help')\n", stderr);
	return 2;
}

static int
ambiguous_error(const char *name)
{
	struct buf names = BUF_INIT;

	cmd_candidates(name, &names);
	fprintf(stderr,
	        "cairn: ambiguous command '%s' (could be: %s; see 'cairn "
	        "help')\n",
	        name, names.buf);
	buf_release(&names);
	return 2;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct buf path = BUF_INIT;
	const char *db = NULL;
	char **args;
	int nargs = 0, no_color = 0, ambiguous, i, rc;
	struct winsize ws;

	memset(&c, 0, sizeof(c));
	c.out = stdout;
	/* Arguments become titles, notes and paths: refuse what is not
	 * text before anything reads them. */
	if (cli_check_utf8(argc, argv))
		return 2;
	/* Global options before the command. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--db")) {
			if (++i == argc)
				return usage_error("%s needs a path", a);
			db = argv[i];
		} else if (!strncmp(a, "--db=", 5)) {
			db = a + 5;
		} else if (!strcmp(a, "--json")) {
			c.json = 1;
		} else if (!strcmp(a, "--no-color")) {
			no_color = 1;
		} else if (!strcmp(a, "--version")) {
			printf("cairn %s\n", cairn_version());
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			break;
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	/* Allocated only now: the returns above own nothing. */
	args = xcalloc((size_t)argc + 1, sizeof(*args));
	if (i == argc || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		args[nargs++] = (char *)"help";
		/* "cairn -h [COMMAND]" is "cairn help [COMMAND]". */
		if (i < argc)
			i++;
	} else {
		c.entry = cmd_find(argv[i], &ambiguous);
		if (!c.entry) {
			free(args);
			if (ambiguous)
				return ambiguous_error(argv[i]);
			return usage_error("unknown command '%s'", argv[i]);
		}
		args[nargs++] = (char *)c.entry->name;
		i++;
	}
	/* --json, --no-color and -h anywhere before "--". */
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			for (; i < argc; i++)
				args[nargs++] = argv[i];
			break;
		}
		if (!strcmp(argv[i], "--json"))
			c.json = 1;
		else if (!strcmp(argv[i], "--no-color"))
			no_color = 1;
		else if ((!strcmp(argv[i], "-h") ||
		          !strcmp(argv[i], "--help")) &&
		         c.entry) {
			args[0] = (char *)"help";
			args[1] = (char *)c.entry->name;
			nargs = 2;
			c.entry = NULL;
			break;
		} else
			args[nargs++] = argv[i];
	}
	if (!c.entry)
		c.entry = &cmd_help_entry;
	args[nargs] = NULL;
	c.argc = nargs;
	c.argv = args;

	c.tty = isatty(STDOUT_FILENO);
	/* no-color.org: set and not empty turns colour off. */
	c.color = c.tty && !no_color &&
	          !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	if (c.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		c.width = ws.ws_col;
	if (c.tty && !c.width)
		c.width = 80;

	if (cairn_store_path(db, &path, &c.err)) {
		free(args);
		return cli_fail(&c);
	}
	c.db_path = path.buf;
	rc = cmd_run(&c);
	if (fflush(stdout) || ferror(stdout)) {
		fputs("cairn: cannot write the output\n", stderr);
		rc = rc ? rc : 1;
	}
	buf_release(&path);
	free(args);
	return rc;
}
