#!/usr/bin/env bash
# 'make run' on a fresh machine: pkg-config knows the libraries only once
# the deps step (scripts/deps.sh) has installed them, so the build must
# read them after it. Here pkg-config is a stand-in that fails until the
# deps step (DEPS_CMD) has run; a dry run (make -n, which still runs the
# deps step and the sub-make, both marked '+') must show compile lines with
# libpq's include path. 'make test' and 'make bench' run scripts that call
# make again after deps, which reads pkg-config anew.
source "$(dirname "$0")/../lib.sh"
real=$(command -v pkg-config)
if [ -z "$real" ]; then
    not_ok "pkg-config is installed"
    exit 0
fi
mkdir bin
cat >bin/pkg-config <<PC
#!/bin/sh
[ -e "$T/installed" ] || exit 1
exec "$real" "\$@"
PC
chmod +x bin/pkg-config
pq=$("$real" --cflags libpq)
PATH="$T/bin:$PATH" make -n -C "$CTIS_SRC" BUILD="$T/b" \
    DEPS_CMD="touch $T/installed" run >dry.txt 2>&1
check "the deps step ran" test -e installed
check "the build after it sees libpq ($pq)" grep -qF -- "$pq" dry.txt
check "store/pg.c is compiled with it" sh -c "grep -F -- 'store/pg.c' dry.txt | grep -qF -- '$pq'"
check "make test calls make again after deps" grep -q 'make -s' "$CTIS_SRC/scripts/test.sh"
