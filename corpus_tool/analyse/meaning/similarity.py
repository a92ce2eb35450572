"""Document similarity: cosine over TF-IDF rows (or over mean word vectors), top-k per document and a matrix.

TF-IDF: the documents × terms counts of the stored tokens, scikit-learn's smoothed IDF
(ln((1 + N) / (1 + df)) + 1) and L2-normalised rows, so cosine is a sparse dot product (no dense N × N
matrix unless a matrix is asked for, and then only for the selection). ``embedding``: each document's mean
of its tokens' unit vectors in a trained word2vec model, less the mean of these over the selected documents
(raw means all point the same way: their cosines are ≈ 0.999 on the government work reports).
Similarities are floats (cntext returns strings).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import doc_years, read_tokens
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, Selection, TokenFilter
from corpus_tool.store.db import CorpusDB

METHODS = ("tfidf", "embedding")
PAIR_COLUMNS = ["doc_id", "year", "title", "rank", "other_doc_id", "other_year", "other_title", "similarity"]
BLOCK = 512  # rows of similarities computed at a time
MAX_MATRIX = 2000  # documents: a larger square matrix is refused (use top-k pairs)


def similarity(db: str | Path | CorpusDB, *, method: str = "tfidf", top: int = 5, matrix: bool = False,
               model: str = "word2vec", where: str | None = None, include_duplicates: bool = False,
               token_filter: TokenFilter | None = None) -> AnalysisResult:
    """The ``top`` most similar documents of each document (``table``); with ``matrix``, the full similarity
    matrix of the selection in ``tables["matrix"]`` (rows and columns in doc_id order)."""
    if method not in METHODS:
        raise ValueError(f"未知方法 / unknown method {method!r}; choose {', '.join(METHODS)}")
    token_filter = token_filter or TokenFilter(min_chars=1)
    selection = Selection(where, include_duplicates, CORPUS)
    params = {"method": method, "top": top, "matrix": matrix, "model": model if method == "embedding" else None,
              "token_filter": token_filter.to_dict(), **selection.to_dict()}
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        stream = read_tokens(ctx)
        docs = ctx.docs
        corpus, segmentation = ctx.corpus, ctx.segmentation
        years = doc_years(ctx.store.con, docs["doc_id"].tolist())
        emb = None
        if method == "embedding":
            from corpus_tool.analyse.meaning.embeddings import load_embeddings

            emb = load_embeddings(ctx.store, model)
    x = doc_vectors(stream, emb)
    ids, titles = docs["doc_id"].tolist(), docs["title"].fillna("").tolist()
    if matrix and len(ids) > MAX_MATRIX:
        raise ValueError(f"相似度矩阵最多 {MAX_MATRIX} 篇 / the matrix is limited to {MAX_MATRIX} documents: "
                         "select fewer with --where")
    rows, blocks = [], []
    n = len(ids)
    for start in range(0, n, BLOCK):  # a block of rows at a time: memory BLOCK × N, never N × N
        block = x[start:start + BLOCK] @ x.T
        block = block.toarray() if hasattr(block, "toarray") else np.asarray(block)
        if matrix:
            blocks.append(block.copy())
        for i in range(block.shape[0]):
            row = block[i].copy()
            row[start + i] = -np.inf  # not its own neighbour
            order = np.lexsort((np.arange(n), -row))[: min(top, n - 1)]
            k = start + i
            rows += [(ids[k], years.get(ids[k]), titles[k], r, ids[j], years.get(ids[j]), titles[j],
                      float(block[i, j])) for r, j in enumerate(order, 1)]
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS).astype({"year": "Int64", "other_year": "Int64"})
    tables = {}
    if matrix:
        full = np.vstack(blocks) if blocks else np.zeros((0, 0))
        np.fill_diagonal(full, 1.0)
        tables["matrix"] = pd.DataFrame(full, columns=ids).assign(doc_id=ids)[["doc_id", *ids]]
    return AnalysisResult("docsim", table, params, corpus, segmentation, tables=tables)


def doc_vectors(stream, emb=None):  # type: ignore[no-untyped-def]
    """L2-normalised document vectors: TF-IDF rows (sparse) or mean unit word vectors (dense)."""
    if emb is None:
        from sklearn.feature_extraction.text import TfidfTransformer

        return TfidfTransformer(norm="l2", smooth_idf=True).fit_transform(stream.doc_term_matrix()).tocsr()
    wv = emb.wv
    known = np.array([t in wv.key_to_index for t in stream.vocab])
    vecs = np.zeros((len(stream.vocab), wv.vector_size))
    vecs[known] = wv.get_normed_vectors()[[wv.key_to_index[t] for t in np.asarray(stream.vocab)[known]]]
    out = np.zeros((len(stream.docs), wv.vector_size))
    use = known[stream.term]
    np.add.at(out, stream.doc[use], vecs[stream.term[use]])
    counts = np.bincount(stream.doc[use], minlength=len(stream.docs))[:, None]
    out = out / np.where(counts > 0, counts, 1)
    # Word vectors share a common direction, so raw mean vectors all have cosine ≈ 1 with each other: take the
    # selection's mean document vector out first (as in SIF, Arora et al. 2017), then cosine separates documents.
    out[counts[:, 0] > 0] -= out[counts[:, 0] > 0].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)
