/*
 * html.c: escaping for HTML text and attributes, and the frame every page
 * shares (head, navigation, the stylesheet; no script, no external
 * request).
 */
#include <stdarg.h>
#include <string.h>

#include "web.h"
#include "../lib/banned.h"

void
html_addf(struct buf *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		size_t n = strcspn(p, "%");

		buf_add(out, p, n);
		if (!*(p += n))
			break;
		p++;
		if (*p == 's') {
			buf_add_html(out, va_arg(ap, const char *));
		} else if (*p == 'd') {
			buf_add_int(out, va_arg(ap, int));
		} else if (!strncmp(p, "lld", 3)) {
			buf_add_int(out, va_arg(ap, long long));
			p += 2;
		} else if (!strncmp(p, "zu", 2)) {
			buf_add_int(out, (long long)va_arg(ap, size_t));
			p++;
		} else {
			buf_addch(out, '%');
			if (*p != '%')
				p--;
		}
	}
	va_end(ap);
}

void
html_csrf(struct web *w, struct buf *out)
{
	html_addf(out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
	          http_csrf(w->srv));
}

void
html_resolve_buttons(struct web *w, struct buf *out, int64_t pid,
                     const char *back)
{
	for (int yes = 1; yes >= 0; yes--) {
		const char *o = yes ? "yes" : "no";

		html_addf(out,
		          " <form class=\"inline\" method=\"post\" "
		          "action=\"/predictions/%lld/resolve\">",
		          (long long)pid);
		html_csrf(w, out);
		if (back)
			html_addf(out,
			          "<input type=\"hidden\" name=\"back\" "
			          "value=\"%s\">",
			          back);
		html_addf(
		        out,
		        "<input type=\"hidden\" name=\"outcome\" value=\"%s\">"
		        "<button class=\"small\" type=\"submit\" "
		        "aria-label=\"P%lld happened: %s\">%s</button></form>",
		        o, (long long)pid, o, o);
	}
}

void
html_begin(struct web *w, struct buf *out, const char *title)
{
	(void)w;
	html_addf(out,
	          "<!doctype html>\n<html lang=\"en\"><head>"
	          "<meta charset=\"utf-8\">"
	          "<meta name=\"viewport\" content=\"width=device-width, "
	          "initial-scale=1\">"
	          "<title>%s · cairn</title>"
	          "<link rel=\"icon\" href=\"data:,\">"
	          "<link rel=\"stylesheet\" href=\"/static/style.css\">"
	          "<script src=\"/static/live.js\" defer></script>"
	          "</head><body><header><nav aria-label=\"main\">"
	          "<a href=\"/\">Dashboard</a><a href=\"/roadmap\">Roadmap</a>"
	          "<a href=\"/predictions\">Predictions</a>"
	          "<a href=\"/papers\">Papers</a>"
	          "<a href=\"/lookback\">Look back</a>"
	          "<a href=\"/transfer\">Import and export</a>"
	          "</nav></header><main>\n<h1>%s</h1>\n",
	          title, title);
}

void
html_end(struct buf *out)
{
	buf_adds(out, "</main></body></html>\n");
}
