"""Values over time (or any ordered field) as small multiples, one panel per series, with optional bands."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from corpus_tool.plot.style import (
    GRID_COLOR,
    LINE_COLOR,
    cjk_context,
    colors,
    grid_shape,
    hide_unused,
    new_figure,
    shorten,
)


def _break_gaps(xs: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Insert NaN where consecutive x values are more than twice the usual step apart, so a line does
    not bridge years with no data (e.g. no government work report 1965–1974)."""
    if len(xs) < 3:
        return (xs, *columns)
    steps = np.diff(xs)
    usual = float(np.median(steps))
    cut = np.flatnonzero(steps > 2 * usual) + 1 if usual > 0 else np.array([], dtype=int)
    if not len(cut):
        return (xs, *columns)
    return tuple(np.insert(c.astype(float), cut, np.nan) for c in (xs, *columns))


def plot_trends(table: pd.DataFrame, *, x: str, series: str, value: str, lower: str | None = None,
                upper: str | None = None, order: Sequence[object] | None = None, value_label: str | None = None,
                series_title: Callable[[object], str] | None = None, ncols: int | None = None,
                scale: float = 1.0, ylabel: str | None = None, band_label: str = "区间 interval",
                sharey: bool = True, color: str | None = LINE_COLOR, title: str | None = None) -> Figure:
    """One panel per ``series`` value: ``value`` against ``x``, with a shaded ``lower``–``upper`` band.

    Panels share the y axis by default, so heights compare across series. Gaps in a numeric ``x`` wider
    than twice the usual step are left open rather than drawn across. ``color=None``: one colour a series.
    """
    for col in (x, series, value, lower, upper):
        if col is not None and col not in table.columns:
            raise KeyError(f"column {col!r} not in table (表中没有此列); columns: {', '.join(map(str, table.columns))}")
    names = list(order) if order is not None else sorted(table[series].dropna().unique().tolist(), key=str)
    numeric_x = pd.api.types.is_numeric_dtype(table[x])
    categories = [] if numeric_x else list(dict.fromkeys(table[x].astype(str)))
    n = len(names)
    nrows, cols = grid_shape(n, ncols or (2 if n == 4 else 3 if n <= 9 else 4), max_cols=4)
    with cjk_context():
        width = 4.2 if cols <= 3 else 3.6
        fig, axes = new_figure(nrows, cols, figsize=(width * cols, 2.4 * nrows + 0.8), sharex=True, sharey=sharey)
        flat = axes.ravel()
        # Panels are labelled, so one colour serves all: calmer, and it prints in greyscale.
        palette = [color] * n if color else colors(n)
        top = 0.0
        for ax, name, line_color in zip(flat, names, palette, strict=False):
            rows = table[table[series] == name].sort_values(x, kind="mergesort")
            xs = rows[x].to_numpy(dtype=float) if numeric_x else \
                rows[x].astype(str).map({c: i for i, c in enumerate(categories)}).to_numpy(dtype=float)
            ys = rows[value].to_numpy(dtype=float) * scale
            lo = rows[lower].to_numpy(dtype=float) * scale if lower and upper else None
            hi = rows[upper].to_numpy(dtype=float) * scale if lower and upper else None
            if numeric_x:
                xs, ys, *band = _break_gaps(xs, ys, *([lo, hi] if lo is not None else []))
                if lo is not None:
                    lo, hi = band
            if lo is not None:
                ax.fill_between(xs, lo, hi, color=line_color, alpha=0.22, linewidth=0, label=band_label)
            ax.plot(xs, ys, color=line_color, linewidth=1.6, marker="o", markersize=2.5, label=value_label or value)
            top = max(top, float(np.nanmax(hi if hi is not None else ys, initial=0.0)))
            ax.set_title(series_title(name) if series_title else shorten(name, 30), fontsize=10.5, loc="left")
            ax.grid(axis="y", color=GRID_COLOR, linewidth=0.6)
        for ax in flat[:n]:  # after every panel is drawn: shared limits see all the data
            if sharey:
                ax.set_ylim(0, top * 1.05 or 1)
            else:
                ax.set_ylim(bottom=0)
        hide_unused(flat, n)
        # The lowest panel of each column carries the x axis (the last row may be partly empty).
        bottoms = [axes[max(r for r in range(nrows) if r * cols + c < len(names)), c]
                   for c in range(min(cols, len(names)))]
        for ax in bottoms:
            ax.set_xlabel(x)
            ax.xaxis.set_tick_params(labelbottom=True)
            if numeric_x and pd.api.types.is_integer_dtype(table[x]):
                ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
            elif not numeric_x:
                step = max(1, len(categories) // 8)
                ax.set_xticks(range(0, len(categories), step), categories[::step], rotation=45, ha="right")
        for ax in axes[:, 0]:
            ax.set_ylabel(ylabel or value)
        if lower and upper and len(names):
            handles, labels = flat[0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=9)
        if title:
            fig.suptitle(title)
        return fig
