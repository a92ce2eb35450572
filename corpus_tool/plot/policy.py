"""Plots of the policy measures: the two-dimensional coding heat map, policy strength over a field, the issuer
network of text reuse, a reuse heat map and what changed between versions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from corpus_tool.plot.style import BAR_COLOR, GRID_COLOR, LINE_COLOR, cjk_context, new_figure, shorten

STATUS_COLORS = {"kept": "#009E73", "changed": "#E69F00", "new": "#0072B2", "dropped": "#D55E00"}
STATUS_ZH = {"kept": "保留 kept", "changed": "改写 changed", "new": "新增 new", "dropped": "删去 dropped"}


def plot_crosscode(cells: pd.DataFrame, *, value: str = "units", title: str | None = None,
                   annotate: bool = True) -> Figure:
    """Heat map of X codes (rows, grouped by category) × Y codes (columns), each cell labelled with its value."""
    xs = list(dict.fromkeys(zip(cells["x_category"], cells["x_code"], cells["x_label"], strict=True)))
    ys = list(dict.fromkeys(zip(cells["y_code"], cells["y_label"], strict=True)))
    grid = cells.pivot(index="x_code", columns="y_code", values=value).reindex(
        index=[x[1] for x in xs], columns=[y[0] for y in ys]).to_numpy(dtype=float)
    row_names = [_two_lines(x[2] or x[1], 40) for x in xs]
    col_names = [_two_lines(y[1] or y[0], 18) for y in ys]
    with cjk_context():
        fig, axes = new_figure(figsize=(1.5 * len(ys) + 4.5, 0.42 * len(xs) + 2.0))
        ax = axes[0, 0]
        im = ax.imshow(grid, cmap="YlOrRd", aspect="auto")
        ax.set_xticks(range(len(ys)), col_names, fontsize=8.5)
        ax.set_yticks(range(len(xs)), [n.replace("\n", " ") for n in row_names], fontsize=8.5)
        if annotate:
            top = np.nanmax(grid) if grid.size else 0
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    v = grid[i, j]
                    text = f"{v:.0f}" if value in ("units", "documents") else f"{v:.2f}"
                    ax.text(j, i, text, ha="center", va="center", fontsize=8,
                            color="white" if top and v > 0.6 * top else "black")
        # A line between X categories (供给型 | 环境型 | 需求型) keeps the types apart.
        cats = [x[0] for x in xs]
        for i in range(1, len(cats)):
            if cats[i] != cats[i - 1]:
                ax.axhline(i - 0.5, color="black", linewidth=1.2)
        names = {"units": "单元数 units", "documents": "文档数 documents", "row_share": "行占比 row share",
                 "col_share": "列占比 column share", "share": "占比 share", "doc_weighted": "按文档加权 per document"}
        fig.colorbar(im, ax=ax, label=names.get(value, value), shrink=0.8)
        ax.set_title(title or "二维编码 / two-dimensional coding", loc="left")
    return fig


def _two_lines(label: str, width: int) -> str:
    """``中文 / English`` as two lines, each shortened to ``width``."""
    parts = [p.strip() for p in str(label).split(" / ", 1)]
    return "\n".join(shorten(p, width) for p in parts)


def plot_strength(table: pd.DataFrame, *, x: str, title: str | None = None) -> Figure:
    """Scored documents (bars) and mean strength (line) per value of ``x`` (from the ``by_<x>`` table)."""
    rows = table.dropna(subset=[x]) if pd.api.types.is_numeric_dtype(table[x]) else table
    labels = [str(v) for v in rows[x]]
    pos = np.arange(len(rows))
    with cjk_context():
        fig, axes = new_figure(figsize=(max(5.5, 0.45 * len(rows) + 2.5), 3.6))
        ax = axes[0, 0]
        ax.bar(pos, rows["scored"], color="#BBBBBB", label="已评分文档 scored documents")
        if "unscored" in rows:
            ax.bar(pos, rows["unscored"], bottom=rows["scored"], color="#EEEEEE", edgecolor="#BBBBBB",
                   label="未评分 unscored")
        ax.set_ylabel("文档数 documents")
        ax.set_xticks(pos, labels, rotation=45 if len(rows) > 8 else 0, ha="right" if len(rows) > 8 else "center")
        ax.grid(axis="y", color=GRID_COLOR, linewidth=0.6)
        ax2 = ax.twinx()
        ax2.plot(pos, rows["strength_mean"], color=LINE_COLOR, marker="o", linewidth=1.6,
                 label="平均力度 mean strength")
        ax2.set_ylabel("平均力度 mean strength")
        ax2.set_ylim(bottom=0)
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        names = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
        fig.legend(handles, names, loc="outside lower center", ncols=3, fontsize=9)
        ax.set_xlabel(x)
        ax.set_title(title or f"政策力度 / policy strength by {x}", loc="left")
    return fig


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
        raise ValueError("没有共享文段 / no shared passages to draw")
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
