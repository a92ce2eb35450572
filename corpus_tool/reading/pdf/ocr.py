"""Optional OCR of scanned pages with the tesseract command-line tool (no Python bindings needed)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2

OCR_DPI = 300
INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim"


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


def ocr_page(pdf_path: Path, page_index: int, lang: str, dpi: int = OCR_DPI) -> str:
    """Render one page (0-based) at ``dpi`` with PDFium and return tesseract's text (``--psm 3``)."""
    doc = pypdfium2.PdfDocument(str(pdf_path))
    try:
        image = doc[page_index].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    with tempfile.TemporaryDirectory(prefix="corpus_tool_ocr_") as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        done = subprocess.run(
            ["tesseract", str(png), "stdout", "-l", lang, "--psm", "3", "--dpi", str(dpi)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed on page {page_index + 1}: {done.stderr.strip()[:300]}")
    return done.stdout
