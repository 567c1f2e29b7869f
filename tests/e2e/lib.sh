# lib.sh - sourced by every end-to-end test (tests/e2e/tNNNN-*.sh).
#
# Prints TAP: call `plan N` first, then `ok COND-EXIT "text"` style helpers.
# $DD is the doudi binary under test ($DOUDI_BIN, default ./doudi); $T is a
# scratch directory removed on exit; DOUDI_DB points into it.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DD=${DOUDI_BIN:-$TOP/doudi}
T=$(mktemp -d "${TMPDIR:-/tmp}/doudi-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
export DOUDI_DB=$T/doudi.db
export DOUDI_USER=e2e
_n=0
_failed=0
_plan=

plan() { _plan=$1; echo "1..$1"; }

# pass "text" / fail "text" "details"
pass() { _n=$((_n + 1)); echo "ok $_n - $1"; }
fail() {
	_n=$((_n + 1)); _failed=$((_failed + 1))
	echo "not ok $_n - $1"
	[ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/#   /'
	return 0
}

# check "text" COMMAND...: ok when the command succeeds
check() {
	local text=$1; shift
	local out
	if out=$("$@" 2>&1); then pass "$text"; else fail "$text" "$out"; fi
}

# is "text" GOT WANT
is() {
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got:  $2
want: $3"; fi
}

# exit_is "text" CODE COMMAND...: the command exits with CODE
exit_is() {
	local text=$1 want=$2; shift 2
	"$@" >"$T/.out" 2>"$T/.err"
	local got=$?
	if [ "$got" -eq "$want" ]; then pass "$text"; else fail "$text" "exit $got, want $want; stderr: $(head -c 600 "$T/.err")"; fi
}

# contains "text" HAYSTACK NEEDLE
contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "'$3' not in: $(printf '%s' "$2" | head -c 600)" ;;
	esac
}

# Valid 18-digit ID from 17 digits (GB 11643 check digit).
id18() {
	local s=$1 sum=0 i
	local w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
	for i in $(seq 0 16); do sum=$((sum + ${s:$i:1} * ${w[$i]})); done
	local c="10X98765432"
	echo "$s${c:$((sum % 11)):1}"
}

# The last line of every test: fails when a check failed or the plan's count was not run.
done_testing() {
	if [ -n "$_plan" ] && [ "$_n" -ne "$_plan" ]; then
		echo "# planned $_plan checks, ran $_n"
		return 1
	fi
	[ "$_failed" -eq 0 ]
}
