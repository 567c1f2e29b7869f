#!/usr/bin/env bash
# doudi assess --all (re-check of the whole registry) and doudi simulate (policy simulation).
. "$(dirname "$0")/lib.sh"
plan 20

"$DD" gen --households 1000 --no-feeds --out "$T/reg" --seed 11 >/dev/null 2>&1
"$DD" init --county 230304 >/dev/null 2>&1
"$DD" import registry --households "$T/reg/households.csv" --members "$T/reg/members.csv" \
	--obligors "$T/reg/obligors.csv" >/dev/null 2>&1

out=$("$DD" assess --all --month 2025-12 --format csv 2>"$T/err"); rc=$?
is "assess --all exits 0" "$rc" 0
is "the CSV header" "$(printf '%s\n' "$out" | head -1)" \
	"household_no,region_code,recorded,computed,trace_category,trace_passed,trace_why"
n=$(($(printf '%s\n' "$out" | wc -l) - 1))
if [ "$n" -le 20 ]; then pass "few differences for gen's consistent categories ($n)"; else fail "few differences" "$n rows"; fi
bad=$(printf '%s\n' "$out" | tail -n +2 | awk -F, '$3 == $4 || $3 !~ /^(TK|DB|BY|GZ|QT|NONE)$/ || $4 !~ /^(TK|DB|BY|GZ|NONE)$/ || $5 !~ /^(TK|DB|BY|GZ|QT)$/' | head -3)
is "every row has a real recorded → computed difference and a trace line" "$bad" ""
again=$("$DD" assess --all --month 2025-12 --format csv 2>/dev/null)
is "the list is stable" "$again" "$out"

json=$("$DD" assess --all --month 2025-12 --format json 2>/dev/null)
contains "JSON carries the month" "$json" '"month":"2025-12"'
contains "JSON counts the current households" "$json" '"households":'
diffs=$(printf '%s' "$json" | sed -n 's/.*"differences":\([0-9]*\).*/\1/p')
is "JSON differences equal the CSV rows" "$diffs" "$n"
table=$("$DD" assess --all --month 2025-12 2>/dev/null)
contains "the table ends with the summary" "$table" "2025-12 复核：户数"

exit_is "a malformed --month is a usage error" 1 "$DD" assess --all --month 2025-13
exit_is "a month without standards is an input error" 2 "$DD" assess --all --month 2019-12
exit_is "FILE.json assess still works without --all" 2 "$DD" assess "$T/missing.json"

# simulate: rural DB standard of 2025 up by 100 yuan
awk '/^\[/ { s = ($0 == "[standards.2025]") } s && /^dibao_rural_month/ { split($0, a, "="); sub(/;.*/, "", a[2]); $0 = "dibao_rural_month = " a[2] + 100 } { print }' \
	"$T/policy.ini" >"$T/new.ini"
# the registry read in 1, 2 or 3 row-id parts on as many threads: the same list, in row order
# (under the raised standard, so that there are many differences to order)
one=$("$DD" assess --all --month 2025-12 --format csv --threads 1 --policy "$T/new.ini" 2>/dev/null)
three=$("$DD" assess --all --month 2025-12 --format csv --threads 3 --policy "$T/new.ini" 2>/dev/null)
n1=$(($(printf '%s\n' "$one" | wc -l) - 1))
if [ "$n1" -ge 10 ] && [ "$three" = "$one" ]; then pass "--threads 3 lists exactly what --threads 1 does ($n1 rows)"
else fail "--threads 3 lists exactly what --threads 1 does" "$n1 rows"; fi
is "--threads 2 json equals --threads 1 json" \
	"$("$DD" assess --all --month 2025-12 --format json --threads 2 --policy "$T/new.ini" 2>/dev/null)" \
	"$("$DD" assess --all --month 2025-12 --format json --threads 1 --policy "$T/new.ini" 2>/dev/null)"
exit_is "--threads 0 is a usage error" 1 "$DD" assess --all --month 2025-12 --threads 0
exit_is "simulate without --policy is a usage error" 1 "$DD" simulate --month 2025-12
sim=$("$DD" simulate --policy "$T/new.ini" --month 2025-12 --format csv 2>"$T/err"); rc=$?
is "simulate exits 0" "$rc" 0
total=$(printf '%s\n' "$sim" | awk -F, '$1 == "ALL"')
entering=$(printf '%s\n' "$sim" | awk -F, 'NR > 1 && $1 != "ALL" && ($3 == "DB" || $3 == "BY") { s += $8 + $12 } END { print s + 0 }')
if [ "$entering" -gt 0 ]; then pass "households enter DB or BY ($entering)"; else fail "households enter DB or BY" "$sim"; fi
diff=$(printf '%s\n' "$total" | awk -F, '{ print $20 }')
if awk -v d="$diff" 'BEGIN { exit !(d > 0) }'; then pass "the monthly DB cost rises ($diff)"; else fail "the monthly DB cost rises" "$total"; fi
same=$("$DD" simulate --policy "$T/policy.ini" --month 2025-12 --format csv 2>/dev/null | awk -F, '$1 == "ALL" { print $8 + $10 + $12 + $14, $20 }')
is "the stored policy against itself changes nothing" "$same" "0 0.00"

done_testing
