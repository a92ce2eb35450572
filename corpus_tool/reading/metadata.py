"""Metadata of official documents and journal articles, read from the text itself.

Official documents: 发文字号 (normalised to 国发〔2024〕1号), issuing body (joint issuers
joined by 、), 成文日期 (Arabic or Chinese numerals, 〇 and ○ for zero), document type from
the title, 转发/印发/批转 relations. Journal articles: authors, DOI (title, abstract, keywords
and 中图分类号 come from the structure step).

"The" year of a document is the year of the date of its current text, taken in this order:

1. ``content:成文日期``: the publisher's metadata table (gov.cn), else the date closing the
   document under its issuer (落款), else the date of a State Council order;
2. ``content:会议日期``: a report's dateline (——2024年3月5日在……会议上, （……通过）);
3. ``content:公布日期``: the latest 公布/发布/修订/修正/通过 date in a regulation's history
   (施行, entry into force, does not count): a consolidated law is dated by its latest amendment,
   and its adoption and latest amendment are kept apart (``adopted_date`` ``content:通过日期``,
   ``amended_date`` ``content:修正日期``); ``filename:版本日期`` when the file name carries
   a later full date (the history in the text may stop before the current version);
   after these the content's cover, labelled publication date and masthead; when the content gives no
   date, ``furniture:running_header`` (``furniture:running_footer``): the date most of the running
   headers (footers) the extractor removed carry (a journal's ·2025年10月·中国土地);
4. ``content:发文字号``: the year in 国发〔2019〕5号;
5. ``content:标题`` (2024年政府工作报告), ``content:全国人大届次`` / ``content:党代会届次`` (the
   year of 第十三届全国人大第四次会议, of 中共十三大);
6. ``filename``: a single 4-digit year in the file name;
Every value comes with its source, stored in ``documents.sources``. The user's metadata (a
manifest, joined later, see :mod:`corpus_tool.reading.manifest`) wins over all of these; where it
disagrees with the text, both values are kept in the ``metadata_conflicts`` table.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from corpus_tool.reading.bylines import cover_fields
from corpus_tool.reading.repair import fix_glyph_variants
from corpus_tool.reading.textstats import without_spaces

# -- dates --------------------------------------------------------------------------------------
_ZH_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3,
             "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_YEAR = "[〇○零Ｏ一二三四五六七八九]{4}"
_ZH_SMALL = "[一二三四五六七八九十]{1,3}"
# A year of the Republic of China calendar (民国105年 = 2016) only after its explicit era name: a bare
# 105年 in a Taiwanese text may be a count of years, and a bare 38年 anything (人民国… is no era name).
_ROC_YEAR = (r"(?:中华民国|中華民國|(?<!人)民国|(?<!人)民國)[\s\u3000]*"
             r"(?P<roc>\d{1,3}|[〇○零一二三四五六七八九十百]{1,6})")
_ROC_OFFSET = 1911
DATE_RE = re.compile(
    rf"(?:{_ROC_YEAR}|(?<!\d)(?P<y>(?:1[89]|20)\d\d|{_ZH_YEAR}))\s*年\s*(?P<m>1[0-2]|0?[1-9]|{_ZH_SMALL})\s*月"
    rf"(?:\s*(?P<d>3[01]|[12]\d|0?[1-9]|{_ZH_SMALL})\s*日)?"
)
_YEAR_IN_NAME_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def zh_number(text: str) -> int | None:
    """十一 → 11, 二十五 → 25, 三十 → 30, 五 → 5, 一百零五 → 105; digit-by-digit for years (一九九六 → 1996)."""
    if text.isdigit():
        return int(text)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        h = _ZH_DIGIT.get(hundreds) if hundreds else 1
        rest = rest.lstrip("零〇○")
        low = zh_number(rest) if rest else 0
        return None if h is None or low is None or low >= 100 else h * 100 + low
    if "十" not in text:
        digits = [_ZH_DIGIT.get(ch) for ch in text]
        if any(d is None for d in digits):
            return None
        value = 0
        for d in digits:
            value = value * 10 + d  # type: ignore[operator]
        return value
    tens, _, ones = text.partition("十")
    t = _ZH_DIGIT.get(tens, None) if tens else 1
    o = _ZH_DIGIT.get(ones, None) if ones else 0
    if t is None or o is None:
        return None
    return t * 10 + o


def _date_of(m: re.Match[str]) -> tuple[str, int] | None:
    if m.group("roc"):
        roc = zh_number(m.group("roc"))
        y = roc + _ROC_OFFSET if roc else None
    else:
        y = zh_number(m.group("y"))
    mo = zh_number(m.group("m"))
    d = zh_number(m.group("d")) if m.group("d") else None
    if y is None or mo is None or not (1 <= mo <= 12) or not (1800 <= y <= 2100):
        return None
    if d is not None and not (1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else ""), y


def parse_date(text: str) -> tuple[str, int] | None:
    """The first date in ``text`` as (ISO string, year): YYYY-MM-DD, or YYYY-MM without a day.
    ``中华民国105年9月`` (the ROC calendar, with its era name) → 2016-09."""
    for m in DATE_RE.finditer(text):
        found = _date_of(m)
        if found:
            return found
    return None


def all_dates(text: str) -> list[tuple[str, int, int]]:
    """Every date in ``text`` as (ISO, year, offset)."""
    out = []
    for m in DATE_RE.finditer(text):
        parsed = _date_of(m)
        if parsed:
            out.append((parsed[0], parsed[1], m.start()))
    return out


# A date line of a cover or title page: the date alone, or with the edition or printing it dates
# (2016年9月再版, 二〇二四年八月, 2017年4月24日印制).
_EDITION = r"(?:第?[一二三四五六七八九十\d]{0,3}[次]?(?:再版|初版|修订版|版|印刷|印制|编印|出版|印|定稿|完成|制))"
_COVER_DATE_RE = re.compile(rf"(?:{DATE_RE.pattern}){_EDITION}?")
_COVER_LINE_MAX = 24


# OCR noise inside a date: a dot or mark (a seal's speck, a comma) read between a number and 年/月/日 or after them
# (``2025.年11月25日``, ``2025年,11月``). Only marks, never a character that could be text.
_DATE_MARKS = r"[\s.．,，。·・'‘’`:：;；]+"
_DATE_NOISE_RE = re.compile(rf"(?<=\d){_DATE_MARKS}(?=[年月日])|(?<=[年月]){_DATE_MARKS}(?=\d)")


def denoise_date(text: str) -> str:
    """``2025.年11月25日`` → ``2025年11月25日``: marks OCR read between a date's numbers and 年/月/日 out."""
    return _DATE_NOISE_RE.sub("", text)


