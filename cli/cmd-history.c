/*
 * cmd-history.c: `cairn history [ID] [--since DATE] [--until DATE]`, the
 * journal, one change a heading with its events below, oldest first.
 * Events arrive in journal order and the changes of one transaction are
 * consecutive, so grouping needs no buffering beyond one change.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {0},
};

struct hist {
	struct cli *c;
	int64_t change;
	json_t *all;    /* --json: the array of changes */
	json_t *events; /* --json: events of the current change */
	int n;
};

/* Render a JSON scalar short, for "old -> new". */
static void
value_text(struct buf *out, json_t *v)
{
	if (!v || json_is_null(v)) {
		buf_adds(out, "-");
	} else if (json_is_string(v)) {
		buf_addch(out, '\'');
		cairn_width_fit(out, json_string_value(v), 40, 0);
		buf_addch(out, '\'');
	} else if (json_is_integer(v)) {
		buf_addf(out, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		char n[32];

		buf_adds(out, cli_num(n, sizeof(n), json_real_value(v)));
	} else {
		buf_adds(out, "?");
	}
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static void
describe(struct buf *out, const struct cairn_event *ev, json_t *before,
         json_t *after)
{
	json_t *row = after ? after : before;
	const char *key;
	json_t *v;
	int first = 1;

	buf_adds(out, !before ? "  + " : !after ? "  - " : "  ~ ");
	if (!strcmp(ev->entity, "item")) {
		buf_addf(out, "%s #%lld", str(row, "kind"),
		         (long long)ev->entity_id);
		if (!before || !after) {
			buf_addch(out, ' ');
			value_text(out, json_object_get(row, "title"));
			return;
		}
		json_object_foreach(after, key, v)
		{
			json_t *old = json_object_get(before, key);

			if (json_equal(old, v))
				continue;
			buf_addf(out, "%s %s ", first ? "" : ",", key);
			value_text(out, old);
			buf_adds(out, " -> ");
			value_text(out, v);
			first = 0;
		}
		return;
	}
	if (!strcmp(ev->entity, "edge")) {
		buf_addf(out, "#%lld builds on #%lld",
		         (long long)json_integer_value(
		                 json_object_get(row, "item")),
		         (long long)json_integer_value(
		                 json_object_get(row, "prereq")));
		return;
	}
	if (!strcmp(ev->entity, "setting")) {
		buf_addf(out, "setting %s ", str(row, "key"));
		value_text(out, json_object_get(before, "value"));
		buf_adds(out, " -> ");
		value_text(out, json_object_get(after, "value"));
		return;
	}
	if (ev->item)
		buf_addf(out, "%s on #%lld: ", ev->entity, (long long)ev->item);
	else
		buf_addf(out, "%s: ", ev->entity);
	if (!strcmp(ev->entity, "tag"))
		value_text(out, json_object_get(row, "name"));
	else if (!strcmp(ev->entity, "link"))
		value_text(out, json_object_get(row, "url"));
	else if (json_object_get(row, "text"))
		value_text(out, json_object_get(row, "text"));
	else {
		/* Research rows: their most telling field. */
		static const char *const keys[] = {
		        "statement", "name", "key",   "value", "minutes",
		        "moved",     "note", "paper", NULL};
		const char *const *k = keys;

		while (k[1] && (!json_object_get(row, *k) ||
		                json_is_null(json_object_get(row, *k))))
			k++;
		value_text(out, json_object_get(row, *k));
	}
}

static int
each_event(void *ctx, const struct cairn_event *ev)
{
	struct hist *h = ctx;
	struct cli *c = h->c;
	json_t *before = NULL, *after = NULL;
	struct buf out = BUF_INIT;

	if (c->json) {
		if (ev->change != h->change) {
			json_t *ch = cli_change_json(ev);

			h->events = json_array();
			json_object_set_new(ch, "events", h->events);
			json_array_append_new(h->all, ch);
		}
		json_array_append_new(h->events, cli_event_json(ev));
	} else if (!strcmp(ev->entity, "import_base")) {
		/* What a file said at its import, for the next re-import
		 * (bulk-base.c): bookkeeping, not a change to show. */
		return 0;
	} else {
		before = cairn_json_parse(ev->before);
		after = cairn_json_parse(ev->after);
		if (ev->change != h->change) {
			struct buf head = BUF_INIT;

			buf_addf(&head, "%.10s %.5s", ev->time, ev->time + 11);
			cli_styled(c, &out, STYLE_DIM, head.buf);
			buf_addf(&out, "  %s", ev->label);
			if (ev->undone_by)
				cli_styled(c, &out, STYLE_YELLOW, "  (undone)");
			buf_addch(&out, '\n');
			buf_release(&head);
		}
		describe(&out, ev, before, after);
		buf_addch(&out, '\n');
		fputs(out.buf, c->out);
	}
	h->change = ev->change;
	h->n++;
	json_decref(before);
	json_decref(after);
	buf_release(&out);
	return 0;
}

static int
cmd_history_exec(struct cli *c)
{
	char since[CAIRN_TS_LEN] = "", until[CAIRN_TS_LEN] = "";
	struct hist h = {c, 0, NULL, NULL, 0};
	struct cairn_item it;
	int64_t id = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch == 's') {
			if (cairn_ts_parse(optarg, since, &c->err))
				return cli_usage_err(c);
		} else if (ch == 'u') {
			if (cairn_ts_parse(optarg, until, &c->err))
				return cli_usage_err(c);
		} else {
			return 2;
		}
	}
	if (optind < c->argc && (rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_open(c))
		return 1;
	if (id) {
		/* A removed item still has a history: look in the journal
		 * when the item itself is gone. */
		if (cairn_item_get(c->st, id, &it, &c->err) &&
		    c->err.code != CAIRN_ENOTFOUND)
			return cli_fail(c);
		cairn_item_release(&it);
	}
	if (c->json)
		h.all = json_array();
	rc = cairn_journal_each(c->st, id, since[0] ? since : NULL,
	                        until[0] ? until : NULL, each_event, &h,
	                        &c->err);
	if (rc) {
		json_decref(h.all);
		return cli_fail(c);
	}
	if (id && !h.n)
		return cli_error(c, "no history for #%lld", (long long)id);
	if (c->json)
		cli_json_print(c, h.all);
	return 0;
}

const struct cmd_entry cmd_history_entry = {
        .name = "history",
        .usage = "history [ID] [--since DATE] [--until DATE]",
        .args = "[ID]",
        .summary = "show the journal of changes (of one item with ID)",
        .flags = CMD_OPENS_DB,
        .exec = cmd_history_exec,
};
