/*
 * md-metric.c: the metric lines of an item ("Metric: NAME (UNIT) from
 * BASELINE to TARGET; ..."): written by md_metric_line, recognised and
 * saved on import exactly as written.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fmt/md-int.h"
#include "research/metric-int.h"
#include "research/research-int.h"
#include "banned.h"

/* ---- metric lines ---- */

/*
 * Does block c of item end a run of body blocks: a nested list, or the
 * progress line export writes (derived from that list)?
 */
int
md_boundary(const struct mdi *m, cmark_node *item, cmark_node *c)
{
	size_t d, tot;

	return cmark_node_get_type(c) == CMARK_NODE_LIST ||
	       (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH &&
	        md_progress_line(c, &d, &tot) &&
	        md_derived_progress(m, item, c, d, tot));
}

/* The last occurrence of pat in the n bytes at s, or NULL. */
static const char *
last_of(const char *s, size_t n, const char *pat)
{
	size_t k = strlen(pat);

	for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
		if (!memcmp(s + i, pat, k))
			return s + i;
	return NULL;
}

/* The first occurrence of pat in the n bytes at s, or NULL. */
static const char *
first_of(const char *s, size_t n, const char *pat)
{
	size_t k = strlen(pat);

	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(s + i, pat, k))
			return s + i;
	return NULL;
}

/* The n bytes at s with backslash escapes undone, as a new string. */
static char *
unescape(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (unsigned char)s[i + 1] < 0x80 &&
		    ispunct((unsigned char)s[i + 1]))
			i++;
		buf_addch(&b, s[i]);
	}
	return buf_detach(&b, NULL);
}

/* A number as fmt_num writes it (n bytes at s), and nothing else. */
static int
number_at(const char *s, size_t n, double *v)
{
	char tmp[32], canon[32], *end;

	if (!n || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	if (*end || !isfinite(*v))
		return 0;
	fmt_num(canon, *v);
	return !strcmp(canon, tmp);
}

enum { ML_NONE, ML_OK, ML_BAD };

/*
 * Is the n bytes at t (one line, without its indentation) a metric line
 * as metric_line writes it?  The line is split from the right (numbers
 * and dates hold no spaces; the name's parentheses are escaped), the
 * parts are read back, and the line metric_line makes of them must be
 * t, byte for byte: so "(P% of the way)" is checked, not stored, and any
 * other spelling is the item's own text.  ML_OK: *ml is filled (the
 * caller releases it); ML_BAD: the line has the shape but a value cairn
 * refuses, which *why names; ML_NONE: not a metric line.
 */
static int
metric_parse(const char *t, size_t n, struct cairn_metric *ml, struct buf *why)
{
	static const char pre[] = "Metric: ", way[] = "% of the way)";
	struct buf canon = BUF_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	char day[CAIRN_DATE_LEN];
	const char *s, *e, *p, *q, *v;
	size_t i;
	int rc = ML_NONE;

	cairn_metric_init(ml);
	if (n < strlen(pre) + 1 || memcmp(t, pre, strlen(pre)) ||
	    t[n - 1] != '.')
		return ML_NONE;
	s = t + strlen(pre);
	e = t + n - 1;
	/* "; latest VALUE on DATE (P% of the way)" */
	if ((size_t)(e - s) > strlen(way) &&
	    !memcmp(e - strlen(way), way, strlen(way))) {
		if (!(p = last_of(s, (size_t)(e - s), "; latest ")))
			return ML_NONE;
		v = p + strlen("; latest ");
		if (!(q = first_of(v, (size_t)(e - v), " on ")) ||
		    !number_at(v, (size_t)(q - v), &ml->latest) ||
		    (size_t)(e - q) < 4 + 10)
			return ML_NONE;
		memcpy(ml->latest_date, q + 4, 10);
		ml->latest_date[10] = '\0';
		ml->has_latest = 1;
		e = p;
	}
	/* " from BASELINE to TARGET" */
	if (!(p = last_of(s, (size_t)(e - s), " from ")) ||
	    !(q = first_of(p + 6, (size_t)(e - p - 6), " to ")) ||
	    !number_at(p + 6, (size_t)(q - p - 6), &ml->baseline) ||
	    !number_at(q + 4, (size_t)(e - q - 4), &ml->target))
		return ML_NONE;
	/* "NAME" or "NAME (UNIT)": the first unescaped " (" opens UNIT */
	for (i = 0; s + i < p; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == ' ' && s + i + 1 < p && s[i + 1] == '(')
			break;
	}
	if (s + i < p && p[-1] == ')') {
		ml->name = unescape(s, i);
		ml->unit = unescape(s + i + 2, (size_t)(p - 1 - (s + i + 2)));
	} else {
		ml->name = unescape(s, (size_t)(p - s));
		ml->unit = xstrdup("");
	}
	md_metric_line(&canon, ml);
	if (canon.len != n || memcmp(canon.buf, t, n))
		goto out;
	/* The rules of metric add and metric log, before anything is
	 * written. */
	ml->lower_better = ml->target < ml->baseline;
	rc = ML_BAD;
	if (cairn_metric_check(ml->name, ml->unit, ml->baseline, ml->target,
	                       ml->lower_better, &err) ||
	    (ml->has_latest &&
	     cairn_observation_check(ml->name, ml->latest, ml->latest_date, day,
	                             &err)))
		buf_adds(why, err.msg);
	else
		rc = ML_OK;
out:
	buf_release(&canon);
	if (rc != ML_OK)
		cairn_metric_release(ml);
	return rc;
}

