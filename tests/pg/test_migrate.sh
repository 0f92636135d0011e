#!/usr/bin/env bash
# 'ctis migrate': SQLite to PostgreSQL to SQLite gives an export identical
# to the original; counts and checksums are printed and agree; a
# non-empty target is refused without --force; messages never show a
# password.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
pg=$(pgdb migrate)
pgpw=$(echo "$pg" | sed 's|://\([^@]*\)@|://\1:not-the-password@|')

check "demo into sqlite" "$CTIS" --db "$T/a.db" demo --seed 7
"$CTIS" --db "$T/a.db" case event "$("$CTIS" --db "$T/a.db" case list --limit 1 | awk 'NR==2{print $1}')" referral 2009-01-02 to=family >/dev/null 2>&1
# History, users, referrals and the audit trail beside the records.
echo correct-horse-battery >"$T/pw"
"$CTIS" --db "$T/a.db" user add --username cw1 --role case_worker --agency UN-IOM --password-file "$T/pw" >/dev/null 2>&1
"$CTIS" --db "$T/a.db" user add --username boss --role admin --password-file "$T/pw" --must-change >/dev/null 2>&1
"$CTIS" --db "$T/a.db" user add --username gone --role viewer --agency UN-IOM --password-file "$T/pw" >/dev/null 2>&1
"$CTIS" --db "$T/a.db" user disable gone >/dev/null 2>&1
"$CTIS" --db "$T/a.db" case update C-000001 '{"destination_city":"Poipet"}' >/dev/null 2>&1
"$CTIS" --db "$T/a.db" case refer C-000001 --to GOV-MOSVY --service shelter >/dev/null 2>&1
"$CTIS" --db "$T/a.db" case refer C-000001 --to GOV-MOSVY --service legal >/dev/null 2>&1
"$CTIS" --db "$T/a.db" case refer C-000003 --to UN-IOM --service medical >/dev/null 2>&1
"$CTIS" --db "$T/a.db" referral accept 2 >/dev/null 2>&1
"$CTIS" --db "$T/a.db" referral decline 3 >/dev/null 2>&1
# beside: DB FILE -- what a migrate must carry over, as the CLI prints it
beside() {
    {
        "$CTIS" --db "$1" case history C-000001
        "$CTIS" --db "$1" case history C-000002
        "$CTIS" --db "$1" case show C-000001 --version 1
        "$CTIS" --db "$1" user list
        "$CTIS" --db "$1" referral list
        "$CTIS" --db "$1" audit list
    } >"$2" 2>&1
}
beside "$T/a.db" "$T/a.beside"
check "the source has versions" grep -q 'update' "$T/a.beside"
"$CTIS" --db "$T/a.db" export >"$T/a.jsonl"
"$CTIS" migrate --from "$T/a.db" --to "$pgpw" >"$T/m.out" 2>&1
check_eq "a password in --to is refused (exit 2)" 2 "$?"
if grep -q not-the-password "$T/m.out"; then not_ok "no password in the refusal of --to"; else ok "no password in the refusal of --to"; fi
check "sqlite to postgresql" "$CTIS" migrate --from "$T/a.db" --to "$pg"
cp "$T/.out" "$T/m.out"
check "counts and checksums printed" grep -q '^cases .* ok$' "$T/m.out"
for k in versions users referrals 'audit entries'; do
    check "$k counted and compared" grep -q "^$k .* ok$" "$T/m.out"
done
beside "$pg" "$T/p.beside"
check "history, users, referrals, audit identical on postgresql" diff "$T/a.beside" "$T/p.beside"
check "postgresql to sqlite" "$CTIS" migrate --from "$pg" --to "$T/b.db"
beside "$T/b.db" "$T/b.beside"
check "history, users, referrals, audit identical back on sqlite" diff "$T/a.beside" "$T/b.beside"
check "the audit chain of the copy verifies" "$CTIS" --db "$T/b.db" audit verify
# A user logs in on each copy with the password it had.
source "$CTIS_SRC/tests/http/lib.sh"
mkdir -p "$T/web"
for db in "$pg" "$T/b.db"; do
    start_server "$db" >/dev/null
    st=$(req POST /api/session -H 'Content-Type: application/json' \
        --data-binary '{"username":"cw1","password":"correct-horse-battery"}')
    check_eq "cw1 logs in on the copy ($(echo "$db" | sed 's|.*/||'))" 201 "$st"
    st=$(req POST /api/session -H 'Content-Type: application/json' \
        --data-binary '{"username":"gone","password":"correct-horse-battery"}')
    check_eq "a disabled user stays refused on the copy" 401 "$st"
    stop_server
done
"$CTIS" --db "$T/b.db" export >"$T/b.jsonl"
check "round trip export identical to the original" cmp "$T/a.jsonl" "$T/b.jsonl"
"$CTIS" --db "$pg" export >"$T/p.jsonl"
check "postgresql export identical too" cmp "$T/a.jsonl" "$T/p.jsonl"
"$CTIS" --db "$T/a.db" report >"$T/a.json"
"$CTIS" --db "$pg" report >"$T/p.json"
check "datasheet identical on the copy" cmp "$T/a.json" "$T/p.json"

"$CTIS" migrate --from "$T/a.db" --to "$pg" >"$T/r.out" 2>&1
check_eq "non-empty target refused (exit 1)" 1 "$?"
check "refusal says --force" grep -q 'is not empty.*--force' "$T/r.out"
check "sqlite target refused too" sh -c "! '$CTIS' migrate --from '$pg' --to '$T/b.db' 2>/dev/null"
check "--force writes over it" "$CTIS" migrate --from "$T/a.db" --to "$pg" --force
"$CTIS" --db "$pg" export >"$T/f.jsonl"
check "after --force still identical" cmp "$T/a.jsonl" "$T/f.jsonl"
check "sqlite to sqlite" "$CTIS" migrate --from "$T/a.db" --to "$T/c.db"
check_fails "same database refused" "$CTIS" migrate --from "$T/a.db" --to "$T/a.db"
check_fails "missing source" "$CTIS" migrate --from "$T/none.db" --to "$T/d.db"
check_fails "no --to" "$CTIS" migrate --from "$T/a.db"
