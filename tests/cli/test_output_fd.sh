#!/usr/bin/env bash
# --output /dev/stdout (or /dev/fd/1, /proc/self/fd/1) when standard
# output is a file ("> FILE"): the data goes to FILE, and the link in /dev
# stays. Before, the path's target was a regular file, so ctis made its
# temporary file in /dev and renamed it over /dev/stdout: as root that
# replaced /dev/stdout for every process of the machine, and FILE stayed
# empty. Run in a mount namespace of its own with a private /dev (root,
# as CI runs), so that the machine's /dev is never at stake.
source "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
    not_ok "this test needs root and mount namespaces (unshare -m), as CI has"
    exit 0
fi
check "a demo database" "$CTIS" --db d.db demo
"$CTIS" --db d.db export > want.jsonl
for out in /dev/stdout /dev/fd/1 /proc/self/fd/1; do
    unshare -m --propagation private sh -c '
        mount -t tmpfs none /dev &&
        ln -s /proc/self/fd /dev/fd && ln -s /proc/self/fd/1 /dev/stdout &&
        ln -s /proc/self/fd/2 /dev/stderr && : > /dev/null &&
        "$0" --db d.db export --output "$1" > got.jsonl 2> err.txt
        echo $? > rc.txt
        ls -l /dev/stdout > dev.txt' "$CTIS" "$out"
    check_eq "export --output $out > FILE: exit 0" 0 "$(cat rc.txt)"
    check "the data is in FILE" cmp want.jsonl got.jsonl
    check "and /dev/stdout is still the link" grep -q -- '-> /proc/self/fd/1' dev.txt
done
unshare -m --propagation private sh -c '
    mount -t tmpfs none /dev &&
    ln -s /proc/self/fd/1 /dev/stdout && : > /dev/null &&
    "$0" --db d.db report --format md --output /dev/stdout > r1.md 2> err.txt' "$CTIS"
"$CTIS" --db d.db report --format md > r2.md
check "report --output /dev/stdout > FILE: the report is in FILE" cmp r1.md r2.md
