"""Where glyphs were withheld: every 〓 (:data:`~corpus_tool.reading.pdf.chars.GAP`) in the stored units, by
page, paragraph and offset, so a researcher can find each gap in the text and on the page."""

from __future__ import annotations

from corpus_tool.reading.model import LogEntry, Unit
from corpus_tool.reading.pdf.chars import GAP

SHOWN = 60  # gaps listed in the log row; the count covers all


def gap_log(units: list[Unit]) -> list[LogEntry]:
    """One ``withheld_glyph_gaps`` row naming ``page p ¶n @offset`` of each gap mark (offsets in the unit's
    stored text, 0-based), or nothing when the document has none."""
    where = [(u.page, u.para_no, i) for u in units for i, ch in enumerate(u.text) if ch == GAP]
    if not where:
        return []
    shown = "; ".join(f"page {p if p is not None else '?'} ¶{n} @{i}" for p, n, i in where[:SHOWN])
    more = f" … ({len(where) - SHOWN} more)" if len(where) > SHOWN else ""
    return [LogEntry("withheld_glyph_gaps", len(where),
                     f"glyphs withheld (no usable Unicode), each run marked {GAP} in the text "
                     f"(无法可靠识别的字形，文中以{GAP}标出): {shown}{more}")]
