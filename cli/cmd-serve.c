/*
 * cmd-serve.c: `cairn serve`, the local web UI (web/) over the same
 * store, in this process, until SIGINT or SIGTERM.  The first line on
 * stdout is the URL with the session's token.
 */
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "cmd.h"
#include "ext.h"
#include "../web/web.h"
#include "../lib/banned.h"

extern char **environ;

enum { OPT_PORT = 256, OPT_BIND, OPT_ALLOW_REMOTE, OPT_OPEN };

static const struct option opts[] = {
        {"port", required_argument, NULL, OPT_PORT},
        {"bind", required_argument, NULL, OPT_BIND},
        {"allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE},
        {"open", no_argument, NULL, OPT_OPEN},
        {0},
};

/* Hand the URL to the desktop's browser; a warning when there is none. */
static void
open_browser(const char *url)
{
	char *argv[] = {"xdg-open", (char *)url, NULL};
	pid_t pid;

	if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ)) {
		fprintf(stderr, "cairn: cannot run xdg-open; open the URL "
		                "yourself\n");
		return;
	}
	waitpid(pid, NULL, 0);
}

static int
cmd_serve_exec(struct cli *c)
{
	struct http_server_opts o = HTTP_SERVER_OPTS_INIT;
	struct web_server ws;
	sigset_t stop;
	uint64_t port = 0;
	unsigned long hits, misses;
	size_t bytes;
	int ch, rc, sig, open_it = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case OPT_PORT:
			if ((rc = cli_uint(c, "--port", optarg, 0, 65535,
			                   &port)))
				return rc;
			break;
		case OPT_BIND:
			if (!*optarg)
				return cli_usage(c, "--bind needs an address");
			o.bind = optarg;
			break;
		case OPT_ALLOW_REMOTE:
			o.allow_remote = 1;
			break;
		case OPT_OPEN:
			open_it = 1;
			break;
		default:
			return 2;
		}
	}
	o.port = (unsigned)port;
	/* A thread per connection (at most o.conn_limit, each request with
	 * a store connection of its own): a page being rendered holds up
	 * only its own client, not the others a pool thread would poll. */
	o.threads = 0;
	o.token = getenv("CAIRN_SERVE_TOKEN");
	o.upload_paths = (const char *const *)cairn_ext_sym("web_upload_paths");
	if (o.bind && !http_is_loopback(o.bind) && !o.allow_remote)
		return cli_usage(c,
		                 "'%s' is not a loopback address; add "
		                 "--allow-remote to let others on the network "
		                 "reach the store",
		                 o.bind);
	/* Create or migrate the store once, before the threads open it. */
	if (cli_open_write(c))
		return 1;
	web_server_init(&ws, c->db_path);
	/* The server's thread inherits this mask: only sigwait sees them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (http_start(&ws.srv, &o, web_handle, &ws, &c->err)) {
		web_server_release(&ws);
		return c->err.code == CAIRN_EINVAL ? cli_usage_err(c)
		                                   : cli_fail(c);
	}
	if (o.bind && !http_is_loopback(o.bind))
		fprintf(stderr,
		        "cairn: warning: serving on %s: anyone who can reach "
		        "it and has the token can read and change the store\n",
		        o.bind);
	fprintf(c->out, "%s/?token=%s\n", http_origin(ws.srv),
	        http_token(ws.srv));
	fflush(c->out);
	fprintf(stderr, "cairn: serving '%s'; Ctrl-C stops\n", c->db_path);
	if (open_it) {
		struct buf url = BUF_INIT;

		buf_addf(&url, "%s/?token=%s", http_origin(ws.srv),
		         http_token(ws.srv));
		open_browser(url.buf);
		buf_release(&url);
	}
	sigwait(&stop, &sig);
	http_stop(ws.srv);
	web_cache_stats(ws.cache, &hits, &misses, &bytes);
	web_server_release(&ws);
	c->saved = ws.writes > 0;
	fprintf(stderr,
	        "cairn: stopped; %lu reads answered from the cache, %lu "
	        "rendered\n",
	        hits, misses);
	return 0;
}

const struct cmd_entry cmd_serve_entry = {
        .name = "serve",
        .usage = "serve [--port N] [--bind ADDR] [--allow-remote] [--open]",
        .summary = "a local web UI for the store, until Ctrl-C",
        .help = "Serves the roadmap as web pages and a JSON API under "
                "/api/ on 127.0.0.1 (--port 0, the default, picks a free "
                "port) and prints the URL, with a fresh random token, as "
                "the first line.  Every request needs the token (then a "
                "cookie); Host, Origin and a CSRF token are checked on "
                "every write, which is the same change, journal entry and "
                "error as the CLI's.  --bind ADDR serves another address; "
                "one that is not loopback needs --allow-remote.  --open "
                "opens the URL in the desktop's browser.  "
                "$CAIRN_SERVE_TOKEN (64 hex digits) fixes the token, for "
                "scripts.",
        .flags = CMD_WRITES,
        .exec = cmd_serve_exec,
};
