#!/bin/sh
# Times the front end (parse + shape check) on generated chains of
# 10^4 .. 10^6 nodes, and `dims` on the largest.  Not part of `make check`.
# Usage: bench/front-end.sh [path/to/graphviz-lab]
set -e
gvl=${1:-./graphviz-lab}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in 10000 100000 1000000; do
    "$here/gen-chain.sh" $n > "$tmp/chain.graph"
    start=$(date +%s.%N)
    "$gvl" check "$tmp/chain.graph" > /dev/null
    end=$(date +%s.%N)
    printf 'check %8d nodes: %.3f s\n' $n "$(awk "BEGIN{print $end - $start}")"
done
start=$(date +%s.%N)
"$gvl" dims "$tmp/chain.graph" > /dev/null
end=$(date +%s.%N)
printf 'dims  %8d nodes: %.3f s\n' 1000000 "$(awk "BEGIN{print $end - $start}")"
