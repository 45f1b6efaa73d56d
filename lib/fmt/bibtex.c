/*
 * bibtex.c: BibTeX in, through btparse (see bibtex.h).
 *
 * Invariants: a parse either returns every regular entry of the text or
 * nothing; btparse's diagnostics never reach the terminal (stderr is
 * pointed at a temporary file while btparse runs, then restored, and the
 * first error found there becomes the message).  Strings leave this file
 * as NFC UTF-8 with no TeX markup.
 *
 * Workload: reference lists of a few thousand entries; everything is held
 * in memory, and the TeX conversion is linear in the text.
 */
#include <btparse.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utf8proc.h>

#include "cairn/fmt/bibtex.h"
#include "cairn/core/width.h"
#include "banned.h"

/* TeX accent commands and the combining marks they stand for. */
static const struct {
	char cmd;
	int32_t mark;
} accents[] = {
        {'"', 0x308}, {'\'', 0x301}, {'`', 0x300}, {'^', 0x302},
        {'~', 0x303}, {'=', 0x304},  {'.', 0x307}, {'u', 0x306},
        {'v', 0x30C}, {'H', 0x30B},  {'c', 0x327}, {'k', 0x328},
        {'r', 0x30A}, {'d', 0x323},  {'b', 0x331}, {'t', 0x361},
};

/* Control words that stand for a character or a word. */
static const struct {
	const char *cmd;
	const char *text;
} symbols[] = {
        {"ss", "ß"},
        {"SS", "SS"},
        {"ae", "æ"},
        {"AE", "Æ"},
        {"oe", "œ"},
        {"OE", "Œ"},
        {"o", "ø"},
        {"O", "Ø"},
        {"aa", "å"},
        {"AA", "Å"},
        {"l", "ł"},
        {"L", "Ł"},
        {"i", "ı"},
        {"j", "ȷ"},
        {"dh", "ð"},
        {"DH", "Ð"},
        {"th", "þ"},
        {"TH", "Þ"},
        {"ng", "ŋ"},
        {"NG", "Ŋ"},
        {"dj", "đ"},
        {"DJ", "Đ"},
        {"TeX", "TeX"},
        {"LaTeX", "LaTeX"},
        {"BibTeX", "BibTeX"},
        {"textendash", "–"},
        {"textemdash", "—"},
        {"textquoteleft", "‘"},
        {"textquoteright", "’"},
        {"textquotedblleft", "“"},
        {"textquotedblright", "”"},
        {"ldots", "…"},
        {"dots", "…"},
        {"textellipsis", "…"},
        {"S", "§"},
        {"P", "¶"},
        {"dag", "†"},
        {"pounds", "£"},
        {"euro", "€"},
        {"copyright", "©"},
        {"textregistered", "®"},
        {"texttrademark", "™"},
        {"times", "×"},
        {"pm", "±"},
        {"infty", "∞"},
        {"alpha", "α"},
        {"beta", "β"},
        {"gamma", "γ"},
        {"delta", "δ"},
        {"epsilon", "ε"},
        {"varepsilon", "ε"},
        {"theta", "θ"},
        {"lambda", "λ"},
        {"mu", "μ"},
        {"pi", "π"},
        {"rho", "ρ"},
        {"sigma", "σ"},
        {"tau", "τ"},
        {"phi", "φ"},
        {"chi", "χ"},
        {"psi", "ψ"},
        {"omega", "ω"},
        {"Gamma", "Γ"},
        {"Delta", "Δ"},
        {"Theta", "Θ"},
        {"Lambda", "Λ"},
        {"Pi", "Π"},
        {"Sigma", "Σ"},
        {"Phi", "Φ"},
        {"Psi", "Ψ"},
        {"Omega", "Ω"},
};

static const char *const months[] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december",
};

