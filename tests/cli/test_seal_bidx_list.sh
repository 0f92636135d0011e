# Migration 9 (docs/storage.md): each sealed person row lists its blind
# values (person_identity.bidx) and person_bidx has no index by case_rid;
# a case's old rows are deleted by key from its list. Checked on a real
# SQLite file: after an import every row lists exactly its rows; a
# database of schema 8, as the previous binary left it, is migrated with
# every list written and the index dropped; replacing a case (import
# again, re-seal by rotation, reindex) leaves only its new rows, the same
# number as a fresh import of the same file; erasure leaves none.
. "$(dirname "$0")/../lib.sh"
cat > a.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"NGO One","kind":"ngo"}
{"type":"case","id":"K-1","agency":"ngo-1","person":{"given_name":"Sreypov","family_name":"Chanthy","sex":"female","birth_date":"1991-07-13","citizenship":"KH","phone":"+855 97 531 8642"},"trafficking_status":"actual","movement":"internal","exploitation":["sexual"],"status":"open","events":[{"type":"identification","date":"2007-03-02"}]}
{"type":"case","id":"K-2","agency":"ngo-1","person":{"given_name":"Rathanak","family_name":"Sokhem","sex":"male","birth_date":"1993-11-29","citizenship":"KH"},"trafficking_status":"actual","movement":"internal","exploitation":["forced_labour"],"status":"open","events":[{"type":"identification","date":"2008-05-02"}]}
{"type":"case","id":"K-3","agency":"ngo-1","person":{"given_name_km":"វីរៈ","family_name_km":"តាំង","sex":"male","birth_date":"1990-04-02","citizenship":"KH"},"trafficking_status":"actual","movement":"internal","exploitation":["forced_labour"],"status":"open","events":[{"type":"identification","date":"2008-05-02"}]}
J
# K-1 renamed: none of its old values stays hers
sed 's/"Sreypov","family_name":"Chanthy"/"Dara","family_name":"Meas"/; s/1991-07-13/1985-02-01/' a.jsonl > b.jsonl
K="$CTIS --key-file k1"
sql() { sqlite3 s.db "$1"; }
# lists_exact NAME: every person row lists exactly its rows, in both ways
lists_exact() {
    check_eq "$1: each list as long as its rows" 0 "$(sql "SELECT count(*) FROM person_identity p
        WHERE p.key_gen IS NOT NULL AND coalesce(length(p.bidx), 0)
        != 16 * (SELECT count(*) FROM person_bidx b WHERE b.case_rid = p.case_rid)")"
    check_eq "$1: every row in its list" 0 "$(sql "SELECT count(*) FROM person_bidx b
        LEFT JOIN person_identity p ON p.case_rid = b.case_rid
        WHERE p.bidx IS NULL OR instr(p.bidx, b.h) = 0")"
}
no_case_index() {
    check_eq "$1: no index by case_rid" 0 \
        "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'person_bidx_case'")"
}
rows_of() { sql "SELECT count(*) FROM person_bidx WHERE case_rid = (SELECT rid FROM cases WHERE id = '$1')"; }

check "key init" $CTIS --db s.db --key-file k1 key init
check "sealed import" $K --db s.db import --no-progress a.jsonl
check_eq "schema 9" 9 "$(sql "PRAGMA user_version")"
lists_exact "after an import"
no_case_index "after an import"
n=$(sql "SELECT count(*) FROM person_bidx")
check "blind index rows written" test "$n" -gt 9

# Schema 8 as the previous binary left it: no list, the index by case_rid.
check "back to schema 8" sql "ALTER TABLE person_identity DROP COLUMN bidx;
    CREATE INDEX person_bidx_case ON person_bidx(case_rid); PRAGMA user_version = 8;"
check "the first open for writing migrates" $K --db s.db key list
check_eq "to schema 9" 9 "$(sql "PRAGMA user_version")"
lists_exact "after migration 9"
no_case_index "after migration 9"
check_eq "every blind index row kept" "$n" "$(sql "SELECT count(*) FROM person_bidx")"
check "the person is still found" sh -c "$K --db s.db case find 'Sreypov Chanthy' | grep -q '^K-1 '"

# Replacing cases: the old rows go by their list.
k1=$(rows_of K-1)
check "import again with K-1 renamed" $K --db s.db import --no-progress b.jsonl
lists_exact "after the replace"
check "a fresh sealed database" $CTIS --db f.db --key-file k2 key init
check "the same file into it" $CTIS --key-file k2 --db f.db import --no-progress b.jsonl
check_eq "as many rows as a fresh import of the same file" \
    "$(sqlite3 f.db "SELECT count(*) FROM person_bidx")" "$(sql "SELECT count(*) FROM person_bidx")"
check "K-1 has rows" test "$(rows_of K-1)" -gt 0
$K --db s.db case find "Sreypov Chanthy" > f1.txt 2>&1
check "her old name no longer finds K-1" sh -c "! grep -q '^K-1 ' f1.txt"
check "her new name does" sh -c "$K --db s.db case find 'Dara Meas' | grep -q '^K-1 '"
check "K-2 still found" sh -c "$K --db s.db case find 'Rathanak Sokhem' | grep -q '^K-2 '"
check_eq "K-1 had rows before too (the test means something)" 1 "$([ "$k1" -gt 0 ] && echo 1)"

# Rotation re-seals every person: rows replaced by the new key's.
check "rotate" $K --db s.db key rotate
lists_exact "after a rotation"
check_eq "the same number of rows after it" \
    "$(sqlite3 f.db "SELECT count(*) FROM person_bidx")" "$(sql "SELECT count(*) FROM person_bidx")"
check "found after the rotation" sh -c "$K --db s.db case find 'Dara Meas' | grep -q '^K-1 '"

# Erasure: no row of the case left, and no list.
check "erase K-2" $K --db s.db person erase K-2 --reason "request of the person"
check_eq "no blind index row of K-2" 0 "$(rows_of K-2)"
check_eq "no list in K-2's row" 1 "$(sql "SELECT bidx IS NULL FROM person_identity WHERE case_rid = (SELECT rid FROM cases WHERE id = 'K-2')")"
lists_exact "after the erasure"
check "the database is intact" sh -c "sqlite3 s.db 'PRAGMA integrity_check' | grep -qx ok"
