"""Checks made before pdfminer reads a file or a page: not a PDF, truncated, decompression bombs."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdftypes import (
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_FLATE_DECODE,
    PDFStream,
    resolve1,
)

from corpus_tool.reading.pdf.errors import BrokenPdfError
from corpus_tool.reading.sniff import misnamed_hint

MAX_CONTENT_BYTES = 128 << 20  # a page content stream inflating beyond this is a decompression bomb


def check_bytes(path: Path) -> None:
    """Reject non-PDFs and truncated files before pdfminer guesses its way through them."""
    with path.open("rb") as f:
        head = f.read(1024)
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 2048))
        tail = f.read()
    if size == 0:
        raise BrokenPdfError(f"{path}: empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise BrokenPdfError(f"{path}: not a PDF file (no %PDF- header){misnamed_hint(path, head)}")
    if b"%%EOF" not in tail:
        raise BrokenPdfError(f"{path}: truncated PDF (no %%EOF marker at the end of the file)")


def check_content_size(page_obj: Any) -> None:
    """Refuse a content stream that inflates beyond MAX_CONTENT_BYTES before pdfminer reads it whole.

    Inflates with an output cap (memory stays bounded); ASCII85/hex layers before the Flate
    layer are decoded first. Other filters are left to pdfminer.
    """
    for ref in page_obj.contents or []:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue
        data = stream.rawdata
        if stream.decipher and stream.objid is not None and stream.genno is not None:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        for name, _params in stream.get_filters():
            if name in LITERALS_ASCII85_DECODE:
                data = ascii85decode(data)
            elif name in LITERALS_ASCIIHEX_DECODE:
                data = asciihexdecode(data)
            else:
                if name in LITERALS_FLATE_DECODE and _inflates_beyond(data, MAX_CONTENT_BYTES):
                    raise ValueError(
                        f"content stream inflates to more than {MAX_CONTENT_BYTES >> 20} MB "
                        "(a decompression bomb?)"
                    )
                break


def _inflates_beyond(data: bytes, limit: int) -> bool:
    try:
        return len(zlib.decompressobj().decompress(data, limit + 1)) > limit
    except zlib.error:
        return False  # corrupt data: pdfminer's own recovery decides
