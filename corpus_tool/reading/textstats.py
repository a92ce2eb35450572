"""Counts over a whole string in C (regular expressions, ``str.encode``, numpy) instead of a Python loop
per character: the reading step measures every line of every document."""

from __future__ import annotations

import functools
import operator
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np



@functools.lru_cache(maxsize=8192)  # the layout step measures the same lines again and again
def visible_width(text: str) -> float:
    """Length as the page measured it, spaces left out: ASCII letters and digits take half a CJK cell.

    The same value as ``sum(0.5 if ch.isascii() else 1.0 for ch in text if not ch.isspace())``.
    """
    visible = without_spaces(text)
    n_ascii = len(visible.encode("ascii", "ignore"))
    return n_ascii * 0.5 + (len(visible) - n_ascii)


def without_spaces(text: str) -> str:
    """``text`` without its white space (``str.isspace``, ideographic spaces too); ~3× faster than
    ``re.sub(r"\\s+", "", text)``, which removes the same characters."""
    return "".join(text.split())


def count_not_space(text: str) -> int:
    """How many characters of ``text`` are not white space (``str.isspace``)."""
    return len(without_spaces(text))


# Up to this length the counts below are taken in plain Python (~3 ms at most): a one-file ingest in a fresh process
# then does not import numpy (~0.1 s) for a page's worth of text.
PLAIN_MAX_CHARS = 20_000


def count_changed(a: str, b: str) -> int:
    """How many positions of two strings of equal length differ."""
    if len(a) != len(b):
        raise ValueError("strings of different lengths")
    if a == b:  # the common case (a simplified text that t2s leaves as it is), in one memcmp
        return 0
    if len(a) <= PLAIN_MAX_CHARS:
        return sum(map(operator.ne, a, b))
    import numpy as np

    x = np.frombuffer(a.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    y = np.frombuffer(b.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero(x != y))


@functools.cache
def _outside_re(ranges: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """A pattern of the characters outside the inclusive ranges."""
    return re.compile("[^" + "".join(f"{re.escape(first)}-{re.escape(last)}" for first, last in ranges) + "]+")


def count_in_ranges(text: str, ranges: tuple[tuple[str, str], ...]) -> int:
    """How many characters of ``text`` fall in any of the inclusive ``(first, last)`` ranges."""
    if not text:
        return 0
    if len(text) <= PLAIN_MAX_CHARS:  # sre is ~8× slower than numpy per character, but needs no import
        return len(_outside_re(ranges).sub("", text)) if ranges else 0
    import numpy as np

    return int(np.count_nonzero(_inside(text, ranges)[1]))


def keep_in_ranges(text: str, ranges: tuple[tuple[str, str], ...]) -> str:
    """The characters of ``text`` that fall in any of the inclusive ``(first, last)`` ranges, in order.

    In numpy once it is loaded (~6× faster than the regex on a document's text), or for a long text;
    by the regex otherwise, so that a small one-file ingest does not import it. The same string either way.
    """
    if not text or not ranges:
        return ""
    if len(text) <= PLAIN_MAX_CHARS and "numpy" not in sys.modules:
        return _outside_re(ranges).sub("", text)
    cps, inside = _inside(text, ranges)
    return cps[inside].tobytes().decode("utf-32-le", "surrogatepass")


def _inside(text: str, ranges: tuple[tuple[str, str], ...]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``text`` and which of them fall in the ranges."""
    import numpy as np

    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    inside = np.zeros(len(cps), dtype=bool)
    for first, last in ranges:  # first <= cp <= last in one comparison: below first, cp - first wraps round
        inside |= (cps - np.uint32(ord(first))) <= np.uint32(ord(last) - ord(first))
    return cps, inside
