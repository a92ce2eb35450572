"""Lexical dispersion plot: where in each document a word occurs (one row per document)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from corpus_tool.plot.style import GRID_COLOR, cjk_context, colors, figure_for, shorten, use_cjk_fonts


def plot_dispersion(hits: pd.DataFrame, *, doc: str = "doc", position: str = "position", term: str = "term",
                    docs: Sequence[str] | None = None, terms: Sequence[str] | None = None,
                    title: str | None = None, ax: Axes | None = None, max_docs: int = 60) -> Figure:
    """One row per document, a tick at each hit's relative position (0 = start, 1 = end), one colour per term.

    ``hits``: one row per occurrence with the document label (``doc``), the relative position in [0, 1]
    (``position``) and the word (``term``). ``docs`` fixes the rows and their order (documents without
    a hit still get a row); otherwise the documents with hits, sorted.
    """
    for col in (doc, position, term):
        if col not in hits.columns:
            raise KeyError(f"column {col!r} not in table (表中没有此列); columns: {', '.join(map(str, hits.columns))}")
    every = [str(d) for d in (docs if docs is not None else sorted(hits[doc].astype(str).unique()))]
    rows = every[:max_docs]
    words = list(terms) if terms is not None else sorted(hits[term].astype(str).unique())
    with cjk_context():
        fig, ax = figure_for(ax, figsize=(9.0, max(2.2, 0.34 * len(rows) + 1.5)))
        use_cjk_fonts(ax)
        index = {d: i for i, d in enumerate(rows)}
        palette = colors(len(words))
        data = hits.assign(_doc=hits[doc].astype(str), _term=hits[term].astype(str))
        # Offset terms vertically within a row so co-located hits of different words stay visible.
        offsets = np.linspace(-0.18, 0.18, len(words)) if len(words) > 1 else [0.0] * len(words)
        for word, color, dy in zip(words, palette, offsets, strict=True):
            sel = data[(data["_term"] == word) & data["_doc"].isin(index)]
            y = sel["_doc"].map(index).to_numpy(dtype=float) + dy
            ax.scatter(sel[position].astype(float), y, marker="|", s=140, linewidths=1.6, color=color, zorder=3)
        ax.set_yticks(range(len(rows)), [shorten(r, 22) for r in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["开头 start", "25%", "50%", "75%", "结尾 end"])
        ax.set_xlabel("在文档中的位置 / position in document")
        ax.grid(axis="y", color=GRID_COLOR, linewidth=0.6, zorder=0)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        handles = [Line2D([], [], marker="|", linestyle="none", markersize=12, markeredgewidth=2, color=c,
                          label=w) for w, c in zip(words, palette, strict=True)]
        if len(words) > 1:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="词 / term")
        note = f"（前 {max_docs} 篇，共 {len(every)} 篇 / first {max_docs} of {len(every)} documents）" \
            if len(every) > max_docs else ""
        ax.set_title((title or ("词语分布 / dispersion: " + "、".join(words[:6]))) + note)
        return fig
