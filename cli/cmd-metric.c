/*
 * cmd-metric.c: `cairn metric add|log|set|rm|show`, key results on items:
 *
 *	metric add ID NAME --unit U --baseline B --target T
 *		[--lower-is-better]
 *	metric log ID NAME VALUE [--date D] [--source URL] [--note T]
 *	metric set ID NAME FIELD=VALUE...
 *	metric rm ID NAME
 *	metric show [ID] [NAME]
 *
 * show prints one line a metric (baseline, latest, target, progress),
 * with the observations when one metric is named, and the trajectory as a
 * sparkline only when the output is a terminal.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

enum {
	OPT_UNIT = 256,
	OPT_BASE,
	OPT_TARGET,
	OPT_LOWER,
	OPT_DATE,
	OPT_SRC,
	OPT_NOTE
};

static const struct option opts[] = {
        {"unit", required_argument, NULL, OPT_UNIT},
        {"baseline", required_argument, NULL, OPT_BASE},
        {"target", required_argument, NULL, OPT_TARGET},
        {"lower-is-better", no_argument, NULL, OPT_LOWER},
        {"date", required_argument, NULL, OPT_DATE},
        {"source", required_argument, NULL, OPT_SRC},
        {"note", required_argument, NULL, OPT_NOTE},
        {0},
};

struct args {
	const char *unit, *baseline, *target, *date, *source, *note;
	int lower;
	int used[8]; /* which options were given, by OPT_ - OPT_UNIT */
};

static int
number(struct cli *c, const char *what, const char *s, double *v)
{
	return cli_real(c, what, s, -INFINITY, INFINITY, 0, v);
}

/* Only the options that belong to sub may be given. */
static int
check_opts(struct cli *c, const struct args *a, const char *sub,
           const int *allowed)
{
	for (int i = 0; i < 7; i++) {
		int ok = 0;

		if (!a->used[i])
			continue;
		for (const int *o = allowed; *o; o++)
			ok |= *o == OPT_UNIT + i;
		if (!ok)
			return cli_usage(c, "'metric %s' takes no --%s", sub,
			                 opts[i].name);
	}
	return 0;
}

static int show_metrics(struct cli *c, int64_t id, const char *name);
static int log_json(struct cli *c, int64_t id, const char *name, json_t **out);

static int
metric_add(struct cli *c, const struct args *a, int argi)
{
	static const int allowed[] = {OPT_UNIT, OPT_BASE, OPT_TARGET, OPT_LOWER,
	                              0};
	double base, target;
	int64_t id;
	char b1[32], b2[32];
	int rc;

	if ((rc = check_opts(c, a, "add", allowed)))
		return rc;
	if ((rc = cli_subargs(c, argi, "ID NAME")))
		return rc;
	if (!a->baseline || !a->target)
		return cli_usage(c, "'metric add' needs --baseline and "
		                    "--target");
	if ((rc = cli_id(c, c->argv[argi], &id)) ||
	    (rc = number(c, "baseline", a->baseline, &base)) ||
	    (rc = number(c, "target", a->target, &target)))
		return rc;
	if (cli_begin(c))
		return 1;
	if (cairn_metric_add(c->st, id, c->argv[argi + 1], a->unit, base,
	                     target, a->lower, NULL, &c->err))
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	/* As `metric show ID NAME --json` prints it. */
	if (c->json)
		return show_metrics(c, id, c->argv[argi + 1]);
	fprintf(c->out, "added metric '%s' to #%lld: %s -> %s%s%s%s\n",
	        c->argv[argi + 1], (long long)id, cli_value(b1, 32, base),
	        cli_value(b2, 32, target), a->unit && *a->unit ? " " : "",
	        a->unit ? a->unit : "", a->lower ? " (lower is better)" : "");
	return 0;
}

