/*
 * csv.c: the items as CSV, one row per item in id order, with RFC 4180
 * quoting: fields holding a comma, a double quote, CR or LF are quoted,
 * quotes doubled; lines end in CRLF; the first row names the columns.
 * Tags are one field, separated by spaces (a tag holds no space).
 *
 * Values are written as they are: a title starting with '=' stays so,
 * and a spreadsheet that evaluates it does so at its own risk.
 *
 * Workload: one pass over the snapshot's items (it holds their tags).
 */
#include <string.h>

#include "fmt/fmt-int.h"
#include "banned.h"

static const char *const header[] = {
        "id",         "uuid",       "kind",        "title",     "parent",
        "status",     "why",        "scope",       "p_success", "novelty",
        "optimistic", "likely",     "pessimistic", "due",       "likelihood",
        "driven",     "visibility", "created",     "started",   "finished",
        "tags",       "body",       NULL,
};

static void
field(struct buf *out, const char *s, int first)
{
	if (!first)
		buf_addch(out, ',');
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(out, s);
		return;
	}
	buf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(out, '"');
		buf_addch(out, *s);
	}
	buf_addch(out, '"');
}

static void
num(struct buf *out, double v, int set)
{
	char tmp[32];

	if (!set) {
		field(out, NULL, 0);
		return;
	}
	fmt_num(tmp, v);
	field(out, tmp, 0);
}

int
fmt_csv_export(const struct cairn_roadmap *rm, struct buf *out,
               struct cairn_err *err)
{
	struct buf tags = BUF_INIT;

	(void)err;
	for (int i = 0; header[i]; i++)
		field(out, header[i], i == 0);
	buf_adds(out, "\r\n");
	for (size_t i = 0; i < rm->n; i++) {
		const struct cairn_item *it = &rm->items[i];
		int est = it->est[0] >= 0;

		buf_reset(&tags);
		for (uint32_t k = rm->tag_off[i]; k < rm->tag_off[i + 1]; k++)
			buf_addf(&tags, "%s%s", tags.len ? " " : "",
			         rm->tag[k]);
		buf_addf(out, "%lld", (long long)it->id);
		field(out, it->uuid, 0);
		field(out, cairn_kind_name(it->kind), 0);
		field(out, it->title, 0);
		num(out, (double)it->parent, it->parent > 0);
		field(out, cairn_status_name(it->status), 0);
		field(out, it->status == CAIRN_STATUS_DROPPED ? it->why : NULL,
		      0);
		num(out, it->scope, it->scope > 0);
		num(out, it->p_success, it->p_success >= 0);
		num(out, it->novelty, it->novelty > 0);
		num(out, it->est[0], est);
		num(out, it->est[1], est);
		num(out, it->est[2], est);
		field(out, it->due, 0);
		num(out, it->likelihood, it->likelihood >= 0);
		field(out, cairn_driven_name(it->driven), 0);
		field(out, cairn_visibility_name(it->visibility), 0);
		field(out, it->created, 0);
		field(out, it->started, 0);
		field(out, it->finished, 0);
		field(out, tags.buf, 0);
		field(out, it->body, 0);
		buf_adds(out, "\r\n");
	}
	buf_release(&tags);
	return 0;
}
