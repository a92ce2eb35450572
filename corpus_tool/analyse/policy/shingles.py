"""Character n-gram shingles of documents, and the candidate document pairs they share (no all-pairs comparison).

Chinese text is shingled by *characters*, not words: a passage copied from one document into another keeps
its characters, while a word segmenter may cut the same string differently in two contexts (and a word-level
shingle would inherit every segmentation error). Matching runs on a *skeleton* of each document: its text
units joined, whitespace and line breaks removed, full-width ASCII folded (ＡＢＣ１２３ → ABC123), so that
layout never splits a match; every skeleton character keeps its paragraph and offset for the report.

Candidates: an inverted index of shingle hashes (one row per distinct shingle and document, in DuckDB); a
shingle found in more than ``max_df`` documents is left out of candidate finding (passim's maxDF: it links
too many documents to say anything), and a pair of documents becomes a candidate when it shares at least
``min_shared`` distinct shingles. Cost grows with the postings and with Σ df² over the kept shingles, never
with the number of document pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import SENTENCE_END

_BASE = np.uint64(1_000_003)  # polynomial hash base (odd): a deterministic hash, unlike Python's salted hash()
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class DocText:
    """One document's skeleton: ``chars`` (str), and for each of its characters the paragraph and offset."""

    doc_id: str
    chars: str
    para: np.ndarray  # para_no of each skeleton character
    offset: np.ndarray  # its offset in that paragraph's text
    boundary: np.ndarray  # True when a sentence or a paragraph ends with this character
    paragraphs: dict[int, str]

    def __len__(self) -> int:
        return len(self.chars)

    def codes(self) -> np.ndarray:
        return np.frombuffer(self.chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)

    def text(self, start: int, end: int) -> str:
        """The original text of skeleton characters [start, end): paragraph slices joined by a line break."""
        if end <= start:
            return ""
        p0, o0, p1, o1 = int(self.para[start]), int(self.offset[start]), int(self.para[end - 1]), \
            int(self.offset[end - 1]) + 1
        if p0 == p1:
            return self.paragraphs[p0][o0:o1]
        parts = [self.paragraphs[p0][o0:]]
        parts += [self.paragraphs[p] for p in sorted(self.paragraphs) if p0 < p < p1]
        parts.append(self.paragraphs[p1][:o1])
        return "\n".join(parts)


# Full-width ASCII (！…～) and the ideographic space folded to ASCII, ASCII capitals to small letters: one
# character for one, so offsets stay valid.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20} | {c: c + 32 for c in range(65, 91)}
_FOLD.update({c: c + 32 - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ → a
_DROP = np.array(sorted({c for c in range(0x21)} | {0x7F, 0x85, 0xA0, 0xAD, 0x1680, 0x2028, 0x2029, 0x202F,
                                                      0x205F, 0x3000, 0xFEFF}
                        | set(range(0x2000, 0x200C)) | set(range(0x200C, 0x2010)) | set(range(0x2060, 0x2065))),
                 dtype=np.uint32)  # whitespace, controls and invisible format characters
_ENDS = np.array(sorted(ord(c) for c in SENTENCE_END), dtype=np.uint32)
# Look-up tables over the Basic Multilingual Plane (a character above it maps to U+FFFF: neither dropped nor an end).
_IS_DROP = np.zeros(0x10000, dtype=bool)
_IS_DROP[_DROP] = True
_IS_END = np.zeros(0x10000, dtype=bool)
_IS_END[_ENDS] = True


def skeleton(doc_id: str, paragraphs: list[tuple[int, str]]) -> DocText:
    """The matching skeleton of one document's text units (``(para_no, text)`` in reading order)."""
    codes, para, offset, boundary = [], [], [], []
    for para_no, text in paragraphs:
        raw = np.minimum(np.frombuffer((text or "").encode("utf-32-le"), dtype=np.uint32), 0xFFFF)
        keep = np.flatnonzero(~_IS_DROP[raw])
        if not len(keep):
            continue
        folded = np.frombuffer((text or "").translate(_FOLD).encode("utf-32-le"), dtype=np.uint32)[keep]
        ends = _IS_END[raw[keep]]
        ends[-1] = True  # a paragraph end bounds a passage too
        codes.append(folded)
        para.append(np.full(len(keep), para_no, dtype=np.int32))
        offset.append(keep.astype(np.int32))
        boundary.append(ends)
    if not codes:
        empty = np.zeros(0, np.int32)
        return DocText(doc_id, "", empty, empty, np.zeros(0, bool), dict(paragraphs))
    chars = np.concatenate(codes).tobytes().decode("utf-32-le")
    return DocText(doc_id, chars, np.concatenate(para), np.concatenate(offset), np.concatenate(boundary),
                   dict(paragraphs))


def shingle_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """64-bit hashes of every character n-gram (position k: characters k … k+n−1); empty when shorter than n."""
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _BASE + codes[k:k + m] + np.uint64(1)
        h ^= h >> np.uint64(31)
        h *= _MIX
        h ^= h >> np.uint64(29)
    return h


@dataclass
class DocIndex:
    """One document's n-grams by hash: distinct hashes ``u`` (sorted) occurring at most ``max_repeat`` times, where
    each starts in ``order`` and how often it occurs (``counts``); ``order`` holds positions sorted by hash."""

    u: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    order: np.ndarray

    @classmethod
    def build(cls, h: np.ndarray, max_repeat: int = 10, shared: ShingleIndex | None = None) -> DocIndex:
        """With ``shared``, only n-grams found in another document too (the only possible seeds) are indexed."""
        keep = np.arange(len(h)) if shared is None else np.flatnonzero(shared.contains(h))
        order = keep[np.argsort(h[keep], kind="stable")]
        hs = h[order]
        starts = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1]]) if len(hs) else np.zeros(0, np.int64)
        counts = np.diff(np.r_[starts, len(hs)])
        ok = counts <= max_repeat  # an n-gram repeated more often inside the document is no seed
        starts, counts = starts[ok], counts[ok]
        return cls(hs[starts], starts.astype(np.int32), counts.astype(np.int32), order.astype(np.int32))


