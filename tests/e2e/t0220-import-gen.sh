#!/usr/bin/env bash
# A generated county imports completely; re-import, GBK and XLSX copies change nothing.
. "$(dirname "$0")/lib.sh"
plan 12
HH=${GEN_HOUSEHOLDS:-3000}
X=${CSV2XLSX:-$TOP/build/csv2xlsx}

"$DD" gen --households "$HH" --out "$T/g" --seed 5 --no-feeds >/dev/null
"$DD" init --county 230304 >/dev/null 2>&1
m=$(($(wc -l <"$T/g/members.csv") - 1))
imp() { "$DD" import registry --households "$1" --members "$2" --obligors "$3" 2>"$T/imp.err"; }

out=$(imp "$T/g/households.csv" "$T/g/members.csv" "$T/g/obligors.csv")
is "the generated county imports without rejects" "$out" "households: $HH, members: $m, rejected: 0"
contains "the planted bad check digits are kept and reported" "$(cat "$T/imp.err")" "校验位错误的身份证号 3"
stats=$("$DD" stats)
hh=$(echo "$stats" | sed 's/.*"households":\([0-9]*\).*/\1/')
exited=$(awk -F, 'NR > 1 && $28 != "" && $28 <= "'"$(date +%F)"'"' "$T/g/households.csv" | wc -l)
is "stats count the households that have not exited" "$hh" "$((HH - exited))"

out=$(imp "$T/g/households.csv" "$T/g/members.csv" "$T/g/obligors.csv")
is "re-import prints the same counts" "$out" "households: $HH, members: $m, rejected: 0"
contains "re-import changes no household" "$(cat "$T/imp.err")" "户：新增 0，更新 0，未变 $HH"
contains "re-import changes no member" "$(cat "$T/imp.err")" "成员：新增 0，更新 0，未变 $m"
is "stats unchanged after re-import" "$("$DD" stats)" "$stats"

for f in households members obligors; do iconv -f UTF-8 -t GB18030 "$T/g/$f.csv" >"$T/gbk_$f.csv"; done
out=$(imp "$T/gbk_households.csv" "$T/gbk_members.csv" "$T/gbk_obligors.csv")
is "the GBK copy imports with the same counts" "$out" "households: $HH, members: $m, rejected: 0"
contains "the GBK copy is the same data" "$(cat "$T/imp.err")" "户：新增 0，更新 0，未变 $HH"

$X "$T/g/households.csv" "$T/h.xlsx" -t household_no,region_code,head_id,phone
$X "$T/g/members.csv" "$T/m.xlsx" -t household_no,id_number,phone
$X "$T/g/obligors.csv" "$T/o.xlsx" -t household_no,id_number,phone
out=$(imp "$T/h.xlsx" "$T/m.xlsx" "$T/o.xlsx")
is "the XLSX copy imports with the same counts" "$out" "households: $HH, members: $m, rejected: 0"
contains "the XLSX copy is the same data (members)" "$(cat "$T/imp.err")" "成员：新增 0，更新 0，未变 $m"
is "stats unchanged after the GBK and XLSX imports" "$("$DD" stats)" "$stats"
done_testing
