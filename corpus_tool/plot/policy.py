"""Plots of the policy measures: the two-dimensional coding heat map and policy strength over a field."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from corpus_tool.plot.style import GRID_COLOR, LINE_COLOR, cjk_context, new_figure, shorten


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
