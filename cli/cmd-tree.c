/*
 * cmd-tree.c: `cairn tree [ID] [--all]`, the breakdown tree drawn with box
 * characters; the status column lines up by display width whatever script
 * the titles are in.  --json gives nested objects with "children".
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"all", no_argument, NULL, 'a'},
        {0},
};

/*
 * Lines are kept until the widest is known, as the fields they are drawn
 * from rather than as text: a line is formatted once, straight into the
 * output, and a large tree keeps some 50 bytes a line plus its title.
 * The tree drawing is not kept either: each line's "last of its siblings"
 * flag gives it back, since a line's ancestors are the latest lines at
 * the depths above it.
 */
struct line {
	int64_t id;
	double likelihood;
	double p_success;
	size_t title;   /* offset into the text: the title, then the due date */
	uint32_t width; /* cells of the drawing, id, kind and title */
	uint32_t depth;
	int scope;
	signed char kind;
	signed char status;
	unsigned char last; /* the last of its siblings */
	unsigned char due;  /* a due date follows the title */
};

struct tree {
	struct cli *c;
	struct line *v;
	size_t n, cap;
	size_t depth;    /* the deepest line's */
	struct buf text; /* every line's title and due date, NUL-separated */
	json_t **stack;  /* children arrays by depth, for --json */
	size_t depth_cap;
	json_t *top;
};

static int
collect_json(void *ctx, const struct cairn_item *it, int depth,
             const unsigned char *last)
{
	struct tree *t = ctx;
	json_t *o = cairn_item_json(it), *kids = json_array();

	(void)last;
	if ((size_t)depth + 2 > t->depth_cap) {
		t->depth_cap = 2 * ((size_t)depth + 2);
		t->stack = xrealloc(t->stack, t->depth_cap * sizeof(*t->stack));
	}
	json_object_set_new(o, "children", kids);
	json_array_append_new(depth ? t->stack[depth] : t->top, o);
	t->stack[depth + 1] = kids;
	return 0;
}

static size_t
digits(int64_t v)
{
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t n = v < 0 ? 2 : 1;

	while (u >= 10) {
		u /= 10;
		n++;
	}
	return n;
}

