# Every command of the table answers --help with its usage, exit 0; no
# command, an unknown one and a bad global option give usage errors (2).
. "$(dirname "$0")/../lib.sh"
while IFS= read -r c; do
    # shellcheck disable=SC2086 # a two-word row is two arguments
    out=$("$CTIS" $c --help 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "usage: ctis"; then
        ok "$c --help"
    else
        not_ok "$c --help (status $rc)"
    fi
done < <("$CTIS" --commands)
check "ctis --help" "$CTIS" --help
"$CTIS" >/dev/null 2>&1
check_eq "no command exits 2" 2 $?
"$CTIS" frobnicate >/dev/null 2>&1
check_eq "unknown command exits 2" 2 $?
"$CTIS" report --db >/dev/null 2>&1
check_eq "--db without a value exits 2" 2 $?
"$CTIS" --db missing.db report >/dev/null 2>&1
check_eq "missing database exits 4" 4 $?
# The man page renders without troff warnings and documents every command.
MANWIDTH=100 man -l "$CTIS_SRC/docs/ctis.1" > man.txt 2> man.err
check "man page renders" test -s man.txt
check "man page renders without warnings" test ! -s man.err
while IFS= read -r c; do
    check "man page documents '$c'" grep -qE "^ {7}$c( |$)" man.txt
done < <("$CTIS" --commands)
check "man page lists the exit codes" grep -q "EXIT STATUS" man.txt
CTIS_DB='postgresql://ctis:sekret-pw@127.0.0.1:1/none' "$CTIS" init > out.txt 2>&1
check_eq "an unreachable server exits 5" 5 $?
check "the message names the server" grep -q "127.0.0.1:1" out.txt
check_fails "the message never shows the password" grep -q "sekret-pw" out.txt
