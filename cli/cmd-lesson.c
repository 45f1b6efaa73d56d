/*
 * cmd-lesson.c: `cairn lesson ID TEXT [--didnt-work]`, what did (or did
 * not) work, on an item.
 */
#include "cmd.h"
#include "../lib/banned.h"

static const struct option opts[] = {
        {"didnt-work", no_argument, NULL, 'd'},
        {0},
};

/* --json: find the new lesson among the item's. */
static int
find_lesson(void *ctx, const struct cairn_lesson *l)
{
	struct cli_found *f = ctx;

	if (l->id != f->id)
		return 0;
	f->json = cairn_lesson_json(l);
	return 1;
}

static int
cmd_lesson_exec(struct cli *c)
{
	struct buf text = BUF_INIT;
	int64_t id, lid = 0;
	int ch, worked = 1, rc;

	while ((ch = cli_getopt(c, "", opts)) != -1) {
		if (ch != 'd')
			return 2;
		worked = 0;
	}
	if ((rc = cli_id(c, c->argv[optind], &id)))
		return rc;
	cli_join(c, optind + 1, &text);
	if (cli_begin(c)) {
		buf_release(&text);
		return 1;
	}
	rc = cairn_lesson_add(c->st, id, text.buf, worked, &lid, &c->err);
	buf_release(&text);
	if (rc)
		return cli_abort(c);
	if (cli_commit(c))
		return 1;
	if (c->json) {
		struct cli_found f = {lid, NULL};

		rc = cairn_lesson_each(c->st, id, NULL, find_lesson, &f,
		                       &c->err);
		return cli_print_found(c, rc, &f, "lesson");
	}
	fprintf(c->out, "lesson %lld on #%lld (%s)\n", (long long)lid,
	        (long long)id, worked ? "worked" : "did not work");
	return 0;
}

const struct cmd_entry cmd_lesson_entry = {
        .name = "lesson",
        .usage = "lesson ID TEXT [--didnt-work]",
        .args = "ID TEXT...",
        .summary = "record a lesson on an item (what did or did not work)",
        .flags = CMD_WRITES,
        .exec = cmd_lesson_exec,
};
