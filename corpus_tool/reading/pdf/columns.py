"""Rows → bands: full-width stretches of a page and stretches split into two columns.

Columns are found per region of the page, not once per page: a page may open with a full-width
block (title, abstract) and go on in two columns, or run a narrow sidebar beside its main text.
A gutter is an x that many rows leave free (no ink, or a wide gap there); the rows that
cross it (ink on it, or too little gap) cut the page into bands, and each band between them
that really has text on both sides of the gutter reads as two columns. Full-width bands are
searched again, so a page can have more than one gutter.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.rows import Row, median

GUTTER_ZONE = (0.15, 0.85)  # a gutter lies in this share of the text width
MIN_GAP = 0.8  # a gap in a row at least this × size wide may be (part of) a gutter
MIN_ROWS = 3  # a column band has at least this many rows on each side of its gutter ...
SIDE_BY_SIDE = 0.5  # ... whose vertical extents overlap by this share of the shorter one
MIN_SIDE_CHARS = 6  # median chars per row on each side: label/value pairs are not columns
MIN_SIDE_SHARE = 0.1  # each side holds at least this share of the band's chars
ALIGNED_SHARE = 0.5  # ... and at least this share of each side's lines starts at one left edge ...
INDENT = 2.5  # ... or up to this × size in from it (a first-line indent)
MAX_GAPPED = 0.5  # at most this share of a column's lines has a wide gap inside
SIDEBAR_RATIO = 0.6  # a column narrower than this × the other is a sidebar, read after the main one
GUTTER_SLACK = 0.1  # a gutter stretch: x left free by all but this share of the rows the best x is free in
CANDIDATES = 5  # gutter positions tried per stretch, best first
MAX_DEPTH = 2  # full-width bands searched again at most this deep


@dataclass(slots=True)
class Band:
    """Consecutive rows of a page; split at ``gutter`` into two columns when it is set."""

    rows: list[Row]
    gutter: float | None = None
    sidebar: str = ""  # "L" / "R": that column is a narrow sidebar ("" for two ordinary columns)


def _ink(row: Row) -> list[Char]:
    """The row's glyphs left to right, spaces included: a space glyph in a gap means the text runs on."""
    return sorted(row.chars, key=lambda c: c.x0)


def _cover(row: Row) -> list[tuple[float, float]]:
    """The x stretches the row's ink covers, gaps narrower than a gutter bridged."""
    out: list[tuple[float, float]] = []
    for c in _ink(row):
        if out and c.x0 - out[-1][1] < MIN_GAP * row.size:
            out[-1] = (out[-1][0], max(out[-1][1], c.x1))
        else:
            out.append((c.x0, c.x1))
    return out


def _candidates(rows: list[Row], width: float) -> list[float]:
    """Gutter positions, best first: middles of the x runs that the most rows leave free."""
    lo = max(min(r.x0 for r in rows), 0.0)
    hi = min(max(r.x1 for r in rows), width)  # text running off the page does not widen it
    z0, z1 = int(lo + GUTTER_ZONE[0] * (hi - lo)), int(lo + GUTTER_ZONE[1] * (hi - lo))
    if z1 <= z0:
        return []
    diff = [0] * (z1 - z0 + 2)
    for r in rows:
        for g0, g1 in _cover(r):
            a, b = max(int(g0), z0), min(int(g1) + 1, z1 + 1)
            if a < b:
                diff[a - z0] += 1
                diff[b - z0] -= 1
    free = [len(rows) - v for v in accumulate(diff)][: z1 - z0 + 1]
    out: list[float] = []
    while len(out) < CANDIDATES:
        peak = max(free)
        if peak < MIN_ROWS:
            break
        # the stretch around the best x that nearly as many rows leave free: hanging punctuation
        # and superscripts reach into a gutter here and there, its middle is still the gutter
        i = free.index(peak)
        a, b, floor = i, i + 1, peak - max(1, GUTTER_SLACK * peak)
        while a > 0 and free[a - 1] >= floor:
            a -= 1
        while b < len(free) and free[b] >= floor:
            b += 1
        out.append(z0 + (a + b) / 2)
        free[a:b] = [-1] * (b - a)
    return out


