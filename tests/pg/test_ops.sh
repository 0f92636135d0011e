#!/usr/bin/env bash
# The write path's promises through the command line on both backends:
# 50 'ctis case event' run at once on one case keep 50 events (on
# PostgreSQL they kept 4 before the record lock); readers (case list,
# show, history, report, export) work while an import holds the write
# lock on SQLite, and on PostgreSQL through a role that may only read.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
gen="$(dirname "$CTIS")/bench/gen_cases"
cat > one.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}
{"type":"case","id":"C-1","agency":"ngo-1","events":[{"type":"identification","date":"2008-03-01"}]}
J
appends() { # appends DB: 50 parallel appends, then the number of events
    local db=$1 i p fails=0 pids=()
    "$CTIS" --db "$db" import --no-progress one.jsonl 2>/dev/null
    for i in $(seq 1 50); do
        "$CTIS" --db "$db" case event C-1 monitoring_visit 2008-04-01 >/dev/null 2>"err$i.txt" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do
        wait "$p" || fails=$((fails + 1))
    done
    cat err*.txt >&2
    echo "$fails $("$CTIS" --db "$db" case show C-1 | grep -o '"type":"monitoring_visit"' | wc -l)"
}
res=$(appends "$T/conc.db")
check_eq "sqlite: 50 concurrent appends all succeed and are kept" "0 50" "$res"
pg=$(pgdb opsconc)
"$CTIS" --db "$pg" init 2>/dev/null
res=$(appends "$pg")
check_eq "postgresql: 50 concurrent appends all succeed and are kept" "0 50" "$res"
check_eq "postgresql: the history has 51 versions" 52 \
    "$("$CTIS" --db "$pg" case history C-1 | wc -l)"

# SQLite: readers while an import holds the write lock.
"$gen" 40000 big 3 >/dev/null
"$CTIS" --db "$T/r.db" import --no-progress one.jsonl 2>/dev/null
# The import reads its second half from a gate that opens only after the
# readers ran, so it is running, with the write lock taken, whatever the
# speed of the machine (40,000 cases took 0.45 s on a quiet one, under
# the old fixed half-second wait).
mkfifo "$T/gate"
{ head -n 20020 big.jsonl; read -r _ < "$T/gate"; tail -n +20021 big.jsonl; } |
    "$CTIS" --db "$T/r.db" import --no-progress - >/dev/null 2>&1 &
imp=$!
lock_held=no
for _ in $(seq 1000); do
    if ! sqlite3 "$T/r.db" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1; then
        lock_held=yes
        break
    fi
    sleep 0.01
done
kill -0 $imp 2>/dev/null
check_eq "the import is still running" 0 $?
check_eq "the import holds the write lock" yes $lock_held
check "sqlite: case list during an import" "$CTIS" --db "$T/r.db" case list --limit 3
check "sqlite: case show during an import" "$CTIS" --db "$T/r.db" case show C-1
check "sqlite: case history during an import" "$CTIS" --db "$T/r.db" case history C-1
check "sqlite: report during an import" "$CTIS" --db "$T/r.db" report
check "sqlite: export during an import" "$CTIS" --db "$T/r.db" export --public
# the gate is opened with a time limit: a reader that died cannot hang the suite
timeout 60 sh -c 'echo go > "$1"' _ "$T/gate"
wait $imp
check_eq "the import succeeded" 0 $?

# PostgreSQL: a role that may only read.
pgr=$(pgdb opsro)
"$CTIS" --db "$pgr" import --no-progress one.jsonl 2>/dev/null
dbname=${pgr##*/}
psql -q "$pgr" -c "DROP ROLE IF EXISTS ctis_ro_$$; CREATE ROLE ctis_ro_$$ LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ctis_ro_$$" >/dev/null 2>&1
ro="${CTIS_TEST_PG%%://*}://ctis_ro_$$@${CTIS_TEST_PG#*@}/$dbname"
check "read-only role: case list" "$CTIS" --db "$ro" case list
check "read-only role: case show" "$CTIS" --db "$ro" case show C-1
check "read-only role: case history" "$CTIS" --db "$ro" case history C-1
check "read-only role: report" "$CTIS" --db "$ro" report
check "read-only role: export" "$CTIS" --db "$ro" export
"$CTIS" --db "$ro" case event C-1 closure 2009-01-01 >/dev/null 2>&1
check_eq "read-only role: a write is permission denied (7)" 7 $?
