/*
 * cmd.c: the command table, the dispatcher and the helpers every command
 * uses for errors, opening the store and transactions (arguments are
 * args.c's).
 *
 * The store is opened by the command once its arguments are parsed:
 * cli_open for a read (never creates), cli_begin for a write (creates a
 * missing store).  A store created for a command that then saved nothing
 * is removed again, with the folders made for it, and a 0-byte file that
 * was made a store is emptied again: only init and a committed write
 * leave a new store behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

/* Grouped by what the commands do; help lists them in this order. */
const struct cmd_entry *const cmd_table[] = {
        /* The store and its journal. */
        &cmd_init_entry,
        &cmd_demo_entry,
        &cmd_history_entry,
        &cmd_undo_entry,
        &cmd_redo_entry,
        &cmd_doctor_entry,
        &cmd_backup_entry,
        /* Items: create, change, mark, annotate. */
        &cmd_add_entry,
        &cmd_set_entry,
        &cmd_start_entry,
        &cmd_pause_entry,
        &cmd_done_entry,
        &cmd_drop_entry,
        &cmd_rm_entry,
        &cmd_tag_entry,
        &cmd_link_entry,
        &cmd_note_entry,
        &cmd_refine_entry,
        &cmd_promote_entry,
        /* Structure: the breakdown tree and the builds-on graph. */
        &cmd_mv_entry,
        &cmd_dep_entry,
        /* Views. */
        &cmd_show_entry,
        &cmd_list_entry,
        &cmd_tree_entry,
        /* Research practice. */
        &cmd_metric_entry,
        &cmd_paper_entry,
        &cmd_papers_entry,
        &cmd_lesson_entry,
        &cmd_lessons_entry,
        &cmd_predict_entry,
        &cmd_resolve_entry,
        &cmd_predictions_entry,
        &cmd_calibration_entry,
        &cmd_log_entry,
        &cmd_report_entry,
        &cmd_review_entry,
        &cmd_lookback_entry,
        /* Planning. */
        &cmd_next_entry,
        &cmd_path_entry,
        &cmd_forecast_entry,
        &cmd_check_entry,
        &cmd_portfolio_entry,
        &cmd_focus_entry,
        /* Interchange. */
        &cmd_import_entry,
        &cmd_export_entry,
        &cmd_publish_entry,
        /* Other front ends. */
        &cmd_serve_entry,
        &cmd_sync_entry,
        &cmd_hub_entry,
        /* Help. */
        &cmd_help_entry,
        NULL,
};

const struct cmd_entry *
cmd_find(const char *name, int *ambiguous)
{
	const struct cmd_entry *const *e, *found = NULL;
	size_t n = strlen(name);

	*ambiguous = 0;
	for (e = cmd_table; *e; e++)
		if (!strcmp((*e)->name, name))
			return *e;
	for (e = cmd_table; *e; e++)
		if ((*e)->alias && !strcmp((*e)->alias, name))
			return *e;
	if (!n)
		return NULL;
	for (e = cmd_table; *e; e++) {
		if (strncmp((*e)->name, name, n))
			continue;
		++*ambiguous;
		found = *e;
	}
	if (*ambiguous > 1)
		return NULL;
	*ambiguous = 0;
	return found;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
cmd_candidates(const char *prefix, struct buf *out)
{
	const char *names[64];
	size_t n = 0, len = strlen(prefix);

	for (const struct cmd_entry *const *e = cmd_table; *e && n < 64; e++)
		if (!strncmp((*e)->name, prefix, len))
			names[n++] = (*e)->name;
	qsort(names, n, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n; i++)
		buf_addf(out, "%s%s", i ? ", " : "", names[i]);
}

int
cli_fail(struct cli *c)
{
	fprintf(stderr, "cairn: %s\n",
	        c->err.msg[0] ? c->err.msg : cairn_strerror(c->err.code));
	return 1;
}

int
cli_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	(void)c;
	fputs("cairn: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int
cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cairn %s: ", c->entry->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (usage: cairn %s)\n", c->entry->usage);
	return 2;
}

int
cli_usage_err(struct cli *c)
{
	return cli_usage(c, "%s",
	                 c->err.msg[0] ? c->err.msg
	                               : cairn_strerror(c->err.code));
}

void
cli_join(struct cli *c, int from, struct buf *out)
{
	for (int i = from; i < c->argc; i++) {
		if (i > from)
			buf_addch(out, ' ');
		buf_adds(out, c->argv[i]);
	}
}

/* The command line, quoted where needed, as the journal label. */
static void
command_label(struct cli *c, struct buf *out)
{
	for (int i = 0; i < c->argc && out->len < 200; i++) {
		const char *a = c->argv[i];

		if (i)
			buf_addch(out, ' ');
		if (*a && !strpbrk(a, " \t\n'\"\\$`")) {
			buf_adds(out, a);
			continue;
		}
		buf_addch(out, '\'');
		for (; *a; a++) {
			if (*a == '\'')
				buf_adds(out, "'\\''");
			else if (*a == '\n')
				buf_addch(out, ' ');
			else
				buf_addch(out, *a);
		}
		buf_addch(out, '\'');
	}
}

