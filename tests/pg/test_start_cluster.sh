#!/usr/bin/env bash
# tests/pg/start_cluster.sh when the port it picks is taken between its
# check and the server's start (another suite starting a cluster at the
# same moment): it starts on the next free port. Before, it picked the
# first port nobody answered on and failed when the server could not bind
# it. The port is held here by a socket bound but not listening, which
# the script's check (a connection) cannot see, as a concurrent server's
# port is not seen before it listens. And the cluster is its caller's:
# another local user cannot connect as its superuser.
source "$(dirname "$0")/../lib.sh"
# first_free: the port the script would pick now
first_free() {
    local p=54000
    while [ $p -lt 54999 ]; do
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$p" ]; then echo $p; return; fi
        p=$((p + 1))
    done
}
# hold it (another suite may take it first, and python may be slow to
# start on a loaded machine: try a few times, wait long enough)
for _ in 1 2 3 4 5; do
    first=$(first_free)
    python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
print("held", flush=True)
time.sleep(300)' "$first" > held.txt 2>&1 &
    holder=$!
    for _ in $(seq 300); do
        grep -q held held.txt && break
        kill -0 $holder 2>/dev/null || break
        sleep 0.1
    done
    grep -q held held.txt && break
done
check "port $first is held, bound but not listening" grep -q held held.txt
if out=$(bash "$CTIS_SRC/tests/pg/start_cluster.sh" 2>start.err); then
    ok "a cluster starts although its first port is taken"
    dir=$(echo "$out" | head -1)
    url=$(echo "$out" | tail -1)
    check_fails "on another port" test "${url##*:}" = "$first"
    check "and answers there, with the password of its pgpass" env PGPASSFILE="$dir/pgpass" psql -X -q -At -d "$url/postgres" -c 'select 1'
    check_eq "which is its caller's only" "600 $(id -un)" "$(stat -c '%a %U' "$dir/pgpass")"
    # another local user: the superuser over TCP needs the password
    # (trust let anyone in, and COPY ... TO PROGRAM runs programs as the
    # server's Unix user); the socket's folder is closed to them
    if second_user; then
        check_fails "another Unix user cannot connect as the superuser" \
            as_other env -u PGPASSFILE psql -X -q -At -w -d "$url/postgres" -c 'select 1'
        check_fails "nor through the Unix socket" \
            as_other psql -X -q -At -w -h "$dir" -p "${url##*:}" -U "$(echo "$url" | sed 's|.*//\([^@]*\)@.*|\1|')" -d postgres -c 'select 1'
    fi
    bash "$CTIS_SRC/tests/pg/stop_cluster.sh" "$dir"
else
    not_ok "a cluster starts although its first port is taken"
    sed 's/^/#   /' start.err | tail -5
fi
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null || true
