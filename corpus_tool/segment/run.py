"""Segment the corpus database: every text unit into tokens in the ``tokens`` table, one segmentation current.

Paragraphs are read in ``(doc_id, para_no)`` order as Arrow batches and cut into chunks of about
``chunk_chars`` characters. An engine (:mod:`corpus_tool.parallel`) maps the tokenizer over the chunks: in
this process, in spawned worker processes (``jobs > 1``; same behaviour on Linux, macOS and Windows) or on a
Dask cluster, each worker building its own tokenizer from the settings. Workers return finished Arrow token
batches, so this process only inserts them, in chunk order, from a writer thread while the next chunks are
cut. A paragraph's tokens never depend on its chunk or worker, so every engine and ``jobs`` gives the same
rows. Tokens go in inside one transaction: an interrupted run leaves the previous segmentation in place.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus_tool.parallel import Engine, make_engine
from corpus_tool.parallel.memory import limit_database_memory
from corpus_tool.segment.base import (
    Segmenter,
    SegmenterError,
    SegmentSettings,
    check_word_files,
    dictionary_entries,
)
from corpus_tool.segment.build import build_segmenter, resolve
from corpus_tool.segment.stopwords import CONTENT_PATTERN, stopword_set
from corpus_tool.store.db import CorpusDB

TOKEN_SCHEMA = pa.schema([
    ("doc_id", pa.dictionary(pa.int32(), pa.string())), ("para_no", pa.int32()), ("position", pa.int32()),
    ("token", pa.string()), ("pos", pa.string()), ("start", pa.int32()), ("is_stop", pa.bool_()),
])

# A chunk of paragraphs as read from the database: doc_id (string), para_no (int32), text (string).
CHUNK_SCHEMA = pa.schema([("doc_id", pa.string()), ("para_no", pa.int32()), ("text", pa.string())])


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

    def __call__(self, chunk: pa.RecordBatch) -> tuple[pa.RecordBatch, dict[str, int]]:
        """Tokens of a chunk of paragraphs (columns of :data:`CHUNK_SCHEMA`) as a ``TOKEN_SCHEMA`` batch, and
        the paragraphs given simplified characters per document (``to_simplified``; see :func:`_simplified`)."""
        converted: dict[str, int] = {}
        if self.settings.to_simplified:
            chunk = _simplified(chunk, converted)
        return self._tokens(chunk), converted

    def _tokens(self, chunk: pa.RecordBatch) -> pa.RecordBatch:
        text_col = chunk.column(2)
        n_texts = len(text_col)
        cut = self._cut_joined(text_col) if self.lossless else None
        if cut is not None:
            token_arr, which, starts = cut
        elif self.lossless:  # the joined cut did not split at every line break: paragraph by paragraph
            token_lists = self.segmenter.cut_batch([t or "" for t in text_col.to_pylist()])
            counts = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
            # jieba's tokens cover each text exactly, whitespace included: a token's offset is the running
            # sum of the lengths before it in its paragraph, computed for the whole chunk at once.
            token_arr = pa.array(list(chain.from_iterable(token_lists)), pa.string())
            lens = pc.utf8_length(token_arr).to_numpy().astype(np.int64)
            if int(lens.sum()) != int(pc.sum(pc.utf8_length(text_col)).as_py() or 0):
                raise RuntimeError(f"{self.settings.engine} tokens do not cover their paragraphs")
            before = np.cumsum(lens) - lens
            first = np.cumsum(counts) - counts
            at = np.minimum(first, max(len(lens) - 1, 0))
            starts = before - np.repeat(before[at], counts) if len(lens) else lens
            which = np.repeat(np.arange(n_texts), counts)
        else:  # other backends may drop or normalise whitespace: find each token in its text
            flat, st, cnt = [], [], []
            for text, toks in zip(texts := [t or "" for t in text_col.to_pylist()],
                                  self.segmenter.cut_batch(texts), strict=True):
                toks, offs = _align(text, toks)
                flat += toks
                st += offs
                cnt.append(len(toks))
            starts = np.asarray(st, np.int64)
            token_arr = pa.array(flat, pa.string())
            which = np.repeat(np.arange(n_texts), np.asarray(cnt, np.int64))
        # Token properties are computed once per distinct token of the chunk, then spread by index.
        encoded = pc.dictionary_encode(token_arr)
        distinct, index = encoded.dictionary, encoded.indices.to_numpy()
        space = pc.utf8_is_space(distinct).to_numpy(zero_copy_only=False)[index]
        if space.any():  # whitespace tokens are not stored; offsets keep the text recoverable
            keep = ~space
            token_arr, index = token_arr.filter(pa.array(keep)), index[keep]
            which, starts = which[keep], starts[keep]
        counts = np.bincount(which, minlength=n_texts)
        n = len(token_arr)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        stop = pc.or_(pc.is_in(distinct, value_set=self.stop_values),
                      pc.invert(pc.match_substring_regex(distinct, CONTENT_PATTERN)))
        is_stop = stop.to_numpy(zero_copy_only=False)[index]
        pos = (pa.array(self.tagger.tag_all(distinct.to_pylist()), pa.string()).take(pa.array(index))
               if self.tagger else pa.nulls(n, pa.string()))  # tags are context-free: one lookup per type
        docs = pc.dictionary_encode(chunk.column(0))
        return pa.RecordBatch.from_arrays([
            # doc_id as a dictionary array: no per-token string copies; DuckDB decodes it on insert
            pa.DictionaryArray.from_arrays(pa.array(docs.indices.to_numpy()[which], pa.int32()),
                                           docs.dictionary),
            chunk.column(1).take(pa.array(which)),
            pa.array(np.arange(n, dtype=np.int64) - first, pa.int32()),
            token_arr,
            pos,
            pa.array(starts, pa.int32()),
            pa.array(is_stop, pa.bool_()),
        ], schema=TOKEN_SCHEMA)

    def _cut_joined(self, text_col: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray] | None:
        """The chunk's paragraphs cut as one text, joined by line breaks: one call into the tokenizer instead
        of one per paragraph. Returns the tokens (line breaks included), each token's paragraph and its
        offset in the paragraph; None when some line break did not come out as a token of its own (a
        paragraph ending in "\r" makes "\r\n"), in which case the chunk is cut paragraph by paragraph.

        jieba cuts each run of Han/ASCII characters on its own and yields other characters one at a time,
        so a paragraph's tokens do not depend on the text around it once the line break before and after
        it stand alone: what is checked here, for every paragraph.
        """
        texts = pc.fill_null(text_col, "")
        plen = pc.utf8_length(texts).to_numpy(zero_copy_only=False).astype(np.int64) + 1  # + the line break
        pstart = np.cumsum(plen) - plen
        joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(texts)], pa.int32()), texts),
                                "\n")[0].as_py()
        toks = self.segmenter.cut_raw(joined)
        token_arr = pa.array(toks, pa.string())
        tstart, lens = _offsets(token_arr)
        if int(lens.sum()) != len(joined):
            raise RuntimeError(f"{self.settings.engine} tokens do not cover their paragraphs")
        breaks = pstart[1:] - 1  # where the line breaks between paragraphs are
        at = np.searchsorted(tstart, breaks)
        if len(breaks) and not (at < len(tstart)).all():
            return None
        if not ((tstart[at] == breaks) & (lens[at] == 1)).all():
            return None
        which = np.searchsorted(pstart, tstart, side="right") - 1
        flagged = self.segmenter.needs_fix(texts)
        if flagged is not None and flagged.any():  # the engine splits a few tokens of these paragraphs again
            inside = np.flatnonzero(flagged[which])
            fixes = self.segmenter.fixes(token_arr.take(pa.array(inside)))
            if fixes:
                order = sorted(fixes)
                new = pa.array(list(chain.from_iterable(fixes[i] for i in order)), pa.string())
                pieces: list[pa.Array] = []
                done = used = 0
                for i in order:
                    at_token = int(inside[i])
                    pieces += [token_arr.slice(done, at_token - done), new.slice(used, len(fixes[i]))]
                    done, used = at_token + 1, used + len(fixes[i])
                token_arr = pa.concat_arrays([*pieces, token_arr.slice(done)])
                tstart, lens = _offsets(token_arr)
                which = np.searchsorted(pstart, tstart, side="right") - 1
        return token_arr, which, tstart - pstart[which]


def _offsets(token_arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each token's offset in the text the tokens cover, and its length."""
    lens = pc.utf8_length(token_arr).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.cumsum(lens) - lens, lens


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


