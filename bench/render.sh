#!/bin/sh
# Times `render` to SVG on generated graphs of 100 to 5000 nodes, with values
# (--random) and with --backward, side by side with Graphviz's own `dot
# -Tsvg` laying out the DOT we write for the same graph (what a user of dot
# would wait for).  Targets: 1000 nodes under 1 s, 5000 under 10 s.
# Not part of `make check`.
# Usage: bench/render.sh [path/to/graphviz-lab] [sizes...]
set -e
gvl=${1:-./graphviz-lab}
shift || true
sizes=${*:-100 300 1000 3000 5000}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
printf '%-28s %12s %12s %8s %10s\n' "" "graphviz-lab" "dot -Tsvg" "ratio" "SVG size"
for n in $sizes; do
    "$here/gen-chain.sh" "$n" > "$tmp/chain.graph"
    for extra in "" "--backward"; do
        t0=$(now)
        "$gvl" render "$tmp/chain.graph" -o "$tmp/chain.svg" --random 1 $extra 2> /dev/null
        t1=$(now)
        "$gvl" render "$tmp/chain.graph" -o "$tmp/chain.dot" --random 1 $extra 2> /dev/null
        t2=$(now)
        dot -Tsvg "$tmp/chain.dot" -o "$tmp/dot.svg" 2> /dev/null
        t3=$(now)
        ours=$(secs "$t0" "$t1")
        theirs=$(secs "$t2" "$t3")
        printf 'render %5d nodes %-10s %10s s %10s s %7sx %8s KB\n' "$n" "$extra" "$ours" "$theirs" \
            "$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')" "$(($(wc -c < "$tmp/chain.svg") / 1024))"
    done
done
