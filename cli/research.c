/*
 * research.c: presentation helpers shared by the research-practice
 * commands (metric, papers, predictions, focus, review, lookback):
 * numbers, percentages, sparklines and periods.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

const char *
cli_value(char *tmp, size_t n, double v)
{
	if (fabs(v) >= 1e15 || (v != 0 && fabs(v) < 1e-4)) {
		snprintf(tmp, n, "%g", v);
		return tmp;
	}
	snprintf(tmp, n, fabs(v) < 1 ? "%.4f" : "%.2f", v);
	if (strchr(tmp, '.')) {
		char *e = tmp + strlen(tmp) - 1;

		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	if (!strcmp(tmp, "-0"))
		snprintf(tmp, n, "0");
	return tmp;
}

const char *
cli_pct(char *tmp, size_t n, double share)
{
	double v = share * 100;

	/* One decimal, where it says something: 50.7%, 20%. */
	if (fabs(v - floor(v + 0.5)) < 0.05)
		snprintf(tmp, n, "%.0f%%", floor(v + 0.5) + 0.0);
	else
		snprintf(tmp, n, "%.1f%%", v);
	return tmp;
}

void
cli_sparkline(struct buf *out, const double *v, size_t n)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄",
	                                   "▅", "▆", "▇", "█"};
	double lo = INFINITY, hi = -INFINITY;

	for (size_t i = 0; i < n; i++) {
		lo = fmin(lo, v[i]);
		hi = fmax(hi, v[i]);
	}
	for (size_t i = 0; i < n; i++) {
		int b = hi > lo ? (int)floor((v[i] - lo) / (hi - lo) * 7 + 0.5)
		                : 3;

		buf_adds(out, bars[b < 0 ? 0 : b > 7 ? 7 : b]);
	}
}

int
cli_fields_check(struct cli *c, int from)
{
	if (from >= c->argc)
		return cli_usage(c, "missing FIELD=VALUE");
	for (int i = from; i < c->argc; i++)
		if (!strchr(c->argv[i], '=') || c->argv[i][0] == '=')
			return cli_usage(c, "'%s' is not FIELD=VALUE",
			                 c->argv[i]);
	return 0;
}

int
cli_print_removed(struct cli *c, json_t *gone, const char *key, json_t *value)
{
	json_t *o = json_object();

	json_object_set_new(o, "removed", gone);
	if (key)
		json_object_set_new(o, key, value);
	cli_json_print(c, o);
	return 0;
}

const char *
cli_field_split(const char *arg, struct buf *field)
{
	const char *eq = strchr(arg, '=');

	buf_reset(field);
	buf_add(field, arg, (size_t)(eq - arg));
	return eq + 1;
}

/* "2026-03-01" for a midnight timestamp, else "2026-03-01 09:30". */
static void
when(struct buf *b, const char *ts)
{
	if (strlen(ts) >= 19 && strncmp(ts + 10, "T00:00:00", 9))
		buf_addf(b, "%.10s %.5s", ts, ts + 11);
	else
		buf_addf(b, "%.10s", ts);
}

static void
heading(struct cli *c, struct buf *b, const char *title, int n)
{
	struct buf h = BUF_INIT;

	buf_addf(&h, "%s (%d)", title, n);
	buf_addch(b, '\n');
	cli_styled(c, b, STYLE_BOLD, h.buf);
	buf_addch(b, '\n');
	if (!n)
		buf_adds(b, "  none\n");
	buf_release(&h);
}

static void
lb_items(struct cli *c, struct buf *b, const char *title,
         const struct cairn_lb_item *v, int n)
{
	heading(c, b, title, n);
	for (int i = 0; i < n; i++) {
		buf_addf(b, "  %.10s  #%lld %s: %s\n", v[i].when,
		         (long long)v[i].id, v[i].kind, v[i].title);
		if (v[i].why)
			buf_addf(b, "              why: %s\n", v[i].why);
	}
}