int
cairn_month_parse(const char *s)
{
	char low[16];
	size_t n;
	int v;

	if (!s)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[n] = '\0';
	if (isdigit((unsigned char)low[0])) {
		char *end;

		v = (int)strtol(low, &end, 10);
		return *end == '\0' && v >= 1 && v <= 12 ? v : 0;
	}
	if (n > 1 && low[n - 1] == '.')
		low[--n] = '\0';
	for (int i = 0; i < 12; i++)
		if (!strcmp(low, months[i]) ||
		    (n == 3 && !strncmp(low, months[i], 3)) ||
		    (i == 8 && !strcmp(low, "sept")))
			return i + 1;
	return 0;
}

struct tex {
	const char *p;
	const char *end;
};

static void tex_run(struct tex *t, struct buf *out, int depth);

static int32_t
accent_mark(char c)
{
	for (size_t i = 0; i < sizeof(accents) / sizeof(accents[0]); i++)
		if (accents[i].cmd == c)
			return accents[i].mark;
	return 0;
}

static const char *
symbol_text(const char *cmd, size_t len)
{
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (strlen(symbols[i].cmd) == len &&
		    !memcmp(symbols[i].cmd, cmd, len))
			return symbols[i].text;
	return NULL;
}

static void
add_codepoint(struct buf *out, int32_t cp)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, u);

	buf_add(out, u, (size_t)n);
}

static void
skip_spaces(struct tex *t)
{
	while (t->p < t->end && isspace((unsigned char)*t->p))
		t->p++;
}

/* Read a control word after the backslash; returns its length. */
static size_t
control_word(struct tex *t, const char **name)
{
	const char *s = t->p;

	while (t->p < t->end && isalpha((unsigned char)*t->p))
		t->p++;
	*name = s;
	return (size_t)(t->p - s);
}

/*
 * The base of an accent: a braced group, a control word (\i, \o) or one
 * character, converted into base.
 */
static void
accent_base(struct tex *t, struct buf *base, int depth)
{
	skip_spaces(t);
	if (t->p >= t->end)
		return;
	if (*t->p == '{') {
		const char *start = ++t->p;
		int level = 1;
		struct tex inner;

		while (t->p < t->end) {
			if (*t->p == '{')
				level++;
			else if (*t->p == '}' && --level == 0)
				break;
			t->p++;
		}
		inner.p = start;
		inner.end = t->p;
		if (t->p < t->end)
			t->p++;
		tex_run(&inner, base, depth + 1);
		return;
	}
	if (*t->p == '\\' && t->p + 1 < t->end &&
	    isalpha((unsigned char)t->p[1])) {
		const char *name, *sym;
		size_t len;

		t->p++;
		len = control_word(t, &name);
		/* An accent on a dotless i or j is the plain letter's. */
		if (len == 1 && (*name == 'i' || *name == 'j'))
			buf_addch(base, *name);
		else if ((sym = symbol_text(name, len)))
			buf_adds(base, sym);
		return;
	}
	{
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(
		        (const utf8proc_uint8_t *)t->p, t->end - t->p, &cp);

		if (n < 1)
			n = 1;
		buf_add(base, t->p, (size_t)n);
		t->p += n;
	}
}

/* After "\X" for an accent X: the accented base. */
static void
tex_accent(struct tex *t, struct buf *out, char cmd, int depth)
{
	struct buf base = BUF_INIT;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	accent_base(t, &base, depth);
	if (!base.len) {
		/* \~{} and \^{} typeset the accent itself. */
		if (cmd == '~' || cmd == '^' || cmd == '`' || cmd == '\'')
			buf_addch(out, cmd == '`' ? '`' : cmd);
		buf_release(&base);
		return;
	}
	/* The mark goes after the first character of the base. */
	n = utf8proc_iterate((const utf8proc_uint8_t *)base.buf,
	                     (utf8proc_ssize_t)base.len, &cp);
	if (n < 1)
		n = 1;
	/* An accent on a dotless i or j ({\i}) is the plain letter's. */
	if (cp == 0x131 || cp == 0x237)
		buf_addch(out, cp == 0x131 ? 'i' : 'j');
	else
		buf_add(out, base.buf, (size_t)n);
	add_codepoint(out, accent_mark(cmd));
	buf_add(out, base.buf + n, base.len - (size_t)n);
	buf_release(&base);
}

