"""One file → cleaned, structured :class:`Document` objects (pure: no database, safe in workers).

:func:`read_file` is what a worker process runs: it never raises, it turns every failure into
a :class:`FileResult` with a reason, so one hostile file cannot stop a batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from corpus_tool.reading.contents import paged_runs
from corpus_tool.reading.gaps import gap_log
from corpus_tool.reading.model import (
    FOOTNOTE,
    OCR_LOW_CONFIDENCE,
    RAW,
    TITLE,
    Block,
    Document,
    Extracted,
    LogEntry,
    Table,
)
from corpus_tool.reading.repair import CleaningLog, clean_text, gbk_guard, repair_chars
from corpus_tool.reading.sniff import misnamed_hint
from corpus_tool.reading.structure import build_structure, keep_keyword_spaces
from corpus_tool.reading.textlayout import layout_text

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
PDF_SUFFIXES = frozenset({".pdf"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
DOCX_SUFFIXES = frozenset({".docx"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx"})
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES
SUPPORTED_SUFFIXES = DOCUMENT_SUFFIXES | TABLE_SUFFIXES

DEFAULT_TIMEOUT = 300.0  # seconds per file
OCR_TIMEOUT = 3600.0  # with OCR: tesseract takes 1.5–4 s a page, so a 300-page scan needs most of an hour


def default_timeout(ocr: bool) -> float:
    """The per-file time limit when the user gives none: longer with OCR."""
    return OCR_TIMEOUT if ocr else DEFAULT_TIMEOUT


class UnsupportedFormat(ValueError):
    """The file's suffix names no format this tool reads."""


@dataclass(frozen=True)
class IngestOptions:
    """Settings of the ingest stage; part of every run record."""

    ocr: bool = False
    to_simplified: bool = False
    text_column: str | None = None  # CSV/XLSX: the column holding each row's text
    max_pages: int | None = 2000  # per PDF: a hostile file cannot stall the batch
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per file; the worker is killed past it
    max_bytes: int | None = 200 * 1024 * 1024
    max_chars: int | None = 5_000_000  # per document, after decoding
    max_memory: int | None = 3 * 1024 ** 3  # per worker process (POSIX address-space limit)
    near_duplicate_threshold: float = 0.7

    def settings_key(self, suffix: str) -> str:
        """The options that change what is read from a file of this suffix ("" for the defaults).

        Part of the doc_id, so re-reading with other settings makes a new document version.
        """
        parts = []
        if self.to_simplified:
            parts.append("t2s")
        suffix = suffix.lower()
        if suffix in PDF_SUFFIXES:
            if self.ocr:
                parts.append("ocr")
            if self.max_pages != IngestOptions.max_pages:
                parts.append(f"pages={self.max_pages}")
        if suffix in TABLE_SUFFIXES:
            parts.append(f"text_column={self.text_column}")
        return ";".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks (memory stays flat on large files)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def doc_id_for(digest: str, settings: str = "") -> str:
    """First 16 hex digits of the file's SHA-256; other settings give another id."""
    if not settings:
        return digest[:16]
    return hashlib.sha256(f"{digest}|{settings}".encode()).hexdigest()[:16]


