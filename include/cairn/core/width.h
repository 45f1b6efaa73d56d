/*
 * width.h: display width of UTF-8 text (through utf8proc), so that titles
 * in any script line up in columns: CJK and most emoji take two cells,
 * combining accents none.
 */
#ifndef CAIRN_WIDTH_H
#define CAIRN_WIDTH_H

#include <stddef.h>

#include "cairn/core/buf.h"

/* Cells the string takes on a terminal; invalid bytes count one each. */
size_t cairn_width(const char *s);

/*
 * Append s to out, cut to at most max cells (with "…" when cut), then pad
 * with spaces to exactly pad cells when pad > 0.
 */
void cairn_width_fit(struct buf *out, const char *s, size_t max, size_t pad);

/* Append n spaces to out. */
void cairn_pad(struct buf *out, size_t n);

/* 0 when s is valid UTF-8, else the byte offset of the first bad byte +1. */
size_t cairn_utf8_check(const char *s, size_t len);

#endif
