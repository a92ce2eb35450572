"""Running headers, footers and page numbers: found by position and repetition, then logged.

A line is page furniture only when it sits in the top or bottom band of its page and
either is a page number or repeats (digits read as ``#``) on other pages of the same
parity or of the whole document. Repeats on one page (``（一）`` twice) never count.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from corpus_tool.ingest.model import LogEntry
from corpus_tool.ingest.pdf.layout import BAND, Line, PageText

REPEAT_SHARE = 0.4  # a band line on this share of pages is a running header/footer
_DIGITS = re.compile(r"[0-9０-９]+")
_SPACE = re.compile(r"\s+")
_PAGE_NO = re.compile(
    r"[\s\-–—·•‧|]*(?:[0-9０-９]{1,4}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[，,/]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|[〇零一二三四五六七八九十百千]{1,6}"  # 九一五: classical and vertical books number pages in Chinese
    r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}|[Pp]age\s*[0-9]{1,4}(?:\s*of\s*[0-9]{1,4})?)[\s\-–—·•‧|]*"
)


def is_page_number(text: str) -> bool:
    """``12``, ``１２``, ``- 12 -``, ``·12·``, ``第12页``, ``12/234``, ``iv``, ``九一五``."""
    return bool(text.strip()) and _PAGE_NO.fullmatch(text) is not None


def _in_band(line: Line, page: PageText) -> str | None:
    centre = (line.top + line.bottom) / 2
    if centre < BAND * page.height:
        return "header"
    if centre > (1 - BAND) * page.height:
        return "footer"
    return None


def _key(line: Line) -> tuple[str, int]:
    # size is part of the key so a page-1 title in the header's words is not a header
    return _DIGITS.sub("#", _SPACE.sub("", line.text)), round(line.size)


def mark_furniture(pages: list[PageText]) -> list[LogEntry]:
    """Set ``role`` on header/footer/page-number lines of ``pages``; return what was removed."""
    text_pages = [p for p in pages if p.lines]
    all_counts: Counter[tuple[str, int]] = Counter()
    parity_counts: dict[int, Counter[tuple[str, int]]] = {0: Counter(), 1: Counter()}
    parity_pages = Counter(p.page_no % 2 for p in text_pages)
    for p in text_pages:
        keys = {_key(ln) for ln in p.lines if _in_band(ln, p)}
        all_counts.update(keys)
        parity_counts[p.page_no % 2].update(keys)
    need_all = max(2, math.ceil(REPEAT_SHARE * len(text_pages)))
    removed: dict[str, list[str]] = {"header": [], "footer": [], "page_number": []}
    for p in text_pages:
        parity = p.page_no % 2
        need_parity = max(2, math.ceil(REPEAT_SHARE * parity_pages[parity]))
        for ln in p.lines:
            band = _in_band(ln, p)
            if band is None:
                continue
            if is_page_number(ln.text):
                ln.role = "page_number"
            elif all_counts[_key(ln)] >= need_all or parity_counts[parity][_key(ln)] >= need_parity:
                ln.role = band
            else:
                continue
            removed[ln.role].append(ln.text)
    return _log(removed)


def _log(removed: dict[str, list[str]]) -> list[LogEntry]:
    steps = {
        "header": "pdf_header_removed",
        "footer": "pdf_footer_removed",
        "page_number": "pdf_page_number_removed",
    }
    log = []
    for role, texts in removed.items():
        if texts:
            distinct = list(dict.fromkeys(texts))
            detail = " | ".join(distinct[:20]) + (
                f" | ... ({len(distinct)} distinct)" if len(distinct) > 20 else ""
            )
            log.append(LogEntry(steps[role], len(texts), detail))
    return log
