#!/usr/bin/env bash
# doudi init, the stored policy, policy load / show, usage errors.
. "$(dirname "$0")/lib.sh"
plan 16

out=$("$DD" init --county 230304 2>"$T/err"); rc=$?
is "init exits 0" "$rc" 0
is "init prints the database path" "$out" "$DOUDI_DB"
check "policy.ini written beside the database" test -s "$T/policy.ini"
contains "policy.ini names the county" "$(cat "$T/policy.ini")" "name = 滴道区"
for k in dibao_urban_month dibao_rural_month disposable_income_urban disposable_income_rural \
	fin_assets_limit vehicle_limit fp_line edge_percent rigid_percent employment_cost_month \
	tk_age tk_minor_age tk_income_months obligor_line_factor gz_valid_months notice_days \
	dispatch_deadline_days payment_due_day; do
	grep -q "^$k = " "$T/policy.ini" || missing="${missing:-} $k"
done
is "policy.ini has every FORMATS.md §4 key" "${missing:-}" ""
is "policy.ini has all 18 rule sections" "$(grep -c '^\[rule\.W' "$T/policy.ini")" 18
exit_is "init again on an existing database is refused" 1 "$DD" init --county 230304
exit_is "init with a non-county code is a usage error" 1 "$DD" init --county 230304200 --db "$T/other.db"
exit_is "init with an unknown code is a usage error" 1 "$DD" init --county 999999 --db "$T/other.db"
exit_is "stats before init names init" 4 "$DD" stats --db "$T/none.db"
contains "stats before init tells the user to run init" "$(cat "$T/.err")" "doudi init"

sed 's/^rigid_percent = 60 /rigid_percent = 70 /' "$T/policy.ini" >"$T/p70.ini"
out=$("$DD" policy load "$T/p70.ini" 2>&1); rc=$?
is "policy load of an edited file exits 0" "$rc" 0
contains "policy show shows the loaded value" "$("$DD" policy show)" "rigid_percent = 70"
printf '[assess]\nrigid_percent = 170\n' >"$T/bad.ini"
exit_is "a bad policy file is refused with exit 2" 2 "$DD" policy load "$T/bad.ini"
contains "the refusal names the key" "$(cat "$T/.err")" "rigid_percent"
contains "the stored policy is unchanged after a refused load" "$("$DD" policy show)" "rigid_percent = 70"
done_testing
