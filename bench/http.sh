#!/usr/bin/env bash
# bench/http.sh - `doudi serve` against nginx serving the same number of bytes.
#
# A 100 000-household demo county (doudi gen, init, import registry, one month of every
# feed, compare) is built once and cached in build/bench-http/ (delete it to rebuild).
# Then, on loopback, wrk (2 threads, 64 connections, 10 s, --latency) measures
#   household  GET /api/v1/households/{no}, a random household of 10 000 per request
#              (wrk Lua script), with a county_admin session cookie;
#   warnings   GET /api/v1/warnings?page=1 (skipped when the server answers 404);
# and the same against nginx (worker_processes 2, keepalive, access log off) serving a
# static JSON file of the mean size of doudi's answer.  Prints requests/s, p99 latency,
# the server's CPU time per request (user + system of its processes: a figure a busy,
# shared machine disturbs less than the rate) and the ratio doudi/nginx of requests/s.
# Goal: ratio >= 0.25 with p99 < 10 ms.
# Usage: bench/http.sh   (DOUDI=path picks the binary, THREADS=2..4 the server's workers,
#        SECONDS_PER_CASE=N the length of each wrk run, RUNS=N how many times each case runs:
#        on a shared machine nginx's rate alone moved by 70 % between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
DD=${DOUDI:-./doudi}
THREADS=${THREADS:-2}
DUR=${SECONDS_PER_CASE:-10}
RUNS=${RUNS:-1}
HH=100000
M=2025-12
C=build/bench-http
DB=$C/doudi.db
mkdir -p "$C"
for tool in wrk nginx curl jq; do
	command -v $tool >/dev/null || { echo "bench/http.sh: $tool is missing (make deps)" >&2; exit 1; }
done

if [ ! -f "$C/ready" ]; then
	echo "building the $HH-household county in $C (once) ..." >&2
	rm -rf "$C/g" "$DB" "$DB-wal" "$DB-shm" "$C/policy.ini"
	$DD gen --households $HH --population 1000000 --medical-rows 1000000 --out "$C/g" --seed 5 >/dev/null
	$DD init --county 230304 --db "$DB" >/dev/null 2>&1
	$DD import registry --db "$DB" --households "$C/g/households.csv" --members "$C/g/members.csv" \
		--obligors "$C/g/obligors.csv" >/dev/null
	for k in medical disability death pension unemployment license orphan subsidy incident disaster fp kin; do
		$DD feed import $k --month $M --db "$DB" "$C/g/feeds/$k/$M.csv" >/dev/null
	done
	$DD compare --month $M --db "$DB" >/dev/null
	echo bench-password | $DD user add bench --role county_admin --db "$DB" >/dev/null
	awk -F, 'NR > 1 { print $1 }' "$C/g/households.csv" | shuf -n 10000 --random-source=<(yes) >"$C/households.txt"
	touch "$C/ready"
fi

W=$(mktemp -d /tmp/doudi-bench-http.XXXXXX)
chmod 755 "$W"   # nginx workers run as another user
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT

$DD serve --db "$DB" --listen 127.0.0.1:0 --threads "$THREADS" --web "$W/none" >"$W/url" 2>"$W/serve.err" &
PIDS+=($!)
DPID=$!
for _ in $(seq 100); do [ -s "$W/url" ] && break; sleep 0.1; done
U=$(head -1 "$W/url")
U=${U%/}
curl -s -c "$W/jar" -o "$W/login" -H 'Content-Type: application/json' \
	-d '{"username":"bench","password":"bench-password"}' "$U/api/v1/session"
COOKIE="doudi_session=$(awk '$6 == "doudi_session" { print $7 }' "$W/jar")"

# nginx on another loopback port, serving $W/www
mkdir -p "$W/www" "$W/nginx/logs"
NPORT=$((20000 + RANDOM % 20000))
cat >"$W/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	keepalive_timeout 65;
	keepalive_requests 100000;
	client_body_temp_path $W/nginx/body;
	proxy_temp_path $W/nginx/proxy;
	fastcgi_temp_path $W/nginx/fastcgi;
	uwsgi_temp_path $W/nginx/uwsgi;
	scgi_temp_path $W/nginx/scgi;
	server {
		listen 127.0.0.1:$NPORT;
		root $W/www;
	}
}
EOF
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -g 'daemon off;' 2>"$W/nginx/start.err" &
PIDS+=($!)
NPID=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NPORT/" && break; sleep 0.1; done

# The wrk scripts: the cookie on every request; household numbers drawn from a list.
cat >"$W/cookie.lua" <<EOF
wrk.headers["Cookie"] = "$COOKIE"
EOF
cat >"$W/household.lua" <<EOF
wrk.headers["Cookie"] = "$COOKIE"
local ids, n = {}, 0
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args)
	for line in io.lines("$PWD/$C/households.txt") do n = n + 1; ids[n] = line end
	math.randomseed(seed or 1)