/* buf_addf "%lld" without parsing a format for every line. */
static void
add_int(struct buf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int
collect(void *ctx, const struct cairn_item *it, int depth,
        const unsigned char *last)
{
	struct tree *t = ctx;
	struct line *l;
	size_t width;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	l = &t->v[t->n++];
	/* "#ID [KIND] TITLE" after four cells a level of drawing. */
	width = 4 * (size_t)depth + 2 + digits(it->id) + cairn_width(it->title);
	if (it->kind != CAIRN_KIND_MILESTONE)
		width += 3 + cairn_width(cairn_kind_name(it->kind));
	l->id = it->id;
	l->likelihood = it->likelihood;
	l->p_success = it->p_success;
	l->title = t->text.len;
	buf_adds(&t->text, it->title);
	buf_addch(&t->text, '\0');
	l->due = it->due[0] != '\0';
	if (l->due) {
		buf_adds(&t->text, it->due);
		buf_addch(&t->text, '\0');
	}
	l->width = width > UINT32_MAX ? UINT32_MAX : (uint32_t)width;
	l->depth = (uint32_t)depth;
	l->scope = it->scope;
	l->kind = (signed char)it->kind;
	l->status = (signed char)it->status;
	l->last = last[depth];
	if ((size_t)depth > t->depth)
		t->depth = (size_t)depth;
	return 0;
}

/*
 * cli_num remembered by bit pattern (so that -0 and 0 stay apart): a large
 * tree repeats a few dozen probabilities, and snprintf for each of them
 * was a tenth of drawing it.
 */
#define MEMO_BITS 6
#define MEMO_SIZE (1 << MEMO_BITS)

struct num_memo {
	uint64_t bits[MEMO_SIZE];
	char text[MEMO_SIZE][32];
	unsigned char used[MEMO_SIZE];
};

static const char *
memo_num(struct num_memo *m, double v)
{
	const char *s;
	uint64_t bits;
	size_t k;

	memcpy(&bits, &v, sizeof(bits));
	/* Fibonacci hashing: the top bits of a golden-ratio product. */
	k = (size_t)((bits * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - MEMO_BITS));
	if (m->used[k] && m->bits[k] == bits)
		return m->text[k];
	s = cli_num(m->text[k], sizeof(m->text[k]), v);
	/* Only what was written into the slot is kept there. */
	m->used[k] = s == m->text[k];
	m->bits[k] = bits;
	return s;
}

/* Flush the output when this much is waiting. */
#define OUT_CHUNK 65536

static void
print_lines(struct tree *t)
{
	struct cli *c = t->c;
	struct buf out = BUF_INIT, left = BUF_INIT, fit = BUF_INIT;
	struct buf meta = BUF_INIT;
	unsigned char *last = xcalloc(t->depth + 1, 1);
	struct num_memo *memo = xcalloc(1, sizeof(*memo));
	size_t col = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].width > col)
			col = t->v[i].width;
	/* On a terminal, keep the status column on the screen. */
	if (c->width && col + 2 + 24 > (size_t)c->width)
		col = (size_t)c->width > 44 ? (size_t)c->width - 26 : 20;
	for (size_t i = 0; i < t->n; i++) {
		const struct line *l = &t->v[i];
		const char *title = t->text.buf + l->title;
		size_t depth = l->depth;
		const struct buf *shown;

		buf_reset(&left);
		last[depth] = l->last;
		for (size_t d = 1; d < depth; d++)
			buf_adds(&left, last[d] ? "    " : "\xe2\x94\x82   ");
		if (depth)
			buf_adds(&left, last[depth] ? "\xe2\x94\x94\xe2\x94"
			                              "\x80\xe2\x94\x80 "
			                            : "\xe2\x94\x9c\xe2\x94"
			                              "\x80\xe2\x94\x80 ");
		buf_addch(&left, '#');
		add_int(&left, l->id);
		buf_addch(&left, ' ');
		if (l->kind != CAIRN_KIND_MILESTONE) {
			buf_addch(&left, '[');
			buf_adds(&left, cairn_kind_name(l->kind));
			buf_adds(&left, "] ");
		}
		buf_adds(&left, title);
		shown = &left;
		if (l->width <= col) {
			/* cairn_width_fit's work, without measuring again. */
			cairn_pad(&left, col - l->width);
		} else {
			buf_reset(&fit);
			cairn_width_fit(&fit, left.buf, col, col);
			shown = &fit;
		}
		cli_styled(c, &out,
		           l->kind == CAIRN_KIND_GOAL ? STYLE_BOLD : STYLE_NONE,
		           shown->buf);
		buf_adds(&out, "  ");

		buf_reset(&meta);
		buf_adds(&meta, cairn_status_name(l->status));
		if (l->likelihood >= 0) {
			buf_adds(&meta, "  likelihood ");
			buf_adds(&meta, memo_num(memo, l->likelihood));
		}
		if (l->scope) {
			buf_adds(&meta, "  scope ");
			add_int(&meta, l->scope);
		}
		if (l->p_success >= 0) {
			buf_adds(&meta, "  p ");
			buf_adds(&meta, memo_num(memo, l->p_success));
		}
		if (l->due) {
			buf_adds(&meta, "  due ");
			buf_adds(&meta, title + strlen(title) + 1);
		}
		cli_styled(c, &out, cli_status_style(l->status), meta.buf);
		/* No trailing blanks when the meta is short. */
		buf_addch(&out, '\n');
		if (out.len >= OUT_CHUNK) {
			fwrite(out.buf, 1, out.len, c->out);
			buf_reset(&out);
		}
	}
	fwrite(out.buf, 1, out.len, c->out);
	free(last);
	free(memo);
	buf_release(&meta);
	buf_release(&fit);
	buf_release(&left);
	buf_release(&out);
}

static int
cmd_tree_exec(struct cli *c)
{
	struct tree t = {0};
	int64_t root = 0;
	int ch, all = 0, rc;

	t.c = c;
	t.text = (struct buf)BUF_INIT;
	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'a')
			return 2;
		all = 1;
	}
	if (optind < c->argc && (rc = cli_id(c, c->argv[optind], &root)))
		return rc;
	if (cli_open(c))
		return 1;
	if (c->json) {
		t.top = json_array();
		rc = cairn_tree_walk(c->st, root, all ? CAIRN_TREE_ALL : 0,
		                     collect_json, &t, &c->err);
		if (!rc)
			cli_json_print(c, t.top);
		else
			json_decref(t.top);
		free(t.stack);
		return rc ? cli_fail(c) : 0;
	}
	rc = cairn_tree_walk(c->st, root,
	                     (all ? CAIRN_TREE_ALL : 0) | CAIRN_TREE_BRIEF,
	                     collect, &t, &c->err);
	if (!rc)
		print_lines(&t);
	buf_release(&t.text);
	free(t.v);
	return rc ? cli_fail(c) : 0;
}

const struct cmd_entry cmd_tree_entry = {
        .name = "tree",
        .usage = "tree [ID] [--all]",
        .args = "[ID]",
        .summary = "draw the breakdown tree (done and dropped only with --all)",
        .flags = CMD_OPENS_DB,
        .exec = cmd_tree_exec,
};
