# XLSX workbooks (export --format xlsx, report --format xlsx) keep every
# byte of the output in the output's own folder: libxlsxwriter kept each
# sheet in a temporary file in /tmp (by tmpfile(), whatever TMPDIR says),
# and reopened ctis's temporary output by its name when it wrote the zip,
# so that whoever could rename or replace that name (a symlink) in the
# folder meanwhile received the workbook. Now the library writes through
# ctis's own descriptor (/proc/self/fd/N) and keeps its sheets beside the
# output. Watched with strace: which files are created where, and how
# often the temporary output is opened.
. "$(dirname "$0")/../lib.sh"
check "strace is installed (scripts/deps.sh)" command -v strace
check "a demo database" "$CTIS" --db d.db demo
mkdir out tmpd
traced() { # traced TRACE CMD...: run CMD under strace, files opened
    local tr=$1
    shift
    # LeakSanitizer cannot run under ptrace (the ASan build's exit status)
    TMPDIR="$T/tmpd" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq -e trace=open,openat,creat -o "$tr" "$@"
}
for what in "export --format xlsx" "report --format xlsx"; do
    name=${what%% *}
    traced "$name.tr" "$CTIS" --db d.db $what --output out/$name.xlsx > /dev/null 2>&1
    check_eq "$what: written" 0 $?
    check "$what: a workbook" python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).testzip()" out/$name.xlsx
    # every file created: in out/, or the database's own side files
    created=$(grep -E 'O_CREAT|creat\(' "$name.tr" | grep -v ' = -1 ' | sed -E 's/^[0-9]+ +[a-z]+\((AT_FDCWD, )?"([^"]*)".*/\2/' |
        grep -vE '^out/|^'"$T"'/d\.db-(wal|shm)$|^/proc/self/fd/[0-9]+$' | tr '\n' ' ')
    check_eq "$what: no file is created outside the output's folder" "" "$created"
    check_eq "$what: nothing in /tmp, nor O_TMPFILE anywhere" 0 "$(grep -cE '"/tmp"|"/var/tmp"|O_TMPFILE' "$name.tr")"
    check_eq "$what: the temporary output is opened by its name once, when made" 1 \
        "$(grep -cE "\"out/\\.$name\\.xlsx\\.[0-9a-f]+\\.tmp\"" "$name.tr")"
    check_eq "$what: and no temporary file is left beside it" "$name.xlsx" "$(ls -A out | grep "^\.\?$name")"
done
check_eq "TMPDIR stays empty" "" "$(ls -A tmpd)"
check_eq "the workbooks are the owner's only" "600 600" "$(stat -c %a out/export.xlsx out/report.xlsx | tr '\n' ' ' | sed 's/ $//')"
"$CTIS" --db d.db export --format xlsx --output /dev/null > p.out 2>&1
check_eq "a workbook to a device or pipe is refused as a usage error" 2 $?
check "saying why" grep -q "is not a file" p.out
