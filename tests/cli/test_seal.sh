# Sealed identities on a real SQLite file (docs/security.md): no name,
# birth date or phone in the database file, its WAL, a backup or any file
# left in the folder; wrong and missing keys, a flipped byte, a value
# moved to another row, damaged backups are refused and write nothing;
# rotation killed (SIGKILL and at batch boundaries) resumes; erasure
# leaves no trace and the datasheet unchanged; linkage gives the same
# clusters sealed as in clear.
. "$(dirname "$0")/../lib.sh"
cat > known.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"NGO One","kind":"ngo","pillars":["protection"],"provinces":["KH-14"]}
{"type":"case","id":"K-1","agency":"ngo-1","person":{"given_name":"Sreypovzz","family_name":"Chanthyxq","given_name_km":"ស្រីពៅ","family_name_km":"ចាន់ធី","sex":"female","birth_date":"1991-07-13","citizenship":"KH","home_province":"KH-14","home_village":"Phumqwvillage","phone":"+855 97 531 8642"},"trafficking_status":"actual","movement":"internal","exploitation":["sexual"],"status":"open","events":[{"type":"identification","date":"2007-03-02"}]}
{"type":"case","id":"K-2","agency":"ngo-1","person":{"given_name":"Rathanakzz","family_name":"Sokhemxq","given_name_km":"រតនៈ","family_name_km":"សុខែម","sex":"male","birth_date":"1993-11-29","citizenship":"KH","home_province":"KH-14","phone":"012 864 2097"},"trafficking_status":"actual","movement":"internal","exploitation":["forced_labour"],"labour_sector":"fishing","status":"open","events":[{"type":"identification","date":"2008-05-02"}]}
J
# none_in NAME FILE...: ok when no secret occurs in any file (bytes)
none_in() {
    local name=$1 s f found=""
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        for s in Sreypovzz Chanthyxq ស្រីពៅ ចាន់ធី Phumqwvillage 19910713 \
            "531 8642" Rathanakzz Sokhemxq សុខែម 19931129 "864 2097"; do
            if grep -aqF "$s" "$f"; then found="$found $f:$s"; fi
        done
    done
    check_eq "$name" "" "$found"
}
K="$CTIS --key-file k1"

check "key init makes a 0600 key file and seals" $CTIS --db s.db --key-file k1 key init
check_eq "the key file is mode 600" 600 "$(stat -c %a k1)"
# another connection holds the database open, so the WAL outlives ctis
(echo "BEGIN; SELECT count(*) FROM agency; COMMIT;"; sleep 30) | sqlite3 s.db > /dev/null &
holder=$!
sleep 0.3
check "demo into the sealed database" $K --db s.db demo
check "import known names (Latin and Khmer)" $K --db s.db import known.jsonl
check "the WAL has content" test -s s.db-wal
none_in "no identity in the database file, WAL or journal" s.db s.db-wal s.db-journal s.db-shm
kill $holder 2> /dev/null
wait $holder 2> /dev/null
check "export with the key has the names" sh -c "$K --db s.db export | grep -q Sreypovzz"
check "a backup" $K --db s.db backup --output b.ctisbak
check_eq "the backup is mode 600" 600 "$(stat -c %a b.ctisbak)"
none_in "no identity in the backup" b.ctisbak
none_in "no identity in any file ctis left in the folder" $(ls -a | grep -vE '^\.\.?$|\.jsonl$')
ls -a > files.txt
check_eq "no temporary file left" "" "$(grep -E '\.tmp|snap' files.txt)"

# Keys: missing, wrong, other-readable.
"$CTIS" --db s.db export > /dev/null 2> err.txt
check_eq "missing key: exit 8" 8 $?
check "missing key: a clear message" grep -q "sealed and no key" err.txt
"$CTIS" --db s.db --key-file k2 key list > /dev/null 2>&1
check "a second key file" "$CTIS" --db x.db --key-file k2 key init
"$CTIS" --db s.db --key-file k2 export > /dev/null 2> err.txt
check_eq "wrong key: exit 8" 8 $?
check "wrong key: says so" grep -q "is not a key of this database" err.txt
"$CTIS" --db s.db case add known.jsonl > /dev/null 2>&1
check_eq "missing key on a write: exit 8" 8 $?
cp k1 k1open && chmod 644 k1open
"$CTIS" --db s.db --key-file k1open export > /dev/null 2> err.txt
check_eq "a key file others can read is refused" 8 $?
check "no key needed for the report" "$CTIS" --db s.db report --format json --output r1.json
check "no key needed for the public export" sh -c "'$CTIS' --db s.db export --public > pub.jsonl"
none_in "the public export has no identity" pub.jsonl
$K --db s.db export --public > pubk.jsonl 2> /dev/null
check "the public export is the same with and without the key" cmp pub.jsonl pubk.jsonl
check "a CTDC export needs no key" sh -c "'$CTIS' --db s.db export --format ctdc > ctdc.csv"
check "CTIS_KEY_FILE works" sh -c "CTIS_KEY_FILE=k1 '$CTIS' --db s.db case show K-1 | grep -q Sreypovzz"
printf 'correct horse battery\n' > pass.txt
check "add a passphrase" sh -c "$K --db s.db key add --new-passphrase-fd 3 3< pass.txt"
check "the passphrase unlocks" sh -c "'$CTIS' --db s.db --passphrase-fd 3 case show K-1 3< pass.txt | grep -q Sreypovzz"
printf 'wrong horse\n' > bad.txt
"$CTIS" --db s.db --passphrase-fd 3 case show K-1 3< bad.txt > /dev/null 2>&1
check_eq "a wrong passphrase: exit 8" 8 $?

