/*
 * test-import.c: the fast paths of the Taskwarrior importer give what the
 * plain ones give.
 *
 *  - The bulk writer's batches (imp_batch_begin): the same calls with and
 *    without batching leave the same rows, ids, journal and counts,
 *    whatever they mix (an item met twice, a note on an older item, a
 *    link, parents set afterwards, an id gap left by a removed item).
 *  - A big array parsed task by task in two threads leaves the store one
 *    task a line leaves, wherever the half-way guess falls; its errors are
 *    jansson's own for the whole document, line and column included.
 *  - The Markdown importer's parse-only entry (fmt_md_parse), with no
 *    store at all, says what the import says of the same file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fmt/fmt-int.h"
#include "unit.h"

#define UUID_FMT "%08x-0000-4000-8000-%012x"

static void
open_store(const char *dir, const char *name, struct cairn_store **st,
           char path[PATH_MAX + 32])
{
	struct cairn_err err = CAIRN_ERR_INIT;

	snprintf(path, PATH_MAX + 32, "%s/%s", dir, name);
	assert_ok(cairn_store_open(st, path, CAIRN_OPEN_CREATE, &err), &err);
}

/* Every row of the store, the journal's too, and the item sequence. */
static void
dump_store(const char *path, struct buf *out)
{
	buf_reset(out);
	db_dump_data(path, out);
	db_dump_table(path, "change", out);
	db_dump_table(path, "event", out);
	buf_addf(out, "sequence %lld\n",
	         db_int(path, "SELECT seq FROM sqlite_sequence WHERE name = "
	                      "'item'"));
}

static void
add_item(struct imp *im, int n, int64_t parent, const char *title, int64_t *id)
{
	struct cairn_item it;

	cairn_item_init(&it);
	snprintf(it.uuid, sizeof(it.uuid), UUID_FMT, n, n * 7);
	it.title = xstrdup(title);
	it.parent = parent;
	it.likelihood = 0.1 * (n % 10);
	if (n % 3 == 0)
		it.status = CAIRN_STATUS_DONE;
	assert_int_equal(imp_item(im, &it, IMP_TITLE | IMP_PARENT, NULL), 0);
	*id = it.id;
	cairn_item_release(&it);
}

/*
 * One import's worth of bulk-writer calls, as an importer makes them,
 * into st; with batch, through the batches.
 */
static void
run_calls(struct cairn_store *st, int batch, struct cairn_import_result *r)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct imp im;
	int64_t ids[200], id, older;
	char text[64];

	memset(r, 0, sizeof(*r));
	o.source = "calls";
	assert_ok(cairn_store_begin(st, "calls", &err), &err);
	imp_init(&im, st, &o, r, &err);
	assert_ok(imp_journal_begin(&im), &err);
	if (batch)
		assert_ok(imp_batch_begin(&im), &err);
	/* More than a batch of items, each with tags (one twice) and notes,
	 * the later ones below earlier ones. */
	for (int n = 1; n <= 150; n++) {
		snprintf(text, sizeof(text), "Item %d", n);
		add_item(&im, n, n > 10 ? ids[n / 10] : 0, text, &ids[n]);
		snprintf(text, sizeof(text), "t%d", n % 4);
		assert_ok(imp_tag(&im, ids[n], text), &err);
		assert_ok(imp_tag(&im, ids[n], "all"), &err);
		assert_ok(imp_tag(&im, ids[n], text), &err);
		snprintf(text, sizeof(text), "note on %d", n);
		assert_ok(imp_note(&im, ids[n], text, NULL), &err);
		assert_ok(imp_note(&im, ids[n], text, "2026-01-02T03:04:05Z"),
		          &err);
	}
	/* An item met again, retitled: found, updated, a new statement. */
	add_item(&im, 5, 0, "Item 5, sharper", &id);
	assert_int_equal(id, ids[5]);
	assert_ok(imp_find(&im, "00000007-0000-4000-8000-000000000031", &id),
	          &err);
	assert_int_equal(id, ids[7]);
	assert_ok(imp_find(&im, "99999999-0000-4000-8000-000000000000", &id),
	          &err);
	assert_int_equal(id, 0);
	/* The item from before the import: found, and its notes matched. */
	assert_ok(imp_find(&im, "00000000-0000-4000-8000-00000000aaaa", &older),
	          &err);
	assert_int_not_equal(older, 0);
	assert_ok(imp_note(&im, older, "older note", NULL), &err);
	assert_ok(imp_note(&im, older, "a note the store had", NULL), &err);
	assert_ok(imp_tag(&im, older, "older"), &err);
	assert_ok(imp_link(&im, ids[20], "https://example.org/x", "X", NULL),
	          &err);
	assert_ok(imp_link(&im, ids[20], "https://example.org/x", "X", NULL),
	          &err);
	for (int n = 2; n <= 150; n += 3)
		assert_ok(imp_edge(&im, ids[n], ids[n - 1]), &err);
	assert_ok(imp_edge(&im, ids[5], ids[4]), &err);
	/* The insert events go out before later updates of the rows. */
	assert_ok(imp_journal_flush(&im), &err);
	assert_ok(imp_set_parent(&im, ids[3], ids[2]), &err);
	assert_ok(imp_set_parent(&im, older, ids[1]), &err);
	assert_ok(imp_edge(&im, ids[150], ids[1]), &err);
	assert_ok(imp_flush(&im), &err);
	assert_ok(imp_check_graph(&im), &err);
	assert_ok(imp_journal_end(&im, 1), &err);
	imp_release(&im);
	assert_ok(cairn_store_commit(st, &err), &err);
}

