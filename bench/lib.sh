# Helpers shared by the benchmark scripts; source it after setting $W (a
# scratch folder).

# timed CMD...: run CMD, output discarded; sets SECONDS_TAKEN (wall),
# PEAK_KB (maximum resident set) and CPU_TAKEN (user + system seconds, all
# threads: on a shared machine the figure that does not depend on the
# load). On failure prints CMD's stderr, returns 1.
timed() {
    local wall peak user sys
    /usr/bin/time -o "$W/time.txt" -f "%e %M %U %S" "$@" >/dev/null 2>"$W/stderr.txt" ||
        { cat "$W/stderr.txt" >&2; return 1; }
    read -r wall peak user sys <<<"$(tail -1 "$W/time.txt")"
    SECONDS_TAKEN=$wall
    PEAK_KB=$peak
    CPU_TAKEN=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
}

# The 1-minute load average (how busy the machine was).
load_now() { cut -d' ' -f1 /proc/loadavg; }

# ratio A B: A / B with two decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
