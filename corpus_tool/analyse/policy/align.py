"""Local alignment of two documents by seed and extend: the exact extent of each passage they share.

1. Seeds: every character n-gram the two skeletons share (an n-gram repeated more than ``max_repeat`` times
   inside either document is no seed: it would pair every copy with every other).
2. Exact runs: seeds on one diagonal (same offset between the documents) at consecutive positions merge into
   one maximal exact match of at least n characters.
3. Chains: runs in the same order in both documents, each at most ``max_gap`` characters after the previous
   one in *each* document, join into one passage; the gaps are the reworded, inserted or deleted characters.
   Runs that overlap an earlier run of the chain (repeated text) are cut where they overlap.
4. Ends: a passage whose end falls within ``snap`` characters past a sentence or paragraph boundary that
   both documents share is cut back to it (a copied paragraph is preceded by "。" in both documents, so the
   exact match would otherwise begin one character early).
5. Kept: passages at least ``min_length`` characters long in both documents whose similarity
   2·M / (length in A + length in B), M = characters in exact runs (the measure of difflib's ``ratio``),
   is at least ``min_similarity``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from corpus_tool.analyse.policy.shingles import DocIndex, DocText


@dataclass
class Passage:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int  # characters inside exact runs

    @property
    def similarity(self) -> float:
        total = (self.a_end - self.a_start) + (self.b_end - self.b_start)
        return 2 * self.matched / total if total else 0.0


def _within(cnt: np.ndarray) -> np.ndarray:
    """0 … c−1 for each count c, concatenated."""
    total = int(cnt.sum())
    return np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)


def _common(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into two sorted arrays of distinct values where they hold the same value."""
    if not len(x) or not len(y):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if len(x) > len(y):
        yb, xb = _common(y, x)
        return xb, yb
    k = np.minimum(np.searchsorted(y, x), len(y) - 1)
    hit = np.flatnonzero(y[k] == x)
    return hit, k[hit]


def seeds(a: DocIndex, b: DocIndex) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i in A, j in B) of every shared n-gram of the two indexes (frequent ones are not in them)."""
    ua, ub = _common(a.u, b.u)
    if not len(ua):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ca, cb = a.counts[ua].astype(np.int64), b.counts[ub].astype(np.int64)
    if (ca == 1).all() and (cb == 1).all():  # the usual case: each shared n-gram once on each side
        return a.order[a.starts[ua]].astype(np.int64), b.order[b.starts[ub]].astype(np.int64)
    group = np.repeat(np.arange(len(ua)), ca)
    ia = a.order[np.repeat(a.starts[ua], ca) + _within(ca)]
    reps = cb[group]
    i = np.repeat(ia, reps)
    j = b.order[np.repeat(b.starts[ub][group], reps) + _within(reps)]
    return i.astype(np.int64), j.astype(np.int64)


def exact_runs(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Maximal exact matches (rows ``a0, b0, length``) from seed positions, sorted by (a0, b0)."""
    if not len(i):
        return np.zeros((0, 3), np.int64)
    diag = j - i
    order = np.lexsort((i, diag))
    i, diag = i[order], diag[order]
    new = np.r_[True, (diag[1:] != diag[:-1]) | (i[1:] != i[:-1] + 1)]
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(i) - 1]
    a0 = i[first]
    runs = np.column_stack([a0, a0 + diag[first], i[last] - a0 + n])
    return runs[np.lexsort((runs[:, 1], runs[:, 0]))]


