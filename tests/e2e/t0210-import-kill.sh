#!/usr/bin/env bash
# kill -9 during a large import leaves the database exactly as before it.
. "$(dirname "$0")/lib.sh"
plan 7

# a registry of N households with 3 members each, valid IDs (awk computes the check digit)
N=${KILL_TEST_HOUSEHOLDS:-60000}
awk -v n="$N" -v out="$T" 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); cd = "10X98765432"
	h = out "/households.csv"; m = out "/members.csv"
	print "household_no,region_code,head_id,hukou_type,categories,wage_income" > h
	print "household_no,name,id_number,relation" > m
	for (i = 1; i <= n; i++) {
		for (j = 0; j < 3; j++) {
			s = sprintf("230304%04d%02d%02d%03d", 1950 + (i % 50), 1 + (i % 12), 1 + (i % 28), (i * 3 + j) % 1000)
			sum = 0; for (k = 1; k <= 17; k++) sum += substr(s, k, 1) * w[k]
			id[j] = s substr(cd, sum % 11 + 1, 1)
		}
		hn = sprintf("K%06d", i)
		printf "%s,230304200201,%s,农业,DB,%d.%02d\n", hn, id[0], i % 9000, i % 100 > h
		for (j = 0; j < 3; j++) printf "%s,成员%d,%s,%s\n", hn, j, id[j], (j ? "子女" : "户主") > m
	}
}'
"$DD" init --county 230304 >/dev/null 2>&1
# a first, small import so that "before" is not empty
head -1001 "$T/households.csv" >"$T/h_small.csv"; head -3001 "$T/members.csv" >"$T/m_small.csv"
"$DD" import registry --households "$T/h_small.csv" --members "$T/m_small.csv" >/dev/null 2>&1
before=$("$DD" stats)
is "small import in place" "$before" '{"households":1000,"members":3000,"by_category":{"TK":0,"DB":1000,"BY":0,"GZ":0,"QT":0,"FP":0}}'

killed=0 after=$before
for delay in 0.05 0.1 0.2 0.3 0.5 0.8; do
	"$DD" import registry --households "$T/households.csv" --members "$T/members.csv" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $? -eq 137 ] || break          # it finished before the kill: nothing more to test
	killed=$((killed + 1))
	after=$("$DD" stats)
	[ "$after" == "$before" ] || break
done
[ "$killed" -gt 0 ] && pass "import was killed mid-way ($killed times)" || fail "import finished before any kill (make KILL_TEST_HOUSEHOLDS larger)"
is "after every kill -9 the database is exactly as before" "$after" "$before"
ic=$(sqlite3 "$DOUDI_DB" 'PRAGMA integrity_check;' 2>&1)
is "integrity check after the kills" "$ic" "ok"
out=$("$DD" import registry --households "$T/households.csv" --members "$T/members.csv" 2>/dev/null)
is "a full import afterwards succeeds" "$out" "households: $N, members: $((N * 3)), rejected: 0"
is "stats after the full import" "$("$DD" stats)" "{\"households\":$N,\"members\":$((N * 3)),\"by_category\":{\"TK\":0,\"DB\":$N,\"BY\":0,\"GZ\":0,\"QT\":0,\"FP\":0}}"
"$DD" backup "$T/backup.db" >/dev/null
is "backup holds the same registry" "$("$DD" stats --db "$T/backup.db")" "$("$DD" stats)"
done_testing
