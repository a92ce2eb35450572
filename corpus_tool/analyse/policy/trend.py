"""Terms over time: how often chosen terms occur per year (or any numeric field), and where each first appears.

Counts (``count="text"``, the default) are occurrences on the stored text itself, as KWIC and dictionary
coding find them, so a term is counted however the segmenter cut it (新质生产力 whether one token or three),
traditional characters read as simplified when the segmentation does so (its default: 發展 counts as 发展);
``count="token"`` counts the term as a token of the current segmentation, as ``corpus-tool freq`` does. The
denominator is the same in both: the words of the year's documents (tokens with a letter or a Han
character, stopwords included — the denominator of ``freq``'s ``per_10k``), over the same text fields.

``table``: one row per year × term (zeros included): ``count``, ``documents`` (the year's documents with the
term), ``year_documents``, ``words`` (the year's total) and ``per_10k`` = count / words × 10,000.
``tables["first_use"]``: per term the first year it occurs in the selected documents and the first document
that year (by date, then doc_id), its total count and how many documents and years have it. Documents
without a year are left out, with a warning saying how many.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import Selection, TokenFilter, add_citation, iter_unit_batches, reads_simplified
from corpus_tool.store.db import CorpusDB

COUNTS = ("text", "token")
TREND_COLUMNS = ["term", "count", "documents", "year_documents", "words", "per_10k"]
FIRST_COLUMNS = ["term", "first_year", "doc_id", "title", "date", "issuer", "total_count", "documents", "years"]


def term_trend(
    db: str | Path | CorpusDB,
    terms: list[str],
    *,
    by: str = "year",
    count: str = "text",
    fields: tuple[str, ...] = (),
    where: str | None = None,
    include_duplicates: bool = False,
) -> AnalysisResult:
    """Counts and rates per 10,000 words of ``terms`` per ``by`` value, and each term's first appearance."""
    terms = list(dict.fromkeys(t.strip() for t in terms if t and t.strip()))
    if not terms:
        raise ValueError("没有检索词 / no terms given")
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)}, not {count!r}")
    selection = Selection(where, include_duplicates, by, "drop")
    tf = TokenFilter(keep_stopwords=True, fields=tuple(fields))
    with analysis_context(db, selection, tf) as ctx:
        assert ctx.view is not None
        docs = ctx.docs
        if not pd.api.types.is_numeric_dtype(docs["group"]):
            raise ValueError(f"--by {by} 不是数值字段 / {by!r} is not a numeric field: a trend needs years or numbers")
        words = ctx.view.doc_word_totals().set_index("doc_id")["n_words"]
        per_doc = _text_counts(ctx, terms, fields) if count == "text" else _token_counts(ctx, terms)
        table = trend_table(per_doc, docs, words, terms, by)
        first = first_use(per_doc, docs, terms, ctx.store, by)
        params = {"terms": terms, "by": by, "count": count, "fields": list(fields) or None, **selection.to_dict(),
                  "text_simplified": count == "text" and reads_simplified(ctx.segmentation)}
        warnings = list(ctx.warnings)
        thin = thin_years(table, by)
        if thin:
            warnings.append(f"{len(thin)} 组（{by}）的总词数不足中位数的十分之一，每万词频次只基于很少的词 / "
                            f"{len(thin)} {by} values have fewer than a tenth of the median {by}'s words, so their "
                            f"per_10k rests on few words: {', '.join(thin[:8])}{' …' if len(thin) > 8 else ''}")
        absent = [t for t in terms if not per_doc["term"].eq(t).any()]
        if absent:
            warnings.append(f"所选文档中没有出现 / not found in the selected documents: {'、'.join(absent)}")
        return AnalysisResult("trend", table, params, ctx.corpus, ctx.segmentation, tables={"first_use": first},
                              warnings=warnings)


