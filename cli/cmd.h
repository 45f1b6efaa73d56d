/*
 * cmd.h: the command table and what every command shares.
 *
 * Adding a command (after git's builtin.h):
 *  1. Write cli/cmd-NAME.c with a static `cmd_NAME_exec(struct cli *c)` and
 *     a `const struct cmd_entry cmd_NAME_entry` giving its name, usage (the
 *     only copy of its usage text), one-line summary and flags.
 *  2. Declare the entry below and add it to cmd_table in cmd.c.
 *  3. Add the file to cli/meson.build, the command to doc/cairn.1, and a
 *     test under tests/cli/.  The completion script asks `cairn help
 *     --commands`, and t0900 checks that the man page names every command.
 *
 * exec returns the exit status: 0 success, 1 error (message already
 * printed with cli_fail), 2 usage error (cli_usage).  The dispatcher opens
 * the store as the flags say, parses --json and --no-color anywhere on the
 * line, and checks that stdout was written.  Commands that write call
 * cli_begin and cli_commit and print "done" only after the commit.
 *
 * With c->json a command, reading or writing, prints exactly one JSON
 * document on c->out and nothing else there (help and export, which has
 * formats of its own, ignore it); on an error, nothing at all (the
 * message goes to stderr as usual).  A write that changes an item
 * prints the item read back from the store with cli_print_item, as show
 * --json does; others print the record they added or what they changed.
 */
#ifndef CAIRN_CMD_H
#define CAIRN_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "cairn/cairn.h"

enum cmd_flags {
	CMD_OPENS_DB = 1 << 0, /* needs an existing store */
	CMD_WRITES = 1 << 1,   /* writes: creates the store when missing */
};

struct cli;

struct cmd_entry {
	const char *name;
	const char *alias;
	const char *usage;   /* after "cairn ", e.g. "add KIND TITLE ..." */
	const char *summary; /* one line for `cairn help` */
	const char *help;    /* longer text for `cairn help NAME`, or NULL */
	unsigned flags;
	int (*exec)(struct cli *c);
};

struct cli {
	const struct cmd_entry *entry;
	int argc; /* argv[0] is the command name */
	char **argv;
	const char *db_path; /* resolved store path */
	struct cairn_store *st;
	FILE *out; /* where results go (stdout, or /dev/null in demo) */
	int json;
	int color;
	int tty;         /* out is a terminal */
	int width;       /* terminal columns, 0 when not a terminal */
	int64_t last_id; /* the item a command created, for demo scripts */
	int created;     /* cmd_run created the store for this command */
	char *label;     /* the command line as typed, for the journal */
	struct cairn_err err;
};

extern const struct cmd_entry *const cmd_table[];

/* Find a command by exact name, alias, then unique prefix. */
const struct cmd_entry *cmd_find(const char *name, int *ambiguous);

/* Run c->entry with c->argc/argv on c->st (opened here when needed). */
int cmd_run(struct cli *c);