def _side(row: Row, x: float) -> str:
    """"X" when the row crosses ``x``, "B" when it has text on both sides of a wide gap there, else "L"/"R"."""
    left = right = False
    reach = -1e9
    first_right = 1e9
    for c in _ink(row):
        if c.x0 < x - 1 and c.x1 > x + 1:
            return "X"
        if (c.x0 + c.x1) / 2 < x:
            left, reach = True, max(reach, c.x1)
        else:
            right, first_right = True, min(first_right, c.x0)
    if left and right:
        return "B" if first_right - reach >= MIN_GAP * row.size else "X"
    return "L" if left else "R"


def split_row(row: Row, x: float) -> tuple[Row | None, Row | None]:
    """The row's chars left and right of ``x`` (by glyph centre) as rows of their own."""
    left = [c for c in row.chars if (c.x0 + c.x1) / 2 < x]
    right = [c for c in row.chars if (c.x0 + c.x1) / 2 >= x]

    def part(chars: list[Char]) -> Row | None:
        return Row(chars, row.base).measure() if any(not c.space for c in chars) else None

    return part(left), part(right)


def find_bands(rows: list[Row], width: float, depth: int = 0) -> list[Band]:
    """Cut ``rows`` (top to bottom) of a page ``width`` wide into full-width and two-column bands."""
    if len(rows) < MIN_ROWS:
        return [Band(rows)] if rows else []
    for x in _candidates(rows, width):
        bands = _bands_at(rows, x)
        if any(b.gutter is not None for b in bands):
            if depth >= MAX_DEPTH:
                return bands
            out: list[Band] = []
            for b in bands:
                out.extend(find_bands(b.rows, width, depth + 1) if b.gutter is None else [b])
            return out
    return [Band(rows)]


def split_at(rows: list[Row], like: Band) -> list[Band]:
    """``rows`` cut at the gutter of ``like`` without testing it again (a column's footnotes)."""
    out: list[Band] = []
    assert like.gutter is not None
    for r in rows:
        if _side(r, like.gutter) == "X":
            _add_full(out, r)
        elif out and out[-1].gutter is not None:
            out[-1].rows.append(r)
        else:
            out.append(Band([r], like.gutter, like.sidebar))
    return out


def _bands_at(rows: list[Row], x: float) -> list[Band]:
    sides = [_side(r, x) for r in rows]
    out: list[Band] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and sides[j] != "X":
            j += 1
        if j > i:
            i = _column_band(rows, sides, i, j, x, out)
        if j < len(rows):
            _add_full(out, rows[j])
        i = j + 1
    return out


def _column_band(rows: list[Row], sides: list[str], i: int, j: int, x: float, out: list[Band]) -> int:
    """Rows i..j-1 cross nothing: a column band if they qualify, else full-width rows."""
    # one-sided rows set right below a full-width row at its line spacing end that block
    while i < j and sides[i] != "B" and i > 0 and out and out[-1].gutter is None and _continues(rows[i - 1], rows[i]):
        _add_full(out, rows[i])
        i += 1
    band = rows[i:j]
    if band and _is_columns(band, x):
        out.append(Band(band, x, _sidebar(band, x)))
    else:
        for r in band:
            _add_full(out, r)
    return j


def _continues(above: Row, row: Row) -> bool:
    return abs(above.size - row.size) < 0.5 and row.top - above.bottom < 0.8 * row.size


def _add_full(out: list[Band], row: Row) -> None:
    if out and out[-1].gutter is None:
        out[-1].rows.append(row)
    else:
        out.append(Band([row]))


