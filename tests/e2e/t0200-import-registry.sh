#!/usr/bin/env bash
# doudi import registry: counts, re-import, bad rows, GBK, XLSX, --strict.
. "$(dirname "$0")/lib.sh"
plan 41

A=$(id18 23030419500101001)   # H001 head
B=$(id18 23030419520202002)   # H001 spouse
C=$(id18 23030419400303003)   # H002 head (TK)
D=$(id18 23030419600404004)   # H003 head (household has 3-decimal money)
E=$(id18 23030419610505005)   # H004 head (bad date)
F=$(id18 23030419620606006)   # H005 head (region outside county)
G=$(id18 23030419630707007)   # H006 head, not listed as a member
H=$(id18 23030419640808008)   # H006 member
BAD=230304200101010010        # check digit wrong on purpose (kept, W16)
good_bad=$(id18 23030420010101001)
[ "$BAD" != "$good_bad" ] || BAD=${good_bad:0:17}9

cat >"$T/households.csv" <<CSV
household_no,region_code,address,head_id,hukou_type,categories,wage_income,medical_self_paid,recognized_on
H001,230304200201,金铁村1号,$A,农业,DB,12000,3000.5,2024-03-01
H002,230304001001,新华社区2号,$C,非农业,特困人员,0,0,
H003,230304200201,,$D,农业,BY,1.234,,
H004,230304200201,,$E,农业,DB,,,2025-02-30
H005,110105001001,,$F,农业,,,,
H006,230304200201,,$G,农业,DB,,,
CSV
cat >"$T/members.csv" <<CSV
户编号,姓名,证件号码,与户主关系,劳动技能,残疾等级
H001,张三,$A,户主,普通劳动力,
H001,李四,$B,配偶,丧失劳动力,二级
H001,王五,$BAD,子女,,
H002,赵六,$C,户主,无劳动力,1
H003,钱七,$D,户主,,
H004,孙八,$E,户主,,
H005,周九,$F,户主,,
H006,吴十,$H,子女,,
H001,郑一,230304199902301234,子女,,
H999,冯二,$(id18 23030419700101009),户主,,
CSV
cat >"$T/obligors.csv" <<CSV
household_no,name,relation,monthly_income,id_number
H002,陈某,侄子,2500,$(id18 23030419800101011)
CSV

"$DD" init --county 230304 >/dev/null 2>&1
out=$("$DD" import registry --households "$T/households.csv" --members "$T/members.csv" --obligors "$T/obligors.csv" 2>"$T/err"); rc=$?
is "import with bad rows exits 0 without --strict" "$rc" 0
is "import prints the counts" "$out" "households: 2, members: 4, rejected: 10"
check "households error file written" test -s "$T/households.csv.errors.csv"
check "members error file written" test -s "$T/members.csv.errors.csv"
check "no obligors error file when obligors are clean" test ! -e "$T/obligors.csv.errors.csv"
he=$(cat "$T/households.csv.errors.csv")
contains "error file header" "$he" "row,column,value,reason"
contains "3-decimal money names row 4 and the column" "$he" "4,wage_income,1.234"
contains "impossible date names row 5" "$he" "5,recognized_on,2025-02-30"
contains "region outside the county names row 6" "$he" "6,region_code,110105001001"
contains "head not a member names row 7" "$he" "7,head_id,$G"
me=$(cat "$T/members.csv.errors.csv")
contains "impossible birth date in an ID is rejected (row 10)" "$me" "10,id_number,230304199902301234"
contains "unknown household rejected (row 11)" "$me" "11,household_no,H999"
contains "member of a household rejected for its head goes too (row 9)" "$me" "9,household_no,H006"
stats=$("$DD" stats)
is "stats after import" "$stats" '{"households":2,"members":4,"by_category":{"TK":1,"DB":1,"BY":0,"GZ":0,"QT":0,"FP":0}}'

out=$("$DD" import registry --households "$T/households.csv" --members "$T/members.csv" --obligors "$T/obligors.csv" 2>"$T/err2")
is "re-import prints the same counts" "$out" "households: 2, members: 4, rejected: 10"
contains "re-import changes nothing" "$(cat "$T/err2")" "户：新增 0，更新 0，未变 2"
is "stats unchanged after re-import" "$("$DD" stats)" "$stats"

# GBK copies of the same files import identically
for f in households members obligors; do iconv -f UTF-8 -t GB18030 "$T/$f.csv" >"$T/gbk_$f.csv"; done
out=$("$DD" import registry --households "$T/gbk_households.csv" --members "$T/gbk_members.csv" --obligors "$T/gbk_obligors.csv" 2>"$T/err3")
is "GBK copy imports with the same counts" "$out" "households: 2, members: 4, rejected: 10"
contains "GBK copy is recognised as the same data" "$(cat "$T/err3")" "户：新增 0，更新 0，未变 2"
contains "GBK error file holds the Chinese reason in UTF-8" "$(cat "$T/gbk_members.csv.errors.csv")" "户编号不存在"

