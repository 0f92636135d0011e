#!/usr/bin/env bash
# Restores racing into the same new PostgreSQL database: exactly one
# creates it and restores, the others are refused ("exists") and drop
# nothing. A database created by another process between a restore's
# check and its CREATE DATABASE counted as its own, so a restore that
# then failed dropped the database the winner had just restored (the
# winner said "restored" and the database was gone).
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
printf '{"type":"agency","id":"ngo-1","name":"One","kind":"ngo"}\n{"type":"case","id":"R-1","agency":"ngo-1","person":{"given_name":"Racezzq"},"events":[{"type":"identification","date":"2008-03-01"}]}\n' > r.jsonl
src=$(pgdb rrsrc)
check "a sealed source" "$CTIS" --db "$src" --key-file k key init
check "with a case" "$CTIS" --db "$src" --key-file k import r.jsonl
check "backed up" "$CTIS" --db "$src" --key-file k backup --output b.bak
for round in 1 2 3; do
    new=$(pgdb "rrnew$round")
    for i in 1 2 3 4 5 6; do
        ("$CTIS" --key-file k restore b.bak --db "$new" > "o$round.$i" 2>&1
         echo "rc=$?" >> "o$round.$i") &
    done
    wait
    won=$(cat o"$round".* | grep -c '^rc=0$')
    refused=$(cat o"$round".* | grep -c "exists; restore into a new one")
    check_eq "round $round: one restore wins, the others are refused as existing" "1 5" "$won $refused"
    check_eq "round $round: and the restored database is there, with its case" 1 "$(psql -X -q -At -d "$new" -c 'select count(*) from cases' 2>&1)"
done
