"""The stored tokens of selected documents as arrays: the one reading every meaning analysis shares.

Tokens come from the current segmentation through :class:`corpus_tool.analyse.units.TokenView`, so the
user's dictionary, the lexicon's phrases (already single tokens), the stopword list and the POS filter
are the same here as in frequency, keyword and collocation tables. Punctuation and bare numbers are
never counted (a counted token holds a letter or a Han character); stopwords are out unless kept.

Units: a *paragraph* is one stored text unit; a *sentence* ends at a sentence-final punctuation token
(。！？；!?;) or at the end of its paragraph.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_tool.analyse.result import Context
from corpus_tool.store.db import CorpusDB

SENTENCE_END = "。！？；!?;…"
SENTENCE_END_RE = "^[" + re.escape(SENTENCE_END) + "]+$"
# The same sentence end on raw text (compare, crosscode's sentence units): a sentence keeps its final marks.
SENTENCE_RE = re.compile(f"[^{re.escape(SENTENCE_END)}]+(?:[{re.escape(SENTENCE_END)}]+|$)|"
                         f"[{re.escape(SENTENCE_END)}]+")
UNITS = ("paragraph", "sentence")
_GRID_CELLS = 8_000_000  # cells of one presence grid in doc_frequencies (8 MB)


@dataclass
class TokenStream:
    """Counted tokens in reading order (doc_id, para_no, position), with the unit each belongs to.

    ``term`` holds codes into ``vocab`` (sorted, so codes do not depend on reading order); ``doc``
    indexes ``docs`` rows; ``para`` and ``sent`` number paragraphs and sentences over the whole stream.
    """

    docs: pd.DataFrame
    vocab: list[str]
    term: np.ndarray
    doc: np.ndarray
    para: np.ndarray
    sent: np.ndarray
    position: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)
    words: np.ndarray | None = None  # the tokens themselves (as read), to skip a vocabulary lookup

    def __len__(self) -> int:
        return len(self.term)

    def unit_ids(self, unit: str) -> np.ndarray:
        if unit not in UNITS:
            raise ValueError(f"未知单元 / unknown unit {unit!r}; choose {', '.join(UNITS)}")
        return self.sent if unit == "sentence" else self.para

    def frequencies(self) -> np.ndarray:
        return np.bincount(self.term, minlength=len(self.vocab))

    def doc_frequencies(self) -> np.ndarray:
        """Documents each term occurs in: a documents × terms presence grid, a block of documents at a time
        (a hash or sort of every (document, term) pair costs several times more)."""
        n_terms = len(self.vocab)
        out = np.zeros(n_terms, dtype=np.int64)
        if not len(self.term):
            return out
        doc, term = self.doc, self.term
        if np.any(doc[1:] < doc[:-1]):  # read_tokens gives document order; a subset built otherwise may not
            order = np.argsort(doc, kind="stable")
            doc, term = doc[order], term[order]
        # in document order each block of documents is one slice of the stream
        per_block = max(1, _GRID_CELLS // n_terms)
        starts = np.searchsorted(doc, np.arange(0, int(doc[-1]) + 1 + per_block, per_block))
        for first, (a, b) in enumerate(pairwise(starts.tolist())):
            if a == b:
                continue
            grid = np.zeros((per_block, n_terms), dtype=bool)
            grid[doc[a:b] - first * per_block, term[a:b]] = True
            out += grid.sum(axis=0)
        return out

    def sentences(self, unit: str = "sentence") -> list[list[str]]:
        """Token lists per unit, in reading order (what word2vec trains on)."""
        ids = self.unit_ids(unit)
        if not len(ids):
            return []
        bounds = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), len(ids)]
        words = (self.words if self.words is not None else np.asarray(self.vocab, dtype=object)[self.term]).tolist()
        return [words[a:b] for a, b in pairwise(bounds)]

    def doc_term_matrix(self) -> Any:
        """Documents × terms counts (scipy CSR), rows in ``docs`` order."""
        from scipy import sparse

        data = np.ones(len(self.term), dtype=np.float64)
        m = sparse.csr_matrix((data, (self.doc, self.term)), shape=(len(self.docs), len(self.vocab)))
        m.sum_duplicates()
        return m

    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocab)}


def read_tokens(ctx: Context) -> TokenStream:
    """The counted tokens of the context's documents, in reading order, with paragraph and sentence ids."""
    assert ctx.view is not None
    rel, params = ctx.view.relation(words_only=False)
    docs = ctx.docs.reset_index(drop=True)
    # Documents as row numbers in doc_id order, as in ``docs`` (an integer join and sort instead of hex ids);
    # sentence marks are looked for only among tokens not counted (CASE evaluates lazily).
    numbered = f"(SELECT doc_id, row_number() OVER (ORDER BY doc_id) - 1 AS doc_no FROM {ctx.view.name})"
    # Words not counted (stopwords) come too, only to count the words for the corpus summary.
    sql = (f"SELECT d.doc_no, b.para_no, b.position, b.token, b.keep, b.is_end, b.is_word FROM (SELECT *, CASE WHEN "
           f"keep THEN FALSE ELSE regexp_matches(token, ?) END AS is_end FROM ({rel})) b JOIN {numbered} d "
           "USING (doc_id) WHERE b.keep OR b.is_end OR b.is_word ORDER BY d.doc_no, b.para_no, b.position")
    with warnings.catch_warnings():
        # ``con.sql`` would skip one copy of the rows (DuckDB warns), but it refuses to run while an earlier
        # single-row ``fetchone`` result is still open on the connection; the copy costs a few milliseconds.
        warnings.simplefilter("ignore", UserWarning)
        table = ctx.view.con.execute(sql, [SENTENCE_END_RE, *params]).to_arrow_table()
    doc = _column(table, "doc_no", np.int64)
    n = len(doc)
    para_no = _column(table, "para_no", np.int64)
    new_para = np.ones(n, dtype=bool)
    if n:
        new_para[1:] = (doc[1:] != doc[:-1]) | (para_no[1:] != para_no[:-1])
    para = np.cumsum(new_para) - 1
    is_end = _column(table, "is_end", bool)
    # A sentence starts at a new paragraph or right after a sentence-final mark.
    after_end = np.zeros(n, dtype=bool)
    if n:
        after_end[1:] = is_end[:-1]
    sent = np.cumsum(new_para | after_end) - 1
    keep = _column(table, "keep", bool) & ~is_end
    # the counts token_summary would give: words (a letter or Han character) and the tokens the filter counts
    ctx.corpus.setdefault("words", int(_column(table, "is_word", bool).sum()))
    ctx.corpus.setdefault("tokens_counted", int(keep.sum()))
    # Arrow encodes the tokens as codes into their distinct values in C; only the vocabulary becomes Python
    # strings, and codes are remapped into the sorted vocabulary so they do not depend on reading order.
    encoded = table.column("token").filter(pa.array(keep)).combine_chunks().dictionary_encode()
    uniques = encoded.dictionary.to_pylist()
    vocab = sorted(uniques)
    if vocab:
        codes = pd.Index(vocab).get_indexer(uniques)[encoded.indices.to_numpy(zero_copy_only=False)].astype(np.int64)
    else:
        codes = np.zeros(0, np.int64)
    words = np.asarray(vocab, dtype=object)[codes] if vocab else np.zeros(0, dtype=object)
    return TokenStream(docs=docs, vocab=vocab, term=codes, doc=doc[keep], para=_renumber(para[keep]),
                       sent=_renumber(sent[keep]), position=_column(table, "position", np.int64)[keep],
                       info={"tokens": int(keep.sum()), "types": len(vocab)}, words=words)


