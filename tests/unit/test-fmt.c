/*
 * test-fmt.c: interchange through the library's interface: format names
 * and detection, the iCalendar export checked by libical's own parser,
 * the JSON dump's exact numbers, byte-identical reload and streaming
 * (the same bytes in bounded pieces, stopped by a failing write), error
 * messages that point into the input, warnings, and the publisher's
 * callback seeing public items only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "unit.h"

/*
 * Graphviz 2.43's dot layout leaks the edges it makes for clusters (see
 * tests/lsan-graphviz.supp); LeakSanitizer reads this when it is linked.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libgvplugin_dot_layout.so\nleak:libgvc.so\n"
	       "leak:libcgraph.so\n";
}

static int64_t
add(struct cairn_store *st, enum cairn_kind kind, const char *title,
    int64_t parent, const char *due, int vis)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_item it;
	int64_t id;

	cairn_item_init(&it);
	it.kind = kind;
	it.title = xstrdup(title);
	it.parent = parent;
	it.visibility = vis;
	if (due)
		assert_ok(cairn_date_parse(due, it.due, &err), &err);
	assert_ok(cairn_item_add(st, &it, &err), &err);
	id = it.id;
	cairn_item_release(&it);
	return id;
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(cairn_format_parse("markdown"), CAIRN_FORMAT_MD);
	assert_int_equal(cairn_format_parse("TW"), CAIRN_FORMAT_TASKWARRIOR);
	assert_int_equal(cairn_format_parse("ical"), CAIRN_FORMAT_ICS);
	assert_int_equal(cairn_format_parse("nope"), -1);
	assert_string_equal(cairn_format_name(CAIRN_FORMAT_SVG), "svg");
	assert_true(cairn_format_can_import(CAIRN_FORMAT_JSON));
	assert_false(cairn_format_can_import(CAIRN_FORMAT_SVG));
	assert_false(cairn_format_can_export(CAIRN_FORMAT_BIBTEX));
}

/* The one table of formats: every format once, its name parsing back to
 * it, and the lists of names following its directions. */
static void
test_table(void **state)
{
	const struct cairn_format_info *f;
	struct buf in = BUF_INIT, out = BUF_INIT;
	int seen[CAIRN_FORMAT_COUNT] = {0};
	size_t n;

	(void)state;
	f = cairn_formats(&n);
	assert_int_equal(n, CAIRN_FORMAT_COUNT - 1);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(seen[f[i].format]++, 0);
		assert_int_equal(cairn_format_parse(f[i].name), f[i].format);
		assert_string_equal(cairn_format_name(f[i].format), f[i].name);
		assert_int_equal(cairn_format_dir(f[i].format), f[i].dir);
		assert_int_equal(cairn_format_can_import(f[i].format),
		                 !!(f[i].dir & CAIRN_FORMAT_IN));
		assert_int_equal(cairn_format_can_export(f[i].format),
		                 !!(f[i].dir & CAIRN_FORMAT_OUT));
	}
	cairn_format_names(CAIRN_FORMAT_IN, ", ", &in);
	cairn_format_names(CAIRN_FORMAT_OUT, " ", &out);
	assert_string_equal(in.buf, "md, jekyll, json, taskwarrior");
	assert_string_equal(out.buf,
	                    "md jekyll json taskwarrior ics dot svg csv");
	assert_int_equal(cairn_format_dir(CAIRN_FORMAT_NONE), 0);
	buf_release(&in);
	buf_release(&out);
}

