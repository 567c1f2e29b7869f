#!/usr/bin/env bash
# doudi print: 附件1, the 拟认定 decision and the 公示名单 as PDF, read back with poppler.
. "$(dirname "$0")/lib.sh"
plan 33

export DOUDI_TODAY=2025-06-01
"$DD" gen --households 300 --no-feeds --out "$T/g" --seed 8 >/dev/null 2>&1
"$DD" init --county 230304 >/dev/null 2>&1
"$DD" import registry --households "$T/g/households.csv" --members "$T/g/members.csv" \
	--obligors "$T/g/obligors.csv" >/dev/null 2>&1

# Text of a PDF with spaces and line breaks removed: pdftotext keeps or drops the
# narrow space between CJK glyphs by guesswork, and table cells wrap.
text() { pdftotext "$1" - | tr -d ' \n'; }
mask() { echo "${1:0:6}********${1:14:4}"; }
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

# Columns 1-28 of households.csv hold no commas (gen quotes only the survey
# summary, the last column), so awk -F, reads them right.
# a recognised current household with a wage income of at least 1000 yuan (to see the grouping)
H=$(awk -F, 'NR > 1 && $7 != "" && $28 == "" && $12 + 0 >= 1000 {print $1; exit}' "$T/g/households.csv")
HID=$(awk -F, -v h="$H" '$1 == h {print $4}' "$T/g/households.csv")
WAGE=$(awk -F, -v h="$H" '$1 == h {print $12}' "$T/g/households.csv" | perl -pe '1 while s/^(\d+)(\d{3})/$1,$2/')

# ---- 附件1 ----
out=$("$DD" print form1 --household "$H" --out "$T/f1.pdf" --date 2025-06-01 2>"$T/err"); rc=$?
is "print form1 exits 0" "$rc" 0
is "print form1 prints the path written" "$out" "$T/f1.pdf"
is "the file is a PDF" "$(head -c 5 "$T/f1.pdf")" "%PDF-"
t=$(text "$T/f1.pdf")
contains "the form's title is extractable Chinese" "$t" "低收入人口信息采集表"
for s in 基础信息 家庭成员 赡养 收支情况 三保障和饮水 类别与风险 调查综述; do
	contains "section $s is there" "$t" "$s"
done
contains "the household number is there" "$t" "$H"
contains "the head's ID is masked" "$t" "$(mask "$HID")"
case "$t" in *"$HID"*) fail "the full head ID never appears" ;; *) pass "the full head ID never appears" ;; esac
contains "money has thousands separators and 元 ($WAGE)" "$t" "工资性收入${WAGE}元"
contains "the page footer counts pages" "$t" "第1页共$(pages "$T/f1.pdf")页"
contains "the injected date is printed" "$t" "2025年6月1日"
exit_is "an unknown household exits 4" 4 "$DD" print form1 --household NOPE --out "$T/x.pdf"
exit_is "a malformed --date is a usage error" 1 "$DD" print form1 --household "$H" --out "$T/x.pdf" --date 2025-6-1

# ---- the decision of an assessment (FORMATS.md example: BY at S 700) ----
P=$(id18 23030419800101001)
printf '[standards.2025]\ndibao_rural_month = 700\n' >"$T/p700.ini"
cat >"$T/ex.json" <<JSON
{"household_no":"H1","region_code":"230304200203","hukou_type":"农业",
 "wage_income":"12000","medical_self_paid":"3000",
 "members":[{"name":"张三","id_number":"$P","relation":"户主","labor":"普通劳动力"}],
 "obligors":[]}
JSON
exit_is "print assessment exits 0" 0 "$DD" print assessment "$T/ex.json" --out "$T/a.pdf" \
	--policy "$T/p700.ini" --date 2025-06-01
t=$(text "$T/a.pdf")
contains "the computed category in Chinese, marked 拟认定" "$t" "拟认定为：最低生活保障边缘家庭"
contains "the DB trace line with its numbers" "$t" "不低于低保线12×700.00×1=8400.00元"
contains "every category is listed (GZ)" "$t" "刚性支出困难家庭"
contains "the member's ID is masked" "$t" "$(mask "$P")"
case "$t" in *"$P"*) fail "the full member ID never appears" ;; *) pass "the full member ID never appears" ;; esac
sed "s/$P/${P:0:17}$(( (${P:17:1} + 1) % 10 ))/" "$T/ex.json" >"$T/bad.json"
exit_is "an invalid ID in the input exits 2" 2 "$DD" print assessment "$T/bad.json" --out "$T/x.pdf" \
	--policy "$T/p700.ini" --date 2025-06-01

# ---- 公示名单 of township 230304200 ----
exit_is "print notice exits 0" 0 "$DD" print notice --region 230304200 --out "$T/n.pdf" --from 2025-06-01
want=$(awk -F, 'NR > 1 && $2 ~ /^230304200/ && $7 != "" && ($28 == "" || $28 > "2025-06-01")' \
	"$T/g/households.csv" | wc -l)
got=$(pdftotext "$T/n.pdf" - | grep -c '^230304\*\{8\}[0-9X]\{4\}$')
is "one row per current recognised household of the township" "$got" "$want"
t=$(text "$T/n.pdf")
contains "the notice period runs notice_days (7) days" "$t" "2025年6月1日至2025年6月7日"
leaked=$(awk -F, 'NR > 1 && $2 ~ /^230304200/ {print $4}' "$T/g/households.csv" | while read -r id; do
	case "$t" in *"$id"*) echo "$id" ;; esac; done | wc -l)
is "no full head ID of the township appears" "$leaked" 0
# the head of the first listed household of the township: surname kept, the rest starred
HEAD=$(awk -F, 'NR > 1 && $2 ~ /^230304200/ && $7 != "" && $28 == "" && length($4) == 18 {print $4}' \
	"$T/g/households.csv" | while read -r id; do awk -F, -v id="$id" '$3 == id {print $2}' "$T/g/members.csv"; done |
	perl -CS -nle 'if (length >= 2) { print; exit }')
contains "a head's name is masked to the surname and stars" "$t" "$(printf '%s' "$HEAD" | perl -CS -pe 's/(?<=.)./*/g')"
case "$t" in *"$HEAD"*) fail "the head's full name ($HEAD) never appears" ;; *) pass "the head's full name never appears" ;; esac
exit_is "a county code is refused (township or village only)" 1 "$DD" print notice --region 230304 --out "$T/x.pdf"
done_testing