static int
metric_log(struct cli *c, const struct args *a, int argi)
{
	static const int allowed[] = {OPT_DATE, OPT_SRC, OPT_NOTE, 0};
	struct cairn_metric m;
	char day[CAIRN_DATE_LEN], b1[32], b2[32], b3[32], b4[32];
	json_t *doc = NULL;
	double value;
	int64_t id;
	int rc;

	if ((rc = check_opts(c, a, "log", allowed)))
		return rc;
	if ((rc = cli_subargs(c, argi, "ID NAME VALUE")))
		return rc;
	if ((rc = cli_id(c, c->argv[argi], &id)) ||
	    (rc = number(c, "value", c->argv[argi + 2], &value)))
		return rc;
	if (a->date && (rc = cli_date(c, a->date, day)))
		return rc;
	if (!a->date)
		cairn_date_format(cairn_clock(), day);
	if (cli_begin(c))
		return 1;
	if (cairn_metric_log(c->st, id, c->argv[argi + 1], value, day,
	                     a->source, a->note, &c->err))
		return cli_abort(c);
	/* Read back in the change: the newest observation is this one. */
	if (c->json && log_json(c, id, c->argv[argi + 1], &doc))
		return cli_abort(c);
	if (cli_commit(c)) {
		json_decref(doc);
		return 1;
	}
	if (doc) {
		cli_json_print(c, doc);
		return 0;
	}
	if (cairn_metric_get(c->st, id, c->argv[argi + 1], &m, &c->err))
		return cli_fail(c);
	fprintf(c->out,
	        "logged %s = %s%s%s on #%lld for %s; the latest (%s) "
	        "is %s of the way from %s to %s\n",
	        m.name, cli_value(b1, 32, value), *m.unit ? " " : "", m.unit,
	        (long long)id, day, m.latest_date,
	        cli_pct(b2, 32,
	                cairn_metric_progress(m.baseline, m.target, m.latest) /
	                        100),
	        cli_value(b3, 32, m.baseline), cli_value(b4, 32, m.target));
	cairn_metric_release(&m);
	return 0;
}

/* An observation as `metric show --json` lists it. */
static json_t *
observation_json(const struct cairn_observation *o)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "date", json_string(o->date));
	json_object_set_new(j, "value", json_real(o->value));
	json_object_set_new(j, "source",
	                    o->source ? json_string(o->source) : json_null());
	json_object_set_new(j, "note",
	                    o->note ? json_string(o->note) : json_null());
	return j;
}

/* metric log --json: the observation with the largest id, the new one. */
static int
newest(void *ctx, const struct cairn_observation *o)
{
	json_t **found = ctx;

	if (*found && json_integer_value(json_object_get(*found, "id")) > o->id)
		return 0;
	json_decref(*found);
	*found = observation_json(o);
	return 0;
}

struct show {
	struct cli *c;
	json_t *all;  /* --json: array of metrics */
	json_t *obs;  /* --json: observations of the current metric */
	double *vals; /* the trajectory */
	size_t nvals, avals;
	int detail; /* one metric named: list its observations */
	struct buf lines;
};

static int
collect(void *ctx, const struct cairn_observation *o)
{
	struct show *s = ctx;

	if (s->nvals == s->avals) {
		s->avals = s->avals ? 2 * s->avals : 16;
		s->vals = xrealloc(s->vals, s->avals * sizeof(double));
	}
	s->vals[s->nvals++] = o->value;
	if (s->obs)
		json_array_append_new(s->obs, observation_json(o));
	if (s->detail && !s->c->json) {
		char b[32];

		buf_addf(&s->lines, "  %s  %10s", o->date,
		         cli_value(b, sizeof(b), o->value));
		if (o->source)
			buf_addf(&s->lines, "  %s", o->source);
		if (o->note)
			buf_addf(&s->lines, "  %s", o->note);
		buf_addch(&s->lines, '\n');
	}
	return 0;
}

static int
show_one(void *ctx, const struct cairn_metric *m)
{
	struct show *s = ctx;
	struct cli *c = s->c;
	struct buf line = BUF_INIT;
	char b1[32], b2[32], b3[32], b4[32];
	json_t *j = NULL;
	int rc;

	s->nvals = 0;
	buf_reset(&s->lines);
	if (c->json) {
		j = cairn_metric_json(m);
		s->obs = json_array();
		json_object_set_new(j, "observations", s->obs);
		json_array_append_new(s->all, j);
	}
	if ((rc = cairn_metric_observations(c->st, m->id, collect, s, &c->err)))
		return rc;
	if (c->json)
		return 0;
	buf_addf(&line, "#%lld %s: ", (long long)m->item, m->name);
	if (m->has_latest)
		buf_addf(&line, "%s%s%s on %s, %s of the way from %s to %s",
		         cli_value(b1, 32, m->latest), *m->unit ? " " : "",
		         m->unit, m->latest_date,
		         cli_pct(b2, 32,
		                 cairn_metric_progress(m->baseline, m->target,
		                                       m->latest) /
		                         100),
		         cli_value(b3, 32, m->baseline),
		         cli_value(b4, 32, m->target));
	else
		buf_addf(&line, "no observations yet; from %s to %s%s%s",
		         cli_value(b3, 32, m->baseline),
		         cli_value(b4, 32, m->target), *m->unit ? " " : "",
		         m->unit);
	buf_adds(&line, m->lower_better ? " (lower is better)"
	                                : " (higher is better)");
	if (c->tty && s->nvals > 1) {
		buf_adds(&line, "  ");
		cli_sparkline(&line, s->vals, s->nvals);
	}
	buf_addch(&line, '\n');
	fputs(line.buf, c->out);
	fputs(s->lines.buf, c->out);
	buf_release(&line);
	return 0;
}

