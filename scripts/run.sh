#!/bin/sh
# make run: create the demo database if absent and show its datasheet.
set -eu
cd "$(dirname "$0")/.."
DB=${CTIS_DB:-ctis.db}
if [ ! -f "$DB" ]; then
    echo "run: creating $DB from the demo data" >&2
    build/ctis --db "$DB" demo
fi
build/ctis --db "$DB" report --from 2005 --to 2008 --format md
