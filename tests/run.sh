#!/usr/bin/env bash
# tests/run.sh UNIT_BIN... - runs the unit tests (cmocka, TAP output) and the
# end-to-end tests (tests/e2e/t*.sh, TAP), then the short fuzz runs, and
# prints one closing line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export DOUDI_BIN="${DOUDI_BIN:-$PWD/build/asan/doudi}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
passed=0 failed=0
failures=()
log=build/test-logs
mkdir -p "$log"

count() { # name, output file, exit code
	local name=$1 out=$2 rc=$3 ok nok
	ok=$(grep -cE '^ok ' "$out")
	nok=$(grep -cE '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then nok=1; fi
	if [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then nok=1; echo "$name: ran no test" >>"$out"; fi
	passed=$((passed + ok)); failed=$((failed + nok))
	if [ "$nok" -gt 0 ]; then
		failures+=("$name"); echo "FAIL $name ($ok ok, $nok not ok) — log: $out"
		grep -E '^not ok |ERROR|error|FAIL' "$out" | head -20 | sed 's/^/    /'
	else
		echo "ok   $name ($ok)"
	fi
}

for t in "$@"; do
	name=unit/${t#build/asan/unit/}
	out=$log/$(echo "$name" | tr / _).log
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out" 2>&1; rc=$?
	count "$name" "$out" $rc
done

for t in tests/e2e/t[0-9]*.sh; do
	[ -e "$t" ] || continue
	name=e2e/$(basename "$t" .sh)
	out=$log/$(basename "$t" .sh).log
	bash "$t" >"$out" 2>&1; rc=$?
	count "$name" "$out" $rc
done

for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f"); out=$log/$n.log
	mkdir -p "build/fuzz/corpus-$n"
	"$f" -artifact_prefix=build/fuzz/ -max_total_time="${FUZZ_SMOKE_SECONDS:-20}" -max_len=65536 "build/fuzz/corpus-$n" "tests/fuzz/seeds/${n#fuzz_}" >"$out" 2>&1; rc=$?
	if [ $rc -eq 0 ]; then echo "ok 1 $n" >>"$out"; else echo "not ok 1 $n" >>"$out"; fi
	count "fuzz/$n" "$out" $rc
done

echo
[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