def extract(path: Path, options: IngestOptions) -> Extracted:
    """Read a file with the extractor for its format."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        from corpus_tool.reading.pdf.extract import extract_pdf

        return extract_pdf(path, max_pages=options.max_pages, ocr=options.ocr)
    if suffix in TEXT_SUFFIXES:
        from corpus_tool.reading.textfile import extract_text_file

        return extract_text_file(path, max_chars=options.max_chars)
    if suffix in HTML_SUFFIXES:
        from corpus_tool.reading.html import extract_html

        return extract_html(path, max_chars=options.max_chars)
    if suffix in DOCX_SUFFIXES:
        from corpus_tool.reading.docx import extract_docx

        return extract_docx(path)
    raise UnsupportedFormat(f"unsupported file type {suffix or '(none)'} (不支持的文件类型){misnamed_hint(path)}")


def clean_blocks(extracted: Extracted, log: CleaningLog) -> tuple[list[Block], list[LogEntry], list[str]]:
    """Repair the extracted text; plain text goes through the text layout step in between."""
    gbk = gbk_guard("\n".join(b.text for b in extracted.blocks))
    layout_log: list[LogEntry] = []
    headers: list[str] = []
    blocks: list[Block] = []
    # a contents list without leaders keeps its lines: joining wrapped lines would run its entries together
    # (``图形 11`` and ``插图索引 12`` into ``图形11插图索引12``), and the structure step reads them line by line
    listed = {k for start, end, _ in paged_runs(extracted.blocks) for k in range(start, end)}
    for k, block in enumerate(extracted.blocks):
        if k in listed and block.kind != FOOTNOTE:
            lines = (clean_text(line, log, gbk=gbk) for line in block.text.split("\n"))
            blocks.append(replace(block, text="\n".join(line for line in lines if line)))
        elif block.kind == RAW:
            text = repair_chars(block.text, log, gbk=gbk)
            found, found_log, found_headers = layout_text(text)
            layout_log += found_log
            headers += found_headers
            for b in found:  # new blocks of the layout step's own, repaired in place (no copy)
                b.text = clean_text(b.text, log, gbk=False)
            blocks += found
        else:
            text = keep_keyword_spaces(block.text) if block.kind != FOOTNOTE else block.text
            blocks.append(replace(block, text=clean_text(text, log, gbk=gbk)))
    return blocks, layout_log, headers


def clean_tables(tables: list[Table], log: CleaningLog, prose: str) -> list[Table]:
    """The same character repairs as the prose, cell by cell and line by line (a cell keeps the line
    breaks the extractor put before list items), counted in the same log."""
    if not tables:
        return []
    gbk = gbk_guard(prose + "\n" + "\n".join(c.text for t in tables for c in t.cells))
    for table in tables:
        for cell in table.cells:
            if cell.text:
                cell.text = "\n".join(clean_text(line, log, gbk=gbk) for line in cell.text.split("\n"))
    return tables


def _convert_document(doc: Document) -> int:
    """Traditional → simplified in every text field of ``doc``; return the characters changed."""
    from corpus_tool.reading.convert import to_simplified

    changed = 0

    def conv(text: str) -> str:
        nonlocal changed
        out = to_simplified(text)
        if out != text:
            changed += sum(1 for a, b in zip(text, out, strict=False) if a != b) or 1
        return out

    doc.title = conv(doc.title)
    doc.abstract = conv(doc.abstract)
    doc.keywords = [conv(k) for k in doc.keywords]
    doc.authors = [conv(a) for a in doc.authors]
    for unit in doc.units:
        unit.text = conv(unit.text)
    for section in doc.sections:
        section.title = conv(section.title)
    for note in doc.footnotes:
        note.text = conv(note.text)
    for table in doc.tables:
        for cell in table.cells:
            cell.text = conv(cell.text)
    return changed


def _add_metadata(doc: Document, file_name: str, extracted_meta: dict[str, Any],
                  row_fields: dict[str, str] | None, meta_lines: tuple[list[str], list[str]],
                  front_lines: tuple[list[str], str] = ([], ""), converted: bool = False) -> None:
    """Script, official-document and journal metadata, relations and the near-duplicate signature.

    ``converted``: the document's text was converted to simplified characters at the user's request.
    """
    from corpus_tool.reading.convert import SIMPLIFIED, detect_script, in_own_script, to_simplified
    from corpus_tool.reading.dedup import signature
    from corpus_tool.reading.metadata import COVER_FIELDS, extract_metadata

    full_text = "\n".join(u.text for u in doc.units)
    script = doc.meta.get("script") or detect_script(full_text)
    doc.meta["script"] = script
    head, tail = meta_lines
    title = doc.title
    front, raw_title = front_lines
    originals = [*head, *tail, *front, title, raw_title]
    if script not in (None, SIMPLIFIED):  # match patterns on a simplified view, then cite values as printed
        head, tail, title = [to_simplified(t) for t in head], [to_simplified(t) for t in tail], to_simplified(title)
        front, raw_title = [to_simplified(t) for t in front], to_simplified(raw_title)
    views = [*head, *tail, *front, title, raw_title]
    # Unless the user asked for simplified text (then the document is converted already and so are its values).
    pairs = [] if converted else list(zip(views, originals, strict=True))
    found = extract_metadata(title, head, tail, file_name, extracted_meta.get("page_fields"), front,
                             extracted_meta.get("furniture"))
    if pairs:
        for key, value in found.values.items():
            if isinstance(value, str) and key not in ("date", "year", "doi"):
                found.values[key] = in_own_script(value, pairs)
    sources = dict(found.sources)
    for key in ("year", "date", "issuer", "doc_number", "doc_type"):
        if key in found.values:
            doc.meta[key] = found.values[key]
    if not doc.title and found.values.get("title"):
        doc.title = str(found.values["title"])
        sources["title"] = found.sources["title"]
    elif doc.title:  # the structure step's title: the title block of a PDF, the first line of a text
        sources["title"] = "content:标题"
    fields: dict[str, Any] = doc.meta.setdefault("fields", {})
    if found.values.get("doi") and "doi" not in fields:
        fields["doi"] = found.values["doi"]
    for key in ("adopted_date", "amended_date"):  # a consolidated law: adoption and latest amendment
        if found.values.get(key):
            fields[key] = found.values[key]
    for key in sorted(set(COVER_FIELDS.values())):  # a thesis cover: supervisor, institution, major, degree
        if found.values.get(key) and key not in fields:
            fields[key], sources[key] = found.values[key], found.sources[key]
    if not doc.authors:
        from corpus_tool.reading.bylines import authors_from_front

        # A cover's author field always counts; a byline only in an article (one with an abstract).
        names, where = authors_from_front(front, raw_title)
        if names and (where == "content:封面" or doc.abstract or doc.keywords):
            doc.authors = [in_own_script(name, pairs) for name in names]
            sources["authors"] = where
    if not doc.authors:
        from corpus_tool.reading.metadata import authors_from_lines

        before_abstract = []
        for unit in doc.units[:8]:
            if unit.field in ("abstract", "keywords"):
                break
            if unit.field == "body":
                before_abstract.append(unit.text)
        if any(u.field == "abstract" for u in doc.units[:10]):
            doc.authors = authors_from_lines(before_abstract)
            if doc.authors:
                sources["authors"] = "content:署名"
    for key in ("docx_title", "docx_author", "docx_created", "page_title"):
        if extracted_meta.get(key):
            fields[key] = extracted_meta[key]
    for key, value in (extracted_meta.get("page_fields") or {}).items():
        if key in ("索引号", "主题分类", "发布日期", "主题词"):
            fields[key] = value
    if row_fields:
        fields.update(row_fields)
    doc.meta["sources"] = sources
    doc.meta["relations"] = [asdict(r) for r in found.relations]
    doc.meta["minhash"], doc.meta["n_shingles"] = signature(full_text)


def build_document(path: Path, extracted: Extracted, doc_id: str, source_path: str | None = None,
                   options: IngestOptions | None = None, row_fields: dict[str, str] | None = None) -> Document:
    """Clean, structure and describe what an extractor read from ``path``."""
    options = options or IngestOptions()
    log = CleaningLog()
    blocks, layout_log, headers = clean_blocks(extracted, log)
    structured = build_structure(blocks)
    meta: dict[str, Any] = {"fields": {}}
    if headers:
        meta["fields"]["running_header"] = headers[0]
    for key, value in structured.labelled.items():
        meta["fields"][key] = value
    doc = Document(
        doc_id=doc_id,
        source_path=source_path or str(path),
        fmt=extracted.fmt,
        title=structured.title,
        abstract=structured.abstract,
        keywords=structured.keywords,
        sections=structured.sections,
        units=structured.units,
        citations=structured.citations,
        footnotes=structured.footnotes,
        tables=clean_tables(extracted.tables, log, "\n".join(b.text for b in extracted.blocks)),
        log=extracted.log + layout_log + log.entries() + structured.log
        + (gap_log(structured.units) if extracted.fmt == "pdf" else []),
        meta=meta,
        n_pages=extracted.n_pages,
        scanned_pages=extracted.scanned_pages,
        ocr_pages=sorted(set(extracted.ocr_pages) | {u.page for u in structured.units
                                                     if u.source != "text" and u.page is not None}),
        unreadable_pages=extracted.unreadable_pages,
        encoding=extracted.encoding,
    )
    if options.to_simplified:
        from corpus_tool.reading.convert import detect_script

        doc.meta["script"] = detect_script("\n".join(u.text for u in doc.units))  # before converting
        n = _convert_document(doc)
        if n:
            doc.log.append(LogEntry("to_simplified", n, "traditional → simplified characters (OpenCC t2s)"))
    _add_metadata(doc, Path(source_path or path).name, extracted.meta, row_fields,
                  metadata_lines(extracted, doc), raw_front(extracted), converted=options.to_simplified)
    return doc


_ABSTRACT_LABEL_RE = re.compile(r"^[\s\u3000]*[\[【［]?\s*(?:摘[\s\u3000]*要|内容提要|核心提示|Abstract)",
                                re.IGNORECASE)


def raw_front(extracted: Extracted, max_pages: int = 3, max_lines: int = 80) -> tuple[list[str], str]:
    """The lines of a document's front matter as extracted (spaces kept: ``韩爱惠 卢卫华``), up to the
    abstract, on its first pages; and the extractor's title. For the byline and cover fields."""
    lines: list[str] = []
    title = next((b.text for b in extracted.blocks if b.kind == TITLE), "")
    first_page = next((b.page for b in extracted.blocks if b.page is not None), None)
    for block in extracted.blocks:
        if block.kind == FOOTNOTE:
            continue
        if first_page is not None and block.page is not None and block.page >= first_page + max_pages:
            break
        for line in block.text.split("\n"):
            if _ABSTRACT_LABEL_RE.match(line):
                return lines, title
            if line.strip():
                lines.append(line)
            if len(lines) >= max_lines:
                return lines, title
    return lines, title


