#!/usr/bin/env bash
# The HTTP API: logins, sessions, CSRF, roles and regional scope, masking, reveal, limits.
. "$(dirname "$0")/lib.sh"
plan 42

"$DD" gen --households 200 --out "$T/g" --seed 7 --no-feeds >/dev/null
"$DD" init --county 230304 >/dev/null 2>&1
"$DD" import registry --households "$T/g/households.csv" --members "$T/g/members.csv" >/dev/null 2>&1

# HA: the first household; its township TA and village VA.  HB: a household of another township.
read -r HA VA < <(awk -F, 'NR == 2 { print $1, $2 }' "$T/g/households.csv")
TA=${VA:0:9}
HB=$(awk -F, -v t="$TA" 'NR > 1 && substr($2, 1, 9) != t { print $1; exit }' "$T/g/households.csv")
HC=$(awk -F, -v v="$VA" -v t="$TA" 'NR > 1 && $2 != v && substr($2, 1, 9) == t { print $1; exit }' "$T/g/households.csv")
in_ta=$(awk -F, -v t="$TA" 'NR > 1 && substr($2, 1, 9) == t' "$T/g/households.csv" | wc -l)

add() { echo "$2" | "$DD" user add "$1" "${@:3}"; }
is "user add prints the user, never the password" "$(add twn pw-twn --role township --region "$TA")" \
	"user: twn, role: township, region: $TA"
add admin pw-admin --role county_admin >/dev/null
add vil pw-vil --role village --region "$VA" >/dev/null
add dep pw-dep --role dept --dept 医保 >/dev/null
add cha pw-cha --role charity >/dev/null
add aud pw-aud --role auditor >/dev/null
exit_is "a village user needs a 12-digit region" 1 add v2 x --role village --region "$TA"
exit_is "a township outside the county is refused" 1 add t2 x --role township --region 230302001
exit_is "a second user of the same name is refused" 2 add twn other --role township --region "$TA"
is "the password is stored only as an Argon2id hash" \
	"$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM users WHERE pw_hash LIKE '\$argon2id\$%' AND pw_hash NOT LIKE '%pw-%'")" 6

"$DD" serve --listen 127.0.0.1:0 >"$T/url" 2>"$T/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.1; done
U=$(head -1 "$T/url")
contains "serve prints its loopback URL" "$U" "http://127.0.0.1:"

