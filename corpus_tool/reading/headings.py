"""Chinese heading numbering: 第一编 第一章 第一节, 一、 （一） 1. （1）, and articles 第一条."""

from __future__ import annotations

import functools
import re

from corpus_tool.reading.textstats import without_spaces

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

# The label of a cover, not a title: 硕士研究生学位论文, 本科生毕业论文, 选题报告, 《……》网络首发论文, and the
# issuing institution's name above it (北京师范大学珠海分校, ……研究所): an issuer or affiliation, never the title.
COVER_LABEL_RE = re.compile(
    r"^(?:.{0,20}?(?:学位论文|毕业论文|毕业设计|选题报告|开题报告|网络首发论文|学位申请书|论文)"
    r"|.{2,20}(?:大学|学院|分校|研究院|研究所|科学院))$"
)


def is_cover_label(text: str) -> bool:
    """A cover's label or institution (:data:`COVER_LABEL_RE`), spaces and brackets aside."""
    return COVER_LABEL_RE.match(without_spaces(text).strip("()（）〔〕[]【】")) is not None

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


# Every numbering a heading may open with, from the outermost to the innermost as official documents
# nest them (Taiwan's and older documents put 壹、 above 一、). Used for levels only: whether a line is a
# heading at all is decided elsewhere (its layout in a PDF, ``heading_scheme`` in plain text).
_CAPITAL = "壹贰貳叁參肆伍陆陸柒捌玖拾佰"
NUMBERINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("编", re.compile(rf"^第[{NUM}\d]+(?:编|篇|部分)")),
    ("分编", re.compile(rf"^第[{NUM}\d]+分编")),
    ("章", re.compile(rf"^第[{NUM}\d]+章")),
    ("节", re.compile(rf"^第[{NUM}\d]+节")),
    ("壹、", re.compile(rf"^[{_CAPITAL}]+[、.．]")),
    ("一、", re.compile(rf"^[{NUM}]+[、.．]")),
    ("（一）", re.compile(rf"^[（(][{NUM}]+[）)]")),
    ("1.", re.compile(r"^\d{1,2}(?:[.．、](?!\d)|[\s\u3000])")),
    ("1.1", re.compile(r"^\d{1,2}[.．]\d{1,2}(?![.．]?\d)")),
    ("1.1.1", re.compile(r"^\d{1,2}[.．]\d{1,2}[.．]\d{1,2}(?![.．]?\d)")),
    ("1.1.1.1", re.compile(r"^\d{1,2}[.．]\d{1,2}[.．]\d{1,2}[.．]\d{1,2}")),
    ("（1）", re.compile(r"^[（(]\d{1,2}[）)]")),
    ("(a)", re.compile(r"^[（(][a-zA-Z][）)]|^[a-zA-Z][）)]")),
    ("①", re.compile(r"^[\u2460-\u2473]")),
)
_NUMBERING_RANK = {name: i for i, (name, _) in enumerate(NUMBERINGS)}
BACK_MATTER = "back"  # the "numbering" of a back-matter heading: it closes the chapters and stands at level 1

# Back matter: the reference list, acknowledgements, author notes, appendices, afterword. They follow the last
# chapter but belong to the whole document, so they never nest under it (附录A, Appendix 2 and 参考文献（续） too).
_BACK_MATTER_RE = re.compile(
    r"^[\[【〔]?\s*(?:参考文献|参考资料|主要参考文献|致谢|谢辞|作者简介|作者介绍|附录|后记"
    r"|references|bibliography|acknowledge?ments?|appendix|appendices|about the authors?)\s*[\]】〕]?"
    r"(?:$|[\s:：（(A-Z0-9一二三四五六七八九十])", re.IGNORECASE)
_BACK_MATTER_MAX = 30  # characters: a heading, not a sentence that happens to start with 附录


def is_back_matter(text: str) -> bool:
    """``参考文献``, ``致 谢``, ``附录A 调查问卷``, ``References``: a heading of the document's back matter."""
    t = re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "", text.strip().strip("\u3000"))
    return len(t) <= _BACK_MATTER_MAX and _BACK_MATTER_RE.match(t) is not None


# The heading of a reference list (参考文献, 参考文献（续）, [参考文献], References): the entries under it are the
# works cited, not the document's own text (field ``reference``).
_REFERENCE_LIST_RE = re.compile(
    r"^[\[【〔]?\s*(?:主要)?(?:参考文献|参考资料|引用文献)|^(?:references|bibliography|works cited|literature cited)\b",
    re.IGNORECASE)


