/*
 * cmd-show.c: `cairn show ID`, every field and attachment of one item.
 */
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

struct show {
	struct cli *c;
	struct buf *out;
	int n;
	int64_t id; /* the item shown */
};

static void
field(struct cli *c, struct buf *out, const char *name, const char *value)
{
	struct buf label = BUF_INIT;

	buf_addf(&label, "%-11s", name);
	cli_styled(c, out, STYLE_DIM, label.buf);
	buf_addf(out, " %s\n", value);
	buf_release(&label);
}

static int
print_tag(void *ctx, const struct cairn_entry *e)
{
	struct show *s = ctx;

	buf_addf(s->out, "%s%s", s->n++ ? ", " : "", e->text);
	return 0;
}

static int
print_entry(void *ctx, const struct cairn_entry *e)
{
	struct show *s = ctx;
	char day[CAIRN_DATE_LEN + 6];

	snprintf(day, sizeof(day), "%.10s %.5s", e->time,
	         strlen(e->time) > 11 ? e->time + 11 : "");
	buf_adds(s->out, "  ");
	cli_styled(s->c, s->out, STYLE_DIM, day);
	if (e->label) /* a note someone else wrote (a mentor's comment) */
		buf_addf(s->out, "  %s: %s\n", e->label, e->text);
	else
		buf_addf(s->out, "  %s\n", e->text);
	s->n++;
	return 0;
}

static int
print_link(void *ctx, const struct cairn_entry *e)
{
	struct show *s = ctx;

	if (e->label)
		buf_addf(s->out, "  %s <%s>\n", e->label, e->text);
	else
		buf_addf(s->out, "  %s\n", e->text);
	s->n++;
	return 0;
}

static int
print_ref(void *ctx, const struct cairn_item *it)
{
	struct show *s = ctx;
	struct buf st = BUF_INIT;

	buf_addf(s->out, "  #%-5lld ", (long long)it->id);
	buf_addf(&st, "%-8s", cairn_status_name(it->status));
	cli_styled(s->c, s->out, cli_status_style(it->status), st.buf);
	buf_addf(s->out, " %s\n", it->title);
	buf_release(&st);
	s->n++;
	return 0;
}

static int
print_metric(void *ctx, const struct cairn_metric *m)
{
	struct show *s = ctx;
	char a[32], b[32], p[32];

	if (m->item != s->id)
		return 0;
	buf_addf(s->out, "  %s: ", m->name);
	if (m->has_latest)
		buf_addf(s->out, "%s (%s) of ",
		         cli_num(a, sizeof(a), m->latest), m->latest_date);
	buf_addf(s->out, "%s -> %s%s%s", cli_num(b, sizeof(b), m->baseline),
	         cli_num(p, sizeof(p), m->target), *m->unit ? " " : "",
	         m->unit);
	if (m->has_latest)
		buf_addf(s->out, ", %.1f%% of the way",
		         cairn_metric_progress(m->baseline, m->target,
		                               m->latest));
	buf_addch(s->out, '\n');
	s->n++;
	return 0;
}

static int
print_paper(void *ctx, const struct cairn_paper *p)
{
	struct show *s = ctx;

	buf_addf(s->out, "  %-12s %s [%s]\n", p->key, p->title,
	         cairn_paper_status_name(p->status));
	s->n++;
	return 0;
}

static int
print_lesson(void *ctx, const struct cairn_lesson *l)
{
	struct show *s = ctx;

	buf_addf(s->out, "  %.10s  %s%s\n", l->created,
	         l->worked ? "" : "did not work: ", l->text);
	s->n++;
	return 0;
}

enum part {
	BUILDS_ON,
	NEEDED_BY,
	BELOW,
	METRICS,
	PAPERS,
	LINKS,
	NOTES,
	LESSONS,
	STATEMENTS
};

static const char *const part_titles[] = {
        "builds on", "needed by", "below",   "metrics",    "papers",
        "links",     "notes",     "lessons", "statements",
};

