#!/bin/sh
# tests/errors.sh - the error corpus: every graphs/errors/*.graph is a broken
# file that must be refused with exactly the diagnostics it announces.
#
# Run by `make check` with GVL (the built program) and SRCDIR (the top of the
# source tree) in the environment; by hand:
#   GVL=./graphviz-lab SRCDIR=. sh tests/errors.sh [NAME ...]
# (NAMEs, e.g. matmul_inner, restrict the run to those files.)
#
# What a corpus file announces
# ----------------------------
# A .graph file starts with comment lines; among them
#   # expect: LINE:COL: error: MESSAGE
# one per error the file must produce, in the order they must be printed.
# LINE and COL are those of the file itself, header lines included; COL
# counts characters.  Files that cannot carry a header (binary garbage) put
# the same lines in a sidecar NAME.expect next to NAME.graph; when a sidecar
# exists it is used instead of the header.  Two more lines may appear, in
# either place:
#   # expect-errors: N     N errors in all; the "expect:" lines are then
#                          only the first ones (for files that hit the cap)
#   # expect-note: TEXT    the last line of stderr is "FILE: note: TEXT"
#                          (e.g. "too many errors (50); stopping here")
#   # expect-args: ARGS    options added to every run (a limit: --max-nodes 4)
#                          (e.g. "too many errors (50); stopping here")
# Without "expect-errors", the file must produce exactly its "expect:" lines.
#
# What is checked, per file (the file passes only if all hold)
# ------------------------------------------------------------
#  1. `$GVL check FILE` exits with status 1 within 10 seconds (124 is a
#     hang, above 128 a crash);
#  2. its "error:" lines equal the expected ones, in order (see above), and
#     the expected note, if any, ends stderr;
#  3. `$GVL dims FILE` exits with 1 and prints the same stderr as check;
#  4. `$GVL check FILE --json` exits with 1 and prints valid JSON whose
#     "diagnostics" hold as many errors as expected, agreeing with the text
#     (without python3, validity and agreement are not checked and the
#     errors are counted with grep);
#  5. the complete stderr of `check` equals tests/golden/errors/NAME.err.
# The program runs in SRCDIR on the relative path graphs/errors/NAME.graph,
# the path the golden files show.  tests/regen-golden-errors.sh rewrites the
# golden files from the current program: review its diff before committing.
#
# The last line printed is "N passed, M failed"; the exit status is 0 when
# nothing failed, 1 otherwise.

LC_ALL=C
export LC_ALL

if [ -z "${GVL:-}" ] || [ -z "${SRCDIR:-}" ]; then
    echo "errors.sh: set GVL (the program) and SRCDIR (the source tree)" >&2
    exit 1
fi
case $GVL in
    /*) ;;
    */*) GVL=$(pwd)/$GVL ;;
esac
if ! cd "$SRCDIR"; then
    echo "errors.sh: cannot cd to SRCDIR '$SRCDIR'" >&2
    exit 1
fi
if [ ! -x "$GVL" ]; then
    echo "errors.sh: GVL '$GVL' is not an executable program" >&2
    exit 1
fi

if command -v timeout >/dev/null 2>&1; then
    run() { timeout 10 "$GVL" "$@"; }
else
    echo "errors.sh: note: no timeout command; a hang will not be caught" >&2
    run() { "$GVL" "$@"; }
fi
if command -v python3 >/dev/null 2>&1; then have_python=yes; else have_python=no; fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t gvlerrors)
if [ -z "$tmp" ] || [ ! -d "$tmp" ]; then
    echo "errors.sh: cannot make a temporary directory" >&2
    exit 1
fi
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

passed=0
failed=0
problems=                      # the current file's failure messages

# Control characters would garble the log; show them as '?'.
clean() { tr '\000-\010\013-\037\177' '[?*]'; }

problem() {
    problems="${problems}    $*
"
}

# Adds the lines of a file (at most 20) to the current problems, indented.
show() {
    problems="$problems$(head -n 20 "$1" | clean | sed 's/^/        /')
"
}

# The "# expect..." lines of a corpus file: its sidecar, or the leading
# comment block of the .graph file.
expectations() {
    if [ -f "${1%.graph}.expect" ]; then
        grep '^# expect' "${1%.graph}.expect"
    else
        awk '!/^#/ { exit } /^# expect/ { print }' "$1" | tr -d '\r'   # a CRLF file's headers too
    fi
}

# Prints "LINE:COL: error: MESSAGE" for each error line that FILE's run
# wrote to the stderr file $2.
error_lines() {
    awk -v p="$1:" 'index($0, p) == 1 {
        rest = substr($0, length(p) + 1)
        if (rest ~ /^[0-9]+:[0-9]+: error: /) print rest
    }' "$2"
}

