#!/usr/bin/env bash
# Keys, backups, restores and erasures in the audit trail, on PostgreSQL
# (tests/support/audit_admin.sh says what is checked).
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/pg/pg_lib.sh"
db=$(pgdb audit_admin)
restored=$(pgdb audit_admin_r)
source "$CTIS_SRC/tests/support/audit_admin.sh"
