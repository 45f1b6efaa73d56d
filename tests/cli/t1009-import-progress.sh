#!/bin/sh
# Import progress: on a terminal, a file of 1 MiB or more shows
# "importing NAME: P%" on stderr, redrawn in place and ended with a
# newline at 100% (or before a warning or an error, so that it gets a
# line of its own); with stderr not a terminal, or a smaller file,
# nothing; the store gets every item either way.  The
# terminal is a pseudo-terminal from script(1) (util-linux, in Debian's
# essential bsdutils).
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null 2>&1 || skip "script (util-linux) not installed"
script -qec true /dev/null </dev/null >/dev/null 2>&1 ||
	skip "script does not take util-linux's -q -e -c"
py_init

# on_tty CMD: run the shell command CMD with stdin, stdout and stderr on a
# pseudo-terminal; what it wrote goes to $TMP/tty, carriage returns
# turned into newlines (each redraw of the progress line becomes a line).
on_tty() {
	script -qec "$1" /dev/null </dev/null >"$TMP/tty.raw" 2>&1
	rc=$?
	tr '\r' '\n' <"$TMP/tty.raw" | grep -v '^$' >"$TMP/tty"
	out=$(cat "$TMP/tty")
	err=
}

# 8000 Taskwarrior tasks, one item each: about 1.6 MB.
py -c '
import json, sys
tasks = [{"uuid": "00000000-0000-4000-8000-%012d" % i,
          "description": "Task %05d of a generated backlog, long enough "
                         "to make the file big" % i,
          "status": "pending", "entry": "20260101T000000Z"}
         for i in range(8000)]
with open(sys.argv[1], "w") as f:
    f.write("[" + ",\n".join(json.dumps(t) for t in tasks) + "]\n")
# A small file: its first five tasks.
with open(sys.argv[2], "w") as f:
    f.write("[" + ",\n".join(json.dumps(t) for t in tasks[:5]) + "]\n")
# The big one with a malformed due date half way through.
tasks[5000]["due"] = "soon"
with open(sys.argv[3], "w") as f:
    f.write("[" + ",\n".join(json.dumps(t) for t in tasks) + "]\n")
' "$TMP/big.json" "$TMP/small.json" "$TMP/bad.json"
check "the generated file is over 1 MiB" \
	[ "$(wc -c <"$TMP/big.json")" -gt 1048576 ]

# On a terminal: progress, then the summary on a line of its own.
on_tty "'$CAIRN' --db '$TMP/tty.db' import '$TMP/big.json'"
same "import on a terminal succeeds" "$rc" 0
contains "importing big.json: 100%"
same "the line after 100% is the summary" \
	"$(grep -A1 -x 'importing big.json: 100%' "$TMP/tty" | tail -1)" \
	"imported $TMP/big.json (taskwarrior): 8000 added, 0 updated, 0 unchanged"
# Every redraw is the whole line, nothing else: percentages that only go
# up, at most one per percent, 100% once.
same "only progress lines and the summary" \
	"$(grep -cvx 'importing big\.json: *[0-9]*%' "$TMP/tty")" 1
check "100% is followed by a line ending" py -c '
import sys
raw = open(sys.argv[1], "rb").read()
i = raw.index(b"importing big.json: 100%") + len(b"importing big.json: 100%")
sys.exit(0 if raw[i:i + 2] == b"\r\n" or raw[i:i + 1] == b"\n" else 1)' \
	"$TMP/tty.raw"
same "100% is shown once" \
	"$(grep -cx 'importing big\.json: 100%' "$TMP/tty")" 1
check "percentages go up, at most 101 redraws" py -c '
import re, sys
p = [int(m.group(1)) for m in
     (re.fullmatch(r"importing big\.json: +(\d+)%", l.rstrip("\n"))
      for l in open(sys.argv[1])) if m]
sys.exit(0 if p and p == sorted(p) and p[-1] == 100 and len(p) <= 101
         and all(0 <= x <= 100 for x in p) else 1)' "$TMP/tty"
CAIRN_DB="$TMP/tty.db" sql_is "every task imported (terminal)" \
	"SELECT count(*) FROM item" 8000

# Not a terminal: the same import, no progress at all.
export CAIRN_DB="$TMP/file.db"
ok import "$TMP/big.json"
expect "imported $TMP/big.json (taskwarrior): 8000 added, 0 updated, 0 unchanged"
same "no progress when stderr is a file" "$err" ""
sql_is "every task imported (file)" "SELECT count(*) FROM item" 8000

# On a terminal but small: no progress.
on_tty "'$CAIRN' --db '$TMP/small.db' import '$TMP/small.json'"
same "small import on a terminal succeeds" "$rc" 0
lacks "importing"
contains "imported $TMP/small.json (taskwarrior): 5 added"

# From standard input the line names stdin.
on_tty "'$CAIRN' --db '$TMP/stdin.db' import - <'$TMP/big.json'"
contains "importing stdin: 100%"

# A warning half way (a link cairn refuses, in a Markdown roadmap of
# goals with a note each): the progress line is ended before it.
py -c '
import sys
with open(sys.argv[1], "w") as f:
    for i in range(10000):
        link = " [x](javascript:alert(1))" if i == 5000 else ""
        f.write("- Goal %04d, padded out to make a Markdown file of over "
                "a mebibyte%s\n\n  A note on goal %04d, also padded out "
                "with words.\n\n" % (i, link, i))
' "$TMP/big.md"
check "the Markdown file is over 1 MiB" \
	[ "$(wc -c <"$TMP/big.md")" -gt 1048576 ]
on_tty "'$CAIRN' --db '$TMP/md.db' import '$TMP/big.md'"
same "the Markdown import succeeds" "$rc" 0
check "the warning has a line of its own" grep -qx \
	"cairn: warning: big.md: link 'javascript:alert(1)' not imported: only http, https and mailto links are allowed (kept in a note)" \
	"$TMP/tty"
same "only progress lines, the warning and the summary" \
	"$(grep -cvx 'importing big\.md: *[0-9]*%' "$TMP/tty")" 2
contains "importing big.md: 100%"
CAIRN_DB="$TMP/md.db" sql_is "every goal imported" \
	"SELECT count(*) FROM item" 10000

# A failure half way: the progress line is ended before the error, which
# stands alone on its line, and nothing is saved.
on_tty "'$CAIRN' --db '$TMP/bad.db' import '$TMP/bad.json'"
same "a bad file fails" "$rc" 1
check "the error has a line of its own" \
	grep -qx "cairn: 'bad.json' task 5001: malformed due time" \
	"$TMP/tty"
same "only progress lines and the error" \
	"$(grep -cvx 'importing bad\.json: *[0-9]*%' "$TMP/tty")" 1
lacks "100%"
# It was the first write to that store: no store is left behind.
check "a failed import leaves no store" test ! -e "$TMP/bad.db"
check "nor its lock file" test ! -e "$TMP/bad.db.lock"
finish
