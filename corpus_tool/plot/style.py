"""Figures for the plotting functions: Chinese fonts, a clean look and one display in Jupyter.

Figures are plain :class:`matplotlib.figure.Figure` objects made without pyplot, so a loop of plots
leaks nothing into pyplot's global figure list and the user's rcParams stay as they were. A figure
shows itself once in Jupyter (``_repr_png_``); save it with ``fig.savefig("x.png")`` (or .pdf/.svg).
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from corpus_tool.plot.fonts import cjk_rc, font_families

# Okabe–Ito: distinguishable for colour-blind readers and in greyscale print.
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
)
BAR_COLOR = "#3A6EA5"
LINE_COLOR = "#2E6FA7"
TARGET_COLOR = "#C0392B"  # keyness: words typical of the target corpus
REFERENCE_COLOR = "#2E6FA7"  # keyness: words typical of the reference corpus
GRID_COLOR = "#DDDDDD"


class CorpusFigure(Figure):
    """A figure that Jupyter displays once, as PNG, without pyplot."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        with matplotlib.rc_context(cjk_rc()):
            self.savefig(buf, format="png", dpi=110, bbox_inches="tight", facecolor="white")
        return buf.getvalue()


@contextmanager
def cjk_context(**extra: object) -> Iterator[None]:
    """Draw inside this context to get Chinese fonts and the house style."""
    with matplotlib.rc_context(cjk_rc(**extra)):
        yield


def colors(n: int) -> list[str]:
    """``n`` distinct colours: the Okabe–Ito palette, then tab20 for more."""
    if n <= len(PALETTE):
        return list(PALETTE[:n])
    cmap = matplotlib.colormaps["tab20"]
    return [matplotlib.colors.to_hex(cmap(i % 20)) for i in range(n)]


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], squeeze: bool = False,
               **subplot_kw: Any) -> tuple[CorpusFigure, Any]:
    """A figure with a grid of axes (always a 2-D array unless ``squeeze``), laid out by matplotlib."""
    if _pyplot_script():
        import matplotlib.pyplot as plt  # already imported by the user: this costs nothing

        fig = plt.figure(FigureClass=CorpusFigure, figsize=figsize, layout="constrained", facecolor="white")
    else:
        fig = CorpusFigure(figsize=figsize, layout="constrained", facecolor="white")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, **subplot_kw)
    return fig, axes


def _pyplot_script() -> bool:
    """A script that uses pyplot: make our figure pyplot's current one, so ``plt.savefig`` saves it.

    Notebooks get a plain figure: Jupyter shows a pyplot figure by itself at the end of the cell and
    the returned figure again, so a pyplot figure there would be drawn twice.
    """
    if "matplotlib.pyplot" not in sys.modules:
        return False
    ipython = sys.modules.get("IPython")
    return ipython is None or ipython.get_ipython() is None


def figure_for(ax: Axes | None, *, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The user's axes (and its figure), or a new one-panel figure."""
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig, axes = new_figure(figsize=figsize)
    return fig, axes[0, 0]


def grid_shape(n: int, ncols: int | None = None, max_cols: int = 4) -> tuple[int, int]:
    """Rows and columns for ``n`` small multiples."""
    cols = min(ncols or max_cols, max(n, 1))
    return math.ceil(max(n, 1) / cols), cols


def hide_unused(axes: Sequence[Axes], used: int) -> None:
    for ax in list(axes)[used:]:
        ax.set_visible(False)


def use_cjk_fonts(ax: Axes) -> None:
    """Give every text of an axes the CJK font: for axes the user made before calling a plot function."""
    families = font_families()
    texts = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,  # type: ignore[attr-defined]
             *ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        texts += [*legend.get_texts(), legend.get_title()]
    for text in texts:
        text.set_fontfamily(families)
    for axis in (ax.xaxis, ax.yaxis):
        for tick in (*axis.majorTicks, *axis.minorTicks):
            tick.label1.set_fontfamily(families)
            tick.label2.set_fontfamily(families)


def shorten(label: object, width: int = 18) -> str:
    """A label cut to ``width`` characters with an ellipsis (long titles would squeeze the plot)."""
    text = "" if label is None else str(label)
    return text if len(text) <= width else text[: width - 1] + "…"