end
function request() return wrk.format("GET", "/api/v1/households/" .. ids[math.random(n)]) end
EOF

# ticks PID...: CPU clock ticks (user + system) the processes have used
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s }'; }

# run NAME URL [wrk args]: prints "rps p99_ms cpu_us_per_request" (the server's processes in $SRV)
run() {
	local name=$1 url=$2; shift 2
	local t0 t1 n
	t0=$(ticks $SRV)
	wrk -t2 -c64 -d"${DUR}s" --latency "$@" "$url" >"$W/$name.wrk" 2>&1
	t1=$(ticks $SRV)
	n=$(awk '/requests in/ { print $1 }' "$W/$name.wrk")
	local rps p99 non2xx
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$W/$name.wrk")
	p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; print v }' "$W/$name.wrk")
	non2xx=$(awk '/Non-2xx/ { print $NF }' "$W/$name.wrk")
	[ -z "$non2xx" ] || echo "  ($name: $non2xx answers were not 2xx)" >&2
	echo "${rps:-0} ${p99:-0} $(echo "($t1 - $t0) * 1000000 / $(getconf CLK_TCK) / ${n:-1}" | bc -l)"
}

# mean_size URL...: the mean byte size of the answers
mean_size() { for u in "$@"; do curl -s -H "Cookie: $COOKIE" "$u" | wc -c; done | awk '{ s += $1 } END { printf "%d\n", s / NR }'; }
# static NAME BYTES: a JSON file of exactly BYTES bytes for nginx
static() { { printf '{"pad":"'; head -c $(($2 - 11)) /dev/zero | tr '\0' x; printf '"}\n'; } >"$W/www/$1.json"; }

printf 'machine: %s, %s cores (%s), %s; doudi serve --threads %s\n' "$(uname -m)" "$(nproc)" \
	"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
	"$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)" "$THREADS"
printf 'wrk -t2 -c64 -d%ss --latency, loopback; nginx %s, worker_processes 2\n' "$DUR" "$(nginx -v 2>&1 | sed 's/.*\///')"
printf '%-10s %6s | %-26s | %-26s | %5s %s\n' '' '' 'doudi' 'nginx' '' ''
printf '%-10s %6s | %8s %7s %9s | %8s %7s %9s | %5s %s\n' case bytes req/s 'p99 ms' 'CPU us/r' req/s 'p99 ms' 'CPU us/r' ratio goal
fails=0
report() { # NAME BYTES "rps p99 cpu" "rps p99 cpu"
	local ok
	read -r drps dp99 dcpu <<<"$3"
	read -r nrps np99 ncpu <<<"$4"
	ratio=$(echo "$drps / $nrps" | bc -l)
	ok=$(echo "$ratio >= 0.25 && $dp99 < 10" | bc -l)
	[ "$ok" = 1 ] || fails=$((fails + 1))
	printf '%-10s %6d | %8.0f %7.2f %9.1f | %8.0f %7.2f %9.1f | %5.2f %s\n' "$1" "$2" "$drps" "$dp99" "$dcpu" \
		"$nrps" "$np99" "$ncpu" "$ratio" "$([ "$ok" = 1 ] && echo met || echo MISSED)"
}
dd_run() { SRV=$DPID run "$@"; }
ng_run() { SRV="$(pgrep -P "$NPID" | tr '\n' ' ')" run "$@"; }

hurls=()
for h in $(head -200 "$C/households.txt"); do hurls+=("$U/api/v1/households/$h"); done
hbytes=$(mean_size "${hurls[@]}")
static household "$hbytes"
for _ in $(seq "$RUNS"); do
	report household "$hbytes" "$(dd_run household "$U/" -s "$W/household.lua")" \
		"$(ng_run nginx-household "http://127.0.0.1:$NPORT/household.json")"
done

wcode=$(curl -s -o "$W/warnings.json" -w '%{http_code}' -H "Cookie: $COOKIE" "$U/api/v1/warnings?page=1")
if [ "$wcode" = 200 ]; then
	wbytes=$(wc -c <"$W/warnings.json")
	static warnings "$wbytes"
	for _ in $(seq "$RUNS"); do
		report warnings "$wbytes" "$(dd_run warnings "$U/api/v1/warnings?page=1" -s "$W/cookie.lua")" \
			"$(ng_run nginx-warnings "http://127.0.0.1:$NPORT/warnings.json")"
	done
else
	printf '%-10s skipped: GET /api/v1/warnings?page=1 answered %s\n' warnings "$wcode"
fi
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$fails" -eq 0 ] || echo "goal missed in $fails case(s)"
