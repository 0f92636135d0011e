# Helpers for the HTTP tests: start the real server (ctis serve) on
# 127.0.0.1 and a free port, talk to it with curl, stop it. Source after
# tests/lib.sh. Every request's status goes to stdout, its body to
# $T/body and its headers to $T/head.
: "${CTIS:?set CTIS to the ctis binary}"
SRV_PID=""
PORT=""
SRV_LOG="$T/server.log"
# start_server DB [serve options...]: start and wait until it listens
start_server() {
    local db=$1
    shift
    rm -f "$T/port"
    "$CTIS" --db "$db" serve --listen 127.0.0.1:0 --port-file "$T/port" \
        --web "${WEB_DIR:-$T/web}" "$@" 2>>"$SRV_LOG" &
    SRV_PID=$!
    local i
    for i in $(seq 1 200); do
        if [ -s "$T/port" ]; then
            PORT=$(cat "$T/port")
            BASE="http://127.0.0.1:$PORT"
            return 0
        fi
        if ! kill -0 "$SRV_PID" 2>/dev/null; then
            echo "# server exited:"; sed 's/^/#   /' "$SRV_LOG" | tail -5
            return 1
        fi
        sleep 0.05
    done
    echo "# server did not start"
    return 1
}
# stop_server [SIGNAL]: signal it (TERM by default) and wait for it
stop_server() {
    local sig=${1:-TERM}
    if [ -n "$SRV_PID" ]; then
        kill -"$sig" "$SRV_PID" 2>/dev/null
        wait "$SRV_PID" 2>/dev/null
        SRV_RC=$?
        SRV_PID=""
    fi
}
trap 'stop_server KILL; rm -rf "$T"' EXIT
# req METHOD PATH [curl options...]: print the status
req() {
    local m=$1
    local p=$2
    shift 2
    curl -s --path-as-is -o "$T/body" -D "$T/head" -w '%{http_code}' \
        -X "$m" "$@" "$BASE$p"
}
# jreq METHOD PATH TOKEN JSON [curl options...]: a bearer JSON request
jreq() {
    local m=$1
    local p=$2
    local tok=$3
    local body=$4
    shift 4
    if [ -n "$body" ]; then
        req "$m" "$p" -H "Authorization: Bearer $tok" \
            -H 'Content-Type: application/json' --data-binary "$body" "$@"
    else
        req "$m" "$p" -H "Authorization: Bearer $tok" "$@"
    fi
}
# body_field EXPR: a jq-like field of the last body, through python3
body_json() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/body" "$1" 2>/dev/null
}
# body_true EXPR: exit 0 when the Python expression over the last body d
# is true
body_true() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$T/body" "$1" 2>/dev/null
}
# error_code: the "code" of the last JSON error body
error_code() {
    body_json 'd["error"]["code"]'
}
# header NAME: a header of the last response
header() {
    grep -i "^$1:" "$T/head" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'
}
# alive: the server answers /api/health (leaves the last body alone)
alive() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/health")" = 200 ]
}