def is_date_line(text: str) -> bool:
    """A line that is a full date and nothing else (a 落款's date line; OCR noise and brackets allowed)."""
    squashed = denoise_date(without_spaces(text)).strip("（）()")
    m = DATE_RE.fullmatch(squashed)
    return m is not None and m.group("d") is not None and _date_of(m) is not None


def _plain(line: str) -> str:
    """Spaces out (letter-spaced covers: 中 華 民 國 105 年), Kangxi radicals as characters (⽉ → 月)."""
    return without_spaces(fix_glyph_variants(line)[0])


_ISO_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01])(?!\d)")
# A standard's cover: 2016-12-30发布 2017-11-01实施 (its date is the 发布 one, not when it takes effect).
_ISSUED_LINE_RE = re.compile(rf"(?P<date>{_ISO_DATE_RE.pattern})发布(?:{_ISO_DATE_RE.pattern}实施)?")
# Labelled publication dates of a cover (a CNKI first-publication cover: 网络首发日期：2024-06-06); 收稿日期
# (received) is no publication.
_PUBLISHED_LABELS = ("网络首发日期", "出版日期", "发表日期", "发布日期", "披露日期", "公告日期")


def iso_or_chinese_date(text: str) -> str | None:
    """``2024-06-06``, ``2024/6/6`` or ``2024年6月6日`` as an ISO date."""
    m = _ISO_DATE_RE.search(text)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    parsed = parse_date(text)
    return parsed[0] if parsed else None


def published_date(fields: dict[str, str]) -> tuple[str, str] | None:
    """A publication date labelled on a cover, with its label."""
    for label in _PUBLISHED_LABELS:
        found = iso_or_chinese_date(fields.get(label, ""))
        if found:
            return found, label
    return None


# A journal's masthead: 第9卷 第4期 航空动力学报 Vol 9 No 4 / 1994年 10月 … Oct. 1994.
VOLUME_ISSUE_RE = re.compile(r"第\s*\d{1,4}\s*[卷期]|(?<![A-Za-z])(?:Vol|No)\s*\.?\s*\d{1,4}(?!\d)")
_MASTHEAD_LINES = 4


def masthead_date(front: list[str]) -> str | None:
    """The issue date of a journal's masthead: a date in a first line that names a volume or issue
    (第9卷第4期, Vol 9 No 4), or in the line under it."""
    lines = [ln for raw in front for ln in raw.split("\n") if ln.strip()][:_MASTHEAD_LINES]
    for i, line in enumerate(lines):
        if not VOLUME_ISSUE_RE.search(line):
            continue
        for text in lines[i:i + 2]:
            if not re.search("[。！？]", text):
                parsed = parse_date(_plain(text))
                if parsed:
                    return parsed[0]
    return None


def furniture_date(furniture: dict[str, list[str]]) -> tuple[str, str] | None:
    """The date the removed running headers print, else the footers' (``furniture`` maps ``header`` and
    ``footer`` to their text, one item a page), with its source ``furniture:running_header``/``_footer``:
    the date most of their lines carry; none when two dates are as common (a compilation of issues)."""
    for band in ("header", "footer"):
        dates = Counter(parsed[0] for text in furniture.get(band, ()) if (parsed := parse_date(_plain(text))))
        top = dates.most_common(2)
        if top and (len(top) == 1 or top[0][1] > top[1][1]):
            return top[0][0], f"furniture:running_{band}"
    return None


