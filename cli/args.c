/*
 * args.c: the command line's arguments, checked and typed before any
 * store is opened: option parsing, the count of positional arguments each
 * entry declares, ids, numbers, dates, names from a list, formats, and
 * the UTF-8 check of the whole line.
 *
 * The rule they keep: a malformed option or argument is a usage error
 * (status 2, one line naming the input and the command's usage); only a
 * well-formed request that then fails is status 1.  Values go through the
 * library's parsers (cairn_id_parse, cairn_date_parse, cairn_number_parse,
 * the *_parse name lookups, cairn_format_parse): nothing in cli/ reads
 * digits itself.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

/* The count of positional arguments .args allows, and the name of each
 * word (for "missing NAME"). */
struct argspec {
	int min, max; /* max -1: any number */
	char names[8][32];
	int nnames;
};

static void
argspec_parse(const char *spec, struct argspec *a)
{
	memset(a, 0, sizeof(*a));
	while (spec && *spec) {
		size_t n = strcspn(spec, " ");
		int optional = *spec == '[' && n >= 2 && spec[n - 1] == ']';
		/* The word without its brackets: "[FILE...]" is "FILE...". */
		const char *w = spec + optional;
		size_t wn = n - 2 * (size_t)optional;
		int many = wn >= 3 && !strncmp(w + wn - 3, "...", 3);

		if (many)
			wn -= 3;
		if (a->nnames < 8) {
			snprintf(a->names[a->nnames], sizeof(a->names[0]),
			         "%.*s", (int)wn, w);
			a->nnames++;
		}
		if (!optional)
			a->min++;
		if (many || a->max < 0)
			a->max = -1;
		else
			a->max++;
		spec += n;
		while (*spec == ' ')
			spec++;
	}
}

int
cli_args(struct cli *c, int from)
{
	return cli_subargs(c, from, c->entry->args);
}

int
cli_subargs(struct cli *c, int from, const char *spec)
{
	struct argspec a;
	int n = c->argc - from;

	argspec_parse(spec, &a);
	if (n < a.min)
		return cli_usage(c, "missing %s",
		                 a.names[n < a.nnames ? n : a.nnames - 1]);
	if (a.max >= 0 && n > a.max)
		return a.max ? cli_usage(c, "too many arguments (from '%s')",
		                         c->argv[from + a.max])
		             : cli_usage(c, "unexpected argument '%s'",
		                         c->argv[from]);
	return 0;
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
	} else if (ch == -1 && cli_args(c, optind)) {
		ch = '?';
	}
	return ch;
}

int
cli_id(struct cli *c, const char *s, int64_t *id)
{
	/* A uuid prefix names the item on any machine (sync). */
	if (cairn_uuid_prefix_ok(s)) {
		if (cli_open(c))
			return 1;
		return cairn_item_by_uuid(c->st, s, id, &c->err)
		               ? (c->err.code == CAIRN_EINVAL ? cli_usage_err(c)
		                                              : cli_fail(c))
		               : 0;
	}
	if (cairn_id_parse(s, id, &c->err))
		return cli_usage_err(c);
	return 0;
}

int
cli_uint(struct cli *c, const char *what, const char *s, uint64_t min,
         uint64_t max, uint64_t *out)
{
	double v;

	/* Digits only: the number parser also reads "-1", "1.5" and "1e3",
	 * and people mean digits.  2^64 and past are out of range. */
	if (!*s || s[strspn(s, "0123456789")] || cairn_number_parse(s, 0, &v) ||
	    v >= 0x1p64 || v < (double)min || v > (double)max)
		goto bad;
	*out = (uint64_t)v;
	/* A double rounds past 2^53 ((double)max may have rounded up too):
	 * where the exact value counts (max up to CLI_UINT_EXACT), digits
	 * that did not read back exactly (2^53 + 1) are out of range. */
	if (*out > max)
		goto bad;
	if (max <= CLI_UINT_EXACT && v >= 0x1p53) {
		char back[32];
		const char *d = s + strspn(s, "0");

		snprintf(back, sizeof(back), "%" PRIu64, *out);
		if (strcmp(back, d))
			goto bad;
	}
	return 0;
bad:
	return cli_usage(c,
	                 "%s must be a whole number from %" PRIu64
	                 " to %" PRIu64 ", not '%s'",
	                 what, min, max, s);
}

int
cli_int(struct cli *c, const char *what, const char *s, int min, int max,
        int *out)
{
	uint64_t v;
	int rc;

	/* The callers' ranges start at 0 or above. */
	if ((rc = cli_uint(c, what, s, (uint64_t)(min < 0 ? 0 : min),
	                   (uint64_t)max, &v)))
		return rc;
	*out = (int)v;
	return 0;
}

int
cli_real(struct cli *c, const char *what, const char *s, double min, double max,
         int percent, double *out)
{
	size_t n = strlen(s);
	struct buf num = BUF_INIT;
	double v;
	int bad;

	/* "20%" is 20 here, where the library's percent reads 0.2: the
	 * number is read without its '%'. */
	if (percent && n && s[n - 1] == '%')
		n--;
	buf_add(&num, s, n);
	bad = cairn_number_parse(num.buf, 0, &v) || v < min || v > max;
	buf_release(&num);
	if (!bad) {
		*out = v;
		return 0;
	}
	if (isinf(min) && isinf(max))
		return cli_usage(c, "%s must be a number, not '%s'", what, s);
	return cli_usage(c, "%s must be a number from %g to %g, not '%s'", what,
	                 min, max, s);
}

int
cli_date(struct cli *c, const char *s, char out[CAIRN_DATE_LEN])
{
	if (cairn_date_parse(s, out, &c->err))
		return cli_usage_err(c);
	return 0;
}

int
cli_enum(struct cli *c, const char *what, const char *s,
         int (*parse)(const char *), const char *choices, int *out)
{
	if ((*out = parse(s)) < 0)
		return cli_usage(c, "unknown %s '%s' (want %s)", what, s,
		                 choices);
	return 0;
}

int
cli_visibility(struct cli *c, const char *s, int *vis)
{
	return cli_enum(c, "visibility", s, cairn_visibility_parse,
	                "private, lab or public", vis);
}

int
cli_weeks(struct cli *c, const char *s, int *weeks)
{
	return cli_int(c, "weeks", s, 1, CAIRN_WEEKS_MAX, weeks);
}

int
cli_format(struct cli *c, const char *s, unsigned dir, int *f)
{
	struct buf names = BUF_INIT;
	int rc;

	*f = cairn_format_parse(s);
	if (*f >= 0 && (cairn_format_dir(*f) & dir) == dir)
		return 0;
	cairn_format_names(dir, ", ", &names);
	rc = cli_usage(c, "cannot %s format '%s' (%s formats: %s)",
	               dir & CAIRN_FORMAT_OUT ? "export" : "import", s,
	               dir & CAIRN_FORMAT_OUT ? "export" : "import", names.buf);
	buf_release(&names);
	return rc;
}

int
cli_check_utf8(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		size_t bad = cairn_utf8_check(argv[i], strlen(argv[i]));

		if (bad) {
			fprintf(stderr,
			        "cairn: invalid UTF-8 in argument %d at byte "
			        "offset %zu (see 'cairn help')\n",
			        i, bad - 1);
			return 2;
		}
	}
	return 0;
}
