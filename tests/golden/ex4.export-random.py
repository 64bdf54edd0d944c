#!/usr/bin/env python3
"""graphs/ex4.graph recomputed with PyTorch in float64, written by graphviz-lab export --torch.

    python3 SCRIPT          every node's value and gradient, in the order of graphviz-lab eval
    python3 SCRIPT --json   the same as JSON, with the keys of graphviz-lab eval --json
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def hom(a):
    """Homogeneous coordinates: a 1 after a vector, a row of ones under a matrix."""
    if a.dim() == 1:
        return torch.cat([a, torch.ones(1)])
    return torch.cat([a, torch.ones(1, a.shape[1])], dim=0)


def as4d(x):
    """[H,W] and [C,H,W] as the [N,C,H,W] that F.conv2d and the pools take."""
    return {2: x[None, None], 3: x[None], 4: x}[x.dim()]


def from4d(y, rank):
    """The inverse of as4d for a result of RANK dimensions."""
    return {2: y[0, 0], 3: y[0], 4: y}[rank]


def maxpool2d(x, kernel_size, stride, padding):
    """F.max_pool2d over the last two dimensions."""
    return from4d(F.max_pool2d(as4d(x), kernel_size, stride=stride, padding=padding), x.dim())


# The leaves, with the file's values (each declared one takes a gradient, as in eval;
# a number written in an expression does not).
y = torch.tensor([[-0.005477828653810878], [0.09846726100110413], [-0.871207056052791], [-0.05478599076036418], [-0.2333095906116659], [-1.3591809691693668], [-0.7606117736413451], [0.10834062946123747], [-1.1797165231919415], [0.34537495308363253], [-2.426246724907444], [-0.6745130902970939], [-0.025627886948938368], [-0.8283631522323192], [-0.9378262614789483], [-0.42510909565671623], [-0.8959445292046089]], requires_grad=True)  # input y: 17x1
W = torch.tensor([[-0.28953344536843484, 1.5946447711763372, 0.07636715665956541, 0.3324826887771962, -1.3525814884653407, -0.5458932670968674], [0.12025855556679764, -1.7762671739284706, 0.012435202532778996, -1.254337876891735, 0.11815420078454433, -0.628972008129502], [0.6575820735016153, -0.3113770400766795, -0.1965318804453331, -2.407523145811496, 0.4487774237394599, 0.4195798977141257], [1.2108169682896015, 0.954522186890856, 0.18120869677040216, -0.9228402134701842, 0.0631588642072999, -0.44050050906234345]], requires_grad=True)  # param W: 4x6
u = torch.tensor([[1.6731768902069812], [-1.5276084695193117], [0.24278059451478518], [0.6780309067016483]], requires_grad=True)  # label u: 4x1
PARAMS = [W]


def forward():
    """Every node, in the order of graphviz-lab eval; the interior ones keep their gradients."""
    p = maxpool2d(y, (3, 1), stride=(3, 1), padding=(0, 0))  # p: 5x1
    assert p.shape == (5, 1)
    p.retain_grad()
    x = hom(p)                                      # x: 6x1
    assert x.shape == (6, 1)
    x.retain_grad()
    z = W @ x                                       # z: 4x1
    assert z.shape == (4, 1)
    z.retain_grad()
    q = torch.sigmoid(z)                            # q: 4x1
    assert q.shape == (4, 1)
    q.retain_grad()
    L = torch.sum((q - u) ** 2)                     # L: scalar
    assert L.shape == ()
    L.retain_grad()
    return [y, W, u, p, x, z, q, L]


# Each node as graphviz-lab names it: name, display name, kind, op, shape.
NODES = [
    ("y", "y", "input", None, [17, 1]),
    ("W", "W", "param", None, [4, 6]),
    ("u", "u", "label", None, [4, 1]),
    ("p", "p", "op", "maxpool2d", [5, 1]),
    ("x", "x", "op", "hom", [6, 1]),
    ("z", "z", "op", "matmul", [4, 1]),
    ("q", "q", "op", "sigmoid", [4, 1]),
    ("L", "L", "op", "sse", []),
]
ROOT = 7        # the node the gradients are of
LOSS = 7        # the loss (what optimize minimises)
LR, STEPS = None, 0   # the file does not train


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
    print("Values of " + "graphs/ex4.graph" + ", from PyTorch")
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