/* After a backslash. */
static void
tex_command(struct tex *t, struct buf *out, int depth)
{
	const char *name, *sym;
	size_t len;
	char c;

	if (t->p >= t->end)
		return;
	c = *t->p;
	if (!isalpha((unsigned char)c)) {
		t->p++;
		if (accent_mark(c)) {
			tex_accent(t, out, c, depth);
			return;
		}
		switch (c) {
		case '\\':
		case ' ':
		case ',':
		case ';':
		case ':':
			buf_addch(out, ' ');
			break;
		case '-':
		case '/':
		case '@':
			break;
		default:
			/* \& \% \$ \# \_ \{ \} and the like */
			buf_addch(out, c);
		}
		return;
	}
	len = control_word(t, &name);
	if (len == 1 && accent_mark(*name)) {
		tex_accent(t, out, *name, depth);
		return;
	}
	/* A control word eats the spaces after it. */
	skip_spaces(t);
	if ((sym = symbol_text(name, len))) {
		buf_adds(out, sym);
		/* {\o}rn, but "\o rn" would have eaten the space: keep words
		 * apart only where TeX would. */
		if (t->p < t->end && *t->p == '{' && t->p + 1 < t->end &&
		    t->p[1] == '}')
			t->p += 2;
	}
	/* Anything else (\emph, \textit, \mathrm, \url): drop the command,
	 * keep its argument's text. */
}

static void
tex_run(struct tex *t, struct buf *out, int depth)
{
	if (depth > 64) {
		t->p = t->end;
		return;
	}
	while (t->p < t->end) {
		char c = *t->p;

		switch (c) {
		case '\\':
			t->p++;
			tex_command(t, out, depth);
			break;
		case '{':
		case '}':
		case '$':
			t->p++;
			break;
		case '~':
			buf_addch(out, ' ');
			t->p++;
			break;
		case '-':
			if (t->p + 2 < t->end && t->p[1] == '-' &&
			    t->p[2] == '-') {
				buf_adds(out, "—");
				t->p += 3;
			} else if (t->p + 1 < t->end && t->p[1] == '-') {
				buf_adds(out, "–");
				t->p += 2;
			} else {
				buf_addch(out, '-');
				t->p++;
			}
			break;
		case '`':
		case '\'':
			if (t->p + 1 < t->end && t->p[1] == c) {
				buf_adds(out, c == '`' ? "“" : "”");
				t->p += 2;
			} else {
				buf_addch(out, c == '`' ? '\'' : c);
				t->p++;
			}
			break;
		default:
			buf_addch(out, c);
			t->p++;
		}
	}
}

void
cairn_tex_to_utf8(const char *tex, struct buf *out)
{
	struct buf raw = BUF_INIT;
	struct tex t;
	utf8proc_uint8_t *nfc;
	const char *s;
	int space = 0, any = 0;

	if (!tex)
		return;
	t.p = tex;
	t.end = tex + strlen(tex);
	tex_run(&t, &raw, 0);
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)raw.buf);
	s = nfc ? (const char *)nfc : raw.buf;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = 1;
			continue;
		}
		if (space && any)
			buf_addch(out, ' ');
		space = 0;
		any = 1;
		buf_addch(out, *s);
	}
	free(nfc);
	buf_release(&raw);
}

static void
entry_release(struct cairn_bibentry *e)
{
	free(e->key);
	free(e->type);
	free(e->title);
	free(e->authors);
	free(e->venue);
	free(e->url);
	free(e->doi);
	memset(e, 0, sizeof(*e));
}

void
cairn_bib_release(struct cairn_bib *bib)
{
	if (!bib)
		return;
	for (size_t i = 0; i < bib->n; i++)
		entry_release(&bib->entries[i]);
	free(bib->entries);
	bib->entries = NULL;
	bib->n = bib->alloc = 0;
}

