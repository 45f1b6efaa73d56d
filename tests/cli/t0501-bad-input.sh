#!/bin/sh
# Bad input at the item level: unknown id, unknown field,
# values out of range, malformed dates and estimates, a cycle, mv under a
# descendant, rm of a parent without --force.  Each: exit 1, one line on
# stderr naming the input, nothing on stdout, the store dump unchanged.
. "$(dirname "$0")/lib.sh"

ok add goal G --scope 3 --p-success 0.5
ok add milestone A --under 1
ok add milestone B --under 2
ok add milestone C --under 1
ok dep add 4 2
ok dep add 2 3
ok tag 2 +t
ok note 2 n
ok add idea I

# Unknown id, in every command that takes one.
for cmd in "set 99 scope=2" "mv 99 --root" "mv 2 --under 99" "start 99" \
	"pause 99" "done 99" "drop 99 --why x" "rm 99" "rm 99 --force" \
	"tag 99 +x" "link 99 https://example.org" "note 99 text" \
	"refine 99 text" "promote 99" "promote 5 --under 99" \
	"dep add 99 1" "dep add 1 99" "dep rm 99 1" "dep rm 1 99" \
	"show 99" "tree 99" "list --under 99" "history 99" \
	"add milestone X --under 99" "start 1 99" "done 99 1"; do
	# shellcheck disable=SC2086
	rejects 1 $cmd
	err_contains "#99"
done
rejects 1 show '#99'
err_contains "#99"
# Malformed ids are errors too, naming the id.
for id in 1x x '#' '#-1' 0 1.5 99999999999999999999; do
	rejects 2 show "$id"
	err_contains "'$id'"
	rejects 2 set "$id" scope=1
	err_contains "'$id'"
done

# Unknown field.
rejects 2 set 1 colour=red
err_contains "unknown field 'colour'"
rejects 2 set 1 scope=2 colour=red
err_contains "'colour'"
rejects 2 set 1 =3
err_contains "unknown field ''"

# Values out of range.
rejects 2 set 1 p_success=1.5
err_contains "p_success must be a probability between 0 and 1, not '1.5'"
rejects 2 add milestone X --p-success 1.5
err_contains "'1.5'"
rejects 2 set 1 p_success=-0.1
err_contains "'-0.1'"
rejects 2 set 1 p_success=150%
err_contains "'150%'"
rejects 2 set 1 p_success=half
err_contains "'half'"
rejects 2 set 1 p_success=nan
err_contains "'nan'"
rejects 2 set 1 scope=9
err_contains "scope must be a whole number from 1 to 5, not '9'"
rejects 2 add goal X --scope 9
err_contains "'9'"
rejects 2 set 1 scope=0
err_contains "'0'"
rejects 2 set 1 scope=2.5
err_contains "'2.5'"
rejects 2 set 1 novelty=6
err_contains "'6'"
rejects 2 set 1 likelihood=1.01
err_contains "'1.01'"
rejects 2 add goal X --likelihood 2
err_contains "'2'"
rejects 2 set 1 kind=task
err_contains "'task'"
rejects 2 add task X
err_contains "unknown kind 'task'"
rejects 2 set 1 status=finished
err_contains "'finished'"
rejects 2 add goal X --status finished
err_contains "'finished'"
rejects 2 set 1 driven=money
err_contains "'money'"
rejects 2 set 1 visibility=world
err_contains "'world'"

# Malformed dates.
rejects 2 set 1 due=2026-02-30
err_contains "malformed date '2026-02-30'"
rejects 2 add milestone X --due 2026-02-30
err_contains "'2026-02-30'"
rejects 2 set 1 due=soon
err_contains "malformed date 'soon'"
rejects 2 add milestone X --due soon
err_contains "'soon'"
rejects 2 history --since soon
err_contains "'soon'"

# Malformed estimates.
rejects 2 set 1 estimate=10/5/20
err_contains "estimate '10/5/20' must be optimistic <= likely <= pessimistic"
rejects 2 add milestone X --estimate 10/5/20
err_contains "'10/5/20'"
for est in 5/10 5/10/20/40 a/b/c 5//20 -1/2/3 5/10/x 1e9 / 10%/20/30; do
	rejects 2 set 1 "estimate=$est"
	err_contains "'$est'"
done
# An empty value clears an optional field, but the title is required.
rejects 2 set 1 title=
err_contains "title must not be empty"

# One-line fields refuse newlines, tabs and escapes (they would break the
# aligned views and could drive the terminal); bodies and notes may span
# lines.
nl=$(printf 'two\nlines')
tab=$(printf 'a\tb')
esc=$(printf 'red\033[31m')
rejects 1 add goal "$nl"
err_contains "title must be one line"
rejects 2 set 1 "title=$tab"
err_contains "title must be one line"
rejects 1 refine 1 "$nl"
err_contains "statement must be one line"
rejects 1 tag 1 "+$esc"
err_contains "tag must be one line"
rejects 1 link 1 https://example.org --label "$nl"
err_contains "label must be one line"
rejects 1 drop 1 --why "$nl"
err_contains "reason must be one line"

# A builds-on edge that would close a cycle names the cycle.
rejects 1 dep add 3 4
err_contains "#3 building on #4 would close a cycle: #3 -> #4 -> #2 -> #3"
rejects 1 dep add 3 2
err_contains "cycle: #3 -> #2 -> #3"
rejects 1 dep add 2 2
err_contains "#2 cannot build on itself"

# mv under its own descendant (or itself).
rejects 1 mv 1 --under 3
err_contains "cannot move #1 under #3: #3 is below #1"
rejects 1 mv 2 --under 3
err_contains "#3 is below #2"
rejects 1 mv 2 --under 2
err_contains "cannot move #2 under itself"
rejects 1 promote 5 --under 5
err_contains "#5 under itself"

# rm of an item with children without --force.
rejects 1 rm 1
err_contains "#1 has 2 child items: use --force to remove them too"
rejects 1 rm 2
err_contains "#2 has 1 child item"

# Nothing above left a trace in the journal either.
sql_is "no failed change journalled" "SELECT count(*) FROM change" 10
finish
