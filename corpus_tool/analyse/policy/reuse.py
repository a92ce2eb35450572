"""Text reuse and diffusion: passages one document shares with another, their direction, and who copies whom.

Candidates come from character n-gram shingles (:mod:`~corpus_tool.analyse.policy.shingles`: an inverted index,
never every pair), the exact extent of each passage from a local alignment
(:mod:`~corpus_tool.analyse.policy.align`).

Direction: from the documents' dates (``documents.date``, else ``year``), compared at the precision both
have (2022-05-03 vs 2022: the year only). The earlier document is the source (``direction`` = ``directed``);
equal dates (``same_date``) or a missing date (``unknown_date``) leave the pair undirected, and its
``source_doc_id`` is then simply the smaller doc_id, said so in ``direction``.

Kinds: ``forwarded`` (the pair is in the ``relations`` table: 转发/印发/批转 of a document in the corpus),
``duplicate`` (one document is the other's near duplicate, ``documents.canonical_id``), ``whole`` (at least
``WHOLE_SHARE`` of one document lies in passages shared with the other: a re-publication, a revised version, one
document reproduced in another — ingest keeps two years' identical texts apart as versions), otherwise ``partial``.
Near duplicates are left out of the selection unless ``include_duplicates``; their pairs are still listed
(kind ``duplicate``, without passages, ``dedup_similarity`` the MinHash estimate stored at ingest) when the
canonical document is selected.

Boilerplate: ``docs_sharing`` is the median, over the n-grams both sides of a passage hold, of the number of
selected documents holding the n-gram, i.e. how many documents hold (most of) the passage. A passage shared by at least
``boilerplate_docs`` documents is flagged ``boilerplate`` (为贯彻落实…, 各省、自治区、直辖市人民政府…) and its
``weight`` is 1 / (docs_sharing − 1): 1 for a passage only this pair shares.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.policy.align import Passage, align
from corpus_tool.analyse.policy.shingles import DocIndex, DocText, candidate_pairs, shingle_hashes, skeleton
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import MISSING_GROUP, Selection, iter_unit_batches, select_documents
from corpus_tool.store.db import CorpusDB

DEFAULT_FIELDS = ("heading", "body")
PASSAGE_COLUMNS = [
    "source_doc_id", "target_doc_id", "direction", "kind", "length", "similarity", "docs_sharing", "boilerplate",
    "weight", "source_text", "target_text", "source_para_start", "source_offset_start", "source_para_end",
    "source_offset_end", "target_para_start", "target_offset_start", "target_para_end", "target_offset_end",
    "source_date", "target_date", "source_issuer", "target_issuer", "source_title", "target_title",
]
PAIR_COLUMNS = [
    "source_doc_id", "target_doc_id", "direction", "kind", "passages", "boilerplate_passages", "source_chars",
    "source_share", "target_chars", "target_share", "target_share_non_boilerplate", "shared_shingles",
    "dedup_similarity", "source_date", "target_date", "source_issuer", "target_issuer", "source_title", "target_title",
]
ISSUER_COLUMNS = ["source_issuer", "target_issuer", "pairs", "partial_pairs", "whole_pairs", "forwarded_pairs",
                  "duplicate_pairs", "passages", "non_boilerplate_passages", "target_chars", "source_documents",
                  "target_documents"]
# A pair in which this share of one document lies in shared passages is whole-document reuse, not partial.
WHOLE_SHARE = 0.9
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def reuse(db: str | Path | CorpusDB, *, n: int = 10, min_length: int = 30, min_similarity: float = 0.8,
          max_gap: int = 20, max_df: int = 100, min_shared: int = 5, max_repeat: int = 10, snap: int = 10,
          boilerplate_docs: int = 10, source_where: str | None = None, target_where: str | None = None,
          issuer_field: str = "issuer", fields: tuple[str, ...] = DEFAULT_FIELDS, where: str | None = None,
          include_duplicates: bool = False) -> AnalysisResult:
    """Shared passages (``table``), document pairs (``tables["pairs"]``) and the issuer network
    (``tables["issuers"]``: directed edges source issuer → target issuer) of the selected documents."""
    if n < 2:
        raise ValueError("n-gram 长度至少为 2 / n must be at least 2")
    if min_length < n:
        raise ValueError(f"最短文段（{min_length}）不能短于 n-gram（{n}）/ min_length must be at least n")
    if not 0 < min_similarity <= 1:
        raise ValueError("min_similarity 应在 (0, 1] 之间 / must be in (0, 1]")
    selection = Selection(where, include_duplicates)
    params = {"n": n, "min_length": min_length, "min_similarity": min_similarity, "max_gap": max_gap,
              "max_df": max_df, "min_shared": min_shared, "max_repeat": max_repeat, "snap": snap,
              "boilerplate_docs": boilerplate_docs, "whole_share": WHOLE_SHARE,
              "source_where": source_where, "target_where": target_where,
              "issuer_field": issuer_field, "fields": list(fields), **selection.to_dict()}
    warnings: list[str] = []
    with analysis_context(db, selection, need_tokens=False) as ctx:
        con = ctx.store.con
        docs = _doc_info(con, ctx.docs, issuer_field)
        side = _sides(con, docs, source_where, target_where, include_duplicates)
        if side is not None:  # documents on neither side take no part
            docs = docs[side >= 0].reset_index(drop=True)
            side = side[side >= 0]
        texts = _texts(con, docs, fields)
        relations = _relations(con)
        duplicates = _duplicates(con, docs)
        outside = sorted({d for key in duplicates for d in key} - set(docs["doc_id"]))
        # Near duplicates left out of the selection still get their dates and issuers in the pairs table.
        listed = pd.concat([docs, _doc_info(con, pd.DataFrame({"doc_id": outside}), issuer_field)],
                           ignore_index=True) if outside else docs
        corpus = ctx.corpus
        warnings += ctx.warnings
    empty = [d.doc_id for d in texts if len(d) < min_length]
    if empty:
        warnings.append(f"{len(empty)} 篇文档的文本短于 {min_length} 字，无法比对 / {len(empty)} documents have "
                        f"fewer than {min_length} characters of text in {', '.join(fields)} and cannot share a "
                        f"passage: {', '.join(empty[:5])}{' …' if len(empty) > 5 else ''}")
    hashes = [shingle_hashes(t.codes(), n) for t in texts]
    cand, index, counts = candidate_pairs(hashes, max_df=max_df, min_shared=min_shared, side=side)
    indexes = [DocIndex.build(h, max_repeat, index) for h in hashes]
    del hashes  # positions are in the indexes; a passage's n-grams are hashed again from its text
    rows: list[dict[str, Any]] = []
    pair_rows: list[dict[str, Any]] = []
    info = listed.set_index("doc_id")
    for a_i, b_i, shared in cand.itertuples(index=False):
        a, b = texts[a_i], texts[b_i]
        passages = align(a, b, indexes[a_i], indexes[b_i], n=n, min_length=min_length, min_similarity=min_similarity,
                         max_gap=max_gap, snap=snap)
        if not passages:
            continue
        src, tgt, direction = _direction(info, a.doc_id, b.doc_id)
        swap = src != a.doc_id
        kind = _kind(a.doc_id, b.doc_id, relations, duplicates)
        prow = _passage_rows(passages, a, b, index, swap=swap, n=n, boilerplate_docs=boilerplate_docs)
        for r in prow:
            r.update(source_doc_id=src, target_doc_id=tgt, direction=direction, kind=kind)
        pair = _pair_row(prow, texts[b_i] if swap else a, a if swap else texts[b_i], src, tgt, direction, kind,
                         int(shared))
        if kind == "partial" and max(pair["source_share"], pair["target_share"]) >= WHOLE_SHARE:
            pair["kind"] = "whole"
            for r in prow:
                r["kind"] = "whole"
        rows += prow
        pair_rows.append(pair)
    pair_rows += _listed_duplicates(duplicates, info, pair_rows)
    table = _finish(pd.DataFrame(rows), PASSAGE_COLUMNS, info,
                    ["source_doc_id", "target_doc_id", "source_para_start", "source_offset_start",
                     "target_para_start", "target_offset_start"])
    pairs = _finish(pd.DataFrame(pair_rows), PAIR_COLUMNS, info, ["source_doc_id", "target_doc_id"])
    issuers = issuer_edges(pairs, table)
    whole = int((pairs["kind"] == "whole").sum()) if len(pairs) else 0
    if whole:
        warnings.append(f"{whole} 对文档中一篇至少 {WHOLE_SHARE:.0%} 的文字见于另一篇（整篇复用，kind = whole："
                        "重新发布、修订版或全文收录），请核对其日期 / "
                        f"{whole} document pairs share at least {WHOLE_SHARE:.0%} of one document (kind whole: a "
                        "re-publication, a revised version, one reproduced in the other); check their dates, which "
                        "set the direction")
    undirected = int((pairs["direction"] != "directed").sum()) if len(pairs) else 0
    if undirected:
        warnings.append(f"{undirected} 对文档日期相同或缺失，方向不定，未计入发文机关网络 / {undirected} document "
                        "pairs have the same or no date: their direction is unknown and they are not in the "
                        "issuer network")
    params.update(counts, candidate_pairs=len(cand), documents_compared=len(texts),
                  pairs_with_passages=int((pairs["passages"] > 0).sum()) if len(pairs) else 0,
                  passages=len(table), side_documents=None if side is None else
                  {"source": int((side == 0).sum()), "target": int((side == 1).sum()), "both": int((side == 2).sum())})
    return AnalysisResult("reuse", table, params, corpus, None, tables={"pairs": pairs, "issuers": issuers},
                          warnings=warnings)


# -- reading the store ----------------------------------------------------------------------------------------
def _doc_info(con: Any, docs: pd.DataFrame, issuer_field: str) -> pd.DataFrame:
    from corpus_tool.analyse.query import field_sql
    from corpus_tool.analyse.units import manifest_fields

    expr, p, _ = field_sql(issuer_field, manifest_fields(con))
    cur = con.cursor()
    try:
        cur.register("sel", docs[["doc_id"]].copy())
        out = cur.execute(f"SELECT d.doc_id, d.date, d.year, CAST({expr} AS VARCHAR) AS issuer, d.title "
                          "FROM documents d JOIN sel USING (doc_id) ORDER BY d.doc_id", p).df()
    finally:
        cur.close()
    out["issuer"] = out["issuer"].where(out["issuer"].notna() & (out["issuer"].astype(str).str.strip() != ""),
                                        MISSING_GROUP)
    out["date"] = [_date_text(d, y) for d, y in zip(out["date"], out["year"], strict=True)]
    return out


def _date_text(date: Any, year: Any) -> str | None:
    if isinstance(date, str) and _DATE_RE.match(date):
        return date
    if year is not None and not pd.isna(year):
        return str(int(year))
    return None


def _sides(con: Any, docs: pd.DataFrame, source_where: str | None, target_where: str | None,
           include_duplicates: bool) -> np.ndarray | None:
    """0 = source side, 1 = target side, 2 = both; None without either filter (every pair)."""
    if not source_where and not target_where:
        return None
    ids = docs["doc_id"].tolist()

    def chosen(expr: str | None) -> set[str]:
        if not expr:
            return set(ids)
        return set(select_documents(con, Selection(expr, include_duplicates))["doc_id"])

    s, t = chosen(source_where), chosen(target_where)
    side = np.array([2 if (d in s and d in t) else 0 if d in s else 1 if d in t else 3 for d in ids], dtype=np.int32)
    if not (side == 0).any() and not (side == 2).any():
        raise ValueError(f"没有文档符合来源组条件 / no selected document matches the sources filter "
                         f"(--sources, source_where): {source_where!r}")
    if not (side == 1).any() and not (side == 2).any():
        raise ValueError(f"没有文档符合目标组条件 / no selected document matches the targets filter "
                         f"(--targets, target_where): {target_where!r}")
    side[side == 3] = -1
    return side


def _texts(con: Any, docs: pd.DataFrame, fields: tuple[str, ...]) -> list[DocText]:
    paras: dict[str, list[tuple[int, str]]] = {d: [] for d in docs["doc_id"]}
    for batch in iter_unit_batches(con, docs, fields, ("text",)):
        for doc_id, para_no, text in batch:
            paras[doc_id].append((int(para_no), text or ""))
    return [skeleton(d, paras[d]) for d in docs["doc_id"]]


def _relations(con: Any) -> set[frozenset[str]]:
    rows = con.execute("SELECT doc_id, target_doc_id FROM relations WHERE target_doc_id IS NOT NULL").fetchall()
    return {frozenset(r) for r in rows if r[0] != r[1]}


def _duplicates(con: Any, docs: pd.DataFrame) -> dict[frozenset[str], float]:
    """Near-duplicate pairs (document, canonical) whose canonical document is selected (similarity as stored)."""
    ids = set(docs["doc_id"])
    rows = con.execute("SELECT doc_id, canonical_id, similarity FROM documents "
                       "WHERE canonical_id IS NOT NULL").fetchall()
    return {frozenset((d, c)): float(s or 0.0) for d, c, s in rows if c in ids}


# -- one pair ---------------------------------------------------------------------------------------------------
def _direction(info: pd.DataFrame, a: str, b: str) -> tuple[str, str, str]:
    da, db_ = _date_key(info.at[a, "date"]), _date_key(info.at[b, "date"])
    if da is None or db_ is None:
        return a, b, "unknown_date"
    k = min(len(da), len(db_))
    if da[:k] == db_[:k]:
        return a, b, "same_date"
    return (a, b, "directed") if da[:k] < db_[:k] else (b, a, "directed")


def _date_key(date: Any) -> tuple[int, ...] | None:
    m = _DATE_RE.match(date) if isinstance(date, str) else None
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g is not None)


def _kind(a: str, b: str, relations: set[frozenset[str]], duplicates: dict[frozenset[str], float]) -> str:
    key = frozenset((a, b))
    if key in relations:
        return "forwarded"
    if key in duplicates:
        return "duplicate"
    return "partial"


def _passage_rows(passages: list[Passage], a: DocText, b: DocText, index: Any, *, swap: bool,
                  n: int, boilerplate_docs: int) -> list[dict[str, Any]]:
    out = []
    codes, codes_b = a.codes(), b.codes()
    for p in passages:
        # Only the n-grams both sides of the passage hold: one that spans into a reworded stretch is in one
        # document only and would pull the median down, so a formula with a differing heading beside it
        # (一、总体要求（一）指导思想 / 总体思路 以习近平新时代…为指导) was not counted as boilerplate.
        grams = np.intersect1d(shingle_hashes(codes[p.a_start:p.a_end], n),
                               shingle_hashes(codes_b[p.b_start:p.b_end], n))
        sharing = int(np.median(index.doc_frequency(grams))) if len(grams) else 2
        sharing = max(sharing, 2)
        sides = [(a, p.a_start, p.a_end), (b, p.b_start, p.b_end)]
        if swap:
            sides.reverse()
        (s, s0, s1), (t, t0, t1) = sides
        out.append({
            "length": min(s1 - s0, t1 - t0), "similarity": round(p.similarity, 4), "docs_sharing": sharing,
            "boilerplate": sharing >= boilerplate_docs, "weight": round(1 / (sharing - 1), 4),
            "source_text": s.text(s0, s1), "target_text": t.text(t0, t1),
            "source_para_start": int(s.para[s0]), "source_offset_start": int(s.offset[s0]),
            "source_para_end": int(s.para[s1 - 1]), "source_offset_end": int(s.offset[s1 - 1]) + 1,
            "target_para_start": int(t.para[t0]), "target_offset_start": int(t.offset[t0]),
            "target_para_end": int(t.para[t1 - 1]), "target_offset_end": int(t.offset[t1 - 1]) + 1,
            "_s": (s0, s1), "_t": (t0, t1),
        })
    return out


def _covered(spans: list[tuple[int, int]]) -> int:
    """Characters covered by the union of half-open spans."""
    total, end = 0, -1
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def _pair_row(rows: list[dict[str, Any]], s: DocText, t: DocText, src: str, tgt: str, direction: str, kind: str,
              shared: int) -> dict[str, Any]:
    s_chars = _covered([r["_s"] for r in rows])
    t_chars = _covered([r["_t"] for r in rows])
    t_nb = _covered([r["_t"] for r in rows if not r["boilerplate"]])
    return {"source_doc_id": src, "target_doc_id": tgt, "direction": direction, "kind": kind,
            "passages": len(rows), "boilerplate_passages": sum(bool(r["boilerplate"]) for r in rows),
            "source_chars": s_chars, "source_share": round(s_chars / len(s), 4) if len(s) else 0.0,
            "target_chars": t_chars, "target_share": round(t_chars / len(t), 4) if len(t) else 0.0,
            "target_share_non_boilerplate": round(t_nb / len(t), 4) if len(t) else 0.0, "shared_shingles": shared,
            "dedup_similarity": None}


def _listed_duplicates(duplicates: dict[frozenset[str], float], info: pd.DataFrame,
                       pair_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Near-duplicate pairs not aligned (the duplicate was left out of the selection): listed, without passages."""
    seen = {frozenset((r["source_doc_id"], r["target_doc_id"])) for r in pair_rows}
    out = []
    for key in sorted(duplicates, key=sorted):
        if key in seen:
            continue
        x, y = sorted(key)
        src, tgt, direction = _direction(info, x, y)
        out.append({"source_doc_id": src, "target_doc_id": tgt, "direction": direction, "kind": "duplicate",
                    "passages": 0, "boilerplate_passages": 0, "source_chars": None, "source_share": None,
                    "target_chars": None, "target_share": None, "target_share_non_boilerplate": None,
                    "shared_shingles": None, "dedup_similarity": round(duplicates[key], 4)})
    return out