/* TeX text to an owned UTF-8 string, NULL when empty. */
static char *
plain(const char *tex)
{
	struct buf b = BUF_INIT;

	cairn_tex_to_utf8(tex, &b);
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/*
 * A URL or DOI: verbatim apart from protective braces and the escapes
 * \_ \% \& \# \~ that BibTeX exporters put in.
 */
static char *
verbatim(const char *v)
{
	struct buf b = BUF_INIT;

	for (; *v; v++) {
		if (*v == '{' || *v == '}' || isspace((unsigned char)*v))
			continue;
		if (*v == '\\' && v[1] && strchr("_%&#~$", v[1]))
			v++;
		buf_addch(&b, *v);
	}
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Append the tokens of one name part, space-separated. */
static void
name_part(struct buf *out, bt_name *n, bt_namepart part)
{
	for (int i = 0; i < n->part_len[part]; i++) {
		if (out->len && out->buf[out->len - 1] != ' ')
			buf_addch(out, ' ');
		buf_adds(out, n->parts[part][i]);
	}
}

/* "Devlin, Jacob and Chang, Ming-Wei" -> "Jacob Devlin, Ming-Wei Chang". */
static char *
format_names(char *names, char *file, int line)
{
	bt_stringlist *list;
	struct buf all = BUF_INIT, one = BUF_INIT;
	char *res;

	list = bt_split_list(names, (char *)"and", file, line, (char *)"name");
	if (!list)
		return plain(names);
	for (int i = 0; i < list->num_items; i++) {
		bt_name *n;

		if (!list->items[i])
			continue;
		if (!strcmp(list->items[i], "others")) {
			buf_adds(&all, " et al.");
			continue;
		}
		n = bt_split_name(list->items[i], file, line, i + 1);
		buf_reset(&one);
		if (n) {
			name_part(&one, n, BTN_FIRST);
			name_part(&one, n, BTN_VON);
			name_part(&one, n, BTN_LAST);
			name_part(&one, n, BTN_JR);
			bt_free_name(n);
		} else {
			buf_adds(&one, list->items[i]);
		}
		if (all.len)
			buf_adds(&all, ", ");
		cairn_tex_to_utf8(one.buf, &all);
	}
	bt_free_list(list);
	buf_release(&one);
	if (!all.len) {
		buf_release(&all);
		return NULL;
	}
	res = buf_detach(&all, NULL);
	return res;
}

/* Lower-case copy of a field name for comparisons. */
static int
field_is(const char *name, const char *want)
{
	return !strcasecmp(name, want);
}

static int
take_entry(AST *entry, char *file, struct cairn_bib *out, struct cairn_err *err)
{
	struct cairn_bibentry e;
	AST *field = NULL;
	char *fname, *v;
	char *eprint = NULL, *archive = NULL, *editors = NULL;
	char *journal = NULL, *booktitle = NULL, *publisher = NULL;

	memset(&e, 0, sizeof(e));
	e.line = entry->line;
	e.key = xstrdup_or_null(bt_entry_key(entry));
	e.type = xstrdup(bt_entry_type(entry) ? bt_entry_type(entry) : "misc");
	for (char *p = e.type; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	while ((field = bt_next_field(entry, field, &fname))) {
		/* A fresh copy of the processed value: ours to free. */
		v = bt_get_text(field);
		if (!v || !fname) {
			free(v);
			continue;
		}
		if (field_is(fname, "title")) {
			free(e.title);
			e.title = plain(v);
		} else if (field_is(fname, "author")) {
			free(e.authors);
			e.authors = format_names(v, file, field->line);
		} else if (field_is(fname, "editor")) {
			free(editors);
			editors = format_names(v, file, field->line);
		} else if (field_is(fname, "year")) {
			char *t = plain(v);

			e.year = t && strlen(t) == 4 &&
			                         isdigit((unsigned char)t[0])
			                 ? atoi(t)
			                 : 0;
			free(t);
		} else if (field_is(fname, "month")) {
			char *t = plain(v);

			e.month = cairn_month_parse(t);
			free(t);
		} else if (field_is(fname, "journal") ||
		           field_is(fname, "journaltitle")) {
			free(journal);
			journal = plain(v);
		} else if (field_is(fname, "booktitle")) {
			free(booktitle);
			booktitle = plain(v);
		} else if (field_is(fname, "publisher")) {
			free(publisher);
			publisher = plain(v);
		} else if (field_is(fname, "url")) {
			free(e.url);
			e.url = verbatim(v);
		} else if (field_is(fname, "doi")) {
			free(e.doi);
			e.doi = verbatim(v);
		} else if (field_is(fname, "eprint")) {
			free(eprint);
			eprint = verbatim(v);
		} else if (field_is(fname, "archiveprefix") ||
		           field_is(fname, "eprinttype")) {
			free(archive);
			archive = plain(v);
		}
		free(v);
	}
	if (!e.authors)
		e.authors = editors, editors = NULL;
	e.venue = journal ? journal : booktitle ? booktitle : publisher;
	if (e.venue == journal)
		journal = NULL;
	else if (e.venue == booktitle)
		booktitle = NULL;
	else
		publisher = NULL;
	if (!e.url && eprint && archive && !strcasecmp(archive, "arxiv")) {
		struct buf u = BUF_INIT;

		buf_addf(&u, "https://arxiv.org/abs/%s", eprint);
		e.url = buf_detach(&u, NULL);
	}
	free(eprint);
	free(archive);
	free(editors);
	free(journal);
	free(booktitle);
	free(publisher);
	if (!e.key || !*e.key || !e.title) {
		int rc = cairn_err_set(
		        err, CAIRN_EINVAL,
		        "malformed BibTeX in '%s' at line %d: entry %s%s%shas "
		        "no %s; nothing imported",
		        file, e.line, e.key ? "'" : "", e.key ? e.key : "",
		        e.key ? "' " : "", e.key && *e.key ? "title" : "key");
		entry_release(&e);
		return rc;
	}
	if (out->n == out->alloc) {
		out->alloc = out->alloc ? 2 * out->alloc : 16;
		out->entries = xrealloc(out->entries, out->alloc * sizeof(e));
	}
	out->entries[out->n++] = e;
	return 0;
}

/* The first error btparse wrote ("FILE, line N, syntax error: MSG"). */
static int
first_error(FILE *log, const char *file, int *line, struct buf *msg)
{
	char text[1024];

	rewind(log);
	while (fgets(text, sizeof(text), log)) {
		char *p = strstr(text, ", line "), *m, *nl;

		if (!p || !(m = strstr(p, "error: ")) || atoi(p + 7) <= 0)
			continue;
		*line = atoi(p + 7);
		m += 7;
		if ((nl = strchr(m, '\n')))
			*nl = '\0';
		if ((nl = strstr(m, " (skipping to next")))
			*nl = '\0';
		buf_adds(msg, m);
		(void)file;
		return 1;
	}
	return 0;
}

static void
define_months(void)
{
	static const char *const abbrev[] = {"jan", "feb", "mar", "apr",
	                                     "may", "jun", "jul", "aug",
	                                     "sep", "oct", "nov", "dec"};
	char name[8], text[16];

	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "%s", abbrev[i]);
		snprintf(text, sizeof(text), "%d", i + 1);
		bt_add_macro_text(name, text, NULL, 0);
	}
}

/*
 * An @string whose value is one undefined macro gets no text in btparse
 * 0.89, and the next value pasting it crashes btparse (strlen of NULL in
 * bt_macro_length; found by fuzz-bibtex).  So btparse stores no macro
 * definition itself (BTO_NOSTORE, and none is expanded as it is read):
 * each is stored here once every macro its value names has a text, and
 * refused otherwise.
 */
static int
take_macros(AST *entry, char *file, struct cairn_err *err)
{
	AST *field = NULL;
	char *mname;

	while ((field = bt_next_macro(entry, field, &mname))) {
		AST *v = NULL;
		bt_nodetype type;
		char *ref;

		while ((v = bt_next_value(field, v, &type, &ref))) {
			if (type == BTAST_MACRO && ref &&
			    !bt_macro_text(ref, file, field->line))
				return cairn_err_set(
				        err, CAIRN_EINVAL,
				        "malformed BibTeX in '%s' at line %d: "
				        "@string %s uses '%s', which has no "
				        "value; nothing imported",
				        file, field->line, mname ? mname : "?",
				        ref);
		}
		/* Read unexpanded: btparse expands it now (BTO_MACRO). */
		bt_add_macro_value(field, BTO_MINIMAL);
	}
	return 0;
}

/*
 * Parse in with btparse (stderr already pointed at log) into bib; on any
 * error, err names the line btparse gave up at and bib is left to the
 * caller to release.
 */
static int
run_btparse(FILE *in, char *file, FILE *log, struct cairn_bib *bib,
            struct cairn_err *err)
{
	int rc = 0, errors, early, line = 0, bad_line = 0;
	struct buf bad_key = BUF_INIT;
	AST *entry;
	boolean ok;

	bt_initialize();
	bt_delete_all_macros();
	define_months();
	bt_reset_error_counts();
	bt_set_stringopts(BTE_MACRODEF, BTO_MINIMAL);
	while ((entry = bt_parse_entry(in, file, BTO_NOSTORE, &ok))) {
		if (ok && !rc && bt_entry_metatype(entry) == BTE_MACRODEF)
			rc = take_macros(entry, file, err);
		if (ok && !rc && bt_entry_metatype(entry) == BTE_REGULAR)
			rc = take_entry(entry, file, bib, err);
		if (!ok && !bad_line) {
			bad_line = entry->line;
			buf_adds(&bad_key, bt_entry_key(entry)
			                           ? bt_entry_key(entry)
			                           : "");
		}
		bt_free_ast(entry);
	}
	/*
	 * btparse also returns NULL, with ok false, for input it cannot make
	 * an entry of, and then still holds the file as open (even when it
	 * has read it all): the next parse in this process would make it
	 * exit().  It lets go when called at the end of the file, so take
	 * it there.  (After a clean end, a further call would exit too.)
	 */
	if ((early = !ok)) {
		if (!feof(in)) {
			fseek(in, 0, SEEK_END);
			(void)fgetc(in);
		}
		bt_parse_entry(in, file, 0, &ok);
	}
	errors = early + bt_get_error_count(BTERR_LEXERR) +
	         bt_get_error_count(BTERR_SYNTAX) +
	         bt_get_error_count(BTERR_USAGEERR) +
	         bt_get_error_count(BTERR_INTERNAL);
	bt_delete_all_macros();
	bt_cleanup();
	fflush(stderr);
	if (errors) {
		struct buf msg = BUF_INIT;

		struct buf where = BUF_INIT;

		/*
		 * btparse's own message names the line where it gave up,
		 * which for an unclosed brace is the end of the file: the
		 * line given first is where the entry it was in starts.
		 * Where another library's print_error() shadows btparse's
		 * (cmocka in the unit tests) there is no message.
		 */
		if (!first_error(log, file, &line, &msg)) {
			line = bad_line;
			buf_adds(&msg, "it does not parse");
		}
		if (bad_line && bad_line <= line) {
			if (line > bad_line)
				buf_addf(&msg, " at line %d", line);
			line = bad_line;
			if (bad_key.len)
				buf_addf(&where, "entry '%s': ", bad_key.buf);
			else
				buf_adds(&where, "the entry starting here: ");
		}
		cairn_err_clear(err);
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "malformed BibTeX in '%s' at line %d: %s%s; "
		                   "nothing imported",
		                   file, line, where.buf, msg.buf);
		buf_release(&msg);
		buf_release(&where);
	}
	buf_release(&bad_key);
	return rc;
}

