"""PDF extraction: one file → :class:`~corpus_tool.reading.model.Extracted` blocks in reading order.

pdfplumber parses each page once; its chars are copied to plain data (:mod:`.chars`) and laid
out by :mod:`.layout` (rows by baseline, superscripts, columns per band), page furniture is marked by
:mod:`.furniture`, and :mod:`.blocks` groups lines into title, front matter, headings,
paragraphs and footnotes. Text is left as the PDF gives it (hard line breaks, Founder GBK-row
punctuation ...): the repair step cleans it. Everything removed is logged.

Every page's chars are judged by :mod:`.quality`; a page with broken glyphs or GBK/Big5 mojibake
is read again by PDFium (:mod:`.pdfium_chars`) and by the legacy-code decoder, and the best
reading by the same measure is laid out. A file pdfminer cannot open at all is read by PDFium
alone. A page still unreadable after that is reported and its garbage never becomes text
(with ``ocr`` it goes to tesseract like a scanned page). The log says which engine read which page.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from corpus_tool.reading.model import HEADING, Block, Extracted, LogEntry, Table
from corpus_tool.reading.pdf.blocks import block_log, build_blocks, compute_stats
from corpus_tool.reading.pdf.chars import font_family
from corpus_tool.reading.pdf.charts import Drawing
from corpus_tool.reading.pdf.errors import BrokenPdfError, EncryptedPdfError, OcrUnavailableError
from corpus_tool.reading.pdf.figures import Graphics
from corpus_tool.reading.pdf.formulas import mark_formulas
from corpus_tool.reading.pdf.furniture import FURNITURE, mark_furniture
from corpus_tool.reading.pdf.hidden import Backdrop, withhold_hidden
from corpus_tool.reading.pdf.info import pdf_meta
from corpus_tool.reading.pdf.layout import PageText, image_cover, layout_page, short_rules
from corpus_tool.reading.pdf.ocr import (
    OCR_DPI,
    OCR_PSM,
    REGION_PSM,
    RegionRead,
    frame_image,
    glyph_regions,
    keep_confident_regions,
    ocr_problem,
    region_dpi,
    summarise_regions,
    tesseract_pages,
    tesseract_regions,
    tesseract_version,
)
from corpus_tool.reading.pdf.ocr_chars import (
    LOW_CONF,
    MIN_LINE_CONF,
    MIN_PAGE_CONF,
    MIN_UNSURE_CHARS,
    drop_gap_quotes,
    glyphs,
    snap_sizes,
)
from corpus_tool.reading.pdf.ocr_vote import describe, reconcile_readings
from corpus_tool.reading.pdf.parser_log import parser_warnings
from corpus_tool.reading.pdf.pdfium_chars import open_document, page_chars, page_image_cover
from corpus_tool.reading.pdf.quality import Quality, assess, better, decode_legacy_cjk, sequential_code_fonts
from corpus_tool.reading.pdf.roles import mark_foot_notes, mark_header_pieces
from corpus_tool.reading.pdf.rows import median
from corpus_tool.reading.pdf.safety import check_bytes, check_content_size
from corpus_tool.reading.pdf.sideways import Turn, sideways_direction, turn_page, unmapped_fonts
from corpus_tool.reading.pdf.symbols import FontNote, SymbolReport, map_symbols, page_font_notes
from corpus_tool.reading.pdf.tables import PageTables, find_page_tables, join_continued

if TYPE_CHECKING:  # cell_ocr is imported where OCR'd table cells are read again: its patterns cost every
    # PDF's start 0.02 s, and only pages read with --ocr need them
    from corpus_tool.reading.pdf.cell_ocr import CellReport

SCANNED_MAX_CHARS = 10  # a page with fewer chars ...
SCANNED_MIN_COVER = 0.8  # ... and images over this share of its area is a scan
SUSPECT_SHARE = 0.05  # share of broken chars that makes a text layer suspect
PDFMINER, PDFIUM, DECODED = "pdfminer", "pdfium", "pdfminer+gbk/big5 decoding"
MAX_CELL_CHANGES = 300  # distinct cell changes (before → after) listed per page in the log (a table page has ~100)
OCR_HEADING_MIN_CONF = 70.0  # an OCR'd heading or caption read with less mean confidence is left out, logged
_CAPTION = re.compile(r"[表图]\s*[A-Z]?\.?\d")  # 表1, 图 2, 表A.1: a table's or figure's caption
# glyphs that never carry text: dropped from readable pages (counted); PUA and Yi go on to repair
_NO_TEXT = ("(cid:", "\ufffd")


class _Engines:
    """What the page readers share for one file: PDFium opened on first need, and per-page records."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._doc: Any = None
        self.failed: str | None = None  # why PDFium could not open the file
        self.engine: dict[int, str] = {}  # page -> engine whose chars were laid out
        self.unreadable: dict[int, str] = {}  # page -> reason
        self.dropped: dict[int, int] = {}  # page -> broken glyphs dropped from a readable page
        self.unmapped: dict[int, tuple[int, list[str]]] = {}  # page -> (glyphs, fonts) read as glyph numbers
        self.turned: list[int] = []  # pages set sideways, read turned upright
        self.sideways_unreadable: list[int] = []  # pages set sideways in fonts without a Unicode map
        self.symbols: dict[int, SymbolReport] = {}  # page -> symbol glyphs mapped / withheld
        self.hidden: dict[int, Counter[str]] = {}  # page -> glyphs nobody sees, by reason
        self.ocr_lang: str | None = None  # with --ocr: regions of withheld glyphs are read by tesseract
        self.withheld: dict[int, list[dict[str, Any]]] = {}  # page -> glyphs of fonts without a Unicode map
        self.regions: dict[int, list[RegionRead]] = {}  # page -> its regions read by OCR (kept or not)
        self.region_dpi: set[int] = set()
        self.frames: dict[int, tuple[Any, tuple[float, float], int, float]] = {}  # page -> its frame as region
        # OCR saw it (image, origin, dpi, the withheld glyphs' size), until its table cells are read again
        self.cells: dict[int, CellReport] = {}  # page -> its OCR'd table cells read again one by one

    def pdfium(self) -> Any:
        """The PDFium document, or None when PDFium cannot open the file either (reason kept)."""
        if self._doc is None and self.failed is None:
            try:
                self._doc = open_document(self.path)
            except Exception as e:  # PdfiumError and ctypes errors: the pdfminer reading stands
                self.failed = f"{type(e).__name__}: {e}"
        return self._doc

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()