/*
 * The files a store at path may have (store.h): the database, SQLite's
 * WAL and shared-memory files, and the lock file.
 */
static const char *const store_files[] = {"", "-wal", "-shm", ".lock"};
#define NSTORE_FILES (sizeof(store_files) / sizeof(store_files[0]))

/* What was on disk before this command created the store, to put back. */
struct before {
	int had[NSTORE_FILES];    /* store_files[i] existed */
	int empty;                /* the database was a 0-byte file */
	struct timespec times[2]; /* its access and modification times */
	struct buf dirs; /* folders made for it, deepest first, \0 apart */
};

static struct before before;

static void
remember(const char *path)
{
	struct stat sb;
	struct buf name = BUF_INIT, dir = BUF_INIT;

	memset(before.had, 0, sizeof(before.had));
	buf_reset(&before.dirs);
	for (size_t i = 0; i < NSTORE_FILES; i++) {
		buf_reset(&name);
		buf_addf(&name, "%s%s", path, store_files[i]);
		before.had[i] = lstat(name.buf, &sb) == 0;
		if (i == 0 && (before.empty = before.had[0] && !sb.st_size)) {
			before.times[0] = sb.st_atim;
			before.times[1] = sb.st_mtim;
		}
	}
	/* The folders cairn_store_open will make (make_parent_dirs). */
	buf_adds(&dir, path);
	for (;;) {
		char *slash = strrchr(dir.buf, '/');

		if (!slash || slash == dir.buf)
			break;
		*slash = '\0';
		dir.len = (size_t)(slash - dir.buf);
		if (stat(dir.buf, &sb) == 0)
			break;
		buf_add(&before.dirs, dir.buf, dir.len + 1);
	}
	buf_release(&name);
	buf_release(&dir);
}

/* Put the disk back as remember() found it (after the store is closed). */
static void
restore(const char *path)
{
	struct buf name = BUF_INIT;

	for (size_t i = 0; i < NSTORE_FILES; i++) {
		if (before.had[i])
			continue;
		buf_reset(&name);
		buf_addf(&name, "%s%s", path, store_files[i]);
		unlink(name.buf);
	}
	if (before.empty &&
	    (truncate(path, 0) || utimensat(AT_FDCWD, path, before.times, 0)))
		fprintf(stderr, "cairn: warning: cannot empty '%s' again: %s\n",
		        path, strerror(errno));
	for (size_t i = 0; i < before.dirs.len;
	     i += strlen(before.dirs.buf + i) + 1)
		rmdir(before.dirs.buf + i);
	buf_release(&name);
}

static int
open_store(struct cli *c, unsigned flags)
{
	if (c->st)
		return 0;
	if (flags & CAIRN_OPEN_CREATE) {
		struct stat sb;

		remember(c->db_path);
		c->created = stat(c->db_path, &sb) != 0 || sb.st_size == 0;
	}
	if (cairn_store_open(&c->st, c->db_path, flags, &c->err)) {
		if (c->created)
			restore(c->db_path);
		c->created = 0;
		return cli_fail(c);
	}
	c->opened = 1;
	return 0;
}

int
cli_open(struct cli *c)
{
	return open_store(c, 0);
}

int
cli_open_write(struct cli *c)
{
	return open_store(c,
	                  c->entry->flags & CMD_WRITES ? CAIRN_OPEN_CREATE : 0);
}

int
cli_begin(struct cli *c)
{
	if (cli_open_write(c))
		return 1;
	if (cairn_store_begin(c->st, c->label ? c->label : c->entry->name,
	                      &c->err))
		return cli_fail(c);
	return 0;
}

int
cli_commit(struct cli *c)
{
	if (cairn_store_commit(c->st, &c->err))
		return cli_error(c, "%s; nothing was saved", c->err.msg);
	c->saved = 1;
	return 0;
}

int
cli_abort(struct cli *c)
{
	cairn_store_rollback(c->st);
	return cli_fail(c);
}

/* Any event in the journal: someone (another process too) wrote. */
static int
any_event(void *ctx, const struct cairn_event *ev)
{
	(void)ctx;
	(void)ev;
	return 1;
}

int
cmd_run(struct cli *c)
{
	const struct cmd_entry *e = c->entry;
	struct buf label = BUF_INIT;
	int rc;

	/* Before getopt permutes argv. */
	command_label(c, &label);
	c->label = label.buf;
	c->created = c->saved = c->opened = 0;
	optind = 0; /* reinitialise getopt for this argv */
	rc = e->exec(c);
	/* Damage SQLite reported on the way, even if the command read on. */
	if (!rc && c->st && cairn_store_damaged(c->st, &c->err))
		rc = cli_fail(c);
	buf_release(&label);
	c->label = NULL;
	if (c->opened) {
		/*
		 * Only a write that was saved keeps a store it created; and
		 * a store another process wrote to meanwhile stays too.
		 */
		int drop = c->created && !c->saved &&
		           !cairn_journal_each(c->st, 0, NULL, NULL, any_event,
		                               NULL, NULL);

		cairn_store_free(c->st);
		c->st = NULL;
		c->opened = 0;
		if (drop)
			restore(c->db_path);
	}
	buf_release(&before.dirs);
	return rc;
}
