#!/usr/bin/env bash
# bench/assess.sh - `doudi assess --all` over a generated registry of HOUSEHOLDS
# (default 1,000,000): generates it (doudi gen --no-feeds), imports it, then
# times the re-check of every current household and prints households/s.
# Goal: the whole registry in under 5 s.  Figures go to bench/RESULTS.md, "assess".
# The machine may be shared: the re-check runs RUNS times (default 5), with
# --threads 1 and with the default (one per core), and the median wall and
# CPU (user + system) times are printed.
# Usage: bench/assess.sh [HOUSEHOLDS]   (BENCH_DIR=DIR keeps the files in DIR;
#        BENCH_REUSE=1 with an existing DIR/doudi.db skips gen and import)
set -euo pipefail
cd "$(dirname "$0")/.."
HH=${1:-1000000}
W=${BENCH_DIR:-$(mktemp -d /tmp/doudi-bench.XXXXXX)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$W"' EXIT
DD=./doudi

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

gen_s=- import_s=-
if [ "${BENCH_REUSE:-}" != 1 ] || [ ! -f "$W/doudi.db" ]; then
	t0=$(now)
	$DD gen --households "$HH" --out "$W/reg" --seed 7 --no-feeds >/dev/null
	gen_s=$(printf %.1f "$(since "$t0")")
	rm -f "$W/doudi.db" "$W/doudi.db-wal" "$W/doudi.db-shm" "$W/policy.ini"
	$DD init --county 230304 --db "$W/doudi.db" >/dev/null 2>&1
	t0=$(now)
	$DD import registry --db "$W/doudi.db" --households "$W/reg/households.csv" \
		--members "$W/reg/members.csv" --obligors "$W/reg/obligors.csv" >/dev/null 2>&1
	import_s=$(printf %.1f "$(since "$t0")")
fi

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one timed re-check: "wall cpu" seconds; the JSON goes to $W/all.json
one_run() {
	/usr/bin/time -f '%e %U %S' -o "$W/time" $DD assess --all --month 2025-12 --format json --db "$W/doudi.db" "$@" >"$W/all.json"
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$W/time"
}

printf 'machine: %s, %s cores, %s; load before: %s\n' "$(uname -m)" "$(nproc)" \
	"$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'doudi gen --households %d --no-feeds : %6s s\n' "$HH" "$gen_s"
printf 'doudi import registry               : %6s s\n' "$import_s"
for threads in 1 default; do
	args=(); [ "$threads" = default ] || args=(--threads "$threads")
	: >"$W/runs"
	for _ in $(seq "${RUNS:-5}"); do one_run "${args[@]}" >>"$W/runs"; done
	wall=$(cut -d' ' -f1 "$W/runs" | median)
	cpu=$(cut -d' ' -f2 "$W/runs" | median)
	current=$(sed -n 's/^{"month":"[^"]*","households":\([0-9]*\).*/\1/p' "$W/all.json")
	diffs=$(sed -n 's/.*"differences":\([0-9]*\).*/\1/p' "$W/all.json" | head -1)
	printf 'assess --all --month 2025-12 --threads %-7s: median %5.2f s wall (%s), %5.2f s CPU, %7.0f households/s  (%d current, %d differences; goal < 5 s)\n' \
		"$threads" "$wall" "$(cut -d' ' -f1 "$W/runs" | tr '\n' ' ' | sed 's/ $//')" "$cpu" \
		"$(echo "$current / $wall" | bc -l)" "$current" "$diffs"
done
printf 'load after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