# -- workers ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SegmentTask:
    """What a worker process (local pool or Dask) runs on a chunk: small and picklable; the tokenizer it
    needs is built once per process from the settings."""

    settings: SegmentSettings

    def __call__(self, chunk: pa.RecordBatch) -> tuple[pa.RecordBatch, dict[str, int]]:
        return _worker_segmenter(self.settings)(chunk)


@lru_cache(maxsize=2)
def _worker_segmenter(settings: SegmentSettings) -> ChunkSegmenter:
    """This worker's tokenizer for ``settings``, after checking it would cut exactly as the caller's."""
    here = resolve(replace(settings, engine="", engine_version="", file_hashes=()))
    if (here.engine_version, here.file_hashes) != (settings.engine_version, settings.file_hashes):
        raise SegmenterError(
            "a worker would segment differently (worker 的分词环境与本机不同): "
            f"engine {here.engine_version!r} vs {settings.engine_version!r}, word files "
            f"{here.file_hashes} vs {settings.file_hashes}; install the same versions and make dictionary "
            "and stopword files readable at the same paths on every worker"
        )
    return ChunkSegmenter(settings)


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
            f"SELECT doc_id, para_no, text FROM paragraphs {where} ORDER BY doc_id, para_no"
        ).to_arrow_reader(8192)
        parts: list[pa.RecordBatch] = []
        part_id = -1

        def chunk(pieces: list[pa.RecordBatch]) -> pa.RecordBatch:
            return pa.concat_batches(pieces)

        for batch in reader:
            batch = batch.cast(CHUNK_SCHEMA)
            lens = pc.fill_null(pc.utf8_length(batch.column(2)), 0).to_numpy().astype(np.int64)
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


