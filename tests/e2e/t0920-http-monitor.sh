#!/usr/bin/env bash
# The monitoring API: uploads streamed to disk (CSRF first, size cap), import and comparison
# jobs with progress, error files, warnings filtered and scoped, rules, runs, imports.
. "$(dirname "$0")/lib.sh"
plan 57

"$DD" gen --households 300 --out "$T/g" --seed 7 >/dev/null
"$DD" init --county 230304 >/dev/null 2>&1
"$DD" import registry --households "$T/g/households.csv" --members "$T/g/members.csv" >/dev/null 2>&1
# the months before December through the CLI; December's medical file through the web
for k in disability death unemployment; do
	for m in 2025-11 2025-12; do "$DD" feed import "$k" --month "$m" "$T/g/feeds/$k/$m.csv" >/dev/null 2>&1; done
done
for m in 01 02 03 04 05 06 07 08 09 10 11; do
	"$DD" feed import medical --month "2025-$m" "$T/g/feeds/medical/2025-$m.csv" >/dev/null 2>&1
done

# TA: the township of the first household; a village of it
read -r VA < <(awk -F, 'NR == 2 { print $2 }' "$T/g/households.csv")
TA=${VA:0:9}
add() { echo "$2" | "$DD" user add "$1" "${@:3}" >/dev/null; }
add admin pw-admin --role county_admin
add twn pw-twn --role township --region "$TA"
add vil pw-vil --role village --region "$VA"
add dep pw-dep --role dept --dept 医保
add aud pw-aud --role auditor

UPLOADS=$DOUDI_DB.uploads
DOUDI_UPLOAD_MAX=3000000 "$DD" serve --listen 127.0.0.1:0 >"$T/url" 2>"$T/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.1; done
U=$(head -1 "$T/url")

# req JAR METHOD PATH [curl args...]: prints the status; the body is in $T/body
req() {
	local jar=$1 m=$2 p=$3; shift 3
	curl -s -o "$T/body" -w '%{http_code}' -b "$T/$jar" -c "$T/$jar" -X "$m" "$@" "$U${p#/}"
}
login() {
	req "$1" POST /api/v1/session -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$2\"}" >/dev/null
	jq -r .csrf_token "$T/body" >"$T/$1.csrf"
}
csrf() { echo "X-CSRF-Token: $(cat "$T/$1.csrf")"; }
body() { jq -r "$1" "$T/body"; }
nfiles() { find "$UPLOADS" -type f 2>/dev/null | wc -l; }
# wait_job ID: polls GET /jobs/ID until it is done or failed (30 s at most); the last answer in $T/body
wait_job() {
	for _ in $(seq 300); do
		req admin GET "/api/v1/jobs/$1" >/dev/null
		case $(body .state) in done | failed) return 0 ;; esac
		sleep 0.1
	done
}
for u in admin twn vil dep aud; do login "$u" "pw-$u"; done

# ---- uploads ----
MED=$T/g/feeds/medical/2025-12.csv
is "an upload without X-CSRF-Token: 403" \
	"$(req admin POST '/api/v1/imports?type=feed&kind=medical&month=2025-12' --data-binary @"$MED")" 403
is "... and nothing was written" "$(nfiles)" 0
is "an upload without a session: 401, nothing written" \
	"$(req none POST '/api/v1/imports?type=feed' --data-binary @"$MED")/$(nfiles)" 401/0
is "a township user may not upload: 403" \
	"$(req twn POST '/api/v1/imports?type=feed' -H "$(csrf twn)" --data-binary @"$MED")" 403
is "... and nothing was written" "$(nfiles)" 0
cat "$MED" "$MED" "$MED" >"$T/big.csv"
is "a declared length over DOUDI_UPLOAD_MAX: 413" \
	"$(req admin POST '/api/v1/imports?type=feed' -H "$(csrf admin)" --data-binary @"$T/big.csv")" 413
is "... as PAYLOAD_TOO_LARGE" "$(body .error.code)" PAYLOAD_TOO_LARGE
is "a chunked body growing over the cap: 413" \
	"$(req admin POST '/api/v1/imports?type=feed' -H "$(csrf admin)" -H 'Transfer-Encoding: chunked' \
		--data-binary @"$T/big.csv")" 413
is "... and its partial file is removed" "$(nfiles)" 0
is "an unknown type: 400, the file removed" \
	"$(req admin POST '/api/v1/imports?type=nonsense' -H "$(csrf admin)" --data-binary @"$MED")/$(nfiles)" 400/0