static int
section(struct cli *c, struct buf *out, enum part which, int64_t id)
{
	struct buf part = BUF_INIT;
	struct show s = {c, &part, 0, id};
	struct cairn_err *e = &c->err;
	int rc = 0;

	switch (which) {
	case BUILDS_ON:
		rc = cairn_item_prereqs(c->st, id, print_ref, &s, e);
		break;
	case NEEDED_BY:
		rc = cairn_item_dependents(c->st, id, print_ref, &s, e);
		break;
	case BELOW:
		rc = cairn_item_children(c->st, id, print_ref, &s, e);
		break;
	case LINKS:
		rc = cairn_item_links(c->st, id, print_link, &s, e);
		break;
	case NOTES:
		rc = cairn_item_notes(c->st, id, print_entry, &s, e);
		break;
	case STATEMENTS:
		rc = cairn_item_statements(c->st, id, print_entry, &s, e);
		break;
	case METRICS:
		rc = cairn_metric_each(c->st, id, NULL, print_metric, &s, e);
		break;
	case PAPERS: {
		struct cairn_paper_query q = CAIRN_PAPER_QUERY_INIT;

		q.item = id;
		rc = cairn_paper_each(c->st, &q, print_paper, &s, e);
		break;
	}
	case LESSONS:
		rc = cairn_lesson_each(c->st, id, NULL, print_lesson, &s, e);
		break;
	}
	if (!rc && s.n) {
		buf_addch(out, '\n');
		cli_styled(c, out, STYLE_BOLD, part_titles[which]);
		buf_addch(out, '\n');
		buf_add(out, part.buf, part.len);
	}
	buf_release(&part);
	return rc;
}

static int
cmd_show_exec(struct cli *c)
{
	struct cairn_item it;
	struct buf out = BUF_INIT, tmp = BUF_INIT;
	struct show s;
	char n1[32], n2[32], n3[32];
	int64_t id;
	int ch, rc = 1;

	while ((ch = cli_getopt(c, "", (const struct option[]){{0}})) != -1)
		return 2;
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_open(c))
		return 1;
	if (cairn_item_get(c->st, id, &it, &c->err))
		return cli_fail(c);
	if (c->json) {
		cli_json_print(c, cairn_item_detail_json(c->st, &it));
		cairn_item_release(&it);
		return 0;
	}
	buf_addf(&tmp, "#%lld %s", (long long)it.id, it.title);
	cli_styled(c, &out, STYLE_BOLD, tmp.buf);
	buf_addch(&out, '\n');
	field(c, &out, "kind", cairn_kind_name(it.kind));
	buf_reset(&tmp);
	cli_styled(c, &tmp, cli_status_style(it.status),
	           cairn_status_name(it.status));
	if (it.why)
		buf_addf(&tmp, " (%s)", it.why);
	field(c, &out, "status", tmp.buf);
	if (it.parent) {
		buf_reset(&tmp);
		buf_addf(&tmp, "#%lld", (long long)it.parent);
		field(c, &out, "parent", tmp.buf);
	}
	if (it.scope) {
		buf_reset(&tmp);
		buf_addf(&tmp, "%d", it.scope);
		field(c, &out, "scope", tmp.buf);
	}
	if (it.p_success >= 0)
		field(c, &out, "p_success",
		      cli_num(n1, sizeof(n1), it.p_success));
	if (it.novelty) {
		buf_reset(&tmp);
		buf_addf(&tmp, "%d", it.novelty);
		field(c, &out, "novelty", tmp.buf);
	}
	if (it.est[0] >= 0) {
		buf_reset(&tmp);
		buf_addf(&tmp, "%s/%s/%s days", cli_num(n1, 32, it.est[0]),
		         cli_num(n2, 32, it.est[1]),
		         cli_num(n3, 32, it.est[2]));
		field(c, &out, "estimate", tmp.buf);
	}
	if (it.due[0])
		field(c, &out, "due", it.due);
	if (it.likelihood >= 0)
		field(c, &out, "likelihood",
		      cli_num(n1, sizeof(n1), it.likelihood));
	if (it.rank > 0) {
		snprintf(n1, sizeof(n1), "%d", it.rank);
		field(c, &out, "rank", n1);
	}
	if (it.driven)
		field(c, &out, "driven", cairn_driven_name(it.driven));
	field(c, &out, "visibility", cairn_visibility_name(it.visibility));
	field(c, &out, "created", it.created);
	if (it.started[0])
		field(c, &out, "started", it.started);
	if (it.finished[0])
		field(c, &out, "finished", it.finished);
	buf_reset(&tmp);
	s = (struct show){c, &tmp, 0, id};
	if (cairn_item_tags(c->st, id, print_tag, &s, &c->err))
		goto fail;
	if (s.n)
		field(c, &out, "tags", tmp.buf);
	if (it.body && *it.body)
		buf_addf(&out, "\n%s\n", it.body);
	for (int p = BUILDS_ON; p <= STATEMENTS; p++)
		if (section(c, &out, p, id))
			goto fail;
	fputs(out.buf, c->out);
	rc = 0;
	goto out;
fail:
	rc = cli_fail(c);
out:
	buf_release(&out);
	buf_release(&tmp);
	cairn_item_release(&it);
	return rc;
}

const struct cmd_entry cmd_show_entry = {
        .name = "show",
        .usage = "show ID",
        .args = "ID",
        .summary = "show an item with its links, notes, edges and statements",
        .flags = CMD_OPENS_DB,
        .exec = cmd_show_exec,
};
