#!/bin/sh
# tests/warnings.sh - the warnings corpus: every graphs/warnings/*.graph is a
# file that works (exit 0) but holds a likely mistake, and must produce
# exactly the warnings it announces.
#
# Run by `make check` with GVL and SRCDIR in the environment; by hand:
#   GVL=./graphviz-lab SRCDIR=. sh tests/warnings.sh [NAME ...]
# WARNINGS_REGEN=1 rewrites the golden stderr files instead of comparing
# them (review the diff of tests/golden/warnings before committing).
#
# A corpus file starts with comment lines; among them
#   # expect: LINE:COL: warning: MESSAGE   every warning, in order
#   # expect-command: CMD ARGS             the command to run (default: check)
# Per file, these must hold:
#  1. CMD exits 0 within 10 seconds;
#  2. its "warning:" lines are exactly the expected ones, and it has no error;
#  3. with -w, standard error is empty (the warnings' notes go too);
#  4. with --json, "diagnostics" holds the same warnings at the same places
#     (when python3 is there);
#  5. the complete stderr equals tests/golden/warnings/NAME.err.

LC_ALL=C
export LC_ALL
if [ -z "${GVL:-}" ] || [ -z "${SRCDIR:-}" ]; then
    echo "warnings.sh: set GVL (the program) and SRCDIR (the source tree)" >&2
    exit 1
fi
case $GVL in /*) ;; */*) GVL=$(pwd)/$GVL ;; esac
cd "$SRCDIR" || exit 1
if command -v timeout >/dev/null 2>&1; then run() { timeout 10 "$GVL" "$@"; }; else run() { "$GVL" "$@"; }; fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

passed=0
failed=0
if [ $# -gt 0 ]; then
    files=
    for n in "$@"; do files="$files graphs/warnings/${n%.graph}.graph"; done
else
    files=$(ls graphs/warnings/*.graph)
fi
mkdir -p tests/golden/warnings
for f in $files; do
    name=$(basename "$f" .graph)
    golden=tests/golden/warnings/$name.err
    bad=
    awk '!/^#/ { exit } { print }' "$f" > "$tmp/hdr"
    sed -n 's/^# expect: //p' "$tmp/hdr" > "$tmp/want"
    cmd=$(sed -n 's/^# expect-command: //p' "$tmp/hdr")
    [ -n "$cmd" ] || cmd=check
    [ -s "$tmp/want" ] || bad="$bad
    no '# expect:' lines"
    # shellcheck disable=SC2086
    run $cmd "$f" > /dev/null 2> "$tmp/err"
    st=$?
    [ "$st" -eq 0 ] || bad="$bad
    $cmd: exit status $st, expected 0"
    sed -n "s|^$f:\([0-9]*:[0-9]*: warning: \)|\1|p" "$tmp/err" > "$tmp/got"
    if ! cmp -s "$tmp/want" "$tmp/got"; then
        bad="$bad
    expected warnings:
$(sed 's/^/        /' "$tmp/want")
    got:
$(sed 's/^/        /' "$tmp/got")"
    fi
    if grep -q ': error: ' "$tmp/err"; then bad="$bad
    an error was reported"; fi
    # shellcheck disable=SC2086
    run $cmd "$f" -w > /dev/null 2> "$tmp/err_w"
    if [ -s "$tmp/err_w" ]; then bad="$bad
    with -w, stderr is not empty:
$(head -5 "$tmp/err_w" | sed 's/^/        /')"; fi
    if command -v python3 > /dev/null 2>&1; then
        # shellcheck disable=SC2086
        run $cmd "$f" --json > "$tmp/json" 2> /dev/null
        python3 - "$tmp/json" "$tmp/want" > "$tmp/jsonprob" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = ["%d:%d: warning: %s" % (d["line"], d["col"], d["message"])
       for d in doc["diagnostics"] if d["severity"] == "warning"]
want = open(sys.argv[2], encoding="utf-8").read().splitlines()
if got != want:
    print("JSON diagnostics hold", got)
PY
        if [ -s "$tmp/jsonprob" ]; then bad="$bad
    --json: $(head -3 "$tmp/jsonprob")"; fi
    fi
    if [ "${WARNINGS_REGEN:-}" = 1 ]; then
        cp "$tmp/err" "$golden"
    elif ! cmp -s "$tmp/err" "$golden"; then
        bad="$bad
    stderr differs from $golden:
$(diff "$golden" "$tmp/err" 2>&1 | head -20 | sed 's/^/        /')"
    fi
    if [ -n "$bad" ]; then
        echo "FAIL $f:$bad"
        failed=$((failed + 1))
    else
        echo "ok $f"
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
