"""The tables of a topic model, and an offline pyLDAvis page with the same topic ids.

Tables are plain DataFrames with fixed columns and a deterministic row order; topic ids are 1..K in the
order set by :func:`corpus_tool.analyse.topics.run.order_topics`, the same in every table and on the page.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corpus_tool.analyse.topics import coherence

# Chinese headers for --zh-headers (shared names such as doc_id and term come from export.headers).
TOPIC_ZH_HEADERS: dict[str, str] = {
    "topic": "主题", "rank": "排名", "term": "词语", "weight": "权重", "relevance": "相关度(λ)",
    "label": "主题标签", "terms": "主题词", "share": "占比", "lower": "95%区间下限", "upper": "95%区间上限",
    "n_documents": "文档数", "n_units": "单元数", "n_terms": "词数", "dominant_units": "以此为主的单元数",
    "npmi": "NPMI一致性", "npmi_sd": "NPMI标准差", "c_v": "C_V一致性", "umass": "UMass一致性",
    "diversity": "主题多样性", "perplexity": "困惑度", "init_stability": "随机初始化间稳定性",
    "bootstrap_stability": "文档自助重抽样稳定性", "init": "初始化", "k": "主题数k", "seed": "随机种子",
    "seeds": "种子数",
    "n_iter": "迭代次数", "recommended": "推荐", "text": "段落文本",
}


def topic_terms_table(topic_term: np.ndarray, term_prob: np.ndarray, vocab: list[str], *, lam: float,
                      n: int) -> pd.DataFrame:
    """``topic, rank, term, weight, relevance``: each topic's top ``n`` terms by relevance.

    ``weight`` is φ(term | topic), the term's share of the topic (rows of the topic-term matrix sum to 1).
    """
    ranked = coherence.rank_terms(topic_term, term_prob, lam, n=n)
    rel = coherence.relevance(topic_term, term_prob, lam)
    rows = []
    for k, terms in enumerate(ranked):
        for r, t in enumerate(terms, 1):
            if topic_term[k, t] <= 0:
                break
            rows.append((k + 1, r, vocab[t], float(topic_term[k, t]), float(rel[k, t])))
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "relevance"])


def topic_labels_table(topic_terms: pd.DataFrame, shares: np.ndarray, dominant: np.ndarray,
                       metrics: dict[str, np.ndarray]) -> pd.DataFrame:
    """``topic, label, terms, share, dominant_units`` and per-topic coherence.

    ``label``: the three most relevant terms; ``terms``: the top ten; ``share``: the topic's share of all
    counted tokens; ``dominant_units``: units whose largest topic this is.
    """
    K = len(shares)
    grouped = {k: g["term"].tolist() for k, g in topic_terms.groupby("topic", sort=True)}
    out = pd.DataFrame({
        "topic": np.arange(1, K + 1),
        "label": ["、".join(grouped.get(k, [])[:3]) for k in range(1, K + 1)],
        "terms": [" ".join(grouped.get(k, [])[:10]) for k in range(1, K + 1)],
        "share": shares,
        "dominant_units": dominant.astype(np.int64),
    })
    for name in ("npmi", "c_v", "umass"):
        values = metrics.get(name)
        out[name] = values if values is not None else np.nan
    return out


def doc_topics_table(units: pd.DataFrame, doc_topic: np.ndarray, unit: str) -> pd.DataFrame:
    """Long form ``doc_id, [para_no,] topic, weight``: every unit's share of every topic."""
    n, K = doc_topic.shape
    out = pd.DataFrame({
        "doc_id": np.repeat(units["doc_id"].to_numpy(dtype=object), K),
        "para_no": np.repeat(units["para_no"].to_numpy(), K),
        "topic": np.tile(np.arange(1, K + 1), n),
        "weight": doc_topic.reshape(-1),
    })
    if unit == "document":
        out = out.drop(columns="para_no")
    else:
        out["para_no"] = out["para_no"].astype("Int64")
    return out


