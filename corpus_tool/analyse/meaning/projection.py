"""Semantic projection: documents and groups placed on concept axes drawn between two pole word lists.

An axis (Kozlowski, Taddy & Evans 2019; Grand et al. 2022; cntext ``generate_concept_axis``) is the mean
of the unit vectors of the positive pole words minus that of the negative ones, normalised: 政府 ↔ 市场
gives positive scores to text nearer 政府. A unit's score is the mean cosine between its counted tokens
known to the model and the axis (cosine, not raw projection, so frequent words with long vectors do not
dominate; stopwords are out of the counted tokens). Pole words are left out of the scored tokens, so a
score never just counts the pole words themselves.

The interval resamples the pole words: ``n_boot`` times each pole list is drawn with replacement, the
axis rebuilt and every score recomputed; ``lower``/``upper`` are the 2.5 % and 97.5 % quantiles. It says
how much a score depends on the choice of pole words, not sampling error of the documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.meaning.base import read_tokens
from corpus_tool.analyse.result import AnalysisResult, analysis_context
from corpus_tool.analyse.units import DOCUMENT, Selection, TokenFilter, ensure_by, group_column_name, group_order
from corpus_tool.store.db import CorpusDB

COLUMNS = ["axis", "score", "lower", "upper", "tokens_used", "tokens", "coverage"]
POLE_COLUMNS = ["axis", "pole", "word", "in_model", "cosine_to_axis"]


def parse_axis(text: str) -> tuple[str, list[str], list[str]]:
    """``"政府,国有 - 市场,民营"`` (also ↔ or <->) → (name, positive words, negative words)."""
    for sep in ("↔", "<->", " - ", "|"):
        if sep in text:
            left, right = text.split(sep, 1)
            break
    else:
        raise ValueError(f"轴的写法应为 “正极词 ↔ 负极词” / write an axis as 'pos,words ↔ neg,words': {text!r}")

    def words(part: str) -> list[str]:
        return [w.strip() for w in part.replace("，", ",").replace("、", ",").split(",") if w.strip()]

    pos, neg = words(left), words(right)
    if not pos or not neg:
        raise ValueError(f"两极都需要词 / both poles need words: {text!r}")
    return f"{pos[0]}↔{neg[0]}", pos, neg


def project(db: str | Path | CorpusDB, axes: list[str] | dict[str, tuple[list[str], list[str]]], *,
            by: str | None = "year", model: str = "word2vec", n_boot: int = 200, seed: int = 1,
            where: str | None = None, include_duplicates: bool = False,
            token_filter: TokenFilter | None = None) -> AnalysisResult:
    """Scores of each document (``by="document"``) or group on each axis, with a pole-resampling interval."""
    from corpus_tool.analyse.meaning.embeddings import load_embeddings

    if isinstance(axes, dict):
        parsed = [(name, list(p), list(n)) for name, (p, n) in axes.items()]
    else:
        parsed = [parse_axis(a) for a in axes]
    by = ensure_by(by)
    token_filter = token_filter or TokenFilter()
    selection = Selection(where, include_duplicates, by)
    params: dict[str, Any] = {"axes": {n: {"positive": p, "negative": q} for n, p, q in parsed}, "by": by,
                              "model": model, "n_boot": n_boot, "seed": seed, "token_filter": token_filter.to_dict(),
                              **selection.to_dict()}
    warnings: list[str] = []
    with analysis_context(db, selection, token_filter, count_tokens=False) as ctx:
        emb = load_embeddings(ctx.store, model)
        stream = read_tokens(ctx)
        docs = ctx.docs
        corpus, segmentation = ctx.corpus, ctx.segmentation
    params["model_parameters"] = emb.record["parameters"]
    wv = emb.wv
    # Unit vectors of the stream's terms (zero for terms the model lacks).
    known = np.array([t in wv.key_to_index for t in stream.vocab])
    unit_vecs = np.zeros((len(stream.vocab), wv.vector_size))
    if known.any():
        unit_vecs[known] = wv.get_normed_vectors()[[wv.key_to_index[t] for t in np.asarray(stream.vocab)[known]]]
    gcol = group_column_name(by)
    labels = docs["grp"].to_numpy(object) if gcol else np.array(["all"] * len(docs), dtype=object)
    order = group_order(docs) if gcol else ["all"]
    if by == DOCUMENT:
        order = docs["doc_id"].tolist()
    group_of = pd.Index(order).get_indexer(labels)
    rng = np.random.default_rng(seed)
    rows, pole_rows = [], []
    for name, pos, neg in parsed:
        missing = [w for w in pos + neg if w not in wv.key_to_index]
        if missing:
            warnings.append(f"轴 {name}：模型中没有 / axis {name}: not in the model: {', '.join(missing)}")
        p_vecs = np.array([wv.get_vector(w, norm=True) for w in pos if w in wv.key_to_index])
        n_vecs = np.array([wv.get_vector(w, norm=True) for w in neg if w in wv.key_to_index])
        if not len(p_vecs) or not len(n_vecs):
            raise ValueError(f"轴 {name} 的一极没有模型认识的词 / a pole of axis {name} has no word the model knows")
        axis = _axis(p_vecs, n_vecs)
        boot = np.array([_axis(p_vecs[rng.integers(0, len(p_vecs), len(p_vecs))],
                               n_vecs[rng.integers(0, len(n_vecs), len(n_vecs))]) for _ in range(n_boot)])
        for pole, words in (("positive", pos), ("negative", neg)):
            for w in words:
                ok = w in wv.key_to_index
                pole_rows.append((name, pole, w, ok, float(wv.get_vector(w, norm=True) @ axis) if ok else np.nan))
        poles = set(pos) | set(neg)
        use = known[stream.term] & ~np.isin(np.asarray(stream.vocab, dtype=object)[stream.term], list(poles))
        g = group_of[stream.doc]
        n_groups = len(order)
        sums = np.zeros((n_groups, wv.vector_size))
        np.add.at(sums, g[use], unit_vecs[stream.term[use]])
        used = np.bincount(g[use], minlength=n_groups)
        total = np.bincount(g, minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums / used[:, None]
        score = means @ axis
        boots = means @ boot.T if n_boot else np.full((n_groups, 1), np.nan)
        lower = np.nanquantile(boots, 0.025, axis=1) if n_boot else np.full(n_groups, np.nan)
        upper = np.nanquantile(boots, 0.975, axis=1) if n_boot else np.full(n_groups, np.nan)
        for i, label in enumerate(order):
            rows.append((label, name, float(score[i]), float(lower[i]), float(upper[i]), int(used[i]), int(total[i]),
                         float(used[i] / total[i]) if total[i] else np.nan))
    key = gcol or "group"
    table = pd.DataFrame(rows, columns=[key, *COLUMNS])
    if gcol and gcol != "doc_id":
        typed = docs.drop_duplicates("grp").set_index("grp")["group"]
        table[key] = table[key].map(typed).astype(typed.dtype)
    if by == DOCUMENT:
        table.insert(1, "title", table["doc_id"].map(docs.set_index("doc_id")["title"]))
    table = table.sort_values(["axis", key], kind="mergesort").reset_index(drop=True) if by != DOCUMENT else table
    result = AnalysisResult("project", table, params, corpus, segmentation,
                            tables={"poles": pd.DataFrame(pole_rows, columns=POLE_COLUMNS)})
    result.warnings = warnings
    return result


def _axis(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    a = pos.mean(axis=0) - neg.mean(axis=0)
    norm = np.linalg.norm(a)
    return a / norm if norm else a
