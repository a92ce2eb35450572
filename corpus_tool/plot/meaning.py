"""Plots of the meaning analyses: neighbours, concept axes, co-occurrence networks, CA biplots, dendrograms,
similarity heat maps and readability. Chinese labels use the registered CJK font (:mod:`corpus_tool.plot.fonts`).

Networks label only the ``labels`` most central nodes, so dozens of Chinese labels do not overlap into a
blot; nodes are sized by frequency and coloured by community, in the seeded layout stored in the node table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from corpus_tool.plot.style import BAR_COLOR, GRID_COLOR, LINE_COLOR, cjk_context, colors, new_figure, shorten


def place_labels(ax: object, xs: np.ndarray, ys: np.ndarray, labels: list[str], *, fontsize: float = 9,
                 taken: list[tuple[float, float, float, float]] | None = None, dy: float = 0.0,
                 **style: object) -> int:
    """Draw labels in the given order (most important first), leaving out any that would overlap one already
    drawn: Chinese labels never pile into a blot. Returns how many were drawn. Sizes are estimated from the
    font size (a CJK character is about one em wide), in display pixels; ``dy`` lifts labels above their points
    (in points)."""
    ax.autoscale_view()  # type: ignore[attr-defined]
    fig = ax.figure  # type: ignore[attr-defined]
    points = ax.transData.transform(np.column_stack([xs, ys]))  # type: ignore[attr-defined]
    em = fontsize * fig.dpi / 72
    boxes = taken if taken is not None else []
    drawn = 0
    for (px, py), (x, y), text in zip(points, zip(xs, ys, strict=True), labels, strict=True):
        w = em * sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in text) + 4
        py += dy * fig.dpi / 72
        box = (px - w / 2, py - em * 0.7, px + w / 2, py + em * 0.7)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            continue
        boxes.append(box)
        ax.annotate(text, (x, y), xytext=(0, dy), textcoords="offset points", fontsize=fontsize,  # type: ignore[attr-defined]
                    ha="center", va="center", **style)
        drawn += 1
    return drawn


def plot_neighbours(table: pd.DataFrame, *, top: int = 10, title: str | None = None) -> Figure:
    """Horizontal bars of each query's nearest neighbours by cosine, one panel per query."""
    queries = list(dict.fromkeys(table["query"]))
    if not queries:
        raise ValueError("没有近邻可画 / no neighbours to plot")
    with cjk_context():
        fig, axes = new_figure(1, len(queries), figsize=(3.6 * len(queries) + 0.6, 0.32 * top + 1.4))
        for ax, q in zip(axes.ravel(), queries, strict=True):
            rows = table[table["query"] == q].head(top).iloc[::-1]
            ax.barh(rows["neighbour"].astype(str), rows["cosine"], color=BAR_COLOR)
            ax.set_title(f"“{q}”的近邻")
            ax.set_xlabel("余弦相似度 cosine")
            ax.grid(axis="x", color=GRID_COLOR)
        if title:
            fig.suptitle(title)
    return fig


