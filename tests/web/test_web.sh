#!/usr/bin/env bash
# The web interface end to end (tests/web/e2e.mjs): playwright-core, from
# the npm registry at the version of package-lock.json (npm ci), drives
# Debian's chromium against a real `ctis serve` of this build. Screenshots
# of each main page in English and Khmer go to tests/web/screenshots/.
. "$(dirname "$0")/../lib.sh"
W="$CTIS_SRC/tests/web"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    not_ok "node and npm are installed (scripts/deps.sh installs them)"
    exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
    not_ok "chromium is installed (scripts/deps.sh installs it)"
    exit 0
fi
# npm ci again only when package-lock.json changed since the last one.
stamp="$W/node_modules/.ctis-lock"
if ! cmp -s "$W/package-lock.json" "$stamp" 2>/dev/null; then
    if (cd "$W" && npm ci --no-audit --no-fund --ignore-scripts \
            >"$T/npm.log" 2>&1); then
        cp "$W/package-lock.json" "$stamp"
    else
        not_ok "npm ci in tests/web"
        sed 's/^/#   /' "$T/npm.log" | tail -10
        exit 0
    fi
fi
if [ ! -s "$CTIS_SRC/web/gen/vocab.js" ] || [ ! -s "$CTIS_SRC/web/gen/khmer.ttf" ]; then
    not_ok "make built web/gen (vocab.js, khmer.ttf)"
    exit 0
fi
CTIS="$CTIS" WEB_DIR="$CTIS_SRC/web" SHOTS="$W/screenshots" \
    timeout 600 node "$W/e2e.mjs"
rc=$?
[ $rc -eq 124 ] && not_ok "the web tests finished within 10 minutes"
exit 0
