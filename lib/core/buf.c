/*
 * buf.c: growable buffers.  Growth doubles the allocation; a buffer with a
 * .max refuses to grow past it and is left unchanged by the failed append.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/core/buf.h"
#include "cairn/core/err.h"
#include "banned.h"

char cairn_buf_empty[1];

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("cairn: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fputs("cairn: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("cairn: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

char *
xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
buf_init(struct buf *b, size_t hint)
{
	b->buf = cairn_buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = 0;
	if (hint) {
		b->buf = xmalloc(hint + 1);
		b->buf[0] = '\0';
		b->alloc = hint + 1;
	}
}

void
buf_release(struct buf *b)
{
	size_t max = b->max;

	if (b->alloc)
		free(b->buf);
	buf_init(b, 0);
	b->max = max;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (!b->alloc)
		s = xstrdup("");
	else
		s = b->buf;
	if (len)
		*len = b->len;
	b->buf = cairn_buf_empty;
	b->len = b->alloc = 0;
	return s;
}

static int
grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t n;

	if (b->max && b->len + extra > b->max)
		return CAIRN_EINVAL;
	if (need <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	if (b->alloc) {
		b->buf = xrealloc(b->buf, n);
	} else {
		b->buf = xmalloc(n);
		b->buf[0] = '\0';
	}
	b->alloc = n;
	return 0;
}

int
buf_add(struct buf *b, const void *data, size_t len)
{
	if (grow(b, len))
		return CAIRN_EINVAL;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int
buf_add_int(struct buf *b, long long n)
{
	char d[24];
	size_t k = sizeof(d);
	unsigned long long u =
	        n < 0 ? -(unsigned long long)n : (unsigned long long)n;

	do
		d[--k] = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		d[--k] = '-';
	return buf_add(b, d + k, sizeof(d) - k);
}

/*
 * Format straight into the spare room, and a second time only when it was
 * too small (the first pass then measured): most appends fit, and list and
 * tree make several per row.
 */
int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	size_t avail = b->alloc ? b->alloc - b->len : 0;
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(avail ? b->buf + b->len : NULL, avail, fmt, cp);
	va_end(cp);
	if (n < 0 || (b->max && b->len + (size_t)n > b->max)) {
		if (avail)
			b->buf[b->len] = '\0'; /* left unchanged */
		return CAIRN_EINVAL;
	}
	if ((size_t)n >= avail) {
		if (grow(b, (size_t)n))
			return CAIRN_EINVAL;
		vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
buf_add_html(struct buf *out, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "&<>\"'");

		buf_add(out, s, n);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '&':
			buf_adds(out, "&amp;");
			break;
		case '<':
			buf_adds(out, "&lt;");
			break;
		case '>':
			buf_adds(out, "&gt;");
			break;
		case '"':
			buf_adds(out, "&quot;");
			break;
		default: /* '\'' */
			buf_adds(out, "&#39;");
		}
		s++;
	}
}

void
buf_add_shell_quoted(struct buf *out, const char *s)
{
	const char *p;
	int plain = *s != '\0', ctl = 0;

	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			ctl = 1;
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
		            "yz"
		            "0123456789_./=:@%+,-",
		            c))
			plain = 0;
	}
	if (plain) {
		buf_adds(out, s);
		return;
	}
	if (!ctl) {
		buf_addch(out, '\'');
		for (p = s; *p; p++)
			if (*p == '\'')
				buf_adds(out, "'\\''");
			else
				buf_addch(out, *p);
		buf_addch(out, '\'');
		return;
	}
	buf_adds(out, "$'");
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n')
			buf_adds(out, "\\n");
		else if (c == '\t')
			buf_adds(out, "\\t");
		else if (c == '\\' || c == '\'')
			buf_addf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_addf(out, "\\x%02x", c);
		else
			buf_addch(out, c);
	}
	buf_addch(out, '\'');
}
