"""Turning a chunk of paragraphs into a token batch, in whichever process runs it (this one or a worker).

:class:`ChunkSegmenter` holds the tokenizer, POS tagger and stopword set; :class:`SegmentTask` is what
a worker process receives (the settings only: it builds its own tokenizer once). Kept apart from
:mod:`corpus_tool.segment.run`, which reads and writes the database, so that a worker imports neither
DuckDB nor the engines: a spawned worker starts sooner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from itertools import chain

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus_tool.reading.model import FORMULA_MARK
from corpus_tool.segment.arrays import from_numpy, slices, strings, to_numpy
from corpus_tool.segment.base import Segmenter, SegmenterError, SegmentSettings, dictionary_entries
from corpus_tool.segment.build import build_segmenter, resolve
from corpus_tool.segment.stopwords import CONTENT_PATTERN, stopword_set

TOKEN_SCHEMA = pa.schema([
    ("doc_id", pa.dictionary(pa.int32(), pa.string())), ("para_no", pa.int32()), ("position", pa.int32()),
    ("token", pa.string()), ("pos", pa.string()), ("start", pa.int32()), ("is_stop", pa.bool_()),
])

# A chunk of paragraphs as read from the database: doc_id (string), para_no (int32), text (string, never
# null: read as '' where the database has none).
CHUNK_SCHEMA = pa.schema([("doc_id", pa.string()), ("para_no", pa.int32()), ("text", pa.string())])


class ChunkSegmenter:
    """Turns a chunk of paragraphs into a token batch: tokenizer, POS tagger and stopword set in one place."""

    def __init__(self, settings: SegmentSettings, *, deferred: bool = False) -> None:
        self.settings = settings
        self.deferred = deferred
        self.segmenter: Segmenter = build_segmenter(settings)
        self.tagger = None
        if settings.pos:
            from corpus_tool.segment.pos import DictTagger

            self.tagger = DictTagger(dictionary_entries(settings))
        self.lossless = settings.segmenter == "jieba"  # jieba never drops or changes a character
        self.stop_values = strings(sorted(stopword_set(settings.default_stopwords, settings.stopwords)))

    def __call__(self, chunk: pa.RecordBatch) -> tuple[pa.RecordBatch | Callable[[], pa.RecordBatch],
                                                      dict[str, int]]:
        """Tokens of a chunk of paragraphs (columns of :data:`CHUNK_SCHEMA`) as a ``TOKEN_SCHEMA`` batch, and
        the paragraphs given simplified characters per document (``to_simplified``; see :func:`_simplified`).

        ``deferred``: the function that makes the batch instead of the batch. The cut is done; what is left
        is mostly Arrow kernels, which release the GIL, so the thread that inserts the batch makes it while
        this one cuts the next chunk (the tokenizer holds the GIL for the whole cut).
        """
        converted: dict[str, int] = {}
        joined = None
        if self.settings.to_simplified:
            chunk, joined = _simplified_joined(chunk, converted)
        finish = self._tokens(chunk, joined)
        return (finish if self.deferred else finish()), converted

    def _tokens(self, chunk: pa.RecordBatch, joined: str | None = None) -> Callable[[], pa.RecordBatch]:
        """The chunk's tokens cut, and the function that makes their batch. ``joined``: the chunk's texts
        joined by line breaks, when the caller has it already."""
        text_col = chunk.column(2)
        n_texts = len(text_col)
        cut = self._cut_joined(text_col, joined) if self.lossless else None
        if cut is not None:
            token_arr, which, starts, joined = cut
        elif self.lossless:  # the joined cut did not split at every line break: paragraph by paragraph
            token_lists = self.segmenter.cut_batch(text_col.to_pylist())
            counts = np.fromiter(map(len, token_lists), np.int64, len(token_lists))
            # jieba's tokens cover each text exactly, whitespace included: a token's offset is the running
            # sum of the lengths before it in its paragraph, computed for the whole chunk at once.
            token_arr = strings(list(chain.from_iterable(token_lists)))
            lens = to_numpy(pc.utf8_length(token_arr)).astype(np.int64)
            if int(lens.sum()) != int(to_numpy(pc.utf8_length(text_col)).sum()):
                raise RuntimeError(f"{self.settings.engine} tokens do not cover their paragraphs")
            before = np.cumsum(lens) - lens
            first = np.cumsum(counts) - counts
            at = np.minimum(first, max(len(lens) - 1, 0))
            starts = before - np.repeat(before[at], counts) if len(lens) else lens
            which = np.repeat(np.arange(n_texts), counts)
            joined = None
        else:  # other backends may drop or normalise whitespace: find each token in its text
            flat, st, cnt = [], [], []
            for text, toks in zip(texts := text_col.to_pylist(),
                                  self.segmenter.cut_batch(texts), strict=True):
                toks, offs = _align(text, toks)
                flat += toks
                st += offs
                cnt.append(len(toks))
            starts = np.asarray(st, np.int64)
            token_arr = strings(flat)
            which = np.repeat(np.arange(n_texts), np.asarray(cnt, np.int64))
            joined = None
        return partial(self._batch, chunk, token_arr, which, starts, joined)

    def _batch(self, chunk: pa.RecordBatch, token_arr: pa.Array, which: np.ndarray, starts: np.ndarray,
               joined: str | None) -> pa.RecordBatch:
        """The ``TOKEN_SCHEMA`` batch of a chunk's tokens (whitespace included), each token's text and its
        offset there."""
        text_col = chunk.column(2)
        n_texts = len(text_col)
        # Token properties are computed once per distinct token of the chunk, then spread by index.
        encoded = pc.dictionary_encode(token_arr)
        distinct, index = encoded.dictionary, to_numpy(encoded.indices)
        space = to_numpy(pc.utf8_is_space(distinct))[index]
        if space.any():  # whitespace tokens are not stored; offsets keep the text recoverable
            keep = ~space
            token_arr, index = token_arr.filter(from_numpy(keep, pa.bool_())), index[keep]
            which, starts = which[keep], starts[keep]
        counts = np.bincount(which, minlength=n_texts)
        n = len(token_arr)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        stop = pc.or_(pc.is_in(distinct, value_set=self.stop_values),
                      pc.invert(pc.match_substring_regex(distinct, CONTENT_PATTERN)))
        is_stop = to_numpy(stop)[index]
        if joined is None or FORMULA_MARK in joined:  # one scan of the joined text spares Arrow's per text
            is_stop |= _in_marks(text_col, which, starts)
        pos = (strings(self.tagger.tag_all(distinct.to_pylist())).take(from_numpy(index, pa.int64()))
               if self.tagger else pa.nulls(n, pa.string()))  # tags are context-free: one lookup per type
        docs = pc.dictionary_encode(chunk.column(0))
        return pa.RecordBatch.from_arrays([
            # doc_id as a dictionary array: no per-token string copies; DuckDB decodes it on insert
            pa.DictionaryArray.from_arrays(from_numpy(to_numpy(docs.indices)[which], pa.int32()),
                                           docs.dictionary),
            from_numpy(to_numpy(chunk.column(1))[which], pa.int32()),
            from_numpy(np.arange(n, dtype=np.int64) - first, pa.int32()),
            token_arr,
            pos,
            from_numpy(starts, pa.int32()),
            from_numpy(is_stop, pa.bool_()),
        ], schema=TOKEN_SCHEMA)

    def _cut_joined(self, text_col: pa.Array, joined: str | None = None
                    ) -> tuple[pa.Array, np.ndarray, np.ndarray, str] | None:
        """The chunk's paragraphs cut as one text, joined by line breaks: one call into the tokenizer instead
        of one per paragraph. Returns the tokens (line breaks included), each token's paragraph, its offset in
        the paragraph and the joined text (``joined``: that text, when the caller has it); None when some
        line break did not come out as a token of its own (a paragraph ending in "\r" makes "\r\n"), in
        which case the chunk is cut paragraph by paragraph.

        jieba cuts each run of Han/ASCII characters on its own and yields other characters one at a time,
        so a paragraph's tokens do not depend on the text around it once the line break before and after
        it stand alone: what is checked here, for every paragraph.
        """
        texts = text_col
        plen = to_numpy(pc.utf8_length(texts)).astype(np.int64) + 1  # + the line break
        pstart = np.cumsum(plen) - plen
        if joined is None:
            joined = "\n".join(texts.to_pylist())
        toks = self.segmenter.cut_raw(joined)
        lens = np.fromiter(map(len, toks), np.int64, len(toks))
        if int(lens.sum()) != len(joined):
            raise RuntimeError(f"{self.settings.engine} tokens do not cover their paragraphs")
        tstart = np.cumsum(lens) - lens
        breaks = pstart[1:] - 1  # where the line breaks between paragraphs are
        at = np.searchsorted(tstart, breaks)
        if len(breaks) and not (at < len(tstart)).all():
            return None
        if not ((tstart[at] == breaks) & (lens[at] == 1)).all():
            return None
        # a token's paragraph: how many line breaks come before it (the break itself ends its paragraph)
        which = np.cumsum(np.bincount(at + 1, minlength=len(tstart) + 1)[:len(tstart)])
        flagged = self.segmenter.needs_fix(texts)
        if flagged is not None and flagged.any():  # the engine splits a few tokens of these paragraphs again
            inside = np.flatnonzero(flagged[which])
            picked = [toks[i] for i in inside.tolist()]
            fixes = self.segmenter.fixes(strings(picked)) if picked else {}
            if fixes:
                # The pieces tile their token: only lengths change, and a piece stays in its token's paragraph.
                order = sorted(fixes)
                split_at = inside[order]
                reps = np.ones(len(lens), np.int64)
                reps[split_at] = [len(fixes[i]) for i in order]
                fixed = np.zeros(len(lens), bool)
                fixed[split_at] = True
                piece = np.repeat(fixed, reps)  # the new tokens that are pieces, in order
                lens = np.repeat(lens, reps)
                lens[piece] = [len(x) for i in order for x in fixes[i]]
                which = np.repeat(which, reps)
                tstart = np.cumsum(lens) - lens
        token_arr = slices(joined, tstart, lens)
        return token_arr, which, tstart - pstart[which], joined


def _in_marks(texts: pa.Array, which: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Tokens that start inside a :data:`FORMULA_MARK` (〔公式〕 where a display formula was left out): stop
    tokens, so the mark's 公式 is never counted as a word. ``which`` (each token's text) runs in text order."""
    out = np.zeros(len(which), bool)
    has = to_numpy(pc.match_substring(texts, FORMULA_MARK))  # texts are never null (read as "")
    for t in np.flatnonzero(has):
        lo, hi = np.searchsorted(which, t), np.searchsorted(which, t, side="right")
        text = texts[int(t)].as_py()
        at = text.find(FORMULA_MARK)
        while at >= 0:
            inside = (starts[lo:hi] >= at) & (starts[lo:hi] < at + len(FORMULA_MARK))
            out[lo:hi] |= inside
            at = text.find(FORMULA_MARK, at + len(FORMULA_MARK))
    return out


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


