#!/bin/sh
# Usage errors (missing arguments, unknown options, unknown or ambiguous
# commands) exit with status 2 and one line that names the command and
# shows its usage; the store is left alone.
. "$(dirname "$0")/lib.sh"

ok add goal G
ok add idea I

# usage CMD ARGS...: exit 2, one line "cairn CMD: ... (usage: cairn CMD",
# store unchanged.
usage() {
	rejects 2 "$@"
	err_contains "cairn $1: "
	err_contains "(usage: cairn $1"
}

usage init extra
usage init --force
usage demo "$TMP/a" "$TMP/b"
usage demo --fast
usage add
err_contains "missing KIND"
usage add goal
err_contains "missing TITLE"
usage add goal X --frob
err_contains "unknown option '--frob'"
usage add goal X --scope
err_contains "'--scope' needs a value"
usage add goal X -x
err_contains "unknown option '-x'"
usage set
err_contains "missing ID"
usage set 1
err_contains "missing FIELD=VALUE"
usage set 1 title
err_contains "'title' is not FIELD=VALUE"
usage set 1 --title=x
usage mv
err_contains "missing ID"
usage mv 1
err_contains "exactly one of --under ID and --root"
usage mv 1 --root --under 2
usage mv 1 2 --root
err_contains "too many arguments"
usage mv 1 --under
usage start
err_contains "missing ID"
usage pause
usage done
usage start --now 1
usage drop
err_contains "missing ID"
usage drop 1
err_contains "--why TEXT"
usage drop 1 --why
usage drop 1 2 --why x
usage rm
err_contains "missing ID"
usage rm 1 2
usage rm --recursive 1
usage tag
err_contains "missing ID"
usage tag 1
err_contains "missing +TAG|-TAG"
usage link
err_contains "missing ID"
usage link 1
err_contains "missing URL"
usage link 1 https://a.org https://b.org
err_contains "too many arguments"
usage link 1 https://a.org --label
usage note
err_contains "missing ID"
usage note 1
err_contains "missing TEXT"
usage note --pin 1 text
usage refine
usage refine 1
err_contains "missing STATEMENT"
usage promote
err_contains "missing ID"
usage promote 2 3
usage promote 2 --to
usage promote 2 --as goal
usage dep
err_contains "missing add|rm"
usage dep swap 1 2
err_contains "unknown subcommand 'swap'"
usage dep add 1
err_contains "missing PREREQ"
usage dep add 1 2 3
usage dep rm
usage show
err_contains "missing ID"
usage show 1 2
usage show --full 1
usage list extra
err_contains "unexpected argument 'extra'"
usage list --kind
usage list --colour
usage tree 1 2
usage tree --depth 2
usage history 1 2
usage history --since
usage history --limit 3
usage undo 1 2
usage undo --all
usage help add list
usage help --all
usage help frobnicate
err_contains "unknown command 'frobnicate'"

# The alias reports under the command's own name.
rejects 2 ls --colour
err_contains "cairn list: unknown option '--colour'"

# Dispatcher errors.
rejects 2 frobnicate
err_contains "cairn: unknown command 'frobnicate' (see 'cairn help')"
rejects 2 p 1
err_contains "ambiguous command 'p'"
rejects 2 --frob list
err_contains "unknown option '--frob'"
rejects 2 --db
err_contains "--db needs a path"
rejects 2 --verbose list
finish
