#!/usr/bin/env bash
# docs.sh - run every example in README.md and docs/*.md and compare its output.
#
# An example is a fenced block with the info string `console`:
#
#   ```console
#   $ graphviz-lab dims graphs/ex4.graph
#   ...the exact output (standard output and standard error merged)...
#   ```
#
# The first line is the command, run with bash from $SRCDIR (the top of the
# source tree) with the command word `graphviz-lab` replaced by "$GVL" (the
# built program's absolute path); pipelines such as
# `$ printf '...' | graphviz-lab check -` work too.  Standard input is
# /dev/null unless the command pipes into the program.  The exit status is
# not compared, only the output.
#
#   GVL=/path/to/graphviz-lab SRCDIR=/path/to/src bash tests/docs.sh
#   ... tests/docs.sh --update    rewrite each example's output in place
#
# Prints a diff for every mismatch and ends with "N passed, M failed";
# exits 1 if any example failed.

update=false
case "${1-}" in
    --update) update=true ;;
    "") ;;
    *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
GVL=${GVL:-$SRCDIR/graphviz-lab}
case "$GVL" in /*) ;; *) GVL=$PWD/$GVL ;; esac
if [ ! -x "$GVL" ]; then
    echo "docs.sh: GVL='$GVL' is not an executable program" >&2
    exit 2
fi
export GVL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

run_timeout=()
command -v timeout >/dev/null 2>&1 && run_timeout=(timeout 20)

# Runs the command line $1 (without "$ "); output to $tmp/actual.
run_example() {
    local cmd
    # graphviz-lab as a command word: at the start, or after | ; & ( && ||
    cmd=$(printf '%s\n' "$1" | sed -E 's/(^|[|;&(][[:space:]]*)graphviz-lab([[:space:]]|$)/\1"$GVL"\2/g')
    (cd "$SRCDIR" && "${run_timeout[@]}" bash -c "$cmd" </dev/null >"$tmp/actual" 2>&1)
}

passed=0
failed=0
shopt -s nullglob
docs=("$SRCDIR"/README.md "$SRCDIR"/docs/*.md)
# DOCS="docs/cli.md ..." limits a run (or an --update) to those files
if [ -n "${DOCS:-}" ]; then read -r -a docs <<< "$DOCS"; docs=("${docs[@]/#/$SRCDIR/}"); fi
if [ ${#docs[@]} -eq 0 ]; then
    echo "docs.sh: no docs/*.md under '$SRCDIR'" >&2
fi

for doc in "${docs[@]}"; do
    rel=${doc#"$SRCDIR"/}
    out=()           # the rewritten file, for --update
    inblock=false
    lineno=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        if ! $inblock; then
            out+=("$line")
            if [ "$line" = '```console' ]; then
                inblock=true
                start=$((lineno + 1))
                cmdline=
                : >"$tmp/expected"
            fi
            continue
        fi
        if [ -z "$cmdline" ] && [ ! -s "$tmp/expected" ] && [ "${line#\$ }" != "$line" ] && [ "$start" = "$lineno" ]; then
            cmdline=${line#\$ }
            out+=("$line")
            continue
        fi
        if [ "$line" = '```' ]; then
            inblock=false
            if [ -z "$cmdline" ]; then
                echo "FAIL $rel:$start: the console block does not start with '\$ COMMAND'"
                failed=$((failed + 1))
                out+=("$line")
                continue
            fi
            run_example "$cmdline"
            if $update; then
                while IFS= read -r l || [ -n "$l" ]; do out+=("$l"); done <"$tmp/actual"
                passed=$((passed + 1))
            elif cmp -s "$tmp/expected" "$tmp/actual"; then
                passed=$((passed + 1))
            else
                echo "FAIL $rel:$start: \$ $cmdline"
                diff -u --label expected --label actual "$tmp/expected" "$tmp/actual"
                failed=$((failed + 1))
            fi
            out+=("$line")
            continue
        fi
        printf '%s\n' "$line" >>"$tmp/expected"
    done <"$doc"
    if $inblock; then
        echo "FAIL $rel:$start: the console block is not closed"
        failed=$((failed + 1))
    fi
    if $update; then
        printf '%s\n' "${out[@]}" >"$tmp/new" && cat "$tmp/new" >"$doc"
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ $((passed + failed)) -gt 0 ]
