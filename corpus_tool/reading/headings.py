"""Chinese heading numbering: 第一编 第一章 第一节, 一、 （一） 1. （1）, and articles 第一条."""

from __future__ import annotations

import re

NUM = "一二三四五六七八九十百千零〇两"

# Numbering schemes from the outermost to the innermost, as Chinese official documents and
# journal articles use them. The level of a heading is the rank of its scheme among the
# schemes a document actually uses.
SCHEMES: list[tuple[str, re.Pattern[str]]] = [
    ("编", re.compile(rf"^第[{NUM}\d]+编")),
    ("章", re.compile(rf"^第[{NUM}\d]+章")),
    ("节", re.compile(rf"^第[{NUM}\d]+节")),
    ("一、", re.compile(rf"^[{NUM}]+[、.．]")),
    ("（一）", re.compile(rf"^[（(][{NUM}]+[）)]")),
    ("1.", re.compile(r"^\d{1,2}(?:[.．](?!\d)|、)")),
    ("1.1", re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?(?=[\s\u3000\D])")),
    ("（1）", re.compile(r"^[（(]\d{1,2}[）)]")),
]
ARTICLE_RE = re.compile(rf"^第[{NUM}\d]+条(?=[\s\u3000]|$)")

# The same numbering as the PDF block step reads it. A PDF line also has its size, font and position,
# which decide whether it is a heading, so these only name the numbering (looser: ``1.2 `` with a
# space, 第一部分 and 分编 of codified laws); plain text has nothing but the text, hence SCHEMES' stricter
# patterns. Kinds from the outermost to the innermost.
LAYOUT_SCHEMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"第[{NUM}\d]+(?:编|篇|部分)")),  # 篇: the parts of a five-year plan
    ("subpart", re.compile(rf"第[{NUM}\d]+分编")),
    ("chapter", re.compile(rf"第[{NUM}\d]+章")),
    ("section", re.compile(rf"第[{NUM}\d]+节")),
    ("cn", re.compile(r"[一二三四五六七八九十]+、")),
    ("cn_paren", re.compile(r"[（(][一二三四五六七八九十]+[）)]")),
    ("arabic", re.compile(r"\d{1,2}(?:\.\d{1,2})*[.．、\s]")),
)


# A figure's or table's caption: 图3 / 表2.1-2 / 圖3.2-3 / Figure 4 / Table 1, then its title (not a
# sentence about the figure: 图8为…, 表1中…, 图5所示…).
CAPTION_RE = re.compile(
    r"^\s*(?:图|圖|表|Fig\.|Figure|Table)\s*[0-9０-９]{1,3}(?:[.．\-–－][0-9０-９]{1,3})*[a-z]?"
    r"(?:\s*[:：.．、]\s*|\s+|(?=[^\s\d]))(?![为是中所示显示表明可见给出展示反映和与及的、，,;；.。)）\]图圖表])\S",
    re.IGNORECASE)


def is_caption(text: str) -> bool:
    """The text opens with a figure's or table's number and title (图3 多机器人…, Table 1 Results)."""
    return CAPTION_RE.match(text) is not None


def pattern_kind(text: str) -> str | None:
    """The kind of numbering a PDF line starts with (``chapter`` for 第三章 ...), or None."""
    for kind, rx in LAYOUT_SCHEMES:
        if rx.match(text):
            return kind
    return None
_SENTENCE_INSIDE = re.compile(r"[。；！？;!?]")
MAX_HEADING_CHARS = 60


def heading_scheme(line: str) -> str | None:
    """The numbering scheme that ``line`` starts with, if it reads as a heading.

    A heading is short and has no sentence punctuation inside (a run-in heading such as
    ``（一）扩大内需。推动消费……`` is a paragraph, not a section).
    """
    text = line.strip().strip("\u3000")
    if not text or len(text) > MAX_HEADING_CHARS or _SENTENCE_INSIDE.search(text.rstrip("。")):
        return None
    if text.endswith(("。", "，", "；", "：")):
        return None
    for name, pattern in SCHEMES:
        if pattern.match(text):
            if name in ("1.", "1.1", "（1）") and len(text) > 40:
                return None
            return name
    return None


def is_article(line: str) -> bool:
    """``第十二条 ……``: an article of a law or regulation, which starts a paragraph."""
    return ARTICLE_RE.match(line.strip().strip("\u3000")) is not None


def levels_for(schemes_in_order: list[str]) -> dict[str, int]:
    """Map each scheme a document uses to a level 1, 2, ... by the canonical nesting order."""
    rank = [name for name, _ in SCHEMES]
    used = sorted(set(schemes_in_order), key=rank.index)
    return {name: i + 1 for i, name in enumerate(used)}


_DIGIT_VALUES = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """一千二百六十 → 1260, 十一 → 11, 一百零一 → 101; Arabic digits pass through. None if not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGIT_VALUES and ch not in _UNIT_VALUES for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        else:
            total += (1 if digit is None else digit) * _UNIT_VALUES[ch]
            digit = None
    return total + (digit or 0)