def metadata_lines(extracted: Extracted, doc: Document, n_head: int = 30, n_tail: int = 12
                   ) -> tuple[list[str], list[str]]:
    """The first and last lines of a document as written, for the metadata step.

    Plain text keeps its own lines (the layout step may join a title, its document number and
    the addressee into one paragraph); other formats give their paragraphs.
    """
    from corpus_tool.reading.repair import fix_fullwidth_alnum

    if any(b.kind == RAW for b in extracted.blocks):
        lines: list[str] = []
        for block in extracted.blocks:
            text = block.text if block.kind == RAW else block.text.replace("\n", "")
            stripped = (line.strip(" \t\u3000\ufeff\u200b") for line in text.split("\n"))
            lines += [line for line in stripped if line]  # stripped once: a second strip would change nothing
        head, tail = lines[:n_head], (lines[n_head:][-n_tail:] if len(lines) > n_head else [])
        # only the lines returned are repaired (one character for one: a line stays blank or not)
        return [fix_fullwidth_alnum(line)[0] for line in head], [fix_fullwidth_alnum(line)[0] for line in tail]
    lines = [u.text for u in doc.units]
    return lines[:n_head], (lines[n_head:][-n_tail:] if len(lines) > n_head else [])


def read_document(path: str | Path, options: IngestOptions | None = None,
                  source_path: str | None = None) -> Document:
    """Extract, repair and structure one single-document file."""
    path = Path(path)
    options = options or IngestOptions()
    digest = file_hash(path)
    extracted = extract(path, options)
    return build_document(path, extracted, doc_id_for(digest, options.settings_key(path.suffix)),
                          source_path, options)


