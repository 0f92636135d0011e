# The HTTP API against the real server (ctis serve on 127.0.0.1 and a
# free port) over a real SQLite file: sessions, the role x route matrix,
# agency isolation (404, not 403), If-Match (412, 428), merge patches,
# history, idempotent creates, CSRF, login throttling, session expiry,
# paging, the audit trail (an entry per write and identity read, verify
# failing after a direct edit) and the static files.
. "$(dirname "$0")/../lib.sh"
. "$CTIS_SRC/tests/http/lib.sh"

mkdir -p web/sub
printf '<!doctype html><title>ctis</title>\n' > web/index.html
printf 'body{}\n' > web/app.css
printf 'x\n' > web/sub/a.js
printf 'secret\n' > web/.hidden
printf 'outside\n' > outside.txt
ln -s ../outside.txt web/link.txt
WEB_DIR=$T/web

cat > data.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"Shelter One","kind":"ngo"}
{"type":"agency","id":"ngo-2","name":"Shelter Two","kind":"ngo"}
{"type":"agency","id":"pol-1","name":"Police","kind":"government"}
{"type":"case","id":"C-1","agency":"ngo-1","person":{"given_name":"Sokhatest","family_name":"Chanmark","sex":"female","birth_date":"1990-04-02","phone":"+85512999888","home_province":"KH-14"},"trafficking_status":"actual","movement":"internal","status":"open","events":[{"type":"identification","date":"2007-03-02"}]}
{"type":"case","id":"C-2","agency":"ngo-2","person":{"given_name":"Daravytest","sex":"female","home_province":"KH-12"},"movement":"cross_border_out","destination_country":"TH","events":[{"type":"identification","date":"2008-01-05"}]}
{"type":"criminal_case","id":"P-1","kind":"domestic","offenders":[{"id":"O-1","sex":"male","role":"recruiter"}],"victim_cases":["C-1"],"events":[{"type":"investigation","date":"2007-06-01"}]}
{"type":"activity","id":"A-1","agency":"ngo-1","kind":"awareness","province":"KH-14","start":"2008-01-01","end":"2008-12-31","reached":10}
{"type":"instrument","id":"I-1","title":"Law","kind":"law","date":"2008-02-15","parties":["KH"]}
J
"$CTIS" --db t.db init >/dev/null 2>&1
check "import the fixture" "$CTIS" --db t.db import data.jsonl
PW=correct-horse-battery
echo "$PW" > pw
adduser() { "$CTIS" --db t.db user add --username "$1" --role "$2" ${3:+--agency "$3"} --password-file pw >/dev/null 2>&1; }
adduser root admin
adduser cw1 case_worker ngo-1
adduser cw2 case_worker ngo-2
adduser pol police pol-1
adduser ana analyst
adduser view1 viewer ngo-1
check "start the server" start_server t.db --session-ttl 600

login() { # login USER [PASSWORD]: sets LS (the status), TOKEN and CSRF
    LS=$(req POST /api/session -H 'Content-Type: application/json' \
        --data-binary "{\"username\":\"$1\",\"password\":\"${2:-$PW}\"}")
    TOKEN=$(body_json 'd["token"]')
    CSRF=$(body_json 'd["csrf"]')
}
declare -A TOK
for u in root cw1 cw2 pol ana view1; do
    login $u
    check_eq "login $u" 201 "$LS"
    TOK[$u]=$TOKEN
done
login cw1
check "the cookie is HttpOnly and SameSite=Strict" grep -qi 'set-cookie: ctis_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' "$T/head"
check_eq "a token is 256 bits (64 hex digits)" 64 "${#TOKEN}"
check_eq "no session: 401" 401 "$(req GET /api/cases)"
check_eq "401 is a JSON error" unauthenticated "$(error_code)"
check_eq "a wrong token: 401" 401 "$(jreq GET /api/cases 0123456789012345678901234567890123456789012345678901234567890123 '')"
login cw2 wrong-password-x
check_eq "wrong password: 401" 401 "$LS"

