#!/bin/sh
# help, help COMMAND, COMMAND -h, --version, command names by unique prefix
# and alias, and the usage errors of the dispatcher (exit status 2).
. "$(dirname "$0")/lib.sh"

# The item commands; others may follow, and the loops below take
# every command that `help --commands` names.
core="init demo add set mv start pause done drop rm tag link note refine
promote dep show list tree history undo help"

ok --version
check "--version prints 'cairn X.Y.Z'" \
	sh -c 'printf "%s\n" "$1" | grep -Eqx "cairn [0-9]+\.[0-9]+\.[0-9]+"' - "$out"

ok help --commands
commands=$out
for c in $core; do
	check "help --commands names $c" sh -c 'printf "%s\n" "$1" | grep -qx "$2"' - "$commands" "$c"
done

ok help
contains "usage: cairn [--db PATH] [--json] [--no-color] COMMAND [ARGS]"
same "help lists the commands of the table, in order" \
	"$(printf '%s\n' "$out" | sed -n 's/^  \([a-z][a-z-]*\)  *[a-zA-Z].*/\1/p')" "$commands"
# ... with the summaries in one column.
check "summaries line up" sh -c 'printf "%s\n" "$1" | grep "^  [a-z]" |
	awk "{ match(\$0, /^  [a-z-]+ +/); print RLENGTH }" | sort -u |
	wc -l | grep -qx 1' - "$out"
for c in $commands; do
	check "help lists $c" sh -c 'printf "%s\n" "$1" | grep -Eq "^  $2  +[a-zA-Z]"' - "$out" "$c"
done
help_out=$out
ok
same "bare cairn prints help" "$out" "$help_out"
ok --help
same "--help prints help" "$out" "$help_out"
ok -h
same "-h prints help" "$out" "$help_out"
ok help add
add_help=$out
ok -h add
same "cairn -h add is help add" "$out" "$add_help"
ok --help add
same "cairn --help add is help add" "$out" "$add_help"
check "help needs no store" test ! -e "$CAIRN_DB"


# help COMMAND, COMMAND -h and COMMAND --help agree, for every command.
for c in $commands; do
	ok help "$c"
	h=$out
	case "$h" in
	"usage: cairn $c"*) pass ;;
	*) fail "help $c starts with its usage" ;;
	esac
	ok "$c" -h
	same "$c -h is help $c" "$out" "$h"
	ok "$c" --help
	same "$c --help is help $c" "$out" "$h"
done
check "no store created by help" test ! -e "$CAIRN_DB"

ok help add
contains "usage: cairn add KIND TITLE [--under ID]"
contains "--p-success P"
contains "--estimate O/M/P"
contains "--due DATE"
ok help list
contains "alias: ls"
contains "--sort [-]FIELD"
ok help set
contains "Fields: title, body, kind, scope, p_success"
# -h after other arguments still asks for help, and changes nothing.
ok init
before=$(snapshot)
ok add goal "Not added" -h
contains "usage: cairn add"
same "add ... -h adds nothing" "$(snapshot)" "$before"

# Unique prefixes and the alias find commands; ambiguous ones do not.
ok ini
contains "store ready"
ok add goal "Prefix goal"
ok sh 1
contains "#1 Prefix goal"
ok tre
contains "#1 [goal] Prefix goal"
ok ls
contains "Prefix goal"
ok hist
contains "add goal 'Prefix goal'"
ok help sh
contains "usage: cairn show ID"

rejects 2 d 1
err_contains "ambiguous command 'd' (could be: demo, dep, doctor, done, drop;"
rejects 2 li
err_contains "ambiguous command 'li' (could be: link, list;"
rejects 2 s
err_contains "ambiguous command 's' (could be: serve, set, show, start, sync;"
rejects 2 p 1
err_contains "ambiguous command 'p'"
rejects 2 frobnicate
err_contains "unknown command 'frobnicate'"
rejects 2 --frob list
err_contains "unknown option '--frob'"
rejects 2 --db
err_contains "--db needs a path"
rejects 2 help frobnicate
err_contains "unknown command 'frobnicate'"
rejects 2 help d
err_contains "ambiguous command 'd' (could be: demo, dep, doctor, done, drop)"
rejects 2 help add list
err_contains "too many arguments"
rejects 2 list --frob
err_contains "unknown option '--frob'"
rejects 2 add goal x --frob
err_contains "'--frob'"
# The table of formats: all of them with their direction, or the names
# one direction takes.
ok help --formats
contains "md           import export"
contains "svg          export"
contains "bibtex       paper import"
ok help --formats import
expect "md
jekyll
json
taskwarrior"
ok help --formats export
expect "md
jekyll
json
taskwarrior
ics
dot
svg
csv"
rejects 2 help --formats both
err_contains "--formats takes 'import' or 'export', not 'both'"
rejects 2 export --format bibtex
err_contains "cannot export format 'bibtex' (export formats: md, jekyll, json, taskwarrior, ics, dot, svg, csv)"
rejects 2 import --format svg x.svg
err_contains "cannot import format 'svg' (import formats: md, jekyll, json, taskwarrior)"
finish
