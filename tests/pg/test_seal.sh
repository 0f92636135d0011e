#!/usr/bin/env bash
# Sealed identities on the test PostgreSQL cluster (docs/security.md):
# after the demo and a file of known Latin and Khmer names are imported
# with a key and the server has checkpointed, no name, birth date or
# phone is anywhere in the cluster's data directory (base/, pg_wal/,
# every file) or its log, while a clear database's are found by the same
# search; wrong and missing keys exit 8; one flipped byte and a sealed
# value copied to another person's row are refused and print nothing;
# case find and link --from-db give the same results sealed and clear;
# rotation killed with SIGKILL resumes; a clear database is sealed by key
# init and by a write with a key; erasure leaves no trace and the
# datasheet unchanged; migrate keeps a sealed SQLite file sealed on
# PostgreSQL and back, and refuses without the key.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
data="$CTIS_TEST_PG_DIR/data"
cat > known.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"NGO One","kind":"ngo","pillars":["protection"],"provinces":["KH-14"]}
{"type":"case","id":"K-1","agency":"ngo-1","person":{"given_name":"Sreypovzz","family_name":"Chanthyxq","given_name_km":"ស្រីពៅ","family_name_km":"ចាន់ធី","sex":"female","birth_date":"1991-07-13","citizenship":"KH","home_province":"KH-14","home_village":"Phumqwvillage","phone":"+855 97 531 8642"},"trafficking_status":"actual","movement":"internal","exploitation":["sexual"],"status":"open","events":[{"type":"identification","date":"2007-03-02"}]}
{"type":"case","id":"K-2","agency":"ngo-1","person":{"given_name":"Rathanakzz","family_name":"Sokhemxq","given_name_km":"រតនៈ","family_name_km":"សុខែម","sex":"male","birth_date":"1993-11-29","citizenship":"KH","home_province":"KH-14","phone":"012 864 2097"},"trafficking_status":"actual","movement":"internal","exploitation":["forced_labour"],"labour_sector":"fishing","status":"open","events":[{"type":"identification","date":"2008-05-02"}]}
J
# The control: other names, never sealed, found by the same search.
cat > control.jsonl <<'J'
{"type":"agency","id":"ngo-9","name":"NGO Nine","kind":"ngo"}
{"type":"case","id":"Q-1","agency":"ngo-9","person":{"given_name":"Bophavyqq","family_name":"Kosalwvj","given_name_km":"បុប្ផាវី","family_name_km":"កុសលវ","sex":"female","birth_date":"1988-02-17","citizenship":"KH","phone":"+855 16 975 3102"},"trafficking_status":"actual","movement":"internal","exploitation":["sexual"],"status":"open","events":[{"type":"identification","date":"2006-01-05"}]}
J
known_names=(Sreypovzz Chanthyxq ស្រីពៅ ចាន់ធី Phumqwvillage "531 8642"
    Rathanakzz Sokhemxq សុខែម "864 2097")
known_dates=(1991-07-13 19910713 1993-11-29 19931129)
control_secrets=(Bophavyqq Kosalwvj បុប្ផាវី កុសលវ "975 3102" 1988-02-17)
# found WHERE SECRET...: the secrets found in any file under WHERE (as
# bytes), one a line; a date of 8 digits only where no hex digit is next
# to it (sealed version bodies are hex text)
found() {
    local where=$1 s
    shift
    for s in "$@"; do
        case $s in
        [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])
            grep -raqP -- "(?<![0-9a-fA-F])$s(?![0-9a-fA-F])" "$where" 2> /dev/null && echo "$s"
            ;;
        *) grep -raqF -- "$s" "$where" 2> /dev/null && echo "$s" ;;
        esac
    done
}
# found_int WHERE YYYYMMDD...: the dates found as the 4 bytes of an
# INTEGER column
found_int() {
    python3 - "$@" << 'P'
import os, struct, sys
pats = {d: struct.pack('<i', int(d)) for d in sys.argv[2:]}
hit = set()
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        try:
            b = open(os.path.join(d, f), 'rb').read()
        except OSError:
            continue
        hit |= {k for k, v in pats.items() if v in b}
if hit:
    print("\n".join(sorted(hit)))
P
}
sql() { psql -X -q -At -d "$1" -c "$2"; }
dboid() { sql "$1" "select oid from pg_database where datname = current_database()"; }
K="$CTIS --key-file k1"
pg=$(pgdb seal)