# ---- the role x route matrix ---------------------------------------------
# METHOD PATH BODY: then the status for root cw1 pol ana view1. Writes
# are safe to repeat (events append, creates use fresh ids per role).
MATRIX=$(cat <<'M'
GET /api/session - 200 200 200 200 200
GET /api/cases - 200 200 200 403 200
GET /api/cases/C-1 - 200 200 200 403 200
GET /api/cases/C-2 - 200 404 404 403 404
GET /api/cases/C-1/history - 200 200 403 403 200
GET /api/cases/C-1/events - 200 200 200 403 200
GET /api/cases/C-1/referrals - 200 200 403 403 403
POST /api/cases/C-1/events {"type":"monitoring_visit","date":"2008-05-01"} 201 201 403 403 403
POST /api/cases {"id":"N-@","agency":"ngo-1"} 201 201 403 403 403
GET /api/search?q=Sokhatest - 200 200 403 403 403
GET /api/tasks - 200 200 403 403 403
GET /api/criminal-cases - 200 403 200 403 403
GET /api/criminal-cases/P-1 - 200 403 200 403 403
GET /api/offenders - 200 403 200 403 403
GET /api/offenders/O-1 - 200 403 200 403 403
GET /api/agencies - 200 200 200 200 200
GET /api/agencies/ngo-1 - 200 200 200 200 200
POST /api/agencies {"id":"ag-@","name":"New","kind":"ngo"} 201 403 403 403 403
GET /api/activities - 200 200 200 200 200
GET /api/activities/A-1 - 200 200 200 200 200
POST /api/activities {"id":"A-@","agency":"ngo-1","kind":"awareness","start":"2008-01-01","end":"2008-02-01"} 201 201 403 403 403
GET /api/instruments - 200 200 200 200 200
GET /api/instruments/I-1 - 200 200 200 200 200
POST /api/instruments {"id":"I-@","title":"T","kind":"law","date":"2008-01-01"} 201 403 403 403 403
GET /api/report?from=2007&to=2008 - 200 403 403 200 403
GET /api/users - 200 403 403 403 403
GET /api/audit - 200 403 403 403 403
PATCH /api/agencies/ngo-2 {"monitoring_interval_days":30} 200 403 403 403 403
M
)
roles=(root cw1 pol ana view1)
n_bad=0
while read -r m p body e0 e1 e2 e3 e4; do
    exp=($e0 $e1 $e2 $e3 $e4)
    for i in 0 1 2 3 4; do
        r=${roles[$i]}
        b=${body//@/$r}
        [ "$b" = "-" ] && b=""
        extra=()
        [ "$m" = PATCH ] && extra=(-H 'If-Match: "1"')
        s=$(jreq "$m" "$p" "${TOK[$r]}" "$b" "${extra[@]}")
        if [ "$s" != "${exp[$i]}" ]; then
            n_bad=$((n_bad + 1))
            echo "#   $m $p as $r: expected ${exp[$i]}, got $s: $(head -c 200 "$T/body")"
        fi
    done
done <<< "$MATRIX"
check_eq "role x route matrix ($(echo "$MATRIX" | wc -l) routes x 5 roles)" 0 "$n_bad"
jreq GET /api/users "${TOK[cw1]}" '' >/dev/null
check_eq "a 403 is a JSON error" forbidden "$(error_code)"

# ---- tasks: monitoring visits due ------------------------------------------
jreq GET /api/agencies/ngo-2 "${TOK[cw2]}" '' >/dev/null
check_eq "an agency shows its monitoring interval" 30 "$(body_json 'd["monitoring_interval_days"]')"
jreq GET /api/tasks "${TOK[cw2]}" '' >/dev/null
check_eq "ngo-2's tasks use its interval" 30 "$(body_json 'd["monitoring_interval_days"]')"
check "C-2 (identified 2008-01-05, never visited) is due 30 days later" body_true 'any(m["case"]=="C-2" and m["due"]=="2008-02-04" for m in d["monitoring_due"])'
check "and is among ngo-2's open cases" body_true 'any(c["id"]=="C-2" for c in d["open_cases"])'
jreq GET /api/tasks "${TOK[cw1]}" '' >/dev/null
check_eq "other agencies keep the default of 90 days" 90 "$(body_json 'd["monitoring_interval_days"]')"
check "C-1, last visited 2008-05-01, is due 90 days later" body_true 'any(m["case"]=="C-1" and m["due"]=="2008-07-30" for m in d["monitoring_due"])'
check_fails "no other agency's case is in cw1's tasks" body_true 'any(c["id"]=="C-2" for c in d["open_cases"])'
check_eq "a stale If-Match on an agency: 412" 412 "$(jreq PATCH /api/agencies/ngo-2 "${TOK[root]}" '{"monitoring_interval_days":40}' -H 'If-Match: "9"')"
check_eq "an interval out of range: 400" 400 "$(jreq PATCH /api/agencies/ngo-2 "${TOK[root]}" '{"monitoring_interval_days":0}' -H 'If-Match: "1"')"

# ---- agency isolation ----------------------------------------------------
s=$(jreq GET /api/cases/C-2 "${TOK[cw1]}" '')
check_eq "another agency's case is 404" 404 "$s"
b404=$(cat "$T/body")
jreq GET /api/cases/NO-SUCH "${TOK[cw1]}" '' >/dev/null
check_eq "and reads exactly like a case that does not exist" "$(sed 's/C-2/X/' <<< "$b404")" "$(sed 's/NO-SUCH/X/' "$T/body")"
check_eq "PATCH of another agency's case is 404" 404 "$(jreq PATCH /api/cases/C-2 "${TOK[cw1]}" '{"status":"closed"}' -H 'If-Match: "1"')"
check_eq "an event on another agency's case is 404" 404 "$(jreq POST /api/cases/C-2/events "${TOK[cw1]}" '{"type":"monitoring_visit","date":"2008-05-01"}')"
jreq GET '/api/cases?per_page=500' "${TOK[cw1]}" '' >/dev/null
check_eq "a case worker's list holds its agency's cases only" "" "$(body_json '",".join(c["id"] for c in d["items"] if c["agency"]!="ngo-1")')"
jreq GET /api/cases/C-1 "${TOK[pol]}" '' >/dev/null
check_fails "police see no names of a victim's case" grep -q Sokhatest "$T/body"
check_fails "nor a birth date or a phone" grep -qE '1990-04-02|85512999888' "$T/body"
jreq GET /api/cases/C-1 "${TOK[cw1]}" '' >/dev/null
check "the case worker sees the person" grep -q Sokhatest "$T/body"

# ---- versions: ETag, If-Match, merge patch, history ----------------------
jreq GET /api/cases/C-1 "${TOK[cw1]}" '' >/dev/null
V=$(header ETag)
check "GET gives the version as ETag" test -n "$V"
check_eq "PATCH without If-Match: 428" 428 "$(jreq PATCH /api/cases/C-1 "${TOK[cw1]}" '{"destination_city":"Poipet"}')"
s=$(jreq PATCH /api/cases/C-1 "${TOK[cw1]}" '{"destination_city":"Poipet","person":{"phone":null}}' -H "If-Match: $V")
check_eq "PATCH with the current version: 200" 200 "$s"
V2=$(header ETag)
check "the patch was applied (merged)" grep -q '"destination_city":"Poipet"' "$T/body"
check_fails "null deleted the member" grep -q 85512999888 "$T/body"
check "the rest of the person is kept" grep -q Sokhatest "$T/body"
s=$(jreq PATCH /api/cases/C-1 "${TOK[cw1]}" '{"destination_city":"Lost"}' -H "If-Match: $V")
check_eq "PATCH with a stale version: 412" 412 "$s"
check_eq "412 is a JSON error" stale_version "$(error_code)"
check_eq "412 names the current version in ETag" "$V2" "$(header ETag)"
jreq GET /api/cases/C-1 "${TOK[cw1]}" '' >/dev/null
check_fails "the stale update was not applied" grep -q '"Lost"' "$T/body"
check_eq "PATCH with a type error: 400" 400 "$(jreq PATCH /api/cases/C-1 "${TOK[cw1]}" '{"status":7}' -H "If-Match: $V2")"
check_eq "PATCH with an unknown field: 400" 400 "$(jreq PATCH /api/cases/C-1 "${TOK[cw1]}" '{"colour":"red"}' -H "If-Match: $V2")"
# The unknown key itself is never quoted (it may be a name): the object
# is named (the record, "") and the key by its place.
check_eq "and the object is named, not the key" "" "$(body_json 'd["error"]["field"]')"
check_fails "the unknown key is not quoted" grep -q colour "$T/body"
jreq GET /api/cases/C-1/history "${TOK[cw1]}" '' >/dev/null
check "history lists the versions with who changed what" body_true 'len(d["items"])>=2 and d["items"][-1]["actor"]=="cw1"'

# ---- events, transfer, referrals -------------------------------------------
check_eq "an event with a bad date: 400" 400 "$(jreq POST /api/cases/C-1/events "${TOK[cw1]}" '{"type":"monitoring_visit","date":"2008-02-30"}')"
check_eq "and the field is the event's" date "$(body_json 'd["error"]["field"]')"
check_eq "refer C-1 to ngo-2 for shelter" 201 "$(jreq POST /api/cases/C-1/referrals "${TOK[cw1]}" '{"to":"ngo-2","service":"shelter"}')"
RID=$(body_json 'd["id"]')
jreq GET /api/tasks "${TOK[cw2]}" '' >/dev/null
check "the referral waits in ngo-2's tasks" body_true "any(r['id']==$RID for r in d['referrals_waiting'])"
check_eq "ngo-1 may not accept its own referral" 404 "$(jreq POST /api/cases/C-1/referrals/$RID/accept "${TOK[cw1]}" '')"
check_eq "ngo-2 accepts it" 200 "$(jreq POST /api/cases/C-1/referrals/$RID/accept "${TOK[cw2]}" '')"
check_eq "a second decision: 409" 409 "$(jreq POST /api/cases/C-1/referrals/$RID/decline "${TOK[cw2]}" '')"
check_eq "transfer without consent: 400" 400 "$(jreq POST /api/cases/N-cw1/transfer "${TOK[cw1]}" '{"to":"ngo-2"}')"
check_eq "transfer N-cw1 to ngo-2" 200 "$(jreq POST /api/cases/N-cw1/transfer "${TOK[cw1]}" '{"to":"ngo-2","consent":"given"}')"
check_eq "now ngo-1 cannot see it" 404 "$(jreq GET /api/cases/N-cw1 "${TOK[cw1]}" '')"
check_eq "and ngo-2 can" 200 "$(jreq GET /api/cases/N-cw1 "${TOK[cw2]}" '')"

# ---- idempotent creates ------------------------------------------------------
s1=$(jreq POST /api/cases "${TOK[cw1]}" '{"id":"K-1","agency":"ngo-1"}' -H 'Idempotency-Key: key-123')
b1=$(cat "$T/body")
s2=$(jreq POST /api/cases "${TOK[cw1]}" '{"id":"K-1","agency":"ngo-1"}' -H 'Idempotency-Key: key-123')
check_eq "the first create: 201" 201 "$s1"
check_eq "the same key again: the same 201" 201 "$s2"
check_eq "with the same body" "$b1" "$(cat "$T/body")"
check_eq "marked as replayed" true "$(header Idempotent-Replayed)"
check_eq "without the key, the same id is 409" 409 "$(jreq POST /api/cases "${TOK[cw1]}" '{"id":"K-1","agency":"ngo-1"}')"
for i in 1 2 3; do jreq POST /api/cases/K-1/events "${TOK[cw1]}" '{"type":"monitoring_visit","date":"2008-06-01"}' -H 'Idempotency-Key: ev-1' >/dev/null; done
jreq GET /api/cases/K-1/events "${TOK[cw1]}" '' >/dev/null
check_eq "an event posted three times with one key is there once" 1 "$(body_json 'len(d["items"])')"

# ---- paging ----------------------------------------------------------------------
jreq POST /api/agencies "${TOK[root]}" '{"id":"pg-ag","name":"Paging","kind":"ngo"}' >/dev/null
for i in 1 2 3 4 5; do jreq POST /api/cases "${TOK[root]}" "{\"id\":\"PG-$i\",\"agency\":\"pg-ag\",\"movement\":\"internal\"}" >/dev/null; done
jreq POST /api/cases "${TOK[root]}" '{"id":"PG-0","agency":"pg-ag","movement":"transit"}' >/dev/null
s=$(jreq GET '/api/cases?agency=pg-ag&movement=internal&per_page=2&page=2' "${TOK[root]}" '')
check_eq "a filtered page" 200 "$s"
check_eq "holds per_page items of the filter" "PG-3,PG-4" "$(body_json '",".join(c["id"] for c in d["items"])')"
check "Link has next, keeping the filters" grep -qi '^link:.*page=3&per_page=2&agency=pg-ag&movement=internal>; rel="next"' "$T/head"
check "and prev" grep -qi '^link:.*page=1&per_page=2&agency=pg-ag&movement=internal>; rel="prev"' "$T/head"
jreq GET '/api/cases?agency=pg-ag&movement=internal&per_page=2&page=3' "${TOK[root]}" '' >/dev/null
check_fails "the last page has no next" grep -qi '^link:.*rel="next"' "$T/head"
check_eq "a bad filter: 400" 400 "$(jreq GET '/api/cases?status=nope' "${TOK[root]}" '')"
check_eq "a bad page: 400" 400 "$(jreq GET '/api/cases?page=0' "${TOK[root]}" '')"

# ---- CSRF ------------------------------------------------------------------------
login cw1
C=$TOKEN
s=$(req POST /api/cases/C-1/events -H "Cookie: ctis_session=$C" -H 'Content-Type: application/json' --data-binary '{"type":"monitoring_visit","date":"2008-07-01"}')
check_eq "a cookie write without X-CSRF-Token: 403" 403 "$s"
check_eq "named csrf" csrf "$(error_code)"
# the last character changed (to 0, or to 1 when it is 0: a fixed 0 made
# the "wrong" token the right one once in 16 runs)
bad_csrf=${CSRF%?}0
[ "$bad_csrf" != "$CSRF" ] || bad_csrf=${CSRF%?}1
s=$(req POST /api/cases/C-1/events -H "Cookie: ctis_session=$C" -H "X-CSRF-Token: $bad_csrf" -H 'Content-Type: application/json' --data-binary '{"type":"monitoring_visit","date":"2008-07-01"}')
check_eq "with a wrong token: 403" 403 "$s"
s=$(req POST /api/cases/C-1/events -H "Cookie: ctis_session=$C" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{"type":"monitoring_visit","date":"2008-07-01"}')
check_eq "with the session's token: 201" 201 "$s"
check_eq "a cookie read needs none" 200 "$(req GET /api/cases/C-1 -H "Cookie: ctis_session=$C")"

# ---- throttling --------------------------------------------------------------------
for i in 1 2 3 4 5; do login view1 wrong-password-x; done
login view1
check_eq "after 5 failures the right password is throttled" 429 "$LS"
check_eq "429 is a JSON error" throttled "$(error_code)"
check "with Retry-After" test -n "$(header Retry-After)"
s=$(req POST /api/session -H 'Content-Type: application/json' -H 'X-Forwarded-For: 9.9.9.9' --data-binary "{\"username\":\"cw2\",\"password\":\"$PW\"}")
check_eq "another user from the same address is not held back (tests/http/test_throttle.sh)" 201 "$s"
check_eq "sessions made before still work" 200 "$(jreq GET /api/session "${TOK[view1]}" '')"
sleep 5.5
login view1
check_eq "after the wait the right password works" 201 "$LS"

# ---- logout, passwords --------------------------------------------------------------
login pol
P=$TOKEN
check_eq "logout" 204 "$(jreq DELETE /api/session "$P" '')"
check_eq "the token is dead" 401 "$(jreq GET /api/session "$P" '')"
check_eq "an admin adds a user" 201 "$(jreq POST /api/users "${TOK[root]}" "{\"username\":\"newbie\",\"role\":\"viewer\",\"agency\":\"ngo-1\",\"password\":\"$PW-first\"}")"
check_eq "a user name twice: 409" 409 "$(jreq POST /api/users "${TOK[root]}" "{\"username\":\"newbie\",\"role\":\"viewer\",\"agency\":\"ngo-1\",\"password\":\"$PW-first\"}")"
login newbie "$PW-first"
check_eq "the new user logs in" 201 "$LS"
check_eq "and must change the password first" true "$(body_json 'str(d["user"]["must_change_password"]).lower()')"
N=$TOKEN
check_eq "anything else: 403 password_change_required" 403 "$(jreq GET /api/cases "$N" '')"
check_eq "named so" password_change_required "$(error_code)"
check_eq "change it" 204 "$(jreq POST /api/session/password "$N" "{\"password\":\"$PW-first\",\"new_password\":\"$PW-second\"}")"
check_eq "the old session ended" 401 "$(jreq GET /api/session "$N" '')"
login newbie "$PW-second"
check_eq "the new password works" 201 "$LS"
check_eq "and the user may now read" 200 "$(jreq GET /api/cases "$TOKEN" '')"
check_eq "an admin disables a user" 200 "$(jreq PATCH /api/users/newbie "${TOK[root]}" '{"disabled":true}')"
check_eq "whose sessions end" 401 "$(jreq GET /api/cases "$TOKEN" '')"

# ---- static files ----------------------------------------------------------------------
check_eq "/ serves index.html" 200 "$(req GET /)"
check "as text/html" grep -qi '^content-type: text/html; charset=utf-8' "$T/head"
check "revalidated each time" grep -qi '^cache-control: no-cache' "$T/head"
E=$(header ETag)
check_eq "If-None-Match: 304" 304 "$(req GET / -H "If-None-Match: $E")"
check_eq "a css file" 200 "$(req GET /app.css)"
check "as text/css, cached an hour" sh -c "grep -qi '^content-type: text/css' '$T/head' && grep -qi 'max-age=3600' '$T/head'"
check_eq "a file in a folder" 200 "$(req GET /sub/a.js)"
check "as JavaScript" grep -qi '^content-type: text/javascript' "$T/head"
for p in '/../outside.txt' '/%2e%2e/outside.txt' '/sub/..%2f..%2foutside.txt' '/sub/%2E%2E/%2E%2E/outside.txt' '/..%5coutside.txt' '/link.txt' '/.hidden' '/sub/../../outside.txt'; do
    s=$(req GET "$p")
    case $s in 4??) ok "traversal $p: $s" ;; *) not_ok "traversal $p: $s" ;; esac
