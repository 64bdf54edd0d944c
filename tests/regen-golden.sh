#!/usr/bin/env bash
# Rewrites tests/golden/ from the current program, exactly as golden.sh
# runs it (in SRCDIR, LC_ALL=C).  Review `git diff` before committing: a
# golden file is only as right as the eyes that read it.
#
#   GVL=./graphviz-lab SRCDIR=. tests/regen-golden.sh [NAME ...]
#
# NAMEs (e.g. ex1.eval.txt) restrict it to those cases.  A case whose
# command exits with another status than its expected one is refused: its
# file is left as it was, and the script exits 1 after the other cases.
set -u
export LC_ALL=C
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
. "$SRCDIR/tests/golden-cases.sh"
cd "$SRCDIR" || exit 1
want_names=" $* "
status=0 found=0
while IFS='|' read -r name args want; do
    if [ $# -gt 0 ] && [[ $want_names != *" $name "* ]]; then continue; fi
    found=$((found + 1))
    tmp=$(mktemp)
    # shellcheck disable=SC2086
    timeout 60 "$GVL" $args > "$tmp" 2>&1
    rc=$?
    if [ "$rc" -ne "${want:-0}" ]; then
        echo "regen-golden.sh: $name: graphviz-lab $args exited $rc, not ${want:-0}; tests/golden/$name not written" >&2
        rm -f "$tmp"
        status=1
    elif cmp -s "$tmp" "tests/golden/$name"; then
        rm -f "$tmp"
    else
        mv "$tmp" "tests/golden/$name"
        echo "wrote tests/golden/$name"
    fi
done < <(golden_cases)
if [ $# -gt 0 ] && [ "$found" -ne $# ]; then
    echo "regen-golden.sh: only $found of the $# cases named are in tests/golden-cases.sh" >&2
    status=1
fi
exit $status
