# Helpers for CLI test scripts: TAP output and a scratch folder removed at
# exit. Source it; $CTIS is the binary under test.
set -u
: "${CTIS:?set CTIS to the ctis binary}"
CTIS_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
# check NAME CMD...: ok when CMD exits 0
check() {
    local name=$1
    shift
    if "$@" >"$T/.out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/#   /' "$T/.out" | tail -10; fi
}
# check_fails NAME CMD...: ok when CMD exits non-zero (and does not crash)
check_fails() {
    local name=$1
    shift
    "$@" >"$T/.out" 2>&1
    local rc=$?
    if [ $rc -ne 0 ] && [ $rc -lt 128 ]; then ok "$name"; else not_ok "$name (status $rc)"; sed 's/^/#   /' "$T/.out" | tail -10; fi
}
# check_eq NAME EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf '#   expected: %s\n#   actual:   %s\n' "$2" "$3"; fi
}
