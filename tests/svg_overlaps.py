#!/usr/bin/env python3
"""Counts what covers what in an SVG that graphviz-lab drew.

Usage: svg_overlaps.py FILE.svg

Prints three numbers: pairs of node boxes that overlap, edge labels whose
text overlaps a node box, and the number of edge labels.  A node box is
the bounding box of the shapes in a <g class="node"> group (the legend
included); an edge label is a <text> of a <g class="edge"> group, its box
estimated from the font size (0.6 em a character, which is wider than
Helvetica's digits and letters, so the estimate errs towards an overlap).
Graphviz draws y upwards inside a translate(), which is the same for
every element, so the raw coordinates are compared."""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def points_of(el):
    """Every coordinate pair of a polygon, polyline, path or ellipse."""
    tag = el.tag[len(NS):]
    if tag in ("polygon", "polyline"):
        nums = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", el.get("points", ""))]
    elif tag == "path":
        nums = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", el.get("d", ""))]
    elif tag == "ellipse":
        cx, cy = float(el.get("cx")), float(el.get("cy"))
        rx, ry = float(el.get("rx")), float(el.get("ry"))
        nums = [cx - rx, cy - ry, cx + rx, cy + ry]
    else:
        return []
    return list(zip(nums[0::2], nums[1::2]))


def box_of(group):
    pts = [p for el in group.iter() for p in points_of(el)]
    if not pts:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def text_box(t):
    x, y = float(t.get("x")), float(t.get("y"))
    size = float(t.get("font-size", "10"))
    width = 0.6 * size * len("".join(t.itertext()))
    anchor = t.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return (left, y - 0.8 * size, left + width, y + 0.2 * size)


def meet(a, b, margin=0.0):
    return a[0] < b[2] - margin and b[0] < a[2] - margin and a[1] < b[3] - margin and b[1] < a[3] - margin


def main():
    root = ET.parse(sys.argv[1]).getroot()
    nodes, labels = [], []
    for g in root.iter(NS + "g"):
        cls = g.get("class")
        if cls == "node":
            b = box_of(g)
            if b:
                nodes.append(b)
        elif cls == "edge":
            labels.extend(text_box(t) for t in g.iter(NS + "text"))
    # a pair of boxes that share only a border line is not an overlap
    node_pairs = sum(1 for i in range(len(nodes)) for j in range(i + 1, len(nodes)) if meet(nodes[i], nodes[j], 0.5))
    covered = sum(1 for lb in labels if any(meet(lb, nb) for nb in nodes))
    print(node_pairs, covered, len(labels))


if __name__ == "__main__":
    main()
