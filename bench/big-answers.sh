#!/bin/sh
# Peak memory and time of the big answers: `eval --json` of a 2048x2048
# param (2^22 elements: 64 MiB of values and gradients), `render -o x.json`
# and `render -o x.dot` of a 1024x1024 one, side by side with PyTorch
# computing the same values and gradients and writing them with json.dump
# (the script `export --torch` writes).  Not part of `make check`.
# Usage: bench/big-answers.sh [path/to/graphviz-lab] [python with torch]
set -e
gvl=${1:-./graphviz-lab}
py=${2:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() {   # measure WHAT COMMAND...: seconds and peak resident memory
    what=$1
    shift
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || { cat "$tmp/err"; exit 1; }
    read -r secs kb < "$tmp/time"
    printf '%-44s %6.2f s %8.1f MiB\n' "$what" "$secs" "$(awk "BEGIN{print $kb / 1024}")"
}
printf 'param W[2048,2048]\nL = sum(W * W)\n' > "$tmp/big.graph"
printf 'param W[1024,1024]\nL = sum(W * W)\n' > "$tmp/mid.graph"
echo "tensors of big.graph: W, W * W, their gradients: 4 x 32 MiB = 128 MiB"
measure "graphviz-lab eval --json (2048x2048)" "$gvl" eval "$tmp/big.graph" --random 1 --json
if "$py" -c 'import torch' 2> /dev/null && "$gvl" export --help > /dev/null 2>&1; then
    "$gvl" export --torch "$tmp/big.graph" --random 1 -o "$tmp/big.py"
    measure "PyTorch, the exported script --json" "$py" "$tmp/big.py" --json
else
    echo "(no PyTorch: apt-get install python3-torch for the side-by-side figure)"
fi
measure "graphviz-lab render -o x.json (1024x1024)" "$gvl" render "$tmp/mid.graph" --random 1 -o "$tmp/x.json"
measure "graphviz-lab render -o x.dot (1024x1024)" "$gvl" render "$tmp/mid.graph" --random 1 -o "$tmp/x.dot"
printf '%-44s %9s\n' "  size of x.dot" "$(wc -c < "$tmp/x.dot") bytes"
