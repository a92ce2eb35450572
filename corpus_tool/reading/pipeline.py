"""Batch ingest: files and folders → the corpus database, in parallel, resumable, nothing lost.

Workers are processes of a ``pebble`` pool (spawn start method, safe on every OS): each file
gets a hard time limit, past which its worker is killed and replaced, and a memory limit, so
one hostile file cannot stall or sink a batch; with ``engine`` (``--engine dask``) files are
read by tasks on a Dask cluster instead (see :mod:`corpus_tool.parallel`). Only this process
writes the database, one transaction per file, in the sorted order of paths, so the result does
not depend on the engine or the number of workers. A file whose bytes and settings are already
stored is skipped, so a re-run after an interruption (even ``kill -9``) ends exactly where an
uninterrupted run ends.
After the files, near duplicates are linked over the whole corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from stat import S_ISREG

from corpus_tool.parallel import Engine
from corpus_tool.parallel.memory import limit_database_memory
from corpus_tool.reading.document import (
    DOCUMENT_SUFFIXES,
    TABLE_SUFFIXES,
    FileResult,
    IngestOptions,
    file_hash,
    page_ranges,
    read_file,
    unreadable_message,
    worker_init,
)
from corpus_tool.reading.filenames import stored_path
from corpus_tool.reading.manifest import ManifestSet, apply_manifest, load_manifest, row_label
from corpus_tool.reading.model import Document
from corpus_tool.store.db import CorpusDB

SUPPORTED_SUFFIXES = DOCUMENT_SUFFIXES | TABLE_SUFFIXES


@dataclass
class IngestSummary:
    """What a batch did: counted for the end-of-run report and the run record."""

    files: int = 0
    ingested: int = 0  # new documents stored
    unchanged: int = 0
    duplicates: int = 0  # documents whose content was already stored under another path
    failed: int = 0
    failed_before: int = 0  # unchanged files that failed in an earlier run (not retried)
    pages: int = 0
    characters: int = 0
    scanned_pages: int = 0
    tables: int = 0  # tables read from the documents (PDF ruled tables), kept out of the prose
    unreadable_pages: int = 0  # pages whose broken text layer was withheld (not OCR'd)
    glyph_gaps: int = 0  # 〓 marks where glyphs without a usable Unicode were withheld (log: withheld_glyph_gaps)
    ocr_pages: int = 0  # pages OCR read, whole or in regions (--ocr)
    ocr_paragraphs: int = 0  # paragraphs (units) with OCR text: source ocr or mixed
    ocr_confidence_sum: float = 0.0  # of those paragraphs' mean word confidences (for the mean)
    ocr_scored: int = 0  # OCR paragraphs with a confidence
    ocr_low_words: int = 0  # words below the low-confidence mark kept in the text (log: pdf_ocr_low_confidence)
    ocr_lines_withheld: int = 0  # OCR lines too uncertain to keep (log: pdf_ocr_lines_withheld)
    ocr_regions_withheld: int = 0  # regions OCR read too uncertainly: glyphs stay withheld (pdf_region_ocr_withheld)
    ocr_pages_withheld: int = 0  # pages OCR read too uncertainly: withheld (log: pdf_ocr_withheld)
    near_duplicates: int = 0
    hashed: int = 0  # files whose bytes were hashed to tell whether they changed
    unchanged_by_stat: int = 0  # unchanged files known by their stat, not read (see :func:`stat_key`)
    rehash: bool = False  # every file hashed, no stat trusted (ingest --rehash)
    ignored_tables: int = 0  # CSV/XLSX found in folders while no --text-column was given
    aborted: bool = False  # --strict stopped the batch at its first failure
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (path, error, detail)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) not even read
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message) stored with pages missing
    unsupported: list[str] = field(default_factory=list)  # files in the folders whose format is not read
    manifests: list[dict[str, object]] = field(default_factory=list)  # per manifest: rows, files matched, unused
    unmatched_files: int = 0  # files no manifest row matched (only counted when manifests were given)
    ambiguous_files: list[str] = field(default_factory=list)  # files several manifest rows name
    conflicts: dict[str, int] = field(default_factory=dict)  # field → documents where manifest and text disagree

    def unsupported_by_suffix(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for path in self.unsupported:
            suffix = Path(path).suffix.lower() or "(none)"
            counts[suffix] = counts.get(suffix, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def ocr_confidence(self) -> float | None:
        """Mean OCR word confidence (0–100) over the OCR paragraphs, as the methods paragraph counts it."""
        return round(self.ocr_confidence_sum / self.ocr_scored, 1) if self.ocr_scored else None

    def add_ocr(self, doc: Document) -> None:
        """Count what OCR read of ``doc`` and how sure it was, from its units and its log."""
        self.ocr_pages += len(doc.ocr_pages)
        scored = [u.ocr_confidence for u in doc.units if u.source != "text"]
        self.ocr_paragraphs += len(scored)
        self.ocr_confidence_sum += sum(c for c in scored if c is not None)
        self.ocr_scored += sum(c is not None for c in scored)
        steps = {"pdf_ocr_low_confidence": "ocr_low_words", "pdf_ocr_lines_withheld": "ocr_lines_withheld",
                 "pdf_region_ocr_withheld": "ocr_regions_withheld", "pdf_ocr_withheld": "ocr_pages_withheld"}
        for e in doc.log:
            if e.step in steps:
                setattr(self, steps[e.step], getattr(self, steps[e.step]) + e.count)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.failed_before == 0 and not self.skipped and not self.aborted

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "ingested": self.ingested, "unchanged": self.unchanged,
            "duplicates": self.duplicates, "failed": self.failed, "failed_before": self.failed_before,
            "pages": self.pages, "characters": self.characters, "scanned_pages": self.scanned_pages,
            "tables": self.tables, "unreadable_pages": self.unreadable_pages, "glyph_gaps": self.glyph_gaps,
            "ocr": {"pages": self.ocr_pages, "paragraphs": self.ocr_paragraphs, "mean_confidence": self.ocr_confidence,
                    "low_confidence_words_kept": self.ocr_low_words, "lines_withheld": self.ocr_lines_withheld,
                    "regions_withheld": self.ocr_regions_withheld, "pages_withheld": self.ocr_pages_withheld},
            "near_duplicates": self.near_duplicates, "ignored_tables": self.ignored_tables,
            "aborted": self.aborted, "skipped": len(self.skipped),
            "unsupported": self.unsupported_by_suffix(),
            "manifests": [{k: v for k, v in m.items() if k != "unused_rows"} | {"unused_rows": len(m["unused_rows"])}
                          for m in self.manifests],  # type: ignore[arg-type]
            "unmatched_files": self.unmatched_files, "ambiguous_files": len(self.ambiguous_files),
            "metadata_conflicts": self.conflicts,
            # how unchanged files were told apart: hashing their bytes, or a stat equal to the one they had
            # when last hashed (size, mtime_ns, ctime_ns, inode)
            "file_check": {"method": "sha256" if self.rehash else "stat, else sha256", "hashed": self.hashed,
                           "unchanged_by_stat": self.unchanged_by_stat},
        }


# -- finding files ---------------------------------------------------------------------------------
def discover(paths: Iterable[str | Path], summary: IngestSummary, *, tables: bool = False,
             exclude: set[Path] | None = None) -> list[Path]:
    """Expand folders into supported files, sorted; unreadable folders are reported, not fatal.

    Table files (CSV/XLSX) are documents only with ``tables`` (a --text-column was given);
    otherwise those found in folders are counted in ``summary.ignored_tables``.
    """
    exclude = exclude or set()
    found: set[Path] = set()

    def wanted(p: Path, named: bool) -> bool:
        suffix = p.suffix.lower()
        if p.resolve() in exclude:
            return False
        if suffix in TABLE_SUFFIXES:
            if not tables:
                summary.ignored_tables += 1
                if named:
                    summary.skipped.append((str(p), "a table needs --text-column (表格需用 --text-column 指定文本列)"))
            return tables
        return suffix in DOCUMENT_SUFFIXES or named

    def unreadable(exc: OSError) -> None:
        summary.skipped.append((str(exc.filename), f"cannot read folder (无法读取文件夹): {exc.strerror}"))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=unreadable):
                dirs.sort()
                for name in files:
                    p = Path(root) / name
                    if wanted(p, named=False):
                        found.add(p)
                    elif _reportable(p, exclude):
                        summary.unsupported.append(stored_path(p))
        elif path.exists():
            if wanted(path, named=True):
                found.add(path)
        else:
            summary.skipped.append((str(path), "no such file or folder (文件或文件夹不存在)"))
    return sorted(found, key=lambda p: str(p))


# Failures of the machine, not of the file (a worker pool that broke down): retried on the next run.
TRANSIENT_ERRORS = frozenset({"BrokenProcessPool", "ProcessExpired", "CancelledError", "MissingMainGuardError"})


def _reportable(path: Path, exclude: set[Path]) -> bool:
    """A file passed over that the user may have meant to ingest (not a table, a manifest or a hidden file)."""
    name = path.name
    return (not name.startswith((".", "~$")) and path.suffix.lower() not in TABLE_SUFFIXES
            and path.resolve() not in exclude)


# -- reading files, in workers ---------------------------------------------------------------------
def _timeout_result(path: str, seconds: float | None) -> FileResult:
    return FileResult(path, error=("timeout", f"reading took longer than {seconds:g} s; the worker was stopped "
                                              f"(raise --timeout to allow more) (处理超时，已终止)"))


def _crash_result(path: str, exc: BaseException) -> FileResult:
    code = getattr(exc, "exitcode", None)
    return FileResult(path, error=("worker_crashed", f"the process reading this file died (exit code {code}); "
                                                     f"a parser crash or the memory limit (读取进程崩溃)"))


def read_files(todo: list[tuple[str, str]], options: IngestOptions, jobs: int = 1,
               engine: Engine | None = None) -> Iterator[FileResult]:
    """Read files with ``engine`` (default: ``jobs`` local worker processes); yield results in the order of
    ``todo`` (pairs of the path to open and the path to store) whatever the engine and number of workers.

    Each file runs under ``options.timeout`` seconds: a stuck parser's worker is killed (pebble
    restarts it; on Dask the worker is restarted, see :mod:`corpus_tool.parallel.cluster`) and the
    file is reported. Without a time limit and with one job, files are read in this process; so is a
    single file, under a timer signal instead of a worker (POSIX; elsewhere it gets a worker).
    """
    if not todo:
        return
    from corpus_tool.parallel import SerialEngine, make_engine

    own = engine is None
    engine = engine or make_engine("local", jobs=jobs)
    if len(todo) == 1 and engine.name == "local":
        # One file: no worker process (its start-up and imports cost more than most files); the time limit
        # is then a timer in this process where the platform has one (see SerialEngine).
        engine = SerialEngine(alarm=True)
    try:
        if engine.name == "dask":  # workers may run elsewhere: they open absolute paths, results keep todo's
            results = engine.map(partial(_read_as, options=options),
                                 [(os.path.abspath(p), key) for p, key in todo], timeout=options.timeout,
                                 on_error=lambda item, exc: _failed_result(item[1], exc, options))
        else:
            results = engine.map(partial(_read_as, options=options), todo, timeout=options.timeout,
                                 on_error=lambda item, exc: _failed_result(item[1], exc, options),
                                 initializer=worker_init, initargs=(options.max_memory,))
        yield from results
    finally:
        if own:
            engine.close()


def _read_as(item: tuple[str, str], options: IngestOptions) -> FileResult:
    """Read ``item[0]`` (the path to open) and report it under ``item[1]`` (the path as stored)."""
    return read_file(item[0], options, source_path=item[1])


def _failed_result(path: str, exc: BaseException, options: IngestOptions) -> FileResult:
    """A file whose reading did not come back: too slow, its worker died, or the result was lost."""
    from corpus_tool.parallel import TaskTimeout, WorkerCrashed

    if isinstance(exc, TaskTimeout):
        return _timeout_result(path, options.timeout)
    if isinstance(exc, WorkerCrashed):
        return _crash_result(path, exc)
    return FileResult(path, error=(type(exc).__name__, str(exc)[:2000]))


# -- the batch -------------------------------------------------------------------------------------
def _settings(options: IngestOptions, path: Path, manifest_row: dict[str, str] | None) -> str:
    """What, besides the bytes, decides a file's stored content: read again when it changes."""
    key = options.settings_key(path.suffix)
    if manifest_row is None:
        return key
    row = json.dumps(manifest_row, ensure_ascii=False, sort_keys=True)
    return f"{key}|manifest={hashlib.sha256(row.encode('utf-8')).hexdigest()[:16]}"


