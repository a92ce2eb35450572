"""Keywords per document, per group or for the corpus: frequency, TF-IDF and TextRank.

All three read the stored tokens, so the segmentation (dictionary, stopwords, POS) is the same
as in every other table.

TF-IDF: ``tf`` is the term's count over the words of the unit (document, group or corpus).
Per document (and for the whole corpus), ``idf = ln((N + 1) / (df + 1)) + 1`` where N documents
and df the documents holding the term come either from the analysed corpus (scikit-learn's
smoothed IDF) or from a reference corpus. With a reference corpus the same formula reads "the
unit added to the reference documents": a term absent from the reference gets the highest IDF,
ln(N + 1) + 1, never a division by zero.

Per group (``by`` a metadata field such as year) without a reference, the groups are what is
compared: ``idf = ln(N / df)`` over the N groups, df the groups using the term, unsmoothed, so a
term every group uses (发展 in every year) scores 0 and each group's list shows what distinguishes
it. The smoothed document IDF gives such a term a weight of 1, and the most frequent words of
every report topped every year. The run's parameters record which IDF was used (``idf``).

TextRank (Mihalcea & Tarau 2004): an undirected graph per unit whose nodes are the counted
terms and whose edges join terms that occur within ``window`` tokens of each other in the same
text unit (positions counted over every token, as jieba does), weighted by how often; scores
are weighted PageRank (damping 0.85) solved to convergence, summing to 1 within a unit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from corpus_tool.analyse.frequency import finish_grouped
from corpus_tool.analyse.result import AnalysisResult, analysis_context, empty_table_warning
from corpus_tool.analyse.units import (
    DOCUMENT,
    Selection,
    TokenFilter,
    TokenView,
    ensure_by,
    open_store,
    segmentation_info,
    select_documents,
)
from corpus_tool.store.db import CorpusDB

METHODS = ("tfidf", "textrank", "freq")
TFIDF_COLUMNS = ["rank", "term", "frequency", "tf", "df", "idf", "score"]
TEXTRANK_COLUMNS = ["rank", "term", "frequency", "degree", "score"]
FREQ_COLUMNS = ["rank", "term", "frequency", "tf", "score"]


def keywords(
    db: str | Path | CorpusDB,
    *,
    method: str = "tfidf",
    by: str | None = DOCUMENT,
    top: int | None = 20,
    reference: str | Path | CorpusDB | None = None,
    reference_where: str | None = None,
    window: int = 5,
    where: str | None = None,
    include_duplicates: bool = False,
    token_filter: TokenFilter | None = None,
    drop_missing: bool = False,
) -> AnalysisResult:
    """The top terms of each unit (``by``: ``document``, ``corpus`` or any metadata field).

    Documents whose ``by`` field is empty form the group ``(未知 missing)`` (``drop_missing``: left out).

    ``reference``: another corpus database whose documents give the IDF (tfidf only).
    """
    if method not in METHODS:
        raise ValueError(f"未知方法 / unknown method {method!r}; choose {', '.join(METHODS)}")
    if reference is not None and method != "tfidf":
        raise ValueError("a reference corpus (--reference) only applies to --method tfidf")
    if window < 2:
        raise ValueError("the TextRank window must be at least 2 tokens")
    by = ensure_by(by)
    token_filter = token_filter or TokenFilter(min_chars=2)
    selection = Selection(where, include_duplicates, by, "drop" if drop_missing else "group")
    params = {"method": method, "by": by, "top": top, "reference": None if reference is None else str(
        reference.path if isinstance(reference, CorpusDB) else reference), "reference_where": reference_where,
        "window": window if method == "textrank" else None, "token_filter": token_filter.to_dict(),
        **selection.to_dict()}
    warnings: list[str] = []
    with analysis_context(db, selection, token_filter) as ctx:
        assert ctx.view is not None
        warnings = ctx.warnings + warnings
        totals = ctx.view.doc_word_totals()
        if method == "textrank":
            table = _textrank(ctx.view, ctx.docs, totals, by, window=window, top=top)
        else:
            counts = ctx.view.doc_term_counts()
            units = _unit_counts(counts, totals)
            if method == "freq":
                units["score"] = units["tf"]
                table = finish_grouped(units, ctx.docs, by, sort=["score", "frequency"], columns=FREQ_COLUMNS,
                                       top=top)
            else:
                over_groups = reference is None and by not in (DOCUMENT, "corpus")
                if over_groups:
                    # Per group: the groups are the documents of the IDF, unsmoothed (see _tfidf).
                    df = units[units["frequency"] > 0].groupby("term")["grp"].nunique()
                    n_docs = int(units["grp"].nunique())
                elif reference is None:
                    df = counts.groupby("term")["doc_id"].nunique()
                    n_docs = int((totals["n_words"] > 0).sum())
                    ref_info = None
                else:
                    df, n_docs, ref_info = reference_document_frequencies(reference, reference_where,
                                                                          token_filter)
                    if ref_info["seg_id"] != (ctx.segmentation or {}).get("seg_id"):
                        warnings.append(
                            "参照语料的分词设置不同 / the reference corpus was segmented with different settings "
                            f"({ref_info['seg_id']} vs {(ctx.segmentation or {}).get('seg_id')}); IDF may not "
                            "match the target's tokens"
                        )
                    params["reference_corpus"] = ref_info
                    over_groups = False
                table = _tfidf(units, df, n_docs, ctx.docs, by, top=top, smooth=not over_groups)
                params["idf_documents"] = int(n_docs)
                params["idf"] = (IDF_GROUPS if over_groups else IDF_REFERENCE if reference is not None
                                 else IDF_DOCUMENTS)
                params["idf_units"] = int(n_docs)
                if over_groups and n_docs < 2:
                    warnings.append(f"只有一组 / only one group of {by}: the IDF over groups is 0 for every term, so "
                                    "the ranking is by frequency; compare several groups, or use --by document")
        if table.empty:
            warnings.append(empty_table_warning(ctx.corpus, token_filter))
        return AnalysisResult("keywords", table, params, ctx.corpus, ctx.segmentation, warnings=warnings)


def _unit_counts(counts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Counts pooled per unit (grp): grp, term, frequency, tf."""
    units = counts.groupby(["grp", "term"], sort=False)["n"].sum().rename("frequency").reset_index()
    words = totals.groupby("grp")["n_words"].sum()
    units["tf"] = units["frequency"] / units["grp"].map(words)
    return units


