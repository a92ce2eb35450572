"""Structure recovery: cleaned blocks → title, abstract, keywords, sections, paragraphs, citations."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from corpus_tool.reading.captions import is_caption_text
from corpus_tool.reading.contents import drop_contents, squash
from corpus_tool.reading.headings import heading_scheme, is_back_matter, is_cover_label, is_reference_list, levels_for
from corpus_tool.reading.metadata import VOLUME_ISSUE_RE, doc_type_of, is_masthead
from corpus_tool.reading.model import (
    FOOTNOTE,
    FRONT,
    HEADING,
    PARA,
    TITLE,
    Block,
    Citation,
    Footnote,
    LogEntry,
    Section,
    Unit,
)
from corpus_tool.reading.model import (
    joined as join_blocks,
)
from corpus_tool.reading.outline import recover_headings
from corpus_tool.reading.repair import CANONICAL_CITE_RE
from corpus_tool.reading.textlayout import FIELD_LABEL_RE, ends_sentence
from corpus_tool.reading.textstats import without_spaces

_LABEL_SPLIT_RE = re.compile(r"^[\s\u3000]*[\[【［]?(?P<label>[^:：\]】］]+)[\]】］]?[\s\u3000]*[:：][\s\u3000]*")
_KEYWORD_SEP_RE = re.compile(r"[；;，,、\s\u3000]+")
_LABEL_NAMES = {
    "摘要": "abstract", "abstract": "abstract_en", "关键词": "keywords", "关键字": "keywords",
    "keywords": "keywords_en", "keyword": "keywords_en", "中图分类号": "classification",
    "文献标志码": "document_code", "文献标识码": "document_code", "文章编号": "article_number", "doi": "doi",
    "收稿日期": "received", "基金项目": "funding", "作者简介": "author_note", "通讯作者": "corresponding_author",
    "通信作者": "corresponding_author",
    # Chinese magazines label the lead summary 核心提示/内容提要; older journals index by 主题词/分类号.
    "核心提示": "abstract", "内容提要": "abstract", "内容摘要": "abstract", "提要": "abstract",
    "主题词": "keywords", "分类号": "classification",
    # a CNKI first-publication cover
    "网络首发日期": "online_date", "引用格式": "cite_as",
}
# Labels written without a colon: in brackets (【摘要】, [摘要]) anywhere; bare (核心提示本文……) only
# at the start of a block in the front matter, where cleaning has taken out the space after them.
_BRACKET_LABEL_RE = re.compile(r"^[\s\u3000]*[\[【［〔]\s*(?P<label>[^\]】］〕]{2,12}?)\s*[\]】］〕][\s\u3000:：]*")
_BARE_LABEL_RE = re.compile(
    r"^[\s\u3000]*(?P<label>核心提示|内容提要|内容摘要|摘[\s\u3000]*要|关[\s\u3000]*键[\s\u3000]*[词字]"
    r"|主[\s\u3000]*题[\s\u3000]*词)[\s\u3000]*(?=\S)"
)
# A label run into the end of the block before (……能力.关键词:……): the line break was lost in cleaning.
# Labels no sentence contains (中图分类号: TP24 文献标志码: A) split anywhere.
_INLINE_LABEL_RE = re.compile(
    r"(?<=[。.!?！？；;])[\s\u3000]*(?=(?:关[\s\u3000]*键[\s\u3000]*[词字]|主[\s\u3000]*题[\s\u3000]*词|Key\s*words?"
    r"|中图分类号|文献标[志识]码|文章编号|DOI)[\s\u3000]*[:：])"
    r"|(?<=\S)[\s\u3000]*(?=(?:中图分类号|文献标[志识]码|文章编号)[\s\u3000]*[:：])",
    re.IGNORECASE,
)
_CANONICAL_LABEL = {"keywords": "关键词", "classification": "中图分类号"}
_FRONT_PAGES = 3  # bare labels and absorbed abstract lines only on the first pages
_FRONT_BLOCKS = 15  # or, in a text without pages, in its first blocks
_ABSTRACT_MAX_BLOCKS = 15


@dataclass
class Structured:
    title: str = ""
    title_in_text: bool = False
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    labelled: dict[str, str] = field(default_factory=dict)  # other labelled front-matter fields
    log: list[LogEntry] = field(default_factory=list)


def _undouble(label: str) -> str:
    """``摘摘要要`` → ``摘要``: a fake-bold label drawn twice and extracted twice."""
    if len(label) >= 4 and len(label) % 2 == 0 and label[0::2] == label[1::2]:
        return label[0::2]
    return label


def split_label(text: str, bare: bool = False) -> tuple[str | None, str]:
    """``摘　要: 因地制宜……`` → ("abstract", "因地制宜……"); ``【摘要】……`` too; with ``bare``, a
    known front-matter label that runs straight into its text (``核心提示本文……``)."""
    m = _LABEL_SPLIT_RE.match(text) if ":" in text or "：" in text else None  # its label ends at a colon
    if m:
        label = _undouble(without_spaces(m.group("label")).lower())
        if FIELD_LABEL_RE.match(text) or label in _LABEL_NAMES:
            return _LABEL_NAMES.get(label, label), text[m.end():].strip()
    for rx, on in ((_BRACKET_LABEL_RE, True), (_BARE_LABEL_RE, bare)):
        m = rx.match(text) if on else None
        if m:
            label = without_spaces(m.group("label")).lower()
            value = text[m.end():].strip()
            # a bare 关键词 is a label only before a list (关键词是…… is a sentence)
            if label in _LABEL_NAMES and (rx is _BRACKET_LABEL_RE or _LABEL_NAMES[label] != "keywords"
                                          or re.search("[；;]", value)):
                return _LABEL_NAMES[label], value
    return None, text


_ZH_KEYWORDS_LINE_RE = re.compile(
    r"^(?P<label>[\s\u3000]*[\[【［]?(?:关[\s\u3000]*键[\s\u3000]*[词字]|主[\s\u3000]*题[\s\u3000]*词)[\]】］]?"
    r"[\s\u3000]*[:：]?[\s\u3000]*)(?P<value>.+)$"
)


def keep_keyword_spaces(text: str) -> str:
    """``主题词: 航空发动机 故障诊断系统`` → ``主题词: 航空发动机；故障诊断系统``, before cleaning takes
    the spaces between Han characters out and with them the only boundary between the keywords."""
    out = []
    for line in text.split("\n"):
        m = _ZH_KEYWORDS_LINE_RE.match(line)
        if m and not re.search(r"[；;，,、]", m.group("value")):
            line = m.group("label") + re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "；",
                                             m.group("value").strip())
        out.append(line)
    return "\n".join(out)


_CLC_RE = re.compile(r"(?<![A-Za-z])[A-Z]{1,2}[\s\u3000]*\d+(?:[\s\u3000]*[.．][\s\u3000]*\d+)*")


def clc_codes(value: str) -> str:
    """中图分类号 as codes: ``V 263. 6 V 328. 5`` (a CAJ conversion's spacing) → ``V263.6；V328.5``.
    A value without a code is kept as printed."""
    codes = [without_spaces(c).replace("．", ".") for c in _CLC_RE.findall(value)]
    return "；".join(codes) if codes else value


def _ends_sentence(text: str) -> bool:
    """。！？； and, in journals that print Western punctuation, a final full stop."""
    return ends_sentence(text) or text.rstrip().endswith((".", "．"))


def _front_zone(blocks: list[Block]) -> int:
    """Index of the first block past the front matter: the first numbered heading, or the first
    block after the first pages (after the first blocks of a text without pages)."""
    pages = [b.page for b in blocks if b.page is not None]
    last_page = (min(pages) + _FRONT_PAGES - 1) if pages else None
    for i, b in enumerate(blocks if pages else blocks[:_FRONT_BLOCKS]):
        if b.kind == HEADING and heading_scheme(b.text) is not None:
            return i
        if last_page is not None and b.page is not None and b.page > last_page:
            return i
    return len(blocks) if pages else min(len(blocks), _FRONT_BLOCKS)


_FRONT_GAP = 6  # blocks between two front-matter blocks that are front matter too
# A sentence's end inside a block: 。！？, a full stop after Han text (journals in Western punctuation:
# 范式.但是), or after an English word before the next sentence. Not 1. School of… nor 北京100083；.
_SENTENCE_END_RE = re.compile(r"[。！？]|[\u4e00-\u9fff）)\]][.．](?!\d)|[a-z]{2}[.] [A-Z]")


def _is_running(block: Block) -> bool:
    """Running text (sentences), not the short lines of a cover, a byline or an affiliation."""
    return _SENTENCE_END_RE.search(block.text) is not None


def mark_front_matter(front: list[Block], body_page: int | None) -> list[Block]:
    """Mark the front matter among the blocks before the body (the first numbered heading).

    - A cover or title page: a page wholly before the body's first page with no running text on it
      (the English title page of a thesis: Thesis submitted to / Tsinghua University / by …); its
      headings and lines are front matter, not sections. So is a journal's masthead above the title
      (第9卷第4期 … Vol 9 No 4).
    - Labelled fields (DOI：, 引用格式：, 中图分类号：) and the short lines between two front-matter
      blocks (an English title, authors and affiliations between 引用格式 and Abstract): front
      matter, so a field printed twice (on a cover and under the title) never becomes body text.
    """
    pages = {b.page for b in front if b.page is not None}
    running = {b.page for b in front if b.kind in (PARA, HEADING) and _is_running(b)}
    cover_pages = {p for p in pages if p not in running and body_page is not None and p < body_page
                   and not any(r is not None and r < p for r in running)}
    title_at = next((i for i, b in enumerate(front) if b.kind == TITLE), 0)
    is_front = [b.kind in (FRONT, TITLE) or (b.kind in (PARA, HEADING) and b.page in cover_pages)
                or (b.kind == PARA and split_label(b.text)[0] is not None)
                or (i < title_at and b.kind == PARA and VOLUME_ISSUE_RE.search(b.text) is not None
                    and not _is_running(b))  # a journal's masthead above the title
                for i, b in enumerate(front)]
    anchors = [i for i, flag in enumerate(is_front) if flag]
    if title_at == 0 and front and front[0].kind == PARA and _looks_like_title(front[0].text) and anchors[:1] != [0]:
        anchors.insert(0, 0)  # plain text: the first line is the title, so a byline under it is front matter too
    for a, b in itertools.pairwise(anchors):
        if 1 < b - a <= _FRONT_GAP + 1 and all(front[k].kind == PARA and not _is_running(front[k])
                                               for k in range(a + 1, b)):
            for k in range(a + 1, b):
                is_front[k] = True
    return [replace(b, kind=FRONT) if flag and b.kind in (PARA, HEADING) else b
            for b, flag in zip(front, is_front, strict=True)]


_CITE_TYPE_RE = re.compile(r"^\[[A-Z]{1,2}(?:/OL)?\]")


def gather_front_fields(blocks: list[Block]) -> tuple[list[Block], int]:
    """Front matter as labelled blocks: split a label run into the block before it, write bare
    and bracketed labels as ``label：value``, and give an abstract the blocks it runs on into.

    An abstract continues into the next blocks while its text stops mid-sentence (a coloured box or
    a narrow column breaks it into pieces), or, under a 摘要 heading of its own, over the paragraphs
    on its page. Returns the blocks and the number of blocks joined to abstracts.
    """
    end = _front_zone(blocks)
    front: list[Block] = []
    for block in blocks[:end]:
        pieces = _INLINE_LABEL_RE.split(block.text) if block.kind != FOOTNOTE else [block.text]
        front += [replace(block, kind=block.kind if i == 0 else FRONT, text=p.strip())
                  for i, p in enumerate(pieces) if p.strip()]
    if end < len(blocks):  # the body follows: what comes before it may be a cover
        front = mark_front_matter(front, blocks[end].page)
    out: list[Block] = []
    joined = 0
    i = 0
    while i < len(front):
        block = front[i]
        label, value = split_label(block.text, bare=True) if block.kind != FOOTNOTE else (None, "")
        lone = _LABEL_NAMES.get(_undouble(squash(block.text)).lower())
        if label is None and block.kind != FOOTNOTE and lone in ("abstract", "abstract_en"):
            label, value = lone, ""  # 摘要 / ABSTRACT as a heading of its own
        i += 1
        if label not in ("abstract", "abstract_en"):
            if label in _CANONICAL_LABEL and split_label(block.text)[0] is None:  # bare 关键词……
                block = replace(block, kind=FRONT, text=f"{_CANONICAL_LABEL[label]}：{value}")
            # 引用格式：作者．题名 / [J/OL]．刊名…: a citation broken before its GB/T 7714 type marker
            while label == "cite_as" and i < len(front) and _CITE_TYPE_RE.match(front[i].text):
                block = join_blocks([block, front[i]], block.text + front[i].text)
                i += 1
            out.append(block)
            continue
        under_heading = not value  # 摘要 as a heading, the text in the paragraphs below
        parts = [value] if value else []
        pieces = [block]
        while i < len(front) and len(parts) < _ABSTRACT_MAX_BLOCKS:
            nxt = front[i]
            if nxt.kind in (FOOTNOTE, TITLE) or split_label(nxt.text, bare=True)[0] is not None:
                break
            if under_heading:
                if nxt.kind == HEADING or (parts and nxt.page != block.page):
                    break
            elif _ends_sentence(parts[-1]) or nxt.page not in (block.page, (block.page or 0) + 1):
                break
            parts.append(nxt.text)
            pieces.append(nxt)
            i += 1
        joined += len(parts) - (1 if value else 0)
        if label == "abstract_en":  # English lines were broken at spaces
            text = ("\n" if under_heading else " ").join(parts)
            out.append(replace(join_blocks(pieces, f"Abstract: {text}"), kind=FRONT))
        else:
            text = ("\n" if under_heading else "").join(parts)
            out.append(replace(join_blocks(pieces, f"摘要：{text}"), kind=FRONT))
    return out + blocks[end:], joined


def extract_citations(text: str, para_no: int) -> tuple[str, list[Citation]]:
    """Move canonical markers ``[n:page]`` / ``[n]`` / ``[1,3-5]`` out of the text."""
    if "[" not in text:  # most paragraphs: no marker
        return text, []
    cites: list[Citation] = []
    pieces: list[str] = []
    last = 0
    for m in CANONICAL_CITE_RE.finditer(text):
        pieces.append(text[last:m.start()])
        offset = sum(len(p) for p in pieces)
        for number in _expand_numbers(m.group(1)):
            cites.append(Citation(para_no=para_no, number=number, page=m.group(2), offset=offset))
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces), cites


def _expand_numbers(spec: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"[,，]", spec):
        bounds = re.split(r"[-–~～]", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit() and int(bounds[0]) <= int(bounds[1]):
            out.extend(range(int(bounds[0]), min(int(bounds[1]), int(bounds[0]) + 50) + 1))
        elif part.isdigit():
            out.append(int(part))
    return out


def _footnote(block: Block, fallback_no: int) -> Footnote:
    """A footnote keeps its own number (``1 参见……``, ``①参见……``) when it starts with one."""
    m = _FOOTNOTE_NO_RE.match(block.text)
    if m and m.end() < len(block.text):
        number = int(m.group(1)) if m.group(1) else ord(m.group(2)) - ord("①") + 1
        return Footnote(number, block.text[m.end():].strip(), block.page)
    if block.text.startswith("↑"):
        return Footnote(fallback_no, block.text[1:].strip(), block.page)
    return Footnote(fallback_no, block.text, block.page)


def _looks_like_title(text: str) -> bool:
    return (
        0 < len(text) <= 80
        and "\n" not in text
        and not ends_sentence(text)
        and not text.endswith(("，", "：", ":", "、"))
        and heading_scheme(text) is None
        and split_label(text)[0] is None
    )


# a note's own number, not the start of a date or a quantity (``1993年11月收到`` keeps its year)
_FOOTNOTE_NO_RE = re.compile(r"^(?:(\d{1,3})(?![\d年月日时号%‰]|[.．]\d)|([①-⑳]))[\s\u3000.．、]*")


# The editor's note that closes an article in Chinese journals: （责任编辑 魏星禄）, [责任编辑：X], 【本文编辑 X】.
_EDITOR_NOTE_RE = re.compile(
    r"[（(\[【〔][\s\u3000]*(?:责任编辑|责任校对|本文编辑)[\s\u3000:：]*[^\s（()）\[\]【】〔〕]{1,12}[）)\]】〕]"
)
# An English abstract's label (ABSTRACT The feasibility …, Abstract: …) after the next article's title and authors.
_ABSTRACT_EN_RE = re.compile(r"\b(?:ABSTRACT|Abstract)\b[\s:：]*")
_MAX_OPENING = 400  # characters of a title, authors and affiliations before that abstract


def split_article_ends(blocks: list[Block]) -> tuple[list[Block], set[int]]:
    """Cut a body block after the editor's note that ends an article: the next article's opening (on
    the same journal page, or the page after) is not part of the last reference or paragraph.

    The block keeps the text up to the note; the rest becomes front matter (the next title, authors,
    affiliations) up to an English abstract label, and a paragraph from there. Returns the blocks and
    the ids of those that open a next article (they belong to no section of this one).
    """
    out: list[Block] = []
    starts: set[int] = set()
    for block in blocks:
        # each note names 编辑 or 校对: a paragraph without either is not searched
        noted = block.kind == PARA and ("编辑" in block.text or "校对" in block.text)
        m = _EDITOR_NOTE_RE.search(block.text) if noted else None
        rest = block.text[m.end():].strip() if m else ""
        if m is None or not rest:
            out.append(block)
            continue
        out.append(replace(block, kind=PARA, text=block.text[:m.end()].strip(), level=None))
        label = _ABSTRACT_EN_RE.search(rest)
        if label is not None and 0 < label.start() <= _MAX_OPENING:
            out.append(replace(block, kind=FRONT, text=rest[:label.start()].strip(), level=None))
            rest = rest[label.start():]
        else:
            out.append(replace(block, kind=PARA, text=rest, level=None))
            rest = ""
        starts.add(id(out[-1]))
        if rest:
            out.append(replace(block, kind=PARA, text=rest, level=None))
    return out, starts


# Measured on the OCR'd real files: both OCR titles were misread (证券 → 证着 at 68, "…论文KIPX模" at 78),
# while whole headings OCR read right scored 86–96. The title is the document's name in every table, so one
# OCR read less surely than this is body text and the title falls back as when there is none. (Headings are
# left: correct short ones such as 目录 or 致谢 can score below 20, so confidence does not tell junk from them.)
OCR_TITLE_MIN_CONF = 85.0


def _unsure_ocr(block: Block) -> bool:
    return block.source != "text" and block.ocr_confidence is not None and block.ocr_confidence < OCR_TITLE_MIN_CONF


def demote_unsure_title(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The blocks with each title OCR read below :data:`OCR_TITLE_MIN_CONF` made body paragraphs, and those."""
    out, unsure = [], []
    for b in blocks:
        if b.kind == TITLE and _unsure_ocr(b):
            b = replace(b, kind=PARA, level=None)
            unsure.append(b)
        out.append(b)
    return out, unsure


_MASTHEAD_REACH = 4  # blocks under a red header searched for the title (the document number comes between)


def title_under_masthead(blocks: list[Block]) -> tuple[list[Block], Block | None]:
    """The blocks with the title of an official document that opens with a red header (红头: the issuer's name,
    XX文件) made its title: the first line after it on its page that reads as a title and names a document
    type (纪律处分决定书, ……的通知). The red header, when it was taken as the title, becomes front matter.
    Returns the blocks and the new title block (None when nothing changed)."""
    if not blocks or not is_masthead(blocks[0].text) or blocks[0].kind not in (TITLE, PARA, FRONT):
        return blocks, None
    if next((i for i, b in enumerate(blocks) if b.kind == TITLE), 0) != 0:
        return blocks, None  # the extractor's title is not the header: it stands
    for i, b in enumerate(blocks[1:1 + _MASTHEAD_REACH], 1):
        if b.page != blocks[0].page:
            break
        text = b.text.strip()
        if (b.kind in (TITLE, HEADING, PARA) and len(text) <= 60 and _looks_like_title(text)
                and doc_type_of(text) and not is_masthead(text) and not _unsure_ocr(b)):
            out = [replace(blk, kind=FRONT, level=None) if k < i and blk.kind == TITLE else blk
                   for k, blk in enumerate(blocks)]
            out[i] = replace(b, kind=TITLE, level=None)
            return out, out[i]
    return blocks, None


_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_NUMBERED_RE = re.compile(r"^[\s\u3000]*(?:\d{1,2}(?:[.．]\d{1,2})*|[IVX]{1,5}[.．]"
                          r"|(?:Chapter|Part|Section|Appendix)\b)", re.IGNORECASE)
HAN_DOCUMENT_SHARE = 0.3  # a document whose visible characters are this share Han or more is a Chinese one


def demote_foreign_ocr_headings(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """In a Chinese document, headings OCR read with no Han character, no numbering and a mean confidence below
    :data:`OCR_TITLE_MIN_CONF` made body paragraphs; returns the blocks and those demoted.

    They are the words of a logo, a code listing's caption or a figure's box (``Tsinghua University``,
    ``QuickSort``) that OCR set apart like a heading, not a section of the text. Numbered headings
    (``1.1 Single-Objective Programming``) and short Han ones read unsurely (目录, 致谢) stay headings.
    """
    foreign = {id(b) for b in blocks if b.kind == HEADING and _unsure_ocr(b) and not _HAN_RE.search(b.text)
               and not _NUMBERED_RE.match(b.text)}
    if not foreign:  # most documents (every text file): no need to measure the whole text's Han share
        return blocks, []
    visible = "".join(b.text for b in blocks if b.kind != FOOTNOTE)
    visible = re.sub(r"\s+", "", visible)
    if not visible or len(_HAN_RE.findall(visible)) < HAN_DOCUMENT_SHARE * len(visible):
        return blocks, []
    out, demoted = [], []
    for b in blocks:
        if id(b) in foreign:
            b = replace(b, kind=PARA, level=None)
            demoted.append(b)
        out.append(b)
    return out, demoted


_HAN_WORD_RE = re.compile(r"[\u3400-\u9fff]{2,}")
_WORDLIKE_RE = re.compile(r"[A-Za-z\u3400-\u9fff]")


def plausible_keywords(keywords: list[str], ocr: bool, text: str) -> tuple[list[str], list[str]]:
    """``keywords`` split into those kept and those rejected as no word.

    A keyword without a letter or a Han character (``—``, ``1)``) is no word. Read by OCR, a keyword must be
    a Han word (two characters or more), or, when it has Latin letters or stray characters (``JEX`` and
    ``CI有``, misread logos of ``LaTeX`` and ``CJK``), occur in the document's other ``text`` too: a misreading
    is rarely repeated letter for letter, a real term usually is. Keywords of a text layer are as printed.
    """
    kept, rejected = [], []
    folded = text.casefold()
    for k in keywords:
        if not _WORDLIKE_RE.search(k):
            rejected.append(k)
        elif not ocr or _HAN_WORD_RE.fullmatch(k) or k.casefold() in folded:
            kept.append(k)
        else:
            rejected.append(k)
    return kept, rejected


_COVER_LABELS_MAX = 4  # cover labels (the institution, 本科生毕业论文) passed over before a title


def fallback_title(blocks: list[Block]) -> tuple[Block | None, list[Block]]:
    """The title when the extractor named none: the first block, if it reads as a title, and the cover labels
    before it.

    The institution (北京师范大学珠海分校, ……研究所) and the kind of document (本科生毕业论文) open a cover but
    name its issuer and genre: up to :data:`_COVER_LABELS_MAX` of them on the first page are passed over, and
    returned so the caller can log them. A heading, an OCR line read too unsurely to be a title, or a line that
    is no title ends the search without one: no title is better than a wrong one.
    """
    labels: list[Block] = []
    for block in blocks:
        if block.page != blocks[0].page or block.kind == HEADING or _unsure_ocr(block):
            break
        # a cover is a page: a text file's first line (建设世界一流大学) is its title, whatever it ends with
        if block.page is not None and is_cover_label(block.text) and len(labels) < _COVER_LABELS_MAX:
            labels.append(block)
            continue
        if _looks_like_title(block.text) and len(squash(block.text)) >= 2:
            return block, labels
        break
    return None, labels


def build_structure(blocks: list[Block]) -> Structured:
    """Assign roles to cleaned blocks and number everything in document order."""
    out = Structured()
    blocks = [b for b in blocks if b.text and not b.text.isspace()]  # not blank, without a stripped copy of each
    blocks, next_articles = split_article_ends(blocks)
    if next_articles:
        out.log.append(LogEntry("article_end_split", len(next_articles), "text after an editor's note (责任编辑) "
                                "kept apart from the section before it (下一篇文章的开头，不并入上文)"))
    blocks, toc_logs, contents = drop_contents(blocks)
    out.log.extend(toc_logs)
    blocks, heading_logs = recover_headings(blocks, contents)
    out.log.extend(heading_logs)
    blocks, joined = gather_front_fields(blocks)
    if joined:
        out.log.append(LogEntry("abstract_blocks_joined", joined, "abstract text broken over several blocks"))
    n_cites = 0

    blocks, foreign = demote_foreign_ocr_headings(blocks)
    if foreign:
        out.log.append(LogEntry("ocr_heading_demoted", len(foreign), "headings OCR read unsurely, with no Han "
                                "character nor numbering in a Chinese text (logos, figure and code labels), kept as "
                                "body text (OCR 误识的标题，作正文): "
                                + "; ".join(f"{b.text[:40]} ({b.ocr_confidence or 0:.0f})" for b in foreign)))
    blocks, unsure = demote_unsure_title(blocks)
    if unsure:
        out.log.append(LogEntry("ocr_title_demoted", len(unsure), f"a title OCR read with mean word confidence "
                                f"below {OCR_TITLE_MIN_CONF:.0f} is kept as body text, not the title (OCR 置信度"
                                "不足，不作标题): "
                                + "; ".join(f"{b.text[:40]} ({b.ocr_confidence or 0:.0f})" for b in unsure)))

    blocks, typed = title_under_masthead(blocks)
    if typed is not None:
        out.log.append(LogEntry("title_under_masthead", 1, f"the document type line under the red header is the "
                                f"title, not the header (红头下的文种标题): {typed.text[:40]}"))

    # Title: the extractor's, else a short first line that reads as one (not an OCR line too unsure to be one).
    titles = [b for b in blocks if b.kind == TITLE]
    title_block: Block | None = titles[0] if titles else None
    if title_block is None:
        title_block, labels = fallback_title(blocks)
        if labels:
            out.log.append(LogEntry("cover_label_not_title", len(labels), "an institution or the kind of document "
                                    "opening the text is not its title (机构名或文种，不作标题): "
                                    + "; ".join(b.text[:40] for b in labels)))
    if title_block is not None:
        out.title, out.title_in_text = title_block.text, True

    schemes = [heading_scheme(b.text) or "一、" for b in blocks if b.kind == HEADING]
    levels = levels_for(schemes)
    # levels the extractor gave count from the outermost heading kept: a removed contents page's
    # 目录, set larger than every heading, leaves no empty level 1 above them (back matter is level 1 anyway)
    shift = min((b.level for b in blocks if b.kind == HEADING and b.level and not is_back_matter(b.text)),
                default=1) - 1
    section_no = None
    para_no = 0
    open_sections: dict[int, int] = {}  # level → section_no of the latest heading at that level

    def add_unit(field_name: str, text: str, page: int | None, block: Block | None = None) -> int:
        nonlocal para_no
        para_no += 1
        source, conf = (block.source, block.ocr_confidence) if block is not None else ("text", None)
        out.units.append(Unit(para_no=para_no, field=field_name, text=text, section_no=section_no, page=page,
                              source=source, ocr_confidence=conf))
        return para_no

    if title_block is not None:
        add_unit("title", out.title, title_block.page, title_block)

    in_references = False  # under a 参考文献 heading: its entries are the works cited, field reference
    for block in blocks:
        if block.kind == TITLE or block is title_block:
            continue
        if id(block) in next_articles:  # the next article's opening: outside this one's sections
            section_no, open_sections = None, {}
        if block.kind in (HEADING, FRONT) or id(block) in next_articles:
            in_references = block.kind == HEADING and is_reference_list(block.text)
        if in_references and block.kind == PARA and block.text.strip():
            add_unit("reference", block.text.strip(), block.page, block)  # as printed: its [1] is no citation
            continue
        if block.kind == FOOTNOTE:
            out.footnotes.append(_footnote(block, len(out.footnotes) + 1))
            continue
        label, value = split_label(block.text)
        if label is not None:
            if label == "abstract":
                value, cites = extract_citations(value, para_no + 1)
                out.abstract = out.abstract or value  # the document's is the first; later ones stay units
                add_unit("abstract", value, block.page, block)
                out.citations += cites
            elif label == "keywords":
                keywords = [k for k in _KEYWORD_SEP_RE.split(value.strip("。.")) if k]
                ocr = block.source != "text"  # only OCR'd keywords are checked against the rest of the text
                others = "\n".join(b.text for b in blocks if b is not block) if ocr else ""
                keywords, junk = plausible_keywords(keywords, ocr, others)
                if junk:
                    why = " (OCR, found nowhere else in the text)" if block.source != "text" else ""
                    out.log.append(LogEntry("keywords_rejected", len(junk), f"page {block.page}: not words{why} "
                                            f"(非词的关键词，未收录): {'；'.join(junk)} (of: {value})"))
                if keywords:
                    out.keywords = out.keywords or keywords
                    add_unit("keywords", "；".join(keywords), block.page, block)
            elif label in out.labelled:  # the document's field is the first; a later one is front matter
                # when printed again before the body (引用格式 on a cover and under the title), else text
                add_unit("front" if block.kind == FRONT else "body", block.text.strip(), block.page, block)
            else:
                out.labelled[label] = clc_codes(value) if label == "classification" else value
            continue
        if block.kind == FRONT:
            if squash(block.text) == squash(out.title):
                out.log.append(LogEntry("front_repeats_title", 1, block.text))
            else:  # authors, affiliations: kept, but not body text
                add_unit("front", block.text, block.page, block)
            continue
        if block.kind == HEADING:
            scheme = heading_scheme(block.text) or "一、"
            # back matter (参考文献, 致谢, 附录) belongs to the whole document, not to the last chapter
            level = 1 if is_back_matter(block.text) else block.level - shift if block.level else levels[scheme]
            parent = max((no for lv, no in open_sections.items() if lv < level), default=None)
            section_no = len(out.sections) + 1
            out.sections.append(Section(section_no, level, block.text, parent))
            open_sections = {lv: no for lv, no in open_sections.items() if lv < level}
            open_sections[level] = section_no
            add_unit("heading", block.text, block.page, block)
            continue
        text, cites = extract_citations(block.text, para_no + 1)
        n_cites += len(cites)
        if text.strip():
            add_unit("caption" if is_caption_text(text) else "body", text.strip(), block.page, block)
            out.citations += cites
    if n_cites:
        out.log.append(LogEntry("citations_extracted", n_cites, "markers moved to the citations table"))
    return out