def cover_date(front: list[str]) -> str | None:
    """The date printed on a cover or title page: a line of the front matter that is a date and
    nothing more (or the edition it dates), before the running text begins. A date inside a
    sentence is never a cover's."""
    for raw in front:
        for line in raw.split("\n"):
            text = _plain(line)
            if not text:
                continue
            if re.search("[。！？]", text):  # running text: the cover, if any, is behind
                return None
            if len(text) <= _COVER_LINE_MAX and _COVER_DATE_RE.fullmatch(text):
                parsed = parse_date(text)
                if parsed:
                    return parsed[0]
            issued = _ISSUED_LINE_RE.fullmatch(text)
            if issued:
                return iso_or_chinese_date(issued.group("date"))
    return None


# -- 发文字号 --------------------------------------------------------------------------------------
# OCR reads the hexagonal brackets 〔〕 as any bracket, sometimes as two (中基协处分(2025)] 334号, 〔2025)]).
_OPEN, _CLOSE = "〔［\\[（(【{｛", "〕］\\]）)】}｝"
_DOCNUM_RE = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{1,10}}?)\s*[{_OPEN}]{{1,2}}\s*(?P<year>(?:19|20)\d\d)\s*[{_CLOSE}]{{1,2}}\s*"
    r"第?\s*(?P<num>\d{1,5})\s*号"
)
_ORDER_RE = re.compile(r"(?P<org>(?:中华人民共和国)?[\u4e00-\u9fff]{1,12}?令)\s*(?:[（(][^）)]{1,12}[）)])?\s*"
                       r"第\s*(?P<num>\d{1,5})\s*号")
# Words that end a running-text prefix before a document number: the number's own org starts after.
_ORG_BOUNDARY_RE = re.compile(r".*(?:根据|按照|依据|依照|参照|执行|关于|印发|转发|批转|见|和|及|与|的|、|号|文|以|为)")
_ORDER_ALIASES = {"国令": "国务院令", "中华人民共和国国务院令": "国务院令"}


def normalize_doc_number(text: str) -> str:
    """``国发[2019]5号``, ``国发（2019）5号``, ``国发〔2019〕第5号`` → ``国发〔2019〕5号``;
    ``中华人民共和国国务院令第707号`` and gov.cn's ``国令第707号`` → ``国务院令第707号``."""
    text = without_spaces(text)
    m = _DOCNUM_RE.fullmatch(text)
    if m:
        return f"{m.group('org')}〔{m.group('year')}〕{int(m.group('num'))}号"
    m = _ORDER_RE.fullmatch(text)
    if m:
        org = re.sub(r"[（(][^）)]*[）)]", "", m.group("org"))
        return f"{_ORDER_ALIASES.get(org, org)}第{int(m.group('num'))}号"
    return text


def find_doc_numbers(text: str) -> list[tuple[str, int]]:
    """Document numbers in running text, normalised, with their offsets."""
    out = []
    for m in _DOCNUM_RE.finditer(text):
        org = m.group("org")
        cut = _ORG_BOUNDARY_RE.match(org)
        if cut:
            org = org[cut.end():]
        if not org:
            continue
        out.append((f"{org}〔{m.group('year')}〕{int(m.group('num'))}号", m.start()))
    return out


# a standard's number on a line of its own: GB/T 3620.1—2016, DB34/T 1234-2020, JB/T 5000.1-2007
_STANDARD_NO_RE = re.compile(r"(?P<code>GB(?:/[TZ])?|DB\d{2}(?:/T)?|[A-Z]{2,3}/T|T/[A-Z]{2,10})"
                             r"(?P<num>\d{1,6}(?:\.\d{1,3})*)[—–\-－](?P<year>(?:19|20)\d{2})")


def standard_number(text: str) -> str | None:
    """``GB/T3620.1—2016`` → ``GB/T 3620.1—2016``: a line that is nothing but a standard's number."""
    m = _STANDARD_NO_RE.fullmatch(without_spaces(text))
    return f"{m.group('code')} {m.group('num')}—{m.group('year')}" if m else None


# A listed company's announcement number, labelled on its cover: 公告编号：2025-035, 公告编号：临2025-012.
_ANNOUNCEMENT_NO_RE = re.compile(r"公告编号[:：]\s*(?P<num>[\u4e00-\u9fffA-Za-z]{0,3}(?:19|20)\d\d[-－—–]\d{1,4})"
                                 r"(?!\d)")


def announcement_number(text: str) -> str | None:
    """``公告编号：2025-035`` (alone or beside 证券代码/证券简称 on one line) → ``2025-035``."""
    m = _ANNOUNCEMENT_NO_RE.search(without_spaces(text))
    return m.group("num") if m else None


def _standalone_doc_number(text: str) -> str | None:
    """A unit that is nothing but a document number (the line under an official title)."""
    squashed = without_spaces(text)
    if len(squashed) > 30:
        return None
    if _DOCNUM_RE.fullmatch(squashed) or _ORDER_RE.fullmatch(squashed):
        return normalize_doc_number(squashed)
    return None


