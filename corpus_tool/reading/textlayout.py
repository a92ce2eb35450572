"""Layout of plain text: page furniture out, lines grouped into paragraphs and headings.

Plain text from a PDF extractor (the seed is one) keeps the page's hard line breaks, page
numbers and running headers inside sentences, and loses indentation. This step finds them
from the text alone. It runs after the character repairs, so ``ꎮ`` is already ``。``.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from corpus_tool.reading.bylines import AFFILIATION_RE, names_from_byline
from corpus_tool.reading.headings import heading_scheme, is_article
from corpus_tool.reading.model import FOOTNOTE, FRONT, HEADING, PARA, Block, LogEntry
from corpus_tool.reading.textstats import visible_width

_PAGE_NUMBER_RE = re.compile(
    r"^[\s\u3000]*(?:[-—–·•]\s*\d{1,4}\s*[-—–·•]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4})[\s\u3000]*$"
)
_DIGITS_RE = re.compile(r"\d+")
_END_PUNCT = "。！？!?；;…"
_CLOSERS = "”’」』）)》】"
_INDENT_RE = re.compile(r"^(?:\u3000|[ \t]{2,}|[ \t]*\u3000)")
# Labelled fields of journal articles; each starts a block of its own.
FIELD_LABEL_RE = re.compile(
    r"^[\s\u3000]*[\[【［]?(摘[\s\u3000]*要|关[\s\u3000]*键[\s\u3000]*[词字]|Abstract|Key[\s]*words?|中图分类号"
    r"|文献标[志识]码|文章编号|DOI|收稿日期|基金项目|作者简介|通[讯信]作者)[\]】］]?[\s\u3000]*[:：]",
    re.IGNORECASE,
)
# Lines that stand alone in official documents: 发文字号, a date, the publication note.
_STANDALONE_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,12}[〔［\[（(【]\s*(?:19|20)\d\d\s*[〕］\]）)】]\s*第?\s*\d{1,5}\s*号"
    r"|(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[二一][〇○零一二三四五六七八九]{3}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
    r"|[（(]此件[^）)]{1,10}[）)])$"
)
_TITLE_END_RE = re.compile(
    r"(?:通知|意见|办法|规定|方案|决定|报告|条例|规划|纲要|细则|批复|公告|通告|命令|决议|规则|制度|标准|措施|指引)$"
)
_ENUMERATOR_RE = re.compile(r"^(?:第[一二三四五六七八九十]+[，,、]|首先[，,]|其次[，,]|再次[，,]|最后[，,])")


@dataclass
class _Line:
    text: str  # stripped
    indented: bool
    blank_before: bool  # a blank line separated it from the previous content line


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence: 。！？； possibly followed by closing quotes."""
    stripped = text.rstrip(_CLOSERS + " \u3000")
    return bool(stripped) and stripped[-1] in _END_PUNCT


_visible_len = visible_width  # length as the page measured it: ASCII letters and digits take half a CJK cell


