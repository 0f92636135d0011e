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
"$CTIS" --db "$T/a.db" export >"$T/a.jsonl"
"$CTIS" migrate --from "$T/a.db" --to "$pgpw" >"$T/m.out" 2>&1
check_eq "a password in --to is refused (exit 2)" 2 "$?"
if grep -q not-the-password "$T/m.out"; then not_ok "no password in the refusal of --to"; else ok "no password in the refusal of --to"; fi
check "sqlite to postgresql" "$CTIS" migrate --from "$T/a.db" --to "$pg"
cp "$T/.out" "$T/m.out"
check "counts and checksums printed" grep -q '^cases .* ok$' "$T/m.out"
check "postgresql to sqlite" "$CTIS" migrate --from "$pg" --to "$T/b.db"
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