def ingest_paths(
    paths: Iterable[str | Path],
    db: str | Path | CorpusDB,
    *,
    options: IngestOptions | None = None,
    jobs: int = 1,
    engine: Engine | None = None,
    manifests: Iterable[str | Path] | ManifestSet = (),
    strict: bool = False,
    retry_failed: bool = False,
    rehash: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestSummary:
    """Ingest files and folders into the corpus database ``db``; return a summary.

    Bad files are recorded in the ``errors`` table with the reason, and the batch goes on
    (with ``strict``, it stops at the first failure). ``manifests`` are metadata CSVs joined
    to files by path or name. Unchanged files that failed before are not retried unless
    ``retry_failed``. Files are read by ``engine`` (the caller closes it) or by ``jobs`` local
    worker processes. A file whose stat is the one it had when last hashed is taken to have that hash
    without reading it (:func:`stat_key`); ``rehash`` hashes every file.
    """
    options = options or IngestOptions()
    summary = IngestSummary(rehash=rehash)
    if not isinstance(manifests, ManifestSet):
        manifests = ManifestSet([load_manifest(p) for p in manifests])
    owns = not isinstance(db, CorpusDB)
    store = CorpusDB(db) if owns else db
    restore_memory = limit_database_memory(store.con)  # DuckDB's cache must not grow with the corpus
    try:
        files = discover(paths, summary, tables=bool(options.text_column), exclude=manifests.paths())
        summary.files = len(files)
        _clear_folder_errors(store, paths)
        for path, reason in summary.skipped:
            if Path(path).is_dir():
                store.write_error(path, "folder_unreadable", reason)
        states, errors = store.file_states(), store.error_states()
        hashes = {} if rehash else store.hash_cache()
        hashed: list[tuple[str, str, str]] = []  # (path, stat key, hash) to remember
        todo: list[str] = []
        rows: dict[str, tuple[int, float, str, str]] = {}
        opened: dict[str, str] = {}  # stored path → the path the reader opens (differs for non-UTF-8 names)
        for path in files:
            key = stored_path(path)
            opened[key] = str(path)
            found = manifests.lookup(path)
            settings = _settings(options, path, found[0] if found else None)
            try:
                stat = path.stat()
                if not S_ISREG(stat.st_mode):  # a FIFO or device named *.txt would block the reader forever
                    _fail(store, summary, key, "not_a_file", "not a regular file (不是普通文件: pipe/device)")
                    continue
                if options.max_bytes is not None and stat.st_size > options.max_bytes:
                    _fail(store, summary, key, "too_large",
                          f"{stat.st_size:,} bytes > limit {options.max_bytes:,} (文件超过大小上限; --max-bytes)")
                    continue
                now = stat_key(stat)
                known = hashes.get(key)
                by_stat = known is not None and now is not None and known[0] == now
                if by_stat:
                    digest = known[1]
                else:
                    digest = file_hash(path)
                    summary.hashed += 1
                    if now is not None:
                        hashed.append((key, now, digest))
            except OSError as exc:
                _fail(store, summary, key, *_os_reason(exc))
                continue
            if states.get(key) == {(digest, settings)}:
                summary.unchanged += 1
                summary.unchanged_by_stat += by_stat
                continue
            before = errors.get(key)
            if (before is not None and before[2] == digest and before[3] == settings and not retry_failed
                    and before[0] not in TRANSIENT_ERRORS):
                summary.failed_before += 1
                summary.errors.append((key, before[0], before[1]))
                continue
            rows[key] = (stat.st_size, stat.st_mtime, digest, settings)
            todo.append(key)

        store.remember_hashes(hashed)
        writer = _BatchWriter(store, summary)
        for i, result in enumerate(read_files([(opened[k], k) for k in todo], options, jobs, engine), 1):
            if progress is not None:
                progress(i, len(todo), result.path)
            if result.error is not None:
                writer.flush()  # the database sees the files in the order they were read
                _, _, digest, settings = rows[result.path]
                _fail(store, summary, result.path, *result.error, file_hash=digest, settings=settings)
                if strict:
                    summary.aborted = True
                    break
                continue
            for doc in result.documents:
                found = manifests.lookup(result.path)
                if found is not None:
                    apply_manifest(doc, found[0], found[1], found[2].path_column, row_label(found[2], found[3]))
            writer.add(result.path, result.documents, rows[result.path])
            for doc in result.documents:
                summary.pages += doc.n_pages
                summary.characters += doc.n_chars
                summary.scanned_pages += len(doc.scanned_pages)
                summary.tables += len(doc.tables)
                summary.unreadable_pages += len(doc.unreadable_pages)
                summary.glyph_gaps += sum(e.count for e in doc.log if e.step == "withheld_glyph_gaps")
                summary.add_ocr(doc)
                summary.warnings.extend((result.path, w) for w in _page_warnings(doc, options.ocr))
        writer.flush()
        if not summary.aborted:
            summary.near_duplicates = link_corpus(store, options.near_duplicate_threshold)
        if manifests.manifests:
            summary.manifests = manifests.report()
            summary.unmatched_files = manifests.unmatched_files()
            summary.ambiguous_files = sorted(manifests.ambiguous)
        summary.conflicts = dict(store.con.execute(
            "SELECT field, count(DISTINCT doc_id) FROM metadata_conflicts GROUP BY field ORDER BY field").fetchall())
    finally:
        restore_memory()
        if owns:
            store.close()
    return summary


STAT_SETTLE_NS = 2_000_000_000  # a stat younger than this is not trusted (coarse file-system timestamps: 2 s)


def stat_key(stat: os.stat_result) -> str | None:
    """What tells a file apart without reading it: size, mtime and ctime in ns, inode; ``None`` for a file
    changed in the last ``STAT_SETTLE_NS`` (another write in the same timestamp tick would leave its stat alike).

    The ctime cannot be set back by a program (``touch -d`` and unpacking set the mtime only), so a file
    rewritten with the same size keeps its stat only if the clock was set back or the file system does not
    keep times; ``ingest --rehash`` hashes every file for such cases, as ``git`` trusts its index's stat.
    """
    newest = max(stat.st_mtime_ns, stat.st_ctime_ns)
    if time.time_ns() - newest < STAT_SETTLE_NS:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


class _BatchWriter:
    """Files read, stored many at a time: one transaction and one insert per table for a batch.

    A batch is all or nothing, so a run killed while writing leaves whole files, and the re-run reads
    the files of the lost batch again. A batch is bounded by its characters, so that the memory of the
    writing process does not grow with the corpus.
    """

    MAX_FILES = 200
    MAX_CHARS = 100_000

    def __init__(self, store: CorpusDB, summary: IngestSummary) -> None:
        self.store, self.summary = store, summary
        self.pending: list[tuple[str, list[Document], tuple[int, float, str, str]]] = []
        self.chars = 0

    def add(self, path: str, docs: list[Document], row: tuple[int, float, str, str]) -> None:
        self.pending.append((path, docs, row))
        self.chars += sum(d.n_chars for d in docs)
        if len(self.pending) >= self.MAX_FILES or self.chars >= self.MAX_CHARS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        for (_, docs, _), new in zip(self.pending, self.store.write_files(self.pending), strict=True):
            self.summary.ingested += new
            self.summary.duplicates += len(docs) - new
        self.pending, self.chars = [], 0


# -- links over the whole corpus -------------------------------------------------------------------
def link_corpus(store: CorpusDB, threshold: float) -> int:
    """Link near duplicates to their canonical document and forwarded documents to their targets.

    Computed from the whole corpus, so the result depends only on what is stored; skipped when
    nothing it reads has changed since the last run. Returns the number of near duplicates.
    """
    from corpus_tool.reading.dedup import near_duplicates_in_database

    h = hashlib.sha256(f"threshold={threshold}\n".encode())
    result = store.con.execute("SELECT doc_id, year, doc_number, title FROM documents ORDER BY doc_id")
    for batch in iter(lambda: result.fetchmany(8192), []):  # a batch at a time: memory does not grow with the corpus
        for doc_id, year, number, title in batch:
            h.update(f"{doc_id}|{year}|{number}|{title}\n".encode())
    state = h.hexdigest()
    if store.get_meta("links_state") == state:
        return (store.con.execute("SELECT count(*) FROM documents WHERE canonical_id IS NOT NULL").fetchone()
                or (0,))[0]
    links = near_duplicates_in_database(store.con, threshold)
    with store.transaction() as con:
        con.execute("UPDATE documents SET canonical_id = NULL, similarity = NULL "
                    "WHERE canonical_id IS NOT NULL OR similarity IS NOT NULL")
        con.execute("UPDATE documents SET canonical_id = l.canonical_id, similarity = l.similarity "
                    "FROM (SELECT unnest(?::VARCHAR[]) AS doc_id, unnest(?::VARCHAR[]) AS canonical_id, "
                    "      unnest(?::DOUBLE[]) AS similarity) l WHERE documents.doc_id = l.doc_id",
                    [list(links), [v[0] for v in links.values()], [v[1] for v in links.values()]])
        _link_relations(con)
        store.set_meta("links_state", state)
    return len(links)


def _link_relations(con) -> None:  # type: ignore[no-untyped-def]
    """A forwarded document found in the corpus by its title (punctuation and 《》 ignored)."""
    squash = "regexp_replace({}, '[\\s\u3000《》〈〉“”\"（）()]', '', 'g')"
    con.execute("UPDATE relations SET target_doc_id = NULL")
    con.execute(
        f"UPDATE relations SET target_doc_id = t.target FROM ("
        f"  SELECT r.doc_id, r.title, min(d.doc_id) AS target FROM relations r JOIN documents d"
        f"  ON d.doc_id <> r.doc_id AND {squash.format('d.title')} <> '' AND ("
        f"     {squash.format('d.title')} = {squash.format('r.title')}"
        f"     OR ({squash.format('r.issuer')} || {squash.format('d.title')}) = {squash.format('r.title')})"
        f"  GROUP BY r.doc_id, r.title) t "
        f"WHERE relations.doc_id = t.doc_id AND relations.title = t.title"
    )


def _os_reason(exc: OSError) -> tuple[str, str]:
    if isinstance(exc, FileNotFoundError):
        return "file_vanished", f"file removed during the run (运行中文件被删除): {exc.filename}"
    if isinstance(exc, PermissionError):
        return "permission_denied", f"no permission to read (无读取权限): {exc.filename}"
    return type(exc).__name__, str(exc)


def _clear_folder_errors(store: CorpusDB, paths: Iterable[str | Path]) -> None:
    """Folders that were unreadable in an earlier run are reported again if they still are."""
    for raw in paths:
        store.con.execute("DELETE FROM errors WHERE error = 'folder_unreadable' AND (source_path = ? "
                          "OR starts_with(source_path, ?))", [str(raw), str(raw).rstrip("/") + "/"])


SIDEWAYS_REPORTED = 200  # glyphs set sideways in a document that make a warning at the end of ingest


def _page_warnings(doc: Document, ocr: bool) -> list[str]:
    """What a stored document is missing: unreadable pages, and scanned pages when OCR was off."""
    out = []
    if doc.unreadable_pages:
        out.append(unreadable_message(doc.unreadable_pages))
    if doc.scanned_pages and not ocr:
        out.append(f"pages {page_ranges(doc.scanned_pages)} have no text layer; rerun with --ocr "
                   "(扫描页无文字层，未收录；请使用 --ocr)")
    for entry in doc.log:  # a rotated axis label is a few glyphs; a table set sideways is hundreds
        if entry.step == "pdf_rotated_text_dropped" and entry.count >= SIDEWAYS_REPORTED:
            out.append(f"{entry.count} glyphs set sideways (a rotated table or figure) were not read on "
                       f"{entry.detail} (横排旋转的文字未收录)")
        elif entry.step == "pdf_sideways_unreadable":  # turned upright, but in fonts without a Unicode map
            out.append(entry.detail)
    return out


def _fail(store: CorpusDB, summary: IngestSummary, path: str, error: str, detail: str, *,
          file_hash: str | None = None, settings: str = "") -> None:
    summary.failed += 1
    summary.errors.append((path, error, detail))
    store.write_error(path, error, detail, file_hash, settings)


__all__ = ["SUPPORTED_SUFFIXES", "Document", "IngestSummary", "discover", "ingest_paths", "read_files"]
