#!/bin/sh
# The dense kernels side by side with PyTorch, single-threaded on both sides
# (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)): a 1024x1024 float64
# matmul and a 1x16x128x128 conv2d with a 16x16x3x3 kernel (padding 1),
# each forward, backward and one gradient step per iteration.  The
# backward pass computes the gradient of the input too on both sides, as
# graphviz-lab computes every gradient (eval prints them all).  Each side's
# start-up, reading and filling is taken out by timing it twice, with 1 and
# with 1 + REPS iterations (graphviz-lab train --steps; the same loop in
# PyTorch), and dividing the difference by REPS.  Not part of `make check`.
# Usage: bench/dense.sh [path/to/graphviz-lab] [python with torch] [reps]
set -e
gvl=${1:-./graphviz-lab}
py=${2:-/usr/bin/python3}
reps=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }

printf 'param A[1024,1024]\ninput B[1024,1024]\nL = sum(A @ B)\n' > "$tmp/matmul.graph"
printf 'input x[1,16,128,128]\nparam w[16,16,3,3]\nL = sum(conv2d(x, w, padding=1))\n' > "$tmp/conv.graph"
cat > "$tmp/bench.py" <<'PY'
import sys, time, torch
torch.set_num_threads(1)
kind, reps = sys.argv[1], int(sys.argv[2])
g = torch.Generator().manual_seed(1)
if kind == "matmul":
    a = torch.randn(1024, 1024, dtype=torch.float64, generator=g, requires_grad=True)
    b = torch.randn(1024, 1024, dtype=torch.float64, generator=g, requires_grad=True)
    f = lambda: (a @ b).sum()
    p = a
else:
    x = torch.randn(1, 16, 128, 128, dtype=torch.float64, generator=g, requires_grad=True)
    p = torch.randn(16, 16, 3, 3, dtype=torch.float64, generator=g, requires_grad=True)
    f = lambda: torch.nn.functional.conv2d(x, p, padding=1).sum()
for _ in range(1 + reps):
    loss = f()
    loss.backward()
    with torch.no_grad():
        p -= 0.1 * p.grad
    p.grad = None
    for t in (b if kind == "matmul" else x,):
        t.grad = None
PY
echo "$("$gvl" --version | sed -n 2p)"
printf '%-8s %14s %14s %8s\n' "kernel" "graphviz-lab" "PyTorch" "ratio"
for k in matmul conv; do
    t0=$(now); "$gvl" train "$tmp/$k.graph" --random 1 --steps 1 > /dev/null 2>&1; t1=$(now)
    "$gvl" train "$tmp/$k.graph" --random 1 --steps $((1 + reps)) --every 1000 > /dev/null 2>&1; t2=$(now)
    ours=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v r="$reps" 'BEGIN { printf "%.4f", ((c - b) - (b - a)) / r }')
    if "$py" -c 'import torch' 2> /dev/null; then
        t0=$(now); "$py" "$tmp/bench.py" "$k" 0; t1=$(now)
        "$py" "$tmp/bench.py" "$k" "$reps"; t2=$(now)
        theirs=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v r="$reps" 'BEGIN { printf "%.4f", ((c - b) - (b - a)) / r }')
        printf '%-8s %12s s %12s s %7.2fx\n' "$k" "$ours" "$theirs" "$(awk -v a="$ours" -v b="$theirs" 'BEGIN { print a / b }')"
    else
        printf '%-8s %12s s %14s\n' "$k" "$ours" "(no PyTorch: $py cannot import torch; apt-get install python3-torch)"
    fi
done
