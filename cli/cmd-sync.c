/*
 * cmd-sync.c: `cairn sync`: log in to a hub, exchange operations with it
 * (once, or --watch), and show what is pending and the conflicts.  The
 * merge is lib/sync's; the transport net/sync-client.c's.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "cairn/core/item.h"
#include "ext.h"
#include "cairn/store/sync.h"
#include "../hub/hub.h"
#include "../net/sync-client.h"
#include "../lib/banned.h"

enum {
	OPT_USER = 256,
	OPT_CODE,
	OPT_DEVICE,
	OPT_PASSFILE,
	OPT_CACERT,
	OPT_WATCH,
	OPT_INTERVAL,
};

static const struct option opts[] = {
        {"user", required_argument, NULL, OPT_USER},
        {"code", required_argument, NULL, OPT_CODE},
        {"device", required_argument, NULL, OPT_DEVICE},
        {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
        {"cacert", required_argument, NULL, OPT_CACERT},
        {"watch", no_argument, NULL, OPT_WATCH},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {0},
};

struct args {
	const char *user, *code, *device, *passfile, *cacert;
	int watch;
	uint64_t interval;
};

/* A line from the terminal, without echo when secret; NULL when there
 * is no terminal. */
static char *
ask(const char *prompt, int secret)
{
	struct termios old, quiet;
	struct buf line = BUF_INIT;
	int ch, restored = 0;

	if (!isatty(STDIN_FILENO))
		return NULL;
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	if (secret && !tcgetattr(STDIN_FILENO, &old)) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		restored = 1;
	}
	while ((ch = getchar()) != EOF && ch != '\n')
		buf_addch(&line, ch);
	if (restored) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	return buf_detach(&line, NULL);
}

/* The passphrase: --passphrase-file, $CAIRN_SYNC_PASSPHRASE, or asked. */
static int
passphrase(struct cli *c, const struct args *a, struct buf *out)
{
	const char *env = getenv("CAIRN_SYNC_PASSPHRASE");
	char *typed;

	if (a->passfile) {
		FILE *f = fopen(a->passfile, "r");
		int ch;

		if (!f)
			return cli_error(c, "cannot read '%s': %s", a->passfile,
			                 strerror(errno));
		while ((ch = fgetc(f)) != EOF && ch != '\n')
			buf_addch(out, ch);
		fclose(f);
	} else if (env && *env) {
		buf_adds(out, env);
	} else if ((typed = ask("sync passphrase (the same on every "
	                        "device): ",
	                        1))) {
		buf_adds(out, typed);
		free(typed);
	}
	if (!out->len)
		return cli_usage(c, "login needs the sync passphrase: "
		                    "--passphrase-file F or "
		                    "CAIRN_SYNC_PASSPHRASE");
	return 0;
}

static int
sync_login_cmd(struct cli *c, const struct args *a, int from)
{
	struct sync_login_opts o = {0};
	struct buf pass = BUF_INIT;
	char *code = NULL;
	int rc;

	if ((rc = cli_subargs(c, from, "URL")))
		return rc;
	if (!a->user || !*a->user)
		return cli_usage(c, "login needs --user NAME");
	o.url = c->argv[from];
	o.user = a->user;
	o.device = a->device;
	o.cacert = a->cacert;
	if (!(o.code = a->code) && (code = ask("enrolment code: ", 1)))
		o.code = code;
	if (!o.code || !*o.code) {
		free(code);
		return cli_usage(c, "login needs the one-time code (--code "
		                    "CODE, or typed on a terminal)");
	}
	if ((rc = passphrase(c, a, &pass))) {
		free(code);
		return rc;
	}
	o.passphrase = pass.buf;
	if (!(rc = cli_open_write(c)) &&
	    (rc = sync_login(c->st, c->db_path, &o, &c->err)))
		rc = c->err.code == CAIRN_EINVAL ? cli_usage_err(c)
		                                 : cli_fail(c);
	if (!rc) {
		c->saved = 1;
		fprintf(c->out, "logged in to %s as %s\n", o.url, o.user);
	}
	buf_release(&pass);
	free(code);
	return rc;
}