/*
 * btparse 0.89 exits, or crashes, on some malformed input (fuzz-bibtex:
 * after a failed predicate it builds an AST that bt_postprocess_field
 * stops the process for).  So the text is parsed in a child process
 * first, and here only when the child came through; otherwise the error
 * names the last line btparse spoke of.  One fork per file: BibTeX
 * libraries are small.
 */
static void
leave_now(void)
{
	_exit(3);
}

static int
survives_btparse(const char *text, size_t len, char *file, FILE *log,
                 struct cairn_err *err)
{
	char buf[1024];
	int status, line = 0;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot read '%s': cannot start the "
		                     "BibTeX parser (%s)",
		                     file, strerror(errno));
	if (!pid) {
		struct cairn_bib bib = CAIRN_BIB_INIT;
		struct cairn_err e = CAIRN_ERR_INIT;
		FILE *in = fmemopen((void *)text, len, "r");

		/* When btparse calls exit() or crashes, leave at once: the
		 * parent's exit and crash handlers are not the child's. */
		static const int deadly[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
		                             SIGILL};

		for (size_t k = 0; k < sizeof(deadly) / sizeof(deadly[0]); k++)
			signal(deadly[k], SIG_DFL);
		if (!in || dup2(fileno(log), STDERR_FILENO) < 0 ||
		    atexit(leave_now))
			_exit(2);
		run_btparse(in, file, log, &bib, &e);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cairn_err_set(
			        err, CAIRN_EDB,
			        "cannot read '%s': lost the BibTeX "
			        "parser (%s)",
			        file, strerror(errno));
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	rewind(log);
	while (fgets(buf, sizeof(buf), log)) {
		char *p = strstr(buf, ", line ");

		if (p && atoi(p + 7) > 0)
			line = atoi(p + 7);
	}
	if (line)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "malformed BibTeX in '%s' at line %d: the "
		                     "BibTeX parser gave up on it; nothing "
		                     "imported",
		                     file, line);
	return cairn_err_set(err, CAIRN_EINVAL,
	                     "malformed BibTeX in '%s': the BibTeX parser "
	                     "gave up on it; nothing imported",
	                     file);
}