/*
 * metric log --json: the new observation with the metric it belongs to
 * (its latest and progress now) as "metric".  0, or the error code.
 */
static int
log_json(struct cli *c, int64_t id, const char *name, json_t **out)
{
	struct cairn_metric m;
	json_t *obs = NULL;
	int rc;

	*out = NULL;
	if ((rc = cairn_metric_get(c->st, id, name, &m, &c->err)))
		return rc;
	rc = cairn_metric_observations(c->st, m.id, newest, &obs, &c->err);
	if (!rc && !obs)
		rc = cairn_err_set(&c->err, CAIRN_ENOTFOUND,
		                   "no observation of '%s' on #%lld", name,
		                   (long long)id);
	if (rc) {
		json_decref(obs);
	} else {
		json_object_set_new(obs, "metric", cairn_metric_json(&m));
		*out = obs;
	}
	cairn_metric_release(&m);
	return rc;
}

/* Print the metrics of item id (0: all), only name when not NULL. */
static int
show_metrics(struct cli *c, int64_t id, const char *name)
{
	struct show s = {c, NULL, NULL, NULL, 0, 0, 0, BUF_INIT};
	int rc;

	s.detail = name != NULL;
	if (c->json)
		s.all = json_array();
	rc = cairn_metric_each(c->st, id, name, show_one, &s, &c->err);
	free(s.vals);
	buf_release(&s.lines);
	if (rc) {
		json_decref(s.all);
		return cli_fail(c);
	}
	if (c->json) {
		/* One metric named: the object itself. */
		json_t *one = name ? json_array_get(s.all, 0) : NULL;

		if (one) {
			json_incref(one);
			json_decref(s.all);
			s.all = one;
		}
		cli_json_print(c, s.all);
	}
	return 0;
}

/* Apply argv[from..] (FIELD=VALUE each) to m; 0 or the error code. */
static int
metric_fields(struct cli *c, int from, struct cairn_metric *m)
{
	for (int i = from; i < c->argc; i++) {
		struct buf field = BUF_INIT;
		const char *v = cli_field_split(c->argv[i], &field);
		int rc = cairn_metric_parse_field(m, field.buf, v, &c->err);

		buf_release(&field);
		if (rc)
			return rc;
	}
	return 0;
}

static int
metric_set(struct cli *c, const struct args *a, int argi)
{
	static const int allowed[] = {0};
	struct cairn_metric m;
	const char *name;
	char b1[32], b2[32];
	int64_t id;
	int rc;

	if ((rc = check_opts(c, a, "set", allowed)))
		return rc;
	if ((rc = cli_subargs(c, argi, "ID NAME FIELD=VALUE...")) ||
	    (rc = cli_fields_check(c, argi + 2)) ||
	    (rc = cli_id(c, c->argv[argi], &id)))
		return rc;
	name = c->argv[argi + 1];
	/* Every value is checked on a blank metric before the store opens. */
	memset(&m, 0, sizeof(m));
	rc = metric_fields(c, argi + 2, &m);
	cairn_metric_release(&m);
	if (rc)
		return cli_usage_err(c);
	if (cli_begin(c))
		return 1;
	/* Every field onto the metric as it is, then one checked write. */
	if (cairn_metric_get(c->st, id, name, &m, &c->err))
		return cli_abort(c);
	if (metric_fields(c, argi + 2, &m))
		goto fail;
	if (cairn_metric_update(c->st, id, name, &m, &c->err))
		goto fail;
	if (cli_commit(c)) {
		cairn_metric_release(&m);
		return 1;
	}
	/* As `metric show ID NAME --json` prints it, under its new name. */
	if (c->json) {
		rc = show_metrics(c, id, m.name);
	} else {
		fprintf(c->out,
		        "updated metric '%s' on #%lld: %s -> %s%s%s%s\n",
		        m.name, (long long)id, cli_value(b1, 32, m.baseline),
		        cli_value(b2, 32, m.target), *m.unit ? " " : "", m.unit,
		        m.lower_better ? " (lower is better)" : "");
		rc = 0;
	}
	cairn_metric_release(&m);
	return rc;
fail:
	cairn_metric_release(&m);
	return cli_abort(c);
}

