"""What a file really is, from its first bytes: error messages that say how to fix a misnamed file."""

from __future__ import annotations

from pathlib import Path

# (magic at offset 0, what it is, what to do)
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF", "rename it .pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls/.ppt/.wps)",
     "save it as .docx or PDF (另存为 .docx 或 PDF)"),
    (b"PK\x03\x04", "a ZIP container (.docx/.xlsx/.pptx/.zip)", "give it its real suffix, or unzip it"),
    (b"{\\rtf", "an RTF document", "save it as .docx or PDF"),
    (b"\x89PNG", "a PNG image", "OCR needs a PDF: convert the image to PDF and use --ocr"),
    (b"\xff\xd8\xff", "a JPEG image", "OCR needs a PDF: convert the image to PDF and use --ocr"),
)
# What to do with formats that are never read directly.
SUFFIX_HINTS = {
    ".doc": "save it as .docx or PDF (另存为 .docx 或 PDF)",
    ".wps": "save it as .docx or PDF (另存为 .docx 或 PDF)",
    ".ppt": "export it as PDF (导出为 PDF)",
    ".pptx": "export it as PDF (导出为 PDF)",
    ".xls": "save it as .xlsx and use --text-column (另存为 .xlsx)",
    ".rtf": "save it as .docx or PDF",
    ".caj": "convert it to PDF with CAJViewer (用 CAJViewer 转为 PDF)",
    ".kdh": "convert it to PDF with CAJViewer (用 CAJViewer 转为 PDF)",
    ".ofd": "convert it to PDF (OFD 转 PDF)",
}


def sniff(head: bytes) -> tuple[str, str] | None:
    """(what the bytes are, what to do) when the first bytes identify a format, else None."""
    for magic, what, todo in _MAGIC:
        if head.startswith(magic):
            return what, todo
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")):
        return "an HTML page", "rename it .html (改为 .html 后缀)"
    return None


def misnamed_hint(path: Path, head: bytes | None = None) -> str:
    """`` — it is an HTML page; rename it .html`` or ``''``: a way forward for an error message."""
    if head is None:
        try:
            with path.open("rb") as f:
                head = f.read(64)
        except OSError:
            return ""
    found = sniff(head)
    if found is not None:
        return f"; it is {found[0]}: {found[1]}"
    hint = SUFFIX_HINTS.get(path.suffix.lower())
    return f"; {hint}" if hint else ""
