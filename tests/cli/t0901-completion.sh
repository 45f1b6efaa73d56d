#!/bin/sh
# Bash completion, driven as bash drives it (COMP_WORDS, COMP_CWORD, then
# COMPREPLY): file names for import, paper import and --out, folders for
# publish, the subcommands of paper, metric, predict and focus read from
# their usage lines (so metric set and rm, paper rm and predict set, sync
# login ... comment), the
# options of a usage line (focus set --hours-per-day), and for --format
# only the formats the command takes, read from the table of formats
# (cairn help --formats).
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
command -v bash >/dev/null 2>&1 || skip "bash not installed"

COMPLETION="$SRCDIR/completion/cairn.bash"
cat >"$TMP/complete.bash" <<'EOF'
. "$COMPLETION" || exit 1
COMP_WORDS=("$CAIRN" "$@")
COMP_CWORD=$#
COMP_LINE="cairn $*"
COMP_POINT=${#COMP_LINE}
_cairn || exit 1
printf '%s\n' "${COMPREPLY[@]}" | sort
EOF
# comp WORDS...: the candidates for the last word, sorted, one a line.
comp() {
	out=$(cd "$TMP/files" && COMPLETION="$COMPLETION" \
		bash "$TMP/complete.bash" "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
}
# offers DESC WANT WORDS...: the candidates, space-separated, are WANT.
offers() {
	of_desc=$1
	of_want=$2
	shift 2
	comp "$@"
	same "$of_desc" "$(printf '%s\n' "$out" | tr '\n' ' ' | sed 's/ $//')" \
		"$of_want"
}

mkdir -p "$TMP/files/posts"
: >"$TMP/files/goals.md"
: >"$TMP/files/goal-tasks.json"
: >"$TMP/files/refs.bib"

# File names.
offers "import offers files" "goal-tasks.json goals.md" import go
offers "import --format X offers files" "goal-tasks.json goals.md" \
	import --format md go
offers "paper import offers files" "refs.bib" paper import re
offers "--out offers files" "goal-tasks.json goals.md" \
	export --format md --out go
offers "publish offers folders only" "posts" publish ""

# Subcommands.
offers "paper subcommands" "add import link rm set show unlink" paper ""
offers "metric subcommands" "add log rm set show" metric ""
offers "focus subcommands" "set" focus ""
offers "predict subcommands" "set" predict ""
offers "sync subcommands, from alternatives that name sync again" \
	"comment items join login questions status" sync ""
offers "sync subcommands by prefix" "comment" sync co
offers "dep subcommands" "add rm" dep ""
offers "metric s" "set show" metric s
offers "focus set --hours-per-day" "--hours-per-day" focus set --ho
offers "nothing after a subcommand's id" "" metric show ""

# Formats: each command only those it takes, as the table says.
ok help --formats import
imports=$(printf '%s\n' "$out" | sort | tr '\n' ' ' | sed 's/ $//')
ok help --formats export
exports=$(printf '%s\n' "$out" | sort | tr '\n' ' ' | sed 's/ $//')
same "import reads four formats" "$imports" "jekyll json md taskwarrior"
offers "import --format" "$imports" import --format ""
offers "export --format" "$exports" export --format ""
offers "import --format t" "taskwarrior" import --format t
comp export --format ""
lacks bibtex
comp import --format ""
lacks svg
offers "help --formats" "export import" help --formats ""

check "completion does not create a store" test ! -e "$CAIRN_DB"
finish
