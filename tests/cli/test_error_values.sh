# Errors name the field or the argument, never the value typed: an id or
# user name that matches nothing may be a person's name typed in the
# wrong place, and it would reach the terminal and the logs. Before,
# 'case show NAME' said "no case 'NAME'", a stray word of an unquoted name
# "unexpected argument 'WORD'", and so on for users, agencies, keys,
# records and commands.
. "$(dirname "$0")/../lib.sh"
M=Sokhaqzv
K="$CTIS --key-file k --db s.db"
check "a sealed database" $K key init
check "with the demo" $K demo
quiet() { # quiet NAME ARGS...: fails, and does not repeat $M
    local name=$1
    shift
    $K "$@" > q.out 2>&1 < /dev/null
    local rc=$?
    if [ $rc -ne 0 ] && [ $rc -lt 128 ] && ! grep -q "$M" q.out; then ok "$name"; else
        not_ok "$name (status $rc)"; sed 's/^/#   /' q.out; fi
}
quiet "case show of an unknown id" case show "$M Chan"
quiet "case history" case history "$M"
quiet "case update" case update "$M" '{}'
quiet "case event" case event "$M" closure 2020-01-01
quiet "case transfer" case transfer "$M" --to ngo-1 --consent given
quiet "case transfer to an unknown agency" case transfer "$($K case list --limit 1 | awk 'NR==2{print $1}')" --to "$M" --consent given
quiet "case refer to an unknown agency" case refer "$($K case list --limit 1 | awk 'NR==2{print $1}')" --to "$M" --service medical
quiet "person erase" person erase "$M" --reason "a reason"
quiet "user disable" user disable "$M"
quiet "user passwd" user passwd "$M" --password-file /dev/null
quiet "user add with an unknown agency" user add --username u1 --role case_worker --agency "$M"
quiet "--as an unknown user" --as "$M" case list
quiet "key remove of an unknown key" key remove "$M"
quiet "an unquoted name: its second word is not repeated" case find Chan "$M"
quiet "nor a stray word of export" export "$M"
quiet "nor of audit verify" audit verify "$M"
quiet "nor the value of an option that takes none" export --public="$M"
quiet "nor an unknown command" "$M"
quiet "nor an unknown command of a group" case "$M"
check "the unknown id is still said to be unknown (exit 4)" sh -c "$K case show '$M' 2>&1 | grep -q 'no case has the id given'; test \$? = 0"
