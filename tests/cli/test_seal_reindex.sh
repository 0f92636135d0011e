# Issue 10: a sealed SQLite database whose blind indexes were made by an
# older name rule is not searched short after the upgrade; ctis key
# reindex remakes them in resumable batches (tests/support/seal_reindex.sh
# says how the old database is made and what is checked).
. "$(dirname "$0")/../lib.sh"
db=s.db
clear_db=c.db
sql() { sqlite3 "$db" "$1"; }
downgrade="DROP INDEX person_identity_name_rule;
ALTER TABLE person_identity DROP COLUMN name_rule;
ALTER TABLE person_identity DROP COLUMN bidx; PRAGMA user_version = 6;"
schema="PRAGMA user_version"
. "$CTIS_SRC/tests/support/seal_reindex.sh"