# -- issuers and types ----------------------------------------------------------------------------
_ISSUER_BY_PREFIX = {"国发": "国务院", "国函": "国务院", "国办发": "国务院办公厅", "国办函": "国务院办公厅",
                     "国办发明电": "国务院办公厅", "国务院令": "国务院"}
_TITLE_VERB_RE = re.compile(r"^(?P<issuer>.{2,60}?)(?:关于|转发|印发|批转|对|发布)")
_ORG_SUFFIX_RE = re.compile(
    r"(国务院|办公厅|办公室|委员会|人民政府|部|委|局|署|院|办|总局|厅|会|中央军委|中共中央|常委会|银行|总署|小组|中心|"
    r"人民代表大会|政府|法院|检察院|联合会|协会|公司|集团)$"
)
# Joint issuers are separated by 、，, or spaces; a space inside a Latin name (State Forestry Administration, as
# English manifests give it) is not a separator.
_ISSUER_SEP_RE = re.compile(r"[、，,\u3000]+|(?<![A-Za-z\])])\s+|\s+(?![A-Za-z\[(])")
DOC_TYPES = ("决定书", "告知书", "通知书", "意见书", "建议书", "判决书", "裁定书",
             "指导意见", "实施意见", "实施细则", "实施办法", "暂行办法", "暂行规定", "工作方案", "实施方案",
             "行动计划", "行动方案", "管理办法", "工作规则", "复函", "批复", "答复", "通知", "通报", "通告",
             "公告", "意见", "办法", "规定", "方案", "决定", "决议", "报告", "条例", "细则", "规则", "规划",
             "纲要", "计划", "措施", "函", "令", "命令", "议案", "请示", "纪要", "指南", "标准", "解释", "法",
             "章程", "规范", "建议", "公报")
_BASE_TYPE = {"指导意见": "意见", "实施意见": "意见", "实施细则": "细则", "实施办法": "办法", "暂行办法": "办法",
              "暂行规定": "规定", "工作方案": "方案", "实施方案": "方案", "行动计划": "计划", "行动方案": "方案",
              "管理办法": "办法", "工作规则": "规则", "复函": "函", "命令": "令"}
_TYPE_SUFFIX_RE = re.compile(
    r"(" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")(?:[（(][^）)]{1,20}[）)])*$"
)
_RELATION_RE = re.compile(
    r"^(?P<issuer>.*?)(?:关于)?(?P<verb>转发|印发|批转)(?P<target>.+?)的(?:通知|通报|函)$"
)
_SIGNATURE_MAX = 40


def split_issuers(text: str) -> list[str]:
    return [p.strip() for p in _ISSUER_SEP_RE.split(text.strip()) if p.strip()]


def normalize_issuer(text: str) -> str:
    """Joint issuers joined by 、 in their order: ``国务院　中央军委`` → ``国务院、中央军委``."""
    return "、".join(split_issuers(text))


def doc_type_of(title: str) -> str | None:
    """The document type named at the end of a title: ……的通知 → 通知; ……指导意见 → 意见."""
    t = re.sub(r"[\s\u3000《》〈〉]+", "", title).rstrip("。")
    t = re.sub(r"[（(](?:\d{4}[-—–年]?.*?|试行|草案|修订|修正|征求意见稿)[）)]$", "", t)
    m = _TYPE_SUFFIX_RE.search(t)
    if not m:
        return None
    found = m.group(1)
    if found == "法" and not t.endswith(("法", "法）", "法)")):
        return None
    return _BASE_TYPE.get(found, found)


def issuer_from_title(title: str) -> str | None:
    """``国务院办公厅关于……`` → 国务院办公厅; ``国务院、中央军委关于……`` → 国务院、中央军委."""
    t = without_spaces(title)
    m = _TITLE_VERB_RE.match(t)
    if not m:
        return None
    parts = split_issuers(m.group("issuer"))
    if parts and all(_ORG_SUFFIX_RE.search(p) for p in parts):
        return "、".join(parts)
    return None


# The issuer a document's opening names: a 红头 (XX人民政府文件), a labelled field (发文机关：, 预算主管部门：,
# 编制单位：), the speaker of a work report (我代表XX人民政府，向大会报告政府工作), a department's budget or final
# accounts by their title (XX局2024年度部门决算), a handbook's publisher on its cover (XX基金会编印).
_RED_HEAD_RE = re.compile(r"^(?P<org>\S{2,40}?)文件$")
_ISSUER_LABEL_RE = re.compile(r"^(?:发文机关|发布机关|发布单位|制发机关|预算主管部门|预算单位|部门名称|单位名称"
                              r"|编制单位)[:：](?P<org>\S{2,40})$")
_SPEAKER_RE = re.compile(r"我代表(?P<org>[^，,。；]{2,30}?(?:人民政府|政府|国务院))[，,]?向(?:大会|会议)报告")
_BUDGET_TITLE_RE = re.compile(r"^(?P<org>\S{2,40}?)(?:(?:19|20)\d\d年(?:度)?)(?:部门|单位)(?:预算|决算)")
_PUBLISHER_RE = re.compile(r"(?:^|指导|主办|监制|委托)(?P<org>[^指导主办监制委托]{2,30}?)(?:编印|编制|编著|出版|印制)")


