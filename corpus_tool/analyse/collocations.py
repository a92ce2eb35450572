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
DEFAULT_WINDOW = 5  # collocations: a pair within five tokens, the usual span (Sinclair 1991; Evert 2005)
DEFAULT_MIN_FREQ = 5  # the floor without a node


def auto_min_freq(node_freq: int | None) -> int:
    """The frequency floor when none is given: 5, or with a node a tenth of the node's frequency (1 to 5).

    A collocate cannot occur with the node more often than the node occurs, so a fixed floor of 5 empties the
    table for any node seen fewer than 5 times; the scaled floor keeps rare nodes (a new term) analysable.
    """
    if node_freq is None:
        return DEFAULT_MIN_FREQ
    return max(1, min(DEFAULT_MIN_FREQ, node_freq // 10))


def ngrams(db: str | Path | CorpusDB, *, n: int = 2, measure: str = "freq", min_freq: int = 2,
           top: int | None = None, node: str | None = None, where: str | None = None,
           include_duplicates: bool = False, token_filter: TokenFilter | None = None) -> AnalysisResult:
    """Contiguous n-grams, sorted by frequency unless another ``measure`` is asked for."""
    return collocations(db, n=n, window=1, measure=measure, min_freq=min_freq, top=top, node=node, where=where,
                        include_duplicates=include_duplicates, token_filter=token_filter, analysis="ngrams")


def collocations(db: str | Path | CorpusDB, *, n: int = 2, window: int = DEFAULT_WINDOW, measure: str = "ll",
                 min_freq: int | None = None, top: int | None = None, node: str | None = None,
                 where: str | None = None, include_duplicates: bool = False, token_filter: TokenFilter | None = None,
                 analysis: str = "collocations") -> AnalysisResult:
    """Word pairs (or n-grams) with association scores; ``node`` keeps only those containing that word.

    Sorted by log-likelihood by default: PMI favours rare pairs, so sort by it with a frequency floor.
    ``min_freq`` None: :func:`auto_min_freq` (the run record keeps the value used). An empty table comes
    with a warning that says why (the node's frequency, the best pair's frequency, the window) and what to try.
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
        node_freq = _node_frequency(ctx.view, node) if node else None
        floor = min_freq if min_freq is not None else auto_min_freq(node_freq)
        table = association_table(grams, total, n, measure=measure, min_freq=floor, top=top, node=node)
        params.update({"min_freq": floor, "min_freq_rule": "given" if min_freq is not None else
                       "auto: 5; with a node, node frequency // 10, between 1 and 5", "pairs_total": total,
                       "node_frequency": node_freq})
        warnings = list(ctx.warnings)
        if table.empty:
            warnings.append(_why_empty(grams, n, window, floor, node, node_freq, analysis))
        return AnalysisResult(analysis, table, params, ctx.corpus, ctx.segmentation, warnings=warnings)


def _node_frequency(view: TokenView, node: str) -> int:
    """How often ``node`` occurs among the counted tokens."""
    rel, params = view.relation()
    rows = view.con.execute(f"SELECT count(*) FROM ({rel}) WHERE keep AND token = ?", [*params, node]).fetchall()
    return int(rows[0][0]) if rows else 0


def _why_empty(grams: pd.DataFrame, n: int, window: int, floor: int, node: str | None, node_freq: int | None,
               analysis: str) -> str:
    """Why no n-gram passed, with the options that would give rows."""
    words = [f"w{i}" for i in range(n)]
    if node:
        grams = grams[grams[words].eq(node).any(axis=1)]
    best = int(grams["frequency"].max()) if len(grams) else 0
    span = "adjacent tokens" if window == 1 else f"a {window}-token window"
    if node and not node_freq:
        return (f"0 行：“{node}”不是当前分词结果中的词（或已被停用词、词性过滤掉）/ 0 rows: {node!r} is not a counted "
                "token of the current segmentation (it may be split by the segmenter, a stopword, or filtered by "
                "--pos/--min-chars); check with `corpus-tool kwic`, add it to a user dictionary and segment again")
    subject = f"“{node}” occurs {node_freq} times; " if node else ""
    tries = []
    if best:
        tries.append(f"--min-freq {best}")
    if analysis == "collocations" and window < DEFAULT_WINDOW and n == 2:
        tries.append(f"--window {DEFAULT_WINDOW}")
    if analysis == "ngrams" and n == 2:
        tries.append(f"`corpus-tool collocations --window {DEFAULT_WINDOW}`")
    advice = "; try " + " or ".join(tries) if tries else ""
    return (f"0 行：没有词串达到最低频次 {floor} / 0 rows: {subject}no {'pair' if n == 2 else f'{n}-gram'} within "
            f"{span} reaches the frequency floor {floor} (the most frequent occurs {best} times){advice}")


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