# ---- nothing in clear in the cluster -------------------------------------
# Other tests' databases in this cluster hold the demo in clear, so a
# birth date may be in the cluster already: only new ones count there.
found "$data" "${known_dates[@]}" | sort > dates_before.txt
check "key init on postgresql makes a 0600 key file" $K --db "$pg" key init
check_eq "the key file is mode 600" 600 "$(stat -c %a k1)"
check "demo into the sealed database" $K --db "$pg" demo
check "import known names (Latin and Khmer)" $K --db "$pg" import known.jsonl
check "the known names read back with the key" sh -c "$K --db '$pg' case show K-1 | grep -q Sreypovzz"
check "history of a sealed case opens" sh -c "$K --db '$pg' case history K-1 | grep -q import"
check_eq "no identifying column in clear" 0 "$(sql "$pg" "select count(*) from person_identity where coalesce(given_name, family_name, given_name_km, family_name_km, birth_date::text, home_commune, home_village, phone, email) is not null")"
check_eq "every person sealed" "$(sql "$pg" "select count(*) from cases")" "$(sql "$pg" "select count(*) from person_identity where sealed is not null")"
check_eq "no case version body in clear" 0 "$(sql "$pg" "select count(*) from record_version where kind = 1 and body not like 'sealed:%'")"
check "CHECKPOINT" sql "$pg" "CHECKPOINT"
check_eq "no known name or phone anywhere in the data directory" "" \
    "$(found "$data" "${known_names[@]}" | tr '\n' ' ')"
found "$data" "${known_dates[@]}" | sort > dates_after.txt
check_eq "no known birth date new in the data directory" "" "$(comm -13 dates_before.txt dates_after.txt | tr '\n' ' ')"
db_dir="$data/base/$(dboid "$pg")"
check_eq "no known birth date in the database's files, as text" "" \
    "$(found "$db_dir" "${known_dates[@]}" | tr '\n' ' ')"
check_eq "nor as an INTEGER" "" "$(found_int "$db_dir" 19910713 19931129 | tr '\n' ' ')"
check_eq "none in the server log either" "" \
    "$(found "$CTIS_TEST_PG_DIR/server.log" "${known_names[@]}" "${known_dates[@]}" | tr '\n' ' ')"
# the demo's identities, in this database's files (other tests' databases
# hold the demo in clear)
$K --db "$pg" export | python3 -c '
import json, sys
seen = set()
dates = set()
for line in sys.stdin:
    r = json.loads(line)
    p = r.get("person") or {}
    for k in ("given_name", "family_name", "given_name_km", "family_name_km", "phone"):
        v = p.get(k, "")
        if len(v.encode()) >= 6:
            seen.add(v)
    if p.get("birth_date"):
        seen.add(p["birth_date"])
    for e in r.get("events") or []:
        dates.add(e.get("date", ""))
# a birth date that is also the date of some event is in clear there
print("\n".join(sorted(seen - dates)))' > demo_secrets.txt
check "the demo has identities to look for" test "$(wc -l < demo_secrets.txt)" -gt 100
check_eq "no demo identity in the database's files" "" \
    "$(grep -raohFf demo_secrets.txt "$db_dir" | sort -u | head -5 | tr '\n' ' ')"
# the control: the same search finds identities stored in clear
pgc=$(pgdb sealctl)
check "a clear database with the control names" "$CTIS" --db "$pgc" import control.jsonl
sql "$pgc" "CHECKPOINT"
check_eq "the search finds clear identities in the data directory" "${#control_secrets[@]}" \
    "$(found "$data" "${control_secrets[@]}" | wc -l)"
check_eq "and a birth date stored as an INTEGER" 19880217 "$(found_int "$data/base/$(dboid "$pgc")" 19880217)"

