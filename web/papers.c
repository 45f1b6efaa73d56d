/*
 * papers.c: the reading list: papers with their status, a form to move
 * each along (cairn_paper_set, as `paper set KEY status=S`), and BibTeX
 * import by upload (cairn_paper_import, as `paper import FILE`).
 *
 *   GET  /papers
 *   POST /papers/status            key, status
 *   POST /papers/import            multipart: file
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web.h"
#include "../lib/banned.h"

struct rows {
	struct web *w;
	struct buf *out;
	int n;
};

static int
paper_row(void *ctx, const struct cairn_paper *p)
{
	struct rows *r = ctx;
	char year[16] = "";

	if (p->year)
		snprintf(year, sizeof(year), "%d", p->year);
	buf_adds(r->out, r->n++ ? "\n" : "<ul>\n");
	html_addf(r->out,
	          "<li><strong>%s</strong> %s <span class=\"muted\">%s %s "
	          "[%s]</span> <form class=\"inline\" method=\"post\" "
	          "action=\"/papers/status\">",
	          p->title ? p->title : "", p->authors ? p->authors : "", year,
	          p->venue ? p->venue : "", p->key);
	html_csrf(r->w, r->out);
	html_addf(r->out,
	          "<input type=\"hidden\" name=\"key\" value=\"%s\">"
	          "<label>Status of %s <select name=\"status\">",
	          p->key, p->key);
	for (int s = 0; s < CAIRN_PAPER_STATUS_COUNT; s++) {
		buf_adds(r->out, s == (int)p->status ? "<option selected>"
		                                     : "<option>");
		buf_add_html(r->out, cairn_paper_status_name(s));
		buf_adds(r->out, "</option>");
	}
	buf_adds(r->out, "</select></label> <button class=\"small\" "
	                 "type=\"submit\">Set</button></form></li>");
	return 0;
}

void
papers_page(struct web *w, struct http_resp *rs)
{
	struct cairn_paper_query q = CAIRN_PAPER_QUERY_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf *out = &rs->body;
	struct rows r = {w, out, 0};
	int rc;

	html_begin(w, out, "Papers");
	buf_adds(out,
	         "<h2>Import BibTeX</h2><form class=\"row\" method=\"post\" "
	         "action=\"/papers/import\" enctype=\"multipart/form-data\">");
	html_csrf(w, out);
	buf_adds(out, "<label>BibTeX file <input type=\"file\" name=\"file\" "
	              "accept=\".bib,text/x-bibtex\" required></label>"
	              "<button type=\"submit\">Import</button></form>"
	              "<h2>Reading list</h2>");
	if ((rc = cairn_paper_each(w->st, &q, paper_row, &r, &err))) {
		web_error(w, rs, 0, web_status(rc), err.msg);
		return;
	}
	buf_adds(out, r.n ? "</ul>" : "<p class=\"muted\">No papers yet.</p>");
	html_end(out);
}

int
papers_set_status(struct web *w, const char *key, const char *status,
                  struct cairn_err *err)
{
	struct buf label = BUF_INIT;
	int rc;

	buf_addf(&label, "paper set %s status=%s", key ? key : "",
	         status ? status : "");
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w,
		             cairn_paper_set(w->st, key ? key : "", "status",
		                             status ? status : "", err),
		             err);
	buf_release(&label);
	return rc;
}

/*
 * The upload goes to a file of its own name in a fresh private folder,
 * so that btparse reads it as it reads any file, and messages name it.
 */
int
papers_import(struct web *w, const struct http_field *file,
              struct cairn_import_stats *stats, struct cairn_err *err)
{
	const char *tmp = getenv("TMPDIR");
	const char *name = file && file->filename && *file->filename
	                           ? file->filename
	                           : "upload.bib";
	const char *slash = strrchr(name, '/');
	struct buf dir = BUF_INIT, path = BUF_INIT, label = BUF_INIT;
	FILE *f;
	int rc, bad;

	if (!file)
		return cairn_err_set(err, CAIRN_EINVAL,
		                     "choose a BibTeX file to import");
	if (slash)
		name = slash + 1;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		name = "upload.bib";
	buf_addf(&dir, "%s/cairn-upload.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		buf_release(&dir);
		return cairn_err_set(err, CAIRN_EDB,
		                     "cannot make a folder for the upload");
	}
	buf_addf(&path, "%s/%s", dir.buf, name);
	if (!(f = fopen(path.buf, "wx"))) {
		rc = cairn_err_set(err, CAIRN_EDB, "cannot keep the upload");
		goto out;
	}
	bad = fwrite(file->value.buf ? file->value.buf : "", 1, file->value.len,
	             f) != file->value.len;
	if (fclose(f) || bad) {
		rc = cairn_err_set(err, CAIRN_EDB, "cannot keep the upload");
		goto out;
	}
	buf_addf(&label, "paper import %s (web)", name);
	if (!(rc = web_begin(w, label.buf, err)))
		rc = web_end(w, cairn_paper_import(w->st, path.buf, stats, err),
		             err);
out:
	unlink(path.buf);
	rmdir(dir.buf);
	buf_release(&dir);
	buf_release(&path);
	buf_release(&label);
	return rc;
}
