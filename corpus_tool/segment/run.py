"""Segment the corpus database: every text unit into tokens in the ``tokens`` table, one segmentation current.

Paragraphs are read in ``(doc_id, para_no)`` order as Arrow batches and cut into chunks of about
``chunk_chars`` characters. An engine (:mod:`corpus_tool.parallel`) maps the tokenizer over the chunks: in
this process, in spawned worker processes (``jobs > 1``; same behaviour on Linux, macOS and Windows) or on a
Dask cluster, each worker building its own tokenizer from the settings (:mod:`corpus_tool.segment.chunks`,
which imports neither DuckDB nor the engines). Workers convert traditional characters, cut whole chunks and
return finished Arrow token batches, so this process only inserts them, in chunk order, from a writer thread
while the next chunks are cut. A paragraph's tokens never depend on its chunk or worker, so every engine and
``jobs`` gives the same rows. Tokens go in inside one transaction: an interrupted run leaves the previous
segmentation in place.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus_tool.parallel import Engine, make_engine
from corpus_tool.parallel.memory import limit_database_memory
from corpus_tool.segment.arrays import to_numpy
from corpus_tool.segment.base import SegmentSettings, check_word_files
from corpus_tool.segment.build import resolve
from corpus_tool.segment.chunks import CHUNK_SCHEMA, TOKEN_SCHEMA, ChunkSegmenter, SegmentTask
from corpus_tool.store.db import CorpusDB

__all__ = ["CHUNK_SCHEMA", "TOKEN_SCHEMA", "ChunkSegmenter", "CurrentSegmentation", "SegmentSummary",
           "SegmentTask", "current_segmentation", "segment_corpus"]


@dataclass(frozen=True)
class CurrentSegmentation:
    """The segmentation whose tokens are in the ``tokens`` table."""

    seg_id: str
    settings: SegmentSettings
    corpus_fingerprint: str


@dataclass
class SegmentSummary:
    """What a :func:`segment_corpus` call did."""

    seg_id: str
    status: str  # "segmented" | "updated" (new documents only) | "unchanged" (no-op)
    settings: SegmentSettings
    replaced: str | None = None  # the seg_id that was current before, when replaced
    n_docs: int = 0
    n_paragraphs: int = 0
    n_chars: int = 0
    n_tokens: int = 0
    seconds: float = 0.0
    jobs: int = 1
    warnings: list[str] = field(default_factory=list)
    executor: dict[str, object] = field(default_factory=dict)  # where it ran: engine, workers, scheduler
    scripts: dict[str, int] = field(default_factory=dict)  # documents segmented, by script detected at ingest
    converted: int = 0  # documents with traditional text segmented in simplified characters
    converted_paragraphs: int = 0
    kept_traditional: int = 0  # traditional/mixed documents left in their script (to_simplified off)

    @property
    def chars_per_second(self) -> float:
        return self.n_chars / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "seg_id": self.seg_id, "status": self.status, "replaced": self.replaced,
            "engine": self.settings.engine, "engine_version": self.settings.engine_version,
            "n_docs": self.n_docs, "n_paragraphs": self.n_paragraphs, "n_chars": self.n_chars,
            "n_tokens": self.n_tokens, "seconds": round(self.seconds, 3), "jobs": self.jobs,
            "executor": self.executor, "warnings": self.warnings, "settings": self.settings.to_dict(),
            "scripts": self.scripts, "converted_to_simplified": {"documents": self.converted,
                                                                 "paragraphs": self.converted_paragraphs},
            "kept_traditional": self.kept_traditional,
        }


# -- reading and writing the database -------------------------------------------------------------------
def current_segmentation(db: str | Path | CorpusDB) -> CurrentSegmentation | None:
    """The current segmentation of a corpus database (its seg_id and settings), or None if never segmented.

    Analyses call this to record which tokens they read and to build the same tokenizer (for example
    ``build_segmenter(current.settings)``) when they need to cut new text the same way.
    """
    own = not isinstance(db, CorpusDB)
    cdb = CorpusDB(db, read_only=True) if own else db
    try:
        row = cdb.con.execute(
            "SELECT seg_id, settings, corpus_fingerprint FROM segmentations WHERE current LIMIT 1"
        ).fetchone()
    finally:
        if own:
            cdb.close()
    if row is None:
        return None
    return CurrentSegmentation(row[0], SegmentSettings.from_dict(json.loads(row[1])), row[2])


def _chunks(cdb: CorpusDB, where: str, chunk_chars: int, stats: dict[str, int]) -> Iterator[pa.RecordBatch]:
    """Paragraphs in (doc_id, para_no) order as Arrow batches of about ``chunk_chars`` characters each:
    a paragraph goes to the chunk in which it starts (chunk boundaries never change any token)."""
    cur = cdb.con.cursor()  # a second connection: the main one is writing tokens meanwhile
    try:
        reader = cur.sql(
            # '' for a missing text: tokens are the same (none), and the chunk code needs no null checks
            f"SELECT doc_id, para_no, coalesce(text, '') AS text FROM paragraphs {where} ORDER BY doc_id, para_no"
        ).to_arrow_reader(8192)
        parts: list[pa.RecordBatch] = []
        part_id = -1

        def chunk(pieces: list[pa.RecordBatch]) -> pa.RecordBatch:
            return pa.concat_batches(pieces)

        for batch in reader:
            batch = batch.cast(CHUNK_SCHEMA)
            lens = to_numpy(pc.utf8_length(batch.column(2))).astype(np.int64)
            ids = (stats["n_chars"] + np.cumsum(lens) - lens) // chunk_chars
            stats["n_chars"] += int(lens.sum())
            stats["n_paragraphs"] += batch.num_rows
            cuts = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), batch.num_rows]
            for a, b in pairwise(cuts):
                if parts and ids[a] != part_id:
                    yield chunk(parts)
                    parts = []
                parts.append(batch.slice(a, b - a))
                part_id = int(ids[a])
        if parts:
            yield chunk(parts)
    finally:
        cur.close()


class _ReadAhead:
    """``items`` produced by a thread, started at once, up to ``depth`` ahead of the consumer.

    The first item waits for DuckDB to sort the paragraphs (in its own threads, without the GIL), which thus
    overlaps with building the tokenizer; later chunks are read while the previous one is cut. :meth:`close`
    (also when the consumer failed) stops the thread and closes ``items``.
    """

    def __init__(self, items: Iterator[pa.RecordBatch], depth: int = 2) -> None:
        self._items = items
        self._queue: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
        self._stop, begun = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(begun,), name="corpus-tool-paragraph-reader",
                                        daemon=True)
        self._thread.start()
        # Wait until the thread runs: building the tokenizer holds the GIL for a fifth of a second in one call,
        # which would keep the thread from even sending its query meanwhile.
        begun.wait()

    def _put(self, kind: str, value: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                pass
        return False

    def _produce(self, begun: threading.Event) -> None:
        begun.set()
        try:
            for item in self._items:
                if not self._put("item", item):
                    break
            else:
                self._put("end", None)
        except BaseException as exc:
            self._put("error", exc)
        finally:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        while True:
            kind, value = self._queue.get()
            if kind == "end":
                return
            if kind == "error":
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def segment_corpus(
    db: str | Path,
    settings: SegmentSettings | None = None,
    *,
    jobs: int = 1,
    engine: Engine | None = None,
    chunk_chars: int = 200_000,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SegmentSummary:
    """Segment every text unit of the corpus database ``db`` into the ``tokens`` table.

    Same settings and corpus as the current segmentation: nothing is done (``status="unchanged"``) unless
    ``force``. Same settings but new documents: only those are segmented (``"updated"``). Other settings:
    the previous tokens are replaced (``"segmented"``, ``replaced`` = the old seg_id). Every call adds a row
    to the ``runs`` table. ``progress`` is called with the number of tokens stored so far after each chunk.

    The work runs on ``engine`` (see :mod:`corpus_tool.parallel`; the caller keeps it open and closes it),
    by default in this process (``jobs=1``) or in ``jobs`` local worker processes.
    """
    t0 = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    resolved = resolve(settings or SegmentSettings())
    warnings = [str(i) for i in check_word_files(resolved)]
    seg_id = resolved.seg_id
    own_engine = engine is None
    engine = engine or make_engine("local", jobs=max(1, int(jobs)))
    try:
        with CorpusDB(db) as cdb:
            restore_memory = limit_database_memory(cdb.con)
            current = current_segmentation(cdb)
            fingerprint = cdb.fingerprint()
            summary = SegmentSummary(seg_id, "segmented", resolved, jobs=1, warnings=warnings)
            where = ""
            if current and current.seg_id == seg_id and not force:
                if current.corpus_fingerprint == fingerprint:
                    summary.status = "unchanged"
                else:  # documents were added since: segment those; removed ones lost their tokens on removal
                    summary.status = "updated"
                    where = "WHERE doc_id NOT IN (SELECT DISTINCT doc_id FROM tokens)"
            elif current:
                summary.replaced = current.seg_id
            if summary.status != "unchanged":
                summary.executor = engine.describe()
                summary.jobs = int(summary.executor.get("workers", 1))  # type: ignore[call-overload]
                _segment_into(cdb, resolved, where, engine, chunk_chars, summary, progress)
                with cdb.transaction() as con:
                    con.execute("UPDATE segmentations SET current = false")
                    con.execute("INSERT OR REPLACE INTO segmentations VALUES (?, ?, ?, true)", [
                        seg_id, json.dumps({"seg_id": seg_id, **resolved.to_dict()}, ensure_ascii=False,
                                           sort_keys=True), fingerprint,
                    ])
            summary.seconds = time.perf_counter() - t0
            cdb.con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", [
                uuid.uuid4().hex[:16], "segment",
                json.dumps({**resolved.to_dict(), "jobs": summary.jobs, "executor": summary.executor,
                            "force": force}, ensure_ascii=False),
                started, datetime.now(UTC).isoformat(timespec="seconds"),
                json.dumps({**summary.to_dict(), "current": seg_id}, ensure_ascii=False),
            ])
            restore_memory()
    finally:
        if own_engine:
            engine.close()
    return summary


def _segment_into(cdb: CorpusDB, settings: SegmentSettings, where: str, engine: Engine, chunk_chars: int,
                  summary: SegmentSummary, progress: Callable[[int], None] | None) -> None:
    stats = {"n_chars": 0, "n_paragraphs": 0}
    con = cdb.con
    n_docs = con.execute(f"SELECT count(DISTINCT doc_id) FROM paragraphs {where}").fetchone()
    summary.n_docs = n_docs[0] if n_docs else 0
    # The script of each document was detected at ingest (documents.script).
    # counted in SQL: a list of every document would grow the segmenting process with the corpus
    scripts = con.execute(
        f"SELECT coalesce(script, 'unknown') AS s, count(*) FROM documents WHERE doc_id IN "
        f"(SELECT DISTINCT doc_id FROM paragraphs {where}) GROUP BY s ORDER BY s").fetchall()
    summary.scripts = {script: n for script, n in scripts}
    converted: dict[str, int] | None = {} if settings.to_simplified else None
    if not settings.to_simplified:
        summary.kept_traditional = sum(n for script, n in scripts if script in ("traditional", "mixed"))
    restore: list[Callable[[], None]] = []  # settings the writer changes for the run
    con.execute("BEGIN TRANSACTION")
    try:
        if not where:
            con.execute("DELETE FROM tokens")
        chunks = _ReadAhead(_chunks(cdb, where, chunk_chars, stats))  # reading starts now, in a thread
        try:
            # In this process the tokenizer is built here and dropped after the run; workers build and keep
            # theirs
            task = ChunkSegmenter(settings, deferred=True) if engine.in_process else SegmentTask(settings)
            _insert(con, engine.map(task, iter(chunks)), summary, progress, converted, restore)
        finally:
            chunks.close()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for undo in restore:
            undo()
    summary.n_chars = stats["n_chars"]
    summary.n_paragraphs = stats["n_paragraphs"]
    summary.converted = len(converted or {})
    summary.converted_paragraphs = sum((converted or {}).values())


_Tokens = pa.RecordBatch | Callable[[], pa.RecordBatch]  # a token batch, or the function that makes it


def _insert(con, results: Iterator[tuple[_Tokens, dict[str, int]]],  # type: ignore[no-untyped-def]
            summary: SegmentSummary, progress: Callable[[int], None] | None,
            converted: dict[str, int] | None, restore: list[Callable[[], None]]) -> None:
    """Store token batches from a writer thread: DuckDB releases the GIL while inserting, so the next chunk
    is segmented (or received from a worker) meanwhile; a chunk cut in this process comes as the function
    that makes its batch (see :class:`ChunkSegmenter`), called by the writer. The queue is small, so memory
    stays bounded.
    ``converted`` sums the chunks' counts of paragraphs given simplified characters; ``restore`` gets the
    function that undoes the writer's DuckDB settings (called after the commit)."""
    q: queue.Queue[_Tokens | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def write() -> None:
        try:
            while (item := q.get()) is not None:
                batch = item() if callable(item) else item
                summary.n_tokens += batch.num_rows  # only this thread counts: no lost update
                if not batch.num_rows:
                    continue
                if not restore:
                    restore.append(_one_thread(con))
                # Not register()/unregister(): DuckDB keeps registered objects alive until the transaction
                # ends, which would hold every token batch of the run in memory.
                con.from_arrow(batch).insert_into("tokens")
        except BaseException as exc:
            failed.append(exc)
            while q.get() is not None:  # drain so the producer never blocks on a dead writer
                pass

    writer = threading.Thread(target=write, name="corpus-tool-token-writer", daemon=True)
    writer.start()
    try:
        for batch, counts in results:
            if failed:
                break
            if converted is not None:
                for doc_id, n in counts.items():
                    converted[doc_id] = converted.get(doc_id, 0) + n
            q.put(batch)
            if progress:
                progress(summary.n_tokens)
    finally:
        q.put(None)
        writer.join()
    if failed:
        raise failed[0]
    if progress:  # the last chunks' tokens, stored after the loop ended
        progress(summary.n_tokens)


def _one_thread(con) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    """Run DuckDB on one thread (the caller's) until the returned function restores its thread count.

    For the token inserts: DuckDB spreads an insert's work (compressing full row groups) over its thread
    pool, which on a small machine competes with the tokenizer for the cores, and costs more CPU in all
    (about a sixth, the policy corpus on 2 cores) than doing it in the writer thread alone. Set when the
    first token batch arrives, that is after the first chunk was read: the ordered read of the paragraphs
    (DuckDB's sort) keeps every thread.
    """
    row = con.execute("SELECT current_setting('threads')").fetchone()
    con.execute("SET threads = 1")
    before = int(row[0]) if row else None

    def undo() -> None:
        if before is not None:
            con.execute(f"SET threads = {before}")

    return undo
