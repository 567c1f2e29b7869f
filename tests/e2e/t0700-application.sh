#!/usr/bin/env bash
# doudi apply / application: one application through every state to 公开, refusals, audit, registry
# update, its 附件2 form and decision as PDF; an exit through the same procedure to 终止救助.
. "$(dirname "$0")/lib.sh"
plan 82

A=$(id18 23030419800101001)   # H1 head, 45 in 2025, ordinary labour
B=$(id18 23030419820202002)   # H1 spouse, no labour capacity
N=$(id18 23030419500303003)   # new household's only member, 75

day() { export DOUDI_TODAY=$1; }
adv() { "$DD" application advance "$@"; }
# fontconfig keeps its cache to the end of the process: not a leak of ours
pdf() { ASAN_OPTIONS=detect_leaks=0 "$DD" application "$@"; }
# Text of a PDF with spaces and line breaks removed: pdftotext keeps or drops the
# narrow space between CJK glyphs by guesswork, and table cells wrap.
text() { pdftotext "$1" - 2>/dev/null | tr -d ' \n'; }
mask() { echo "${1:0:6}********${1:14:4}"; }

day 2025-06-02   # a Monday
check "init" "$DD" init --county 230304
cat >"$T/households.csv" <<CSV
household_no,region_code,address,head_id,hukou_type,phone,wage_income
H1,230304200201,滴道河乡一村12号,$A,农业,13812345678,3000
CSV
cat >"$T/members.csv" <<CSV
household_no,name,id_number,relation,labor
H1,张三,$A,户主,普通劳动力
H1,李四,$B,配偶,丧失劳动力
CSV
check "import a small registry" "$DD" import registry --households "$T/households.csv" --members "$T/members.csv"

cat >"$T/app.json" <<JSON
{"applicant_name":"张三","applicant_id":"$A","household_no":"H1","channel":"窗口",
 "hardship":"配偶丧失劳动力，收入低","needs":["最低生活保障","临时救助","medical"],"emergency":false}
JSON
APP=$("$DD" apply "$T/app.json" 2>"$T/err"); rc=$?
is "apply exits 0" "$rc" 0
is "apply prints the application number" "$APP" SQ2025000001

out=$("$DD" application show "$APP" --format json)
contains "a new application is submitted" "$out" '"state":"submitted"'
contains "needs are kept as codes and names" "$out" '{"code":"temporary","name":"临时救助"}'
contains "the applicant's ID is masked" "$out" '"applicant_id":"230304********'

# ---- 附件2 of the recorded application ----
out=$(pdf form "$APP" --pdf "$T/form.pdf" 2>"$T/err"); rc=$?
is "application form exits 0" "$rc" 0
is "application form prints the path written" "$out" "$T/form.pdf"
t=$(text "$T/form.pdf")
contains "the form is 附件2 救助帮扶申请登记表" "$t" "救助帮扶申请登记表"
contains "the form carries the application number" "$t" "$APP"
contains "the applicant's ID is masked on the form" "$t" "$(mask "$A")"
case "$t" in *"$A"*) fail "the applicant's full ID never appears on the form" ;; *) pass "the applicant's full ID never appears on the form" ;; esac
contains "the household's phone is masked" "$t" "138****5678"
contains "household size, hukou and address come from the registry" "$t" "家庭人口2人户籍类型农业"
contains "the address is printed" "$t" "滴道河乡一村12号"
contains "the hardship description is printed" "$t" "配偶丧失劳动力，收入低"
contains "a chosen need is ticked (临时救助)" "$t" "☑临时救助"
contains "a need given by its code is ticked (medical → 医疗救助)" "$t" "☑医疗救助"
contains "a need not chosen is not ticked (特困供养)" "$t" "☐特困供养"
exit_is "the form of an unknown application exits 4" 4 pdf form SQ2099000999 --pdf "$T/x.pdf"
exit_is "the form without --pdf is a usage error" 1 "$DD" application form "$APP"