done
check_fails "no traversal answered a file's content" grep -q outside "$T/body"
check_eq "a missing file: 404" 404 "$(req GET /nope.js)"
check_eq "POST to a file: 405" 405 "$(req POST /index.html)"
jreq GET /api/cases/C-1 "${TOK[cw1]}" '' >/dev/null
check_eq "API answers are not cached" no-store "$(header Cache-Control)"

# ---- OpenAPI ---------------------------------------------------------------------------
check_eq "GET /api/openapi.json" 200 "$(req GET /api/openapi.json)"
check_eq "is docs/openapi.json" "$(cat "$CTIS_SRC/docs/openapi.json")" "$(cat "$T/body")"
check "the route table and docs/openapi.json agree (methods, paths, roles)" python3 "$CTIS_SRC/tests/http/check_openapi.py" "$CTIS_SRC/http/routes.c" "$CTIS_SRC/docs/openapi.json"

# ---- audit ------------------------------------------------------------------------------
sleep 0.3
jreq GET '/api/audit?record=C-1&limit=1000' "${TOK[root]}" '' >/dev/null
check "reading C-1's person was audited, with address" body_true 'any(e["action"]=="case.read" and e["user"]=="cw1" and e["address"]=="127.0.0.1" for e in d["items"])'
check "the patch was audited" body_true 'any(e["action"]=="case.update" and e["user"]=="cw1" for e in d["items"])'
check "the event was audited" body_true 'any(e["action"]=="case.event" for e in d["items"])'
check "the referral was audited" body_true 'any(e["action"]=="case.refer" for e in d["items"])'
jreq GET '/api/audit?limit=1000' "${TOK[root]}" '' >/dev/null
check "logins were audited" body_true 'any(e["action"]=="session.login" for e in d["items"])'
check "the transfer was audited" body_true 'any(e["action"]=="case.transfer" and e["record"]=="N-cw1" for e in d["items"])'
check "user changes were audited" body_true 'any(e["action"]=="user.disable" and e["record"]=="newbie" for e in d["items"])'
"$CTIS" --db t.db audit list > audit.jsonl
check_fails "no identifying value in the audit trail" grep -qE 'Sokhatest|Chanmark|1990-04-02|85512999888|Daravytest' audit.jsonl
n_w=$(grep -c '"action":"case.event"' audit.jsonl)
check "every event write has its entry (4)" test "$n_w" -ge 4

