#!/usr/bin/env bash
# Runs every command on every shipped graph (and the error corpus) under
# valgrind --leak-check=full: any memory error or definite leak fails.
# Run by `make check-valgrind` and by .ci/run; not part of `make check`
# because it takes minutes.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
command -v valgrind > /dev/null || { echo "SKIP: valgrind is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
run() {
    if valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
            --suppressions="$SRCDIR/tests/valgrind.supp" \
            "$GVL" "$@" > /dev/null 2> "$tmp/vg.err"; [ $? -eq 99 ]; then
        echo "FAIL: valgrind graphviz-lab $*"
        cat "$tmp/vg.err"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}
for g in graphs/*.graph tests/reference/graphs/*.graph; do
    run check "$g"
    run dims "$g" --json
    run eval "$g" --random 1
    run train "$g" --random 1 --steps 2
    run render "$g" -o "$tmp/out.svg" --random 1 --backward
    run render "$g" -o "$tmp/out.dot"
done
# gradcheck reruns the forward pass per element: the small graphs only
for g in graphs/ex1.graph graphs/ex2.graph graphs/ex3.graph graphs/mlp.graph graphs/reassign.graph; do
    run gradcheck "$g"
done
for g in graphs/errors/*.graph; do
    run check "$g"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
