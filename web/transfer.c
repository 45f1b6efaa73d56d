/*
 * transfer.c: import by upload, export by download, and a preview of what
 * `publish` would make public, through the library's cairn_import,
 * cairn_export and cairn_publish (the CLI's own calls, with their checks
 * and caps).
 *
 *   GET  /transfer                the page: a download link per format,
 *                                 the upload form, the preview's link
 *   GET  /export?format=F         a download (also /api/export)
 *   POST /import                  multipart: file, format (empty: detect)
 *   POST /api/import?format=F     the raw body; the summary as JSON
 *   GET  /publish/PATH            a file of the site publish would write
 */
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

static const char *
export_type(enum cairn_format f)
{
	switch (f) {
	case CAIRN_FORMAT_JSON:
	case CAIRN_FORMAT_TASKWARRIOR:
		return "application/json";
	case CAIRN_FORMAT_ICS:
		return "text/calendar; charset=utf-8";
	case CAIRN_FORMAT_CSV:
		return "text/csv; charset=utf-8";
	case CAIRN_FORMAT_SVG:
		return "image/svg+xml";
	default:
		return "text/plain; charset=utf-8";
	}
}

static const char *
export_ext(enum cairn_format f)
{
	switch (f) {
	case CAIRN_FORMAT_JSON:
	case CAIRN_FORMAT_TASKWARRIOR:
		return "json";
	case CAIRN_FORMAT_MD:
	case CAIRN_FORMAT_JEKYLL:
		return "md";
	case CAIRN_FORMAT_ICS:
		return "ics";
	case CAIRN_FORMAT_DOT:
		return "dot";
	case CAIRN_FORMAT_SVG:
		return "svg";
	case CAIRN_FORMAT_CSV:
		return "csv";
	default:
		return "txt";
	}
}

void
transfer_export(struct web *w, struct http_req *rq, struct http_resp *rs,
                int api)
{
	struct cairn_export_opts o = CAIRN_EXPORT_OPTS_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	const char *name = http_query(rq, "format");
	struct buf out = BUF_INIT, fn = BUF_INIT;
	int f, rc;

	f = name ? cairn_format_parse(name) : -1;
	if (f < 0 || !cairn_format_can_export(f)) {
		buf_reset(&fn);
		cairn_format_names(CAIRN_FORMAT_OUT, ", ", &fn);
		buf_addf(&out, "format must be one of %s", fn.buf);
		web_error(w, rs, api, 400, out.buf);
		goto done;
	}
	/* Straight into the reply: the dump is not held twice. */
	buf_reset(&rs->body);
	if ((rc = cairn_export(w->st, f, &o, &rs->body, &err))) {
		web_error(w, rs, api, web_status(rc), err.msg);
		goto done;
	}
	rs->status = 200;
	rs->type = export_type(f);
	buf_addf(&fn, "cairn%s%s.%s", f == CAIRN_FORMAT_TASKWARRIOR ? "-" : "",
	         f == CAIRN_FORMAT_TASKWARRIOR ? "taskwarrior" : "",
	         export_ext(f));
	rs->filename = buf_detach(&fn, NULL);
done:
	buf_release(&out);
	buf_release(&fn);
}

