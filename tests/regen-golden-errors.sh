#!/bin/sh
# tests/regen-golden-errors.sh - rewrites tests/golden/errors/NAME.err, the
# complete stderr of `graphviz-lab check graphs/errors/NAME.graph`, from the
# current program, exactly as tests/errors.sh runs it (in SRCDIR, on the
# relative path).  For maintainers: read `git diff tests/golden/errors` before
# committing; a golden file only records what the program prints, so check
# that each change is right (see the "# expect:" lines of each corpus file).
#
#   GVL=./graphviz-lab SRCDIR=. sh tests/regen-golden-errors.sh [NAME ...]
#
# GVL defaults to SRCDIR/graphviz-lab, SRCDIR to the directory above this
# script.  NAMEs (e.g. matmul_inner) restrict it to those files.

LC_ALL=C
export LC_ALL

SRCDIR=${SRCDIR:-$(dirname "$0")/..}
cd "$SRCDIR" || exit 1
GVL=${GVL:-./graphviz-lab}
case $GVL in
    /*) ;;
    */*) GVL=$(pwd)/$GVL ;;
esac
if [ ! -x "$GVL" ]; then
    echo "regen-golden-errors.sh: GVL '$GVL' is not an executable program" >&2
    exit 1
fi
if command -v timeout >/dev/null 2>&1; then
    run() { timeout 10 "$GVL" "$@"; }
else
    run() { "$GVL" "$@"; }
fi

if [ $# -gt 0 ]; then
    files=
    for n in "$@"; do files="$files graphs/errors/${n%.graph}.graph"; done
else
    files=$(ls graphs/errors/*.graph)
fi

mkdir -p tests/golden/errors || exit 1
status=0
for f in $files; do
    name=$(basename "$f" .graph)
    out=tests/golden/errors/$name.err
    args=$(awk '!/^#/ { exit } /^# expect-args: / { sub(/^# expect-args: /, ""); print; exit }' "$f")
    # shellcheck disable=SC2086
    run check "$f" $args > /dev/null 2> "$out.tmp"
    st=$?
    if [ "$st" -ne 1 ]; then
        echo "regen-golden-errors.sh: $f: exit status $st (expected 1); $out not written" >&2
        rm -f "$out.tmp"
        status=1
        continue
    fi
    if cmp -s "$out.tmp" "$out"; then
        rm -f "$out.tmp"
    else
        mv "$out.tmp" "$out"
        echo "wrote $out"
    fi
done
exit $status
