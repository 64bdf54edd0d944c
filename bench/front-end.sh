#!/bin/sh
# Times the front end (parse + shape check) on generated chains of
# 10^4 .. 10^6 nodes, and `dims` on the largest: the median of 5 runs each
# (the figures vary by a tenth from run to run, with the kernel's huge
# pages), with the peak memory when GNU time (/usr/bin/time) is there.
# Targets: check of 10^6 nodes under 1 s and 1 KiB a node, dims under 2 s.
# Not part of `make check`.
# Usage: bench/front-end.sh [path/to/graphviz-lab]
set -e
gvl=${1:-./graphviz-lab}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# one run of "$@": seconds, then peak KiB (0 without GNU time)
run() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" > /dev/null
        cat "$tmp/t"
    else
        start=$(date +%s.%N)
        "$@" > /dev/null
        end=$(date +%s.%N)
        awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f 0\n", b - a }'
    fi
}
# the median of 5 runs of "$@", and the most memory any took
median5() {
    for i in 1 2 3 4 5; do run "$@"; done | sort -n |
        awk '{ t[NR] = $1; if ($2 > m) m = $2 } END { printf "%.2f s (median of 5), %d MB", t[3], m / 1024 }'
}
for n in 10000 100000 1000000; do
    "$here/gen-chain.sh" $n > "$tmp/chain.graph"
    printf 'check %8d nodes: %s\n' $n "$(median5 "$gvl" check "$tmp/chain.graph")"
done
printf 'dims  %8d nodes: %s\n' 1000000 "$(median5 "$gvl" dims "$tmp/chain.graph")"
