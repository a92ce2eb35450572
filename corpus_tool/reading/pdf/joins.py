"""Joins where a sentence runs out at a column's foot, before a figure or at a page's end.

The block step decides by layout whether the next line goes on with the open paragraph. When the
layout says no but the sentence is plainly unfinished (the line stopped on a Han character), the
junction itself is read: a dictionary word that runs across it (``支|撑`` of ``支撑体系``) shows the
two lines are one sentence. When nothing shows it, the break is kept and logged, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def _han_edges() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The Han characters ending and starting a line: compiled at the first junction judged (milliseconds)."""
    return re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,6}$"), re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{1,6}")


@cache
def _cut() -> Callable[[str], list[str]]:
    """jieba's precise mode without HMM, on its default dictionary: jieba-rs when installed (it loads in a
    fraction of the time, and without HMM gives jieba's tokens), else the Python package."""
    from corpus_tool.segment import jieba_backend

    try:
        rust: Any = jieba_backend.rust_tokenizer([])
        return lambda text: list(rust.cut(text, False))
    except ImportError:
        python: Any = jieba_backend.python_tokenizer([])
        return lambda text: list(python.lcut(text, HMM=False))


def word_across(end: str, start: str) -> bool:
    """A dictionary word spans the junction of ``end`` (a line's text) and ``start`` (the next line's).

    Only the Han characters next to the junction are segmented, without jieba's HMM (it would make
    up words); a word of two or more characters with characters on both sides of the junction counts.
    """
    han_end, han_start = _han_edges()
    left, right = han_end.search(end.rstrip()), han_start.search(start.lstrip())
    if left is None or right is None:
        return False
    cut = len(left[0])
    pos = 0
    for token in _cut()(left[0] + right[0]):
        if pos < cut < pos + len(token):
            return True
        pos += len(token)
    return False