# ---- keys ----------------------------------------------------------------
"$CTIS" --db "$pg" export > /dev/null 2> err.txt
check_eq "missing key: exit 8" 8 $?
check "missing key: a clear message" grep -q "sealed and no key" err.txt
check "another key file" "$CTIS" --db "$(pgdb sealother)" --key-file k2 key init
"$CTIS" --db "$pg" --key-file k2 export > /dev/null 2> err.txt
check_eq "wrong key: exit 8" 8 $?
check "wrong key: says so" grep -q "is not a key of this database" err.txt
"$CTIS" --db "$pg" import known.jsonl > /dev/null 2>&1
check_eq "a write without the key: exit 8" 8 $?
check "no key needed for the report" "$CTIS" --db "$pg" report --format json --output r1.json
"$CTIS" --db "$pg" export --public > pub.jsonl
check_eq "no key needed for the public export" 0 $?
$K --db "$pg" export --public > pubk.jsonl
check "the public export is the same with and without the key" cmp pub.jsonl pubk.jsonl
printf 'correct horse battery\n' > pass.txt
check "add a passphrase" sh -c "$K --db '$pg' key add --new-passphrase-fd 3 3< pass.txt"
check "the passphrase unlocks" sh -c "'$CTIS' --db '$pg' --passphrase-fd 3 case show K-1 3< pass.txt | grep -q Sreypovzz"
check_eq "key list shows two" 2 "$($K --db "$pg" key list | wc -l)"
pass_id=$($K --db "$pg" key list | awk '$2 != "file" {print $1}')
check "remove the passphrase" $K --db "$pg" key remove "$pass_id"
check_fails "the last key cannot be removed" $K --db "$pg" key remove "$($K --db "$pg" key list | awk '{print $1}')"

# ---- tampering -----------------------------------------------------------
sql "$pg" "create table keep as select case_rid, sealed from person_identity"
sql "$pg" "update person_identity set sealed = set_byte(sealed, 30, get_byte(sealed, 30) # 255) where case_rid = (select rid from cases where id = 'K-1')"
$K --db "$pg" case show K-1 > out.txt 2> err.txt
check_eq "a flipped byte: refused (exit 5)" 5 $?
check "a flipped byte: the message names the case" grep -q "case 'K-1' does not open" err.txt
check_eq "a flipped byte: nothing printed" "" "$(cat out.txt)"
sql "$pg" "update person_identity p set sealed = k.sealed from keep k where k.case_rid = p.case_rid"
sql "$pg" "update person_identity set sealed = (select p.sealed from person_identity p join cases c on c.rid = p.case_rid where c.id = 'K-1') where case_rid = (select rid from cases where id = 'K-2')"
$K --db "$pg" case show K-2 > out.txt 2> err.txt
check_eq "a value copied to another person's row: refused (exit 5)" 5 $?
check_eq "nothing printed of it" "" "$(cat out.txt)"
sql "$pg" "update person_identity p set sealed = k.sealed from keep k where k.case_rid = p.case_rid; drop table keep"
check "restored, K-2 opens again" sh -c "$K --db '$pg' case show K-2 | grep -q Rathanakzz"
v=$(sql "$pg" "select max(version) from record_version where kind = 1 and id = 'K-1'")
sql "$pg" "create table keepv as select version, body from record_version where kind = 1 and id = 'K-1'"
sql "$pg" "update record_version set body = overlay(body placing (case when substr(body, 40, 1) = 'a' then 'b' else 'a' end) from 40 for 1) where kind = 1 and id = 'K-1' and version = $v"
$K --db "$pg" case history K-1 > out.txt 2> err.txt
check_eq "an altered version body: refused (exit 5)" 5 $?
check_eq "and nothing of it printed" "" "$(grep -a Sreypovzz out.txt)"
sql "$pg" "update record_version r set body = k.body from keepv k where r.kind = 1 and r.id = 'K-1' and r.version = k.version; drop table keepv"
check "restored, the history opens again" sh -c "$K --db '$pg' case history K-1 > /dev/null"

