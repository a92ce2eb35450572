"""Word documents (.docx): paragraphs, headings and tables as text, in document order."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from corpus_tool.reading.model import HEADING, PARA, TITLE, Block, Extracted, LogEntry

# A .docx is a zip: refuse archives that would inflate past these (a decompression bomb).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200

_HEADING_STYLE_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


class ArchiveBombError(ValueError):
    """A zip-based file (DOCX, XLSX) would unpack to far more than its size."""


def check_zip(path: Path, max_bytes: int = MAX_UNPACKED_BYTES, max_ratio: int = MAX_RATIO) -> None:
    """Refuse a zip whose members declare a huge unpacked size or compression ratio."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise ValueError(f"not a valid Office file (zip) (文件已损坏或不是 Office 文件): {exc}") from exc
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > max_bytes or (total > 10 * 1024 * 1024 and total / packed > max_ratio):
        raise ArchiveBombError(
            f"archive would unpack to {total:,} bytes from {packed:,} (ratio {total // packed}); "
            "refused as a decompression bomb (疑似解压炸弹，已拒绝)"
        )


def _style_kind(style_name: str) -> tuple[str, int | None]:
    name = style_name.strip()
    if name.lower() in ("title", "标题"):
        return TITLE, None
    m = _HEADING_STYLE_RE.match(name)
    if m:
        return HEADING, int(m.group(1))
    return PARA, None


def extract_docx(path: str | Path) -> Extracted:
    """Read a .docx: styled headings keep their level, each table row becomes a line, cells joined by ' | '."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    path = Path(path)
    check_zip(path)
    document = docx.Document(str(path))
    blocks: list[Block] = []
    n_rows = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text
            if not text.strip():
                continue
            kind, level = _style_kind(item.style.name if item.style is not None else "")
            if kind == TITLE and any(b.kind == TITLE for b in blocks):
                kind = HEADING
            blocks.append(Block(kind, text, level=level))
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = cell.text.strip()
                    if not cells or value != cells[-1]:  # merged cells repeat their text
                        cells.append(value)
                line = " | ".join(c for c in cells if c)
                if line:
                    blocks.append(Block(PARA, line))
                    n_rows += 1
    props = document.core_properties
    meta = {k: v for k, v in {
        "docx_title": props.title or "",
        "docx_author": props.author or "",
        "docx_created": props.created.date().isoformat() if props.created else "",
    }.items() if v}
    log = [LogEntry("docx_table_rows", n_rows, "table rows read as lines, cells joined by ' | '")] if n_rows else []
    return Extracted(blocks=blocks, log=log, meta=meta, fmt="docx")
