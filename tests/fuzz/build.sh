#!/bin/sh
# build.sh [OUT]: build the libFuzzer harnesses (each tests/fuzz/fuzz-*.c:
# fuzz-md, fuzz-json, fuzz-tw, fuzz-bibtex, fuzz-md-roundtrip,
# fuzz-md-reimport, ...) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, into OUT (default build-fuzz).  The library
# is compiled from lib/*/ directly, so new modules come along, and linked
# with the libraries deps.txt lists, as the Meson build is.
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
# libcairn's libraries: the "lib" rows of deps.txt, as meson.build reads
# them (a pkg-config module, or -lNAME for a library without one).
PKGS=$(awk '!/^#/ && $2 == "lib" && $3 !~ /^-l/ { print $3 }' "$SRC/deps.txt")
PLAIN=$(awk '!/^#/ && $2 == "lib" && $3 ~ /^-l/ { print $3 }' "$SRC/deps.txt")
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE $SAN -fsanitize=fuzzer-no-link \
	$(pkg-config --cflags $PKGS) -I$SRC/include -I$SRC -I$SRC/lib -I$OUT"
LIBS="$(pkg-config --libs $PKGS) $(echo $PLAIN) -lm -lpthread"
export CC CFLAGS OUT
# Objects whose source is gone (a file split or renamed) would link twice.
for o in "$OUT"/obj/*.o; do
	[ -e "$o" ] || continue
	f=$(basename "$o" .o)
	ls "$SRC"/lib/*/*.c | tr / _ | grep -qxF "$f" || rm -f "$o"
done
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
built=
for c in "$SRC"/tests/fuzz/fuzz-*.c; do
	h=${c##*/fuzz-}
	h=${h%.c}
	$CC $CFLAGS -fsanitize=fuzzer "$c" \
		"$OUT/libcairn-fuzz.a" $LIBS -o "$OUT/fuzz-$h"
	built="$built $OUT/fuzz-$h"
done
echo "built$built"