def extract_pdf(
    path: str | Path, *, max_pages: int | None = None, ocr: bool = False, ocr_lang: str = "chi_sim"
) -> Extracted:
    """Extract blocks in reading order from the PDF at ``path``.

    ``max_pages`` reads only the first pages (logged as ``pdf_pages_truncated``); ``ocr``
    runs tesseract on scanned and unreadable pages. A file pdfminer cannot open is read by
    PDFium. Raises :class:`EncryptedPdfError`,
    :class:`BrokenPdfError` or :class:`OcrUnavailableError` (all :class:`PdfError`).
    """
    path = Path(path)
    check_bytes(path)
    log: list[LogEntry] = []
    tables: list[Table] = []
    engines = _Engines(path)
    engines.ocr_lang = ocr_lang if ocr else None
    with parser_warnings(log):  # pdfminer's own warnings become one log row, not stderr noise
        pages, n_pages, limit, meta = _read_pages(path, max_pages, engines, log, tables)
    unruled = [p for p in pages if p is not None and p.tables]
    if unruled:
        log.append(LogEntry("pdf_unruled_tables", sum(len(p.tables) for p in unruled),
                            "tables without drawn borders (aligned numeric columns) on pages "
                            + _pages([p.page_no for p in unruled])))
    if limit < n_pages:
        log.append(LogEntry("pdf_pages_truncated", n_pages - limit, f"read {limit} of {n_pages} pages"))
    if pages and all(p is None for p in pages):
        errors = "; ".join(e.detail for e in log if e.step == "pdf_page_error")
        raise BrokenPdfError(f"{path}: no page could be parsed ({errors})")
    read = [p for p in pages if p is not None]
    _log_engines(engines, log)
    scanned, suspect = _triage(read, set(engines.unreadable), log)
    unreadable = sorted(engines.unreadable)
    ocr_pages, ocr_withheld = (
        _run_ocr(path, read, sorted(set(scanned) | set(unreadable)), ocr_lang, log)
        if ocr and (scanned or unreadable) else ([], {})
    )
    log.extend(mark_furniture(read))
    # what the running headers and footers said, page by page: a date there dates the document when its
    # content gives none (see metadata.furniture_date)
    furniture = {band: [ln.text for p in read for ln in p.lines if ln.role == band]
                 for band in ("header", "footer")}
    # a table carried on to the next page is one table; the furniture is known now, other lines part them
    tables[:] = join_continued(tables, log, {p.page_no: [(ln.top, ln.bottom) for ln in p.lines if ln.role not in
                                                          FURNITURE] for p in read})
    for no, table in enumerate(tables, 1):
        table.table_no = no
    if tables:
        on = sorted({t.page for t in tables if t.page is not None})
        log.append(LogEntry("pdf_tables", len(tables), "tables kept out of the text on pages " + _pages(on)))
    log.extend(mark_header_pieces(read))
    log.extend(mark_formulas(read))
    stats = compute_stats(read)
    log.extend(mark_foot_notes(read, stats))
    blocks = build_blocks(read, stats, log)
    log.extend(block_log(read, blocks))
    if engines.cells:
        _spell_codes(blocks, tables, log)
    blocks = _withhold_unsure_headings(blocks, log)
    return Extracted(
        blocks=blocks,
        n_pages=n_pages,
        scanned_pages=scanned,
        suspect_pages=sorted(set(suspect) | set(unreadable) | {i + 1 for i, p in enumerate(pages) if p is None}),
        unreadable_pages=dict(sorted(({no: engines.unreadable[no] for no in unreadable if no not in ocr_pages}
                                      | ocr_withheld).items())),
        ocr_pages=ocr_pages,
        log=log,
        tables=tables,
        meta={**meta, "furniture": furniture},
        fmt="pdf",
    )


