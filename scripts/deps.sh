#!/bin/sh
# Install the Debian packages ctis needs to build, test and serve, if any
# are missing. Uses sudo when not root. Safe to run again.
set -eu
PKGS="gcc make pkg-config clang libclang-rt-14-dev libsqlite3-dev sqlite3
libjansson-dev libsodium-dev libutf8proc-dev libcmocka-dev libpq-dev
postgresql valgrind clang-format python3 chromium
fonts-noto-core fonts-khmeros nodejs
man-db libmicrohttpd-dev wrk nginx curl libxlsxwriter-dev
libpango1.0-dev libcairo2-dev poppler-utils libreoffice-calc-nogui unzip
strace util-linux"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done
# npm: Debian's package, unless the nodejs installed already brings it
# (NodeSource's does, and conflicts with Debian's npm).
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
