# Helpers for the PostgreSQL CLI tests; source after tests/lib.sh.
# $CTIS_TEST_PG is the base URL of the throwaway cluster that
# scripts/test.sh starts (tests/pg/start_cluster.sh); without it the test
# fails rather than skip.
if [ -z "${CTIS_TEST_PG:-}" ]; then
    not_ok "CTIS_TEST_PG is not set (run through make test, or start a cluster with tests/pg/start_cluster.sh)"
    exit 0
fi
# pgdb NAME: a URL for a database of this test run (created on first use).
pgdb() { echo "$CTIS_TEST_PG/ctis_${1}_$$"; }
# keyed FILE: "type|id<TAB>line" for each JSON line of an export.
keyed() {
    sed 's/^\({"type":"\([a-z_]*\)","id":"\([^"]*\)".*\)$/\2|\3\t\1/' "$1"
}