/* A store with an item, a note on it, and a removed item after it: the
 * item sequence is ahead of the largest id. */
static void
prepare(struct cairn_store *st)
{
	static const char older[] =
	        "[{\"uuid\":\"00000000-0000-4000-8000-00000000aaaa\","
	        "\"description\":\"Older goal\",\"cairnkind\":\"goal\"},"
	        "{\"uuid\":\"00000000-0000-4000-8000-00000000bbbb\","
	        "\"description\":\"Removed\"}]";
	struct cairn_err err = CAIRN_ERR_INIT;

	assert_ok(cairn_import(st, CAIRN_FORMAT_TASKWARRIOR, older,
	                       sizeof(older) - 1, NULL, NULL, &err),
	          &err);
	assert_ok(cairn_item_note(st, 1, "a note the store had", &err), &err);
	assert_ok(cairn_item_remove(st, 2, 0, &err), &err);
}

static void
test_batched_as_unbatched(void **state)
{
	struct cairn_store *st[2];
	struct cairn_import_result r[2];
	struct buf d[2] = {BUF_INIT, BUF_INIT};
	char dir[PATH_MAX], path[2][PATH_MAX + 32];

	(void)state;
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	setenv("CAIRN_ACTOR", "tester", 1);
	unit_tmpdir(dir);
	for (int k = 0; k < 2; k++) {
		open_store(dir, k ? "batched.db" : "plain.db", &st[k], path[k]);
		prepare(st[k]);
		assert_int_equal(db_int(path[k], "SELECT seq FROM "
		                                 "sqlite_sequence WHERE name "
		                                 "= 'item'"),
		                 2);
		run_calls(st[k], k, &r[k]);
		dump_store(path[k], &d[k]);
		cairn_store_free(st[k]);
	}
	/* The first new item takes id 3: AUTOINCREMENT skips the removed
	 * item's 2, the batches too. */
	assert_int_equal(db_int(path[1], "SELECT min(id) FROM item WHERE id "
	                                 "> 1"),
	                 3);
	assert_int_equal(r[1].added, 150);
	assert_int_equal(r[1].updated, 1);
	assert_int_equal(r[0].added, r[1].added);
	assert_int_equal(r[0].updated, r[1].updated);
	assert_int_equal(r[0].unchanged, r[1].unchanged);
	assert_int_equal(r[0].rows, r[1].rows);
	assert_string_equal(d[1].buf, d[0].buf);
	buf_release(&d[0]);
	buf_release(&d[1]);
	unit_rmtree(dir);
}

