/*
 * item-check.c: the rules for an item's fields, without the store.
 *
 * Every path that writes an item goes through these pure validators and
 * parsers: the commands (item.c), the bulk writer (bulk.c) and every
 * importer before it writes (Taskwarrior, JSON, Markdown).  One number
 * parser (cairn_number_parse) serves the item fields and the research
 * modules.  Nothing here touches the store, so parse-only fuzzers and
 * importers can validate a whole input before the first write.
 *
 * Workload: a handful of string checks per item; importers call them
 * once per record.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

#include "core/item-int.h"
#include "banned.h"

static const char *const kind_names[] = {"goal", "milestone", "question",
                                         "idea"};
static const char *const status_names[] = {"idea",   "planned", "active",
                                           "paused", "done",    "dropped"};
static const char *const vis_names[] = {"private", "lab", "public"};

const char *const cairn_item_fields[] = {
        "title",      "body",     "kind", "scope",      "p_success",
        "novelty",    "estimate", "due",  "likelihood", "driven",
        "visibility", "status",   "rank", NULL};

static int
name_parse(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

const char *
cairn_kind_name(enum cairn_kind k)
{
	return (unsigned)k < CAIRN_KIND_COUNT ? kind_names[k] : "?";
}

int
cairn_kind_parse(const char *s)
{
	return name_parse(kind_names, CAIRN_KIND_COUNT, s);
}

const char *
cairn_status_name(enum cairn_status s)
{
	return (unsigned)s < CAIRN_STATUS_COUNT ? status_names[s] : "?";
}

const struct cairn_status_verb *
cairn_status_verb_find(const char *verb)
{
	static const struct cairn_status_verb verbs[] = {
	        {"start", CAIRN_STATUS_ACTIVE, "started"},
	        {"pause", CAIRN_STATUS_PAUSED, "paused"},
	        {"done", CAIRN_STATUS_DONE, "done"},
	        {"drop", CAIRN_STATUS_DROPPED, "dropped"},
	};

	for (size_t i = 0; verb && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(verb, verbs[i].verb))
			return &verbs[i];
	return NULL;
}

int
cairn_status_parse(const char *s)
{
	return name_parse(status_names, CAIRN_STATUS_COUNT, s);
}

const char *
cairn_driven_name(enum cairn_driven d)
{
	return d == CAIRN_DRIVEN_GOAL   ? "goal"
	       : d == CAIRN_DRIVEN_IDEA ? "idea"
	                                : NULL;
}

int
cairn_driven_parse(const char *s)
{
	if (s && !strcmp(s, "goal"))
		return CAIRN_DRIVEN_GOAL;
	if (s && !strcmp(s, "idea"))
		return CAIRN_DRIVEN_IDEA;
	return -1;
}

const char *
cairn_visibility_name(enum cairn_visibility v)
{
	return (unsigned)v <= CAIRN_VIS_PUBLIC ? vis_names[v] : "?";
}

int
cairn_visibility_parse(const char *s)
{
	return name_parse(vis_names, 3, s);
}

int
cairn_id_parse(const char *s, int64_t *id, struct cairn_err *err)
{
	const char *p = s;
	char *end;
	long long v;

	if (p && *p == '#')
		p++;
	if (!p || !isdigit((unsigned char)*p))
		goto bad;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno || *end || v <= 0)
		goto bad;
	*id = v;
	return 0;
bad:
	return cairn_err_set(err, CAIRN_EINVAL,
	                     "malformed item id '%s' (want a number like 12 "
	                     "or #12)",
	                     s ? s : "");
}

int
cairn_number_parse(const char *s, int percent, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v))
		return -1;
	/* strtod takes hex and "inf"; people write decimals. */
	for (const char *p = s; p < end; p++)
		if (isalpha((unsigned char)*p) && *p != 'e' && *p != 'E')
			return -1;
	if (percent && *end == '%' && end[1] == '\0') {
		v /= 100;
		end++;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int
parse_prob(const char *field, const char *s, double *out, struct cairn_err *err)
{
	if (cairn_number_parse(s, 1, out) || *out < 0 || *out > 1)
		return cairn_err_set(
		        err, CAIRN_EINVAL,
		        "%s must be a probability between 0 and 1, "
		        "not '%s'",
		        field, s);
	return 0;
}

static int
parse_level(const char *field, const char *s, int *out, struct cairn_err *err)
{
	double v;

	if (cairn_number_parse(s, 0, &v) || v != floor(v) || v < 1 || v > 5)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%s must be a whole number from 1 to 5, "
		                     "not '%s'",
		                     field, s);
	*out = (int)v;
	return 0;
}

