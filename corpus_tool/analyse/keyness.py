"""Keyness: which terms a target set of documents uses more (or less) than a reference.

The target is chosen with a filter (``year >= 2018``); the reference is the rest of the
selection or another corpus database. For every term the 2×2 table is

                  target    reference
    term          a         b
    other words   c − a     d − b

with c and d the words (tokens holding a letter or Han character, stopwords included) of each
side. Measures, as in quanteda's ``textstat_keyness`` and Wordless: log-likelihood G² (Dunning
1993), χ² with Yates' correction, PMI (log₂), each signed negative when the term prefers the
reference, p-values from χ²(1), and Hardie's Log Ratio (log₂ of the ratio of relative
frequencies, a zero taken as 0.5) as the effect size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corpus_tool.analyse import stats
from corpus_tool.analyse.query import parse_filter
from corpus_tool.analyse.result import AnalysisResult, analysis_context, empty_table_warning
from corpus_tool.analyse.units import (
    CORPUS,
    Selection,
    TokenFilter,
    TokenView,
    manifest_fields,
    open_store,
    segmentation_info,
    select_documents,
    selection_fingerprint,
)
from corpus_tool.store.db import CorpusDB

MEASURES = {"ll": "log_likelihood", "chi2": "chi2", "pmi": "pmi", "lr": "log_ratio"}
KEYNESS_COLUMNS = [
    "rank", "term", "target_freq", "reference_freq", "target_per_10k", "reference_per_10k",
    "target_docs", "reference_docs", "log_likelihood", "ll_p", "chi2", "chi2_p", "pmi", "log_ratio", "preferred",
]
REST = "rest"


def keyness(
    db: str | Path | CorpusDB,
    *,
    target: str | None,
    reference: str | Path | CorpusDB = REST,
    measure: str = "ll",
    min_freq: int = 3,
    top: int | None = None,
    where: str | None = None,
    reference_where: str | None = None,
    include_duplicates: bool = False,
    token_filter: TokenFilter | None = None,
) -> AnalysisResult:
    """Keyness of the ``target`` documents against ``reference`` (``"rest"`` or a corpus database).

    ``where`` narrows the documents first (target and, with ``rest``, reference come from it);
    ``reference_where`` narrows a reference database. Terms with fewer than ``min_freq``
    occurrences on both sides together are left out. Rows are sorted by ``measure`` (signed,
    descending: the target's key terms first), ties by term.
    """
    if measure not in MEASURES:
        raise ValueError(f"未知统计量 / unknown measure {measure!r}; choose {', '.join(MEASURES)}")
    use_rest = isinstance(reference, str) and reference == REST
    if use_rest and not (target and target.strip()):
        raise ValueError("需要 --target 条件 / keyness against the rest needs a --target filter, e.g. 'year >= 2018'")
    token_filter = token_filter or TokenFilter()
    selection = Selection(where, include_duplicates, CORPUS)
    params = {"target": target, "reference": REST if use_rest else str(
        reference.path if isinstance(reference, CorpusDB) else reference), "measure": measure,
        "min_freq": min_freq, "top": top, "reference_where": reference_where,
        "token_filter": token_filter.to_dict(), **selection.to_dict()}
    warnings: list[str] = []
    with analysis_context(db, selection, token_filter) as ctx:
        docs = ctx.docs
        warnings += ctx.warnings
        in_target, undecided = _target_ids(ctx.store, docs, target)
        if not in_target:
            raise ValueError(f"没有文档符合目标条件 / no document matches the target {target!r}")
        target_docs = docs[docs["doc_id"].isin(in_target)]
        if use_rest and undecided:
            # A document whose field is empty (year IS NULL for "year >= 2018") is neither target nor rest.
            docs = docs[~docs["doc_id"].isin(undecided)]
            warnings.append(
                f"{len(undecided)} 篇文档缺少目标条件所用的字段值，既不属目标组也不属参照组 / {len(undecided)} "
                f"documents have no value for the field(s) in the target {target!r}: they are in neither the "
                "target nor the reference"
            )
        params["undecided_documents"] = len(undecided)
        if use_rest:
            reference_docs = docs[~docs["doc_id"].isin(in_target)]
            if reference_docs.empty:
                raise ValueError("参照组为空 / every selected document is in the target: the reference is empty")
            side = pd.Series(np.where(docs["doc_id"].isin(in_target), "target", "reference"), index=docs.index)
            labelled = docs.assign(grp=side)
            with TokenView(ctx.store.con, labelled, token_filter) as view:
                counts = _side_counts(view)
            ref_info = {"documents": len(reference_docs),
                        "selection_fingerprint": selection_fingerprint(reference_docs["doc_id"].tolist())}
        else:
            with TokenView(ctx.store.con, target_docs.assign(grp="target"), token_filter) as view:
                counts = _side_counts(view)
            ref_counts, ref_info = _reference_counts(reference, reference_where, token_filter)
            if ref_info["seg_id"] != (ctx.segmentation or {}).get("seg_id"):
                warnings.append(
                    "参照语料的分词设置不同 / the reference corpus was segmented with different settings "
                    f"({ref_info['seg_id']} vs {(ctx.segmentation or {}).get('seg_id')})"
                )
            counts = {"terms": pd.concat([counts["terms"], ref_counts["terms"]], ignore_index=True),
                      "words": {**counts["words"], **ref_counts["words"]}}
        table = keyness_table(counts["terms"], counts["words"].get("target", 0),
                              counts["words"].get("reference", 0), measure=measure, min_freq=min_freq, top=top)
        params["target_documents"] = len(target_docs)
        params["reference_documents"] = int(ref_info.get("documents") or 0)
        params["target_words"] = int(counts["words"].get("target", 0))
        params["reference_words"] = int(counts["words"].get("reference", 0))
        params["reference_corpus"] = ref_info
        if table.empty:
            warnings.append(empty_table_warning(ctx.corpus, token_filter, f"--min-freq {min_freq} (target and "
                                                                          "reference together)"))
        corpus = dict(ctx.corpus)
        corpus["target_fingerprint"] = selection_fingerprint(target_docs["doc_id"].tolist())
        return AnalysisResult("keyness", table, params, corpus, ctx.segmentation, warnings=warnings)


def _target_ids(store: CorpusDB, docs: pd.DataFrame, target: str | None) -> tuple[set[str], set[str]]:
    """The selected documents matching ``target``, and those for which it is unknown (a NULL field)."""
    if not (target and target.strip()):
        return set(docs["doc_id"]), set()
    flt = parse_filter(target, manifest_fields(store.con))
    rows = store.con.execute(f"SELECT d.doc_id, ({flt.sql}) AS hit FROM documents d", list(flt.params)).fetchall()
    selected = set(docs["doc_id"])
    hits = {doc_id for doc_id, hit in rows if hit is True and doc_id in selected}
    unknown = {doc_id for doc_id, hit in rows if hit is None and doc_id in selected}
    return hits, unknown


def _side_counts(view: TokenView) -> dict:
    """Per side (grp = target | reference): term counts with document counts, and word totals."""
    rel, params = view.relation()
    terms = view.con.execute(
        f"SELECT grp, token AS term, count(*)::BIGINT AS n, count(DISTINCT doc_id)::BIGINT AS docs "
        f"FROM ({rel}) WHERE keep GROUP BY grp, token", params
    ).df()
    words = dict(view.con.execute(f"SELECT grp, count(*) FROM ({rel}) GROUP BY grp", params).fetchall())
    return {"terms": terms, "words": words}


def _reference_counts(reference: str | Path | CorpusDB, where: str | None,
                      token_filter: TokenFilter) -> tuple[dict, dict]:
    store, owns = open_store(reference)
    try:
        seg = segmentation_info(store.con)
        docs = select_documents(store.con, Selection(where, False, CORPUS))
        if docs.empty:
            raise ValueError(f"参照语料没有文档 / the reference corpus {store.path} has no matching documents")
        with TokenView(store.con, docs.assign(grp="reference"), token_filter) as view:
            counts = _side_counts(view)
        info = {"database": str(store.path), "fingerprint": store.fingerprint(), "documents": len(docs),
                "where": where, "seg_id": seg.get("seg_id"),
                "selection_fingerprint": selection_fingerprint(docs["doc_id"].tolist())}
        return counts, info
    finally:
        if owns:
            store.close()


def keyness_table(terms: pd.DataFrame, target_words: int, reference_words: int, *, measure: str = "ll",
                  min_freq: int = 1, top: int | None = None) -> pd.DataFrame:
    """The keyness table from per-side counts (grp, term, n, docs) and the two word totals."""
    if target_words <= 0 or reference_words <= 0:
        raise ValueError("target and reference must both hold words (目标组与参照组都必须有词)")
    wide = terms.pivot_table(index="term", columns="grp", values=["n", "docs"], aggfunc="sum", fill_value=0)
    out = pd.DataFrame(index=wide.index)
    for side in ("target", "reference"):
        out[f"{side}_freq"] = wide["n"][side] if side in wide["n"] else 0
        out[f"{side}_docs"] = wide["docs"][side] if side in wide["docs"] else 0
    out = out.reset_index()
    out = out[(out["target_freq"] + out["reference_freq"]) >= max(min_freq, 1)].copy()
    a = out["target_freq"].to_numpy(dtype=np.float64)
    b = out["reference_freq"].to_numpy(dtype=np.float64)
    c, d = float(target_words), float(reference_words)
    cells = (a, b, c - a, d - b)
    out["target_per_10k"] = a / c * 10_000
    out["reference_per_10k"] = b / d * 10_000
    out["log_likelihood"] = stats.g2(*cells)
    out["ll_p"] = stats.p_value(out["log_likelihood"])
    out["chi2"] = stats.chi2_yates(*cells)
    out["chi2_p"] = stats.p_value(out["chi2"])
    # PMI of term and target: log2 P(term, target) / (P(term) P(target)), on the same table.
    out["pmi"] = stats.pmi(a, b, c - a, d - b)
    out["log_ratio"] = stats.log_ratio(a, c, b, d)
    out["preferred"] = np.where(a / c >= b / d, "target", "reference")
    for col in ("target_freq", "reference_freq", "target_docs", "reference_docs"):
        out[col] = out[col].astype("int64")
    key = MEASURES[measure]
    out = out.sort_values([key, "term"], ascending=[False, True], kind="mergesort", na_position="last")
    out["rank"] = np.arange(1, len(out) + 1)
    if top is not None:
        out = out.head(top)
    return out[KEYNESS_COLUMNS].reset_index(drop=True)
