/*
 * buf.h: the one growable byte buffer (after git's strbuf and curl's dynbuf).
 *
 * Invariants: .buf is never NULL and always NUL-terminated; .len bytes are
 * in use.  A buffer fed by untrusted input sets .max so that growth past it
 * fails with CAIRN_EINVAL instead of eating memory.  Allocation failure
 * aborts (xmalloc): a command-line tool has nothing better to do.
 */
#ifndef CAIRN_BUF_H
#define CAIRN_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max; /* 0: no limit */
};

extern char cairn_buf_empty[];
#define BUF_INIT                                                               \
	{                                                                      \
		cairn_buf_empty, 0, 0, 0                                       \
	}

void buf_init(struct buf *b, size_t hint);
/* Free the contents; b is ready for reuse as if BUF_INIT. */
void buf_release(struct buf *b);
/* Keep the allocation, empty the contents. */
void buf_reset(struct buf *b);
/* Hand the string to the caller (who frees it); b becomes empty. */
char *buf_detach(struct buf *b, size_t *len);

/* Appenders return 0, or CAIRN_EINVAL when .max would be exceeded. */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addch(struct buf *b, int c);
int buf_addf(struct buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Append n in decimal, as "%lld" would, without parsing a format: for
 * the ids of long listings and id lists. */
int buf_add_int(struct buf *b, long long n);
/* Append s (NULL: nothing) escaped for HTML and XML text and attribute
 * values: & < > " ' as entities.  The one escaper of every page cairn
 * writes (the static site, the web UI). */
void buf_add_html(struct buf *out, const char *s);
/* Append s as one word for a POSIX shell: as it is when it holds only
 * characters no shell treats specially, else in single quotes, or as
 * $'...' with backslash escapes when it holds a line break or another
 * control character (so the word stays on one line). */
void buf_add_shell_quoted(struct buf *out, const char *s);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Like xstrdup but NULL in gives NULL out. */
char *xstrdup_or_null(const char *s);

#endif
