"""Batch ingest: files and folders → the corpus database, in parallel, resumable, nothing lost.

Workers (a ``multiprocessing`` pool with the spawn start method, safe on every OS) read and
clean files; only this process writes the database, one transaction per file, in the sorted
order of paths, so the result does not depend on the number of workers. A file whose bytes
are already stored under the same path is skipped, so a re-run after an interruption ends
exactly where an uninterrupted run would.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus_tool.ingest.document import (
    PDF_SUFFIXES,
    TEXT_SUFFIXES,
    IngestOptions,
    UnsupportedFormat,
    file_hash,
    read_document,
)
from corpus_tool.ingest.model import Document
from corpus_tool.store.db import CorpusDB

SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


@dataclass
class IngestSummary:
    """What a batch did: counted for the end-of-run report and the run record."""

    files: int = 0
    ingested: int = 0
    unchanged: int = 0
    duplicates: int = 0  # files whose bytes were already stored under another path
    failed: int = 0
    pages: int = 0
    characters: int = 0
    scanned_pages: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (path, error, detail)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) not even read

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.skipped


@dataclass
class _Outcome:
    path: str
    document: Document | None
    error: tuple[str, str] | None  # (error class, detail)


def discover(paths: Iterable[str | Path], summary: IngestSummary) -> list[Path]:
    """Expand folders into supported files, sorted; unreadable folders are reported, not fatal."""
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=lambda e: summary.skipped.append(
                    (str(e.filename), f"cannot read folder (无法读取文件夹): {e.strerror}"))):
                dirs.sort()
                for name in files:
                    p = Path(root) / name
                    if p.suffix.lower() in SUPPORTED_SUFFIXES:
                        found.add(p)
        elif path.exists():
            found.add(path)
        else:
            summary.skipped.append((str(path), "no such file (文件不存在)"))
    return sorted(found, key=lambda p: str(p))


def _read_one(args: tuple[str, IngestOptions]) -> _Outcome:
    """Worker: read one file; every failure becomes a recorded outcome, never a crash."""
    path, options = args
    try:
        doc = read_document(path, options, source_path=path)
    except UnsupportedFormat as exc:
        return _Outcome(path, None, ("unsupported_format", str(exc)))
    except FileNotFoundError as exc:
        return _Outcome(path, None, ("file_vanished", f"file removed during the run (运行中文件被删除): {exc}"))
    except PermissionError as exc:
        return _Outcome(path, None, ("permission_denied", f"no permission to read (无读取权限): {exc}"))
    except Exception as exc:  # noqa: BLE001 - a hostile file must not stop the batch
        detail = str(exc) or "".join(traceback.format_exception_only(exc)).strip()
        return _Outcome(path, None, (type(exc).__name__, detail))
    if not doc.units:
        if doc.scanned_pages:
            pages = ",".join(map(str, doc.scanned_pages))
            return _Outcome(path, None, ("scanned", f"pages {pages} have no text layer; rerun with --ocr "
                                                    "(扫描件，无文字层；请使用 --ocr)"))
        return _Outcome(path, None, ("empty", "no text found (未找到文本)"))
    return _Outcome(path, doc, None)



def _outcomes(todo: list[str], options: IngestOptions, jobs: int) -> Iterator[_Outcome]:
    args = [(p, options) for p in todo]
    if jobs <= 1 or len(todo) <= 1:
        yield from map(_read_one, args)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes=jobs, maxtasksperchild=200) as pool:
        # imap keeps input order, so the database is written in the same order for any jobs.
        yield from pool.imap(_read_one, args, chunksize=1)


def ingest_paths(
    paths: Iterable[str | Path],
    db: str | Path | CorpusDB,
    *,
    options: IngestOptions | None = None,
    jobs: int = 1,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the corpus database ``db``; return a summary.

    Bad files are recorded in the ``errors`` table with the reason, and the batch goes on.
    """
    options = options or IngestOptions()
    summary = IngestSummary()
    owns = not isinstance(db, CorpusDB)
    store = CorpusDB(db) if owns else db
    try:
        files = discover(paths, summary)
        summary.files = len(files)
        todo: list[str] = []
        file_rows: dict[str, tuple[str, int, float, str]] = {}
        for path in files:
            key = str(path)
            try:
                stat = path.stat()
                if options.max_bytes is not None and stat.st_size > options.max_bytes:
                    _fail(store, summary, key, "too_large",
                          f"{stat.st_size} bytes > limit {options.max_bytes} (文件超过大小上限)")
                    continue
                digest = file_hash(path)
            except OSError as exc:
                _fail(store, summary, key, type(exc).__name__, str(exc))
                continue
            known = store.known_file(key)
            if known is not None and known[3] == digest:
                summary.unchanged += 1
                continue
            file_rows[key] = (key, stat.st_size, stat.st_mtime, digest)
            todo.append(key)

        for i, outcome in enumerate(_outcomes(todo, options, jobs), 1):
            if progress is not None:
                progress(i, len(todo), outcome.path)
            if outcome.document is None:
                assert outcome.error is not None
                _fail(store, summary, outcome.path, *outcome.error)
                continue
            doc = outcome.document
            if store.has_document(doc.doc_id):
                summary.duplicates += 1
            else:
                summary.ingested += 1
                summary.pages += doc.n_pages
                summary.characters += doc.n_chars
                summary.scanned_pages += len(doc.scanned_pages)
            store.write_document(doc, file_rows[outcome.path])
    finally:
        if owns:
            store.close()
    return summary


def _fail(store: CorpusDB, summary: IngestSummary, path: str, error: str, detail: str) -> None:
    summary.failed += 1
    summary.errors.append((path, error, detail))
    store.write_error(path, error, detail)
