#!/bin/sh
# start, pause, done (one or several ids, all or nothing) and drop --why,
# with their time stamps.
. "$(dirname "$0")/lib.sh"

ok add goal G
ok add milestone A --under 1
ok add milestone B --under 1
ok add milestone C --under 1

CAIRN_NOW=2026-03-02T08:00:00Z run start 2
same "start status" "$rc" 0
same "start says" "$out" "started #2"
sql_is "active, started" "SELECT status, started, coalesce(finished, '-') FROM item WHERE id = 2" \
	"active|2026-03-02T08:00:00Z|-"

CAIRN_NOW=2026-03-03T08:00:00Z run pause '#2'
same "pause says" "$out" "paused #2"
sql_is "paused keeps started" "SELECT status, started FROM item WHERE id = 2" \
	"paused|2026-03-02T08:00:00Z"

# Starting again keeps the first start.
CAIRN_NOW=2026-03-04T08:00:00Z run start 2
sql_is "restart keeps first start" "SELECT status, started FROM item WHERE id = 2" \
	"active|2026-03-02T08:00:00Z"

# done with several ids: one change, one line each.
CAIRN_NOW=2026-03-05T08:00:00Z run done 2 '#3'
same "done status" "$rc" 0
same "done says" "$out" "done #2
done #3"
sql_is "done stamps" "SELECT id, status, finished FROM item WHERE id IN (2, 3) ORDER BY id" \
	"2|done|2026-03-05T08:00:00Z
3|done|2026-03-05T08:00:00Z"
sql_is "one change for both" \
	"SELECT group_concat(item) FROM event WHERE change = (SELECT max(id) FROM change)" "2,3"

# All or nothing: one unknown id and nobody changes.
rejects 1 done 4 99
err_contains "#99"
rejects 2 start 4 abc
err_contains "'abc'"
sql_is "C untouched" "SELECT status FROM item WHERE id = 4" planned

# drop needs a reason; the reason is kept and shown.
CAIRN_NOW=2026-03-06T08:00:00Z run drop 4 --why "superseded by the \$100 plan"
same "drop says" "$out" "dropped #4"
sql_is "dropped with why" "SELECT status, why, finished FROM item WHERE id = 4" \
	"dropped|superseded by the \$100 plan|2026-03-06T08:00:00Z"
ok show 4
contains "status      dropped (superseded by the \$100 plan)"
ok --json show 4
json_ok "json why" 'd["status"] == "dropped" and d["why"] == "superseded by the $100 plan"'

# Reopening a dropped item clears its reason and finish.
ok start 4
sql_is "reopened" "SELECT status, coalesce(why, '-'), coalesce(finished, '-') FROM item WHERE id = 4" \
	"active|-|-"

rejects 2 drop 4
err_contains "--why"
rejects 2 drop 4 --why ""
rejects 2 drop --why x
err_contains "missing ID"
rejects 2 drop 3 4 --why x
rejects 1 drop 99 --why gone
err_contains "#99"
rejects 2 start
err_contains "missing ID"
rejects 2 pause
rejects 2 done
rejects 2 done --now 2
err_contains "'--now'"
finish