int
cairn_estimate_parse(const char *s, double est[3], struct cairn_err *err)
{
	char *copy, *p, *slash;
	double v[3];
	int n = 0, rc = 0;

	p = copy = xstrdup(s ? s : "");
	for (;;) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (n == 3 || cairn_number_parse(p, 0, &v[n]) || v[n] < 0 ||
		    v[n] > 1e6)
			goto bad;
		n++;
		if (!slash)
			break;
		p = slash + 1;
	}
	if (n == 1)
		v[1] = v[2] = v[0];
	else if (n != 3)
		goto bad;
	if (v[0] > v[1] || v[1] > v[2]) {
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "estimate '%s' must be optimistic <= likely "
		                   "<= pessimistic",
		                   s);
		goto out;
	}
	memcpy(est, v, sizeof(v));
	goto out;
bad:
	rc = cairn_err_set(err, CAIRN_EINVAL,
	                   "malformed estimate '%s' (want working days as "
	                   "O/M/P, like 5/10/20)",
	                   s ? s : "");
out:
	free(copy);
	return rc;
}

int
cairn_text_check(const char *what, const char *s, int required,
                 struct cairn_err *err)
{
	if (required && (!s || !s[strspn(s, " \t\r\n")]))
		return cairn_err_set(err, CAIRN_EINVAL, "%s must not be empty",
		                     what);
	if (s && strlen(s) > CAIRN_TEXT_MAX)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "%s is longer than %d bytes", what,
		                     CAIRN_TEXT_MAX);
	return 0;
}

/*
 * Titles, statements, tags, labels and reasons are one line: a newline,
 * tab or escape would break every aligned view (and could drive the
 * terminal).  Bodies and notes may span lines.
 */
int
cairn_line_check(const char *what, const char *s, struct cairn_err *err)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; u && u[i]; i++)
		if (u[i] < 0x20 || u[i] == 0x7f)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "%s must be one line without "
			                     "control characters (byte %zu is "
			                     "0x%02x)",
			                     what, i + 1, u[i]);
	return 0;
}

int
cairn_uuid_ok(const char *s)
{
	uuid_t u;

	return s && strlen(s) == 36 && uuid_parse(s, u) == 0;
}

int
cairn_url_ok(const char *url)
{
	size_t n;

	if (!url)
		return 0;
	n = strlen(url);
	if (n > 8192)
		return 0;
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8) &&
	    strncasecmp(url, "mailto:", 7))
		return 0;
	if ((!strncasecmp(url, "mailto:", 7) && n == 7) ||
	    (!strncasecmp(url, "http://", 7) && n == 7) ||
	    (!strncasecmp(url, "https://", 8) && n == 8))
		return 0;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

/* An optional time stamp (or date) field: empty, or well-formed. */
static int
check_time(const char *what, const char *s, int date_only,
           struct cairn_err *err)
{
	if (!*s || !cairn_ts_check(s, date_only))
		return 0;
	return cairn_err_set(err, CAIRN_EINVAL, "malformed %s '%s'", what, s);
}

