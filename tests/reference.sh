#!/usr/bin/env bash
# PyTorch reference tests: `eval --json` (and `train --json` when the reference
# has "train") on every tests/reference/graphs/NAME.graph, compared with the
# numbers in tests/reference/NAME.json by compare-reference (values and
# gradients to 1e-12 + 1e-9 relative). The references are written by
# tests/reference/make_reference.py, which needs PyTorch; this test does not.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
: "${COMPARE:?set COMPARE to the compare-reference program}"
case $GVL in /*) ;; *) GVL=$PWD/$GVL ;; esac
case $COMPARE in /*) ;; *) COMPARE=$PWD/$COMPARE ;; esac
cd "$SRCDIR" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for graph in tests/reference/graphs/*.graph; do
    name=$(basename "$graph" .graph)
    ref=tests/reference/$name.json
    if [ ! -f "$ref" ]; then
        echo "FAIL $name: no $ref (run tests/reference/make_reference.py)"; fail=$((fail + 1)); continue
    fi
    timeout 60 "$GVL" eval "$graph" --json > "$tmp/eval.json" 2> "$tmp/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL $name: graphviz-lab eval $graph --json exited $rc"; cat "$tmp/err"; fail=$((fail + 1)); continue
    fi
    set -- "$ref" "$tmp/eval.json"
    if grep -q '^ "train":' "$ref"; then
        timeout 60 "$GVL" train "$graph" --json > "$tmp/train.json" 2> "$tmp/err"
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL $name: graphviz-lab train $graph --json exited $rc"; cat "$tmp/err"; fail=$((fail + 1)); continue
        fi
        set -- "$@" "$tmp/train.json"
    fi
    if "$COMPARE" "$@"; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name"; fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