def representative_rows(units: pd.DataFrame, doc_topic: np.ndarray, n: int) -> pd.DataFrame:
    """The ``n`` units with the highest share of each topic, as stm's findThoughts.

    Only units at least as long as the median unit (in counted tokens) qualify: NMF gives a share of
    exactly 1 to many three-word paragraphs, on too little evidence to show what a topic is about.
    Ties go to the longer unit, then to document order.
    """
    rows = []
    n_terms = units["n_terms"].to_numpy()
    eligible = n_terms >= np.median(n_terms)
    position = np.arange(len(units))
    for k in range(doc_topic.shape[1]):
        weights = np.where(eligible, doc_topic[:, k], -1.0)
        order = np.lexsort((position, -n_terms, -weights))
        for r, i in enumerate(order[:n], 1):
            if weights[i] <= 0:
                break
            rows.append({"topic": k + 1, "rank": r, "doc_id": units["doc_id"].iloc[i],
                         "para_no": units["para_no"].iloc[i], "weight": float(weights[i]),
                         "n_terms": int(n_terms[i])})
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "para_no", "weight", "n_terms"])


def ldavis_html(topic_term: np.ndarray, doc_topic: np.ndarray, doc_lengths: np.ndarray, vocab: list[str],
                term_frequency: np.ndarray, *, lam: float = coherence.DEFAULT_LAMBDA,
                title: str = "主题模型 / topic model") -> str:
    """A self-contained pyLDAvis page: d3 and LDAvis JS/CSS inlined from the pyLDAvis package (no network).

    Topics keep their ids (``sort_topics=False``, ids from 1), so "topic 3" on the page is topic 3 in
    every table; the relevance slider starts at ``lam``, the λ used to rank ``topic_terms``.
    """
    import pyLDAvis

    theta = np.asarray(doc_topic, dtype=np.float64).copy()
    empty = theta.sum(axis=1) <= 0
    theta[empty] = 1.0 / theta.shape[1]  # pyLDAvis needs distributions; such units only weigh topic sizes
    # NMF gives many terms exactly zero weight in a topic: pyLDAvis takes their log (−inf, never shown).
    with np.errstate(divide="ignore", invalid="ignore"):
        prepared = _prepare(pyLDAvis, topic_term, theta, doc_lengths, vocab, term_frequency)
    data = json.loads(prepared.to_json())
    js = resources.files("pyLDAvis").joinpath("js")
    d3 = js.joinpath("d3.v5.min.js").read_text("utf-8")
    ldavis = js.joinpath("ldavis.v3.0.0.js").read_text("utf-8")
    css = js.joinpath("ldavis.v1.0.0.css").read_text("utf-8")
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{_escape(title)}</title>
<style>
{css}
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 1em; }}
.note {{ color: #444; font-size: 13px; max-width: 1200px; }}
</style>
<script>
{d3}
</script>
<script>
{ldavis}
</script>
</head>
<body>
<h2>{_escape(title)}</h2>
<p class="note">主题编号与 topic_terms、doc_topics、topic_labels 等表相同；相关度 λ 初始为 {lam:g}，与 topic_terms
的排序一致。本页不需联网。/ Topic numbers are those of the tables; the relevance slider starts at λ = {lam:g},
the ranking of topic_terms. This page works offline.</p>
<div id="ldavis_topics" style="background-color:white;"></div>
<script>
if (!location.hash) {{ location.hash = "#topic=0&lambda={lam:g}&term="; }}
new LDAvis("#ldavis_topics", {payload});
</script>
</body>
</html>
"""


def _prepare(pyldavis: Any, topic_term: np.ndarray, theta: np.ndarray, doc_lengths: np.ndarray,
             vocab: list[str], term_frequency: np.ndarray) -> Any:
    """pyLDAvis's data with our topic ids (no re-sorting, ids from 1), in one process."""
    return pyldavis.prepare(
        topic_term_dists=np.asarray(topic_term, dtype=np.float64), doc_topic_dists=theta,
        doc_lengths=np.asarray(doc_lengths, dtype=np.float64), vocab=list(vocab),
        term_frequency=np.asarray(term_frequency, dtype=np.float64), R=30, lambda_step=0.01, mds="pcoa",
        n_jobs=1, sort_topics=False, start_index=1,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_name(field: str) -> str:
    """A field name usable in a file name (manifest fields may hold any characters)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in field.strip())
    return cleaned or "field"


def output_paths(out_dir: str | Path, names: list[str], fmt: str) -> dict[str, Path]:
    out_dir = Path(out_dir)
    return {name: out_dir / f"{name}.{fmt.lstrip('.')}" for name in names}
