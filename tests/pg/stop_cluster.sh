#!/usr/bin/env bash
# Stop a cluster started by start_cluster.sh and remove its folder.
# Usage: stop_cluster.sh FOLDER
set -uo pipefail
dir=${1:?usage: stop_cluster.sh FOLDER}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -d "$dir/data" ] || exit 0
owner=$(stat -c %U "$dir/data")
if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
    su "$owner" -s /bin/sh -c "'$bin/pg_ctl' -D '$dir/data' -m immediate -w stop" >/dev/null 2>&1
else
    "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
fi
rm -rf "$dir"
