#!/usr/bin/env python3
"""graphs/ex1.graph recomputed with PyTorch in float64, written by graphviz-lab export --torch.

    python3 SCRIPT          every node's value and gradient, in the order of graphviz-lab eval
    python3 SCRIPT --json   the same as JSON, with the keys of graphviz-lab eval --json
                            and the lr and steps of graphviz-lab train --json
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def transpose(a):
    """a^T: the last two dimensions swapped; a vector or a scalar as it is
    (a copy, so that the node keeps a gradient of its own)."""
    return a.transpose(-2, -1) if a.dim() >= 2 else a.clone()


# The leaves, with the file's values (each declared one takes a gradient, as in eval;
# a number written in an expression does not).
x = torch.tensor([[2.0], [1.0]], requires_grad=True)  # input x: 2x1
w = torch.tensor([[1.5707963267948966], [3.141592653589793]], requires_grad=True)  # param w: 2x1
b = torch.tensor(0.0, requires_grad=True)       # const b: scalar
y_t = torch.tensor(2.0, requires_grad=True)     # label y_t: scalar
PARAMS = [w]


def forward():
    """Every node, in the order of graphviz-lab eval; the interior ones keep their gradients."""
    t4 = transpose(w)                               # w^T: 1x2
    assert t4.shape == (1, 2)
    t4.retain_grad()
    t5 = t4 @ x                                     # w^T @ x: 1x1
    assert t5.shape == (1, 1)
    t5.retain_grad()
    t6 = torch.sin(t5)                              # sin(w^T @ x): 1x1
    assert t6.shape == (1, 1)
    t6.retain_grad()
    y = t6 - b                                      # y: 1x1
    assert y.shape == (1, 1)
    y.retain_grad()
    L = torch.mean((y - y_t) ** 2)                  # L: scalar
    assert L.shape == ()
    L.retain_grad()
    return [x, w, b, y_t, t4, t5, t6, y, L]


# Each node as graphviz-lab names it: name, display name, kind, op, shape.
NODES = [
    ("x", "x", "input", None, [2, 1]),
    ("w", "w", "param", None, [2, 1]),
    ("b", "b", "const", None, []),
    ("y_t", "y_t", "label", None, []),
    ("w^T", "w^T", "op", "transpose", [1, 2]),
    ("w^T @ x", "w^T @ x", "op", "matmul", [1, 1]),
    ("sin(w^T @ x)", "sin(w^T @ x)", "op", "sin", [1, 1]),
    ("y", "y", "op", "sub", [1, 1]),
    ("L", "L", "op", "mse", []),
]
ROOT = 8        # the node the gradients are of
LOSS = 8        # the loss (what optimize minimises)
LR, STEPS = 0.5, 1


def as_json(t):
    """A tensor as graphviz-lab prints it: tolist(), NaN and infinities as strings."""
    if t is None:
        return None

    def number(x):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x

    def walk(v):
        return [walk(e) for e in v] if isinstance(v, list) else number(v)

    return walk(t.detach().tolist())


def main():
    nodes = forward()
    if ROOT is not None and nodes[ROOT].requires_grad:
        nodes[ROOT].backward()
    out = {"nodes": [{"name": name, "display_name": shown, "kind": kind, "op": op, "shape": shape,
                       "value": as_json(t), "grad": as_json(t.grad)}
                      for (name, shown, kind, op, shape), t in zip(NODES, nodes)],
           "loss": NODES[LOSS][0] if LOSS is not None else None,
           "loss_value": as_json(nodes[LOSS].reshape(())) if LOSS is not None else None}
    if STEPS:
        out["lr"], out["steps"] = LR, []
        for step in range(1, STEPS + 1):
            for p in PARAMS:
                p.grad = None
            loss = forward()[LOSS]
            if loss.requires_grad:
                loss.backward()
            with torch.no_grad():
                for p in PARAMS:
                    if p.grad is not None:
                        p -= LR * p.grad
            out["steps"].append({"step": step, "loss": as_json(loss.reshape(())),
                                 "params": {NODES[i][0]: as_json(t) for i, t in enumerate(nodes)
                                            if NODES[i][2] == "param"}})
    if "--json" in sys.argv[1:]:
        print(json.dumps(out))
        return
    print("Values of " + "graphs/ex1.graph" + ", from PyTorch")
    for node in out["nodes"]:
        print()
        print("%s  (%s%s, %s)" % (node["display_name"], node["kind"], " " + node["op"] if node["op"] else "",
                                  node["shape"]))
        print("  value ", node["value"])
        if node["grad"] is not None:
            print("  grad  ", node["grad"])
    for step in out.get("steps", []):
        print()
        print("step %d: loss %s before the step; after it:" % (step["step"], step["loss"]))
        for name, value in step["params"].items():
            print("  %s = %s" % (name, value))


if __name__ == "__main__":
    main()
