/*
 * test-width.c: display width of UTF-8 text, fitting text into columns,
 * and UTF-8 validation, so that titles in any script line up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static void
expect_fit(const char *s, size_t max, size_t pad, const char *want)
{
	struct buf out = BUF_INIT;

	cairn_width_fit(&out, s, max, pad);
	if (strcmp(out.buf, want))
		fail_msg("fit('%s', %zu, %zu) = '%s', want '%s'", s, max, pad,
		         out.buf, want);
	/* Padded to a column at least as wide as max: exactly pad cells. */
	if (pad >= max)
		assert_int_equal(cairn_width(out.buf), pad);
	buf_release(&out);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(cairn_width(""), 0);
	assert_int_equal(cairn_width("abc"), 3);
	assert_int_equal(cairn_width("BERT for under $100"), 19);
	/* Accents: composed, and a base letter with a combining mark. */
	assert_int_equal(cairn_width("caf\xc3\xa9"), 4);
	assert_int_equal(cairn_width("cafe\xcc\x81"), 4);
	assert_int_equal(cairn_width("Bj\xc3\xb6rk \xc3\x85ngstr\xc3\xb6m"),
	                 14);
	/* CJK and full-width forms: two cells each. */
	assert_int_equal(cairn_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	assert_int_equal(cairn_width("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"),
	                 6);
	assert_int_equal(cairn_width("\xed\x95\x9c\xea\xb5\xad"), 4);
	assert_int_equal(cairn_width("\xef\xbc\xa1\xef\xbc\xa2"), 4);
	assert_int_equal(cairn_width("a\xe4\xb8\xad"
	                             "b"),
	                 4);
	/* Emoji: two cells. */
	assert_int_equal(cairn_width("\xf0\x9f\x8e\xaf"), 2);
	assert_int_equal(cairn_width("\xf0\x9f\x98\x80 ok"), 5);
	/* Invalid bytes: one cell each, and no overrun of a cut sequence. */
	assert_int_equal(cairn_width("\xff\xfe"), 2);
	assert_int_equal(cairn_width("a\xff"
	                             "b"),
	                 3);
	assert_int_equal(cairn_width("\xe4\xb8"), 2);
	assert_int_equal(cairn_width("\xc0\xaf"), 2);
}

static void
test_fit(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	/* Fits: as is, padded with spaces to pad cells. */
	expect_fit("abc", 5, 0, "abc");
	expect_fit("abc", 5, 5, "abc  ");
	expect_fit("abcde", 5, 5, "abcde");
	expect_fit("", 5, 3, "   ");
	/* Cut: one cell is kept for the ellipsis. */
	expect_fit("abcdefgh", 5, 0, "abcd\xe2\x80\xa6");
	expect_fit("abcdefgh", 5, 7, "abcd\xe2\x80\xa6  ");
	expect_fit("abcdef", 5, 5, "abcd\xe2\x80\xa6");
	expect_fit("abc", 1, 0, "\xe2\x80\xa6");
	expect_fit("abc", 0, 0, "");
	expect_fit("abc", 0, 2, "  ");
	/* Wide characters are never split: the cut may leave a gap. */
	expect_fit("\xe4\xb8\xad\xe6\x96\x87\xe6\xa0\x87\xe9\xa2\x98", 5, 0,
	           "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6");
	expect_fit("\xe4\xb8\xad\xe6\x96\x87\xe6\xa0\x87\xe9\xa2\x98", 4, 4,
	           "\xe4\xb8\xad\xe2\x80\xa6 ");
	expect_fit("\xe4\xb8\xad", 10, 4, "\xe4\xb8\xad  ");
	expect_fit("\xf0\x9f\x8e\xaf goals", 4, 0,
	           "\xf0\x9f\x8e\xaf \xe2\x80\xa6");
	/* Combining marks stay with their letter. */
	expect_fit("e\xcc\x81"
	           "e\xcc\x81"
	           "e\xcc\x81"
	           "e\xcc\x81",
	           3, 0,
	           "e\xcc\x81"
	           "e\xcc\x81\xe2\x80\xa6");
	expect_fit("cafe\xcc\x81s", 4, 0, "caf\xe2\x80\xa6");
	expect_fit("cafe\xcc\x81", 4, 6, "cafe\xcc\x81  ");
	/* Invalid bytes count one cell each. */
	expect_fit("\xff\xff\xff\xff", 3, 0, "\xff\xff\xe2\x80\xa6");

	/* fit appends. */
	buf_adds(&out, "| ");
	cairn_width_fit(&out, "title", 3, 4);
	buf_adds(&out, "|");
	assert_string_equal(out.buf, "| ti\xe2\x80\xa6 |");
	buf_release(&out);
}

/* Rows with titles in several scripts line up when fitted to a column. */
static void
test_columns(void **state)
{
	static const char *const titles[] = {
	        "Compression with guarantees",
	        "\xe4\xb8\xad\xe6\x96\x87\xe6\xa0\x87\xe9\xa2\x98\xe5\xbe\x88"
	        "\xe9\x95\xbf\xe7\x9a\x84\xe7\x9b\xae\xe6\xa0\x87",
	        "\xf0\x9f\x8e\xaf BERT for under $100",
	        "Caf\xc3\xa9 e\xcc\x81tude",
	        "x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		struct buf row = BUF_INIT;

		cairn_width_fit(&row, titles[i], 12, 12);
		buf_adds(&row, "|");
		assert_int_equal(cairn_width(row.buf), 13);
		buf_release(&row);
	}
}

static void
test_utf8_check(void **state)
{
	(void)state;
	assert_int_equal(cairn_utf8_check("", 0), 0);
	assert_int_equal(cairn_utf8_check("abc", 3), 0);
	assert_int_equal(cairn_utf8_check("\xe4\xb8\xad\xe6\x96\x87", 6), 0);
	assert_int_equal(cairn_utf8_check("\xf0\x9f\x8e\xaf", 4), 0);
	assert_int_equal(cairn_utf8_check("a\0b", 3), 0);
	/* The offset of the first bad byte, plus one. */
	assert_int_equal(cairn_utf8_check("ab\xff"
	                                  "cd",
	                                  5),
	                 3);
	assert_int_equal(cairn_utf8_check("\x80", 1), 1);
	/* A sequence cut by the length. */
	assert_int_equal(cairn_utf8_check("\xe4\xb8\xad\xe6\x96\x87", 5), 4);
	assert_int_equal(cairn_utf8_check("ok\xe4\xb8", 4), 3);
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	assert_int_equal(cairn_utf8_check("\xc0\xaf", 2), 1);
	assert_int_equal(cairn_utf8_check("x\xe0\x80\xaf", 4), 2);
	assert_int_equal(cairn_utf8_check("\xed\xa0\x80", 3), 1);
	assert_int_equal(cairn_utf8_check("a\xf4\x90\x80\x80", 5), 2);
	/* Only len bytes are looked at. */
	assert_int_equal(cairn_utf8_check("abc\xff", 3), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_width),
	        cmocka_unit_test(test_fit),
	        cmocka_unit_test(test_columns),
	        cmocka_unit_test(test_utf8_check),
	};

	return cmocka_run_group_tests_name("width", tests, NULL, NULL);
}
