#!/bin/sh
# The source tree keeps the shape the README's Architecture section
# describes: the library's layers each have their folder and their public
# headers, no C file grows past 1200 lines, the library never writes to
# the terminal (front ends do), front ends never call SQLite, and the
# project's files speak of the project only (no tracker labels).
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1

for layer in store core research plan fmt; do
	check "lib/$layer exists" test -d "lib/$layer"
	check "include/cairn/$layer exists" test -d "include/cairn/$layer"
done

sources() {
	find lib cli include net web tests bench -name node_modules -prune -o \
		-name '*.[ch]' -type f -print | sort
}

long=$(sources | xargs wc -l | awk '$2 != "total" && $1 > 1200 { print $2 " (" $1 " lines)" }')
check "no C file over 1200 lines: $long" test -z "$long"

# The only writes to a standard stream in lib/ are buf.c's out-of-memory
# message just before it aborts.
prints=$(grep -nE "(^|[^'_a-z])(printf|puts|putchar)\\([^']|\\b(fprintf|fputs|fputc|putc|fwrite|vfprintf)\\(.*\\b(stdout|stderr)\\b" \
	$(find lib -name '*.[ch]') | grep -v '^lib/core/buf.c:' || true)
check "lib/ never prints: $prints" test -z "$prints"

sqlite=$(grep -nE '\bsqlite3_|#include <sqlite3\.h>' $(find cli web net -name '*.[ch]') || true)
check "front ends (cli/, web/, net/) never call SQLite: $sqlite" test -z "$sqlite"

labels=$(grep -rniE --exclude-dir=node_modules '\b(issue|bug|ticket) ?#?[0-9]+\b' \
	lib cli include net web tests bench doc README.md Makefile meson.build \
	2>/dev/null | grep -v '^tests/cli/t0902-layout.sh:' || true)
check "no tracker labels in the project's files: $labels" test -z "$labels"

finish
