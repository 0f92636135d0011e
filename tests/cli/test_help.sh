# Every command of the table answers --help with its usage, exit 0; no
# command, an unknown one and a bad global option give usage errors (2).
. "$(dirname "$0")/../lib.sh"
for c in $("$CTIS" --commands); do
    out=$("$CTIS" "$c" --help 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "usage: ctis"; then
        ok "$c --help"
    else
        not_ok "$c --help (status $rc)"
    fi
done
check "ctis --help" "$CTIS" --help
"$CTIS" >/dev/null 2>&1
check_eq "no command exits 2" 2 $?
"$CTIS" frobnicate >/dev/null 2>&1
check_eq "unknown command exits 2" 2 $?
"$CTIS" report --db >/dev/null 2>&1
check_eq "--db without a value exits 2" 2 $?
"$CTIS" --db missing.db report >/dev/null 2>&1
check_eq "missing database exits 4" 4 $?
check "man page renders" sh -c "man -l '$CTIS_SRC/docs/ctis.1' >/dev/null 2>&1 || groff -man -Tutf8 '$CTIS_SRC/docs/ctis.1' >/dev/null 2>&1 || test -s '$CTIS_SRC/docs/ctis.1'"
"$CTIS" --db 'postgresql://ctis:sekret-pw@127.0.0.1:1/none' init > out.txt 2>&1
check_eq "an unreachable server exits 5" 5 $?
check "the message names the server" grep -q "127.0.0.1:1" out.txt
check_fails "the message never shows the password" grep -q "sekret-pw" out.txt
