#!/usr/bin/env bash
# Administration and statistics over HTTP, on a `doudi demo` county: users, passwords, regions,
# the policy, the dashboard against `doudi stats`, exports; and the demo itself (logins, restart).
. "$(dirname "$0")/lib.sh"
plan 70

D=$T/demo
export DOUDI_DB=$D/doudi.db
# start_demo: runs `doudi demo` on a free port, waits for its URL line; sets PID and U
start_demo() {
	"$DD" demo --dir "$D" --households 300 --listen 127.0.0.1:0 >"$T/demo.out" 2>"$T/demo.err" &
	PID=$!
	for _ in $(seq 600); do grep -q 'http://' "$T/demo.out" && break; sleep 0.1; done
	U=$(grep -o 'http://[0-9.:]*/' "$T/demo.out" | head -1)
}
start_demo
trap 'kill $PID 2>/dev/null; rm -rf "$T"' EXIT
contains "demo prints the URL" "$U" "http://127.0.0.1:"
contains "demo prints the admin login and its password" "$(cat "$T/demo.out")" "admin     demo-admin-2025"

req() {
	local jar=$1 m=$2 p=$3; shift 3
	curl -s -o "$T/body" -w '%{http_code}' -b "$T/$jar" -c "$T/$jar" -X "$m" "$@" "$U${p#/}"
}
login() { req "$1" POST /api/v1/session -H 'Content-Type: application/json' -d "{\"username\":\"${3:-$1}\",\"password\":\"$2\"}"; }
# w JAR METHOD PATH JSON: a write with the jar's CSRF token
w() {
	local jar=$1 m=$2 p=$3 body=$4
	req "$jar" "$m" "$p" -H "X-CSRF-Token: $(cat "$T/$jar.csrf" 2>/dev/null)" -H 'Content-Type: application/json' -d "$body"
}
# in JAR USER PASSWORD: logs in and keeps the CSRF token
signin() { local s; s=$(login "$1" "$3" "$2"); jq -r .csrf_token "$T/body" >"$T/$1.csrf"; echo "$s"; }
full_ids() { grep -cE '(^|[^0-9])[0-9]{17}[0-9X]([^0-9]|$)' "$1"; }
body() { jq -c "$1" "$T/body"; }