def is_reference_list(text: str) -> bool:
    """``参考文献``, ``参 考 文 献``, ``References``: the heading of a reference list (a back-matter heading)."""
    t = re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "", text.strip().strip("\u3000"))
    return is_back_matter(t) and _REFERENCE_LIST_RE.match(t) is not None


SAME_SIZE = 0.5  # points: two headings this close in size are set alike


# A section number set with a space after its dots (``3. 1 发动机健康检查``: CAJ conversions and older
# journals); not a list item's number before a quantity or a date (``1. 2024年``, ``1. 12月``).
_SPACED_NUMBER_RE = re.compile(
    r"^(\d{1,2})[.．][ \u3000]?(\d{1,2})(?:[.．][ \u3000]?(\d{1,2}))?(?=[ \u3000]*[^\d\s.．,，%年月日号])")


def unspaced(text: str) -> str:
    """``3. 1 发动机`` → ``3.1 发动机``: the spaces inside a section number taken out, so it reads as the
    deeper numbering it is (not a ``1.`` followed by text)."""
    m = _SPACED_NUMBER_RE.match(text)
    if m is None or not any(ch in m.group(0) for ch in " \u3000"):
        return text
    return ".".join(g for g in m.groups() if g) + text[m.end():]


def numbering(text: str) -> str | None:
    """The numbering a heading opens with (``章`` for 第三章, ``1.1`` for 3.2 结果 and 3. 2 结果), or None."""
    t = unspaced(text.strip().strip("\u3000"))
    if is_back_matter(t):
        return BACK_MATTER
    return next((name for name, rx in NUMBERINGS if rx.match(t)), None)


def heading_levels(headings: list[tuple[str | None, float | None]]) -> list[int]:
    """Levels 1, 2, ... of a document's headings in order, from their numbering and font size.

    The first numbering met is level 1 and a new numbering met under an open one goes one deeper, so
    the levels follow the nesting the document itself uses (壹、 > 3.1 in one handbook, 一、 > 1. in a
    report). A new numbering does not nest under one that ranks inside it in the usual order (一、
    after a run of 1. closes the 1.), nor under a heading set smaller than itself. A numbering keeps
    the level it had once got (a code's 章 stays level 3 in a 编 without 分编). An unnumbered heading
    takes the level of the open heading set in its size, else it nests like a numbering of its own
    (one per size). A back-matter heading (:data:`BACK_MATTER`: 参考文献, 致谢, 附录) closes every open
    heading and is level 1, whatever chapter it follows. ``headings`` are (numbering, size) pairs; size None in
    plain text.
    """
    open_: list[tuple[str, float | None, int]] = []  # the open headings' keys, sizes and levels, outermost first
    seen: dict[str, int] = {}
    levels: list[int] = []
    for name, size in headings:
        if name == BACK_MATTER:
            open_.clear()
            open_.append((BACK_MATTER, size, 1))
            levels.append(1)
            continue
        key = name or (f"size:{round(size * 2) / 2}" if size is not None else "unnumbered")
        at = next((i for i, (k, _, _) in enumerate(open_) if k == key), None)
        if at is None and name is None and size is not None:
            at = next((i for i, (_, s, _) in enumerate(open_) if s is not None and abs(s - size) <= SAME_SIZE), None)
        if at is not None:
            del open_[at + 1:]
            levels.append(open_[at][2])
            continue
        rank = _NUMBERING_RANK.get(name) if name else None
        while open_:
            top, top_size, _ = open_[-1]
            top_rank = _NUMBERING_RANK.get(top)
            inner = rank is not None and top_rank is not None and top_rank > rank
            smaller = size is not None and top_size is not None and top_size < size - SAME_SIZE
            # an unnumbered heading holds only headings set smaller than itself (目录 is no parent of 壹、)
            loose = top.startswith("size:") and size is not None and top_size is not None \
                and top_size <= size + SAME_SIZE
            if not (inner or smaller or loose):
                break
            open_.pop()
        level = max((open_[-1][2] if open_ else 0) + 1, seen.get(key, 0))
        seen[key] = level
        open_.append((key, size, level))
        levels.append(level)
    return levels


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


@functools.lru_cache(maxsize=4096)  # layout and structure ask again about the same lines
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
