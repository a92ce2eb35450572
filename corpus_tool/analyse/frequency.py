"""Term and document frequencies, per document, per group or over the whole corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus_tool.analyse.result import AnalysisResult, analysis_context, empty_table_warning
from corpus_tool.analyse.units import (
    CORPUS,
    Selection,
    TokenFilter,
    ensure_by,
    group_column_name,
    group_order,
)
from corpus_tool.store.db import CorpusDB

FREQUENCY_COLUMNS = ["rank", "term", "frequency", "per_10k", "documents", "doc_share"]


def frequencies(
    db: str | Path | CorpusDB,
    *,
    by: str | None = CORPUS,
    top: int | None = None,
    min_freq: int = 1,
    where: str | None = None,
    include_duplicates: bool = False,
    token_filter: TokenFilter | None = None,
    drop_missing: bool = False,
) -> AnalysisResult:
    """Frequency of every counted term in each group.

    Documents whose ``by`` field is empty form the group ``(未知 missing)``; ``drop_missing`` leaves them
    out instead (with a warning, and the run record's ``corpus.grouping`` says how many).

    Columns: the group (named after ``by``; absent for the whole corpus), ``rank``, ``term``,
    ``frequency``, ``per_10k`` (per 10,000 words of the group), ``documents`` (how many of the
    group's documents contain the term) and ``doc_share`` (that count over the group's documents).
    Rows: groups in order, then frequency descending, ties by term.
    """
    by = ensure_by(by)
    token_filter = token_filter or TokenFilter()
    selection = Selection(where, include_duplicates, by, "drop" if drop_missing else "group")
    with analysis_context(db, selection, token_filter) as ctx:
        assert ctx.view is not None
        counts = ctx.view.doc_term_counts()
        totals = ctx.view.doc_word_totals()
        table = frequency_table(counts, totals, ctx.docs, by, top=top, min_freq=min_freq)
        params = {"by": by, "top": top, "min_freq": min_freq, "token_filter": token_filter.to_dict(),
                  **selection.to_dict()}
        warnings = list(ctx.warnings)
        if table.empty:
            warnings.append(empty_table_warning(ctx.corpus, token_filter, f"--min-freq {min_freq}"))
        return AnalysisResult("frequencies", table, params, ctx.corpus, ctx.segmentation, warnings=warnings)


def frequency_table(counts: pd.DataFrame, totals: pd.DataFrame, docs: pd.DataFrame, by: str, *,
                    top: int | None = None, min_freq: int = 1) -> pd.DataFrame:
    """Aggregate per-document counts (grp, doc_id, term, n) into the frequency table of each group."""
    grouped = counts.groupby(["grp", "term"], sort=False).agg(frequency=("n", "sum"), documents=("doc_id", "size"))
    grouped = grouped.reset_index()
    words = totals.groupby("grp")["n_words"].sum()
    n_docs = docs.groupby("grp")["doc_id"].size()
    grouped = grouped[grouped["frequency"] >= min_freq]
    # astype(float): on an empty table map() returns the labels' dtype (text), which cannot divide.
    grouped["per_10k"] = grouped["frequency"] / grouped["grp"].map(words).astype(float) * 10_000
    grouped["doc_share"] = grouped["documents"] / grouped["grp"].map(n_docs).astype(float)
    return finish_grouped(grouped, docs, by, sort=["frequency"], columns=FREQUENCY_COLUMNS, top=top)


def finish_grouped(df: pd.DataFrame, docs: pd.DataFrame, by: str, *, sort: list[str], columns: list[str],
                   top: int | None, ascending: list[bool] | None = None) -> pd.DataFrame:
    """Order groups, sort rows within each (``sort`` descending, ties by term), rank, cut to ``top``.

    Adds the group column (named after ``by``) and, for per-document tables, the title.
    """
    order = {g: i for i, g in enumerate(group_order(docs))}
    df = df.assign(_g=df["grp"].map(order))
    asc = ascending if ascending is not None else [False] * len(sort)
    df = df.sort_values(["_g", *sort, "term"], ascending=[True, *asc, True], kind="mergesort",
                        na_position="last")
    df["rank"] = df.groupby("_g", sort=False).cumcount() + 1
    if top is not None:
        df = df[df["rank"] <= top]
    col = group_column_name(by)
    lead: list[str] = []
    if col is not None:
        first = docs.drop_duplicates("grp").set_index("grp")
        df[col] = df["grp"].map(first["group"]).astype(docs["group"].dtype)
        lead.append(col)
        if col == "doc_id":
            df["title"] = df["grp"].map(first["title"])
            lead.append("title")
    return df[lead + columns].reset_index(drop=True)
