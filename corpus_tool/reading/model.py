"""Plain data passed between the ingest steps: extract → repair → structure → store.

Extractors (PDF, text, HTML, DOCX ...) produce an :class:`Extracted`: a list of
:class:`Block` in reading order plus what they removed. The structure step turns
cleaned blocks into a :class:`Document` that the store writes in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Block kinds an extractor may emit.
RAW = "raw"  # unsegmented text (plain-text input): the text layout step splits it
PARA = "para"  # one paragraph; may still contain hard line breaks ("\n")
HEADING = "heading"  # a heading found by layout (font, position)
FRONT = "front"  # front matter spanning the page (title, authors, abstract, keywords)
FOOTNOTE = "footnote"  # footnote text, kept apart from the body
TITLE = "title"  # the document title when the extractor knows it (PDF font size, HTML <h1>)

# Where a display formula was left out of a paragraph (see reading/pdf/formulas.py): one mark for each,
# so the sentence around it does not join across it (即〔公式〕其中：……). Its 公式 is a stop token (segment).
FORMULA_MARK = "〔公式〕"

# How the reason of a page withheld after OCR starts (its text was too uncertain): --ocr cannot help it.
OCR_LOW_CONFIDENCE = "OCR confidence too low"


@dataclass
class Block:
    """A run of text with the role the extractor gave it."""

    kind: str
    text: str
    page: int | None = None  # 1-based page number, when known
    level: int | None = None  # heading level, when the extractor knows it
    source: str = "text"  # "text" (text layer or text file), "ocr" (read by OCR) or "mixed" (some glyphs OCR)
    ocr_confidence: float | None = None  # mean tesseract confidence (0–100) of its OCR glyphs; None without OCR


def joined(blocks: list[Block], text: str) -> Block:
    """The first block with ``text``: the join of ``blocks``, whose provenance it takes (OCR confidence weighted
    by each block's length)."""
    sources = {b.source for b in blocks}
    source = sources.pop() if len(sources) == 1 else "mixed"
    scored = [(b.ocr_confidence, len(b.text)) for b in blocks if b.ocr_confidence is not None]
    n = sum(w for _, w in scored)
    conf = round(sum(c * w for c, w in scored) / n, 1) if n else (scored[0][0] if scored else None)
    return Block(blocks[0].kind, text, blocks[0].page, blocks[0].level, source, conf)


@dataclass
class LogEntry:
    """One line of a document's cleaning log: what a step changed and how often."""

    step: str
    count: int
    detail: str = ""


@dataclass
class TableCell:
    """One cell of a table; a merged cell sits at its top-left position and spans the others."""

    row: int  # 1-based
    col: int  # 1-based
    text: str
    row_span: int = 1
    col_span: int = 1
    source: str = "text"  # "text": the PDF's text layer; "ocr": read by OCR (check it against the page)
    page: int | None = None  # the page it is on, when the table runs on past its first page


@dataclass
class Table:
    """A table read from a page as a grid (PDF ruled tables), kept out of the prose."""

    table_no: int  # 1-based in document order
    page: int | None
    n_rows: int
    n_cols: int
    cells: list[TableCell] = field(default_factory=list)
    # where it sits on its page (pt, top-down; not stored): tells a table continued on the next page
    top: float | None = None
    bottom: float | None = None
    col_x: tuple[float, ...] = ()  # the columns' left edges
    # not stored, for reading cells again on their own (:mod:`.pdf.cell_ocr`): (row, col) -> the cell's box
    # (x0, top, x1, bottom) on its page, and for cells read by OCR their mean confidence (per character)
    cell_boxes: dict[tuple[int, int], tuple[float, float, float, float]] = field(default_factory=dict)
    ocr_conf: dict[tuple[int, int], float] = field(default_factory=dict)


@dataclass
class Extracted:
    """What an extractor read from one file, before repair."""

    blocks: list[Block]
    n_pages: int = 0
    scanned_pages: list[int] = field(default_factory=list)  # pages with no text layer
    suspect_pages: list[int] = field(default_factory=list)  # pages whose text layer looks broken
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    unreadable_pages: dict[int, str] = field(default_factory=dict)  # page -> why its text was withheld
    encoding: str | None = None  # detected text encoding (text formats)
    log: list[LogEntry] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # format-level metadata (PDF info, HTML <title>)
    fmt: str = ""  # pdf, txt, md, html, docx ...
    tables: list[Table] = field(default_factory=list)  # tables kept out of the blocks (PDF ruled tables)


@dataclass
class Section:
    section_no: int  # 1-based, in document order
    level: int  # 1 = 一、 / 第一章; 2 = （一） / 第一节; 3 = 1. ...
    title: str
    parent_no: int | None = None


@dataclass
class Unit:
    """A unit of text in document order: a body paragraph, a heading, the abstract ...

    Every text field lives here (``field`` tells which), so searches, tokens and
    counts cover title, abstract, keywords, headings and body alike.
    """

    para_no: int  # 1-based, document order, over all fields
    field: str  # title | front | abstract | keywords | heading | body | caption | reference
    text: str
    section_no: int | None = None
    page: int | None = None
    source: str = "text"  # text | ocr | mixed: whether OCR read it (check OCR text against the page)
    ocr_confidence: float | None = None  # mean tesseract word confidence of its OCR glyphs (0–100)


@dataclass
class Citation:
    para_no: int
    number: int  # reference number n in [n]
    page: str | None  # cited page(s), e.g. "10" or "10-12"; None when not given
    offset: int  # character offset in the unit's cleaned text where the marker stood


@dataclass
class Footnote:
    footnote_no: int
    text: str
    page: int | None = None


@dataclass
class Document:
    """A cleaned, structured document ready to store."""

    doc_id: str
    source_path: str
    fmt: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # year, date, issuer, doc_number ... and their sources
    n_pages: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages OCR read, whole or in regions (for the summary)
    unreadable_pages: dict[int, str] = field(default_factory=dict)  # page -> why its text was withheld
    encoding: str | None = None

    @property
    def body(self) -> list[Unit]:
        return [u for u in self.units if u.field == "body"]

    @property
    def n_chars(self) -> int:
        return sum(len(u.text) for u in self.units)

