#!/usr/bin/env bash
# The datasheet on PostgreSQL: the demo data set written into a
# PostgreSQL database and into a SQLite file gives byte-identical reports
# (every format, several periods, disclosure control) and exports.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"

for seed in 1 42; do
    pg=$(pgdb "demo$seed")
    check "demo seed $seed into sqlite" "$CTIS" --db "$T/s$seed.db" demo --seed $seed
    check "demo seed $seed into postgresql" "$CTIS" --db "$pg" demo --seed $seed
    for period in "" "--from 2005 --to 2008" "--from 2008 --to 2008" "--from 2006"; do
        for fmt in json md html; do
            # shellcheck disable=SC2086
            "$CTIS" --db "$T/s$seed.db" report $period --format $fmt >"$T/s.out" 2>&1
            # shellcheck disable=SC2086
            "$CTIS" --db "$pg" report $period --format $fmt >"$T/p.out" 2>&1
            if cmp -s "$T/s.out" "$T/p.out" && [ -s "$T/s.out" ]; then
                ok "seed $seed report $fmt ${period:-all years}: same on both backends"
            else
                not_ok "seed $seed report $fmt ${period:-all years}: same on both backends"
                diff "$T/s.out" "$T/p.out" | head -10 | sed 's/^/#   /'
            fi
        done
    done
    "$CTIS" --db "$T/s$seed.db" report --public >"$T/s.pub"
    "$CTIS" --db "$pg" report --public >"$T/p.pub"
    check "seed $seed public report same" cmp "$T/s.pub" "$T/p.pub"
    "$CTIS" --db "$T/s$seed.db" export >"$T/s.jsonl"
    "$CTIS" --db "$pg" export >"$T/p.jsonl"
    check "seed $seed export same" cmp "$T/s.jsonl" "$T/p.jsonl"
    "$CTIS" --db "$T/s$seed.db" export --format csv >"$T/s.csv"
    "$CTIS" --db "$pg" export --format csv >"$T/p.csv"
    check "seed $seed csv export same" cmp "$T/s.csv" "$T/p.csv"
done

# An export imported into PostgreSQL reports as the original.
pg=$(pgdb reimport)
check "import an export into postgresql" "$CTIS" --db "$pg" import --no-progress "$T/s.jsonl"
"$CTIS" --db "$pg" export >"$T/r.jsonl"
check "re-imported export same" cmp "$T/s.jsonl" "$T/r.jsonl"
check "init reports the backend" sh -c "'$CTIS' --db '$pg' init 2>&1 | grep -q 'postgresql, schema version'"

# Case commands through the PostgreSQL backend.
"$CTIS" --db "$T/s1.db" case list --limit 5 >"$T/s.list"
"$CTIS" --db "$(pgdb demo1)" case list --limit 5 >"$T/p.list"
check "case list same" cmp "$T/s.list" "$T/p.list"
id=$(head -1 "$T/s.jsonl" >/dev/null; grep -m1 '"type":"case"' "$T/s.jsonl" | sed 's/.*"id":"\([^"]*\)".*/\1/')
check "case event on postgresql" "$CTIS" --db "$pg" case event "$id" referral 2009-03-01 to=ngo
check "case event on sqlite" "$CTIS" --db "$T/s42.db" case event "$id" referral 2009-03-01 to=ngo
"$CTIS" --db "$T/s42.db" case show "$id" >"$T/s.show"
"$CTIS" --db "$pg" case show "$id" >"$T/p.show"
check "case show same after an event" cmp "$T/s.show" "$T/p.show"

# Errors name the server, never the password.
out=$(CTIS_DB="postgresql://ctis:hunter2@127.0.0.1:1/nodb" "$CTIS" report 2>&1)
rc=$?
check_eq "unreachable server exits 5" 5 "$rc"
case $out in
*hunter2*) not_ok "no password in the message: $out" ;;
*"127.0.0.1:1/nodb"*) ok "message names host:port/dbname" ;;
*) not_ok "message names host:port/dbname: $out" ;;
esac
out=$("$CTIS" --db "$(pgdb missing)" report 2>&1)
check_eq "missing database exits 4" 4 "$?"
case $out in
*"does not exist (run 'ctis init')"*) ok "missing database message" ;;
*) not_ok "missing database message: $out" ;;
esac
