#!/bin/sh
# --json on every write command: exactly one JSON document on stdout and
# nothing on stderr.  A command that changes items prints the item's
# detail as show --json does (several ids: an array of them); rm names
# what it removed, dep the edge, undo the changes it wrote, log, lesson
# and metric log the new record, init the store.  A failing write with
# --json prints nothing on stdout, one line on stderr, the same status and
# message as without --json, and leaves the store as it was.
. "$(dirname "$0")/lib.sh"

# jok ARGS: cairn --json ARGS succeeds with nothing on stderr (json_ok
# then checks that stdout is one JSON document).
jok() {
	ok --json "$@"
	check "no stderr from --json $*" [ -z "$err" ]
}

# as_show ID DESC: $out is what `cairn --json show ID` prints now.
as_show() {
	as_got=$out
	run --json show "$1"
	same "$2 prints the item as show --json does" "$as_got" "$out"
	out=$as_got
}

# both N ARGS: fails with status N with and without --json, nothing on
# stdout, the store unchanged, and the same message on stderr.
both() {
	both_want=$1
	shift
	rejects "$both_want" --json "$@"
	both_err=$err
	rejects "$both_want" "$@"
	same "same error with and without --json: $*" "$both_err" "$err"
}

# init: the store's path and whether this command created it.
jok init
json_ok "init creates" "d == {'store': '$CAIRN_DB', 'created': True}"
ok init --json
json_ok "init again" "d == {'store': '$CAIRN_DB', 'created': False}"
both 1 undo

ok add goal "BERT for under \$100" --likelihood 0.8
ok add milestone "Cost model" --under 1 --estimate 2/3/5
ok add milestone "Replicate the baseline" --under 1
ok add idea "Curriculum by loss"
ok add milestone "Profile the data loader" --under 2

# Text output is as before.
ok done 5
expect "done #5"
ok start 5
expect "started #5"

# set
jok set 2 scope=4 "title=A cost model"
json_ok "set" 'd["id"] == 2 and d["scope"] == 4 and d["title"] == "A cost model" and d["children"] == [5]'
as_show 2 set

# mv: the new parent, and none at the top
jok mv 3 --under 2
json_ok "mv --under" 'd["id"] == 3 and d["parent"] == 2'
as_show 3 mv
ok mv 3 --root --json
json_ok "mv --root" 'd["id"] == 3 and d["parent"] is None'
ok mv 3 --under 1

# start, pause, done: one id an object, several an array in their order
jok start 2
json_ok "start" 'd["id"] == 2 and d["status"] == "active" and d["started"] == "2026-03-01T09:00:00Z"'
as_show 2 start
jok pause 2
json_ok "pause" 'd["status"] == "paused"'
jok done 5
json_ok "done" 'd["id"] == 5 and d["status"] == "done" and d["finished"] == "2026-03-01T09:00:00Z"'
as_show 5 done
jok start 3 2
json_ok "start with two ids" 'isinstance(d, list) and [(x["id"], x["status"]) for x in d] == [(3, "active"), (2, "active")] and "tags" in d[0]'
ok pause 2 3 --json
json_ok "pause with two ids" '[(x["id"], x["status"]) for x in d] == [(2, "paused"), (3, "paused")]'

# drop
jok drop 3 --why "someone else did it"
json_ok "drop" 'd["id"] == 3 and d["status"] == "dropped" and d["why"] == "someone else did it"'
as_show 3 drop

# tag
jok tag 2 +cost +infra -infra
json_ok "tag" 'd["id"] == 2 and d["tags"] == ["cost"]'
as_show 2 tag

# link
jok link 2 https://example.org/costs --label "cost sheet"
json_ok "link" 'd["links"] == [{"url": "https://example.org/costs", "label": "cost sheet", "created": "2026-03-01T09:00:00Z"}]'
as_show 2 link

# note
jok note 2 "GPU hours dominate"
json_ok "note" '[n["text"] for n in d["notes"]] == ["GPU hours dominate"]'
as_show 2 note

