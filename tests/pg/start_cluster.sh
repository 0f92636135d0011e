#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for tests and benchmarks:
# initdb into a new temporary folder, listening on 127.0.0.1 only, on a
# free port from 54000 up, unix socket in that folder, trust
# authentication. Several suites may start clusters at once: a port that
# looked free can be taken before the server binds it, so a start that
# fails on a port in use is tried again on the next free one. initdb refuses root, so as root the cluster runs as the
# `postgres` system user (or `ctispg`, created if needed).
# Usage: start_cluster.sh  -> prints two lines: the folder and the base URL
# (postgresql://USER@127.0.0.1:PORT). Stop it with stop_cluster.sh FOLDER.
# The superuser USER needs a password over TCP (scram-sha-256; a random
# one, in FOLDER/pgpass): with trust, every local user could connect as
# the superuser while the tests ran, read their databases and run
# programs as the server's Unix user (COPY ... TO PROGRAM). Callers set
# PGPASSFILE=FOLDER/pgpass (scripts/test.sh, tests/pg/pg_lib.sh, bench/).
# Other roles (short-lived read-only ones of tests) and the Unix socket,
# in FOLDER (mode 0700), stay trusted.
# CTIS_PG_CONF may hold extra postgresql.conf lines (the benchmark gives
# the server more memory than the tests do).
set -euo pipefail
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "start_cluster: no PostgreSQL server (initdb) found" >&2; exit 1; }
dir=$(mktemp -d /tmp/ctis-pg-XXXXXX)
run=()
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    if ! id "$user" >/dev/null 2>&1; then
        user=ctispg
        id "$user" >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$user"
    fi
    chown "$user" "$dir"
    run=(su "$user" -s /bin/sh -c)
fi
as_user() {
    if [ ${#run[@]} -gt 0 ]; then "${run[@]}" "$*"; else sh -c "$*"; fi
}
# free_port FROM: the first port from FROM on that nobody answers on
free_port() {
    local p=$1
    while [ "$p" -lt 54999 ]; do
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && [ ! -e "/tmp/.s.PGSQL.$p" ]; then
            echo "$p"
            return 0
        fi
        p=$((p + 1))
    done
    return 1
}
pw=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
(umask 077 && printf '%s\n' "$pw" >"$dir/pw")
[ ${#run[@]} -eq 0 ] || chown "$user" "$dir/pw"
as_user "'$bin/initdb' -D '$dir/data' -U '$user' --pwfile='$dir/pw' --auth-local=trust --auth-host=scram-sha-256 --locale=C.UTF-8 -E UTF8 -N >'$dir/initdb.log' 2>&1" ||
    { rm -f "$dir/pw"; cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pw"
cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host all $user 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
HBA
(umask 077 && printf '127.0.0.1:*:*:%s:%s\n' "$user" "$pw" >"$dir/pgpass")
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = on
full_page_writes = off
shared_buffers = 64MB
max_connections = 120
deadlock_timeout = 200ms
log_min_messages = warning
${CTIS_PG_CONF:-}
CONF
# the last "port =" line of postgresql.conf wins: one more per try
port=54000
tries=0
while :; do
    port=$(free_port "$port") || { echo "start_cluster: no free port below 54999" >&2; exit 1; }
    echo "port = $port" >>"$dir/data/postgresql.conf"
    : >"$dir/server.log"
    [ ${#run[@]} -eq 0 ] || chown "$user" "$dir/server.log"
    if as_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start >/dev/null"; then
        break
    fi
    tries=$((tries + 1))
    if [ $tries -ge 20 ] || ! grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets' "$dir/server.log"; then
        cat "$dir/server.log" >&2
        exit 1
    fi
    port=$((port + 1))
done
echo "$dir"
echo "postgresql://$user@127.0.0.1:$port"
