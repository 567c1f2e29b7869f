#!/usr/bin/env bash
# bench/assess.sh - `doudi assess --all` over a generated registry of HOUSEHOLDS
# (default 1,000,000): generates it (doudi gen --no-feeds), imports it, then
# times the re-check of every current household and prints households/s.
# Goal: the whole registry in under 5 s.  Figures go to bench/RESULTS.md, "assess".
# Usage: bench/assess.sh [HOUSEHOLDS]   (BENCH_DIR=DIR keeps the files in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
HH=${1:-1000000}
W=${BENCH_DIR:-$(mktemp -d /tmp/doudi-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$W"' EXIT
DD=./doudi

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

t0=$(now)
$DD gen --households "$HH" --out "$W/reg" --seed 7 --no-feeds >/dev/null
gen_s=$(since "$t0")
rm -f "$W/doudi.db" "$W/doudi.db-wal" "$W/doudi.db-shm" "$W/policy.ini"
$DD init --county 230304 --db "$W/doudi.db" >/dev/null 2>&1
t0=$(now)
$DD import registry --db "$W/doudi.db" --households "$W/reg/households.csv" \
	--members "$W/reg/members.csv" --obligors "$W/reg/obligors.csv" >/dev/null 2>&1
import_s=$(since "$t0")

t0=$(now)
$DD assess --all --month 2025-12 --format json --db "$W/doudi.db" >"$W/all.json"
all_s=$(since "$t0")
current=$(sed -n 's/.*"households":\([0-9]*\).*/\1/p' "$W/all.json" | head -1)
diffs=$(sed -n 's/.*"differences":\([0-9]*\).*/\1/p' "$W/all.json" | head -1)

printf 'machine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf 'doudi gen --households %d --no-feeds : %6.1f s\n' "$HH" "$gen_s"
printf 'doudi import registry               : %6.1f s\n' "$import_s"
printf 'doudi assess --all --month 2025-12  : %6.2f s  %9.0f households/s  (%d current households, %d differences; goal < 5 s)\n' \
	"$all_s" "$(echo "$current / $all_s" | bc -l)" "$current" "$diffs"
