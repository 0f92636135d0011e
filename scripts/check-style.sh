#!/bin/sh
# Style gate (STYLE.md section 8): banned calls anywhere in our C, and the
# raw allocator outside base/. Prints each offence as FILE:LINE: text.
set -u
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null; git ls-files -o --exclude-standard '*.c' '*.h' 2>/dev/null)
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|atoi|atol)[[:space:]]*\('
raw='\b(malloc|realloc|free|calloc)[[:space:]]*\('
for f in $files; do
    [ -f "$f" ] || continue
    if grep -nE "$banned" "$f" | grep -v 'snprintf\|vsnprintf' | sed "s|^|$f:|" | grep .; then
        status=1
    fi
    case "$f" in
    base/*) ;;
    *)
        if grep -nE "$raw" "$f" | grep -vE 'ctis_(malloc|realloc|free|calloc)|sqlite3_(malloc|realloc|free)|json_|PQ|_free\(|\.free|->free' | sed "s|^|$f:|" | grep .; then
            status=1
        fi
        ;;
    esac
    if grep -nP '\t' "$f" | head -3 | sed "s|^|$f: tab: |" | grep .; then
        status=1
    fi
done
exit $status
