#!/usr/bin/env bash
# The answer a server keeps for an idempotency key holds the record the
# create made, the person's names included: in a sealed database it is
# sealed too (store.c), on SQLite and on PostgreSQL. A retried create gets
# the same answer; the idempotency table holds no name in clear.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/http/lib.sh"
mkdir -p web
printf '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}\n' > a.jsonl
echo correct-horse-battery > pw
case_json='{"id":"K-9","agency":"ngo-1","person":{"given_name":"Idemsecretzz","family_name":"Keptxq","phone":"+855 12 777 4321"},"events":[{"type":"identification","date":"2008-03-01"}]}'
# one DB QUERY: the database, and a command printing how many kept
# answers name the person
one() {
    local db=$1 count=$2
    check "key init" "$CTIS" --db "$db" --key-file k1 key init
    check "agency" "$CTIS" --db "$db" --key-file k1 import a.jsonl
    check "a case worker" "$CTIS" --db "$db" user add --username cw --role case_worker --agency ngo-1 --password-file pw
    CTIS_KEY_FILE=k1 start_server "$db"
    req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' > /dev/null
    TOK=$(body_json 'd["token"]')
    s1=$(jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: seal-1')
    cp "$T/body" b1.json
    s2=$(jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: seal-1')
    cp "$T/body" b2.json
    stop_server TERM
    check_eq "$db: an idempotent create twice: 201 both times" "201 201" "$s1 $s2"
    check "$db: the same answer the second time" cmp b1.json b2.json
    check "$db: the answer names the person" grep -q Idemsecretzz b1.json
    check_eq "$db: one answer kept" 1 "$($count "select count(*) from idempotency")"
    check_eq "$db: no name in clear in it" 0 "$($count "select count(*) from idempotency where body like '%Idemsecretzz%' or body like '%4321%'")"
    # a rotation seals the kept answer again under the new key (it stayed
    # under the deleted one: the retry answered 503 "no key was given")
    check "$db: key rotate" "$CTIS" --db "$db" --key-file k1 key rotate
    check_eq "$db: the answer is sealed under generation 2" 1 "$($count "select count(*) from idempotency where body like 'sealed:2:%'")"
    CTIS_KEY_FILE=k1 start_server "$db"
    req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' > /dev/null
    TOK=$(body_json 'd["token"]')
    s3=$(jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: seal-1')
    cp "$T/body" b3.json
    stop_server TERM
    check_eq "$db: after a rotation the retry gets the first answer" 201 "$s3"
    check "$db: the same answer after the rotation" cmp b1.json b3.json
}
sq() { sqlite3 s.db "$1"; }
one s.db sq
check_eq "no name in the SQLite file" "" "$(grep -ac Idemsecretzz s.db s.db-wal 2> /dev/null | grep -v ':0$')"
if [ -n "${CTIS_TEST_PG:-}" ]; then
    pgurl="$CTIS_TEST_PG/ctis_sealidem_$$"
    pq() { psql -X -q -At -d "$pgurl" -c "$1"; }
    one "$pgurl" pq
else
    not_ok "CTIS_TEST_PG is not set (run through make test)"
fi
# A clear database sealed by key init: the answers it kept in clear are
# sealed too (they stayed in clear, names included, in the sealed file)
upgrade() {
    local db=$1 count=$2
    check "$db: agency" "$CTIS" --db "$db" import a.jsonl
    check "$db: a case worker" "$CTIS" --db "$db" user add --username cw --role case_worker --agency ngo-1 --password-file pw
    start_server "$db"
    req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' > /dev/null
    TOK=$(body_json 'd["token"]')
    jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: up-1' > /dev/null
    cp "$T/body" u1.json
    stop_server TERM
    check "$db: key init" "$CTIS" --db "$db" --key-file ku key init
    check_eq "$db: the kept answer is sealed" 1 "$($count "select count(*) from idempotency where body like 'sealed:%'")"
    CTIS_KEY_FILE=ku start_server "$db"
    req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' > /dev/null
    TOK=$(body_json 'd["token"]')
    s4=$(jreq POST /api/cases "$TOK" "$case_json" -H 'Idempotency-Key: up-1')
    cp "$T/body" u2.json
    stop_server TERM
    check_eq "$db: the retry gets the first answer" 201 "$s4"
    check "$db: the same answer" cmp u1.json u2.json
}
usq() { sqlite3 u.db "$1"; }
upgrade u.db usq
check_eq "no name in clear in the sealed SQLite file" "" "$(grep -ac Idemsecretzz u.db u.db-wal 2> /dev/null | grep -v ':0$')"
if [ -n "${CTIS_TEST_PG:-}" ]; then
    upurl="$CTIS_TEST_PG/ctis_sealidemup_$$"
    upq() { psql -X -q -At -d "$upurl" -c "$1"; }
    upgrade "$upurl" upq
fi
