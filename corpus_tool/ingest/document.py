"""One file → one cleaned, structured :class:`Document` (pure: no database, safe in workers)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from corpus_tool.ingest.model import RAW, Block, Document, Extracted, LogEntry
from corpus_tool.ingest.repair import CleaningLog, clean_text, gbk_guard, repair_chars
from corpus_tool.ingest.structure import build_structure
from corpus_tool.ingest.textlayout import layout_text

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
PDF_SUFFIXES = frozenset({".pdf"})


class UnsupportedFormat(ValueError):
    """The file's suffix names no format this tool reads."""


@dataclass(frozen=True)
class IngestOptions:
    """Settings of the ingest stage; part of every run record."""

    ocr: bool = False
    to_simplified: bool = False
    max_pages: int | None = 2000  # per PDF: a hostile file cannot stall the batch
    timeout: float | None = 300.0  # seconds per file
    max_bytes: int | None = 200 * 1024 * 1024


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks (memory stays flat on large files)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def doc_id_for(digest: str) -> str:
    return digest[:16]


def extract(path: Path, options: IngestOptions) -> Extracted:
    """Read a file with the extractor for its format."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        from corpus_tool.ingest.pdf import extract_pdf

        return extract_pdf(path, max_pages=options.max_pages, ocr=options.ocr)
    if suffix in TEXT_SUFFIXES:
        from corpus_tool.ingest.textfile import extract_text_file

        return extract_text_file(path)
    raise UnsupportedFormat(f"unsupported file type {suffix or '(none)'} (不支持的文件类型)")


def clean_blocks(extracted: Extracted, log: CleaningLog) -> tuple[list[Block], list[LogEntry], list[str]]:
    """Repair the extracted text; plain text goes through the text layout step in between."""
    all_text = "\n".join(b.text for b in extracted.blocks)
    gbk = gbk_guard(all_text)
    layout_log: list[LogEntry] = []
    headers: list[str] = []
    blocks: list[Block] = []
    for block in extracted.blocks:
        if block.kind == RAW:
            text = repair_chars(block.text, log, gbk=gbk)
            found, found_log, found_headers = layout_text(text)
            layout_log += found_log
            headers += found_headers
            blocks += [Block(b.kind, clean_text(b.text, log, gbk=False), b.page, b.level) for b in found]
        else:
            blocks.append(Block(block.kind, clean_text(block.text, log, gbk=gbk), block.page, block.level))
    return blocks, layout_log, headers


def build_document(path: Path, extracted: Extracted, digest: str, source_path: str | None = None) -> Document:
    """Clean and structure what an extractor read from ``path``."""
    log = CleaningLog()
    blocks, layout_log, headers = clean_blocks(extracted, log)
    structured = build_structure(blocks)
    meta: dict = {"fields": {}}
    if headers:
        meta["fields"]["running_header"] = headers[0]
    for key, value in structured.labelled.items():
        meta["fields"][key] = value
    title = structured.title
    doc = Document(
        doc_id=doc_id_for(digest),
        source_path=source_path or str(path),
        fmt=extracted.fmt,
        title=title,
        abstract=structured.abstract,
        keywords=structured.keywords,
        sections=structured.sections,
        units=structured.units,
        citations=structured.citations,
        footnotes=structured.footnotes,
        log=extracted.log + layout_log + log.entries() + structured.log,
        meta=meta,
        n_pages=extracted.n_pages,
        scanned_pages=extracted.scanned_pages,
        encoding=extracted.encoding,
    )
    return doc


def read_document(path: str | Path, options: IngestOptions | None = None,
                  source_path: str | None = None) -> Document:
    """Extract, repair and structure one file."""
    path = Path(path)
    options = options or IngestOptions()
    digest = file_hash(path)
    extracted = extract(path, options)
    return build_document(path, extracted, digest, source_path)
