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
 * Lines are kept until the widest is known.  Their text lives in one
 * buffer (offsets, not pointers, as it grows): two allocations a line for
 * a large tree cost more than drawing it.
 */
struct line {
	size_t left; /* tree drawing, id and title */
	size_t width;
	size_t meta;
	enum cairn_status status;
	int goal;
};

struct tree {
	struct cli *c;
	struct line *v;
	size_t n, cap;
	struct buf text; /* every line's left and meta, NUL-separated */
	json_t **stack; /* children arrays by depth, for --json */
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
		t->stack = xrealloc(t->stack,
				    t->depth_cap * sizeof(*t->stack));
	}
	json_object_set_new(o, "children", kids);
	json_array_append_new(depth ? t->stack[depth] : t->top, o);
	t->stack[depth + 1] = kids;
	return 0;
}

static int
collect(void *ctx, const struct cairn_item *it, int depth,
	const unsigned char *last)
{
	struct tree *t = ctx;
	struct buf *b = &t->text;
	char num[32];
	struct line *l;
	size_t start = b->len, drawing;

	for (int d = 1; d < depth; d++)
		buf_adds(b, last[d] ? "    " : "\xe2\x94\x82   ");
	if (depth)
		buf_adds(b, last[depth] ? "\xe2\x94\x94\xe2\x94\x80\xe2"
					  "\x94\x80 "
					: "\xe2\x94\x9c\xe2\x94\x80\xe2"
					  "\x94\x80 ");
	drawing = b->len; /* four cells a level */
	buf_addf(b, "#%lld ", (long long)it->id);
	if (it->kind != CAIRN_KIND_MILESTONE)
		buf_addf(b, "[%s] ", cairn_kind_name(it->kind));
	buf_adds(b, it->title);

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	l = &t->v[t->n++];
	l->left = start;
	l->width = 4 * (size_t)depth + cairn_width(b->buf + drawing);
	buf_addch(b, '\0');

	l->meta = b->len;
	buf_adds(b, cairn_status_name(it->status));
	if (it->likelihood >= 0)
		buf_addf(b, "  likelihood %s",
			 cli_num(num, sizeof(num), it->likelihood));
	if (it->scope)
		buf_addf(b, "  scope %d", it->scope);
	if (it->p_success >= 0)
		buf_addf(b, "  p %s", cli_num(num, sizeof(num), it->p_success));
	if (it->due[0])
		buf_addf(b, "  due %s", it->due);
	buf_addch(b, '\0');

	l->status = it->status;
	l->goal = it->kind == CAIRN_KIND_GOAL;
	return 0;
}

static void
print_lines(struct tree *t)
{
	struct cli *c = t->c;
	struct buf out = BUF_INIT, left = BUF_INIT;
	size_t col = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].width > col)
			col = t->v[i].width;
	/* On a terminal, keep the status column on the screen. */
	if (c->width && col + 2 + 24 > (size_t)c->width)
		col = (size_t)c->width > 44 ? (size_t)c->width - 26 : 20;
	for (size_t i = 0; i < t->n; i++) {
		struct line *l = &t->v[i];
		const char *text = t->text.buf + l->left;

		buf_reset(&out);
		buf_reset(&left);
		if (l->width <= col) {
			/* What cairn_width_fit does, without measuring again. */
			buf_adds(&left, text);
			cairn_pad(&left, col - l->width);
		} else {
			cairn_width_fit(&left, text, col, col);
		}
		cli_styled(c, &out, l->goal ? STYLE_BOLD : STYLE_NONE,
			   left.buf);
		buf_adds(&out, "  ");
		cli_styled(c, &out, cli_status_style(l->status),
			   t->text.buf + l->meta);
		/* No trailing blanks when the meta is short. */
		buf_addch(&out, '\n');
		fputs(out.buf, c->out);
	}
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
	if (optind + 1 < c->argc)
		return cli_usage(c, "too many arguments");
	if (optind < c->argc && cli_id(c, c->argv[optind], &root))
		return 1;
	if (c->json) {
		t.top = json_array();
		rc = cairn_tree_walk(c->st, root, all ? CAIRN_TREE_ALL : 0,
				     collect_json, &t,
				     &c->err);
		if (!rc)
			cli_json_print(c, t.top);
		else
			json_decref(t.top);
		free(t.stack);
		return rc ? cli_fail(c) : 0;
	}
	rc = cairn_tree_walk(c->st, root, (all ? CAIRN_TREE_ALL : 0) |
						 CAIRN_TREE_BRIEF,
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
	.summary = "draw the breakdown tree (done and dropped only with --all)",
	.flags = CMD_OPENS_DB,
	.exec = cmd_tree_exec,
};