def chain_runs(runs: np.ndarray, *, max_gap: int) -> list[list[tuple[int, int, int]]]:
    """Runs joined into chains (see the module docstring), each a list of (a0, b0, length) in order."""
    chains: list[list[tuple[int, int, int]]] = []
    open_: list[int] = []  # indexes of chains that may still grow
    for a0, b0, ln in runs.tolist():
        best, best_gap = -1, None
        still = []
        for c in open_:
            ca0, cb0, cl = chains[c][-1]
            a_end, b_end = ca0 + cl, cb0 + cl
            if a_end + max_gap < a0:
                continue  # runs come in a0 order: this chain can never grow again
            still.append(c)
            cut = max(a_end - a0, b_end - b0, 0)
            if cut >= ln:
                continue
            ga, gb = a0 + cut - a_end, b0 + cut - b_end
            if ga < 0 or gb < 0 or ga > max_gap or gb > max_gap:
                continue
            if best_gap is None or ga + gb < best_gap:
                best, best_gap = c, ga + gb
        open_ = still
        if best >= 0:
            ca0, cb0, cl = chains[best][-1]
            cut = max(ca0 + cl - a0, cb0 + cl - b0, 0)
            chains[best].append((a0 + cut, b0 + cut, ln - cut))
        else:
            chains.append([(a0, b0, ln)])
            open_.append(len(chains) - 1)
    return chains


def _at_start(doc: DocText, k: int) -> bool:
    return k == 0 or bool(doc.boundary[k - 1])


def _at_end(doc: DocText, k: int) -> bool:
    return k == len(doc) or bool(doc.boundary[k - 1])


def snap_ends(p: Passage, a: DocText, b: DocText, first_run: int, last_run: int, snap: int) -> Passage:
    """Cut a passage back to a boundary shared by both documents within ``snap`` characters of either end
    (inside its first and last exact runs, where both documents hold the same characters)."""
    if not (_at_start(a, p.a_start) and _at_start(b, p.b_start)):
        for k in range(1, min(snap, first_run - 1) + 1):
            if _at_start(a, p.a_start + k) and _at_start(b, p.b_start + k):
                p = Passage(p.a_start + k, p.a_end, p.b_start + k, p.b_end, p.matched - k)
                break
    if not (_at_end(a, p.a_end) and _at_end(b, p.b_end)):
        for k in range(1, min(snap, last_run - 1) + 1):
            if _at_end(a, p.a_end - k) and _at_end(b, p.b_end - k):
                p = Passage(p.a_start, p.a_end - k, p.b_start, p.b_end - k, p.matched - k)
                break
    return p


def _strip_leading_punctuation(p: Passage, a: DocText, first_run: int) -> Passage:
    """A passage does not begin with punctuation (the 、 of 一、 when the numbers differ)."""
    k = 0
    while k < first_run - 1 and unicodedata.category(a.chars[p.a_start + k]).startswith("P"):
        k += 1
    return Passage(p.a_start + k, p.a_end, p.b_start + k, p.b_end, p.matched - k) if k else p


def align(a: DocText, b: DocText, ia: DocIndex, ib: DocIndex, *, n: int, min_length: int, min_similarity: float,
          max_gap: int, snap: int) -> list[Passage]:
    """The passages documents ``a`` and ``b`` share (``ia``/``ib``: their n-gram indexes, built with the
    ``max_repeat`` of the seeds), in A order."""
    i, j = seeds(ia, ib)
    out: list[Passage] = []
    for ch in chain_runs(exact_runs(i, j, n), max_gap=max_gap):
        (a0, b0, l0), (a1, b1, l1) = ch[0], ch[-1]
        if max(a1 + l1 - a0, b1 + l1 - b0) < min_length:
            continue
        p = Passage(a0, a1 + l1, b0, b1 + l1, sum(r[2] for r in ch))
        if len(ch) == 1:  # both ends in one run: each may lose at most half of it
            p = snap_ends(p, a, b, l0 // 2 + 1, l0 // 2 + 1, snap)
        else:
            p = snap_ends(p, a, b, l0, l1, snap)
        p = _strip_leading_punctuation(p, a, l0)
        if min(p.a_end - p.a_start, p.b_end - p.b_start) >= min_length and p.similarity >= min_similarity:
            out.append(p)
    out.sort(key=lambda q: (q.a_start, q.b_start, q.a_end, q.b_end))
    return out
