#!/bin/sh
# Times `render` to SVG on generated graphs of 100 to 3000 nodes, with
# values (--random) and with --backward.  Not part of `make check`.
# Usage: bench/render.sh [path/to/graphviz-lab]
set -e
gvl=${1:-./graphviz-lab}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
for n in 100 300 1000 3000; do
    "$here/gen-chain.sh" $n > "$tmp/chain.graph"
    for extra in "" "--backward"; do
        start=$(now)
        "$gvl" render "$tmp/chain.graph" -o "$tmp/chain.svg" --random 1 $extra 2> /dev/null
        end=$(now)
        printf 'render %5d nodes %-10s: %6.2f s\n' $n "$extra" "$(awk "BEGIN{print $end - $start}")"
    done
done
