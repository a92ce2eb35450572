"""PDF extraction: one file → :class:`~corpus_tool.ingest.model.Extracted` blocks in reading order.

pdfplumber parses each page once; its chars are copied to plain data (:mod:`.chars`) and laid
out by :mod:`.layout` (rows, superscripts, two-column gutter), page furniture is marked by
:mod:`.furniture`, and :mod:`.blocks` groups lines into title, front matter, headings,
paragraphs and footnotes. Text is left as the PDF gives it (hard line breaks, Founder GBK-row
punctuation ...): the repair step cleans it. Everything removed is logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from corpus_tool.ingest.model import Extracted, LogEntry
from corpus_tool.ingest.pdf.blocks import block_log, build_blocks, compute_stats
from corpus_tool.ingest.pdf.errors import BrokenPdfError, EncryptedPdfError, OcrUnavailableError
from corpus_tool.ingest.pdf.furniture import mark_furniture
from corpus_tool.ingest.pdf.info import pdf_meta
from corpus_tool.ingest.pdf.layout import PageText, image_cover, layout_page, short_rules
from corpus_tool.ingest.pdf.ocr import ocr_page, ocr_problem
from corpus_tool.ingest.pdf.safety import check_bytes, check_content_size

SCANNED_MAX_CHARS = 10  # a page with fewer chars ...
SCANNED_MIN_COVER = 0.8  # ... and images over this share of its area is a scan
SUSPECT_SHARE = 0.05  # share of broken chars that makes a text layer suspect


def extract_pdf(
    path: str | Path, *, max_pages: int | None = None, ocr: bool = False, ocr_lang: str = "chi_sim"
) -> Extracted:
    """Extract blocks in reading order from the PDF at ``path``.

    ``max_pages`` reads only the first pages (logged as ``pdf_pages_truncated``); ``ocr``
    runs tesseract on scanned pages. Raises :class:`EncryptedPdfError`,
    :class:`BrokenPdfError` or :class:`OcrUnavailableError` (all :class:`PdfError`).
    """
    path = Path(path)
    check_bytes(path)
    log: list[LogEntry] = []
    with _open(path) as pdf:
        n_pages, meta = _doc_info(path, pdf)
        limit = n_pages if max_pages is None else max(0, min(n_pages, max_pages))
        pages = [_read_page(pdf.pages[i], i + 1, log) for i in range(limit)]
    if limit < n_pages:
        log.append(LogEntry("pdf_pages_truncated", n_pages - limit, f"read {limit} of {n_pages} pages"))
    if pages and all(p is None for p in pages):
        errors = "; ".join(e.detail for e in log if e.step == "pdf_page_error")
        raise BrokenPdfError(f"{path}: no page could be parsed ({errors})")
    read = [p for p in pages if p is not None]
    scanned, suspect = _triage(read, log)
    ocr_pages = _run_ocr(path, read, scanned, ocr_lang, log) if ocr and scanned else []
    log.extend(mark_furniture(read))
    blocks = build_blocks(read, compute_stats(read))
    log.extend(block_log(read, blocks))
    return Extracted(
        blocks=blocks,
        n_pages=n_pages,
        scanned_pages=scanned,
        suspect_pages=sorted(set(suspect) | {i + 1 for i, p in enumerate(pages) if p is None}),
        ocr_pages=ocr_pages,
        log=log,
        meta=meta,
        fmt="pdf",
    )


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


def _read_page(page: Any, page_no: int, log: list[LogEntry]) -> PageText | None:
    """Parse one page once (chars, rules, images), release pdfplumber's caches, then lay it out."""
    try:
        width, height = float(page.width), float(page.height)
        check_content_size(page.page_obj)
        chars, drawn, images = page.chars, page.lines + page.rects, page.images
    except Exception as e:  # one bad content stream should not lose the other pages
        log.append(LogEntry("pdf_page_error", 1, f"page {page_no}: {type(e).__name__}: {e}"))
        return None
    finally:
        page.close()
    text = layout_page(chars, width, height, page_no, short_rules(drawn, width, height))
    text.image_cover = image_cover(images, width, height)
    return text


def _triage(pages: list[PageText], log: list[LogEntry]) -> tuple[list[int], list[int]]:
    """Scanned pages (no text, mostly image) and pages whose text layer looks broken."""
    scanned = [
        p.page_no for p in pages if p.n_chars < SCANNED_MAX_CHARS and p.image_cover >= SCANNED_MIN_COVER
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
    return scanned, suspect


def _run_ocr(
    path: Path, pages: list[PageText], scanned: list[int], lang: str, log: list[LogEntry]
) -> list[int]:
    problem = ocr_problem(lang)
    if problem:
        raise OcrUnavailableError(f"{path}: {problem}")
    by_no = {p.page_no: p for p in pages}
    done = []
    for no in scanned:
        by_no[no].ocr_text = ocr_page(path, no - 1, lang)
        done.append(no)
    log.append(
        LogEntry("pdf_ocr", len(done), f"tesseract -l {lang} --psm 3 at 300 dpi on pages {_pages(done)}")
    )
    return done


def _pages(nos: list[int]) -> str:
    return ",".join(map(str, nos))
