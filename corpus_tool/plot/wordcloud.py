"""Word clouds with a CJK font (the ``wordcloud`` package needs a font file for Chinese)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from corpus_tool.plot.fonts import INSTALL_HINT, wordcloud_font_path
from corpus_tool.plot.style import cjk_context, figure_for, use_cjk_fonts


def frequencies_from(table: pd.DataFrame | Mapping[str, float], label: str = "term",
                     value: str = "freq") -> dict[str, float]:
    """Word → weight from a table (``label``/``value`` columns) or a mapping; non-positive weights dropped."""
    if isinstance(table, pd.DataFrame):
        for col in (label, value):
            if col not in table.columns:
                raise KeyError(f"column {col!r} not in table (表中没有此列)")
        pairs = zip(table[label].astype(str), pd.to_numeric(table[value], errors="coerce"), strict=True)
    else:
        pairs = ((str(k), float(v)) for k, v in table.items())
    out: dict[str, float] = {}
    for word, weight in pairs:
        if word and weight == weight and weight > 0:  # weight == weight: not NaN
            out[word] = out.get(word, 0.0) + float(weight)
    return out


def wordcloud_image(frequencies: Mapping[str, float], *, width: int = 1600, height: int = 900,
                    max_words: int = 150, seed: int = 0, colormap: str = "viridis",
                    background_color: str = "white", prefer_horizontal: float = 1.0,
                    font_path: str | None = None, **kwargs: Any):  # -> PIL.Image.Image
    """A word-cloud image (PIL) drawn with the registered CJK font; same input and seed, same pixels.

    Horizontal words by default: rotated Chinese is hard to read.
    """
    from wordcloud import WordCloud

    if not frequencies:
        raise ValueError("no words to draw (没有可绘制的词)")
    path = font_path or wordcloud_font_path()
    if path is None:
        raise RuntimeError(f"未找到中文字体，无法绘制词云 / no CJK font for the word cloud: {INSTALL_HINT}")
    cloud = WordCloud(font_path=path, width=width, height=height, max_words=max_words, random_state=seed,
                      colormap=colormap, background_color=background_color,
                      prefer_horizontal=prefer_horizontal, collocations=False, **kwargs)
    # Sorted input: WordCloud breaks ties in frequency by input order.
    ordered = dict(sorted(frequencies.items(), key=lambda kv: (-kv[1], kv[0])))
    return cloud.generate_from_frequencies(ordered).to_image()


def plot_wordcloud(table: pd.DataFrame | Mapping[str, float], *, label: str = "term", value: str = "freq",
                   title: str | None = None, ax: Axes | None = None, width: int = 1600, height: int = 900,
                   max_words: int = 150, seed: int = 0, **kwargs: Any) -> Figure:
    """A word cloud in a matplotlib figure (for notebooks and for saving beside other figures)."""
    image = wordcloud_image(frequencies_from(table, label, value), width=width, height=height,
                            max_words=max_words, seed=seed, **kwargs)
    with cjk_context():
        fig, ax = figure_for(ax, figsize=(9.0, 9.0 * height / width + (0.5 if title else 0.1)))
        use_cjk_fonts(ax)
        ax.imshow(np.asarray(image), interpolation="bilinear")
        ax.set_axis_off()
        if title:
            ax.set_title(title)
        return fig
