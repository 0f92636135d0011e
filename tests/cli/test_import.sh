# ctis import and export on real SQLite files: round trip, all or nothing,
# --skip-invalid, re-import idempotence, references in any order, CSV,
# the --db option before and after the command, problems without values.
. "$(dirname "$0")/../lib.sh"
S=$CTIS_SRC/fuzz/corpus/jsonl
cat "$S/agency.json" "$S/case.json" "$S/criminal.json" "$S/activity.json" \
    "$S/instrument.json" > all.jsonl

check "init creates a database" "$CTIS" --db a.db init
check "import all record types" "$CTIS" --db a.db import all.jsonl
"$CTIS" --db a.db export > out.jsonl
check "export is byte-identical to the import" cmp all.jsonl out.jsonl
check "--db after the command" "$CTIS" export --db a.db --output out2.jsonl
check "export --output writes the file" cmp all.jsonl out2.jsonl
CTIS_DB=a.db "$CTIS" export > out3.jsonl
check "CTIS_DB names the database" cmp all.jsonl out3.jsonl

# Re-import: same ids update, never duplicate.
check "re-import succeeds" "$CTIS" --db a.db import all.jsonl
n=$(sqlite3 a.db "select count(*) from cases; select count(*) from event;" | tr '\n' ' ')
check_eq "re-import leaves one case, four events" "1 4 " "$n"
sed 's/"status":"closed"/"status":"follow_up"/' "$S/case.json" > upd.jsonl
check "import of a changed case" "$CTIS" --db a.db import upd.jsonl
"$CTIS" --db a.db case show C-1 > show.txt
check "the case now holds the new status" grep -q '"status":"follow_up"' show.txt

# All or nothing: one bad line among good ones writes nothing.
cat > mixed.jsonl <<'J'
{"type":"agency","id":"ngo-2","name":"Second","kind":"ngo"}
{"type":"case","id":"C-2","agency":"ngo-2","person":{"given_name":"Secretname","birth_date":"1990-02-30"}}
{"type":"case","id":"C-3","agency":"ngo-2"}
J
check_bad_input "invalid line exits 3, names the line, quotes no value" 3 mixed.jsonl 2 \
    "$CTIS" --db a.db import mixed.jsonl
cp "$T/.bad" err.txt
check "problem names file, line and field" grep -q "mixed.jsonl:2: field 'person.birth_date'" err.txt
n=$(sqlite3 a.db "select count(*) from agency where id='ngo-2'")
check_eq "nothing of the file was written" 0 "$n"

# --skip-invalid imports the valid lines and writes the rejected ones.
check "--skip-invalid imports the rest" "$CTIS" --db a.db import --skip-invalid rej.jsonl mixed.jsonl
n=$(sqlite3 a.db "select count(*) from cases where id in ('C-2','C-3')")
check_eq "the valid case is in, the invalid one out" 1 "$n"
check "rejects file holds the line and its reason" python3 -c "
import json,sys
r=[json.loads(l) for l in open('rej.jsonl')]
assert len(r)==1 and r[0]['line']==2 and 'person.birth_date' in r[0]['problems'][0], r"

# References: forward references resolve; a dangling one is an error.
cat > fwd.jsonl <<'J'
{"type":"case","id":"C-9","agency":"ngo-9"}
{"type":"criminal_case","id":"P-9","kind":"domestic","victim_cases":["C-9"]}
{"type":"agency","id":"ngo-9","name":"Later","kind":"ngo"}
J
check "a reference to a later line resolves" "$CTIS" --db a.db import fwd.jsonl
echo '{"type":"case","id":"C-10","agency":"nobody"}' > dangling.jsonl
check_bad_input "a dangling reference exits 3" 3 dangling.jsonl 1 \
    "$CTIS" --db a.db import dangling.jsonl
cp "$T/.bad" err.txt
check "the dangling reference is named" grep -q "dangling.jsonl:1: field 'agency'" err.txt

# CSV case lists.
"$CTIS" --db a.db export --format csv > cases.csv
check "csv export has a header and two data rows" test "$(wc -l < cases.csv)" -ge 3
"$CTIS" --db a.db export > full.jsonl
check "copy agencies into a second database" "$CTIS" --db c.db import full.jsonl
check "csv import into a second database" "$CTIS" --db c.db import cases.csv
printf 'id,agency,sex\nC-1,ngo-1,robot\n' > bad.csv
check_bad_input "bad csv value exits 3" 3 bad.csv 2 "$CTIS" --db c.db import bad.csv
cp "$T/.bad" err.txt
check "csv problem names file, line and column" grep -q "bad.csv:2: field 'sex'" err.txt

# --public export leaves names and birth dates out.
"$CTIS" --db a.db export --public > pub.jsonl
check_fails "public export has no names" grep -q Sokha pub.jsonl
check_fails "public export has no birth date" grep -q 1990-04-02 pub.jsonl

# case subcommands.
check "case list" sh -c "'$CTIS' --db a.db case list | grep -q C-1"
check "case event appends" "$CTIS" --db a.db case event C-1 monitoring_visit 2008-06-01
"$CTIS" --db a.db case show C-1 > show.txt
check "stage follows the latest event" grep -q "stage: monitoring_visit" show.txt
"$CTIS" --db a.db case event C-1 referral 2008-06-02 > /dev/null 2>&1
check_eq "a referral without 'to' is invalid" 3 $?
"$CTIS" --db a.db case show NOPE > /dev/null 2>&1
check_eq "unknown case exits 4" 4 $?
"$CTIS" --db c.db export --format csv > cases2.csv
check "csv export, import, export is stable" cmp cases.csv cases2.csv