def front_issuer(title: str, head: list[str]) -> tuple[str | None, str]:
    """The issuer the title or opening lines name, and where it was read; (None, "") when none does."""
    t = without_spaces(title)
    m = _BUDGET_TITLE_RE.match(t)
    if m and _organs(m.group("org")):
        return m.group("org"), "content:标题"
    for line in head[:8]:
        squashed = without_spaces(line)
        for rx, where in ((_RED_HEAD_RE, "content:版头"), (_ISSUER_LABEL_RE, "content:发文机关")):
            m = rx.match(squashed)
            if m and (organs := _organs(re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", "", m.group("org")))):
                return "、".join(organs), where
    for line in head[:3]:
        m = _SPEAKER_RE.search(without_spaces(line))
        if m and _organs(m.group("org")):
            return m.group("org"), "content:报告人"
    for line in head[:3]:
        squashed = without_spaces(line)
        if len(squashed) <= 80 and (m := _PUBLISHER_RE.search(squashed)) and _organs(m.group("org")):
            return m.group("org"), "content:编印单位"
    return None, ""


# -- relations ------------------------------------------------------------------------------------
@dataclass
class Relation:
    """This document forwards (转发), issues (印发) or approves and forwards (批转) another one."""

    relation: str
    title: str
    issuer: str | None = None
    doc_type: str | None = None
    doc_number: str | None = None


def relation_from_title(title: str, own_issuer: str | None) -> Relation | None:
    t = without_spaces(title)
    m = _RELATION_RE.match(t)
    if not m:
        return None
    target = m.group("target").strip("《》")
    issuer = None
    if m.group("verb") in ("转发", "批转"):
        head = re.match(r"^(?P<org>.{2,40}?)(?:关于|《)", target)
        if head and all(_ORG_SUFFIX_RE.search(p) for p in split_issuers(head.group("org"))):
            issuer = normalize_issuer(head.group("org"))
    else:
        issuer = own_issuer
    inner = re.sub(r"^《|》$", "", target)
    return Relation(m.group("verb"), inner, issuer, doc_type_of(inner))


# -- journal articles -----------------------------------------------------------------------------
# A DOI is printable ASCII: it ends where Han text glued to it begins (10.13816/…2025.10.03责编：…).
_DOI_RE = re.compile(r"\b(10\.\d{4,9}/[!#-;=?-~]+)", re.IGNORECASE)
_DOI_LABEL_RE = re.compile(r"^[\s\u3000]*DOI[\s\u3000]*[:：]", re.IGNORECASE)
_REFERENCE_RE = re.compile(r"^[\s\u3000]*(?:\[\d{1,4}\]|\d{1,4}[.．、]\s)")
_AUTHOR_LINE_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}(?:[\d*,，\s\u3000、]+[\u4e00-\u9fff·]{2,5})*[\d*,，]*$")


def find_doi(head: list[str], tail: list[str]) -> str | None:
    """The document's DOI: the first in its head, else one labelled ``DOI:`` in its tail. An
    unlabelled DOI at the end is a reference's (a thesis ends with its bibliography)."""
    lines = [ln for ln in head if not _REFERENCE_RE.match(ln)]
    lines += [ln for ln in tail if _DOI_LABEL_RE.match(ln)]
    for line in lines:
        m = _DOI_RE.search(line) if "10." in line else None  # every DOI starts 10.
        if m:
            return m.group(1).rstrip(".,;:)]")
    return None


def authors_from_lines(lines: list[str]) -> list[str]:
    """Author names from a byline between title and abstract: ``张三1，李四2*`` → [张三, 李四]."""
    for line in lines:
        text = line.strip()
        if 2 <= len(text) <= 40 and _AUTHOR_LINE_RE.match(text):
            names = [n for n in re.split(r"[\d*,，\s\u3000、]+", text) if n]
            if 1 <= len(names) <= 10:
                return names
    return []


# -- congress sessions ------------------------------------------------------------------------------
# First-session years of each National People's Congress (annual sessions from the 5th on) and the
# years of the CPC National Congresses: a resolution or report dated only by its session.
_NPC_FIRST = {5: 1978, 6: 1983, 7: 1988, 8: 1993, 9: 1998, 10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}
_CPC_YEAR = {1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969, 10: 1973,
             11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017, 20: 2022}
_ZH_ORDINAL = "([一二三四五六七八九十]{1,3})"
_NPC_RE = re.compile(f"第{_ZH_ORDINAL}届全国人民代表大会第{_ZH_ORDINAL}次会议")
_CPC_RE = re.compile(f"中国共产党第{_ZH_ORDINAL}次全国代表大会|[（(_]{_ZH_ORDINAL}大[）)]?")


def session_year(text: str) -> tuple[int, str] | None:
    """The year of an NPC session (第十三届全国人民代表大会第四次会议 → 2021) or of a CPC
    congress (中国共产党第九次全国代表大会, (十三大) → 1969, 1987), with what was read."""
    m = _NPC_RE.search(text)
    if m:
        term, session = zh_number(m.group(1)), zh_number(m.group(2))
        if term in _NPC_FIRST and session:
            return _NPC_FIRST[term] + session - 1, "全国人大届次"
    m = _CPC_RE.search(text)
    if m:
        number = zh_number(m.group(1) or m.group(2))
        if number in _CPC_YEAR:
            return _CPC_YEAR[number], "党代会届次"
    return None


# -- a cover's labelled fields ---------------------------------------------------------------------
# The fields of a thesis or report cover kept as document fields (the author is read in bylines).
COVER_FIELDS = {"指导教师": "supervisor", "指导教师姓名": "supervisor", "导师": "supervisor", "导师姓名": "supervisor",
                "指导老师": "supervisor", "联合指导教师": "co_supervisor", "副指导教师": "co_supervisor",
                "培养单位": "institution", "学院": "institution", "院系": "institution", "所在学院": "institution",
                "专业": "major", "专业领域": "major", "学科专业": "major", "专业名称": "major",
                "申请学位": "degree", "学位类别": "degree", "申请学位类别": "degree", "学位级别": "degree"}


def cover_values(fields: dict[str, str]) -> dict[str, str]:
    """``{指导教师: 慈 松 教 授}`` → ``{supervisor: 慈松教授}``: letter-spacing between Han characters out;
    an unreadable value ((cid:n), U+FFFD) is left out rather than stored broken."""
    out: dict[str, str] = {}
    for label, value in fields.items():
        key = COVER_FIELDS.get(label)
        text = re.sub(r"(?<=[\u4e00-\u9fff])[\s\u3000]+(?=[\u4e00-\u9fff])", "", value).strip()
        if key and text and "(cid:" not in text and "\ufffd" not in text:
            out.setdefault(key, text)
    return out


# -- the whole step -------------------------------------------------------------------------------
@dataclass
class Metadata:
    """Values found for one document, each with where it came from."""

    values: dict[str, object] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def set(self, key: str, value: object, source: str) -> None:
        """Keep the first value found for ``key``: callers try sources in order of trust."""
        if value in (None, "", []) or key in self.values:
            return
        self.values[key] = value
        self.sources[key] = source


def _lines(units: list[str]) -> list[str]:
    return [u.strip() for u in units if u.strip()]


# A table of contents' entry: its dotted leader (and page number). Its dates are the entries', never the document's.
_LEADER_RE = re.compile(r"(?:[.．·・][ \u3000]?){6,}|[…⋯]{2,}")
_SIGNATURE_LINES = 3  # organ lines of joint issuers above the date line


def is_contents_line(line: str) -> bool:
    """A line of a table of contents (``关于红军作战的原则……………1``)."""
    return _LEADER_RE.search(line) is not None


def _organs(line: str) -> list[str] | None:
    """The organ names a signature line holds (``国务院　中央军委``), or None when it is not one."""
    text = line.strip()
    parts = split_issuers(text)
    if len(text) <= _SIGNATURE_MAX and parts and all(_ORG_SUFFIX_RE.search(p) for p in parts):
        return parts
    return None


def is_masthead(line: str) -> bool:
    """A red header (红头): an organ's name alone (中国证券投资基金业协会, 国务院　中央军委) or ``XX文件``."""
    text = without_spaces(line)
    return bool(text) and (_organs(line) is not None or _RED_HEAD_RE.match(text) is not None)


def signature(tail: list[str]) -> tuple[str | None, str | None]:
    """The 落款 closing an official document: organ line(s) then the date line, read from the end.

    The date line is a date alone (``2024年3月5日``, ``（二〇二四年三月五日）``) or after the organ on
    the same line; the organ lines above it (joint issuers one a line) each end in an organ's name
    (人民政府, 委员会, 局 ……). Returns (date, issuers joined by 、); nothing from a table of contents.
    """
    if any(is_contents_line(line) for line in tail):
        return None, None
    for i in range(len(tail) - 1, max(len(tail) - 6, -1), -1):
        squashed = denoise_date(without_spaces(tail[i])).strip("（）()")
        if len(squashed) > _SIGNATURE_MAX + 16:  # a paragraph, not a signature: not searched for a date
            continue
        m = DATE_RE.search(squashed)
        if m is None or m.end() != len(squashed):
            continue
        parsed = parse_date(m.group(0))
        if parsed is None or not DATE_RE.fullmatch(m.group(0)):
            continue
        organs: list[str] = []
        if m.start() > 0:  # the organ on the date's line: 上海市人民政府　2024年3月5日
            same = _organs(squashed[:m.start()])
            if same is None:
                continue
            organs = same
        else:
            for k in range(i - 1, max(i - 1 - _SIGNATURE_LINES, -1), -1):
                found = _organs(tail[k])
                if found is None:
                    break
                organs = found + organs
        return parsed[0], ("、".join(organs) or None)
    return None, None


_DATELINE_RE = re.compile(r"^[—\-－─―]{1,2}|^[（(]")
_PROMULGATION_RE = re.compile(r"(发布|公布|修订|修正|通过|批准)")
_HISTORY_END_RE = re.compile(r"(发布|公布|修订|修正|通过|批准|施行)$")
# A full date in a file name: 不动产登记暂行条例(2019-03-24).md, 20190324_通知.pdf.
_DATE_IN_NAME_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.年]?(0[1-9]|1[0-2])[-_.月]?(0[1-9]|[12]\d|3[01])(?!\d)")


