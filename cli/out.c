/*
 * out.c: presentation helpers shared by commands: colour, numbers, JSON.
 * Colour is on only when stdout is a terminal and neither NO_COLOR nor
 * --no-color is set (decided once in main.c).  With --json a command
 * prints one document and nothing else on stdout; the JSON shapes shared
 * by several commands (a journal change) live here; an item's detail is
 * the library's cairn_item_detail.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/banned.h"

static const char *const codes[] = {
        [STYLE_NONE] = "",          [STYLE_BOLD] = "\033[1m",
        [STYLE_DIM] = "\033[2m",    [STYLE_RED] = "\033[31m",
        [STYLE_GREEN] = "\033[32m", [STYLE_YELLOW] = "\033[33m",
        [STYLE_BLUE] = "\033[34m",  [STYLE_MAGENTA] = "\033[35m",
        [STYLE_CYAN] = "\033[36m",
};

void
cli_styled(struct cli *c, struct buf *out, enum cli_style st, const char *s)
{
	if (!c->color || st == STYLE_NONE) {
		buf_adds(out, s);
		return;
	}
	buf_addf(out, "%s%s\033[0m", codes[st], s);
}

enum cli_style
cli_status_style(enum cairn_status s)
{
	switch (s) {
	case CAIRN_STATUS_ACTIVE:
		return STYLE_GREEN;
	case CAIRN_STATUS_PAUSED:
		return STYLE_YELLOW;
	case CAIRN_STATUS_IDEA:
		return STYLE_MAGENTA;
	case CAIRN_STATUS_DONE:
	case CAIRN_STATUS_DROPPED:
		return STYLE_DIM;
	default:
		return STYLE_NONE;
	}
}

void
cli_json_print(struct cli *c, json_t *v)
{
	json_dumpf(v, c->out,
	           JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                   JSON_REAL_PRECISION(15));
	fputc('\n', c->out);
	json_decref(v);
}

const char *
cli_num(char *tmp, size_t n, double v)
{
	if (v < 0)
		return "-";
	snprintf(tmp, n, "%.2f", v);
	/* 0.50 -> 0.5, 3.00 -> 3 */
	if (strchr(tmp, '.')) {
		char *e = tmp + strlen(tmp) - 1;

		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	return tmp;
}

int
cli_print_item(struct cli *c, int64_t id)
{
	json_t *o;

	if (cairn_item_detail(c->st, id, &o, &c->err))
		return cli_fail(c);
	cli_json_print(c, o);
	return 0;
}

int
cli_print_found(struct cli *c, int rc, struct cli_found *f, const char *what)
{
	if (rc < 0) {
		json_decref(f->json);
		return cli_fail(c);
	}
	if (!f->json)
		return cli_error(c, "%s %lld is gone", what, (long long)f->id);
	cli_json_print(c, f->json);
	return 0;
}

json_t *
cli_change_json(const struct cairn_event *ev)
{
	json_t *o = json_object();

	json_object_set_new(o, "change", json_integer(ev->change));
	json_object_set_new(o, "time", json_string(ev->time));
	json_object_set_new(o, "actor", json_string(ev->actor));
	json_object_set_new(o, "label", json_string(ev->label));
	json_object_set_new(o, "undo_of",
	                    ev->undo_of ? json_integer(ev->undo_of)
	                                : json_null());
	json_object_set_new(o, "undone_by",
	                    ev->undone_by ? json_integer(ev->undone_by)
	                                  : json_null());
	return o;
}

json_t *
cli_event_json(const struct cairn_event *ev)
{
	json_t *e = json_object();
	json_t *before = cairn_json_parse(ev->before);
	json_t *after = cairn_json_parse(ev->after);

	json_object_set_new(e, "entity", json_string(ev->entity));
	json_object_set_new(e, "id", json_integer(ev->entity_id));
	json_object_set_new(e, "item",
	                    ev->item ? json_integer(ev->item) : json_null());
	json_object_set_new(e, "before", before ? before : json_null());
	json_object_set_new(e, "after", after ? after : json_null());
	return e;
}

int
cli_write_file(struct cli *c, const char *path, const char *data, size_t len)
{
	struct buf tmp = BUF_INIT;
	FILE *f;
	int e = 0;

	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	if (!(f = fopen(tmp.buf, "wb"))) {
		e = errno;
	} else {
		if (fwrite(data, 1, len, f) != len || fflush(f) ||
		    fsync(fileno(f)))
			e = errno ? errno : EIO;
		if (fclose(f) && !e)
			e = errno;
		if (!e && rename(tmp.buf, path))
			e = errno;
		if (e)
			unlink(tmp.buf);
	}
	buf_release(&tmp);
	if (e)
		return cli_error(c, "cannot write '%s': %s", path, strerror(e));
	return 0;
}
