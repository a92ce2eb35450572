"""KWIC concordances over every text field (title, abstract, keywords, headings, paragraphs).

The search runs on the stored text itself, so a term is found however the segmenter cut it; with
``whole_tokens`` a hit must also start and end on token boundaries of the current segmentation.
A query is a term, a multi-word phrase (words separated by spaces match with or without
whitespace between them) or a regular expression (Python ``re`` syntax).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import CORPUS, TEXT_FIELDS, Selection, add_citation, iter_unit_batches
from corpus_tool.store.db import CorpusDB

MODES = ("auto", "term", "phrase", "regex")
SORTS = ("position", "left", "right", "match", "year")
# Each row carries the document's title, year, date and issuer, so that it can be cited without a join.
KWIC_COLUMNS = ["doc_id", "title", "year", "date", "issuer", "para_no", "field", "section_title", "start", "end",
                "left", "match", "right"]


def compile_query(query: str, mode: str = "auto", *, ignore_case: bool = False) -> re.Pattern[str]:
    """The regular expression for a KWIC query (see the module docstring for the modes)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; choose {', '.join(MODES)}")
    if not query.strip():
        raise ValueError("检索词为空 / empty search term")
    flags = re.IGNORECASE if ignore_case else 0
    if mode == "regex":
        try:
            return re.compile(query, flags)
        except re.error as exc:
            raise ValueError(f"正则表达式有误 / invalid regular expression {query!r}: {exc}") from exc
    words = query.split()
    if mode == "term" or (mode == "auto" and len(words) == 1):
        return re.compile(re.escape(query.strip()), flags)
    return re.compile(r"\s*".join(re.escape(w) for w in words), flags)


def kwic(
    db: str | Path | CorpusDB,
    query: str,
    *,
    mode: str = "auto",
    window: int = 20,
    sort: str = "position",
    fields: tuple[str, ...] = (),
    whole_tokens: bool = False,
    ignore_case: bool = False,
    where: str | None = None,
    include_duplicates: bool = False,
) -> AnalysisResult:
    """Every hit of ``query`` with ``window`` characters of context on each side, in the same unit.

    ``sort``: ``position`` (document, paragraph, offset), ``left`` (by the context read leftwards
    from the hit), ``right``, ``match`` or ``year`` (documents without a year last); ties always fall back
    to position. Every row carries the document's title, year, date and issuer.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; choose {', '.join(SORTS)}")
    if window < 0:
        raise ValueError("window must be zero or more characters")
    bad = [f for f in fields if f not in TEXT_FIELDS]
    if bad:
        raise ValueError(f"unknown text field(s) {bad}; choose from {', '.join(TEXT_FIELDS)}")
    pattern = compile_query(query, mode, ignore_case=ignore_case)
    selection = Selection(where, include_duplicates, CORPUS)
    params = {"query": query, "mode": mode, "pattern": pattern.pattern, "window": window, "sort": sort,
              "fields": list(fields) or list(TEXT_FIELDS), "whole_tokens": whole_tokens,
              "ignore_case": ignore_case, **selection.to_dict()}
    with analysis_context(db, selection, need_tokens=whole_tokens) as ctx:
        rows = list(_hits(ctx.store, ctx.docs, pattern, window, fields, whole_tokens))
        hit_columns = [c for c in KWIC_COLUMNS if c not in ("title", "year", "date", "issuer")]
        table = add_citation(pd.DataFrame(rows, columns=hit_columns), ctx.store.con)[KWIC_COLUMNS]
        table = sort_kwic(table, sort)
        warnings = list(ctx.warnings)
        if table.empty:
            warnings.append(_no_hits(query, mode, fields, whole_tokens, ignore_case, len(ctx.docs)))
        params["hits"] = len(table)
        params["documents_with_hits"] = int(table["doc_id"].nunique())
        return AnalysisResult("kwic", table, params, ctx.corpus, ctx.segmentation, warnings=warnings)


def _no_hits(query: str, mode: str, fields: tuple[str, ...], whole_tokens: bool, ignore_case: bool,
             n_docs: int) -> str:
    """Why a concordance is empty, and what to try."""
    tries = []
    if whole_tokens:
        tries.append("drop --whole-tokens (the segmenter may cut the term differently)")
    if fields:
        tries.append("read every text field (drop --fields)")
    if not ignore_case and any(ch.isalpha() and ch.isascii() for ch in query):
        tries.append("--ignore-case")
    tries.append("a shorter term or a traditional-script variant (繁体), or --regex")
    where = f"the text fields {', '.join(fields)}" if fields else "any text field"
    return (f"没有命中：{n_docs} 篇文档中均未找到“{query}” / 0 hits: {query!r} ({mode} search) does not occur in "
            f"{where} of the {n_docs} selected documents; try " + "; ".join(tries))


def sort_kwic(table: pd.DataFrame, sort: str) -> pd.DataFrame:
    """Sort concordance lines; left context sorts by its characters read right to left."""
    position = ["doc_id", "para_no", "start"]
    if sort == "position":
        keys = position
    elif sort == "year":
        keys = ["year", *position]
    elif sort == "left":
        table = table.assign(_key=table["left"].map(lambda s: s[::-1]))
        keys = ["_key", *position]
    else:
        keys = [sort, *position]
    table = table.sort_values(keys, kind="mergesort").reset_index(drop=True)
    return table.drop(columns=["_key"], errors="ignore")


def _hits(store: CorpusDB, docs: pd.DataFrame, pattern: re.Pattern[str], window: int, fields: tuple[str, ...],
          whole_tokens: bool) -> Iterator[tuple]:
    for batch in iter_unit_batches(store.con, docs, fields, ("field", "section_title", "text")):
        bounds = _token_bounds(store, batch) if whole_tokens else {}
        for doc_id, para_no, field, section_title, text in batch:
            text = text or ""
            for m in pattern.finditer(text):
                if m.end() == m.start():
                    continue  # an empty match (a regex such as 'x*') is no hit
                if whole_tokens:
                    starts, ends = bounds.get((doc_id, para_no), (set(), set()))
                    if m.start() not in starts or m.end() not in ends:
                        continue
                yield (doc_id, para_no, field, section_title, m.start(), m.end(),
                       text[max(0, m.start() - window):m.start()], m.group(0), text[m.end():m.end() + window])


def _token_bounds(store: CorpusDB, batch: list[tuple]) -> dict[tuple[str, int], tuple[set[int], set[int]]]:
    """Token start and end offsets of the paragraphs in ``batch``."""
    keys = pd.DataFrame({"doc_id": [r[0] for r in batch], "para_no": [r[1] for r in batch]})
    # A second cursor: the main cursor is still streaming paragraphs.
    cur = store.con.cursor()
    try:
        cur.register("kwic_paras", keys)
        rows = cur.execute(
            "SELECT t.doc_id, t.para_no, t.start, t.start + length(t.token) FROM tokens t "
            "JOIN kwic_paras k ON k.doc_id = t.doc_id AND k.para_no = t.para_no"
        ).fetchall()
    finally:
        cur.close()
    out: dict[tuple[str, int], tuple[set[int], set[int]]] = {}
    for doc_id, para_no, start, end in rows:
        starts, ends = out.setdefault((doc_id, para_no), (set(), set()))
        starts.add(start)
        ends.add(end)
    return out
