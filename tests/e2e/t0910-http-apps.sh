#!/usr/bin/env bash
# The HTTP API of applications: a village applies within its village only, the procedure by
# role (village, township), the notice period, the assessment trace, an objection, the decision
# PDF, the household's assessment and timeline, the preview assessment, and per-user drafts.
. "$(dirname "$0")/lib.sh"
plan 76

A=$(id18 23030419800101001)   # H1 head, ordinary labour
B=$(id18 23030419820202002)   # H1 spouse, no labour capacity
C=$(id18 23030419700505005)   # H2 head (another village of the township)
export DOUDI_TODAY=2025-06-02   # a Monday

"$DD" init --county 230304 >/dev/null 2>&1
cat >"$T/households.csv" <<CSV
household_no,region_code,address,head_id,hukou_type,phone,wage_income
H1,230304200201,滴道河乡一村12号,$A,农业,13812345678,3000
H2,230304200205,滴道河乡南甸子村3号,$C,农业,,50000
CSV
cat >"$T/members.csv" <<CSV
household_no,name,id_number,relation,labor
H1,张三,$A,户主,普通劳动力
H1,李四,$B,配偶,丧失劳动力
H2,王五,$C,户主,普通劳动力
CSV
"$DD" import registry --households "$T/households.csv" --members "$T/members.csv" >/dev/null 2>&1
add() { echo "$2" | "$DD" user add "$1" "${@:3}" >/dev/null; }
add vil pw-vil --role village --region 230304200201
add twn pw-twn --role township --region 230304200
add aud pw-aud --role auditor

# fontconfig, which the PDF's text layout loads, keeps its caches to the end of the process
echo "leak:libfontconfig" >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
PID=
start() {
	: >"$T/url"
	"$DD" serve --listen 127.0.0.1:0 >"$T/url" 2>>"$T/serve.err" &
	PID=$!
	for _ in $(seq 150); do [ -s "$T/url" ] && break; sleep 0.1; done
	U=$(head -1 "$T/url")
}
stop() { kill -TERM "$PID"; wait "$PID"; }
trap 'kill $PID 2>/dev/null; [ "$_failed" -eq 0 ] || cat "$T/serve.err" >&2; rm -rf "$T"' EXIT
start

