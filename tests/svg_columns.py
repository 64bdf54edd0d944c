#!/usr/bin/env python3
"""Checks a diagram that graphviz-lab drew in columns (render_plan.c).

Usage: svg_columns.py FILE.svg EVAL.json

EVAL.json is `graphviz-lab eval FILE --json` of the same graph: node I of
its "nodes" is the box titled nI in the SVG, and its "call" names the call
whose cluster must hold it.  Prints one line of counts:

  nodes N missing M twice T ghosts G misplaced P clusters C broken B width W height H

missing/twice: nodes of the graph drawn no time or more than once (a
leaf drawn beside each of its uses, as nU_I, counts as drawn);
ghosts: the dashed stand-ins (titled nU_cK or nU_cK_I) for a node drawn in
an earlier column; misplaced: stand-ins not to the right of their node;
broken: clusters that do not hold every node of their call (a call cut
between two columns)."""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def box_of(group):
    nums = []
    for el in group.iter():
        tag = el.tag[len(NS):]
        if tag in ("polygon", "polyline"):
            nums += [float(v) for v in re.findall(r"-?[\d.]+", el.get("points", ""))]
        elif tag == "path":
            nums += [float(v) for v in re.findall(r"-?[\d.]+", el.get("d", ""))]
    if not nums:
        return None
    xs, ys = nums[0::2], nums[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


def main():
    root = ET.parse(sys.argv[1]).getroot()
    nodes = json.load(open(sys.argv[2]))["nodes"]
    drawn, copies, ghosts, clusters = {}, {}, [], {}
    for g in root.iter(NS + "g"):
        title = g.find(NS + "title")
        if title is None:
            continue
        name, cls, box = title.text, g.get("class"), box_of(g)
        if cls == "node" and box:
            m = re.fullmatch(r"n(\d+)", name)
            if m:
                drawn.setdefault(int(m.group(1)), []).append(box)
            m = re.fullmatch(r"n(\d+)_(\d+)", name)
            if m:
                copies.setdefault(int(m.group(1)), []).append(box)
            m = re.fullmatch(r"n(\d+)_c(\d+)(?:_\d+)?", name)
            if m:
                ghosts.append((int(m.group(1)), box))
        elif cls == "cluster" and box:
            label = "".join("".join(t.itertext()) for t in g.iter(NS + "text"))
            clusters[label.split(": ", 1)[-1]] = box
    missing = sum(1 for i in range(len(nodes)) if i not in drawn and i not in copies)
    twice = sum(1 for b in drawn.values() if len(b) > 1)
    centre = lambda b: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    # a leaf drawn beside each use (nU_I) stands at its leftmost copy
    first_x = lambda u: min(centre(b)[0] for b in drawn.get(u, []) + copies.get(u, []))
    misplaced = sum(1 for u, b in ghosts if (u not in drawn and u not in copies) or centre(b)[0] <= first_x(u))
    broken = 0
    for name, cb in clusters.items():
        for i, n in enumerate(nodes):
            if n.get("call") != name or i not in drawn:
                continue
            x, y = centre(drawn[i][0])
            if not (cb[0] <= x <= cb[2] and cb[1] <= y <= cb[3]):
                broken += 1
                break
    vb = [float(v) for v in root.get("viewBox").split()]
    print("nodes %d missing %d twice %d ghosts %d misplaced %d clusters %d broken %d width %d height %d"
          % (len(nodes), missing, twice, len(ghosts), misplaced, len(clusters), broken, vb[2], vb[3]))


if __name__ == "__main__":
    main()
