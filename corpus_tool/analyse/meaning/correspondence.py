"""Correspondence analysis of terms against a field, and hierarchical clustering of terms or documents.

CA (Greenacre 2007) of the terms × categories table of counts (categories: the values of ``by``, e.g. year,
issuer, doc_type). Terms: the ``top`` terms by chi-square contribution (KH Coder's default: 60), among those
with at least ``min_freq`` occurrences. With P = N / n, row and column masses r, c and
S = D_r^-½ (P − r cᵀ) D_c^-½ = U Σ Vᵀ (an exact numpy SVD: reproducible, unlike prince's randomised one),
the principal inertias are σ², standard coordinates D_r^-½ U (rows) and D_c^-½ V (columns), principal
coordinates those times σ. Each axis's sign is fixed so that the largest absolute row loading is positive.
``scaling`` (KH Coder's names): ``symmetric`` (both in principal coordinates, the default), ``none``
(standard coordinates) or ``biplot`` (× √σ).

Clustering (scipy ``linkage``): terms by Jaccard distance over the units holding them (KH Coder's default,
with Ward, as KH Coder does; scipy's Ward is exact only for Euclidean distances, so Ward on Jaccard is a
convention, said in the record), or documents by cosine distance of TF-IDF rows. Clusters: the tree cut into
``k`` groups (default round(√n), KH Coder's "Auto").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import read_tokens
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, Selection, TokenFilter, ensure_by, group_order
from corpus_tool.store.db import CorpusDB

SCALINGS = ("symmetric", "none", "biplot")
COORD_COLUMNS = ["kind", "item", "frequency", "mass", "inertia_share", "dim1", "dim2", "contrib1", "contrib2"]
INERTIA_COLUMNS = ["dimension", "inertia", "share", "cumulative"]
LINKAGES = ("ward", "average", "complete", "single")


def ca_svd(counts: np.ndarray) -> dict[str, np.ndarray]:
    """CA of a rows × columns count table: singular values, standard coordinates, masses (signs fixed)."""
    n = counts.sum()
    p = counts / n
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    u, sv, vt = np.linalg.svd(s, full_matrices=False)
    sign = np.sign(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])])
    sign[sign == 0] = 1
    u, vt = u * sign, vt * sign[:, None]
    return {"sv": sv, "row_std": u / np.sqrt(r)[:, None], "col_std": vt.T / np.sqrt(c)[:, None], "r": r, "c": c,
            "row_contrib": u ** 2, "col_contrib": vt.T ** 2, "s": s}


def correspondence(db: str | Path | CorpusDB, *, by: str = "year", top: int = 60, min_freq: int = 5,
                   scaling: str = "symmetric", where: str | None = None, include_duplicates: bool = False,
                   token_filter: TokenFilter | None = None) -> AnalysisResult:
    """Coordinates of terms and categories on the first two dimensions (``table``) and inertia per dimension
    (``tables["inertia"]``)."""
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {', '.join(SCALINGS)}")
    by = ensure_by(by)
    if by == CORPUS:
        raise ValueError("对应分析需要分组字段 / correspondence analysis needs a field (--by year, issuer ...)")
    token_filter = token_filter or TokenFilter(min_chars=2)
    selection = Selection(where, include_duplicates, by)
    params = {"by": by, "top": top, "min_freq": min_freq, "scaling": scaling, "token_filter": token_filter.to_dict(),
              **selection.to_dict()}
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        stream = read_tokens(ctx)
        docs = ctx.docs
        corpus, segmentation = ctx.corpus, ctx.segmentation
    order = group_order(docs)
    gidx = pd.Index(order).get_indexer(docs["grp"].to_numpy(object))[stream.doc]
    table = np.zeros((len(stream.vocab), len(order)))
    np.add.at(table, (stream.term, gidx), 1.0)
    freq = table.sum(axis=1)
    ok = np.flatnonzero(freq >= min_freq)
    sub = table[ok]
    expected = np.outer(sub.sum(axis=1), sub.sum(axis=0)) / sub.sum()
    chi = ((sub - expected) ** 2 / np.where(expected > 0, expected, 1)).sum(axis=1)
    vocab = np.asarray(stream.vocab, dtype=object)
    pick = ok[np.lexsort((vocab[ok], -chi))[:top]]
    counts = table[pick]
    keep_cols = counts.sum(axis=0) > 0
    if keep_cols.sum() < 2 or len(pick) < 2:
        raise ValueError("对应分析至少需要两个类别和两个词 / need at least two categories and two terms")
    cats = [o for o, k in zip(order, keep_cols, strict=True) if k]
    res = ca_svd(counts[:, keep_cols])
    sv = res["sv"]
    power = {"symmetric": 1.0, "none": 0.0, "biplot": 0.5}[scaling]
    rows_xy = res["row_std"][:, :2] * sv[:2] ** power
    cols_xy = res["col_std"][:, :2] * sv[:2] ** power
    total = float((sv ** 2).sum())
    s2 = res["s"] ** 2
    rows = [("term", str(vocab[k]), int(counts[i].sum()), float(res["r"][i]), float(s2[i].sum() / total),
             *map(float, rows_xy[i]), *map(float, res["row_contrib"][i, :2])) for i, k in enumerate(pick)]
    typed = docs.drop_duplicates("grp").set_index("grp")["group"]
    rows += [("category", str(typed.get(g, g)), int(counts[:, keep_cols][:, j].sum()), float(res["c"][j]),
              float(s2[:, j].sum() / total), *map(float, cols_xy[j]), *map(float, res["col_contrib"][j, :2]))
             for j, g in enumerate(cats)]
    coords = pd.DataFrame(rows, columns=COORD_COLUMNS)
    inertia = sv ** 2
    dims = pd.DataFrame({"dimension": np.arange(1, len(sv) + 1), "inertia": inertia, "share": inertia / total,
                         "cumulative": np.cumsum(inertia) / total})
    dims = dims[dims["inertia"] > 1e-12 * max(total, 1e-300)].reset_index(drop=True)
    params["total_inertia"] = total
    return AnalysisResult("correspondence", coords, params, corpus, segmentation, tables={"inertia": dims})


def cluster(db: str | Path | CorpusDB, *, items: str = "terms", top: int = 50, k: int | None = None,
            method: str = "ward", unit: str = "sentence", where: str | None = None, include_duplicates: bool = False,
            token_filter: TokenFilter | None = None) -> AnalysisResult:
    """Hierarchical clusters of the ``top`` terms (Jaccard over ``unit``) or of documents (cosine of TF-IDF):
    ``table`` holds each item's cluster and dendrogram order, ``tables["linkage"]`` the merges."""
    from scipy.cluster.hierarchy import fcluster, leaves_list, linkage
    from scipy.spatial.distance import pdist

    if items not in ("terms", "documents"):
        raise ValueError("items must be terms or documents")
    if method not in LINKAGES:
        raise ValueError(f"method must be one of {', '.join(LINKAGES)}")
    token_filter = token_filter or TokenFilter(min_chars=2)
    selection = Selection(where, include_duplicates, CORPUS)
    params = {"items": items, "top": top, "k": k, "method": method, "unit": unit if items == "terms" else None,
              "distance": "jaccard" if items == "terms" else "cosine (TF-IDF)",
              "note": "Ward on Jaccard distances follows KH Coder's convention (Ward is exact for Euclidean ones)"
              if items == "terms" and method == "ward" else None,
              "token_filter": token_filter.to_dict(), **selection.to_dict()}
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        stream = read_tokens(ctx)
        docs = ctx.docs
        corpus, segmentation = ctx.corpus, ctx.segmentation
    vocab = np.asarray(stream.vocab, dtype=object)
    if items == "terms":
        freq = stream.frequencies()
        pick = np.lexsort((vocab, -freq))[:top]
        local = np.full(len(vocab), -1)
        local[pick] = np.arange(len(pick))
        sel = local[stream.term] >= 0
        _, uid = np.unique(stream.unit_ids(unit)[sel], return_inverse=True)
        presence = np.zeros((len(pick), int(uid.max()) + 1 if len(uid) else 0), dtype=bool)
        presence[local[stream.term[sel]], uid] = True
        dist = pdist(presence, metric="jaccard")
        labels = [str(t) for t in vocab[pick]]
        extra = {"frequency": freq[pick].astype(int)}
    else:
        from sklearn.feature_extraction.text import TfidfTransformer

        x = TfidfTransformer().fit_transform(stream.doc_term_matrix()).toarray()
        dist = pdist(x, metric="cosine")
        labels = docs["doc_id"].tolist()
        extra = {"title": docs["title"].tolist()}
    if len(labels) < 3:
        raise ValueError("聚类至少需要三项 / clustering needs at least three items")
    z = linkage(np.nan_to_num(dist, nan=1.0), method=method)
    k = k or max(2, round(np.sqrt(len(labels))))
    clusters = fcluster(z, t=k, criterion="maxclust")
    leaf_pos = np.empty(len(labels), dtype=int)
    leaf_pos[leaves_list(z)] = np.arange(len(labels))
    table = pd.DataFrame({"item_no": np.arange(len(labels)), "item": labels, **extra,
                          "cluster": clusters.astype(int), "order": leaf_pos})
    table = table.sort_values("order", kind="mergesort").reset_index(drop=True)
    merges = pd.DataFrame(z, columns=["left", "right", "height", "size"]).astype(
        {"left": int, "right": int, "size": int})
    params["k"] = k
    return AnalysisResult("cluster", table, params, corpus, segmentation, tables={"linkage": merges})