static void
test_detect(void **state)
{
	static const struct {
		const char *text;
		enum cairn_format f;
	} cases[] = {
	        {"1. goal\n", CAIRN_FORMAT_MD},
	        {"---\ntitle: x\n---\n- a\n", CAIRN_FORMAT_MD},
	        {"\xef\xbb\xbf  [{\"description\":\"x\"}]",
	         CAIRN_FORMAT_TASKWARRIOR},
	        {"{\"description\":\"x\",\"uuid\":\"u\"}\n{}",
	         CAIRN_FORMAT_TASKWARRIOR},
	        {"{\n\"format\": \"cairn-dump\"\n}", CAIRN_FORMAT_JSON},
	        {"BEGIN:VCALENDAR\r\n", CAIRN_FORMAT_ICS},
	        {"% c\n@book{k, title={t}}", CAIRN_FORMAT_BIBTEX},
	        {"", CAIRN_FORMAT_MD},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(cairn_format_detect(cases[i].text,
		                                     strlen(cases[i].text)),
		                 cases[i].f);
}

/* The calendar parses with libical, without errors, as RFC 5545 wants. */
static void
test_ical_valid(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf out = BUF_INIT;
	icalcomponent *cal, *c;
	int64_t g, m1, m2;
	int todos = 0, events = 0;

	g = add(f->st, CAIRN_KIND_GOAL, "Goal; with, commas", 0, "2027-06-30",
	        CAIRN_VIS_PUBLIC);
	m1 = add(f->st, CAIRN_KIND_MILESTONE, "First step", g, "2026-05-01",
	         CAIRN_VIS_PUBLIC);
	m2 = add(f->st, CAIRN_KIND_MILESTONE, "Second step", g, "2026-07-01",
	         CAIRN_VIS_PRIVATE);
	add(f->st, CAIRN_KIND_MILESTONE, "No date", g, NULL, CAIRN_VIS_PUBLIC);
	assert_ok(
	        cairn_item_set_status(f->st, m1, CAIRN_STATUS_DONE, NULL, &err),
	        &err);
	assert_ok(cairn_item_set_status(f->st, m2, CAIRN_STATUS_ACTIVE, NULL,
	                                &err),
	          &err);
	assert_ok(cairn_export(f->st, CAIRN_FORMAT_ICS, NULL, &out, &err),
	          &err);
	cal = icalparser_parse_string(out.buf);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	assert_true(icalrestriction_check(cal));
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	for (c = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT); c;
	     c = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
		icalproperty *p;

		if (icalcomponent_isa(c) == ICAL_VEVENT_COMPONENT) {
			events++;
			assert_string_equal(icalcomponent_get_summary(c),
			                    "Goal; with, commas");
			assert_true(icalcomponent_get_dtstart(c).is_date);
			continue;
		}
		assert_int_equal(icalcomponent_isa(c), ICAL_VTODO_COMPONENT);
		todos++;
		p = icalcomponent_get_first_property(
		        c, ICAL_PERCENTCOMPLETE_PROPERTY);
		assert_non_null(p);
		if (!strcmp(icalcomponent_get_summary(c), "First step")) {
			assert_int_equal(icalcomponent_get_status(c),
			                 ICAL_STATUS_COMPLETED);
			assert_int_equal(icalproperty_get_percentcomplete(p),
			                 100);
		} else {
			assert_string_equal(icalcomponent_get_summary(c),
			                    "Second step");
			assert_int_equal(icalcomponent_get_status(c),
			                 ICAL_STATUS_INPROCESS);
			assert_int_equal(icalproperty_get_percentcomplete(p),
			                 0);
		}
	}
	assert_int_equal(events, 1);
	assert_int_equal(todos, 2);
	icalcomponent_free(cal);
	/* Public only, on request. */
	buf_reset(&out);
	{
		struct cairn_export_opts eo = {CAIRN_VIS_PUBLIC};

		assert_ok(
		        cairn_export(f->st, CAIRN_FORMAT_ICS, &eo, &out, &err),
		        &err);
	}
	assert_null(strstr(out.buf, "Second step"));
	buf_release(&out);
}

/* Numbers that need all 17 digits still dump and reload exactly. */
static void
test_json_exact(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct cairn_store *st2;
	char path[PATH_MAX + 40];
	int64_t id;

	id = add(f->st, CAIRN_KIND_GOAL, "Precise", 0, NULL, CAIRN_VIS_PUBLIC);
	assert_ok(cairn_item_set(f->st, id, "likelihood", "0.30000000000000004",
	                         &err),
	          &err);
	assert_ok(cairn_item_set(f->st, id, "estimate", "0.1/0.7/1e3", &err),
	          &err);
	assert_ok(cairn_export(f->st, CAIRN_FORMAT_JSON, NULL, &a, &err), &err);
	assert_non_null(strstr(a.buf, "0.30000000000000004"));
	snprintf(path, sizeof(path), "%s/second.db", f->dir);
	assert_ok(cairn_store_open(&st2, path, CAIRN_OPEN_CREATE, &err), &err);
	assert_ok(cairn_import(st2, CAIRN_FORMAT_NONE, a.buf, a.len, NULL, NULL,
	                       &err),
	          &err);
	assert_ok(cairn_export(st2, CAIRN_FORMAT_JSON, NULL, &b, &err), &err);
	assert_string_equal(a.buf, b.buf);
	cairn_store_free(st2);
	buf_release(&a);
	buf_release(&b);
}