def plot_projection(table: pd.DataFrame, *, x: str, title: str | None = None) -> Figure:
    """Each axis's score over ``x`` (a line with the pole-resampling band when ``x`` is numeric, else dots with
    interval bars); positive = the first pole."""
    axes_names = list(dict.fromkeys(table["axis"]))
    numeric = pd.api.types.is_numeric_dtype(table[x]) and x != "doc_id"
    with cjk_context():
        fig, axes = new_figure(len(axes_names), 1, figsize=(8.5, 2.8 * len(axes_names) + 0.6))
        for ax, name in zip(axes.ravel(), axes_names, strict=True):
            rows = table[table["axis"] == name]
            if numeric:
                xs = rows[x].astype(float).to_numpy()
                ax.fill_between(xs, rows["lower"], rows["upper"], color=LINE_COLOR, alpha=0.18, linewidth=0,
                                label="95% 区间（重抽极词）interval over resampled pole words")
                ax.plot(xs, rows["score"], color=LINE_COLOR, marker="o", markersize=3, label="得分 score")
            else:
                labels = [shorten(v, 14) for v in rows[x].astype(str)]
                ys = np.arange(len(rows))
                ax.errorbar(rows["score"], ys, xerr=[rows["score"] - rows["lower"], rows["upper"] - rows["score"]],
                            fmt="o", color=LINE_COLOR, ecolor="#999999", capsize=2)
                ax.set_yticks(ys, labels)
            pos, neg = str(name).split("↔", 1) if "↔" in str(name) else (str(name), "")
            ax.axhline(0, color="#888888", linewidth=0.8) if numeric else ax.axvline(0, color="#888888", linewidth=0.8)
            ax.set_title(f"概念轴 {pos} (+) ↔ {neg} (−)")
            (ax.set_ylabel if numeric else ax.set_xlabel)("投影（余弦）projection (cosine)")
            if numeric:
                ax.set_xlabel(x)
                ax.legend(loc="best", fontsize=8, frameon=False)
            ax.grid(color=GRID_COLOR)
        if title:
            fig.suptitle(title)
    return fig