def _text_counts(ctx, terms: list[str], fields: tuple[str, ...]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    # The segmentation reads traditional characters as simplified (its default): so does the text count, or the
    # 1954 report, stored in traditional characters, would hold no 发展 while its tokens hold 68.
    simplify = reads_simplified(ctx.segmentation)
    if simplify:
        from corpus_tool.reading.convert import to_simplified
    patterns = [(t, re.compile(re.escape(to_simplified(t) if simplify else t))) for t in terms]
    counts: dict[tuple[str, str], int] = {}
    for batch in iter_unit_batches(ctx.store.con, ctx.docs, fields, ("text",)):
        for doc_id, _, text in batch:
            if simplify and text:
                text = to_simplified(text)
            for term, pattern in patterns:
                n = sum(1 for _ in pattern.finditer(text or ""))
                if n:
                    counts[(doc_id, term)] = counts.get((doc_id, term), 0) + n
    return pd.DataFrame([(d, t, n) for (d, t), n in counts.items()], columns=["doc_id", "term", "n"])


def _token_counts(ctx, terms: list[str]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    counts = ctx.view.doc_term_counts()
    token_of = {t: t for t in terms}
    if reads_simplified(ctx.segmentation):  # the tokens are simplified: 發展 is looked for as 发展
        from corpus_tool.reading.convert import to_simplified

        token_of = {t: to_simplified(t) for t in terms}
    parts = [counts[counts["term"] == token].assign(term=term) for term, token in token_of.items()]
    found = pd.concat(parts, ignore_index=True) if parts else counts.iloc[:0]
    return found[["doc_id", "term", "n"]].reset_index(drop=True)


def trend_table(per_doc: pd.DataFrame, docs: pd.DataFrame, words: pd.Series, terms: list[str],
                by: str) -> pd.DataFrame:
    """Year × term rows in year order then the order the terms were given, zeros included."""
    year = docs.set_index("doc_id")["group"]
    years = sorted(year.dropna().unique().tolist())
    grid = pd.MultiIndex.from_product([years, terms], names=[by, "term"]).to_frame(index=False)
    pd_ = per_doc.assign(**{by: per_doc["doc_id"].map(year)})
    agg = pd_.groupby([by, "term"]).agg(count=("n", "sum"), documents=("doc_id", "nunique")).reset_index()
    out = grid.merge(agg, on=[by, "term"], how="left")
    out[["count", "documents"]] = out[["count", "documents"]].fillna(0).astype("int64")
    totals = pd.DataFrame({"doc_id": docs["doc_id"], by: docs["doc_id"].map(year)})
    totals["words"] = totals["doc_id"].map(words).fillna(0).astype("int64")
    per_year = totals.groupby(by).agg(year_documents=("doc_id", "size"), words=("words", "sum"))
    out = out.merge(per_year.reset_index(), on=by, how="left")
    out["per_10k"] = out["count"] / out["words"].where(out["words"] > 0) * 10_000
    out[by] = out[by].astype(docs["group"].dtype)
    order = {t: i for i, t in enumerate(terms)}
    out = out.assign(_t=out["term"].map(order)).sort_values([by, "_t"], kind="mergesort").drop(columns="_t")
    return out[[by, *TREND_COLUMNS]].reset_index(drop=True)


def thin_years(table: pd.DataFrame, by: str) -> list[str]:
    """The ``by`` values whose word total is below a tenth of the median value's (a 700-character resolution
    alone in a year of reports): "value (words, documents)"."""
    per = table.drop_duplicates(by)[[by, "words", "year_documents"]]
    if len(per) < 3:
        return []
    floor = per["words"].median() / 10
    thin = per[per["words"] < floor]
    return [f"{v} ({w} words, {d} doc{'s' if d != 1 else ''})" for v, w, d in
            zip(thin[by], thin["words"], thin["year_documents"], strict=True)]


def first_use(per_doc: pd.DataFrame, docs: pd.DataFrame, terms: list[str], store: CorpusDB, by: str) -> pd.DataFrame:
    """Each term's first ``by`` value and first document there (by date, then doc_id); NA when never found."""
    year = docs.set_index("doc_id")["group"]
    hits = add_citation(per_doc.assign(first_year=per_doc["doc_id"].map(year)), store.con)
    rows = []
    for term in terms:
        h = hits[hits["term"] == term]
        if h.empty:
            rows.append({"term": term, "total_count": 0, "documents": 0, "years": 0})
            continue
        h = h.assign(_d=h["date"].fillna("9999")).sort_values(["first_year", "_d", "doc_id"], kind="mergesort")
        top = h.iloc[0]
        rows.append({"term": term, "first_year": top["first_year"], "doc_id": top["doc_id"], "title": top["title"],
                     "date": top["date"], "issuer": top["issuer"], "total_count": int(h["n"].sum()),
                     "documents": int(h["doc_id"].nunique()), "years": int(h["first_year"].nunique())})
    out = pd.DataFrame(rows, columns=FIRST_COLUMNS)
    out["first_year"] = out["first_year"].astype(docs["group"].dtype)
    for c in ("total_count", "documents", "years"):
        out[c] = out[c].astype("int64")
    return out
