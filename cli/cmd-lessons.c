/*
 * cmd-lessons.c: `cairn lessons [ID] [--search WORDS]`, lessons of the
 * whole roadmap or of ID's subtree, oldest first, or the best matches of
 * a full-text search first.
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"search", required_argument, NULL, 's'},
        {0},
};

struct show {
	struct cli *c;
	json_t *all;
};

static int
row(void *ctx, const struct cairn_lesson *l)
{
	struct show *s = ctx;
	struct cli *c = s->c;
	struct buf b = BUF_INIT;

	if (c->json) {
		json_array_append_new(s->all, cairn_lesson_json(l));
		return 0;
	}
	buf_addf(&b, "%.10s  #%-4lld ", l->created, (long long)l->item);
	cli_styled(c, &b, l->worked ? STYLE_GREEN : STYLE_RED,
	           l->worked ? "worked      " : "didn't work ");
	buf_addf(&b, " %s\n", l->text);
	fputs(b.buf, c->out);
	buf_release(&b);
	return 0;
}

static int
cmd_lessons_exec(struct cli *c)
{
	struct show s = {c, NULL};
	const char *search = NULL;
	int64_t id = 0;
	int ch, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 's')
			return 2;
		search = optarg;
	}
	if (optind < c->argc && (rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	if (cli_open(c))
		return 1;
	if (c->json)
		s.all = json_array();
	if (cairn_lesson_each(c->st, id, search, row, &s, &c->err)) {
		json_decref(s.all);
		return cli_fail(c);
	}
	if (c->json)
		cli_json_print(c, s.all);
	return 0;
}

const struct cmd_entry cmd_lessons_entry = {
        .name = "lessons",
        .usage = "lessons [ID] [--search WORDS]",
        .args = "[ID]",
        .summary = "list lessons (of ID's subtree), or search them",
        .help = "--search finds lessons holding every word (any case; "
                "'replic*' matches as a prefix), best match first.",
        .flags = CMD_OPENS_DB,
        .exec = cmd_lessons_exec,
};
