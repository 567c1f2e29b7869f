#!/bin/bash
# t0600-compare.sh - the monthly comparison against gen's planted cases (DOMAIN.md §4).
#
# A generated county with a year of feeds; compare November and December;
# every planted.csv case is raised at its person and household in December
# (W15/W16 read only the registry, so they were raised in November and stay
# open), no planted_negative.csv case raises its rule in December, and a
# second run of December adds nothing.
. "$(dirname "$0")/lib.sh"
plan 15
export DOUDI_TODAY=2026-01-15

G=$T/g
"$DD" gen --households 3000 --seed 11 --population 20000 --medical-rows 100000 --out "$G" >/dev/null
check "init" "$DD" init --county 230304
check "import registry" "$DD" import registry --households "$G/households.csv" \
	--members "$G/members.csv" --obligors "$G/obligors.csv"

bad=""
for dir in "$G"/feeds/*/; do
	kind=$(basename "$dir")
	for f in "$dir"*.csv; do
		month=$(basename "$f" .csv)
		"$DD" feed import "$kind" --month "$month" "$f" >/dev/null 2>"$T/feed.err" || bad="$bad $kind/$month"
	done
done
is "every feed batch imported" "$bad" ""

out11=$("$DD" compare --month 2025-11 2>"$T/c11.err")
is "compare 2025-11 ran" "$?" 0
is "compare prints one line per rule" "$(printf '%s\n' "$out11" | grep -c '^W[0-9][0-9] [a-z]* new=[0-9]* open=[0-9]*$')" 18
out12=$("$DD" compare --month 2025-12 2>"$T/c12.err")
is "compare 2025-12 ran" "$?" 0
contains "levels from the policy" "$out12" "W01 yellow new="

"$DD" warnings --format csv >"$T/all.csv"
is "csv header" "$(head -1 "$T/all.csv")" "rule,level,month,id_number,name,household_no,region_code,status,evidence"

# Planted cases: raised in December (W15/W16: November or December), at that ID and household.
missing=$(awk -F, 'NR == FNR { if (FNR > 1) w[$1 "|" $4 "|" $6 "|" $3] = 1; next }
	FNR > 1 { k = $1 "|" $3 "|" $4 "|"
		if (!((k $2) in w) && !(($1 == "W15" || $1 == "W16") && ((k "2025-11") in w))) print }' \
	"$T/all.csv" "$G/planted.csv")
is "every planted case raised" "$missing" ""
is "planted cases cover W01-W18" "$(cut -d, -f1 "$G/planted.csv" | sort -u | grep -c '^W')" 18

raised=$(awk -F, 'NR == FNR { if (FNR > 1 && $3 == "2025-12") w[$1 "|" $4] = 1; next }
	FNR > 1 && (($1 "|" $3) in w) { print }' "$T/all.csv" "$G/planted_negative.csv")
is "no planted negative raised its rule" "$raised" ""

w02=$(awk -F, '$1 == "W02" && $6 != "" { print }' "$T/all.csv")
is "W02 rows have an empty household_no" "$w02" ""

again=$("$DD" compare --month 2025-12 2>/dev/null)
is "re-running December adds nothing" "$(printf '%s\n' "$again" | grep -vc ' new=0 ')" 0
n1=$(wc -l <"$T/all.csv")
n2=$("$DD" warnings --format csv | wc -l)
is "warning count unchanged by the re-run" "$n2" "$n1"

json=$("$DD" warnings --month 2025-12 --rule W08 --format json)
contains "json has the csv keys" "$json" '"household_no": "H'
done_testing
