"""Stopword lists: a general Chinese list from ``stopwordsiso``, the shipped policy-boilerplate list, user files.

A token is flagged ``is_stop`` when it is in the combined list or holds no letter, digit or CJK
character (punctuation and symbols), so every analysis skips the same tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from corpus_tool.segment.lexicon import POLICY_STOPWORDS, data_path, read_stopwords

# A token with none of these is punctuation or a symbol. Written with literal characters so that the same
# pattern works in Python's re and in Arrow's RE2 (which has no \u escapes).
CONTENT_PATTERN = "[0-9A-Za-z\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]"
_CONTENT = re.compile(CONTENT_PATTERN)


@lru_cache(maxsize=1)
def general_stopwords() -> frozenset[str]:
    """The Chinese list of the maintained ``stopwordsiso`` package (794 words in 0.7.1)."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh"))


def policy_stopwords() -> list[str]:
    """The shipped policy-boilerplate list (为深入贯彻落实, 各地区各部门 ...), in file order."""
    words, _ = read_stopwords(data_path(POLICY_STOPWORDS))
    return words


def stopword_set(default: bool, files: Iterable[str]) -> frozenset[str]:
    """The combined stopword set: the general and policy lists when ``default``, plus every user file."""
    words: set[str] = set()
    if default:
        words |= general_stopwords()
        words.update(policy_stopwords())
    for path in files:
        words.update(read_stopwords(path)[0])
    return frozenset(words)


def is_punct(token: str) -> bool:
    """True for a token with no letter, digit or CJK character."""
    return _CONTENT.search(token) is None
