# Backups, restores and key files as a careless administrator or a
# hostile local user would try them (docs/security.md): a backup never
# overwrites the database or its side files and replaces a symlink, not
# its target; backups are 0600 whatever the umask and leave no temporary
# file; a restore refuses an existing database and a WAL, shared-memory
# or journal file left beside its target by another database (which
# SQLite would replay onto the restored pages), and writes nothing then;
# key files open to others or owned by another user are refused (exit 8).
. "$(dirname "$0")/../lib.sh"
K="$CTIS --key-file k"
check "a sealed database" $K --db d.db key init
check "with the demo" $K --db d.db demo
cp d.db before.db
listing() { find . -maxdepth 1 -newer stamp -type f ! -name .out ! -name out.txt | sort | tr '\n' ' '; }

# backup over the database itself, its WAL, shared memory or journal
# (there or not: a file of that name would be taken for the database's)
for f in d.db d.db-wal d.db-shm d.db-journal ./d.db "$PWD/d.db-wal"; do
    check_fails "backup --output $f is refused" $K --db d.db backup --output $f
done
check "the database is untouched" cmp d.db before.db
check "and still opens with the key" $K --db d.db case list --limit 1

# a backup onto a symlink replaces the link, never writes its target
echo "someone else's file" > target
ln -s target link.bak
check "backup onto a symlink" $K --db d.db backup --output link.bak
check_eq "the symlink's target is untouched" "someone else's file" "$(cat target)"
check "the backup is a file, not a link" test -f link.bak -a ! -L link.bak
check "which verifies" $K backup --verify link.bak
(umask 000 && $K --db d.db backup --output open.bak > /dev/null 2>&1)
check_eq "a backup is 0600 under umask 000" 600 "$(stat -c %a open.bak)"

# restore refusals write nothing
cp d.db exists.db
touch stamp
sleep 1
$K restore open.bak --db exists.db > out.txt 2>&1
check_eq "restore onto an existing database: exit 1" 1 $?
check "names it" grep -q "exists" out.txt
check "the existing database is untouched" cmp exists.db d.db
# another database's WAL, left where the restore goes: SQLite would
# replay it onto the restored pages at the first open
for side in -wal -shm -journal; do
    echo "left over" > "new.db$side"
    touch stamp
    sleep 1
    $K restore open.bak --db new.db > out.txt 2>&1
    check_eq "restore beside a stale new.db$side: exit 1" 1 $?
    check "names the file" grep -qF "new.db$side" out.txt
    check_eq "and writes nothing" "" "$(listing)"
    rm -f "new.db$side"
done
check_eq "no temporary file is left by any of them" "" "$(ls -a | grep -E '\.tmp|^\.[^.]' | grep -v '^\.out$' | tr '\n' ' ')"
check "a restore into a free name works" $K restore open.bak --db new.db
check "and the restored database opens" $K --db new.db case list --limit 1
check "and has the backed-up cases" sh -c "$K --db new.db case list > a.txt && $K --db d.db case list > b.txt && cmp a.txt b.txt"

# key files
cp k k640 && chmod 640 k640
"$CTIS" --key-file k640 --db d.db case list > out.txt 2>&1
check_eq "a key file the group can read: exit 8" 8 $?
cp k k602 && chmod 602 k602
"$CTIS" --key-file k602 --db d.db case list > out.txt 2>&1
check_eq "a key file others can write: exit 8" 8 $?
check "the message gives the mode, not the key" sh -c "grep -q '602' out.txt && ! grep -q \"\$(tail -c 20 k)\" out.txt"
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
    cp k knobody && chown nobody knobody && chmod 600 knobody
    "$CTIS" --key-file knobody --db d.db case list > out.txt 2>&1
    check_eq "a key file of another user: exit 8" 8 $?
    check "says whose" grep -q "another user" out.txt
fi
ln -s target klink
check_fails "key init refuses a path that is a symlink" $CTIS --db e.db --key-file klink key init
check_eq "and leaves the symlink's target alone" "someone else's file" "$(cat target)"

# no output of any command replaces the key file (--key-file, by another
# name, through a symlink, or CTIS_KEY_FILE): it may hold the only key
# (backup --output k replaced it, and the database could not be opened)
cp k k.orig
ln -s k klink2
echo '{"type":"bad"}' > bad.jsonl
for args in "backup --output k" "backup --output ./k" "export --output k" \
    "export --format csv --public --output k" "report --output k" \
    "import --skip-invalid k bad.jsonl"; do
    check_fails "$args with --key-file k is refused" $K --db d.db $args
    cp "$T/.out" msg.txt
    check "and names the key file" grep -q "is the key file" msg.txt