# How the IDF of a run was computed, as recorded in its parameters (run.json) for the methods text.
IDF_DOCUMENTS = {"over": "documents", "formula": "ln((N+1)/(df+1))+1",
                 "en": "the smoothed inverse document frequency ln((N+1)/(df+1))+1 over the analysed documents",
                 "zh": "逆文档频率取平滑形式 ln((N+1)/(df+1))+1，按所分析的文档计算"}
IDF_REFERENCE = {"over": "reference documents", "formula": "ln((N+1)/(df+1))+1",
                 "en": "the smoothed inverse document frequency ln((N+1)/(df+1))+1 over the reference corpus",
                 "zh": "逆文档频率取平滑形式 ln((N+1)/(df+1))+1，按参照语料的文档计算"}
IDF_GROUPS = {"over": "groups", "formula": "ln(N/df)",
              "en": "the inverse group frequency ln(N/df), N the groups compared and df the groups using the term, "
                    "so that a term every group uses scores 0 and the ranking shows what distinguishes a group",
              "zh": "逆组频率 ln(N/df)（N 为参与比较的组数，df 为用到该词的组数）：各组都用的词得分为 0，"
                    "排名反映各组的区别性用词"}


def idf(df: pd.Series | np.ndarray, n_docs: int, *, smooth: bool = True) -> np.ndarray:
    """Smoothed IDF ``ln((N + 1) / (df + 1)) + 1``; unsmoothed ``ln(N / df)`` with ``smooth=False``."""
    df = np.asarray(df, dtype=np.float64)
    if not smooth:
        return np.log(n_docs / np.maximum(df, 1.0))
    return np.log((n_docs + 1.0) / (df + 1.0)) + 1.0


def _tfidf(units: pd.DataFrame, df: pd.Series, n_docs: int, docs: pd.DataFrame, by: str, *,
           top: int | None, smooth: bool = True) -> pd.DataFrame:
    units = units.copy()
    units["df"] = units["term"].map(df).fillna(0).astype("int64")
    units["idf"] = idf(units["df"], n_docs, smooth=smooth)
    units["score"] = units["tf"] * units["idf"]
    return finish_grouped(units, docs, by, sort=["score", "frequency"], columns=TFIDF_COLUMNS, top=top)


