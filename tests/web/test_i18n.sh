#!/usr/bin/env bash
# Every string of the web interface in English and Khmer, and a label for
# every code of model/'s vocabulary (tests/web/i18n_check.mjs).
. "$(dirname "$0")/../lib.sh"
if ! command -v node >/dev/null; then
    not_ok "node is installed (scripts/deps.sh installs it)"
    exit 0
fi
check "make built web/gen/vocab.js" test -s "$CTIS_SRC/web/gen/vocab.js"
node "$CTIS_SRC/tests/web/i18n_check.mjs" "$CTIS_SRC/web"
exit 0
