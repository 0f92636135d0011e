#!/usr/bin/env bash
# A second, unprivileged local user against the files ctis creates, in a
# shared (sticky, world-writable) directory like /tmp:
#   - a pre-created PATH.tmp (mode 0666) does not receive the export;
#   - a symlink planted as PATH.tmp, or as PATH itself, does not make ctis
#     write through it to another file;
#   - a pipe of that user planted behind PATH does not receive the data;
#   - no file that ctis created can be read by that user.
# It runs as root (CI does) and acts as the user 'ctis-other', created here
# when absent, through setpriv.
source "$(dirname "$0")/../lib.sh"
second_user || exit 0
umask 022
check "the second user can write in the shared folder" as_other touch "$S/hello"
check "demo database in the shared folder" "$CTIS" --db "$S/x.db" demo

# 1. a pre-created PATH.tmp, world-writable, owned by the other user
as_other sh -c "umask 000; : >'$S/out.jsonl.tmp'"
check "export beside a planted out.jsonl.tmp" "$CTIS" --db "$S/x.db" export --output "$S/out.jsonl"
check_eq "the planted .tmp received nothing" 0 "$(stat -c %s "$S/out.jsonl.tmp")"
check "the export is whole" test -s "$S/out.jsonl"

# 2. a symlink planted as PATH.tmp, pointing at one of root's files
echo precious >victim
as_other ln -s "$T/victim" "$S/out2.jsonl.tmp"
check "export beside a planted symlink" "$CTIS" --db "$S/x.db" export --output "$S/out2.jsonl"
check_eq "the symlink's target is untouched" precious "$(cat victim)"

# 3. a symlink planted as PATH itself: replaced, its target untouched
as_other ln -s "$T/victim" "$S/out3.jsonl"
check "export over a planted symlink" "$CTIS" --db "$S/x.db" export --output "$S/out3.jsonl"
check_eq "the symlink's target is untouched" precious "$(cat victim)"
check "the output is now a file of its own" sh -c "test -f '$S/out3.jsonl' && test ! -L '$S/out3.jsonl'"

# 4. the other user's pipe behind the output name
as_other mkfifo "$S/pipe"
as_other ln -s "$S/pipe" "$S/out4.jsonl"
"$CTIS" --db "$S/x.db" export --output "$S/out4.jsonl" >p.out 2>&1
check_eq "another user's pipe is refused as an output" 2 "$?"

# 5. nothing ctis created is readable by the other user
"$CTIS" --db "$S/x.db" report --output "$S/r.html" --format html
printf 'id,agency,sex\nC-1,GOV-AHTJP,robot\n' >"$S/bad.csv"
"$CTIS" --db "$S/x.db" import --skip-invalid "$S/rej.jsonl" "$S/bad.csv" >/dev/null 2>&1
printf 'record_id,given_name,family_name\np1,Sokha,Chan\n' >"$S/pol.csv"
printf 'record_id,given_name,family_name\nn1,Sokha,Chan\n' >"$S/ngo.csv"
"$CTIS" link --input "$S/pol.csv" --input "$S/ngo.csv" --output "$S/l.csv" \
    --overlap "$S/lo.csv" --review "$S/lr.csv" >/dev/null 2>&1
head -c 32 /dev/urandom >"$S/key"
chmod 600 "$S/key"
"$CTIS" link encode --secret-file "$S/key" --input "$S/pol.csv" --output "$S/p.clk" >/dev/null 2>&1
(echo 'select count(*) from cases;'; sleep 2) | sqlite3 "$S/x.db" >/dev/null 2>&1 &
sleep 1
for f in x.db x.db-wal x.db-shm out.jsonl out2.jsonl out3.jsonl r.html rej.jsonl l.csv lo.csv lr.csv p.clk; do
    if [ ! -e "$S/$f" ]; then
        not_ok "ctis created $f"
        continue
    fi
    if as_other cat "$S/$f" >/dev/null 2>&1; then
        not_ok "the second user cannot read $f (mode $(stat -c %a "$S/$f"))"
    else
        ok "the second user cannot read $f"
    fi
done
wait
check "no temporary file of ctis left" sh -c "! ls -a '$S' | grep -E '^\..*\.tmp$'"