def _dateline(lines: list[str]) -> str | None:
    """``——2024年3月5日在第十四届全国人民代表大会第二次会议上`` or ``（2021年3月11日……通过）``."""
    for line in lines[:8]:
        text = line.strip()
        if _DATELINE_RE.match(text) and ("会议" in text or "大会" in text) and len(text) <= 120:
            parsed = parse_date(text)
            if parsed:
                return parsed[0]
    return None


@dataclass
class History:
    """A regulation's history: each dated 公布/通过/修订/修正 event as (ISO date, what happened)."""

    events: list[tuple[str, str]] = field(default_factory=list)

    @property
    def adopted(self) -> str | None:
        """The first adoption or promulgation (通过/公布/发布/批准), when the history opens with one."""
        if not self.events:
            return None
        first = min(self.events)
        return first[0] if not _AMENDMENT_RE.search(first[1]) else None

    @property
    def amended(self) -> str | None:
        """The latest revision or amendment after the adoption: the date of the consolidated text."""
        later = [iso for iso, _ in self.events if iso > (self.adopted or "")]
        return max(later) if later and len(self.events) > 1 else None

    @property
    def latest(self) -> str | None:
        return max(iso for iso, _ in self.events) if self.events else None


_AMENDMENT_RE = re.compile(r"修订|修正|修改|根据")


