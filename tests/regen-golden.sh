#!/usr/bin/env bash
# Rewrites tests/golden/ from the current program.  Review `git diff`
# before committing: a golden file is only as right as the eyes that read it.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
. "$SRCDIR/tests/golden-cases.sh"
cd "$SRCDIR"
golden_cases | while IFS='|' read -r name args want; do
    # shellcheck disable=SC2086
    "$GVL" $args > "tests/golden/$name" 2>&1
    rc=$?
    [ "$rc" -eq "${want:-0}" ] || echo "warning: $name exited $rc, not ${want:-0}" >&2
done
