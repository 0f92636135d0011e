#!/usr/bin/env bash
# ctis link from the command line: lists in Latin and Khmer script linked
# into persons, the overlap table, review and decisions, explain, the
# encoded mode, bad input (FILE:LINE: field 'NAME': reason, no output).
. "$(dirname "$0")/../lib.sh"

cat >police.csv <<'EOF'
record_id,given_name,family_name,sex,birth_date,home_province,place,phone
p1,Sokha,Chan,F,1990-04-07,KH-12,Prey Veng,012345678
p2,Dara,Kim,M,1985-01-20,KH-3,Tuol Kouk,
p3,Srey Mom,Heng,F,1992,KH-14,,
p4,Visal,Ly,M,1979-11-02,KH-2,,
p5,Bopha,Meas,F,2001-06-15,KH-8,Ta Veal,
EOF
cat >ngo.csv <<'EOF'
record_id,full_name,sex,birth_date,age,age_at,home_province,place
n1,Sok Kha Chann,female,1990-07-04,,,KH-12,Prey Veng
n2,Heng Sreymom,female,,15,2008-03-01,KH-14,
n3,Sophal Prak,male,1970-02-02,,,KH-5,
n4,Bopha Meas,female,2001-06,,,KH-8,Ta Veal
EOF
cat >ministry.csv <<'EOF'
record_id,given_name_km,family_name_km,sex,birth_year,home_province
m1,សុខា,ចាន់,female,1990,KH-12
m2,ដារ៉ា,គីម,male,1985,KH-3
m3,សុផល,ប្រាក់,male,1970,KH-5
EOF

check "link three lists" $CTIS link --input police.csv --input ngo.csv \
    --input ministry.csv --output clusters.csv --overlap overlap.csv \
    --review review.csv --no-progress
check_eq "clusters header" "list,record_id,cluster_id,match_weight" \
    "$(head -1 clusters.csv)"
check_eq "one row per record" 12 "$(($(wc -l <clusters.csv) - 1))"
cid() { awk -F, -v l="$1" -v i="$2" '$1 == l && $2 == i { print $3 }' clusters.csv; }
check_eq "Latin spellings and Khmer script meet" \
    "$(cid police p1) $(cid police p1)" "$(cid ngo n1) $(cid ministry m1)"
check_eq "swapped and joined names meet" "$(cid police p3)" "$(cid ngo n2)"
check_eq "partial date meets" "$(cid police p5)" "$(cid ngo n4)"
check "different persons stay apart" test "$(cid police p1)" != "$(cid police p2)"
check_eq "overlap header" "police,ngo,ministry,count" "$(head -1 overlap.csv)"
check_eq "overlap counts every person once" \
    "$(tail -n +2 clusters.csv | cut -d, -f3 | sort -u | wc -l)" \
    "$(awk -F, 'NR > 1 { n += $NF } END { print n + 0 }' overlap.csv)"
check_eq "review header" \
    "list_a,record_id_a,list_b,record_id_b,match_weight,match_probability,decision" \
    "$(head -1 review.csv)"

# explain: levels and weights, no values
check "explain a pair" sh -c "$CTIS link explain police:p1 ministry:m1 \
    --input police.csv --input ngo.csv --input ministry.csv >explain.txt"
check "explain names the fields" grep -q "given_name" explain.txt
check "explain shows no name" sh -c '! grep -qi sokha explain.txt'

# decisions: a reviewer keeps p1 and n1 apart
printf 'list_a,record_id_a,list_b,record_id_b,match_weight,match_probability,decision\npolice,p1,ngo,n1,,,non_match\n' >decisions.csv
check "link with decisions" $CTIS link --input police.csv --input ngo.csv \
    --input ministry.csv --output c2.csv --decisions decisions.csv
check "a non-match decision keeps records apart" test \
    "$(awk -F, '$2 == "p1" { print $3 }' c2.csv)" != \
    "$(awk -F, '$2 == "n1" { print $3 }' c2.csv)"
printf 'list_a,record_id_a,list_b,record_id_b,match_weight,match_probability,decision\npolice,p1,ngo,zz,,,match\n' >bad_decisions.csv
check_fails "a decision on an unknown record fails" $CTIS link \
    --input police.csv --input ngo.csv --output c3.csv \
    --decisions bad_decisions.csv
check "and writes nothing" test ! -e c3.csv

# --map renames columns
cat >other.csv <<'EOF'
id,first,last,dob
x1,Sokha,Chan,1990-04-07
x2,Dara,Kim,1985-01-20
EOF
check "map columns" $CTIS link --input police.csv --input other.csv \
    --map record_id=id,given_name=first,family_name=last,birth_date=dob \
    --output c4.csv
check_eq "mapped lists meet" "$(awk -F, '$2 == "p1" { print $3 }' c4.csv)" \
    "$(awk -F, '$2 == "x1" { print $3 }' c4.csv)"
check_fails "unknown field in map" $CTIS link --input police.csv \
    --map nickname=x --output c5.csv

# the encoded mode
head -c 32 /dev/urandom >secret.key
check "encode police" $CTIS link encode --secret-file secret.key \
    --input police.csv --output police.clk
check "encode ngo" $CTIS link encode --secret-file secret.key \
    --input ngo.csv --output ngo.clk
check "encode ministry" $CTIS link encode --secret-file secret.key \
    --input ministry.csv --output ministry.clk
check "encodings hold no name" sh -c '! grep -qi -e sokha -e chan police.clk'
check "link encodings" $CTIS link --input police.clk --input ngo.clk \
    --input ministry.clk --output cclk.csv