# req USER METHOD PATH [JSON]: prints the status; the body is in $T/body.  Writes carry the CSRF token.
req() {
	local u=$1 m=$2 p=$3 args=()
	[ $# -ge 4 ] && args=(-H 'Content-Type: application/json' --data-binary "$4")
	[ "$m" != GET ] && args+=(-H "X-CSRF-Token: $(cat "$T/$u.csrf")")
	curl -s -o "$T/body" -w '%{http_code}' -b "$T/$u.jar" -c "$T/$u.jar" -X "$m" "${args[@]}" "$U${p#/}"
}
login() {
	curl -s -o "$T/body" -c "$T/$1.jar" -X POST -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"pw-$1\"}" "${U}api/v1/session"
	jq -r .csrf_token "$T/body" >"$T/$1.csrf"
}
j() { jq -r "$1" "$T/body"; }
for u in vil twn aud; do login $u; done

app() { echo "{\"applicant_name\":\"张三\",\"applicant_id\":\"$A\",\"channel\":\"村代办\",\"needs\":[\"最低生活保障\"],$1}"; }

# ---- applying: the household's region decides ----
is "apply without X-CSRF-Token: 403" \
	"$(curl -s -o "$T/body" -w '%{http_code}' -b "$T/vil.jar" -X POST -d "$(app '"household_no":"H1"')" "${U}api/v1/applications")" 403
is "... answered CSRF_TOKEN_INVALID" "$(j .error.code)" CSRF_TOKEN_INVALID
is "a village applies for another village's household: 404" "$(req vil POST /api/v1/applications "$(app '"household_no":"H2"')")" 404
is "a village registers a new household in another village: 404" \
	"$(req vil POST /api/v1/applications "$(app "\"household\":{\"household_no\":\"H9\",\"region_code\":\"230304200205\",\"hukou_type\":\"农业\",\"members\":[{\"name\":\"赵六\",\"id_number\":\"$C\"}]}")")" 404
is "an unknown household: 404" "$(req vil POST /api/v1/applications "$(app '"household_no":"H7"')")" 404
is "a bad applicant ID: 422" "$(req vil POST /api/v1/applications "{\"applicant_name\":\"张三\",\"applicant_id\":\"${A:0:17}0\",\"household_no\":\"H1\",\"channel\":\"窗口\"}")" 422
is "... INVALID_INPUT naming the field" "$(j '.error.code + " " + .error.field')" "INVALID_INPUT applicant_id"
is "a body without a household: 422 naming household_no" \
	"$(req vil POST /api/v1/applications "{\"applicant_name\":\"张三\",\"applicant_id\":\"$A\",\"channel\":\"窗口\",\"needs\":\"临时救助\"}")" 422
is "... field household_no" "$(j .error.field)" household_no
is "not JSON: 400" "$(req vil POST /api/v1/applications '{"applicant_name":')" 400
is "a village applies for its own household: 201" "$(req vil POST /api/v1/applications "$(app '"household_no":"H1"')")" 201
APP=$(j .app_no)
is "... the application number" "$APP" SQ2025000001
is "the township applies for H2 of its other village: 201" \
	"$(req twn POST /api/v1/applications "{\"applicant_name\":\"王五\",\"applicant_id\":\"$C\",\"household_no\":\"H2\",\"channel\":\"窗口\",\"needs\":\"临时救助\"}")" 201
APP2=$(j .app_no)

# ---- lists and pages by scope ----
req twn GET /api/v1/applications >/dev/null
is "the township lists both, newest first" "$(j '[.total, .page_size, (.items | map(.app_no) | join(","))] | join(" ")')" "2 20 $APP2,$APP"
is "list items carry the state's name and a masked ID" "$(j '.items[1] | .state_name + " " + .applicant_id + " " + .region_code')" \
	"申请 ${A:0:6}********${A:14:4} 230304200201"
req vil GET /api/v1/applications >/dev/null
is "the village lists its own village's only" "$(j '[.total, .items[0].app_no] | join(" ")')" "1 $APP"
req twn GET '/api/v1/applications?region=230304200205&kind=entry&page_size=50' >/dev/null
is "region and kind filters" "$(j '[.total, .page_size, .items[0].app_no] | join(" ")')" "1 50 $APP2"
is "page_size 30: 400" "$(req twn GET '/api/v1/applications?page_size=30')" 400
is "a village reads another village's application: 404" "$(req vil GET "/api/v1/applications/$APP2")" 404
is "an unknown application: 404" "$(req twn GET /api/v1/applications/SQ2099000009)" 404

# ---- the procedure, by role ----
req vil GET "/api/v1/applications/$APP" >/dev/null
is "the village may ask for village review now" "$(j '[.allowed[].to] | join(",")')" village_review
is "a village asking for the decision: 403" "$(req vil POST "/api/v1/applications/$APP/advance" '{"to":"decision"}')" 403
is "... FORBIDDEN" "$(j .error.code)" FORBIDDEN
is "an auditor cannot advance: 403" "$(req aud POST "/api/v1/applications/$APP/advance" '{"to":"village_review"}')" 403
is "skipping village review: 422" "$(req twn POST "/api/v1/applications/$APP/advance" '{"to":"economic_check"}')" 422
contains "... with the procedure's message" "$(j .error.message)" "不能从「申请」流转到「家庭经济状况核对」"
is "village → village_review: 200" "$(req vil POST "/api/v1/applications/$APP/advance" '{"to":"村社评议","comment":"评议通过"}')" 200
is "... the answer is the application" "$(j '.state + " " + .steps[1].by + " " + .steps[1].comment')" "village_review vil 评议通过"
is "... and the village may ask nothing now" "$(j '.allowed | length')" 0
req twn GET "/api/v1/applications/$APP" >/dev/null
is "the township may ask the next step or a rejection" "$(j '[.allowed[].to] | join(",")')" economic_check,rejected
is "a village asking for the economic check: 403" "$(req vil POST "/api/v1/applications/$APP/advance" '{"to":"economic_check"}')" 403
is "township → economic_check: 200" "$(req twn POST "/api/v1/applications/$APP/advance" '{"to":"economic_check"}')" 200
is "the assessment is attached, computed DB" "$(j '.computed_category + " " + .assessment.category')" "DB DB"
is "... with its trace" "$(j '.assessment.trace[0] | (.category + " " + (.passed | tostring))')" "TK false"
is "no full ID number in the application's answer" "$(grep -c -e "$A" -e "$B" "$T/body")" 0
is "home visit with one investigator: 422" \
	"$(req vil POST "/api/v1/applications/$APP/advance" '{"to":"home_visit","investigators":"甲"}')" 422
contains "... naming the 2-investigator rule" "$(j .error.message)" "至少 2 名调查人员"
is "village → home_visit with two investigators: 200" \
	"$(req vil POST "/api/v1/applications/$APP/advance" '{"to":"home_visit","investigators":["甲","乙"]}')" 200
is "... recorded" "$(j '.steps[-1].investigators')" "甲,乙"
req twn POST "/api/v1/applications/$APP/advance" '{"to":"first_review"}' >/dev/null
is "township → public_notice: 200" "$(req twn POST "/api/v1/applications/$APP/advance" '{"to":"public_notice"}')" 200
is "... notice dates" "$(j '.notice_from + " " + .notice_until')" "2025-06-02 2025-06-08"
is "the decision during the notice: 422" "$(req twn POST "/api/v1/applications/$APP/advance" '{"to":"decision"}')" 422
contains "... saying when it may be decided" "$(j .error.message)" "公示期未满：自 2025-06-02 起公示 7 天至 2025-06-08"
is "an objection during the notice: 200" "$(req vil POST "/api/v1/applications/$APP/objection" '{"text":"邻居反映有车辆"}')" 200
is "... is a step" "$(j '.steps[-1] | .action + " " + .comment')" "objection 邻居反映有车辆"
is "an objection outside the notice: 422" "$(req twn POST "/api/v1/applications/$APP2/objection" '{"text":"x"}')" 422

is "the decision PDF before the decision (拟认定): 200" "$(req twn GET "/api/v1/applications/$APP/decision.pdf")" 200
is "... a PDF" "$(head -c 5 "$T/body")" "%PDF-"
is "no decision PDF before the economic check: 422" "$(req twn GET "/api/v1/applications/$APP2/decision.pdf")" 422

# the notice is over a week later
stop
export DOUDI_TODAY=2025-06-09
start
is "township → decision after the notice: 200" "$(req twn POST "/api/v1/applications/$APP/advance" '{"to":"decision"}')" 200
is "... decided DB" "$(j '.state + " " + .decided_category + " " + .decided_on')" "decision DB 2025-06-09"
req twn GET "/api/v1/applications/$APP/decision.pdf" >/dev/null
pdftotext "$T/body" - 2>/dev/null | tr -d ' \n' >"$T/pdf.txt"
contains "the decision PDF names the application" "$(cat "$T/pdf.txt")" "$APP"

# ---- the household: assessment and timeline ----
is "H1's assessment: 200" "$(req vil GET /api/v1/households/H1/assessment)" 200
is "... as doudi assess prints it" "$(j '.household_no + " " + .category + " " + .figures.S')" "H1 DB 580.00"
is "a malformed date: 400" "$(req vil GET '/api/v1/households/H1/assessment?date=2025-02-30')" 400
is "the village cannot see H2's assessment: 404" "$(req vil GET /api/v1/households/H2/assessment)" 404
# a warning on H1's member, as a comparison run writes it
sqlite3 "$DOUDI_DB" "INSERT INTO compare_runs (id, month, username, started_at) VALUES (1, '2025-05', 'e2e', '2025-06-05T01:00:00Z');
INSERT INTO warnings (rule, level, month, name, household_id, household_no, region_code, subject, fingerprint, evidence, created_at, run_id)
 SELECT 'W08', 'red', '2025-05', '李四', id, household_no, region_code, 'H' || id, 'x', '死亡日期 2025-04-01', '2025-06-05T01:00:00Z', 1
 FROM households WHERE household_no = 'H1'"
is "H1's history: 200" "$(req twn GET /api/v1/households/H1/history)" 200
is "... newest first" "$(j '[.[].date] | . == (sort | reverse)')" true
is "... every kind of event of the procedure" "$(j '[.[].kind] | unique | join(",")')" "application,decision,followup,import,recheck,step,warning"
is "... the warning on a member" "$(j '[.[] | select(.kind == "warning")][0] | .date + " " + .title + " " + .detail')" \
	"2025-06-05 预警 W08（红色） 李四：死亡日期 2025-04-01"
is "no full ID number in the timeline" "$(grep -c -e "$A" -e "$B" "$T/body")" 0
is "... the decision with its title" "$(j '[.[] | select(.kind == "decision")][0] | .date + " " + .title + " " + .ref')" "2025-06-09 审核确认 $APP"

# ---- the preview assessment ----
hh() { echo "{\"household_no\":\"P1\",\"region_code\":\"230304200201\",\"hukou_type\":\"农业\",\"wage_income\":\"$1\",\"members\":[{\"name\":\"张三\",\"id_number\":\"$2\",\"relation\":\"户主\"}]${3:-}}"; }
is "POST /assess: 200" "$(req vil POST /api/v1/assess "$(hh 3000 "$A" ',"on":"2025-01-15"')")" 200
is "... the category of the input" "$(j '.household_no + " " + .category')" "P1 DB"
is "an invalid ID: 422" "$(req vil POST /api/v1/assess "$(hh 3000 "${A:0:17}0")")" 422
is "... naming the member's field" "$(j '.error.code + " " + .error.field')" "INVALID_INPUT members[0].id_number"
is "money with three decimals: 422 naming it" "$(req vil POST /api/v1/assess "$(hh 12.345 "$A")") $(j .error.field)" "422 wage_income"

# ---- drafts ----
is "save a draft: 200" "$(req vil PUT /api/v1/drafts/form1-new '{"kind":"form1","title":"张三家","data":{"members":[{"name":"张三"}]}}')" 200
req vil GET /api/v1/drafts >/dev/null
is "the draft comes back" "$(j '.[0] | .key + " " + .kind + " " + .title + " " + .data.members[0].name')" "form1-new form1 张三家 张三"
req twn GET /api/v1/drafts >/dev/null
is "another user sees none of it" "$(j length)" 0
is "another user cannot delete it: 404" "$(req twn DELETE /api/v1/drafts/form1-new)" 404
is "an unknown kind: 400" "$(req vil PUT /api/v1/drafts/x '{"kind":"other","data":{}}')" 400
{ printf '{"kind":"apply","data":"'; head -c 300000 /dev/zero | tr '\0' a; printf '"}'; } >"$T/big"
is "data over 256 KiB: 413" "$(req vil PUT /api/v1/drafts/big @"$T/big")" 413
is "delete it: 200" "$(req vil DELETE /api/v1/drafts/form1-new)" 200
req vil GET /api/v1/drafts >/dev/null
is "... gone" "$(j length)" 0

stop
is "the server stops cleanly" "$?" 0
done_testing