/* What cairn_export_stream handed over, piece by piece. */
struct pieces {
	struct buf all;
	size_t n, largest;
	size_t fail_at; /* fail the piece with this number (1-based), 0: none */
};

static int
collect_piece(void *ctx, const char *data, size_t len, struct cairn_err *err)
{
	struct pieces *p = ctx;

	if (++p->n == p->fail_at)
		return cairn_err_set(err, CAIRN_EFULL, "disk full at piece %zu",
		                     p->n);
	buf_add(&p->all, data, len);
	if (len > p->largest)
		p->largest = len;
	return 0;
}

/*
 * The streamed dump is cairn_export's, byte for byte, in pieces of about
 * 64 KiB; a failing write stops it with its error.  Other formats come in
 * one piece.
 */
static void
test_json_stream(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf whole = BUF_INIT;
	struct pieces p = {BUF_INIT, 0, 0, 0};
	char title[80];
	int64_t goal;

	goal = add(f->st, CAIRN_KIND_GOAL, "G \"quoted\" \u00fc", 0, NULL,
	           CAIRN_VIS_PUBLIC);
	for (int i = 0; i < 300; i++) {
		snprintf(title, sizeof(title), "Step %d: \"q\" \\ \u00e9", i);
		add(f->st, CAIRN_KIND_MILESTONE, title, goal, NULL,
		    CAIRN_VIS_PUBLIC);
	}
	assert_ok(cairn_export(f->st, CAIRN_FORMAT_JSON, NULL, &whole, &err),
	          &err);
	assert_true(whole.len > 4 * 65536);
	assert_ok(cairn_export_stream(f->st, CAIRN_FORMAT_JSON, NULL,
	                              collect_piece, &p, &err),
	          &err);
	assert_int_equal(p.all.len, whole.len);
	assert_memory_equal(p.all.buf, whole.buf, whole.len);
	assert_true(p.n >= 4);
	assert_true(p.largest < 2 * 65536);
	buf_release(&p.all);

	p = (struct pieces){BUF_INIT, 0, 0, 2};
	assert_int_equal(cairn_export_stream(f->st, CAIRN_FORMAT_JSON, NULL,
	                                     collect_piece, &p, &err),
	                 CAIRN_EFULL);
	assert_string_equal(err.msg, "disk full at piece 2");
	assert_int_equal(p.n, 2);
	buf_release(&p.all);

	buf_reset(&whole);
	assert_ok(cairn_export(f->st, CAIRN_FORMAT_CSV, NULL, &whole, &err),
	          &err);
	p = (struct pieces){BUF_INIT, 0, 0, 0};
	assert_ok(cairn_export_stream(f->st, CAIRN_FORMAT_CSV, NULL,
	                              collect_piece, &p, &err),
	          &err);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.all.buf, whole.buf);
	buf_release(&p.all);
	buf_release(&whole);
}

static void
expect_error(struct cairn_store *st, enum cairn_format fmt, const char *text,
             const char *source, const char *want)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	int rc;

	o.source = source;
	rc = cairn_import(st, fmt, text, strlen(text), &o, NULL, &err);
	assert_int_equal(rc, CAIRN_EINVAL);
	if (!strstr(err.msg, want))
		fail_msg("error '%s' lacks '%s'", err.msg, want);
}

static void
test_errors(void **state)
{
	struct fixture *f = *state;

	expect_error(f->st, CAIRN_FORMAT_NONE, "1. ok\n2. \xc3\x28", "a.md",
	             "invalid UTF-8 in 'a.md' at byte offset 9 (line 2, "
	             "column 4)");
	expect_error(f->st, CAIRN_FORMAT_JSON, "{\n\"format\": 1,\n", "d.json",
	             "malformed JSON in 'd.json' at line 3");
	expect_error(f->st, CAIRN_FORMAT_MD, "---\nkey: [1, 2\n---\n- a\n",
	             "fm.md",
	             "malformed front matter in 'fm.md' at line 3, column 1");
	expect_error(f->st, CAIRN_FORMAT_TASKWARRIOR,
	             "{\"description\":\"a\"}\n{\"description\":\"b\",}\n",
	             "t.json", "malformed JSON in 't.json' at line 2, column");
	expect_error(f->st, CAIRN_FORMAT_TASKWARRIOR,
	             "[{\"description\":\"a\",\"priority\":\"X\"}]", "p.json",
	             "priority must be H, M or L");
	/* Nothing of those reached the store. */
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
}

struct warnings {
	int n;
	char last[512];
};

