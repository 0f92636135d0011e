# Who acted (docs/security.md, "Who acted"): the actor of a CLI write, in
# the audit trail and in the history, is the OS account that runs ctis
# (getpwuid(geteuid())), never $USER, which anyone sets; --as USER chooses
# whose rules apply and is recorded beside it as the address "cli as USER".
# Before, $USER or --as was the actor: a local user wrote rows as someone
# else (USER=root ctis ..., ctis --as admin ...).
. "$(dirname "$0")/../lib.sh"
me=$(id -un)
printf 'correct-horse-battery\n' > pw
cat > ag.jsonl <<'J'
{"type":"agency","id":"ngo-1","name":"Shelter One","kind":"ngo"}
J
cat > c.json <<'J'
{"type":"case","id":"C-1","agency":"ngo-1","person":{"given_name":"Actortest","sex":"female"},"events":[{"type":"identification","date":"2007-03-02"}]}
J
"$CTIS" --db t.db init >/dev/null 2>&1
check "import as USER=someone-else" env USER=someone-else "$CTIS" --db t.db import ag.jsonl
check "a user added" env USER=someone-else "$CTIS" --db t.db user add --username sokha --agency ngo-1 --role case_worker --password-file pw
check "a case added --as sokha" "$CTIS" --db t.db --as sokha case add c.json
check "an event --as sokha, USER=admin" env USER=admin "$CTIS" --db t.db --as sokha case event C-1 shelter_admission 2007-03-05
field() { python3 -c "import json,sys; print(','.join(str(json.loads(l)['$1']) for l in sys.stdin))"; }
"$CTIS" --db t.db audit list > audit.jsonl 2>/dev/null
check_eq "every entry's actor is the OS account" "$me,$me,$me,$me" "$(field user < audit.jsonl)"
check_eq "--as beside it, as the address" "cli,cli,cli as sokha,cli as sokha" "$(field address < audit.jsonl)"
check_eq "the rules applied were sokha's" "admin,admin,case_worker,case_worker" "$(field role < audit.jsonl)"
check_eq "and its agency" ",,ngo-1,ngo-1" "$(field agency < audit.jsonl)"
check "no entry names \$USER's value" sh -c '! grep -q "\"user\":\"\(someone-else\|admin\)\"" audit.jsonl'
"$CTIS" --db t.db case history C-1 > hist.txt 2>&1
check_eq "the history's actor is the OS account" "$me $me" "$(awk 'NR > 1 { printf "%s%s", sep, $3; sep = " " }' hist.txt)"
# the history of a case that cannot be read printed its header, then failed
"$CTIS" --db t.db case history NO-SUCH > none.txt 2> none.err
check_eq "the history of a missing case exits 4" 4 $?
check_eq "printing nothing but the error" "" "$(cat none.txt)"
check "the error" grep -q "no case has the id given" none.err
check "the chain holds" "$CTIS" --db t.db audit verify
check_eq "audit list --user finds the OS account's entries" 4 "$("$CTIS" --db t.db audit list --user "$me" 2>/dev/null | wc -l)"
check_eq "--user sokha: none (sokha did not act)" 0 "$("$CTIS" --db t.db audit list --user sokha 2>/dev/null | wc -l)"
# A second OS account (tests/cli/test_second_user.sh makes the same check
# for files): its writes to a database of its own carry its name.
other=ctis-other
if [ "$(id -u)" -eq 0 ] && id "$other" >/dev/null 2>&1 && command -v setpriv >/dev/null; then
    mkdir o && chown "$other" o && cp ag.jsonl o/ && chmod 0755 "$T"
    as_other() { (cd o && setpriv --reuid="$other" --regid="$other" --init-groups env USER=root "$@"); }
    as_other "$CTIS" --db o.db init >/dev/null 2>&1
    check "the other account imports (USER=root)" as_other "$CTIS" --db o.db import ag.jsonl
    check_eq "its entry names it, not root" "$other" "$(as_other "$CTIS" --db o.db audit list 2>/dev/null | field user)"
else
    ok "# SKIP no second account $other (run as root with setpriv)"
    ok "# SKIP no second account $other"
fi
