"""Bar charts of word frequencies and keyness (horizontal, largest at the top, labels in Chinese)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from corpus_tool.plot.style import (
    BAR_COLOR,
    GRID_COLOR,
    REFERENCE_COLOR,
    TARGET_COLOR,
    cjk_context,
    figure_for,
    grid_shape,
    hide_unused,
    new_figure,
    shorten,
    use_cjk_fonts,
)


def _top(table: pd.DataFrame, label: str, value: str, n: int) -> pd.DataFrame:
    """The ``n`` largest values; ties broken by label, so the bars do not depend on row order."""
    for col in (label, value):
        if col not in table.columns:
            raise KeyError(f"column {col!r} not in table (表中没有此列); columns: {', '.join(map(str, table.columns))}")
    rows = table[[label, value]].dropna(subset=[value])
    rows = rows.assign(_label=rows[label].astype(str)).sort_values([value, "_label"], ascending=[False, True],
                                                                    kind="mergesort")
    return rows.head(n)


def _draw_bars(ax: Axes, labels: Sequence[str], values: Sequence[float], *, color: str | Sequence[str],
               value_format: str) -> None:
    y = np.arange(len(labels))
    bars = ax.barh(y, values, color=color, height=0.72, zorder=2)
    ax.set_yticks(y, [shorten(s) for s in labels])
    ax.invert_yaxis()  # largest at the top
    ax.grid(axis="x", color=GRID_COLOR, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    if len(values) and value_format:
        ax.bar_label(bars, labels=[value_format.format(v) for v in values], padding=3, fontsize=8, color="#444444")
        lo, hi = min(0.0, *values), max(0.0, *values)
        ax.set_xlim(lo - 0.02 * (hi - lo), hi + 0.14 * (hi - lo or 1))


def _value_format(values: pd.Series) -> str:
    v = pd.to_numeric(values, errors="coerce").dropna()
    if v.empty:
        return ""
    if np.allclose(v, v.round()) and v.abs().max() < 1e7:
        return "{:,.0f}"
    return "{:.3g}" if v.abs().max() < 10 else "{:,.1f}"


def plot_frequencies(table: pd.DataFrame, *, label: str = "term", value: str = "freq", top: int = 20,
                     group: str | None = None, groups: Sequence[object] | None = None, ncols: int | None = None,
                     group_labels: Mapping[object, str] | None = None, title: str | None = None,
                     xlabel: str | None = None, ax: Axes | None = None, color: str = BAR_COLOR) -> Figure:
    """Horizontal bars of the ``top`` terms by ``value``; with ``group``, one panel per group (year, era ...).

    ``groups`` chooses and orders the panels (default: every group, in sorted order, at most 12);
    ``group_labels`` names them (e.g. document titles for doc ids).
    """
    xlabel = xlabel if xlabel is not None else value
    with cjk_context():
        if group is None:
            rows = _top(table, label, value, top)
            fig, ax = figure_for(ax, figsize=(7.0, max(2.6, 0.32 * len(rows) + 1.2)))
            use_cjk_fonts(ax)
            _draw_bars(ax, rows[label].astype(str).tolist(), rows[value].tolist(), color=color,
                       value_format=_value_format(rows[value]))
            ax.set_xlabel(xlabel)
            if title:
                ax.set_title(title)
            return fig
        if group not in table.columns:
            raise KeyError(f"group column {group!r} not in table (表中没有分组列)")
        order = list(groups) if groups is not None else sorted(table[group].dropna().unique().tolist(),
                                                               key=_sort_key)[:12]
        nrows, cols = grid_shape(len(order), ncols or (2 if len(order) == 4 else None), max_cols=3)
        n_bars = min(top, int(table[table[group].isin(order)].groupby(group).size().max() or 1))
        fig, axes = new_figure(nrows, cols, figsize=(4.3 * cols, (0.3 * n_bars + 1.1) * nrows))
        flat = axes.ravel()
        fmt = _value_format(table[value])
        for a, g in zip(flat, order, strict=False):
            rows = _top(table[table[group] == g], label, value, top)
            _draw_bars(a, rows[label].astype(str).tolist(), rows[value].tolist(), color=color, value_format=fmt)
            name = (group_labels or {}).get(g)
            a.set_title(shorten(name, 24) if name else (f"{group} = {g}" if not isinstance(g, str) else g),
                        fontsize=11)
            a.set_xlabel(xlabel, fontsize=9)
        hide_unused(flat, len(order))
        if title:
            fig.suptitle(title)
        return fig


def plot_keyness(table: pd.DataFrame, *, label: str = "term", value: str = "keyness", top: int = 15,
                 target_name: str = "目标语料 target", reference_name: str = "参照语料 reference",
                 title: str | None = None, xlabel: str | None = None, ax: Axes | None = None) -> Figure:
    """Diverging bars: the ``top`` key words of the target (positive ``value``, right) and of the
    reference (negative ``value``, left). ``value`` must be signed (e.g. signed G²)."""
    with cjk_context():
        pos = _top(table[pd.to_numeric(table[value], errors="coerce") > 0], label, value, top)
        neg = table[pd.to_numeric(table[value], errors="coerce") < 0]
        neg = _top(neg.assign(**{value: -neg[value]}), label, value, top)
        neg = neg.assign(**{value: -neg[value]}).iloc[::-1]  # most negative at the bottom
        rows = pd.concat([pos, neg], ignore_index=True)
        fig, ax = figure_for(ax, figsize=(7.5, max(3.0, 0.3 * len(rows) + 1.4)))
        use_cjk_fonts(ax)
        values = rows[value].astype(float).tolist()
        colors = [TARGET_COLOR if v > 0 else REFERENCE_COLOR for v in values]
        _draw_bars(ax, rows[label].astype(str).tolist(), values, color=colors, value_format="")
        ax.axvline(0, color="#555555", linewidth=0.8)
        lim = max([abs(v) for v in values] or [1.0]) * 1.08
        ax.set_xlim(-lim if len(neg) else 0, lim)
        ax.set_xlabel(xlabel if xlabel is not None else value)
        from matplotlib.patches import Patch

        handles = [Patch(color=TARGET_COLOR, label=f"{target_name}")]
        if len(neg):
            handles.append(Patch(color=REFERENCE_COLOR, label=f"{reference_name}"))
        ax.legend(handles=handles, loc="lower right", title="高频于 / key in")
        if title:
            ax.set_title(title)
        return fig


def _sort_key(value: object) -> tuple[int, float, str]:
    try:
        return (0, float(value), "")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return (1, 0.0, str(value))
