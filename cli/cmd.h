/*
 * cmd.h: the command table and what every command shares.
 *
 * Adding a command (after git's builtin.h):
 *  1. Write cli/cmd-NAME.c with a static `cmd_NAME_exec(struct cli *c)` and
 *     a `const struct cmd_entry cmd_NAME_entry` giving its name, usage (the
 *     only copy of its usage text), its positional arguments (.args, see
 *     below), one-line summary and flags.
 *  2. In exec, parse first: options with cli_getopt, their values with the
 *     typed helpers of args.c (cli_id, cli_uint, cli_real, cli_date,
 *     cli_enum, cli_visibility), then the positional arguments.  Only then
 *     touch the store: cli_open(c) for a read, cli_begin(c) for a write
 *     (it opens the store, and creates it when missing).  So a malformed
 *     request never opens, creates or changes a store.
 *  3. Declare the entry below and add it to cmd_table in cmd.c, in the
 *     group of commands it belongs to (store, items, structure, views,
 *     research, planning, interchange).
 *  4. Add the file to cli/meson.build, the command to doc/cairn.1, and a
 *     test under tests/cli/.  The completion script asks `cairn help
 *     --commands`, and t0900 checks that the man page names every command.
 *
 * .args names the positional arguments after the options, as the usage
 * shows them: "ID URL" (exactly two), "[ID]" (at most one), "ID..." (one
 * or more), "[FILE...]" (any number); NULL takes none.  cli_getopt checks
 * their count when the options end (before exec parses anything else), and
 * names the first one missing ("missing URL").  A command with
 * subcommands declares the widest form ("add|log|show [ARG...]") and checks
 * each subcommand's own with cli_subargs.
 *
 * Exit status: 0 success; 1 a well-formed request that failed (no such
 * item, a store that cannot be written; message printed with cli_fail or
 * cli_error); 2 a malformed request (cli_usage): an unknown command or
 * option, a missing or extra argument, a value that does not parse (an id,
 * a number, a date, a name outside its list).  The typed helpers return 2
 * after printing, so `return rc` after them keeps the rule.
 *
 * The dispatcher parses --json and --no-color anywhere on the line,
 * refuses arguments that are not UTF-8, and checks that stdout was written.
 * Commands that write call cli_begin and cli_commit and print "done" only
 * after the commit.  A store that cli_begin created is removed again when
 * the command saved nothing (it failed, or only read); a command whose
 * library call commits by itself (import) sets c->saved after it.
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
	CMD_OPENS_DB = 1 << 0, /* reads an existing store (cli_open) */
	CMD_WRITES = 1 << 1,   /* writes: cli_begin creates a missing store */
};

struct cli;

struct cmd_entry {
	const char *name;
	const char *alias;
	const char *usage;   /* after "cairn ", e.g. "add KIND TITLE ..." */
	const char *args;    /* positional arguments, e.g. "KIND TITLE..." */
	const char *summary; /* one line for `cairn help` */
	const char *help;    /* longer text for `cairn help NAME`, or NULL */
	unsigned flags;
	int (*exec)(struct cli *c);
};

