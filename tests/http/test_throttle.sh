# Login throttling over real HTTP, from several client addresses (curl
# --interface 127.0.0.N; the server listens on 127.0.0.1 and sees each as
# the TCP peer): failures are counted per (user, address), per address and
# per user name (docs/api.md, "Login throttling"). Before, the count was
# per user name: anyone failing the admin's password 15 times locked the
# admin out, from every address, for an hour.
. "$(dirname "$0")/../lib.sh"
. "$CTIS_SRC/tests/http/lib.sh"
mkdir web && printf '<!doctype html><title>ctis</title>\n' > web/index.html
PW=correct-horse-battery
echo "$PW" > pw
"$CTIS" --db t.db init >/dev/null 2>&1
printf '{"type":"agency","id":"ngo-1","name":"Shelter One","kind":"ngo"}\n' > ag.jsonl
"$CTIS" --db t.db import ag.jsonl >/dev/null 2>&1
"$CTIS" --db t.db user add --username boss --role admin --password-file pw >/dev/null 2>&1
"$CTIS" --db t.db user add --username cw --role case_worker --agency ngo-1 --password-file pw >/dev/null 2>&1
start_server t.db || exit 1
# login USER PASSWORD FROM: the status of a login from address FROM
login() {
    req POST /api/session --interface "$3" -H 'Content-Type: application/json' \
        --data-binary "{\"username\":\"$1\",\"password\":\"$2\"}"
}
if [ "$(login boss "$PW" 127.0.0.2)" != 201 ]; then
    echo "1..0 # SKIP cannot connect from 127.0.0.2 (no loopback /8)"
    exit 0
fi
ok "the admin logs in from its own address, 127.0.0.2"
check_eq "cw logs in from 127.0.0.4" 201 "$(login cw "$PW" 127.0.0.4)"

# An attacker at 127.0.0.9 fails the admin's password.
s=""
for i in 1 2 3 4 5 6 7; do s="$s $(login boss wrong-$i 127.0.0.9)"; done
check_eq "5 failures, then the attacker's pair waits" " 401 401 401 401 401 429 429" "$s"
check_eq "429 is a JSON error" throttled "$(error_code)"
check "with Retry-After" test -n "$(header Retry-After)"
check_eq "even the right password, from the attacker's address" 429 "$(login boss "$PW" 127.0.0.9)"
check_eq "the admin is not locked out of its own address" 201 "$(login boss "$PW" 127.0.0.2)"
check_eq "nor out of a new one" 201 "$(login boss "$PW" 127.0.0.3)"
check_eq "another user from the attacker's address is not held back" 201 "$(login cw "$PW" 127.0.0.9)"

# Spraying: one address trying many names, each a few times.
s=""
for i in $(seq 1 20); do s="$s$(login "nobody$i" wrong 127.0.0.10)"; done
check_eq "20 names failed from one address: each answered 401" "$(printf '401%.0s' $(seq 1 20))" "$s"
check_eq "the 21st name from that address waits" 429 "$(login nobody21 wrong 127.0.0.10)"
check_eq "so does a real user's right password there (never logged in from it)" 429 "$(login cw "$PW" 127.0.0.10)"
check_eq "an address cw logged in from is not held back by another's spraying" 201 "$(login cw "$PW" 127.0.0.9)"

# Distributed guessing: 11 addresses fail cw's password 5 times each (55
# failures, over the name's 50): then any address cw never logged in from
# waits, and those it did log in from do not.
for a in $(seq 1 11); do
    for i in 1 2 3 4 5; do login cw "wrong-$a-$i" "127.0.1.$a" >/dev/null; done
done
check_eq "after 55 failures from 11 addresses, a 12th address waits" 429 "$(login cw wrong 127.0.1.12)"
check_eq "even with the right password" 429 "$(login cw "$PW" 127.0.2.1)"
check_eq "cw still logs in from its own address" 201 "$(login cw "$PW" 127.0.0.4)"
check_eq "and the admin, whose name was not guessed there, from anywhere" 201 "$(login boss "$PW" 127.0.2.2)"
check "nothing in the server's log names a password" sh -c "! grep -q 'wrong-\|$PW' '$SRV_LOG'"
stop_server