def plot_network(nodes: pd.DataFrame, edges: pd.DataFrame, *, labels: int = 30, by: str = "degree_centrality",
                 title: str | None = None, ax: object | None = None) -> Figure:
    """The network in its stored layout: node area by frequency, colour by community, edges by weight (solid
    within a community, dotted between), labels on the ``labels`` most central nodes by ``by``."""
    if nodes.empty:
        raise ValueError("网络为空，没有可画的边 / the network is empty: lower the floors or raise max_edges")
    xy = {r.term: (r.x, r.y) for r in nodes.itertuples(index=False)}
    n_comm = int(nodes["community"].max())
    palette = colors(n_comm)
    with cjk_context():
        fig, axes = new_figure(figsize=(9, 8))
        a = axes[0, 0]
        wmax = float(edges["weight"].abs().max()) if len(edges) else 1.0
        for e in edges.itertuples(index=False):
            (x0, y0), (x1, y1) = xy[e.source], xy[e.target]
            a.plot([x0, x1], [y0, y1], color="#999999", linewidth=0.4 + 2.6 * abs(e.weight) / (wmax or 1),
                   linestyle="-" if e.same_community else ":", alpha=0.7, zorder=1)
        size = 40 + 900 * np.sqrt(nodes["frequency"] / nodes["frequency"].max())
        a.scatter(nodes["x"], nodes["y"], s=size, c=[palette[c - 1] for c in nodes["community"]], alpha=0.85,
                  edgecolors="white", linewidths=0.8, zorder=2)
        shown = nodes.sort_values([by, "frequency", "term"], ascending=[False, False, True]).head(labels)
        drawn = place_labels(a, shown["x"].to_numpy(), shown["y"].to_numpy(), shown["term"].astype(str).tolist(),
                             zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
        a.set_axis_off()
        a.set_title(title or f"共现网络 / co-occurrence network（{len(nodes)} 词，{len(edges)} 边；"
                    f"标注中心度最高的 {drawn} 个词）")
    return fig


def plot_ca(coords: pd.DataFrame, inertia: pd.DataFrame, *, terms: int = 60, title: str | None = None) -> Figure:
    """The CA biplot of dimensions 1 and 2: terms (grey) and categories (red), axes labelled with their inertia."""
    with cjk_context():
        fig, axes = new_figure(figsize=(9, 7.5))
        a = axes[0, 0]
        t = coords[coords["kind"] == "term"].head(terms)
        c = coords[coords["kind"] == "category"]
        a.scatter(t["dim1"], t["dim2"], s=12, color="#555555", alpha=0.6)
        a.scatter(c["dim1"], c["dim2"], s=30, marker="s", color="#C0392B")
        # Categories first, then terms by their contribution to the plane; overlapping labels are left out.
        taken: list[tuple[float, float, float, float]] = []
        place_labels(a, c["dim1"].to_numpy(), c["dim2"].to_numpy(), c["item"].astype(str).tolist(), fontsize=9,
                     taken=taken, dy=8, color="#C0392B")
        t = t.assign(_w=t["contrib1"] + t["contrib2"]).sort_values("_w", ascending=False)
        place_labels(a, t["dim1"].to_numpy(), t["dim2"].to_numpy(), t["item"].astype(str).tolist(), fontsize=8,
                     taken=taken, dy=7, color="#333333")
        a.axhline(0, color=GRID_COLOR)
        a.axvline(0, color=GRID_COLOR)
        share = [*inertia["share"].tolist(), np.nan, np.nan]
        a.set_xlabel(f"成分1 dimension 1 ({share[0]:.1%})")
        a.set_ylabel(f"成分2 dimension 2 ({share[1]:.1%})")
        a.set_title(title or "对应分析 / correspondence analysis")
    return fig


def plot_dendrogram(table: pd.DataFrame, linkage: pd.DataFrame, *, label: str = "item",
                    title: str | None = None) -> Figure:
    """The dendrogram of a clustering, leaves labelled, cluster cut shown by leaf colour."""
    from scipy.cluster.hierarchy import dendrogram

    z = linkage[["left", "right", "height", "size"]].to_numpy(dtype=float)
    by_no = table.sort_values("item_no")
    names = [shorten(v, 16) for v in by_no[label].astype(str)]
    with cjk_context():
        fig, axes = new_figure(figsize=(8, 0.22 * len(names) + 1.5))
        a = axes[0, 0]
        k = int(table["cluster"].max())
        cut = float(z[-(k - 1), 2]) if k > 1 and len(z) >= k - 1 else None
        dendrogram(z, labels=names, orientation="right", ax=a, color_threshold=cut, above_threshold_color="#999999")
        a.tick_params(axis="y", labelsize=9)
        a.set_xlabel("合并高度 merge height")
        a.set_title(title or f"层次聚类 / hierarchical clustering（{k} 类）")
    return fig


def plot_similarity_matrix(matrix: pd.DataFrame, labels: dict[str, str] | None = None, *,
                           title: str | None = None) -> Figure:
    """A heat map of a document similarity matrix."""
    ids = [c for c in matrix.columns if c != "doc_id"]
    names = [shorten((labels or {}).get(i, i[:8]), 14) for i in ids]
    with cjk_context():
        fig, axes = new_figure(figsize=(0.25 * len(ids) + 3, 0.25 * len(ids) + 2.4))
        a = axes[0, 0]
        im = a.imshow(matrix[ids].to_numpy(float), cmap="viridis", vmin=0, vmax=1)
        a.set_xticks(range(len(ids)), names, rotation=90, fontsize=7)
        a.set_yticks(range(len(ids)), names, fontsize=7)
        fig.colorbar(im, ax=a, label="余弦相似度 cosine")
        a.set_title(title or "文档相似度 / document similarity")
    return fig


def plot_readability(table: pd.DataFrame, *, x: str, measures: tuple[str, ...] = ("readability1", "readability2",
                                                                                   "mattr"),
                     title: str | None = None) -> Figure:
    """Readability and diversity measures against ``x`` (year, or document order)."""
    names = {"readability1": "每分句字数 chars per clause", "readability2": "副词连词占比 adverbs+conjunctions",
             "readability3": "可读性3 readability3", "ttr": "类符形符比 TTR", "mattr": "滑动TTR MATTR"}
    rows = table.sort_values(x, kind="mergesort")
    with cjk_context():
        fig, axes = new_figure(len(measures), 1, figsize=(8.5, 2.2 * len(measures) + 0.6), sharex=True)
        for a, m in zip(axes.ravel(), measures, strict=True):
            a.plot(rows[x], rows[m], marker="o", markersize=3, color=LINE_COLOR, linewidth=1)
            a.set_ylabel(names.get(m, m), fontsize=9)
            a.grid(color=GRID_COLOR)
        axes.ravel()[-1].set_xlabel(x)
        fig.suptitle(title or "可读性与词汇多样性 / readability and lexical diversity")
    return fig