def read_table_documents(path: str | Path, options: IngestOptions, source_path: str | None = None
                         ) -> list[Document]:
    """Each row of a CSV/XLSX table as a document; its source path is ``file#row=N``."""
    from corpus_tool.reading.manifest import fill_standard_fields
    from corpus_tool.reading.tabular import read_table

    path = Path(path)
    if not options.text_column:
        raise UnsupportedFormat("a table needs --text-column to say which column holds the text "
                                "(表格文件需用 --text-column 指定文本列)")
    settings = options.settings_key(path.suffix)
    docs = []
    for row in read_table(path, options.text_column, options.max_chars):
        if not row.text.strip():
            continue
        payload = json.dumps([settings, row.text, row.fields], ensure_ascii=False, sort_keys=True)
        doc_id = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
        extracted = Extracted(blocks=[Block(RAW, row.text)], fmt=path.suffix.lower().lstrip("."))
        title = _row_value(row.fields, ("title", "标题", "题名"))
        if title:
            extracted.blocks.insert(0, Block(TITLE, title))
        doc = build_document(path, extracted, doc_id, f"{source_path or path}#{row.part}", options,
                             row_fields=row.fields)
        fill_standard_fields(doc, row.fields, "table")
        docs.append(doc)
    return docs


def _row_value(fields: dict[str, str], names: tuple[str, ...]) -> str:
    lowered = {k.lower(): v for k, v in fields.items()}
    return next((lowered[n] for n in names if lowered.get(n)), "")


