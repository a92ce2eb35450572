"""Built-up fractions: a numerator over a short rule over a denominator, set on one line as ``a/b``.

A formula such as ``负载率 = 平均负载(kW) / 最大需量(kW) × 100%`` is set with its numerator above a
short drawn bar and its denominator below. Read by rows, the bar looks like a footnote rule, so the
denominator (set smaller than the body) became a footnote, and the numerator a line of its own. A bar
is a fraction's when text hugs it on both sides, that text stays within the bar's span (a footnote
rule has the column's last line, or nothing, above it and a note line running past it below), and the
formula's row goes on beside it (``负载率＝`` before it, ``×100%`` after it; a table's bottom rule
between its last row and the text under it has nothing on its own row). The numerator's and
denominator's glyphs are moved onto the bar's row, in the bar's span, as ``numerator/denominator``
(each in brackets when it holds an operator of its own), and the bar is no longer a rule.
"""

from __future__ import annotations

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.rows import median

HUG = 0.6  # the numerator's bottom and the denominator's top are at most this × their size from the bar
BESIDE = 2.0  # the formula's row (``负载率＝``, ``×100%``) is at most this × the size from the bar's ends
MAX_GLYPHS = 40  # a numerator or denominator has at most this many glyphs
OPERATORS = set("+-−/×*÷")

Rule = tuple[float, float, float]  # x0, x1, y


def _cx(c: Char) -> float:
    return (c.x0 + c.x1) / 2


def _side(ink: list[Char], rule: Rule, above: bool) -> list[Char] | None:
    """The glyphs hugging the bar on one side, or None when that row runs past the bar's span."""
    x0, x1, y = rule
    if above:
        row = [c for c in ink if c.top < y and -0.2 * c.size <= y - c.bottom <= HUG * c.size]
    else:
        row = [c for c in ink if c.bottom > y and -0.2 * c.size <= c.top - y <= HUG * c.size]
    if not row or len(row) > MAX_GLYPHS:
        return None
    size = median([c.size for c in row])
    if any(not x0 - 0.5 * size <= _cx(c) <= x1 + 0.5 * size for c in row):
        return None
    return sorted(row, key=lambda c: c.x0)


def _bracketed(part: list[Char]) -> list[str]:
    texts = [c.text for c in part]
    return ["(", *texts, ")"] if OPERATORS & set("".join(texts)) else texts


def set_fractions(chars: list[Char], rules: list[Rule]) -> tuple[list[Char], list[Rule], int]:
    """``chars`` with each built-up fraction set on the row of its bar, the rules left (the bars are no
    rules) and the number of fractions set."""
    if not rules:
        return chars, rules, 0
    ink = [c for c in chars if not c.space]
    kept: list[Rule] = []
    moved: set[int] = set()
    added: list[Char] = []
    for rule in rules:
        x0, x1, y = rule
        top, bottom = _side(ink, rule, True), _side(ink, rule, False)
        if top is None or bottom is None or any(id(c) in moved for c in top + bottom):
            kept.append(rule)
            continue
        size = median([c.size for c in top + bottom])
        beside = [c for c in ink if abs((c.top + c.bottom) / 2 - y) <= HUG * c.size
                  and (0 < x0 - c.x1 <= BESIDE * size or 0 < c.x0 - x1 <= BESIDE * size)]
        if not beside:  # a table's rule between its last row and the text under it: nothing on the bar's row
            kept.append(rule)
            continue
        base, ctop, cbottom = (median([c.base for c in beside]), median([c.top for c in beside]),
                               median([c.bottom for c in beside]))
        texts = [*_bracketed(top), "/", *_bracketed(bottom)]
        step = (x1 - x0) / len(texts)
        font = top[0].font
        added += [Char(t, x0 + i * step, x0 + (i + 1) * step, ctop, cbottom, size, font, base)
                  for i, t in enumerate(texts)]
        moved.update(id(c) for c in top + bottom)
        moved.update(id(c) for c in chars if c.space and x0 <= _cx(c) <= x1
                     and HUG * size < abs((c.top + c.bottom) / 2 - y) <= 2 * size)  # the old rows' spaces
    if not moved:
        return chars, rules, 0
    n = len(rules) - len(kept)
    return [c for c in chars if id(c) not in moved] + added, kept, n