/* n tasks: an array, or one task a line; tricky: titles full of ",{". */
static void
tasks(struct buf *out, int n, int array, int tricky)
{
	buf_reset(out);
	if (array)
		buf_adds(out, "[\n");
	for (int i = 1; i <= n; i++) {
		char u[37];

		snprintf(u, sizeof(u), UUID_FMT, i, i * 7);
		if (array && i > 1)
			buf_adds(out, ",\n");
		buf_addf(out,
		         "{\"uuid\":\"%s\",\"description\":\"Task %d%s\","
		         "\"entry\":\"2026%02d%02dT090000Z\",\"project\":"
		         "\"Area%d.P%d\",\"status\":\"%s\",\"tags\":[\"t%d\"],"
		         "\"annotations\":[{\"entry\":\"20260301T090000Z\","
		         "\"description\":\"note %d\"}],\"custom\":[%d,{\"a\":"
		         "null}]",
		         u, i,
		         tricky ? " ,{\\\"x\\\":1}, ,{ ,{ ,{ ,{ ,{ ,{ ,{ ,{ ,{"
		                : "",
		         i % 12 + 1, i % 28 + 1, i % 5, i % 17,
		         i % 9 ? "pending" : "completed", i % 3, i, i);
		if (i % 2 && i > 100) {
			snprintf(u, sizeof(u), UUID_FMT, i - 100,
			         (i - 100) * 7);
			buf_addf(out, ",\"depends\":[\"%s\"]", u);
		}
		buf_adds(out, "}");
		if (!array)
			buf_addch(out, '\n');
	}
	if (array)
		buf_adds(out, "\n]\n");
}

static int
import_tw(struct cairn_store *st, const struct buf *in,
          struct cairn_import_result *r, struct cairn_err *err)
{
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;

	o.source = "tasks.json";
	return cairn_import(st, CAIRN_FORMAT_TASKWARRIOR, in->buf, in->len, &o,
	                    r, err);
}

static void
test_split_as_whole(void **state)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_import_result r;
	struct buf in = BUF_INIT, d[2] = {BUF_INIT, BUF_INIT};
	char dir[PATH_MAX], path[PATH_MAX + 32];

	(void)state;
	setenv("CAIRN_NOW", UNIT_NOW, 1);
	unit_tmpdir(dir);
	for (int tricky = 0; tricky < 2; tricky++) {
		for (int array = 0; array < 2; array++) {
			struct cairn_store *st;
			char name[32];

			snprintf(name, sizeof(name), "s%d%d.db", tricky, array);
			open_store(dir, name, &st, path);
			tasks(&in, 6000, array, tricky);
			/* Big enough for two threads. */
			assert_true(in.len > (1u << 20));
			assert_ok(import_tw(st, &in, &r, &err), &err);
			/* The tasks and their 5 + 85 projects. */
			assert_int_equal(r.added, 6000 + 5 + 85);
			dump_store(path, &d[array]);
			cairn_store_free(st);
		}
		assert_string_equal(d[1].buf, d[0].buf);
	}
	buf_release(&in);
	buf_release(&d[0]);
	buf_release(&d[1]);
	unit_rmtree(dir);
}

/* Import in, which must fail with jansson's own message for it whole. */
static void
expect_jansson_error(struct cairn_store *st, const char *path,
                     const struct buf *in)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	json_error_t jerr;
	json_t *whole =
	        json_loadb(in->buf, in->len, JSON_REJECT_DUPLICATES, &jerr);
	char want[512];

	assert_null(whole);
	snprintf(want, sizeof(want),
	         "malformed JSON in 'tasks.json' at line %d, column %d: %s",
	         jerr.line, jerr.column, jerr.text);
	assert_int_equal(import_tw(st, in, NULL, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, want);
	assert_int_equal(db_int(path, "SELECT count(*) FROM item"), 0);
}

/* Replace the first occurrence of from at or after byte at in b. */
static void
splice(struct buf *b, size_t at, const char *from, const char *to)
{
	char *p = strstr(b->buf + at, from);
	struct buf out = BUF_INIT;

	assert_non_null(p);
	buf_add(&out, b->buf, (size_t)(p - b->buf));
	buf_adds(&out, to);
	buf_adds(&out, p + strlen(from));
	buf_reset(b);
	buf_add(b, out.buf, out.len);
	buf_release(&out);
}

