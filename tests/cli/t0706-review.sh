#!/bin/sh
# review: the summary since the last review (or the last week), --text for
# scripts, the three questions on a terminal, reviews kept in the journal
# (history, undo, lookback), and what happens without a terminal.
. "$(dirname "$0")/lib.sh"

export CAIRN_NOW=2026-02-25T09:00:00Z
ok add goal "Compression with guarantees" --driven goal
ok add milestone "Replicate the pruning baseline" --under 1
ok add idea "Pruning bound as a regularizer"
ok add idea "Cost leaderboard"
ok predict --p 0.6 --by 2026-02-27 "The advisor will like the bound"
export CAIRN_NOW=2026-03-01T09:00:00Z
ok done 2

# Without a terminal and without --text: the summary, nothing stored.
ok review
contains "Look-back from 2026-02-22 to now"
contains "Finished (1)
  2026-03-01  #2 milestone: Replicate the pruning baseline"
contains "Ideas inbox: 2 ideas waiting (cairn list --kind idea)"
contains "Overdue predictions: 1 (cairn predictions --overdue)"
contains "Goals: 1 goal-driven, 0 idea-driven, 0 unstated"
contains "nothing recorded (give --text to record a reflection)"
sql_is "nothing stored" "SELECT count(*) FROM review" 0

export CAIRN_NOW=2026-03-01T10:00:00Z
ok review --text "The baseline runs; drop the game engine"
contains "review 1 recorded"
sql_is "stored" "SELECT created, note FROM review" "2026-03-01T10:00:00Z|The baseline runs; drop the game engine"
ok history
contains "review --text 'The baseline runs; drop the game engine'"
contains "+ review: 'The baseline runs; drop the game engine'"

# The next review starts at the last one.
export CAIRN_NOW=2026-03-08T09:00:00Z
ok --json review --text "Quiet week"
json_ok "review --json" 'd["since"] == "2026-03-01T10:00:00Z" and d["review"] == 2 and d["ideas"] == 2 and d["overdue_predictions"] == 1 and d["lookback"]["finished"] == [] and d["driven"]["goal"]["goals"] == 1'

# On a terminal, three questions.
if command -v script >/dev/null 2>&1; then
	export CAIRN_NOW=2026-03-09T09:00:00Z
	printf 'the bound got tighter\nthe goal statement\nthe story game\n' |
		script -qec "$CAIRN review" /dev/null >"$TMP/tty" 2>&1
	check "asks what moved" grep -q "What moved?" "$TMP/tty"
	check "asks what got sharper" grep -q "What got sharper?" "$TMP/tty"
	check "asks what to drop" grep -q "What to drop?" "$TMP/tty"
	sql_is "answers stored" "SELECT moved, sharper, to_drop FROM review WHERE id = 3" "the bound got tighter|the goal statement|the story game"
fi

ok lookback --since 2026-03-01
contains "Reviews ("
contains "    Quiet week"
ok undo
sql_is "undo removes a review" "SELECT count(*) FROM review WHERE id = 3" 0

rejects 2 review --text ""
err_contains "an empty review is not recorded"
rejects 2 review extra
rejects 2 review --text
finish