def _read_pages(
    path: Path, max_pages: int | None, engines: _Engines, log: list[LogEntry], tables: list[Table]
) -> tuple[list[PageText | None], int, int, dict[str, str]]:
    """Every page read (None for a page that failed), the page count, how many were read, the metadata."""
    try:
        try:
            with _open(path) as pdf:
                n_pages, meta = _doc_info(path, pdf)
                limit = n_pages if max_pages is None else max(0, min(n_pages, max_pages))
                pages = [_read_page(pdf.pages[i], i + 1, engines, log, tables) for i in range(limit)]
        except BrokenPdfError as e:
            doc = engines.pdfium()
            if doc is None:
                raise BrokenPdfError(f"{e}; PDFium cannot open it either ({engines.failed})") from e
            n_pages, meta = len(doc), pdf_meta(doc.get_metadata_dict())
            limit = n_pages if max_pages is None else max(0, min(n_pages, max_pages))
            log.append(LogEntry("pdf_engine_fallback", limit, f"pdfminer cannot open the file ({e}); "
                                "every page read by PDFium (pdfminer 无法打开，全部页面由 PDFium 读取)"))
            pages = [_read_pdfium_page(engines, i + 1, log) for i in range(limit)]
    finally:
        engines.close()
    return pages, n_pages, limit, meta


def _open(path: Path) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(path)
    except PdfminerException as e:
        cause = e.args[0] if e.args else e
        if isinstance(cause, PDFEncryptionError):
            raise EncryptedPdfError(f"{path}: encrypted PDF needs a password ({type(cause).__name__})") from e
        raise BrokenPdfError(f"{path}: cannot parse PDF ({type(cause).__name__}: {cause})") from e
    except Exception as e:  # pdfminer raises many types on corrupt input
        raise BrokenPdfError(f"{path}: cannot parse PDF ({type(e).__name__}: {e})") from e


def _doc_info(path: Path, pdf: pdfplumber.PDF) -> tuple[int, dict[str, str]]:
    try:
        return len(pdf.pages), pdf_meta(pdf.metadata)
    except Exception as e:  # a broken page tree shows up only here
        raise BrokenPdfError(f"{path}: cannot read the page tree ({type(e).__name__}: {e})") from e


def _read_page(
    page: Any, page_no: int, engines: _Engines, log: list[LogEntry], tables: list[Table]
) -> PageText | None:
    """Parse one page once (chars, rules, images), find its ruled tables, release pdfplumber's caches,
    then lay out the chars outside the tables (table cells never become paragraphs or headings).

    When pdfminer fails on a page that passed the safety check, PDFium reads its chars instead (and the
    page, whose ruling lines pdfminer could not give, is read as prose).
    """
    engine = PDFMINER
    found: PageTables | None = None
    notes: dict[str, FontNote] = {}
    backdrop: Backdrop | None = None  # what is painted under the text (unknown when pdfminer fails)
    try:
        width, height = float(page.width), float(page.height)
        check_content_size(page.page_obj)
    except Exception as e:  # one bad content stream should not lose the other pages
        page.close()
        log.append(LogEntry("pdf_page_error", 1, f"page {page_no}: {type(e).__name__}: {e}"))
        return None
    try:
        chars, drawn, images, curves = page.chars, page.lines + page.rects, page.images, page.curves
        notes = page_font_notes(page.page_obj)
        backdrop = Backdrop.of(tuple(map(float, page.bbox)), drawn + curves, images)
    except Exception as e:
        page.close()
        fallback = _pdfium_chars(engines, page_no)
        if fallback is None:
            log.append(LogEntry("pdf_page_error", 1, f"page {page_no}: {type(e).__name__}: {e}"))
            return None
        log.append(LogEntry("pdf_engine_fallback", 1, f"page {page_no}: pdfminer failed ({type(e).__name__}: "
                            f"{e}); read by PDFium (pdfminer 读取失败，由 PDFium 读取)"))
        chars, drawn, images, curves, engine = fallback, [], [], [], PDFIUM
    try:
        # the best reading first (every engine gives the same geometry), then its table cells out of the prose
        chars = _best_chars(chars, page_no, engines, engine, notes, backdrop)
        finder: Any = page
        way = sideways_direction(chars) if engine == PDFMINER else None
        if way is not None:  # a landscape table on a portrait page: read in the upright frame
            turned = turn_page(Turn(way, width, height), chars, drawn, page.edges, images, curves)
            readable = _withhold_unmapped(turned["chars"], page_no, engines)
            readable = readable + _ocr_withheld(engines, page_no, readable, turned["page"].edges, way,
                                                turned["width"], turned["height"],
                                                Turn(way, width, height).box(*map(float, page.bbox))[:2])
            if sideways_direction(readable, of_upright=True):
                chars, drawn, images, curves = readable, turned["drawn"], turned["images"], turned["curves"]
                finder, width, height = turned["page"], turned["width"], turned["height"]
                engines.turned.append(page_no)
            else:  # nothing readable was set sideways: the upright text is read as it stands
                left = {id(r) for r in readable}
                chars = [c for c, t in zip(chars, turned["chars"], strict=True) if id(t) in left]
                engines.sideways_unreadable.append(page_no)
                _unread_regions(engines, page_no)  # too little OCR text to read the page turned: not used
        elif engine == PDFMINER and page_no in engines.withheld:  # an upright page's glyphs of unmapped fonts
            bbox = tuple(map(float, page.bbox))
            chars = chars + _ocr_withheld(engines, page_no, chars, page.edges, None, width, height, bbox[:2])
        if engine == PDFMINER:
            found = _find_tables(finder, chars, drawn, page_no, log)
            if page_no in engines.frames and any(t.ocr_conf for t in found.tables):
                _reread_cells(engines, page_no, found.tables)
            tables.extend(found.tables)
            chars = found.prose_chars
    finally:
        page.close()
        engines.frames.pop(page_no, None)  # the rendered page is large: only kept for its tables
    graphics = Graphics.of(drawn + curves, images, width, height)
    drawing = Drawing.of(drawn + curves, found.boxes if found is not None else [], width, height)
    text = layout_page(chars, width, height, page_no, short_rules(drawn, width, height), graphics, drawing)
    text.image_cover = image_cover(images, width, height) if engine == PDFMINER else _cover(engines, page_no)
    tables.extend(text.tables)  # unruled tables the layout found among the rows
    if found is not None:
        text.n_chars += found.table_chars  # the page's text layer includes its tables (scan and suspect checks)
        text.bad_chars += found.bad_chars
    return text