check_eq "encoded: one row per record" 12 "$(($(wc -l <cclk.csv) - 1))"
check_eq "the filter's column names its version" "list,record_id,clk_v2" \
    "$(head -1 police.clk | cut -d, -f1-3)"
# a file of the first filter layout (column 'clk') is refused, not compared
# with the new one (the birth words differ)
sed '1s/,clk_v2,/,clk,/' police.clk >old.clk
check_bad_input "an encoding of version 1 is refused" 3 old.clk 1 \
    $CTIS link --input old.clk --input ngo.clk --output old.csv
check "its message says to encode again" grep -q "encode every list again" \
    "$T/.bad"
check_fails "and nothing is written" test -e old.csv
check_fails "clear and encoded cannot mix" $CTIS link --input police.csv \
    --input ngo.clk --output mix.csv
check_fails "encode needs a secret of 16 bytes" sh -c \
    "printf short >short.key; $CTIS link encode --secret-file short.key \
     --input police.csv --output p.clk"

# bad input: the message names file, line and field; no output file
bad() { # bad NAME EXPECTED-MESSAGE CSV-CONTENT
    local line=${2#bad.csv:}
    printf '%s' "$3" >bad.csv
    rm -f out.csv
    check_bad_input "$1: exit 3, the line, no value" 3 bad.csv "${line%%:*}" \
        $CTIS link --input police.csv --input bad.csv --output out.csv
    cp "$T/.bad" bad.out
    if grep -qF "$2" bad.out && [ ! -e out.csv ]; then
        ok "$1"
    else
        not_ok "$1 (status $rc)"
        sed 's/^/#   /' bad.out
    fi
}
bad "missing record_id column" "bad.csv:1: field 'record_id': missing column" \
    $'given_name\nSokha\n'
bad "missing record_id" "bad.csv:3: field 'record_id': missing" \
    $'record_id,given_name\nb1,Sokha\n,Dara\n'
bad "duplicate id in a list" "bad.csv:3: field 'record_id': duplicate id in list 'bad'" \
    $'record_id,given_name\nb1,Sokha\nb1,Dara\n'
bad "broken UTF-8" "bad.csv:2: " \
    $'record_id,given_name\nb1,So\xffkha\n'
bad "malformed date" "bad.csv:2: field 'birth_date': not a date" \
    $'record_id,birth_date\nb1,1990-13-01\n'
check "bad input does not echo the value" sh -c '! grep -q 1990-13 bad.out'
check_fails "no inputs" $CTIS link --output x.csv

# --truth-column: pairwise precision and recall against a truth column
cat >ta.csv <<'EOF'
record_id,given_name,family_name,birth_date,home_province,person
a1,Sokha,Chan,1990-04-07,KH-12,1
a2,Dara,Kim,1985-01-20,KH-3,2
a3,Vichet,Meas,1979-11-02,KH-2,3
EOF
cat >tb.csv <<'EOF'
record_id,given_name,family_name,birth_date,home_province,person
b1,Sok Kha,Chann,1990-04-07,KH-12,1
b2,DARA,KIM,1985-01-20,KH-3,2
b3,Vichit,Meah,1979-11-02,KH-2,3
b4,Bopha,Heng,2001-06-15,KH-8,
EOF
check "link with a truth column" sh -c "$CTIS link --input ta.csv \
    --input tb.csv --output tc.csv --truth-column person --no-progress \
    2>tc.err"
check "precision and recall printed" grep -qE \
    "against 'person': precision [01][.][0-9]{4}, recall [01][.][0-9]{4}, F1 [01][.][0-9]{4} [(]3 true pairs, [0-9]+ found, [0-9]+ correct[)]" \
    tc.err
check_fails "a missing truth column" $CTIS link --input ta.csv \
    --output td.csv --truth-column nosuch --no-progress
check "the missing column named" sh -c "$CTIS link --input ta.csv \
    --output td.csv --truth-column nosuch --no-progress 2>&1 | \
    grep -q \"ta.csv:1: field 'nosuch': missing column\""
check_fails "truth column with --from-db" $CTIS link --from-db \
    --output td.csv --truth-column person
check "help" $CTIS link --help

# --from-db: the persons of the store, one list per agency
if $CTIS --db demo.db demo >/dev/null 2>&1; then
    check "link the store" $CTIS --db demo.db link --from-db \
        --output db.csv --overlap dbo.csv --overlap-lists 0 --no-progress
    check "one row per case" test "$(wc -l <db.csv)" -gt 100
    check "an overlap column per agency" test \
        "$(head -1 dbo.csv | tr ',' '\n' | wc -l)" -gt 64
else
    not_ok "demo database"
fi
check_fails "from-db without a database" $CTIS --db missing.db link \
    --from-db --output db2.csv

# fake_1000 (Splink's example data, ../shared/data/linkage) as published:
# 8 of its birth dates are after today; the list must still be linked,
# and well (issue 10 asks F1 >= 0.97; this floor only catches a collapse).
F=$CTIS_SRC/../shared/data/linkage/fake_1000.csv
if [ -f "$F" ]; then
    $CTIS link --input "$F" --output fake.csv --no-progress \
        --map record_id=unique_id,given_name=first_name,family_name=surname,birth_date=dob,place=city,email=email \
        --truth-column cluster >fake.out 2>&1
    check_eq "fake_1000 as published is linked" 0 "$?"
    f1=$(sed -n 's/.*F1 \([0-9.]*\).*/\1/p' fake.out)
    check "fake_1000 F1 ($f1) at least 0.95" awk -v f="${f1:-0}" 'BEGIN { exit !(f >= 0.95) }'
else
    echo "# fake_1000 not beside the clone: not linked"
fi
