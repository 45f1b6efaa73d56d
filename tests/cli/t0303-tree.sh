#!/bin/sh
# tree [ID] [--all]: box drawing, done and dropped (with what is below them)
# hidden unless --all, the status column at one display column whatever
# the script of the titles, and nested --json.
. "$(dirname "$0")/lib.sh"

# Display column where the status column starts, one line per tree line,
# counted with Python's Unicode tables (wide and fullwidth: 2 cells,
# combining marks and format characters: 0), independently of utf8proc.
status_cols() {
	py_init
	printf '%s\n' "$out" | py -c '
import re, sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
for line in sys.stdin.read().splitlines():
    m = re.search(r" {2,}(idea|planned|active|paused|done|dropped)( |$)", line)
    print(width(line[:m.start(1)]) if m else "no-status:" + line)
' | sort -u | tr '\n' ' '
}

ok add goal "Compression" --likelihood 0.9 --scope 5
ok add milestone "Survey" --under 1 --scope 1 --p-success 0.95
ok add milestone "Bound" --under 1 --due 2026-09-01
ok add milestone "Lemma" --under 3
ok add milestone "Proof" --under 3
ok add question "Quantization?" --under 1
ok add goal "Stories" --likelihood 0.4
ok add milestone "Planner" --under 7
ok add idea "Regulariser"

ok tree
expect "#1 [goal] Compression            planned  likelihood 0.9  scope 5
├── #2 Survey                    planned  scope 1  p 0.95
├── #3 Bound                     planned  due 2026-09-01
│   ├── #4 Lemma                 planned
│   └── #5 Proof                 planned
└── #6 [question] Quantization?  planned
#7 [goal] Stories                planned  likelihood 0.4
└── #8 Planner                   planned
#9 [idea] Regulariser            idea"
check "no trailing blanks" sh -c '! printf "%s\n" "$1" | grep -q " $"' - "$out"

# A subtree.
ok tree 3
expect "#3 Bound      planned  due 2026-09-01
├── #4 Lemma  planned
└── #5 Proof  planned"
ok tree '#8'
expect "#8 Planner  planned"

# Done and dropped items, and what is below them, are hidden unless --all.
ok done 2
ok drop 3 --why "bound is known"
ok start 8
ok tree
expect "#1 [goal] Compression            planned  likelihood 0.9  scope 5
└── #6 [question] Quantization?  planned
#7 [goal] Stories                planned  likelihood 0.4
└── #8 Planner                   active
#9 [idea] Regulariser            idea"
lacks "Lemma"
ok tree --all
expect "#1 [goal] Compression            planned  likelihood 0.9  scope 5
├── #2 Survey                    done  scope 1  p 0.95
├── #3 Bound                     dropped  due 2026-09-01
│   ├── #4 Lemma                 planned
│   └── #5 Proof                 planned
└── #6 [question] Quantization?  planned
#7 [goal] Stories                planned  likelihood 0.4
└── #8 Planner                   active
#9 [idea] Regulariser            idea"
# An item asked for by id is drawn even when dropped, with its open
# children; --all adds the closed ones.
ok done 5
ok tree 3
expect "#3 Bound      dropped  due 2026-09-01
└── #4 Lemma  planned"
ok tree 3 --all
contains "#3 Bound"
contains "└── #5 Proof"

# --json: nested objects with children, same filtering.
ok --json tree
json_ok "json roots" '[x["id"] for x in d] == [1, 7, 9]'
json_ok "json children" '[c["id"] for c in d[0]["children"]] == [6] and d[1]["children"][0]["status"] == "active" and d[1]["children"][0]["parent"] == 7'
json_ok "json item fields" 'd[0]["kind"] == "goal" and d[0]["title"] == "Compression" and d[0]["likelihood"] == 0.9 and d[0]["parent"] is None'
ok tree --all --json
json_ok "json --all" '[c["id"] for c in d[0]["children"]] == [2, 3, 6] and [c["id"] for c in d[0]["children"][1]["children"]] == [4, 5] and d[0]["children"][1]["why"] == "bound is known"'
ok tree 3 --all --json
json_ok "json subtree" 'len(d) == 1 and d[0]["id"] == 3 and len(d[0]["children"]) == 2'

# Alignment: Chinese, emoji, precomposed and combining accents, fullwidth
# letters, at several depths.  The status column starts at one display
# column on every line.
e_acute=$(printf 'e\314\201')
ok add goal "可压缩性的理论保证" --likelihood 0.3
ok add milestone "Rocket 🚀 launch" --under 10
ok add milestone "Café naïve résumé" --under 11
ok add milestone "Cafe$e_acute combining" --under 12
ok add milestone "Ｆｕｌｌ width" --under 10
ok add milestone "中文 and ASCII 混合" --under 14
ok add milestone "🎓🎓 two caps" --under 10
ok tree --all
same "status column aligned" "$(status_cols)" "33 "
ok tree 10
same "status column aligned in a subtree" "$(status_cols)" "33 "
contains "#10 [goal] 可压缩性的理论保证"
contains "│       └── #13 Cafe$e_acute combining"

# On a terminal the titles are cut (with an ellipsis) to keep the status
# column on the screen, still aligned.
if command -v script >/dev/null 2>&1; then
	out=$(script -qec "stty cols 50; \"$CAIRN\" tree 10" /dev/null | tr -d '\r')
	contains "…"
	same "aligned when cut" "$(status_cols)" "26 "
else
	echo "note: script(1) missing, terminal width not tested"
fi

rejects 1 tree 99
err_contains "#99"
rejects 2 tree x
err_contains "'x'"
rejects 2 tree 1 2
err_contains "too many arguments"
rejects 2 tree --deep
finish
