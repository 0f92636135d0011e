# make run's script (scripts/run.sh) on a scratch database: it creates the
# demo data, prints the URL and a first admin password once, serves; the
# admin logs in, must change the password first, and a second run prints
# no password again.
. "$(dirname "$0")/../lib.sh"
. "$CTIS_SRC/tests/http/lib.sh"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
CTIS_DB=$T/run.db CTIS_LISTEN=127.0.0.1:$PORT sh "$CTIS_SRC/scripts/run.sh" > run.out 2>&1 &
SRV_PID=$!
for i in $(seq 1 200); do alive && break; sleep 0.1; done
check "make run serves the demo database" alive
check "and prints the URL" grep -q "http://127.0.0.1:$PORT/" run.out
PWX=$(sed -n "s/^run: first login: user 'admin', password '\(.*\)'$/\1/p" run.out)
check "and a first admin password" test -n "$PWX"
req POST /api/session -H 'Content-Type: application/json' --data-binary "{\"username\":\"admin\",\"password\":\"$PWX\"}" >/dev/null
TOK=$(body_json 'd["token"]')
check_eq "the admin logs in" 64 "${#TOK}"
check_eq "and must change the password first" password_change_required "$(jreq GET /api/cases "$TOK" '' >/dev/null; error_code)"
check_eq "change it" 204 "$(jreq POST /api/session/password "$TOK" "{\"password\":\"$PWX\",\"new_password\":\"a-new-long-password\"}")"
req POST /api/session -H 'Content-Type: application/json' --data-binary '{"username":"admin","password":"a-new-long-password"}' >/dev/null
TOK=$(body_json 'd["token"]')
check_eq "then reads the demo cases" 200 "$(jreq GET '/api/cases?per_page=5' "$TOK" '')"
check_eq "five of them" 5 "$(body_json 'len(d["items"])')"
stop_server TERM
CTIS_DB=$T/run.db CTIS_LISTEN=127.0.0.1:$PORT sh "$CTIS_SRC/scripts/run.sh" > run2.out 2>&1 &
SRV_PID=$!
for i in $(seq 1 200); do alive && break; sleep 0.1; done
check_fails "a second run prints no password" grep -q "password '" run2.out
stop_server TERM
