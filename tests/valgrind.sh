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
vg() {
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
        --suppressions="$SRCDIR/tests/valgrind.supp" "$GVL" "$@"
}
# valgrind must be able to run the program at all (it cannot read every
# compiler's debug information): otherwise every run below would "pass"
if ! vg --version > "$tmp/vg.out" 2> "$tmp/vg.err" || ! grep -q '^graphviz-lab ' "$tmp/vg.out"; then
    echo "FAIL: valgrind cannot run $GVL:"
    cat "$tmp/vg.err"
    exit 1
fi
# Each run is a job of its own, as many at once as there are processors;
# job K leaves its verdict in $tmp/K.fail (with valgrind's report) or $tmp/K.ok.
jobs=$(nproc 2>/dev/null || echo 2)
n=0
job() {
    local k=$1
    shift
    vg "$@" > /dev/null 2> "$tmp/$k.err"
    local rc=$?
    # 99: valgrind found an error; a "Valgrind:" line: valgrind itself gave up
    if [ $rc -eq 99 ] || grep -q '^==[0-9]*== Valgrind:' "$tmp/$k.err"; then
        { echo "FAIL: valgrind graphviz-lab $* (exit $rc)"; cat "$tmp/$k.err"; } > "$tmp/$k.fail"
    else
        touch "$tmp/$k.ok"
    fi
}
run() {
    n=$((n + 1))
    while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do wait -n; done
    job "$n" "$@" &
}
for g in graphs/*.graph tests/reference/graphs/*.graph; do
    run check "$g"
    run dims "$g" --json
    run eval "$g" --random 1
    run train "$g" --random 1 --steps 2
    b=$(basename "$g" .graph)
    run render "$g" -o "$tmp/$b.svg" --random 1 --backward
    run render "$g" -o "$tmp/$b.dot"
    run render "$g" -o "$tmp/$b.html" --random 1
done
# worksheets and grading: a key graded against itself, and a broken answers file
for g in graphs/ex1.graph graphs/ex4.graph graphs/ex4_sizes.graph graphs/mlp.graph; do
    b=$(basename "$g" .graph)
    run quiz "$g" --variant 3 --key "$tmp/$b.key" -o "$tmp/$b.sheet" --format latex
done
printf 'shape(w^T) = 1x2\nvalue(y = 0\ngrad(w) = [-8, -4]\nzz\n' > "$tmp/bad.answers"
run grade graphs/ex1.graph "$tmp/bad.answers" graphs/ex1.graph --format gradescope
run grade graphs/ex1.graph "$tmp/bad.answers" --format prairielearn --show-answers
# gradcheck reruns the forward pass per element: the small graphs only
for g in graphs/ex1.graph graphs/ex2.graph graphs/ex3.graph graphs/mlp.graph graphs/reassign.graph; do
    run gradcheck "$g"
done
for g in graphs/errors/*.graph; do
    run check "$g"
done
wait
pass=$(find "$tmp" -name '*.ok' | wc -l)
fail=$(find "$tmp" -name '*.fail' | wc -l)
[ "$fail" -eq 0 ] || cat "$tmp"/*.fail
[ $((pass + fail)) -eq "$n" ] || { echo "FAIL: $n runs started, $((pass + fail)) finished"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
