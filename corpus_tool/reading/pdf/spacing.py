"""Where a gap between two digits is no word space: the glyphs of one number set at a wide pitch.

CAJ-converted and some typeset PDFs place every digit on its own at a CJK-like pitch (``1`` and
``2`` 13 pt apart in 14 pt text, a 0.4 em gap between their boxes), so the plain gap test reads
``12种`` as ``1 2种``. A number's digits are spaced alike, so the decision is taken for the whole
run of digits at once: when every gap in the run is the same (within :data:`EVEN` em) and none is
a column's width, the run is one number and gets no space. A run whose gaps differ keeps the plain
gap rule: ``10 000`` set with the GB/T 15835 thin space between groups of three keeps that space as
written (one gap wider than the rest), and a space glyph in the PDF always counts.
"""

from __future__ import annotations

from itertools import pairwise

from corpus_tool.reading.pdf.chars import Char

EVEN = 0.1  # gaps in one run within this × size of each other are the run's pitch, not spaces
MAX_PITCH_GAP = 1.0  # a gap of this × size or more is a column or a tab, never inside a number
SAME_SIZE = 0.05  # digits of one run differ in size by at most this share


def is_digit(text: str) -> bool:
    return len(text) == 1 and ("0" <= text <= "9" or "０" <= text <= "９")


def evenly_set_digits(chars: list[Char]) -> set[int]:
    """ids of digits that follow a digit of the same evenly spaced number in ``chars`` (a row, left to right)."""
    out: set[int] = set()
    run: list[Char] = []
    for c in chars:
        if c.sup:
            continue
        if run and is_digit(c.text) and not c.space and _continues(run[-1], c):
            run.append(c)
            continue
        _close(run, out)
        run = [c] if is_digit(c.text) and not c.space else []
    _close(run, out)
    return out


def _continues(prev: Char, c: Char) -> bool:
    size = max(prev.size, c.size)
    return abs(prev.size - c.size) <= SAME_SIZE * size and -EVEN * size <= c.x0 - prev.x1 < MAX_PITCH_GAP * size


def _close(run: list[Char], out: set[int]) -> None:
    if len(run) < 2:
        return
    gaps = [c.x0 - p.x1 for p, c in pairwise(run)]
    if max(gaps) - min(gaps) <= EVEN * max(c.size for c in run):
        out.update(id(c) for c in run[1:])
