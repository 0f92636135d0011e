#!/usr/bin/env bash
# PostgreSQL restarted in the middle of an import: the import either
# completes (it reconnects and replays its transaction) or fails cleanly
# with a message naming the server, and the database then holds all of
# the file or none of it. Restarts at several moments, fast (sessions
# terminated) and immediate (a crash and recovery).
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
: "${CTIS_TEST_PG_DIR:?set CTIS_TEST_PG_DIR to the cluster folder}"
gen="$(dirname "$CTIS")/bench/gen_cases"
N=${CTIS_TEST_RESTART_CASES:-8000}
export CTIS_PG_FLUSH_BYTES=${CTIS_PG_FLUSH_BYTES:-524288}

"$gen" "$N" "$T/f" 3 >/dev/null
"$CTIS" --db "$T/ref.db" import --no-progress "$T/f.jsonl" 2>/dev/null
"$CTIS" --db "$T/ref.db" export >"$T/ref.jsonl"
# A few records already there must survive whatever happens; the rest of
# the file goes in all or not at all.
head -25 "$T/f.jsonl" >"$T/head.jsonl"

i=0
hit=0
for mode in fast immediate; do
    for delay in 0.2 0.8 1.6; do
        i=$((i + 1))
        db=$(pgdb "restart$i")
        "$CTIS" --db "$db" import --no-progress "$T/head.jsonl" 2>/dev/null
        "$CTIS" --db "$db" import --no-progress "$T/f.jsonl" >"$T/imp.out" 2>&1 &
        pid=$!
        sleep "$delay"
        if kill -0 $pid 2>/dev/null; then hit=$((hit + 1)); fi
        pg_ctl_as -m "$mode" -w -t 60 restart >/dev/null 2>&1
        wait $pid
        rc=$?
        name="restart $mode after ${delay}s"
        n=$("$CTIS" --db "$db" export 2>"$T/exp.err" | tee "$T/got.jsonl" | grep -c '"type":"case"')
        if [ "$rc" -eq 0 ]; then
            ok "$name: import completed"
            check "$name: the database holds all of the file" cmp "$T/ref.jsonl" "$T/got.jsonl"
        elif [ "$rc" -eq 5 ] || [ "$rc" -eq 6 ]; then
            if grep -q "$(echo "$CTIS_TEST_PG" | sed 's|.*@||')/" "$T/imp.out"; then
                ok "$name: import failed cleanly naming the server (status $rc)"
            else
                not_ok "$name: failure names the server"
                sed 's/^/#   /' "$T/imp.out"
            fi
            check_eq "$name: the database holds none of the file" 5 "$n"
        else
            not_ok "$name: import completes or fails cleanly (status $rc)"
            sed 's/^/#   /' "$T/imp.out"
        fi
        if [ -s "$T/exp.err" ]; then
            not_ok "$name: export after the restart"
            sed 's/^/#   /' "$T/exp.err"
        fi
    done
done
# A transaction too large to keep for a replay (here anything over 4 KiB)
# cannot be retried after the restart: reported as not done, naming the
# server, and nothing of it is in the database.
db=$(pgdb restart_big)
"$CTIS" --db "$db" import --no-progress "$T/head.jsonl" 2>/dev/null
CTIS_PG_REPLAY_BYTES=4096 "$CTIS" --db "$db" import --no-progress "$T/f.jsonl" >"$T/imp.out" 2>&1 &
pid=$!
sleep 0.8
if kill -0 $pid 2>/dev/null; then hit=$((hit + 1)); fi
pg_ctl_as -m fast -w -t 60 restart >/dev/null 2>&1
wait $pid
rc=$?
n=$("$CTIS" --db "$db" export | grep -c '"type":"case"')
server="$(echo "$CTIS_TEST_PG" | sed 's|.*@||')/"
# Every failure says what failed and names the server: the restart may
# come while the import connects ("cannot connect to PostgreSQL server
# 'HOST:PORT/DB'", "... lost the connection to PostgreSQL server ..."),
# while it writes or at its last step, the file's audit entry ("... too
# large to retry and was not done"). A bare "connection failed" was once
# printed when it came at that last step (tests/ops/test_ops.c,
# test_audit_lost_connection).
if [ "$rc" -eq 5 ] && grep -q "not done" "$T/imp.out" && grep -q "$server" "$T/imp.out"; then
    ok "too large to replay: reported as not done, naming the server"
elif [ "$rc" -eq 5 ] && grep -qE "cannot connect to PostgreSQL server '|lost the connection to PostgreSQL server '" "$T/imp.out" &&
    grep -q "$server" "$T/imp.out"; then
    ok "too large to replay: restart while connecting, reported naming the server"
elif [ "$rc" -eq 0 ]; then
    # The restart came after the commit: then all of it is there.
    check_eq "too large to replay, committed before the restart: all there" "$N" "$n"
else
    not_ok "too large to replay: a failure that says what failed and names the server (status $rc)"
    sed 's/^/#   /' "$T/imp.out"
fi
[ "$rc" -eq 0 ] || check_eq "too large to replay: none of the file in the database" 5 "$n"
i=$((i + 1))

# A sealed database: the batches replayed after the restart are sealed
# again from the client's buffers (pg_seal.c); all or nothing as above,
# every identity sealed, and the file opens with the key.
for mode in fast immediate; do
    i=$((i + 1))
    db=$(pgdb "restart_sealed_$mode")
    "$CTIS" --db "$db" --key-file "$T/k" key init > /dev/null 2>&1
    "$CTIS" --db "$db" --key-file "$T/k" import --no-progress "$T/head.jsonl" 2>/dev/null
    "$CTIS" --db "$db" --key-file "$T/k" import --no-progress "$T/f.jsonl" >"$T/imp.out" 2>&1 &
    pid=$!
    sleep 0.8
    if kill -0 $pid 2>/dev/null; then hit=$((hit + 1)); fi
    pg_ctl_as -m "$mode" -w -t 60 restart >/dev/null 2>&1
    wait $pid
    rc=$?
    name="sealed, restart $mode"
    n=$("$CTIS" --db "$db" --key-file "$T/k" export 2>"$T/exp.err" | tee "$T/got.jsonl" | grep -c '"type":"case"')
    if [ "$rc" -eq 0 ]; then
        check "$name: the database holds all of the file" cmp "$T/ref.jsonl" "$T/got.jsonl"
    elif [ "$rc" -eq 5 ] || [ "$rc" -eq 6 ]; then
        check_eq "$name: failed cleanly, none of the file" 5 "$n"
    else
        not_ok "$name: import completes or fails cleanly (status $rc)"
        sed 's/^/#   /' "$T/imp.out"
    fi
    check_eq "$name: every identity sealed" 0 "$(psql -X -At -d "$db" -c "select count(*) from person_identity where sealed is null or given_name is not null")"
    check_eq "$name: every version body sealed" 0 "$(psql -X -At -d "$db" -c "select count(*) from record_version where kind = 1 and body not like 'sealed:%'")"
done

if [ "$hit" -gt 0 ]; then
    ok "$hit of $i restarts hit a running import"
else
    not_ok "no restart hit a running import (make the file larger)"
fi
# The cluster is up again for the tests that follow.
check "server accepts connections again" "$CTIS" --db "$(pgdb after)" init
