#!/bin/sh
# Re-import is a three-way merge.  A file's last import is the base: a
# field the file did not change since keeps what the store has (a refine
# survives re-importing the unchanged post); a field only the file
# changed is taken; a field both changed keeps the store's value, and the
# import prints one line naming it and the command that takes the
# file's.  The base follows the file, so the conflict is told once, and
# undoing an import undoes its base too.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/goals.md" <<'POST'
---
layout: post
title: Research goals
date: 2020-06-01
---
These are vaguely ordered by how likely I am to work on them.

1. Develop compression methods with provable guarantees.
- [ ] Survey pruning bounds
- [ ] Prove a bound for two-layer networks
- Why does the bound fail after quantization?

2. Improve machine translation in low-resource domains.
- [ ] Adapt a multilingual model to a 50k-sentence language pair

Writing this list showed me how few real problems I know.
POST

ok import "$TMP/goals.md"
expect "imported $TMP/goals.md (md): 6 added, 0 updated, 0 unchanged"

# The store changes; the unchanged file is read again: nothing reverts.
ok refine 1 'Compression methods with tight provable guarantees'
ok done 2
ok mv 4 --root
ok set 6 'body=Start with Swahili-English.'
ok import "$TMP/goals.md"
expect "imported $TMP/goals.md (md): 0 added, 0 updated, 6 unchanged"
check "no warning when only the store changed" test -z "$err"
sql_is "the refined title stays" "SELECT title FROM item WHERE id = 1" \
	'Compression methods with tight provable guarantees'
sql_is "done stays done" "SELECT status FROM item WHERE id = 2" done
sql_is "the moved question stays a root" "SELECT coalesce(parent, 'root') FROM item WHERE id = 4" root
sql_is "the store's body stays" "SELECT body FROM item WHERE id = 6" 'Start with Swahili-English.'
sql_is "one statement more, the refine's" "SELECT count(*) FROM statement WHERE item = 1" 2

# The file changes other fields: each is taken.
sed -e 's/Prove a bound for two-layer networks/Prove a bound for deep networks/' \
	-e 's/^2\. Improve machine translation/2. Improve neural machine translation/' \
	"$TMP/goals.md" >"$TMP/goals2.md"
mv "$TMP/goals2.md" "$TMP/goals.md"
ok import "$TMP/goals.md"
expect "imported $TMP/goals.md (md): 0 added, 2 updated, 4 unchanged"
check "no warning when only the file changed" test -z "$err"
sql_is "the file's new milestone title" "SELECT title FROM item WHERE id = 3" \
	'Prove a bound for deep networks'
sql_is "the file's new goal title" "SELECT title FROM item WHERE id = 5" \
	'Improve neural machine translation in low-resource domains.'
sql_is "the refine still stands" "SELECT title FROM item WHERE id = 1" \
	'Compression methods with tight provable guarantees'

# Both change the same field: the store wins, one line says so and
# gives the command that takes the file's version.
ok refine 5 'Better machine translation for small languages'
sed -e "s/^2\. Improve neural machine translation in low-resource domains\./2. Improve neural machine translation where data is scarce./" \
	"$TMP/goals.md" >"$TMP/goals2.md"
mv "$TMP/goals2.md" "$TMP/goals.md"
ok import "$TMP/goals.md"
check "one line on stderr" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
err_contains "both changed the title of #5: the store's is kept; to take the file's: cairn refine 5 'Improve neural machine translation where data is scarce.'"
sql_is "the store's title is kept" "SELECT title FROM item WHERE id = 5" \
	'Better machine translation for small languages'
# The same file again: the file did not change since, so no warning.
ok import "$TMP/goals.md"
check "told once" test -z "$err"
expect "imported $TMP/goals.md (md): 0 added, 0 updated, 6 unchanged"
# The printed command does what it says.
ok refine 5 'Improve neural machine translation where data is scarce.'
sql_is "the file's version, taken by the command" "SELECT title FROM item WHERE id = 5" \
	'Improve neural machine translation where data is scarce.'

# A conflict on a body: the command is one line that a shell runs.
ok set 6 "body=Start with Yoruba-English.
Then Swahili."
sed -e 's/^- \[ \] Adapt a multilingual model to a 50k-sentence language pair$/&\n\n  Use the FLORES sets./' \
	"$TMP/goals.md" >"$TMP/goals2.md"
mv "$TMP/goals2.md" "$TMP/goals.md"
ok import "$TMP/goals.md"
err_contains "both changed the body of #6"
cmd=$(printf '%s\n' "$err" | sed -n "s/.*to take the file's: cairn //p")
check "a one-line command" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
eval "set -- $cmd"
ok "$@"
sql_is "the body from the printed command" "SELECT body FROM item WHERE id = 6" 'Use the FLORES sets.'

# Undoing an import undoes its base: importing again applies the file.
ok refine 3 'Prove a bound'
sed -e 's/Prove a bound for deep networks/Prove a bound for transformers/' \
	"$TMP/goals.md" >"$TMP/goals2.md"
mv "$TMP/goals2.md" "$TMP/goals.md"
ok import "$TMP/goals.md"
err_contains "both changed the title of #3"
ok undo
ok undo
sql_is "back to the file's earlier title" "SELECT title FROM item WHERE id = 3" \
	'Prove a bound for deep networks'
ok import "$TMP/goals.md"
check "after the undo, only the file changed it" test -z "$err"
sql_is "the file's title, taken" "SELECT title FROM item WHERE id = 3" \
	'Prove a bound for transformers'

# History shows the changes, not the merge's bookkeeping.
ok history
lacks "import_base"

finish
