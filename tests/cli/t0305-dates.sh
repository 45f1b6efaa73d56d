#!/bin/sh
# Dates: YYYY-MM-DD (a real day) and relative forms (today, tomorrow,
# yesterday, +N/-N with d, w, m, y) from the clock that CAIRN_NOW fixes;
# stored as UTC dates and timestamps.
. "$(dirname "$0")/lib.sh"

ok add goal G
due() {
	# due VALUE WANT [CAIRN_NOW]
	CAIRN_NOW=${3:-$CAIRN_NOW} run set 1 "due=$1"
	if [ "$rc" -ne 0 ]; then
		fail "due=$1 refused"
		return
	fi
	sql_is "due=$1 (now ${3:-$CAIRN_NOW})" "SELECT due FROM item WHERE id = 1" "$2"
}

due 2026-06-30 2026-06-30
due 2028-02-29 2028-02-29
due today 2026-03-01
due now 2026-03-01
due tomorrow 2026-03-02
due yesterday 2026-02-28
due +0d 2026-03-01
due +10d 2026-03-11
due -3d 2026-02-26
due +2w 2026-03-15
due -1w 2026-02-22
due +1m 2026-04-01
due +1y 2027-03-01
due -1y 2025-03-01
due +365d 2027-03-01
# Across a year end and a leap day; a date-only CAIRN_NOW; a clock late
# in the UTC day.
due +1d 2027-01-01 2026-12-31
due +1d 2028-02-29 2028-02-28T12:00:00Z
due tomorrow 2026-07-02 2026-07-01
due today 2026-03-01 2026-03-01T23:59:59Z
# A month from the 31st ends at the end of the shorter month.
due +1m 2026-02-28 2026-01-31
due +1m 2028-02-29 2028-01-31
due -1m 2026-02-28 2026-03-31
due +1y 2029-02-28 2028-02-29

# add --due takes the same forms.
ok add milestone M --due +2w
sql_is "add --due +2w" "SELECT due FROM item WHERE id = 2" 2026-03-15

# Time stamps follow CAIRN_NOW, in UTC.
CAIRN_NOW=2026-05-04T03:02:01Z run note 2 "stamped"
sql_is "note stamp" "SELECT created FROM note" 2026-05-04T03:02:01Z
CAIRN_NOW=2026-05-05 run start 2
sql_is "date-only clock stamps midnight" "SELECT started FROM item WHERE id = 2" \
	2026-05-05T00:00:00Z
sql_is "change time" "SELECT time FROM change ORDER BY id DESC LIMIT 1" \
	2026-05-05T00:00:00Z

# Malformed dates name the input and change nothing.
ok set 1 due=2026-06-30
for bad in 2026-02-30 2027-02-29 2026-13-01 2026-00-10 2026-2-3 soon \
	"next week" +2W +2 +w 2w "+1.5d" "+100001d" 26-03-01 \
	"2026-03-01 " "2026-03-01T10:00" 0000-01-01 10000-01-01; do
	rejects 2 set 1 "due=$bad"
	err_contains "malformed date '$bad'"
done
rejects 2 add milestone X --due 2026-02-30
err_contains "'2026-02-30'"
rejects 2 add milestone X --due soon
err_contains "'soon'"
sql_is "due kept" "SELECT due FROM item WHERE id = 1" 2026-06-30
finish
