#!/usr/bin/env bash
# bench/compare.sh - feed import + comparison end to end, against DuckDB on the same CSVs.
#
# Generates a county with doudi gen, then times, each with wall time and peak RSS:
#   doudi init, import registry, one `doudi feed import` of all twelve medical months plus
#   every other kind for month M (2025-12) (its several-batch form: one process, one
#   transaction), and doudi compare --month M;
# and DuckDB (npm @duckdb/node-api, SET threads=2) running W01 (registry persons whose
# 2025 hospital self-paid total > 10000 yuan) and W02 (persons not in the registry,
# > 50000 yuan) straight from the same CSV files.  Prints both side by side.
#
# Usage: bench/compare.sh [county|big]
#   county (default): ~100 000 registry persons, 1 M medical rows
#   big:              ~10 M registry persons, 50 M medical rows (long: ~20 GB of disk, ~30 min)
# BENCH_DIR=DIR keeps the data there (not removed); DOUDI=path picks the binary.
# SEPARATE=1 runs one feed import per file instead (the single-batch form, as before).
# KEEP_REGISTRY=1 (with BENCH_DIR) keeps the database after the registry import as
# DIR/registry.db and starts later runs from a copy of it (10 M persons take minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-county}
case $SIZE in
county) HH=39000 POP=1200000 MED=1000000 ;;
# gen's IDs are 500 per birth day and sex in one county (~36 M): a population much beyond
# the registry's 10 M makes finding free IDs slow, so 12 M
big) HH=3900000 POP=12000000 MED=50000000 ;;
*) echo "usage: bench/compare.sh [county|big]" >&2; exit 1 ;;
esac
M=2025-12
DD=${DOUDI:-./doudi}
if [ -n "${BENCH_DIR:-}" ]; then W=$BENCH_DIR; mkdir -p "$W"; else
	W=$(mktemp -d /tmp/doudi-compare.XXXXXX); trap 'rm -rf "$W"' EXIT; fi
DB=$W/doudi.db
DUCK=build/duckdb

now() { date +%s.%N; }
# step NAME COMMAND...: runs it under /usr/bin/time -v; appends "NAME seconds peak_kb" to $W/steps
step() {
	local name=$1; shift
	local t0 t1
	t0=$(now)
	/usr/bin/time -v "$@" >"$W/$name.out" 2>"$W/$name.time" || { echo "$name failed:" >&2; tail -5 "$W/$name.time" >&2; return 1; }
	t1=$(now)
	echo "$name $(echo "$t1 - $t0" | bc -l) $(awk '/Maximum resident/ {print $6}' "$W/$name.time")" >>"$W/steps"
}
sum_steps() { awk -v p="$1" '$1 ~ p { s += $2; if ($3 > m) m = $3 } END { printf "%.2f %d\n", s, m / 1024 }' "$W/steps"; }

if [ ! -f "$W/g/members.csv" ]; then
	echo "generating $SIZE county: $HH households, population $POP, $MED medical rows ..." >&2
	$DD gen --households $HH --population $POP --medical-rows $MED --out "$W/g" --seed 11 >/dev/null
