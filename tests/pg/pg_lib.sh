# Helpers for the PostgreSQL CLI tests; source after tests/lib.sh.
# $CTIS_TEST_PG is the base URL of the throwaway cluster that
# scripts/test.sh starts (tests/pg/start_cluster.sh); without it the test
# fails rather than skip.
if [ -z "${CTIS_TEST_PG:-}" ]; then
    not_ok "CTIS_TEST_PG is not set (run through make test, or start a cluster with tests/pg/start_cluster.sh)"
    exit 0
fi
# The superuser's password over TCP (tests/pg/start_cluster.sh), for a
# test run by hand with only CTIS_TEST_PG and CTIS_TEST_PG_DIR set.
if [ -z "${PGPASSFILE:-}" ] && [ -f "${CTIS_TEST_PG_DIR:-/nonexistent}/pgpass" ]; then
    export PGPASSFILE=$CTIS_TEST_PG_DIR/pgpass
fi
# pgdb NAME: a URL for a database of this test run (created on first use).
pgdb() { echo "$CTIS_TEST_PG/ctis_${1}_$$"; }
# keyed FILE: "type|id<TAB>line" for each JSON line of an export.
keyed() {
    sed 's/^\({"type":"\([a-z_]*\)","id":"\([^"]*\)".*\)$/\2|\3\t\1/' "$1"
}
# verify EXPECTED_A EXPECTED_B FINAL: each of the three is an export
# (JSON Lines). Prints "records wrong extra missing duplicates from_a
# from_b": every record of FINAL must be its version in A or in B (in
# both: either, counted in from_a / from_b when the two differ), no record
# may be missing, extra or repeated.
verify() {
    keyed "$1" >"$T/.va"
    keyed "$2" >"$T/.vb"
    keyed "$3" >"$T/.vf"
    awk -F'\t' '
    FILENAME == ARGV[1] { a[$1] = $2; next }
    FILENAME == ARGV[2] { b[$1] = $2; next }
    {
        k = $1; seen[k]++; n++
        if ((k in a) && (k in b)) {
            if ($2 == a[k] && $2 == b[k]) same++
            else if ($2 == a[k]) oa++
            else if ($2 == b[k]) ob++
            else bad++
        } else if (k in a) { if ($2 != a[k]) bad++ }
        else if (k in b) { if ($2 != b[k]) bad++ }
        else extra++
    }
    END {
        for (k in a) if (!(k in seen)) miss++
        for (k in b) if (!(k in a) && !(k in seen)) miss++
        for (k in seen) if (seen[k] > 1) dup++
        printf "%d %d %d %d %d %d %d\n", n, bad + 0, extra + 0, miss + 0,
            dup + 0, oa + 0, ob + 0
    }' "$T/.va" "$T/.vb" "$T/.vf"
}
# pg_ctl_as ARGS...: pg_ctl on the test cluster as the user owning it.
pg_ctl_as() {
    local bin owner
    bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
    owner=$(stat -c %U "$CTIS_TEST_PG_DIR/data")
    if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
        su "$owner" -s /bin/sh -c "'$bin/pg_ctl' -D '$CTIS_TEST_PG_DIR/data' -l '$CTIS_TEST_PG_DIR/server.log' $*"
    else
        "$bin/pg_ctl" -D "$CTIS_TEST_PG_DIR/data" -l "$CTIS_TEST_PG_DIR/server.log" "$@"
    fi
}
