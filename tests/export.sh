#!/usr/bin/env bash
# tests/export.sh - `graphviz-lab export --torch` checked against real PyTorch.
#
# Every graph in graphs/ and tests/reference/graphs/ is exported (with
# --random 1, which fills the leaves a shapes-only file leaves empty), the
# script runs under PyTorch, and its --json must agree with graphviz-lab's
# own eval --json (and train --json, when the file trains) to 1e-9 relative
# (tests/compare-export.py).  A file that eval refuses (symbolic sizes,
# tensors over the limits) must be refused by export with the same status.
#
# Needs PyTorch (Debian's python3-torch).  Without it the test is skipped
# (exit 77) and says why, unless GVL_REQUIRE_TORCH=1, as in CI: then it fails.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 1
python=
for p in "${PYTHON:-python3}" /usr/bin/python3; do
    if command -v "$p" > /dev/null && "$p" -c 'import torch' 2> /dev/null; then python=$p; break; fi
done
if [ -z "$python" ]; then
    if [ "${GVL_REQUIRE_TORCH:-0}" = 1 ]; then
        echo "FAIL: PyTorch is not installed, and GVL_REQUIRE_TORCH=1 (apt-get install python3-torch)"
        exit 1
    fi
    echo "SKIP: PyTorch is not installed (apt-get install python3-torch); the exported scripts cannot be run"
    exit 77
fi
echo "PyTorch $("$python" -c 'import torch; print(torch.__version__)') from $python"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
jobs=$(nproc 2>/dev/null || echo 2)
n=0
one() {
    local g=$1 k=$2 b
    b=$(basename "$g" .graph)
    local out="$tmp/$k"
    timeout 120 "$GVL" eval "$g" --random 1 --json > "$out.eval.json" 2> "$out.err"
    local rc=$?
    timeout 120 "$GVL" export "$g" --torch --random 1 -o "$out.py" 2>> "$out.err"
    local xrc=$?
    if [ $rc -ne 0 ]; then
        if [ $xrc -eq $rc ] && [ ! -e "$out.py" ]; then echo "refused $g" > "$out.ok"
        else echo "FAIL $g: eval exits $rc, export $xrc" > "$out.fail"; fi
        return
    fi
    if [ $xrc -ne 0 ]; then { echo "FAIL $g: export exited $xrc"; cat "$out.err"; } > "$out.fail"; return; fi
    local train=()
    if grep -q '^LR, STEPS = [0-9]' "$out.py"; then
        timeout 120 "$GVL" train "$g" --random 1 --json > "$out.train.json" 2>> "$out.err" || {
            echo "FAIL $g: train exited $?" > "$out.fail"; return; }
        train=("$out.train.json")
    fi
    if ! timeout 300 "$python" "$out.py" --json > "$out.torch.json" 2> "$out.pyerr"; then
        { echo "FAIL $g: the exported script failed under PyTorch:"; tail -5 "$out.pyerr"; } > "$out.fail"
        return
    fi
    if "$python" tests/compare-export.py "$out.torch.json" "$out.eval.json" "${train[@]}" > "$out.diff"; then
        echo "ok $g" > "$out.ok"
    else
        { echo "FAIL $g: PyTorch and graphviz-lab disagree:"; cat "$out.diff"; } > "$out.fail"
    fi
}
# a file name that would end the script's docstring and run as code, with
# a backslash that would start an escape: the script must still agree
mkdir "$tmp/names"
hostile="$tmp/names/ex1\"\"\"; import sys; sys.exit(3); \"\"\"\\N.graph"
cp graphs/ex1.graph "$hostile"
for g in graphs/*.graph tests/reference/graphs/*.graph "$hostile"; do
    n=$((n + 1))
    while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do wait -n; done
    one "$g" "$n" &
done
wait
# every op of the registry is in some graph exported above, so none goes untested
for g in graphs/*.graph tests/reference/graphs/*.graph; do "$GVL" check "$g" --json 2> /dev/null; done |
    grep -oE '"op":[[:space:]]*"[a-z_0-9]*"' | sed -E 's/"op":[[:space:]]*//' | tr -d '"' | sort -u > "$tmp/used"
"$GVL" ops --format csv | tail -n +2 | cut -d, -f1 | sort > "$tmp/all"
unused=$(comm -23 "$tmp/all" "$tmp/used" | tr '\n' ' ')
if [ -n "$unused" ]; then
    n=$((n + 1))
    echo "FAIL: no graph of graphs/ or tests/reference/graphs/ uses $unused: its export is untested" > "$tmp/unused.fail"
fi
pass=$(find "$tmp" -name '*.ok' | wc -l)
fail=$(find "$tmp" -name '*.fail' | wc -l)
refused=$(cat "$tmp"/*.ok 2>/dev/null | grep -c '^refused')
[ "$fail" -eq 0 ] || cat "$tmp"/*.fail
[ $((pass + fail)) -eq "$n" ] || { echo "FAIL: $n graphs started, $((pass + fail)) finished"; fail=$((fail + 1)); }
echo "$((pass - refused)) scripts agree with PyTorch, $refused refused as eval refuses them, $fail failed"
[ "$fail" -eq 0 ]