static int
conflict_line(void *ctx, const struct cairn_sync_conflict *k)
{
	struct cli *c = ctx;

	fprintf(c->out, "  %s  %s\n", k->time, k->what);
	return 0;
}

static int
sync_status_cmd(struct cli *c, int from)
{
	struct cairn_sync_status s;
	struct buf hub = BUF_INIT, user = BUF_INIT, last = BUF_INIT;
	struct cairn_err e = CAIRN_ERR_INIT;
	int rc;

	if ((rc = cli_subargs(c, from, "")) || (rc = cli_open(c)))
		return rc;
	if (cairn_sync_status_get(c->st, &s, &c->err))
		return cli_fail(c);
	cairn_sync_state_get(c->st, "hub", &hub, &e);
	cairn_sync_state_get(c->st, "user", &user, &e);
	cairn_sync_state_get(c->st, "last", &last, &e);
	if (hub.len)
		fprintf(c->out, "hub: %s as %s\n", hub.buf, user.buf);
	else
		fprintf(c->out, "hub: none (cairn sync login URL --user "
		                "NAME)\n");
	fprintf(c->out, "last sync: %s\n", last.len ? last.buf : "never");
	fprintf(c->out, "pending: %lld\n", (long long)s.pending);
	fprintf(c->out, "conflicts: %lld\n", (long long)s.conflicts);
	buf_release(&hub);
	buf_release(&user);
	buf_release(&last);
	if (s.conflicts &&
	    cairn_sync_conflicts(c->st, conflict_line, c, &c->err))
		return cli_fail(c);
	return 0;
}

static void
note_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "cairn: %s\n", line);
}

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static int
sync_once(struct cli *c)
{
	struct sync_report r;

	if (sync_run(c->st, &r, note_line, c, &c->err))
		return c->err.code == CAIRN_EINVAL ? cli_usage_err(c)
		                                   : cli_fail(c);
	c->saved = 1;
	fprintf(c->out,
	        "sent %zu operation%s%s, received %zu (%zu applied), %zu "
	        "conflict%s\n",
	        r.pushed, r.pushed == 1 ? "" : "s",
	        r.duplicates ? " (and some the hub had already)" : "", r.pulled,
	        r.applied, r.conflicts, r.conflicts == 1 ? "" : "s");
	if (r.comments)
		fprintf(c->out, "%zu comment%s from mentors, now notes\n",
		        r.comments, r.comments == 1 ? "" : "s");
	if (r.asked || r.resolved)
		fprintf(c->out,
		        "put %zu prediction%s to mentors; %zu resolved by "
		        "their "
		        "answers\n",
		        r.asked, r.asked == 1 ? "" : "s", r.resolved);
	fflush(c->out);
	if (r.conflicts)
		fprintf(stderr, "cairn: cairn sync status lists the "
		                "conflicts\n");
	return 0;
}

static int
sync_watch(struct cli *c, uint64_t interval)
{
	long long seen = -1, now;
	int rc = 0;

	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	while (!stopping) {
		if ((rc = sync_once(c)))
			break;
		if (cairn_store_version(c->st, &seen, &c->err))
			return cli_fail(c);
		/* Again when the store changes, or every interval for what
		 * the others did. */
		for (uint64_t t = 0; t < interval * 4 && !stopping; t++) {
			usleep(250000);
			if (!cairn_store_version(c->st, &now, &c->err) &&
			    now != seen)
				break;
		}
	}
	return rc;
}

static int
sync_join_cmd(struct cli *c, int from)
{
	const char *code;
	json_t *reply;
	int rc;

	if ((rc = cli_subargs(c, from, "CODE")))
		return rc;
	code = c->argv[from];
	if (strlen(code) != 32 || strspn(code, "0123456789abcdef") != 32)
		return cli_usage(c,
		                 "'%s' is not an invite code (32 hex digits "
		                 "from cairn hub lab invite)",
		                 code);
	if ((rc = cli_open(c)))
		return rc;
	if (sync_join(c->st, code, &reply, &c->err))
		return cli_fail(c);
	fprintf(c->out, "joined the lab %s as %s\n",
	        json_string_value(json_object_get(reply, "lab")),
	        json_string_value(json_object_get(reply, "role")));
	json_decref(reply);
	return 0;
}

