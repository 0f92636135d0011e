# Helpers shared by the benchmark scripts; source it after setting $W (a
# scratch folder).

# timed CMD...: run CMD, output discarded; sets SECONDS_TAKEN (wall) and
# PEAK_KB (maximum resident set). On failure prints CMD's stderr, returns 1.
timed() {
    local out
    /usr/bin/time -o "$W/time.txt" -f "%e %M" "$@" >/dev/null 2>"$W/stderr.txt" ||
        { cat "$W/stderr.txt" >&2; return 1; }
    out=$(tail -1 "$W/time.txt")
    SECONDS_TAKEN=${out% *}
    PEAK_KB=${out#* }
}

# ratio A B: A / B with two decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
