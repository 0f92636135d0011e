#!/usr/bin/env bash
# --db naming (through a symlink a hostile local user planted) a file that
# is not a database: ctis refuses it and makes nothing beside it. It made
# empty FILE-wal and FILE-shm beside the target before (as root, beside
# /etc/passwd).
source "$(dirname "$0")/../lib.sh"
mkdir target
printf 'root:x:0:0:root:/root:/bin/bash\n' > target/passwd
ln -s "$T/target/passwd" planted.db
"$CTIS" --db planted.db case list > out.txt 2> err.txt
rc=$?
check "a file that is not a database is refused (status $rc)" test "$rc" -ne 0
check "with a message" test -s err.txt
check "the error names the path given" grep -q "'planted.db' is not a ctis database" err.txt
check_eq "nothing is made beside the target" "passwd" "$(ls target)"
check_eq "the target is unchanged" "root:x:0:0:root:/root:/bin/bash" "$(cat target/passwd)"
"$CTIS" --db new.db init 2> /dev/null
check "an empty path still makes a new database" "$CTIS" --db new.db case list
