"""Vertical pages (直排): columns top to bottom, read right to left, as the lines the block step takes.

A page is vertical when its glyphs, in the order the content stream draws them, mostly step
downwards at a nearly constant x, and the glyphs of a column sit closer together than the columns
do. Geometry decides, not the font: pdfminer reports a glyph of a vertical-mode font (``Identity-V``,
WMode 1) as ``upright`` with a bbox that advances downwards, a rotated ``@font`` glyph (Word's vertical
text boxes) as not ``upright`` with the same page-space box, and LuaTeX/XeTeX set ordinary horizontal
glyphs one below the other. All three look alike here.

Each column becomes one :class:`~corpus_tool.reading.pdf.layout.Line` in region ``"C"``, in a frame
turned a quarter turn so that the block step reads it unchanged: the line's ``x0``/``x1`` run down
the column (a paragraph's first column starts lower: an indent), its ``top``/``bottom`` run from the
right edge of the page to the left (the next column is the next line), and the page's width and
height swap. A column is cut where a gap of several em leaves it (a running title and its page
number in one margin column).

Two-line interlinear notes (割注 / 夹注): where a column holds two half-width runs of small type side
by side, the right half is read before the left, and the note is kept inline in the column's text
between full-width parentheses ``（…）``, the usual way such notes are printed in horizontal
editions, so the note stays where it belongs and can still be told apart from the main text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from corpus_tool.reading.pdf.chars import Char, font_family, is_bad_char
from corpus_tool.reading.pdf.layout import Line, PageText

MIN_GLYPHS = 12  # fewer visible glyphs than this: too little to tell the direction
DOWN_SHARE = 0.6  # share of consecutive glyph pairs that must step down one column
STEP_X = 0.8  # a downward step stays within this × size of the previous glyph's centre ...
STEP_Y = (0.3, 3.0)  # ... and moves down by this many × size (less: same glyph cell; more: a gap)
X_OVERLAP = 0.3  # runs overlapping by this share of the narrower one are in one column
CUT_GAP = 3.0  # a gap of this many × size inside a column cuts it into two lines
SPACE_GAP = 1.0  # a gap of this many × size between two glyphs of a column reads as a space
NOTE_SIZE = 0.8  # an interlinear note's type is below this × the column's main size
NOTE_OPEN, NOTE_CLOSE = "（", "）"


@dataclass(slots=True)
class _Run:
    """Glyphs drawn one below the other, in stream order: a column or a piece of one."""

    glyphs: list[Char] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        return _median([g.size for g in self.glyphs])

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def _glyphs(raw: list[dict[str, Any]]) -> list[Char]:
    """All glyphs, upright or not (a rotated ``@font`` glyph has the same page-space box)."""
    out = []
    for c in raw:
        text = c.get("text", "")
        if not text:
            continue
        # the size across the column: a rotated glyph's font size lies along the page's y axis
        size = c["size"] if c.get("upright", True) else c["x1"] - c["x0"]
        out.append(
            Char(
                text,
                c["x0"],
                c["x1"],
                c["top"],
                c["bottom"],
                size or 1.0,
                font_family(c.get("fontname", "")),
                c["bottom"],
                space=text.isspace(),
            )
        )
    return out


def _steps_down(a: Char, b: Char) -> bool:
    em = max(a.size, b.size)
    dy = b.top - a.top
    return abs((b.x0 + b.x1) / 2 - (a.x0 + a.x1) / 2) <= STEP_X * em and STEP_Y[0] * em <= dy <= STEP_Y[1] * em


def _steps_right(a: Char, b: Char) -> bool:
    em = max(a.size, b.size)
    return abs(b.top - a.top) < STEP_Y[0] * em and 0 < b.x0 - a.x0 <= 3 * em


def down_share(raw: list[dict[str, Any]]) -> float:
    """Share of consecutive visible glyph pairs (stream order) that step down one column.

    Read straight from pdfplumber's char dicts: every page goes through this test, and a
    horizontal page (a share near 0) is done with it before any glyph is copied.
    """
    prev: tuple[float, float, float] | None = None
    pairs = down = 0
    for c in raw:
        text = c.get("text", "")
        if not text or text.isspace():
            continue
        size = c["size"] if c.get("upright", True) else c["x1"] - c["x0"]
        cx, top = (c["x0"] + c["x1"]) / 2, c["top"]
        if prev is not None:
            pairs += 1
            em = max(size, prev[2])
            down += abs(cx - prev[0]) <= STEP_X * em and STEP_Y[0] * em <= top - prev[1] <= STEP_Y[1] * em
        prev = (cx, top, size)
    return down / pairs if pairs else 0.0


def is_vertical(raw: list[dict[str, Any]]) -> bool:
    """Whether a page's glyphs are set in vertical columns (see the module docstring)."""
    if down_share(raw) < DOWN_SHARE:
        return False
    ink = [g for g in _glyphs(raw) if not g.space]
    return len(ink) >= MIN_GLYPHS and _vertical(ink)


