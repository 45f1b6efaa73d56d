/*
 * width.c: display width through utf8proc.  utf8proc_charwidth gives 2 for
 * East Asian wide and most emoji, 0 for combining marks; control
 * characters count 0.  Invalid UTF-8 counts one cell per byte so that a
 * broken title still lines up roughly and never loops.
 */
#include <string.h>
#include <utf8proc.h>

#include "cairn/core/width.h"
#include "banned.h"

size_t
cairn_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	while (*p) {
		/* ASCII: printable 1, control 0, as utf8proc says. */
		if (*p < 0x80) {
			w += *p >= 0x20 && *p != 0x7f;
			p++;
			continue;
		}
		n = utf8proc_iterate(p, -1, &cp);
		if (n <= 0) {
			w++;
			p++;
			continue;
		}
		w += (size_t)utf8proc_charwidth(cp);
		p += n;
	}
	return w;
}

void
cairn_width_fit(struct buf *out, const char *s, size_t max, size_t pad)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0, total = cairn_width(s);
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	int cw;

	if (total <= max) {
		buf_adds(out, s);
		w = total;
	} else {
		/* Keep one cell for the ellipsis. */
		while (*p) {
			n = utf8proc_iterate(p, -1, &cp);
			cw = n > 0 ? utf8proc_charwidth(cp) : 1;
			if (n <= 0)
				n = 1;
			if (w + (size_t)cw + 1 > max)
				break;
			buf_add(out, p, (size_t)n);
			w += (size_t)cw;
			p += n;
		}
		if (max > 0) {
			buf_adds(out, "\xe2\x80\xa6");
			w++;
		}
	}
	if (w < pad)
		cairn_pad(out, pad - w);
}

void
cairn_pad(struct buf *out, size_t n)
{
	static const char spaces[] = "                                ";

	for (; n >= sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		buf_add(out, spaces, sizeof(spaces) - 1);
	buf_add(out, spaces, n);
}

size_t
cairn_utf8_check(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	while (i < len) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return i + 1;
		i += (size_t)n;
	}
	return 0;
}