int
cairn_item_check(const struct cairn_item *it, struct cairn_err *err)
{
	int rc;

	if (it->uuid[0] && !cairn_uuid_ok(it->uuid))
		return cairn_err_set(err, CAIRN_EINVAL, "malformed uuid '%s'",
		                     it->uuid);
	if ((unsigned)it->kind >= CAIRN_KIND_COUNT)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown kind");
	if ((unsigned)it->status > CAIRN_STATUS_COUNT)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown status");
	/* CAIRN_VIS_INHERIT: cairn_item_add gives it the parent's. */
	if ((unsigned)it->visibility > CAIRN_VIS_PUBLIC &&
	    it->visibility != CAIRN_VIS_INHERIT)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown visibility");
	if ((unsigned)it->driven > CAIRN_DRIVEN_IDEA)
		return cairn_err_set(err, CAIRN_EINVAL, "unknown driven");
	if ((rc = cairn_text_check("title", it->title, 1, err)) ||
	    (rc = cairn_line_check("title", it->title, err)) ||
	    (rc = cairn_text_check("body", it->body, 0, err)) ||
	    (rc = cairn_text_check("reason", it->why, 0, err)) ||
	    (rc = cairn_line_check("reason", it->why, err)))
		return rc;
	if (it->scope && (it->scope < 1 || it->scope > 5))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "scope must be from 1 to 5, not %d",
		                     it->scope);
	if (it->novelty && (it->novelty < 1 || it->novelty > 5))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "novelty must be from 1 to 5, not %d",
		                     it->novelty);
	if (it->p_success > 1 || isnan(it->p_success))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "p_success must be between 0 and 1");
	if (it->likelihood > 1 || isnan(it->likelihood))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "likelihood must be between 0 and 1");
	if (it->rank < 0 || it->rank > CAIRN_RANK_MAX)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "rank must be from 1 to %d, not %d",
		                     CAIRN_RANK_MAX, it->rank);
	if (it->est[0] >= 0 &&
	    (!(it->est[0] <= it->est[1]) || !(it->est[1] <= it->est[2]) ||
	     !(it->est[2] <= 1e6)))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "estimate must be optimistic <= likely <= "
		                     "pessimistic");
	if ((rc = check_time("due date", it->due, 1, err)) ||
	    (rc = check_time("created time", it->created, 0, err)) ||
	    (rc = check_time("start time", it->started, 0, err)) ||
	    (rc = check_time("finish time", it->finished, 0, err)))
		return rc;
	return 0;
}

void
item_default_status(struct cairn_item *it)
{
	if (it->status == CAIRN_STATUS_COUNT)
		it->status = it->kind == CAIRN_KIND_IDEA ? CAIRN_STATUS_IDEA
		                                         : CAIRN_STATUS_PLANNED;
}

void
item_stamp_new(struct cairn_item *it)
{
	if (it->status == CAIRN_STATUS_ACTIVE && !it->started[0])
		memcpy(it->started, it->created, sizeof(it->started));
	if ((it->status == CAIRN_STATUS_DONE ||
	     it->status == CAIRN_STATUS_DROPPED) &&
	    !it->finished[0])
		memcpy(it->finished, it->created, sizeof(it->finished));
}

int
cairn_tag_check(const char *tag, struct cairn_err *err)
{
	if (!tag || !*tag)
		return cairn_err_set(err, CAIRN_EINVAL, "empty tag");
	for (const char *p = tag; *p; p++)
		if (isspace((unsigned char)*p) || *p == ',')
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "tag '%s' must not contain spaces "
			                     "or commas",
			                     tag);
	if (strlen(tag) > 100)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "tag '%.100s...' is longer than 100 bytes",
		                     tag);
	return cairn_line_check("tag", tag, err);
}

int
cairn_link_check(const char *url, const char *label, struct cairn_err *err)
{
	int rc;

	if (!url ||
	    (strncasecmp(url, "http://", 7) &&
	     strncasecmp(url, "https://", 8) && strncasecmp(url, "mailto:", 7)))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "link '%.200s' must start with http://, "
		                     "https:// or mailto:",
		                     url ? url : "");
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return cairn_err_set(
			        err, CAIRN_EINVAL,
			        "link '%.200s' contains a space or "
			        "control character",
			        url);
	if (!cairn_url_ok(url))
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "link '%.200s' has no address or is "
		                     "longer than 8192 bytes",
		                     url);
	if ((rc = cairn_text_check("label", label, 0, err)) ||
	    (rc = cairn_line_check("label", label, err)))
		return rc;
	return 0;
}

int
cairn_note_check(const char *text, struct cairn_err *err)
{
	return cairn_text_check("note", text, 1, err);
}

