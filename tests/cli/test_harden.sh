#!/usr/bin/env bash
# Hardening (issue 9): every bad input refused cleanly by the one rule of
# check_bad_input (status, FILE:LINE, no value of the line, no sanitizer
# report); no secret in any output; files created owner-only and never
# through a planted name; safe defaults; input as people write it.
source "$(dirname "$0")/../lib.sh"
B="$CTIS_SRC/tests/data/bad"
cp "$B"/* .
umask 022

# ---- values never in messages --------------------------------------------
check_bad_input "a CSV without its header row: no cell quoted" 3 no_header.csv 1 \
    "$CTIS" --db v.db import no_header.csv
check "it says the header may be missing" grep -q "header row missing" "$T/.bad"
check_bad_input "an unknown JSON key is not quoted" 3 unknown_key.jsonl 2 \
    "$CTIS" --db v.db import unknown_key.jsonl
check "it names the object and the key's place" grep -q "field 'person': key 1 is not a known field" "$T/.bad"
check_bad_input "a repeated key is named as such" 3 duplicate_key.jsonl 1 \
    "$CTIS" --db v.db import duplicate_key.jsonl
check "not 'not valid JSON'" grep -q "repeats a key" "$T/.bad"
check_bad_input "a NUL in a key is refused (as jansson does)" 3 nul_key.jsonl 1 \
    "$CTIS" --db v.db import nul_key.jsonl

# ---- limits --------------------------------------------------------------
check_bad_input "an identification dated 2099 is refused" 3 future_date.jsonl 2 \
    "$CTIS" --db v.db import future_date.jsonl
check "with its field" grep -q "field 'events\[0\].date': is in the future" "$T/.bad"
check_bad_input "a ragged CSV row is refused on import" 3 ragged_row.csv 2 \
    "$CTIS" --db v.db import ragged_row.csv
check_bad_input "an empty first cell: a clean error, no UB" 3 empty_first_cell.csv 1 \
    "$CTIS" --db v.db import empty_first_cell.csv
check_bad_input "an unterminated quote" 3 unterminated_quote.csv 2 \
    "$CTIS" --db v.db import unterminated_quote.csv
python3 -c "
import sys
sys.stdout.write('record_id,given_name\n')
sys.stdout.write('b1,' + 'x' * 60000 + (',' + 'y' * 60000) * 20 + '\n')" >huge.csv
check_bad_input "a record over 1 MiB is refused naming its line" 3 huge.csv 2 \
    "$CTIS" link --input huge.csv --output huge_out.csv
check "the bound is said" grep -q "record is longer than 1048576 bytes" "$T/.bad"
check "no output" test ! -e huge_out.csv

# ---- input as people write it ---------------------------------------------
printf '\xef\xbb\xbf{"type":"agency","id":"ngo-1","name":"First","kind":"ngo"}\n' >bom.jsonl
check "a JSON Lines file with a byte-order mark" "$CTIS" --db p.db import bom.jsonl
printf 'id;agency;sex;exploitation;home_province;repatriation_from;repatriation_to;repatriation_date;repatriation_official\nC-1;ngo-1;Female;Sexual;Prey Veng;th;KH;2008-03-01;YES\nC-2;ngo-1;MALE;Forced Labour;ព្រៃវែង;TH;KH;2008-03-02;no\nC-3;ngo-1;female;sexual;Kompong Cham;TH;KH;2008-03-03;1\nC-4;ngo-1;female;sexual;Siemreap;TH;KH;2008-03-04;False\nC-5;ngo-1;female;sexual;Sihanoukville;TH;KH;2008-03-05;true\n' >UP.CSV
check "a ';' CSV named UP.CSV, codes and provinces as people write them" \
    "$CTIS" --db p.db import UP.CSV
"$CTIS" --db p.db export --format csv >p.csv
check "provinces kept as ISO codes" sh -c "grep -c 'KH-14' p.csv | grep -qx 2 && grep -q KH-3 p.csv && grep -q KH-17 p.csv && grep -q KH-18 p.csv"
check "codes kept canonical" sh -c "grep -q ',female,' p.csv && grep -q 'forced_labour' p.csv && ! grep -q Sexual p.csv"
check "official yes/no/1/false/true read" sh -c "test \$(grep -c ',true' p.csv) -eq 3"
printf 'id\tagency\tsex\nC-6\tngo-1\tfemale\n' >tab.csv
check "a tab-separated CSV" "$CTIS" --db p.db import tab.csv
check_bad_input "a bad code lists the allowed ones" 3 bad_code.csv 2 \
    "$CTIS" --db p.db import bad_code.csv
check "the allowed codes" grep -q "must be one of: unknown, female, male, other" "$T/.bad"
check_bad_input "a bad province says what a province may be" 3 bad_province.csv 2 \
    "$CTIS" --db p.db import bad_province.csv
check "the allowed forms" grep -q "ISO code KH-1 to KH-25, or its name in Latin or Khmer" "$T/.bad"
check_bad_input "a bad boolean lists the allowed spellings" 3 bad_boolean.csv 2 \
    "$CTIS" --db p.db import bad_boolean.csv
check "true, false, yes, no, 1 or 0" grep -q "true, false, yes, no, 1 or 0" "$T/.bad"
"$CTIS" --db p.db case event C-1 repatriation 2008-05-01 from_country=th to_country=kh official=maybe >ev.out 2>&1
check_eq "case event: a bad value exits 2" 2 "$?"
check "it names the option and lists the values, not 'bad event option'" \
    sh -c "grep -q \"event option 'official' must be true, false, yes, no, 1 or 0\" ev.out && ! grep -q maybe ev.out"
"$CTIS" --db p.db case event C-1 officialvisit 2008-05-01 >ev.out 2>&1
check_eq "case event: an unknown type exits 2" 2 "$?"
check "the event types are listed" grep -q "TYPE must be one of: identification, rescue" ev.out
check "case event with values as people type them" \
    "$CTIS" --db p.db case event C-1 referral 2008-05-02 to=NGO official=Yes

# link: provinces written three ways agree
cat >la.csv <<'L'
record_id,given_name,family_name,birth_date,home_province
a1,Sokha,Chan,1990-04-07,ព្រៃវែង
a2,Dara,Kim,1985-01-20,Kompong Cham
L
cat >lb.csv <<'L'
record_id,given_name,family_name,birth_date,home_province
b1,Sokha,Chan,1990-04-07,KH-14
b2,Dara,Kim,1985-01-20,KH-3
L
"$CTIS" link --input la.csv --input lb.csv --output lo.csv --no-progress >/dev/null 2>&1
"$CTIS" link explain la:a1 lb:b1 --input la.csv --input lb.csv >ex1.txt 2>&1
"$CTIS" link explain la:a2 lb:b2 --input la.csv --input lb.csv >ex2.txt 2>&1
# explain prints: field, level (0 = agree), m, u, weight
check "link: the Khmer name and KH-14 agree" sh -c "awk '\$1 == \"home_province\" && \$2 == 0' ex1.txt | grep -q ."
check "link: Kompong Cham and KH-3 agree" sh -c "awk '\$1 == \"home_province\" && \$2 == 0' ex2.txt | grep -q ."

# ---- link and estimate: every bad line, ragged rows -----------------------
check_bad_input "link: a ragged row is refused" 3 link_ragged.csv 3 \
    "$CTIS" link --input la.csv --input link_ragged.csv --output r.csv
check "link: and the short row too" grep -q "link_ragged.csv:4: 2 fields where the header has 3" "$T/.bad"
check "link: no output" test ! -e r.csv
check_bad_input "link: every bad line is reported" 3 link_bad_lines.csv - \
    "$CTIS" link --input la.csv --input link_bad_lines.csv --output r.csv
check "link: line 2 (a malformed year) and line 3 (month 13) both" \
    sh -c "grep -q 'link_bad_lines.csv:2: ' '$T/.bad' && grep -q 'link_bad_lines.csv:3: ' '$T/.bad' && grep -q '2 invalid line' '$T/.bad'"
# A birth date after tomorrow on another agency's list (fake_1000 has 8)
# is a typing mistake in one field: the list is linked, that record with
# its birth unknown, and the warning names the first line, not the value.
printf 'record_id,given_name,birth_date\nf1,Sokhalina,2099-04-02\nf2,Sokhalina,1991-04-02\nf3,Chanthy,2031-01-01\n' >link_future.csv
"$CTIS" link --input la.csv --input link_future.csv --output fut.csv --no-progress >fut.out 2>&1
check_eq "link: birth dates after tomorrow do not refuse the list" 0 "$?"
check "link: the warning names the first line and the count" \
    grep -q "link_future.csv:2: a birth date after tomorrow; 2 such record(s)" fut.out
check "link: no value in the warning" sh -c "! grep -q 2099 fut.out && ! grep -q Sokhalina fut.out"
check "link: every record is in the clusters" sh -c "grep -q 'f1' fut.csv && grep -q 'f3' fut.csv"
printf 'record_id,given_name,birth_year\ny1,Sokhalina,2090\n' >link_future_year.csv
"$CTIS" link --input la.csv --input link_future_year.csv --output futy.csv --no-progress >futy.out 2>&1
check "link: a birth year after next year is set aside too" \
    grep -q "link_future_year.csv:2: a birth date after tomorrow; 1 such" futy.out
check_bad_input "a .clk with a ragged row" 3 ragged.clk 2 \
    "$CTIS" link --input ragged.clk --input ragged.clk --output r.csv
check_bad_input "estimate: every bad line is reported" 3 overlap_bad_lines.csv - \
    "$CTIS" estimate --input overlap_bad_lines.csv
check "estimate: lines 2, 4 and 7" sh -c "grep -q 'overlap_bad_lines.csv:2:' '$T/.bad' && grep -q 'overlap_bad_lines.csv:4:' '$T/.bad' && grep -q 'overlap_bad_lines.csv:7:' '$T/.bad'"
printf 'A,B,C,count\n1,0,0,30\n0,1,0,25\n0,0,1,20\n1,1,0,8\n1,0,1,6\n0,1,1,5\n1,1,1,2\n' >ov.csv
"$CTIS" estimate --input ov.csv --model A:B,A:B >m.out 2>&1
check_eq "estimate --model A:B,A:B is a usage error" 2 "$?"
check "it says the term is given twice" grep -q "given twice" m.out
cat >police.csv <<'L'
record_id,given_name,family_name,birth_date
p1,Sokha,Chan,1990-04-07
L
cat >ngo.csv <<'L'
record_id,given_name,family_name,birth_date
n1,Sokha,Chan,1990-04-07
L
check_bad_input "contradictory --decisions are refused" 3 decisions_contradict.csv 3 \
    "$CTIS" link --input police.csv --input ngo.csv --output d.csv --decisions decisions_contradict.csv
col=$(printf 'c%.0s' $(seq 1 200))
"$CTIS" link --input police.csv --input ngo.csv --output d.csv --map "given_name=$col" >m.out 2>&1
check_eq "a --map column over 127 bytes is refused, not cut" 2 "$?"
printf 'record_id,given_name,family_name,birth_date\nq1,Vuthy,Sam,1970-02-03\n' >other.csv
check "no qsort(NULL) when no pair is accepted (the UBSan build aborts)" \
    "$CTIS" link --input police.csv --input other.csv --output q.csv --no-progress

# link --from-db --save: the store first, the files after. Killed (-9) at
# points spread over its run, it must never leave an output file while
# the store holds no links (files describing links the database does not
# have); each time the store is emptied of links again.
"$CTIS" --db lock.db demo >/dev/null 2>&1
start=$(date +%s%N)
"$CTIS" --db lock.db link --from-db --save --output sv.csv --overlap svo.csv \
    --no-progress >/dev/null 2>&1
full_ms=$((($(date +%s%N) - start) / 1000000))
check "link --from-db --save runs" test -s sv.csv
bad=0
for step in 1 2 3 4 5 6 7 8 9 10 11 12; do
    rm -f sv.csv svo.csv .sv*.tmp .svo*.tmp
    sqlite3 lock.db 'delete from person_link' 2>/dev/null
    "$CTIS" --db lock.db link --from-db --save --output sv.csv \
        --overlap svo.csv --no-progress >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v t="$full_ms" -v s="$step" 'BEGIN { printf "%.3f", t * s / 12000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    links=$(sqlite3 lock.db 'select count(*) from person_link' 2>/dev/null || echo 0)
    if { [ -e sv.csv ] || [ -e svo.csv ]; } && [ "$links" = 0 ]; then
        bad=$((bad + 1))
    fi
done
check_eq "killed at 12 points: never an output without the saved links" 0 "$bad"

# ---- safe defaults -----------------------------------------------------------
check "demo into an empty database" "$CTIS" --db demo.db demo
"$CTIS" --db p.db demo >d.out 2>&1
check_eq "demo refuses a database that holds records" 1 "$?"
check "and says so" grep -q "already holds" d.out
check_eq "the real cases are still there" 6 "$(sqlite3 p.db 'select count(*) from cases')"
"$CTIS" --db demo.db report --public --k 0 >k.out 2>&1
check_eq "report --public --k 0 is refused" 2 "$?"
"$CTIS" --db demo.db report --k 0 --public >k.out 2>&1
check_eq "in either order" 2 "$?"
"$CTIS" --db demo.db report --public --k 4 >k.out 2>&1
check_eq "--k 4 refused for public output" 2 "$?"
check_eq "--public --k 7 still uses k 11" 11 \
    "$("$CTIS" --db demo.db report --public --k 7 | python3 -c 'import json,sys; print(json.load(sys.stdin)["disclosure"]["k"])')"
check_eq "--public --k 20 uses k 20" 20 \
    "$("$CTIS" --db demo.db report --k 20 --public | python3 -c 'import json,sys; print(json.load(sys.stdin)["disclosure"]["k"])')"
check "no year-0 row: cases without an identification date are 'unknown'" \
    sh -c "'$CTIS' --db p.db report --format md | grep -q '^| unknown (no identification date) |' && ! '$CTIS' --db p.db report | grep -q '\"year\": 0'"
cp bad_code.csv in.csv
"$CTIS" --db p.db import --skip-invalid in.csv in.csv >s.out 2>&1
check_eq "--skip-invalid X X is refused" 2 "$?"
check "the input is untouched" cmp in.csv bad_code.csv
"$CTIS" --db p.db export --output p.db >s.out 2>&1
check_eq "export --output naming the database is refused" 2 "$?"
check "the database is untouched" "$CTIS" --db p.db case show C-1
"$CTIS" link --input police.csv --input ngo.csv --output ngo.csv >s.out 2>&1
check_eq "link --output naming an input is refused" 2 "$?"
check "the input is untouched" grep -q '^n1,Sokha' ngo.csv
mkfifo fifo
cat fifo >fifo.jsonl &
"$CTIS" --db demo.db export --output fifo
wait
check "an output that is a pipe is written to, not replaced" sh -c "test -p fifo && test -s fifo.jsonl"
"$CTIS" --db demo.db export --output - >dash.jsonl 2>/dev/null
check "--output - is standard output" sh -c "test -s dash.jsonl && test ! -e ./-"

# ---- secrets ------------------------------------------------------------------
for url in 'postgresql://alice:S3cret%zzPW@127.0.0.1/ctis' 'postgresql://u:S3cretPW@[::1/ctis' \
    'postgresql://u@127.0.0.1/ctis?password=S3cretPW'; do
    "$CTIS" --db "$url" report >sec.out 2>&1
    check_eq "a password in --db is refused ($url)" 2 "$?"
    check "no password in the message" sh -c "! grep -q S3cret sec.out"
    CTIS_DB=$url "$CTIS" report >sec.out 2>&1
    check "CTIS_DB: no password in any message" sh -c "! grep -q S3cret sec.out"
    "$CTIS" migrate --from demo.db --to "$url" >sec.out 2>&1
    check_eq "a password in migrate --to is refused" 2 "$?"
    check "no password in the migrate message" sh -c "! grep -q S3cret sec.out"
done
mkdir -p cfg
printf 'db = %s\n' "$T/demo.db" >cfg/config
chmod 644 cfg/config
CTIS_CONFIG=$T/cfg/config "$CTIS" case list --limit 1 >c.out 2>&1
check_eq "a config file others may read is refused" 2 "$?"
chmod 600 cfg/config
check "an owner-only config file names the database" sh -c "CTIS_CONFIG='$T/cfg/config' '$CTIS' case list --limit 1 | grep -q '^C-'"

# ---- files owner-only whatever the umask ---------------------------------------
umask 000
rm -f m.db m.db-wal m.db-shm
"$CTIS" --db m.db demo >/dev/null 2>&1
"$CTIS" --db m.db export --output m.jsonl
"$CTIS" --db m.db report --output m.html --format html
cp bad_code.csv b2.csv
"$CTIS" --db m.db import --skip-invalid m.rej b2.csv >/dev/null 2>&1
"$CTIS" link --input police.csv --input ngo.csv --output mo.csv --overlap mov.csv --review mr.csv >/dev/null 2>&1
head -c 32 /dev/urandom >key
chmod 600 key
"$CTIS" link encode --secret-file key --input police.csv --output m.clk >/dev/null 2>&1
# SQLite gives -wal and -shm the database file's mode; they exist while
# a connection is open.
(echo 'select count(*) from cases;'; sleep 2) | sqlite3 m.db >/dev/null 2>&1 &
sleep 1
for f in m.db-wal m.db-shm; do
    check_eq "umask 000: $f is 0600" 600 "$(stat -c %a "$f" 2>&1)"
done
wait
for f in m.db m.jsonl m.html m.rej mo.csv mov.csv mr.csv m.clk; do
    check_eq "umask 000: $f is 0600" 600 "$(stat -c %a "$f" 2>&1)"
done
umask 022
# (the link killed above left its staged files, .sv.csv.*.tmp: a kill -9
# cannot remove them)
check "no temporary file left" sh -c "! ls -a | grep -v '^\.svo*\.csv\.' | grep -q '\.tmp$'"