done
check_fails "backup --output k with --key-file klink2 is refused" $CTIS --key-file klink2 --db d.db backup --output k
check_fails "backup --output k with CTIS_KEY_FILE=k is refused" env CTIS_KEY_FILE=k $CTIS --db d.db backup --output k
check "the key file is untouched" cmp k k.orig
check "and still opens the database" $K --db d.db case list --limit 1

# a FIFO at the key file's path is refused at once (the open waited for a
# writer for ever)
mkfifo -m 600 kfifo
timeout 20 $CTIS --key-file kfifo --db d.db case show C-000001 > out.txt 2>&1
check_eq "a FIFO as the key file: exit 8, no wait" 8 $?
check "says it is not a file" grep -q "not a file" out.txt

# migrate of a sealed database without its key: exit 8 and no new
# database left behind (the target was created before the key was asked)
$CTIS migrate --from d.db --to m-nokey.db < /dev/null > out.txt 2>&1
check_eq "migrate of a sealed source without a key: exit 8" 8 $?
check "and no target file is made" sh -c "! ls m-nokey.db* 2>/dev/null | grep -q ."
check "with the key it copies" $K migrate --from d.db --to m-key.db
check "and the copy is sealed" sh -c "! $CTIS --db m-key.db case show C-000001 > /dev/null 2>&1"

# a key file that is not there is a missing key: exit 8 (it was 4, "not
# found", as for a missing case)
$CTIS --key-file no-such.key --db d.db case show C-000001 > out.txt 2>&1
check_eq "a missing key file: exit 8" 8 $?
check "says it cannot open the key file" grep -q "cannot open key file" out.txt

# a passphrase longer than the reader's buffer is refused, not cut to its
# first 1023 bytes
head -c 1500 /dev/zero | tr '\0' 'p' > long.pass
echo >> long.pass
$CTIS --db d.db --passphrase-fd 3 case show C-000001 3< long.pass > out.txt 2>&1
check_eq "a passphrase of 1500 bytes: exit 8" 8 $?
check "says it is too long" grep -q "passphrase is longer than 1023 bytes" out.txt
check "a passphrase of 1023 bytes can be added" sh -c "head -c 1023 long.pass > p1023 && echo >> p1023 && $K --db d.db key add --new-passphrase-fd 3 3< p1023"
check "and opens the database" sh -c "$CTIS --db d.db --passphrase-fd 3 case show C-000001 3< p1023 > /dev/null"

# a backup of a database that a passphrase opens: its header carries the
# passphrase's wrap, which the reader refused as "damaged" (a passphrase's
# id is 15 characters and a zero byte), so no such backup could be
# verified or restored
check "a backup to verify" $K --db d.db backup --output v.bak
check "it verifies with the key file" $K backup --verify v.bak
check "and with the passphrase" sh -c "$CTIS --passphrase-fd 3 backup --verify v.bak 3< p1023"
check "and restores with the passphrase" sh -c "$CTIS --passphrase-fd 3 restore v.bak --db vr.db 3< p1023"
check "which opens with the passphrase" sh -c "$CTIS --db vr.db --passphrase-fd 3 case show C-000001 3< p1023 > /dev/null"

# backup --verify without a key speaks of the backup, not a database
$CTIS backup --verify v.bak < /dev/null > out.txt 2>&1
check_eq "verify without a key: exit 8" 8 $?
check "says the backup is sealed" grep -q "the backup is sealed and no key was given" out.txt

# the reason of an erasure is text of at most 1000 bytes
head -c 1001 /dev/zero | tr '\0' 'r' > long.reason
check_eq "an erase reason of 1001 bytes: exit 3" 3 \
    "$($K --db d.db person erase C-000002 --reason "$(cat long.reason)" > out.txt 2>&1; echo $?)"
check "says why" grep -q "reason must be UTF-8 text of 1 to 1000 bytes" out.txt
check "and erased nothing" sh -c "$K --db d.db case show C-000002 | grep -q given_name"
check_eq "a reason that is not UTF-8: exit 3" 3 \
    "$($K --db d.db person erase C-000002 --reason "$(printf 'bad \377 text')" > /dev/null 2>&1; echo $?)"
