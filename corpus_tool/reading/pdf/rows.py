"""Chars → rows: glyphs that share a baseline, with raised superscripts attached and overprints removed.

Rows are grouped by the text matrix's baseline (:attr:`Char.base`), not by glyph boxes: a run of
digits or Latin letters set in a second font has a box higher or lower than the CJK glyphs around
it but sits on the same baseline, so ``规划和2035年远景目标`` stays one row.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from corpus_tool.reading.pdf.chars import Char

SMALL_RATIO = 0.8  # a char below this × the median size may be a superscript
RAISE_RATIO = 0.15  # ... and it is one when it sits this × line size above the baseline
MAX_MARKER_LEN = 12  # a superscript run is at most this long ([12,13]123-125)
BASELINE_TOL = 0.35  # chars whose baselines differ by less than this × size share a row
OVERPRINT_SHIFT = 0.15  # a copy of the previous glyph less than this × size to its right is an overprint ...
OVERPRINT_ADVANCE = 0.5  # ... and less than this share of that glyph's width (a real double letter starts after it)
OVERPRINT_MIN_GLYPHS = 2  # a row holds two sizes drawn over each other when this many small glyphs sit on big ones


@dataclass(slots=True)
class Row:
    """Chars sharing a baseline, before they become a line."""

    chars: list[Char]
    base: float
    size: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    alone: bool = False  # cut from the text on its baseline (a boxed title): never grouped with it again
    beside: bool = False  # a labelled fact set beside the row part before it on one baseline (see .fields)

    def measure(self) -> Row:
        """Set extents and size from the visible, non-superscript chars."""
        ink = [c for c in self.chars if not c.space] or self.chars
        body = [c for c in ink if not c.sup] or ink
        self.top = min(c.top for c in body)
        self.bottom = max(c.bottom for c in body)
        self.x0 = min(c.x0 for c in ink)
        self.x1 = max(c.x1 for c in ink)
        self.size = median([c.size for c in body])
        self.base = median([c.base for c in body])  # the baseline most glyphs share, not the first one's
        return self


def median(values: list[float]) -> float:
    s = sorted(values)
    return s[len(s) // 2] if s else 0.0


def cluster_rows(chars: list[Char], drops: dict[str, float] | None = None) -> list[Row]:
    """Group chars into rows by baseline; small raised chars join the row they sit in.

    Small chars that fit no row (a footnote set in a much smaller size, a superscript
    wrapped onto a line of its own) are clustered again among themselves. ``drops`` are the
    page's :func:`font_drops` (measured on ``chars`` when not given).
    """
    ink = [c for c in chars if not c.space]
    if not ink:
        return []
    return _cluster(chars, font_drops(ink) if drops is None else drops)


def _cluster(chars: list[Char], drops: dict[str, float]) -> list[Row]:
    ink = [c for c in chars if not c.space]
    if not ink:
        return []
    limit = SMALL_RATIO * median([c.size for c in ink])
    big = [c for c in chars if c.size >= limit or c.space]
    small = [c for c in ink if c.size < limit]
    rows = _split_overprint([r.measure() for r in rows_by_baseline(big) if any(not c.space for c in r.chars)])
    left = _attach_small(rows, small, drops)
    for r in rows:
        r.measure()  # superscripts may widen a row (a marker opening a line)
    if left:
        rows.extend(_cluster(left, drops))
        rows.sort(key=lambda r: r.base)
    return rows


def rows_by_baseline(chars: list[Char]) -> list[Row]:
    """Chars in baseline order, a new row wherever the baseline moves more than the tolerance."""
    rows: list[Row] = []
    cur: Row | None = None
    for c in sorted(chars, key=lambda c: c.base):
        if cur is not None and c.base - cur.base <= BASELINE_TOL * max(c.size, cur.size):
            cur.chars.append(c)
            cur.size = max(cur.size, c.size)
        else:
            cur = Row([c], c.base, c.size)
            rows.append(cur)
    return rows


def font_drops(ink: list[Char]) -> dict[str, float]:
    """Per font, how far its glyph boxes reach below the baseline (× size): the font's descent.

    A glyph raised with a text rise keeps the line's baseline but its box moves up; comparing
    the box with its font's usual drop shows the rise.
    """
    by_font: dict[str, list[float]] = {}
    for c in ink:
        if c.size > 0:
            by_font.setdefault(c.font, []).append((c.bottom - c.base) / c.size)
    return {font: median(v) for font, v in by_font.items()}


def raised_by(c: Char, row: Row, drops: dict[str, float]) -> float:
    """How far ``c`` sits above ``row``'s baseline: a baseline of its own, or a text rise."""
    rise = drops.get(c.font, 0.0) * c.size - (c.bottom - c.base)
    return max(row.base - c.base, 0.0) + max(rise, 0.0)


