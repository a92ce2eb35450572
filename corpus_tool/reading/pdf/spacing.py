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

from dataclasses import dataclass, field
from itertools import pairwise

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.rows import Row, median

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


# ---- Latin word spacing from the glyph positions -------------------------------------------------
#
# Most PDFs place Latin glyphs by the font's own widths: the gap between two boxes is the space the
# typesetter put there, and the plain gap test reads it. A converter that placed the glyphs by another
# font's widths (CAJ2PDF's Times-Roman over a lost original font) leaves every box gap off by the
# difference, so "Monitoring" reads "M onito ring" and a word space may be narrower than a gap inside
# a word. For such a font the page itself tells each glyph's real advance (where the glyph after it
# starts, most of the time), and each line's gaps beyond those advances are split into letter gaps
# and word gaps.

ABUT = 0.015  # boxes of two letters of one word closer than this × size abut (the font's widths placed them)
MISPLACED = 0.5  # a font whose Latin letter boxes abut in fewer than this share of the page's pairs is misplaced
MIN_FONT_PAIRS = 6  # ... measured on at least this many letter pairs
ADVANCE_QUANTILE = 0.25  # a glyph's own advance: this quantile of its pitches on the page (word spaces lie above)
MIN_SAMPLES = 3  # fewer pitches than this: the glyph box's width is its advance
MAX_PITCH = 2.0  # pitches of this × size or more are columns, not letters of one word

SPACE_FLOOR = 0.12  # a word space is never narrower than this × size ...
SPACE_CEIL = 0.3  # ... and a gap inside a word never wider than this
MIN_JUMP = 0.07  # the line's word gaps stand this × size above its letter gaps when it has both
MIN_LETTER_GAPS = 4  # ... and it has at least this many letter gaps below that step
DEFAULT_SPACE = 0.25  # a line without such a step: a space is a gap of this × size (a word space is ~0.25 em)
CASE_STEP = 0.06  # a small letter then a capital rarely sit in one word: a gap of this × size parts them

GlyphKey = tuple[str, str, bool]  # font, glyph, capital before a small letter


@dataclass(slots=True)
class Advances:
    """The page's fonts whose Latin glyphs are misplaced, and each of their glyphs' advance (× size)."""

    fonts: frozenset[str] = frozenset()
    advance: dict[GlyphKey, float] = field(default_factory=dict)
    offset: dict[str, float] = field(default_factory=dict)  # a font's median box gap between letters (× size)
    after: dict[str, float] = field(default_factory=dict)  # a font's usual box gap to the glyph after it (× size)


def is_latin(text: str) -> bool:
    """A letter or digit set at Latin width (ASCII, Latin-1 and Latin Extended, Greek, Cyrillic)."""
    ch = text[-1:] if text else ""
    return bool(ch) and ord(ch) < 0x0530 and ch.isalnum()


def _key(c: Char, after: Char) -> GlyphKey:
    # a capital starting a word may be set wider than one inside an acronym: learned apart (not so a small
    # letter before a capital: that mostly ends a word, and its pitches there would be word spaces)
    return c.font, c.text, c.text.isupper() and after.text.islower()


def _letter_pair(a: Char, b: Char) -> bool:
    return not (a.space or b.space or a.sup or b.sup) and is_latin(a.text) and is_latin(b.text) and a.size > 0


def glyph_advances(rows: list[Row]) -> Advances:
    """The page's misplaced fonts (:data:`MISPLACED`) and their Latin glyphs' advances, from the glyphs after them.

    In a PDF set by the font's own widths most letter boxes abut (kerning moves a few); a converter
    that placed them by other widths leaves small gaps and overlaps almost everywhere.
    """
    pitches: dict[GlyphKey, list[float]] = {}
    gaps: dict[str, list[float]] = {}
    after: dict[str, list[float]] = {}
    for row in rows:
        for a, b in pairwise(sorted(row.chars, key=lambda c: c.x0)):
            if _glyph_pair(a, b):
                after.setdefault(a.font, []).append((b.x0 - a.x1) / a.size)
            if not _letter_pair(a, b) or a.font != b.font or abs(a.size - b.size) > SAME_SIZE * a.size:
                continue
            pitch = (b.x0 - a.x0) / a.size
            if 0 < pitch < MAX_PITCH:
                pitches.setdefault(_key(a, b), []).append(pitch)
                gaps.setdefault(a.font, []).append((b.x0 - a.x1) / a.size)
    fonts = frozenset(f for f, v in gaps.items()
                      if len(v) >= MIN_FONT_PAIRS and sum(abs(g) < ABUT for g in v) < MISPLACED * len(v))
    out = Advances(fonts, offset={f: median(gaps[f]) for f in fonts},
                   after={f: median(v) for f, v in after.items() if len(v) >= MIN_SAMPLES})
    for key, values in pitches.items():
        if key[0] in fonts and len(values) >= MIN_SAMPLES:
            values.sort()
            out.advance[key] = values[int(ADVANCE_QUANTILE * (len(values) - 1))]
    return out


