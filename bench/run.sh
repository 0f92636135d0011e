#!/usr/bin/env bash
# make bench: build the optimised binaries and run every bench/*.sh script.
# Each script prints its own figures and ratios against a reference
# measured in the same run.
set -uo pipefail
cd "$(dirname "$0")/.."
make -s -j"$(nproc)" BUILD=build benches || exit 1
status=0
for s in bench/*.sh; do
    case "$(basename "$s")" in run.sh | lib.sh) continue ;; esac
    echo "== $s"
    bash "$s" || status=1
done
exit $status