def _finish(frame: pd.DataFrame, columns: list[str], info: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=columns)
    for side in ("source", "target"):
        ids = frame[f"{side}_doc_id"]
        for col in ("date", "issuer", "title"):
            frame[f"{side}_{col}"] = ids.map(info[col]) if col in info else None
    frame = frame[columns].sort_values(order, kind="mergesort").reset_index(drop=True)
    return frame


def issuer_edges(pairs: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Directed edges source issuer → target issuer over the directed pairs: pairs by kind, passages, characters."""
    d = pairs[pairs["direction"] == "directed"] if len(pairs) else pairs
    if d.empty:
        return pd.DataFrame(columns=ISSUER_COLUMNS)
    nb = passages[~passages["boilerplate"].astype(bool)] if len(passages) else passages
    nb_count = nb.groupby(["source_doc_id", "target_doc_id"]).size() if len(nb) else pd.Series(dtype=int)
    d = d.assign(non_boilerplate=[int(nb_count.get((s, t), 0)) for s, t in zip(d["source_doc_id"],
                                                                                d["target_doc_id"], strict=True)])
    rows = []
    for (si, ti), g in d.groupby(["source_issuer", "target_issuer"], sort=True):
        rows.append({"source_issuer": si, "target_issuer": ti, "pairs": len(g),
                     "partial_pairs": int((g["kind"] == "partial").sum()),
                     "whole_pairs": int((g["kind"] == "whole").sum()),
                     "forwarded_pairs": int((g["kind"] == "forwarded").sum()),
                     "duplicate_pairs": int((g["kind"] == "duplicate").sum()),
                     "passages": int(g["passages"].sum()),
                     "non_boilerplate_passages": int(g["non_boilerplate"].sum()),
                     "target_chars": int(g["target_chars"].fillna(0).sum()),
                     "source_documents": g["source_doc_id"].nunique(),
                     "target_documents": g["target_doc_id"].nunique()})
    out = pd.DataFrame(rows, columns=ISSUER_COLUMNS)
    return out.sort_values(["pairs", "passages", "source_issuer", "target_issuer"],
                           ascending=[False, False, True, True], kind="mergesort").reset_index(drop=True)


# -- the issuer network as files ------------------------------------------------------------------------------
def issuer_graph(issuers: pd.DataFrame, pairs: pd.DataFrame) -> Any:
    """A directed networkx graph source issuer → target issuer (edge weight: document pairs), for GEXF/GraphML."""
    import networkx as nx

    graph = nx.DiGraph()
    d = pairs[pairs["direction"] == "directed"] if len(pairs) else pairs
    docs: dict[str, set[str]] = {}
    for col in ("source", "target"):
        for issuer, doc in zip(d.get(f"{col}_issuer", []), d.get(f"{col}_doc_id", []), strict=True):
            docs.setdefault(str(issuer), set()).add(str(doc))
    for name in sorted(docs):
        graph.add_node(name, label=name, documents=len(docs[name]))
    for r in issuers.itertuples(index=False):
        graph.add_edge(str(r.source_issuer), str(r.target_issuer), weight=int(r.pairs), pairs=int(r.pairs),
                       passages=int(r.passages), non_boilerplate_passages=int(r.non_boilerplate_passages),
                       target_chars=int(r.target_chars), partial_pairs=int(r.partial_pairs),
                       whole_pairs=int(r.whole_pairs),
                       forwarded_pairs=int(r.forwarded_pairs), duplicate_pairs=int(r.duplicate_pairs))
    return graph


def write_reuse(result: AnalysisResult, out: str | Path, *, graph_dir: str | Path | None = None,
                zh: bool = False, command_line: str | None = None) -> list[Path]:
    """The passages table at ``out`` with ``<stem>.pairs`` and ``<stem>.issuers`` beside it and the run record;
    with ``graph_dir``, also ``issuers.gexf`` and ``issuers.graphml`` (the issuer network) and their record."""
    from corpus_tool.analyse.meaning.network import write_graph
    from corpus_tool.export.runrecord import run_record, write_run_record
    from corpus_tool.export.save import save_result

    paths = save_result(result, out, zh=zh, command_line=command_line)
    if graph_dir is not None:
        folder = Path(graph_dir)
        folder.mkdir(parents=True, exist_ok=True)
        graph = issuer_graph(result.tables["issuers"], result.tables["pairs"])
        gexf, graphml = write_graph(graph, folder, "issuers")
        record = run_record("reuse", result.params, corpus=result.corpus, command_line=command_line,
                            extra={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()})
        paths += [gexf, graphml, write_run_record(gexf, record, outputs=[gexf, graphml])]
    return paths
