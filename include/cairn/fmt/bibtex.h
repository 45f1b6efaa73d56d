/*
 * bibtex.h: reading BibTeX (through btparse) into plain UTF-8 records, as
 * Zotero and Better BibTeX export it: braced and quoted values, @string
 * macros, '#' concatenation, TeX accents ({\"u}, \'{e}, {\o}) turned into
 * UTF-8, and month macros (jan ... dec) known without a definition.
 *
 * A file parses completely or not at all: any lexical or syntax error
 * (an unbalanced brace, a truncated entry) fails the whole parse with the
 * line btparse reports, so an import never takes half a file.
 *
 * btparse keeps global state and writes its diagnostics to stderr; the
 * parser captures them (stderr is pointed at a temporary file for the
 * duration) so that nothing is printed.  Not reentrant: one parse at a
 * time per process.  btparse 0.89 exits or crashes on some malformed
 * input, so each text is parsed in a forked child first and in the
 * calling process only when the child came through (call it from a
 * single-threaded process, or before starting threads).
 */
#ifndef CAIRN_BIBTEX_H
#define CAIRN_BIBTEX_H

#include <stddef.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"

/* One regular entry; strings are UTF-8, owned, NULL when absent. */
struct cairn_bibentry {
	char *key;
	char *type;    /* "article", "inproceedings", ... lower case */
	char *title;   /* never NULL */
	char *authors; /* "Jacob Devlin, Ming-Wei Chang", or editors */
	char *venue;   /* journal, booktitle or publisher */
	char *url;     /* url, else an arXiv eprint's page */
	char *doi;
	int year;  /* 0 when absent or not a number */
	int month; /* 1-12, 0 when absent */
	int line;  /* where the entry starts */
};

struct cairn_bib {
	struct cairn_bibentry *entries;
	size_t n;
	size_t alloc;
};

#define CAIRN_BIB_INIT                                                         \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Free the entries; bib is empty afterwards. */
void cairn_bib_release(struct cairn_bib *bib);

/*
 * Parse len bytes of BibTeX text; name (a file name) is used in messages.
 * Appends the regular entries to out in file order (@comment, @preamble
 * and @string entries are not returned).  On failure out is left empty and
 * err says what is wrong and where: "malformed BibTeX in 'refs.bib' at
 * line 12: ...".  Errors: CAIRN_EINVAL (bad text, an entry without a
 * title, invalid UTF-8), CAIRN_EDB (no temporary file for diagnostics).
 */
int cairn_bibtex_parse(const char *text, size_t len, const char *name,
                       struct cairn_bib *out, struct cairn_err *err);

/*
 * Append the UTF-8 reading of TeX text to out: accents become composed
 * characters (NFC), \ss, \o, \ae and friends their letters, protective
 * braces and math dollars vanish, '~' is a space, "--" and "---" en and
 * em dashes, formatting commands (\emph{x}) leave their text, and runs of
 * white space become one space, trimmed at both ends.
 */
void cairn_tex_to_utf8(const char *tex, struct buf *out);

/* Month number (1-12) of "jan", "January", "1" (any case), else 0. */
int cairn_month_parse(const char *s);

#endif