# -- the worker -----------------------------------------------------------------------------------
@dataclass
class FileResult:
    """What reading one file gave: documents, or an error class and a readable reason."""

    path: str
    documents: list[Document] = field(default_factory=list)
    error: tuple[str, str] | None = None


def _reason(exc: BaseException) -> tuple[str, str]:
    """A failure as (error class, readable detail) for the errors table."""
    name = type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        return "file_vanished", f"file removed during the run (运行中文件被删除): {exc.filename or exc}"
    if isinstance(exc, PermissionError):
        return "permission_denied", f"no permission to read (无读取权限): {exc.filename or exc}"
    if isinstance(exc, UnsupportedFormat):
        return "unsupported_format", str(exc)
    if isinstance(exc, MemoryError):
        return "out_of_memory", ("the file needed more memory than the per-worker limit; a decompression "
                                 "bomb? (超过内存上限，疑似解压炸弹)")
    if isinstance(exc, RecursionError):
        return "too_deeply_nested", "objects nested too deeply to parse (对象嵌套过深)"
    detail = str(exc) or "".join(traceback.format_exception_only(exc)).strip()
    return name, detail[:2000]


def _empty_reason(docs: list[Document]) -> tuple[str, str] | None:
    if any(d.units for d in docs):
        return None
    scanned = [p for d in docs for p in d.scanned_pages]
    if scanned:
        return "scanned", (f"pages {page_ranges(scanned)} have no text layer; rerun with --ocr "
                           "(扫描件，无文字层；请使用 --ocr)")
    unreadable = [d.unreadable_pages for d in docs if d.unreadable_pages]
    if unreadable:
        return "unreadable_text", unreadable_message(unreadable[0])
    return "empty", "no text found (未找到文本)"


def unreadable_message(pages: dict[int, str], limit: int = 10) -> str:
    """Pages whose text layer was withheld, each with its reason, and which of them ``--ocr`` would read
    (all but those withheld after OCR for low confidence), named exactly."""
    shown = "; ".join(f"page {no}: {why}" for no, why in sorted(pages.items())[:limit])
    more = f"; and {len(pages) - limit} more pages" if len(pages) > limit else ""
    for_ocr = sorted(no for no, why in pages.items() if not why.startswith(OCR_LOW_CONFIDENCE))
    hint = f"; rerun with --ocr to read pages {page_ranges(for_ocr)} (请使用 --ocr)" if for_ocr else ""
    return (f"{len(pages)} pages have an unreadable text layer, their text was not stored "
            f"(文字层无法读取的页面未收录): {shown}{more}{hint}")


def page_ranges(nos: list[int]) -> str:
    """Page numbers as ranges: ``1-3,5,7-9``."""
    parts: list[str] = []
    start = prev = None
    for no in sorted(nos):
        if prev is not None and no == prev + 1:
            prev = no
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = no
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ",".join(parts)


def read_file(path: str, options: IngestOptions, source_path: str | None = None) -> FileResult:
    """Worker entry: read one file into documents; every failure becomes a recorded reason.

    ``source_path`` (default ``path``) is the path stored and reported, when a worker opens the file
    under another name (a Dask worker gets the absolute path)."""
    source = source_path or path
    try:
        p = Path(path)
        if p.suffix.lower() in TABLE_SUFFIXES:
            docs = read_table_documents(p, options, source_path=source)
        else:
            docs = [read_document(p, options, source_path=source)]
            docs[0].units = [u for u in docs[0].units if u.text and not u.text.isspace()]  # strip() copied each
    except BaseException as exc:  # a hostile file must not stop the batch: every failure is a result
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return FileResult(source, error=_reason(exc))
    empty = _empty_reason(docs)
    if empty is not None:
        return FileResult(source, error=empty)
    return FileResult(source, documents=[d for d in docs if d.units])


def limit_memory(max_bytes: int | None) -> None:
    """Cap this process's address space (POSIX), so a decompression bomb raises MemoryError
    instead of exhausting the machine. A no-op on Windows, where the time limit still applies."""
    if not max_bytes:
        return
    try:
        import resource
    except ImportError:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_init(max_memory: int | None) -> None:
    """Initialiser of each worker process."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    limit_memory(max_memory)
