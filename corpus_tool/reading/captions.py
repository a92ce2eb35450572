"""Captions and credits of figures and tables: 图1 …, 表2 …, Fig. 3 …, 资料来源：…, 注：…, 孙东明制图, <1>….

They label a figure or a table, not the running text: the structure step keeps them as units of
their own (field ``caption``), out of the body text that word counts and measures read.
"""

from __future__ import annotations

import re

from corpus_tool.reading.headings import is_caption
from corpus_tool.reading.textstats import without_spaces

# A source or note line under a figure or table (资料来源：国家统计局；注：……；数据来源: …).
_SOURCE_NOTE_RE = re.compile(r"^[\s\u3000]*(?:资料来源|数据来源|图片来源|注|Source|Note)s?[\s\u3000]*[:：]",
                             re.IGNORECASE)
# A credit: 孙东明制图, 制图：孙东明, 张三 摄, 摄影/供图 李四 (a name is two to four Han characters).
_CREDIT_RE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}[\s\u3000/／]*(?:制图|绘图|摄影|供图|摄)"
                        r"|(?:制图|绘图|摄影|供图|摄)[\s\u3000]*[:：/／]?[\s\u3000]*[\u4e00-\u9fff]{2,4})$")
# Labels under photos, numbered in angle brackets: <1>检视配电盘电表 <2>需量控制安装.
_PHOTO_LABELS_RE = re.compile(r"^(?:[<＜〈]\d{1,2}[>＞〉][^<＜〈>＞〉。；]{1,24})+$")
MAX_NOTE_CHARS = 200  # a source or note line is short; a paragraph opening 注：is text


def is_caption_text(text: str) -> bool:
    """A figure's or table's caption, its source or note line, or a photo or map credit."""
    t = text.strip()
    if "图" not in t and "摄" not in t and t[:1] not in "<＜〈":
        # No credit (each credit word has 图 or 摄) and no photo labels: a caption or a note, if short. Most
        # paragraphs end here, after two anchored matches, without a copy of the text without its spaces.
        return ((is_caption(t) or _SOURCE_NOTE_RE.match(t) is not None)
                and len(without_spaces(t)) <= MAX_NOTE_CHARS)
    squashed = without_spaces(t)
    if _CREDIT_RE.match(squashed):
        return True
    if len(squashed) > MAX_NOTE_CHARS:
        return False
    return is_caption(t) or _SOURCE_NOTE_RE.match(t) is not None or _PHOTO_LABELS_RE.match(squashed) is not None
