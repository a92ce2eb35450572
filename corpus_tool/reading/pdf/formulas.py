"""Display formulas: lines of math set apart from the prose, kept out of the body paragraphs and logged.

A display formula laid out line by line gives lines such as ``π∗ = arg maxJ(π). (1)``, ``t=0`` or
``∑∞``; glued into the paragraphs around them they would break sentences and fill keyword tables
with ``γtct``. A line is a formula when it holds no Han character, carries a math sign (an operator,
a relation, a Greek letter, a big operator or bracket piece, an equation number) and does not read
as prose (English sentences, references and affiliations have words). The lines are left out of the
paragraphs and counted with samples in the log, so a researcher sees what was taken out.
"""

from __future__ import annotations

import re

from corpus_tool.reading.model import LogEntry
from corpus_tool.reading.pdf.layout import PageText

FORMULA = "formula"  # Line.role of a display formula line
PROSE_WORDS = 3  # a line with this many words of three letters or more ...
PROSE_SHARE = 0.5  # ... making up this share of its visible chars is prose, not a formula
SAMPLES = 12  # formula lines quoted in the log

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


def mark_formulas(pages: list[PageText]) -> list[LogEntry]:
    """Give body lines that are display formulas the ``formula`` role; a log entry with samples."""
    found: list[str] = []
    on: set[int] = set()
    for page in pages:
        for ln in page.lines:
            if not ln.role and is_formula(ln.text):
                ln.role = FORMULA
                found.append(ln.text.strip())
                on.add(page.page_no)
    if not found:
        return []
    more = " …" if len(found) > SAMPLES else ""
    detail = (f"display formula lines kept out of the paragraphs (公式行，未计入正文) on pages "
              f"{','.join(map(str, sorted(on)))}: " + " | ".join(found[:SAMPLES]) + more)
    return [LogEntry("pdf_formula_lines", len(found), detail)]