int
cairn_bibtex_parse(const char *text, size_t len, const char *name,
                   struct cairn_bib *out, struct cairn_err *err)
{
	struct cairn_bib bib = CAIRN_BIB_INIT;
	FILE *in = NULL, *log = NULL;
	char *file = xstrdup(name ? name : "(input)");
	int saved = -1, rc = 0, line = 0;
	size_t bad;

	if (memchr(text, '\0', len)) {
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "'%s' is not a BibTeX file (it holds NUL "
		                   "bytes)",
		                   file);
		goto out;
	}
	if ((bad = cairn_utf8_check(text, len))) {
		for (size_t i = 0; i < bad - 1; i++)
			line += text[i] == '\n';
		rc = cairn_err_set(err, CAIRN_EINVAL,
		                   "malformed BibTeX in '%s' at line %d: not "
		                   "UTF-8 (export it as UTF-8)",
		                   file, line + 1);
		goto out;
	}
	/* No entry at all (an empty list, only comments): nothing to do,
	 * and btparse would call the missing '@' an error. */
	if (!memchr(text, '@', len))
		goto out;
	if (!(log = tmpfile())) {
		rc = cairn_err_set(err, CAIRN_EDB,
		                   "cannot read '%s': no temporary file", file);
		goto out;
	}
	if ((rc = survives_btparse(text, len, file, log, err)))
		goto out;
	/* The child's messages are the same as the ones to come. */
	if (ftruncate(fileno(log), 0) || fseek(log, 0, SEEK_SET) ||
	    !(in = fmemopen((void *)text, len, "r"))) {
		rc = cairn_err_set(err, CAIRN_EDB,
		                   "cannot read '%s': no temporary file", file);
		goto out;
	}
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	if (saved < 0 || dup2(fileno(log), STDERR_FILENO) < 0) {
		rc = cairn_err_set(err, CAIRN_EDB,
		                   "cannot read '%s': cannot capture the "
		                   "parser's messages",
		                   file);
		goto out;
	}
	rc = run_btparse(in, file, log, &bib, err);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
out:
	if (saved >= 0)
		close(saved);
	if (in)
		fclose(in);
	if (log)
		fclose(log);
	if (rc) {
		cairn_bib_release(&bib);
	} else {
		/* Hand the entries over. */
		for (size_t i = 0; i < bib.n; i++) {
			if (out->n == out->alloc) {
				out->alloc = out->alloc ? 2 * out->alloc : 16;
				out->entries = xrealloc(
				        out->entries,
				        out->alloc * sizeof(*out->entries));
			}
			out->entries[out->n++] = bib.entries[i];
		}
		free(bib.entries);
	}
	free(file);
	return rc;
}