ok=0
for u in admin:demo-admin-2025 township:demo-township-2025 village:demo-village-2025 \
	yibao:demo-dept-2025 charity:demo-charity-2025 auditor:demo-auditor-2025; do
	[ "$(signin "${u%%:*}" "${u%%:*}" "${u#*:}")" = 200 ] && ok=$((ok + 1))
done
is "every printed demo login works (6 roles)" "$ok" 6
req admin GET /api/v1/session >/dev/null
is "the session names the county and the region" "$(body '[.county, .county_name, .region, .region_name]')" \
	'["230304","滴道区","230304","滴道区"]'
TA=$(jq -r .region < <(curl -s -b "$T/township" "${U}api/v1/session"))
VA=$(jq -r .region < <(curl -s -b "$T/village" "${U}api/v1/session"))
req township GET /api/v1/session >/dev/null
name=$(jq -r .region_name "$T/body")
contains "a township user's region_name is its township's name (as the demo prints it)" \
	"$(grep '^  township ' "$T/demo.out")" "区${name}"
is "the demo's village lies in the demo's township" "${VA:0:9}" "$TA"

# ---- users ----
is "admin lists users: 200" "$(req admin GET /api/v1/users)" 200
is "six demo users, none disabled" "$(body '[length, ([.[] | select(.disabled)] | length)]')" '[6,0]'
is "a township user may not list users: 403" "$(req township GET /api/v1/users)" 403
is "an auditor may not add users: 403" \
	"$(w auditor POST /api/v1/users '{"username":"x","password":"long-enough","role":"charity"}')" 403
is "admin adds a township user: 201" \
	"$(w admin POST /api/v1/users "{\"username\":\"clerk\",\"password\":\"clerk-pass-1\",\"role\":\"township\",\"region\":\"$TA\"}")" 201
is "the new user comes back as listed" "$(body '[.username, .role, .region, .disabled]')" "[\"clerk\",\"township\",\"$TA\",false]"
is "the same name again: 409" \
	"$(w admin POST /api/v1/users "{\"username\":\"clerk\",\"password\":\"clerk-pass-1\",\"role\":\"township\",\"region\":\"$TA\"}")" 409
is "a village user with a 9-digit region: 422 (as user add)" \
	"$(w admin POST /api/v1/users "{\"username\":\"v2\",\"password\":\"long-enough\",\"role\":\"village\",\"region\":\"$TA\"}")" 422
is "... naming the region" "$(body .error.field)" '"region"'
is "a password of 7 characters: 422" \
	"$(w admin POST /api/v1/users '{"username":"c2","password":"1234567","role":"charity"}')" 422
is "a password of 8 Chinese characters is long enough: 201" \
	"$(w admin POST /api/v1/users '{"username":"c3","password":"一二三四五六七八","role":"charity"}')" 201
is "a user creation is audited, without the hash" \
	"$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM audit WHERE entity = 'user' AND entity_key = 'clerk' AND action = 'create' AND username = 'admin' AND after NOT LIKE '%argon%'")" 1

is "clerk logs in" "$(signin clerk clerk clerk-pass-1)" 200
is "admin disables clerk: 200" "$(w admin PUT /api/v1/users/clerk '{"disabled":true}')" 200
is "... the answer says disabled" "$(body .disabled)" true
is "clerk's session ended: 401" "$(req clerk GET /api/v1/session)" 401
is "a disabled user cannot log in: 401" "$(login clerk clerk-pass-1)" 401
is "admin may not disable itself: 422" "$(w admin PUT /api/v1/users/admin '{"disabled":true}')" 422
is "an unknown user: 404" "$(w admin PUT /api/v1/users/nobody '{"disabled":true}')" 404
is "admin enables clerk with a new password: 200" \
	"$(w admin PUT /api/v1/users/clerk '{"disabled":false,"password":"clerk-pass-2"}')" 200
is "the old password no longer works" "$(login clerk clerk-pass-1)" 401
is "the new one does" "$(signin clerk clerk clerk-pass-2)" 200
is "the reset is audited as a change, never the hash" \
	"$(sqlite3 "$DOUDI_DB" "SELECT after FROM audit WHERE entity = 'user' AND entity_key = 'clerk' AND action = 'update' ORDER BY id DESC LIMIT 1")" \
	'{"disabled":false,"password":"changed"}'

# ---- own password: the other sessions end ----
signin clerk2 clerk clerk-pass-2 >/dev/null
is "a wrong old password: 422" "$(w clerk PUT /api/v1/session/password '{"old":"nope","new":"clerk-pass-3"}')" 422
is "a new password of 7 characters: 422" "$(w clerk PUT /api/v1/session/password '{"old":"clerk-pass-2","new":"short-7"}')" 422
is "the password change: 200" "$(w clerk PUT /api/v1/session/password '{"old":"clerk-pass-2","new":"clerk-pass-3"}')" 200
is "the other session of the user ended: 401" "$(req clerk2 GET /api/v1/session)" 401
is "the session that changed it goes on: 200" "$(req clerk GET /api/v1/session)" 200
is "the new password logs in" "$(login clerk clerk-pass-3)" 200

# ---- regions ----
# OT: a township of the demo other than the township user's
OT=$(sqlite3 "$DOUDI_DB" "SELECT substr(region_code, 1, 9) FROM households WHERE region_code NOT LIKE '$TA%' LIMIT 1")
req admin GET /api/v1/regions >/dev/null
is "admin: the county's townships, both of these among them, all level 4" \
	"$(body "[(map(select(.code == \"$TA\" or .code == \"$OT\")) | length), (map(.level) | unique)]")" '[2,[4]]'
req township GET /api/v1/regions?parent=230304 >/dev/null
is "township asks the county: only its own township" "$(body '[.[].code]')" "[\"$TA\"]"
is "township asks another township: 404" "$(req township GET "/api/v1/regions?parent=$OT")" 404
req village GET /api/v1/regions >/dev/null
is "a village has no children: []" "$(body .)" '[]'

# ---- policy ----
is "admin reads the policy: 200" "$(req admin GET /api/v1/policy)" 200
contains "... the stored text and the parsed figures" "$(body '[(.text | contains("[standards.")), .parsed.county_code]')" '[true,"230304"]'
jq -r .text "$T/body" >"$T/policy.ini"
is "an auditor reads it too; a township may not: 200 403" \
	"$(req auditor GET /api/v1/policy) $(req township GET /api/v1/policy)" "200 403"
bad=$(sed 's/^notice_days *=.*/notice_days = abc/' "$T/policy.ini" | jq -Rs '{text: .}')
is "a bad value: 422" "$(w admin PUT /api/v1/policy "$bad")" 422
contains "... the message names the section" "$(body .error.message)" "[procedure]"
del=$(printf '%s\n[rule.C09]\nname = x\nlevel = blue\nsql = DELETE FROM households\n' "$(cat "$T/policy.ini")" | jq -Rs '{text: .}')
is "a county rule that is not a SELECT: 422" "$(w admin PUT /api/v1/policy "$del")" 422
tbl=$(printf '%s\n[rule.C09]\nname = x\nlevel = blue\nsql = SELECT id_number, household_no, name FROM members\n' "$(cat "$T/policy.ini")" | jq -Rs '{text: .}')
is "a county rule reading a table, not a view: 422 (dd_compare_check)" "$(w admin PUT /api/v1/policy "$tbl")" 422
good=$(sed 's/^notice_days *=.*/notice_days = 9/' "$T/policy.ini" | jq -Rs '{text: .}')
is "a good policy: 200" "$(w admin PUT /api/v1/policy "$good")" 200
contains "... stored: doudi policy show has it" "$("$DD" policy show)" "notice_days = 9"
is "... and audited under the admin" \
	"$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM audit WHERE entity = 'meta' AND entity_key = 'policy' AND username = 'admin'")" 1

# ---- dashboard ----
"$DD" stats >"$T/stats.json"
req admin GET /api/v1/stats/dashboard >/dev/null
is "dashboard sums equal doudi stats (households members DB FP)" \
	"$(body '[([.by_township[].households] | add), ([.by_township[].members] | add), ([.by_township[].DB] | add), ([.by_township[].FP] | add)]')" \
	"$(jq -c '[.households, .members, .by_category.DB, .by_category.FP]' "$T/stats.json")"
is "open warnings by level equal the database's" "$(body '[.warnings.by_level.red, .warnings.by_level.yellow, .warnings.by_level.blue]')" \
	"$(sqlite3 "$DOUDI_DB" "SELECT '[' || sum(level = 'red') || ',' || sum(level = 'yellow') || ',' || sum(level = 'blue') || ']' FROM warnings WHERE status <> 'closed'")"
is "12 trend months, the last one this month" "$(body '[(.trend | length), .trend[11].month]')" "[12,\"$(date +%Y-%m)\"]"
req township GET /api/v1/stats/dashboard >/dev/null
is "a township's dashboard counts only its township" "$(body '[(.by_township | length), .by_township[0].code, .by_township[0].households]')" \
	"[1,\"$TA\",$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM households WHERE region_code LIKE '$TA%' AND (exited_on IS NULL OR exited_on > date('now', 'localtime'))")]"

# ---- exports ----
req admin GET /api/v1/households >/dev/null
total=$(body .total)
curl -s -D "$T/h.txt" -o "$T/hh.csv" -b "$T/admin" "${U}api/v1/stats/export?what=households&format=csv"
is "households CSV: header + the list's total rows" "$(($(wc -l <"$T/hh.csv") - 1))" "$total"
is "... starts with the UTF-8 BOM and the Chinese header" "$(head -c 12 "$T/hh.csv" | od -An -tx1 | tr -d ' \n')" "efbbbfe688b7e7bc96e58fb7"
contains "... sent as an attachment" "$(cat "$T/h.txt")" "Content-Disposition: attachment; filename=\"households-"
req township GET /api/v1/households >/dev/null
curl -s -o "$T/ht.csv" -b "$T/township" "${U}api/v1/stats/export?what=households&format=csv"
is "a township's export has its list's rows" "$(($(wc -l <"$T/ht.csv") - 1))" "$(body .total)"
curl -s -o "$T/w.csv" -b "$T/admin" "${U}api/v1/stats/export?what=warnings&format=csv&level=red"
is "warnings CSV (red): every red warning" "$(($(wc -l <"$T/w.csv") - 1))" \
	"$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM warnings WHERE level = 'red'")"
req township GET /api/v1/warnings >/dev/null
tw=$(body .total)
curl -s -o "$T/wt.csv" -b "$T/township" "${U}api/v1/stats/export?what=warnings&format=csv"
is "a township's warnings export has its list's rows" "$(($(wc -l <"$T/wt.csv") - 1))" "$tw"
curl -s -o "$T/w.xlsx" -b "$T/admin" "${U}api/v1/stats/export?what=warnings&format=xlsx"
contains "warnings XLSX opens: a worksheet inside" "$(unzip -l "$T/w.xlsx" 2>&1)" "xl/worksheets/sheet1.xml"
unzip -p "$T/w.xlsx" >"$T/w.xml" 2>/dev/null
is "... with no full ID number in it" "$(full_ids "$T/w.xml")" 0
read -r HN HNAME HID < <(awk -F, 'NR == 2 { print $1, $2, $3 }' "$D/data/members.csv")
printf '{"applicant_name":"%s","applicant_id":"%s","household_no":"%s","channel":"窗口","hardship":"因病","needs":["临时救助"],"emergency":false}' \
	"$HNAME" "$HID" "$HN" >"$T/app.json"
APP=$("$DD" apply "$T/app.json" 2>/dev/null)
req admin GET /api/v1/applications >/dev/null
curl -s -o "$T/a.csv" -b "$T/admin" "${U}api/v1/stats/export?what=applications&format=csv"
is "applications CSV: the list's rows (one, just applied)" "$(($(wc -l <"$T/a.csv") - 1)) $(body .total)" "1 1"
contains "... the application with its masked applicant ID and amount" "$(tail -1 "$T/a.csv")" \
	"$APP,申请认定,"
is "... no full ID in it" "$(full_ids "$T/a.csv")" 0
curl -s -o "$T/a.xlsx" -b "$T/admin" "${U}api/v1/stats/export?what=applications&format=xlsx"
is "applications XLSX: a bold header and money formatted 0.00" \
	"$(unzip -p "$T/a.xlsx" xl/styles.xml | grep -o 'formatCode="0.00"\|<b/>' | sort -u | tr '\n' ' ')" '<b/> formatCode="0.00" '
is "an unknown export: 400" "$(req admin GET "/api/v1/stats/export?what=users&format=csv")" 400
is "exports are not for dept users: 403" "$(req yibao GET "/api/v1/stats/export?what=households&format=csv")" 403

# ---- the demo stops on SIGTERM and restarts on its database ----
kill -TERM $PID
wait $PID
is "demo stops on SIGTERM with status 0" "$?" 0
start_demo
contains "a second demo run reuses the database" "$(cat "$T/demo.err")" "使用已有的演示数据库"
is "... and its logins work" "$(login admin demo-admin-2025)" 200