# XLSX copies (numbers stored as numbers, IDs as text) import identically
X=${CSV2XLSX:-$TOP/build/csv2xlsx}
$X "$T/households.csv" "$T/households.xlsx" -t head_id,household_no,region_code
$X "$T/members.csv" "$T/members.xlsx" -t 证件号码,户编号
out=$("$DD" import registry --households "$T/households.xlsx" --members "$T/members.xlsx" 2>"$T/err4")
is "XLSX copy imports with the same counts" "$out" "households: 2, members: 4, rejected: 10"
contains "XLSX copy is recognised as the same data" "$(cat "$T/err4")" "户：新增 0，更新 0，未变 2"
$X "$T/members.csv" "$T/members_num.xlsx" -t 户编号
"$DD" import registry --households "$T/households.xlsx" --members "$T/members_num.xlsx" >/dev/null 2>&1
contains "an ID stored as an XLSX number is rejected with the reason" "$(cat "$T/members_num.xlsx.errors.csv")" "15位"

# a member dropped from the file leaves the household (kept, not deleted) ...
grep -v "李四" "$T/members.csv" >"$T/members2.csv"
out=$("$DD" import registry --households "$T/households.csv" --members "$T/members2.csv" 2>"$T/err5")
is "import without one member" "$out" "households: 2, members: 3, rejected: 10"
contains "... but not while a member row of that household was rejected" "$(cat "$T/err5")" "离户 0"
grep -v "李四\|郑一" "$T/members.csv" >"$T/members3.csv"
out=$("$DD" import registry --households "$T/households.csv" --members "$T/members3.csv" 2>"$T/err6")
is "import without one member, no bad rows in its household" "$out" "households: 2, members: 3, rejected: 9"
contains "the missing member is marked as left" "$(cat "$T/err6")" "离户 1"
is "stats count current members only" "$("$DD" stats)" '{"households":2,"members":3,"by_category":{"TK":1,"DB":1,"BY":0,"GZ":0,"QT":0,"FP":0}}'
out=$("$DD" import registry --households "$T/households.csv" --members "$T/members.csv" 2>"$T/err7")
contains "a member who left and is listed again rejoins" "$(cat "$T/err7")" "更新 1"
is "stats after the rejoin" "$("$DD" stats)" "$stats"

# --strict: any bad row means nothing is written
"$DD" init --county 230304 --db "$T/strict.db" >/dev/null 2>&1
exit_is "--strict with bad rows exits 2" 2 "$DD" import registry --db "$T/strict.db" --strict --households "$T/households.csv" --members "$T/members.csv"
is "--strict wrote nothing" "$("$DD" stats --db "$T/strict.db")" '{"households":0,"members":0,"by_category":{"TK":0,"DB":0,"BY":0,"GZ":0,"QT":0,"FP":0}}'

# file-level problems: exit 2, nothing written, with or without --strict
printf 'household_no,region_code,head_id,hukou_type,colour\nH1,230304200201,%s,农业,red\n' "$A" >"$T/unknown.csv"
exit_is "an unknown column fails the import" 2 "$DD" import registry --db "$T/strict.db" --households "$T/unknown.csv" --members "$T/members.csv"
contains "the message names the unknown column" "$(cat "$T/.err")" "colour"
printf 'household_no,head_id,hukou_type\nH1,%s,农业\n' "$A" >"$T/missing.csv"
exit_is "a missing required column fails the import" 2 "$DD" import registry --db "$T/strict.db" --households "$T/missing.csv" --members "$T/members.csv"
contains "the message names the missing column" "$(cat "$T/.err")" "region_code"

# an unterminated quote is a file-level error naming the line: nothing written
cp "$T/households.csv" "$T/quote.csv"
printf 'H007,230304200201,"no end quote,%s,农业,DB,,,\n' "$A" >>"$T/quote.csv"
before=$("$DD" stats)
exit_is "an unterminated quote fails the import with exit 2" 2 "$DD" import registry --households "$T/quote.csv" --members "$T/members.csv"
contains "the message names the line of the quote" "$(cat "$T/.err")" "8"
is "nothing written after the unterminated quote" "$("$DD" stats)" "$before"

# a 10 MB field is a row error, not a crash; the other rows still import
{ head -3 "$T/households.csv"; printf 'H010,230304200201,'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf ',%s,农业,DB,,,\n' "$D"; } >"$T/big.csv"
out=$("$DD" import registry --households "$T/big.csv" --members "$T/members.csv" 2>"$T/err8"); rc=$?
is "a 10 MB field does not stop the import" "$rc" 0
contains "the oversized field is reported with its row" "$(cat "$T/big.csv.errors.csv")" "4,address"
done_testing