static void
warn(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

static void
test_refused_links(void **state)
{
	static const char md[] =
	        "1. Goal with [a file](file:///etc/passwd) and "
	        "[mail](mailto:me@example.org)\n"
	        "   - [data](data:text/html,hi) step\n";
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct warnings w = {0, ""};

	o.source = "links.md";
	o.warn = warn;
	o.ctx = &w;
	assert_ok(cairn_import(f->st, CAIRN_FORMAT_MD, md, strlen(md), &o, NULL,
	                       &err),
	          &err);
	assert_int_equal(w.n, 2);
	assert_non_null(strstr(w.last, "data:text/html,hi"));
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM link"), 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM link WHERE "
	                                 "url = 'mailto:me@example.org'"),
	                 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM note WHERE "
	                                 "text LIKE '%%file:///etc/passwd%%'"),
	                 1);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item WHERE "
	                                 "title = 'Goal with a file and mail'"),
	                 1);
}

/* Inside the caller's change, a failing import fails the whole change. */
static void
test_atomic(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	static const char bad[] = "[{\"description\":\"a\",\"uuid\":\"x\"}]";

	assert_ok(cairn_store_begin(f->st, "outer", &err), &err);
	add(f->st, CAIRN_KIND_GOAL, "In the outer change", 0, NULL,
	    CAIRN_VIS_PRIVATE);
	assert_int_equal(cairn_import(f->st, CAIRN_FORMAT_TASKWARRIOR, bad,
	                              strlen(bad), NULL, NULL, &err),
	                 CAIRN_EINVAL);
	assert_int_not_equal(cairn_store_commit(f->st, &err), 0);
	assert_int_equal(db_int(f->path, "SELECT count(*) FROM item"), 0);
}

struct files {
	struct buf all;
	int n;
	int fail_at;
};

static int
collect(void *ctx, const char *path, const char *data, size_t len,
        struct cairn_err *err)
{
	struct files *fs = ctx;

	if (++fs->n == fs->fail_at)
		return cairn_err_set(err, CAIRN_EREADONLY, "disk full at %s",
		                     path);
	assert_null(strchr(path, '/'));
	buf_addf(&fs->all, "== %s\n", path);
	buf_add(&fs->all, data, len);
	return 0;
}

static void
test_publish_public_only(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct files fs = {BUF_INIT, 0, 0};
	int64_t pub, priv, lab;

	pub = add(f->st, CAIRN_KIND_GOAL, "Public goal", 0, NULL,
	          CAIRN_VIS_PUBLIC);
	priv = add(f->st, CAIRN_KIND_GOAL, "Hidden goal", 0, NULL,
	           CAIRN_VIS_PRIVATE);
	lab = add(f->st, CAIRN_KIND_MILESTONE, "Lab step", pub, NULL,
	          CAIRN_VIS_LAB);
	add(f->st, CAIRN_KIND_MILESTONE, "Public step under lab", lab, NULL,
	    CAIRN_VIS_PUBLIC);
	add(f->st, CAIRN_KIND_MILESTONE, "Public step under hidden", priv, NULL,
	    CAIRN_VIS_PUBLIC);
	add(f->st, CAIRN_KIND_MILESTONE, "Shown step", pub, NULL,
	    CAIRN_VIS_PUBLIC);
	assert_ok(cairn_edge_add(f->st, lab, pub + 5, &err), &err);
	assert_ok(cairn_publish(f->st, collect, &fs, &err), &err);
	assert_non_null(strstr(fs.all.buf, "Public goal"));
	assert_non_null(strstr(fs.all.buf, "Shown step"));
	assert_null(strstr(fs.all.buf, "Hidden"));
	assert_null(strstr(fs.all.buf, "Lab step"));
	assert_null(strstr(fs.all.buf, "under"));
	assert_non_null(strstr(fs.all.buf, "0 of 1 milestone done"));
	buf_release(&fs.all);
	/* A failing write stops publishing with its error. */
	fs = (struct files){BUF_INIT, 0, 2};
	assert_int_equal(cairn_publish(f->st, collect, &fs, &err),
	                 CAIRN_EREADONLY);
	assert_non_null(strstr(err.msg, "disk full at"));
	buf_release(&fs.all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_names),
	        cmocka_unit_test(test_table),
	        cmocka_unit_test(test_detect),
	        cmocka_unit_test_setup_teardown(test_ical_valid, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_json_exact, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_json_stream, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_errors, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_refused_links, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_atomic, fixture_setup,
	                                        fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_publish_public_only,
	                                        fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