def _attach_small(rows: list[Row], small: list[Char], drops: dict[str, float]) -> list[Char]:
    """Put each short run of small chars into the row whose height it lies in; return the rest.

    Runs longer than a citation marker are small text of their own (a footnote drawn
    over the body), never superscripts.
    """
    if not rows:
        return small
    bases = [r.base for r in rows]
    left: list[Char] = []
    for run in _small_runs(small):
        row = _row_at(rows, bases, run) if len(run) <= MAX_MARKER_LEN else None
        if row is None:
            left.extend(run)
            continue
        raised = min(raised_by(c, row, drops) for c in run) > RAISE_RATIO * row.size
        for c in run:
            c.sup = raised
        row.chars.extend(run)
    return left


def _small_runs(small: list[Char]) -> list[list[Char]]:
    """Small chars on one baseline, split where they are more than 1 em apart."""
    runs: list[list[Char]] = []
    for row in rows_by_baseline(small):
        cur: list[Char] = []
        for c in sorted(row.chars, key=lambda c: c.x0):
            if cur and c.x0 - cur[-1].x1 > c.size:
                runs.append(cur)
                cur = []
            cur.append(c)
        runs.append(cur)
    return runs


def _row_at(rows: list[Row], bases: list[float], run: list[Char]) -> Row | None:
    cy = (min(c.top for c in run) + max(c.bottom for c in run)) / 2
    x0, x1 = run[0].x0, run[-1].x1
    i = bisect_left(bases, cy)
    for row in rows[max(i - 1, 0) : i + 2]:
        # the run sits within the row's height and starts inside it or just after its end, or ends where the
        # row starts (a caption's label set a size smaller than its title: 图7：盈利预测假设拆分)
        if (
            row.top - 0.3 * row.size <= cy <= row.bottom + 0.1 * row.size
            and (row.x0 - 2 * row.size <= x0 or x1 >= row.x0 - row.size) and x0 <= row.x1 + row.size
        ):
            return row
    return None


def _split_overprint(rows: list[Row]) -> list[Row]:
    """Split a row where text of two sizes is drawn over the same x range (a heading run into a column)."""
    out: list[Row] = []
    for row in rows:
        sizes = [c.size for c in row.chars if not c.space]
        if max(sizes) - min(sizes) < 0.8:
            out.append(row)
            continue
        cut = (max(sizes) + min(sizes)) / 2
        big = [c for c in row.chars if c.size >= cut and not c.space]
        small = [c for c in row.chars if c.size < cut and not c.space]
        if _drawn_over(big, small) >= OVERPRINT_MIN_GLYPHS:
            big = [c for c in row.chars if c.size >= cut]
            small = [c for c in row.chars if c.size < cut]
            out.extend((Row(big, row.base).measure(), Row(small, row.base).measure()))
        else:
            out.append(row)
    return out


_HALF_INKED = re.compile("[\u3001\u3002\uff0c\uff0e\uff1a\uff1b\uff01\uff1f\u300c-\u300f\uff08\uff09]")


def _drawn_over(big: list[Char], small: list[Char]) -> int:
    """Glyphs of ``small`` drawn over a glyph of ``big`` (their boxes overlap by half a glyph or more).

    The extents of the two sizes are not enough: an italic variable set a point smaller in the middle
    of a sentence (``排气温度裕度 EGTM 下降``) lies inside the sentence's extent but beside its glyphs.
    """
    # full-width punctuation (、，。) inks one half of its em box: a variable set right after 、 overlaps the box, not
    # the mark, so it never counts as drawn over
    starts = sorted((c.x0, c.x1) for c in big if not _HALF_INKED.match(c.text))
    x0s = [a for a, _ in starts]
    n = 0
    for c in small:
        half = 0.5 * max(c.x1 - c.x0, 0.1)
        i = bisect_left(x0s, c.x1)
        # big glyphs starting before c ends; the widest CJK glyph is about one em, so look back a few
        if any(min(b1, c.x1) - max(b0, c.x0) >= half for b0, b1 in starts[max(i - 4, 0) : i]):
            n += 1
    return n


def is_overprint(prev: Char, c: Char) -> bool:
    """``c`` is a copy of ``prev`` drawn again at (almost) the same place: fake bold.

    The copy is shifted by a fraction of a point; a real double letter (``ll`` in controller,
    ``tt`` in https) starts one advance later, at least a quarter em for the narrowest letters.
    """
    shift = c.x0 - prev.x0
    return (
        c.text == prev.text
        and abs(shift) < OVERPRINT_SHIFT * c.size
        and abs(shift) < OVERPRINT_ADVANCE * max(prev.x1 - prev.x0, 0.1 * c.size)
    )


def sort_dedupe(rows: list[Row]) -> int:
    """Sort each row left to right and drop overprinted copies of a glyph (fake bold); return how many."""
    n = 0
    for row in rows:
        kept: list[Char] = []
        prev: Char | None = None
        for c in sorted(row.chars, key=lambda c: c.x0):
            if prev is not None and not c.space and not c.sup and is_overprint(prev, c):
                n += 1
                continue
            kept.append(c)
            if not c.space and not c.sup:
                prev = c
        row.chars = kept
    return n
