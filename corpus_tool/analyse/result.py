"""The result every analysis returns, and the context an analysis reads the store through.

An :class:`AnalysisResult` holds the table (a DataFrame with a fixed column order and a
deterministic row order), the parameters used and the provenance needed for a run record. It
writes nothing: the CLI (and the notebook API) pass it to :func:`corpus_tool.export.save.save_result`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_tool.analyse.query import shadow_hint
from corpus_tool.analyse.units import (
    Grouping,
    Selection,
    TokenFilter,
    TokenView,
    manifest_fields,
    open_store,
    segmentation_info,
    select_groups,
    selection_fingerprint,
)
from corpus_tool.store.db import CorpusDB


@dataclass
class AnalysisResult:
    """A table plus how it was made. ``tables`` holds companion tables (e.g. coding ``evidence``)."""

    analysis: str
    table: pd.DataFrame
    params: dict[str, Any]
    corpus: dict[str, Any] = field(default_factory=dict)
    segmentation: dict[str, Any] | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.table)

    def _repr_html_(self) -> str:  # Jupyter shows the table
        return self.table._repr_html_()  # type: ignore[operator]

    def __repr__(self) -> str:
        return f"<{self.analysis}: {len(self.table)} rows>\n{self.table.head(20).to_string()}"


@dataclass
class Context:
    """The store, the selected documents and their tokens, for the length of one analysis."""

    store: CorpusDB
    docs: pd.DataFrame
    view: TokenView | None
    segmentation: dict[str, Any] | None
    corpus: dict[str, Any]
    warnings: list[str] = field(default_factory=list)  # what the user must be told (e.g. documents without a group)


def ocr_summary(con: Any, doc_ids: list[str]) -> dict[str, Any]:
    """How much of the selected documents' text OCR read (paragraphs.source ocr or mixed): the methods paragraph
    says so, since OCR text can hold misread characters. Empty when nothing was OCR'd."""
    if not doc_ids:
        return {}
    row = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE source IN ('ocr', 'mixed')), "
        "count(DISTINCT doc_id || ':' || coalesce(page, 0)) FILTER (WHERE source IN ('ocr', 'mixed')), "
        "count(DISTINCT doc_id) FILTER (WHERE source IN ('ocr', 'mixed')), "
        "avg(ocr_confidence) FILTER (WHERE source IN ('ocr', 'mixed')) "
        "FROM paragraphs WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [doc_ids]).fetchall()[0]
    if not row[1]:
        return {}
    return {"paragraphs": int(row[0]), "ocr_paragraphs": int(row[1]), "ocr_pages": int(row[2]),
            "ocr_documents": int(row[3]), "ocr_confidence": round(float(row[4]), 1) if row[4] is not None else None}


def corpus_summary(store: CorpusDB, docs: pd.DataFrame, selection: Selection,
                   grouping: Grouping | None = None) -> dict[str, Any]:
    """What was analysed: the database, its fingerprint, the selected documents and how they were grouped."""
    n_total = (store.con.execute("SELECT count(*) FROM documents").fetchone() or (0,))[0]
    summary = {
        "database": str(store.path),
        "fingerprint": store.fingerprint(),
        "documents_in_database": int(n_total),
        "documents": len(docs),
        "selection_fingerprint": selection_fingerprint(docs["doc_id"].tolist()),
        "where": selection.where,
        "include_duplicates": selection.include_duplicates,
    }
    gaps = _log_count(store, docs, "withheld_glyph_gaps")
    if gaps:  # glyphs withheld in the selected documents, each run a 〓 in the text (not counted as words)
        summary["glyph_gaps"] = gaps
    formulas = _log_count(store, docs, "formulas_removed")
    if formulas:  # display formulas removed from the text, each a 〔公式〕 mark (not counted as words)
        summary["formulas"] = formulas
    summary.update(ocr_summary(store.con, docs["doc_id"].tolist()))
    if summary.get("ocr_paragraphs"):  # OCR readings the in-document vote replaced, and words it could not settle
        summary["ocr_unified"] = _log_count(store, docs, "pdf_ocr_reading_unified")
        summary["ocr_unresolved"] = _log_count(store, docs, "pdf_ocr_reading_unresolved")
    if grouping is not None:
        summary["documents_selected"] = grouping.documents_selected
        summary["grouping"] = grouping.to_dict()
    return summary