@dataclass
class ShingleIndex:
    """Document frequencies of the n-grams found in at least two documents (any other has frequency 1)."""

    hashes: np.ndarray  # sorted distinct hashes
    df: np.ndarray  # documents holding each

    def contains(self, h: np.ndarray) -> np.ndarray:
        if not len(self.hashes):
            return np.zeros(len(h), bool)
        idx = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        return self.hashes[idx] == h

    def doc_frequency(self, h: np.ndarray) -> np.ndarray:
        if not len(self.hashes):
            return np.ones(len(h), np.int64)
        idx = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        return np.where(self.hashes[idx] == h, self.df[idx], 1)


def candidate_pairs(hashes: list[np.ndarray], *, max_df: int, min_shared: int,
                    side: np.ndarray | None = None) -> tuple[pd.DataFrame, ShingleIndex, dict[str, int]]:
    """Pairs of documents (indexes ``a < b`` into ``hashes``) sharing at least ``min_shared`` distinct shingles
    of document frequency 2 … ``max_df``; with ``side`` (0 = source side, 1 = target side, 2 = both), only
    pairs across the two sides. Returns the pairs (``a``, ``b``, ``shared``), the index and counts for the record.

    Document frequencies are counted in numpy over each document's distinct hashes; only the postings of
    shingles in 2 … ``max_df`` documents (a small share: most 10-grams occur in one document) go to DuckDB for
    the self-join that counts shared shingles per pair.
    """
    distinct = [np.unique(h) for h in hashes]
    allh = np.concatenate(distinct) if distinct else np.zeros(0, np.uint64)
    doc = np.concatenate([np.full(len(u), i, dtype=np.int32) for i, u in enumerate(distinct)]) if distinct else \
        np.zeros(0, np.int32)
    del distinct
    order = np.argsort(allh, kind="stable")
    allh, doc = allh[order], doc[order]
    del order
    starts = np.flatnonzero(np.r_[True, allh[1:] != allh[:-1]]) if len(allh) else np.zeros(0, np.int64)
    df = np.diff(np.r_[starts, len(allh)])
    multi = df >= 2
    index = ShingleIndex(allh[starts[multi]], df[multi].astype(np.int64))
    used = np.repeat(multi & (df <= max_df), df)
    postings = pd.DataFrame({"h": allh[used].view(np.int64), "d": doc[used]})
    counts = {"postings": len(allh), "shingles": len(starts), "shingles_over_max_df": int((df > max_df).sum()),
              "shingles_in_one_document": int((df == 1).sum()), "postings_joined": len(postings)}
    del allh, doc, used
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 1")  # the machine is shared; one thread keeps the memory predictable too
        con.register("k", postings)
        cross = ""
        if side is not None:
            con.register("sides", pd.DataFrame({"d": np.arange(len(side), dtype=np.int32), "s": side}))
            cross = ("JOIN sides sa ON sa.d = x.d JOIN sides sb ON sb.d = y.d "
                     "WHERE (sa.s <> sb.s OR sa.s = 2) ")
        pairs = con.execute(
            f"SELECT x.d AS a, y.d AS b, count(*)::INTEGER AS shared FROM k x JOIN k y ON x.h = y.h AND x.d < y.d "
            f"{cross}GROUP BY x.d, y.d HAVING count(*) >= {int(min_shared)} ORDER BY a, b").df()
    finally:
        con.close()
    return pairs, index, counts
