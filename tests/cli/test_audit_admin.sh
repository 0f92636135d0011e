# Keys, backups, restores and erasures in the audit trail, on SQLite
# (tests/support/audit_admin.sh says what is checked).
. "$(dirname "$0")/../lib.sh"
db=a.db
restored=r.db
. "$CTIS_SRC/tests/support/audit_admin.sh"
