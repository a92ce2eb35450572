"""Plots that draw Chinese with no font set-up: importing this package registers an open CJK font.

Every function returns a :class:`matplotlib.figure.Figure` (shown once in Jupyter; save it with
``fig.savefig("plot.png")``, ``.pdf`` or ``.svg``) and leaves the user's rcParams unchanged.
"""

from __future__ import annotations

from corpus_tool.plot.bars import plot_frequencies, plot_keyness
from corpus_tool.plot.dispersion import plot_dispersion
from corpus_tool.plot.fonts import CJKFont, CJKFontWarning, cjk_font, cjk_rc, register_cjk_font
from corpus_tool.plot.topics import plot_k_sweep, plot_topic_shares, plot_topic_terms
from corpus_tool.plot.trends import plot_trends
from corpus_tool.plot.wordcloud import plot_wordcloud, wordcloud_image

register_cjk_font()

__all__ = [
    "CJKFont",
    "CJKFontWarning",
    "cjk_font",
    "cjk_rc",
    "plot_dispersion",
    "plot_frequencies",
    "plot_k_sweep",
    "plot_keyness",
    "plot_topic_shares",
    "plot_topic_terms",
    "plot_trends",
    "plot_wordcloud",
    "register_cjk_font",
    "wordcloud_image",
]
