"""Line roles the block step must know before it joins lines: captions cut from the body text on
their baseline, and notes set small at a page's foot.

A caption set under a figure can share a baseline with the last line of the column beside the
figure (``方共同认定、逐级   图1 统一现状图…``): built by baseline, the body line ends up inside the
caption. Notes at a page's foot without a drawn rule above them (收稿日期, 基金项目, 通讯作者 on an
article's first page) read as the next lines of the column and land inside its open sentence.
Both are set apart here; the block step (:mod:`.blocks`) then carries an open sentence across them.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from corpus_tool.reading.headings import is_caption
from corpus_tool.reading.model import LogEntry
from corpus_tool.reading.pdf.rows import Row

BAND = 0.08  # the top band running headers sit in (as in layout.BAND, which imports this module)

if TYPE_CHECKING:  # layout imports this module
    from corpus_tool.reading.pdf.blocks import DocStats
    from corpus_tool.reading.pdf.layout import PageText

CAPTION_GAP = 2.0  # a caption sharing a baseline with body text is at least this × size away from it
NOTE_ZONE = 0.7  # foot notes start below this share of the page height ...
NOTE_GAP = 1.5  # ... this × the body pitch below the page's lowest body line ...
NOTE_SMALL = 0.93  # ... set at most this × the body size ...
MAX_NOTE_LINES = 8  # ... and are few, the first one starting at most this × size in from the column's edge:
NOTE_INDENT = 2.5


def split_caption_rows(rows: list[Row]) -> list[Row]:
    """Cut a row where a caption (图1 …, Table 2 …) begins after a wide gap in another size or font.

    Both pieces become rows of their own (``alone``: never grouped by baseline again), the body
    piece first, so a column takes its last line back and the caption stands alone.
    """
    out: list[Row] = []
    for row in rows:
        ink = sorted((c for c in row.chars if not c.space), key=lambda c: c.x0)
        cut = next((i for i, (a, b) in enumerate(pairwise(ink), 1)
                    if b.x0 - a.x1 >= CAPTION_GAP * max(a.size, b.size)
                    and (abs(a.size - b.size) > 0.3 or a.font != b.font)
                    and is_caption("".join(c.text for c in ink[i:i + 12]))), None)
        if cut is None:
            out.append(row)
            continue
        x = (ink[cut - 1].x1 + ink[cut].x0) / 2
        for chars in ([c for c in row.chars if c.x1 <= x], [c for c in row.chars if c.x1 > x]):
            if any(not c.space for c in chars):
                piece = Row(chars, row.base).measure()
                piece.alone = True
                out.append(piece)
    return out


def mark_foot_notes(pages: list[PageText], stats: DocStats) -> list[LogEntry]:
    """Small lines at a page's foot, below all of its body text and apart from it, are notes.

    Lines already given a role (header, footer, footnote below a rule) are left alone; a caption or
    a heading-sized line among them means the foot is no note block, and nothing is marked.
    """
    if not stats.body_size:
        return []
    found: list[str] = []
    for page in pages:
        free = [ln for ln in page.lines if not ln.role and not ln.marker_only]
        body = [ln for ln in free if abs(ln.size - stats.body_size) < 0.6]
        if not body:
            continue
        floor = max(ln.bottom for ln in body)
        foot = sorted((ln for ln in free if ln.top > floor), key=lambda ln: ln.top)
        if not foot or len(foot) > MAX_NOTE_LINES:
            continue
        if (
            foot[0].top < NOTE_ZONE * page.height
            or foot[0].top - floor < NOTE_GAP * stats.pitch - stats.body_size
            or any(ln.size > NOTE_SMALL * stats.body_size or is_caption(ln.text) for ln in foot)
            or foot[0].x0 - stats.edges(foot[0])[0] > NOTE_INDENT * foot[0].size  # centred: a formula, a credit
        ):
            continue
        for ln in foot:
            ln.role = "footnote"
        found.append(f"p{page.page_no}: " + foot[0].text.strip()[:20])
    if not found:
        return []
    return [LogEntry("pdf_foot_notes", len(found),
                     "small lines at the page foot set apart from the body text (页脚注文，移出正文): "
                     + " | ".join(found))]


def open_sentence_log(breaks: list[tuple[int, str, str]]) -> list[LogEntry]:
    """A log row for sentences left open at a column or page join because no next line was sure to go on."""
    if not breaks:
        return []
    shown = " | ".join(f"p{page}: …{end[-12:]} ‖ {start[:12]}…" for page, end, start in breaks[:20])
    return [LogEntry("pdf_open_sentence_kept", len(breaks),
                     "a sentence open at a column/page join, kept apart (句子在分栏/分页处未接续): " + shown)]



HEADER_MIN_PAGES = 2  # a piece of a running header repeats inside the headers of this many other pages
_SPACE = re.compile(r"\s+")


def mark_header_pieces(pages: list[PageText]) -> list[LogEntry]:
    """Top-band lines that are a piece of the running header found on other pages are header too.

    A header set in one line on most pages (``2 控 制 与 决 策 第xx卷``) may come apart on another
    into lines of its own (the title centred, the volume in another font), which repeat nowhere as
    they are; left in, they open a heading inside the reference list. A top-band line above all of
    its page's body lines whose text (spaces left out) stands inside the headers of other pages goes.
    """
    headers = {p.page_no: "".join(_SPACE.sub("", ln.text) for ln in p.lines if ln.role == "header") for p in pages}
    taken: list[str] = []
    for page in pages:
        free = [ln for ln in page.lines if not ln.role]
        for ln in free:
            text = _SPACE.sub("", ln.text)
            if len(text) < 2 or (ln.top + ln.bottom) / 2 >= BAND * page.height:
                continue
            if any(other.top < ln.top for other in free if other is not ln and other.region == ln.region):
                continue  # not the outermost line of its column
            if sum(1 for no, h in headers.items() if no != page.page_no and text in h) >= HEADER_MIN_PAGES:
                ln.role = "header"
                taken.append(f"p{page.page_no}: {ln.text.strip()}")
    if not taken:
        return []
    return [LogEntry("pdf_header_pieces_removed", len(taken),
                     "pieces of the running header on a line of their own (页眉残片): " + " | ".join(taken[:30]))]
