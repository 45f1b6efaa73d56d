/*
 * test-bibtex.c: BibTeX in (lib/fmt/bibtex.c) and paper import
 * (lib/paper.c): TeX to UTF-8, month names, the fixtures in
 * tests/fixtures/bib/ (a Zotero export, @string macros, a broken and a
 * truncated file, an entry without a title), and importing twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/*
 * btparse leaks the one-byte "" it makes for an undefined macro while
 * post-processing an entry (its own comment in bt_postprocess_value admits
 * it); test_macros provokes that on purpose.  Tell LeakSanitizer, when the
 * suite runs under it, that this leak is not ours.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:bt_postprocess_value\n";
}

/* The path of fixture name under $SRCDIR/tests/fixtures/bib. */
static const char *
fixture(const char *name)
{
	static char path[PATH_MAX];
	const char *src = getenv("SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/fixtures/bib/%s",
	         src && *src ? src : "../..", name);
	return path;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		fail_msg("cannot open fixture '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

static void
assert_tex(const char *tex, const char *want)
{
	struct buf b = BUF_INIT;

	cairn_tex_to_utf8(tex, &b);
	assert_string_equal(b.buf, want);
	buf_release(&b);
}

static void
test_tex(void **state)
{
	(void)state;
	assert_tex("M{\\\"u}ller", "Müller");
	assert_tex("M\\\"uller", "Müller");
	assert_tex("M\\\"{u}ller", "Müller");
	assert_tex("{\\'E}tude", "Étude");
	assert_tex("caf\\'e", "café");
	assert_tex("na\\\"{\\i}ve", "naïve");
	assert_tex("Anton{\\'\\i}n", "Antonín");
	assert_tex("Dvo{\\v{r}}{\\'a}k", "Dvořák");
	assert_tex("{\\AA}berg", "Åberg");
	assert_tex("Bj{\\o}rn", "Bjørn");
	assert_tex("Stra\\ss{}er", "Straßer");
	assert_tex("Stra\\ss er", "Straßer");
	assert_tex("Gar\\c{c}on", "Garçon");
	assert_tex("\\L{}ukasz \\k{a}", "Łukasz ą");
	assert_tex("Erd\\H{o}s", "Erdős");
	assert_tex("{\\~n}", "ñ");
	assert_tex("{BERT}: {Pre}-training", "BERT: Pre-training");
	assert_tex("pages 1--2 --- or not", "pages 1–2 — or not");
	assert_tex("\\emph{very} {\\textbf{bold}}", "very bold");
	assert_tex("50\\% of \\$100 \\& more", "50% of $100 & more");
	assert_tex("$O(n^2)$ time", "O(n^2) time");
	assert_tex("  spread \n\t out  ", "spread out");
	assert_tex("A~B", "A B");
	assert_tex("``quoted''", "“quoted”");
	assert_tex("\\alpha-divergence", "α-divergence");
	/* Already UTF-8 stays, composed. */
	assert_tex("Müller", "Müller");
	assert_tex("", "");
}

static void
test_month(void **state)
{
	(void)state;
	assert_int_equal(cairn_month_parse("jan"), 1);
	assert_int_equal(cairn_month_parse("Mar"), 3);
	assert_int_equal(cairn_month_parse("September"), 9);
	assert_int_equal(cairn_month_parse("sept"), 9);
	assert_int_equal(cairn_month_parse("Dec."), 12);
	assert_int_equal(cairn_month_parse("12"), 12);
	assert_int_equal(cairn_month_parse("13"), 0);
	assert_int_equal(cairn_month_parse("0"), 0);
	assert_int_equal(cairn_month_parse("ja"), 0);
	assert_int_equal(cairn_month_parse(""), 0);
	assert_int_equal(cairn_month_parse(NULL), 0);
}

static void
parse_fixture(const char *name, struct cairn_bib *bib, int want_rc,
              struct cairn_err *err)
{
	size_t len;
	char *text = slurp(fixture(name), &len);

	assert_int_equal(cairn_bibtex_parse(text, len, name, bib, err),
	                 want_rc);
	free(text);
}

/*
 * Input btparse gives up on before its end (found by fuzzing): it used to
 * keep the file as open, so the next parse in the process made btparse
 * exit().  Twice, then a good file: each parse stands alone.
 */
static void
test_stops_early(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_bib bib = CAIRN_BIB_INIT;

	char one = 'x';
	FILE *hold = NULL;

	(void)state;
	for (int k = 0; k < 2; k++) {
		parse_fixture("stops-early.bib", &bib, CAIRN_EINVAL, &err);
		assert_non_null(strstr(err.msg, "malformed BibTeX in "
		                                "'stops-early.bib' at line"));
		assert_int_equal(bib.n, 0);
		/* btparse only notices a different FILE: keep the next
		 * parse from reusing this one's memory. */
		if (!hold)
			hold = fmemopen(&one, 1, "r");
	}
	parse_fixture("zotero.bib", &bib, 0, &err);
	assert_int_equal(bib.n, 3);
	cairn_bib_release(&bib);
	if (hold)
		fclose(hold);
}

static void
test_zotero(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_bib bib = CAIRN_BIB_INIT;
	struct cairn_bibentry *e;

	(void)state;
	parse_fixture("zotero.bib", &bib, 0, &err);
	assert_int_equal(bib.n, 3);
	e = &bib.entries[0];
	assert_string_equal(e->key, "devlin_bert_2019");
	assert_string_equal(e->type, "article");
	assert_string_equal(e->title, "BERT: Pre-training of Deep "
	                              "Bidirectional Transformers for "
	                              "Language Understanding");
	assert_string_equal(e->authors, "Jacob Devlin, Ming-Wei Chang, "
	                                "Kenton Lee, Kristina Toutanova");
	assert_int_equal(e->year, 2019);
	assert_int_equal(e->month, 6);
	assert_string_equal(e->doi, "10.18653/v1/N19-1423");
	assert_string_equal(e->url, "https://aclanthology.org/N19-1423");
	assert_string_equal(e->venue,
	                    "Proceedings of the 2019 Conference of the North "
	                    "American Chapter of the Association for "
	                    "Computational Linguistics");
	assert_int_equal(e->line, 2);

	e = &bib.entries[1];
	assert_string_equal(e->key, "muller_etude_2020");
	assert_string_equal(e->title,
	                    "Müller's Étude of naïve café pruning — a Case "
	                    "Study");
	assert_string_equal(e->authors, "Jörg Müller, Bjørn Åberg, Antonín "
	                                "Dvořák, Grégoire Straßer");
	assert_int_equal(e->year, 2020);
	assert_int_equal(e->month, 3);
	assert_null(e->url);

	e = &bib.entries[2];
	assert_string_equal(e->title, "How to Train BERT with an Academic "
	                              "Budget");
	assert_string_equal(e->url, "https://arxiv.org/abs/2104.07705");
	assert_int_equal(e->month, 0);
	cairn_bib_release(&bib);
	assert_int_equal(bib.n, 0);
}

static void
test_macros(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_bib bib = CAIRN_BIB_INIT;

	(void)state;
	parse_fixture("macros.bib", &bib, 0, &err);
	assert_int_equal(bib.n, 2);
	assert_string_equal(bib.entries[0].key, "arora2018stronger");
	assert_string_equal(bib.entries[0].authors,
	                    "Sanjeev Arora, Rong Ge, Behnam Neyshabur, Yi "
	                    "Zhang");
	assert_string_equal(bib.entries[0].venue,
	                    "Proceedings of the International Conference on "
	                    "Machine Learning");
	assert_string_equal(bib.entries[0].title,
	                    "Stronger Generalization Bounds for Deep Nets via "
	                    "a Compression Approach");
	assert_int_equal(bib.entries[0].month, 7);
	assert_int_equal(bib.entries[0].year, 2018);
	assert_string_equal(bib.entries[1].venue,
	                    "Journal of Machine Learning Research");
	assert_string_equal(bib.entries[1].title,
	                    "Non-vacuous Generalization Bounds at the "
	                    "ImageNet Scale: a PAC-Bayesian Compression "
	                    "Approach");
	assert_string_equal(bib.entries[1].authors,
	                    "Wenda Zhou, Victor Veitch, Morgane Austern, Ryan "
	                    "P. Adams, Peter Orbanz");
	assert_int_equal(bib.entries[1].month, 9);
	cairn_bib_release(&bib);

	/* Macros of one parse do not leak into the next. */
	{
		const char *text = "@article{x, title = {T}, journal = jmlr}";

		assert_ok(cairn_bibtex_parse(text, strlen(text), "x.bib", &bib,
		                             &err),
		          &err);
		assert_int_equal(bib.n, 1);
		assert_null(bib.entries[0].venue);
		cairn_bib_release(&bib);
	}
}

static void
test_broken(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_bib bib = CAIRN_BIB_INIT;

	(void)state;
	/*
	 * The line is where the bad entry starts (7 and 6), whether or not
	 * btparse's message (it gave up at line 9 in both) comes through: in
	 * this executable cmocka's print_error() shadows btparse's.
	 */
	parse_fixture("broken.bib", &bib, CAIRN_EINVAL, &err);
	assert_int_equal(bib.n, 0);
	assert_non_null(strstr(err.msg, "malformed BibTeX in 'broken.bib' at "
	                                "line 7: entry 'bad2021': "));
	assert_non_null(strstr(err.msg, "; nothing imported"));
	assert_null(strchr(err.msg, '\n'));

	cairn_err_clear(&err);
	parse_fixture("truncated.bib", &bib, CAIRN_EINVAL, &err);
	assert_int_equal(bib.n, 0);
	assert_non_null(strstr(err.msg, "malformed BibTeX in 'truncated.bib' "
	                                "at line 6: entry 'cut2020': "));

	/* btparse crashed pasting a macro that has no value. */
	cairn_err_clear(&err);
	parse_fixture("undefined-macro.bib", &bib, CAIRN_EINVAL, &err);
	assert_int_equal(bib.n, 0);
	assert_string_equal(err.msg,
	                    "malformed BibTeX in 'undefined-macro.bib' at "
	                    "line 3: @string proc uses 'undefinedmacro', "
	                    "which has no value; nothing imported");

	/* btparse exits on this one: it is parsed in a child first, and
	 * this process lives on to parse the next file. */
	cairn_err_clear(&err);
	parse_fixture("parser-exits.bib", &bib, CAIRN_EINVAL, &err);
	assert_int_equal(bib.n, 0);
	/* (Which line: only where btparse's print_error is not cmocka's.) */
	assert_non_null(strstr(err.msg, "malformed BibTeX in "
	                                "'parser-exits.bib'"));
	assert_non_null(strstr(err.msg, "the BibTeX parser gave up on it; "
	                                "nothing imported"));
	parse_fixture("zotero.bib", &bib, 0, &err);
	assert_int_equal(bib.n, 3);
	cairn_bib_release(&bib);

	cairn_err_clear(&err);
	parse_fixture("notitle.bib", &bib, CAIRN_EINVAL, &err);
	assert_int_equal(bib.n, 0);
	assert_string_equal(err.msg, "malformed BibTeX in 'notitle.bib' at "
	                             "line 6: entry 'untitled2020' has no "
	                             "title; nothing imported");
}

static void
test_bad_text(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_bib bib = CAIRN_BIB_INIT;
	const char latin1[] = "@article{x,\n title = {M\xfcller}}\n";
	const char nul[] = "@article{x, title = {a\0b}}";

	(void)state;
	assert_int_equal(
	        cairn_bibtex_parse(latin1, strlen(latin1), "l.bib", &bib, &err),
	        CAIRN_EINVAL);
	assert_string_equal(err.msg, "malformed BibTeX in 'l.bib' at line 2: "
	                             "not UTF-8 (export it as UTF-8)");
	assert_int_equal(
	        cairn_bibtex_parse(nul, sizeof(nul) - 1, "n.bib", &bib, &err),
	        CAIRN_EINVAL);
	assert_int_equal(bib.n, 0);
	/* Empty and comment-only text: no entries, no error. */
	assert_ok(cairn_bibtex_parse("", 0, "e.bib", &bib, &err), &err);
	assert_ok(cairn_bibtex_parse("% nothing\n", 10, "c.bib", &bib, &err),
	          &err);
	assert_int_equal(bib.n, 0);
}

static void
test_import(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_stats s;
	struct cairn_paper p;
	struct buf before = BUF_INIT, after = BUF_INIT;
	long long changes;

	assert_ok(cairn_paper_import(f->st, fixture("zotero.bib"), &s, &err),
	          &err);
	assert_int_equal(s.added, 3);
	assert_int_equal(s.present, 0);
	assert_ok(cairn_paper_get(f->st, "muller_etude_2020", &p, &err), &err);
	assert_string_equal(p.title, "Müller's Étude of naïve café pruning — "
	                             "a Case Study");
	assert_string_equal(p.venue, "Workshop on Efficient NLP");
	assert_int_equal(p.month, 3);
	assert_int_equal(p.status, CAIRN_PAPER_TO_READ);
	cairn_paper_release(&p);

	/* Twice: nothing added, nothing written. */
	db_dump_data(f->path, &before);
	changes = db_int(f->path, "SELECT count(*) FROM event");
	assert_ok(cairn_paper_import(f->st, fixture("zotero.bib"), &s, &err),
	          &err);
	assert_int_equal(s.added, 0);
	assert_int_equal(s.present, 3);
	db_dump_data(f->path, &after);
	assert_string_equal(before.buf, after.buf);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM event"),
	                 changes);

	/* A broken file imports nothing, not even its good entries. */
	buf_reset(&before);
	db_dump_data(f->path, &before);
	assert_int_equal(
	        cairn_paper_import(f->st, fixture("broken.bib"), &s, &err),
	        CAIRN_EINVAL);
	assert_int_equal(s.added, 0);
	assert_int_equal(
	        cairn_paper_import(f->st, fixture("truncated.bib"), &s, &err),
	        CAIRN_EINVAL);
	assert_code(cairn_paper_import(f->st, fixture("missing.bib"), &s, &err),
	            CAIRN_ENOTFOUND);
	buf_reset(&after);
	db_dump_data(f->path, &after);
	assert_string_equal(before.buf, after.buf);
	assert_int_equal(db_int(f->path,
	                        "SELECT count(*) FROM paper WHERE key = "
	                        "'good2020'"),
	                 0);

	/* Macros file after: two more. */
	assert_ok(cairn_paper_import(f->st, fixture("macros.bib"), &s, &err),
	          &err);
	assert_int_equal(s.added, 2);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM paper"), 5);
	buf_release(&before);
	buf_release(&after);
}

static void
test_repeated_keys(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_stats s;
	char path[PATH_MAX + 16];
	FILE *out;

	snprintf(path, sizeof(path), "%s/twice.bib", f->dir);
	out = fopen(path, "w");
	assert_non_null(out);
	fputs("@book{k1, title = {First}}\n@book{k1, title = {Again}}\n"
	      "@book{k2, title = {Second}}\n",
	      out);
	fclose(out);
	assert_ok(cairn_paper_import(f->st, path, &s, &err), &err);
	assert_int_equal(s.added, 2);
	assert_int_equal(s.repeats, 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM paper WHERE "
	                                 "key = 'k1' AND title = 'First'"),
	                 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tex),
	        cmocka_unit_test(test_month),
	        cmocka_unit_test(test_zotero),
	        cmocka_unit_test(test_stops_early),
	        cmocka_unit_test(test_macros),
	        cmocka_unit_test(test_broken),
	        cmocka_unit_test(test_bad_text),
	        cmocka_unit_test_setup_teardown(test_import, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_repeated_keys, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
