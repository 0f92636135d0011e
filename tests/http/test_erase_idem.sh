#!/usr/bin/env bash
# person erase also forgets the answers the server kept for idempotent
# creates of the case (the created record, names included): after an
# erasure a retried create must not hand the names back, and no copy of
# them, sealed or clear, may stay in the idempotency table (a backup made
# after the erasure would carry it). SQLite clear and sealed, PostgreSQL.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/http/lib.sh"
mkdir -p web
printf '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}\n' > a.jsonl
echo correct-horse-battery > pw
case_json='{"id":"E-7","agency":"ngo-1","person":{"given_name":"Erasezzqv","family_name":"Gonexq","phone":"+855 12 777 9876"},"events":[{"type":"identification","date":"2008-03-01"}]}'
ev_json='{"type":"service","date":"2008-03-05","service":"shelter"}'
# one LABEL DB COUNT [KEYOPTS...]: create the case and an event through
# the API with idempotency keys, erase the person, retry both
one() {
    local label=$1 db=$2 count=$3
    shift 3
    check "$label: agency" "$CTIS" --db "$db" "$@" import a.jsonl
    check "$label: a case worker" "$CTIS" --db "$db" user add --username cw --role case_worker --agency ngo-1 --password-file pw
    start_server "$db" "$@"
    req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' > /dev/null
    TOK=$(body_json 'd["token"]')
    s1=$(jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: er-1')
    s2=$(jreq POST /api/cases/E-7/events "$TOK" "$ev_json" -H 'Idempotency-Key: er-2')
    stop_server TERM
    check_eq "$label: created, event added" "201 201" "$s1 $s2"
    check_eq "$label: two answers kept" 2 "$($count "select count(*) from idempotency")"
    check "$label: erase" "$CTIS" --db "$db" "$@" person erase E-7 --reason "asked by the person"
    check_eq "$label: the two answers still kept" 2 "$($count "select count(*) from idempotency")"
    start_server "$db" "$@"
    req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' > /dev/null
    TOK=$(body_json 'd["token"]')
    s1=$(jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: er-1')
    cp "$T/body" r1.json
    h1=$(header Idempotent-Replayed)
    s2=$(jreq POST /api/cases/E-7/events "$TOK" "$ev_json" -H 'Idempotency-Key: er-2')
    cp "$T/body" r2.json
    h2=$(header Idempotent-Replayed)
    stop_server TERM
    check_eq "$label: both retries get their first answer again" "201 true 201 true" "$s1 $h1 $s2 $h2"
    check "$label: the case is still in it" grep -q '"id":"E-7"' r1.json
        check_eq "$label: a retried create names nobody" "" "$(grep -l -e Erasezzqv -e Gonexq -e 9876 r1.json r2.json)"
}
sq() { sqlite3 "$DB" "$1"; }
DB=c.db one "clear SQLite" c.db sq
check_eq "clear SQLite: no name left in the file" "" "$(grep -ac -e Erasezzqv -e Gonexq c.db c.db-wal 2> /dev/null | grep -v ':0$')"
check "key init" "$CTIS" --db s.db --key-file k1 key init
DB=s.db one "sealed SQLite" s.db sq --key-file k1
if [ -n "${CTIS_TEST_PG:-}" ]; then
    pgurl="$CTIS_TEST_PG/ctis_eraseidem_$$"
    pq() { psql -X -q -At -d "$pgurl" -c "$1"; }
    check "pg key init" "$CTIS" --db "$pgurl" --key-file k2 key init
    one "PostgreSQL" "$pgurl" pq --key-file k2
else
    not_ok "CTIS_TEST_PG is not set (run through make test)"
fi