void
md_free_mparas(struct mpara *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cairn_metric_release(&v[i].m);
	free(v);
}

int
md_is_mpara(const struct mpara *v, size_t n, cmark_node *c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].node == c)
			return 1;
	return 0;
}

/*
 * The metric lines among the blocks of item from "from" on.  Export
 * writes them after the body, right before the progress line and the
 * nested list: so only a run of them that ends the item, or comes right
 * before a nested list or the derived progress line, is taken.  Walking
 * back from there, the run stops at the first paragraph that is not a
 * metric line, or names a metric that a later line names (the last
 * wins): that one and everything before it stay body text, in place.
 * *v gets the metrics in file order.
 */
void
md_find_metrics(struct mdi *m, cmark_node *item, cmark_node *from, int strip,
                struct mpara **v, size_t *n)
{
	struct buf text = BUF_INIT, why = BUF_INIT;
	cmark_node *stop = from ? cmark_node_previous(from) : NULL;
	int in_run = 1;

	*v = NULL;
	*n = 0;
	for (cmark_node *c = from ? cmark_node_last_child(item) : NULL;
	     c && c != stop; c = cmark_node_previous(c)) {
		struct cairn_metric ml;
		int line = cmark_node_get_start_line(c), r, dup = 0;

		if (md_boundary(m, item, c)) {
			in_run = 1;
			continue;
		}
		if (!in_run)
			continue;
		in_run = 0;
		if (cmark_node_get_type(c) != CMARK_NODE_PARAGRAPH ||
		    md_end_line(&m->lines, c) != line)
			continue;
		buf_reset(&text);
		buf_reset(&why);
		md_slice(&m->lines, line, line, strip, 0, &text);
		r = metric_parse(text.buf, text.len, &ml, &why);
		for (size_t i = 0; r == ML_OK && i < *n; i++)
			dup |= !strcmp((*v)[i].m.name, ml.name);
		if (dup) {
			buf_addf(&why, "a later line names metric '%.200s' too",
			         ml.name);
			r = ML_BAD;
		}
		if (r == ML_BAD)
			imp_warn(m->im,
			         "%s, line %d: metric line not imported (%s); "
			         "it stays in the body",
			         m->im->source, md_line_no(m, line), why.buf);
		if (r != ML_OK) {
			cairn_metric_release(&ml);
			continue;
		}
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].node = c;
		(*v)[*n].guessed = 0;
		(*v)[(*n)++].m = ml;
		in_run = 1;
	}
	/* Found last first: into file order. */
	for (size_t i = 0; i < *n / 2; i++) {
		struct mpara tmp = (*v)[i];

		(*v)[i] = (*v)[*n - 1 - i];
		(*v)[*n - 1 - i] = tmp;
	}
	buf_release(&text);
	buf_release(&why);
}

