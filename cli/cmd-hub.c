/*
 * cmd-hub.c: `cairn hub`, the sync server (hub/, in the module
 * cairn-ext) and its administration, over a PostgreSQL database:
 *
 *	hub init --pg URL		create or migrate its tables
 *	hub serve --pg URL [--port N] [--bind ADDR]
 *		[--tls-cert F --tls-key F] [--insecure] [--rate N]
 *		[--host NAME]
 *	hub user add NAME --pg URL	a user, and a one-time enrolment
 *					code, alone on the last line
 *	hub user rm NAME --pg URL	revoke the user's devices
 *	hub user passwd NAME --pg URL	set the password for the lab's
 *					pages, read from stdin
 *	hub lab add NAME --lead USER	a lab, led by USER
 *	hub lab invite LAB --role R	a one-time code to join LAB as R
 *					(mentor, member, viewer), alone on
 *					the last line
 *	hub lab mentor LAB MENTOR MEMBER
 *	hub lab rm-member LAB USER	at once, with their mentorships
 *
 * --pg defaults to $CAIRN_PG.  serve prints its URL as the first line
 * and serves until SIGINT or SIGTERM.  None of them opens a store.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../hub/hub.h"
#include "../net/http.h"
#include "../lib/banned.h"

enum {
	OPT_PG = 256,
	OPT_PORT,
	OPT_BIND,
	OPT_CERT,
	OPT_KEY,
	OPT_INSECURE,
	OPT_RATE,
	OPT_LEAD,
	OPT_ROLE,
	OPT_HOST,
};

static const struct option opts[] = {
        {"pg", required_argument, NULL, OPT_PG},
        {"port", required_argument, NULL, OPT_PORT},
        {"bind", required_argument, NULL, OPT_BIND},
        {"tls-cert", required_argument, NULL, OPT_CERT},
        {"tls-key", required_argument, NULL, OPT_KEY},
        {"insecure", no_argument, NULL, OPT_INSECURE},
        {"rate", required_argument, NULL, OPT_RATE},
        {"lead", required_argument, NULL, OPT_LEAD},
        {"role", required_argument, NULL, OPT_ROLE},
        {"host", required_argument, NULL, OPT_HOST},
        {0},
};

static int
hub_fail(struct cli *c)
{
	return c->err.code == CAIRN_EINVAL ? cli_usage_err(c) : cli_fail(c);
}

static int
hub_init(struct cli *c, const char *pg)
{
	int from, to;

	if (hub_schema_init(pg, &from, &to, &c->err))
		return hub_fail(c);
	if (from == to)
		fprintf(c->out, "hub tables at version %d already\n", to);
	else if (!from)
		fprintf(c->out, "hub tables created at version %d\n", to);
	else
		fprintf(c->out, "hub tables migrated from version %d to %d\n",
		        from, to);
	return 0;
}

static int
hub_serve(struct cli *c, struct hub_opts *o)
{
	struct hub *h;
	sigset_t stop;
	int sig;

	/* The server's threads inherit this mask: only sigwait sees them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (hub_start(&h, o, &c->err))
		return hub_fail(c);
	fprintf(c->out, "%s\n", hub_url(h));
	fflush(c->out);
	if (o->insecure && !o->tls_cert_file && o->bind &&
	    !http_is_loopback(o->bind))
		fprintf(stderr,
		        "cairn: warning: plain HTTP on %s: device tokens and "
		        "operations cross the network in the clear\n",
		        o->bind);
	fprintf(stderr, "cairn: hub serving; Ctrl-C stops\n");
	sigwait(&stop, &sig);
	hub_stop(h);
	fprintf(stderr, "cairn: hub stopped\n");
	return 0;
}

/*
 * The password is the first line of stdin (no prompt, so that a script or
 * a password manager can pipe it), without its line end; a line too long
 * is refused whole, never cut.
 */
static int
hub_passwd(struct cli *c, const char *pg, const char *name)
{
	char pw[HUB_PASSWORD_MAX + 3];
	size_t n;
	int rc;

	if (!fgets(pw, sizeof(pw), stdin))
		return cli_usage(c, "'hub user passwd' reads the password "
		                    "from stdin, and it is empty");
	n = strcspn(pw, "\r\n");
	if (n > HUB_PASSWORD_MAX || (!pw[n] && !feof(stdin))) {
		explicit_bzero(pw, sizeof(pw));
		return cli_usage(c, "the password is longer than %d bytes",
		                 HUB_PASSWORD_MAX);
	}
	pw[n] = '\0';
	rc = hub_user_password(pg, name, pw, &c->err);
	explicit_bzero(pw, sizeof(pw));
	if (rc)
		return hub_fail(c);
	fprintf(c->out, "set the password of %s; their sessions ended\n", name);
	return 0;
}

