#!/usr/bin/env bash
# A restore that fails prints ctis's message and nothing of the server's:
# the maintenance connections of create and drop had libpq's default
# notice processor, so the server's NOTICEs (and, with a lower
# client_min_messages in PGOPTIONS, its DEBUG lines) reached stderr. And
# a backup of PostgreSQL restored into a file name is refused.
# A backup restored into the other backend says what it holds and what to
# do (before: "cannot write the restored database", exit 5, after
# creating and dropping the database), and the advice works.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
K="$CTIS --key-file k"
check "a sealed SQLite database" $K --db s.db key init
check "with the demo" $K --db s.db demo
check "backed up" $K --db s.db backup --output s.bak
new=$(pgdb quiet_new)
PGOPTIONS='-c client_min_messages=debug1' $K restore s.bak --db "$new" > out.txt 2>&1
check_eq "a SQLite backup restored into PostgreSQL is refused as invalid (exit 3)" 3 $?
check_eq "with one line, ctis's" 1 "$(wc -l < out.txt)"
check "that says the backup is of SQLite" grep -q "backup is of a SQLite database and restores only into a file" out.txt
check "and how to get it into PostgreSQL" grep -q "ctis migrate --from NEW.db --to postgresql://" out.txt
check "naming no host, user or database" sh -c "! grep -q 'quiet_new\|127.0.0.1' out.txt"
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
check "says it is a PostgreSQL dump" grep -q "backup is of a PostgreSQL database (pg_dump) and restores only into PostgreSQL" out.txt
check "and how to get it into a file" grep -q "ctis migrate --from postgresql://HOST/NEW --to NEW.db" out.txt
check_eq "and writes nothing" "" "$(ls -A | grep -E '^\.?p\.db')"
# the advice, followed: into the right backend, then migrate
check "the SQLite backup restored into a file" $K restore s.bak --db s2.db
check "then migrated into PostgreSQL" $K migrate --from s2.db --to "$(pgdb quiet_mig)"
check_eq "with every case" "$($K --db s.db case list --limit 100000 | wc -l)" "$($K --db "$(pgdb quiet_mig)" case list --limit 100000 | wc -l)"
check "the PostgreSQL backup restored into PostgreSQL" $K restore p.bak --db "$(pgdb quiet_new2)"
check "then migrated into a file" $K migrate --from "$(pgdb quiet_new2)" --to p2.db
check_eq "with every case" "$($K --db "$src" case list --limit 100000 | wc -l)" "$($K --db p2.db case list --limit 100000 | wc -l)"