check_file() {
    f=$1
    name=$(basename "$f" .graph)
    golden=tests/golden/errors/$name.err

    expectations "$f" > "$tmp/hdr"
    sed -n 's/^# expect: //p' "$tmp/hdr" > "$tmp/want"
    nwant=$(wc -l < "$tmp/want" | tr -d ' ')
    total=$(sed -n 's/^# expect-errors: *//p' "$tmp/hdr" | head -n 1)
    note=$(sed -n 's/^# expect-note: //p' "$tmp/hdr" | head -n 1)
    args=$(sed -n 's/^# expect-args: //p' "$tmp/hdr" | head -n 1)
    if [ -z "$total" ]; then total=$nwant; fi
    if [ "$total" -eq 0 ]; then
        problem "no '# expect:' lines (nor a $name.expect sidecar): nothing to check against"
    fi

    # 1. check: status 1, no hang, no crash
    run check "$f" $args > "$tmp/out" 2> "$tmp/err"
    st=$?
    if [ "$st" -eq 124 ]; then
        problem "check: killed after 10 seconds: a hang"
    elif [ "$st" -gt 128 ]; then
        problem "check: exit status $st: a crash (signal $((st - 128)))"
    elif [ "$st" -gt 124 ]; then
        problem "check: exit status $st: could not run the program"
    elif [ "$st" -ne 1 ]; then
        problem "check: exit status $st, expected 1"
    fi

    # 2. the error lines, and the final note
    error_lines "$f" "$tmp/err" > "$tmp/got"
    ngot=$(wc -l < "$tmp/got" | tr -d ' ')
    head -n "$nwant" "$tmp/got" > "$tmp/got_head"
    if [ "$ngot" -ne "$total" ] || ! cmp -s "$tmp/want" "$tmp/got_head"; then
        if [ "$total" -ne "$nwant" ]; then
            problem "check: expected $total errors in all, beginning with these $nwant:"
        else
            problem "check: expected $total error(s):"
        fi
        show "$tmp/want"
        if [ "$total" -ne "$nwant" ]; then
            problem "  got $ngot in all, beginning with:"
            show "$tmp/got_head"
        else
            problem "  got $ngot:"
            show "$tmp/got"
        fi
    fi
    # clang's last line: as many errors as were printed (the warnings too)
    nwarn=$(grep -c "^$f:[0-9]*:[0-9]*: warning: " "$tmp/err")
    summary="$ngot error$([ "$ngot" -eq 1 ] || echo s) generated."
    [ "$nwarn" -gt 0 ] && summary="$nwarn warning$([ "$nwarn" -eq 1 ] || echo s) and $summary"
    if [ "$(tail -n 1 "$tmp/err")" != "$summary" ]; then
        problem "check: the last line of stderr is \"$(tail -n 1 "$tmp/err")\", not \"$summary\""
    fi
    if [ -n "$note" ]; then
        last=$(grep -v ' generated\.$' "$tmp/err" | tail -n 1)
        if [ "$last" != "$f: note: $note" ]; then
            problem "check: stderr does not end with \"$f: note: $note\"; its last line is:"
            problem "  $(printf '%s\n' "$last" | clean)"
        fi
    fi

    # 3. dims: same status, same diagnostics
    run dims "$f" $args > "$tmp/dims_out" 2> "$tmp/dims_err"
    st=$?
    if [ "$st" -ne 1 ]; then
        problem "dims: exit status $st, expected 1"
    elif ! cmp -s "$tmp/err" "$tmp/dims_err"; then
        problem "dims: stderr differs from check's"
    fi

    # 4. check --json
    run check "$f" $args --json > "$tmp/json" 2> /dev/null
    st=$?
    if [ "$st" -ne 1 ]; then
        problem "check --json: exit status $st, expected 1"
    fi
    if [ "$have_python" = yes ]; then
        if ! python3 -m json.tool < "$tmp/json" > /dev/null 2>&1; then
            problem "check --json: standard output is not valid JSON"
        else
            python3 - "$tmp/json" > "$tmp/json_errors" 2> "$tmp/json_problem" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
diags = doc.get("diagnostics") if isinstance(doc, dict) else None
if not isinstance(diags, list):
    sys.exit('there is no "diagnostics" array')
for d in diags:
    if d.get("severity") == "error":
        line = "%s:%s: error: %s\n" % (d.get("line"), d.get("col"), d.get("message"))
        sys.stdout.buffer.write(line.encode("utf-8"))
EOF
            if [ -s "$tmp/json_problem" ]; then
                problem "check --json: $(clean < "$tmp/json_problem")"
            else
                njson=$(wc -l < "$tmp/json_errors" | tr -d ' ')
                if [ "$njson" -ne "$total" ]; then
                    problem "check --json: \"diagnostics\" holds $njson errors, expected $total"
                elif ! cmp -s "$tmp/json_errors" "$tmp/got"; then
                    problem "check --json: the errors in \"diagnostics\" differ from the text ones"
                fi
            fi
        fi
    else
        njson=$(grep -c '"severity":[[:space:]]*"error"' "$tmp/json")
        if [ "$njson" -ne "$total" ]; then
            problem "check --json: \"diagnostics\" holds $njson errors, expected $total"
        fi
    fi

    # 5. the golden stderr
    if [ ! -f "$golden" ]; then
        problem "no golden file $golden (tests/regen-golden-errors.sh writes it)"
    elif ! cmp -s "$golden" "$tmp/err"; then
        problem "stderr differs from $golden (- golden, + got):"
        diff "$golden" "$tmp/err" | grep '^[<>]' | sed 's/^</-/; s/^>/+/' > "$tmp/d"
        show "$tmp/d"
    fi
}

if [ $# -gt 0 ]; then
    files=
    for n in "$@"; do files="$files graphs/errors/${n%.graph}.graph"; done
else
    files=$(ls graphs/errors/*.graph 2>/dev/null)
fi
if [ -z "$files" ]; then
    echo "errors.sh: no graphs/errors/*.graph in $SRCDIR" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

for f in $files; do
    problems=
    if [ ! -f "$f" ]; then
        problem "no such file"
    else
        check_file "$f"
    fi
    if [ -z "$problems" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $f"
        printf '%s' "$problems"
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
