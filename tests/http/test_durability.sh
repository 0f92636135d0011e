# Durability and concurrency against the real server: writes from many
# connections, the server killed with SIGKILL mid-stream, restarted:
# every write that was answered 201 is there, and none twice. Then reads
# keep being answered (no 5xx) while a bulk 'ctis import' writes to the
# same database.
. "$(dirname "$0")/../lib.sh"
. "$CTIS_SRC/tests/http/lib.sh"
mkdir -p web
"$CTIS" --db t.db init >/dev/null 2>&1
W=8
{
    echo '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}'
    for w in $(seq 1 $W); do echo "{\"type\":\"case\",\"id\":\"D-$w\",\"agency\":\"ngo-1\"}"; done
} > d.jsonl
"$CTIS" --db t.db import d.jsonl >/dev/null 2>&1
PW=correct-horse-battery
echo "$PW" > pw
"$CTIS" --db t.db user add --username cw --role case_worker --agency ngo-1 --password-file pw >/dev/null 2>&1
check "start the server" start_server t.db
req POST /api/session -H 'Content-Type: application/json' --data-binary "{\"username\":\"cw\",\"password\":\"$PW\"}" >/dev/null
TOK=$(body_json 'd["token"]')

# Each writer appends events to its own case, one date per event, and
# notes each date the server answered 201 for; and creates cases.
writer() {
    local w=$1 i s d
    for i in $(seq 1 400); do
        d=$(date -u -d "2001-01-01 + $i days" +%F)
        s=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
            -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
            --data-binary "{\"type\":\"monitoring_visit\",\"date\":\"$d\"}" \
            "$BASE/api/cases/D-$w/events")
        [ "$s" = 201 ] && echo "$d" >> "acked-$w"
        s=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
            -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' \
            --data-binary "{\"id\":\"N-$w-$i\",\"agency\":\"ngo-1\"}" "$BASE/api/cases")
        [ "$s" = 201 ] && echo "N-$w-$i" >> "created"
        [ -z "$s" ] || [ "$s" = 000 ] && break
    done
}
for w in $(seq 1 $W); do : > "acked-$w"; writer "$w" & done
sleep 3
kill -KILL "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
SRV_PID=""
wait
total=$(cat acked-* | wc -l)
check "writes were answered before the kill ($total events)" test "$total" -gt 0
check "start again" start_server t.db
req POST /api/session -H 'Content-Type: application/json' --data-binary "{\"username\":\"cw\",\"password\":\"$PW\"}" >/dev/null
TOK=$(body_json 'd["token"]')
lost=0
twice=0
for w in $(seq 1 $W); do
    req GET "/api/cases/D-$w/events" -H "Authorization: Bearer $TOK" >/dev/null
    body_json '"\n".join(e["date"] for e in d["items"])' | sort > "have-$w"
    sort "acked-$w" > "want-$w"
    lost=$((lost + $(comm -23 "want-$w" "have-$w" | wc -l)))
    twice=$((twice + $(uniq -d "have-$w" | wc -l)))
done
check_eq "every event answered 201 is there" 0 "$lost"
check_eq "and none is there twice" 0 "$twice"
n=$(sqlite3 t.db "SELECT count(*) FROM cases WHERE id LIKE 'N-%'")
missing=0
while read -r id; do
    [ "$(sqlite3 t.db "SELECT count(*) FROM cases WHERE id = '$id'")" = 1 ] || missing=$((missing + 1))
done < created
check_eq "every case answered 201 is there ($(wc -l < created) of $n)" 0 "$missing"
check "the audit chain survived the kill" "$CTIS" --db t.db audit verify
n_audit=$(sqlite3 t.db "SELECT count(*) FROM audit WHERE action = 'case.event'")
n_ev=$(sqlite3 t.db "SELECT count(*) FROM event")
check "every stored event has its audit entry ($n_audit entries, $n_ev events)" test "$n_audit" -ge "$n_ev"

# Reads during a bulk import.
python3 - > bulk.jsonl <<'P'
for i in range(20000):
    print('{"type":"case","id":"B-%d","agency":"ngo-1","movement":"internal","events":[{"type":"identification","date":"2006-01-01"}]}' % i)
P
"$CTIS" --db t.db import bulk.jsonl > import.out 2>&1 &
IMP=$!
n=0
bad=0
while kill -0 $IMP 2>/dev/null; do
    s=$(req GET /api/cases/D-1 -H "Authorization: Bearer $TOK")
    n=$((n + 1))
    case $s in 5??|000) bad=$((bad + 1)) ;; esac
done
wait $IMP
check_eq "the import succeeded" 0 $?
check "reads were made during the import ($n)" test "$n" -gt 0
check_eq "and none got a 5xx" 0 "$bad"
stop_server TERM
