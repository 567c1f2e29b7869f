#!/usr/bin/env bash
# doudi assess: the FORMATS.md example, input forms, field-naming refusals, exit codes, policy sources.
. "$(dirname "$0")/lib.sh"
plan 33

P=$(id18 23030419800101001)    # 45 on 2025-06-01
OLD=$(id18 23030419500101002)  # 75
BADID=${P:0:17}$(( (${P:17:1} + 1) % 10 ))
[ "${P:17:1}" = X ] && BADID=${P:0:17}0

printf '[standards.2025]\ndibao_rural_month = 700\n' >"$T/p700.ini"

# hh FILE [EXTRA-HOUSEHOLD-FIELDS] [MEMBER-FIELDS]: the FORMATS.md example, optionally amended
hh() {
	cat >"$1" <<JSON
{"household_no":"H1","region_code":"230304200203","hukou_type":"农业",
 "wage_income":"12000","medical_self_paid":"3000"${2:+,$2},
 "members":[{"name":"张三","id_number":"$P","relation":"户主","labor":"普通劳动力"${3:+,$3}}],
 "obligors":[]}
JSON
}
assess() { "$DD" assess "$@" --policy "$T/p700.ini" --date 2025-06-01; }

hh "$T/ex.json"
out=$(assess "$T/ex.json" 2>"$T/err"); rc=$?
is "the FORMATS.md example exits 0" "$rc" 0
contains "the example is BY" "$out" '"category":"BY"'
contains "figures G N E A n S as in FORMATS.md" "$out" \
	'"figures":{"G":"12000.00","N":"9000.00","E":"0.00","A":"9000.00","n":1,"S":"700.00"'
contains "household_no, tekun, single_person_db and fp_candidate come first" "$out" \
	'{"household_no":"H1","category":"BY","tekun":[],"single_person_db":[],"fp_candidate":false,'
is "the output is one line" "$(printf '%s\n' "$out" | wc -l)" 1
contains "the trace starts with TK" "$out" '"trace":[{"category":"TK","passed":false,"why":"'
contains "the DB line of the trace has the numbers" "$out" "年评估收入 9000.00 元，不低于低保线 12×700.00×1 = 8400.00 元"
contains "the BY line of the trace passed" "$out" '{"category":"BY","passed":true,'
contains "QT is in the trace" "$out" '{"category":"QT","passed":false,'

sed 's/"12000"/12000/; s/"3000"/3000/' "$T/ex.json" >"$T/num.json"
out=$(assess "$T/num.json" 2>&1)
contains "money as JSON integers is accepted" "$out" '"G":"12000.00","N":"9000.00"'
sed 's/"3000"/3000.5/' "$T/ex.json" >"$T/real.json"
out=$(assess "$T/real.json" 2>&1)
contains "money as a JSON number with 2 decimals is exact" "$out" '"N":"8999.50"'

hh "$T/badid.json"
sed -i "s/$P/$BADID/" "$T/badid.json"
exit_is "an ID with a wrong check digit exits 2" 2 assess "$T/badid.json"
contains "the refusal names the field" "$(cat "$T/.err")" "members[0].id_number"
contains "the refusal gives the reason" "$(cat "$T/.err")" "校验位"
sed 's/"3000"/"3000.123"/' "$T/ex.json" >"$T/dec3.json"
exit_is "money with 3 decimals (string) exits 2" 2 assess "$T/dec3.json"
contains "the refusal names medical_self_paid" "$(cat "$T/.err")" "medical_self_paid"
sed 's/"3000"/3000.120/' "$T/ex.json" >"$T/dec3n.json"
exit_is "money with 3 decimals (JSON number, even a trailing 0) exits 2" 2 assess "$T/dec3n.json"
hh "$T/date.json" '"recognized_on":"2025-02-29"'
exit_is "an impossible date in the input exits 2" 2 assess "$T/date.json"
contains "the refusal names recognized_on" "$(cat "$T/.err")" "recognized_on"
exit_is "a malformed --date is a usage error" 1 "$DD" assess "$T/ex.json" --policy "$T/p700.ini" --date 2025-6-1
exit_is "an impossible --date is a usage error" 1 "$DD" assess "$T/ex.json" --policy "$T/p700.ini" --date 2025-02-30
exit_is "a date before every standards year exits 2" 2 "$DD" assess "$T/ex.json" --policy "$T/p700.ini" --date 2020-06-01
contains "the refusal names the year" "$(cat "$T/.err")" "2020"
hh "$T/unknown.json" '"wage":"1"'
exit_is "an unknown field exits 2" 2 assess "$T/unknown.json"
contains "the refusal names the unknown field" "$(cat "$T/.err")" "wage"
hh "$T/labor.json" "" '"labor":"很能干"'
exit_is "an unknown labour value exits 2" 2 assess "$T/labor.json"
contains "the refusal names members[0].labor" "$(cat "$T/.err")" "members[0].labor"
printf '{"hukou_type":' >"$T/broken.json"
exit_is "malformed JSON exits 2" 2 assess "$T/broken.json"

cat >"$T/tk.json" <<JSON
{"household_no":"H2","户籍类型":"农业","members":[
 {"name":"王五","id_number":"$OLD","labor":"丧失劳动力","disability_type":"智力","disability_grade":"三级",
  "orphan_guarantee":"否"}],"obligors":[{"name":"王六","monthly_income":1399.99}]}
JSON
out=$(assess "$T/tk.json" 2>&1)
contains "an all-TK household (Chinese key, 三级, 否) is TK and lists the member" "$out" \
	"\"category\":\"TK\",\"tekun\":[\"$OLD\"]"
out=$(assess - <"$T/ex.json" 2>&1)
contains "'-' reads standard input" "$out" '"category":"BY"'

out=$("$DD" assess "$T/ex.json" --date 2025-06-01 2>&1)
contains "without --policy or a database the built-in defaults apply" "$out" '"S":"580.00"'
"$DD" init --county 230304 >/dev/null 2>&1
"$DD" policy load "$T/p700.ini" >/dev/null 2>&1
out=$("$DD" assess "$T/ex.json" --date 2025-06-01 2>&1)
contains "with a database its stored policy applies" "$out" '"S":"700.00"'
exit_is "no file is a usage error" 1 "$DD" assess --date 2025-06-01
done_testing
