"""PDF ingest, one module per step.

``safety`` checks the bytes, ``extract`` drives the steps, ``chars`` holds the plain glyph data,
``layout`` builds lines and columns, ``furniture`` marks running headers and page numbers,
``blocks`` groups lines into headings, paragraphs and footnotes, ``ocr`` reads scanned pages.
"""

from corpus_tool.reading.pdf.errors import BrokenPdfError, EncryptedPdfError, OcrUnavailableError, PdfError
from corpus_tool.reading.pdf.extract import extract_pdf
from corpus_tool.reading.pdf.info import pdf_meta

__all__ = ["BrokenPdfError", "EncryptedPdfError", "OcrUnavailableError", "PdfError", "extract_pdf", "pdf_meta"]