def latin_excess(chars: list[Char], advances: Advances) -> dict[int, float]:
    """id of each Latin letter/digit after another of a misplaced font → its gap beyond that one's advance (em)."""
    out: dict[int, float] = {}
    for a, b in pairwise(chars):
        if not _letter_pair(a, b) or a.font not in advances.fonts:
            continue
        size = max(a.size, b.size)
        gap = (b.x0 - a.x1) / size
        key = _key(a, b)
        adv = advances.advance.get(key)
        if adv is None and key[2]:  # a word's capital seen too rarely on the page: as in an acronym
            adv = advances.advance.get((key[0], key[1], False))
        # the smaller of the box gap and the gap beyond the glyph's learned advance: either may be inflated
        # (a wide box, a glyph seen mostly before spaces), a word space shows in both
        if adv is None:  # a glyph seen too rarely: its box gap, less the font's usual misplacement
            out[id(b)] = gap - max(0.0, advances.offset.get(a.font, 0.0))
        else:
            out[id(b)] = min(gap, (b.x0 - a.x0) / size - adv)
    return out


def latin_word_spaces(chars: list[Char], advances: Advances) -> dict[int, bool]:
    """For Latin letters/digits of a misplaced font after another in a row (left to right): id → space before it.

    The line's gaps are split where they step up most between :data:`SPACE_FLOOR` and
    :data:`SPACE_CEIL` (its own letter gaps against its word gaps), else at :data:`DEFAULT_SPACE`.
    Pairs not decided here keep the plain gap test.
    """
    excess = latin_excess(chars, advances)
    if not excess:
        return {}
    values = sorted(excess.values())
    cut, best = DEFAULT_SPACE, MIN_JUMP
    for k, (lo, hi) in enumerate(pairwise(values)):
        # a step needs letter gaps below it to stand on (a two-letter run has no distribution of its own)
        if k + 1 >= MIN_LETTER_GAPS and hi >= SPACE_FLOOR and lo <= SPACE_CEIL and hi - lo >= best:
            cut, best = (max(lo, SPACE_FLOOR) + min(hi, SPACE_CEIL)) / 2, hi - lo
    case_cut = min(cut, max(CASE_STEP, cut / 2))
    capital_after_small = {id(b) for a, b in pairwise(chars) if a.text[-1:].islower() and b.text[:1].isupper()}
    return {k: v > (case_cut if k in capital_after_small else cut) for k, v in excess.items()}


# ---- numbers whose glyphs sit on a wide grid ------------------------------------------------------
#
# CAJ-converted PDFs put every glyph in a slot of the CJK pitch, whatever its width: a half-width
# digit leaves half an em empty after it, so ``6.5%`` and ``(2001-2005年)`` read ``6 .5 %`` and
# ``2001 -2005`` by the plain gap test. The page tells how much room a font leaves after its glyphs
# when no space is there (the usual gap after them); inside a number (a digit beside a digit or a
# number's punctuation) a gap no wider than that, give or take :data:`EVEN`, is no word space. For a
# font set by its own widths that room is nil and the plain test stands: ``2 000`` keeps its thin
# space, and a space glyph in the PDF always counts.

NUMBER_PUNCT = frozenset(".,%‰-‐–—～~至．，％－：:/／")  # what joins the digits of a number, a range or a share


def _glyph_pair(a: Char, b: Char) -> bool:
    """Two neighbouring glyphs of one line and size, not a column apart (measures the gap after ``a``)."""
    return (not (a.space or b.space or a.sup or b.sup) and a.size > 0 and abs(a.size - b.size) <= SAME_SIZE * a.size
            and -EVEN * a.size <= b.x0 - a.x1 < MAX_PITCH_GAP * a.size)


def number_joins(chars: list[Char], advances: Advances) -> set[int]:
    """ids of glyphs of a number (``chars``: a row, left to right) that follow the one before with no space.

    A digit after a digit, a number's punctuation (:data:`NUMBER_PUNCT`) after a digit, or a digit
    after such punctuation that itself follows a digit (``6.5``, ``2001-2005``; not ``问题: 1)``),
    whose gap is no wider than the usual gap after the left glyph's font on the page
    (:attr:`Advances.after`) plus :data:`EVEN`. Fonts without a usual gap above nil are left to the
    plain gap test.
    """
    out: set[int] = set()
    glyphs = [c for c in chars if not c.sup]
    for k in range(1, len(glyphs)):
        a, b = glyphs[k - 1], glyphs[k]
        if a.space or b.space:
            continue
        if is_digit(a.text):
            inside = is_digit(b.text) or b.text in NUMBER_PUNCT
        else:
            inside = a.text in NUMBER_PUNCT and is_digit(b.text) and k >= 2 and is_digit(glyphs[k - 2].text)
        room = advances.after.get(a.font, 0.0)
        if inside and room > 0 and b.x0 - a.x1 <= (room + EVEN) * max(a.size, b.size):
            out.add(id(b))
    return out