def _find_tables(page: Any, chars: list[dict[str, Any]], drawn: list[dict[str, Any]], page_no: int,
                 log: list[LogEntry]) -> PageTables:
    """The page's ruled tables and the chars left for the prose; a finder failure keeps the page as prose."""
    try:
        found = find_page_tables(page, chars, drawn, page_no)
    except Exception as e:
        log.append(LogEntry("pdf_table_error", 1, f"page {page_no}: read as prose ({type(e).__name__}: {e})"))
        return PageTables([], chars)
    if found.not_searched:
        log.append(LogEntry("pdf_tables_not_searched", 1, f"page {page_no}: read as prose ({found.not_searched})"))
    return found


def _withhold_unmapped(chars: list[dict[str, Any]], page_no: int, engines: _Engines) -> list[dict[str, Any]]:
    """A turned page's glyphs of fonts without a Unicode map left out, counted with the page's others."""
    fonts = unmapped_fonts(chars)
    if not fonts:
        return chars
    kept = [c for c in chars if c.get("fontname", "") not in fonts]
    engines.withheld[page_no] = [c for c in chars if c.get("fontname", "") in fonts and c.get("upright", True)]
    n, names = engines.unmapped.get(page_no, (0, []))
    engines.unmapped[page_no] = (n + len(chars) - len(kept), sorted(set(names) | {readable_font(f) for f in fonts}))
    return kept


def _ocr_withheld(engines: _Engines, page_no: int, readable: list[dict[str, Any]], rules: list[dict[str, Any]],
                  way: str | None, width: float, height: float, origin: tuple[float, float]) -> list[dict[str, Any]]:
    """With --ocr, the page's withheld glyphs (fonts without a Unicode map) read again by tesseract, region by
    region, as glyphs in their place (``width`` × ``height`` frame, turned ``way``; ``origin`` its top left).

    A region whose words are mostly guessed (mean confidence below :data:`.ocr_chars.MIN_PAGE_CONF`) stays
    withheld; every region is recorded for the log, and the glyphs of those read leave the withheld count.
    """
    withheld = engines.withheld.pop(page_no, [])
    if engines.ocr_lang is None or not withheld or engines.pdfium() is None:
        return []
    problem = ocr_problem(engines.ocr_lang)
    if problem:
        raise OcrUnavailableError(f"{engines.path}: {problem}")
    regions = glyph_regions(withheld)
    size = median([float(c["size"]) for c in withheld])
    dpi = region_dpi(size)
    engines.region_dpi.add(dpi)
    image = frame_image(engines.pdfium(), page_no, readable, rules, way, origin, dpi)
    read = tesseract_regions(engines.pdfium(), page_no, regions, readable, rules, way, width, height,
                             engines.ocr_lang, origin, dpi, image)
    engines.frames[page_no] = (image, origin, dpi, size)
    kept, records = keep_confident_regions(read, regions, origin)
    engines.regions[page_no] = records
    done = sum(r.region.glyphs for r in records if r.kept)
    if done:
        n, names = engines.unmapped[page_no]
        engines.unmapped[page_no] = (n - done, names)
        if n == done:
            del engines.unmapped[page_no]
    snap_sizes([kept], size)
    out = glyphs(kept)
    for g in out:  # tesseract's boxes are measured from the frame's corner
        g["x0"] += origin[0]
        g["x1"] += origin[0]
        g["top"] += origin[1]
        g["bottom"] += origin[1]
        g["base"] += origin[1]
    return out


def _reread_cells(engines: _Engines, page_no: int, tables: list[Table]) -> None:
    """The page's table cells read by OCR read again one by one (:mod:`.cell_ocr`); a cell filled from a
    region withheld before takes that region's glyphs out of the withheld count."""
    from corpus_tool.reading.pdf.cell_ocr import reread_cells

    image, origin, dpi, size = engines.frames.pop(page_no)
    records = engines.regions.get(page_no, [])
    unkept = [r for r in records if not r.kept]
    boxes = [(r.region.x0, r.region.top, r.region.x1, r.region.bottom) for r in unkept]
    report = reread_cells(image, tables, origin, dpi, size, engines.ocr_lang or "", page_no, boxes)
    engines.cells[page_no] = report
    for i, conf, chars in report.filled:
        r = unkept[i]
        r.kept, r.mean_conf, r.chars = True, conf, chars
        n, names = engines.unmapped.get(page_no, (0, []))
        if n - r.region.glyphs > 0:
            engines.unmapped[page_no] = (n - r.region.glyphs, names)
        else:
            engines.unmapped.pop(page_no, None)