struct cli {
	const struct cmd_entry *entry;
	int argc; /* argv[0] is the command name */
	char **argv;
	const char *db_path;    /* resolved store path */
	struct cairn_store *st; /* NULL until cli_open or cli_begin */
	FILE *out; /* where results go (stdout, or /dev/null in demo) */
	int json;
	int color;
	int tty;         /* out is a terminal */
	int width;       /* terminal columns, 0 when not a terminal */
	int64_t last_id; /* the item a command created, for demo scripts */
	int created;     /* this command created the store */
	int saved;       /* a change was committed (cli_commit sets it) */
	int opened;      /* the dispatcher opened c->st and frees it */
	char *label;     /* the command line as typed, for the journal */
	struct cairn_err err;
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Find a command by exact name, alias, then unique prefix.  NULL when
 * there is none; then *ambiguous is the number of commands name is a
 * prefix of (0: unknown, 2 or more: ambiguous).
 */
const struct cmd_entry *cmd_find(const char *name, int *ambiguous);
/* Append the names of the commands starting with prefix, sorted, with ", "
 * between them (for the ambiguous-command error). */
void cmd_candidates(const char *prefix, struct buf *out);

/* Run c->entry with c->argc/argv; the store is opened by the command. */
int cmd_run(struct cli *c);

/* Print "cairn: MESSAGE" from c->err and return 1. */
int cli_fail(struct cli *c);
/* Print "cairn: MESSAGE" (printf-style) and return 1. */
int cli_error(struct cli *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Print "cairn NAME: MESSAGE (usage: cairn USAGE)" and return 2. */
int cli_usage(struct cli *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* cli_usage with c->err's message: for a library parser's error. */
int cli_usage_err(struct cli *c);

/*
 * Open the store for reading: it must exist (a read never creates one).
 * 0, or 1 after printing why not.  Does nothing when it is open already.
 */
int cli_open(struct cli *c);
/*
 * Open the store for writing, creating it when missing (CMD_WRITES
 * commands only; cli_begin calls it).  A store created here is removed
 * when the command ends without c->saved.  0, or 1 after printing.
 */
int cli_open_write(struct cli *c);
/* Open the store (cli_open_write) and a change labelled with the command
 * line; 0 or 1 after printing. */
int cli_begin(struct cli *c);
/* Commit; 0, or 1 after printing why nothing was saved. */
int cli_commit(struct cli *c);
/* Roll back after a failure and print it; returns 1. */
int cli_abort(struct cli *c);

/* Join argv[from..argc) with spaces into out (for titles and notes). */
void cli_join(struct cli *c, int from, struct buf *out);

/*
 * Typed arguments (args.c).  Each parses with the library's parser where
 * it has one, prints a usage error naming the input and returns 2 when
 * the text is malformed, else 0.  `what` names the value in the message
 * ("--trials", "weeks").
 */

/*
 * getopt_long over the command's arguments with one-line errors; returns
 * the option character, or -1 at the end once the count of positional
 * arguments matches the entry's .args, or '?' after printing the usage
 * error (the caller returns 2).  Positional arguments are then
 * c->argv[optind..].
 */
int cli_getopt(struct cli *c, const char *shortopts,
               const struct option *longopts);
/* Check that argv[from..argc) matches the entry's .args (for a command
 * that takes no options); 0, or 2 after printing. */
int cli_args(struct cli *c, int from);
/* The same check against spec (written as .args is), for the arguments of
 * a subcommand: argv[from..] after its name. */
int cli_subargs(struct cli *c, int from, const char *spec);
/* An item id ("12", "#12"). */
int cli_id(struct cli *c, const char *s, int64_t *id);
/*
 * A whole number from min to max, digits only, read by the library's one
 * number parser (cairn_number_parse).  It is exact up to CLI_UINT_EXACT
 * (2^53, the whole numbers a double holds); a caller that needs the exact
 * value (a seed) keeps max at or below it, one that caps (trials) need
 * not.
 */
#define CLI_UINT_EXACT ((uint64_t)1 << 53)
int cli_uint(struct cli *c, const char *what, const char *s, uint64_t min,
             uint64_t max, uint64_t *out);
/* cli_uint into an int. */
int cli_int(struct cli *c, const char *what, const char *s, int min, int max,
            int *out);
/*
 * A finite decimal number from min to max (-INFINITY and INFINITY for
 * any), read by cairn_number_parse; with percent, a trailing '%' is
 * allowed (and changes nothing: "20%" and "20" are both 20).
 */
int cli_real(struct cli *c, const char *what, const char *s, double min,
             double max, int percent, double *out);
/* A date (YYYY-MM-DD, today, +2w, ...: cairn_date_parse). */
int cli_date(struct cli *c, const char *s, char out[CAIRN_DATE_LEN]);
/*
 * A name from a list: parse is the library's parser (-1 when unknown),
 * choices the list for the message: "unknown kind 'task' (want goal,
 * milestone, question or idea)".
 */
int cli_enum(struct cli *c, const char *what, const char *s,
             int (*parse)(const char *), const char *choices, int *out);
/* A --visibility value (private, lab, public). */
int cli_visibility(struct cli *c, const char *s, int *vis);
/* --weeks N (1-520). */
int cli_weeks(struct cli *c, const char *s, int *weeks);
/* A --format value that the command reads (dir CAIRN_FORMAT_IN) or
 * writes (CAIRN_FORMAT_OUT). */
int cli_format(struct cli *c, const char *s, unsigned dir, int *f);
/*
 * 0 when every argument is UTF-8; else prints which argument and the byte
 * offset of the first bad byte, and returns 2 (main, before any command).
 */
int cli_check_utf8(int argc, char **argv);

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

/* Write len bytes of data to path, beside it first then renamed into
 * place (a failure leaves no half file); 0, or 1 with the error told. */
int cli_write_file(struct cli *c, const char *path, const char *data,
                   size_t len);
/* Format a number with up to two decimals, "-" when unset (< 0). */
const char *cli_num(char *tmp, size_t n, double v);

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
/* The look-back as text, headed "Look-back from FROM to TO". */
void cli_lookback_text(struct cli *c, const struct cairn_lookback *lb,
                       const char *from, const char *to, struct buf *out);
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
/* The store and its journal. */
DECLARE_CMD(init);
DECLARE_CMD(demo);
DECLARE_CMD(history);
DECLARE_CMD(undo);
DECLARE_CMD(redo);
DECLARE_CMD(doctor);
DECLARE_CMD(backup);
/* Items. */
DECLARE_CMD(add);
DECLARE_CMD(set);
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
/* Structure. */
DECLARE_CMD(mv);
DECLARE_CMD(dep);
/* Views. */
DECLARE_CMD(show);
DECLARE_CMD(list);
DECLARE_CMD(tree);
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
DECLARE_CMD(report);
DECLARE_CMD(review);
DECLARE_CMD(lookback);
/* Planning. */
DECLARE_CMD(next);
DECLARE_CMD(path);
DECLARE_CMD(forecast);
DECLARE_CMD(check);
DECLARE_CMD(portfolio);
DECLARE_CMD(focus);
/* Interchange. */
DECLARE_CMD(import);
DECLARE_CMD(export);
DECLARE_CMD(publish);
DECLARE_CMD(serve);
DECLARE_CMD(sync);
DECLARE_CMD(hub);
/* Help. */
DECLARE_CMD(help);

#endif