# refine
jok refine 1 "BERT-level accuracy for under \$100 of compute"
json_ok "refine" 'd["title"] == "BERT-level accuracy for under $100 of compute" and [s["text"] for s in d["statements"]] == ["BERT for under $100", "BERT-level accuracy for under $100 of compute"]'
as_show 1 refine

# promote
jok promote 4 --under 1
json_ok "promote" 'd["id"] == 4 and d["kind"] == "milestone" and d["parent"] == 1 and d["status"] == "planned"'
as_show 4 promote

# dep add and rm: the edge
jok dep add 4 2
json_ok "dep add" 'd == {"item": 4, "builds_on": 2, "added": True}'
ok --json show 4
json_ok "the edge is there" 'd["builds_on"] == [2]'
jok dep rm 4 2
json_ok "dep rm" 'd == {"item": 4, "builds_on": 2, "added": False}'

# lesson: the new lesson
jok lesson 2 "Spot instances halve the cost"
json_ok "lesson" 'd == {"id": 1, "item": 2, "created": "2026-03-01T09:00:00Z", "text": "Spot instances halve the cost", "worked": True}'
jok lesson 2 --didnt-work "Mixed precision without loss scaling diverged"
json_ok "lesson that did not work" 'd["id"] == 2 and d["worked"] is False'

# log: the new time entry
jok log 2 1h30m --note "profiling" --date 2026-02-27
json_ok "log" 'd == {"id": 1, "item": 2, "date": "2026-02-27", "minutes": 90, "note": "profiling"}'
jok log 5 45m
json_ok "log without a note" 'd == {"id": 2, "item": 5, "date": "2026-03-01", "minutes": 45, "note": None}'

# metric add: the metric as metric show ID NAME --json; log: the new
# observation with the metric as it is now
jok metric add 1 cost --unit USD --baseline 7000 --target 100 --lower-is-better
json_ok "metric add" 'd["name"] == "cost" and d["item"] == 1 and d["unit"] == "USD" and d["direction"] == "lower" and d["latest"] is None and d["observations"] == []'
add_out=$out
ok --json metric show 1 cost
same "metric add prints what metric show prints" "$add_out" "$out"
jok metric log 1 cost 3500 --date 2026-02-01 --source https://example.org/run1
json_ok "metric log" 'd["id"] == 1 and d["date"] == "2026-02-01" and d["value"] == 3500 and d["source"] == "https://example.org/run1" and d["note"] is None'
json_ok "metric log's metric" 'd["metric"]["name"] == "cost" and d["metric"]["latest"] == 3500 and d["metric"]["count"] == 1 and abs(d["metric"]["progress"] - 50.72463768) < 1e-6'
jok metric log 1 cost 5000 --date 2026-01-01 --note older
json_ok "an older observation is still the new record" 'd["id"] == 2 and d["value"] == 5000 and d["note"] == "older" and d["metric"]["latest"] == 3500 and d["metric"]["count"] == 2'

# focus set: the setting as it is now
jok focus set 1 --explore 25% --wip 2
json_ok "focus set" 'd == {"main": 1, "explore_target": 0.25, "main_target": 0.75, "wip": 2, "hours_per_day": 8}'
jok focus set 2
json_ok "focus set keeps the rest" 'd["main"] == 2 and d["explore_target"] == 0.25 and d["wip"] == 2'

# check --off / --on
jok check --off stale
json_ok "check --off" 'd == {"rule": "stale", "on": False}'
jok check --on stale
json_ok "check --on" 'd == {"rule": "stale", "on": True}'

# papers
jok paper add "BERT" --key devlin2019bert --year 2019
json_ok "paper add" 'd["key"] == "devlin2019bert" and d["year"] == 2019'
jok paper set devlin2019bert key=devlin2019 status=reading
json_ok "paper set, under its new key" 'd["key"] == "devlin2019" and d["status"] == "reading" and d["items"] == []'
set_out=$out
ok --json paper show devlin2019
same "paper set prints what paper show prints" "$set_out" "$out"
jok paper link devlin2019 2
json_ok "paper link" 'd == {"item": 2, "requires": "devlin2019", "added": True}'
jok paper unlink devlin2019 2
json_ok "paper unlink" 'd == {"item": 2, "requires": "devlin2019", "added": False}'