def split_sentences(text: str) -> list[str]:
    """Sentences of one text unit, each with its final marks; blank pieces left out."""
    return [s.strip() for s in SENTENCE_RE.findall(text or "") if s.strip()]


def _column(table: Any, name: str, dtype: Any) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(), dtype=dtype)


def _renumber(ids: np.ndarray) -> np.ndarray:
    """Consecutive ids 0..n−1 (units left empty by the filter disappear)."""
    if not len(ids):
        return ids
    return np.cumsum(np.r_[True, ids[1:] != ids[:-1]]) - 1


def model_dir(db: str | Path | CorpusDB) -> Path:
    """Where models of a corpus live: ``<db>.models/`` beside the database file."""
    path = Path(db.path if isinstance(db, CorpusDB) else db)
    return path.with_name(path.name + ".models")


def contexts(con: Any, docs: pd.DataFrame, terms: list[str], *, n: int = 3, width: int = 20) -> dict[str, list[str]]:
    """Up to ``n`` contexts (± ``width`` characters of the paragraph text) of each token, first in reading order."""
    if not terms:
        return {}
    con = con.cursor()  # its own connection: a result left open by the caller does not block these queries
    con.register("ctx_terms", pd.DataFrame({"token": terms}))
    con.register("ctx_docs", docs[["doc_id"]].copy())
    try:
        rows = con.execute(
            "SELECT t.token, substr(p.text, greatest(t.start - ?, 0) + 1, least(t.start, ?)) AS l, "
            "substr(p.text, t.start + length(t.token) + 1, ?) AS r FROM tokens t "
            "JOIN ctx_terms USING (token) JOIN ctx_docs USING (doc_id) "
            "JOIN paragraphs p ON p.doc_id = t.doc_id AND p.para_no = t.para_no "
            "QUALIFY row_number() OVER (PARTITION BY t.token ORDER BY t.doc_id, t.para_no, t.position) <= ? "
            "ORDER BY t.token, t.doc_id, t.para_no, t.position", [width, width, width, n]).fetchall()
    finally:
        con.unregister("ctx_terms")
        con.unregister("ctx_docs")
        con.close()
    out: dict[str, list[str]] = {}
    for token, left, right in rows:
        out.setdefault(token, []).append(f"{_flat(left)}【{token}】{_flat(right)}")
    return out


def _flat(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "")


def doc_years(con: Any, doc_ids: list[str]) -> dict[str, Any]:
    """doc_id → year (None when unknown), for labelling document rows."""
    cur = con.cursor()
    try:
        cur.register("year_ids", pd.DataFrame({"doc_id": doc_ids}))
        rows = cur.execute("SELECT d.doc_id, d.year FROM documents d JOIN year_ids USING (doc_id)").fetchall()
    finally:
        cur.close()
    return {d: (None if y is None else int(y)) for d, y in rows}
