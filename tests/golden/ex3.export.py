#!/usr/bin/env python3
"""graphs/ex3.graph recomputed with PyTorch in float64, written by graphviz-lab export --torch.

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


def as4d(x):
    """[H,W] and [C,H,W] as the [N,C,H,W] that F.conv2d and the pools take."""
    return {2: x[None, None], 3: x[None], 4: x}[x.dim()]


def from4d(y, rank):
    """The inverse of as4d for a result of RANK dimensions."""
    return {2: y[0, 0], 3: y[0], 4: y}[rank]


def conv2d(x, w, stride, padding, dilation):
    """F.conv2d of x [H,W], [C,H,W] or [N,C,H,W] with w [kh,kw] or [O,C,kh,kw]."""
    w4 = w[None, None] if w.dim() == 2 else w
    return from4d(F.conv2d(as4d(x), w4, stride=stride, padding=padding, dilation=dilation), x.dim())


def maxpool2d(x, kernel_size, stride, padding):
    """F.max_pool2d over the last two dimensions."""
    return from4d(F.max_pool2d(as4d(x), kernel_size, stride=stride, padding=padding), x.dim())


# The leaves, with the file's values (each declared one takes a gradient, as in eval;
# a number written in an expression does not).
x = torch.tensor([[2.0, 1.0, 2.0]], requires_grad=True)  # input x: 1x3
w = torch.tensor([[1.0, 0.0]], requires_grad=True)  # param w: 1x2
PARAMS = [w]


def forward():
    """Every node, in the order of graphviz-lab eval; the interior ones keep their gradients."""
    c = conv2d(x, w, stride=(1, 1), padding=(0, 0), dilation=(1, 1))  # c: 1x2
    assert c.shape == (1, 2)
    c.retain_grad()
    f = maxpool2d(c, (1, 2), stride=(1, 2), padding=(0, 0))  # f: 1x1
    assert f.shape == (1, 1)
    f.retain_grad()
    return [x, w, c, f]


# Each node as graphviz-lab names it: name, display name, kind, op, shape.
NODES = [
    ("x", "x", "input", None, [1, 3]),
    ("w", "w", "param", None, [1, 2]),
    ("c", "c", "op", "conv2d", [1, 2]),
    ("f", "f", "op", "maxpool2d", [1, 1]),
]
ROOT = 3        # the node the gradients are of
LOSS = 3        # the loss (what optimize minimises)
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
    print("Values of " + "graphs/ex3.graph" + ", from PyTorch")
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
