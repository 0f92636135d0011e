# Crash safety: ctis import killed with SIGKILL part way through a large
# file leaves a database that opens, passes PRAGMA integrity_check and
# holds all of the file or none of it.
. "$(dirname "$0")/../lib.sh"
N=60000
"$CTIS_BUILD/bench/gen_cases" $N big 7 || { not_ok "generate $N cases"; exit 0; }
"$CTIS" --db k.db init 2>/dev/null
# Kill once the write-ahead log has grown past 1, 8 and 20 MB: the import
# is then part way through its transaction.
for mb in 1 8 20; do
    delay="${mb}MB"
    "$CTIS" --db k.db import --no-progress big.jsonl >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 600); do
        size=$(stat -c %s k.db-wal 2>/dev/null || echo 0)
        [ "$size" -gt $((mb * 1000000)) ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.02
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    ic=$(sqlite3 k.db "PRAGMA integrity_check" 2>&1)
    check_eq "integrity_check after SIGKILL at WAL ${delay}" ok "$ic"
    n=$(sqlite3 k.db "select count(*) from cases" 2>&1)
    if [ "$n" = 0 ] || [ "$n" = $N ]; then
        ok "all or nothing after SIGKILL at WAL ${delay} ($n cases)"
    else
        not_ok "all or nothing after SIGKILL at WAL ${delay} ($n cases)"
    fi
    e=$(sqlite3 k.db "select count(*) from event" 2>&1)
    check_eq "events match cases after SIGKILL at WAL ${delay}" $((n * 4)) "$e"
done
check "import completes after the crashes" "$CTIS" --db k.db import --no-progress big.jsonl
n=$(sqlite3 k.db "select count(*) from cases")
check_eq "the whole file is there" $N "$n"