/* Print "cairn: MESSAGE" from c->err and return 1. */
int cli_fail(struct cli *c);
/* Print "cairn: MESSAGE" (printf-style) and return 1. */
int cli_error(struct cli *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Print "cairn NAME: MESSAGE (see 'cairn help NAME')" and return 2. */
int cli_usage(struct cli *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * getopt_long over the command's arguments with one-line errors; returns
 * the option character, -1 at the end, or '?' after printing the usage
 * error (the caller returns 2).  Positional arguments are then
 * c->argv[optind..].
 */
int cli_getopt(struct cli *c, const char *shortopts,
               const struct option *longopts);

/* Parse an item id ("12", "#12"); prints the error and returns 1. */
int cli_id(struct cli *c, const char *s, int64_t *id);

/* Parse a --visibility value (private, lab, public) into *vis; a usage
 * error (status 2) for anything else. */
int cli_visibility(struct cli *c, const char *s, int *vis);

/* Join argv[from..argc) with spaces into out (for titles and notes). */
void cli_join(struct cli *c, int from, struct buf *out);

/* Open a change labelled with the command line; 0 or 1 after printing. */
int cli_begin(struct cli *c);
/* Commit; 0, or 1 after printing why nothing was saved. */
int cli_commit(struct cli *c);
/* Roll back after a failure and print it; returns 1. */
int cli_abort(struct cli *c);

/* Output helpers (out.c). */
enum cli_style {
	STYLE_NONE,
	STYLE_BOLD,
	STYLE_DIM,
	STYLE_RED,
	STYLE_GREEN,
	STYLE_YELLOW,
	STYLE_BLUE,
	STYLE_MAGENTA,
	STYLE_CYAN
};
/* Append s to out wrapped in the style's colour when colour is on. */
void cli_styled(struct cli *c, struct buf *out, enum cli_style st,
                const char *s);
enum cli_style cli_status_style(enum cairn_status s);
/* Print a JSON value on c->out, indented, with a newline; steals v. */
void cli_json_print(struct cli *c, json_t *v);
/* Format a number with up to two decimals, "-" when unset (< 0). */
const char *cli_num(char *tmp, size_t n, double v);

/* Item detail as JSON: the item with tags, links, notes, statements,
 * prereqs, dependents and children. */
json_t *cli_item_detail_json(struct cli *c, const struct cairn_item *it);
/* Read item id back from the store into *out as its detail JSON (a new
 * reference); 0, or the error code with c->err filled and *out NULL. */
int cli_item_detail_get(struct cli *c, int64_t id, json_t **out);
/*
 * Print item id's detail JSON, read back from the store: what a command
 * that changed one item prints with --json (as `show --json` does).  0,
 * or 1 after printing the error (then nothing is on c->out).
 */
int cli_print_item(struct cli *c, int64_t id);
/*
 * A record a write just added, found by id in a walk over its kind (for
 * --json when the library hands back only the id): the walk's callback
 * sets json (a new reference) for the row with that id and returns 1.
 */
struct cli_found {
	int64_t id;
	json_t *json;
};
/* Print f->json after a walk that returned rc: 0, or 1 after printing
 * the walk's error (rc < 0) or that the WHAT with f->id is gone. */
int cli_print_found(struct cli *c, int rc, struct cli_found *f,
                    const char *what);
/* A journal change as JSON (change, time, actor, label, undo_of,
 * undone_by), without its events: the shape history and undo print. */
json_t *cli_change_json(const struct cairn_event *ev);
/* One event as JSON (entity, id, item, before, after). */
json_t *cli_event_json(const struct cairn_event *ev);

/* Research-practice helpers (research.c). */
/* A number for people: 7000, 3500.5, 0.8123 (at most two decimals from
 * 1 up, four below). */
const char *cli_value(char *tmp, size_t n, double v);
/* A share (0.507) as a percentage: "50.7%", "20%". */
const char *cli_pct(char *tmp, size_t n, double share);
/* Append a sparkline (▁ to █) of v[0..n), scaled to its own range. */
void cli_sparkline(struct buf *out, const double *v, size_t n);
/* Parse a date option; prints the error and returns 1. */
int cli_date(struct cli *c, const char *s, char out[CAIRN_DATE_LEN]);
/* Parse --weeks N (1-520); prints the error and returns 1. */
int cli_weeks(struct cli *c, const char *s, int *weeks);
/* The look-back as text, headed "Look-back from FROM to TO". */
void cli_lookback_text(struct cli *c, const struct cairn_lookback *lb,
                       const char *from, const char *to, struct buf *out);
/* The dates of the last `weeks` weeks, today included. */
void cli_last_weeks(int weeks, char since[CAIRN_DATE_LEN],
                    char until[CAIRN_DATE_LEN]);
/* The FIELD=VALUE arguments of the set subcommands (metric, paper,
 * predict): 0 when argv[from..argc) are all a field name, '=' and a value
 * (maybe empty), else a usage error (2) naming the first that is not, or
 * "missing FIELD=VALUE" when there are none. */
int cli_fields_check(struct cli *c, int from);
/* rm --json of a research record: print {"removed": gone} and, when key
 * is not NULL, key: value (both references taken); returns 0. */
int cli_print_removed(struct cli *c, json_t *gone, const char *key,
                      json_t *value);
/* One checked FIELD=VALUE: the field into *field (reset first) and the
 * value returned. */
const char *cli_field_split(const char *arg, struct buf *field);

/* undo (redo 0) or redo (redo 1) with the command's arguments; the exit
 * status (cmd-undo.c). */
int cli_take_back(struct cli *c, int redo);

#define DECLARE_CMD(n) extern const struct cmd_entry cmd_##n##_entry
DECLARE_CMD(init);
DECLARE_CMD(demo);
DECLARE_CMD(add);
DECLARE_CMD(set);
DECLARE_CMD(mv);
DECLARE_CMD(start);
DECLARE_CMD(pause);
DECLARE_CMD(done);
DECLARE_CMD(drop);
DECLARE_CMD(rm);
DECLARE_CMD(tag);
DECLARE_CMD(link);
DECLARE_CMD(note);
DECLARE_CMD(refine);
DECLARE_CMD(promote);
DECLARE_CMD(dep);
DECLARE_CMD(show);
DECLARE_CMD(list);
DECLARE_CMD(tree);
DECLARE_CMD(history);
DECLARE_CMD(undo);
DECLARE_CMD(redo);
DECLARE_CMD(doctor);
DECLARE_CMD(backup);
DECLARE_CMD(help);
/* Interchange. */
DECLARE_CMD(import);
DECLARE_CMD(export);
DECLARE_CMD(publish);
/* Planning. */
DECLARE_CMD(next);
DECLARE_CMD(path);
DECLARE_CMD(forecast);
DECLARE_CMD(check);
DECLARE_CMD(portfolio);
/* Research practice. */
DECLARE_CMD(metric);
DECLARE_CMD(paper);
DECLARE_CMD(papers);
DECLARE_CMD(lesson);
DECLARE_CMD(lessons);
DECLARE_CMD(predict);
DECLARE_CMD(resolve);
DECLARE_CMD(predictions);
DECLARE_CMD(calibration);
DECLARE_CMD(log);
DECLARE_CMD(focus);
DECLARE_CMD(report);
DECLARE_CMD(review);
DECLARE_CMD(lookback);

#endif