void
transfer_import(struct web *w, struct http_req *rq, struct http_resp *rs,
                int api)
{
	struct cairn_import_opts o = CAIRN_IMPORT_OPTS_INIT;
	struct cairn_import_result res = {0};
	struct cairn_err err = CAIRN_ERR_INIT;
	const struct http_field *file = NULL;
	const char *name, *data;
	struct buf label = BUF_INIT, msg = BUF_INIT;
	size_t len;
	int f = CAIRN_FORMAT_NONE, rc;

	if (api) {
		name = http_query(rq, "format");
		data = rq->body.buf ? rq->body.buf : "";
		len = rq->body.len;
	} else {
		name = http_field(rq, "format");
		if (!(file = http_field_get(rq, "file"))) {
			web_error(w, rs, api, 400, "choose a file to import");
			return;
		}
		data = file->value.buf ? file->value.buf : "";
		len = file->value.len;
	}
	if (name && *name &&
	    ((f = cairn_format_parse(name)) < 0 ||
	     !cairn_format_can_import(f))) {
		cairn_format_names(CAIRN_FORMAT_IN, ", ", &msg);
		buf_reset(&label);
		buf_addf(&label, "format must be one of %s", msg.buf);
		web_error(w, rs, api, 400, label.buf);
		goto done;
	}
	o.source = file && file->filename && *file->filename ? file->filename
	                                                     : "upload";
	buf_addf(&label, "import %s (web)", o.source);
	o.label = label.buf;
	if ((rc = cairn_import(w->st, f, data, len, &o, &res, &err))) {
		web_error(w, rs, api, web_status(rc), err.msg);
		goto done;
	}
	web_wrote(w);
	if (api) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:b}", "added",
		                      (json_int_t)res.added, "updated",
		                      (json_int_t)res.updated, "unchanged",
		                      (json_int_t)res.unchanged, "rows",
		                      (json_int_t)res.rows, "restored",
		                      res.restored);
		web_reply_json(rs, 200, j);
		goto done;
	}
	buf_reset(&rs->body);
	rs->status = 200;
	html_begin(w, &rs->body, "Imported");
	html_addf(&rs->body,
	          "<p role=\"status\">Imported %s: %lld added, %lld updated, "
	          "%lld unchanged.</p><p><a href=\"/roadmap\">The "
	          "roadmap</a></p>",
	          o.source, (long long)res.added, (long long)res.updated,
	          (long long)res.unchanged);
	html_end(&rs->body);
done:
	buf_release(&label);
	buf_release(&msg);
}

void
transfer_page(struct web *w, struct http_resp *rs)
{
	struct buf *out = &rs->body;
	const struct cairn_format_info *t;
	size_t n;

	t = cairn_formats(&n);
	html_begin(w, out, "Import and export");
	buf_adds(out, "<h2>Export</h2><ul>");
	for (size_t i = 0; i < n; i++)
		if (cairn_format_can_export(t[i].format))
			html_addf(out,
			          "<li><a href=\"/export?format=%s\" "
			          "download>%s</a> "
			          "<span class=\"muted\">%s</span></li>",
			          t[i].name, t[i].name, t[i].summary);
	buf_adds(out, "</ul><h2>Import</h2>"
	              "<form class=\"row\" method=\"post\" action=\"/import\" "
	              "enctype=\"multipart/form-data\">");
	html_csrf(w, out);
	buf_adds(out, "<label>File <input type=\"file\" name=\"file\" "
	              "required></label><label>Format <select name=\"format\">"
	              "<option value=\"\">detect</option>");
	for (size_t i = 0; i < n; i++)
		if (cairn_format_can_import(t[i].format))
			html_addf(out, "<option>%s</option>", t[i].name);
	buf_adds(out, "</select></label><button type=\"submit\">Import</button>"
	              "</form><p class=\"muted\">An import is one change: "
	              "undo takes it back.</p>"
	              "<h2>Publish</h2><p><a href=\"/publish/index.html\">"
	              "Preview the public site</a>: what <code>cairn "
	              "publish</code> would write, with only the public "
	              "items.</p>");
	html_end(out);
}

struct site_file {
	const char *want;
	struct buf *out;
	int found;
};

static int
keep_file(void *ctx, const char *path, const char *data, size_t len,
          struct cairn_err *err)
{
	struct site_file *sf = ctx;

	(void)err;
	if (!strcmp(path, sf->want)) {
		buf_add(sf->out, data, len);
		sf->found = 1;
	}
	return 0;
}

static const char *
site_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "text/plain; charset=utf-8";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	return "text/plain; charset=utf-8";
}

void
transfer_publish(struct web *w, const char *path, struct http_resp *rs)
{
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf out = BUF_INIT;
	struct site_file sf = {path, &out, 0};
	int rc;

	if ((rc = cairn_publish(w->st, keep_file, &sf, &err))) {
		web_error(w, rs, 0, web_status(rc), err.msg);
	} else if (!sf.found) {
		web_error(w, rs, 0, 404, "the public site has no such page");
	} else {
		rs->status = 200;
		rs->type = site_type(path);
		buf_reset(&rs->body);
		buf_add(&rs->body, out.buf ? out.buf : "", out.len);
	}
	buf_release(&out);
}
