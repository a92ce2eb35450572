"""Optional OCR of scanned pages with the tesseract command-line tool (no Python bindings needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2

from corpus_tool.reading.pdf.ocr_chars import OcrPage, parse_tsv

OCR_DPI = 300
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
OCR_PSM = 3  # tesseract's fully automatic page segmentation


def ocr_problem(lang: str) -> str | None:
    """Why OCR in ``lang`` cannot run here, or None when it can."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"OCR requested but the tesseract program is not on PATH; {INSTALL_HINT}"
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        return f"OCR requested but tesseract does not run ({e}); {INSTALL_HINT}"
    langs = set((done.stdout + done.stderr).split())
    missing = [part for part in lang.split("+") if part not in langs]
    if missing:
        return f"OCR requested but tesseract has no traineddata for {'+'.join(missing)}; {INSTALL_HINT}"
    return None


def tesseract_version() -> str:
    """The tesseract program's version (``5.3.0``), for the log; "unknown" when it does not say."""
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    first = (done.stdout or done.stderr).split()
    return first[1] if len(first) > 1 and first[0] == "tesseract" else "unknown"


def tesseract_pages(pdf_path: Path, page_nos: list[int], lang: str, dpi: int = OCR_DPI) -> Iterator[OcrPage]:
    """Render each page (1-based numbers) at ``dpi`` with PDFium and read it with tesseract (``--psm 3``,
    TSV: words with boxes and confidence)."""
    doc = pypdfium2.PdfDocument(str(pdf_path))
    try:
        for no in page_nos:
            page = doc[no - 1]
            width, height = page.get_size()
            image = page.render(scale=dpi / 72).to_pil()
            yield parse_tsv(_tesseract(image, no, lang, dpi), no, width, height, dpi)
    finally:
        doc.close()


def _tesseract(image: Any, page_no: int, lang: str, dpi: int) -> str:
    with tempfile.TemporaryDirectory(prefix="corpus_tool_ocr_") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        done = subprocess.run(
            ["tesseract", str(png), "stdout", "-l", lang, "--psm", str(OCR_PSM), "--dpi", str(dpi), "tsv"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            # one thread per tesseract: the same output, and on a busy machine (or with --jobs) about three
            # times faster, since OpenMP threads waiting for a core spin
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed on page {page_no}: {done.stderr.strip()[:300]}")
    return done.stdout
