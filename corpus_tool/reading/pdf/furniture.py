"""Running headers, footers and page numbers: found by position and repetition, then logged.

A line is page furniture when it sits in the top or bottom band of its page and

* is a page number, or
* repeats (digits read as ``#``) on other pages of the same parity or of the whole document
  (repeats on one page, ``（一）`` twice, never count), or
* is a running header whose words change from page to page (the chapter title of a thesis):
  the outermost line of its page, in a *slot* (same height, same size) that an outermost
  line fills on many pages, set apart from the text below it, and either smaller than the
  body text or repeating the same slot's words on the previous or next page or a heading of
  the document (set larger elsewhere). The body's own first line fills a slot too, but at
  body size and in words of its own; or
* is a short line set smaller than the body beside the page number, in the page's edge row.

The inner band (``BAND``) is searched as it is; the wider band (``WIDE_BAND``) only for the
outermost rows of a page, where a header set a little lower (or a footer a little higher)
than usual sits. There a lone number is a page number only in a slot (a table cell is not).
Deeper still (``DEEP_BAND``), an outermost line is a running header or footer only when the same
words stand at the same height as the outermost line of many pages.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from corpus_tool.reading.model import LogEntry
from corpus_tool.reading.pdf.layout import BAND, Line, PageText

REPEAT_SHARE = 0.4  # a band line on this share of pages is a running header/footer
WIDE_BAND = 0.12  # outermost lines down to this share of the page height may be furniture too
DEEP_BAND = 0.2  # ... and down to this share when the same words stand at the same height on many pages
SLOT_TOL = 2.0  # pt: two lines whose top (header) or bottom (footer) differ by less share a slot
SLOT_GAP = 0.6  # × size: a slotted header is at least this far from the next line inward
HEAD_MAX = 30  # a running head beside the page number has at most this many characters
FURNITURE = frozenset({"header", "footer", "page_number"})
_DIGITS = re.compile(r"[0-9０-９]+")
_SPACE = re.compile(r"\s+")
_PAGE_NO = re.compile(
    r"[\s\-–—·•‧|]*(?:[0-9０-９]{1,4}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
    r"|[\u2160-\u216f]{1,3}|[\u2170-\u217f]{1,3}"  # Ⅰ Ⅱ … Ⅻ, ⅰ ⅱ …: the front matter's numbers in CJK fonts
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[，,/]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|[〇零一二三四五六七八九十百千]{1,6}"  # 九一五: classical and vertical books number pages in Chinese
    r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}|[Pp]age\s*[0-9]{1,4}(?:\s*of\s*[0-9]{1,4})?)[\s\-–—·•‧|]*"
)


def is_page_number(text: str) -> bool:
    """``12``, ``１２``, ``- 12 -``, ``·12·``, ``第12页``, ``12/234``, ``iv``, ``Ⅲ``, ``九一五``."""
    return bool(text.strip()) and _PAGE_NO.fullmatch(text) is not None


def _in_band(line: Line, page: PageText, band: float = BAND) -> str | None:
    centre = (line.top + line.bottom) / 2
    if centre < band * page.height:
        return "header"
    if centre > (1 - band) * page.height:
        return "footer"
    return None


def _key(line: Line) -> tuple[str, int]:
    # size is part of the key so a page-1 title in the header's words is not a header
    return _DIGITS.sub("#", _SPACE.sub("", line.text)), round(line.size)


def _words(line: Line) -> str:
    return _SPACE.sub("", line.text)


def outermost(page: PageText, band: str) -> list[Line]:
    """The row of not-yet-furniture lines nearest the top (``header``) or bottom (``footer``) edge."""
    lines = [ln for ln in page.lines if ln.role not in FURNITURE and ln.text.strip()]
    if not lines:
        return []
    if band == "header":
        edge = min(ln.top for ln in lines)
        return [ln for ln in lines if ln.top - edge < 0.5 * ln.size]
    edge = max(ln.bottom for ln in lines)
    return [ln for ln in lines if edge - ln.bottom < 0.5 * ln.size]


def mark_furniture(pages: list[PageText]) -> list[LogEntry]:
    """Set ``role`` on header/footer/page-number lines of ``pages``; return what was removed."""
    text_pages = [p for p in pages if p.lines]
    removed: dict[str, list[str]] = {"header": [], "footer": [], "page_number": []}
    for line in _repeated(text_pages):
        removed[line.role].append(line.text)
    for line in _slotted(text_pages):
        removed[line.role].append(line.text)
    for line in _repeated_edge(text_pages):
        removed[line.role].append(line.text)
    for line in _beside_page_number(text_pages):
        removed[line.role].append(line.text)
    return _log(removed)


def _beside_page_number(pages: list[PageText]) -> Iterator[Line]:
    """Running heads that share the page number's row at the page's edge: set smaller than the body, short,
    and apart from the text inside. A book that alternates its heads (the book's title over even pages,
    the chapter's over odd ones, as a vertical page's margin column) repeats each on too few pages to be
    found by repetition; the page number beside it shows what it is."""
    body_size = _body_size(pages)
    for p in pages:
        for band in ("header", "footer"):
            numbers = [ln for ln in p.lines if ln.role == "page_number" and _in_band(ln, p, WIDE_BAND) == band]
            if not numbers:
                continue
            for ln in outermost(p, band):
                if (not ln.role and _in_band(ln, p, WIDE_BAND) == band and ln.size <= body_size - 0.5
                        and len(_words(ln)) <= HEAD_MAX and _apart(ln, p, band)
                        and any(abs(n.top - ln.top) < 0.5 * ln.size for n in numbers)):
                    ln.role = band
                    yield ln


def _repeated_edge(pages: list[PageText]) -> Iterator[Line]:
    """Running headers/footers set further in than the bands (a standard's number under a deep top
    margin): the outermost line of its page, within ``DEEP_BAND``, whose words (digits read as ``#``)
    stand at the same height as the outermost line of many other pages."""
    if len(pages) < 3:
        return
    need = max(3, math.ceil(REPEAT_SHARE * len(pages)))
    for band in ("header", "footer"):
        found: dict[tuple[str, int], list[Line]] = {}
        for p in pages:
            for ln in outermost(p, band):
                if not ln.role and _in_band(ln, p, DEEP_BAND) == band:
                    found.setdefault(_key(ln), []).append(ln)
        for lines in found.values():
            if len({ln.page for ln in lines}) < need:
                continue
            for ln in lines:
                if len({o.page for o in lines if abs(_edge(o, band) - _edge(ln, band)) <= SLOT_TOL}) >= need:
                    ln.role = band
                    yield ln


def _repeated(pages: list[PageText]) -> Iterator[Line]:
    """Page numbers and lines whose text repeats in the band (the outer band: outermost lines only)."""
    all_counts: Counter[tuple[str, int]] = Counter()
    parity_counts: dict[int, Counter[tuple[str, int]]] = {0: Counter(), 1: Counter()}
    parity_pages = Counter(p.page_no % 2 for p in pages)
    for p in pages:
        keys = {_key(ln) for ln in p.lines if _in_band(ln, p, WIDE_BAND)}
        all_counts.update(keys)
        parity_counts[p.page_no % 2].update(keys)
    need_all = max(2, math.ceil(REPEAT_SHARE * len(pages)))
    for p in pages:
        parity = parity_counts[p.page_no % 2]
        need_parity = max(2, math.ceil(REPEAT_SHARE * parity_pages[p.page_no % 2]))

        def furniture(
            ln: Line, p: PageText = p, parity: Counter = parity, need_parity: int = need_parity, inner: bool = True
        ) -> bool:
            if inner and is_page_number(ln.text):  # further in, only a page number in a slot (below)
                ln.role = "page_number"
            elif all_counts[_key(ln)] >= need_all or parity[_key(ln)] >= need_parity:
                ln.role = _in_band(ln, p, WIDE_BAND) or ln.role
            return ln.role in FURNITURE

        for ln in p.lines:
            # a page number set under the footnote rule is still a page number
            if ln.role in ("", "footnote") and _in_band(ln, p) and furniture(ln):
                yield ln
        for band in ("header", "footer"):  # a little further in: the edge rows only, row by row
            for _ in range(2):
                row = [ln for ln in outermost(p, band) if _in_band(ln, p, WIDE_BAND) == band and not ln.role]
                hits = [ln for ln in row if furniture(ln, inner=False)]
                yield from hits
                if not hits:
                    break


def _body_size(pages: list[PageText]) -> float:
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            if ln.role not in FURNITURE and ln.role != "footnote":
                sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _edge(line: Line, band: str) -> float:
    return line.top if band == "header" else line.bottom


def _same_slot(a: Line, b: Line, band: str) -> bool:
    return abs(_edge(a, band) - _edge(b, band)) <= SLOT_TOL and abs(a.size - b.size) <= 0.6


def _slotted(pages: list[PageText]) -> Iterator[Line]:
    """Running headers/footers whose words change: outermost lines in a slot most pages fill."""
    if len(pages) < 3:
        return
    body_size = _body_size(pages)
    need = max(3, math.ceil(REPEAT_SHARE * len(pages)))
    # lines outside both bands by their words: a header repeats a heading in a smaller size
    inner_size: dict[str, float] = {}
    for p in pages:
        for ln in p.lines:
            if not _in_band(ln, p, WIDE_BAND):
                inner_size[_words(ln)] = max(ln.size, inner_size.get(_words(ln), 0.0))
    for band in ("header", "footer"):
        # what fills each page's edge slot: its furniture, else its outermost row in the wide band
        occupants: dict[int, list[Line]] = {}
        candidates: dict[int, list[Line]] = {}
        for p in pages:
            marked = [ln for ln in p.lines if ln.role in FURNITURE and _in_band(ln, p, WIDE_BAND) == band]
            row = [ln for ln in outermost(p, band) if _in_band(ln, p, WIDE_BAND) == band and not ln.role]
            candidates[p.page_no] = [ln for ln in row if _apart(ln, p, band)]
            occupants[p.page_no] = marked + candidates[p.page_no]
        order = [p.page_no for p in pages]
        by_edge: dict[int, list[tuple[int, Line]]] = {}  # occupants by edge position, SLOT_TOL wide
        for no, lines in occupants.items():
            for other in lines:
                by_edge.setdefault(math.floor(_edge(other, band) / SLOT_TOL), []).append((no, other))
        for i, p in enumerate(pages):
            neighbours = [occupants[order[j]] for j in (i - 1, i + 1) if 0 <= j < len(order)]
            for ln in candidates[p.page_no]:
                at = math.floor(_edge(ln, band) / SLOT_TOL)
                near = [hit for k in (at - 1, at, at + 1) for hit in by_edge.get(k, [])]
                filled = len({no for no, other in near if no != p.page_no and _same_slot(ln, other, band)}) + 1
                if filled < need:
                    continue
                words = _words(ln)
                echoed = len(words) >= 2 and (
                    inner_size.get(words, 0.0) >= ln.size + 1
                    or any(_words(o) == words for nb in neighbours for o in nb)
                )
                if is_page_number(ln.text):
                    ln.role = "page_number"
                elif ln.size <= body_size - 0.5 or echoed:
                    ln.role = band
                else:
                    continue
                yield ln


def _apart(line: Line, page: PageText, band: str) -> bool:
    """No other line within ``SLOT_GAP`` × size of ``line`` on its inner side (a header stands apart)."""
    for ln in page.lines:
        if ln is line or ln.role in FURNITURE:
            continue
        if band == "header" and ln.top > line.top + 0.5 * line.size:
            if ln.top - line.bottom < SLOT_GAP * line.size:
                return False
        elif band == "footer" and ln.bottom < line.bottom - 0.5 * line.size:
            if line.top - ln.bottom < SLOT_GAP * line.size:
                return False
    return True


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
            detail = " | ".join(distinct[:20]) + (f" | ... ({len(distinct)} distinct)" if len(distinct) > 20 else "")
            log.append(LogEntry(steps[role], len(texts), detail))
    return log