static void
test_split_errors(void **state)
{
	struct fixture *f = *state;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct cairn_store *st;
	struct buf in = BUF_INIT, deep = BUF_INIT;
	char path[PATH_MAX + 32];

	/* A syntax error early, and late (in the helper's half). */
	tasks(&in, 6000, 1, 0);
	splice(&in, 1000, "\"status\":", "\"status\" ");
	expect_jansson_error(f->st, f->path, &in);
	tasks(&in, 6000, 1, 0);
	splice(&in, in.len - 5000, "\"status\":", "\"status\" ");
	expect_jansson_error(f->st, f->path, &in);
	/* A key twice, late. */
	tasks(&in, 6000, 1, 1);
	splice(&in, in.len - 3000, "\"status\":", "\"status\":1,\"status\":");
	expect_jansson_error(f->st, f->path, &in);
	/* No comma between two tasks; a form feed for white space. */
	tasks(&in, 6000, 1, 0);
	splice(&in, in.len / 3, "},\n{", "}\n{");
	expect_jansson_error(f->st, f->path, &in);
	tasks(&in, 6000, 1, 0);
	splice(&in, in.len / 3, ",\n{", ",\f{");
	expect_jansson_error(f->st, f->path, &in);
	/* Something after the array; no end to it. */
	tasks(&in, 6000, 1, 0);
	buf_adds(&in, "]");
	expect_jansson_error(f->st, f->path, &in);
	tasks(&in, 6000, 1, 0);
	in.len -= 3;
	expect_jansson_error(f->st, f->path, &in);
	/* A task one level too deep for the array, though not alone; one
	 * level less is fine. */
	for (int depth = 1; depth >= 0; depth--) {
		tasks(&in, 6000, 1, 0);
		buf_reset(&deep);
		buf_adds(&deep, ",{\"description\":\"deep\",\"x\":");
		for (int k = 0; k < JSON_PARSER_MAX_DEPTH - 2 + depth; k++)
			buf_addch(&deep, '[');
		for (int k = 0; k < JSON_PARSER_MAX_DEPTH - 2 + depth; k++)
			buf_addch(&deep, ']');
		buf_adds(&deep, "}\n]");
		splice(&in, in.len - 4, "\n]", deep.buf);
		if (depth)
			expect_jansson_error(f->st, f->path, &in);
		else
			assert_ok(import_tw(f->st, &in, NULL, &err), &err);
	}
	/* Not an object: the task is named, as before. */
	open_store(f->dir, "other.db", &st, path);
	tasks(&in, 6000, 1, 0);
	splice(&in, in.len - 4, "\n]", ",\n5\n]");
	assert_int_equal(import_tw(st, &in, NULL, &err), CAIRN_EINVAL);
	assert_string_equal(err.msg, "'tasks.json' task 6001: a task must be "
	                             "a JSON object");
	assert_int_equal(db_int(path, "SELECT count(*) FROM item"), 0);
	cairn_store_free(st);
	buf_release(&in);
	buf_release(&deep);
}

/* fmt_md_parse gives, with no store, the result an import gives. */
static void
test_md_parse_as_import(void **state)
{
	struct fixture *f = *state;
	struct buf deep = BUF_INIT, long_title = BUF_INIT;
	const char *inputs[6];
	size_t n = 0, failed = 0;

	inputs[n++] = "Intro.\n\n1. Goal [a](https://example.org)\n- ms\n"
	              "- Why?\n<br>\n\n2. Other\n\nClosing.\n";
	inputs[n++] = "---\ntitle: x\n---\n1. G\n\n   Metric: cost (USD) "
	              "from 7000 to 100.\n";
	inputs[n++] = "Only a paragraph, no list.\n";
	for (int d = 0; d < 80; d++)
		buf_addf(&deep, "%*s- level %d\n", 2 * d, "", d);
	inputs[n++] = deep.buf;
	buf_adds(&long_title, "1. ");
	for (int k = 0; k < 70000; k++)
		buf_adds(&long_title, "word ");
	buf_adds(&long_title, "\n");
	inputs[n++] = long_title.buf;
	inputs[n++] = "---\n: [\n---\n1. G\n";
	for (size_t i = 0; i < n; i++) {
		struct cairn_err pe = CAIRN_ERR_INIT, ie = CAIRN_ERR_INIT;
		struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
		int prc, irc;

		o.source = "post.md";
		prc = fmt_md_parse(inputs[i], strlen(inputs[i]), "post.md",
		                   &pe);
		irc = cairn_import(f->st, CAIRN_FORMAT_MD, inputs[i],
		                   strlen(inputs[i]), &o, NULL, &ie);
		if (prc != irc || (irc && strcmp(pe.msg, ie.msg)))
			fail_msg("input %zu: parse gives %d '%s', import %d "
			         "'%s'",
			         i, prc, pe.msg, irc, ie.msg);
		failed += prc != 0;
	}
	/* The list, the nesting and the front matter are refused. */
	assert_int_equal(failed, 3);
	buf_release(&deep);
	buf_release(&long_title);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_batched_as_unbatched),
	        cmocka_unit_test(test_split_as_whole),
	        cmocka_unit_test_setup_teardown(
	                test_split_errors, fixture_setup, fixture_teardown),
	        cmocka_unit_test_setup_teardown(test_md_parse_as_import,
	                                        fixture_setup,
	                                        fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
