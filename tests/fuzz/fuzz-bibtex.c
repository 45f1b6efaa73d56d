/*
 * fuzz-bibtex.c: libFuzzer harness for the BibTeX reader (lib/fmt/bibtex.c,
 * through btparse) and the TeX-to-UTF-8 conversion.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cairn/cairn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cairn_bib bib = CAIRN_BIB_INIT;
	struct cairn_err err = CAIRN_ERR_INIT;
	struct buf b = BUF_INIT;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cairn_bibtex_parse(text, size, "fuzz.bib", &bib, &err);
	cairn_bib_release(&bib);
	cairn_tex_to_utf8(text, &b);
	buf_release(&b);
	free(text);
	return 0;
}