def _unread_regions(engines: _Engines, page_no: int) -> None:
    """The page's OCR'd regions not used after all: withheld again, and counted so."""
    for r in engines.regions.get(page_no, []):
        if r.kept:
            r.kept = False
            n, names = engines.unmapped.get(page_no, (0, []))
            engines.unmapped[page_no] = (n + r.region.glyphs, names)


def _cover(engines: _Engines, page_no: int) -> float:
    try:
        return page_image_cover(engines.pdfium(), page_no - 1)
    except Exception:  # the chars were read; an unknown image cover only means no scan test
        return 0.0


def _read_pdfium_page(engines: _Engines, page_no: int, log: list[LogEntry]) -> PageText | None:
    """One page of a file only PDFium can open (no ruling lines: PDFium's chars and images only)."""
    doc = engines.pdfium()
    try:
        chars, width, height = page_chars(doc, page_no - 1)
        cover = page_image_cover(doc, page_no - 1)
    except Exception as e:  # as in _read_page: the other pages go on
        log.append(LogEntry("pdf_page_error", 1, f"page {page_no}: {type(e).__name__}: {e}"))
        return None
    chars = _best_chars(chars, page_no, engines, PDFIUM)
    text = layout_page(chars, width, height, page_no)
    text.image_cover = cover
    return text


def _best_chars(
    chars: list[dict[str, Any]], page_no: int, engines: _Engines, engine: str = PDFMINER,
    notes: dict[str, FontNote] | None = None, backdrop: Backdrop | None = None,
) -> list[dict[str, Any]]:
    """``engine``'s chars, unless the page has garbage and another reading is better by :func:`assess`.

    Only pages with garbage pay for a second reading. PDFium comes before the decoder, so on a
    tie a real engine's reading wins over the heuristic one. Symbol-font codes are read in their
    font's encoding first (:mod:`.symbols`; ``notes`` are pdfminer's font resources of the page):
    PDFium decodes Symbol fonts itself, so only fonts whose glyph names are unusable apply to it.
    """
    notes = notes or {}
    chars, symbols = map_symbols(chars, notes if engine == PDFMINER else _names_unusable(notes))
    quality = assess(chars)
    if quality.needs_second_look:
        candidates: list[tuple[str, Any]] = []
        if engine != PDFIUM:
            candidates.append((PDFIUM, lambda: _pdfium_chars(engines, page_no)))
        if quality.mojibake and engine == PDFMINER:
            candidates.append((DECODED, lambda: decode_legacy_cjk(chars)))
        for name, read in candidates:
            other = read()
            if other is None:
                continue
            other_symbols = symbols
            if name == PDFIUM:
                other, other_symbols = map_symbols(other, _names_unusable(notes))
            other_quality = assess(other)
            if better(quality, other_quality):
                chars, quality, engine, symbols = other, other_quality, name, other_symbols
    kept = _keep_readable(chars, quality, engine, page_no, engines, backdrop)
    if (symbols.mapped or symbols.withheld) and page_no not in engines.unreadable:  # a withheld page is logged
        engines.symbols[page_no] = symbols  # as unreadable, all its glyphs with it
    return kept


def _names_unusable(notes: dict[str, FontNote]) -> dict[str, FontNote]:
    return {name: note for name, note in notes.items() if note.stock_names}


def _pdfium_chars(engines: _Engines, page_no: int) -> list[dict[str, Any]] | None:
    doc = engines.pdfium()
    if doc is None:
        return None
    try:
        return page_chars(doc, page_no - 1)[0]
    except Exception:  # PDFium failing on a page pdfminer read: keep pdfminer's reading
        return None


def _keep_readable(
    chars: list[dict[str, Any]], quality: Quality, engine: str, page_no: int, engines: _Engines,
    backdrop: Backdrop | None = None,
) -> list[dict[str, Any]]:
    """Record the page's engine; an unreadable page gives no chars, a readable one loses its
    few glyphs that carry no text (``(cid:N)``, U+FFFD) and those nobody can see (:mod:`.hidden`), counted."""
    engines.engine[page_no] = engine
    if quality.unreadable:
        engines.unreadable[page_no] = quality.reason()
        return []
    kept = [c for c in chars if not c["text"].startswith(_NO_TEXT) and not _is_control(c["text"])]
    if len(kept) < len(chars):
        engines.dropped[page_no] = len(chars) - len(kept)
    unmapped = sequential_code_fonts(kept)
    if unmapped:  # glyphs numbered in order of use and read as ASCII: never text, so never stored
        before = len(kept)
        engines.withheld[page_no] = [c for c in kept if c.get("fontname", "") in unmapped and c.get("upright", True)]
        kept = [c for c in kept if c.get("fontname", "") not in unmapped]
        engines.unmapped[page_no] = (before - len(kept), sorted({readable_font(f) for f in unmapped}))
    kept, hidden = withhold_hidden(kept, backdrop)
    if hidden:
        engines.hidden[page_no] = hidden
    return kept


