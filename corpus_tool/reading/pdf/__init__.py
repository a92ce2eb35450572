"""PDF ingest, one module per step.

``safety`` checks the bytes, ``extract`` drives the steps, ``chars`` holds the plain glyph data,
``layout`` builds lines and columns, ``furniture`` marks running headers and page numbers,
``blocks`` groups lines into headings, paragraphs and footnotes, ``ocr`` reads scanned pages.

The names below are imported when first used: a module that needs one step's constants (``chars.GAP``
for text files) must not pay for pdfplumber, pdfminer and pypdfium2, which ``extract`` imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {
    "BrokenPdfError": "errors", "EncryptedPdfError": "errors", "OcrUnavailableError": "errors", "PdfError": "errors",
    "extract_pdf": "extract", "pdf_meta": "info",
}

__all__ = ["BrokenPdfError", "EncryptedPdfError", "OcrUnavailableError", "PdfError", "extract_pdf", "pdf_meta"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"corpus_tool.reading.pdf.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'corpus_tool.reading.pdf' has no attribute {name!r}")