def _vertical(ink: list[Char]) -> bool:
    pairs = list(pairwise(ink))
    down = sum(1 for a, b in pairs if _steps_down(a, b))
    right = sum(1 for a, b in pairs if _steps_right(a, b))
    if down < DOWN_SHARE * len(pairs) or down < 3 * right:
        return False
    # order-free check: glyphs of a column are closer together than the columns (a horizontal page
    # drawn column-wise would have its line leading inside the "columns" and no gap between them)
    columns = _columns(_runs(ink))
    inner = [b.top - a.bottom for col in columns for run in col for a, b in pairwise(run.glyphs)]
    cores = sorted((_core(col) for col in columns if sum(len(r.glyphs) for r in col) >= 3), key=lambda c: -c[0])
    between = [right[0] - left[1] for right, left in pairwise(cores)]
    between = [g for g in between if g > 0]  # from a column's left edge to the right edge of the next
    if not inner or not between:
        return len(columns) == 1 and bool(inner)  # a single column: the downward stream decides
    return _median(inner) < _median(between)


def _runs(ink: list[Char]) -> list[_Run]:
    """Stream-order runs of downward steps; a change of glyph width (a half-width note) starts a new one."""
    runs: list[_Run] = []
    for g in ink:
        if runs and _steps_down(last := runs[-1].glyphs[-1], g) and _same_width(last, g):
            runs[-1].glyphs.append(g)
        else:
            runs.append(_Run([g]))
    return runs


def _same_width(a: Char, b: Char) -> bool:
    wa, wb = a.x1 - a.x0, b.x1 - b.x0
    return abs(wa - wb) <= (1 - NOTE_SIZE) * max(wa, wb)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _core(col: list[_Run]) -> tuple[float, float]:
    """A column's x extent from its glyphs' median edges (corner punctuation sticks out)."""
    glyphs = [g for r in col for g in r.glyphs]
    return _median([g.x0 for g in glyphs]), _median([g.x1 for g in glyphs])