def _simplified(batch: pa.RecordBatch, converted: dict[str, int]) -> pa.RecordBatch:
    """The batch with traditional characters in simplified ones (OpenCC t2s), wherever they are.

    Not only in the documents detected at ingest as traditional: a simplified report may quote or
    mix in traditional passages (Wikisource's 1957 report) or carry a stray 我們. OpenCC's phrase
    tables keep words that simplified text writes with these characters (乾坤, 瞭望, 狼藉), and
    paragraphs it does not change stay as they are. ``converted`` counts the paragraphs converted
    per document. Token offsets must still point into the stored paragraph: a phrase conversion
    that changes the length (rare) falls back to character by character.
    """
    from corpus_tool.reading.convert import to_simplified

    texts = batch.column(2)
    new = _simplified_texts(texts, to_simplified)
    if new is None:
        return batch
    at = np.flatnonzero(pc.fill_null(pc.not_equal(new, texts), False).to_numpy(zero_copy_only=False))
    if not len(at):
        return batch
    olds = texts.take(pa.array(at)).to_pylist()
    news = new.take(pa.array(at)).to_pylist()
    for k, (old, text) in enumerate(zip(olds, news, strict=True)):
        if len(text) != len(old):
            news[k] = "".join(t if len(t := to_simplified(c)) == 1 else c for c in old)
    for doc_id in batch.column(0).take(pa.array(at)).to_pylist():
        converted[doc_id] = converted.get(doc_id, 0) + 1
    out = texts.to_pylist()
    for i, text in zip(at.tolist(), news, strict=True):
        out[i] = text
    return pa.RecordBatch.from_arrays([batch.column(0), batch.column(1), pa.array(out, pa.string())],
                                      schema=CHUNK_SCHEMA)


def _simplified_texts(texts: pa.Array, convert: Callable[[str], str]) -> pa.Array | None:
    """``convert`` applied to every text, in one call on the texts joined by a separator none of them holds
    (OpenCC converts phrase by phrase and no phrase holds a control character, so the pieces come back
    whole); None when nothing changes. Falls back to one call per text when the pieces do not match."""
    filled = pc.fill_null(texts, "")
    sep = next((c for c in ("\n", "\x1e", "\x1f", "\x1d") if not pc.any(pc.match_substring(filled, c)).as_py()),
               None)
    if sep is not None:
        joined = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(filled)], pa.int32()), filled),
                                sep)[0].as_py()
        done = convert(joined) if joined else joined
        if done == joined:
            return None
        pieces = done.split(sep)
        if len(pieces) == len(filled):
            return pa.array(pieces, pa.string())
    out = [convert(t) if t else t for t in filled.to_pylist()]
    return pa.array(out, pa.string())


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
    con.execute("BEGIN TRANSACTION")
    try:
        if not where:
            con.execute("DELETE FROM tokens")
        # In this process the tokenizer is built here and dropped after the run; workers build and keep theirs
        task = ChunkSegmenter(settings) if engine.in_process else SegmentTask(settings)
        _insert(con, engine.map(task, _chunks(cdb, where, chunk_chars, stats)), summary, progress, converted)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    summary.n_chars = stats["n_chars"]
    summary.n_paragraphs = stats["n_paragraphs"]
    summary.converted = len(converted or {})
    summary.converted_paragraphs = sum((converted or {}).values())


def _insert(con, results: Iterator[tuple[pa.RecordBatch, dict[str, int]]],  # type: ignore[no-untyped-def]
            summary: SegmentSummary, progress: Callable[[int], None] | None,
            converted: dict[str, int] | None) -> None:
    """Store token batches from a writer thread: DuckDB releases the GIL while inserting, so the next chunk
    is segmented (or received from a worker) meanwhile. The queue is small, so memory stays bounded.
    ``converted`` sums the chunks' counts of paragraphs given simplified characters."""
    q: queue.Queue[pa.RecordBatch | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def write() -> None:
        try:
            while (batch := q.get()) is not None:
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
