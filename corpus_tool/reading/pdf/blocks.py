"""Lines → blocks: title, front matter, headings, paragraphs and footnotes in reading order.

Input is the per-page output of :mod:`corpus_tool.reading.pdf_layout` with page furniture
already marked (:mod:`corpus_tool.reading.pdf_furniture`). Paragraphs follow their lines
across columns and pages; a page's footnotes are emitted after the block that is open
when the page ends, so a paragraph running over a page break stays one block.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from corpus_tool.reading.bylines import names_from_byline
from corpus_tool.reading.headings import COVER_LABEL_RE, NUM, heading_levels, is_caption, numbering, pattern_kind
from corpus_tool.reading.metadata import is_date_line
from corpus_tool.reading.model import FOOTNOTE, FRONT, HEADING, PARA, TITLE, Block, LogEntry
from corpus_tool.reading.pdf.fields import is_choices, is_field
from corpus_tool.reading.pdf.joins import word_across
from corpus_tool.reading.pdf.layout import Line, PageText, mark_source
from corpus_tool.reading.pdf.roles import open_sentence_log
from corpus_tool.reading.repair import fix_glyph_variants

ARTICLE_RE = re.compile(rf"第[{NUM}\d]+条(?:之[{NUM}]+)?(?:\s|$)")
FRONT_LABEL_RE = re.compile(
    r"[\[【]?(?:摘\s*要|内容提要|提\s*要|关\s*键\s*词|关键字|中图分类号|文献标[识志]码|文章编号|DOI|doi"
    r"|Abstract|ABSTRACT|Key\s*words|KEY\s*WORDS|Keywords|收稿日期|基金项目|作者简介)"
)
_FOOTNOTE_MARK = re.compile(r"[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf*†‡]|注\s*[:：]")
# Founder GBK-row code points (U+A1xx/A3xx) and vertical presentation forms (U+FE1x/FE3x, from vertical
# pages), both repaired downstream, count as the punctuation they stand for
_TRAILING = re.compile(r"(?:\[[\d,:\-]+\]|[”’」』）)》】\s\ua1b1\ua1af\ua1b7\ua3a9\ufe42\ufe44\ufe36\ufe3e\ufe3c])+$")
SENTENCE_END = "。！？!?…；;：:\ua3ae\ua1a3\ua3a1\ua3bf\ua3bb\ua3ba\ufe12\ufe15\ufe16\ufe19\ufe14\ufe13"
NOT_HEADING_END = "。；，、,;"
_LATIN_SENTENCE_END_RE = re.compile(r"[a-z]\.$")  # a lower-case word and a full stop: no heading ends so
_WORDY = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z]{3}")  # a Han character or a three-letter word
_CONTENTS_LABEL_RE = re.compile(r"^[图圖表插附]{0,2}\s*目\s*[录錄次]$")
_FULL_STOP = re.compile(r"(?<!\bet al)(?<!\betc)(?<=[\u3400-\u9fff\uf900-\ufaff）)”’》a-z])[.．]$")
MID_SENTENCE = "，、,"  # a line ending so goes on, even into an inline list item "(2)…"
_ITEM_RE = re.compile(
    r"[•·●○■□◆◇▪►▶✓※\-–—]|[（(]\s*[0-9a-zA-Z一二三四五六七八九十]{1,3}\s*[）)]|[0-9a-zA-Z]{1,2}[)）]"
    r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f]"
)
# a quantity opening a line (0.5, 12.5%): a clause number (5.1) never starts with 0 nor takes a percent sign
_DECIMAL = re.compile(r"0[.．]\d|\d+[.．]\d+\s*[%％‰]")


@functools.cache
def _open_end() -> re.Pattern[str]:
    """A line stopped mid-sentence: compiled when two lines are first compared (a CJK class costs milliseconds)."""
    return re.compile("[\u3400-\u4dbf\u4e00-\u9fff，、,\ufe10\ufe11]\\s*$")


# a full sentence with more text after it: a paragraph's line, never a heading
# Markers of list items and photo labels, not of headings: (a) / a) / <1> / 〈1〉; and a line wholly in brackets.
_LIST_ITEM_RE = re.compile(r"[（(][a-zA-Z][）)]|[a-zA-Z][）)]|[<＜〈]\s*\d{1,2}\s*[>＞〉]")
_BRACKETED_RE = re.compile(r"^[（(][^（()）]*[）)]$")
# The unnumbered parts of laws, plans and reports, on a line of their own (总则 and 附则 of a law, 序言 of a plan).
_PART_NAME_RE = re.compile(r"^(?:序[\s\u3000]*言|前[\s\u3000]*言|引[\s\u3000]*言|导[\s\u3000]*言|总[\s\u3000]*则"
                           r"|分[\s\u3000]*则|附[\s\u3000]*则|结[\s\u3000]*语|结束语|后[\s\u3000]*记)$")
_INNER_STOP = re.compile(r"[。！？\ufe12\ufe15\ufe16].*[^\s”’」』）)》】\ufe42\ufe44\ufe36\ufe3e\ufe3c]")
HANG_MAX = 4.0  # a hanging indent is at most this many ems in from the item's marker ...
HANG_SIZE = 0.12  # ... and its lines' sizes differ by at most this share (a smaller Latin font in one)
FLOW_SKIP = frozenset({"header", "footer", "page_number", "footnote", "formula"})  # formula: see formulas.py


@dataclass
class DocStats:
    """Document-wide measures the block rules compare against."""

    body_size: float
    body_font: str
    pitch: float  # usual distance between line tops in body text
    bounds: dict[tuple[int, str], tuple[float, float]] = field(default_factory=dict)  # (page, region)
    # (page width class, region): a document that mixes portrait text pages with landscape table pages
    # has two sets of margins, and a portrait line measured against landscape ones looks short
    doc_bounds: dict[tuple[int, str], tuple[float, float]] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)  # page → width class (10 pt steps)
    pitches: dict[tuple[int, str], float] = field(default_factory=dict)  # (page, region) → its own pitch
    # id(line) → margins of the justified block it is in, when that block is set narrower than its column
    # (an abstract indented on both sides above the columns): its full lines stop short of the column's edge
    inset: dict[int, tuple[float, float]] = field(default_factory=dict)

    def edges(self, line: Line) -> tuple[float, float]:
        """Left and right text edge of the column (or inset block) ``line`` is in."""
        if (own := self.inset.get(id(line))) is not None:
            return own
        got = self.bounds.get((line.page, line.region)) or self.doc_bounds.get(
            (self.widths.get(line.page, 0), line.region))
        return got if got is not None else (line.x0, line.x1)

    def pitch_at(self, line: Line) -> float:
        """Line pitch of the body text in the column ``line`` is in (the document's when too few lines)."""
        return self.pitches.get((line.page, line.region), self.pitch)


# ---------------------------------------------------------------- statistics


def compute_stats(pages: list[PageText]) -> DocStats:
    """Body size and font (the most text), line pitch and column edges, from unassigned lines."""
    # a fact set beside another on its baseline is part of that printed line: it sets no margin or pitch
    lines = [ln for p in pages for ln in p.lines if not ln.role and not ln.marker_only and not ln.beside]
    if not lines:
        return DocStats(0.0, "", 0.0)
    # text is measured by its set width (a Han character is two Latin letters wide): counted in characters,
    # an article's English abstract and references outweigh its Chinese body set a size larger
    sizes: Counter[float] = Counter()
    amounts = [_set_width(ln.text) for ln in lines]
    for ln, amount in zip(lines, amounts, strict=True):
        sizes[round(ln.size * 2) / 2] += amount
    body_size = sizes.most_common(1)[0][0]
    fonts: Counter[str] = Counter()
    for ln, amount in zip(lines, amounts, strict=True):
        if abs(ln.size - body_size) < 0.6:
            fonts[ln.font] += amount
    body = [ln for ln in lines if abs(ln.size - body_size) < 0.6]
    dys = sorted(ln.dy for ln in body if ln.dy is not None and 0 < ln.dy < 3 * body_size)
    pitch = dys[len(dys) // 2] if dys else 1.2 * body_size
    stats = DocStats(body_size, fonts.most_common(1)[0][0], pitch,
                     widths={p.page_no: round(p.width / 10) for p in pages})
    _column_edges(body, stats)
    _inset_blocks(pages, stats)
    _column_pitches(pages, body_size, stats)
    return stats


def _set_width(text: str) -> int:
    """Width of ``text`` in half-em cells: wide (CJK) characters two, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_pitches(pages: list[PageText], body_size: float, stats: DocStats) -> None:
    """Each column's own line pitch, from body lines that follow a full line ending mid-sentence.

    Pages of one document are often set at different spacings (a table page, a 1.5-spaced
    answer page); the gaps inside a paragraph are the pitch of that column's text. Short
    lines (list items, contents entries) are left out: their gaps are paragraph gaps.
    """
    for p in pages:
        prev: dict[str, Line] = {}
        dys: dict[str, list[float]] = {}
        for ln in p.lines:
            if ln.role == "footnote" or ln.beside:
                continue
            before = prev.get(ln.region)
            prev[ln.region] = ln
            if (
                before is None
                or ln.role
                or before.role
                or ln.dy is None
                or abs(ln.size - body_size) >= 0.6
                or abs(before.size - body_size) >= 0.6
                or not 0 < ln.dy < 3 * body_size
                or ends_sentence(before.text)
                or before.x1 < stats.edges(before)[1] - 1.5 * before.size
            ):
                continue
            dys.setdefault(ln.region, []).append(ln.dy)
        for region, values in dys.items():
            if len(values) >= 3:
                stats.pitches[(p.page_no, region)] = sorted(values)[len(values) // 2]


def _column_edges(body: list[Line], stats: DocStats) -> None:
    by_page: dict[tuple[int, str], list[Line]] = {}
    by_region: dict[tuple[int, str], list[Line]] = {}
    for ln in body:
        by_page.setdefault((ln.page, ln.region), []).append(ln)
        by_region.setdefault((stats.widths.get(ln.page, 0), ln.region), []).append(ln)
    for key, lines in by_region.items():
        stats.doc_bounds[key] = _edges(lines)
    for key, lines in by_page.items():
        # a page's own margins (mirrored layouts) count only when its lines fill the usual width:
        # a few lines, or a page of short ones (a table of contents), fall back to the document's
        doc_left, doc_right = stats.doc_bounds[(stats.widths.get(key[0], 0), key[1])]
        left, right = _edges(lines)
        if len(lines) >= 6 and right - left >= 0.9 * (doc_right - doc_left):
            stats.bounds[key] = (left, right)
    pages = {page for page, _ in by_page}
    for page in pages:  # a spanning line is measured against both columns, unless full-width text sets its own
        left, right = stats.bounds.get((page, "L")), stats.bounds.get((page, "R"))
        if left and right and (page, "S") not in stats.bounds:
            stats.bounds[(page, "S")] = (left[0], right[1])
    for width in set(stats.widths.values()):
        left, right = stats.doc_bounds.get((width, "L")), stats.doc_bounds.get((width, "R"))
        if left and right:
            stats.doc_bounds[(width, "S")] = (left[0], right[1])


INSET_LINES = 4  # a block with its own margins has at least this many lines ...
INSET_JUSTIFIED = 0.5  # ... this share of them ending at its right edge ...
INSET_WIDTH = 0.6  # ... and is at least this share of its column wide
INDENT_EM = 2.5  # its lines start at its left edge or up to this × size in (a first-line indent)


def _inset_blocks(pages: list[PageText], stats: DocStats) -> None:
    """Runs of lines in one size and one left margin, justified to a right edge well inside their column."""
    for page in pages:
        runs: list[list[Line]] = []
        for ln in page.lines:
            if ln.role or ln.marker_only or ln.beside:
                continue
            last = runs[-1][-1] if runs else None
            if (last is not None and last.region == ln.region and abs(last.size - ln.size) <= 0.3
                    and ln.dy is not None and 0 < ln.dy <= 2.0 * ln.size
                    and -0.5 * ln.size <= ln.x0 - runs[-1][0].x0 <= INDENT_EM * ln.size
                    and runs[-1][0].x0 - 0.5 * ln.size <= min(r.x0 for r in runs[-1])):
                runs[-1].append(ln)
            else:
                runs.append([ln])
        for run in runs:
            if len(run) < INSET_LINES:
                continue
            left = min(ln.x0 for ln in run)
            right = max(ln.x1 for ln in run)
            size = _median_size(run)
            ends = sum(1 for ln in run if ln.x1 >= right - 1.0)
            column_left, column_right = stats.edges(run[0])
            if (ends >= INSET_JUSTIFIED * len(run) and right < column_right - 1.5 * size
                    and right - left >= INSET_WIDTH * (column_right - column_left)):  # a list of short items is none
                for ln in run:
                    stats.inset[id(ln)] = (left, right)


def _edges(lines: list[Line]) -> tuple[float, float]:
    """Left: the outermost x0 several lines share (one stray line sets no margin). Right: the x1
    most lines end at near the outermost one (justified text; hanging punctuation sticks out)."""
    need = max(2, len(lines) // 20)
    starts = Counter(round(ln.x0) for ln in lines)
    left = next((v for v in sorted(starts) if _near(starts, v) >= need), min(starts))
    ends = Counter(round(ln.x1) for ln in lines)
    reach = 2 * _median_size(lines)
    outer = max(ends)
    right = max((v for v in ends if v >= outer - reach), key=lambda v: (_near(ends, v), v))
    return float(left), float(right)


def _near(counts: Counter[int], v: int) -> int:
    """Lines at ``v`` give or take 1 pt."""
    return counts[v - 1] + counts[v] + counts[v + 1]


def _median_size(lines: list[Line]) -> float:
    sizes = sorted(ln.size for ln in lines)
    return sizes[len(sizes) // 2]


# ---------------------------------------------------------------- line roles


# -- covers: a thesis cover, a CNKI 网络首发 cover page ------------------------------------------------
# A labelled field line: ``题目：……``, ``培 养 单 位：……`` (labels are letter-spaced on covers).
_FIELD_LINE_RE = re.compile(r"^[\s\u3000]*(?P<label>(?:[\u4e00-\u9fff][\s\u3000]*){2,8})[:：][\s\u3000]*(?P<value>.*)$")
# Fields that only a cover has (an official document's metadata table has none of them).
_COVER_LABELS = frozenset({"题目", "论文题目", "题名", "作者", "作者姓名", "申请人", "研究生", "研究生姓名",
                           "学生姓名", "指导教师", "导师", "指导教师姓名", "培养单位", "学号", "专业", "学院",
                           "网络首发日期", "学科专业", "专业领域", "学位类别", "答辩日期"})
_TITLE_LABELS = frozenset({"题目", "论文题目", "题名", "论文题名"})
_MIN_COVER_FIELDS = 3
_MAX_COVER_LINES = 40
# a standard's masthead, set larger than its title: 中华人民共和国国家标准, 山东省地方标准, 团体标准
_MASTHEAD_RE = re.compile(r"^(?:中华人民共和国)?.{0,12}?(?:国家标准|行业标准|地方标准|团体标准|企业标准|国家军用标准"
                          r"|国家标准化指导性技术文件)$")
_ZH_NUM = "〇○零一二三四五六七八九十"
_DATE_LINE_RE = re.compile(rf"^[\d{_ZH_NUM}]{{2,4}}年[\d{_ZH_NUM}]{{1,3}}月(?:[\d{_ZH_NUM}]{{1,3}}日)?$")
_ABSTRACT_LABEL_RE = re.compile(r"^[\[【]?\s*(?:摘\s*要|关\s*键\s*词|Abstract|Key\s*words)", re.IGNORECASE)


def _label_text(text: str) -> str:
    """Text for matching labels: glyph variants fixed, no spaces. U+2EAB CJK RADICAL EYE is the 目
    that fonts without a Unicode map give in 题目 and 目录."""
    return re.sub(r"[\s\u3000]+", "", fix_glyph_variants(text)[0]).replace("\u2eab", "目")


def _field(line: Line) -> tuple[str, str] | None:
    m = _FIELD_LINE_RE.match(fix_glyph_variants(line.text)[0].replace("\u2eab", "目"))
    if not m:
        return None
    return re.sub(r"[\s\u3000]+", "", m.group("label")), m.group("value").strip()


def _is_cover(page: PageText) -> bool:
    """A cover: at least three labelled fields, one of them a cover's own (作者, 题目, 指导教师 ...),
    and no abstract (an article's first page has 摘要/关键词, a cover has not)."""
    lines = [ln for ln in page.lines if not ln.role]
    fields = [f for ln in lines if (f := _field(ln)) is not None]
    return (
        len(fields) >= _MIN_COVER_FIELDS
        and len(lines) <= _MAX_COVER_LINES  # a form with its text below is no cover
        and any(label in _COVER_LABELS for label, _ in fields)
        and not any(_ABSTRACT_LABEL_RE.match(ln.text.strip()) or pattern_kind(ln.text.strip()) in ("cn", "chapter")
                    or ARTICLE_RE.match(ln.text.strip()) for ln in lines)
    )


def _unreadable(text: str) -> bool:
    return "(cid:" in text or "\ufffd" in text or bool(re.search("[\ue000-\uf8ff]", text))


def _largest_run(page: PageText, stats: DocStats, skip_generic: bool = False) -> list[Line]:
    """The largest lines in the top half of ``page`` (up to three in a row), if clearly above body size."""
    cands = [ln for ln in page.lines if not ln.role and not ln.marker_only]
    for ln in cands:
        if _MASTHEAD_RE.match(_label_text(ln.text)):
            ln.role = "front"  # the kind of document, not its title
    cands = [ln for ln in cands if not ln.role]
    if skip_generic:  # on a cover: not its label, not a field, not its date
        cands = [ln for ln in cands if not COVER_LABEL_RE.match(_label_text(ln.text).strip("()（）〔〕[]【】"))
                 and _field(ln) is None and not _DATE_LINE_RE.match(_label_text(ln.text))]
    top = max((ln.size for ln in cands), default=0.0)
    if top < 1.25 * stats.body_size:
        return []
    run: list[Line] = []
    for ln in cands:
        if ln.size >= top - 0.5 and ln.top < page.height / 2:
            run.append(ln)
        elif run:
            break
    # a title line set right under the run's last one continues it, even when reading order put text
    # from beside it in between (a boxed title beside a mind map's branches)
    while run and len(run) < 3:
        last = run[-1]
        below = next((ln for ln in cands if all(ln is not r for r in run) and ln.size >= top - 0.5
                      and last.bottom - 0.2 * ln.size <= ln.top <= last.bottom + 0.8 * ln.size
                      and ln.x0 < last.x1 and last.x0 < ln.x1), None)
        if below is None:
            break
        run.append(below)
    return run[:3]


def _cover_title(pages: list[PageText], cover: PageText, stats: DocStats) -> list[Line]:
    """The title of a document that opens with a cover.

    The cover's 题目 field names it; the same title set large on the next page (a CNKI first
    publication: the article follows its cover) or, when the field cannot be read, a readable line
    on the next pages that begins like it is taken instead, so the title is the text's own. Without
    a field: the largest line that is not a cover label (本科生毕业论文, the university).
    """
    lines = [ln for ln in cover.lines if not ln.role]
    after = [p for p in pages if p.page_no > cover.page_no][:4]
    for i, ln in enumerate(lines):
        found = _field(ln)
        if found is None or found[0] not in _TITLE_LABELS or not found[1]:
            continue
        value = _label_text(found[1])
        readable = value.split("(cid:")[0]
        for page in after:
            for other in page.lines:
                text = _label_text(other.text)
                if other.role or _unreadable(text) or len(readable) < 4:
                    continue
                if text == value or (_unreadable(value) and text.startswith(readable) and len(text) <= 80):
                    return [other]
        # the field line itself, without its label, and the lines it wraps onto
        ln.text = found[1]
        run = [ln]
        for nxt in lines[i + 1:i + 3]:
            if _field(nxt) or abs(nxt.size - ln.size) > 0.5 or nxt.top - run[-1].bottom > 1.0 * ln.size:
                break
            run.append(nxt)
        return run
    return _largest_run(cover, stats, skip_generic=True)


def mark_title(pages: list[PageText], stats: DocStats) -> None:
    """The largest text in the top half of the first text page, if clearly above body size.

    A first page that is a cover (labelled fields: 题目, 作者, 指导教师 ...) is front matter as a
    whole; the title is then its 题目 field or largest non-generic line (see :func:`_cover_title`),
    never the cover's label (硕士研究生学位论文, 《……》网络首发论文).
    """
    first = next((p for p in pages if any(not ln.role for ln in p.lines)), None)
    if first is None:
        return
    if _is_cover(first):
        title = _cover_title(pages, first, stats) or _largest_run(first, stats)
        for ln in title:
            ln.role = "title"
        for ln in first.lines:
            if not ln.role:
                ln.role = "front"
        return
    title = _largest_run(first, stats)
    for ln in title:
        ln.role = "title"
    if len(title) > 1:  # a title's lines read in one piece, whatever reading order put beside them
        at = first.lines.index(title[0])
        ids = {id(ln) for ln in title}
        rest = [ln for ln in first.lines if id(ln) not in ids]
        first.lines[:] = rest[:at] + title + rest[at:]


# Under a byline: superscript numbers on a line of their own (1,2 1,3† 1,3), and affiliations
# (（1.北京林业大学工学院，北京100083；……）) with their institution or a postcode.
_MARKS_ONLY_RE = re.compile(r"^[\d\s,，*∗†‡§#a-e\u3013]+$")  # 〓: a withheld mark
_AFFILIATION_LINE_RE = re.compile(r"(大学|学院|研究所|研究院|研究中心|实验室|科学院|公司|医院|(?<!\d)\d{6}(?!\d))")


def _mark_byline(pages: list[PageText]) -> None:
    """The byline under the title and the affiliations under it are front matter, not headings."""
    page = next((p for p in pages if any(ln.role == "title" for ln in p.lines)), None)
    if page is None:
        return
    last_title = max(i for i, ln in enumerate(page.lines) if ln.role == "title")
    after = [ln for ln in page.lines[last_title + 1:] if not ln.role][:8]
    names_at = next((i for i, ln in enumerate(after[:3]) if names_from_byline(ln.text)), None)
    if names_at is None:
        return
    for ln in after[:names_at]:  # only superscripts may stand between the title and the names
        if not _MARKS_ONLY_RE.match(ln.text.strip()):
            return
    for ln in after[:names_at + 1]:
        ln.role = "front"
    for ln in after[names_at + 1:]:
        text = ln.text.strip()
        if not (_MARKS_ONLY_RE.match(text) or (_AFFILIATION_LINE_RE.search(text) and len(text) <= 120
                                               and not FRONT_LABEL_RE.match(text))):
            break
        ln.role = "front"


def mark_front(pages: list[PageText]) -> None:
    """The byline and affiliations under the title; on a two-column first page, lines spanning the
    gutter above the columns."""
    _mark_byline(pages)
    first = next((p for p in pages if p.lines), None)
    if first is None or not first.two_column:
        return
    col_tops = [ln.top for ln in first.lines if ln.region in "LR" and not ln.role]
    first_col = min(col_tops, default=first.height)
    for ln in first.lines:
        if ln.region == "S" and not ln.role and ln.top < first_col:
            ln.role = "front"


def footnote_blocks(page: PageText, stats: DocStats) -> list[Block]:
    """The page's footnote lines (marked by the layout step) as one block per note."""
    return _footnote_blocks([ln for ln in page.lines if ln.role == "footnote"], stats)


def _footnote_blocks(lines: list[Line], stats: DocStats) -> list[Block]:
    """One block per note: a note opens with a marker, an indent, or after a note's short last line."""
    if not lines:
        return []
    left: dict[str, float] = {}
    for ln in lines:
        left[ln.region] = min(ln.x0, left.get(ln.region, ln.x0))
    groups: list[list[Line]] = []
    for ln in lines:
        # a note set with a hanging indent (its marker out to the left, ① read by OCR as "OO") goes on in a line
        # further in than its first one, after a line that ran to the edge mid-sentence
        hangs = bool(groups) and (prev := groups[-1][-1]).region == ln.region and (
            ln.x0 > groups[-1][0].x0 + 0.5 * ln.size and prev.x1 >= stats.edges(prev)[1] - 1.5 * prev.size
            and not ends_sentence(prev.text))
        opens = (
            ln.lead_ref is not None
            or _FOOTNOTE_MARK.match(ln.text)
            or (ln.x0 - left[ln.region] > 0.5 * ln.size and not hangs)
            or (bool(groups) and groups[-1][-1].region != ln.region)
        )
        if groups and not opens:
            prev = groups[-1][-1]
            opens = prev.x1 < stats.edges(prev)[1] - 1.5 * prev.size and ends_sentence(prev.text)
        if opens or not groups:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    out = []
    for g in groups:
        text = "\n".join(ln.text for ln in g)
        # the note's own number, when set as a superscript, leads the text: "1 参见…"
        out.append(mark_source(Block(FOOTNOTE, f"{g[0].lead_ref} {text}" if g[0].lead_ref else text, g[0].page), g))
    return out


# ---------------------------------------------------------------- line tests





def _centred(line: Line, left: float, right: float) -> bool:
    margin = 1.5 * line.size
    mid = (left + right) / 2
    return (
        line.x0 - left > margin
        and right - line.x1 > margin
        and abs((line.x0 + line.x1) / 2 - mid) <= max(line.size, 0.03 * (right - left))
    )


def _larger(line: Line, stats: DocStats) -> bool:
    return line.size >= 1.05 * stats.body_size and line.size - stats.body_size >= 0.4


def _distinct_font(line: Line, stats: DocStats, share: float = 0.8) -> bool:
    return line.font != stats.body_font and line.font_share >= share


NUMBERED_FONT_SHARE = 0.5  # a numbered heading's number is often set in a Latin font: "3.1 " of "3.1 实验设置"


def heading_kind(line: Line, stats: DocStats) -> str | None:
    """None when ``line`` is not a heading, else its pattern kind ("" when it has none)."""
    t = line.text.strip()
    if not t or len(t) > 60 or t[-1] in NOT_HEADING_END or ARTICLE_RE.match(t) or _INNER_STOP.search(t):
        return None
    if not _WORDY.search(t):  # ∑∞, [ ∑ ], δ, a bracket: formula pieces set large, never section titles
        return None
    if _LATIN_SENTENCE_END_RE.search(t):  # "for any feasible solution x.", "ming.": an English sentence's end
        return None
    if is_date_line(t):  # a 落款's date line (set apart under the issuer, a seal's speck in it) dates, never titles
        return None
    if _LIST_ITEM_RE.match(t) or _BRACKETED_RE.match(t):  # (a)…, <1>…, a note in brackets: never a section
        return None
    if line.size < 0.9 * stats.body_size:
        return None
    left, right = stats.edges(line)
    styled = _larger(line, stats) or _distinct_font(line, stats)
    short = line.x1 < right - 2 * line.size
    centred = _centred(line, left, right)
    kind = pattern_kind(t)
    if kind is None and _PART_NAME_RE.match(t):
        kind = "named"  # 序言, 附则: a part's name, set and placed like a numbered heading, stands for its number
    if kind and not styled:
        styled = _distinct_font(line, stats, NUMBERED_FONT_SHARE)
    if kind == "arabic":
        return kind if styled and short else None
    if kind and (short or styled):
        return "" if kind == "named" else kind
    if styled and (short or centred) and len(t) <= 40:
        return kind or ""
    # set larger and in a font of its own, with space above: a heading even when it fills the line
    # (a long section title in a narrow column, or its first line when it wraps)
    if (_larger(line, stats) and _distinct_font(line, stats) and len(t) <= 40 and not ends_sentence(t)
            and (line.dy is None or line.dy > 1.5 * stats.pitch_at(line))):
        return kind or ""
    # a plain centred line: short in characters and in width (an indented first line of a
    # ragged-right paragraph can look centred too), with space above it
    gap_above = line.dy is None or line.dy > 1.3 * stats.pitch
    if centred and len(t) <= 30 and line.x1 - line.x0 <= 0.7 * (right - left) and gap_above:
        return ""
    return None


def continues_heading(head: Line, line: Line, stats: DocStats) -> bool:
    """``line`` is the wrapped second line of heading ``head`` (same style, right below it)."""
    if line.page != head.page or line.region != head.region or line.dy is None:
        return False
    t = line.text.strip()
    if not t or pattern_kind(t) or ARTICLE_RE.match(t) or t[-1] in NOT_HEADING_END:
        return False
    if abs(line.size - head.size) > 0.3 or line.font != head.font or line.dy > 2.0 * head.size:
        return False
    left, right = stats.edges(line)
    styled = _larger(head, stats) or _distinct_font(head, stats)
    return styled or (_centred(head, left, right) and _centred(line, left, right))


def ends_sentence(text: str) -> bool:
    """Ends in sentence punctuation; a full stop ``.``/``．`` too after a Chinese character or a word
    (Chinese science journals set ``.`` as 句号), but not after a number, an initial, ``[J]`` or ``et al``."""
    t = _TRAILING.sub("", text)
    return bool(t) and (t[-1] in SENTENCE_END or _FULL_STOP.search(t) is not None)


def starts_paragraph(prev: Line, line: Line, stats: DocStats) -> bool:
    """Whether ``line`` opens a new paragraph after ``prev`` (indent, short last line, gap, 第X条)."""
    if ARTICLE_RE.match(line.text.strip()) or (line.region == "B") != (prev.region == "B"):
        return True  # an article; or into or out of a sidebar, whose text never continues the main column's
    if _labelled(line.text):
        return True  # 摘要: / Abstract: / 关键词: / DOI: … opens a field of its own
    if separate_facts(prev, line, stats):
        return True  # 单位：元 beside 编制部门：…, 股票简称：… under 股票代码：…, ☑适用 □不适用: facts, not a sentence
    if _symbol_row_starts(prev, line, stats):
        return True  # a symbol list's rows (HPC　高性能计算): one paragraph a row, never run together
    same_column = line.page == prev.page and line.region == prev.region
    pitch = stats.pitch_at(line)
    gap = line.dy if same_column and line.dy is not None else None
    # a wide gap: measured against the wider of the column's and the document's pitch, since
    # a page of table rows has a narrow pitch of its own
    if gap is not None and gap > 1.7 * max(pitch, stats.pitch):
        return True
    if abs(line.size - prev.size) > 1.0 and not _runs_on_resized(prev, line, gap, pitch, stats):
        return True
    # after a sentence's end, a gap clearly wider than this column's own line pitch opens a paragraph
    if gap is not None and gap > 1.3 * pitch and ends_sentence(prev.text):
        return True
    left, right = stats.edges(line)
    prev_left, prev_right = stats.edges(prev)
    if line.after_formula and same_column:
        # a display formula stood between (see .formulas): the line before it ran on into the formula (即, 为,
        # 有); after it the sentence goes on at the column's edge (其中: …) and a first-line indent opens
        return line.x0 - left > 1.0 * line.size  # the next paragraph
    # the next line of a centred block, whose indents mean nothing: after another centred line, or
    # far in from both edges after a full line (an indented first line may look centred when ragged)
    if (
        same_column
        and not ends_sentence(prev.text)
        and (
            (_loosely_centred(line, left, right, 1.0) and _loosely_centred(prev, prev_left, prev_right, 1.0))
            or (_loosely_centred(line, left, right, 3.0) and prev.x1 >= prev_right - 1.5 * prev.size)
        )
    ):
        return False
    # a full line ending mid-sentence goes on in the next line at the column's pitch, or over a
    # column or page break, wherever that line starts (hanging indents, the text after a bullet);
    # a list item opens a paragraph of its own unless the line before ends in a comma
    if (
        not ends_sentence(prev.text)
        and prev.x1 >= prev_right - 1.5 * prev.size
        and (not opens_item(line.text) or _TRAILING.sub("", prev.text)[-1:] in MID_SENTENCE)
        and (gap is None or gap <= 1.25 * pitch)
    ):
        return False
    inset = stats.inset.get(id(line))
    if inset is not None and inset == stats.inset.get(id(prev)) and prev.x1 < prev_right - 1.5 * prev.size:
        return True  # a short line inside a justified inset block ends its paragraph (or its field: DOI: …)
    if line.x0 - left > 1.0 * line.size:
        # a block indented as a whole (a hanging note, a quotation) goes on: the line before it was
        # full, at the same indent or further out, and stopped in the middle of a sentence (on a Han
        # character or a comma; a table row or a contents line ends on a number)
        return not (
            same_column
            and prev.x1 >= prev_right - 0.5 * prev.size
            and line.x0 >= prev.x0 - 0.5 * line.size
            and _open_end().search(prev.text) is not None
            and not opens_item(line.text)  # "(2) ……" after a full line is the next item, not its tail
        )
    if ends_sentence(prev.text) and _numbered_heading_line(line, right):
        return True  # ``3. 3发动机技术状态综合评定`` under a full line that ended its sentence: no run-on
    return prev.x1 < prev_right - 1.5 * prev.size and ends_sentence(prev.text)


RESIZED_RUN_ON = 0.12  # a line set this much smaller or larger than the one before may still go on its sentence


def _runs_on_resized(prev: Line, line: Line, gap: float | None, pitch: float, stats: DocStats) -> bool:
    """A line set a little smaller or larger that goes on the sentence of the full line before it, at the
    column's pitch: a run of variables or abbreviations in an italic Latin font (``…包括测量参数`` ¶
    ``N 1、N 2、EGT、FF、EPR、TA T 等指示`` ¶ ``系统故障…``), not a new paragraph. The line before is full when
    it reaches the column's edge, or when both lines are set to one measure (text beside a figure, narrower than
    the column the page's edges give)."""
    full = prev.x1 >= stats.edges(prev)[1] - 1.5 * prev.size or (
        abs(prev.x1 - line.x1) <= prev.size and abs(prev.x0 - line.x0) <= 2 * prev.size)
    return (gap is not None and gap <= 1.25 * pitch
            and abs(line.size - prev.size) <= RESIZED_RUN_ON * max(line.size, prev.size)
            and not ends_sentence(prev.text) and full and not opens_item(line.text))


def _symbol_row_starts(prev: Line, line: Line, stats: DocStats) -> bool:
    """A row of a symbol list (see :func:`.layout.term_column`) opens a paragraph: under another row, under a
    short line, or at the top of a page or column; and so does the line after a short row (a full row's next line
    may wrap its meaning: the rules for running text decide). One gap in a full line of running text (a removed
    formula, an OCR gap) is no list."""
    prev_short = prev.x1 < stats.edges(prev)[1] - 1.5 * prev.size
    if line.term_x is not None:
        return prev_short or prev.term_x is not None or (prev.page, prev.region) != (line.page, line.region)
    return prev.term_x is not None and prev_short


def separate_facts(prev: Line, line: Line, stats: DocStats) -> bool:
    """``line`` is a labelled fact apart from ``prev`` (see :mod:`.fields`): set beside it on its baseline; a
    line of check boxes or after one; a field line under a field line that does not span its column (a value
    that ran to the column's edge may have wrapped); any line after a right-set field (``单位：元`` above a
    table); a short field line after a sentence's end (``法定代表人：…`` under a table's note)."""
    if line.beside or is_choices(prev.text) or is_choices(line.text):
        return True
    left, right = stats.edges(prev)
    if not is_field(prev.text.strip()):
        return (ends_sentence(prev.text) and is_field(line.text.strip())
                and line.x1 < stats.edges(line)[1] - 1.5 * line.size)
    full = prev.x0 <= left + 1.5 * prev.size and prev.x1 >= right - 1.5 * prev.size
    # a short field set flush right, not the indented first line of a paragraph
    right_set = prev.x1 - prev.x0 < 0.5 * (right - left) and prev.x1 >= right - 1.5 * prev.size
    return right_set or (not full and is_field(line.text.strip()))


_HEADING_MAX = 60  # characters: a numbered line longer than this is a sentence, not a heading
_SENTENCE_MARK = re.compile(r"[。；！？;!?]")


def _numbered_heading_line(line: Line, right: float) -> bool:
    """The line reads as a numbered heading: it opens with a numbering scheme (``3.3``, ``3. 3`` spaced by a
    wide glyph grid, ``（二）``), is short of the column's edge, holds no sentence mark and ends in none."""
    t = line.text.strip()
    return (opens_item(t) and pattern_kind(t) is not None and len(t) <= _HEADING_MAX
            and line.x1 < right - 1.5 * line.size and not ends_sentence(t) and not _SENTENCE_MARK.search(t))


def hangs_from(cur: list[Line], line: Line, stats: DocStats) -> bool:
    """``line`` goes on with the list item ``cur`` opened: a hanging indent.

    An item's marker (``◆``, ``(1)``, ``1.``) sits out to the left and its text wraps to the indent of the
    text after the marker, so the item's first line starts further left than the rest, and a Latin word
    set a size smaller makes a continuation line look smaller. The line before ran to the column's edge
    (the text wrapped, or the item's text stopped mid-sentence), the line is not the next item, and it
    starts at the item's hanging indent: at
    most :data:`HANG_MAX` ems in from the marker for the first continuation, at the first continuation's
    indent for the others.
    """
    item, prev = cur[0], cur[-1]
    if (line.page != prev.page or line.region != prev.region or line.dy is None or not opens_item(item.text)
            or opens_item(line.text) or is_caption(line.text)):
        return False
    size = max(line.size, prev.size)
    right = stats.edges(prev)[1]
    # the line before wrapped at the column's edge, or it is a short line of the item's own text that
    # stopped mid-sentence before a display line (``即`` over ``最高需量＝…``)
    wrapped = prev.x1 >= right - 1.5 * prev.size or (len(cur) > 1 and not ends_sentence(prev.text))
    if (not wrapped or line.dy > 1.25 * max(stats.pitch_at(line), 1.2 * size)
            or abs(line.size - prev.size) > HANG_SIZE * size):
        return False
    if len(cur) > 1:
        return abs(line.x0 - cur[1].x0) <= 0.5 * size and cur[1].x0 > item.x0
    return 0.5 * size <= line.x0 - item.x0 <= HANG_MAX * size


def _labelled(text: str) -> bool:
    """The line opens with a front-matter label and its colon (``摘 要:``, ``Abstract:``, ``[关键词]``)."""
    t = text.strip()
    m = FRONT_LABEL_RE.match(t)
    return m is not None and re.match(r"\s*[:：\]】]", t[m.end():]) is not None


def opens_item(text: str) -> bool:
    """The line opens a list item or numbered heading (``（1）``, ``1.``, ``①``, ``•``, ``一、``)."""
    t = text.strip()
    if _DECIMAL.match(t):
        return False  # 0.5%以內 wraps onto a line of its own: a number, not the marker 1.
    return bool(t) and (bool(_ITEM_RE.match(t)) or pattern_kind(t) is not None)


def _loosely_centred(line: Line, left: float, right: float, margin_em: float) -> bool:
    """Centred within 1 em, at least ``margin_em`` in from both edges."""
    return (
        line.x0 - left > margin_em * line.size
        and right - line.x1 > margin_em * line.size
        and abs((line.x0 + line.x1) / 2 - (left + right) / 2) <= line.size
    )


def _front_break(prev: Line, line: Line, stats: DocStats) -> bool:
    left, right = stats.edges(line)
    return bool(
        FRONT_LABEL_RE.match(line.text.strip())
        or is_contents_label(line.text)
        or abs(line.size - prev.size) > 0.5
        or prev.x1 < right - 2 * prev.size
        or line.x0 - left > 1.0 * line.size
        or (line.dy is not None and line.dy > 1.8 * max(line.size, prev.size))
    )


# ---------------------------------------------------------------- assembly


@dataclass
class _Builder:
    blocks: list[Block] = field(default_factory=list)
    cur: list[Line] = field(default_factory=list)
    kind: str = ""
    pending: list[Block] = field(default_factory=list)  # footnotes waiting for the open block
    heading_sizes: dict[int, float] = field(default_factory=dict)  # block index → a heading's font size
    caption: bool = False  # the open block is a figure's or table's caption
    aside: list[Line] = field(default_factory=list)  # a caption set inside an open sentence, kept for after it
    breaks: list[tuple[int, str, str]] = field(default_factory=list)  # open sentences kept apart at a join
    stats: DocStats | None = None

    def set_aside(self) -> None:
        """The caption read inside the open paragraph's sentence becomes a block after that paragraph."""
        if self.aside:
            self.pending.append(mark_source(Block(PARA, "\n".join(ln.text for ln in self.aside), self.aside[0].page),
                                            self.aside))
            self.aside = []

    def flush(self) -> None:
        self.set_aside()
        if self.cur:
            self.blocks.append(mark_source(Block(self.kind, "\n".join(ln.text for ln in self.cur), self.cur[0].page),
                                           self.cur))
            self.cur = []
            self.kind = ""
        self.blocks.extend(self.pending)
        self.pending = []

    def start(self, kind: str, line: Line) -> None:
        if self.stats is not None and self.kind == PARA and len(self.cur) >= 2 and _left_open(self.cur, line,
                                                                                               self.stats):
            self.breaks.append((line.page, self.cur[-1].text.strip(), line.text.strip()))
        self.flush()
        self.kind, self.cur, self.caption = kind, [line], False
        if kind == HEADING:
            self.heading_sizes[len(self.blocks)] = line.size

    def footnotes(self, notes: list[Block]) -> None:
        if self.cur:
            self.pending.extend(notes)
        else:
            self.blocks.extend(notes)


def build_blocks(pages: list[PageText], stats: DocStats, log: list[LogEntry] | None = None) -> list[Block]:
    """Walk all lines in reading order and group them into blocks (sentences kept open at a join go to ``log``)."""
    notes = {p.page_no: footnote_blocks(p, stats) for p in pages}
    mark_title(pages, stats)
    mark_front(pages)
    first_page = next((p.page_no for p in pages if p.lines), 0)
    b = _Builder(stats=stats)
    seen_heading = False
    refs = _References()
    for page in pages:
        nodes: list[Line] = []
        for line in page.lines:
            if line.role in FLOW_SKIP:
                continue
            if line.figure and line.role != "title":
                nodes.append(line)  # a diagram node: a unit of its own, after the paragraph open around it
                continue
            if refs.active and not line.role and refs.take(b, line, stats):
                continue
            if b.aside:
                if _continues_caption(b.aside[-1], line, stats):
                    b.aside.append(line)
                    continue
                b.set_aside()
            if not line.role and is_caption(line.text) and _interposed(b, line, stats):
                b.aside = [line]  # the open sentence goes on after the figure; its caption follows the paragraph
                continue
            if line.role == "title":
                _add(b, TITLE, line, b.kind == TITLE)
            elif line.role == "front":
                _add(b, FRONT, line, b.kind == FRONT and not _front_break(b.cur[-1], line, stats))
            elif line.marker_only and b.kind in (PARA, FRONT):
                b.cur[-1].text += line.text  # a citation marker wrapped onto a line of its own
            elif is_caption(line.text) and not _runs_on(b, line, stats, any_width=True):
                _start_caption(b, line)
            elif b.kind == HEADING and continues_heading(b.cur[-1], line, stats):
                b.cur.append(line)
            elif is_contents_label(line.text):  # 目录 on its own opens the contents, whatever came before
                b.start(HEADING, line)  # it (the structure step removes and logs the contents)
            elif _REFS_LABEL_RE.match(line.text):  # 参考文献 / References opens the reference list, in any style
                b.start(HEADING, line)
            elif (hk := heading_kind(line, stats)) is not None and not (hk == "" and _runs_on(b, line, stats)):
                b.start(HEADING, line)
                seen_heading = True
            elif b.kind == PARA and hangs_from(b.cur, line, stats):
                b.cur.append(line)
            elif b.kind in (PARA, FRONT) and not starts_paragraph(b.cur[-1], line, stats) and (
                    not b.caption or _continues_caption(b.cur[-1], line, stats)):
                b.cur.append(line)
            elif b.kind == PARA and not b.caption and _join_open(b, line, stats):
                b.cur.append(line)
            else:
                front = page.page_no == first_page and not seen_heading and FRONT_LABEL_RE.match(line.text.strip())
                b.start(FRONT if front else PARA, line)
            if b.kind == HEADING and len(b.cur) == 1 and b.cur[0] is line:
                refs.opened_by(line.text)
        b.footnotes(figure_blocks(nodes) + notes[page.page_no])
    b.flush()
    _set_levels(b.blocks, b.heading_sizes)
    if log is not None:
        log.extend(open_sentence_log(b.breaks))
    return b.blocks


def _interposed(b: _Builder, line: Line, stats: DocStats) -> bool:
    """A caption read while the open paragraph's last line runs to the column's edge mid-sentence, set in
    another size or font: the figure stands between two lines of one sentence."""
    if b.kind != PARA or not b.cur or b.caption or _runs_on(b, line, stats, any_width=True):
        return False
    prev = b.cur[-1]
    return (
        not ends_sentence(prev.text)
        and prev.x1 >= stats.edges(prev)[1] - 1.5 * prev.size
        and (abs(line.size - prev.size) > 0.3 or line.font != prev.font)
    )


def _join_open(b: _Builder, line: Line, stats: DocStats) -> bool:
    """At a column or page join the layout did not join: go on when a word runs across the junction.

    Only for body text stopped mid-sentence (on a Han character or a comma) and a next line set like it
    (no heading, item or caption): the layout refuses such a join when the last line stops short of the
    column's edge (a line beside a figure) and the next one is indented. (A paragraph closed at a join after
    a line that ran to the edge mid-sentence is logged by :meth:`_Builder.start`.)
    """
    prev = b.cur[-1]
    if ((prev.page, prev.region) == (line.page, line.region) or not _open_end().search(prev.text)
            or is_caption(line.text) or abs(prev.size - stats.body_size) >= 0.6):
        return False
    alike = abs(line.size - prev.size) <= 0.3 and line.font == prev.font and not opens_item(line.text)
    return alike and word_across(prev.text, line.text)


def _left_open(lines: list[Line], line: Line, stats: DocStats) -> bool:
    """A paragraph of running text (two lines or more) closes at a column or page join while its last line
    ran from the column's left edge to its right one mid-sentence (a right-set label such as 单位：万元 above
    a table is none)."""
    prev = lines[-1]
    left, right = stats.edges(prev)
    return (
        (prev.page, prev.region) != (line.page, line.region)
        and prev.x0 <= left + INDENT_EM * prev.size
        and _open_end().search(prev.text) is not None
        and abs(prev.size - stats.body_size) < 0.6
        and prev.x1 >= right - 1.5 * prev.size
    )


# a reference list's heading, and the number opening one of its items: [12], ［12］, 12. , 12 Author
_REFS_LABEL_RE = re.compile(
    r"^\s*(?:参\s*考\s*文\s*献|references|bibliography|参考资料)\s*(?:[(（][^)）]*[)）])?\s*[:：]?\s*$", re.IGNORECASE)
_REF_ITEM_RE = re.compile(r"^\s*(?:[\[［](\d{1,3})[\]］]|(\d{1,3})[.、]\s|(\d{1,3})\s+(?=[A-Z\u4e00-\u9fff]))")
REFS_HEADING_MAX = 12  # inside a reference list, only a short line (作者简介, 附录, 致谢) is a heading that ends it


@dataclass
class _References:
    """The reference list after a 参考文献 / References heading: one paragraph per numbered item.

    Its lines are set close together whatever the items, so spacing cannot cut them; the item numbers
    can, when they count up one by one ([1] [2] …, a page number or a year never does).
    """

    active: bool = False
    last: int = 0

    def opened_by(self, heading: str) -> None:
        self.active, self.last = bool(_REFS_LABEL_RE.match(heading)), 0

    def take(self, b: _Builder, line: Line, stats: DocStats) -> bool:
        """Put ``line`` into the list (a new item or the open one's next line); False when it ends the list."""
        m = _REF_ITEM_RE.match(line.text)
        number = int(next(g for g in m.groups() if g)) if m else None
        if number is not None and number == self.last + 1:
            self.last = number
            b.start(PARA, line)
            return True
        if not self.last:  # the list does not open with item 1 (author-year style): the usual rules cut it
            self.active = False
            return False
        if len(line.text.strip()) <= REFS_HEADING_MAX and heading_kind(line, stats) is not None:
            self.active = False
            return False
        if b.kind == PARA and b.cur:
            b.cur.append(line)
        else:
            b.start(PARA, line)
        return True


def is_contents_label(text: str) -> bool:
    """目录, 目 錄, 图目录 … alone on a line (compatibility ideographs read as the characters they show)."""
    return _CONTENTS_LABEL_RE.match(fix_glyph_variants(text.strip())[0]) is not None


def _start_caption(b: _Builder, line: Line) -> None:
    """A caption opens a paragraph of its own, never a heading. A heading just before it that only
    repeats its title (a chart's title set above the plot) is the figure's title, not a section."""
    if b.kind == HEADING and len(b.cur) == 1 and b.cur[0].page == line.page:
        head = re.sub(r"\s+", "", b.cur[0].text)
        if head and head in re.sub(r"\s+", "", line.text):
            b.kind = PARA
    b.start(PARA, line)
    b.caption = True


def _continues_caption(prev: Line, line: Line, stats: DocStats) -> bool:
    """A caption's wrapped second line: the caption line ran to the column's edge, the next is set alike."""
    return (prev.page == line.page and prev.region == line.region and abs(prev.size - line.size) < 0.3
            and prev.x1 >= stats.edges(prev)[1] - 1.5 * prev.size and not is_caption(line.text))


def _runs_on(b: _Builder, line: Line, stats: DocStats, any_width: bool = False) -> bool:
    """``line`` goes on with a sentence the open paragraph's last line left unfinished, in its style.

    Only style marks such a line as a heading (it is larger than the body size, which a page of
    small-type commentary can set); set like the line before it, it is no heading of that paragraph.
    A numbered heading is never taken for a continuation. ``any_width``: the line goes on with the
    sentence whatever its own width (a wrapped line opening 表2 … is no caption).
    """
    if b.kind != PARA or not b.cur:
        return False
    prev = b.cur[-1]
    left, right = stats.edges(prev)
    return (
        prev.page == line.page
        and prev.region == line.region
        and abs(prev.size - line.size) < 0.3
        and prev.font == line.font
        and not ends_sentence(prev.text)
        and line.dy is not None
        and line.dy <= 1.3 * stats.pitch  # no space above
        and prev.x1 - prev.x0 >= 0.7 * (right - left)  # a long line, not a title or a label
    ) and (not any_width or prev.x1 >= right - 1.5 * prev.size)


def _add(b: _Builder, kind: str, line: Line, join: bool) -> None:
    if join:
        b.cur.append(line)
    else:
        b.start(kind, line)


def _set_levels(blocks: list[Block], sizes: dict[int, float]) -> None:
    """Heading levels from the nesting of the numberings this document uses, and the headings' sizes."""
    at = [i for i, blk in enumerate(blocks) if blk.kind == HEADING]
    levels = heading_levels([(numbering(blocks[i].text), sizes.get(i)) for i in at])
    for i, level in zip(at, levels, strict=True):
        blocks[i].level = level


def figure_blocks(lines: list[Line]) -> list[Block]:
    """One paragraph per diagram node (its lines share ``figure``), never joined to the text around it."""
    out: list[Block] = []
    groups: list[list[Line]] = []
    last = None
    for ln in lines:
        if (ln.page, ln.figure) == last:
            out[-1].text += "\n" + ln.text
            groups[-1].append(ln)
        else:
            out.append(Block(PARA, ln.text, ln.page))
            groups.append([ln])
        last = ln.page, ln.figure
    return [mark_source(b, g) for b, g in zip(out, groups, strict=True)]


def block_log(pages: list[PageText], blocks: list[Block]) -> list[LogEntry]:
    """Log entries for what the block step moved or took out of the body text."""
    lines = [ln for p in pages for ln in p.lines if ln.role not in ("header", "footer", "page_number")]
    log = []
    cites = [c for ln in lines for c in ln.cites]
    if cites:
        log.append(LogEntry("pdf_superscript_marker", len(cites), "inline as [n:page]/[n]: " + " ".join(cites[:30])))
    refs = [f"p{ln.page}:{r}" for ln in lines if ln.role != "footnote" for r in ln.refs]
    if refs:
        log.append(LogEntry("pdf_footnote_marker_removed", len(refs), "superscript note refs: " + " ".join(refs[:50])))
    nodes = sorted({(ln.page, ln.figure) for ln in lines if ln.figure and ln.role != "title"})
    if nodes:
        log.append(LogEntry("pdf_diagram_nodes_apart", len(nodes),
                            "text in a diagram's boxes kept one paragraph per box, apart from the prose "
                            "(图中框内文字，每框一段，不并入正文): pages "
                            + ",".join(map(str, sorted({p for p, _ in nodes})))))
    notes = [bl for bl in blocks if bl.kind == FOOTNOTE]
    if notes:
        pages_with = sorted({bl.page for bl in notes if bl.page is not None})
        log.append(LogEntry("pdf_footnote_separated", len(notes), "pages " + ",".join(map(str, pages_with))))
    return log
