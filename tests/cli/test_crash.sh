# Crash safety: ctis import killed with SIGKILL part way through a large
# file leaves a database that opens, passes PRAGMA integrity_check and
# holds all of the file or none of it.
. "$(dirname "$0")/../lib.sh"
N=60000
"$CTIS_BUILD/bench/gen_cases" $N big 7 || { not_ok "generate $N cases"; exit 0; }
"$CTIS" --db k.db init 2>/dev/null
total=$(stat -c %s big.jsonl)
# Position of the importer in big.jsonl, from /proc: how far it has read.
read_pos() {
    local fd
    for fd in /proc/"$1"/fd/*; do
        if [ "$(readlink "$fd" 2>/dev/null)" = "$T/big.jsonl" ]; then
            awk '/^pos:/ {print $2}' /proc/"$1"/fdinfo/"${fd##*/}" 2>/dev/null
            return
        fi
    done
    echo 0
}
# Kill once the importer has read 20%, 50% and 90% of the file: it is then
# part way through its one transaction.
for pct in 20 50 90; do
    delay="${pct}%"
    "$CTIS" --db k.db import --no-progress big.jsonl >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 3000); do
        pos=$(read_pos $pid)
        [ "${pos:-0}" -ge $((total * pct / 100)) ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.01
    done
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    ic=$(sqlite3 k.db "PRAGMA integrity_check" 2>&1)
    check_eq "integrity_check after SIGKILL at ${delay} read" ok "$ic"
    n=$(sqlite3 k.db "select count(*) from cases" 2>&1)
    if [ "$n" = 0 ] || [ "$n" = $N ]; then
        ok "all or nothing after SIGKILL at ${delay} read ($n cases)"
    else
        not_ok "all or nothing after SIGKILL at ${delay} read ($n cases)"
    fi
    e=$(sqlite3 k.db "select count(*) from event" 2>&1)
    check_eq "events match cases after SIGKILL at ${delay} read" $((n * 4)) "$e"
done
check "import completes after the crashes" "$CTIS" --db k.db import --no-progress big.jsonl
n=$(sqlite3 k.db "select count(*) from cases")
check_eq "the whole file is there" $N "$n"