static int
hub_user(struct cli *c, const char *pg, int argi)
{
	const char *sub = c->argv[argi];
	char code[HUB_CODE_HEX + 1];
	long revoked;
	int rc, existed;

	if (!sub)
		return cli_usage(c, "'hub user' needs add, rm or passwd");
	if (strcmp(sub, "add") && strcmp(sub, "rm") && strcmp(sub, "passwd"))
		return cli_usage(c, "unknown subcommand 'user %s'", sub);
	if ((rc = cli_subargs(c, argi + 1, "NAME")))
		return rc;
	if (!hub_name_ok(c->argv[argi + 1]))
		return cli_usage(c,
		                 "'%s' is not a user name (1 to %d of letters, "
		                 "digits, '.', '_' and '-')",
		                 c->argv[argi + 1], HUB_NAME_MAX);
	if (!strcmp(sub, "passwd"))
		return hub_passwd(c, pg, c->argv[argi + 1]);
	if (!strcmp(sub, "rm")) {
		if (hub_user_rm(pg, c->argv[argi + 1], &revoked, &c->err))
			return hub_fail(c);
		fprintf(c->out, "revoked %ld device%s of %s\n", revoked,
		        revoked == 1 ? "" : "s", c->argv[argi + 1]);
		return 0;
	}
	if (hub_user_add(pg, c->argv[argi + 1], code, &existed, &c->err))
		return hub_fail(c);
	fprintf(c->out,
	        "%s %s; enrol one device with this code, once, within 7 "
	        "days:\n%s\n",
	        existed ? "a new code for" : "added user", c->argv[argi + 1],
	        code);
	return 0;
}

/* A name the hub takes, or a one-line usage error naming it. */
static int
name_arg(struct cli *c, const char *what, const char *s)
{
	if (hub_name_ok(s))
		return 0;
	return cli_usage(c,
	                 "'%s' is not a %s name (1 to %d of letters, digits, "
	                 "'.', '_' and '-')",
	                 s, what, HUB_NAME_MAX);
}

static int
hub_lab(struct cli *c, const char *pg, int argi, const char *lead,
        const char *role)
{
	const char *sub = c->argv[argi], *const *a =
	                                         (const char *const *)c->argv +
	                                         argi + 1;
	char code[HUB_CODE_HEX + 1];
	int rc;

	if (!sub)
		return cli_usage(c, "'hub lab' needs add, invite, mentor or "
		                    "rm-member");
	if (strcmp(sub, "add") && lead)
		return cli_usage(c, "only 'hub lab add' takes --lead");
	if (strcmp(sub, "invite") && role)
		return cli_usage(c, "only 'hub lab invite' takes --role");
	if (!strcmp(sub, "add")) {
		if ((rc = cli_subargs(c, argi + 1, "NAME")) ||
		    (rc = name_arg(c, "lab", a[0])))
			return rc;
		if (!lead)
			return cli_usage(c, "'hub lab add' needs --lead USER");
		if ((rc = name_arg(c, "user", lead)))
			return rc;
		if (hub_lab_add(pg, a[0], lead, &c->err))
			return hub_fail(c);
		fprintf(c->out, "added lab %s, led by %s\n", a[0], lead);
		return 0;
	}
	if (!strcmp(sub, "invite")) {
		if ((rc = cli_subargs(c, argi + 1, "LAB")) ||
		    (rc = name_arg(c, "lab", a[0])))
			return rc;
		if (!role)
			return cli_usage(c, "'hub lab invite' needs --role "
			                    "mentor|member|viewer");
		if (!hub_role_ok(role, 1))
			return cli_usage(
			        c,
			        "'%s' is not a role to invite to (want "
			        "mentor, member or viewer)",
			        role);
		if (hub_lab_invite(pg, a[0], role, code, &c->err))
			return hub_fail(c);
		fprintf(c->out,
		        "an invite to %s as %s; join with cairn sync join "
		        "CODE, once, within 7 days:\n%s\n",
		        a[0], role, code);
		return 0;
	}
	if (!strcmp(sub, "mentor")) {
		if ((rc = cli_subargs(c, argi + 1, "LAB MENTOR MEMBER")) ||
		    (rc = name_arg(c, "lab", a[0])) ||
		    (rc = name_arg(c, "user", a[1])) ||
		    (rc = name_arg(c, "user", a[2])))
			return rc;
		if (hub_lab_mentor(pg, a[0], a[1], a[2], &c->err))
			return hub_fail(c);
		fprintf(c->out, "%s mentors %s in %s\n", a[1], a[2], a[0]);
		return 0;
	}
	if (!strcmp(sub, "rm-member")) {
		if ((rc = cli_subargs(c, argi + 1, "LAB USER")) ||
		    (rc = name_arg(c, "lab", a[0])) ||
		    (rc = name_arg(c, "user", a[1])))
			return rc;
		if (hub_lab_rm_member(pg, a[0], a[1], &c->err))
			return hub_fail(c);
		fprintf(c->out, "removed %s from %s\n", a[1], a[0]);
		return 0;
	}
	return cli_usage(c, "unknown subcommand 'lab %s'", sub);
}

