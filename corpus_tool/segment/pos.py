"""POS tags by dictionary lookup, the same for every backend, so ``--pos`` never changes the tokens.

jieba's ``posseg`` re-segments text with its own HMM (different tokens from precise mode) and is about
10x slower, so tags here come from jieba's dictionary (``dict.txt``, ICTCLAS-style tags) overridden by
the lexicon and user dictionaries; a word in no dictionary gets ``m`` (number), ``eng`` (Latin letters),
``x`` (punctuation or symbol) or ``un`` (an unknown Chinese word).
"""

from __future__ import annotations

import re
from pathlib import Path

from corpus_tool.segment.lexicon import DictEntry
from corpus_tool.segment.stopwords import is_punct

_NUMBER = re.compile(r"^[0-9０-９.,%．％〇零一二三四五六七八九十百千万亿两]+$")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")


class DictTagger:
    """Tag tokens from jieba's dictionary plus ``entries`` (their tags win)."""

    def __init__(self, entries: list[DictEntry]) -> None:
        import jieba

        self.tags: dict[str, str] = {}
        with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    self.tags[parts[0]] = parts[2]
        for e in entries:
            if e.tag:
                self.tags[e.word] = e.tag

    def tag(self, token: str) -> str:
        t = self.tags.get(token)
        if t:
            return t
        if _NUMBER.match(token):
            return "m"
        if _LATIN.search(token):
            return "eng"
        if is_punct(token):
            return "x"
        return "un"

    def tag_all(self, tokens: list[str]) -> list[str]:
        get = self.tags.get
        return [get(t) or self.tag(t) for t in tokens]
