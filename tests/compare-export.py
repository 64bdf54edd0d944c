"""Compares an exported script's --json with graphviz-lab's own numbers.

Usage: python3 tests/compare-export.py SCRIPT.json EVAL.json [TRAIN.json]

SCRIPT.json is what `python3 OUT.py --json` printed (OUT.py from `graphviz-lab
export --torch`); EVAL.json is `graphviz-lab eval --json` of the same file
with the same options, TRAIN.json `graphviz-lab train --json` when the file
trains.  Every node's name, kind, op, shape, value and gradient, the loss and
its value, and every step's loss and params must agree: numbers to 1e-9
relative (1e-12 absolute near zero), "nan"/"inf" strings exactly.  The
leaves' values must be the same doubles bit for bit: the script holds them as
graphviz-lab wrote them, so this checks that both write every number exactly
(cJSON's printing, used before, could round the 17th digit away).  Prints each
disagreement and exits 1 if there is one.
"""
import json
import math
import sys

problems = []


def same_number(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    return a == b or abs(a - b) <= 1e-12 + 1e-9 * max(abs(a), abs(b))


def compare_exact(what, a, b):
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            compare_exact("%s[%d]" % (what, i), x, y)
    elif a != b and not (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)):
        problems.append("%s: not the same double: PyTorch %r, graphviz-lab %r" % (what, a, b))


def compare(what, a, b):
    if isinstance(a, list) or isinstance(b, list):
        if not isinstance(a, list) or not isinstance(b, list) or len(a) != len(b):
            problems.append("%s: %r is not shaped like %r" % (what, a, b))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            compare("%s[%d]" % (what, i), x, y)
        return
    if not same_number(a, b):
        problems.append("%s: PyTorch %r, graphviz-lab %r" % (what, a, b))


def main():
    script = json.load(open(sys.argv[1]))
    ours = json.load(open(sys.argv[2]))
    if len(script["nodes"]) != len(ours["nodes"]):
        problems.append("%d nodes from PyTorch, %d from graphviz-lab" % (len(script["nodes"]), len(ours["nodes"])))
    for s, o in zip(script["nodes"], ours["nodes"]):
        name = o["display_name"]
        for key in ("name", "display_name", "kind", "op", "shape"):
            if s[key] != o[key]:
                problems.append("%s: %s is %r in the script, %r in graphviz-lab" % (name, key, s[key], o[key]))
        compare(name + " value", s["value"], o["value"])
        if o["kind"] != "op":
            compare_exact(name + " value", s["value"], o["value"])
        compare(name + " grad", s["grad"], o["grad"])
    if script["loss"] != ours["loss"]:
        problems.append("the loss is %r in the script, %r in graphviz-lab" % (script["loss"], ours["loss"]))
    compare("loss_value", script["loss_value"], ours["loss_value"])
    if len(sys.argv) > 3:
        train = json.load(open(sys.argv[3]))
        compare("lr", script.get("lr"), train["lr"])
        if len(script.get("steps", [])) != len(train["steps"]):
            problems.append("%d steps in the script, %d in graphviz-lab" % (len(script.get("steps", [])),
                                                                            len(train["steps"])))
        for s, t in zip(script.get("steps", []), train["steps"]):
            compare("step %d loss" % t["step"], s["loss"], t["loss"])
            for p, value in t["params"].items():
                compare("step %d %s" % (t["step"], p), s["params"].get(p), value)
    elif "steps" in script:
        problems.append("the script trains, but graphviz-lab does not")
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