# predictions and reviews (they printed JSON before)
jok predict --who Alice --p 0.7 "Alice likes the cost model"
json_ok "predict" 'd["id"] == 1 and d["who"] == "Alice" and d["p"] == 0.7'
jok resolve 1 yes
json_ok "resolve" 'd["id"] == 1 and d["outcome"] is True'
jok review --text "A quiet week"
json_ok "review" 'isinstance(d["review"], int)'

# undo: the changes it wrote, each with the change it undid
ok --json history
last=$(json_val 'd[-1]["change"]')
jok undo
json_ok "undo" "d['undone'] == 1 and len(d['changes']) == 1 and d['changes'][0]['undo_of'] == $last and d['changes'][0]['change'] == $last + 1 and d['changes'][0]['label'].startswith('undo: ')"
json_ok "undo's events" 'd["changes"][0]["events"][0]["entity"] == "review" and d["changes"][0]["events"][0]["after"] is None'
ok --json history
json_ok "history agrees" "d[-1]['change'] == $last + 1 and d[-1]['undo_of'] == $last and d[-2]['undone_by'] == $last + 1"
jok undo 2
json_ok "undo 2" "d['undone'] == 2 and [c['change'] for c in d['changes']] == [$last + 2, $last + 3] and d['changes'][0]['undo_of'] > d['changes'][1]['undo_of']"
json_ok "undo 2 labels" 'd["changes"][0]["label"].startswith("undo: resolve") and d["changes"][1]["label"].startswith("undo: predict")'
ok undo
same "undo names the change" "$(printf '%s\n' "$out" | tail -n 1)" "undid 1 change"

# rm: what went, the item first, then what was below it
ok add milestone "Spot prices" --under 2
ok add milestone "Spot prices by region" --under 6
jok rm 7
json_ok "rm" 'd == {"removed": [7]}'
ok add milestone "Spot prices by region" --under 6
jok rm 2 --force
json_ok "rm --force" 'd == {"removed": [2, 5, 6, 8]}'
sql_is "they are gone" "SELECT group_concat(id) FROM (SELECT id FROM item ORDER BY id)" "1,3,4"
jok undo
json_ok "undo brings them back" 'd["undone"] == 1 and sorted({e["id"] for e in d["changes"][0]["events"] if e["entity"] == "item"}) == [2, 5, 6, 8]'
sql_is "they are back" "SELECT group_concat(id) FROM (SELECT id FROM item ORDER BY id)" "1,2,3,4,5,6,8"

# Failures: nothing on stdout, the status and the message as without
# --json, and the store unchanged.
both 1 set 99 scope=3
both 2 set 2 scope=9
both 2 set 2 scope
both 1 mv 99 --root
both 1 mv 1 --under 2
both 2 mv 2
both 1 start 99
both 1 pause 2 99
both 1 done 1 99
both 2 done
both 1 drop 99 --why x
both 2 drop 2
both 1 rm 99
both 1 rm 2
both 1 tag 99 +x
both 2 tag 2
both 1 link 2 ftp://example.org
both 1 note 99 text
both 1 refine 99 text
both 1 promote 99
both 2 promote 2 --to idea
both 1 dep add 2 2
both 1 dep add 2 1
both 1 dep rm 2 3
both 2 dep move 2 3
both 2 undo 0
both 1 lesson 99 text
both 2 lesson 2
both 2 log 2 25h
both 1 log 99 1h
both 1 metric add 1 cost --baseline 1 --target 2
both 2 metric add 1 glue --baseline 1
both 1 metric log 1 nosuch 3
both 2 metric log 1 cost abc
both 1 focus set 99
both 2 focus set 1 --explore 120
both 2 check --off nosuch
both 1 paper set nokey status=read
both 1 paper link nokey 1
both 1 paper unlink devlin2019 1
both 2 predict --p 2 "Too sure"
both 1 resolve 99 yes
both 2 review --text ""
both 2 init extra
finish
