"""Figure labels: short text drawn inside or beside a figure, taken out of the prose rows.

A flow chart's or mind map's node (``方程式`` in a rounded box), or a credit set beside a picture
(``孙东明制图`` down its edge), shares a baseline with the body text next to it, so a row built by
baseline glues it into a sentence (``是用化学式来描述方程式各种物质之间``). A row is cut at gaps that
are wide for the page's body size and wide against the row's own spacing (a letter-spaced heading,
``中 华 人 民 共 和 国``, or a justified line has every gap alike and is never cut); a short piece is a
figure label when a small drawn shape frames it (a cut piece only: a heading on a coloured bar is a
row of its own) or when it lies on or at the edge of an image that is not the page's background.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.diagrams import Point, closed_shapes, connector_ends
from corpus_tool.reading.pdf.rows import Row, median

CUT_GAP = 3.0  # a gap inside a row at least this × the body size may separate a label (a run-in label,
# 核心提示 on a tab before an abstract, is set closer) ...
REGULAR = 3.0  # ... when it is this × wider than the row's usual gap between glyphs
MAX_LABEL = 12  # a label has at most this many glyphs
FRAME_HEIGHT = 4.0  # a shape framing a label (a node box) is at most this × its size tall
NEAR_IMAGE = 1.0  # a label this × size or less from an image's edge belongs to it ...
MIN_FIGURE = 6.0  # ... an image at least this × its size wide and tall (not an icon or a logo)
MAX_IMAGE_SHARE = 0.5  # an image over this share of the page is a background, not a figure
HEADING_SIZE = 1.2  # the page's largest text, when this × the body size or larger, is its title: never a label

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(slots=True)
class Graphics:
    """The page's drawn shapes (rectangles and curves) and images, as boxes; its closed shapes and the
    ends of its open strokes, for the diagrams (:mod:`.diagrams`)."""

    shapes: list[Box]
    images: list[Box]
    closed: list[Box] = field(default_factory=list)
    connectors: list[tuple[Point, Point]] = field(default_factory=list)
    area: float = 0.0

    @classmethod
    def of(cls, drawn: list[dict], images: list[dict], width: float, height: float) -> Graphics:
        """``drawn``: the page's lines, rectangles and curves."""
        page = width * height
        return cls(
            [_box(o) for o in drawn if o.get("object_type") != "line"],
            [b for b in map(_box, images) if (b[2] - b[0]) * (b[3] - b[1]) <= MAX_IMAGE_SHARE * page],
            closed_shapes(drawn),
            connector_ends(drawn),
            page,
        )


def _box(o: dict) -> Box:
    return float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])


def pieces(row: Row, body_size: float) -> list[list[Char]]:
    """The row's glyphs left to right, cut at gaps wide for the body size and for the row's own spacing."""
    ink = sorted((c for c in row.chars if not c.space), key=lambda c: c.x0)
    if len(ink) < 2:
        return [ink]
    gaps = [c.x0 - p.x1 for p, c in pairwise(ink)]
    usual = max(median(gaps), 0.1 * body_size)
    cut = max(CUT_GAP * body_size, REGULAR * usual)
    out = [[ink[0]]]
    for c, gap in zip(ink[1:], gaps, strict=True):
        if gap >= cut:
            out.append([])
        out[-1].append(c)
    return out


def extent(chars: list[Char]) -> Box:
    return min(c.x0 for c in chars), min(c.top for c in chars), max(c.x1 for c in chars), max(c.bottom for c in chars)


def without(row: Row, taken: set[int]) -> Row | None:
    """``row`` less the chars whose ids are in ``taken``, measured again; None when only spaces are left."""
    rest = [c for c in row.chars if id(c) not in taken]
    if not any(not c.space for c in rest):
        return None
    row.chars = rest
    return row.measure()


def _framed(box: Box, size: float, shapes: list[Box], others: list[Box]) -> bool:
    """A shape at most a few lines tall holds the piece and none of the row's other pieces (a node box)."""
    x0, top, x1, bottom = box
    tol = 0.2 * size
    for s0, stop, s1, sbottom in shapes:
        if (
            s0 <= x0 + tol and s1 >= x1 - tol and stop <= top + tol and sbottom >= bottom - tol
            and sbottom - stop <= FRAME_HEIGHT * size
            and not any(s0 <= (o[0] + o[2]) / 2 <= s1 for o in others)
        ):
            return True
    return False


def _on_image(box: Box, size: float, images: list[Box], beside: bool) -> bool:
    """The box lies on an image, or (``beside``: a row of its own) at most a little off its edge."""
    x0, top, x1, bottom = box
    cy, near = (top + bottom) / 2, NEAR_IMAGE * size if beside else -0.5 * (x1 - x0)
    big = MIN_FIGURE * size
    return any(
        i0 - near <= x1 and x0 <= i1 + near and itop <= cy <= ibottom and i1 - i0 >= big and ibottom - itop >= big
        for i0, itop, i1, ibottom in images
    )


def _n_ink(row: Row) -> int:
    return sum(1 for c in row.chars if not c.space)


def _inside(row: Row, im: Box) -> bool:
    cx, cy = (row.x0 + row.x1) / 2, (row.top + row.bottom) / 2
    return im[0] <= cx <= im[2] and im[1] <= cy <= im[3]


def take_figure_labels(rows: list[Row], graphics: Graphics, body_size: float) -> tuple[list[Row], list[str]]:
    """Take figure labels out of ``rows``; return the rows left (re-measured) and the labels' text."""
    if not graphics.shapes and not graphics.images:
        return rows, []
    # an image with a line of running text on it is a background or a scanned strip, not a figure
    images = [im for im in graphics.images if not any(_n_ink(r) > MAX_LABEL and _inside(r, im) for r in rows)]
    kept: list[Row] = []
    labels: list[str] = []
    title_size = max(HEADING_SIZE * body_size, 0.95 * max((c.size for r in rows for c in r.chars if not c.space),
                                                            default=0.0))
    for row in rows:
        parts = pieces(row, body_size)
        out: set[int] = set()
        apart: list[list[Char]] = []
        boxes = [extent(part) for part in parts]
        for k, part in enumerate(parts):
            if len(part) > MAX_LABEL:
                continue
            box, size = boxes[k], median([c.size for c in part])
            others = boxes[:k] + boxes[k + 1:]
            if size >= title_size:  # a title in a framed box (a mind map's root) is the page's title, not a
                if others:  # label: a row of its own, never glued to the text beside it
                    apart.append(part)
                    out.update(id(c) for c in part)
                continue
            if box[2] - box[0] > (len(part) + 2) * size:
                continue  # spread out: a line whose other glyphs went elsewhere (a second font's run), not a label
            if (others and _framed(box, size, graphics.shapes, others)) or _on_image(
                    box, size, images, beside=not others):
                out.update(id(c) for c in part)
                labels.append("".join(c.text for c in part))
        if not out:
            kept.append(row)
            continue
        left = without(row, out)
        if left is not None:
            kept.append(left)
        kept.extend(Row(part, row.base, alone=True).measure() for part in apart)
    return kept, labels