# req JAR METHOD PATH [curl args...]: prints the status; the body is in $T/body
req() {
	local jar=$1 m=$2 p=$3; shift 3
	curl -s -o "$T/body" -w '%{http_code}' -b "$T/$jar" -c "$T/$jar" -X "$m" "$@" "$U${p#/}"
}
login() { req "$1" POST /api/v1/session -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}"; }
csrf() { sed 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/' "$T/$1.csrf"; }
full_ids() { grep -cE '(^|[^0-9])[0-9]{17}[0-9X]([^0-9]|$)' "$T/body"; }

is "login with the right password: 200" "$(login twn pw-twn)" 200
cp "$T/body" "$T/twn.csrf"
contains "the login answers the role and region" "$(cat "$T/body")" "\"role\":\"township\",\"region\":\"$TA\""
contains "the session cookie is HttpOnly, SameSite=Strict, Path=/" "$(grep doudi_session "$T/twn")" "#HttpOnly_127.0.0.1"
is "login with a wrong password: 401" "$(login vil wrong)" 401
is "no cookie: 401" "$(req none GET /api/v1/households)" 401

is "township lists households: 200" "$(req twn GET /api/v1/households)" 200
contains "the list counts exactly its own township" "$(cat "$T/body")" "{\"total\":$in_ta,"
is "no full ID number in the list" "$(full_ids)" 0
req twn GET "/api/v1/households?q=$HA" >/dev/null
contains "search by household number" "$(cat "$T/body")" "\"household_no\":\"$HA\""
db_in_ta=$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM households WHERE region_code LIKE '$TA%' AND category_bits & 2")
req twn GET "/api/v1/households?category=DB&page_size=50" >/dev/null
contains "category=DB counts the township's DB households" "$(cat "$T/body")" "{\"total\":$db_in_ta,\"page\":1,\"page_size\":50,"
is "an unknown category: 400" "$(req twn GET "/api/v1/households?category=XX")" 400
is "page_size 30 is not offered: 400" "$(req twn GET "/api/v1/households?page_size=30")" 400
req twn GET "/api/v1/households?q=zzzzzzzzzzzzzzzzz" >/dev/null
contains "17 letters are no initials search: nothing found" "$(cat "$T/body")" '{"total":0,'
is "its own household: 200" "$(req twn GET "/api/v1/households/$HA")" 200
contains "members' IDs come masked" "$(cat "$T/body")" '"id_number":"230304********'
is "no full ID number in the detail" "$(full_ids)" 0
is "a household of another township: 404, as if absent" "$(req twn GET "/api/v1/households/$HB")" 404
is "a household that does not exist: 404" "$(req twn GET /api/v1/households/H0)" 404

is "reveal without X-CSRF-Token: 403" "$(req twn POST "/api/v1/persons/$HA/0/reveal")" 403
is "reveal with the session's CSRF token: 200" \
	"$(req twn POST "/api/v1/persons/$HA/0/reveal" -H "X-CSRF-Token: $(csrf twn)")" 200
id0=$(awk -F, -v h="$HA" '$1 == h { print $3; exit }' "$T/g/members.csv")
contains "the reveal returns the full ID" "$(cat "$T/body")" "\"id_number\":\"$id0\""
is "the reveal is in the audit log, without the ID" \
	"$(sqlite3 "$DOUDI_DB" "SELECT count(*) FROM audit WHERE action = 'reveal' AND username = 'twn' AND entity_key = '$HA/0' AND after NOT LIKE '%$id0%'")" 1

login vil pw-vil >/dev/null
cp "$T/body" "$T/vil.csrf"
is "village user reads its own village's household" "$(req vil GET "/api/v1/households/$HA")" 200
if [ -n "$HC" ]; then
	is "village user: a household elsewhere in the township is 404" "$(req vil GET "/api/v1/households/$HC")" 404
else
	pass "village user: (no other village in the township) # SKIP"
fi
is "village user cannot reveal outside its village" \
	"$(req vil POST "/api/v1/persons/$HB/0/reveal" -H "X-CSRF-Token: $(csrf vil)")" 404

login dep pw-dep >/dev/null
is "dept user: households are 403" "$(req dep GET /api/v1/households)" 403
login aud pw-aud >/dev/null
is "auditor reads any household of the county" "$(req aud GET "/api/v1/households/$HB")" 200

is "logout without CSRF: 403" "$(req twn DELETE /api/v1/session)" 403
is "logout: 200" "$(req twn DELETE /api/v1/session -H "X-CSRF-Token: $(csrf twn)")" 200
is "after logout the cookie is gone: 401" "$(req twn GET /api/v1/session)" 401

for _ in 1 2 3 4 5; do login cha wrong >/dev/null; done
is "after 5 failures the name is throttled, even with the right password: 429" "$(login cha pw-cha)" 429

is "GET / serves the web UI's page" "$(req none GET /)" 200
contains "the page is Chinese" "$(cat "$T/body")" 'lang="zh-CN"'

head -c 2000000 /dev/zero | tr '\0' a >"$T/big"
is "a 2 MB body: 413" "$(req none POST /api/v1/session --data-binary @"$T/big")" 413
is "a 2 MB chunked body (no length): 413" \
	"$(req none POST /api/v1/session -H 'Transfer-Encoding: chunked' --data-binary @"$T/big")" 413

kill -TERM $PID
wait $PID
is "SIGTERM stops the server cleanly" "$?" 0
done_testing