static int
is_clear(const char *v)
{
	return !v || !*v || !strcmp(v, "none") || !strcmp(v, "-");
}

static void
replace_str(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src ? src : "");
}

int
cairn_item_parse_field(struct cairn_item *it, const char *field,
                       const char *value, struct cairn_err *err)
{
	char f[32];
	int v, rc;

	snprintf(f, sizeof(f), "%s", field ? field : "");
	for (char *p = f; *p; p++)
		if (*p == '-')
			*p = '_';
	if (!strcmp(f, "title")) {
		if ((rc = cairn_text_check(f, value, 1, err)) ||
		    (rc = cairn_line_check(f, value, err)))
			return rc;
		replace_str(&it->title, value);
		return 0;
	}
	if (!strcmp(f, "body")) {
		if ((rc = cairn_text_check(f, value, 0, err)))
			return rc;
		replace_str(&it->body, is_clear(value) ? "" : value);
		return 0;
	}
	if (!strcmp(f, "kind")) {
		if ((v = cairn_kind_parse(value)) < 0)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "unknown kind '%s' (want goal, "
			                     "milestone, question or idea)",
			                     value ? value : "");
		it->kind = v;
		return 0;
	}
	if (!strcmp(f, "scope") || !strcmp(f, "novelty")) {
		v = 0;
		if (!is_clear(value) && (rc = parse_level(f, value, &v, err)))
			return rc;
		*(f[0] == 's' ? &it->scope : &it->novelty) = v;
		return 0;
	}
	if (!strcmp(f, "p_success") || !strcmp(f, "likelihood")) {
		double d = -1;

		if (!is_clear(value) && (rc = parse_prob(f, value, &d, err)))
			return rc;
		*(f[0] == 'p' ? &it->p_success : &it->likelihood) = d;
		return 0;
	}
	if (!strcmp(f, "rank")) {
		double d = 0;

		if (!is_clear(value) &&
		    (cairn_number_parse(value, 0, &d) || d != floor(d) ||
		     d < 1 || d > CAIRN_RANK_MAX))
			return cairn_err_set(
			        err, CAIRN_EINVAL,
			        "rank must be a whole number from 1 "
			        "to %d, or none, not '%s'",
			        CAIRN_RANK_MAX, value);
		it->rank = (int)d;
		return 0;
	}
	if (!strcmp(f, "estimate")) {
		double est[3] = {-1, -1, -1};

		if (!is_clear(value) &&
		    (rc = cairn_estimate_parse(value, est, err)))
			return rc;
		memcpy(it->est, est, sizeof(est));
		return 0;
	}
	if (!strcmp(f, "due")) {
		if (is_clear(value)) {
			it->due[0] = '\0';
			return 0;
		}
		return cairn_date_parse(value, it->due, err);
	}
	if (!strcmp(f, "driven")) {
		if (is_clear(value)) {
			it->driven = CAIRN_DRIVEN_NONE;
			return 0;
		}
		if ((v = cairn_driven_parse(value)) < 0)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "driven must be 'goal' or 'idea', "
			                     "not '%s'",
			                     value);
		it->driven = v;
		return 0;
	}
	if (!strcmp(f, "visibility")) {
		if ((v = cairn_visibility_parse(value)) < 0)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "visibility must be private, lab "
			                     "or public, not '%s'",
			                     value ? value : "");
		it->visibility = v;
		return 0;
	}
	if (!strcmp(f, "status")) {
		if ((v = cairn_status_parse(value)) < 0)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "unknown status '%s' (want idea, "
			                     "planned, active, paused or done)",
			                     value ? value : "");
		if (v == CAIRN_STATUS_DROPPED)
			return cairn_err_set(err, CAIRN_EINVAL,
			                     "dropping needs a reason: use "
			                     "'drop ID --why TEXT'");
		it->status = v;
		return 0;
	}
	return cairn_err_set(err, CAIRN_ENOTFOUND,
	                     "unknown field '%s' (fields: title, body, kind, "
	                     "scope, p_success, novelty, estimate, due, "
	                     "likelihood, driven, visibility, status, rank)",
	                     field ? field : "");
}