def _is_columns(band: list[Row], x: float) -> bool:
    """Text on both sides of ``x``: enough rows and chars each side, side by side (not one above the other)."""
    sides: dict[str, list[Row]] = {"L": [], "R": []}
    for r in band:
        for key, part in zip("LR", split_row(r, x), strict=True):
            if part is not None:
                sides[key].append(part)
    total = sum(_n_ink(p) for parts in sides.values() for p in parts)
    for parts in sides.values():
        counts = sorted(_n_ink(p) for p in parts)
        if len(parts) < MIN_ROWS or counts[len(counts) // 2] < MIN_SIDE_CHARS or sum(counts) < MIN_SIDE_SHARE * total:
            return False
        if not _aligned(parts):
            return False
    if any(sum(1 for p in parts if len(_cover(p)) > 1) > MAX_GAPPED * len(parts) for parts in sides.values()):
        return False  # a table: its rows are cells apart, a column's lines are runs of text
    (l0, l1), (r0, r1) = ((min(p.top for p in v), max(p.bottom for p in v)) for v in sides.values())
    return min(l1, r1) - max(l0, r0) >= SIDE_BY_SIDE * min(l1 - l0, r1 - r0)


def _aligned(parts: list[Row]) -> bool:
    """Most lines of a column start at its left edge (or one paragraph indent in): header items
    scattered over a line (journal name, volume, date) do not."""
    size = median([p.size for p in parts])
    starts = sorted(p.x0 for p in parts)
    best = max(sum(1 for x in starts if v - 0.5 * size <= x <= v + INDENT * size) for v in starts)
    return best >= ALIGNED_SHARE * len(parts)


def _n_ink(row: Row) -> int:
    return sum(1 for c in row.chars if not c.space)


def _sidebar(band: list[Row], x: float) -> str:
    """Which column is a narrow sidebar beside a wide main one, if either (measured on its usual line)."""
    parts = [split_row(r, x) for r in band]
    left = x - median([p[0].x0 for p in parts if p[0] is not None])
    right = median([p[1].x1 for p in parts if p[1] is not None]) - x
    if left < SIDEBAR_RATIO * right:
        return "L"
    if right < SIDEBAR_RATIO * left:
        return "R"
    return ""


BESIDE_MIN_ROWS = 2  # rows set beside a figure that go with the column next to them



def attach_beside_figures(bands: list[Band], images: list[tuple[float, float, float, float]]) -> list[Band]:
    """Rows set in one column beside a figure that takes the other column's width go with that column.

    A figure set across one column and part of the other leaves a narrow strip of text beside it;
    that stretch has text on one side of the gutter only, so it is read as a full-width band before
    (or after) the columns, and a sentence running from the other column into the strip is cut in
    two. When a full-width band ends (or, below columns, begins) with such rows, all on one side of
    the next band's gutter, in its body size, beside an image on the other side, they become the top
    (bottom) of that column. Smaller rows between them and the columns (the figure's caption) stay
    where they are: the block step sets captions aside.
    """
    out = list(bands)
    for k in range(len(out)):
        band = out[k]
        if band.gutter is not None:
            continue
        for step in (1, -1):
            j = k + step
            if not 0 <= j < len(out) or out[j].gutter is None:
                continue
            run = _beside_run(band.rows, out[j], images, from_end=step == 1)
            if run:
                ids = {id(r) for r in run}
                band.rows = [r for r in band.rows if id(r) not in ids]
                out[j].rows = sorted(out[j].rows + run, key=lambda r: r.top)
                break
    return [b for b in out if b.rows]


def _beside_run(rows: list[Row], columns: Band, images: list[tuple[float, float, float, float]],
                from_end: bool) -> list[Row]:
    """The one-sided rows at the end (start) of ``rows`` next to ``columns``, if they are set beside a figure."""
    x = columns.gutter
    assert x is not None
    size = median([r.size for r in columns.rows])
    seq = rows[::-1] if from_end else rows
    i = 0
    while i < len(seq) and seq[i].size < size - 0.3 and _side(seq[i], x) == "X":
        i += 1  # a caption between the strip and the columns
    if i == len(seq) or _side(seq[i], x) not in ("L", "R"):
        return []
    side = _side(seq[i], x)
    figure = next((im for im in images if _beside(seq[i], im, x, side)), None)
    if figure is None:
        return []
    run: list[Row] = []
    for r in seq[i:]:  # body lines and headings (set larger) beside the same figure
        if _side(r, x) != side or r.size < size - 0.5 or not _beside(r, figure, x, side):
            break
        run.append(r)
    if sum(1 for r in run if abs(r.size - size) <= 0.5) < BESIDE_MIN_ROWS:
        return []
    return run[::-1] if from_end else run


def _beside(row: Row, image: tuple[float, float, float, float], x: float, side: str) -> bool:
    """The row lies beside ``image``: within its height, the image on the other side of the gutter or across it."""
    x0, y0, x1, y1 = image
    mid = (row.top + row.bottom) / 2
    across = x0 < x < x1 or (x1 <= x + row.size if side == "R" else x0 >= x - row.size)
    clear = row.x0 >= x1 - row.size if side == "R" else row.x1 <= x0 + row.size
    return across and clear and y0 - row.size <= mid <= y1 + row.size
