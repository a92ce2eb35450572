"""Captions and credits of figures and tables: 图1 …, 表2 …, Fig. 3 …, 资料来源：…, 注：…, 孙东明制图, <1>….

They label a figure or a table, not the running text: the structure step keeps them as units of
their own (field ``caption``), out of the body text that word counts and measures read.
"""

from __future__ import annotations

import re

from corpus_tool.reading.headings import is_caption

# A source or note line under a figure or table (资料来源：国家统计局；注：……；数据来源: …).
_SOURCE_NOTE_RE = re.compile(r"^[\s\u3000]*(?:资料来源|数据来源|图片来源|注|Source|Note)s?[\s\u3000]*[:：]",
                             re.IGNORECASE)
# A credit: 孙东明制图, 制图：孙东明, 张三 摄, 摄影/供图 李四 (a name is two to four Han characters).
_CREDIT_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}[\s\u3000/／]*(?:制图|绘图|摄影|供图|摄)"
                        r"|(?:制图|绘图|摄影|供图|摄)[\s\u3000]*[:：/／]?[\s\u3000]*[\u4e00-\u9fff]{2,4})$")
# Labels under photos, numbered in angle brackets: <1>检视配电盘电表 <2>需量控制安装.
_PHOTO_LABELS_RE = re.compile(r"^(?:[<＜〈]\d{1,2}[>＞〉][^<＜〈>＞〉。；]{1,24})+$")
_SPACES_RE = re.compile(r"[\s\u3000]+")
MAX_NOTE_CHARS = 200  # a source or note line is short; a paragraph opening 注：is text


def is_caption_text(text: str) -> bool:
    """A figure's or table's caption, its source or note line, or a photo or map credit."""
    t = text.strip()
    squashed = _SPACES_RE.sub("", t)
    if ("图" in squashed or "摄" in squashed) and _CREDIT_RE.match(squashed):  # every credit word has one
        return True
    if len(squashed) > MAX_NOTE_CHARS:
        return False
    return is_caption(t) or _SOURCE_NOTE_RE.match(t) is not None or _PHOTO_LABELS_RE.match(squashed) is not None