static int
metric_rm(struct cli *c, const struct args *a, int argi)
{
	static const int allowed[] = {0};
	struct cairn_metric m;
	json_t *gone = NULL;
	int64_t id;
	int rc, n = 0;

	if ((rc = check_opts(c, a, "rm", allowed)))
		return rc;
	if ((rc = cli_subargs(c, argi, "ID NAME")) ||
	    (rc = cli_id(c, c->argv[argi], &id)))
		return rc;
	if (cli_begin(c))
		return 1;
	/* --json names what goes, read in the same change. */
	if (cairn_metric_get(c->st, id, c->argv[argi + 1], &m, &c->err))
		return cli_abort(c);
	if (c->json)
		gone = cairn_metric_json(&m);
	cairn_metric_release(&m);
	if (cairn_metric_remove(c->st, id, c->argv[argi + 1], &n, &c->err)) {
		json_decref(gone);
		return cli_abort(c);
	}
	if (cli_commit(c)) {
		json_decref(gone);
		return 1;
	}
	if (gone)
		return cli_print_removed(c, gone, NULL, NULL);
	fprintf(c->out,
	        "removed metric '%s' from #%lld with %d observation%s\n",
	        c->argv[argi + 1], (long long)id, n, n == 1 ? "" : "s");
	return 0;
}

static int
metric_show(struct cli *c, const struct args *a, int argi)
{
	static const int allowed[] = {0};
	const char *name = NULL;
	int64_t id = 0;
	int rc;

	if ((rc = check_opts(c, a, "show", allowed)))
		return rc;
	if ((rc = cli_subargs(c, argi, "[ID] [NAME]")))
		return rc;
	if (argi < c->argc && (rc = cli_id(c, c->argv[argi], &id)))
		return rc;
	if (argi + 1 < c->argc)
		name = c->argv[argi + 1];
	if (cli_open(c))
		return 1;
	return show_metrics(c, id, name);
}

static int
cmd_metric_exec(struct cli *c)
{
	struct args a;
	const char *sub;
	int ch;

	memset(&a, 0, sizeof(a));
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch < OPT_UNIT || ch > OPT_NOTE)
			return 2;
		a.used[ch - OPT_UNIT] = 1;
		switch (ch) {
		case OPT_UNIT:
			a.unit = optarg;
			break;
		case OPT_BASE:
			a.baseline = optarg;
			break;
		case OPT_TARGET:
			a.target = optarg;
			break;
		case OPT_LOWER:
			a.lower = 1;
			break;
		case OPT_DATE:
			a.date = optarg;
			break;
		case OPT_SRC:
			a.source = optarg;
			break;
		case OPT_NOTE:
			a.note = optarg;
			break;
		}
	}
	sub = c->argv[optind];
	if (!strcmp(sub, "add"))
		return metric_add(c, &a, optind + 1);
	if (!strcmp(sub, "log"))
		return metric_log(c, &a, optind + 1);
	if (!strcmp(sub, "set"))
		return metric_set(c, &a, optind + 1);
	if (!strcmp(sub, "rm"))
		return metric_rm(c, &a, optind + 1);
	if (!strcmp(sub, "show"))
		return metric_show(c, &a, optind + 1);
	return cli_usage(c, "unknown subcommand '%s'", sub);
}

const struct cmd_entry cmd_metric_entry = {
        .name = "metric",
        .args = "add|log|set|rm|show [ARG...]",
        .usage = "metric add ID NAME --unit U --baseline B --target T "
                 "[--lower-is-better] | log ID NAME VALUE [--date D] "
                 "[--source URL] [--note T] | set ID NAME FIELD=VALUE... | "
                 "rm ID NAME | show [ID] [NAME]",
        .summary = "key results: add, change or remove a metric, log a "
                   "value, show progress",
        .help = "Progress is the share of the way from the baseline to the "
                "target, right in both directions: a cost going from 7000 to "
                "100 is 50.7% of the way there at 3500.  A target below the "
                "baseline needs --lower-is-better.  Observations may be logged "
                "out of date order; the latest by date counts.  On a terminal "
                "show draws the trajectory as a sparkline.  set changes name, "
                "unit, baseline, target or direction (lower or higher is "
                "better), all at once, keeping the observations; rm removes "
                "a metric with its observations.",
        .flags = CMD_WRITES,
        .exec = cmd_metric_exec,
};
