#!/bin/sh
# set: every field, several in one change, 'none' clears, status stamps.
. "$(dirname "$0")/lib.sh"

ok add goal "Cheap pre-training"
ok add milestone "Replicate" --under 1
ok set 2 title="Replicate cramming" body="Line one." kind=question \
	scope=4 p_success=0.6 novelty=3 estimate=2/4/9 due=2026-12-31 \
	likelihood=0.25 driven=goal visibility=public status=active
expect "updated #2"
sql_is "all fields" "SELECT title, body, kind, scope, p_success, novelty,
	optimistic, likely, pessimistic, due, likelihood, driven, visibility,
	status, started FROM item WHERE id = 2" \
	"Replicate cramming|Line one.|question|4|0.6|3|2.0|4.0|9.0|2026-12-31|0.25|goal|public|active|2026-03-01T09:00:00Z"
sql_is "one change" "SELECT count(*) FROM change WHERE label LIKE 'set %'" 1

# p-success with a dash; #ID.
ok set '#2' p-success=0.9 kind=milestone
sql_is "dash field name" "SELECT p_success, kind FROM item WHERE id = 2" "0.9|milestone"
sql_is "several fields, one update event" \
	"SELECT count(*) FROM event WHERE change = (SELECT max(id) FROM change)" 1

# 'none' (or empty) clears optional fields.
ok set 2 scope=none p_success=none novelty= estimate=none due=none \
	likelihood=none driven=none body=
sql_is "cleared" "SELECT coalesce(scope, '-'), coalesce(p_success, '-'),
	coalesce(novelty, '-'), coalesce(optimistic, '-'), coalesce(due, '-'),
	coalesce(likelihood, '-'), coalesce(driven, '-'), body FROM item WHERE id = 2" \
	"-|-|-|-|-|-|-|"

# Relative due date with the fixed clock (2026-03-01).
ok set 2 due=+2w
sql_is "due +2w" "SELECT due FROM item WHERE id = 2" 2026-03-15

# A value with '=' in it keeps everything after the first '='.
ok set 1 "title=E = mc^2 for pre-training"
sql_is "title with =" "SELECT title FROM item WHERE id = 1" "E = mc^2 for pre-training"

# Status through set: done stamps finished, back to planned clears it.
CAIRN_NOW=2026-04-01T10:00:00Z run set 2 status=done
check "set status=done" [ "$rc" -eq 0 ]
sql_is "finished" "SELECT status, finished FROM item WHERE id = 2" \
	"done|2026-04-01T10:00:00Z"
ok set 2 status=planned
sql_is "reopened" "SELECT status, coalesce(finished, '-') FROM item WHERE id = 2" \
	"planned|-"

# Nothing else changed: item 1 still as added.
sql_is "other item untouched" "SELECT kind, status, coalesce(scope, '-') FROM item WHERE id = 1" \
	"goal|planned|-"

# A failing field anywhere on the line sets none of them.
rejects 2 set 2 scope=2 p_success=1.5
err_contains "'1.5'"
rejects 2 set 2 scope=2 bogus=1
err_contains "unknown field 'bogus'"
rejects 2 set 2 scope=2 title
err_contains "'title' is not FIELD=VALUE"
rejects 2 set 2 status=dropped
err_contains "drop ID --why"
rejects 2 set 2 title=
err_contains "title must not be empty"
rejects 2 set 2 kind=task
err_contains "unknown kind 'task'"
rejects 2 set 2 visibility=world
err_contains "'world'"
rejects 2 set 2 driven=money
err_contains "'money'"
rejects 2 set 2 novelty=2.5
err_contains "'2.5'"
rejects 2 set 2 likelihood=-0.1
err_contains "'-0.1'"
rejects 2 set 2
err_contains "missing FIELD=VALUE"
rejects 2 set
err_contains "missing ID"
finish
