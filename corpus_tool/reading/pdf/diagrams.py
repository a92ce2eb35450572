"""Diagrams drawn as boxes joined by lines (mind maps, flow charts, organisation charts): each node's text
kept whole as a unit of its own.

A mind map sets its nodes' text in boxes side by side, so a row built by baseline runs across two nodes
and splices their labels into one word (``化学式；分`` + ``分子式`` → ``分分子式``). A diagram is found
from the drawing: closed shapes (rectangles, rounded boxes drawn as curves) that hold text are nodes
when connector strokes (a line or an open curve) run from one box's edge to another, separate box's
edge, and a connected group holds at least :data:`MIN_NODES` boxes with text. A shaded table's cells
touch each other and a lone text frame (a 专栏 box) connects to nothing, so neither is a diagram.
Each node's glyphs are taken out of the page before rows are built and laid out on their own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.disjoint import DisjointSets

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Point = tuple[float, float]

MIN_NODES = 3  # a diagram joins at least this many boxes holding text
MAX_SHARE = 0.3  # a shape over this share of the page is a frame or background, never a node
MIN_WIDE = 1.5  # a node box is at least this × the body size wide ...
MIN_TALL = 0.8  # ... and this × tall
TOUCH = 0.5  # a connector's end this × the body size or less from a box's edge touches it ...
APART = 0.5  # ... and the boxes it joins are at least this × the body size apart (a table's cells touch)


@dataclass(slots=True)
class Node:
    """One node of a diagram: its box and the glyphs inside it."""

    box: Box
    chars: list[Char]


def _contains(box: Box, x: float, y: float, tol: float = 0.0) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _gap(a: Box, b: Box) -> float:
    """Distance between two boxes (0 when they overlap or touch)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3], 0.0)


def _holds(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


class _Index:
    """The boxes (sorted smallest first) in horizontal strips, so a point is tested against the few boxes
    of its strip only: a page of table cells has hundreds of rectangles and thousands of glyphs."""

    def __init__(self, boxes: list[Box], strip: float) -> None:
        self.boxes, self.strip = boxes, strip
        self.strips: dict[int, list[int]] = defaultdict(list)
        for i, b in enumerate(boxes):
            for k in range(int(b[1] // strip) - 1, int(b[3] // strip) + 2):
                self.strips[k].append(i)  # in index order: the smallest first

    def innermost(self, x: float, y: float, tol: float = 0.0) -> int | None:
        """Index of the smallest box holding the point (within ``tol``)."""
        return next((i for i in self.strips.get(int(y // self.strip), ()) if _contains(self.boxes[i], x, y, tol)),
                    None)


def find_nodes(chars: list[Char], closed: list[Box], connectors: list[tuple[Point, Point]], page_area: float,
               body_size: float) -> list[Node]:
    """The nodes of the page's diagrams (in reading order, see :func:`_reading_order`), each with
    the glyphs whose centre lies in its box; none when no group of joined boxes holds enough text."""
    if not connectors or not closed or body_size <= 0:
        return []
    boxes = sorted({b for b in closed if b[2] - b[0] >= MIN_WIDE * body_size and b[3] - b[1] >= MIN_TALL * body_size
                    and _area(b) <= MAX_SHARE * page_area}, key=lambda b: (_area(b), b))
    if len(boxes) < MIN_NODES:
        return []
    index = _Index(boxes, 4 * body_size)
    held: dict[int, list[Char]] = defaultdict(list)
    for c in chars:
        if not c.space and (k := index.innermost((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2)) is not None:
            held[k].append(c)
    if len(held) < MIN_NODES:
        return []
    sets = DisjointSets(len(boxes))

    touch, apart = TOUCH * body_size, APART * body_size
    for a, b in connectors:
        i, j = index.innermost(*a, tol=touch), index.innermost(*b, tol=touch)
        if i is None or j is None or i == j or _gap(boxes[i], boxes[j]) < apart:
            continue  # a stroke inside one box (an underline, a chemical bond) or between touching cells
        sets.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in held:
        if not any(j != k and _holds(boxes[k], b) for j, b in enumerate(boxes[:k])):  # smaller boxes come first
            groups[sets.find(k)].append(k)  # a panel framing other boxes is no node: its loose text is labels
    nodes = [Node(boxes[k], held[k]) for group in groups.values() if len(group) >= MIN_NODES for k in group]
    return _reading_order(nodes, body_size)


def _reading_order(nodes: list[Node], body_size: float) -> list[Node]:
    """Top to bottom by the boxes' middles; boxes whose middles are level (within half a line) left to right,
    so a node's label comes before the description box beside it."""
    rows: list[list[Node]] = []
    for n in sorted(nodes, key=lambda n: ((n.box[1] + n.box[3]) / 2, n.box[0])):
        middle = (n.box[1] + n.box[3]) / 2
        if rows and middle - (rows[-1][0].box[1] + rows[-1][0].box[3]) / 2 <= 0.5 * body_size:
            rows[-1].append(n)
        else:
            rows.append([n])
    return [n for row in rows for n in sorted(row, key=lambda n: n.box[0])]


def closed_shapes(objects: list[dict]) -> list[Box]:
    """Boxes of the filled or closed shapes among the page's rectangles and curves (candidate node boxes)."""
    out = []
    for o in objects:
        kind = o.get("object_type")
        pts = o.get("pts") or []
        closed = kind == "rect" or bool(o.get("fill")) or (
            len(pts) > 2 and abs(pts[0][0] - pts[-1][0]) < 1 and abs(pts[0][1] - pts[-1][1]) < 1)
        if kind in ("rect", "curve") and closed:
            out.append((float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])))
    return out


def connector_ends(objects: list[dict]) -> list[tuple[Point, Point]]:
    """The two ends of each open stroke (a line, an unfilled open curve): what may join two nodes.

    Ends that do not lie on the shape's box are not trusted (a page turned upright moves the boxes only).
    """
    out = []
    for o in objects:
        kind = o.get("object_type")
        pts = o.get("pts") or []
        if kind not in ("line", "curve") or o.get("fill") or len(pts) < 2:
            continue
        (ax, ay), (bx, by) = pts[0], pts[-1]
        if abs(ax - bx) < 1 and abs(ay - by) < 1:
            continue  # a closed outline, not a connector
        box = float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])
        if _contains(box, ax, ay, 1.0) and _contains(box, bx, by, 1.0):
            out.append(((float(ax), float(ay)), (float(bx), float(by))))
    return out