adv "$APP" --to home_visit --by 王审核 >"$T/out" 2>"$T/err"; rc=$?
is "skipping village review is refused with exit 2" "$rc" 2
contains "the refusal says what the next step is" "$(cat "$T/err")" "不能从「申请」流转到「入户调查」"
check "submitted → village_review (by its Chinese name)" adv "$APP" --to 村社评议 --by 村协理员 --comment 评议通过
check "village_review → economic_check" adv "$APP" --to economic_check --by 王审核
out=$("$DD" application show "$APP" --format json)
contains "the economic check attaches the computed category" "$out" '"computed_category":"DB"'
contains "the full assessment trace is attached" "$out" '"trace":[{"category":"TK","passed":false'
exit_is "a home visit with one investigator is refused" 2 adv "$APP" --to home_visit --by 王审核 --investigators 甲
contains "the refusal names the 2-investigator rule" "$(cat "$T/.err")" "至少 2 名调查人员"
check "economic_check → home_visit with 2 investigators" adv "$APP" --to home_visit --by 王审核 --investigators 甲,乙
exit_is "going back to village review is refused" 2 adv "$APP" --to village_review --by 王审核
check "home_visit → first_review" adv "$APP" --to first_review --by 王审核
day 2025-06-03
check "first_review → public_notice" adv "$APP" --to public_notice --by 王审核
check "an objection is recorded during the notice" "$DD" application object "$APP" --comment "邻居反映有车辆" --by 村民
day 2025-06-09
exit_is "the decision on the notice's last day is refused" 2 adv "$APP" --to decision --by 李科长
contains "the refusal gives the notice period" "$(cat "$T/.err")" "公示期未满"
day 2025-06-13   # a Friday
exit_is "an override without a reason is refused" 2 adv "$APP" --to decision --by 李科长 --category BY
check "public_notice → decision (the computed category)" adv "$APP" --to decision --by 李科长
check "decision → published" adv "$APP" --to 公开 --by 李科长
exit_is "nothing moves after 公开" 2 adv "$APP" --to published --by 李科长

out=$("$DD" application show "$APP" --format json)
contains "the decision is DB" "$out" '"decided_category":"DB"'
contains "temporary assistance is due the Wednesday after a Friday decision" "$out" \
	'{"kind":"temp_assistance","due_on":"2025-06-18","done_on":null,"amount":"1160.00"'
contains "a DB household with a working member is re-checked in 6 months" "$out" \
	'{"kind":"recheck","due_on":"2025-12-13"'
is "the household is now DB in the registry" \
	"$(sqlite3 "$DOUDI_DB" "SELECT categories || ' ' || recognized_on FROM households WHERE household_no = 'H1'")" "DB 2025-06-13"
contains "stats count the DB household" "$("$DD" stats)" '"DB":1'
is "the audit log has every step of the application" \
	"$(sqlite3 "$DOUDI_DB" "SELECT group_concat(action, ',') FROM audit WHERE entity = 'application' AND entity_key = '$APP'")" \
	"submit,advance,advance,advance,advance,advance,objection,advance,advance"
is "the audit log has the registry update" \
	"$(sqlite3 "$DOUDI_DB" "SELECT username || ' ' || after FROM audit WHERE entity = 'household' AND action = 'recognize'")" \
	"李科长 {\"categories\":\"DB\",\"recognized_on\":\"2025-06-13\",\"application\":\"$APP\"}"

pdf decision "$APP" --pdf "$T/decision.pdf" >/dev/null 2>"$T/err"
is "the decision document is written" "$?" 0
t=$(text "$T/decision.pdf")
contains "the decision document has its title" "$t" "审核确认决定书"
contains "the decision names the category in Chinese" "$t" "本机关决定：认定该户为最低生活保障对象"
# the trace lines as the engine wrote them at the economic check, with their numbers
json=$("$DD" application show "$APP" --format json)
for c in TK DB; do
	why=$(jq -r --arg c "$c" '.assessment.trace[] | select(.category == $c) | .why' <<<"$json" | tr -d ' \n')
	case "$why" in *[0-9]*) pass "the $c trace line has numbers" ;; *) fail "the $c trace line has numbers" "$why" ;; esac
	contains "the decision prints the $c trace line verbatim" "$t" "$why"
