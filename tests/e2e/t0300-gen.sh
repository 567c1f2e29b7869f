#!/usr/bin/env bash
# t0300-gen.sh - `doudi gen`: files, determinism, valid IDs, planted cases (TAP).
set -u
DOUDI=${DOUDI_BIN:-./doudi}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fails=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }

echo "1..10"
gen() { "$DOUDI" gen --households 2000 --population 8000 --medical-rows 40000 "$@"; }

gen --out "$tmp/a" --seed 7 >"$tmp/a.out" 2>"$tmp/a.err"
ok $? "gen --households 2000 exits 0"

missing=0
for f in households.csv members.csv obligors.csv planted.csv planted_negative.csv; do
	[ -s "$tmp/a/$f" ] || { echo "# missing $f"; missing=1; }
done
for k in medical disability death pension unemployment license orphan subsidy incident disaster fp kin; do
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		[ -s "$tmp/a/feeds/$k/2025-$m.csv" ] || { echo "# missing feeds/$k/2025-$m.csv"; missing=1; }
	done
done
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	[ -s "$tmp/a/payments/2025-$m.csv" ] || { echo "# missing payments/2025-$m.csv"; missing=1; }
done
ok $missing "registry, 144 feed files, 12 payment files and the planted lists are written"

[ "$(awk 'NR > 1' "$tmp/a/households.csv" | wc -l)" -eq 2000 ] && grep -q "households.csv	2000" "$tmp/a.out"
ok $? "households.csv has 2000 rows and the output lists it with its row count"

gen --out "$tmp/b" --seed 7 >/dev/null 2>&1
same=0
(cd "$tmp/a" && find . -type f | sort) >"$tmp/la"
(cd "$tmp/b" && find . -type f | sort) >"$tmp/lb"
cmp -s "$tmp/la" "$tmp/lb" || same=1
while read -r f; do cmp -s "$tmp/a/$f" "$tmp/b/$f" || { echo "# differs: $f"; same=1; }; done <"$tmp/la"
ok $same "the same seed gives byte-identical files"

gen --out "$tmp/c" --seed 8 >/dev/null 2>&1
! cmp -s "$tmp/a/members.csv" "$tmp/c/members.csv" && ! cmp -s "$tmp/a/feeds/medical/2025-06.csv" "$tmp/c/feeds/medical/2025-06.csv"
ok $? "a different seed gives different files"

# GB 11643 check digit of every member ID; the planted W16 bad ones are the only failures.
awk -F, 'FNR == 1 { next } FILENAME ~ /planted/ { if ($1 == "W16") w16[$3] = 1; next }
	{ id = $3; s = 0; split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
	  for (i = 1; i <= 17; i++) s += substr(id, i, 1) * w[i]
	  c = substr("10X98765432", s % 11 + 1, 1)
	  if (c != substr(id, 18, 1)) bad[id] = 1; total++ }
	END { nb = 0; for (id in bad) { nb++; if (!(id in w16)) { print "# unplanted bad ID"; exit 1 } }
	      if (nb < 3 || total < 2000) exit 1 }' "$tmp/a/planted.csv" "$tmp/a/members.csv"
ok $? "every member ID passes the check digit except the planted W16 ones"

awk -F, 'NR > 1 && substr($3, 1, 6) != "230304" { exit 1 }' "$tmp/a/members.csv"
ok $? "member IDs start with the county code"

counts=$(awk -F, 'NR > 1 { c[$1]++ } END { for (i = 1; i <= 18; i++) { r = sprintf("W%02d", i); if (c[r] < 3) print r } }' "$tmp/a/planted.csv")
[ -z "$counts" ]
ok $? "planted.csv has at least 3 rows for each of W01..W18 ${counts:+(short: $counts)}"

awk -F, 'NR > 1 && $2 != "2025-12" { exit 1 } NR > 1 && $1 == "W02" && $4 != "" { exit 1 }' "$tmp/a/planted.csv"
ok $? "planted cases are for 2025-12 and W02 rows have no household"

"$DOUDI" gen --households 10 --out "$tmp/d" >/dev/null 2>&1
[ $? -eq 1 ]
ok $? "too few households is a usage error (exit 1)"

exit $((fails > 0 || n != 10))