def reference_document_frequencies(reference: str | Path | CorpusDB, where: str | None,
                                   token_filter: TokenFilter) -> tuple[pd.Series, int, dict]:
    """Document frequency of every term in a reference corpus, its document count and provenance."""
    store, owns = open_store(reference)
    try:
        seg = segmentation_info(store.con)
        docs = select_documents(store.con, Selection(where, False, "corpus"))
        if docs.empty:
            raise ValueError(f"参照语料没有文档 / the reference corpus {store.path} has no matching documents")
        with TokenView(store.con, docs, token_filter) as view:
            rel, params = view.relation()
            df = store.con.execute(
                f"SELECT token AS term, count(DISTINCT doc_id)::BIGINT AS df FROM ({rel}) WHERE keep "
                "GROUP BY token", params
            ).df()
        info = {"database": str(store.path), "fingerprint": store.fingerprint(), "documents": len(docs),
                "where": where, "seg_id": seg.get("seg_id")}
        return df.set_index("term")["df"], len(docs), info
    finally:
        if owns:
            store.close()


def _textrank(view: TokenView, docs: pd.DataFrame, totals: pd.DataFrame, by: str, *, window: int,
              top: int | None) -> pd.DataFrame:
    """Co-occurrence edges per unit in SQL (LEAD over token order), PageRank per unit in NumPy."""
    rel, params = view.relation(words_only=False)
    leads = ", ".join(f"LEAD(token, {k}) OVER w AS t{k}, LEAD(keep, {k}) OVER w AS k{k}" for k in range(1, window))
    pairs = " UNION ALL ".join(
        f"SELECT grp, token AS a, t{k} AS b FROM s WHERE keep AND k{k} AND token <> t{k}" for k in range(1, window)
    )
    sql = (
        f"WITH r AS ({rel}), s AS (SELECT grp, token, keep, {leads} FROM r "
        "WINDOW w AS (PARTITION BY doc_id, para_no ORDER BY position)), "
        f"p AS ({pairs}) "
        "SELECT grp, least(a, b) AS a, greatest(a, b) AS b, count(*)::DOUBLE AS w FROM p "
        "GROUP BY grp, least(a, b), greatest(a, b) ORDER BY grp, a, b"
    )
    edges = view.con.execute(sql, params).df()
    freq = view.con.execute(
        f"SELECT grp, token AS term, count(*)::BIGINT AS frequency FROM ({rel}) WHERE keep GROUP BY grp, token",
        params,
    ).df()
    frames = []
    for grp, e in edges.groupby("grp", sort=True):
        terms = sorted(set(e["a"]).union(e["b"]))
        index = {t: i for i, t in enumerate(terms)}
        scores, degree = pagerank(e["a"].map(index).to_numpy(), e["b"].map(index).to_numpy(), e["w"].to_numpy(),
                                  len(terms))
        frames.append(pd.DataFrame({"grp": grp, "term": terms, "score": scores, "degree": degree}))
    ranked = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {"grp": pd.Series(dtype="string"), "term": pd.Series(dtype="string"), "score": [], "degree": []})
    ranked = ranked.merge(freq, on=["grp", "term"], how="left")
    ranked["frequency"] = ranked["frequency"].fillna(0).astype("int64")
    ranked["degree"] = ranked["degree"].astype("int64")
    return finish_grouped(ranked, docs, by, sort=["score", "frequency"], columns=TEXTRANK_COLUMNS, top=top)


def pagerank(a: np.ndarray, b: np.ndarray, w: np.ndarray, n: int, *, damping: float = 0.85,
             tol: float = 1e-12, max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Weighted PageRank of an undirected graph given as edges (a, b, weight); returns (scores, degree).

    Power iteration from the uniform vector; every node has at least one edge, so no node dangles.
    """
    if n == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    m = sparse.coo_matrix((np.concatenate([w, w]), (np.concatenate([a, b]), np.concatenate([b, a]))),
                          shape=(n, n)).tocsr()
    strength = np.asarray(m.sum(axis=1)).ravel()
    degree = np.diff(m.indptr)
    transition = sparse.diags(1.0 / strength) @ m  # row-stochastic
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1.0 - damping) / n + damping * (transition.T @ scores)
        if np.abs(new - scores).sum() < tol:
            scores = new
            break
        scores = new
    return scores / scores.sum(), degree
