"""N-grams and collocations over the stored tokens, with association measures and frequency floors.

An n-gram is n consecutive counted tokens inside one text unit: punctuation, and stopwords
unless kept, break it. With ``window`` > 1 (pairs only) a collocation is an ordered pair whose
second word follows the first within ``window`` tokens in the same unit.

Every measure is computed on the 2×2 table of the pair population (Evert 2005): for the pair
(x, y), O11 = f(x, y), R1 = pairs starting with x, C1 = pairs ending with y, N = all pairs. An
n-gram with n > 2 is scored as the pair (its first n − 1 tokens, its last token). Measures:
PMI = log₂(O11/E11), t-score = (O11 − E11)/√O11, log-likelihood G² (signed), Dice = 2·O11/(R1 + C1).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corpus_tool.analyse import stats
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, Selection, TokenFilter, TokenView
from corpus_tool.store.db import CorpusDB

MEASURES = {"freq": "frequency", "pmi": "pmi", "ll": "log_likelihood", "t": "t_score", "dice": "dice"}
COLUMNS = ["rank", "ngram", "joined", "frequency", "documents", "first_freq", "last_freq", "expected", "pmi",
           "t_score", "log_likelihood", "ll_p", "dice"]
MAX_N = 6


def ngrams(db: str | Path | CorpusDB, *, n: int = 2, measure: str = "freq", min_freq: int = 2,
           top: int | None = None, node: str | None = None, where: str | None = None,
           include_duplicates: bool = False, token_filter: TokenFilter | None = None) -> AnalysisResult:
    """Contiguous n-grams, sorted by frequency unless another ``measure`` is asked for."""
    return collocations(db, n=n, window=1, measure=measure, min_freq=min_freq, top=top, node=node, where=where,
                        include_duplicates=include_duplicates, token_filter=token_filter, analysis="ngrams")


def collocations(db: str | Path | CorpusDB, *, n: int = 2, window: int = 1, measure: str = "ll",
                 min_freq: int = 5, top: int | None = None, node: str | None = None, where: str | None = None,
                 include_duplicates: bool = False, token_filter: TokenFilter | None = None,
                 analysis: str = "collocations") -> AnalysisResult:
    """Word pairs (or n-grams) with association scores; ``node`` keeps only those containing that word.

    Sorted by log-likelihood by default: PMI favours rare pairs, so sort by it with a frequency floor.
    """
    if measure not in MEASURES:
        raise ValueError(f"未知统计量 / unknown measure {measure!r}; choose {', '.join(MEASURES)}")
    if not 2 <= n <= MAX_N:
        raise ValueError(f"n must be between 2 and {MAX_N}")
    if window < 1 or (window > 1 and n != 2):
        raise ValueError("a window wider than 1 applies to word pairs only (--n 2)")
    token_filter = token_filter or TokenFilter()
    selection = Selection(where, include_duplicates, CORPUS)
    params = {"n": n, "window": window, "measure": measure, "min_freq": min_freq, "top": top, "node": node,
              "token_filter": token_filter.to_dict(), **selection.to_dict()}
    with analysis_context(db, selection, token_filter) as ctx:
        assert ctx.view is not None
        grams, total = _count(ctx.view, n, window)
        table = association_table(grams, total, n, measure=measure, min_freq=min_freq, top=top, node=node)
        params["pairs_total"] = total
        return AnalysisResult(analysis, table, params, ctx.corpus, ctx.segmentation, warnings=ctx.warnings)


def _count(view: TokenView, n: int, window: int) -> tuple[pd.DataFrame, int]:
    """Every n-gram (or windowed pair) with its frequency and document count; and N, all of them."""
    rel, params = view.relation(words_only=False)
    span = n - 1 if window == 1 else window
    leads = ", ".join(f"LEAD(token, {k}) OVER w AS t{k}, LEAD(keep, {k}) OVER w AS k{k}"
                      for k in range(1, span + 1))
    if window == 1:
        cond = " AND ".join(["keep"] + [f"k{k}" for k in range(1, n)])
        cols = ", ".join(["token AS w0"] + [f"t{k} AS w{k}" for k in range(1, n)])
        body = f"SELECT doc_id, {cols} FROM s WHERE {cond}"
    else:
        body = " UNION ALL ".join(f"SELECT doc_id, token AS w0, t{k} AS w1 FROM s WHERE keep AND k{k}"
                                  for k in range(1, window + 1))
    words = ", ".join(f"w{i}" for i in range(n))
    sql = (f"WITH r AS ({rel}), s AS (SELECT doc_id, token, keep, {leads} FROM r "
           "WINDOW w AS (PARTITION BY doc_id, para_no ORDER BY position)), "
           f"g AS ({body}) "
           f"SELECT {words}, count(*)::BIGINT AS frequency, count(DISTINCT doc_id)::BIGINT AS documents "
           f"FROM g GROUP BY {words}")
    grams = view.con.execute(sql, params).df()
    return grams, int(grams["frequency"].sum()) if len(grams) else 0


def association_table(grams: pd.DataFrame, total: int, n: int, *, measure: str = "pmi", min_freq: int = 1,
                      top: int | None = None, node: str | None = None) -> pd.DataFrame:
    """Score n-gram counts (w0 … w{n−1}, frequency, documents) against their marginals."""
    words = [f"w{i}" for i in range(n)]
    prefix = words[:-1]
    grams = grams.copy()
    # Marginals over all n-grams (before any floor), so the floor never changes a score.
    grams["first_freq"] = grams.groupby(prefix, sort=False)["frequency"].transform("sum")
    grams["last_freq"] = grams.groupby(words[-1], sort=False)["frequency"].transform("sum")
    keep = grams["frequency"] >= max(min_freq, 1)
    if node:
        keep &= grams[words].eq(node).any(axis=1)
    out = grams[keep].copy()
    o11 = out["frequency"].to_numpy(dtype=np.float64)
    r1 = out["first_freq"].to_numpy(dtype=np.float64)
    c1 = out["last_freq"].to_numpy(dtype=np.float64)
    cells = (o11, r1 - o11, c1 - o11, float(total) - r1 - c1 + o11)
    out["expected"] = stats.expected(*cells)
    out["pmi"] = stats.pmi(*cells)
    out["t_score"] = stats.t_score(*cells)
    out["log_likelihood"] = stats.g2(*cells)
    out["ll_p"] = stats.p_value(out["log_likelihood"])
    out["dice"] = stats.dice(*cells)
    out["ngram"] = out[words].agg(" ".join, axis=1) if len(out) else pd.Series(dtype="string")
    out["joined"] = out[words].agg("".join, axis=1) if len(out) else pd.Series(dtype="string")
    key = MEASURES[measure]
    out = out.sort_values([key, "frequency", "ngram"], ascending=[False, False, True], kind="mergesort",
                          na_position="last")
    out["rank"] = np.arange(1, len(out) + 1)
    if top is not None:
        out = out.head(top)
    for col in ("frequency", "documents", "first_freq", "last_freq"):
        out[col] = out[col].astype("int64")
    return out[COLUMNS].reset_index(drop=True)
