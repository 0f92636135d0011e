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
# check_bad_input NAME STATUS FILE LINE CMD...: the one rule for refused
# input, used by every bad-input test. CMD must exit with STATUS (not crash),
# print no sanitizer report, name FILE:LINE when LINE is a number, and quote
# no value of that line of FILE (of any line when LINE is "-"); the values
# are listed by tests/support/values.py.
check_bad_input() {
    local name=$1 want=$2 file=$3 line=$4 rc why="" leaked
    shift 4
    "$@" >"$T/.bad" 2>&1
    rc=$?
    [ "$rc" = "$want" ] || why="status $rc, not $want"
    if [ "$line" != "-" ] && ! grep -qF "$file:$line" "$T/.bad"; then
        why="$why; does not name $file:$line"
    fi
    if grep -qE 'runtime error:|Sanitizer|AddressSanitizer' "$T/.bad"; then
        why="$why; sanitizer report"
    fi
    leaked=$(python3 "$CTIS_SRC/tests/support/values.py" "$file" "$line" "$T/.bad")
    [ -z "$leaked" ] || why="$why; quotes a value: $(echo "$leaked" | head -3 | tr '\n' ' ')"
    if [ -z "$why" ]; then ok "$name"; else
        not_ok "$name ($why)"
        sed 's/^/#   /' "$T/.bad" | tail -8
    fi
}
# second_user: as root, make sure the unprivileged user 'ctis-other'
# exists (created when absent), define as_other CMD... to run CMD as it
# (setpriv), and make $S=$T/shared, a folder both may write to (sticky,
# like /tmp). Returns non-zero, after a "not ok", when it cannot.
second_user() {
    if [ "$(id -u)" -ne 0 ]; then
        not_ok "this test needs root to act as a second user (CI runs as root)"
        return 1
    fi
    other=ctis-other
    if ! id "$other" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$other" 2>"$T/useradd.err" ||
            { not_ok "create the user $other"; sed 's/^/#   /' "$T/useradd.err"; return 1; }
    fi
    as_other() { setpriv --reuid="$other" --regid="$other" --init-groups -- "$@"; }
    chmod 755 "$T"
    mkdir "$T/shared"
    chmod 1777 "$T/shared"
    S=$T/shared
}
