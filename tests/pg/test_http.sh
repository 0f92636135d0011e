#!/usr/bin/env bash
# The API server on PostgreSQL: sessions, writes from several connections,
# idempotent creates, the audit trail chained on the server (migration 4),
# 'ctis audit verify' intact, then failing after a row is edited with
# psql; the monitoring interval stored.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
source "$CTIS_SRC/tests/http/lib.sh"
mkdir -p web
db=$(pgdb http)
printf '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}\n{"type":"case","id":"C-1","agency":"ngo-1","person":{"given_name":"Pgsecret"}}\n' > d.jsonl
check "import on PostgreSQL" "$CTIS" --db "$db" import d.jsonl
echo correct-horse-battery > pw
check "add a case worker" "$CTIS" --db "$db" user add --username cw --role case_worker --agency ngo-1 --password-file pw
check "add an admin" "$CTIS" --db "$db" user add --username root --role admin --password-file pw
check "start the server on PostgreSQL" start_server "$db"
req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"cw","password":"correct-horse-battery"}' >/dev/null
TOK=$(body_json 'd["token"]')
check_eq "log in" 64 "${#TOK}"
check_eq "read a case" 200 "$(jreq GET /api/cases/C-1 "$TOK" '')"
pids=()
for i in 1 2 3 4 5 6; do
    curl -s -o /dev/null -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
        --data-binary "{\"type\":\"monitoring_visit\",\"date\":\"2008-0$i-01\"}" "$BASE/api/cases/C-1/events" &
    pids+=($!)
done
wait "${pids[@]}"
jreq GET /api/cases/C-1/events "$TOK" '' >/dev/null
check_eq "six concurrent events, six kept" 6 "$(body_json 'len(d["items"])')"
s1=$(jreq POST /api/cases "$TOK" '{"id":"K-1","agency":"ngo-1"}' -H 'Idempotency-Key: pg-1')
s2=$(jreq POST /api/cases "$TOK" '{"id":"K-1","agency":"ngo-1"}' -H 'Idempotency-Key: pg-1')
check_eq "an idempotent create twice: 201 both times" "201 201" "$s1 $s2"
req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"root","password":"correct-horse-battery"}' >/dev/null
ROOT=$(body_json 'd["token"]')
check_eq "set ngo-1's monitoring interval" 200 "$(jreq PATCH /api/agencies/ngo-1 "$ROOT" '{"monitoring_interval_days":45}' -H 'If-Match: "1"')"
check_eq "kept" 45 "$(jreq GET /api/agencies/ngo-1 "$ROOT" '' >/dev/null; body_json 'd["monitoring_interval_days"]')"
stop_server TERM
check_eq "graceful stop" 0 "$SRV_RC"
check "audit verify on PostgreSQL" "$CTIS" --db "$db" audit verify
n=$("$CTIS" --db "$db" audit list | grep -c '"action":"case.event"')
check_eq "an entry per event" 6 "$n"
check_fails "no identifying value in the trail" sh -c "'$CTIS' --db '$db' audit list | grep -q Pgsecret"
psql -q "$db" -c "UPDATE audit SET \"user\" = 'nobody' WHERE seq = 3" >/dev/null 2>&1
"$CTIS" --db "$db" audit verify > v.out 2>&1
check_eq "audit verify after an edit exits 5" 5 $?
check "and names entry 3" grep -q "audit entry 3 was altered" v.out
