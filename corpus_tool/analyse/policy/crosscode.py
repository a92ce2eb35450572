"""Two-dimensional coding: the cross table of two coding dictionaries (e.g. policy instrument × innovation-chain
stage) over coding units, with every unit behind every cell as evidence.

* **Units**: ``paragraph`` — one stored text unit (in policy documents usually one provision, 条款/条目);
  ``sentence`` — a paragraph cut after 。！？；!?; (the mark stays with its sentence). Only the text fields in
  ``fields`` are units (default: body text, so a heading is not counted again with the provision under it).
* **Matching**: as :mod:`corpus_tool.analyse.coding` — entries match on the text itself, longest term first
  within a code, exclusions veto overlapping matches.
* **Multi-label**: a unit that matches X codes {a, b} and Y codes {c} is counted in every cell it matches,
  (a, c) and (b, c); so the cells add up to unit–cell assignments, not to units (``units_in_cells`` in the
  parameters counts distinct units). Each cell's count is the number of its evidence rows.
* **Shares**: ``row_share`` = cell / its X code's total over all Y codes; ``col_share`` = cell / its Y code's
  total; ``share`` = cell / all cells. ``matrix`` adds a 小计 subtotal row per X category and a 合计 total.
* **Per-document normalisation** (``normalise="document"``): ``doc_weighted`` gives every document a weight of
  1 shared equally among its evidence rows, so long documents do not dominate.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from corpus_tool.analyse.coding import Dictionary, _compile, load_dictionary, match_text
from corpus_tool.analyse.meaning.base import split_sentences
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import TEXT_FIELDS, Selection, add_citation, iter_unit_batches
from corpus_tool.store.db import CorpusDB

UNITS = ("paragraph", "sentence")
NORMALISE = ("none", "document")
BUILTIN = {"starter": "policy_instruments.yaml", "policy_instruments": "policy_instruments.yaml",
           "innovation_chain": "innovation_chain.yaml"}
CELL_COLUMNS = ["x_category", "x_code", "x_label", "y_category", "y_code", "y_label", "units", "documents",
                "row_share", "col_share", "share"]
EVIDENCE_COLUMNS = ["doc_id", "title", "year", "date", "issuer", "unit_id", "para_no", "sentence_no", "field",
                    "x_category", "x_code", "x_terms", "y_category", "y_code", "y_terms", "text"]
TOTAL = "合计 total"
SUBTOTAL = "小计 subtotal"


def dictionary_path(name: str | Path) -> Path:
    """A dictionary file, or a shipped one by name (``starter``, ``innovation_chain``)."""
    if isinstance(name, str) and name in BUILTIN:
        return Path(str(resources.files("corpus_tool.analyse.data").joinpath(BUILTIN[name])))
    if not Path(name).exists():
        raise ValueError(f"词典文件不存在 / dictionary file not found: {name} (内置词典 / shipped by name: "
                         f"{', '.join(BUILTIN)})")
    return Path(name)


def _load(d: Dictionary | str | Path) -> Dictionary:
    return d if isinstance(d, Dictionary) else load_dictionary(dictionary_path(d))


def split_units(text: str, unit: str) -> list[tuple[int | None, str]]:
    """(sentence number or None, text) of the units of one paragraph."""
    if unit == "paragraph":
        return [(None, text)]
    return list(enumerate(split_sentences(text), 1))  # the sentences compare and the token analyses use


def crosscode(
    db: str | Path | CorpusDB,
    x: Dictionary | str | Path = "starter",
    y: Dictionary | str | Path = "innovation_chain",
    *,
    unit: str = "paragraph",
    fields: tuple[str, ...] = ("body",),
    normalise: str = "none",
    where: str | None = None,
    include_duplicates: bool = False,
) -> AnalysisResult:
    """Cells (``table``: one row per X code × Y code, zeros included), ``tables["matrix"]`` (X codes by rows with
    category subtotals, Y codes by columns) and ``tables["evidence"]`` (one row per unit and cell)."""
    if unit not in UNITS:
        raise ValueError(f"未知单元 / unknown unit {unit!r}; choose {', '.join(UNITS)}")
    if normalise not in NORMALISE:
        raise ValueError(f"normalise must be one of {', '.join(NORMALISE)}, not {normalise!r}")
    bad = [f for f in fields if f not in TEXT_FIELDS]
    if bad:
        raise ValueError(f"unknown text field(s) {bad}; choose from {', '.join(TEXT_FIELDS)}")
    dx, dy = _load(x), _load(y)
    cx = [(c, *_compile(c)) for c in dx.codes]
    cy = [(c, *_compile(c)) for c in dy.codes]
    selection = Selection(where, include_duplicates)
    with analysis_context(db, selection, need_tokens=False) as ctx:
        rows: list[tuple] = []
        n_units = with_x = with_y = 0
        for batch in iter_unit_batches(ctx.store.con, ctx.docs, fields, ("field", "text")):
            for doc_id, para_no, field, text in batch:
                for sent_no, part in split_units(text or "", unit):
                    n_units += 1
                    mx, my = _codes(part, cx), _codes(part, cy)
                    with_x += bool(mx)
                    with_y += bool(my)
                    uid = f"p{para_no}" + (f".s{sent_no}" if sent_no is not None else "")
                    for xc, xt in mx.items():
                        for yc, yt in my.items():
                            rows.append((doc_id, uid, para_no, sent_no, field, xc, xt, yc, yt, part))
        evidence = _evidence(rows, dx, dy, ctx.store)
        cells = cell_table(evidence, dx, dy, normalise)
        matrix = matrix_table(cells, dx, dy)
        in_cells = int(evidence[["doc_id", "unit_id"]].drop_duplicates().shape[0]) if len(evidence) else 0
        params = {"x": dx.to_dict(), "y": dy.to_dict(), "unit": unit, "fields": list(fields) or list(TEXT_FIELDS),
                  "multi_label": True, "normalise": normalise, **selection.to_dict(), "units_scanned": n_units,
                  "units_with_x": with_x, "units_with_y": with_y, "units_in_cells": in_cells,
                  "assignments": len(evidence)}
        shared = sorted({t for c in dx.codes for t in c.terms} & {t for c in dy.codes for t in c.terms})
        params["shared_terms"] = shared
        warnings = list(ctx.warnings)
        if shared:
            warnings.append(f"两个词典共有 {len(shared)} 个词条，单个词即可使一个单元同时进入两个维度 / "
                            f"{len(shared)} terms are in both dictionaries, so one phrase codes a unit on both axes: "
                            f"{'、'.join(shared[:12])}"
                            + (" …" if len(shared) > 12 else ""))
        traditional = _traditional_documents(ctx.store.con, ctx.docs)
        params["traditional_documents"] = len(traditional)
        if traditional:
            # Entries match the stored text, as `corpus-tool code` does: a dictionary in simplified characters
            # misses 發展 in a document stored in traditional ones, so its cells undercount it.
            warnings.append(f"{len(traditional)} 篇文档以繁体（或繁简混合）存储，简体词条在其中可能匹配不到 / "
                            f"{len(traditional)} documents are stored in traditional (or mixed) characters, where "
                            "simplified entries may not match: " + "; ".join(traditional[:5])
                            + (" …" if len(traditional) > 5 else ""))
        if evidence.empty:
            warnings.append(f"0 个单元同时命中两个词典 / no {unit} of the {len(ctx.docs)} documents matches both "
                            f"dictionaries ({with_x} units match {dx.name!r}, {with_y} match {dy.name!r})")
        return AnalysisResult("crosscode", cells, params, ctx.corpus, ctx.segmentation,
                              tables={"matrix": matrix, "evidence": evidence}, warnings=warnings)


def _traditional_documents(con, docs: pd.DataFrame) -> list[str]:  # type: ignore[no-untyped-def]
    """"title (doc_id prefix)" of the selected documents whose script ingest found traditional or mixed."""
    cur = con.cursor()
    try:
        cur.register("sel_docs", docs[["doc_id"]].copy())
        rows = cur.execute("SELECT d.doc_id, coalesce(d.title, '') FROM documents d JOIN sel_docs USING (doc_id) "
                           "WHERE d.script IN ('traditional', 'mixed') ORDER BY d.year NULLS LAST, d.doc_id").fetchall()
    finally:
        cur.close()
    return [f"{title[:30]} ({doc_id[:8]})" for doc_id, title in rows]


def _codes(text: str, compiled: list) -> dict[str, str]:
    """code → the text its entries matched in ``text`` (distinct, in order of appearance, joined by '；'; a
    pattern's match, not the pattern), codes in dictionary order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for code, _, start, end in match_text(text, compiled):
        found.setdefault(code.code, []).append((start, text[start:end]))
    order = [c.code for c, *_ in compiled]
    return {c: "；".join(dict.fromkeys(e for _, e in sorted(found[c]))) for c in order if c in found}


def _evidence(rows: list[tuple], dx: Dictionary, dy: Dictionary, store: CorpusDB) -> pd.DataFrame:
    ev = pd.DataFrame(rows, columns=["doc_id", "unit_id", "para_no", "sentence_no", "field", "x_code", "x_terms",
                                     "y_code", "y_terms", "text"])
    ev["sentence_no"] = ev["sentence_no"].astype("Int64")
    ev["x_category"] = ev["x_code"].map({c.code: c.category for c in dx.codes})
    ev["y_category"] = ev["y_code"].map({c.code: c.category for c in dy.codes})
    ev = add_citation(ev, store.con)
    return ev[EVIDENCE_COLUMNS].reset_index(drop=True)  # rows already in reading order, codes in dictionary order


def cell_table(evidence: pd.DataFrame, dx: Dictionary, dy: Dictionary, normalise: str = "none") -> pd.DataFrame:
    """One row per X code × Y code (dictionary order, zeros included): units (= evidence rows), documents, shares."""
    xs = pd.DataFrame([(c.category, c.code, c.label) for c in dx.codes], columns=["x_category", "x_code", "x_label"])
    ys = pd.DataFrame([(c.category, c.code, c.label) for c in dy.codes], columns=["y_category", "y_code", "y_label"])
    grid = xs.merge(ys, how="cross")
    agg = evidence.groupby(["x_code", "y_code"]).agg(units=("doc_id", "size"), documents=("doc_id", "nunique"))
    cells = grid.merge(agg.reset_index(), on=["x_code", "y_code"], how="left")
    cells[["units", "documents"]] = cells[["units", "documents"]].fillna(0).astype("int64")
    row = cells.groupby("x_code")["units"].transform("sum")
    col = cells.groupby("y_code")["units"].transform("sum")
    total = cells["units"].sum()
    cells["row_share"] = (cells["units"] / row.where(row > 0)).astype("float64")
    cells["col_share"] = (cells["units"] / col.where(col > 0)).astype("float64")
    cells["share"] = cells["units"] / total if total else float("nan")
    columns = list(CELL_COLUMNS)
    if normalise == "document":
        weight = 1.0 / evidence.groupby("doc_id")["doc_id"].transform("size")
        w = evidence.assign(w=weight).groupby(["x_code", "y_code"])["w"].sum()
        cells = cells.merge(w.rename("doc_weighted").reset_index(), on=["x_code", "y_code"], how="left")
        cells["doc_weighted"] = cells["doc_weighted"].fillna(0.0)
        columns.append("doc_weighted")
    return cells[columns].reset_index(drop=True)


def matrix_table(cells: pd.DataFrame, dx: Dictionary, dy: Dictionary, value: str = "units") -> pd.DataFrame:
    """X codes by rows (a 小计 subtotal row after each X category, a 合计 total row), Y codes by columns (labels)."""
    ycols = [c.label or c.code for c in dy.codes]
    wide = cells.pivot(index="x_code", columns="y_code", values=value).reindex(
        index=[c.code for c in dx.codes], columns=[c.code for c in dy.codes]).fillna(0)
    wide.columns = ycols
    wide[TOTAL] = wide.sum(axis=1)
    lab = {c.code: (c.category, c.label) for c in dx.codes}
    out = []
    for category in dict.fromkeys(c.category for c in dx.codes):
        codes = [c.code for c in dx.codes if c.category == category]
        for code in codes:
            out.append({"x_category": category, "x_code": code, "x_label": lab[code][1], **wide.loc[code].to_dict()})
        out.append({"x_category": category, "x_code": SUBTOTAL, "x_label": SUBTOTAL,
                    **wide.loc[codes].sum().to_dict()})
    out.append({"x_category": TOTAL, "x_code": TOTAL, "x_label": TOTAL, **wide.sum().to_dict()})
    matrix = pd.DataFrame(out, columns=["x_category", "x_code", "x_label", *ycols, TOTAL])
    if value == "units":
        matrix[[*ycols, TOTAL]] = matrix[[*ycols, TOTAL]].astype("int64")
    return matrix
