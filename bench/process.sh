#!/bin/sh
# The whole process, side by side with the real alternative, in one run:
# exercise 1's values and gradients (graphviz-lab eval) against the PyTorch
# script export --torch writes for it (python3 ex1.py), and exercise 1's
# diagram (graphviz-lab render -o ex1.svg, layout and all) against Graphviz's
# own `dot -Tsvg` on the DOT we write.  Each is the mean of RUNS runs, start-up
# included: that is what a student waits for.  Not part of `make check`.
# Usage: bench/process.sh [path/to/graphviz-lab] [python with torch] [runs]
set -e
gvl=${1:-./graphviz-lab}
py=${2:-/usr/bin/python3}
runs=${3:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
# mean COMMAND...: the mean wall time of RUNS runs, in seconds
mean() {
    t0=$(now)
    i=0
    while [ $i -lt "$runs" ]; do "$@" > /dev/null 2>&1; i=$((i + 1)); done
    t1=$(now)
    awk -v a="$t0" -v b="$t1" -v n="$runs" 'BEGIN { printf "%.4f", (b - a) / n }'
}
row() { printf '%-34s %10s s %10s s %8s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.3gx", a / b }')"; }
printf '%-34s %12s %12s %8s\n' "" "graphviz-lab" "alternative" "ratio"
g=$here/graphs/ex1.graph
"$gvl" export "$g" --torch -o "$tmp/ex1.py"
ours=$(mean "$gvl" eval "$g" --json)
if "$py" -c 'import torch' 2> /dev/null; then
    row "exercise 1: eval vs PyTorch script" "$ours" "$(mean "$py" "$tmp/ex1.py")"
else
    printf '%-34s %10s s   (no PyTorch: %s cannot import torch)\n' "exercise 1: eval" "$ours" "$py"
fi
"$gvl" render "$g" -o "$tmp/ex1.dot"
ours=$(mean "$gvl" render "$g" -o "$tmp/ex1.svg")
if command -v dot > /dev/null; then
    row "exercise 1: render vs dot -Tsvg" "$ours" "$(mean dot -Tsvg "$tmp/ex1.dot" -o "$tmp/dot.svg")"
else
    printf '%-34s %10s s   (no dot: apt-get install graphviz)\n' "exercise 1: render" "$ours"
fi
