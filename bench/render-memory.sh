#!/bin/bash
# How much address space `render` needs, against the estimate it refuses
# below (src/render_budget.c).  For each size and format: the least
# `ulimit -v` at which the diagram is drawn with the estimate turned off
# (GVL_RENDER_NO_ESTIMATE=1), the least at which the estimate stops
# refusing, and the same for `-T dot` (no layout: what the program itself
# needs).  The estimate must refuse only below what drawing needs; every
# run in between must end in a message and exit 2, never a signal.
# Not part of `make check`.  Usage: bench/render-memory.sh [graphviz-lab]
gvl=$(realpath "${1:-./graphviz-lab}")
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
signals=0
# least limit (KiB) in [lo, hi] at which CMD exits 0
least() {
    local lo=$1 hi=$2; shift 2
    while [ $((hi - lo)) -gt 2048 ]; do
        local mid=$(((lo + hi) / 2))
        (ulimit -v $mid; "$@" > /dev/null 2> "$tmp/err"); rc=$?
        if [ $rc -gt 128 ]; then signals=$((signals + 1)); echo "  signal: exit $rc at $mid KiB: $*" >&2; fi
        if [ $rc = 0 ]; then hi=$mid; else lo=$mid; fi
    done
    echo $hi
}
printf '%6s %-4s %12s %12s %12s\n' nodes fmt "draws(KiB)" "estimate ok" "dot(KiB)"
for n in 10 100 1000 3000; do
    "$here/gen-chain.sh" $n > "$tmp/g.graph"
    dot=$(least 8000 2000000 "$gvl" render "$tmp/g.graph" --random 1 -T dot -o "$tmp/o")
    for fmt in svg pdf png; do
        draws=$(GVL_RENDER_NO_ESTIMATE=1 least 8000 4000000 "$gvl" render "$tmp/g.graph" --random 1 -T $fmt -o "$tmp/o")
        # the estimate alone: the least limit it lets through (the drawing may then fail)
        lo=8000 hi=4000000
        while [ $((hi - lo)) -gt 2048 ]; do
            mid=$(((lo + hi) / 2))
            (ulimit -v $mid; "$gvl" render "$tmp/g.graph" --random 1 -T $fmt -o "$tmp/o" > /dev/null 2> "$tmp/err"); rc=$?
            [ $rc -gt 128 ] && { signals=$((signals + 1)); echo "  signal: exit $rc at $mid KiB" >&2; }
            if grep -q "needs at least" "$tmp/err"; then lo=$mid; else hi=$mid; fi
        done
        printf '%6d %-4s %12d %12d %12d%s\n' $n $fmt $draws $hi $dot "$([ $hi -gt $draws ] && echo '  ESTIMATE TOO HIGH')"
    done
done
echo "runs that died of a signal: $signals"