def readable_font(name: str) -> str:
    """A font's family for a log line: the subset tag dropped, a GBK-byte name (``b'ABCDEE+\\xcb\\xce'``,
    as pdfminer gives it) decoded."""
    if name.startswith(("b'", 'b"')):
        try:
            name = ast.literal_eval(name).decode("gb18030")
        except (ValueError, SyntaxError, UnicodeDecodeError):
            pass
    return font_family(name)


def _is_control(text: str) -> bool:
    cp = ord(text[0]) if text else 0
    return (cp < 0x20 and text not in ("\t", "\n", "\r")) or 0x7F <= cp < 0xA0


def _log_engines(engines: _Engines, log: list[LogEntry]) -> None:
    """Which engine read which page; unreadable pages by reason; dropped glyphs."""
    by_engine: dict[str, list[int]] = {}
    for no, name in sorted(engines.engine.items()):
        by_engine.setdefault(name, []).append(no)
    for name, nos in sorted(by_engine.items()):
        log.append(LogEntry("pdf_engine", len(nos), f"{name} read pages {_pages(nos)}"))
    for no, reason in sorted(engines.unreadable.items()):
        log.append(LogEntry("pdf_unreadable_page", 1, f"page {no}: {reason}; text withheld (文字层无法读取，未收录)"))
    if engines.dropped:
        log.append(LogEntry("pdf_broken_glyphs_dropped", sum(engines.dropped.values()),
                            f"(cid:N)/U+FFFD glyphs on pages {_pages(sorted(engines.dropped))}"))
    if engines.hidden:
        where = "; ".join(f"page {no}: " + ", ".join(f"{n} {why}" for why, n in sorted(c.items()))
                          for no, c in sorted(engines.hidden.items()))
        log.append(LogEntry("pdf_hidden_text_withheld", sum(sum(c.values()) for c in engines.hidden.values()),
                            f"glyphs a reader cannot see, withheld (不可见文字，未收录): {where}"))
    if engines.turned:
        log.append(LogEntry("pdf_sideways_read", len(engines.turned),
                            "pages set sideways turned upright and read (横排页面已旋转后读取): "
                            + _pages(engines.turned)))
    if engines.sideways_unreadable:
        hint = ("OCR could not read them with confidence (OCR 置信度过低)" if engines.ocr_lang
                else "rerun with --ocr to read them (请使用 --ocr)")
        log.append(LogEntry("pdf_sideways_unreadable", len(engines.sideways_unreadable),
                            f"pages {_pages(engines.sideways_unreadable)} set sideways in fonts without a Unicode "
                            f"map: text withheld (横排页面字体无 Unicode 映射，未收录); {hint}"))
    _log_regions(engines, log)
    _log_cells(engines, log)
    mapped = {no: r.mapped for no, r in sorted(engines.symbols.items()) if r.mapped}
    if mapped:
        log.append(LogEntry("pdf_symbols_mapped", sum(mapped.values()), "symbol/dingbat font codes read in the "
                            f"font's own encoding (符号字体按其编码转换) on pages {_pages(list(mapped))}"))
    withheld = {no: r.withheld for no, r in sorted(engines.symbols.items()) if r.withheld}
    if withheld:
        where = "; ".join(f"page {no}: " + ", ".join(f"{n} ({font})" for font, n in sorted(c.items()))
                          for no, c in withheld.items())
        log.append(LogEntry("pdf_unmapped_symbols_dropped", sum(sum(c.values()) for c in withheld.values()),
                            "symbol glyphs whose font gives no usable Unicode (private-use codes of unknown "
                            "fonts, fonts whose glyph names are a stock table), withheld, each run marked 〓 in the "
                            f"text (符号字形无可靠 Unicode，未收录，文中以〓标出): {where}"))
    if engines.unmapped:
        where = "; ".join(f"page {no}: {n} ({', '.join(fonts)})" for no, (n, fonts) in sorted(engines.unmapped.items()))
        log.append(LogEntry("pdf_unmapped_font_dropped", sum(n for n, _ in engines.unmapped.values()),
                            f"glyphs of fonts without a Unicode map, read as ASCII codes in numbering order "
                            f"(字体无 Unicode 映射，按字形编号读出的乱码，已剔除): {where}"))


def _log_regions(engines: _Engines, log: list[LogEntry]) -> None:
    """Which page regions of withheld glyphs tesseract read, and with what confidence; those it could not."""
    for kept, step, note in ((True, "pdf_region_ocr", "read by OCR in place of glyphs of fonts without a Unicode "
                              "map (无 Unicode 映射字体的区域，已由 OCR 识别)"),
                             (False, "pdf_region_ocr_withheld", f"OCR mean confidence below {MIN_PAGE_CONF:.0f}: "
                              "glyphs stay withheld (OCR 置信度过低，未收录)")):
        rows = [(no, r) for no, rs in sorted(engines.regions.items()) for r in rs if r.kept == kept]
        if not rows:
            continue
        by_page: dict[int, list[RegionRead]] = {}
        for no, r in rows:
            by_page.setdefault(no, []).append(r)
        where = "; ".join(f"page {no}: " + (rs[0].describe() if len(rs) == 1 else summarise_regions(rs))
                          for no, rs in by_page.items())
        setting = (f"tesseract {tesseract_version()} -l {engines.ocr_lang} --psm {REGION_PSM} at "
                   f"{','.join(map(str, sorted(engines.region_dpi)))} dpi; ")
        log.append(LogEntry(step, len(rows), f"{setting}page regions {note}: {where}"))


