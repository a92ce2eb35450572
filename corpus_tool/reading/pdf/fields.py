"""Label–value facts (``单位：元``, ``编制部门：…``, ``股票代码：300218``) kept apart from each other.

Forms, budget tables and report covers set such facts side by side on one baseline, far apart
(``编制部门：…`` at the left edge, ``单位：元`` at the right one), or stacked as short lines one under
the other. Read as running text they splice into one sentence (``…办公室单位：元``), and a count or
a keyword search over it finds a fact that is not there. A fact starts where a short label and its
colon (2–10 Han characters, then ``：`` or ``:``) opens a run of text:

- within a row, after a gap of :data:`FIELD_GAP` ems or more (justified prose and a line's word
  spaces are never that wide), the row is cut in two; the right part is marked ``beside``, set on
  the baseline of the part before it, and the block step opens a paragraph with it;
- a field line after a field line, a line of check boxes, a right-set field (``单位：元``) or a short
  field line after a sentence's end open a paragraph too (``blocks.separate_facts``).

Rows are cut rather than joined with a separator, so each fact is its own paragraph with its own
position, as a reader sees it on the page.
"""

from __future__ import annotations

import re
from itertools import pairwise

from corpus_tool.reading.pdf.chars import Char
from corpus_tool.reading.pdf.rows import Row

FIELD_GAP = 1.5  # ems of white space before a label run that make it a fact of its own
TIGHT = 0.5  # ... a label set tight (its glyphs less than this apart), not one letterspaced across the line
_LABEL = "(?:[\u4e00-\u9fff][\\s\u3000]*){2,10}[:：]"
_OPENS_LABEL = re.compile(rf"^[\s\u3000]*{_LABEL}")
# a label and a short value that is no clause (no comma) and no sentence
_FIELD = re.compile(rf"^[\s\u3000]*{_LABEL}[^，。；！？]{{0,40}}$")
# a line of check boxes and their options only: ☑适用 □不适用
_CHOICES = re.compile(r"^(?:[\s\u3000]*[□☐☑☒■][^□☐☑☒■。，；]{1,12}){2,}[\s\u3000]*$")


def opens_label(text: str) -> bool:
    """``text`` opens with a short label and its colon (``单位：``, ``法定代表人：``)."""
    return _OPENS_LABEL.match(text) is not None


def is_field(text: str) -> bool:
    """``text`` is one short labelled fact: a label, its colon and a short value that is no sentence."""
    return _FIELD.match(text) is not None


def is_choices(text: str) -> bool:
    """``text`` is a line of check-box options (``☑适用 □不适用``): a fact of its own, never running text."""
    return _CHOICES.match(text) is not None


def split_fields(rows: list[Row]) -> list[Row]:
    """Cut each row where a label run starts after a gap of :data:`FIELD_GAP` ems or more.

    The parts keep the row's top, bottom and baseline (they are one printed line, in order left to
    right); every part after the first is marked ``beside``.
    """
    out: list[Row] = []
    for row in rows:
        parts = _cut(row)
        if len(parts) == 1:
            out.append(row)
            continue
        for k, chars in enumerate(parts):
            part = Row(chars, row.base).measure()
            part.top, part.bottom, part.base, part.alone = row.top, row.bottom, row.base, row.alone
            part.beside = k > 0
            out.append(part)
    return out


def _cut(row: Row) -> list[list[Char]]:
    chars = sorted(row.chars, key=lambda c: c.x0)
    ink = [i for i, c in enumerate(chars) if not c.space and not c.sup]
    cuts: list[int] = []
    for a, b in pairwise(ink):
        size = max(chars[a].size, chars[b].size, row.size)
        if chars[b].x0 - chars[a].x1 < FIELD_GAP * size:
            continue
        if _tight_label([chars[i] for i in ink if i >= b][:12], size):
            cuts.append(b)
    if not cuts:
        return [row.chars]
    bounds = [0, *cuts, len(chars)]
    return [chars[i:j] for i, j in pairwise(bounds)]


def _tight_label(run: list[Char], size: float) -> bool:
    """``run`` opens with a label and its colon whose glyphs are set tight: ``编 制 单 位：`` letterspaced
    over a cover line is one label, and its wide gaps cut nothing."""
    m = _OPENS_LABEL.match("".join(c.text for c in run))
    if m is None:
        return False
    label = run[: len(m.group(0))]
    return all(c.x0 - p.x1 < TIGHT * size for p, c in pairwise(label))
