# Bad input against the real server: malformed JSON, wrong types,
# unknown fields, bodies over the 1 MiB limit, broken UTF-8, path
# traversal, absurd headers, unknown methods. Each gets a 4xx with a JSON
# error {"error":{"code","message","field"}} and the server keeps
# serving. Then session expiry (--session-ttl 2).
. "$(dirname "$0")/../lib.sh"
. "$CTIS_SRC/tests/http/lib.sh"
mkdir -p web
"$CTIS" --db t.db init >/dev/null 2>&1
printf '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}\n{"type":"case","id":"C-1","agency":"ngo-1","person":{"given_name":"Secretname"}}\n' > d.jsonl
"$CTIS" --db t.db import d.jsonl >/dev/null 2>&1
PW=correct-horse-battery
echo "$PW" > pw
"$CTIS" --db t.db user add --username cw --role case_worker --agency ngo-1 --password-file pw >/dev/null 2>&1
check "start the server" start_server t.db
req POST /api/session -H 'Content-Type: application/json' --data-binary "{\"username\":\"cw\",\"password\":\"$PW\"}" >/dev/null
TOK=$(body_json 'd["token"]')

# expect NAME STATUS-PATTERN CODE curl-args...: a 4xx JSON error, then alive
expect() {
    local name=$1 want=$2 code=$3
    shift 3
    local s
    s=$(req "$@")
    local c
    c=$(error_code)
    if [[ $s == $want ]] && [ "$c" = "$code" ] && alive; then
        ok "$name: $s $c"
    else
        not_ok "$name: status $s code '$c'"
        head -c 300 "$T/body" | sed 's/^/#   /'
    fi
}
J=(-H "Authorization: Bearer $TOK" -H 'Content-Type: application/json')
expect "malformed JSON" 400 invalid POST /api/cases "${J[@]}" --data-binary '{"id":"X",'
expect "JSON that is not an object" 400 invalid POST /api/cases "${J[@]}" --data-binary '[1,2]'
expect "a wrong type" 400 invalid POST /api/cases "${J[@]}" --data-binary '{"id":"X","agency":7}'
check_eq "names the field" agency "$(body_json 'd["error"]["field"]')"
expect "an unknown field" 400 invalid POST /api/cases "${J[@]}" --data-binary '{"id":"X","agency":"ngo-1","shoe":1}'
# The unknown key itself is never quoted (it may be a name).
check_eq "names the object, not the unknown key" "" "$(body_json 'd["error"]["field"]')"
expect "a duplicate key" 400 invalid POST /api/cases "${J[@]}" --data-binary '{"id":"X","id":"Y","agency":"ngo-1"}'
expect "a bad code" 400 invalid POST /api/cases "${J[@]}" --data-binary '{"id":"X","agency":"ngo-1","movement":"teleport"}'
expect "not JSON at all" 415 unsupported_media_type POST /api/cases -H "Authorization: Bearer $TOK" -H 'Content-Type: text/plain' --data-binary 'hello'
printf '{"id":"X","agency":"ngo-1","person":{"given_name":"\xff\xfe"}}' > bad-utf8.json
expect "broken UTF-8 in the body" 400 invalid POST /api/cases "${J[@]}" --data-binary @bad-utf8.json
head -c 1100000 /dev/zero | tr '\0' 'a' > big.json
expect "a body over 1 MiB (Content-Length)" 413 too_large POST /api/cases "${J[@]}" --data-binary @big.json
expect "a body over 1 MiB (chunked)" 413 too_large POST /api/cases "${J[@]}" -H 'Transfer-Encoding: chunked' --data-binary @big.json
python3 -c 'print("{\"a\":\"" + "b"*1000000 + "\"}")' > edge.json
expect "a body just under the limit is parsed (and refused for its field)" 400 invalid POST /api/cases "${J[@]}" --data-binary @edge.json
expect "broken UTF-8 in the path" 400 invalid GET '/api/cases/%ff%fe' -H "Authorization: Bearer $TOK"
expect "NUL in the path" 400 invalid GET '/api/cases/a%00b' -H "Authorization: Bearer $TOK"
expect "a broken escape" 400 invalid GET '/api/cases/%zz' -H "Authorization: Bearer $TOK"
expect "broken UTF-8 in the query" 400 invalid GET '/api/search?q=%c3%28' -H "Authorization: Bearer $TOK"
expect "path traversal under /api" 400 invalid GET '/api/cases/../users' -H "Authorization: Bearer $TOK"
expect "encoded path traversal" 400 invalid GET '/api/%2e%2e/%2e%2e/etc/passwd'
expect "traversal to a file" 400 invalid GET '/../../../../etc/passwd'
expect "a header of 20 KB" 431 header_too_large GET /api/health -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' x)"
{ printf 'X-Huge: '; head -c 200000 /dev/zero | tr '\0' x; echo; } > huge.hdr
s=$(req GET /api/health -H @huge.hdr)
case $s in 4??) ok "a header of 200 KB: $s" ;; *) not_ok "a header of 200 KB: $s" ;; esac
check "and the server still answers" alive
hdrs=()
for i in $(seq 1 80); do hdrs+=(-H "X-H$i: v"); done
expect "80 headers" 431 header_too_large GET /api/health "${hdrs[@]}"
printf 'x\xff' > badhdr
expect "broken UTF-8 in a header" 400 invalid GET /api/health -H "X-Name: $(cat badhdr)"
expect "an unknown route" 404 not_found GET /api/nothing-here
expect "a wrong method" 405 method_not_allowed DELETE /api/cases -H "Authorization: Bearer $TOK"
expect "an odd method" 405 method_not_allowed BREW /api/cases -H "Authorization: Bearer $TOK"
expect "a non-numeric page" 400 invalid GET '/api/cases?page=abc' -H "Authorization: Bearer $TOK"
check_eq "names the parameter" page "$(body_json 'd["error"]["field"]')"
expect "a bad If-Match" 400 invalid PATCH /api/cases/C-1 "${J[@]}" -H 'If-Match: "x"' --data-binary '{}'
expect "a bad Idempotency-Key" 400 invalid POST /api/cases "${J[@]}" -H "Idempotency-Key: $(head -c 300 /dev/zero | tr '\0' k)" --data-binary '{"id":"Z","agency":"ngo-1"}'
# A raw request that is not HTTP at all, and one cut short.
printf 'GARBAGE\r\n\r\n' | timeout 5 python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.settimeout(3); print(s.recv(100)[:12].decode(errors="replace"))' "$PORT" > raw.out 2>&1
check "a line that is not HTTP gets a 4xx or is closed" sh -c "grep -q 'HTTP/1.1 4' raw.out || ! grep -q HTTP raw.out"
check "and the server still answers" alive
printf 'POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"user' | timeout 5 python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(sys.stdin.buffer.read()); s.close()' "$PORT"
check "a request cut short leaves the server serving" alive
check_fails "no error message quotes a value" grep -rq Secretname "$T/body"

# Session expiry.
stop_server TERM
check "start with --session-ttl 2" start_server t.db --session-ttl 2
req POST /api/session -H 'Content-Type: application/json' --data-binary "{\"username\":\"cw\",\"password\":\"$PW\"}" >/dev/null
TOK=$(body_json 'd["token"]')
check_eq "the session works" 200 "$(req GET /api/session -H "Authorization: Bearer $TOK")"
sleep 3
check_eq "and expires after --session-ttl" 401 "$(req GET /api/session -H "Authorization: Bearer $TOK")"
stop_server TERM
check_eq "SIGTERM: exit 0" 0 "$SRV_RC"
check_fails "nothing identifying in the log" grep -q Secretname "$SRV_LOG"
