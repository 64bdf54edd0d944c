#!/usr/bin/env bash
# tests/html.sh - the page `graphviz-lab render FILE -o OUT.html` writes,
# in a real headless Chromium (tests/browser/page.test.mjs, puppeteer-core).
#
# Renders graphs/ex1..ex4 and two generated graphs (a 100-node chain, and one
# whose values hold NaN and infinities), takes eval --json, dims --json and
# train --json of each as the expectations, and lets page.test.mjs click,
# key and step through every page.  The screenshots are left in
# tests/browser/out/ of the build tree.
#
# Needs node, Chromium (Debian's chromium; another one with CHROMIUM=PATH)
# and tests/browser/node_modules (cd tests/browser && npm ci).  Without one
# of them the test is skipped (exit 77) and says why, unless
# GVL_REQUIRE_BROWSER=1, as in CI: then it fails.
set -u
: "${GVL:?set GVL to the graphviz-lab program}" "${SRCDIR:?set SRCDIR to the source tree}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

skip() {
    if [ "${GVL_REQUIRE_BROWSER:-0}" = 1 ]; then
        echo "html.sh: FAIL (GVL_REQUIRE_BROWSER=1): $*"
        exit 1
    fi
    echo "html.sh: skipped: $*"
    exit 77
}
command -v node > /dev/null || skip "no node (apt-get install nodejs npm)"
[ -x "$CHROMIUM" ] || skip "no chromium at $CHROMIUM (apt-get install chromium)"
[ -d "$SRCDIR/tests/browser/node_modules/puppeteer-core" ] ||
    skip "no $SRCDIR/tests/browser/node_modules/puppeteer-core (cd tests/browser && npm ci)"

out=$PWD/tests/browser/out
mkdir -p "$out" || exit 1
rm -f "$out"/*.png "$out"/*.html "$out"/*.json "$out"/*.graph
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# a 100-node graph: 46 tanh layers, each adding the same bias b (a leaf with
# more than 4 uses, drawn beside each use)
{
    echo '# 100 nodes: h0 = w^T x, then 46 layers h_i = tanh(h_(i-1) + b)'
    echo 'param w[2,1] = [0.5, -1]'
    echo 'input x[2,1] = [1, 2]'
    echo 'const b = 0.1'
    echo 'label t = 1'
    echo 'h0 = w^T @ x'
    for i in $(seq 1 46); do echo "h$i = tanh(h$((i - 1)) + b)"; done
    echo 'y = 2 * h46'
    echo 'L = mse(y, t)'
    echo 'optimize L lr=0.1 steps=1'
} > "$out/big100.graph"
# NaN and infinities in values and gradients: the page must print them as
# nan, inf, -inf (eval --json's strings)
printf '%s\n' '# log of -1 and of 0' 'input x[2] = [-1, 0]' 'param w = 2' 'y = log(x * w)' 'L = sum(y)' 'loss L' > "$out/nonfinite.graph"

fail=0
pages=()
for spec in "$SRCDIR/graphs/ex1.graph" "$SRCDIR/graphs/ex2.graph" "$SRCDIR/graphs/ex3.graph" "$SRCDIR/graphs/ex4.graph" \
    "$out/nonfinite.graph" "$out/big100.graph:big"; do
    g=${spec%:big}
    name=$(basename "$g" .graph)
    html=$out/$name.html
    t0=$(date +%s%N)
    if ! "$GVL" render "$g" -o "$html" 2> "$tmp/$name.render.err"; then
        echo "FAIL: $GVL render $g -o $html exited non-zero:"
        cat "$tmp/$name.render.err"
        fail=1
        continue
    fi
    echo "$name: render -o $name.html took $((($(date +%s%N) - t0) / 1000000)) ms, $(wc -c < "$html") bytes"
    if ! "$GVL" dims "$g" --json > "$out/$name.dims.json" 2> "$tmp/$name.dims.err"; then
        echo "FAIL: $GVL dims $g --json exited non-zero:"
        cat "$tmp/$name.dims.err"
        fail=1
        continue
    fi
    page=(-- --name "$name" --html "$html" --graph "$g" --dims "$out/$name.dims.json")
    # eval fails on a shapes-only file (no values): then the page must show none
    if "$GVL" eval "$g" --json > "$out/$name.eval.json" 2> /dev/null; then
        page+=(--eval "$out/$name.eval.json")
    else
        echo "$name: eval fails: shapes only"
        rm -f "$out/$name.eval.json"
    fi
    if grep -Eq '^[[:space:]]*optimize\b' "$g"; then
        if "$GVL" train "$g" --json > "$out/$name.train.json" 2> "$tmp/$name.train.err"; then
            page+=(--train "$out/$name.train.json")
        else
            echo "FAIL: $GVL train $g --json exited non-zero:"
            cat "$tmp/$name.train.err"
            fail=1
        fi
    fi
    [ "$spec" != "$g" ] && page+=(--big)
    pages+=("${page[@]}")
done
nodes=$("$GVL" check "$out/big100.graph" 2> /dev/null | tail -n +2 | wc -l)
echo "big100: $nodes nodes"
[ "$nodes" -ge 95 ] || { echo "FAIL: the generated big100.graph has $nodes nodes, not ~100"; fail=1; }

if [ "${#pages[@]}" -gt 0 ]; then
    node "$SRCDIR/tests/browser/page.test.mjs" --out "$out" "${pages[@]}" || fail=1
fi
exit "$fail"