def _withhold_unsure_headings(blocks: list[Block], log: list[LogEntry]) -> list[Block]:
    """The blocks without the OCR'd one-line headings and captions (表3 …) read with a mean confidence below
    :data:`OCR_HEADING_MIN_CONF`, which are logged. A heading or caption is too short for its misread
    characters to hide among the rest (表3 0-型型钛N思合<金脾号), and a false heading misleads the structure."""
    kept, out = [], []
    for b in blocks:
        text = b.text.strip()
        if (b.source == "ocr" and b.ocr_confidence is not None and b.ocr_confidence < OCR_HEADING_MIN_CONF
                and "\n" not in text and len(text.replace(" ", "")) >= MIN_UNSURE_CHARS
                and (b.kind == HEADING or _CAPTION.match(text))):
            out.append(b)
        else:
            kept.append(b)
    if out:
        log.append(LogEntry("pdf_ocr_headings_withheld", len(out), f"headings and captions read by OCR with mean "
                            f"confidence below {OCR_HEADING_MIN_CONF:.0f}, left out (OCR 置信度过低的标题，未收录): "
                            + "; ".join(f"page {b.page}: {b.text.strip()} ({b.ocr_confidence:.0f})" for b in out)))
    return kept


def _spell_codes(blocks: list[Block], tables: list[Table], log: list[LogEntry]) -> None:
    """OCR'd table cells that are a code of the text layer but for a confusable letter, spelled as it spells it."""
    from corpus_tool.reading.pdf.cell_ocr import code_lexicon, spell_codes

    lexicon = code_lexicon([b.text for b in blocks if b.source == "text"]
                           + [c.text for t in tables for c in t.cells if c.source == "text"])
    changes = spell_codes(tables, lexicon)
    if changes:
        pairs = Counter((c.before, c.after) for c in changes)
        shown = ", ".join(f"{b} → {a}" + (f" ×{n}" if n > 1 else "") for (b, a), n in sorted(pairs.items()))
        log.append(LogEntry("pdf_cell_ocr_codes", len(changes), "codes in table cells read by OCR spelled as the "
                            "text layer spells them, O/0 and I/l/1 being confusable "
                            "(OCR 单元格中的代号按正文拼写更正): " + shown))


def _log_cells(engines: _Engines, log: list[LogEntry]) -> None:
    """Which OCR'd table cells the cell-by-cell reading changed: each change (before → after) with its count."""
    if not engines.cells:
        return
    from corpus_tool.reading.pdf.cell_ocr import CELL_PSM

    parts = []
    for no, report in sorted(engines.cells.items()):
        pairs = Counter((c.before, c.after) for c in report.changes)
        shown = ", ".join(f"{before or '∅'} → {after}" + (f" ×{n}" if n > 1 else "")
                          for (before, after), n in pairs.most_common(MAX_CELL_CHANGES))
        more = f", and {len(pairs) - MAX_CELL_CHANGES} more" if len(pairs) > MAX_CELL_CHANGES else ""
        parts.append(f"page {no}: {report.cells} cells, {len(report.changes)} changed"
                     + (f" ({shown}{more})" if shown else ""))
    log.append(LogEntry("pdf_cell_ocr", sum(len(r.changes) for r in engines.cells.values()),
                        f"table cells read by OCR read again one by one (tesseract --psm {CELL_PSM}: "
                        f"{engines.ocr_lang} alone, eng limited to figures or Latin letters by the column), "
                        "the most confident reading kept (表格单元格逐格重新识别，取置信度最高者): "
                        + "; ".join(parts)))


def _triage(pages: list[PageText], unreadable: set[int], log: list[LogEntry]) -> tuple[list[int], list[int]]:
    """Scanned pages (no text, mostly image; not those withheld as unreadable) and pages whose
    text layer looks broken."""
    scanned = [
        p.page_no for p in pages
        if p.n_chars < SCANNED_MAX_CHARS and p.image_cover >= SCANNED_MIN_COVER and p.page_no not in unreadable
    ]
    suspect = [p.page_no for p in pages if p.n_chars and p.bad_chars > SUSPECT_SHARE * p.n_chars]
    if scanned:
        log.append(LogEntry("pdf_scanned_page", len(scanned), "no text layer on pages " + _pages(scanned)))
    if suspect:
        bad = sum(p.bad_chars for p in pages if p.page_no in suspect)
        log.append(
            LogEntry("pdf_suspect_text_layer", len(suspect), f"{bad} broken chars on pages {_pages(suspect)}")
        )
    for step, counts in (
        ("pdf_rotated_text_dropped", {p.page_no: p.rotated for p in pages if p.rotated}),
        ("pdf_duplicate_glyphs_dropped", {p.page_no: p.duplicates for p in pages if p.duplicates}),
        ("pdf_vertical_text", {p.page_no: len(p.lines) for p in pages if p.vertical}),  # columns read
        ("pdf_interlinear_notes", {p.page_no: p.interlinear for p in pages if p.interlinear}),
    ):
        if counts:
            log.append(LogEntry(step, sum(counts.values()), "pages " + _pages(list(counts))))
    labels = [(p.page_no, t) for p in pages for t in p.figure_labels]
    if labels:
        shown = " | ".join(f"p{no}: {t}" for no, t in labels[:20]) + (" ……" if len(labels) > 20 else "")
        log.append(LogEntry("pdf_figure_labels_left_out", len(labels),
                            f"labels inside or beside figures, kept out of the text (图中标注，未收入正文): {shown}"))
    return scanned, suspect