static int
sync_questions_cmd(struct cli *c, int from)
{
	json_t *reply, *q;
	size_t i, n;
	int rc;

	if ((rc = cli_subargs(c, from, "")) || (rc = cli_open(c)))
		return rc;
	if (sync_questions(c->st, &reply, &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(
		        c, json_incref(json_object_get(reply, "questions")));
		json_decref(reply);
		return 0;
	}
	n = json_array_size(json_object_get(reply, "questions"));
	if (!n)
		fputs("no open questions put to you\n", c->out);
	json_array_foreach(json_object_get(reply, "questions"), i, q)
	{
		fprintf(c->out, "Q%lld  from %s, %s: %s\n",
		        (long long)json_integer_value(json_object_get(q, "id")),
		        json_string_value(json_object_get(q, "from")),
		        json_string_value(json_object_get(q, "asked")),
		        json_string_value(json_object_get(q, "statement")));
	}
	if (n)
		fputs("answer with cairn resolve QID yes|no --why TEXT\n",
		      c->out);
	json_decref(reply);
	return 0;
}

/* LAB and USER as the hub names them: 0, or 2 after printing. */
static int
lab_user(struct cli *c, int from)
{
	for (int i = from; i < from + 2; i++)
		if (!hub_name_ok(c->argv[i]))
			return cli_usage(
			        c,
			        "'%s' is not a %s name on the hub (1 to "
			        "%d of letters, digits, '.', '_' and '-')",
			        c->argv[i], i == from ? "lab" : "user",
			        HUB_NAME_MAX);
	return 0;
}

static int
sync_items_cmd(struct cli *c, int from)
{
	json_t *reply, *it;
	size_t i, n;
	int rc;

	if ((rc = cli_subargs(c, from, "LAB USER")) ||
	    (rc = lab_user(c, from)) || (rc = cli_open(c)))
		return rc;
	if (sync_items(c->st, c->argv[from], c->argv[from + 1], &reply,
	               &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(c, json_incref(json_object_get(reply, "items")));
		json_decref(reply);
		return 0;
	}
	n = json_array_size(json_object_get(reply, "items"));
	if (!n)
		fprintf(c->out, "no items of %s in %s that you may read\n",
		        c->argv[from + 1], c->argv[from]);
	json_array_foreach(json_object_get(reply, "items"), i, it)
	{
		const char *kind =
		        json_string_value(json_object_get(it, "kind"));
		const char *status =
		        json_string_value(json_object_get(it, "status"));
		const char *title =
		        json_string_value(json_object_get(it, "title"));

		fprintf(c->out, "%s  %-9s  %-7s  %s\n",
		        json_string_value(json_object_get(it, "uuid")),
		        kind ? kind : "?", status ? status : "?",
		        title ? title : "");
	}
	json_decref(reply);
	return 0;
}

static int
sync_comment_cmd(struct cli *c, int from)
{
	struct buf text = BUF_INIT;
	const char *item;
	int64_t id;
	int rc;

	if ((rc = cli_subargs(c, from, "LAB USER ITEM TEXT...")) ||
	    (rc = lab_user(c, from)))
		return rc;
	item = c->argv[from + 2];
	if (!cairn_uuid_ok(item))
		return cli_usage(c,
		                 "'%s' is not an item's uuid (cairn sync items "
		                 "LAB USER lists them)",
		                 item);
	cli_join(c, from + 3, &text);
	if (cairn_note_check(text.buf, &c->err)) {
		rc = cli_usage_err(c);
		goto out;
	}
	if (text.len > SYNC_COMMENT_MAX) {
		rc = cli_usage(c, "a comment is at most %d bytes (this is %zu)",
		               SYNC_COMMENT_MAX, text.len);
		goto out;
	}
	if ((rc = cli_open(c)))
		goto out;
	if (sync_comment(c->st, c->argv[from], c->argv[from + 1], item,
	                 text.buf, &id, &c->err)) {
		rc = cli_fail(c);
		goto out;
	}
	fprintf(c->out,
	        "commented on %s's item %s (comment %lld); it "
	        "reaches their store at their next sync\n",
	        c->argv[from + 1], item, (long long)id);
out:
	buf_release(&text);
	return rc;
}

static int
cmd_sync_exec(struct cli *c)
{
	struct args a = {.interval = 30};
	const char *sub;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		switch (ch) {
		case OPT_USER:
			a.user = optarg;
			break;
		case OPT_CODE:
			a.code = optarg;
			break;
		case OPT_DEVICE:
			a.device = optarg;
			break;
		case OPT_PASSFILE:
			a.passfile = optarg;
			break;
		case OPT_CACERT:
			a.cacert = optarg;
			break;
		case OPT_WATCH:
			a.watch = 1;
			break;
		case OPT_INTERVAL:
			if ((rc = cli_uint(c, "--interval", optarg, 1, 86400,
			                   &a.interval)))
				return rc;
			break;
		default:
			return 2;
		}
	}
	sub = optind < c->argc ? c->argv[optind] : NULL;
	if (sub && !strcmp(sub, "login"))
		return sync_login_cmd(c, &a, optind + 1);
	if (sub && !strcmp(sub, "status"))
		return sync_status_cmd(c, optind + 1);
	if (sub && !strcmp(sub, "join"))
		return sync_join_cmd(c, optind + 1);
	if (sub && !strcmp(sub, "questions"))
		return sync_questions_cmd(c, optind + 1);
	if (sub && !strcmp(sub, "items"))
		return sync_items_cmd(c, optind + 1);
	if (sub && !strcmp(sub, "comment"))
		return sync_comment_cmd(c, optind + 1);
	if (sub)
		return cli_usage(c,
		                 "unknown sync command '%s' (want login, "
		                 "status, join, questions, items or comment)",
		                 sub);
	if ((rc = cli_open_write(c)))
		return rc;
	return a.watch ? sync_watch(c, a.interval) : sync_once(c);
}

const struct cmd_entry cmd_sync_entry = {
        .name = "sync",
        .args = "[login|status|join|questions|items|comment] [ARG...]",
        .usage = "sync [--watch [--interval S]] | sync login URL --user "
                 "NAME [--code CODE] [--device LABEL] [--passphrase-file F] "
                 "[--cacert F] | sync status | sync join CODE | sync questions "
                 "| sync items LAB USER | sync comment LAB USER ITEM TEXT",
        .summary = "exchange changes with a hub, so every machine's store "
                   "converges",
        .help = "Each machine keeps its whole store and works offline; "
                "sync sends the changes made since the last sync to the "
                "hub (cairn hub) and applies the others', by the merge "
                "rules: the newest change of each field wins, a delete "
                "wins over older changes, tags, links, notes and edges "
                "are sets where an add wins over a concurrent remove, and "
                "an edge closing a builds-on cycle (or a move under a "
                "descendant) keeps the earlier change and records the "
                "later as a conflict, which sync status and history name.  "
                "login enrols the store with the one-time code from `cairn "
                "hub user add` (asked for on a terminal without --code) and "
                "the sync passphrase (--passphrase-file, "
                "$CAIRN_SYNC_PASSPHRASE, or asked), the same on every "
                "device: private items leave the machine only encrypted "
                "with a key derived from it.  The credentials are kept in "
                "the store, which login makes readable by its owner only.  "
                "--watch syncs again whenever the store changes and every "
                "--interval seconds (30), until Ctrl-C.  An unreachable "
                "hub is tried again with a growing wait.  join spends an "
                "invite code from `cairn hub lab invite` to join that lab "
                "with its role.  Sync also puts each open prediction made "
                "with --who @NAME to NAME on the hub (its statement only, "
                "never its probability) and resolves those NAME answered, "
                "with their reasoning.  questions lists the open questions "
                "put to you; answer one, once, with `cairn resolve QID "
                "yes|no --why TEXT`.  items lists the items of USER in "
                "LAB you may read (uuid, kind, status, title); comment "
                "puts TEXT on one of them (ITEM: its uuid), as the lab's "
                "lead or USER's mentor; at USER's next sync it becomes a "
                "note on that item marked with your name, once on each of "
                "their machines.",
        .flags = CMD_WRITES,
        .exec = cmd_sync_exec,
};
