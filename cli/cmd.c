/*
 * cmd.c: the command table, the dispatcher and the helpers every command
 * uses for errors, options and transactions.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

const struct cmd_entry *const cmd_table[] = {
        &cmd_init_entry,
        &cmd_demo_entry,
        &cmd_add_entry,
        &cmd_set_entry,
        &cmd_mv_entry,
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
        &cmd_dep_entry,
        &cmd_show_entry,
        &cmd_list_entry,
        &cmd_tree_entry,
        &cmd_history_entry,
        &cmd_undo_entry,
        &cmd_redo_entry,
        &cmd_doctor_entry,
        &cmd_backup_entry,
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
        &cmd_focus_entry,
        &cmd_report_entry,
        &cmd_review_entry,
        &cmd_lookback_entry,
        /* Planning. */
        &cmd_next_entry,
        &cmd_path_entry,
        &cmd_forecast_entry,
        &cmd_check_entry,
        &cmd_portfolio_entry,
        /* Interchange. */
        &cmd_import_entry,
        &cmd_export_entry,
        &cmd_publish_entry,
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
		if (found) {
			*ambiguous = 1;
			return NULL;
		}
		found = *e;
	}
	return found;
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
cli_getopt(struct cli *c, const char *shortopts, const struct option *longopts)
{
	char spec[32];
	int ch;

	/* A leading ':' makes a missing value ':' rather than '?'. */
	snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	ch = getopt_long(c->argc, c->argv, spec, longopts, NULL);
	if (ch == '?') {
		if (optopt)
			cli_usage(c, "unknown option '-%c'", optopt);
		else
			cli_usage(c, "unknown option '%s'",
			          c->argv[optind - 1]);
	} else if (ch == ':') {
		cli_usage(c, "option '%s' needs a value", c->argv[optind - 1]);
		ch = '?';
	}
	return ch;
}

int
cli_id(struct cli *c, const char *s, int64_t *id)
{
	if (cairn_id_parse(s, id, &c->err))
		return cli_fail(c);
	return 0;
}

int
cli_visibility(struct cli *c, const char *s, int *vis)
{
	if ((*vis = cairn_visibility_parse(s)) < 0)
		return cli_usage(c,
		                 "visibility must be private, lab or public, "
		                 "not '%s'",
		                 s);
	return 0;
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

int
cli_begin(struct cli *c)
{
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
	return 0;
}

int
cli_abort(struct cli *c)
{
	cairn_store_rollback(c->st);
	return cli_fail(c);
}

int
cmd_run(struct cli *c)
{
	const struct cmd_entry *e = c->entry;
	struct buf label = BUF_INIT;
	int opened = 0, rc;

	if ((e->flags & (CMD_OPENS_DB | CMD_WRITES)) && !c->st) {
		/* Whether it was there before, for init --json. */
		c->created = (e->flags & CMD_WRITES) &&
		             access(c->db_path, F_OK) != 0;
		if (cairn_store_open(&c->st, c->db_path,
		                     (e->flags & CMD_WRITES) ? CAIRN_OPEN_CREATE
		                                             : 0,
		                     &c->err))
			return cli_fail(c);
		opened = 1;
	}
	/* Before getopt permutes argv. */
	command_label(c, &label);
	c->label = label.buf;
	optind = 0; /* reinitialise getopt for this argv */
	rc = e->exec(c);
	/* Damage SQLite reported on the way, even if the command read on. */
	if (!rc && c->st && cairn_store_damaged(c->st, &c->err))
		rc = cli_fail(c);
	buf_release(&label);
	c->label = NULL;
	if (opened) {
		cairn_store_free(c->st);
		c->st = NULL;
	}
	return rc;
}
