#!/bin/sh
# The man page and the bash completion keep in step with the command table:
# every command has an entry in doc/cairn.1 whose tag is its usage line as
# `cairn help NAME` prints it, every option of that usage is described in
# the entry, and the completion script completes commands and options.
# And every CLI test is registered in its family.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"

MAN="$SRCDIR/doc/cairn.1"
COMPLETION="$SRCDIR/completion/cairn.bash"
check "man page exists" test -s "$MAN"
check "completion script exists" test -s "$COMPLETION"

# The roff source as plain text: no font escapes, \- as -, \(aq as '.
sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' \
	-e "s/\\\\(aq/'/g" "$MAN" >"$TMP/man.txt"

ok help --commands
names=$out
check "help --commands lists one name a line, add to undo" \
	sh -c 'printf "%s\n" "$1" | grep -qvx "[a-z]*" && exit 1
		for n in add metric paper predict undo; do
			printf "%s\n" "$1" | grep -qx "$n" || exit 1
		done' - "$names"

# The lines of one command's entry: from the .TP whose tag is "cairn
# USAGE" to the next command's tag or section heading.
entry() {
	awk -v tag="cairn $1" '
		prev == ".TP" && $0 == tag { on = 1; prev = $0; next }
		on && prev == ".TP" && /^cairn / { exit }
		on && /^\.S[HS]/ { exit }
		on { print }
		{ prev = $0 }
	' "$TMP/man.txt"
}

for name in $names; do
	ok help "$name"
	usage=$(printf '%s\n' "$out" | sed -n '1s/^usage: cairn //p')
	check "usage of $name" test -n "$usage"
	body=$(entry "$usage")
	if [ -n "$body" ]; then
		pass
	else
		fail "doc/cairn.1 has no .TP entry tagged 'cairn $usage'"
		continue
	fi
	for opt in $(printf '%s\n' "$usage" | grep -o -- '--[a-z][a-z-]*' |
		sort -u); do
		case "$body" in
		*"$opt"*) pass ;;
		*) fail "doc/cairn.1 does not describe $opt under '$name'" ;;
		esac
	done
done

# The formats, from the one table in lib/fmt: the import and export
# entries name each format their --format takes.
for dir in import export; do
	ok help "$dir"
	usage=$(printf '%s\n' "$out" | sed -n '1s/^usage: cairn //p')
	body=$(entry "$usage")
	ok help --formats "$dir"
	for f in $out; do
		case "$body" in
		*"$f"*) pass ;;
		*) fail "doc/cairn.1 does not name format $f under '$dir'" ;;
		esac
	done
done

# Global options, environment and sections the brief promises.
for word in --db --json --no-color --version -h CAIRN_DB XDG_DATA_HOME \
	CAIRN_NOW CAIRN_ACTOR NO_COLOR .lock; do
	check "man page mentions $word" grep -q -- "$word" "$TMP/man.txt"
done
for sect in NAME SYNOPSIS DESCRIPTION "GLOBAL OPTIONS" COMMANDS DATES \
	FIELDS STORE ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	check "man page has $sect" grep -qx "\\.SH \"*$sect\"*" "$MAN"
done

# Renders without warnings where groff is installed (it is not a build
# dependency).
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$MAN" >"$TMP/groff.out" 2>&1
	check "groff renders the man page without warnings" \
		test ! -s "$TMP/groff.out"
else
	echo "note: groff not installed; rendering not checked"
fi

# Every CLI test is registered in tests/cli/meson.build (a test left out
# never runs), and its family is one the head comment there names.
BUILD_LIST="$SRCDIR/tests/cli/meson.build"
families=$(sed -n '/^#/!q; s/^#.*numbered by family.*//; p' "$BUILD_LIST" |
	grep -o '[0-9][0-9]xx')
for t in "$SRCDIR"/tests/cli/t[0-9]*.sh; do
	t=${t##*/}
	check "$t is registered in tests/cli/meson.build" \
		grep -q "^[[:space:]]*'$t',\$" "$BUILD_LIST"
	fam=$(printf '%s' "$t" | cut -c2-3)xx
	check "family $fam of $t is named in tests/cli/meson.build" \
		sh -c 'printf "%s\n" "$1" | grep -qx "$2"' - "$families" "$fam"
done

# Bash completion: load the script, then call _cairn as bash would.
if command -v bash >/dev/null 2>&1; then
	cat >"$TMP/complete.bash" <<'EOF'
. "$COMPLETION" || exit 1
complete -p cairn | grep -q -- '-F _cairn' || exit 1
# complete WORDS...: print the candidates for the last word, one a line.
COMP_WORDS=("$CAIRN" "$@")
COMP_CWORD=$#
COMP_LINE="cairn $*"
COMP_POINT=${#COMP_LINE}
_cairn || exit 1
printf '%s\n' "${COMPREPLY[@]}"
EOF
	comp() {
		out=$(COMPLETION="$COMPLETION" bash "$TMP/complete.bash" "$@" \
			2>"$TMP/err")
		rc=$?
		err=$(cat "$TMP/err")
	}
	comp ""
	check "completion script loads" [ "$rc" -eq 0 ]
	check "empty word completes to every command" [ "$out" = "$names" ]
	comp li
	contains list
	check "'cairn li' offers only link and list" \
		[ "$(printf '%s\n' "$out" | sort | tr '\n' ' ')" = "link list " ]
	comp lis
	expect list
	comp list --k
	expect --kind
	comp list --kind m
	expect milestone
	comp list --sort -p_
	expect -p_success
	comp set 1 ki
	expect kind=
	comp set 1 status=pa
	expect status=paused
	comp --json tre
	expect tree
	comp dep ""
	expect "add
rm"
	check "completion does not create a store" test ! -e "$CAIRN_DB"
else
	echo "note: bash not installed; completion not checked"
fi

finish
