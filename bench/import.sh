#!/usr/bin/env bash
# bench/import.sh - registry import speed against the sqlite3 CLI's raw .import.
#
# Generates a registry of about 1 million members (doudi gen), then times
#   1. doudi import registry (full validation, upsert, one transaction), and
#   2. sqlite3 .import of the same members.csv and households.csv into plain tables,
# on the same machine and disk, and prints rows/s and the ratio.
# Usage: bench/import.sh [HOUSEHOLDS]   (default 380000 ≈ 1 M members)
set -euo pipefail
cd "$(dirname "$0")/.."
HH=${1:-380000}
W=${BENCH_DIR:-$(mktemp -d /tmp/doudi-bench.XXXXXX)}
trap 'rm -rf "$W"' EXIT
DD=./doudi

now() { date +%s.%N; }
peak_kb() { awk '/Maximum resident/ {print $6}' "$1"; }

$DD gen --households "$HH" --out "$W/reg" --seed 7 --no-feeds >/dev/null
members=$(($(wc -l <"$W/reg/members.csv") - 1))
households=$(($(wc -l <"$W/reg/households.csv") - 1))
rows=$((members + households))
mb=$(du -cm "$W/reg/households.csv" "$W/reg/members.csv" | tail -1 | cut -f1)

# Each side runs RUNS times on a fresh database; the median is reported, so a
# busy moment on a shared machine does not decide the ratio.
RUNS=${RUNS:-3}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
dd_times=() sq_times=()
for i in $(seq "$RUNS"); do
	rm -f "$W"/doudi.db* "$W"/raw.db*
	$DD init --county 230304 --db "$W/doudi.db" >/dev/null 2>&1
	# flush what the previous step left dirty, so neither side pays for the other's writeback
	sync
	t0=$(now)
	/usr/bin/time -v $DD import registry --db "$W/doudi.db" --households "$W/reg/households.csv" \
		--members "$W/reg/members.csv" >"$W/out" 2>"$W/time"
	t1=$(now)
	dd_times+=("$(echo "$t1 - $t0" | bc -l)")
	dd_peak=$(peak_kb "$W/time")

	sync
	t0=$(now)
	sqlite3 "$W/raw.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
.mode csv
.import $W/reg/households.csv households
.import $W/reg/members.csv members
SQL
	t1=$(now)
	sq_times+=("$(echo "$t1 - $t0" | bc -l)")
done
dd_s=$(printf '%s\n' "${dd_times[@]}" | median)
sq_s=$(printf '%s\n' "${sq_times[@]}" | median)

sync
t0=$(now)
$DD import registry --db "$W/doudi.db" --households "$W/reg/households.csv" --members "$W/reg/members.csv" >/dev/null 2>&1
t1=$(now)
re_s=$(echo "$t1 - $t0" | bc -l)

printf 'machine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf 'input: %d households + %d members = %d rows, %d MB of CSV\n' "$households" "$members" "$rows" "$mb"
printf 'runs: %d each, median reported; doudi %s s, sqlite3 %s s\n' "$RUNS" "${dd_times[*]}" "${sq_times[*]}"
printf 'doudi import registry : %6.2f s  %9.0f rows/s  peak RSS %d MB  (%s)\n' "$dd_s" "$(echo "$rows / $dd_s" | bc -l)" $((dd_peak / 1024)) "$(cat "$W/out")"
printf 'sqlite3 .import (raw) : %6.2f s  %9.0f rows/s\n' "$sq_s" "$(echo "$rows / $sq_s" | bc -l)"
printf 'ratio doudi/raw speed : %.2f  (goal >= 0.5)\n' "$(echo "$sq_s / $dd_s" | bc -l)"
printf 'doudi re-import (no changes): %6.2f s  %9.0f rows/s\n' "$re_s" "$(echo "$rows / $re_s" | bc -l)"