static int
cmd_hub_exec(struct cli *c)
{
	struct hub_opts o = {0};
	const char *lead = NULL, *role = NULL;
	uint64_t n;
	const char *sub;
	int ch, rc, serve_opt = 0;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case OPT_PG:
			o.pg = optarg;
			break;
		case OPT_PORT:
			if ((rc = cli_uint(c, "--port", optarg, 0, 65535, &n)))
				return rc;
			o.port = (unsigned)n;
			serve_opt = 1;
			break;
		case OPT_BIND:
			if (!*optarg)
				return cli_usage(c, "--bind needs an address");
			o.bind = optarg;
			serve_opt = 1;
			break;
		case OPT_CERT:
			o.tls_cert_file = optarg;
			serve_opt = 1;
			break;
		case OPT_KEY:
			o.tls_key_file = optarg;
			serve_opt = 1;
			break;
		case OPT_INSECURE:
			o.insecure = 1;
			serve_opt = 1;
			break;
		case OPT_RATE:
			if ((rc = cli_uint(c, "--rate", optarg, 1, 1000000,
			                   &n)))
				return rc;
			o.rate = (unsigned)n;
			serve_opt = 1;
			break;
		case OPT_HOST:
			o.host = optarg;
			serve_opt = 1;
			break;
		case OPT_LEAD:
			lead = optarg;
			break;
		case OPT_ROLE:
			role = optarg;
			break;
		default:
			return 2;
		}
	}
	sub = c->argv[optind];
	if (strcmp(sub, "init") && strcmp(sub, "serve") &&
	    strcmp(sub, "user") && strcmp(sub, "lab"))
		return cli_usage(c, "unknown subcommand '%s'", sub);
	if ((lead || role) && strcmp(sub, "lab"))
		return cli_usage(c, "only 'hub lab' takes --lead and --role");
	if (serve_opt && strcmp(sub, "serve"))
		return cli_usage(
		        c, "only 'hub serve' takes --port, --bind, "
		           "--tls-cert, --tls-key, --insecure, --rate and "
		           "--host");
	if (strcmp(sub, "user") && strcmp(sub, "lab") &&
	    (rc = cli_subargs(c, optind + 1, NULL)))
		return rc;
	if (!o.pg && !(o.pg = getenv("CAIRN_PG")))
		return cli_usage(c, "needs --pg URL (or $CAIRN_PG)");
	if (!strcmp(sub, "init"))
		return hub_init(c, o.pg);
	if (!strcmp(sub, "serve"))
		return hub_serve(c, &o);
	if (!strcmp(sub, "lab"))
		return hub_lab(c, o.pg, optind + 1, lead, role);
	return hub_user(c, o.pg, optind + 1);
}

const struct cmd_entry cmd_hub_entry = {
        .name = "hub",
        .args = "init|serve|user|lab [ARG...]",
        .usage = "hub init --pg URL | serve --pg URL [--port N] [--bind ADDR] "
                 "[--tls-cert F --tls-key F] [--insecure] [--rate N] [--host "
                 "NAME] | user add|rm|passwd NAME --pg URL | lab add NAME "
                 "--lead USER | lab "
                 "invite LAB --role mentor|member|viewer | lab mentor LAB "
                 "MENTOR MEMBER | lab rm-member LAB USER",
        .summary = "the sync server over PostgreSQL, and its users",
        .help = "init creates the hub's tables in the database (the schema "
                "\"hub\") or migrates them; again, it does nothing.  serve "
                "speaks doc/sync-protocol.md on 127.0.0.1 (--port 0, the "
                "default, picks a free port), prints its URL as the first "
                "line and serves until Ctrl-C; it keeps nothing outside the "
                "database, so several may serve one.  A non-loopback --bind "
                "needs --tls-cert and --tls-key (PEM files), or --insecure "
                "for plain HTTP.  --rate N caps the requests of a device, "
                "and of an address without a valid token, to N a minute "
                "(600).  It also serves the lab's pages to browsers at its "
                "URL (a password login; --host NAME adds a name it is "
                "reached by, for the Host check).  user add prints a one-time "
                "enrolment code alone on "
                "the last line (a new one for an existing user's next "
                "device); user rm revokes all the user's devices and ends "
                "their "
                "sessions; user passwd sets the password for the lab's "
                "pages from the first line of stdin (8 to 1024 bytes) and "
                "ends the user's sessions.  lab add "
                "makes a lab led by an existing user; lab invite prints a "
                "one-time code (valid 7 days) alone on the last line, which "
                "a user's device spends with `cairn sync join CODE` to join "
                "with that role; lab mentor makes a mentor (or the lead) "
                "mentor a member; lab rm-member takes a user out of the lab "
                "at once.  --pg defaults to $CAIRN_PG.",
        .exec = cmd_hub_exec,
};