# ---- backups: pg_dump sealed whole, restore checks before it writes -----
check "a backup of the postgresql database" $K --db "$pg" backup --output b.ctisbak
check_eq "the backup is mode 600" 600 "$(stat -c %a b.ctisbak)"
check_eq "no known identity in the backup" "" "$(found b.ctisbak "${known_names[@]}" "${known_dates[@]}" | tr '\n' ' ')"
check_eq "no temporary file left" "" "$(ls -a | grep -E '\.tmp|dump')"
check "verify the backup" $K backup --verify b.ctisbak
pgr=$(pgdb sealrest)
check "restore into a new database" $K --db "$pgr" restore b.ctisbak
$K --db "$pg" export > before_backup.jsonl
$K --db "$pgr" export > restored.jsonl
check "the restored database exports the same" cmp before_backup.jsonl restored.jsonl
check_eq "and is sealed" 0 "$(sql "$pgr" "select count(*) from person_identity where given_name is not null or sealed is null")"
"$CTIS" --key-file k1 --db "$pgr" restore b.ctisbak > /dev/null 2> err.txt
check_eq "restore into an existing database is refused" 1 $?
check "and says so" grep -q "exists; restore into a new one" err.txt
python3 -c "
d = bytearray(open('b.ctisbak','rb').read()); d[len(d)//2] ^= 1
open('alt.bak','wb').write(d)"
pga=$(pgdb sealalt)
"$CTIS" --key-file k1 --db "$pga" restore alt.bak > /dev/null 2>&1
check_eq "an altered backup: exit 5" 5 $?
check_eq "an altered backup creates no database" "" "$(sql "$CTIS_TEST_PG/postgres" "select datname from pg_database where datname = '${pga##*/}'")"
head -c 100000 b.ctisbak > trunc.bak
"$CTIS" --key-file k1 --db "$pga" restore trunc.bak > /dev/null 2>&1
check_eq "a truncated backup: exit 5" 5 $?
check_eq "a truncated backup creates no database" "" "$(sql "$CTIS_TEST_PG/postgres" "select datname from pg_database where datname = '${pga##*/}'")"
"$CTIS" --key-file k2 --db "$pga" restore b.ctisbak > /dev/null 2>&1
check_eq "a backup with the wrong key: exit 8" 8 $?
check_eq "and creates no database" "" "$(sql "$CTIS_TEST_PG/postgres" "select datname from pg_database where datname = '${pga##*/}'")"
"$CTIS" --db "$pg" backup --output b2.ctisbak > /dev/null 2>&1
check_eq "a backup needs the key" 8 $?

# ---- the same answers sealed and clear -----------------------------------
# (the clear database holds the demo and the control names only: the
# known names never reach the cluster in clear)
pgclear=$(pgdb sealclear)
"$CTIS" --db "$pgclear" demo > /dev/null 2>&1
"$CTIS" --db "$pgclear" import control.jsonl > /dev/null 2>&1
$K --db "$pg" import control.jsonl > /dev/null 2>&1
same=0
for q in "Vannak Chea" "Bophavyqq" "បុប្ផាវី" "Sokha" "Dara Sok" "Kosalwvj Bophavy"; do
    "$CTIS" --db "$pgclear" case find "$q" > fc.txt 2>&1
    $K --db "$pg" case find "$q" > fs.txt 2>&1
    cmp -s fc.txt fs.txt && same=$((same + 1))
done
check_eq "case find: the same results sealed and clear (6 queries)" 6 "$same"
check "case find with --born" sh -c "$K --db '$pg' case find 'Sreypovzz' --born 1991 | grep -q K-1"
# a case worker's search: within its agency (the others are not opened),
# the same sealed and clear
for d in "$pgclear" "$pg"; do
    "$CTIS" --db "$d" user add --username cwf --agency NGO-044 --role case_worker > /dev/null 2>&1
done
"$CTIS" --db "$pgclear" --as cwf case find "Vannak Chea" --limit 100 > wc.txt 2>&1
$K --db "$pg" --as cwf case find "Vannak Chea" --limit 100 > ws.txt 2>&1
check "a case worker's find: the same sealed and clear" cmp wc.txt ws.txt
check_eq "and only its agency's cases" "NGO-044" "$(awk 'NR > 1 {print $2}' ws.txt | sort -u)"
python3 "$CTIS_SRC/tests/report/data/linked_lists.py" > lists.jsonl
pgl1=$(pgdb seallc)
pgl2=$(pgdb sealls)
"$CTIS" --db "$pgl1" import lists.jsonl > /dev/null 2>&1
$K --db "$pgl2" key init > /dev/null 2>&1
$K --db "$pgl2" import lists.jsonl > /dev/null 2>&1
"$CTIS" --db "$pgl1" link --from-db --output c1.csv > /dev/null 2>&1
check "link --from-db on the sealed store" $K --db "$pgl2" link --from-db --output c2.csv
check "link --from-db: the same clusters sealed as in clear" cmp c1.csv c2.csv
check_fails "link --from-db on a sealed store needs the key" "$CTIS" --db "$pgl2" link --from-db --output c3.csv

# ---- upgrade of a clear database -----------------------------------------
"$CTIS" --db "$pgclear" export > e1.jsonl
check "key init seals a clear database" $K --db "$pgclear" key init
check_eq "no identity left in clear" 0 "$(sql "$pgclear" "select count(*) from person_identity where coalesce(given_name, family_name, phone, birth_date::text) is not null")"
check_eq "no version body left in clear" 0 "$(sql "$pgclear" "select count(*) from record_version where kind = 1 and body not like 'sealed:%'")"
$K --db "$pgclear" export > e2.jsonl
check "the upgraded database exports as it did in clear" cmp e1.jsonl e2.jsonl
pgup=$(pgdb sealup)
"$CTIS" --db "$pgup" import lists.jsonl > /dev/null 2>&1
check "a write with a key seals a clear database" $K --db "$pgup" import known.jsonl
check_eq "none left in clear there" 0 "$(sql "$pgup" "select count(*) from person_identity where given_name is not null")"

# ---- rotation, stopped and killed ----------------------------------------
n0=$($K --db "$pg" export | grep -c '"type":"case"')
for stop in 1 2 3; do
    $K --db "$pg" key rotate --batch 500 --stop-after $stop > /dev/null 2>&1
done
check_eq "stopped rotations leave two generations" 2 "$(sql "$pg" "select count(distinct key_gen) from person_identity where sealed is not null")"
midway=0
# Batches of 2 make the rest of the rotation (about 2,200 persons) a
# thousand transactions, so a kill lands in the middle whatever the
# machine's speed; each kill waits for progress from where it started.
newest="select count(*) from person_identity where key_gen = (select max(key_gen) from person_identity)"
for extra in 0 0.2 0.5; do
    c0=$(sql "$pg" "$newest" 2> /dev/null || echo 0)
    $K --db "$pg" key rotate --batch 2 > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 200); do
        sleep 0.05
        g=$(sql "$pg" "$newest" 2> /dev/null || echo 0)
        [ "${g:-0}" -gt "${c0:-0}" ] && break
    done
    sleep $extra
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    sleep 0.3 # the server notices the lost client and rolls back
    if [ "$(sql "$pg" "select count(distinct key_gen) from person_identity where sealed is not null")" -gt 1 ]; then
        midway=$((midway + 1))
    fi