def remove_page_furniture(lines: list[str]) -> tuple[list[str], list[LogEntry], list[str]]:
    """Drop page-number lines and the running headers that stand beside them or repeat.

    Returns the remaining lines (removed ones become empty, so line structure stays), the
    log entries and the header texts that were removed.
    """
    out = list(lines)
    page_numbers = _page_number_lines(lines)
    if not page_numbers:  # both kinds of header below stand beside a page number: none to look for
        return out, [], []
    widths = [_visible_len(line) for line in lines if line.strip()]
    width = statistics.median(widths) if widths else 0.0
    for i in page_numbers:
        out[i] = ""

    def is_header_candidate(line: str) -> bool:
        s = line.strip(" \t\u3000")
        return (
            0 < len(s) <= 40
            and not ends_sentence(s)
            and heading_scheme(s) is None
            and not FIELD_LABEL_RE.match(s)
            and not is_article(s)
            and s[-1] not in "，、：:,"
        )

    def is_lone_header(line: str) -> bool:
        # A title-like line: running text next to a page break has commas, a header has none.
        text = line.strip(" \t\u3000")
        # A line as wide as the page is running text that the break cut, not a header.
        return (is_header_candidate(line) and len(text) >= 4 and _visible_len(text) < 0.9 * width
                and not re.search("[，。、；,;：:]", text)
                and not _STANDALONE_RE.match(text) and not re.match(r"(图|表|专栏|附件|附表)\s*\d", text))

    # (a) short lines that recur as whole lines, digits folded, mostly right beside a page number:
    # running headers or footers. Repeats elsewhere (table cells, a web page's labels) stay.
    near_page = set()
    for i in page_numbers:
        for step in (-1, 1):
            j, seen = i + step, 0
            while 0 <= j < len(out) and seen < 2:
                if out[j].strip():
                    near_page.add(j)
                    seen += 1
                j += step
    folded: Counter[str] = Counter()
    folded_near: Counter[str] = Counter()
    keys = {}  # line number → the line with its digits folded, for the lines that are not blank
    for i, line in enumerate(out):
        if line.strip():
            keys[i] = key = _DIGITS_RE.sub("#", line.strip(" \t\u3000"))
            folded[key] += 1
            folded_near[key] += i in near_page
    headers: Counter[str] = Counter()
    for i, key in keys.items():
        line = out[i]
        if (folded[key] >= 3 and folded_near[key] >= max(2, folded[key] / 2)
                and is_header_candidate(line) and len(key) >= 4):
            headers[line.strip(" \t\u3000")] += 1
            out[i] = ""

    # (b) a lone header next to a page number, inside running text.
    for i in page_numbers:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(out) and not out[j].strip():
                j += step
            if not (0 <= j < len(out)) or not is_lone_header(out[j]):
                continue
            # A page break inside a sentence: the text before the furniture runs on after it.
            before = _neighbour_text(out, min(i, j), -1)
            if before is not None and _neighbour_text(out, max(i, j), 1) is not None and not ends_sentence(before):
                headers[out[j].strip(" \t\u3000")] += 1
                out[j] = ""

    log = []
    if page_numbers:
        shown = ", ".join(lines[i].strip() for i in page_numbers[:20])
        log.append(LogEntry("page_numbers_removed", len(page_numbers), shown))
    for text, n in sorted(headers.items()):
        log.append(LogEntry("running_header_removed", n, text))
    return out, log, list(headers)


def _page_number_lines(lines: list[str]) -> list[int]:
    """Lines that are page numbers: a number alone between lines of running text, rising through the file.

    A number whose neighbours are short lines is a table cell (web pages put each cell on its own
    line), and numbers that do not rise are data, not pagination: both stay. Pages exist only in
    text broken at the page width (an extractor's output) or where a blank line sets the number
    off on both sides: in text with one line per paragraph, a bare number between two lines is
    part of the sentence (a web page's subscript: 广义货币M / 2 / 和社会融资规模).
    """
    wrapped: bool | None = None  # measured over all lines only when a number is not set off (most texts have none)
    candidates = []
    for i, line in enumerate(lines):
        if not line.strip() or not _PAGE_NUMBER_RE.match(line):
            continue
        before, after = _neighbour_text(lines, i, -1), _neighbour_text(lines, i, 1)
        if before is None or after is None:
            continue
        if _visible_len(before) < 6 or _visible_len(after) < 4 or _PAGE_NUMBER_RE.match(after) \
                or _PAGE_NUMBER_RE.match(before):
            continue
        set_off = not lines[i - 1].strip() and not lines[i + 1].strip()
        if not set_off:
            if wrapped is None:
                wrapped = _lines_hard_wrapped(lines)
            if not wrapped:
                continue
        candidates.append(i)
    if len(candidates) >= 2:
        # A page holds hundreds of characters; numbered table rows stand a few dozen apart.
        spans = [sum(len(x.strip()) for x in lines[a + 1:b]) for a, b in itertools.pairwise(candidates)]
        if statistics.median(spans) < 300:
            return []
    values = [int(m.group(0)) for i in candidates if (m := re.search(r"\d+", lines[i]))]
    if len(values) >= 2:  # in sequence: page numbers rise (two numbers that fall are data)
        rising = sum(1 for a, b in itertools.pairwise(values) if b > a)
        if rising < 0.8 * (len(values) - 1):
            return []
    return candidates


def _lines_hard_wrapped(lines: list[str]) -> bool:
    """Most non-blank lines end inside a sentence: the text was broken at the page width."""
    texts = [t for line in lines if (t := line.strip(" \t\u3000\ufeff\f"))]
    if len(texts) < 5:
        return False
    return sum(1 for t in texts if not ends_sentence(t) and t[-1] not in "：:") / len(texts) > 0.5


