#!/bin/sh
# make run: create the demo database if absent, add a first administrator
# the first time (a random password printed once, to be changed at the
# first login), and serve it (ctis serve) until Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
DB=${CTIS_DB:-ctis.db}
LISTEN=${CTIS_LISTEN:-127.0.0.1:8080}
CTIS=${CTIS:-build/ctis}
if [ ! -f "$DB" ]; then
    echo "run: creating $DB from the demo data" >&2
    "$CTIS" --db "$DB" demo
fi
if ! "$CTIS" --db "$DB" user list 2>/dev/null | grep -q '^admin '; then
    umask 077
    pwfile=$(mktemp)
    trap 'rm -f "$pwfile"' EXIT
    pw=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    printf '%s\n' "$pw" > "$pwfile"
    "$CTIS" --db "$DB" user add --username admin --role admin \
        --password-file "$pwfile" --must-change >/dev/null
    rm -f "$pwfile"
    echo "run: first login: user 'admin', password '$pw'" >&2
    echo "run: (shown once; it must be changed at the first login)" >&2
fi
echo "run: serving $DB at http://$LISTEN/ (Ctrl-C stops)" >&2
exec "$CTIS" --db "$DB" serve --listen "$LISTEN"
