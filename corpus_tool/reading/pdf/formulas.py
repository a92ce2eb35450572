"""Display formulas: lines of math set apart from the prose, kept out of the body paragraphs and logged.

A display formula laid out line by line gives lines such as ``π∗ = arg maxJ(π). (1)``, ``t=0`` or
``∑∞``; glued into the paragraphs around them they would break sentences and fill keyword tables
with ``γtct``. A line is a formula when it holds no Han character, carries a math sign (an operator,
a relation, a Greek letter, a big operator or bracket piece, an equation number) and does not read
as prose (English sentences, references and affiliations have words). A line of one or two glyphs
without Han set against a formula line (a summation's index ``t``, an argument ``a`` under a line, the
brace ``{`` of a case split) is a piece of that formula too.

The lines are left out of the paragraphs and counted with samples in the log; where each formula (a run
of formula lines) stood, the paragraph keeps :data:`~corpus_tool.reading.model.FORMULA_MARK` (〔公式〕),
appended to the body line before it (即〔公式〕 / 其中: …), else put before the body line after it, so
the sentences around a formula are not joined into one and a researcher sees where it was.
"""

from __future__ import annotations

import re

from corpus_tool.reading.headings import is_caption
from corpus_tool.reading.model import FORMULA_MARK, LogEntry
from corpus_tool.reading.pdf.layout import Line, PageText

FORMULA = "formula"  # Line.role of a display formula line
PROSE_WORDS = 3  # a line with this many words of three letters or more ...
PROSE_SHARE = 0.5  # ... making up this share of its visible chars is prose, not a formula
SAMPLES = 12  # formula lines quoted in the log
PIECE_GLYPHS = 2  # a line of at most this many glyphs without Han ...
PIECE_REACH = 1.0  # ... within this × its size above or below a formula line next to it is a piece of it
# lines the paragraphs never hold: a formula run goes on across them, a mark is never put on them
_OUT_OF_FLOW = frozenset({"header", "footer", "page_number", "footnote"})

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# operators, relations, arrows, big operators, bracket pieces, Greek, primes, letterlike math symbols
_MATH = re.compile(
    "[=<>+±×÷·∗−∑∏∫∮√∞∂∇∈∉∋∩∪⊂⊃⊆⊇⊕⊗∧∨¬∀∃∼≈≃≅≠≡≤≥⩽⩾≪≫∝→←↔⇒⇐⇔↦′″‖∥⟨⟩⌈⌉⌊⌋"
    "\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03d6\u03f5\u00b5\u2200-\u22ff\u2a00-\u2aff\u239b-\u23b3\U0001d400-\U0001d7ff]"
)
_EQ_NUMBER = re.compile(r"^\s*\(\d{1,3}[a-z]?\)\s*$")  # a lone equation number (12)
_WORD = re.compile(r"[A-Za-z]{3,}")
_LETTER_OR_BIG = re.compile("[A-Za-z\u0391-\u03a9\u03b1-\u03c9\u00b5\u03d1\u03d5\u03d6∑∏∫∮√∞∂∇\u239b-\u23b3]")
_ADDRESS = re.compile(r"://|www\.|@|\bdoi\b", re.IGNORECASE)  # URLs and e-mail addresses have = and ~


def is_formula(text: str) -> bool:
    """``text`` (one line) is a piece of a display formula: math signs, no Han, no prose."""
    s = text.strip()
    if not s or _HAN.search(s):
        return False
    if _EQ_NUMBER.match(s):
        return True
    if not _MATH.search(s) or not _LETTER_OR_BIG.search(s) or _ADDRESS.search(s):
        return False  # no math; a row of numbers (a table's); an address
    words = _WORD.findall(s)
    ink = sum(1 for ch in s if not ch.isspace())
    return not (len(words) >= PROSE_WORDS and sum(map(len, words)) >= PROSE_SHARE * ink)


def _is_piece(line: Line, formula: Line) -> bool:
    """``line`` (no role yet) is a leftover piece of the display formula ``formula`` next to it in reading order:
    one or two glyphs, no Han, in its column and within :data:`PIECE_REACH` of its box."""
    ink = "".join(line.text.split())
    reach = PIECE_REACH * max(line.size, formula.size)
    return (0 < len(ink) <= PIECE_GLYPHS and not _HAN.search(ink) and not line.figure
            and line.region == formula.region
            and line.top <= formula.bottom + reach and line.bottom >= formula.top - reach)


def _mark_pieces(lines: list[Line]) -> list[str]:
    """Give formula pieces next to formula lines the formula role (until none is left); their texts."""
    found: list[str] = []
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if ln.role:
                continue
            near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines) and lines[j].role == FORMULA]
            if any(_is_piece(ln, f) for f in near):
                ln.role = FORMULA
                found.append(ln.text.strip())
                changed = True
    return found


def _body(line: Line) -> bool:
    """A line the mark may go on: running text (no role, no diagram node, no caption)."""
    return not line.role and not line.figure and not is_caption(line.text)


def _place_marks(page: PageText) -> tuple[int, int]:
    """Put one :data:`FORMULA_MARK` in the text for each run of formula lines on ``page``: (runs, marks put)."""
    flow = [ln for ln in page.lines if ln.role not in _OUT_OF_FLOW]
    runs = marks = 0
    i = 0
    while i < len(flow):
        if flow[i].role != FORMULA:
            i += 1
            continue
        j = i
        while j < len(flow) and flow[j].role == FORMULA:
            j += 1
        before = flow[i - 1] if i > 0 and _body(flow[i - 1]) else None
        after = flow[j] if j < len(flow) and _body(flow[j]) else None
        if before is not None:  # the sentence leading into the formula (即, 为, 如下所示:) goes on through it
            before.text = before.text.rstrip() + FORMULA_MARK
        elif after is not None:  # a formula after a heading or at the top of the page
            after.text = FORMULA_MARK + after.text.lstrip()
        if after is not None:  # the paragraph step reads its indent, not the line before the formula
            after.after_formula = True
        runs += 1
        marks += before is not None or after is not None
        i = j
    return runs, marks


def mark_formulas(pages: list[PageText]) -> list[LogEntry]:
    """Give body lines that are display formulas (and their one- or two-glyph pieces) the ``formula`` role,
    leave a :data:`FORMULA_MARK` in the text where each formula stood; a log entry with samples."""
    found: list[str] = []
    pieces: list[str] = []
    on: set[int] = set()
    formulas = marked = 0
    for page in pages:
        for ln in page.lines:
            if not ln.role and is_formula(ln.text):
                ln.role = FORMULA
                found.append(ln.text.strip())
                on.add(page.page_no)
        if page.page_no in on:
            pieces += _mark_pieces(page.lines)
            runs, marks = _place_marks(page)
            formulas, marked = formulas + runs, marked + marks
    if not found:
        return []
    more = " …" if len(found) > SAMPLES else ""
    left = (f"; with {len(pieces)} one- or two-glyph pieces of them ({' | '.join(pieces[:SAMPLES])})"
            if pieces else "")
    unmarked = f" ({formulas - marked} with no running text beside them, unmarked)" if marked < formulas else ""
    detail = (f"{formulas} display formulas kept out of the paragraphs, each marked {FORMULA_MARK} in the text"
              f"{unmarked} (公式未计入正文，文中以{FORMULA_MARK}标出), {len(found)} lines on pages "
              f"{','.join(map(str, sorted(on)))}: " + " | ".join(found[:SAMPLES]) + more + left)
    return [LogEntry("pdf_formula_lines", len(found) + len(pieces), detail)]
