"""Vector-drawn charts: their tick values, axis titles and legends taken out of the prose rows.

A plot drawn with lines and curves (no image) carries text the row builder cannot tell from the body:
a tick value shares a baseline with the next column's sentence (``保持一定的队形，通25``), and an
axis's numbers become paragraphs of their own (``百35,891``, ``( 40,000``). A chart is found from the
drawing itself: the page's lines, rectangles and curves are joined into clusters by nearness, and a
cluster is a chart when it holds an axis (three or more short ticks stacked on one line) or many
curves and slanted strokes (a plot's segments, a diagram's arrows). A table's grid of rulings holds
neither (and the ruled tables the finder claimed are passed in and left out); shapes that cross a
line of prose (a watermark, a paragraph's frame or shading, an underline) join no cluster, and a
cluster with more prose across it than labels around it (emphasis dots, drawn bullets) is no chart.
Inside a chart's box every piece of a row is a label, except prose (a long piece in the body size)
and captions; around it, label-like pieces (tick values and units, a lone character, short text set
smaller than the body) that hug the box are labels too, and the box grows by them so that an axis
title beside the tick values is reached. Text larger than the body (a title) is never a label.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.disjoint import DisjointSets
from corpus_tool.reading.pdf.figures import MAX_LABEL, Box, extent, pieces, without
from corpus_tool.reading.pdf.rows import Row, median

TICK = 0.6  # a tick mark is a straight stroke at most this × the body size long ...
MIN_TICK = 1.0  # ... and at least this long in points (a table's junction dots are smaller)
THIN = 1.0  # a stroke or rectangle at most this thick (points) is a line
MIN_TICKS = 3  # an axis: this many parallel ticks side by side on one line
MIN_STROKES = 8  # ... or a diagram: this many curves and slanted lines
NEAR = 1.0  # shapes this × the body size apart or closer belong to one drawing
MIN_SIDE = 4.0  # a chart's box is at least this × the body size wide and tall
BAND = 0.08  # shapes wholly in this share of the page at top or bottom are running-head rules
MAX_SHARE = 0.3  # a shape over this share of the page is a page frame or background
MAX_SHAPES = 20000  # a page with more shapes is a map or an engraving: no chart is looked for
HUG = 2.0  # a label-like piece this × its size or less from a chart's box belongs to it
SMALL = 0.9  # text below this × the body size is set smaller than the body (a chart's own type)
LARGE = 1.2  # text above this × the body size is a title, never a label
GROW_PASSES = 3  # the box grows by the labels found around it this many times at most
# rows opening like a caption (图4 …, and 图8为… too) are never taken apart: looser than headings.is_caption
CAPTION = re.compile(r"\s*(?:图|表|圖|Fig(?:ure)?\.?|Table)\s*[0-9０-９]", re.IGNORECASE)
_NUMERIC = re.compile(r"[\d\s.,:%+\-−–/()（）×^*]+")  # tick values: 0 2 4 6, 35,891, -1.00%, (%)


@dataclass(slots=True)
class Drawing:
    """The page's drawn lines, rectangles and curves (outside its ruled tables and running heads), as boxes;
    ``slanted`` marks the curves and the lines that are neither across nor down."""

    boxes: list[Box]
    slanted: list[bool]

    @classmethod
    def of(cls, objects: list[dict], tables: list[Box], width: float, height: float) -> Drawing:
        boxes, slanted = [], []
        if len(objects) > MAX_SHAPES:
            return cls(boxes, slanted)
        top_band, bottom_band, page = BAND * height, (1 - BAND) * height, width * height
        for o in objects:
            b = float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            if (b[3] <= top_band or b[1] >= bottom_band or (b[2] - b[0]) * (b[3] - b[1]) > MAX_SHARE * page
                    or any(t[0] <= cx <= t[2] and t[1] <= cy <= t[3] for t in tables)):
                continue
            boxes.append(b)
            kind, w, h = o.get("object_type"), b[2] - b[0], b[3] - b[1]
            slanted.append(kind == "curve" or (kind == "line" and w > THIN and h > THIN))
        return cls(boxes, slanted)


def _has_axis(boxes: list[Box], body_size: float) -> bool:
    """At least :data:`MIN_TICKS` short strokes stacked on one vertical (a y axis's ticks, across) or
    side by side on one horizontal (an x axis's, down). A dashed line's dashes lie along it, not across."""
    longest = TICK * body_size
    across: dict[int, set[int]] = defaultdict(set)
    down: dict[int, set[int]] = defaultdict(set)
    for x0, top, x1, bottom in boxes:
        w, h = x1 - x0, bottom - top
        if h <= THIN and MIN_TICK <= w <= longest:
            for key in (round(x0), round(x1)):  # ticks outside or inside the axis line
                across[key].add(round(top))
        elif w <= THIN and MIN_TICK <= h <= longest:
            for key in (round(top), round(bottom)):
                down[key].add(round(x0))
    return any(len(v) >= MIN_TICKS for v in (*across.values(), *down.values()))


def _over_prose(boxes: list[Box], prose: list[Box]) -> list[bool]:
    """Which shapes cross a line of prose: a watermark, a paragraph's frame or shading, an underline."""
    if not prose:
        return [False] * len(boxes)
    prose = sorted(prose, key=lambda b: b[1])
    tops = [b[1] for b in prose]
    tallest = max(b[3] - b[1] for b in prose)
    out = []
    for x0, top, x1, bottom in boxes:
        lo, hi = bisect_left(tops, top - tallest), bisect_right(tops, bottom)
        out.append(any(x0 < p[2] - 1 and p[0] + 1 < x1 and top < p[3] - 1 and p[1] + 1 < bottom
                       for p in prose[lo:hi]))
    return out


def chart_boxes(drawing: Drawing, body_size: float, prose: list[Box] | None = None) -> list[Box]:
    """Boxes of the page's charts and diagrams: clusters of shapes, each within :data:`NEAR` of another,
    that hold an axis (ticks) or many curves and slanted lines (a grid of rulings holds neither).
    Shapes that cross a line of ``prose`` belong to no chart (a watermark would join a chart to the
    text around it).

    Shapes are hashed into a grid of cells as wide as the joining distance, so a page of thousands of
    curve segments costs one pass over them.
    """
    crossing = _over_prose(drawing.boxes, prose or [])
    keep = [i for i, c in enumerate(crossing) if not c]
    boxes = [drawing.boxes[i] for i in keep]
    slanted = [drawing.slanted[i] for i in keep]
    if not boxes:
        return []
    near = NEAR * body_size
    sets = DisjointSets(len(boxes))

    cells: dict[tuple[int, int], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        # a shape takes the cells its box, widened by half the joining distance, touches
        for gx in range(int((x0 - near / 2) // near), int((x1 + near / 2) // near) + 1):
            for gy in range(int((top - near / 2) // near), int((bottom + near / 2) // near) + 1):
                j = cells.setdefault((gx, gy), i)
                if j != i:
                    sets.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(boxes)):
        groups[sets.find(i)].append(i)
    side = MIN_SIDE * body_size
    out = []
    for group in groups.values():
        members = [boxes[i] for i in group]
        box = (min(b[0] for b in members), min(b[1] for b in members),
               max(b[2] for b in members), max(b[3] for b in members))
        if box[2] - box[0] < side or box[3] - box[1] < side:
            continue
        if sum(slanted[i] for i in group) >= MIN_STROKES or _has_axis(members, body_size):
            out.append(box)
    return sorted(out, key=lambda b: (b[1], b[0]))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _gap(a: Box, b: Box) -> float:
    """Distance between two boxes (0 when they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3], 0.0)


def _inside(a: Box, box: Box, tol: float) -> bool:
    return a[0] >= box[0] - tol and a[2] <= box[2] + tol and a[1] >= box[1] - tol and a[3] <= box[3] + tol


@dataclass(slots=True)
class _Piece:
    row: int
    chars: list[Char]
    box: Box
    size: float
    text: str
    prose: bool  # a long piece in the body size: a sentence, even inside a box
    label_like: bool  # short and numeric, a lone character, or set smaller than the body


def _pieces(rows: list[Row], body_size: float) -> list[_Piece]:
    out = []
    for k, row in enumerate(rows):
        parts = [p for p in pieces(row, body_size) if p]
        if not parts or CAPTION.match("".join(c.text for c in parts[0])):
            continue  # a caption row (图4 …) stays whole, whatever its pieces
        for part in parts:
            size = median([c.size for c in part])
            if size > LARGE * body_size:
                continue
            text = "".join(c.text for c in part)
            small = size < SMALL * body_size
            few = sum(map(_is_cjk, text)) <= 1
            short = len(part) <= MAX_LABEL
            out.append(_Piece(k, part, extent(part), size, text, prose=not short and not small,
                              label_like=(short and (small or few)) or (few and bool(_NUMERIC.fullmatch(text)))))
    return out


def take_chart_labels(rows: list[Row], drawing: Drawing,
                      body_size: float) -> tuple[list[Row], list[str], list[Box]]:
    """Take the labels of vector-drawn charts out of ``rows``; return the rows left, the labels' text and
    the charts' boxes."""
    if not drawing.boxes:
        return rows, [], []
    candidates = _pieces(rows, body_size)
    charts = chart_boxes(drawing, body_size, [p.box for p in candidates if p.prose])
    taken: dict[int, _Piece] = {}
    boxes: list[Box] = []
    for chart in charts:
        free = [p for p in candidates if id(p) not in taken]
        inside = [p for p in free if _inside(p.box, chart, 0.5 * p.size)]
        found = {id(p): p for p in inside if not p.prose}
        box = chart
        for _ in range(GROW_PASSES):
            for p in found.values():
                box = min(box[0], p.box[0]), min(box[1], p.box[1]), max(box[2], p.box[2]), max(box[3], p.box[3])
            near = [p for p in free if p.label_like and id(p) not in found and _gap(p.box, box) <= HUG * p.size]
            if not near:
                break
            found.update((id(p), p) for p in near)
        crossing = [p for p in free if p.prose and _gap(p.box, chart) == 0]
        if sum(len(p.chars) for p in crossing) > sum(len(p.chars) for p in found.values()):
            continue  # mostly prose on or across the drawing (emphasis dots, bullets): a text box, not a chart
        taken.update(found)
        boxes.append(box)
    if not taken:
        return rows, [], []
    out = {id(c) for p in taken.values() for c in p.chars}
    kept = []
    for row in rows:
        if not any(id(c) in out for c in row.chars):
            kept.append(row)
            continue
        left = without(row, out)
        if left is not None:
            kept.append(left)
    labels = [p.text for p in sorted(taken.values(), key=lambda p: (p.box[1], p.box[0]))]
    return kept, labels, boxes


def outside(rules: list[tuple[float, float, float]], boxes: list[Box]) -> list[tuple[float, float, float]]:
    """The rules (x0, x1, y) that are not a chart's gridline or axis."""
    return [r for r in rules if not any(b[0] - 1 <= r[0] and r[1] <= b[2] + 1 and b[1] - 1 <= r[2] <= b[3] + 1
                                        for b in boxes)]
