#!/bin/bash
# Every command on generated valid-but-nasty graphs (tests/gen_graphs.c):
# nothing may crash, hang, trip a sanitizer or print what is not a
# diagnostic.  NASTY_CASES files (200 by default; `make check-sanitizers`
# runs 2000; set NASTY_CASES=20000 for a long campaign) from NASTY_SEED.
# Each file is shape-checked and run through NASTY_PER of the other
# commands (4 by default, in rotation; "all" for every one).  For each
# file and command:
#   - the exit status is 0, 1 or 2, within 60 s;
#   - every line on standard error is ours: "FILE:LINE:COL: error|warning|
#     note: ...", "graphviz-lab: error|warning|note: ...", a quoted source
#     line "  N | ...", its caret line "    | ^", or "Try 'graphviz-lab
#     --help'." (a sanitizer's report is none of these);
#   - exit 1 comes with at least one error (or gradcheck's FAIL);
#   - what --json prints on exit 0 is one JSON value;
#   - a script export writes on exit 0 compiles under python3 (when present).
# A failure names the file; rerun it with the same seed to reproduce.
GVL=${GVL:-./graphviz-lab}
GEN=${GEN:-$(dirname "$GVL")/tests/gen_graphs}
cases=${NASTY_CASES:-200}
seed=${NASTY_SEED:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$GEN" "$seed" "$cases" "$tmp" || { echo "FAIL: $GEN could not write the graphs"; exit 1; }
python=$(command -v python3 || true)
export GVL GEN tmp python
# sanitizers stop at the first report with their own exit codes
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:exitcode=87:print_stacktrace=1}
# one case: every command; prints FAIL lines, and "ran N" at the end
one() {
    local k=$1 f=$tmp/case-$1.graph runs=0 fails=0
    local wrt
    wrt=$(sed -n 's/^param \([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$f" | head -n 1)
    [ -n "$wrt" ] || wrt=w0
    local -a all=(
        "check $f"
        "dims $f --format md"
        "dims $f --json"
        "eval $f --json --random 1"
        "eval $f"
        "train $f --steps 2 --random 2"
        "gradcheck $f --random 3"
        "explain $f --wrt $wrt --random 1"
        "explain $f --wrt $wrt --format json"
        "export $f --torch -o $tmp/$k.py --random 1"
        "render $f -T dot -o $tmp/$k.dot --random 1"
        "render $f -o $tmp/$k.json --random 1"
    )
    # every file is checked; of the other commands each file runs NASTY_PER
    # (4 by default: each command sees a third of the files), all of them
    # with NASTY_PER=all
    local -a cmds=("check $f --json")
    local per=${NASTY_PER:-4} n=${#all[@]} i
    [ "$per" = all ] && per=$n
    for ((i = 0; i < per && i < n; i++)); do cmds+=("${all[$(((k * per + i) % n))]}"); done
    # the layout is the slow part: one file in ten is drawn
    [ $((k % 10)) = 0 ] && cmds+=("render $f -o $tmp/$k.svg --backward --random 1")
    for c in "${cmds[@]}"; do
        runs=$((runs + 1))
        # shellcheck disable=SC2086
        timeout 60 "$GVL" $c > "$tmp/$k.out" 2> "$tmp/$k.err" < /dev/null
        local rc=$? why=
        if [ $rc -gt 2 ]; then
            why="exit $rc"
        elif grep -qavE "^($f(:[0-9]+:[0-9]+)?: (error|warning|note): |graphviz-lab: (error|warning|note): | *[0-9]* \| |Try 'graphviz-lab --help'\.$|([0-9]+ warnings? and )?[0-9]+ (errors?|warnings?) generated\.$)" "$tmp/$k.err"; then
            why="a line on standard error that is not a diagnostic"
        elif [ $rc = 1 ] && ! grep -qa "error: " "$tmp/$k.err" && ! { [[ $c == gradcheck* ]] && grep -qa "FAIL" "$tmp/$k.out"; }; then
            # (a gradcheck that fails says so in its table)
            why="exit 1 without an error"
        elif [ $rc = 0 ] && [[ $c == *--json* || $c == *--format\ json* ]] && ! "$GEN" --json "$tmp/$k.out"; then
            why="--json printed something that is not one JSON value"
        elif [ $rc = 0 ] && [[ $c == *.json\ * ]] && ! "$GEN" --json "$tmp/$k.json"; then
            why="render -o x.json wrote something that is not one JSON value"
        elif [ $rc = 0 ] && [[ $c == export* ]] && [ -n "$python" ] && ! "$python" -c 'import ast,sys; ast.parse(open(sys.argv[1]).read())' "$tmp/$k.py" 2>> "$tmp/$k.err"; then
            why="the exported script is not Python"
        fi
        if [ -n "$why" ]; then
            fails=$((fails + 1))
            { echo "FAIL: graphviz-lab $c: $why"; echo "--- the file (seed $seed, case $k):"; cat -A "$f" | head -40
              echo "--- standard error:"; head -c 3000 "$tmp/$k.err"; echo; } >> "$tmp/$k.fail"
        fi
    done
    rm -f "$tmp/$k".{out,err,py,dot,json,svg}
    echo "ran $runs"
}
export -f one
export seed
seq 0 $((cases - 1)) | xargs -P "${NASTY_JOBS:-2}" -I{} bash -c 'one {}' > "$tmp/ran"
runs=$(awk '{n += $2} END {print n + 0}' "$tmp/ran")
failed=$(cat "$tmp"/*.fail 2>/dev/null | grep -c '^FAIL: ')
cat "$tmp"/*.fail 2>/dev/null | head -c 20000
echo "$cases generated graphs (seed $seed), $runs runs, $failed failed"
[ "$failed" = 0 ]