done
case "$t" in *"$A"* | *"$B"*) fail "no full ID appears in the decision" ;; *) pass "no full ID appears in the decision" ;; esac
contains "the members' IDs are masked in the decision" "$t" "$(mask "$B")"

# a new household from assess-style JSON, emergency, rejected at first review
cat >"$T/new.json" <<JSON
{"applicant_name":"赵老","applicant_id":"$N","channel":"主动发现","needs":"临时救助；医疗救助",
 "emergency":true,"emergency_payment":800,
 "household":{"household_no":"N1","region_code":"230304200201","hukou_type":"农业",
  "members":[{"name":"赵老","id_number":"$N","relation":"户主","labor":"无劳动力"}]}}
JSON
APP2=$("$DD" apply "$T/new.json")
is "a new household's application is numbered" "$APP2" SQ2025000002
is "the new household is in the registry" "$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id WHERE h.household_no = 'N1'")" 1
exit_is "rejection straight from 申请 is refused" 2 adv "$APP2" --reject --by 李科长 --reason 无
check "the new household's application goes to village review" adv "$APP2" --to village_review --by 村协理员
exit_is "rejection without a reason is refused" 2 adv "$APP2" --reject --by 李科长
check "rejection with a reason" adv "$APP2" --reject --by 李科长 --reason "申请人撤回"
sed 's/"emergency_payment":800/"emergency_payment":1000.01/; s/"N1"/"N2"/' "$T/new.json" >"$T/big.json"
contains "the emergency payment and an immediate re-check are recorded" "$("$DD" application show "$APP2" --format json)" \
	'"followups":[{"kind":"emergency_payment","due_on":"2025-06-13","done_on":"2025-06-13","amount":"800.00","result":"小金额先行救助"},{"kind":"recheck","due_on":"2025-06-13"'
exit_is "an emergency payment above the small amount is refused" 2 "$DD" apply "$T/big.json"

# ---- an exit through the same procedure (怎么进怎么出) ----
day 2025-07-01   # a Tuesday
cat >"$T/exit.json" <<JSON
{"applicant_name":"张三","applicant_id":"$A","kind":"exit","household_no":"H1","channel":"窗口",
 "hardship":"家庭收入已稳定超过低保标准","needs":"其他"}
JSON
APP3=$("$DD" apply "$T/exit.json")
is "an exit application is numbered" "$APP3" SQ2025000003
check "exit: submitted → village_review" adv "$APP3" --to village_review --by 村协理员
check "exit: village_review → economic_check" adv "$APP3" --to economic_check --by 王审核
check "exit: economic_check → home_visit" adv "$APP3" --to home_visit --by 王审核 --investigators 甲,乙
check "exit: home_visit → first_review" adv "$APP3" --to first_review --by 王审核
check "exit: first_review → public_notice" adv "$APP3" --to public_notice --by 王审核
day 2025-07-08
exit_is "an exit decision without a reason is refused" 2 adv "$APP3" --to decision --by 李科长
contains "the refusal asks for the exit reason" "$(cat "$T/.err")" "必须写明退出理由"
check "exit: public_notice → decision with the reason" adv "$APP3" --to decision --by 李科长 --reason "家庭收入已稳定超过低保标准"
check "exit: decision → published" adv "$APP3" --to published --by 李科长
is "the household has exited in the registry" \
	"$(sqlite3 "$DOUDI_DB" "SELECT exited_on FROM households WHERE household_no = 'H1'")" 2025-07-08
exit_is "the exit's decision document is written" 0 pdf decision "$APP3" --pdf "$T/exit.pdf"
t=$(text "$T/exit.pdf")
contains "the exit decision ends the assistance of the recorded category" "$t" "该户退出最低生活保障对象，终止救助"
contains "the exit decision gives the reason" "$t" "退出理由：家庭收入已稳定超过低保标准"
contains "the exit decision's title says 退出" "$t" "审核确认决定书（退出）"
case "$t" in *不予认定*) fail "an exit does not print as a rejection (不予认定)" ;; *) pass "an exit does not print as a rejection (不予认定)" ;; esac
case "$t" in *"$A"*) fail "no full ID appears in the exit decision" ;; *) pass "no full ID appears in the exit decision" ;; esac
done_testing
