"""Segment the corpus database: every text unit into tokens in the ``tokens`` table, one segmentation current.

Paragraphs are read in ``(doc_id, para_no)`` order and cut in chunks; with ``jobs > 1`` the chunks go to a
``multiprocessing`` pool started with the "spawn" method (same behaviour on Linux, macOS and Windows), each
worker building its own tokenizer from the settings, and ``imap`` returning the chunks in order. A paragraph's
tokens never depend on its chunk or worker, so any ``jobs`` gives the same rows. Tokens go in as Arrow
batches inside one transaction: an interrupted run leaves the previous segmentation in place.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus_tool.segment.base import (
    Segmenter,
    SegmentSettings,
    build_segmenter,
    check_word_files,
    dictionary_entries,
    resolve,
)
from corpus_tool.segment.stopwords import CONTENT_PATTERN, stopword_set
from corpus_tool.store.db import CorpusDB

TOKEN_SCHEMA = pa.schema([
    ("doc_id", pa.dictionary(pa.int32(), pa.string())), ("para_no", pa.int32()), ("position", pa.int32()),
    ("token", pa.string()), ("pos", pa.string()), ("start", pa.int32()), ("is_stop", pa.bool_()),
])

Row = tuple[str, int, str]  # doc_id, para_no, text


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

    @property
    def chars_per_second(self) -> float:
        return self.n_chars / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "seg_id": self.seg_id, "status": self.status, "replaced": self.replaced,
            "engine": self.settings.engine, "engine_version": self.settings.engine_version,
            "n_docs": self.n_docs, "n_paragraphs": self.n_paragraphs, "n_chars": self.n_chars,
            "n_tokens": self.n_tokens, "seconds": round(self.seconds, 3), "jobs": self.jobs,
            "warnings": self.warnings, "settings": self.settings.to_dict(),
        }


class ChunkSegmenter:
    """Turns a chunk of paragraphs into a token batch: tokenizer, POS tagger and stopword set in one place."""

    def __init__(self, settings: SegmentSettings) -> None:
        self.settings = settings
        self.segmenter: Segmenter = build_segmenter(settings)
        self.tagger = None
        if settings.pos:
            from corpus_tool.segment.pos import DictTagger

            self.tagger = DictTagger(dictionary_entries(settings))
        self.lossless = settings.segmenter == "jieba"  # jieba never drops or changes a character
        self.stop_values = pa.array(sorted(stopword_set(settings.default_stopwords, settings.stopwords)),
                                    pa.string())

    def __call__(self, rows: list[Row]) -> pa.RecordBatch:
        texts = [r[2] or "" for r in rows]
        token_lists = self.segmenter.cut_batch(texts)
        if self.lossless:
            # jieba's tokens cover each text exactly, whitespace included: a token's offset is the running
            # sum of the lengths before it in its paragraph, computed for the whole chunk at once.
            flat = list(chain.from_iterable(token_lists))
            counts = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
            lens = np.fromiter(map(len, flat), np.int64, len(flat))
            if int(lens.sum()) != sum(map(len, texts)):
                raise RuntimeError(f"{self.settings.engine} tokens do not cover their paragraphs")
            before = np.cumsum(lens) - lens
            first = np.cumsum(counts) - counts
            starts = before - np.repeat(before[np.minimum(first, max(len(flat) - 1, 0))], counts)
        else:  # other backends may drop or normalise whitespace: find each token in its text
            flat, st, cnt = [], [], []
            for text, toks in zip(texts, token_lists, strict=True):
                toks, offs = _align(text, toks)
                flat += toks
                st += offs
                cnt.append(len(toks))
            counts = np.asarray(cnt, np.int64)
            starts = np.asarray(st, np.int64)
        token_arr = pa.array(flat, pa.string())
        which = np.repeat(np.arange(len(rows)), counts)
        space = pc.utf8_is_space(token_arr).to_numpy(zero_copy_only=False)
        if space.any():  # whitespace tokens are not stored; offsets keep the text recoverable
            keep = ~space
            token_arr = token_arr.filter(pa.array(keep))
            which, starts = which[keep], starts[keep]
            counts = np.bincount(which, minlength=len(rows))
        n = len(token_arr)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        is_stop = pc.or_(pc.is_in(token_arr, value_set=self.stop_values),
                         pc.invert(pc.match_substring_regex(token_arr, CONTENT_PATTERN)))
        pos = (pa.array(self.tagger.tag_all(token_arr.to_pylist()), pa.string()) if self.tagger
               else pa.nulls(n, pa.string()))
        return pa.RecordBatch.from_arrays([
            # doc_id as a dictionary array: no per-token string copies; DuckDB decodes it on insert
            pa.DictionaryArray.from_arrays(pa.array(which, pa.int32()),
                                           pa.array([r[0] for r in rows], pa.string())),
            pa.array([r[1] for r in rows], pa.int32()).take(which),
            pa.array(np.arange(n, dtype=np.int64) - first, pa.int32()),
            token_arr,
            pos,
            pa.array(starts, pa.int32()),
            is_stop,
        ], schema=TOKEN_SCHEMA)


def _align(text: str, toks: list[str]) -> tuple[list[str], list[int]]:
    """Character offsets of tokens in ``text``, dropping whitespace tokens (for backends that drop or
    normalise spaces, and for texts with spaces)."""
    out: list[str] = []
    starts: list[int] = []
    at = 0
    for t in toks:
        if not t or t.isspace():
            at += len(t) if text.startswith(t, at) else 0
            continue
        i = text.find(t, at)
        if i < 0:
            raise ValueError(f"segmenter returned {t!r}, which is not in the paragraph after offset {at}")
        out.append(t)
        starts.append(i)
        at = i + len(t)
    return out, starts


# -- pool workers -------------------------------------------------------------------------------------
# Set only inside a spawned worker process by _init_worker: each worker builds its own tokenizer once.
_worker: ChunkSegmenter | None = None


def _init_worker(settings: SegmentSettings) -> None:
    global _worker
    _worker = ChunkSegmenter(settings)


def _work(rows: list[Row]) -> pa.RecordBatch:
    assert _worker is not None, "worker not initialised"
    return _worker(rows)


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


def _chunks(cdb: CorpusDB, where: str, chunk_chars: int, stats: dict[str, int],
            gate: threading.Semaphore | None) -> Iterator[list[Row]]:
    """Paragraphs in (doc_id, para_no) order, grouped into chunks of about ``chunk_chars`` characters."""
    cur = cdb.con.cursor()  # a second connection: the main one is writing tokens meanwhile
    cur.execute(f"SELECT doc_id, para_no, text FROM paragraphs {where} ORDER BY doc_id, para_no")
    chunk: list[Row] = []
    size = 0
    docs: set[str] = set()
    while rows := cur.fetchmany(5000):
        for r in rows:
            chunk.append(r)
            docs.add(r[0])
            size += len(r[2] or "")
            stats["n_chars"] += len(r[2] or "")
            stats["n_paragraphs"] += 1
            if size >= chunk_chars:
                if gate:
                    gate.acquire()
                yield chunk
                chunk, size = [], 0
    if chunk:
        if gate:
            gate.acquire()
        yield chunk
    stats["n_docs"] = len(docs)
    cur.close()


def segment_corpus(
    db: str | Path,
    settings: SegmentSettings | None = None,
    *,
    jobs: int = 1,
    chunk_chars: int = 200_000,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SegmentSummary:
    """Segment every text unit of the corpus database ``db`` into the ``tokens`` table.

    Same settings and corpus as the current segmentation: nothing is done (``status="unchanged"``) unless
    ``force``. Same settings but new documents: only those are segmented (``"updated"``). Other settings:
    the previous tokens are replaced (``"segmented"``, ``replaced`` = the old seg_id). Every call adds a row to
    the ``runs`` table. ``progress`` is called with the number of tokens stored so far after each chunk.
    """
    t0 = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    resolved = resolve(settings or SegmentSettings())
    warnings = [str(i) for i in check_word_files(resolved)]
    seg_id = resolved.seg_id
    jobs = max(1, int(jobs))
    with CorpusDB(db) as cdb:
        current = current_segmentation(cdb)
        fingerprint = cdb.fingerprint()
        summary = SegmentSummary(seg_id, "segmented", resolved, jobs=jobs, warnings=warnings)
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
            _segment_into(cdb, resolved, where, jobs, chunk_chars, summary, progress)
            with cdb.transaction() as con:
                con.execute("UPDATE segmentations SET current = false")
                con.execute("INSERT OR REPLACE INTO segmentations VALUES (?, ?, ?, true)", [
                    seg_id, json.dumps({"seg_id": seg_id, **resolved.to_dict()}, ensure_ascii=False,
                                       sort_keys=True), fingerprint,
                ])
        summary.seconds = time.perf_counter() - t0
        cdb.con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", [
            uuid.uuid4().hex[:16], "segment",
            json.dumps({**resolved.to_dict(), "jobs": jobs, "force": force}, ensure_ascii=False),
            started, datetime.now(UTC).isoformat(timespec="seconds"),
            json.dumps({**summary.to_dict(), "current": seg_id}, ensure_ascii=False),
        ])
    return summary


def _segment_into(cdb: CorpusDB, settings: SegmentSettings, where: str, jobs: int, chunk_chars: int,
                  summary: SegmentSummary, progress: Callable[[int], None] | None) -> None:
    stats = {"n_chars": 0, "n_paragraphs": 0, "n_docs": 0}
    con = cdb.con
    con.execute("BEGIN TRANSACTION")
    try:
        if not where:
            con.execute("DELETE FROM tokens")
        if jobs == 1:
            seg = ChunkSegmenter(settings)
            batches: Iterator[pa.RecordBatch] = map(seg, _chunks(cdb, where, chunk_chars, stats, None))
            _insert(con, batches, summary, progress, None)
        else:
            # Bounded read-ahead: the pool's feeder thread would otherwise read the whole corpus at once.
            gate = threading.Semaphore(2 * jobs + 1)
            ctx = mp.get_context("spawn")
            with ctx.Pool(jobs, initializer=_init_worker, initargs=(settings,)) as pool:
                batches = pool.imap(_work, _chunks(cdb, where, chunk_chars, stats, gate))
                _insert(con, batches, summary, progress, gate)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    summary.n_chars = stats["n_chars"]
    summary.n_paragraphs = stats["n_paragraphs"]
    summary.n_docs = stats["n_docs"]


def _insert(con, batches: Iterator[pa.RecordBatch], summary: SegmentSummary,
            progress: Callable[[int], None] | None, gate: threading.Semaphore | None) -> None:
    """Store batches from a writer thread: DuckDB releases the GIL while inserting, so the next chunk is
    segmented meanwhile. The queue is small, so memory stays bounded."""
    q: queue.Queue[pa.RecordBatch | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def write() -> None:
        try:
            while (batch := q.get()) is not None:
                con.register("_token_batch", batch)
                con.execute("INSERT INTO tokens SELECT * FROM _token_batch")
                con.unregister("_token_batch")
        except BaseException as exc:
            failed.append(exc)
            while q.get() is not None:  # drain so the producer never blocks on a dead writer
                pass

    writer = threading.Thread(target=write, name="corpus-tool-token-writer", daemon=True)
    writer.start()
    try:
        for batch in batches:
            if gate:
                gate.release()
            if failed:
                break
            if batch.num_rows:
                q.put(batch)
                summary.n_tokens += batch.num_rows
            if progress:
                progress(summary.n_tokens)
    finally:
        q.put(None)
        writer.join()
    if failed:
        raise failed[0]
