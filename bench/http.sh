#!/usr/bin/env bash
# HTTP API benchmark (issue 11): ctis serve on BENCH_CASES cases (default
# 1,000,000) under wrk at 64 connections, against nginx serving a static
# JSON file of the same size as the case answer, in the same run:
#  - GET /api/cases/{id} of random cases, a list page, POST of an event;
#  - GET /api/cases/{id} while a bulk 'ctis import' writes to the same
#    database (the reads must keep being answered: no 5xx);
# each with requests/s, p99 latency, errors, the ratio to nginx's rate,
# and the server's peak resident memory (sampled during the runs).
# Targets: GET >= 0.3x nginx, p99 < 10 ms; RSS < 32 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${BENCH_CASES:-1000000}
D=${BENCH_SECONDS:-10}
C=${BENCH_CONNECTIONS:-64}
B=build/bench
W=build/bench-http
rm -rf "$W"
mkdir -p "$W/www"
. bench/lib.sh
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
        { echo "http bench: $tool is not installed (scripts/deps.sh)"; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
echo "generating $N cases..."
"$B/gen_cases" "$N" "$W/big" 1
"$B/gen_cases" 50000 "$W/extra" 7
sed -i -e 's/"C-/"X-/' "$W/extra.jsonl"
build/ctis --db "$W/ctis.db" import --no-progress "$W/big.jsonl" >/dev/null
PW=bench-password-$$
echo "$PW" > "$W/pw"
build/ctis --db "$W/ctis.db" user add --username bench --role admin \
    --password-file "$W/pw" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
build/ctis --db "$W/ctis.db" serve --listen 127.0.0.1:0 --port-file "$W/port" \
    --web "$W/www" 2>"$W/server.log" &
SRV=$!
NGX=""
cleanup() {
    kill "$SRV" 2>/dev/null || true
    [ -n "$NGX" ] && kill "$NGX" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
for i in $(seq 1 100); do [ -s "$W/port" ] && break; sleep 0.1; done
P=$(cat "$W/port")
TOK=$(curl -s -H 'Content-Type: application/json' \
    --data-binary "{\"username\":\"bench\",\"password\":\"$PW\"}" \
    "http://127.0.0.1:$P/api/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -s -H "Authorization: Bearer $TOK" "http://127.0.0.1:$P/api/cases/C-0000001" > "$W/www/case.json"
SIZE=$(wc -c < "$W/www/case.json")

NP=$(free_port)
cat > "$W/nginx.conf" <<NG
worker_processes $(nproc);
daemon off;
pid $PWD/$W/nginx.pid;
error_log $PWD/$W/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$NP;
        root $PWD/$W/www;
        location / { default_type application/json; }
    }
}
NG
"$NGINX" -c "$PWD/$W/nginx.conf" -p "$PWD/$W" &
NGX=$!
sleep 0.5

# wrk prints one line: requests/s, p99 in ms, non-2xx/3xx answers and
# socket errors.
cat > "$W/report.lua" <<'LUA'
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT %.0f %.2f %d %d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(99) / 1000, e.status,
        e.connect + e.read + e.write + e.timeout))
end
LUA
cat > "$W/get.lua" <<LUA
local n = $N
request = function()
    local id = string.format("C-%07d", math.random(1, n))
    return wrk.format("GET", "/api/cases/" .. id,
        {["Authorization"] = "Bearer $TOK"})
end
$(cat "$W/report.lua")
LUA
cat > "$W/list.lua" <<LUA
request = function()
    local page = math.random(1, 10)
    return wrk.format("GET", "/api/cases?per_page=50&page=" .. page,
        {["Authorization"] = "Bearer $TOK"})
end
$(cat "$W/report.lua")
LUA
cat > "$W/post.lua" <<LUA
local n = $N
request = function()
    local id = string.format("C-%07d", math.random(1, n))
    return wrk.format("POST", "/api/cases/" .. id .. "/events",
        {["Authorization"] = "Bearer $TOK",
         ["Content-Type"] = "application/json"},
        '{"type":"monitoring_visit","date":"2008-06-01"}')
end
$(cat "$W/report.lua")
LUA

PEAK=0
sample() { # the server's resident memory now, in kB, kept as the peak
    local kb
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$SRV/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$PEAK" ] && PEAK=$kb
    return 0
}
run() { # run NAME URL SCRIPT: prints a row, sets RPS
    local name=$1 url=$2 script=$3 out
    ( while sleep 0.2; do sample; echo "$PEAK" > "$W/peak"; done ) &
    local sampler=$!
    out=$(wrk -t2 -c"$C" -d"${D}s" -s "$script" "$url" | grep '^RESULT')
    kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
    PEAK=$(cat "$W/peak" 2>/dev/null || echo "$PEAK")
    set -- $out
    RPS=$2
    printf '  %-34s %8s req/s  p99 %6s ms  errors %s/%s\n' "$name" "$2" "$3" "$4" "$5"
}
printf 'HTTP on %d cases, %d connections, %d s each (answer %d bytes):\n' "$N" "$C" "$D" "$SIZE"
run "nginx static file (reference)" "http://127.0.0.1:$NP/case.json" "$W/report.lua"
ref=$RPS
run "GET /api/cases/{id}" "http://127.0.0.1:$P/" "$W/get.lua"
get=$RPS
run "GET /api/cases?per_page=50" "http://127.0.0.1:$P/" "$W/list.lua"
list=$RPS
run "POST /api/cases/{id}/events" "http://127.0.0.1:$P/" "$W/post.lua"
post=$RPS
build/ctis --db "$W/ctis.db" import --no-progress "$W/extra.jsonl" >/dev/null 2>"$W/import.err" &
IMP=$!
run "GET /api/cases/{id} during import" "http://127.0.0.1:$P/" "$W/get.lua"
wait $IMP && imp=ok || imp=failed
printf '  ratio GET/nginx            %6s   (target >= 0.3)\n' "$(ratio "$get" "$ref")"
printf '  ratio list page/nginx      %6s\n' "$(ratio "$list" "$ref")"
printf '  ratio POST event/nginx     %6s\n' "$(ratio "$post" "$ref")"
printf '  import during the reads: %s\n' "$imp"
printf '  server peak RSS during the runs %d MB (target < 32 MB)\n' $((PEAK / 1024))
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SRV/status")
printf '  server VmHWM (includes the argon2id login, 64 MiB) %d MB\n' $((hwm / 1024))
