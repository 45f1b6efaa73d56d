#!/bin/sh
# Colour only on a terminal, and never with NO_COLOR or --no-color.  A
# terminal is made with script(1).
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null 2>&1 || skip "script(1) is not installed"
esc=$(printf '\033')

# on_tty [ENV...] -- ARGS: run cairn on a pseudo-terminal, output in $out.
on_tty() {
	envs=
	while [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	shift
	cmd="\"$CAIRN\""
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	out=$(env -u NO_COLOR $envs script -qec "$cmd" /dev/null | tr -d '\r')
	err=
}
has_esc() {
	case "$out" in
	*"$esc["*) pass ;;
	*) fail "$1: no colour" ;;
	esac
}
no_esc() {
	case "$out" in
	*"$esc"*) fail "$1: colour escape found" ;;
	*) pass ;;
	esac
}

ok add goal Compression
ok add milestone Survey --under 1
ok start 2
ok add idea Regulariser

for view in tree list "show 2" "history"; do
	# shellcheck disable=SC2086
	on_tty -- $view
	has_esc "$view on a terminal"
	on_tty NO_COLOR=1 -- $view
	no_esc "$view with NO_COLOR"
	on_tty -- $view --no-color
	no_esc "$view --no-color"
	on_tty -- --no-color $view
	no_esc "--no-color $view"
	# Not a terminal: no colour even without NO_COLOR.
	out=$(env -u NO_COLOR "$CAIRN" $view)
	no_esc "$view into a pipe"
done

# NO_COLOR set but empty does not count (no-color.org).
on_tty NO_COLOR= -- tree
has_esc "tree with an empty NO_COLOR"

# The colours carry meaning: active green, ideas magenta, goals bold.
on_tty -- tree
contains "${esc}[32mactive${esc}[0m"
contains "${esc}[35midea${esc}[0m"
contains "${esc}[1m#1 [goal] Compression"
on_tty -- list
contains "${esc}[32mactive ${esc}[0m"

# Without colour the terminal output is the plain text.
on_tty NO_COLOR=1 -- tree
terminal=$out
ok tree
same "NO_COLOR terminal output is the plain output" "$terminal" "$out"

# --json is never coloured.
on_tty -- --json show 2
no_esc "json on a terminal"
json_ok "json on a terminal parses" 'd["id"] == 2 and d["status"] == "active"'
finish