done
check "SIGKILL left a rotation half done at least twice" test $midway -ge 2
check "every person still opens mid-rotation" sh -c "$K --db '$pg' export | grep -c '\"type\":\"case\"' | grep -qx $n0"
check "rotation resumes and finishes" $K --db "$pg" key rotate --batch 1000
check_eq "one generation left" 1 "$(sql "$pg" "select count(distinct key_gen) from person_identity where sealed is not null")"
check_eq "no version body of an old generation" 0 "$(sql "$pg" "select count(*) from record_version where kind = 1 and body not like 'sealed:' || (select max(gen) from seal_key) || ':%'")"
check_eq "no wrap of an old key left" 1 "$(sql "$pg" "select count(*) from seal_key")"
n1=$($K --db "$pg" export | grep -c '"type":"case"')
check_eq "every person opens with the new key" "$n0" "$n1"
check "the names are still there" sh -c "$K --db '$pg' case show K-1 | grep -q Sreypovzz"
check "and found by the blind index" sh -c "$K --db '$pg' case find Sreypovzz | grep -q K-1"

# ---- erasure -------------------------------------------------------------
"$CTIS" --db "$pg" report --format json --output before.json
"$CTIS" --db "$pg" person erase K-1 --reason "request of the person" > /dev/null 2>&1
check_eq "erase needs the key" 8 $?
check "erase K-1" $K --db "$pg" person erase K-1 --reason "request of the person"
check_eq "no version of K-1 opens to a name" "" "$($K --db "$pg" case history K-1 2>&1 | grep -a -e Sreypovzz -e Chanthyxq)"
check_eq "no earlier version shows the name" "" "$($K --db "$pg" case show K-1 --version 1 2>&1 | grep -a -e Sreypovzz -e Chanthyxq)"
"$CTIS" --db "$pg" report --format json --output after.json
check "the datasheet is unchanged" cmp before.json after.json
check_eq "the erasure is logged" 1 "$(sql "$pg" "select count(*) from erasure where case_id = 'K-1' and reason <> '' and erased_by <> ''")"
check_eq "no blind index left" 0 "$(sql "$pg" "select count(*) from person_bidx where case_rid = (select rid from cases where id = 'K-1')")"
check_eq "not found by name any more" "" "$($K --db "$pg" case find Sreypovzz | grep K-1)"
check "the case is still there" sh -c "$K --db '$pg' case show K-1 | grep -q K-1"