/*
 * Record the metrics on item id: a metric is matched by item and name
 * (unique together), an existing one takes the file's unit, baseline and
 * target; the latest observation is added unless the metric has one
 * with the same date and value.
 */
int
md_save_metrics(struct mdi *m, int64_t id, const struct mpara *v, size_t n)
{
	struct imp *im = m->im;
	int rc = 0;

	if (n && (rc = imp_flush(im)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		struct cairn_metric ml = v[i].m;
		enum metric_put done;
		int64_t mid = 0;
		int added = 0;

		ml.item = id;
		/* A guessed metric leaves one of that name alone: the
		 * store's own, or the file's line. */
		if ((rc = metric_put(im->st, &ml, im->now, v[i].guessed, &mid,
		                     &done, im->err)))
			break;
		if (v[i].guessed && done == METRIC_SAME)
			continue;
		if (done != METRIC_SAME)
			im->stats->rows++;
		if (done == METRIC_ADDED) {
			char a[32], b[32];

			fmt_num(a, ml.baseline);
			fmt_num(b, ml.target);
			imp_created(im,
			            "metric %s%s%s%s on #%lld from %s to "
			            "%s, %s is better",
			            ml.name, *ml.unit ? " (" : "", ml.unit,
			            *ml.unit ? ")" : "", (long long)id, a, b,
			            ml.lower_better ? "lower" : "higher");
		}
		if (ml.has_latest &&
		    !(rc = metric_observe(im->st, mid, id, ml.latest_date,
		                          ml.latest, NULL, NULL, im->now, 1,
		                          &added, im->err)))
			im->stats->rows += (size_t)added;
	}
	return rc;
}

/*
 * A metric as one line, its numeric target and where it stands:
 * "Metric: NAME (UNIT) from BASELINE to TARGET; latest VALUE on DATE
 * (P% of the way)." without the unit when it has none and without the
 * latest part when it has no observation.  Parentheses in the name are
 * escaped, so that the first unescaped " (" starts the unit: import
 * reads the line back (metric_parse) by comparing it with this one.
 */
void
md_metric_line(struct buf *line, const struct cairn_metric *m)
{
	const char *name = m->name;
	char a[32], b[32], c[32];

	fmt_num(a, m->baseline);
	fmt_num(b, m->target);
	buf_adds(line, "Metric: ");
	for (;;) {
		size_t n = strcspn(name, "()");

		md_esc_inline(line, name, n, 0);
		if (!name[n])
			break;
		buf_addch(line, '\\');
		buf_addch(line, name[n]);
		name += n + 1;
	}
	if (m->unit && *m->unit) {
		buf_adds(line, " (");
		md_esc_inline(line, m->unit, strlen(m->unit), 0);
		buf_addch(line, ')');
	}
	buf_addf(line, " from %s to %s", a, b);
	if (m->has_latest) {
		fmt_num(c, m->latest);
		buf_addf(line, "; latest %s on %s (%.1f%% of the way)", c,
		         m->latest_date,
		         cairn_metric_progress(m->baseline, m->target,
		                               m->latest));
	}
	buf_addch(line, '.');
}

/* ---- numeric targets in prose ---- */

/*
 * An amount of money at s ("$7,000", "$100", "$1.5k", "€20", "£3M"):
 * its value, its unit (an ISO code) and where it ends.  Commas only as
 * thousands separators; k, M and B multiply when no letter follows.
 */
static int
money_at(const char *s, double *v, const char **unit, const char **end)
{
	char num[40];
	size_t n = 0, digits = 0;
	double mult = 1;

	if (*s == '$')
		*unit = "USD", s++;
	else if (!strncmp(s, "\xe2\x82\xac", 3))
		*unit = "EUR", s += 3;
	else if (!strncmp(s, "\xc2\xa3", 2))
		*unit = "GBP", s += 2;
	else
		return 0;
	while (n < sizeof(num) - 1) {
		if (isdigit((unsigned char)*s)) {
			num[n++] = *s++;
			digits++;
		} else if (*s == ',' && digits &&
		           isdigit((unsigned char)s[1]) &&
		           isdigit((unsigned char)s[2]) &&
		           isdigit((unsigned char)s[3]) &&
		           !isdigit((unsigned char)s[4])) {
			s++;
		} else if (*s == '.' && digits &&
		           isdigit((unsigned char)s[1]) && !strchr(num, '.')) {
			num[n++] = *s++;
		} else {
			break;
		}
	}
	num[n] = '\0';
	if (!digits || cairn_number_parse(num, 0, v))
		return 0;
	if (strchr("kKMB", *s) && *s && !isalnum((unsigned char)s[1])) {
		mult = *s == 'B' ? 1e9 : *s == 'M' ? 1e6 : 1e3;
		s++;
	}
	*v *= mult;
	*end = s;
	return 1;
}

/* Does word w (lower case) start at s, ending at a word boundary? */
static const char *
word_at(const char *s, const char *w)
{
	size_t n = strlen(w);

	if (strncasecmp(s, w, n) || isalnum((unsigned char)s[n]))
		return NULL;
	return s + n;
}

/* Skip spaces and the hedges people put before a number. */
static const char *
skip_hedges(const char *s)
{
	static const char *const hedge[] = {
	        "about", "around", "roughly", "approximately",
	        "is",    "at",     "just",    "only"};
	int again = 1;

	while (again) {
		again = 0;
		while (*s == ' ' || *s == ':' || *s == '~' || *s == '\t')
			s++;
		for (size_t i = 0; i < sizeof(hedge) / sizeof(*hedge); i++) {
			const char *e = word_at(s, hedge[i]);

			if (e) {
				s = e;
				again = 1;
				break;
			}
		}
	}
	return s;
}

int
md_guess_metric(const char *text, struct cairn_metric *out)
{
	static const struct {
		const char *w;
		int lower;
	} cmp[] = {{"less than", 1}, {"under", 1},      {"below", 1},
	           {"at most", 1},   {"fewer than", 1}, {"more than", 0},
	           {"over", 0},      {"above", 0},      {"at least", 0}};
	static const char *const now[] = {"currently", "today", "now"};
	const char *tunit = NULL, *bunit = NULL, *end;
	double target = 0, base = 0;
	int lower = 0;

	for (const char *s = text; *s; s++) {
		if (s > text && isalnum((unsigned char)s[-1]))
			continue;
		for (size_t i = 0; !tunit && i < sizeof(cmp) / sizeof(*cmp);
		     i++) {
			const char *e = word_at(s, cmp[i].w);

			if (e &&
			    money_at(skip_hedges(e), &target, &tunit, &end))
				lower = cmp[i].lower;
		}
		for (size_t i = 0; !bunit && i < sizeof(now) / sizeof(*now);
		     i++) {
			const char *e = word_at(s, now[i]);

			if (e && !money_at(skip_hedges(e), &base, &bunit, &end))
				bunit = NULL;
		}
	}
	/* Both numbers, in one unit, the target beyond the baseline. */
	if (!tunit || !bunit || strcmp(tunit, bunit) || target == base ||
	    (lower ? target > base : target < base))
		return 0;
	cairn_metric_init(out);
	out->name = xstrdup("cost");
	out->unit = xstrdup(tunit);
	out->baseline = base;
	out->target = target;
	out->lower_better = lower;
	return 1;
}
