#!/usr/bin/env bash
# A restore that fails prints ctis's message and nothing of the server's:
# the maintenance connections of create and drop had libpq's default
# notice processor, so the server's NOTICEs (and, with a lower
# client_min_messages in PGOPTIONS, its DEBUG lines) reached stderr. And
# a backup of PostgreSQL restored into a file name is refused.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
K="$CTIS --key-file k"
check "a sealed SQLite database" $K --db s.db key init
check "with the demo" $K --db s.db demo
check "backed up" $K --db s.db backup --output s.bak
new=$(pgdb quiet_new)
PGOPTIONS='-c client_min_messages=debug1' $K restore s.bak --db "$new" > out.txt 2>&1
check_eq "a SQLite backup restored into PostgreSQL fails (exit 5)" 5 $?
check_eq "with one line, ctis's" 1 "$(wc -l < out.txt)"
check "no NOTICE, DEBUG or LOG line of the server" sh -c "! grep -E 'NOTICE|DEBUG|LOG|WARNING' out.txt"
check_eq "and the new database is dropped" 0 "$(psql -X -q -At -d "$CTIS_TEST_PG/postgres" -c "select count(*) from pg_database where datname = 'ctis_quiet_new_$$'")"
# the other way: a PostgreSQL backup restored into a file name was written
# as it was (pg_dump's bytes) and the "database" then failed to open
src=$(pgdb quiet_src)
check "a sealed PostgreSQL database" $K --db "$src" key init
check "with the demo" $K --db "$src" demo
check "backed up" $K --db "$src" backup --output p.bak
$K restore p.bak --db p.db > out.txt 2>&1
check_eq "restored into a file name: refused as invalid (exit 3)" 3 $?
check "says why" grep -q "not of a SQLite database" out.txt
check_eq "and writes nothing" "" "$(ls -A | grep -E '^\.?p\.db')"