def _log_count(store: CorpusDB, docs: pd.DataFrame, step: str) -> int:
    """The count a log step records in the selected documents (``withheld_glyph_gaps``: the 〓 marks)."""
    ids = docs["doc_id"].tolist() if "doc_id" in docs.columns else []
    if not ids:
        return 0
    # fetchall: a half-read result keeps the connection busy (see token_summary)
    rows = store.con.execute("SELECT sum(count) FROM log WHERE step = ? AND doc_id IN "
                             "(SELECT unnest(?::VARCHAR[]))", [step, ids]).fetchall()
    return int(rows[0][0] or 0) if rows else 0


def token_summary(view: TokenView) -> dict[str, int]:
    """Words (tokens with a letter or Han character) in the analysed documents, and how many the filter counts."""
    rel, params = view.relation()
    # fetchall: a half-read result would keep the connection busy (DuckDB then refuses ``register``).
    rows = view.con.execute(f"SELECT count(*), count(*) FILTER (WHERE keep) FROM ({rel})", params).fetchall()
    row = rows[0] if rows else None
    return {"words": int(row[0]) if row else 0, "tokens_counted": int(row[1]) if row else 0}


@contextmanager
def analysis_context(db: str | Path | CorpusDB, selection: Selection,
                     token_filter: TokenFilter | None = None, *, need_tokens: bool = True,
                     count_tokens: bool = True) -> Iterator[Context]:
    """Open ``db``, select and group documents and (when ``need_tokens``) check and wrap their tokens.

    The context's ``corpus`` states the documents (and, with tokens, the words and counted tokens) the
    analysis reads; without ``count_tokens`` the caller fills those two counts from its own read of the tokens
    (``meaning.base.read_tokens`` does), saving a pass over them; its ``warnings`` say what was grouped as
    missing or left out.
    """
    store, owns = open_store(db)
    view: TokenView | None = None
    try:
        seg = segmentation_info(store.con) if need_tokens else _optional_segmentation(store)
        docs, grouping = select_groups(store.con, selection)
        if docs.empty:
            if grouping.dropped:
                raise ValueError(
                    f"所选 {grouping.documents_selected} 篇文档的 {grouping.by} 都为空 / none of the "
                    f"{grouping.documents_selected} selected documents has a value for {grouping.by!r}: "
                    "drop --drop-missing, or add the field with a manifest (--metadata)"
                )
            raise ValueError(
                "没有符合条件的文档 / no documents match the selection"
                + (f" {selection.where!r}" if selection.where else "")
                + (shadow_hint(selection.where, manifest_fields(store.con)) if selection.where else "")
            )
        corpus = corpus_summary(store, docs, selection, grouping)
        if need_tokens:
            view = TokenView(store.con, docs, token_filter or TokenFilter())
            if count_tokens:
                corpus.update(token_summary(view))
        warning = grouping.warning()
        yield Context(store, docs, view, seg, corpus, [warning] if warning else [])
    finally:
        if view is not None:
            view.close()
        if owns:
            store.close()


def empty_table_warning(corpus: dict[str, Any], token_filter: TokenFilter | None, floor: str | None = None) -> str:
    """Why a term table came out empty: what was counted, and the filters and floor that removed every term."""
    bits = []
    if token_filter is not None:
        if token_filter.pos:
            bits.append(f"--pos {','.join(token_filter.pos)}")
        if token_filter.min_chars > 1:
            bits.append(f"--min-chars {token_filter.min_chars}")
        if token_filter.fields:
            bits.append(f"--fields {','.join(token_filter.fields)}")
    if floor:
        bits.append(floor)
    filters = "; ".join(bits) or "the stopword list"
    return (f"0 行：没有词语通过筛选 / 0 rows: of {corpus.get('words', 0)} words in {corpus.get('documents')} "
            f"documents, {corpus.get('tokens_counted', 0)} tokens passed the filters and no term passed "
            f"{filters}; relax them (lower the floor, widen --pos) or check the selection")


def _optional_segmentation(store: CorpusDB) -> dict[str, Any] | None:
    try:
        return segmentation_info(store.con)
    except RuntimeError:
        return None