fi
: >"$W/steps"; rm -f "$W"/*.time
rm -f "$DB" "$DB"-wal "$DB"-shm
if [ -f "$W/registry.db" ]; then
	cp "$W/registry.db" "$DB"   # KEEP_REGISTRY from an earlier run: not part of the measured total
else
	step init $DD init --county 230304 --db "$DB"
	step registry $DD import registry --db "$DB" --households "$W/g/households.csv" --members "$W/g/members.csv"
	[ -z "${KEEP_REGISTRY:-}" ] || cp "$DB" "$W/registry.db"
fi
KINDS="disability death pension unemployment license orphan subsidy incident disaster fp kin"
if [ -n "${SEPARATE:-}" ]; then
	for f in "$W"/g/feeds/medical/*.csv; do
		step "feed_medical_$(basename "$f" .csv)" $DD feed import medical --month "$(basename "$f" .csv)" --db "$DB" "$f"
	done
	for k in $KINDS; do
		step "feed_$k" $DD feed import $k --month $M --db "$DB" "$W/g/feeds/$k/$M.csv"
	done
else
	args=(medical)
	for f in "$W"/g/feeds/medical/*.csv; do args+=(--month "$(basename "$f" .csv)" "$f"); done
	for k in $KINDS; do args+=("$k" --month $M "$W/g/feeds/$k/$M.csv"); done
	DOUDI_LOG=info step feed_all $DD feed import "${args[@]}" --db "$DB"
fi
# per-rule times (candidates, merge) go to compare.time with the time -v figures
DOUDI_LOG=debug step compare $DD compare --month $M --db "$DB"

# ---- DuckDB on the same CSVs ----
if [ ! -d "$DUCK/node_modules/@duckdb/node-api" ]; then
	npm install --prefix "$DUCK" @duckdb/node-api >/dev/null 2>&1
fi
cat >"$W/duck.js" <<'JS'
const { DuckDBInstance } = require(process.env.DUCK + '/node_modules/@duckdb/node-api');
const dir = process.env.G;
const med = `read_csv('${dir}/feeds/medical/*.csv', header = true,
  columns = {'id_number': 'VARCHAR', 'name': 'VARCHAR', 'settle_date': 'DATE', 'visit_type': 'VARCHAR',
             'total_cost': 'DECIMAL(18,2)', 'self_paid': 'DECIMAL(18,2)'})`;
const reg = `(SELECT DISTINCT id_number FROM read_csv('${dir}/members.csv', header = true, all_varchar = true))`;
const hosp = `(SELECT id_number, SUM(self_paid) AS s FROM ${med}
  WHERE visit_type = '住院' AND year(settle_date) = 2025 GROUP BY id_number)`;
const W01 = `SELECT COUNT(*) FROM ${hosp} h WHERE h.s > 10000 AND h.id_number IN ${reg}`;
const W02 = `SELECT COUNT(*) FROM ${hosp} h WHERE h.s > 50000 AND h.id_number NOT IN ${reg}`;
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run('SET threads = 2');
  for (const [name, sql] of [['W01', W01], ['W02', W02]]) {
    const t0 = process.hrtime.bigint();
    const r = await con.runAndReadAll(sql);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`${name} ${s.toFixed(2)} ${r.getRows()[0][0]}`);
  }
})();
JS
t0=$(now)
DUCK=$PWD/$DUCK G=$W/g /usr/bin/time -v node "$W/duck.js" >"$W/duck.out" 2>"$W/duck.time"
t1=$(now)
duck_s=$(echo "$t1 - $t0" | bc -l)
duck_peak=$(($(awk '/Maximum resident/ {print $6}' "$W/duck.time") / 1024))

read -r imp_s imp_mb < <(sum_steps '^feed_')
med_rows=$(cat "$W"/g/feeds/medical/*.csv | wc -l)
med_rows=$((med_rows - $(ls "$W"/g/feeds/medical/*.csv | wc -l)))
printf 'machine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
printf 'size %s: %s registry persons, %s medical rows, %s MB of feed CSV\n' "$SIZE" \
	"$(($(wc -l <"$W/g/members.csv") - 1))" "$med_rows" "$(du -sm "$W/g/feeds" | cut -f1)"
printf '%-34s %8s %9s\n' step seconds 'peak MB'
awk '{ printf "%-34s %8.2f %9d\n", $1, $2, $3 / 1024 }' "$W/steps"
printf 'feed import (all kinds): %.0f medical rows/s\n' "$(echo "$med_rows / $imp_s" | bc -l)"
grep -h 'feed import of' "$W"/feed_*.time || true
read -r cmp_s cmp_mb < <(sum_steps '^compare')
cat "$W/compare.out"
sed -n 's/.*debug: compare //p' "$W/compare.time"
total=$(echo "$imp_s + $cmp_s" | bc -l)
peak=$((imp_mb > cmp_mb ? imp_mb : cmp_mb))
echo
printf '%-46s %8s %9s\n' '' seconds 'peak MB'
printf '%-46s %8.2f %9d\n' "doudi feed import (all kinds) + compare" "$total" "$peak"
printf '%-46s %8.2f %9d   (%s)\n' "DuckDB 2 threads, W01 + W02 from CSV" "$duck_s" "$duck_peak" "$(tr '\n' ' ' <"$W/duck.out")"
printf 'ratio doudi / DuckDB: %.2f\n' "$(echo "$total / $duck_s" | bc -l)"
