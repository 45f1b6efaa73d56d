#!/bin/sh
# build.sh [OUT]: build the libFuzzer harnesses (fuzz-md, fuzz-json,
# fuzz-tw, fuzz-bibtex, fuzz-md-roundtrip, fuzz-md-reimport, and the
# parse-only fuzz-json-parse and fuzz-tw-parse, which need no store) with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer, into OUT
# (default build-fuzz).  The library
# is compiled from lib/*/ directly, so new modules come along.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$SRC/build-fuzz}
CC=${CC_FUZZ:-clang}
mkdir -p "$OUT/obj"
{
	printf '#define CAIRN_VERSION "fuzz"\n'
	printf '#define CAIRN_GV_PLUGINS "%s/graphviz"\n' \
		"$(pkg-config --variable=libdir libgvc)"
} >"$OUT/config.h"
PKGS="sqlite3 jansson libutf8proc uuid libcmark-gfm yaml-0.1 libical libgvc libcgraph"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE $SAN -fsanitize=fuzzer-no-link \
	$(pkg-config --cflags $PKGS) -I$SRC/include -I$SRC -I$SRC/lib -I$OUT"
LIBS="$(pkg-config --libs $PKGS) -lcmark-gfm-extensions -lbtparse -lm -lpthread"
export CC CFLAGS OUT
# The library, one object per source, in parallel.
ls "$SRC"/lib/*/*.c | xargs -P "$(nproc)" -I{} sh -c '
	f={}; o="$OUT/obj/$(printf %s "$f" | tr / _).o"
	if [ ! -e "$o" ] || [ "$f" -nt "$o" ] || \
	   [ -n "$(find "$SRC/lib" "$SRC/include" -maxdepth 3 \
		-name "*.h" -newer "$o" 2>/dev/null | head -1)" ]; then
		$CC $CFLAGS -c "$f" -o "$o"
	fi'
rm -f "$OUT/libcairn-fuzz.a"
ar rcs "$OUT/libcairn-fuzz.a" "$OUT"/obj/*.o
for h in md json tw bibtex md-roundtrip md-reimport json-parse tw-parse; do
	$CC $CFLAGS -fsanitize=fuzzer "$SRC/tests/fuzz/fuzz-$h.c" \
		"$OUT/libcairn-fuzz.a" $LIBS -o "$OUT/fuzz-$h"
done
echo "built $OUT/fuzz-md $OUT/fuzz-json $OUT/fuzz-tw $OUT/fuzz-bibtex $OUT/fuzz-md-roundtrip $OUT/fuzz-md-reimport $OUT/fuzz-json-parse $OUT/fuzz-tw-parse"