def _columns(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped into columns by x overlap, right to left.

    The widest runs (then the longest) anchor the columns, so the two halves of an interlinear
    note join the column they sit in instead of starting two of their own; an anchor comes first.
    """
    columns: list[list[_Run]] = []
    anchors: list[tuple[float, float]] = []
    for run in sorted(runs, key=lambda r: (-round(_core([r])[1] - _core([r])[0]), -len(r.glyphs), -r.cx)):
        x0, x1 = run.x0, run.x1
        for i, (a0, a1) in enumerate(anchors):
            if _overlap(x0, x1, a0, a1) >= X_OVERLAP * min(x1 - x0, a1 - a0):
                columns[i].append(run)
                break
        else:
            columns.append([run])
            anchors.append((x0, x1))
    order = sorted(range(len(columns)), key=lambda i: -(anchors[i][0] + anchors[i][1]))
    return [columns[i] for i in order]


@dataclass(slots=True)
class _Piece:
    """A stretch of a column in reading order; ``note`` when it is a two-line interlinear note."""

    glyphs: list[Char]
    note: bool = False


def _read_column(col: list[_Run], rank: dict[int, int]) -> list[_Piece]:
    """A column's glyphs in reading order: bands top to bottom, side-by-side runs right to left."""
    main = col[0].size  # the anchor run's
    bands: list[list[_Run]] = []
    for run in sorted(col, key=lambda r: r.top):
        if bands and run.top < max(r.bottom for r in bands[-1]) - STEP_Y[0] * run.size:
            bands[-1].append(run)
        else:
            bands.append([run])
    pieces: list[_Piece] = []
    for band in bands:
        subs: list[list[Char]] = []
        # the longest run hosts the fragments drawn over it; side-by-side runs stay apart
        for run in sorted(band, key=lambda r: (-len(r.glyphs), -r.cx)):
            host = next(
                (s for s in subs if _overlap(run.x0, run.x1, _x0(s), _x1(s)) >= X_OVERLAP * (run.x1 - run.x0)),
                None,
            )
            if host is None:
                subs.append(list(run.glyphs))
            else:
                _merge(host, run.glyphs, rank)
        subs.sort(key=lambda s: -(_x0(s) + _x1(s)))
        small = all(_median([g.size for g in s]) < NOTE_SIZE * main for s in subs)
        if len(subs) >= 2 and small:
            pieces.append(_Piece([g for s in subs for g in s], note=True))
        else:
            pieces.extend(_Piece(s) for s in subs)
    return pieces


def _x0(glyphs: list[Char]) -> float:
    return min(g.x0 for g in glyphs)


def _x1(glyphs: list[Char]) -> float:
    return max(g.x1 for g in glyphs)


def _merge(host: list[Char], glyphs: list[Char], rank: dict[int, int]) -> None:
    """Put glyphs drawn apart (a corner mark, a marker drawn later) where they stand in the column.

    Glyphs go top to bottom; two glyphs sharing most of one cell keep the order they were drawn
    in: a stop hung in the cell of the bracket before it (``〕。``) sits slightly above its top.
    """
    merged = sorted([*host, *glyphs], key=lambda g: g.top)
    for i in range(1, len(merged)):
        j = i
        while j > 0 and _same_cell(merged[j - 1], merged[j]) and rank[id(merged[j - 1])] > rank[id(merged[j])]:
            merged[j - 1], merged[j] = merged[j], merged[j - 1]
            j -= 1
    host[:] = merged


def _same_cell(a: Char, b: Char) -> bool:
    return _overlap(a.top, a.bottom, b.top, b.bottom) > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _dedupe(glyphs: list[Char]) -> tuple[list[Char], int]:
    """Drop overprinted copies of a glyph (fake bold): same text at nearly the same place."""
    kept: list[Char] = []
    n = 0
    for g in glyphs:
        if any(
            k.text == g.text and abs(k.top - g.top) < 0.3 * g.size and abs(k.x0 - g.x0) < 0.3 * g.size
            for k in kept[-4:]
        ):
            n += 1
            continue
        kept.append(g)
    return kept, n


def _pieces_text(pieces: list[_Piece]) -> str:
    parts: list[str] = []
    prev: Char | None = None
    for piece in pieces:
        if piece.note:
            parts.append(NOTE_OPEN)
        for g in piece.glyphs:
            if prev is not None and not piece.note and g.top - prev.bottom > SPACE_GAP * max(g.size, prev.size):
                parts.append(" ")
            parts.append(g.text)
            prev = g
        if piece.note:
            parts.append(NOTE_CLOSE)
    return "".join(parts)


def _cut(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Cut a column where a gap of several em leaves it: each part becomes a line of its own."""
    parts: list[list[_Piece]] = []
    prev_bottom: float | None = None
    for piece in pieces:
        top = min(g.top for g in piece.glyphs)
        size = _median([g.size for g in piece.glyphs])
        if prev_bottom is None or top - prev_bottom > CUT_GAP * size:
            parts.append([])
        parts[-1].append(piece)
        prev_bottom = max(prev_bottom or 0.0, max(g.bottom for g in piece.glyphs))
    return parts


def _line(pieces: list[_Piece], core: tuple[float, float], width: float, page_no: int) -> Line:
    glyphs = [g for p in pieces for g in p.glyphs]
    fonts: dict[str, int] = {}
    for g in glyphs:
        fonts[g.font] = fonts.get(g.font, 0) + 1
    font = max(fonts, key=fonts.__getitem__) if fonts else ""
    body = [g for p in pieces if not p.note for g in p.glyphs] or glyphs
    return Line(
        _pieces_text(pieces),
        x0=min(g.top for g in glyphs),
        x1=max(g.bottom for g in glyphs),
        top=width - core[1],
        bottom=width - core[0],
        size=_median([g.size for g in body]),
        font=font,
        font_share=fonts.get(font, 0) / (len(glyphs) or 1),
        page=page_no,
        region="C",
    )


def layout_vertical(raw_chars: list[dict[str, Any]], width: float, height: float, page_no: int) -> PageText | None:
    """A vertical page's columns as lines in reading order (see the module docstring), else None."""
    if down_share(raw_chars) < DOWN_SHARE:
        return None
    ink = [g for g in _glyphs(raw_chars) if not g.space]
    if len(ink) < MIN_GLYPHS or not _vertical(ink):
        return None
    ink, duplicates = _dedupe(ink)
    page = PageText(page_no, height, width, [], n_chars=len(ink), duplicates=duplicates, vertical=True)
    page.bad_chars = sum(1 for g in ink if is_bad_char(g.text))
    rank = {id(g): i for i, g in enumerate(ink)}  # stream order
    lines: list[Line] = []
    for col in _columns(_runs(ink)):
        pieces = _read_column(col, rank)
        page.interlinear += sum(1 for p in pieces if p.note)
        core = _core(col)
        lines.extend(_line(part, core, width, page_no) for part in _cut(pieces))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    for prev, ln in pairwise(lines):
        ln.dy = ln.top - prev.top
    page.lines = lines
    return page
