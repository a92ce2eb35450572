"""Where glyphs were withheld: every 〓 (:data:`~corpus_tool.reading.pdf.chars.GAP`) in the stored units, by
page, paragraph and offset, so a researcher can find each gap in the text and on the page; the same for
every 〔公式〕 (:data:`~corpus_tool.reading.model.FORMULA_MARK`), where a display formula was left out."""

from __future__ import annotations

from corpus_tool.reading.model import FORMULA_MARK, LogEntry, Unit
from corpus_tool.reading.pdf.chars import GAP

SHOWN = 60  # gaps listed in the log row; the count covers all


def _places(units: list[Unit], mark: str) -> tuple[int, str]:
    """How many ``mark`` the units hold, and ``page p ¶n @offset`` of each (the first :data:`SHOWN`)."""
    where = [(u.page, u.para_no, i) for u in units if mark in u.text
             for i in range(len(u.text)) if u.text.startswith(mark, i)]
    shown = "; ".join(f"page {p if p is not None else '?'} ¶{n} @{i}" for p, n, i in where[:SHOWN])
    more = f" … ({len(where) - SHOWN} more)" if len(where) > SHOWN else ""
    return len(where), shown + more


def gap_log(units: list[Unit]) -> list[LogEntry]:
    """One ``withheld_glyph_gaps`` row naming ``page p ¶n @offset`` of each gap mark (offsets in the unit's
    stored text, 0-based), and one ``formulas_removed`` row the same for each formula mark; nothing for none."""
    log = []
    n, places = _places(units, GAP)
    if n:
        log.append(LogEntry("withheld_glyph_gaps", n, f"glyphs withheld (no usable Unicode), each run marked {GAP} "
                                                      f"in the text (无法可靠识别的字形，文中以{GAP}标出): {places}"))
    n, places = _places(units, FORMULA_MARK)
    if n:
        log.append(LogEntry("formulas_removed", n, f"display formulas left out of the text, each marked "
                                                   f"{FORMULA_MARK} (公式未收入正文，以{FORMULA_MARK}标出): {places}"))
    return log