def _neighbour_text(lines: list[str], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(lines) and not lines[j].strip():
        j += step
    return lines[j] if 0 <= j < len(lines) else None


def _is_hard_wrapped(lines: list[_Line]) -> bool:
    """True when most lines were broken by the page width rather than at paragraph ends."""
    if len(lines) < 5:
        return False
    open_ended = sum(1 for line in lines if not ends_sentence(line.text) and line.text[-1] not in "：:")
    return open_ended / len(lines) > 0.5


def layout_text(text: str) -> tuple[list[Block], list[LogEntry], list[str]]:
    """Split repaired plain text into blocks (paragraphs, headings, labelled front matter).

    Returns the blocks, the log of removed page furniture and the removed running headers
    (a journal's running header is often the article's title).
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept, log, headers = remove_page_furniture(raw)

    lines: list[_Line] = []
    blank = False
    for line in kept:
        if not line.strip(" \t\u3000\u200b\ufeff"):
            blank = True
            continue
        lines.append(_Line(line.strip(" \t\u3000\ufeff"), bool(_INDENT_RE.match(line)), blank))
        blank = False
    if not lines:
        return [], log, headers

    wrapped = _is_hard_wrapped(lines)
    # the title zone: the short lines at the very top, before any running text
    title_zone = next((i for i, line in enumerate(lines[:7]) if _visible_len(line.text) > 30), min(7, len(lines)))
    width = statistics.median(_visible_len(line.text) for line in lines)
    blocks: list[Block] = []
    current: list[str] = []
    kind = PARA

    def flush() -> None:
        nonlocal current, kind
        if current:
            blocks.append(Block(kind, "\n".join(current)))
        current, kind = [], PARA

    for line_no, line in enumerate(lines):
        starts_block = _starts_block(line, current, wrapped, width, kind, line_no, title_zone)
        if starts_block:
            flush()
            scheme = heading_scheme(line.text)
            if scheme is not None:
                kind = HEADING
            elif line.text.startswith("↑"):
                kind = FOOTNOTE  # a web page's note with its back-link arrow (Wikisource and wikis)
            elif FIELD_LABEL_RE.match(line.text):
                kind = FRONT
        elif kind == HEADING and not _continues_heading(line, current, width):
            flush()
        current.append(line.text)
    flush()
    return blocks, log, headers


def _starts_block(line: _Line, current: list[str], wrapped: bool, width: float, kind: str,
                  line_no: int, title_zone: int = 0) -> bool:
    if not current:
        return True
    prev = current[-1]
    text = line.text
    if line.indented or FIELD_LABEL_RE.match(text) or is_article(text) or text.startswith("↑"):
        return True
    if heading_scheme(text) is not None and (ends_sentence(prev) or not wrapped or line.blank_before):
        return True
    if line_no < title_zone and (_byline_or_affiliation(text) or _byline_or_affiliation(prev)):
        return True  # an article's byline and affiliation under its title: lines of their own, even in wrapped text
    if wrapped and line.blank_before and line_no <= title_zone:
        return True  # a blank line under the short lines at the top (a title) ends them, even in wrapped text
    if kind == FRONT and wrapped:
        return False  # an abstract runs until the next label or indent
    if _STANDALONE_RE.match(text) or _STANDALONE_RE.match(prev):
        return True  # a document number, a date, （此件公开发布）: lines of their own
    if line_no == 1 and _TITLE_END_RE.search(prev + text) and _visible_len(text) <= 30:
        return False  # an official title wrapped over two lines
    if not wrapped:
        # One line, one paragraph, except a sentence that a link or a stray break cut in two. Short
        # lines at the top (title, dateline, speaker) stand alone.
        standalone = _visible_len(prev) <= 30 and (len(current) == 1 and line_no <= 6)
        return (line.blank_before or ends_sentence(prev) or prev[-1] in "：:" or kind == HEADING
                or standalone or text.startswith(("——", "—", "－－")))
    if line.blank_before and ends_sentence(prev) and _visible_len(prev) < 0.98 * width:
        return True
    if ends_sentence(prev):
        short = _visible_len(prev) < 0.85 * width
        return short or bool(_ENUMERATOR_RE.match(text)) or heading_scheme(text) is not None
    return False


_ORG_END_RE = re.compile(r"[院部局厅委会府办处所省市县区]$")


def _byline_or_affiliation(text: str) -> bool:
    """``张三  李四`` or ``（北京大学经济学院，北京 100871）``."""
    if names_from_byline(text) and not _ORG_END_RE.search(text.rstrip()):
        return True  # 张三  李四, not 济 南 市 公 安 局
    return text[:1] in "（(" and text[-1:] in "）)" and AFFILIATION_RE.search(text) is not None


def _continues_heading(line: _Line, current: list[str], width: float) -> bool:
    """A heading wrapped over lines: the previous line was full and no blank line or indent came."""
    prev = current[-1]
    return (
        not line.blank_before
        and not line.indented
        and _visible_len(prev) >= 0.6 * width
        and not ends_sentence(prev)
        and sum(len(x) for x in current) + len(line.text) <= 60
    )