is "the medical file uploads: 201" \
	"$(req admin POST '/api/v1/imports?type=feed&kind=medical&month=2025-12' -H "$(csrf admin)" \
		--data-binary @"$MED")" 201
UP=$(body .upload)
is "its size in bytes" "$(body .bytes)" "$(stat -c %s "$MED")"
is "rows_guess: the lines after the header" "$(body .rows_guess)" "$(($(wc -l <"$MED") - 1))"
is "kept as <upload>.csv in <db>.uploads, the file unchanged" "$(cmp "$UPLOADS/$UP.csv" "$MED" && echo same)" same
is "the uploads directory is private (0700)" "$(stat -c %a "$UPLOADS")" 700

# ---- the import job ----
is "an import job is queued: 202" "$(req admin POST /api/v1/imports/run -H "$(csrf admin)" \
	-d "{\"type\":\"feed\",\"kind\":\"medical\",\"month\":\"2025-12\",\"upload\":\"$UP\"}")" 202
J1=$(body .job)
wait_job "$J1"
is "the import job is done" "$(body .state)" done
ROWS=$(($(wc -l <"$MED") - 1))
is "its progress counted every row (done = total = rows)" "$(body '"\(.done) \(.total)"')" "$ROWS $ROWS"
is "its result: rows and nothing rejected" "$(body '"\(.result.rows) \(.result.rejected)"')" "$ROWS 0"
check "a rate of rows per second is given" test "$(body .rate)" -gt 0
is "no error file" "$(body .errfile_url)" null
is "the batch is in the database" \
	"$(sqlite3 "$DOUDI_DB" "SELECT rows FROM imports WHERE kind = 'feed' AND month = '2025-12' AND file LIKE '%$UP.csv'")" "$ROWS"
is "an unknown upload id: 404" "$(req admin POST /api/v1/imports/run -H "$(csrf admin)" \
	-d '{"type":"feed","kind":"medical","month":"2025-12","upload":"00000000000000000000000000000000"}')" 404

# a file with two bad rows out of five
{ head -4 "$MED"; sed -n 5,6p "$MED" | sed 's/^230304[0-9]*[0-9X],/12345,/'; } >"$T/bad.csv"
req admin POST '/api/v1/imports?type=feed&kind=medical&month=2024-12' -H "$(csrf admin)" --data-binary @"$T/bad.csv" >/dev/null
UPB=$(body .upload)
req admin POST /api/v1/imports/run -H "$(csrf admin)" \
	-d "{\"type\":\"feed\",\"kind\":\"medical\",\"month\":\"2024-12\",\"upload\":\"$UPB\"}" >/dev/null
J2=$(body .job)
wait_job "$J2"
is "a file with bad rows: done, 3 rows, 2 rejected" "$(body '"\(.state) \(.result.rows) \(.result.rejected)"')" "done 3 2"
is "... with an error file link" "$(body .errfile_url)" "/api/v1/jobs/$J2/errors.csv"
is "the error file downloads" "$(req admin GET "/api/v1/jobs/$J2/errors.csv")" 200
is "... as row,column,value,reason with one line per bad row" "$(head -1 "$T/body" | tr -d '\r'),$(($(wc -l <"$T/body") - 1))" \
	"row,column,value,reason,2"
is "a job without error file: 404" "$(req admin GET "/api/v1/jobs/$J1/errors.csv")" 404
is "GET /imports (auditor) lists the web imports, newest first" \
	"$(req aud GET /api/v1/imports)/$(body '.[0].month')/$(body '.[0].rejected')/$(body '.[0].errfile')" \
	"200/2024-12/2/$UPB.csv.errors.csv"

# ---- the comparison job ----
is "an auditor may not start a comparison: 403" \
	"$(req aud POST /api/v1/compare/runs -H "$(csrf aud)" -d '{"month":"2025-12"}')" 403
is "a bad month: 400" "$(req admin POST /api/v1/compare/runs -H "$(csrf admin)" -d '{"month":"2025-13"}')" 400
is "a comparison job is queued: 202" \
	"$(req admin POST /api/v1/compare/runs -H "$(csrf admin)" -d '{"month":"2025-12"}')" 202
J3=$(body .job)
wait_job "$J3"
is "the comparison is done, every rule counted" "$(body '"\(.state) \(.done)/\(.total) \(.result.rules | length)"')" "done 18/18 18"
NW=$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM warnings")
is "GET /compare/runs: the run with its new warnings" \
	"$(req aud GET /api/v1/compare/runs)/$(body '.[0].month')/$(body '.[0].added')" "200/2025-12/$NW"
