#!/usr/bin/env bash
# The web UI in a real browser (Debian's chromium driven by playwright-core, tests/browser/):
# logins, dashboard, household search and page with masked IDs, a feed imported through
# 数据导入, a comparison run, a township user's warning evidence. Screenshots of each main
# page go to tests/e2e/screenshots/. Spec files: tests/browser/*.mjs, run by run.mjs.
. "$(dirname "$0")/lib.sh"

WEB=$TOP/web/dist
NODE_PW=$TOP/web/node_modules/playwright-core
for need in "$WEB/index.html:run make web" "$NODE_PW/package.json:run make web (npm ci)" "/usr/bin/chromium:run make deps"; do
	if [ ! -e "${need%%:*}" ]; then plan 1; fail "browser tests need ${need%%:*}" "${need#*:}"; exit 1; fi
done

"$DD" gen --households 200 --out "$T/g" --seed 7 >/dev/null
"$DD" init --county 230304 >/dev/null 2>&1
"$DD" import registry --households "$T/g/households.csv" --members "$T/g/members.csv" \
	--obligors "$T/g/obligors.csv" >/dev/null 2>&1

# HA: the first household (search + page); TW: the township of a household that W16 (bad check
# digit, registry only) will flag once a comparison runs; VA: HA's village.
read -r HA VA < <(awk -F, 'NR == 2 { print $1, $2 }' "$T/g/households.csv")
HW=$(awk -F, '$1 == "W16" && $4 != "" { print $4; exit }' "$T/g/planted.csv")
TW=$(awk -F, -v h="$HW" '$1 == h { print substr($2, 1, 9) }' "$T/g/households.csv")
read -r HEAD_NAME HEAD_ID < <(awk -F, -v h="$HA" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["household_no"] == h { print $c["name"], $c["id_number"]; exit }' "$T/g/members.csv")

add() { echo "$2" | "$DD" user add "$1" "${@:3}" >/dev/null; }
add admin admin-pass-1 --role county_admin
add twn twn-pass-123 --role township --region "$TW"
add vil vil-pass-123 --role village --region "$VA"
add twa twa-pass-123 --role township --region "${VA:0:9}"
add aud aud-pass-123 --role auditor

"$DD" serve --listen 127.0.0.1:0 --web "$WEB" >"$T/url" 2>"$T/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && break; sleep 0.1; done
U=$(head -1 "$T/url")
contains "serve prints its URL" "$U" "http://127.0.0.1:"

# a feed with one good and one bad row: the import keeps 1 and writes an error file
{ echo "id_number,name,death_date"; echo "$HEAD_ID,$HEAD_NAME,2025-10-03"; echo "123,张三,2025-13-01"; } >"$T/bad-death.csv"

cat >"$T/data.json" <<JSON
{ "base": "$U",
  "users": { "admin": ["admin", "admin-pass-1"], "township": ["twn", "twn-pass-123"],
             "village": ["vil", "vil-pass-123"], "township_a": ["twa", "twa-pass-123"],
             "auditor": ["aud", "aud-pass-123"] },
  "households": $(($(wc -l <"$T/g/households.csv") - 1)),
  "ha": "$HA", "ha_village": "$VA", "ha_head_name": "$HEAD_NAME", "ha_head_id": "$HEAD_ID",
  "township": "$TW",
  "feed": { "kind": "death", "month": "2025-12", "file": "$T/g/feeds/death/2025-12.csv" },
  "bad_feed": { "kind": "death", "month": "2025-10", "file": "$T/bad-death.csv" },
  "gen_dir": "$T/g" }
JSON

rm -f "$TOP"/tests/e2e/screenshots/fail-*.png # failure pictures of an earlier run
# Spec files in order: the admin's import and comparison come before the township's warnings.
specs=(format.mjs admin.mjs township.mjs)
for f in "$TOP"/tests/browser/apply*.mjs; do [ -e "$f" ] && specs+=("$(basename "$f")"); done
BASE_URL=$U BROWSER_DATA=$T/data.json timeout 300 node "$TOP/tests/browser/run.mjs" "${specs[@]}" \
	>"$T/run.out" 2>"$T/run.err"
rc=$?
while IFS= read -r line; do
	case "$line" in
	"PASS "*) pass "${line#PASS }" ;;
	"FAIL "*) fail "${line#FAIL }" ;;
	esac
done <"$T/run.out"
[ "$rc" -eq 0 ] || grep -q '^FAIL ' "$T/run.out" || fail "the browser runner exited $rc" "$(tail -c 1500 "$T/run.err")"
if [ "$rc" -ne 0 ]; then
	sed 's/^/# /' "$T/run.err" | tail -40
	kill -0 $PID 2>/dev/null || echo "# the server is gone: $(tail -c 600 "$T/serve.err")"
fi
echo "1..$_n"
done_testing