stop_server TERM
check_eq "SIGTERM stops the server cleanly" 0 "$SRV_RC"
check "audit verify: intact" "$CTIS" --db t.db audit verify
cp t.db clean.db
sqlite3 t.db "UPDATE audit SET record = 'C-9' WHERE seq = 5"
"$CTIS" --db t.db audit verify > v.out 2>&1
check_eq "audit verify after an edit exits 5" 5 $?
check "and names the altered entry" grep -q "audit entry 5 was altered" v.out
cp clean.db t2.db
sqlite3 t2.db "DELETE FROM audit WHERE seq = 7"
"$CTIS" --db t2.db audit verify > v2.out 2>&1
check "a deleted entry is named" grep -q "audit entry 7 is missing" v2.out
cp clean.db t3.db
sqlite3 t3.db "UPDATE audit SET seq = -1 WHERE seq = 8; UPDATE audit SET seq = 8 WHERE seq = 9; UPDATE audit SET seq = 9 WHERE seq = -1"
"$CTIS" --db t3.db audit verify > v3.out 2>&1
check "swapped entries are named" grep -q "audit entry 8" v3.out
cp clean.db t4.db
sqlite3 t4.db "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
"$CTIS" --db t4.db audit verify > v4.out 2>&1
check "a cut tail is found" grep -q "were deleted" v4.out
check "the clean copy still verifies" "$CTIS" --db clean.db audit verify

# ---- the log -------------------------------------------------------------------------------
check "one log line per request with route pattern, status, ms, user" grep -qE '^[0-9T:-]+Z GET /api/cases/\{id\} 200 [0-9.]+ms user=cw1$' "$SRV_LOG"
check_fails "no identifying value in the server log" grep -qE 'Sokhatest|Chanmark|1990-04-02|85512999888|Daravytest|Poipet' "$SRV_LOG"
check_fails "no token or password in the server log" grep -qE "$PW|${TOK[root]}" "$SRV_LOG"
check_fails "no query value in the server log" grep -q 'q=' "$SRV_LOG"
