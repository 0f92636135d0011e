#!/usr/bin/env bash
# The browser's files come only from their owner: 'ctis serve' in a
# folder another local user could write to (the default --web is "web"
# in the working directory) served a web/index.html that user planted,
# script on ctis's own origin, which runs with the administrator's session
# and can read every identity. Now a file of another user (not root), or
# one group or others may write, is not served (404), and a web folder of
# another user or open to others' writes is refused at start (exit 2).
# Runs as root (CI does) and plants as the user ctis-other.
source "$(dirname "$0")/../lib.sh"
source "$CTIS_SRC/tests/http/lib.sh"
second_user || exit 0
check "a demo database" "$CTIS" --db d.db demo
mkdir web
echo '<p>ours</p>' > web/index.html
echo 'ours' > web/app.js
as_other sh -c "echo '<script>theirs</script>' > '$S/evil.html'"
# a file of the other user's in a folder of ours (they made it there
# when the folder was open to them, then it was closed)
chmod 777 web
as_other sh -c "echo '<script>theirs</script>' > '$T/web/theirs.html'"
chmod 755 web
chmod 666 web/app.js
cp web/index.html web/open.html
chmod 664 web/open.html
chgrp "$other" web/open.html
# a checkout made under umask 002 (Debian gives each user a group of its
# own): group-writable, of our own group, is ours
cp web/index.html web/ours.html
chmod 664 web/ours.html
mkdir web/g
chmod 775 web/g
echo '<p>ours</p>' > web/g/index.html
chmod 664 web/g/index.html
check "the server starts" start_server d.db --web "$T/web"
check_eq "our index is served" 200 "$(req GET /)"
check_eq "a file of the other user's is not served" 404 "$(req GET /theirs.html)"
check_eq "nor one others may write" 404 "$(req GET /app.js)"
check_eq "nor one another group may write" 404 "$(req GET /open.html)"
check_eq "one our own group may write is served (umask 002)" 200 "$(req GET /ours.html)"
check_eq "so is a folder of ours our group may write" 200 "$(req GET /g/)"
stop_server
chmod 775 web
check "a web folder our own group may write is served (umask 002)" start_server d.db --web "$T/web"
check_eq "and its index" 200 "$(req GET /)"
stop_server
chmod 755 web
# a web folder the other user made, or one open to others' writes
as_other mkdir "$S/web"
as_other sh -c "echo '<script>theirs</script>' > '$S/web/index.html'"
"$CTIS" --db d.db serve --listen 127.0.0.1:0 --web "$S/web" > s.out 2>&1 &
pid=$!
for _ in $(seq 40); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then kill $pid; wait $pid; not_ok "a web folder of another user is refused at start"; else
    wait $pid
    check_eq "a web folder of another user is refused at start (exit 2)" 2 $?
fi
check "saying why" grep -q "another user" s.out
mkdir open
chmod 777 open
echo hi > open/index.html
"$CTIS" --db d.db serve --listen 127.0.0.1:0 --web "$T/open" > s.out 2>&1 &
pid=$!
for _ in $(seq 40); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then kill $pid; wait $pid; not_ok "a web folder others may write is refused at start"; else
    wait $pid
    check_eq "a web folder others may write is refused at start (exit 2)" 2 $?
fi