def _simplified(batch: pa.RecordBatch, converted: dict[str, int]) -> pa.RecordBatch:
    """The batch with traditional characters in simplified ones (OpenCC t2s), wherever they are.

    Not only in the documents detected at ingest as traditional: a simplified report may quote or
    mix in traditional passages (Wikisource's 1957 report) or carry a stray 我們. OpenCC's phrase
    tables keep words that simplified text writes with these characters (乾坤, 瞭望, 狼藉), and
    paragraphs it does not change stay as they are. ``converted`` counts the paragraphs converted
    per document. Token offsets must still point into the stored paragraph: a phrase conversion
    that changes the length (rare) falls back to character by character.
    """
    return _simplified_joined(batch, converted)[0]


def _simplified_joined(batch: pa.RecordBatch, converted: dict[str, int]) -> tuple[pa.RecordBatch, str | None]:
    """:func:`_simplified`, and the (converted) texts joined by line breaks when no text holds one: the text
    the tokenizer cuts, so the chunk's texts go to Python and are joined once."""
    from corpus_tool.reading.convert import to_simplified

    texts = batch.column(2).to_pylist()
    joined: str | None = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1:  # no text holds a line break: what _simplified_texts joins by
        done = to_simplified(joined) if joined else joined
        if done == joined:
            return batch, joined
        new = done.split("\n")
        if len(new) != len(texts):
            new = [to_simplified(t) if t else t for t in texts]
    else:
        joined = None
        new = _simplified_texts(texts, to_simplified)  # type: ignore[assignment]
        if new is None:
            return batch, None
    at = [i for i, (old, text) in enumerate(zip(texts, new, strict=True)) if old != text]
    if not at:
        return batch, joined
    doc_ids = batch.column(0).to_pylist()
    for i in at:
        if len(new[i]) != len(texts[i]):
            new[i] = "".join(t if len(t := to_simplified(c)) == 1 else c for c in texts[i])
        converted[doc_ids[i]] = converted.get(doc_ids[i], 0) + 1
    joined = "\n".join(new) if joined is not None else None
    return pa.RecordBatch.from_arrays([batch.column(0), batch.column(1), strings(new)],
                                      schema=CHUNK_SCHEMA), joined


def _simplified_texts(texts: list[str], convert: Callable[[str], str]) -> list[str] | None:
    """``convert`` applied to every text, in one call on the texts joined by a separator none of them holds
    (OpenCC converts phrase by phrase and no phrase holds a control character, so the pieces come back
    whole); None when nothing changes. Falls back to one call per text when the pieces do not match."""
    whole = "".join(texts)
    sep = next((c for c in ("\n", "\x1e", "\x1f", "\x1d") if c not in whole), None)
    if sep is not None:
        joined = sep.join(texts)
        done = convert(joined) if joined else joined
        if done == joined:
            return None
        pieces = done.split(sep)
        if len(pieces) == len(texts):
            return pieces
    return [convert(t) if t else t for t in texts]