def _run_ocr(path: Path, pages: list[PageText], todo: list[int], lang: str, log: list[LogEntry]
             ) -> tuple[list[int], dict[int, str]]:
    """Read the pages ``todo`` with tesseract and lay out its words like any page's glyphs (:mod:`.ocr_chars`).

    Each OCR page replaces its :class:`PageText` in ``pages``. Returns the pages whose OCR text was kept
    and those withheld for low confidence, with the reason. The log names the tesseract version,
    language, settings and pages, and counts the low-confidence words per page.
    """
    problem = ocr_problem(lang)
    if problem:
        raise OcrUnavailableError(f"{path}: {problem}")
    read = list(tesseract_pages(path, todo, lang))
    ocr_nos = set(todo)
    text_pages = [p for p in pages if p.page_no not in ocr_nos]
    reference = compute_stats(text_pages).body_size if text_pages else 0.0
    snap_sizes(read, reference or None)
    index = {p.page_no: i for i, p in enumerate(pages)}
    done: list[int] = []
    withheld: dict[int, str] = {}
    reconciled = reconcile_readings([p for p in read if p.problem() is None])
    gap_quotes = {p.page_no: q for p in read if p.problem() is None and (q := drop_gap_quotes(p))}
    for ocr in read:
        reason = ocr.problem()
        if reason is not None:
            withheld[ocr.page_no] = reason
            continue
        old = pages[index[ocr.page_no]]
        # a born-digital page read by OCR (its fonts have no Unicode map) keeps its drawn footnote rules; a
        # scan has none. Only in the same upright frame (a vertical or turned page's rules are in another).
        same_frame = not old.vertical and abs(old.width - ocr.width) < 1 and abs(old.height - ocr.height) < 1
        text = layout_page(glyphs(ocr), ocr.width, ocr.height, ocr.page_no, old.rules if same_frame else None)
        text.image_cover = old.image_cover
        pages[index[ocr.page_no]] = text
        done.append(ocr.page_no)
    log.append(LogEntry("pdf_ocr", len(done), f"tesseract {tesseract_version()} -l {lang} --psm {OCR_PSM} at "
                        f"{OCR_DPI} dpi on pages {_pages(done) or '-'} (OCR 识别的页面)"))
    if reconciled.corrections:
        log.append(LogEntry("pdf_ocr_reading_unified", len(reconciled.corrections), "a word OCR read several ways "
                            "in the document, its misreadings (no word) replaced by the reading its majority gives "
                            "(OCR 同词异读，按全文多数读法统一): " + describe(reconciled.corrections)))
    if reconciled.unresolved:
        log.append(LogEntry("pdf_ocr_reading_unresolved", len(reconciled.unresolved), "a word (a name) OCR read a "
                            "different way each time, left as read; check it on the page (OCR 每处读法不同，未统一，"
                            "请核对原页): " + "; ".join(reconciled.unresolved)))
    if gap_quotes:
        log.append(LogEntry("pdf_ocr_gap_quotes", sum(map(len, gap_quotes.values())), "a quote mark OCR read in "
                            "the gap after a section or figure number, taken out (编号后空白误识为引号，已删除): "
                            + "; ".join(f"page {no}: {' | '.join(q)}" for no, q in sorted(gap_quotes.items()))))
    kept = [p for p in read if p.page_no in done]
    low = [(p.page_no, p.low_words, p.words) for p in kept if p.low_words]
    if low:
        log.append(LogEntry("pdf_ocr_low_confidence", sum(n for _, n, _ in low),
                            f"words recognised with confidence below {LOW_CONF:.0f} (OCR 低置信度字词): "
                            + "; ".join(f"page {no}: {n} of {total}" for no, n, total in low)))
    unsure = [p for p in kept if p.unsure]
    if unsure:
        log.append(LogEntry("pdf_ocr_lines_withheld", sum(len(p.unsure) for p in unsure),
                            f"lines read with mean confidence below {MIN_LINE_CONF:.0f} (formulas, dot leaders, "
                            "pictures), left out (OCR 置信度过低的行，未收录): "
                            + "; ".join(f"page {p.page_no}: {len(p.unsure)} ({' | '.join(t[:30] for t in p.unsure[:3])}"
                                        + (" ……)" if len(p.unsure) > 3 else ")") for p in unsure)))
    empty = [p.page_no for p in kept if not p.words]
    if empty:
        log.append(LogEntry("pdf_ocr_no_text", len(empty), f"OCR found no text on pages {_pages(empty)} "
                            "(OCR 未识别出文字)"))
    for no, reason in sorted(withheld.items()):
        log.append(LogEntry("pdf_ocr_withheld", 1, f"page {no}: {reason}"))
    return done, withheld


def _pages(nos: list[int]) -> str:
    return ",".join(map(str, nos))
