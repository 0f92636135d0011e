#!/usr/bin/env bash
# Migration 6 on both backends: a database whose cases were written
# before migration 3 stored the stage (NULL) and before the status
# followed the events (a closed case says open) is opened by this
# version; every case then has the stage and status model/ derives from
# its events, in batches (1,200 cases: three of 500), and the fill is
# done once (the backfill marker is gone).
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
"$CTIS_BUILD/bench/gen_cases" 1200 "$T/g" 5 >/dev/null
cat >"$T/c.jsonl" <<'J'
{"type":"agency","id":"ngo-1","name":"N","kind":"ngo"}
{"type":"case","id":"Z-1","agency":"ngo-1","status":"open","events":[{"type":"identification","date":"2008-01-02"},{"type":"referral","date":"2008-02-01","to":"ngo"},{"type":"closure","date":"2008-06-01"}]}
{"type":"case","id":"Z-2","agency":"ngo-1","events":[]}
J
pg=$(pgdb stagefill)
# old DB SQL...: turn a current database into one of schema 5 whose cases
# were never written since migration 3 (without migration 6's table and
# 7's column)
old_sqlite() {
    sqlite3 "$1" "UPDATE cases SET stage = NULL; UPDATE cases SET status = 0 WHERE id = 'Z-1';
        DROP TABLE backfill; DROP INDEX person_identity_name_rule;
        ALTER TABLE person_identity DROP COLUMN name_rule;
        ALTER TABLE person_identity DROP COLUMN bidx; PRAGMA user_version = 5;"
}
old_pg() {
    psql -q "$1" -c "UPDATE cases SET stage = NULL; UPDATE cases SET status = 0 WHERE id = 'Z-1';
        DROP TABLE backfill; ALTER TABLE person_identity DROP COLUMN name_rule;
        UPDATE ctis_schema SET version = 5" >/dev/null
}
for db in "$T/s.db" "$pg"; do
    case $db in postgresql:*) kind=postgresql ;; *) kind=sqlite ;; esac
    check "$kind: import" "$CTIS" --db "$db" import --no-progress "$T/g.jsonl" "$T/c.jsonl"
    "$CTIS" --db "$db" case list --limit 2000 >"$T/before.txt"
    if [ $kind = sqlite ]; then old_sqlite "$db"; else old_pg "$db"; fi
    "$CTIS" --db "$db" case list --limit 2000 >"$T/old.txt" 2>&1
    check "$kind: the old database says open and has no stage" sh -c "! diff -q '$T/before.txt' '$T/old.txt' >/dev/null"
    check "$kind: opened for writing, migrated" "$CTIS" --db "$db" init
    "$CTIS" --db "$db" case list --limit 2000 >"$T/after.txt"
    check "$kind: every case's stage and status from its events" diff "$T/before.txt" "$T/after.txt"
    check "$kind: Z-1 closed_referred at closure" grep -q '^Z-1 .*closed_referred  *closure' "$T/after.txt"
    check "$kind: Z-2 registered" grep -q '^Z-2 .*open  *registered' "$T/after.txt"
    if [ $kind = sqlite ]; then
        n=$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE stage IS NULL; SELECT count(*) FROM backfill")
    else
        n=$(psql -qtA "$db" -c "SELECT count(*) FROM cases WHERE stage IS NULL" -c "SELECT count(*) FROM backfill")
    fi
    check_eq "$kind: no case without a stage, the fill done" "0 0" "$(echo $n)"
done
