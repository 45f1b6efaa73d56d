#!/bin/sh
# Taskwarrior round trips change nothing, through the real `task`, on a
# backlog shaped like a real export (tests/fixtures/fmt/tw-backlog.json:
# 420 tasks, dotted projects, depends, annotations, tags, due dates, 45%
# completed):
#  - Taskwarrior -> cairn -> Taskwarrior gives the same tasks, exactly as
#    many: the project nodes cairn makes for "goal3.ms1" are written back
#    only as the project of their tasks, never as tasks;
#  - cairn -> Taskwarrior -> cairn gives the same store;
#  - a task added in Taskwarrior under a project cairn exported for a goal
#    comes back under that goal;
#  - the summary counts every changed task ("2 updated" for one done and
#    one annotated);
#  - a task cairn cannot store ("   " for a title, and other bad fields)
#    refuses the whole file with one line naming the task, and the store
#    stays as it was.
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?set SRCDIR to the source tree}"
F="$SRCDIR/tests/fixtures/fmt"
command -v task >/dev/null 2>&1 || skip "taskwarrior (task) not installed"
export TZ=UTC
# A throwaway Taskwarrior: its own rc file and data folders under $TMP.
: >"$TMP/taskrc"
export TASKRC="$TMP/taskrc"
task_in() { # task_in DATA COMMAND ARGS...: run task on the data in DATA
	d=$1
	shift
	mkdir -p "$d"
	TASKDATA="$d" task rc.confirmation=off rc.verbose=nothing \
		rc.hooks=off rc.recurrence=off "$@"
}
count() { py -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$1"; }
# same_tasks A B: the tasks of two exports, by uuid, in the fields a
# Taskwarrior user sees (depends and tags as sets).
same_tasks() {
	py - "$1" "$2" <<'PY'
import json, sys
a = {t["uuid"]: t for t in json.load(open(sys.argv[1]))}
b = {t["uuid"]: t for t in json.load(open(sys.argv[2]))}
keys = ["description", "status", "depends", "project", "tags", "due",
        "annotations", "entry", "start", "end", "wait", "priority"]
bad = [u for u in set(a) ^ set(b)]
for u in set(a) & set(b):
    for k in keys:
        x, y = a[u].get(k), b[u].get(k)
        if k in ("depends", "tags"):
            x, y = sorted(x or []), sorted(y or [])
        if x != y:
            print("%s %s: %r -> %r" % (u, k, x, y), file=sys.stderr)
            bad.append(u)
sys.exit(1 if bad else 0)
PY
}
# dump DB TASKS: every item of the store DB with what a round trip must
# keep, by uuid; TASKS (an export) tells tasks from project nodes, which
# are made anew on import (their creation time is the import's).  Notes
# by text: Taskwarrior keys annotations by second, so notes that shared
# one are a second apart after the trip.
dump() {
	py - "$1" "$2" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tasks = {t["uuid"] for t in json.load(open(sys.argv[2]))}
def one(q, *a):
    return ",".join(str(r[0]) for r in db.execute(q, a))
for r in db.execute("""SELECT i.id, i.uuid, i.kind, i.title, i.status,
        i.why, p.uuid, i.due, i.visibility, i.scope, i.novelty,
        i.p_success, i.likelihood, i.optimistic, i.likely,
        i.pessimistic, i.driven, i.body, i.created, i.started, i.finished
        FROM item i LEFT JOIN item p ON p.id = i.parent ORDER BY i.uuid"""):
    r = list(r)
    if r[1] not in tasks:
        r[18] = "(project node)"
    print(r[1:], one("SELECT name FROM tag WHERE item = ? ORDER BY name", r[0]),
          one("SELECT q.uuid FROM edge e JOIN item q ON q.id = e.prereq "
              "WHERE e.item = ? ORDER BY q.uuid", r[0]),
          one("SELECT text FROM note WHERE item = ? ORDER BY text", r[0]),
          one("SELECT url || ' ' || coalesce(label, '') FROM link "
              "WHERE item = ? ORDER BY url", r[0]))
PY
}

# Taskwarrior -> cairn -> Taskwarrior.
task_in "$TMP/tw0" import "$F/tw-backlog.json" >/dev/null 2>&1
task_in "$TMP/tw0" export >"$TMP/native.json" 2>/dev/null
same "the fixture goes into Taskwarrior whole" "$(count "$TMP/native.json")" 420
export CAIRN_DB="$TMP/native.db"
ok import "$TMP/native.json"
# 420 tasks and 30 project nodes (goal3, goal3.ms1, ...).
expect "imported $TMP/native.json (taskwarrior): 450 added, 0 updated, 0 unchanged"
sql_is "project levels are items" \
	"SELECT p.kind || ':' || p.title || ' > ' || c.kind || ':' || c.title FROM item c JOIN item p ON p.id = c.parent WHERE c.title = 'ms1' AND p.title = 'goal3'" \
	"goal:goal3 > milestone:ms1"
ok export --format taskwarrior --out "$TMP/out.json"
same "project nodes are not written as tasks" "$(count "$TMP/out.json")" 420
task_in "$TMP/tw1" import "$TMP/out.json" >/dev/null 2>"$TMP/task.err"
check "task imports cairn's export" [ $? -eq 0 ]
task_in "$TMP/tw1" export >"$TMP/back.json" 2>/dev/null
same "Taskwarrior -> cairn -> Taskwarrior: exactly as many tasks" \
	"$(count "$TMP/back.json")" 420
check "Taskwarrior -> cairn -> Taskwarrior: the same tasks" \
	same_tasks "$TMP/native.json" "$TMP/back.json"
check "a task below goal3.ms1 keeps its project" py -c '
import json, sys
t = [x for x in json.load(open(sys.argv[1])) if x.get("project") == "goal3.ms1"]
sys.exit(0 if t and all("cairnparent" not in x for x in t) else 1)' "$TMP/back.json"

# cairn -> Taskwarrior -> cairn, on a store with both cairn's own items
# and the Taskwarrior backlog.
export CAIRN_DB="$TMP/mixed.db"
ok import "$F/roadmap.json"
ok import "$TMP/native.json"
ok export --format taskwarrior --out "$TMP/mixed.json"
same "every item but the project nodes is a task" \
	"$(count "$TMP/mixed.json")" "$(sql "SELECT count(*) - 30 FROM item")"
task_in "$TMP/tw2" import "$TMP/mixed.json" >/dev/null 2>&1
task_in "$TMP/tw2" export >"$TMP/mixed-back.json" 2>/dev/null
CAIRN_DB="$TMP/again.db" ok import "$TMP/mixed-back.json"
dump "$TMP/mixed.db" "$TMP/mixed.json" >"$TMP/mixed.txt"
dump "$TMP/again.db" "$TMP/mixed.json" >"$TMP/again.txt"
check "cairn -> Taskwarrior -> cairn: the same store" \
	cmp -s "$TMP/mixed.txt" "$TMP/again.txt"
ok import "$TMP/mixed-back.json"
expect "imported $TMP/mixed-back.json (taskwarrior): 0 added, 0 updated, 467 unchanged"

# A task added in Taskwarrior under the project cairn exported for a
# goal's tasks comes back under that goal.
# The project of the tasks below a goal of the roadmap.
set -- $(py -c '
import json, sys
t = json.load(open(sys.argv[1]))
goals = {x["uuid"] for x in t if x.get("cairnkind") == "goal"}
x = [x for x in t if x.get("cairnparent") in goals][0]
print(x["project"], x["cairnparent"])' "$TMP/mixed.json")
proj=$1
goal=$(sql "SELECT title FROM item WHERE uuid = '$2'")
task_in "$TMP/tw2" add "Try the tighter bound" "project:$proj" >/dev/null 2>&1
task_in "$TMP/tw2" export >"$TMP/added.json" 2>/dev/null
ok import "$TMP/added.json"
expect "imported $TMP/added.json (taskwarrior): 1 added, 0 updated, 467 unchanged"
sql_is "the new task is below the goal" \
	"SELECT p.title FROM item c JOIN item p ON p.id = c.parent WHERE c.title = 'Try the tighter bound'" \
	"$goal"
sql_is "no goal titled with the project" \
	"SELECT count(*) FROM item WHERE title = '$proj'" 0
CAIRN_DB="$TMP/fresh.db" ok import "$TMP/added.json"
CAIRN_DB="$TMP/fresh.db" sql_is "the same in a new store" \
	"SELECT p.title FROM item c JOIN item p ON p.id = c.parent WHERE c.title = 'Try the tighter bound'" \
	"$goal"

# One task done, another annotated: two updated tasks.
done_uuid=$(py -c '
import json, sys
print([t["uuid"] for t in json.load(open(sys.argv[1])) if t["status"] == "pending" and "start" not in t][0])' "$TMP/added.json")
ann_uuid=$(py -c '
import json, sys
print([t["uuid"] for t in json.load(open(sys.argv[1])) if t["status"] == "pending" and "start" not in t][1])' "$TMP/added.json")
task_in "$TMP/tw2" "$done_uuid" done >/dev/null 2>&1
task_in "$TMP/tw2" "$ann_uuid" annotate "ask Ana about the proof" >/dev/null 2>&1
task_in "$TMP/tw2" export >"$TMP/changed.json" 2>/dev/null
ok import "$TMP/changed.json"
expect "imported $TMP/changed.json (taskwarrior): 0 added, 2 updated, 466 unchanged"
sql_is "the done one is done" "SELECT status FROM item WHERE uuid = '$done_uuid'" done
sql_is "the annotated one has the note" \
	"SELECT count(*) FROM note n JOIN item i ON i.id = n.item WHERE i.uuid = '$ann_uuid' AND n.text = 'ask Ana about the proof'" 1

# Tasks cairn cannot store: the whole file is refused, naming the task,
# and nothing changes.
export CAIRN_DB="$TMP/bad.db"
ok add goal "Keep me"
before=$(snapshot)
bad() { # bad NAME FIELDS MESSAGE: a file whose third task has FIELDS
	printf '[{"uuid":"11111111-1111-4111-8111-111111111111","description":"Fine","status":"pending"},\n{"description":"Also fine","project":"goal3.ms1","tags":["ok"]},\n{"uuid":"33333333-3333-4333-8333-333333333333",%s}]\n' "$2" >"$TMP/$1.json"
	rejects 1 import "$TMP/$1.json"
	err_contains "'$1.json' task 3: $3"
	same "$1: the store is unchanged" "$(snapshot)" "$before"
}
bad blank '"description":"   ","status":"pending"' "title must not be empty"
bad tabs '"description":"\t \t","status":"pending"' "title must not be empty"
bad scope '"description":"Scope","cairnscope":"9"' "cairnscope '9' is out of range"
bad hex '"description":"Hex","cairnpsuccess":"0x1"' "cairnpsuccess '0x1' is out of range"
bad due '"description":"Due","due":"soon"' "malformed due time"
bad priority '"description":"Prio","priority":"X"' "priority must be H, M or L"
bad project '"description":"Proj","project":"goal3.  .ms1"' "project has a blank level"
bad ctl '"description":"Ctl","project":"goal3.m\u0007s1"' "project must be one line"
bad ann '"description":"Ann","annotations":[{"entry":"yesterday","description":"x"}]' "malformed annotation time"
bad dep '"description":"Dep","depends":["not-a-uuid"]' "malformed uuid in depends"
bad estimate '"description":"Est","cairnestimate":"9/3/1"' "malformed cairnestimate"
# One task a line names the line.
printf '{"description":"Fine"}\n\n{"description":"  "}\n' >"$TMP/lines.jsonl"
rejects 1 import --format taskwarrior "$TMP/lines.jsonl"
err_contains "'lines.jsonl' line 3: title must not be empty"
same "lines: the store is unchanged" "$(snapshot)" "$before"
# As 'add' refuses it.
rejects 1 add goal "   "
err_contains "title must not be empty"
finish
