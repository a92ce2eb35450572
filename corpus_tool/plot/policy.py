"""Plots of the policy measures: the issuer network of text reuse, a reuse heat map, what changed between versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corpus_tool.plot.style import BAR_COLOR, cjk_context, new_figure, shorten

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STATUS_COLORS = {"kept": "#009E73", "changed": "#E69F00", "new": "#0072B2", "dropped": "#D55E00"}
STATUS_ZH = {"kept": "保留 kept", "changed": "改写 changed", "new": "新增 new", "dropped": "删去 dropped"}


def plot_issuer_network(issuers: pd.DataFrame, *, top: int = 30, seed: int = 100, title: str | None = None) -> Figure:
    """Issuers as nodes, arrows source → target with width by document pairs (the ``top`` edges by pairs)."""
    import networkx as nx

    if issuers.empty:
        raise ValueError("没有有方向的复用 / no directed reuse to draw (every pair undirected, or none found)")
    edges = issuers.head(top)
    graph = nx.DiGraph()
    for r in edges.itertuples(index=False):
        graph.add_edge(str(r.source_issuer), str(r.target_issuer), pairs=int(r.pairs))
    pos = nx.spring_layout(graph, seed=seed, k=1.2 / np.sqrt(max(graph.number_of_nodes(), 1)))
    wmax = float(edges["pairs"].max())
    with cjk_context():
        fig, axes = new_figure(figsize=(10, 8))
        a = axes[0, 0]
        nx.draw_networkx_edges(graph, pos, ax=a, width=[0.6 + 4 * d["pairs"] / wmax for _, _, d in
                                                        graph.edges(data=True)],
                               edge_color="#888888", arrows=True, arrowsize=14, connectionstyle="arc3,rad=0.08",
                               node_size=300)
        out_deg = dict(graph.out_degree(weight="pairs"))
        nx.draw_networkx_nodes(graph, pos, ax=a, node_size=[120 + 60 * out_deg.get(n, 0) for n in graph.nodes],
                               node_color=BAR_COLOR, alpha=0.85)
        for n, (x, y) in pos.items():
            a.annotate(shorten(n, 24), (x, y), fontsize=8, ha="center", va="bottom", xytext=(0, 6),
                       textcoords="offset points")
        a.set_axis_off()
        a.set_title(title or f"发文机关复用网络 / who copies whom（{graph.number_of_nodes()} 个机关，"
                    f"{graph.number_of_edges()} 条边，线宽为文档对数 / width: document pairs）")
    return fig


def plot_reuse_heatmap(pairs: pd.DataFrame, labels: dict[str, str], *, top: int = 30,
                       title: str | None = None) -> Figure:
    """Share of each target document (columns) reused from each source (rows), over the documents of the
    ``top`` pairs by target share."""
    p = pairs[pairs["passages"] > 0].sort_values(["target_share", "source_doc_id", "target_doc_id"],
                                                 ascending=[False, True, True]).head(top)
    if p.empty:
        raise ValueError("没有共享段落 / no shared passages to draw")
    rows = sorted(set(p["source_doc_id"]))
    cols = sorted(set(p["target_doc_id"]))
    m = np.full((len(rows), len(cols)), np.nan)
    for r in p.itertuples(index=False):
        m[rows.index(r.source_doc_id), cols.index(r.target_doc_id)] = r.target_share
    with cjk_context():
        fig, axes = new_figure(figsize=(max(6, 0.45 * len(cols) + 3), max(4, 0.35 * len(rows) + 2)))
        a = axes[0, 0]
        vmax = float(np.nanmax(m)) or 1.0  # the largest share sets the scale: typical shares are a few per cent
        im = a.imshow(m, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
        for (i, j), v in np.ndenumerate(m):
            if not np.isnan(v):
                a.text(j, i, f"{v:.0%}" if v >= 0.01 else f"{v:.1%}", ha="center", va="center", fontsize=6,
                       color="white" if v > 0.6 * vmax else "#333333")
        a.set_xticks(range(len(cols)), [shorten(labels.get(c, c), 16) for c in cols], rotation=60, ha="right",
                     fontsize=7)
        a.set_yticks(range(len(rows)), [shorten(labels.get(c, c), 20) for c in rows], fontsize=7)
        a.set_xlabel("目标文档 target（较晚 later）")
        a.set_ylabel("来源文档 source（较早 earlier）")
        fig.colorbar(im, ax=a, label="目标文档中复用的比例 / share of the target reused")
        a.set_title(title or "文本复用 / text reuse")
    return fig


def plot_compare(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Bars of the sentences kept, changed, new and dropped."""
    with cjk_context():
        fig, axes = new_figure(figsize=(7, 4))
        a = axes[0, 0]
        labels = [STATUS_ZH.get(s, s) for s in summary["status"]]
        values = summary["sentences"].to_numpy()
        bars = a.bar(labels, values, color=[STATUS_COLORS.get(s, BAR_COLOR) for s in summary["status"]])
        for b, v in zip(bars, values, strict=True):
            a.annotate(f"{int(v)}", (b.get_x() + b.get_width() / 2, b.get_height()), ha="center", va="bottom",
                       fontsize=9, xytext=(0, 2), textcoords="offset points")
        a.set_ylabel("句子数 sentences")
        a.set_title(title or "版本比较 / what changed", fontsize=10)
        a.spines[["top", "right"]].set_visible(False)
    return fig