def _history(lines: list[str]) -> History:
    """The 公布/发布/修订/修正 dates of a regulation's history (header lines or the parenthesis
    under the title). 施行 (entry into force) dates do not count.

    Each date's event is the text up to the next date: in ``1979年7月1日……通过　1997年3月14日……修订
    根据2023年12月29日……通过的《修正案（十二）》`` every date is its own event, spaces or not.
    """
    history = History()
    for i, line in enumerate(lines[:12]):
        text = line.strip().rstrip("　 ")
        if not _PROMULGATION_RE.search(text):
            continue
        parenthesis = i <= 4 and text.startswith(("（", "(")) and text.endswith(("）", ")"))
        # A history line: "2011年4月16日 中华人民共和国国务院令第596号公布", not prose that mentions a date.
        is_history = DATE_RE.match(text) and len(text) <= 80 and _HISTORY_END_RE.search(text)
        if not (parenthesis or is_history):
            continue
        body = text.strip("（）()")
        dates = all_dates(body)
        for k, (iso, _, offset) in enumerate(dates):
            segment = body[offset:dates[k + 1][2] if k + 1 < len(dates) else len(body)]
            if _PROMULGATION_RE.search(segment):
                history.events.append((iso, segment))
    return history


def extract_metadata(title: str, head: list[str], tail: list[str], file_name: str,
                     page_fields: dict[str, str] | None = None, front: list[str] | None = None,
                     furniture: dict[str, list[str]] | None = None) -> Metadata:
    """Read metadata from a document's title, first and last lines and file name.

    Lines should be in simplified characters (the caller converts a traditional text for
    matching). ``page_fields`` are labelled fields of the source page (gov.cn's metadata table);
    ``front`` the raw lines of the front matter as printed (a cover's, a title page's);
    ``furniture`` the running headers and footers removed from the pages (see :func:`furniture_date`).
    """
    meta = Metadata()
    page = page_fields or {}
    head, tail = _lines(head), _lines(tail)
    tail = tail or head

    # 1. Labelled page fields: the publisher's own metadata table.
    if page.get("发文字号"):
        meta.set("doc_number", normalize_doc_number(page["发文字号"]), "content:发文字号")
    if page.get("发文机关"):
        meta.set("issuer", normalize_issuer(page["发文机关"]), "content:发文机关")
    if page.get("成文日期"):
        parsed = parse_date(page["成文日期"])
        if parsed:
            meta.set("date", parsed[0], "content:成文日期")
    if page.get("标题"):
        meta.set("title", page["标题"], "content:标题")

    # 2. The document number under the title (or an order number: 国务院令 第707号 on two lines).
    for i, line in enumerate(head):
        number = _standalone_doc_number(line)
        if number is None and i + 1 < len(head) and line.endswith("令"):
            number = _standalone_doc_number(line + head[i + 1])
        if number:
            meta.set("doc_number", number, "content:发文字号")
            # Title lines above the number (a long title broken over two lines).
            above = "".join(head[:i])
            if 0 < i <= 3 and not line.endswith("令") and len(above) <= 120 and not title:
                meta.set("title", above, "content:标题")
            break
    else:
        standard = next((n for line in head[:12] if (n := standard_number(line))), None)
        if standard:
            meta.set("doc_number", standard, "content:标准号")
        announced = next((n for line in head[:12] if (n := announcement_number(line))), None)
        meta.set("doc_number", announced, "content:公告编号")

    # 3. Dates: a thesis or report cover's date and a cover's labelled publication date, 成文日期 in the
    # closing block, a report's dateline, a regulation's version, a cover or title page's date, a
    # journal masthead's issue date. A cover with labelled fields (作者, 指导教师, 培养单位) dates the
    # work itself: it comes before a date under its last lines (a preface's, 致谢's).
    on_cover = cover_date(front or [])
    labelled = cover_fields(front or [])
    if on_cover and len(labelled) >= 2:
        meta.set("date", on_cover, "content:封面日期")
    if len(labelled) >= 2:  # a cover: its supervisor, institution, major, degree
        for key, value in cover_values(labelled).items():
            meta.set(key, value, "content:封面")
    published = published_date(labelled)
    if published:
        meta.set("date", published[0], f"content:{published[1]}")
    sig_date, sig_issuer = signature(tail)
    if sig_date:
        meta.set("date", sig_date, "content:成文日期")
    order_head = any(line.endswith("令") for line in head[:3])
    if order_head:
        # A State Council order: the date closing the order (under 总理 ……) is its 成文日期.
        for line in head[:8]:
            squashed = without_spaces(line)
            if DATE_RE.fullmatch(squashed):
                meta.set("date", parse_date(squashed)[0], "content:成文日期")  # type: ignore[index]
                break
    dateline = _dateline(head)
    if dateline:
        meta.set("date", dateline, "content:会议日期")
    history = _history(head)
    version = history.latest
    # A consolidated law keeps its adoption and its latest amendment apart (1979 通过, 2023 修正).
    meta.set("adopted_date", history.adopted, "content:通过日期")
    meta.set("amended_date", history.amended, "content:修正日期")
    if version:
        meta.set("date", version, "content:公布日期")
        # The history in a regulation's text may stop before its latest amendment; a version date
        # in the file name that is later than every date the text lists names the current text.
        m = _DATE_IN_NAME_RE.search(file_name)
        if m and meta.sources.get("date") == "content:公布日期":
            named = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
            if named > str(meta.values["date"]):
                meta.values["date"], meta.sources["date"] = named, "filename:版本日期"
    meta.set("date", masthead_date(front or []), "content:刊期")  # after 落款: a gazette prints notices
    meta.set("date", on_cover, "content:封面日期")
    if "date" not in meta.values and furniture:  # only when the content itself gives no date
        meta.set("date", *(furniture_date(furniture) or (None, "")))

    # 4. Issuer: the title's lead (国务院办公厅关于……), the signature, the document number's prefix.
    full_title = str(meta.values.get("title") or title)
    meta.set("issuer", issuer_from_title(full_title), "content:标题")
    meta.set("issuer", sig_issuer, "content:落款")
    cover_issuer, where = front_issuer(full_title, head)
    meta.set("issuer", cover_issuer, where)
    number = meta.values.get("doc_number")
    if isinstance(number, str):
        prefix = re.split(r"[〔第]", number)[0]
        meta.set("issuer", _ISSUER_BY_PREFIX.get(prefix), "content:发文字号")
        m = re.search(r"〔(\d{4})〕", number)
        if m and "date" not in meta.values:
            meta.set("year", int(m.group(1)), "content:发文字号")

    # 5. Year: from the date when there is one, else a year in the title, else the file name.
    date = meta.values.get("date")
    if isinstance(date, str):
        meta.set("year", int(date[:4]), meta.sources["date"])
    t_year = re.match(r"^((?:19|20)\d\d)年", re.sub(r"\s+", "", full_title))
    if t_year:
        meta.set("year", int(t_year.group(1)), "content:标题")
    # Sessions only from a title-like line: running text cites earlier sessions too.
    short_head = "\n".join(line for line in head[:3] if len(line) <= 40 and not re.search("[。，；！？]", line))
    for text, where in ((full_title, "content"), (short_head, "content"), (file_name, "filename")):
        found = session_year(text)
        if found is not None:
            meta.set("year", found[0], f"{where}:{found[1]}")
    years = _YEAR_IN_NAME_RE.findall(file_name)
    if len(set(years)) == 1:
        meta.set("year", int(years[0]), "filename")

    # 6. Type and relations from the title; not for a journal article (一种……运动规划 is no 规划).
    doi = find_doi(head, tail)
    if not doi:
        meta.set("doc_type", doc_type_of(full_title), "content:标题")
    if isinstance(number, str) and "令第" in number:
        meta.set("doc_type", "令", "content:发文字号")
    stem = re.sub(r"^[A-Za-z]+_[A-Za-z]*_?\d+_|[（(][^）)]*[）)]$", "", file_name.rsplit(".", 1)[0])
    if not doi:
        meta.set("doc_type", doc_type_of(stem), "filename")
    relation = relation_from_title(full_title, meta.values.get("issuer"))  # type: ignore[arg-type]
    if relation is not None:
        meta.relations.append(relation)

    # 7. Journal-article fields.
    meta.set("doi", doi, "content")
    return meta
