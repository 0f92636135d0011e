#!/usr/bin/env bash
# SQLite's side files (-wal, -shm, -journal) beside a database in a
# shared, sticky folder, with a second local user (ctis-other) who may
# create files there:
#   - read-only commands leave no -wal/-shm behind (they left an empty
#     pair each time);
#   - while ctis works, the side files have the database's mode and owner
#     whatever the umask;
#   - a side file the other user planted first (a file of theirs, a
#     symlink, a hard link) is refused, and nothing is written into it:
#     before, ctis wrote its WAL frames into the other user's file, which
#     could read them, or replay frames of its own making;
#   - a database file of the other user's at the name ctis would use
#     (ctis.db in a shared folder) is refused: root's records went into
#     it, and the other user read them.
# Runs as root (CI does) and acts as the other user through setpriv.
source "$(dirname "$0")/../lib.sh"
second_user || exit 0
K="$CTIS --key-file $T/k --db $S/d.db"
check "a sealed database in the shared folder" $K key init
check "with the demo" $K demo
check_eq "no side file after a writer" "d.db" "$(ls -A "$S" | tr '\n' ' ' | sed 's/ $//')"
id=$($K case list --limit 1 | awk 'NR == 2 {print $1}')
for cmd in "report" "case list" "case show $id" "case find Sokha" "export" "export --public" "audit verify" "link --from-db --output $T/l.jsonl"; do
    $K $cmd > /dev/null 2>&1
    check_eq "$cmd (read-only) leaves no side file" "d.db" "$(ls -A "$S" | tr '\n' ' ' | sed 's/ $//')"
done
$K backup --output "$T/b.bak" > /dev/null 2>&1
check_eq "backup leaves no side file" "d.db" "$(ls -A "$S" | tr '\n' ' ' | sed 's/ $//')"

# while a command works (an import reading a pipe that stays open)
mkfifo "$T/in.jsonl"
(umask 000; $K import --format jsonl "$T/in.jsonl" > "$T/imp.out" 2>&1) &
imp=$!
exec 7> "$T/in.jsonl"
for _ in $(seq 100); do [ -e "$S/d.db-shm" ] && break; sleep 0.1; done
check_eq "under umask 000, the side files of a working ctis are 0600 and root's" \
    "600 root 600 root" "$(stat -c '%a %U' "$S/d.db-wal" "$S/d.db-shm" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
check_fails "the other user cannot read the WAL" as_other cat "$S/d.db-wal"
check_fails "nor the shared memory" as_other cat "$S/d.db-shm"
exec 7>&-
wait $imp

# planted side files: the other user's own file (0666), a symlink to
# a file of theirs, a hard link to one
planted() { # planted NAME KIND SIDE: plant, run a reader and a writer
    local name=$1 kind=$2 side=$3 f=$S/d.db$3
    rm -f "$S"/d.db-wal "$S"/d.db-shm "$S/mine"
    as_other sh -c "umask 000; : > '$S/mine'"
    case $kind in
        file) as_other sh -c "umask 000; : > '$f'" ;;
        symlink) as_other ln -s "$S/mine" "$f" ;;
        hardlink) as_other ln "$S/mine" "$f" ;;
    esac
    $K case list --limit 1 > p.out 2>&1
    check_eq "$name: a reader refuses (exit 5)" 5 $?
    check "$name: naming the file" grep -qF "d.db$side" p.out
    $K case update "$id" '{"status":"follow_up"}' > p.out 2>&1
    check_eq "$name: a writer refuses (exit 5)" 5 $?
    local theirs=$S/mine
    [ "$kind" = file ] && theirs=$f
    check_eq "$name: nothing was written into the other user's file" 0 "$(stat -c %s "$theirs")"
    rm -f "$f" "$S/mine"
}
for side in -wal -shm; do
    planted "another user's d.db$side" file $side
    planted "a symlink at d.db$side" symlink $side
done
planted "a hard link at d.db-wal" hardlink -wal
as_other sh -c "umask 000; : > '$S/d.db-journal'"
$K case list --limit 1 > p.out 2>&1
check_eq "another user's d.db-journal is refused too" 5 $?
rm -f "$S/d.db-journal"
# a side file of the owner but open to others
: > "$S/d.db-wal"
chmod 644 "$S/d.db-wal"
$K case list --limit 1 > p.out 2>&1
check_eq "a side file readable by others is refused" 5 $?
check "saying its mode" grep -q "mode 644" p.out
rm -f "$S/d.db-wal"
check "and with nothing planted, all is well again" $K case update "$id" '{"status":"follow_up"}'
check "the database is whole" $K audit verify

# a database the other user put at the default name, where root works
mkdir "$S/work"
chmod 1777 "$S/work"
as_other sh -c "umask 000; : > '$S/work/ctis.db'"
(cd "$S/work" && "$CTIS" demo > "$T/p.out" 2>&1)
check_eq "a database of another user's in a shared folder is refused (exit 5)" 5 $?
check "saying whose it is" grep -q "belongs to another user" p.out
check_eq "and receives nothing" 0 "$(stat -c %s "$S/work/ctis.db")"
rm -f "$S/work/ctis.db"
as_other sh -c "umask 077; : > '$S/work/ctis.db'"
(cd "$S/work" && "$CTIS" demo > "$T/p.out" 2>&1)
check_eq "also when only its owner may read it" 5 $?
rm -f "$S/work/ctis.db"
: > "$S/work/ctis.db"
chmod 666 "$S/work/ctis.db"
(cd "$S/work" && "$CTIS" demo > "$T/p.out" 2>&1)
check_eq "a database file every user may write is refused" 5 $?
check "saying its mode" grep -q "mode 666" p.out
rm -f "$S/work/ctis.db"
# the other user's database in a folder only they write (as the root
# administrator working on a service user's database) is not refused
mkdir "$T/svc"
chown "$other" "$T/svc"
as_other sh -c "cd '$T/svc' && umask 077 && : > ctis.db"
cp "$S/d.db" "$T/svc/ctis.db"
chown "$other" "$T/svc/ctis.db"
check "a database of another user in their own folder opens" "$CTIS" --key-file "$T/k" --db "$T/svc/ctis.db" case list --limit 1