# ---- migrate keeps it sealed ---------------------------------------------
$K --db s.db key init > /dev/null 2>&1
$K --db s.db import known.jsonl > /dev/null 2>&1
pgm=$(pgdb sealmig)
"$CTIS" migrate --from s.db --to "$pgm" > /dev/null 2> err.txt
check_eq "migrate from a sealed file without the key: exit 8" 8 $?
check_eq "and nothing written" 0 "$(sql "$pgm" "select count(*) from cases" 2> /dev/null || echo 0)"
check "migrate a sealed file to postgresql" $K migrate --from s.db --to "$pgm"
check_eq "sealed on postgresql" 0 "$(sql "$pgm" "select count(*) from person_identity where given_name is not null or sealed is null")"
$K --db s.db export > ms.jsonl
$K --db "$pgm" export > mp.jsonl
check "the same records" cmp ms.jsonl mp.jsonl
check "and back to a new file" $K migrate --from "$pgm" --to back.db
check_eq "sealed in the file" 0 "$(sqlite3 back.db "select count(*) from person_identity where given_name is not null or sealed is null")"
$K --db back.db export > mb.jsonl
check "the same records after the round trip" cmp ms.jsonl mb.jsonl
sql "$pgm" "CHECKPOINT"
check_eq "no known name in the migrated database's files" "" \
    "$(found "$data/base/$(dboid "$pgm")" "${known_names[@]}" "${known_dates[@]}" | tr '\n' ' ')"

# ---- migration 8: person_bidx without its foreign key --------------------
# A database of schema 7 (the key put back, the version set back) is
# migrated at the next open for writing: the key is gone, the blind
# index rows are kept and still find the person, and a sealed import
# into it writes one row per distinct value.
pg7=$(pgdb seal7)
$K --db "$pg7" key init > /dev/null 2>&1
$K --db "$pg7" import known.jsonl > /dev/null 2>&1
n_bidx=$(sql "$pg7" "select count(*) from person_bidx")
sql "$pg7" "alter table person_bidx add constraint person_bidx_case_rid_fkey foreign key (case_rid) references cases(rid) on delete cascade; update ctis_schema set version = 7" > /dev/null
check_eq "schema 7 has the foreign key again" 1 "$(sql "$pg7" "select count(*) from pg_constraint where conrelid = 'person_bidx'::regclass and contype = 'f'")"
check "open for writing migrates" $K --db "$pg7" init
check_eq "at the current schema (9)" 9 "$(sql "$pg7" "select max(version) from ctis_schema")"
check_eq "the foreign key is gone" 0 "$(sql "$pg7" "select count(*) from pg_constraint where conrelid = 'person_bidx'::regclass and contype = 'f'")"
check_eq "every blind index row kept" "$n_bidx" "$(sql "$pg7" "select count(*) from person_bidx")"
check "the person is still found" sh -c "$K --db '$pg7' case find Sreypovzz | grep -q K-1"
check "a sealed import again (every case replaced)" $K --db "$pg7" import known.jsonl
check_eq "the same blind index rows after it" "$n_bidx" "$(sql "$pg7" "select count(*) from person_bidx")"
check_eq "no blind index row without its case" 0 "$(sql "$pg7" "select count(*) from person_bidx b where not exists (select 1 from cases c where c.rid = b.case_rid)")"
check "found after the re-import" sh -c "$K --db '$pg7' case find Rathanakzz | grep -q K-2"
