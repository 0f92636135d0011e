#!/usr/bin/env bash
# --password-file planted by another local user (found trying ctis as
# one): a FIFO made the open wait for ever, and a file of theirs gave them
# the password of the account made with it. Both are refused at once,
# without the password in the message.
source "$(dirname "$0")/../lib.sh"
"$CTIS" --db d.db init > /dev/null 2>&1
mkfifo pwfifo
timeout 10 "$CTIS" --db d.db user add --username bob --role admin \
    --password-file pwfifo > out.txt 2> err.txt
rc=$?
check "a FIFO is refused, not waited on (status $rc)" test "$rc" -ne 124 -a "$rc" -ne 0
check "the error says it is not a file" grep -q "'pwfifo' is not a file" err.txt
echo 'Secret-Pass-1234' > pw
check "a password file of one's own still works" "$CTIS" --db d.db user add \
    --username carol --role admin --password-file pw
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
    cp pw pwnobody && chown nobody pwnobody
    "$CTIS" --db d.db user add --username dave --role admin \
        --password-file pwnobody > out.txt 2> err.txt
    rc=$?
    check "another user's password file is refused (status $rc)" test "$rc" -ne 0
    check "the error names the owner" grep -q "belongs to another user" err.txt
    check "and not the password" sh -c '! grep -q Secret-Pass err.txt'
    check "and no account was made" sh -c "! '$CTIS' --db d.db user list | grep -q dave"
else
    # as an unprivileged user: a file of root's stands for another user's
    check "another user's password file is refused" sh -c \
        "! '$CTIS' --db d.db user add --username dave --role admin --password-file /etc/hostname"
fi