# Tampering: one flipped byte, a value copied to another person's row.
cp s.db t.db
sqlite3 t.db "PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
sqlite3 t.db "UPDATE person_identity SET sealed = (SELECT substr(sealed,1,30) || X'ff' || substr(sealed,32) FROM person_identity p JOIN cases c ON c.rid=p.case_rid WHERE c.id='K-1') WHERE case_rid = (SELECT rid FROM cases WHERE id='K-1')"
"$CTIS" --db t.db --key-file k1 case show K-1 > out.txt 2> err.txt
check_eq "a flipped byte: refused (exit 5)" 5 $?
check "a flipped byte: the message names the case" grep -q "case 'K-1' does not open" err.txt
cp s.db u.db
sqlite3 u.db "UPDATE person_identity SET sealed = (SELECT p.sealed FROM person_identity p JOIN cases c ON c.rid=p.case_rid WHERE c.id='K-1'), key_gen = 1 WHERE case_rid = (SELECT rid FROM cases WHERE id='K-2')"
"$CTIS" --db u.db --key-file k1 case show K-2 > out.txt 2>&1
check_eq "a value copied to another row: refused" 5 $?
check_eq "nothing printed of it" "" "$(grep -a Sreypovzz out.txt)"

# Backups: verify, restore, and refusals that write nothing.
check "verify a backup" $K backup --verify b.ctisbak
check "restore into a new database" $K restore b.ctisbak --db r.db
check "the restored database opens with the key" sh -c "$K --db r.db case show K-2 | grep -q Rathanakzz"
head -c 100000 b.ctisbak > trunc.bak
ls -A > before.txt
"$CTIS" --key-file k1 restore trunc.bak --db r2.db > /dev/null 2>&1
check_eq "a truncated backup: exit 5" 5 $?
# temporary names are random: no file at all may appear, not just r2.db.tmp
check "a truncated backup writes nothing" sh -c "ls -A | cmp -s - before.txt"
python3 -c "
d = bytearray(open('b.ctisbak','rb').read()); d[len(d)//2] ^= 1
open('alt.bak','wb').write(d)"
ls -A > before.txt
"$CTIS" --key-file k1 restore alt.bak --db r3.db > /dev/null 2>&1
check_eq "an altered backup: exit 5" 5 $?
check "an altered backup writes nothing" sh -c "ls -A | cmp -s - before.txt"
"$CTIS" --key-file k1 backup --verify alt.bak > /dev/null 2>&1
check_eq "verify refuses the altered backup" 5 $?
python3 -c "
d = bytearray(open('b.ctisbak','rb').read()); d[12] ^= 1
open('hdr.bak','wb').write(d)"
check_fails "an altered header is refused" "$CTIS" --key-file k1 backup --verify hdr.bak
"$CTIS" --key-file k2 restore b.ctisbak --db r4.db > /dev/null 2>&1
check_eq "a backup with the wrong key: exit 8" 8 $?
check "and writes nothing" test ! -e r4.db

# Linkage gives the same clusters sealed as in clear.
python3 "$CTIS_SRC/tests/report/data/linked_lists.py" > lists.jsonl
"$CTIS" --db clear.db import lists.jsonl > /dev/null 2>&1
$K --db sealed.db key init > /dev/null 2>&1
$K --db sealed.db import lists.jsonl > /dev/null 2>&1
"$CTIS" --db clear.db link --from-db --output c1.csv > /dev/null 2>&1
check "link --from-db on the sealed store" $K --db sealed.db link --from-db --output c2.csv
check "the same clusters sealed as in clear" cmp c1.csv c2.csv
check_fails "link --from-db on a sealed store needs the key" "$CTIS" --db sealed.db link --from-db --output c3.csv

# Upgrade: a clear database sealed by key init, or by a write with a key.
cp clear.db up.db
"$CTIS" --db up.db import known.jsonl > /dev/null 2>&1
check "key init seals a clear database" $K --db up.db key init
check_eq "no identity left in clear" 0 "$(sqlite3 up.db 'select count(*) from person_identity where given_name is not null or family_name is not null or phone is not null or birth_date is not null')"
none_in "the upgraded file holds no known name" up.db up.db-wal
"$CTIS" --db up.db link --from-db --output c4.csv > /dev/null 2>&1
check_eq "the upgraded store needs the key" 8 $?
cp clear.db up2.db
check "a write with a key seals a clear database" $K --db up2.db import known.jsonl
check_eq "none left in clear there either" 0 "$(sqlite3 up2.db 'select count(*) from person_identity where given_name is not null')"
$K --db up2.db link --from-db --output c5.csv > /dev/null 2>&1
"$CTIS" --db clear.db import known.jsonl > /dev/null 2>&1
"$CTIS" --db clear.db link --from-db --output c6.csv > /dev/null 2>&1
check "the upgraded store links as the clear one" cmp c5.csv c6.csv

# Rotation: stopped after each batch, and killed with SIGKILL.
n0=$($K --db s.db export | grep -c '"type":"case"')
for stop in 1 2 3; do
    $K --db s.db key rotate --batch 500 --stop-after $stop > /dev/null 2>&1
done
# A kill lands midway only while the rotation runs: one commit per person
# (--batch 1) makes it last about a second here (3,700 persons), and a
# kill that came after the end is tried again (three midway kills, as
# the three sleeps of before, in at most eight tries), so the
# check below tests the resume, not the speed of the machine (a rotation
# of 20 per batch took 0.27 s on a quiet machine, under the old sleeps).
midway=0
tries=0
for extra in 0 0.1 0.3 0 0.05 0.2 0 0.1; do
    [ $midway -ge 3 ] && break
    tries=$((tries + 1))
    $K --db s.db key rotate --batch 1 > /dev/null 2>&1 &
    pid=$!
    # wait until the rotation has re-sealed some rows, then kill it
    for _ in $(seq 500); do
        g=$(sqlite3 s.db 'select count(distinct key_gen) from person_identity where sealed is not null' 2> /dev/null || echo 0)
        [ "${g:-0}" -gt 1 ] && break
        sleep 0.01
    done
    sleep $extra
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    if [ "$(sqlite3 s.db 'select count(distinct key_gen) from person_identity where sealed is not null')" -gt 1 ]; then
        midway=$((midway + 1))
    fi
done
echo "# $midway of $tries kills left a rotation half done"
check "SIGKILL left a rotation half done at least twice" test $midway -ge 2
check "rotation resumes and finishes" $K --db s.db key rotate --batch 1000
check_eq "one generation left" 1 "$(sqlite3 s.db 'select count(distinct key_gen) from person_identity where sealed is not null')"
check_eq "no wrap of an old key left" 1 "$(sqlite3 s.db 'select count(*) from seal_key')"
n1=$($K --db s.db export | grep -c '"type":"case"')
check_eq "every person opens with the new key" "$n0" "$n1"
check "the names are still there" sh -c "$K --db s.db case show K-1 | grep -q Sreypovzz"
check_fails "the passphrase was dropped by the rotation" sh -c "'$CTIS' --db s.db --passphrase-fd 3 case show K-1 3< pass.txt"

# Erasure: no trace, datasheet unchanged.
"$CTIS" --db s.db report --format json --output before.json
"$CTIS" --db s.db person erase K-1 --reason "request of the person" > /dev/null 2>&1
check_eq "erase needs the key (to open the history)" 8 $?
check "erase K-1" $K --db s.db person erase K-1 --reason "request of the person"
check_fails "erase needs a reason" $K --db s.db person erase K-2
check_eq "no version of K-1 in the history opens to a name" "" "$($K --db s.db case history K-1 2>&1 | grep -a -e Sreypovzz -e Chanthyxq)"
check "every version of K-1 can still be shown" sh -c "$K --db s.db case show K-1 --version 1 | grep -q K-1"
check_eq "no earlier version shows the name" "" "$($K --db s.db case show K-1 --version 1 2>&1 | grep -a -e Sreypovzz -e Chanthyxq)"
"$CTIS" --db s.db report --format json --output after.json
check "the datasheet is unchanged" cmp before.json after.json
check_eq "the erasure is logged" 1 "$(sqlite3 s.db "select count(*) from erasure where case_id='K-1' and reason <> '' and erased_by <> ''")"
check_eq "no blind index left" 0 "$(sqlite3 s.db "select count(*) from person_bidx where case_rid=(select rid from cases where id='K-1')")"
$K --db s.db backup --output b2.ctisbak > /dev/null 2>&1
$K --db s.db case show K-1 > show.txt 2>&1
check "the case is still there" grep -q "K-1" show.txt
for s in Sreypovzz Chanthyxq Phumqwvillage 19910713; do
    if grep -aq "$s" show.txt; then not_ok "erased '$s' still shown"; fi
done
$K restore b2.ctisbak --db r5.db > /dev/null 2>&1
$K --db r5.db export > r5.jsonl 2>&1
check_eq "a backup after erasure: the person's names are nowhere" "" "$(grep -a -e Sreypovzz -e Chanthyxq -e Phumqwvillage r5.jsonl)"