is "GET /jobs lists the three jobs, newest first" "$(req admin GET /api/v1/jobs)/$(body '[.[].id] | join(",")')" \
	"200/$J3,$J2,$J1"
is "a township user may not read jobs: 403" "$(req twn GET "/api/v1/jobs/$J1")" 403
is "an unknown job: 404" "$(req admin GET /api/v1/jobs/999)" 404

# ---- warnings ----
q() { sqlite3 "$DOUDI_DB" "SELECT count(*) FROM warnings WHERE $1"; }
req admin GET '/api/v1/warnings?page_size=100' >/dev/null
is "the county sees every warning, counted by level" \
	"$(body '"\(.total) \(.counts.red) \(.counts.yellow) \(.counts.blue)"')" \
	"$NW $(q "level = 'red'") $(q "level = 'yellow'") $(q "level = 'blue'")"
check "there are warnings of all three levels" test "$(q "level = 'red'")" -gt 0 -a "$(q "level = 'blue'")" -gt 0
is "no full ID number in the list" "$(grep -cE '[0-9]{17}[0-9X]' "$T/body")" 0
is "rule_name is the rule's type and reason" \
	"$(req admin GET '/api/v1/warnings?rule=W01')/$(body '.items[0].rule_name')/$(body '[.items[].rule] | unique | join(",")')" \
	"200/刚性支出（漏保）·因病/W01"
is "level=red: only red, counted as such" \
	"$(req admin GET '/api/v1/warnings?level=red&page_size=100' >/dev/null; body '"\(.total) \([.items[].level] | unique | join(","))"')" \
	"$(q "level = 'red'") red"
is "page_size=20, page 2: the next items" \
	"$(req admin GET '/api/v1/warnings?page=2' >/dev/null; body '"\(.page) \(.page_size) \(.items | length)"')" \
	"2 20 $(( NW > 40 ? 20 : (NW > 20 ? NW - 20 : 0) ))"
is "page_size=30 is refused: 400" "$(req admin GET '/api/v1/warnings?page_size=30')" 400

NT=$(q "substr(region_code, 1, 9) = '$TA'")
check "the township has warnings, and others too" test "$NT" -gt 0 -a "$NT" -lt "$NW"
req twn GET '/api/v1/warnings?page_size=100' >/dev/null
is "a township user sees exactly its township's warnings" "$(body .total)/$(body '[.items[].region_code[0:9]] | unique | join(",")')" "$NT/$TA"
OTHER=$(sqlite3 "$DOUDI_DB" "SELECT id FROM warnings WHERE region_code IS NOT NULL AND substr(region_code, 1, 9) <> '$TA' LIMIT 1")
MINE=$(sqlite3 "$DOUDI_DB" "SELECT id FROM warnings WHERE substr(region_code, 1, 9) = '$TA' LIMIT 1")
W02=$(sqlite3 "$DOUDI_DB" "SELECT id FROM warnings WHERE rule = 'W02' LIMIT 1")
is "a township user asking for the county still sees its township" \
	"$(req twn GET '/api/v1/warnings?region=230304&page_size=100' >/dev/null; body .total)" "$NT"
is "its own warning: 200 with the household summary" \
	"$(req twn GET "/api/v1/warnings/$MINE")/$(body '.household.household_no == .household_no')/$(body '.rule_description | length > 0')" \
	"200/true/true"
is "a warning of another township: 404, as if absent" "$(req twn GET "/api/v1/warnings/$OTHER")" 404
is "a warning that does not exist: 404" "$(req twn GET /api/v1/warnings/99999)" 404
is "W02 (no household) is the county's: 404 for the township" "$(req twn GET "/api/v1/warnings/$W02")" 404
is "... 200 for the county, without household" \
	"$(req admin GET "/api/v1/warnings/$W02")/$(body .household)/$(body .scope_region)" "200/null/230304"
is "a village user: 403 (api.md: A T U)" "$(req vil GET /api/v1/warnings)" 403
is "a dept user: 403" "$(req dep GET "/api/v1/warnings/$MINE")" 403
is "GET /rules: 18 built-in rules, W01 with its threshold" \
	"$(req aud GET /api/v1/rules)/$(body length)/$(body '.[0] | "\(.id) \(.threshold) \(.county)"')" "200/18/W01 10000.00 false"

kill -TERM $PID
wait $PID
is "SIGTERM stops the server and its job thread cleanly" "$?" 0
is "nothing in the server's log about failures" "$(grep -c '失败' "$T/serve.err")" 0
done_testing
