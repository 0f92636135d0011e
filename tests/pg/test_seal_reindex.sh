#!/usr/bin/env bash
# Issue 10: a sealed PostgreSQL database whose blind indexes were made by
# an older name rule is not searched short after the upgrade; ctis key
# reindex remakes them in resumable batches (tests/support/seal_reindex.sh
# says how the old database is made and what is checked).
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
db=$(pgdb reindex)
clear_db=$(pgdb reindex_clear)
sql() { psql -X -q -At -d "$db" -c "$1"; }
downgrade="ALTER TABLE person_identity DROP COLUMN name_rule;
UPDATE ctis_schema SET version = 6;"
schema="SELECT version FROM ctis_schema"
source "$CTIS_SRC/tests/support/seal_reindex.sh"