void
cli_lookback_text(struct cli *c, const struct cairn_lookback *lb,
                  const char *from, const char *to, struct buf *b)
{
	char v1[32], v2[32], v3[32], p1[32], p2[32], dur[32];

	buf_addf(b, "Look-back from %s to %s\n", from, to);
	lb_items(c, b, "Finished", lb->finished, lb->nfinished);
	lb_items(c, b, "Dropped", lb->dropped, lb->ndropped);
	lb_items(c, b, "Started", lb->started, lb->nstarted);
	/* Only when there are: most periods add no goal. */
	if (lb->nadded)
		lb_items(c, b, "Goals added", lb->added, lb->nadded);
	heading(c, b, "Statements changed", lb->nstatements);
	for (int i = 0; i < lb->nstatements; i++) {
		const struct cairn_lb_statement *s = &lb->statements[i];

		buf_addf(b, "  #%lld %s, ", (long long)s->id, s->kind);
		when(b, s->when);
		buf_addf(b, "\n    was: %s\n    now: %s\n", s->old_text,
		         s->new_text);
	}
	/* Only when there are, as goals added. */
	if (lb->nlessons)
		heading(c, b, "Lessons", lb->nlessons);
	for (int i = 0; i < lb->nlessons; i++) {
		const struct cairn_lb_lesson *l = &lb->lessons[i];

		buf_addf(b, "  %.10s  #%lld %s: %s\n", l->created,
		         (long long)l->item,
		         l->worked ? "worked" : "did not work", l->text);
	}
	heading(c, b, "Metrics", lb->nmetrics);
	for (int i = 0; i < lb->nmetrics; i++) {
		const struct cairn_lb_metric *m = &lb->metrics[i];

		buf_addf(b,
		         "  #%lld %s: %s -> %s%s%s, %s -> %s of the way to "
		         "%s (%d observation%s)\n",
		         (long long)m->item, m->name,
		         cli_value(v1, sizeof(v1), m->from),
		         cli_value(v2, sizeof(v2), m->to), *m->unit ? " " : "",
		         m->unit,
		         cli_pct(p1, sizeof(p1),
		                 cairn_metric_progress(m->baseline, m->target,
		                                       m->from) /
		                         100),
		         cli_pct(p2, sizeof(p2),
		                 cairn_metric_progress(m->baseline, m->target,
		                                       m->to) /
		                         100),
		         cli_value(v3, sizeof(v3), m->target), m->observations,
		         m->observations == 1 ? "" : "s");
	}
	heading(c, b, "Predictions resolved", lb->npredictions);
	for (int i = 0; i < lb->npredictions; i++) {
		const struct cairn_lb_prediction *p = &lb->predictions[i];

		buf_addf(b, "  %s  P%lld %4s -> %-3s  %s%s%s%s\n", p->resolved,
		         (long long)p->id, cli_pct(p1, sizeof(p1), p->p),
		         p->outcome ? "yes" : "no", p->who ? p->who : "",
		         p->who ? ": " : "", p->statement,
		         p->early ? " (early)" : "");
	}
	if (lb->npredictions)
		buf_addf(b, "  Brier score %.3f\n", lb->brier);
	cairn_duration_format(lb->minutes, dur);
	heading(c, b, "Time by goal", lb->ntime);
	for (int i = 0; i < lb->ntime; i++) {
		const struct cairn_lb_time *t = &lb->time[i];

		cairn_duration_format(t->minutes, v1);
		buf_addf(b, "  %7s %5s  ", v1,
		         cli_pct(p1, sizeof(p1),
		                 (double)t->minutes / lb->minutes));
		if (t->goal)
			buf_addf(b, "#%lld %s\n", (long long)t->goal, t->title);
		else
			buf_adds(b, "(no goal)\n");
	}
	if (lb->ntime)
		buf_addf(b, "  %7s in all\n", dur);
	heading(c, b, "Reviews", lb->nreviews);
	for (int i = 0; i < lb->nreviews; i++) {
		const struct cairn_lb_review *r = &lb->reviews[i];

		buf_adds(b, "  ");
		when(b, r->created);
		buf_addch(b, '\n');
		if (r->moved)
			buf_addf(b, "    moved: %s\n", r->moved);
		if (r->sharper)
			buf_addf(b, "    sharper: %s\n", r->sharper);
		if (r->to_drop)
			buf_addf(b, "    to drop: %s\n", r->to_drop);
		if (r->note)
			buf_addf(b, "    %s\n", r->note);
	}
}
