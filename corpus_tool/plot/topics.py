"""Topic-model plots: top terms per topic, topic shares over time with intervals, and the k sweep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from corpus_tool.plot.style import (
    BAR_COLOR,
    GRID_COLOR,
    cjk_context,
    colors,
    grid_shape,
    hide_unused,
    new_figure,
    shorten,
)
from corpus_tool.plot.trends import plot_trends


def _require(table: pd.DataFrame, *cols: str | None) -> None:
    for col in cols:
        if col is not None and col not in table.columns:
            raise KeyError(f"column {col!r} not in table (表中没有此列); columns: {', '.join(map(str, table.columns))}")


def _topic_title(topic: object, labels: Mapping[object, str] | None, width: int = 26) -> str:
    label = (labels or {}).get(topic)
    head = f"主题 {topic}"
    return shorten(f"{head} {label}", width) if label else head


def plot_topic_terms(topic_terms: pd.DataFrame, *, topic: str = "topic", term: str = "term",
                     weight: str = "weight", rank: str | None = "rank", n_terms: int = 10,
                     topics: Sequence[object] | None = None,
                     labels: Mapping[object, str] | None = None, ncols: int | None = None,
                     title: str | None = "主题词 / top terms per topic") -> Figure:
    """One small bar chart per topic with its top ``n_terms`` terms (topic numbers as in the table).

    Terms are taken in the order of the ``rank`` column when the table has one (topic_terms ranks by
    relevance), else by ``weight``; bar lengths are the ``weight`` (the term's probability in the topic).
    """
    _require(topic_terms, topic, term, weight)
    order = list(topics) if topics is not None else sorted(topic_terms[topic].unique().tolist())
    nrows, cols = grid_shape(len(order), ncols, max_cols=4)
    with cjk_context():
        fig, axes = new_figure(nrows, cols, figsize=(3.3 * cols, (0.24 * n_terms + 0.9) * nrows))
        flat = axes.ravel()
        for ax, t in zip(flat, order, strict=False):
            rows = topic_terms[topic_terms[topic] == t]
            if rank is not None and rank in rows.columns:  # the table's own ranking (e.g. relevance)
                rows = rows.sort_values(rank, kind="mergesort").head(n_terms)
            else:
                rows = rows.assign(_t=rows[term].astype(str)).sort_values(
                    [weight, "_t"], ascending=[False, True], kind="mergesort").head(n_terms)
            y = np.arange(len(rows))
            ax.barh(y, rows[weight].astype(float), color=BAR_COLOR, height=0.7, zorder=2)
            ax.set_yticks(y, [shorten(s, 10) for s in rows[term].astype(str)])
            ax.invert_yaxis()
            ax.tick_params(axis="y", length=0, labelsize=10)
            ax.tick_params(axis="x", labelsize=8)
            ax.spines["left"].set_visible(False)
            ax.grid(axis="x", color=GRID_COLOR, linewidth=0.6, zorder=0)
            ax.set_title(_topic_title(t, labels), fontsize=11, loc="left")
        hide_unused(flat, len(order))
        ranked = rank is not None and rank in topic_terms.columns
        fig.supxlabel("词在主题中的权重 term weight in topic" + ("；按表中排名排列 / in the table's rank order"
                                                            if ranked else ""), fontsize=10)
        if title:
            fig.suptitle(title)
        return fig


def plot_topic_shares(shares: pd.DataFrame, *, x: str = "year", topic: str = "topic", share: str = "share",
                      lower: str | None = "lower", upper: str | None = "upper",
                      topics: Sequence[object] | None = None, labels: Mapping[object, str] | None = None,
                      ncols: int | None = None, percent: bool = True, interval_label: str = "95% 区间 interval",
                      title: str | None = "主题占比变化 / topic shares over time") -> Figure:
    """Small multiples, one per topic: the share of each topic by ``x`` (year ...) with a shaded interval.

    Panels share the y axis, so heights compare across topics. ``lower``/``upper`` may be None (no band).
    """
    lower = lower if lower is not None and lower in shares.columns else None
    upper = upper if upper is not None and upper in shares.columns else None
    _require(shares, x, topic, share)
    order = list(topics) if topics is not None else sorted(shares[topic].unique().tolist())
    return plot_trends(shares, x=x, series=topic, value=share, lower=lower, upper=upper, order=order,
                       series_title=lambda t: _topic_title(t, labels, 30), ncols=ncols,
                       scale=100.0 if percent else 1.0, ylabel="占比 share (%)" if percent else "占比 share",
                       band_label=interval_label, value_label="占比 share", title=title)


def plot_k_sweep(sweep: pd.DataFrame, *, k: str = "k", metrics: Sequence[str] = ("coherence", "stability"),
                 chosen: int | None = None, labels: Mapping[str, str] | None = None,
                 title: str | None = "主题数选择 / choosing k") -> Figure:
    """Each metric against k, one panel per metric; with several rows per k (seeds), mean ± 1 s.d."""
    metrics = [m for m in metrics if m in sweep.columns]
    if not metrics:
        raise KeyError(f"none of the metrics in table (表中没有指标列); columns: {', '.join(map(str, sweep.columns))}")
    _require(sweep, k)
    names = {"coherence": "一致性 coherence", "stability": "稳定性 stability", "perplexity": "困惑度 perplexity",
             **(labels or {})}
    grouped = sweep.groupby(k, sort=True)[list(metrics)]
    mean, sd, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    with cjk_context():
        fig, axes = new_figure(1, len(metrics), figsize=(4.6 * len(metrics), 3.4), sharex=True)
        for ax, metric, color in zip(axes[0], metrics, colors(len(metrics)), strict=True):
            ks = mean.index.to_numpy(dtype=float)
            ys = mean[metric].to_numpy(dtype=float)
            err = sd[metric].fillna(0).to_numpy(dtype=float) if count[metric].max() > 1 else None
            ax.errorbar(ks, ys, yerr=err, color=color, marker="o", markersize=4, linewidth=1.6, capsize=3)
            if chosen is not None:
                ax.axvline(chosen, color="#777777", linestyle="--", linewidth=1)
            ax.set_xticks(ks)
            ax.set_xlabel("主题数 k / number of topics")
            ax.set_ylabel(names.get(metric, metric))
            ax.grid(axis="y", color=GRID_COLOR, linewidth=0.6)
            ax.set_title(names.get(metric, metric), fontsize=11)
        if title:
            fig.suptitle(title + (f"（所选 chosen k = {chosen}）" if chosen is not None else ""))
        return fig
